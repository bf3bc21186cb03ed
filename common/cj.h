/* cj.h - cJSON helpers: located parsing, typed member access, deep equality.
 *
 * cJSON is the document type at the edges (files, HTTP bodies, LMDB records).
 * Its rules apply: whoever parses or creates a tree frees it with cJSON_Delete;
 * cJSON_AddItem* transfers ownership to the container.
 *
 * cj_doc adds what cJSON lacks for files people write: precise syntax errors
 * and the line and column of every value, so checks run after parsing can
 * still say `file:line:column: message`.
 */
#ifndef STEPBENCH_CJ_H
#define STEPBENCH_CJ_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/sb.h"

/* ---- located documents -------------------------------------------------- */

typedef struct cj_doc cj_doc;

/**
 * Parse len bytes of text as one JSON document.
 * @param name  file name used in messages (copied)
 * @param err   on failure receives "name:line:column: message"
 * @return the document (caller frees with cj_doc_free), or NULL on a syntax
 *         error, an empty document, trailing text, or nesting deeper than
 *         CJ_MAX_DEPTH.
 */
cj_doc *cj_doc_parse(const char *text, size_t len, const char *name, sb *err);
#define CJ_MAX_DEPTH 512

/** The root value; owned by the document. */
cJSON *cj_doc_root(const cj_doc *d);
/** Take the root out of the document: the caller owns it, and positions of
 *  its nodes stay answerable only while the document lives. */
cJSON *cj_doc_detach(cj_doc *d);
/** The file name given at parse time. */
const char *cj_doc_name(const cj_doc *d);
/**
 * Where node (any value of this document) starts: its key for an object
 * member when key is non-zero, otherwise its value. 1-based line and column
 * (columns count bytes). Unknown nodes give line 0.
 */
void cj_doc_pos(const cj_doc *d, const cJSON *node, int key, int *line, int *col);
/** Append "name:line:column: " for node to out. */
void cj_doc_where(const cj_doc *d, const cJSON *node, int key, sb *out);
void cj_doc_free(cj_doc *d);

/** Parse text strictly (no trailing text). NULL on error, with *errpos set
 *  to the byte offset of the problem when errpos is not NULL. */
cJSON *cj_parse(const char *text, size_t len, size_t *errpos);

/* ---- member access ---------------------------------------------------- */

/** The member key of obj if it is a string, else NULL. Borrowed. */
const char *cj_str(const cJSON *obj, const char *key);
/** The member key of obj if it is a number, else dflt. */
double cj_num(const cJSON *obj, const char *key, double dflt);
/** 1 for true, 0 for false, dflt when absent or not a boolean. */
int cj_bool(const cJSON *obj, const char *key, int dflt);
/** The member key of obj when it is an object/array, else NULL. */
cJSON *cj_obj(const cJSON *obj, const char *key);
cJSON *cj_arr(const cJSON *obj, const char *key);

/* ---- values ----------------------------------------------------------- */

/** Deep equality: objects by key set (order ignored), arrays in order,
 *  numbers by value (1 == 1.0). */
int cj_equal(const cJSON *a, const cJSON *b);
/** Compact JSON text of v; caller frees with mem_free. */
char *cj_print(const cJSON *v);
/** Append compact JSON text of v to out. */
void cj_print_sb(const cJSON *v, sb *out);
/** Append v as indented JSON (two spaces, "key": value) to out, as people
 *  expect to read and paste it (cJSON_Print uses tabs). */
void cj_pretty_sb(const cJSON *v, sb *out);
/** Append a member step to a JSON path: `.key`, or `['key']` when key is not
 *  an identifier. */
void cj_path_key(sb *path, const char *key);
/** Append `[i]` to a JSON path. */
void cj_path_index(sb *path, int i);
/** Name of v's JSON type: "object", "array", "string", "number", "boolean", "null". */
const char *cj_type_name(const cJSON *v);

#endif
