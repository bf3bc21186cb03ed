/* sfn_machine.c - state machines: Create/Describe/Update/Delete/List, ValidateStateMachineDefinition, TestState. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common/b64.h"
#include "common/cj.h"
#include "common/mem.h"
#include "mocks/stepfunctions/sfn_int.h"
#include "mocks/transport_inproc.h"

/* ======================================================================
 * Helpers
 * ====================================================================== */

const char *sfn_req_str(mock_req *rq, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(rq->in, key);
	if (!cJSON_IsString(v)) {
		mock_fail(rq, AWSERR_SFN_ValidationException,
		          "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be "
		          "null",
		          key);
		return NULL;
	}
	return v->valuestring;
}

cJSON *sfn_load(mock_req *rq, store_txn *t, store_db db, const char *key)
{
	store_val v;
	int rc = store_get(t, db, key, strlen(key), &v);
	if (rc == STORE_NOTFOUND)
		return NULL;
	if (rc) {
		mock_fail_store(rq, rc);
		return NULL;
	}
	return cJSON_ParseWithLength(v.data, v.len);
}

int sfn_save(mock_req *rq, store_txn *t, store_db db, const char *key, const cJSON *rec)
{
	char *txt = cj_print(rec);
	int rc = store_put(t, db, key, strlen(key), txt, strlen(txt), 0);
	mem_free(txt);
	if (rc)
		mock_fail_store(rq, rc);
	return rc;
}

int sfn_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n < 1 || n > 80)
		return 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f || isspace(*p) || strchr("<>{}[]?*\"#%\\^|~`$&,;:/", *p))
			return 0;
	return 1;
}

double sfn_secs(int64_t ms) { return (double)ms / 1000.0; }

engine_def *sfn_load_definition(mock_req *rq, const char *text, const char *type)
{
	size_t errpos = 0;
	cJSON *j = cj_parse(text, strlen(text), &errpos);
	if (!j) {
		mock_fail(rq, AWSERR_SFN_InvalidDefinition,
		          "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: the definition is not valid JSON "
		          "(at character %zu)'",
		          errpos + 1);
		return NULL;
	}
	engine_diags dg = {0};
	engine_def *d = engine_def_load(j, &dg);
	cJSON_Delete(j);
	if (!d) {
		char *m = engine_diags_message(&dg);
		mock_fail(rq, AWSERR_SFN_InvalidDefinition, "%s", m);
		mem_free(m);
		engine_diags_free(&dg);
		return NULL;
	}
	if (type && !strcmp(type, "EXPRESS") && engine_def_uses_task_token(d)) {
		engine_def_free(d);
		mock_fail(rq, AWSERR_SFN_InvalidDefinition,
		          "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not "
		          "support '.waitForTaskToken' service integration'");
		return NULL;
	}
	return d;
}

static int arn_kind_ok(mock_req *rq, const char *arn, const char *kind)
{
	char want[64];
	snprintf(want, sizeof want, ":%s:", kind);
	if (strncmp(arn, "arn:aws:states:", 15) || !strstr(arn, want)) {
		mock_fail(rq, AWSERR_SFN_InvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s'", arn);
		return 0;
	}
	return 1;
}

static cJSON *load_machine(mock_req *rq, store_txn *t, const char *arn)
{
	if (!arn_kind_ok(rq, arn, "stateMachine"))
		return NULL;
	cJSON *m = sfn_load(rq, t, sfn_st(rq->w)->machines, arn);
	if (!m && !mock_failed(rq))
		mock_fail(rq, AWSERR_SFN_StateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", arn);
	return m;
}

/* ======================================================================
 * Handlers
 * ====================================================================== */

/* CreateStateMachine: name, definition, roleArn, type?, loggingConfiguration?, tracingConfiguration?, tags? */
void sfn_op_create_state_machine(mock_req *rq)
{
	const char *name = sfn_req_str(rq, "name");
	const char *def = name ? sfn_req_str(rq, "definition") : NULL;
	const char *role = def ? sfn_req_str(rq, "roleArn") : NULL;
	if (!role)
		return;
	const char *type = cj_str(rq->in, "type");
	if (!type)
		type = "STANDARD";
	if (strcmp(type, "STANDARD") && strcmp(type, "EXPRESS")) {
		mock_fail(rq, AWSERR_SFN_ValidationException,
		          "1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must "
		          "satisfy enum value set: [STANDARD, EXPRESS]",
		          type);
		return;
	}
	if (!sfn_name_ok(name)) {
		mock_fail(rq, AWSERR_SFN_InvalidName, "Invalid Name: '%s'", name);
		return;
	}
	engine_def *d = sfn_load_definition(rq, def, type);
	if (!d)
		return;
	engine_def_free(d);
	char *arn = mock_arn(rq, "states", "stateMachine:%s", name);
	cJSON *old = sfn_load(rq, rq->txn, sfn_st(rq->w)->machines, arn);
	if (old) {
		const char *od = cj_str(old, "definition"), *orole = cj_str(old, "roleArn"), *ot = cj_str(old, "type");
		if (od && !strcmp(od, def) && orole && !strcmp(orole, role) && ot && !strcmp(ot, type)) {
			rq->out = cJSON_CreateObject();
			cJSON_AddStringToObject(rq->out, "stateMachineArn", arn);
			cJSON_AddNumberToObject(rq->out, "creationDate", cj_num(old, "creationDate", 0));
		} else
			mock_fail(rq, AWSERR_SFN_StateMachineAlreadyExists, "State Machine Already Exists: '%s'", arn);
		cJSON_Delete(old);
		return;
	}
	if (mock_failed(rq))
		return;
	cJSON *rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "stateMachineArn", arn);
	cJSON_AddStringToObject(rec, "name", name);
	cJSON_AddStringToObject(rec, "status", "ACTIVE");
	cJSON_AddStringToObject(rec, "definition", def);
	cJSON_AddStringToObject(rec, "roleArn", role);
	cJSON_AddStringToObject(rec, "type", type);
	cJSON_AddNumberToObject(rec, "creationDate", sfn_secs(rq->now_ms));
	const cJSON *lc = cJSON_GetObjectItemCaseSensitive(rq->in, "loggingConfiguration");
	if (cJSON_IsObject(lc))
		cJSON_AddItemToObject(rec, "loggingConfiguration", cJSON_Duplicate(lc, 1));
	const cJSON *tc = cJSON_GetObjectItemCaseSensitive(rq->in, "tracingConfiguration");
	if (cJSON_IsObject(tc))
		cJSON_AddItemToObject(rec, "tracingConfiguration", cJSON_Duplicate(tc, 1));
	if (sfn_save(rq, rq->txn, sfn_st(rq->w)->machines, arn, rec) == 0) {
		rq->out = cJSON_CreateObject();
		cJSON_AddStringToObject(rq->out, "stateMachineArn", arn);
		cJSON_AddNumberToObject(rq->out, "creationDate", sfn_secs(rq->now_ms));
	}
	cJSON_Delete(rec);
}

static cJSON *describe(const cJSON *m)
{
	cJSON *o = cJSON_CreateObject();
	static const char *const keys[] = {"stateMachineArn", "name", "status", "definition", "roleArn", "type", NULL};
	for (int i = 0; keys[i]; i++)
		if (cj_str(m, keys[i]))
			cJSON_AddStringToObject(o, keys[i], cj_str(m, keys[i]));
	cJSON_AddNumberToObject(o, "creationDate", cj_num(m, "creationDate", 0));
	const cJSON *lc = cJSON_GetObjectItem(m, "loggingConfiguration");
	if (lc)
		cJSON_AddItemToObject(o, "loggingConfiguration", cJSON_Duplicate(lc, 1));
	else {
		cJSON *l = cJSON_AddObjectToObject(o, "loggingConfiguration");
		cJSON_AddStringToObject(l, "level", "OFF");
		cJSON_AddFalseToObject(l, "includeExecutionData");
	}
	const cJSON *tc = cJSON_GetObjectItem(m, "tracingConfiguration");
	if (tc)
		cJSON_AddItemToObject(o, "tracingConfiguration", cJSON_Duplicate(tc, 1));
	else
		cJSON_AddFalseToObject(cJSON_AddObjectToObject(o, "tracingConfiguration"), "enabled");
	if (cJSON_GetObjectItem(m, "updateDate"))
		cJSON_AddNumberToObject(o, "updateDate", cj_num(m, "updateDate", 0));
	return o;
}

/* DescribeStateMachine: stateMachineArn */
void sfn_op_describe_state_machine(mock_req *rq)
{
	const char *arn = sfn_req_str(rq, "stateMachineArn");
	if (!arn)
		return;
	cJSON *m = load_machine(rq, rq->txn, arn);
	if (!m)
		return;
	rq->out = describe(m);
	cJSON_Delete(m);
}

/* DescribeStateMachineForExecution: executionArn */
void sfn_op_describe_state_machine_for_execution(mock_req *rq)
{
	const char *arn = sfn_req_str(rq, "executionArn");
	if (!arn)
		return;
	cJSON *x = sfn_load(rq, rq->txn, sfn_st(rq->w)->execs, arn);
	if (!x) {
		if (!mock_failed(rq))
			mock_fail(rq, AWSERR_SFN_ExecutionDoesNotExist, "Execution Does Not Exist: '%s'", arn);
		return;
	}
	cJSON *m = load_machine(rq, rq->txn, cj_str(x, "stateMachineArn") ? cj_str(x, "stateMachineArn") : "");
	cJSON_Delete(x);
	if (!m)
		return;
	rq->out = describe(m);
	cJSON_DeleteItemFromObject(rq->out, "status");
	cJSON_DeleteItemFromObject(rq->out, "type");
	cJSON_DeleteItemFromObject(rq->out, "creationDate");
	cJSON_AddNumberToObject(rq->out, "updateDate", cj_num(m, "updateDate", cj_num(m, "creationDate", 0)));
	cJSON_Delete(m);
}

/* UpdateStateMachine: stateMachineArn, definition?, roleArn?, loggingConfiguration?, tracingConfiguration? */
void sfn_op_update_state_machine(mock_req *rq)
{
	const char *arn = sfn_req_str(rq, "stateMachineArn");
	if (!arn)
		return;
	cJSON *m = load_machine(rq, rq->txn, arn);
	if (!m)
		return;
	const char *def = cj_str(rq->in, "definition");
	const char *role = cj_str(rq->in, "roleArn");
	const cJSON *lc = cJSON_GetObjectItemCaseSensitive(rq->in, "loggingConfiguration");
	const cJSON *tc = cJSON_GetObjectItemCaseSensitive(rq->in, "tracingConfiguration");
	if (!def && !role && !lc && !tc) {
		cJSON_Delete(m);
		mock_fail(rq, AWSERR_SFN_MissingRequiredParameter,
		          "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must "
		          "be specified");
		return;
	}
	if (def) {
		engine_def *d = sfn_load_definition(rq, def, cj_str(m, "type"));
		if (!d) {
			cJSON_Delete(m);
			return;
		}
		engine_def_free(d);
		cJSON_ReplaceItemInObjectCaseSensitive(m, "definition", cJSON_CreateString(def));
	}
	if (role)
		cJSON_ReplaceItemInObjectCaseSensitive(m, "roleArn", cJSON_CreateString(role));
	if (cJSON_IsObject(lc)) {
		cJSON_DeleteItemFromObject(m, "loggingConfiguration");
		cJSON_AddItemToObject(m, "loggingConfiguration", cJSON_Duplicate(lc, 1));
	}
	if (cJSON_IsObject(tc)) {
		cJSON_DeleteItemFromObject(m, "tracingConfiguration");
		cJSON_AddItemToObject(m, "tracingConfiguration", cJSON_Duplicate(tc, 1));
	}
	cJSON_DeleteItemFromObject(m, "updateDate");
	cJSON_AddNumberToObject(m, "updateDate", sfn_secs(rq->now_ms));
	if (sfn_save(rq, rq->txn, sfn_st(rq->w)->machines, arn, m) == 0) {
		rq->out = cJSON_CreateObject();
		cJSON_AddNumberToObject(rq->out, "updateDate", sfn_secs(rq->now_ms));
	}
	cJSON_Delete(m);
}

/* DeleteStateMachine: stateMachineArn */
void sfn_op_delete_state_machine(mock_req *rq)
{
	const char *arn = sfn_req_str(rq, "stateMachineArn");
	if (!arn || !arn_kind_ok(rq, arn, "stateMachine"))
		return;
	int rc = store_del(rq->txn, sfn_st(rq->w)->machines, arn, strlen(arn));
	if (rc && rc != STORE_NOTFOUND)
		mock_fail_store(rq, rc);
	else
		rq->out = cJSON_CreateObject();
}

/* Pagination tokens: base64 of the last key returned. */
static char *page_token(const char *key)
{
	sb b = SB_INIT;
	b64_encode(key, strlen(key), &b);
	return sb_steal(&b);
}

static char *page_key(mock_req *rq, const char *tok)
{
	sb b = SB_INIT;
	if (b64_decode(tok, strlen(tok), 0, &b)) {
		sb_free(&b);
		mock_fail(rq, AWSERR_SFN_ValidationException, "Invalid pagination token");
		return NULL;
	}
	if (!b.buf)
		sb_cat(&b, "");
	return sb_steal(&b);
}

/* ListStateMachines: maxResults?, nextToken? */
void sfn_op_list_state_machines(mock_req *rq)
{
	int max = (int)cj_num(rq->in, "maxResults", 100);
	if (max <= 0 || max > 1000)
		max = 100;
	const char *tok = cj_str(rq->in, "nextToken");
	char *after = tok ? page_key(rq, tok) : NULL;
	if (tok && !after)
		return;
	store_cur *c;
	int rc = store_cur_open(rq->txn, sfn_st(rq->w)->machines, &c);
	if (rc) {
		mem_free(after);
		mock_fail_store(rq, rc);
		return;
	}
	rq->out = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(rq->out, "stateMachines");
	store_val k, v;
	int n = 0;
	char *last = NULL;
	if (after) {
		k.data = after;
		k.len = strlen(after);
		rc = store_cur_get(c, STORE_SET_RANGE, &k, &v);
		if (rc == 0 && k.len == strlen(after) && !memcmp(k.data, after, k.len))
			rc = store_cur_get(c, STORE_NEXT, &k, &v);
	} else
		rc = store_cur_get(c, STORE_FIRST, &k, &v);
	for (; rc == 0; rc = store_cur_get(c, STORE_NEXT, &k, &v)) {
		if (n == max) {
			char *pt = page_token(last);
			cJSON_AddStringToObject(rq->out, "nextToken", pt);
			mem_free(pt);
			break;
		}
		cJSON *m = cJSON_ParseWithLength(v.data, v.len);
		if (!m)
			continue;
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "stateMachineArn", cj_str(m, "stateMachineArn"));
		cJSON_AddStringToObject(e, "name", cj_str(m, "name"));
		cJSON_AddStringToObject(e, "type", cj_str(m, "type"));
		cJSON_AddNumberToObject(e, "creationDate", cj_num(m, "creationDate", 0));
		cJSON_AddItemToArray(arr, e);
		mem_free(last);
		last = mem_strndup(k.data, k.len);
		cJSON_Delete(m);
		n++;
	}
	store_cur_close(c);
	mem_free(last);
	mem_free(after);
}

/* ValidateStateMachineDefinition: definition, type? */
void sfn_op_validate_state_machine_definition(mock_req *rq)
{
	const char *def = sfn_req_str(rq, "definition");
	if (!def)
		return;
	const char *type = cj_str(rq->in, "type");
	rq->out = cJSON_CreateObject();
	cJSON *diags = cJSON_CreateArray();
	size_t errpos;
	cJSON *j = cj_parse(def, strlen(def), &errpos);
	if (!j) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "severity", "ERROR");
		cJSON_AddStringToObject(d, "code", "INVALID_JSON_DESCRIPTION");
		cJSON_AddStringToObject(d, "message", "The definition is not valid JSON");
		cJSON_AddItemToArray(diags, d);
	} else {
		engine_diags dg = {0};
		engine_def *ed = engine_def_load(j, &dg);
		if (ed && type && !strcmp(type, "EXPRESS") && engine_def_uses_task_token(ed)) {
			cJSON *d = cJSON_CreateObject();
			cJSON_AddStringToObject(d, "severity", "ERROR");
			cJSON_AddStringToObject(d, "code", "SCHEMA_VALIDATION_FAILED");
			cJSON_AddStringToObject(d, "message", "Express state machine does not support '.waitForTaskToken' "
			                                      "service integration");
			cJSON_AddItemToArray(diags, d);
		}
		engine_def_free(ed);
		for (size_t i = 0; i < dg.n; i++) {
			cJSON *d = cJSON_CreateObject();
			cJSON_AddStringToObject(d, "severity", "ERROR");
			cJSON_AddStringToObject(d, "code", dg.v[i].code);
			const char *msg = dg.v[i].message;
			size_t cl = strlen(dg.v[i].code);
			if (!strncmp(msg, dg.v[i].code, cl) && msg[cl] == ':')
				msg += cl + 2;
			cJSON_AddStringToObject(d, "message", msg);
			if (dg.v[i].path)
				cJSON_AddStringToObject(d, "location", dg.v[i].path);
			cJSON_AddItemToArray(diags, d);
		}
		engine_diags_free(&dg);
		cJSON_Delete(j);
	}
	cJSON_AddStringToObject(rq->out, "result", cJSON_GetArraySize(diags) ? "FAIL" : "OK");
	cJSON_AddItemToObject(rq->out, "diagnostics", diags);
	cJSON_AddFalseToObject(rq->out, "truncated");
}

/* ======================================================================
 * TestState: one state, run on its own
 * ====================================================================== */

/* TestState: definition (the state), roleArn?, input?, inspectionLevel?, variables? */
void sfn_op_test_state(mock_req *rq)
{
	const char *def = sfn_req_str(rq, "definition");
	if (!def)
		return;
	cJSON *st = cJSON_Parse(def);
	if (!cJSON_IsObject(st)) {
		cJSON_Delete(st);
		mock_fail(rq, AWSERR_SFN_InvalidDefinition,
		          "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: the state is not a JSON object'");
		return;
	}
	/* The state as the only state of a machine: its transitions become
	 * terminal states named after their targets, so the next state is known. */
	const char *next = cj_str(st, "Next");
	char *next_name = next ? mem_strdup(next) : NULL;
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "StartAt", "TestState");
	cJSON *states = cJSON_AddObjectToObject(m, "States");
	const char *ql = cj_str(st, "QueryLanguage");
	if (ql)
		cJSON_AddStringToObject(m, "QueryLanguage", ql);
	const char *type = cj_str(st, "Type");
	int terminal = type && (!strcmp(type, "Choice") || !strcmp(type, "Succeed") || !strcmp(type, "Fail"));
	if (!terminal) {
		cJSON_DeleteItemFromObject(st, "Next");
		cJSON_DeleteItemFromObject(st, "End");
		cJSON_AddTrueToObject(st, "End");
	}
	int ntargets = 0;
	cJSON *targets[64];
	const char *target_names[64];
	cJSON *lists[2] = {cJSON_GetObjectItem(st, "Catch"), cJSON_GetObjectItem(st, "Choices")};
	for (int l = 0; l < 2; l++)
		for (cJSON *c = lists[l] ? lists[l]->child : NULL; c && ntargets < 62; c = c->next) {
			cJSON *n = cJSON_GetObjectItem(c, "Next");
			if (cJSON_IsString(n)) {
				targets[ntargets] = n;
				target_names[ntargets++] = n->valuestring;
			}
		}
	cJSON *dflt = cJSON_GetObjectItem(st, "Default");
	if (cJSON_IsString(dflt) && ntargets < 63) {
		targets[ntargets] = dflt;
		target_names[ntargets++] = dflt->valuestring;
	}
	for (int i = 0; i < ntargets; i++) {
		sb nm = SB_INIT;
		sb_printf(&nm, "__next__%s", target_names[i]);
		if (!cJSON_GetObjectItem(states, sb_str(&nm))) {
			cJSON *p = cJSON_CreateObject();
			cJSON_AddStringToObject(p, "Type", "Succeed");
			cJSON_AddItemToObject(states, sb_str(&nm), p);
		}
		cJSON_SetValuestring(targets[i], sb_str(&nm));
		sb_free(&nm);
	}
	cJSON_AddItemToObject(states, "TestState", st);
	engine_diags dg = {0};
	engine_def *d = engine_def_load(m, &dg);
	cJSON_Delete(m);
	if (!d) {
		char *msg = engine_diags_message(&dg);
		mock_fail(rq, AWSERR_SFN_InvalidDefinition, "%s", msg);
		mem_free(msg);
		engine_diags_free(&dg);
		mem_free(next_name);
		return;
	}
	const char *input_text = cj_str(rq->in, "input");
	cJSON *input = input_text ? cJSON_Parse(input_text) : cJSON_CreateObject();
	if (!input) {
		engine_def_free(d);
		mem_free(next_name);
		mock_fail(rq, AWSERR_SFN_InvalidExecutionInput, "Invalid State Machine Execution Input: '%s'", input_text);
		return;
	}
	engine_env env = {0};
	env.clock = rq->w->clock;
	env.region = rq->region;
	env.account = rq->w->account;
	char *sm = mock_arn(rq, "states", "stateMachine:TestStateMachine");
	char *ex = mock_arn(rq, "states", "execution:TestStateMachine:%s", rq->request_id);
	transport *tp = transport_inproc_new_for_execution(rq->w, cj_str(rq->in, "roleArn"), ex, sm);
	env.tp = tp;
	env.state_machine_arn = sm;
	env.state_machine_name = "TestStateMachine";
	env.execution_arn = ex;
	env.execution_name = rq->request_id;
	env.role_arn = cj_str(rq->in, "roleArn");
	engine_exec *x = engine_exec_new(d, &env, input);
	cJSON_Delete(input);
	engine_exec_run(x);
	rq->out = cJSON_CreateObject();
	const cJSON *h = engine_exec_history(x);
	/* which terminal state did it reach? */
	const char *reached = NULL;
	for (const cJSON *e = h->child; e; e = e->next) {
		const cJSON *sd = cJSON_GetObjectItem(e, "stateEnteredEventDetails");
		const char *nm = sd ? cj_str(sd, "name") : NULL;
		if (nm && !strncmp(nm, "__next__", 8))
			reached = nm + 8;
	}
	int caught = 0;
	if (engine_exec_status(x) == ENGINE_SUCCEEDED) {
		char *o = cj_print(engine_exec_output(x));
		cJSON_AddStringToObject(rq->out, "output", o);
		mem_free(o);
		for (const cJSON *e = h->child; e; e = e->next) {
			const char *t = cj_str(e, "type");
			if (t && (strstr(t, "Failed") || !strcmp(t, "TaskTimedOut")) && strcmp(t, "ExecutionFailed"))
				caught = 1;
		}
		if (reached)
			cJSON_AddStringToObject(rq->out, "nextState", reached);
		else if (next_name)
			cJSON_AddStringToObject(rq->out, "nextState", next_name);
		cJSON_AddStringToObject(rq->out, "status", caught && reached ? "CAUGHT_ERROR" : "SUCCEEDED");
	} else {
		if (engine_exec_error(x))
			cJSON_AddStringToObject(rq->out, "error", engine_exec_error(x));
		if (engine_exec_cause(x))
			cJSON_AddStringToObject(rq->out, "cause", engine_exec_cause(x));
		cJSON_AddStringToObject(rq->out, "status", "FAILED");
	}
	const char *lvl = cj_str(rq->in, "inspectionLevel");
	if (lvl && (!strcmp(lvl, "DEBUG") || !strcmp(lvl, "TRACE"))) {
		cJSON *insp = cJSON_AddObjectToObject(rq->out, "inspectionData");
		cJSON_AddStringToObject(insp, "input", input_text ? input_text : "{}");
	}
	engine_exec_free(x);
	engine_def_free(d);
	tp->close(tp);
	mem_free(next_name);
}
