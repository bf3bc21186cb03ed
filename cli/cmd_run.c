/* cmd_run.c - `stepbench run`: find scenario files, select, run (in workers), report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "common/cj.h"
#include "common/file.h"
#include "common/mem.h"
#include "reports/report.h"
#include "runner/batch.h"
#include "runner/coverage.h"
#include "runner/permcheck.h"
#include "runner/layout.h"
#include "runner/mockcfg.h"
#include "runner/record.h"
#include "runner/run.h"
#include "runner/scenario.h"

/* run [PATH...] [options]
 * Exit 0 when every scenario passed (and coverage reached --min-coverage),
 * 1 when one failed, 2 on bad usage or a file that cannot be read or is
 * invalid. */

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: stepbench run [PATH...] [options]\n"
	        "  PATH                 a scenario file, or a folder searched for *.scenario.json (default: scenarios)\n"
	        "  --junit FILE         write a JUnit XML report\n"
	        "  --html FILE          write a self-contained HTML report\n"
	        "  --json FILE          write the results as JSON\n"
	        "  -j, --jobs N         run in N worker processes (default 1)\n"
	        "  --shard K/N          run only shard K of N (a deterministic split, for CI matrices)\n"
	        "  --filter TEXT        only scenarios whose name contains TEXT, or tagged T with tag:T (repeatable)\n"
	        "  --fail-fast          start nothing new after the first failure\n"
	        "  --record             fill each scenario's missing expectations from what happened\n"
	        "  --min-coverage N     fail unless every state machine's workflow coverage is at least N%%\n"
	        "  --check-policy       check each declared role: permissions denied (fail the run unless the\n"
	        "                       scenario expects the error), and grants no scenario used (warnings)\n"
	        "  --mock-config FILE   run the test cases of a Step Functions Local MockConfigFile.json,\n"
	        "  --state-machine NAME=PATH   with the definition of each of its state machines\n"
	        "  --input FILE         the input of those executions (default {})\n"
	        "  -q, --quiet          print only failures and the summary\n"
	        "  -v, --verbose        also print the path every scenario took\n");
}

typedef struct run_args {
	const char **paths;
	size_t npaths;
	const char *junit, *html, *json, *mock_config, *input;
	const char **filters;
	size_t nfilters;
	const char **machines;
	int nmachines;
	int jobs, shard_k, shard_n, fail_fast, record, quiet, verbose, check_policy;
	double min_coverage; /* < 0: none */
} run_args;

/* -1 on bad usage (message printed). */
static int parse_args(int argc, char **argv, run_args *a)
{
	a->paths = mem_calloc((size_t)argc + 1, sizeof *a->paths);
	a->filters = mem_calloc((size_t)argc + 1, sizeof *a->filters);
	a->machines = mem_calloc((size_t)argc + 1, sizeof *a->machines);
	a->jobs = 1;
	a->min_coverage = -1;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define VALUE()                                                                                   \
	do {                                                                                          \
		if (!v) {                                                                                 \
			fprintf(stderr, "stepbench run: %s needs a value\n", o);                              \
			return -1;                                                                            \
		}                                                                                         \
		i++;                                                                                      \
	} while (0)
		if (!strcmp(o, "--junit")) {
			VALUE();
			a->junit = v;
		} else if (!strcmp(o, "--html")) {
			VALUE();
			a->html = v;
		} else if (!strcmp(o, "--json")) {
			VALUE();
			a->json = v;
		} else if (!strcmp(o, "-j") || !strcmp(o, "--jobs")) {
			VALUE();
			char *e;
			long n = strtol(v, &e, 10);
			if (*e || n < 1 || n > 256) {
				fprintf(stderr, "stepbench run: -j takes a number of workers from 1 to 256\n");
				return -1;
			}
			a->jobs = (int)n;
		} else if (!strcmp(o, "--shard")) {
			VALUE();
			if (sscanf(v, "%d/%d", &a->shard_k, &a->shard_n) != 2 || a->shard_n < 1 || a->shard_k < 1 ||
			    a->shard_k > a->shard_n) {
				fprintf(stderr, "stepbench run: --shard takes K/N with 1 <= K <= N, such as 2/4\n");
				return -1;
			}
		} else if (!strcmp(o, "--filter")) {
			VALUE();
			a->filters[a->nfilters++] = v;
		} else if (!strcmp(o, "--fail-fast")) {
			a->fail_fast = 1;
		} else if (!strcmp(o, "--record")) {
			a->record = 1;
		} else if (!strcmp(o, "--check-policy")) {
			a->check_policy = 1;
		} else if (!strcmp(o, "--min-coverage")) {
			VALUE();
			char *e;
			a->min_coverage = strtod(v, &e);
			if (*e == '%')
				e++;
			if (*e || a->min_coverage < 0 || a->min_coverage > 100) {
				fprintf(stderr, "stepbench run: --min-coverage takes a percentage from 0 to 100\n");
				return -1;
			}
		} else if (!strcmp(o, "--mock-config")) {
			VALUE();
			a->mock_config = v;
		} else if (!strcmp(o, "--state-machine")) {
			VALUE();
			a->machines[a->nmachines++] = v;
		} else if (!strcmp(o, "--input")) {
			VALUE();
			a->input = v;
		} else if (!strcmp(o, "-q") || !strcmp(o, "--quiet")) {
			a->quiet = 1;
		} else if (!strcmp(o, "-v") || !strcmp(o, "--verbose")) {
			a->verbose = 1;
		} else if (o[0] == '-' && o[1]) {
			fprintf(stderr, "stepbench run: unknown option '%s'\n", o);
			return -1;
		} else {
			a->paths[a->npaths++] = o;
		}
#undef VALUE
	}
	if (a->mock_config && !a->nmachines) {
		fprintf(stderr, "stepbench run: --mock-config needs --state-machine NAME=path.asl.json\n");
		return -1;
	}
	if ((a->nmachines || a->input) && !a->mock_config) {
		fprintf(stderr, "stepbench run: --state-machine and --input go with --mock-config\n");
		return -1;
	}
	if (!a->npaths && !a->mock_config)
		a->paths[a->npaths++] = "scenarios";
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- printing results as they come, in order ------------------------------- */

typedef struct printer {
	report_console con;
	size_t done, total;
	int progress; /* a counter on stderr, for long runs on a terminal */
} printer;

static void on_result(void *ctx, const runner_result *r)
{
	printer *p = ctx;
	p->done++;
	if (p->progress)
		fprintf(stderr, "\r\033[K");
	report_console_result(&p->con, r);
	fflush(p->con.f);
	if (p->progress && p->done < p->total)
		fprintf(stderr, "[%zu/%zu]", p->done, p->total);
}

/* ---- loading ------------------------------------------------------------ */

typedef struct loaded {
	runner_file **files; /* NULL where a file did not load */
	char **paths;
	char **problems;
	size_t n;
} loaded;

static void load_one(loaded *L, runner_batch *b, const char *path, runner_file *f, const char *problems)
{
	L->files = mem_realloc(L->files, (L->n + 1) * sizeof *L->files);
	L->paths = mem_realloc(L->paths, (L->n + 1) * sizeof *L->paths);
	L->problems = mem_realloc(L->problems, (L->n + 1) * sizeof *L->problems);
	L->files[L->n] = f;
	L->paths[L->n] = mem_strdup(path);
	L->problems[L->n] = f ? NULL : mem_strdup(problems);
	if (f)
		for (size_t k = 0; k < f->n; k++)
			runner_batch_add(b, &f->v[k], f->path, NULL);
	else
		runner_batch_add(b, NULL, L->paths[L->n], L->problems[L->n]);
	L->n++;
}

static void loaded_free(loaded *L)
{
	for (size_t i = 0; i < L->n; i++) {
		runner_file_free(L->files[i]);
		mem_free(L->paths[i]);
		mem_free(L->problems[i]);
	}
	mem_free(L->files);
	mem_free(L->paths);
	mem_free(L->problems);
}

/* The MockConfigFile's test cases as one suite, loaded as if from the config file. -1 when it is invalid. */
static int load_mock_config(const run_args *a, loaded *L, runner_batch *b)
{
	cJSON *input = NULL;
	sb err = SB_INIT;
	if (a->input) {
		size_t len;
		char *t = file_read(a->input, RUNNER_MAX_FILE, &len, &err);
		cj_doc *d = t ? cj_doc_parse(t, len, a->input, &err) : NULL;
		mem_free(t);
		if (!d) {
			fprintf(stderr, "%s\n", sb_str(&err));
			sb_free(&err);
			return -1;
		}
		input = cj_doc_detach(d);
		cj_doc_free(d);
	}
	char *suite = runner_mockcfg_suite(a->mock_config, a->machines, a->nmachines, input, &err);
	cJSON_Delete(input);
	runner_file *f = suite ? runner_file_parse(suite, strlen(suite), a->mock_config, &err) : NULL;
	mem_free(suite);
	if (!f) {
		fprintf(stderr, "%s", sb_str(&err));
		sb_free(&err);
		return -1;
	}
	sb_free(&err);
	load_one(L, b, a->mock_config, f, NULL);
	return 0;
}

/* Rewrite the files --record added expectations to. */
static int write_recorded(const loaded *L)
{
	int rc = 0;
	for (size_t i = 0; i < L->n; i++) {
		runner_file *f = L->files[i];
		if (!f || !f->dirty)
			continue;
		sb text = SB_INIT, err = SB_INIT;
		runner_json_pretty(cj_doc_root(f->doc), &text);
		sb_catc(&text, '\n');
		if (file_write(f->path, text.buf, text.len, &err)) {
			fprintf(stderr, "stepbench run: cannot record into %s\n", sb_str(&err));
			rc = -1;
		} else {
			printf("recorded expectations into %s\n", f->path);
		}
		sb_free(&text);
		sb_free(&err);
	}
	return rc;
}

/* ---- --check-policy ----------------------------------------------------- */

/* The role check after the summary: per role, what it lacks and what it
 * grants beyond what its scenarios used. */
static void print_policy_check(runner_result *rs, size_t k, size_t *failing)
{
	cJSON *rep = runner_policy_check(rs, k, failing);
	size_t without = 0;
	for (size_t i = 0; i < k; i++)
		without += rs[i].calls && !rs[i].role;
	printf("\npolicy check\n");
	if (!rep->child)
		printf("  no scenario declares a role: nothing to check\n");
	const cJSON *g;
	cJSON_ArrayForEach(g, rep)
	{
		int n = cJSON_GetArraySize(cj_arr(g, "scenarios"));
		printf("  role %s (%d scenario%s)\n", cj_str(g, "role"), n, n == 1 ? "" : "s");
		const cJSON *x;
		cJSON_ArrayForEach(x, cj_arr(g, "missing"))
		{
			int expected = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "expected"));
			printf("    %s  %s on %s: denied in '%s'%s\n", expected ? "denied " : "MISSING", cj_str(x, "action"),
			       cj_str(x, "resource"), cj_str(x, "scenario"),
			       expected ? " (the scenario expects the error)" : "");
		}
		cJSON_ArrayForEach(x, cj_arr(g, "unused")) printf("    unused   %s\n", cj_str(x, "message"));
		cJSON_ArrayForEach(x, cj_arr(g, "broad")) printf("    broad    %s\n", cj_str(x, "message"));
		if (!cj_arr(g, "missing")->child && !cj_arr(g, "unused")->child && !cj_arr(g, "broad")->child)
			printf("    ok: it grants exactly what its scenarios used\n");
	}
	if (without)
		printf("  %zu scenario%s declare%s no role (nothing enforced or checked)\n", without, without == 1 ? "" : "s",
		       without == 1 ? "s" : "");
	if (*failing)
		printf("%zu permission%s missing from declared roles\n", *failing, *failing == 1 ? " is" : "s are");
	cJSON_Delete(rep);
}

/* ---- the command -------------------------------------------------------- */

int cmd_run(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
	run_args a = {0};
	if (parse_args(argc, argv, &a)) {
		usage(stderr);
		mem_free(a.paths);
		mem_free(a.filters);
		mem_free(a.machines);
		return 2;
	}
	double t0 = now_s();
	int bad = 0;
	loaded L = {0};
	runner_batch b = {0};
	sb err = SB_INIT;
	if (a.mock_config && load_mock_config(&a, &L, &b))
		bad = 1;
	if (a.npaths) {
		char **files = NULL;
		size_t nfiles = 0;
		if (runner_discover(a.paths, a.npaths, &files, &nfiles, &err)) {
			fprintf(stderr, "%s", sb_str(&err));
			bad = 1;
		}
		if (!nfiles && !bad) {
			fprintf(stderr, "stepbench run: no *.scenario.json files found\n");
			bad = 1;
		}
		for (size_t i = 0; i < nfiles; i++) {
			sb_clear(&err);
			runner_file *f = runner_file_load(files[i], &err);
			load_one(&L, &b, files[i], f, sb_str(&err));
			mem_free(files[i]);
		}
		mem_free(files);
	}
	runner_batch_filter(&b, a.filters, a.nfilters);
	if (a.shard_n)
		runner_batch_shard(&b, a.shard_k, a.shard_n);

	printer pr = {.con = {.f = stdout, .color = report_color_default(stdout), .verbose = a.verbose, .quiet = a.quiet},
	              .total = b.n};
	pr.progress = b.n > 50 && isatty(fileno(stderr));
	runner_batch_opts bo = {.jobs = a.jobs, .fail_fast = a.fail_fast, .record = a.record,
	                        .keep_world = a.html || a.json, .on_result = on_result, .ctx = &pr};
	runner_result *rs = mem_calloc(b.n + 1, sizeof *rs);
	size_t ran = runner_batch_run(&b, &bo, rs);
	if (pr.progress)
		fprintf(stderr, "\r\033[K");
	double secs = now_s() - t0;

	/* the results that ran, in order, for the reports */
	size_t k = 0;
	for (size_t i = 0; i < b.n; i++)
		if (rs[i].file)
			rs[k++] = rs[i];
	report_console_summary(&pr.con, rs, k, secs);
	if (ran < b.n)
		fprintf(stdout, "stopped after the first failure (--fail-fast): %zu scenario%s not run\n", b.n - ran,
		        b.n - ran == 1 ? "" : "s");

	runner_coverage *cov = runner_coverage_new();
	for (size_t i = 0; i < k; i++)
		if (rs[i].state_machine)
			runner_coverage_add(cov, rs[i].state_machine, rs[i].history);
	cJSON *covj = runner_coverage_json(cov);
	runner_coverage_free(cov);
	if (!a.quiet || a.min_coverage >= 0)
		report_console_coverage(&pr.con, covj);
	int low = 0;
	const cJSON *m;
	cJSON_ArrayForEach(m, covj) if (a.min_coverage >= 0 && cj_num(m, "percent", 0) < a.min_coverage) low = 1;
	if (low)
		printf("workflow coverage is below --min-coverage %g%%\n", a.min_coverage);
	size_t denied = 0;
	if (a.check_policy)
		print_policy_check(rs, k, &denied);

	if (a.junit && report_junit_write(a.junit, rs, k, secs, &err)) {
		fprintf(stderr, "stepbench run: cannot write the JUnit report: %s\n", sb_str(&err));
		bad = 1;
	}
	if (a.json && report_json_write(a.json, rs, k, secs, covj, &err)) {
		fprintf(stderr, "stepbench run: cannot write the JSON report: %s\n", sb_str(&err));
		bad = 1;
	}
	if (a.html) {
		cJSON *layouts = runner_layouts(rs, k);
		if (report_html_write(a.html, rs, k, secs, covj, layouts, &err)) {
			fprintf(stderr, "stepbench run: cannot write the HTML report: %s\n", sb_str(&err));
			bad = 1;
		}
		cJSON_Delete(layouts);
	}
	if (a.record && write_recorded(&L))
		bad = 1;
	cJSON_Delete(covj);

	int failed = low || denied;
	for (size_t i = 0; i < k; i++) {
		if (rs[i].outcome == RUNNER_ERROR)
			bad = 1;
		else if (rs[i].outcome == RUNNER_FAIL)
			failed = 1;
		runner_result_clear(&rs[i]);
	}
	mem_free(rs);
	runner_batch_free(&b);
	loaded_free(&L);
	mem_free(a.paths);
	mem_free(a.filters);
	mem_free(a.machines);
	sb_free(&err);
	return bad ? 2 : failed ? 1 : 0;
}
