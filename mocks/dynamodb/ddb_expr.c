/* ddb_expr.c - DynamoDB expressions: lexer, recursive-descent parser, checks, evaluation. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/cj.h"
#include "mocks/dynamodb/ddb_expr.h"

#define MAX_EXPR_LEN 4096
#define MAX_PATH_DEPTH 32
#define MAX_IN 100

/* ======================================================================
 * Syntax trees
 * ====================================================================== */

typedef struct pelem {
	const char *name; /* resolved attribute name, or NULL for an index */
	long index;
} pelem;

typedef struct dpath {
	pelem *el;
	int n;
} dpath;

typedef enum {
	N_PATH,
	N_VALUE,
	N_CMP,     /* op: T_EQ.. */
	N_BETWEEN, /* a[0] BETWEEN a[1] AND a[2] */
	N_IN,      /* a[0] IN (a[1..]) */
	N_AND,
	N_OR,
	N_NOT,
	N_FUNC,    /* fn */
	N_ARITH,   /* op: T_PLUS/T_MINUS */
} nkind;

typedef enum { F_EXISTS, F_NOT_EXISTS, F_TYPE, F_BEGINS, F_CONTAINS, F_SIZE, F_IF_NOT_EXISTS, F_LIST_APPEND, F__N } fkind;
static const char *const fnames[] = {"attribute_exists", "attribute_not_exists", "attribute_type", "begins_with",
                                     "contains", "size", "if_not_exists", "list_append"};

struct ddb_node {
	nkind kind;
	int op;
	fkind fn;
	ddb_node **a;
	int na;
	dpath path;
	const cJSON *value;
	int paren;     /* written in parentheses */
	size_t pos;
};

typedef enum { U_SET, U_REMOVE, U_ADD, U_DELETE } ukind;

typedef struct uaction {
	ukind kind;
	dpath path;
	ddb_node *value; /* SET value, ADD/DELETE operand */
} uaction;

struct ddb_update {
	uaction *act;
	int n;
};

struct ddb_paths {
	dpath *p;
	int n;
};

/* ======================================================================
 * Lexer
 * ====================================================================== */

enum {
	T_EOF, T_NAME, T_HASH, T_COLON, T_NUM, T_LP, T_RP, T_LB, T_RB, T_COMMA, T_DOT,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_PLUS, T_MINUS, T_BAD,
};

typedef struct tok {
	int t;
	size_t s, e; /* [s, e) in the text */
} tok;

typedef struct parser {
	ddb_exprs *x;
	const char *src;
	size_t len;
	tok *tk;
	int nt, i;
	int failed;     /* an error was recorded */
	sb sem;         /* first semantic error (reserved word, undefined placeholder) */
	int is_update;
	int depth;      /* nesting of parentheses, NOT and function calls */
} parser;

/* Worker threads have small stacks: nesting is bounded well below what
 * the 4 KB expression limit would allow. */
#define MAX_NESTING 64

static int ident_start(int c) { return isalpha(c) || c == '_'; }
static int ident_char(int c) { return isalnum(c) || c == '_'; }

static void lex(parser *p, arena *ar)
{
	size_t cap = 16;
	p->tk = arena_alloc(ar, cap * sizeof *p->tk);
	p->nt = 0;
	size_t i = 0;
	for (;;) {
		while (i < p->len && isspace((unsigned char)p->src[i]))
			i++;
		if (p->nt + 1 >= (int)cap) {
			p->tk = arena_realloc(ar, p->tk, cap * sizeof *p->tk, cap * 2 * sizeof *p->tk);
			cap *= 2;
		}
		tok *t = &p->tk[p->nt++];
		t->s = i;
		if (i >= p->len) {
			t->t = T_EOF;
			t->e = i;
			return;
		}
		unsigned char c = (unsigned char)p->src[i];
		unsigned char d = i + 1 < p->len ? (unsigned char)p->src[i + 1] : 0;
		if (ident_start(c)) {
			while (i < p->len && ident_char((unsigned char)p->src[i]))
				i++;
			t->t = T_NAME;
		} else if (isdigit(c)) {
			while (i < p->len && isdigit((unsigned char)p->src[i]))
				i++;
			t->t = T_NUM;
		} else if ((c == '#' || c == ':') && ident_char(d)) {
			i++;
			while (i < p->len && ident_char((unsigned char)p->src[i]))
				i++;
			t->t = c == '#' ? T_HASH : T_COLON;
		} else {
			i++;
			switch (c) {
			case '(': t->t = T_LP; break;
			case ')': t->t = T_RP; break;
			case '[': t->t = T_LB; break;
			case ']': t->t = T_RB; break;
			case ',': t->t = T_COMMA; break;
			case '.': t->t = T_DOT; break;
			case '=': t->t = T_EQ; break;
			case '+': t->t = T_PLUS; break;
			case '-': t->t = T_MINUS; break;
			case '<':
				if (d == '>') {
					t->t = T_NE;
					i++;
				} else if (d == '=') {
					t->t = T_LE;
					i++;
				} else {
					t->t = T_LT;
				}
				break;
			case '>':
				if (d == '=') {
					t->t = T_GE;
					i++;
				} else {
					t->t = T_GT;
				}
				break;
			default:
				/* a whole UTF-8 sequence is one bad token */
				while (i < p->len && ((unsigned char)p->src[i] & 0xC0) == 0x80)
					i++;
				t->t = T_BAD;
				break;
			}
		}
		t->e = i;
	}
}

/* ======================================================================
 * Errors
 * ====================================================================== */

static void perr(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void perr(parser *p, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = 1;
	sb m = SB_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&m, fmt, ap);
	va_end(ap);
	DDB_ERR(p->x->rq, ValidationException, "Invalid %s: %s", p->x->kind, sb_str(&m));
	sb_free(&m);
}

static void syntax_error(parser *p)
{
	int i = p->i < p->nt ? p->i : p->nt - 1;
	tok *t = &p->tk[i];
	size_t from = i > 0 ? p->tk[i - 1].s : t->s;
	size_t to = t->t == T_EOF ? p->len : (i + 1 < p->nt && p->tk[i + 1].t != T_EOF ? p->tk[i + 1].e : t->e);
	if (t->t == T_EOF)
		perr(p, "Syntax error; token: \"<EOF>\", near: \"%.*s\"", (int)(to - from), p->src + from);
	else
		perr(p, "Syntax error; token: \"%.*s\", near: \"%.*s\"", (int)(t->e - t->s), p->src + t->s,
		     (int)(to - from), p->src + from);
}

/* Semantic errors wait: a syntax error anywhere in the text wins over them. */
static void sem_error(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sem_error(parser *p, const char *fmt, ...)
{
	if (p->sem.len)
		return;
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&p->sem, fmt, ap);
	va_end(ap);
}

static tok *cur(parser *p) { return &p->tk[p->i]; }
static int at(parser *p, int t) { return cur(p)->t == t; }

static int kw_is(parser *p, const tok *t, const char *kw)
{
	size_t n = strlen(kw);
	return t->t == T_NAME && t->e - t->s == n && !strncasecmp(p->src + t->s, kw, n);
}

static int at_kw(parser *p, const char *kw) { return kw_is(p, cur(p), kw); }

static int expect(parser *p, int t)
{
	if (!at(p, t)) {
		syntax_error(p);
		return -1;
	}
	p->i++;
	return 0;
}

static int is_reserved(const char *s, size_t n)
{
	static const char *const words[] = {
#define DDB_RESERVED(w) w,
#include "mocks/dynamodb/ddb_reserved.def"
#undef DDB_RESERVED
	};
	char up[64];
	if (n >= sizeof up)
		return 0;
	for (size_t i = 0; i < n; i++)
		up[i] = (char)toupper((unsigned char)s[i]);
	up[n] = 0;
	size_t lo = 0, hi = sizeof words / sizeof *words;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(up, words[mid]);
		if (!c)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* ======================================================================
 * Placeholders
 * ====================================================================== */

static int name_index(const ddb_exprs *x, const char *s, size_t n)
{
	int i = 0;
	for (const cJSON *m = x->names ? x->names->child : NULL; m; m = m->next, i++)
		if (strlen(m->string) == n && !memcmp(m->string, s, n))
			return i;
	return -1;
}

static int value_index(const ddb_exprs *x, const char *s, size_t n)
{
	int i = 0;
	for (const cJSON *m = x->values ? x->values->child : NULL; m; m = m->next, i++)
		if (strlen(m->string) == n && !memcmp(m->string, s, n))
			return i;
	return -1;
}

static const cJSON *value_at(const ddb_exprs *x, int i)
{
	const cJSON *m = x->values->child;
	while (i-- > 0)
		m = m->next;
	return m;
}

static const char *name_at(const ddb_exprs *x, int i)
{
	const cJSON *m = x->names->child;
	while (i-- > 0)
		m = m->next;
	return cJSON_IsString(m) ? m->valuestring : "";
}

/* ======================================================================
 * Parser
 * ====================================================================== */

static ddb_node *node_new(parser *p, nkind k, size_t pos)
{
	ddb_node *n = arena_calloc(p->x->rq->ar, sizeof *n);
	n->kind = k;
	n->pos = pos;
	return n;
}

static void node_add(parser *p, ddb_node *n, ddb_node *c)
{
	n->a = arena_realloc(p->x->rq->ar, n->a, (size_t)n->na * sizeof *n->a, (size_t)(n->na + 1) * sizeof *n->a);
	n->a[n->na++] = c;
}

static int parse_path(parser *p, dpath *out)
{
	arena *ar = p->x->rq->ar;
	int cap = 4;
	out->el = arena_alloc(ar, (size_t)cap * sizeof *out->el);
	out->n = 0;
	for (;;) {
		tok *t = cur(p);
		if (out->n == cap) {
			out->el = arena_realloc(ar, out->el, (size_t)cap * sizeof *out->el, (size_t)cap * 2 * sizeof *out->el);
			cap *= 2;
		}
		pelem *e = &out->el[out->n];
		if (out->n == 0 || (t->t == T_DOT && (p->i++, t = cur(p), 1))) {
			if (t->t == T_NAME) {
				if (is_reserved(p->src + t->s, t->e - t->s))
					sem_error(p, "Attribute name is a reserved keyword; reserved keyword: %.*s", (int)(t->e - t->s),
					          p->src + t->s);
				e->name = arena_strndup(ar, p->src + t->s, t->e - t->s);
			} else if (t->t == T_HASH) {
				int ix = name_index(p->x, p->src + t->s, t->e - t->s);
				if (ix < 0) {
					sem_error(p, "An expression attribute name used in the document path is not defined; attribute name: %.*s",
					          (int)(t->e - t->s), p->src + t->s);
					e->name = "";
				} else {
					p->x->names_used[ix] = 1;
					e->name = name_at(p->x, ix);
				}
			} else {
				syntax_error(p);
				return -1;
			}
			e->index = -1;
			p->i++;
		} else if (t->t == T_LB) {
			p->i++;
			t = cur(p);
			if (t->t != T_NUM) {
				syntax_error(p);
				return -1;
			}
			e->name = NULL;
			e->index = strtol(p->src + t->s, NULL, 10);
			if (t->e - t->s > 9)
				e->index = 1000000000L;
			p->i++;
			if (expect(p, T_RB))
				return -1;
		} else {
			break;
		}
		out->n++;
		if (out->n > MAX_PATH_DEPTH) {
			sem_error(p, "The document path has too many nesting levels; nesting levels: %d", out->n);
		}
	}
	return 0;
}

static ddb_node *parse_operand(parser *p, int in_update);

static int fn_lookup(parser *p, const tok *t)
{
	for (int f = 0; f < F__N; f++)
		if (strlen(fnames[f]) == t->e - t->s && !strncmp(p->src + t->s, fnames[f], t->e - t->s))
			return f;
	return -1;
}

static ddb_node *parse_call(parser *p, int in_update)
{
	tok *t = cur(p);
	int f = fn_lookup(p, t);
	if (f < 0) {
		perr(p, "Invalid function name; function: %.*s", (int)(t->e - t->s), p->src + t->s);
		return NULL;
	}
	if (++p->depth > MAX_NESTING) {
		perr(p, "The expression has too many nested levels; maximum: %d", MAX_NESTING);
		return NULL;
	}
	ddb_node *n = node_new(p, N_FUNC, t->s);
	n->fn = (fkind)f;
	p->i += 2; /* name and ( */
	if (!at(p, T_RP)) {
		for (;;) {
			ddb_node *a = parse_operand(p, in_update);
			if (!a)
				return NULL;
			node_add(p, n, a);
			if (!at(p, T_COMMA))
				break;
			p->i++;
		}
	}
	if (expect(p, T_RP))
		return NULL;
	p->depth--;
	return n;
}

static ddb_node *parse_primary(parser *p, int in_update)
{
	tok *t = cur(p);
	if (t->t == T_COLON) {
		ddb_node *n = node_new(p, N_VALUE, t->s);
		int ix = value_index(p->x, p->src + t->s, t->e - t->s);
		if (ix < 0)
			sem_error(p, "An expression attribute value used in expression is not defined; attribute value: %.*s",
			          (int)(t->e - t->s), p->src + t->s);
		else {
			p->x->values_used[ix] = 1;
			n->value = value_at(p->x, ix);
		}
		p->i++;
		return n;
	}
	if (t->t == T_NAME && p->i + 1 < p->nt && p->tk[p->i + 1].t == T_LP)
		return parse_call(p, in_update);
	if (t->t == T_NAME || t->t == T_HASH) {
		if (t->t == T_NAME && (kw_is(p, t, "AND") || kw_is(p, t, "OR") || kw_is(p, t, "NOT") ||
		                       kw_is(p, t, "BETWEEN") || kw_is(p, t, "IN"))) {
			syntax_error(p);
			return NULL;
		}
		ddb_node *n = node_new(p, N_PATH, t->s);
		if (parse_path(p, &n->path))
			return NULL;
		return n;
	}
	syntax_error(p);
	return NULL;
}

/* Update operands allow one + or -: a, a + b. */
static ddb_node *parse_operand(parser *p, int in_update)
{
	ddb_node *l = parse_primary(p, in_update);
	if (!l || !in_update)
		return l;
	if (at(p, T_PLUS) || at(p, T_MINUS)) {
		ddb_node *n = node_new(p, N_ARITH, cur(p)->s);
		n->op = cur(p)->t;
		p->i++;
		ddb_node *r = parse_primary(p, in_update);
		if (!r)
			return NULL;
		node_add(p, n, l);
		node_add(p, n, r);
		return n;
	}
	return l;
}

static ddb_node *parse_or(parser *p);

static ddb_node *parse_predicate(parser *p)
{
	tok *t = cur(p);
	if (t->t == T_LP) {
		if (++p->depth > MAX_NESTING) {
			perr(p, "The expression has too many nested levels; maximum: %d", MAX_NESTING);
			return NULL;
		}
		size_t pos = t->s;
		p->i++;
		ddb_node *in = parse_or(p);
		p->depth--;
		if (!in || expect(p, T_RP))
			return NULL;
		if (in->paren) {
			perr(p, "The expression has redundant parentheses;");
			return NULL;
		}
		in->paren = 1;
		(void)pos;
		return in;
	}
	ddb_node *l = parse_operand(p, 0);
	if (!l)
		return NULL;
	t = cur(p);
	if (t->t >= T_EQ && t->t <= T_GE) {
		ddb_node *n = node_new(p, N_CMP, t->s);
		n->op = t->t;
		p->i++;
		ddb_node *r = parse_operand(p, 0);
		if (!r)
			return NULL;
		node_add(p, n, l);
		node_add(p, n, r);
		return n;
	}
	if (at_kw(p, "BETWEEN")) {
		ddb_node *n = node_new(p, N_BETWEEN, t->s);
		p->i++;
		node_add(p, n, l);
		ddb_node *a = parse_operand(p, 0);
		if (!a)
			return NULL;
		if (!at_kw(p, "AND")) {
			syntax_error(p);
			return NULL;
		}
		p->i++;
		ddb_node *b = parse_operand(p, 0);
		if (!b)
			return NULL;
		node_add(p, n, a);
		node_add(p, n, b);
		return n;
	}
	if (at_kw(p, "IN")) {
		ddb_node *n = node_new(p, N_IN, t->s);
		p->i++;
		node_add(p, n, l);
		if (expect(p, T_LP))
			return NULL;
		for (;;) {
			ddb_node *a = parse_operand(p, 0);
			if (!a)
				return NULL;
			node_add(p, n, a);
			if (!at(p, T_COMMA))
				break;
			p->i++;
		}
		if (expect(p, T_RP))
			return NULL;
		return n;
	}
	if (l->kind == N_FUNC)
		return l; /* a boolean function; checked later */
	syntax_error(p);
	return NULL;
}

static ddb_node *parse_not(parser *p)
{
	if (at_kw(p, "NOT")) {
		if (++p->depth > MAX_NESTING) {
			perr(p, "The expression has too many nested levels; maximum: %d", MAX_NESTING);
			return NULL;
		}
		ddb_node *n = node_new(p, N_NOT, cur(p)->s);
		p->i++;
		ddb_node *a = parse_not(p);
		p->depth--;
		if (!a)
			return NULL;
		node_add(p, n, a);
		return n;
	}
	return parse_predicate(p);
}

static ddb_node *parse_and(parser *p)
{
	ddb_node *l = parse_not(p);
	while (l && at_kw(p, "AND")) {
		ddb_node *n = node_new(p, N_AND, cur(p)->s);
		p->i++;
		ddb_node *r = parse_not(p);
		if (!r)
			return NULL;
		node_add(p, n, l);
		node_add(p, n, r);
		l = n;
	}
	return l;
}

static ddb_node *parse_or(parser *p)
{
	ddb_node *l = parse_and(p);
	while (l && at_kw(p, "OR")) {
		ddb_node *n = node_new(p, N_OR, cur(p)->s);
		p->i++;
		ddb_node *r = parse_and(p);
		if (!r)
			return NULL;
		node_add(p, n, l);
		node_add(p, n, r);
		l = n;
	}
	return l;
}

/* ======================================================================
 * Static checks (after a successful parse)
 * ====================================================================== */

static const char *op_text(int op)
{
	switch (op) {
	case T_EQ: return "=";
	case T_NE: return "<>";
	case T_LT: return "<";
	case T_LE: return "<=";
	case T_GT: return ">";
	case T_GE: return ">=";
	case T_PLUS: return "+";
	case T_MINUS: return "-";
	default: return "?";
	}
}

static void av_text(const cJSON *v, sb *out)
{
	ddb_type t = ddb_av_type(v);
	const cJSON *c = ddb_av_content(v);
	sb_printf(out, "{%s:", ddb_type_name(t));
	if (cJSON_IsString(c))
		sb_cat(out, c->valuestring);
	else {
		char *s = cJSON_PrintUnformatted(c);
		sb_cat(out, s);
		cJSON_free(s);
	}
	sb_catc(out, '}');
}

/* Type of an operand known before evaluation (a value or size()), else NONE. */
static ddb_type static_type(const ddb_node *n)
{
	if (n->kind == N_VALUE && n->value)
		return ddb_av_type(n->value);
	if (n->kind == N_FUNC && n->fn == F_SIZE)
		return DDB_T_N;
	return DDB_T_NONE;
}

static int check_operand(parser *p, const ddb_node *n, int in_update);

static int check_cond(parser *p, const ddb_node *n)
{
	switch (n->kind) {
	case N_AND:
	case N_OR:
	case N_NOT:
		for (int i = 0; i < n->na; i++)
			if (check_cond(p, n->a[i]))
				return -1;
		return 0;
	case N_CMP:
		for (int i = 0; i < 2; i++)
			if (check_operand(p, n->a[i], 0))
				return -1;
		if (n->op != T_EQ && n->op != T_NE) {
			for (int i = 0; i < 2; i++) {
				ddb_type t = static_type(n->a[i]);
				if (t != DDB_T_NONE && t != DDB_T_S && t != DDB_T_N && t != DDB_T_B) {
					perr(p, "Incorrect operand type for operator or function; operator or function: %s, operand type: %s",
					     op_text(n->op), ddb_type_name(t));
					return -1;
				}
			}
		}
		return 0;
	case N_BETWEEN: {
		for (int i = 0; i < 3; i++)
			if (check_operand(p, n->a[i], 0))
				return -1;
		ddb_type a = static_type(n->a[1]), b = static_type(n->a[2]);
		for (int i = 0; i < 3; i++) {
			ddb_type t = static_type(n->a[i]);
			if (t != DDB_T_NONE && t != DDB_T_S && t != DDB_T_N && t != DDB_T_B) {
				perr(p, "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: %s",
				     ddb_type_name(t));
				return -1;
			}
		}
		if (a != DDB_T_NONE && b != DDB_T_NONE) {
			if (a != b) {
				perr(p, "Invalid %s: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: ..., upper bound operand: AttributeValue: ...",
				     p->x->kind);
				return -1;
			}
			if (n->a[1]->kind == N_VALUE && n->a[2]->kind == N_VALUE &&
			    ddb_av_cmp(n->a[1]->value, n->a[2]->value) > 0) {
				sb lo = SB_INIT, hi = SB_INIT;
				av_text(n->a[1]->value, &lo);
				av_text(n->a[2]->value, &hi);
				perr(p, "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: %s, upper bound operand: AttributeValue: %s",
				     sb_str(&lo), sb_str(&hi));
				sb_free(&lo);
				sb_free(&hi);
				return -1;
			}
		}
		return 0;
	}
	case N_IN:
		if (n->na - 1 > MAX_IN) {
			perr(p, "The IN operator is provided with too many operands; number of operands: %d", n->na - 1);
			return -1;
		}
		for (int i = 0; i < n->na; i++)
			if (check_operand(p, n->a[i], 0))
				return -1;
		return 0;
	case N_FUNC: {
		int want = n->fn == F_TYPE || n->fn == F_BEGINS || n->fn == F_CONTAINS ? 2 : 1;
		if (n->fn == F_SIZE || n->fn == F_IF_NOT_EXISTS || n->fn == F_LIST_APPEND) {
			perr(p, "The function is not allowed to be used this way in an expression; function: %s", fnames[n->fn]);
			return -1;
		}
		if (n->na != want) {
			perr(p, "Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d",
			     fnames[n->fn], n->na);
			return -1;
		}
		for (int i = 0; i < n->na; i++)
			if (check_operand(p, n->a[i], 0))
				return -1;
		if ((n->fn == F_EXISTS || n->fn == F_NOT_EXISTS || n->fn == F_TYPE) && n->a[0]->kind != N_PATH) {
			perr(p, "Operator or function requires a document path; operator or function: %s", fnames[n->fn]);
			return -1;
		}
		if (n->fn == F_TYPE) {
			ddb_type t = static_type(n->a[1]);
			if (t != DDB_T_NONE && t != DDB_T_S) {
				perr(p, "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: %s",
				     ddb_type_name(t));
				return -1;
			}
			if (t == DDB_T_S && ddb_type_parse(n->a[1]->value->child->valuestring) == DDB_T_NONE) {
				perr(p, "Invalid attribute type name found; type: %s, valid types: { B,BOOL,BS,L,M,N,NS,NULL,S,SS }",
				     n->a[1]->value->child->valuestring);
				return -1;
			}
		}
		if (n->fn == F_BEGINS) {
			for (int i = 0; i < 2; i++) {
				ddb_type t = static_type(n->a[i]);
				if (t != DDB_T_NONE && t != DDB_T_S && t != DDB_T_B) {
					perr(p, "Incorrect operand type for operator or function; operator or function: begins_with, operand type: %s",
					     ddb_type_name(t));
					return -1;
				}
			}
		}
		return 0;
	}
	default:
		perr(p, "Syntax error; token: \"<EOF>\", near: \"%.*s\"", (int)p->len, p->src);
		return -1;
	}
}

static int check_operand(parser *p, const ddb_node *n, int in_update)
{
	if (n->kind == N_FUNC) {
		if (!in_update && n->fn != F_SIZE) {
			perr(p, "The function is not allowed to be used this way in an expression; function: %s", fnames[n->fn]);
			return -1;
		}
		if (in_update && n->fn != F_IF_NOT_EXISTS && n->fn != F_LIST_APPEND) {
			perr(p, "The function is not allowed in an update expression; function: %s", fnames[n->fn]);
			return -1;
		}
		if (n->na != (n->fn == F_SIZE ? 1 : 2)) {
			perr(p, "Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d",
			     fnames[n->fn], n->na);
			return -1;
		}
		if ((n->fn == F_SIZE || n->fn == F_IF_NOT_EXISTS) && n->a[0]->kind != N_PATH) {
			perr(p, "Operator or function requires a document path; operator or function: %s", fnames[n->fn]);
			return -1;
		}
		for (int i = 0; i < n->na; i++)
			if (check_operand(p, n->a[i], in_update))
				return -1;
		if (n->fn == F_LIST_APPEND)
			for (int i = 0; i < 2; i++) {
				ddb_type t = static_type(n->a[i]);
				if (t != DDB_T_NONE && t != DDB_T_L) {
					perr(p, "Incorrect operand type for operator or function; operator or function: list_append, operand type: %s",
					     ddb_type_name(t));
					return -1;
				}
			}
		return 0;
	}
	if (n->kind == N_ARITH) {
		for (int i = 0; i < 2; i++) {
			if (check_operand(p, n->a[i], in_update))
				return -1;
			ddb_type t = static_type(n->a[i]);
			if (t != DDB_T_NONE && t != DDB_T_N) {
				perr(p, "Incorrect operand type for operator or function; operator or function: %s, operand type: %s",
				     op_text(n->op), ddb_type_name(t));
				return -1;
			}
		}
	}
	return 0;
}

/* ======================================================================
 * Entry points for each kind of expression
 * ====================================================================== */

static int parser_open(parser *p, ddb_exprs *x, const char *kind, const cJSON *text)
{
	memset(p, 0, sizeof *p);
	p->x = x;
	x->kind = kind;
	p->src = text->valuestring;
	p->len = strlen(p->src);
	size_t n = 0;
	while (n < p->len && isspace((unsigned char)p->src[n]))
		n++;
	if (n == p->len) {
		DDB_ERR(x->rq, ValidationException, "Invalid %s: The expression can not be empty;", kind);
		return -1;
	}
	if (p->len > MAX_EXPR_LEN) {
		DDB_ERR(x->rq, ValidationException, "Invalid %s: Expression size has exceeded the maximum allowed size; expression size: %zu",
		        kind, p->len);
		return -1;
	}
	lex(p, x->rq->ar);
	return 0;
}

/* After parsing: trailing tokens are a syntax error; then a waiting semantic error. */
static int parser_close(parser *p, int ok)
{
	if (ok && !p->failed && !at(p, T_EOF)) {
		syntax_error(p);
		ok = 0;
	}
	if (ok && !p->failed && p->sem.len) {
		perr(p, "%s", sb_str(&p->sem));
		ok = 0;
	}
	sb_free(&p->sem);
	return ok && !p->failed ? 0 : -1;
}

static ddb_node *parse_condition(ddb_exprs *x, const char *kind, const cJSON *text)
{
	parser p;
	if (parser_open(&p, x, kind, text))
		return NULL;
	ddb_node *n = parse_or(&p);
	if (parser_close(&p, n != NULL))
		return NULL;
	p.failed = 0;
	if (check_cond(&p, n))
		return NULL;
	return n;
}

static void path_text(const dpath *d, sb *out)
{
	sb_catc(out, '[');
	for (int i = 0; i < d->n; i++) {
		if (i)
			sb_cat(out, ", ");
		if (d->el[i].name)
			sb_cat(out, d->el[i].name);
		else
			sb_printf(out, "[%ld]", d->el[i].index);
	}
	sb_catc(out, ']');
}

/* Two paths overlap when one is a prefix of the other; they conflict when
 * they part at an element that is a name in one and an index in the other. */
static int paths_check(parser *p, dpath **paths, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			const dpath *a = paths[i], *b = paths[j];
			int k = 0, m = a->n < b->n ? a->n : b->n, conflict = 0;
			for (; k < m; k++) {
				const pelem *x = &a->el[k], *y = &b->el[k];
				if (!x->name != !y->name) {
					conflict = 1;
					break;
				}
				if (x->name ? strcmp(x->name, y->name) : x->index != y->index)
					break;
			}
			if (k == m || conflict) {
				sb s1 = SB_INIT, s2 = SB_INIT;
				path_text(a, &s1);
				path_text(b, &s2);
				perr(p, "Two document paths %s with each other; must remove or rewrite one of these paths; path one: %s, path two: %s",
				     conflict ? "conflict" : "overlap", sb_str(&s1), sb_str(&s2));
				sb_free(&s1);
				sb_free(&s2);
				return -1;
			}
		}
	return 0;
}

static ddb_paths *parse_projection(ddb_exprs *x, const cJSON *text)
{
	parser p;
	if (parser_open(&p, x, "ProjectionExpression", text))
		return NULL;
	ddb_paths *ps = arena_calloc(x->rq->ar, sizeof *ps);
	int cap = 0, ok = 1;
	for (;;) {
		if (!at(&p, T_NAME) && !at(&p, T_HASH)) {
			syntax_error(&p);
			ok = 0;
			break;
		}
		if (ps->n == cap) {
			int nc = cap ? cap * 2 : 8;
			ps->p = arena_realloc(x->rq->ar, ps->p, (size_t)cap * sizeof *ps->p, (size_t)nc * sizeof *ps->p);
			cap = nc;
		}
		if (parse_path(&p, &ps->p[ps->n])) {
			ok = 0;
			break;
		}
		ps->n++;
		if (!at(&p, T_COMMA))
			break;
		p.i++;
	}
	if (parser_close(&p, ok))
		return NULL;
	dpath **pp = arena_alloc(x->rq->ar, (size_t)ps->n * sizeof *pp);
	for (int i = 0; i < ps->n; i++)
		pp[i] = &ps->p[i];
	p.failed = 0;
	if (paths_check(&p, pp, ps->n))
		return NULL;
	return ps;
}

static const char *type_word(ddb_type t)
{
	switch (t) {
	case DDB_T_S: return "STRING";
	case DDB_T_N: return "NUMBER";
	case DDB_T_B: return "BINARY";
	case DDB_T_BOOL: return "BOOLEAN";
	case DDB_T_NULL: return "NULL";
	case DDB_T_M: return "MAP";
	case DDB_T_L: return "LIST";
	case DDB_T_SS: return "STRING_SET";
	case DDB_T_NS: return "NUMBER_SET";
	case DDB_T_BS: return "BINARY_SET";
	default: return "?";
	}
}

static ddb_update *parse_update(ddb_exprs *x, const cJSON *text)
{
	parser p;
	if (parser_open(&p, x, "UpdateExpression", text))
		return NULL;
	p.is_update = 1;
	arena *ar = x->rq->ar;
	ddb_update *u = arena_calloc(ar, sizeof *u);
	int cap = 0, ok = 1, seen[4] = {0, 0, 0, 0};
	static const char *const kws[] = {"SET", "REMOVE", "ADD", "DELETE"};
	while (ok && !at(&p, T_EOF)) {
		int k = -1;
		for (int i = 0; i < 4; i++)
			if (at_kw(&p, kws[i]))
				k = i;
		if (k < 0) {
			syntax_error(&p);
			ok = 0;
			break;
		}
		if (seen[k]++) {
			perr(&p, "The \"%s\" section can only be used once in an update expression;", kws[k]);
			ok = 0;
			break;
		}
		p.i++;
		for (;;) {
			if (u->n == cap) {
				int nc = cap ? cap * 2 : 8;
				u->act = arena_realloc(ar, u->act, (size_t)cap * sizeof *u->act, (size_t)nc * sizeof *u->act);
				cap = nc;
			}
			uaction *a = &u->act[u->n];
			memset(a, 0, sizeof *a);
			a->kind = (ukind)k;
			if (!at(&p, T_NAME) && !at(&p, T_HASH)) {
				syntax_error(&p);
				ok = 0;
				break;
			}
			if (parse_path(&p, &a->path)) {
				ok = 0;
				break;
			}
			if (k == U_SET) {
				if (expect(&p, T_EQ)) {
					ok = 0;
					break;
				}
				a->value = parse_operand(&p, 1);
			} else if (k == U_ADD || k == U_DELETE) {
				a->value = parse_primary(&p, 1);
			}
			if (k != U_REMOVE && !a->value) {
				ok = 0;
				break;
			}
			u->n++;
			if (!at(&p, T_COMMA))
				break;
			p.i++;
		}
	}
	if (parser_close(&p, ok))
		return NULL;
	p.failed = 0;
	dpath **pp = arena_alloc(ar, (size_t)u->n * sizeof *pp);
	for (int i = 0; i < u->n; i++) {
		uaction *a = &u->act[i];
		pp[i] = &a->path;
		if (a->value && check_operand(&p, a->value, 1))
			return NULL;
		if (a->kind == U_ADD || a->kind == U_DELETE) {
			if (a->value->kind != N_VALUE) {
				syntax_error(&p);
				return NULL;
			}
			ddb_type t = static_type(a->value);
			int okt = a->kind == U_ADD ? (t == DDB_T_N || t == DDB_T_SS || t == DDB_T_NS || t == DDB_T_BS) :
			                             (t == DDB_T_SS || t == DDB_T_NS || t == DDB_T_BS);
			if (!okt) {
				perr(&p, "Incorrect operand type for operator or function; operator: %s, operand type: %s, typeSet: ALLOWED_FOR_%s_OPERAND",
				     kws[a->kind], type_word(t), kws[a->kind]);
				return NULL;
			}
		}
	}
	if (paths_check(&p, pp, u->n))
		return NULL;
	return u;
}

/* ======================================================================
 * Legacy parameters (Expected, KeyConditions, QueryFilter, ScanFilter,
 * AttributeUpdates, AttributesToGet) become the same trees.
 * ====================================================================== */

static ddb_node *lnode(ddb_exprs *x, nkind k)
{
	ddb_node *n = arena_calloc(x->rq->ar, sizeof *n);
	n->kind = k;
	return n;
}

static void ladd(ddb_exprs *x, ddb_node *n, ddb_node *c)
{
	n->a = arena_realloc(x->rq->ar, n->a, (size_t)n->na * sizeof *n->a, (size_t)(n->na + 1) * sizeof *n->a);
	n->a[n->na++] = c;
}

static ddb_node *lpath(ddb_exprs *x, const char *name)
{
	ddb_node *n = lnode(x, N_PATH);
	n->path.el = arena_calloc(x->rq->ar, sizeof *n->path.el);
	n->path.el[0].name = arena_strdup(x->rq->ar, name);
	n->path.el[0].index = -1;
	n->path.n = 1;
	return n;
}

static ddb_node *lvalue(ddb_exprs *x, const cJSON *av)
{
	ddb_node *n = lnode(x, N_VALUE);
	cJSON *c = cJSON_Duplicate(av, 1);
	cJSON_AddItemToArray(x->tmp, c);
	n->value = c;
	return n;
}

static ddb_node *lfunc(ddb_exprs *x, fkind f, ddb_node *a, ddb_node *b)
{
	ddb_node *n = lnode(x, N_FUNC);
	n->fn = f;
	ladd(x, n, a);
	if (b)
		ladd(x, n, b);
	return n;
}

static ddb_node *lbin(ddb_exprs *x, nkind k, int op, ddb_node *a, ddb_node *b)
{
	ddb_node *n = lnode(x, k);
	n->op = op;
	ladd(x, n, a);
	ladd(x, n, b);
	return n;
}

/* One legacy condition {ComparisonOperator, AttributeValueList} on attr. */
static ddb_node *legacy_cond(ddb_exprs *x, const char *attr, const cJSON *c, const char *what)
{
	mock_req *rq = x->rq;
	const char *op = cj_str(c, "ComparisonOperator");
	const cJSON *list = cj_arr(c, "AttributeValueList");
	int n = cJSON_GetArraySize(list);
	for (cJSON *v = list ? list->child : NULL; v; v = v->next)
		if (ddb_av_check(rq, v, 1))
			return NULL;
	static const struct {
		const char *name;
		int nargs; /* -1: one or more */
	} ops[] = {{"EQ", 1}, {"NE", 1}, {"LE", 1}, {"LT", 1}, {"GE", 1}, {"GT", 1}, {"NOT_NULL", 0}, {"NULL", 0},
	           {"CONTAINS", 1}, {"NOT_CONTAINS", 1}, {"BEGINS_WITH", 1}, {"IN", -1}, {"BETWEEN", 2}};
	int k = -1;
	for (int i = 0; op && i < (int)(sizeof ops / sizeof *ops); i++)
		if (!strcmp(ops[i].name, op))
			k = i;
	if (k < 0) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value '%s' at '%s.%s.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]",
		        op ? op : "null", what, attr);
		return NULL;
	}
	if (ops[k].nargs >= 0 ? n != ops[k].nargs : n < 1) {
		DDB_ERR(rq, ValidationException,
		        DDB_INVALID "Invalid number of argument(s) for the %s ComparisonOperator", op);
		return NULL;
	}
	ddb_node *pa = lpath(x, attr);
	const cJSON *v0 = list ? list->child : NULL;
	if ((k >= 2 && k <= 5) || k == 12 || k == 10) {
		for (const cJSON *v = v0; v; v = v->next) {
			ddb_type t = ddb_av_type(v);
			if (t != DDB_T_S && t != DDB_T_N && t != DDB_T_B) {
				DDB_ERR(rq, ValidationException,
				        DDB_INVALID "ComparisonOperator %s is not valid for %s AttributeValue type", op, ddb_type_name(t));
				return NULL;
			}
		}
	}
	switch (k) {
	case 0: return lbin(x, N_CMP, T_EQ, pa, lvalue(x, v0));
	case 1: return lbin(x, N_CMP, T_NE, pa, lvalue(x, v0));
	case 2: return lbin(x, N_CMP, T_LE, pa, lvalue(x, v0));
	case 3: return lbin(x, N_CMP, T_LT, pa, lvalue(x, v0));
	case 4: return lbin(x, N_CMP, T_GE, pa, lvalue(x, v0));
	case 5: return lbin(x, N_CMP, T_GT, pa, lvalue(x, v0));
	case 6: return lfunc(x, F_EXISTS, pa, NULL);
	case 7: return lfunc(x, F_NOT_EXISTS, pa, NULL);
	case 8: return lfunc(x, F_CONTAINS, pa, lvalue(x, v0));
	case 9: {
		ddb_node *nn = lnode(x, N_NOT);
		/* NOT_CONTAINS is false for a missing attribute */
		ladd(x, nn, lfunc(x, F_CONTAINS, pa, lvalue(x, v0)));
		return lbin(x, N_AND, 0, lfunc(x, F_EXISTS, lpath(x, attr), NULL), nn);
	}
	case 10: return lfunc(x, F_BEGINS, pa, lvalue(x, v0));
	case 11: {
		ddb_node *in = lnode(x, N_IN);
		ladd(x, in, pa);
		for (const cJSON *v = v0; v; v = v->next)
			ladd(x, in, lvalue(x, v));
		return in;
	}
	default: {
		ddb_node *b = lnode(x, N_BETWEEN);
		ladd(x, b, pa);
		ladd(x, b, lvalue(x, v0));
		ladd(x, b, lvalue(x, v0->next));
		return b;
	}
	}
}

static ddb_node *legacy_conds(ddb_exprs *x, const cJSON *map, const char *what, int use_or, int expected)
{
	ddb_node *all = NULL;
	for (const cJSON *m = map->child; m; m = m->next) {
		ddb_node *c;
		if (expected && !cj_str(m, "ComparisonOperator")) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, "Value");
			int exists = cj_bool(m, "Exists", 1);
			if (v && ddb_av_check(x->rq, (cJSON *)v, 1))
				return NULL;
			if (exists && !v) {
				DDB_ERR(x->rq, ValidationException,
				        DDB_INVALID "Value must be provided when Exists is true for Attribute: %s", m->string);
				return NULL;
			}
			if (!exists && v) {
				DDB_ERR(x->rq, ValidationException,
				        DDB_INVALID "Value cannot be used when Exists is false for Attribute: %s", m->string);
				return NULL;
			}
			c = exists ? lbin(x, N_CMP, T_EQ, lpath(x, m->string), lvalue(x, v)) :
			             lfunc(x, F_NOT_EXISTS, lpath(x, m->string), NULL);
		} else {
			c = legacy_cond(x, m->string, m, what);
		}
		if (!c)
			return NULL;
		all = all ? lbin(x, use_or ? N_OR : N_AND, 0, all, c) : c;
	}
	return all;
}

static ddb_update *legacy_updates(ddb_exprs *x, const cJSON *map)
{
	ddb_update *u = arena_calloc(x->rq->ar, sizeof *u);
	int n = cJSON_GetArraySize(map);
	u->act = arena_calloc(x->rq->ar, (size_t)(n + 1) * sizeof *u->act);
	for (const cJSON *m = map->child; m; m = m->next) {
		const char *action = cj_str(m, "Action");
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, "Value");
		if (v && ddb_av_check(x->rq, (cJSON *)v, 1))
			return NULL;
		uaction *a = &u->act[u->n++];
		a->path = lpath(x, m->string)->path;
		if (!action || !strcmp(action, "PUT")) {
			if (!v) {
				DDB_ERR(x->rq, ValidationException,
				        DDB_INVALID "Only DELETE action is allowed when no attribute value is specified");
				return NULL;
			}
			a->kind = U_SET;
			a->value = lvalue(x, v);
		} else if (!strcmp(action, "DELETE")) {
			a->kind = v ? U_DELETE : U_REMOVE;
			if (v) {
				ddb_type t = ddb_av_type(v);
				if (t != DDB_T_SS && t != DDB_T_NS && t != DDB_T_BS) {
					DDB_ERR(x->rq, ValidationException,
					        DDB_INVALID "DELETE action with value is not supported for the type %s", ddb_type_name(t));
					return NULL;
				}
				a->value = lvalue(x, v);
			}
		} else if (!strcmp(action, "ADD")) {
			ddb_type t = v ? ddb_av_type(v) : DDB_T_NONE;
			if (t != DDB_T_N && t != DDB_T_SS && t != DDB_T_NS && t != DDB_T_BS && t != DDB_T_L) {
				DDB_ERR(x->rq, ValidationException,
				        DDB_INVALID "ADD action is not supported for the type %s", ddb_type_name(t));
				return NULL;
			}
			a->kind = U_ADD;
			a->value = lvalue(x, v);
		} else {
			DDB_ERR(x->rq, ValidationException,
			        "1 validation error detected: Value '%s' at 'attributeUpdates.%s.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
			        action, m->string);
			return NULL;
		}
	}
	return u;
}

/* ======================================================================
 * ddb_exprs_parse: DynamoDB's order of checks
 * ====================================================================== */

static int placeholder_key_ok(const char *k, char lead)
{
	if (k[0] != lead || !k[1])
		return 0;
	for (const char *p = k + 1; *p; p++)
		if (!ident_char((unsigned char)*p))
			return 0;
	return 1;
}

static const cJSON *member(const cJSON *in, const char *name)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(in, name);
	return m && !cJSON_IsNull(m) ? m : NULL;
}

int ddb_exprs_parse(mock_req *rq, const cJSON *in, unsigned allow, ddb_exprs *x)
{
	memset(x, 0, sizeof *x);
	x->rq = rq;
	x->tmp = cJSON_CreateArray();
	struct {
		unsigned bit;
		const char *expr, *legacy;
	} kinds[] = {
		{DDB_X_KEY, "KeyConditionExpression", "KeyConditions"},
		{DDB_X_COND, "ConditionExpression", "Expected"},
		{DDB_X_FILTER, "FilterExpression", allow & DDB_X_QUERY ? "QueryFilter" : "ScanFilter"},
		{DDB_X_UPDATE, "UpdateExpression", "AttributeUpdates"},
		{DDB_X_PROJ, "ProjectionExpression", "AttributesToGet"},
	};
	const int nk = (int)(sizeof kinds / sizeof *kinds);
	sb exprs = SB_INIT, legacy = SB_INIT;
	for (int i = 0; i < nk; i++) {
		if (!(allow & kinds[i].bit))
			continue;
		const cJSON *e = member(in, kinds[i].expr), *l = member(in, kinds[i].legacy);
		if (e) {
			if (!cJSON_IsString(e)) {
				mock_fail(rq, AWSERR_ANY_SerializationException, "Unexpected value type in payload");
				goto fail;
			}
			sb_cat(&exprs, exprs.len ? ", " : "");
			sb_cat(&exprs, kinds[i].expr);
		}
		if (l) {
			sb_cat(&legacy, legacy.len ? ", " : "");
			sb_cat(&legacy, kinds[i].legacy);
		}
	}
	if ((allow & (DDB_X_COND | DDB_X_FILTER | DDB_X_KEY)) && member(in, "ConditionalOperator")) {
		sb_cat(&legacy, legacy.len ? ", " : "");
		sb_cat(&legacy, "ConditionalOperator");
	}
	if (exprs.len && legacy.len) {
		DDB_ERR(rq, ValidationException,
		        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {%s} Expression parameters: {%s}",
		        sb_str(&legacy), sb_str(&exprs));
		goto fail;
	}
	const cJSON *names = member(in, "ExpressionAttributeNames"), *values = member(in, "ExpressionAttributeValues");
	if (names && !cJSON_IsObject(names)) {
		mock_fail(rq, AWSERR_ANY_SerializationException, "Unexpected value type in payload");
		goto fail;
	}
	if (values && !cJSON_IsObject(values)) {
		mock_fail(rq, AWSERR_ANY_SerializationException, "Unexpected value type in payload");
		goto fail;
	}
	if (!exprs.len) {
		if (names) {
			DDB_ERR(rq, ValidationException, "ExpressionAttributeNames can only be specified when using expressions");
			goto fail;
		}
		if (values) {
			DDB_ERR(rq, ValidationException, "ExpressionAttributeValues can only be specified when using expressions");
			goto fail;
		}
	}
	if (names && !names->child) {
		DDB_ERR(rq, ValidationException, "ExpressionAttributeNames must not be empty");
		goto fail;
	}
	if (values && !values->child) {
		DDB_ERR(rq, ValidationException, "ExpressionAttributeValues must not be empty");
		goto fail;
	}
	for (const cJSON *m = names ? names->child : NULL; m; m = m->next) {
		if (!placeholder_key_ok(m->string, '#')) {
			DDB_ERR(rq, ValidationException, "ExpressionAttributeNames contains invalid key: Syntax error; key: \"%s\"",
			        m->string);
			goto fail;
		}
		if (!cJSON_IsString(m)) {
			mock_fail(rq, AWSERR_ANY_SerializationException, "Unexpected value type in payload");
			goto fail;
		}
		if (!*m->valuestring) {
			DDB_ERR(rq, ValidationException,
			        "ExpressionAttributeNames contains invalid value: Empty attribute name for key %s", m->string);
			goto fail;
		}
	}
	x->names = names;
	x->n_names = cJSON_GetArraySize(names);
	x->names_used = arena_calloc(rq->ar, (size_t)x->n_names + 1);
	if (values) {
		x->values = cJSON_Duplicate(values, 1);
		for (cJSON *m = x->values->child; m; m = m->next) {
			if (!placeholder_key_ok(m->string, ':')) {
				DDB_ERR(rq, ValidationException, "ExpressionAttributeValues contains invalid key: Syntax error; key: \"%s\"",
				        m->string);
				goto fail;
			}
			if (ddb_av_check(rq, m, 1)) {
				/* DynamoDB names the placeholder in the message */
				char *msg = arena_printf(rq->ar, "ExpressionAttributeValues contains invalid value: %s for key %s",
				                         rq->err.message, m->string);
				if (!strcmp(rq->err.type, "ValidationException"))
					rq->err.message = msg;
				goto fail;
			}
		}
	}
	x->n_values = cJSON_GetArraySize(x->values);
	x->values_used = arena_calloc(rq->ar, (size_t)x->n_values + 1);

	const char *cop = cj_str(in, "ConditionalOperator");
	if (cop && strcmp(cop, "AND") && strcmp(cop, "OR")) {
		DDB_ERR(rq, ValidationException,
		        "1 validation error detected: Value '%s' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]",
		        cop);
		goto fail;
	}
	int use_or = cop && !strcmp(cop, "OR");
	for (int i = 0; i < nk; i++) {
		if (!(allow & kinds[i].bit))
			continue;
		const cJSON *e = member(in, kinds[i].expr), *l = member(in, kinds[i].legacy);
		unsigned b = kinds[i].bit;
		if (e) {
			if (b == DDB_X_UPDATE) {
				if (!(x->update = parse_update(x, e)))
					goto fail;
			} else if (b == DDB_X_PROJ) {
				if (!(x->proj = parse_projection(x, e)))
					goto fail;
			} else {
				ddb_node *n = parse_condition(x, kinds[i].expr, e);
				if (!n)
					goto fail;
				*(b == DDB_X_KEY ? &x->keycond : b == DDB_X_COND ? &x->cond : &x->filter) = n;
			}
		} else if (l) {
			if (b == DDB_X_PROJ) {
				if (!cJSON_IsArray(l) || !l->child) {
					DDB_ERR(rq, ValidationException,
					        "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1");
					goto fail;
				}
				ddb_paths *ps = arena_calloc(rq->ar, sizeof *ps);
				ps->p = arena_calloc(rq->ar, (size_t)cJSON_GetArraySize(l) * sizeof *ps->p);
				for (const cJSON *a = l->child; a; a = a->next) {
					if (!cJSON_IsString(a))
						continue;
					for (int j = 0; j < ps->n; j++)
						if (!strcmp(ps->p[j].el[0].name, a->valuestring)) {
							DDB_ERR(rq, ValidationException,
							        DDB_INVALID "Duplicate value in attribute name: %s", a->valuestring);
							goto fail;
						}
					ps->p[ps->n++] = lpath(x, a->valuestring)->path;
				}
				x->proj = ps;
			} else if (b == DDB_X_UPDATE) {
				if (!cJSON_IsObject(l) || !(x->update = legacy_updates(x, l)))
					goto fail;
			} else {
				if (!cJSON_IsObject(l)) {
					mock_fail(rq, AWSERR_ANY_SerializationException, "Unexpected value type in payload");
					goto fail;
				}
				if (!l->child)
					continue;
				ddb_node *n = legacy_conds(x, l, b == DDB_X_KEY ? "keyConditions" : b == DDB_X_COND ? "expected" : kinds[i].legacy,
				                           b == DDB_X_KEY ? 0 : use_or, b == DDB_X_COND);
				if (!n)
					goto fail;
				*(b == DDB_X_KEY ? &x->keycond : b == DDB_X_COND ? &x->cond : &x->filter) = n;
			}
		}
	}
	/* placeholders defined and never used */
	sb un = SB_INIT;
	int i = 0;
	for (const cJSON *m = names ? names->child : NULL; m; m = m->next, i++)
		if (!x->names_used[i]) {
			sb_cat(&un, un.len ? ", " : "");
			sb_cat(&un, m->string);
		}
	if (un.len) {
		DDB_ERR(rq, ValidationException, "Value provided in ExpressionAttributeNames unused in expressions: keys: {%s}",
		        sb_str(&un));
		sb_free(&un);
		goto fail;
	}
	i = 0;
	for (const cJSON *m = x->values ? x->values->child : NULL; m; m = m->next, i++)
		if (!x->values_used[i]) {
			sb_cat(&un, un.len ? ", " : "");
			sb_cat(&un, m->string);
		}
	if (un.len) {
		DDB_ERR(rq, ValidationException, "Value provided in ExpressionAttributeValues unused in expressions: keys: {%s}",
		        sb_str(&un));
		sb_free(&un);
		goto fail;
	}
	sb_free(&exprs);
	sb_free(&legacy);
	return 0;
fail:
	sb_free(&exprs);
	sb_free(&legacy);
	return -1;
}

void ddb_exprs_free(ddb_exprs *x)
{
	cJSON_Delete(x->values);
	cJSON_Delete(x->tmp);
	x->values = x->tmp = NULL;
}

/* ======================================================================
 * Evaluation
 * ====================================================================== */

static const cJSON *path_get(const dpath *d, const cJSON *item)
{
	if (!item || d->n == 0)
		return NULL;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, d->el[0].name);
	for (int i = 1; v && i < d->n; i++) {
		const pelem *e = &d->el[i];
		ddb_type t = ddb_av_type(v);
		if (e->name) {
			v = t == DDB_T_M ? cJSON_GetObjectItemCaseSensitive(v->child, e->name) : NULL;
		} else {
			v = t == DDB_T_L && e->index < cJSON_GetArraySize(v->child) ? cJSON_GetArrayItem(v->child, (int)e->index) : NULL;
		}
	}
	return v;
}

static const cJSON *keep(ddb_exprs *x, cJSON *v)
{
	cJSON_AddItemToArray(x->tmp, v);
	return v;
}

static size_t utf16_len(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		n += *p >= 0xF0 ? 2 : 1;
	}
	return n;
}

static const cJSON *operand(ddb_exprs *x, const ddb_node *n, const cJSON *item)
{
	switch (n->kind) {
	case N_VALUE: return n->value;
	case N_PATH: return path_get(&n->path, item);
	case N_FUNC:
		if (n->fn == F_SIZE) {
			const cJSON *v = operand(x, n->a[0], item);
			const cJSON *c = ddb_av_content(v);
			double sz;
			switch (ddb_av_type(v)) {
			case DDB_T_S: sz = (double)utf16_len(c->valuestring); break;
			case DDB_T_B: {
				sb b = SB_INIT;
				ddb_b64_bytes(c->valuestring, &b);
				sz = (double)b.len;
				sb_free(&b);
				break;
			}
			case DDB_T_M:
			case DDB_T_L:
			case DDB_T_SS:
			case DDB_T_NS:
			case DDB_T_BS: sz = cJSON_GetArraySize(c); break;
			default: return NULL;
			}
			char buf[32];
			snprintf(buf, sizeof buf, "%.0f", sz);
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "N", buf);
			return keep(x, o);
		}
		return NULL;
	default: return NULL;
	}
}

static int ordered(const cJSON *a, const cJSON *b)
{
	ddb_type t = ddb_av_type(a);
	return a && b && t == ddb_av_type(b) && (t == DDB_T_S || t == DDB_T_N || t == DDB_T_B);
}

static int contains(const cJSON *hay, const cJSON *needle)
{
	ddb_type t = ddb_av_type(hay), nt = ddb_av_type(needle);
	const cJSON *h = ddb_av_content(hay), *nd = ddb_av_content(needle);
	if (!hay || !needle)
		return 0;
	switch (t) {
	case DDB_T_S: return nt == DDB_T_S && strstr(h->valuestring, nd->valuestring) != NULL;
	case DDB_T_B: {
		if (nt != DDB_T_B)
			return 0;
		sb a = SB_INIT, b = SB_INIT;
		ddb_b64_bytes(h->valuestring, &a);
		ddb_b64_bytes(nd->valuestring, &b);
		int r = b.len == 0 || memmem(a.buf ? a.buf : "", a.len, b.buf, b.len) != NULL;
		sb_free(&a);
		sb_free(&b);
		return r;
	}
	case DDB_T_SS:
	case DDB_T_NS:
	case DDB_T_BS: {
		ddb_type et = t == DDB_T_SS ? DDB_T_S : t == DDB_T_NS ? DDB_T_N : DDB_T_B;
		if (nt != et)
			return 0;
		for (const cJSON *e = h->child; e; e = e->next) {
			cJSON tmp, wrap;
			memset(&wrap, 0, sizeof wrap);
			memcpy(&tmp, e, sizeof tmp);
			tmp.next = tmp.prev = NULL;
			tmp.string = (char *)ddb_type_name(et);
			wrap.type = cJSON_Object;
			wrap.child = &tmp;
			if (ddb_av_equal(&wrap, needle))
				return 1;
		}
		return 0;
	}
	case DDB_T_L:
		for (const cJSON *e = h->child; e; e = e->next)
			if (ddb_av_equal(e, needle))
				return 1;
		return 0;
	default: return 0;
	}
}

static int begins(const cJSON *a, const cJSON *b)
{
	ddb_type t = ddb_av_type(a);
	if (!a || !b || t != ddb_av_type(b) || (t != DDB_T_S && t != DDB_T_B))
		return 0;
	if (t == DDB_T_S)
		return !strncmp(a->child->valuestring, b->child->valuestring, strlen(b->child->valuestring));
	sb x = SB_INIT, y = SB_INIT;
	ddb_b64_bytes(a->child->valuestring, &x);
	ddb_b64_bytes(b->child->valuestring, &y);
	int r = x.len >= y.len && (y.len == 0 || !memcmp(x.buf, y.buf, y.len));
	sb_free(&x);
	sb_free(&y);
	return r;
}

int ddb_cond_eval(ddb_exprs *x, const ddb_node *n, const cJSON *item)
{
	switch (n->kind) {
	case N_AND: return ddb_cond_eval(x, n->a[0], item) && ddb_cond_eval(x, n->a[1], item);
	case N_OR: return ddb_cond_eval(x, n->a[0], item) || ddb_cond_eval(x, n->a[1], item);
	case N_NOT: return !ddb_cond_eval(x, n->a[0], item);
	case N_CMP: {
		const cJSON *a = operand(x, n->a[0], item), *b = operand(x, n->a[1], item);
		if (n->op == T_EQ)
			return a && b && ddb_av_equal(a, b);
		if (n->op == T_NE)
			return !(a && b && ddb_av_equal(a, b));
		if (!ordered(a, b))
			return 0;
		int c = ddb_av_cmp(a, b);
		switch (n->op) {
		case T_LT: return c < 0;
		case T_LE: return c <= 0;
		case T_GT: return c > 0;
		default: return c >= 0;
		}
	}
	case N_BETWEEN: {
		const cJSON *v = operand(x, n->a[0], item), *lo = operand(x, n->a[1], item), *hi = operand(x, n->a[2], item);
		return ordered(v, lo) && ordered(v, hi) && ddb_av_cmp(v, lo) >= 0 && ddb_av_cmp(v, hi) <= 0;
	}
	case N_IN: {
		const cJSON *v = operand(x, n->a[0], item);
		if (!v)
			return 0;
		for (int i = 1; i < n->na; i++) {
			const cJSON *o = operand(x, n->a[i], item);
			if (o && ddb_av_equal(v, o))
				return 1;
		}
		return 0;
	}
	case N_FUNC:
		switch (n->fn) {
		case F_EXISTS: return path_get(&n->a[0]->path, item) != NULL;
		case F_NOT_EXISTS: return path_get(&n->a[0]->path, item) == NULL;
		case F_TYPE: {
			const cJSON *v = path_get(&n->a[0]->path, item), *t = operand(x, n->a[1], item);
			return v && ddb_av_type(t) == DDB_T_S && ddb_av_type(v) == ddb_type_parse(t->child->valuestring);
		}
		case F_BEGINS: return begins(operand(x, n->a[0], item), operand(x, n->a[1], item));
		case F_CONTAINS: return contains(operand(x, n->a[0], item), operand(x, n->a[1], item));
		default: return 0;
		}
	default: return 0;
	}
}

/* ======================================================================
 * Updates
 * ====================================================================== */

static int upd_fail(ddb_exprs *x, const char *msg)
{
	DDB_ERR(x->rq, ValidationException, "%s", msg);
	return -1;
}

#define BAD_TYPE "An operand in the update expression has an incorrect data type"

/* The value of a SET operand, computed against the old item. */
static const cJSON *set_value(ddb_exprs *x, const ddb_node *n, const cJSON *old)
{
	switch (n->kind) {
	case N_VALUE: return n->value;
	case N_PATH: {
		const cJSON *v = path_get(&n->path, old);
		if (!v)
			upd_fail(x, "The provided expression refers to an attribute that does not exist in the item");
		return v;
	}
	case N_ARITH: {
		const cJSON *a = set_value(x, n->a[0], old);
		if (!a)
			return NULL;
		const cJSON *b = set_value(x, n->a[1], old);
		if (!b)
			return NULL;
		ddb_num na, nb, r;
		if (ddb_av_type(a) != DDB_T_N || ddb_av_type(b) != DDB_T_N || ddb_av_num(a->child, &na) ||
		    ddb_av_num(b->child, &nb)) {
			upd_fail(x, BAD_TYPE);
			return NULL;
		}
		int rc = n->op == T_PLUS ? ddb_num_add(&na, &nb, &r) : ddb_num_sub(&na, &nb, &r);
		if (rc) {
			upd_fail(x, ddb_num_strerror(rc));
			return NULL;
		}
		return keep(x, ddb_av_new_num(&r));
	}
	case N_FUNC:
		if (n->fn == F_IF_NOT_EXISTS) {
			const cJSON *v = path_get(&n->a[0]->path, old);
			return v ? v : set_value(x, n->a[1], old);
		}
		if (n->fn == F_LIST_APPEND) {
			const cJSON *a = set_value(x, n->a[0], old);
			if (!a)
				return NULL;
			const cJSON *b = set_value(x, n->a[1], old);
			if (!b)
				return NULL;
			if (ddb_av_type(a) != DDB_T_L || ddb_av_type(b) != DDB_T_L) {
				upd_fail(x, BAD_TYPE);
				return NULL;
			}
			cJSON *o = cJSON_CreateObject();
			cJSON *l = cJSON_AddArrayToObject(o, "L");
			for (const cJSON *e = a->child->child; e; e = e->next)
				cJSON_AddItemToArray(l, cJSON_Duplicate(e, 1));
			for (const cJSON *e = b->child->child; e; e = e->next)
				cJSON_AddItemToArray(l, cJSON_Duplicate(e, 1));
			return keep(x, o);
		}
		return NULL;
	default: return NULL;
	}
}

/* The container holding the last element of d in item, creating nothing.
 * NULL when an intermediate element is missing or of the wrong type. */
static cJSON *parent_of(const dpath *d, cJSON *item)
{
	if (d->n == 1)
		return item;
	dpath up = {d->el, d->n - 1};
	cJSON *v = (cJSON *)path_get(&up, item);
	ddb_type t = ddb_av_type(v);
	const pelem *last = &d->el[d->n - 1];
	if (last->name ? t != DDB_T_M : t != DDB_T_L)
		return NULL;
	return v->child;
}

static int do_set(ddb_exprs *x, const dpath *d, cJSON *item, const cJSON *val)
{
	cJSON *par = parent_of(d, item);
	if (!par)
		return upd_fail(x, "The document path provided in the update expression is invalid for update");
	const pelem *last = &d->el[d->n - 1];
	cJSON *copy = cJSON_Duplicate(val, 1);
	if (last->name) {
		if (cJSON_GetObjectItemCaseSensitive(par, last->name))
			cJSON_ReplaceItemInObjectCaseSensitive(par, last->name, copy);
		else
			cJSON_AddItemToObject(par, last->name, copy);
	} else {
		int n = cJSON_GetArraySize(par);
		if (last->index < n)
			cJSON_ReplaceItemInArray(par, (int)last->index, copy);
		else
			cJSON_AddItemToArray(par, copy);
	}
	return 0;
}

static int set_elem_type(ddb_type t) { return t == DDB_T_SS ? DDB_T_S : t == DDB_T_NS ? DDB_T_N : DDB_T_B; }

static int set_has(const cJSON *arr, ddb_type st, const char *s)
{
	for (const cJSON *e = arr->child; e; e = e->next) {
		if (set_elem_type(st) == DDB_T_N) {
			ddb_num a, b;
			if (!ddb_num_parse(e->valuestring, strlen(e->valuestring), &a) && !ddb_num_parse(s, strlen(s), &b) &&
			    !ddb_num_cmp(&a, &b))
				return 1;
		} else if (!strcmp(e->valuestring, s)) {
			return 1;
		}
	}
	return 0;
}

static int do_add(ddb_exprs *x, const dpath *d, cJSON *item, const cJSON *val)
{
	cJSON *par = parent_of(d, item);
	if (!par)
		return upd_fail(x, "The document path provided in the update expression is invalid for update");
	const cJSON *cur_v = path_get(d, item);
	if (!cur_v)
		return do_set(x, d, item, val);
	ddb_type ct = ddb_av_type(cur_v), vt = ddb_av_type(val);
	if (ct == DDB_T_N && vt == DDB_T_N) {
		ddb_num a, b, r;
		if (ddb_av_num(cur_v->child, &a) || ddb_av_num(val->child, &b))
			return upd_fail(x, BAD_TYPE);
		int rc = ddb_num_add(&a, &b, &r);
		if (rc)
			return upd_fail(x, ddb_num_strerror(rc));
		cJSON *nv = ddb_av_new_num(&r);
		int ret = do_set(x, d, item, nv);
		cJSON_Delete(nv);
		return ret;
	}
	if (ct == vt && (ct == DDB_T_SS || ct == DDB_T_NS || ct == DDB_T_BS)) {
		cJSON *arr = cur_v->child;
		for (const cJSON *e = val->child->child; e; e = e->next)
			if (!set_has(arr, ct, e->valuestring))
				cJSON_AddItemToArray(arr, cJSON_CreateString(e->valuestring));
		return 0;
	}
	if (ct == DDB_T_L && vt == DDB_T_L) { /* AttributeUpdates ADD appends to lists */
		for (const cJSON *e = val->child->child; e; e = e->next)
			cJSON_AddItemToArray(cur_v->child, cJSON_Duplicate(e, 1));
		return 0;
	}
	return upd_fail(x, BAD_TYPE);
}

static void do_remove(const dpath *d, cJSON *item)
{
	cJSON *par = parent_of(d, item);
	if (!par)
		return;
	const pelem *last = &d->el[d->n - 1];
	if (last->name)
		cJSON_DeleteItemFromObjectCaseSensitive(par, last->name);
	else if (last->index < cJSON_GetArraySize(par))
		cJSON_DeleteItemFromArray(par, (int)last->index);
}

static int do_delete(ddb_exprs *x, const dpath *d, cJSON *item, const cJSON *val)
{
	const cJSON *cur_v = path_get(d, item);
	if (!cur_v)
		return 0;
	ddb_type ct = ddb_av_type(cur_v);
	if (ct != ddb_av_type(val))
		return upd_fail(x, BAD_TYPE);
	cJSON *arr = cur_v->child;
	for (cJSON *e = arr->child, *next; e; e = next) {
		next = e->next;
		if (set_has(val->child, ct, e->valuestring))
			cJSON_Delete(cJSON_DetachItemViaPointer(arr, e));
	}
	if (!arr->child)
		do_remove(d, item);
	return 0;
}

static int rm_cmp(const void *a, const void *b)
{
	const uaction *x = *(const uaction *const *)a, *y = *(const uaction *const *)b;
	long xi = x->path.el[x->path.n - 1].index, yi = y->path.el[y->path.n - 1].index;
	return xi < yi ? 1 : xi > yi ? -1 : 0;
}

int ddb_update_apply(ddb_exprs *x, const ddb_table *t, const cJSON *old, const cJSON *key, cJSON **out)
{
	(void)t;
	const ddb_update *u = x->update;
	*out = NULL;
	/* SET values come from the item as it was */
	const cJSON **vals = arena_calloc(x->rq->ar, (size_t)(u->n + 1) * sizeof *vals);
	for (int i = 0; i < u->n; i++)
		if (u->act[i].kind == U_SET && !(vals[i] = set_value(x, u->act[i].value, old)))
			return -1;
	cJSON *item = old ? cJSON_Duplicate(old, 1) : cJSON_Duplicate(key, 1);
	int rc = 0;
	/* removals of list elements go from the highest index down, so that
	 * indexes refer to the list as it was */
	const uaction **rms = arena_calloc(x->rq->ar, (size_t)(u->n + 1) * sizeof *rms);
	int nrm = 0;
	for (int i = 0; i < u->n && !rc; i++) {
		const uaction *a = &u->act[i];
		switch (a->kind) {
		case U_SET: rc = do_set(x, &a->path, item, vals[i]); break;
		case U_REMOVE: rms[nrm++] = a; break;
		case U_ADD: rc = do_add(x, &a->path, item, a->value->value); break;
		case U_DELETE: rc = do_delete(x, &a->path, item, a->value->value); break;
		}
	}
	qsort(rms, (size_t)nrm, sizeof *rms, rm_cmp);
	for (int i = 0; i < nrm && !rc; i++)
		do_remove(&rms[i]->path, item);
	if (rc) {
		cJSON_Delete(item);
		return -1;
	}
	*out = item;
	return 0;
}

int ddb_update_check_keys(ddb_exprs *x, const ddb_table *t)
{
	for (int i = 0; i < x->update->n; i++) {
		const dpath *d = &x->update->act[i].path;
		const char *n = d->el[0].name;
		if (n && (!strcmp(n, t->hk.name) || (t->rk.name && !strcmp(n, t->rk.name)))) {
			DDB_ERR(x->rq, ValidationException,
			        DDB_INVALID "Cannot update attribute %s. This attribute is part of the key", n);
			return -1;
		}
	}
	return 0;
}

/* ======================================================================
 * Projections
 * ====================================================================== */

/* Copy the part of src that d selects into dst (an item or M/L content). */
static void project_path(const dpath *d, int i, const cJSON *src, cJSON *dst_container, int dst_is_list)
{
	const pelem *e = &d->el[i];
	const cJSON *v;
	if (i == 0) {
		v = cJSON_GetObjectItemCaseSensitive(src, e->name);
	} else {
		ddb_type t = ddb_av_type(src);
		if (e->name)
			v = t == DDB_T_M ? cJSON_GetObjectItemCaseSensitive(src->child, e->name) : NULL;
		else
			v = t == DDB_T_L && e->index < cJSON_GetArraySize(src->child) ? cJSON_GetArrayItem(src->child, (int)e->index) : NULL;
	}
	if (!v)
		return;
	if (i == d->n - 1) {
		if (dst_is_list)
			cJSON_AddItemToArray(dst_container, cJSON_Duplicate(v, 1));
		else if (!cJSON_GetObjectItemCaseSensitive(dst_container, e->name))
			cJSON_AddItemToObject(dst_container, e->name, cJSON_Duplicate(v, 1));
		return;
	}
	/* an intermediate container: reuse the one an earlier path made */
	const pelem *next = &d->el[i + 1];
	ddb_type want = next->name ? DDB_T_M : DDB_T_L;
	if (ddb_av_type(v) != want)
		return;
	cJSON *sub = NULL;
	if (!dst_is_list)
		sub = cJSON_GetObjectItemCaseSensitive(dst_container, e->name);
	else
		sub = NULL; /* list elements are appended in path order */
	if (sub && ddb_av_type(sub) != want)
		return;
	if (!sub) {
		sub = cJSON_CreateObject();
		if (want == DDB_T_M)
			cJSON_AddObjectToObject(sub, "M");
		else
			cJSON_AddArrayToObject(sub, "L");
		if (dst_is_list)
			cJSON_AddItemToArray(dst_container, sub);
		else
			cJSON_AddItemToObject(dst_container, e->name, sub);
	}
	project_path(d, i + 1, v, sub->child, want == DDB_T_L);
}

cJSON *ddb_proj_apply(const ddb_paths *proj, const cJSON *item)
{
	if (!proj)
		return cJSON_Duplicate(item, 1);
	cJSON *o = cJSON_CreateObject();
	for (int i = 0; i < proj->n; i++)
		project_path(&proj->p[i], 0, item, o, 0);
	/* maps left empty by paths that found nothing are dropped */
	for (cJSON *a = o->child, *next; a; a = next) {
		next = a->next;
		ddb_type t = ddb_av_type(a);
		if ((t == DDB_T_M || t == DDB_T_L) && !a->child->child) {
			int from_path = 0;
			for (int i = 0; i < proj->n; i++)
				if (proj->p[i].n == 1 && !strcmp(proj->p[i].el[0].name, a->string))
					from_path = 1;
			if (!from_path)
				cJSON_Delete(cJSON_DetachItemViaPointer(o, a));
		}
	}
	return o;
}

const char **ddb_proj_top_names(ddb_exprs *x, const ddb_paths *proj)
{
	const char **names = arena_calloc(x->rq->ar, (size_t)(proj->n + 1) * sizeof *names);
	for (int i = 0; i < proj->n; i++)
		names[i] = proj->p[i].el[0].name;
	return names;
}

cJSON *ddb_update_touched(ddb_exprs *x, const cJSON *item)
{
	ddb_paths ps;
	ps.n = x->update->n;
	ps.p = arena_calloc(x->rq->ar, (size_t)(ps.n + 1) * sizeof *ps.p);
	for (int i = 0; i < ps.n; i++)
		ps.p[i] = x->update->act[i].path;
	return ddb_proj_apply(&ps, item);
}

/* ======================================================================
 * Key conditions
 * ====================================================================== */

static int kc_fail(ddb_exprs *x, const char *msg, const char *arg)
{
	DDB_ERR(x->rq, ValidationException, "%s%s", msg, arg);
	return -1;
}

static int kc_collect(ddb_exprs *x, const ddb_node *n, const ddb_node **conds, int *nc)
{
	switch (n->kind) {
	case N_AND:
		return kc_collect(x, n->a[0], conds, nc) || kc_collect(x, n->a[1], conds, nc) ? -1 : 0;
	case N_OR: return kc_fail(x, "Invalid operator used in KeyConditionExpression: ", "OR");
	case N_NOT: return kc_fail(x, "Invalid operator used in KeyConditionExpression: ", "NOT");
	case N_IN: return kc_fail(x, "Invalid operator used in KeyConditionExpression: ", "IN");
	case N_CMP:
		if (n->op == T_NE)
			return kc_fail(x, "Invalid operator used in KeyConditionExpression: ", "<>");
		break;
	case N_FUNC:
		if (n->fn != F_BEGINS)
			return kc_fail(x, "Invalid operator used in KeyConditionExpression: ", fnames[n->fn]);
		break;
	default: break;
	}
	if (*nc >= 2)
		return kc_fail(x, "Conditions can be of length 1 or 2 only", "");
	conds[(*nc)++] = n;
	return 0;
}

int ddb_keycond_reduce(ddb_exprs *x, const ddb_keydef *hk, const ddb_keydef *rk, ddb_keyrange *out)
{
	memset(out, 0, sizeof *out);
	const ddb_node *conds[2];
	int nc = 0;
	if (!x->keycond) {
		DDB_ERR(x->rq, ValidationException,
		        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
		return -1;
	}
	if (kc_collect(x, x->keycond, conds, &nc))
		return -1;
	const ddb_node *hc = NULL, *rc = NULL;
	for (int i = 0; i < nc; i++) {
		const ddb_node *c = conds[i];
		const ddb_node *pn = c->a[0], *vn = c->na > 1 ? c->a[1] : NULL;
		if (pn->kind != N_PATH && vn && vn->kind == N_PATH && c->kind == N_CMP) {
			const ddb_node *tmp = pn; /* :v = attr is accepted the other way round */
			pn = vn;
			vn = tmp;
		}
		if (pn->kind != N_PATH || pn->path.n != 1)
			return kc_fail(x, "Query key condition not supported", "");
		for (int j = 1; j < c->na; j++)
			if (c->a[j]->kind != N_VALUE && !(c->a[j] == pn))
				if (!(c->kind == N_CMP && c->a[0]->kind == N_VALUE))
					return kc_fail(x, "Query key condition not supported", "");
		const char *name = pn->path.el[0].name;
		if (!strcmp(name, hk->name)) {
			if (hc)
				return kc_fail(x, "KeyConditionExpressions must only contain one condition per key", "");
			if (c->kind != N_CMP || c->op != T_EQ)
				return kc_fail(x, "Query key condition not supported", "");
			hc = c;
			out->hash = vn->value;
		} else if (rk->name && !strcmp(name, rk->name)) {
			if (rc)
				return kc_fail(x, "KeyConditionExpressions must only contain one condition per key", "");
			rc = c;
			int flipped = c->a[0]->kind == N_VALUE;
			switch (c->kind) {
			case N_CMP:
				out->op = c->op == T_EQ ? DDB_KR_EQ : c->op == T_LT ? DDB_KR_LT : c->op == T_LE ? DDB_KR_LE :
				          c->op == T_GT ? DDB_KR_GT : DDB_KR_GE;
				if (flipped) /* :v < attr is attr > :v */
					out->op = out->op == DDB_KR_LT ? DDB_KR_GT : out->op == DDB_KR_LE ? DDB_KR_GE :
					          out->op == DDB_KR_GT ? DDB_KR_LT : out->op == DDB_KR_GE ? DDB_KR_LE : out->op;
				out->v1 = vn->value;
				break;
			case N_BETWEEN:
				out->op = DDB_KR_BETWEEN;
				out->v1 = c->a[1]->value;
				out->v2 = c->a[2]->value;
				break;
			default:
				out->op = DDB_KR_BEGINS;
				out->v1 = c->a[1]->value;
				if (rk->type == DDB_T_N) {
					DDB_ERR(x->rq, ValidationException,
					        "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
					return -1;
				}
				break;
			}
		} else {
			return kc_fail(x, "Query condition missed key schema element: ", hk->name);
		}
	}
	if (!hc)
		return kc_fail(x, "Query condition missed key schema element: ", hk->name);
	const cJSON *vals[3] = {out->hash, out->v1, out->v2};
	const ddb_keydef *defs[3] = {hk, rk, rk};
	for (int i = 0; i < 3; i++)
		if (vals[i] && ddb_av_type(vals[i]) != defs[i]->type) {
			DDB_ERR(x->rq, ValidationException, DDB_INVALID "Condition parameter type does not match schema type");
			return -1;
		}
	return 0;
}

int ddb_cond_uses_attr(const ddb_node *n, const char *name)
{
	if (!n)
		return 0;
	if (n->kind == N_PATH)
		return n->path.n > 0 && n->path.el[0].name && !strcmp(n->path.el[0].name, name);
	for (int i = 0; i < n->na; i++)
		if (ddb_cond_uses_attr(n->a[i], name))
			return 1;
	return 0;
}
