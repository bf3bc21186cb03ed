/* test_transport_http.c - the HTTP transport against an in-process `serve` front door. */
#include <check.h>
#include <stdio.h>

#include "common/file.h"
#include "engine/transport_http.h"
#include "mocks/mock.h"
#include "mocks/server/server.h"
#include "tests/suites.h"
#include "tests/unit/engine/asl_test.h"

static mock_world *w;
static srv *server;
static transport *tp;

static void setup(void)
{
	sb err = SB_INIT;
	w = mock_world_new(NULL, &err);
	ck_assert_msg(w != NULL, "%s", sb_str(&err));
	srv_opts o = {0};
	o.threads = 8;
	server = srv_start(w, &o, &err);
	ck_assert_msg(server != NULL, "%s", sb_str(&err));
	sb_free(&err);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", srv_port(server));
	snprintf(w->endpoint, sizeof w->endpoint, "%s", url);
	tp = transport_http_new(url, "us-east-1");
	ck_assert_ptr_nonnull(tp);
}

static void teardown(void)
{
	tp->close(tp);
	srv_stop(server);
	mock_world_free(w);
}

static int call(const char *svc, const char *op, const char *json, transport_result *r)
{
	cJSON *in = cJSON_Parse(json);
	ck_assert_ptr_nonnull(in);
	memset(r, 0, sizeof *r);
	int rc = tp->call(tp, svc, op, NULL, in, r);
	cJSON_Delete(in);
	return rc;
}

START_TEST(http_transport_should_speak_dynamodb_json)
{
	transport_result r;
	ck_assert_int_eq(call("dynamodb", "CreateTable",
	                      "{\"TableName\": \"Things\", \"KeySchema\": [{\"AttributeName\": \"id\", \"KeyType\": \"HASH\"}], "
	                      "\"AttributeDefinitions\": [{\"AttributeName\": \"id\", \"AttributeType\": \"S\"}], "
	                      "\"BillingMode\": \"PAY_PER_REQUEST\"}",
	                      &r),
	                 TRANSPORT_OK);
	transport_result_free(&r);
	ck_assert_int_eq(call("dynamodb", "PutItem", "{\"TableName\": \"Things\", \"Item\": {\"id\": {\"S\": \"a\"}}}", &r),
	                 TRANSPORT_OK);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(r.request_id);
	ck_assert_int_gt((int)strlen(r.request_id), 0);
	transport_result_free(&r);
	ck_assert_int_eq(call("dynamodb", "GetItem", "{\"TableName\": \"Things\", \"Key\": {\"id\": {\"S\": \"a\"}}}", &r),
	                 TRANSPORT_OK);
	ck_assert_str_eq(cj_str(cj_obj(cj_obj(r.out, "Item"), "id"), "S"), "a");
	transport_result_free(&r);
	ck_assert_int_eq(call("dynamodb", "PutItem", "{\"TableName\": \"Nope\", \"Item\": {\"id\": {\"S\": \"a\"}}}", &r),
	                 TRANSPORT_AWS_ERROR);
	ck_assert_str_eq(r.err_type, "ResourceNotFoundException");
	ck_assert_int_eq(r.status, 400);
	transport_result_free(&r);
}
END_TEST

START_TEST(http_transport_should_speak_sqs_json_and_lambda_rest)
{
	transport_result r;
	ck_assert_int_eq(call("sqs", "CreateQueue", "{\"QueueName\": \"q\"}", &r), TRANSPORT_OK);
	char url[256];
	snprintf(url, sizeof url, "%s", cj_str(r.out, "QueueUrl"));
	transport_result_free(&r);
	char body[512];
	snprintf(body, sizeof body, "{\"QueueUrl\": \"%s\", \"MessageBody\": \"hi\"}", url);
	ck_assert_int_eq(call("sqs", "SendMessage", body, &r), TRANSPORT_OK);
	ck_assert_str_eq(cj_str(r.out, "MD5OfMessageBody"), "49f68a5c8493ec2c0bf489821c21fc3b");
	transport_result_free(&r);
	ck_assert_int_eq(call("lambda", "CreateFunction", "{}", &r), TRANSPORT_CLIENT_ERROR); /* REST ops: Invoke only */
	transport_result_free(&r);
	cJSON *in = cJSON_Parse("{\"FunctionName\": \"f\", \"Behavior\": {\"expression\": \"{'got': $}\"}}"), *out = NULL;
	ck_assert_int_eq(mock_call(w, "lambda", "CreateFunction", in, &out, NULL), 0);
	cJSON_Delete(in);
	cJSON_Delete(out);
	ck_assert_int_eq(call("lambda", "Invoke", "{\"FunctionName\": \"f\", \"Payload\": \"{\\\"x\\\": 1}\"}", &r),
	                 TRANSPORT_OK);
	ck_assert_int_eq((int)cj_num(r.out, "StatusCode", 0), 200);
	cJSON *p = cJSON_Parse(cj_str(r.out, "Payload"));
	ck_assert_int_eq((int)cj_num(cj_obj(p, "got"), "x", 0), 1);
	cJSON_Delete(p);
	transport_result_free(&r);
	ck_assert_int_eq(call("lambda", "Invoke", "{\"FunctionName\": \"missing\", \"Payload\": \"{}\"}", &r),
	                 TRANSPORT_AWS_ERROR);
	ck_assert_str_eq(r.err_type, "ResourceNotFoundException");
	ck_assert_int_eq(r.status, 404);
	transport_result_free(&r);
}
END_TEST

START_TEST(http_transport_should_report_an_unreachable_endpoint_as_a_client_error)
{
	transport *t = transport_http_new("http://127.0.0.1:1", NULL);
	transport_result r = {0};
	cJSON *in = cJSON_CreateObject();
	ck_assert_int_eq(t->call(t, "dynamodb", "ListTables", NULL, in, &r), TRANSPORT_CLIENT_ERROR);
	ck_assert_str_eq(r.err_type, "SdkClientException");
	ck_assert(strstr(r.err_message, "Unable to execute HTTP request"));
	transport_result_free(&r);
	cJSON_Delete(in);
	t->close(t);
	ck_assert_ptr_null(transport_http_new("https://example.com", NULL));
}
END_TEST

START_TEST(engine_over_http_should_run_the_onboarding_workflow)
{
	transport_result r;
	ck_assert_int_eq(call("dynamodb", "CreateTable",
	                      "{\"TableName\": \"User\", \"KeySchema\": [{\"AttributeName\": \"PK\", \"KeyType\": \"HASH\"}, "
	                      "{\"AttributeName\": \"SK\", \"KeyType\": \"RANGE\"}], \"AttributeDefinitions\": "
	                      "[{\"AttributeName\": \"PK\", \"AttributeType\": \"S\"}, {\"AttributeName\": \"SK\", "
	                      "\"AttributeType\": \"S\"}], \"BillingMode\": \"PAY_PER_REQUEST\"}",
	                      &r),
	                 TRANSPORT_OK);
	transport_result_free(&r);
	ck_assert_int_eq(call("sqs", "CreateQueue", "{\"QueueName\": \"user-onboarding\"}", &r), TRANSPORT_OK);
	transport_result_free(&r);
	cJSON *in = cJSON_Parse("{\"FunctionName\": \"user-onboarding\", \"Behavior\": {\"returns\": {\"ok\": true}}}"),
	      *out = NULL;
	ck_assert_int_eq(mock_call(w, "lambda", "CreateFunction", in, &out, NULL), 0);
	cJSON_Delete(in);
	cJSON_Delete(out);
	size_t len;
	char *def = file_read("tests/data/asl/user-onboarding.asl.json", 1 << 20, &len, NULL);
	ck_assert_ptr_nonnull(def);
	engine_env env = {0};
	env.tp = tp;
	run x = run_env(def,
	                "{\"user\": {\"userId\": \"u1\", \"email\": \"e\", \"name\": \"n\", \"signupDate\": "
	                "\"2025-10-20T10:30:00Z\", \"source\": \"s\", \"metadata\": {\"referralCode\": \"R\", "
	                "\"country\": \"US\"}}}",
	                &env);
	mem_free(def);
	ck_assert_msg(engine_exec_status(x.x) == ENGINE_SUCCEEDED, "%s: %s", engine_exec_error(x.x),
	              engine_exec_cause(x.x));
	const cJSON *o = engine_exec_output(x.x);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cj_obj(o, "Payload"), "ok")));
	ck_assert_int_eq((int)cj_num(o, "StatusCode", 0), 200);
	/* the response headers reached SdkHttpMetadata */
	ck_assert_str_eq(cj_str(cj_obj(cj_obj(o, "SdkHttpMetadata"), "HttpHeaders"), "X-Amz-Executed-Version"), "$LATEST");
	ck_assert_int_gt((int)strlen(cj_str(cj_obj(o, "SdkResponseMetadata"), "RequestId")), 0);
	run_free(&x);
}
END_TEST

Suite *suite_transport_http(void)
{
	Suite *s = suite_create("transport_http");
	TCase *t = tcase_create("http");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 30);
	tcase_add_test(t, http_transport_should_speak_dynamodb_json);
	tcase_add_test(t, http_transport_should_speak_sqs_json_and_lambda_rest);
	tcase_add_test(t, http_transport_should_report_an_unreachable_endpoint_as_a_client_error);
	tcase_add_test(t, engine_over_http_should_run_the_onboarding_workflow);
	suite_add_tcase(s, t);
	return s;
}
