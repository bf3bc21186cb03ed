/* iam_http.c - IAM over the query protocol: form in, XML out (how every SDK calls IAM). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cj.h"
#include "common/mem.h"
#include "mocks/iam/iam.h"
#include "mocks/server/proto_query.h"
#include "mocks/server/server.h"

#define IAM_XMLNS "https://iam.amazonaws.com/doc/2010-05-08/"

/* Policy documents travel URL-encoded in IAM's XML answers (RFC 3986). */
static void url_encode(const char *s, sb *out)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-_.~", *p)) {
			sb_catc(out, (char)*p);
		} else {
			sb_catc(out, '%');
			sb_catc(out, hex[*p >> 4]);
			sb_catc(out, hex[*p & 15]);
		}
	}
}

static void encode_documents(cJSON *v)
{
	for (cJSON *x = v ? v->child : NULL; x; x = x->next) {
		if (cJSON_IsString(x) && x->string &&
		    (!strcmp(x->string, "AssumeRolePolicyDocument") || !strcmp(x->string, "PolicyDocument") ||
		     !strcmp(x->string, "Document"))) {
			sb e = SB_INIT;
			url_encode(x->valuestring, &e);
			cJSON_SetValuestring(x, sb_str(&e));
			sb_free(&e);
		} else if (cJSON_IsObject(x) || cJSON_IsArray(x)) {
			encode_documents(x);
		}
	}
}

/* Flat query parameters -> the operation's input shape. */
static cJSON *input_of(const cJSON *flat)
{
	cJSON *in = cJSON_CreateObject();
	for (const cJSON *x = flat->child; x; x = x->next) {
		if (strchr(x->string, '.') || !strcmp(x->string, "Action") || !strcmp(x->string, "Version"))
			continue;
		const char *v = x->valuestring;
		if (!strcmp(x->string, "MaxSessionDuration") || !strcmp(x->string, "MaxItems"))
			cJSON_AddNumberToObject(in, x->string, strtod(v, NULL));
		else if (!strcmp(x->string, "OnlyAttached"))
			cJSON_AddBoolToObject(in, x->string, !strcmp(v, "true"));
		else
			cJSON_AddStringToObject(in, x->string, v);
	}
	cJSON *tags = query_flat_struct_list(flat, "Tags", 1);
	if (tags)
		cJSON_AddItemToObject(in, "Tags", tags);
	return in;
}

static int is_iam_request(const mock_http *in, const cJSON *flat)
{
	char region[32], service[32];
	if (!srv_scope_from_auth(in->header(in, "Authorization"), region, service))
		return !strcmp(service, "iam");
	/* unsigned: an IAM action with IAM's API version */
	const char *ver = cj_str(flat, "Version"), *act = cj_str(flat, "Action");
	if (!ver || !act || strcmp(ver, "2010-05-08"))
		return 0;
	return 1;
}

int iam_http(mock_world *w, const mock_http *in, mock_http_out *out)
{
	if (strcmp(in->path, "/") || (strcmp(in->method, "POST") && strcmp(in->method, "GET")))
		return 0;
	const char *src = !strcmp(in->method, "GET") ? in->query : in->body;
	size_t len = !strcmp(in->method, "GET") ? (src ? strlen(src) : 0) : in->body_len;
	if (!src || !len)
		return 0;
	cJSON *flat = query_form_parse(src, len);
	if (!flat) {
		char region[32], service[32];
		if (srv_scope_from_auth(in->header(in, "Authorization"), region, service) || strcmp(service, "iam"))
			return 0;
		char id[UUID_LEN];
		mock_world_uuid(w, id);
		query_xml_error_raw(out, IAM_XMLNS, 400, "MalformedQueryString", "The request body is not a valid form",
		                    id);
		return 1;
	}
	if (!is_iam_request(in, flat)) {
		cJSON_Delete(flat);
		return 0;
	}
	const char *action = cj_str(flat, "Action");
	cJSON *input = input_of(flat);
	mock_req *rq = mock_req_new(w, &iam_service, "us-east-1", input, "http");
	if (!action) {
		query_xml_error_raw(out, IAM_XMLNS, 400, "MissingAction", "Missing Action", rq->request_id);
	} else if (mock_dispatch(rq, action) == 0) {
		encode_documents(rq->out);
		sb res = SB_INIT;
		for (const cJSON *x = rq->out->child; x; x = x->next)
			query_xml_value(&res, x->string, x, 0);
		query_xml_answer(out, IAM_XMLNS, action, sb_str(&res), rq->request_id);
		sb_free(&res);
	} else if (!strcmp(rq->err.type, "UnknownOperationException")) {
		sb m = SB_INIT;
		sb_printf(&m, "Could not find operation %s for version 2010-05-08", action);
		query_xml_error_raw(out, IAM_XMLNS, 400, "InvalidAction", sb_str(&m), rq->request_id);
		sb_free(&m);
	} else {
		query_xml_error(out, IAM_XMLNS, rq);
	}
	mock_req_free(rq);
	cJSON_Delete(input);
	cJSON_Delete(flat);
	return 1;
}
