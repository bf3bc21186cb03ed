/* asl_task.c - Task integrations: Lambda, DynamoDB, SQS (optimized and aws-sdk), AWS's result shapes and errors. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/cj.h"
#include "common/mem.h"
#include "engine/asl_int.h"

/* ======================================================================
 * Service error names
 * ====================================================================== */

/* How each service's errors are named in the optimized integrations (AWS
 * SDK for Java v1) and in aws-sdk:* integrations (SDK v2). */
typedef struct svc_names {
	const char *service;   /* "dynamodb" */
	const char *v1_prefix; /* "DynamoDB" */
	const char *v1_name;   /* "AmazonDynamoDBv2" (the "Service:" in causes) */
	const char *v1_generic;/* "AmazonDynamoDBException" */
	const char *v2_prefix; /* "DynamoDb" */
	const char *v2_generic;/* "DynamoDbException" */
	const char *const *modeled; /* error codes with their own exception class */
} svc_names;

static const char *const ddb_modeled[] = {
	"ConditionalCheckFailedException", "ResourceNotFoundException", "ProvisionedThroughputExceededException",
	"ItemCollectionSizeLimitExceededException", "TransactionConflictException", "RequestLimitExceeded",
	"InternalServerError", "TransactionCanceledException", "TransactionInProgressException",
	"IdempotentParameterMismatchException", "ResourceInUseException", "LimitExceededException",
	"TableNotFoundException", "TableAlreadyExistsException", "TableInUseException", "DuplicateItemException",
	NULL};
static const char *const lambda_modeled[] = {
	"ResourceNotFoundException", "InvalidRequestContentException", "TooManyRequestsException", "ServiceException",
	"InvalidParameterValueException", "RequestTooLargeException", "ResourceConflictException",
	"ResourceNotReadyException", "UnsupportedMediaTypeException", "InvalidRuntimeException",
	"EC2UnexpectedException", "KMSAccessDeniedException", "KMSDisabledException", "KMSNotFoundException",
	"InvalidZipFileException", "SnapStartException", "ENILimitReachedException", NULL};
static const char *const sqs_modeled[] = {
	"QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "InvalidMessageContents", "UnsupportedOperation",
	"InvalidIdFormat", "ReceiptHandleIsInvalid", "MessageNotInflight", "OverLimit", "PurgeQueueInProgress",
	"QueueDeletedRecently", "QueueNameExists", "InvalidBatchEntryId", "TooManyEntriesInBatchRequest",
	"EmptyBatchRequest", "BatchEntryIdsNotDistinct", "BatchRequestTooLong", "InvalidAttributeName",
	"RequestThrottled", "KmsAccessDenied", "KmsDisabled", "KmsNotFound", "KmsThrottled", NULL};

static const svc_names svc_table[] = {
	{"dynamodb", "DynamoDB", "AmazonDynamoDBv2", "AmazonDynamoDBException", "DynamoDb", "DynamoDbException",
	 ddb_modeled},
	{"lambda", "Lambda", "AWSLambda", "AWSLambdaException", "Lambda", "LambdaException", lambda_modeled},
	{"sqs", "SQS", "AmazonSQS", "AmazonSQSException", "Sqs", "SqsException", sqs_modeled},
	{"sns", "SNS", "AmazonSNS", "AmazonSNSException", "Sns", "SnsException", NULL},
	{"states", "StepFunctions", "AWSStepFunctions", "AWSStepFunctionsException", "Sfn", "SfnException", NULL},
	{"events", "EventBridge", "AmazonEventBridge", "AmazonEventBridgeException", "EventBridge",
	 "EventBridgeException", NULL},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

static const svc_names *svc_lookup(const char *service)
{
	for (const svc_names *s = svc_table; s->service; s++)
		if (!strcmp(s->service, service))
			return s;
	return NULL;
}

/* The exception class name for an error code ("QueueDoesNotExist" ->
 * "QueueDoesNotExistException"). */
static char *exception_name(const char *code)
{
	if (!strcmp(code, "AWS.SimpleQueueService.NonExistentQueue"))
		code = "QueueDoesNotExist";
	size_t n = strlen(code);
	sb b = SB_INIT;
	sb_cat(&b, code);
	if (n < 9 || strcmp(code + n - 9, "Exception"))
		sb_cat(&b, "Exception");
	return sb_steal(&b);
}

static int is_modeled(const svc_names *sv, const char *code)
{
	if (!sv || !sv->modeled)
		return 1;
	for (int i = 0; sv->modeled[i]; i++)
		if (!strcmp(sv->modeled[i], code))
			return 1;
	return 0;
}

static void service_error(const asl_resource *r, transport_result *tr, int rc, asl_err *e)
{
	const svc_names *sv = svc_lookup(r->service);
	const char *code = tr->err_type ? tr->err_type : "UnknownError";
	const char *msg = tr->err_message ? tr->err_message : "";
	const char *rid = tr->request_id ? tr->request_id : "";
	int sdk = r->kind == RES_SDK;
	sb name = SB_INIT;
	if (rc == TRANSPORT_CLIENT_ERROR) {
		sb_printf(&name, "%s.SdkClientException",
		          sv ? (sdk ? sv->v2_prefix : sv->v1_prefix) : r->service);
		asl_err_set(e, sb_str(&name), 0, "%s", msg);
		sb_free(&name);
		return;
	}
	if (sdk) {
		const char *pfx = sv ? sv->v2_prefix : r->service;
		if (is_modeled(sv, code)) {
			char *ex = exception_name(code);
			sb_printf(&name, "%s.%s", pfx, ex);
			mem_free(ex);
		} else
			sb_printf(&name, "%s.%s", pfx, sv ? sv->v2_generic : "Exception");
		asl_err_set(e, sb_str(&name), 0, "%s (Service: %s, Status Code: %d, Request ID: %s)", msg, pfx, tr->status,
		            rid);
	} else {
		const char *pfx = sv ? sv->v1_prefix : r->service;
		if (is_modeled(sv, code)) {
			char *ex = exception_name(code);
			sb_printf(&name, "%s.%s", pfx, ex);
			mem_free(ex);
		} else
			sb_printf(&name, "%s.%s", pfx, sv ? sv->v1_generic : "Exception");
		const char *ecode = code;
		if (!strcmp(code, "QueueDoesNotExist"))
			ecode = "AWS.SimpleQueueService.NonExistentQueue";
		asl_err_set(e, sb_str(&name), 0,
		            "%s (Service: %s; Status Code: %d; Error Code: %s; Request ID: %s; Proxy: null)", msg,
		            sv ? sv->v1_name : r->service, tr->status, ecode, rid);
	}
	sb_free(&name);
}

/* ======================================================================
 * Response metadata
 * ====================================================================== */

static void http_date(int64_t ms, char out[40])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 40, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static void add_header(cJSON *all, cJSON *one, const char *k, const char *v)
{
	cJSON *a = cJSON_CreateArray();
	cJSON_AddItemToArray(a, cJSON_CreateString(v));
	cJSON_AddItemToObject(all, k, a);
	cJSON_AddStringToObject(one, k, v);
}

/* SdkHttpMetadata and SdkResponseMetadata as the Java SDK reports them. */
static void add_metadata(asl_strand *s, cJSON *res, const transport_result *tr, const char *content_type)
{
	cJSON *all = cJSON_CreateObject(), *one = cJSON_CreateObject();
	char *body = cj_print(tr->out);
	char len[32], date[40];
	snprintf(len, sizeof len, "%zu", body ? strlen(body) : 2);
	mem_free(body);
	http_date(asl_now(s), date);
	const char *rid = tr->request_id ? tr->request_id : "";
	int have_ct = 0;
	if (cJSON_IsObject(tr->headers))
		for (const cJSON *h = tr->headers->child; h; h = h->next)
			if (cJSON_IsString(h)) {
				add_header(all, one, h->string, h->valuestring);
				if (!strcasecmp(h->string, "Content-Type"))
					have_ct = 1;
			}
	if (!cJSON_GetObjectItem(one, "Connection"))
		add_header(all, one, "Connection", "keep-alive");
	if (!cJSON_GetObjectItem(one, "Content-Length"))
		add_header(all, one, "Content-Length", len);
	if (!have_ct)
		add_header(all, one, "Content-Type", content_type);
	if (!cJSON_GetObjectItem(one, "Date"))
		add_header(all, one, "Date", date);
	if (!cJSON_GetObjectItem(one, "x-amzn-RequestId"))
		add_header(all, one, "x-amzn-RequestId", rid);
	cJSON *http = cJSON_CreateObject();
	cJSON_AddItemToObject(http, "AllHttpHeaders", all);
	cJSON_AddItemToObject(http, "HttpHeaders", one);
	cJSON_AddNumberToObject(http, "HttpStatusCode", tr->status ? tr->status : 200);
	cJSON_AddItemToObject(res, "SdkHttpMetadata", http);
	cJSON *rm = cJSON_CreateObject();
	cJSON_AddStringToObject(rm, "RequestId", rid);
	cJSON_AddItemToObject(res, "SdkResponseMetadata", rm);
}

/* ======================================================================
 * Calls
 * ====================================================================== */

static int call(asl_strand *s, const char *service, const char *op, const char *region, const cJSON *in,
                transport_result *tr)
{
	memset(tr, 0, sizeof *tr);
	transport *tp = s->x->env.tp;
	if (!tp) {
		tr->err_type = mem_strdup("SdkClientException");
		tr->err_message = mem_strdup("Unable to execute HTTP request: no transport configured");
		return TRANSPORT_CLIENT_ERROR;
	}
	return tp->call(tp, service, op, region, in, tr);
}

static cJSON *parse_payload(const char *text)
{
	if (!text || !*text)
		return cJSON_CreateNull();
	cJSON *v = cj_parse(text, strlen(text), NULL);
	return v ? v : cJSON_CreateString(text);
}

/* A Lambda function error: error = errorType, cause = the payload (compact
 * re-serialization for lambda:invoke, the raw text for direct ARNs). */
static void function_error(const char *payload, int compact, asl_err *e)
{
	cJSON *p = parse_payload(payload);
	const char *type = cJSON_IsObject(p) ? cj_str(p, "errorType") : NULL;
	char *cause;
	if (compact && cJSON_IsObject(p))
		cause = cj_print(p);
	else
		cause = mem_strdup(payload ? payload : "");
	asl_err_set(e, type ? type : "Lambda.Unknown", 0, "%s", cause);
	mem_free(cause);
	cJSON_Delete(p);
}

static int invoke_lambda(asl_strand *s, const asl_resource *r, const cJSON *params, cJSON **result, asl_err *e)
{
	cJSON *req = cJSON_CreateObject();
	const cJSON *payload;
	if (r->kind == RES_LAMBDA_ARN) {
		cJSON_AddStringToObject(req, "FunctionName", r->arn);
		payload = params;
	} else {
		if (!cJSON_IsObject(params) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(params, "FunctionName"))) {
			cJSON_Delete(req);
			asl_err_set(e, "States.Runtime", ASL_ERR_STATE_PREFIX,
			            "The field 'FunctionName' is required for the resource '%s'", r->arn);
			return -1;
		}
		for (const cJSON *c = params->child; c; c = c->next)
			if (strcmp(c->string, "Payload"))
				cJSON_AddItemToObject(req, c->string, cJSON_Duplicate(c, 1));
		payload = cJSON_GetObjectItemCaseSensitive(params, "Payload");
	}
	char *text;
	if (!payload || cJSON_IsNull(payload))
		text = mem_strdup("{}");
	else if (r->kind != RES_LAMBDA_ARN && cJSON_IsString(payload))
		text = mem_strdup(payload->valuestring); /* lambda:invoke sends a string Payload as raw bytes */
	else
		text = cj_print(payload);
	cJSON_AddStringToObject(req, "Payload", text);
	mem_free(text);
	transport_result tr;
	int rc = call(s, "lambda", "Invoke", r->region, req, &tr);
	cJSON_Delete(req);
	if (rc != TRANSPORT_OK) {
		service_error(r, &tr, rc, e);
		transport_result_free(&tr);
		return -1;
	}
	const char *ptext = cj_str(tr.out, "Payload");
	const char *ferr = cj_str(tr.out, "FunctionError");
	if (ferr) {
		function_error(ptext, r->kind != RES_LAMBDA_ARN, e);
		transport_result_free(&tr);
		return -1;
	}
	cJSON *pl = parse_payload(ptext);
	if (r->kind == RES_LAMBDA_ARN) {
		*result = pl;
		transport_result_free(&tr);
		return 0;
	}
	cJSON *res = cJSON_CreateObject();
	const char *ver = cj_str(tr.out, "ExecutedVersion");
	cJSON_AddStringToObject(res, "ExecutedVersion", ver ? ver : "$LATEST");
	const char *logr = cj_str(tr.out, "LogResult");
	if (logr)
		cJSON_AddStringToObject(res, "LogResult", logr);
	cJSON_AddItemToObject(res, "Payload", pl);
	if (r->kind == RES_OPTIMIZED) {
		if (!tr.headers) {
			tr.headers = cJSON_CreateObject();
			if (logr)
				cJSON_AddStringToObject(tr.headers, "X-Amz-Log-Result", logr);
			cJSON_AddStringToObject(tr.headers, "X-Amz-Executed-Version", ver ? ver : "$LATEST");
		}
		add_metadata(s, res, &tr, "application/json");
	}
	cJSON_AddNumberToObject(res, "StatusCode", cj_num(tr.out, "StatusCode", 200));
	transport_result_free(&tr);
	*result = res;
	return 0;
}

static int invoke_generic(asl_strand *s, const asl_resource *r, const cJSON *params, cJSON **result, asl_err *e)
{
	cJSON *req = cJSON_IsObject(params) ? cJSON_Duplicate(params, 1) : cJSON_CreateObject();
	if (!strcmp(r->service, "sqs") && !strcmp(r->op, "SendMessage")) {
		cJSON *body = cJSON_GetObjectItemCaseSensitive(req, "MessageBody");
		if (cJSON_IsNull(body) && r->kind == RES_OPTIMIZED)
			cJSON_DeleteItemFromObjectCaseSensitive(req, "MessageBody"); /* sent as absent */
		else if (body && !cJSON_IsString(body) && r->kind == RES_OPTIMIZED) {
			char *t = cj_print(body);
			cJSON_ReplaceItemInObjectCaseSensitive(req, "MessageBody", cJSON_CreateString(t));
			mem_free(t);
		}
	}
	transport_result tr;
	int rc = call(s, r->service, r->op, NULL, req, &tr);
	cJSON_Delete(req);
	if (rc != TRANSPORT_OK) {
		service_error(r, &tr, rc, e);
		transport_result_free(&tr);
		return -1;
	}
	cJSON *res = tr.out ? cJSON_Duplicate(tr.out, 1) : cJSON_CreateObject();
	if (r->kind == RES_OPTIMIZED) {
		const char *ct = !strcmp(r->service, "sqs") ? "text/xml" : "application/x-amz-json-1.0";
		add_metadata(s, res, &tr, ct);
	}
	transport_result_free(&tr);
	*result = res;
	return 0;
}

/* The per-state mock hook (Step Functions Local's MockConfigFile). */
static int try_mock(asl_strand *s, cJSON **result, asl_err *e)
{
	engine_exec *x = s->x;
	if (!x->env.mock)
		return 0;
	if (!x->mock_counts)
		x->mock_counts = cJSON_CreateObject();
	cJSON *c = cJSON_GetObjectItemCaseSensitive(x->mock_counts, s->st->name);
	int n = c ? (int)c->valuedouble : 0;
	if (c)
		cJSON_SetNumberValue(c, n + 1);
	else
		cJSON_AddNumberToObject(x->mock_counts, s->st->name, 1);
	cJSON *res = NULL;
	char *error = NULL, *cause = NULL;
	if (!x->env.mock(x->env.mock_ctx, s->st->name, n, &res, &error, &cause))
		return 0;
	if (error || (!res && cause)) {
		asl_err_clear(e);
		e->error = error;
		e->cause = cause;
		cJSON_Delete(res);
		return -1;
	}
	mem_free(cause);
	const asl_resource *r = &s->st->res;
	const char *ferr = cJSON_IsObject(res) ? cj_str(res, "FunctionError") : NULL;
	if (ferr && r->service && !strcmp(r->service, "lambda")) {
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(res, "Payload");
		char *t = cJSON_IsString(p) ? mem_strdup(p->valuestring) : cj_print(p);
		function_error(t, 1, e);
		mem_free(t);
		cJSON_Delete(res);
		return -1;
	}
	*result = res ? res : cJSON_CreateNull();
	return 1;
}

int asl_task_invoke(asl_strand *s, const cJSON *params, cJSON **result, asl_err *e)
{
	const asl_resource *r = &s->st->res;
	*result = NULL;
	int m = try_mock(s, result, e);
	if (m)
		return m < 0 ? -1 : 0;
	if (r->kind == RES_ACTIVITY) {
		asl_err_set(e, "States.Runtime", ASL_ERR_STATE_PREFIX, "Activities are not supported by stepbench");
		return -1;
	}
	int rc;
	if (!strcmp(r->service, "lambda") && !strcmp(r->api, "invoke"))
		rc = invoke_lambda(s, r, params, result, e);
	else
		rc = invoke_generic(s, r, params, result, e);
	if (rc == 0 && r->pattern == PAT_TOKEN)
		return 1;
	return rc;
}
