/* test_policy.c - least-privilege policies generated from definitions. */
#include <check.h>
#include <string.h>

#include "common/cj.h"
#include "common/file.h"
#include "common/mem.h"
#include "runner/policy.h"
#include "tests/suites.h"

static cJSON *policy_of(const char *def_json, policy_gen **out)
{
	cJSON *def = cJSON_Parse(def_json);
	ck_assert_ptr_nonnull(def);
	policy_gen *g = policy_gen_new("000000000000", "us-east-1");
	ck_assert_int_eq(policy_gen_add_definition(g, def, "wf.asl.json"), 0);
	cJSON_Delete(def);
	cJSON *p = policy_gen_policy(g);
	if (out)
		*out = g;
	else
		policy_gen_free(g);
	return p;
}

static void statements_are(const cJSON *pol, const char *want_json)
{
	cJSON *want = cJSON_Parse(want_json);
	const cJSON *got = cJSON_GetObjectItem(pol, "Statement");
	char *g = cJSON_PrintUnformatted(got);
	ck_assert_msg(cj_equal(got, want), "statements: %s", g);
	cJSON_free(g);
	cJSON_Delete(want);
}

START_TEST(policy_for_the_onboarding_workflow_should_be_exactly_what_it_calls)
{
	size_t n;
	char *text = file_read("scenarios/user-onboarding/user-onboarding.asl.json", 1 << 20, &n, NULL);
	ck_assert_ptr_nonnull(text);
	policy_gen *g;
	cJSON *p = policy_of(text, &g);
	mem_free(text);
	ck_assert_str_eq(cj_str(p, "Version"), "2012-10-17");
	statements_are(p, "[{\"Sid\":\"DynamoDB\",\"Effect\":\"Allow\",\"Action\":\"dynamodb:PutItem\","
	                  "\"Resource\":\"arn:aws:dynamodb:us-east-1:000000000000:table/User\"},"
	                  "{\"Sid\":\"SQS\",\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\","
	                  "\"Resource\":\"arn:aws:sqs:us-east-1:000000000000:user-onboarding\"},"
	                  "{\"Sid\":\"Lambda\",\"Effect\":\"Allow\",\"Action\":\"lambda:InvokeFunction\","
	                  "\"Resource\":\"arn:aws:lambda:us-east-1:000000000000:function:user-onboarding\"}]");
	ck_assert_int_eq(cJSON_GetArraySize(policy_gen_warnings(g)), 0);
	cJSON *fns = policy_gen_functions(g);
	ck_assert_int_eq(cJSON_GetArraySize(fns), 1);
	ck_assert_str_eq(fns->child->valuestring, "arn:aws:lambda:us-east-1:000000000000:function:user-onboarding");
	cJSON_Delete(fns);
	cJSON_Delete(p);
	policy_gen_free(g);
}
END_TEST

START_TEST(policy_should_wildcard_resources_computed_at_run_time_and_say_so)
{
	policy_gen *g;
	cJSON *p = policy_of(
		"{\"StartAt\":\"A\",\"States\":{"
		"\"A\":{\"Type\":\"Task\",\"QueryLanguage\":\"JSONata\",\"Resource\":\"arn:aws:states:::dynamodb:getItem\","
		"\"Arguments\":{\"TableName\":\"{% $states.input.table %}\",\"Key\":{}},\"Next\":\"B\"},"
		"\"B\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::dynamodb:putItem\","
		"\"Parameters\":{\"TableName.$\":\"$.table\",\"Item\":{}},\"End\":true}}}",
		&g);
	statements_are(p, "[{\"Sid\":\"DynamoDB\",\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\",\"dynamodb:PutItem\"],"
	                  "\"Resource\":\"arn:aws:dynamodb:us-east-1:000000000000:table/*\"}]");
	const cJSON *w = policy_gen_warnings(g);
	ck_assert_int_eq(cJSON_GetArraySize(w), 2);
	ck_assert_str_eq(w->child->valuestring, "wf.asl.json: state 'A': TableName is computed at run time, so "
	                                        "dynamodb:GetItem is granted on "
	                                        "arn:aws:dynamodb:us-east-1:000000000000:table/*");
	cJSON_Delete(p);
	policy_gen_free(g);
}
END_TEST

START_TEST(policy_should_find_tasks_in_branches_and_item_processors)
{
	cJSON *p = policy_of(
		"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"End\":true,\"Branches\":[{\"StartAt\":\"Q\","
		"\"States\":{\"Q\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::aws-sdk:dynamodb:query\","
		"\"Parameters\":{\"TableName\":\"Orders\",\"IndexName\":\"byCustomer\"},\"End\":true}}},"
		"{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"End\":true,\"ItemProcessor\":{\"StartAt\":\"L\","
		"\"States\":{\"L\":{\"Type\":\"Task\",\"Resource\":"
		"\"arn:aws:lambda:us-east-1:000000000000:function:enrich\",\"End\":true}}}}}}]}}}",
		NULL);
	statements_are(p, "[{\"Sid\":\"DynamoDB\",\"Effect\":\"Allow\",\"Action\":\"dynamodb:Query\",\"Resource\":"
	                  "\"arn:aws:dynamodb:us-east-1:000000000000:table/Orders/index/byCustomer\"},"
	                  "{\"Sid\":\"Lambda\",\"Effect\":\"Allow\",\"Action\":\"lambda:InvokeFunction\","
	                  "\"Resource\":\"arn:aws:lambda:us-east-1:000000000000:function:enrich\"}]");
	cJSON_Delete(p);
}
END_TEST

START_TEST(policy_task_call_should_map_every_resource_form)
{
	char svc[64], op[128], fn[512];
	ck_assert_int_eq(policy_task_call("arn:aws:states:::sqs:sendMessage.waitForTaskToken", svc, op, fn), 0);
	ck_assert_str_eq(svc, "sqs");
	ck_assert_str_eq(op, "SendMessage");
	ck_assert_int_eq(policy_task_call("arn:aws:states:::aws-sdk:sfn:startExecution", svc, op, fn), 0);
	ck_assert_str_eq(svc, "states");
	ck_assert_str_eq(op, "StartExecution");
	ck_assert_int_eq(policy_task_call("arn:aws:lambda:eu-west-1:111111111111:function:f:live", svc, op, fn), 0);
	ck_assert_str_eq(op, "Invoke");
	ck_assert_str_eq(fn, "arn:aws:lambda:eu-west-1:111111111111:function:f:live");
	ck_assert_int_eq(policy_task_call("arn:aws:states:us-east-1:000000000000:activity:a", svc, op, fn), -1);
}
END_TEST

Suite *suite_policy(void)
{
	Suite *s = suite_create("runner/policy");
	TCase *tc = tcase_create("policy");
	tcase_add_test(tc, policy_for_the_onboarding_workflow_should_be_exactly_what_it_calls);
	tcase_add_test(tc, policy_should_wildcard_resources_computed_at_run_time_and_say_so);
	tcase_add_test(tc, policy_should_find_tasks_in_branches_and_item_processors);
	tcase_add_test(tc, policy_task_call_should_map_every_resource_form);
	suite_add_tcase(s, tc);
	return s;
}
