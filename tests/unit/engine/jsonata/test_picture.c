/* test_picture.c - the picture-string functions against the JSONata suite's cases and the reference's edge cases. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/clock.h"
#include "common/sb.h"
#include "engine/jsonata/jn_picture.h"
#include "tests/suites.h"

/* ======================================================================
 * The suite's direct calls (picture_cases.inc, from gen_picture_cases.py)
 * ====================================================================== */

enum { PC_FROM = 1, PC_TO, PC_FNUM, PC_FINT, PC_PINT };
enum { PC_NONE, PC_AFTER_T, PC_TODAY, PC_EQ };
enum { PE_STR, PE_NUM, PE_UNDEF, PE_ERR, PE_BOOL };

typedef struct pic_case {
	const char *id, *expr;
	int fn;
	double num;            /* number argument */
	const char *str;       /* string argument */
	const char *pic, *tz;  /* NULL = not given */
	int nopts;             /* $formatNumber options */
	const char *opt_key[4], *opt_val[4];
	int then;              /* PC_FROM: the result goes on into $fromMillis(ms, pic2, tz2) */
	const char *pic2, *tz2;
	int post;              /* PC_AFTER_T / PC_TODAY: $substringAfter/Before 'T'; PC_EQ: = $toMillis(eq_str, eq_pic) */
	const char *eq_str, *eq_pic;
	int expect;
	const char *exp_str;
	double exp_num; /* PE_NUM; PE_BOOL: 0 or 1 */
	const char *exp_code;
} pic_case;

static const pic_case cases[] = {
#include "tests/unit/engine/jsonata/picture_cases.inc"
};

static void set_opt(jn_numfmt_opts *o, const char *k, const char *v)
{
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
		{"decimal-separator", offsetof(jn_numfmt_opts, decimal_separator)},
		{"grouping-separator", offsetof(jn_numfmt_opts, grouping_separator)},
		{"exponent-separator", offsetof(jn_numfmt_opts, exponent_separator)},
		{"infinity", offsetof(jn_numfmt_opts, infinity)},
		{"minus-sign", offsetof(jn_numfmt_opts, minus_sign)},
		{"NaN", offsetof(jn_numfmt_opts, nan)},
		{"percent", offsetof(jn_numfmt_opts, percent)},
		{"per-mille", offsetof(jn_numfmt_opts, per_mille)},
		{"zero-digit", offsetof(jn_numfmt_opts, zero_digit)},
		{"digit", offsetof(jn_numfmt_opts, digit)},
		{"pattern-separator", offsetof(jn_numfmt_opts, pattern_separator)},
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (!strcmp(fields[i].key, k))
			*(const char **)((char *)o + fields[i].off) = v;
}

/* Runs one row; returns NULL when it passes, else what went wrong. */
static const char *run_case(const pic_case *c, char *why, size_t cap)
{
	sb out = SB_INIT;
	jn_pic_err e;
	memset(&e, 0, sizeof e);
	double num = 0;
	int is_num = 0, is_bool = 0, truth = 0, rc = -1;
	int64_t now = clk_now_ms(clk_real());
	jn_numfmt_opts o;
	memset(&o, 0, sizeof o);
	switch (c->fn) {
	case PC_FROM: rc = jn_pic_format_datetime_d(c->num, c->pic, c->tz, &out, &e); break;
	case PC_TO:
		rc = jn_pic_parse_datetime_at(c->str, c->pic, now, &num, &e);
		is_num = 1;
		break;
	case PC_FNUM:
		for (int i = 0; i < c->nopts; i++)
			set_opt(&o, c->opt_key[i], c->opt_val[i]);
		rc = jn_pic_format_number(c->num, c->pic, c->nopts ? &o : NULL, &out, &e);
		break;
	case PC_FINT: rc = jn_pic_format_integer(c->num, c->pic, &out, &e); break;
	case PC_PINT:
		rc = jn_pic_parse_integer(c->str, c->pic, &num, &e);
		is_num = 1;
		break;
	}
	if (rc == 0 && c->then == PC_FROM) {
		rc = jn_pic_format_datetime_d(num, c->pic2, c->tz2, &out, &e);
		is_num = 0;
	}
	if (rc == 0 && c->post == PC_AFTER_T) {
		const char *t = strchr(sb_str(&out), 'T');
		sb cut = SB_INIT;
		sb_cat(&cut, t ? t + 1 : "");
		sb_free(&out);
		out = cut;
	} else if (rc == 0 && c->post == PC_TODAY) {
		sb today = SB_INIT;
		jn_pic_err e2;
		ck_assert_int_eq(jn_pic_format_datetime_d((double)now, NULL, NULL, &today, &e2), 0);
		const char *a = sb_str(&out), *b = sb_str(&today);
		size_t la = strcspn(a, "T"), lb = strcspn(b, "T");
		is_bool = 1;
		truth = la == lb && !strncmp(a, b, la);
		sb_free(&today);
	} else if (rc == 0 && c->post == PC_EQ) {
		double other = 0;
		jn_pic_err e2;
		int rc2 = jn_pic_parse_datetime_at(c->eq_str, c->eq_pic, now, &other, &e2);
		is_bool = 1;
		truth = rc2 == 0 && other == num;
	}

	const char *bad = NULL;
	switch (c->expect) {
	case PE_ERR:
		if (rc != -1)
			bad = "expected an error";
		else if (strcmp(e.code, c->exp_code))
			bad = "wrong error code";
		break;
	case PE_UNDEF:
		if (rc != 1)
			bad = "expected undefined";
		break;
	case PE_STR:
		if (rc != 0 || is_num || is_bool || strcmp(sb_str(&out), c->exp_str))
			bad = "wrong string";
		break;
	case PE_NUM:
		if (rc != 0 || !is_num || !(num == c->exp_num))
			bad = "wrong number";
		break;
	case PE_BOOL:
		if (rc != 0 || !is_bool || truth != (c->exp_num != 0))
			bad = "wrong boolean";
		break;
	}
	if (bad)
		snprintf(why, cap, "%s: %s: %s (rc %d, code %s, string \"%s\", number %.17g)", c->id, c->expr, bad,
		         rc, rc == -1 ? e.code : "-", sb_str(&out), num);
	sb_free(&out);
	return bad;
}

/* The rows of one group are a contiguous range of the table. */
static int group_first[5], group_count[5];
static const char *const group_names[5] = {"function-fromMillis/", "function-tomillis/",
	"function-formatNumber/", "function-formatInteger/", "function-parseInteger/"};

static void find_groups(void)
{
	for (int g = 0; g < 5; g++) {
		group_first[g] = -1;
		group_count[g] = 0;
		for (int i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++)
			if (!strncmp(cases[i].id, group_names[g], strlen(group_names[g]))) {
				if (group_first[g] < 0)
					group_first[g] = i;
				group_count[g]++;
			}
	}
}

/* Every row of group g; one test per group keeps the forks few. */
static void check_group(int g)
{
	char why[1024], report[4096] = "";
	int failed = 0;
	ck_assert_int_gt(group_count[g], 0); /* an empty group is a generator failure */
	for (int i = 0; i < group_count[g]; i++) {
		if (!run_case(&cases[group_first[g] + i], why, sizeof why))
			continue;
		if (failed++ < 3 && strlen(report) + strlen(why) + 2 < sizeof report) {
			strcat(report, why);
			strcat(report, "\n");
		}
	}
	ck_assert_msg(failed == 0, "%d of %d rows of %s failed:\n%s", failed, group_count[g], group_names[g], report);
}

START_TEST(from_millis_should_match_the_suite) { check_group(0); }
END_TEST
START_TEST(to_millis_should_match_the_suite) { check_group(1); }
END_TEST
START_TEST(format_number_should_match_the_suite) { check_group(2); }
END_TEST
START_TEST(format_integer_should_match_the_suite) { check_group(3); }
END_TEST
START_TEST(parse_integer_should_match_the_suite) { check_group(4); }
END_TEST

/* ======================================================================
 * Edge cases answered by the reference (picture_edges.inc, from
 * gen_picture_edges.py)
 * ====================================================================== */

typedef struct edge_case {
	const char *label;
	int fn;
	double num;
	const char *str, *pic, *tz;
	int nopts;
	const char *opt_key[2], *opt_val[2];
	double now;
	int expect;
	const char *exp_str;
	double exp_num;
	const char *exp_code;
} edge_case;

static const edge_case edges[] = {
#include "tests/unit/engine/jsonata/picture_edges.inc"
};

static void check_edge(const edge_case *c)
{
	sb out = SB_INIT;
	jn_pic_err e;
	memset(&e, 0, sizeof e);
	double num = 0;
	int rc = -1;
	jn_numfmt_opts o;
	memset(&o, 0, sizeof o);
	switch (c->fn) {
	case PC_FROM: rc = jn_pic_format_datetime_d(c->num, c->pic, c->tz, &out, &e); break;
	case PC_TO: rc = jn_pic_parse_datetime_at(c->str, c->pic, (int64_t)c->now, &num, &e); break;
	case PC_FNUM:
		for (int i = 0; i < c->nopts; i++)
			set_opt(&o, c->opt_key[i], c->opt_val[i]);
		rc = jn_pic_format_number(c->num, c->pic, c->nopts ? &o : NULL, &out, &e);
		break;
	case PC_FINT: rc = jn_pic_format_integer(c->num, c->pic, &out, &e); break;
	case PC_PINT: rc = jn_pic_parse_integer(c->str, c->pic, &num, &e); break;
	}
	switch (c->expect) {
	case PE_ERR:
		ck_assert_msg(rc == -1 && !strcmp(e.code, c->exp_code), "%s: rc %d code %s, want %s", c->label, rc,
		              e.code, c->exp_code);
		ck_assert_msg(e.message[0], "%s: no message", c->label);
		break;
	case PE_UNDEF: ck_assert_msg(rc == 1, "%s: rc %d, want undefined", c->label, rc); break;
	case PE_STR:
		ck_assert_msg(rc == 0 && !strcmp(sb_str(&out), c->exp_str), "%s: rc %d (%s) \"%.300s\"", c->label, rc,
		              e.code, sb_str(&out));
		break;
	case PE_NUM:
		ck_assert_msg(rc == 0 && (num == c->exp_num || (isnan(num) && isnan(c->exp_num))),
		              "%s: rc %d (%s) %.17g, want %.17g", c->label, rc, e.code, num, c->exp_num);
		break;
	}
	sb_free(&out);
}

START_TEST(edge_cases_should_match_the_reference)
{
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		check_edge(&edges[i]);
}
END_TEST

/* ======================================================================
 * Behaviour of the C interface itself
 * ====================================================================== */

START_TEST(errors_should_name_the_offending_value_in_the_message)
{
	sb out = SB_INIT;
	jn_pic_err e;
	ck_assert_int_eq(jn_pic_format_datetime(0, "[Y]-[q]", NULL, &out, &e), -1);
	ck_assert_str_eq(e.code, "D3132");
	ck_assert_str_eq(e.message, "Unknown component specifier \"q\" in date/time picture string");
	int64_t ms;
	ck_assert_int_eq(jn_pic_parse_datetime("2018-02-03 11:15:33", NULL, &ms, &e), -1);
	ck_assert_str_eq(e.code, "D3110");
	ck_assert_str_eq(e.message, "The argument of the toMillis function must be an ISO 8601 formatted "
	                            "timestamp. Given \"2018-02-03 11:15:33\"");
	ck_assert_int_eq(jn_pic_format_integer(1, "\xCE\xB1", &out, &e), -1);
	ck_assert_str_eq(e.message, "Formatting or parsing an integer as a sequence starting with \"\xCE\xB1\" "
	                            "is not supported by this implementation");
	ck_assert_int_eq(out.len, 0); /* nothing appended on error */
	sb_free(&out);
}
END_TEST

START_TEST(results_should_be_appended_to_what_the_buffer_holds)
{
	sb out = SB_INIT;
	jn_pic_err e;
	sb_cat(&out, ">");
	ck_assert_int_eq(jn_pic_format_integer(1234, "#,##0", &out, &e), 0);
	ck_assert_int_eq(jn_pic_format_number(0.5, "0%", NULL, &out, &e), 0);
	ck_assert_int_eq(jn_pic_format_datetime(1521801216617, NULL, NULL, &out, &e), 0);
	ck_assert_str_eq(sb_str(&out), ">1,23450%2018-03-23T10:33:36.617Z");
	sb_free(&out);
}
END_TEST

START_TEST(int64_forms_should_report_nan_as_undefined)
{
	int64_t ms = 42;
	jn_pic_err e;
	ck_assert_int_eq(jn_pic_parse_datetime("2018-13", NULL, &ms, &e), 1); /* Date.parse gives NaN */
	ck_assert_int_eq(ms, 42);
	ck_assert_int_eq(jn_pic_parse_datetime("2017-10-30T15:28:34Z", NULL, &ms, &e), 0);
	ck_assert_int_eq(ms, 1509377314000LL);
	ck_assert_int_eq(jn_pic_parse_datetime("irrelevant", "[Y]-[M]", &ms, &e), 1);
	sb out = SB_INIT;
	ck_assert_int_eq(jn_pic_format_datetime(-1, NULL, "+0100", &out, &e), 0);
	ck_assert_str_eq(sb_str(&out), "1970-01-01T00:59:59.999+01:00");
	sb_free(&out);
}
END_TEST

/* Pictures and strings of any bytes: a result, undefined or an error, and
 * never a crash (the sanitizer builds check the reads). */
START_TEST(arbitrary_bytes_should_never_crash)
{
	static const char alphabet[] = "[]]0#,.;:e%-+YMDdFWwXxHhPmsfZzCEoIiAaNn1 \x80\xBF\xC3\xA9\xED\xA0\x80\xF0\x9F\x98\x80\xFF";
	uint32_t seed = 12345;
	char pic[64], arg[64];
	for (int round = 0; round < 4000; round++) {
		for (int k = 0; k < 2; k++) {
			char *b = k ? arg : pic;
			int n = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 40;
			for (int i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				b[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
			}
			b[n] = '\0';
		}
		double v = (double)(int32_t)(seed = seed * 1103515245u + 12345u) * 1000.0;
		sb out = SB_INIT;
		jn_pic_err e;
		double d;
		jn_numfmt_opts o;
		memset(&o, 0, sizeof o);
		o.grouping_separator = arg;
		int rcs[7] = {
			jn_pic_format_integer(v, pic, &out, &e),
			jn_pic_parse_integer(arg, pic, &d, &e),
			jn_pic_format_number(v / 7, pic, NULL, &out, &e),
			jn_pic_format_number(v, pic, &o, &out, &e),
			jn_pic_format_datetime_d(v, pic, arg, &out, &e),
			jn_pic_parse_datetime_at(arg, pic, 1521801216617, &d, &e),
			jn_pic_parse_datetime_at(pic, NULL, 0, &d, &e),
		};
		for (int i = 0; i < 7; i++)
			ck_assert(rcs[i] >= -1 && rcs[i] <= 1);
		sb_free(&out);
	}
}
END_TEST

START_TEST(long_inputs_should_finish_quickly)
{
	/* Word-number parts side by side invite exponential backtracking;
	 * the matcher's memo keeps this linear. */
	sb pic = SB_INIT, str = SB_INIT;
	for (int i = 0; i < 40; i++)
		sb_cat(&pic, "[Dw]");
	for (int i = 0; i < 2000; i++)
		sb_cat(&str, "one ");
	sb_cat(&str, "x");
	double d;
	jn_pic_err e;
	int rc = jn_pic_parse_datetime_at(sb_str(&str), sb_str(&pic), 0, &d, &e);
	ck_assert(rc == 1 || (rc == -1 && !strcmp(e.code, "D1001")));
	/* a long grouped number, and a huge width that must be refused */
	sb out = SB_INIT;
	sb_clear(&pic);
	for (int i = 0; i < 5000; i++)
		sb_cat(&pic, "0,");
	sb_cat(&pic, "0");
	ck_assert_int_eq(jn_pic_format_number(1, sb_str(&pic), NULL, &out, &e), 0);
	ck_assert_int_eq(out.len, 10001);
	sb_clear(&out);
	ck_assert_int_eq(jn_pic_format_datetime(0, "[Y,99999999999]", NULL, &out, &e), -1);
	ck_assert_str_eq(e.code, "D1001");
	sb_free(&out);
	sb_free(&pic);
	sb_free(&str);
}
END_TEST

Suite *suite_jn_picture(void)
{
	find_groups();
	Suite *s = suite_create("engine/jsonata/picture");
	static const char *const tc_names[5] = {"fromMillis", "toMillis", "formatNumber", "formatInteger",
		"parseInteger"};
	const TTest *tests[5] = {from_millis_should_match_the_suite, to_millis_should_match_the_suite,
		format_number_should_match_the_suite, format_integer_should_match_the_suite,
		parse_integer_should_match_the_suite};
	for (int g = 0; g < 5; g++) {
		TCase *tc = tcase_create(tc_names[g]);
		tcase_add_test(tc, tests[g]);
		suite_add_tcase(s, tc);
	}
	TCase *edge = tcase_create("edges");
	tcase_add_test(edge, edge_cases_should_match_the_reference);
	tcase_add_test(edge, errors_should_name_the_offending_value_in_the_message);
	tcase_add_test(edge, results_should_be_appended_to_what_the_buffer_holds);
	tcase_add_test(edge, int64_forms_should_report_nan_as_undefined);
	tcase_add_test(edge, arbitrary_bytes_should_never_crash);
	tcase_add_test(edge, long_inputs_should_finish_quickly);
	tcase_set_timeout(edge, 60);
	suite_add_tcase(s, edge);
	return s;
}
