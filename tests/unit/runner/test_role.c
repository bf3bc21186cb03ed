/* test_role.c - execution roles in scenarios: loading, validation, enforcement, recording. */
#include <check.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "runner/run.h"
#include "runner/scenario.h"
#include "runner/tap.h"
#include "tests/suites.h"

/* Runs from the repository root (make test). */
#define FILE_NAME "tests/data/runner/t.scenario.json"
#define ONBOARDING "../../../scenarios/user-onboarding/user-onboarding.asl.json"

static runner_file *load(const char *text)
{
	sb err = SB_INIT;
	runner_file *f = runner_file_parse(text, strlen(text), FILE_NAME, &err);
	ck_assert_msg(f != NULL, "%s", sb_str(&err));
	sb_free(&err);
	return f;
}

static char *problems(const char *text)
{
	sb err = SB_INIT;
	runner_file *f = runner_file_parse(text, strlen(text), FILE_NAME, &err);
	ck_assert_msg(f == NULL, "loaded a file that has problems");
	return sb_steal(&err);
}

START_TEST(role_should_be_shared_by_a_suite_and_replaced_or_removed_by_a_scenario)
{
	runner_file *f = load("{\"stateMachine\": \"minimal.asl.json\",\n"
	                      " \"role\": {\"name\": \"suite-role\", \"policies\": [{\"Version\": \"2012-10-17\", \"Statement\":"
	                      " [{\"Effect\": \"Allow\", \"Action\": \"sqs:*\", \"Resource\": \"*\"}]}]},\n"
	                      " \"scenarios\": [{\"name\": \"a\", \"expect\": {}},\n"
	                      "  {\"name\": \"b\", \"role\": \"roles/two.policy.json\", \"expect\": {}},\n"
	                      "  {\"name\": \"c\", \"role\": null, \"expect\": {}}]}");
	ck_assert_int_eq(f->n, 3);
	ck_assert_int_eq(f->v[0].role.declared, 1);
	ck_assert_str_eq(f->v[0].role.name, "suite-role");
	ck_assert_int_eq(f->v[0].role.policies.n, 1);
	ck_assert_int_eq(f->v[1].role.declared, 1);
	ck_assert_str_eq(f->v[1].role.name, RUNNER_DEFAULT_ROLE);
	ck_assert_int_eq(f->v[1].role.policies.n, 2); /* the file holds a list */
	ck_assert_str_eq(cj_str(f->v[1].role.policies.v[1]->child->next->child, "Action"), "sqs:SendMessage");
	ck_assert_int_eq(f->v[2].role.declared, 0);
	runner_file_free(f);
}
END_TEST

START_TEST(role_without_any_should_declare_nothing)
{
	runner_file *f = load("{\"name\": \"n\", \"stateMachine\": \"minimal.asl.json\", \"expect\": {}}");
	ck_assert_int_eq(f->v[0].role.declared, 0);
	runner_file_free(f);
}
END_TEST

START_TEST(role_should_report_invalid_policies_at_the_statement)
{
	char *p = problems("{\"name\": \"n\", \"stateMachine\": \"minimal.asl.json\", \"expect\": {},\n"
	                   " \"role\": {\"name\": \"no spaces\", \"policies\": [\n"
	                   "  {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Permit\", \"Action\": \"s3:*\","
	                   " \"Resource\": \"*\"}]},\n"
	                   "  {\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Resource\": \"*\"}},\n"
	                   "  \"roles/bad.policy.json\", \"roles/none.json\", 7]}}");
	ck_assert_msg(strstr(p, FILE_NAME ":2:19: role.name must be 1 to 64"), "%s", p);
	ck_assert_msg(strstr(p, FILE_NAME ":3:43: role.policies[0].Statement[0]: invalid policy: Invalid effect: Permit"),
	              "%s", p);
	ck_assert_msg(strstr(p, FILE_NAME ":4:42: role.policies[1].Statement: invalid policy: Policy statement must "
	                        "contain actions."),
	              "%s", p);
	ck_assert_msg(strstr(p, "tests/data/runner/roles/bad.policy.json:4:4: role.policies[2] ('roles/bad.policy.json')."
	                        "Statement[1]: invalid policy: Policy statement must contain actions."),
	              "%s", p);
	ck_assert_msg(strstr(p, FILE_NAME ":5:28: role: cannot use the policy file 'tests/data/runner/roles/none.json'"),
	              "%s", p);
	ck_assert_msg(strstr(p, "role.policies[4] must be a policy document (an object), not number"), "%s", p);
	mem_free(p);
}
END_TEST

START_TEST(role_and_permissions_should_be_checked_as_members)
{
	char *p = problems("{\"name\": \"n\", \"stateMachine\": \"minimal.asl.json\", \"expect\": {},\n"
	                   " \"role\": {\"polices\": []},\n"
	                   " \"given\": {\"lambda\": {\"functions\": [{\"FunctionName\": \"f\", \"returns\": 1,"
	                   " \"permissions\": [{\"StatementId\": \"s\", \"Action\": \"lambda:InvokeFunction\"}]}]}}}");
	ck_assert_msg(strstr(p, "unknown member 'polices' in role (did you mean 'policies'?)"), "%s", p);
	ck_assert_msg(strstr(p, "missing required member 'policies' in role"), "%s", p);
	ck_assert_msg(strstr(p, "missing required member 'Principal' in given.lambda.functions[0].permissions[0]"), "%s",
	              p);
	mem_free(p);
	p = problems("{\"name\": \"n\", \"stateMachine\": \"minimal.asl.json\", \"expect\": {}, \"role\": 3}");
	ck_assert_msg(strstr(p, "role must be a string or null or an object, not number"), "%s", p);
	mem_free(p);
}
END_TEST

/* The user-onboarding workflow as a role r allows, with a referral code. */
static void run_onboarding(const char *role, runner_result *r)
{
	sb t = SB_INIT;
	sb_printf(&t,
	          "{\"name\": \"n\", \"stateMachine\": \"" ONBOARDING "\", %s\n"
	          " \"given\": {\"dynamodb\": {\"tables\": [{\"TableName\": \"User\", \"KeySchema\": [{\"AttributeName\":"
	          " \"PK\", \"KeyType\": \"HASH\"}], \"AttributeDefinitions\": [{\"AttributeName\": \"PK\","
	          " \"AttributeType\": \"S\"}]}]},\n"
	          "  \"sqs\": {\"queues\": [{\"QueueName\": \"user-onboarding\"}]},\n"
	          "  \"lambda\": {\"functions\": [{\"FunctionName\": \"user-onboarding\", \"returns\": 1}]}},\n"
	          " \"input\": {\"user\": {\"userId\": \"u\", \"email\": \"e\", \"name\": \"m\", \"signupDate\": \"d\","
	          " \"source\": \"s\", \"metadata\": {\"referralCode\": \"R\", \"country\": \"US\"}}},\n"
	          " \"expect\": {}}",
	          role);
	runner_file *f = load(sb_str(&t));
	runner_ctx *c = runner_ctx_new();
	runner_run(c, &f->v[0], r);
	runner_ctx_free(c);
	runner_file_free(f);
	sb_free(&t);
}

static const cJSON *call_of(const runner_result *r, const char *action)
{
	const cJSON *x;
	cJSON_ArrayForEach(x, r->calls) if (!strcmp(cj_str(x, "action"), action)) return x;
	return NULL;
}

START_TEST(run_without_a_role_should_enforce_nothing_and_record_the_calls)
{
	runner_result r = {0};
	run_onboarding("", &r);
	ck_assert_msg(r.outcome == RUNNER_PASS, "%s", r.error ? r.error : "");
	ck_assert_str_eq(r.status, "SUCCEEDED");
	ck_assert_ptr_null(r.role);
	ck_assert_int_eq(cJSON_GetArraySize(r.calls), 3);
	ck_assert_str_eq(cj_str(call_of(&r, "dynamodb:PutItem"), "resource"),
	                 "arn:aws:dynamodb:us-east-1:000000000000:table/User");
	ck_assert_str_eq(cj_str(call_of(&r, "sqs:SendMessage"), "resource"),
	                 "arn:aws:sqs:us-east-1:000000000000:user-onboarding");
	ck_assert_ptr_nonnull(call_of(&r, "lambda:InvokeFunction"));
	ck_assert_ptr_null(cJSON_GetObjectItem(call_of(&r, "sqs:SendMessage"), "denied"));
	runner_result_clear(&r);
}
END_TEST

START_TEST(run_with_a_role_should_fail_the_task_it_does_not_allow_as_aws_does)
{
	runner_result r = {0};
	run_onboarding("\"role\": {\"name\": \"ddb-only\", \"policies\": [{\"Version\": \"2012-10-17\", \"Statement\": "
	               "[{\"Effect\": \"Allow\", \"Action\": \"dynamodb:PutItem\", \"Resource\": \"*\"}]}]},",
	               &r);
	ck_assert_str_eq(r.status, "FAILED");
	ck_assert_str_eq(r.exec_error, "SQS.AmazonSQSException");
	/* the session: 32 letters, as Step Functions names it */
	const char *pre = "User: arn:aws:sts::000000000000:assumed-role/ddb-only/";
	ck_assert_msg(!strncmp(r.exec_cause, pre, strlen(pre)), "%s", r.exec_cause);
	const char *sess = r.exec_cause + strlen(pre);
	for (int i = 0; i < 32; i++)
		ck_assert_msg((sess[i] >= 'a' && sess[i] <= 'z') || (sess[i] >= 'A' && sess[i] <= 'Z'), "%s", r.exec_cause);
	ck_assert_msg(strstr(sess + 32, " is not authorized to "
	                                   "perform: sqs:sendmessage on resource: "
	                                   "arn:aws:sqs:us-east-1:000000000000:user-onboarding because no identity-based "
	                                   "policy allows the sqs:sendmessage action (Service: AmazonSQS; Status Code: "
	                                   "403; Error Code: AccessDenied;") == sess + 32,
	              "%s", r.exec_cause);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(call_of(&r, "sqs:SendMessage"), "denied"));
	ck_assert_ptr_null(cJSON_GetObjectItem(call_of(&r, "dynamodb:PutItem"), "denied"));
	ck_assert_str_eq(cj_str(r.role, "arn"), "arn:aws:iam::000000000000:role/ddb-only");
	ck_assert_int_eq(cJSON_GetArraySize(cj_arr(r.role, "policies")), 1);
	runner_result_clear(&r);
}
END_TEST

START_TEST(run_with_a_role_allowing_everything_used_should_succeed)
{
	runner_result r = {0};
	run_onboarding("\"role\": \"../../../scenarios/user-onboarding/least-privilege.policy.json\",", &r);
	ck_assert_msg(r.outcome == RUNNER_PASS, "%s", r.error ? r.error : "");
	ck_assert_str_eq(r.status, "SUCCEEDED");
	const cJSON *x;
	cJSON_ArrayForEach(x, r.calls) ck_assert_ptr_null(cJSON_GetObjectItem(x, "denied"));
	runner_result_clear(&r);
}
END_TEST

START_TEST(tap_note_should_keep_each_permission_once_and_keep_a_denial)
{
	cJSON *calls = cJSON_CreateArray();
	runner_tap_note(calls, "sqs:SendMessage", "arn:q", 0);
	runner_tap_note(calls, "sqs:SendMessage", "arn:q", 1);
	runner_tap_note(calls, "sqs:SendMessage", "arn:q", 0);
	runner_tap_note(calls, "sqs:SendMessage", "arn:r", 0);
	ck_assert_int_eq(cJSON_GetArraySize(calls), 2);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(calls->child, "denied")));
	ck_assert_ptr_null(cJSON_GetObjectItem(calls->child->next, "denied"));
	cJSON_Delete(calls);
}
END_TEST

Suite *suite_runner_role(void)
{
	Suite *s = suite_create("runner_role");
	TCase *tc = tcase_create("role");
	tcase_add_test(tc, role_should_be_shared_by_a_suite_and_replaced_or_removed_by_a_scenario);
	tcase_add_test(tc, role_without_any_should_declare_nothing);
	tcase_add_test(tc, role_should_report_invalid_policies_at_the_statement);
	tcase_add_test(tc, role_and_permissions_should_be_checked_as_members);
	tcase_add_test(tc, run_without_a_role_should_enforce_nothing_and_record_the_calls);
	tcase_add_test(tc, run_with_a_role_should_fail_the_task_it_does_not_allow_as_aws_does);
	tcase_add_test(tc, run_with_a_role_allowing_everything_used_should_succeed);
	tcase_add_test(tc, tap_note_should_keep_each_permission_once_and_keep_a_denial);
	suite_add_tcase(s, tc);
	return s;
}
