/* test_sfn.c - the Step Functions mock in-process: machines, executions on threads, LMDB persistence, tokens. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cj.h"
#include "common/file.h"
#include "common/mem.h"
#include "mocks/mock.h"
#include "tests/suites.h"

#define SM "arn:aws:states:us-east-1:000000000000:stateMachine:"

static cJSON *call(mock_world *w, const char *op, const char *json, char *err_type, size_t n)
{
	cJSON *in = cJSON_Parse(json), *out = NULL;
	ck_assert_msg(in != NULL, "bad test JSON %s", json);
	sb err = SB_INIT;
	int rc = mock_call(w, "states", op, in, &out, &err);
	cJSON_Delete(in);
	if (err_type)
		snprintf(err_type, n, "%s", rc ? sb_str(&err) : "");
	else
		ck_assert_msg(rc == 0, "%s: %s", op, sb_str(&err));
	sb_free(&err);
	return out;
}

/* {"name", "definition" (JSON text), "roleArn"} */
static void create(mock_world *w, const char *name, const char *def)
{
	cJSON *in = cJSON_CreateObject();
	cJSON_AddStringToObject(in, "name", name);
	cJSON_AddStringToObject(in, "definition", def);
	cJSON_AddStringToObject(in, "roleArn", "arn:aws:iam::000000000000:role/r");
	char *t = cj_print(in);
	cJSON_Delete(call(w, "CreateStateMachine", t, NULL, 0));
	mem_free(t);
	cJSON_Delete(in);
}

static char *status_of(mock_world *w, const char *arn)
{
	char req[512];
	snprintf(req, sizeof req, "{\"executionArn\": \"%s\"}", arn);
	cJSON *d = call(w, "DescribeExecution", req, NULL, 0);
	char *s = mem_strdup(cj_str(d, "status"));
	cJSON_Delete(d);
	return s;
}

static char *wait_done(mock_world *w, const char *arn)
{
	for (int i = 0; i < 500; i++) {
		char *s = status_of(w, arn);
		if (strcmp(s, "RUNNING"))
			return s;
		mem_free(s);
		usleep(10000);
	}
	return mem_strdup("RUNNING");
}

START_TEST(sfn_should_run_an_execution_on_its_own_thread_and_record_it)
{
	mock_world *w = mock_world_new(NULL, NULL);
	create(w, "m", "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Result\": 1, \"End\": true}}}");
	cJSON *o = call(w, "StartExecution", "{\"stateMachineArn\": \"" SM "m\", \"name\": \"x1\"}", NULL, 0);
	char *arn = mem_strdup(cj_str(o, "executionArn"));
	cJSON_Delete(o);
	ck_assert_str_eq(arn, "arn:aws:states:us-east-1:000000000000:execution:m:x1");
	char *st = wait_done(w, arn);
	ck_assert_str_eq(st, "SUCCEEDED");
	mem_free(st);
	char req[256];
	snprintf(req, sizeof req, "{\"executionArn\": \"%s\"}", arn);
	cJSON *h = call(w, "GetExecutionHistory", req, NULL, 0);
	ck_assert_int_eq(cJSON_GetArraySize(cj_arr(h, "events")), 4);
	cJSON_Delete(h);
	mem_free(arn);
	mock_world_free(w);
}
END_TEST

START_TEST(sfn_should_keep_executions_and_history_in_lmdb_across_restarts)
{
	char tmpl[] = "/tmp/stepbench-sfn-XXXXXX";
	char *dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	mock_world_opts o = {0};
	o.data_dir = dir;
	o.nosync = 1;
	mock_world *w = mock_world_new(&o, NULL);
	create(w, "m", "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}");
	create(w, "slow", "{\"StartAt\": \"W\", \"States\": {\"W\": {\"Type\": \"Wait\", \"Seconds\": 3600, \"End\": "
	                  "true}}}");
	cJSON_Delete(call(w, "StartExecution", "{\"stateMachineArn\": \"" SM "m\", \"name\": \"done\", \"input\": "
	                                       "\"{\\\"k\\\": 7}\"}",
	                  NULL, 0));
	char *st = wait_done(w, "arn:aws:states:us-east-1:000000000000:execution:m:done");
	ck_assert_str_eq(st, "SUCCEEDED");
	mem_free(st);
	cJSON_Delete(call(w, "StartExecution", "{\"stateMachineArn\": \"" SM "slow\", \"name\": \"cut\"}", NULL, 0));
	mock_world_free(w); /* stops the running execution */
	w = mock_world_new(&o, NULL);
	cJSON *d = call(w, "DescribeExecution", "{\"executionArn\": \"arn:aws:states:us-east-1:000000000000:execution:m:done\"}",
	                NULL, 0);
	ck_assert_str_eq(cj_str(d, "status"), "SUCCEEDED");
	ck_assert_str_eq(cj_str(d, "output"), "{\"k\":7}");
	cJSON_Delete(d);
	cJSON *h = call(w, "GetExecutionHistory",
	                "{\"executionArn\": \"arn:aws:states:us-east-1:000000000000:execution:m:done\", \"reverseOrder\": "
	                "true}",
	                NULL, 0);
	ck_assert_str_eq(cj_str(cJSON_GetArrayItem(cj_arr(h, "events"), 0), "type"), "ExecutionSucceeded");
	cJSON_Delete(h);
	st = status_of(w, "arn:aws:states:us-east-1:000000000000:execution:slow:cut");
	ck_assert_str_eq(st, "ABORTED");
	mem_free(st);
	mock_world_free(w);
	file_rmtree(dir);
}
END_TEST

START_TEST(sfn_should_route_a_task_token_to_its_execution)
{
	mock_world *w = mock_world_new(NULL, NULL);
	cJSON *q = NULL, *in = cJSON_Parse("{\"QueueName\": \"cb\"}");
	ck_assert_int_eq(mock_call(w, "sqs", "CreateQueue", in, &q, NULL), 0);
	cJSON_Delete(in);
	char def[1024];
	snprintf(def, sizeof def,
	         "{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": "
	         "\"arn:aws:states:::sqs:sendMessage.waitForTaskToken\", \"Parameters\": {\"QueueUrl\": \"%s\", "
	         "\"MessageBody.$\": \"$$.Task.Token\"}, \"End\": true}}}",
	         cj_str(q, "QueueUrl"));
	create(w, "cb", def);
	cJSON_Delete(call(w, "StartExecution", "{\"stateMachineArn\": \"" SM "cb\", \"name\": \"e\"}", NULL, 0));
	char *token = NULL;
	for (int i = 0; i < 500 && !token; i++) {
		cJSON *r = NULL;
		char req[512];
		snprintf(req, sizeof req, "{\"QueueUrl\": \"%s\"}", cj_str(q, "QueueUrl"));
		in = cJSON_Parse(req);
		if (mock_call(w, "sqs", "ReceiveMessage", in, &r, NULL) == 0 && cJSON_GetArraySize(cj_arr(r, "Messages")))
			token = mem_strdup(cj_str(cJSON_GetArrayItem(cj_arr(r, "Messages"), 0), "Body"));
		cJSON_Delete(in);
		cJSON_Delete(r);
		if (!token)
			usleep(10000);
	}
	ck_assert_ptr_nonnull(token);
	char err[256];
	cJSON *bad = call(w, "SendTaskSuccess", "{\"taskToken\": \"AAAA\", \"output\": \"{}\"}", err, sizeof err);
	ck_assert_msg(strstr(err, "InvalidToken") || strstr(err, "TaskTimedOut"), "%s", err);
	cJSON_Delete(bad);
	cJSON *req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "taskToken", token);
	cJSON_AddStringToObject(req, "output", "{\"answer\": 1}");
	char *t = cj_print(req);
	cJSON_Delete(call(w, "SendTaskSuccess", t, NULL, 0));
	mem_free(t);
	cJSON_Delete(req);
	char *st = wait_done(w, "arn:aws:states:us-east-1:000000000000:execution:cb:e");
	ck_assert_str_eq(st, "SUCCEEDED");
	mem_free(st);
	mem_free(token);
	cJSON_Delete(q);
	mock_world_free(w);
}
END_TEST

START_TEST(sfn_should_answer_validation_and_missing_resources_as_aws)
{
	mock_world *w = mock_world_new(NULL, NULL);
	char err[512];
	cJSON_Delete(call(w, "DescribeStateMachine", "{\"stateMachineArn\": \"" SM "nope\"}", err, sizeof err));
	ck_assert_msg(strstr(err, "StateMachineDoesNotExist") && strstr(err, "State Machine Does Not Exist"), "%s", err);
	cJSON_Delete(call(w, "DescribeExecution", "{\"executionArn\": \"not-an-arn\"}", err, sizeof err));
	ck_assert_msg(strstr(err, "InvalidArn"), "%s", err);
	cJSON_Delete(call(w, "CreateStateMachine", "{\"name\": \"x\", \"roleArn\": \"r\", \"definition\": \"{\\\"StartAt\\\": "
	                                           "\\\"A\\\"}\"}",
	                  err, sizeof err));
	ck_assert_msg(strstr(err, "InvalidDefinition") &&
	                  strstr(err, "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are "
	                              "required: [States] at /'"),
	              "%s", err);
	cJSON *v = call(w, "ValidateStateMachineDefinition",
	                "{\"definition\": \"{\\\"StartAt\\\": \\\"A\\\", \\\"States\\\": {\\\"A\\\": {\\\"Type\\\": \\\"Pass\\\", "
	                "\\\"Next\\\": \\\"B\\\"}}}\"}",
	                NULL, 0);
	ck_assert_str_eq(cj_str(v, "result"), "FAIL");
	const cJSON *d0 = cJSON_GetArrayItem(cj_arr(v, "diagnostics"), 0);
	ck_assert_str_eq(cj_str(d0, "code"), "MISSING_TRANSITION_TARGET");
	ck_assert_str_eq(cj_str(d0, "location"), "/States/A/Next");
	ck_assert_str_eq(cj_str(d0, "message"), "Missing 'Next' target: B");
	cJSON_Delete(v);
	mock_world_free(w);
}
END_TEST

Suite *suite_sfn(void)
{
	Suite *s = suite_create("mocks/stepfunctions");
	TCase *t = tcase_create("api");
	tcase_set_timeout(t, 30);
	tcase_add_test(t, sfn_should_run_an_execution_on_its_own_thread_and_record_it);
	tcase_add_test(t, sfn_should_keep_executions_and_history_in_lmdb_across_restarts);
	tcase_add_test(t, sfn_should_route_a_task_token_to_its_execution);
	tcase_add_test(t, sfn_should_answer_validation_and_missing_resources_as_aws);
	suite_add_tcase(s, t);
	return s;
}
