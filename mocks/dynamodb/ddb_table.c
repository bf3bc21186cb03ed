/* ddb_table.c - the control plane: tables, indexes, TTL, tags. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "mocks/dynamodb/ddb_int.h"

#define TID_KEY "\x01tid"
#define MAX_LSI 5
#define MAX_GSI 20

/* ======================================================================
 * Table records
 *
 * A record is {"id": n, "desc": <static TableDescription>, "ttl": {...},
 * "tags": [...], "next_iid": n}. ItemCount and sizes are computed when
 * described.
 * ====================================================================== */

cJSON *ddb_table_record(mock_req *rq, const char *name)
{
	store_val v;
	if (!name || !*name || store_get(rq->txn, ddb_st(rq->w)->tables, name, strlen(name), &v))
		return NULL;
	return cJSON_ParseWithLength(v.data, v.len);
}

int ddb_table_record_put(mock_req *rq, const char *name, const cJSON *rec)
{
	char *txt = cJSON_PrintUnformatted(rec);
	int rc = store_put(rq->txn, ddb_st(rq->w)->tables, name, strlen(name), txt, strlen(txt), 0);
	cJSON_free(txt);
	if (rc) {
		mock_fail_store(rq, rc);
		return -1;
	}
	return 0;
}

static void keydefs(arena *ar, const cJSON *desc, const cJSON *ks, ddb_keydef *hk, ddb_keydef *rk)
{
	hk->name = rk->name = NULL;
	hk->type = rk->type = DDB_T_NONE;
	const cJSON *defs = cj_arr(desc, "AttributeDefinitions");
	for (const cJSON *e = ks ? ks->child : NULL; e; e = e->next) {
		const char *n = cj_str(e, "AttributeName");
		const char *kt = cj_str(e, "KeyType");
		if (!n || !kt)
			continue;
		ddb_keydef *d = !strcmp(kt, "HASH") ? hk : rk;
		d->name = arena_strdup(ar, n);
		for (const cJSON *a = defs ? defs->child : NULL; a; a = a->next)
			if (cj_str(a, "AttributeName") && !strcmp(cj_str(a, "AttributeName"), n))
				d->type = ddb_type_parse(cj_str(a, "AttributeType"));
	}
}

static void load_indexes(arena *ar, const cJSON *desc, const char *member, int gsi, ddb_table *t)
{
	const cJSON *arr = cj_arr(desc, member);
	for (const cJSON *x = arr ? arr->child : NULL; x; x = x->next) {
		ddb_index *ix = &t->idx[t->n_idx++];
		memset(ix, 0, sizeof *ix);
		ix->name = arena_strdup(ar, cj_str(x, "IndexName") ? cj_str(x, "IndexName") : "");
		ix->gsi = gsi;
		ix->iid = (unsigned)cj_num(x, "_iid", 0);
		keydefs(ar, desc, cj_arr(x, "KeySchema"), &ix->hk, &ix->rk);
		const cJSON *p = cj_obj(x, "Projection");
		const char *pt = cj_str(p, "ProjectionType");
		ix->proj = !pt || !strcmp(pt, "ALL") ? DDB_PROJ_ALL : !strcmp(pt, "KEYS_ONLY") ? DDB_PROJ_KEYS_ONLY : DDB_PROJ_INCLUDE;
		const cJSON *nk = cj_arr(p, "NonKeyAttributes");
		int n = cJSON_GetArraySize(nk);
		ix->nonkey = arena_calloc(ar, (size_t)(n + 1) * sizeof *ix->nonkey);
		for (const cJSON *e = nk ? nk->child : NULL; e; e = e->next)
			if (cJSON_IsString(e))
				ix->nonkey[ix->n_nonkey++] = arena_strdup(ar, e->valuestring);
	}
}

static ddb_table *table_from_record(mock_req *rq, const cJSON *rec)
{
	ddb_table *t = arena_calloc(rq->ar, sizeof *t);
	const cJSON *desc = cj_obj(rec, "desc");
	t->name = arena_strdup(rq->ar, cj_str(desc, "TableName") ? cj_str(desc, "TableName") : "");
	t->id = (uint32_t)cj_num(rec, "id", 0);
	t->arn = arena_strdup(rq->ar, cj_str(desc, "TableArn") ? cj_str(desc, "TableArn") : "");
	t->deletion_protection = cj_bool(desc, "DeletionProtectionEnabled", 0);
	keydefs(rq->ar, desc, cj_arr(desc, "KeySchema"), &t->hk, &t->rk);
	int n = cJSON_GetArraySize(cj_arr(desc, "LocalSecondaryIndexes")) +
	        cJSON_GetArraySize(cj_arr(desc, "GlobalSecondaryIndexes"));
	t->idx = arena_calloc(rq->ar, (size_t)(n + 1) * sizeof *t->idx);
	load_indexes(rq->ar, desc, "LocalSecondaryIndexes", 0, t);
	load_indexes(rq->ar, desc, "GlobalSecondaryIndexes", 1, t);
	const cJSON *ttl = cj_obj(rec, "ttl");
	if (ttl && cj_bool(ttl, "Enabled", 0) && cj_str(ttl, "AttributeName"))
		t->ttl_attr = arena_strdup(rq->ar, cj_str(ttl, "AttributeName"));
	return t;
}

ddb_table *ddb_table_get(mock_req *rq, const char *name, int describe_style)
{
	cJSON *rec = ddb_table_record(rq, name);
	if (!rec) {
		if (describe_style)
			DDB_ERR(rq, ResourceNotFoundException, "Requested resource not found: Table: %s not found", name);
		else
			DDB_ERR(rq, ResourceNotFoundException, "Requested resource not found");
		return NULL;
	}
	ddb_table *t = table_from_record(rq, rec);
	cJSON_Delete(rec);
	return t;
}

ddb_index *ddb_table_index(ddb_table *t, const char *name)
{
	for (int i = 0; i < t->n_idx; i++)
		if (!strcmp(t->idx[i].name, name))
			return &t->idx[i];
	return NULL;
}

/* ======================================================================
 * Request validation in Coral's style ("1 validation error detected: ...")
 * ====================================================================== */

typedef struct verrs {
	sb msg;
	int n;
} verrs;

static void verr(verrs *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void verr(verrs *v, const char *fmt, ...)
{
	if (v->n++)
		sb_cat(&v->msg, "; ");
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&v->msg, fmt, ap);
	va_end(ap);
}

static int verr_flush(mock_req *rq, verrs *v)
{
	if (!v->n) {
		sb_free(&v->msg);
		return 0;
	}
	DDB_ERR(rq, ValidationException, "%d validation error%s detected: %s", v->n, v->n > 1 ? "s" : "",
	        sb_str(&v->msg));
	sb_free(&v->msg);
	return -1;
}

static void check_name(verrs *v, const char *name, const char *field, int min, int max)
{
	size_t n = strlen(name);
	if ((int)n < min)
		verr(v, "Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d",
		     name, field, min);
	if ((int)n > max)
		verr(v, "Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d",
		     name, field, max);
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.') {
			verr(v, "Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
			     name, field);
			break;
		}
}

const char *ddb_req_table_name(mock_req *rq, const char *member)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(rq->in, member);
	verrs v = {SB_INIT, 0};
	const char *field = member[0] == 'T' ? "tableName" : "resourceArn";
	if (!n || cJSON_IsNull(n)) {
		verr(&v, "Value null at '%s' failed to satisfy constraint: Member must not be null", field);
	} else if (!cJSON_IsString(n)) {
		mock_fail(rq, AWSERR_ANY_SerializationException, "Unexpected value type in payload");
		sb_free(&v.msg);
		return NULL;
	} else if (member[0] == 'T') {
		check_name(&v, n->valuestring, field, 3, 255);
	}
	if (verr_flush(rq, &v))
		return NULL;
	return n->valuestring;
}

/* ======================================================================
 * CreateTable
 * ====================================================================== */

static const char *attr_type(const cJSON *defs, const char *name)
{
	for (const cJSON *a = defs ? defs->child : NULL; a; a = a->next)
		if (cj_str(a, "AttributeName") && !strcmp(cj_str(a, "AttributeName"), name))
			return cj_str(a, "AttributeType");
	return NULL;
}

/* Check a KeySchema (table's or index's): HASH first, optional RANGE. */
static int check_keyschema(mock_req *rq, const cJSON *ks, const char *field, verrs *v)
{
	if (!ks || cJSON_IsNull(ks)) {
		verr(v, "Value null at '%s' failed to satisfy constraint: Member must not be null", field);
		return 0;
	}
	if (!cJSON_IsArray(ks)) {
		mock_fail(rq, AWSERR_ANY_SerializationException, "Unexpected value type in payload");
		return -1;
	}
	int n = cJSON_GetArraySize(ks);
	if (n < 1)
		verr(v, "Value '[]' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", field);
	if (n > 2)
		verr(v, "Value at '%s' failed to satisfy constraint: Member must have length less than or equal to 2", field);
	int i = 0;
	for (const cJSON *e = ks->child; e; e = e->next, i++) {
		const char *kt = cj_str(e, "KeyType");
		if (!cj_str(e, "AttributeName"))
			verr(v, "Value null at '%s.%d.member.attributeName' failed to satisfy constraint: Member must not be null", field, i + 1);
		if (!kt)
			verr(v, "Value null at '%s.%d.member.keyType' failed to satisfy constraint: Member must not be null", field, i + 1);
		else if (strcmp(kt, "HASH") && strcmp(kt, "RANGE"))
			verr(v, "Value '%s' at '%s.%d.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]",
			     kt, field, i + 1);
	}
	return 0;
}

static int keyschema_semantics(mock_req *rq, const cJSON *ks, const char *what)
{
	const cJSON *a = ks->child, *b = a ? a->next : NULL;
	if (strcmp(cj_str(a, "KeyType"), "HASH")) {
		DDB_ERR(rq, ValidationException, "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
		return -1;
	}
	if (b && strcmp(cj_str(b, "KeyType"), "RANGE")) {
		DDB_ERR(rq, ValidationException, "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
		return -1;
	}
	if (b && !strcmp(cj_str(a, "AttributeName"), cj_str(b, "AttributeName"))) {
		DDB_ERR(rq, ValidationException,
		        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
		return -1;
	}
	(void)what;
	return 0;
}

static int check_projection(mock_req *rq, const cJSON *p, const char *iname)
{
	if (!cJSON_IsObject(p)) {
		DDB_ERR(rq, ValidationException, DDB_INVALID "Projection must be specified for index: %s", iname);
		return -1;
	}
	const char *pt = cj_str(p, "ProjectionType");
	const cJSON *nk = cj_arr(p, "NonKeyAttributes");
	if (!pt) {
		DDB_ERR(rq, ValidationException, DDB_INVALID "Unknown ProjectionType: null");
		return -1;
	}
	if (strcmp(pt, "ALL") && strcmp(pt, "KEYS_ONLY") && strcmp(pt, "INCLUDE")) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value '%s' at 'projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]",
		        pt);
		return -1;
	}
	if (strcmp(pt, "INCLUDE") && nk) {
		DDB_ERR(rq, ValidationException, DDB_INVALID "ProjectionType is %s, but NonKeyAttributes is specified", pt);
		return -1;
	}
	if (!strcmp(pt, "INCLUDE") && cJSON_GetArraySize(nk) == 0) {
		DDB_ERR(rq, ValidationException,
		        DDB_INVALID "NonKeyAttributes must not be empty when ProjectionType is INCLUDE");
		return -1;
	}
	return 0;
}

static int check_throughput(mock_req *rq, const cJSON *pt, int pay_per_request, const char *iname)
{
	if (pay_per_request) {
		if (pt) {
			DDB_ERR(rq, ValidationException,
			        DDB_INVALID "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
			return -1;
		}
		return 0;
	}
	if (!pt) {
		if (iname)
			DDB_ERR(rq, ValidationException, DDB_INVALID "ProvisionedThroughput must be specified for index: %s", iname);
		else
			DDB_ERR(rq, ValidationException, "No provisioned throughput specified for the table");
		return -1;
	}
	double r = cj_num(pt, "ReadCapacityUnits", -1), w = cj_num(pt, "WriteCapacityUnits", -1);
	if (r < 1 || w < 1) {
		DDB_ERR(rq, ValidationException,
		        DDB_INVALID "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
		return -1;
	}
	return 0;
}

static cJSON *throughput_desc(const cJSON *pt)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "NumberOfDecreasesToday", 0);
	cJSON_AddNumberToObject(o, "ReadCapacityUnits", pt ? cj_num(pt, "ReadCapacityUnits", 0) : 0);
	cJSON_AddNumberToObject(o, "WriteCapacityUnits", pt ? cj_num(pt, "WriteCapacityUnits", 0) : 0);
	return o;
}

/* Validate one index definition and append its description to arr. used
 * collects attribute names the key schemas need. */
static int add_index(mock_req *rq, const cJSON *x, int gsi, const cJSON *defs, const cJSON *table_ks,
                     int pay_per_request, const char *tarn, unsigned iid, cJSON *arr, sb *used)
{
	const char *name = cj_str(x, "IndexName");
	verrs v = {SB_INIT, 0};
	if (!name)
		verr(&v, "Value null at 'indexName' failed to satisfy constraint: Member must not be null");
	else
		check_name(&v, name, "indexName", 3, 255);
	const cJSON *ks = cj_arr(x, "KeySchema");
	if (check_keyschema(rq, cJSON_GetObjectItemCaseSensitive(x, "KeySchema"), "keySchema", &v) ||
	    verr_flush(rq, &v))
		return -1;
	if (keyschema_semantics(rq, ks, "index"))
		return -1;
	for (const cJSON *a = arr->child; a; a = a->next)
		if (!strcmp(cj_str(a, "IndexName"), name)) {
			DDB_ERR(rq, ValidationException, DDB_INVALID "Duplicate index name: %s", name);
			return -1;
		}
	if (!gsi) {
		const char *th = cj_str(table_ks->child, "AttributeName");
		if (!table_ks->child->next) {
			DDB_ERR(rq, ValidationException,
			        DDB_INVALID "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
			return -1;
		}
		if (strcmp(cj_str(ks->child, "AttributeName"), th)) {
			DDB_ERR(rq, ValidationException,
			        DDB_INVALID "Index KeySchema does not have the same leading hash key as table KeySchema for index: %s. index hash key: %s, table hash key: %s",
			        name, cj_str(ks->child, "AttributeName"), th);
			return -1;
		}
		if (!ks->child->next) {
			DDB_ERR(rq, ValidationException, DDB_INVALID "Index KeySchema does not have a range key for index: %s", name);
			return -1;
		}
	}
	if (check_projection(rq, cj_obj(x, "Projection"), name))
		return -1;
	if (gsi && check_throughput(rq, cj_obj(x, "ProvisionedThroughput"), pay_per_request, name))
		return -1;
	for (const cJSON *e = ks->child; e; e = e->next) {
		sb_cat(used, cj_str(e, "AttributeName"));
		sb_catc(used, '\n');
	}
	(void)defs;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "IndexName", name);
	cJSON_AddItemToObject(d, "KeySchema", cJSON_Duplicate(ks, 1));
	cJSON *proj = cJSON_AddObjectToObject(d, "Projection");
	const cJSON *p = cj_obj(x, "Projection");
	cJSON_AddStringToObject(proj, "ProjectionType", cj_str(p, "ProjectionType"));
	if (cj_arr(p, "NonKeyAttributes"))
		cJSON_AddItemToObject(proj, "NonKeyAttributes", cJSON_Duplicate(cj_arr(p, "NonKeyAttributes"), 1));
	if (gsi) {
		cJSON_AddStringToObject(d, "IndexStatus", "ACTIVE");
		cJSON_AddItemToObject(d, "ProvisionedThroughput", throughput_desc(cj_obj(x, "ProvisionedThroughput")));
	}
	char *iarn = arena_printf(rq->ar, "%s/index/%s", tarn, name);
	cJSON_AddStringToObject(d, "IndexArn", iarn);
	cJSON_AddNumberToObject(d, "_iid", iid);
	cJSON_AddItemToArray(arr, d);
	return 0;
}

/* Every key attribute must be defined, and every definition used. */
static int check_definitions(mock_req *rq, const cJSON *defs, const char *used)
{
	sb missing = SB_INIT;
	int nmissing = 0;
	for (const char *p = used; *p;) {
		const char *nl = strchr(p, '\n');
		char *name = arena_strndup(rq->ar, p, (size_t)(nl - p));
		if (!attr_type(defs, name)) {
			if (nmissing++)
				sb_cat(&missing, ", ");
			sb_cat(&missing, name);
		}
		p = nl + 1;
	}
	if (nmissing) {
		sb names = SB_INIT;
		for (const cJSON *a = defs->child; a; a = a->next) {
			if (a != defs->child)
				sb_cat(&names, ", ");
			sb_cat(&names, cj_str(a, "AttributeName") ? cj_str(a, "AttributeName") : "null");
		}
		DDB_ERR(rq, ValidationException,
		        DDB_INVALID "Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]",
		        sb_str(&missing), sb_str(&names));
		sb_free(&names);
		sb_free(&missing);
		return -1;
	}
	sb_free(&missing);
	for (const cJSON *a = defs->child; a; a = a->next) {
		const char *n = cj_str(a, "AttributeName");
		int found = 0;
		for (const char *p = used; *p && !found;) {
			const char *nl = strchr(p, '\n');
			found = (size_t)(nl - p) == strlen(n) && !strncmp(p, n, (size_t)(nl - p));
			p = nl + 1;
		}
		if (!found) {
			DDB_ERR(rq, ValidationException,
			        DDB_INVALID "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
			return -1;
		}
	}
	return 0;
}

static uint32_t next_table_id(mock_req *rq)
{
	store_val v;
	uint32_t id = 1;
	ddb_state *st = ddb_st(rq->w);
	if (!store_get(rq->txn, st->meta, TID_KEY, sizeof TID_KEY - 1, &v) && v.len == 4) {
		const unsigned char *p = v.data;
		id = ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]) + 1;
	}
	unsigned char b[4] = {(unsigned char)(id >> 24), (unsigned char)(id >> 16), (unsigned char)(id >> 8),
	                      (unsigned char)id};
	store_put(rq->txn, st->meta, TID_KEY, sizeof TID_KEY - 1, b, 4, 0);
	return id;
}

/* CreateTable: TableName, KeySchema, AttributeDefinitions, BillingMode?,
 * ProvisionedThroughput?, LocalSecondaryIndexes?, GlobalSecondaryIndexes?,
 * StreamSpecification?, SSESpecification?, Tags?, TableClass?, DeletionProtectionEnabled? */
void ddb_op_create_table(mock_req *rq)
{
	const cJSON *in = rq->in;
	verrs v = {SB_INIT, 0};
	const cJSON *tn = cJSON_GetObjectItemCaseSensitive(in, "TableName");
	if (!cJSON_IsString(tn))
		verr(&v, "Value null at 'tableName' failed to satisfy constraint: Member must not be null");
	else
		check_name(&v, tn->valuestring, "tableName", 3, 255);
	const cJSON *defs = cJSON_GetObjectItemCaseSensitive(in, "AttributeDefinitions");
	if (!cJSON_IsArray(defs))
		verr(&v, "Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null");
	else {
		int i = 1;
		for (const cJSON *a = defs->child; a; a = a->next, i++) {
			const char *at = cj_str(a, "AttributeType");
			if (!at)
				verr(&v, "Value null at 'attributeDefinitions.%d.member.attributeType' failed to satisfy constraint: Member must not be null", i);
			else if (strcmp(at, "S") && strcmp(at, "N") && strcmp(at, "B"))
				verr(&v, "Value '%s' at 'attributeDefinitions.%d.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
				     at, i);
			if (!cj_str(a, "AttributeName"))
				verr(&v, "Value null at 'attributeDefinitions.%d.member.attributeName' failed to satisfy constraint: Member must not be null", i);
		}
	}
	const cJSON *ks = cJSON_GetObjectItemCaseSensitive(in, "KeySchema");
	if (check_keyschema(rq, ks, "keySchema", &v))
		return;
	const char *bm = cj_str(in, "BillingMode");
	if (bm && strcmp(bm, "PROVISIONED") && strcmp(bm, "PAY_PER_REQUEST"))
		verr(&v, "Value '%s' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]", bm);
	if (verr_flush(rq, &v))
		return;
	if (keyschema_semantics(rq, ks, "table"))
		return;
	const char *name = tn->valuestring;
	int ppr = bm && !strcmp(bm, "PAY_PER_REQUEST");
	const cJSON *pt = cj_obj(in, "ProvisionedThroughput");
	if (check_throughput(rq, pt, ppr, NULL))
		return;

	char *tarn = mock_arn(rq, "dynamodb", "table/%s", name);
	sb used = SB_INIT;
	for (const cJSON *e = ks->child; e; e = e->next) {
		sb_cat(&used, cj_str(e, "AttributeName"));
		sb_catc(&used, '\n');
	}
	cJSON *lsis = cJSON_CreateArray(), *gsis = cJSON_CreateArray();
	unsigned iid = 1;
	int fail = 0;
	const cJSON *lin = cj_arr(in, "LocalSecondaryIndexes"), *gin = cj_arr(in, "GlobalSecondaryIndexes");
	if (cJSON_GetArraySize(lin) > MAX_LSI) {
		DDB_ERR(rq, ValidationException, DDB_INVALID "Number of LocalSecondaryIndexes exceeds per-table limit of %d", MAX_LSI);
		fail = 1;
	}
	if (!fail && cJSON_GetArraySize(gin) > MAX_GSI) {
		DDB_ERR(rq, LimitExceededException, "GSI count exceeds the per-table limit of %d", MAX_GSI);
		fail = 1;
	}
	if (!fail && lin && !lin->child) {
		DDB_ERR(rq, ValidationException, DDB_INVALID "List of LocalSecondaryIndexes is empty");
		fail = 1;
	}
	if (!fail && gin && !gin->child) {
		DDB_ERR(rq, ValidationException, DDB_INVALID "List of GlobalSecondaryIndexes is empty");
		fail = 1;
	}
	for (const cJSON *x = lin ? lin->child : NULL; x && !fail; x = x->next)
		fail = add_index(rq, x, 0, defs, ks, ppr, tarn, iid++, lsis, &used);
	for (const cJSON *x = gin ? gin->child : NULL; x && !fail; x = x->next) {
		fail = add_index(rq, x, 1, defs, ks, ppr, tarn, iid++, gsis, &used);
		for (const cJSON *l = lsis->child; l && !fail; l = l->next)
			if (!strcmp(cj_str(l, "IndexName"), cj_str(x, "IndexName"))) {
				DDB_ERR(rq, ValidationException, DDB_INVALID "Duplicate index name: %s", cj_str(x, "IndexName"));
				fail = 1;
			}
	}
	if (!fail)
		fail = check_definitions(rq, defs, sb_str(&used));
	sb_free(&used);
	if (!fail) {
		cJSON *old = ddb_table_record(rq, name);
		if (old) {
			cJSON_Delete(old);
			DDB_ERR(rq, ResourceInUseException, "Table already exists: %s", name);
			fail = 1;
		}
	}
	if (fail) {
		cJSON_Delete(lsis);
		cJSON_Delete(gsis);
		return;
	}

	cJSON *desc = cJSON_CreateObject();
	cJSON_AddItemToObject(desc, "AttributeDefinitions", cJSON_Duplicate(defs, 1));
	cJSON_AddStringToObject(desc, "TableName", name);
	cJSON_AddItemToObject(desc, "KeySchema", cJSON_Duplicate(ks, 1));
	cJSON_AddStringToObject(desc, "TableStatus", "ACTIVE");
	cJSON_AddNumberToObject(desc, "CreationDateTime", (double)rq->now_ms / 1000.0);
	cJSON_AddItemToObject(desc, "ProvisionedThroughput", throughput_desc(ppr ? NULL : pt));
	cJSON_AddStringToObject(desc, "TableArn", tarn);
	char tid[UUID_LEN];
	mock_world_uuid(rq->w, tid);
	cJSON_AddStringToObject(desc, "TableId", tid);
	if (ppr) {
		cJSON *b = cJSON_AddObjectToObject(desc, "BillingModeSummary");
		cJSON_AddStringToObject(b, "BillingMode", "PAY_PER_REQUEST");
		cJSON_AddNumberToObject(b, "LastUpdateToPayPerRequestDateTime", (double)rq->now_ms / 1000.0);
	}
	if (lsis->child)
		cJSON_AddItemToObject(desc, "LocalSecondaryIndexes", lsis);
	else
		cJSON_Delete(lsis);
	if (gsis->child)
		cJSON_AddItemToObject(desc, "GlobalSecondaryIndexes", gsis);
	else
		cJSON_Delete(gsis);
	const cJSON *ss = cj_obj(in, "StreamSpecification");
	if (ss && cj_bool(ss, "StreamEnabled", 0)) {
		cJSON_AddItemToObject(desc, "StreamSpecification", cJSON_Duplicate(ss, 1));
		char iso[CLK_ISO_LEN];
		clk_fmt_iso(rq->now_ms, iso);
		iso[23] = 0; /* drop the Z: the label is a local timestamp */
		cJSON_AddStringToObject(desc, "LatestStreamLabel", iso);
		cJSON_AddStringToObject(desc, "LatestStreamArn", arena_printf(rq->ar, "%s/stream/%s", tarn, iso));
	}
	if (cj_obj(in, "SSESpecification") && cj_bool(cj_obj(in, "SSESpecification"), "Enabled", 0)) {
		cJSON *s = cJSON_AddObjectToObject(desc, "SSEDescription");
		cJSON_AddStringToObject(s, "Status", "ENABLED");
		cJSON_AddStringToObject(s, "SSEType", "KMS");
		cJSON_AddStringToObject(s, "KMSMasterKeyArn", mock_arn(rq, "kms", "key/%s", tid));
	}
	if (cj_str(in, "TableClass")) {
		cJSON *c = cJSON_AddObjectToObject(desc, "TableClassSummary");
		cJSON_AddStringToObject(c, "TableClass", cj_str(in, "TableClass"));
	}
	cJSON_AddBoolToObject(desc, "DeletionProtectionEnabled", cj_bool(in, "DeletionProtectionEnabled", 0));

	cJSON *rec = cJSON_CreateObject();
	cJSON_AddNumberToObject(rec, "id", next_table_id(rq));
	cJSON_AddNumberToObject(rec, "next_iid", iid);
	cJSON_AddItemToObject(rec, "desc", desc);
	cJSON_AddItemToObject(rec, "tags", cj_arr(in, "Tags") ? cJSON_Duplicate(cj_arr(in, "Tags"), 1) : cJSON_CreateArray());
	if (ddb_table_record_put(rq, name, rec) == 0) {
		rq->out = cJSON_CreateObject();
		cJSON *d = cJSON_Duplicate(desc, 1);
		cJSON_AddNumberToObject(d, "TableSizeBytes", 0);
		cJSON_AddNumberToObject(d, "ItemCount", 0);
		for (const char *const *m = (const char *const[]){"LocalSecondaryIndexes", "GlobalSecondaryIndexes", NULL}; *m; m++)
			for (cJSON *x = cj_arr(d, *m) ? cj_arr(d, *m)->child : NULL; x; x = x->next) {
				cJSON_DeleteItemFromObjectCaseSensitive(x, "_iid");
				cJSON_AddNumberToObject(x, "IndexSizeBytes", 0);
				cJSON_AddNumberToObject(x, "ItemCount", 0);
			}
		cJSON_AddItemToObject(rq->out, "TableDescription", d);
	}
	cJSON_Delete(rec);
}

/* ======================================================================
 * DescribeTable, ListTables, DeleteTable
 * ====================================================================== */

static void count_prefix(mock_req *rq, store_db db, uint32_t tid, unsigned iid, double *count, double *bytes)
{
	sb lo = SB_INIT;
	ddb_key_tid(&lo, tid, iid);
	unsigned char hi[8];
	memcpy(hi, lo.buf, lo.len);
	size_t hin = ddb_key_prefix_succ(hi, lo.len);
	ddb_walk *w = ddb_walk_open(rq->ar, rq->txn, db, (unsigned char *)lo.buf, lo.len, hi, hin, 0);
	ddb_entry e;
	*count = *bytes = 0;
	while (ddb_walk_next(w, &e) == 1) {
		*count += 1;
		*bytes += (double)e.item_size;
	}
	ddb_walk_close(w);
	sb_free(&lo);
}

/* The description as DescribeTable answers it (new tree). */
static cJSON *describe(mock_req *rq, const cJSON *rec)
{
	cJSON *d = cJSON_Duplicate(cj_obj(rec, "desc"), 1);
	uint32_t tid = (uint32_t)cj_num(rec, "id", 0);
	ddb_state *st = ddb_st(rq->w);
	double n, b;
	count_prefix(rq, st->items, tid, 0, &n, &b);
	cJSON_AddNumberToObject(d, "TableSizeBytes", b);
	cJSON_AddNumberToObject(d, "ItemCount", n);
	for (const char *const *m = (const char *const[]){"LocalSecondaryIndexes", "GlobalSecondaryIndexes", NULL}; *m; m++)
		for (cJSON *x = cj_arr(d, *m) ? cj_arr(d, *m)->child : NULL; x; x = x->next) {
			count_prefix(rq, st->index, tid, (unsigned)cj_num(x, "_iid", 0), &n, &b);
			cJSON_DeleteItemFromObjectCaseSensitive(x, "_iid");
			cJSON_AddNumberToObject(x, "IndexSizeBytes", b);
			cJSON_AddNumberToObject(x, "ItemCount", n);
		}
	return d;
}

/* DescribeTable: TableName */
void ddb_op_describe_table(mock_req *rq)
{
	const char *name = ddb_req_table_name(rq, "TableName");
	if (!name)
		return;
	cJSON *rec = ddb_table_record(rq, name);
	if (!rec) {
		DDB_ERR(rq, ResourceNotFoundException, "Requested resource not found: Table: %s not found", name);
		return;
	}
	rq->out = cJSON_CreateObject();
	cJSON_AddItemToObject(rq->out, "Table", describe(rq, rec));
	cJSON_Delete(rec);
}

/* ListTables: ExclusiveStartTableName?, Limit? */
void ddb_op_list_tables(mock_req *rq)
{
	const cJSON *lim = cJSON_GetObjectItemCaseSensitive(rq->in, "Limit");
	int limit = 100;
	if (lim && cJSON_IsNumber(lim)) {
		if (lim->valuedouble < 1 || lim->valuedouble > 100) {
			DDB_ERR(rq, ValidationException,
			        "1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value %s",
			        (int)lim->valuedouble, lim->valuedouble < 1 ? "greater than or equal to 1" : "less than or equal to 100");
			return;
		}
		limit = (int)lim->valuedouble;
	}
	const char *start = cj_str(rq->in, "ExclusiveStartTableName");
	store_cur *c;
	int rc = store_cur_open(rq->txn, ddb_st(rq->w)->tables, &c);
	if (rc) {
		mock_fail_store(rq, rc);
		return;
	}
	rq->out = cJSON_CreateObject();
	cJSON *names = cJSON_AddArrayToObject(rq->out, "TableNames");
	store_val k, v;
	if (start && *start) {
		k.data = start;
		k.len = strlen(start);
		rc = store_cur_get(c, STORE_SET_RANGE, &k, &v);
		if (!rc && k.len == strlen(start) && !memcmp(k.data, start, k.len))
			rc = store_cur_get(c, STORE_NEXT, &k, &v);
	} else {
		rc = store_cur_get(c, STORE_FIRST, &k, &v);
	}
	int n = 0;
	char *last = NULL;
	for (; !rc; rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
		if (n == limit) {
			if (last)
				cJSON_AddStringToObject(rq->out, "LastEvaluatedTableName", last);
			break;
		}
		last = arena_strndup(rq->ar, k.data, k.len);
		cJSON_AddItemToArray(names, cJSON_CreateString(last));
		n++;
	}
	store_cur_close(c);
}

/* DeleteTable: TableName */
void ddb_op_delete_table(mock_req *rq)
{
	const char *name = ddb_req_table_name(rq, "TableName");
	if (!name)
		return;
	cJSON *rec = ddb_table_record(rq, name);
	if (!rec) {
		DDB_ERR(rq, ResourceNotFoundException, "Requested resource not found: Table: %s not found", name);
		return;
	}
	if (cj_bool(cj_obj(rec, "desc"), "DeletionProtectionEnabled", 0)) {
		DDB_ERR(rq, ValidationException,
		        "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
		cJSON_Delete(rec);
		return;
	}
	cJSON *d = describe(rq, rec);
	cJSON_ReplaceItemInObjectCaseSensitive(d, "TableStatus", cJSON_CreateString("DELETING"));
	ddb_state *st = ddb_st(rq->w);
	sb p = SB_INIT;
	ddb_key_tid(&p, (uint32_t)cj_num(rec, "id", 0), 0);
	int rc = store_del_prefix(rq->txn, st->items, p.buf, p.len);
	if (!rc)
		rc = store_del_prefix(rq->txn, st->index, p.buf, p.len);
	if (!rc)
		rc = store_del(rq->txn, st->tables, name, strlen(name));
	sb_free(&p);
	cJSON_Delete(rec);
	if (rc) {
		cJSON_Delete(d);
		mock_fail_store(rq, rc);
		return;
	}
	rq->out = cJSON_CreateObject();
	cJSON_AddItemToObject(rq->out, "TableDescription", d);
}

/* ======================================================================
 * UpdateTable
 * ====================================================================== */

/* Fill a new global index from the table's items. */
static int backfill(mock_req *rq, const char *name, const char *iname)
{
	ddb_table *t = ddb_table_get(rq, name, 1);
	if (!t)
		return -1;
	ddb_index *ix = ddb_table_index(t, iname);
	/* a table view with only the new index, so existing ones are not rewritten */
	ddb_table only = *t;
	only.idx = ix;
	only.n_idx = 1;
	sb lo = SB_INIT;
	ddb_key_tid(&lo, t->id, 0);
	unsigned char hi[4];
	memcpy(hi, lo.buf, 4);
	size_t hin = ddb_key_prefix_succ(hi, 4);
	/* collect first: writing while a cursor walks the same transaction is not worth the risk */
	cJSON *items = cJSON_CreateArray();
	ddb_walk *w = ddb_walk_open(rq->ar, rq->txn, ddb_st(rq->w)->items, (unsigned char *)lo.buf, lo.len, hi, hin, 0);
	ddb_entry e;
	while (ddb_walk_next(w, &e) == 1) {
		cJSON *item = cJSON_ParseWithLength(e.json, e.jsonn);
		if (item)
			cJSON_AddItemToArray(items, item);
	}
	ddb_walk_close(w);
	int rc = 0;
	for (const cJSON *item = items->child; item && !rc; item = item->next) {
		sb k = SB_INIT;
		rc = ddb_key_from_item(rq, t, item, 1, &k);
		if (!rc)
			rc = ddb_item_store(rq, &only, (unsigned char *)k.buf, k.len, NULL, item);
		sb_free(&k);
	}
	/* ddb_item_store rewrote each table record too; that is harmless (same bytes) */
	cJSON_Delete(items);
	sb_free(&lo);
	return rc;
}

/* UpdateTable: TableName, AttributeDefinitions?, BillingMode?, ProvisionedThroughput?,
 * GlobalSecondaryIndexUpdates?, StreamSpecification?, DeletionProtectionEnabled?, TableClass? */
void ddb_op_update_table(mock_req *rq)
{
	const cJSON *in = rq->in;
	const char *name = ddb_req_table_name(rq, "TableName");
	if (!name)
		return;
	cJSON *rec = ddb_table_record(rq, name);
	if (!rec) {
		DDB_ERR(rq, ResourceNotFoundException, "Requested resource not found: Table: %s not found", name);
		return;
	}
	cJSON *desc = cj_obj(rec, "desc");
	const char *created = NULL;
	const char *bm = cj_str(in, "BillingMode");
	int ppr = bm ? !strcmp(bm, "PAY_PER_REQUEST") : cj_obj(desc, "BillingModeSummary") != NULL;
	if (bm && strcmp(bm, "PROVISIONED") && strcmp(bm, "PAY_PER_REQUEST")) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value '%s' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
		        bm);
		goto out;
	}
	const cJSON *pt = cj_obj(in, "ProvisionedThroughput");
	if (bm || pt) {
		if (check_throughput(rq, pt, ppr, NULL))
			goto out;
		cJSON_ReplaceItemInObjectCaseSensitive(desc, "ProvisionedThroughput", throughput_desc(ppr ? NULL : pt));
		cJSON_DeleteItemFromObjectCaseSensitive(desc, "BillingModeSummary");
		cJSON *b = cJSON_AddObjectToObject(desc, "BillingModeSummary");
		cJSON_AddStringToObject(b, "BillingMode", ppr ? "PAY_PER_REQUEST" : "PROVISIONED");
		cJSON_AddNumberToObject(b, "LastUpdateToPayPerRequestDateTime", (double)rq->now_ms / 1000.0);
	}
	const cJSON *defs_in = cj_arr(in, "AttributeDefinitions");
	cJSON *defs = cj_arr(desc, "AttributeDefinitions");
	for (const cJSON *d = defs_in ? defs_in->child : NULL; d; d = d->next) {
		const char *an = cj_str(d, "AttributeName");
		const char *have = an ? attr_type(defs, an) : NULL;
		if (an && !have)
			cJSON_AddItemToArray(defs, cJSON_Duplicate(d, 1));
		else if (have && strcmp(have, cj_str(d, "AttributeType") ? cj_str(d, "AttributeType") : "")) {
			DDB_ERR(rq, ValidationException,
			        DDB_INVALID "Cannot change the type of an existing attribute definition: %s", an);
			goto out;
		}
	}
	for (const cJSON *u = cj_arr(in, "GlobalSecondaryIndexUpdates") ? cj_arr(in, "GlobalSecondaryIndexUpdates")->child : NULL;
	     u; u = u->next) {
		cJSON *gsis = cj_arr(desc, "GlobalSecondaryIndexes");
		const cJSON *c = cj_obj(u, "Create"), *d = cj_obj(u, "Delete"), *up = cj_obj(u, "Update");
		if (c) {
			const char *iname = cj_str(c, "IndexName");
			int n = cJSON_GetArraySize(gsis);
			for (const cJSON *x = gsis ? gsis->child : NULL; x; x = x->next)
				if (iname && !strcmp(cj_str(x, "IndexName"), iname)) {
					DDB_ERR(rq, ValidationException,
					        DDB_INVALID "Attempting to create an index which already exists");
					goto out;
				}
			if (n >= MAX_GSI) {
				DDB_ERR(rq, LimitExceededException, "GSI count exceeds the per-table limit of %d", MAX_GSI);
				goto out;
			}
			if (!gsis)
				gsis = cJSON_AddArrayToObject(desc, "GlobalSecondaryIndexes");
			sb used = SB_INIT;
			unsigned iid = (unsigned)cj_num(rec, "next_iid", 30);
			if (iid > 255) {
				DDB_ERR(rq, LimitExceededException, "Too many indexes created on this table over its lifetime");
				sb_free(&used);
				goto out;
			}
			int bad = add_index(rq, c, 1, defs, cj_arr(desc, "KeySchema"), ppr, cj_str(desc, "TableArn"), iid, gsis,
			                    &used);
			for (const char *p = sb_str(&used); !bad && *p;) {
				const char *nl = strchr(p, '\n');
				char *an = arena_strndup(rq->ar, p, (size_t)(nl - p));
				if (!attr_type(defs, an)) {
					DDB_ERR(rq, ValidationException,
					        DDB_INVALID "Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [...]",
					        an);
					bad = 1;
				}
				p = nl + 1;
			}
			sb_free(&used);
			if (bad)
				goto out;
			cJSON_ReplaceItemInObjectCaseSensitive(rec, "next_iid", cJSON_CreateNumber(iid + 1));
			created = iname;
		} else if (d) {
			const char *iname = cj_str(d, "IndexName");
			int i = 0, found = -1;
			unsigned iid = 0;
			for (const cJSON *x = gsis ? gsis->child : NULL; x; x = x->next, i++)
				if (iname && !strcmp(cj_str(x, "IndexName"), iname)) {
					found = i;
					iid = (unsigned)cj_num(x, "_iid", 0);
				}
			if (found < 0) {
				DDB_ERR(rq, ResourceNotFoundException, "Requested resource not found: Index: %s not found for table: %s",
				        iname ? iname : "null", name);
				goto out;
			}
			cJSON_DeleteItemFromArray(gsis, found);
			if (!gsis->child)
				cJSON_DeleteItemFromObjectCaseSensitive(desc, "GlobalSecondaryIndexes");
			sb p = SB_INIT;
			ddb_key_tid(&p, (uint32_t)cj_num(rec, "id", 0), iid);
			int rc = store_del_prefix(rq->txn, ddb_st(rq->w)->index, p.buf, p.len);
			sb_free(&p);
			if (rc) {
				mock_fail_store(rq, rc);
				goto out;
			}
		} else if (up) {
			const char *iname = cj_str(up, "IndexName");
			cJSON *x = gsis ? gsis->child : NULL;
			while (x && (!iname || strcmp(cj_str(x, "IndexName"), iname)))
				x = x->next;
			if (!x) {
				DDB_ERR(rq, ResourceNotFoundException, "Requested resource not found: Index: %s not found for table: %s",
				        iname ? iname : "null", name);
				goto out;
			}
			if (cj_obj(up, "ProvisionedThroughput"))
				cJSON_ReplaceItemInObjectCaseSensitive(x, "ProvisionedThroughput",
				                                       throughput_desc(cj_obj(up, "ProvisionedThroughput")));
		}
	}
	const cJSON *ss = cj_obj(in, "StreamSpecification");
	if (ss) {
		cJSON_DeleteItemFromObjectCaseSensitive(desc, "StreamSpecification");
		if (cj_bool(ss, "StreamEnabled", 0))
			cJSON_AddItemToObject(desc, "StreamSpecification", cJSON_Duplicate(ss, 1));
	}
	if (cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(in, "DeletionProtectionEnabled")))
		cJSON_ReplaceItemInObjectCaseSensitive(desc, "DeletionProtectionEnabled",
		                                       cJSON_CreateBool(cj_bool(in, "DeletionProtectionEnabled", 0)));
	if (cj_str(in, "TableClass")) {
		cJSON_DeleteItemFromObjectCaseSensitive(desc, "TableClassSummary");
		cJSON *c = cJSON_AddObjectToObject(desc, "TableClassSummary");
		cJSON_AddStringToObject(c, "TableClass", cj_str(in, "TableClass"));
	}
	if (ddb_table_record_put(rq, name, rec))
		goto out;
	if (created && backfill(rq, name, created))
		goto out;
	rq->out = cJSON_CreateObject();
	cJSON_AddItemToObject(rq->out, "TableDescription", describe(rq, rec));
out:
	cJSON_Delete(rec);
}

/* ======================================================================
 * Time to live
 * ====================================================================== */

/* UpdateTimeToLive: TableName, TimeToLiveSpecification {Enabled, AttributeName} */
void ddb_op_update_ttl(mock_req *rq)
{
	const char *name = ddb_req_table_name(rq, "TableName");
	if (!name)
		return;
	const cJSON *spec = cj_obj(rq->in, "TimeToLiveSpecification");
	verrs v = {SB_INIT, 0};
	if (!spec)
		verr(&v, "Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null");
	else {
		if (!cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(spec, "Enabled")))
			verr(&v, "Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null");
		if (!cj_str(spec, "AttributeName"))
			verr(&v, "Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null");
	}
	if (verr_flush(rq, &v))
		return;
	cJSON *rec = ddb_table_record(rq, name);
	if (!rec) {
		DDB_ERR(rq, ResourceNotFoundException, "Requested resource not found: Table: %s not found", name);
		return;
	}
	int on = cj_bool(spec, "Enabled", 0);
	const cJSON *cur = cj_obj(rec, "ttl");
	int was_on = cur && cj_bool(cur, "Enabled", 0);
	if (on && was_on)
		DDB_ERR(rq, ValidationException, "TimeToLive is already enabled");
	else if (!on && !was_on)
		DDB_ERR(rq, ValidationException, "TimeToLive is already disabled");
	else if (!on && strcmp(cj_str(cur, "AttributeName"), cj_str(spec, "AttributeName")))
		DDB_ERR(rq, ValidationException, "TimeToLive attribute name is not the one that is enabled");
	if (!mock_failed(rq)) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddBoolToObject(t, "Enabled", on);
		cJSON_AddStringToObject(t, "AttributeName", cj_str(spec, "AttributeName"));
		cJSON_DeleteItemFromObjectCaseSensitive(rec, "ttl");
		cJSON_AddItemToObject(rec, "ttl", t);
		if (ddb_table_record_put(rq, name, rec) == 0) {
			rq->out = cJSON_CreateObject();
			cJSON_AddItemToObject(rq->out, "TimeToLiveSpecification", cJSON_Duplicate(t, 1));
		}
	}
	cJSON_Delete(rec);
}

/* DescribeTimeToLive: TableName */
void ddb_op_describe_ttl(mock_req *rq)
{
	const char *name = ddb_req_table_name(rq, "TableName");
	if (!name)
		return;
	cJSON *rec = ddb_table_record(rq, name);
	if (!rec) {
		DDB_ERR(rq, ResourceNotFoundException, "Requested resource not found: Table: %s not found", name);
		return;
	}
	const cJSON *t = cj_obj(rec, "ttl");
	rq->out = cJSON_CreateObject();
	cJSON *d = cJSON_AddObjectToObject(rq->out, "TimeToLiveDescription");
	if (t && cj_bool(t, "Enabled", 0)) {
		cJSON_AddStringToObject(d, "TimeToLiveStatus", "ENABLED");
		cJSON_AddStringToObject(d, "AttributeName", cj_str(t, "AttributeName"));
	} else {
		cJSON_AddStringToObject(d, "TimeToLiveStatus", "DISABLED");
	}
	cJSON_Delete(rec);
}

/* ======================================================================
 * Tags
 * ====================================================================== */

/* The table record an ARN names (caller frees), or NULL after failing rq. */
static cJSON *record_by_arn(mock_req *rq, const char **name_out)
{
	const char *arn = ddb_req_table_name(rq, "ResourceArn");
	if (!arn)
		return NULL;
	const char *slash = strstr(arn, ":table/");
	if (strncmp(arn, "arn:", 4) || !slash || !slash[7]) {
		DDB_ERR(rq, ValidationException, "Invalid TableArn: Invalid ResourceArn provided as input %s", arn);
		return NULL;
	}
	const char *name = slash + 7;
	const char *idx = strchr(name, '/');
	char *n = arena_strndup(rq->ar, name, idx ? (size_t)(idx - name) : strlen(name));
	cJSON *rec = ddb_table_record(rq, n);
	if (!rec || strcmp(cj_str(cj_obj(rec, "desc"), "TableArn"), arn)) {
		cJSON_Delete(rec);
		DDB_ERR(rq, ResourceNotFoundException, "Requested resource not found: ResourcArn: %s not found", arn);
		return NULL;
	}
	*name_out = n;
	return rec;
}

/* TagResource: ResourceArn, Tags */
void ddb_op_tag_resource(mock_req *rq)
{
	const cJSON *tags = cj_arr(rq->in, "Tags");
	if (!tags) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
		return;
	}
	const char *name;
	cJSON *rec = record_by_arn(rq, &name);
	if (!rec)
		return;
	cJSON *have = cj_arr(rec, "tags");
	if (!have)
		have = cJSON_AddArrayToObject(rec, "tags");
	for (const cJSON *t = tags->child; t; t = t->next) {
		const char *k = cj_str(t, "Key"), *v = cj_str(t, "Value");
		if (!k || !v) {
			DDB_ERR(rq, ValidationException, DDB_INVALID "Tag keys and values must not be null");
			cJSON_Delete(rec);
			return;
		}
		int i = 0, found = -1;
		for (const cJSON *h = have->child; h; h = h->next, i++)
			if (!strcmp(cj_str(h, "Key"), k))
				found = i;
		cJSON *nt = cJSON_CreateObject();
		cJSON_AddStringToObject(nt, "Key", k);
		cJSON_AddStringToObject(nt, "Value", v);
		if (found >= 0)
			cJSON_ReplaceItemInArray(have, found, nt);
		else
			cJSON_AddItemToArray(have, nt);
	}
	if (cJSON_GetArraySize(have) > 50)
		DDB_ERR(rq, ValidationException, "One or more parameter values were invalid: Too many tags attached to the resource");
	else
		ddb_table_record_put(rq, name, rec);
	cJSON_Delete(rec);
}

/* UntagResource: ResourceArn, TagKeys */
void ddb_op_untag_resource(mock_req *rq)
{
	const cJSON *keys = cj_arr(rq->in, "TagKeys");
	if (!keys) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
		return;
	}
	const char *name;
	cJSON *rec = record_by_arn(rq, &name);
	if (!rec)
		return;
	cJSON *have = cj_arr(rec, "tags");
	for (const cJSON *k = keys->child; k && have; k = k->next) {
		int i = 0;
		for (cJSON *h = have->child; h; h = h->next, i++)
			if (cJSON_IsString(k) && !strcmp(cj_str(h, "Key"), k->valuestring)) {
				cJSON_DeleteItemFromArray(have, i);
				break;
			}
	}
	ddb_table_record_put(rq, name, rec);
	cJSON_Delete(rec);
}

/* ListTagsOfResource: ResourceArn, NextToken? */
void ddb_op_list_tags(mock_req *rq)
{
	const char *name;
	cJSON *rec = record_by_arn(rq, &name);
	if (!rec)
		return;
	rq->out = cJSON_CreateObject();
	cJSON_AddItemToObject(rq->out, "Tags", cj_arr(rec, "tags") ? cJSON_Duplicate(cj_arr(rec, "tags"), 1) : cJSON_CreateArray());
	cJSON_Delete(rec);
}

/* DescribeLimits: the account's and each table's default quotas. */
void ddb_op_describe_limits(mock_req *rq)
{
	rq->out = cJSON_CreateObject();
	cJSON_AddNumberToObject(rq->out, "AccountMaxReadCapacityUnits", 80000);
	cJSON_AddNumberToObject(rq->out, "AccountMaxWriteCapacityUnits", 80000);
	cJSON_AddNumberToObject(rq->out, "TableMaxReadCapacityUnits", 40000);
	cJSON_AddNumberToObject(rq->out, "TableMaxWriteCapacityUnits", 40000);
}

/* DescribeEndpoints: SDKs with endpoint discovery ask for it. */
void ddb_op_describe_endpoints(mock_req *rq)
{
	rq->out = cJSON_CreateObject();
	cJSON *a = cJSON_AddArrayToObject(rq->out, "Endpoints");
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "Address", rq->w->endpoint[0] ? rq->w->endpoint : "dynamodb.us-east-1.amazonaws.com");
	cJSON_AddNumberToObject(e, "CachePeriodInMinutes", 1440);
	cJSON_AddItemToArray(a, e);
}
