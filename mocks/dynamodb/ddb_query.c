/* ddb_query.c - Query and Scan as LMDB cursor walks. */
#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "common/hash.h"
#include "mocks/dynamodb/ddb_expr.h"

#define PAGE_BYTES (1024 * 1024)

enum { SEL_ALL, SEL_PROJECTED, SEL_SPECIFIC, SEL_COUNT };

typedef struct walkspec {
	ddb_table *t;
	ddb_index *ix;          /* NULL: the table */
	sb lo, hi;              /* whole-key bounds [lo, hi) */
	int has_hi;
	int reverse;
	int limit;              /* 0: none */
	int select;
	int consistent;
	int segment, segments;  /* parallel scan; segments 0: none */
	ddb_exprs *x;
} walkspec;

/* The key attributes a LastEvaluatedKey carries: the table's, plus the index's. */
static cJSON *lek_of(const walkspec *w, const cJSON *item)
{
	cJSON *k = ddb_item_key(w->t, item);
	if (w->ix) {
		const char *names[2] = {w->ix->hk.name, w->ix->rk.name};
		for (int i = 0; i < 2; i++)
			if (names[i] && !cJSON_GetObjectItemCaseSensitive(k, names[i])) {
				const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, names[i]);
				if (v)
					cJSON_AddItemToObject(k, names[i], cJSON_Duplicate(v, 1));
			}
	}
	return k;
}

/* Whole key of an ExclusiveStartKey, in the walk's database. */
static int esk_key(mock_req *rq, const walkspec *w, const cJSON *esk, sb *out)
{
	const ddb_table *t = w->t;
	int want = (t->rk.name ? 2 : 1);
	const ddb_keydef *defs[4] = {&t->hk, &t->rk, NULL, NULL};
	if (w->ix) {
		defs[2] = &w->ix->hk;
		defs[3] = &w->ix->rk;
		for (int i = 2; i < 4; i++)
			if (defs[i]->name && strcmp(defs[i]->name, t->hk.name) && (!t->rk.name || strcmp(defs[i]->name, t->rk.name)))
				want++;
	}
	if (!cJSON_IsObject(esk) || cJSON_GetArraySize(esk) != want)
		goto bad;
	for (int i = 0; i < 4; i++) {
		if (!defs[i] || !defs[i]->name)
			continue;
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(esk, defs[i]->name);
		if (!v || ddb_av_type(v) != defs[i]->type)
			goto bad;
	}
	ddb_key_tid(out, t->id, w->ix ? w->ix->iid : 0);
	if (w->ix) {
		ddb_key_enc(out, cJSON_GetObjectItemCaseSensitive(esk, w->ix->hk.name));
		if (w->ix->rk.name)
			ddb_key_enc(out, cJSON_GetObjectItemCaseSensitive(esk, w->ix->rk.name));
	}
	ddb_key_enc(out, cJSON_GetObjectItemCaseSensitive(esk, t->hk.name));
	if (t->rk.name)
		ddb_key_enc(out, cJSON_GetObjectItemCaseSensitive(esk, t->rk.name));
	return 0;
bad:
	DDB_ERR(rq, ValidationException, "The provided starting key is invalid: The provided key element does not match the schema");
	return -1;
}

/* Which segment of a parallel scan an entry belongs to: by its hash key. */
static int segment_of(const walkspec *w, const ddb_entry *e)
{
	size_t off = w->ix ? 5 : 4;
	ddb_type ht = w->ix ? w->ix->hk.type : w->t->hk.type;
	size_t n = ddb_key_comp_len(ht, e->key + off, e->keyn - off);
	uint32_t h = hash_crc32(e->key + off, n ? n : e->keyn - off);
	return (int)(h % (uint32_t)w->segments);
}

static int needs_table_fetch(const walkspec *w, const ddb_paths *proj)
{
	if (!w->ix || w->ix->gsi || w->ix->proj == DDB_PROJ_ALL)
		return 0;
	if (w->select == SEL_ALL)
		return 1;
	if (w->select != SEL_SPECIFIC || !proj)
		return 0;
	const char **names = ddb_proj_top_names(w->x, proj);
	for (const char **n = names; *n; n++) {
		int in = !strcmp(*n, w->t->hk.name) || (w->t->rk.name && !strcmp(*n, w->t->rk.name)) ||
		         !strcmp(*n, w->ix->hk.name) || (w->ix->rk.name && !strcmp(*n, w->ix->rk.name));
		for (int i = 0; !in && i < w->ix->n_nonkey; i++)
			in = !strcmp(*n, w->ix->nonkey[i]);
		if (!in)
			return 1;
	}
	return 0;
}

static void run_walk(mock_req *rq, walkspec *w, const char *table_name)
{
	ddb_state *st = ddb_st(rq->w);
	ddb_walk *wk = ddb_walk_open(rq->ar, rq->txn, w->ix ? st->index : st->items, (unsigned char *)w->lo.buf, w->lo.len,
	                             w->has_hi ? (unsigned char *)w->hi.buf : NULL, w->hi.len, w->reverse);
	int fetch = needs_table_fetch(w, w->x->proj);
	/* the stored text answers as it is when nothing reads the items */
	int raw = rq->http && !fetch && !w->x->filter && !w->x->proj && !w->t->ttl_attr && w->select != SEL_COUNT;
	rq->out = cJSON_CreateObject();
	cJSON *items = w->select == SEL_COUNT ? NULL : cJSON_AddArrayToObject(rq->out, "Items");
	int count = 0, scanned = 0, rc;
	size_t bytes = 0, fetched_bytes = 0;
	cJSON *last = NULL;    /* the last item evaluated, parsed (owned unless it went into items) */
	int last_owned = 0;
	sb last_raw = SB_INIT; /* or its text, in raw mode */
	int stopped = 0;
	ddb_entry e;
	while ((rc = ddb_walk_next(wk, &e)) == 1) {
		if (w->segments && segment_of(w, &e) != w->segment)
			continue;
		scanned++;
		bytes += e.item_size;
		if (raw) {
			count++;
			cJSON_AddItemToArray(items, ddb_raw_node(e.json, e.jsonn));
			sb_clear(&last_raw);
			sb_catn(&last_raw, e.json, e.jsonn);
		} else {
			cJSON *item = cJSON_ParseWithLength(e.json, e.jsonn);
			if (!item) {
				scanned--;
				continue;
			}
			if (ddb_item_expired(w->t, item, rq->now_ms)) {
				scanned--;
				bytes -= e.item_size;
				cJSON_Delete(item);
				continue;
			}
			if (last_owned)
				cJSON_Delete(last);
			last = item;
			last_owned = 1;
			cJSON *full = NULL;
			if (fetch) {
				sb k = SB_INIT;
				cJSON *key = ddb_item_key(w->t, item);
				if (ddb_key_from_item(rq, w->t, key, 1, &k) == 0 &&
				    ddb_item_load(rq, w->t, (unsigned char *)k.buf, k.len, &full) == 0 && full)
					fetched_bytes += ddb_item_size(full);
				cJSON_Delete(key);
				sb_free(&k);
			}
			cJSON *src = full ? full : item;
			if (!w->x->filter || ddb_cond_eval(w->x, w->x->filter, src)) {
				count++;
				if (items) {
					if (w->x->proj || full) {
						cJSON_AddItemToArray(items, ddb_proj_apply(w->x->proj, src));
					} else {
						cJSON_AddItemToArray(items, item);
						last_owned = 0;
					}
				}
			}
			cJSON_Delete(full);
		}
		if ((w->limit && scanned >= w->limit) || bytes >= PAGE_BYTES) {
			stopped = 1;
			break;
		}
	}
	ddb_walk_close(wk);
	if (rc < 0) {
		if (last_owned)
			cJSON_Delete(last);
		sb_free(&last_raw);
		mock_fail_store(rq, rc);
		return;
	}
	cJSON_AddNumberToObject(rq->out, "Count", count);
	cJSON_AddNumberToObject(rq->out, "ScannedCount", scanned);
	if (stopped) {
		cJSON *parsed = raw ? cJSON_ParseWithLength(last_raw.buf, last_raw.len) : NULL;
		const cJSON *src = raw ? parsed : last;
		if (src)
			cJSON_AddItemToObject(rq->out, "LastEvaluatedKey", lek_of(w, src));
		cJSON_Delete(parsed);
	}
	if (last_owned)
		cJSON_Delete(last);
	sb_free(&last_raw);
	ddb_cap cap = {0};
	double units = ddb_rcu(bytes, w->consistent);
	if (w->ix) {
		ddb_cap_index(&cap, w->ix, units, 0);
		if (fetch)
			cap.table_r = ddb_rcu(fetched_bytes, w->consistent);
	} else {
		cap.table_r = units;
	}
	ddb_cap_report(rq, rq->in, table_name, &cap, rq->out, 0);
}

/* Select, Limit, IndexName, ConsistentRead: what Query and Scan share. */
static int common_params(mock_req *rq, walkspec *w, int is_query)
{
	const cJSON *in = rq->in;
	static const char *const sels[] = {"ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT", NULL};
	const char *sel;
	if (ddb_req_common(rq, in) || ddb_req_enum(rq, in, "Select", "select", sels, &sel))
		return -1;
	const cJSON *lim = cJSON_GetObjectItemCaseSensitive(in, "Limit");
	if (lim && !cJSON_IsNull(lim)) {
		if (!cJSON_IsNumber(lim)) {
			mock_fail(rq, AWSERR_ANY_SerializationException, "Unexpected value type in payload");
			return -1;
		}
		if (lim->valuedouble < 1) {
			DDB_ERR(rq, ValidationException,
			        "1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
			        (int)lim->valuedouble);
			return -1;
		}
		w->limit = lim->valuedouble > 1e9 ? 1000000000 : (int)lim->valuedouble;
	}
	w->consistent = cj_bool(in, "ConsistentRead", 0);
	const char *iname = cj_str(in, "IndexName");
	if (iname) {
		w->ix = ddb_table_index(w->t, iname);
		if (!w->ix) {
			DDB_ERR(rq, ValidationException, "The table does not have the specified index: %s", iname);
			return -1;
		}
		if (w->ix->gsi && w->consistent) {
			DDB_ERR(rq, ValidationException, "Consistent reads are not supported on global secondary indexes");
			return -1;
		}
	}
	unsigned allow = DDB_X_FILTER | DDB_X_PROJ | (is_query ? DDB_X_KEY | DDB_X_QUERY : 0);
	if (ddb_exprs_parse(rq, in, allow, w->x))
		return -1;
	int has_proj = w->x->proj != NULL;
	if (!sel)
		w->select = has_proj ? SEL_SPECIFIC : w->ix ? SEL_PROJECTED : SEL_ALL;
	else
		w->select = !strcmp(sel, "ALL_ATTRIBUTES") ? SEL_ALL : !strcmp(sel, "ALL_PROJECTED_ATTRIBUTES") ? SEL_PROJECTED :
		            !strcmp(sel, "SPECIFIC_ATTRIBUTES") ? SEL_SPECIFIC : SEL_COUNT;
	if (has_proj && w->select != SEL_SPECIFIC) {
		DDB_ERR(rq, ValidationException, "Cannot specify the %s when choosing to get %s",
		        cJSON_GetObjectItemCaseSensitive(in, "ProjectionExpression") ? "ProjectionExpression" : "AttributesToGet",
		        sel);
		return -1;
	}
	if (w->select == SEL_SPECIFIC && !has_proj) {
		DDB_ERR(rq, ValidationException,
		        "SPECIFIC_ATTRIBUTES requires either ProjectionExpression or AttributesToGet");
		return -1;
	}
	if (w->select == SEL_PROJECTED && !w->ix) {
		DDB_ERR(rq, ValidationException, "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
		return -1;
	}
	if (w->select == SEL_ALL && w->ix && w->ix->gsi && w->ix->proj != DDB_PROJ_ALL) {
		DDB_ERR(rq, ValidationException,
		        DDB_INVALID "Select type ALL_ATTRIBUTES is not supported for global secondary index %s because its projection type is not ALL",
		        w->ix->name);
		return -1;
	}
	return 0;
}

static void walkspec_free(walkspec *w)
{
	sb_free(&w->lo);
	sb_free(&w->hi);
}

/* hi = the smallest key above every key starting with p */
static void set_succ(walkspec *w, const char *p, size_t n)
{
	sb_clear(&w->hi);
	sb_catn(&w->hi, p, n);
	w->hi.len = ddb_key_prefix_succ((unsigned char *)w->hi.buf, n);
	w->has_hi = w->hi.len > 0;
}

/* Query: TableName, IndexName?, KeyConditionExpression | KeyConditions,
 * FilterExpression? | QueryFilter?, ProjectionExpression? | AttributesToGet?,
 * ExpressionAttributeNames?, ExpressionAttributeValues?, Select?, Limit?,
 * ConsistentRead?, ScanIndexForward?, ExclusiveStartKey?, ConditionalOperator?,
 * ReturnConsumedCapacity? */
void ddb_op_query(mock_req *rq)
{
	const char *name = ddb_req_table_name(rq, "TableName");
	if (!name)
		return;
	walkspec w;
	ddb_exprs x;
	memset(&w, 0, sizeof w);
	memset(&x, 0, sizeof x);
	w.x = &x;
	if (!(w.t = ddb_table_get(rq, name, 0)))
		return;
	if (common_params(rq, &w, 1))
		goto out;
	ddb_keyrange kr;
	const ddb_keydef *hk = w.ix ? &w.ix->hk : &w.t->hk, *rk = w.ix ? &w.ix->rk : &w.t->rk;
	if (ddb_keycond_reduce(&x, hk, rk, &kr))
		goto out;
	/* ExecuteStatement's SELECT keeps its whole WHERE as the filter (marked by
	 * a member no SDK sends); a Query from a client may not filter on keys */
	if (x.filter && !cj_bool(rq->in, "_stepbench_partiql", 0)) {
		const ddb_keydef *keys[2] = {hk, rk};
		for (int i = 0; i < 2; i++)
			if (keys[i]->name && ddb_cond_uses_attr(x.filter, keys[i]->name)) {
				DDB_ERR(rq, ValidationException,
				        "Filter Expression can only contain non-primary key attributes: Primary key attribute: %s",
				        keys[i]->name);
				goto out;
			}
	}
	w.reverse = cj_bool(rq->in, "ScanIndexForward", 1) == 0;
	/* the partition: tid [iid] enc(hash) */
	sb p = SB_INIT;
	ddb_key_tid(&p, w.t->id, w.ix ? w.ix->iid : 0);
	ddb_key_enc(&p, kr.hash);
	sb_catn(&w.lo, p.buf, p.len);
	set_succ(&w, p.buf, p.len);
	sb b = SB_INIT;
	switch (kr.op) {
	case DDB_KR_EQ:
		sb_catn(&b, p.buf, p.len);
		ddb_key_enc(&b, kr.v1);
		sb_clear(&w.lo);
		sb_catn(&w.lo, b.buf, b.len);
		set_succ(&w, b.buf, b.len);
		break;
	case DDB_KR_LT:
	case DDB_KR_LE:
		sb_catn(&b, p.buf, p.len);
		ddb_key_enc(&b, kr.v1);
		if (kr.op == DDB_KR_LT) {
			sb_clear(&w.hi);
			sb_catn(&w.hi, b.buf, b.len);
			w.has_hi = 1;
		} else {
			set_succ(&w, b.buf, b.len);
		}
		break;
	case DDB_KR_GT:
	case DDB_KR_GE:
		sb_catn(&b, p.buf, p.len);
		ddb_key_enc(&b, kr.v1);
		sb_clear(&w.lo);
		sb_catn(&w.lo, b.buf, b.len);
		if (kr.op == DDB_KR_GT) {
			w.lo.len = ddb_key_prefix_succ((unsigned char *)w.lo.buf, w.lo.len);
		}
		break;
	case DDB_KR_BETWEEN:
		if (ddb_av_cmp(kr.v1, kr.v2) > 0) {
			DDB_ERR(rq, ValidationException,
			        "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {%s:%s}, upper bound operand: AttributeValue: {%s:%s}",
			        ddb_type_name(ddb_av_type(kr.v1)), kr.v1->child->valuestring, ddb_type_name(ddb_av_type(kr.v2)),
			        kr.v2->child->valuestring);
			sb_free(&b);
			sb_free(&p);
			goto out;
		}
		sb_catn(&b, p.buf, p.len);
		ddb_key_enc(&b, kr.v1);
		sb_clear(&w.lo);
		sb_catn(&w.lo, b.buf, b.len);
		sb_clear(&b);
		sb_catn(&b, p.buf, p.len);
		ddb_key_enc(&b, kr.v2);
		set_succ(&w, b.buf, b.len);
		break;
	case DDB_KR_BEGINS:
		sb_catn(&b, p.buf, p.len);
		ddb_key_enc_prefix(&b, kr.v1);
		sb_clear(&w.lo);
		sb_catn(&w.lo, b.buf, b.len);
		set_succ(&w, b.buf, b.len);
		break;
	default: break;
	}
	sb_free(&b);
	const cJSON *esk = cJSON_GetObjectItemCaseSensitive(rq->in, "ExclusiveStartKey");
	if (esk && !cJSON_IsNull(esk)) {
		sb k = SB_INIT;
		cJSON *esk_c = cJSON_Duplicate(esk, 1);
		int bad = ddb_item_check(rq, esk_c) || esk_key(rq, &w, esk_c, &k);
		cJSON_Delete(esk_c);
		if (!bad && (k.len < p.len || memcmp(k.buf, p.buf, p.len))) {
			DDB_ERR(rq, ValidationException, "The provided starting key is outside query boundaries based on provided conditions");
			bad = 1;
		}
		if (bad) {
			sb_free(&k);
			sb_free(&p);
			goto out;
		}
		if (w.reverse) { /* strictly below the start key */
			if (!w.has_hi || memcmp(k.buf, w.hi.buf, k.len < w.hi.len ? k.len : w.hi.len) < 0 ||
			    (k.len < w.hi.len && !memcmp(k.buf, w.hi.buf, k.len))) {
				sb_clear(&w.hi);
				sb_catn(&w.hi, k.buf, k.len);
				w.has_hi = 1;
			}
		} else { /* strictly above: the key followed by a zero byte */
			sb_catc(&k, 0);
			if (memcmp(k.buf, w.lo.buf, k.len < w.lo.len ? k.len : w.lo.len) > 0 ||
			    (k.len >= w.lo.len && !memcmp(k.buf, w.lo.buf, w.lo.len))) {
				sb_clear(&w.lo);
				sb_catn(&w.lo, k.buf, k.len);
			}
		}
		sb_free(&k);
	}
	sb_free(&p);
	run_walk(rq, &w, w.t->name);
out:
	ddb_exprs_free(&x);
	walkspec_free(&w);
}

/* Scan: TableName, IndexName?, FilterExpression? | ScanFilter?,
 * ProjectionExpression? | AttributesToGet?, ExpressionAttributeNames?,
 * ExpressionAttributeValues?, Select?, Limit?, ConsistentRead?,
 * ExclusiveStartKey?, Segment?, TotalSegments?, ConditionalOperator?,
 * ReturnConsumedCapacity? */
void ddb_op_scan(mock_req *rq)
{
	const char *name = ddb_req_table_name(rq, "TableName");
	if (!name)
		return;
	walkspec w;
	ddb_exprs x;
	memset(&w, 0, sizeof w);
	memset(&x, 0, sizeof x);
	w.x = &x;
	const cJSON *seg = cJSON_GetObjectItemCaseSensitive(rq->in, "Segment");
	const cJSON *tot = cJSON_GetObjectItemCaseSensitive(rq->in, "TotalSegments");
	if (cJSON_IsNumber(tot) && (tot->valuedouble < 1 || tot->valuedouble > 1000000)) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value '%d' at 'totalSegments' failed to satisfy constraint: Member must have value %s",
		        (int)tot->valuedouble, tot->valuedouble < 1 ? "greater than or equal to 1" : "less than or equal to 1000000");
		return;
	}
	if (cJSON_IsNumber(seg) && (seg->valuedouble < 0 || seg->valuedouble > 999999)) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value '%d' at 'segment' failed to satisfy constraint: Member must have value %s",
		        (int)seg->valuedouble, seg->valuedouble < 0 ? "greater than or equal to 0" : "less than or equal to 999999");
		return;
	}
	if (cJSON_IsNumber(seg) && !cJSON_IsNumber(tot)) {
		DDB_ERR(rq, ValidationException,
		        "The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
		return;
	}
	if (!cJSON_IsNumber(seg) && cJSON_IsNumber(tot)) {
		DDB_ERR(rq, ValidationException,
		        "The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
		return;
	}
	if (cJSON_IsNumber(seg)) {
		w.segment = (int)seg->valuedouble;
		w.segments = (int)tot->valuedouble;
		if (w.segment >= w.segments) {
			DDB_ERR(rq, ValidationException,
			        "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: %d is not less than TotalSegments: %d",
			        w.segment, w.segments);
			return;
		}
	}
	if (!(w.t = ddb_table_get(rq, name, 0)))
		return;
	if (common_params(rq, &w, 0))
		goto out;
	ddb_key_tid(&w.lo, w.t->id, w.ix ? w.ix->iid : 0);
	set_succ(&w, w.lo.buf, w.lo.len);
	const cJSON *esk = cJSON_GetObjectItemCaseSensitive(rq->in, "ExclusiveStartKey");
	if (esk && !cJSON_IsNull(esk)) {
		sb k = SB_INIT;
		cJSON *esk_c = cJSON_Duplicate(esk, 1);
		int bad = ddb_item_check(rq, esk_c) || esk_key(rq, &w, esk_c, &k);
		cJSON_Delete(esk_c);
		if (bad) {
			sb_free(&k);
			goto out;
		}
		sb_catc(&k, 0);
		sb_clear(&w.lo);
		sb_catn(&w.lo, k.buf, k.len);
		sb_free(&k);
	}
	run_walk(rq, &w, w.t->name);
out:
	ddb_exprs_free(&x);
	walkspec_free(&w);
}
