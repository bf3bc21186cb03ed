/* test_lam_invoke.c - behaviours, the invocation log and the snapshot, in process. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/cj.h"
#include "common/mem.h"
#include "mocks/lambda/lam_int.h"
#include "tests/suites.h"

static mock_world *w;
static clk *vc;

static void setup(void)
{
	sb err = SB_INIT;
	int64_t t0;
	clk_parse_iso("2025-10-20T10:30:00Z", &t0);
	vc = clk_virtual_new(t0);
	mock_world_opts o = {0};
	o.clock = vc;
	o.seed = 42;
	w = mock_world_new(&o, &err);
	ck_assert_msg(w != NULL, "%s", sb_str(&err));
}

static void teardown(void)
{
	mock_world_free(w);
	clk_free(vc);
}

/* Calls op with JSON text; returns 0 and *out, or -1 and the error in err. */
static int call(const char *op, const char *json, cJSON **out, sb *err)
{
	cJSON *in = cJSON_Parse(json);
	ck_assert_msg(in != NULL, "bad test JSON: %s", json);
	cJSON *o = NULL;
	int rc = mock_call(w, "lambda", op, in, &o, err);
	cJSON_Delete(in);
	if (out)
		*out = o;
	else
		cJSON_Delete(o);
	return rc;
}

static void create(const char *name, const char *behavior)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "{\"FunctionName\": \"%s\", \"Behavior\": %s}", name, behavior);
	sb err = SB_INIT;
	ck_assert_msg(call("CreateFunction", buf, NULL, &err) == 0, "%s", sb_str(&err));
	sb_free(&err);
}

/* Invoke with a payload; returns the answer (caller frees). */
static cJSON *invoke(const char *name, const char *payload)
{
	cJSON *in = cJSON_CreateObject();
	cJSON_AddStringToObject(in, "FunctionName", name);
	cJSON_AddStringToObject(in, "Payload", payload);
	cJSON *o = NULL;
	sb err = SB_INIT;
	ck_assert_msg(mock_call(w, "lambda", "Invoke", in, &o, &err) == 0, "%s", sb_str(&err));
	sb_free(&err);
	cJSON_Delete(in);
	return o;
}

START_TEST(lam_invoke_should_answer_a_returns_behaviour_in_the_transport_shape)
{
	create("user-onboarding", "{\"returns\": {\"referral\": \"ok\"}}");
	cJSON *o = invoke("arn:aws:lambda:us-east-1:000000000000:function:user-onboarding", "{\"userId\": \"u-1\"}");
	ck_assert_int_eq((int)cj_num(o, "StatusCode", 0), 200);
	ck_assert_str_eq(cj_str(o, "Payload"), "{\"referral\":\"ok\"}");
	ck_assert_str_eq(cj_str(o, "ExecutedVersion"), "$LATEST");
	ck_assert_ptr_null(cJSON_GetObjectItem(o, "FunctionError"));
	cJSON_Delete(o);
}
END_TEST

START_TEST(lam_invoke_should_record_the_log_on_the_world_clock)
{
	create("f", "{\"returns\": [1, 2]}");
	cJSON_Delete(invoke("f", "{\"a\": 1}"));
	clk_sleep_ms(vc, 1500);
	cJSON_Delete(invoke("f:$LATEST", "{\"a\": 2}"));
	cJSON *snap = lam_service.snapshot(w);
	cJSON *list = cj_arr(snap, "f");
	ck_assert_int_eq(cJSON_GetArraySize(list), 2);
	cJSON *first = cJSON_GetArrayItem(list, 0), *second = cJSON_GetArrayItem(list, 1);
	ck_assert_str_eq(cj_str(first, "Time"), "2025-10-20T10:30:00.000Z");
	ck_assert_str_eq(cj_str(second, "Time"), "2025-10-20T10:30:01.500Z");
	ck_assert_int_eq((int)cj_num(first, "DurationMs", -1), 0);
	ck_assert_int_eq((int)cj_num(cj_obj(first, "Payload"), "a", 0), 1);
	ck_assert_int_eq((int)cj_num(cj_obj(second, "Payload"), "a", 0), 2);
	ck_assert_int_eq(cJSON_GetArraySize(cj_arr(first, "Result")), 2);
	ck_assert_str_eq(cj_str(first, "Qualifier"), "$LATEST");
	ck_assert_int_eq((int)strlen(cj_str(first, "RequestId")), 36);
	ck_assert_str_eq(cj_str(first, "Logs"), "");
	ck_assert_ptr_null(cJSON_GetObjectItem(first, "_seq"));
	cJSON_Delete(snap);
}
END_TEST

START_TEST(lam_invoke_should_turn_an_error_behaviour_into_a_function_error)
{
	create("e", "{\"error\": {\"type\": \"ReferralError\", \"message\": \"bad code\"}}");
	cJSON *o = invoke("e", "{}");
	ck_assert_str_eq(cj_str(o, "FunctionError"), "Unhandled");
	ck_assert_str_eq(cj_str(o, "Payload"), "{\"errorMessage\":\"bad code\",\"errorType\":\"ReferralError\",\"stackTrace\":[]}");
	cJSON_Delete(o);
	cJSON *log = lam_invocations_json(w, NULL, "e");
	cJSON *rec = cj_arr(log, "e")->child;
	ck_assert_str_eq(cj_str(cj_obj(rec, "Error"), "errorType"), "ReferralError");
	ck_assert_str_eq(cj_str(cj_obj(rec, "Error"), "errorMessage"), "bad code");
	ck_assert_str_eq(cj_str(rec, "FunctionError"), "Unhandled");
	ck_assert_ptr_null(cJSON_GetObjectItem(rec, "Result"));
	cJSON_Delete(log);
}
END_TEST

START_TEST(lam_invoke_should_fail_with_a_service_error_behaviour)
{
	create("t", "{\"error\": {\"service\": \"TooManyRequestsException\", \"message\": \"Rate Exceeded.\"}}");
	cJSON *in = cJSON_Parse("{\"FunctionName\": \"t\", \"Payload\": \"{}\"}");
	mock_req *rq = mock_req_new(w, &lam_service, NULL, in, "test");
	ck_assert_int_eq(mock_dispatch(rq, "Invoke"), -1);
	ck_assert_str_eq(rq->err.type, "TooManyRequestsException");
	ck_assert_int_eq(rq->err.status, 429);
	ck_assert_str_eq(rq->err.message, "Rate Exceeded.");
	mock_req_free(rq);
	cJSON_Delete(in);
}
END_TEST

START_TEST(lam_invoke_should_answer_responses_by_invocation_number)
{
	create("r", "{\"responses\": [{\"returns\": \"a\"}, {\"error\": {\"type\": \"X\"}}, {\"b\": 1}]}");
	const char *want[] = {"\"a\"", NULL, "{\"b\":1}", "{\"b\":1}"};
	for (int i = 0; i < 4; i++) {
		cJSON *o = invoke("r", "{}");
		if (want[i])
			ck_assert_str_eq(cj_str(o, "Payload"), want[i]);
		else
			ck_assert_str_eq(cj_str(o, "FunctionError"), "Unhandled");
		cJSON_Delete(o);
	}
	/* deleting and recreating the function starts the count again */
	sb err = SB_INIT;
	ck_assert_int_eq(call("DeleteFunction", "{\"FunctionName\": \"r\"}", NULL, &err), 0);
	create("r", "{\"responses\": [{\"returns\": \"again\"}, 2]}");
	cJSON *o = invoke("r", "{}");
	ck_assert_str_eq(cj_str(o, "Payload"), "\"again\"");
	cJSON_Delete(o);
	sb_free(&err);
}
END_TEST

START_TEST(lam_invoke_should_run_a_command_behaviour)
{
	create("c", "{\"command\": \"cat; echo ' logged' >&2\"}");
	cJSON *o = invoke("c", "{\"k\":\"v\"}");
	ck_assert_str_eq(cj_str(o, "Payload"), "{\"k\":\"v\"}");
	cJSON_Delete(o);
	create("raw", "{\"command\": \"printf 'not json'\"}");
	o = invoke("raw", "{}");
	ck_assert_str_eq(cj_str(o, "Payload"), "not json");
	cJSON_Delete(o);
	cJSON *log = lam_invocations_json(w, NULL, NULL);
	ck_assert_str_eq(cj_str(cj_arr(log, "c")->child, "Logs"), " logged\n");
	ck_assert_str_eq(cj_str(cj_arr(log, "raw")->child, "Result"), "not json");
	cJSON_Delete(log);
}
END_TEST

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(lam_invoke_should_evaluate_an_expression_behaviour_over_the_event)
{
	create("x", "{\"expression\": \"{'doubled': n * 2, 'at': $now()}\"}");
	cJSON *o = invoke("x", "{\"n\": 21}");
	ck_assert_str_eq(cj_str(o, "Payload"), "{\"doubled\":42,\"at\":\"2025-10-20T10:30:00.000Z\"}");
	cJSON_Delete(o);
	create("undef", "{\"expression\": \"missing\"}");
	o = invoke("undef", "{}");
	ck_assert_str_eq(cj_str(o, "Payload"), "null");
	cJSON_Delete(o);
	create("bad", "{\"expression\": \"$number('x') + {}\"}");
	o = invoke("bad", "{}");
	ck_assert_str_eq(cj_str(o, "FunctionError"), "Unhandled");
	ck_assert_ptr_nonnull(strstr(cj_str(o, "Payload"), "Stepbench.ExpressionError"));
	cJSON_Delete(o);
	sb err = SB_INIT;
	ck_assert_int_eq(call("CreateFunction", "{\"FunctionName\": \"syn\", \"Behavior\": {\"expression\": \"(\"}}",
	                      NULL, &err),
	                 -1);
	ck_assert_ptr_nonnull(strstr(sb_str(&err), "not valid JSONata"));
	sb_free(&err);
}
END_TEST

START_TEST(lam_invoke_event_should_run_in_the_background_without_holding_the_store)
{
	create("slow", "{\"command\": \"sleep 0.4; echo 1\"}");
	cJSON *in = cJSON_Parse("{\"FunctionName\": \"slow\", \"InvocationType\": \"Event\", \"Payload\": \"{}\"}");
	cJSON *o = NULL;
	double t0 = now_s();
	ck_assert_int_eq(mock_call(w, "lambda", "Invoke", in, &o, NULL), 0);
	ck_assert_int_eq((int)cj_num(o, "StatusCode", 0), 202);
	cJSON_Delete(o);
	cJSON_Delete(in);
	create("other", "{\"returns\": 1}"); /* a write while the function runs */
	ck_assert_msg(now_s() - t0 < 0.3, "a write waited for the running function");
	cJSON *log = lam_invocations_json(w, NULL, "slow"); /* waits for it */
	cJSON *rec = cj_arr(log, "slow")->child;
	ck_assert_ptr_nonnull(rec);
	ck_assert_str_eq(cj_str(rec, "InvocationType"), "Event");
	ck_assert_int_eq((int)cj_num(rec, "Result", 0), 1);
	cJSON_Delete(log);
}
END_TEST

START_TEST(lam_invoke_dry_run_should_run_nothing)
{
	create("d", "{\"command\": \"exit 1\"}");
	cJSON *in = cJSON_Parse("{\"FunctionName\": \"d\", \"InvocationType\": \"DryRun\"}");
	cJSON *o = NULL;
	ck_assert_int_eq(mock_call(w, "lambda", "Invoke", in, &o, NULL), 0);
	ck_assert_int_eq((int)cj_num(o, "StatusCode", 0), 204);
	cJSON_Delete(o);
	cJSON_Delete(in);
	cJSON *log = lam_invocations_json(w, NULL, "d");
	ck_assert_int_eq(cJSON_GetArraySize(cj_arr(log, "d")), 0);
	cJSON_Delete(log);
}
END_TEST

START_TEST(lam_create_should_reject_malformed_behaviours)
{
	const char *bad[] = {"[]", "{}", "{\"returns\": 1, \"error\": {}}", "{\"error\": \"x\"}",
	                     "{\"error\": {\"type\": 1}}", "{\"error\": {\"type\": \"a\", \"service\": \"b\"}}",
	                     "{\"responses\": []}", "{\"responses\": [{\"responses\": [1]}]}", "{\"expression\": 3}",
	                     "{\"command\": \"\"}", "{\"returns\": 1, \"cwd\": \"/\"}", "{\"bogus\": 1}", NULL};
	for (int i = 0; bad[i]; i++) {
		char buf[256];
		snprintf(buf, sizeof buf, "{\"FunctionName\": \"b%d\", \"Behavior\": %s}", i, bad[i]);
		sb err = SB_INIT;
		ck_assert_msg(call("CreateFunction", buf, NULL, &err) == -1, "accepted %s", bad[i]);
		ck_assert_msg(strstr(sb_str(&err), "InvalidParameterValueException") != NULL, "%s", sb_str(&err));
		sb_free(&err);
	}
}
END_TEST

START_TEST(lam_create_should_require_code_or_a_behaviour)
{
	sb err = SB_INIT;
	ck_assert_int_eq(call("CreateFunction",
	                      "{\"FunctionName\": \"x\", \"Role\": \"arn:aws:iam::000000000000:role/r\", \"Runtime\": "
	                      "\"python3.12\", \"Handler\": \"a.b\", \"Code\": {}}",
	                      NULL, &err),
	                 -1);
	ck_assert_ptr_nonnull(strstr(sb_str(&err), "InvalidParameterValueException"));
	sb_clear(&err);
	ck_assert_int_eq(call("CreateFunction", "{\"FunctionName\": \"x\", \"Code\": {}}", NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(sb_str(&err), "ValidationException"));
	sb_clear(&err);
	ck_assert_int_eq(call("CreateFunction", "{\"FunctionName\": \"bad name\", \"Behavior\": {\"returns\": 1}}", NULL,
	                      &err),
	                 -1);
	ck_assert_ptr_nonnull(strstr(sb_str(&err), "ValidationException"));
	sb_free(&err);
}
END_TEST

/* AWS words an unknown function per operation: Invoke names the qualifier it
 * looked for ($LATEST by default), GetFunction the bare ARN. */
START_TEST(lam_invoke_should_name_latest_when_the_function_is_unknown)
{
	sb err = SB_INIT;
	ck_assert_int_eq(call("Invoke", "{\"FunctionName\": \"ghost\", \"Payload\": \"{}\"}", NULL, &err), -1);
	ck_assert_ptr_nonnull(
	    strstr(sb_str(&err), "Function not found: arn:aws:lambda:us-east-1:000000000000:function:ghost:$LATEST"));
	sb_clear(&err);
	ck_assert_int_eq(call("Invoke", "{\"FunctionName\": \"ghost:live\", \"Payload\": \"{}\"}", NULL, &err), -1);
	ck_assert_ptr_nonnull(
	    strstr(sb_str(&err), "Function not found: arn:aws:lambda:us-east-1:000000000000:function:ghost:live"));
	sb_clear(&err);
	ck_assert_int_eq(call("GetFunction", "{\"FunctionName\": \"ghost\"}", NULL, &err), -1);
	ck_assert_ptr_null(strstr(sb_str(&err), "$LATEST"));
	ck_assert_ptr_nonnull(strstr(sb_str(&err), "Function not found: arn:aws:lambda:us-east-1:000000000000:function:ghost"));
	sb_free(&err);
}
END_TEST

START_TEST(lam_functions_should_be_kept_per_region)
{
	create("regional", "{\"returns\": 1}");
	cJSON *in = cJSON_Parse("{\"FunctionName\": \"regional\"}");
	mock_req *rq = mock_req_new(w, &lam_service, "eu-west-1", in, "test");
	ck_assert_int_eq(mock_dispatch(rq, "GetFunction"), -1);
	ck_assert_str_eq(rq->err.message, "Function not found: arn:aws:lambda:eu-west-1:000000000000:function:regional");
	mock_req_free(rq);
	cJSON_Delete(in);
	/* an ARN names its region whatever the request's */
	in = cJSON_Parse("{\"FunctionName\": \"arn:aws:lambda:us-east-1:000000000000:function:regional\"}");
	rq = mock_req_new(w, &lam_service, "eu-west-1", in, "test");
	ck_assert_int_eq(mock_dispatch(rq, "GetFunction"), 0);
	mock_req_free(rq);
	cJSON_Delete(in);
}
END_TEST

Suite *suite_lam_invoke(void)
{
	Suite *s = suite_create("mocks/lambda/invoke");
	TCase *tc = tcase_create("invoke");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, lam_invoke_should_answer_a_returns_behaviour_in_the_transport_shape);
	tcase_add_test(tc, lam_invoke_should_record_the_log_on_the_world_clock);
	tcase_add_test(tc, lam_invoke_should_turn_an_error_behaviour_into_a_function_error);
	tcase_add_test(tc, lam_invoke_should_fail_with_a_service_error_behaviour);
	tcase_add_test(tc, lam_invoke_should_answer_responses_by_invocation_number);
	tcase_add_test(tc, lam_invoke_should_run_a_command_behaviour);
	tcase_add_test(tc, lam_invoke_should_evaluate_an_expression_behaviour_over_the_event);
	tcase_add_test(tc, lam_invoke_event_should_run_in_the_background_without_holding_the_store);
	tcase_add_test(tc, lam_invoke_dry_run_should_run_nothing);
	tcase_add_test(tc, lam_create_should_reject_malformed_behaviours);
	tcase_add_test(tc, lam_create_should_require_code_or_a_behaviour);
	tcase_add_test(tc, lam_invoke_should_name_latest_when_the_function_is_unknown);
	tcase_add_test(tc, lam_functions_should_be_kept_per_region);
	suite_add_tcase(s, tc);
	return s;
}
