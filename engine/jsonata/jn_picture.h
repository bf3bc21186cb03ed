/* jn_picture.h - JSONata's picture-string functions as plain C (private).
 *
 * The XPath/XQuery 3.1 picture-string machinery behind $fromMillis,
 * $toMillis, $formatNumber, $formatInteger and $parseInteger, kept apart
 * from the evaluator: these functions take C values and UTF-8 strings and
 * know nothing of jn_value. The builtins in jn_fn_*.c convert arguments,
 * call these, and turn a jn_pic_err into a JSONata error at the call's
 * position.
 *
 * Conventions
 *   - Strings in and out are UTF-8. Results are appended to a caller sb.
 *   - Return 0 on success, -1 on error with *e filled: code is the
 *     reference's error code (e.g. "D3110", "D3130"-"D3139", "D3080"-"D3093"),
 *     message the reference's wording with its placeholders filled in.
 *   - Where the reference returns undefined (a string that does not match
 *     the picture), the function returns 1 and leaves the outputs untouched.
 *   - No allocation survives a call except what is appended to out. On an
 *     error nothing is appended.
 *
 * Fidelity (additions to the conventions above, from the implementation)
 *   - The reference works on JavaScript (UTF-16) strings and these functions
 *     give its results unit for unit, quirks included (e.g. irregular
 *     grouping that drops digits, "-0530" read as -06:30, "2018-02-30"
 *     accepted as 2 March). A lone surrogate, which a JavaScript result can
 *     hold, comes out in its 3-byte WTF-8 form and is read back from it;
 *     a malformed UTF-8 byte in an input reads as U+FFFD.
 *   - Where the reference fails with a plain JavaScript error instead of a
 *     JSONata one (stack overflow on huge roman numerals, toFixed beyond
 *     100 digits, "Invalid code point", a string method on undefined), the
 *     code is "D1001" and the message is the JavaScript one.
 *   - Limits the reference does not have: results longer than 10 million
 *     UTF-16 units, and a $toMillis picture match that needs more than 50
 *     million backtracking steps, fail with "D1001" rather than run on.
 *   - ISO strings without an offset are read as UTC (the reference reads
 *     them in the host's zone; with TZ=UTC the answers are the same).
 */
#ifndef STEPBENCH_JN_PICTURE_H
#define STEPBENCH_JN_PICTURE_H

#include <stdint.h>

#include "common/sb.h"

typedef struct jn_pic_err {
	char code[8];
	char message[512];
} jn_pic_err;

/**
 * $fromMillis(ms, picture?, timezone?): format ms since the epoch.
 * @param picture  XPath fn:format-dateTime picture, or NULL for ISO 8601
 *                 ("2017-11-07T15:07:54.972Z" form)
 * @param tz       "±HHMM" timezone the picture is rendered in, or NULL (UTC)
 */
int jn_pic_format_datetime(int64_t ms, const char *picture, const char *tz, sb *out, jn_pic_err *e);

/**
 * $toMillis(str, picture?): parse a date/time.
 * @param picture  NULL parses ISO 8601 as the reference does
 * @return 0 with *ms set, 1 when the reference gives undefined, -1 on error.
 */
int jn_pic_parse_datetime(const char *s, const char *picture, int64_t *ms, jn_pic_err *e);

/*
 * The two calls above, with the reference's number semantics (additions;
 * the builtins should prefer these):
 *   - ms is the JSONata number as is. The reference truncates it to whole
 *     milliseconds and gives "NaN" fields (e.g. "0NaN-NaN-NaNTNaN:...") for
 *     NaN or a time beyond the Date range of +-8.64e15 ms.
 *   - $toMillis can give NaN (e.g. "2018-13" passes the ISO check but is no
 *     date); the int64_t form above reports that as undefined (1).
 *   - now_ms is the evaluation's current time: a picture that leaves out the
 *     leading components (e.g. "[H]:[m]") takes them from it, as the
 *     reference takes them from $now(). jn_pic_parse_datetime reads the real
 *     clock instead.
 * Errors without a JSONata code in the reference (it throws a plain
 * JavaScript error: stack overflow, toFixed range, invalid code point, ...)
 * are reported with code "D1001" and the JavaScript message, by every
 * function in this header.
 */
int jn_pic_format_datetime_d(double ms, const char *picture, const char *tz, sb *out, jn_pic_err *e);
int jn_pic_parse_datetime_at(const char *s, const char *picture, int64_t now_ms, double *ms, jn_pic_err *e);

/* $formatNumber's third argument: each field NULL for the default. */
typedef struct jn_numfmt_opts {
	const char *decimal_separator;  /* "." */
	const char *grouping_separator; /* "," */
	const char *exponent_separator; /* "e" */
	const char *infinity;           /* "Infinity" */
	const char *minus_sign;         /* "-" */
	const char *nan;                /* "NaN" */
	const char *percent;            /* "%" */
	const char *per_mille;          /* "\u2030" */
	const char *zero_digit;         /* "0" */
	const char *digit;              /* "#" */
	const char *pattern_separator;  /* ";" */
} jn_numfmt_opts;

/** $formatNumber(number, picture, options?). opts may be NULL. */
int jn_pic_format_number(double v, const char *picture, const jn_numfmt_opts *opts, sb *out, jn_pic_err *e);

/** $formatInteger(number, picture). */
int jn_pic_format_integer(double v, const char *picture, sb *out, jn_pic_err *e);

/** $parseInteger(string, picture): 0 with *v, 1 for undefined, -1 on error. */
int jn_pic_parse_integer(const char *s, const char *picture, double *v, jn_pic_err *e);

#endif
