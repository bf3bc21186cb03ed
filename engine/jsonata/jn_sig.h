/* jn_sig.h - function signatures ("<s-nn?:s>") parsed once and checked at each call (private).
 *
 * The grammar and the checking follow the reference: each parameter is a
 * type letter (s n b l o a f j x, or a choice "(sn)"), optionally
 * parameterised (a<n>, f<s:o>), followed by '-' (use the context value when
 * the argument is missing), '?' (optional) or '+' (one or more). Matching is
 * the reference's regular expression over one letter per argument, with the
 * same backtracking, so the same calls pass and fail with the same errors.
 */
#ifndef STEPBENCH_JN_SIG_H
#define STEPBENCH_JN_SIG_H

#include "engine/jsonata/jn_value.h"

#define JN_SIG_MAXP 12

typedef struct jn_sig_param {
	char type;        /* s n b l o a f j x, or '(' for a choice */
	char set[12];     /* the letters an argument may be (the reference's regex class) */
	char ctxset[12];  /* the same, used to test the context value for '-' */
	char subtype[16]; /* a<...>: the item type; "" when none */
	unsigned char context, optional, variadic;
} jn_sig_param;

typedef struct jn_sig {
	int n;
	jn_sig_param p[JN_SIG_MAXP];
} jn_sig;

/**
 * Parse text ("<a<n>:n>"). Returns 0, or -1 with *code ("S0401"/"S0402")
 * and *offset (position within text) set.
 */
int jn_sig_parse(const char *text, jn_sig *sig, const char **code, int *offset);

/* The letter the signature grammar gives a value: s n b l a o f, m for undefined. */
char jn_sig_symbol(jn_value v);

#endif
