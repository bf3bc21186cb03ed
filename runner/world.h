/* world.h - a scenario's world: seeding the mocks from `given`, and the
 * snapshot of what the execution left behind (see runner/check.h for its shape).
 *
 * Ownership: snapshots are new trees the caller frees (cJSON_Delete).
 * Errors: seeding stops at the first service error, which goes to err as
 * "file:line:column: given...: Type: message" pointing at the entry.
 */
#ifndef STEPBENCH_RUNNER_WORLD_H
#define STEPBENCH_RUNNER_WORLD_H

#include <cjson/cJSON.h>

#include "common/sb.h"
#include "engine/engine.h"
#include "mocks/mock.h"
#include "runner/scenario.h"

/** Create the tables, items, queues and functions s->given describes.
 *  @return 0, or -1 with err. */
int runner_seed(mock_world *w, const runner_scenario *s, sb *err);

/** Create s's declared role in w's IAM (a trust policy for
 *  states.amazonaws.com, one inline policy per document); its ARN is
 *  appended to arn. Nothing happens without a declared role.
 *  @return 0, or -1 with err. */
int runner_seed_role(mock_world *w, const runner_scenario *s, sb *arn, sb *err);

/**
 * The execution part of the snapshot: {status, output?, error?, cause?,
 * path: [state names entered, in order], history: [events], variables}.
 */
cJSON *runner_execution_json(const engine_exec *x);

/** The state names entered, in order, read from a history's events. */
cJSON *runner_history_path(const cJSON *history);

/**
 * The whole snapshot: {"execution": execution (taken: the snapshot owns it
 * afterwards; may be NULL), "dynamodb": ..., "sqs": ..., "lambda": ...}.
 * @param keys  out: {Table: [key attribute names]} (caller owns)
 */
cJSON *runner_world_snapshot(mock_world *w, cJSON *execution, cJSON **keys);

#endif
