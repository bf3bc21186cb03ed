/* fuzz_asl.c - libFuzzer harness: ASL definition loading and validation, then a short run.
 *
 * The input is a definition's JSON text. Loading must either give a
 * definition or diagnostics (each with a code and a message); a definition
 * that loads runs once on a virtual clock with no transport (every Task
 * fails with SdkClientException) and must reach a final status: loops end at
 * the 25,000-event history quota, waits only move the virtual clock. A crash,
 * a leak, a hang or an execution that cannot end is a finding.
 */
#include <stddef.h>
#include <stdint.h>

#include "common/cj.h"
#include "common/clock.h"
#include "common/mem.h"
#include "engine/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		mem_init();
		init = 1;
	}
	if (size > 65536)
		return 0;
	cJSON *j = cj_parse((const char *)data, size, NULL);
	if (!j)
		return 0;
	engine_diags dg = {0};
	engine_def *d = engine_def_load(j, &dg);
	if (!d) {
		for (size_t i = 0; i < dg.n; i++)
			if (!dg.v[i].message || !dg.v[i].code)
				__builtin_trap();
		char *m = engine_diags_message(&dg);
		mem_free(m);
	} else {
		clk *c = clk_virtual_new(0);
		engine_env env = {0};
		env.clock = c;
		env.seed = 1;
		cJSON *in = cJSON_CreateObject();
		engine_exec *x = engine_exec_new(d, &env, in);
		engine_exec_run(x);
		if (engine_exec_status(x) == ENGINE_RUNNING)
			__builtin_trap();
		engine_exec_free(x);
		cJSON_Delete(in);
		clk_free(c);
	}
	engine_def_free(d);
	engine_diags_free(&dg);
	cJSON_Delete(j);
	return 0;
}
