/* test_asl_onboarding.c - the founding user-onboarding workflow end to end against the in-process mocks. */
#include <check.h>
#include <stdio.h>

#include "common/file.h"
#include "mocks/mock.h"
#include "mocks/transport_inproc.h"
#include "tests/suites.h"
#include "tests/unit/engine/asl_test.h"

#define QUEUE_URL "https://sqs.us-east-1.amazonaws.com/000000000000/user-onboarding"
#define FN_ARN "arn:aws:lambda:us-east-1:000000000000:function:user-onboarding"

static const char *user_with(const char *metadata)
{
	static char buf[1024];
	snprintf(buf, sizeof buf,
	         "{\"user\": {\"userId\": \"user-12345\", \"email\": \"john.doe@example.com\", \"name\": \"John Doe\", "
	         "\"signupDate\": \"2025-10-20T10:30:00Z\", \"source\": \"web_signup\", \"metadata\": %s}}",
	         metadata);
	return buf;
}

typedef struct world {
	clk *clock;
	mock_world *w;
	transport *tp;
	engine_def *d;
	engine_exec *x;
} world;

static void call_ok(mock_world *w, const char *svc, const char *op, const char *json)
{
	cJSON *in = cJSON_Parse(json), *out = NULL;
	ck_assert_ptr_nonnull(in);
	sb err = SB_INIT;
	int rc = mock_call(w, svc, op, in, &out, &err);
	ck_assert_msg(rc == 0, "%s %s: %s", svc, op, sb_str(&err));
	sb_free(&err);
	cJSON_Delete(in);
	cJSON_Delete(out);
}

static world run_onboarding(const char *input)
{
	world W = {0};
	W.clock = clk_virtual_new(T0_MS);
	mock_world_opts o = {0};
	o.clock = W.clock;
	o.seed = 7;
	sb err = SB_INIT;
	W.w = mock_world_new(&o, &err);
	ck_assert_msg(W.w != NULL, "%s", sb_str(&err));
	sb_free(&err);
	call_ok(W.w, "dynamodb", "CreateTable",
	        "{\"TableName\": \"User\", \"KeySchema\": [{\"AttributeName\": \"PK\", \"KeyType\": \"HASH\"}, "
	        "{\"AttributeName\": \"SK\", \"KeyType\": \"RANGE\"}], \"AttributeDefinitions\": [{\"AttributeName\": "
	        "\"PK\", \"AttributeType\": \"S\"}, {\"AttributeName\": \"SK\", \"AttributeType\": \"S\"}], "
	        "\"BillingMode\": \"PAY_PER_REQUEST\"}");
	call_ok(W.w, "sqs", "CreateQueue", "{\"QueueName\": \"user-onboarding\"}");
	call_ok(W.w, "lambda", "CreateFunction",
	        "{\"FunctionName\": \"user-onboarding\", \"Behavior\": {\"returns\": {\"referralProcessed\": true}}}");
	W.tp = transport_inproc_new(W.w);
	size_t len;
	char *text = file_read("tests/data/asl/user-onboarding.asl.json", 1 << 20, &len, NULL);
	ck_assert_ptr_nonnull(text);
	W.d = load_text(text, NULL);
	mem_free(text);
	ck_assert_ptr_nonnull(W.d);
	engine_env env = {0};
	env.tp = W.tp;
	env.clock = W.clock;
	env.region = "us-east-1";
	env.account = "000000000000";
	env.state_machine_arn = "arn:aws:states:us-east-1:000000000000:stateMachine:user-onboarding";
	env.state_machine_name = "user-onboarding";
	env.execution_arn = "arn:aws:states:us-east-1:000000000000:execution:user-onboarding:run-1";
	env.execution_name = "run-1";
	env.role_arn = "arn:aws:iam::000000000000:role/sfn";
	env.seed = 1;
	cJSON *in = cJSON_Parse(input);
	W.x = engine_exec_new(W.d, &env, in);
	cJSON_Delete(in);
	engine_exec_run(W.x);
	return W;
}

static void world_free(world *W)
{
	engine_exec_free(W->x);
	engine_def_free(W->d);
	W->tp->close(W->tp);
	mock_world_free(W->w);
	clk_free(W->clock);
}

static char *types(const engine_exec *x)
{
	sb b = SB_INIT;
	for (const cJSON *e = engine_exec_history(x)->child; e; e = e->next) {
		if (b.len)
			sb_catc(&b, ' ');
		sb_cat(&b, cj_str(e, "type"));
	}
	return sb_steal(&b);
}

static cJSON *get_item(mock_world *w)
{
	cJSON *in = cJSON_Parse("{\"TableName\": \"User\", \"Key\": {\"PK\": {\"S\": \"user-12345\"}, \"SK\": {\"S\": "
	                        "\"PROFILE\"}}}"),
	      *out = NULL;
	ck_assert_int_eq(mock_call(w, "dynamodb", "GetItem", in, &out, NULL), 0);
	cJSON_Delete(in);
	return out;
}

static cJSON *receive(mock_world *w)
{
	cJSON *in = cJSON_Parse("{\"QueueUrl\": \"" QUEUE_URL "\", \"MaxNumberOfMessages\": 10}"), *out = NULL;
	ck_assert_int_eq(mock_call(w, "sqs", "ReceiveMessage", in, &out, NULL), 0);
	cJSON_Delete(in);
	return out;
}

static int invocations(mock_world *w)
{
	cJSON *snap = mock_service_find("lambda")->snapshot(w);
	const cJSON *calls = cJSON_GetObjectItem(snap, "user-onboarding");
	int n = cJSON_GetArraySize(calls);
	cJSON_Delete(snap);
	return n;
}

START_TEST(onboarding_with_referral_should_store_send_and_invoke)
{
	world W = run_onboarding(user_with("{\"referralCode\": \"FRIEND2025\", \"country\": \"US\"}"));
	ck_assert_msg(engine_exec_status(W.x) == ENGINE_SUCCEEDED, "%s: %s", engine_exec_error(W.x),
	              engine_exec_cause(W.x));
	/* the history, event type by event type, as AWS emits it for this workflow */
	char *t = types(W.x);
	ck_assert_str_eq(t, "ExecutionStarted PassStateEntered PassStateExited "
	                    "TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited "
	                    "TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited "
	                    "ChoiceStateEntered ChoiceStateExited "
	                    "TaskStateEntered TaskScheduled TaskStarted TaskSucceeded TaskStateExited "
	                    "ExecutionSucceeded");
	mem_free(t);
	/* the item */
	cJSON *item = get_item(W.w);
	const cJSON *it = cj_obj(item, "Item");
	ck_assert_str_eq(cj_str(cj_obj(it, "email"), "S"), "john.doe@example.com");
	ck_assert_str_eq(cj_str(cj_obj(cj_obj(cj_obj(it, "metadata"), "M"), "referralCode"), "S"), "FRIEND2025");
	cJSON_Delete(item);
	/* one message, its body the JSON text of the MessageBody object */
	cJSON *msgs = receive(W.w);
	const cJSON *m = cJSON_GetArrayItem(cj_arr(msgs, "Messages"), 0);
	ck_assert_int_eq(cJSON_GetArraySize(cj_arr(msgs, "Messages")), 1);
	cJSON *body = cJSON_Parse(cj_str(m, "Body"));
	ck_assert_str_eq(cj_str(body, "type"), "UserOnboarded");
	ck_assert_str_eq(cj_str(body, "createdDate"), "2025-10-20T10:30:00.000Z");
	cJSON_Delete(body);
	cJSON_Delete(msgs);
	/* the putItem result: only the SDK metadata; the lambda:invoke result wrapper */
	const cJSON *ev = event_at(&(run){.x = W.x}, 7);
	cJSON *put = cJSON_Parse(cj_str(cj_obj(ev, "taskSucceededEventDetails"), "output"));
	ck_assert_int_eq(cJSON_GetArraySize(put), 2);
	ck_assert_ptr_nonnull(cj_obj(put, "SdkHttpMetadata"));
	ck_assert_ptr_nonnull(cj_obj(put, "SdkResponseMetadata"));
	cJSON_Delete(put);
	const cJSON *o = engine_exec_output(W.x);
	ck_assert_str_eq(cj_str(o, "ExecutedVersion"), "$LATEST");
	ck_assert_int_eq((int)cj_num(o, "StatusCode", 0), 200);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cj_obj(o, "Payload"), "referralProcessed")));
	ck_assert_int_eq(invocations(W.w), 1);
	world_free(&W);
}
END_TEST

START_TEST(onboarding_without_referral_code_should_fail_like_aws)
{
	/* $user.metadata.referralCode is undefined inside the putItem Arguments:
	 * on AWS that is States.QueryEvaluationError at Save User Details */
	world W = run_onboarding(user_with("{\"country\": \"US\"}"));
	ck_assert_int_eq(engine_exec_status(W.x), ENGINE_FAILED);
	ck_assert_str_eq(engine_exec_error(W.x), "States.QueryEvaluationError");
	ck_assert_str_eq(engine_exec_cause(W.x),
	                 "An error occurred while executing the state 'Save User Details' (entered at the event id #4). "
	                 "The JSONata expression '$user.metadata.referralCode' specified for the field "
	                 "'Arguments/Item/metadata/M/referralCode/S' returned nothing (undefined).");
	char *t = types(W.x);
	ck_assert_str_eq(t, "ExecutionStarted PassStateEntered PassStateExited TaskStateEntered EvaluationFailed "
	                    "ExecutionFailed");
	mem_free(t);
	cJSON *item = get_item(W.w);
	ck_assert_ptr_null(cj_obj(item, "Item"));
	cJSON_Delete(item);
	ck_assert_int_eq(invocations(W.w), 0);
	world_free(&W);
}
END_TEST

START_TEST(onboarding_with_empty_referral_code_should_take_no_action)
{
	world W = run_onboarding(user_with("{\"referralCode\": \"\", \"country\": \"US\"}"));
	ck_assert_msg(engine_exec_status(W.x) == ENGINE_SUCCEEDED, "%s: %s", engine_exec_error(W.x),
	              engine_exec_cause(W.x));
	char *t = types(W.x);
	ck_assert(strstr(t, "ChoiceStateExited PassStateEntered PassStateExited ExecutionSucceeded") != NULL);
	mem_free(t);
	cJSON *item = get_item(W.w);
	ck_assert_str_eq(cj_str(cj_obj(cj_obj(cj_obj(cj_obj(item, "Item"), "metadata"), "M"), "referralCode"), "S"), "");
	cJSON_Delete(item);
	cJSON *msgs = receive(W.w);
	ck_assert_int_eq(cJSON_GetArraySize(cj_arr(msgs, "Messages")), 1);
	cJSON_Delete(msgs);
	ck_assert_int_eq(invocations(W.w), 0);
	world_free(&W);
}
END_TEST

Suite *suite_asl_onboarding(void)
{
	Suite *s = suite_create("asl_onboarding");
	TCase *t = tcase_create("workflow");
	tcase_set_timeout(t, 30);
	tcase_add_test(t, onboarding_with_referral_should_store_send_and_invoke);
	tcase_add_test(t, onboarding_without_referral_code_should_fail_like_aws);
	tcase_add_test(t, onboarding_with_empty_referral_code_should_take_no_action);
	suite_add_tcase(s, t);
	return s;
}
