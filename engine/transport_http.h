/* transport_http.h - the engine's transport over HTTP, to stepbench serve or any AWS-compatible endpoint.
 *
 * Speaks each service's wire protocol over plain sockets (HTTP/1.1, no TLS):
 *   dynamodb  JSON 1.0, X-Amz-Target DynamoDB_20120810.<Op>
 *   sqs       JSON 1.0, X-Amz-Target AmazonSQS.<Op>
 *   states    JSON 1.0, X-Amz-Target AWSStepFunctions.<Op>
 *   lambda    REST JSON: Invoke as POST /2015-03-31/functions/<name>/invocations
 *             (the payload is the body; X-Amz-Function-Error,
 *             X-Amz-Executed-Version, X-Amz-Log-Result come back as headers)
 * Requests are signed with SigV4 (credentials from AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, "test"/"test" when unset), so
 * servers that read the region from the credential scope route them right.
 * AWS errors come back in transport_result (err_type without its namespace,
 * err_message, the status); an endpoint that cannot be reached or answers
 * garbage gives TRANSPORT_CLIENT_ERROR with err_type "SdkClientException".
 *
 * Ownership: free with the transport's close(). Thread safety: each call
 * opens its own connection, so calls may run on several threads at once.
 */
#ifndef STEPBENCH_TRANSPORT_HTTP_H
#define STEPBENCH_TRANSPORT_HTTP_H

#include "engine/transport.h"

/**
 * A transport to endpoint ("http://127.0.0.1:4566"); region is used when a
 * call names none (NULL: "us-east-1").
 * @return the transport, or NULL when endpoint is not an http:// URL.
 */
transport *transport_http_new(const char *endpoint, const char *region);

#endif
