/* ddb_transact.c - TransactWriteItems (all or nothing) and TransactGetItems. */
#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "common/hash.h"
#include "mocks/dynamodb/ddb_expr.h"

#define MAX_TRANSACT 100
#define TOKEN_WINDOW_MS (10 * 60 * 1000)

enum { A_CHECK, A_PUT, A_DELETE, A_UPDATE };
static const char *const action_names[] = {"ConditionCheck", "Put", "Delete", "Update"};

typedef struct tact {
	int kind;
	const cJSON *obj;
	ddb_table *t;
	sb k;
	cJSON *item; /* Put: the item; others: the key */
	ddb_exprs x;
	cJSON *old, *newi;
	const char *rvoc;
	const char *code;    /* cancellation reason, NULL: None */
	const char *message;
} tact;

static int items_param(mock_req *rq, const cJSON **out)
{
	const cJSON *ti = cJSON_GetObjectItemCaseSensitive(rq->in, "TransactItems");
	if (!ti || cJSON_IsNull(ti)) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
		return -1;
	}
	if (!cJSON_IsArray(ti)) {
		mock_fail(rq, AWSERR_ANY_SerializationException, "Unexpected value type in payload");
		return -1;
	}
	int n = cJSON_GetArraySize(ti);
	if (n < 1 || n > MAX_TRANSACT) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length %s",
		        n < 1 ? "greater than or equal to 1" : "less than or equal to 100");
		return -1;
	}
	*out = ti;
	return 0;
}

/* Read the request's ClientRequestToken; 1 when a stored answer was replayed. */
static int token_replay(mock_req *rq, const char *token, const char *digest)
{
	char key[64];
	int kn = snprintf(key, sizeof key, "tok/%s", token);
	store_val v;
	if (store_get(rq->txn, ddb_st(rq->w)->meta, key, (size_t)kn, &v))
		return 0;
	cJSON *rec = cJSON_ParseWithLength(v.data, v.len);
	if (!rec)
		return 0;
	int r = 0;
	if (rq->now_ms - (int64_t)cj_num(rec, "t", 0) < TOKEN_WINDOW_MS) {
		if (strcmp(cj_str(rec, "h") ? cj_str(rec, "h") : "", digest)) {
			DDB_ERR(rq, IdempotentParameterMismatchException,
			        "The request uses the same client token as a previous, but non-identical request.");
			r = -1;
		} else {
			rq->out = cJSON_Duplicate(cj_obj(rec, "out"), 1);
			r = 1;
		}
	}
	cJSON_Delete(rec);
	return r;
}

static void token_store(mock_req *rq, const char *token, const char *digest)
{
	char key[64];
	int kn = snprintf(key, sizeof key, "tok/%s", token);
	cJSON *rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "h", digest);
	cJSON_AddNumberToObject(rec, "t", (double)rq->now_ms);
	cJSON_AddItemToObject(rec, "out", cJSON_Duplicate(rq->out, 1));
	char *txt = cJSON_PrintUnformatted(rec);
	store_put(rq->txn, ddb_st(rq->w)->meta, key, (size_t)kn, txt, strlen(txt), 0);
	cJSON_free(txt);
	cJSON_Delete(rec);
}

/* Take the error a step recorded as its cancellation reason, and clear it. */
static void reason_from_error(mock_req *rq, tact *a, const char *code)
{
	a->code = code;
	a->message = rq->err.message ? arena_strdup(rq->ar, rq->err.message) : "";
	cJSON_Delete(rq->err.extra);
	memset(&rq->err, 0, sizeof rq->err);
}

/* TransactWriteItems: TransactItems [{ConditionCheck|Put|Delete|Update: {...}}],
 * ClientRequestToken?, ReturnConsumedCapacity?, ReturnItemCollectionMetrics? */
void ddb_op_transact_write_items(mock_req *rq)
{
	const cJSON *ti;
	if (items_param(rq, &ti) || ddb_req_common(rq, rq->in))
		return;
	const char *token = cj_str(rq->in, "ClientRequestToken");
	char digest[65] = "";
	if (token) {
		size_t tl = strlen(token);
		if (tl < 1 || tl > 36) {
			DDB_ERR(rq, ValidationException,
			        "1 validation error detected: Value '%s' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36",
			        token);
			return;
		}
		char *txt = cJSON_PrintUnformatted(ti);
		unsigned char h[32];
		hash_sha256(txt, strlen(txt), h);
		cJSON_free(txt);
		hash_hex_buf(h, 32, digest);
		int r = token_replay(rq, token, digest);
		if (r)
			return;
	}
	int n = cJSON_GetArraySize(ti);
	tact *acts = arena_calloc(rq->ar, (size_t)n * sizeof *acts);
	int i = 0, failed = 0;
	/* 1: validate every action; a malformed one fails the whole request */
	for (const cJSON *e = ti->child; e && !failed; e = e->next, i++) {
		tact *a = &acts[i];
		int found = 0;
		for (int k = 0; k < 4; k++)
			if (cj_obj(e, action_names[k])) {
				found++;
				a->kind = k;
				a->obj = cj_obj(e, action_names[k]);
			}
		if (found != 1) {
			DDB_ERR(rq, ValidationException,
			        "TransactItems can only contain one of Check, Put, Update or Delete");
			failed = 1;
			break;
		}
		const char *tn = cj_str(a->obj, "TableName");
		if (!tn) {
			DDB_ERR(rq, ValidationException,
			        "1 validation error detected: Value null at 'transactItems.%d.member.%s.tableName' failed to satisfy constraint: Member must not be null",
			        i + 1, a->kind == A_CHECK ? "conditionCheck" : a->kind == A_PUT ? "put" : a->kind == A_DELETE ? "delete" : "update");
			failed = 1;
			break;
		}
		if (!(a->t = ddb_table_get(rq, tn, 0))) {
			failed = 1;
			break;
		}
		static const char *const rvf[] = {"ALL_OLD", "NONE", NULL};
		if (ddb_req_enum(rq, a->obj, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure", rvf,
		                 &a->rvoc)) {
			failed = 1;
			break;
		}
		const cJSON *src = cj_obj(a->obj, a->kind == A_PUT ? "Item" : "Key");
		if (!src) {
			DDB_ERR(rq, ValidationException,
			        "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null",
			        a->kind == A_PUT ? "item" : "key");
			failed = 1;
			break;
		}
		a->item = cJSON_Duplicate(src, 1);
		if (ddb_item_check(rq, a->item) || ddb_key_from_item(rq, a->t, a->item, a->kind == A_PUT, &a->k)) {
			failed = 1;
			break;
		}
		if (a->kind == A_PUT && ddb_item_size(a->item) > DDB_MAX_ITEM_SIZE) {
			DDB_ERR(rq, ValidationException, "Item size has exceeded the maximum allowed size");
			failed = 1;
			break;
		}
		if (a->kind == A_CHECK && !cj_str(a->obj, "ConditionExpression")) {
			DDB_ERR(rq, ValidationException,
			        "1 validation error detected: Value null at 'transactItems.%d.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null",
			        i + 1);
			failed = 1;
			break;
		}
		if (a->kind == A_UPDATE && !cj_str(a->obj, "UpdateExpression")) {
			DDB_ERR(rq, ValidationException,
			        "1 validation error detected: Value null at 'transactItems.%d.member.update.updateExpression' failed to satisfy constraint: Member must not be null",
			        i + 1);
			failed = 1;
			break;
		}
		if (ddb_exprs_parse(rq, a->obj, DDB_X_COND | (a->kind == A_UPDATE ? DDB_X_UPDATE : 0), &a->x)) {
			failed = 1;
			break;
		}
		if (a->kind == A_UPDATE && ddb_update_check_keys(&a->x, a->t)) {
			failed = 1;
			break;
		}
		for (int j = 0; j < i; j++)
			if (acts[j].t->id == a->t->id && acts[j].k.len == a->k.len && !memcmp(acts[j].k.buf, a->k.buf, a->k.len)) {
				DDB_ERR(rq, ValidationException, "Transaction request cannot include multiple operations on one item");
				failed = 1;
				break;
			}
	}
	/* 2: evaluate every condition and compute every new item */
	int cancelled = 0;
	for (i = 0; i < n && !failed; i++) {
		tact *a = &acts[i];
		if (ddb_item_load(rq, a->t, (unsigned char *)a->k.buf, a->k.len, &a->old)) {
			failed = 1;
			break;
		}
		cJSON *live = ddb_item_expired(a->t, a->old, rq->now_ms) ? NULL : a->old;
		if (a->x.cond && !ddb_cond_eval(&a->x, a->x.cond, live)) {
			a->code = "ConditionalCheckFailed";
			a->message = "The conditional request failed";
			cancelled = 1;
			continue;
		}
		if (a->kind == A_PUT) {
			a->newi = cJSON_Duplicate(a->item, 1);
		} else if (a->kind == A_UPDATE) {
			if (ddb_update_apply(&a->x, a->t, live, a->item, &a->newi)) {
				reason_from_error(rq, a, "ValidationError");
				cancelled = 1;
				continue;
			}
			if (ddb_item_size(a->newi) > DDB_MAX_ITEM_SIZE) {
				a->code = "ValidationError";
				a->message = "Item size to update has exceeded the maximum allowed size";
				cancelled = 1;
			}
		}
	}
	if (!failed && cancelled) {
		sb codes = SB_INIT;
		cJSON *reasons = cJSON_CreateArray();
		for (i = 0; i < n; i++) {
			tact *a = &acts[i];
			sb_cat(&codes, i ? ", " : "");
			sb_cat(&codes, a->code ? a->code : "None");
			cJSON *r = cJSON_CreateObject();
			cJSON_AddStringToObject(r, "Code", a->code ? a->code : "None");
			if (a->code) {
				cJSON_AddStringToObject(r, "Message", a->message);
				cJSON *live = ddb_item_expired(a->t, a->old, rq->now_ms) ? NULL : a->old;
				if (!strcmp(a->code, "ConditionalCheckFailed") && a->rvoc && !strcmp(a->rvoc, "ALL_OLD") && live)
					cJSON_AddItemToObject(r, "Item", cJSON_Duplicate(live, 1));
			}
			cJSON_AddItemToArray(reasons, r);
		}
		DDB_ERR(rq, TransactionCanceledException,
		        "Transaction cancelled, please refer cancellation reasons for specific reasons [%s]", sb_str(&codes));
		sb_free(&codes);
		rq->err.extra = cJSON_CreateObject();
		cJSON_AddItemToObject(rq->err.extra, "CancellationReasons", reasons);
		failed = 1;
	}
	/* 3: write */
	/* on the heap: worker threads have small stacks */
	ddb_cap *caps = arena_alloc(rq->ar, MAX_TRANSACT * sizeof *caps);
	const char **cap_tables = arena_alloc(rq->ar, MAX_TRANSACT * sizeof *cap_tables);
	int ncap = 0;
	for (i = 0; i < n && !failed; i++) {
		tact *a = &acts[i];
		if (a->kind != A_CHECK && (a->newi || a->old) &&
		    ddb_item_store(rq, a->t, (unsigned char *)a->k.buf, a->k.len, a->old, a->kind == A_DELETE ? NULL : a->newi)) {
			failed = 1;
			break;
		}
		int c = 0;
		while (c < ncap && strcmp(cap_tables[c], a->t->name))
			c++;
		if (c == ncap) {
			memset(&caps[c], 0, sizeof caps[c]);
			cap_tables[ncap++] = a->t->name;
		}
		ddb_cap one = {0};
		if (a->kind == A_CHECK)
			one.table_r = ddb_rcu(a->old ? ddb_item_size(a->old) : 0, 1);
		else
			ddb_write_capacity(a->t, a->old, a->kind == A_DELETE ? NULL : a->newi, &one);
		caps[c].table_r += 2 * one.table_r;
		caps[c].table_w += 2 * one.table_w;
		for (int x = 0; x < one.n_idx; x++)
			ddb_cap_index(&caps[c], ddb_table_index(a->t, one.idx_name[x]), 2 * one.idx_r[x], 2 * one.idx_w[x]);
	}
	if (!failed) {
		rq->out = cJSON_CreateObject();
		for (int c = 0; c < ncap; c++)
			ddb_cap_report(rq, rq->in, cap_tables[c], &caps[c], rq->out, 1);
		if (token)
			token_store(rq, token, digest);
	}
	for (i = 0; i < n; i++) {
		ddb_exprs_free(&acts[i].x);
		sb_free(&acts[i].k);
		cJSON_Delete(acts[i].item);
		cJSON_Delete(acts[i].old);
		cJSON_Delete(acts[i].newi);
	}
}

/* TransactGetItems: TransactItems [{Get: {TableName, Key, ProjectionExpression?,
 * ExpressionAttributeNames?}}], ReturnConsumedCapacity? */
void ddb_op_transact_get_items(mock_req *rq)
{
	const cJSON *ti;
	if (items_param(rq, &ti) || ddb_req_common(rq, rq->in))
		return;
	cJSON *out = cJSON_CreateObject();
	cJSON *resp = cJSON_AddArrayToObject(out, "Responses");
	/* on the heap: worker threads have small stacks */
	ddb_cap *caps = arena_alloc(rq->ar, MAX_TRANSACT * sizeof *caps);
	const char **cap_tables = arena_alloc(rq->ar, MAX_TRANSACT * sizeof *cap_tables);
	int ncap = 0, i = 0;
	for (const cJSON *e = ti->child; e; e = e->next, i++) {
		const cJSON *g = cj_obj(e, "Get");
		if (!g) {
			DDB_ERR(rq, ValidationException,
			        "1 validation error detected: Value null at 'transactItems.%d.member.get' failed to satisfy constraint: Member must not be null",
			        i + 1);
			goto fail;
		}
		ddb_table *t = ddb_table_get(rq, cj_str(g, "TableName") ? cj_str(g, "TableName") : "", 0);
		if (!t)
			goto fail;
		const cJSON *key_in = cj_obj(g, "Key");
		if (!key_in) {
			DDB_ERR(rq, ValidationException,
			        "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null");
			goto fail;
		}
		cJSON *key = cJSON_Duplicate(key_in, 1);
		sb k = SB_INIT;
		ddb_exprs x;
		memset(&x, 0, sizeof x);
		cJSON *item = NULL;
		int bad = ddb_item_check(rq, key) || ddb_key_from_item(rq, t, key, 0, &k);
		if (!bad)
			bad = ddb_exprs_parse(rq, g, DDB_X_PROJ, &x) || ddb_item_load(rq, t, (unsigned char *)k.buf, k.len, &item);
		if (!bad) {
			cJSON *r = cJSON_CreateObject();
			if (item && !ddb_item_expired(t, item, rq->now_ms))
				cJSON_AddItemToObject(r, "Item", ddb_proj_apply(x.proj, item));
			cJSON_AddItemToArray(resp, r);
			int c = 0;
			while (c < ncap && strcmp(cap_tables[c], t->name))
				c++;
			if (c == ncap) {
				memset(&caps[c], 0, sizeof caps[c]);
				cap_tables[ncap++] = t->name;
			}
			caps[c].table_r += 2 * ddb_rcu(item ? ddb_item_size(item) : 0, 1);
		}
		ddb_exprs_free(&x);
		cJSON_Delete(item);
		cJSON_Delete(key);
		sb_free(&k);
		if (bad)
			goto fail;
	}
	for (int c = 0; c < ncap; c++)
		ddb_cap_report(rq, rq->in, cap_tables[c], &caps[c], out, 1);
	rq->out = out;
	return;
fail:
	cJSON_Delete(out);
}
