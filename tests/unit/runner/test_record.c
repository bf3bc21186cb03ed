/* test_record.c - expectations recorded from a snapshot; the layout files are written in. */
#include <check.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "runner/record.h"
#include "tests/suites.h"

static const char *snapshot_text =
	"{\"execution\": {\"status\": \"SUCCEEDED\", \"path\": [\"A\", \"B\"],"
	" \"output\": {\"MessageId\": \"5f0c9c3e-1b2a-4c3d-8e9f-0a1b2c3d4e5f\", \"n\": 1, \"SdkHttpMetadata\": {\"x\": 1}}},"
	" \"dynamodb\": {\"T\": [{\"PK\": \"2025-10-20T10:30:00Z\", \"at\": \"2025-10-20T10:30:00Z\", \"v\": 2}], \"E\": []},"
	" \"sqs\": {\"q\": [{\"MessageId\": \"m\", \"Body\": {\"id\": \"1d2c3b4a-0000-4000-8000-000000000000\"}, "
	"\"MD5OfBody\": \"x\"}]},"
	" \"lambda\": {\"f\": [{\"RequestId\": \"r\", \"Payload\": {\"k\": true}}], \"g\": []}}";

START_TEST(record_should_fill_only_what_is_missing_with_matchers_for_volatile_values)
{
	cJSON *snap = cJSON_Parse(snapshot_text), *keys = cJSON_Parse("{\"T\": [\"PK\"]}");
	cJSON *expect = cJSON_Parse("{\"status\": \"FAILED\"}");
	ck_assert_int_eq(runner_record(expect, snap, keys), 5);
	char *t = cj_print(expect);
	ck_assert_str_eq(t, "{\"status\":\"FAILED\",\"path\":[\"A\",\"B\"],"
	                    "\"output\":{\"MessageId\":{\"$type\":\"string\"},\"n\":1,\"SdkHttpMetadata\":{\"$any\":true}},"
	                    "\"dynamodb\":{\"T\":[{\"PK\":\"2025-10-20T10:30:00Z\",\"at\":{\"$timestamp\":true},\"v\":2}],"
	                    "\"E\":[]},"
	                    "\"sqs\":{\"q\":[{\"Body\":{\"id\":{\"$regex\":\"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
	                    "[0-9a-f]{4}-[0-9a-f]{12}$\"}}}]},"
	                    "\"lambda\":{\"f\":[{\"k\":true}],\"g\":[]}}");
	mem_free(t);
	/* a second time there is nothing left to fill */
	ck_assert_int_eq(runner_record(expect, snap, keys), 0);
	cJSON_Delete(expect);
	cJSON_Delete(snap);
	cJSON_Delete(keys);
}
END_TEST

START_TEST(record_should_write_error_and_cause_of_a_failed_execution)
{
	cJSON *snap = cJSON_Parse("{\"execution\": {\"status\": \"FAILED\", \"path\": [], \"error\": \"E\", \"cause\": "
	                          "\"at 2025-10-20T10:30:00Z\"}}");
	cJSON *expect = cJSON_CreateObject();
	ck_assert_int_eq(runner_record(expect, snap, NULL), 4);
	char *t = cj_print(expect);
	ck_assert_str_eq(t, "{\"status\":\"FAILED\",\"path\":[],\"error\":\"E\",\"cause\":\"at 2025-10-20T10:30:00Z\"}");
	mem_free(t);
	cJSON_Delete(expect);
	cJSON_Delete(snap);
}
END_TEST

START_TEST(pretty_should_keep_short_values_on_one_line)
{
	cJSON *v = cJSON_Parse("{\"a\": [1, 2], \"s\": \"x, y: \\\"z\\\"\", \"long\": [\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", "
	                       "\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\", \"cccccccccccccccccccc\"], \"e\": {}}");
	sb out = SB_INIT;
	runner_json_pretty(v, &out);
	ck_assert_str_eq(sb_str(&out), "{\n"
	                               "  \"a\": [1, 2],\n"
	                               "  \"s\": \"x, y: \\\"z\\\"\",\n"
	                               "  \"long\": [\n"
	                               "    \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\n"
	                               "    \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\n"
	                               "    \"cccccccccccccccccccc\"\n"
	                               "  ],\n"
	                               "  \"e\": {}\n"
	                               "}");
	cJSON *back = cJSON_Parse(sb_str(&out));
	ck_assert(cj_equal(back, v));
	cJSON_Delete(back);
	sb_free(&out);
	cJSON_Delete(v);
}
END_TEST

Suite *suite_runner_record(void)
{
	Suite *s = suite_create("runner/record");
	TCase *tc = tcase_create("record");
	tcase_add_test(tc, record_should_fill_only_what_is_missing_with_matchers_for_volatile_values);
	tcase_add_test(tc, record_should_write_error_and_cause_of_a_failed_execution);
	tcase_add_test(tc, pretty_should_keep_short_values_on_one_line);
	suite_add_tcase(s, tc);
	return s;
}
