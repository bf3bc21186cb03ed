/* jn_picture_iso.c - $toMillis without a picture: the reference's ISO 8601 check, then Date.parse as V8 does it. */
#include "engine/jsonata/jn_picture_int.h"

#include <limits.h>
#include <math.h>
#include <string.h>

/* The reference first tests the text against
 *   ^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$
 * and throws D3110 when it fails. The groups are tried in order, each
 * taken or skipped (a date group and the offset both start with '-', so
 * this needs backtracking); the fraction is the only variable-length
 * group and it ends where the digits do. */
static int in(uint16_t c, char lo, char hi) { return c >= (uint16_t)lo && c <= (uint16_t)hi; }

/* Length of group g at i, or 0 when it does not match there. */
static size_t iso_group(jn_u16 s, size_t i, int g)
{
	size_t n = s.n;
	const uint16_t *p = s.p;
#define AT(k, lo, hi) (i + (k) < n && in(p[i + (k)], lo, hi))
#define IS(k, ch) (i + (k) < n && p[i + (k)] == (uint16_t)(ch))
	switch (g) {
	case 0:
		return IS(0, '-') && AT(1, '0', '1') && AT(2, '0', '9') ? 3 : 0;
	case 1:
		return IS(0, '-') && AT(1, '0', '3') && AT(2, '0', '9') ? 3 : 0;
	case 2:
		return IS(0, 'T') && AT(1, '0', '2') && AT(2, '0', '9') && IS(3, ':') && AT(4, '0', '5') &&
		               AT(5, '0', '9') && IS(6, ':') && AT(7, '0', '5') && AT(8, '0', '9')
		           ? 9
		           : 0;
	case 3: {
		if (!(IS(0, '.') && AT(1, '0', '9')))
			return 0;
		size_t k = 2;
		while (AT(k, '0', '9'))
			k++;
		return k;
	}
	default:
		if (IS(0, 'Z'))
			return 1;
		if ((IS(0, '+') || IS(0, '-')) && AT(1, '0', '2') && AT(2, '0', '9')) {
			if (IS(3, ':') && AT(4, '0', '5') && AT(5, '0', '9'))
				return 6;
			if (AT(3, '0', '5') && AT(4, '0', '9'))
				return 5;
		}
		return 0;
	}
#undef AT
#undef IS
}

static int iso_rest(jn_u16 s, size_t i, int g)
{
	if (g == 5)
		return i == s.n;
	size_t k = iso_group(s, i, g);
	if (k && iso_rest(s, i + k, g + 1))
		return 1;
	return iso_rest(s, i, g + 1);
}

static int iso_shape(jn_u16 s)
{
	for (size_t k = 0; k < 4; k++)
		if (k >= s.n || !in(s.p[k], '0', '9'))
			return 0;
	return iso_rest(s, 4, 0);
}

/* ======================================================================
 * Date.parse, restricted to the text the check above lets through: digits
 * and the characters - : . + T Z. V8 first reads as much of an ES5 date
 * time string as it can, then hands what is left to its legacy parser.
 * ====================================================================== */

enum { NONE = INT_MAX };
enum tok_kind { T_END, T_NUM, T_SYM, T_WORD_T, T_WORD_Z, T_INVALID };

typedef struct tok {
	enum tok_kind k;
	int value, len; /* T_NUM: the first 9 digits' value and the digit count */
	char sym;
} tok;

typedef struct scan {
	const uint16_t *p;
	size_t n, i;
	tok next;
} scan;

static tok read_tok(scan *s)
{
	tok t = {T_END, 0, 0, 0};
	if (s->i >= s->n)
		return t;
	uint16_t c = s->p[s->i];
	if (c >= '0' && c <= '9') {
		/* V8 keeps the first 9 significant digits: leading zeros are
		 * skipped before counting, though the length includes them. */
		t.k = T_NUM;
		int sig = 0;
		while (s->i < s->n && s->p[s->i] == '0') {
			t.len++;
			s->i++;
		}
		while (s->i < s->n && s->p[s->i] >= '0' && s->p[s->i] <= '9') {
			if (sig++ < 9)
				t.value = t.value * 10 + (s->p[s->i] - '0');
			t.len++;
			s->i++;
		}
		return t;
	}
	s->i++;
	if (c == 'T')
		t.k = T_WORD_T;
	else if (c == 'Z')
		t.k = T_WORD_Z;
	else {
		t.k = T_SYM;
		t.sym = (char)c;
	}
	return t;
}

static tok next(scan *s)
{
	tok t = s->next;
	s->next = read_tok(s);
	return t;
}

static int peek_sym(scan *s, char c) { return s->next.k == T_SYM && s->next.sym == c; }

static int skip_sym(scan *s, char c)
{
	if (!peek_sym(s, c))
		return 0;
	next(s);
	return 1;
}

static int between(int x, int lo, int hi) { return x >= lo && x <= hi; }

typedef struct day_c {
	int comp[3], n, iso;
} day_c;
typedef struct time_c {
	int comp[4], n;
} time_c;
typedef struct tz_c {
	int sign, hour, minute;
} tz_c;

static int day_add(day_c *d, int v)
{
	if (d->n >= 3)
		return 0;
	d->comp[d->n++] = v;
	return 1;
}

static int time_add(time_c *t, int v)
{
	if (t->n >= 4)
		return 0;
	t->comp[t->n++] = v;
	return 1;
}

static int time_add_final(time_c *t, int v)
{
	if (!time_add(t, v))
		return 0;
	while (t->n < 4)
		t->comp[t->n++] = 0;
	return 1;
}

static int time_expecting(const time_c *t, int v)
{
	return (t->n == 1 && between(v, 0, 59)) || (t->n == 2 && between(v, 0, 59)) ||
	       (t->n == 3 && between(v, 0, 999));
}

static void tz_set(tz_c *z, int hours)
{
	z->sign = hours < 0 ? -1 : 1;
	z->hour = hours * z->sign;
	z->minute = 0;
}

static int millis_of(tok t)
{
	int v = t.value, len = t.len;
	if (len == 1)
		return v * 100;
	if (len == 2)
		return v * 10;
	if (len > 3) {
		if (len > 9)
			len = 9;
		int f = 1;
		while (len > 3) {
			f *= 10;
			len--;
		}
		v /= f;
	}
	return v;
}

/* The ES5 part; returns the first token left for the legacy parser,
 * T_END when the string was complete, T_INVALID when parsing must fail. */
static tok es5(scan *s, day_c *d, time_c *t, tz_c *z)
{
	tok inv = {T_INVALID, 0, 0, 0};
	if (s->next.k == T_NUM && s->next.len == 4)
		day_add(d, next(s).value);
	else
		return next(s);
	if (skip_sym(s, '-')) {
		if (!(s->next.k == T_NUM && s->next.len == 2 && between(s->next.value, 1, 12)))
			return next(s);
		day_add(d, next(s).value);
		if (skip_sym(s, '-')) {
			if (!(s->next.k == T_NUM && s->next.len == 2 && between(s->next.value, 1, 31)))
				return next(s);
			day_add(d, next(s).value);
		}
	}
	if (s->next.k != T_WORD_T) {
		if (s->next.k != T_END)
			return next(s);
	} else {
		next(s);
		if (!(s->next.k == T_NUM && s->next.len == 2 && between(s->next.value, 0, 24)))
			return inv;
		int h24 = s->next.value == 24;
		time_add(t, next(s).value);
		if (!skip_sym(s, ':'))
			return inv;
		if (!(s->next.k == T_NUM && s->next.len == 2 && between(s->next.value, 0, 59)) ||
		    (h24 && s->next.value > 0))
			return inv;
		time_add(t, next(s).value);
		if (skip_sym(s, ':')) {
			if (!(s->next.k == T_NUM && s->next.len == 2 && between(s->next.value, 0, 59)) ||
			    (h24 && s->next.value > 0))
				return inv;
			time_add(t, next(s).value);
			if (skip_sym(s, '.')) {
				if (s->next.k != T_NUM || (h24 && s->next.value > 0))
					return inv;
				time_add(t, millis_of(next(s)));
			}
		}
		if (s->next.k == T_WORD_Z) {
			next(s);
			tz_set(z, 0);
		} else if (peek_sym(s, '+') || peek_sym(s, '-')) {
			z->sign = next(s).sym == '+' ? 1 : -1;
			if (s->next.k == T_NUM && s->next.len == 4) {
				int hm = next(s).value, hh = hm / 100, mm = hm % 100;
				if (!between(hh, 0, 23) || !between(mm, 0, 59))
					return inv;
				z->hour = hh;
				z->minute = mm;
			} else {
				if (!(s->next.k == T_NUM && s->next.len == 2 && between(s->next.value, 0, 23)))
					return inv;
				z->hour = next(s).value;
				if (!skip_sym(s, ':'))
					return inv;
				if (!(s->next.k == T_NUM && s->next.len == 2 && between(s->next.value, 0, 59)))
					return inv;
				z->minute = next(s).value;
			}
		}
		if (s->next.k != T_END)
			return inv;
	}
	if (z->hour == NONE && t->n == 0)
		tz_set(z, 0);
	d->iso = 1;
	tok end = {T_END, 0, 0, 0};
	return end;
}

/* 0 when V8 rejects the string (NaN). */
static int v8_parse(jn_u16 str, double *out)
{
	scan s = {str.p, str.n, 0, {T_END, 0, 0, 0}};
	s.next = read_tok(&s);
	day_c d = {{0, 0, 0}, 0, 0};
	time_c t = {{0, 0, 0, 0}, 0};
	tz_c z = {NONE, NONE, NONE};
	tok tk = es5(&s, &d, &t, &z);
	if (tk.k == T_INVALID)
		return 0;
	int has_number = d.n > 0;
	for (; tk.k != T_END; tk = next(&s)) {
		if (tk.k == T_NUM) {
			has_number = 1;
			int n = tk.value;
			if (skip_sym(&s, ':')) {
				if (skip_sym(&s, ':')) {
					if (t.n)
						return 0;
					time_add(&t, n);
					time_add(&t, 0);
				} else {
					if (!time_add(&t, n))
						return 0;
					if (peek_sym(&s, '.'))
						next(&s);
				}
			} else if (skip_sym(&s, '.') && time_expecting(&t, n)) {
				time_add(&t, n);
				if (s.next.k != T_NUM)
					return 0;
				time_add_final(&t, millis_of(next(&s)));
			} else if (z.hour != NONE && z.minute == NONE && between(n, 0, 59)) {
				z.minute = n;
			} else if (time_expecting(&t, n)) {
				time_add_final(&t, n);
				if (!(s.next.k == T_END || s.next.k == T_WORD_Z || peek_sym(&s, '+') ||
				      peek_sym(&s, '-')))
					return 0;
			} else {
				if (!day_add(&d, n))
					return 0;
				skip_sym(&s, '-');
			}
		} else if (tk.k == T_WORD_T || tk.k == T_WORD_Z) {
			if (tk.k == T_WORD_Z && has_number) {
				tz_set(&z, 0);
			} else {
				if (has_number)
					return 0;
				if (s.next.k == T_NUM)
					return 0;
			}
		} else if (tk.k == T_SYM && (tk.sym == '+' || tk.sym == '-') &&
		           ((z.hour == 0 && z.minute == 0) || t.n)) {
			z.sign = tk.sym == '+' ? 1 : -1;
			int n = 0, len = 0;
			if (s.next.k == T_NUM) {
				tok num = next(&s);
				n = num.value;
				len = num.len;
			}
			has_number = 1;
			if (peek_sym(&s, ':')) {
				z.hour = n;
				z.minute = NONE;
			} else if (len == 1 || len == 2) {
				z.hour = n;
				z.minute = 0;
			} else if (len == 3 || len == 4) {
				z.hour = n / 100;
				z.minute = n % 100;
			} else {
				return 0;
			}
		} else if (tk.k == T_SYM && (tk.sym == '+' || tk.sym == '-' || tk.sym == ')') && has_number) {
			return 0;
		}
	}

	/* The composers' Write steps. */
	if (d.n < 1)
		return 0;
	while (d.n < 3)
		d.comp[d.n++] = 1;
	int year, month, day;
	if (d.iso || !between(d.comp[0], 1, 31)) {
		year = d.comp[0];
		month = d.comp[1];
		day = d.comp[2];
	} else {
		month = d.comp[0];
		day = d.comp[1];
		year = d.comp[2];
	}
	if (!d.iso) {
		if (between(year, 0, 49))
			year += 2000;
		else if (between(year, 50, 99))
			year += 1900;
	}
	if (!between(month, 1, 12) || !between(day, 1, 31))
		return 0;
	while (t.n < 4)
		t.comp[t.n++] = 0;
	int h = t.comp[0], mi = t.comp[1], sec = t.comp[2], ms = t.comp[3];
	if (!between(h, 0, 23) || !between(mi, 0, 59) || !between(sec, 0, 59) || !between(ms, 0, 999))
		if (h != 24 || mi != 0 || sec != 0 || ms != 0)
			return 0;
	double date = jn_pic_make_date(year, month - 1, day, h, mi, sec, ms);
	if (z.sign != NONE) {
		double hh = z.hour == NONE ? 0 : z.hour, mm = z.minute == NONE ? 0 : z.minute;
		double secs = hh * 3600 + mm * 60;
		if (secs > 1073741823.0)
			return 0;
		date -= (z.sign < 0 ? -secs : secs) * 1000.0;
	}
	/* No offset given: local time, and the local time zone is taken to be
	 * UTC (the reference run with TZ=UTC). */
	*out = jn_pic_time_clip(date);
	return 1;
}

int jn_pic_iso_parse(arena *a, const char *s, double *ms, jn_pic_err *e)
{
	jn_u16 str = jn_pic_u16_from_utf8(a, s);
	if (!iso_shape(str)) {
		char json[400];
		jn_pic_json_str(str, json, sizeof json);
		return jn_pic_fail(e, "D3110", json);
	}
	double v;
	*ms = v8_parse(str, &v) ? v : NAN;
	return 0;
}
