/* coverage.h - workflow coverage: which parts of each state machine the
 * scenarios exercised.
 *
 * Per state machine, over every execution of it in a run: the states
 * entered; the Choice transitions taken (each distinct target of a Choice's
 * rules, and its Default — rules that share a Next are one transition, as
 * a history cannot tell them apart); the retriers that fired and the
 * catchers that handled an error. The percentage counts all of them alike.
 *
 * Read from execution histories (engine_exec_history's shape), so it needs
 * no engine hooks. Ownership: the caller frees a coverage with
 * runner_coverage_free; runner_coverage_json returns a new tree.
 */
#ifndef STEPBENCH_RUNNER_COVERAGE_H
#define STEPBENCH_RUNNER_COVERAGE_H

#include <cjson/cJSON.h>

typedef struct runner_coverage runner_coverage;

runner_coverage *runner_coverage_new(void);
void runner_coverage_free(runner_coverage *c);

/**
 * Count one execution of the state machine at path (its definition is read
 * from the file once and kept). history may be NULL (the scenario did not
 * run): the machine is still listed.
 * @return 0, or -1 when the definition cannot be read (then it is skipped).
 */
int runner_coverage_add(runner_coverage *c, const char *path, const cJSON *history);

/**
 * [{"stateMachine": path, "percent": 0..100, "covered": n, "total": n,
 *   "states": {"covered", "total"}, "choices": {...}, "retries": {...},
 *   "catches": {...}, "missing": ["state 'X'", "Choice 'C' -> 'Y'", ...]}]
 * in the order machines were first added.
 */
cJSON *runner_coverage_json(const runner_coverage *c);

#endif
