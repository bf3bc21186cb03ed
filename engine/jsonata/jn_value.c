/* jn_value.c - strings, arrays, ordered hash objects, JS number text, JSON text. */
#include "engine/jsonata/jn_value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Thread_local uintptr_t jn_stack_low;

/* ====================================================================== */
/* strings                                                                */
/* ====================================================================== */

jn_text *jn_str_new(arena *a, const char *p, size_t n)
{
	jn_text *s = arena_alloc(a, sizeof(jn_text) + n + 1);
	s->len = (uint32_t)n;
	s->cps = -1;
	s->hash = 0;
	if (n)
		memcpy(s->s, p, n);
	s->s[n] = '\0';
	return s;
}

jn_value jn_string_n(arena *a, const char *p, size_t n) { return jn_string_of(jn_str_new(a, p, n)); }
jn_value jn_string(arena *a, const char *p) { return jn_string_n(a, p, strlen(p)); }
jn_value jn_string_sb(arena *a, const sb *b) { return jn_string_n(a, b->buf ? b->buf : "", b->len); }

uint32_t jn_str_cps(jn_text *s)
{
	if (s->cps < 0) {
		uint32_t n = 0;
		for (uint32_t i = 0; i < s->len; i++)
			if (((unsigned char)s->s[i] & 0xC0) != 0x80)
				n++;
		s->cps = (int32_t)n;
	}
	return (uint32_t)s->cps;
}

static uint32_t hash_bytes(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h ? h : 1;
}

uint32_t jn_str_hash(jn_text *s)
{
	if (!s->hash)
		s->hash = hash_bytes(s->s, s->len);
	return s->hash;
}

int jn_str_eq(const jn_text *x, const jn_text *y)
{
	return x == y || (x->len == y->len && memcmp(x->s, y->s, x->len) == 0);
}

int jn_utf8_dec(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned c = p[0];
	if (c < 0x80 || n < 2) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
		*cp = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
		return 2;
	}
	if ((c & 0xF0) == 0xE0 && n >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
		*cp = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
		return 3;
	}
	if ((c & 0xF8) == 0xF0 && n >= 4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
	    (p[3] & 0xC0) == 0x80) {
		*cp = ((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
		return 4;
	}
	*cp = c;
	return 1;
}

void jn_utf8_enc(sb *b, uint32_t cp)
{
	char t[4];
	if (cp < 0x80) {
		sb_catc(b, (char)cp);
		return;
	}
	if (cp < 0x800) {
		t[0] = (char)(0xC0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3F));
		sb_catn(b, t, 2);
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		sb_catn(b, t, 3);
	} else {
		t[0] = (char)(0xF0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[3] = (char)(0x80 | (cp & 0x3F));
		sb_catn(b, t, 4);
	}
}

/* the UTF-16 code unit that orders cp in a JavaScript comparison */
static uint32_t utf16_key(uint32_t cp, int second)
{
	if (cp < 0x10000)
		return cp;
	cp -= 0x10000;
	return second ? 0xDC00 + (cp & 0x3FF) : 0xD800 + (cp >> 10);
}

int jn_str_cmp(const jn_text *x, const jn_text *y)
{
	uint32_t n = x->len < y->len ? x->len : y->len, i = 0;
	while (i < n && x->s[i] == y->s[i])
		i++;
	if (i == n)
		return x->len < y->len ? -1 : x->len > y->len;
	/* back to the start of the code point holding the first difference */
	while (i > 0 && ((unsigned char)x->s[i] & 0xC0) == 0x80)
		i--;
	uint32_t a, b;
	jn_utf8_dec((const unsigned char *)x->s + i, x->len - i, &a);
	jn_utf8_dec((const unsigned char *)y->s + i, y->len - i, &b);
	for (int k = 0; k < 2; k++) {
		uint32_t ka = utf16_key(a, k), kb = utf16_key(b, k);
		if (ka != kb)
			return ka < kb ? -1 : 1;
	}
	return a < b ? -1 : a > b;
}

size_t jn_utf16_len(const char *p, size_t n)
{
	size_t u = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if ((c & 0xC0) != 0x80)
			u += (c >= 0xF0) ? 2 : 1;
	}
	return u;
}

/* ====================================================================== */
/* arrays                                                                 */
/* ====================================================================== */

jn_value jn_array(arena *a, uint32_t cap, uint32_t flags)
{
	jn_arr *r = arena_alloc(a, sizeof *r);
	r->len = 0;
	r->cap = cap;
	r->flags = flags;
	r->items = cap ? arena_alloc(a, sizeof(jn_value) * cap) : NULL;
	jn_value v = {JN_ARRAY, {.a = r}};
	return v;
}

jn_value jn_seq1(arena *a, jn_value item)
{
	jn_value s = jn_array(a, 1, JN_SEQ);
	s.u.a->items[0] = item;
	s.u.a->len = 1;
	return s;
}

static void arr_reserve(arena *a, jn_arr *r, uint32_t need)
{
	if (need <= r->cap)
		return;
	uint32_t nc = r->cap ? r->cap * 2 : 4;
	while (nc < need)
		nc *= 2;
	r->items = arena_realloc(a, r->items, sizeof(jn_value) * r->cap, sizeof(jn_value) * nc);
	r->cap = nc;
}

void jn_arr_push(arena *a, jn_value arr, jn_value item)
{
	jn_arr *r = arr.u.a;
	if (r->len == r->cap)
		arr_reserve(a, r, r->len + 1);
	r->items[r->len++] = item;
}

void jn_arr_push_all(arena *a, jn_value arr, jn_value src)
{
	jn_arr *r = arr.u.a, *s = src.u.a;
	if (!s->len)
		return;
	arr_reserve(a, r, r->len + s->len);
	memcpy(r->items + r->len, s->items, sizeof(jn_value) * s->len);
	r->len += s->len;
}

jn_value jn_arr_view(arena *a, jn_value arr, uint32_t flags)
{
	jn_arr *r = arena_alloc(a, sizeof *r);
	r->len = arr.u.a->len;
	r->cap = r->len; /* a push reallocates, never writes into shared storage */
	r->flags = flags;
	r->items = arr.u.a->items;
	jn_value v = {JN_ARRAY, {.a = r}};
	return v;
}

/* ====================================================================== */
/* objects                                                                */
/* ====================================================================== */

#define OBJ_SMALL 8

jn_value jn_object(arena *a, uint32_t cap)
{
	jn_obj *o = arena_alloc(a, sizeof *o);
	o->len = 0;
	o->cap = cap;
	o->frozen = 0;
	o->nint = 0;
	o->hcap = 0;
	o->idx = NULL;
	o->keys = cap ? arena_alloc(a, sizeof(jn_text *) * cap) : NULL;
	o->vals = cap ? arena_alloc(a, sizeof(jn_value) * cap) : NULL;
	jn_value v = {JN_OBJECT, {.o = o}};
	return v;
}

static void obj_reindex(arena *a, jn_obj *o, uint32_t hcap)
{
	o->hcap = hcap;
	o->idx = arena_alloc(a, sizeof(int32_t) * hcap);
	memset(o->idx, 0xFF, sizeof(int32_t) * hcap);
	for (uint32_t i = 0; i < o->len; i++) {
		uint32_t h = jn_str_hash(o->keys[i]) & (hcap - 1);
		while (o->idx[h] >= 0)
			h = (h + 1) & (hcap - 1);
		o->idx[h] = (int32_t)i;
	}
}

int32_t jn_obj_find(const jn_obj *o, const char *key, size_t len, uint32_t hash)
{
	if (!o->hcap) {
		for (uint32_t i = 0; i < o->len; i++) {
			const jn_text *k = o->keys[i];
			if (k->len == len && memcmp(k->s, key, len) == 0)
				return (int32_t)i;
		}
		return -1;
	}
	if (!hash)
		hash = hash_bytes(key, len);
	uint32_t h = hash & (o->hcap - 1);
	for (;;) {
		int32_t i = o->idx[h];
		if (i < 0)
			return -1;
		const jn_text *k = o->keys[i];
		if (k->len == len && memcmp(k->s, key, len) == 0)
			return i;
		h = (h + 1) & (o->hcap - 1);
	}
}

jn_value jn_obj_get(jn_value obj, const char *key, size_t len)
{
	int32_t i = jn_obj_find(obj.u.o, key, len, 0);
	return i < 0 ? jn_undefined() : obj.u.o->vals[i];
}

jn_value jn_obj_get_s(jn_value obj, jn_text *key)
{
	jn_obj *o = obj.u.o;
	int32_t i = jn_obj_find(o, key->s, key->len, o->hcap ? jn_str_hash(key) : 0);
	return i < 0 ? jn_undefined() : o->vals[i];
}

/* The key's value as a JavaScript array index (canonical decimal below
 * 2^32-1), or -1 when it is an ordinary property name. */
static int64_t array_index(const jn_text *k)
{
	if (k->len == 0 || k->len > 10 || k->s[0] < '0' || k->s[0] > '9' || (k->s[0] == '0' && k->len > 1))
		return -1;
	int64_t v = 0;
	for (uint32_t i = 0; i < k->len; i++) {
		if (k->s[i] < '0' || k->s[i] > '9')
			return -1;
		v = v * 10 + (k->s[i] - '0');
	}
	return v < 4294967295LL ? v : -1;
}

void jn_obj_set(arena *a, jn_value obj, jn_text *key, jn_value val)
{
	jn_obj *o = obj.u.o;
	int32_t i = jn_obj_find(o, key->s, key->len, o->hcap ? jn_str_hash(key) : 0);
	if (i >= 0) {
		o->vals[i] = val;
		return;
	}
	if (o->len == o->cap) {
		uint32_t nc = o->cap ? o->cap * 2 : 4;
		o->keys = arena_realloc(a, o->keys, sizeof(jn_text *) * o->cap, sizeof(jn_text *) * nc);
		o->vals = arena_realloc(a, o->vals, sizeof(jn_value) * o->cap, sizeof(jn_value) * nc);
		o->cap = nc;
	}
	int64_t ix = array_index(key);
	if (ix >= 0 && o->nint < o->len) {
		/* an array index goes among the leading integer keys, in order */
		uint32_t lo = 0, hi = o->nint;
		while (lo < hi) {
			uint32_t mid = (lo + hi) / 2;
			if (array_index(o->keys[mid]) < ix)
				lo = mid + 1;
			else
				hi = mid;
		}
		memmove(o->keys + lo + 1, o->keys + lo, sizeof(jn_text *) * (o->len - lo));
		memmove(o->vals + lo + 1, o->vals + lo, sizeof(jn_value) * (o->len - lo));
		o->keys[lo] = key;
		o->vals[lo] = val;
		o->len++;
		o->nint++;
		if (o->hcap)
			obj_reindex(a, o, o->len * 2 > o->hcap ? o->hcap * 2 : o->hcap);
		else if (o->len > OBJ_SMALL)
			obj_reindex(a, o, 32);
		return;
	}
	if (ix >= 0) {
		/* only integer keys so far: keep them sorted */
		uint32_t pos = o->len;
		while (pos > 0 && array_index(o->keys[pos - 1]) > ix)
			pos--;
		if (pos < o->len) {
			memmove(o->keys + pos + 1, o->keys + pos, sizeof(jn_text *) * (o->len - pos));
			memmove(o->vals + pos + 1, o->vals + pos, sizeof(jn_value) * (o->len - pos));
			o->keys[pos] = key;
			o->vals[pos] = val;
			o->len++;
			o->nint++;
			if (o->hcap)
				obj_reindex(a, o, o->len * 2 > o->hcap ? o->hcap * 2 : o->hcap);
			else if (o->len > OBJ_SMALL)
				obj_reindex(a, o, 32);
			return;
		}
		o->nint++;
	}
	o->keys[o->len] = key;
	o->vals[o->len] = val;
	o->len++;
	if (o->hcap) {
		if (o->len * 2 > o->hcap) {
			obj_reindex(a, o, o->hcap * 2);
		} else {
			uint32_t h = jn_str_hash(key) & (o->hcap - 1);
			while (o->idx[h] >= 0)
				h = (h + 1) & (o->hcap - 1);
			o->idx[h] = (int32_t)(o->len - 1);
		}
	} else if (o->len > OBJ_SMALL) {
		obj_reindex(a, o, 32);
	}
}

void jn_obj_set_c(arena *a, jn_value obj, const char *key, jn_value val)
{
	jn_obj_set(a, obj, jn_str_new(a, key, strlen(key)), val);
}

void jn_obj_del(jn_value obj, const char *key, size_t len)
{
	jn_obj *o = obj.u.o;
	int32_t i = jn_obj_find(o, key, len, 0);
	if (i < 0)
		return;
	if (array_index(o->keys[i]) >= 0)
		o->nint--;
	memmove(o->keys + i, o->keys + i + 1, sizeof(jn_text *) * (o->len - (uint32_t)i - 1));
	memmove(o->vals + i, o->vals + i + 1, sizeof(jn_value) * (o->len - (uint32_t)i - 1));
	o->len--;
	if (o->hcap) {
		/* rebuild in place: the slot count stays, the positions moved */
		memset(o->idx, 0xFF, sizeof(int32_t) * o->hcap);
		for (uint32_t k = 0; k < o->len; k++) {
			uint32_t h = jn_str_hash(o->keys[k]) & (o->hcap - 1);
			while (o->idx[h] >= 0)
				h = (h + 1) & (o->hcap - 1);
			o->idx[h] = (int32_t)k;
		}
	}
}

/* ====================================================================== */
/* tuples                                                                 */
/* ====================================================================== */

jn_value jn_tuple_new(arena *a, jn_value at)
{
	jn_tuple *t = arena_alloc(a, sizeof *t);
	t->at = at;
	t->n = t->cap = 0;
	t->names = NULL;
	t->vals = NULL;
	jn_value v = {JN_TUPLE, {.t = t}};
	return v;
}

jn_value jn_tuple_copy(arena *a, jn_value src)
{
	jn_tuple *s = src.u.t;
	jn_tuple *t = arena_alloc(a, sizeof *t);
	t->at = s->at;
	t->n = s->n;
	t->cap = s->n + 2;
	t->names = arena_alloc(a, sizeof(char *) * t->cap);
	t->vals = arena_alloc(a, sizeof(jn_value) * t->cap);
	if (s->n) {
		memcpy(t->names, s->names, sizeof(char *) * s->n);
		memcpy(t->vals, s->vals, sizeof(jn_value) * s->n);
	}
	jn_value v = {JN_TUPLE, {.t = t}};
	return v;
}

void jn_tuple_bind(arena *a, jn_value tv, const char *name, jn_value v)
{
	jn_tuple *t = tv.u.t;
	if (name[0] == '@' && name[1] == '\0') {
		t->at = v;
		return;
	}
	for (uint32_t i = 0; i < t->n; i++)
		if (t->names[i] == name || strcmp(t->names[i], name) == 0) {
			t->vals[i] = v;
			return;
		}
	if (t->n == t->cap) {
		uint32_t nc = t->cap ? t->cap * 2 : 4;
		t->names = arena_realloc(a, t->names, sizeof(char *) * t->cap, sizeof(char *) * nc);
		t->vals = arena_realloc(a, t->vals, sizeof(jn_value) * t->cap, sizeof(jn_value) * nc);
		t->cap = nc;
	}
	t->names[t->n] = name;
	t->vals[t->n] = v;
	t->n++;
}

jn_value jn_tuple_get(jn_value tv, const char *name)
{
	jn_tuple *t = tv.u.t;
	if (name[0] == '@' && name[1] == '\0')
		return t->at;
	for (uint32_t i = 0; i < t->n; i++)
		if (t->names[i] == name || strcmp(t->names[i], name) == 0)
			return t->vals[i];
	return jn_undefined();
}

/* ====================================================================== */
/* numbers                                                                */
/* ====================================================================== */

void jn_num_js(double d, char *buf)
{
	if (isnan(d)) {
		strcpy(buf, "NaN");
		return;
	}
	if (isinf(d)) {
		strcpy(buf, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (d == 0) {
		strcpy(buf, "0");
		return;
	}
	if (d == trunc(d) && fabs(d) < 9007199254740992.0) {
		/* integers: plain digits, no printf */
		char tmp[24];
		int n = 0;
		uint64_t u = (uint64_t)fabs(d);
		do {
			tmp[n++] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		char *o = buf;
		if (d < 0)
			*o++ = '-';
		while (n)
			*o++ = tmp[--n];
		*o = '\0';
		return;
	}
	/* shortest precision that round-trips, as ECMAScript's Number::toString */
	char tmp[40];
	int p;
	for (p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof tmp, "%.*e", p - 1, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	char digits[24];
	int k = 0;
	const char *q = tmp;
	int neg = 0;
	if (*q == '-') {
		neg = 1;
		q++;
	}
	for (; *q && *q != 'e'; q++)
		if (*q >= '0' && *q <= '9')
			digits[k++] = *q;
	int e = atoi(q + 1);
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	int n = e + 1;
	char *o = buf;
	if (neg)
		*o++ = '-';
	if (k <= n && n <= 21) {
		memcpy(o, digits, (size_t)k);
		o += k;
		for (int i = 0; i < n - k; i++)
			*o++ = '0';
	} else if (0 < n && n <= 21) {
		memcpy(o, digits, (size_t)n);
		o += n;
		*o++ = '.';
		memcpy(o, digits + n, (size_t)(k - n));
		o += k - n;
	} else if (-6 < n && n <= 0) {
		*o++ = '0';
		*o++ = '.';
		for (int i = 0; i < -n; i++)
			*o++ = '0';
		memcpy(o, digits, (size_t)k);
		o += k;
	} else {
		*o++ = digits[0];
		if (k > 1) {
			*o++ = '.';
			memcpy(o, digits + 1, (size_t)(k - 1));
			o += k - 1;
		}
		o += sprintf(o, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
	}
	*o = '\0';
}

double jn_num_prec15(double d)
{
	if (d == trunc(d) || !isfinite(d))
		return d;
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%.14e", d);
	return strtod(tmp, NULL);
}

/* ====================================================================== */
/* equality                                                               */
/* ====================================================================== */

int jn_deep_equal(jn_value x, jn_value y)
{
	if (x.kind != y.kind || jn_stack_exhausted())
		return 0;
	switch ((jn_kind)x.kind) {
	case JN_UNDEFINED:
	case JN_NULL:
		return 1;
	case JN_BOOL:
		return x.u.b == y.u.b;
	case JN_NUMBER:
		return x.u.n == y.u.n;
	case JN_STRING:
		return jn_str_eq(x.u.s, y.u.s);
	case JN_ARRAY: {
		if (x.u.a == y.u.a)
			return 1;
		if (x.u.a->len != y.u.a->len)
			return 0;
		for (uint32_t i = 0; i < x.u.a->len; i++)
			if (!jn_deep_equal(x.u.a->items[i], y.u.a->items[i]))
				return 0;
		return 1;
	}
	case JN_OBJECT: {
		jn_obj *a = x.u.o, *b = y.u.o;
		if (a == b)
			return 1;
		if (a->len != b->len)
			return 0;
		for (uint32_t i = 0; i < a->len; i++) {
			int32_t j = jn_obj_find(b, a->keys[i]->s, a->keys[i]->len, b->hcap ? jn_str_hash(a->keys[i]) : 0);
			if (j < 0 || !jn_deep_equal(a->vals[i], b->vals[j]))
				return 0;
		}
		return 1;
	}
	default:
		return x.u.f == y.u.f;
	}
}

/* ====================================================================== */
/* JSON text                                                              */
/* ====================================================================== */

void jn_json_str(sb *out, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	sb_grow(out, n + 2);
	sb_catc(out, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		const char *esc = NULL;
		char ub[8];
		if (c == '"')
			esc = "\\\"";
		else if (c == '\\')
			esc = "\\\\";
		else if (c < 0x20) {
			switch (c) {
			case '\b': esc = "\\b"; break;
			case '\f': esc = "\\f"; break;
			case '\n': esc = "\\n"; break;
			case '\r': esc = "\\r"; break;
			case '\t': esc = "\\t"; break;
			default:
				snprintf(ub, sizeof ub, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
				esc = ub;
			}
		} else if (c == 0xED && i + 2 < n && ((unsigned char)p[i + 1] & 0xE0) == 0xA0) {
			/* a lone surrogate (WTF-8) prints as \udxxx like JSON.stringify */
			uint32_t cp = ((c & 0x0Fu) << 12) | (((unsigned char)p[i + 1] & 0x3Fu) << 6) |
			              ((unsigned char)p[i + 2] & 0x3Fu);
			snprintf(ub, sizeof ub, "\\u%04x", cp);
			sb_catn(out, p + i - run, run);
			run = 0;
			sb_cat(out, ub);
			i += 2;
			continue;
		}
		if (esc) {
			sb_catn(out, p + i - run, run);
			run = 0;
			sb_cat(out, esc);
		} else {
			run++;
		}
	}
	sb_catn(out, p + n - run, run);
	sb_catc(out, '"');
}

static void indent(sb *out, int level)
{
	sb_catc(out, '\n');
	for (int i = 0; i < level; i++)
		sb_catn(out, "  ", 2);
}

static int json_rec(sb *out, jn_value v, unsigned flags, int level)
{
	char nb[32];
	if (jn_stack_exhausted())
		return -2;
	switch ((jn_kind)v.kind) {
	case JN_UNDEFINED:
	case JN_NULL:
		sb_catn(out, "null", 4);
		return 0;
	case JN_BOOL:
		sb_cat(out, v.u.b ? "true" : "false");
		return 0;
	case JN_NUMBER: {
		double d = v.u.n;
		if (!isfinite(d)) {
			if (flags & JN_JSON_PREC15)
				return -1;
			sb_catn(out, "null", 4);
			return 0;
		}
		if (flags & JN_JSON_PREC15)
			d = jn_num_prec15(d);
		jn_num_js(d, nb);
		sb_cat(out, nb);
		return 0;
	}
	case JN_STRING:
		jn_json_str(out, v.u.s->s, v.u.s->len);
		return 0;
	case JN_ARRAY: {
		jn_arr *a = v.u.a;
		sb_catc(out, '[');
		for (uint32_t i = 0; i < a->len; i++) {
			if (i)
				sb_catc(out, ',');
			if (flags & JN_JSON_PRETTY)
				indent(out, level + 1);
			int r = json_rec(out, a->items[i], flags, level + 1);
			if (r < 0)
				return r;
		}
		if ((flags & JN_JSON_PRETTY) && a->len)
			indent(out, level);
		sb_catc(out, ']');
		return 0;
	}
	case JN_OBJECT: {
		jn_obj *o = v.u.o;
		sb_catc(out, '{');
		int first = 1;
		for (uint32_t i = 0; i < o->len; i++) {
			if (o->vals[i].kind == JN_UNDEFINED)
				continue;
			if (!first)
				sb_catc(out, ',');
			first = 0;
			if (flags & JN_JSON_PRETTY)
				indent(out, level + 1);
			jn_json_str(out, o->keys[i]->s, o->keys[i]->len);
			sb_catc(out, ':');
			if (flags & JN_JSON_PRETTY)
				sb_catc(out, ' ');
			int r = json_rec(out, o->vals[i], flags, level + 1);
			if (r < 0)
				return r;
		}
		if ((flags & JN_JSON_PRETTY) && !first)
			indent(out, level);
		sb_catc(out, '}');
		return 0;
	}
	case JN_TUPLE:
		return json_rec(out, v.u.t->at, flags, level);
	default: /* functions print as "" (the reference's replacer) */
		sb_catn(out, "\"\"", 2);
		return 0;
	}
}

int jn_json_append(sb *out, jn_value v, unsigned flags) { return json_rec(out, v, flags, 0); }
