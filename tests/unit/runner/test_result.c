/* test_result.c - results to JSON and back (how workers hand results over). */
#include <check.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "runner/match.h"
#include "runner/run.h"
#include "tests/suites.h"

START_TEST(result_json_should_round_trip)
{
	runner_result r = {0};
	r.file = mem_strdup("a.scenario.json");
	r.name = mem_strdup("n");
	r.state_machine = mem_strdup("a.asl.json");
	r.index = 7;
	r.outcome = RUNNER_FAIL;
	r.seconds = 0.25;
	r.status = mem_strdup("FAILED");
	r.exec_error = mem_strdup("E");
	r.exec_cause = mem_strdup("c");
	r.path = cJSON_Parse("[\"A\"]");
	r.history = cJSON_Parse("[{\"id\": 1, \"type\": \"ExecutionStarted\"}]");
	r.world = cJSON_Parse("{\"sqs\": {}}");
	cJSON *e = cJSON_CreateNumber(1), *a = cJSON_CreateNumber(2);
	runner_mismatch_add(&r.mm, "expect.output", "values differ", e, a, NULL, NULL);
	r.mm.v[0].line = 3;
	r.mm.v[0].col = 4;
	cJSON *j = runner_result_json(&r);
	cJSON *sent = cJSON_Duplicate(j, 1); /* from_json moves the trees out of what it reads */
	runner_result back;
	ck_assert_int_eq(runner_result_from_json(sent, &back), 0);
	ck_assert_ptr_null(cJSON_GetObjectItem(sent, "history"));
	cJSON_Delete(sent);
	cJSON *j2 = runner_result_json(&back);
	ck_assert(cj_equal(j, j2));
	ck_assert_int_eq(back.index, 7);
	ck_assert_int_eq(back.outcome, RUNNER_FAIL);
	ck_assert_str_eq(back.mm.v[0].expected, "1");
	ck_assert_int_eq(back.mm.v[0].col, 4);
	cJSON_Delete(j2);
	cJSON_Delete(j);
	cJSON_Delete(e);
	cJSON_Delete(a);
	runner_result_clear(&back);
	runner_result_clear(&r);
	cJSON *bad = cJSON_Parse("{\"file\": \"f\", \"name\": \"n\", \"outcome\": \"maybe\"}");
	ck_assert_int_eq(runner_result_from_json(bad, &back), -1);
	cJSON_Delete(bad);
}
END_TEST

Suite *suite_runner_result(void)
{
	Suite *s = suite_create("runner/result");
	TCase *tc = tcase_create("result");
	tcase_add_test(tc, result_json_should_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
