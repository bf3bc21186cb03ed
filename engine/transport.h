/* transport.h - how the engine calls AWS services without knowing the mocks.
 *
 * A Task state calls transport->call(service, operation, request) with the
 * request in the SDK's JSON shape ("dynamodb"/"PutItem"/{TableName, Item};
 * "lambda"/"Invoke"/{FunctionName, Payload: <JSON text>, ...}) and gets the
 * response in the same shape, or an AWS error. Two implementations exist:
 * the in-process transport (mocks/transport_inproc.c) calls the mocks'
 * dispatcher directly; the HTTP transport (engine/transport_http.c) speaks
 * each service's wire protocol to any endpoint.
 *
 * Lambda Invoke carries its payload as JSON text: in {"Payload": "<text>"},
 * out {"StatusCode": 200, "Payload": "<text>", "FunctionError"?: "Unhandled",
 * "ExecutedVersion": "$LATEST", "LogResult"?: "..."}.
 *
 * Ownership: the caller owns everything in a transport_result and releases
 * it with transport_result_free. Thread safety: a transport may be called
 * from several executions at once.
 */
#ifndef STEPBENCH_TRANSPORT_H
#define STEPBENCH_TRANSPORT_H

#include <cjson/cJSON.h>

typedef struct transport_result {
	cJSON *out;        /* success: the response body */
	cJSON *headers;    /* response headers as {name: value}, when known; may be NULL */
	int status;        /* HTTP status of the answer (200 on success) */
	char *request_id;  /* the x-amzn-RequestId */
	/* failure */
	char *err_type;    /* AWS error code, e.g. "ResourceNotFoundException" */
	char *err_message;
	cJSON *err_body;   /* the whole error body when it has more than type and message */
} transport_result;

/* transport->call returns */
enum {
	TRANSPORT_OK = 0,
	TRANSPORT_AWS_ERROR = -1, /* the service answered with an error (err_type set) */
	TRANSPORT_CLIENT_ERROR = -2, /* the service could not be reached or answered garbage
	                                (err_type "SdkClientException") */
};

/* Who the calls of a transport are made as: a workflow's execution role.
 * A transport made without one calls anonymously (nothing is enforced). */
typedef struct transport_identity {
	const char *role_arn;   /* arn:aws:iam::<account>:role/<name> */
	const char *session;    /* the STS session name (e.g. the execution's name) */
	const char *source_arn; /* the state machine or execution making the calls */
} transport_identity;

typedef struct transport transport;
struct transport {
	/**
	 * Call service/op with request in (borrowed). region NULL = the
	 * transport's default. Fills *res (zero it first); returns TRANSPORT_*.
	 */
	int (*call)(transport *t, const char *service, const char *op, const char *region, const cJSON *in,
	            transport_result *res);
	/** Release the transport (may be NULL for static transports). */
	void (*close)(transport *t);
	void *ctx;
};

/** Release everything res holds and zero it. */
void transport_result_free(transport_result *res);

#endif
