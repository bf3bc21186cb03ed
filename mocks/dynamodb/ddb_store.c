/* ddb_store.c - items in LMDB: keys from items, loads, writes that keep indexes in step, capacity. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/cj.h"
#include "mocks/dynamodb/ddb_int.h"

#define MAX_HASH_KEY 2048
#define MAX_RANGE_KEY 1024

/* ======================================================================
 * Keys
 * ====================================================================== */

static size_t key_bytes(const cJSON *av) { return ddb_av_size(av); }

static int key_attr(mock_req *rq, const ddb_keydef *d, const cJSON *item, int is_item, int is_range, sb *out)
{
	const cJSON *av = cJSON_GetObjectItemCaseSensitive(item, d->name);
	if (!av) {
		if (is_item)
			DDB_ERR(rq, ValidationException, DDB_INVALID "Missing the key %s in the item", d->name);
		else
			DDB_ERR(rq, ValidationException, "The provided key element does not match the schema");
		return -1;
	}
	ddb_type t = ddb_av_type(av);
	if (t != d->type) {
		if (is_item)
			DDB_ERR(rq, ValidationException, DDB_INVALID "Type mismatch for key %s expected: %s actual: %s", d->name,
			        ddb_type_name(d->type), ddb_type_name(t));
		else
			DDB_ERR(rq, ValidationException, "The provided key element does not match the schema");
		return -1;
	}
	size_t n = key_bytes(av);
	if (n == 0 && t != DDB_T_N) {
		DDB_ERR(rq, ValidationException,
		        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty %s value. Key: %s",
		        t == DDB_T_S ? "string" : "binary", d->name);
		return -1;
	}
	if (!is_range && n > MAX_HASH_KEY) {
		DDB_ERR(rq, ValidationException,
		        DDB_INVALID "Size of hashkey has exceeded the maximum size limit of2048 bytes");
		return -1;
	}
	if (is_range && n > MAX_RANGE_KEY) {
		DDB_ERR(rq, ValidationException,
		        DDB_INVALID "Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
		return -1;
	}
	ddb_key_enc(out, av);
	return 0;
}

int ddb_key_from_item(mock_req *rq, const ddb_table *t, const cJSON *item, int is_item, sb *out)
{
	ddb_key_tid(out, t->id, 0);
	if (!is_item) {
		int n = cJSON_GetArraySize(item);
		if (n != (t->rk.name ? 2 : 1)) {
			DDB_ERR(rq, ValidationException, "The provided key element does not match the schema");
			return -1;
		}
	}
	if (key_attr(rq, &t->hk, item, is_item, 0, out))
		return -1;
	if (t->rk.name && key_attr(rq, &t->rk, item, is_item, 1, out))
		return -1;
	return 0;
}

cJSON *ddb_item_key(const ddb_table *t, const cJSON *item)
{
	cJSON *k = cJSON_CreateObject();
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(item, t->hk.name);
	if (h)
		cJSON_AddItemToObject(k, t->hk.name, cJSON_Duplicate(h, 1));
	if (t->rk.name) {
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(item, t->rk.name);
		if (r)
			cJSON_AddItemToObject(k, t->rk.name, cJSON_Duplicate(r, 1));
	}
	return k;
}

int ddb_item_expired(const ddb_table *t, const cJSON *item, int64_t now_ms)
{
	if (!t->ttl_attr || !item)
		return 0;
	const cJSON *av = cJSON_GetObjectItemCaseSensitive(item, t->ttl_attr);
	if (ddb_av_type(av) != DDB_T_N)
		return 0;
	double secs = strtod(av->child->valuestring, NULL);
	/* DynamoDB ignores TTL values more than five years in the past */
	double now = (double)now_ms / 1000.0;
	return secs < now && secs > now - 5.0 * 365 * 86400;
}

/* ======================================================================
 * Loads and stores
 * ====================================================================== */

int ddb_item_load_raw(mock_req *rq, const unsigned char *k, size_t kn, const char **json, size_t *jl,
                      size_t *size)
{
	unsigned char sk[STORE_MAX_KEY];
	size_t skn = ddb_key_stored(k, kn, sk);
	store_val v;
	*json = NULL;
	*jl = 0;
	int rc = store_get(rq->txn, ddb_st(rq->w)->items, sk, skn, &v);
	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc) {
		mock_fail_store(rq, rc);
		return -1;
	}
	const unsigned char *full;
	size_t fulln;
	if (ddb_val_parse(v.data, v.len, &full, &fulln, size, json, jl)) {
		mock_fail(rq, AWSERR_ANY_InternalFailure, "corrupt item record");
		return -1;
	}
	if (full && (fulln != kn || memcmp(full, k, kn))) {
		*json = NULL; /* another key with the same prefix and hash: cannot happen short of a SHA-256 collision */
		*jl = 0;
	}
	return 0;
}

cJSON *ddb_raw_node(const char *json, size_t n)
{
	cJSON *r = cJSON_CreateRaw("");
	cJSON_free(r->valuestring);
	char *copy = cJSON_malloc(n + 1);
	memcpy(copy, json, n);
	copy[n] = 0;
	r->valuestring = copy;
	return r;
}

int ddb_item_load(mock_req *rq, const ddb_table *t, const unsigned char *k, size_t kn, cJSON **item)
{
	(void)t;
	const char *json;
	size_t jl, size;
	*item = NULL;
	if (ddb_item_load_raw(rq, k, kn, &json, &jl, &size))
		return -1;
	if (!json)
		return 0;
	*item = cJSON_ParseWithLength(json, jl);
	if (!*item) {
		mock_fail(rq, AWSERR_ANY_InternalFailure, "corrupt item record");
		return -1;
	}
	return 0;
}

/* The index's whole key for item, or 0 when the item is not in the index
 * (an index key attribute absent). Fails rq on a type mismatch. */
static int index_key(mock_req *rq, const ddb_table *t, const ddb_index *ix, const cJSON *item,
                     const unsigned char *k, size_t kn, sb *out)
{
	const ddb_keydef *defs[2] = {&ix->hk, &ix->rk};
	const cJSON *vals[2] = {NULL, NULL};
	for (int i = 0; i < 2; i++) {
		if (!defs[i]->name)
			continue;
		vals[i] = cJSON_GetObjectItemCaseSensitive(item, defs[i]->name);
		if (!vals[i])
			return 0;
		ddb_type ty = ddb_av_type(vals[i]);
		if (ty != defs[i]->type) {
			DDB_ERR(rq, ValidationException,
			        DDB_INVALID "Type mismatch for Index Key %s Expected: %s Actual: %s IndexName: %s",
			        defs[i]->name, ddb_type_name(defs[i]->type), ddb_type_name(ty), ix->name);
			return -1;
		}
		if (ty != DDB_T_N && ddb_av_size(vals[i]) == 0) {
			DDB_ERR(rq, ValidationException,
			        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty %s value. IndexName: %s, IndexKey: %s",
			        ty == DDB_T_S ? "string" : "binary", ix->name, defs[i]->name);
			return -1;
		}
	}
	ddb_key_tid(out, t->id, ix->iid);
	for (int i = 0; i < 2; i++)
		if (vals[i])
			ddb_key_enc(out, vals[i]);
	sb_catn(out, (const char *)k + 4, kn - 4);
	return 1;
}

static int has_name(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return 1;
	return 0;
}

/* The attributes of item an index holds (new tree). */
static cJSON *project(const ddb_table *t, const ddb_index *ix, const cJSON *item)
{
	if (ix->proj == DDB_PROJ_ALL)
		return cJSON_Duplicate(item, 1);
	cJSON *o = cJSON_CreateObject();
	for (const cJSON *a = item->child; a; a = a->next) {
		const char *n = a->string;
		if (!strcmp(n, t->hk.name) || (t->rk.name && !strcmp(n, t->rk.name)) || !strcmp(n, ix->hk.name) ||
		    (ix->rk.name && !strcmp(n, ix->rk.name)) ||
		    (ix->proj == DDB_PROJ_INCLUDE && has_name(ix->nonkey, ix->n_nonkey, n)))
			cJSON_AddItemToObject(o, n, cJSON_Duplicate(a, 1));
	}
	return o;
}

static int put_record(mock_req *rq, store_db db, const unsigned char *k, size_t kn, const cJSON *item,
                      const sb *built)
{
	sb v = SB_INIT;
	if (built) {
		v = *built; /* borrowed: not freed here */
	} else {
		char *json = cJSON_PrintUnformatted(item);
		ddb_val_build(&v, k, kn, ddb_item_size(item), json, strlen(json));
		cJSON_free(json);
	}
	unsigned char sk[STORE_MAX_KEY];
	size_t skn = ddb_key_stored(k, kn, sk);
	int rc = store_put(rq->txn, db, sk, skn, v.buf, v.len, 0);
	if (!built)
		sb_free(&v);
	if (rc) {
		mock_fail_store(rq, rc);
		return -1;
	}
	return 0;
}

static int del_record(mock_req *rq, store_db db, const unsigned char *k, size_t kn)
{
	unsigned char sk[STORE_MAX_KEY];
	size_t skn = ddb_key_stored(k, kn, sk);
	int rc = store_del(rq->txn, db, sk, skn);
	if (rc && rc != STORE_NOTFOUND) {
		mock_fail_store(rq, rc);
		return -1;
	}
	return 0;
}

int ddb_item_store(mock_req *rq, const ddb_table *t, const unsigned char *k, size_t kn, const cJSON *old,
                   const cJSON *newi)
{
	return ddb_item_store_built(rq, t, k, kn, old, newi, NULL);
}

int ddb_item_store_built(mock_req *rq, const ddb_table *t, const unsigned char *k, size_t kn, const cJSON *old,
                         const cJSON *newi, const sb *built)
{
	ddb_state *st = ddb_st(rq->w);
	/* index keys first: a type mismatch must fail before anything is written */
	int n = t->n_idx;
	sb *oldk = n ? arena_calloc(rq->ar, (size_t)n * sizeof *oldk) : NULL;
	sb *newk = n ? arena_calloc(rq->ar, (size_t)n * sizeof *newk) : NULL;
	int *has_old = n ? arena_calloc(rq->ar, (size_t)n * sizeof *has_old) : NULL;
	int *has_new = n ? arena_calloc(rq->ar, (size_t)n * sizeof *has_new) : NULL;
	int rc = 0;
	for (int i = 0; i < n && !rc; i++) {
		/* an old item was valid when written: no error can come from it */
		if (old)
			has_old[i] = index_key(rq, t, &t->idx[i], old, k, kn, &oldk[i]) == 1;
		if (newi) {
			int r = index_key(rq, t, &t->idx[i], newi, k, kn, &newk[i]);
			if (r < 0)
				rc = -1;
			has_new[i] = r == 1;
		}
	}
	if (!rc)
		rc = newi ? put_record(rq, st->items, k, kn, newi, built) : del_record(rq, st->items, k, kn);
	for (int i = 0; i < n && !rc; i++) {
		if (has_old[i] && !(has_new[i] && oldk[i].len == newk[i].len && !memcmp(oldk[i].buf, newk[i].buf, oldk[i].len)))
			rc = del_record(rq, st->index, (unsigned char *)oldk[i].buf, oldk[i].len);
		if (!rc && has_new[i]) {
			cJSON *p = project(t, &t->idx[i], newi);
			rc = put_record(rq, st->index, (unsigned char *)newk[i].buf, newk[i].len, p, NULL);
			cJSON_Delete(p);
		}
	}
	for (int i = 0; i < n; i++) {
		sb_free(&oldk[i]);
		sb_free(&newk[i]);
	}
	return rc;
}

/* ======================================================================
 * Capacity (DynamoDB's rules: writes in 1 KB units, reads in 4 KB units,
 * eventually consistent reads at half)
 * ====================================================================== */

double ddb_wcu(size_t size)
{
	double u = ceil((double)size / 1024.0);
	return u < 1 ? 1 : u;
}

double ddb_rcu(size_t size, int consistent)
{
	double u = ceil((double)size / 4096.0);
	if (u < 1)
		u = 1;
	return consistent ? u : u / 2;
}

void ddb_cap_index(ddb_cap *c, const ddb_index *ix, double read, double write)
{
	const char *name = ix->name;
	for (int i = 0; i < c->n_idx; i++)
		if (!strcmp(c->idx_name[i], name)) {
			c->idx_r[i] += read;
			c->idx_w[i] += write;
			return;
		}
	if (c->n_idx < 64) {
		c->idx_name[c->n_idx] = name;
		c->idx_lsi[c->n_idx] = !ix->gsi;
		c->idx_r[c->n_idx] = read;
		c->idx_w[c->n_idx] = write;
		c->n_idx++;
	}
}

cJSON *ddb_cap_json(const cJSON *in, const char *table, const ddb_cap *c)
{
	const char *mode = cj_str(in, "ReturnConsumedCapacity");
	int indexes = mode && !strcmp(mode, "INDEXES");
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "TableName", table);
	double total = c->table_r + c->table_w, tr = c->table_r, tw = c->table_w;
	double ir = 0, iw = 0;
	for (int i = 0; i < c->n_idx; i++) {
		ir += c->idx_r[i];
		iw += c->idx_w[i];
	}
	total += ir + iw;
	cJSON_AddNumberToObject(o, "CapacityUnits", total);
	if (tr + ir > 0)
		cJSON_AddNumberToObject(o, "ReadCapacityUnits", tr + ir);
	if (tw + iw > 0)
		cJSON_AddNumberToObject(o, "WriteCapacityUnits", tw + iw);
	if (indexes) {
		cJSON *t = cJSON_AddObjectToObject(o, "Table");
		cJSON_AddNumberToObject(t, "CapacityUnits", tr + tw);
		if (tr > 0)
			cJSON_AddNumberToObject(t, "ReadCapacityUnits", tr);
		if (tw > 0)
			cJSON_AddNumberToObject(t, "WriteCapacityUnits", tw);
		cJSON *l = NULL, *g = NULL;
		for (int i = 0; i < c->n_idx; i++) {
			const char *n = c->idx_name[i];
			int lsi = c->idx_lsi[i];
			cJSON **dst = lsi ? &l : &g;
			if (!*dst)
				*dst = cJSON_AddObjectToObject(o, lsi ? "LocalSecondaryIndexes" : "GlobalSecondaryIndexes");
			cJSON *x = cJSON_AddObjectToObject(*dst, n);
			cJSON_AddNumberToObject(x, "CapacityUnits", c->idx_r[i] + c->idx_w[i]);
			if (c->idx_r[i] > 0)
				cJSON_AddNumberToObject(x, "ReadCapacityUnits", c->idx_r[i]);
			if (c->idx_w[i] > 0)
				cJSON_AddNumberToObject(x, "WriteCapacityUnits", c->idx_w[i]);
		}
	}
	return o;
}

void ddb_cap_report(mock_req *rq, const cJSON *in, const char *table, const ddb_cap *c, cJSON *out, int as_array)
{
	(void)rq;
	const char *mode = cj_str(in, "ReturnConsumedCapacity");
	if (!mode || (strcmp(mode, "TOTAL") && strcmp(mode, "INDEXES")))
		return;
	cJSON *o = ddb_cap_json(in, table, c);
	if (as_array) {
		cJSON *a = cJSON_GetObjectItemCaseSensitive(out, "ConsumedCapacity");
		if (!a)
			a = cJSON_AddArrayToObject(out, "ConsumedCapacity");
		cJSON_AddItemToArray(a, o);
	} else {
		cJSON_AddItemToObject(out, "ConsumedCapacity", o);
	}
}
