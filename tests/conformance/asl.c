/* asl.c - the ASL conformance runner: every case recorded on AWS Step Functions, through the engine and the mocks.
 *
 * For each case in tests/conformance/suites/asl/cases (and the rejected
 * definitions in invalid/) the runner builds a fresh mock world (account
 * 111111111111, us-east-1, a virtual clock), creates what the case's
 * `services` block describes, runs the definition in-process and compares
 * the outcome as the suite's README says: status, output (semantic JSON
 * equality, `ignore` and `match_regex` paths), error, cause (exact, regex,
 * JSON or fragment) and the recorded history event types.
 *
 * Lambda functions are created in the Lambda mock with a behaviour that does
 * what the recording's description says (identity, a constant, a large
 * string). Two behaviours the mock cannot express are played here, in a
 * transport wrapped around the in-process one:
 *   - "sleeps N seconds": the call advances the virtual clock by N s first
 *     (so TimeoutSeconds fires as on AWS), then the mock answers;
 *   - a function that raises (Python `Exception`/`CustomException`): the
 *     invocation answers the function-error payload the recording kept
 *     (errorMessage, errorType, stackTrace; a fresh requestId), which is
 *     what that Python handler returns on AWS.
 * SQS consumers of .waitForTaskToken cases are played by a token responder
 * that receives the queue's messages and calls SendTaskSuccess/Failure/
 * Heartbeat as the case's `consumer` describes; where the case describes no
 * consumer but the recording shows the test answered the token, the
 * responder answers as recorded (recorded_task_results).
 *
 * Output: failing cases (those not in asl.exclude), per-category results and
 * "N passed, M failed". Exit 1 when a case fails that is not excluded, or
 * an excluded case passes. Env: ASL_SUITE (suite dir), ASL_CASE (run one
 * case, verbose), ASL_VERBOSE=1.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/cj.h"
#include "common/clock.h"
#include "common/file.h"
#include "common/mem.h"
#include "common/uuid.h"
#include "engine/engine.h"
#include "mocks/mock.h"
#include "mocks/transport_inproc.h"

#define ACCOUNT "111111111111"
#define REGION "us-east-1"
#define START_MS 1735689600000LL /* 2025-01-01T00:00:00Z */

static int verbose;
/* Set when a case needs a service operation the mocks do not have yet
 * (UnknownOperationException while creating its resources): the case is
 * reported as skipped, by name, and counted in the summary. */
static int skip_case;

/* ======================================================================
 * Small helpers
 * ====================================================================== */

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static char **list_dir(const char *dir, int *n)
{
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **v = NULL;
	int cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".json"))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			v = mem_realloc(v, (size_t)cap * sizeof *v);
		}
		v[(*n)++] = mem_strdup(e->d_name);
	}
	closedir(d);
	qsort(v, (size_t)*n, sizeof *v, cmp_str);
	return v;
}

/* The suite's regexes are `^(?s:...)$` or `^...$` around escaped text with
 * `.*` placeholders: match them as globs. */
static int glob_match(const char *p, const char *s)
{
	while (*p) {
		if (p[0] == '.' && p[1] == '*') {
			p += 2;
			if (!*p)
				return 1;
			for (const char *t = s;; t++) {
				if (glob_match(p, t))
					return 1;
				if (!*t)
					return 0;
			}
		}
		char c = *p;
		if (c == '\\' && p[1]) {
			c = p[1];
			p++;
		}
		if (*s != c)
			return 0;
		p++;
		s++;
	}
	return *s == 0;
}

static int regex_match(const char *re, const char *s)
{
	size_t n = strlen(re);
	char *b = mem_strdup(re);
	char *p = b;
	if (*p == '^')
		p++, n--;
	if (n && p[n - 1] == '$' && (n < 2 || p[n - 2] != '\\'))
		p[--n] = 0;
	if (!strncmp(p, "(?s:", 4) && n >= 5 && p[n - 1] == ')') {
		p[n - 1] = 0;
		p += 4;
	}
	int r = glob_match(p, s);
	mem_free(b);
	return r;
}

static char *replace_all(const char *s, const char *from, const char *to)
{
	sb o = SB_INIT;
	size_t fl = strlen(from);
	const char *q;
	while ((q = strstr(s, from))) {
		sb_catn(&o, s, (size_t)(q - s));
		sb_cat(&o, to);
		s = q + fl;
	}
	sb_cat(&o, s);
	return sb_steal(&o);
}

/* ---- path access for ignore / match_regex ---------------------------- */

static cJSON *path_get(cJSON *root, const char *path)
{
	const char *p = path;
	if (*p != '$')
		return NULL;
	p++;
	if (!strncmp(p, "cause_json", 10))
		p += 10;
	cJSON *v = root;
	while (*p && v) {
		if (*p == '.') {
			p++;
			const char *st = p;
			while (*p && *p != '.' && *p != '[')
				p++;
			char *k = mem_strndup(st, (size_t)(p - st));
			v = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, k) : NULL;
			mem_free(k);
		} else if (*p == '[') {
			p++;
			if (*p == '\'' || *p == '"') {
				char q = *p++;
				sb k = SB_INIT;
				while (*p && *p != q) {
					if (*p == '\\' && p[1])
						p++;
					sb_catc(&k, *p++);
				}
				if (*p)
					p++;
				if (*p == ']')
					p++;
				v = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, sb_str(&k)) : NULL;
				sb_free(&k);
			} else {
				long i = strtol(p, (char **)&p, 10);
				if (*p == ']')
					p++;
				v = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, (int)i) : NULL;
			}
		} else
			return NULL;
	}
	return v;
}

static void to_null(cJSON *v)
{
	if (!v)
		return;
	if (v->child && !(v->type & cJSON_IsReference))
		cJSON_Delete(v->child);
	v->child = NULL;
	if (v->valuestring && !(v->type & cJSON_IsReference))
		cJSON_free(v->valuestring);
	v->valuestring = NULL;
	v->type = cJSON_NULL;
}

/* Apply ignore/match_regex paths with prefix ("$." or "$cause_json") to
 * both values; -1 with why when the actual value breaks a rule. */
static int neutralize(const cJSON *c, int cause_json, cJSON *exp, cJSON *act, sb *why)
{
	const cJSON *ig = cJSON_GetObjectItemCaseSensitive(c, "ignore");
	for (const cJSON *x = ig ? ig->child : NULL; x; x = x->next) {
		if (!cJSON_IsString(x))
			continue;
		int is_cj = !strncmp(x->valuestring, "$cause_json", 11);
		if (is_cj != cause_json)
			continue;
		cJSON *a = path_get(act, x->valuestring);
		if (!a) {
			sb_printf(why, "ignored path %s is missing from the actual value", x->valuestring);
			return -1;
		}
		to_null(a);
		to_null(path_get(exp, x->valuestring));
	}
	const cJSON *mr = cJSON_GetObjectItemCaseSensitive(c, "match_regex");
	for (const cJSON *x = mr ? mr->child : NULL; x; x = x->next) {
		int is_cj = !strncmp(x->string, "$cause_json", 11);
		if (is_cj != cause_json || !cJSON_IsString(x))
			continue;
		cJSON *a = path_get(act, x->string);
		if (!a || !cJSON_IsString(a) || !regex_match(x->valuestring, a->valuestring)) {
			char *t = a ? cj_print(a) : mem_strdup("(missing)");
			sb_printf(why, "%s = %s does not match %s", x->string, t, x->valuestring);
			mem_free(t);
			return -1;
		}
		to_null(a);
		to_null(path_get(exp, x->string));
	}
	return 0;
}

/* JSON text as Python's json.dumps writes it (", " and ": " separators,
 * non-ASCII escaped): what a Python Lambda handler's error payload is. */
static void py_json(const cJSON *v, sb *o)
{
	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		int obj = cJSON_IsObject(v);
		sb_catc(o, obj ? '{' : '[');
		for (const cJSON *c = v->child; c; c = c->next) {
			if (obj) {
				cJSON *k = cJSON_CreateString(c->string);
				py_json(k, o);
				cJSON_Delete(k);
				sb_cat(o, ": ");
			}
			py_json(c, o);
			if (c->next)
				sb_cat(o, ", ");
		}
		sb_catc(o, obj ? '}' : ']');
		return;
	}
	if (cJSON_IsString(v)) {
		sb_catc(o, '"');
		for (const unsigned char *p = (const unsigned char *)v->valuestring; *p; p++) {
			switch (*p) {
			case '"': sb_cat(o, "\\\""); break;
			case '\\': sb_cat(o, "\\\\"); break;
			case '\n': sb_cat(o, "\\n"); break;
			case '\r': sb_cat(o, "\\r"); break;
			case '\t': sb_cat(o, "\\t"); break;
			default:
				if (*p < 0x20 || *p >= 0x80)
					sb_printf(o, "\\u%04x", *p); /* (ASCII-only payloads in the corpus) */
				else
					sb_catc(o, (char)*p);
			}
		}
		sb_catc(o, '"');
		return;
	}
	cj_print_sb(v, o);
}

/* Error payloads recorded for each handler (handler_source -> payload), to
 * play a raising function in a case that did not record its own. */
static cJSON *handler_errors;

/* ======================================================================
 * The world a case runs in
 * ====================================================================== */

typedef struct fn_play {
	char *name;        /* function name */
	int64_t sleep_ms;  /* "sleeps N seconds" */
	cJSON *errors;     /* recorded function-error payloads, in order (raising functions) */
	int next;
} fn_play;

typedef struct consumer {
	char *url;
	int kind; /* 1 success, 2 failure, 3 heartbeat then success */
	int stage;
} consumer;

typedef struct world {
	mock_world *w;
	clk *clock;
	transport *inner;
	transport outer;
	fn_play *fns;
	int nfns;
	consumer *cons;
	int ncons;
	engine_exec *x;
	rng rng;
	const cJSON *replay; /* recorded_task_results, for callbacks nobody described */
	int replay_next;
} world;

static fn_play *fn_find(world *W, const char *name)
{
	/* name, or an ARN ending in :function:<name>[:qualifier] */
	const char *f = strstr(name, ":function:");
	char buf[256];
	if (f) {
		snprintf(buf, sizeof buf, "%s", f + 10);
		char *q = strchr(buf, ':');
		if (q)
			*q = 0;
		name = buf;
	}
	for (int i = 0; i < W->nfns; i++)
		if (!strcmp(W->fns[i].name, name))
			return &W->fns[i];
	return NULL;
}

static int outer_call(transport *t, const char *service, const char *op, const char *region, const cJSON *in,
                      transport_result *res)
{
	world *W = t->ctx;
	if (!strcmp(service, "lambda") && !strcmp(op, "Invoke")) {
		const char *fname = cj_str(in, "FunctionName");
		fn_play *f = fname ? fn_find(W, fname) : NULL;
		if (f && f->sleep_ms)
			clk_sleep_ms(W->clock, f->sleep_ms);
		if (f && f->errors) {
			int n = cJSON_GetArraySize(f->errors);
			cJSON *p = cJSON_Duplicate(cJSON_GetArrayItem(f->errors, f->next < n ? f->next : n - 1), 1);
			f->next++;
			char rid[UUID_LEN];
			uuid_v4(&W->rng, rid);
			if (cJSON_GetObjectItemCaseSensitive(p, "requestId"))
				cJSON_ReplaceItemInObjectCaseSensitive(p, "requestId", cJSON_CreateString(rid));
			sb pt = SB_INIT;
			py_json(p, &pt);
			char *text = sb_steal(&pt);
			cJSON_Delete(p);
			res->status = 200;
			res->request_id = mem_strdup(rid);
			res->out = cJSON_CreateObject();
			cJSON_AddNumberToObject(res->out, "StatusCode", 200);
			cJSON_AddStringToObject(res->out, "FunctionError", "Unhandled");
			cJSON_AddStringToObject(res->out, "ExecutedVersion", "$LATEST");
			cJSON_AddStringToObject(res->out, "Payload", text);
			mem_free(text);
			return TRANSPORT_OK;
		}
	}
	return W->inner->call(W->inner, service, op, region, in, res);
}

/* The SQS consumer a .waitForTaskToken case describes. */
static int64_t responder(void *ctx, engine_exec *x, const engine_token_info *ti)
{
	world *W = ctx;
	int64_t again = -1;
	if (!W->ncons && W->replay) {
		/* no consumer described: answer as the recording shows the test's own one did */
		int i = 0;
		for (const cJSON *r = W->replay->child; r; r = r->next) {
			const char *res = cj_str(r, "resource");
			if (!res || !strstr(res, ".waitForTaskToken") || strcmp(cj_str(r, "state") ? cj_str(r, "state") : "", ti->state))
				continue;
			if (i++ < W->replay_next)
				continue;
			W->replay_next++;
			const char *oc = cj_str(r, "outcome");
			if (oc && !strcmp(oc, "succeeded"))
				engine_exec_send_task_success(x, ti->token, cJSON_GetObjectItemCaseSensitive(r, "output"));
			else if (oc && !strcmp(oc, "failed"))
				engine_exec_send_task_failure(x, ti->token, cj_str(r, "error"), cj_str(r, "cause"));
			break;
		}
		return -1;
	}
	for (int i = 0; i < W->ncons; i++) {
		consumer *c = &W->cons[i];
		cJSON *req = cJSON_CreateObject();
		cJSON_AddStringToObject(req, "QueueUrl", c->url);
		cJSON_AddNumberToObject(req, "MaxNumberOfMessages", 10);
		cJSON_AddNumberToObject(req, "VisibilityTimeout", 0);
		cJSON *out = NULL;
		if (c->stage == 0 && mock_call(W->w, "sqs", "ReceiveMessage", req, &out, NULL) == 0) {
			const cJSON *msgs = cJSON_GetObjectItemCaseSensitive(out, "Messages");
			for (const cJSON *m = msgs ? msgs->child : NULL; m; m = m->next) {
				const char *body = cj_str(m, "Body");
				cJSON *b = body ? cJSON_Parse(body) : NULL;
				const char *tok = b ? cj_str(b, "TaskToken") : NULL;
				if (tok) {
					if (c->kind == 1) {
						const cJSON *msg = cJSON_GetObjectItemCaseSensitive(b, "Message");
						engine_exec_send_task_success(x, tok, msg);
					} else if (c->kind == 2)
						engine_exec_send_task_failure(x, tok, "Failure error", "Failure cause");
					else {
						c->stage = 1;
						again = 5000;
					}
				}
				cJSON *del = cJSON_CreateObject(), *dout = NULL;
				cJSON_AddStringToObject(del, "QueueUrl", c->url);
				const char *rh = cj_str(m, "ReceiptHandle");
				cJSON_AddStringToObject(del, "ReceiptHandle", rh ? rh : "");
				if (c->kind != 3)
					mock_call(W->w, "sqs", "DeleteMessage", del, &dout, NULL);
				cJSON_Delete(del);
				cJSON_Delete(dout);
				cJSON_Delete(b);
			}
		} else if (c->stage == 1) {
			/* the heartbeat consumer, 5 s later: heartbeat, then success */
			if (mock_call(W->w, "sqs", "ReceiveMessage", req, &out, NULL) == 0) {
				const cJSON *msgs = cJSON_GetObjectItemCaseSensitive(out, "Messages");
				for (const cJSON *m = msgs ? msgs->child : NULL; m; m = m->next) {
					cJSON *b = cj_str(m, "Body") ? cJSON_Parse(cj_str(m, "Body")) : NULL;
					const char *tok = b ? cj_str(b, "TaskToken") : NULL;
					if (tok) {
						engine_exec_send_task_heartbeat(x, tok);
						engine_exec_send_task_success(x, tok, cJSON_GetObjectItemCaseSensitive(b, "Message"));
					}
					cJSON *del = cJSON_CreateObject(), *dout = NULL;
					cJSON_AddStringToObject(del, "QueueUrl", c->url);
					cJSON_AddStringToObject(del, "ReceiptHandle", cj_str(m, "ReceiptHandle") ? cj_str(m, "ReceiptHandle") : "");
					mock_call(W->w, "sqs", "DeleteMessage", del, &dout, NULL);
					cJSON_Delete(del);
					cJSON_Delete(dout);
					cJSON_Delete(b);
				}
			}
			c->stage = 2;
		}
		cJSON_Delete(req);
		cJSON_Delete(out);
	}
	return again;
}

static char *behaviour_of(const char *desc)
{
	if (strstr(desc, "identity") || strstr(desc, "returns its event unchanged"))
		return mem_strdup("{\"expression\": \"$\"}");
	if (strstr(desc, "257 KiB")) {
		sb b = SB_INIT;
		sb_cat(&b, "{\"returns\": \"");
		for (int i = 0; i < 257 * 1024; i++)
			sb_catc(&b, 'a');
		sb_cat(&b, "\"}");
		return sb_steal(&b);
	}
	if (strstr(desc, "'\"HelloWorld!\"'"))
		return mem_strdup("{\"returns\": \"HelloWorld!\"}");
	if (strstr(desc, "{\"Return\": \"HelloWorld\"}"))
		return mem_strdup("{\"returns\": {\"Return\": \"HelloWorld\"}}");
	return NULL;
}

static int setup_services(world *W, const cJSON *svc, sb *why)
{
	const cJSON *lam = cJSON_GetObjectItemCaseSensitive(svc, "lambda");
	const cJSON *rec = cJSON_GetObjectItemCaseSensitive(svc, "recorded_task_results");
	int n = cJSON_GetArraySize(lam);
	W->fns = n ? mem_calloc((size_t)n, sizeof *W->fns) : NULL;
	for (const cJSON *f = lam ? lam->child : NULL; f; f = f->next) {
		const char *name = cj_str(f, "function_name");
		const char *desc = cj_str(f, "behaviour");
		if (!name || !desc)
			continue;
		fn_play *fp = &W->fns[W->nfns++];
		fp->name = mem_strdup(name);
		const char *sl = strstr(desc, "sleeps ");
		if (sl)
			fp->sleep_ms = strtol(sl + 7, NULL, 10) * 1000;
		if (strstr(desc, "always fails")) {
			/* the function's error payloads, as recorded */
			fp->errors = cJSON_CreateArray();
			const char *arn = cj_str(f, "arn");
			for (const cJSON *r = rec ? rec->child : NULL; r; r = r->next) {
				const cJSON *cause = cJSON_GetObjectItemCaseSensitive(r, "cause");
				const cJSON *params = cJSON_GetObjectItemCaseSensitive(r, "parameters");
				const char *res = cj_str(r, "resource");
				const char *fnm = params ? cj_str(params, "FunctionName") : NULL;
				int mine = (res && arn && !strcmp(res, arn)) || (fnm && (strstr(fnm, name) != NULL));
				if (mine && cJSON_IsObject(cause) && cj_str(cause, "errorType"))
					cJSON_AddItemToArray(fp->errors, cJSON_Duplicate(cause, 1));
			}
			const char *src = cj_str(f, "handler_source");
			const cJSON *known = src && handler_errors ? cJSON_GetObjectItemCaseSensitive(handler_errors, src) : NULL;
			if (!cJSON_GetArraySize(fp->errors) && known)
				cJSON_AddItemToArray(fp->errors, cJSON_Duplicate(known, 1));
			if (!cJSON_GetArraySize(fp->errors)) {
				cJSON *p = cJSON_CreateObject();
				int custom = strstr(desc, "CustomException") != NULL;
				cJSON_AddStringToObject(p, "errorMessage", custom ? "" : "Some exception was raised.");
				cJSON_AddStringToObject(p, "errorType", custom ? "CustomException" : "Exception");
				cJSON_AddStringToObject(p, "requestId", "");
				cJSON_AddItemToObject(p, "stackTrace", cJSON_CreateArray());
				cJSON_AddItemToArray(fp->errors, p);
			}
		}
		char *beh = behaviour_of(desc);
		cJSON *req = cJSON_CreateObject();
		cJSON_AddStringToObject(req, "FunctionName", name);
		cJSON_AddStringToObject(req, "Role", "arn:aws:iam::" ACCOUNT ":role/lambda-role");
		cJSON_AddItemToObject(req, "Behavior", beh ? cJSON_Parse(beh) : cJSON_Parse("{\"returns\": null}"));
		mem_free(beh);
		cJSON *out = NULL;
		sb err = SB_INIT;
		if (mock_call(W->w, "lambda", "CreateFunction", req, &out, &err)) {
			if (strstr(sb_str(&err), "UnknownOperation"))
				skip_case = 1;
			sb_printf(why, "lambda CreateFunction %s: %s", name, sb_str(&err));
			sb_free(&err);
			cJSON_Delete(req);
			return -1;
		}
		sb_free(&err);
		cJSON_Delete(req);
		cJSON_Delete(out);
	}
	const cJSON *ddb = cJSON_GetObjectItemCaseSensitive(svc, "dynamodb");
	for (const cJSON *t = ddb ? ddb->child : NULL; t; t = t->next) {
		cJSON *req = cJSON_CreateObject();
		cJSON_AddStringToObject(req, "TableName", cj_str(t, "table_name") ? cj_str(t, "table_name") : "t");
		cJSON_AddItemToObject(req, "KeySchema", cJSON_Duplicate(cJSON_GetObjectItem(t, "key_schema"), 1));
		cJSON_AddItemToObject(req, "AttributeDefinitions",
		                      cJSON_Duplicate(cJSON_GetObjectItem(t, "attribute_definitions"), 1));
		cJSON_AddStringToObject(req, "BillingMode", "PAY_PER_REQUEST");
		cJSON *out = NULL;
		sb err = SB_INIT;
		int rc = mock_call(W->w, "dynamodb", "CreateTable", req, &out, &err);
		cJSON_Delete(req);
		cJSON_Delete(out);
		if (rc) {
			if (strstr(sb_str(&err), "UnknownOperation"))
				skip_case = 1;
			sb_printf(why, "dynamodb CreateTable: %s", sb_str(&err));
			sb_free(&err);
			return -1;
		}
		sb_free(&err);
		const cJSON *items = cJSON_GetObjectItem(t, "initial_items");
		for (const cJSON *it = items ? items->child : NULL; it; it = it->next) {
			cJSON *p = cJSON_CreateObject();
			cJSON_AddStringToObject(p, "TableName", cj_str(t, "table_name"));
			cJSON_AddItemToObject(p, "Item", cJSON_Duplicate(it, 1));
			cJSON *o = NULL;
			mock_call(W->w, "dynamodb", "PutItem", p, &o, NULL);
			cJSON_Delete(p);
			cJSON_Delete(o);
		}
	}
	return 0;
}

/* Create the queues and return the text of the case with every
 * {{QueueUrl:name}} replaced by the mock's URL. */
static char *setup_queues(world *W, const cJSON *svc, char *text, sb *why)
{
	const cJSON *sqs = cJSON_GetObjectItemCaseSensitive(svc, "sqs");
	int n = cJSON_GetArraySize(sqs);
	W->cons = n ? mem_calloc((size_t)n, sizeof *W->cons) : NULL;
	for (const cJSON *q = sqs ? sqs->child : NULL; q; q = q->next) {
		const char *name = cj_str(q, "queue_name");
		const char *token = cj_str(q, "queue_url_token");
		cJSON *req = cJSON_CreateObject();
		cJSON_AddStringToObject(req, "QueueName", name ? name : "queue");
		const cJSON *attrs = cJSON_GetObjectItem(q, "attributes");
		if (cJSON_IsObject(attrs))
			cJSON_AddItemToObject(req, "Attributes", cJSON_Duplicate(attrs, 1));
		cJSON *out = NULL;
		sb err = SB_INIT;
		int rc = mock_call(W->w, "sqs", "CreateQueue", req, &out, &err);
		cJSON_Delete(req);
		if (rc) {
			if (strstr(sb_str(&err), "UnknownOperation"))
				skip_case = 1;
			sb_printf(why, "sqs CreateQueue: %s", sb_str(&err));
			sb_free(&err);
			mem_free(text);
			return NULL;
		}
		sb_free(&err);
		const char *url = cj_str(out, "QueueUrl");
		if (token && url) {
			char *nt = replace_all(text, token, url);
			mem_free(text);
			text = nt;
		}
		const char *cons = cj_str(q, "consumer");
		if (cons && url) {
			consumer *c = &W->cons[W->ncons++];
			c->url = mem_strdup(url);
			c->kind = strstr(cons, "SendTaskHeartbeat") ? 3 : strstr(cons, "SendTaskFailure") ? 2 : 1;
		}
		cJSON_Delete(out);
	}
	return text;
}

static void world_free(world *W)
{
	if (W->inner)
		W->inner->close(W->inner);
	mock_world_free(W->w);
	clk_free(W->clock);
	for (int i = 0; i < W->nfns; i++) {
		mem_free(W->fns[i].name);
		cJSON_Delete(W->fns[i].errors);
	}
	mem_free(W->fns);
	for (int i = 0; i < W->ncons; i++)
		mem_free(W->cons[i].url);
	mem_free(W->cons);
}

/* ======================================================================
 * One case
 * ====================================================================== */

static int check_invalid(const cJSON *c, sb *why)
{
	const cJSON *exp = cJSON_GetObjectItemCaseSensitive(c, "expect");
	engine_diags dg = {0};
	engine_def *d = engine_def_load(cJSON_GetObjectItemCaseSensitive(c, "definition"), &dg);
	if (d) {
		engine_def_free(d);
		sb_cat(why, "the definition was accepted; AWS rejected it");
		engine_diags_free(&dg);
		return -1;
	}
	char *msg = engine_diags_message(&dg);
	engine_diags_free(&dg);
	const char *want = cj_str(exp, "message");
	const char *re = cj_str(exp, "message_regex");
	int ok = re ? regex_match(re, msg) : (want && !strcmp(want, msg));
	if (!ok)
		sb_printf(why, "message\n  expected: %s\n  actual:   %s", want ? want : re, msg);
	mem_free(msg);
	return ok ? 0 : -1;
}

static int compare_cause(const cJSON *c, const cJSON *exp, const char *cause, sb *why)
{
	const cJSON *cj = cJSON_GetObjectItemCaseSensitive(exp, "cause_json");
	const char *want = cj_str(exp, "cause");
	const char *re = cj_str(exp, "cause_regex");
	const char *frag = cj_str(exp, "cause_contains");
	if (cj) {
		cJSON *a = cause ? cJSON_Parse(cause) : NULL;
		if (!a) {
			sb_printf(why, "cause is not JSON: %s", cause ? cause : "(none)");
			return -1;
		}
		cJSON *e = cJSON_Duplicate(cj, 1);
		int rc = neutralize(c, 1, e, a, why);
		if (!rc && !cj_equal(e, a)) {
			char *et = cj_print(e), *at = cj_print(a);
			sb_printf(why, "cause\n  expected: %s\n  actual:   %s", et, at);
			mem_free(et);
			mem_free(at);
			rc = -1;
		}
		cJSON_Delete(e);
		cJSON_Delete(a);
		return rc;
	}
	if (re) {
		if (!regex_match(re, cause ? cause : "")) {
			sb_printf(why, "cause\n  expected /%s/\n  actual:   %s", re, cause ? cause : "(none)");
			return -1;
		}
		return 0;
	}
	if (frag) {
		if (!cause || !strstr(cause, frag)) {
			sb_printf(why, "cause should contain %s; actual: %s", frag, cause ? cause : "(none)");
			return -1;
		}
		return 0;
	}
	const cJSON *wc = cJSON_GetObjectItemCaseSensitive(exp, "cause");
	if (wc && cJSON_IsNull(wc))
		want = NULL;
	if (!wc)
		return 0;
	if ((want == NULL) != (cause == NULL) || (want && strcmp(want, cause))) {
		sb_printf(why, "cause\n  expected: %s\n  actual:   %s", want ? want : "(none)", cause ? cause : "(none)");
		return -1;
	}
	return 0;
}

static int run_case(const char *file, const cJSON *c0, int index, sb *why)
{
	const cJSON *svc = cJSON_GetObjectItemCaseSensitive(c0, "services");
	world W = {0};
	rng_seed(&W.rng, (uint64_t)index + 1);
	W.clock = clk_virtual_new(START_MS);
	mock_world_opts wo = {0};
	wo.clock = W.clock;
	wo.account = ACCOUNT;
	wo.region = REGION;
	wo.seed = (uint64_t)index + 7;
	sb err = SB_INIT;
	W.w = mock_world_new(&wo, &err);
	if (!W.w) {
		sb_printf(why, "mock world: %s", sb_str(&err));
		sb_free(&err);
		clk_free(W.clock);
		return -1;
	}
	sb_free(&err);
	int rc = -1;
	engine_def *d = NULL;
	engine_exec *x = NULL;
	cJSON *cs = NULL, *act = NULL, *expo = NULL;
	char *text = cj_print(c0);
	if (svc) {
		text = setup_queues(&W, svc, text, why);
		if (!text)
			goto out;
	}
	{
		/* a service the definition calls must exist in the mocks */
		static const char *const probes[][3] = {{":dynamodb:", "dynamodb", "ListTables"},
		                                        {":sqs:", "sqs", "ListQueues"},
		                                        {":lambda:", "lambda", "ListFunctions"}};
		char *def = cj_print(cJSON_GetObjectItemCaseSensitive(c0, "definition"));
		for (int i = 0; i < 3; i++) {
			if (!strstr(def, probes[i][0]))
				continue;
			cJSON *in = cJSON_CreateObject(), *out = NULL;
			sb e2 = SB_INIT;
			if (mock_call(W.w, probes[i][1], probes[i][2], in, &out, &e2) && strstr(sb_str(&e2), "UnknownOperation")) {
				skip_case = 1;
				sb_printf(why, "the %s mock has no %s", probes[i][1], probes[i][2]);
			}
			sb_free(&e2);
			cJSON_Delete(in);
			cJSON_Delete(out);
		}
		mem_free(def);
		if (skip_case) {
			mem_free(text);
			goto out;
		}
	}
	cs = cJSON_Parse(text);
	mem_free(text);
	svc = cJSON_GetObjectItemCaseSensitive(cs, "services");
	W.replay = svc ? cJSON_GetObjectItemCaseSensitive(svc, "recorded_task_results") : NULL;
	if (svc && setup_services(&W, svc, why))
		goto out;
	W.inner = transport_inproc_new(W.w);
	W.outer.call = outer_call;
	W.outer.ctx = &W;
	engine_diags dg = {0};
	d = engine_def_load(cJSON_GetObjectItemCaseSensitive(cs, "definition"), &dg);
	if (!d) {
		char *m = engine_diags_message(&dg);
		sb_printf(why, "definition rejected: %s", m);
		mem_free(m);
		engine_diags_free(&dg);
		goto out;
	}
	const char *type = cj_str(cs, "state_machine_type");
	int express = type && !strcmp(type, "EXPRESS");
	char smname[64], exname[64], smarn[256], exarn[300], uu[UUID_LEN];
	snprintf(smname, sizeof smname, "StateMachine-%d", index);
	uuid_v4(&W.rng, uu);
	snprintf(exname, sizeof exname, "%s", uu);
	snprintf(smarn, sizeof smarn, "arn:aws:states:" REGION ":" ACCOUNT ":stateMachine:%s", smname);
	if (express) {
		char u2[UUID_LEN];
		uuid_v4(&W.rng, u2);
		snprintf(exarn, sizeof exarn, "arn:aws:states:" REGION ":" ACCOUNT ":express:%s:%s:%s", smname, exname, u2);
	} else
		snprintf(exarn, sizeof exarn, "arn:aws:states:" REGION ":" ACCOUNT ":execution:%s:%s", smname, exname);
	engine_env env = {0};
	env.tp = &W.outer;
	env.clock = W.clock;
	env.region = REGION;
	env.account = ACCOUNT;
	env.state_machine_arn = smarn;
	env.state_machine_name = smname;
	env.execution_arn = exarn;
	env.execution_name = exname;
	env.role_arn = "arn:aws:iam::" ACCOUNT ":role/stepbench-sfn-role";
	env.type = express ? "EXPRESS" : "STANDARD";
	env.seed = (uint64_t)index + 11;
	env.responder = responder;
	env.responder_ctx = &W;
	x = engine_exec_new(d, &env, cJSON_GetObjectItemCaseSensitive(cs, "input"));
	W.x = x;
	engine_exec_run(x);
	const cJSON *exp = cJSON_GetObjectItemCaseSensitive(cs, "expect");
	const char *wst = cj_str(exp, "status");
	const char *st = engine_status_name(engine_exec_status(x));
	if (!wst || strcmp(wst, st)) {
		sb_printf(why, "status: expected %s, actual %s", wst ? wst : "?", st);
		if (engine_exec_error(x))
			sb_printf(why, " (%s: %s)", engine_exec_error(x), engine_exec_cause(x) ? engine_exec_cause(x) : "");
		goto out;
	}
	if (!strcmp(st, "SUCCEEDED")) {
		const cJSON *wo2 = cJSON_GetObjectItemCaseSensitive(exp, "output");
		if (wo2) {
			expo = cJSON_Duplicate(wo2, 1);
			act = cJSON_Duplicate(engine_exec_output(x), 1);
			if (neutralize(cs, 0, expo, act, why))
				goto out;
			if (!cj_equal(expo, act)) {
				char *et = cj_print(expo), *at = cj_print(act);
				sb_printf(why, "output\n  expected: %.3000s\n  actual:   %.3000s", et, at);
				mem_free(et);
				mem_free(at);
				goto out;
			}
		}
	} else {
		const cJSON *we = cJSON_GetObjectItemCaseSensitive(exp, "error");
		const char *ere = cj_str(exp, "error_regex");
		const char *ae = engine_exec_error(x);
		if (ere) {
			if (!regex_match(ere, ae ? ae : "")) {
				sb_printf(why, "error: expected /%s/, actual %s", ere, ae ? ae : "(none)");
				goto out;
			}
		} else if (we) {
			const char *w = cJSON_IsString(we) ? we->valuestring : NULL;
			if ((w == NULL) != (ae == NULL) || (w && strcmp(w, ae))) {
				sb_printf(why, "error: expected %s, actual %s (cause %s)", w ? w : "(none)", ae ? ae : "(none)",
				          engine_exec_cause(x) ? engine_exec_cause(x) : "(none)");
				goto out;
			}
		}
		if (compare_cause(cs, exp, engine_exec_cause(x), why))
			goto out;
	}
	const cJSON *hev = cJSON_GetObjectItemCaseSensitive(cs, "history_event_types");
	if (hev) {
		const cJSON *h = engine_exec_history(x);
		const cJSON *a = h->child, *e = hev->child;
		int i = 0;
		for (; a && e; a = a->next, e = e->next, i++)
			if (strcmp(cj_str(a, "type"), e->valuestring))
				break;
		if (a || e) {
			sb_printf(why, "history differs at event %d:\n  expected:", i + 1);
			for (const cJSON *q = hev->child; q; q = q->next)
				sb_printf(why, " %s", q->valuestring);
			sb_cat(why, "\n  actual:  ");
			for (const cJSON *q = h->child; q; q = q->next)
				sb_printf(why, " %s", cj_str(q, "type"));
			goto out;
		}
	}
	rc = 0;
out:
	if (verbose && x) {
		char *h = cJSON_Print(engine_exec_history(x));
		fprintf(stderr, "---- %s history\n%s\n", file, h);
		cJSON_free(h);
	}
	cJSON_Delete(act);
	cJSON_Delete(expo);
	engine_exec_free(x);
	engine_def_free(d);
	cJSON_Delete(cs);
	world_free(&W);
	return rc;
}

/* ======================================================================
 * Exclusions, categories, main
 * ====================================================================== */

/* First pass: the error payload each raising handler recorded somewhere in
 * the corpus, keyed by its handler_source. */
static cJSON *collect_handler_errors(const char *suite)
{
	cJSON *map = cJSON_CreateObject();
	sb dir = SB_INIT;
	sb_printf(&dir, "%s/cases", suite);
	int n;
	char **files = list_dir(sb_str(&dir), &n);
	for (int i = 0; i < n; i++) {
		sb path = SB_INIT;
		sb_printf(&path, "%s/%s", sb_str(&dir), files[i]);
		size_t len;
		char *t = file_read(sb_str(&path), 64 << 20, &len, NULL);
		cJSON *c = t ? cJSON_Parse(t) : NULL;
		mem_free(t);
		const cJSON *svc = cJSON_GetObjectItemCaseSensitive(c, "services");
		const cJSON *lam = cJSON_GetObjectItemCaseSensitive(svc, "lambda");
		const cJSON *rec = cJSON_GetObjectItemCaseSensitive(svc, "recorded_task_results");
		if (cJSON_GetArraySize(lam) == 1 && rec) {
			const char *src = cj_str(lam->child, "handler_source");
			const char *beh = cj_str(lam->child, "behaviour");
			for (const cJSON *r = rec->child; r && src && beh && strstr(beh, "always fails"); r = r->next) {
				const cJSON *cause = cJSON_GetObjectItemCaseSensitive(r, "cause");
				if (cJSON_IsObject(cause) && cj_str(cause, "errorType") && !cJSON_GetObjectItem(map, src)) {
					cJSON_AddItemToObject(map, src, cJSON_Duplicate(cause, 1));
					break;
				}
			}
		}
		cJSON_Delete(c);
		sb_free(&path);
		mem_free(files[i]);
	}
	mem_free(files);
	sb_free(&dir);
	return map;
}

typedef struct excl {
	char *name;
	char *reason;
	int seen;
} excl;

static excl *load_excludes(const char *path, int *n)
{
	*n = 0;
	size_t len;
	char *t = file_read(path, 1 << 20, &len, NULL);
	if (!t)
		return NULL;
	excl *v = NULL;
	int cap = 0;
	for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
		while (isspace((unsigned char)*line))
			line++;
		if (!*line || *line == '#')
			continue;
		char *sp = line;
		while (*sp && !isspace((unsigned char)*sp))
			sp++;
		char *reason = *sp ? sp + 1 : sp;
		*sp = 0;
		while (isspace((unsigned char)*reason))
			reason++;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = mem_realloc(v, (size_t)cap * sizeof *v);
		}
		v[*n].name = mem_strdup(line);
		v[*n].reason = mem_strdup(reason);
		v[*n].seen = 0;
		(*n)++;
	}
	mem_free(t);
	return v;
}

typedef struct cat {
	char name[64];
	int pass, fail;
} cat;

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mem_init();
	const char *suite = getenv("ASL_SUITE") ? getenv("ASL_SUITE") : "tests/conformance/suites/asl";
	const char *only = getenv("ASL_CASE");
	verbose = getenv("ASL_VERBOSE") != NULL;
	const char *exfile = getenv("ASL_EXCLUDE") ? getenv("ASL_EXCLUDE") : "tests/conformance/asl.exclude";
	int nex;
	excl *ex = load_excludes(exfile, &nex);
	int bad_excl_reason = 0;
	for (int i = 0; i < nex; i++)
		if (!*ex[i].reason) {
			fprintf(stderr, "asl.exclude: %s has no reason\n", ex[i].name);
			bad_excl_reason = 1;
		}
	cat cats[64];
	int ncat = 0, pass = 0, fail = 0, unexpected = 0, fixed = 0, skipped = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	handler_errors = collect_handler_errors(suite);
	static const char *const dirs[] = {"cases", "invalid"};
	int index = 0;
	for (int di = 0; di < 2; di++) {
		sb dir = SB_INIT;
		sb_printf(&dir, "%s/%s", suite, dirs[di]);
		int n;
		char **files = list_dir(sb_str(&dir), &n);
		if (!files && di == 0) {
			fprintf(stderr, "asl: cannot read %s\n", sb_str(&dir));
			return 2;
		}
		for (int i = 0; i < n; i++, index++) {
			if (only && !strstr(files[i], only)) {
				mem_free(files[i]);
				continue;
			}
			sb path = SB_INIT;
			sb_printf(&path, "%s/%s", sb_str(&dir), files[i]);
			if (getenv("ASL_TRACE"))
				fprintf(stderr, "> %s\n", files[i]);
			size_t len;
			char *t = file_read(sb_str(&path), 64 << 20, &len, NULL);
			cJSON *c = t ? cJSON_Parse(t) : NULL;
			mem_free(t);
			sb why = SB_INIT;
			int rc;
			if (!c) {
				sb_cat(&why, "unreadable case");
				rc = -1;
			} else if (di == 1)
				rc = check_invalid(c, &why);
			else
				rc = run_case(files[i], c, index, &why);
			const char *cname = di == 1 ? "invalid-definitions" : (c ? cj_str(c, "category") : NULL);
			if (!cname)
				cname = "?";
			int k;
			for (k = 0; k < ncat && strcmp(cats[k].name, cname); k++)
				;
			if (k == ncat && ncat < 64) {
				snprintf(cats[ncat].name, sizeof cats[ncat].name, "%s", cname);
				cats[ncat].pass = cats[ncat].fail = 0;
				ncat++;
			}
			if (skip_case) {
				skip_case = 0;
				skipped++;
				printf("SKIP %s: %s\n", files[i], sb_str(&why));
				for (int j = 0; j < nex; j++)
					if (!strcmp(ex[j].name, files[i]))
						ex[j].seen = 1;
				sb_free(&why);
				cJSON_Delete(c);
				sb_free(&path);
				mem_free(files[i]);
				continue;
			}
			excl *e = NULL;
			for (int j = 0; j < nex; j++)
				if (!strcmp(ex[j].name, files[i]))
					e = &ex[j];
			if (e)
				e->seen = 1;
			if (rc == 0) {
				pass++;
				if (k < ncat)
					cats[k].pass++;
				if (e) {
					fixed++;
					printf("PASSES BUT EXCLUDED %s (%s)\n", files[i], e->reason);
				}
				if (only)
					printf("PASS %s\n", files[i]);
			} else {
				fail++;
				if (k < ncat)
					cats[k].fail++;
				if (!e) {
					unexpected++;
					printf("FAIL %s: %s\n", files[i], sb_str(&why));
				} else if (only || verbose)
					printf("FAIL (excluded) %s: %s\n", files[i], sb_str(&why));
			}
			sb_free(&why);
			cJSON_Delete(c);
			sb_free(&path);
			mem_free(files[i]);
		}
		mem_free(files);
		sb_free(&dir);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("\n%-24s %6s %6s %7s\n", "category", "passed", "failed", "rate");
	for (int k = 0; k < ncat; k++) {
		int tot = cats[k].pass + cats[k].fail;
		printf("%-24s %6d %6d %6.1f%%\n", cats[k].name, cats[k].pass, cats[k].fail,
		       tot ? 100.0 * cats[k].pass / tot : 0.0);
	}
	int unknown = 0;
	for (int j = 0; j < nex; j++) {
		if (!ex[j].seen && !only) {
			printf("asl.exclude names a case that does not exist: %s\n", ex[j].name);
			unknown = 1;
		}
		mem_free(ex[j].name);
		mem_free(ex[j].reason);
	}
	mem_free(ex);
	cJSON_Delete(handler_errors);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (skipped)
		printf("\n%d cases skipped: they need a mock operation that does not exist yet (listed above as SKIP)\n",
		       skipped);
	printf("\n%d passed, %d failed (%.1f%%; %d failed unexpectedly, %d excluded but passing) in %.1fs\n", pass, fail,
	       pass + fail ? 100.0 * pass / (pass + fail) : 0.0, unexpected, fixed, secs);
	return (unexpected || fixed || unknown || bad_excl_reason) ? 1 : 0;
}
