/* sfn_execution.c - executions: Start (a thread each), StartSync, Describe, Stop, List, history, task tokens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/b64.h"
#include "common/cj.h"
#include "common/mem.h"
#include "mocks/stepfunctions/sfn_int.h"
#include "mocks/transport_inproc.h"

#define MAX_INPUT 262144

/* ======================================================================
 * Running executions
 * ====================================================================== */

static void run_free(sfn_run *r)
{
	engine_exec_free(r->x);
	engine_def_free(r->d);
	if (r->tp)
		r->tp->close(r->tp);
	mem_free(r->arn);
	mem_free(r->sm_arn);
	mem_free(r->sm_name);
	mem_free(r->name);
	mem_free(r->role);
	mem_free(r->region);
	mem_free(r->type);
	mem_free(r);
}

/* The events as GetExecutionHistory answers them: timestamps in seconds. */
static cJSON *api_events(const cJSON *hist)
{
	cJSON *a = cJSON_Duplicate(hist, 1);
	for (cJSON *e = a ? a->child : NULL; e; e = e->next) {
		cJSON *ts = cJSON_GetObjectItem(e, "timestamp");
		if (cJSON_IsNumber(ts))
			cJSON_SetNumberValue(ts, sfn_secs((int64_t)ts->valuedouble));
	}
	return a;
}

/* The final record of an execution that ended. */
static void finish_record(cJSON *rec, engine_exec *x, int64_t stop_ms)
{
	engine_status st = engine_exec_status(x);
	cJSON_ReplaceItemInObjectCaseSensitive(rec, "status", cJSON_CreateString(engine_status_name(st)));
	cJSON_AddNumberToObject(rec, "stopDate", sfn_secs(stop_ms));
	if (st == ENGINE_SUCCEEDED) {
		char *o = cj_print(engine_exec_output(x));
		cJSON_AddStringToObject(rec, "output", o);
		mem_free(o);
	}
	if (engine_exec_error(x))
		cJSON_AddStringToObject(rec, "error", engine_exec_error(x));
	if (engine_exec_cause(x))
		cJSON_AddStringToObject(rec, "cause", engine_exec_cause(x));
}

static void persist(sfn_run *r)
{
	sfn_state *S = sfn_st(r->w);
	store_txn *t;
	if (store_txn_begin(r->w->st, 0, &t))
		return;
	store_val v;
	cJSON *rec = NULL;
	if (store_get(t, S->execs, r->arn, strlen(r->arn), &v) == 0)
		rec = cJSON_ParseWithLength(v.data, v.len);
	if (!rec) {
		store_txn_abort(t);
		return;
	}
	finish_record(rec, r->x, clk_now_ms(r->w->clock));
	char *txt = cj_print(rec);
	int rc = store_put(t, S->execs, r->arn, strlen(r->arn), txt, strlen(txt), 0);
	mem_free(txt);
	cJSON_Delete(rec);
	cJSON *ev = api_events(engine_exec_history(r->x));
	txt = cj_print(ev);
	cJSON_Delete(ev);
	if (!rc)
		rc = store_put(t, S->history, r->arn, strlen(r->arn), txt, strlen(txt), 0);
	mem_free(txt);
	if (rc)
		store_txn_abort(t);
	else
		store_txn_commit(t);
}

static void *run_thread(void *arg)
{
	sfn_run *r = arg;
	engine_exec_run(r->x);
	persist(r);
	sfn_state *S = sfn_st(r->w);
	pthread_mutex_lock(&S->mu);
	for (sfn_run **pp = &S->runs; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	S->nrunning--;
	pthread_cond_broadcast(&S->cv);
	pthread_mutex_unlock(&S->mu);
	run_free(r);
	return NULL;
}

void sfn_runs_shutdown(mock_world *w)
{
	sfn_state *S = sfn_st(w);
	if (!S)
		return;
	pthread_mutex_lock(&S->mu);
	S->stopping = 1;
	for (sfn_run *r = S->runs; r; r = r->next)
		engine_exec_stop(r->x, "States.Aborted", "stepbench is shutting down");
	while (S->nrunning > 0)
		pthread_cond_wait(&S->cv, &S->mu);
	pthread_mutex_unlock(&S->mu);
}

/* ======================================================================
 * Start
 * ====================================================================== */

typedef struct start_args {
	cJSON *machine;
	const char *name;
	char *input_text;
	cJSON *input;
	engine_def *d;
} start_args;

/* Common checks of StartExecution / StartSyncExecution. */
static int start_prepare(mock_req *rq, start_args *a, int sync)
{
	memset(a, 0, sizeof *a);
	const char *arn = sfn_req_str(rq, "stateMachineArn");
	if (!arn)
		return -1;
	store_txn *t = mock_txn_begin(rq, 1);
	if (!t)
		return -1;
	a->machine = sfn_load(rq, t, sfn_st(rq->w)->machines, arn);
	mock_txn_end(rq, t);
	if (!a->machine) {
		if (!mock_failed(rq)) {
			if (strncmp(arn, "arn:aws:states:", 15) || !strstr(arn, ":stateMachine:"))
				mock_fail(rq, AWSERR_SFN_InvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s'",
				          arn);
			else
				mock_fail(rq, AWSERR_SFN_StateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", arn);
		}
		return -1;
	}
	const char *type = cj_str(a->machine, "type");
	if (sync && (!type || strcmp(type, "EXPRESS"))) {
		mock_fail(rq, AWSERR_SFN_StateMachineTypeNotSupported,
		          "This operation is not supported by this type of state machine");
		return -1;
	}
	a->name = cj_str(rq->in, "name");
	if (a->name && !sfn_name_ok(a->name)) {
		mock_fail(rq, AWSERR_SFN_InvalidName, "Invalid Name: '%s'", a->name);
		return -1;
	}
	const char *in = cj_str(rq->in, "input");
	if (in && strlen(in) > MAX_INPUT) {
		mock_fail(rq, AWSERR_SFN_InvalidExecutionInput,
		          "Invalid State Machine Execution Input: 'The input exceeds the maximum size of 262144 bytes'");
		return -1;
	}
	a->input_text = mem_strdup(in ? in : "{}");
	size_t pos = 0;
	a->input = cj_parse(a->input_text, strlen(a->input_text), &pos);
	if (!a->input) {
		mock_fail(rq, AWSERR_SFN_InvalidExecutionInput,
		          "Invalid State Machine Execution Input: 'Unexpected character at position %zu'", pos + 1);
		return -1;
	}
	a->d = sfn_load_definition(rq, cj_str(a->machine, "definition"), type);
	return a->d ? 0 : -1;
}

static void start_free(start_args *a)
{
	cJSON_Delete(a->machine);
	mem_free(a->input_text);
	cJSON_Delete(a->input);
	engine_def_free(a->d);
}

static engine_exec *new_exec(mock_req *rq, sfn_run *r, const engine_def *d, const cJSON *input)
{
	engine_env env = {0};
	env.tp = r->tp;
	env.clock = rq->w->clock;
	env.region = r->region;
	env.account = rq->w->account;
	env.state_machine_arn = r->sm_arn;
	env.state_machine_name = r->sm_name;
	env.execution_arn = r->arn;
	env.execution_name = r->name;
	env.role_arn = r->role;
	env.type = r->type;
	return engine_exec_new(d, &env, input);
}

/* StartExecution: stateMachineArn, name?, input?, traceHeader? */
void sfn_op_start_execution(mock_req *rq)
{
	start_args a;
	if (start_prepare(rq, &a, 0)) {
		start_free(&a);
		return;
	}
	sfn_state *S = sfn_st(rq->w);
	char uu[UUID_LEN];
	mock_world_uuid(rq->w, uu);
	const char *sm_name = cj_str(a.machine, "name");
	const char *name = a.name ? a.name : uu;
	char *arn = mock_arn(rq, "states", "execution:%s:%s", sm_name, name);
	const char *type = cj_str(a.machine, "type");
	if (type && !strcmp(type, "EXPRESS"))
		arn = mock_arn(rq, "states", "express:%s:%s:%s", sm_name, name, uu);
	store_txn *t = mock_txn_begin(rq, 0);
	if (!t) {
		start_free(&a);
		return;
	}
	cJSON *old = sfn_load(rq, t, S->execs, arn);
	if (old) {
		/* the same name and input while it runs: the same execution */
		const char *oi = cj_str(old, "input"), *os = cj_str(old, "status");
		if (oi && !strcmp(oi, a.input_text) && os && !strcmp(os, "RUNNING")) {
			rq->out = cJSON_CreateObject();
			cJSON_AddStringToObject(rq->out, "executionArn", arn);
			cJSON_AddNumberToObject(rq->out, "startDate", cj_num(old, "startDate", 0));
		} else
			mock_fail(rq, AWSERR_SFN_ExecutionAlreadyExists, "Execution Already Exists: '%s'", arn);
		cJSON_Delete(old);
		mock_txn_end(rq, t);
		start_free(&a);
		return;
	}
	cJSON *rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "executionArn", arn);
	cJSON_AddStringToObject(rec, "stateMachineArn", cj_str(a.machine, "stateMachineArn"));
	cJSON_AddStringToObject(rec, "name", name);
	cJSON_AddStringToObject(rec, "status", "RUNNING");
	cJSON_AddNumberToObject(rec, "startDate", sfn_secs(clk_now_ms(rq->w->clock)));
	cJSON_AddStringToObject(rec, "input", a.input_text);
	cJSON_AddStringToObject(rec, "type", type ? type : "STANDARD");
	int rc = sfn_save(rq, t, S->execs, arn, rec);
	cJSON_Delete(rec);
	if (mock_txn_end(rq, t) || rc) {
		start_free(&a);
		return;
	}
	sfn_run *r = mem_calloc(1, sizeof *r);
	r->w = rq->w;
	r->arn = mem_strdup(arn);
	r->sm_arn = mem_strdup(cj_str(a.machine, "stateMachineArn"));
	r->sm_name = mem_strdup(sm_name);
	r->name = mem_strdup(name);
	r->role = mem_strdup(cj_str(a.machine, "roleArn") ? cj_str(a.machine, "roleArn") : "");
	r->region = mem_strdup(rq->region);
	r->type = mem_strdup(type ? type : "STANDARD");
	r->tp = transport_inproc_new_for_execution(rq->w, r->role, r->arn, r->sm_arn);
	r->d = a.d;
	a.d = NULL;
	r->x = new_exec(rq, r, r->d, a.input);
	int64_t start_ms = clk_now_ms(rq->w->clock);
	start_free(&a);
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&at, 1 << 20);
	pthread_mutex_lock(&S->mu);
	r->next = S->runs;
	S->runs = r;
	S->nrunning++;
	pthread_t th;
	int prc = pthread_create(&th, &at, run_thread, r);
	if (prc) {
		S->runs = r->next;
		S->nrunning--;
	}
	pthread_mutex_unlock(&S->mu);
	pthread_attr_destroy(&at);
	if (prc) {
		run_free(r);
		mock_fail(rq, AWSERR_ANY_ServiceUnavailable, "cannot start the execution thread");
		return;
	}
	rq->out = cJSON_CreateObject();
	cJSON_AddStringToObject(rq->out, "executionArn", arn);
	cJSON_AddNumberToObject(rq->out, "startDate", sfn_secs(start_ms));
}

/* StartSyncExecution: stateMachineArn, name?, input? (EXPRESS only) */
void sfn_op_start_sync_execution(mock_req *rq)
{
	start_args a;
	if (start_prepare(rq, &a, 1)) {
		start_free(&a);
		return;
	}
	char uu[UUID_LEN];
	mock_world_uuid(rq->w, uu);
	const char *sm_name = cj_str(a.machine, "name");
	const char *name = a.name ? a.name : uu;
	sfn_run r = {0};
	r.arn = mock_arn(rq, "states", "express:%s:%s:%s", sm_name, name, uu);
	r.sm_arn = (char *)cj_str(a.machine, "stateMachineArn");
	r.sm_name = (char *)sm_name;
	r.name = (char *)name;
	r.role = (char *)cj_str(a.machine, "roleArn");
	r.region = (char *)rq->region;
	r.type = (char *)"EXPRESS";
	r.tp = transport_inproc_new_for_execution(rq->w, r.role, r.arn, r.sm_arn);
	int64_t t0 = clk_now_ms(rq->w->clock);
	engine_exec *x = new_exec(rq, &r, a.d, a.input);
	engine_exec_run(x);
	cJSON *rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "executionArn", r.arn);
	cJSON_AddStringToObject(rec, "stateMachineArn", r.sm_arn);
	cJSON_AddStringToObject(rec, "name", name);
	cJSON_AddNumberToObject(rec, "startDate", sfn_secs(t0));
	cJSON_AddStringToObject(rec, "status", "RUNNING");
	finish_record(rec, x, clk_now_ms(rq->w->clock));
	cJSON_AddStringToObject(rec, "input", a.input_text);
	cJSON_AddTrueToObject(cJSON_AddObjectToObject(rec, "inputDetails"), "included");
	if (cJSON_GetObjectItem(rec, "output"))
		cJSON_AddTrueToObject(cJSON_AddObjectToObject(rec, "outputDetails"), "included");
	cJSON *bill = cJSON_AddObjectToObject(rec, "billingDetails");
	cJSON_AddNumberToObject(bill, "billedMemoryUsedInMB", 64);
	cJSON_AddNumberToObject(bill, "billedDurationInMilliseconds", 100);
	rq->out = rec;
	engine_exec_free(x);
	r.tp->close(r.tp);
	start_free(&a);
}

/* ======================================================================
 * Reading executions
 * ====================================================================== */

static cJSON *load_exec(mock_req *rq, store_txn *t, const char *arn)
{
	if (strncmp(arn, "arn:aws:states:", 15) || (!strstr(arn, ":execution:") && !strstr(arn, ":express:"))) {
		mock_fail(rq, AWSERR_SFN_InvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s'", arn);
		return NULL;
	}
	cJSON *x = sfn_load(rq, t, sfn_st(rq->w)->execs, arn);
	if (!x && !mock_failed(rq))
		mock_fail(rq, AWSERR_SFN_ExecutionDoesNotExist, "Execution Does Not Exist: '%s'", arn);
	return x;
}

/* DescribeExecution: executionArn */
void sfn_op_describe_execution(mock_req *rq)
{
	const char *arn = sfn_req_str(rq, "executionArn");
	if (!arn)
		return;
	cJSON *x = load_exec(rq, rq->txn, arn);
	if (!x)
		return;
	cJSON *o = cJSON_CreateObject();
	static const char *const keys[] = {"executionArn", "stateMachineArn", "name", "status", NULL};
	for (int i = 0; keys[i]; i++)
		cJSON_AddStringToObject(o, keys[i], cj_str(x, keys[i]) ? cj_str(x, keys[i]) : "");
	cJSON_AddNumberToObject(o, "startDate", cj_num(x, "startDate", 0));
	if (cJSON_GetObjectItem(x, "stopDate"))
		cJSON_AddNumberToObject(o, "stopDate", cj_num(x, "stopDate", 0));
	cJSON_AddStringToObject(o, "input", cj_str(x, "input") ? cj_str(x, "input") : "{}");
	cJSON_AddTrueToObject(cJSON_AddObjectToObject(o, "inputDetails"), "included");
	if (cj_str(x, "output")) {
		cJSON_AddStringToObject(o, "output", cj_str(x, "output"));
		cJSON_AddTrueToObject(cJSON_AddObjectToObject(o, "outputDetails"), "included");
	}
	if (cj_str(x, "error"))
		cJSON_AddStringToObject(o, "error", cj_str(x, "error"));
	if (cj_str(x, "cause"))
		cJSON_AddStringToObject(o, "cause", cj_str(x, "cause"));
	cJSON_AddNumberToObject(o, "redriveCount", 0);
	cJSON_AddStringToObject(o, "redriveStatus", "NOT_REDRIVABLE");
	rq->out = o;
	cJSON_Delete(x);
}

/* ListExecutions: stateMachineArn, statusFilter?, maxResults?, nextToken? */
void sfn_op_list_executions(mock_req *rq)
{
	const char *sm = sfn_req_str(rq, "stateMachineArn");
	if (!sm)
		return;
	cJSON *m = sfn_load(rq, rq->txn, sfn_st(rq->w)->machines, sm);
	if (!m) {
		if (!mock_failed(rq))
			mock_fail(rq, AWSERR_SFN_StateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", sm);
		return;
	}
	const char *filter = cj_str(rq->in, "statusFilter");
	int max = (int)cj_num(rq->in, "maxResults", 100);
	if (max <= 0 || max > 1000)
		max = 100;
	long skip = 0;
	const char *tok = cj_str(rq->in, "nextToken");
	if (tok) {
		sb b = SB_INIT;
		if (b64_decode(tok, strlen(tok), 0, &b) == 0)
			skip = strtol(sb_str(&b), NULL, 10);
		sb_free(&b);
	}
	/* every execution of the machine, newest first */
	cJSON *all = cJSON_CreateArray();
	store_cur *c;
	if (store_cur_open(rq->txn, sfn_st(rq->w)->execs, &c) == 0) {
		store_val k, v;
		for (int rc = store_cur_get(c, STORE_FIRST, &k, &v); rc == 0; rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
			cJSON *x = cJSON_ParseWithLength(v.data, v.len);
			const char *xs = x ? cj_str(x, "stateMachineArn") : NULL;
			if (xs && !strcmp(xs, sm) && (!filter || !strcmp(filter, cj_str(x, "status") ? cj_str(x, "status") : "")))
				cJSON_AddItemToArray(all, x);
			else
				cJSON_Delete(x);
		}
		store_cur_close(c);
	}
	int n = cJSON_GetArraySize(all);
	/* insertion sort by startDate descending (stable for equal dates) */
	cJSON **v = mem_calloc((size_t)n + 1, sizeof *v);
	int i = 0;
	for (cJSON *x = all->child; x; x = x->next)
		v[i++] = x;
	for (int a = 1; a < n; a++)
		for (int b = a; b > 0 && cj_num(v[b], "startDate", 0) > cj_num(v[b - 1], "startDate", 0); b--) {
			cJSON *t = v[b];
			v[b] = v[b - 1];
			v[b - 1] = t;
		}
	rq->out = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(rq->out, "executions");
	for (long k = skip; k < n && k < skip + max; k++) {
		cJSON *e = cJSON_CreateObject();
		static const char *const keys[] = {"executionArn", "stateMachineArn", "name", "status", NULL};
		for (int q = 0; keys[q]; q++)
			cJSON_AddStringToObject(e, keys[q], cj_str(v[k], keys[q]) ? cj_str(v[k], keys[q]) : "");
		cJSON_AddNumberToObject(e, "startDate", cj_num(v[k], "startDate", 0));
		if (cJSON_GetObjectItem(v[k], "stopDate"))
			cJSON_AddNumberToObject(e, "stopDate", cj_num(v[k], "stopDate", 0));
		cJSON_AddItemToArray(arr, e);
	}
	if (skip + max < n) {
		char num[32];
		snprintf(num, sizeof num, "%ld", skip + max);
		sb b = SB_INIT;
		b64_encode(num, strlen(num), &b);
		cJSON_AddStringToObject(rq->out, "nextToken", sb_str(&b));
		sb_free(&b);
	}
	mem_free(v);
	cJSON_Delete(all);
	cJSON_Delete(m);
}

/* GetExecutionHistory: executionArn, maxResults?, reverseOrder?, nextToken?, includeExecutionData? */
void sfn_op_get_execution_history(mock_req *rq)
{
	const char *arn = sfn_req_str(rq, "executionArn");
	if (!arn)
		return;
	cJSON *x = load_exec(rq, rq->txn, arn);
	if (!x)
		return;
	cJSON_Delete(x);
	sfn_state *S = sfn_st(rq->w);
	cJSON *events = NULL;
	pthread_mutex_lock(&S->mu);
	for (sfn_run *r = S->runs; r; r = r->next)
		if (!strcmp(r->arn, arn)) {
			cJSON *h = engine_exec_history_copy(r->x);
			events = api_events(h);
			cJSON_Delete(h);
		}
	pthread_mutex_unlock(&S->mu);
	if (!events) {
		store_val v;
		if (store_get(rq->txn, S->history, arn, strlen(arn), &v) == 0)
			events = cJSON_ParseWithLength(v.data, v.len);
	}
	if (!events)
		events = cJSON_CreateArray();
	int max = (int)cj_num(rq->in, "maxResults", 100);
	if (max <= 0 || max > 1000)
		max = 100;
	int rev = cj_bool(rq->in, "reverseOrder", 0);
	int incl = cj_bool(rq->in, "includeExecutionData", 1);
	long skip = 0;
	const char *tok = cj_str(rq->in, "nextToken");
	if (tok) {
		sb b = SB_INIT;
		if (b64_decode(tok, strlen(tok), 0, &b) || !b.len) {
			sb_free(&b);
			cJSON_Delete(events);
			mock_fail(rq, AWSERR_SFN_InvalidToken, "Invalid Token: '%s'", tok);
			return;
		}
		skip = strtol(sb_str(&b), NULL, 10);
		sb_free(&b);
	}
	int n = cJSON_GetArraySize(events);
	rq->out = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(rq->out, "events");
	for (long k = skip; k < n && k < skip + max; k++) {
		cJSON *e = cJSON_Duplicate(cJSON_GetArrayItem(events, rev ? (int)(n - 1 - k) : (int)k), 1);
		if (!incl)
			for (cJSON *d = e->child; d; d = d->next)
				if (cJSON_IsObject(d)) {
					cJSON_DeleteItemFromObject(d, "input");
					cJSON_DeleteItemFromObject(d, "output");
				}
		cJSON_AddItemToArray(arr, e);
	}
	if (skip + max < n) {
		char num[32];
		snprintf(num, sizeof num, "%ld", skip + max);
		sb b = SB_INIT;
		b64_encode(num, strlen(num), &b);
		cJSON_AddStringToObject(rq->out, "nextToken", sb_str(&b));
		sb_free(&b);
	}
	cJSON_Delete(events);
}

/* StopExecution: executionArn, error?, cause? */
void sfn_op_stop_execution(mock_req *rq)
{
	const char *arn = sfn_req_str(rq, "executionArn");
	if (!arn)
		return;
	store_txn *t = mock_txn_begin(rq, 1);
	if (!t)
		return;
	cJSON *x = load_exec(rq, t, arn);
	mock_txn_end(rq, t);
	if (!x)
		return;
	cJSON_Delete(x);
	sfn_state *S = sfn_st(rq->w);
	pthread_mutex_lock(&S->mu);
	for (sfn_run *r = S->runs; r; r = r->next)
		if (!strcmp(r->arn, arn))
			engine_exec_stop(r->x, cj_str(rq->in, "error"), cj_str(rq->in, "cause"));
	pthread_mutex_unlock(&S->mu);
	rq->out = cJSON_CreateObject();
	cJSON_AddNumberToObject(rq->out, "stopDate", sfn_secs(clk_now_ms(rq->w->clock)));
}

/* ======================================================================
 * Task tokens
 * ====================================================================== */

/* Route a token to its running execution; fails the request when nothing
 * waits for it. kind: 1 success, 2 failure, 3 heartbeat. */
static void answer_token(mock_req *rq, int kind)
{
	const char *tok = sfn_req_str(rq, "taskToken");
	if (!tok)
		return;
	char *arn = engine_token_execution(tok);
	if (!arn) {
		mock_fail(rq, AWSERR_SFN_InvalidToken, "Invalid token");
		return;
	}
	cJSON *output = NULL;
	if (kind == 1) {
		const char *o = sfn_req_str(rq, "output");
		if (!o) {
			mem_free(arn);
			return;
		}
		output = cJSON_Parse(o);
		if (!output) {
			mem_free(arn);
			mock_fail(rq, AWSERR_SFN_InvalidOutput, "Invalid Output: '%s'", o);
			return;
		}
	}
	sfn_state *S = sfn_st(rq->w);
	int rc = -1;
	pthread_mutex_lock(&S->mu);
	for (sfn_run *r = S->runs; r; r = r->next)
		if (!strcmp(r->arn, arn)) {
			if (kind == 1)
				rc = engine_exec_send_task_success(r->x, tok, output);
			else if (kind == 2)
				rc = engine_exec_send_task_failure(r->x, tok, cj_str(rq->in, "error"), cj_str(rq->in, "cause"));
			else
				rc = engine_exec_send_task_heartbeat(r->x, tok);
		}
	pthread_mutex_unlock(&S->mu);
	cJSON_Delete(output);
	mem_free(arn);
	if (rc)
		mock_fail(rq, AWSERR_SFN_TaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'");
	else
		rq->out = cJSON_CreateObject();
}

/* SendTaskSuccess: taskToken, output */
void sfn_op_send_task_success(mock_req *rq) { answer_token(rq, 1); }
/* SendTaskFailure: taskToken, error?, cause? */
void sfn_op_send_task_failure(mock_req *rq) { answer_token(rq, 2); }
/* SendTaskHeartbeat: taskToken */
void sfn_op_send_task_heartbeat(mock_req *rq) { answer_token(rq, 3); }
