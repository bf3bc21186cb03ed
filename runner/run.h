/* run.h - running scenarios: each in its own world, on a virtual clock.
 *
 * A scenario runs hermetically: a fresh temporary LMDB store (mock_world
 * with no data_dir, removed afterwards), a virtual clock starting at the
 * scenario's `clock`, identifiers seeded from the scenario's name, and the
 * in-process transport between the engine and the mocks. Running the same
 * scenario twice gives the same execution.
 *
 * Ownership: a runner_ctx caches loaded state machines (by path) for the
 * scenarios that share them; free it after the last run. A runner_result is
 * filled by runner_run and released with runner_result_clear.
 */
#ifndef STEPBENCH_RUNNER_RUN_H
#define STEPBENCH_RUNNER_RUN_H

#include "runner/result.h"
#include "runner/scenario.h"

typedef struct runner_ctx runner_ctx;

runner_ctx *runner_ctx_new(void);
void runner_ctx_free(runner_ctx *c);
/** With record set, each run first fills the scenario's missing
 *  expectations from what happened (runner/record.h) and marks its file
 *  dirty, then judges the scenario as usual. */
void runner_ctx_set_record(runner_ctx *c, int record);
/** With roles off, a scenario's declared role is not created and nothing is
 *  enforced: every call the workflow makes goes through and is recorded
 *  (what `stepbench policy --scenarios` needs). On by default. */
void runner_ctx_set_roles(runner_ctx *c, int roles);

/**
 * Run s and judge it. Never fails as a call: a problem that keeps the
 * scenario from running (its state machine does not load, `given` is
 * refused by a service) is the result RUNNER_ERROR with the reason.
 * @param r  out (zero it first); the caller clears it with runner_result_clear
 */
void runner_run(runner_ctx *c, const runner_scenario *s, runner_result *r);

/** A result for a file that did not load: RUNNER_ERROR with its problems. */
void runner_result_file_error(runner_result *r, const char *file, const char *problems);


/**
 * Find scenario files: each path is a file (taken as it is) or a folder
 * searched recursively for *.scenario.json. The list is sorted by path so
 * every run sees the same order.
 * @param files  out: the paths (caller frees each and the array with mem_free)
 * @return 0, or -1 when a path cannot be read (described in err).
 */
int runner_discover(const char *const *paths, size_t npaths, char ***files, size_t *nfiles, sb *err);

#endif
