/* permcheck.h - `stepbench run --check-policy`: is each declared role exactly right?
 *
 * For every role the scenarios declared (a role is its name and its
 * policies: scenarios sharing both share it), over the calls the scenarios
 * running as it made (runner_result.calls):
 *
 * - missing: a call the role was denied. It fails the run, unless the
 *   scenario expects the execution's error (`expect.error`), i.e. it tests
 *   the denial on purpose;
 * - unused: an action, or a resource, an Allow statement grants that no
 *   scenario used;
 * - broad: a wildcard action (`dynamodb:*`), a wildcard resource
 *   (`Resource: "*"`, a table ARN ending in `/` and `*`), or a NotAction/NotResource, with what the
 *   scenarios actually used in its place.
 *
 * unused and broad are warnings: scenarios rarely take every path a
 * deployment takes, so they cannot prove a grant is never needed.
 *
 * Ownership: the returned report is the caller's; each result's
 * policy_check is set to the findings for its scenario (owned by the result).
 */
#ifndef STEPBENCH_RUNNER_PERMCHECK_H
#define STEPBENCH_RUNNER_PERMCHECK_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "runner/result.h"

/**
 * @param failing  out: the number of unexpected missing permissions
 * @return [{"role", "arn", "scenarios": [names], "missing": [{action, resource,
 *         scenario, expected}], "unused": [{action?, resource?, message}],
 *         "broad": [{action?, resource?, used: [...], message}]}], one per role
 */
cJSON *runner_policy_check(runner_result *v, size_t n, size_t *failing);

#endif
