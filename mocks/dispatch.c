/* dispatch.c - mock_dispatch: op lookup, faults, one transaction per call (STYLE C3). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/mem.h"
#include "mocks/authz.h"
#include "mocks/mock.h"

/* ======================================================================
 * Requests
 * ====================================================================== */

mock_req *mock_req_new(mock_world *w, const mock_service *svc, const char *region, const cJSON *in,
                       const char *caller)
{
	mock_req *rq = mem_calloc(1, sizeof *rq);
	rq->w = w;
	rq->svc = svc;
	rq->ar = arena_new();
	rq->region = arena_strdup(rq->ar, region && *region ? region : w->region);
	rq->in = in;
	rq->caller = caller ? caller : "?";
	rq->now_ms = clk_now_ms(w->clock);
	mock_world_uuid(w, rq->request_id);
	return rq;
}

void mock_req_free(mock_req *rq)
{
	if (!rq)
		return;
	store_txn_abort(rq->txn);
	cJSON_Delete(rq->out);
	cJSON_Delete(rq->err.extra);
	cJSON_Delete(rq->out_headers);
	arena_free(rq->ar);
	mem_free(rq);
}

cJSON *mock_req_take_out(mock_req *rq)
{
	cJSON *o = rq->out;
	rq->out = NULL;
	return o;
}

static void fail_v(mock_req *rq, const char *type, int status, int sender, const char *legacy,
                   const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

static void fail_v(mock_req *rq, const char *type, int status, int sender, const char *legacy,
                   const char *fmt, va_list ap)
{
	if (rq->err.type) /* the first error wins: it is the cause */
		return;
	rq->err.type = arena_strdup(rq->ar, type);
	rq->err.status = status;
	rq->err.sender = sender;
	rq->err.legacy = legacy ? arena_strdup(rq->ar, legacy) : NULL;
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	rq->err.message = arena_alloc(rq->ar, (size_t)(n < 0 ? 0 : n) + 1);
	vsnprintf(rq->err.message, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
}

void mock_fail(mock_req *rq, awserr_code code, const char *fmt, ...)
{
	const awserr_info *e = awserr_get(code);
	va_list ap;
	va_start(ap, fmt);
	fail_v(rq, e->type, e->status, e->sender, e->legacy, fmt, ap);
	va_end(ap);
}

void mock_fail_as(mock_req *rq, const char *type, int status, int sender, const char *legacy,
                  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fail_v(rq, type, status, sender, legacy, fmt, ap);
	va_end(ap);
}

void mock_fail_store(mock_req *rq, int rc)
{
	mock_fail(rq, AWSERR_ANY_InternalFailure, "storage error: %s", store_strerror(rc));
}

store_txn *mock_txn_begin(mock_req *rq, int readonly)
{
	store_txn *t;
	int rc = store_txn_begin(rq->w->st, readonly, &t);
	if (rc) {
		mock_fail_store(rq, rc);
		return NULL;
	}
	return t;
}

int mock_txn_end(mock_req *rq, store_txn *t)
{
	if (!t)
		return -1;
	if (mock_failed(rq) || store_txn_readonly(t)) {
		store_txn_abort(t);
		return mock_failed(rq) ? -1 : 0;
	}
	int rc = store_txn_commit(t);
	if (rc) {
		mock_fail_store(rq, rc);
		return -1;
	}
	return 0;
}

/* ======================================================================
 * Faults: "fail the next N calls of service/op with this error"
 * ====================================================================== */

struct mock_fault {
	mock_fault *next;
	char *service, *op, *type, *message;
	int remaining; /* < 0: forever */
};

void mock_fault_add(mock_world *w, const char *service, const char *op, int count, const char *type,
                    const char *message)
{
	mock_fault *f = mem_calloc(1, sizeof *f);
	f->service = mem_strdup(service);
	f->op = mem_strdup(op);
	f->type = mem_strdup(type);
	f->message = mem_strdup(message ? message : "Injected fault");
	f->remaining = count;
	pthread_mutex_lock(&w->mu);
	mock_fault **p = &w->faults; /* keep insertion order: first added, first used */
	while (*p)
		p = &(*p)->next;
	*p = f;
	pthread_mutex_unlock(&w->mu);
}

static void fault_free(mock_fault *f)
{
	mem_free(f->service);
	mem_free(f->op);
	mem_free(f->type);
	mem_free(f->message);
	mem_free(f);
}

void mock_faults_clear(mock_world *w)
{
	pthread_mutex_lock(&w->mu);
	mock_fault *f = w->faults;
	w->faults = NULL;
	pthread_mutex_unlock(&w->mu);
	while (f) {
		mock_fault *n = f->next;
		fault_free(f);
		f = n;
	}
}

cJSON *mock_faults_json(mock_world *w)
{
	cJSON *a = cJSON_CreateArray();
	pthread_mutex_lock(&w->mu);
	for (mock_fault *f = w->faults; f; f = f->next) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "service", f->service);
		cJSON_AddStringToObject(o, "operation", f->op);
		cJSON_AddNumberToObject(o, "remaining", f->remaining);
		cJSON_AddStringToObject(o, "error", f->type);
		cJSON_AddStringToObject(o, "message", f->message);
		cJSON_AddItemToArray(a, o);
	}
	pthread_mutex_unlock(&w->mu);
	return a;
}

/* Consumes one fault matching the request, recording its error. */
static int apply_fault(mock_req *rq, const char *op)
{
	mock_world *w = rq->w;
	if (!w->faults) /* racy peek is fine: a fault added meanwhile applies next call */
		return 0;
	int hit = 0;
	pthread_mutex_lock(&w->mu);
	for (mock_fault **p = &w->faults; *p; p = &(*p)->next) {
		mock_fault *f = *p;
		if (strcmp(f->service, rq->svc->name) || (strcmp(f->op, op) && strcmp(f->op, "*")))
			continue;
		const awserr_info *e = awserr_find(rq->svc->name, f->type);
		mock_fail_as(rq, f->type, e ? e->status : 400, e ? e->sender : 1, e ? e->legacy : NULL, "%s",
		             f->message);
		hit = 1;
		if (f->remaining > 0 && --f->remaining == 0) {
			*p = f->next;
			fault_free(f);
		}
		break;
	}
	pthread_mutex_unlock(&w->mu);
	return hit;
}

/* ======================================================================
 * Dispatch
 * ====================================================================== */

static int op_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const mock_op *)elem)->name);
}

static const mock_op *op_find(const mock_service *svc, const char *name)
{
	size_t n = 0;
	while (svc->ops && svc->ops[n].name)
		n++;
	return n ? bsearch(name, svc->ops, n, sizeof *svc->ops, op_cmp) : NULL;
}

int mock_dispatch(mock_req *rq, const char *op)
{
	rq->op = op_find(rq->svc, op);
	if (!rq->op) {
		mock_fail(rq, AWSERR_ANY_UnknownOperationException, "Unknown operation %s", op);
		return -1;
	}
	if (apply_fault(rq, op))
		return -1;
	if (rq->who && authz_check(rq, op))
		return -1;
	unsigned fl = rq->op->flags;
	if (!(fl & MOCK_NOTXN)) {
		int rc = store_txn_begin(rq->w->st, (fl & MOCK_WRITE) ? 0 : 1, &rq->txn);
		if (rc) {
			mock_fail_store(rq, rc);
			return -1;
		}
	}
	rq->op->fn(rq);
	if (rq->txn) {
		store_txn *t = rq->txn;
		rq->txn = NULL;
		if (mock_failed(rq) || store_txn_readonly(t)) {
			store_txn_abort(t);
		} else {
			int rc = store_txn_commit(t);
			if (rc)
				mock_fail_store(rq, rc);
		}
	}
	if (mock_failed(rq)) {
		cJSON_Delete(rq->out); /* a failed call answers with its error only */
		rq->out = NULL;
		log_debug("%s %s.%s -> %s: %s", rq->caller, rq->svc->name, op, rq->err.type, rq->err.message);
		return -1;
	}
	if (!rq->out)
		rq->out = cJSON_CreateObject();
	return 0;
}

int mock_call(mock_world *w, const char *service, const char *op, const cJSON *in, cJSON **out, sb *err)
{
	const mock_service *svc = mock_service_find(service);
	if (!svc) {
		if (err)
			sb_printf(err, "UnknownService: no service named %s", service);
		return -1;
	}
	mock_req *rq = mock_req_new(w, svc, NULL, in, "runner");
	int rc = mock_dispatch(rq, op);
	if (rc == 0)
		*out = mock_req_take_out(rq);
	else if (err)
		sb_printf(err, "%s: %s", rq->err.type, rq->err.message);
	mock_req_free(rq);
	return rc;
}
