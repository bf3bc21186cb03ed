/* bench.c - engine throughput: state transitions per second.
 *
 *   bench [SECONDS]   (default 3 seconds per scenario)
 *   bench --dump DIR  write each scenario's definition and input to DIR
 *                     (NAME.asl.json, NAME.input.json) for the peers
 *
 * Scenarios (all on a virtual clock, no services):
 *   chain-jsonpath  100 states alternating Pass (Parameters with a path and an
 *                   intrinsic) and Choice (NumericLessThan), JSONPath
 *   chain-jsonata   the same chain in JSONata (Output, Condition)
 *   map-10000       a Distributed Map over 10,000 items (an inline Map of that
 *                   size exceeds AWS's 25,000-event history quota), each
 *                   iteration an ItemSelector and one Pass state
 *   map-inline-5000 an inline Map over 5,000 items, each iteration one Pass
 * A transition is a state entered, iterations' states included. Each
 * scenario runs whole executions back to back for SECONDS and reports
 * transitions/s and executions/s. Output: one line per scenario, then a
 * machine-readable JSON line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/mem.h"
#include "common/sb.h"
#include "engine/engine.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *chain(int jsonata)
{
	sb b = SB_INIT;
	sb_printf(&b, "{%s\"StartAt\": \"S0\", \"States\": {", jsonata ? "\"QueryLanguage\": \"JSONata\", " : "");
	for (int i = 0; i < 100; i++) {
		const char *next = i == 99 ? NULL : "";
		if (i % 2 == 0 || i == 99) {
			if (jsonata)
				sb_printf(&b, "\"S%d\": {\"Type\": \"Pass\", \"Output\": {\"i\": \"{%% $states.input.i + 1 %%}\", "
				              "\"tag\": \"{%% 'step-' & $string($states.input.i) %%}\"}",
				          i);
			else
				sb_printf(&b, "\"S%d\": {\"Type\": \"Pass\", \"Parameters\": {\"i.$\": \"States.MathAdd($.i, 1)\", "
				              "\"tag.$\": \"States.Format('step-{}', $.i)\"}",
				          i);
			if (next)
				sb_printf(&b, ", \"Next\": \"S%d\"}, ", i + 1);
			else
				sb_cat(&b, ", \"End\": true}");
		} else {
			if (jsonata)
				sb_printf(&b, "\"S%d\": {\"Type\": \"Choice\", \"Choices\": [{\"Condition\": \"{%% "
				              "$states.input.i < 1000 %%}\", \"Next\": \"S%d\"}], \"Default\": \"Stop\"}, ",
				          i, i + 1);
			else
				sb_printf(&b, "\"S%d\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": \"$.i\", "
				              "\"NumericLessThan\": 1000, \"Next\": \"S%d\"}], \"Default\": \"Stop\"}, ",
				          i, i + 1);
		}
	}
	sb_cat(&b, ", \"Stop\": {\"Type\": \"Fail\", \"Error\": \"TooFar\"}}}");
	return sb_steal(&b);
}

static char *map_def(int distributed)
{
	sb b = SB_INIT;
	sb_printf(&b,
	          "{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", \"ItemsPath\": \"$.items\", %s"
	          "\"ItemProcessor\": {%s\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}, "
	          "\"End\": true}}}",
	          distributed ? "\"ItemSelector\": {\"v.$\": \"$$.Map.Item.Value\"}, " : "",
	          distributed ? "\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"STANDARD\"}, " : "");
	return sb_steal(&b);
}

static char *items(int n)
{
	sb b = SB_INIT;
	sb_cat(&b, "{\"items\": [");
	for (int i = 0; i < n; i++)
		sb_printf(&b, "%s%d", i ? "," : "", i);
	sb_cat(&b, "]}");
	return sb_steal(&b);
}

typedef struct result {
	const char *name;
	long executions, transitions;
	double secs;
} result;

static result bench(const char *name, const char *def_text, const char *input_text, long per_exec, double secs)
{
	cJSON *j = cJSON_Parse(def_text);
	engine_diags dg = {0};
	engine_def *d = engine_def_load(j, &dg);
	cJSON_Delete(j);
	if (!d) {
		char *m = engine_diags_message(&dg);
		fprintf(stderr, "bench: %s: %s\n", name, m);
		exit(2);
	}
	cJSON *in = cJSON_Parse(input_text);
	clk *c = clk_virtual_new(0);
	engine_env env = {0};
	env.clock = c;
	env.seed = 1;
	result r = {name, 0, 0, 0};
	double t0 = now_s();
	do {
		engine_exec *x = engine_exec_new(d, &env, in);
		engine_status st = engine_exec_run(x);
		if (st != ENGINE_SUCCEEDED) {
			fprintf(stderr, "bench: %s ended %s: %s\n", name, engine_status_name(st),
			        engine_exec_cause(x) ? engine_exec_cause(x) : "");
			exit(1);
		}
		engine_exec_free(x);
		r.executions++;
		r.transitions += per_exec;
		r.secs = now_s() - t0;
	} while (r.secs < secs);
	cJSON_Delete(in);
	clk_free(c);
	engine_def_free(d);
	return r;
}

static void dump(const char *dir, const char *name, const char *def, const char *input)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s.asl.json", dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(def, f);
		fclose(f);
	}
	snprintf(path, sizeof path, "%s/%s.input.json", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(input, f);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	mem_init();
	char *cj = chain(0), *ca = chain(1), *md = map_def(1), *mi = map_def(0), *i10k = items(10000), *i5k = items(5000);
	if (argc > 2 && !strcmp(argv[1], "--dump")) {
		dump(argv[2], "chain-jsonpath", cj, "{\"i\": 0}");
		dump(argv[2], "chain-jsonata", ca, "{\"i\": 0}");
		dump(argv[2], "map-10000", md, i10k);
		dump(argv[2], "map-inline-5000", mi, i5k);
		return 0;
	}
	double secs = argc > 1 ? atof(argv[1]) : 3.0;
	if (secs <= 0)
		secs = 3.0;
	result rs[4];
	rs[0] = bench("chain-jsonpath", cj, "{\"i\": 0}", 100, secs);
	rs[1] = bench("chain-jsonata", ca, "{\"i\": 0}", 100, secs);
	rs[2] = bench("map-10000", md, i10k, 1 + 10000, secs);
	rs[3] = bench("map-inline-5000", mi, i5k, 1 + 5000, secs);
	printf("%-16s %12s %12s %10s\n", "scenario", "transitions/s", "executions/s", "seconds");
	for (int i = 0; i < 4; i++)
		printf("%-16s %12.0f %12.2f %10.2f\n", rs[i].name, rs[i].transitions / rs[i].secs,
		       rs[i].executions / rs[i].secs, rs[i].secs);
	printf("{");
	for (int i = 0; i < 4; i++)
		printf("%s\"%s\": {\"transitions_per_s\": %.0f, \"executions_per_s\": %.3f}", i ? ", " : "", rs[i].name,
		       rs[i].transitions / rs[i].secs, rs[i].executions / rs[i].secs);
	printf("}\n");
	mem_free(cj);
	mem_free(ca);
	mem_free(md);
	mem_free(mi);
	mem_free(i10k);
	mem_free(i5k);
	return 0;
}
