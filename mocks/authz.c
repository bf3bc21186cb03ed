/* authz.c - which IAM action and resource each call needs, and the check at dispatch. */
#include "mocks/authz.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "common/clock.h"
#include "common/mem.h"
#include "mocks/iam/iam.h"
#include "mocks/lambda/lam.h"

/* ======================================================================
 * What a call needs
 * ====================================================================== */

static void need(cJSON *out, const char *action, const char *resource)
{
	/* the same permission twice (a batch over one table) is asked once */
	for (const cJSON *x = out->child; x; x = x->next)
		if (!strcmp(cj_str(x, "action"), action) && !strcmp(cj_str(x, "resource"), resource))
			return;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "action", action);
	cJSON_AddStringToObject(o, "resource", resource);
	cJSON_AddItemToArray(out, o);
}

static void ddb_table(cJSON *out, const char *account, const char *region, const char *action, const char *table,
                      const char *index)
{
	if (!table)
		return;
	sb r = SB_INIT;
	sb_printf(&r, "arn:aws:dynamodb:%s:%s:table/%s", region, account, table);
	if (index)
		sb_printf(&r, "/index/%s", index);
	need(out, action, sb_str(&r));
	sb_free(&r);
}

static void ddb_needs(cJSON *out, const char *account, const char *region, const char *op, const cJSON *in)
{
	char action[128];
	snprintf(action, sizeof action, "dynamodb:%s", op);
	if (!strcmp(op, "BatchGetItem") || !strcmp(op, "BatchWriteItem")) {
		for (const cJSON *t = cJSON_GetObjectItemCaseSensitive(in, "RequestItems") ?
		                          cJSON_GetObjectItemCaseSensitive(in, "RequestItems")->child : NULL;
		     t; t = t->next)
			ddb_table(out, account, region, action, t->string, NULL);
		return;
	}
	if (!strcmp(op, "TransactWriteItems") || !strcmp(op, "TransactGetItems")) {
		static const char *const kinds[][2] = {{"Put", "dynamodb:PutItem"},
		                                       {"Update", "dynamodb:UpdateItem"},
		                                       {"Delete", "dynamodb:DeleteItem"},
		                                       {"ConditionCheck", "dynamodb:ConditionCheckItem"},
		                                       {"Get", "dynamodb:GetItem"}};
		const cJSON *items = cj_arr(in, "TransactItems");
		for (const cJSON *it = items ? items->child : NULL; it; it = it->next)
			for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
				const cJSON *x = cj_obj(it, kinds[k][0]);
				if (x)
					ddb_table(out, account, region, kinds[k][1], cj_str(x, "TableName"), NULL);
			}
		return;
	}
	const char *table = cj_str(in, "TableName");
	if (!table) {
		need(out, action, "*");
		return;
	}
	ddb_table(out, account, region, action, table,
	          (!strcmp(op, "Query") || !strcmp(op, "Scan")) ? cj_str(in, "IndexName") : NULL);
}

/* The queue named by a URL's path /<account>/<name>, or by QueueName. */
static void sqs_needs(cJSON *out, const char *account, const char *region, const char *op, const cJSON *in)
{
	static const char *const batch[][2] = {{"SendMessageBatch", "SendMessage"},
	                                       {"DeleteMessageBatch", "DeleteMessage"},
	                                       {"ChangeMessageVisibilityBatch", "ChangeMessageVisibility"}};
	const char *name = op;
	for (size_t i = 0; i < sizeof batch / sizeof *batch; i++)
		if (!strcmp(op, batch[i][0]))
			name = batch[i][1];
	char action[128];
	snprintf(action, sizeof action, "sqs:%s", name);
	const char *url = cj_str(in, "QueueUrl"), *qname = cj_str(in, "QueueName");
	sb r = SB_INIT;
	if (url) {
		const char *end = url + strlen(url), *slash = end;
		while (slash > url && slash[-1] != '/')
			slash--;
		const char *acct = slash > url ? slash - 1 : url;
		while (acct > url && acct[-1] != '/')
			acct--;
		if (slash > url && acct < slash - 1 && *slash)
			sb_printf(&r, "arn:aws:sqs:%s:%.*s:%s", region, (int)(slash - 1 - acct), acct, slash);
	} else if (qname) {
		sb_printf(&r, "arn:aws:sqs:%s:%s:%s", region, account, qname);
	}
	need(out, action, r.len ? sb_str(&r) : "*");
	sb_free(&r);
}

static void lambda_needs(cJSON *out, const char *account, const char *region, const char *op, const cJSON *in)
{
	char action[128];
	snprintf(action, sizeof action, "lambda:%s", !strcmp(op, "Invoke") ? "InvokeFunction" : op);
	sb r = SB_INIT;
	const char *fn = cj_str(in, "FunctionName");
	if (!fn || lam_function_arn(fn, cj_str(in, "Qualifier"), region, account, &r))
		sb_cat(&r, "*");
	need(out, action, sb_str(&r));
	sb_free(&r);
}

static void generic_needs(cJSON *out, const char *prefix, const char *op, const cJSON *in, const char *const keys[])
{
	char action[128];
	snprintf(action, sizeof action, "%s:%s", prefix, op);
	for (int i = 0; keys[i]; i++)
		if (cj_str(in, keys[i])) {
			need(out, action, cj_str(in, keys[i]));
			return;
		}
	need(out, action, "*");
}

cJSON *authz_needs(const char *account, const char *region, const char *service, const char *op, const cJSON *in)
{
	cJSON *out = cJSON_CreateArray();
	if (!strcmp(service, "dynamodb"))
		ddb_needs(out, account, region, op, in);
	else if (!strcmp(service, "sqs"))
		sqs_needs(out, account, region, op, in);
	else if (!strcmp(service, "lambda"))
		lambda_needs(out, account, region, op, in);
	else if (!strcmp(service, "states")) {
		static const char *const keys[] = {"stateMachineArn", "executionArn", NULL};
		generic_needs(out, "states", op, in, keys);
	}
	return out;
}

/* ======================================================================
 * The check
 * ====================================================================== */

void authz_caller_arn(const mock_principal *p, sb *out)
{
	/* arn:aws:iam::<account>:role/<path/>name -> assumed-role/<name>/<session> */
	const char *arn = p->role_arn, *r = strstr(arn, ":role/");
	const char *name = r ? strrchr(r, '/') + 1 : arn;
	const char *acct = "";
	size_t al = 0;
	if (!strncmp(arn, "arn:aws:iam::", 13)) {
		acct = arn + 13;
		const char *c = strchr(acct, ':');
		al = c ? (size_t)(c - acct) : 0;
	}
	sb_printf(out, "arn:aws:sts::%.*s:assumed-role/%s/%s", (int)al, acct, name,
	          p->session && *p->session ? p->session : "stepbench");
}

/* The denial, in the service's own shape. */
static void deny(mock_req *rq, iam_decision d, const iam_request *r, const char *caller)
{
	sb m = SB_INIT;
	const char *svc = rq->svc->name;
	if (!strcmp(svc, "sqs")) {
		/* SQS reports the action in lower case */
		char lower[128];
		size_t i = 0;
		for (; r->action[i] && i + 1 < sizeof lower; i++)
			lower[i] = (char)tolower((unsigned char)r->action[i]);
		lower[i] = '\0';
		iam_request lr = *r;
		lr.action = lower;
		iam_denied_message(d, caller, &lr, &m);
		mock_fail_as(rq, "AccessDenied", 403, 1, "AccessDenied", "%s", sb_str(&m));
	} else if (!strcmp(svc, "lambda")) {
		iam_denied_message(d, caller, r, &m);
		mock_fail_as(rq, "AccessDeniedException", 403, 1, NULL, "%s", sb_str(&m));
	} else {
		iam_denied_message(d, caller, r, &m);
		mock_fail_as(rq, "AccessDeniedException", 400, 1, NULL, "%s", sb_str(&m));
	}
	sb_free(&m);
}

int authz_check(mock_req *rq, const char *op)
{
	const mock_principal *p = rq->who;
	if (!p || !p->role_arn || !strcmp(rq->svc->name, "iam"))
		return 0;
	iam_policy **pols;
	size_t n;
	if (iam_role_policies(rq->w, p->role_arn, &pols, &n))
		return 0; /* an undeclared role: nothing to enforce */
	cJSON *needs = authz_needs(rq->w->account, rq->region, rq->svc->name, op, rq->in);
	sb caller = SB_INIT;
	authz_caller_arn(p, &caller);
	char now[CLK_ISO_LEN];
	clk_fmt_iso(rq->now_ms, now);
	cJSON *ctx = cJSON_CreateObject();
	cJSON_AddStringToObject(ctx, "aws:PrincipalArn", p->role_arn);
	cJSON_AddStringToObject(ctx, "aws:PrincipalAccount", rq->w->account);
	cJSON_AddStringToObject(ctx, "aws:PrincipalType", "AssumedRole");
	cJSON_AddStringToObject(ctx, "aws:userid", sb_str(&caller));
	cJSON_AddStringToObject(ctx, "aws:RequestedRegion", rq->region);
	cJSON_AddStringToObject(ctx, "aws:SecureTransport", "true");
	cJSON_AddStringToObject(ctx, "aws:CurrentTime", now);
	cJSON_AddNumberToObject(ctx, "aws:EpochTime", (double)(rq->now_ms / 1000));
	if (p->source_arn)
		cJSON_AddStringToObject(ctx, "aws:SourceArn", p->source_arn);
	int rc = 0;
	for (const cJSON *x = needs->child; x && !rc; x = x->next) {
		iam_request r = {cj_str(x, "action"), cj_str(x, "resource"), sb_str(&caller), rq->w->account, NULL, ctx};
		iam_decision d = iam_decide((const iam_policy *const *)pols, n, NULL, &r);
		if (d != IAM_ALLOWED) {
			deny(rq, d, &r, sb_str(&caller));
			rc = -1;
		}
	}
	cJSON_Delete(ctx);
	cJSON_Delete(needs);
	sb_free(&caller);
	iam_policies_free(pols, n);
	return rc;
}
