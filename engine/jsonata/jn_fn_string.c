/* jn_fn_string.c - string built-ins: slicing by code points, regex matchers, URL and base64 codecs. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/b64.h"
#include "common/hash.h"
#include "common/uuid.h"
#include "engine/jsonata/jn_fn.h"

/* $pad refuses to build more than this many characters of padding */
#define JN_MAX_PAD 10000000

/* ====================================================================== */
/* code points                                                            */
/* ====================================================================== */

/* byte offsets of each code point of s (n+1 entries, the last is len) */
static uint32_t *cp_offsets(arena *a, const char *s, uint32_t len, uint32_t *count)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	uint32_t *off = arena_alloc(a, sizeof(uint32_t) * (n + 1));
	uint32_t k = 0;
	for (uint32_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			off[k++] = i;
	off[k] = len;
	*count = n;
	return off;
}

/* JavaScript's Array.prototype.slice index normalisation */
static double slice_index(double x, double len)
{
	if (isnan(x))
		return 0;
	x = trunc(x);
	if (x < 0)
		return x + len < 0 ? 0 : x + len;
	return x > len ? len : x;
}

static jn_value substring_cp(jn_ctx *cx, jn_value str, double start, int has_len, double length)
{
	uint32_t n;
	uint32_t *off = cp_offsets(cx->a, jn_str(str), jn_str_len(str), &n);
	double len = n;
	if (len + start < 0)
		start = 0;
	double end = len;
	if (has_len) {
		if (length <= 0)
			return jn_string_n(cx->a, "", 0);
		end = start >= 0 ? start + length : len + start + length;
	}
	double s = slice_index(start, len), e = slice_index(end, len);
	if (e <= s)
		return jn_string_n(cx->a, "", 0);
	uint32_t bs = off[(uint32_t)s], be = off[(uint32_t)e];
	return jn_string_n(cx->a, jn_str(str) + bs, be - bs);
}

/* ====================================================================== */
/* $string and friends                                                    */
/* ====================================================================== */

jn_value jn_fn_string(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0), p = JN_ARG(1);
	return jn_stringify(c->cx, a, p.kind == JN_BOOL && jn_truth(p));
}

jn_value jn_fn_substring(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0), st = JN_ARG(1), ln = JN_ARG(2);
	if (jn_is_undef(s))
		return s;
	return substring_cp(c->cx, s, jn_numv(st), !jn_is_undef(ln), jn_numv(ln));
}

static const char *find_bytes(const char *h, size_t hn, const char *nd, size_t nn)
{
	if (nn == 0)
		return h;
	if (nn > hn)
		return NULL;
	return memmem(h, hn, nd, nn);
}

jn_value jn_fn_substringBefore(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0), ch = JN_ARG(1);
	if (jn_is_undef(s))
		return s;
	if (jn_is_undef(ch))
		ch = jn_string(c->cx->a, "undefined");
	const char *p = find_bytes(jn_str(s), jn_str_len(s), jn_str(ch), jn_str_len(ch));
	return p ? jn_string_n(c->cx->a, jn_str(s), (size_t)(p - jn_str(s))) : s;
}

jn_value jn_fn_substringAfter(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0), ch = JN_ARG(1);
	if (jn_is_undef(s))
		return s;
	if (jn_is_undef(ch))
		ch = jn_string(c->cx->a, "undefined");
	const char *p = find_bytes(jn_str(s), jn_str_len(s), jn_str(ch), jn_str_len(ch));
	if (!p)
		return s;
	size_t off = (size_t)(p - jn_str(s)) + jn_str_len(ch);
	return jn_string_n(c->cx->a, jn_str(s) + off, jn_str_len(s) - off);
}

/* simple case mappings: ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic */
static uint32_t to_upper(uint32_t cp)
{
	if (cp >= 'a' && cp <= 'z')
		return cp - 32;
	if (cp < 0x80)
		return cp;
	if ((cp >= 0xE0 && cp <= 0xFE && cp != 0xF7))
		return cp - 32;
	if (cp == 0xFF)
		return 0x178;
	if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x131 && cp != 0x138 && cp != 0x149) {
		int odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
		if (odd_upper)
			return (cp % 2 == 0) ? cp - 1 : cp;
		return (cp % 2 == 1) ? cp - 1 : cp;
	}
	if (cp >= 0x3B1 && cp <= 0x3C9 && cp != 0x3C2)
		return cp - 32;
	if (cp == 0x3C2)
		return 0x3A3;
	if (cp >= 0x430 && cp <= 0x44F)
		return cp - 32;
	if (cp >= 0x450 && cp <= 0x45F)
		return cp - 80;
	return cp;
}

static uint32_t to_lower(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp < 0x80)
		return cp;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if (cp == 0x178)
		return 0xFF;
	if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x131 && cp != 0x138 && cp != 0x149) {
		int odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
		if (odd_upper)
			return (cp % 2 == 1) ? cp + 1 : cp;
		return (cp % 2 == 0) ? cp + 1 : cp;
	}
	if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)
		return cp + 32;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	return cp;
}

static jn_value map_case(jn_ctx *cx, jn_value s, int upper)
{
	sb b = SB_INIT;
	const unsigned char *p = (const unsigned char *)jn_str(s);
	size_t n = jn_str_len(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int l = jn_utf8_dec(p + i, n - i, &cp);
		if (upper && cp == 0xDF) {
			sb_catn(&b, "SS", 2);
		} else {
			uint32_t m = upper ? to_upper(cp) : to_lower(cp);
			if (m == cp)
				sb_catn(&b, (const char *)p + i, (size_t)l);
			else
				jn_utf8_enc(&b, m);
		}
		i += (size_t)l;
	}
	return jn_sb_value(cx, &b);
}

jn_value jn_fn_lowercase(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0);
	return jn_is_undef(s) ? s : map_case(c->cx, s, 0);
}

jn_value jn_fn_uppercase(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0);
	return jn_is_undef(s) ? s : map_case(c->cx, s, 1);
}

jn_value jn_fn_length(jn_call *c, jn_value *args, int nargs)
{
	(void)c;
	jn_value s = JN_ARG(0);
	return jn_is_undef(s) ? s : jn_number(jn_str_cps(jn_strp(s)));
}

jn_value jn_fn_trim(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0);
	if (jn_is_undef(s))
		return s;
	sb b = SB_INIT;
	const char *p = jn_str(s);
	size_t n = jn_str_len(s);
	for (size_t i = 0; i < n;) {
		char ch = p[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
				i++;
			sb_catc(&b, ' ');
		} else {
			sb_catc(&b, ch);
			i++;
		}
	}
	const char *r = b.buf ? b.buf : "";
	size_t rl = b.len;
	if (rl && r[0] == ' ') {
		r++;
		rl--;
	}
	if (rl && r[rl - 1] == ' ')
		rl--;
	jn_value v = jn_string_n(c->cx->a, r, rl);
	sb_free(&b);
	return v;
}

jn_value jn_fn_pad(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0), w = JN_ARG(1), ch = JN_ARG(2);
	if (jn_is_undef(s))
		return s;
	const char *pc = " ";
	size_t pl = 1;
	if (jn_is_str(ch) && jn_str_len(ch) > 0) {
		pc = jn_str(ch);
		pl = jn_str_len(ch);
	}
	double width = trunc(jn_numv(w));
	double padlen = fabs(width) - jn_str_cps(jn_strp(s));
	if (!(padlen > 0))
		return s;
	if (padlen > JN_MAX_PAD) /* the reference's array of that length fails too */
		return jn_fn_error_msg(c, JN_E_D3204, "The width given to $pad is too large");
	/* padLength copies of the pad string (doubling), cut to padLength code points */
	uint32_t want = (uint32_t)padlen, pcps = 0;
	for (size_t i = 0; i < pl; i++)
		if (((unsigned char)pc[i] & 0xC0) != 0x80)
			pcps++;
	sb pad = SB_INIT;
	sb_catn(&pad, pc, pl);
	uint32_t have = pcps;
	while (have < want) {
		/* grow first: the source is the buffer itself */
		sb_grow(&pad, pad.len);
		memcpy(pad.buf + pad.len, pad.buf, pad.len);
		pad.len *= 2;
		have *= 2;
	}
	size_t cut = 0;
	for (uint32_t k = 0; k < want; k++) {
		cut++;
		while (cut < pad.len && ((unsigned char)pad.buf[cut] & 0xC0) == 0x80)
			cut++;
	}
	pad.len = cut;
	sb b = SB_INIT;
	if (width > 0) {
		sb_catn(&b, jn_str(s), jn_str_len(s));
		sb_catn(&b, pad.buf, pad.len);
	} else {
		sb_catn(&b, pad.buf, pad.len);
		sb_catn(&b, jn_str(s), jn_str_len(s));
	}
	sb_free(&pad);
	return jn_sb_value(c->cx, &b);
}

/* ====================================================================== */
/* matchers: regex literals and functions returning {match,start,end,groups,next} */
/* ====================================================================== */

static jn_value eval_matcher(jn_call *c, jn_value matcher, jn_value *args, int nargs)
{
	jn_value *a = arena_alloc(c->cx->a, sizeof(jn_value) * (size_t)(nargs ? nargs : 1));
	for (int i = 0; i < nargs; i++)
		a[i] = args[i];
	jn_value r = jn_call_fn(c, matcher, a, nargs);
	JN_TRY(r);
	int truthy = !(jn_is_undef(r) || jn_kind_of(r) == JN_NULL || (r.kind == JN_BOOL && !jn_truth(r)) ||
	               (jn_is_num(r) && (jn_num(r) == 0 || isnan(jn_num(r)))) || (jn_is_str(r) && jn_str_len(r) == 0));
	if (truthy) {
		int ok = 0;
		if (jn_is_obj(r)) {
			ok = jn_is_num(jn_obj_get(r, "start", 5)) || jn_is_arr(jn_obj_get(r, "groups", 6)) ||
			     jn_is_fn(jn_obj_get(r, "next", 4));
		}
		if (!ok)
			return jn_error(c->cx, JN_E_T1010);
	}
	return r;
}

static jn_value matcher_next(jn_call *c, jn_value match)
{
	jn_value next = jn_is_obj(match) ? jn_obj_get(match, "next", 4) : jn_undefined();
	if (!jn_is_fn(next))
		return jn_error(c->cx, JN_E_T1006);
	return eval_matcher(c, next, NULL, 0);
}

static jn_value m_field(jn_value m, const char *k) { return jn_is_obj(m) ? jn_obj_get(m, k, strlen(k)) : jn_undefined(); }

jn_value jn_fn_match(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0), re = JN_ARG(1), lim = JN_ARG(2);
	if (jn_is_undef(s))
		return s;
	if (jn_is_num(lim) && jn_num(lim) < 0) {
		jn_value e = jn_error_v(c->cx, JN_E_D3040, lim);
		jn_errp(e)->index = 3;
		return e;
	}
	jn_value result = jn_seq(c->cx->a);
	if (!jn_is_undef(lim) && !(jn_num(lim) > 0))
		return result;
	jn_value m = eval_matcher(c, re, &s, 1);
	JN_TRY(m);
	double count = 0;
	while (!jn_is_undef(m) && (jn_is_undef(lim) || count < jn_num(lim))) {
		jn_value o = jn_object(c->cx->a, 3);
		jn_obj_set_c(c->cx->a, o, "match", m_field(m, "match"));
		jn_obj_set_c(c->cx->a, o, "index", m_field(m, "start"));
		jn_obj_set_c(c->cx->a, o, "groups", m_field(m, "groups"));
		jn_arr_push(c->cx->a, result, o);
		m = matcher_next(c, m);
		JN_TRY(m);
		count++;
	}
	return result;
}

jn_value jn_fn_contains(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0), tok = JN_ARG(1);
	if (jn_is_undef(s) || jn_is_undef(tok))
		return jn_undefined();
	if (jn_is_str(tok))
		return jn_bool(find_bytes(jn_str(s), jn_str_len(s), jn_str(tok), jn_str_len(tok)) != NULL);
	jn_value m = eval_matcher(c, tok, &s, 1);
	JN_TRY(m);
	return jn_bool(!jn_is_undef(m));
}

/* JavaScript's parseInt(text, 10) on n bytes: NaN is -1 */
static long js_parse_int(const char *p, size_t n, size_t *used)
{
	size_t i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	int neg = 0;
	if (i < n && (p[i] == '+' || p[i] == '-')) {
		neg = p[i] == '-';
		i++;
	}
	if (i >= n || !(p[i] >= '0' && p[i] <= '9'))
		return -1;
	long v = 0;
	while (i < n && p[i] >= '0' && p[i] <= '9' && v < 100000000)
		v = v * 10 + (p[i++] - '0');
	*used = i;
	return neg ? -v : v;
}

/* expand $0, $1..$n and $$ in a replacement string for one match */
static void substitute(sb *out, jn_value repl, jn_value m)
{
	const char *r = jn_str(repl);
	size_t rl = jn_str_len(repl);
	jn_value groups = m_field(m, "groups");
	uint32_t ng = jn_is_arr(groups) ? jn_arr_len(groups) : 0;
	size_t pos = 0;
	const char *d = memchr(r, '$', rl);
	while (d && pos < rl) {
		size_t idx = (size_t)(d - r);
		sb_catn(out, r + pos, idx - pos);
		pos = idx + 1;
		char dv = pos < rl ? r[pos] : '\0';
		if (dv == '$') {
			sb_catc(out, '$');
			pos++;
		} else if (dv == '0') {
			jn_value mm = m_field(m, "match");
			if (jn_is_str(mm))
				sb_catn(out, jn_str(mm), jn_str_len(mm));
			pos++;
		} else {
			int maxd = ng == 0 ? 1 : (int)floor(log10((double)ng)) + 1;
			size_t take = pos + (size_t)maxd <= rl ? (size_t)maxd : rl - pos;
			size_t used = 0;
			long gi = js_parse_int(r + pos, take, &used);
			if (maxd > 1 && gi > (long)ng) {
				size_t t2 = pos + (size_t)maxd - 1 <= rl ? (size_t)maxd - 1 : rl - pos;
				gi = js_parse_int(r + pos, t2, &used);
			}
			if (gi >= 0 || (gi < -1)) {
				if (ng > 0 && gi >= 1 && (uint32_t)gi <= ng) {
					jn_value sm = jn_arr_get(groups, (uint32_t)(gi - 1));
					if (jn_is_str(sm))
						sb_catn(out, jn_str(sm), jn_str_len(sm));
				}
				char nb[32];
				pos += (size_t)snprintf(nb, sizeof nb, "%ld", gi);
			} else {
				sb_catc(out, '$');
			}
		}
		d = pos < rl ? memchr(r + pos, '$', rl - pos) : NULL;
	}
	if (pos < rl)
		sb_catn(out, r + pos, rl - pos);
}

jn_value jn_fn_replace(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0), pat = JN_ARG(1), repl = JN_ARG(2), lim = JN_ARG(3);
	if (jn_is_undef(s))
		return s;
	if (jn_is_str(pat) && jn_str_len(pat) == 0) {
		jn_value e = jn_error_v(c->cx, JN_E_D3010, pat);
		jn_errp(e)->index = 2;
		return e;
	}
	if (jn_is_num(lim) && jn_num(lim) < 0) {
		jn_value e = jn_error_v(c->cx, JN_E_D3011, lim);
		jn_errp(e)->index = 4;
		return e;
	}
	if (!jn_is_undef(lim) && !(jn_num(lim) > 0))
		return s;
	const char *str = jn_str(s);
	size_t sl = jn_str_len(s);
	sb out = SB_INIT;
	double count = 0;
	if (jn_is_str(pat)) {
		size_t pos = 0;
		const char *hit;
		while ((jn_is_undef(lim) || count < jn_num(lim)) &&
		       (hit = find_bytes(str + pos, sl - pos, jn_str(pat), jn_str_len(pat))) != NULL) {
			size_t idx = (size_t)(hit - str);
			sb_catn(&out, str + pos, idx - pos);
			/* a function replacement with a string pattern: the reference
			 * appends the function's JavaScript source; nothing is closer */
			if (jn_is_str(repl))
				sb_catn(&out, jn_str(repl), jn_str_len(repl));
			pos = idx + jn_str_len(pat);
			count++;
		}
		sb_catn(&out, str + pos, sl - pos);
		return jn_sb_value(c->cx, &out);
	}
	jn_value m = eval_matcher(c, pat, &s, 1);
	if (jn_is_err(m)) {
		sb_free(&out);
		return m;
	}
	if (jn_is_undef(m)) {
		sb_free(&out);
		return s;
	}
	size_t pos = 0;
	while (!jn_is_undef(m) && (jn_is_undef(lim) || count < jn_num(lim))) {
		jn_value st = m_field(m, "start"), mt = m_field(m, "match");
		size_t start = jn_is_num(st) ? jn_utf16_to_byte(str, sl, jn_num(st)) : 0;
		if (start > pos)
			sb_catn(&out, str + pos, start - pos);
		if (jn_is_str(repl)) {
			substitute(&out, repl, m);
		} else {
			jn_value *a = arena_alloc(c->cx->a, sizeof(jn_value));
			a[0] = m;
			jn_value w = jn_call_fn(c, repl, a, 1);
			if (jn_is_err(w)) {
				sb_free(&out);
				return w;
			}
			if (!jn_is_str(w)) {
				sb_free(&out);
				return jn_error_v(c->cx, JN_E_D3012, w);
			}
			sb_catn(&out, jn_str(w), jn_str_len(w));
		}
		size_t mlen = jn_is_str(mt) ? jn_str_len(mt) : 0;
		pos = start + mlen > pos ? start + mlen : pos;
		count++;
		m = matcher_next(c, m);
		if (jn_is_err(m)) {
			sb_free(&out);
			return m;
		}
	}
	if (pos < sl)
		sb_catn(&out, str + pos, sl - pos);
	return jn_sb_value(c->cx, &out);
}

jn_value jn_fn_split(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0), sep = JN_ARG(1), lim = JN_ARG(2);
	if (jn_is_undef(s))
		return s;
	if (jn_is_num(lim) && jn_num(lim) < 0) {
		jn_value e = jn_error_v(c->cx, JN_E_D3020, lim);
		jn_errp(e)->index = 3;
		return e;
	}
	jn_value result = jn_array(c->cx->a, 0, 0);
	if (!jn_is_undef(lim) && !(jn_num(lim) > 0))
		return result;
	double limit = jn_is_undef(lim) ? INFINITY : trunc(jn_num(lim));
	const char *str = jn_str(s);
	size_t sl = jn_str_len(s);
	if (jn_is_str(sep)) {
		size_t pl = jn_str_len(sep);
		if (pl == 0) {
			/* JavaScript splits into UTF-16 code units: an astral character
			 * becomes its two (lone) surrogates */
			for (size_t i = 0; i < sl && (double)jn_arr_len(result) < limit;) {
				uint32_t cp;
				int l = jn_utf8_dec((const unsigned char *)str + i, sl - i, &cp);
				if (cp >= 0x10000 && l == 4) {
					sb hi = SB_INIT, lo = SB_INIT;
					jn_utf8_enc(&hi, 0xD800 + ((cp - 0x10000) >> 10));
					jn_utf8_enc(&lo, 0xDC00 + ((cp - 0x10000) & 0x3FF));
					jn_arr_push(c->cx->a, result, jn_sb_value(c->cx, &hi));
					if ((double)jn_arr_len(result) < limit)
						jn_arr_push(c->cx->a, result, jn_sb_value(c->cx, &lo));
					else
						sb_free(&lo);
				} else {
					jn_arr_push(c->cx->a, result, jn_string_n(c->cx->a, str + i, (size_t)l));
				}
				i += (size_t)l;
			}
			return result;
		}
		size_t pos = 0;
		for (;;) {
			if ((double)jn_arr_len(result) >= limit)
				break;
			const char *hit = find_bytes(str + pos, sl - pos, jn_str(sep), pl);
			if (!hit) {
				jn_arr_push(c->cx->a, result, jn_string_n(c->cx->a, str + pos, sl - pos));
				break;
			}
			jn_arr_push(c->cx->a, result, jn_string_n(c->cx->a, str + pos, (size_t)(hit - (str + pos))));
			pos = (size_t)(hit - str) + pl;
		}
		return result;
	}
	jn_value m = eval_matcher(c, sep, &s, 1);
	JN_TRY(m);
	if (jn_is_undef(m)) {
		jn_arr_push(c->cx->a, result, s);
		return result;
	}
	double count = 0;
	size_t start = 0;
	while (!jn_is_undef(m) && count < limit) {
		jn_value ms = m_field(m, "start"), me = m_field(m, "end");
		size_t b = jn_is_num(ms) ? jn_utf16_to_byte(str, sl, jn_num(ms)) : 0;
		jn_arr_push(c->cx->a, result, jn_string_n(c->cx->a, str + start, b > start ? b - start : 0));
		start = jn_is_num(me) ? jn_utf16_to_byte(str, sl, jn_num(me)) : b;
		m = matcher_next(c, m);
		JN_TRY(m);
		count++;
	}
	if (count < limit)
		jn_arr_push(c->cx->a, result, jn_string_n(c->cx->a, str + start, sl > start ? sl - start : 0));
	return result;
}

jn_value jn_fn_join(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0), sep = JN_ARG(1);
	if (jn_is_undef(a))
		return a;
	sb b = SB_INIT;
	for (uint32_t i = 0; i < jn_arr_len(a); i++) {
		if (i && jn_is_str(sep))
			sb_catn(&b, jn_str(sep), jn_str_len(sep));
		jn_value it = jn_arr_get(a, i);
		if (jn_is_str(it))
			sb_catn(&b, jn_str(it), jn_str_len(it));
	}
	return jn_sb_value(c->cx, &b);
}

/* ====================================================================== */
/* base64 (the reference goes through Node's 'binary' encoding)           */
/* ====================================================================== */

jn_value jn_fn_base64encode(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0);
	if (jn_is_undef(s))
		return s;
	/* each UTF-16 code unit keeps its low byte */
	sb bytes = SB_INIT;
	const unsigned char *p = (const unsigned char *)jn_str(s);
	size_t n = jn_str_len(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int l = jn_utf8_dec(p + i, n - i, &cp);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			sb_catc(&bytes, (char)((0xD800 + (cp >> 10)) & 0xFF));
			sb_catc(&bytes, (char)((0xDC00 + (cp & 0x3FF)) & 0xFF));
		} else {
			sb_catc(&bytes, (char)(cp & 0xFF));
		}
		i += (size_t)l;
	}
	sb out = SB_INIT;
	b64_encode(bytes.buf ? bytes.buf : "", bytes.len, &out);
	sb_free(&bytes);
	return jn_sb_value(c->cx, &out);
}

static int b64_val(char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+' || ch == '-')
		return 62;
	if (ch == '/' || ch == '_')
		return 63;
	return -1;
}

jn_value jn_fn_base64decode(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0);
	if (jn_is_undef(s))
		return s;
	/* Node's lenient decoder: skip what is not base64, stop at '=' */
	const char *p = jn_str(s);
	size_t n = jn_str_len(s);
	sb out = SB_INIT;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '=')
			break;
		int v = b64_val(p[i]);
		if (v < 0)
			continue;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			/* each byte becomes the code point U+00XX */
			jn_utf8_enc(&out, (acc >> bits) & 0xFF);
		}
	}
	return jn_sb_value(c->cx, &out);
}

/* ====================================================================== */
/* URL encoding (JavaScript's encodeURI / decodeURI families)             */
/* ====================================================================== */

static jn_value url_error(jn_call *c, jn_value s, const char *fn)
{
	jn_value e = jn_error_v(c->cx, JN_E_D3140, s);
	jn_errp(e)->fn_name = fn;
	return e;
}

static jn_value encode_url(jn_call *c, jn_value s, const char *keep, const char *fn)
{
	if (jn_is_undef(s))
		return s;
	static const char hex[] = "0123456789ABCDEF";
	sb b = SB_INIT;
	const unsigned char *p = (const unsigned char *)jn_str(s);
	size_t n = jn_str_len(s);
	for (size_t i = 0; i < n;) {
		unsigned char ch = p[i];
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    (ch && strchr("-_.!~*'()", ch)) || (ch && strchr(keep, ch))) {
			sb_catc(&b, (char)ch);
			i++;
			continue;
		}
		uint32_t cp;
		int l = jn_utf8_dec(p + i, n - i, &cp);
		if ((cp >= 0xD800 && cp <= 0xDFFF) || (l == 1 && ch >= 0x80)) {
			sb_free(&b);
			return url_error(c, s, fn);
		}
		for (int k = 0; k < l; k++) {
			sb_catc(&b, '%');
			sb_catc(&b, hex[p[i + (size_t)k] >> 4]);
			sb_catc(&b, hex[p[i + (size_t)k] & 15]);
		}
		i += (size_t)l;
	}
	return jn_sb_value(c->cx, &b);
}

jn_value jn_fn_encodeUrlComponent(jn_call *c, jn_value *args, int nargs)
{
	return encode_url(c, JN_ARG(0), "", "encodeUrlComponent");
}

jn_value jn_fn_encodeUrl(jn_call *c, jn_value *args, int nargs)
{
	return encode_url(c, JN_ARG(0), ";,/?:@&=+$#", "encodeUrl");
}

static int hexv(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static jn_value decode_url(jn_call *c, jn_value s, const char *reserved, const char *fn)
{
	if (jn_is_undef(s))
		return s;
	const char *p = jn_str(s);
	size_t n = jn_str_len(s);
	sb b = SB_INIT;
	for (size_t i = 0; i < n;) {
		if (p[i] != '%') {
			sb_catc(&b, p[i++]);
			continue;
		}
		size_t start = i;
		if (i + 2 >= n) {
			sb_free(&b);
			return url_error(c, s, fn);
		}
		int h1 = hexv(p[i + 1]), h2 = hexv(p[i + 2]);
		if (h1 < 0 || h2 < 0) {
			sb_free(&b);
			return url_error(c, s, fn);
		}
		unsigned char b0 = (unsigned char)(h1 * 16 + h2);
		i += 3;
		if (b0 < 0x80) {
			if (b0 && strchr(reserved, b0))
				sb_catn(&b, p + start, 3);
			else
				sb_catc(&b, (char)b0);
			continue;
		}
		int need = (b0 & 0xE0) == 0xC0 ? 1 : (b0 & 0xF0) == 0xE0 ? 2 : (b0 & 0xF8) == 0xF0 ? 3 : -1;
		if (need < 0) {
			sb_free(&b);
			return url_error(c, s, fn);
		}
		unsigned char seq[4] = {b0, 0, 0, 0};
		for (int k = 1; k <= need; k++) {
			if (i + 2 >= n || p[i] != '%' || hexv(p[i + 1]) < 0 || hexv(p[i + 2]) < 0) {
				sb_free(&b);
				return url_error(c, s, fn);
			}
			seq[k] = (unsigned char)(hexv(p[i + 1]) * 16 + hexv(p[i + 2]));
			if ((seq[k] & 0xC0) != 0x80) {
				sb_free(&b);
				return url_error(c, s, fn);
			}
			i += 3;
		}
		uint32_t cp;
		int l = jn_utf8_dec(seq, (size_t)need + 1, &cp);
		if (l != need + 1 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF ||
		    (need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000)) {
			sb_free(&b);
			return url_error(c, s, fn);
		}
		sb_catn(&b, (const char *)seq, (size_t)need + 1);
	}
	return jn_sb_value(c->cx, &b);
}

jn_value jn_fn_decodeUrlComponent(jn_call *c, jn_value *args, int nargs)
{
	return decode_url(c, JN_ARG(0), "", "decodeUrlComponent");
}

jn_value jn_fn_decodeUrl(jn_call *c, jn_value *args, int nargs)
{
	return decode_url(c, JN_ARG(0), ";/?:@&=+$,#", "decodeUrl");
}

/* ====================================================================== */
/* $eval, and the Step Functions additions $hash, $uuid, $parse            */
/* ====================================================================== */

jn_value jn_fn_eval(jn_call *c, jn_value *args, int nargs)
{
	jn_value expr = JN_ARG(0), focus = JN_ARG(1);
	if (jn_is_undef(expr))
		return expr;
	jn_value input = c->input;
	if (nargs > 1 && !jn_is_undef(focus)) {
		input = focus;
		if (jn_is_arr(input) && !jn_is_seq(input)) {
			input = jn_seq1(c->cx->a, input);
			jn_arr_set_flags(input, JN_OUTER);
		}
	}
	return jn_eval_text(c, jn_str(expr), jn_str_len(expr), input);
}

jn_value jn_fn_hash(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0), alg = JN_ARG(1);
	if (jn_is_undef(s))
		return s;
	const char *name = jn_is_str(alg) ? jn_str(alg) : "SHA-256";
	sb out = SB_INIT;
	if (hash_named(name, jn_str(s), jn_str_len(s), &out) < 0) {
		sb_free(&out);
		char msg[200];
		snprintf(msg, sizeof msg,
		         "The hashing algorithm %.80s is not supported. Use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512",
		         name);
		return jn_fn_error_msg(c, JN_E_D3200, msg);
	}
	return jn_sb_value(c->cx, &out);
}

jn_value jn_fn_uuid(jn_call *c, jn_value *args, int nargs)
{
	(void)args;
	(void)nargs;
	char u[UUID_LEN];
	if (c->cx->opts && c->cx->opts->seed) {
		jn_random(c->cx); /* make sure the evaluation's generator is seeded */
		uuid_v4(&c->cx->rng, u);
	} else {
		uuid_v4_global(u);
	}
	return jn_string(c->cx->a, u);
}

jn_value jn_fn_parse(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0);
	if (jn_is_undef(s))
		return s;
	int ok;
	jn_value v = jn_parse_json(c->cx, jn_str(s), jn_str_len(s), &ok);
	if (!ok) {
		char msg[200];
		snprintf(msg, sizeof msg, "The string passed to $parse is not valid JSON");
		return jn_fn_error_msg(c, JN_E_D3201, msg);
	}
	return v;
}
