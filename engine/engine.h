/* engine.h - Amazon States Language: load a definition, run executions, read history.
 *
 * The engine interprets ASL state machines (JSONPath and JSONata) and calls
 * services only through transport.h; it never includes anything in mocks/.
 *
 * Ownership
 *   - engine_def_load returns an immutable definition (caller frees with
 *     engine_def_free); any number of executions may share it, on any
 *     threads. It keeps no pointer to the cJSON it was loaded from.
 *   - engine_exec_new returns an execution the caller frees with
 *     engine_exec_free. Values read from it (output, history...) are
 *     borrowed and valid until it is freed.
 *   - engine_env strings and the transport/clock are borrowed: they must
 *     outlive every execution that uses them.
 *
 * Errors
 *   An invalid definition yields NULL and a list of diagnostics, each with
 *   the JSON path of the problem and AWS's wording. Everything that goes
 *   wrong while running (a state's error, a JSONata failure, a service
 *   error) is part of the execution's outcome: status FAILED with the ASL
 *   error name and cause AWS would give.
 *
 * NOTE (lead): this header is the contract the scenario runner and the Step
 * Functions mock build on. The engine's owner may extend it; keep the
 * existing functions' meaning.
 */
#ifndef STEPBENCH_ENGINE_H
#define STEPBENCH_ENGINE_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "common/clock.h"
#include "engine/transport.h"

/* ---- definitions ---------------------------------------------------- */

typedef struct engine_def engine_def;

typedef struct engine_diag {
	char *path;    /* where: "/States/Save User/Next" ("" for the top level) */
	char *message; /* AWS's wording where AWS has one */
} engine_diag;

typedef struct engine_diags {
	engine_diag *v;
	size_t n, cap;
} engine_diags;

void engine_diags_free(engine_diags *d);

/**
 * Load and validate a definition.
 * @param diags  out: every problem found (may be NULL)
 * @return the definition, or NULL when it is invalid.
 */
engine_def *engine_def_load(const cJSON *definition, engine_diags *diags);
void engine_def_free(engine_def *d);

/* ---- executions ------------------------------------------------------ */

/**
 * Optional per-state mock (AWS Step Functions Local's mock configuration):
 * called before a Task state calls its service, with the state's name and
 * how many times that state has been invoked before in this execution (0
 * for the first; retries and Map iterations count). Return 1 and set
 * *result (the complete service response, caller-owned cJSON given to the
 * engine) or *error and *cause (mem_alloc'ed strings given to the engine) to
 * answer; return 0 to call the service.
 */
typedef int (*engine_mock_fn)(void *ctx, const char *state, int invocation, cJSON **result, char **error,
                              char **cause);

typedef struct engine_env {
	transport *tp;                  /* service calls */
	clk *clock;                     /* all engine time: Wait, timeouts, backoff, $now() */
	const char *region;             /* "us-east-1" */
	const char *account;            /* "000000000000" */
	const char *state_machine_arn;
	const char *state_machine_name;
	const char *execution_arn;
	const char *execution_name;
	const char *role_arn;
	const char *type;               /* "STANDARD" (default) or "EXPRESS" */
	uint64_t seed;                  /* non-zero: deterministic ids, tokens, jitter */
	engine_mock_fn mock;            /* may be NULL */
	void *mock_ctx;
} engine_env;

typedef enum {
	ENGINE_RUNNING,
	ENGINE_SUCCEEDED,
	ENGINE_FAILED,
	ENGINE_TIMED_OUT,
	ENGINE_ABORTED,
} engine_status;

typedef struct engine_exec engine_exec;

/** A new execution of d with input (borrowed; copied). Not started. */
engine_exec *engine_exec_new(const engine_def *d, const engine_env *env, const cJSON *input);
/** Run to completion on the calling thread; returns the final status. */
engine_status engine_exec_run(engine_exec *x);
engine_status engine_exec_status(const engine_exec *x);
/** "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED". */
const char *engine_status_name(engine_status s);
/** The execution's output when SUCCEEDED, else NULL. */
const cJSON *engine_exec_output(const engine_exec *x);
/** The error name and cause when FAILED (either may be NULL: a Fail state
 *  without Error/Cause). */
const char *engine_exec_error(const engine_exec *x);
const char *engine_exec_cause(const engine_exec *x);
/**
 * The history as GetExecutionHistory's "events" array: {id, previousEventId,
 * timestamp (ms since the epoch, number), type, <type>EventDetails}.
 */
const cJSON *engine_exec_history(const engine_exec *x);
/** The top-level variables after the run ({name: value}). */
const cJSON *engine_exec_variables(const engine_exec *x);
void engine_exec_free(engine_exec *x);

#endif
