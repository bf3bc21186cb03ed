/* layout.c - layered placement of states and nested scopes, edges as SVG paths. */
#include "runner/layout.h"

#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "common/file.h"
#include "common/mem.h"
#include "runner/graph.h"
#include "runner/scenario.h"

enum { NODE_H = 40, GAP_X = 40, GAP_Y = 56, PAD = 16, HEADER = 28, MIN_W = 120 };

typedef struct box {
	double x, y, w, h; /* x, y relative to the scope until placed */
	int rank;
} box;

typedef struct lay {
	const runner_graph *g;
	box *b;          /* per state */
	double *sw, *sh; /* per scope: size */
} lay;

static void layout_scope(lay *L, int sc);

static double text_w(const char *s) { return 7.2 * (double)strlen(s) + 32; }

/* Rank the scope's states by breadth-first distance from its start. */
static void rank_scope(lay *L, int sc)
{
	const runner_graph *g = L->g;
	const runner_gscope *S = &g->sc[sc];
	int *queue = mem_calloc((size_t)S->n + 1, sizeof *queue);
	for (int i = S->first; i < S->first + S->n; i++)
		L->b[i].rank = -1;
	int head = 0, tail = 0, maxr = 0;
	if (S->start >= 0) {
		L->b[S->start].rank = 0;
		queue[tail++] = S->start;
	}
	while (head < tail) {
		int u = queue[head++];
		for (size_t e = 0; e < g->ne; e++) {
			int v = g->e[e].to;
			if (g->e[e].from != u || v < 0 || L->b[v].rank >= 0)
				continue;
			L->b[v].rank = L->b[u].rank + 1;
			if (L->b[v].rank > maxr)
				maxr = L->b[v].rank;
			queue[tail++] = v;
		}
	}
	for (int i = S->first; i < S->first + S->n; i++)
		if (L->b[i].rank < 0)
			L->b[i].rank = ++maxr; /* unreachable: a row of its own, at the end */
	mem_free(queue);
}

static void size_state(lay *L, int i)
{
	const runner_gstate *s = &L->g->s[i];
	box *b = &L->b[i];
	b->w = text_w(s->name);
	b->h = NODE_H;
	if (!s->ninner)
		return;
	double w = 0, h = 0;
	for (int k = s->inner_first; k < s->inner_first + s->ninner; k++) {
		layout_scope(L, k);
		w += L->sw[k] + (k > s->inner_first ? GAP_X / 2 : 0);
		if (L->sh[k] > h)
			h = L->sh[k];
	}
	if (w + 2 * PAD > b->w)
		b->w = w + 2 * PAD;
	b->h = h + HEADER + PAD;
}

static void layout_scope(lay *L, int sc)
{
	const runner_gscope *S = &L->g->sc[sc];
	rank_scope(L, sc);
	int maxr = 0;
	for (int i = S->first; i < S->first + S->n; i++) {
		size_state(L, i);
		if (L->b[i].rank > maxr)
			maxr = L->b[i].rank;
	}
	double y = 0, width = 0;
	for (int r = 0; r <= maxr; r++) {
		double rw = 0, rh = 0;
		for (int i = S->first; i < S->first + S->n; i++)
			if (L->b[i].rank == r) {
				rw += L->b[i].w + (rw > 0 ? GAP_X : 0);
				if (L->b[i].h > rh)
					rh = L->b[i].h;
			}
		if (rw > width)
			width = rw;
		for (int i = S->first; i < S->first + S->n; i++)
			if (L->b[i].rank == r)
				L->b[i].y = y;
		y += rh + (r < maxr ? GAP_Y : 0);
	}
	/* center each row */
	for (int r = 0; r <= maxr; r++) {
		double rw = 0;
		for (int i = S->first; i < S->first + S->n; i++)
			if (L->b[i].rank == r)
				rw += L->b[i].w + (rw > 0 ? GAP_X : 0);
		double x = (width - rw) / 2;
		for (int i = S->first; i < S->first + S->n; i++)
			if (L->b[i].rank == r) {
				L->b[i].x = x;
				x += L->b[i].w + GAP_X;
			}
	}
	L->sw[sc] = width;
	L->sh[sc] = y;
}

/* Make positions absolute: scope sc drawn with its corner at (ox, oy). */
static void place(lay *L, int sc, double ox, double oy)
{
	const runner_gscope *S = &L->g->sc[sc];
	for (int i = S->first; i < S->first + S->n; i++) {
		box *b = &L->b[i];
		b->x += ox;
		b->y += oy;
		const runner_gstate *s = &L->g->s[i];
		/* inner scopes side by side, centred in the container */
		double total = 0;
		for (int k = s->inner_first; k < s->inner_first + s->ninner; k++)
			total += L->sw[k] + (k > s->inner_first ? GAP_X / 2 : 0);
		double x = b->x + (b->w - total) / 2;
		for (int k = s->inner_first; k < s->inner_first + s->ninner; k++) {
			place(L, k, x, b->y + HEADER);
			x += L->sw[k] + GAP_X / 2;
		}
	}
}

static const char *kind_name(runner_edge_kind k)
{
	static const char *const names[] = {"next", "rule", "default", "catch"};
	return names[k];
}

static void edge_label(const runner_graph *g, const runner_gedge *e, char *out, size_t n)
{
	const cJSON *st = g->s[e->from].node;
	out[0] = '\0';
	if (e->kind == RUNNER_EDGE_RULE)
		snprintf(out, n, "rule %d", e->index + 1);
	else if (e->kind == RUNNER_EDGE_DEFAULT)
		snprintf(out, n, "Default");
	else if (e->kind == RUNNER_EDGE_CATCH) {
		const cJSON *c = cJSON_GetArrayItem(cj_arr(st, "Catch"), e->index);
		const char *first = cJSON_GetStringValue(cJSON_GetArrayItem(cj_arr(c, "ErrorEquals"), 0));
		snprintf(out, n, "catch %s", first ? first : "");
	}
}

cJSON *runner_layout(const cJSON *definition)
{
	runner_graph *g = runner_graph_build(definition);
	lay L = {g, mem_calloc(g->ns + 1, sizeof(box)), mem_calloc(g->nsc + 1, sizeof(double)),
	         mem_calloc(g->nsc + 1, sizeof(double))};
	layout_scope(&L, 0);
	place(&L, 0, PAD, PAD + 24);
	cJSON *out = cJSON_CreateObject();
	cJSON_AddNumberToObject(out, "width", L.sw[0] + 2 * PAD + 80);
	cJSON_AddNumberToObject(out, "height", L.sh[0] + 2 * PAD + 24);
	if (g->nsc && g->sc[0].start >= 0)
		cJSON_AddStringToObject(out, "start", g->s[g->sc[0].start].name);
	cJSON *states = cJSON_AddArrayToObject(out, "states");
	for (size_t i = 0; i < g->ns; i++) {
		cJSON *s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "name", g->s[i].name);
		cJSON_AddStringToObject(s, "type", g->s[i].type);
		cJSON_AddNumberToObject(s, "x", L.b[i].x);
		cJSON_AddNumberToObject(s, "y", L.b[i].y);
		cJSON_AddNumberToObject(s, "w", L.b[i].w);
		cJSON_AddNumberToObject(s, "h", L.b[i].h);
		cJSON_AddBoolToObject(s, "container", g->s[i].ninner > 0);
		cJSON_AddNumberToObject(s, "scope", g->s[i].scope);
		cJSON_AddItemToArray(states, s);
	}
	cJSON *edges = cJSON_AddArrayToObject(out, "edges");
	for (size_t i = 0; i < g->ne; i++) {
		const runner_gedge *e = &g->e[i];
		if (e->to < 0)
			continue;
		const box *a = &L.b[e->from], *b = &L.b[e->to];
		char d[256], label[96];
		double lx, ly;
		if (b->y > a->y + a->h / 2) { /* downwards */
			double x1 = a->x + a->w / 2, y1 = a->y + a->h, x2 = b->x + b->w / 2, y2 = b->y;
			snprintf(d, sizeof d, "M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", x1, y1, x1, y1 + GAP_Y / 2, x2,
			         y2 - GAP_Y / 2, x2, y2);
			lx = (x1 + x2) / 2;
			ly = (y1 + y2) / 2;
		} else { /* a loop or upwards: around the right side */
			double x1 = a->x + a->w, y1 = a->y + a->h / 2, x2 = b->x + b->w, y2 = b->y + b->h / 2;
			double bulge = (x1 > x2 ? x1 : x2) + 50;
			snprintf(d, sizeof d, "M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f", x1, y1, bulge, y1, bulge, y2, x2,
			         y2);
			lx = bulge - 12;
			ly = (y1 + y2) / 2;
		}
		edge_label(g, e, label, sizeof label);
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "from", g->s[e->from].name);
		cJSON_AddStringToObject(x, "to", g->s[e->to].name);
		cJSON_AddStringToObject(x, "kind", kind_name(e->kind));
		cJSON_AddStringToObject(x, "label", label);
		cJSON_AddStringToObject(x, "d", d);
		cJSON_AddNumberToObject(x, "lx", lx);
		cJSON_AddNumberToObject(x, "ly", ly);
		cJSON_AddItemToArray(edges, x);
	}
	mem_free(L.b);
	mem_free(L.sw);
	mem_free(L.sh);
	runner_graph_free(g);
	return out;
}

cJSON *runner_layouts(const runner_result *rs, size_t n)
{
	cJSON *out = cJSON_CreateObject();
	for (size_t i = 0; i < n; i++) {
		const char *p = rs[i].state_machine;
		if (!p || cJSON_GetObjectItemCaseSensitive(out, p))
			continue;
		size_t len;
		char *t = file_read(p, RUNNER_MAX_FILE, &len, NULL);
		cJSON *def = t ? cj_parse(t, len, NULL) : NULL;
		mem_free(t);
		if (def && cJSON_IsObject(def))
			cJSON_AddItemToObject(out, p, runner_layout(def));
		cJSON_Delete(def);
	}
	return out;
}
