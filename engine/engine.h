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
	char *path;    /* where: "/States/Save User/Next" ("/" for the top level; NULL: nowhere) */
	char *message; /* "CODE: text", AWS's wording where AWS has one */
	char *code;    /* "SCHEMA_VALIDATION_FAILED", "MISSING_TRANSITION_TARGET", ... */
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

typedef struct engine_exec engine_exec;

/**
 * Callback responder for `.waitForTaskToken` tasks (scenarios, the
 * conformance runner). The engine calls it on the execution's thread right
 * after the task is submitted (TaskSubmitted), with the token and what was
 * sent (the task's parameters and the service's answer), and again whenever
 * the delay it returned has passed on the engine clock, for as long as the
 * task waits. It answers by calling engine_exec_send_task_success /
 * _failure / _heartbeat (from this or any thread).
 * @return ms until it wants to be called again, or -1 for never.
 */
typedef struct engine_token_info {
	const char *token;
	const char *state;      /* the Task state's name */
	const char *resource;   /* the Resource ARN */
	const cJSON *parameters; /* the request the task sent */
	const cJSON *submitted; /* the service's answer (TaskSubmitted output) */
} engine_token_info;
typedef int64_t (*engine_token_fn)(void *ctx, engine_exec *x, const engine_token_info *t);

/** Called (on the execution's thread) for every history event as it is
 *  recorded; event is borrowed for the call. */
typedef void (*engine_event_fn)(void *ctx, engine_exec *x, const cJSON *event);

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
	engine_token_fn responder;      /* may be NULL: tokens are answered only by
	                                   engine_exec_send_task_* from other threads */
	void *responder_ctx;
	engine_event_fn on_event;       /* may be NULL */
	void *on_event_ctx;
} engine_env;

typedef enum {
	ENGINE_RUNNING,
	ENGINE_SUCCEEDED,
	ENGINE_FAILED,
	ENGINE_TIMED_OUT,
	ENGINE_ABORTED,
} engine_status;

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

/* ---- talking to a running execution (any thread) ----------------------
 *
 * How a callback task waits. A `.waitForTaskToken` Task sends its request,
 * records TaskSubmitted and then blocks its strand (its branch of the
 * execution) until the token is answered or a deadline passes
 * (TimeoutSeconds, HeartbeatSeconds since the last heartbeat). Other
 * branches keep running. The answer arrives in one of two ways:
 *   - `serve`: the execution runs on its own thread (engine_exec_run);
 *     SendTaskSuccess/Failure/Heartbeat on an HTTP worker call the
 *     functions below, which wake the execution's thread; with the real
 *     clock it sleeps on a condition variable until the next deadline.
 *   - scenarios / conformance (virtual clock): engine_env.responder is
 *     called synchronously when the task is submitted and may answer at
 *     once or ask to be polled again after a delay; when nothing can answer
 *     any more the virtual clock jumps to the deadline (States.Timeout).
 * Tokens name their execution: engine_token_execution() recovers the
 * execution ARN from a token so a host can route an answer.
 *
 * The three functions return 0, or -1 when the token is unknown to this
 * execution or no longer waiting (the API's TaskDoesNotExist/InvalidToken).
 */
int engine_exec_send_task_success(engine_exec *x, const char *token, const cJSON *output);
int engine_exec_send_task_failure(engine_exec *x, const char *token, const char *error, const char *cause);
int engine_exec_send_task_heartbeat(engine_exec *x, const char *token);
/** StopExecution: the execution ends ABORTED (error/cause may be NULL). */
void engine_exec_stop(engine_exec *x, const char *error, const char *cause);
/** The execution ARN a token belongs to (caller frees with mem_free), or NULL. */
char *engine_token_execution(const char *token);
/** A copy of the history so far, safe while the execution runs (caller owns). */
cJSON *engine_exec_history_copy(engine_exec *x);
/** Thread-safe status read while the execution runs on another thread. */
engine_status engine_exec_status_locked(engine_exec *x);

/* ---- definitions: details hosts need ---------------------------------- */

/** 1 when the definition has a `.waitForTaskToken` Task (EXPRESS rejects them). */
int engine_def_uses_task_token(const engine_def *d);
/**
 * Validate a definition as CreateStateMachine does: the diagnostics joined
 * as AWS's InvalidDefinition message ("Invalid State Machine Definition:
 * 'SCHEMA_VALIDATION_FAILED: ... at /States/X'"). Caller frees with mem_free.
 */
char *engine_diags_message(const engine_diags *d);

#endif
