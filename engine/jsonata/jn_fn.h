/* jn_fn.h - prototypes of the built-in functions (private; the table is jn_fn.def).
 * Each receives the call (its context and environment) and the arguments
 * already checked against its signature, and returns a value or an error. */
#ifndef STEPBENCH_JN_FN_H
#define STEPBENCH_JN_FN_H

#include "engine/jsonata/jn_int.h"

#define JN_FN(name, cfn, sig, arity, flags) jn_value cfn(jn_call *c, jn_value *args, int nargs);
#include "engine/jsonata/jn_fn.def"
#undef JN_FN

/* argument i, or undefined past the end */
#define JN_ARG(i) ((i) < nargs ? args[(i)] : jn_undefined())

/* the reference's hofFuncArgs: out gets the value, then the key/index and
 * the whole structure as far as fn's arity allows; returns the count */
int jn_hof_args(jn_value fn, jn_value *out, jn_value v, jn_value k, jn_value whole);
/* the reference's banker's rounding ($round) */
double jn_round_half_even(double arg, double precision);

/* a D3xxx-style error raised by a built-in at its call */
jn_value jn_fn_error_msg(jn_call *c, jn_code code, const char *message);

#endif
