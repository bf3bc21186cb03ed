/* sqs_message.c - messages: send, receive (long polls, visibility, FIFO groups, redrive), delete. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/b64.h"
#include "common/cj.h"
#include "common/hash.h"
#include "common/mem.h"
#include "mocks/sqs/sqs_int.h"

/* ======================================================================
 * Records and keys
 * ====================================================================== */

typedef struct rec_hdr {
	uint64_t seq;
	int64_t sent_ms, visible_at, first_recv_ms;
	uint64_t nonce;
	uint32_t recv_count;
	uint32_t nstr;
} rec_hdr;

#define NSTR 10

static const char **msg_strs(sqs_msg *m, const char **v[NSTR])
{
	v[0] = &m->id, v[1] = &m->body, v[2] = &m->md5_body, v[3] = &m->md5_attrs, v[4] = &m->md5_sys;
	v[5] = &m->attrs, v[6] = &m->sys, v[7] = &m->group, v[8] = &m->dedup, v[9] = &m->dlq_src;
	return NULL;
}

void sqs_msg_encode(const sqs_msg *m, sb *out)
{
	rec_hdr h = {m->seq, m->sent_ms, m->visible_at, m->first_recv_ms, m->nonce, m->recv_count, NSTR};
	sb_catn(out, (const char *)&h, sizeof h);
	const char **v[NSTR];
	msg_strs((sqs_msg *)m, v);
	for (int i = 0; i < NSTR; i++) {
		const char *s = *v[i] ? *v[i] : "";
		uint32_t n = (uint32_t)(i == 1 ? m->body_len : strlen(s));
		sb_catn(out, (const char *)&n, sizeof n);
		sb_catn(out, s, n);
	}
}

int sqs_msg_decode(arena *ar, const void *p, size_t n, sqs_msg *m)
{
	rec_hdr h;
	memset(m, 0, sizeof *m);
	if (n < sizeof h)
		return -1;
	memcpy(&h, p, sizeof h);
	m->seq = h.seq, m->sent_ms = h.sent_ms, m->visible_at = h.visible_at, m->first_recv_ms = h.first_recv_ms;
	m->nonce = h.nonce, m->recv_count = h.recv_count;
	if (!ar)
		return 0; /* header only */
	const char **v[NSTR];
	msg_strs(m, v);
	size_t off = sizeof h;
	for (uint32_t i = 0; i < h.nstr && i < NSTR; i++) {
		uint32_t l;
		if (n - off < sizeof l)
			return -1;
		memcpy(&l, (const char *)p + off, sizeof l);
		off += sizeof l;
		if (n - off < l)
			return -1;
		*v[i] = arena_strndup(ar, (const char *)p + off, l);
		if (i == 1)
			m->body_len = l;
		off += l;
	}
	for (int i = 0; i < NSTR; i++)
		if (!*v[i])
			*v[i] = "";
	return 0;
}

static void be64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

typedef struct key {
	unsigned char b[STORE_MAX_KEY];
	size_t n;
} key;

static size_t prefix_key(key *k, const char *name)
{
	size_t l = strlen(name);
	memcpy(k->b, name, l + 1);
	k->n = l + 1;
	return k->n;
}

static void msg_key(key *k, const char *name, uint64_t seq)
{
	prefix_key(k, name);
	be64(k->b + k->n, seq);
	k->n += 8;
}

static void vis_key(key *k, const char *name, int64_t at, uint64_t seq)
{
	prefix_key(k, name);
	be64(k->b + k->n, (uint64_t)(at < 0 ? 0 : at));
	be64(k->b + k->n + 8, seq);
	k->n += 16;
}

/* Write m (and its receive-order index entry for a standard queue; old_vis
 * is the entry to drop, < 0 for none). */
static int msg_put(mock_req *rq, store_txn *t, const sqs_queue *q, const sqs_msg *m, int64_t old_vis)
{
	sqs_state *st = sqs_st(rq->w);
	key k;
	int rc = 0;
	if (!q->fifo) {
		if (old_vis >= 0 && old_vis != m->visible_at) {
			vis_key(&k, q->name, old_vis, m->seq);
			rc = store_del(t, st->vis, k.b, k.n);
			if (rc == STORE_NOTFOUND)
				rc = 0;
		}
		if (!rc && old_vis != m->visible_at) {
			vis_key(&k, q->name, m->visible_at, m->seq);
			rc = store_put(t, st->vis, k.b, k.n, "", 0, 0);
		}
	}
	if (!rc) {
		sb s = SB_INIT;
		sqs_msg_encode(m, &s);
		msg_key(&k, q->name, m->seq);
		rc = store_put(t, st->msgs, k.b, k.n, s.buf, s.len, 0);
		sb_free(&s);
	}
	if (rc)
		mock_fail_store(rq, rc);
	return rc;
}

static int msg_del(mock_req *rq, store_txn *t, const sqs_queue *q, const sqs_msg *m)
{
	sqs_state *st = sqs_st(rq->w);
	key k;
	int rc = 0;
	if (!q->fifo) {
		vis_key(&k, q->name, m->visible_at, m->seq);
		rc = store_del(t, st->vis, k.b, k.n);
	}
	msg_key(&k, q->name, m->seq);
	int rc2 = store_del(t, st->msgs, k.b, k.n);
	rc = rc && rc != STORE_NOTFOUND ? rc : rc2 == STORE_NOTFOUND ? 0 : rc2;
	if (rc)
		mock_fail_store(rq, rc);
	return rc;
}

static int msg_get(mock_req *rq, store_txn *t, const sqs_queue *q, uint64_t seq, sqs_msg *m)
{
	key k;
	store_val v;
	msg_key(&k, q->name, seq);
	int rc = store_get(t, sqs_st(rq->w)->msgs, k.b, k.n, &v);
	if (rc)
		return rc;
	return sqs_msg_decode(rq->ar, v.data, v.len, m) ? STORE_BAD : 0;
}

static int next_seq(mock_req *rq, store_txn *t, const char *name, uint64_t *seq)
{
	sqs_state *st = sqs_st(rq->w);
	store_val v;
	uint64_t s = 0;
	int rc = store_get(t, st->seq, name, strlen(name), &v);
	if (rc == 0 && v.len == 8)
		memcpy(&s, v.data, 8);
	else if (rc && rc != STORE_NOTFOUND) {
		mock_fail_store(rq, rc);
		return rc;
	}
	s++;
	rc = store_put(t, st->seq, name, strlen(name), &s, 8, 0);
	if (rc)
		mock_fail_store(rq, rc);
	*seq = s;
	return rc;
}

static uint64_t random64(mock_world *w)
{
	pthread_mutex_lock(&w->mu);
	uint64_t r = rng_next(&w->rng);
	pthread_mutex_unlock(&w->mu);
	return r | 1; /* never 0: 0 means "never received" */
}

static int expired(const sqs_queue *q, const sqs_msg *m, int64_t now)
{
	return m->sent_ms + (int64_t)q->retention_s * 1000 <= now;
}

/* ======================================================================
 * Receipt handles: base64 of "<seq:16 hex><nonce:16 hex><queue name>"
 * ====================================================================== */

static const char *handle_make(mock_req *rq, const sqs_queue *q, const sqs_msg *m)
{
	char raw[300];
	int n = snprintf(raw, sizeof raw, "%016llx%016llx%s", (unsigned long long)m->seq, (unsigned long long)m->nonce,
	                 q->name);
	sb s = SB_INIT;
	b64_encode(raw, (size_t)n, &s);
	const char *r = arena_strdup(rq->ar, sb_str(&s));
	sb_free(&s);
	return r;
}

static int handle_parse(const sqs_queue *q, const char *h, uint64_t *seq, uint64_t *nonce)
{
	sb s = SB_INIT;
	int ok = b64_decode(h, strlen(h), 0, &s) == 0 && s.len == 32 + strlen(q->name) &&
	         !memcmp(s.buf + 32, q->name, strlen(q->name));
	if (ok) {
		char a[17], b[17];
		memcpy(a, s.buf, 16), memcpy(b, s.buf + 16, 16);
		a[16] = b[16] = '\0';
		char *e1, *e2;
		*seq = strtoull(a, &e1, 16);
		*nonce = strtoull(b, &e2, 16);
		ok = !*e1 && !*e2;
	}
	sb_free(&s);
	return ok ? 0 : -1;
}

/* ======================================================================
 * Entry errors (one per batch entry; single calls turn them into mock_fail)
 * ====================================================================== */

typedef struct ent_err {
	int set;
	awserr_code code;
	const char *msg;
} ent_err;

static void ent_fail(mock_req *rq, ent_err *e, awserr_code code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void ent_fail(mock_req *rq, ent_err *e, awserr_code code, const char *fmt, ...)
{
	if (e->set)
		return;
	va_list ap;
	va_start(ap, fmt);
	sb s = SB_INIT;
	sb_vprintf(&s, fmt, ap);
	va_end(ap);
	e->set = 1;
	e->code = code;
	e->msg = arena_strdup(rq->ar, sb_str(&s));
	sb_free(&s);
}

static void ent_to_req(mock_req *rq, const ent_err *e)
{
	if (e->set)
		mock_fail(rq, e->code, "%s", e->msg);
}

static void ent_to_failed(cJSON *failed, const char *id, const ent_err *e)
{
	const awserr_info *i = awserr_get(e->code);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Id", id);
	cJSON_AddBoolToObject(o, "SenderFault", i->sender);
	cJSON_AddStringToObject(o, "Code", i->type);
	cJSON_AddStringToObject(o, "Message", e->msg);
	cJSON_AddItemToArray(failed, o);
}

/* An optional integer member of obj in [lo, hi]; -1 with e set otherwise. */
static int ent_int(mock_req *rq, ent_err *e, const cJSON *obj, const char *name, long lo, long hi, long dflt,
                   long *out, const char *reason)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	*out = dflt;
	if (!v || cJSON_IsNull(v))
		return 0;
	char *end = NULL;
	if (cJSON_IsNumber(v) && v->valuedouble == (double)(long)v->valuedouble)
		*out = (long)v->valuedouble;
	else if (cJSON_IsString(v) && *v->valuestring && (*out = strtol(v->valuestring, &end, 10), !*end))
		;
	else {
		ent_fail(rq, e, AWSERR_SQS_InvalidParameterValue, "Value %s for parameter %s is invalid. Reason: %s",
		         cJSON_IsString(v) ? v->valuestring : "(non-integer)", name, reason);
		return -1;
	}
	if (*out < lo || *out > hi) {
		ent_fail(rq, e, AWSERR_SQS_InvalidParameterValue, "Value %ld for parameter %s is invalid. Reason: %s",
		         *out, name, reason);
		return -1;
	}
	return 0;
}

/* ======================================================================
 * Send
 * ====================================================================== */

/* MessageGroupId / MessageDeduplicationId: 1-128 of alphanumerics and punctuation. */
static int token_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 128)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7E)
			return 0;
	return 1;
}

static void dedup_key(key *k, const sqs_queue *q, const char *group, const char *id)
{
	prefix_key(k, q->name);
	if (q->dedup_per_group) {
		size_t gl = strlen(group);
		memcpy(k->b + k->n, group, gl + 1);
		k->n += gl + 1;
	}
	size_t il = strlen(id);
	memcpy(k->b + k->n, id, il);
	k->n += il;
}

/*
 * Send one entry (SendMessage's request or a SendMessageBatch entry) to q
 * at now. On success returns the result object (caller owns); on an entry
 * error returns NULL with e set; a store failure fails the request.
 */
static cJSON *send_one(mock_req *rq, store_txn *t, const sqs_queue *q, const cJSON *in, int64_t now, ent_err *e,
                       int *sent)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(in, "MessageBody");
	const char *body = NULL;
	size_t blen = 0;
	if (cJSON_IsString(b)) {
		body = b->valuestring;
	} else if (b && !cJSON_IsNull(b) && strcmp(rq->caller, "http")) {
		body = cj_print(b); /* Step Functions sends a JSON body as its text */
		char *copy = arena_strdup(rq->ar, body);
		mem_free((void *)body);
		body = copy;
	} else if (b && !cJSON_IsNull(b)) {
		ent_fail(rq, e, AWSERR_ANY_SerializationException, "MessageBody must be a string");
		return NULL;
	}
	if (!body || !*body) {
		ent_fail(rq, e, AWSERR_SQS_MissingParameter, "The request must contain the parameter MessageBody.");
		return NULL;
	}
	blen = strlen(body);
	long delay;
	if (ent_int(rq, e, in, "DelaySeconds", 0, 900, q->delay_s, &delay,
	            "DelaySeconds must be >= 0 and <= 900."))
		return NULL;
	const cJSON *dly = cJSON_GetObjectItemCaseSensitive(in, "DelaySeconds");
	if (q->fifo && dly && !cJSON_IsNull(dly)) {
		ent_fail(rq, e, AWSERR_SQS_InvalidParameterValue,
		         "Value %ld for parameter DelaySeconds is invalid. Reason: The request include parameter that is "
		         "not valid for this queue type.", delay);
		return NULL;
	}
	if (!sqs_body_valid(body, blen)) {
		ent_fail(rq, e, AWSERR_SQS_InvalidMessageContents,
		         "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | "
		         "#xE000 to #xFFFD | #x10000 to #x10FFFF");
		return NULL;
	}
	const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(in, "MessageAttributes");
	const cJSON *sys = cJSON_GetObjectItemCaseSensitive(in, "MessageSystemAttributes");
	size_t size = blen;
	sb err = SB_INIT;
	if (sqs_attrs_check(attrs, 0, &size, &err) || sqs_attrs_check(sys, 1, &size, &err)) {
		ent_fail(rq, e, AWSERR_SQS_InvalidParameterValue, "%s", sb_str(&err));
		sb_free(&err);
		return NULL;
	}
	sb_free(&err);
	if (size > (size_t)q->max_size) {
		ent_fail(rq, e, AWSERR_SQS_InvalidParameterValue,
		         "One or more parameters are invalid. Reason: Message must be shorter than %d bytes.", q->max_size);
		return NULL;
	}
	const char *group = cj_str(in, "MessageGroupId"), *dedup = cj_str(in, "MessageDeduplicationId");
	if (group && !token_valid(group)) {
		ent_fail(rq, e, AWSERR_SQS_InvalidParameterValue,
		         "Value %s for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include "
		         "alphanumeric and punctuation characters. 1 to 128 in length.", group);
		return NULL;
	}
	if (dedup && !token_valid(dedup)) {
		ent_fail(rq, e, AWSERR_SQS_InvalidParameterValue,
		         "Value %s for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can "
		         "only include alphanumeric and punctuation characters. 1 to 128 in length.", dedup);
		return NULL;
	}
	char content_id[65];
	if (q->fifo) {
		if (!group) {
			ent_fail(rq, e, AWSERR_SQS_MissingParameter, "The request must contain the parameter MessageGroupId.");
			return NULL;
		}
		if (!dedup && !q->content_dedup) {
			ent_fail(rq, e, AWSERR_SQS_InvalidParameterValue,
			         "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
			         "provided explicitly");
			return NULL;
		}
		if (!dedup) {
			unsigned char d[32];
			hash_sha256(body, blen, d);
			hash_hex_buf(d, 32, content_id);
			dedup = content_id;
		}
	} else if (dedup) {
		ent_fail(rq, e, AWSERR_SQS_InvalidParameterValue,
		         "Value %s for parameter MessageDeduplicationId is invalid. Reason: The request includes a "
		         "parameter that is not valid for this queue type.", dedup);
		return NULL;
	}

	sqs_msg m = {0};
	char md5b[33], md5a[33], md5s[33];
	sqs_md5_hex(body, blen, md5b);
	int has_a = sqs_md5_of_attributes(attrs, md5a) == 0, has_s = sqs_md5_of_attributes(sys, md5s) == 0;
	cJSON *out = cJSON_CreateObject();
	sqs_state *st = sqs_st(rq->w);

	if (q->fifo) { /* a duplicate within five minutes is accepted and dropped */
		key k;
		store_val v;
		dedup_key(&k, q, group, dedup);
		if (k.n > STORE_MAX_KEY - 1) {
			cJSON_Delete(out);
			ent_fail(rq, e, AWSERR_SQS_InvalidParameterValue, "MessageDeduplicationId is too long.");
			return NULL;
		}
		if (store_get(t, st->dedup, k.b, k.n, &v) == 0 && v.len > 16) {
			int64_t until;
			uint64_t seq;
			memcpy(&until, v.data, 8);
			memcpy(&seq, (const char *)v.data + 8, 8);
			if (until > now) {
				cJSON_AddStringToObject(out, "MD5OfMessageBody", md5b);
				if (has_a)
					cJSON_AddStringToObject(out, "MD5OfMessageAttributes", md5a);
				if (has_s)
					cJSON_AddStringToObject(out, "MD5OfMessageSystemAttributes", md5s);
				cJSON_AddItemToObject(out, "MessageId",
				                      cJSON_CreateString(arena_strndup(rq->ar, (const char *)v.data + 16, v.len - 16)));
				cJSON_AddStringToObject(out, "SequenceNumber", arena_printf(rq->ar, "%020llu", (unsigned long long)seq));
				return out;
			}
		}
	}
	char id[UUID_LEN];
	mock_world_uuid(rq->w, id);
	if (next_seq(rq, t, q->name, &m.seq)) {
		cJSON_Delete(out);
		return NULL;
	}
	m.sent_ms = now;
	m.visible_at = now + delay * 1000;
	m.id = id;
	m.body = body;
	m.body_len = blen;
	m.md5_body = md5b;
	m.md5_attrs = has_a ? md5a : "";
	m.md5_sys = has_s ? md5s : "";
	char *attrs_txt = has_a ? cj_print(attrs) : NULL, *sys_txt = has_s ? cj_print(sys) : NULL;
	m.attrs = attrs_txt ? attrs_txt : "";
	m.sys = sys_txt ? sys_txt : "";
	m.group = group ? group : "";
	m.dedup = q->fifo ? dedup : "";
	m.dlq_src = "";
	int rc = msg_put(rq, t, q, &m, -1);
	mem_free(attrs_txt);
	mem_free(sys_txt);
	if (!rc && q->fifo) {
		key k;
		dedup_key(&k, q, group, dedup);
		unsigned char v[16 + UUID_LEN];
		int64_t until = now + SQS_DEDUP_MS;
		memcpy(v, &until, 8);
		memcpy(v + 8, &m.seq, 8);
		memcpy(v + 16, id, strlen(id));
		rc = store_put(t, st->dedup, k.b, k.n, v, 16 + strlen(id), 0);
		if (rc)
			mock_fail_store(rq, rc);
	}
	if (rc) {
		cJSON_Delete(out);
		return NULL;
	}
	cJSON_AddStringToObject(out, "MD5OfMessageBody", md5b);
	if (has_a)
		cJSON_AddStringToObject(out, "MD5OfMessageAttributes", md5a);
	if (has_s)
		cJSON_AddStringToObject(out, "MD5OfMessageSystemAttributes", md5s);
	cJSON_AddStringToObject(out, "MessageId", id);
	if (q->fifo)
		cJSON_AddStringToObject(out, "SequenceNumber", arena_printf(rq->ar, "%020llu", (unsigned long long)m.seq));
	*sent = 1;
	return out;
}

/* SendMessage: QueueUrl, MessageBody, DelaySeconds?, MessageAttributes?,
 * MessageSystemAttributes?, MessageDeduplicationId?, MessageGroupId? */
void sqs_op_send_message(mock_req *rq)
{
	sqs_queue q;
	if (sqs_queue_from_req(rq, rq->txn, &q))
		return;
	ent_err e = {0};
	int sent = 0;
	cJSON *out = send_one(rq, rq->txn, &q, rq->in, rq->now_ms, &e, &sent);
	ent_to_req(rq, &e);
	if (out && !mock_failed(rq))
		rq->out = out;
	else
		cJSON_Delete(out);
	sqs_queue_done(&q);
	if (sent)
		sqs_wake(rq->w); /* waiters retry once the dispatcher commits; they recheck on a short timer too */
}

/* Batch envelope checks: Entries present, at most ten, distinct valid ids. */
static const cJSON *batch_entries(mock_req *rq, const char *what)
{
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(rq->in, "Entries");
	int n = cJSON_IsArray(en) ? cJSON_GetArraySize(en) : 0;
	if (en && !cJSON_IsNull(en) && !cJSON_IsArray(en)) {
		mock_fail(rq, AWSERR_ANY_SerializationException, "Entries must be a list");
		return NULL;
	}
	if (n == 0) {
		mock_fail(rq, AWSERR_SQS_EmptyBatchRequest, "There should be at least one %sRequestEntry in the request.",
		          what);
		return NULL;
	}
	if (n > SQS_MAX_BATCH) {
		mock_fail(rq, AWSERR_SQS_TooManyEntriesInBatchRequest,
		          "Maximum number of entries per request are %d. You have sent %d.", SQS_MAX_BATCH, n);
		return NULL;
	}
	for (const cJSON *a = en->child; a; a = a->next) {
		const char *id = cj_str(a, "Id");
		if (!cJSON_IsObject(a) || !id) {
			mock_fail(rq, AWSERR_SQS_MissingParameter, "The request must contain the parameter %sRequestEntry.%d.Id.",
			          what, 1);
			return NULL;
		}
		size_t l = strlen(id);
		int ok = l > 0 && l <= 80;
		for (size_t i = 0; ok && i < l; i++)
			ok = (id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= '0' && id[i] <= '9') ||
			     id[i] == '-' || id[i] == '_';
		if (!ok) {
			mock_fail(rq, AWSERR_SQS_InvalidBatchEntryId,
			          "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can "
			          "be at most 80 letters long.");
			return NULL;
		}
		for (const cJSON *b = en->child; b != a; b = b->next)
			if (!strcmp(cj_str(b, "Id"), id)) {
				mock_fail(rq, AWSERR_SQS_BatchEntryIdsNotDistinct, "Id %s repeated.", id);
				return NULL;
			}
	}
	return en;
}

static cJSON *batch_out(mock_req *rq, cJSON **ok, cJSON **failed)
{
	rq->out = cJSON_CreateObject();
	*ok = cJSON_AddArrayToObject(rq->out, "Successful");
	*failed = cJSON_AddArrayToObject(rq->out, "Failed");
	return rq->out;
}

/* SendMessageBatch: QueueUrl, Entries[{Id, MessageBody, DelaySeconds?, ...}] */
void sqs_op_send_message_batch(mock_req *rq)
{
	sqs_queue q;
	if (sqs_queue_from_req(rq, rq->txn, &q))
		return;
	const cJSON *en = batch_entries(rq, "SendMessageBatch");
	if (en) {
		size_t total = 0;
		for (const cJSON *a = en->child; a; a = a->next) {
			const char *b = cj_str(a, "MessageBody");
			total += b ? strlen(b) : 0;
			size_t sz = 0;
			sb err = SB_INIT;
			if (sqs_attrs_check(cj_obj(a, "MessageAttributes"), 0, &sz, &err) == 0)
				total += sz;
			sb_free(&err);
		}
		if (total > SQS_MAX_MSG_SIZE)
			mock_fail(rq, AWSERR_SQS_BatchRequestTooLong,
			          "Batch requests cannot be longer than %d bytes. You have sent %zu bytes.", SQS_MAX_MSG_SIZE,
			          total);
	}
	int sent = 0;
	if (en && !mock_failed(rq)) {
		cJSON *ok, *failed;
		batch_out(rq, &ok, &failed);
		for (const cJSON *a = en->child; a && !mock_failed(rq); a = a->next) {
			ent_err e = {0};
			cJSON *r = send_one(rq, rq->txn, &q, a, rq->now_ms, &e, &sent);
			if (r) {
				cJSON *o = cJSON_CreateObject();
				cJSON_AddStringToObject(o, "Id", cj_str(a, "Id"));
				for (cJSON *x = r->child; x; x = x->next)
					cJSON_AddItemToObject(o, x->string, cJSON_Duplicate(x, 1));
				cJSON_Delete(r);
				cJSON_AddItemToArray(ok, o);
			} else if (e.set) {
				ent_to_failed(failed, cj_str(a, "Id"), &e);
			}
		}
	}
	sqs_queue_done(&q);
	if (sent)
		sqs_wake(rq->w);
}

/* ======================================================================
 * Receive
 * ====================================================================== */

typedef struct recv_opts {
	long max, vis_s;
	const cJSON *sys_names[2]; /* AttributeNames, MessageSystemAttributeNames */
	const cJSON *attr_names;
} recv_opts;

static int name_listed(const cJSON *list, const char *name)
{
	for (const cJSON *n = cJSON_IsArray(list) ? list->child : NULL; n; n = n->next)
		if (cJSON_IsString(n) && (!strcmp(n->valuestring, "All") || !strcmp(n->valuestring, name)))
			return 1;
	return 0;
}

static int sys_wanted(const recv_opts *o, const char *name)
{
	return name_listed(o->sys_names[0], name) || name_listed(o->sys_names[1], name);
}

static int attr_wanted(const cJSON *names, const char *name)
{
	for (const cJSON *n = cJSON_IsArray(names) ? names->child : NULL; n; n = n->next) {
		if (!cJSON_IsString(n))
			continue;
		const char *p = n->valuestring;
		size_t l = strlen(p);
		if (!strcmp(p, "All") || !strcmp(p, ".*") || !strcmp(p, name))
			return 1;
		if (l > 2 && !strcmp(p + l - 2, ".*") && !strncmp(p, name, l - 1))
			return 1; /* "prefix.*" */
	}
	return 0;
}

/* The system attributes of m as strings (the snapshot shows them all). */
static cJSON *sys_attrs(mock_req *rq, const sqs_msg *m, const recv_opts *o)
{
	cJSON *a = cJSON_CreateObject();
	char buf[32];
#define WANT(n) (!o || sys_wanted(o, n))
	if (WANT("SenderId"))
		cJSON_AddStringToObject(a, "SenderId", rq->w->account);
	if (WANT("ApproximateFirstReceiveTimestamp") && m->first_recv_ms)
		snprintf(buf, sizeof buf, "%lld", (long long)m->first_recv_ms),
			cJSON_AddStringToObject(a, "ApproximateFirstReceiveTimestamp", buf);
	if (WANT("ApproximateReceiveCount"))
		snprintf(buf, sizeof buf, "%u", m->recv_count), cJSON_AddStringToObject(a, "ApproximateReceiveCount", buf);
	if (WANT("SentTimestamp"))
		snprintf(buf, sizeof buf, "%lld", (long long)m->sent_ms), cJSON_AddStringToObject(a, "SentTimestamp", buf);
	if (*m->group && WANT("MessageGroupId"))
		cJSON_AddStringToObject(a, "MessageGroupId", m->group);
	if (*m->dedup && WANT("MessageDeduplicationId"))
		cJSON_AddStringToObject(a, "MessageDeduplicationId", m->dedup);
	if (*m->dedup && WANT("SequenceNumber"))
		snprintf(buf, sizeof buf, "%020llu", (unsigned long long)m->seq),
			cJSON_AddStringToObject(a, "SequenceNumber", buf);
	if (*m->dlq_src && WANT("DeadLetterQueueSourceArn"))
		cJSON_AddStringToObject(a, "DeadLetterQueueSourceArn", m->dlq_src);
	if (*m->sys && WANT("AWSTraceHeader")) {
		cJSON *s = cJSON_Parse(m->sys);
		const char *th = cj_str(cj_obj(s, "AWSTraceHeader"), "StringValue");
		if (th)
			cJSON_AddStringToObject(a, "AWSTraceHeader", th);
		cJSON_Delete(s);
	}
#undef WANT
	return a;
}

static cJSON *msg_json(mock_req *rq, const sqs_queue *q, const sqs_msg *m, const recv_opts *o)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "MessageId", m->id);
	cJSON_AddStringToObject(j, "ReceiptHandle", handle_make(rq, q, m));
	cJSON_AddStringToObject(j, "MD5OfBody", m->md5_body);
	cJSON_AddStringToObject(j, "Body", m->body);
	cJSON *sa = sys_attrs(rq, m, o);
	if (sa->child)
		cJSON_AddItemToObject(j, "Attributes", sa);
	else
		cJSON_Delete(sa);
	if (*m->attrs && o->attr_names) {
		cJSON *all = cJSON_Parse(m->attrs), *keep = cJSON_CreateObject();
		for (cJSON *a = all ? all->child : NULL; a; a = a->next)
			if (attr_wanted(o->attr_names, a->string))
				cJSON_AddItemToObject(keep, a->string, cJSON_Duplicate(a, 1));
		char md5[33];
		if (sqs_md5_of_attributes(keep, md5) == 0) {
			cJSON_AddStringToObject(j, "MD5OfMessageAttributes", md5);
			cJSON_AddItemToObject(j, "MessageAttributes", keep);
		} else {
			cJSON_Delete(keep);
		}
		cJSON_Delete(all);
	}
	return j;
}

/* Move m from q to q's dead-letter queue (same transaction). 0 moved,
 * 1 the DLQ is gone (the message stays), -1 store error. */
static int redrive(mock_req *rq, store_txn *t, const sqs_queue *q, sqs_msg *m, int64_t now)
{
	const char *c = strrchr(q->dlq_arn, ':');
	sqs_queue d;
	if (!c || sqs_queue_load(rq, t, c + 1, &d))
		return 1;
	if (msg_del(rq, t, q, m)) {
		sqs_queue_done(&d);
		return -1;
	}
	m->dlq_src = sqs_queue_arn(rq, q);
	int rc = next_seq(rq, t, d.name, &m->seq);
	m->visible_at = now;
	if (!rc)
		rc = msg_put(rq, t, &d, m, -1);
	sqs_queue_done(&d);
	return rc ? -1 : 0;
}

/* Receive m: count it, hide it for the visibility timeout, new handle. */
static int take(mock_req *rq, store_txn *t, const sqs_queue *q, sqs_msg *m, int64_t now, const recv_opts *o,
                cJSON *arr)
{
	int64_t old = m->visible_at;
	m->recv_count++;
	if (!m->first_recv_ms)
		m->first_recv_ms = now;
	m->nonce = random64(rq->w);
	m->visible_at = now + o->vis_s * 1000;
	if (msg_put(rq, t, q, m, old))
		return -1;
	cJSON_AddItemToArray(arr, msg_json(rq, q, m, o));
	return 0;
}

/* Standard queue: the oldest visible entries of the receive-order index. */
static int attempt_standard(mock_req *rq, store_txn *t, const sqs_queue *q, int64_t now, const recv_opts *o,
                            cJSON *arr, int64_t *next)
{
	sqs_state *st = sqs_st(rq->w);
	key pk;
	prefix_key(&pk, q->name);
	uint64_t taken[SQS_MAX_BATCH];
	int ntaken = 0;
	unsigned char from[STORE_MAX_KEY];
	size_t fromn = pk.n;
	memcpy(from, pk.b, pk.n);
	for (;;) {
		/* collect a slice of candidate keys, then work on them with the cursor closed */
		enum { SLICE = 64 };
		struct {
			int64_t at;
			uint64_t seq;
		} cand[SLICE];
		int nc = 0, more = 0;
		store_cur *c;
		int rc = store_cur_open(t, st->vis, &c);
		if (rc) {
			mock_fail_store(rq, rc);
			return -1;
		}
		store_val k = {from, fromn};
		for (rc = store_cur_get(c, STORE_SET_RANGE, &k, NULL); rc == 0; rc = store_cur_get(c, STORE_NEXT, &k, NULL)) {
			if (k.len != pk.n + 16 || memcmp(k.data, pk.b, pk.n))
				break;
			int64_t at = (int64_t)rd64((const unsigned char *)k.data + pk.n);
			if (at > now) {
				if (!*next || at < *next)
					*next = at;
				break;
			}
			if (nc == SLICE) {
				more = 1;
				memcpy(from, k.data, k.len);
				fromn = k.len;
				break;
			}
			cand[nc].at = at;
			cand[nc].seq = rd64((const unsigned char *)k.data + pk.n + 8);
			nc++;
		}
		store_cur_close(c);
		for (int i = 0; i < nc && cJSON_GetArraySize(arr) < o->max; i++) {
			int dup = 0;
			for (int j = 0; j < ntaken; j++)
				dup |= taken[j] == cand[i].seq;
			if (dup)
				continue;
			sqs_msg m;
			rc = msg_get(rq, t, q, cand[i].seq, &m);
			if (rc == STORE_NOTFOUND || (rc == 0 && m.visible_at != cand[i].at)) {
				key vk; /* a stale index entry */
				vis_key(&vk, q->name, cand[i].at, cand[i].seq);
				store_del(t, st->vis, vk.b, vk.n);
				continue;
			}
			if (rc) {
				mock_fail_store(rq, rc);
				return -1;
			}
			if (expired(q, &m, now)) {
				if (msg_del(rq, t, q, &m))
					return -1;
				continue;
			}
			if (q->max_receive && m.recv_count >= (uint32_t)q->max_receive) {
				int r = redrive(rq, t, q, &m, now);
				if (r < 0)
					return -1;
				if (r == 0)
					continue;
			}
			if (take(rq, t, q, &m, now, o, arr))
				return -1;
			taken[ntaken++] = m.seq;
			if (o->vis_s == 0) /* visible again at once: the next receive may have it */
				if (!*next || now < *next)
					*next = now;
		}
		if (!more || cJSON_GetArraySize(arr) >= o->max)
			return 0;
	}
}

/* A small set of group ids (open addressing, in the request's arena). */
typedef struct gset {
	const char **slot;
	size_t cap, n;
} gset;

static int gset_has(gset *g, const char *s, int add)
{
	if (add && (g->n + 1) * 2 > g->cap)
		return -1; /* callers size it for every message */
	uint32_t h = hash_crc32(s, strlen(s));
	for (size_t i = h % g->cap;; i = (i + 1) % g->cap) {
		if (!g->slot[i]) {
			if (add) {
				g->slot[i] = s;
				g->n++;
			}
			return 0;
		}
		if (!strcmp(g->slot[i], s))
			return 1;
	}
}

/* FIFO queue: walk in sequence order; a group with a message in flight (or
 * an earlier message still delayed) is blocked; the first available group
 * fills the answer first, then the others in order. */
static int attempt_fifo(mock_req *rq, store_txn *t, const sqs_queue *q, int64_t now, const recv_opts *o, cJSON *arr,
                        int64_t *next)
{
	sqs_state *st = sqs_st(rq->w);
	key pk;
	prefix_key(&pk, q->name);
	size_t cnt = 0;
	store_cur *c;
	int rc = store_cur_open(t, st->msgs, &c);
	if (rc) {
		mock_fail_store(rq, rc);
		return -1;
	}
	typedef struct ent {
		uint64_t seq;
		const char *group;
		int state; /* 0 available, 1 in flight, 2 expired, 3 taken now, 4 delayed */
	} ent;
	size_t cap = 64;
	ent *v = arena_alloc(rq->ar, cap * sizeof *v);
	store_val k = {pk.b, pk.n}, val;
	for (rc = store_cur_get(c, STORE_SET_RANGE, &k, &val); rc == 0; rc = store_cur_get(c, STORE_NEXT, &k, &val)) {
		if (k.len != pk.n + 8 || memcmp(k.data, pk.b, pk.n))
			break;
		sqs_msg m;
		if (sqs_msg_decode(NULL, val.data, val.len, &m))
			continue;
		/* the group id is the 8th string; decode fully only what we need */
		sqs_msg full;
		if (sqs_msg_decode(rq->ar, val.data, val.len, &full))
			continue;
		if (cnt == cap) {
			v = arena_realloc(rq->ar, v, cap * sizeof *v, cap * 2 * sizeof *v);
			cap *= 2;
		}
		v[cnt].seq = m.seq;
		v[cnt].group = full.group;
		v[cnt].state = expired(q, &m, now) ? 2 : m.visible_at <= now ? 0 : m.recv_count ? 1 : 4;
		if ((v[cnt].state == 1 || v[cnt].state == 4) && (!*next || m.visible_at < *next))
			*next = m.visible_at;
		cnt++;
	}
	store_cur_close(c);
	gset blocked = {arena_calloc(rq->ar, (cnt * 2 + 2) * sizeof(char *)), cnt * 2 + 2, 0};
	for (size_t i = 0; i < cnt; i++)
		if (v[i].state == 1)
			gset_has(&blocked, v[i].group, 1);
	const char *first = NULL;
	for (int pass = 0; pass < 2; pass++) {
		/* a delayed message holds back the rest of its group, in order */
		gset later = {arena_calloc(rq->ar, (cnt * 2 + 2) * sizeof(char *)), cnt * 2 + 2, 0};
		for (size_t i = 0; i < cnt && cJSON_GetArraySize(arr) < o->max; i++) {
			if (v[i].state == 2) {
				sqs_msg m;
				if (msg_get(rq, t, q, v[i].seq, &m) == 0 && msg_del(rq, t, q, &m))
					return -1;
				v[i].state = 5;
				continue;
			}
			if (v[i].state == 4 && !gset_has(&later, v[i].group, 0))
				gset_has(&later, v[i].group, 1);
			if (v[i].state != 0 || gset_has(&blocked, v[i].group, 0) || gset_has(&later, v[i].group, 0))
				continue;
			if (!first)
				first = v[i].group;
			if (pass == 0 && strcmp(v[i].group, first))
				continue;
			sqs_msg m;
			rc = msg_get(rq, t, q, v[i].seq, &m);
			if (rc) {
				mock_fail_store(rq, rc);
				return -1;
			}
			v[i].state = 3;
			if (q->max_receive && m.recv_count >= (uint32_t)q->max_receive) {
				int r = redrive(rq, t, q, &m, now);
				if (r < 0)
					return -1;
				if (r == 0) {
					v[i].state = 5;
					continue;
				}
			}
			if (take(rq, t, q, &m, now, o, arr))
				return -1;
		}
		if (!first)
			break;
	}
	return 0;
}

/* Condition-variable wait of at most ms on the monotonic clock. */
static void wait_ms(sqs_state *st, uint64_t gen, int64_t ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&st->mu);
	while (st->gen == gen) {
		if (pthread_cond_timedwait(&st->cv, &st->mu, &ts) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&st->mu);
}

static uint64_t gen_now(sqs_state *st)
{
	pthread_mutex_lock(&st->mu);
	uint64_t g = st->gen;
	pthread_mutex_unlock(&st->mu);
	return g;
}

/* ReceiveMessage: QueueUrl, MaxNumberOfMessages?, VisibilityTimeout?,
 * WaitTimeSeconds?, AttributeNames?, MessageSystemAttributeNames?,
 * MessageAttributeNames?, ReceiveRequestAttemptId?  (MOCK_NOTXN: a long
 * poll holds no transaction while it waits) */
void sqs_op_receive_message(mock_req *rq)
{
	sqs_state *st = sqs_st(rq->w);
	recv_opts o = {0};
	o.sys_names[0] = cJSON_GetObjectItemCaseSensitive(rq->in, "AttributeNames");
	o.sys_names[1] = cJSON_GetObjectItemCaseSensitive(rq->in, "MessageSystemAttributeNames");
	o.attr_names = cJSON_GetObjectItemCaseSensitive(rq->in, "MessageAttributeNames");
	long wait = -1;
	int64_t deadline = 0;
	cJSON *arr = cJSON_CreateArray();
	for (;;) {
		uint64_t gen = gen_now(st);
		int64_t now = clk_now_ms(rq->w->clock), next = 0;
		store_txn *t = mock_txn_begin(rq, 0);
		if (!t)
			break;
		sqs_queue q;
		if (sqs_queue_from_req(rq, t, &q) == 0) {
			ent_err e = {0};
			if (wait < 0) {
				if (ent_int(rq, &e, rq->in, "MaxNumberOfMessages", 1, 10, 1, &o.max,
				            "Must be between 1 and 10, if provided.") == 0 &&
				    ent_int(rq, &e, rq->in, "VisibilityTimeout", 0, 43200, q.visibility_s, &o.vis_s,
				            "Must be >= 0 and <= 43200, if provided.") == 0 &&
				    ent_int(rq, &e, rq->in, "WaitTimeSeconds", 0, 20, q.wait_s, &wait,
				            "Must be >= 0 and <= 20, if provided.") == 0)
					deadline = now + wait * 1000;
				ent_to_req(rq, &e);
			}
			if (!mock_failed(rq)) {
				if (q.fifo)
					attempt_fifo(rq, t, &q, now, &o, arr, &next);
				else
					attempt_standard(rq, t, &q, now, &o, arr, &next);
			}
			sqs_queue_done(&q);
		}
		if (mock_txn_end(rq, t) || cJSON_GetArraySize(arr) > 0)
			break;
		now = clk_now_ms(rq->w->clock);
		if (now >= deadline)
			break;
		int64_t until = next && next < deadline ? next : deadline;
		if (clk_is_virtual(rq->w->clock)) {
			if (until > now)
				clk_sleep_ms(rq->w->clock, until - now);
			else if (until == now && next == 0)
				break;
			continue;
		}
		int64_t ms = until - now;
		if (ms > 0)
			wait_ms(st, gen, ms);
	}
	if (mock_failed(rq)) {
		cJSON_Delete(arr);
		return;
	}
	rq->out = cJSON_CreateObject();
	if (cJSON_GetArraySize(arr))
		cJSON_AddItemToObject(rq->out, "Messages", arr);
	else
		cJSON_Delete(arr);
}

/* ======================================================================
 * Delete and visibility
 * ====================================================================== */

static const char *handle_of(mock_req *rq, const cJSON *in, ent_err *e)
{
	const char *h = cj_str(in, "ReceiptHandle");
	if (!h || !*h)
		ent_fail(rq, e, AWSERR_SQS_MissingParameter, "The request must contain the parameter ReceiptHandle.");
	return h && *h ? h : NULL;
}

static void delete_one(mock_req *rq, store_txn *t, const sqs_queue *q, const cJSON *in, int64_t now, ent_err *e)
{
	const char *h = handle_of(rq, in, e);
	uint64_t seq, nonce;
	if (!h)
		return;
	if (handle_parse(q, h, &seq, &nonce)) {
		ent_fail(rq, e, AWSERR_SQS_ReceiptHandleIsInvalid, "The input receipt handle \"%s\" is not a valid receipt handle.",
		         h);
		return;
	}
	sqs_msg m;
	int rc = msg_get(rq, t, q, seq, &m);
	if (rc == STORE_NOTFOUND)
		return; /* already deleted: SQS answers success */
	if (rc) {
		mock_fail_store(rq, rc);
		return;
	}
	int stale = m.nonce != nonce;
	if (q->fifo && (stale || m.visible_at <= now)) {
		ent_fail(rq, e, AWSERR_SQS_InvalidParameterValue,
		         "Value %s for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.", h);
		return;
	}
	if (stale)
		return; /* a handle from an earlier receive deletes nothing */
	msg_del(rq, t, q, &m);
}

static void change_one(mock_req *rq, store_txn *t, const sqs_queue *q, const cJSON *in, int64_t now, ent_err *e)
{
	const char *h = handle_of(rq, in, e);
	uint64_t seq, nonce;
	long vis;
	if (!h)
		return;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, "VisibilityTimeout");
	if (!v || cJSON_IsNull(v)) {
		ent_fail(rq, e, AWSERR_SQS_MissingParameter, "The request must contain the parameter VisibilityTimeout.");
		return;
	}
	if (ent_int(rq, e, in, "VisibilityTimeout", 0, 43200, 0, &vis,
	            "VisibilityTimeout must be an integer between 0 and 43200."))
		return;
	if (handle_parse(q, h, &seq, &nonce)) {
		ent_fail(rq, e, AWSERR_SQS_ReceiptHandleIsInvalid, "The input receipt handle \"%s\" is not a valid receipt handle.",
		         h);
		return;
	}
	sqs_msg m;
	int rc = msg_get(rq, t, q, seq, &m);
	if (rc && rc != STORE_NOTFOUND) {
		mock_fail_store(rq, rc);
		return;
	}
	if (rc == STORE_NOTFOUND || m.nonce != nonce || m.visible_at <= now) {
		ent_fail(rq, e, AWSERR_SQS_InvalidParameterValue,
		         "Value %s for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not "
		         "available for visibility timeout change.", h);
		return;
	}
	int64_t old = m.visible_at;
	m.visible_at = now + vis * 1000;
	msg_put(rq, t, q, &m, old);
}

/* DeleteMessage: QueueUrl, ReceiptHandle */
void sqs_op_delete_message(mock_req *rq)
{
	sqs_queue q;
	if (sqs_queue_from_req(rq, rq->txn, &q))
		return;
	ent_err e = {0};
	delete_one(rq, rq->txn, &q, rq->in, rq->now_ms, &e);
	ent_to_req(rq, &e);
	sqs_queue_done(&q);
}

/* ChangeMessageVisibility: QueueUrl, ReceiptHandle, VisibilityTimeout */
void sqs_op_change_message_visibility(mock_req *rq)
{
	sqs_queue q;
	if (sqs_queue_from_req(rq, rq->txn, &q))
		return;
	ent_err e = {0};
	change_one(rq, rq->txn, &q, rq->in, rq->now_ms, &e);
	ent_to_req(rq, &e);
	sqs_queue_done(&q);
	sqs_wake(rq->w);
}

typedef void (*entry_fn)(mock_req *, store_txn *, const sqs_queue *, const cJSON *, int64_t, ent_err *);

static void batch_simple(mock_req *rq, const char *what, entry_fn fn)
{
	sqs_queue q;
	if (sqs_queue_from_req(rq, rq->txn, &q))
		return;
	const cJSON *en = batch_entries(rq, what);
	if (en) {
		cJSON *ok, *failed;
		batch_out(rq, &ok, &failed);
		for (const cJSON *a = en->child; a && !mock_failed(rq); a = a->next) {
			ent_err e = {0};
			fn(rq, rq->txn, &q, a, rq->now_ms, &e);
			if (e.set) {
				ent_to_failed(failed, cj_str(a, "Id"), &e);
			} else {
				cJSON *o = cJSON_CreateObject();
				cJSON_AddStringToObject(o, "Id", cj_str(a, "Id"));
				cJSON_AddItemToArray(ok, o);
			}
		}
	}
	sqs_queue_done(&q);
}

/* DeleteMessageBatch: QueueUrl, Entries[{Id, ReceiptHandle}] */
void sqs_op_delete_message_batch(mock_req *rq) { batch_simple(rq, "DeleteMessageBatch", delete_one); }

/* ChangeMessageVisibilityBatch: QueueUrl, Entries[{Id, ReceiptHandle, VisibilityTimeout}] */
void sqs_op_change_message_visibility_batch(mock_req *rq)
{
	batch_simple(rq, "ChangeMessageVisibilityBatch", change_one);
	sqs_wake(rq->w);
}

/* ======================================================================
 * Counters and snapshot
 * ====================================================================== */

void sqs_queue_counts(mock_req *rq, store_txn *t, const sqs_queue *q, int64_t now, long *visible, long *inflight,
                      long *delayed)
{
	key pk;
	prefix_key(&pk, q->name);
	store_cur *c;
	*visible = *inflight = *delayed = 0;
	if (store_cur_open(t, sqs_st(rq->w)->msgs, &c))
		return;
	store_val k = {pk.b, pk.n}, v;
	for (int rc = store_cur_get(c, STORE_SET_RANGE, &k, &v); rc == 0; rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
		if (k.len != pk.n + 8 || memcmp(k.data, pk.b, pk.n))
			break;
		sqs_msg m;
		if (sqs_msg_decode(NULL, v.data, v.len, &m) || expired(q, &m, now))
			continue;
		if (m.visible_at <= now)
			(*visible)++;
		else if (m.recv_count)
			(*inflight)++;
		else
			(*delayed)++;
	}
	store_cur_close(c);
}

cJSON *sqs_queue_snapshot(mock_world *w, store_txn *t, const char *name, const char *account)
{
	(void)account;
	cJSON *arr = cJSON_CreateArray();
	mock_req *rq = mock_req_new(w, &sqs_service, NULL, NULL, "runner");
	sqs_queue q;
	if (sqs_queue_load(rq, t, name, &q) == 0) {
		key pk;
		prefix_key(&pk, name);
		store_cur *c;
		if (store_cur_open(t, sqs_st(w)->msgs, &c) == 0) {
			store_val k = {pk.b, pk.n}, v;
			for (int rc = store_cur_get(c, STORE_SET_RANGE, &k, &v); rc == 0;
			     rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
				if (k.len != pk.n + 8 || memcmp(k.data, pk.b, pk.n))
					break;
				sqs_msg m;
				if (sqs_msg_decode(rq->ar, v.data, v.len, &m) || expired(&q, &m, rq->now_ms))
					continue;
				cJSON *j = cJSON_CreateObject();
				cJSON_AddStringToObject(j, "MessageId", m.id);
				cJSON_AddStringToObject(j, "Body", m.body);
				cJSON_AddStringToObject(j, "MD5OfBody", m.md5_body);
				cJSON_AddItemToObject(j, "Attributes", sys_attrs(rq, &m, NULL));
				cJSON *ma = *m.attrs ? cJSON_Parse(m.attrs) : NULL;
				cJSON_AddItemToObject(j, "MessageAttributes", ma ? ma : cJSON_CreateObject());
				cJSON_AddItemToArray(arr, j);
			}
			store_cur_close(c);
		}
		sqs_queue_done(&q);
	}
	mock_req_free(rq);
	return arr;
}
