/* scaffold.c - given from the resources a definition uses; one scenario per path. */
#include "runner/scaffold.h"

#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "common/sb.h"
#include "runner/graph.h"
#include "runner/scenario.h"

static cJSON *given_of(const runner_graph *g)
{
	cJSON *res = runner_graph_resources(g);
	cJSON *given = cJSON_CreateObject();
	const cJSON *r;
	if (cj_obj(res, "dynamodb")->child) {
		cJSON *tables = cJSON_AddArrayToObject(cJSON_AddObjectToObject(given, "dynamodb"), "tables");
		cJSON_ArrayForEach(r, cj_obj(res, "dynamodb"))
		{
			cJSON *t = cJSON_CreateObject();
			cJSON_AddStringToObject(t, "TableName", r->string);
			cJSON *ks = cJSON_AddArrayToObject(t, "KeySchema");
			cJSON *ad = cJSON_AddArrayToObject(t, "AttributeDefinitions");
			const cJSON *k;
			int i = 0;
			cJSON_ArrayForEach(k, cj_arr(r, "keys"))
			{
				cJSON *e = cJSON_CreateObject();
				cJSON_AddStringToObject(e, "AttributeName", cj_str(k, "name"));
				cJSON_AddStringToObject(e, "KeyType", i++ ? "RANGE" : "HASH");
				cJSON_AddItemToArray(ks, e);
				e = cJSON_CreateObject();
				cJSON_AddStringToObject(e, "AttributeName", cj_str(k, "name"));
				cJSON_AddStringToObject(e, "AttributeType", cj_str(k, "type"));
				cJSON_AddItemToArray(ad, e);
			}
			if (!i) { /* nothing to guess from: a string key named id */
				cJSON *e = cJSON_CreateObject();
				cJSON_AddStringToObject(e, "AttributeName", "id");
				cJSON_AddStringToObject(e, "KeyType", "HASH");
				cJSON_AddItemToArray(ks, e);
				e = cJSON_CreateObject();
				cJSON_AddStringToObject(e, "AttributeName", "id");
				cJSON_AddStringToObject(e, "AttributeType", "S");
				cJSON_AddItemToArray(ad, e);
			}
			cJSON_AddItemToArray(tables, t);
		}
	}
	if (cj_obj(res, "sqs")->child) {
		cJSON *queues = cJSON_AddArrayToObject(cJSON_AddObjectToObject(given, "sqs"), "queues");
		cJSON_ArrayForEach(r, cj_obj(res, "sqs"))
		{
			cJSON *q = cJSON_CreateObject();
			cJSON_AddStringToObject(q, "QueueName", r->string);
			cJSON_AddItemToArray(queues, q);
		}
	}
	if (cj_obj(res, "lambda")->child) {
		cJSON *fns = cJSON_AddArrayToObject(cJSON_AddObjectToObject(given, "lambda"), "functions");
		cJSON_ArrayForEach(r, cj_obj(res, "lambda"))
		{
			cJSON *f = cJSON_CreateObject();
			cJSON_AddStringToObject(f, "FunctionName", r->string);
			cJSON_AddObjectToObject(f, "returns");
			cJSON_AddItemToArray(fns, f);
		}
	}
	cJSON_Delete(res);
	return given;
}

/* ---- paths --------------------------------------------------------------- */

typedef struct step {
	int state;
	int edge; /* the edge taken out of it, -1 at the end */
} step;

typedef struct walk {
	const runner_graph *g;
	step *path;
	int len;
	cJSON *scenarios;
} walk;

/* An error the catcher handles, for the mock that forces it. */
static const char *error_for(const runner_graph *g, const runner_gedge *e)
{
	const cJSON *c = cJSON_GetArrayItem(cj_arr(g->s[e->from].node, "Catch"), e->index);
	const char *first = cJSON_GetStringValue(cJSON_GetArrayItem(cj_arr(c, "ErrorEquals"), 0));
	if (!first || !strcmp(first, "States.ALL") || !strcmp(first, "States.TaskFailed"))
		return "States.TaskFailed";
	return first;
}

/* The Task whose failure makes state fail: itself, or for a Map or Parallel
 * the first Task of its inner scopes; -1 when there is none. */
static int failing_task(const runner_graph *g, int state)
{
	const runner_gstate *s = &g->s[state];
	if (!strcmp(s->type, "Task"))
		return state;
	for (int k = s->inner_first; k < s->inner_first + s->ninner; k++)
		for (int i = g->sc[k].first; i < g->sc[k].first + g->sc[k].n; i++) {
			int t = failing_task(g, i);
			if (t >= 0)
				return t;
		}
	return -1;
}

static void emit(walk *w)
{
	if (cJSON_GetArraySize(w->scenarios) >= RUNNER_SCAFFOLD_MAX)
		return;
	const runner_graph *g = w->g;
	sb name = SB_INIT, note = SB_INIT;
	cJSON *mock = cJSON_CreateObject();
	for (int i = 0; i < w->len; i++) {
		if (w->path[i].edge < 0)
			continue;
		const runner_gedge *e = &g->e[w->path[i].edge];
		const char *from = g->s[e->from].name, *to = g->s[e->to].name;
		if (e->kind == RUNNER_EDGE_RULE || e->kind == RUNNER_EDGE_DEFAULT) {
			sb_printf(&name, "%s%s -> %s", name.len ? ", " : "", from, to);
		} else if (e->kind == RUNNER_EDGE_CATCH) {
			sb_printf(&name, "%s%s fails -> %s", name.len ? ", " : "", from, to);
			int task = failing_task(g, e->from);
			if (task < 0 || cJSON_GetObjectItemCaseSensitive(mock, g->s[task].name)) {
				sb_printf(&note, "%sMake '%s' fail with an error its catcher handles to take this path.",
				          note.len ? " " : "", from);
				continue;
			}
			cJSON *thr = cJSON_CreateObject();
			cJSON_AddStringToObject(thr, "Error", error_for(g, e));
			cJSON_AddStringToObject(thr, "Cause", "stepbench init: this failure leads the execution to the catcher");
			cJSON *ans = cJSON_CreateObject();
			cJSON_AddItemToObject(ans, "Throw", thr);
			cJSON_AddItemToObject(mock, g->s[task].name, ans);
		}
	}
	if (!name.len)
		sb_cat(&name, "the only path");
	cJSON *sc = cJSON_CreateObject();
	cJSON_AddStringToObject(sc, "name", sb_str(&name));
	if (note.len)
		cJSON_AddStringToObject(sc, "description", sb_str(&note));
	cJSON_AddObjectToObject(sc, "input");
	if (mock->child)
		cJSON_AddItemToObject(sc, "mock", mock);
	else
		cJSON_Delete(mock);
	cJSON_AddObjectToObject(sc, "expect");
	cJSON_AddItemToArray(w->scenarios, sc);
	sb_free(&name);
	sb_free(&note);
}

static int on_path(const walk *w, int state)
{
	for (int i = 0; i < w->len; i++)
		if (w->path[i].state == state)
			return 1;
	return 0;
}

static void dfs(walk *w, int state)
{
	const runner_graph *g = w->g;
	if (cJSON_GetArraySize(w->scenarios) >= RUNNER_SCAFFOLD_MAX)
		return;
	w->path[w->len++] = (step){state, -1};
	int out = 0;
	for (size_t i = 0; i < g->ne; i++) {
		const runner_gedge *e = &g->e[i];
		if (e->from != state || e->to < 0)
			continue;
		/* rules sharing a target are one transition */
		int dup = 0;
		for (size_t j = 0; j < i; j++)
			dup |= g->e[j].from == state && g->e[j].to == e->to && g->e[j].kind != RUNNER_EDGE_CATCH &&
			       e->kind != RUNNER_EDGE_CATCH;
		if (dup)
			continue;
		out++;
		w->path[w->len - 1].edge = (int)i;
		if (on_path(w, e->to)) {
			emit(w); /* a loop: the path ends where it would repeat */
			continue;
		}
		dfs(w, e->to);
	}
	w->path[w->len - 1].edge = -1;
	if (!out)
		emit(w);
	w->len--;
}

cJSON *runner_scaffold(const cJSON *definition, const char *machine_path, const char *name)
{
	runner_graph *g = runner_graph_build(definition);
	cJSON *suite = cJSON_CreateObject();
	cJSON_AddStringToObject(suite, "name", name);
	cJSON_AddStringToObject(suite, "stateMachine", machine_path);
	cJSON_AddStringToObject(suite, "clock", RUNNER_DEFAULT_CLOCK);
	cJSON *given = given_of(g);
	if (given->child)
		cJSON_AddItemToObject(suite, "given", given);
	else
		cJSON_Delete(given);
	walk w = {g, mem_calloc(g->ns + 1, sizeof(step)), 0, cJSON_AddArrayToObject(suite, "scenarios")};
	if (g->nsc && g->sc[0].start >= 0)
		dfs(&w, g->sc[0].start);
	if (!cJSON_GetArraySize(w.scenarios))
		emit(&w);
	mem_free(w.path);
	runner_graph_free(g);
	return suite;
}
