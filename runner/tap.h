/* tap.h - a transport that records the permissions every call needs.
 *
 * Wrapped around the engine's transport, it passes each call through and
 * notes the IAM actions and resources the call needs (mocks/authz.h's
 * mapping), and which of them the service refused with an access-denied
 * error. `stepbench policy --scenarios` and `stepbench run --check-policy`
 * read what the scenarios' executions really touched from it.
 *
 * Ownership: the tap owns inner (its close closes inner); calls is the
 * caller's array, which must outlive the tap. Thread safety: as the inner
 * transport; the recording itself is locked.
 */
#ifndef STEPBENCH_RUNNER_TAP_H
#define STEPBENCH_RUNNER_TAP_H

#include <cjson/cJSON.h>

#include "engine/transport.h"

/**
 * @param calls  receives one {"action", "resource", "denied"?: true} per
 *               distinct permission used, in the order first used
 */
transport *runner_tap_new(transport *inner, const char *account, const char *region, cJSON *calls);

/** Add {action, resource} to calls unless it is there; a denial sticks. */
void runner_tap_note(cJSON *calls, const char *action, const char *resource, int denied);

#endif
