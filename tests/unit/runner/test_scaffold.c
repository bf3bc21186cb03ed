/* test_scaffold.c - init's skeleton: given from the resources, a scenario per path. */
#include <check.h>
#include <string.h>

#include "common/cj.h"
#include "common/file.h"
#include "common/mem.h"
#include "runner/scaffold.h"
#include "runner/scenario.h"
#include "tests/suites.h"

static cJSON *load(const char *path)
{
	size_t len;
	char *t = file_read(path, 1u << 20, &len, NULL);
	ck_assert_ptr_nonnull(t);
	cJSON *d = cj_parse(t, len, NULL);
	mem_free(t);
	return d;
}

START_TEST(scaffold_should_create_the_resources_and_a_scenario_per_choice_path)
{
	cJSON *d = load("scenarios/user-onboarding/user-onboarding.asl.json");
	cJSON *s = runner_scaffold(d, "user-onboarding.asl.json", "user-onboarding");
	char *t = cj_print(cJSON_GetObjectItem(s, "given"));
	ck_assert_str_eq(t, "{\"dynamodb\":{\"tables\":[{\"TableName\":\"User\",\"KeySchema\":[{\"AttributeName\":\"PK\","
	                    "\"KeyType\":\"HASH\"},{\"AttributeName\":\"SK\",\"KeyType\":\"RANGE\"}],"
	                    "\"AttributeDefinitions\":[{\"AttributeName\":\"PK\",\"AttributeType\":\"S\"},"
	                    "{\"AttributeName\":\"SK\",\"AttributeType\":\"S\"}]}]},"
	                    "\"sqs\":{\"queues\":[{\"QueueName\":\"user-onboarding\"}]},"
	                    "\"lambda\":{\"functions\":[{\"FunctionName\":\"user-onboarding\",\"returns\":{}}]}}");
	mem_free(t);
	t = cj_print(cJSON_GetObjectItem(s, "scenarios"));
	ck_assert_str_eq(t, "[{\"name\":\"Has Referral Code? -> Process Referral\",\"input\":{},\"expect\":{}},"
	                    "{\"name\":\"Has Referral Code? -> No Action\",\"input\":{},\"expect\":{}}]");
	mem_free(t);
	/* the skeleton is a valid suite */
	char *text = cJSON_Print(s);
	sb err = SB_INIT;
	runner_file *f = runner_file_parse(text, strlen(text), "scenarios/user-onboarding/x.scenario.json", &err);
	ck_assert_msg(f != NULL, "%s", sb_str(&err));
	ck_assert_int_eq(f->n, 2);
	runner_file_free(f);
	sb_free(&err);
	cJSON_free(text);
	cJSON_Delete(s);
	cJSON_Delete(d);
}
END_TEST

START_TEST(scaffold_should_force_catch_paths_with_a_mocked_failure)
{
	cJSON *d = load("tests/data/runner/retry-catch.asl.json");
	cJSON *s = runner_scaffold(d, "retry-catch.asl.json", "rc");
	cJSON *list = cJSON_GetObjectItem(s, "scenarios");
	ck_assert_int_eq(cJSON_GetArraySize(list), 5);
	char *t = cj_print(list);
	ck_assert_str_eq(
		t, "[{\"name\":\"Check -> Done\",\"input\":{},\"expect\":{}},"
		   "{\"name\":\"Check -> Declined\",\"input\":{},\"expect\":{}},"
		   "{\"name\":\"Fan Out fails -> Broken\",\"description\":\"Make 'Fan Out' fail with an error its catcher "
		   "handles to take this path.\",\"input\":{},\"expect\":{}},"
		   "{\"name\":\"Charge fails -> Declined\",\"input\":{},\"mock\":{\"Charge\":{\"Throw\":{\"Error\":"
		   "\"PaymentDeclined\",\"Cause\":\"stepbench init: this failure leads the execution to the catcher\"}}},"
		   "\"expect\":{}},"
		   "{\"name\":\"Charge fails -> Broken\",\"input\":{},\"mock\":{\"Charge\":{\"Throw\":{\"Error\":"
		   "\"States.TaskFailed\",\"Cause\":\"stepbench init: this failure leads the execution to the catcher\"}}},"
		   "\"expect\":{}}]");
	mem_free(t);
	t = cj_print(cJSON_GetObjectItem(s, "given"));
	ck_assert_str_eq(t, "{\"lambda\":{\"functions\":[{\"FunctionName\":\"charge\",\"returns\":{}}]}}");
	mem_free(t);
	cJSON_Delete(s);
	cJSON_Delete(d);
}
END_TEST

Suite *suite_runner_scaffold(void)
{
	Suite *s = suite_create("runner/scaffold");
	TCase *tc = tcase_create("scaffold");
	tcase_add_test(tc, scaffold_should_create_the_resources_and_a_scenario_per_choice_path);
	tcase_add_test(tc, scaffold_should_force_catch_paths_with_a_mocked_failure);
	suite_add_tcase(s, tc);
	return s;
}
