/* report.h - how results reach people and CI: console lines, JUnit XML.
 *
 * Reports read runner/result.h only. Results come in the run's stable order
 * (files sorted by path, scenarios in file order), whatever order they ran
 * in; consecutive results with the same file belong to one file's suite.
 *
 * Ownership: reports keep nothing; text goes to the sb or FILE given.
 * Errors: only writing a file can fail (-1 with "path: reason" in err).
 */
#ifndef STEPBENCH_REPORT_H
#define STEPBENCH_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "common/sb.h"
#include "runner/result.h"

/* ---- text shared by every report --------------------------------------- */

/**
 * Everything a person needs to act on a failed or erroneous scenario, as
 * plain text lines: for each mismatch "file:line:column: path: message" with
 * the expected and actual values, then the execution's status (and error)
 * and the path it took. Nothing for a passed scenario.
 */
void report_failure_text(const runner_result *r, sb *out);
/** The first line of report_failure_text (for one-line summaries). */
void report_failure_headline(const runner_result *r, sb *out);
/** "A -> B -> C" for a path array ("(none)" when empty or NULL). */
void report_path_text(const cJSON *path, sb *out);
/**
 * The execution's events, one per line, with virtual times relative to the
 * first: "+0.000s  #4 TaskStateEntered  Save User Details". Nothing when
 * the scenario did not run.
 */
void report_timeline_text(const runner_result *r, sb *out);

/* ---- console ------------------------------------------------------------- */

typedef struct report_console {
	FILE *f;
	int color;   /* ANSI colours */
	int verbose; /* also print the details of passing scenarios' paths */
	int quiet;   /* only failures and the summary */
} report_console;

/** Colours are on when f is a terminal and NO_COLOR is unset or empty. */
int report_color_default(FILE *f);
/** One line for r (and the failure text, indented, when it did not pass). */
void report_console_result(const report_console *c, const runner_result *r);
/** "3 scenarios: 2 passed, 1 failed (0.012 s)". */
void report_console_summary(const report_console *c, const runner_result *v, size_t n, double seconds);
/** The workflow coverage table (coverage: runner_coverage_json's shape), and
 *  what is not covered under each machine that is not at 100%. */
void report_console_coverage(const report_console *c, const cJSON *coverage);

/* ---- JUnit XML ------------------------------------------------------------- */

/**
 * A JUnit report valid against the Jenkins xunit schema (junit-10.xsd): one
 * <testsuite> per scenario file, with properties naming its state machine
 * and each scenario's path; one <testcase> per scenario, with <failure> or
 * <error> holding the full failure text and <system-out> the execution's
 * event timeline; times in seconds.
 */
void report_junit(const runner_result *v, size_t n, double seconds, sb *out);
/** report_junit written to path (its folder is created). 0 or -1 with err. */
int report_junit_write(const char *path, const runner_result *v, size_t n, double seconds, sb *err);

/* ---- JSON and HTML ---------------------------------------------------------- */

/** {"summary": {total, passed, failed, errors, seconds}, "results": [...],
 *  "coverage": [...]} (coverage may be NULL). */
void report_json(const runner_result *v, size_t n, double seconds, const cJSON *coverage, sb *out);
int report_json_write(const char *path, const runner_result *v, size_t n, double seconds, const cJSON *coverage,
                      sb *err);

/**
 * One self-contained HTML file (no external resources): the summary, the
 * coverage table, and per scenario the state machine drawn as SVG with the
 * path taken highlighted and the failing state marked, the failure text,
 * the event timeline with virtual times, the output and what the execution
 * left (items, messages, invocations).
 * @param layouts  {"<state machine path>": runner/layout.h layout}; may be NULL
 */
void report_html(const runner_result *v, size_t n, double seconds, const cJSON *coverage, const cJSON *layouts,
                 sb *out);
int report_html_write(const char *path, const runner_result *v, size_t n, double seconds, const cJSON *coverage,
                      const cJSON *layouts, sb *err);
/** The SVG of one layout with r's path highlighted (r may be NULL). */
void report_svg(const cJSON *layout, const runner_result *r, sb *out);

/** Write text to path, creating its folder. 0, or -1 with err. */
int report_write_file(const char *path, const sb *text, sb *err);

#endif
