/* jn_sig.c - signature strings: parsed once, matched against each call's argument letters. */
#include "engine/jsonata/jn_sig.h"

#include <string.h>

#include "engine/jsonata/jn_int.h"

static void set_of(jn_sig_param *p, const char *set)
{
	strncpy(p->set, set, sizeof p->set - 1);
	p->set[sizeof p->set - 1] = '\0';
}

static int closing(const char *s, int start, char open, char close)
{
	int depth = 1, pos = start, n = (int)strlen(s);
	while (pos < n) {
		pos++;
		if (s[pos] == close) {
			if (--depth == 0)
				break;
		} else if (s[pos] == open) {
			depth++;
		}
	}
	return pos;
}

int jn_sig_parse(const char *text, jn_sig *sig, const char **code, int *offset)
{
	memset(sig, 0, sizeof *sig);
	int n = (int)strlen(text);
	jn_sig_param *prev = NULL;
	for (int pos = 1; pos < n; pos++) {
		char c = text[pos];
		if (c == ':')
			break;
		jn_sig_param *p = sig->n < JN_SIG_MAXP ? &sig->p[sig->n] : NULL;
		switch (c) {
		case 's': case 'n': case 'b': case 'l': case 'o': {
			if (!p)
				break;
			char set[3] = {c, 'm', '\0'};
			set_of(p, set);
			p->type = c;
			prev = p;
			sig->n++;
			break;
		}
		case 'a': case 'x':
			if (!p)
				break;
			set_of(p, "asnblfom");
			p->type = c;
			prev = p;
			sig->n++;
			break;
		case 'f':
			if (!p)
				break;
			set_of(p, "f");
			p->type = c;
			prev = p;
			sig->n++;
			break;
		case 'j':
			if (!p)
				break;
			set_of(p, "asnblom");
			p->type = c;
			prev = p;
			sig->n++;
			break;
		case '-':
			if (prev) {
				prev->context = 1;
				memcpy(prev->ctxset, prev->set, sizeof prev->set);
				prev->optional = 1;
			}
			break;
		case '?':
			if (prev)
				prev->optional = 1;
			break;
		case '+':
			if (prev)
				prev->variadic = 1;
			break;
		case '(': {
			int end = closing(text, pos, '(', ')');
			if (memchr(text + pos + 1, '<', (size_t)(end - pos - 1))) {
				*code = "S0402";
				*offset = pos;
				return -1;
			}
			if (p) {
				size_t cl = (size_t)(end - pos - 1);
				if (cl > sizeof p->set - 2)
					cl = sizeof p->set - 2;
				memcpy(p->set, text + pos + 1, cl);
				p->set[cl] = 'm';
				p->set[cl + 1] = '\0';
				p->type = '(';
				prev = p;
				sig->n++;
			}
			pos = end;
			break;
		}
		case '<':
			if (prev && (prev->type == 'a' || prev->type == 'f')) {
				int end = closing(text, pos, '<', '>');
				size_t sl = (size_t)(end - pos - 1);
				if (sl > sizeof prev->subtype - 1)
					sl = sizeof prev->subtype - 1;
				memcpy(prev->subtype, text + pos + 1, sl);
				prev->subtype[sl] = '\0';
				pos = end;
			} else {
				*code = "S0401";
				*offset = pos;
				return -1;
			}
			break;
		default:
			break;
		}
	}
	return 0;
}

char jn_sig_symbol(jn_value v)
{
	switch (jn_kind_of(v)) {
	case JN_FUNCTION:
	case JN_LAMBDA:
		return 'f';
	case JN_STRING:
		return 's';
	case JN_NUMBER:
		return 'n';
	case JN_BOOL:
		return 'b';
	case JN_NULL:
		return 'l';
	case JN_ARRAY:
		return 'a';
	case JN_OBJECT:
		return 'o';
	default:
		return 'm';
	}
}

/* The reference matches "^(p1)(p2)...$" against one letter per argument;
 * this is that regular expression's backtracking search. Returns the end
 * of the match (anchored: must be n) or -1; caps get each group's span. */
static int match_from(const jn_sig *sig, int np, int pi, const char *s, int si, int n, int anchored, int *caps)
{
	if (pi == np)
		return (!anchored || si == n) ? si : -1;
	const jn_sig_param *p = &sig->p[pi];
	if (p->variadic) {
		int max = 0;
		while (si + max < n && strchr(p->set, s[si + max]))
			max++;
		for (int k = max; k >= (p->optional ? 0 : 1); k--) {
			caps[2 * pi] = si;
			caps[2 * pi + 1] = k;
			int r = match_from(sig, np, pi + 1, s, si + k, n, anchored, caps);
			if (r >= 0)
				return r;
		}
		return -1;
	}
	if (si < n && strchr(p->set, s[si])) {
		caps[2 * pi] = si;
		caps[2 * pi + 1] = 1;
		int r = match_from(sig, np, pi + 1, s, si + 1, n, anchored, caps);
		if (r >= 0 || !p->optional)
			return r;
	} else if (!p->optional) {
		return -1;
	}
	caps[2 * pi] = si;
	caps[2 * pi + 1] = 0;
	return match_from(sig, np, pi + 1, s, si, n, anchored, caps);
}

static const char *plural(const char *subtype)
{
	switch (subtype[0]) {
	case 'a': return "arrays";
	case 'b': return "booleans";
	case 'f': return "functions";
	case 'n': return "numbers";
	case 'o': return "objects";
	case 's': return "strings";
	default: return NULL;
	}
}

jn_value jn_sig_validate(jn_ctx *cx, const jn_sig *sig, jn_value *args, int nargs, jn_value context,
                         jn_value *buf, int bufcap, jn_value **out, int *nout)
{
	char sbuf[64];
	char *s = nargs < (int)sizeof sbuf ? sbuf : arena_alloc(cx->a, (size_t)nargs + 1);
	for (int i = 0; i < nargs; i++)
		s[i] = jn_sig_symbol(args[i]);
	s[nargs] = '\0';
	int caps[2 * JN_SIG_MAXP];
	if (match_from(sig, sig->n, 0, s, 0, nargs, 1, caps) < 0) {
		/* find how far the arguments matched, one parameter at a time */
		int good = 0;
		for (int k = 1; k <= sig->n; k++) {
			int r = match_from(sig, k, 0, s, 0, nargs, 0, caps);
			if (r < 0)
				break;
			good = r;
		}
		jn_value e = jn_error(cx, JN_E_T0410);
		if (good < nargs) {
			jn_errp(e)->value = args[good];
			jn_errp(e)->has_value = 1;
		}
		jn_errp(e)->index = good + 1;
		return e;
	}
	int cap = nargs + sig->n + 1;
	jn_value *v = cap <= bufcap ? buf : arena_alloc(cx->a, sizeof(jn_value) * (size_t)cap);
	int nv = 0, ai = 0;
	for (int pi = 0; pi < sig->n; pi++) {
		const jn_sig_param *p = &sig->p[pi];
		int start = caps[2 * pi], len = caps[2 * pi + 1];
		if (len == 0) {
			if (p->context) {
				char ct = jn_sig_symbol(context);
				if (!strchr(p->ctxset, ct)) {
					jn_value e = jn_error_v(cx, JN_E_T0411, context);
					jn_errp(e)->index = ai + 1;
					return e;
				}
				v[nv++] = context;
			} else {
				v[nv++] = ai < nargs ? args[ai] : jn_undefined();
				ai++;
			}
			continue;
		}
		for (int k = 0; k < len; k++) {
			char single = s[start + k];
			jn_value arg = ai < nargs ? args[ai] : jn_undefined();
			if (p->type == 'a') {
				if (single == 'm') {
					arg = jn_undefined();
				} else {
					int ok = 1;
					if (p->subtype[0]) {
						if (single != 'a' && !(len == 1 && p->subtype[0] == single && !p->subtype[1])) {
							ok = 0;
						} else if (single == 'a' && jn_arr_len(arg) > 0) {
							char it = jn_sig_symbol(jn_arr_get(arg, 0));
							if (it != p->subtype[0]) {
								ok = 0;
							} else {
								for (uint32_t i = 1; i < jn_arr_len(arg); i++)
									if (jn_sig_symbol(jn_arr_get(arg, i)) != it) {
										ok = 0;
										break;
									}
							}
						}
					}
					if (!ok) {
						jn_value e = jn_error_v(cx, JN_E_T0412, arg);
						jn_errp(e)->index = ai + 1;
						jn_errp(e)->type = plural(p->subtype);
						return e;
					}
					if (single != 'a') {
						jn_value w = jn_array(cx->a, 1, 0);
						jn_arr_push(cx->a, w, arg);
						arg = w;
					}
				}
			}
			v[nv++] = arg;
			ai++;
		}
	}
	*out = v;
	*nout = nv;
	return jn_undefined();
}
