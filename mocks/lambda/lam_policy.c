/* lam_policy.c - resource-based policies: AddPermission, RemovePermission, GetPolicy. */
#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "mocks/iam/iam_policy.h"
#include "mocks/lambda/lam_int.h"

static void policy_key(sb *k, const char *region, const char *name, const char *qualifier)
{
	sb_catc(k, 'p');
	sb_catc(k, '\0');
	lam_key(k, region, name, qualifier ? qualifier : "");
}

/* The function (and qualifier) a request names; fails the request when it
 * does not exist. */
static int target(mock_req *rq, lam_fname *f, const char **region)
{
	if (lam_req_fname(rq, "Qualifier", f, region))
		return -1;
	cJSON *cfg = NULL;
	char ver[LAM_VER_LEN];
	if (lam_fn_load(rq, rq->txn, *region, f->name, f->qualifier[0] ? f->qualifier : NULL, &cfg, ver))
		return -1;
	cJSON_Delete(cfg);
	return 0;
}

static cJSON *policy_load(store_txn *t, lam_state *st, const char *region, const char *name, const char *q)
{
	sb k = SB_INIT;
	policy_key(&k, region, name, q);
	store_val v;
	cJSON *p = NULL;
	if (store_get(t, st->meta, k.buf, k.len, &v) == 0)
		p = cj_parse(v.data, v.len, NULL);
	sb_free(&k);
	return p;
}

static int policy_store(mock_req *rq, const char *region, const char *name, const char *q, const cJSON *p)
{
	lam_state *st = lam_st(rq->w);
	sb k = SB_INIT;
	policy_key(&k, region, name, q);
	int rc;
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "Statement")) == 0) {
		rc = store_del(rq->txn, st->meta, k.buf, k.len);
		if (rc == STORE_NOTFOUND)
			rc = 0;
	} else {
		char *text = cj_print(p);
		rc = store_put(rq->txn, st->meta, k.buf, k.len, text, strlen(text), 0);
		mem_free(text);
	}
	sb_free(&k);
	if (rc)
		mock_fail_store(rq, rc);
	return rc;
}

/* Principal as Lambda writes it into the statement. */
static cJSON *principal_of(const char *p)
{
	if (!strcmp(p, "*"))
		return cJSON_CreateString("*");
	cJSON *o = cJSON_CreateObject();
	size_t n = strlen(p);
	int digits = n == 12;
	for (size_t i = 0; digits && i < n; i++)
		digits = p[i] >= '0' && p[i] <= '9';
	if (digits) {
		char root[64];
		snprintf(root, sizeof root, "arn:aws:iam::%s:root", p);
		cJSON_AddStringToObject(o, "AWS", root);
	} else if (!strncmp(p, "arn:", 4)) {
		cJSON_AddStringToObject(o, "AWS", p);
	} else {
		cJSON_AddStringToObject(o, "Service", p);
	}
	return o;
}

/* AddPermission: FunctionName, StatementId, Action, Principal, SourceArn?, SourceAccount?, Qualifier?, RevisionId? */
void lam_op_add_permission(mock_req *rq)
{
	lam_fname f;
	const char *region;
	if (target(rq, &f, &region))
		return;
	const char *sid = cj_str(rq->in, "StatementId"), *action = cj_str(rq->in, "Action");
	const char *principal = cj_str(rq->in, "Principal");
	if (!sid || !action || !principal) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "StatementId, Action and Principal are required");
		return;
	}
	size_t sl = strlen(sid);
	int ok = sl >= 1 && sl <= 100;
	for (size_t i = 0; ok && i < sl; i++)
		ok = (sid[i] >= 'a' && sid[i] <= 'z') || (sid[i] >= 'A' && sid[i] <= 'Z') ||
		     (sid[i] >= '0' && sid[i] <= '9') || sid[i] == '-' || sid[i] == '_';
	if (!ok) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "1 validation error detected: Value '%s' at 'statementId' failed to satisfy constraint: "
		          "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)",
		          sid);
		return;
	}
	if (strncmp(action, "lambda:", 7) && strcmp(action, "*")) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException,
		          "1 validation error detected: Value '%s' at 'action' failed to satisfy constraint: Member must "
		          "satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])",
		          action);
		return;
	}
	const char *q = f.qualifier[0] ? f.qualifier : NULL;
	lam_state *st = lam_st(rq->w);
	cJSON *pol = policy_load(rq->txn, st, region, f.name, q);
	if (!pol) {
		pol = cJSON_CreateObject();
		cJSON_AddStringToObject(pol, "Version", "2012-10-17");
		cJSON_AddStringToObject(pol, "Id", "default");
		cJSON_AddArrayToObject(pol, "Statement");
	}
	cJSON *stmts = cJSON_GetObjectItemCaseSensitive(pol, "Statement");
	for (const cJSON *x = stmts->child; x; x = x->next)
		if (!strcmp(cj_str(x, "Sid") ? cj_str(x, "Sid") : "", sid)) {
			mock_fail(rq, AWSERR_LAM_ResourceConflictException,
			          "The statement id (%s) provided already exists. Please provide a new statement id, or "
			          "remove the existing statement.",
			          sid);
			cJSON_Delete(pol);
			return;
		}
	cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "Sid", sid);
	cJSON_AddStringToObject(s, "Effect", "Allow");
	cJSON_AddItemToObject(s, "Principal", principal_of(principal));
	cJSON_AddStringToObject(s, "Action", action);
	cJSON_AddStringToObject(s, "Resource", lam_fn_arn(rq, region, f.name, q));
	const char *src = cj_str(rq->in, "SourceArn"), *acct = cj_str(rq->in, "SourceAccount");
	if (src || acct) {
		cJSON *c = cJSON_AddObjectToObject(s, "Condition");
		if (acct)
			cJSON_AddStringToObject(cJSON_AddObjectToObject(c, "StringEquals"), "AWS:SourceAccount", acct);
		if (src)
			cJSON_AddStringToObject(cJSON_AddObjectToObject(c, "ArnLike"), "AWS:SourceArn", src);
	}
	/* what is stored must be a policy the evaluator accepts */
	sb err = SB_INIT;
	cJSON_AddItemToArray(stmts, cJSON_Duplicate(s, 1));
	iam_policy *check = iam_policy_from_json(pol, IAM_RESOURCE, &err);
	if (!check) {
		mock_fail(rq, AWSERR_LAM_InvalidParameterValueException, "The policy is not valid: %s", sb_str(&err));
	} else if (policy_store(rq, region, f.name, q, pol) == 0) {
		rq->out = cJSON_CreateObject();
		char *text = cj_print(s);
		cJSON_AddStringToObject(rq->out, "Statement", text);
		mem_free(text);
	}
	iam_policy_free(check);
	sb_free(&err);
	cJSON_Delete(s);
	cJSON_Delete(pol);
}

/* RemovePermission: FunctionName, StatementId, Qualifier?, RevisionId? */
void lam_op_remove_permission(mock_req *rq)
{
	lam_fname f;
	const char *region;
	if (target(rq, &f, &region))
		return;
	const char *sid = cj_str(rq->in, "StatementId");
	const char *q = f.qualifier[0] ? f.qualifier : NULL;
	cJSON *pol = policy_load(rq->txn, lam_st(rq->w), region, f.name, q);
	cJSON *stmts = cJSON_GetObjectItemCaseSensitive(pol, "Statement");
	int i = 0;
	for (cJSON *x = stmts ? stmts->child : NULL; x; x = x->next, i++)
		if (sid && cj_str(x, "Sid") && !strcmp(cj_str(x, "Sid"), sid))
			break;
	if (!stmts || i == cJSON_GetArraySize(stmts)) {
		mock_fail(rq, AWSERR_LAM_ResourceNotFoundException, "Statement %s is not found in resource policy.",
		          sid ? sid : "");
		cJSON_Delete(pol);
		return;
	}
	cJSON_DeleteItemFromArray(stmts, i);
	policy_store(rq, region, f.name, q, pol);
	cJSON_Delete(pol);
}

/* GetPolicy: FunctionName, Qualifier? */
void lam_op_get_policy(mock_req *rq)
{
	lam_fname f;
	const char *region;
	if (target(rq, &f, &region))
		return;
	cJSON *pol = policy_load(rq->txn, lam_st(rq->w), region, f.name, f.qualifier[0] ? f.qualifier : NULL);
	if (!pol) {
		mock_fail(rq, AWSERR_LAM_ResourceNotFoundException, "The resource you requested does not exist.");
		return;
	}
	rq->out = cJSON_CreateObject();
	char *text = cj_print(pol);
	cJSON_AddStringToObject(rq->out, "Policy", text);
	mem_free(text);
	char rev[UUID_LEN];
	mock_world_uuid(rq->w, rev);
	cJSON_AddStringToObject(rq->out, "RevisionId", rev);
	cJSON_Delete(pol);
}

char *lam_policy_text(mock_world *w, const char *region, const char *function_name, const char *qualifier)
{
	lam_fname f;
	if (!function_name || lam_fname_parse(function_name, &f))
		return NULL;
	store_txn *t;
	if (store_txn_begin(w->st, 1, &t))
		return NULL;
	const char *q = f.qualifier[0] ? f.qualifier : qualifier;
	cJSON *p = policy_load(t, lam_st(w), f.region[0] ? f.region : region, f.name, q && *q ? q : NULL);
	store_txn_abort(t);
	if (!p)
		return NULL;
	char *text = cj_print(p);
	cJSON_Delete(p);
	return text;
}
