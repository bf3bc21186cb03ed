/* test_html.c - the HTML report is one self-contained page with every scenario's details. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"
#include "tests/suites.h"
#include "tests/unit/reports/results_fixture.h"

START_TEST(html_should_be_self_contained_with_a_section_per_scenario)
{
	cJSON *cov = cJSON_Parse("[{\"stateMachine\": \"a.asl.json\", \"percent\": 75, \"states\": {\"covered\": 3, "
	                         "\"total\": 4}, \"missing\": [\"state 'X'\"]}]");
	cJSON *layouts = cJSON_Parse("{\"a.asl.json\": {\"width\": 100, \"height\": 80, \"states\": [{\"name\": \"Set "
	                             "Variables\", \"type\": \"Pass\", \"x\": 1, \"y\": 2, \"w\": 50, \"h\": 40}], "
	                             "\"edges\": []}}");
	mem_free(rs[1].state_machine);
	rs[1].state_machine = mem_strdup("a.asl.json");
	sb out = SB_INIT;
	report_html(rs, 3, 1.5, cov, layouts, &out);
	const char *h = sb_str(&out);
	ck_assert(!strncmp(h, "<!DOCTYPE html>", 15));
	ck_assert_msg(strstr(h, "3 scenarios: 1 passed, 1 failed, 1 error (1.500 s)"), "summary");
	ck_assert_ptr_null(strstr(h, "src=\"http"));
	ck_assert_ptr_null(strstr(h, "href=\"http"));
	ck_assert_msg(strstr(h, "<article class=\"pass\" id=\"s0\">"), "pass section");
	ck_assert_msg(strstr(h, "<article class=\"fail open\" id=\"s1\">"), "a failure is open");
	ck_assert_msg(strstr(h, "fails &amp; &quot;says&quot; why"), "escaped name");
	ck_assert_msg(strstr(h, "<g class=\"state Pass hit\" data-name=\"Set Variables\">"), "graph with the path");
	ck_assert_msg(strstr(h, "expected 1 invocation of user-onboarding, got 0"), "diff");
	ck_assert_msg(strstr(h, "<td class=\"num\">75.0%</td><td>state &apos;X&apos;</td>"), "coverage");
	ck_assert_msg(strstr(h, "setAttribute('data-ready','yes')"), "ready marker");
	ck_assert(!strcmp(h + strlen(h) - 15, "</body></html>\n"));
	sb_free(&out);
	cJSON_Delete(cov);
	cJSON_Delete(layouts);
}
END_TEST

START_TEST(json_report_should_summarize_and_hold_every_result)
{
	sb out = SB_INIT;
	report_json(rs, 3, 2.0, NULL, &out);
	cJSON *j = cJSON_Parse(sb_str(&out));
	ck_assert_ptr_nonnull(j);
	cJSON *s = cJSON_GetObjectItem(j, "summary");
	ck_assert_int_eq(cJSON_GetObjectItem(s, "total")->valueint, 3);
	ck_assert_int_eq(cJSON_GetObjectItem(s, "failed")->valueint, 1);
	ck_assert_int_eq(cJSON_GetObjectItem(s, "errors")->valueint, 1);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "results")), 3);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "results"), 1),
	                                                          "outcome")),
	                 "failed");
	ck_assert(cJSON_IsArray(cJSON_GetObjectItem(j, "coverage")));
	cJSON_Delete(j);
	sb_free(&out);
}
END_TEST

Suite *suite_reports_html(void)
{
	Suite *s = suite_create("reports/html");
	TCase *tc = tcase_create("html");
	tcase_add_checked_fixture(tc, results_setup, results_teardown);
	tcase_add_test(tc, html_should_be_self_contained_with_a_section_per_scenario);
	tcase_add_test(tc, json_report_should_summarize_and_hold_every_result);
	suite_add_tcase(s, tc);
	return s;
}
