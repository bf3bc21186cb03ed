/* console.c - one line per scenario, the failure text under it, a summary. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
