/* sfn_int.h - the Step Functions mock's private state and handlers.
 *
 * Records (LMDB, JSON values):
 *   sfn.machines  state machine ARN -> {stateMachineArn, name, definition,
 *                 roleArn, type, creationDate, updateDate?, status, ...}
 *   sfn.execs     execution ARN -> {executionArn, stateMachineArn, name,
 *                 status, startDate, stopDate?, input, output?, error?,
 *                 cause?}
 *   sfn.history   execution ARN -> the events, once the execution ended
 *
 * Running executions live in memory (sfn_run), each on its own detached
 * thread that runs the engine with the in-process transport; no
 * transaction is held while an execution runs. When it ends the thread
 * writes the final record and the history in one short write transaction,
 * then leaves the list. GetExecutionHistory of a running execution reads
 * the live history; task tokens are routed to their execution by the ARN
 * they carry (engine_token_execution).
 */
#ifndef STEPBENCH_SFN_INT_H
#define STEPBENCH_SFN_INT_H

#include <pthread.h>

#include "engine/engine.h"
#include "mocks/mock.h"
#include "mocks/stepfunctions/sfn.h"

typedef struct sfn_run {
	char *arn, *sm_arn, *sm_name, *name, *role, *region, *type;
	engine_def *d;
	engine_exec *x;
	transport *tp;
	mock_world *w;
	struct sfn_run *next;
} sfn_run;

typedef struct sfn_state {
	store_db machines, execs, history;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	sfn_run *runs;
	int nrunning;
	int stopping;
} sfn_state;

static inline sfn_state *sfn_st(mock_world *w) { return w->state[MOCK_SVC_STATES]; }

/* sfn_machine.c */
void sfn_op_create_state_machine(mock_req *rq);
void sfn_op_describe_state_machine(mock_req *rq);
void sfn_op_describe_state_machine_for_execution(mock_req *rq);
void sfn_op_update_state_machine(mock_req *rq);
void sfn_op_delete_state_machine(mock_req *rq);
void sfn_op_list_state_machines(mock_req *rq);
void sfn_op_validate_state_machine_definition(mock_req *rq);
void sfn_op_test_state(mock_req *rq);

/* sfn_execution.c */
void sfn_op_start_execution(mock_req *rq);
void sfn_op_start_sync_execution(mock_req *rq);
void sfn_op_describe_execution(mock_req *rq);
void sfn_op_stop_execution(mock_req *rq);
void sfn_op_list_executions(mock_req *rq);
void sfn_op_get_execution_history(mock_req *rq);
void sfn_op_send_task_success(mock_req *rq);
void sfn_op_send_task_failure(mock_req *rq);
void sfn_op_send_task_heartbeat(mock_req *rq);
/** Stop every running execution and wait for their threads. */
void sfn_runs_shutdown(mock_world *w);

/* shared helpers (sfn_machine.c) */
/** A required string member; fails the request (ValidationException) when absent. */
const char *sfn_req_str(mock_req *rq, const char *key);
/** Load the JSON record under key from db; NULL (request failed with err) when absent. */
cJSON *sfn_load(mock_req *rq, store_txn *t, store_db db, const char *key);
int sfn_save(mock_req *rq, store_txn *t, store_db db, const char *key, const cJSON *rec);
/** 1 if name is a valid state machine / execution name (1-80, no whitespace
 *  or <>{}[]?*"#%\^|~`$&,;:/ or control characters). */
int sfn_name_ok(const char *name);
/** Epoch seconds (with milliseconds) as JSON 1.0 timestamps are written. */
double sfn_secs(int64_t ms);
/** Load and validate a definition text; on failure the request fails with
 *  InvalidDefinition (AWS's message) and NULL is returned. */
engine_def *sfn_load_definition(mock_req *rq, const char *text, const char *type);

#endif
