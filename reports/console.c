/* console.c - one line per scenario, the failure text under it, a summary. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cj.h"
#include "reports/report.h"

#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_DIM "\033[2m"
#define C_OFF "\033[0m"

int report_color_default(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return 0;
	return isatty(fileno(f));
}

static const char *paint(const report_console *c, const char *code)
{
	return c->color ? code : "";
}

void report_console_result(const report_console *c, const runner_result *r)
{
	static const char *const word[] = {"PASS ", "FAIL ", "ERROR"};
	static const char *const colour[] = {C_GREEN, C_RED, C_YELLOW};
	if (c->quiet && r->outcome == RUNNER_PASS)
		return;
	fprintf(c->f, "%s%s%s %s  %s %s(%.0f ms)%s\n", paint(c, colour[r->outcome]), word[r->outcome], paint(c, C_OFF),
	        r->file, r->name, paint(c, C_DIM), r->seconds * 1000.0, paint(c, C_OFF));
	sb t = SB_INIT;
	if (r->outcome != RUNNER_PASS)
		report_failure_text(r, &t);
	else if (c->verbose && r->path) {
		sb_cat(&t, "path taken: ");
		report_path_text(r->path, &t);
		sb_catc(&t, '\n');
	}
	/* indent the text under its line */
	const char *p = sb_str(&t);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(c->f, "      %.*s\n", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
	sb_free(&t);
}

void report_console_summary(const report_console *c, const runner_result *v, size_t n, double seconds)
{
	size_t k[3] = {0, 0, 0};
	for (size_t i = 0; i < n; i++)
		k[v[i].outcome]++;
	fprintf(c->f, "\n%zu scenario%s: ", n, n == 1 ? "" : "s");
	fprintf(c->f, "%s%zu passed%s", paint(c, k[RUNNER_PASS] == n ? C_GREEN : ""), k[RUNNER_PASS],
	        paint(c, C_OFF));
	if (k[RUNNER_FAIL])
		fprintf(c->f, ", %s%zu failed%s", paint(c, C_RED), k[RUNNER_FAIL], paint(c, C_OFF));
	if (k[RUNNER_ERROR])
		fprintf(c->f, ", %s%zu %s%s", paint(c, C_YELLOW), k[RUNNER_ERROR],
		        k[RUNNER_ERROR] == 1 ? "error" : "errors", paint(c, C_OFF));
	fprintf(c->f, " (%.3f s)\n", seconds);
}

static void cell(FILE *f, const cJSON *m, const char *part)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(m, part);
	char t[32];
	snprintf(t, sizeof t, "%d/%d", (int)cj_num(p, "covered", 0), (int)cj_num(p, "total", 0));
	fprintf(f, "  %8s", t);
}

void report_console_coverage(const report_console *c, const cJSON *coverage)
{
	if (!cJSON_GetArraySize(coverage))
		return;
	size_t w = strlen("workflow coverage");
	const cJSON *m;
	cJSON_ArrayForEach(m, coverage)
	{
		const char *sm = cj_str(m, "stateMachine");
		if (sm && strlen(sm) > w)
			w = strlen(sm);
	}
	fprintf(c->f, "\n%-*s  %8s  %8s  %8s  %8s  %7s\n", (int)w, "workflow coverage", "states", "choices", "retries",
	        "catches", "total");
	cJSON_ArrayForEach(m, coverage)
	{
		double pct = cj_num(m, "percent", 0);
		fprintf(c->f, "%-*s", (int)w, cj_str(m, "stateMachine") ? cj_str(m, "stateMachine") : "?");
		cell(c->f, m, "states");
		cell(c->f, m, "choices");
		cell(c->f, m, "retries");
		cell(c->f, m, "catches");
		fprintf(c->f, "  %s%6.1f%%%s\n", paint(c, pct >= 100 ? C_GREEN : C_YELLOW), pct, paint(c, C_OFF));
	}
	cJSON_ArrayForEach(m, coverage)
	{
		const cJSON *miss = cj_arr(m, "missing");
		if (!cJSON_GetArraySize(miss))
			continue;
		fprintf(c->f, "not covered in %s:\n", cj_str(m, "stateMachine"));
		const cJSON *x;
		cJSON_ArrayForEach(x, miss) fprintf(c->f, "  %s\n", x->valuestring);
	}
}
