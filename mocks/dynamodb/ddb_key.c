/* ddb_key.c - order-preserving key encoding, long keys, and the ordered walk over them. */
#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "mocks/dynamodb/ddb_int.h"

#define HASH_LEN 32
size_t ddb_key_prefix = STORE_MAX_KEY - HASH_LEN;

/* ======================================================================
 * Encoding
 *
 * S and B: the bytes with 0x00 escaped as 00 FF, then the terminator 00 00:
 * byte order, shorter before longer, and no encoding is a prefix of another.
 * N: a class byte (01 negative, 02 zero, 03 positive), then for non-zero
 * numbers a biased 16-bit exponent and one byte per digit (d+1) ended by 00;
 * negative numbers complement the exponent and digits (254-d) and end in FF,
 * so larger magnitudes sort first.
 * ====================================================================== */

static void enc_bytes(sb *out, const unsigned char *p, size_t n, int terminate)
{
	sb_grow(out, n + 8);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == 0) {
			sb_catc(out, 0);
			sb_catc(out, (char)0xFF);
		} else {
			sb_catc(out, (char)p[i]);
		}
	}
	if (terminate) {
		sb_catc(out, 0);
		sb_catc(out, 0);
	}
}

static void enc_num(sb *out, const ddb_num *n)
{
	if (n->sign == 0) {
		sb_catc(out, 2);
		return;
	}
	int neg = n->sign < 0;
	unsigned e = (unsigned)(n->exp + 0x8000) & 0xFFFFu;
	if (neg)
		e = ~e & 0xFFFFu;
	sb_catc(out, neg ? 1 : 3);
	sb_catc(out, (char)(e >> 8));
	sb_catc(out, (char)(e & 0xFF));
	for (int i = 0; i < n->nd; i++)
		sb_catc(out, (char)(neg ? 254 - n->d[i] : n->d[i] + 1));
	sb_catc(out, (char)(neg ? 0xFF : 0));
}

static void enc_value(sb *out, const cJSON *av, int terminate)
{
	const cJSON *c = ddb_av_content(av);
	const char *s = cJSON_IsString(c) ? c->valuestring : "";
	switch (ddb_av_type(av)) {
	case DDB_T_N: {
		ddb_num n;
		if (ddb_num_parse(s, strlen(s), &n))
			memset(&n, 0, sizeof n);
		enc_num(out, &n);
		break;
	}
	case DDB_T_B: {
		sb b = SB_INIT;
		ddb_b64_bytes(s, &b);
		enc_bytes(out, (const unsigned char *)b.buf, b.len, terminate);
		sb_free(&b);
		break;
	}
	default: enc_bytes(out, (const unsigned char *)s, strlen(s), terminate); break;
	}
}

void ddb_key_enc(sb *out, const cJSON *av) { enc_value(out, av, 1); }

void ddb_key_enc_prefix(sb *out, const cJSON *av) { enc_value(out, av, 0); }

void ddb_key_tid(sb *out, uint32_t tid, unsigned iid)
{
	sb_catc(out, (char)(tid >> 24));
	sb_catc(out, (char)(tid >> 16));
	sb_catc(out, (char)(tid >> 8));
	sb_catc(out, (char)tid);
	if (iid)
		sb_catc(out, (char)iid);
}

size_t ddb_key_comp_len(ddb_type t, const unsigned char *p, size_t n)
{
	if (t == DDB_T_N) {
		if (n < 1)
			return 0;
		if (p[0] == 2)
			return 1;
		unsigned char end = p[0] == 1 ? 0xFF : 0;
		for (size_t i = 3; i < n; i++)
			if (p[i] == end)
				return i + 1;
		return 0;
	}
	for (size_t i = 0; i + 1 < n; i++) {
		if (p[i] == 0) {
			if (p[i + 1] == 0)
				return i + 2;
			i++; /* an escaped 00 FF */
		}
	}
	return 0;
}

size_t ddb_key_prefix_succ(unsigned char *p, size_t n)
{
	while (n > 0 && p[n - 1] == 0xFF)
		n--;
	if (n > 0)
		p[n - 1]++;
	return n;
}

/* ======================================================================
 * Stored keys and values
 * ====================================================================== */

size_t ddb_key_stored(const unsigned char *full, size_t n, unsigned char *out)
{
	if (n <= ddb_key_prefix) {
		memcpy(out, full, n);
		return n;
	}
	memcpy(out, full, ddb_key_prefix);
	hash_sha256(full, n, out + ddb_key_prefix);
	return ddb_key_prefix + HASH_LEN;
}

/* Value: flags(1) size(4, big-endian) [fulllen(2) full] json */
void ddb_val_build(sb *out, const unsigned char *full, size_t n, size_t item_size, const char *json, size_t jl)
{
	int trunc = n > ddb_key_prefix;
	sb_catc(out, (char)(trunc ? 1 : 0));
	uint32_t sz = (uint32_t)item_size;
	sb_catc(out, (char)(sz >> 24));
	sb_catc(out, (char)(sz >> 16));
	sb_catc(out, (char)(sz >> 8));
	sb_catc(out, (char)sz);
	if (trunc) {
		sb_catc(out, (char)(n >> 8));
		sb_catc(out, (char)(n & 0xFF));
		sb_catn(out, (const char *)full, n);
	}
	sb_catn(out, json, jl);
}

int ddb_val_parse(const void *v, size_t vl, const unsigned char **full, size_t *fulln, size_t *item_size,
                  const char **json, size_t *jl)
{
	const unsigned char *p = v;
	if (vl < 5)
		return -1;
	*item_size = (size_t)p[1] << 24 | (size_t)p[2] << 16 | (size_t)p[3] << 8 | p[4];
	size_t off = 5;
	*full = NULL;
	*fulln = 0;
	if (p[0] & 1) {
		if (vl < 7)
			return -1;
		size_t n = (size_t)p[5] << 8 | p[6];
		if (vl < 7 + n)
			return -1;
		*full = p + 7;
		*fulln = n;
		off = 7 + n;
	}
	*json = (const char *)p + off;
	*jl = vl - off;
	return 0;
}

/* ======================================================================
 * The walk
 *
 * Keys of at most ddb_key_prefix bytes are stored as they are; longer ones
 * as their first ddb_key_prefix bytes T plus a hash. Every stored key that
 * is not such a truncated one sorts correctly against all others; truncated
 * keys sharing T form a contiguous "bucket" whose members are read whole and
 * sorted by their whole keys (kept in the values). The walk returns entries
 * in whole-key order and filters them against [lo, hi).
 * ====================================================================== */

typedef struct bent {
	unsigned char *key;
	size_t keyn;
	char *json;
	size_t jsonn;
	size_t size;
} bent;

struct ddb_walk {
	arena *ar;
	store_cur *cur;
	unsigned char *lo, *hi;
	size_t lon, hin;
	int reverse, started, done;
	bent *bucket;
	size_t nb, bpos, bcap;
};

static int key_cmp(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	int r = n ? memcmp(a, b, n) : 0;
	if (r)
		return r;
	return an < bn ? -1 : an > bn;
}

static int bent_cmp(const void *x, const void *y)
{
	const bent *a = x, *b = y;
	return key_cmp(a->key, a->keyn, b->key, b->keyn);
}

ddb_walk *ddb_walk_open(arena *ar, store_txn *t, store_db db, const unsigned char *lo, size_t lon,
                        const unsigned char *hi, size_t hin, int reverse)
{
	ddb_walk *w = arena_calloc(ar, sizeof *w);
	w->ar = ar;
	w->lo = arena_alloc(ar, lon + 1);
	if (lon)
		memcpy(w->lo, lo, lon);
	w->lon = lon;
	if (hi) {
		w->hi = arena_alloc(ar, hin + 1);
		memcpy(w->hi, hi, hin);
		w->hin = hin;
	}
	w->reverse = reverse;
	if (store_cur_open(t, db, &w->cur))
		w->done = 1;
	return w;
}

void ddb_walk_close(ddb_walk *w)
{
	if (w && w->cur) {
		store_cur_close(w->cur);
		w->cur = NULL;
	}
}

static int is_trunc(const store_val *k) { return k->len > ddb_key_prefix; }

static int in_range(const ddb_walk *w, const unsigned char *k, size_t n)
{
	if (key_cmp(k, n, w->lo, w->lon) < 0)
		return -1;
	if (w->hi && key_cmp(k, n, w->hi, w->hin) >= 0)
		return 1;
	return 0;
}

static void bucket_add(ddb_walk *w, const store_val *k, const store_val *v)
{
	const unsigned char *full;
	size_t fulln, size, jl;
	const char *json;
	if (ddb_val_parse(v->data, v->len, &full, &fulln, &size, &json, &jl) || !full) {
		full = k->data; /* a malformed value: order it by its stored key */
		fulln = k->len;
		json = "{}";
		jl = 2;
	}
	if (w->nb == w->bcap) {
		size_t nc = w->bcap ? w->bcap * 2 : 8;
		w->bucket = arena_realloc(w->ar, w->bucket, w->bcap * sizeof *w->bucket, nc * sizeof *w->bucket);
		w->bcap = nc;
	}
	bent *b = &w->bucket[w->nb++];
	b->key = arena_alloc(w->ar, fulln);
	memcpy(b->key, full, fulln);
	b->keyn = fulln;
	b->json = arena_alloc(w->ar, jl);
	memcpy(b->json, json, jl);
	b->jsonn = jl;
	b->size = size;
}

/* Read the bucket starting at the current entry k (moving the cursor in the
 * walk's direction past its last member) and sort it. */
static int bucket_load(ddb_walk *w, store_val k, store_val v)
{
	unsigned char t[STORE_MAX_KEY];
	memcpy(t, k.data, ddb_key_prefix);
	w->nb = 0;
	w->bpos = 0;
	for (;;) {
		bucket_add(w, &k, &v);
		int rc = store_cur_get(w->cur, w->reverse ? STORE_PREV : STORE_NEXT, &k, &v);
		if (rc == STORE_NOTFOUND) {
			w->done = 1;
			break;
		}
		if (rc)
			return rc;
		if (!is_trunc(&k) || memcmp(k.data, t, ddb_key_prefix)) {
			/* step back so the next read sees this entry again */
			store_cur_get(w->cur, w->reverse ? STORE_NEXT : STORE_PREV, NULL, NULL);
			break;
		}
	}
	qsort(w->bucket, w->nb, sizeof *w->bucket, bent_cmp);
	if (w->reverse) /* serve from the end */
		for (size_t i = 0; i < w->nb / 2; i++) {
			bent x = w->bucket[i];
			w->bucket[i] = w->bucket[w->nb - 1 - i];
			w->bucket[w->nb - 1 - i] = x;
		}
	return 0;
}

/* Position the cursor on the first entry to look at; 1 when there is one. */
static int walk_start(ddb_walk *w, store_val *k, store_val *v)
{
	w->started = 1;
	if (!w->reverse) {
		store_val s = {w->lo, w->lon < ddb_key_prefix ? w->lon : ddb_key_prefix};
		if (s.len == 0)
			return store_cur_get(w->cur, STORE_FIRST, k, v);
		int rc = store_cur_get(w->cur, STORE_SET_RANGE, &s, v);
		*k = s;
		return rc;
	}
	int rc;
	if (!w->hi) {
		rc = store_cur_get(w->cur, STORE_LAST, k, v);
		return rc;
	}
	size_t sl = w->hin < ddb_key_prefix ? w->hin : ddb_key_prefix;
	store_val s = {w->hi, sl};
	rc = store_cur_get(w->cur, STORE_SET_RANGE, &s, v);
	if (rc == STORE_NOTFOUND)
		return store_cur_get(w->cur, STORE_LAST, k, v);
	if (rc)
		return rc;
	if (w->hin > ddb_key_prefix) {
		/* entries that start with hi's prefix may still be below hi: go past them */
		while (!rc && s.len >= sl && !memcmp(s.data, w->hi, sl))
			rc = store_cur_get(w->cur, STORE_NEXT, &s, v);
		if (rc == STORE_NOTFOUND)
			return store_cur_get(w->cur, STORE_LAST, k, v);
		if (rc)
			return rc;
	}
	return store_cur_get(w->cur, STORE_PREV, k, v);
}

int ddb_walk_next(ddb_walk *w, ddb_entry *e)
{
	for (;;) {
		if (w->bpos < w->nb) {
			bent *b = &w->bucket[w->bpos++];
			int r = in_range(w, b->key, b->keyn);
			if (w->reverse ? r < 0 : r > 0) {
				w->done = 1;
				w->nb = w->bpos = 0;
				return 0;
			}
			if (r != 0)
				continue;
			e->key = b->key;
			e->keyn = b->keyn;
			e->json = b->json;
			e->jsonn = b->jsonn;
			e->item_size = b->size;
			return 1;
		}
		if (w->done || !w->cur)
			return 0;
		store_val k, v;
		int rc = w->started ? store_cur_get(w->cur, w->reverse ? STORE_PREV : STORE_NEXT, &k, &v) :
		                      walk_start(w, &k, &v);
		if (rc == STORE_NOTFOUND) {
			w->done = 1;
			return 0;
		}
		if (rc)
			return rc;
		if (is_trunc(&k)) {
			rc = bucket_load(w, k, v);
			if (rc)
				return rc;
			continue;
		}
		int r = in_range(w, k.data, k.len);
		if (w->reverse ? r < 0 : r > 0) {
			w->done = 1;
			return 0;
		}
		if (r != 0)
			continue;
		const unsigned char *full;
		size_t fulln;
		if (ddb_val_parse(v.data, v.len, &full, &fulln, &e->item_size, &e->json, &e->jsonn))
			continue;
		e->key = k.data;
		e->keyn = k.len;
		return 1;
	}
}
