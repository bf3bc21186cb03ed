/* proto_json.c - the JSON 1.0 protocol (DynamoDB, SQS, Step Functions): body in, body or __type error out. */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "common/cj.h"
#include "mocks/server/server.h"

/* DynamoDB sends a CRC32 of every body; SDKs verify it when present.
 * zlib's crc32 (already linked for Lambda zips; the same CRC-32 as
 * hash_crc32) is ~3x faster than the portable table code in common/, and a
 * 32 KB Query answer spent ~25 us in it. */
static void add_crc(const mock_service *svc, mock_http_out *out)
{
	if (strcmp(svc->name, "dynamodb"))
		return;
	const Bytef *b = (const Bytef *)(out->body.buf ? out->body.buf : "");
	uLong c = crc32(0L, Z_NULL, 0);
	for (size_t off = 0, n = out->body.len; off < n;) { /* crc32 takes a uInt length */
		uInt k = n - off > (1u << 30) ? (1u << 30) : (uInt)(n - off);
		c = crc32(c, b + off, k);
		off += k;
	}
	sb_printf(&out->headers, "x-amz-crc32: %lu\r\n", (unsigned long)c);
}

void proto_json_error_raw(const mock_service *svc, const char *type, int status, const char *message,
                          mock_http_out *out)
{
	cJSON *o = cJSON_CreateObject();
	sb t = SB_INIT;
	sb_cat(&t, svc && svc->json_type_prefix ? svc->json_type_prefix : "");
	sb_cat(&t, type);
	cJSON_AddStringToObject(o, "__type", sb_str(&t));
	cJSON_AddStringToObject(o, "message", message ? message : "");
	sb_free(&t);
	out->status = status;
	out->content_type = svc && svc->json_content_type ? svc->json_content_type : "application/x-amz-json-1.0";
	sb_clear(&out->body);
	cj_print_sb(o, &out->body);
	cJSON_Delete(o);
	if (svc)
		add_crc(svc, out);
}

void proto_json_error(const mock_req *rq, mock_http_out *out)
{
	const mock_service *svc = rq->svc;
	cJSON *o = cJSON_CreateObject();
	sb t = SB_INIT;
	sb_cat(&t, svc->json_type_prefix ? svc->json_type_prefix : "");
	sb_cat(&t, rq->err.type);
	cJSON_AddStringToObject(o, "__type", sb_str(&t));
	sb_free(&t);
	if (rq->err.message && *rq->err.message)
		cJSON_AddStringToObject(o, "message", rq->err.message);
	for (const cJSON *x = rq->err.extra ? rq->err.extra->child : NULL; x; x = x->next)
		cJSON_AddItemToObject(o, x->string, cJSON_Duplicate(x, 1));
	out->status = rq->err.status ? rq->err.status : 400;
	out->content_type = svc->json_content_type;
	sb_clear(&out->body);
	cj_print_sb(o, &out->body);
	cJSON_Delete(o);
	add_crc(svc, out);
	if (svc->json_error_hook)
		svc->json_error_hook(rq, out);
}

void proto_json_answer(mock_world *w, const mock_service *svc, const char *op, const mock_http *in,
                       mock_http_out *out)
{
	cJSON *body;
	if (in->body_len == 0) {
		body = cJSON_CreateObject(); /* SDKs always send {}; an empty body means the same */
	} else {
		body = cj_parse(in->body, in->body_len, NULL);
		if (!body || !cJSON_IsObject(body)) {
			cJSON_Delete(body);
			proto_json_error_raw(svc, "SerializationException",
			                     400,
			                     body ? "Start of structure or map found where not expected" :
			                            "Could not parse request body into json: the body is not valid JSON",
			                     out);
			char id[UUID_LEN];
			mock_world_uuid(w, id);
			sb_printf(&out->headers, "x-amzn-RequestId: %s\r\n", id);
			return;
		}
	}
	mock_req *rq = mock_req_new(w, svc, in->region, body, "http");
	rq->http = in;
	if (mock_dispatch(rq, op) == 0) {
		out->status = 200;
		out->content_type = svc->json_content_type;
		cj_print_sb(rq->out, &out->body);
		add_crc(svc, out);
	} else {
		proto_json_error(rq, out);
	}
	sb_printf(&out->headers, "x-amzn-RequestId: %s\r\n", rq->request_id);
	mock_req_free(rq);
	cJSON_Delete(body);
}
