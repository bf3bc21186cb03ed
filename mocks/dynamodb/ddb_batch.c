/* ddb_batch.c - BatchGetItem and BatchWriteItem: many items, one LMDB transaction. */
#include <string.h>

#include "common/cj.h"
#include "mocks/dynamodb/ddb_expr.h"

#define MAX_BATCH_GET 100
#define MAX_BATCH_WRITE 25
#define MAX_BATCH_GET_BYTES (16 * 1024 * 1024)

/* One key seen in a batch: table id and whole key, for duplicate checks. */
typedef struct seen {
	uint32_t tid;
	char *key;
	size_t n;
} seen;

static int seen_add(mock_req *rq, seen *s, int *ns, uint32_t tid, const sb *k)
{
	for (int i = 0; i < *ns; i++)
		if (s[i].tid == tid && s[i].n == k->len && !memcmp(s[i].key, k->buf, k->len)) {
			DDB_ERR(rq, ValidationException, "Provided list of item keys contains duplicates");
			return -1;
		}
	s[*ns].tid = tid;
	s[*ns].key = arena_alloc(rq->ar, k->len);
	memcpy(s[*ns].key, k->buf, k->len);
	s[*ns].n = k->len;
	(*ns)++;
	return 0;
}

static int request_items(mock_req *rq, const cJSON **out)
{
	const cJSON *ri = cJSON_GetObjectItemCaseSensitive(rq->in, "RequestItems");
	if (!ri || cJSON_IsNull(ri)) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null");
		return -1;
	}
	if (!cJSON_IsObject(ri)) {
		mock_fail(rq, AWSERR_ANY_SerializationException, "Unexpected value type in payload");
		return -1;
	}
	if (!ri->child) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
		return -1;
	}
	*out = ri;
	return 0;
}

/* BatchGetItem: RequestItems {table: {Keys, ProjectionExpression?, ExpressionAttributeNames?,
 * AttributesToGet?, ConsistentRead?}}, ReturnConsumedCapacity? */
void ddb_op_batch_get_item(mock_req *rq)
{
	const cJSON *ri;
	if (request_items(rq, &ri) || ddb_req_common(rq, rq->in))
		return;
	int total = 0;
	for (const cJSON *t = ri->child; t; t = t->next) {
		const cJSON *keys = cj_arr(t, "Keys");
		if (!keys || !keys->child) {
			DDB_ERR(rq, ValidationException,
			        "1 validation error detected: Value null at 'requestItems.%s.member.keys' failed to satisfy constraint: Member must not be null",
			        t->string);
			return;
		}
		total += cJSON_GetArraySize(keys);
	}
	if (total > MAX_BATCH_GET) {
		DDB_ERR(rq, ValidationException, "Too many items requested for the BatchGetItem call");
		return;
	}
	seen *sn = arena_alloc(rq->ar, (size_t)(total + 1) * sizeof *sn);
	int ns = 0;
	cJSON *out = cJSON_CreateObject();
	cJSON *resp = cJSON_AddObjectToObject(out, "Responses");
	cJSON *unproc = cJSON_AddObjectToObject(out, "UnprocessedKeys");
	size_t bytes = 0;
	for (const cJSON *t = ri->child; t; t = t->next) {
		ddb_table *tab = ddb_table_get(rq, t->string, 0);
		if (!tab)
			goto fail;
		ddb_exprs x;
		if (ddb_exprs_parse(rq, t, DDB_X_PROJ, &x)) {
			ddb_exprs_free(&x);
			goto fail;
		}
		int consistent = cj_bool(t, "ConsistentRead", 0);
		cJSON *items = cJSON_AddArrayToObject(resp, t->string);
		cJSON *left = NULL;
		ddb_cap cap = {0};
		size_t read_bytes = 0;
		for (const cJSON *k = cj_arr(t, "Keys")->child; k; k = k->next) {
			cJSON *key = cJSON_Duplicate(k, 1);
			sb kb = SB_INIT;
			int bad = ddb_item_check(rq, key) || ddb_key_from_item(rq, tab, key, 0, &kb) ||
			          seen_add(rq, sn, &ns, tab->id, &kb);
			if (!bad && bytes >= MAX_BATCH_GET_BYTES) {
				/* the answer is full: the rest comes back as UnprocessedKeys */
				if (!left) {
					left = cJSON_Duplicate(t, 1);
					cJSON_ReplaceItemInObjectCaseSensitive(left, "Keys", cJSON_CreateArray());
					cJSON_AddItemToObject(unproc, t->string, left);
				}
				cJSON_AddItemToArray(cj_arr(left, "Keys"), cJSON_Duplicate(k, 1));
				cJSON_Delete(key);
				sb_free(&kb);
				continue;
			}
			cJSON *item = NULL;
			if (!bad)
				bad = ddb_item_load(rq, tab, (unsigned char *)kb.buf, kb.len, &item);
			cJSON_Delete(key);
			sb_free(&kb);
			if (bad) {
				ddb_exprs_free(&x);
				goto fail;
			}
			if (item && !ddb_item_expired(tab, item, rq->now_ms)) {
				size_t sz = ddb_item_size(item);
				bytes += sz;
				read_bytes += sz;
				cJSON_AddItemToArray(items, ddb_proj_apply(x.proj, item));
			}
			cap.table_r += ddb_rcu(item ? ddb_item_size(item) : 0, consistent);
			cJSON_Delete(item);
		}
		(void)read_bytes;
		ddb_cap_report(rq, rq->in, tab->name, &cap, out, 1);
		ddb_exprs_free(&x);
	}
	rq->out = out;
	return;
fail:
	cJSON_Delete(out);
}

/* BatchWriteItem: RequestItems {table: [{PutRequest: {Item}} | {DeleteRequest: {Key}}]},
 * ReturnConsumedCapacity?, ReturnItemCollectionMetrics? */
void ddb_op_batch_write_item(mock_req *rq)
{
	const cJSON *ri;
	if (request_items(rq, &ri) || ddb_req_common(rq, rq->in))
		return;
	int total = 0;
	for (const cJSON *t = ri->child; t; t = t->next) {
		if (!cJSON_IsArray(t) || !t->child) {
			DDB_ERR(rq, ValidationException,
			        "1 validation error detected: Value '[]' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
			return;
		}
		total += cJSON_GetArraySize(t);
	}
	if (total > MAX_BATCH_WRITE) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
		return;
	}
	seen *sn = arena_alloc(rq->ar, (size_t)(total + 1) * sizeof *sn);
	int ns = 0;
	/* check everything first: a batch with one invalid request writes nothing */
	int n = 0;
	typedef struct wreq {
		ddb_table *t;
		cJSON *item; /* Put: the item; Delete: NULL */
		cJSON *key;
		sb k;
	} wreq;
	wreq *w = arena_calloc(rq->ar, (size_t)(total + 1) * sizeof *w);
	cJSON *out = NULL;
	for (const cJSON *t = ri->child; t; t = t->next) {
		ddb_table *tab = ddb_table_get(rq, t->string, 0);
		if (!tab)
			goto done;
		for (const cJSON *r = t->child; r; r = r->next) {
			const cJSON *put = cj_obj(r, "PutRequest"), *del = cj_obj(r, "DeleteRequest");
			if (!!put == !!del) {
				DDB_ERR(rq, ValidationException,
				        DDB_INVALID "A WriteRequest must contain exactly one of PutRequest or DeleteRequest");
				goto done;
			}
			wreq *q = &w[n++];
			q->t = tab;
			if (put) {
				const cJSON *item = cj_obj(put, "Item");
				if (!item) {
					DDB_ERR(rq, ValidationException,
					        "1 validation error detected: Value null at 'requestItems.%s.member.putRequest.item' failed to satisfy constraint: Member must not be null",
					        t->string);
					goto done;
				}
				q->item = cJSON_Duplicate(item, 1);
				if (ddb_item_check(rq, q->item) || ddb_key_from_item(rq, tab, q->item, 1, &q->k))
					goto done;
				if (ddb_item_size(q->item) > DDB_MAX_ITEM_SIZE) {
					DDB_ERR(rq, ValidationException, "Item size has exceeded the maximum allowed size");
					goto done;
				}
			} else {
				const cJSON *key = cj_obj(del, "Key");
				if (!key) {
					DDB_ERR(rq, ValidationException,
					        "1 validation error detected: Value null at 'requestItems.%s.member.deleteRequest.key' failed to satisfy constraint: Member must not be null",
					        t->string);
					goto done;
				}
				q->key = cJSON_Duplicate(key, 1);
				if (ddb_item_check(rq, q->key) || ddb_key_from_item(rq, tab, q->key, 0, &q->k))
					goto done;
			}
			if (seen_add(rq, sn, &ns, tab->id, &q->k))
				goto done;
		}
	}
	out = cJSON_CreateObject();
	cJSON_AddObjectToObject(out, "UnprocessedItems");
	const char *icm_mode = cj_str(rq->in, "ReturnItemCollectionMetrics");
	cJSON *icm = icm_mode && !strcmp(icm_mode, "SIZE") ? cJSON_CreateObject() : NULL;
	for (const cJSON *t = ri->child; t; t = t->next) {
		ddb_cap cap = {0};
		const ddb_table *tab = NULL;
		for (int i = 0; i < n; i++) {
			wreq *q = &w[i];
			if (strcmp(q->t->name, t->string))
				continue;
			tab = q->t;
			cJSON *old = NULL;
			if (ddb_item_load(rq, q->t, (unsigned char *)q->k.buf, q->k.len, &old) ||
			    (q->item || old ? ddb_item_store(rq, q->t, (unsigned char *)q->k.buf, q->k.len, old, q->item) : 0)) {
				cJSON_Delete(old);
				cJSON_Delete(icm);
				cJSON_Delete(out);
				out = NULL;
				goto done;
			}
			ddb_write_capacity(q->t, old, q->item, &cap);
			if (icm) {
				cJSON *holder = cJSON_CreateObject();
				ddb_item_collection_metrics(rq, q->t, rq->in, q->item ? q->item : q->key, holder);
				cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(holder, "ItemCollectionMetrics");
				if (m) {
					cJSON *arr = cJSON_GetObjectItemCaseSensitive(icm, t->string);
					if (!arr)
						arr = cJSON_AddArrayToObject(icm, t->string);
					cJSON_AddItemToArray(arr, m);
				}
				cJSON_Delete(holder);
			}
			cJSON_Delete(old);
		}
		if (tab)
			ddb_cap_report(rq, rq->in, tab->name, &cap, out, 1);
	}
	if (icm)
		cJSON_AddItemToObject(out, "ItemCollectionMetrics", icm);
	rq->out = out;
done:
	for (int i = 0; i < n; i++) {
		cJSON_Delete(w[i].item);
		cJSON_Delete(w[i].key);
		sb_free(&w[i].k);
	}
}
