/* jn_int.h - declarations shared by the files of engine/jsonata (private).
 *
 * The evaluation context, environments (frames), function values, error
 * values, the built-in table and the helpers the built-ins share. Nothing
 * here is part of the public API (jsonata.h).
 */
#ifndef STEPBENCH_JN_INT_H
#define STEPBENCH_JN_INT_H

#include <stdint.h>

#include "common/uuid.h"
#include "engine/jsonata/jn_parse.h"
#include "engine/jsonata/jn_regex.h"
#include "engine/jsonata/jn_sig.h"
#include "engine/jsonata/jn_value.h"
#include "engine/jsonata/jsonata.h"

/* ====================================================================== */
/* errors                                                                 */
/* ====================================================================== */

typedef enum jn_code {
#define JN_ERR(c, m) JN_E_##c,
#include "engine/jsonata/jn_errors.def"
#undef JN_ERR
	JN_E__COUNT
} jn_code;

/* An error value's payload: the reference's error object. Fields that the
 * reference would leave undefined are -1 / NULL / has_* == 0. */
struct jn_err {
	jn_code code;
	int pos;
	const char *token;
	jn_value value, value2, exp;
	unsigned char has_value, has_value2, has_exp;
	int index;           /* 0 = none */
	const char *type;    /* T0412's item type ("numbers") */
	const char *fn_name; /* D3140's functionName */
	const char *message; /* explicit message ($error, $assert, U1001, pictures) */
};

typedef struct jn_ctx jn_ctx;

static inline jn_err *jn_errp(jn_value v) { return v.u.e; }
/** A new error value of code (no position yet). */
jn_value jn_error(jn_ctx *cx, jn_code code);
/** The same with a value field. */
jn_value jn_error_v(jn_ctx *cx, jn_code code, jn_value value);
/** Code name ("T2001"). */
const char *jn_code_name(jn_code c);
/** Fill e (public error) from an error value; message from the template. */
void jn_error_export(arena *a, jn_value err, jsonata_error *e);

#define JN_TRY(v)                      \
	do {                           \
		if (jn_is_err(v))      \
			return (v);    \
	} while (0)

/* ====================================================================== */
/* environments                                                           */
/* ====================================================================== */

typedef struct jn_frame jn_frame;
struct jn_frame {
	jn_frame *parent;
	uint32_t n, cap;
	const char **names;
	jn_value *vals;
	const char *inl_names[4];
	jn_value inl_vals[4];
};

jn_frame *jn_frame_new(jn_ctx *cx, jn_frame *parent);
void jn_frame_bind(jn_ctx *cx, jn_frame *f, const char *name, jn_value v);
/** Look name up through the frames, the bindings, the host's lookup callback
 *  and the built-ins. *found says whether anything answered. */
jn_value jn_frame_lookup(jn_ctx *cx, jn_frame *f, const char *name, int *found);

/* ====================================================================== */
/* function values                                                        */
/* ====================================================================== */

typedef enum jn_fnkind {
	JN_FN_BUILTIN = 1,
	JN_FN_LAMBDA,     /* user function, thunk or partially applied lambda */
	JN_FN_PARTIAL,    /* partially applied built-in */
	JN_FN_REGEX,      /* a regex literal: function(str, fromIndex) */
	JN_FN_REGEX_NEXT, /* a match's next() */
	JN_FN_TRANSFORM,  /* |pattern|update,delete| */
} jn_fnkind;

typedef struct jn_builtin jn_builtin;

struct jn_fn {
	jn_fnkind type;
	unsigned char thunk;
	int arity;               /* what the reference's getFunctionArity says */
	const jn_builtin *bi;    /* BUILTIN, PARTIAL */
	const jn_node *node;     /* LAMBDA (body in node->expr), TRANSFORM, REGEX */
	const char **params;     /* LAMBDA parameter names */
	int nparams;
	const jn_sig *sig;       /* LAMBDA's declared signature */
	jn_value input;          /* LAMBDA's captured context */
	jn_frame *env;           /* captured environment */
	jn_value *bound;         /* PARTIAL: the built-in's arguments, holes unset */
	unsigned char *hole;
	int nbound;
	const jn_regex *re;      /* REGEX, REGEX_NEXT */
	jn_value str;            /* REGEX_NEXT: subject */
	size_t from;             /* REGEX_NEXT: byte offset to search from */
};

static inline jn_fn *jn_fnp(jn_value v) { return v.u.f; }
jn_value jn_fn_new(jn_ctx *cx, jn_kind kind, jn_fnkind type);
/** The reference's getFunctionArity. */
int jn_fn_arity(jn_value f);

/* ====================================================================== */
/* built-ins                                                              */
/* ====================================================================== */

/* What a built-in receives: the reference's `this` (focus). */
typedef struct jn_call {
	jn_ctx *cx;
	jn_value input;   /* the context value */
	jn_frame *env;
	int pos;
	const jn_builtin *bi;
} jn_call;

typedef jn_value (*jn_builtin_fn)(jn_call *c, jn_value *args, int nargs);

enum {
	JN_BI_SFN = 1u << 0,   /* only in Step Functions mode */
	JN_BI_NOSFN = 1u << 1, /* not in Step Functions mode */
};

struct jn_builtin {
	const char *name;
	jn_builtin_fn fn;
	const char *sig;
	int arity;   /* the JavaScript implementation's length */
	unsigned flags;
};

/** The built-in called name (for mode flags), or NULL. */
const jn_builtin *jn_builtin_find(const char *name, unsigned flags);
/** The parsed signature of b. */
const jn_sig *jn_builtin_sig(const jn_builtin *b);
/** The (static, shared) function value of b. */
jn_value jn_builtin_value(const jn_builtin *b);

/* ====================================================================== */
/* the evaluation context                                                 */
/* ====================================================================== */

struct jsonata_expr {
	arena *a;
	char *src;
	size_t len;
	jn_node *root;
	jn_node *chain; /* parsed jn_chain_src */
	jn_regex *relist;
};

struct jn_ctx {
	arena *a;
	const jsonata_opts *opts;
	const jsonata_expr *expr;
	unsigned flags;
	jn_frame *root;
	int depth, max_depth, explicit_depth;
	int timeout_ms;
	int64_t t0_ms;
	unsigned ticks;
	uintptr_t stack_limit;
	int64_t now_ms;
	rng rng;
	int rng_ready;
	jn_rx_scratch *rx;
	jn_regex *relist; /* regexes compiled at run time ($eval) */
};

/** Evaluate node n against input in env (the reference's evaluate). */
jn_value jn_eval(jn_ctx *cx, const jn_node *n, jn_value input, jn_frame *env);
/** Apply a function value (the reference's apply, with the trampoline). */
jn_value jn_apply(jn_ctx *cx, jn_value proc, jn_value *args, int nargs, jn_value input, jn_frame *env);
/** A built-in calling one of its function arguments. */
jn_value jn_call_fn(jn_call *c, jn_value fn, jn_value *args, int nargs);
/** Check args against sig (the reference's validateArguments). On success
 *  out and nout receive the validated arguments: in buf when they fit in
 *  bufcap values, else in the arena. */
jn_value jn_sig_validate(jn_ctx *cx, const jn_sig *sig, jn_value *args, int nargs, jn_value context,
                         jn_value *buf, int bufcap, jn_value **out, int *nout);
/** Parse and evaluate text ($eval). */
jn_value jn_eval_text(jn_call *c, const char *text, size_t len, jn_value input);
/** Random double in [0, 1) from the evaluation's generator. */
double jn_random(jn_ctx *cx);

/* ====================================================================== */
/* helpers shared by the built-ins (the reference's functions.js)         */
/* ====================================================================== */

/** fn.boolean: -1 for undefined, else 0/1. */
int jn_boolean(jn_value v);
/** fn.string (prettify flag); may return an error. */
jn_value jn_stringify(jn_ctx *cx, jn_value v, int pretty);
/** fn.append. */
jn_value jn_append(jn_ctx *cx, jn_value a, jn_value b);
/** fn.lookup. */
jn_value jn_lookup(jn_ctx *cx, jn_value input, jn_text *key);
/** isNumeric: 1 for a finite number, 0 for others; D1001 for infinities. */
int jn_is_numeric(jn_ctx *cx, jn_value v, jn_value *err);
/** A string value from a C string computed into an sb (the sb is freed). */
jn_value jn_sb_value(jn_ctx *cx, sb *b);
/** Stable merge sort of items with a comparator returning 1 to swap a
 *  before b (the reference's "a > b"), 0 to keep, or an error via *err. */
typedef int (*jn_cmp_fn)(void *ud, jn_value a, jn_value b, jn_value *err);
jn_value jn_sort_values(jn_ctx *cx, jn_value arr, jn_cmp_fn cmp, void *ud);
/** Convert a C string of bytes to the value of a UTF-16 index (for
 *  matcher results) and back. */
size_t jn_utf16_to_byte(const char *s, size_t len, double idx);

/** Evaluate e against an already converted input, allocating in a (the
 *  result lives there). The core of jsonata_eval and jsonata_eval_doc. */
int jsonata_eval_value(const jsonata_expr *e, jn_value input, const jsonata_opts *opts, arena *a,
                       jn_value *result, jsonata_error *err);

/* cJSON conversions (jn_cjson.c, the one file that uses cJSON) */
/** frozen: objects may never be updated in place (documents, bindings) */
jn_value jn_from_cjson(arena *a, const cJSON *j, int frozen);
cJSON *jn_to_cjson(jn_value v);
/** $parse for Step Functions: JSON text to a value, or an error. */
jn_value jn_parse_json(jn_ctx *cx, const char *text, size_t len, int *ok);

#endif
