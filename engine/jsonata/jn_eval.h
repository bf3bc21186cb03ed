/* jn_eval.h - the evaluator (private).
 *
 * jn_eval walks the tree jn_parse built, the way the reference's evaluate()
 * does: one call per node, sequences flattened and collapsed at the same
 * places, tuple streams for paths that bind @, # or need % parents. Errors
 * are values of kind JN_ERROR returned up the C stack (no longjmp).
 *
 * Depth: every node evaluation counts one level while it runs, as the
 * reference's evaluate entry/exit hooks count, so jsonata_opts.max_depth
 * means what the reference suite's "depth" means. Tail calls come back to
 * the caller's trampoline as thunks and do not grow the depth or the C
 * stack. The C stack is also checked by address, so hostile recursion ends
 * with U1001 even when no max_depth is given.
 *
 * The entry points (jn_eval, jn_apply, jn_call_fn, jn_eval_text) and the
 * context are declared in jn_int.h with the rest of the shared internals.
 */
#ifndef STEPBENCH_JN_EVAL_H
#define STEPBENCH_JN_EVAL_H

#include "engine/jsonata/jn_int.h"

/* Without an explicit max_depth, evaluation may nest this deep (the C stack
 * check usually ends runaway recursion first). */
#define JN_DEFAULT_MAX_DEPTH 100000

#endif
