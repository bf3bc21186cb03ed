/* lam_invoke.c - Invoke (RequestResponse, Event, DryRun) and the invocation log. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/b64.h"
#include "common/cj.h"
#include "common/log.h"
#include "common/mem.h"
#include "mocks/lambda/lam_int.h"

#define TAIL_BYTES 4096

/* ======================================================================
 * The log
 * ====================================================================== */

static void put_be64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

/* JSON text parsed, or the raw text as a string when it is not JSON. */
static cJSON *parsed_or_text(const char *p, size_t n)
{
	cJSON *v = n ? cj_parse(p, n, NULL) : NULL;
	if (v)
		return v;
	char *s = mem_strndup(p ? p : "", n);
	v = cJSON_CreateString(s);
	mem_free(s);
	return v;
}

int lam_log_append(mock_world *w, const lam_job *j, const char *invocation_type, const lam_outcome *o, sb *err)
{
	lam_state *st = lam_st(w);
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "RequestId", j->request_id);
	cJSON_AddStringToObject(r, "Qualifier", j->qualifier);
	cJSON_AddStringToObject(r, "ExecutedVersion", j->version);
	cJSON_AddStringToObject(r, "InvocationType", invocation_type);
	cJSON_AddItemToObject(r, "Payload", j->payload_len ? parsed_or_text(j->payload, j->payload_len) :
	                                                     cJSON_CreateObject());
	int status = !strcmp(invocation_type, "Event") ? 202 : 200;
	if (o->svc_type) {
		cJSON *e = cJSON_AddObjectToObject(r, "Error");
		cJSON_AddStringToObject(e, "errorType", o->svc_type);
		cJSON_AddStringToObject(e, "errorMessage", o->svc_message ? o->svc_message : "");
		const awserr_info *info = awserr_find("lambda", o->svc_type);
		status = info ? info->status : 400;
	} else if (o->function_error) {
		cJSON *p = cj_parse(o->payload.buf ? o->payload.buf : "", o->payload.len, NULL);
		cJSON *e = cJSON_AddObjectToObject(r, "Error");
		const char *t = cj_str(p, "errorType"), *m = cj_str(p, "errorMessage");
		if (t)
			cJSON_AddStringToObject(e, "errorType", t);
		cJSON_AddStringToObject(e, "errorMessage", m ? m : sb_str(&o->payload));
		cJSON_Delete(p);
		cJSON_AddStringToObject(r, "FunctionError", "Unhandled");
	} else {
		cJSON_AddItemToObject(r, "Result", parsed_or_text(o->payload.buf, o->payload.len));
	}
	cJSON_AddNumberToObject(r, "StatusCode", status);
	cJSON_AddStringToObject(r, "Logs", sb_str(&o->logs));
	char iso[CLK_ISO_LEN];
	clk_fmt_iso(j->now_ms, iso);
	cJSON_AddStringToObject(r, "Time", iso);
	cJSON_AddNumberToObject(r, "DurationMs", (double)(int64_t)(o->duration_ms * 100 + 0.5) / 100.0);

	store_txn *t;
	int rc = store_txn_begin(w->st, 0, &t);
	if (rc) {
		sb_printf(err, "%s", store_strerror(rc));
		cJSON_Delete(r);
		return -1;
	}
	uint64_t seq = 0;
	store_val v;
	if (!store_get(t, st->meta, "seq", 3, &v) && v.len == 8)
		memcpy(&seq, v.data, 8);
	seq++;
	cJSON_AddNumberToObject(r, "_seq", (double)seq);
	sb k = SB_INIT;
	lam_key(&k, j->region, j->name, NULL);
	unsigned char be[8];
	put_be64(be, seq);
	sb_catn(&k, (const char *)be, 8);
	char *text = cj_print(r);
	rc = store_put(t, st->meta, "seq", 3, &seq, 8, 0);
	if (!rc)
		rc = store_put(t, st->log, k.buf, k.len, text, strlen(text), 0);
	if (!rc)
		rc = store_txn_commit(t);
	else
		store_txn_abort(t);
	if (rc)
		sb_printf(err, "%s", store_strerror(rc));
	mem_free(text);
	sb_free(&k);
	cJSON_Delete(r);
	return rc ? -1 : 0;
}

static int seq_cmp(const void *a, const void *b)
{
	double x = cj_num(*(cJSON *const *)a, "_seq", 0), y = cj_num(*(cJSON *const *)b, "_seq", 0);
	return x < y ? -1 : x > y;
}

cJSON *lam_invocations_json(mock_world *w, const char *region, const char *function)
{
	lam_state *st = lam_st(w);
	lam_fname f;
	memset(&f, 0, sizeof f);
	if (function && lam_fname_parse(function, &f))
		return cJSON_CreateObject(); /* no function has such a name */
	if (function && *f.region && !region)
		region = f.region;
	lam_quiesce(w);
	store_txn *t;
	if (store_txn_begin(w->st, 1, &t))
		return NULL;
	cJSON *all = cJSON_CreateObject();
	if (function)
		cJSON_AddArrayToObject(all, f.name);
	store_cur *c;
	if (store_cur_open(t, st->log, &c)) {
		store_txn_abort(t);
		cJSON_Delete(all);
		return NULL;
	}
	store_val k, v;
	for (int rc = store_cur_get(c, STORE_FIRST, &k, &v); rc == 0; rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
		const char *kr = k.data;
		size_t rl = strnlen(kr, k.len);
		if (rl + 1 >= k.len)
			continue;
		const char *kn = kr + rl + 1;
		size_t nl = strnlen(kn, k.len - rl - 1);
		if (region && (rl != strlen(region) || memcmp(kr, region, rl)))
			continue;
		if (function && (nl != strlen(f.name) || memcmp(kn, f.name, nl)))
			continue;
		char name[LAM_NAME_MAX + 1];
		snprintf(name, sizeof name, "%.*s", (int)(nl < LAM_NAME_MAX ? nl : LAM_NAME_MAX), kn);
		cJSON *list = cJSON_GetObjectItemCaseSensitive(all, name);
		if (!list)
			list = cJSON_AddArrayToObject(all, name);
		cJSON *rec = cj_parse(v.data, v.len, NULL);
		if (rec)
			cJSON_AddItemToArray(list, rec);
	}
	store_cur_close(c);
	store_txn_abort(t);
	/* one order for every region: the log's sequence */
	for (cJSON *list = all->child; list; list = list->next) {
		int n = cJSON_GetArraySize(list);
		if (n == 0)
			continue;
		cJSON **items = mem_calloc((size_t)n, sizeof *items);
		int i = 0;
		while (list->child)
			items[i++] = cJSON_DetachItemViaPointer(list, list->child);
		qsort(items, (size_t)n, sizeof *items, seq_cmp);
		for (i = 0; i < n; i++) {
			cJSON_DeleteItemFromObjectCaseSensitive(items[i], "_seq");
			cJSON_AddItemToArray(list, items[i]);
		}
		mem_free(items);
	}
	return all;
}

/* ======================================================================
 * Event invocations: a background thread each, counted so the world can
 * wait for them
 * ====================================================================== */

void lam_quiesce(mock_world *w)
{
	lam_state *st = lam_st(w);
	if (!st)
		return;
	pthread_mutex_lock(&st->mu);
	while (st->jobs > 0)
		pthread_cond_wait(&st->cv, &st->mu);
	pthread_mutex_unlock(&st->mu);
}

static void *event_main(void *arg)
{
	lam_job *j = arg;
	lam_state *st = lam_st(j->w);
	lam_outcome o;
	lam_run(j, &o);
	sb err = SB_INIT;
	if (lam_log_append(j->w, j, "Event", &o, &err))
		log_warn("lambda: cannot record the Event invocation %s of %s: %s", j->request_id, j->name, sb_str(&err));
	sb_free(&err);
	lam_outcome_free(&o);
	lam_job_free(j);
	pthread_mutex_lock(&st->mu);
	st->jobs--;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
	return NULL;
}

static int start_event(mock_world *w, lam_job *j)
{
	lam_state *st = lam_st(w);
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_mutex_lock(&st->mu);
	st->jobs++;
	pthread_mutex_unlock(&st->mu);
	pthread_t th;
	int rc = pthread_create(&th, &at, event_main, j);
	pthread_attr_destroy(&at);
	if (rc) {
		pthread_mutex_lock(&st->mu);
		st->jobs--;
		pthread_cond_broadcast(&st->cv);
		pthread_mutex_unlock(&st->mu);
	}
	return rc;
}

/* ======================================================================
 * Invoke
 * ====================================================================== */

/* The START/END/REPORT frame Lambda puts around a function's output. */
static void full_log(const lam_job *j, const lam_outcome *o, sb *out)
{
	sb_printf(out, "START RequestId: %s Version: %s\n", j->request_id, j->version);
	sb_catn(out, o->logs.buf ? o->logs.buf : "", o->logs.len);
	if (o->logs.len && o->logs.buf[o->logs.len - 1] != '\n')
		sb_catc(out, '\n');
	long long billed = (long long)o->duration_ms + ((double)(long long)o->duration_ms < o->duration_ms);
	sb_printf(out, "END RequestId: %s\n", j->request_id);
	sb_printf(out,
	          "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %lld ms\tMemory Size: %d MB\tMax Memory "
	          "Used: %ld MB\t\n",
	          j->request_id, o->duration_ms, billed < 1 ? 1 : billed, (int)cj_num(j->cfg, "MemorySize", 128),
	          o->max_rss_mb);
}

static lam_job *job_new(mock_req *rq, const char *region, const lam_fname *f, cJSON *cfg, const char *version)
{
	lam_job *j = mem_calloc(1, sizeof *j);
	j->w = rq->w;
	snprintf(j->region, sizeof j->region, "%s", region);
	snprintf(j->name, sizeof j->name, "%s", f->name);
	snprintf(j->qualifier, sizeof j->qualifier, "%s", *f->qualifier ? f->qualifier : LAM_LATEST);
	snprintf(j->version, sizeof j->version, "%s", version);
	memcpy(j->request_id, rq->request_id, UUID_LEN);
	j->function_arn = mem_strdup(lam_fn_arn(rq, region, f->name, *f->qualifier ? f->qualifier : NULL));
	j->cfg = cfg;
	j->now_ms = rq->now_ms;
	return j;
}

/* 1 when the function answers by invocation number (the only reader of the count). */
static int counts_invocations(const cJSON *cfg)
{
	return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cfg, "_behavior"), "responses") != NULL;
}

/* Reads the function and its code in one short read transaction, then, for
 * a `responses` behaviour, bumps its invocation count in a short write
 * transaction. None is held while the function runs. */
static lam_job *prepare(mock_req *rq, const char *region, const lam_fname *f, int dry_run)
{
	lam_state *st = lam_st(rq->w);
	store_txn *t = mock_txn_begin(rq, 1);
	if (!t)
		return NULL;
	cJSON *cfg;
	char ver[LAM_VER_LEN];
	/* Invoke names what it looked for: an unqualified call looks for
	 * $LATEST, and AWS's "Function not found" then ends in ":$LATEST"
	 * (GetFunction and the other control-plane calls answer the bare ARN). */
	if (lam_fn_load(rq, t, region, f->name, f->qualifier[0] ? f->qualifier : LAM_LATEST, &cfg, ver)) {
		mock_txn_end(rq, t);
		return NULL;
	}
	lam_job *j = job_new(rq, region, f, cfg, ver);
	if (!dry_run && !cJSON_GetObjectItemCaseSensitive(cfg, "_behavior")) {
		char part[LAM_VER_LEN];
		lam_ver_part(ver, part);
		sb k = SB_INIT;
		lam_key(&k, region, f->name, part);
		store_val v;
		if (!store_get(t, st->code, k.buf, k.len, &v)) {
			j->zip = mem_alloc(v.len ? v.len : 1);
			memcpy(j->zip, v.data, v.len);
			j->zip_len = v.len;
		}
		sb_free(&k);
	}
	mock_txn_end(rq, t);
	if (dry_run || !counts_invocations(cfg))
		return j;
	if (!(t = mock_txn_begin(rq, 0))) {
		lam_job_free(j);
		return NULL;
	}
	sb mk = SB_INIT;
	sb_catc(&mk, 'n');
	sb_catc(&mk, '\0');
	lam_key(&mk, region, f->name, NULL);
	uint64_t n = 0;
	store_val v;
	if (!store_get(t, st->meta, mk.buf, mk.len, &v) && v.len == 8)
		memcpy(&n, v.data, 8);
	n++;
	int rc = store_put(t, st->meta, mk.buf, mk.len, &n, 8, 0);
	sb_free(&mk);
	if (rc)
		mock_fail_store(rq, rc);
	j->number = n;
	if (mock_txn_end(rq, t)) {
		lam_job_free(j);
		return NULL;
	}
	return j;
}

/* Invoke: FunctionName, Qualifier?, InvocationType?, LogType?, ClientContext?, Payload? */
void lam_op_invoke(mock_req *rq)
{
	lam_fname f;
	const char *region;
	if (lam_req_fname(rq, "Qualifier", &f, &region))
		return;
	const char *type = cj_str(rq->in, "InvocationType"), *log_type = cj_str(rq->in, "LogType");
	if (!type || !*type)
		type = "RequestResponse";
	if (strcmp(type, "RequestResponse") && strcmp(type, "Event") && strcmp(type, "DryRun")) {
		mock_fail(rq, AWSERR_LAM_ValidationException,
		          "1 validation error detected: Value '%s' at 'invocationType' failed to satisfy constraint: "
		          "Member must satisfy enum value set: [Event, RequestResponse, DryRun]",
		          type);
		return;
	}
	if (log_type && *log_type && strcmp(log_type, "None") && strcmp(log_type, "Tail")) {
		mock_fail(rq, AWSERR_LAM_ValidationException,
		          "1 validation error detected: Value '%s' at 'logType' failed to satisfy constraint: Member must "
		          "satisfy enum value set: [None, Tail]",
		          log_type);
		return;
	}
	int event = !strcmp(type, "Event"), dry = !strcmp(type, "DryRun");
	/* the payload: JSON text (a non-string member is taken as the event itself) */
	const cJSON *pv = cJSON_GetObjectItemCaseSensitive(rq->in, "Payload");
	char *printed = NULL;
	const char *payload = "";
	size_t plen = 0;
	if (cJSON_IsString(pv)) {
		payload = pv->valuestring;
		plen = strlen(payload);
	} else if (pv && !cJSON_IsNull(pv)) {
		printed = cj_print(pv);
		payload = printed;
		plen = strlen(printed);
	}
	size_t max = event ? LAM_EVENT_MAX : LAM_PAYLOAD_MAX;
	if (plen > max) {
		mock_fail(rq, AWSERR_LAM_RequestTooLargeException,
		          "Request must be smaller than %zu bytes for the InvokeFunction operation", max);
		mem_free(printed);
		return;
	}
	size_t lead = 0;
	while (lead < plen && (payload[lead] == ' ' || payload[lead] == '\t' || payload[lead] == '\n' ||
	                       payload[lead] == '\r'))
		lead++;
	cJSON *check = lead < plen ? cj_parse(payload, plen, NULL) : NULL;
	if (lead < plen && !check) {
		mock_fail(rq, AWSERR_LAM_InvalidRequestContentException,
		          "Could not parse request body into json: Could not parse payload into json: the payload is not "
		          "valid JSON");
		mem_free(printed);
		return;
	}
	cJSON_Delete(check);
	char *cc = NULL;
	const char *ccb = cj_str(rq->in, "ClientContext");
	if (ccb && *ccb) {
		sb d = SB_INIT;
		cJSON *cj = NULL;
		if (b64_decode(ccb, strlen(ccb), 0, &d) || !(cj = cj_parse(d.buf ? d.buf : "", d.len, NULL)) ||
		    !cJSON_IsObject(cj)) {
			sb_free(&d);
			cJSON_Delete(cj);
			mem_free(printed);
			mock_fail(rq, AWSERR_LAM_InvalidRequestContentException,
			          "Client context must be a valid Base64-encoded JSON object.");
			return;
		}
		cJSON_Delete(cj);
		cc = sb_steal(&d);
	}
	lam_job *j = prepare(rq, region, &f, dry);
	if (!j) {
		mem_free(printed);
		mem_free(cc);
		return;
	}
	j->client_context = cc;
	if (dry) {
		rq->out = cJSON_CreateObject();
		cJSON_AddNumberToObject(rq->out, "StatusCode", 204);
		cJSON_AddStringToObject(rq->out, "Payload", "");
		lam_job_free(j);
		mem_free(printed);
		return;
	}
	j->payload = mem_strndup(payload, plen);
	j->payload_len = plen;
	mem_free(printed);
	if (event) {
		if (start_event(rq->w, j)) {
			lam_job_free(j);
			mock_fail(rq, AWSERR_LAM_ServiceException, "cannot start the asynchronous invocation");
			return;
		}
		rq->out = cJSON_CreateObject();
		cJSON_AddNumberToObject(rq->out, "StatusCode", 202);
		cJSON_AddStringToObject(rq->out, "Payload", "");
		return;
	}
	lam_outcome o;
	lam_run(j, &o);
	sb err = SB_INIT;
	if (lam_log_append(rq->w, j, "RequestResponse", &o, &err))
		log_warn("lambda: cannot record the invocation %s of %s: %s", j->request_id, j->name, sb_str(&err));
	sb_free(&err);
	if (o.svc_type) {
		const awserr_info *info = awserr_find("lambda", o.svc_type);
		mock_fail_as(rq, o.svc_type, info ? info->status : 400, info ? info->sender : 1, NULL, "%s",
		             o.svc_message ? o.svc_message : "");
	} else {
		rq->out = cJSON_CreateObject();
		cJSON_AddNumberToObject(rq->out, "StatusCode", 200);
		cJSON_AddStringToObject(rq->out, "Payload", sb_str(&o.payload));
		if (o.function_error)
			cJSON_AddStringToObject(rq->out, "FunctionError", "Unhandled");
		cJSON_AddStringToObject(rq->out, "ExecutedVersion", j->version);
		if (log_type && !strcmp(log_type, "Tail")) {
			sb full = SB_INIT, b = SB_INIT;
			full_log(j, &o, &full);
			size_t from = full.len > TAIL_BYTES ? full.len - TAIL_BYTES : 0;
			b64_encode(full.buf + from, full.len - from, &b);
			cJSON_AddStringToObject(rq->out, "LogResult", sb_str(&b));
			sb_free(&full);
			sb_free(&b);
		}
	}
	lam_outcome_free(&o);
	lam_job_free(j);
}
