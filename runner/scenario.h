/* scenario.h - scenario files: loading and validation.
 *
 * A scenario file (*.scenario.json) holds one scenario:
 *
 *   {"name": "...", "stateMachine": "flow.asl.json", "clock": "2025-10-20T10:30:00Z",
 *    "given": {...}, "input": {...}, "expect": {...}}
 *
 * The README's "Writing scenarios" section is the user's documentation of
 * every field. Loading checks the whole file and reports every problem it
 * finds as "file:line:column: message", one per line, so a person can fix
 * them all in one go.
 *
 * Ownership: runner_file_load returns a file the caller frees with
 * runner_file_free; its scenarios and every cJSON node they point to belong
 * to the file (the parsed document, which also answers positions).
 */
#ifndef STEPBENCH_RUNNER_SCENARIO_H
#define STEPBENCH_RUNNER_SCENARIO_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "common/cj.h"
#include "common/sb.h"

/* The virtual clock's start when a scenario gives no `clock`. */
#define RUNNER_DEFAULT_CLOCK "2025-01-01T00:00:00Z"
/* Scenario and state machine files larger than this are refused. */
#define RUNNER_MAX_FILE (16u << 20)

typedef struct runner_file runner_file;

typedef struct runner_scenario {
	const runner_file *file;
	int index;             /* position in its file */
	const char *name;
	char *state_machine;   /* the stateMachine path resolved against the file's folder */
	int64_t clock_ms;      /* where the virtual clock starts */
	const cJSON *given;    /* NULL when absent */
	const cJSON *input;    /* NULL when absent: the execution gets {} */
	const cJSON *expect;
	const cJSON *node;     /* the scenario object, for positions */
	const cJSON *tags;     /* array of strings, or NULL */
} runner_scenario;

struct runner_file {
	char *path;
	cj_doc *doc;
	runner_scenario *v;
	size_t n;
};

/**
 * Read and validate a scenario file.
 * @param err  receives every problem, one "file:line:column: message\n" each
 * @return the file (caller frees with runner_file_free), or NULL when the
 *         file cannot be read or has any problem.
 */
runner_file *runner_file_load(const char *path, sb *err);
/** The same for text already in memory; path names it and anchors stateMachine. */
runner_file *runner_file_parse(const char *text, size_t len, const char *path, sb *err);
void runner_file_free(runner_file *f);

/** Where node of the file is, as "file:line:column: " appended to out. */
void runner_file_where(const runner_file *f, const cJSON *node, int key, sb *out);

/** 1 when name ends in ".scenario.json". */
int runner_is_scenario_name(const char *name);

#endif
