/* scenario.h - scenario files: loading and validation.
 *
 * A scenario file (*.scenario.json) holds one scenario,
 *
 *   {"name": "...", "stateMachine": "flow.asl.json", "clock": "2025-10-20T10:30:00Z",
 *    "given": {...}, "input": {...}, "mock": {...}, "faults": [...], "expect": {...}}
 *
 * or a suite: shared members and a list of scenarios, each overriding what it
 * needs (each scenario is its own test case),
 *
 *   {"name": "suite", "stateMachine": "...", "clock": "...", "given": {...},
 *    "scenarios": [{"name": "...", "input": {...}, "expect": {...}}, ...]}
 *
 * Either may declare the execution role the workflow runs as:
 * "role": {"name": "r", "policies": [<policy document> | "file.json", ...]}
 * or "role": "file.json" (a file holding one policy document or a list).
 *
 * The README's "Writing scenarios" section documents every member, and
 * scenarios/scenario.schema.json is its JSON Schema. Loading checks the
 * whole file and reports every problem as "file:line:column: message", one
 * per line, so a person can fix them all in one go.
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

/* Nodes of the file's document, in order. */
typedef struct runner_list {
	const cJSON **v;
	size_t n, cap;
} runner_list;

/* `given` once the suite's and the scenario's are merged: a scenario's
 * table, queue or function replaces the suite's of the same name, and its
 * items for a table replace the suite's items for that table. */
typedef struct runner_given {
	runner_list tables;    /* CreateTable requests */
	runner_list items;     /* arrays of plain items; each node's ->string is its table */
	runner_list queues;    /* CreateQueue requests */
	runner_list functions; /* {FunctionName, returns | error, ...} */
} runner_given;

/* The execution role a scenario declares (`role`, the scenario's replacing
 * the suite's; `"role": null` declares none). Without one nothing is
 * enforced. */
typedef struct runner_role {
	int declared;          /* 1 when the scenario runs as a role */
	const char *name;      /* the role's name (RUNNER_DEFAULT_ROLE when not given) */
	runner_list policies;  /* identity-based policy documents, valid (checked at load) */
	const cJSON *node;     /* the role member, for positions */
} runner_role;

/* The role's name when `role` does not give one. */
#define RUNNER_DEFAULT_ROLE "stepbench-execution-role"

typedef struct runner_scenario {
	const runner_file *file;
	int index;             /* position in its file */
	const char *name;
	char *state_machine;   /* the stateMachine path resolved against the file's folder */
	int64_t clock_ms;      /* where the virtual clock starts */
	runner_given given;
	const cJSON *input;    /* NULL when absent: the execution gets {} */
	const cJSON *expect;   /* the scenario's expect object */
	const cJSON *node;     /* the scenario object, for positions */
	const cJSON *suite;    /* the suite object when the file is a suite, else NULL */
	runner_list tags;      /* strings: the suite's, then the scenario's */
	runner_list faults;    /* {service, operation, error, message?, count?}: the suite's, then the scenario's */
	runner_list mocks;     /* per-state mocks, members named after states: the scenario's first */
	runner_list callbacks; /* per-state answers to .waitForTaskToken tokens, as mocks: the scenario's first */
	runner_role role;      /* the execution role, when declared */
} runner_scenario;

struct runner_file {
	char *path;
	cj_doc *doc;
	int is_suite;
	int dirty;              /* --record added expectations: the file needs writing */
	const char *suite_name; /* the suite's "name", or NULL */
	runner_scenario *v;
	size_t n;
	cj_doc **extra;         /* policy files a `role` names: they own its documents */
	size_t nextra;
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

/** The mock answers for state (see runner/mockcfg.h), or NULL. */
const cJSON *runner_scenario_mock(const runner_scenario *s, const char *state);
/** The answers to the task tokens of state (a callbacks member), or NULL. */
const cJSON *runner_scenario_callback(const runner_scenario *s, const char *state);
/** 1 when the scenario has tag. */
int runner_scenario_has_tag(const runner_scenario *s, const char *tag);

#endif
