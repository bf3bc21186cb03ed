/* match.c - expected values with matchers: validation, comparison, mismatches. */
#include "runner/match.h"

#include <math.h>
#include <string.h>

#include "common/clock.h"
#include "common/mem.h"
#include "engine/jsonata/jsonata.h"

typedef struct {
	const cj_doc *doc;
	runner_mismatches *out; /* NULL: only answer whether it matches */
} mctx;

static int match_rec(mctx *m, const cJSON *exp, const cJSON *act, unsigned flags, sb *path);

/* ======================================================================
 * Mismatch lists
 * ====================================================================== */

runner_mismatch *runner_mismatch_add_text(runner_mismatches *out, const char *path, const char *message,
                                          const char *expected, const char *actual)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 8;
		out->v = mem_realloc(out->v, out->cap * sizeof *out->v);
	}
	runner_mismatch *mm = &out->v[out->n++];
	memset(mm, 0, sizeof *mm);
	mm->path = mem_strdup(path);
	mm->message = mem_strdup(message);
	mm->expected = expected ? mem_strdup(expected) : NULL;
	mm->actual = actual ? mem_strdup(actual) : NULL;
	return mm;
}

void runner_mismatch_add(runner_mismatches *out, const char *path, const char *message, const cJSON *expected,
                         const cJSON *actual, const cj_doc *doc, const cJSON *node)
{
	if (!out)
		return;
	char *e = expected ? cj_print(expected) : NULL, *a = actual ? cj_print(actual) : NULL;
	runner_mismatch *mm = runner_mismatch_add_text(out, path, message, e, a ? a : "(absent)");
	mem_free(e);
	mem_free(a);
	if (doc && node)
		cj_doc_pos(doc, node, 0, &mm->line, &mm->col);
}

void runner_mismatches_free(runner_mismatches *m)
{
	for (size_t i = 0; i < m->n; i++) {
		mem_free(m->v[i].path);
		mem_free(m->v[i].message);
		mem_free(m->v[i].expected);
		mem_free(m->v[i].actual);
	}
	mem_free(m->v);
	memset(m, 0, sizeof *m);
}

static void fail(mctx *m, const sb *path, const char *msg, const cJSON *exp, const cJSON *act)
{
	runner_mismatch_add(m->out, sb_str(path), msg, exp, act, m->doc, exp);
}

/* ======================================================================
 * Suggestions (did you mean)
 * ====================================================================== */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *runner_suggest(const char *word, const char *const *candidates)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	size_t limit = strlen(word) / 3 + 1;
	if (limit > 3)
		limit = 3;
	for (const char *const *c = candidates; *c; c++) {
		size_t d = edit_distance(word, *c);
		if (strcasecmp(word, *c) == 0)
			d = 0;
		if (d < best_d) {
			best_d = d;
			best = *c;
		}
	}
	return best_d <= limit ? best : NULL;
}

/* ======================================================================
 * Regular expressions, through JSONata (so they have its syntax, and only
 * the JSONata adapter talks to PCRE2)
 * ====================================================================== */

/* "$contains($s, /re/)" with every unescaped '/' of re escaped. */
static void regex_expr(const char *re, sb *out)
{
	sb_cat(out, "$contains($s, /");
	size_t bs = 0;
	for (const char *p = re; *p; p++) {
		if (*p == '/' && bs % 2 == 0)
			sb_catc(out, '\\');
		bs = *p == '\\' ? bs + 1 : 0;
		sb_catc(out, *p);
	}
	if (bs % 2)
		sb_catc(out, '\\'); /* a dangling backslash must not escape the closing slash */
	sb_cat(out, "/)");
}

/* 1 match, 0 no match, -1 the pattern is invalid (message in why). */
static int regex_test(const char *re, const char *s, sb *why)
{
	sb text = SB_INIT;
	regex_expr(re, &text);
	jsonata_error err = {0};
	jsonata_expr *e = jsonata_compile(sb_str(&text), text.len, &err);
	sb_free(&text);
	if (!e) {
		if (why)
			sb_printf(why, "invalid regular expression: %s", err.message ? err.message : err.code);
		jsonata_error_clear(&err);
		return -1;
	}
	cJSON *bind = cJSON_CreateObject();
	cJSON_AddStringToObject(bind, "s", s ? s : "");
	jsonata_opts o = {.bindings = bind};
	cJSON *res = NULL;
	int rc = jsonata_eval(e, NULL, &o, &res, &err);
	int ok = -1;
	if (rc == 0)
		ok = cJSON_IsTrue(res) ? 1 : 0;
	else if (why)
		sb_printf(why, "invalid regular expression: %s", err.message ? err.message : err.code);
	cJSON_Delete(res);
	cJSON_Delete(bind);
	jsonata_error_clear(&err);
	jsonata_free(e);
	return ok;
}

/* ======================================================================
 * The matchers
 * ====================================================================== */

static const char *const type_names[] = {"string", "number", "integer", "boolean", "null", "object", "array", NULL};

static int is_integer(const cJSON *v)
{
	return cJSON_IsNumber(v) && isfinite(v->valuedouble) && floor(v->valuedouble) == v->valuedouble;
}

static const char *kind_of(const cJSON *v)
{
	return v ? cj_type_name(v) : "nothing";
}

static const char *a_an(const char *word)
{
	return strchr("aeiou", word[0]) ? "an" : "a";
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

typedef struct matcher {
	const char *name;
	/* Check the argument; on a problem write it to why and return -1. */
	int (*check)(const cJSON *arg, sb *why);
	/* act is never NULL here. 1 holds; 0 does not, with the reason in why. */
	int (*test)(mctx *m, const cJSON *arg, const cJSON *act, sb *why);
} matcher;

static int check_true(const cJSON *arg, sb *why)
{
	if (cJSON_IsTrue(arg))
		return 0;
	sb_cat(why, "takes true");
	return -1;
}

static int check_number(const cJSON *arg, sb *why)
{
	if (cJSON_IsNumber(arg))
		return 0;
	sb_cat(why, "takes a number");
	return -1;
}

static int check_type(const cJSON *arg, sb *why)
{
	const char *t = cJSON_GetStringValue(arg);
	for (const char *const *n = type_names; t && *n; n++)
		if (!strcmp(*n, t))
			return 0;
	sb_cat(why, "takes one of \"string\", \"number\", \"integer\", \"boolean\", \"null\", \"object\", \"array\"");
	const char *s = t ? runner_suggest(t, type_names) : NULL;
	if (s)
		sb_printf(why, " (did you mean \"%s\"?)", s);
	return -1;
}

static int check_regex(const cJSON *arg, sb *why)
{
	if (!cJSON_IsString(arg)) {
		sb_cat(why, "takes a regular expression as a string");
		return -1;
	}
	/* JSONata compiles a regular expression literal when it parses it */
	sb text = SB_INIT;
	regex_expr(arg->valuestring, &text);
	jsonata_error err = {0};
	jsonata_expr *e = jsonata_compile(sb_str(&text), text.len, &err);
	sb_free(&text);
	if (!e)
		sb_printf(why, "invalid regular expression: %s", err.message ? err.message : err.code);
	jsonata_free(e);
	jsonata_error_clear(&err);
	return e ? 0 : -1;
}

static int check_any(const cJSON *arg, sb *why)
{
	(void)arg;
	(void)why;
	return 0;
}

static int check_length(const cJSON *arg, sb *why)
{
	if (is_integer(arg) && arg->valuedouble >= 0)
		return 0;
	if (runner_is_matcher(arg))
		return 0; /* its members are checked by the recursive walk */
	sb_cat(why, "takes a non-negative integer or a matcher such as {\"$gte\": 1}");
	return -1;
}

static int test_any(mctx *m, const cJSON *arg, const cJSON *act, sb *why)
{
	(void)m;
	(void)arg;
	(void)act;
	(void)why;
	return 1;
}

static int test_absent(mctx *m, const cJSON *arg, const cJSON *act, sb *why)
{
	(void)m;
	(void)arg;
	(void)act;
	sb_cat(why, "expected no value");
	return 0;
}

static int test_type(mctx *m, const cJSON *arg, const cJSON *act, sb *why)
{
	(void)m;
	const char *t = arg->valuestring;
	int ok = !strcmp(t, "integer") ? is_integer(act) : !strcmp(t, kind_of(act));
	if (!ok)
		sb_printf(why, "expected %s %s, got %s %s", a_an(t), t, a_an(kind_of(act)), kind_of(act));
	return ok;
}

static int test_regex(mctx *m, const cJSON *arg, const cJSON *act, sb *why)
{
	(void)m;
	if (!cJSON_IsString(act)) {
		sb_printf(why, "expected a string matching /%s/, got %s %s", arg->valuestring, a_an(kind_of(act)),
			          kind_of(act));
		return 0;
	}
	int r = regex_test(arg->valuestring, act->valuestring, why);
	if (r == 0)
		sb_printf(why, "expected a string matching /%s/", arg->valuestring);
	return r == 1;
}

static int test_contains(mctx *m, const cJSON *arg, const cJSON *act, sb *why)
{
	mctx quiet = {m->doc, NULL};
	sb p = SB_INIT;
	int ok = 0;
	if (cJSON_IsString(act)) {
		ok = cJSON_IsString(arg) && strstr(act->valuestring, arg->valuestring) != NULL;
		if (!ok)
			sb_cat(why, cJSON_IsString(arg) ? "expected a string containing the given text"
			                                : "a string can only contain a string");
	} else if (cJSON_IsArray(act)) {
		const cJSON *e;
		cJSON_ArrayForEach(e, act) if (match_rec(&quiet, arg, e, 0, &p)) ok = 1;
		if (!ok)
			sb_cat(why, "expected an array with an element that matches");
	} else if (cJSON_IsObject(act) && cJSON_IsObject(arg) && !runner_is_matcher(arg)) {
		ok = match_rec(&quiet, arg, act, RUNNER_MATCH_SUBSET, &p);
		if (!ok)
			sb_cat(why, "expected an object with the given members");
	} else {
		sb_printf(why, "cannot look for a value inside %s %s", a_an(kind_of(act)), kind_of(act));
	}
	sb_free(&p);
	return ok;
}

static int test_length(mctx *m, const cJSON *arg, const cJSON *act, sb *why)
{
	double n;
	if (cJSON_IsString(act))
		n = (double)utf8_chars(act->valuestring);
	else if (cJSON_IsArray(act) || cJSON_IsObject(act))
		n = cJSON_GetArraySize(act);
	else {
		sb_printf(why, "expected a string, array or object, got %s %s", a_an(kind_of(act)), kind_of(act));
		return 0;
	}
	cJSON *len = cJSON_CreateNumber(n);
	mctx quiet = {m->doc, NULL};
	sb p = SB_INIT;
	int ok = match_rec(&quiet, arg, len, 0, &p);
	if (!ok)
		sb_printf(why, "length %g does not match", n);
	sb_free(&p);
	cJSON_Delete(len);
	return ok;
}

static int compare_num(const cJSON *arg, const cJSON *act, sb *why, const char *op)
{
	if (!cJSON_IsNumber(act)) {
		sb_printf(why, "expected a number %s %g, got %s %s", op, arg->valuedouble, a_an(kind_of(act)), kind_of(act));
		return 0;
	}
	double a = act->valuedouble, b = arg->valuedouble;
	int ok = !strcmp(op, ">") ? a > b : !strcmp(op, ">=") ? a >= b : !strcmp(op, "<") ? a < b : a <= b;
	if (!ok)
		sb_printf(why, "expected a number %s %g", op, b);
	return ok;
}

static int test_gt(mctx *m, const cJSON *arg, const cJSON *act, sb *why)
{
	(void)m;
	return compare_num(arg, act, why, ">");
}
static int test_gte(mctx *m, const cJSON *arg, const cJSON *act, sb *why)
{
	(void)m;
	return compare_num(arg, act, why, ">=");
}
static int test_lt(mctx *m, const cJSON *arg, const cJSON *act, sb *why)
{
	(void)m;
	return compare_num(arg, act, why, "<");
}
static int test_lte(mctx *m, const cJSON *arg, const cJSON *act, sb *why)
{
	(void)m;
	return compare_num(arg, act, why, "<=");
}

static int test_timestamp(mctx *m, const cJSON *arg, const cJSON *act, sb *why)
{
	(void)m;
	(void)arg;
	int64_t ms;
	if (cJSON_IsString(act) && clk_parse_iso(act->valuestring, &ms) == 0)
		return 1;
	sb_cat(why, "expected an ISO 8601 date-time string");
	return 0;
}

static const matcher matchers[] = {
	{"$absent", check_true, test_absent},
	{"$any", check_true, test_any},
	{"$contains", check_any, test_contains},
	{"$gt", check_number, test_gt},
	{"$gte", check_number, test_gte},
	{"$length", check_length, test_length},
	{"$lt", check_number, test_lt},
	{"$lte", check_number, test_lte},
	{"$regex", check_regex, test_regex},
	{"$timestamp", check_true, test_timestamp},
	{"$type", check_type, test_type},
	{NULL, NULL, NULL},
};

static const char *const matcher_names[] = {"$absent", "$any",   "$contains", "$gt",        "$gte", "$length",
                                            "$lt",     "$lte",   "$regex",    "$timestamp", "$type", NULL};

static const matcher *matcher_find(const char *name)
{
	for (const matcher *mt = matchers; mt->name; mt++)
		if (!strcmp(mt->name, name))
			return mt;
	return NULL;
}

int runner_is_matcher(const cJSON *v)
{
	if (!cJSON_IsObject(v) || !v->child)
		return 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, v) if (!c->string || c->string[0] != '$') return 0;
	return 1;
}

/* ======================================================================
 * Validation of expected values
 * ====================================================================== */

static void problem(const cj_doc *doc, const cJSON *node, int key, sb *err, const char *msg)
{
	if (doc)
		cj_doc_where(doc, node, key, err);
	sb_cat(err, msg);
	sb_catc(err, '\n');
}

int runner_match_validate(const cJSON *v, const cj_doc *doc, sb *err)
{
	if (!v || !(cJSON_IsObject(v) || cJSON_IsArray(v)))
		return 0;
	int n = 0;
	const cJSON *c;
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(c, v) n += runner_match_validate(c, doc, err);
		return n;
	}
	int dollars = 0, plain = 0;
	cJSON_ArrayForEach(c, v)
	{
		if (c->string && c->string[0] == '$')
			dollars++;
		else
			plain++;
	}
	if (dollars && plain) {
		problem(doc, v, 0, err, "an object mixes matchers ($...) with plain members");
		return 1;
	}
	cJSON_ArrayForEach(c, v)
	{
		if (dollars) {
			const matcher *mt = matcher_find(c->string);
			if (!mt) {
				const char *s = runner_suggest(c->string, matcher_names);
				sb msg = SB_INIT;
				sb_printf(&msg, "unknown matcher '%s'", c->string);
				if (s)
					sb_printf(&msg, " (did you mean '%s'?)", s);
				problem(doc, c, 1, err, sb_str(&msg));
				sb_free(&msg);
				n++;
				continue;
			}
			sb why = SB_INIT;
			if (mt->check(c, &why) < 0) {
				sb msg = SB_INIT;
				sb_printf(&msg, "%s %s", c->string, sb_str(&why));
				problem(doc, c, 0, err, sb_str(&msg));
				sb_free(&msg);
				n++;
			}
			sb_free(&why);
		}
		n += runner_match_validate(c, doc, err);
	}
	return n;
}

/* ======================================================================
 * Comparison
 * ====================================================================== */

static int match_matcher(mctx *m, const cJSON *exp, const cJSON *act, sb *path)
{
	const cJSON *c;
	sb why = SB_INIT;
	int ok = 1;
	cJSON_ArrayForEach(c, exp)
	{
		const matcher *mt = matcher_find(c->string);
		if (!mt) { /* validation reports it; here it cannot hold */
			sb_printf(&why, "unknown matcher '%s'", c->string);
			ok = 0;
			break;
		}
		if (!act) {
			if (mt->test == test_absent)
				continue;
			sb_cat(&why, "expected a value, found none");
			ok = 0;
			break;
		}
		if (!mt->test(m, c, act, &why)) {
			ok = 0;
			break;
		}
	}
	if (!ok)
		fail(m, path, sb_str(&why), exp, act);
	sb_free(&why);
	return ok;
}

static int match_object(mctx *m, const cJSON *exp, const cJSON *act, unsigned flags, sb *path)
{
	int ok = 1;
	size_t base = path->len;
	const cJSON *e;
	cJSON_ArrayForEach(e, exp)
	{
		cj_path_key(path, e->string);
		if (!match_rec(m, e, cJSON_GetObjectItemCaseSensitive(act, e->string), 0, path))
			ok = 0;
		path->len = base;
		path->buf[base] = '\0';
		if (!ok && !m->out)
			return 0;
	}
	if (flags & RUNNER_MATCH_SUBSET)
		return ok;
	const cJSON *a;
	cJSON_ArrayForEach(a, act)
	{
		if (cJSON_GetObjectItemCaseSensitive(exp, a->string))
			continue;
		ok = 0;
		if (!m->out)
			return 0;
		cj_path_key(path, a->string);
		runner_mismatch_add(m->out, sb_str(path), "unexpected member", NULL, a, m->doc, exp);
		path->len = base;
		path->buf[base] = '\0';
	}
	return ok;
}

static int match_array(mctx *m, const cJSON *exp, const cJSON *act, sb *path)
{
	int ne = cJSON_GetArraySize(exp), na = cJSON_GetArraySize(act);
	if (ne != na) {
		sb msg = SB_INIT;
		sb_printf(&msg, "expected %d element%s, got %d", ne, ne == 1 ? "" : "s", na);
		fail(m, path, sb_str(&msg), exp, act);
		sb_free(&msg);
		return 0;
	}
	int ok = 1, i = 0;
	size_t base = path->len;
	const cJSON *e, *a = act->child;
	cJSON_ArrayForEach(e, exp)
	{
		cj_path_index(path, i++);
		if (!match_rec(m, e, a, 0, path))
			ok = 0;
		path->len = base;
		path->buf[base] = '\0';
		a = a->next;
		if (!ok && !m->out)
			return 0;
	}
	return ok;
}

static int match_rec(mctx *m, const cJSON *exp, const cJSON *act, unsigned flags, sb *path)
{
	if (runner_is_matcher(exp))
		return match_matcher(m, exp, act, path);
	if (!act) {
		fail(m, path, "expected a value, found none", exp, act);
		return 0;
	}
	if (cJSON_IsObject(exp) && cJSON_IsObject(act))
		return match_object(m, exp, act, flags, path);
	if (cJSON_IsArray(exp) && cJSON_IsArray(act))
		return match_array(m, exp, act, path);
	if (strcmp(kind_of(exp), kind_of(act)) != 0) {
		sb msg = SB_INIT;
		sb_printf(&msg, "expected %s %s, got %s %s", a_an(kind_of(exp)), kind_of(exp), a_an(kind_of(act)),
		          kind_of(act));
		fail(m, path, sb_str(&msg), exp, act);
		sb_free(&msg);
		return 0;
	}
	if (!cj_equal(exp, act)) {
		fail(m, path, "values differ", exp, act);
		return 0;
	}
	return 1;
}

int runner_match(const cJSON *exp, const cJSON *act, unsigned flags, const char *path, const cj_doc *doc,
                 runner_mismatches *out)
{
	mctx m = {doc, out};
	sb p = SB_INIT;
	sb_cat(&p, path ? path : "");
	sb_grow(&p, 1);
	int ok = match_rec(&m, exp, act, flags, &p);
	sb_free(&p);
	return ok;
}
