/* scaffold.h - `stepbench init`: a scenario suite skeleton for a state machine.
 *
 * The skeleton's `given` creates what the Task states use (tables with a
 * guessed key schema, queues, functions that return {}), and it holds one
 * scenario per path through the top level's Choice transitions and Catch
 * handlers, from StartAt to an end (a path stops where it would loop). A
 * path that goes through a catcher mocks the failing state with a Throw of
 * an error the catcher handles. Each scenario's input and expect are left
 * for the author: fill the inputs, then `stepbench run --record` writes
 * the expectations.
 *
 * Ownership: a new tree for the caller.
 */
#ifndef STEPBENCH_RUNNER_SCAFFOLD_H
#define STEPBENCH_RUNNER_SCAFFOLD_H

#include <cjson/cJSON.h>

/* At most this many scenarios (paths) in a skeleton. */
#define RUNNER_SCAFFOLD_MAX 64

/**
 * @param definition    the ASL definition
 * @param machine_path  the stateMachine member to write (relative to the suite file)
 * @param name          the suite's name
 */
cJSON *runner_scaffold(const cJSON *definition, const char *machine_path, const char *name);

#endif
