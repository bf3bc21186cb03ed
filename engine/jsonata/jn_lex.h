/* jn_lex.h - the JSONata tokenizer (private): one token at a time, with positions.
 *
 * Positions are character positions as the reference reports them (UTF-16
 * code units from the start of the expression). Token text lives in the
 * arena passed to jn_lex_init (the compiled expression's).
 */
#ifndef STEPBENCH_JN_LEX_H
#define STEPBENCH_JN_LEX_H

#include <stddef.h>

#include "common/arena.h"

typedef enum jn_tok_type {
	JN_TOK_END = 0,
	JN_TOK_NAME,
	JN_TOK_VARIABLE,
	JN_TOK_OPERATOR,
	JN_TOK_STRING,
	JN_TOK_NUMBER,
	JN_TOK_VALUE, /* true / false / null: num holds 1, 0, or -1 for null */
	JN_TOK_REGEX,
} jn_tok_type;

typedef struct jn_token {
	jn_tok_type type;
	const char *text; /* name, variable (without $), operator, string contents, regex pattern */
	size_t len;       /* bytes of text */
	double num;       /* number value; for VALUE: 1 true, 0 false, -1 null */
	const char *flags;/* regex flags ("i", "m", "im"...) */
	int pos;          /* character position of the token */
} jn_token;

typedef struct jn_lexer {
	const char *src;
	size_t len, i;  /* byte offset */
	int cpos;       /* character position of byte offset i */
	arena *a;
	/* error out */
	const char *err_code;
	int err_pos;
	const char *err_token;
} jn_lexer;

void jn_lex_init(jn_lexer *lx, const char *src, size_t len, arena *a);
/**
 * Next token. prefix != 0 means a '/' is the division operator rather than
 * the start of a regex. Returns 0 with *t filled (JN_TOK_END at the end), or
 * -1 with err_code/err_pos/err_token set.
 */
int jn_lex_next(jn_lexer *lx, int prefix, jn_token *t);

#endif
