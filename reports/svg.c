/* svg.c - a state machine layout drawn as SVG, with a scenario's path on it. */
#include <string.h>

#include "common/cj.h"
#include "reports/report.h"

static int in_path(const cJSON *path, const char *name)
{
	const cJSON *p;
	cJSON_ArrayForEach(p, path) if (cJSON_IsString(p) && !strcmp(p->valuestring, name)) return 1;
	return 0;
}

/* The scope number of state name in the layout, -1 if unknown. */
static int scope_of(const cJSON *layout, const char *name)
{
	const cJSON *s;
	cJSON_ArrayForEach(s, cj_arr(layout, "states")) if (!strcmp(cj_str(s, "name"), name)) return (int)cj_num(s, "scope", -1);
	return -1;
}

/* 1 when the path goes from a to b: b is the next state of a's scope
 * entered after a (states of inner scopes, a Map's iterations, between). */
static int step_in_path(const cJSON *layout, const cJSON *path, const char *a, const char *b)
{
	int sc = scope_of(layout, a);
	const cJSON *p;
	cJSON_ArrayForEach(p, path)
	{
		if (!cJSON_IsString(p) || strcmp(p->valuestring, a))
			continue;
		for (const cJSON *q = p->next; q; q = q->next) {
			if (!cJSON_IsString(q))
				continue;
			if (!strcmp(q->valuestring, b))
				return 1;
			if (scope_of(layout, q->valuestring) == sc)
				break;
		}
	}
	return 0;
}

/* The state an execution failed in: the last one it entered. */
static const char *failed_state(const runner_result *r)
{
	if (!r || !r->status || strcmp(r->status, "FAILED") || !r->path)
		return NULL;
	const cJSON *last = NULL, *p;
	cJSON_ArrayForEach(p, r->path) last = p;
	return last ? cJSON_GetStringValue(last) : NULL;
}

static void text(sb *out, const char *s)
{
	sb_cat_xml(out, s ? s : "", s ? strlen(s) : 0);
}

void report_svg(const cJSON *layout, const runner_result *r, sb *out)
{
	const cJSON *path = r ? r->path : NULL;
	const char *failed = failed_state(r);
	double w = cj_num(layout, "width", 200), h = cj_num(layout, "height", 100);
	sb_printf(out,
	          "<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
	          "height=\"%.0f\" role=\"img\">\n",
	          w, h, w, h);
	const cJSON *s;
	const char *start = cj_str(layout, "start");
	cJSON_ArrayForEach(s, cj_arr(layout, "states"))
	{
		const char *name = cj_str(s, "name");
		if (start && name && !strcmp(name, start)) {
			double cx = cj_num(s, "x", 0) + cj_num(s, "w", 0) / 2, y = cj_num(s, "y", 0);
			sb_printf(out, "<circle class=\"start\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\"/>", cx, y - 20);
			sb_printf(out, "<path class=\"edge%s\" d=\"M%.1f,%.1f L%.1f,%.1f\" marker-end=\"url(#sb-arrow)\"/>\n",
			          path && path->child ? " hit" : "", cx, y - 14, cx, y);
		}
	}
	cJSON_ArrayForEach(s, cj_arr(layout, "states"))
	{
		const char *name = cj_str(s, "name"), *type = cj_str(s, "type");
		int container = cj_bool(s, "container", 0);
		double x = cj_num(s, "x", 0), y = cj_num(s, "y", 0), sw = cj_num(s, "w", 0), sh = cj_num(s, "h", 0);
		sb_printf(out, "<g class=\"state %s%s%s%s\" data-name=\"", type ? type : "",
		          container ? " container" : "", name && in_path(path, name) ? " hit" : "",
		          name && failed && !strcmp(name, failed) ? " failed" : "");
		text(out, name);
		sb_printf(out, "\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\"/>", x, y, sw, sh);
		double ty = container ? y + 18 : y + sh / 2 + 4;
		sb_printf(out, "<text x=\"%.1f\" y=\"%.1f\">", x + sw / 2, ty);
		text(out, name);
		sb_printf(out, "</text><text class=\"type\" x=\"%.1f\" y=\"%.1f\">", x + sw - 6, y + 11);
		text(out, type);
		sb_cat(out, "</text><title>");
		text(out, name);
		sb_cat(out, " (");
		text(out, type);
		sb_cat(out, ")</title></g>\n");
	}
	const cJSON *e;
	cJSON_ArrayForEach(e, cj_arr(layout, "edges"))
	{
		const char *from = cj_str(e, "from"), *to = cj_str(e, "to"), *kind = cj_str(e, "kind");
		int hit = from && to && step_in_path(layout, path, from, to);
		sb_printf(out, "<path class=\"edge %s%s\" d=\"", kind ? kind : "", hit ? " hit" : "");
		text(out, cj_str(e, "d"));
		sb_cat(out, "\" marker-end=\"url(#sb-arrow)\"/>");
		const char *label = cj_str(e, "label");
		if (label && *label) {
			sb_printf(out, "<text class=\"elabel\" x=\"%.1f\" y=\"%.1f\">", cj_num(e, "lx", 0), cj_num(e, "ly", 0));
			text(out, label);
			sb_cat(out, "</text>");
		}
		sb_catc(out, '\n');
	}
	sb_cat(out, "</svg>\n");
}
