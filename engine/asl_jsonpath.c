/* asl_jsonpath.c - Jayway-flavoured JSONPath: compile once, evaluate on cJSON. */
#include "engine/asl_jsonpath.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"

/* ======================================================================
 * Compiled form
 * ====================================================================== */

typedef enum { SEG_FIELD, SEG_INDEX, SEG_WILD, SEG_SLICE, SEG_NAMES, SEG_INDICES, SEG_FILTER, SEG_LENGTH } seg_kind;

typedef struct fexpr fexpr;

typedef struct seg {
	seg_kind kind;
	int deep;            /* preceded by `..` */
	char *name;          /* SEG_FIELD */
	long idx;            /* SEG_INDEX */
	long from, to, step; /* SEG_SLICE */
	int has_from, has_to;
	char **names;        /* SEG_NAMES */
	long *idxs;          /* SEG_INDICES */
	int n;
	fexpr *filter;       /* SEG_FILTER */
} seg;

struct asl_path {
	char *text;
	asl_root root;
	char *var;
	seg *segs;
	int nsegs;
	int definite;
};

/* Filter expressions: [?( ... )] */
typedef enum { FX_OR, FX_AND, FX_NOT, FX_CMP, FX_EXISTS, FX_LIT, FX_PATH } fx_kind;
typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NIN } fx_op;

struct fexpr {
	fx_kind kind;
	fx_op op;
	fexpr *a, *b;
	cJSON *lit;     /* FX_LIT */
	asl_path *path; /* FX_PATH: root ASL_ROOT_INPUT for '$', ASL_ROOT_VAR with var "@" for '@' */
	int at;         /* path relative to the current item */
};

static void fexpr_free(fexpr *f)
{
	if (!f)
		return;
	fexpr_free(f->a);
	fexpr_free(f->b);
	cJSON_Delete(f->lit);
	asl_path_free(f->path);
	mem_free(f);
}

void asl_path_free(asl_path *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nsegs; i++) {
		seg *s = &p->segs[i];
		mem_free(s->name);
		for (int j = 0; s->names && j < s->n; j++)
			mem_free(s->names[j]);
		mem_free(s->names);
		mem_free(s->idxs);
		fexpr_free(s->filter);
	}
	mem_free(p->segs);
	mem_free(p->text);
	mem_free(p->var);
	mem_free(p);
}

const char *asl_path_text(const asl_path *p) { return p->text; }
asl_root asl_path_root(const asl_path *p) { return p->root; }
const char *asl_path_var(const asl_path *p) { return p->var; }
int asl_path_definite(const asl_path *p) { return p->definite; }
int asl_path_is_root(const asl_path *p) { return p->nsegs == 0; }

int asl_path_is_reference(const asl_path *p)
{
	if (p->root != ASL_ROOT_INPUT)
		return 0;
	for (int i = 0; i < p->nsegs; i++)
		if ((p->segs[i].kind != SEG_FIELD && p->segs[i].kind != SEG_INDEX) || p->segs[i].deep)
			return 0;
	return 1;
}

/* ======================================================================
 * Parser
 * ====================================================================== */

typedef struct {
	const char *s;
	size_t i, n;
	sb *err;
	int failed;
} pp;

static int pp_fail(pp *p, const char *msg)
{
	if (!p->failed && p->err)
		sb_printf(p->err, "%s at position %zu", msg, p->i);
	p->failed = 1;
	return -1;
}

static void pp_ws(pp *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
		p->i++;
}

static int pp_peek(pp *p) { return p->i < p->n ? (unsigned char)p->s[p->i] : -1; }

static seg *push_seg(asl_path *a)
{
	a->segs = mem_realloc(a->segs, (size_t)(a->nsegs + 1) * sizeof *a->segs);
	seg *s = &a->segs[a->nsegs++];
	memset(s, 0, sizeof *s);
	return s;
}

/* A quoted string 'x' or "x" with backslash escapes. */
static char *pp_quoted(pp *p)
{
	int q = pp_peek(p);
	if (q != '\'' && q != '"')
		return NULL;
	p->i++;
	sb b = SB_INIT;
	while (p->i < p->n && p->s[p->i] != q) {
		char c = p->s[p->i++];
		/* Jayway unescapes only the quote itself; other backslashes stay */
		if (c == '\\' && p->i < p->n && p->s[p->i] == q)
			c = p->s[p->i++];
		sb_catc(&b, c);
	}
	if (p->i >= p->n) {
		sb_free(&b);
		pp_fail(p, "unterminated string");
		return NULL;
	}
	p->i++;
	if (!b.buf)
		sb_cat(&b, "");
	return sb_steal(&b);
}

static int pp_long(pp *p, long *out)
{
	pp_ws(p);
	size_t st = p->i;
	if (pp_peek(p) == '-')
		p->i++;
	if (!isdigit(pp_peek(p))) {
		p->i = st;
		return -1;
	}
	while (isdigit(pp_peek(p)))
		p->i++;
	*out = strtol(p->s + st, NULL, 10);
	return 0;
}

static fexpr *parse_fexpr(pp *p);
static int parse_segments(pp *p, asl_path *a, int in_filter);

static fexpr *fx_new(fx_kind k)
{
	fexpr *f = mem_calloc(1, sizeof *f);
	f->kind = k;
	return f;
}

static fexpr *parse_operand(pp *p)
{
	pp_ws(p);
	int c = pp_peek(p);
	if (c == '(') {
		p->i++;
		fexpr *e = parse_fexpr(p);
		pp_ws(p);
		if (!e || pp_peek(p) != ')') {
			fexpr_free(e);
			pp_fail(p, "expected ')'");
			return NULL;
		}
		p->i++;
		return e;
	}
	if (c == '!') {
		p->i++;
		fexpr *e = fx_new(FX_NOT);
		e->a = parse_operand(p);
		if (!e->a) {
			fexpr_free(e);
			return NULL;
		}
		return e;
	}
	if (c == '@' || c == '$') {
		asl_path *a = mem_calloc(1, sizeof *a);
		a->root = ASL_ROOT_INPUT;
		a->definite = 1;
		p->i++;
		if (parse_segments(p, a, 1)) {
			asl_path_free(a);
			return NULL;
		}
		a->text = mem_strdup(c == '@' ? "@" : "$");
		fexpr *e = fx_new(FX_PATH);
		e->path = a;
		e->at = c == '@';
		return e;
	}
	if (c == '\'' || c == '"') {
		char *s = pp_quoted(p);
		if (!s)
			return NULL;
		fexpr *e = fx_new(FX_LIT);
		e->lit = cJSON_CreateString(s);
		mem_free(s);
		return e;
	}
	if (c == '-' || isdigit(c)) {
		char *end;
		double d = strtod(p->s + p->i, &end);
		if (end == p->s + p->i) {
			pp_fail(p, "bad number");
			return NULL;
		}
		p->i = (size_t)(end - p->s);
		fexpr *e = fx_new(FX_LIT);
		e->lit = cJSON_CreateNumber(d);
		return e;
	}
	if (c == '[') {
		/* a JSON array literal, for in/nin */
		size_t st = p->i;
		int depth = 0;
		while (p->i < p->n) {
			char ch = p->s[p->i++];
			if (ch == '[')
				depth++;
			else if (ch == ']' && --depth == 0)
				break;
		}
		char *t = mem_strndup(p->s + st, p->i - st);
		for (char *q = t; *q; q++)
			if (*q == '\'')
				*q = '"';
		cJSON *v = cJSON_Parse(t);
		mem_free(t);
		if (!v) {
			pp_fail(p, "bad array literal");
			return NULL;
		}
		fexpr *e = fx_new(FX_LIT);
		e->lit = v;
		return e;
	}
	static const struct {
		const char *w;
		int type;
	} words[] = {{"true", cJSON_True}, {"false", cJSON_False}, {"null", cJSON_NULL}};
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
		size_t l = strlen(words[k].w);
		if (p->n - p->i >= l && !strncmp(p->s + p->i, words[k].w, l)) {
			p->i += l;
			fexpr *e = fx_new(FX_LIT);
			e->lit = words[k].type == cJSON_True    ? cJSON_CreateTrue()
			         : words[k].type == cJSON_False ? cJSON_CreateFalse()
			                                        : cJSON_CreateNull();
			return e;
		}
	}
	pp_fail(p, "unexpected character in filter");
	return NULL;
}

static fexpr *parse_cmp(pp *p)
{
	fexpr *l = parse_operand(p);
	if (!l)
		return NULL;
	pp_ws(p);
	static const struct {
		const char *t;
		fx_op op;
	} ops[] = {{"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE}, {">=", OP_GE}, {"<", OP_LT},
	           {">", OP_GT},  {" in ", OP_IN}, {"in ", OP_IN}, {"nin ", OP_NIN}};
	for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
		size_t len = strlen(ops[k].t);
		if (p->n - p->i >= len && !strncmp(p->s + p->i, ops[k].t, len)) {
			p->i += len;
			fexpr *r = parse_operand(p);
			if (!r) {
				fexpr_free(l);
				return NULL;
			}
			fexpr *e = fx_new(FX_CMP);
			e->op = ops[k].op;
			e->a = l;
			e->b = r;
			return e;
		}
	}
	if (l->kind == FX_PATH) {
		fexpr *e = fx_new(FX_EXISTS);
		e->a = l;
		return e;
	}
	return l;
}

static fexpr *parse_and(pp *p)
{
	fexpr *l = parse_cmp(p);
	while (l) {
		pp_ws(p);
		if (p->n - p->i >= 2 && !strncmp(p->s + p->i, "&&", 2)) {
			p->i += 2;
			fexpr *r = parse_cmp(p);
			if (!r) {
				fexpr_free(l);
				return NULL;
			}
			fexpr *e = fx_new(FX_AND);
			e->a = l;
			e->b = r;
			l = e;
		} else
			break;
	}
	return l;
}

static fexpr *parse_fexpr(pp *p)
{
	fexpr *l = parse_and(p);
	while (l) {
		pp_ws(p);
		if (p->n - p->i >= 2 && !strncmp(p->s + p->i, "||", 2)) {
			p->i += 2;
			fexpr *r = parse_and(p);
			if (!r) {
				fexpr_free(l);
				return NULL;
			}
			fexpr *e = fx_new(FX_OR);
			e->a = l;
			e->b = r;
			l = e;
		} else
			break;
	}
	return l;
}

/* The inside of [...] (after '['). */
static int parse_bracket(pp *p, asl_path *a, int deep)
{
	pp_ws(p);
	int c = pp_peek(p);
	seg *s;
	if (c == '*') {
		p->i++;
		pp_ws(p);
		if (pp_peek(p) != ']')
			return pp_fail(p, "expected ']'");
		p->i++;
		s = push_seg(a);
		s->kind = SEG_WILD;
		s->deep = deep;
		return 0;
	}
	if (c == '?') {
		p->i++;
		pp_ws(p);
		if (pp_peek(p) != '(')
			return pp_fail(p, "expected '(' after '?'");
		p->i++;
		fexpr *f = parse_fexpr(p);
		if (!f)
			return -1;
		pp_ws(p);
		if (pp_peek(p) != ')') {
			fexpr_free(f);
			return pp_fail(p, "expected ')'");
		}
		p->i++;
		pp_ws(p);
		if (pp_peek(p) != ']') {
			fexpr_free(f);
			return pp_fail(p, "expected ']'");
		}
		p->i++;
		s = push_seg(a);
		s->kind = SEG_FILTER;
		s->filter = f;
		s->deep = deep;
		return 0;
	}
	if (c == '\'' || c == '"') {
		char **names = NULL;
		int n = 0;
		for (;;) {
			pp_ws(p);
			char *nm = pp_quoted(p);
			if (!nm) {
				for (int k = 0; k < n; k++)
					mem_free(names[k]);
				mem_free(names);
				return pp_fail(p, "expected a quoted name");
			}
			names = mem_realloc(names, (size_t)(n + 1) * sizeof *names);
			names[n++] = nm;
			pp_ws(p);
			if (pp_peek(p) == ',') {
				p->i++;
				continue;
			}
			break;
		}
		if (pp_peek(p) != ']') {
			for (int k = 0; k < n; k++)
				mem_free(names[k]);
			mem_free(names);
			return pp_fail(p, "expected ']'");
		}
		p->i++;
		s = push_seg(a);
		s->deep = deep;
		if (n == 1) {
			s->kind = SEG_FIELD;
			s->name = names[0];
			mem_free(names);
		} else {
			s->kind = SEG_NAMES;
			s->names = names;
			s->n = n;
		}
		return 0;
	}
	/* numbers: index, union or slice */
	long v1 = 0;
	int has1 = pp_long(p, &v1) == 0;
	pp_ws(p);
	if (pp_peek(p) == ':') {
		p->i++;
		long v2 = 0, v3 = 1;
		int has2 = pp_long(p, &v2) == 0;
		pp_ws(p);
		if (pp_peek(p) == ':') {
			p->i++;
			if (pp_long(p, &v3) || v3 == 0)
				v3 = 1;
		}
		pp_ws(p);
		if (pp_peek(p) != ']')
			return pp_fail(p, "expected ']'");
		p->i++;
		s = push_seg(a);
		s->kind = SEG_SLICE;
		s->deep = deep;
		s->from = v1;
		s->has_from = has1;
		s->to = v2;
		s->has_to = has2;
		s->step = v3;
		return 0;
	}
	if (!has1)
		return pp_fail(p, "expected an index, a name or '*'");
	long *idx = mem_alloc(sizeof *idx);
	int n = 1;
	idx[0] = v1;
	while (pp_peek(p) == ',') {
		p->i++;
		long v;
		if (pp_long(p, &v)) {
			mem_free(idx);
			return pp_fail(p, "expected an index");
		}
		idx = mem_realloc(idx, (size_t)(n + 1) * sizeof *idx);
		idx[n++] = v;
		pp_ws(p);
	}
	if (pp_peek(p) != ']') {
		mem_free(idx);
		return pp_fail(p, "expected ']'");
	}
	p->i++;
	s = push_seg(a);
	s->deep = deep;
	if (n == 1) {
		s->kind = SEG_INDEX;
		s->idx = idx[0];
		mem_free(idx);
	} else {
		s->kind = SEG_INDICES;
		s->idxs = idx;
		s->n = n;
	}
	return 0;
}

static int is_name_char(int c, int in_filter)
{
	if (c < 0 || c == '.' || c == '[')
		return 0;
	if (in_filter && (c == ' ' || c == ')' || c == '=' || c == '!' || c == '<' || c == '>' || c == '&' ||
	                  c == '|' || c == ','))
		return 0;
	return 1;
}

static int parse_segments(pp *p, asl_path *a, int in_filter)
{
	while (p->i < p->n && !p->failed) {
		int c = pp_peek(p);
		int deep = 0;
		if (c == '.') {
			p->i++;
			if (pp_peek(p) == '.') {
				p->i++;
				deep = 1;
			}
			c = pp_peek(p);
			if (c == '[') {
				if (!deep)
					return pp_fail(p, "unexpected '[' after '.'");
				p->i++;
				if (parse_bracket(p, a, deep))
					return -1;
				continue;
			}
			if (c == '*') {
				p->i++;
				seg *s = push_seg(a);
				s->kind = SEG_WILD;
				s->deep = deep;
				continue;
			}
			size_t st = p->i;
			while (is_name_char(pp_peek(p), in_filter))
				p->i++;
			if (p->i == st)
				return pp_fail(p, "expected a name after '.'");
			size_t len = p->i - st;
			if (len == 8 && !strncmp(p->s + st, "length()", 8) && p->i >= p->n) {
				seg *s = push_seg(a);
				s->kind = SEG_LENGTH;
				continue;
			}
			seg *s = push_seg(a);
			s->kind = SEG_FIELD;
			s->deep = deep;
			s->name = mem_strndup(p->s + st, len);
			continue;
		}
		if (c == '[') {
			p->i++;
			if (parse_bracket(p, a, 0))
				return -1;
			continue;
		}
		if (in_filter)
			return 0;
		return pp_fail(p, "unexpected character");
	}
	return p->failed ? -1 : 0;
}

asl_path *asl_path_compile(const char *text, sb *err)
{
	size_t n = strlen(text);
	if (n == 0 || text[0] != '$') {
		if (err)
			sb_cat(err, "a path must start with '$'");
		return NULL;
	}
	asl_path *a = mem_calloc(1, sizeof *a);
	a->text = mem_strdup(text);
	pp p = {text, 1, n, err, 0};
	if (n >= 2 && text[1] == '$') {
		a->root = ASL_ROOT_CONTEXT;
		p.i = 2;
	} else if (n >= 2 && (isalpha((unsigned char)text[1]) || text[1] == '_')) {
		size_t st = 1;
		while (p.i < n && (isalnum((unsigned char)text[p.i]) || text[p.i] == '_'))
			p.i++;
		a->root = ASL_ROOT_VAR;
		a->var = mem_strndup(text + st, p.i - st);
	} else
		a->root = ASL_ROOT_INPUT;
	if (parse_segments(&p, a, 0)) {
		asl_path_free(a);
		return NULL;
	}
	a->definite = 1;
	for (int i = 0; i < a->nsegs; i++) {
		seg_kind k = a->segs[i].kind;
		if (a->segs[i].deep || (k != SEG_FIELD && k != SEG_INDEX && k != SEG_LENGTH))
			a->definite = 0;
	}
	return a;
}

/* ======================================================================
 * Evaluation
 * ====================================================================== */

typedef struct {
	const cJSON **v;
	size_t n, cap;
} nodes;

static void nodes_push(nodes *l, const cJSON *v)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = mem_realloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = v;
}

void asl_path_normalized(const asl_path *p, int nsteps, sb *out)
{
	if (p->root == ASL_ROOT_CONTEXT)
		sb_cat(out, "$$");
	else if (p->root == ASL_ROOT_VAR) {
		sb_catc(out, '$');
		sb_cat(out, p->var);
	} else
		sb_catc(out, '$');
	for (int i = 0; i < nsteps && i < p->nsegs; i++) {
		const seg *s = &p->segs[i];
		if (s->deep)
			sb_cat(out, "..");
		switch (s->kind) {
		case SEG_FIELD: sb_printf(out, "['%s']", s->name); break;
		case SEG_INDEX: sb_printf(out, "[%ld]", s->idx); break;
		case SEG_WILD: sb_cat(out, "[*]"); break;
		case SEG_LENGTH: sb_cat(out, ".length()"); break;
		default: sb_cat(out, "[...]"); break;
		}
	}
}

static const cJSON *get_idx(const cJSON *arr, long i)
{
	int n = cJSON_GetArraySize(arr);
	if (i < 0)
		i += n;
	if (i < 0 || i >= n)
		return NULL;
	return cJSON_GetArrayItem(arr, (int)i);
}

static int fx_eval(const fexpr *f, const cJSON *item, const cJSON *root);

static const cJSON *fx_operand(const fexpr *f, const cJSON *item, const cJSON *root, cJSON **tmp)
{
	*tmp = NULL;
	if (f->kind == FX_LIT)
		return f->lit;
	if (f->kind == FX_PATH) {
		const cJSON *base = f->at ? item : root;
		if (f->path->definite) {
			const cJSON *o = NULL;
			if (asl_path_lookup(f->path, base, &o, NULL))
				return NULL;
			return o;
		}
		cJSON *o = NULL;
		if (asl_path_eval(f->path, base, &o, NULL))
			return NULL;
		*tmp = o;
		return o;
	}
	*tmp = cJSON_CreateBool(fx_eval(f, item, root));
	return *tmp;
}

static int fx_compare(fx_op op, const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return op == OP_NE ? (a != b) : 0;
	if (op == OP_IN || op == OP_NIN) {
		int found = 0;
		if (cJSON_IsArray(b))
			for (const cJSON *x = b->child; x && !found; x = x->next)
				found = cj_equal(a, x);
		return op == OP_IN ? found : !found;
	}
	if (op == OP_EQ)
		return cj_equal(a, b);
	if (op == OP_NE)
		return !cj_equal(a, b);
	double c;
	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		c = a->valuedouble < b->valuedouble ? -1 : a->valuedouble > b->valuedouble ? 1 : 0;
	else if (cJSON_IsString(a) && cJSON_IsString(b))
		c = strcmp(a->valuestring, b->valuestring);
	else
		return 0;
	switch (op) {
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	case OP_GE: return c >= 0;
	default: return 0;
	}
}

static int fx_eval(const fexpr *f, const cJSON *item, const cJSON *root)
{
	switch (f->kind) {
	case FX_OR: return fx_eval(f->a, item, root) || fx_eval(f->b, item, root);
	case FX_AND: return fx_eval(f->a, item, root) && fx_eval(f->b, item, root);
	case FX_NOT: return !fx_eval(f->a, item, root);
	case FX_EXISTS: {
		cJSON *tmp;
		const cJSON *v = fx_operand(f->a, item, root, &tmp);
		int r = v != NULL && !(tmp && cJSON_GetArraySize(tmp) == 0);
		cJSON_Delete(tmp);
		return r;
	}
	case FX_CMP: {
		cJSON *t1, *t2;
		const cJSON *a = fx_operand(f->a, item, root, &t1);
		const cJSON *b = fx_operand(f->b, item, root, &t2);
		int r = fx_compare(f->op, a, b);
		cJSON_Delete(t1);
		cJSON_Delete(t2);
		return r;
	}
	case FX_LIT: return !cJSON_IsFalse(f->lit) && !cJSON_IsNull(f->lit);
	case FX_PATH: {
		cJSON *tmp;
		const cJSON *v = fx_operand(f, item, root, &tmp);
		int r = v != NULL;
		cJSON_Delete(tmp);
		return r;
	}
	}
	return 0;
}

static void apply_seg(const seg *s, const cJSON *v, const cJSON *root, nodes *out);

static void apply_deep(const seg *s, const cJSON *v, const cJSON *root, nodes *out)
{
	apply_seg(s, v, root, out);
	if (cJSON_IsObject(v) || cJSON_IsArray(v))
		for (const cJSON *c = v->child; c; c = c->next)
			apply_deep(s, c, root, out);
}

static void apply_seg(const seg *s, const cJSON *v, const cJSON *root, nodes *out)
{
	switch (s->kind) {
	case SEG_FIELD:
		if (cJSON_IsObject(v)) {
			const cJSON *c = cJSON_GetObjectItemCaseSensitive(v, s->name);
			if (c)
				nodes_push(out, c);
		}
		break;
	case SEG_NAMES:
		if (cJSON_IsObject(v))
			for (int k = 0; k < s->n; k++) {
				const cJSON *c = cJSON_GetObjectItemCaseSensitive(v, s->names[k]);
				if (c)
					nodes_push(out, c);
			}
		break;
	case SEG_INDEX:
		if (cJSON_IsArray(v)) {
			const cJSON *c = get_idx(v, s->idx);
			if (c)
				nodes_push(out, c);
		}
		break;
	case SEG_INDICES:
		if (cJSON_IsArray(v))
			for (int k = 0; k < s->n; k++) {
				const cJSON *c = get_idx(v, s->idxs[k]);
				if (c)
					nodes_push(out, c);
			}
		break;
	case SEG_WILD:
		if (cJSON_IsObject(v) || cJSON_IsArray(v))
			for (const cJSON *c = v->child; c; c = c->next)
				nodes_push(out, c);
		break;
	case SEG_SLICE:
		if (cJSON_IsArray(v)) {
			long n = cJSON_GetArraySize(v);
			long from = s->has_from ? s->from : 0, to = s->has_to ? s->to : n;
			if (from < 0)
				from = n + from < 0 ? 0 : n + from;
			if (to < 0)
				to = n + to < 0 ? 0 : n + to;
			if (to > n)
				to = n;
			long i = 0;
			for (const cJSON *c = v->child; c && i < to; c = c->next, i++)
				if (i >= from && (i - from) % (s->step > 0 ? s->step : 1) == 0)
					nodes_push(out, c);
		}
		break;
	case SEG_FILTER:
		if (cJSON_IsArray(v)) {
			for (const cJSON *c = v->child; c; c = c->next)
				if (fx_eval(s->filter, c, root))
					nodes_push(out, c);
		} else if (cJSON_IsObject(v) && fx_eval(s->filter, v, root))
			nodes_push(out, v);
		break;
	case SEG_LENGTH: break;
	}
}

int asl_path_lookup(const asl_path *p, const cJSON *root, const cJSON **out, sb *err)
{
	if (!p->definite)
		return -2;
	const cJSON *v = root;
	if (!v) {
		if (err) {
			sb_cat(err, "No results for path: ");
			asl_path_normalized(p, 0, err);
		}
		return -1;
	}
	for (int i = 0; i < p->nsegs; i++) {
		const seg *s = &p->segs[i];
		const cJSON *nx = NULL;
		if (s->kind == SEG_LENGTH)
			return -2;
		if (s->kind == SEG_FIELD) {
			if (!cJSON_IsObject(v)) {
				if (err) {
					sb_printf(err, "Expected to find an object with property ['%s'] in path ", s->name);
					asl_path_normalized(p, i, err);
					sb_printf(err, " but found '%s'. This is not a json object according to the JsonProvider: "
					               "'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider'.",
					          cJSON_IsArray(v)    ? "java.util.ArrayList"
					          : cJSON_IsString(v) ? "java.lang.String"
					          : cJSON_IsNumber(v) ? "java.lang.Integer"
					          : cJSON_IsBool(v)   ? "java.lang.Boolean"
					                              : "null");
				}
				return -1;
			}
			nx = cJSON_GetObjectItemCaseSensitive(v, s->name);
		} else if (s->kind == SEG_INDEX) {
			if (cJSON_IsArray(v))
				nx = get_idx(v, s->idx);
		}
		if (!nx) {
			if (err) {
				if (i == p->nsegs - 1) {
					sb_cat(err, "No results for path: ");
					asl_path_normalized(p, p->nsegs, err);
				} else {
					sb_cat(err, "Missing property in path ");
					asl_path_normalized(p, i + 1, err);
				}
			}
			return -1;
		}
		v = nx;
	}
	*out = v;
	return 0;
}

int asl_path_eval(const asl_path *p, const cJSON *root, cJSON **out, sb *err)
{
	*out = NULL;
	int has_len = p->nsegs > 0 && p->segs[p->nsegs - 1].kind == SEG_LENGTH;
	if (p->definite && !has_len) {
		const cJSON *v;
		if (asl_path_lookup(p, root, &v, err))
			return -1;
		*out = cJSON_Duplicate(v, 1);
		return 0;
	}
	nodes cur = {0}, nxt = {0};
	if (root)
		nodes_push(&cur, root);
	int nseg = has_len ? p->nsegs - 1 : p->nsegs;
	for (int i = 0; i < nseg; i++) {
		const seg *s = &p->segs[i];
		nxt.n = 0;
		for (size_t k = 0; k < cur.n; k++) {
			if (s->deep)
				apply_deep(s, cur.v[k], root, &nxt);
			else
				apply_seg(s, cur.v[k], root, &nxt);
		}
		nodes t = cur;
		cur = nxt;
		nxt = t;
	}
	if (has_len) {
		int definite = 1;
		for (int i = 0; i < nseg; i++)
			if (p->segs[i].deep || (p->segs[i].kind != SEG_FIELD && p->segs[i].kind != SEG_INDEX))
				definite = 0;
		if (definite) {
			if (cur.n == 0 || !(cJSON_IsArray(cur.v[0]) || cJSON_IsObject(cur.v[0]) || cJSON_IsString(cur.v[0]))) {
				if (err)
					sb_cat(err, "Could not compute length");
				mem_free(cur.v);
				mem_free(nxt.v);
				return -1;
			}
			const cJSON *v = cur.v[0];
			*out = cJSON_CreateNumber(cJSON_IsString(v) ? (double)strlen(v->valuestring)
			                                            : (double)cJSON_GetArraySize(v));
		} else
			*out = cJSON_CreateNumber((double)cur.n);
		mem_free(cur.v);
		mem_free(nxt.v);
		return 0;
	}
	cJSON *arr = cJSON_CreateArray();
	for (size_t k = 0; k < cur.n; k++)
		cJSON_AddItemToArray(arr, cJSON_Duplicate(cur.v[k], 1));
	mem_free(cur.v);
	mem_free(nxt.v);
	*out = arr;
	return 0;
}

/* ======================================================================
 * ResultPath
 * ====================================================================== */

int asl_path_set(const asl_path *p, cJSON **doc, cJSON *value, sb *err)
{
	if (p->nsegs == 0) {
		cJSON_Delete(*doc);
		*doc = value;
		return 0;
	}
	if (!*doc || cJSON_IsNull(*doc))
		goto bad;
	cJSON *v = *doc;
	for (int i = 0; i < p->nsegs; i++) {
		const seg *s = &p->segs[i];
		int last = i == p->nsegs - 1;
		if (s->kind == SEG_FIELD) {
			if (!cJSON_IsObject(v))
				goto bad;
			cJSON *c = cJSON_GetObjectItemCaseSensitive(v, s->name);
			if (last) {
				if (c)
					cJSON_ReplaceItemInObjectCaseSensitive(v, s->name, value);
				else
					cJSON_AddItemToObject(v, s->name, value);
				return 0;
			}
			if (!c) {
				c = cJSON_CreateObject();
				cJSON_AddItemToObject(v, s->name, c);
			}
			v = c;
		} else if (s->kind == SEG_INDEX) {
			if (!cJSON_IsArray(v))
				goto bad;
			cJSON *c = (cJSON *)get_idx(v, s->idx);
			if (!c)
				goto bad;
			if (last) {
				cJSON_ReplaceItemViaPointer(v, c, value);
				return 0;
			}
			v = c;
		} else
			goto bad;
	}
	cJSON_Delete(value);
	return 0;
bad:
	if (err) {
		char *t = cj_print(*doc);
		sb_printf(err, "Unable to apply ResultPath \"%s\" to input \"%s\"", p->text, t);
		mem_free(t);
	}
	cJSON_Delete(value);
	return -1;
}
