/* result.h - what running a scenario produced: the types reports read.
 *
 * A runner_result is plain data: every string and tree in it is owned by the
 * result and released with runner_result_clear (runner/run.h). reports/ sees
 * only this header.
 */
#ifndef STEPBENCH_RUNNER_RESULT_H
#define STEPBENCH_RUNNER_RESULT_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* One difference between what a scenario expected and what happened. */
typedef struct runner_mismatch {
	char *path;     /* where in the scenario: "expect.lambda['user-onboarding'][0].userId" */
	char *message;  /* what is wrong, in words: "expected 1 invocation of user-onboarding, got 0" */
	char *expected; /* JSON text of the expected value or matcher; NULL when not meaningful */
	char *actual;   /* JSON text of the actual value, "(absent)" when there is none; may be NULL */
	int line, col;  /* of the expectation in the scenario file; 0 when unknown */
} runner_mismatch;

typedef struct runner_mismatches {
	runner_mismatch *v;
	size_t n, cap;
} runner_mismatches;

typedef enum {
	RUNNER_PASS,
	RUNNER_FAIL,  /* ran, and an expectation did not hold */
	RUNNER_ERROR, /* could not run: invalid file, state machine or given */
} runner_outcome;

typedef struct runner_result {
	char *file;          /* scenario file, as found */
	char *name;          /* scenario name; for a file that did not load, the file name */
	char *state_machine; /* path of the state machine file; may be NULL */
	int index;           /* position in the run (stable order: files sorted, scenarios in file order) */
	runner_outcome outcome;
	double seconds;      /* wall time spent on the scenario */
	char *status;        /* execution status ("SUCCEEDED", ...); NULL if it did not run */
	char *exec_error;    /* the execution's error and cause when it failed; may be NULL */
	char *exec_cause;
	cJSON *path;         /* array of the state names entered, in order; NULL if it did not run */
	cJSON *history;      /* the execution's events (GetExecutionHistory shape); may be NULL */
	cJSON *world;        /* what the execution left: {"dynamodb", "sqs", "lambda"} views; may be NULL */
	cJSON *output;       /* the execution's output; may be NULL */
	cJSON *calls;        /* the permissions the execution's calls needed: [{action, resource, denied?}]; may be NULL */
	cJSON *role;         /* the declared execution role {name, arn, policies, expectsError?}; NULL without one */
	cJSON *policy_check; /* --check-policy's findings for the scenario (runner/permcheck.h); may be NULL */
	runner_mismatches mm; /* RUNNER_FAIL: at least one */
	char *error;         /* RUNNER_ERROR: every problem, one "file:line:column: message" per line */
} runner_result;

/** The result as JSON (the --json report's entries; how workers send results). Caller owns. */
cJSON *runner_result_json(const runner_result *r);
/** The inverse of runner_result_json: fills r (zeroed first), moving j's path, output,
 *  history and world into r (j is left without them); 0, or -1 when j is not a result. */
int runner_result_from_json(cJSON *j, runner_result *r);
/** Release everything r holds and zero it. */
void runner_result_clear(runner_result *r);

#endif
