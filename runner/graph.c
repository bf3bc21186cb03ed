/* graph.c - ASL definitions as graphs: scopes, transitions, resources, error handlers. */
#include "runner/graph.h"

#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "runner/check.h"

typedef struct gb {
	runner_graph *g;
	size_t cap_s, cap_e, cap_sc;
} gb;

static int add_scope(gb *b, int owner, int branch)
{
	runner_graph *g = b->g;
	if (g->nsc == b->cap_sc) {
		b->cap_sc = b->cap_sc ? b->cap_sc * 2 : 4;
		g->sc = mem_realloc(g->sc, b->cap_sc * sizeof *g->sc);
	}
	g->sc[g->nsc] = (runner_gscope){owner, branch, -1, 0, 0};
	return (int)g->nsc++;
}

static void add_edge(gb *b, int from, const char *to_name, runner_edge_kind kind, int index)
{
	runner_graph *g = b->g;
	if (!to_name)
		return;
	if (g->ne == b->cap_e) {
		b->cap_e = b->cap_e ? b->cap_e * 2 : 16;
		g->e = mem_realloc(g->e, b->cap_e * sizeof *g->e);
	}
	/* resolved once every state is known (runner_graph_build) */
	g->e[g->ne++] = (runner_gedge){from, -1, kind, index};
}

/* A scope: a {StartAt, States} object. States are added first, their inner
 * scopes after, so each scope's states are contiguous. */
static void build_scope(gb *b, const cJSON *def, int owner, int branch)
{
	runner_graph *g = b->g;
	int sc = add_scope(b, owner, branch);
	g->sc[sc].first = (int)g->ns;
	const cJSON *st;
	cJSON_ArrayForEach(st, cj_obj(def, "States"))
	{
		if (g->ns == b->cap_s) {
			b->cap_s = b->cap_s ? b->cap_s * 2 : 16;
			g->s = mem_realloc(g->s, b->cap_s * sizeof *g->s);
		}
		runner_gstate *s = &g->s[g->ns++];
		memset(s, 0, sizeof *s);
		s->name = st->string;
		s->type = cj_str(st, "Type") ? cj_str(st, "Type") : "?";
		s->node = st;
		s->scope = sc;
		s->end = cj_bool(st, "End", 0) || !strcmp(s->type, "Succeed") || !strcmp(s->type, "Fail");
		s->nretry = cJSON_GetArraySize(cj_arr(st, "Retry"));
		s->ncatch = cJSON_GetArraySize(cj_arr(st, "Catch"));
	}
	g->sc[sc].n = (int)g->ns - g->sc[sc].first;
	int first = g->sc[sc].first, n = g->sc[sc].n;
	for (int i = first; i < first + n; i++) {
		const cJSON *st2 = g->s[i].node;
		add_edge(b, i, cj_str(st2, "Next"), RUNNER_EDGE_NEXT, 0);
		const cJSON *r;
		int k = 0;
		cJSON_ArrayForEach(r, cj_arr(st2, "Choices")) add_edge(b, i, cj_str(r, "Next"), RUNNER_EDGE_RULE, k++);
		add_edge(b, i, cj_str(st2, "Default"), RUNNER_EDGE_DEFAULT, 0);
		k = 0;
		cJSON_ArrayForEach(r, cj_arr(st2, "Catch")) add_edge(b, i, cj_str(r, "Next"), RUNNER_EDGE_CATCH, k++);
	}
	for (int i = first; i < first + n; i++) {
		const cJSON *st2 = g->s[i].node;
		const cJSON *inner = cj_obj(st2, "ItemProcessor");
		if (!inner)
			inner = cj_obj(st2, "Iterator");
		const cJSON *branches = cj_arr(st2, "Branches");
		g->s[i].inner_first = (int)g->nsc;
		if (inner && !strcmp(g->s[i].type, "Map")) {
			g->s[i].ninner = 1;
			build_scope(b, inner, i, 0);
		} else if (branches && !strcmp(g->s[i].type, "Parallel")) {
			const cJSON *br;
			int k = 0;
			cJSON_ArrayForEach(br, branches)
			{
				if (cJSON_IsObject(br)) {
					g->s[i].ninner++;
					build_scope(b, br, i, k);
				}
				k++;
			}
		}
	}
}

/* The Next name of edge e, read again from its state. */
static const char *edge_target(const runner_graph *g, const runner_gedge *e)
{
	const cJSON *st = g->s[e->from].node;
	switch (e->kind) {
	case RUNNER_EDGE_NEXT: return cj_str(st, "Next");
	case RUNNER_EDGE_RULE: return cj_str(cJSON_GetArrayItem(cj_arr(st, "Choices"), e->index), "Next");
	case RUNNER_EDGE_DEFAULT: return cj_str(st, "Default");
	case RUNNER_EDGE_CATCH: return cj_str(cJSON_GetArrayItem(cj_arr(st, "Catch"), e->index), "Next");
	}
	return NULL;
}

/* A name within scope sc (Next never leaves its scope). */
static int find_in_scope(const runner_graph *g, int sc, const char *name)
{
	for (int i = g->sc[sc].first; name && i < g->sc[sc].first + g->sc[sc].n; i++)
		if (!strcmp(g->s[i].name, name))
			return i;
	return -1;
}

runner_graph *runner_graph_build(const cJSON *definition)
{
	gb b = {mem_calloc(1, sizeof(runner_graph)), 0, 0, 0};
	build_scope(&b, definition, -1, 0);
	runner_graph *g = b.g;
	for (size_t i = 0; i < g->ne; i++)
		g->e[i].to = find_in_scope(g, g->s[g->e[i].from].scope, edge_target(g, &g->e[i]));
	for (size_t k = 0; k < g->nsc; k++) {
		const cJSON *def = g->sc[k].owner < 0 ? definition : NULL;
		if (!def) {
			const runner_gstate *o = &g->s[g->sc[k].owner];
			def = !strcmp(o->type, "Map") ? (cj_obj(o->node, "ItemProcessor") ? cj_obj(o->node, "ItemProcessor")
			                                                                   : cj_obj(o->node, "Iterator"))
			                              : cJSON_GetArrayItem(cj_arr(o->node, "Branches"), g->sc[k].branch);
		}
		g->sc[k].start = find_in_scope(g, (int)k, cj_str(def, "StartAt"));
	}
	return g;
}

void runner_graph_free(runner_graph *g)
{
	if (!g)
		return;
	mem_free(g->s);
	mem_free(g->e);
	mem_free(g->sc);
	mem_free(g);
}

int runner_graph_find(const runner_graph *g, const char *name)
{
	for (size_t i = 0; name && i < g->ns; i++)
		if (!strcmp(g->s[i].name, name))
			return (int)i;
	return -1;
}

int runner_graph_handler(const cJSON *list, const char *error)
{
	const cJSON *h;
	int i = 0;
	cJSON_ArrayForEach(h, list)
	{
		const cJSON *e;
		cJSON_ArrayForEach(e, cj_arr(h, "ErrorEquals"))
		{
			const char *n = cJSON_GetStringValue(e);
			if (!n || !error)
				continue;
			if (!strcmp(n, error) || (!strcmp(n, "States.ALL") && strcmp(error, "States.Runtime")) ||
			    (!strcmp(n, "States.TaskFailed") && strcmp(error, "States.Timeout") &&
			     strcmp(error, "States.Runtime")))
				return i;
		}
		i++;
	}
	return -1;
}

/* ======================================================================
 * Resources
 * ====================================================================== */

/* A literal name: not a JSONata template, nor a JSONPath/intrinsic (.$ keys are other members). */
static const char *literal(const cJSON *args, const char *key)
{
	const char *v = cj_str(args, key);
	return v && !strstr(v, "{%") ? v : NULL;
}

static cJSON *entry(cJSON *section, const char *name, const char *state)
{
	cJSON *e = cJSON_GetObjectItemCaseSensitive(section, name);
	if (!e) {
		e = cJSON_AddObjectToObject(section, name);
		cJSON_AddArrayToObject(e, "states");
	}
	cJSON *states = cJSON_GetObjectItemCaseSensitive(e, "states");
	const cJSON *x;
	cJSON_ArrayForEach(x, states) if (!strcmp(x->valuestring, state)) return e;
	cJSON_AddItemToArray(states, cJSON_CreateString(state));
	return e;
}

static const char *attr_type(const cJSON *typed)
{
	static const char *const types[] = {"S", "N", "B", NULL};
	for (const char *const *t = types; *t; t++)
		if (cJSON_GetObjectItemCaseSensitive(typed, *t))
			return *t;
	return "S";
}

/* keys of e from Key (authoritative) or Item (a guess). */
static void guess_keys(cJSON *e, const cJSON *args)
{
	const cJSON *key = cj_obj(args, "Key"), *item = cj_obj(args, "Item");
	cJSON *old = cJSON_GetObjectItemCaseSensitive(e, "keys");
	if (old && !key)
		return;
	cJSON *keys = cJSON_CreateArray();
	const cJSON *src = key ? key : item;
	const char *pick[2] = {NULL, NULL};
	if (key) {
		pick[0] = key->child ? key->child->string : NULL;
		pick[1] = key->child && key->child->next ? key->child->next->string : NULL;
	} else if (cJSON_GetObjectItemCaseSensitive(item, "PK")) {
		pick[0] = "PK";
		pick[1] = cJSON_GetObjectItemCaseSensitive(item, "SK") ? "SK" : NULL;
	} else if (cJSON_GetObjectItemCaseSensitive(item, "id")) {
		pick[0] = "id";
	} else if (item && item->child) {
		pick[0] = item->child->string;
	}
	for (int i = 0; i < 2 && pick[i]; i++) {
		cJSON *k = cJSON_CreateObject();
		cJSON_AddStringToObject(k, "name", pick[i]);
		cJSON_AddStringToObject(k, "type", attr_type(cJSON_GetObjectItemCaseSensitive(src, pick[i])));
		cJSON_AddItemToArray(keys, k);
	}
	if (old)
		cJSON_ReplaceItemInObjectCaseSensitive(e, "keys", keys);
	else
		cJSON_AddItemToObject(e, "keys", keys);
}

cJSON *runner_graph_resources(const runner_graph *g)
{
	cJSON *out = cJSON_CreateObject();
	cJSON *ddb = cJSON_AddObjectToObject(out, "dynamodb");
	cJSON *sqs = cJSON_AddObjectToObject(out, "sqs");
	cJSON *lam = cJSON_AddObjectToObject(out, "lambda");
	for (size_t i = 0; i < g->ns; i++) {
		const runner_gstate *s = &g->s[i];
		const char *res = cj_str(s->node, "Resource");
		if (strcmp(s->type, "Task") || !res)
			continue;
		const cJSON *args = cj_obj(s->node, "Arguments");
		if (!args)
			args = cj_obj(s->node, "Parameters");
		const char *name = NULL;
		if (!strncmp(res, "arn:aws:lambda:", 15)) {
			char *n = runner_resource_name(res);
			entry(lam, n, s->name);
			mem_free(n);
		} else if (strstr(res, ":::dynamodb:") || strstr(res, ":::aws-sdk:dynamodb:")) {
			if ((name = literal(args, "TableName")))
				guess_keys(entry(ddb, name, s->name), args);
		} else if (strstr(res, ":::sqs:") || strstr(res, ":::aws-sdk:sqs:")) {
			if ((name = literal(args, "QueueUrl"))) {
				char *n = runner_resource_name(name);
				entry(sqs, n, s->name);
				mem_free(n);
			}
		} else if (strstr(res, ":::lambda:invoke")) {
			if ((name = literal(args, "FunctionName"))) {
				char *n = runner_resource_name(name);
				entry(lam, n, s->name);
				mem_free(n);
			}
		}
	}
	return out;
}
