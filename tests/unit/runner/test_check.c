/* test_check.c - expectations against world snapshots: items by key, messages, invocations, path. */
#include <check.h>
#include <string.h>

#include "common/mem.h"
#include "runner/check.h"
#include "runner/match.h"
#include "tests/suites.h"

#define FILE_NAME "tests/data/runner/t.scenario.json"

/* A world where the onboarding workflow ran without reaching Process Referral. */
static const char *snapshot_text =
	"{\"execution\": {\"status\": \"SUCCEEDED\", \"output\": {\"MessageId\": \"m-1\"},\n"
	"  \"path\": [\"Set Variables\", \"Save User Details\", \"Send User Onboarded Event\", \"Has Referral Code?\", "
	"\"No Action\"]},\n"
	" \"dynamodb\": {\"User\": [{\"PK\": \"user-1\", \"SK\": \"PROFILE\", \"email\": \"a@b.c\", \"metadata\": "
	"{\"country\": \"US\"}},\n"
	"                        {\"PK\": \"user-2\", \"SK\": \"PROFILE\"}]},\n"
	" \"sqs\": {\"user-onboarding\": [{\"MessageId\": \"m-1\", \"Body\": {\"type\": \"UserOnboarded\", \"userId\": "
	"\"user-1\"}, \"MD5OfBody\": \"x\"}]},\n"
	" \"lambda\": {\"user-onboarding\": [], \"other\": [{\"RequestId\": \"r\", \"Payload\": {\"n\": 1}}]}}";
static const char *keys_text = "{\"User\": [\"PK\", \"SK\"]}";

static runner_file *f;
static cJSON *snap, *keys;
static runner_mismatches mm;

static void setup(void)
{
	snap = cJSON_Parse(snapshot_text);
	keys = cJSON_Parse(keys_text);
	ck_assert_ptr_nonnull(snap);
	f = NULL;
	memset(&mm, 0, sizeof mm);
}

static void teardown(void)
{
	runner_file_free(f);
	cJSON_Delete(snap);
	cJSON_Delete(keys);
	runner_mismatches_free(&mm);
}

/* Check the expectations `expect` (JSON text) against the snapshot. */
static int check_expect(const char *expect)
{
	sb t = SB_INIT, err = SB_INIT;
	sb_printf(&t, "{\"name\": \"n\", \"stateMachine\": \"minimal.asl.json\",\n\"expect\": %s}", expect);
	f = runner_file_parse(t.buf, t.len, FILE_NAME, &err);
	ck_assert_msg(f != NULL, "%s", sb_str(&err));
	sb_free(&t);
	sb_free(&err);
	return runner_check(&f->v[0], snap, keys, &mm);
}

START_TEST(check_should_pass_when_every_expectation_holds)
{
	ck_assert_int_eq(check_expect("{\"status\": \"SUCCEEDED\", \"output\": {\"MessageId\": {\"$type\": \"string\"}},"
	                              " \"path\": [\"Set Variables\", \"Save User Details\", \"Send User Onboarded Event\","
	                              " \"Has Referral Code?\", \"No Action\"],"
	                              " \"dynamodb\": {\"User\": [{\"PK\": \"user-1\", \"SK\": \"PROFILE\", \"metadata\": "
	                              "{\"country\": \"US\", \"referralCode\": {\"$absent\": true}}}]},"
	                              " \"sqs\": {\"user-onboarding\": [{\"Body\": {\"type\": \"UserOnboarded\", \"userId\": "
	                              "\"user-1\"}}]},"
	                              " \"lambda\": {\"user-onboarding\": [], \"arn:aws:lambda:us-east-1:000000000000:"
	                              "function:other\": [{\"n\": 1}]}}"),
	                 0);
}
END_TEST

START_TEST(check_should_name_the_function_and_the_expected_and_actual_invocations)
{
	ck_assert_int_eq(check_expect("{\"lambda\": {\"user-onboarding\": [{\"userId\": \"user-1\"}]}}"), 1);
	ck_assert_str_eq(mm.v[0].path, "expect.lambda['user-onboarding']");
	ck_assert_str_eq(mm.v[0].message, "expected 1 invocation of user-onboarding, got 0");
	ck_assert_str_eq(mm.v[0].expected, "[{\"userId\":\"user-1\"}]");
	ck_assert_str_eq(mm.v[0].actual, "[]");
	ck_assert_int_eq(mm.v[0].line, 2);
	ck_assert_int_eq(mm.v[0].col, 42);
}
END_TEST

START_TEST(check_should_compare_invocation_payloads_in_order)
{
	ck_assert_int_eq(check_expect("{\"lambda\": {\"other\": [{\"n\": 2}]}}"), 1);
	ck_assert_str_eq(mm.v[0].path, "expect.lambda.other[0].n");
	ck_assert_str_eq(mm.v[0].expected, "2");
	ck_assert_str_eq(mm.v[0].actual, "1");
}
END_TEST

START_TEST(check_should_find_items_by_key_and_compare_their_attributes_as_a_subset)
{
	ck_assert_int_eq(check_expect("{\"dynamodb\": {\"User\": [{\"PK\": \"user-1\", \"SK\": \"PROFILE\", \"email\": "
	                              "\"x@y.z\"}, {\"PK\": \"user-3\", \"SK\": \"PROFILE\"}]}}"),
	                 2);
	ck_assert_str_eq(mm.v[0].path, "expect.dynamodb.User[0].email");
	ck_assert_str_eq(mm.v[0].expected, "\"x@y.z\"");
	ck_assert_str_eq(mm.v[0].actual, "\"a@b.c\"");
	ck_assert_str_eq(mm.v[1].path, "expect.dynamodb.User[1]");
	ck_assert_str_eq(mm.v[1].message,
	                 "no item with key {\"PK\":\"user-3\",\"SK\":\"PROFILE\"} in User (actual: the keys of its items)");
	ck_assert_str_eq(mm.v[1].actual,
	                 "[{\"PK\":\"user-1\",\"SK\":\"PROFILE\"},{\"PK\":\"user-2\",\"SK\":\"PROFILE\"}]");
}
END_TEST

START_TEST(check_should_treat_an_empty_item_list_as_an_empty_table)
{
	ck_assert_int_eq(check_expect("{\"dynamodb\": {\"User\": []}}"), 1);
	ck_assert_str_eq(mm.v[0].message, "expected User to hold no items, it holds 2");
	runner_mismatches_free(&mm);
	runner_file_free(f);
	ck_assert_int_eq(check_expect("{\"dynamodb\": {\"User\": {\"$length\": 2}}}"), 0);
}
END_TEST

START_TEST(check_should_report_resources_that_do_not_exist)
{
	ck_assert_int_eq(check_expect("{\"dynamodb\": {\"Users\": []}, \"sqs\": {\"https://sqs.us-east-1.amazonaws.com/"
	                              "000000000000/nope\": []}, \"lambda\": {\"f\": []}}"),
	                 3);
	ck_assert_str_eq(mm.v[0].message, "there is no table 'Users' (tables: User)");
	ck_assert_str_eq(mm.v[1].message, "there is no queue 'nope' (queues: user-onboarding)");
	ck_assert_str_eq(mm.v[2].message, "there is no function 'f' (functions: user-onboarding, other)");
}
END_TEST

START_TEST(check_should_compare_messages_in_order_with_json_bodies)
{
	ck_assert_int_eq(check_expect("{\"sqs\": {\"user-onboarding\": [{\"Body\": {\"type\": \"UserOnboarded\", "
	                              "\"userId\": \"user-9\"}}]}}"),
	                 1);
	ck_assert_str_eq(mm.v[0].path, "expect.sqs['user-onboarding'][0].Body.userId");
	runner_mismatches_free(&mm);
	runner_file_free(f);
	ck_assert_int_eq(check_expect("{\"sqs\": {\"user-onboarding\": []}}"), 1);
	ck_assert_str_eq(mm.v[0].message, "expected 0 messages in user-onboarding, got 1");
}
END_TEST

START_TEST(check_should_report_the_path_and_status)
{
	ck_assert_int_eq(check_expect("{\"status\": \"FAILED\", \"path\": [\"Set Variables\", \"Save User Details\", "
	                              "\"Send User Onboarded Event\", \"Has Referral Code?\", \"Process Referral\"],"
	                              " \"error\": \"States.TaskFailed\"}"),
	                 3);
	ck_assert_str_eq(mm.v[0].path, "expect.status");
	ck_assert_str_eq(mm.v[0].actual, "\"SUCCEEDED\"");
	ck_assert_str_eq(mm.v[1].path, "expect.error");
	ck_assert_str_eq(mm.v[1].actual, "(absent)");
	ck_assert_str_eq(mm.v[2].path, "expect.path[4]");
	ck_assert_str_eq(mm.v[2].expected, "\"Process Referral\"");
	ck_assert_str_eq(mm.v[2].actual, "\"No Action\"");
	runner_mismatches_free(&mm);
	runner_file_free(f);
	ck_assert_int_eq(check_expect("{\"path\": [\"Set Variables\"]}"), 1);
	ck_assert_str_eq(mm.v[0].message, "expected 1 state entered, got 5");
}
END_TEST

START_TEST(resource_names_should_come_from_urls_and_arns)
{
	char *n = runner_resource_name("https://sqs.us-east-1.amazonaws.com/000000000000/q1");
	ck_assert_str_eq(n, "q1");
	mem_free(n);
	n = runner_resource_name("arn:aws:lambda:us-east-1:000000000000:function:f:prod");
	ck_assert_str_eq(n, "f");
	mem_free(n);
	n = runner_resource_name("plain");
	ck_assert_str_eq(n, "plain");
	mem_free(n);
}
END_TEST

Suite *suite_runner_check(void)
{
	Suite *s = suite_create("runner/check");
	TCase *tc = tcase_create("check");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, check_should_pass_when_every_expectation_holds);
	tcase_add_test(tc, check_should_name_the_function_and_the_expected_and_actual_invocations);
	tcase_add_test(tc, check_should_compare_invocation_payloads_in_order);
	tcase_add_test(tc, check_should_find_items_by_key_and_compare_their_attributes_as_a_subset);
	tcase_add_test(tc, check_should_treat_an_empty_item_list_as_an_empty_table);
	tcase_add_test(tc, check_should_report_resources_that_do_not_exist);
	tcase_add_test(tc, check_should_compare_messages_in_order_with_json_bodies);
	tcase_add_test(tc, check_should_report_the_path_and_status);
	tcase_add_test(tc, resource_names_should_come_from_urls_and_arns);
	suite_add_tcase(s, tc);
	return s;
}
