/* graph.h - a state machine definition as a graph: states, transitions,
 * nested scopes, and the resources its Task states use.
 *
 * Read straight from the ASL JSON (no engine needed), so it works for
 * definitions the engine would reject too. Used for workflow coverage,
 * `stepbench init`, `validate`'s resource check and the reports' SVG.
 *
 * States are numbered in definition order, scope by scope: the top level
 * first, then each Map's ItemProcessor (or Iterator) and each Parallel
 * branch as its own scope. State names are unique in a whole state machine
 * (AWS requires it), so a name identifies a state.
 *
 * Ownership: runner_graph_build returns a graph the caller frees with
 * runner_graph_free. It points into the definition (names, nodes), which
 * must outlive it.
 */
#ifndef STEPBENCH_RUNNER_GRAPH_H
#define STEPBENCH_RUNNER_GRAPH_H

#include <cjson/cJSON.h>
#include <stddef.h>

typedef enum {
	RUNNER_EDGE_NEXT,    /* Next */
	RUNNER_EDGE_RULE,    /* a Choice rule's Next (index: the rule) */
	RUNNER_EDGE_DEFAULT, /* a Choice's Default */
	RUNNER_EDGE_CATCH,   /* a catcher's Next (index: the catcher) */
} runner_edge_kind;

typedef struct runner_gedge {
	int from, to; /* state indexes; to is -1 when Next names no state */
	runner_edge_kind kind;
	int index;
} runner_gedge;

typedef struct runner_gstate {
	const char *name;
	const char *type;   /* "Task", "Choice", ... ("?" when missing) */
	const cJSON *node;  /* the state object */
	int scope;          /* index into scopes */
	int end;            /* 1 when it ends its scope: End, Succeed, Fail */
	int nretry, ncatch; /* sizes of Retry and Catch */
	int inner_first, ninner; /* scopes nested in a Map (1) or Parallel (n branches) */
} runner_gstate;

typedef struct runner_gscope {
	int owner;     /* the Map/Parallel state, -1 for the top level */
	int branch;    /* branch number in a Parallel, 0 otherwise */
	int start;     /* the StartAt state, -1 when missing */
	int first, n;  /* its states: first .. first+n-1 */
} runner_gscope;

typedef struct runner_graph {
	runner_gstate *s;
	size_t ns;
	runner_gedge *e;
	size_t ne;
	runner_gscope *sc;
	size_t nsc;
} runner_graph;

runner_graph *runner_graph_build(const cJSON *definition);
void runner_graph_free(runner_graph *g);
/** The index of the state named name, or -1. */
int runner_graph_find(const runner_graph *g, const char *name);

/**
 * The services a definition's Task states use, where their names are
 * written literally (a name computed at run time cannot be known):
 *   {"dynamodb": {"<Table>": {"states": ["Save User", ...],
 *                             "keys": [{"name": "PK", "type": "S"}, ...]}},
 *    "sqs":      {"<queue>": {"states": [...]}},
 *    "lambda":   {"<function>": {"states": [...]}}}
 * A table's "keys" are a guess for scaffolding: the attributes of a Key
 * member when a state has one, else PK/SK, id, or the first attribute of
 * an Item. Caller owns the result.
 */
cJSON *runner_graph_resources(const runner_graph *g);

/** Which catcher or retrier (index) of a Retry/Catch list handles error, or -1
 *  (ErrorEquals: the name, "States.ALL", or "States.TaskFailed" for anything
 *  but States.Timeout, as ASL defines them). */
int runner_graph_handler(const cJSON *list, const char *error);

#endif
