/* coverage.c - states, Choice transitions, retriers and catchers exercised, from histories. */
#include "runner/coverage.h"

#include <string.h>

#include "common/cj.h"
#include "common/file.h"
#include "common/mem.h"
#include "runner/graph.h"
#include "runner/scenario.h"

typedef struct machine {
	char *path;
	cJSON *def;
	runner_graph *g;
	unsigned char *state_hit; /* per state */
	unsigned char *edge_hit;  /* per edge (Choice transitions and catchers) */
	unsigned char **retry_hit; /* per state, per retrier */
} machine;

struct runner_coverage {
	machine *v;
	size_t n, cap;
};

runner_coverage *runner_coverage_new(void) { return mem_calloc(1, sizeof(runner_coverage)); }

void runner_coverage_free(runner_coverage *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		machine *m = &c->v[i];
		for (size_t k = 0; m->g && k < m->g->ns; k++)
			mem_free(m->retry_hit[k]);
		mem_free(m->retry_hit);
		mem_free(m->state_hit);
		mem_free(m->edge_hit);
		runner_graph_free(m->g);
		cJSON_Delete(m->def);
		mem_free(m->path);
	}
	mem_free(c->v);
	mem_free(c);
}

static machine *machine_get(runner_coverage *c, const char *path)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].path, path))
			return c->v[i].g ? &c->v[i] : NULL;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4;
		c->v = mem_realloc(c->v, c->cap * sizeof *c->v);
	}
	machine *m = &c->v[c->n++];
	memset(m, 0, sizeof *m);
	m->path = mem_strdup(path);
	size_t len;
	char *text = file_read(path, RUNNER_MAX_FILE, &len, NULL);
	m->def = text ? cj_parse(text, len, NULL) : NULL;
	mem_free(text);
	if (!m->def)
		return NULL;
	m->g = runner_graph_build(m->def);
	m->state_hit = mem_calloc(m->g->ns + 1, 1);
	m->edge_hit = mem_calloc(m->g->ne + 1, 1);
	m->retry_hit = mem_calloc(m->g->ns + 1, sizeof *m->retry_hit);
	for (size_t k = 0; k < m->g->ns; k++)
		m->retry_hit[k] = mem_calloc((size_t)m->g->s[k].nretry + 1, 1);
	return m;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* The details object of an event (its only *EventDetails member). */
static const cJSON *details(const cJSON *ev)
{
	const cJSON *d;
	cJSON_ArrayForEach(d, ev) if (d->string && ends_with(d->string, "EventDetails") && cJSON_IsObject(d)) return d;
	return NULL;
}

/* Mark the edge from -> to of one of the kinds given (a mask of 1 << kind). */
static void hit_edge(machine *m, int from, int to, unsigned kinds, int index)
{
	for (size_t i = 0; i < m->g->ne; i++) {
		const runner_gedge *e = &m->g->e[i];
		if (e->from == from && e->to == to && (kinds & (1u << e->kind)) && (index < 0 || e->index == index))
			m->edge_hit[i] = 1;
	}
}

int runner_coverage_add(runner_coverage *c, const char *path, const cJSON *history)
{
	machine *m = machine_get(c, path);
	if (!m)
		return -1;
	const runner_graph *g = m->g;
	int cur = -1, last_choice = -1;
	int stack[64], depth = 0;   /* open Map and Parallel states */
	int fail_state = -1;        /* a failure waiting to be retried or caught */
	const char *fail_error = NULL;
	const cJSON *ev;
	cJSON_ArrayForEach(ev, history)
	{
		const char *type = cj_str(ev, "type");
		const cJSON *d = details(ev);
		if (!type)
			continue;
		if (fail_state >= 0) {
			const runner_gstate *fs = &g->s[fail_state];
			if (ends_with(type, "Scheduled") || !strcmp(type, "MapStateStarted") ||
			    !strcmp(type, "ParallelStateStarted")) {
				int r = runner_graph_handler(cj_arr(fs->node, "Retry"), fail_error);
				if (r >= 0)
					m->retry_hit[fail_state][r] = 1;
				fail_state = -1;
			} else if (ends_with(type, "StateEntered")) {
				int to = runner_graph_find(g, cj_str(d, "name"));
				int k = runner_graph_handler(cj_arr(fs->node, "Catch"), fail_error);
				if (k >= 0)
					hit_edge(m, fail_state, to, 1u << RUNNER_EDGE_CATCH, k);
				fail_state = -1;
			}
		}
		if (ends_with(type, "StateEntered")) {
			int i = runner_graph_find(g, cj_str(d, "name"));
			if (i < 0)
				continue;
			m->state_hit[i] = 1;
			if (last_choice >= 0)
				hit_edge(m, last_choice, i, 1u << RUNNER_EDGE_RULE | 1u << RUNNER_EDGE_DEFAULT, -1);
			last_choice = -1;
			cur = i;
			if ((!strcmp(type, "MapStateEntered") || !strcmp(type, "ParallelStateEntered")) && depth < 64)
				stack[depth++] = i;
		} else if (!strcmp(type, "ChoiceStateExited")) {
			last_choice = runner_graph_find(g, cj_str(d, "name"));
		} else if ((!strcmp(type, "MapStateExited") || !strcmp(type, "ParallelStateExited")) && depth) {
			depth--;
		} else if (!strcmp(type, "MapStateFailed") || !strcmp(type, "ParallelStateFailed")) {
			/* an iteration's or branch's error is now the Map's or Parallel's */
			if (depth) {
				fail_state = stack[depth - 1];
				if (d && cj_str(d, "error"))
					fail_error = cj_str(d, "error");
			}
		} else if (d && cj_str(d, "error") && strncmp(type, "Execution", 9)) {
			if (cur >= 0) {
				fail_state = cur;
				fail_error = cj_str(d, "error");
			}
		}
	}
	return 0;
}

/* ---- report ----------------------------------------------------------- */

static void part(cJSON *o, const char *name, int covered, int total)
{
	cJSON *p = cJSON_AddObjectToObject(o, name);
	cJSON_AddNumberToObject(p, "covered", covered);
	cJSON_AddNumberToObject(p, "total", total);
}

/* Append the text of an item not covered to list. */
static void missing(cJSON *list, sb *text)
{
	cJSON_AddItemToArray(list, cJSON_CreateString(sb_str(text)));
	sb_clear(text);
}

cJSON *runner_coverage_json(const runner_coverage *c)
{
	cJSON *out = cJSON_CreateArray();
	for (size_t i = 0; i < c->n; i++) {
		const machine *m = &c->v[i];
		if (!m->g)
			continue;
		const runner_graph *g = m->g;
		cJSON *miss = cJSON_CreateArray();
		sb t = SB_INIT;
		int st[2] = {0, 0}, ch[2] = {0, 0}, re[2] = {0, 0}, ca[2] = {0, 0};
		for (size_t k = 0; k < g->ns; k++) {
			st[1]++;
			if (m->state_hit[k]) {
				st[0]++;
			} else {
				sb_printf(&t, "state '%s'", g->s[k].name);
				missing(miss, &t);
			}
			for (int r = 0; r < g->s[k].nretry; r++) {
				re[1]++;
				if (m->retry_hit[k][r]) {
					re[0]++;
				} else {
					sb_printf(&t, "Retry #%d of '%s'", r + 1, g->s[k].name);
					missing(miss, &t);
				}
			}
		}
		for (size_t k = 0; k < g->ne; k++) {
			const runner_gedge *e = &g->e[k];
			if (e->to < 0 || e->kind == RUNNER_EDGE_NEXT)
				continue;
			if (e->kind == RUNNER_EDGE_CATCH) {
				ca[1]++;
				if (m->edge_hit[k]) {
					ca[0]++;
				} else {
					sb_printf(&t, "Catch #%d of '%s' -> '%s'", e->index + 1, g->s[e->from].name, g->s[e->to].name);
					missing(miss, &t);
				}
				continue;
			}
			/* Choice transitions: one per distinct target */
			int dup = 0;
			for (size_t j = 0; j < k; j++)
				if (g->e[j].from == e->from && g->e[j].to == e->to &&
				    (g->e[j].kind == RUNNER_EDGE_RULE || g->e[j].kind == RUNNER_EDGE_DEFAULT))
					dup = 1;
			if (dup)
				continue;
			ch[1]++;
			if (m->edge_hit[k]) {
				ch[0]++;
			} else {
				sb_printf(&t, "Choice '%s' -> '%s'%s", g->s[e->from].name, g->s[e->to].name,
				          e->kind == RUNNER_EDGE_DEFAULT ? " (Default)" : "");
				missing(miss, &t);
			}
		}
		int cov = st[0] + ch[0] + re[0] + ca[0], tot = st[1] + ch[1] + re[1] + ca[1];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "stateMachine", m->path);
		cJSON_AddNumberToObject(o, "percent", tot ? (double)(int)(1000.0 * cov / tot) / 10.0 : 100.0);
		cJSON_AddNumberToObject(o, "covered", cov);
		cJSON_AddNumberToObject(o, "total", tot);
		part(o, "states", st[0], st[1]);
		part(o, "choices", ch[0], ch[1]);
		part(o, "retries", re[0], re[1]);
		part(o, "catches", ca[0], ca[1]);
		cJSON_AddItemToObject(o, "missing", miss);
		cJSON_AddItemToArray(out, o);
		sb_free(&t);
	}
	return out;
}
