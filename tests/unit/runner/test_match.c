/* test_match.c - expected values, matchers, mismatch paths and messages. */
#include <check.h>
#include <string.h>

#include "common/mem.h"
#include "runner/match.h"
#include "tests/suites.h"

static cJSON *J(const char *text)
{
	cJSON *v = cJSON_Parse(text);
	ck_assert_msg(v != NULL, "bad test JSON: %s", text);
	return v;
}

/* Match exp against act (act NULL = absent) and return the mismatches. */
static int run_match(const char *exp, const char *act, unsigned flags, runner_mismatches *mm)
{
	cJSON *e = J(exp), *a = act ? J(act) : NULL;
	int ok = runner_match(e, a, flags, "expect.output", NULL, mm);
	cJSON_Delete(e);
	cJSON_Delete(a);
	ck_assert_int_eq(ok, mm->n == 0);
	return ok;
}

static int holds(const char *exp, const char *act)
{
	runner_mismatches mm = {0};
	int ok = run_match(exp, act, 0, &mm);
	runner_mismatches_free(&mm);
	return ok;
}

START_TEST(match_should_accept_equal_values_and_numbers_by_value)
{
	ck_assert(holds("{\"a\": [1, \"x\", true, null], \"b\": {\"c\": 2}}", "{\"b\": {\"c\": 2.0}, \"a\": [1, \"x\", true, null]}"));
	ck_assert(!holds("[1, 2]", "[2, 1]"));
	ck_assert(!holds("\"1\"", "1"));
}
END_TEST

START_TEST(match_should_name_the_path_expected_and_actual_of_a_difference)
{
	runner_mismatches mm = {0};
	run_match("{\"user\": {\"tags\": [\"a\", \"b\"], \"n\": 1}}", "{\"user\": {\"tags\": [\"a\", \"c\"], \"n\": 1}}", 0,
	          &mm);
	ck_assert_int_eq(mm.n, 1);
	ck_assert_str_eq(mm.v[0].path, "expect.output.user.tags[1]");
	ck_assert_str_eq(mm.v[0].message, "values differ");
	ck_assert_str_eq(mm.v[0].expected, "\"b\"");
	ck_assert_str_eq(mm.v[0].actual, "\"c\"");
	runner_mismatches_free(&mm);
}
END_TEST

START_TEST(match_should_report_missing_unexpected_and_mistyped_members)
{
	runner_mismatches mm = {0};
	run_match("{\"a\": 1, \"b\": \"x\", \"odd key\": 2}", "{\"b\": 3, \"c\": true, \"odd key\": 2}", 0, &mm);
	ck_assert_int_eq(mm.n, 3);
	ck_assert_str_eq(mm.v[0].path, "expect.output.a");
	ck_assert_str_eq(mm.v[0].message, "expected a value, found none");
	ck_assert_str_eq(mm.v[0].actual, "(absent)");
	ck_assert_str_eq(mm.v[1].path, "expect.output.b");
	ck_assert_str_eq(mm.v[1].message, "expected a string, got a number");
	ck_assert_str_eq(mm.v[2].path, "expect.output.c");
	ck_assert_str_eq(mm.v[2].message, "unexpected member");
	ck_assert_str_eq(mm.v[2].actual, "true");
	runner_mismatches_free(&mm);
	/* as a subset, extra members at the top level are fine, not deeper */
	ck_assert(run_match("{\"a\": 1}", "{\"a\": 1, \"b\": 2}", RUNNER_MATCH_SUBSET, &mm));
	ck_assert(!run_match("{\"a\": {\"x\": 1}}", "{\"a\": {\"x\": 1, \"y\": 2}}", RUNNER_MATCH_SUBSET, &mm));
	ck_assert_str_eq(mm.v[0].path, "expect.output.a.y");
	runner_mismatches_free(&mm);
}
END_TEST

START_TEST(match_should_report_arrays_of_another_length_whole)
{
	runner_mismatches mm = {0};
	run_match("[1, 2]", "[1, 2, 3]", 0, &mm);
	ck_assert_int_eq(mm.n, 1);
	ck_assert_str_eq(mm.v[0].path, "expect.output");
	ck_assert_str_eq(mm.v[0].message, "expected 2 elements, got 3");
	ck_assert_str_eq(mm.v[0].expected, "[1,2]");
	ck_assert_str_eq(mm.v[0].actual, "[1,2,3]");
	runner_mismatches_free(&mm);
}
END_TEST

START_TEST(matchers_any_absent_and_type_should_hold_as_documented)
{
	ck_assert(holds("{\"a\": {\"$any\": true}}", "{\"a\": [1]}"));
	ck_assert(!holds("{\"a\": {\"$any\": true}}", "{}"));
	ck_assert(holds("{\"a\": 1, \"b\": {\"$absent\": true}}", "{\"a\": 1}"));
	ck_assert(!holds("{\"b\": {\"$absent\": true}}", "{\"b\": null}"));
	ck_assert(holds("{\"$type\": \"string\"}", "\"x\""));
	ck_assert(holds("{\"$type\": \"integer\"}", "3"));
	ck_assert(!holds("{\"$type\": \"integer\"}", "3.5"));
	ck_assert(holds("{\"$type\": \"null\"}", "null"));
	ck_assert(holds("{\"$type\": \"array\"}", "[]"));
	runner_mismatches mm = {0};
	run_match("{\"id\": {\"$type\": \"string\"}}", "{\"id\": 42}", 0, &mm);
	ck_assert_str_eq(mm.v[0].path, "expect.output.id");
	ck_assert_str_eq(mm.v[0].message, "expected a string, got a number");
	ck_assert_str_eq(mm.v[0].expected, "{\"$type\":\"string\"}");
	ck_assert_str_eq(mm.v[0].actual, "42");
	runner_mismatches_free(&mm);
}
END_TEST

START_TEST(matcher_regex_should_search_with_javascript_syntax)
{
	ck_assert(holds("{\"$regex\": \"^user-\\\\d+$\"}", "\"user-12345\""));
	ck_assert(!holds("{\"$regex\": \"^user-\\\\d+$\"}", "\"user-12a\""));
	ck_assert(holds("{\"$regex\": \"b/c\"}", "\"a/b/c\"")); /* a slash needs no escaping */
	ck_assert(!holds("{\"$regex\": \"x\"}", "12"));
	runner_mismatches mm = {0};
	run_match("{\"$regex\": \"^[0-9a-f]{32}$\"}", "\"nope\"", 0, &mm);
	ck_assert_str_eq(mm.v[0].message, "expected a string matching /^[0-9a-f]{32}$/");
	runner_mismatches_free(&mm);
}
END_TEST

START_TEST(matcher_contains_should_look_inside_strings_arrays_and_objects)
{
	ck_assert(holds("{\"$contains\": \"lo w\"}", "\"hello world\""));
	ck_assert(!holds("{\"$contains\": \"xyz\"}", "\"hello\""));
	ck_assert(holds("{\"$contains\": {\"id\": {\"$type\": \"number\"}}}", "[{\"id\": \"a\"}, {\"id\": 2}]"));
	ck_assert(!holds("{\"$contains\": 3}", "[1, 2]"));
	ck_assert(holds("{\"$contains\": {\"a\": 1}}", "{\"a\": 1, \"b\": 2}"));
	ck_assert(!holds("{\"$contains\": {\"a\": 2}}", "{\"a\": 1, \"b\": 2}"));
	ck_assert(!holds("{\"$contains\": 1}", "1"));
}
END_TEST

START_TEST(matchers_length_and_comparisons_should_hold_as_documented)
{
	ck_assert(holds("{\"$length\": 3}", "\"h\xc3\xa9!\"")); /* characters, not bytes */
	ck_assert(holds("{\"$length\": 2}", "[1, 2]"));
	ck_assert(holds("{\"$length\": 1}", "{\"a\": 1}"));
	ck_assert(holds("{\"$length\": {\"$gte\": 1}}", "[0]"));
	ck_assert(!holds("{\"$length\": {\"$gte\": 1}}", "[]"));
	ck_assert(holds("{\"$gt\": 1, \"$lte\": 2}", "2"));
	ck_assert(!holds("{\"$gt\": 1, \"$lte\": 2}", "2.5"));
	ck_assert(!holds("{\"$lt\": 1}", "\"0\""));
	ck_assert(holds("{\"$timestamp\": true}", "\"2025-10-20T10:30:00.000Z\""));
	ck_assert(!holds("{\"$timestamp\": true}", "\"yesterday\""));
}
END_TEST

static char *validate(const char *text)
{
	cJSON *v = J(text);
	sb err = SB_INIT;
	runner_match_validate(v, NULL, &err);
	cJSON_Delete(v);
	return sb_steal(&err);
}

START_TEST(match_validate_should_name_unknown_matchers_with_a_suggestion)
{
	char *e = validate("{\"a\": {\"$regx\": \"x\"}}");
	ck_assert_str_eq(e, "unknown matcher '$regx' (did you mean '$regex'?)\n");
	mem_free(e);
	e = validate("[{\"$type\": \"strng\"}]");
	ck_assert_str_eq(e, "$type takes one of \"string\", \"number\", \"integer\", \"boolean\", \"null\", \"object\", "
	                    "\"array\" (did you mean \"string\"?)\n");
	mem_free(e);
	e = validate("{\"$any\": true, \"b\": 1}");
	ck_assert_str_eq(e, "an object mixes matchers ($...) with plain members\n");
	mem_free(e);
	e = validate("{\"$regex\": \"(\"}");
	ck_assert_msg(strstr(e, "$regex invalid regular expression") == e, "%s", e);
	mem_free(e);
	e = validate("{\"x\": {\"$length\": -1}, \"y\": {\"$gt\": \"1\"}, \"z\": {\"$any\": 1}}");
	ck_assert_str_eq(e, "$length takes a non-negative integer or a matcher such as {\"$gte\": 1}\n"
	                    "$gt takes a number\n$any takes true\n");
	mem_free(e);
	e = validate("{\"ok\": [{\"$contains\": {\"$length\": 2}}, {\"plain\": true}]}");
	ck_assert_str_eq(e, "");
	mem_free(e);
}
END_TEST

START_TEST(match_should_give_positions_of_expectations_in_their_document)
{
	const char *t = "{\n  \"out\": {\n    \"n\": 2\n  }\n}";
	sb err = SB_INIT;
	cj_doc *d = cj_doc_parse(t, strlen(t), "s.json", &err);
	ck_assert_ptr_nonnull(d);
	cJSON *act = J("{\"n\": 3}");
	runner_mismatches mm = {0};
	runner_match(cJSON_GetObjectItem(cj_doc_root(d), "out"), act, 0, "expect.out", d, &mm);
	ck_assert_int_eq(mm.n, 1);
	ck_assert_int_eq(mm.v[0].line, 3);
	ck_assert_int_eq(mm.v[0].col, 10);
	runner_mismatches_free(&mm);
	cJSON_Delete(act);
	cj_doc_free(d);
	sb_free(&err);
}
END_TEST

START_TEST(suggest_should_find_close_names_only)
{
	static const char *const names[] = {"stateMachine", "expect", "given", NULL};
	ck_assert_str_eq(runner_suggest("statemachine", names), "stateMachine");
	ck_assert_str_eq(runner_suggest("expct", names), "expect");
	ck_assert_ptr_null(runner_suggest("zzz", names));
}
END_TEST

Suite *suite_runner_match(void)
{
	Suite *s = suite_create("runner/match");
	TCase *tc = tcase_create("match");
	tcase_add_test(tc, match_should_accept_equal_values_and_numbers_by_value);
	tcase_add_test(tc, match_should_name_the_path_expected_and_actual_of_a_difference);
	tcase_add_test(tc, match_should_report_missing_unexpected_and_mistyped_members);
	tcase_add_test(tc, match_should_report_arrays_of_another_length_whole);
	tcase_add_test(tc, matchers_any_absent_and_type_should_hold_as_documented);
	tcase_add_test(tc, matcher_regex_should_search_with_javascript_syntax);
	tcase_add_test(tc, matcher_contains_should_look_inside_strings_arrays_and_objects);
	tcase_add_test(tc, matchers_length_and_comparisons_should_hold_as_documented);
	tcase_add_test(tc, match_validate_should_name_unknown_matchers_with_a_suggestion);
	tcase_add_test(tc, match_should_give_positions_of_expectations_in_their_document);
	tcase_add_test(tc, suggest_should_find_close_names_only);
	suite_add_tcase(s, tc);
	return s;
}
