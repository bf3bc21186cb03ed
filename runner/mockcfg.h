/* mockcfg.h - mocked Task states: a scenario's `mock`, and AWS Step Functions
 * Local's MockConfigFile.json run as scenarios.
 *
 * A state's answers come in one of three forms:
 *   {"Return": <result>} | {"Throw": {"Error": "E", "Cause": "C"}}
 *                                   every invocation gets this answer
 *   [answer, answer, ...]           the n-th invocation (from 0) gets the n-th;
 *                                   past the end, the last one repeats
 *   {"0": answer, "1-2": answer}    Step Functions Local's form: invocation
 *                                   numbers and inclusive ranges from 0; an
 *                                   invocation outside them fails the state
 * A Return is the complete service response (for lambda:invoke,
 * {"StatusCode": 200, "Payload": {...}}), which the state then processes as
 * usual; a Throw fails the state with that error, which Retry and Catch see.
 * Invocations count per state across the execution: retries, loops back and
 * Map iterations each take the next number.
 *
 * Ownership: results are new trees / mem_alloc'ed strings for the caller.
 */
#ifndef STEPBENCH_RUNNER_MOCKCFG_H
#define STEPBENCH_RUNNER_MOCKCFG_H

#include <cjson/cJSON.h>

#include "common/sb.h"

/**
 * The answer of `answers` (one of the forms above) to invocation n of state.
 * Sets *result, or *error and *cause (the engine's mock contract).
 */
void runner_mock_answer(const cJSON *answers, const char *state, int n, cJSON **result, char **error, char **cause);

/**
 * Turn a Step Functions Local MockConfigFile into a scenario suite (JSON
 * text) with one scenario per test case of the state machines given:
 * machines[i] is "NAME=path.asl.json". input (may be NULL) is every
 * execution's input. The suite's scenarios expect nothing, so each passes
 * when its execution ran; their names are "NAME: TestCase".
 * @param err  problems with the file, "file:line:column: message" per line
 * @return the suite text (caller frees with mem_free), or NULL.
 */
char *runner_mockcfg_suite(const char *config_path, const char *const *machines, int nmachines, const cJSON *input,
                           sb *err);

#endif
