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

static void check_row(int g, int i)
{
	char why[1024];
	ck_assert_int_lt(i, group_count[g]);
	const pic_case *c = &cases[group_first[g] + i];
	const char *bad = run_case(c, why, sizeof why);
	ck_assert_msg(bad == NULL, "%s", why);
}

START_TEST(from_millis_should_match_the_suite) { check_row(0, _i); }
END_TEST
START_TEST(to_millis_should_match_the_suite) { check_row(1, _i); }
END_TEST
START_TEST(format_number_should_match_the_suite) { check_row(2, _i); }
END_TEST
START_TEST(format_integer_should_match_the_suite) { check_row(3, _i); }
END_TEST
START_TEST(parse_integer_should_match_the_suite) { check_row(4, _i); }
END_TEST

Suite *suite_jn_picture(void)
{
	find_groups();
	Suite *s = suite_create("engine/jsonata/picture");
	static const char *const tc_names[5] = {"fromMillis", "toMillis", "formatNumber", "formatInteger",
		"parseInteger"};
	const TTest *loops[5] = {from_millis_should_match_the_suite, to_millis_should_match_the_suite,
		format_number_should_match_the_suite, format_integer_should_match_the_suite,
		parse_integer_should_match_the_suite};
	for (int g = 0; g < 5; g++) {
		TCase *tc = tcase_create(tc_names[g]);
		/* an empty group would be a generator failure: make it fail loudly */
		tcase_add_loop_test(tc, loops[g], 0, group_count[g] ? group_count[g] : 1);
		suite_add_tcase(s, tc);
	}
	return s;
}
