/* test_console.c - console lines, summary and colours. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"
#include "tests/suites.h"
#include "tests/unit/reports/results_fixture.h"

START_TEST(console_should_print_a_line_per_scenario_and_a_summary)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	report_console c = {.f = f, .color = 0};
	for (int i = 0; i < 3; i++)
		report_console_result(&c, &rs[i]);
	report_console_summary(&c, rs, 3, 1.25);
	fclose(f);
	ck_assert_msg(strstr(buf, "PASS  scenarios/a/one.scenario.json  passes (12 ms)\n"), "%s", buf);
	ck_assert_msg(strstr(buf, "FAIL  scenarios/a/one.scenario.json  fails & \"says\" why (1500 ms)\n"
	                          "      scenarios/a/one.scenario.json:40:5: expect.lambda['user-onboarding']: "),
	              "%s", buf);
	ck_assert_msg(strstr(buf, "      path taken: Set Variables -> No Action\n"), "%s", buf);
	ck_assert_msg(strstr(buf, "ERROR scenarios/b.scenario.json  b.scenario.json (0 ms)\n"
	                          "      scenarios/b.scenario.json:1:2: missing required member 'expect'\n"),
	              "%s", buf);
	ck_assert_msg(strstr(buf, "\n3 scenarios: 1 passed, 1 failed, 1 error (1.250 s)\n"), "%s", buf);
	ck_assert_ptr_null(strchr(buf, '\033'));
	free(buf);
}
END_TEST

START_TEST(console_colours_should_respect_no_color)
{
	setenv("NO_COLOR", "1", 1);
	ck_assert_int_eq(report_color_default(stdout), 0);
	unsetenv("NO_COLOR");
	FILE *f = tmpfile();
	ck_assert_int_eq(report_color_default(f), 0); /* not a terminal */
	fclose(f);
}
END_TEST

Suite *suite_reports_console(void)
{
	Suite *s = suite_create("reports/console");
	TCase *tc = tcase_create("console");
	tcase_add_checked_fixture(tc, results_setup, results_teardown);
	tcase_add_test(tc, console_should_print_a_line_per_scenario_and_a_summary);
	tcase_add_test(tc, console_colours_should_respect_no_color);
	suite_add_tcase(s, tc);
	return s;
}
