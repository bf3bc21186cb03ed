/* test_clock.c - virtual time and ISO 8601 conversions. */
#include <check.h>

#include "common/clock.h"
#include "tests/suites.h"

START_TEST(clk_virtual_should_move_only_when_slept_on)
{
	clk *c = clk_virtual_new(1000);
	ck_assert(clk_is_virtual(c));
	ck_assert_int_eq(clk_now_ms(c), 1000);
	clk_sleep_ms(c, 3600 * 1000);
	ck_assert_int_eq(clk_now_ms(c), 1000 + 3600 * 1000);
	clk_set_ms(c, 5); /* never backwards */
	ck_assert_int_eq(clk_now_ms(c), 1000 + 3600 * 1000);
	clk_free(c);
}
END_TEST

START_TEST(clk_parse_iso_should_accept_rfc3339_and_reject_the_rest)
{
	int64_t ms;
	ck_assert_int_eq(clk_parse_iso("2025-10-20T10:30:00Z", &ms), 0);
	ck_assert_int_eq(ms, 1760956200000LL);
	ck_assert_int_eq(clk_parse_iso("2025-10-20T12:30:00.5+02:00", &ms), 0);
	ck_assert_int_eq(ms, 1760956200500LL);
	ck_assert_int_eq(clk_parse_iso("2016-03-14T01:59:00.123456789Z", &ms), 0);
	ck_assert_int_eq(ms % 1000, 123);
	ck_assert_int_eq(clk_parse_iso("2025-10-20 10:30:00Z", &ms), -1);
	ck_assert_int_eq(clk_parse_iso("2025-10-20T10:30:00", &ms), -1);
	ck_assert_int_eq(clk_parse_iso("2025-13-20T10:30:00Z", &ms), -1);
	ck_assert_int_eq(clk_parse_iso("2023-02-29T10:30:00Z", &ms), -1);
	ck_assert_int_eq(clk_parse_iso("2024-02-29T24:30:00Z", &ms), -1);
}
END_TEST

START_TEST(clk_fmt_iso_should_print_utc_with_milliseconds)
{
	char b[CLK_ISO_LEN];
	clk_fmt_iso(1760956200500LL, b);
	ck_assert_str_eq(b, "2025-10-20T10:30:00.500Z");
	clk_fmt_iso(-1, b);
	ck_assert_str_eq(b, "1969-12-31T23:59:59.999Z");
}
END_TEST

Suite *suite_clock(void)
{
	Suite *s = suite_create("common/clock");
	TCase *tc = tcase_create("clock");
	tcase_add_test(tc, clk_virtual_should_move_only_when_slept_on);
	tcase_add_test(tc, clk_parse_iso_should_accept_rfc3339_and_reject_the_rest);
	tcase_add_test(tc, clk_fmt_iso_should_print_utc_with_milliseconds);
	suite_add_tcase(s, tc);
	return s;
}
