/* jn_picture_int.h - shared internals of the picture-string functions (private).
 *
 * The reference implementation works on JavaScript strings, which are
 * sequences of UTF-16 code units, and its results depend on that (substring
 * positions, lengths, lone surrogates). To give the same answers, every
 * picture and argument is converted to UTF-16 on entry, the algorithms run on
 * code units, and the result is converted back to UTF-8 on exit.
 *
 * Memory: all the UTF-16 strings of one call live in an arena the entry
 * point creates and frees before it returns.
 *
 * Encoding rules at the edges
 *   - UTF-8 in: each malformed byte becomes U+FFFD; the 3-byte encodings of
 *     surrogates (WTF-8) are accepted and give lone surrogate units.
 *   - UTF-8 out: a lone surrogate is written as its 3-byte WTF-8 form.
 */
#ifndef STEPBENCH_JN_PICTURE_INT_H
#define STEPBENCH_JN_PICTURE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/sb.h"
#include "engine/jsonata/jn_picture.h"

/* ---- UTF-16 strings ---------------------------------------------------- */

/* A UTF-16 string: a view (p may point into another string) or a copy. */
typedef struct jn_u16 {
	const uint16_t *p;
	size_t n;
} jn_u16;

/* A growable UTF-16 string in an arena. */
typedef struct jn_u16b {
	arena *a;
	uint16_t *p;
	size_t n, cap;
} jn_u16b;

jn_u16 jn_pic_u16_from_utf8(arena *a, const char *s);
jn_u16 jn_pic_u16_ascii(arena *a, const char *s);
void jn_pic_u16_to_sb(sb *out, jn_u16 s);

void jn_pic_u16b_init(jn_u16b *b, arena *a);
void jn_pic_u16b_push(jn_u16b *b, uint16_t c);
void jn_pic_u16b_cat(jn_u16b *b, jn_u16 s);
void jn_pic_u16b_ascii(jn_u16b *b, const char *s);
void jn_pic_u16b_cp(jn_u16b *b, uint32_t cp);
jn_u16 jn_pic_u16b_get(const jn_u16b *b);

/* JavaScript String methods with their clamping rules; index results are
 * -1 when not found. */
jn_u16 jn_pic_u16_sub(jn_u16 s, double start, double end);   /* substring */
jn_u16 jn_pic_u16_substr(jn_u16 s, double start, double len); /* substr */
long jn_pic_u16_index(jn_u16 h, jn_u16 needle, size_t from);
long jn_pic_u16_last_index(jn_u16 h, jn_u16 needle);
long jn_pic_u16_index_c(jn_u16 h, uint16_t c, size_t from);
long jn_pic_u16_last_index_c(jn_u16 h, uint16_t c);
int jn_pic_u16_eq(jn_u16 a, jn_u16 b);
int jn_pic_u16_eq_ascii(jn_u16 a, const char *s);
/* s with every occurrence of what removed (split(what).join('')) or
 * replaced by with. */
jn_u16 jn_pic_u16_replace_all(arena *a, jn_u16 s, jn_u16 what, jn_u16 with);
/* Code point at unit i (a surrogate pair gives one code point) and the
 * number of units it takes. */
uint32_t jn_pic_u16_cp_at(jn_u16 s, size_t i, size_t *units);
/* 1 for JavaScript's \s (WhiteSpace and LineTerminator). */
int jn_pic_js_space(uint16_t c);
/* ASCII-only case mapping, as the reference's names and words need. */
uint16_t jn_pic_ascii_lower(uint16_t c);
uint16_t jn_pic_ascii_upper(uint16_t c);

/* Longest result (in UTF-16 units) built before giving up with an error
 * where the reference would go on building an enormous string (its own
 * limit is 2^29-24 units). */
#define JN_PIC_MAX_UNITS 10000000.0

/* ---- JavaScript numbers ------------------------------------------------- */

/* Number.prototype.toString() (shortest round trip, JS exponent rules). */
void jn_pic_js_num_str(double v, char out[40]);
void jn_pic_u16b_num(jn_u16b *b, double v);
/* parseInt(s) with no radix. */
double jn_pic_js_parse_int(jn_u16 s);
/* parseFloat of an ASCII decimal string (no exponent handling needed). */
double jn_pic_js_parse_float_ascii(const char *s);
/* Unary + on the ASCII text s (NaN unless all of s is a number). */
double jn_pic_js_to_number_ascii(const char *s);
/* Number.prototype.toFixed(digits) for 0 <= digits <= 100. */
void jn_pic_js_to_fixed(jn_u16b *b, double v, int digits);
/* Math.round. */
double jn_pic_js_round(double v);

/* ---- Errors -------------------------------------------------------------- */

/* Fill e with code and the reference's message for it; value_json is the
 * JSON text that replaces {{value}} (NULL renders "undefined"). Returns -1. */
int jn_pic_fail(jn_pic_err *e, const char *code, const char *value_json);
/* JSON.stringify of a string into a fixed buffer (truncated to fit). */
void jn_pic_json_str(jn_u16 s, char *out, size_t cap);
/* A failure where the reference throws a plain JavaScript error with no
 * JSONata code (stack overflow, toFixed range, ...): code D1001 and msg. */
int jn_pic_fail_js(jn_pic_err *e, const char *msg);

/* ---- Integer pictures (fn:format-integer), shared with date/time -------- */

enum jn_pic_primary { JN_PIC_DECIMAL, JN_PIC_LETTERS, JN_PIC_ROMAN, JN_PIC_WORDS, JN_PIC_SEQUENCE };
enum jn_pic_case { JN_PIC_LOWER, JN_PIC_UPPER, JN_PIC_TITLE };

typedef struct jn_pic_sep {
	double position;
	jn_u16 ch; /* one code point */
} jn_pic_sep;

/* The reference's analysed integer picture. The numeric fields are doubles
 * because the date/time width modifiers write arbitrary parseInt results
 * (NaN included) into them; has_digits is 0 where the reference leaves
 * mandatoryDigits undefined (non-decimal pictures). */
typedef struct jn_pic_int_fmt {
	enum jn_pic_primary primary;
	enum jn_pic_case tcase;
	int ordinal;
	int has_digits;
	double mandatory;
	double optional;
	double parse_width; /* 0 = undefined */
	uint32_t zero;      /* zero code point of the digit family */
	int regular;        /* grouping repeats every seps[0].position */
	jn_pic_sep *seps;   /* in the order they were found, right to left */
	size_t nseps;
	jn_u16 token; /* the picture, for D3130 */
} jn_pic_int_fmt;

int jn_pic_int_analyse(arena *a, jn_u16 picture, jn_pic_int_fmt *f, jn_pic_err *e);
/* Format the integer v (already floored by the caller where the reference
 * floors) into b. Returns 0 or -1 with *e filled. */
int jn_pic_int_format(arena *a, double v, const jn_pic_int_fmt *f, jn_u16b *b, jn_pic_err *e);
/* The English words of v (ordinal or cardinal), Title Case. */
int jn_pic_words(double v, int ordinal, jn_u16b *b, jn_pic_err *e);
/* Inverse conversions of the picture kinds, on any text (NaN when the text
 * is not of that kind, as in the reference). */
double jn_pic_words_value(arena *a, jn_u16 text);
double jn_pic_roman_value(jn_u16 text, int upper_only);
double jn_pic_letters_value(jn_u16 text, uint16_t a_char);
/* The number words the parser knows, in the reference's table order. */
size_t jn_pic_word_count(void);
const char *jn_pic_word_at(size_t i);
/* Parse decimal digits as the reference's integer parser does. Returns 0,
 * or -1 when the reference throws (a code point out of range). */
int jn_pic_decimal_value(arena *a, jn_u16 text, const jn_pic_int_fmt *f, double *v, jn_pic_err *e);

/* ---- Calendar arithmetic as ECMAScript Date does it ---------------------- */

/* Date.UTC(y, m, d, h, mi, s, ms) including its 0..99 -> 1900s year rule,
 * TimeClip included; NaN when out of range. */
double jn_pic_date_utc(double y, double m, double d, double h, double mi, double s, double ms);
/* TimeClip. */
double jn_pic_time_clip(double t);
/* MakeDay/MakeTime/MakeDate without the year rule and without TimeClip. */
double jn_pic_make_date(double y, double m, double d, double h, double mi, double s, double ms);

typedef struct jn_pic_tm {
	double year, month, day, hours, minutes, seconds, millis, weekday; /* month 0-11, weekday 0=Sunday */
} jn_pic_tm;
/* The getUTC* fields of time value t (all NaN when t is NaN). */
void jn_pic_tm_of(double t, jn_pic_tm *tm);

/* $toMillis without a picture (ISO 8601 by the reference's regex, then the
 * JavaScript engine's Date.parse). Returns 0 with *ms (NaN possible) or -1. */
int jn_pic_iso_parse(arena *a, const char *s, double *ms, jn_pic_err *e);

#endif
