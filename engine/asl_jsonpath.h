/* asl_jsonpath.h - the JSONPath dialect of Amazon States Language (Jayway's).
 *
 * ASL's JSONPath fields (InputPath, OutputPath, ItemsPath, `.$` keys, *Path,
 * Choice `Variable`) take a path rooted at `$` (the state's input), `$$`
 * (the Context object) or `$name` (a variable). The evaluator follows
 * Jayway JsonPath, which AWS runs: `.name`, `['name']`, `[n]`, `[*]`,
 * `.*`, `[a:b]`, unions `[a,b]`, deep scan `..`, filters `[?(@.x == 1)]`
 * and the function `length()`. A path made only of names and indices is
 * *definite*: it yields one value or fails. Any other path is indefinite and
 * yields an array of every match (possibly empty), never an error.
 *
 * Ownership: a compiled path is immutable (share it between threads) and
 * freed with asl_path_free. Results are new cJSON trees the caller owns.
 * Errors are written as Jayway words them ("No results for path:
 * $['x']", "Missing property in path $['a']") to a caller sb.
 */
#ifndef STEPBENCH_ASL_JSONPATH_H
#define STEPBENCH_ASL_JSONPATH_H

#include <cjson/cJSON.h>

#include "common/sb.h"

typedef enum { ASL_ROOT_INPUT, ASL_ROOT_CONTEXT, ASL_ROOT_VAR } asl_root;

typedef struct asl_path asl_path;

/**
 * Compile text. @param err  out: why it is not a path (may be NULL).
 * @return the path (free with asl_path_free) or NULL.
 */
asl_path *asl_path_compile(const char *text, sb *err);
void asl_path_free(asl_path *p);
/** The source text (owned by p). */
const char *asl_path_text(const asl_path *p);
asl_root asl_path_root(const asl_path *p);
/** The variable name of a `$name...` path (no '$'), else NULL. */
const char *asl_path_var(const asl_path *p);
/** 1 when the path has only names and indices after its root. */
int asl_path_definite(const asl_path *p);
/** 1 when the path is `$`, `$$` or `$name` alone. */
int asl_path_is_root(const asl_path *p);
/** 1 when the path may be used as a ResultPath (input root, names and indices). */
int asl_path_is_reference(const asl_path *p);

/**
 * Evaluate p against the document its root names (the caller resolves `$`,
 * `$$` or the variable). root NULL means the variable or context is absent.
 * @param out  out: the value (caller owns); an array for indefinite paths
 * @param err  out: the Jayway message on failure
 * @return 0, or -1 when a definite path matches nothing.
 */
int asl_path_eval(const asl_path *p, const cJSON *root, cJSON **out, sb *err);

/**
 * Like asl_path_eval but borrows: *out points into root (definite paths
 * only; indefinite paths return -2 so the caller uses asl_path_eval).
 */
int asl_path_lookup(const asl_path *p, const cJSON *root, const cJSON **out, sb *err);

/**
 * ResultPath: put value (ownership taken) at p inside *doc, creating
 * missing objects on the way. `$` replaces *doc.
 * @return 0, or -1 with err when a step meets a value that is not an object
 *         (or an index outside an array); value is freed then.
 */
int asl_path_set(const asl_path *p, cJSON **doc, cJSON *value, sb *err);

/** Append Jayway's normalized form of p's first n steps ("$['a'][0]"). */
void asl_path_normalized(const asl_path *p, int nsteps, sb *out);

#endif
