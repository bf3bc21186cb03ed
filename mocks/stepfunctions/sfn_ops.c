/* sfn_ops.c - the Step Functions operation table, service state and snapshot. */
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "mocks/stepfunctions/sfn_int.h"

/* Sorted by name (strcmp): mock_dispatch looks ops up with bsearch. */
static const mock_op sfn_ops[] = {
	{"CreateStateMachine", sfn_op_create_state_machine, MOCK_WRITE},
	{"DeleteStateMachine", sfn_op_delete_state_machine, MOCK_WRITE},
	{"DescribeExecution", sfn_op_describe_execution, MOCK_READONLY},
	{"DescribeStateMachine", sfn_op_describe_state_machine, MOCK_READONLY},
	{"DescribeStateMachineForExecution", sfn_op_describe_state_machine_for_execution, MOCK_READONLY},
	{"GetExecutionHistory", sfn_op_get_execution_history, MOCK_READONLY},
	{"ListExecutions", sfn_op_list_executions, MOCK_READONLY},
	{"ListStateMachines", sfn_op_list_state_machines, MOCK_READONLY},
	{"SendTaskFailure", sfn_op_send_task_failure, MOCK_NOTXN},
	{"SendTaskHeartbeat", sfn_op_send_task_heartbeat, MOCK_NOTXN},
	{"SendTaskSuccess", sfn_op_send_task_success, MOCK_NOTXN},
	{"StartExecution", sfn_op_start_execution, MOCK_NOTXN},
	{"StartSyncExecution", sfn_op_start_sync_execution, MOCK_NOTXN},
	{"StopExecution", sfn_op_stop_execution, MOCK_NOTXN},
	{"TestState", sfn_op_test_state, MOCK_NOTXN},
	{"UpdateStateMachine", sfn_op_update_state_machine, MOCK_WRITE},
	{"ValidateStateMachineDefinition", sfn_op_validate_state_machine_definition, MOCK_NOTXN},
	{NULL, NULL, 0},
};

/* Executions recorded as RUNNING by a previous process cannot resume: they
 * end ABORTED when the store is opened again. */
static void abort_orphans(mock_world *w, sfn_state *S)
{
	store_txn *t;
	if (store_txn_begin(w->st, 0, &t))
		return;
	store_cur *c;
	cJSON *fix = cJSON_CreateArray();
	if (store_cur_open(t, S->execs, &c) == 0) {
		store_val k, v;
		for (int rc = store_cur_get(c, STORE_FIRST, &k, &v); rc == 0; rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
			cJSON *x = cJSON_ParseWithLength(v.data, v.len);
			const char *st = x ? cj_str(x, "status") : NULL;
			if (st && !strcmp(st, "RUNNING"))
				cJSON_AddItemToArray(fix, x);
			else
				cJSON_Delete(x);
		}
		store_cur_close(c);
	}
	for (cJSON *x = fix->child; x; x = x->next) {
		cJSON_ReplaceItemInObjectCaseSensitive(x, "status", cJSON_CreateString("ABORTED"));
		cJSON_AddNumberToObject(x, "stopDate", sfn_secs(clk_now_ms(w->clock)));
		cJSON_AddStringToObject(x, "cause", "stepbench stopped while the execution was running");
		const char *arn = cj_str(x, "executionArn");
		char *txt = cj_print(x);
		if (arn)
			store_put(t, S->execs, arn, strlen(arn), txt, strlen(txt), 0);
		mem_free(txt);
	}
	cJSON_Delete(fix);
	store_txn_commit(t);
}

static int sfn_init(mock_world *w, sb *err)
{
	sfn_state *S = mem_calloc(1, sizeof *S);
	static const char *const names[] = {"sfn.machines", "sfn.execs", "sfn.history"};
	store_db *dbs[] = {&S->machines, &S->execs, &S->history};
	for (size_t i = 0; i < 3; i++) {
		int rc = store_db_open(w->st, names[i], 0, dbs[i]);
		if (rc) {
			sb_printf(err, "states: cannot open database %s: %s", names[i], store_strerror(rc));
			mem_free(S);
			return -1;
		}
	}
	pthread_mutex_init(&S->mu, NULL);
	pthread_cond_init(&S->cv, NULL);
	w->state[MOCK_SVC_STATES] = S;
	abort_orphans(w, S);
	return 0;
}

static void sfn_fini(mock_world *w)
{
	sfn_state *S = sfn_st(w);
	if (!S)
		return;
	sfn_runs_shutdown(w);
	pthread_cond_destroy(&S->cv);
	pthread_mutex_destroy(&S->mu);
	mem_free(S);
	w->state[MOCK_SVC_STATES] = NULL;
}

/* {executions: [{executionArn, status, ...}]} for scenario assertions. */
static cJSON *sfn_snapshot(mock_world *w)
{
	sfn_state *S = sfn_st(w);
	cJSON *out = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(out, "executions");
	store_txn *t;
	if (store_txn_begin(w->st, 1, &t))
		return out;
	store_cur *c;
	if (store_cur_open(t, S->execs, &c) == 0) {
		store_val k, v;
		for (int rc = store_cur_get(c, STORE_FIRST, &k, &v); rc == 0; rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
			cJSON *x = cJSON_ParseWithLength(v.data, v.len);
			if (x)
				cJSON_AddItemToArray(arr, x);
		}
		store_cur_close(c);
	}
	store_txn_abort(t);
	return out;
}

const mock_service sfn_service = {
	.name = "states",
	.slot = MOCK_SVC_STATES,
	.target_prefix = "AWSStepFunctions",
	.json_type_prefix = "com.amazonaws.states#",
	.json_content_type = "application/x-amz-json-1.0",
	.ops = sfn_ops,
	.init = sfn_init,
	.fini = sfn_fini,
	.snapshot = sfn_snapshot,
};
