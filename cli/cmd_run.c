/* cmd_run.c - `stepbench run`: find scenario files, run each, report. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cmd.h"
#include "common/mem.h"
#include "reports/report.h"
#include "runner/run.h"
#include "runner/scenario.h"

/* run [PATH...] [--junit FILE]
 * Exit 0 when every scenario passed, 1 when one failed, 2 on bad usage or a
 * file that cannot be read or is invalid. */

static void usage(FILE *f)
{
	fprintf(f, "usage: stepbench run [PATH...] [--junit FILE]\n"
	           "  PATH         a scenario file, or a folder searched for *.scenario.json (default: scenarios)\n"
	           "  --junit FILE write a JUnit XML report to FILE\n");
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct results {
	runner_result *v;
	size_t n, cap;
} results;

static runner_result *results_next(results *rs)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 16;
		rs->v = mem_realloc(rs->v, rs->cap * sizeof *rs->v);
	}
	runner_result *r = &rs->v[rs->n++];
	memset(r, 0, sizeof *r);
	r->index = (int)rs->n - 1;
	return r;
}

int cmd_run(int argc, char **argv)
{
	const char *junit = NULL;
	const char **paths = mem_calloc((size_t)argc + 1, sizeof *paths);
	size_t npaths = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--junit") && i + 1 < argc) {
			junit = argv[++i];
		} else if (!strncmp(argv[i], "--junit=", 8)) {
			junit = argv[i] + 8;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			mem_free(paths);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "stepbench run: unknown option '%s'\n", argv[i]);
			usage(stderr);
			mem_free(paths);
			return 2;
		} else {
			paths[npaths++] = argv[i];
		}
	}
	if (!npaths)
		paths[npaths++] = "scenarios";

	double t0 = now_s();
	char **files = NULL;
	size_t nfiles = 0;
	sb err = SB_INIT;
	int bad = runner_discover(paths, npaths, &files, &nfiles, &err) != 0;
	if (bad)
		fprintf(stderr, "%s", sb_str(&err));
	sb_clear(&err);
	if (!nfiles && !bad) {
		fprintf(stderr, "stepbench run: no *.scenario.json files found\n");
		bad = 1;
	}

	report_console con = {.f = stdout, .color = report_color_default(stdout)};
	results rs = {0};
	runner_ctx *ctx = runner_ctx_new();
	for (size_t i = 0; i < nfiles; i++) {
		runner_file *f = runner_file_load(files[i], &err);
		if (!f) {
			runner_result *r = results_next(&rs);
			runner_result_file_error(r, files[i], sb_str(&err));
			report_console_result(&con, r);
			sb_clear(&err);
			continue;
		}
		for (size_t k = 0; k < f->n; k++) {
			runner_result *r = results_next(&rs);
			int idx = r->index;
			runner_run(ctx, &f->v[k], r);
			r->index = idx;
			report_console_result(&con, r);
		}
		runner_file_free(f);
		fflush(stdout);
	}
	runner_ctx_free(ctx);
	double secs = now_s() - t0;
	report_console_summary(&con, rs.v, rs.n, secs);

	if (junit && report_junit_write(junit, rs.v, rs.n, secs, &err)) {
		fprintf(stderr, "stepbench run: cannot write the JUnit report: %s\n", sb_str(&err));
		bad = 1;
	}
	int failed = 0;
	for (size_t i = 0; i < rs.n; i++) {
		if (rs.v[i].outcome == RUNNER_ERROR)
			bad = 1;
		else if (rs.v[i].outcome == RUNNER_FAIL)
			failed = 1;
		runner_result_clear(&rs.v[i]);
	}
	mem_free(rs.v);
	for (size_t i = 0; i < nfiles; i++)
		mem_free(files[i]);
	mem_free(files);
	mem_free(paths);
	sb_free(&err);
	return bad ? 2 : failed ? 1 : 0;
}
