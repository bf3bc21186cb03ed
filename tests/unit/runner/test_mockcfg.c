/* test_mockcfg.c - answers of mocked states; Step Functions Local mock files as suites. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "common/cj.h"
#include "common/mem.h"
#include "runner/mockcfg.h"
#include "runner/scenario.h"
#include "tests/suites.h"

/* The answer to invocation n as "R:<json>" or "T:<error>:<cause>". */
static char *answer(const char *answers, int n)
{
	cJSON *a = cJSON_Parse(answers);
	cJSON *res = NULL;
	char *err = NULL, *cause = NULL;
	runner_mock_answer(a, "S", n, &res, &err, &cause);
	sb out = SB_INIT;
	if (res) {
		char *t = cj_print(res);
		sb_printf(&out, "R:%s", t);
		mem_free(t);
	} else {
		sb_printf(&out, "T:%s:%s", err, cause);
	}
	cJSON_Delete(res);
	mem_free(err);
	mem_free(cause);
	cJSON_Delete(a);
	return sb_steal(&out);
}

#define ANSWER_IS(answers, n, want)                                                                            \
	do {                                                                                                       \
		char *got_ = answer(answers, n);                                                                       \
		ck_assert_str_eq(got_, want);                                                                          \
		mem_free(got_);                                                                                        \
	} while (0)

START_TEST(mock_answers_should_follow_each_form)
{
	ANSWER_IS("{\"Return\": {\"a\": 1}}", 5, "R:{\"a\":1}");
	ANSWER_IS("{\"Throw\": {\"Error\": \"E\", \"Cause\": \"c\"}}", 0, "T:E:c");
	ANSWER_IS("[{\"Throw\": {\"Error\": \"E\", \"Cause\": \"c\"}}, {\"Return\": 2}]", 0, "T:E:c");
	ANSWER_IS("[{\"Throw\": {\"Error\": \"E\", \"Cause\": \"c\"}}, {\"Return\": 2}]", 1, "R:2");
	ANSWER_IS("[{\"Throw\": {\"Error\": \"E\", \"Cause\": \"c\"}}, {\"Return\": 2}]", 7, "R:2");
	ANSWER_IS("{\"0\": {\"Return\": 0}, \"1-2\": {\"Return\": 12}}", 2, "R:12");
	ANSWER_IS("{\"0\": {\"Return\": 0}, \"1-2\": {\"Return\": 12}}", 3,
	          "T:States.Runtime:stepbench: no mocked response for invocation 3 of state 'S'");
}
END_TEST

START_TEST(mock_config_should_become_a_suite_with_a_scenario_per_test_case)
{
	char path[] = "/tmp/stepbench-mockcfg-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	const char *cfg = "{\"StateMachines\": {\"Orders\": {\"TestCases\": {\"Happy\": {\"Charge\": \"ok\"},\n"
	                  "  \"Declined\": {\"Charge\": \"declined\", \"Ship\": \"nope\"}}}},\n"
	                  " \"MockedResponses\": {\"ok\": {\"0\": {\"Return\": {\"StatusCode\": 200}}},\n"
	                  "  \"declined\": {\"0-2\": {\"Throw\": {\"Error\": \"PaymentDeclined\", \"Cause\": \"no\"}}}}}";
	ck_assert_int_eq(write(fd, cfg, strlen(cfg)), (int)strlen(cfg));
	close(fd);
	const char *machines[] = {"Orders=tests/data/runner/retry-catch.asl.json"};
	sb err = SB_INIT;
	char *suite = runner_mockcfg_suite(path, machines, 1, NULL, &err);
	ck_assert_ptr_null(suite);
	/* the unknown response is reported where it is named */
	char want[256];
	snprintf(want, sizeof want, "%s:2:46: no mocked response named nope in MockedResponses\n", path);
	ck_assert_str_eq(sb_str(&err), want);
	sb_clear(&err);

	fd = open(path, O_WRONLY | O_TRUNC);
	const char *cfg2 = "{\"StateMachines\": {\"Orders\": {\"TestCases\": {\"Happy\": {\"Charge\": \"ok\"},\n"
	                   "  \"Declined\": {\"Charge\": \"declined\"}}}},\n"
	                   " \"MockedResponses\": {\"ok\": {\"0\": {\"Return\": {\"StatusCode\": 200}}},\n"
	                   "  \"declined\": {\"0-2\": {\"Throw\": {\"Error\": \"PaymentDeclined\", \"Cause\": \"no\"}}}}}";
	ck_assert_int_eq(write(fd, cfg2, strlen(cfg2)), (int)strlen(cfg2));
	close(fd);
	cJSON *input = cJSON_Parse("{\"order\": 1}");
	suite = runner_mockcfg_suite(path, machines, 1, input, &err);
	ck_assert_msg(suite != NULL, "%s", sb_str(&err));
	runner_file *f = runner_file_parse(suite, strlen(suite), path, &err);
	ck_assert_msg(f != NULL, "%s", sb_str(&err));
	ck_assert_int_eq(f->n, 2);
	ck_assert_str_eq(f->v[0].name, "Orders: Happy");
	ck_assert_str_eq(f->v[1].name, "Orders: Declined");
	ck_assert_ptr_nonnull(strstr(f->v[0].state_machine, "/tests/data/runner/retry-catch.asl.json"));
	ck_assert_int_eq(cJSON_GetObjectItem(f->v[1].input, "order")->valueint, 1);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(runner_scenario_mock(&f->v[1], "Charge"), "0-2"));
	runner_file_free(f);
	mem_free(suite);
	cJSON_Delete(input);
	unlink(path);
	sb_free(&err);
}
END_TEST

Suite *suite_runner_mockcfg(void)
{
	Suite *s = suite_create("runner/mockcfg");
	TCase *tc = tcase_create("mockcfg");
	tcase_add_test(tc, mock_answers_should_follow_each_form);
	tcase_add_test(tc, mock_config_should_become_a_suite_with_a_scenario_per_test_case);
	suite_add_tcase(s, tc);
	return s;
}
