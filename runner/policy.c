/* policy.c - the permissions a workflow needs, as a least-privilege policy. */
#include "runner/policy.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/cj.h"
#include "common/mem.h"
#include "mocks/authz.h"
#include "mocks/iam/iam_policy.h"

struct policy_gen {
	char account[16], region[32];
	cJSON *needs;     /* [{action, resource}] without duplicates */
	cJSON *warnings;  /* [string] */
	cJSON *functions; /* [function ARN] */
};

policy_gen *policy_gen_new(const char *account, const char *region)
{
	policy_gen *g = mem_calloc(1, sizeof *g);
	snprintf(g->account, sizeof g->account, "%s", account ? account : "000000000000");
	snprintf(g->region, sizeof g->region, "%s", region ? region : "us-east-1");
	g->needs = cJSON_CreateArray();
	g->warnings = cJSON_CreateArray();
	g->functions = cJSON_CreateArray();
	return g;
}

void policy_gen_free(policy_gen *g)
{
	if (!g)
		return;
	cJSON_Delete(g->needs);
	cJSON_Delete(g->warnings);
	cJSON_Delete(g->functions);
	mem_free(g);
}

const cJSON *policy_gen_warnings(const policy_gen *g) { return g->warnings; }
const cJSON *policy_gen_needs(const policy_gen *g) { return g->needs; }

static int has_string(const cJSON *arr, const char *s)
{
	for (const cJSON *x = arr->child; x; x = x->next)
		if (cJSON_IsString(x) && !strcmp(x->valuestring, s))
			return 1;
	return 0;
}

static cJSON *add_need(policy_gen *g, const char *action, const char *resource)
{
	for (cJSON *x = g->needs->child; x; x = x->next)
		if (!strcmp(cj_str(x, "action"), action) && !strcmp(cj_str(x, "resource"), resource))
			return x;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "action", action);
	cJSON_AddStringToObject(o, "resource", resource);
	cJSON_AddItemToArray(g->needs, o);
	if (!strcmp(action, "lambda:InvokeFunction") && strcmp(resource, "*") && !has_string(g->functions, resource))
		cJSON_AddItemToArray(g->functions, cJSON_CreateString(resource));
	return o;
}

static void add_needs(policy_gen *g, const cJSON *needs)
{
	for (const cJSON *x = needs->child; x; x = x->next)
		add_need(g, cj_str(x, "action"), cj_str(x, "resource"));
}

void policy_gen_add_call(policy_gen *g, const char *service, const char *op, const cJSON *in)
{
	cJSON *n = authz_needs(g->account, g->region, service, op, in);
	add_needs(g, n);
	cJSON_Delete(n);
}

/* ======================================================================
 * From the definition
 * ====================================================================== */

int policy_task_call(const char *resource, char service[64], char op[128], char function[512])
{
	function[0] = '\0';
	static const char pfx[] = "arn:aws:states:::";
	if (!strncmp(resource, pfx, sizeof pfx - 1)) {
		const char *r = resource + sizeof pfx - 1;
		if (!strncmp(r, "aws-sdk:", 8))
			r += 8;
		const char *colon = strchr(r, ':');
		if (!colon || colon == r || (size_t)(colon - r) >= 64)
			return -1;
		snprintf(service, 64, "%.*s", (int)(colon - r), r);
		if (!strcmp(service, "sfn"))
			snprintf(service, 64, "states"); /* the SDK's name for Step Functions */
		const char *api = colon + 1;
		size_t n = strcspn(api, ".:");
		if (n == 0 || n >= 128)
			return -1;
		snprintf(op, 128, "%.*s", (int)n, api);
		op[0] = (char)toupper((unsigned char)op[0]);
		return 0;
	}
	if (!strncmp(resource, "arn:aws:lambda:", 15) && strstr(resource, ":function:")) {
		snprintf(service, 64, "lambda");
		snprintf(op, 128, "Invoke");
		snprintf(function, 512, "%s", resource);
		return 0;
	}
	return -1; /* activities and anything else call no API with the role */
}

/* Copies v keeping only what is literal: in a JSONata state a "{% %}"
 * string is computed; in a JSONPath state a "key.$" member is. Sets
 * *dynamic when something was dropped at the top level, naming it. */
static cJSON *literal_copy(const cJSON *v, int jsonata, sb *dropped)
{
	if (cJSON_IsString(v)) {
		size_t n = strlen(v->valuestring);
		if (jsonata && n >= 4 && !strncmp(v->valuestring, "{%", 2) && !strcmp(v->valuestring + n - 2, "%}"))
			return NULL;
		return cJSON_CreateString(v->valuestring);
	}
	if (cJSON_IsArray(v)) {
		cJSON *a = cJSON_CreateArray();
		for (const cJSON *x = v->child; x; x = x->next) {
			cJSON *c = literal_copy(x, jsonata, NULL);
			if (c)
				cJSON_AddItemToArray(a, c);
		}
		return a;
	}
	if (cJSON_IsObject(v)) {
		cJSON *o = cJSON_CreateObject();
		for (const cJSON *x = v->child; x; x = x->next) {
			size_t kl = strlen(x->string);
			cJSON *c = NULL;
			char key[256];
			snprintf(key, sizeof key, "%s", x->string);
			if (!jsonata && kl > 2 && !strcmp(x->string + kl - 2, ".$"))
				key[kl - 2] = '\0';
			else
				c = literal_copy(x, jsonata, NULL);
			if (c)
				cJSON_AddItemToObject(o, x->string, c);
			else if (dropped)
				sb_printf(dropped, "%s%s", dropped->len ? "," : "", key);
		}
		return o;
	}
	return cJSON_Duplicate(v, 1);
}

static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p && *p;) {
		const char *c = strchr(p, ',');
		size_t l = c ? (size_t)(c - p) : strlen(p);
		if (l == n && !strncmp(p, name, n))
			return 1;
		p = c ? c + 1 : NULL;
	}
	return 0;
}

/* The request field that names the resource of a service's calls, and the
 * ARN covering every such resource. */
static void wildcard_for(const policy_gen *g, const char *service, const char **field, sb *arn)
{
	*field = NULL;
	if (!strcmp(service, "dynamodb")) {
		*field = "TableName";
		sb_printf(arn, "arn:aws:dynamodb:%s:%s:table/*", g->region, g->account);
	} else if (!strcmp(service, "sqs")) {
		*field = "QueueUrl";
		sb_printf(arn, "arn:aws:sqs:%s:%s:*", g->region, g->account);
	} else if (!strcmp(service, "lambda")) {
		*field = "FunctionName";
		sb_printf(arn, "arn:aws:lambda:%s:%s:function:*", g->region, g->account);
	} else if (!strcmp(service, "states")) {
		*field = "StateMachineArn";
		sb_printf(arn, "arn:aws:states:%s:%s:stateMachine:*", g->region, g->account);
	} else {
		sb_cat(arn, "*");
	}
}

static void warn(policy_gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(policy_gen *g, const char *fmt, ...)
{
	sb m = SB_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(&m, fmt, ap);
	va_end(ap);
	if (!has_string(g->warnings, sb_str(&m)))
		cJSON_AddItemToArray(g->warnings, cJSON_CreateString(sb_str(&m)));
	sb_free(&m);
}

/* The last warning added: a need computed at run time carries it, so that
 * the calls scenarios made can retire it. */
static const char *last_warning(const policy_gen *g)
{
	const cJSON *w = g->warnings->child;
	while (w && w->next)
		w = w->next;
	return w ? w->valuestring : NULL;
}

static void task_needs(policy_gen *g, const char *name, const char *state, const cJSON *st, int jsonata)
{
	const char *res = cj_str(st, "Resource");
	char service[64], op[128], function[512];
	if (!res || policy_task_call(res, service, op, function))
		return;
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(st, jsonata ? "Arguments" : "Parameters");
	sb dropped = SB_INIT;
	cJSON *in = args ? literal_copy(args, jsonata, &dropped) : NULL;
	if (!cJSON_IsObject(in)) { /* "{% expr %}" for the whole request */
		cJSON_Delete(in);
		in = cJSON_CreateObject();
		if (args)
			sb_cat(&dropped, "*");
	}
	if (function[0])
		cJSON_AddStringToObject(in, "FunctionName", function);
	const char *field;
	sb wild = SB_INIT;
	wildcard_for(g, service, &field, &wild);
	int computed = field && !cJSON_GetObjectItemCaseSensitive(in, field) &&
	               (in_list(sb_str(&dropped), field) || in_list(sb_str(&dropped), "*"));
	cJSON *n = authz_needs(g->account, g->region, service, op, in);
	for (cJSON *x = n->child; x; x = x->next) {
		const char *action = cj_str(x, "action");
		if (computed || !strcmp(cj_str(x, "resource"), "*")) {
			cJSON *need = add_need(g, action, sb_str(&wild));
			if (computed) {
				warn(g, "%s: state '%s': %s is computed at run time, so %s is granted on %s", name, state, field,
				     action, sb_str(&wild));
				if (!cJSON_GetObjectItemCaseSensitive(need, "warning"))
					cJSON_AddStringToObject(need, "warning", last_warning(g));
			}
		} else {
			add_need(g, action, cj_str(x, "resource"));
		}
	}
	cJSON_Delete(n);
	cJSON_Delete(in);
	sb_free(&wild);
	sb_free(&dropped);
}

static void walk_states(policy_gen *g, const char *name, const cJSON *states, int jsonata_top, int depth)
{
	if (!cJSON_IsObject(states) || depth > 64)
		return;
	for (const cJSON *st = states->child; st; st = st->next) {
		const char *ql = cj_str(st, "QueryLanguage");
		int jsonata = ql ? !strcmp(ql, "JSONata") : jsonata_top;
		const char *type = cj_str(st, "Type");
		if (!type)
			continue;
		if (!strcmp(type, "Task"))
			task_needs(g, name, st->string, st, jsonata);
		const cJSON *branches = cj_arr(st, "Branches");
		for (const cJSON *b = branches ? branches->child : NULL; b; b = b->next)
			walk_states(g, name, cj_obj(b, "States"), jsonata, depth + 1);
		const cJSON *proc = cj_obj(st, "ItemProcessor") ? cj_obj(st, "ItemProcessor") : cj_obj(st, "Iterator");
		if (proc) {
			const char *pql = cj_str(proc, "QueryLanguage");
			walk_states(g, name, cj_obj(proc, "States"), pql ? !strcmp(pql, "JSONata") : jsonata, depth + 1);
		}
	}
}

int policy_gen_add_definition(policy_gen *g, const cJSON *definition, const char *name)
{
	const cJSON *states = cj_obj(definition, "States");
	if (!states)
		return -1;
	const char *ql = cj_str(definition, "QueryLanguage");
	walk_states(g, name ? name : "definition", states, ql && !strcmp(ql, "JSONata"), 0);
	return 0;
}

/* ======================================================================
 * The policy
 * ====================================================================== */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The actions needed on resource, sorted, joined by '\n' (a grouping key). */
static void actions_of(const policy_gen *g, const char *resource, sb *out)
{
	const char *v[256];
	size_t n = 0;
	for (const cJSON *x = g->needs->child; x && n < 256; x = x->next)
		if (!strcmp(cj_str(x, "resource"), resource))
			v[n++] = cj_str(x, "action");
	qsort(v, n, sizeof *v, cmp_str);
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(v[i], v[i - 1]))
			sb_printf(out, "%s\n", v[i]);
}

cJSON *policy_gen_policy(const policy_gen *g)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "Version", "2012-10-17");
	cJSON *stmts = cJSON_AddArrayToObject(doc, "Statement");
	/* resources with the same set of actions share a statement; statements
	 * are named after the service (Sid: DynamoDB, SQS, Lambda...) */
	cJSON *done = cJSON_CreateArray();
	for (const cJSON *x = g->needs->child; x; x = x->next) {
		const char *res = cj_str(x, "resource");
		if (has_string(done, res))
			continue;
		sb key = SB_INIT;
		actions_of(g, res, &key);
		cJSON *resources = cJSON_CreateArray();
		for (const cJSON *y = x; y; y = y->next) {
			const char *r2 = cj_str(y, "resource");
			if (has_string(done, r2) || has_string(resources, r2))
				continue;
			sb k2 = SB_INIT;
			actions_of(g, r2, &k2);
			if (!strcmp(sb_str(&k2), sb_str(&key)) &&
			    !strncmp(cj_str(y, "action"), cj_str(x, "action"), strcspn(cj_str(x, "action"), ":") + 1))
				cJSON_AddItemToArray(resources, cJSON_CreateString(r2));
			sb_free(&k2);
		}
		for (const cJSON *r = resources->child; r; r = r->next)
			cJSON_AddItemToArray(done, cJSON_CreateString(r->valuestring));
		const char *a = cj_str(x, "action");
		char svc[64];
		snprintf(svc, sizeof svc, "%.*s", (int)strcspn(a, ":"), a);
		static const char *const sids[][2] = {{"dynamodb", "DynamoDB"}, {"sqs", "SQS"}, {"lambda", "Lambda"},
		                                      {"states", "StepFunctions"}, {"sns", "SNS"}, {"events", "EventBridge"}};
		char sid[96];
		snprintf(sid, sizeof sid, "%s", svc);
		for (size_t i = 0; i < sizeof sids / sizeof *sids; i++)
			if (!strcmp(sids[i][0], svc))
				snprintf(sid, sizeof sid, "%s", sids[i][1]);
		/* a second statement for the same service gets a number */
		int same = 0;
		for (const cJSON *s = stmts->child; s; s = s->next)
			same += !strncmp(cj_str(s, "Sid"), sid, strlen(sid));
		if (same)
			snprintf(sid + strlen(sid), sizeof sid - strlen(sid), "%d", same + 1);
		cJSON *st = cJSON_CreateObject();
		cJSON_AddStringToObject(st, "Sid", sid);
		cJSON_AddStringToObject(st, "Effect", "Allow");
		cJSON *acts = cJSON_AddArrayToObject(st, "Action");
		for (const char *p = sb_str(&key); *p;) {
			const char *nl = strchr(p, '\n');
			char *one = mem_strndup(p, (size_t)(nl - p));
			cJSON_AddItemToArray(acts, cJSON_CreateString(one));
			mem_free(one);
			p = nl + 1;
		}
		if (cJSON_GetArraySize(resources) == 1) {
			cJSON_AddStringToObject(st, "Resource", resources->child->valuestring);
			cJSON_Delete(resources);
		} else {
			cJSON_AddItemToObject(st, "Resource", resources);
		}
		if (cJSON_GetArraySize(acts) == 1) {
			cJSON *one = cJSON_Duplicate(acts->child, 1);
			cJSON_ReplaceItemInObjectCaseSensitive(st, "Action", one);
		}
		cJSON_AddItemToArray(stmts, st);
		sb_free(&key);
	}
	cJSON_Delete(done);
	return doc;
}

cJSON *policy_gen_functions(const policy_gen *g) { return cJSON_Duplicate(g->functions, 1); }

/* ======================================================================
 * What scenarios touched
 * ====================================================================== */

static int is_wild(const char *arn) { return strchr(arn, '*') || strchr(arn, '?'); }

static void drop_string(cJSON *arr, const char *s)
{
	for (cJSON *x = arr->child; x; x = x->next)
		if (cJSON_IsString(x) && !strcmp(x->valuestring, s)) {
			cJSON_Delete(cJSON_DetachItemViaPointer(arr, x));
			return;
		}
}

void policy_gen_use_calls(policy_gen *g, const cJSON *calls)
{
	cJSON *old = g->needs;
	g->needs = cJSON_CreateArray();
	cJSON_Delete(g->functions);
	g->functions = cJSON_CreateArray();
	cJSON *stay = cJSON_CreateArray(); /* warnings of needs that stay wildcards */
	for (const cJSON *x = old->child; x; x = x->next) {
		const char *action = cj_str(x, "action"), *res = cj_str(x, "resource");
		const char *warning = cj_str(x, "warning");
		int narrowed = 0;
		if (is_wild(res))
			for (const cJSON *c = calls ? calls->child : NULL; c; c = c->next) {
				const char *ca = cj_str(c, "action"), *cr = cj_str(c, "resource");
				if (ca && cr && !strcasecmp(ca, action) && !is_wild(cr) && iam_arn_match(res, cr)) {
					add_need(g, action, cr);
					narrowed = 1;
				}
			}
		if (narrowed)
			continue;
		cJSON *n = add_need(g, action, res);
		if (warning) {
			cJSON_AddStringToObject(n, "warning", warning);
			if (!has_string(stay, warning))
				cJSON_AddItemToArray(stay, cJSON_CreateString(warning));
		}
	}
	/* a warning all of whose needs were narrowed no longer holds; one that
	 * stays says that no scenario touched the resource */
	cJSON *warnings = cJSON_CreateArray();
	for (const cJSON *w = g->warnings->child; w; w = w->next) {
		int computed = 0;
		for (const cJSON *x = old->child; x && !computed; x = x->next)
			computed = cj_str(x, "warning") && !strcmp(cj_str(x, "warning"), w->valuestring);
		if (!computed)
			cJSON_AddItemToArray(warnings, cJSON_CreateString(w->valuestring));
		else if (has_string(stay, w->valuestring)) {
			sb m = SB_INIT;
			sb_printf(&m, "%s (no scenario touched one)", w->valuestring);
			cJSON_AddItemToArray(warnings, cJSON_CreateString(sb_str(&m)));
			sb_free(&m);
		}
	}
	cJSON_Delete(g->warnings);
	g->warnings = warnings;
	/* calls the definition did not foresee (a service computed at run time) */
	for (const cJSON *c = calls ? calls->child : NULL; c; c = c->next) {
		const char *ca = cj_str(c, "action"), *cr = cj_str(c, "resource");
		int covered = 0;
		for (const cJSON *x = g->needs->child; x && !covered && ca && cr; x = x->next)
			covered = !strcasecmp(cj_str(x, "action"), ca) && iam_arn_match(cj_str(x, "resource"), cr);
		if (ca && cr && !covered)
			add_need(g, ca, cr);
	}
	/* a wildcard function needs no resource-based permission line */
	for (cJSON *f = g->functions->child; f;) {
		cJSON *next = f->next;
		if (is_wild(f->valuestring))
			drop_string(g->functions, f->valuestring);
		f = next;
	}
	cJSON_Delete(stay);
	cJSON_Delete(old);
}
