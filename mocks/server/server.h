/* server.h - the HTTP front door: civetweb in front of the mocks.
 *
 * One port serves every service. A request is routed by, in order:
 * the /_stepbench/ prefix (the bench's own endpoints), the X-Amz-Target
 * header (JSON 1.0 services: DynamoDB, SQS, Step Functions), then each
 * service's raw HTTP hook (Lambda's REST routes, SQS's query protocol).
 * The region comes from the SigV4 credential scope of the Authorization
 * header, else the world's default.
 *
 * Only server.c includes civetweb.h. Ownership: the server borrows the world,
 * which must outlive srv_stop.
 */
#ifndef STEPBENCH_SERVER_H
#define STEPBENCH_SERVER_H

#include <stddef.h>

#include "common/sb.h"
#include "mocks/mock.h"

typedef struct srv srv;

typedef struct srv_opts {
	const char *host;   /* NULL: "127.0.0.1" */
	int port;           /* 0: any free port (see srv_port) */
	int threads;        /* worker threads; 0: 128 (DESIGN "Serving") */
	size_t max_body;    /* bytes; 0: 72 MiB (a 50 MB Lambda zip, base64) */
} srv_opts;

/**
 * Start serving w. Returns once the port is listening.
 * @return the server, or NULL with err filled (port in use...).
 */
srv *srv_start(mock_world *w, const srv_opts *o, sb *err);
/** The port actually listened on. */
int srv_port(const srv *s);
/** Stop serving: waits for the workers to finish their requests. */
void srv_stop(srv *s);

/* ---- shared by the protocol codecs ---------------------------------- */

/**
 * The region of a SigV4 Authorization header
 * ("AWS4-HMAC-SHA256 Credential=AKID/20250101/eu-west-1/sqs/aws4_request, ...")
 * into out; 0 on success, -1 if the header has no credential scope.
 * service (optional, 32 bytes) receives the scope's service name.
 */
int srv_scope_from_auth(const char *authorization, char region[32], char service[32]);

/**
 * Answer a JSON 1.0 request for svc/op: parse the body (SerializationException
 * when it is not a JSON object), dispatch, and render the answer or the
 * error ({"__type": prefix+type, "message": ...} with the error's status).
 */
void proto_json_answer(mock_world *w, const mock_service *svc, const char *op, const mock_http *in,
                       mock_http_out *out);

/** Render rq's error as a JSON 1.0 error answer. */
void proto_json_error(const mock_req *rq, mock_http_out *out);

/** Render a bare JSON 1.0 error not tied to a request. */
void proto_json_error_raw(const mock_service *svc, const char *type, int status, const char *message,
                          mock_http_out *out);

#endif
