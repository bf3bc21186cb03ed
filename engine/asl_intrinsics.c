/* asl_intrinsics.c - the States.* intrinsic functions of JSONPath states. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/b64.h"
#include "common/cj.h"
#include "common/hash.h"
#include "common/mem.h"
#include "engine/asl_int.h"

/* ======================================================================
 * The function table (C3)
 * ====================================================================== */

typedef struct inode inode;
typedef int (*intr_fn)(cJSON **args, int n, const asl_data *d, cJSON **out, sb *err);

typedef struct intr_def {
	const char *name;
	intr_fn fn;
	int min_args, max_args;
} intr_def;

#define FN(nm) static int fn_##nm(cJSON **a, int n, const asl_data *d, cJSON **out, sb *err)

static int is_int(const cJSON *v)
{
	return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 9.2e18;
}

/* Java's rendering of a JSON value inside States.Format. */
static void java_str(const cJSON *v, sb *o, int top)
{
	if (cJSON_IsString(v))
		sb_cat(o, v->valuestring);
	else if (cJSON_IsNumber(v)) {
		double x = v->valuedouble;
		if (x == floor(x) && fabs(x) < 1e15)
			sb_printf(o, "%.0f", x);
		else {
			char b[64];
			snprintf(b, sizeof b, "%.15g", x);
			if (strtod(b, NULL) != x)
				snprintf(b, sizeof b, "%.17g", x);
			sb_cat(o, b);
		}
	} else if (cJSON_IsBool(v))
		sb_cat(o, cJSON_IsTrue(v) ? "true" : "false");
	else if (cJSON_IsNull(v))
		sb_cat(o, "null");
	else if (cJSON_IsArray(v)) {
		sb_catc(o, '[');
		for (const cJSON *c = v->child; c; c = c->next) {
			java_str(c, o, 0);
			if (c->next)
				sb_cat(o, ", ");
		}
		sb_catc(o, ']');
	} else if (cJSON_IsObject(v)) {
		sb_catc(o, '{');
		for (const cJSON *c = v->child; c; c = c->next) {
			sb_cat(o, c->string);
			sb_catc(o, '=');
			java_str(c, o, 0);
			if (c->next)
				sb_cat(o, ", ");
		}
		sb_catc(o, '}');
	}
	(void)top;
}

FN(Format)
{
	(void)d;
	if (!cJSON_IsString(a[0])) {
		sb_cat(err, "The first argument of States.Format must be a string");
		return -1;
	}
	const char *t = a[0]->valuestring;
	int holes = 0;
	for (const char *p = t; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (p[0] == '{' && p[1] == '}')
			holes++;
	}
	if (holes != n - 1) {
		sb_printf(err, "Number of arguments in template string does not match the number of values");
		return -1;
	}
	sb o = SB_INIT;
	int k = 1;
	for (const char *p = t; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			sb_catc(&o, *p);
			continue;
		}
		if (p[0] == '{' && p[1] == '}') {
			java_str(a[k++], &o, 1);
			p++;
			continue;
		}
		sb_catc(&o, *p);
	}
	*out = cJSON_CreateString(sb_str(&o));
	sb_free(&o);
	return 0;
}

FN(StringToJson)
{
	(void)d;
	(void)n;
	if (!cJSON_IsString(a[0])) {
		sb_cat(err, "The argument of States.StringToJson must be a string");
		return -1;
	}
	const char *s = a[0]->valuestring;
	const char *q = s;
	while (*q && isspace((unsigned char)*q))
		q++;
	if (!*q) {
		*out = cJSON_CreateNull();
		return 0;
	}
	cJSON *v = cj_parse(s, strlen(s), NULL);
	if (!v) {
		sb_printf(err, "Cannot parse '%s' as JSON", s);
		return -1;
	}
	if (cJSON_IsNumber(v) && v->valuedouble == 0)
		v->valuedouble = 0, v->valueint = 0;
	*out = v;
	return 0;
}

FN(JsonToString)
{
	(void)d;
	(void)n;
	(void)err;
	char *t = cj_print(a[0]);
	*out = cJSON_CreateString(t);
	mem_free(t);
	return 0;
}

FN(Array)
{
	(void)d;
	(void)err;
	cJSON *r = cJSON_CreateArray();
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(r, cJSON_Duplicate(a[i], 1));
	*out = r;
	return 0;
}

FN(ArrayPartition)
{
	(void)d;
	(void)n;
	if (!cJSON_IsArray(a[0]) || !is_int(a[1]) || a[1]->valuedouble <= 0) {
		sb_cat(err, "States.ArrayPartition needs an array and a positive integer chunk size");
		return -1;
	}
	long sz = (long)a[1]->valuedouble;
	cJSON *r = cJSON_CreateArray(), *cur = NULL;
	long k = 0;
	for (const cJSON *c = a[0]->child; c; c = c->next, k++) {
		if (k % sz == 0) {
			cur = cJSON_CreateArray();
			cJSON_AddItemToArray(r, cur);
		}
		cJSON_AddItemToArray(cur, cJSON_Duplicate(c, 1));
	}
	*out = r;
	return 0;
}

FN(ArrayContains)
{
	(void)d;
	(void)n;
	if (!cJSON_IsArray(a[0])) {
		sb_cat(err, "The first argument of States.ArrayContains must be an array");
		return -1;
	}
	int found = 0;
	for (const cJSON *c = a[0]->child; c && !found; c = c->next)
		found = cj_equal(c, a[1]);
	*out = cJSON_CreateBool(found);
	return 0;
}

FN(ArrayRange)
{
	(void)d;
	(void)n;
	if (!is_int(a[0]) || !is_int(a[1]) || !is_int(a[2]) || a[2]->valuedouble == 0) {
		sb_cat(err, "States.ArrayRange needs integer start, end and a non-zero step");
		return -1;
	}
	double st = a[0]->valuedouble, en = a[1]->valuedouble, step = a[2]->valuedouble;
	double cnt = floor((en - st) / step) + 1;
	if (cnt > 1000) {
		sb_cat(err, "States.ArrayRange would produce more than 1000 elements");
		return -1;
	}
	cJSON *r = cJSON_CreateArray();
	for (double v = st; step > 0 ? v <= en : v >= en; v += step)
		cJSON_AddItemToArray(r, cJSON_CreateNumber(v));
	*out = r;
	return 0;
}

FN(ArrayGetItem)
{
	(void)d;
	(void)n;
	if (!cJSON_IsArray(a[0]) || !is_int(a[1])) {
		sb_cat(err, "States.ArrayGetItem needs an array and an integer index");
		return -1;
	}
	long i = (long)a[1]->valuedouble;
	const cJSON *c = i >= 0 ? cJSON_GetArrayItem(a[0], (int)i) : NULL;
	if (!c) {
		sb_printf(err, "Index %ld is out of bounds", i);
		return -1;
	}
	*out = cJSON_Duplicate(c, 1);
	return 0;
}

FN(ArrayLength)
{
	(void)d;
	(void)n;
	if (!cJSON_IsArray(a[0])) {
		sb_cat(err, "The argument of States.ArrayLength must be an array");
		return -1;
	}
	*out = cJSON_CreateNumber(cJSON_GetArraySize(a[0]));
	return 0;
}

FN(ArrayUnique)
{
	(void)d;
	(void)n;
	if (!cJSON_IsArray(a[0])) {
		sb_cat(err, "The argument of States.ArrayUnique must be an array");
		return -1;
	}
	cJSON *r = cJSON_CreateArray();
	for (const cJSON *c = a[0]->child; c; c = c->next) {
		int dup = 0;
		for (const cJSON *x = r->child; x && !dup; x = x->next)
			dup = cj_equal(x, c);
		if (!dup)
			cJSON_AddItemToArray(r, cJSON_Duplicate(c, 1));
	}
	*out = r;
	return 0;
}

FN(Base64Encode)
{
	(void)d;
	(void)n;
	if (!cJSON_IsString(a[0])) {
		sb_cat(err, "The argument of States.Base64Encode must be a string");
		return -1;
	}
	sb o = SB_INIT;
	b64_encode(a[0]->valuestring, strlen(a[0]->valuestring), &o);
	*out = cJSON_CreateString(sb_str(&o));
	sb_free(&o);
	return 0;
}

FN(Base64Decode)
{
	(void)d;
	(void)n;
	if (!cJSON_IsString(a[0])) {
		sb_cat(err, "The argument of States.Base64Decode must be a string");
		return -1;
	}
	sb o = SB_INIT;
	if (b64_decode(a[0]->valuestring, strlen(a[0]->valuestring), 0, &o)) {
		sb_free(&o);
		sb_cat(err, "The argument of States.Base64Decode is not base64");
		return -1;
	}
	*out = cJSON_CreateString(sb_str(&o));
	sb_free(&o);
	return 0;
}

FN(Hash)
{
	(void)d;
	(void)n;
	if (!cJSON_IsString(a[1])) {
		sb_cat(err, "The hashing algorithm must be a string");
		return -1;
	}
	char *text = NULL;
	const char *data;
	if (cJSON_IsString(a[0]))
		data = a[0]->valuestring;
	else {
		sb t = SB_INIT;
		java_str(a[0], &t, 1);
		text = sb_steal(&t);
		data = text;
	}
	sb o = SB_INIT;
	if (hash_named(a[1]->valuestring, data, strlen(data), &o)) {
		mem_free(text);
		sb_free(&o);
		sb_printf(err, "The hashing algorithm '%s' is not supported. Supported algorithms: MD5, SHA-1, SHA-256, "
		               "SHA-384, SHA-512",
		          a[1]->valuestring);
		return -1;
	}
	mem_free(text);
	*out = cJSON_CreateString(sb_str(&o));
	sb_free(&o);
	return 0;
}

FN(JsonMerge)
{
	(void)d;
	(void)n;
	if (!cJSON_IsObject(a[0]) || !cJSON_IsObject(a[1]) || !cJSON_IsBool(a[2])) {
		sb_cat(err, "States.JsonMerge needs two objects and a boolean");
		return -1;
	}
	if (cJSON_IsTrue(a[2])) {
		sb_cat(err, "States.JsonMerge does not support deep merging");
		return -1;
	}
	cJSON *r = cJSON_Duplicate(a[0], 1);
	for (const cJSON *c = a[1]->child; c; c = c->next) {
		cJSON *dup = cJSON_Duplicate(c, 1);
		if (cJSON_GetObjectItemCaseSensitive(r, c->string))
			cJSON_ReplaceItemInObjectCaseSensitive(r, c->string, dup);
		else
			cJSON_AddItemToObject(r, c->string, dup);
	}
	*out = r;
	return 0;
}

FN(MathRandom)
{
	if (!cJSON_IsNumber(a[0]) || !cJSON_IsNumber(a[1]) || (n == 3 && !cJSON_IsNumber(a[2]))) {
		sb_cat(err, "States.MathRandom needs numeric arguments");
		return -1;
	}
	double lo = trunc(a[0]->valuedouble), hi = trunc(a[1]->valuedouble);
	double u;
	if (n == 3) {
		rng r;
		rng_seed(&r, (uint64_t)(int64_t)a[2]->valuedouble);
		u = rng_double(&r);
	} else
		u = rng_double(d->rng);
	double span = hi - lo;
	*out = cJSON_CreateNumber(lo + floor(u * (span > 0 ? span : 0)));
	return 0;
}

FN(MathAdd)
{
	(void)d;
	(void)n;
	if (!cJSON_IsNumber(a[0]) || !cJSON_IsNumber(a[1])) {
		sb_cat(err, "States.MathAdd needs two numbers");
		return -1;
	}
	double x = floor(a[0]->valuedouble + 0.5), y = floor(a[1]->valuedouble + 0.5);
	*out = cJSON_CreateNumber(x + y);
	return 0;
}

FN(StringSplit)
{
	(void)d;
	(void)n;
	if (!cJSON_IsString(a[0]) || !cJSON_IsString(a[1])) {
		sb_cat(err, "States.StringSplit needs two strings");
		return -1;
	}
	const char *s = a[0]->valuestring, *delims = a[1]->valuestring;
	cJSON *r = cJSON_CreateArray();
	const char *st = s;
	for (const char *p = s;; p++) {
		if (!*p || (*delims && strchr(delims, *p))) {
			if (p > st) {
				char *tok = mem_strndup(st, (size_t)(p - st));
				cJSON_AddItemToArray(r, cJSON_CreateString(tok));
				mem_free(tok);
			}
			if (!*p)
				break;
			st = p + 1;
		}
	}
	*out = r;
	return 0;
}

FN(UUID)
{
	(void)a;
	(void)n;
	(void)err;
	char u[UUID_LEN];
	uuid_v4(d->rng, u);
	*out = cJSON_CreateString(u);
	return 0;
}

static const intr_def intr_table[] = {
	{"Array", fn_Array, 0, 1000},
	{"ArrayContains", fn_ArrayContains, 2, 2},
	{"ArrayGetItem", fn_ArrayGetItem, 2, 2},
	{"ArrayLength", fn_ArrayLength, 1, 1},
	{"ArrayPartition", fn_ArrayPartition, 2, 2},
	{"ArrayRange", fn_ArrayRange, 3, 3},
	{"ArrayUnique", fn_ArrayUnique, 1, 1},
	{"Base64Decode", fn_Base64Decode, 1, 1},
	{"Base64Encode", fn_Base64Encode, 1, 1},
	{"Format", fn_Format, 1, 1000},
	{"Hash", fn_Hash, 2, 2},
	{"JsonMerge", fn_JsonMerge, 3, 3},
	{"JsonToString", fn_JsonToString, 1, 1},
	{"MathAdd", fn_MathAdd, 2, 2},
	{"MathRandom", fn_MathRandom, 2, 3},
	{"StringSplit", fn_StringSplit, 2, 2},
	{"StringToJson", fn_StringToJson, 1, 1},
	{"UUID", fn_UUID, 0, 0},
	{NULL, NULL, 0, 0},
};

/* ======================================================================
 * Parsing
 * ====================================================================== */

typedef enum { IN_CALL, IN_LIT, IN_PATH } inode_kind;

struct inode {
	inode_kind kind;
	const intr_def *fn;
	inode **args;
	int nargs;
	cJSON *lit;
	asl_path *path;
};

struct asl_intr {
	inode *root;
	char *text;
};

static void inode_free(inode *n)
{
	if (!n)
		return;
	for (int i = 0; i < n->nargs; i++)
		inode_free(n->args[i]);
	mem_free(n->args);
	cJSON_Delete(n->lit);
	asl_path_free(n->path);
	mem_free(n);
}

void asl_intr_free(asl_intr *f)
{
	if (!f)
		return;
	inode_free(f->root);
	mem_free(f->text);
	mem_free(f);
}

typedef struct {
	const char *s;
	size_t i, n;
	sb *err;
	int depth;
} ip;

static void ip_ws(ip *p)
{
	while (p->i < p->n && isspace((unsigned char)p->s[p->i]))
		p->i++;
}

static int ip_fail(ip *p, const char *msg)
{
	if (p->err && !p->err->len)
		sb_printf(p->err, "%s at position %zu", msg, p->i);
	return -1;
}

int asl_intr_looks_like(const char *t)
{
	if (strncmp(t, "States.", 7))
		return 0;
	const char *p = t + 7;
	while (isalnum((unsigned char)*p))
		p++;
	return *p == '(';
}

static inode *parse_call(ip *p);

static inode *parse_arg(ip *p)
{
	ip_ws(p);
	if (p->i >= p->n) {
		ip_fail(p, "missing argument");
		return NULL;
	}
	char c = p->s[p->i];
	inode *a = mem_calloc(1, sizeof *a);
	if (c == '\'') {
		p->i++;
		sb b = SB_INIT;
		sb_cat(&b, "");
		for (;;) {
			if (p->i >= p->n) {
				sb_free(&b);
				mem_free(a);
				ip_fail(p, "unterminated string");
				return NULL;
			}
			char ch = p->s[p->i++];
			if (ch == '\'')
				break;
			if (ch == '\\') {
				if (p->i >= p->n) {
					sb_free(&b);
					mem_free(a);
					ip_fail(p, "bad escape");
					return NULL;
				}
				char e = p->s[p->i++];
				if (e != '\'' && e != '{' && e != '}' && e != '\\') {
					sb_free(&b);
					mem_free(a);
					ip_fail(p, "illegal escape sequence");
					return NULL;
				}
				/* \{ and \} stay escaped for States.Format's template */
				if (e == '{' || e == '}')
					sb_catc(&b, '\\');
				sb_catc(&b, e);
				continue;
			}
			sb_catc(&b, ch);
		}
		a->kind = IN_LIT;
		a->lit = cJSON_CreateString(sb_str(&b));
		sb_free(&b);
		return a;
	}
	if (c == '$') {
		size_t st = p->i;
		int depth = 0;
		char q = 0;
		while (p->i < p->n) {
			char ch = p->s[p->i];
			if (q) {
				if (ch == '\\')
					p->i++;
				else if (ch == q)
					q = 0;
			} else if (ch == '\'' || ch == '"')
				q = ch;
			else if (ch == '[' || ch == '(')
				depth++;
			else if (ch == ']' || (ch == ')' && depth > 0))
				depth--;
			else if ((ch == ',' || ch == ')') && depth == 0)
				break;
			p->i++;
		}
		size_t en = p->i;
		while (en > st && isspace((unsigned char)p->s[en - 1]))
			en--;
		char *txt = mem_strndup(p->s + st, en - st);
		a->path = asl_path_compile(txt, NULL);
		mem_free(txt);
		if (!a->path) {
			mem_free(a);
			ip_fail(p, "invalid path");
			return NULL;
		}
		a->kind = IN_PATH;
		return a;
	}
	if (!strncmp(p->s + p->i, "States.", 7)) {
		mem_free(a);
		return parse_call(p);
	}
	/* a JSON literal: number, true, false, null */
	size_t st = p->i;
	while (p->i < p->n && p->s[p->i] != ',' && p->s[p->i] != ')')
		p->i++;
	size_t en = p->i;
	while (en > st && isspace((unsigned char)p->s[en - 1]))
		en--;
	char *txt = mem_strndup(p->s + st, en - st);
	cJSON *v = cj_parse(txt, strlen(txt), NULL);
	mem_free(txt);
	if (!v || cJSON_IsObject(v) || cJSON_IsArray(v) || cJSON_IsString(v)) {
		cJSON_Delete(v);
		mem_free(a);
		ip_fail(p, "invalid argument");
		return NULL;
	}
	a->kind = IN_LIT;
	a->lit = v;
	return a;
}

static inode *parse_call(ip *p)
{
	ip_ws(p);
	if (strncmp(p->s + p->i, "States.", 7)) {
		ip_fail(p, "expected States.<function>");
		return NULL;
	}
	if (++p->depth > 10) {
		ip_fail(p, "too many nested intrinsic functions");
		return NULL;
	}
	p->i += 7;
	size_t st = p->i;
	while (p->i < p->n && isalnum((unsigned char)p->s[p->i]))
		p->i++;
	size_t len = p->i - st;
	const intr_def *fn = NULL;
	for (const intr_def *f = intr_table; f->name; f++)
		if (strlen(f->name) == len && !strncmp(f->name, p->s + st, len))
			fn = f;
	if (!fn) {
		ip_fail(p, "unknown intrinsic function");
		return NULL;
	}
	ip_ws(p);
	if (p->i >= p->n || p->s[p->i] != '(') {
		ip_fail(p, "expected '('");
		return NULL;
	}
	p->i++;
	inode *c = mem_calloc(1, sizeof *c);
	c->kind = IN_CALL;
	c->fn = fn;
	ip_ws(p);
	if (p->i < p->n && p->s[p->i] == ')')
		p->i++;
	else
		for (;;) {
			inode *a = parse_arg(p);
			if (!a) {
				inode_free(c);
				return NULL;
			}
			c->args = mem_realloc(c->args, (size_t)(c->nargs + 1) * sizeof *c->args);
			c->args[c->nargs++] = a;
			ip_ws(p);
			if (p->i < p->n && p->s[p->i] == ',') {
				p->i++;
				continue;
			}
			if (p->i < p->n && p->s[p->i] == ')') {
				p->i++;
				break;
			}
			inode_free(c);
			ip_fail(p, "expected ',' or ')'");
			return NULL;
		}
	if (c->nargs < fn->min_args || c->nargs > fn->max_args) {
		inode_free(c);
		ip_fail(p, "wrong number of arguments");
		return NULL;
	}
	p->depth--;
	return c;
}

asl_intr *asl_intr_compile(const char *text, sb *err)
{
	ip p = {text, 0, strlen(text), err, 0};
	inode *r = parse_call(&p);
	if (!r)
		return NULL;
	ip_ws(&p);
	if (p.i != p.n) {
		inode_free(r);
		ip_fail(&p, "trailing text after the call");
		return NULL;
	}
	asl_intr *f = mem_calloc(1, sizeof *f);
	f->root = r;
	f->text = mem_strdup(text);
	return f;
}

/* ======================================================================
 * Evaluation
 * ====================================================================== */

static int inode_eval(const inode *n, const asl_data *d, cJSON **out, sb *err, const char **failed_path)
{
	switch (n->kind) {
	case IN_LIT: *out = cJSON_Duplicate(n->lit, 1); return 0;
	case IN_PATH:
		if (asl_data_path(d, n->path, out, err)) {
			*failed_path = asl_path_text(n->path);
			return -1;
		}
		return 0;
	case IN_CALL: break;
	}
	cJSON *args[64];
	cJSON **av = n->nargs <= 64 ? args : mem_alloc((size_t)n->nargs * sizeof *av);
	int k, rc = 0;
	for (k = 0; k < n->nargs; k++)
		if (inode_eval(n->args[k], d, &av[k], err, failed_path)) {
			rc = -1;
			break;
		}
	if (!rc) {
		sb fe = SB_INIT;
		rc = n->fn->fn(av, n->nargs, d, out, &fe);
		if (rc)
			sb_printf(err, "%s", sb_str(&fe));
		sb_free(&fe);
	}
	for (int j = 0; j < k; j++)
		cJSON_Delete(av[j]);
	if (av != args)
		mem_free(av);
	return rc;
}

int asl_intr_eval(const asl_intr *f, const asl_data *d, cJSON **out, sb *err, const char **failed_path)
{
	*failed_path = NULL;
	*out = NULL;
	return inode_eval(f->root, d, out, err, failed_path);
}
