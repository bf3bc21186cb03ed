/* store.h - the LMDB adapter: one environment, named databases, transactions.
 *
 * Only store.c includes lmdb.h. Each kind of record lives in a named
 * database opened once at start-up (store_db_open), before any concurrent
 * use; records of many tables/queues/functions share a database, told apart
 * by a key prefix, so no database handle is ever opened or dropped while
 * requests run (LMDB forbids concurrent handle opening).
 *
 * Transactions: one writer at a time, many readers (MDB_NOTLS, so a read
 * transaction may move between threads). Nothing that waits may hold a
 * transaction (DESIGN "Serving"). A thread must not begin a second write
 * transaction while it holds one: that deadlocks.
 *
 * Errors (the LMDB convention): functions return 0, STORE_NOTFOUND,
 * STORE_EXISTS, STORE_FULL, STORE_BAD, or a positive errno value;
 * store_strerror names any of them.
 *
 * Borrowed memory: a store_val returned by store_get or a cursor points into
 * the map and is valid until the transaction ends or the same key is
 * written; copy what must outlive it.
 */
#ifndef STEPBENCH_STORE_H
#define STEPBENCH_STORE_H

#include <stddef.h>

typedef struct store store;
typedef struct store_txn store_txn;
typedef struct store_cur store_cur;
typedef unsigned int store_db;

typedef struct store_val {
	const void *data;
	size_t len;
} store_val;

/* Private negative range, like LMDB's. */
#define STORE_NOTFOUND (-39001)
#define STORE_EXISTS (-39002)
#define STORE_FULL (-39003)
#define STORE_BAD (-39004) /* a key/value the store cannot hold (e.g. too long) */

/* store_open flags */
enum {
	STORE_TEMP = 1u << 0,   /* create a private temporary directory, removed on close */
	STORE_NOSYNC = 1u << 1, /* no fsync on commit: survives a process crash, not a power cut */
};

/** Longest key a database accepts (LMDB's compile-time limit). */
#define STORE_MAX_KEY 511

/**
 * Open (creating if needed) the environment in dir.
 * @param dir    directory; ignored with STORE_TEMP (NULL allowed then)
 * @param flags  STORE_*
 * @param out    receives the store; the caller closes it with store_close
 */
int store_open(const char *dir, unsigned flags, store **out);
/**
 * Close the environment (all transactions must be finished). NULL is fine.
 * A STORE_TEMP store is emptied and kept for the next store_open(STORE_TEMP)
 * of the same process (a few at most; opening an environment costs more than
 * a scenario): its directory is removed by store_pool_clear or at exit.
 */
void store_close(store *s);
/** Close the temporary stores store_close kept for reuse, removing their directories. */
void store_pool_clear(void);
/** The directory the environment lives in. */
const char *store_path(const store *s);

/**
 * Open or create a named database. Call at start-up only, before any other
 * thread uses the store; the handle stays valid until store_close.
 * @param dupsort  non-zero for a database with sorted duplicate values
 */
int store_db_open(store *s, const char *name, int dupsort, store_db *out);

/** Begin a transaction; readonly for MDB_RDONLY. */
int store_txn_begin(store *s, int readonly, store_txn **out);
/** Commit and free t. On failure t is aborted and freed all the same. */
int store_txn_commit(store_txn *t);
/** Abort and free t (NULL is fine). */
void store_txn_abort(store_txn *t);
/** 1 for a read-only transaction. */
int store_txn_readonly(const store_txn *t);

int store_get(store_txn *t, store_db db, const void *k, size_t kl, store_val *v);
/** Store v under k. With noover, an existing key gives STORE_EXISTS. */
int store_put(store_txn *t, store_db db, const void *k, size_t kl, const void *v, size_t vl, int noover);
/** Delete k (all its duplicates in a dupsort database); STORE_NOTFOUND if absent. */
int store_del(store_txn *t, store_db db, const void *k, size_t kl);
/** Delete one (k, v) pair of a dupsort database. */
int store_del_dup(store_txn *t, store_db db, const void *k, size_t kl, const void *v, size_t vl);

typedef enum {
	STORE_FIRST,
	STORE_LAST,
	STORE_NEXT,
	STORE_PREV,
	STORE_SET,       /* exactly k (k in) */
	STORE_SET_RANGE, /* first key >= k (k in and out) */
	STORE_CURRENT,
	STORE_NEXT_DUP,
	STORE_NEXT_NODUP,
} store_op;

/** Open a cursor on db; it must be closed before its transaction ends. */
int store_cur_open(store_txn *t, store_db db, store_cur **out);
/** Move the cursor and read the pair there. k is in/out for SET and
 *  SET_RANGE; k and v may be NULL for other moves. */
int store_cur_get(store_cur *c, store_op op, store_val *k, store_val *v);
/** Delete the pair under the cursor. */
int store_cur_del(store_cur *c);
void store_cur_close(store_cur *c);

/**
 * Delete every key that starts with prefix (the records of one table, one
 * queue...). Returns 0 whether or not anything was deleted.
 */
int store_del_prefix(store_txn *t, store_db db, const void *prefix, size_t pl);

/** Entries in db (for statistics). */
int store_count(store_txn *t, store_db db, size_t *n);

const char *store_strerror(int rc);

#endif
