/* resources.h - does a scenario's `given` create what its state machine uses?
 *
 * The tables, queues and functions a definition's Task states name
 * literally (runner/graph.h) must each be created by the scenario's merged
 * `given`, unless every state that uses it is mocked in the scenario. A
 * missing one is what makes a first run fail with ResourceNotFound, so
 * `stepbench validate` reports it before anything runs.
 */
#ifndef STEPBENCH_RUNNER_RESOURCES_H
#define STEPBENCH_RUNNER_RESOURCES_H

#include <cjson/cJSON.h>

#include "common/sb.h"
#include "runner/scenario.h"

/** Append one "file:line:column: message\n" per missing resource.
 *  @return how many are missing. */
int runner_check_resources(const runner_scenario *s, const cJSON *definition, sb *err);

#endif
