/* test_jn_fn_datetime.c - $fromMillis $toMillis $now $millis against the reference jsonata 2.2.2's answers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/mem.h"
#include "engine/jsonata/jsonata.h"
#include "tests/suites.h"

/* 2025-10-20T10:30:00.500Z */
#define DT_NOW 1760956200500LL

static char *dt_eval(const char *expr, clk *c)
{
	jsonata_error err;
	memset(&err, 0, sizeof err);
	jsonata_opts o;
	memset(&o, 0, sizeof o);
	o.clock = c;
	jsonata_expr *e = jsonata_compile(expr, strlen(expr), &err);
	ck_assert_ptr_nonnull(e);
	cJSON *res = NULL;
	char *out;
	if (jsonata_eval(e, NULL, &o, &res, &err) < 0) {
		out = malloc(16);
		snprintf(out, 16, "ERR %s", err.code);
	} else if (!res) {
		out = strdup("undefined");
	} else {
		char *t = jsonata_print(res, 0);
		out = strdup(t);
		mem_free(t);
	}
	cJSON_Delete(res);
	jsonata_error_clear(&err);
	jsonata_free(e);
	return out;
}

#define EXPECT_DT(expr, want)                                                     \
	do {                                                                      \
		clk *c_ = clk_virtual_new(DT_NOW);                                \
		char *got_ = dt_eval(expr, c_);                                   \
		ck_assert_msg(!strcmp(got_, want), "%s: got %s, want %s", expr, got_, want); \
		free(got_);                                                       \
		clk_free(c_);                                                     \
	} while (0)

START_TEST(dt_fromMillis_should_truncate_fractions_toward_zero_like_a_js_date)
{
	EXPECT_DT("$fromMillis(-1.5)", "\"1969-12-31T23:59:59.999Z\"");
	EXPECT_DT("$fromMillis(1.5)", "\"1970-01-01T00:00:00.001Z\"");
	EXPECT_DT("$fromMillis(-0.4)", "\"1970-01-01T00:00:00.000Z\"");
	EXPECT_DT("$fromMillis(-1.5, '[H01]:[m01]:[s01].[f001]')", "\"23:59:59.999\"");
	EXPECT_DT("$fromMillis(-999.9, '[s01].[f001]')", "\"59.001\"");
}
END_TEST

START_TEST(dt_fromMillis_should_give_nan_fields_beyond_the_date_range)
{
	/* a double far outside int64 once reached an out-of-range conversion (UBSan) */
	EXPECT_DT("$fromMillis(1e300)", "\"0NaN-NaN-NaNTNaN:NaN:NaN.NaNZ\"");
	EXPECT_DT("$fromMillis(-1e300, '[Y]-[M]')", "\"NaN-NaN\"");
	EXPECT_DT("$fromMillis(8640000000000001)", "\"0NaN-NaN-NaNTNaN:NaN:NaN.NaNZ\"");
	EXPECT_DT("$fromMillis(8640000000000000)", "\"5760-09-13T00:00:00.000Z\"");
	EXPECT_DT("$fromMillis(-62135596800001)", "\"0000-12-31T23:59:59.999Z\"");
}
END_TEST

START_TEST(dt_toMillis_should_give_nan_for_an_iso_shaped_string_that_is_no_date)
{
	/* the reference: Date.parse("2018-13") is NaN, which JSON renders as null */
	EXPECT_DT("[$toMillis('2018-13')]", "[null]");
	EXPECT_DT("$exists($toMillis('2018-13'))", "true");
	EXPECT_DT("$toMillis('2018-13') + 1", "ERR T2001");
	EXPECT_DT("$string($toMillis('2018-13'))", "ERR D3001");
	EXPECT_DT("$toMillis('2018-02-30')", "1519948800000");
	EXPECT_DT("$toMillis('nope')", "ERR D3110");
}
END_TEST

START_TEST(dt_pictures_without_a_date_should_take_it_from_the_evaluation_clock)
{
	EXPECT_DT("$toMillis('08:15', '[H]:[m]')", "1760948100000");
	EXPECT_DT("$fromMillis($toMillis('08:15', '[H]:[m]'), '[Y0001]-[M01]-[D01]T[H01]:[m01]')",
	          "\"2025-10-20T08:15\"");
	EXPECT_DT("$toMillis('7', '[D]')", "1759795200000"); /* 2025-10-07, the lower fields zero */
	EXPECT_DT("$now('[H01]:[m01]')", "\"10:30\"");
	EXPECT_DT("$now('[H01]:[m01]', '+0530')", "\"16:00\"");
	EXPECT_DT("$fromMillis($millis(), '[Y0001]-[M01]-[D01]')", "\"2025-10-20\"");
}
END_TEST

Suite *suite_jn_fn_datetime(void)
{
	Suite *s = suite_create("engine/jsonata/datetime");
	TCase *tc = tcase_create("datetime");
	tcase_add_test(tc, dt_fromMillis_should_truncate_fractions_toward_zero_like_a_js_date);
	tcase_add_test(tc, dt_fromMillis_should_give_nan_fields_beyond_the_date_range);
	tcase_add_test(tc, dt_toMillis_should_give_nan_for_an_iso_shaped_string_that_is_no_date);
	tcase_add_test(tc, dt_pictures_without_a_date_should_take_it_from_the_evaluation_clock);
	suite_add_tcase(s, tc);
	return s;
}
