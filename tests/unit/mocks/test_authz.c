/* test_authz.c - the IAM actions each call needs, and enforcement at dispatch. */
#include <check.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "mocks/authz.h"
#include "mocks/transport_inproc.h"
#include "tests/suites.h"

static void needs_is(const char *service, const char *op, const char *in_json, const char *expect_json)
{
	cJSON *in = cJSON_Parse(in_json), *want = cJSON_Parse(expect_json);
	cJSON *got = authz_needs("000000000000", "us-east-1", service, op, in);
	char *g = cJSON_PrintUnformatted(got);
	ck_assert_msg(cj_equal(got, want), "%s %s needs %s", service, op, g);
	cJSON_free(g);
	cJSON_Delete(in);
	cJSON_Delete(want);
	cJSON_Delete(got);
}

START_TEST(authz_needs_should_map_calls_to_actions_and_arns_as_aws_checks_them)
{
	needs_is("dynamodb", "PutItem", "{\"TableName\":\"User\"}",
	         "[{\"action\":\"dynamodb:PutItem\",\"resource\":\"arn:aws:dynamodb:us-east-1:000000000000:table/User\"}]");
	needs_is("dynamodb", "Query", "{\"TableName\":\"User\",\"IndexName\":\"byEmail\"}",
	         "[{\"action\":\"dynamodb:Query\","
	         "\"resource\":\"arn:aws:dynamodb:us-east-1:000000000000:table/User/index/byEmail\"}]");
	needs_is("dynamodb", "TransactWriteItems",
	         "{\"TransactItems\":[{\"Put\":{\"TableName\":\"A\"}},{\"ConditionCheck\":{\"TableName\":\"B\"}}]}",
	         "[{\"action\":\"dynamodb:PutItem\",\"resource\":\"arn:aws:dynamodb:us-east-1:000000000000:table/A\"},"
	         "{\"action\":\"dynamodb:ConditionCheckItem\","
	         "\"resource\":\"arn:aws:dynamodb:us-east-1:000000000000:table/B\"}]");
	needs_is("dynamodb", "BatchWriteItem", "{\"RequestItems\":{\"A\":[],\"B\":[]}}",
	         "[{\"action\":\"dynamodb:BatchWriteItem\",\"resource\":\"arn:aws:dynamodb:us-east-1:000000000000:table/A\"},"
	         "{\"action\":\"dynamodb:BatchWriteItem\","
	         "\"resource\":\"arn:aws:dynamodb:us-east-1:000000000000:table/B\"}]");
	needs_is("sqs", "SendMessageBatch",
	         "{\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/000000000000/user-onboarding\"}",
	         "[{\"action\":\"sqs:SendMessage\",\"resource\":\"arn:aws:sqs:us-east-1:000000000000:user-onboarding\"}]");
	needs_is("sqs", "ListQueues", "{}", "[{\"action\":\"sqs:ListQueues\",\"resource\":\"*\"}]");
	needs_is("lambda", "Invoke", "{\"FunctionName\":\"user-onboarding\",\"Qualifier\":\"live\"}",
	         "[{\"action\":\"lambda:InvokeFunction\","
	         "\"resource\":\"arn:aws:lambda:us-east-1:000000000000:function:user-onboarding:live\"}]");
	needs_is("lambda", "Invoke", "{\"FunctionName\":\"arn:aws:lambda:eu-west-1:111111111111:function:f\"}",
	         "[{\"action\":\"lambda:InvokeFunction\","
	         "\"resource\":\"arn:aws:lambda:eu-west-1:111111111111:function:f\"}]");
}
END_TEST

static mock_world *w;

static void call_ok(const char *service, const char *op, const char *json)
{
	cJSON *in = cJSON_Parse(json), *out = NULL;
	sb err = SB_INIT;
	int rc = mock_call(w, service, op, in, &out, &err);
	ck_assert_msg(rc == 0, "%s.%s: %s", service, op, sb_str(&err));
	cJSON_Delete(in);
	cJSON_Delete(out);
	sb_free(&err);
}

static void setup(void)
{
	sb err = SB_INIT;
	w = mock_world_new(NULL, &err);
	ck_assert_ptr_nonnull(w);
	call_ok("dynamodb", "CreateTable",
	        "{\"TableName\":\"User\",\"KeySchema\":[{\"AttributeName\":\"PK\",\"KeyType\":\"HASH\"}],"
	        "\"AttributeDefinitions\":[{\"AttributeName\":\"PK\",\"AttributeType\":\"S\"}],"
	        "\"BillingMode\":\"PAY_PER_REQUEST\"}");
	call_ok("sqs", "CreateQueue", "{\"QueueName\":\"user-onboarding\"}");
	call_ok("iam", "CreateRole",
	        "{\"RoleName\":\"Onboarding\",\"AssumeRolePolicyDocument\":\"{\\\"Statement\\\":{\\\"Effect\\\":"
	        "\\\"Allow\\\",\\\"Principal\\\":{\\\"Service\\\":\\\"states.amazonaws.com\\\"},\\\"Action\\\":"
	        "\\\"sts:AssumeRole\\\"}}\"}");
	call_ok("iam", "PutRolePolicy",
	        "{\"RoleName\":\"Onboarding\",\"PolicyName\":\"ddb\",\"PolicyDocument\":\"{\\\"Statement\\\":{"
	        "\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":[\\\"dynamodb:GetItem\\\",\\\"dynamodb:PutItem\\\"],"
	        "\\\"Resource\\\":\\\"arn:aws:dynamodb:us-east-1:000000000000:table/User\\\"}}\"}");
}

static void teardown(void) { mock_world_free(w); }

static int call_as(const char *role, const char *service, const char *op, const char *json, transport_result *res)
{
	transport_identity id = {role, "exec-1", NULL};
	transport *t = transport_inproc_new_as(w, &id);
	cJSON *in = cJSON_Parse(json);
	memset(res, 0, sizeof *res);
	int rc = t->call(t, service, op, NULL, in, res);
	cJSON_Delete(in);
	t->close(t);
	return rc;
}

START_TEST(a_declared_role_is_allowed_what_its_policy_grants_and_denied_the_rest)
{
	transport_result r;
	ck_assert_int_eq(call_as("arn:aws:iam::000000000000:role/Onboarding", "dynamodb", "PutItem",
	                         "{\"TableName\":\"User\",\"Item\":{\"PK\":{\"S\":\"u1\"}}}", &r),
	                 TRANSPORT_OK);
	transport_result_free(&r);
	ck_assert_int_eq(call_as("arn:aws:iam::000000000000:role/Onboarding", "sqs", "SendMessage",
	                         "{\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/000000000000/user-onboarding\","
	                         "\"MessageBody\":\"x\"}",
	                         &r),
	                 TRANSPORT_AWS_ERROR);
	ck_assert_str_eq(r.err_type, "AccessDenied");
	ck_assert_int_eq(r.status, 403);
	ck_assert_str_eq(r.err_message,
	                 "User: arn:aws:sts::000000000000:assumed-role/Onboarding/exec-1 is not authorized to perform: "
	                 "sqs:sendmessage on resource: arn:aws:sqs:us-east-1:000000000000:user-onboarding because no "
	                 "identity-based policy allows the sqs:sendmessage action");
	transport_result_free(&r);
	ck_assert_int_eq(call_as("arn:aws:iam::000000000000:role/Onboarding", "dynamodb", "DeleteItem",
	                         "{\"TableName\":\"User\",\"Key\":{\"PK\":{\"S\":\"u1\"}}}", &r),
	                 TRANSPORT_AWS_ERROR);
	ck_assert_str_eq(r.err_type, "AccessDeniedException");
	ck_assert_int_eq(r.status, 400);
	ck_assert_ptr_nonnull(strstr(r.err_message, "dynamodb:DeleteItem on resource: "
	                                            "arn:aws:dynamodb:us-east-1:000000000000:table/User because"));
	transport_result_free(&r);
}
END_TEST

START_TEST(a_role_that_iam_does_not_know_is_not_enforced)
{
	transport_result r;
	ck_assert_int_eq(call_as("arn:aws:iam::000000000000:role/Undeclared", "sqs", "SendMessage",
	                         "{\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/000000000000/user-onboarding\","
	                         "\"MessageBody\":\"x\"}",
	                         &r),
	                 TRANSPORT_OK);
	transport_result_free(&r);
}
END_TEST

START_TEST(authz_caller_arn_should_name_the_assumed_role_session)
{
	mock_principal p = {"arn:aws:iam::000000000000:role/service-role/StepFunctions-Onboarding", "abc", NULL};
	sb s = SB_INIT;
	authz_caller_arn(&p, &s);
	ck_assert_str_eq(sb_str(&s), "arn:aws:sts::000000000000:assumed-role/StepFunctions-Onboarding/abc");
	sb_free(&s);
}
END_TEST

Suite *suite_authz(void)
{
	Suite *s = suite_create("mocks/authz");
	TCase *tc = tcase_create("needs");
	tcase_add_test(tc, authz_needs_should_map_calls_to_actions_and_arns_as_aws_checks_them);
	tcase_add_test(tc, authz_caller_arn_should_name_the_assumed_role_session);
	suite_add_tcase(s, tc);
	tc = tcase_create("enforce");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_declared_role_is_allowed_what_its_policy_grants_and_denied_the_rest);
	tcase_add_test(tc, a_role_that_iam_does_not_know_is_not_enforced);
	suite_add_tcase(s, tc);
	return s;
}
