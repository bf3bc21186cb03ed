/* jn_picture_number.c - $formatNumber: fn:format-number pictures as the reference implements them. */
#include "engine/jsonata/jn_picture_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The decimal-format properties, as UTF-16 strings. */
typedef struct numfmt {
	jn_u16 decimal, grouping, exponent, infinity, minus, nan, percent, per_mille, zero, digit, pattern;
	int has_family;
	uint16_t zero_unit;
} numfmt;

/* One sub-picture, split and analysed (F&O 4.7.3 and 4.7.4). */
typedef struct subpic {
	jn_u16 picture, prefix, suffix, active, mantissa, integer, fraction, exponent;
	int has_exponent;
	double *int_groups, *frac_groups;
	size_t n_int_groups, n_frac_groups;
	double regular, min_int, scaling, min_frac, max_frac, min_exp;
} subpic;

static int in_family(const numfmt *p, uint16_t u)
{
	return p->has_family && (uint16_t)(u - p->zero_unit) < 10;
}

/* "c is that property": JavaScript compares a one-unit string with the
 * property string, so a longer or empty property never matches. */
static int is_prop(jn_u16 prop, uint16_t c) { return prop.n == 1 && prop.p[0] == c; }

static int is_active(const numfmt *p, uint16_t c)
{
	return in_family(p, c) || is_prop(p->decimal, c) || is_prop(p->exponent, c) ||
	       is_prop(p->grouping, c) || is_prop(p->digit, c) || is_prop(p->pattern, c);
}

static size_t count_digits(const numfmt *p, jn_u16 s, int with_optional)
{
	size_t n = 0;
	for (size_t i = 0; i < s.n; i++)
		if (in_family(p, s.p[i]) || (with_optional && is_prop(p->digit, s.p[i])))
			n++;
	return n;
}

static int contains(jn_u16 h, jn_u16 needle) { return jn_pic_u16_index(h, needle, 0) >= 0; }

/* charAt(i) === prop, where an index outside the string gives "". */
static int char_at_is(jn_u16 s, long i, jn_u16 prop)
{
	if (i < 0 || (size_t)i >= s.n)
		return prop.n == 0;
	return is_prop(prop, s.p[i]);
}

static void split_parts(const numfmt *p, jn_u16 sub, subpic *sp)
{
	memset(sp, 0, sizeof *sp);
	sp->picture = sub;
	size_t pre = 0, suf = 0;
	int found = 0;
	for (size_t i = 0; i < sub.n && !found; i++)
		if (is_active(p, sub.p[i]) && !is_prop(p->exponent, sub.p[i])) {
			pre = i;
			found = 1;
		}
	sp->prefix = jn_pic_u16_sub(sub, 0, found ? (double)pre : 0);
	found = 0;
	for (size_t i = sub.n; i-- > 0 && !found;)
		if (is_active(p, sub.p[i]) && !is_prop(p->exponent, sub.p[i])) {
			suf = sub.n - i - 1;
			found = 1;
		}
	sp->suffix = found ? jn_pic_u16_sub(sub, (double)(sub.n - suf), (double)sub.n) : jn_pic_u16_sub(sub, 0, 0);
	sp->active = jn_pic_u16_sub(sub, (double)sp->prefix.n, (double)sub.n - (double)sp->suffix.n);
	/* The exponent position is found in the sub-picture but applied to
	 * the active part, as in the reference. */
	long epos = jn_pic_u16_index(sub, p->exponent, sp->prefix.n);
	if (epos == -1 || (double)epos > (double)sub.n - (double)sp->suffix.n) {
		sp->mantissa = sp->active;
	} else {
		sp->mantissa = jn_pic_u16_sub(sp->active, 0, (double)epos);
		sp->exponent = jn_pic_u16_sub(sp->active, (double)epos + 1, (double)sp->active.n);
		sp->has_exponent = 1;
	}
	long dpos = jn_pic_u16_index(sp->mantissa, p->decimal, 0);
	if (dpos == -1) {
		sp->integer = sp->mantissa;
		sp->fraction = sp->suffix;
	} else {
		sp->integer = jn_pic_u16_sub(sp->mantissa, 0, (double)dpos);
		sp->fraction = jn_pic_u16_sub(sp->mantissa, (double)dpos + 1, (double)sp->mantissa.n);
	}
}

/* The error of a sub-picture: every rule is checked and the last one that
 * fails is reported, as the reference does. */
static const char *validate(arena *a, const numfmt *p, const subpic *sp)
{
	const char *err = NULL;
	jn_u16 s = sp->picture;
	long dpos = jn_pic_u16_index(s, p->decimal, 0);
	if (dpos != jn_pic_u16_last_index(s, p->decimal))
		err = "D3081";
	if (jn_pic_u16_index(s, p->percent, 0) != jn_pic_u16_last_index(s, p->percent))
		err = "D3082";
	if (jn_pic_u16_index(s, p->per_mille, 0) != jn_pic_u16_last_index(s, p->per_mille))
		err = "D3083";
	if (contains(s, p->percent) && contains(s, p->per_mille))
		err = "D3084";
	if (!count_digits(p, sp->mantissa, 1))
		err = "D3085";
	for (size_t i = 0; i < sp->active.n; i++)
		if (!is_active(p, sp->active.p[i]))
			err = "D3086";
	if (dpos != -1) {
		if (char_at_is(s, dpos - 1, p->grouping) || char_at_is(s, dpos + 1, p->grouping))
			err = "D3087";
	} else if (char_at_is(sp->integer, (long)sp->integer.n - 1, p->grouping)) {
		err = "D3088";
	}
	jn_u16b twice;
	jn_pic_u16b_init(&twice, a);
	jn_pic_u16b_cat(&twice, p->grouping);
	jn_pic_u16b_cat(&twice, p->grouping);
	if (contains(s, jn_pic_u16b_get(&twice)))
		err = "D3089";
	long opt = jn_pic_u16_index(sp->integer, p->digit, 0);
	if (opt != -1 && count_digits(p, jn_pic_u16_sub(sp->integer, 0, (double)opt), 0))
		err = "D3090";
	opt = jn_pic_u16_last_index(sp->fraction, p->digit);
	if (opt != -1 && count_digits(p, jn_pic_u16_sub(sp->fraction, (double)opt, (double)sp->fraction.n), 0))
		err = "D3091";
	if (sp->has_exponent && sp->exponent.n > 0 && (contains(s, p->percent) || contains(s, p->per_mille)))
		err = "D3092";
	if (sp->has_exponent &&
	    (sp->exponent.n == 0 || count_digits(p, sp->exponent, 0) != sp->exponent.n))
		err = "D3093";
	return err;
}

/* Grouping positions; like the reference, every search after the first
 * looks in the integer part, whichever part is being measured. */
static size_t grouping_positions(arena *a, const numfmt *p, const subpic *sp, jn_u16 part, int to_left,
                                 double **out)
{
	size_t n = 0, cap = 8;
	double *v = arena_alloc(a, cap * sizeof *v);
	long gp = jn_pic_u16_index(part, p->grouping, 0);
	while (gp != -1) {
		jn_u16 side = to_left ? jn_pic_u16_sub(part, 0, (double)gp)
		                      : jn_pic_u16_sub(part, (double)gp, (double)part.n);
		if (n == cap) {
			v = arena_realloc(a, v, cap * sizeof *v, cap * 2 * sizeof *v);
			cap *= 2;
		}
		v[n++] = (double)count_digits(p, side, 1);
		gp = jn_pic_u16_index(sp->integer, p->grouping, (size_t)gp + 1);
		if (gp != -1 && (size_t)gp >= sp->integer.n && p->grouping.n == 0)
			break; /* unreachable: an empty separator already failed D3089 */
	}
	*out = v;
	return n;
}

static double gcd(double a, double b) { return b == 0 ? a : gcd(b, fmod(a, b)); }

static double regular_grouping(const double *pos, size_t n)
{
	if (!n)
		return 0;
	double factor = pos[0];
	for (size_t i = 1; i < n; i++)
		factor = gcd(factor, pos[i]);
	for (size_t k = 1; k <= n; k++) {
		int found = 0;
		for (size_t i = 0; i < n && !found; i++)
			found = pos[i] == (double)k * factor;
		if (!found)
			return 0;
	}
	return factor;
}

static void analyse(arena *a, const numfmt *p, subpic *sp)
{
	sp->n_int_groups = grouping_positions(a, p, sp, sp->integer, 0, &sp->int_groups);
	sp->regular = regular_grouping(sp->int_groups, sp->n_int_groups);
	sp->n_frac_groups = grouping_positions(a, p, sp, sp->fraction, 1, &sp->frac_groups);
	sp->min_int = (double)count_digits(p, sp->integer, 0);
	sp->scaling = sp->min_int;
	sp->min_frac = (double)count_digits(p, sp->fraction, 0);
	sp->max_frac = (double)count_digits(p, sp->fraction, 1);
	if (sp->min_int == 0 && sp->max_frac == 0) {
		if (sp->has_exponent)
			sp->min_frac = sp->max_frac = 1;
		else
			sp->min_int = 1;
	}
	if (sp->has_exponent && sp->min_int == 0 && contains(sp->integer, p->digit))
		sp->min_int = 1;
	if (sp->min_int == 0 && sp->min_frac == 0)
		sp->min_frac = 1;
	sp->min_exp = sp->has_exponent ? (double)count_digits(p, sp->exponent, 0) : 0;
}

/* JSONata's $round(v, precision): shift the decimal point through the
 * number's text, round half to even, shift back. */
static double jsonata_round(double v, double precision)
{
	char s[40], t[100];
	if (precision != 0) {
		jn_pic_js_num_str(v, s);
		char *e = strchr(s, 'e');
		double ex = precision;
		if (e) {
			*e = '\0';
			ex = jn_pic_js_to_number_ascii(e + 1) + precision;
		}
		char es[40];
		jn_pic_js_num_str(ex, es);
		snprintf(t, sizeof t, "%se%s", s, es);
		v = jn_pic_js_to_number_ascii(t);
	}
	double r = jn_pic_js_round(v);
	if (fabs(r - v) == 0.5 && fabs(fmod(r, 2)) == 1)
		r -= 1;
	if (precision != 0) {
		jn_pic_js_num_str(r, s);
		char *e = strchr(s, 'e');
		double ex = -precision;
		if (e) {
			*e = '\0';
			ex = jn_pic_js_to_number_ascii(e + 1) - precision;
		}
		char es[40];
		jn_pic_js_num_str(ex, es);
		snprintf(t, sizeof t, "%se%s", s, es);
		r = jn_pic_js_to_number_ascii(t);
	}
	return r == 0 ? 0 : r;
}

/* |v|.toFixed(dp) with the digits moved into the zero-digit's family. */
static int make_string(arena *a, const numfmt *p, double v, double dp, jn_u16b *out, jn_pic_err *e)
{
	if (dp > 100)
		return jn_pic_fail_js(e, "toFixed() digits argument must be between 0 and 100");
	jn_u16b s;
	jn_pic_u16b_init(&s, a);
	jn_pic_js_to_fixed(&s, fabs(v), (int)dp);
	int ascii_zero = jn_pic_u16_eq_ascii(p->zero, "0");
	for (size_t i = 0; i < s.n; i++) {
		uint16_t c = s.p[i];
		if (!ascii_zero && c >= '0' && c <= '9') {
			if (p->has_family)
				jn_pic_u16b_push(out, (uint16_t)(p->zero_unit + (c - '0')));
			/* no family: the reference joins undefined entries as "" */
		} else {
			jn_pic_u16b_push(out, c);
		}
	}
	return 0;
}

/* String.prototype.slice index rules. */
static size_t slice_idx(double i, size_t n)
{
	if (i < 0)
		i = fmax((double)n + i, 0);
	return i > (double)n ? n : (size_t)i;
}

static jn_u16 insert_at(arena *a, jn_u16 s, double at, jn_u16 what)
{
	size_t k = slice_idx(at, s.n);
	jn_u16b b;
	jn_pic_u16b_init(&b, a);
	jn_u16 left = {s.p, k}, right = {s.p + k, s.n - k};
	jn_pic_u16b_cat(&b, left);
	jn_pic_u16b_cat(&b, what);
	jn_pic_u16b_cat(&b, right);
	return jn_pic_u16b_get(&b);
}

/* s.replace('.', with) for the '.' at dot: the replacement text's $
 * patterns are expanded as String.prototype.replace does. */
static jn_u16 replace_first_dot(arena *a, jn_u16 s, size_t dot, jn_u16 with)
{
	jn_u16b b;
	jn_pic_u16b_init(&b, a);
	jn_u16 before = {s.p, dot}, after = {s.p + dot + 1, s.n - dot - 1};
	jn_pic_u16b_cat(&b, before);
	for (size_t i = 0; i < with.n; i++) {
		uint16_t c = with.p[i];
		if (c == '$' && i + 1 < with.n) {
			uint16_t d = with.p[i + 1];
			if (d == '$' || d == '&') {
				jn_pic_u16b_push(&b, d == '$' ? '$' : '.');
				i++;
				continue;
			}
			if (d == '`' || d == '\'') {
				jn_pic_u16b_cat(&b, d == '`' ? before : after);
				i++;
				continue;
			}
		}
		jn_pic_u16b_push(&b, c);
	}
	jn_pic_u16b_cat(&b, after);
	return jn_pic_u16b_get(&b);
}

static jn_u16 zeros(arena *a, const numfmt *p, double n)
{
	jn_u16b b;
	jn_pic_u16b_init(&b, a);
	for (double i = 0; i < n; i++)
		jn_pic_u16b_cat(&b, p->zero);
	return jn_pic_u16b_get(&b);
}


static int format(arena *a, const numfmt *p, double value, subpic *pic, jn_u16b *out, jn_pic_err *e)
{
	double adjusted = value;
	if (contains(pic->picture, p->percent))
		adjusted = value * 100;
	else if (contains(pic->picture, p->per_mille))
		adjusted = value * 1000;

	double mantissa = adjusted, exponent = 0;
	int has_exponent = pic->min_exp != 0;
	if (has_exponent && mantissa != 0 && !isnan(mantissa)) {
		double max_m = pow(10, pic->scaling), min_m = pow(10, pic->scaling - 1);
		if (isinf(mantissa) && isfinite(max_m))
			return jn_pic_fail_js(e, "Maximum call stack size exceeded"); /* the reference never ends */
		while (fabs(mantissa) < min_m) {
			mantissa *= 10;
			exponent -= 1;
		}
		while (fabs(mantissa) > max_m) {
			mantissa /= 10;
			exponent += 1;
		}
	}
	double rounded = jsonata_round(mantissa, pic->max_frac);

	jn_u16b sb16;
	jn_pic_u16b_init(&sb16, a);
	if (make_string(a, p, rounded, pic->max_frac, &sb16, e))
		return -1;
	jn_u16 s = jn_pic_u16b_get(&sb16);
	static const uint16_t dot = '.';
	jn_u16 dot_s = {&dot, 1};
	long dpos = jn_pic_u16_index(s, dot_s, 0);
	if (dpos == -1) {
		jn_u16b t;
		jn_pic_u16b_init(&t, a);
		jn_pic_u16b_cat(&t, s);
		jn_pic_u16b_cat(&t, p->decimal);
		s = jn_pic_u16b_get(&t);
	} else {
		s = replace_first_dot(a, s, (size_t)dpos, p->decimal);
	}
	while (s.n && is_prop(p->zero, s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_prop(p->zero, s.p[s.n - 1]))
		s.n--;

	dpos = jn_pic_u16_index(s, p->decimal, 0);
	double pad_left = pic->min_int - (double)dpos;
	double pad_right = pic->min_frac - ((double)s.n - (double)dpos - 1);
	double zw = p->zero.n ? (double)p->zero.n : 1;
	if (pad_left * zw > JN_PIC_MAX_UNITS || pad_right * zw > JN_PIC_MAX_UNITS)
		return jn_pic_fail_js(e, "Invalid string length");
	{
		jn_u16b t;
		jn_pic_u16b_init(&t, a);
		if (pad_left > 0)
			jn_pic_u16b_cat(&t, zeros(a, p, pad_left));
		jn_pic_u16b_cat(&t, s);
		if (pad_right > 0)
			jn_pic_u16b_cat(&t, zeros(a, p, pad_right));
		s = jn_pic_u16b_get(&t);
	}
	dpos = jn_pic_u16_index(s, p->decimal, 0);
	if (pic->regular > 0) {
		/* a separator before every regular-th digit left of the decimal
		 * point, built in one pass */
		double groups = floor(((double)dpos - 1) / pic->regular);
		if (groups >= 1) {
			size_t every = (size_t)pic->regular, first = (size_t)dpos - (size_t)groups * every;
			jn_u16b t;
			jn_pic_u16b_init(&t, a);
			jn_u16 head = {s.p, first};
			jn_pic_u16b_cat(&t, head);
			for (size_t at = first; at < (size_t)dpos; at += every) {
				jn_u16 grp = {s.p + at, every};
				jn_pic_u16b_cat(&t, p->grouping);
				jn_pic_u16b_cat(&t, grp);
			}
			jn_u16 tail = {s.p + dpos, s.n - (size_t)dpos};
			jn_pic_u16b_cat(&t, tail);
			s = jn_pic_u16b_get(&t);
		}
	} else {
		double d = (double)dpos;
		for (size_t i = 0; i < pic->n_int_groups; i++) {
			s = insert_at(a, s, d - pic->int_groups[i], p->grouping);
			d++;
		}
	}
	dpos = jn_pic_u16_index(s, p->decimal, 0);
	for (size_t i = 0; i < pic->n_frac_groups; i++)
		s = insert_at(a, s, pic->frac_groups[i] + (double)dpos + 1, p->grouping);
	dpos = jn_pic_u16_index(s, p->decimal, 0);
	if (!contains(pic->picture, p->decimal) || (dpos == (long)s.n - 1))
		s = jn_pic_u16_sub(s, 0, (double)s.n - 1);

	jn_pic_u16b_cat(out, pic->prefix);
	jn_pic_u16b_cat(out, s);
	if (has_exponent) {
		jn_u16b ex;
		jn_pic_u16b_init(&ex, a);
		if (make_string(a, p, exponent, 0, &ex, e))
			return -1;
		double pad = pic->min_exp - (double)ex.n;
		if (pad * (p->zero.n ? (double)p->zero.n : 1) > JN_PIC_MAX_UNITS)
			return jn_pic_fail_js(e, "Invalid string length");
		jn_pic_u16b_cat(out, p->exponent);
		if (exponent < 0)
			jn_pic_u16b_cat(out, p->minus);
		if (pad > 0)
			jn_pic_u16b_cat(out, zeros(a, p, pad));
		jn_pic_u16b_cat(out, jn_pic_u16b_get(&ex));
	}
	jn_pic_u16b_cat(out, pic->suffix);
	return 0;
}

static jn_u16 prop(arena *a, const char *opt, const char *dflt)
{
	return jn_pic_u16_from_utf8(a, opt ? opt : dflt);
}

int jn_pic_format_number(double v, const char *picture, const jn_numfmt_opts *opts, sb *out, jn_pic_err *e)
{
	static const jn_numfmt_opts none;
	if (!opts)
		opts = &none;
	arena *a = arena_new();
	numfmt p;
	p.decimal = prop(a, opts->decimal_separator, ".");
	p.grouping = prop(a, opts->grouping_separator, ",");
	p.exponent = prop(a, opts->exponent_separator, "e");
	p.infinity = prop(a, opts->infinity, "Infinity");
	p.minus = prop(a, opts->minus_sign, "-");
	p.nan = prop(a, opts->nan, "NaN");
	p.percent = prop(a, opts->percent, "%");
	p.per_mille = prop(a, opts->per_mille, "\xE2\x80\xB0");
	p.zero = prop(a, opts->zero_digit, "0");
	p.digit = prop(a, opts->digit, "#");
	p.pattern = prop(a, opts->pattern_separator, ";");
	p.has_family = p.zero.n > 0;
	p.zero_unit = p.zero.n ? p.zero.p[0] : 0;

	jn_u16 pic = jn_pic_u16_from_utf8(a, picture);
	jn_u16 subs[2];
	size_t nsub = 0;
	int rc = 0;
	if (p.pattern.n == 0) {
		/* split("") gives one sub-picture per code unit */
		if (pic.n > 2)
			rc = jn_pic_fail(e, "D3080", NULL);
		for (size_t i = 0; !rc && i < pic.n; i++)
			subs[nsub++] = jn_pic_u16_sub(pic, (double)i, (double)i + 1);
	} else {
		size_t start = 0;
		for (;;) {
			long at = jn_pic_u16_index(pic, p.pattern, start);
			if (nsub == 2) {
				rc = jn_pic_fail(e, "D3080", NULL);
				break;
			}
			if (at < 0) {
				subs[nsub++] = jn_pic_u16_sub(pic, (double)start, (double)pic.n);
				break;
			}
			subs[nsub++] = jn_pic_u16_sub(pic, (double)start, (double)at);
			start = (size_t)at + p.pattern.n;
		}
	}
	subpic parts[2];
	for (size_t i = 0; !rc && i < nsub; i++) {
		split_parts(&p, subs[i], &parts[i]);
		const char *err = validate(a, &p, &parts[i]);
		if (err)
			rc = jn_pic_fail(e, err, NULL);
	}
	if (!rc && nsub == 0)
		rc = jn_pic_fail_js(e, "Cannot read properties of undefined (reading 'picture')");
	if (!rc) {
		for (size_t i = 0; i < nsub; i++)
			analyse(a, &p, &parts[i]);
		if (nsub == 1) {
			parts[1] = parts[0];
			jn_u16b pre;
			jn_pic_u16b_init(&pre, a);
			jn_pic_u16b_cat(&pre, p.minus);
			jn_pic_u16b_cat(&pre, parts[0].prefix);
			parts[1].prefix = jn_pic_u16b_get(&pre);
		}
		jn_u16b res;
		jn_pic_u16b_init(&res, a);
		rc = format(a, &p, v, v >= 0 ? &parts[0] : &parts[1], &res, e);
		if (!rc)
			jn_pic_u16_to_sb(out, jn_pic_u16b_get(&res));
	}
	arena_free(a);
	return rc;
}
