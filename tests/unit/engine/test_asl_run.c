/* test_asl_run.c - executions: every state type, both query languages, variables, Retry/Catch, time, history. */
#include <check.h>
#include <stdio.h>
#include <time.h>

#include "tests/suites.h"
#include "tests/unit/engine/asl_test.h"

/* ---- Pass and JSONPath data flow ------------------------------------- */

START_TEST(pass_should_apply_input_result_and_output_paths)
{
	run r = run_def("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"InputPath\": \"$.in\", "
	                "\"Parameters\": {\"v.$\": \"$.x\", \"lit\": \"$.x\"}, \"ResultPath\": \"$.res\", "
	                "\"OutputPath\": \"$.res\", \"End\": true}}}",
	                "{\"in\": {\"x\": 5}, \"other\": 1}", NULL);
	assert_output(&r, "{\"v\": 5, \"lit\": \"$.x\"}");
	run_free(&r);
}
END_TEST

START_TEST(pass_result_path_should_merge_into_the_raw_input)
{
	run r = run_def("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"InputPath\": \"$.a\", "
	                "\"Result\": {\"k.$\": \"$.not-evaluated\"}, \"ResultPath\": \"$.b\", \"End\": true}}}",
	                "{\"a\": 1}", NULL);
	assert_output(&r, "{\"a\": 1, \"b\": {\"k.$\": \"$.not-evaluated\"}}");
	run_free(&r);
}
END_TEST

START_TEST(pass_null_paths_should_give_empty_objects_or_keep_the_input)
{
	run r = run_def("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Result\": 1, \"ResultPath\": "
	                "null, \"Next\": \"B\"}, \"B\": {\"Type\": \"Pass\", \"InputPath\": null, \"End\": true}}}",
	                "{\"a\": 1}", NULL);
	assert_output(&r, "{}");
	run_free(&r);
}
END_TEST

START_TEST(missing_input_path_should_fail_with_states_runtime_naming_the_entered_event)
{
	run r = run_def("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"InputPath\": "
	                "\"$.NoSuchInputPath\", \"End\": true}}}",
	                "{}", NULL);
	assert_failed(&r, "States.Runtime",
	              "An error occurred while executing the state 'P' (entered at the event id #2). Invalid path "
	              "'$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']");
	char *t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted PassStateEntered ExecutionFailed");
	mem_free(t);
	run_free(&r);
}
END_TEST

START_TEST(result_path_into_a_non_object_should_fail_with_result_path_match_failure)
{
	run r = run_def("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Result\": 1, \"ResultPath\": "
	                "\"$.a.b\", \"End\": true}}}",
	                "{\"a\": \"text\"}", NULL);
	assert_failed(&r, "States.ResultPathMatchFailure", "Unable to apply ResultPath");
	run_free(&r);
}
END_TEST

START_TEST(context_object_should_carry_execution_and_state)
{
	run r = run_def("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Parameters\": {\"c.$\": \"$$\"}, "
	                "\"End\": true}}}",
	                "{\"k\": 1}", NULL);
	const cJSON *c = cJSON_GetObjectItem(engine_exec_output(r.x), "c");
	ck_assert_str_eq(cj_str(cj_obj(c, "Execution"), "Id"), "arn:aws:states:us-east-1:000000000000:execution:test:run-1");
	ck_assert_str_eq(cj_str(cj_obj(c, "Execution"), "StartTime"), "2025-10-20T10:30:00.000Z");
	ck_assert_int_eq((int)cj_num(cj_obj(cj_obj(c, "Execution"), "Input"), "k", 0), 1);
	ck_assert_ptr_null(cJSON_GetObjectItem(cj_obj(c, "State"), "RetryCount")); /* Task/Parallel/Map only */
	ck_assert_str_eq(cj_str(cj_obj(c, "State"), "Name"), "P");
	ck_assert_str_eq(cj_str(cj_obj(c, "StateMachine"), "Name"), "test");
	run_free(&r);
}
END_TEST

/* ---- JSONata ----------------------------------------------------------- */

START_TEST(jsonata_templates_should_evaluate_only_whole_strings_in_nested_values)
{
	run r = run_def("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", "
	                "\"Output\": {\"a\": \"{% $states.input.x + 1 %}\", \"b\": [\"{% 'x' & 'y' %}\", \"lit {% 1 %}\"], "
	                "\"c\": \"$states.input\"}, \"End\": true}}}",
	                "{\"x\": 1}", NULL);
	assert_output(&r, "{\"a\": 2, \"b\": [\"xy\", \"lit {% 1 %}\"], \"c\": \"$states.input\"}");
	run_free(&r);
}
END_TEST

START_TEST(jsonata_assign_should_see_pre_state_values_and_apply_at_exit)
{
	run r = run_def("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", "
	                "\"Assign\": {\"a\": 1}, \"Next\": \"B\"}, \"B\": {\"Type\": \"Pass\", \"Assign\": {\"a\": 2, "
	                "\"b\": \"{% $a %}\"}, \"Output\": {\"a\": \"{% $a %}\"}, \"Next\": \"C\"}, \"C\": {\"Type\": "
	                "\"Pass\", \"Output\": {\"a\": \"{% $a %}\", \"b\": \"{% $b %}\", \"before\": \"{% "
	                "$states.input.a %}\"}, \"End\": true}}}",
	                "{}", NULL);
	assert_output(&r, "{\"a\": 2, \"b\": 1, \"before\": 1}");
	/* assignedVariables in the Exited event, values as JSON text */
	const cJSON *ev = event_at(&r, 5);
	ck_assert_str_eq(cj_str(ev, "type"), "PassStateExited");
	const cJSON *av = cj_obj(cj_obj(ev, "stateExitedEventDetails"), "assignedVariables");
	ck_assert_str_eq(cj_str(av, "a"), "2");
	ck_assert_str_eq(cj_str(av, "b"), "1");
	run_free(&r);
}
END_TEST

START_TEST(jsonata_undefined_should_fail_with_query_evaluation_error)
{
	run r = run_def("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"S\", \"States\": {\"S\": {\"Type\": \"Pass\", "
	                "\"Output\": {\"result\": \"{% $doesNotExist %}\"}, \"End\": true}}}",
	                "{}", NULL);
	assert_failed(&r, "States.QueryEvaluationError",
	              "An error occurred while executing the state 'S' (entered at the event id #2). The JSONata "
	              "expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).");
	char *t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted PassStateEntered EvaluationFailed ExecutionFailed");
	mem_free(t);
	run_free(&r);
}
END_TEST

START_TEST(jsonata_now_should_read_the_engine_clock)
{
	run r = run_def("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", "
	                "\"Seconds\": 3600, \"Next\": \"P\"}, \"P\": {\"Type\": \"Pass\", \"Output\": \"{% $now() %}\", "
	                "\"End\": true}}}",
	                "{}", NULL);
	assert_output(&r, "\"2025-10-20T11:30:00.000Z\"");
	run_free(&r);
}
END_TEST

START_TEST(jsonata_choice_should_use_the_matching_rules_assign_and_output)
{
	const char *def = "{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Choice\", "
	                  "\"Choices\": [{\"Condition\": \"{% $states.input.n > 1 %}\", \"Assign\": {\"v\": \"big\"}, "
	                  "\"Output\": {\"rule\": 1}, \"Next\": \"D\"}], \"Default\": \"D\", \"Assign\": {\"v\": "
	                  "\"small\"}}, \"D\": {\"Type\": \"Pass\", \"Output\": {\"v\": \"{% $v %}\", \"in\": \"{% "
	                  "$states.input %}\"}, \"End\": true}}}";
	run r = run_def(def, "{\"n\": 5}", NULL);
	assert_output(&r, "{\"v\": \"big\", \"in\": {\"rule\": 1}}");
	run_free(&r);
	r = run_def(def, "{\"n\": 0}", NULL);
	assert_output(&r, "{\"v\": \"small\", \"in\": {\"n\": 0}}");
	run_free(&r);
}
END_TEST

START_TEST(mixed_query_languages_should_pass_data_between_states)
{
	run r = run_def("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"QueryLanguage\": \"JSONata\", "
	                "\"Assign\": {\"x\": 3}, \"Output\": {\"o\": \"{% $states.input.i %}\"}, \"Next\": \"B\"}, \"B\": "
	                "{\"Type\": \"Pass\", \"Parameters\": {\"o.$\": \"$.o\", \"x.$\": \"$x\"}, \"End\": true}}}",
	                "{\"i\": 7}", NULL);
	assert_output(&r, "{\"o\": 7, \"x\": 3}");
	run_free(&r);
}
END_TEST

/* ---- Choice (JSONPath) ----------------------------------------------- */

START_TEST(choice_should_evaluate_operators_and_compositions)
{
	const char *def =
		"{\"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Choice\", \"Choices\": ["
		"{\"And\": [{\"Variable\": \"$.n\", \"IsNumeric\": true}, {\"Variable\": \"$.n\", \"NumericGreaterThan\": "
		"10}], \"Next\": \"Big\"},"
		"{\"Not\": {\"Variable\": \"$.s\", \"StringMatches\": \"a*z\"}, \"Next\": \"NoMatch\"},"
		"{\"Variable\": \"$.t\", \"TimestampLessThanPath\": \"$.u\", \"Next\": \"Earlier\"}"
		"], \"Default\": \"Other\"}, \"Big\": {\"Type\": \"Pass\", \"Result\": \"big\", \"End\": true}, "
		"\"NoMatch\": {\"Type\": \"Pass\", \"Result\": \"nomatch\", \"End\": true}, \"Earlier\": {\"Type\": \"Pass\", "
		"\"Result\": \"earlier\", \"End\": true}, \"Other\": {\"Type\": \"Pass\", \"Result\": \"other\", \"End\": "
		"true}}}";
	struct {
		const char *in, *out;
	} cases[] = {
		{"{\"n\": 11, \"s\": \"abz\"}", "\"big\""},
		{"{\"n\": \"11\", \"s\": \"abc\"}", "\"nomatch\""},
		{"{\"s\": \"az\", \"t\": \"2020-01-01T00:00:00Z\", \"u\": \"2021-01-01T00:00:00+01:00\"}", "\"earlier\""},
		{"{\"s\": \"az\", \"t\": \"not a time\", \"u\": \"2021-01-01T00:00:00Z\"}", "\"other\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run r = run_def(def, cases[i].in, NULL);
		assert_output(&r, cases[i].out);
		run_free(&r);
	}
}
END_TEST

START_TEST(choice_without_a_match_or_default_should_fail_with_no_choice_matched)
{
	run r = run_def("{\"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": "
	                "\"$.a\", \"BooleanEquals\": true, \"Next\": \"S\"}]}, \"S\": {\"Type\": \"Succeed\"}}}",
	                "{\"a\": false}", NULL);
	assert_failed(&r, "States.NoChoiceMatched", NULL);
	run_free(&r);
}
END_TEST

START_TEST(choice_is_present_and_is_null_should_tell_missing_from_null)
{
	const char *def = "{\"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": "
	                  "\"$.a\", \"IsNull\": true, \"Next\": \"N\"}, {\"Variable\": \"$.a\", \"IsPresent\": false, "
	                  "\"Next\": \"M\"}], \"Default\": \"D\"}, \"N\": {\"Type\": \"Pass\", \"Result\": \"null\", "
	                  "\"End\": true}, \"M\": {\"Type\": \"Pass\", \"Result\": \"missing\", \"End\": true}, \"D\": "
	                  "{\"Type\": \"Pass\", \"Result\": \"value\", \"End\": true}}}";
	run r = run_def(def, "{\"a\": null}", NULL);
	assert_output(&r, "\"null\"");
	run_free(&r);
	r = run_def(def, "{}", NULL);
	assert_output(&r, "\"missing\"");
	run_free(&r);
	r = run_def(def, "{\"a\": 0}", NULL);
	assert_output(&r, "\"value\"");
	run_free(&r);
}
END_TEST

/* ---- Wait, Succeed, Fail --------------------------------------------- */

START_TEST(wait_of_an_hour_should_take_no_real_time_on_the_virtual_clock)
{
	run r = run_def("{\"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", \"Seconds\": 3600, \"End\": "
	                "true}}}",
	                "{\"k\": 1}", NULL);
	assert_output(&r, "{\"k\": 1}");
	ck_assert_int_eq(clk_now_ms(r.clock), T0_MS + 3600 * 1000);
	double t_exit = cJSON_GetObjectItem(event_at(&r, 3), "timestamp")->valuedouble;
	ck_assert_int_eq((int64_t)t_exit, T0_MS + 3600 * 1000);
	run_free(&r);
}
END_TEST

START_TEST(wait_paths_should_check_their_values)
{
	const char *def = "{\"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", \"SecondsPath\": "
	                  "\"$.s\", \"End\": true}}}";
	run r = run_def(def, "{\"s\": -1}", NULL);
	assert_failed(&r, "States.Runtime", "The SecondsPath parameter references a negative value: $.s == -1");
	run_free(&r);
	r = run_def(def, "{\"s\": 1.5}", NULL);
	assert_failed(&r, "States.Runtime", "cannot be parsed as a long value: $.s == 1.5");
	run_free(&r);
	r = run_def("{\"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", \"TimestampPath\": \"$.t\", "
	            "\"End\": true}}}",
	            "{\"t\": \"2025-10-20T12:00:00Z\"}", NULL);
	assert_output(&r, "{\"t\": \"2025-10-20T12:00:00Z\"}");
	ck_assert_int_eq(clk_now_ms(r.clock), T0_MS + 90 * 60 * 1000);
	run_free(&r);
}
END_TEST

START_TEST(fail_should_end_with_its_error_and_cause_or_none)
{
	run r = run_def("{\"StartAt\": \"F\", \"States\": {\"F\": {\"Type\": \"Fail\", \"Error\": \"E\", \"Cause\": "
	                "\"C\"}}}",
	                "{}", NULL);
	assert_failed(&r, "E", "C");
	char *t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted FailStateEntered ExecutionFailed");
	mem_free(t);
	ck_assert_str_eq(cj_str(cj_obj(event_at(&r, 3), "executionFailedEventDetails"), "error"), "E");
	run_free(&r);
	r = run_def("{\"StartAt\": \"F\", \"States\": {\"F\": {\"Type\": \"Fail\"}}}", "{}", NULL);
	assert_failed(&r, NULL, NULL);
	ck_assert_ptr_null(engine_exec_cause(r.x));
	run_free(&r);
	r = run_def("{\"StartAt\": \"F\", \"States\": {\"F\": {\"Type\": \"Fail\", \"ErrorPath\": \"$.e\", "
	            "\"CausePath\": \"States.Format('bad {}', $.c)\"}}}",
	            "{\"e\": \"Err\", \"c\": 7}", NULL);
	assert_failed(&r, "Err", "bad 7");
	run_free(&r);
}
END_TEST

START_TEST(succeed_should_emit_entered_and_exited)
{
	run r = run_def("{\"StartAt\": \"S\", \"States\": {\"S\": {\"Type\": \"Succeed\", \"OutputPath\": \"$.a\"}}}",
	                "{\"a\": [1]}", NULL);
	assert_output(&r, "[1]");
	char *t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted SucceedStateEntered SucceedStateExited ExecutionSucceeded");
	mem_free(t);
	run_free(&r);
}
END_TEST

/* ---- history numbering ----------------------------------------------- */

START_TEST(history_should_number_events_and_link_previous_ids)
{
	run r = run_def("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}, \"B\": "
	                "{\"Type\": \"Pass\", \"End\": true}}}",
	                "{}", NULL);
	int i = 0;
	for (const cJSON *e = engine_exec_history(r.x)->child; e; e = e->next, i++) {
		ck_assert_int_eq((int)cj_num(e, "id", -1), i + 1);
		ck_assert_int_eq((int)cj_num(e, "previousEventId", -1), i);
	}
	ck_assert_int_eq(i, 6);
	const cJSON *d = cj_obj(event_at(&r, 2), "stateEnteredEventDetails");
	ck_assert_str_eq(cj_str(d, "name"), "A");
	ck_assert_str_eq(cj_str(d, "input"), "{}");
	run_free(&r);
}
END_TEST

/* ---- Parallel and Map -------------------------------------------------- */

START_TEST(parallel_should_return_branch_outputs_in_order_and_scope_variables)
{
	run r = run_def("{\"StartAt\": \"V\", \"States\": {\"V\": {\"Type\": \"Pass\", \"Assign\": {\"outer\": 1}, "
	                "\"Next\": \"P\"}, \"P\": {\"Type\": \"Parallel\", \"Branches\": ["
	                "{\"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", \"Seconds\": 10, \"Next\": \"X\"}, "
	                "\"X\": {\"Type\": \"Pass\", \"Parameters\": {\"b\": 0, \"o.$\": \"$outer\"}, \"End\": true}}},"
	                "{\"StartAt\": \"Y\", \"States\": {\"Y\": {\"Type\": \"Pass\", \"Assign\": {\"inner\": 2}, "
	                "\"Result\": {\"b\": 1}, \"End\": true}}}], \"Next\": \"Z\"}, \"Z\": {\"Type\": \"Pass\", "
	                "\"Parameters\": {\"r.$\": \"$\", \"t.$\": \"$$.State.EnteredTime\"}, \"End\": true}}}",
	                "{}", NULL);
	assert_output(&r, "{\"r\": [{\"b\": 0, \"o\": 1}, {\"b\": 1}], \"t\": \"2025-10-20T10:30:10.000Z\"}");
	ck_assert_ptr_null(cJSON_GetObjectItem(engine_exec_variables(r.x), "inner"));
	run_free(&r);
}
END_TEST

START_TEST(parallel_should_fail_with_the_branch_error)
{
	run r = run_def("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Parallel\", \"Branches\": [{\"StartAt\": "
	                "\"F\", \"States\": {\"F\": {\"Type\": \"Fail\", \"Error\": \"Boom\", \"Cause\": \"c\"}}}], "
	                "\"Catch\": [{\"ErrorEquals\": [\"Boom\"], \"ResultPath\": \"$.err\", \"Next\": \"S\"}], \"End\": "
	                "true}, \"S\": {\"Type\": \"Succeed\"}}}",
	                "{}", NULL);
	assert_output(&r, "{\"err\": {\"Error\": \"Boom\", \"Cause\": \"c\"}}");
	char *t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted ParallelStateEntered ParallelStateStarted FailStateEntered "
	                    "ParallelStateFailed ParallelStateExited SucceedStateEntered SucceedStateExited "
	                    "ExecutionSucceeded");
	mem_free(t);
	run_free(&r);
}
END_TEST

START_TEST(map_should_keep_item_order_and_respect_item_selector)
{
	run r = run_def("{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", \"ItemsPath\": \"$.xs\", "
	                "\"MaxConcurrency\": 2, \"ItemSelector\": {\"v.$\": \"$$.Map.Item.Value\", \"i.$\": "
	                "\"$$.Map.Item.Index\", \"k.$\": \"$.k\"}, \"ItemProcessor\": {\"StartAt\": \"W\", \"States\": "
	                "{\"W\": {\"Type\": \"Wait\", \"SecondsPath\": \"$.v\", \"End\": true}}}, \"End\": true}}}",
	                "{\"xs\": [3, 1, 2], \"k\": \"K\"}", NULL);
	assert_output(&r, "[{\"v\": 3, \"i\": 0, \"k\": \"K\"}, {\"v\": 1, \"i\": 1, \"k\": \"K\"}, {\"v\": 2, \"i\": 2, "
	                  "\"k\": \"K\"}]");
	/* two lanes: 3 s and 1 s start together, the third starts at 1 s and ends at 3 s */
	ck_assert_int_eq(clk_now_ms(r.clock), T0_MS + 3000);
	run_free(&r);
}
END_TEST

START_TEST(map_over_a_thousand_items_should_be_quick)
{
	sb in = SB_INIT;
	sb_cat(&in, "[");
	for (int i = 0; i < 1000; i++)
		sb_printf(&in, "%s%d", i ? "," : "", i);
	sb_cat(&in, "]");
	run r = run_def("{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", \"ItemProcessor\": {\"StartAt\": "
	                "\"W\", \"States\": {\"W\": {\"Type\": \"Wait\", \"Seconds\": 60, \"Next\": \"P\"}, \"P\": "
	                "{\"Type\": \"Pass\", \"End\": true}}}, \"End\": true}}}",
	                sb_str(&in), NULL);
	ck_assert_int_eq(engine_exec_status(r.x), ENGINE_SUCCEEDED);
	ck_assert_int_eq(cJSON_GetArraySize(engine_exec_output(r.x)), 1000);
	ck_assert_int_eq(clk_now_ms(r.clock), T0_MS + 60000); /* unbounded concurrency: all wait together */
	sb_free(&in);
	run_free(&r);
}
END_TEST

START_TEST(map_should_fail_with_the_iteration_error_unless_tolerated)
{
	const char *proc = "\"ItemProcessor\": {\"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Choice\", "
	                   "\"Choices\": [{\"Variable\": \"$\", \"NumericEquals\": 2, \"Next\": \"F\"}], \"Default\": "
	                   "\"P\"}, \"F\": {\"Type\": \"Fail\", \"Error\": \"Two\"}, \"P\": {\"Type\": \"Pass\", \"End\": "
	                   "true}}}";
	sb d = SB_INIT;
	sb_printf(&d, "{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", %s, \"End\": true}}}", proc);
	run r = run_def(sb_str(&d), "[1, 2, 3]", NULL);
	assert_failed(&r, "Two", NULL);
	run_free(&r);
	sb_clear(&d);
	sb_printf(&d, "{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", \"ToleratedFailureCount\": 1, %s, "
	              "\"End\": true}}}",
	          proc);
	r = run_def(sb_str(&d), "[1, 2, 3]", NULL);
	assert_output(&r, "[1, {\"Error\": \"Two\", \"Cause\": \"\"}, 3]");
	run_free(&r);
	sb_clear(&d);
	sb_printf(&d, "{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", \"ToleratedFailurePercentage\": 10, "
	              "%s, \"End\": true}}}",
	          proc);
	r = run_def(sb_str(&d), "[1, 2, 3]", NULL);
	assert_failed(&r, "States.ExceedToleratedFailureThreshold", NULL);
	run_free(&r);
	sb_free(&d);
}
END_TEST

START_TEST(jsonata_map_items_should_be_an_array)
{
	run r = run_def("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", "
	                "\"Items\": \"{% true %}\", \"ItemProcessor\": {\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": "
	                "\"Pass\", \"End\": true}}}, \"End\": true}}}",
	                "{}", NULL);
	assert_failed(&r, "States.QueryEvaluationError",
	              "The JSONata expression 'true' specified for the field 'Items' returned an unexpected result type. "
	              "Expected 'array', but was 'boolean' for value: true");
	run_free(&r);
}
END_TEST

/* ---- tasks, Retry, Catch ------------------------------------------- */

static const char *lambda_task =
	"{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\", "
	"\"Parameters\": {\"FunctionName\": \"f\", \"Payload.$\": \"$\"}, @EXTRA@ \"Next\": \"H\"}, \"H\": {\"Type\": \"Pass\", "
	"\"End\": true}}}";

/* lambda_task with @EXTRA@ replaced by extra fields. */
static void lambda_def(sb *d, const char *extra)
{
	const char *at = strstr(lambda_task, "@EXTRA@");
	sb_catn(d, lambda_task, (size_t)(at - lambda_task));
	sb_cat(d, extra);
	sb_cat(d, at + 7);
}

static run run_lambda(const char *extra, const char *answers, fake_tp **fp)
{
	sb d = SB_INIT;
	lambda_def(&d, extra);
	fake_tp *f = fake_new(answers);
	engine_env env = {0};
	env.tp = &f->t;
	run r = run_env(sb_str(&d), "{\"k\": 1}", &env);
	sb_free(&d);
	*fp = f;
	return r;
}

static const char *ok_answer = "{\"out\": {\"StatusCode\": 200, \"Payload\": \"{\\\"r\\\": 1}\", \"ExecutedVersion\": "
                               "\"$LATEST\"}}";
static const char *fn_error = "{\"out\": {\"StatusCode\": 200, \"FunctionError\": \"Unhandled\", \"Payload\": "
                              "\"{\\\"errorMessage\\\": \\\"m\\\", \\\"errorType\\\": \\\"Custom\\\"}\"}}";

START_TEST(lambda_invoke_should_return_aws_result_shape)
{
	fake_tp *f;
	char ans[512];
	snprintf(ans, sizeof ans, "[%s]", ok_answer);
	run r = run_lambda("", ans, &f);
	const cJSON *o = engine_exec_output(r.x);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq((int)cj_num(cj_obj(o, "Payload"), "r", 0), 1);
	ck_assert_str_eq(cj_str(o, "ExecutedVersion"), "$LATEST");
	ck_assert_int_eq((int)cj_num(o, "StatusCode", 0), 200);
	ck_assert_ptr_nonnull(cj_obj(o, "SdkHttpMetadata"));
	ck_assert_str_eq(cj_str(cj_obj(o, "SdkResponseMetadata"), "RequestId"), "11111111-2222-3333-4444-555555555555");
	/* the payload went out as JSON text */
	const cJSON *call = cJSON_GetArrayItem(f->calls, 0);
	ck_assert_str_eq(cj_str(cj_obj(call, "in"), "Payload"), "{\"k\":1}");
	char *t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited "
	                    "PassStateEntered PassStateExited ExecutionSucceeded");
	mem_free(t);
	run_free(&r);
	fake_free(f);
}
END_TEST

START_TEST(lambda_function_error_should_use_error_type_and_compact_payload)
{
	fake_tp *f;
	char ans[512];
	snprintf(ans, sizeof ans, "[%s]", fn_error);
	run r = run_lambda("", ans, &f);
	assert_failed(&r, "Custom", "{\"errorMessage\":\"m\",\"errorType\":\"Custom\"}");
	run_free(&r);
	fake_free(f);
}
END_TEST

START_TEST(retry_should_back_off_on_the_clock_then_catch)
{
	fake_tp *f;
	char ans[512];
	snprintf(ans, sizeof ans, "[%s]", fn_error);
	run r = run_lambda("\"Retry\": [{\"ErrorEquals\": [\"States.TaskFailed\"], \"IntervalSeconds\": 2, "
	                   "\"MaxAttempts\": 3, \"BackoffRate\": 3, \"MaxDelaySeconds\": 10}], \"Catch\": [{\"ErrorEquals\": "
	                   "[\"Custom\"], \"ResultPath\": \"$.e\", \"Next\": \"H\"}],",
	                   ans, &f);
	assert_output(&r, "{\"k\": 1, \"e\": {\"Error\": \"Custom\", \"Cause\": "
	                  "\"{\\\"errorMessage\\\":\\\"m\\\",\\\"errorType\\\":\\\"Custom\\\"}\"}}");
	ck_assert_int_eq(cJSON_GetArraySize(f->calls), 4);
	ck_assert_int_eq(clk_now_ms(r.clock), T0_MS + (2 + 6 + 10) * 1000); /* 2, 6, min(18, 10) */
	run_free(&r);
	fake_free(f);
}
END_TEST

START_TEST(retry_should_recover_when_a_later_attempt_succeeds)
{
	fake_tp *f;
	char ans[1024];
	snprintf(ans, sizeof ans, "[%s, %s]", fn_error, ok_answer);
	run r = run_lambda("\"Retry\": [{\"ErrorEquals\": [\"Custom\"], \"MaxAttempts\": 1}], \"ResultSelector\": "
	                   "{\"p.$\": \"$.Payload\", \"n.$\": \"$$.State.RetryCount\"},",
	                   ans, &f);
	assert_output(&r, "{\"p\": {\"r\": 1}, \"n\": 1}");
	run_free(&r);
	fake_free(f);
}
END_TEST

START_TEST(task_failed_should_not_match_states_timeout)
{
	char ans[512];
	snprintf(ans, sizeof ans, "[%s]", ok_answer);
	sb d = SB_INIT;
	lambda_def(&d, "\"TimeoutSeconds\": 5, \"Catch\": [{\"ErrorEquals\": [\"States.TaskFailed\"], \"Next\": "
	                           "\"H\"}],");
	fake_tp *f = fake_new(ans);
	clk *c = clk_virtual_new(T0_MS);
	f->clock = c;
	f->delay_ms = 6000; /* the call outlives TimeoutSeconds */
	engine_env env = {0};
	env.tp = &f->t;
	env.clock = c;
	run r = run_env(sb_str(&d), "{}", &env);
	assert_failed(&r, "States.Timeout", NULL);
	ck_assert_ptr_null(engine_exec_cause(r.x));
	char *t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskTimedOut ExecutionFailed");
	mem_free(t);
	run_free(&r);
	clk_free(c);
	sb_free(&d);
	fake_free(f);
}
END_TEST

START_TEST(dynamodb_errors_should_carry_aws_names_and_causes)
{
	fake_tp *f = fake_new("[{\"error\": \"ConditionalCheckFailedException\", \"message\": \"The conditional request "
	                      "failed\"}]");
	engine_env env = {0};
	env.tp = &f->t;
	run r = run_env("{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": "
	                "\"arn:aws:states:::dynamodb:putItem\", \"Parameters\": {\"TableName\": \"t\", \"Item\": {}}, "
	                "\"End\": true}}}",
	                "{}", &env);
	assert_failed(&r, "DynamoDB.ConditionalCheckFailedException",
	              "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: "
	              "ConditionalCheckFailedException; Request ID: 11111111-2222-3333-4444-555555555555; Proxy: null)");
	run_free(&r);
	fake_free(f);
	f = fake_new("[{\"error\": \"ValidationException\", \"message\": \"bad\"}]");
	env.tp = &f->t;
	env.clock = NULL;
	r = run_env("{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": "
	            "\"arn:aws:states:::aws-sdk:dynamodb:getItem\", \"End\": true}}}",
	            "{}", &env);
	assert_failed(&r, "DynamoDb.DynamoDbException", "bad (Service: DynamoDb, Status Code: 400, Request ID: ");
	run_free(&r);
	fake_free(f);
}
END_TEST

START_TEST(lambda_service_errors_should_be_named_lambda_dot_exception)
{
	fake_tp *f = fake_new("[{\"error\": \"ResourceNotFoundException\", \"status\": 404, \"message\": \"Function not "
	                      "found: arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST\"}]");
	engine_env env = {0};
	env.tp = &f->t;
	run r = run_env("{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": "
	                "\"arn:aws:lambda:us-east-1:000000000000:function:f\", \"End\": true}}}",
	                "{}", &env);
	assert_failed(&r, "Lambda.ResourceNotFoundException",
	              "Function not found: arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST (Service: AWSLambda; "
	              "Status Code: 404; Error Code: ResourceNotFoundException;");
	char *t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted TaskStateEntered LambdaFunctionScheduled LambdaFunctionStarted "
	                    "LambdaFunctionFailed ExecutionFailed");
	mem_free(t);
	run_free(&r);
	fake_free(f);
}
END_TEST

START_TEST(sqs_send_message_should_send_json_bodies_as_text)
{
	fake_tp *f = fake_new("[{\"out\": {\"MD5OfMessageBody\": \"x\", \"MessageId\": \"m\"}}]");
	engine_env env = {0};
	env.tp = &f->t;
	run r = run_env("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", "
	                "\"Resource\": \"arn:aws:states:::sqs:sendMessage\", \"Arguments\": {\"QueueUrl\": \"u\", "
	                "\"MessageBody\": {\"a\": \"{% $states.input.v %}\"}}, \"End\": true}}}",
	                "{\"v\": 1}", &env);
	ck_assert_int_eq(engine_exec_status(r.x), ENGINE_SUCCEEDED);
	const cJSON *in = cj_obj(cJSON_GetArrayItem(f->calls, 0), "in");
	ck_assert_str_eq(cj_str(in, "MessageBody"), "{\"a\":1}");
	const cJSON *o = engine_exec_output(r.x);
	ck_assert_str_eq(cj_str(o, "MessageId"), "m");
	ck_assert_ptr_nonnull(cj_obj(o, "SdkHttpMetadata"));
	run_free(&r);
	fake_free(f);
}
END_TEST

/* ---- callbacks ------------------------------------------------------ */

static int64_t answer_now(void *ctx, engine_exec *x, const engine_token_info *t)
{
	(void)ctx;
	cJSON *o = cJSON_Parse("{\"done\": true}");
	engine_exec_send_task_heartbeat(x, t->token);
	engine_exec_send_task_success(x, t->token, o);
	cJSON_Delete(o);
	return -1;
}

static int64_t answer_later(void *ctx, engine_exec *x, const engine_token_info *t)
{
	int *calls = ctx;
	if ((*calls)++ == 0)
		return 30000;
	engine_exec_send_task_failure(x, t->token, "Nope", "no");
	return -1;
}

START_TEST(wait_for_task_token_should_resume_on_success_and_fail_on_failure)
{
	const char *def = "{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": "
	                  "\"arn:aws:states:::sqs:sendMessage.waitForTaskToken\", \"Parameters\": {\"QueueUrl\": \"u\", "
	                  "\"MessageBody\": {\"t.$\": \"$$.Task.Token\"}}, \"End\": true}}}";
	fake_tp *f = fake_new("[{\"out\": {\"MessageId\": \"m\"}}]");
	engine_env env = {0};
	env.tp = &f->t;
	env.responder = answer_now;
	run r = run_env(def, "{}", &env);
	assert_output(&r, "{\"done\": true}");
	char *t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskSucceeded "
	                    "TaskStateExited ExecutionSucceeded");
	mem_free(t);
	/* the token reached the message and names the execution */
	const char *body = cj_str(cj_obj(cJSON_GetArrayItem(f->calls, 0), "in"), "MessageBody");
	cJSON *b = cJSON_Parse(body);
	char *arn = engine_token_execution(cj_str(b, "t"));
	ck_assert_str_eq(arn, "arn:aws:states:us-east-1:000000000000:execution:test:run-1");
	mem_free(arn);
	cJSON_Delete(b);
	run_free(&r);
	int calls = 0;
	memset(&env, 0, sizeof env);
	env.tp = &f->t;
	env.responder = answer_later;
	env.responder_ctx = &calls;
	r = run_env(def, "{}", &env);
	assert_failed(&r, "Nope", "no");
	ck_assert_int_eq(clk_now_ms(r.clock), T0_MS + 30000);
	run_free(&r);
	fake_free(f);
}
END_TEST

START_TEST(wait_for_task_token_without_answer_should_time_out_on_the_heartbeat)
{
	fake_tp *f = fake_new("[{\"out\": {\"MessageId\": \"m\"}}]");
	engine_env env = {0};
	env.tp = &f->t;
	run r = run_env("{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": "
	                "\"arn:aws:states:::sqs:sendMessage.waitForTaskToken\", \"HeartbeatSeconds\": 5, "
	                "\"TimeoutSeconds\": 600, \"Parameters\": {\"QueueUrl\": \"u\", \"MessageBody\": \"x\"}, \"End\": "
	                "true}}}",
	                "{}", &env);
	assert_failed(&r, "States.Timeout", NULL);
	ck_assert_int_eq(clk_now_ms(r.clock), T0_MS + 5000);
	char *t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskSubmitted TaskTimedOut "
	                    "ExecutionFailed");
	mem_free(t);
	run_free(&r);
	fake_free(f);
}
END_TEST

START_TEST(execution_timeout_should_end_timed_out)
{
	run r = run_def("{\"TimeoutSeconds\": 10, \"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", "
	                "\"Seconds\": 60, \"End\": true}}}",
	                "{}", NULL);
	ck_assert_int_eq(engine_exec_status(r.x), ENGINE_TIMED_OUT);
	ck_assert_int_eq(clk_now_ms(r.clock), T0_MS + 10000);
	char *t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted WaitStateEntered ExecutionTimedOut");
	mem_free(t);
	run_free(&r);
}
END_TEST

static int mock_hook(void *ctx, const char *state, int invocation, cJSON **result, char **error, char **cause)
{
	(void)ctx;
	if (strcmp(state, "T"))
		return 0;
	if (invocation == 0) {
		*error = mem_strdup("Lambda.TooManyRequestsException");
		*cause = mem_strdup("slow down");
		return 1;
	}
	*result = cJSON_Parse("{\"StatusCode\": 200, \"Payload\": {\"mocked\": 2}}");
	return 1;
}

START_TEST(mock_hook_should_answer_tasks_per_invocation)
{
	fake_tp *f = fake_new("[]");
	engine_env env = {0};
	env.tp = &f->t;
	env.mock = mock_hook;
	sb d = SB_INIT;
	lambda_def(&d, "\"Retry\": [{\"ErrorEquals\": [\"Lambda.TooManyRequestsException\"]}], "
	                           "\"OutputPath\": \"$.Payload\",");
	run r = run_env(sb_str(&d), "{}", &env);
	assert_output(&r, "{\"mocked\": 2}");
	ck_assert_int_eq(cJSON_GetArraySize(f->calls), 0); /* the service was never called */
	run_free(&r);
	sb_free(&d);
	fake_free(f);
}
END_TEST

START_TEST(history_quota_should_fail_the_execution_at_event_25000)
{
	run r = run_def("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"C\"}, \"C\": "
	                "{\"Type\": \"Choice\", \"Choices\": [{\"Variable\": \"$.stop\", \"IsPresent\": true, \"Next\": "
	                "\"E\"}], \"Default\": \"A\"}, \"E\": {\"Type\": \"Succeed\"}}}",
	                "{}", NULL);
	assert_failed(&r, "States.Runtime", "maximum number of history events (25000)");
	ck_assert_int_eq(cJSON_GetArraySize(engine_exec_history(r.x)), 25000);
	ck_assert_str_eq(cj_str(event_at(&r, 25000), "type"), "ExecutionFailed");
	run_free(&r);
}
END_TEST

START_TEST(distributed_map_should_record_a_map_run_not_the_iterations)
{
	run r = run_def("{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", \"ItemProcessor\": "
	                "{\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"STANDARD\"}, \"StartAt\": "
	                "\"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}, \"End\": true}}}",
	                "[1, 2, 3]", NULL);
	assert_output(&r, "[1, 2, 3]");
	char *t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted MapStateEntered MapStateStarted MapRunStarted MapRunSucceeded "
	                    "MapStateSucceeded MapStateExited ExecutionSucceeded");
	mem_free(t);
	run_free(&r);
}
END_TEST

START_TEST(jsonata_field_names_should_follow_aws_for_arrays_and_rules)
{
	run r = run_def("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", "
	                "\"Output\": {\"values\": [1, \"{% $nope %}\"]}, \"End\": true}}}",
	                "{}", NULL);
	assert_failed(&r, "States.QueryEvaluationError", "specified for the field 'Output/values[1]' returned nothing");
	run_free(&r);
	r = run_def("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Choice\", "
	            "\"Choices\": [{\"Condition\": false, \"Next\": \"S\"}, {\"Condition\": \"{% $nope %}\", \"Next\": "
	            "\"S\"}], \"Default\": \"S\"}, \"S\": {\"Type\": \"Succeed\"}}}",
	            "{}", NULL);
	assert_failed(&r, "States.QueryEvaluationError", "for the field 'Choices[1]/Condition' returned nothing");
	run_free(&r);
}
END_TEST

START_TEST(an_hour_wait_a_retry_backoff_and_a_thousand_items_should_take_no_real_time)
{
	/* issue 6: Wait 3600 s, a Retry with backoff and a Map over 1,000 items on
	 * the virtual clock finish in well under a second of real time */
	sb in = SB_INIT;
	sb_cat(&in, "{\"xs\": [");
	for (int i = 0; i < 1000; i++)
		sb_printf(&in, "%s%d", i ? "," : "", i);
	sb_cat(&in, "]}");
	char ans[1024];
	snprintf(ans, sizeof ans, "[%s, %s, %s]", fn_error, fn_error, ok_answer);
	fake_tp *f = fake_new(ans);
	engine_env env = {0};
	env.tp = &f->t;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run r = run_env("{\"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", \"Seconds\": 3600, \"Next\": "
	                "\"T\"}, \"T\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\", \"Parameters\": "
	                "{\"FunctionName\": \"f\"}, \"Retry\": [{\"ErrorEquals\": [\"States.ALL\"], \"IntervalSeconds\": 10, "
	                "\"BackoffRate\": 2}], \"ResultPath\": null, \"Next\": \"M\"}, \"M\": {\"Type\": \"Map\", "
	                "\"ItemsPath\": \"$.xs\", \"ItemProcessor\": {\"StartAt\": \"I\", \"States\": {\"I\": {\"Type\": "
	                "\"Wait\", \"Seconds\": 60, \"End\": true}}}, \"End\": true}}}",
	                sb_str(&in), &env);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_eq(engine_exec_status(r.x), ENGINE_SUCCEEDED);
	ck_assert_int_eq(cJSON_GetArraySize(engine_exec_output(r.x)), 1000);
	/* 3600 s, then backoff 10 s and 20 s, then the iterations' 60 s */
	ck_assert_int_eq(clk_now_ms(r.clock), T0_MS + (3600 + 10 + 20 + 60) * 1000LL);
	double real = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
#ifdef __SANITIZE_ADDRESS__
	const double limit = 10.0; /* ASan/UBSan builds run several times slower */
#else
	const double limit = 1.0;
#endif
	ck_assert_msg(real < limit, "took %.3f s of real time", real);
	run_free(&r);
	fake_free(f);
	sb_free(&in);
}
END_TEST

START_TEST(item_batcher_should_group_items_and_item_reader_should_say_it_needs_s3)
{
	run r = run_def("{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", \"ItemBatcher\": "
	                "{\"MaxItemsPerBatch\": 2, \"BatchInput\": {\"k.$\": \"$.k\"}}, \"ItemsPath\": \"$.xs\", "
	                "\"ItemProcessor\": {\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": "
	                "\"STANDARD\"}, \"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}, "
	                "\"End\": true}}}",
	                "{\"xs\": [1, 2, 3], \"k\": \"K\"}", NULL);
	assert_output(&r, "[{\"BatchInput\": {\"k\": \"K\"}, \"Items\": [1, 2]}, {\"BatchInput\": {\"k\": \"K\"}, "
	                  "\"Items\": [3]}]");
	run_free(&r);
	r = run_def("{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", \"ItemReader\": {\"Resource\": "
	            "\"arn:aws:states:::s3:getObject\", \"Parameters\": {\"Bucket\": \"b\", \"Key\": \"k\"}}, "
	            "\"ItemProcessor\": {\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": "
	            "\"STANDARD\"}, \"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}, "
	            "\"End\": true}}}",
	            "[]", NULL);
	assert_failed(&r, "States.ItemReaderFailed", "no S3");
	run_free(&r);
}
END_TEST

/* ---- items of issue 6 the tests above leave out ---------------------- */

START_TEST(choice_or_and_type_tests_should_match_as_aws)
{
	const char *def =
		"{\"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Choice\", \"Choices\": ["
		"{\"Or\": [{\"Variable\": \"$.a\", \"IsTimestamp\": true}, {\"Variable\": \"$.a\", \"IsBoolean\": true}], "
		"\"Next\": \"TimeOrBool\"},"
		"{\"Variable\": \"$.a\", \"IsString\": true, \"Next\": \"Str\"}"
		"], \"Default\": \"Other\"}, \"TimeOrBool\": {\"Type\": \"Pass\", \"Result\": \"tb\", \"End\": true}, "
		"\"Str\": {\"Type\": \"Pass\", \"Result\": \"s\", \"End\": true}, \"Other\": {\"Type\": \"Pass\", \"Result\": "
		"\"o\", \"End\": true}}}";
	struct {
		const char *in, *out;
	} cases[] = {
		{"{\"a\": \"2024-01-01T00:00:00Z\"}", "\"tb\""},
		{"{\"a\": \"2024-01-01T00:00:00.123+02:00\"}", "\"tb\""},
		{"{\"a\": false}", "\"tb\""},
		{"{\"a\": \"2024-01-01\"}", "\"s\""},
		{"{\"a\": 1}", "\"o\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run r = run_def(def, cases[i].in, NULL);
		assert_output(&r, cases[i].out);
		run_free(&r);
	}
}
END_TEST

START_TEST(a_missed_heartbeat_should_be_caught_as_states_heartbeat_timeout)
{
	/* AWS reports a missed heartbeat as States.Timeout (recorded:
	 * timeouts.test_heartbeat_timeout); States.HeartbeatTimeout is the name
	 * Retry and Catch can use for it alone */
#define HB_DEF(HB)                                                                                         \
	"{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": "                           \
	"\"arn:aws:states:::sqs:sendMessage.waitForTaskToken\", " HB " \"TimeoutSeconds\": 20, "                    \
	"\"Parameters\": {\"QueueUrl\": \"u\", \"MessageBody\": \"x\"}, \"Catch\": [{\"ErrorEquals\": "              \
	"[\"States.HeartbeatTimeout\"], \"ResultPath\": \"$.e\", \"Next\": \"H\"}], \"End\": true}, "               \
	"\"H\": {\"Type\": \"Pass\", \"End\": true}}}"
	fake_tp *f = fake_new("[{\"out\": {\"MessageId\": \"m\"}}]");
	engine_env env = {0};
	env.tp = &f->t;
	run r = run_env(HB_DEF("\"HeartbeatSeconds\": 5,"), "{}", &env);
	assert_output(&r, "{\"e\": {\"Error\": \"States.Timeout\", \"Cause\": \"\"}}");
	ck_assert_int_eq(clk_now_ms(r.clock), T0_MS + 5000);
	run_free(&r);
	/* TimeoutSeconds running out is not a heartbeat: not caught */
	memset(&env, 0, sizeof env);
	env.tp = &f->t;
	r = run_env(HB_DEF(""), "{}", &env);
	assert_failed(&r, "States.Timeout", NULL);
	ck_assert_int_eq(clk_now_ms(r.clock), T0_MS + 20000);
	run_free(&r);
	fake_free(f);
}
END_TEST

START_TEST(retry_full_jitter_should_sleep_less_than_the_capped_backoff)
{
	char ans[1024];
	snprintf(ans, sizeof ans, "[%s]", fn_error);
#define JITTER_RETRY(J)                                                                                    \
	"\"Retry\": [{\"ErrorEquals\": [\"Custom\"], \"IntervalSeconds\": 10, \"BackoffRate\": 2, "                  \
	"\"MaxAttempts\": 3, \"MaxDelaySeconds\": 15, \"JitterStrategy\": \"" J "\"}], \"Catch\": "                   \
	"[{\"ErrorEquals\": [\"States.ALL\"], \"ResultPath\": null, \"Next\": \"H\"}],"
	fake_tp *f;
	/* NONE: 10, then 20 and 40 capped at 15 */
	run r = run_lambda(JITTER_RETRY("NONE"), ans, &f);
	assert_output(&r, "{\"k\": 1}");
	ck_assert_int_eq(cJSON_GetArraySize(f->calls), 4);
	ck_assert_int_eq(clk_now_ms(r.clock), T0_MS + 40000);
	run_free(&r);
	fake_free(f);
	/* FULL: each wait is uniform in [0, that], so the total is below 40 s */
	r = run_lambda(JITTER_RETRY("FULL"), ans, &f);
	assert_output(&r, "{\"k\": 1}");
	ck_assert_int_eq(cJSON_GetArraySize(f->calls), 4);
	int64_t waited = clk_now_ms(r.clock) - T0_MS;
	ck_assert_msg(waited >= 0 && waited < 40000, "waited %lld ms", (long long)waited);
	run_free(&r);
	fake_free(f);
}
END_TEST

START_TEST(map_and_parallel_histories_should_list_aws_events_in_order)
{
	run r = run_def("{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", \"MaxConcurrency\": 1, "
	                "\"ItemProcessor\": {\"StartAt\": \"I\", \"States\": {\"I\": {\"Type\": \"Pass\", \"End\": true}}}, "
	                "\"Next\": \"P\"}, \"P\": {\"Type\": \"Parallel\", \"Branches\": [{\"StartAt\": \"B\", \"States\": "
	                "{\"B\": {\"Type\": \"Pass\", \"End\": true}}}], \"End\": true}}}",
	                "[1, 2]", NULL);
	assert_output(&r, "[[1, 2]]");
	char *t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted MapStateEntered MapStateStarted MapIterationStarted PassStateEntered "
	                    "PassStateExited MapIterationSucceeded MapIterationStarted PassStateEntered PassStateExited "
	                    "MapIterationSucceeded MapStateSucceeded MapStateExited ParallelStateEntered "
	                    "ParallelStateStarted PassStateEntered PassStateExited ParallelStateSucceeded "
	                    "ParallelStateExited ExecutionSucceeded");
	mem_free(t);
	ck_assert_int_eq((int)cj_num(cj_obj(event_at(&r, 3), "mapStateStartedEventDetails"), "length", -1), 2);
	const cJSON *it = cj_obj(event_at(&r, 8), "mapIterationStartedEventDetails");
	ck_assert_str_eq(cj_str(it, "name"), "M");
	ck_assert_int_eq((int)cj_num(it, "index", -1), 1);
	run_free(&r);
	r = run_def("{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", \"MaxConcurrency\": 1, "
	            "\"ItemProcessor\": {\"StartAt\": \"F\", \"States\": {\"F\": {\"Type\": \"Fail\", \"Error\": \"E\"}}}, "
	            "\"End\": true}}}",
	            "[1]", NULL);
	assert_failed(&r, "E", NULL);
	t = event_types(&r);
	ck_assert_str_eq(t, "ExecutionStarted MapStateEntered MapStateStarted MapIterationStarted FailStateEntered "
	                    "MapIterationFailed MapStateFailed ExecutionFailed");
	mem_free(t);
	run_free(&r);
}
END_TEST

Suite *suite_asl_run(void)
{
	Suite *s = suite_create("asl_run");
	TCase *t = tcase_create("states");
	tcase_set_timeout(t, 30);
	tcase_add_test(t, pass_should_apply_input_result_and_output_paths);
	tcase_add_test(t, pass_result_path_should_merge_into_the_raw_input);
	tcase_add_test(t, pass_null_paths_should_give_empty_objects_or_keep_the_input);
	tcase_add_test(t, missing_input_path_should_fail_with_states_runtime_naming_the_entered_event);
	tcase_add_test(t, result_path_into_a_non_object_should_fail_with_result_path_match_failure);
	tcase_add_test(t, context_object_should_carry_execution_and_state);
	tcase_add_test(t, jsonata_templates_should_evaluate_only_whole_strings_in_nested_values);
	tcase_add_test(t, jsonata_assign_should_see_pre_state_values_and_apply_at_exit);
	tcase_add_test(t, jsonata_undefined_should_fail_with_query_evaluation_error);
	tcase_add_test(t, jsonata_now_should_read_the_engine_clock);
	tcase_add_test(t, jsonata_choice_should_use_the_matching_rules_assign_and_output);
	tcase_add_test(t, mixed_query_languages_should_pass_data_between_states);
	tcase_add_test(t, choice_should_evaluate_operators_and_compositions);
	tcase_add_test(t, choice_without_a_match_or_default_should_fail_with_no_choice_matched);
	tcase_add_test(t, choice_is_present_and_is_null_should_tell_missing_from_null);
	tcase_add_test(t, wait_of_an_hour_should_take_no_real_time_on_the_virtual_clock);
	tcase_add_test(t, wait_paths_should_check_their_values);
	tcase_add_test(t, fail_should_end_with_its_error_and_cause_or_none);
	tcase_add_test(t, succeed_should_emit_entered_and_exited);
	tcase_add_test(t, history_should_number_events_and_link_previous_ids);
	tcase_add_test(t, parallel_should_return_branch_outputs_in_order_and_scope_variables);
	tcase_add_test(t, parallel_should_fail_with_the_branch_error);
	tcase_add_test(t, map_should_keep_item_order_and_respect_item_selector);
	tcase_add_test(t, map_over_a_thousand_items_should_be_quick);
	tcase_add_test(t, map_should_fail_with_the_iteration_error_unless_tolerated);
	tcase_add_test(t, jsonata_map_items_should_be_an_array);
	tcase_add_test(t, lambda_invoke_should_return_aws_result_shape);
	tcase_add_test(t, lambda_function_error_should_use_error_type_and_compact_payload);
	tcase_add_test(t, retry_should_back_off_on_the_clock_then_catch);
	tcase_add_test(t, retry_should_recover_when_a_later_attempt_succeeds);
	tcase_add_test(t, task_failed_should_not_match_states_timeout);
	tcase_add_test(t, dynamodb_errors_should_carry_aws_names_and_causes);
	tcase_add_test(t, lambda_service_errors_should_be_named_lambda_dot_exception);
	tcase_add_test(t, sqs_send_message_should_send_json_bodies_as_text);
	tcase_add_test(t, wait_for_task_token_should_resume_on_success_and_fail_on_failure);
	tcase_add_test(t, wait_for_task_token_without_answer_should_time_out_on_the_heartbeat);
	tcase_add_test(t, execution_timeout_should_end_timed_out);
	tcase_add_test(t, mock_hook_should_answer_tasks_per_invocation);
	tcase_add_test(t, history_quota_should_fail_the_execution_at_event_25000);
	tcase_add_test(t, distributed_map_should_record_a_map_run_not_the_iterations);
	tcase_add_test(t, jsonata_field_names_should_follow_aws_for_arrays_and_rules);
	tcase_add_test(t, an_hour_wait_a_retry_backoff_and_a_thousand_items_should_take_no_real_time);
	tcase_add_test(t, item_batcher_should_group_items_and_item_reader_should_say_it_needs_s3);
	tcase_add_test(t, choice_or_and_type_tests_should_match_as_aws);
	tcase_add_test(t, a_missed_heartbeat_should_be_caught_as_states_heartbeat_timeout);
	tcase_add_test(t, retry_full_jitter_should_sleep_less_than_the_capped_backoff);
	tcase_add_test(t, map_and_parallel_histories_should_list_aws_events_in_order);
	suite_add_tcase(s, t);
	return s;
}
