/* permcheck.c - declared roles against the calls scenarios made. */
#include "runner/permcheck.h"

#include <string.h>
#include <stdarg.h>

#include "common/cj.h"
#include "common/mem.h"
#include "common/sb.h"
#include "mocks/iam/iam_policy.h"

static int is_wild(const char *s) { return strchr(s, '*') || strchr(s, '?'); }

/* A policy element that is a string or a list of strings, as a list. */
static cJSON *strings_of(const cJSON *v)
{
	cJSON *out = cJSON_CreateArray();
	if (cJSON_IsString(v))
		cJSON_AddItemToArray(out, cJSON_CreateString(v->valuestring));
	const cJSON *x, *arr = cJSON_IsArray(v) ? v : NULL;
	cJSON_ArrayForEach(x, arr) if (cJSON_IsString(x))
		cJSON_AddItemToArray(out, cJSON_CreateString(x->valuestring));
	return out;
}

static void add_unique(cJSON *arr, const char *s)
{
	const cJSON *x;
	cJSON_ArrayForEach(x, arr) if (!strcmp(x->valuestring, s)) return;
	cJSON_AddItemToArray(arr, cJSON_CreateString(s));
}

static int any_match(const cJSON *patterns, const char *s, int action)
{
	const cJSON *p;
	cJSON_ArrayForEach(p, patterns) if (action ? iam_glob(p->valuestring, s, 1) : iam_arn_match(p->valuestring, s))
		return 1;
	return 0;
}

static void finding(cJSON *list, const char *action, const char *resource, cJSON *used, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void finding(cJSON *list, const char *action, const char *resource, cJSON *used, const char *fmt, ...)
{
	cJSON *o = cJSON_CreateObject();
	if (action)
		cJSON_AddStringToObject(o, "action", action);
	if (resource)
		cJSON_AddStringToObject(o, "resource", resource);
	if (used)
		cJSON_AddItemToObject(o, "used", used);
	sb m = SB_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&m, fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(o, "message", sb_str(&m));
	sb_free(&m);
	cJSON_AddItemToArray(list, o);
}

/* What one Allow statement grants beyond what used (the allowed calls) needs. */
static void check_statement(const cJSON *st, const cJSON *used, cJSON *unused, cJSON *broad)
{
	const cJSON *na = cJSON_GetObjectItemCaseSensitive(st, "NotAction");
	const cJSON *nr = cJSON_GetObjectItemCaseSensitive(st, "NotResource");
	if (na)
		finding(broad, NULL, NULL, NULL, "NotAction allows every action but the ones it lists");
	if (nr)
		finding(broad, NULL, NULL, NULL, "NotResource allows every resource but the ones it lists");
	cJSON *acts = strings_of(cJSON_GetObjectItemCaseSensitive(st, "Action"));
	cJSON *ress = strings_of(cJSON_GetObjectItemCaseSensitive(st, "Resource"));
	if (nr && !cJSON_GetArraySize(ress))
		cJSON_AddItemToArray(ress, cJSON_CreateString("*"));
	const cJSON *a, *r, *c;
	cJSON_ArrayForEach(a, acts)
	{
		cJSON *seen = cJSON_CreateArray();
		cJSON_ArrayForEach(c, used) if (iam_glob(a->valuestring, cj_str(c, "action"), 1) &&
		                                any_match(ress, cj_str(c, "resource"), 0))
			add_unique(seen, cj_str(c, "action"));
		if (!cJSON_GetArraySize(seen)) {
			char *rs = cj_print(ress);
			finding(unused, a->valuestring, NULL, NULL, "%s is granted (on %s) but no scenario called it", a->valuestring,
			        rs);
			mem_free(rs);
			cJSON_Delete(seen);
		} else if (is_wild(a->valuestring)) {
			char *us = cj_print(seen);
			finding(broad, a->valuestring, NULL, seen, "the action %s is a wildcard; the scenarios used only %s",
			        a->valuestring, us);
			mem_free(us);
		} else {
			cJSON_Delete(seen);
		}
	}
	cJSON_ArrayForEach(r, ress)
	{
		cJSON *seen = cJSON_CreateArray();
		cJSON_ArrayForEach(c, used) if (any_match(acts, cj_str(c, "action"), 1) &&
		                                iam_arn_match(r->valuestring, cj_str(c, "resource")))
			add_unique(seen, cj_str(c, "resource"));
		int some_action_used = 0;
		cJSON_ArrayForEach(c, used) some_action_used |= any_match(acts, cj_str(c, "action"), 1);
		if (!cJSON_GetArraySize(seen)) {
			if (some_action_used)
				finding(unused, NULL, r->valuestring, NULL, "%s is granted but no scenario touched it", r->valuestring);
			cJSON_Delete(seen);
		} else if (is_wild(r->valuestring)) {
			char *us = cj_print(seen);
			finding(broad, NULL, r->valuestring, seen, "the resource %s is a wildcard; the scenarios touched only %s",
			        r->valuestring, us);
			mem_free(us);
		} else {
			cJSON_Delete(seen);
		}
	}
	cJSON_Delete(acts);
	cJSON_Delete(ress);
}

static int is_allow(const cJSON *st)
{
	const char *e = cj_str(st, "Effect");
	return e && !strcmp(e, "Allow");
}

/* A role's identity: its name and policies. */
static char *role_key(const cJSON *role)
{
	sb k = SB_INIT;
	sb_printf(&k, "%s\n", cj_str(role, "name") ? cj_str(role, "name") : "");
	cj_print_sb(cJSON_GetObjectItemCaseSensitive(role, "policies"), &k);
	return sb_steal(&k);
}

cJSON *runner_policy_check(runner_result *v, size_t n, size_t *failing)
{
	*failing = 0;
	cJSON *report = cJSON_CreateArray();
	char **keys = mem_calloc(n ? n : 1, sizeof *keys);
	for (size_t i = 0; i < n; i++)
		keys[i] = v[i].role && v[i].calls ? role_key(v[i].role) : NULL;
	for (size_t i = 0; i < n; i++) {
		if (!keys[i])
			continue;
		size_t first = i;
		for (size_t j = 0; j < i; j++)
			if (keys[j] && !strcmp(keys[j], keys[i])) {
				first = j;
				break;
			}
		if (first != i)
			continue; /* its role was checked with the first scenario that declared it */
		cJSON *grp = cJSON_CreateObject();
		cJSON_AddStringToObject(grp, "role", cj_str(v[i].role, "name"));
		cJSON_AddStringToObject(grp, "arn", cj_str(v[i].role, "arn") ? cj_str(v[i].role, "arn") : "");
		cJSON *names = cJSON_AddArrayToObject(grp, "scenarios");
		cJSON *missing = cJSON_AddArrayToObject(grp, "missing");
		cJSON *unused = cJSON_AddArrayToObject(grp, "unused");
		cJSON *broad = cJSON_AddArrayToObject(grp, "broad");
		cJSON *used = cJSON_CreateArray();
		for (size_t j = i; j < n; j++) {
			if (!keys[j] || strcmp(keys[j], keys[i]))
				continue;
			cJSON_AddItemToArray(names, cJSON_CreateString(v[j].name));
			int expected = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v[j].role, "expectsError"));
			const cJSON *c;
			cJSON_ArrayForEach(c, v[j].calls)
			{
				if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "denied"))) {
					cJSON_AddItemToArray(used, cJSON_Duplicate(c, 1));
					continue;
				}
				cJSON *m = cJSON_CreateObject();
				cJSON_AddStringToObject(m, "action", cj_str(c, "action"));
				cJSON_AddStringToObject(m, "resource", cj_str(c, "resource"));
				cJSON_AddStringToObject(m, "scenario", v[j].name);
				cJSON_AddBoolToObject(m, "expected", expected);
				cJSON_AddItemToArray(missing, m);
				*failing += !expected;
			}
		}
		const cJSON *doc, *st;
		cJSON_ArrayForEach(doc, cj_arr(v[i].role, "policies"))
		{
			const cJSON *stmts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
			const cJSON *list = cJSON_IsArray(stmts) ? stmts : NULL;
			cJSON_ArrayForEach(st, list) if (is_allow(st)) check_statement(st, used, unused, broad);
			if (cJSON_IsObject(stmts) && is_allow(stmts))
				check_statement(stmts, used, unused, broad);
		}
		cJSON_Delete(used);
		/* each scenario of the role gets its own missing and the role's warnings */
		for (size_t j = i; j < n; j++) {
			if (!keys[j] || strcmp(keys[j], keys[i]))
				continue;
			cJSON *mine = cJSON_CreateObject();
			cJSON_AddStringToObject(mine, "role", cj_str(v[j].role, "name"));
			cJSON *mm = cJSON_AddArrayToObject(mine, "missing");
			int expected = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v[j].role, "expectsError"));
			const cJSON *c;
			cJSON_ArrayForEach(c, v[j].calls) if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "denied")))
			{
				cJSON *m = cJSON_CreateObject();
				cJSON_AddStringToObject(m, "action", cj_str(c, "action"));
				cJSON_AddStringToObject(m, "resource", cj_str(c, "resource"));
				cJSON_AddBoolToObject(m, "expected", expected);
				cJSON_AddItemToArray(mm, m);
			}
			cJSON_AddItemToObject(mine, "unused", cJSON_Duplicate(unused, 1));
			cJSON_AddItemToObject(mine, "broad", cJSON_Duplicate(broad, 1));
			cJSON_Delete(v[j].policy_check);
			v[j].policy_check = mine;
		}
		cJSON_AddItemToArray(report, grp);
	}
	for (size_t i = 0; i < n; i++)
		mem_free(keys[i]);
	mem_free(keys);
	return report;
}
