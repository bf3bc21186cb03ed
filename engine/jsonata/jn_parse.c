/* jn_parse.c - Pratt parser and the reference's post-parse pass (paths, stages, parents, tail calls). */
#include "engine/jsonata/jn_parse.h"

#include <string.h>

#include "engine/jsonata/jn_lex.h"
#include "engine/jsonata/jn_regex.h"

const char jn_chain_src[] = "function($f, $g) { function($x){ $g($f($x)) } }";

const char *jn_ast_name(jn_ast t)
{
	static const char *const names[] = {
#define JN_AST(e, s) s,
#include "engine/jsonata/jn_ast.def"
#undef JN_AST
	};
	return names[t];
}

typedef struct parser {
	arena *a;
	jn_lexer lx;
	jn_node *node; /* the current token */
	const char *id; /* its symbol id */
	int srclen;     /* characters */
	jn_parse_err *err;
	int failed;
	int ancestor_label, ancestor_index;
	jn_node **ancestry;
	int nancestry, capancestry;
	jn_regex **relist;
	int depth; /* recursion of expression() and process(): bounded so that
	              hostile text cannot exhaust the C stack */
} parser;

#define MAX_PARSE_DEPTH 1000

/* ====================================================================== */
/* nodes                                                                  */
/* ====================================================================== */

static jn_node *node_new(parser *p, jn_ast type, int pos)
{
	jn_node *n = arena_calloc(p->a, sizeof *n);
	n->type = type;
	n->pos = pos;
	return n;
}

static void list_push(parser *p, jn_node *n, jn_node *item)
{
	if (n->nlist == n->caplist) {
		int nc = n->caplist ? n->caplist * 2 : 4;
		n->list = arena_realloc(p->a, n->list, sizeof(jn_node *) * (size_t)n->caplist, sizeof(jn_node *) * (size_t)nc);
		n->caplist = nc;
	}
	n->list[n->nlist++] = item;
}

static void vals_set(parser *p, jn_node *n, int i, jn_node *v)
{
	/* vals grows with list (object constructors push a key then set its value) */
	jn_node **nv = arena_alloc(p->a, sizeof(jn_node *) * (size_t)(i + 1));
	if (i)
		memcpy(nv, n->vals, sizeof(jn_node *) * (size_t)i);
	nv[i] = v;
	n->vals = nv;
}

static jn_stage *stages_push(parser *p, jn_stage **arr, int *n)
{
	jn_stage *na = arena_alloc(p->a, sizeof(jn_stage) * (size_t)(*n + 1));
	if (*n)
		memcpy(na, *arr, sizeof(jn_stage) * (size_t)*n);
	*arr = na;
	jn_stage *s = &na[(*n)++];
	memset(s, 0, sizeof *s);
	return s;
}

static jn_node *clone(parser *p, const jn_node *src);

static jn_node **clone_list(parser *p, jn_node *const *l, int n)
{
	if (!l)
		return NULL;
	jn_node **r = arena_alloc(p->a, sizeof(jn_node *) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++)
		r[i] = clone(p, l[i]);
	return r;
}

/* deep copy of an unprocessed tree (the reference's JSON round trip) */
static jn_node *clone_in(parser *p, const jn_node *src);
static void *perr(parser *p, const char *code, int pos, const char *token);

static jn_node *clone(parser *p, const jn_node *src)
{
	if (!src || p->failed)
		return NULL;
	if (++p->depth > MAX_PARSE_DEPTH) {
		p->depth--;
		return perr(p, "S0220", src->pos, NULL);
	}
	jn_node *r = clone_in(p, src);
	p->depth--;
	return r;
}

static jn_node *clone_in(parser *p, const jn_node *src)
{
	jn_node *n = arena_alloc(p->a, sizeof *n);
	*n = *src;
	n->lhs = clone(p, src->lhs);
	n->rhs = clone(p, src->rhs);
	n->expr = clone(p, src->expr);
	n->then = clone(p, src->then);
	n->els = clone(p, src->els);
	n->procedure = clone(p, src->procedure);
	n->pattern = clone(p, src->pattern);
	n->update = clone(p, src->update);
	n->del = clone(p, src->del);
	n->list = clone_list(p, src->list, src->nlist);
	n->caplist = src->nlist;
	n->vals = clone_list(p, src->vals, src->nlist);
	if (src->terms) {
		n->terms = arena_alloc(p->a, sizeof(jn_term) * (size_t)src->nterms);
		for (int i = 0; i < src->nterms; i++) {
			n->terms[i].descending = src->terms[i].descending;
			n->terms[i].expr = clone(p, src->terms[i].expr);
		}
	}
	return n;
}

/* ====================================================================== */
/* errors                                                                 */
/* ====================================================================== */

static void *perr(parser *p, const char *code, int pos, const char *token)
{
	if (!p->failed) {
		p->failed = 1;
		p->err->code = code;
		p->err->pos = pos;
		p->err->token = token;
		p->err->value = jn_undefined();
	}
	return NULL;
}

static void *perr_v(parser *p, const char *code, int pos, const char *token, jn_value v)
{
	if (!p->failed) {
		perr(p, code, pos, token);
		p->err->value = v;
	}
	return NULL;
}

/* the token's value as the reference would put it in an error */
static const char *tok_text(parser *p, const jn_node *n)
{
	if (n->type == JN_AST_END)
		return "(end)";
	if (n->opstr)
		return n->opstr;
	if (n->name)
		return n->name;
	switch (n->type) {
	case JN_AST_STRING:
		return jn_str(n->val);
	case JN_AST_NUMBER: {
		char *b = arena_alloc(p->a, 32);
		jn_num_js(jn_num(n->val), b);
		return b;
	}
	case JN_AST_VALUE:
		return n->val.kind == JN_NULL ? "null" : jn_truth(n->val) ? "true" : "false";
	case JN_AST_REGEX:
		return n->re_src;
	default:
		return "";
	}
}

/* ====================================================================== */
/* symbols                                                                */
/* ====================================================================== */

static int lbp_of(const char *id)
{
	static const struct {
		const char *id;
		int bp;
	} t[] = {
		{".", 75}, {"[", 80}, {"{", 70}, {"(", 80}, {"@", 80}, {"#", 80}, {"?", 20}, {"+", 50},
		{"-", 50}, {"*", 60}, {"/", 60}, {"%", 60}, {"=", 40}, {"<", 40}, {">", 40}, {"^", 40},
		{":=", 10}, {"!=", 40}, {"<=", 40}, {">=", 40}, {"~>", 40}, {"?:", 40}, {"??", 40},
		{"and", 30}, {"or", 25}, {"in", 40}, {"&", 50},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(t[i].id, id))
			return t[i].bp;
	return 0;
}

/* operators the reference's symbol table knows (others give S0204) */
static int known_operator(const char *op)
{
	static const char *const known[] = {":", ";", ",", ")", "]", "}", "..", ".", "+", "-", "*", "/", "%",
	                                    "=", "<", ">", "!=", "<=", ">=", "&", "and", "or", "in", "~>", "??",
	                                    "**", "(", "[", "^", "{", ":=", "@", "#", "?", "?:", "|"};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (!strcmp(known[i], op))
			return 1;
	return 0;
}

static int is(parser *p, const char *id) { return !strcmp(p->id, id); }

static jn_node *advance(parser *p, const char *id, int infix)
{
	if (p->failed)
		return NULL;
	if (id && !is(p, id)) {
		const char *code = p->node->type == JN_AST_END ? "S0203" : "S0202";
		return perr_v(p, code, p->node->pos, tok_text(p, p->node), jn_string(p->a, id));
	}
	jn_token t;
	if (jn_lex_next(&p->lx, infix, &t) < 0)
		return perr(p, p->lx.err_code, p->lx.err_pos, p->lx.err_token);
	jn_node *n;
	switch (t.type) {
	case JN_TOK_END:
		n = node_new(p, JN_AST_END, p->srclen);
		n->is_end = 1;
		p->id = "(end)";
		break;
	case JN_TOK_NAME:
		n = node_new(p, JN_AST_NAME, t.pos);
		n->name = t.text;
		n->val = jn_string_n(p->a, t.text, t.len);
		p->id = "(name)";
		break;
	case JN_TOK_VARIABLE:
		n = node_new(p, JN_AST_VARIABLE, t.pos);
		n->name = t.text;
		n->val = jn_string_n(p->a, t.text, t.len);
		p->id = "(name)";
		break;
	case JN_TOK_OPERATOR:
		if (!known_operator(t.text))
			return perr(p, "S0204", t.pos, t.text);
		n = node_new(p, JN_AST_OPERATOR, t.pos);
		n->opstr = t.text;
		p->id = t.text;
		break;
	case JN_TOK_STRING:
		n = node_new(p, JN_AST_STRING, t.pos);
		n->val = jn_string_n(p->a, t.text, t.len);
		p->id = "(literal)";
		break;
	case JN_TOK_NUMBER:
		n = node_new(p, JN_AST_NUMBER, t.pos);
		n->val = jn_number(t.num);
		p->id = "(literal)";
		break;
	case JN_TOK_VALUE:
		n = node_new(p, JN_AST_VALUE, t.pos);
		n->val = t.num < 0 ? jn_null() : jn_bool(t.num > 0);
		p->id = "(literal)";
		break;
	case JN_TOK_REGEX: {
		n = node_new(p, JN_AST_REGEX, t.pos);
		char msg[300];
		n->re = jn_regex_compile(p->a, t.text, t.len, t.flags, p->relist, msg, sizeof msg);
		if (!n->re)
			return perr_v(p, "S0303", t.pos, t.text, jn_string(p->a, msg));
		n->re_src = t.text;
		n->re_flags = t.flags;
		p->id = "(regex)";
		break;
	}
	default:
		return perr(p, "S0205", t.pos, t.text);
	}
	p->node = n;
	return n;
}

static jn_node *expression(parser *p, int rbp);

static jn_node *object_parser(parser *p, jn_node *t, jn_node *left)
{
	jn_node *o = t;
	if (!is(p, "}")) {
		for (;;) {
			jn_node *k = expression(p, 0);
			if (!k)
				return NULL;
			advance(p, ":", 0);
			jn_node *v = expression(p, 0);
			if (!v)
				return NULL;
			list_push(p, o, k);
			vals_set(p, o, o->nlist - 1, v);
			if (!is(p, ","))
				break;
			advance(p, ",", 0);
		}
	}
	advance(p, "}", 1);
	if (p->failed)
		return NULL;
	if (!left) {
		o->type = JN_AST_UNARY;
		o->op = JN_OP_OBJECT;
	} else {
		o->type = JN_AST_BINARY;
		o->op = JN_OP_GROUP;
		o->lhs = left;
	}
	return o;
}

static jn_node *nud(parser *p, jn_node *t)
{
	if (t->type != JN_AST_OPERATOR)
		return t; /* names, literals, regex, (end) */
	const char *op = t->opstr;
	if (!strcmp(op, "and") || !strcmp(op, "or") || !strcmp(op, "in"))
		return t;
	if (!strcmp(op, "-")) {
		t->expr = expression(p, 70);
		t->type = JN_AST_UNARY;
		t->op = JN_OP_NEG;
		return t->expr ? t : NULL;
	}
	if (!strcmp(op, "*")) {
		t->type = JN_AST_WILDCARD;
		return t;
	}
	if (!strcmp(op, "**")) {
		t->type = JN_AST_DESCENDANT;
		return t;
	}
	if (!strcmp(op, "%")) {
		t->type = JN_AST_PARENT;
		return t;
	}
	if (!strcmp(op, "(")) {
		while (!is(p, ")")) {
			jn_node *e = expression(p, 0);
			if (!e)
				return NULL;
			list_push(p, t, e);
			if (!is(p, ";"))
				break;
			advance(p, ";", 0);
		}
		advance(p, ")", 1);
		t->type = JN_AST_BLOCK;
		return p->failed ? NULL : t;
	}
	if (!strcmp(op, "[")) {
		if (!is(p, "]")) {
			for (;;) {
				jn_node *item = expression(p, 0);
				if (!item)
					return NULL;
				if (is(p, "..")) {
					jn_node *r = node_new(p, JN_AST_BINARY, p->node->pos);
					r->op = JN_OP_RANGE;
					r->opstr = "..";
					r->lhs = item;
					advance(p, "..", 0);
					r->rhs = expression(p, 0);
					if (!r->rhs)
						return NULL;
					item = r;
				}
				list_push(p, t, item);
				if (!is(p, ","))
					break;
				advance(p, ",", 0);
			}
		}
		advance(p, "]", 1);
		t->type = JN_AST_UNARY;
		t->op = JN_OP_ARRAY;
		return p->failed ? NULL : t;
	}
	if (!strcmp(op, "{"))
		return object_parser(p, t, NULL);
	if (!strcmp(op, "|")) {
		t->type = JN_AST_TRANSFORM;
		t->pattern = expression(p, 0);
		advance(p, "|", 0);
		t->update = expression(p, 0);
		if (p->failed)
			return NULL;
		if (is(p, ",")) {
			advance(p, ",", 0);
			t->del = expression(p, 0);
		}
		advance(p, "|", 0);
		return p->failed ? NULL : t;
	}
	return perr(p, "S0211", t->pos, op);
}

static jn_op binop(const char *op)
{
	static const struct {
		const char *s;
		jn_op op;
	} t[] = {{".", JN_OP_DOT}, {"+", JN_OP_ADD}, {"-", JN_OP_SUB}, {"*", JN_OP_MUL}, {"/", JN_OP_DIV},
	         {"%", JN_OP_MOD}, {"=", JN_OP_EQ}, {"!=", JN_OP_NE}, {"<", JN_OP_LT}, {"<=", JN_OP_LE},
	         {">", JN_OP_GT}, {">=", JN_OP_GE}, {"&", JN_OP_CONCAT}, {"and", JN_OP_AND}, {"or", JN_OP_OR},
	         {"in", JN_OP_IN}, {"~>", JN_OP_APPLY}, {"..", JN_OP_RANGE}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(t[i].s, op))
			return t[i].op;
	return JN_OP_NONE;
}

static jn_node *led(parser *p, jn_node *t, jn_node *left)
{
	const char *op = t->opstr ? t->opstr : "";
	if (!strcmp(op, "(")) {
		t->procedure = left;
		t->type = JN_AST_FUNCTION;
		if (!is(p, ")")) {
			for (;;) {
				if (p->node->type == JN_AST_OPERATOR && is(p, "?")) {
					t->type = JN_AST_PARTIAL;
					list_push(p, t, p->node);
					advance(p, "?", 0);
				} else {
					jn_node *e = expression(p, 0);
					if (!e)
						return NULL;
					list_push(p, t, e);
				}
				if (!is(p, ","))
					break;
				advance(p, ",", 0);
			}
		}
		advance(p, ")", 1);
		if (p->failed)
			return NULL;
		if (left->type == JN_AST_NAME && (!strcmp(left->name, "function") || !strcmp(left->name, "\xCE\xBB"))) {
			for (int i = 0; i < t->nlist; i++)
				if (t->list[i]->type != JN_AST_VARIABLE)
					return perr_v(p, "S0208", t->list[i]->pos, tok_text(p, t->list[i]), jn_number(i + 1));
			t->type = JN_AST_LAMBDA;
			if (is(p, "<")) {
				int sigpos = p->node->pos;
				int depth = 1;
				sb s = SB_INIT;
				sb_catc(&s, '<');
				while (depth > 0 && !is(p, "{") && !is(p, "(end)")) {
					jn_node *tk = advance(p, NULL, 0);
					if (!tk) {
						sb_free(&s);
						return NULL;
					}
					if (is(p, ">"))
						depth--;
					else if (is(p, "<"))
						depth++;
					sb_cat(&s, tok_text(p, tk));
				}
				advance(p, ">", 0);
				if (p->failed) {
					sb_free(&s);
					return NULL;
				}
				t->sig = arena_alloc(p->a, sizeof(jn_sig));
				const char *code;
				int off;
				if (jn_sig_parse(sb_str(&s), t->sig, &code, &off) < 0) {
					sb_free(&s);
					return perr(p, code, sigpos + off, NULL);
				}
				sb_free(&s);
			}
			advance(p, "{", 0);
			t->expr = expression(p, 0);
			advance(p, "}", 0);
			if (p->failed)
				return NULL;
		}
		return t;
	}
	if (!strcmp(op, "[")) {
		if (is(p, "]")) {
			jn_node *step = left;
			while (step && step->type == JN_AST_BINARY && step->op == JN_OP_PRED)
				step = step->lhs;
			step->keep_array = 1;
			advance(p, "]", 0);
			return p->failed ? NULL : left;
		}
		t->lhs = left;
		t->rhs = expression(p, 0);
		t->type = JN_AST_BINARY;
		t->op = JN_OP_PRED;
		advance(p, "]", 1);
		return p->failed ? NULL : t;
	}
	if (!strcmp(op, "^")) {
		advance(p, "(", 0);
		int cap = 0;
		for (;;) {
			int desc = 0;
			if (is(p, "<")) {
				advance(p, "<", 0);
			} else if (is(p, ">")) {
				desc = 1;
				advance(p, ">", 0);
			}
			jn_node *e = expression(p, 0);
			if (!e)
				return NULL;
			if (t->nterms == cap) {
				int nc = cap ? cap * 2 : 4;
				t->terms = arena_realloc(p->a, t->terms, sizeof(jn_term) * (size_t)cap, sizeof(jn_term) * (size_t)nc);
				cap = nc;
			}
			t->terms[t->nterms].descending = desc;
			t->terms[t->nterms].expr = e;
			t->nterms++;
			if (!is(p, ","))
				break;
			advance(p, ",", 0);
		}
		advance(p, ")", 0);
		t->lhs = left;
		t->type = JN_AST_BINARY;
		t->op = JN_OP_SORT;
		return p->failed ? NULL : t;
	}
	if (!strcmp(op, "{"))
		return object_parser(p, t, left);
	if (!strcmp(op, ":=")) {
		if (left->type != JN_AST_VARIABLE)
			return perr(p, "S0212", left->pos, tok_text(p, left));
		t->lhs = left;
		t->rhs = expression(p, 10 - 1);
		t->type = JN_AST_BINARY;
		t->op = JN_OP_BIND;
		return t->rhs ? t : NULL;
	}
	if (!strcmp(op, "@") || !strcmp(op, "#")) {
		t->lhs = left;
		t->rhs = expression(p, 80);
		if (!t->rhs)
			return NULL;
		if (t->rhs->type != JN_AST_VARIABLE)
			return perr(p, "S0214", t->rhs->pos, op);
		t->type = JN_AST_BINARY;
		t->op = op[0] == '@' ? JN_OP_FOCUS : JN_OP_INDEX;
		return t;
	}
	if (!strcmp(op, "?")) {
		t->type = JN_AST_CONDITION;
		t->expr = left;
		t->then = expression(p, 0);
		if (!t->then)
			return NULL;
		if (is(p, ":")) {
			advance(p, ":", 0);
			t->els = expression(p, 0);
			if (!t->els)
				return NULL;
		}
		return t;
	}
	if (!strcmp(op, "?:")) {
		t->type = JN_AST_CONDITION;
		t->expr = clone(p, left);
		t->then = left;
		t->els = expression(p, 0);
		return t->els ? t : NULL;
	}
	if (!strcmp(op, "??")) {
		t->type = JN_AST_CONDITION;
		jn_node *f = node_new(p, JN_AST_FUNCTION, t->pos);
		f->opstr = "(";
		jn_node *v = node_new(p, JN_AST_VARIABLE, t->pos);
		v->name = "exists";
		v->val = jn_string(p->a, "exists");
		f->procedure = v;
		list_push(p, f, clone(p, left));
		t->expr = f;
		t->then = left;
		t->els = expression(p, 0);
		return t->els ? t : NULL;
	}
	/* plain infix operators */
	t->lhs = left;
	t->rhs = expression(p, lbp_of(op));
	t->type = JN_AST_BINARY;
	t->op = binop(op);
	return t->rhs ? t : NULL;
}

static jn_node *expression_in(parser *p, int rbp);

static jn_node *expression(parser *p, int rbp)
{
	if (p->failed)
		return NULL;
	if (++p->depth > MAX_PARSE_DEPTH) {
		p->depth--;
		return perr(p, "S0220", p->node->pos, NULL);
	}
	jn_node *r = expression_in(p, rbp);
	p->depth--;
	return r;
}

static jn_node *expression_in(parser *p, int rbp)
{
	jn_node *t = p->node;
	advance(p, NULL, 1);
	if (p->failed)
		return NULL;
	jn_node *left = nud(p, t);
	if (!left)
		return NULL;
	while (!p->failed && rbp < lbp_of(p->id)) {
		t = p->node;
		advance(p, NULL, 0);
		if (p->failed)
			return NULL;
		left = led(p, t, left);
		if (!left)
			return NULL;
	}
	return p->failed ? NULL : left;
}

/* ====================================================================== */
/* post-parse pass (the reference's processAST)                           */
/* ====================================================================== */

static jn_slotlist *slots_new(parser *p)
{
	return arena_calloc(p->a, sizeof(jn_slotlist));
}

static void slots_push(parser *p, jn_slotlist *l, jn_slot *s)
{
	if (l->n == l->cap) {
		int nc = l->cap ? l->cap * 2 : 4;
		l->items = arena_realloc(p->a, l->items, sizeof(jn_slot *) * (size_t)l->cap, sizeof(jn_slot *) * (size_t)nc);
		l->cap = nc;
	}
	l->items[l->n++] = s;
}

static void push_ancestry(parser *p, jn_node *result, jn_node *value)
{
	if (!value)
		return;
	if (value->seeking || value->type == JN_AST_PARENT) {
		jn_slotlist *slots = value->seeking ? value->seeking : slots_new(p);
		if (value->type == JN_AST_PARENT)
			slots_push(p, slots, value->slot);
		if (!result->seeking) {
			result->seeking = slots;
		} else {
			for (int i = 0; i < slots->n; i++)
				slots_push(p, result->seeking, slots->items[i]);
		}
	}
}

static jn_slot *seek_parent(parser *p, jn_node *node, jn_slot *slot)
{
	if (p->failed)
		return slot;
	switch (node->type) {
	case JN_AST_NAME:
	case JN_AST_WILDCARD:
		slot->level--;
		if (slot->level == 0) {
			if (!node->ancestor) {
				node->ancestor = slot;
			} else {
				p->ancestry[slot->index]->slot->label = node->ancestor->label;
				node->ancestor = slot;
			}
			node->tuple = 1;
		}
		break;
	case JN_AST_PARENT:
		slot->level++;
		break;
	case JN_AST_BLOCK:
		if (node->nlist > 0) {
			node->tuple = 1;
			slot = seek_parent(p, node->list[node->nlist - 1], slot);
		}
		break;
	case JN_AST_PATH: {
		node->tuple = 1;
		int index = node->nlist - 1;
		slot = seek_parent(p, node->list[index--], slot);
		while (slot->level > 0 && index >= 0)
			slot = seek_parent(p, node->list[index--], slot);
		break;
	}
	default:
		perr(p, "S0217", node->pos, jn_ast_name(node->type));
	}
	return slot;
}

static void resolve_ancestry(parser *p, jn_node *path)
{
	int index = path->nlist - 1;
	jn_node *laststep = path->list[index];
	jn_slotlist *slots = laststep->seeking ? laststep->seeking : slots_new(p);
	if (laststep->type == JN_AST_PARENT)
		slots_push(p, slots, laststep->slot);
	for (int is_ = 0; is_ < slots->n && !p->failed; is_++) {
		jn_slot *slot = slots->items[is_];
		index = path->nlist - 2;
		while (slot->level > 0 && !p->failed) {
			if (index < 0) {
				if (!path->seeking)
					path->seeking = slots_new(p);
				slots_push(p, path->seeking, slot);
				break;
			}
			jn_node *step = path->list[index--];
			while (index >= 0 && step->focus && path->list[index]->focus)
				step = path->list[index--];
			slot = seek_parent(p, step, slot);
		}
	}
}

static jn_node *tail_call_optimize(parser *p, jn_node *e)
{
	if (e->type == JN_AST_FUNCTION && !e->predicate) {
		jn_node *thunk = node_new(p, JN_AST_LAMBDA, e->pos);
		thunk->thunk = 1;
		thunk->expr = e;
		return thunk;
	}
	if (e->type == JN_AST_CONDITION) {
		e->then = tail_call_optimize(p, e->then);
		if (e->els)
			e->els = tail_call_optimize(p, e->els);
		return e;
	}
	if (e->type == JN_AST_BLOCK) {
		if (e->nlist > 0)
			e->list[e->nlist - 1] = tail_call_optimize(p, e->list[e->nlist - 1]);
		return e;
	}
	return e;
}

static jn_node *process(parser *p, jn_node *e);

static jn_node *new_path(parser *p, jn_node *first)
{
	jn_node *r = node_new(p, JN_AST_PATH, first->pos);
	list_push(p, r, first);
	return r;
}

static jn_node *process_binary(parser *p, jn_node *e)
{
	jn_node *result = NULL, *step;
	switch (e->op) {
	case JN_OP_DOT: {
		jn_node *lstep = process(p, e->lhs);
		if (!lstep)
			return NULL;
		result = lstep->type == JN_AST_PATH ? lstep : new_path(p, lstep);
		if (lstep->type == JN_AST_PARENT) {
			result->seeking = slots_new(p);
			slots_push(p, result->seeking, lstep->slot);
		}
		jn_node *rest = process(p, e->rhs);
		if (!rest)
			return NULL;
		if (rest->type == JN_AST_PATH) {
			for (int i = 0; i < rest->nlist; i++)
				list_push(p, result, rest->list[i]);
		} else {
			if (rest->predicate) {
				rest->stages = rest->predicate;
				rest->nstages = rest->npredicate;
				rest->predicate = NULL;
				rest->npredicate = 0;
			}
			list_push(p, result, rest);
		}
		for (int i = 0; i < result->nlist; i++) {
			jn_node *s = result->list[i];
			if (s->type == JN_AST_NUMBER || s->type == JN_AST_VALUE)
				return perr_v(p, "S0213", s->pos, NULL, s->val);
		}
		for (int i = 0; i < result->nlist; i++) {
			jn_node *s = result->list[i];
			if (s->type == JN_AST_STRING) {
				s->type = JN_AST_NAME;
				s->name = jn_str(s->val);
			}
		}
		for (int i = 0; i < result->nlist; i++)
			if (result->list[i]->keep_array)
				result->keep_singleton = 1;
		jn_node *first = result->list[0];
		if (first->type == JN_AST_UNARY && first->op == JN_OP_ARRAY)
			first->cons_array = 1;
		jn_node *last = result->list[result->nlist - 1];
		if (last->type == JN_AST_UNARY && last->op == JN_OP_ARRAY)
			last->cons_array = 1;
		resolve_ancestry(p, result);
		break;
	}
	case JN_OP_PRED: {
		result = process(p, e->lhs);
		if (!result)
			return NULL;
		step = result;
		int stages = 0;
		if (result->type == JN_AST_PATH) {
			step = result->list[result->nlist - 1];
			stages = 1;
		}
		if (step->group)
			return perr(p, "S0209", e->pos, NULL);
		jn_node *pred = process(p, e->rhs);
		if (!pred)
			return NULL;
		if (pred->seeking) {
			for (int i = 0; i < pred->seeking->n; i++) {
				jn_slot *slot = pred->seeking->items[i];
				if (slot->level == 1)
					seek_parent(p, step, slot);
				else
					slot->level--;
			}
			push_ancestry(p, step, pred);
		}
		jn_stage *s = stages ? stages_push(p, &step->stages, &step->nstages)
		                     : stages_push(p, &step->predicate, &step->npredicate);
		s->type = JN_STAGE_FILTER;
		s->expr = pred;
		s->pos = e->pos;
		break;
	}
	case JN_OP_GROUP: {
		result = process(p, e->lhs);
		if (!result)
			return NULL;
		if (result->group)
			return perr(p, "S0210", e->pos, NULL);
		jn_group *g = arena_calloc(p->a, sizeof *g);
		g->n = e->nlist;
		g->keys = arena_alloc(p->a, sizeof(jn_node *) * (size_t)(e->nlist ? e->nlist : 1));
		g->vals = arena_alloc(p->a, sizeof(jn_node *) * (size_t)(e->nlist ? e->nlist : 1));
		for (int i = 0; i < e->nlist; i++) {
			g->keys[i] = process(p, e->list[i]);
			g->vals[i] = process(p, e->vals[i]);
			if (p->failed)
				return NULL;
		}
		g->pos = e->pos;
		result->group = g;
		break;
	}
	case JN_OP_SORT: {
		result = process(p, e->lhs);
		if (!result)
			return NULL;
		if (result->type != JN_AST_PATH)
			result = new_path(p, result);
		jn_node *sort = node_new(p, JN_AST_SORT, e->pos);
		sort->nterms = e->nterms;
		sort->terms = arena_alloc(p->a, sizeof(jn_term) * (size_t)e->nterms);
		for (int i = 0; i < e->nterms; i++) {
			jn_node *x = process(p, e->terms[i].expr);
			if (!x)
				return NULL;
			push_ancestry(p, sort, x);
			sort->terms[i].descending = e->terms[i].descending;
			sort->terms[i].expr = x;
		}
		list_push(p, result, sort);
		resolve_ancestry(p, result);
		break;
	}
	case JN_OP_BIND:
		result = node_new(p, JN_AST_BIND, e->pos);
		result->opstr = ":=";
		result->lhs = process(p, e->lhs);
		result->rhs = process(p, e->rhs);
		if (p->failed)
			return NULL;
		push_ancestry(p, result, result->rhs);
		break;
	case JN_OP_FOCUS:
		result = process(p, e->lhs);
		if (!result)
			return NULL;
		step = result;
		if (result->type == JN_AST_PATH)
			step = result->list[result->nlist - 1];
		if (step->stages || step->predicate)
			return perr(p, "S0215", e->pos, NULL);
		if (step->type == JN_AST_SORT)
			return perr(p, "S0216", e->pos, NULL);
		if (e->keep_array)
			step->keep_array = 1;
		step->focus = e->rhs->name;
		step->tuple = 1;
		break;
	case JN_OP_INDEX:
		result = process(p, e->lhs);
		if (!result)
			return NULL;
		step = result;
		if (result->type == JN_AST_PATH) {
			step = result->list[result->nlist - 1];
		} else {
			result = new_path(p, result);
			if (step->predicate) {
				step->stages = step->predicate;
				step->nstages = step->npredicate;
				step->predicate = NULL;
				step->npredicate = 0;
			}
		}
		if (!step->stages) {
			step->index = e->rhs->name;
		} else {
			jn_stage *s = stages_push(p, &step->stages, &step->nstages);
			s->type = JN_STAGE_INDEX;
			s->name = e->rhs->name;
			s->pos = e->pos;
		}
		step->tuple = 1;
		break;
	case JN_OP_APPLY:
		result = node_new(p, JN_AST_APPLY, e->pos);
		result->opstr = "~>";
		result->op = JN_OP_APPLY;
		result->lhs = process(p, e->lhs);
		result->rhs = process(p, e->rhs);
		if (p->failed)
			return NULL;
		result->keep_array = result->lhs->keep_array || result->rhs->keep_array;
		break;
	default:
		result = node_new(p, JN_AST_BINARY, e->pos);
		result->op = e->op;
		result->opstr = e->opstr;
		result->lhs = process(p, e->lhs);
		result->rhs = process(p, e->rhs);
		if (p->failed)
			return NULL;
		push_ancestry(p, result, result->lhs);
		push_ancestry(p, result, result->rhs);
	}
	return p->failed ? NULL : result;
}

static jn_node *process_in(parser *p, jn_node *e);

static jn_node *process(parser *p, jn_node *e)
{
	if (p->failed)
		return NULL;
	if (++p->depth > MAX_PARSE_DEPTH) {
		p->depth--;
		return perr(p, "S0220", e->pos, NULL);
	}
	jn_node *r = process_in(p, e);
	p->depth--;
	return r;
}

static jn_node *process_in(parser *p, jn_node *e)
{
	jn_node *result = NULL;
	switch (e->type) {
	case JN_AST_BINARY:
		result = process_binary(p, e);
		break;
	case JN_AST_UNARY:
		result = node_new(p, JN_AST_UNARY, e->pos);
		result->op = e->op;
		result->opstr = e->opstr;
		if (e->op == JN_OP_ARRAY) {
			for (int i = 0; i < e->nlist; i++) {
				jn_node *v = process(p, e->list[i]);
				if (!v)
					return NULL;
				push_ancestry(p, result, v);
				list_push(p, result, v);
			}
		} else if (e->op == JN_OP_OBJECT) {
			result->vals = arena_alloc(p->a, sizeof(jn_node *) * (size_t)(e->nlist ? e->nlist : 1));
			for (int i = 0; i < e->nlist; i++) {
				jn_node *k = process(p, e->list[i]);
				if (!k)
					return NULL;
				push_ancestry(p, result, k);
				jn_node *v = process(p, e->vals[i]);
				if (!v)
					return NULL;
				push_ancestry(p, result, v);
				list_push(p, result, k);
				result->vals[i] = v;
			}
		} else {
			result->expr = process(p, e->expr);
			if (!result->expr)
				return NULL;
			if (e->op == JN_OP_NEG && result->expr->type == JN_AST_NUMBER) {
				result = result->expr;
				result->val = jn_number(-jn_num(result->val));
			} else {
				push_ancestry(p, result, result->expr);
			}
		}
		break;
	case JN_AST_FUNCTION:
	case JN_AST_PARTIAL:
		result = node_new(p, e->type, e->pos);
		result->opstr = e->opstr;
		for (int i = 0; i < e->nlist; i++) {
			jn_node *arg = process(p, e->list[i]);
			if (!arg)
				return NULL;
			push_ancestry(p, result, arg);
			list_push(p, result, arg);
		}
		result->procedure = process(p, e->procedure);
		if (!result->procedure)
			return NULL;
		break;
	case JN_AST_LAMBDA: {
		result = node_new(p, JN_AST_LAMBDA, e->pos);
		result->list = e->list;
		result->nlist = e->nlist;
		result->sig = e->sig;
		jn_node *body = process(p, e->expr);
		if (!body)
			return NULL;
		result->expr = tail_call_optimize(p, body);
		break;
	}
	case JN_AST_CONDITION:
		result = node_new(p, JN_AST_CONDITION, e->pos);
		result->expr = process(p, e->expr);
		if (!result->expr)
			return NULL;
		push_ancestry(p, result, result->expr);
		result->then = process(p, e->then);
		if (!result->then)
			return NULL;
		push_ancestry(p, result, result->then);
		if (e->els) {
			result->els = process(p, e->els);
			if (!result->els)
				return NULL;
			push_ancestry(p, result, result->els);
		}
		break;
	case JN_AST_TRANSFORM:
		result = node_new(p, JN_AST_TRANSFORM, e->pos);
		result->pattern = process(p, e->pattern);
		result->update = process(p, e->update);
		if (e->del)
			result->del = process(p, e->del);
		if (p->failed)
			return NULL;
		break;
	case JN_AST_BLOCK:
		result = node_new(p, JN_AST_BLOCK, e->pos);
		for (int i = 0; i < e->nlist; i++) {
			jn_node *part = process(p, e->list[i]);
			if (!part)
				return NULL;
			push_ancestry(p, result, part);
			if (part->cons_array || (part->type == JN_AST_PATH && part->list[0]->cons_array))
				result->cons_array = 1;
			list_push(p, result, part);
		}
		break;
	case JN_AST_NAME:
		result = new_path(p, e);
		if (e->keep_array)
			result->keep_singleton = 1;
		break;
	case JN_AST_PARENT: {
		result = node_new(p, JN_AST_PARENT, e->pos);
		result->slot = arena_alloc(p->a, sizeof(jn_slot));
		result->slot->label = arena_printf(p->a, "!%d", p->ancestor_label++);
		result->slot->level = 1;
		result->slot->index = p->ancestor_index++;
		if (p->nancestry == p->capancestry) {
			int nc = p->capancestry ? p->capancestry * 2 : 8;
			p->ancestry = arena_realloc(p->a, p->ancestry, sizeof(jn_node *) * (size_t)p->capancestry,
			                            sizeof(jn_node *) * (size_t)nc);
			p->capancestry = nc;
		}
		p->ancestry[p->nancestry++] = result;
		break;
	}
	case JN_AST_STRING:
	case JN_AST_NUMBER:
	case JN_AST_VALUE:
	case JN_AST_WILDCARD:
	case JN_AST_DESCENDANT:
	case JN_AST_VARIABLE:
	case JN_AST_REGEX:
		result = e;
		break;
	case JN_AST_OPERATOR:
		if (!strcmp(e->opstr, "and") || !strcmp(e->opstr, "or") || !strcmp(e->opstr, "in")) {
			e->type = JN_AST_NAME;
			e->name = e->opstr;
			e->val = jn_string(p->a, e->opstr);
			e->opstr = NULL;
			result = process(p, e);
		} else if (!strcmp(e->opstr, "?")) {
			result = e;
		} else {
			return perr(p, "S0201", e->pos, e->opstr);
		}
		break;
	default:
		return perr(p, e->type == JN_AST_END ? "S0207" : "S0206", e->pos, tok_text(p, e));
	}
	if (result && e->keep_array)
		result->keep_array = 1;
	return p->failed ? NULL : result;
}

jn_node *jn_parse(arena *a, const char *src, size_t len, jn_parse_err *err, jn_regex **relist)
{
	parser p;
	memset(&p, 0, sizeof p);
	p.a = a;
	p.err = err;
	p.relist = relist;
	p.srclen = (int)jn_utf16_len(src, len);
	memset(err, 0, sizeof *err);
	jn_lex_init(&p.lx, src, len, a);
	advance(&p, NULL, 0);
	if (p.failed)
		return NULL;
	jn_node *e = expression(&p, 0);
	if (!e)
		return NULL;
	if (!p.node->is_end)
		return perr(&p, "S0201", p.node->pos, tok_text(&p, p.node));
	e = process(&p, e);
	if (!e)
		return NULL;
	if (e->type == JN_AST_PARENT || e->seeking)
		return perr(&p, "S0217", e->pos, jn_ast_name(e->type));
	return e;
}
