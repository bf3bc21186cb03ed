/* test_dispatch.c - op lookup, one transaction per call, faults. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/mem.h"
#include "mocks/mock.h"
#include "tests/suites.h"

static store_db kv;

/* Put: writes in["k"] then fails if in["fail"] is true: the write must not stay. */
static void t_op_put(mock_req *rq)
{
	const char *k = cJSON_GetStringValue(cJSON_GetObjectItem(rq->in, "k"));
	store_put(rq->txn, kv, k, strlen(k), "v", 1, 0);
	if (cJSON_IsTrue(cJSON_GetObjectItem(rq->in, "fail")))
		mock_fail(rq, AWSERR_DDB_ValidationException, "failing after a write to %s", k);
}

static void t_op_get(mock_req *rq)
{
	const char *k = cJSON_GetStringValue(cJSON_GetObjectItem(rq->in, "k"));
	store_val v;
	rq->out = cJSON_CreateObject();
	cJSON_AddBoolToObject(rq->out, "found", store_get(rq->txn, kv, k, strlen(k), &v) == 0);
	cJSON_AddBoolToObject(rq->out, "readonly", store_txn_readonly(rq->txn));
}

static const mock_op t_ops[] = {
	{"Get", t_op_get, MOCK_READONLY},
	{"Put", t_op_put, MOCK_WRITE},
	{NULL, NULL, 0},
};

static const mock_service t_svc = {.name = "dynamodb", .slot = MOCK_SVC_DYNAMODB, .ops = t_ops};

static mock_world *w;

static void setup(void)
{
	sb err = SB_INIT;
	w = mock_world_new(NULL, &err);
	ck_assert_msg(w != NULL, "%s", sb_str(&err));
	ck_assert_int_eq(store_db_open(w->st, "test.kv", 0, &kv), 0);
}

static void teardown(void) { mock_world_free(w); }

static int call(const char *op, const char *json, cJSON **out, mock_error *err)
{
	cJSON *in = cJSON_Parse(json);
	mock_req *rq = mock_req_new(w, &t_svc, NULL, in, "test");
	int rc = mock_dispatch(rq, op);
	if (out)
		*out = mock_req_take_out(rq);
	if (err) {
		*err = rq->err;
		err->type = err->type ? strdup(err->type) : NULL;
		err->message = err->message ? strdup(err->message) : NULL;
	}
	mock_req_free(rq);
	cJSON_Delete(in);
	return rc;
}

static int found(const char *k)
{
	char buf[64];
	snprintf(buf, sizeof buf, "{\"k\":\"%s\"}", k);
	cJSON *out;
	ck_assert_int_eq(call("Get", buf, &out, NULL), 0);
	int f = cJSON_IsTrue(cJSON_GetObjectItem(out, "found"));
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(out, "readonly")));
	cJSON_Delete(out);
	return f;
}

START_TEST(mock_dispatch_should_commit_on_success_and_abort_on_error)
{
	ck_assert_int_eq(call("Put", "{\"k\":\"kept\"}", NULL, NULL), 0);
	mock_error e;
	ck_assert_int_eq(call("Put", "{\"k\":\"dropped\",\"fail\":true}", NULL, &e), -1);
	ck_assert_str_eq(e.type, "ValidationException");
	ck_assert_int_eq(e.status, 400);
	ck_assert_str_eq(e.message, "failing after a write to dropped");
	free((char *)e.type);
	free(e.message);
	ck_assert(found("kept"));
	ck_assert(!found("dropped"));
}
END_TEST

START_TEST(mock_dispatch_should_reject_unknown_operations)
{
	mock_error e;
	ck_assert_int_eq(call("Nope", "{}", NULL, &e), -1);
	ck_assert_str_eq(e.type, "UnknownOperationException");
	free((char *)e.type);
	free(e.message);
}
END_TEST

START_TEST(mock_fault_should_fail_the_next_n_calls_then_stop)
{
	mock_fault_add(w, "dynamodb", "Put", 2, "ProvisionedThroughputExceededException", "slow down");
	mock_error e;
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(call("Put", "{\"k\":\"x\"}", NULL, &e), -1);
		ck_assert_str_eq(e.type, "ProvisionedThroughputExceededException");
		ck_assert_int_eq(e.status, 400);
		free((char *)e.type);
		free(e.message);
	}
	ck_assert(!found("x"));
	ck_assert_int_eq(call("Put", "{\"k\":\"x\"}", NULL, NULL), 0);
	ck_assert(found("x"));
	cJSON *f = mock_faults_json(w);
	ck_assert_int_eq(cJSON_GetArraySize(f), 0);
	cJSON_Delete(f);
}
END_TEST

Suite *suite_dispatch(void)
{
	Suite *s = suite_create("mocks/dispatch");
	TCase *tc = tcase_create("dispatch");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mock_dispatch_should_commit_on_success_and_abort_on_error);
	tcase_add_test(tc, mock_dispatch_should_reject_unknown_operations);
	tcase_add_test(tc, mock_fault_should_fail_the_next_n_calls_then_stop);
	suite_add_tcase(s, tc);
	return s;
}
