/* lam_rest.c - Lambda's REST JSON protocol: routes, parameters from path/query/headers, answers and errors. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "mocks/lambda/lam_int.h"

/* ======================================================================
 * Routes
 * ====================================================================== */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode n bytes of s ('+' is a space when plus is set). */
static char *url_decode(const char *s, size_t n, int plus)
{
	char *o = mem_alloc(n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			o[j++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else if (plus && s[i] == '+') {
			o[j++] = ' ';
		} else {
			o[j++] = s[i];
		}
	}
	o[j] = '\0';
	return o;
}

/* The next path segment after *p (which points at a '/'), decoded. */
static char *segment(const char **p)
{
	if (**p != '/')
		return NULL;
	const char *s = *p + 1, *e = strchr(s, '/');
	size_t n = e ? (size_t)(e - s) : strlen(s);
	*p = s + n;
	return n ? url_decode(s, n, 0) : NULL;
}

void lam_route_free(lam_route *r)
{
	mem_free(r->function);
	mem_free(r->alias);
	mem_free(r->resource);
	mem_free(r->sid);
	memset(r, 0, sizeof *r);
}

static int is(const char *m, const char *want) { return !strcmp(m, want); }

int lam_route_match(const char *method, const char *path, lam_route *r)
{
	memset(r, 0, sizeof *r);
	r->status = 200;
	const char *p;
	if (!strncmp(path, "/2015-03-31/functions", 21)) {
		p = path + 21;
		if (!*p || !strcmp(p, "/")) {
			r->op = is(method, "GET") ? "ListFunctions" : is(method, "POST") ? "CreateFunction" : NULL;
			r->status = is(method, "POST") ? 201 : 200;
			return r->op ? 0 : -1;
		}
		r->function = segment(&p);
		if (!r->function)
			goto no;
		if (!*p || !strcmp(p, "/")) {
			r->op = is(method, "GET") ? "GetFunction" : is(method, "DELETE") ? "DeleteFunction" : NULL;
			r->status = is(method, "DELETE") ? 204 : 200;
		} else if (!strcmp(p, "/configuration") || !strcmp(p, "/configuration/")) {
			r->op = is(method, "GET") ? "GetFunctionConfiguration" :
			        is(method, "PUT") ? "UpdateFunctionConfiguration" : NULL;
		} else if (!strcmp(p, "/code") || !strcmp(p, "/code/")) {
			r->op = is(method, "PUT") ? "UpdateFunctionCode" : NULL;
		} else if (!strcmp(p, "/invocations") || !strcmp(p, "/invocations/")) {
			r->op = is(method, "POST") ? "Invoke" : NULL;
		} else if (!strcmp(p, "/versions") || !strcmp(p, "/versions/")) {
			r->op = is(method, "POST") ? "PublishVersion" : is(method, "GET") ? "ListVersionsByFunction" : NULL;
			r->status = is(method, "POST") ? 201 : 200;
		} else if (!strcmp(p, "/aliases") || !strcmp(p, "/aliases/")) {
			r->op = is(method, "POST") ? "CreateAlias" : is(method, "GET") ? "ListAliases" : NULL;
			r->status = is(method, "POST") ? 201 : 200;
		} else if (!strcmp(p, "/policy") || !strcmp(p, "/policy/")) {
			r->op = is(method, "POST") ? "AddPermission" : is(method, "GET") ? "GetPolicy" : NULL;
			r->status = is(method, "POST") ? 201 : 200;
		} else if (!strncmp(p, "/policy/", 8)) {
			p += 7;
			r->sid = segment(&p);
			if (!r->sid || (*p && strcmp(p, "/")))
				goto no;
			r->op = is(method, "DELETE") ? "RemovePermission" : NULL;
			r->status = 204;
		} else if (!strncmp(p, "/aliases/", 9)) {
			p += 8;
			r->alias = segment(&p);
			if (!r->alias || (*p && strcmp(p, "/")))
				goto no;
			r->op = is(method, "GET") ? "GetAlias" : is(method, "PUT") ? "UpdateAlias" :
			        is(method, "DELETE") ? "DeleteAlias" : NULL;
			r->status = is(method, "DELETE") ? 204 : 200;
		}
		if (r->op)
			return 0;
		goto no;
	}
	if (!strncmp(path, "/2017-03-31/tags/", 17)) {
		p = path + 16;
		r->resource = segment(&p);
		if (!r->resource || (*p && strcmp(p, "/")))
			goto no;
		r->op = is(method, "GET") ? "ListTags" : is(method, "POST") ? "TagResource" :
		        is(method, "DELETE") ? "UntagResource" : NULL;
		r->status = is(method, "GET") ? 200 : 204;
		if (r->op)
			return 0;
		goto no;
	}
	if ((!strcmp(path, "/2016-08-19/account-settings") || !strcmp(path, "/2016-08-19/account-settings/")) &&
	    is(method, "GET")) {
		r->op = "GetAccountSettings";
		return 0;
	}
no:
	lam_route_free(r);
	return -1;
}

/* ======================================================================
 * Answers
 * ====================================================================== */

static void error_answer(const char *type, int status, int sender, const char *message, const char *request_id,
                         mock_http_out *out)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Type", sender ? "User" : "Service");
	/* Lambda spells the member "Message" for a missing resource, "message" otherwise */
	cJSON_AddStringToObject(o, strcmp(type, "ResourceNotFoundException") ? "message" : "Message",
	                        message ? message : "");
	out->status = status;
	out->content_type = "application/json";
	sb_clear(&out->body);
	cj_print_sb(o, &out->body);
	cJSON_Delete(o);
	sb_printf(&out->headers, "x-amzn-ErrorType: %s\r\n", type);
	if (request_id)
		sb_printf(&out->headers, "x-amzn-RequestId: %s\r\n", request_id);
}

static void json_answer(mock_http_out *out, int status, cJSON *body)
{
	out->status = status;
	out->content_type = "application/json";
	cj_print_sb(body, &out->body);
	cJSON_Delete(body);
}

/* Header values must stay on one line. */
static int header_safe(const char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n')
			return 0;
	return 1;
}

static void invoke_answer(const mock_req *rq, mock_http_out *out)
{
	int status = (int)cj_num(rq->out, "StatusCode", 200);
	const char *payload = cj_str(rq->out, "Payload"), *fe = cj_str(rq->out, "FunctionError");
	const char *ver = cj_str(rq->out, "ExecutedVersion"), *tail = cj_str(rq->out, "LogResult");
	out->status = status;
	out->content_type = "application/json";
	if (payload)
		sb_cat(&out->body, payload);
	if (fe && header_safe(fe))
		sb_printf(&out->headers, "X-Amz-Function-Error: %s\r\n", fe);
	if (ver && header_safe(ver))
		sb_printf(&out->headers, "X-Amz-Executed-Version: %s\r\n", ver);
	if (tail && header_safe(tail))
		sb_printf(&out->headers, "X-Amz-Log-Result: %s\r\n", tail);
}

/* Query parameters into the SDK input shape. */
static void add_query(cJSON *in, const char *q)
{
	if (!q)
		return;
	cJSON *tag_keys = NULL;
	for (const char *p = q; *p;) {
		const char *amp = strchr(p, '&');
		size_t n = amp ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', n);
		char *k = url_decode(p, eq ? (size_t)(eq - p) : n, 1);
		char *v = eq ? url_decode(eq + 1, n - (size_t)(eq + 1 - p), 1) : mem_strdup("");
		if (!strcmp(k, "MaxItems")) {
			char *end;
			double d = strtod(v, &end);
			cJSON_DeleteItemFromObjectCaseSensitive(in, k);
			if (*v && !*end)
				cJSON_AddNumberToObject(in, k, d);
			else
				cJSON_AddStringToObject(in, k, v);
		} else if (!strcmp(k, "tagKeys")) {
			if (!tag_keys)
				tag_keys = cJSON_AddArrayToObject(in, "TagKeys");
			cJSON_AddItemToArray(tag_keys, cJSON_CreateString(v));
		} else if (!strcmp(k, "Qualifier") || !strcmp(k, "Marker") || !strcmp(k, "FunctionVersion") ||
		           !strcmp(k, "MasterRegion")) {
			cJSON_DeleteItemFromObjectCaseSensitive(in, k);
			cJSON_AddStringToObject(in, k, v);
		}
		mem_free(k);
		mem_free(v);
		if (!amp)
			break;
		p = amp + 1;
	}
}

static const char *query_param(const char *q, const char *name, char *buf, size_t cap)
{
	size_t nl = strlen(name);
	for (const char *p = q; p && *p;) {
		const char *amp = strchr(p, '&');
		size_t n = amp ? (size_t)(amp - p) : strlen(p);
		if (n > nl && !strncmp(p, name, nl) && p[nl] == '=') {
			char *v = url_decode(p + nl + 1, n - nl - 1, 1);
			snprintf(buf, cap, "%s", v);
			mem_free(v);
			return buf;
		}
		if (!amp)
			break;
		p = amp + 1;
	}
	return NULL;
}

/* GET /_stepbench/lambda/invocations[?function=NAME][&region=R]
 * GET /_stepbench/lambda/code/REGION/NAME/VERSION (GetFunction's Code.Location) */
static int bench_route(mock_world *w, const mock_http *in, mock_http_out *out)
{
	const char *p = in->path + strlen("/_stepbench/lambda");
	if (strcmp(in->method, "GET")) {
		error_answer("MethodNotAllowed", 405, 1, "use GET", NULL, out);
		return 1;
	}
	if (!strcmp(p, "/invocations") || !strcmp(p, "/invocations/")) {
		char fn[512], region[64];
		const char *f = query_param(in->query, "function", fn, sizeof fn);
		const char *r = query_param(in->query, "region", region, sizeof region);
		cJSON *log = lam_invocations_json(w, r, f && *f ? f : NULL);
		if (!log)
			error_answer("InternalFailure", 500, 0, "cannot read the invocation log", NULL, out);
		else
			json_answer(out, 200, log);
		return 1;
	}
	if (!strncmp(p, "/code/", 6)) {
		p += 5;
		char *region = segment(&p), *name = region ? segment(&p) : NULL, *ver = name ? segment(&p) : NULL;
		int found = 0;
		if (ver && !*p && (lam_is_version(ver) || !strcmp(ver, LAM_LATEST))) {
			char part[LAM_VER_LEN];
			lam_ver_part(ver, part);
			sb k = SB_INIT;
			lam_key(&k, region, name, part);
			store_txn *t;
			if (!store_txn_begin(w->st, 1, &t)) {
				store_val v;
				if (!store_get(t, lam_st(w)->code, k.buf, k.len, &v)) {
					sb_catn(&out->body, v.data, v.len);
					out->status = 200;
					out->content_type = "application/zip";
					found = 1;
				}
				store_txn_abort(t);
			}
			sb_free(&k);
		}
		if (!found)
			error_answer("ResourceNotFoundException", 404, 1, "no code stored for that function version", NULL,
			             out);
		mem_free(region);
		mem_free(name);
		mem_free(ver);
		return 1;
	}
	return 0;
}

/* Operations whose request body is a JSON document. */
static int json_body(const char *op)
{
	return !strcmp(op, "CreateFunction") || !strcmp(op, "UpdateFunctionCode") ||
	       !strcmp(op, "UpdateFunctionConfiguration") || !strcmp(op, "PublishVersion") ||
	       !strcmp(op, "CreateAlias") || !strcmp(op, "UpdateAlias") || !strcmp(op, "TagResource") ||
	       !strcmp(op, "AddPermission");
}

int lam_http(mock_world *w, const mock_http *in, mock_http_out *out)
{
	if (!strncmp(in->path, "/_stepbench/", 12))
		return !strncmp(in->path, "/_stepbench/lambda/", 19) ? bench_route(w, in, out) : 0;
	lam_route r;
	if (lam_route_match(in->method, in->path, &r)) {
		if (!strncmp(in->path, "/2015-03-31/", 12) || !strncmp(in->path, "/2017-03-31/", 12) ||
		    !strncmp(in->path, "/2016-08-19/", 12)) {
			char id[UUID_LEN];
			mock_world_uuid(w, id);
			error_answer("UnknownOperationException", 404, 1, "Unknown operation", id, out);
			return 1;
		}
		return 0;
	}
	cJSON *req = NULL;
	if (json_body(r.op) && in->body_len) {
		req = cj_parse(in->body, in->body_len, NULL);
		if (!cJSON_IsObject(req)) {
			cJSON_Delete(req);
			char id[UUID_LEN];
			mock_world_uuid(w, id);
			error_answer("InvalidRequestContentException", 400, 1,
			             "Could not parse request body into json: the body is not a JSON object", id, out);
			lam_route_free(&r);
			return 1;
		}
	}
	if (!req)
		req = cJSON_CreateObject();
	if (r.function) {
		cJSON_DeleteItemFromObjectCaseSensitive(req, "FunctionName");
		cJSON_AddStringToObject(req, "FunctionName", r.function);
	}
	if (r.alias) {
		cJSON_DeleteItemFromObjectCaseSensitive(req, "Name");
		cJSON_AddStringToObject(req, "Name", r.alias);
	}
	if (r.resource)
		cJSON_AddStringToObject(req, "Resource", r.resource);
	if (r.sid) {
		cJSON_DeleteItemFromObjectCaseSensitive(req, "StatementId");
		cJSON_AddStringToObject(req, "StatementId", r.sid);
	}
	add_query(req, in->query);
	if (!strcmp(r.op, "Invoke")) {
		char *payload = mem_strndup(in->body ? in->body : "", in->body_len);
		cJSON_AddStringToObject(req, "Payload", payload);
		mem_free(payload);
		static const char *const hdrs[][2] = {{"X-Amz-Invocation-Type", "InvocationType"},
		                                      {"X-Amz-Log-Type", "LogType"},
		                                      {"X-Amz-Client-Context", "ClientContext"}};
		for (size_t i = 0; i < sizeof hdrs / sizeof hdrs[0]; i++) {
			const char *v = in->header ? in->header(in, hdrs[i][0]) : NULL;
			if (v)
				cJSON_AddStringToObject(req, hdrs[i][1], v);
		}
	}
	mock_req *rq = mock_req_new(w, &lam_service, in->region, req, "http");
	if (mock_dispatch(rq, r.op) == 0) {
		if (!strcmp(r.op, "Invoke")) {
			invoke_answer(rq, out);
		} else if (r.status == 204) {
			out->status = 204;
			out->content_type = "application/json";
		} else {
			out->status = r.status;
			out->content_type = "application/json";
			cj_print_sb(rq->out, &out->body);
		}
		sb_printf(&out->headers, "x-amzn-RequestId: %s\r\n", rq->request_id);
	} else {
		error_answer(rq->err.type, rq->err.status ? rq->err.status : 400, rq->err.sender, rq->err.message,
		             rq->request_id, out);
	}
	mock_req_free(rq);
	cJSON_Delete(req);
	lam_route_free(&r);
	return 1;
}
