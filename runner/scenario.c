/* scenario.c - load scenario files and check every field, with positions. */
#include "runner/scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/file.h"
#include "common/mem.h"
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

static const field f_scenario[] = {
	{"name", T_STR, 1},         {"description", T_STR, 0}, {"tags", T_ARR, 0},  {"stateMachine", T_STR, 1},
	{"clock", T_STR, 0},        {"given", T_OBJ, 0},       {"input", T_ANY, 0}, {"expect", T_OBJ, 1},
	{"$schema", T_STR, 0},      {NULL, 0, 0},
};
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
	{NULL, 0, 0},
};

static const char *const statuses[] = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", NULL};

/* ======================================================================
 * Problems
 * ====================================================================== */

typedef struct ld {
	const cj_doc *doc;
	sb *err;
	int problems;
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
			if (!ret == !err)
				problem(l, fn, 0, "given.lambda.functions[%d] needs exactly one behaviour: 'returns' (a JSON "
				        "value) or 'error' ({\"type\", \"message\"})", i);
			if (err) {
				char where[64];
				snprintf(where, sizeof where, "given.lambda.functions[%d].error", i);
				if (!cJSON_IsObject(err))
					problem(l, err, 0, "%s must be an object {\"type\", \"message\"}", where);
				else
					check_fields(l, err, where, f_lambda_error);
			}
			i++;
		}
	}
}

/* ======================================================================
 * expect
 * ====================================================================== */

/* The key attribute names of table in given.dynamodb.tables, or NULL. */
static const cJSON *given_key_schema(const cJSON *given, const char *table)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, cj_arr(cj_obj(given, "dynamodb"), "tables"))
	{
		const char *n = cj_str(t, "TableName");
		if (n && !strcmp(n, table))
			return cj_arr(t, "KeySchema");
	}
	return NULL;
}

static void check_expect(ld *l, const cJSON *expect, const cJSON *given)
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
	sb merr = SB_INIT;
	int n = runner_match_validate(expect, l->doc, &merr);
	if (n) {
		sb_cat(l->err, sb_str(&merr));
		l->problems += n;
	}
	sb_free(&merr);
}

/* ======================================================================
 * Files
 * ====================================================================== */

static void check_scenario(ld *l, runner_file *f, const cJSON *o, runner_scenario *s)
{
	s->file = f;
	s->node = o;
	check_fields(l, o, "", f_scenario);
	s->name = cj_str(o, "name");
	if (s->name && !*s->name)
		problem(l, cJSON_GetObjectItemCaseSensitive(o, "name"), 0, "name must not be empty");
	s->tags = cj_arr(o, "tags");
	const cJSON *t;
	cJSON_ArrayForEach(t, s->tags) if (!cJSON_IsString(t)) problem(l, t, 0, "tags must be strings");

	const cJSON *sm = cJSON_GetObjectItemCaseSensitive(o, "stateMachine");
	if (cJSON_IsString(sm)) {
		sb p = SB_INIT, dir = SB_INIT;
		file_dirname(f->path, &dir);
		file_join(sb_str(&dir), sm->valuestring, &p);
		s->state_machine = sb_steal(&p);
		sb_free(&dir);
		if (access(s->state_machine, R_OK) != 0)
			problem(l, sm, 0, "stateMachine: cannot read '%s': %s", s->state_machine, strerror(errno));
	}

	const char *clock = cj_str(o, "clock");
	if (clk_parse_iso(clock ? clock : RUNNER_DEFAULT_CLOCK, &s->clock_ms) != 0)
		problem(l, cJSON_GetObjectItemCaseSensitive(o, "clock"), 0,
		        "clock must be an ISO 8601 date-time such as \"2025-10-20T10:30:00Z\"");
	s->given = cj_obj(o, "given");
	s->input = cJSON_GetObjectItemCaseSensitive(o, "input");
	s->expect = cj_obj(o, "expect");
	if (s->given)
		check_given(l, s->given);
	if (s->expect)
		check_expect(l, s->expect, s->given);
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
	ld l = {doc, err, 0};
	const cJSON *root = cj_doc_root(doc);
	check_duplicates(&l, root);
	if (!cJSON_IsObject(root)) {
		problem(&l, root, 0, "a scenario file holds an object, not %s", cj_type_name(root));
	} else {
		f->v = mem_calloc(1, sizeof *f->v);
		f->n = 1;
		check_scenario(&l, f, root, &f->v[0]);
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
	for (size_t i = 0; i < f->n; i++)
		mem_free(f->v[i].state_machine);
	mem_free(f->v);
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
