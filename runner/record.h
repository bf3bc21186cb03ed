/* record.h - `--record`: fill a scenario's missing expectations from what happened.
 *
 * Each expectation the scenario does not state yet (status, path, output or
 * error and cause, dynamodb, sqs, lambda) is written from the world
 * snapshot. Values that change from run to run or with the clock are
 * written as matchers rather than copied: ISO date-times become
 * {"$timestamp": true}, UUIDs a $regex, message and request ids and
 * digests {"$type": "string"}, SDK metadata {"$any": true}. Table key
 * attributes stay plain, since items are found by their key.
 *
 * Ownership: expect is modified in place (it belongs to the scenario file's
 * document); snap and keys are borrowed.
 */
#ifndef STEPBENCH_RUNNER_RECORD_H
#define STEPBENCH_RUNNER_RECORD_H

#include <cjson/cJSON.h>

#include "common/sb.h"

/** Fill expect's missing members. @return how many were added. */
int runner_record(cJSON *expect, const cJSON *snap, const cJSON *keys);

/**
 * JSON text laid out for people: two-space indentation, and any object or
 * array that fits on one line within 100 columns kept on one line.
 */
void runner_json_pretty(const cJSON *v, sb *out);

#endif
