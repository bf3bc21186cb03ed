/* html.c - one self-contained HTML file: summary, coverage, and per scenario graph, diff, timeline, world. */
#include <string.h>

#include "common/cj.h"
#include "reports/report.h"

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d232a;background:#f5f6f8}"
	"header{background:#1d232a;color:#fff;padding:14px 24px;display:flex;align-items:center;gap:24px}"
	"header h1{font-size:18px;margin:0}header .summary{margin:0;flex:1}"
	"nav button{background:#39424c;color:#fff;border:0;padding:6px 12px;border-radius:4px;cursor:pointer;margin-left:6px}"
	"nav button.on{background:#5b8def}"
	"main,section.coverage{padding:8px 24px}"
	"article{background:#fff;border:1px solid #dde1e6;border-left:6px solid #2e7d32;border-radius:6px;margin:12px 0;"
	"padding:10px 16px}"
	"article.fail{border-left-color:#c62828}article.error{border-left-color:#ef6c00}"
	"article h2{font-size:15px;margin:4px 0;cursor:pointer}article h2 small{color:#68717a;font-weight:normal;"
	"margin-left:8px}"
	".badge{display:inline-block;min-width:44px;text-align:center;border-radius:3px;color:#fff;font-size:12px;"
	"padding:1px 6px;margin-right:8px;background:#2e7d32}"
	".fail .badge{background:#c62828}.error .badge{background:#ef6c00}"
	"article.hidden{display:none}.body{display:none}article.open .body{display:block}"
	"pre{background:#f5f6f8;border:1px solid #e3e6ea;padding:8px;overflow:auto;font-size:12px;max-height:420px}"
	"pre.diff{background:#fff5f5;border-color:#f3c6c6}"
	"h3{font-size:13px;margin:14px 0 4px;color:#39424c}"
	"table{border-collapse:collapse;font-size:13px}td,th{padding:3px 10px;border-bottom:1px solid #e3e6ea;"
	"text-align:left}"
	"td.num{text-align:right;font-variant-numeric:tabular-nums}"
	".graphbox{overflow:auto;border:1px solid #e3e6ea;background:#fcfcfd;padding:6px}"
	"svg.graph .state rect{fill:#fff;stroke:#9aa3ad;stroke-width:1.2}"
	"svg.graph .state.container rect{fill:#f3f5f8;stroke-dasharray:4 3}"
	"svg.graph .state.hit rect{fill:#d7f5dd;stroke:#2e7d32;stroke-width:2}"
	"svg.graph .state.failed rect{fill:#fde0e0;stroke:#c62828;stroke-width:2.5}"
	"svg.graph .state.Choice rect{rx:18}"
	"svg.graph text{font:12px system-ui,sans-serif;text-anchor:middle;fill:#1d232a}"
	"svg.graph text.type{font-size:9px;text-anchor:end;fill:#68717a}"
	"svg.graph text.elabel{font-size:10px;fill:#68717a}"
	"svg.graph .edge{fill:none;stroke:#9aa3ad;stroke-width:1.3}"
	"svg.graph .edge.catch{stroke-dasharray:5 3}"
	"svg.graph .edge.hit{stroke:#2e7d32;stroke-width:2.5}"
	"svg.graph circle.start{fill:#1d232a}";

static const char script[] =
	"(function(){"
	"var arts=document.querySelectorAll('article');"
	"arts.forEach(function(a){a.querySelector('h2').addEventListener('click',function(){"
	"a.classList.toggle('open');});});"
	"document.querySelectorAll('nav button[data-filter]').forEach(function(b){b.addEventListener('click',function(){"
	"var f=b.getAttribute('data-filter');"
	"document.querySelectorAll('nav button[data-filter]').forEach(function(x){x.classList.toggle('on',x===b);});"
	"arts.forEach(function(a){a.classList.toggle('hidden',f==='failed'&&a.classList.contains('pass'));});"
	"});});"
	"var ex=document.getElementById('expand');"
	"ex.addEventListener('click',function(){var o=ex.textContent==='Expand all';"
	"arts.forEach(function(a){a.classList.toggle('open',o);});ex.textContent=o?'Collapse all':'Expand all';});"
	"if(location.hash==='#open')ex.click();"
	"document.body.setAttribute('data-graphs',String(document.querySelectorAll('svg.graph g.state').length));"
	"document.body.setAttribute('data-ready','yes');"
	"})();";

static void esc(sb *out, const char *s)
{
	sb_cat_xml(out, s ? s : "", s ? strlen(s) : 0);
}

static void pre_json(sb *out, const char *cls, const cJSON *v)
{
	char *t = cJSON_Print(v);
	sb_printf(out, "<pre class=\"%s\">", cls);
	esc(out, t);
	sb_cat(out, "</pre>\n");
	cJSON_free(t);
}

static void coverage_table(sb *out, const cJSON *coverage)
{
	if (!cJSON_GetArraySize(coverage))
		return;
	sb_cat(out, "<section class=\"coverage\"><h3>Workflow coverage</h3><table><tr><th>state machine</th>"
	            "<th>states</th><th>choices</th><th>retries</th><th>catches</th><th>total</th><th>not covered</th>"
	            "</tr>\n");
	const cJSON *m;
	static const char *const parts[] = {"states", "choices", "retries", "catches"};
	cJSON_ArrayForEach(m, coverage)
	{
		sb_cat(out, "<tr><td>");
		esc(out, cj_str(m, "stateMachine"));
		sb_cat(out, "</td>");
		for (int i = 0; i < 4; i++) {
			const cJSON *p = cJSON_GetObjectItemCaseSensitive(m, parts[i]);
			sb_printf(out, "<td class=\"num\">%d/%d</td>", (int)cj_num(p, "covered", 0), (int)cj_num(p, "total", 0));
		}
		sb_printf(out, "<td class=\"num\">%.1f%%</td><td>", cj_num(m, "percent", 0));
		const cJSON *x;
		int first = 1;
		cJSON_ArrayForEach(x, cj_arr(m, "missing"))
		{
			if (!first)
				sb_cat(out, "; ");
			esc(out, x->valuestring);
			first = 0;
		}
		sb_cat(out, "</td></tr>\n");
	}
	sb_cat(out, "</table></section>\n");
}

static void scenario(sb *out, const runner_result *r, size_t i, const cJSON *layouts)
{
	static const char *const cls[] = {"pass", "fail", "error"};
	static const char *const word[] = {"PASS", "FAIL", "ERROR"};
	sb_printf(out, "<article class=\"%s%s\" id=\"s%zu\"><h2><span class=\"badge\">%s</span>", cls[r->outcome],
	          r->outcome != RUNNER_PASS ? " open" : "", i, word[r->outcome]);
	esc(out, r->name);
	sb_cat(out, "<small>");
	esc(out, r->file);
	sb_printf(out, " &middot; %.0f ms", r->seconds * 1000.0);
	if (r->status) {
		sb_cat(out, " &middot; ");
		esc(out, r->status);
	}
	sb_cat(out, "</small></h2><div class=\"body\">\n");
	const cJSON *layout = r->state_machine ? cJSON_GetObjectItemCaseSensitive(layouts, r->state_machine) : NULL;
	if (layout) {
		sb_cat(out, "<h3>");
		esc(out, r->state_machine);
		sb_cat(out, "</h3><div class=\"graphbox\">");
		report_svg(layout, r, out);
		sb_cat(out, "</div>\n");
	}
	sb t = SB_INIT;
	report_failure_text(r, &t);
	if (t.len) {
		sb_cat(out, "<h3>What went wrong</h3><pre class=\"diff\">");
		esc(out, sb_str(&t));
		sb_cat(out, "</pre>\n");
	}
	sb_clear(&t);
	if (r->path) {
		report_path_text(r->path, &t);
		sb_cat(out, "<h3>Path taken</h3><p>");
		esc(out, sb_str(&t));
		sb_cat(out, "</p>\n");
	}
	sb_clear(&t);
	report_timeline_text(r, &t);
	if (t.len) {
		sb_cat(out, "<h3>Timeline (virtual time)</h3><pre class=\"timeline\">");
		esc(out, sb_str(&t));
		sb_cat(out, "</pre>\n");
	}
	sb_free(&t);
	if (r->output) {
		sb_cat(out, "<h3>Output</h3>");
		pre_json(out, "output", r->output);
	}
	static const char *const parts[][2] = {{"dynamodb", "DynamoDB items"}, {"sqs", "SQS messages"},
	                                       {"lambda", "Lambda invocations"}};
	for (int k = 0; k < 3 && r->world; k++) {
		const cJSON *w = cJSON_GetObjectItemCaseSensitive(r->world, parts[k][0]);
		if (!w || !w->child)
			continue;
		sb_printf(out, "<h3>%s</h3>", parts[k][1]);
		pre_json(out, parts[k][0], w);
	}
	sb_cat(out, "</div></article>\n");
}

void report_html(const runner_result *v, size_t n, double seconds, const cJSON *coverage, const cJSON *layouts,
                 sb *out)
{
	size_t k[3] = {0, 0, 0};
	for (size_t i = 0; i < n; i++)
		k[v[i].outcome]++;
	sb_cat(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	            "<title>stepbench report</title>\n"
	            /* first, so an error in anything after it is recorded */
	            "<script>window.addEventListener('error',function(e){document.documentElement.setAttribute("
	            "'data-error',String(e.message));});</script>\n<style>");
	sb_cat(out, css);
	sb_cat(out, "</style></head>\n<body>\n"
	            "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>"
	            "<marker id=\"sb-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" "
	            "markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#68717a\"/>"
	            "</marker></defs></svg>\n");
	sb_printf(out, "<header><h1>stepbench</h1><p class=\"summary\">%zu scenario%s: %zu passed", n, n == 1 ? "" : "s",
	          k[RUNNER_PASS]);
	if (k[RUNNER_FAIL])
		sb_printf(out, ", %zu failed", k[RUNNER_FAIL]);
	if (k[RUNNER_ERROR])
		sb_printf(out, ", %zu %s", k[RUNNER_ERROR], k[RUNNER_ERROR] == 1 ? "error" : "errors");
	sb_printf(out, " (%.3f s)</p><nav><button class=\"on\" data-filter=\"all\">All</button>"
	               "<button data-filter=\"failed\">Failed</button><button id=\"expand\">Expand all</button></nav></header>\n",
	          seconds);
	coverage_table(out, coverage);
	sb_cat(out, "<main>\n");
	for (size_t i = 0; i < n; i++)
		scenario(out, &v[i], i, layouts);
	sb_cat(out, "</main>\n<script>");
	sb_cat(out, script);
	sb_cat(out, "</script>\n</body></html>\n");
}

int report_html_write(const char *path, const runner_result *v, size_t n, double seconds, const cJSON *coverage,
                      const cJSON *layouts, sb *err)
{
	sb text = SB_INIT;
	report_html(v, n, seconds, coverage, layouts, &text);
	int rc = report_write_file(path, &text, err);
	sb_free(&text);
	return rc;
}
