/* jsonata.h - JSONata 2.x in C: compile an expression once, evaluate it many times.
 *
 * This is the public API of engine/jsonata. Everything else in the folder is
 * private (jn_ prefix). Documents cross this API as cJSON; inside, the
 * evaluator uses its own value type (jn_value.h) in a per-evaluation arena.
 *
 * Ownership
 *   - jsonata_compile returns an expression the caller frees with
 *     jsonata_free. A compiled expression is immutable: any number of threads
 *     may evaluate it at the same time.
 *   - jsonata_eval never keeps pointers to its inputs after it returns. The
 *     result tree it hands back is owned by the caller (cJSON_Delete).
 *   - A jsonata_error's strings are owned by the error; release them with
 *     jsonata_error_clear (safe on a zeroed or already-cleared error).
 *
 * Errors
 *   Functions return 0 on success and -1 on a JSONata error, which is written
 *   to *err with the reference implementation's code ("S0201", "T2001",
 *   "D3030", "U1001", ...), its character position and its message wording.
 *   Out of memory is not an error here: it goes to common/mem.h's handler.
 *
 * Undefined
 *   JSONata distinguishes "no value" (undefined) from JSON null. Across this
 *   API undefined is a NULL cJSON pointer: input == NULL evaluates with no
 *   input, and *result == NULL after a successful evaluation means the result
 *   is undefined.
 */
#ifndef STEPBENCH_JSONATA_H
#define STEPBENCH_JSONATA_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "common/clock.h"

typedef struct jsonata_expr jsonata_expr;

typedef struct jsonata_error {
	char code[8];        /* e.g. "T2001"; "" when no error */
	int position;        /* character position as the reference reports it; -1 if none */
	char *message;       /* the reference's wording, placeholders filled in */
	char *token;         /* NULL when the error has no token */
	char *value;         /* JSON text of the offending value, NULL when none */
	char *function_name; /* NULL when none */
} jsonata_error;

/** Release the strings of e and reset it to "no error". */
void jsonata_error_clear(jsonata_error *e);

/**
 * Parse len bytes of UTF-8 JSONata text.
 * @param err  out: the syntax error (S0xxx) when NULL is returned
 * @return the compiled expression (caller frees with jsonata_free), or NULL.
 */
jsonata_expr *jsonata_compile(const char *text, size_t len, jsonata_error *err);
/** Free a compiled expression (NULL is fine). */
void jsonata_free(jsonata_expr *e);
/** The source text the expression was compiled from (owned by e). */
const char *jsonata_source(const jsonata_expr *e);

/* Flags for jsonata_opts.flags */
enum {
	/* Step Functions' dialect: adds $partition, $range, $hash, $uuid,
	 * $parse and seeded $random, and removes $eval, as AWS documents. */
	JSONATA_SFN = 1u << 0,
	/* A result that is a function (built-in or lambda) fails the evaluation
	 * with code "U1003" instead of becoming undefined: Step Functions reports
	 * such a field as "returned an unsupported result type". */
	JSONATA_FUNCTION_RESULT_ERROR = 1u << 1,
};

/**
 * Looks up a variable that is neither bound by the expression itself nor in
 * jsonata_opts.bindings. Return a borrowed value that stays valid until
 * jsonata_eval returns, or NULL when the name is unknown (the variable is then
 * undefined). name comes without the '$'. The callback is asked at most
 * once per name and evaluation (the answer is converted and kept), after
 * the expression's own variables and the bindings; like a binding, a name it
 * answers shadows a built-in function of that name.
 */
typedef const cJSON *(*jsonata_lookup_fn)(void *ctx, const char *name);

typedef struct jsonata_opts {
	const cJSON *bindings;     /* object: name (no '$') -> value; may be NULL */
	jsonata_lookup_fn lookup;  /* may be NULL */
	void *lookup_ctx;
	clk *clock;                /* $now() and $millis(); NULL = the real clock */
	uint64_t seed;             /* seeds $random/$shuffle/$uuid when flags ask for
	                              determinism; 0 = from the system */
	int max_depth;             /* evaluation depth limit; 0 = the default */
	int timeout_ms;            /* wall-clock limit; 0 = none */
	unsigned flags;            /* JSONATA_* */
} jsonata_opts;

/**
 * Evaluate e against input (NULL = undefined).
 * @param opts    may be NULL for defaults
 * @param result  out: the result (caller owns; NULL = undefined)
 * @param err     out: the error when -1 is returned (caller clears it)
 * @return 0 or -1.
 * Exceeding max_depth or timeout_ms ends with error U1001.
 */
int jsonata_eval(const jsonata_expr *e, const cJSON *input, const jsonata_opts *opts,
                 cJSON **result, jsonata_error *err);

/* ---- pre-converted documents (additive) -------------------------------------
 * The engine evaluates many expressions over the same data. A jsonata_doc
 * holds a document converted once into the evaluator's own values, so
 * repeated evaluations skip the cJSON conversion. A document is immutable
 * once built: any number of evaluations, on any threads, may read it. */
typedef struct jsonata_doc jsonata_doc;

/** Convert json (NULL = undefined) once. The caller frees the document with
 *  jsonata_doc_free; json is not referenced afterwards. */
jsonata_doc *jsonata_doc_new(const cJSON *json);
/** Free a document (NULL is fine). */
void jsonata_doc_free(jsonata_doc *d);
/** jsonata_eval with a pre-converted input (NULL = undefined). */
int jsonata_eval_doc(const jsonata_expr *e, const jsonata_doc *input, const jsonata_opts *opts,
                     cJSON **result, jsonata_error *err);

/**
 * JSON text of v as JavaScript's JSON.stringify writes it (numbers in
 * shortest round-trip form, "1e+21" exponents), compact or with 2-space
 * indentation. Caller frees with mem_free.
 */
char *jsonata_print(const cJSON *v, int pretty);

/**
 * Serialize err as the `stepbench jsonata` CLI prints it:
 * {"code": ..., "message": ..., "position": N} plus "token", "value" and
 * "functionName" when present. Caller frees the text with mem_free.
 */
char *jsonata_error_json(const jsonata_error *err);

#endif
