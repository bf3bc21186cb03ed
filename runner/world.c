/* world.c - seeding the mocks from `given`; the snapshot assertions read. */
#include "runner/world.h"

#include <stdio.h>
#include <string.h>

#include "common/b64.h"
#include "common/file.h"
#include "common/mem.h"
#include "mocks/dynamodb/ddb_attr.h"

/* ======================================================================
 * Seeding
 * ====================================================================== */

/* Call service/op; on failure describe it at node in err. */
static int seed_call(mock_world *w, const runner_scenario *s, const char *svc, const char *op, const cJSON *in,
                     const cJSON *node, const char *what, sb *err)
{
	cJSON *out = NULL;
	sb e = SB_INIT;
	int rc = mock_call(w, svc, op, in, &out, &e);
	cJSON_Delete(out);
	if (rc) {
		runner_file_where(s->file, node, 0, err);
		sb_printf(err, "%s: %s failed: %s\n", what, op, sb_str(&e));
	}
	sb_free(&e);
	return rc;
}

static int seed_table(mock_world *w, const runner_scenario *s, const cJSON *t, sb *err)
{
	cJSON *in = cJSON_Duplicate(t, 1);
	if (!cJSON_GetObjectItem(in, "BillingMode") && !cJSON_GetObjectItem(in, "ProvisionedThroughput"))
		cJSON_AddStringToObject(in, "BillingMode", "PAY_PER_REQUEST");
	int rc = seed_call(w, s, "dynamodb", "CreateTable", in, t, "given.dynamodb.tables", err);
	cJSON_Delete(in);
	return rc;
}

/* items: an array of plain items; items->string is the table. */
static int seed_items(mock_world *w, const runner_scenario *s, const cJSON *items, sb *err)
{
	const cJSON *item;
	cJSON_ArrayForEach(item, items)
	{
		cJSON *in = cJSON_CreateObject();
		cJSON_AddStringToObject(in, "TableName", items->string);
		cJSON_AddItemToObject(in, "Item", ddb_attr_item_from_plain(item));
		int rc = seed_call(w, s, "dynamodb", "PutItem", in, item, "given.dynamodb.items", err);
		cJSON_Delete(in);
		if (rc)
			return -1;
	}
	return 0;
}

/* Lambda takes a zip of at most 50 MB in a CreateFunction request. */
#define LAMBDA_MAX_ZIP ((size_t)50 << 20)

/* A function's resource-based permissions, through Lambda's AddPermission. */
static int seed_permissions(mock_world *w, const runner_scenario *s, const cJSON *f, const cJSON *perms, sb *err)
{
	const cJSON *p;
	cJSON_ArrayForEach(p, perms)
	{
		cJSON *in = cJSON_Duplicate(p, 1);
		cJSON_AddStringToObject(in, "FunctionName", cj_str(f, "FunctionName"));
		int rc = seed_call(w, s, "lambda", "AddPermission", in, p, "given.lambda.functions[].permissions", err);
		cJSON_Delete(in);
		if (rc)
			return -1;
	}
	return 0;
}

static int seed_function(mock_world *w, const runner_scenario *s, const cJSON *f, sb *err)
{
	cJSON *in = cJSON_Duplicate(f, 1);
	cJSON_Delete(cJSON_DetachItemFromObjectCaseSensitive(in, "permissions"));
	cJSON *code = cJSON_DetachItemFromObjectCaseSensitive(in, "code");
	if (cJSON_IsString(code)) {
		/* real code: the zip goes to CreateFunction as Code.ZipFile */
		sb p = SB_INIT, z = SB_INIT, ferr = SB_INIT;
		file_beside(s->file->path, code->valuestring, &p);
		size_t len;
		char *zip = file_read(sb_str(&p), LAMBDA_MAX_ZIP, &len, &ferr);
		if (!zip) {
			sb_printf(err, "given.lambda.functions: cannot read the code of %s, '%s': %s\n",
			          cj_str(f, "FunctionName") ? cj_str(f, "FunctionName") : "?", sb_str(&p), sb_str(&ferr));
			sb_free(&p), sb_free(&ferr);
			cJSON_Delete(code);
			cJSON_Delete(in);
			return -1;
		}
		b64_encode(zip, len, &z);
		mem_free(zip);
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "ZipFile", sb_str(&z));
		cJSON_AddItemToObject(in, "Code", c);
		if (!cJSON_GetObjectItemCaseSensitive(in, "Role")) { /* Lambda requires one; nothing checks it */
			sb role = SB_INIT;
			sb_printf(&role, "arn:aws:iam::%s:role/lambda-execution-role", w->account);
			cJSON_AddStringToObject(in, "Role", sb_str(&role));
			sb_free(&role);
		}
		sb_free(&p), sb_free(&z), sb_free(&ferr);
	} else {
		cJSON *behavior = cJSON_CreateObject();
		cJSON *ret = cJSON_DetachItemFromObjectCaseSensitive(in, "returns");
		cJSON *fail = cJSON_DetachItemFromObjectCaseSensitive(in, "error");
		if (ret)
			cJSON_AddItemToObject(behavior, "returns", ret);
		if (fail)
			cJSON_AddItemToObject(behavior, "error", fail);
		cJSON_AddItemToObject(in, "Behavior", behavior);
	}
	cJSON_Delete(code);
	int rc = seed_call(w, s, "lambda", "CreateFunction", in, f, "given.lambda.functions", err);
	cJSON_Delete(in);
	if (!rc)
		rc = seed_permissions(w, s, f, cj_arr(f, "permissions"), err);
	return rc;
}

/* The trust policy of an execution role: Step Functions may assume it. */
static const char trust_policy[] =
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
	"\"Principal\":{\"Service\":\"states.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

int runner_seed_role(mock_world *w, const runner_scenario *s, sb *arn, sb *err)
{
	const runner_role *r = &s->role;
	if (!r->declared)
		return 0;
	cJSON *in = cJSON_CreateObject();
	cJSON_AddStringToObject(in, "RoleName", r->name);
	cJSON_AddStringToObject(in, "AssumeRolePolicyDocument", trust_policy);
	cJSON *out = NULL;
	sb e = SB_INIT;
	int rc = mock_call(w, "iam", "CreateRole", in, &out, &e);
	cJSON_Delete(in);
	if (rc) {
		runner_file_where(s->file, r->node, 0, err);
		sb_printf(err, "role: CreateRole failed: %s\n", sb_str(&e));
	} else {
		sb_cat(arn, cj_str(cj_obj(out, "Role"), "Arn"));
	}
	cJSON_Delete(out);
	/* one inline policy per document, named after its position */
	for (size_t i = 0; !rc && i < r->policies.n; i++) {
		char name[32];
		snprintf(name, sizeof name, "policy-%zu", i + 1);
		char *doc = cj_print(r->policies.v[i]);
		in = cJSON_CreateObject();
		cJSON_AddStringToObject(in, "RoleName", r->name);
		cJSON_AddStringToObject(in, "PolicyName", name);
		cJSON_AddStringToObject(in, "PolicyDocument", doc);
		mem_free(doc);
		out = NULL;
		sb_clear(&e);
		rc = mock_call(w, "iam", "PutRolePolicy", in, &out, &e);
		cJSON_Delete(in);
		cJSON_Delete(out);
		if (rc) {
			runner_file_where(s->file, r->policies.v[i], 0, err);
			sb_printf(err, "role: PutRolePolicy failed: %s\n", sb_str(&e));
		}
	}
	sb_free(&e);
	return rc ? -1 : 0;
}

int runner_seed(mock_world *w, const runner_scenario *s, sb *err)
{
	const runner_given *g = &s->given;
	for (size_t i = 0; i < g->tables.n; i++)
		if (seed_table(w, s, g->tables.v[i], err))
			return -1;
	for (size_t i = 0; i < g->items.n; i++)
		if (seed_items(w, s, g->items.v[i], err))
			return -1;
	for (size_t i = 0; i < g->queues.n; i++)
		if (seed_call(w, s, "sqs", "CreateQueue", g->queues.v[i], g->queues.v[i], "given.sqs.queues", err))
			return -1;
	for (size_t i = 0; i < g->functions.n; i++)
		if (seed_function(w, s, g->functions.v[i], err))
			return -1;
	/* faults last, so seeding itself never meets them */
	for (size_t i = 0; i < s->faults.n; i++) {
		const cJSON *f = s->faults.v[i];
		mock_fault_add(w, cj_str(f, "service"), cj_str(f, "operation"), (int)cj_num(f, "count", 1),
		               cj_str(f, "error"), cj_str(f, "message") ? cj_str(f, "message") : "");
	}
	return 0;
}

/* ======================================================================
 * Snapshot
 * ====================================================================== */

cJSON *runner_history_path(const cJSON *history)
{
	cJSON *path = cJSON_CreateArray();
	const cJSON *ev;
	cJSON_ArrayForEach(ev, history)
	{
		const char *type = cj_str(ev, "type");
		size_t n = type ? strlen(type) : 0, k = strlen("StateEntered");
		if (n <= k || strcmp(type + n - k, "StateEntered"))
			continue;
		const char *name = cj_str(cj_obj(ev, "stateEnteredEventDetails"), "name");
		if (name)
			cJSON_AddItemToArray(path, cJSON_CreateString(name));
	}
	return path;
}

cJSON *runner_execution_json(const engine_exec *x)
{
	cJSON *e = cJSON_CreateObject();
	engine_status st = engine_exec_status(x);
	cJSON_AddStringToObject(e, "status", engine_status_name(st));
	const cJSON *out = engine_exec_output(x);
	if (out)
		cJSON_AddItemToObject(e, "output", cJSON_Duplicate(out, 1));
	if (engine_exec_error(x))
		cJSON_AddStringToObject(e, "error", engine_exec_error(x));
	if (engine_exec_cause(x))
		cJSON_AddStringToObject(e, "cause", engine_exec_cause(x));
	const cJSON *h = engine_exec_history(x);
	cJSON_AddItemToObject(e, "path", runner_history_path(h));
	cJSON_AddItemToObject(e, "history", h ? cJSON_Duplicate(h, 1) : cJSON_CreateArray());
	const cJSON *vars = engine_exec_variables(x);
	cJSON_AddItemToObject(e, "variables", vars ? cJSON_Duplicate(vars, 1) : cJSON_CreateObject());
	return e;
}

static cJSON *service_snapshot(mock_world *w, const char *name)
{
	const mock_service *svc = mock_service_find(name);
	cJSON *s = svc && svc->snapshot ? svc->snapshot(w) : NULL;
	return s ? s : cJSON_CreateObject();
}

/* {"T": {"KeySchema", "Items": [typed]}} -> {"T": [plain]}, keys {"T": [names]} */
static cJSON *dynamodb_view(mock_world *w, cJSON *keys)
{
	cJSON *raw = service_snapshot(w, "dynamodb");
	cJSON *view = cJSON_CreateObject();
	const cJSON *t;
	cJSON_ArrayForEach(t, raw)
	{
		cJSON *items = cJSON_CreateArray();
		const cJSON *it;
		cJSON_ArrayForEach(it, cj_arr(t, "Items")) cJSON_AddItemToArray(items, ddb_attr_to_plain(it));
		cJSON_AddItemToObject(view, t->string, items);
		cJSON *names = cJSON_CreateArray();
		const cJSON *k;
		cJSON_ArrayForEach(k, cj_arr(t, "KeySchema"))
		{
			const char *an = cj_str(k, "AttributeName");
			if (an)
				cJSON_AddItemToArray(names, cJSON_CreateString(an));
		}
		cJSON_AddItemToObject(keys, t->string, names);
	}
	cJSON_Delete(raw);
	return view;
}

/* A body that holds a JSON object or array is replaced by its value. */
static cJSON *sqs_view(mock_world *w)
{
	cJSON *raw = service_snapshot(w, "sqs");
	cJSON *q;
	cJSON_ArrayForEach(q, raw)
	{
		cJSON *m;
		cJSON_ArrayForEach(m, q)
		{
			const char *body = cj_str(m, "Body");
			if (!body)
				continue;
			const char *p = body;
			while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
				p++;
			if (*p != '{' && *p != '[')
				continue;
			cJSON *v = cj_parse(body, strlen(body), NULL);
			if (v)
				cJSON_ReplaceItemInObjectCaseSensitive(m, "Body", v);
		}
	}
	return raw;
}

/* The invocation log, with an empty list for each function never invoked
 * (the log only knows functions that ran), so `[]` can be checked. */
static cJSON *lambda_view(mock_world *w)
{
	cJSON *view = service_snapshot(w, "lambda");
	cJSON *in = cJSON_CreateObject();
	for (int page = 0; page < 1000; page++) {
		cJSON *out = NULL;
		if (mock_call(w, "lambda", "ListFunctions", in, &out, NULL))
			break;
		const cJSON *f;
		cJSON_ArrayForEach(f, cj_arr(out, "Functions"))
		{
			const char *name = cj_str(f, "FunctionName");
			if (name && !cJSON_GetObjectItemCaseSensitive(view, name))
				cJSON_AddItemToObject(view, name, cJSON_CreateArray());
		}
		const char *next = cj_str(out, "NextMarker");
		int more = next != NULL;
		cJSON_DeleteItemFromObjectCaseSensitive(in, "Marker");
		if (more)
			cJSON_AddStringToObject(in, "Marker", next);
		cJSON_Delete(out);
		if (!more)
			break;
	}
	cJSON_Delete(in);
	return view;
}

cJSON *runner_world_snapshot(mock_world *w, cJSON *execution, cJSON **keys)
{
	cJSON *snap = cJSON_CreateObject();
	*keys = cJSON_CreateObject();
	cJSON_AddItemToObject(snap, "execution", execution ? execution : cJSON_CreateObject());
	cJSON_AddItemToObject(snap, "dynamodb", dynamodb_view(w, *keys));
	cJSON_AddItemToObject(snap, "sqs", sqs_view(w));
	cJSON_AddItemToObject(snap, "lambda", lambda_view(w));
	return snap;
}
