/* layout.h - where to draw a state machine: boxes and edges for the reports' SVG.
 *
 * A layered layout: each scope's states are ranked by their distance from
 * its StartAt and drawn in rows; a Map or Parallel state is a box holding
 * its inner scopes side by side. Forward transitions go down from the
 * bottom of a box to the top of the next; the others (loops, transitions
 * upwards) curve around the right side.
 *
 *   {"width", "height", "start": "<StartAt>",
 *    "states": [{"name", "type", "x", "y", "w", "h", "container": bool,
 *                "scope": n (states of one scope share it)}],
 *    "edges":  [{"from", "to", "kind": "next"|"rule"|"default"|"catch",
 *                "label", "d": "<SVG path>", "lx", "ly"}]}
 *
 * Ownership: new trees for the caller.
 */
#ifndef STEPBENCH_RUNNER_LAYOUT_H
#define STEPBENCH_RUNNER_LAYOUT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "runner/result.h"

/** The layout of an ASL definition. */
cJSON *runner_layout(const cJSON *definition);

/** {"<state machine path>": layout} for every machine the results ran
 *  (files that cannot be read are left out). */
cJSON *runner_layouts(const runner_result *rs, size_t n);

#endif
