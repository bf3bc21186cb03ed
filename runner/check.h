/* check.h - a scenario's `expect` held against what happened.
 *
 * What happened is a world snapshot, plain JSON (runner/world.h builds it):
 *
 *   {"execution": {"status", "output", "error", "cause", "path": [state names],
 *                  "history": [events], "variables": {...}},
 *    "dynamodb": {"<Table>": [items as plain JSON]},
 *    "sqs":      {"<queue name>": [{"MessageId", "Body" (parsed when it is JSON
 *                 text), "MD5OfBody", "Attributes", "MessageAttributes"}]},
 *    "lambda":   {"<function name>": [{"RequestId", "Payload" (parsed), ...}]}}
 *
 * and keys, {"<Table>": ["PK", "SK"]}: the key attribute names of each table,
 * which is how expected items are found.
 *
 * Ownership: nothing is kept; mismatches go to out (runner_mismatches_free).
 */
#ifndef STEPBENCH_RUNNER_CHECK_H
#define STEPBENCH_RUNNER_CHECK_H

#include <cjson/cJSON.h>

#include "runner/result.h"
#include "runner/scenario.h"

/**
 * Compare every expectation of s with snap.
 * @return the number of mismatches appended to out (0: the scenario passes).
 */
int runner_check(const runner_scenario *s, const cJSON *snap, const cJSON *keys, runner_mismatches *out);

/** The resource name in an SQS queue URL or a Lambda function ARN (or the
 *  name itself): ".../000000000000/orders" -> "orders",
 *  "arn:aws:lambda:...:function:f:alias" -> "f". Caller frees (mem_free). */
char *runner_resource_name(const char *name_url_or_arn);

#endif
