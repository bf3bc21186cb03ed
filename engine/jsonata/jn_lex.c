/* jn_lex.c - JSONata tokenizer, following the reference's rules token by token. */
#include "engine/jsonata/jn_lex.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/sb.h"
#include "engine/jsonata/jn_value.h"

void jn_lex_init(jn_lexer *lx, const char *src, size_t len, arena *a)
{
	memset(lx, 0, sizeof *lx);
	lx->src = src;
	lx->len = len;
	lx->a = a;
}

/* single characters that end a name (the reference's operator table keys) */
static int is_op_char(char c)
{
	return c && strchr(".[]{}(),@#;:?+-*/%|=<>^&!~", c) != NULL;
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'; }

static char at(const jn_lexer *lx, size_t i) { return i < lx->len ? lx->src[i] : '\0'; }

/* advance the byte offset to j, keeping the character position in step */
static void move_to(jn_lexer *lx, size_t j)
{
	if (j > lx->len)
		j = lx->len;
	lx->cpos += (int)jn_utf16_len(lx->src + lx->i, j - lx->i);
	lx->i = j;
}

static int fail(jn_lexer *lx, const char *code, const char *token)
{
	lx->err_code = code;
	lx->err_pos = lx->cpos;
	lx->err_token = token;
	return -1;
}

static int tok(jn_lexer *lx, jn_token *t, jn_tok_type type, const char *text, size_t len)
{
	t->type = type;
	t->text = text;
	t->len = len;
	t->pos = lx->cpos;
	return 0;
}

static int scan_regex(jn_lexer *lx, jn_token *t)
{
	size_t start = lx->i;
	int depth = 0;
	while (lx->i < lx->len) {
		char c = lx->src[lx->i];
		if (c == '/' && depth == 0) {
			size_t bs = 0;
			while (lx->i >= start + bs + 1 && lx->src[lx->i - bs - 1] == '\\')
				bs++;
			if (bs % 2 == 0) {
				size_t plen = lx->i - start;
				if (plen == 0)
					return fail(lx, "S0301", NULL);
				const char *pat = arena_strndup(lx->a, lx->src + start, plen);
				move_to(lx, lx->i + 1);
				size_t fs = lx->i, fe = fs;
				while (fe < lx->len && (lx->src[fe] == 'i' || lx->src[fe] == 'm'))
					fe++;
				t->flags = arena_strndup(lx->a, lx->src + fs, fe - fs);
				move_to(lx, fe);
				return tok(lx, t, JN_TOK_REGEX, pat, plen);
			}
		}
		char prev = lx->i > 0 ? lx->src[lx->i - 1] : '\0';
		if ((c == '(' || c == '[' || c == '{') && prev != '\\')
			depth++;
		if ((c == ')' || c == ']' || c == '}') && prev != '\\')
			depth--;
		move_to(lx, lx->i + 1);
	}
	return fail(lx, "S0302", NULL);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* \u followed by up to 4 hex digits at src+i; -1 when not all hex */
static long hex4(const jn_lexer *lx, size_t i)
{
	long v = 0;
	int n = 0;
	for (; n < 4 && i + (size_t)n < lx->len; n++) {
		int h = hexval(lx->src[i + (size_t)n]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return n ? v : -1;
}

static int scan_string(jn_lexer *lx, jn_token *t, char quote)
{
	sb b = SB_INIT;
	move_to(lx, lx->i + 1);
	while (lx->i < lx->len) {
		char c = lx->src[lx->i];
		if (c == '\\') {
			move_to(lx, lx->i + 1);
			c = at(lx, lx->i);
			const char *esc = NULL;
			switch (c) {
			case '"': esc = "\""; break;
			case '\\': esc = "\\"; break;
			case '/': esc = "/"; break;
			case 'b': esc = "\b"; break;
			case 'f': esc = "\f"; break;
			case 'n': esc = "\n"; break;
			case 'r': esc = "\r"; break;
			case 't': esc = "\t"; break;
			default: break;
			}
			if (esc) {
				sb_catc(&b, *esc);
			} else if (c == 'u') {
				long cp = hex4(lx, lx->i + 1);
				if (cp < 0) {
					sb_free(&b);
					return fail(lx, "S0104", NULL);
				}
				move_to(lx, lx->i + 4);
				/* a high surrogate escape followed by a low one is one character */
				if (cp >= 0xD800 && cp <= 0xDBFF && at(lx, lx->i + 1) == '\\' && at(lx, lx->i + 2) == 'u') {
					long lo = hex4(lx, lx->i + 3);
					if (lo >= 0xDC00 && lo <= 0xDFFF) {
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						move_to(lx, lx->i + 6);
					}
				}
				jn_utf8_enc(&b, (uint32_t)cp);
			} else {
				sb_free(&b);
				char *tk = arena_strndup(lx->a, lx->src + lx->i, lx->i < lx->len ? 1 : 0);
				return fail(lx, "S0103", tk);
			}
			move_to(lx, lx->i + 1);
		} else if (c == quote) {
			move_to(lx, lx->i + 1);
			char *s = arena_strndup(lx->a, b.buf ? b.buf : "", b.len);
			size_t n = b.len;
			sb_free(&b);
			return tok(lx, t, JN_TOK_STRING, s, n);
		} else {
			/* copy a run of ordinary bytes */
			size_t j = lx->i + 1;
			while (j < lx->len && lx->src[j] != '\\' && lx->src[j] != quote)
				j++;
			sb_catn(&b, lx->src + lx->i, j - lx->i);
			move_to(lx, j);
		}
	}
	sb_free(&b);
	return fail(lx, "S0101", NULL);
}

/* the reference's /^-?(0|([1-9][0-9]*))(\.[0-9]+)?([Ee][-+]?[0-9]+)?/ */
static size_t match_number(const jn_lexer *lx, size_t i)
{
	size_t j = i;
	if (at(lx, j) == '-')
		j++;
	if (at(lx, j) == '0') {
		j++;
	} else if (at(lx, j) >= '1' && at(lx, j) <= '9') {
		while (at(lx, j) >= '0' && at(lx, j) <= '9')
			j++;
	} else {
		return 0;
	}
	if (at(lx, j) == '.' && at(lx, j + 1) >= '0' && at(lx, j + 1) <= '9') {
		j++;
		while (at(lx, j) >= '0' && at(lx, j) <= '9')
			j++;
	}
	if (at(lx, j) == 'e' || at(lx, j) == 'E') {
		size_t k = j + 1;
		if (at(lx, k) == '+' || at(lx, k) == '-')
			k++;
		if (at(lx, k) >= '0' && at(lx, k) <= '9') {
			while (at(lx, k) >= '0' && at(lx, k) <= '9')
				k++;
			j = k;
		}
	}
	return j - i;
}

int jn_lex_next(jn_lexer *lx, int prefix, jn_token *t)
{
	memset(t, 0, sizeof *t);
	for (;;) {
		size_t j = lx->i;
		while (j < lx->len && is_ws(lx->src[j]))
			j++;
		move_to(lx, j);
		if (at(lx, lx->i) == '/' && at(lx, lx->i + 1) == '*') {
			int cstart = lx->cpos;
			size_t k = lx->i + 2;
			while (!(at(lx, k) == '*' && at(lx, k + 1) == '/')) {
				if (k >= lx->len) {
					move_to(lx, lx->len);
					lx->err_code = "S0106";
					lx->err_pos = cstart;
					lx->err_token = NULL;
					return -1;
				}
				k++;
			}
			move_to(lx, k + 2);
			continue;
		}
		break;
	}
	if (lx->i >= lx->len)
		return tok(lx, t, JN_TOK_END, NULL, 0);
	char c = lx->src[lx->i];
	char d = at(lx, lx->i + 1);
	if (!prefix && c == '/') {
		move_to(lx, lx->i + 1);
		return scan_regex(lx, t);
	}
	static const char *const two[] = {"..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"};
	for (size_t k = 0; k < sizeof two / sizeof two[0]; k++)
		if (c == two[k][0] && d == two[k][1]) {
			move_to(lx, lx->i + 2);
			return tok(lx, t, JN_TOK_OPERATOR, two[k], 2);
		}
	if (is_op_char(c)) {
		static const char ops[] = ".[]{}(),@#;:?+-*/%|=<>^&!~";
		const char *p = strchr(ops, c);
		move_to(lx, lx->i + 1);
		/* a pointer into a static table keeps the token text NUL-terminated */
		static const char *const one[] = {".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?",
		                                  "+", "-", "*", "/", "%", "|", "=", "<", ">", "^", "&", "!", "~"};
		return tok(lx, t, JN_TOK_OPERATOR, one[p - ops], 1);
	}
	if (c == '"' || c == '\'')
		return scan_string(lx, t, c);
	size_t nl = match_number(lx, lx->i);
	if (nl) {
		char *txt = arena_strndup(lx->a, lx->src + lx->i, nl);
		double v = strtod(txt, NULL);
		if (!isfinite(v))
			return fail(lx, "S0102", txt);
		move_to(lx, lx->i + nl);
		tok(lx, t, JN_TOK_NUMBER, txt, nl);
		t->num = v;
		return 0;
	}
	if (c == '`') {
		move_to(lx, lx->i + 1);
		const char *e = memchr(lx->src + lx->i, '`', lx->len - lx->i);
		if (e) {
			size_t n = (size_t)(e - (lx->src + lx->i));
			char *name = arena_strndup(lx->a, lx->src + lx->i, n);
			move_to(lx, lx->i + n + 1);
			return tok(lx, t, JN_TOK_NAME, name, n);
		}
		move_to(lx, lx->len);
		return fail(lx, "S0105", NULL);
	}
	size_t e = lx->i;
	while (e < lx->len && !is_ws(lx->src[e]) && !is_op_char(lx->src[e]))
		e++;
	if (c == '$') {
		char *name = arena_strndup(lx->a, lx->src + lx->i + 1, e - lx->i - 1);
		size_t n = e - lx->i - 1;
		move_to(lx, e);
		return tok(lx, t, JN_TOK_VARIABLE, name, n);
	}
	char *name = arena_strndup(lx->a, lx->src + lx->i, e - lx->i);
	size_t n = e - lx->i;
	move_to(lx, e);
	if (!strcmp(name, "or") || !strcmp(name, "in") || !strcmp(name, "and"))
		return tok(lx, t, JN_TOK_OPERATOR, name, n);
	if (!strcmp(name, "true") || !strcmp(name, "false") || !strcmp(name, "null")) {
		tok(lx, t, JN_TOK_VALUE, name, n);
		t->num = name[0] == 't' ? 1 : name[0] == 'f' ? 0 : -1;
		return 0;
	}
	return tok(lx, t, JN_TOK_NAME, name, n);
}
