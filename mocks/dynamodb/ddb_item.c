/* ddb_item.c - single-item operations: PutItem, GetItem, DeleteItem, UpdateItem. */
#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "mocks/dynamodb/ddb_expr.h"


/* ======================================================================
 * Shared request checks
 * ====================================================================== */

int ddb_req_enum(mock_req *rq, const cJSON *in, const char *member, const char *field, const char *const *allowed,
                 const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, member);
	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v)) {
		mock_fail(rq, AWSERR_ANY_SerializationException, "Unexpected value type in payload");
		return -1;
	}
	sb set = SB_INIT;
	for (const char *const *a = allowed; *a; a++) {
		if (!strcmp(*a, v->valuestring)) {
			sb_free(&set);
			*out = *a;
			return 0;
		}
		sb_cat(&set, a == allowed ? "" : ", ");
		sb_cat(&set, *a);
	}
	DDB_ERR(rq, ValidationException,
	        "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
	        v->valuestring, field, sb_str(&set));
	sb_free(&set);
	return -1;
}

int ddb_req_common(mock_req *rq, const cJSON *in)
{
	static const char *const rcc[] = {"INDEXES", "TOTAL", "NONE", NULL};
	static const char *const rcm[] = {"SIZE", "NONE", NULL};
	const char *x;
	if (ddb_req_enum(rq, in, "ReturnConsumedCapacity", "returnConsumedCapacity", rcc, &x))
		return -1;
	if (ddb_req_enum(rq, in, "ReturnItemCollectionMetrics", "returnItemCollectionMetrics", rcm, &x))
		return -1;
	return 0;
}

/* ItemCollectionMetrics for a write to a table with local secondary indexes. */
void ddb_item_collection_metrics(mock_req *rq, const ddb_table *t, const cJSON *in, const cJSON *item, cJSON *out)
{
	const char *m = cj_str(in, "ReturnItemCollectionMetrics");
	int has_lsi = 0;
	for (int i = 0; i < t->n_idx; i++)
		has_lsi |= !t->idx[i].gsi;
	if (!m || strcmp(m, "SIZE") || !has_lsi || !item)
		return;
	/* the collection: every item (and LSI entry) sharing the hash key */
	sb lo = SB_INIT;
	ddb_key_tid(&lo, t->id, 0);
	ddb_key_enc(&lo, cJSON_GetObjectItemCaseSensitive(item, t->hk.name));
	unsigned char *hi = arena_alloc(rq->ar, lo.len);
	memcpy(hi, lo.buf, lo.len);
	size_t hin = ddb_key_prefix_succ(hi, lo.len);
	ddb_walk *w = ddb_walk_open(rq->ar, rq->txn, ddb_st(rq->w)->items, (unsigned char *)lo.buf, lo.len, hi, hin, 0);
	ddb_entry e;
	double bytes = 0;
	while (ddb_walk_next(w, &e) == 1)
		bytes += (double)e.item_size;
	ddb_walk_close(w);
	sb_free(&lo);
	double gb = bytes / (1024.0 * 1024.0 * 1024.0);
	cJSON *icm = cJSON_AddObjectToObject(out, "ItemCollectionMetrics");
	cJSON *k = cJSON_AddObjectToObject(icm, "ItemCollectionKey");
	cJSON_AddItemToObject(k, t->hk.name, cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(item, t->hk.name), 1));
	cJSON *r = cJSON_AddArrayToObject(icm, "SizeEstimateRangeGB");
	cJSON_AddItemToArray(r, cJSON_CreateNumber(gb));
	cJSON_AddItemToArray(r, cJSON_CreateNumber(gb + 1.0));
}

/* Whether index ix holds attribute name (its keys, the table's keys, its projection). */
static int index_projects(const ddb_table *t, const ddb_index *ix, const char *name)
{
	if (ix->proj == DDB_PROJ_ALL || !strcmp(name, t->hk.name) || (t->rk.name && !strcmp(name, t->rk.name)) ||
	    !strcmp(name, ix->hk.name) || (ix->rk.name && !strcmp(name, ix->rk.name)))
		return 1;
	for (int i = 0; ix->proj == DDB_PROJ_INCLUDE && i < ix->n_nonkey; i++)
		if (!strcmp(ix->nonkey[i], name))
			return 1;
	return 0;
}

/* Size of item's entry in index ix: the attributes the index projects. */
static size_t index_entry_size(const ddb_table *t, const ddb_index *ix, const cJSON *item)
{
	if (ix->proj == DDB_PROJ_ALL)
		return ddb_item_size(item);
	size_t n = 0;
	for (const cJSON *a = item->child; a; a = a->next)
		if (index_projects(t, ix, a->string))
			n += strlen(a->string) + ddb_av_size(a);
	return n;
}

/* Whether old and newi project the same entry into ix (same attributes, equal values). */
static int index_entry_same(const ddb_table *t, const ddb_index *ix, const cJSON *old, const cJSON *newi)
{
	int n_old = 0, n_new = 0;
	for (const cJSON *a = old->child; a; a = a->next)
		n_old += index_projects(t, ix, a->string);
	for (const cJSON *a = newi->child; a; a = a->next) {
		if (!index_projects(t, ix, a->string))
			continue;
		n_new++;
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(old, a->string);
		if (!b || !ddb_av_equal(a, b))
			return 0;
	}
	return n_old == n_new;
}

/* Write capacity of replacing old by newi, table and indexes. The table
 * pays for the larger of the two items in 1 KB units. An index pays for
 * its entry (the projected attributes), per AWS's rules for index writes:
 * one write to put an entry into it or take one out, two (a delete and a
 * put) when the index key changes, one when only projected attributes
 * change, and nothing when the item is in it neither before nor after or
 * its entry is unchanged. */
void ddb_write_capacity(const ddb_table *t, const cJSON *old, const cJSON *newi, ddb_cap *cap)
{
	size_t os = old ? ddb_item_size(old) : 0, ns = newi ? ddb_item_size(newi) : 0;
	cap->table_w += ddb_wcu(os > ns ? os : ns);
	for (int i = 0; i < t->n_idx; i++) {
		const ddb_index *ix = &t->idx[i];
		const cJSON *oh = old ? cJSON_GetObjectItemCaseSensitive(old, ix->hk.name) : NULL;
		const cJSON *orr = old && ix->rk.name ? cJSON_GetObjectItemCaseSensitive(old, ix->rk.name) : NULL;
		const cJSON *nh = newi ? cJSON_GetObjectItemCaseSensitive(newi, ix->hk.name) : NULL;
		const cJSON *nr = newi && ix->rk.name ? cJSON_GetObjectItemCaseSensitive(newi, ix->rk.name) : NULL;
		int in_old = oh && (!ix->rk.name || orr), in_new = nh && (!ix->rk.name || nr);
		double units = 0;
		if (in_old && in_new) {
			size_t oe = index_entry_size(t, ix, old), ne = index_entry_size(t, ix, newi);
			if (!ddb_av_equal(oh, nh) || (ix->rk.name && !ddb_av_equal(orr, nr)))
				units = ddb_wcu(oe) + ddb_wcu(ne);
			else if (!index_entry_same(t, ix, old, newi))
				units = ddb_wcu(oe > ne ? oe : ne);
		} else if (in_old || in_new) {
			units = ddb_wcu(index_entry_size(t, ix, in_old ? old : newi));
		}
		if (units > 0)
			ddb_cap_index(cap, ix, 0, units);
	}
}

/* Evaluate the request's condition on the live item; on failure record
 * ConditionalCheckFailedException (with the item when asked). */
int ddb_cond_check(mock_req *rq, ddb_exprs *x, const cJSON *live, const char *rvoc)
{
	if (!x->cond || ddb_cond_eval(x, x->cond, live))
		return 0;
	DDB_ERR(rq, ConditionalCheckFailedException, "The conditional request failed");
	if (rvoc && !strcmp(rvoc, "ALL_OLD") && live) {
		rq->err.extra = cJSON_CreateObject();
		cJSON_AddItemToObject(rq->err.extra, "Item", cJSON_Duplicate(live, 1));
	}
	return -1;
}

/* ======================================================================
 * PutItem, GetItem, DeleteItem, UpdateItem
 * ====================================================================== */

/* PutItem: TableName, Item, ConditionExpression?, ExpressionAttributeNames?,
 * ExpressionAttributeValues?, Expected?, ConditionalOperator?, ReturnValues?,
 * ReturnValuesOnConditionCheckFailure?, ReturnConsumedCapacity?, ReturnItemCollectionMetrics?
 *
 * MOCK_NOTXN: everything that needs no lock (checking the item, parsing the
 * expressions, printing the record) happens before the write transaction,
 * so concurrent writers hold LMDB's single writer lock as briefly as
 * possible. The call is still one write transaction: this handler opens it
 * and leaves it in rq->txn for the dispatcher to commit or abort. */
void ddb_op_put_item(mock_req *rq)
{
	const cJSON *in = rq->in;
	const char *name = ddb_req_table_name(rq, "TableName");
	if (!name)
		return;
	const cJSON *item_in = cJSON_GetObjectItemCaseSensitive(in, "Item");
	if (!item_in || cJSON_IsNull(item_in)) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null");
		return;
	}
	static const char *const rv_all[] = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW", NULL};
	static const char *const rvf[] = {"ALL_OLD", "NONE", NULL};
	const char *rv, *rvoc;
	if (ddb_req_common(rq, in) || ddb_req_enum(rq, in, "ReturnValues", "returnValues", rv_all, &rv) ||
	    ddb_req_enum(rq, in, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure", rvf, &rvoc))
		return;
	if (rv && strcmp(rv, "NONE") && strcmp(rv, "ALL_OLD")) {
		DDB_ERR(rq, ValidationException, "ReturnValues can only be ALL_OLD or NONE");
		return;
	}
	/* the table, read in a short read-only transaction; its record is kept
	 * to check that the table did not change before the write. Called from
	 * within a transaction (ExecuteStatement), everything runs in that one:
	 * a second write transaction in this thread would deadlock. */
	int nested = rq->txn != NULL;
	if (!nested && !(rq->txn = mock_txn_begin(rq, 1)))
		return;
	ddb_table *t = ddb_table_get(rq, name, 0);
	store_val tv;
	char *rec = NULL;
	size_t recn = 0;
	if (t && !store_get(rq->txn, ddb_st(rq->w)->tables, name, strlen(name), &tv)) {
		rec = arena_alloc(rq->ar, tv.len);
		memcpy(rec, tv.data, tv.len);
		recn = tv.len;
	}
	if (!nested) {
		store_txn_abort(rq->txn);
		rq->txn = NULL;
	}
	if (!t)
		return;
	cJSON *item = cJSON_Duplicate(item_in, 1);
	cJSON *old = NULL;
	ddb_exprs x;
	sb k = SB_INIT, val = SB_INIT;
	memset(&x, 0, sizeof x);
	if (ddb_item_check(rq, item) || ddb_key_from_item(rq, t, item, 1, &k))
		goto out;
	size_t size = ddb_item_size(item);
	if (size > DDB_MAX_ITEM_SIZE) {
		DDB_ERR(rq, ValidationException, "Item size has exceeded the maximum allowed size");
		goto out;
	}
	if (ddb_exprs_parse(rq, in, DDB_X_COND, &x))
		goto out;
	char *json = cJSON_PrintUnformatted(item);
	ddb_val_build(&val, (unsigned char *)k.buf, k.len, size, json, strlen(json));
	cJSON_free(json);

	if (!nested && !(rq->txn = mock_txn_begin(rq, 0)))
		goto out;
	if (store_get(rq->txn, ddb_st(rq->w)->tables, name, strlen(name), &tv) || tv.len != recn ||
	    memcmp(tv.data, rec, recn)) {
		/* the table was deleted, recreated or changed meanwhile: start over on what is there now */
		if (!(t = ddb_table_get(rq, name, 0)))
			goto out;
		sb_clear(&k);
		sb_clear(&val);
		if (ddb_key_from_item(rq, t, item, 1, &k))
			goto out;
		json = cJSON_PrintUnformatted(item);
		ddb_val_build(&val, (unsigned char *)k.buf, k.len, size, json, strlen(json));
		cJSON_free(json);
	}
	const char *rcc = cj_str(in, "ReturnConsumedCapacity");
	const char *icm = cj_str(in, "ReturnItemCollectionMetrics");
	int need_old = t->n_idx || x.cond || (rv && !strcmp(rv, "ALL_OLD")) || (rcc && strcmp(rcc, "NONE"));
	if (need_old && ddb_item_load(rq, t, (unsigned char *)k.buf, k.len, &old))
		goto out;
	cJSON *live = ddb_item_expired(t, old, rq->now_ms) ? NULL : old;
	ddb_cap cap = {0};
	ddb_write_capacity(t, old, item, &cap);
	if (ddb_cond_check(rq, &x, live, rvoc))
		goto out;
	if (ddb_item_store_built(rq, t, (unsigned char *)k.buf, k.len, old, item, &val))
		goto out;
	rq->out = cJSON_CreateObject();
	if (rv && !strcmp(rv, "ALL_OLD") && live)
		cJSON_AddItemToObject(rq->out, "Attributes", cJSON_Duplicate(live, 1));
	ddb_cap_report(rq, in, t->name, &cap, rq->out, 0);
	if (icm)
		ddb_item_collection_metrics(rq, t, in, item, rq->out);
out:
	ddb_exprs_free(&x);
	sb_free(&k);
	sb_free(&val);
	cJSON_Delete(item);
	cJSON_Delete(old);
}

/* GetItem: TableName, Key, ProjectionExpression?, ExpressionAttributeNames?,
 * AttributesToGet?, ConsistentRead?, ReturnConsumedCapacity? */
void ddb_op_get_item(mock_req *rq)
{
	const cJSON *in = rq->in;
	const char *name = ddb_req_table_name(rq, "TableName");
	if (!name)
		return;
	const cJSON *key_in = cJSON_GetObjectItemCaseSensitive(in, "Key");
	if (!key_in || cJSON_IsNull(key_in)) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null");
		return;
	}
	if (ddb_req_common(rq, in))
		return;
	ddb_table *t = ddb_table_get(rq, name, 0);
	if (!t)
		return;
	cJSON *key = cJSON_Duplicate(key_in, 1);
	cJSON *item = NULL;
	ddb_exprs x;
	sb k = SB_INIT;
	memset(&x, 0, sizeof x);
	if (ddb_item_check(rq, key) || ddb_key_from_item(rq, t, key, 0, &k))
		goto out;
	if (ddb_exprs_parse(rq, in, DDB_X_PROJ, &x))
		goto out;
	int consistent = cj_bool(in, "ConsistentRead", 0);
	ddb_cap cap = {0};
	if (rq->http && !x.proj && !t->ttl_attr) {
		/* the stored text is the answer: no parse, no print */
		const char *json;
		size_t jl, size = 0;
		if (ddb_item_load_raw(rq, (unsigned char *)k.buf, k.len, &json, &jl, &size))
			goto out;
		rq->out = cJSON_CreateObject();
		if (json)
			cJSON_AddItemToObject(rq->out, "Item", ddb_raw_node(json, jl));
		cap.table_r = ddb_rcu(size, consistent);
		ddb_cap_report(rq, in, t->name, &cap, rq->out, 0);
		goto out;
	}
	if (ddb_item_load(rq, t, (unsigned char *)k.buf, k.len, &item))
		goto out;
	rq->out = cJSON_CreateObject();
	cap.table_r = ddb_rcu(item ? ddb_item_size(item) : 0, consistent);
	if (item && !ddb_item_expired(t, item, rq->now_ms))
		cJSON_AddItemToObject(rq->out, "Item", ddb_proj_apply(x.proj, item));
	ddb_cap_report(rq, in, t->name, &cap, rq->out, 0);
out:
	ddb_exprs_free(&x);
	sb_free(&k);
	cJSON_Delete(key);
	cJSON_Delete(item);
}

/* DeleteItem: TableName, Key, ConditionExpression?, ExpressionAttributeNames?,
 * ExpressionAttributeValues?, Expected?, ConditionalOperator?, ReturnValues?,
 * ReturnValuesOnConditionCheckFailure?, ReturnConsumedCapacity?, ReturnItemCollectionMetrics? */
void ddb_op_delete_item(mock_req *rq)
{
	const cJSON *in = rq->in;
	const char *name = ddb_req_table_name(rq, "TableName");
	if (!name)
		return;
	const cJSON *key_in = cJSON_GetObjectItemCaseSensitive(in, "Key");
	if (!key_in || cJSON_IsNull(key_in)) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null");
		return;
	}
	static const char *const rv_all[] = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW", NULL};
	static const char *const rvf[] = {"ALL_OLD", "NONE", NULL};
	const char *rv, *rvoc;
	if (ddb_req_common(rq, in) || ddb_req_enum(rq, in, "ReturnValues", "returnValues", rv_all, &rv) ||
	    ddb_req_enum(rq, in, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure", rvf, &rvoc))
		return;
	if (rv && strcmp(rv, "NONE") && strcmp(rv, "ALL_OLD")) {
		DDB_ERR(rq, ValidationException, "ReturnValues can only be ALL_OLD or NONE");
		return;
	}
	ddb_table *t = ddb_table_get(rq, name, 0);
	if (!t)
		return;
	cJSON *key = cJSON_Duplicate(key_in, 1);
	cJSON *old = NULL;
	ddb_exprs x;
	sb k = SB_INIT;
	memset(&x, 0, sizeof x);
	if (ddb_item_check(rq, key) || ddb_key_from_item(rq, t, key, 0, &k))
		goto out;
	if (ddb_exprs_parse(rq, in, DDB_X_COND, &x))
		goto out;
	if (ddb_item_load(rq, t, (unsigned char *)k.buf, k.len, &old))
		goto out;
	cJSON *live = ddb_item_expired(t, old, rq->now_ms) ? NULL : old;
	ddb_cap cap = {0};
	ddb_write_capacity(t, old, NULL, &cap);
	if (ddb_cond_check(rq, &x, live, rvoc))
		goto out;
	if (old && ddb_item_store(rq, t, (unsigned char *)k.buf, k.len, old, NULL))
		goto out;
	rq->out = cJSON_CreateObject();
	if (rv && !strcmp(rv, "ALL_OLD") && live)
		cJSON_AddItemToObject(rq->out, "Attributes", cJSON_Duplicate(live, 1));
	ddb_cap_report(rq, in, t->name, &cap, rq->out, 0);
	ddb_item_collection_metrics(rq, t, in, old ? old : key, rq->out);
out:
	ddb_exprs_free(&x);
	sb_free(&k);
	cJSON_Delete(key);
	cJSON_Delete(old);
}

/* UpdateItem: TableName, Key, UpdateExpression?, ConditionExpression?,
 * ExpressionAttributeNames?, ExpressionAttributeValues?, AttributeUpdates?,
 * Expected?, ConditionalOperator?, ReturnValues?, ReturnValuesOnConditionCheckFailure?,
 * ReturnConsumedCapacity?, ReturnItemCollectionMetrics? */
void ddb_op_update_item(mock_req *rq)
{
	const cJSON *in = rq->in;
	const char *name = ddb_req_table_name(rq, "TableName");
	if (!name)
		return;
	const cJSON *key_in = cJSON_GetObjectItemCaseSensitive(in, "Key");
	if (!key_in || cJSON_IsNull(key_in)) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null");
		return;
	}
	static const char *const rv_all[] = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW", NULL};
	static const char *const rvf[] = {"ALL_OLD", "NONE", NULL};
	const char *rv, *rvoc;
	if (ddb_req_common(rq, in) || ddb_req_enum(rq, in, "ReturnValues", "returnValues", rv_all, &rv) ||
	    ddb_req_enum(rq, in, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure", rvf, &rvoc))
		return;
	ddb_table *t = ddb_table_get(rq, name, 0);
	if (!t)
		return;
	cJSON *key = cJSON_Duplicate(key_in, 1);
	cJSON *old = NULL, *item = NULL;
	ddb_exprs x;
	sb k = SB_INIT;
	memset(&x, 0, sizeof x);
	if (ddb_item_check(rq, key) || ddb_key_from_item(rq, t, key, 0, &k))
		goto out;
	if (ddb_exprs_parse(rq, in, DDB_X_COND | DDB_X_UPDATE, &x))
		goto out;
	if (x.update && ddb_update_check_keys(&x, t))
		goto out;
	if (ddb_item_load(rq, t, (unsigned char *)k.buf, k.len, &old))
		goto out;
	cJSON *live = ddb_item_expired(t, old, rq->now_ms) ? NULL : old;
	if (ddb_cond_check(rq, &x, live, rvoc))
		goto out;
	if (x.update) {
		if (ddb_update_apply(&x, t, live, key, &item))
			goto out;
	} else {
		item = cJSON_Duplicate(live ? live : key, 1);
	}
	if (ddb_item_size(item) > DDB_MAX_ITEM_SIZE) {
		DDB_ERR(rq, ValidationException, "Item size to update has exceeded the maximum allowed size");
		goto out;
	}
	ddb_cap cap = {0};
	ddb_write_capacity(t, old, item, &cap);
	if (ddb_item_store(rq, t, (unsigned char *)k.buf, k.len, old, item))
		goto out;
	rq->out = cJSON_CreateObject();
	cJSON *attrs = NULL;
	if (rv && !strcmp(rv, "ALL_OLD") && live)
		attrs = cJSON_Duplicate(live, 1);
	else if (rv && !strcmp(rv, "ALL_NEW"))
		attrs = cJSON_Duplicate(item, 1);
	else if (rv && !strcmp(rv, "UPDATED_OLD") && live)
		attrs = x.update ? ddb_update_touched(&x, live) : NULL;
	else if (rv && !strcmp(rv, "UPDATED_NEW"))
		attrs = x.update ? ddb_update_touched(&x, item) : NULL;
	if (attrs && attrs->child)
		cJSON_AddItemToObject(rq->out, "Attributes", attrs);
	else
		cJSON_Delete(attrs);
	ddb_cap_report(rq, in, t->name, &cap, rq->out, 0);
	ddb_item_collection_metrics(rq, t, in, item, rq->out);
out:
	ddb_exprs_free(&x);
	sb_free(&k);
	cJSON_Delete(key);
	cJSON_Delete(old);
	cJSON_Delete(item);
}
