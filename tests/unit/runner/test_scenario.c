/* test_scenario.c - loading scenario files: fields, and every problem with its position. */
#include <check.h>
#include <string.h>

#include "common/file.h"
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
	ck_assert_int_eq(s->given.functions.n, 1);
	ck_assert_int_eq(f->is_suite, 0);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(s->expect, "status")), "SUCCEEDED");
	ck_assert_int_eq(s->tags.n, 1);
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
	                              "value), 'error' ({\"type\", \"message\"}) or 'code' (a .zip file with the "
	                              "handler, run by its Runtime)\n" FILE_NAME
	                              ":4:49: given.lambda.functions[1] needs exactly one behaviour: 'returns' (a JSON "
	                              "value), 'error' ({\"type\", \"message\"}) or 'code' (a .zip file with the "
	                              "handler, run by its Runtime)\n" FILE_NAME
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

START_TEST(suite_scenarios_should_share_and_override_what_the_suite_gives)
{
	const char *t =
		"{\"name\": \"suite\", \"stateMachine\": \"minimal.asl.json\", \"clock\": \"2025-10-20T10:30:00Z\",\n"
		" \"tags\": [\"s\"], \"input\": {\"shared\": true},\n"
		" \"given\": {\"sqs\": {\"queues\": [{\"QueueName\": \"q\"}]},\n"
		"           \"lambda\": {\"functions\": [{\"FunctionName\": \"f\", \"returns\": 1}, {\"FunctionName\": \"g\", "
		"\"returns\": 2}]},\n"
		"           \"dynamodb\": {\"items\": {\"T\": [{\"PK\": \"a\"}], \"U\": [{\"PK\": \"b\"}]}}},\n"
		" \"mock\": {\"S\": {\"Return\": 1}},\n"
		" \"scenarios\": [\n"
		"  {\"name\": \"one\", \"expect\": {}},\n"
		"  {\"name\": \"two\", \"clock\": \"2025-10-20T11:00:00Z\", \"input\": {\"own\": 1}, \"tags\": [\"x\"],\n"
		"   \"given\": {\"lambda\": {\"functions\": [{\"FunctionName\": \"g\", \"error\": {\"type\": \"E\", \"message\": "
		"\"m\"}}]},\n"
		"             \"dynamodb\": {\"items\": {\"T\": []}}},\n"
		"   \"mock\": {\"S\": [{\"Throw\": {\"Error\": \"E\", \"Cause\": \"c\"}}]},\n"
		"   \"expect\": {}}]}";
	sb err = SB_INIT;
	runner_file *f = runner_file_parse(t, strlen(t), FILE_NAME, &err);
	ck_assert_msg(f != NULL, "%s", sb_str(&err));
	ck_assert(f->is_suite);
	ck_assert_str_eq(f->suite_name, "suite");
	ck_assert_int_eq(f->n, 2);
	const runner_scenario *a = &f->v[0], *b = &f->v[1];
	ck_assert_str_eq(a->state_machine, "tests/data/runner/minimal.asl.json");
	ck_assert(a->clock_ms == 1760956200000LL);
	ck_assert(b->clock_ms == 1760958000000LL);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(a->input, "shared")));
	ck_assert_int_eq(cJSON_GetObjectItem(b->input, "own")->valueint, 1);
	ck_assert_int_eq(a->given.functions.n, 2);
	ck_assert_int_eq(b->given.functions.n, 2);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(b->given.functions.v[1], "error")); /* g replaced */
	ck_assert_int_eq(b->given.queues.n, 1);
	ck_assert_int_eq(b->given.items.n, 2);
	ck_assert_int_eq(cJSON_GetArraySize(b->given.items.v[0]), 0); /* T replaced by [] */
	ck_assert(runner_scenario_has_tag(b, "s") && runner_scenario_has_tag(b, "x"));
	ck_assert(!runner_scenario_has_tag(a, "x"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(runner_scenario_mock(a, "S"), "Return"));
	ck_assert(cJSON_IsArray(runner_scenario_mock(b, "S")));
	ck_assert_ptr_null(runner_scenario_mock(b, "Other"));
	runner_file_free(f);
	sb_free(&err);
}
END_TEST

START_TEST(suite_should_report_problems_of_its_scenarios)
{
	char *e = problems("{\"scenarios\": [{\"name\": \"a\", \"expect\": {}}, 3, {\"name\": \"a\", \"stateMachine\": "
	                   "\"minimal.asl.json\", \"expect\": {}}]}");
	ck_assert_str_eq(e, FILE_NAME ":1:16: missing 'stateMachine' (in the scenario or in its suite)\n" FILE_NAME
	                              ":1:45: scenarios[1] must be an object, not number\n" FILE_NAME
	                              ":1:57: another scenario of this suite is named 'a' already\n");
	mem_free(e);
	e = problems("{\"stateMachine\": \"minimal.asl.json\", \"scenarios\": []}");
	ck_assert_str_eq(e, FILE_NAME ":1:51: scenarios must hold at least one scenario\n");
	mem_free(e);
}
END_TEST

START_TEST(scenario_should_check_mocks_faults_and_assertions)
{
	char *e = problems(
		"{\"name\": \"n\", \"stateMachine\": \"minimal.asl.json\",\n"
		"\"mock\": {\"A\": {\"Return\": 1, \"Throw\": {}}, \"B\": {\"0\": {\"Return\": 1}, \"2\": {\"Return\": 2}},\n"
		"         \"C\": {\"Throw\": {\"Error\": \"E\"}}, \"D\": [], \"E\": {\"x\": 1}},\n"
		"\"faults\": [{\"service\": \"dynamo\", \"operation\": \"PutItem\", \"error\": \"E\", \"count\": 0}],\n"
		"\"expect\": {\"assert\": [\"execution.status = \", 3]}}");
	ck_assert_str_eq(e, FILE_NAME ":2:15: mock['A']: an answer is {\"Return\": <result>} or {\"Throw\": {\"Error\", "
	                              "\"Cause\"}}\n" FILE_NAME
	                              ":2:69: mock['B']: invocations must be covered in order from 0 without gaps or "
	                              "overlaps; expected 1 here\n" FILE_NAME
	                              ":3:25: missing required member 'Cause' in Throw\n" FILE_NAME
	                              ":3:47: mock['D'] needs at least one answer\n" FILE_NAME
	                              ":3:57: mock['E']: 'x' is not an invocation number or range such as \"0\" or "
	                              "\"1-2\"\n" FILE_NAME
	                              ":4:24: faults[0].service must be dynamodb, sqs, lambda or states (did you mean "
	                              "dynamodb?)\n" FILE_NAME
	                              ":4:81: faults[0].count must be a positive integer, or -1 for every call\n" FILE_NAME
	                              ":5:23: expect.assert[0]: S0207 at character 19: Unexpected end of expression\n" FILE_NAME
	                              ":5:46: expect.assert[1] must be a JSONata expression (a string)\n");
	mem_free(e);
}
END_TEST

/* Every member the JSON Schema documents is one the loader knows: a file
 * giving it (even with a wrong value) never hears "unknown member". */
static void schema_members_known(const cJSON *props, const char *before, const char *after, const char *where,
                                 const char *unknown_what)
{
	const cJSON *p;
	int n = 0;
	cJSON_ArrayForEach(p, props)
	{
		sb t = SB_INIT, err = SB_INIT, unknown = SB_INIT;
		sb_printf(&t, "%s\"%s\": null%s", before, p->string, after);
		runner_file *f = runner_file_parse(t.buf, t.len, FILE_NAME, &err);
		runner_file_free(f);
		sb_printf(&unknown, "unknown %s '%s'", unknown_what, p->string);
		ck_assert_msg(!strstr(sb_str(&err), sb_str(&unknown)), "%s: the schema's '%s' is unknown to the loader: %s",
		              where, p->string, sb_str(&err));
		sb_free(&t);
		sb_free(&err);
		sb_free(&unknown);
		n++;
	}
	ck_assert_int_gt(n, 0);
}

START_TEST(schema_members_should_all_be_known_to_the_loader)
{
	size_t len;
	char *text = file_read("scenarios/scenario.schema.json", 1u << 20, &len, NULL);
	ck_assert_ptr_nonnull(text);
	cJSON *schema = cJSON_Parse(text);
	mem_free(text);
	ck_assert_ptr_nonnull(schema);
	cJSON *defs = cJSON_GetObjectItem(schema, "$defs");
#define PROPS(def) cJSON_GetObjectItem(cJSON_GetObjectItem(defs, def), "properties")
	schema_members_known(PROPS("scenarioFile"), "{", "}", "scenarioFile", "member");
	schema_members_known(PROPS("suiteFile"), "{\"scenarios\": [], ", "}", "suiteFile", "member");
	schema_members_known(PROPS("suiteScenario"), "{\"scenarios\": [{", "}]}", "suiteScenario", "member");
	schema_members_known(PROPS("expect"), "{\"expect\": {", "}}", "expect", "member");
	schema_members_known(PROPS("given"), "{\"given\": {", "}}", "given", "member");
	schema_members_known(PROPS("matcher"), "{\"expect\": {\"output\": {", "}}}", "matcher", "matcher");
#undef PROPS
	/* and the check can fail */
	sb err = SB_INIT;
	runner_file_free(runner_file_parse("{\"bogus\": 1, \"expect\": {\"output\": {\"$bogus\": 1}}}", 49, FILE_NAME, &err));
	ck_assert_ptr_nonnull(strstr(sb_str(&err), "unknown member 'bogus'"));
	ck_assert_ptr_nonnull(strstr(sb_str(&err), "unknown matcher '$bogus'"));
	sb_free(&err);
	cJSON_Delete(schema);
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
	tcase_add_test(tc, suite_scenarios_should_share_and_override_what_the_suite_gives);
	tcase_add_test(tc, suite_should_report_problems_of_its_scenarios);
	tcase_add_test(tc, scenario_should_check_mocks_faults_and_assertions);
	tcase_add_test(tc, schema_members_should_all_be_known_to_the_loader);
	suite_add_tcase(s, tc);
	return s;
}
