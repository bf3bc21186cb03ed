/* test_permcheck.c - declared roles against the calls made; policies narrowed by scenarios. */
#include <check.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "runner/permcheck.h"
#include "runner/policy.h"
#include "runner/run.h"
#include "tests/suites.h"

#define TABLE "arn:aws:dynamodb:us-east-1:000000000000:table/User"
#define QUEUE "arn:aws:sqs:us-east-1:000000000000:q"

/* A result that ran as role (JSON {name, policies, expectsError?}) and made calls (JSON). */
static void result_of(runner_result *r, const char *name, const char *role, const char *calls)
{
	memset(r, 0, sizeof *r);
	r->file = mem_strdup("f.scenario.json");
	r->name = mem_strdup(name);
	r->role = role ? cJSON_Parse(role) : NULL;
	r->calls = cJSON_Parse(calls);
	ck_assert_ptr_nonnull(r->calls);
}

static const char *messages(const cJSON *list, sb *out)
{
	const cJSON *x;
	cJSON_ArrayForEach(x, list) sb_printf(out, "%s\n", cj_str(x, "message"));
	return sb_str(out);
}

START_TEST(check_should_report_a_denied_call_as_missing_and_fail_unless_expected)
{
	runner_result v[2];
	const char *role = "{\"name\": \"r\", \"policies\": [{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": "
	                   "\"Allow\", \"Action\": \"dynamodb:PutItem\", \"Resource\": \"" TABLE "\"}]}]}";
	result_of(&v[0], "a", role,
	          "[{\"action\": \"dynamodb:PutItem\", \"resource\": \"" TABLE "\"},"
	          " {\"action\": \"sqs:SendMessage\", \"resource\": \"" QUEUE "\", \"denied\": true}]");
	result_of(&v[1], "b",
	          "{\"name\": \"r2\", \"expectsError\": true, \"policies\": []}",
	          "[{\"action\": \"sqs:SendMessage\", \"resource\": \"" QUEUE "\", \"denied\": true}]");
	size_t failing;
	cJSON *rep = runner_policy_check(v, 2, &failing);
	ck_assert_int_eq(failing, 1);
	ck_assert_int_eq(cJSON_GetArraySize(rep), 2);
	const cJSON *m = cj_arr(rep->child, "missing")->child;
	ck_assert_str_eq(cj_str(m, "action"), "sqs:SendMessage");
	ck_assert_str_eq(cj_str(m, "resource"), QUEUE);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(m, "expected")));
	ck_assert_int_eq(cJSON_GetArraySize(cj_arr(rep->child, "unused")), 0);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cj_arr(v[1].policy_check, "missing")->child, "expected")));
	ck_assert_int_eq(cJSON_GetArraySize(cj_arr(v[0].policy_check, "missing")), 1);
	cJSON_Delete(rep);
	runner_result_clear(&v[0]);
	runner_result_clear(&v[1]);
}
END_TEST

START_TEST(check_should_pool_the_calls_of_scenarios_sharing_a_role)
{
	runner_result v[2];
	const char *role = "{\"name\": \"r\", \"policies\": [{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": "
	                   "\"Allow\", \"Action\": [\"dynamodb:PutItem\", \"sqs:SendMessage\"], \"Resource\": [\"" TABLE
	                   "\", \"" QUEUE "\"]}]}]}";
	result_of(&v[0], "a", role, "[{\"action\": \"dynamodb:PutItem\", \"resource\": \"" TABLE "\"}]");
	result_of(&v[1], "b", role, "[{\"action\": \"sqs:SendMessage\", \"resource\": \"" QUEUE "\"}]");
	size_t failing;
	cJSON *rep = runner_policy_check(v, 2, &failing);
	ck_assert_int_eq(failing, 0);
	ck_assert_int_eq(cJSON_GetArraySize(rep), 1);
	ck_assert_int_eq(cJSON_GetArraySize(cj_arr(rep->child, "scenarios")), 2);
	ck_assert_int_eq(cJSON_GetArraySize(cj_arr(rep->child, "unused")), 0);
	ck_assert_int_eq(cJSON_GetArraySize(cj_arr(rep->child, "broad")), 0);
	cJSON_Delete(rep);
	runner_result_clear(&v[0]);
	runner_result_clear(&v[1]);
}
END_TEST

START_TEST(check_should_name_unused_and_broad_grants)
{
	runner_result v[2];
	result_of(&v[0], "a",
	          "{\"name\": \"r\", \"policies\": [{\"Version\": \"2012-10-17\", \"Statement\": ["
	          "{\"Effect\": \"Allow\", \"Action\": \"dynamodb:*\", \"Resource\": \"*\"},"
	          "{\"Effect\": \"Allow\", \"Action\": [\"dynamodb:GetItem\", \"sqs:SendMessage\"], \"Resource\": [\"" TABLE
	          "\", \"" QUEUE "\", \"arn:aws:sqs:us-east-1:000000000000:other\"]},"
	          "{\"Effect\": \"Allow\", \"NotAction\": \"iam:*\", \"Resource\": \"" TABLE "\"},"
	          "{\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}]}",
	          "[{\"action\": \"dynamodb:PutItem\", \"resource\": \"" TABLE "\"},"
	          " {\"action\": \"sqs:SendMessage\", \"resource\": \"" QUEUE "\"}]");
	result_of(&v[1], "no role", NULL, "[]");
	size_t failing;
	cJSON *rep = runner_policy_check(v, 2, &failing);
	ck_assert_int_eq(failing, 0);
	ck_assert_int_eq(cJSON_GetArraySize(rep), 1);
	sb u = SB_INIT, b = SB_INIT;
	const char *un = messages(cj_arr(rep->child, "unused"), &u);
	const char *br = messages(cj_arr(rep->child, "broad"), &b);
	ck_assert_msg(strstr(un, "dynamodb:GetItem is granted (on"), "%s", un);
	ck_assert_msg(strstr(un, "arn:aws:sqs:us-east-1:000000000000:other is granted but no scenario touched it"), "%s",
	              un);
	ck_assert_msg(!strstr(un, "sqs:SendMessage"), "%s", un);
	ck_assert_msg(!strstr(un, "s3:"), "a Deny is no grant: %s", un);
	ck_assert_msg(strstr(br, "the action dynamodb:* is a wildcard; the scenarios used only [\"dynamodb:PutItem\"]"),
	              "%s", br);
	ck_assert_msg(strstr(br, "the resource * is a wildcard; the scenarios touched only [\"" TABLE "\"]"), "%s", br);
	ck_assert_msg(strstr(br, "NotAction allows every action but the ones it lists"), "%s", br);
	ck_assert_ptr_null(v[1].policy_check);
	sb_free(&u);
	sb_free(&b);
	cJSON_Delete(rep);
	runner_result_clear(&v[0]);
	runner_result_clear(&v[1]);
}
END_TEST

START_TEST(policy_use_calls_should_narrow_wildcards_to_what_scenarios_touched)
{
	cJSON *def = cJSON_Parse(
		"{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{"
		"\"A\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::dynamodb:putItem\","
		"\"Arguments\":{\"TableName\":\"{% $states.input.t %}\",\"Item\":{}},\"Next\":\"B\"},"
		"\"B\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::lambda:invoke\","
		"\"Arguments\":{\"FunctionName\":\"{% $states.input.f %}\"},\"Next\":\"C\"},"
		"\"C\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sqs:sendMessage\","
		"\"Arguments\":{\"QueueUrl\":\"{% $states.input.q %}\",\"MessageBody\":\"x\"},\"End\":true}}}");
	policy_gen *g = policy_gen_new("000000000000", "us-east-1");
	ck_assert_int_eq(policy_gen_add_definition(g, def, "wf.asl.json"), 0);
	ck_assert_int_eq(cJSON_GetArraySize(policy_gen_warnings(g)), 3);
	cJSON *calls = cJSON_Parse("[{\"action\": \"dynamodb:PutItem\", \"resource\": \"" TABLE "\"},"
	                           " {\"action\": \"dynamodb:PutItem\", \"resource\": \"" TABLE "2\"},"
	                           " {\"action\": \"lambda:InvokeFunction\", \"resource\": "
	                           "\"arn:aws:lambda:us-east-1:000000000000:function:f\"},"
	                           " {\"action\": \"states:StartExecution\", \"resource\": \"arn:aws:states:x\"}]");
	policy_gen_use_calls(g, calls);
	cJSON *p = policy_gen_policy(g);
	char *text = cJSON_PrintUnformatted(cJSON_GetObjectItem(p, "Statement"));
	ck_assert_msg(strstr(text, "{\"Sid\":\"DynamoDB\",\"Effect\":\"Allow\",\"Action\":\"dynamodb:PutItem\","
	                           "\"Resource\":[\"" TABLE "\",\"" TABLE "2\"]}"),
	              "%s", text);
	ck_assert_msg(strstr(text, "\"Action\":\"lambda:InvokeFunction\",\"Resource\":"
	                           "\"arn:aws:lambda:us-east-1:000000000000:function:f\""),
	              "%s", text);
	ck_assert_msg(strstr(text, "\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:000000000000:*\""),
	              "%s", text);
	ck_assert_msg(strstr(text, "\"Action\":\"states:StartExecution\",\"Resource\":\"arn:aws:states:x\""), "%s", text);
	const cJSON *w = policy_gen_warnings(g);
	ck_assert_int_eq(cJSON_GetArraySize(w), 1);
	ck_assert_str_eq(w->child->valuestring, "wf.asl.json: state 'C': QueueUrl is computed at run time, so "
	                                        "sqs:SendMessage is granted on arn:aws:sqs:us-east-1:000000000000:* "
	                                        "(no scenario touched one)");
	cJSON *fns = policy_gen_functions(g);
	char *ft = cJSON_PrintUnformatted(fns);
	ck_assert_str_eq(ft, "[\"arn:aws:lambda:us-east-1:000000000000:function:f\"]");
	cJSON_free(ft);
	cJSON_Delete(fns);
	cJSON_free(text);
	cJSON_Delete(p);
	cJSON_Delete(calls);
	cJSON_Delete(def);
	policy_gen_free(g);
}
END_TEST

Suite *suite_runner_permcheck(void)
{
	Suite *s = suite_create("runner_permcheck");
	TCase *tc = tcase_create("permcheck");
	tcase_add_test(tc, check_should_report_a_denied_call_as_missing_and_fail_unless_expected);
	tcase_add_test(tc, check_should_pool_the_calls_of_scenarios_sharing_a_role);
	tcase_add_test(tc, check_should_name_unused_and_broad_grants);
	tcase_add_test(tc, policy_use_calls_should_narrow_wildcards_to_what_scenarios_touched);
	suite_add_tcase(s, tc);
	return s;
}
