/* store.c - LMDB adapter (the only file that includes lmdb.h). */
#include "mocks/store/store.h"

#include <errno.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"
#include "common/mem.h"
#include "common/sb.h"

#define STORE_MAX_DBS 64

struct store {
	MDB_env *env;
	char *path;
	unsigned flags;
	pid_t pid;                     /* the process that opened the environment */
	size_t ndbs;                   /* databases opened so far, for reuse */
	char *db_names[STORE_MAX_DBS]; /* owned */
	unsigned db_flags[STORE_MAX_DBS];
	MDB_dbi dbis[STORE_MAX_DBS];
};

/* Temporary stores are recycled: a scenario runner makes and drops one world
 * per scenario, and opening an LMDB environment (files, lock table, maps) and
 * unmapping it cost more than the scenario itself. A closed temporary store
 * is emptied (every database it opened is cleared, its handles kept) and
 * parked here for the next store_open(STORE_TEMP) in the same process; the
 * pool is closed at exit. A forked child never touches its parent's parked
 * environments (LMDB forbids using an environment across fork). */
#define POOL_MAX 4
static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static store *pool[POOL_MAX];
static size_t pool_n;
static int pool_atexit;

static void store_destroy(store *s);

void store_pool_clear(void)
{
	pthread_mutex_lock(&pool_mu);
	while (pool_n) {
		store *s = pool[--pool_n];
		if (s->pid == getpid())
			store_destroy(s);
	}
	pthread_mutex_unlock(&pool_mu);
}

static store *pool_take(void)
{
	store *s = NULL;
	pthread_mutex_lock(&pool_mu);
	while (pool_n && !s) {
		store *c = pool[--pool_n];
		if (c->pid == getpid())
			s = c;
		/* else: the parent's, inherited over fork: leave it alone */
	}
	pthread_mutex_unlock(&pool_mu);
	return s;
}

/* Empty s's databases in one transaction; 0 when s can be reused. */
static int store_empty(store *s)
{
	MDB_txn *t;
	if (mdb_txn_begin(s->env, NULL, 0, &t))
		return -1;
	for (size_t i = 0; i < s->ndbs; i++)
		if (mdb_drop(t, s->dbis[i], 0)) {
			mdb_txn_abort(t);
			return -1;
		}
	/* nothing else may be left behind: every named database is one we know */
	MDB_dbi main;
	MDB_stat st;
	if (mdb_dbi_open(t, NULL, 0, &main) || mdb_stat(t, main, &st) || st.ms_entries != s->ndbs) {
		mdb_txn_abort(t);
		return -1;
	}
	return mdb_txn_commit(t) ? -1 : 0;
}

static int pool_park(store *s)
{
	if (s->pid != getpid() || store_empty(s))
		return -1;
	int parked = 0;
	pthread_mutex_lock(&pool_mu);
	if (pool_n < POOL_MAX) {
		pool[pool_n++] = s;
		parked = 1;
		if (!pool_atexit)
			pool_atexit = !atexit(store_pool_clear);
	}
	pthread_mutex_unlock(&pool_mu);
	return parked ? 0 : -1;
}

struct store_txn {
	MDB_txn *txn;
	int readonly;
};

struct store_cur {
	MDB_cursor *cur;
};

static int map_rc(int rc)
{
	switch (rc) {
	case MDB_SUCCESS: return 0;
	case MDB_NOTFOUND: return STORE_NOTFOUND;
	case MDB_KEYEXIST: return STORE_EXISTS;
	case MDB_MAP_FULL: return STORE_FULL;
	case MDB_BAD_VALSIZE: return STORE_BAD;
	default: return rc;
	}
}

const char *store_strerror(int rc)
{
	switch (rc) {
	case 0: return "success";
	case STORE_NOTFOUND: return "not found";
	case STORE_EXISTS: return "key exists";
	case STORE_FULL: return "storage map full";
	case STORE_BAD: return "key or value the store cannot hold";
	default: return mdb_strerror(rc);
	}
}

/* A temporary environment goes to /dev/shm when it is writable: scenarios
 * then never touch a disk. */
static char *make_temp_dir(void)
{
	const char *bases[] = {getenv("STEPBENCH_TMPDIR"), "/dev/shm", getenv("TMPDIR"), "/tmp"};
	for (size_t i = 0; i < sizeof bases / sizeof *bases; i++) {
		if (!bases[i] || access(bases[i], W_OK))
			continue;
		sb p = SB_INIT;
		sb_printf(&p, "%s/stepbench-XXXXXX", bases[i]);
		if (mkdtemp(p.buf))
			return sb_steal(&p);
		sb_free(&p);
	}
	return NULL;
}

int store_open(const char *dir, unsigned flags, store **out)
{
	if ((flags & STORE_TEMP) && (*out = pool_take()))
		return 0;
	store *s = mem_calloc(1, sizeof *s);
	s->flags = flags;
	s->pid = getpid();
	if (flags & STORE_TEMP) {
		s->path = make_temp_dir();
		if (!s->path) {
			int e = errno ? errno : EACCES;
			mem_free(s);
			return e;
		}
	} else {
		if (!dir || file_mkdirs(dir)) {
			int e = dir ? errno : EINVAL;
			mem_free(s);
			return e;
		}
		s->path = mem_strdup(dir);
	}
	int rc = mdb_env_create(&s->env);
	if (rc)
		goto fail;
	mdb_env_set_maxdbs(s->env, STORE_MAX_DBS);
	mdb_env_set_maxreaders(s->env, 1024);
	/* The map is sparse: a large size costs address space, not memory.
	 * Temporary (scenario) stores stay smaller so many can run at once. */
	size_t mapsize = (flags & STORE_TEMP) ? ((size_t)1 << 30) : ((size_t)64 << 30);
	const char *ms = getenv("STEPBENCH_MAPSIZE_MB");
	if (ms && atol(ms) > 0)
		mapsize = (size_t)atol(ms) << 20;
	rc = mdb_env_set_mapsize(s->env, mapsize);
	if (rc)
		goto fail;
	unsigned mflags = MDB_NOTLS;
	if (flags & (STORE_NOSYNC | STORE_TEMP))
		mflags |= MDB_NOSYNC | MDB_NOMETASYNC;
	/* A temporary store is never synced nor kept: commits write into the
	 * map instead of pwrite()ing each dirty page (a third of a write call's
	 * time under the write lock, measured in serve). Not for --data stores:
	 * their file would grow to the whole map size. */
	if (flags & STORE_TEMP)
		mflags |= MDB_WRITEMAP;
	rc = mdb_env_open(s->env, s->path, mflags, 0644);
	if (rc)
		goto fail;
	*out = s;
	return 0;
fail:
	if (s->env)
		mdb_env_close(s->env);
	if (flags & STORE_TEMP)
		file_rmtree(s->path);
	mem_free(s->path);
	mem_free(s);
	return map_rc(rc);
}

static void store_destroy(store *s)
{
	mdb_env_close(s->env);
	if (s->flags & STORE_TEMP)
		file_rmtree(s->path);
	for (size_t i = 0; i < s->ndbs; i++)
		mem_free(s->db_names[i]);
	mem_free(s->path);
	mem_free(s);
}

void store_close(store *s)
{
	if (!s)
		return;
	if ((s->flags & STORE_TEMP) && !pool_park(s))
		return;
	store_destroy(s);
}

const char *store_path(const store *s) { return s->path; }

int store_db_open(store *s, const char *name, int dupsort, store_db *out)
{
	unsigned fl = dupsort ? MDB_DUPSORT : 0;
	for (size_t i = 0; i < s->ndbs; i++)
		if (!strcmp(s->db_names[i], name)) {
			if (s->db_flags[i] != fl)
				return EINVAL;
			*out = s->dbis[i];
			return 0;
		}
	if (s->ndbs == STORE_MAX_DBS)
		return ENOMEM;
	MDB_txn *t;
	int rc = mdb_txn_begin(s->env, NULL, 0, &t);
	if (rc)
		return map_rc(rc);
	MDB_dbi dbi;
	rc = mdb_dbi_open(t, name, MDB_CREATE | (dupsort ? MDB_DUPSORT : 0), &dbi);
	if (rc) {
		mdb_txn_abort(t);
		return map_rc(rc);
	}
	rc = mdb_txn_commit(t);
	if (rc)
		return map_rc(rc);
	s->db_names[s->ndbs] = mem_strdup(name);
	s->db_flags[s->ndbs] = fl;
	s->dbis[s->ndbs++] = dbi;
	*out = dbi;
	return 0;
}

int store_txn_begin(store *s, int readonly, store_txn **out)
{
	MDB_txn *t;
	int rc = mdb_txn_begin(s->env, NULL, readonly ? MDB_RDONLY : 0, &t);
	if (rc)
		return map_rc(rc);
	store_txn *st = mem_alloc(sizeof *st);
	st->txn = t;
	st->readonly = readonly;
	*out = st;
	return 0;
}

int store_txn_commit(store_txn *t)
{
	int rc = mdb_txn_commit(t->txn);
	mem_free(t);
	return map_rc(rc);
}

void store_txn_abort(store_txn *t)
{
	if (!t)
		return;
	mdb_txn_abort(t->txn);
	mem_free(t);
}

int store_txn_readonly(const store_txn *t) { return t->readonly; }

int store_get(store_txn *t, store_db db, const void *k, size_t kl, store_val *v)
{
	if (kl == 0 || kl > STORE_MAX_KEY)
		return STORE_NOTFOUND;
	MDB_val key = {kl, (void *)(uintptr_t)k}, val;
	int rc = mdb_get(t->txn, db, &key, &val);
	if (rc)
		return map_rc(rc);
	v->data = val.mv_data;
	v->len = val.mv_size;
	return 0;
}

int store_put(store_txn *t, store_db db, const void *k, size_t kl, const void *v, size_t vl, int noover)
{
	if (kl == 0 || kl > STORE_MAX_KEY)
		return STORE_BAD;
	MDB_val key = {kl, (void *)(uintptr_t)k}, val = {vl, (void *)(uintptr_t)v};
	return map_rc(mdb_put(t->txn, db, &key, &val, noover ? MDB_NOOVERWRITE : 0));
}

int store_del(store_txn *t, store_db db, const void *k, size_t kl)
{
	if (kl == 0 || kl > STORE_MAX_KEY)
		return STORE_NOTFOUND;
	MDB_val key = {kl, (void *)(uintptr_t)k};
	return map_rc(mdb_del(t->txn, db, &key, NULL));
}

int store_del_dup(store_txn *t, store_db db, const void *k, size_t kl, const void *v, size_t vl)
{
	if (kl == 0 || kl > STORE_MAX_KEY)
		return STORE_NOTFOUND;
	MDB_val key = {kl, (void *)(uintptr_t)k}, val = {vl, (void *)(uintptr_t)v};
	return map_rc(mdb_del(t->txn, db, &key, &val));
}

int store_cur_open(store_txn *t, store_db db, store_cur **out)
{
	MDB_cursor *c;
	int rc = mdb_cursor_open(t->txn, db, &c);
	if (rc)
		return map_rc(rc);
	store_cur *sc = mem_alloc(sizeof *sc);
	sc->cur = c;
	*out = sc;
	return 0;
}

int store_cur_get(store_cur *c, store_op op, store_val *k, store_val *v)
{
	static const MDB_cursor_op ops[] = {
		[STORE_FIRST] = MDB_FIRST,
		[STORE_LAST] = MDB_LAST,
		[STORE_NEXT] = MDB_NEXT,
		[STORE_PREV] = MDB_PREV,
		[STORE_SET] = MDB_SET_KEY,
		[STORE_SET_RANGE] = MDB_SET_RANGE,
		[STORE_CURRENT] = MDB_GET_CURRENT,
		[STORE_NEXT_DUP] = MDB_NEXT_DUP,
		[STORE_NEXT_NODUP] = MDB_NEXT_NODUP,
	};
	MDB_val key = {0, NULL}, val = {0, NULL};
	if (op == STORE_SET || op == STORE_SET_RANGE) {
		if (!k || k->len == 0 || k->len > STORE_MAX_KEY)
			return op == STORE_SET ? STORE_NOTFOUND : STORE_BAD;
		key.mv_size = k->len;
		key.mv_data = (void *)(uintptr_t)k->data;
	}
	int rc = mdb_cursor_get(c->cur, &key, &val, ops[op]);
	if (rc)
		return map_rc(rc);
	if (k) {
		k->data = key.mv_data;
		k->len = key.mv_size;
	}
	if (v) {
		v->data = val.mv_data;
		v->len = val.mv_size;
	}
	return 0;
}

int store_cur_del(store_cur *c) { return map_rc(mdb_cursor_del(c->cur, 0)); }

void store_cur_close(store_cur *c)
{
	if (!c)
		return;
	mdb_cursor_close(c->cur);
	mem_free(c);
}

int store_del_prefix(store_txn *t, store_db db, const void *prefix, size_t pl)
{
	store_cur *c;
	int rc = store_cur_open(t, db, &c);
	if (rc)
		return rc;
	/* seek afresh after each delete: what a cursor reads right after a
	 * delete at the end of a database is not something to rely on */
	for (;;) {
		store_val k = {prefix, pl};
		rc = store_cur_get(c, STORE_SET_RANGE, &k, NULL);
		if (rc || k.len < pl || memcmp(k.data, prefix, pl))
			break;
		rc = store_cur_del(c);
		if (rc)
			break;
	}
	store_cur_close(c);
	return rc == STORE_NOTFOUND ? 0 : rc;
}

int store_count(store_txn *t, store_db db, size_t *n)
{
	MDB_stat st;
	int rc = mdb_stat(t->txn, db, &st);
	if (rc)
		return map_rc(rc);
	*n = st.ms_entries;
	return 0;
}
