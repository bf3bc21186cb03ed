/* match.h - expected values with matchers, compared against what happened.
 *
 * An expected value is plain JSON in which any object whose members all start
 * with '$' is a matcher. Matchers combine (every member must hold):
 *
 *   {"$any": true}        any value, as long as there is one
 *   {"$absent": true}     no value at all (a member that must not exist)
 *   {"$type": T}          T: "string" "number" "integer" "boolean" "null" "object" "array"
 *   {"$regex": "re"}      a string in which the regular expression (JSONata's,
 *                         i.e. JavaScript syntax) finds a match; anchor with ^...$
 *   {"$contains": v}      string: has v as a substring; array: some element
 *                         matches v; object: has v's members (matched as values)
 *   {"$length": n}        a string (in characters), array or object (in members)
 *                         of length n; n may itself be a matcher ({"$gte": 1})
 *   {"$gt": n} {"$gte": n} {"$lt": n} {"$lte": n}   a number compared with n
 *   {"$timestamp": true}  an ISO 8601 date-time string ("2025-10-20T10:30:00Z")
 *
 * Everything else compares by value: objects have exactly the expected
 * members (unless compared as a subset), arrays the same elements in order,
 * numbers by value (1 == 1.0).
 *
 * Ownership: mismatches appended to a runner_mismatches are owned by it and
 * freed with runner_mismatches_free. Nothing here keeps a pointer to its
 * arguments.
 */
#ifndef STEPBENCH_RUNNER_MATCH_H
#define STEPBENCH_RUNNER_MATCH_H

#include <cjson/cJSON.h>

#include "common/cj.h"
#include "common/sb.h"
#include "runner/result.h"

/** 1 when v is a matcher object (every member's name starts with '$'). */
int runner_is_matcher(const cJSON *v);

/**
 * Check the matchers anywhere inside v (an expected value from a scenario):
 * unknown names (with a suggestion), wrong argument types, regular
 * expressions that do not compile, objects that mix matcher and plain
 * members. Each problem goes to err as one "file:line:column: message" line
 * (positions from doc; doc may be NULL).
 * @return the number of problems found.
 */
int runner_match_validate(const cJSON *v, const cj_doc *doc, sb *err);

enum {
	RUNNER_MATCH_SUBSET = 1u << 0, /* at the top level, extra actual members are fine */
};

/**
 * Compare expected exp with actual act (NULL: there is no actual value).
 * @param path   the JSON path of exp, for messages ("expect.output")
 * @param doc    where exp came from, for line:column (may be NULL)
 * @param out    receives one mismatch per difference (may be NULL to only ask)
 * @return 1 when act matches, 0 when not.
 */
int runner_match(const cJSON *exp, const cJSON *act, unsigned flags, const char *path, const cj_doc *doc,
                 runner_mismatches *out);

/**
 * Append a mismatch. path/message are copied; expected/actual are rendered
 * as compact JSON (actual NULL renders as "(absent)"); node (may be NULL)
 * locates it in doc.
 */
void runner_mismatch_add(runner_mismatches *out, const char *path, const char *message, const cJSON *expected,
                         const cJSON *actual, const cj_doc *doc, const cJSON *node);
/** The same with expected and actual already as text (copied; NULL: nothing to show). */
runner_mismatch *runner_mismatch_add_text(runner_mismatches *out, const char *path, const char *message,
                                          const char *expected, const char *actual);
void runner_mismatches_free(runner_mismatches *m);

/** The closest of the NULL-terminated candidates to word (a likely typo), or NULL. */
const char *runner_suggest(const char *word, const char *const *candidates);

#endif
