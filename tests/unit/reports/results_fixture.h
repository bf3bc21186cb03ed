/* results_fixture.h - three results (passed, failed, file error) the report tests share. */
#ifndef STEPBENCH_TEST_RESULTS_FIXTURE_H
#define STEPBENCH_TEST_RESULTS_FIXTURE_H

#include <string.h>

#include "common/mem.h"
#include "runner/match.h"
#include "runner/run.h"

static runner_result rs[3];

static void results_setup(void)
{
	memset(rs, 0, sizeof rs);
	rs[0].file = mem_strdup("scenarios/a/one.scenario.json");
	rs[0].name = mem_strdup("passes");
	rs[0].outcome = RUNNER_PASS;
	rs[0].seconds = 0.0123;

	rs[1].file = mem_strdup("scenarios/a/one.scenario.json");
	rs[1].name = mem_strdup("fails & \"says\" why");
	rs[1].outcome = RUNNER_FAIL;
	rs[1].seconds = 1.5;
	rs[1].status = mem_strdup("SUCCEEDED");
	rs[1].path = cJSON_Parse("[\"Set Variables\", \"No Action\"]");
	cJSON *exp = cJSON_Parse("[{\"userId\": \"u<1>\"}]"), *act = cJSON_CreateArray();
	runner_mismatch_add(&rs[1].mm, "expect.lambda['user-onboarding']",
	                    "expected 1 invocation of user-onboarding, got 0", exp, act, NULL, NULL);
	rs[1].mm.v[0].line = 40;
	rs[1].mm.v[0].col = 5;
	cJSON_Delete(exp);
	cJSON_Delete(act);

	runner_result_file_error(&rs[2], "scenarios/b.scenario.json",
	                         "scenarios/b.scenario.json:1:2: missing required member 'expect'\n");
}

static void results_teardown(void)
{
	for (int i = 0; i < 3; i++)
		runner_result_clear(&rs[i]);
}

#endif
