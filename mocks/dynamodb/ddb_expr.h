/* ddb_expr.h - DynamoDB's expression languages: parsing, checking, evaluation.
 *
 * One request carries up to five expressions (KeyConditionExpression,
 * ConditionExpression, FilterExpression, UpdateExpression,
 * ProjectionExpression) sharing ExpressionAttributeNames/Values, or their
 * legacy forms (KeyConditions, Expected, QueryFilter/ScanFilter,
 * AttributeUpdates, AttributesToGet). ddb_exprs_parse reads all the ones an
 * operation allows, in DynamoDB's order of checks, into a ddb_exprs:
 *   - mixing expression and legacy parameters, names/values without any
 *     expression, malformed placeholder keys, invalid values;
 *   - each expression's syntax ("Invalid UpdateExpression: Syntax error;
 *     token: \"x\", near: \"a x b\""), reserved words, undefined
 *     placeholders, functions and operand types, overlapping paths;
 *   - placeholders defined but never used.
 * Errors fail the request (ValidationException) and return -1.
 *
 * Memory: the syntax trees live in the request's arena; values the
 * expressions produce are owned by the ddb_exprs and freed by
 * ddb_exprs_free, which must be called whatever parse returned.
 * Items passed to the evaluators are borrowed.
 */
#ifndef STEPBENCH_DDB_EXPR_H
#define STEPBENCH_DDB_EXPR_H

#include "mocks/dynamodb/ddb_int.h"

typedef struct ddb_node ddb_node;
typedef struct ddb_update ddb_update;
typedef struct ddb_paths ddb_paths;

/* which expressions an operation takes (ddb_exprs_parse's `allow`) */
enum {
	DDB_X_COND = 1u << 0,    /* ConditionExpression / Expected */
	DDB_X_FILTER = 1u << 1,  /* FilterExpression / QueryFilter or ScanFilter */
	DDB_X_KEY = 1u << 2,     /* KeyConditionExpression / KeyConditions */
	DDB_X_UPDATE = 1u << 3,  /* UpdateExpression / AttributeUpdates */
	DDB_X_PROJ = 1u << 4,    /* ProjectionExpression / AttributesToGet */
	DDB_X_QUERY = 1u << 5,   /* legacy filter is QueryFilter (else ScanFilter) */
};

typedef struct ddb_exprs {
	mock_req *rq;
	const cJSON *names;  /* ExpressionAttributeNames (borrowed) */
	cJSON *values;       /* ExpressionAttributeValues, checked and normalised (owned) */
	unsigned char *names_used, *values_used;
	int n_names, n_values;
	cJSON *tmp;          /* values computed during evaluation (owned) */
	const char *kind;    /* the expression being parsed, for messages */
	ddb_node *cond, *filter, *keycond;
	ddb_update *update;
	ddb_paths *proj;
	int legacy_filter_or; /* ConditionalOperator OR for the legacy forms */
} ddb_exprs;

/** Parse the expressions `allow` names from request in. */
int ddb_exprs_parse(mock_req *rq, const cJSON *in, unsigned allow, ddb_exprs *x);
void ddb_exprs_free(ddb_exprs *x);

/** Evaluate a condition on item (NULL: no item). 1 true, 0 false. */
int ddb_cond_eval(ddb_exprs *x, const ddb_node *n, const cJSON *item);

/**
 * Apply the update to a copy of old (NULL: a new item holding key).
 * *out receives the new item (caller frees). For UPDATED_OLD/UPDATED_NEW,
 * *paths (optional) receives the set of top-level/nested paths changed.
 * Fails rq for run-time errors (wrong operand types, invalid paths, number
 * overflow).
 */
int ddb_update_apply(ddb_exprs *x, const ddb_table *t, const cJSON *old, const cJSON *key, cJSON **out);
/** The parts of item the update touched (new tree), for UPDATED_OLD/NEW. */
cJSON *ddb_update_touched(ddb_exprs *x, const cJSON *item);
/** Fail rq if the update writes a key attribute of t. */
int ddb_update_check_keys(ddb_exprs *x, const ddb_table *t);

/** The item reduced to the projection (new tree); the whole item when proj is NULL. */
cJSON *ddb_proj_apply(const ddb_paths *proj, const cJSON *item);
/** The top-level attribute names a projection reads ("a" of "a.b[1]"), NULL-terminated, in the arena. */
const char **ddb_proj_top_names(ddb_exprs *x, const ddb_paths *proj);

/** 1 when the condition reads top-level attribute name anywhere. */
int ddb_cond_uses_attr(const ddb_node *n, const char *name);

/** Evaluate x->cond on live; on failure record ConditionalCheckFailedException
 *  (with Item when rvoc is ALL_OLD) and return -1. */
int ddb_cond_check(mock_req *rq, ddb_exprs *x, const cJSON *live, const char *rvoc);

/* Key conditions reduced to what Query walks. */
typedef struct ddb_keyrange {
	const cJSON *hash;       /* the hash key value */
	int op;                  /* DDB_KR_*; DDB_KR_NONE: no range condition */
	const cJSON *v1, *v2;    /* operands (v2 for BETWEEN) */
} ddb_keyrange;
enum { DDB_KR_NONE, DDB_KR_EQ, DDB_KR_LT, DDB_KR_LE, DDB_KR_GT, DDB_KR_GE, DDB_KR_BETWEEN, DDB_KR_BEGINS };

/** Check the key condition against the keys (hk, rk) Query walks and reduce it. */
int ddb_keycond_reduce(ddb_exprs *x, const ddb_keydef *hk, const ddb_keydef *rk, ddb_keyrange *out);

#endif
