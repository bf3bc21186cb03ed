/* test_scenario.c - loading scenario files: fields, and every problem with its position. */
#include <check.h>
#include <string.h>

#include "common/mem.h"
#include "runner/scenario.h"
#include "tests/suites.h"

/* Runs from the repository root (make test). */
#define FILE_NAME "tests/data/runner/t.scenario.json"

/* The problems loading text reports (NULL file expected). */
static char *problems(const char *text)
{
	sb err = SB_INIT;
	runner_file *f = runner_file_parse(text, strlen(text), FILE_NAME, &err);
	ck_assert_msg(f == NULL, "loaded a file that has problems");
	return sb_steal(&err);
}

START_TEST(scenario_should_load_every_field)
{
	const char *t = "{\"name\": \"n\", \"stateMachine\": \"minimal.asl.json\", \"clock\": \"2025-10-20T10:30:05Z\",\n"
	                " \"input\": {\"a\": 1}, \"tags\": [\"smoke\"],\n"
	                " \"given\": {\"lambda\": {\"functions\": [{\"FunctionName\": \"f\", \"returns\": 1}]}},\n"
	                " \"expect\": {\"status\": \"SUCCEEDED\", \"path\": [\"Done\"]}}";
	sb err = SB_INIT;
	runner_file *f = runner_file_parse(t, strlen(t), FILE_NAME, &err);
	ck_assert_msg(f != NULL, "%s", sb_str(&err));
	ck_assert_int_eq(f->n, 1);
	const runner_scenario *s = &f->v[0];
	ck_assert_str_eq(s->name, "n");
	ck_assert_str_eq(s->state_machine, "tests/data/runner/minimal.asl.json");
	ck_assert(s->clock_ms == 1760956205000LL);
	ck_assert_int_eq(cJSON_GetObjectItem(s->input, "a")->valueint, 1);
	ck_assert_ptr_nonnull(s->given);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(s->expect, "status")), "SUCCEEDED");
	ck_assert_int_eq(cJSON_GetArraySize(s->tags), 1);
	runner_file_free(f);
	sb_free(&err);
}
END_TEST

START_TEST(scenario_without_a_clock_should_start_at_the_default_time)
{
	const char *t = "{\"name\": \"n\", \"stateMachine\": \"minimal.asl.json\", \"expect\": {}}";
	sb err = SB_INIT;
	runner_file *f = runner_file_parse(t, strlen(t), FILE_NAME, &err);
	ck_assert_msg(f != NULL, "%s", sb_str(&err));
	ck_assert(f->v[0].clock_ms == 1735689600000LL);
	ck_assert_ptr_null(f->v[0].input);
	runner_file_free(f);
	sb_free(&err);
}
END_TEST

START_TEST(scenario_that_is_not_json_should_fail_with_file_line_and_column)
{
	char *e = problems("{\n  \"name\": \"n\",\n  \"expect\": {\n}");
	ck_assert_str_eq(e, FILE_NAME ":4:2: unexpected end of input: expected ',' or '}'\n");
	mem_free(e);
	e = problems("[1]");
	ck_assert_str_eq(e, FILE_NAME ":1:1: a scenario file holds an object, not array\n");
	mem_free(e);
}
END_TEST

START_TEST(scenario_should_name_missing_and_unknown_members_with_positions)
{
	char *e = problems("{\n  \"name\": \"n\",\n  \"expct\": {}\n}");
	ck_assert_str_eq(e, FILE_NAME ":3:3: unknown member 'expct' (did you mean 'expect'?)\n" FILE_NAME
	                              ":1:1: missing required member 'stateMachine'\n" FILE_NAME
	                              ":1:1: missing required member 'expect'\n");
	mem_free(e);
}
END_TEST

START_TEST(scenario_should_reject_wrong_types_and_values)
{
	char *e = problems("{\"name\": 3, \"stateMachine\": \"minimal.asl.json\", \"clock\": \"tomorrow\",\n"
	                   " \"expect\": {\"status\": \"SUCCEDED\", \"path\": \"Done\"}}");
	ck_assert_str_eq(e, FILE_NAME ":1:10: name must be a string, not number\n" FILE_NAME
	                              ":1:58: clock must be an ISO 8601 date-time such as \"2025-10-20T10:30:00Z\"\n" FILE_NAME
	                              ":2:23: expect.status must be one of SUCCEEDED, FAILED, TIMED_OUT, ABORTED (did you "
	                              "mean SUCCEEDED?)\n" FILE_NAME
	                              ":2:43: expect.path must be an array of state names or a matcher\n");
	mem_free(e);
}
END_TEST

START_TEST(scenario_should_report_a_state_machine_that_cannot_be_read)
{
	char *e = problems("{\"name\": \"n\", \"stateMachine\": \"nope.asl.json\", \"expect\": {}}");
	ck_assert_str_eq(e, FILE_NAME ":1:31: stateMachine: cannot read 'tests/data/runner/nope.asl.json': No such file "
	                              "or directory\n");
	mem_free(e);
}
END_TEST

START_TEST(scenario_should_check_given_entries)
{
	char *e = problems("{\"name\": \"n\", \"stateMachine\": \"minimal.asl.json\", \"expect\": {},\n"
	                   "\"given\": {\"dynamodb\": {\"tables\": [{\"KeySchema\": []}], \"items\": {\"T\": [1]}},\n"
	                   "\"sqs\": {\"queue\": []},\n"
	                   "\"lambda\": {\"functions\": [{\"FunctionName\": \"f\"}, {\"FunctionName\": \"g\", \"returns\": 1, "
	                   "\"error\": {\"type\": \"E\"}}]}}}");
	ck_assert_str_eq(e, FILE_NAME ":2:35: given.dynamodb.tables[0] needs a string member 'TableName'\n" FILE_NAME
	                              ":2:71: given.dynamodb.items['T'][0] must be an object, not number\n" FILE_NAME
	                              ":3:9: unknown member 'queue' in given.sqs (did you mean 'queues'?)\n" FILE_NAME
	                              ":4:26: given.lambda.functions[0] needs exactly one behaviour: 'returns' (a JSON "
	                              "value) or 'error' ({\"type\", \"message\"})\n" FILE_NAME
	                              ":4:49: given.lambda.functions[1] needs exactly one behaviour: 'returns' (a JSON "
	                              "value) or 'error' ({\"type\", \"message\"})\n" FILE_NAME
	                              ":4:94: missing required member 'message' in given.lambda.functions[1].error\n");
	mem_free(e);
}
END_TEST

START_TEST(scenario_should_check_expectations_and_their_matchers)
{
	char *e = problems(
		"{\"name\": \"n\", \"stateMachine\": \"minimal.asl.json\",\n"
		"\"given\": {\"dynamodb\": {\"tables\": [{\"TableName\": \"T\", \"KeySchema\": [{\"AttributeName\": \"PK\", "
		"\"KeyType\": \"HASH\"}]}]}},\n"
		"\"expect\": {\"dynamodb\": {\"T\": [{\"name\": \"x\"}]}, \"sqs\": {\"q\": 1},\n"
		"\"output\": {\"id\": {\"$tpye\": \"string\"}}}}");
	ck_assert_str_eq(e, FILE_NAME ":3:31: expect.dynamodb['T'][0] needs the key attribute 'PK' as a plain value "
	                              "(items are found by their key)\n" FILE_NAME
	                              ":3:61: expect.sqs['q'] must be an array or a matcher, not number\n" FILE_NAME
	                              ":4:19: unknown matcher '$tpye' (did you mean '$type'?)\n");
	mem_free(e);
}
END_TEST

START_TEST(scenario_should_reject_duplicate_members)
{
	char *e = problems("{\"name\": \"a\", \"stateMachine\": \"minimal.asl.json\", \"expect\": {}, \"name\": \"b\"}");
	ck_assert_str_eq(e, FILE_NAME ":1:65: duplicate member 'name'\n");
	mem_free(e);
}
END_TEST

START_TEST(scenario_load_should_report_a_file_that_cannot_be_read)
{
	sb err = SB_INIT;
	ck_assert_ptr_null(runner_file_load("tests/data/runner/absent.scenario.json", &err));
	ck_assert_str_eq(sb_str(&err), "tests/data/runner/absent.scenario.json: No such file or directory\n");
	sb_free(&err);
}
END_TEST

START_TEST(scenario_names_should_end_in_scenario_json)
{
	ck_assert(runner_is_scenario_name("a.scenario.json"));
	ck_assert(!runner_is_scenario_name(".scenario.json"));
	ck_assert(!runner_is_scenario_name("a.asl.json"));
}
END_TEST

Suite *suite_runner_scenario(void)
{
	Suite *s = suite_create("runner/scenario");
	TCase *tc = tcase_create("scenario");
	tcase_add_test(tc, scenario_should_load_every_field);
	tcase_add_test(tc, scenario_without_a_clock_should_start_at_the_default_time);
	tcase_add_test(tc, scenario_that_is_not_json_should_fail_with_file_line_and_column);
	tcase_add_test(tc, scenario_should_name_missing_and_unknown_members_with_positions);
	tcase_add_test(tc, scenario_should_reject_wrong_types_and_values);
	tcase_add_test(tc, scenario_should_report_a_state_machine_that_cannot_be_read);
	tcase_add_test(tc, scenario_should_check_given_entries);
	tcase_add_test(tc, scenario_should_check_expectations_and_their_matchers);
	tcase_add_test(tc, scenario_should_reject_duplicate_members);
	tcase_add_test(tc, scenario_load_should_report_a_file_that_cannot_be_read);
	tcase_add_test(tc, scenario_names_should_end_in_scenario_json);
	suite_add_tcase(s, tc);
	return s;
}
