/* jn_fn_numeric.c - aggregation and numeric built-ins, number pictures, $random. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/jsonata/jn_fn.h"
#include "engine/jsonata/jn_picture.h"

/* ---- aggregation ------------------------------------------------------- */

jn_value jn_fn_sum(jn_call *c, jn_value *args, int nargs)
{
	(void)c;
	jn_value a = JN_ARG(0);
	if (jn_is_undef(a))
		return a;
	double t = 0;
	for (uint32_t i = 0; i < jn_arr_len(a); i++)
		t += jn_num(jn_arr_get(a, i));
	return jn_number(t);
}

jn_value jn_fn_count(jn_call *c, jn_value *args, int nargs)
{
	(void)c;
	jn_value a = JN_ARG(0);
	return jn_number(jn_is_undef(a) ? 0 : (double)jn_arr_len(a));
}

static jn_value extreme(jn_value a, int want_max)
{
	if (jn_is_undef(a) || jn_arr_len(a) == 0)
		return jn_undefined();
	double m = want_max ? -INFINITY : INFINITY;
	for (uint32_t i = 0; i < jn_arr_len(a); i++) {
		double v = jn_num(jn_arr_get(a, i));
		if (isnan(v))
			return jn_number(NAN);
		if (want_max ? (v > m || (v == 0 && m == 0 && !signbit(v))) : (v < m || (v == 0 && m == 0 && signbit(v))))
			m = v;
	}
	return jn_number(m);
}

jn_value jn_fn_max(jn_call *c, jn_value *args, int nargs)
{
	(void)c;
	return extreme(JN_ARG(0), 1);
}

jn_value jn_fn_min(jn_call *c, jn_value *args, int nargs)
{
	(void)c;
	return extreme(JN_ARG(0), 0);
}

jn_value jn_fn_average(jn_call *c, jn_value *args, int nargs)
{
	(void)c;
	jn_value a = JN_ARG(0);
	if (jn_is_undef(a) || jn_arr_len(a) == 0)
		return jn_undefined();
	double t = 0;
	for (uint32_t i = 0; i < jn_arr_len(a); i++)
		t += jn_num(jn_arr_get(a, i));
	return jn_number(t / jn_arr_len(a));
}

/* ---- $number ------------------------------------------------------------ */

static int is_decimal_literal(const char *s)
{
	/* /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/ */
	const char *p = s;
	if (*p == '-')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

static int digit_in(char ch, int base)
{
	int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'z' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'Z' ? ch - 'A' + 10 : 99;
	return d < base ? d : -1;
}

/* the reference's /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/ (note
 * its precedence: the first branch is anchored at the start only, the last
 * at the end only, the middle nowhere) */
static int prefixed_test(const char *s)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_in(s[2], 16) >= 0)
		return 1;
	for (const char *p = s; *p; p++)
		if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O') && digit_in(p[2], 8) >= 0)
			return 1;
	size_t n = strlen(s);
	for (size_t i = 0; i + 3 <= n; i++) {
		if (s[i] == '0' && (s[i + 1] == 'b' || s[i + 1] == 'B')) {
			size_t j = i + 2;
			while (j < n && (s[j] == '0' || s[j] == '1'))
				j++;
			if (j == n && j > i + 2)
				return 1;
		}
	}
	return 0;
}

/* JavaScript's Number(string) for 0x/0o/0b literals (NaN otherwise) */
static double js_number_prefixed(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (n < 3 || s[0] != '0')
		return NAN;
	int base = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : (s[1] == 'b' || s[1] == 'B') ? 2 : 0;
	if (!base)
		return NAN;
	double v = 0;
	for (size_t i = 2; i < n; i++) {
		int d = digit_in(s[i], base);
		if (d < 0)
			return NAN;
		v = v * base + d;
	}
	return v;
}

jn_value jn_fn_number(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0);
	switch (jn_kind_of(a)) {
	case JN_UNDEFINED:
		return a;
	case JN_NUMBER:
		return a;
	case JN_BOOL:
		return jn_number(jn_truth(a) ? 1 : 0);
	case JN_STRING: {
		const char *s = jn_str(a);
		if (is_decimal_literal(s)) {
			double d = strtod(s, NULL);
			if (isfinite(d))
				return jn_number(d);
		}
		if (prefixed_test(s))
			return jn_number(js_number_prefixed(s));
		break;
	}
	default:
		break;
	}
	jn_value e = jn_error_v(c->cx, JN_E_D3030, a);
	jn_errp(e)->index = 1;
	return e;
}

/* ---- rounding and arithmetic ---------------------------------------------- */

jn_value jn_fn_floor(jn_call *c, jn_value *args, int nargs)
{
	(void)c;
	jn_value a = JN_ARG(0);
	return jn_is_undef(a) ? a : jn_number(floor(jn_num(a)));
}

jn_value jn_fn_ceil(jn_call *c, jn_value *args, int nargs)
{
	(void)c;
	jn_value a = JN_ARG(0);
	return jn_is_undef(a) ? a : jn_number(ceil(jn_num(a)));
}

jn_value jn_fn_abs(jn_call *c, jn_value *args, int nargs)
{
	(void)c;
	jn_value a = JN_ARG(0);
	return jn_is_undef(a) ? a : jn_number(fabs(jn_num(a)));
}

jn_value jn_fn_sqrt(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0);
	if (jn_is_undef(a))
		return a;
	if (jn_num(a) < 0) {
		jn_value e = jn_error_v(c->cx, JN_E_D3060, a);
		jn_errp(e)->index = 1;
		return e;
	}
	return jn_number(sqrt(jn_num(a)));
}

jn_value jn_fn_power(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0), x = JN_ARG(1);
	if (jn_is_undef(a))
		return a;
	double r = pow(jn_num(a), jn_numv(x));
	/* JavaScript: 1 ** NaN and (-1) ** ±Infinity are NaN, where C says 1 */
	if (isnan(jn_numv(x)) || (fabs(jn_num(a)) == 1 && isinf(jn_numv(x))))
		r = NAN;
	if (!isfinite(r)) {
		jn_value e = jn_error_v(c->cx, JN_E_D3061, a);
		jn_errp(e)->index = 1;
		jn_errp(e)->exp = x;
		jn_errp(e)->has_exp = 1;
		return e;
	}
	return jn_number(r);
}

/* JavaScript's Math.round: half-way values go towards +Infinity */
static double js_round(double x)
{
	if (!isfinite(x) || x == 0)
		return x;
	double r = floor(x);
	if (x - r >= 0.5)
		r += 1;
	if (r == 0 && x < 0)
		r = -0.0;
	return r;
}

/* +(mantissa + 'e' + (exp + shift)) on the JavaScript text of d */
static double shift_decimal(double d, double shift)
{
	char buf[64], out[96];
	jn_num_js(d, buf);
	char *e = strchr(buf, 'e');
	double ex = shift;
	if (e) {
		*e = '\0';
		ex += strtod(e + 1, NULL);
	}
	snprintf(out, sizeof out, "%se%.17g", buf, ex);
	return strtod(out, NULL);
}

double jn_round_half_even(double arg, double precision)
{
	int shifted = precision != 0 && !isnan(precision);
	if (shifted)
		arg = shift_decimal(arg, precision);
	double result = js_round(arg);
	double diff = result - arg;
	if (fabs(diff) == 0.5 && fabs(fmod(result, 2)) == 1)
		result = result - 1;
	if (shifted)
		result = shift_decimal(result, -precision);
	if (result == 0)
		result = 0; /* JSON has no -0 */
	return result;
}

jn_value jn_fn_round(jn_call *c, jn_value *args, int nargs)
{
	(void)c;
	jn_value a = JN_ARG(0), p = JN_ARG(1);
	if (jn_is_undef(a))
		return a;
	return jn_number(jn_round_half_even(jn_num(a), jn_is_undef(p) ? 0 : jn_num(p)));
}

jn_value jn_fn_random(jn_call *c, jn_value *args, int nargs)
{
	(void)args;
	(void)nargs;
	return jn_number(jn_random(c->cx));
}

jn_value jn_fn_random_sfn(jn_call *c, jn_value *args, int nargs)
{
	jn_value seed = JN_ARG(0);
	if (jn_is_undef(seed))
		return jn_number(jn_random(c->cx));
	/* the same seed always gives the same number */
	double s = jn_num(seed);
	uint64_t bits;
	memcpy(&bits, &s, sizeof bits);
	rng r;
	rng_seed(&r, bits ^ 0x5DEECE66DULL);
	return jn_number(rng_double(&r));
}

/* ---- $formatBase ------------------------------------------------------------ */

jn_value jn_fn_formatBase(jn_call *c, jn_value *args, int nargs)
{
	jn_value a = JN_ARG(0), r = JN_ARG(1);
	if (jn_is_undef(a))
		return a;
	double v = jn_round_half_even(jn_num(a), 0);
	double radix = jn_is_undef(r) ? 10 : jn_round_half_even(jn_num(r), 0);
	if (!(radix >= 2 && radix <= 36)) {
		return jn_error_v(c->cx, JN_E_D3100, jn_number(radix));
	}
	if (!isfinite(v)) {
		char nb[32];
		jn_num_js(v, nb);
		return jn_string(c->cx->a, nb);
	}
	char buf[1100];
	int i = (int)sizeof buf - 1;
	buf[i] = '\0';
	int neg = v < 0;
	double x = fabs(v);
	int base = (int)radix;
	if (x == 0)
		buf[--i] = '0';
	while (x >= 1 && i > 1) {
		double q = floor(x / base);
		int d = (int)(x - q * base);
		if (d < 0 || d >= base) /* guard against rounding at huge magnitudes */
			d = (int)fmod(x, base);
		buf[--i] = "0123456789abcdefghijklmnopqrstuvwxyz"[d];
		x = q;
	}
	if (neg)
		buf[--i] = '-';
	return jn_string(c->cx->a, buf + i);
}

/* ---- pictures (jn_picture.h does the work) ------------------------------------- */

static jn_value pic_error(jn_call *c, const jn_pic_err *pe)
{
	jn_code code = JN_E_D3137;
	for (int i = 0; i < JN_E__COUNT; i++)
		if (!strcmp(jn_code_name((jn_code)i), pe->code)) {
			code = (jn_code)i;
			break;
		}
	return jn_fn_error_msg(c, code, pe->message);
}

static const char *opt_str(jn_call *c, jn_value opts, const char *key)
{
	if (!jn_is_obj(opts))
		return NULL;
	jn_value v = jn_obj_get(opts, key, strlen(key));
	if (jn_is_undef(v))
		return NULL;
	if (jn_is_str(v))
		return jn_str(v);
	jn_value s = jn_stringify(c->cx, v, 0);
	return jn_is_str(s) ? jn_str(s) : NULL;
}

jn_value jn_fn_formatNumber(jn_call *c, jn_value *args, int nargs)
{
	jn_value v = JN_ARG(0), pic = JN_ARG(1), opts = JN_ARG(2);
	if (jn_is_undef(v))
		return v;
	jn_numfmt_opts o = {
		opt_str(c, opts, "decimal-separator"), opt_str(c, opts, "grouping-separator"),
		opt_str(c, opts, "exponent-separator"), opt_str(c, opts, "infinity"),
		opt_str(c, opts, "minus-sign"), opt_str(c, opts, "NaN"),
		opt_str(c, opts, "percent"), opt_str(c, opts, "per-mille"),
		opt_str(c, opts, "zero-digit"), opt_str(c, opts, "digit"),
		opt_str(c, opts, "pattern-separator"),
	};
	sb out = SB_INIT;
	jn_pic_err pe;
	memset(&pe, 0, sizeof pe);
	if (jn_pic_format_number(jn_num(v), jn_is_str(pic) ? jn_str(pic) : "", jn_is_obj(opts) ? &o : NULL, &out, &pe) < 0) {
		sb_free(&out);
		return pic_error(c, &pe);
	}
	return jn_sb_value(c->cx, &out);
}

jn_value jn_fn_formatInteger(jn_call *c, jn_value *args, int nargs)
{
	jn_value v = JN_ARG(0), pic = JN_ARG(1);
	if (jn_is_undef(v))
		return v;
	sb out = SB_INIT;
	jn_pic_err pe;
	memset(&pe, 0, sizeof pe);
	if (jn_pic_format_integer(floor(jn_num(v)), jn_is_str(pic) ? jn_str(pic) : "", &out, &pe) < 0) {
		sb_free(&out);
		return pic_error(c, &pe);
	}
	return jn_sb_value(c->cx, &out);
}

jn_value jn_fn_parseInteger(jn_call *c, jn_value *args, int nargs)
{
	jn_value s = JN_ARG(0), pic = JN_ARG(1);
	if (jn_is_undef(s))
		return s;
	double v = 0;
	jn_pic_err pe;
	memset(&pe, 0, sizeof pe);
	int rc = jn_pic_parse_integer(jn_str(s), jn_is_str(pic) ? jn_str(pic) : "", &v, &pe);
	if (rc < 0)
		return pic_error(c, &pe);
	if (rc > 0)
		return jn_undefined();
	return jn_number(v);
}
