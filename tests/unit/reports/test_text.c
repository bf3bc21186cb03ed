/* test_text.c - the failure text every report shows. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"
#include "tests/suites.h"
#include "tests/unit/reports/results_fixture.h"

START_TEST(failure_text_should_show_where_what_expected_actual_and_path)
{
	sb t = SB_INIT;
	report_failure_text(&rs[1], &t);
	ck_assert_str_eq(sb_str(&t), "scenarios/a/one.scenario.json:40:5: expect.lambda['user-onboarding']: expected 1 "
	                             "invocation of user-onboarding, got 0\n"
	                             "    expected: [{\"userId\":\"u<1>\"}]\n"
	                             "    actual:   []\n"
	                             "execution: SUCCEEDED\n"
	                             "path taken: Set Variables -> No Action\n");
	sb_clear(&t);
	report_failure_text(&rs[0], &t);
	ck_assert_str_eq(sb_str(&t), "");
	sb_free(&t);
}
END_TEST

START_TEST(path_text_should_join_state_names)
{
	sb t = SB_INIT;
	report_path_text(NULL, &t);
	ck_assert_str_eq(sb_str(&t), "(none)");
	sb_clear(&t);
	cJSON *p = cJSON_Parse("[\"A\", \"B\"]");
	report_path_text(p, &t);
	ck_assert_str_eq(sb_str(&t), "A -> B");
	cJSON_Delete(p);
	sb_free(&t);
}
END_TEST

Suite *suite_reports_text(void)
{
	Suite *s = suite_create("reports/text");
	TCase *tc = tcase_create("text");
	tcase_add_checked_fixture(tc, results_setup, results_teardown);
	tcase_add_test(tc, failure_text_should_show_where_what_expected_actual_and_path);
	tcase_add_test(tc, path_text_should_join_state_names);
	suite_add_tcase(s, tc);
	return s;
}
