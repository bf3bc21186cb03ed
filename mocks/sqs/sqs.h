/* sqs.h - the SQS mock: service descriptor and the contract other modules rely on.
 *
 * Protocols. One set of handlers (mock.h) answers both of SQS's wire
 * protocols: the JSON protocol (`X-Amz-Target: AmazonSQS.<Op>`, what current
 * SDKs and the CLI send) through the generic JSON 1.0 codec, and the query
 * protocol (form-encoded `Action=<Op>`, XML answers, `<ErrorResponse>`
 * errors, what older SDKs send) through the service's `http` hook, which
 * decodes the form into the JSON shape and renders the JSON answer as XML.
 * Errors answered over the JSON protocol carry the legacy query code in the
 * `x-amzn-query-error: <code>;Sender|Receiver` header when the client sent
 * `x-amzn-query-mode: true`, as SQS does.
 *
 * Queue URLs. A queue is found from any URL whose path is
 * `/<account>/<queue-name>`, whatever the scheme and host (and the account
 * segment is not compared: a world hosts one account), so definitions
 * exported from the console (`https://sqs.us-east-1.amazonaws.com/
 * 000000000000/user-onboarding`) work against the mock unchanged. QueueUrl
 * values the mock hands out are `<w->endpoint>/<account>/<name>` when the
 * world has an endpoint (`stepbench serve`), else AWS's own form
 * `https://sqs.<region>.amazonaws.com/<account>/<name>` with the region the
 * queue was created in (in-process scenarios).
 *
 * Requests are the SDK's JSON shapes ({QueueUrl, MessageBody, ...}), the same
 * in-process (engine/transport.h) as over HTTP. One convenience: a caller that
 * is not HTTP ("engine", "runner") may pass a non-string MessageBody, which is
 * sent as its compact JSON text, as Step Functions' sqs:sendMessage does.
 *
 * Time comes from the world clock only (rq->now_ms, clk_now_ms): real in
 * serve, virtual in scenarios. A long poll (WaitTimeSeconds) holds no LMDB
 * transaction while it waits; on the real clock it sleeps on a condition
 * variable that every send broadcasts, on a virtual clock it advances the
 * clock to the next time a message becomes visible (or to the end of the
 * wait) instead of blocking.
 *
 * Snapshot (mock_service.snapshot, for scenario assertions):
 *   {"<QueueName>": [{"MessageId", "Body", "MD5OfBody",
 *                     "Attributes": {SentTimestamp, ApproximateReceiveCount,
 *                                    ApproximateFirstReceiveTimestamp?, SenderId,
 *                                    MessageGroupId?, MessageDeduplicationId?,
 *                                    SequenceNumber?, DeadLetterQueueSourceArn?,
 *                                    AWSTraceHeader?},
 *                     "MessageAttributes": {...}}, ...], ...}
 * listing every queue and every message not yet deleted (visible, delayed or
 * in flight; expired ones excluded), in send order. The caller owns it.
 *
 * Storage: LMDB databases opened once in init (sqs.queues, sqs.msgs,
 * sqs.vis, sqs.seq, sqs.dedup); every queue's records share them under the
 * queue-name prefix.
 */
#ifndef STEPBENCH_SQS_H
#define STEPBENCH_SQS_H

#include <stddef.h>

#include "common/sb.h"
#include "mocks/mock.h"

extern const mock_service sqs_service;

/**
 * MD5OfMessageAttributes as AWS computes it, over a MessageAttributes (or
 * MessageSystemAttributes) object in the SDK JSON shape ({name: {DataType,
 * StringValue | BinaryValue (base64)}}): attributes sorted by name, each
 * encoded as 4-byte big-endian length + bytes of the name, the same for the
 * DataType, one transport byte (1 String/Number, 2 Binary), then length +
 * bytes of the value (decoded bytes for Binary).
 * @param out  33 bytes: lowercase hex digest
 * @return 0, or -1 when attrs is empty or not well formed (out untouched)
 */
int sqs_md5_of_attributes(const cJSON *attrs, char out[33]);

#endif
