/* test_asl_def.c - definition loading and validation, with AWS's wording and JSON paths. */
#include <check.h>

#include "tests/suites.h"
#include "tests/unit/engine/asl_test.h"

/* The joined message CreateStateMachine would answer, or NULL if valid. */
static char *problems(const char *def)
{
	engine_diags dg = {0};
	engine_def *d = load_text(def, &dg);
	char *m = NULL;
	if (d)
		engine_def_free(d);
	else
		m = engine_diags_message(&dg);
	engine_diags_free(&dg);
	return m;
}

#define ASSERT_INVALID(def, fragment)                                                                                \
	do {                                                                                                         \
		char *m_ = problems(def);                                                                            \
		ck_assert_msg(m_ != NULL, "accepted: %s", def);                                                      \
		ck_assert_msg(strstr(m_, fragment), "message %s lacks %s", m_, fragment);                             \
		mem_free(m_);                                                                                        \
	} while (0)

#define ASSERT_VALID(def)                                                                                            \
	do {                                                                                                         \
		char *m_ = problems(def);                                                                            \
		ck_assert_msg(m_ == NULL, "rejected: %s", m_);                                                       \
	} while (0)

START_TEST(def_should_require_start_at_and_states)
{
	ASSERT_INVALID("{}", "SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /");
	ASSERT_INVALID("{\"States\": {\"A\": {\"Type\": \"Succeed\"}}}",
	               "SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /");
}
END_TEST

START_TEST(def_should_name_an_unknown_next_with_its_path)
{
	ASSERT_INVALID("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Nope\"}}}",
	               "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /States/A/Next");
	ASSERT_INVALID("{\"StartAt\": \"X\", \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}}",
	               "MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /StartAt");
	ASSERT_INVALID("{\"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": "
	               "\"$.a\", \"IsNull\": true, \"Next\": \"Z\"}], \"Default\": \"D\"}, \"D\": {\"Type\": "
	               "\"Succeed\"}}}",
	               "Missing 'Next' target: Z at /States/C/Choices[0]/Next");
}
END_TEST

START_TEST(def_should_reject_an_unknown_state_type_at_its_type_field)
{
	ASSERT_INVALID("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Sleep\", \"End\": true}}}",
	               "at /States/A/Type");
}
END_TEST

START_TEST(def_should_report_unreachable_states_and_missing_end)
{
	ASSERT_INVALID("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}, \"B\": {\"Type\": "
	               "\"Succeed\"}}}",
	               "MISSING_TRANSITION_TARGET: State \"B\" is not reachable. at /States/B");
	ASSERT_INVALID("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}, \"B\": "
	               "{\"Type\": \"Pass\", \"Next\": \"A\"}}}",
	               "MISSING_END_STATE: Workflow has no terminal state at null");
}
END_TEST

START_TEST(def_should_reject_fields_the_state_type_does_not_allow)
{
	ASSERT_INVALID("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"TimeoutSeconds\": 3, \"End\": "
	               "true}}}",
	               "SCHEMA_VALIDATION_FAILED: Field 'TimeoutSeconds' is not supported at /States/A");
	ASSERT_INVALID("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Catch\": [], \"End\": true}}}",
	               "Field 'Catch' is not supported at /States/A");
	ASSERT_INVALID("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\", \"End\": "
	               "true}, \"B\": {\"Type\": \"Succeed\"}}}",
	               "There should only be one of the following fields: [Next, End]");
}
END_TEST

START_TEST(def_should_enforce_query_language_field_rules)
{
	ASSERT_INVALID("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", "
	               "\"ResultPath\": \"$.x\", \"End\": true}}}",
	               "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the "
	               "'JSONPath' QueryLanguage at /States/A");
	ASSERT_INVALID("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Output\": {}, \"End\": true}}}",
	               "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' "
	               "QueryLanguage");
	ASSERT_INVALID("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", "
	               "\"QueryLanguage\": \"JSONPath\", \"End\": true}}}",
	               "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/A");
	/* a JSONPath machine may hold JSONata states */
	ASSERT_VALID("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"QueryLanguage\": \"JSONata\", "
	             "\"Output\": \"{% 1 %}\", \"End\": true}}}");
}
END_TEST

START_TEST(def_should_reject_bad_wait_timestamps_even_jsonata_text_in_jsonpath)
{
	ASSERT_INVALID("{\"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", \"Timestamp\": "
	               "\"2016-12-05 21:29:29Z\", \"End\": true}}}",
	               "SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at /States/W/Timestamp");
	ASSERT_INVALID("{\"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", \"Timestamp\": \"{% "
	               "'2016-03-14T01:59:00Z' %}\", \"End\": true}}}",
	               "String does not match RFC3339 timestamp");
	ASSERT_VALID("{\"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", \"Timestamp\": "
	             "\"2016-03-14T01:59:00.123456789Z\", \"End\": true}}}");
}
END_TEST

START_TEST(def_should_reject_invalid_intrinsics_and_paths_in_parameters)
{
	ASSERT_INVALID("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Parameters\": {\"x.$\": "
	               "\"States.Format('a \\\\\\\"b\\\\\\\"', 1)\"}, \"End\": true}}}",
	               "SCHEMA_VALIDATION_FAILED: The value for the field 'x.$' must be a valid JSONPath or a valid "
	               "intrinsic function call at /States/P/Parameters");
	ASSERT_INVALID("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Parameters\": {\"x.$\": "
	               "\"States.Nope(1)\"}, \"End\": true}}}",
	               "must be a valid JSONPath or a valid intrinsic function call");
	ASSERT_INVALID("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Parameters\": {\"x.$\": "
	               "\"no-dollar\"}, \"End\": true}}}",
	               "'x.$'");
}
END_TEST

START_TEST(def_should_reject_unknown_optimized_integrations)
{
	ASSERT_INVALID("{\"StartAt\": \"Q\", \"States\": {\"Q\": {\"Type\": \"Task\", \"Resource\": "
	               "\"arn:aws:states:::dynamodb:query\", \"End\": true}}}",
	               "SCHEMA_VALIDATION_FAILED: The resource provided arn:<partition>:states:::dynamodb:query is not "
	               "recognized. The value is not a valid resource ARN, or the resource is not available in this "
	               "region. at /States/Q/Resource");
	ASSERT_VALID("{\"StartAt\": \"Q\", \"States\": {\"Q\": {\"Type\": \"Task\", \"Resource\": "
	             "\"arn:aws:states:::aws-sdk:dynamodb:query\", \"End\": true}}}");
	ASSERT_INVALID("{\"StartAt\": \"Q\", \"States\": {\"Q\": {\"Type\": \"Task\", \"Resource\": "
	               "\"arn:aws:states:::dynamodb:putItem.waitForTaskToken\", \"End\": true}}}",
	               "is not recognized");
}
END_TEST

START_TEST(def_should_reject_invalid_jsonata)
{
	ASSERT_INVALID("{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", "
	               "\"Output\": {\"x\": \"{% $states.input. %}\"}, \"End\": true}}}",
	               "at /States/A/Output");
}
END_TEST

START_TEST(def_should_reject_duplicate_state_names_across_branches)
{
	ASSERT_INVALID("{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Parallel\", \"Branches\": [{\"StartAt\": "
	               "\"P\", \"States\": {\"P\": {\"Type\": \"Succeed\"}}}], \"End\": true}}}",
	               "Duplicate State name: P");
}
END_TEST

START_TEST(def_should_reject_assigning_the_reserved_states_variable)
{
	ASSERT_INVALID("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Assign\": {\"states\": 1}, "
	               "\"End\": true}}}",
	               "'states' is reserved");
}
END_TEST

START_TEST(def_should_check_retriers_and_catchers)
{
	ASSERT_INVALID("{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": "
	               "\"arn:aws:states:::lambda:invoke\", \"Retry\": [{\"ErrorEquals\": [\"States.ALL\"]}, "
	               "{\"ErrorEquals\": [\"X\"]}], \"End\": true}}}",
	               "States.ALL must appear in the last retrier");
	ASSERT_INVALID("{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": "
	               "\"arn:aws:states:::lambda:invoke\", \"Catch\": [{\"ErrorEquals\": [\"X\"]}], \"End\": true}}}",
	               "These fields are required: [Next] at /States/T/Catch[0]");
	ASSERT_INVALID("{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": "
	               "\"arn:aws:states:::lambda:invoke\", \"Retry\": [{\"ErrorEquals\": [\"X\"], \"BackoffRate\": "
	               "0.5}], \"End\": true}}}",
	               "'BackoffRate' is invalid");
}
END_TEST

START_TEST(def_should_report_every_problem_at_once)
{
	engine_diags dg = {0};
	engine_def *d = load_text("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\", "
	                          "\"Bogus\": 1}, \"C\": {\"Type\": \"Succeed\"}}}",
	                          &dg);
	ck_assert_ptr_null(d);
	ck_assert_int_ge(dg.n, 2);
	int saw_field = 0, saw_next = 0;
	for (size_t i = 0; i < dg.n; i++) {
		saw_field |= strstr(dg.v[i].message, "Field 'Bogus'") != NULL;
		saw_next |= !strcmp(dg.v[i].code, "MISSING_TRANSITION_TARGET");
	}
	ck_assert(saw_field && saw_next);
	engine_diags_free(&dg);
}
END_TEST

START_TEST(def_should_know_when_it_waits_for_task_tokens)
{
	engine_diags dg = {0};
	engine_def *d = load_text("{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": "
	                          "\"arn:aws:states:::sqs:sendMessage.waitForTaskToken\", \"End\": true}}}",
	                          &dg);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(engine_def_uses_task_token(d), 1);
	engine_def_free(d);
}
END_TEST

Suite *suite_asl_def(void)
{
	Suite *s = suite_create("asl_def");
	TCase *t = tcase_create("validation");
	tcase_add_test(t, def_should_require_start_at_and_states);
	tcase_add_test(t, def_should_name_an_unknown_next_with_its_path);
	tcase_add_test(t, def_should_reject_an_unknown_state_type_at_its_type_field);
	tcase_add_test(t, def_should_report_unreachable_states_and_missing_end);
	tcase_add_test(t, def_should_reject_fields_the_state_type_does_not_allow);
	tcase_add_test(t, def_should_enforce_query_language_field_rules);
	tcase_add_test(t, def_should_reject_bad_wait_timestamps_even_jsonata_text_in_jsonpath);
	tcase_add_test(t, def_should_reject_invalid_intrinsics_and_paths_in_parameters);
	tcase_add_test(t, def_should_reject_unknown_optimized_integrations);
	tcase_add_test(t, def_should_reject_invalid_jsonata);
	tcase_add_test(t, def_should_reject_duplicate_state_names_across_branches);
	tcase_add_test(t, def_should_reject_assigning_the_reserved_states_variable);
	tcase_add_test(t, def_should_check_retriers_and_catchers);
	tcase_add_test(t, def_should_report_every_problem_at_once);
	tcase_add_test(t, def_should_know_when_it_waits_for_task_tokens);
	suite_add_tcase(s, t);
	return s;
}
