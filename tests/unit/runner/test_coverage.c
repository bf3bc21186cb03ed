/* test_coverage.c - workflow coverage read from execution histories. */
#include <check.h>
#include <string.h>

#include "common/mem.h"
#include "common/cj.h"
#include "runner/coverage.h"
#include "tests/suites.h"

#define FIXTURE "tests/data/runner/retry-catch.asl.json"

/* A history from a compact list: "Type:name" for state events, "Type!error" for failures. */
static cJSON *history(const char *const *evs)
{
	cJSON *h = cJSON_CreateArray();
	int id = 1;
	for (const char *const *e = evs; *e; e++) {
		cJSON *ev = cJSON_CreateObject();
		cJSON_AddNumberToObject(ev, "id", id++);
		const char *sep = strpbrk(*e, ":!");
		char *type = sep ? mem_strndup(*e, (size_t)(sep - *e)) : mem_strdup(*e);
		cJSON_AddStringToObject(ev, "type", type);
		cJSON *d = cJSON_AddObjectToObject(ev, strstr(type, "StateEntered") ? "stateEnteredEventDetails"
		                                       : strstr(type, "StateExited") ? "stateExitedEventDetails"
		                                                                     : "otherEventDetails");
		if (sep && *sep == ':')
			cJSON_AddStringToObject(d, "name", sep + 1);
		if (sep && *sep == '!')
			cJSON_AddStringToObject(d, "error", sep + 1);
		mem_free(type);
		cJSON_AddItemToArray(h, ev);
	}
	return h;
}

static const char *const happy[] = {
	"ExecutionStarted", "TaskStateEntered:Charge", "TaskScheduled", "TaskFailed!Lambda.TooManyRequestsException",
	"TaskScheduled", "TaskSucceeded", "TaskStateExited:Charge", "MapStateEntered:Fan Out", "MapStateStarted",
	"PassStateEntered:Ship", "PassStateExited:Ship", "MapStateSucceeded", "MapStateExited:Fan Out",
	"ChoiceStateEntered:Check", "ChoiceStateExited:Check", "SucceedStateEntered:Done", "ExecutionSucceeded", NULL};

static const char *const declined[] = {
	"ExecutionStarted", "TaskStateEntered:Charge", "TaskScheduled", "TaskFailed!PaymentDeclined", "TaskScheduled",
	"TaskFailed!PaymentDeclined", "FailStateEntered:Declined", "ExecutionFailed!Declined", NULL};

static const char *const map_failed[] = {
	"ExecutionStarted", "TaskStateEntered:Charge", "TaskScheduled", "TaskSucceeded", "TaskStateExited:Charge",
	"MapStateEntered:Fan Out", "MapStateStarted", "MapIterationStarted:Fan Out", "PassStateEntered:Ship",
	"EvaluationFailed!States.QueryEvaluationError", "MapIterationFailed:Fan Out", "MapStateFailed", "MapStateExited:Fan Out",
	"FailStateEntered:Broken", "ExecutionFailed", NULL};

static cJSON *json_of(runner_coverage *c)
{
	cJSON *j = runner_coverage_json(c);
	ck_assert_int_eq(cJSON_GetArraySize(j), 1);
	return j;
}

START_TEST(coverage_should_count_states_choices_retries_and_catches)
{
	runner_coverage *c = runner_coverage_new();
	cJSON *h = history(happy);
	ck_assert_int_eq(runner_coverage_add(c, FIXTURE, h), 0);
	cJSON *j = json_of(c);
	cJSON *m = cJSON_GetArrayItem(j, 0);
	char *t = cj_print(m);
	ck_assert_str_eq(t, "{\"stateMachine\":\"" FIXTURE "\",\"percent\":50,\"covered\":7,\"total\":14,"
	                    "\"states\":{\"covered\":5,\"total\":7},\"choices\":{\"covered\":1,\"total\":2},"
	                    "\"retries\":{\"covered\":1,\"total\":2},\"catches\":{\"covered\":0,\"total\":3},"
	                    "\"missing\":[\"Retry #2 of 'Charge'\",\"state 'Declined'\",\"state 'Broken'\","
	                    "\"Catch #1 of 'Charge' -> 'Declined'\",\"Catch #2 of 'Charge' -> 'Broken'\","
	                    "\"Catch #1 of 'Fan Out' -> 'Broken'\",\"Choice 'Check' -> 'Declined' (Default)\"]}");
	mem_free(t);
	cJSON_Delete(j);
	cJSON_Delete(h);
	/* a second execution adds what it exercised */
	h = history(declined);
	runner_coverage_add(c, FIXTURE, h);
	j = json_of(c);
	m = cJSON_GetArrayItem(j, 0);
	ck_assert_int_eq(cJSON_GetObjectItem(m, "covered")->valueint, 10);
	t = cj_print(cJSON_GetObjectItem(m, "missing"));
	ck_assert_str_eq(t, "[\"state 'Broken'\",\"Catch #2 of 'Charge' -> 'Broken'\",\"Catch #1 of 'Fan Out' -> "
	                    "'Broken'\",\"Choice 'Check' -> 'Declined' (Default)\"]");
	mem_free(t);
	cJSON_Delete(j);
	cJSON_Delete(h);
	/* an iteration's failure caught by the Map's catcher */
	h = history(map_failed);
	runner_coverage_add(c, FIXTURE, h);
	j = json_of(c);
	t = cj_print(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "missing"));
	ck_assert_str_eq(t, "[\"Catch #2 of 'Charge' -> 'Broken'\",\"Choice 'Check' -> 'Declined' (Default)\"]");
	mem_free(t);
	cJSON_Delete(j);
	cJSON_Delete(h);
	runner_coverage_free(c);
}
END_TEST

START_TEST(coverage_should_list_a_machine_that_never_ran_and_skip_unreadable_ones)
{
	runner_coverage *c = runner_coverage_new();
	ck_assert_int_eq(runner_coverage_add(c, "scenarios/user-onboarding/user-onboarding.asl.json", NULL), 0);
	ck_assert_int_eq(runner_coverage_add(c, "tests/data/runner/absent.asl.json", NULL), -1);
	cJSON *j = json_of(c);
	cJSON *m = cJSON_GetArrayItem(j, 0);
	ck_assert_int_eq(cJSON_GetObjectItem(m, "covered")->valueint, 0);
	ck_assert_int_eq(cJSON_GetObjectItem(m, "total")->valueint, 8); /* 6 states, 2 Choice transitions */
	ck_assert(cJSON_GetObjectItem(m, "percent")->valuedouble == 0.0);
	cJSON_Delete(j);
	runner_coverage_free(c);
}
END_TEST

Suite *suite_runner_coverage(void)
{
	Suite *s = suite_create("runner/coverage");
	TCase *tc = tcase_create("coverage");
	tcase_add_test(tc, coverage_should_count_states_choices_retries_and_catches);
	tcase_add_test(tc, coverage_should_list_a_machine_that_never_ran_and_skip_unreadable_ones);
	suite_add_tcase(s, tc);
	return s;
}
