/* test_asl_intrinsics.c - every States.* intrinsic, through a Pass state's Parameters. */
#include <check.h>

#include "tests/suites.h"
#include "tests/unit/engine/asl_test.h"

/* Evaluate `call` as Parameters {"r.$": call} over input; returns the
 * compact JSON of r, or "ERR <error>: <cause>". */
static char *intr(const char *call, const char *input)
{
	cJSON *def = cJSON_Parse("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}");
	cJSON *params = cJSON_CreateObject();
	cJSON_AddStringToObject(params, "r.$", call);
	cJSON_AddItemToObject(cJSON_GetObjectItem(cJSON_GetObjectItem(def, "States"), "P"), "Parameters", params);
	char *dt = cj_print(def);
	cJSON_Delete(def);
	run r = run_def(dt, input, NULL);
	mem_free(dt);
	char *out;
	if (engine_exec_status(r.x) == ENGINE_SUCCEEDED)
		out = cj_print(cJSON_GetObjectItem(engine_exec_output(r.x), "r"));
	else {
		sb b = SB_INIT;
		sb_printf(&b, "ERR %s: %s", engine_exec_error(r.x), engine_exec_cause(r.x));
		out = sb_steal(&b);
	}
	run_free(&r);
	return out;
}

#define ASSERT_INTR(call, input, want)                                                                               \
	do {                                                                                                         \
		char *r_ = intr(call, input);                                                                        \
		ck_assert_msg(!strcmp(r_, want), "%s gave %s, wanted %s", call, r_, want);                            \
		mem_free(r_);                                                                                        \
	} while (0)

START_TEST(intrinsic_format_should_insert_raw_values)
{
	ASSERT_INTR("States.Format('Hello {}, {}!', $.n, $.k)", "{\"n\": \"Ann\", \"k\": 3}", "\"Hello Ann, 3!\"");
	ASSERT_INTR("States.Format('{}', $.v)", "{\"v\": null}", "\"null\"");
	ASSERT_INTR("States.Format('{}', $.v)", "{\"v\": 1.5}", "\"1.5\"");
	ASSERT_INTR("States.Format('{}', $.v)", "{\"v\": {\"a\": 1, \"b\": [1, 2]}}", "\"{a=1, b=[1, 2]}\"");
	ASSERT_INTR("States.Format('\\\\{} {}', 'x')", "{}", "\"{} x\"");
	char *r = intr("States.Format('{} {}', 'x')", "{}");
	ck_assert_msg(!strncmp(r, "ERR States.Runtime", 18), "%s", r);
	mem_free(r);
}
END_TEST

START_TEST(intrinsic_json_conversions_should_round_trip)
{
	ASSERT_INTR("States.StringToJson($.s)", "{\"s\": \"{\\\"a\\\": [1, true]}\"}", "{\"a\":[1,true]}");
	ASSERT_INTR("States.StringToJson($.s)", "{\"s\": \" \"}", "null");
	ASSERT_INTR("States.JsonToString($.o)", "{\"o\": {\"Arg1\": 1, \"Arg2\": []}}", "\"{\\\"Arg1\\\":1,\\\"Arg2\\\":[]}\"");
}
END_TEST

START_TEST(intrinsic_arrays_should_behave_as_aws)
{
	ASSERT_INTR("States.Array('a', 1, $.x)", "{\"x\": [true]}", "[\"a\",1,[true]]");
	ASSERT_INTR("States.Array()", "{}", "[]");
	ASSERT_INTR("States.ArrayPartition($.a, 2)", "{\"a\": [1, 2, 3, 4, 5]}", "[[1,2],[3,4],[5]]");
	ASSERT_INTR("States.ArrayPartition($.a, 2)", "{\"a\": []}", "[]");
	ASSERT_INTR("States.ArrayContains($.a, $.v)", "{\"a\": [1, {\"x\": 2}], \"v\": {\"x\": 2}}", "true");
	ASSERT_INTR("States.ArrayContains($.a, 7)", "{\"a\": [1]}", "false");
	ASSERT_INTR("States.ArrayRange(1, 9, 2)", "{}", "[1,3,5,7,9]");
	ASSERT_INTR("States.ArrayGetItem($.a, 1)", "{\"a\": [\"x\", \"y\"]}", "\"y\"");
	ASSERT_INTR("States.ArrayLength($.a)", "{\"a\": [1, 2, 3]}", "3");
	ASSERT_INTR("States.ArrayUnique($.a)", "{\"a\": [1, 2, 1, {\"a\": 1}, {\"a\": 1}]}", "[1,2,{\"a\":1}]");
}
END_TEST

START_TEST(intrinsic_encodings_and_hashes_should_match_aws)
{
	ASSERT_INTR("States.Base64Encode($.s)", "{\"s\": \"Data to encode\"}", "\"RGF0YSB0byBlbmNvZGU=\"");
	ASSERT_INTR("States.Base64Decode($.s)", "{\"s\": \"RGF0YSB0byBlbmNvZGU=\"}", "\"Data to encode\"");
	ASSERT_INTR("States.Base64Encode($.s)", "{\"s\": \"\"}", "\"\"");
	ASSERT_INTR("States.Hash($.s, 'MD5')", "{\"s\": \"abc\"}", "\"900150983cd24fb0d6963f7d28e17f72\"");
	ASSERT_INTR("States.Hash($.s, 'SHA-1')", "{\"s\": \"abc\"}", "\"a9993e364706816aba3e25717850c26c9cd0d89d\"");
	char *r = intr("States.Hash($.s, 'SHA-3')", "{\"s\": \"abc\"}");
	ck_assert_msg(strstr(r, "ERR States.Runtime"), "%s", r);
	mem_free(r);
}
END_TEST

START_TEST(intrinsic_math_should_round_half_up_like_java)
{
	ASSERT_INTR("States.MathAdd($.a, $.b)", "{\"a\": 1.5, \"b\": 0}", "2");
	ASSERT_INTR("States.MathAdd($.a, $.b)", "{\"a\": -1.5, \"b\": 0}", "-1");
	ASSERT_INTR("States.MathAdd($.a, $.b)", "{\"a\": -1.51, \"b\": 0}", "-2");
	ASSERT_INTR("States.MathAdd($.a, -1)", "{\"a\": 10}", "9");
	char *r = intr("States.MathRandom(1, 10)", "{}");
	int v = atoi(r);
	ck_assert_msg(v >= 1 && v < 10, "%s", r);
	mem_free(r);
	char *a = intr("States.MathRandom(1, 1000, 7)", "{}"), *b = intr("States.MathRandom(1, 1000, 7)", "{}");
	ck_assert_str_eq(a, b); /* seeded: deterministic */
	mem_free(a);
	mem_free(b);
}
END_TEST

START_TEST(intrinsic_string_split_should_split_on_every_delimiter_and_drop_empties)
{
	ASSERT_INTR("States.StringSplit($.s, ',')", "{\"s\": \"a,b,,c\"}", "[\"a\",\"b\",\"c\"]");
	ASSERT_INTR("States.StringSplit($.s, ',')", "{\"s\": \",,,,\"}", "[]");
	ASSERT_INTR("States.StringSplit($.s, ',;')", "{\"s\": \"a;b,c\"}", "[\"a\",\"b\",\"c\"]");
}
END_TEST

START_TEST(intrinsic_json_merge_should_be_shallow)
{
	ASSERT_INTR("States.JsonMerge($.a, $.b, false)", "{\"a\": {\"x\": {\"p\": 1}, \"y\": 1}, \"b\": {\"x\": {\"q\": 2}}}",
	            "{\"x\":{\"q\":2},\"y\":1}");
}
END_TEST

START_TEST(intrinsic_uuid_should_be_version_4)
{
	char *r = intr("States.UUID()", "{}");
	ck_assert_int_eq((int)strlen(r), 38);
	ck_assert_int_eq(r[15], '4');
	mem_free(r);
}
END_TEST

START_TEST(intrinsic_calls_should_nest_and_read_variables_and_context)
{
	ASSERT_INTR("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, 's'), 0)", "{}", "\"te\"");
	ASSERT_INTR("States.MathAdd(States.ArrayLength($.a), 1)", "{\"a\": [1, 2]}", "3");
}
END_TEST

START_TEST(intrinsic_on_a_missing_path_should_fail_with_states_runtime)
{
	char *r = intr("States.Format('{}', $.missing)", "{}");
	ck_assert_msg(strstr(r, "ERR States.Runtime") && strstr(r, "$.missing"), "%s", r);
	mem_free(r);
}
END_TEST

Suite *suite_asl_intrinsics(void)
{
	Suite *s = suite_create("asl_intrinsics");
	TCase *t = tcase_create("intrinsics");
	tcase_add_test(t, intrinsic_format_should_insert_raw_values);
	tcase_add_test(t, intrinsic_json_conversions_should_round_trip);
	tcase_add_test(t, intrinsic_arrays_should_behave_as_aws);
	tcase_add_test(t, intrinsic_encodings_and_hashes_should_match_aws);
	tcase_add_test(t, intrinsic_math_should_round_half_up_like_java);
	tcase_add_test(t, intrinsic_string_split_should_split_on_every_delimiter_and_drop_empties);
	tcase_add_test(t, intrinsic_json_merge_should_be_shallow);
	tcase_add_test(t, intrinsic_uuid_should_be_version_4);
	tcase_add_test(t, intrinsic_calls_should_nest_and_read_variables_and_context);
	tcase_add_test(t, intrinsic_on_a_missing_path_should_fail_with_states_runtime);
	suite_add_tcase(s, t);
	return s;
}
