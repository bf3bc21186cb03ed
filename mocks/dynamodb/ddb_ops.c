/* ddb_ops.c - the dynamodb service: operation table, databases, snapshot. */
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "mocks/dynamodb/ddb_int.h"

/* Sorted by name (strcmp): mock_dispatch bsearches it. */
static const mock_op ddb_ops[] = {
	{"BatchGetItem", ddb_op_batch_get_item, MOCK_READONLY},
	{"BatchWriteItem", ddb_op_batch_write_item, MOCK_WRITE},
	{"CreateTable", ddb_op_create_table, MOCK_WRITE},
	{"DeleteItem", ddb_op_delete_item, MOCK_WRITE},
	{"DeleteTable", ddb_op_delete_table, MOCK_WRITE},
	{"DescribeEndpoints", ddb_op_describe_endpoints, MOCK_READONLY},
	{"DescribeLimits", ddb_op_describe_limits, MOCK_READONLY},
	{"DescribeTable", ddb_op_describe_table, MOCK_READONLY},
	{"DescribeTimeToLive", ddb_op_describe_ttl, MOCK_READONLY},
	{"ExecuteStatement", ddb_op_execute_statement, MOCK_WRITE},
	{"GetItem", ddb_op_get_item, MOCK_READONLY},
	{"ListTables", ddb_op_list_tables, MOCK_READONLY},
	{"ListTagsOfResource", ddb_op_list_tags, MOCK_READONLY},
	{"PutItem", ddb_op_put_item, MOCK_NOTXN}, /* opens its write transaction late: see ddb_item.c */
	{"Query", ddb_op_query, MOCK_READONLY},
	{"Scan", ddb_op_scan, MOCK_READONLY},
	{"TagResource", ddb_op_tag_resource, MOCK_WRITE},
	{"TransactGetItems", ddb_op_transact_get_items, MOCK_READONLY},
	{"TransactWriteItems", ddb_op_transact_write_items, MOCK_WRITE},
	{"UntagResource", ddb_op_untag_resource, MOCK_WRITE},
	{"UpdateItem", ddb_op_update_item, MOCK_WRITE},
	{"UpdateTable", ddb_op_update_table, MOCK_WRITE},
	{"UpdateTimeToLive", ddb_op_update_ttl, MOCK_WRITE},
	{NULL, NULL, 0},
};

int ddb_init(mock_world *w, sb *err)
{
	ddb_state *st = mem_calloc(1, sizeof *st);
	int rc = store_db_open(w->st, "ddb.tables", 0, &st->tables);
	if (!rc)
		rc = store_db_open(w->st, "ddb.items", 0, &st->items);
	if (!rc)
		rc = store_db_open(w->st, "ddb.index", 0, &st->index);
	if (!rc)
		rc = store_db_open(w->st, "ddb.meta", 0, &st->meta);
	if (rc) {
		sb_printf(err, "dynamodb: cannot open its databases: %s", store_strerror(rc));
		mem_free(st);
		return -1;
	}
	w->state[MOCK_SVC_DYNAMODB] = st;
	return 0;
}

void ddb_fini(mock_world *w)
{
	mem_free(w->state[MOCK_SVC_DYNAMODB]);
	w->state[MOCK_SVC_DYNAMODB] = NULL;
}

/* {"<TableName>": {"KeySchema": [...], "Items": [typed items in key order]}} */
cJSON *ddb_snapshot(mock_world *w)
{
	ddb_state *st = ddb_st(w);
	cJSON *out = cJSON_CreateObject();
	if (!st)
		return out;
	store_txn *t;
	if (store_txn_begin(w->st, 1, &t))
		return out;
	arena *ar = arena_new();
	store_cur *c;
	if (!store_cur_open(t, st->tables, &c)) {
		store_val k, v;
		for (int rc = store_cur_get(c, STORE_FIRST, &k, &v); !rc; rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
			cJSON *rec = cJSON_ParseWithLength(v.data, v.len);
			if (!rec)
				continue;
			const cJSON *desc = cj_obj(rec, "desc");
			cJSON *tab = cJSON_CreateObject();
			cJSON_AddItemToObject(tab, "KeySchema", cJSON_Duplicate(cj_arr(desc, "KeySchema"), 1));
			cJSON *items = cJSON_AddArrayToObject(tab, "Items");
			sb lo = SB_INIT;
			ddb_key_tid(&lo, (uint32_t)cj_num(rec, "id", 0), 0);
			unsigned char hi[4];
			memcpy(hi, lo.buf, 4);
			size_t hin = ddb_key_prefix_succ(hi, 4);
			ddb_walk *wk = ddb_walk_open(ar, t, st->items, (unsigned char *)lo.buf, lo.len, hi, hin, 0);
			ddb_entry e;
			while (ddb_walk_next(wk, &e) == 1) {
				cJSON *item = cJSON_ParseWithLength(e.json, e.jsonn);
				if (item)
					cJSON_AddItemToArray(items, item);
			}
			ddb_walk_close(wk);
			sb_free(&lo);
			char *name = mem_strndup(k.data, k.len);
			cJSON_AddItemToObject(out, name, tab);
			mem_free(name);
			cJSON_Delete(rec);
		}
		store_cur_close(c);
	}
	arena_free(ar);
	store_txn_abort(t);
	return out;
}

const mock_service ddb_service = {
	.name = "dynamodb",
	.slot = MOCK_SVC_DYNAMODB,
	.target_prefix = "DynamoDB_20120810",
	.json_type_prefix = "com.amazonaws.dynamodb.v20120810#",
	.json_content_type = "application/x-amz-json-1.0",
	.ops = ddb_ops,
	.init = ddb_init,
	.fini = ddb_fini,
	.snapshot = ddb_snapshot,
};
