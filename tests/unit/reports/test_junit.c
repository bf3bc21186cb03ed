/* test_junit.c - JUnit XML: structure, escaping, and validity against the Jenkins schema. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports/report.h"
#include "tests/suites.h"
#include "tests/unit/reports/results_fixture.h"

START_TEST(junit_should_hold_a_testsuite_per_file_and_a_testcase_per_scenario)
{
	sb x = SB_INIT;
	report_junit(rs, 3, 2.0, &x);
	const char *s = sb_str(&x);
	ck_assert_msg(strstr(s, "<testsuites name=\"stepbench\" tests=\"3\" failures=\"1\" errors=\"1\" time=\"2.000\">"),
	              "%s", s);
	ck_assert_msg(strstr(s, "<testsuite name=\"scenarios/a/one.scenario.json\" tests=\"2\" failures=\"1\" "
	                        "errors=\"0\" skipped=\"0\" time=\"1.512\""),
	              "%s", s);
	ck_assert_msg(strstr(s, "<testcase name=\"passes\" classname=\"scenarios.a.one\" time=\"0.012\"/>"), "%s", s);
	ck_assert_msg(strstr(s, "<testcase name=\"fails &amp; &quot;says&quot; why\""), "%s", s);
	ck_assert_msg(strstr(s, "<failure message=\"scenarios/a/one.scenario.json:40:5: "
	                        "expect.lambda[&apos;user-onboarding&apos;]: expected 1 invocation of user-onboarding, got 0\" "
	                        "type=\"ExpectationFailed\">"),
	              "%s", s);
	ck_assert_msg(strstr(s, "    expected: [{&quot;userId&quot;:&quot;u&lt;1&gt;&quot;}]\n    actual:   []\n"
	                        "execution: SUCCEEDED\npath taken: Set Variables -&gt; No Action\n</failure>"),
	              "%s", s);
	ck_assert_msg(strstr(s, "<testsuite name=\"scenarios/b.scenario.json\" tests=\"1\" failures=\"0\" errors=\"1\""),
	              "%s", s);
	ck_assert_msg(strstr(s, "<error message=\"scenarios/b.scenario.json:1:2: missing required member "
	                        "&apos;expect&apos;\" type=\"ScenarioError\">"),
	              "%s", s);
	sb_free(&x);
}
END_TEST

START_TEST(junit_should_validate_against_the_jenkins_schema)
{
	char path[] = "/tmp/stepbench-junit-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	sb err = SB_INIT;
	ck_assert_int_eq(report_junit_write(path, rs, 3, 2.0, &err), 0);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "xmllint --noout --schema tests/data/junit-10.xsd %s 2>/dev/null", path);
	ck_assert_int_eq(system(cmd), 0);
	/* the check itself can fail: a testcase without its name is refused */
	FILE *f = fopen(path, "w");
	fputs("<testsuites><testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\"><testcase/></testsuite>"
	      "</testsuites>\n",
	      f);
	fclose(f);
	ck_assert_int_ne(system(cmd), 0);
	unlink(path);
	sb_free(&err);
}
END_TEST

START_TEST(junit_of_no_results_should_be_an_empty_valid_report)
{
	sb x = SB_INIT;
	report_junit(NULL, 0, 0.0, &x);
	ck_assert_str_eq(sb_str(&x), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"stepbench\" "
	                             "tests=\"0\" failures=\"0\" errors=\"0\" time=\"0.000\">\n</testsuites>\n");
	sb_free(&x);
}
END_TEST

Suite *suite_reports_junit(void)
{
	Suite *s = suite_create("reports/junit");
	TCase *tc = tcase_create("junit");
	tcase_add_checked_fixture(tc, results_setup, results_teardown);
	tcase_add_test(tc, junit_should_hold_a_testsuite_per_file_and_a_testcase_per_scenario);
	tcase_add_test(tc, junit_should_validate_against_the_jenkins_schema);
	tcase_add_test(tc, junit_of_no_results_should_be_an_empty_valid_report);
	suite_add_tcase(s, tc);
	return s;
}
