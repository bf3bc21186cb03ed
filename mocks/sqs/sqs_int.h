/* sqs_int.h - private declarations shared by the SQS mock's files.
 *
 * Records (all keys start with the queue name and a NUL, so one queue's
 * records are one key range and store_del_prefix drops them):
 *   sqs.queues  name                       -> queue record (JSON text, sqs_queue)
 *   sqs.seq     name                       -> u64 last sequence number
 *   sqs.msgs    name \0 seq(8, BE)         -> message record (binary, sqs_msg)
 *   sqs.vis     name \0 visible_at(8) seq  -> "" (standard queues: receive order)
 *   sqs.dedup   name \0 [group \0] id      -> u64 expiry ms, u64 seq, message id
 * FIFO queues are received by walking sqs.msgs in sequence order (a group's
 * order is its send order); standard queues walk sqs.vis, oldest visible first.
 */
#ifndef STEPBENCH_SQS_INT_H
#define STEPBENCH_SQS_INT_H

#include <pthread.h>
#include <stdint.h>

#include "mocks/sqs/sqs.h"

#define SQS_MAX_BATCH 10
#define SQS_MAX_MSG_SIZE 262144
#define SQS_DEDUP_MS (5 * 60 * 1000)
#define SQS_MAX_ATTRS 10

typedef struct sqs_state {
	store_db queues, seq, msgs, vis, dedup;
	pthread_mutex_t mu;
	pthread_cond_t cv; /* broadcast on every send (long polls wait on it) */
	uint64_t gen;      /* bumped with every broadcast, under mu */
} sqs_state;

/* A queue, parsed from its record. Strings point into the request's arena. */
typedef struct sqs_queue {
	const char *name;
	const char *region;
	int fifo;
	int content_dedup;
	int dedup_per_group; /* DeduplicationScope messageGroup */
	int64_t created_s, modified_s;
	int64_t last_purge_ms;
	int visibility_s, delay_s, retention_s, max_size, wait_s;
	int max_receive;       /* RedrivePolicy maxReceiveCount, 0 without one */
	const char *dlq_arn;   /* RedrivePolicy deadLetterTargetArn */
	cJSON *rec;            /* the whole record (attrs, tags); owned by the caller of sqs_queue_load */
} sqs_queue;

/* A message record. Strings are NUL-terminated; when loaded from the store
 * they are copies in the request's arena. */
typedef struct sqs_msg {
	uint64_t seq;
	int64_t sent_ms;
	int64_t visible_at;     /* receivable from this time on */
	int64_t first_recv_ms;  /* 0: never received */
	uint32_t recv_count;
	uint64_t nonce;         /* of the latest receive (its receipt handle) */
	const char *id, *body, *md5_body, *md5_attrs, *md5_sys;
	const char *attrs;      /* MessageAttributes as JSON text, "" if none */
	const char *sys;        /* MessageSystemAttributes as JSON text, "" if none */
	const char *group, *dedup, *dlq_src;
	size_t body_len;
} sqs_msg;

static inline sqs_state *sqs_st(mock_world *w) { return w->state[MOCK_SVC_SQS]; }

/* ---- sqs_ops.c ---------------------------------------------------------- */
/** Wake every long poll (a message was sent or became visible). */
void sqs_wake(mock_world *w);

/* ---- sqs_queue.c -------------------------------------------------------- */
/** The queue named by a QueueUrl member of rq->in (required): fails the
 *  request (MissingParameter, InvalidAddress, QueueDoesNotExist) and returns
 *  -1, or fills q (q->rec freed by sqs_queue_done). */
int sqs_queue_from_req(mock_req *rq, store_txn *t, sqs_queue *q);
/** Load queue name into q; STORE_NOTFOUND when absent. */
int sqs_queue_load(mock_req *rq, store_txn *t, const char *name, sqs_queue *q);
void sqs_queue_done(sqs_queue *q);
/** The URL clients get for queue name created in region. Arena string. */
const char *sqs_queue_url(mock_req *rq, const char *name, const char *region);
const char *sqs_queue_arn(mock_req *rq, const sqs_queue *q);
/** The queue name of a URL (`.../<account>/<name>`), or NULL (also when the
 *  account is not the world's). Arena string. */
const char *sqs_name_from_url(mock_req *rq, const char *url);

void sqs_op_create_queue(mock_req *rq);
void sqs_op_get_queue_url(mock_req *rq);
void sqs_op_list_queues(mock_req *rq);
void sqs_op_delete_queue(mock_req *rq);
void sqs_op_purge_queue(mock_req *rq);
void sqs_op_get_queue_attributes(mock_req *rq);
void sqs_op_set_queue_attributes(mock_req *rq);
void sqs_op_tag_queue(mock_req *rq);
void sqs_op_untag_queue(mock_req *rq);
void sqs_op_list_queue_tags(mock_req *rq);
void sqs_op_list_dead_letter_source_queues(mock_req *rq);

/* ---- sqs_message.c ------------------------------------------------------ */
/** Approximate counters of a queue at now: visible, in flight, delayed. */
void sqs_queue_counts(mock_req *rq, store_txn *t, const sqs_queue *q, int64_t now, long *visible,
                      long *inflight, long *delayed);
/** Every live message of queue name, in send order, in the snapshot's shape. */
cJSON *sqs_queue_snapshot(mock_world *w, store_txn *t, const char *name, const char *account);
/** Append a message record's encoding to out / decode one (copies into ar). */
void sqs_msg_encode(const sqs_msg *m, sb *out);
int sqs_msg_decode(arena *ar, const void *p, size_t n, sqs_msg *m);

void sqs_op_send_message(mock_req *rq);
void sqs_op_send_message_batch(mock_req *rq);
void sqs_op_receive_message(mock_req *rq);
void sqs_op_delete_message(mock_req *rq);
void sqs_op_delete_message_batch(mock_req *rq);
void sqs_op_change_message_visibility(mock_req *rq);
void sqs_op_change_message_visibility_batch(mock_req *rq);

/* ---- sqs_attr.c --------------------------------------------------------- */
/**
 * Validate a MessageAttributes (sys = 0) or MessageSystemAttributes (sys = 1)
 * object. On success returns 0 and adds the attributes' share of the message
 * size to *size; on failure writes AWS's message to err and returns -1.
 */
int sqs_attrs_check(const cJSON *attrs, int sys, size_t *size, sb *err);
/** 1 when the body holds only the characters SQS allows (XML 1.0's). */
int sqs_body_valid(const char *p, size_t n);
/** Lowercase hex MD5 of n bytes. */
void sqs_md5_hex(const void *p, size_t n, char out[33]);

/* ---- sqs_query.c -------------------------------------------------------- */
/** The query-protocol http hook (see mock_service.http). */
int sqs_query_http(mock_world *w, const mock_http *in, mock_http_out *out);
/**
 * Decode an application/x-www-form-urlencoded body into a JSON object of
 * the SDK shape for op (Action), using SQS's query member names
 * (Attribute.N.Name, MessageAttribute.N.Value.StringValue, AttributeName.N,
 * SendMessageBatchRequestEntry.N.Id, ...). Caller owns the result; NULL with
 * err set when the form is malformed.
 */
cJSON *sqs_query_decode(const char *op, const char *form, size_t n, sb *err);
/** Render a JSON answer for op as the query protocol's XML. */
void sqs_query_render(const char *op, const cJSON *out, const char *request_id, sb *xml);

#endif
