/* check.c - expectations against a world snapshot, one mismatch per difference. */
#include "runner/check.h"

#include <stdio.h>
#include <string.h>

#include "common/mem.h"
#include "engine/jsonata/jsonata.h"
#include "runner/match.h"

typedef struct ck {
	const runner_scenario *s;
	const cj_doc *doc;
	runner_mismatches *out;
	size_t before;
} ck;

static void add(ck *c, const char *path, const char *msg, const cJSON *exp, const cJSON *act, const cJSON *node)
{
	runner_mismatch_add(c->out, path, msg, exp, act, c->doc, node);
}

char *runner_resource_name(const char *s)
{
	const char *fn = strstr(s, ":function:");
	if (!strncmp(s, "arn:", 4) && fn) {
		fn += strlen(":function:");
		const char *colon = strchr(fn, ':');
		return colon ? mem_strndup(fn, (size_t)(colon - fn)) : mem_strdup(fn);
	}
	if (strstr(s, "://")) {
		size_t n = strlen(s);
		while (n && s[n - 1] == '/')
			n--;
		size_t b = n;
		while (b && s[b - 1] != '/')
			b--;
		return mem_strndup(s + b, n - b);
	}
	return mem_strdup(s);
}

/* A list of the names in obj, for "no table 'X' (tables: A, B)". */
static void names_of(const cJSON *obj, sb *out)
{
	const cJSON *c;
	int n = 0;
	cJSON_ArrayForEach(c, obj)
	{
		sb_cat(out, n++ ? ", " : "");
		sb_cat(out, c->string);
	}
	if (!n)
		sb_cat(out, "none");
}

/* The member of snapshot section sec for a name written in the scenario
 * (a name, URL or ARN); reports it missing. */
static const cJSON *resource(ck *c, const cJSON *sec, const cJSON *exp, const char *kind, const char *path)
{
	char *name = runner_resource_name(exp->string);
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(sec, name);
	if (!r) {
		sb msg = SB_INIT;
		sb_printf(&msg, "there is no %s '%s' (%ss: ", kind, name, kind);
		names_of(sec, &msg);
		sb_catc(&msg, ')');
		runner_mismatch *mm = runner_mismatch_add_text(c->out, path, sb_str(&msg), NULL, NULL);
		if (c->doc)
			cj_doc_pos(c->doc, exp, 0, &mm->line, &mm->col);
		sb_free(&msg);
	}
	mem_free(name);
	return r;
}

static void path_of(sb *p, const char *section, const char *key)
{
	sb_clear(p);
	sb_cat(p, "expect.");
	sb_cat(p, section);
	cj_path_key(p, key);
}

/* ---- dynamodb --------------------------------------------------------- */

static const cJSON *find_item(const cJSON *items, const cJSON *keynames, const cJSON *exp)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, items)
	{
		int same = 1;
		const cJSON *k;
		cJSON_ArrayForEach(k, keynames)
		{
			const char *kn = cJSON_GetStringValue(k);
			if (!kn || !cj_equal(cJSON_GetObjectItemCaseSensitive(exp, kn), cJSON_GetObjectItemCaseSensitive(it, kn)))
				same = 0;
		}
		if (same)
			return it;
	}
	return NULL;
}

/* The key part of item: {PK: ..., SK: ...}; caller owns. */
static cJSON *key_of(const cJSON *item, const cJSON *keynames)
{
	cJSON *k = cJSON_CreateObject();
	const cJSON *n;
	cJSON_ArrayForEach(n, keynames)
	{
		const char *kn = cJSON_GetStringValue(n);
		const cJSON *v = kn ? cJSON_GetObjectItemCaseSensitive(item, kn) : NULL;
		if (v)
			cJSON_AddItemToObject(k, kn, cJSON_Duplicate(v, 1));
	}
	return k;
}

static void check_dynamodb(ck *c, const cJSON *exp, const cJSON *snap, const cJSON *keys)
{
	const cJSON *tables = cj_obj(snap, "dynamodb");
	const cJSON *et;
	sb p = SB_INIT;
	cJSON_ArrayForEach(et, exp)
	{
		path_of(&p, "dynamodb", et->string);
		const cJSON *items = resource(c, tables, et, "table", sb_str(&p));
		if (!items)
			continue;
		if (runner_is_matcher(et)) {
			runner_match(et, items, 0, sb_str(&p), c->doc, c->out);
			continue;
		}
		if (!et->child && items->child) {
			sb msg = SB_INIT;
			sb_printf(&msg, "expected %s to hold no items, it holds %d", et->string, cJSON_GetArraySize(items));
			add(c, sb_str(&p), sb_str(&msg), et, items, et);
			sb_free(&msg);
			continue;
		}
		const cJSON *keynames = cj_arr(keys, et->string);
		size_t base = p.len;
		int i = 0;
		const cJSON *ei;
		cJSON_ArrayForEach(ei, et)
		{
			p.len = base;
			p.buf[base] = '\0';
			cj_path_index(&p, i++);
			cJSON *want = key_of(ei, keynames);
			if (cJSON_GetArraySize(want) != cJSON_GetArraySize(keynames) || !keynames) {
				add(c, sb_str(&p), "the expected item lacks part of the table's key", NULL, NULL, ei);
				cJSON_Delete(want);
				continue;
			}
			const cJSON *it = find_item(items, keynames, ei);
			if (!it) {
				char *k = cj_print(want);
				sb msg = SB_INIT;
				sb_printf(&msg, "no item with key %s in %s (actual: the keys of its items)", k, et->string);
				cJSON *have = cJSON_CreateArray();
				const cJSON *x;
				cJSON_ArrayForEach(x, items) cJSON_AddItemToArray(have, key_of(x, keynames));
				add(c, sb_str(&p), sb_str(&msg), want, have, ei);
				cJSON_Delete(have);
				sb_free(&msg);
				mem_free(k);
			} else {
				runner_match(ei, it, RUNNER_MATCH_SUBSET, sb_str(&p), c->doc, c->out);
			}
			cJSON_Delete(want);
		}
	}
	sb_free(&p);
}

/* ---- lists in order: sqs messages, lambda invocations ------------------ */

/* exp: expected list (a member of expect.<section>); act: the actual
 * list; noun/prep: "message"/"in" or "invocation"/"of". */
static void check_list(ck *c, const cJSON *exp, const cJSON *act, const char *noun, const char *prep,
                       const char *name, unsigned flags, sb *p)
{
	if (runner_is_matcher(exp)) {
		runner_match(exp, act, 0, sb_str(p), c->doc, c->out);
		return;
	}
	int ne = cJSON_GetArraySize(exp), na = cJSON_GetArraySize(act);
	if (ne != na) {
		sb msg = SB_INIT;
		sb_printf(&msg, "expected %d %s%s %s %s, got %d", ne, noun, ne == 1 ? "" : "s", prep, name, na);
		add(c, sb_str(p), sb_str(&msg), exp, act, exp);
		sb_free(&msg);
		return;
	}
	size_t base = p->len;
	int i = 0;
	const cJSON *e, *a = act ? act->child : NULL;
	cJSON_ArrayForEach(e, exp)
	{
		p->len = base;
		p->buf[base] = '\0';
		cj_path_index(p, i++);
		runner_match(e, a, flags, sb_str(p), c->doc, c->out);
		a = a->next;
	}
}

static void check_sqs(ck *c, const cJSON *exp, const cJSON *snap)
{
	const cJSON *queues = cj_obj(snap, "sqs");
	const cJSON *eq;
	sb p = SB_INIT;
	cJSON_ArrayForEach(eq, exp)
	{
		path_of(&p, "sqs", eq->string);
		const cJSON *msgs = resource(c, queues, eq, "queue", sb_str(&p));
		if (msgs) {
			char *name = runner_resource_name(eq->string);
			check_list(c, eq, msgs, "message", "in", name, RUNNER_MATCH_SUBSET, &p);
			mem_free(name);
		}
	}
	sb_free(&p);
}

static void check_lambda(ck *c, const cJSON *exp, const cJSON *snap)
{
	const cJSON *fns = cj_obj(snap, "lambda");
	const cJSON *ef;
	sb p = SB_INIT;
	cJSON_ArrayForEach(ef, exp)
	{
		path_of(&p, "lambda", ef->string);
		const cJSON *calls = resource(c, fns, ef, "function", sb_str(&p));
		if (!calls)
			continue;
		cJSON *payloads = cJSON_CreateArray();
		const cJSON *call;
		cJSON_ArrayForEach(call, calls)
		{
			const cJSON *pl = cJSON_GetObjectItemCaseSensitive(call, "Payload");
			cJSON_AddItemToArray(payloads, pl ? cJSON_Duplicate(pl, 1) : cJSON_CreateNull());
		}
		char *name = runner_resource_name(ef->string);
		check_list(c, ef, payloads, "invocation", "of", name, 0, &p);
		mem_free(name);
		cJSON_Delete(payloads);
	}
	sb_free(&p);
}

/* ---- execution -------------------------------------------------------- */

static void check_path(ck *c, const cJSON *exp, const cJSON *act)
{
	if (cJSON_IsArray(exp) && cJSON_IsArray(act) && cJSON_GetArraySize(exp) != cJSON_GetArraySize(act)) {
		int ne = cJSON_GetArraySize(exp), na = cJSON_GetArraySize(act);
		sb msg = SB_INIT;
		sb_printf(&msg, "expected %d state%s entered, got %d", ne, ne == 1 ? "" : "s", na);
		add(c, "expect.path", sb_str(&msg), exp, act, exp);
		sb_free(&msg);
		return;
	}
	runner_match(exp, act, 0, "expect.path", c->doc, c->out);
}

/* ---- expect.assert ------------------------------------------------------ */

static int ident_start(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '`'; }
static int ident_char(char ch) { return ident_start(ch) || (ch >= '0' && ch <= '9'); }

/* Past a name at p: an identifier or a `backquoted` one. */
static const char *skip_name(const char *p)
{
	if (*p == '`') {
		const char *q = strchr(p + 1, '`');
		return q ? q + 1 : p + strlen(p);
	}
	while (ident_char(*p) && *p != '`')
		p++;
	return p;
}

/* The path expressions in a JSONata text (execution.status,
 * sqs.`user-onboarding`[0].Body.type ...): the sub-paths whose values a
 * failed assertion shows. Found lexically; a miss only shows less. */
static cJSON *sub_paths(const char *e)
{
	static const char *const words[] = {"and", "or", "in", "true", "false", "null", "function", NULL};
	cJSON *out = cJSON_CreateArray();
	const char *p = e;
	while (*p) {
		if (*p == '"' || *p == '\'') {
			char q = *p++;
			while (*p && *p != q)
				p += (*p == '\\' && p[1]) ? 2 : 1;
			if (*p)
				p++;
			continue;
		}
		if (*p == '$') { /* a variable or function name: not a path into the snapshot */
			p++;
			while (ident_char(*p))
				p++;
			continue;
		}
		if (!ident_start(*p) || (p > e && (p[-1] == '.' || ident_char(p[-1])))) {
			p++;
			continue;
		}
		const char *start = p;
		p = skip_name(p);
		for (;;) {
			if (*p == '.' && ident_start(p[1])) {
				p = skip_name(p + 1);
			} else if (*p == '[') {
				int depth = 0;
				do {
					depth += *p == '[' ? 1 : *p == ']' ? -1 : 0;
					p++;
				} while (*p && depth);
			} else {
				break;
			}
		}
		size_t n = (size_t)(p - start);
		int keyword = 0;
		for (const char *const *w = words; *w; w++)
			if (strlen(*w) == n && !strncmp(*w, start, n))
				keyword = 1;
		if (*p == '(' || keyword)
			continue;
		char *text = mem_strndup(start, n);
		int dup = 0;
		const cJSON *x;
		cJSON_ArrayForEach(x, out) if (!strcmp(x->valuestring, text)) dup = 1;
		if (!dup)
			cJSON_AddItemToArray(out, cJSON_CreateString(text));
		mem_free(text);
	}
	return out;
}

/* Evaluate text over snap: 0 and *res (may be NULL: undefined), or -1 with the error in why. */
static int eval_over(const char *text, const cJSON *snap, cJSON **res, sb *why)
{
	jsonata_error je = {0};
	jsonata_expr *e = jsonata_compile(text, strlen(text), &je);
	int rc = -1;
	*res = NULL;
	if (e)
		rc = jsonata_eval(e, snap, NULL, res, &je);
	if (rc && why)
		sb_printf(why, "%s: %s", je.code, je.message ? je.message : "error");
	jsonata_error_clear(&je);
	jsonata_free(e);
	return rc;
}

static void check_asserts(ck *c, const cJSON *asserts, const cJSON *snap)
{
	const cJSON *a;
	int i = 0;
	cJSON_ArrayForEach(a, asserts)
	{
		char path[48];
		snprintf(path, sizeof path, "expect.assert[%d]", i++);
		sb why = SB_INIT;
		cJSON *res = NULL;
		if (eval_over(a->valuestring, snap, &res, &why) == 0 && cJSON_IsTrue(res)) {
			cJSON_Delete(res);
			sb_free(&why);
			continue;
		}
		sb msg = SB_INIT;
		if (why.len)
			sb_printf(&msg, "%s failed to evaluate: %s", a->valuestring, sb_str(&why));
		else
			sb_printf(&msg, "%s is %s", a->valuestring, res ? "not true" : "undefined, not true");
		cJSON *subs = sub_paths(a->valuestring);
		const cJSON *sp;
		int first = 1;
		cJSON_ArrayForEach(sp, subs)
		{
			cJSON *v = NULL;
			if (eval_over(sp->valuestring, snap, &v, NULL))
				continue;
			char *vt = v ? cj_print(v) : mem_strdup("undefined");
			if (strlen(vt) > 300)
				strcpy(vt + 297, "...");
			sb_printf(&msg, "%s %s = %s", first ? "; where" : ",", sp->valuestring, vt);
			first = 0;
			mem_free(vt);
			cJSON_Delete(v);
		}
		cJSON_Delete(subs);
		char *got = res ? cj_print(res) : mem_strdup(why.len ? "(error)" : "undefined");
		runner_mismatch *mm = runner_mismatch_add_text(c->out, path, sb_str(&msg), "true", got);
		if (c->doc)
			cj_doc_pos(c->doc, a, 0, &mm->line, &mm->col);
		mem_free(got);
		cJSON_Delete(res);
		sb_free(&msg);
		sb_free(&why);
	}
}

int runner_check(const runner_scenario *s, const cJSON *snap, const cJSON *keys, runner_mismatches *out)
{
	ck c = {s, s->file ? s->file->doc : NULL, out, out->n};
	const cJSON *exp = s->expect, *ex = cj_obj(snap, "execution");
	/* the order a person reads them in: how it ended, where it went, what it left, what it answered */
	static const char *const scalars[] = {"status", "error", "cause", NULL};
	for (const char *const *f = scalars; *f; f++) {
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(exp, *f);
		if (!e)
			continue;
		sb p = SB_INIT;
		sb_printf(&p, "expect.%s", *f);
		runner_match(e, cJSON_GetObjectItemCaseSensitive(ex, *f), 0, sb_str(&p), c.doc, out);
		sb_free(&p);
	}
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(exp, "path");
	if (e)
		check_path(&c, e, cj_arr(ex, "path"));
	if ((e = cj_obj(exp, "dynamodb")))
		check_dynamodb(&c, e, snap, keys);
	if ((e = cj_obj(exp, "sqs")))
		check_sqs(&c, e, snap);
	if ((e = cj_obj(exp, "lambda")))
		check_lambda(&c, e, snap);
	if ((e = cJSON_GetObjectItemCaseSensitive(exp, "output")))
		runner_match(e, cJSON_GetObjectItemCaseSensitive(ex, "output"), 0, "expect.output", c.doc, out);
	if ((e = cj_arr(exp, "assert")))
		check_asserts(&c, e, snap);
	return (int)(out->n - c.before);
}
