/* sqs_ops.c - the SQS operation table, service state, snapshot and the JSON error header. */
#include <string.h>
#include <strings.h>

#include "common/mem.h"
#include "mocks/sqs/sqs_int.h"

/* Sorted by name (strcmp): mock_dispatch looks ops up with bsearch. */
static const mock_op sqs_ops[] = {
	{"ChangeMessageVisibility", sqs_op_change_message_visibility, MOCK_WRITE},
	{"ChangeMessageVisibilityBatch", sqs_op_change_message_visibility_batch, MOCK_WRITE},
	{"CreateQueue", sqs_op_create_queue, MOCK_WRITE},
	{"DeleteMessage", sqs_op_delete_message, MOCK_WRITE},
	{"DeleteMessageBatch", sqs_op_delete_message_batch, MOCK_WRITE},
	{"DeleteQueue", sqs_op_delete_queue, MOCK_WRITE},
	{"GetQueueAttributes", sqs_op_get_queue_attributes, MOCK_READONLY},
	{"GetQueueUrl", sqs_op_get_queue_url, MOCK_READONLY},
	{"ListDeadLetterSourceQueues", sqs_op_list_dead_letter_source_queues, MOCK_READONLY},
	{"ListQueueTags", sqs_op_list_queue_tags, MOCK_READONLY},
	{"ListQueues", sqs_op_list_queues, MOCK_READONLY},
	{"PurgeQueue", sqs_op_purge_queue, MOCK_WRITE},
	{"ReceiveMessage", sqs_op_receive_message, MOCK_NOTXN},
	{"SendMessage", sqs_op_send_message, MOCK_WRITE},
	{"SendMessageBatch", sqs_op_send_message_batch, MOCK_WRITE},
	{"SetQueueAttributes", sqs_op_set_queue_attributes, MOCK_WRITE},
	{"TagQueue", sqs_op_tag_queue, MOCK_WRITE},
	{"UntagQueue", sqs_op_untag_queue, MOCK_WRITE},
	{NULL, NULL, 0},
};

static int sqs_init(mock_world *w, sb *err)
{
	sqs_state *st = mem_calloc(1, sizeof *st);
	static const char *const names[] = {"sqs.queues", "sqs.seq", "sqs.msgs", "sqs.vis", "sqs.dedup"};
	store_db *dbs[] = {&st->queues, &st->seq, &st->msgs, &st->vis, &st->dedup};
	for (size_t i = 0; i < sizeof dbs / sizeof *dbs; i++) {
		int rc = store_db_open(w->st, names[i], 0, dbs[i]);
		if (rc) {
			sb_printf(err, "sqs: cannot open database %s: %s", names[i], store_strerror(rc));
			mem_free(st);
			return -1;
		}
	}
	pthread_mutex_init(&st->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&st->cv, &ca);
	pthread_condattr_destroy(&ca);
	w->state[MOCK_SVC_SQS] = st;
	return 0;
}

static void sqs_fini(mock_world *w)
{
	sqs_state *st = w->state[MOCK_SVC_SQS];
	if (!st)
		return;
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->mu);
	mem_free(st);
	w->state[MOCK_SVC_SQS] = NULL;
}

void sqs_wake(mock_world *w)
{
	sqs_state *st = sqs_st(w);
	pthread_mutex_lock(&st->mu);
	st->gen++;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
}

static cJSON *sqs_snapshot(mock_world *w)
{
	sqs_state *st = sqs_st(w);
	cJSON *out = cJSON_CreateObject();
	store_txn *t;
	if (store_txn_begin(w->st, 1, &t))
		return out;
	store_cur *c;
	if (store_cur_open(t, st->queues, &c) == 0) {
		store_val k, v;
		for (int rc = store_cur_get(c, STORE_FIRST, &k, &v); rc == 0; rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
			char *name = mem_strndup(k.data, k.len);
			cJSON_AddItemToObject(out, name, sqs_queue_snapshot(w, t, name, w->account));
			mem_free(name);
		}
		store_cur_close(c);
	}
	store_txn_abort(t);
	return out;
}

/* SQS answers JSON-protocol errors with the legacy query code in a header
 * when the client asks for query compatibility. */
static void sqs_json_error_hook(const mock_req *rq, mock_http_out *out)
{
	const char *qm = rq->http ? rq->http->header(rq->http, "x-amzn-query-mode") : NULL;
	if (!qm || strcasecmp(qm, "true"))
		return;
	sb_printf(&out->headers, "x-amzn-query-error: %s;%s\r\n", rq->err.legacy ? rq->err.legacy : rq->err.type,
	          rq->err.sender ? "Sender" : "Receiver");
}

const mock_service sqs_service = {
	.name = "sqs",
	.slot = MOCK_SVC_SQS,
	.target_prefix = "AmazonSQS",
	.json_type_prefix = "com.amazonaws.sqs#",
	.json_content_type = "application/x-amz-json-1.0",
	.ops = sqs_ops,
	.init = sqs_init,
	.fini = sqs_fini,
	.http = sqs_query_http,
	.json_error_hook = sqs_json_error_hook,
	.snapshot = sqs_snapshot,
};
