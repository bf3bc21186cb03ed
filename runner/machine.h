/* machine.h - state machine files: read, locate, load into the engine.
 *
 * A state machine file is an ASL definition (*.asl.json), as exported from
 * the console or written by hand. Loading keeps the located document so the
 * engine's diagnostics ("/States/Save User/Next: ...") become
 * "file:line:column: message", and so reports can draw the graph.
 *
 * Ownership: runner_machine_load returns a machine the caller frees with
 * runner_machine_free; its definition may be shared by any number of
 * executions, on any threads, until then.
 */
#ifndef STEPBENCH_RUNNER_MACHINE_H
#define STEPBENCH_RUNNER_MACHINE_H

#include <cjson/cJSON.h>

#include "common/cj.h"
#include "common/sb.h"
#include "engine/engine.h"

typedef struct runner_machine {
	char *path;
	char *name;      /* the file name without .asl.json/.json: the state machine's name */
	cj_doc *doc;     /* the definition, located */
	engine_def *def; /* loaded by the engine */
} runner_machine;

/**
 * Read, parse and load path.
 * @param err  every problem as "file:line:column: message\n"
 * @return the machine, or NULL when the file cannot be read, is not JSON or
 *         the engine rejects it.
 */
runner_machine *runner_machine_load(const char *path, sb *err);
void runner_machine_free(runner_machine *m);

/**
 * The node a diagnostic path ("/States/Save User/Next", "" for the root)
 * names in root, or the deepest existing node on the way. Never NULL.
 */
const cJSON *runner_machine_node(const cJSON *root, const char *path);

#endif
