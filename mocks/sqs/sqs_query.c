/* sqs_query.c - SQS's query protocol: form-encoded Action=... in, XML out, through the same handlers. */
#include <stdio.h>
#include <string.h>

#include "common/cj.h"
#include "mocks/server/proto_query.h"
#include "mocks/server/server.h"
#include "mocks/sqs/sqs_int.h"

#define SQS_XMLNS "http://queue.amazonaws.com/doc/2012-11-05/"

/* ======================================================================
 * Form -> the SDK's JSON shape
 * ====================================================================== */

static const char *flat_get(const cJSON *flat, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *flat_get(const cJSON *flat, const char *fmt, ...)
{
	char name[600];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof name)
		return NULL;
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(flat, name));
}

/* Members copied as strings when present (handlers accept integers as text). */
static const char *const scalars[] = {
	"QueueName", "QueueUrl", "MessageBody", "ReceiptHandle", "MessageGroupId", "MessageDeduplicationId",
	"NextToken", "QueueNamePrefix", "ReceiveRequestAttemptId", "QueueOwnerAWSAccountId", "DelaySeconds",
	"MaxNumberOfMessages", "VisibilityTimeout", "WaitTimeSeconds", "MaxResults", "Id",
};

/* `<pre><name>.N` for N = 1.. into a JSON array of strings (NULL when none). */
static cJSON *str_list(const cJSON *flat, const char *pre, const char *name)
{
	cJSON *a = NULL;
	for (int n = 1;; n++) {
		const char *v = flat_get(flat, "%s%s.%d", pre, name, n);
		if (!v)
			return a;
		if (!a)
			a = cJSON_CreateArray();
		cJSON_AddItemToArray(a, cJSON_CreateString(v));
	}
}

/* `<pre><name>.N.<k>` / `.N.<v>` pairs into {key: value}. */
static cJSON *str_map(const cJSON *flat, const char *pre, const char *name, const char *k, const char *v)
{
	cJSON *o = NULL;
	for (int n = 1;; n++) {
		const char *key = flat_get(flat, "%s%s.%d.%s", pre, name, n, k);
		const char *val = flat_get(flat, "%s%s.%d.%s", pre, name, n, v);
		if (!key)
			return o;
		if (!o)
			o = cJSON_CreateObject();
		cJSON_DeleteItemFromObjectCaseSensitive(o, key);
		cJSON_AddStringToObject(o, key, val ? val : "");
	}
}

/* `<pre><name>.N.Name` + `.N.Value.{DataType,StringValue,BinaryValue}`. */
static cJSON *attr_map(const cJSON *flat, const char *pre, const char *name)
{
	cJSON *o = NULL;
	for (int n = 1;; n++) {
		const char *key = flat_get(flat, "%s%s.%d.Name", pre, name, n);
		if (!key)
			return o;
		if (!o)
			o = cJSON_CreateObject();
		cJSON *a = cJSON_CreateObject();
		static const char *const f[] = {"DataType", "StringValue", "BinaryValue"};
		for (size_t i = 0; i < 3; i++) {
			const char *v = flat_get(flat, "%s%s.%d.Value.%s", pre, name, n, f[i]);
			if (v)
				cJSON_AddStringToObject(a, f[i], v);
		}
		cJSON_DeleteItemFromObjectCaseSensitive(o, key);
		cJSON_AddItemToObject(o, key, a);
	}
}

static void add(cJSON *o, const char *name, cJSON *v)
{
	if (v)
		cJSON_AddItemToObject(o, name, v);
}

/* One structure at prefix pre ("" at the top, "Entry.3." inside a batch). */
static void decode_struct(const cJSON *flat, const char *pre, const char *op, cJSON *in)
{
	for (size_t i = 0; i < sizeof scalars / sizeof *scalars; i++) {
		const char *v = flat_get(flat, "%s%s", pre, scalars[i]);
		if (v)
			cJSON_AddStringToObject(in, scalars[i], v);
	}
	add(in, "MessageAttributes", attr_map(flat, pre, "MessageAttribute"));
	add(in, "MessageSystemAttributes", attr_map(flat, pre, "MessageSystemAttribute"));
	if (*pre)
		return;
	add(in, "Attributes", str_map(flat, pre, "Attribute", "Name", "Value"));
	add(in, !strcmp(op, "CreateQueue") ? "tags" : "Tags", str_map(flat, pre, "Tag", "Key", "Value"));
	add(in, "AttributeNames", str_list(flat, pre, "AttributeName"));
	add(in, "MessageAttributeNames", str_list(flat, pre, "MessageAttributeName"));
	add(in, "MessageSystemAttributeNames", str_list(flat, pre, "MessageSystemAttributeName"));
	add(in, "TagKeys", str_list(flat, pre, "TagKey"));
}

cJSON *sqs_query_decode(const char *op, const char *form, size_t n, sb *err)
{
	cJSON *flat = query_form_parse(form, n);
	if (!flat) {
		sb_printf(err, "The request body is not a valid form (a malformed %%-escape or text that is not UTF-8).");
		return NULL;
	}
	cJSON *in = cJSON_CreateObject();
	decode_struct(flat, "", op, in);
	static const char *const batches[] = {"SendMessageBatch", "DeleteMessageBatch", "ChangeMessageVisibilityBatch"};
	for (size_t b = 0; b < 3; b++) {
		if (strcmp(op, batches[b]))
			continue;
		cJSON *entries = cJSON_AddArrayToObject(in, "Entries");
		char pre[128];
		for (int i = 1;; i++) {
			snprintf(pre, sizeof pre, "%sRequestEntry.%d.", batches[b], i);
			size_t pl = strlen(pre);
			int any = 0;
			for (const cJSON *x = flat->child; x && !any; x = x->next)
				any = !strncmp(x->string, pre, pl);
			if (!any)
				break;
			cJSON *e = cJSON_CreateObject();
			decode_struct(flat, pre, op, e);
			cJSON_AddItemToArray(entries, e);
		}
	}
	cJSON_Delete(flat);
	return in;
}

/* ======================================================================
 * JSON answer -> XML
 * ====================================================================== */

static void el(sb *x, const char *name, const char *text)
{
	sb_printf(x, "<%s>", name);
	sb_cat_xml(x, text, strlen(text));
	sb_printf(x, "</%s>", name);
}

static void pairs(sb *x, const char *elname, const char *k, const char *v, const cJSON *obj)
{
	for (const cJSON *a = obj ? obj->child : NULL; a; a = a->next) {
		sb_printf(x, "<%s>", elname);
		el(x, k, a->string);
		el(x, v, cJSON_IsString(a) ? a->valuestring : "");
		sb_printf(x, "</%s>", elname);
	}
}

static void message_attrs(sb *x, const cJSON *obj)
{
	for (const cJSON *a = obj ? obj->child : NULL; a; a = a->next) {
		sb_cat(x, "<MessageAttribute>");
		el(x, "Name", a->string);
		sb_cat(x, "<Value>");
		static const char *const f[] = {"StringValue", "BinaryValue", "DataType"};
		for (size_t i = 0; i < 3; i++)
			if (cj_str(a, f[i]))
				el(x, f[i], cj_str(a, f[i]));
		sb_cat(x, "</Value></MessageAttribute>");
	}
}

/* Scalars, and the members whose query names differ from the JSON ones. */
static void render_members(sb *x, const char *op, const cJSON *o)
{
	for (const cJSON *m = o ? o->child : NULL; m; m = m->next) {
		const char *k = m->string;
		if (cJSON_IsString(m)) {
			el(x, k, m->valuestring);
		} else if (cJSON_IsBool(m)) {
			el(x, k, cJSON_IsTrue(m) ? "true" : "false");
		} else if (!strcmp(k, "QueueUrls") || !strcmp(k, "queueUrls")) {
			for (const cJSON *u = m->child; u; u = u->next)
				el(x, "QueueUrl", u->valuestring);
		} else if (!strcmp(k, "Attributes")) {
			pairs(x, "Attribute", "Name", "Value", m);
		} else if (!strcmp(k, "Tags")) {
			pairs(x, "Tag", "Key", "Value", m);
		} else if (!strcmp(k, "MessageAttributes")) {
			message_attrs(x, m);
		} else if (!strcmp(k, "Messages") || !strcmp(k, "Successful") || !strcmp(k, "Failed")) {
			char name[96];
			if (!strcmp(k, "Messages"))
				snprintf(name, sizeof name, "Message");
			else if (!strcmp(k, "Failed"))
				snprintf(name, sizeof name, "BatchResultErrorEntry");
			else
				snprintf(name, sizeof name, "%sResultEntry", op);
			for (const cJSON *e = m->child; e; e = e->next) {
				sb_printf(x, "<%s>", name);
				render_members(x, op, e);
				sb_printf(x, "</%s>", name);
			}
		}
	}
}

/* Operations whose answer has no result element. */
static int no_result(const char *op)
{
	static const char *const none[] = {"ChangeMessageVisibility", "DeleteMessage", "DeleteQueue", "PurgeQueue",
	                                   "SetQueueAttributes", "TagQueue", "UntagQueue"};
	for (size_t i = 0; i < sizeof none / sizeof *none; i++)
		if (!strcmp(op, none[i]))
			return 1;
	return 0;
}

void sqs_query_render(const char *op, const cJSON *out, const char *request_id, sb *xml)
{
	sb_printf(xml, "<?xml version=\"1.0\"?><%sResponse xmlns=\"%s\">", op, SQS_XMLNS);
	if (!no_result(op)) {
		sb_printf(xml, "<%sResult>", op);
		render_members(xml, op, out);
		sb_printf(xml, "</%sResult>", op);
	}
	sb_printf(xml, "<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>", request_id, op);
}

/* ======================================================================
 * The http hook
 * ====================================================================== */

static int op_known(const char *action)
{
	for (const mock_op *o = sqs_service.ops; o->name; o++)
		if (!strcmp(o->name, action))
			return 1;
	return 0;
}

/* `/<account>/<queue>`: old SDKs post to the queue's URL and leave QueueUrl out. */
static int queue_path(const char *path)
{
	if (path[0] != '/')
		return 0;
	const char *s = strchr(path + 1, '/');
	return s && s > path + 1 && s[1] && !strchr(s + 1, '/');
}

int sqs_query_http(mock_world *w, const mock_http *in, mock_http_out *out)
{
	int get = !strcmp(in->method, "GET");
	if (!get && strcmp(in->method, "POST"))
		return 0;
	if (strcmp(in->path, "/") && !queue_path(in->path))
		return 0;
	char region[32], service[32];
	int signed_req = srv_scope_from_auth(in->header(in, "Authorization"), region, service) == 0;
	if (signed_req && strcmp(service, "sqs"))
		return 0;
	const char *src = get ? in->query : in->body;
	size_t len = get ? (src ? strlen(src) : 0) : in->body_len;
	if (!src || !len)
		return 0;
	cJSON *flat = query_form_parse(src, len);
	const char *action = cj_str(flat, "Action"), *ver = cj_str(flat, "Version");
	if (!signed_req && (!action || !op_known(action) || (ver && strcmp(ver, "2012-11-05")))) {
		cJSON_Delete(flat); /* not recognisably ours: leave it to the next hook */
		return 0;
	}
	char id[UUID_LEN];
	if (!flat || !action) {
		mock_world_uuid(w, id);
		if (!flat)
			query_xml_error_raw(out, SQS_XMLNS, 400, "MalformedQueryString",
			                    "The request body is not a valid form", id);
		else
			query_xml_error_raw(out, SQS_XMLNS, 400, "MissingAction", "The request must contain the parameter Action.",
			                    id);
		cJSON_Delete(flat);
		return 1;
	}
	sb err = SB_INIT;
	cJSON *input = sqs_query_decode(action, src, len, &err);
	sb_free(&err);
	if (!cJSON_GetObjectItemCaseSensitive(input, "QueueUrl") && queue_path(in->path)) {
		sb u = SB_INIT;
		sb_printf(&u, "http://%s%s", in->host ? in->host : "localhost", in->path);
		cJSON_AddStringToObject(input, "QueueUrl", sb_str(&u));
		sb_free(&u);
	}
	mock_req *rq = mock_req_new(w, &sqs_service, in->region, input, "http");
	rq->http = in;
	if (mock_dispatch(rq, action) == 0) {
		sb_clear(&out->body);
		sqs_query_render(action, rq->out, rq->request_id, &out->body);
		out->status = 200;
		out->content_type = "text/xml";
		sb_printf(&out->headers, "x-amzn-RequestId: %s\r\n", rq->request_id);
	} else if (!strcmp(rq->err.type, "UnknownOperationException")) {
		sb m = SB_INIT;
		sb_printf(&m, "The action %s is not valid for this endpoint.", action);
		query_xml_error_raw(out, SQS_XMLNS, 400, "InvalidAction", sb_str(&m), rq->request_id);
		sb_free(&m);
	} else {
		if (rq->err.legacy && !strcmp(rq->err.legacy, "AWS.SimpleQueueService.NonExistentQueue"))
			rq->err.message = arena_strdup(rq->ar, "The specified queue does not exist for this wsdl version.");
		query_xml_error(out, SQS_XMLNS, rq);
	}
	mock_req_free(rq);
	cJSON_Delete(input);
	cJSON_Delete(flat);
	return 1;
}
