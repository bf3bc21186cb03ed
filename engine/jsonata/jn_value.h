/* jn_value.h - the one value type of the JSONata evaluator (private).
 *
 * OWNERSHIP RULE (the only one): every jn_value lives in the arena of the
 * evaluation that built it and stays valid until jsonata_eval returns (or the
 * arena of a compiled expression / converted document it came from is
 * freed). Nothing is ever freed one value at a time. A value is immutable
 * once it has been handed to anyone else; the only in-place changes are made
 * by the code that has just built the value (appending to a fresh array,
 * setting a fresh sequence's flags, updating a fresh clone in a transform).
 * To keep a result beyond the evaluation, convert it with jn_to_cjson.
 *
 * A jn_value is a 16-byte struct passed by value: a kind tag and a union of
 * a double and a pointer. All of its fields are private: use the accessors
 * below (jn_kind_of, jn_num, jn_str, jn_arr_get, jn_obj_get...).
 *
 * Arrays double as JSONata sequences: a sequence is an array with the
 * JN_SEQ flag (JavaScript's `sequence` property in the reference), and the
 * other flags mirror the reference's `keepSingleton`, `cons`,
 * `outerWrapper` and `tupleStream` markers. They are not part of a value's
 * identity (deep equality and JSON output ignore them).
 *
 * Strings are UTF-8 (lone UTF-16 surrogates, which JavaScript strings can
 * hold, are kept as their 3-byte WTF-8 form). Objects keep insertion order
 * and index their keys with a hash table once they grow past a few entries.
 */
#ifndef STEPBENCH_JN_VALUE_H
#define STEPBENCH_JN_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/sb.h"

typedef enum jn_kind {
	JN_UNDEFINED = 0, /* no value (not JSON null) */
	JN_NULL,
	JN_BOOL,
	JN_NUMBER,
	JN_STRING,
	JN_ARRAY,    /* arrays and sequences (see jn_arr_flags) */
	JN_OBJECT,
	JN_FUNCTION, /* built-in functions, regex matchers, transforms */
	JN_LAMBDA,   /* user functions and partial applications */
	JN_ERROR,    /* an evaluation error travelling up to jsonata_eval */
	JN_TUPLE,    /* internal: one binding tuple of a path's tuple stream */
} jn_kind;

typedef struct jn_text jn_text;
typedef struct jn_arr jn_arr;
typedef struct jn_obj jn_obj;
typedef struct jn_fn jn_fn;
typedef struct jn_err jn_err;
typedef struct jn_tuple jn_tuple;

typedef struct jn_value {
	uint8_t kind; /* jn_kind; private */
	union {
		double n;
		int b;
		jn_text *s;
		jn_arr *a;
		jn_obj *o;
		jn_fn *f;
		jn_err *e;
		jn_tuple *t;
	} u; /* private */
} jn_value;

/* Array flags (the reference's markers on JavaScript arrays). */
enum jn_arr_flags {
	JN_SEQ = 1u << 0,     /* a sequence: singleton collapses to its item */
	JN_KEEP = 1u << 1,    /* keepSingleton: a [] step asked to keep it an array */
	JN_CONS = 1u << 2,    /* built by an array constructor */
	JN_OUTER = 1u << 3,   /* outerWrapper: the input array wrapped as a sequence */
	JN_TUPLES = 1u << 4,  /* tupleStream: items are JN_TUPLE */
};

struct jn_text {
	uint32_t len;   /* bytes */
	int32_t cps;    /* code points, -1 until counted */
	uint32_t hash;  /* 0 until computed */
	char s[];       /* NUL-terminated */
};

struct jn_arr {
	uint32_t len, cap;
	uint32_t flags;
	jn_value *items;
};

struct jn_obj {
	uint32_t len, cap;
	uint32_t frozen; /* converted from a document: never updated in place */
	uint32_t nint;   /* keys that are array indexes ("0", "17"): they come
	                    first, in numeric order, as JavaScript orders them */
	uint32_t hcap;   /* slots of idx; 0 while the object is small */
	int32_t *idx;    /* open-addressing index into keys/vals; -1 = empty */
	jn_text **keys;
	jn_value *vals;
};

struct jn_tuple {
	jn_value at;          /* '@', the context item */
	uint32_t n, cap;
	const char **names;   /* other bindings: focus/index variables, ancestor labels */
	jn_value *vals;
};

/* ---- constants and accessors ------------------------------------------ */

#define JN_UNDEF_INIT {JN_UNDEFINED, {.n = 0}}

static inline jn_value jn_undefined(void) { jn_value v = {JN_UNDEFINED, {.n = 0}}; return v; }
static inline jn_value jn_null(void) { jn_value v = {JN_NULL, {.n = 0}}; return v; }
static inline jn_value jn_bool(int b) { jn_value v = {JN_BOOL, {.b = b ? 1 : 0}}; return v; }
static inline jn_value jn_number(double n) { jn_value v = {JN_NUMBER, {.n = n}}; return v; }

static inline jn_kind jn_kind_of(jn_value v) { return (jn_kind)v.kind; }
static inline int jn_is_undef(jn_value v) { return v.kind == JN_UNDEFINED; }
static inline int jn_is_err(jn_value v) { return v.kind == JN_ERROR; }
static inline int jn_is_num(jn_value v) { return v.kind == JN_NUMBER; }
static inline int jn_is_str(jn_value v) { return v.kind == JN_STRING; }
static inline int jn_is_arr(jn_value v) { return v.kind == JN_ARRAY; }
static inline int jn_is_obj(jn_value v) { return v.kind == JN_OBJECT; }
static inline int jn_is_fn(jn_value v) { return v.kind == JN_FUNCTION || v.kind == JN_LAMBDA; }
static inline double jn_num(jn_value v) { return v.u.n; }
/* the number, or NaN for anything else (JavaScript's arithmetic on undefined) */
static inline double jn_numv(jn_value v) { return v.kind == JN_NUMBER ? v.u.n : __builtin_nan(""); }
static inline int jn_truth(jn_value v) { return v.u.b; }
static inline const char *jn_str(jn_value v) { return v.u.s->s; }
static inline uint32_t jn_str_len(jn_value v) { return v.u.s->len; }
static inline jn_text *jn_strp(jn_value v) { return v.u.s; }
static inline jn_arr *jn_arrp(jn_value v) { return v.u.a; }
static inline jn_obj *jn_objp(jn_value v) { return v.u.o; }
static inline uint32_t jn_arr_len(jn_value v) { return v.u.a->len; }
static inline jn_value jn_arr_get(jn_value v, uint32_t i) { return v.u.a->items[i]; }
static inline uint32_t jn_arr_flags_of(jn_value v) { return v.u.a->flags; }
static inline int jn_is_seq(jn_value v) { return v.kind == JN_ARRAY && (v.u.a->flags & JN_SEQ); }
static inline uint32_t jn_obj_len(jn_value v) { return v.u.o->len; }
static inline jn_text *jn_obj_key_at(jn_value v, uint32_t i) { return v.u.o->keys[i]; }
static inline jn_value jn_obj_val_at(jn_value v, uint32_t i) { return v.u.o->vals[i]; }

/* ---- strings ---------------------------------------------------------- */

/** A string value holding a copy of n bytes of p. */
jn_value jn_string_n(arena *a, const char *p, size_t n);
jn_value jn_string(arena *a, const char *p);
/** Wrap an existing jn_str. */
static inline jn_value jn_string_of(jn_text *s) { jn_value v = {JN_STRING, {.s = s}}; return v; }
/** A jn_str copy of n bytes of p. */
jn_text *jn_str_new(arena *a, const char *p, size_t n);
/** The string of an sb (copied). */
jn_value jn_string_sb(arena *a, const sb *b);
/** Code points of s (counted once, cached). */
uint32_t jn_str_cps(jn_text *s);
uint32_t jn_str_hash(jn_text *s);
int jn_str_eq(const jn_text *x, const jn_text *y);
/** Order as JavaScript compares strings: by UTF-16 code units. */
int jn_str_cmp(const jn_text *x, const jn_text *y);

/* UTF-8 helpers. Decode one code point at p (n bytes left); *cp gets it (an
 * invalid byte decodes as itself) and the byte length is returned. */
int jn_utf8_dec(const unsigned char *p, size_t n, uint32_t *cp);
/* Append code point cp (surrogates included, as WTF-8). */
void jn_utf8_enc(sb *b, uint32_t cp);
/* Number of UTF-16 code units of n bytes of p. */
size_t jn_utf16_len(const char *p, size_t n);

/* ---- arrays ----------------------------------------------------------- */

/** A new empty array with room for cap items and the given flags. */
jn_value jn_array(arena *a, uint32_t cap, uint32_t flags);
static inline jn_value jn_seq(arena *a) { return jn_array(a, 0, JN_SEQ); }
/** A one-item sequence. */
jn_value jn_seq1(arena *a, jn_value item);
/** Append to an array being built. */
void jn_arr_push(arena *a, jn_value arr, jn_value item);
/** Append every item of src. */
void jn_arr_push_all(arena *a, jn_value arr, jn_value src);
static inline void jn_arr_set_flags(jn_value v, uint32_t f) { v.u.a->flags |= f; }
static inline void jn_arr_clear_flags(jn_value v, uint32_t f) { v.u.a->flags &= ~f; }
/** A new plain (flag-less) array with the same items (storage shared). */
jn_value jn_arr_view(arena *a, jn_value arr, uint32_t flags);

/* ---- objects ---------------------------------------------------------- */

jn_value jn_object(arena *a, uint32_t cap);
/** Value for key (JN_UNDEFINED when absent). */
jn_value jn_obj_get(jn_value obj, const char *key, size_t len);
jn_value jn_obj_get_s(jn_value obj, jn_text *key);
/** Index of key or -1. */
int32_t jn_obj_find(const jn_obj *o, const char *key, size_t len, uint32_t hash);
/** Set key (replacing an existing value in place, keeping its position).
 *  New keys go last, except array-index keys ("0", "42"), which go first in
 *  numeric order, as in a JavaScript object. */
void jn_obj_set(arena *a, jn_value obj, jn_text *key, jn_value val);
void jn_obj_set_c(arena *a, jn_value obj, const char *key, jn_value val);
/** Remove key if present. */
void jn_obj_del(jn_value obj, const char *key, size_t len);

/* ---- tuples (internal) ------------------------------------------------ */

jn_value jn_tuple_new(arena *a, jn_value at);
jn_value jn_tuple_copy(arena *a, jn_value t);
void jn_tuple_bind(arena *a, jn_value t, const char *name, jn_value v);
jn_value jn_tuple_get(jn_value t, const char *name);

/* ---- stack budget for the recursive walkers ------------------------------
 * Values built by an expression can nest arbitrarily deep (a $reduce that
 * wraps its accumulator), so every recursive walk over values checks the C
 * stack against this thread's floor, set by the evaluator (0 = unchecked). */
extern _Thread_local uintptr_t jn_stack_low;
static inline int jn_stack_exhausted(void)
{
	char c;
	return (uintptr_t)&c < jn_stack_low;
}

/* ---- numbers, equality, JSON text ------------------------------------- */

/** Format d as JavaScript's Number.prototype.toString does (shortest
 *  round-trip, "1e+21" style exponents). buf needs 32 bytes. */
void jn_num_js(double d, char *buf);
/** Round d to 15 significant digits the way $string does (non-integers). */
double jn_num_prec15(double d);
/** The reference's isDeepEqual. */
int jn_deep_equal(jn_value x, jn_value y);

enum {
	JN_JSON_PRETTY = 1u << 0, /* 2-space indentation like JSON.stringify(v, _, 2) */
	JN_JSON_PREC15 = 1u << 1, /* non-integers to 15 significant digits ($string) */
};
/** Append v as JSON.stringify would (functions print as "", undefined
 *  members are skipped, undefined array items print as null). Returns -1
 *  when v holds a non-finite number (with JN_JSON_PREC15), -2 when it nests
 *  too deeply for the stack, else 0. */
int jn_json_append(sb *out, jn_value v, unsigned flags);
/** Append a JSON string literal of n bytes as JSON.stringify writes it. */
void jn_json_str(sb *out, const char *p, size_t n);

#endif
