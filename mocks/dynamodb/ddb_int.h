/* ddb_int.h - private declarations shared by the dynamodb mock's files.
 *
 * Storage (DESIGN "Storage"): four LMDB databases opened once in ddb_init,
 * shared by every table:
 *   ddb.tables  table name -> table record (JSON: id, description, TTL, tags)
 *   ddb.items   tid(4) | enc(hash key) [| enc(range key)]          -> item
 *   ddb.index   tid(4) | iid(1) | enc(index keys) | enc(table keys) -> projected item
 *   ddb.meta    idempotency tokens of TransactWriteItems, the table id counter
 * enc() is the order-preserving key encoding of ddb_key.c, so a cursor walks
 * a partition in DynamoDB's sort order. Keys longer than LMDB's 511 bytes are
 * stored as an order-preserving prefix plus a SHA-256 of the whole key; the
 * whole key then rides in the value and the walker (ddb_walk) sorts the few
 * entries that share a prefix. Values are a small header and the item as
 * compact DynamoDB JSON.
 *
 * Errors: functions taking a mock_req record the AWS error with mock_fail
 * and return -1; the dispatcher then aborts the transaction.
 * Memory: per-request data lives in rq->ar; cJSON trees follow cJSON's rules.
 */
#ifndef STEPBENCH_DDB_INT_H
#define STEPBENCH_DDB_INT_H

#include <stddef.h>
#include <stdint.h>

#include "common/sb.h"
#include "mocks/dynamodb/ddb.h"
#include "mocks/dynamodb/ddb_attr.h"

#define DDB_ERR(rq, code, ...) mock_fail((rq), AWSERR_DDB_##code, __VA_ARGS__)
#define DDB_INVALID "One or more parameter values were invalid: "

/* ======================================================================
 * Numbers (ddb_num.c)
 * ====================================================================== */

#define DDB_NUM_DIGITS 38
#define DDB_NUM_FMT_MAX 200 /* longest text ddb_num_format writes, with NUL */

/* 0.d[0]d[1]...d[nd-1] x 10^exp, sign -1/0/+1; normalised: d[0] and
 * d[nd-1] are non-zero; zero has sign 0 and nd 0. */
typedef struct ddb_num {
	int sign;
	int exp;
	int nd;
	unsigned char d[DDB_NUM_DIGITS + 2];
} ddb_num;

enum { DDB_NUM_EINVALID = 1, DDB_NUM_EOVERFLOW, DDB_NUM_EUNDERFLOW, DDB_NUM_EPRECISION };

/** Parse DynamoDB number text ([+-]digits[.digits][e[+-]digits]).
 *  0, or a DDB_NUM_E* code (see ddb_num_strerror). */
int ddb_num_parse(const char *s, size_t len, ddb_num *out);
/** DynamoDB's message for a DDB_NUM_E* code. */
const char *ddb_num_strerror(int rc);
int ddb_num_cmp(const ddb_num *a, const ddb_num *b);
/** Exact a + b (a - b); 0 or DDB_NUM_E* when the result leaves the range. */
int ddb_num_add(const ddb_num *a, const ddb_num *b, ddb_num *out);
int ddb_num_sub(const ddb_num *a, const ddb_num *b, ddb_num *out);
/** Canonical plain text ("100", "0.05", "-1.5") into buf (DDB_NUM_FMT_MAX); returns the length. */
size_t ddb_num_format(const ddb_num *n, char *buf);
/** Bytes DynamoDB counts for the number: one per two digits, plus one. */
size_t ddb_num_size(const ddb_num *n);

/* ======================================================================
 * AttributeValues (ddb_attr.c)
 * ====================================================================== */

typedef enum { DDB_T_NONE = -1, DDB_T_S, DDB_T_N, DDB_T_B, DDB_T_BOOL, DDB_T_NULL, DDB_T_M, DDB_T_L, DDB_T_SS, DDB_T_NS, DDB_T_BS } ddb_type;

/** "S", "N", ... for a type. */
const char *ddb_type_name(ddb_type t);
/** The type named s, or DDB_T_NONE. */
ddb_type ddb_type_parse(const char *s);
/** The type of a stored (valid) AttributeValue, or DDB_T_NONE. */
ddb_type ddb_av_type(const cJSON *av);
/** The member holding av's content ({"S": "x"} -> "x"). */
static inline cJSON *ddb_av_content(const cJSON *av) { return av ? av->child : NULL; }

/**
 * Check an AttributeValue from a request and normalise it in place (numbers
 * to their canonical text). what names it in messages. Fails rq with
 * DynamoDB's ValidationException/SerializationException wording.
 */
int ddb_av_check(mock_req *rq, cJSON *av, int depth);
/** Check every attribute of an item (names non-empty, values valid). */
int ddb_item_check(mock_req *rq, cJSON *item);
/** Parse the N (or a NS element) text; 0 or -1 when invalid. */
int ddb_av_num(const cJSON *s, ddb_num *out);
/** Decode B text into out (base64); -1 when invalid. */
int ddb_b64_bytes(const char *s, sb *out);

/** Deep equality with DynamoDB's semantics (numbers by value, sets unordered). */
int ddb_av_equal(const cJSON *a, const cJSON *b);
/** Order of two scalars of the same type S, N or B (bytes, numeric, bytes). */
int ddb_av_cmp(const cJSON *a, const cJSON *b);
/** Size in bytes of a value as DynamoDB counts it. */
size_t ddb_av_size(const cJSON *av);
/** Size of an item: each attribute's name plus value. */
size_t ddb_item_size(const cJSON *item);
/** An N value of n. */
cJSON *ddb_av_new_num(const ddb_num *n);

/* ======================================================================
 * Tables (ddb_table.c)
 * ====================================================================== */

typedef struct ddb_state {
	store_db tables, items, index, meta;
} ddb_state;

static inline ddb_state *ddb_st(mock_world *w) { return w->state[MOCK_SVC_DYNAMODB]; }

typedef struct ddb_keydef {
	const char *name; /* NULL when absent (no range key) */
	ddb_type type;    /* DDB_T_S, DDB_T_N or DDB_T_B */
} ddb_keydef;

enum { DDB_PROJ_ALL, DDB_PROJ_KEYS_ONLY, DDB_PROJ_INCLUDE };

typedef struct ddb_index {
	const char *name;
	int gsi;           /* 1 global, 0 local */
	unsigned iid;      /* 1..255, the index's byte in ddb.index keys */
	ddb_keydef hk, rk;
	int proj;          /* DDB_PROJ_* */
	const char **nonkey;
	int n_nonkey;
} ddb_index;

typedef struct ddb_table {
	const char *name;
	uint32_t id;
	ddb_keydef hk, rk;
	ddb_index *idx;
	int n_idx;
	const char *ttl_attr; /* TTL attribute when enabled, else NULL */
	const char *arn;
	int deletion_protection;
} ddb_table;

/**
 * Load table name (into rq's arena). Fails rq with ResourceNotFoundException
 * ("Requested resource not found", or with describe_style "Requested
 * resource not found: Table: X not found") and returns NULL when it does
 * not exist.
 */
ddb_table *ddb_table_get(mock_req *rq, const char *name, int describe_style);
/** The stored record of table name as JSON (caller frees), or NULL. */
cJSON *ddb_table_record(mock_req *rq, const char *name);
/** Store the record of table name. */
int ddb_table_record_put(mock_req *rq, const char *name, const cJSON *rec);
/** The index named name, or NULL. */
ddb_index *ddb_table_index(ddb_table *t, const char *name);
/** Check TableName as DynamoDB does; NULL after failing rq. */
const char *ddb_req_table_name(mock_req *rq, const char *member);

/* ======================================================================
 * Keys (ddb_key.c)
 * ====================================================================== */

/** LMDB keys longer than this keep their first DDB_KEY_PREFIX bytes and get a
 *  SHA-256 of the whole key (STORE_MAX_KEY - 32). Tests may lower it. */
extern size_t ddb_key_prefix;

/** Append the order-preserving encoding of a scalar key value. */
void ddb_key_enc(sb *out, const cJSON *av);
/** Append the escaped bytes of a string/binary prefix (for begins_with). */
void ddb_key_enc_prefix(sb *out, const cJSON *av);
/** Append the 4-byte table id (and the index id when iid > 0). */
void ddb_key_tid(sb *out, uint32_t tid, unsigned iid);
/** Length of the encoded component of type t at p (n bytes), or 0 when malformed. */
size_t ddb_key_comp_len(ddb_type t, const unsigned char *p, size_t n);
/** The smallest byte string greater than every string starting with p (in place). Returns the new length (0: none). */
size_t ddb_key_prefix_succ(unsigned char *p, size_t n);

/** The LMDB key for a whole key: itself, or its prefix plus hash. out needs STORE_MAX_KEY bytes. */
size_t ddb_key_stored(const unsigned char *full, size_t n, unsigned char *out);
/** Build a stored value: header (size, whole key if truncated) + JSON text. */
void ddb_val_build(sb *out, const unsigned char *full, size_t n, size_t item_size, const char *json, size_t jl);
/** Split a stored value; returns 0 or -1 for a malformed value. */
int ddb_val_parse(const void *v, size_t vl, const unsigned char **full, size_t *fulln, size_t *item_size,
                  const char **json, size_t *jl);

/* A walk over the whole keys in [lo, hi) of one database, in DynamoDB's order
 * (forward or reverse), hiding the truncated-key buckets. */
typedef struct ddb_walk ddb_walk;
typedef struct ddb_entry {
	const unsigned char *key; /* whole key */
	size_t keyn;
	const char *json;         /* item JSON text (not NUL-terminated) */
	size_t jsonn;
	size_t item_size;
} ddb_entry;

/** Open a walk (arena-allocated; lo/hi are copied; hi NULL = unbounded). */
ddb_walk *ddb_walk_open(arena *ar, store_txn *t, store_db db, const unsigned char *lo, size_t lon,
                        const unsigned char *hi, size_t hin, int reverse);
/** Next entry: 1, 0 at the end, or a negative store error. Entries are valid
 *  until the next call or the end of the transaction. */
int ddb_walk_next(ddb_walk *w, ddb_entry *e);
void ddb_walk_close(ddb_walk *w);

/* ======================================================================
 * Items (ddb_item.c)
 * ====================================================================== */

/**
 * Check a Key/Item's key attributes against the table (missing key, wrong
 * type, empty value, too long) and build the whole table key into out.
 * is_item: messages for an Item (PutItem) rather than a Key (GetItem).
 */
int ddb_key_from_item(mock_req *rq, const ddb_table *t, const cJSON *item, int is_item, sb *out);
/** Read the item with whole key k; *item is NULL when absent (caller frees). */
int ddb_item_load(mock_req *rq, const ddb_table *t, const unsigned char *k, size_t kn, cJSON **item);
/** The stored JSON text of the item with whole key k (*json NULL when absent),
 *  pointing into the map: valid until the transaction ends. size: its DynamoDB size. */
int ddb_item_load_raw(mock_req *rq, const unsigned char *k, size_t kn, const char **json, size_t *jl,
                      size_t *size);
/** A cJSON_Raw node holding a copy of n bytes of JSON text. Only for answers that
 *  go out over HTTP (rq->http set): the JSON 1.0 codec prints them verbatim, while
 *  in-process callers get plain trees. */
cJSON *ddb_raw_node(const char *json, size_t n);
/**
 * Replace the stored item old (may be NULL) by new (NULL deletes), keeping
 * every index in step. k is the whole table key of the item.
 */
int ddb_item_store(mock_req *rq, const ddb_table *t, const unsigned char *k, size_t kn, const cJSON *old,
                   const cJSON *newi);
/** The same, with the items record of newi already built by ddb_val_build (borrowed). */
int ddb_item_store_built(mock_req *rq, const ddb_table *t, const unsigned char *k, size_t kn, const cJSON *old,
                         const cJSON *newi, const sb *built);
/** The item reduced to the table's key attributes (new tree). */
cJSON *ddb_item_key(const ddb_table *t, const cJSON *item);
/** 1 when the item has expired under the table's TTL at now_ms. */
int ddb_item_expired(const ddb_table *t, const cJSON *item, int64_t now_ms);

/* ======================================================================
 * Capacity (ddb_item.c)
 * ====================================================================== */

typedef struct ddb_cap {
	double table_r, table_w;
	const char *idx_name[64];
	double idx_w[64], idx_r[64];
	int idx_lsi[64];
	int n_idx;
} ddb_cap;

void ddb_cap_index(ddb_cap *c, const ddb_index *ix, double read, double write);
/** Add ConsumedCapacity for table t to out when rq asks for it (TOTAL/INDEXES). */
void ddb_cap_report(mock_req *rq, const cJSON *in, const char *table, const ddb_cap *c, cJSON *out, int as_array);
/** A ConsumedCapacity object (new). */
cJSON *ddb_cap_json(const cJSON *in, const char *table, const ddb_cap *c);
/** Write units for an item of size bytes (1 KB steps, at least 1). */
double ddb_wcu(size_t size);
/** Read units for size bytes (4 KB steps, at least 1), halved when eventually consistent. */
double ddb_rcu(size_t size, int consistent);

/* ======================================================================
 * Request helpers (ddb_item.c)
 * ====================================================================== */

#define DDB_MAX_ITEM_SIZE 409600

/** Check an enum member (absent is fine: *out NULL); fails rq with Coral's wording. */
int ddb_req_enum(mock_req *rq, const cJSON *in, const char *member, const char *field, const char *const *allowed,
                 const char **out);
/** Check ReturnConsumedCapacity and ReturnItemCollectionMetrics. */
int ddb_req_common(mock_req *rq, const cJSON *in);
/** Add ItemCollectionMetrics when asked and the table has local indexes. */
void ddb_item_collection_metrics(mock_req *rq, const ddb_table *t, const cJSON *in, const cJSON *item, cJSON *out);
/** Add the write units of replacing old by newi (either may be NULL) to cap. */
void ddb_write_capacity(const ddb_table *t, const cJSON *old, const cJSON *newi, ddb_cap *cap);

/* ======================================================================
 * Service plumbing (ddb_ops.c and the handlers)
 * ====================================================================== */

void ddb_op_create_table(mock_req *rq);
void ddb_op_describe_table(mock_req *rq);
void ddb_op_list_tables(mock_req *rq);
void ddb_op_delete_table(mock_req *rq);
void ddb_op_update_table(mock_req *rq);
void ddb_op_update_ttl(mock_req *rq);
void ddb_op_describe_ttl(mock_req *rq);
void ddb_op_tag_resource(mock_req *rq);
void ddb_op_untag_resource(mock_req *rq);
void ddb_op_list_tags(mock_req *rq);
void ddb_op_describe_limits(mock_req *rq);
void ddb_op_describe_endpoints(mock_req *rq);

void ddb_op_put_item(mock_req *rq);
void ddb_op_get_item(mock_req *rq);
void ddb_op_delete_item(mock_req *rq);
void ddb_op_update_item(mock_req *rq);
void ddb_op_query(mock_req *rq);
void ddb_op_scan(mock_req *rq);
void ddb_op_batch_get_item(mock_req *rq);
void ddb_op_batch_write_item(mock_req *rq);
void ddb_op_transact_write_items(mock_req *rq);
void ddb_op_transact_get_items(mock_req *rq);
void ddb_op_execute_statement(mock_req *rq);

int ddb_init(mock_world *w, sb *err);
void ddb_fini(mock_world *w);
cJSON *ddb_snapshot(mock_world *w);

#endif
