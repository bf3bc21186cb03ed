/* test_iam_policy.c - IAM policy parsing and evaluation rules. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "mocks/iam/iam_policy.h"
#include "tests/suites.h"

#define ROLE_SESSION "arn:aws:sts::000000000000:assumed-role/OnboardingRole/exec-1"
#define QUEUE "arn:aws:sqs:us-east-1:000000000000:user-onboarding"
#define TABLE "arn:aws:dynamodb:us-east-1:000000000000:table/User"
#define FUNC "arn:aws:lambda:us-east-1:000000000000:function:user-onboarding"

static iam_policy *pol(const char *json, int kind)
{
	sb err = SB_INIT;
	iam_policy *p = iam_policy_parse(json, strlen(json), kind, &err);
	ck_assert_msg(p != NULL, "parse failed: %s", sb_str(&err));
	sb_free(&err);
	return p;
}

static const char *parse_error(const char *json, int kind)
{
	static char buf[256];
	sb err = SB_INIT;
	iam_policy *p = iam_policy_parse(json, strlen(json), kind, &err);
	ck_assert_ptr_null(p);
	snprintf(buf, sizeof buf, "%s", sb_str(&err));
	sb_free(&err);
	return buf;
}

static iam_effect eval(const char *json, const char *action, const char *resource, const char *ctx)
{
	iam_policy *p = pol(json, IAM_IDENTITY);
	cJSON *c = ctx ? cJSON_Parse(ctx) : NULL;
	iam_request r = {action, resource, ROLE_SESSION, "000000000000", NULL, c};
	iam_effect e = iam_policy_eval(p, &r);
	cJSON_Delete(c);
	iam_policy_free(p);
	return e;
}

START_TEST(iam_glob_should_match_star_and_question_mark)
{
	ck_assert(iam_glob("dynamodb:*", "dynamodb:PutItem", 1));
	ck_assert(iam_glob("DynamoDB:put*", "dynamodb:PutItem", 1));
	ck_assert(!iam_glob("DynamoDB:put*", "dynamodb:PutItem", 0));
	ck_assert(iam_glob("sqs:Send?essage", "sqs:SendMessage", 1));
	ck_assert(!iam_glob("sqs:Send?essage", "sqs:SendMessageBatch", 1));
	ck_assert(iam_glob("*Item", "dynamodb:GetItem", 1));
	ck_assert(iam_glob("a*b*c", "axxbyyc", 0));
	ck_assert(!iam_glob("a*b*c", "axxbyy", 0));
}
END_TEST

START_TEST(iam_arn_match_should_match_segment_by_segment)
{
	ck_assert(iam_arn_match("arn:aws:dynamodb:*:*:table/User", TABLE));
	ck_assert(iam_arn_match("arn:aws:dynamodb:us-east-1:000000000000:table/*", TABLE));
	ck_assert(!iam_arn_match("arn:aws:dynamodb:us-east-1:000000000000:table/Users", TABLE));
	ck_assert(iam_arn_match("arn:aws:lambda:*:*:function:user-onboarding*", FUNC ":$LATEST"));
	/* a `*` ending a segment may run across colons; one inside a segment may not */
	ck_assert(iam_arn_match("arn:aws:sqs:*", QUEUE));
	ck_assert(iam_arn_match("arn:aws:sqs:us*1:000000000000:user-onboarding", QUEUE));
	ck_assert(!iam_arn_match("arn:aws:sqs:us*0:user-onboarding", QUEUE));
	ck_assert(iam_arn_match("arn:aws:sqs:us-east-?:*:user-*", QUEUE));
	ck_assert(iam_arn_match("*", QUEUE));
}
END_TEST

START_TEST(iam_policy_eval_should_let_explicit_deny_win)
{
	const char *p = "{\"Version\":\"2012-10-17\",\"Statement\":["
	                "{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"},"
	                "{\"Effect\":\"Deny\",\"Action\":[\"dynamodb:DeleteItem\"],\"Resource\":\"" TABLE "\"}]}";
	ck_assert_int_eq(eval(p, "dynamodb:PutItem", TABLE, NULL), IAM_ALLOW);
	ck_assert_int_eq(eval(p, "dynamodb:DeleteItem", TABLE, NULL), IAM_DENY);
	ck_assert_int_eq(eval(p, "sqs:SendMessage", QUEUE, NULL), IAM_NONE);
}
END_TEST

START_TEST(iam_policy_eval_should_honour_not_action_and_not_resource)
{
	const char *na = "{\"Statement\":{\"Effect\":\"Allow\",\"NotAction\":\"dynamodb:Delete*\",\"Resource\":\"*\"}}";
	ck_assert_int_eq(eval(na, "dynamodb:PutItem", TABLE, NULL), IAM_ALLOW);
	ck_assert_int_eq(eval(na, "sqs:SendMessage", QUEUE, NULL), IAM_ALLOW);
	ck_assert_int_eq(eval(na, "dynamodb:DeleteItem", TABLE, NULL), IAM_NONE);
	const char *nr = "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"NotResource\":\"" TABLE "\"}}";
	ck_assert_int_eq(eval(nr, "dynamodb:PutItem", TABLE, NULL), IAM_NONE);
	ck_assert_int_eq(eval(nr, "sqs:SendMessage", QUEUE, NULL), IAM_DENY);
}
END_TEST

START_TEST(iam_policy_eval_should_apply_conditions)
{
	const char *p = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\","
	                "\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":[\"us-east-1\",\"eu-west-1\"]},"
	                "\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:states:*:000000000000:stateMachine:*\"},"
	                "\"Bool\":{\"aws:SecureTransport\":\"true\"}}}}";
	const char *good = "{\"aws:RequestedRegion\":\"eu-west-1\",\"aws:SecureTransport\":true,"
	                   "\"aws:SourceArn\":\"arn:aws:states:us-east-1:000000000000:stateMachine:Onboard\"}";
	ck_assert_int_eq(eval(p, "sqs:SendMessage", QUEUE, good), IAM_ALLOW);
	const char *region = "{\"aws:RequestedRegion\":\"us-west-2\",\"aws:SecureTransport\":\"true\","
	                     "\"aws:SourceArn\":\"arn:aws:states:us-east-1:000000000000:stateMachine:Onboard\"}";
	ck_assert_int_eq(eval(p, "sqs:SendMessage", QUEUE, region), IAM_NONE);
	/* a missing key fails a positive operator */
	ck_assert_int_eq(eval(p, "sqs:SendMessage", QUEUE, "{\"aws:RequestedRegion\":\"us-east-1\"}"), IAM_NONE);
	/* condition keys are case-insensitive */
	const char *lower = "{\"AWS:requestedregion\":\"us-east-1\",\"aws:securetransport\":\"TRUE\","
	                    "\"aws:sourcearn\":\"arn:aws:states:us-east-1:000000000000:stateMachine:X\"}";
	ck_assert_int_eq(eval(p, "sqs:SendMessage", QUEUE, lower), IAM_ALLOW);
}
END_TEST

START_TEST(iam_policy_eval_should_treat_if_exists_null_and_negation_of_missing_keys_as_aws_does)
{
	const char *ie = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
	                 "\"Condition\":{\"StringLikeIfExists\":{\"aws:PrincipalTag/team\":\"on*\"}}}}";
	ck_assert_int_eq(eval(ie, "sqs:SendMessage", QUEUE, NULL), IAM_ALLOW);
	ck_assert_int_eq(eval(ie, "sqs:SendMessage", QUEUE, "{\"aws:PrincipalTag/team\":\"billing\"}"), IAM_NONE);
	ck_assert_int_eq(eval(ie, "sqs:SendMessage", QUEUE, "{\"aws:PrincipalTag/team\":\"onboarding\"}"), IAM_ALLOW);
	const char *ne = "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
	                 "\"Condition\":{\"StringNotEquals\":{\"aws:RequestedRegion\":\"us-east-1\"}}}}";
	ck_assert_int_eq(eval(ne, "sqs:SendMessage", QUEUE, NULL), IAM_DENY);
	ck_assert_int_eq(eval(ne, "sqs:SendMessage", QUEUE, "{\"aws:RequestedRegion\":\"us-east-1\"}"), IAM_NONE);
	const char *nl = "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
	                 "\"Condition\":{\"Null\":{\"aws:SourceArn\":\"true\"}}}}";
	ck_assert_int_eq(eval(nl, "sqs:SendMessage", QUEUE, NULL), IAM_DENY);
	ck_assert_int_eq(eval(nl, "sqs:SendMessage", QUEUE, "{\"aws:SourceArn\":\"x\"}"), IAM_NONE);
	const char *all = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
	                  "\"Condition\":{\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"a\",\"b\"]}}}}";
	ck_assert_int_eq(eval(all, "sqs:TagQueue", QUEUE, "{\"aws:TagKeys\":[\"a\"]}"), IAM_ALLOW);
	ck_assert_int_eq(eval(all, "sqs:TagQueue", QUEUE, "{\"aws:TagKeys\":[\"a\",\"c\"]}"), IAM_NONE);
	const char *num = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
	                  "\"Condition\":{\"NumericLessThanEquals\":{\"s3:max-keys\":\"10\"}}}}";
	ck_assert_int_eq(eval(num, "s3:ListBucket", "*", "{\"s3:max-keys\":\"10\"}"), IAM_ALLOW);
	ck_assert_int_eq(eval(num, "s3:ListBucket", "*", "{\"s3:max-keys\":11}"), IAM_NONE);
}
END_TEST

START_TEST(iam_decide_should_combine_identity_and_resource_policies)
{
	iam_policy *dynamo_only = pol("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
	                              "\"Action\":[\"dynamodb:GetItem\",\"dynamodb:PutItem\",\"dynamodb:UpdateItem\","
	                              "\"dynamodb:DeleteItem\"],\"Resource\":\"" TABLE "\"}]}",
	                              IAM_IDENTITY);
	iam_policy *fn = pol("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
	                     "\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:role/service-role/OnboardingRole\"},"
	                     "\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"" FUNC "\"}]}",
	                     IAM_RESOURCE);
	const iam_policy *ids[] = {dynamo_only};
	iam_request send = {"sqs:SendMessage", QUEUE, ROLE_SESSION, "000000000000", NULL, NULL};
	ck_assert_int_eq(iam_decide(ids, 1, NULL, &send), IAM_IMPLICIT_DENY);
	sb m = SB_INIT;
	iam_denied_message(IAM_IMPLICIT_DENY, ROLE_SESSION, &send, &m);
	ck_assert_str_eq(sb_str(&m), "User: " ROLE_SESSION " is not authorized to perform: sqs:SendMessage on "
	                             "resource: " QUEUE " because no identity-based policy allows the "
	                             "sqs:SendMessage action");
	sb_free(&m);
	/* the function's resource policy alone allows the role within the account */
	iam_request inv = {"lambda:InvokeFunction", FUNC, ROLE_SESSION, "000000000000", NULL, NULL};
	ck_assert_int_eq(iam_decide(ids, 1, fn, &inv), IAM_ALLOWED);
	ck_assert_int_eq(iam_decide(ids, 1, NULL, &inv), IAM_IMPLICIT_DENY);
	/* a grant to a service principal does not cover the role's own calls */
	iam_policy *svc = pol("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"states.amazonaws.com\"},"
	                      "\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"" FUNC "\"}}",
	                      IAM_RESOURCE);
	ck_assert_int_eq(iam_decide(ids, 1, svc, &inv), IAM_IMPLICIT_DENY);
	iam_request from_service = {"lambda:InvokeFunction", FUNC, NULL, NULL, "states.amazonaws.com", NULL};
	ck_assert_int_eq(iam_decide(NULL, 0, svc, &from_service), IAM_ALLOWED);
	iam_policy_free(dynamo_only);
	iam_policy_free(fn);
	iam_policy_free(svc);
}
END_TEST

START_TEST(iam_policy_parse_should_reject_malformed_documents_with_aws_wording)
{
	ck_assert_str_eq(parse_error("{\"Statement\":[", IAM_IDENTITY), "Syntax errors in policy.");
	ck_assert_str_eq(parse_error("{\"Statement\":{\"Action\":\"s3:*\",\"Resource\":\"*\"}}", IAM_IDENTITY),
	                 "Missing required field Effect");
	ck_assert_str_eq(parse_error("{\"Statement\":{\"Effect\":\"Allow\",\"Resource\":\"*\"}}", IAM_IDENTITY),
	                 "Policy statement must contain actions.");
	ck_assert_str_eq(parse_error("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}}", IAM_IDENTITY),
	                 "Policy statement must contain resources.");
	ck_assert_str_eq(parse_error("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"PutItem\",\"Resource\":\"*\"}}",
	                             IAM_IDENTITY),
	                 "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
	ck_assert_str_eq(parse_error("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\","
	                             "\"Resource\":\"*\"}}",
	                             IAM_IDENTITY),
	                 "Policy document should not specify a principal.");
	ck_assert_str_eq(parse_error("{\"Statement\":{\"Effect\":\"Permit\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}",
	                             IAM_IDENTITY),
	                 "Invalid effect: Permit");
	ck_assert_str_eq(parse_error("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
	                             "\"Condition\":{\"StringSorta\":{\"a:b\":\"c\"}}}}",
	                             IAM_IDENTITY),
	                 "Invalid Condition type : StringSorta");
}
END_TEST

Suite *suite_iam_policy(void)
{
	Suite *s = suite_create("mocks/iam/policy");
	TCase *tc = tcase_create("policy");
	tcase_add_test(tc, iam_glob_should_match_star_and_question_mark);
	tcase_add_test(tc, iam_arn_match_should_match_segment_by_segment);
	tcase_add_test(tc, iam_policy_eval_should_let_explicit_deny_win);
	tcase_add_test(tc, iam_policy_eval_should_honour_not_action_and_not_resource);
	tcase_add_test(tc, iam_policy_eval_should_apply_conditions);
	tcase_add_test(tc, iam_policy_eval_should_treat_if_exists_null_and_negation_of_missing_keys_as_aws_does);
	tcase_add_test(tc, iam_decide_should_combine_identity_and_resource_policies);
	tcase_add_test(tc, iam_policy_parse_should_reject_malformed_documents_with_aws_wording);
	suite_add_tcase(s, tc);
	return s;
}
