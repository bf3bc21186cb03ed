/* tap.c - recording the permissions a workflow's calls need. */
#include "runner/tap.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/cj.h"
#include "common/mem.h"
#include "mocks/authz.h"

typedef struct tap {
	transport t;
	transport *inner;
	char account[16], region[32];
	cJSON *calls;
	pthread_mutex_t mu;
} tap;

void runner_tap_note(cJSON *calls, const char *action, const char *resource, int denied)
{
	for (cJSON *x = calls->child; x; x = x->next)
		if (!strcmp(cj_str(x, "action"), action) && !strcmp(cj_str(x, "resource"), resource)) {
			if (denied && !cJSON_GetObjectItemCaseSensitive(x, "denied"))
				cJSON_AddTrueToObject(x, "denied");
			return;
		}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "action", action);
	cJSON_AddStringToObject(o, "resource", resource);
	if (denied)
		cJSON_AddTrueToObject(o, "denied");
	cJSON_AddItemToArray(calls, o);
}

/* Does an access-denied message name this permission? AWS writes
 * "... not authorized to perform: <action> on resource: <arn> ..." (SQS
 * with the action in lower case). */
static int names(const char *msg, const char *action, const char *resource)
{
	const char *p = strstr(msg, "perform: ");
	if (!p)
		return 0;
	p += 9;
	size_t al = strlen(action);
	if (strncasecmp(p, action, al) || strncmp(p + al, " on resource: ", 14))
		return 0;
	p += al + 14;
	size_t rl = strlen(resource);
	return !strncmp(p, resource, rl) && (p[rl] == '\0' || p[rl] == ' ');
}

static int tap_call(transport *t, const char *service, const char *op, const char *region, const cJSON *in,
                    transport_result *res)
{
	tap *tp = t->ctx;
	int rc = tp->inner->call(tp->inner, service, op, region, in, res);
	cJSON *needs = authz_needs(tp->account, region ? region : tp->region, service, op, in);
	int denied = rc == TRANSPORT_AWS_ERROR && res->err_type &&
	             (!strcmp(res->err_type, "AccessDenied") || !strcmp(res->err_type, "AccessDeniedException"));
	const char *msg = res->err_message ? res->err_message : "";
	int named = 0;
	for (const cJSON *x = needs->child; denied && x; x = x->next)
		named += names(msg, cj_str(x, "action"), cj_str(x, "resource"));
	pthread_mutex_lock(&tp->mu);
	for (const cJSON *x = needs->child; x; x = x->next) {
		const char *a = cj_str(x, "action"), *r = cj_str(x, "resource");
		/* the denied one when the message says which; every one when it does not */
		runner_tap_note(tp->calls, a, r, denied && (!named || names(msg, a, r)));
	}
	pthread_mutex_unlock(&tp->mu);
	cJSON_Delete(needs);
	return rc;
}

static void tap_close(transport *t)
{
	tap *tp = t->ctx;
	if (tp->inner->close)
		tp->inner->close(tp->inner);
	pthread_mutex_destroy(&tp->mu);
	mem_free(tp);
}

transport *runner_tap_new(transport *inner, const char *account, const char *region, cJSON *calls)
{
	tap *tp = mem_calloc(1, sizeof *tp);
	tp->inner = inner;
	tp->calls = calls;
	snprintf(tp->account, sizeof tp->account, "%s", account);
	snprintf(tp->region, sizeof tp->region, "%s", region);
	pthread_mutex_init(&tp->mu, NULL);
	tp->t.call = tap_call;
	tp->t.close = tap_close;
	tp->t.ctx = tp;
	return &tp->t;
}
