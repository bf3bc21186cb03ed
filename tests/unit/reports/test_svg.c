/* test_svg.c - the state machine drawing: the path taken, the failing state, the transitions taken. */
#include <check.h>
#include <string.h>

#include "common/mem.h"
#include "reports/report.h"
#include "tests/suites.h"

/* Three states in a row, B a Map around an inner state I. */
static const char *layout_text =
	"{\"width\": 300, \"height\": 300, \"start\": \"A\", \"states\": ["
	"{\"name\": \"A\", \"type\": \"Pass\", \"x\": 10, \"y\": 20, \"w\": 100, \"h\": 40, \"scope\": 0},"
	"{\"name\": \"B\", \"type\": \"Map\", \"x\": 10, \"y\": 100, \"w\": 140, \"h\": 90, \"container\": true, \"scope\": 0},"
	"{\"name\": \"C <&>\", \"type\": \"Fail\", \"x\": 10, \"y\": 230, \"w\": 100, \"h\": 40, \"scope\": 0},"
	"{\"name\": \"I\", \"type\": \"Task\", \"x\": 20, \"y\": 130, \"w\": 100, \"h\": 40, \"scope\": 1}],"
	"\"edges\": [{\"from\": \"A\", \"to\": \"B\", \"kind\": \"next\", \"label\": \"\", \"d\": \"M1,1 L2,2\", \"lx\": 0, \"ly\": 0},"
	"{\"from\": \"B\", \"to\": \"C <&>\", \"kind\": \"catch\", \"label\": \"catch States.ALL\", \"d\": \"M3,3 L4,4\", "
	"\"lx\": 5, \"ly\": 6}]}";

START_TEST(svg_should_mark_the_path_the_failing_state_and_the_transitions_taken)
{
	cJSON *layout = cJSON_Parse(layout_text);
	char failed[] = "FAILED";
	runner_result r = {0};
	r.status = failed;
	r.path = cJSON_Parse("[\"A\", \"B\", \"I\", \"I\", \"C <&>\"]");
	sb out = SB_INIT;
	report_svg(layout, &r, &out);
	const char *s = sb_str(&out);
	ck_assert_msg(strstr(s, "<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 300\""), "%s", s);
	ck_assert_msg(strstr(s, "<g class=\"state Pass hit\" data-name=\"A\">"), "%s", s);
	ck_assert_msg(strstr(s, "<g class=\"state Map container hit\" data-name=\"B\">"), "%s", s);
	ck_assert_msg(strstr(s, "<g class=\"state Fail hit failed\" data-name=\"C &lt;&amp;&gt;\">"), "%s", s);
	ck_assert_msg(strstr(s, "<g class=\"state Task hit\" data-name=\"I\">"), "%s", s);
	ck_assert_msg(strstr(s, "<path class=\"edge next hit\" d=\"M1,1 L2,2\""), "%s", s);
	/* B -> C is taken even though the Map's iterations come between them */
	ck_assert_msg(strstr(s, "<path class=\"edge catch hit\" d=\"M3,3 L4,4\""), "%s", s);
	ck_assert_msg(strstr(s, "<text class=\"elabel\" x=\"5.0\" y=\"6.0\">catch States.ALL</text>"), "%s", s);
	sb_clear(&out);
	/* nothing ran: no state is marked */
	report_svg(layout, NULL, &out);
	ck_assert_ptr_null(strstr(sb_str(&out), " hit"));
	ck_assert_ptr_null(strstr(sb_str(&out), "failed"));
	sb_free(&out);
	cJSON_Delete(r.path);
	cJSON_Delete(layout);
}
END_TEST

START_TEST(svg_should_not_take_a_transition_the_path_skipped)
{
	cJSON *layout = cJSON_Parse(layout_text);
	char succeeded[] = "SUCCEEDED";
	runner_result r = {0};
	r.status = succeeded;
	r.path = cJSON_Parse("[\"A\", \"B\", \"A\", \"C <&>\"]");
	sb out = SB_INIT;
	report_svg(layout, &r, &out);
	ck_assert_ptr_null(strstr(sb_str(&out), "edge catch hit"));
	ck_assert_ptr_null(strstr(sb_str(&out), "failed"));
	sb_free(&out);
	cJSON_Delete(r.path);
	cJSON_Delete(layout);
}
END_TEST

Suite *suite_reports_svg(void)
{
	Suite *s = suite_create("reports/svg");
	TCase *tc = tcase_create("svg");
	tcase_add_test(tc, svg_should_mark_the_path_the_failing_state_and_the_transitions_taken);
	tcase_add_test(tc, svg_should_not_take_a_transition_the_path_skipped);
	suite_add_tcase(s, tc);
	return s;
}
