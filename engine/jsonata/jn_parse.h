/* jn_parse.h - the JSONata parser (private): Pratt parsing, then the
 * reference's post-parse pass that turns '.' and '[' chains into paths of
 * steps with stages, resolves '%' parents and marks tail calls.
 *
 * Every node lives in the arena given to jn_parse (the compiled
 * expression's), so a tree is freed with that arena and is immutable once
 * jn_parse returns: evaluations share it.
 */
#ifndef STEPBENCH_JN_PARSE_H
#define STEPBENCH_JN_PARSE_H

#include "common/arena.h"
#include "engine/jsonata/jn_sig.h"
#include "engine/jsonata/jn_value.h"

typedef enum jn_ast {
#define JN_AST(e, s) JN_AST_##e,
#include "engine/jsonata/jn_ast.def"
#undef JN_AST
} jn_ast;

/* operators of BINARY/UNARY/APPLY/BIND nodes */
typedef enum jn_op {
	JN_OP_NONE = 0,
	JN_OP_DOT, JN_OP_PRED, JN_OP_GROUP, JN_OP_SORT, JN_OP_BIND, JN_OP_FOCUS, JN_OP_INDEX, JN_OP_APPLY,
	JN_OP_ADD, JN_OP_SUB, JN_OP_MUL, JN_OP_DIV, JN_OP_MOD,
	JN_OP_EQ, JN_OP_NE, JN_OP_LT, JN_OP_LE, JN_OP_GT, JN_OP_GE,
	JN_OP_CONCAT, JN_OP_AND, JN_OP_OR, JN_OP_IN, JN_OP_RANGE,
	JN_OP_NEG,   /* unary - */
	JN_OP_ARRAY, /* unary [ ] */
	JN_OP_OBJECT /* unary { } */
} jn_op;

typedef struct jn_node jn_node;
struct jn_regex;

typedef struct jn_slot {
	const char *label; /* "!0", "!1"... the variable the tuple stream binds */
	int level;
	int index;
} jn_slot;

enum { JN_STAGE_FILTER = 1, JN_STAGE_INDEX };
typedef struct jn_stage {
	int type;
	jn_node *expr;    /* filter */
	const char *name; /* index variable */
	int pos;
} jn_stage;

typedef struct jn_group {
	int n;
	jn_node **keys, **vals;
	int pos;
} jn_group;

typedef struct jn_term {
	int descending;
	jn_node *expr;
} jn_term;

struct jn_node {
	jn_ast type;
	jn_op op;
	int pos;
	const char *opstr;   /* operator token text (binary, unary, operator nodes) */
	jn_value val;        /* literal value; NAME/VARIABLE: the name as a string */
	const char *name;    /* NAME/VARIABLE name */
	jn_node *lhs, *rhs;
	jn_node *expr;       /* unary operand, lambda body, condition */
	jn_node *then, *els;
	jn_node **list;      /* path steps, block/array items, call arguments, lambda params, object keys */
	int nlist, caplist;
	jn_node **vals;      /* object constructor values */
	jn_node *procedure;
	jn_stage *predicate; /* predicates of a non-path expression */
	int npredicate;
	jn_stage *stages;    /* stages of a path step */
	int nstages;
	jn_group *group;
	jn_term *terms;
	int nterms;
	const char *focus;   /* @$var */
	const char *index;   /* #$var */
	jn_slot *ancestor;
	jn_slot *slot;       /* PARENT */
	struct jn_slotlist *seeking; /* seekingParent (shared the way the reference shares it) */
	jn_sig *sig;         /* LAMBDA with a signature */
	struct jn_regex *re; /* REGEX */
	const char *re_src, *re_flags;
	jn_node *pattern, *update, *del; /* TRANSFORM */
	unsigned char keep_array, cons_array, keep_singleton, tuple, thunk, is_end;
};

typedef struct jn_slotlist {
	jn_slot **items;
	int n, cap;
} jn_slotlist;

typedef struct jn_parse_err {
	const char *code;
	int pos;
	const char *token; /* NULL when none */
	jn_value value;    /* JN_UNDEFINED when none */
} jn_parse_err;

/**
 * Parse len bytes of src into nodes allocated in a. Regex literals are
 * compiled and linked into *relist (the caller frees them with
 * jn_regex_free_all). Returns the root, or NULL with *err filled.
 */
jn_node *jn_parse(arena *a, const char *src, size_t len, jn_parse_err *err, struct jn_regex **relist);

/** The reference's helper for function composition (f ~> g). */
extern const char jn_chain_src[];

/** Node kind name as the reference spells it ("path", "function"...). */
const char *jn_ast_name(jn_ast t);

#endif
