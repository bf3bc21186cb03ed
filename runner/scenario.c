/* scenario.c - load scenario files and check every field, with positions. */
#include "runner/scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/file.h"
#include "common/mem.h"
#include "engine/jsonata/jsonata.h"
#include "mocks/iam/iam_policy.h"
#include "runner/match.h"

/* ======================================================================
 * Field tables
 * ====================================================================== */

enum { T_STR = 1, T_NUM = 2, T_BOOL = 4, T_NULL = 8, T_OBJ = 16, T_ARR = 32, T_ANY = 63 };

typedef struct field {
	const char *name;
	unsigned types;
	int required;
} field;

/* A file with one scenario. */
static const field f_scenario[] = {
	{"name", T_STR, 1},      {"description", T_STR, 0}, {"tags", T_ARR, 0},   {"stateMachine", T_STR, 1},
	{"clock", T_STR, 0},     {"given", T_OBJ, 0},       {"input", T_ANY, 0},  {"mock", T_OBJ, 0},
	{"callbacks", T_OBJ, 0}, {"faults", T_ARR, 0},    {"expect", T_OBJ, 1},      {"$schema", T_STR, 0}, {"role", T_STR | T_OBJ | T_NULL, 0},
	{NULL, 0, 0},
};
/* A suite: what its scenarios share, and the scenarios. */
static const field f_suite[] = {
	{"name", T_STR, 0},  {"description", T_STR, 0}, {"tags", T_ARR, 0},   {"stateMachine", T_STR, 0},
	{"clock", T_STR, 0}, {"given", T_OBJ, 0},       {"input", T_ANY, 0},  {"mock", T_OBJ, 0},
	{"callbacks", T_OBJ, 0}, {"faults", T_ARR, 0}, {"scenarios", T_ARR, 1},  {"$schema", T_STR, 0}, {"role", T_STR | T_OBJ | T_NULL, 0},
	{NULL, 0, 0},
};
/* A scenario inside a suite. */
static const field f_member[] = {
	{"name", T_STR, 1},  {"description", T_STR, 0}, {"tags", T_ARR, 0},  {"stateMachine", T_STR, 0},
	{"clock", T_STR, 0}, {"given", T_OBJ, 0},       {"input", T_ANY, 0}, {"mock", T_OBJ, 0},
	{"callbacks", T_OBJ, 0}, {"faults", T_ARR, 0}, {"expect", T_OBJ, 1},     {"role", T_STR | T_OBJ | T_NULL, 0}, {NULL, 0, 0},
};
static const field f_role[] = {{"name", T_STR, 0}, {"policies", T_ARR, 1}, {NULL, 0, 0}};
/* a Lambda function's resource-based permission: AddPermission's request */
static const field f_permission[] = {
	{"StatementId", T_STR, 1},    {"Action", T_STR, 1},         {"Principal", T_STR, 1},
	{"SourceArn", T_STR, 0},      {"SourceAccount", T_STR, 0},  {"Qualifier", T_STR, 0},
	{"EventSourceToken", T_STR, 0}, {"PrincipalOrgID", T_STR, 0}, {"FunctionUrlAuthType", T_STR, 0},
	{NULL, 0, 0},
};
static const field f_fault[] = {
	{"service", T_STR, 1}, {"operation", T_STR, 1}, {"error", T_STR, 1},
	{"message", T_STR, 0}, {"count", T_NUM, 0},     {NULL, 0, 0},
};
static const field f_throw[] = {{"Error", T_STR, 1}, {"Cause", T_STR, 1}, {NULL, 0, 0}};
static const field f_given[] = {
	{"dynamodb", T_OBJ, 0}, {"sqs", T_OBJ, 0}, {"lambda", T_OBJ, 0}, {NULL, 0, 0},
};
static const field f_given_ddb[] = {{"tables", T_ARR, 0}, {"items", T_OBJ, 0}, {NULL, 0, 0}};
static const field f_given_sqs[] = {{"queues", T_ARR, 0}, {NULL, 0, 0}};
static const field f_given_lambda[] = {{"functions", T_ARR, 0}, {NULL, 0, 0}};
static const field f_lambda_error[] = {{"type", T_STR, 1}, {"message", T_STR, 1}, {NULL, 0, 0}};
static const field f_expect[] = {
	/* status and path get their own, more precise, checks */
	{"status", T_ANY, 0}, {"output", T_ANY, 0},  {"error", T_STR | T_OBJ, 0}, {"cause", T_STR | T_OBJ, 0},
	{"path", T_ANY, 0},   {"dynamodb", T_OBJ, 0}, {"sqs", T_OBJ, 0},          {"lambda", T_OBJ, 0},
	{"assert", T_ARR, 0}, {NULL, 0, 0},
};

static const char *const statuses[] = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", NULL};
static const char *const services[] = {"dynamodb", "sqs", "lambda", "states", NULL};

/* ======================================================================
 * Problems
 * ====================================================================== */

typedef struct ld {
	const cj_doc *doc;
	sb *err;
	int problems;
	const char *path; /* the scenario file's, for the files it names */
} ld;

static void problem(ld *l, const cJSON *node, int key, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void problem(ld *l, const cJSON *node, int key, const char *fmt, ...)
{
	cj_doc_where(l->doc, node, key, l->err);
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(l->err, fmt, ap);
	va_end(ap);
	sb_catc(l->err, '\n');
	l->problems++;
}

static unsigned type_bit(const cJSON *v)
{
	if (cJSON_IsString(v))
		return T_STR;
	if (cJSON_IsNumber(v))
		return T_NUM;
	if (cJSON_IsBool(v))
		return T_BOOL;
	if (cJSON_IsNull(v))
		return T_NULL;
	if (cJSON_IsObject(v))
		return T_OBJ;
	return T_ARR;
}

static void types_text(unsigned t, sb *out)
{
	static const char *const names[] = {"a string", "a number", "a boolean", "null", "an object", "an array"};
	int first = 1;
	for (int i = 0; i < 6; i++) {
		if (!(t & (1u << i)))
			continue;
		if (!first)
			sb_cat(out, " or ");
		sb_cat(out, names[i]);
		first = 0;
	}
}

/* Check obj's members against fields: unknown names, types, required ones.
 * where is the object's JSON path for messages ("" for the top level). */
static int check_fields(ld *l, const cJSON *obj, const char *where, const field *fields)
{
	int before = l->problems;
	const char *names[64];
	size_t nn = 0;
	for (const field *f = fields; f->name && nn < 63; f++)
		names[nn++] = f->name;
	names[nn] = NULL;
	const cJSON *c;
	cJSON_ArrayForEach(c, obj)
	{
		const field *f = fields;
		while (f->name && strcmp(f->name, c->string))
			f++;
		if (!f->name) {
			const char *s = runner_suggest(c->string, names);
			sb msg = SB_INIT;
			sb_printf(&msg, "unknown member '%s'%s%s", c->string, *where ? " in " : "", where);
			if (s)
				sb_printf(&msg, " (did you mean '%s'?)", s);
			problem(l, c, 1, "%s", sb_str(&msg));
			sb_free(&msg);
			continue;
		}
		if (!(type_bit(c) & f->types)) {
			sb t = SB_INIT;
			types_text(f->types, &t);
			problem(l, c, 0, "%s%s%s must be %s, not %s", where, *where ? "." : "", c->string, sb_str(&t),
			        cj_type_name(c));
			sb_free(&t);
		}
	}
	for (const field *f = fields; f->name; f++)
		if (f->required && !cJSON_GetObjectItemCaseSensitive(obj, f->name))
			problem(l, obj, 0, "missing required member '%s'%s%s", f->name, *where ? " in " : "", where);
	return l->problems == before;
}

/* Duplicate member names anywhere: cJSON keeps both and reads the first,
 * which would silently ignore what the author wrote last. */
static void check_duplicates(ld *l, const cJSON *v)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, v)
	{
		if (cJSON_IsObject(v))
			for (const cJSON *p = v->child; p != c; p = p->next)
				if (!strcmp(p->string, c->string)) {
					problem(l, c, 1, "duplicate member '%s'", c->string);
					break;
				}
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			check_duplicates(l, c);
	}
}

/* ======================================================================
 * given
 * ====================================================================== */

/* Each element of arr must be an object with a string member `key`. */
static void check_named_list(ld *l, const cJSON *arr, const char *where, const char *key)
{
	int i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		if (!cJSON_IsObject(e))
			problem(l, e, 0, "%s[%d] must be an object, not %s", where, i, cj_type_name(e));
		else if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, key)))
			problem(l, e, 0, "%s[%d] needs a string member '%s'", where, i, key);
		i++;
	}
}

/* {"name": [objects...]} */
enum { LIST_OF_OBJECTS = 1, LIST_OR_MATCHER = 2 };

static void check_object_of_lists(ld *l, const cJSON *obj, const char *where, unsigned how)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, obj)
	{
		if ((how & LIST_OR_MATCHER) && runner_is_matcher(c))
			continue;
		if (!cJSON_IsArray(c)) {
			problem(l, c, 0, "%s['%s'] must be an array%s, not %s", where, c->string,
			        how & LIST_OR_MATCHER ? " or a matcher" : "", cj_type_name(c));
			continue;
		}
		if (!(how & LIST_OF_OBJECTS))
			continue;
		int i = 0;
		const cJSON *e;
		cJSON_ArrayForEach(e, c)
		{
			if (!cJSON_IsObject(e))
				problem(l, e, 0, "%s['%s'][%d] must be an object, not %s", where, c->string, i,
				        cj_type_name(e));
			i++;
		}
	}
}


/* A function's `code`: a .zip file (relative to the scenario file) that
 * CreateFunction receives as Code.ZipFile, with the Runtime and Handler that
 * run it. */
static void check_function_code(ld *l, const cJSON *fn, const cJSON *code, int i)
{
	if (!cJSON_IsString(code) || !*code->valuestring) {
		problem(l, code, 0, "given.lambda.functions[%d].code must be the path of a .zip file (relative "
		        "to the scenario file)", i);
		return;
	}
	if (!cj_str(fn, "Runtime") || !cj_str(fn, "Handler"))
		problem(l, fn, 0, "given.lambda.functions[%d] has code: it needs a Runtime (e.g. \"python3.12\") "
		        "and a Handler (e.g. \"handler.main\")", i);
	sb p = SB_INIT;
	file_beside(l->path, code->valuestring, &p);
	if (access(sb_str(&p), R_OK))
		problem(l, code, 0, "given.lambda.functions[%d].code: cannot read '%s': %s", i, sb_str(&p),
		        strerror(errno));
	sb_free(&p);
}

static void check_given(ld *l, const cJSON *given)
{
	if (!check_fields(l, given, "given", f_given))
		return;
	const cJSON *ddb = cj_obj(given, "dynamodb");
	if (ddb && check_fields(l, ddb, "given.dynamodb", f_given_ddb)) {
		const cJSON *tables = cj_arr(ddb, "tables");
		if (tables)
			check_named_list(l, tables, "given.dynamodb.tables", "TableName");
		const cJSON *items = cj_obj(ddb, "items");
		if (items)
			check_object_of_lists(l, items, "given.dynamodb.items", LIST_OF_OBJECTS);
	}
	const cJSON *sqs = cj_obj(given, "sqs");
	if (sqs && check_fields(l, sqs, "given.sqs", f_given_sqs)) {
		const cJSON *queues = cj_arr(sqs, "queues");
		if (queues)
			check_named_list(l, queues, "given.sqs.queues", "QueueName");
	}
	const cJSON *lam = cj_obj(given, "lambda");
	if (lam && check_fields(l, lam, "given.lambda", f_given_lambda)) {
		const cJSON *fns = cj_arr(lam, "functions");
		if (!fns)
			return;
		check_named_list(l, fns, "given.lambda.functions", "FunctionName");
		int i = 0;
		const cJSON *fn;
		cJSON_ArrayForEach(fn, fns)
		{
			if (!cJSON_IsObject(fn)) {
				i++;
				continue;
			}
			const cJSON *ret = cJSON_GetObjectItemCaseSensitive(fn, "returns");
			const cJSON *err = cJSON_GetObjectItemCaseSensitive(fn, "error");
			const cJSON *code = cJSON_GetObjectItemCaseSensitive(fn, "code");
			if ((ret != NULL) + (err != NULL) + (code != NULL) != 1)
				problem(l, fn, 0, "given.lambda.functions[%d] needs exactly one behaviour: 'returns' (a JSON "
				        "value), 'error' ({\"type\", \"message\"}) or 'code' (a .zip file with the "
				        "handler, run by its Runtime)", i);
			if (code)
				check_function_code(l, fn, code, i);
			if (err) {
				char where[64];
				snprintf(where, sizeof where, "given.lambda.functions[%d].error", i);
				if (!cJSON_IsObject(err))
					problem(l, err, 0, "%s must be an object {\"type\", \"message\"}", where);
				else
					check_fields(l, err, where, f_lambda_error);
			}
			const cJSON *perms = cJSON_GetObjectItemCaseSensitive(fn, "permissions");
			if (perms && !cJSON_IsArray(perms))
				problem(l, perms, 0, "given.lambda.functions[%d].permissions must be an array of AddPermission "
				        "requests", i);
			int k = 0;
			const cJSON *pm, *plist = cJSON_IsArray(perms) ? perms : NULL;
			cJSON_ArrayForEach(pm, plist)
			{
				char where[80];
				snprintf(where, sizeof where, "given.lambda.functions[%d].permissions[%d]", i, k++);
				if (!cJSON_IsObject(pm))
					problem(l, pm, 0, "%s must be an object {\"StatementId\", \"Action\", \"Principal\", ...}",
					        where);
				else
					check_fields(l, pm, where, f_permission);
			}
			i++;
		}
	}
}

/* ======================================================================
 * expect
 * ====================================================================== */

/* The KeySchema of table in the merged given, or NULL. */
static const cJSON *given_key_schema(const runner_given *g, const char *table)
{
	for (size_t i = 0; i < g->tables.n; i++) {
		const char *n = cj_str(g->tables.v[i], "TableName");
		if (n && !strcmp(n, table))
			return cj_arr(g->tables.v[i], "KeySchema");
	}
	return NULL;
}

/* Each element of expect.assert is a JSONata expression that must compile. */
static void check_asserts(ld *l, const cJSON *asserts)
{
	const cJSON *a;
	int i = 0;
	cJSON_ArrayForEach(a, asserts)
	{
		if (!cJSON_IsString(a)) {
			problem(l, a, 0, "expect.assert[%d] must be a JSONata expression (a string)", i++);
			continue;
		}
		jsonata_error je = {0};
		jsonata_expr *e = jsonata_compile(a->valuestring, strlen(a->valuestring), &je);
		if (!e)
			problem(l, a, 0, "expect.assert[%d]: %s at character %d: %s", i, je.code, je.position,
			        je.message ? je.message : "syntax error");
		jsonata_free(e);
		jsonata_error_clear(&je);
		i++;
	}
}

static void check_expect(ld *l, const cJSON *expect, const runner_given *given)
{
	check_fields(l, expect, "expect", f_expect);
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(expect, "status");
	if (cJSON_IsString(st)) {
		const char *const *s = statuses;
		while (*s && strcmp(*s, st->valuestring))
			s++;
		if (!*s) {
			const char *sug = runner_suggest(st->valuestring, statuses);
			problem(l, st, 0, "expect.status must be one of SUCCEEDED, FAILED, TIMED_OUT, ABORTED%s%s%s",
			        sug ? " (did you mean " : "", sug ? sug : "", sug ? "?)" : "");
		}
	} else if (st && !runner_is_matcher(st)) {
		problem(l, st, 0, "expect.status must be a status (a string) or a matcher");
	}
	const cJSON *path = cJSON_GetObjectItemCaseSensitive(expect, "path");
	if (cJSON_IsArray(path)) {
		const cJSON *e;
		int i = 0;
		cJSON_ArrayForEach(e, path)
		{
			if (!cJSON_IsString(e) && !runner_is_matcher(e))
				problem(l, e, 0, "expect.path[%d] must be a state name (a string) or a matcher", i);
			i++;
		}
	} else if (path && !runner_is_matcher(path)) {
		problem(l, path, 0, "expect.path must be an array of state names or a matcher");
	}
	const cJSON *ddb = cj_obj(expect, "dynamodb");
	if (ddb) {
		check_object_of_lists(l, ddb, "expect.dynamodb", LIST_OF_OBJECTS | LIST_OR_MATCHER);
		const cJSON *tbl;
		cJSON_ArrayForEach(tbl, ddb)
		{
			if (!cJSON_IsArray(tbl))
				continue;
			const cJSON *ks = given_key_schema(given, tbl->string);
			const cJSON *k, *item;
			int i = 0;
			cJSON_ArrayForEach(item, tbl)
			{
				cJSON_ArrayForEach(k, ks)
				{
					const char *an = cj_str(k, "AttributeName");
					const cJSON *kv = an && cJSON_IsObject(item) ? cJSON_GetObjectItemCaseSensitive(item, an)
					                                             : NULL;
					if (an && cJSON_IsObject(item) && (!kv || runner_is_matcher(kv)))
						problem(l, item, 0,
						        "expect.dynamodb['%s'][%d] needs the key attribute '%s' as a plain value "
						        "(items are found by their key)",
						        tbl->string, i, an);
				}
				i++;
			}
		}
	}
	const cJSON *sqs = cj_obj(expect, "sqs");
	if (sqs)
		check_object_of_lists(l, sqs, "expect.sqs", LIST_OF_OBJECTS | LIST_OR_MATCHER);
	const cJSON *lam = cj_obj(expect, "lambda");
	if (lam)
		check_object_of_lists(l, lam, "expect.lambda", LIST_OR_MATCHER);
	const cJSON *asserts = cj_arr(expect, "assert");
	if (asserts)
		check_asserts(l, asserts);
	sb merr = SB_INIT;
	int n = 0;
	const cJSON *m;
	cJSON_ArrayForEach(m, expect) if (strcmp(m->string, "assert")) n += runner_match_validate(m, l->doc, &merr);
	if (n) {
		sb_cat(l->err, sb_str(&merr));
		l->problems += n;
	}
	sb_free(&merr);
}

/* ======================================================================
 * Files
 * ====================================================================== */

/* ======================================================================
 * mock and faults
 * ====================================================================== */

/* One answer: {"Return": <JSON>} or {"Throw": {"Error", "Cause"}}. */
static void check_answer(ld *l, const cJSON *a, const char *what, const char *state)
{
	const cJSON *ret = cJSON_GetObjectItemCaseSensitive(a, "Return");
	const cJSON *thr = cJSON_GetObjectItemCaseSensitive(a, "Throw");
	if (!cJSON_IsObject(a) || !ret == !thr || cJSON_GetArraySize(a) != 1) {
		problem(l, a, 0, "%s['%s']: an answer is {\"Return\": <result>} or {\"Throw\": {\"Error\", \"Cause\"}}",
		        what, state);
		return;
	}
	if (thr && !cJSON_IsObject(thr))
		problem(l, thr, 0, "%s['%s']: Throw must be an object {\"Error\", \"Cause\"}", what, state);
	else if (thr)
		check_fields(l, thr, "Throw", f_throw);
}

/* "3" or "1-2" -> [lo, hi]; -1 when malformed. */
static int parse_range(const char *k, long *lo, long *hi)
{
	char *e;
	if (*k < '0' || *k > '9')
		return -1;
	*lo = strtol(k, &e, 10);
	*hi = *lo;
	if (*e == '-') {
		if (e[1] < '0' || e[1] > '9')
			return -1;
		*hi = strtol(e + 1, &e, 10);
	}
	return *e || *hi < *lo ? -1 : 0;
}

/* mock: {"State": answer | [answers] | {"0": answer, "1-2": answer}} */
static void check_mock(ld *l, const cJSON *mock, const char *what)
{
	const cJSON *st;
	cJSON_ArrayForEach(st, mock)
	{
		if (cJSON_IsArray(st)) {
			if (!st->child)
				problem(l, st, 0, "%s['%s'] needs at least one answer", what, st->string);
			const cJSON *a;
			cJSON_ArrayForEach(a, st) check_answer(l, a, what, st->string);
		} else if (cJSON_GetObjectItemCaseSensitive(st, "Return") || cJSON_GetObjectItemCaseSensitive(st, "Throw")) {
			check_answer(l, st, what, st->string);
		} else if (cJSON_IsObject(st) && st->child) {
			/* Step Functions Local's form: invocation ranges from 0, no gaps or overlaps */
			long next = 0;
			const cJSON *r;
			cJSON_ArrayForEach(r, st)
			{
				long lo, hi;
				if (parse_range(r->string, &lo, &hi)) {
					problem(l, r, 1, "%s['%s']: '%s' is not an invocation number or range such as \"0\" or "
					                 "\"1-2\"", what, st->string, r->string);
					continue;
				}
				if (lo != next)
					problem(l, r, 1, "%s['%s']: invocations must be covered in order from 0 without gaps or "
					                 "overlaps; expected %ld here", what, st->string, next);
				next = hi + 1;
				check_answer(l, r, what, st->string);
			}
		} else {
			problem(l, st, 0, "%s['%s'] must be an answer, a list of answers, or answers by invocation "
			                  "(\"0\", \"1-2\")", what, st->string);
		}
	}
}

static void check_faults(ld *l, const cJSON *faults)
{
	const cJSON *f;
	int i = 0;
	cJSON_ArrayForEach(f, faults)
	{
		char where[32];
		snprintf(where, sizeof where, "faults[%d]", i++);
		if (!cJSON_IsObject(f)) {
			problem(l, f, 0, "%s must be an object {\"service\", \"operation\", \"error\"}", where);
			continue;
		}
		if (!check_fields(l, f, where, f_fault))
			continue;
		const char *svc = cj_str(f, "service");
		const char *const *k = services;
		while (*k && strcmp(*k, svc))
			k++;
		if (!*k) {
			const char *sug = runner_suggest(svc, services);
			problem(l, cJSON_GetObjectItemCaseSensitive(f, "service"), 0,
			        "%s.service must be dynamodb, sqs, lambda or states%s%s%s", where, sug ? " (did you mean " : "",
			        sug ? sug : "", sug ? "?)" : "");
		}
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(f, "count");
		if (n && (n->valuedouble != (int)n->valuedouble || (n->valuedouble < 1 && n->valuedouble != -1)))
			problem(l, n, 0, "%s.count must be a positive integer, or -1 for every call", where);
	}
}

/* ======================================================================
 * Scenarios and suites
 * ====================================================================== */

static void list_add(runner_list *li, const cJSON *n)
{
	if (li->n == li->cap) {
		li->cap = li->cap ? li->cap * 2 : 8;
		li->v = mem_realloc(li->v, li->cap * sizeof *li->v);
	}
	li->v[li->n++] = n;
}

static void list_free(runner_list *li)
{
	mem_free(li->v);
	memset(li, 0, sizeof *li);
}

/* ======================================================================
 * role
 * ====================================================================== */

/* A problem in another document of the file (a policy file a role names). */
static void problem_in(ld *l, const cj_doc *d, const cJSON *node, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void problem_in(ld *l, const cj_doc *d, const cJSON *node, const char *fmt, ...)
{
	cj_doc_where(d, node, 0, l->err);
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(l->err, fmt, ap);
	va_end(ap);
	sb_catc(l->err, '\n');
	l->problems++;
}

/* IAM's rule for role names: 1 to 64 of letters, digits and +=,.@_- */
static int role_name_ok(const char *n)
{
	size_t k = strlen(n);
	if (!k || k > 64)
		return 0;
	for (; *n; n++)
		if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || (*n >= '0' && *n <= '9') ||
		      strchr("+=,.@_-", *n)))
			return 0;
	return 1;
}

/* Check one policy document as IAM's PutRolePolicy would, pointing at the
 * statement at fault when one is. 0 when valid. */
static int check_policy_doc(ld *l, const cj_doc *d, const cJSON *doc, const char *where, int report)
{
	sb err = SB_INIT;
	iam_policy *p = cJSON_IsObject(doc) ? iam_policy_from_json(doc, IAM_IDENTITY, &err) : NULL;
	if (p) {
		iam_policy_free(p);
		sb_free(&err);
		return 0;
	}
	if (!report) {
		sb_free(&err);
		return -1;
	}
	if (!cJSON_IsObject(doc)) {
		problem_in(l, d, doc, "%s must be a policy document (an object), not %s", where, cj_type_name(doc));
		sb_free(&err);
		return -1;
	}
	/* the first statement that is invalid on its own */
	const cJSON *at = doc, *stmts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
	int idx = -1, i = 0;
	const cJSON *st = cJSON_IsArray(stmts) ? stmts->child : cJSON_IsObject(stmts) ? stmts : NULL;
	for (; st; st = cJSON_IsArray(stmts) ? st->next : NULL, i++) {
		cJSON *one = cJSON_CreateObject();
		const char *ver = cj_str(doc, "Version");
		cJSON_AddStringToObject(one, "Version", ver ? ver : "2012-10-17");
		cJSON_AddItemToArray(cJSON_AddArrayToObject(one, "Statement"), cJSON_Duplicate(st, 1));
		sb e1 = SB_INIT;
		iam_policy *q = iam_policy_from_json(one, IAM_IDENTITY, &e1);
		cJSON_Delete(one);
		if (!q) {
			at = st;
			idx = cJSON_IsArray(stmts) ? i : -1;
			sb_free(&err);
			err = e1;
			break;
		}
		iam_policy_free(q);
		sb_free(&e1);
	}
	if (at != doc && idx >= 0)
		problem_in(l, d, at, "%s.Statement[%d]: invalid policy: %s", where, idx, sb_str(&err));
	else if (at != doc)
		problem_in(l, d, at, "%s.Statement: invalid policy: %s", where, sb_str(&err));
	else
		problem_in(l, d, at, "%s: invalid policy: %s", where, sb_str(&err));
	sb_free(&err);
	return -1;
}

/* The document of policy file ref (relative to the scenario file), read
 * once per scenario file; NULL when it cannot be read or parsed. */
static const cj_doc *role_file(ld *l, runner_file *f, const cJSON *ref, int report)
{
	sb p = SB_INIT;
	file_beside(f->path, ref->valuestring, &p);
	for (size_t i = 0; i < f->nextra; i++)
		if (!strcmp(cj_doc_name(f->extra[i]), sb_str(&p))) {
			sb_free(&p);
			return f->extra[i];
		}
	size_t len;
	sb err = SB_INIT;
	char *text = file_read(sb_str(&p), RUNNER_MAX_FILE, &len, &err);
	cj_doc *d = text ? cj_doc_parse(text, len, sb_str(&p), &err) : NULL;
	mem_free(text);
	if (!d) {
		if (report)
			problem(l, ref, 0, "role: cannot use the policy file '%s': %s", sb_str(&p), sb_str(&err));
		sb_free(&err);
		sb_free(&p);
		return NULL;
	}
	f->extra = mem_realloc(f->extra, (f->nextra + 1) * sizeof *f->extra);
	f->extra[f->nextra++] = d;
	sb_free(&err);
	sb_free(&p);
	return d;
}

/* The documents of a policy file: one document or a list of them. */
static void role_file_policies(ld *l, runner_file *f, const cJSON *ref, const char *where, int report, runner_role *out)
{
	const cj_doc *d = role_file(l, f, ref, report);
	if (!d)
		return;
	const cJSON *root = cj_doc_root(d);
	char w[128];
	if (cJSON_IsArray(root)) {
		int i = 0;
		const cJSON *doc;
		cJSON_ArrayForEach(doc, root)
		{
			snprintf(w, sizeof w, "%s ('%s')[%d]", where, ref->valuestring, i++);
			if (!check_policy_doc(l, d, doc, w, report))
				list_add(&out->policies, doc);
		}
	} else {
		snprintf(w, sizeof w, "%s ('%s')", where, ref->valuestring);
		if (!check_policy_doc(l, d, root, w, report))
			list_add(&out->policies, root);
	}
}

/* Resolve a role member (the scenario's or its suite's); problems are
 * reported when report is set (once per node). */
static void load_role(ld *l, runner_file *f, const cJSON *node, int report, runner_role *out)
{
	out->node = node;
	if (!node || cJSON_IsNull(node))
		return; /* no role: nothing is enforced */
	out->name = RUNNER_DEFAULT_ROLE;
	if (cJSON_IsString(node)) {
		out->declared = 1;
		role_file_policies(l, f, node, "role", report, out);
		return;
	}
	if (!cJSON_IsObject(node))
		return; /* its type is reported with the other members */
	out->declared = 1;
	if (report)
		check_fields(l, node, "role", f_role);
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(node, "name");
	if (cJSON_IsString(name)) {
		out->name = name->valuestring;
		if (report && !role_name_ok(name->valuestring))
			problem(l, name, 0, "role.name must be 1 to 64 letters, digits or +=,.@_- (IAM's rule for role names)");
	}
	const cJSON *pols = cj_arr(node, "policies");
	int i = 0;
	const cJSON *p;
	cJSON_ArrayForEach(p, pols)
	{
		char where[64];
		snprintf(where, sizeof where, "role.policies[%d]", i++);
		if (cJSON_IsString(p))
			role_file_policies(l, f, p, where, report, out);
		else if (!check_policy_doc(l, f->doc, p, where, report))
			list_add(&out->policies, p);
	}
}

/* Add each element of arr to li, replacing an entry with the same `key`
 * (or, for key NULL, the same ->string). */
static void merge_named(runner_list *li, const cJSON *arr, const char *key)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		const char *name = key ? cj_str(e, key) : e->string;
		size_t i = 0;
		for (; name && i < li->n; i++) {
			const char *other = key ? cj_str(li->v[i], key) : li->v[i]->string;
			if (other && !strcmp(other, name))
				break;
		}
		if (name && i < li->n)
			li->v[i] = e;
		else
			list_add(li, e);
	}
}

static void merge_given(runner_given *g, const cJSON *given)
{
	const cJSON *ddb = cj_obj(given, "dynamodb");
	merge_named(&g->tables, cj_arr(ddb, "tables"), "TableName");
	merge_named(&g->items, cj_obj(ddb, "items"), NULL);
	merge_named(&g->queues, cj_arr(cj_obj(given, "sqs"), "queues"), "QueueName");
	merge_named(&g->functions, cj_arr(cj_obj(given, "lambda"), "functions"), "FunctionName");
}

/* The path of stateMachine node sm, resolved against the file's folder;
 * an unreadable one is reported when report is set. Caller frees. */
static char *resolve_state_machine(ld *l, const runner_file *f, const cJSON *sm, int report)
{
	sb p = SB_INIT;
	file_beside(f->path, sm->valuestring, &p);
	if (report && access(sb_str(&p), R_OK) != 0)
		problem(l, sm, 0, "stateMachine: cannot read '%s': %s", sb_str(&p), strerror(errno));
	return sb_steal(&p);
}

/* The members a scenario and its suite may both give, checked once per node. */
static void check_shared(ld *l, const cJSON *o)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, cj_arr(o, "tags")) if (!cJSON_IsString(t)) problem(l, t, 0, "tags must be strings");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "clock");
	int64_t ms;
	if (cJSON_IsString(c) && clk_parse_iso(c->valuestring, &ms) != 0)
		problem(l, c, 0, "clock must be an ISO 8601 date-time such as \"2025-10-20T10:30:00Z\"");
	if (cj_obj(o, "given"))
		check_given(l, cj_obj(o, "given"));
	if (cj_obj(o, "mock"))
		check_mock(l, cj_obj(o, "mock"), "mock");
	if (cj_obj(o, "callbacks"))
		check_mock(l, cj_obj(o, "callbacks"), "callbacks");
	if (cj_arr(o, "faults"))
		check_faults(l, cj_arr(o, "faults"));
}

/* o: the scenario object; suite: the suite object or NULL. */
static void check_scenario(ld *l, runner_file *f, const cJSON *o, const cJSON *suite, runner_scenario *s)
{
	s->file = f;
	s->node = o;
	s->suite = suite;
	check_fields(l, o, "", suite ? f_member : f_scenario);
	check_shared(l, o);
	s->name = cj_str(o, "name");
	if (s->name && !*s->name)
		problem(l, cJSON_GetObjectItemCaseSensitive(o, "name"), 0, "name must not be empty");

	const cJSON *sm = cJSON_GetObjectItemCaseSensitive(o, "stateMachine");
	int own = sm != NULL; /* the suite's was checked once, by check_suite */
	if (!sm && suite)
		sm = cJSON_GetObjectItemCaseSensitive(suite, "stateMachine");
	if (cJSON_IsString(sm))
		s->state_machine = resolve_state_machine(l, f, sm, own);
	else if (!sm && suite)
		problem(l, o, 0, "missing 'stateMachine' (in the scenario or in its suite)");

	const char *clock = cj_str(o, "clock");
	if (!clock && suite)
		clock = cj_str(suite, "clock");
	if (clk_parse_iso(clock ? clock : RUNNER_DEFAULT_CLOCK, &s->clock_ms) != 0)
		s->clock_ms = 0; /* reported by check_shared */

	const cJSON *parts[2] = {suite, o}; /* the suite first, so the scenario overrides it */
	for (int i = 0; i < 2; i++) {
		if (!parts[i])
			continue;
		merge_given(&s->given, cj_obj(parts[i], "given"));
		const cJSON *t;
		cJSON_ArrayForEach(t, cj_arr(parts[i], "tags")) list_add(&s->tags, t);
		cJSON_ArrayForEach(t, cj_arr(parts[i], "faults")) list_add(&s->faults, t);
	}
	if (cj_obj(o, "mock"))
		list_add(&s->mocks, cj_obj(o, "mock"));
	if (suite && cj_obj(suite, "mock"))
		list_add(&s->mocks, cj_obj(suite, "mock"));
	if (cj_obj(o, "callbacks"))
		list_add(&s->callbacks, cj_obj(o, "callbacks"));
	if (suite && cj_obj(suite, "callbacks"))
		list_add(&s->callbacks, cj_obj(suite, "callbacks"));
	s->input = cJSON_GetObjectItemCaseSensitive(o, "input");
	if (!s->input && suite)
		s->input = cJSON_GetObjectItemCaseSensitive(suite, "input");
	s->expect = cj_obj(o, "expect");
	if (s->expect)
		check_expect(l, s->expect, &s->given);
	const cJSON *role = cJSON_GetObjectItemCaseSensitive(o, "role");
	if (role)
		load_role(l, f, role, 1, &s->role);
	else if (suite)
		load_role(l, f, cJSON_GetObjectItemCaseSensitive(suite, "role"), 0, &s->role);
}

static void check_suite(ld *l, runner_file *f, const cJSON *root)
{
	f->is_suite = 1;
	check_fields(l, root, "", f_suite);
	check_shared(l, root);
	f->suite_name = cj_str(root, "name");
	const cJSON *sm = cJSON_GetObjectItemCaseSensitive(root, "stateMachine");
	if (cJSON_IsString(sm))
		mem_free(resolve_state_machine(l, f, sm, 1));
	runner_role role = {0};
	load_role(l, f, cJSON_GetObjectItemCaseSensitive(root, "role"), 1, &role);
	list_free(&role.policies);
	const cJSON *list = cj_arr(root, "scenarios");
	int n = cJSON_GetArraySize(list);
	if (list && !n)
		problem(l, list, 0, "scenarios must hold at least one scenario");
	f->v = mem_calloc((size_t)(n ? n : 1), sizeof *f->v);
	const cJSON *o;
	int i = 0;
	cJSON_ArrayForEach(o, list)
	{
		if (!cJSON_IsObject(o)) {
			problem(l, o, 0, "scenarios[%d] must be an object, not %s", i++, cj_type_name(o));
			continue;
		}
		runner_scenario *s = &f->v[f->n++];
		s->index = i++;
		check_scenario(l, f, o, root, s);
		for (size_t k = 0; k + 1 < f->n; k++)
			if (s->name && f->v[k].name && !strcmp(s->name, f->v[k].name))
				problem(l, cJSON_GetObjectItemCaseSensitive(o, "name"), 0,
				        "another scenario of this suite is named '%s' already", s->name);
	}
}

runner_file *runner_file_parse(const char *text, size_t len, const char *path, sb *err)
{
	cj_doc *doc = cj_doc_parse(text, len, path, err);
	if (!doc) {
		sb_catc(err, '\n');
		return NULL;
	}
	runner_file *f = mem_calloc(1, sizeof *f);
	f->path = mem_strdup(path);
	f->doc = doc;
	ld l = {doc, err, 0, path};
	const cJSON *root = cj_doc_root(doc);
	check_duplicates(&l, root);
	if (!cJSON_IsObject(root)) {
		problem(&l, root, 0, "a scenario file holds an object, not %s", cj_type_name(root));
	} else if (cJSON_GetObjectItemCaseSensitive(root, "scenarios")) {
		check_suite(&l, f, root);
	} else {
		f->v = mem_calloc(1, sizeof *f->v);
		f->n = 1;
		check_scenario(&l, f, root, NULL, &f->v[0]);
	}
	if (l.problems) {
		runner_file_free(f);
		return NULL;
	}
	return f;
}

runner_file *runner_file_load(const char *path, sb *err)
{
	size_t len;
	sb rerr = SB_INIT;
	char *text = file_read(path, RUNNER_MAX_FILE, &len, &rerr);
	if (!text) {
		sb_printf(err, "%s\n", sb_str(&rerr));
		sb_free(&rerr);
		return NULL;
	}
	sb_free(&rerr);
	runner_file *f = runner_file_parse(text, len, path, err);
	mem_free(text);
	return f;
}

void runner_file_free(runner_file *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		runner_scenario *s = &f->v[i];
		mem_free(s->state_machine);
		list_free(&s->given.tables);
		list_free(&s->given.items);
		list_free(&s->given.queues);
		list_free(&s->given.functions);
		list_free(&s->tags);
		list_free(&s->faults);
		list_free(&s->mocks);
		list_free(&s->callbacks);
		list_free(&s->role.policies);
	}
	mem_free(f->v);
	for (size_t i = 0; i < f->nextra; i++)
		cj_doc_free(f->extra[i]);
	mem_free(f->extra);
	cj_doc_free(f->doc);
	mem_free(f->path);
	mem_free(f);
}

void runner_file_where(const runner_file *f, const cJSON *node, int key, sb *out)
{
	cj_doc_where(f->doc, node, key, out);
}

int runner_is_scenario_name(const char *name)
{
	static const char suffix[] = ".scenario.json";
	size_t n = strlen(name), k = sizeof suffix - 1;
	return n > k && !strcmp(name + n - k, suffix);
}

static const cJSON *answers_for(const runner_list *l, const char *state)
{
	for (size_t i = 0; i < l->n; i++) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(l->v[i], state);
		if (m)
			return m;
	}
	return NULL;
}

const cJSON *runner_scenario_mock(const runner_scenario *s, const char *state)
{
	return answers_for(&s->mocks, state);
}

const cJSON *runner_scenario_callback(const runner_scenario *s, const char *state)
{
	return answers_for(&s->callbacks, state);
}

int runner_scenario_has_tag(const runner_scenario *s, const char *tag)
{
	for (size_t i = 0; i < s->tags.n; i++)
		if (cJSON_IsString(s->tags.v[i]) && !strcmp(s->tags.v[i]->valuestring, tag))
			return 1;
	return 0;
}
