/* sqs_queue.c - queues: create, find by URL, attributes, tags, listing, deletion. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/b64.h"
#include "common/cj.h"
#include "common/mem.h"
#include "mocks/sqs/sqs_int.h"

/* ======================================================================
 * Names, URLs, records
 * ====================================================================== */

const char *sqs_queue_url(mock_req *rq, const char *name, const char *region)
{
	if (rq->w->endpoint[0])
		return arena_printf(rq->ar, "%s/%s/%s", rq->w->endpoint, rq->w->account, name);
	return arena_printf(rq->ar, "https://sqs.%s.amazonaws.com/%s/%s", region, rq->w->account, name);
}

const char *sqs_queue_arn(mock_req *rq, const sqs_queue *q)
{
	return arena_printf(rq->ar, "arn:aws:sqs:%s:%s:%s", q->region, rq->w->account, q->name);
}

const char *sqs_name_from_url(mock_req *rq, const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return NULL;
	p = strchr(p + 3, '/');
	if (!p)
		return NULL;
	const char *acct = p + 1, *slash = strchr(acct, '/');
	if (!slash || slash == acct)
		return NULL;
	/* any host names this endpoint, but the path's account must be the
	 * world's: another account's queue does not exist here */
	if ((size_t)(slash - acct) != strlen(rq->w->account) || strncmp(acct, rq->w->account, (size_t)(slash - acct)))
		return NULL;
	const char *name = slash + 1;
	size_t n = strcspn(name, "/?#");
	if (n == 0 || (name[n] == '/' && name[n + 1]))
		return NULL;
	return arena_strndup(rq->ar, name, n);
}

static int name_valid(const char *n, int *fifo)
{
	size_t l = strlen(n);
	*fifo = l > 5 && !strcmp(n + l - 5, ".fifo");
	if (l == 0 || l > 80)
		return 0;
	size_t core = *fifo ? l - 5 : l;
	for (size_t i = 0; i < core; i++)
		if (!(isalnum((unsigned char)n[i]) || n[i] == '-' || n[i] == '_'))
			return 0;
	return core > 0;
}

static const char *attr_s(const cJSON *rec, const char *name)
{
	return cj_str(cj_obj(rec, "attrs"), name);
}

static int attr_i(const cJSON *rec, const char *name, int dflt)
{
	const char *s = attr_s(rec, name);
	return s ? atoi(s) : dflt;
}

/* Fill q's fields from q->rec. */
static void queue_fields(mock_req *rq, sqs_queue *q)
{
	const cJSON *r = q->rec;
	q->name = cj_str(r, "name");
	q->region = cj_str(r, "region");
	q->created_s = (int64_t)cj_num(r, "created", 0);
	q->modified_s = (int64_t)cj_num(r, "modified", 0);
	q->last_purge_ms = (int64_t)cj_num(r, "purged", 0);
	q->fifo = attr_s(r, "FifoQueue") && !strcmp(attr_s(r, "FifoQueue"), "true");
	q->content_dedup = attr_s(r, "ContentBasedDeduplication") && !strcmp(attr_s(r, "ContentBasedDeduplication"), "true");
	q->dedup_per_group = attr_s(r, "DeduplicationScope") && !strcmp(attr_s(r, "DeduplicationScope"), "messageGroup");
	q->visibility_s = attr_i(r, "VisibilityTimeout", 30);
	q->delay_s = attr_i(r, "DelaySeconds", 0);
	q->retention_s = attr_i(r, "MessageRetentionPeriod", 345600);
	q->max_size = attr_i(r, "MaximumMessageSize", SQS_MAX_MSG_SIZE);
	q->wait_s = attr_i(r, "ReceiveMessageWaitTimeSeconds", 0);
	q->max_receive = 0;
	q->dlq_arn = NULL;
	const char *rp = attr_s(r, "RedrivePolicy");
	if (rp && *rp) {
		cJSON *p = cJSON_Parse(rp);
		const cJSON *mrc = cJSON_GetObjectItemCaseSensitive(p, "maxReceiveCount");
		const char *arn = cj_str(p, "deadLetterTargetArn");
		if (arn) {
			q->dlq_arn = arena_strdup(rq->ar, arn);
			q->max_receive = cJSON_IsNumber(mrc) ? mrc->valueint : cJSON_IsString(mrc) ? atoi(mrc->valuestring) : 0;
		}
		cJSON_Delete(p);
	}
}

int sqs_queue_load(mock_req *rq, store_txn *t, const char *name, sqs_queue *q)
{
	memset(q, 0, sizeof *q);
	store_val v;
	int rc = store_get(t, sqs_st(rq->w)->queues, name, strlen(name), &v);
	if (rc)
		return rc;
	q->rec = cj_parse(v.data, v.len, NULL);
	if (!q->rec)
		return STORE_BAD;
	queue_fields(rq, q);
	return 0;
}

void sqs_queue_done(sqs_queue *q)
{
	cJSON_Delete(q->rec);
	q->rec = NULL;
}

static int queue_save(mock_req *rq, store_txn *t, const sqs_queue *q)
{
	sb s = SB_INIT;
	cj_print_sb(q->rec, &s);
	int rc = store_put(t, sqs_st(rq->w)->queues, q->name, strlen(q->name), s.buf, s.len, 0);
	sb_free(&s);
	if (rc)
		mock_fail_store(rq, rc);
	return rc;
}

static void fail_no_queue(mock_req *rq)
{
	mock_fail(rq, AWSERR_SQS_QueueDoesNotExist, "The specified queue does not exist.");
}

int sqs_queue_from_req(mock_req *rq, store_txn *t, sqs_queue *q)
{
	memset(q, 0, sizeof *q);
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(rq->in, "QueueUrl");
	if (!u || cJSON_IsNull(u) || (cJSON_IsString(u) && !*u->valuestring)) {
		mock_fail(rq, AWSERR_SQS_MissingParameter, "The request must contain the parameter QueueUrl.");
		return -1;
	}
	if (!cJSON_IsString(u)) {
		mock_fail(rq, AWSERR_ANY_SerializationException, "QueueUrl must be a string");
		return -1;
	}
	const char *name = sqs_name_from_url(rq, u->valuestring);
	if (!name) {
		if (!strstr(u->valuestring, "://"))
			mock_fail(rq, AWSERR_SQS_InvalidAddress, "The address %s is not valid for this endpoint.",
			          u->valuestring);
		else
			fail_no_queue(rq);
		return -1;
	}
	int rc = sqs_queue_load(rq, t, name, q);
	if (rc == STORE_NOTFOUND) {
		fail_no_queue(rq);
		return -1;
	}
	if (rc) {
		mock_fail_store(rq, rc);
		return -1;
	}
	return 0;
}

/* ======================================================================
 * Attributes
 * ====================================================================== */

typedef struct attr_def {
	const char *name;
	int kind; /* 0 int range, 1 bool, 2 JSON policy, 3 free string, 4 enum, 5 read-only */
	long lo, hi;
	const char *dflt;    /* set at creation; NULL: absent unless given */
	int fifo_only;
	const char *choices; /* kind 4: "a|b" */
} attr_def;

static const attr_def attr_defs[] = {
	{"ApproximateNumberOfMessages", 5, 0, 0, NULL, 0, NULL},
	{"ApproximateNumberOfMessagesDelayed", 5, 0, 0, NULL, 0, NULL},
	{"ApproximateNumberOfMessagesNotVisible", 5, 0, 0, NULL, 0, NULL},
	{"ContentBasedDeduplication", 1, 0, 0, "false", 1, NULL},
	{"CreatedTimestamp", 5, 0, 0, NULL, 0, NULL},
	{"DeduplicationScope", 4, 0, 0, "queue", 1, "messageGroup|queue"},
	{"DelaySeconds", 0, 0, 900, "0", 0, NULL},
	{"FifoQueue", 1, 0, 0, NULL, 0, NULL},
	{"FifoThroughputLimit", 4, 0, 0, "perQueue", 1, "perQueue|perMessageGroupId"},
	{"KmsDataKeyReusePeriodSeconds", 0, 60, 86400, NULL, 0, NULL},
	{"KmsMasterKeyId", 3, 0, 0, NULL, 0, NULL},
	{"LastModifiedTimestamp", 5, 0, 0, NULL, 0, NULL},
	{"MaximumMessageSize", 0, 1024, SQS_MAX_MSG_SIZE, "262144", 0, NULL},
	{"MessageRetentionPeriod", 0, 60, 1209600, "345600", 0, NULL},
	{"Policy", 2, 0, 0, NULL, 0, NULL},
	{"QueueArn", 5, 0, 0, NULL, 0, NULL},
	{"ReceiveMessageWaitTimeSeconds", 0, 0, 20, "0", 0, NULL},
	{"RedriveAllowPolicy", 2, 0, 0, NULL, 0, NULL},
	{"RedrivePolicy", 2, 0, 0, NULL, 0, NULL},
	{"SqsManagedSseEnabled", 1, 0, 0, "true", 0, NULL},
	{"VisibilityTimeout", 0, 0, 43200, "30", 0, NULL},
};
#define N_ATTR_DEFS (sizeof attr_defs / sizeof *attr_defs)

static const attr_def *attr_def_find(const char *name)
{
	for (size_t i = 0; i < N_ATTR_DEFS; i++)
		if (!strcmp(attr_defs[i].name, name))
			return &attr_defs[i];
	return NULL;
}

static int parse_long(const char *s, long *v)
{
	char *end;
	if (!*s)
		return -1;
	*v = strtol(s, &end, 10);
	return *end ? -1 : 0;
}

static void fail_attr_value(mock_req *rq, const char *name)
{
	mock_fail(rq, AWSERR_SQS_InvalidAttributeValue, "Invalid value for the parameter %s.", name);
}

/* The value of an attribute as the queue record holds it (a string; numbers
 * and booleans sent as JSON values are accepted too, printed canonically). */
static const char *attr_text(mock_req *rq, const cJSON *v)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	if (cJSON_IsNumber(v))
		return arena_printf(rq->ar, "%.0f", v->valuedouble);
	return NULL;
}

/* RedrivePolicy: {"deadLetterTargetArn", "maxReceiveCount"}; the target
 * must exist and be of the same type. Rewrites the stored text to AWS's
 * normal form. */
static const char *check_redrive(mock_req *rq, store_txn *t, const char *text, int fifo)
{
	if (!*text)
		return text; /* "" removes the policy */
	cJSON *p = cJSON_Parse(text);
	const char *arn = cj_str(p, "deadLetterTargetArn");
	const cJSON *mrc = cJSON_GetObjectItemCaseSensitive(p, "maxReceiveCount");
	long n = -1;
	if (cJSON_IsNumber(mrc))
		n = (long)mrc->valuedouble;
	else if (cJSON_IsString(mrc) && parse_long(mrc->valuestring, &n))
		n = -1;
	const char *res = NULL;
	if (!cJSON_IsObject(p) || !arn || !mrc) {
		mock_fail(rq, AWSERR_SQS_InvalidParameterValue,
		          "Value %s for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid "
		          "JSON map or it contains neither deadLetterTargetArn nor maxReceiveCount.", text);
	} else if (n < 1 || n > 1000) {
		mock_fail(rq, AWSERR_SQS_InvalidParameterValue,
		          "Value %s for parameter RedrivePolicy is invalid. Reason: Invalid value for "
		          "maxReceiveCount: %s, valid values are from 1 to 1000 both inclusive.", text,
		          cJSON_IsString(mrc) ? mrc->valuestring : arena_printf(rq->ar, "%ld", n));
	} else {
		const char *c = strrchr(arn, ':');
		sqs_queue d;
		int rc = c ? sqs_queue_load(rq, t, c + 1, &d) : STORE_NOTFOUND;
		if (!rc && strcmp(arn, sqs_queue_arn(rq, &d))) {
			sqs_queue_done(&d); /* a queue of that name, but in another account or region */
			rc = STORE_NOTFOUND;
		}
		if (rc) {
			mock_fail(rq, AWSERR_SQS_InvalidParameterValue,
			          "Value %s for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.",
			          text);
		} else {
			if (d.fifo != fifo)
				mock_fail(rq, AWSERR_SQS_InvalidParameterValue,
				          "Value %s for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be "
				          "same type of queue as the source.", text);
			else
				res = arena_printf(rq->ar, "{\"deadLetterTargetArn\":\"%s\",\"maxReceiveCount\":%ld}", arn, n);
			sqs_queue_done(&d);
		}
	}
	cJSON_Delete(p);
	return res;
}

/*
 * Validate attrs (a {name: value} object) for a queue of type fifo and
 * write them into dst (the record's "attrs"). creating: FifoQueue may be
 * set. Returns 0 or fails the request.
 */
static int apply_attrs(mock_req *rq, store_txn *t, const cJSON *attrs, int fifo, int creating, cJSON *dst)
{
	if (!attrs || cJSON_IsNull(attrs))
		return 0;
	if (!cJSON_IsObject(attrs)) {
		mock_fail(rq, AWSERR_ANY_SerializationException, "Attributes must be a map");
		return -1;
	}
	for (const cJSON *a = attrs->child; a; a = a->next) {
		const attr_def *d = attr_def_find(a->string);
		if (!d || d->kind == 5 || (d->fifo_only && !fifo) || (!creating && !strcmp(a->string, "FifoQueue"))) {
			mock_fail(rq, AWSERR_SQS_InvalidAttributeName, "Unknown Attribute %s.", a->string);
			return -1;
		}
		const char *v = attr_text(rq, a);
		if (!v) {
			fail_attr_value(rq, a->string);
			return -1;
		}
		long n;
		switch (d->kind) {
		case 0:
			if (parse_long(v, &n) || n < d->lo || n > d->hi) {
				fail_attr_value(rq, a->string);
				return -1;
			}
			v = arena_printf(rq->ar, "%ld", n);
			break;
		case 1:
			if (strcasecmp(v, "true") && strcasecmp(v, "false")) {
				fail_attr_value(rq, a->string);
				return -1;
			}
			v = strcasecmp(v, "true") ? "false" : "true";
			break;
		case 2:
			if (!strcmp(d->name, "RedrivePolicy")) {
				v = check_redrive(rq, t, v, fifo);
				if (!v)
					return -1;
			} else if (*v) {
				cJSON *p = cJSON_Parse(v);
				int ok = cJSON_IsObject(p);
				cJSON_Delete(p);
				if (!ok) {
					mock_fail(rq, AWSERR_SQS_InvalidAttributeValue, "Invalid value for the parameter %s.",
					          d->name);
					return -1;
				}
			}
			break;
		case 4: {
			size_t l = strlen(v);
			const char *c = strstr(d->choices, v);
			if (!l || !c || (c != d->choices && c[-1] != '|') || (c[l] && c[l] != '|')) {
				fail_attr_value(rq, a->string);
				return -1;
			}
			break;
		}
		default:
			break;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(dst, d->name);
		if (*v || d->kind != 2)
			cJSON_AddStringToObject(dst, d->name, v);
	}
	return 0;
}

/* ======================================================================
 * Operations
 * ====================================================================== */

static const char *req_str(mock_req *rq, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rq->in, name);
	if (!v || cJSON_IsNull(v) || (cJSON_IsString(v) && !*v->valuestring)) {
		mock_fail(rq, AWSERR_SQS_MissingParameter, "The request must contain the parameter %s.", name);
		return NULL;
	}
	if (!cJSON_IsString(v)) {
		mock_fail(rq, AWSERR_ANY_SerializationException, "%s must be a string", name);
		return NULL;
	}
	return v->valuestring;
}

static void answer_url(mock_req *rq, const char *name, const char *region)
{
	rq->out = cJSON_CreateObject();
	cJSON_AddStringToObject(rq->out, "QueueUrl", sqs_queue_url(rq, name, region));
}

/* CreateQueue: QueueName, Attributes?, tags? */
void sqs_op_create_queue(mock_req *rq)
{
	const char *name = req_str(rq, "QueueName");
	if (!name)
		return;
	const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(rq->in, "Attributes");
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(rq->in, "tags");
	int fifo_name;
	int valid = name_valid(name, &fifo_name);
	const cJSON *fq = cJSON_IsObject(attrs) ? cJSON_GetObjectItemCaseSensitive(attrs, "FifoQueue") : NULL;
	const char *fqv = fq ? attr_text(rq, fq) : NULL;
	int fifo = fqv && !strcasecmp(fqv, "true");
	if (!valid || fifo != fifo_name) {
		if (fifo || fifo_name)
			mock_fail(rq, AWSERR_SQS_InvalidParameterValue,
			          "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
			          "underscores, must end with .fifo suffix and be 1 to 80 in length.");
		else
			mock_fail(rq, AWSERR_SQS_InvalidParameterValue,
			          "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
		return;
	}
	sqs_queue old;
	int rc = sqs_queue_load(rq, rq->txn, name, &old);
	if (rc == 0) {
		/* idempotent for equal attributes: every attribute given must
		 * equal the queue's current value */
		cJSON *cur = cJSON_Duplicate(cj_obj(old.rec, "attrs"), 1), *want = cJSON_Duplicate(cur, 1);
		if (apply_attrs(rq, rq->txn, attrs, old.fifo, 1, want) == 0) {
			for (const cJSON *a = want->child; a; a = a->next) {
				const cJSON *c = cJSON_GetObjectItemCaseSensitive(cur, a->string);
				if (!c || strcmp(c->valuestring, a->valuestring)) {
					mock_fail(rq, AWSERR_SQS_QueueNameExists,
					          "A queue already exists with the same name and a different value for "
					          "attribute %s",
					          a->string);
					break;
				}
			}
		}
		cJSON_Delete(cur);
		cJSON_Delete(want);
		if (!mock_failed(rq))
			answer_url(rq, name, old.region);
		sqs_queue_done(&old);
		return;
	}
	if (rc != STORE_NOTFOUND) {
		mock_fail_store(rq, rc);
		return;
	}
	if (tags && !cJSON_IsNull(tags) && !cJSON_IsObject(tags)) {
		mock_fail(rq, AWSERR_ANY_SerializationException, "tags must be a map");
		return;
	}
	sqs_queue q = {0};
	q.rec = cJSON_CreateObject();
	cJSON_AddStringToObject(q.rec, "name", name);
	cJSON_AddStringToObject(q.rec, "region", rq->region);
	cJSON_AddNumberToObject(q.rec, "created", (double)(rq->now_ms / 1000));
	cJSON_AddNumberToObject(q.rec, "modified", (double)(rq->now_ms / 1000));
	cJSON *a = cJSON_AddObjectToObject(q.rec, "attrs");
	for (size_t i = 0; i < N_ATTR_DEFS; i++)
		if (attr_defs[i].dflt && (!attr_defs[i].fifo_only || fifo))
			cJSON_AddStringToObject(a, attr_defs[i].name, attr_defs[i].dflt);
	if (fifo)
		cJSON_AddStringToObject(a, "FifoQueue", "true");
	cJSON *tg = cJSON_AddObjectToObject(q.rec, "tags");
	for (const cJSON *t = cJSON_IsObject(tags) ? tags->child : NULL; t; t = t->next) {
		if (!cJSON_IsString(t)) {
			mock_fail(rq, AWSERR_ANY_SerializationException, "tag values must be strings");
			break;
		}
		cJSON_AddStringToObject(tg, t->string, t->valuestring);
	}
	if (!mock_failed(rq) && apply_attrs(rq, rq->txn, attrs, fifo, 1, a) == 0) {
		queue_fields(rq, &q);
		if (queue_save(rq, rq->txn, &q) == 0)
			answer_url(rq, name, rq->region);
	}
	sqs_queue_done(&q);
}

/* GetQueueUrl: QueueName, QueueOwnerAWSAccountId? */
void sqs_op_get_queue_url(mock_req *rq)
{
	const char *name = req_str(rq, "QueueName");
	if (!name)
		return;
	const char *owner = cj_str(rq->in, "QueueOwnerAWSAccountId");
	if (owner && *owner && strcmp(owner, rq->w->account)) {
		fail_no_queue(rq); /* the world is one account */
		return;
	}
	sqs_queue q;
	int rc = sqs_queue_load(rq, rq->txn, name, &q);
	if (rc == STORE_NOTFOUND)
		fail_no_queue(rq);
	else if (rc)
		mock_fail_store(rq, rc);
	else
		answer_url(rq, name, q.region);
	sqs_queue_done(&q);
}

/* Optional integer member: -1 and a failed request when not an integer in [lo, hi]. */
static int opt_int(mock_req *rq, const cJSON *obj, const char *name, long lo, long hi, long dflt, long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	*out = dflt;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsNumber(v) && v->valuedouble == (double)(long)v->valuedouble)
		*out = (long)v->valuedouble;
	else if (!(cJSON_IsString(v) && parse_long(v->valuestring, out) == 0)) {
		mock_fail(rq, AWSERR_ANY_SerializationException, "%s must be an integer", name);
		return -1;
	}
	if (*out < lo || *out > hi) {
		mock_fail(rq, AWSERR_SQS_InvalidParameterValue,
		          "Value %ld for parameter %s is invalid. Reason: must be between %ld and %ld, if provided.", *out,
		          name, lo, hi);
		return -1;
	}
	return 0;
}

/* Pagination tokens: base64 of the last name returned. */
static const char *token_name(mock_req *rq, const char *tok)
{
	sb s = SB_INIT;
	const char *r = NULL;
	if (b64_decode(tok, strlen(tok), 0, &s) == 0 && s.len)
		r = arena_strndup(rq->ar, s.buf, s.len);
	sb_free(&s);
	if (!r)
		mock_fail(rq, AWSERR_SQS_InvalidParameterValue, "Invalid NextToken value.");
	return r;
}

static const char *name_token(mock_req *rq, const char *name)
{
	sb s = SB_INIT;
	b64_encode(name, strlen(name), &s);
	const char *r = arena_strdup(rq->ar, sb_str(&s));
	sb_free(&s);
	return r;
}

/*
 * Walk the queues in name order from after (exclusive) and call keep on
 * each; add up to max matches to arr, and a NextToken when more remain and
 * paginate is set.
 */
typedef int (*queue_pred)(mock_req *rq, const sqs_queue *q, const void *ctx);

static void list_walk(mock_req *rq, const char *prefix, const char *after, long max, int paginate,
                      queue_pred keep, const void *ctx, const char *member)
{
	sqs_state *st = sqs_st(rq->w);
	store_cur *c;
	int rc = store_cur_open(rq->txn, st->queues, &c);
	if (rc) {
		mock_fail_store(rq, rc);
		return;
	}
	cJSON *arr = cJSON_CreateArray();
	const char *start = after ? after : prefix ? prefix : "";
	store_val k = {start, strlen(start)}, v;
	rc = store_cur_get(c, *start ? STORE_SET_RANGE : STORE_FIRST, &k, &v);
	if (rc == 0 && after && k.len == strlen(after) && !memcmp(k.data, after, k.len))
		rc = store_cur_get(c, STORE_NEXT, &k, &v);
	const char *last = NULL;
	int more = 0;
	size_t pl = prefix ? strlen(prefix) : 0;
	for (; rc == 0; rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
		if (pl && (k.len < pl || memcmp(k.data, prefix, pl)))
			break;
		sqs_queue q = {0};
		q.rec = cj_parse(v.data, v.len, NULL);
		if (!q.rec)
			continue;
		queue_fields(rq, &q);
		if (!keep || keep(rq, &q, ctx)) {
			if (cJSON_GetArraySize(arr) >= max) {
				more = 1;
				sqs_queue_done(&q);
				break;
			}
			cJSON_AddItemToArray(arr, cJSON_CreateString(sqs_queue_url(rq, q.name, q.region)));
			last = arena_strdup(rq->ar, q.name);
		}
		sqs_queue_done(&q);
	}
	store_cur_close(c);
	rq->out = cJSON_CreateObject();
	if (cJSON_GetArraySize(arr) || !strcmp(member, "queueUrls"))
		cJSON_AddItemToObject(rq->out, member, arr);
	else
		cJSON_Delete(arr);
	if (more && paginate && last)
		cJSON_AddStringToObject(rq->out, "NextToken", name_token(rq, last));
}

/* ListQueues: QueueNamePrefix?, NextToken?, MaxResults? */
void sqs_op_list_queues(mock_req *rq)
{
	long max;
	if (opt_int(rq, rq->in, "MaxResults", 1, 1000, 1000, &max))
		return;
	const char *prefix = cj_str(rq->in, "QueueNamePrefix"), *tok = cj_str(rq->in, "NextToken"), *after = NULL;
	if (tok && *tok && !(after = token_name(rq, tok)))
		return;
	list_walk(rq, prefix && *prefix ? prefix : NULL, after, max,
	          cJSON_GetObjectItemCaseSensitive(rq->in, "MaxResults") != NULL, NULL, NULL, "QueueUrls");
}

static int is_source_of(mock_req *rq, const sqs_queue *q, const void *ctx)
{
	(void)rq;
	return q->dlq_arn && !strcmp(q->dlq_arn, ctx);
}

/* ListDeadLetterSourceQueues: QueueUrl, NextToken?, MaxResults? */
void sqs_op_list_dead_letter_source_queues(mock_req *rq)
{
	sqs_queue q;
	if (sqs_queue_from_req(rq, rq->txn, &q))
		return;
	long max;
	const char *tok = cj_str(rq->in, "NextToken"), *after = NULL;
	if (opt_int(rq, rq->in, "MaxResults", 1, 1000, 1000, &max) == 0 && !(tok && *tok && !(after = token_name(rq, tok))))
		list_walk(rq, NULL, after, max, cJSON_GetObjectItemCaseSensitive(rq->in, "MaxResults") != NULL,
		          is_source_of, sqs_queue_arn(rq, &q), "queueUrls");
	sqs_queue_done(&q);
}

static int drop_records(mock_req *rq, store_txn *t, const char *name)
{
	sqs_state *st = sqs_st(rq->w);
	size_t n = strlen(name) + 1; /* with its NUL: "a" must not take "ab"'s records */
	int rc = store_del_prefix(t, st->msgs, name, n);
	if (!rc)
		rc = store_del_prefix(t, st->vis, name, n);
	if (!rc)
		rc = store_del_prefix(t, st->dedup, name, n);
	if (rc)
		mock_fail_store(rq, rc);
	return rc;
}

/* DeleteQueue: QueueUrl */
void sqs_op_delete_queue(mock_req *rq)
{
	sqs_queue q;
	if (sqs_queue_from_req(rq, rq->txn, &q))
		return;
	sqs_state *st = sqs_st(rq->w);
	if (drop_records(rq, rq->txn, q.name) == 0) {
		store_del(rq->txn, st->seq, q.name, strlen(q.name));
		int rc = store_del(rq->txn, st->queues, q.name, strlen(q.name));
		if (rc)
			mock_fail_store(rq, rc);
	}
	sqs_queue_done(&q);
}

/* PurgeQueue: QueueUrl (once every 60 seconds per queue) */
void sqs_op_purge_queue(mock_req *rq)
{
	sqs_queue q;
	if (sqs_queue_from_req(rq, rq->txn, &q))
		return;
	if (q.last_purge_ms && rq->now_ms - q.last_purge_ms < 60000) {
		mock_fail(rq, AWSERR_SQS_PurgeQueueInProgress,
		          "Only one PurgeQueue operation on %s is allowed every 60 seconds.", q.name);
	} else if (drop_records(rq, rq->txn, q.name) == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(q.rec, "purged");
		cJSON_AddNumberToObject(q.rec, "purged", (double)rq->now_ms);
		queue_save(rq, rq->txn, &q);
	}
	sqs_queue_done(&q);
}

/* The names a request asks for ("All" expands), checked against the catalogue. */
static int want_attr(const cJSON *names, const char *name)
{
	for (const cJSON *n = names ? names->child : NULL; n; n = n->next)
		if (cJSON_IsString(n) && (!strcmp(n->valuestring, "All") || !strcmp(n->valuestring, name)))
			return 1;
	return 0;
}

/* GetQueueAttributes: QueueUrl, AttributeNames? */
void sqs_op_get_queue_attributes(mock_req *rq)
{
	sqs_queue q;
	if (sqs_queue_from_req(rq, rq->txn, &q))
		return;
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(rq->in, "AttributeNames");
	for (const cJSON *n = cJSON_IsArray(names) ? names->child : NULL; n; n = n->next) {
		if (!cJSON_IsString(n) || (strcmp(n->valuestring, "All") && !attr_def_find(n->valuestring))) {
			mock_fail(rq, AWSERR_SQS_InvalidAttributeName, "Unknown Attribute %s.",
			          cJSON_IsString(n) ? n->valuestring : "");
			sqs_queue_done(&q);
			return;
		}
	}
	cJSON *out = cJSON_CreateObject();
	long vis = 0, inflight = 0, delayed = 0;
	if (want_attr(names, "ApproximateNumberOfMessages") || want_attr(names, "ApproximateNumberOfMessagesNotVisible") ||
	    want_attr(names, "ApproximateNumberOfMessagesDelayed"))
		sqs_queue_counts(rq, rq->txn, &q, rq->now_ms, &vis, &inflight, &delayed);
	const cJSON *attrs = cj_obj(q.rec, "attrs");
	/* AWS's order for All */
	static const char *const order[] = {
		"QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
		"ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp", "VisibilityTimeout",
		"MaximumMessageSize", "MessageRetentionPeriod", "DelaySeconds", "Policy", "RedrivePolicy",
		"RedriveAllowPolicy", "ReceiveMessageWaitTimeSeconds", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
		"SqsManagedSseEnabled", "FifoQueue", "DeduplicationScope", "FifoThroughputLimit",
		"ContentBasedDeduplication",
	};
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		const char *n = order[i];
		if (!want_attr(names, n))
			continue;
		char buf[64];
		const char *v = NULL;
		if (!strcmp(n, "QueueArn"))
			v = sqs_queue_arn(rq, &q);
		else if (!strcmp(n, "ApproximateNumberOfMessages"))
			snprintf(buf, sizeof buf, "%ld", vis), v = buf;
		else if (!strcmp(n, "ApproximateNumberOfMessagesNotVisible"))
			snprintf(buf, sizeof buf, "%ld", inflight), v = buf;
		else if (!strcmp(n, "ApproximateNumberOfMessagesDelayed"))
			snprintf(buf, sizeof buf, "%ld", delayed), v = buf;
		else if (!strcmp(n, "CreatedTimestamp"))
			snprintf(buf, sizeof buf, "%lld", (long long)q.created_s), v = buf;
		else if (!strcmp(n, "LastModifiedTimestamp"))
			snprintf(buf, sizeof buf, "%lld", (long long)q.modified_s), v = buf;
		else if (!strcmp(n, "KmsDataKeyReusePeriodSeconds") && cj_str(attrs, "KmsMasterKeyId"))
			v = cj_str(attrs, n) ? cj_str(attrs, n) : "300";
		else
			v = cj_str(attrs, n);
		if (v)
			cJSON_AddStringToObject(out, n, v);
	}
	rq->out = cJSON_CreateObject();
	if (out->child)
		cJSON_AddItemToObject(rq->out, "Attributes", out);
	else
		cJSON_Delete(out);
	sqs_queue_done(&q);
}

/* SetQueueAttributes: QueueUrl, Attributes */
void sqs_op_set_queue_attributes(mock_req *rq)
{
	sqs_queue q;
	if (sqs_queue_from_req(rq, rq->txn, &q))
		return;
	const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(rq->in, "Attributes");
	if (!attrs || cJSON_IsNull(attrs)) {
		mock_fail(rq, AWSERR_SQS_MissingParameter, "The request must contain the parameter Attributes.");
	} else if (apply_attrs(rq, rq->txn, attrs, q.fifo, 0, cj_obj(q.rec, "attrs")) == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(q.rec, "modified");
		cJSON_AddNumberToObject(q.rec, "modified", (double)(rq->now_ms / 1000));
		queue_save(rq, rq->txn, &q);
	}
	sqs_queue_done(&q);
}

/* TagQueue: QueueUrl, Tags */
void sqs_op_tag_queue(mock_req *rq)
{
	sqs_queue q;
	if (sqs_queue_from_req(rq, rq->txn, &q))
		return;
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(rq->in, "Tags");
	cJSON *tg = cj_obj(q.rec, "tags");
	if (!tg)
		tg = cJSON_AddObjectToObject(q.rec, "tags");
	if (!cJSON_IsObject(tags) || !tags->child) {
		mock_fail(rq, AWSERR_SQS_MissingParameter, "The request must contain the parameter Tags.");
	} else {
		for (const cJSON *t = tags->child; t && !mock_failed(rq); t = t->next) {
			if (!cJSON_IsString(t)) {
				mock_fail(rq, AWSERR_ANY_SerializationException, "tag values must be strings");
				break;
			}
			cJSON_DeleteItemFromObjectCaseSensitive(tg, t->string);
			cJSON_AddStringToObject(tg, t->string, t->valuestring);
		}
		if (cJSON_GetArraySize(tg) > 50)
			mock_fail(rq, AWSERR_SQS_InvalidParameterValue, "Too many tags added for queue %s.", q.name);
		if (!mock_failed(rq))
			queue_save(rq, rq->txn, &q);
	}
	sqs_queue_done(&q);
}

/* UntagQueue: QueueUrl, TagKeys */
void sqs_op_untag_queue(mock_req *rq)
{
	sqs_queue q;
	if (sqs_queue_from_req(rq, rq->txn, &q))
		return;
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(rq->in, "TagKeys");
	cJSON *tg = cj_obj(q.rec, "tags");
	if (!cJSON_IsArray(keys) || !keys->child) {
		mock_fail(rq, AWSERR_SQS_MissingParameter, "The request must contain the parameter TagKeys.");
	} else {
		for (const cJSON *k = keys->child; k; k = k->next)
			if (cJSON_IsString(k) && tg)
				cJSON_DeleteItemFromObjectCaseSensitive(tg, k->valuestring);
		queue_save(rq, rq->txn, &q);
	}
	sqs_queue_done(&q);
}

/* ListQueueTags: QueueUrl */
void sqs_op_list_queue_tags(mock_req *rq)
{
	sqs_queue q;
	if (sqs_queue_from_req(rq, rq->txn, &q))
		return;
	rq->out = cJSON_CreateObject();
	const cJSON *tg = cj_obj(q.rec, "tags");
	if (tg && tg->child)
		cJSON_AddItemToObject(rq->out, "Tags", cJSON_Duplicate(tg, 1));
	sqs_queue_done(&q);
}
