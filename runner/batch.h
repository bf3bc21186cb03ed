/* batch.h - running many scenarios: selection, worker processes, stable order.
 *
 * A batch is the list of everything a run reports, in its stable order
 * (files sorted by path, scenarios in file order): each item is a scenario
 * to run or a file that did not load. Selection (--filter, --shard) keeps
 * items by their place in that list, so every machine of a CI matrix sees
 * the same split. Items run in this process (jobs == 1) or in `jobs` worker
 * processes forked from it, each scenario in its own LMDB environment
 * either way; results always come back in item order.
 *
 * Ownership: the batch borrows the files its scenarios belong to; they must
 * outlive it. Results are owned by the caller (runner_result_clear).
 */
#ifndef STEPBENCH_RUNNER_BATCH_H
#define STEPBENCH_RUNNER_BATCH_H

#include <stddef.h>

#include "runner/result.h"
#include "runner/scenario.h"

typedef struct runner_item {
	const runner_scenario *s; /* NULL for a file that did not load */
	const char *file;         /* the file, in either case */
	const char *problems;     /* why the file did not load ("file:line:column: ...\n"...) */
} runner_item;

typedef struct runner_batch {
	runner_item *v;
	size_t n, cap;
} runner_batch;

void runner_batch_add(runner_batch *b, const runner_scenario *s, const char *file, const char *problems);
void runner_batch_free(runner_batch *b);

/**
 * Keep the items whose scenario matches one of the filters (a name
 * containing the text, case-insensitive, or "tag:T" for a scenario tagged
 * T); files that did not load are kept. nfilters 0 keeps everything.
 */
void runner_batch_filter(runner_batch *b, const char *const *filters, size_t nfilters);
/** Keep items k-1, k-1+n, k-1+2n, ... (1 <= k <= n): shard k of n. */
void runner_batch_shard(runner_batch *b, int k, int n);

typedef struct runner_batch_opts {
	int jobs;      /* worker processes; <= 1 runs here */
	int fail_fast; /* start nothing new once a scenario failed */
	int record;    /* fill missing expectations (runner/record.h); forces jobs = 1 */
	int keep_world; /* keep each result's world (the HTML and JSON reports show it); else dropped early */
	/* Called once per result, in item order, as soon as it and all before it are known. */
	void (*on_result)(void *ctx, const runner_result *r);
	void *ctx;
} runner_batch_opts;

/**
 * Run every item. results must hold b->n zeroed results; result i belongs to
 * item i (its index is i). A result that was never produced (fail-fast) has
 * file == NULL.
 * @return how many results were produced.
 */
size_t runner_batch_run(const runner_batch *b, const runner_batch_opts *o, runner_result *results);

#endif
