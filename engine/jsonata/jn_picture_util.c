/* jn_picture_util.c - UTF-16 strings, JavaScript number rules and errors for the picture functions. */
#include "engine/jsonata/jn_picture_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/mem.h"

/* ======================================================================
 * UTF-16 strings
 * ====================================================================== */

void jn_pic_u16b_init(jn_u16b *b, arena *a)
{
	b->a = a;
	b->p = NULL;
	b->n = b->cap = 0;
}

static void u16b_reserve(jn_u16b *b, size_t more)
{
	if (b->cap - b->n >= more)
		return;
	size_t cap = b->cap ? b->cap : 16;
	while (cap - b->n < more)
		cap *= 2;
	b->p = arena_realloc(b->a, b->p, b->cap * sizeof *b->p, cap * sizeof *b->p);
	b->cap = cap;
}

void jn_pic_u16b_push(jn_u16b *b, uint16_t c)
{
	u16b_reserve(b, 1);
	b->p[b->n++] = c;
}

void jn_pic_u16b_cat(jn_u16b *b, jn_u16 s)
{
	if (!s.n)
		return;
	u16b_reserve(b, s.n);
	memcpy(b->p + b->n, s.p, s.n * sizeof *s.p);
	b->n += s.n;
}

void jn_pic_u16b_ascii(jn_u16b *b, const char *s)
{
	while (*s)
		jn_pic_u16b_push(b, (uint8_t)*s++);
}

void jn_pic_u16b_cp(jn_u16b *b, uint32_t cp)
{
	if (cp >= 0x10000) {
		cp -= 0x10000;
		jn_pic_u16b_push(b, (uint16_t)(0xD800 + (cp >> 10)));
		jn_pic_u16b_push(b, (uint16_t)(0xDC00 + (cp & 0x3FF)));
	} else {
		jn_pic_u16b_push(b, (uint16_t)cp);
	}
}

jn_u16 jn_pic_u16b_get(const jn_u16b *b)
{
	/* never a NULL pointer, so views of an empty string can be offset */
	static const uint16_t empty = 0;
	jn_u16 s = {b->p ? b->p : &empty, b->n};
	return s;
}

/* Length of a valid sequence starting at s (a lead byte >= 0x80), with its
 * code point, or 0 when the lead byte starts no valid sequence. Surrogates
 * are accepted (WTF-8). */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp)
{
	unsigned c = s[0];
	if (c >= 0xC2 && c <= 0xDF) {
		if ((s[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0;
		*cp = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
			return 0;
		*cp = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
		return 4;
	}
	return 0;
}

jn_u16 jn_pic_u16_from_utf8(arena *a, const char *s)
{
	jn_u16b b;
	jn_pic_u16b_init(&b, a);
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		if (*p < 0x80) {
			jn_pic_u16b_push(&b, *p++);
			continue;
		}
		uint32_t cp;
		size_t n = utf8_seq(p, &cp);
		if (!n) {
			jn_pic_u16b_push(&b, 0xFFFD);
			p++;
			continue;
		}
		jn_pic_u16b_cp(&b, cp);
		p += n;
	}
	return jn_pic_u16b_get(&b);
}

jn_u16 jn_pic_u16_ascii(arena *a, const char *s)
{
	jn_u16b b;
	jn_pic_u16b_init(&b, a);
	jn_pic_u16b_ascii(&b, s);
	return jn_pic_u16b_get(&b);
}

void jn_pic_u16_to_sb(sb *out, jn_u16 s)
{
	sb_grow(out, s.n * 3);
	sb_catn(out, "", 0); /* terminated even when s is empty */
	for (size_t i = 0; i < s.n; i++) {
		uint32_t c = s.p[i];
		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.n && s.p[i + 1] >= 0xDC00 && s.p[i + 1] <= 0xDFFF) {
			c = 0x10000 + ((c - 0xD800) << 10) + (s.p[i + 1] - 0xDC00u);
			i++;
		}
		char u[4];
		if (c < 0x80) {
			sb_catc(out, (char)c);
		} else if (c < 0x800) {
			u[0] = (char)(0xC0 | (c >> 6));
			u[1] = (char)(0x80 | (c & 0x3F));
			sb_catn(out, u, 2);
		} else if (c < 0x10000) {
			u[0] = (char)(0xE0 | (c >> 12));
			u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
			u[2] = (char)(0x80 | (c & 0x3F));
			sb_catn(out, u, 3);
		} else {
			u[0] = (char)(0xF0 | (c >> 18));
			u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
			u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
			u[3] = (char)(0x80 | (c & 0x3F));
			sb_catn(out, u, 4);
		}
	}
}

/* Clamp a JavaScript position argument to [0, n]. */
static size_t clamp_pos(double v, size_t n)
{
	if (isnan(v) || v <= 0)
		return 0;
	if (v >= (double)n)
		return n;
	return (size_t)v;
}

jn_u16 jn_pic_u16_sub(jn_u16 s, double start, double end)
{
	size_t b = clamp_pos(trunc(start), s.n), e = clamp_pos(trunc(end), s.n);
	if (b > e) {
		size_t t = b;
		b = e;
		e = t;
	}
	jn_u16 r = {s.p + b, e - b};
	return r;
}

jn_u16 jn_pic_u16_substr(jn_u16 s, double start, double len)
{
	double st = isnan(start) ? 0 : trunc(start);
	if (st < 0)
		st = fmax((double)s.n + st, 0);
	size_t b = clamp_pos(st, s.n);
	size_t l = clamp_pos(trunc(len), s.n - b);
	jn_u16 r = {s.p + b, l};
	return r;
}

long jn_pic_u16_index(jn_u16 h, jn_u16 needle, size_t from)
{
	if (from > h.n)
		from = h.n;
	if (needle.n > h.n)
		return -1;
	for (size_t i = from; i + needle.n <= h.n; i++)
		if (!needle.n || !memcmp(h.p + i, needle.p, needle.n * sizeof *h.p))
			return (long)i;
	return -1;
}

long jn_pic_u16_last_index(jn_u16 h, jn_u16 needle)
{
	if (needle.n > h.n)
		return -1;
	for (size_t i = h.n - needle.n + 1; i-- > 0;)
		if (!needle.n || !memcmp(h.p + i, needle.p, needle.n * sizeof *h.p))
			return (long)i;
	return -1;
}

long jn_pic_u16_index_c(jn_u16 h, uint16_t c, size_t from)
{
	for (size_t i = from; i < h.n; i++)
		if (h.p[i] == c)
			return (long)i;
	return -1;
}

long jn_pic_u16_last_index_c(jn_u16 h, uint16_t c)
{
	for (size_t i = h.n; i-- > 0;)
		if (h.p[i] == c)
			return (long)i;
	return -1;
}

int jn_pic_u16_eq(jn_u16 a, jn_u16 b)
{
	return a.n == b.n && (!a.n || !memcmp(a.p, b.p, a.n * sizeof *a.p));
}

int jn_pic_u16_eq_ascii(jn_u16 a, const char *s)
{
	size_t n = strlen(s);
	if (a.n != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (a.p[i] != (uint8_t)s[i])
			return 0;
	return 1;
}

jn_u16 jn_pic_u16_replace_all(arena *a, jn_u16 s, jn_u16 what, jn_u16 with)
{
	if (!what.n)
		return s; /* split('') then join('') gives s back */
	jn_u16b b;
	jn_pic_u16b_init(&b, a);
	size_t i = 0;
	while (i < s.n) {
		if (i + what.n <= s.n && !memcmp(s.p + i, what.p, what.n * sizeof *s.p)) {
			jn_pic_u16b_cat(&b, with);
			i += what.n;
		} else {
			jn_pic_u16b_push(&b, s.p[i++]);
		}
	}
	return jn_pic_u16b_get(&b);
}

uint32_t jn_pic_u16_cp_at(jn_u16 s, size_t i, size_t *units)
{
	uint32_t c = s.p[i];
	if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.n && s.p[i + 1] >= 0xDC00 && s.p[i + 1] <= 0xDFFF) {
		*units = 2;
		return 0x10000 + ((c - 0xD800) << 10) + (s.p[i + 1] - 0xDC00u);
	}
	*units = 1;
	return c;
}

int jn_pic_js_space(uint16_t c)
{
	switch (c) {
	case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0xA0:
	case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000: case 0xFEFF:
		return 1;
	default:
		return c >= 0x2000 && c <= 0x200A;
	}
}

uint16_t jn_pic_ascii_lower(uint16_t c) { return (c >= 'A' && c <= 'Z') ? (uint16_t)(c + 32) : c; }
uint16_t jn_pic_ascii_upper(uint16_t c) { return (c >= 'a' && c <= 'z') ? (uint16_t)(c - 32) : c; }

/* ======================================================================
 * JavaScript numbers
 * ====================================================================== */

/* Shortest decimal digits that read back as v (v finite, > 0): the digits
 * go to d (NUL-terminated) and the decimal exponent n such that
 * v = 0.d * 10^n, as ECMAScript's Number::toString defines them. */
static void shortest_digits(double v, char d[20], int *n)
{
	char buf[40];
	for (int p = 1; p <= 17; p++) {
		snprintf(buf, sizeof buf, "%.*e", p - 1, v);
		if (strtod(buf, NULL) == v || p == 17)
			break;
	}
	int k = 0;
	const char *q = buf;
	for (; *q && *q != 'e'; q++)
		if (*q >= '0' && *q <= '9')
			d[k++] = *q;
	while (k > 1 && d[k - 1] == '0')
		k--;
	d[k] = '\0';
	*n = atoi(q + 1) + 1;
}

void jn_pic_js_num_str(double v, char out[40])
{
	if (isnan(v)) {
		strcpy(out, "NaN");
		return;
	}
	if (v == 0) {
		strcpy(out, "0");
		return;
	}
	if (isinf(v)) {
		strcpy(out, v > 0 ? "Infinity" : "-Infinity");
		return;
	}
	char *o = out;
	if (v < 0) {
		*o++ = '-';
		v = -v;
	}
	char d[20];
	int n;
	shortest_digits(v, d, &n);
	int k = (int)strlen(d);
	if (k <= n && n <= 21) {
		memcpy(o, d, (size_t)k);
		o += k;
		for (int i = k; i < n; i++)
			*o++ = '0';
	} else if (0 < n && n <= 21) {
		memcpy(o, d, (size_t)n);
		o += n;
		*o++ = '.';
		memcpy(o, d + n, (size_t)(k - n));
		o += k - n;
	} else if (-6 < n && n <= 0) {
		*o++ = '0';
		*o++ = '.';
		for (int i = 0; i < -n; i++)
			*o++ = '0';
		memcpy(o, d, (size_t)k);
		o += k;
	} else {
		*o++ = d[0];
		if (k > 1) {
			*o++ = '.';
			memcpy(o, d + 1, (size_t)(k - 1));
			o += k - 1;
		}
		o += sprintf(o, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
	}
	*o = '\0';
}

void jn_pic_u16b_num(jn_u16b *b, double v)
{
	char buf[40];
	jn_pic_js_num_str(v, buf);
	jn_pic_u16b_ascii(b, buf);
}

static int hex_digit(uint16_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

double jn_pic_js_parse_int(jn_u16 s)
{
	size_t i = 0;
	while (i < s.n && jn_pic_js_space(s.p[i]))
		i++;
	double sign = 1;
	if (i < s.n && (s.p[i] == '-' || s.p[i] == '+')) {
		if (s.p[i] == '-')
			sign = -1;
		i++;
	}
	int hex = 0;
	if (i + 1 < s.n && s.p[i] == '0' && (s.p[i + 1] == 'x' || s.p[i + 1] == 'X')) {
		hex = 1;
		i += 2;
	}
	size_t start = i;
	while (i < s.n && (hex ? hex_digit(s.p[i]) >= 0 : (s.p[i] >= '0' && s.p[i] <= '9')))
		i++;
	if (i == start)
		return NAN;
	/* strtod rounds the exact value correctly, as parseInt must for radix
	 * 10 and 16. */
	char *buf = mem_alloc(i - start + 3);
	size_t k = 0;
	if (hex) {
		buf[k++] = '0';
		buf[k++] = 'x';
	}
	for (size_t j = start; j < i; j++)
		buf[k++] = (char)s.p[j];
	buf[k] = '\0';
	double v = strtod(buf, NULL);
	mem_free(buf);
	return sign * v;
}

double jn_pic_js_parse_float_ascii(const char *s) { return strtod(s, NULL); }

double jn_pic_js_to_number_ascii(const char *s)
{
	char *end;
	if (!*s)
		return 0;
	double v = strtod(s, &end);
	if (*end)
		return NAN;
	return v;
}

void jn_pic_js_to_fixed(jn_u16b *b, double v, int digits)
{
	if (!isfinite(v) || fabs(v) >= 1e21) {
		jn_pic_u16b_num(b, v);
		return;
	}
	if (v < 0) {
		jn_pic_u16b_push(b, '-');
		v = -v;
	}
	/* Every double below 1e21 has an exact expansion of at most 21 integer
	 * and 1074 fraction digits, so this prints the value exactly; toFixed
	 * then rounds half up, which differs from printf's own rounding. */
	static const int FRAC = 1100;
	char buf[1200];
	snprintf(buf, sizeof buf, "%.*f", FRAC, v);
	char *dot = strchr(buf, '.');
	size_t ilen = (size_t)(dot - buf);
	char *frac = dot + 1;
	int up = frac[digits] >= '5';
	/* Move the kept fraction digits next to the integer digits so the
	 * carry can run through both. */
	memmove(dot, frac, (size_t)digits);
	size_t total = ilen + (size_t)digits;
	buf[total] = '\0';
	int carry = up;
	for (size_t i = total; carry && i-- > 0;) {
		if (buf[i] == '9') {
			buf[i] = '0';
		} else {
			buf[i]++;
			carry = 0;
		}
	}
	if (carry)
		jn_pic_u16b_push(b, '1');
	for (size_t i = 0; i < ilen; i++)
		jn_pic_u16b_push(b, (uint8_t)buf[i]);
	if (digits > 0) {
		jn_pic_u16b_push(b, '.');
		for (size_t i = ilen; i < total; i++)
			jn_pic_u16b_push(b, (uint8_t)buf[i]);
	}
}

double jn_pic_js_round(double v)
{
	if (!isfinite(v) || v == 0)
		return v;
	double r = floor(v);
	if (v - r >= 0.5)
		r += 1;
	if (r == 0 && v < 0)
		return -0.0;
	return r;
}

/* ======================================================================
 * Errors
 * ====================================================================== */

static const struct {
	const char *code, *msg;
} pic_messages[] = {
	{"D3080", "The picture string must only contain a maximum of two sub-pictures"},
	{"D3081", "The sub-picture must not contain more than one instance of the 'decimal-separator' character"},
	{"D3082", "The sub-picture must not contain more than one instance of the 'percent' character"},
	{"D3083", "The sub-picture must not contain more than one instance of the 'per-mille' character"},
	{"D3084", "The sub-picture must not contain both a 'percent' and a 'per-mille' character"},
	{"D3085", "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'"},
	{"D3086", "The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character"},
	{"D3087", "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character"},
	{"D3088", "The sub-picture must not contain a 'grouping-separator' at the end of the integer part"},
	{"D3089", "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character"},
	{"D3090", "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'"},
	{"D3091", "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'"},
	{"D3092", "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'"},
	{"D3093", "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'"},
	{"D3110", "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}"},
	{"D3130", "Formatting or parsing an integer as a sequence starting with {{value}} is not supported by this implementation"},
	{"D3131", "In a decimal digit pattern, all digits must be from the same decimal group"},
	{"D3132", "Unknown component specifier {{value}} in date/time picture string"},
	{"D3133", "The 'name' modifier can only be applied to months and days in the date/time picture string, not {{value}}"},
	{"D3134", "The timezone integer format specifier cannot have more than four digits"},
	{"D3135", "No matching closing bracket ']' in date/time picture string"},
	{"D3136", "The date/time picture string is missing specifiers required to parse the timestamp"},
};

int jn_pic_fail(jn_pic_err *e, const char *code, const char *value_json)
{
	snprintf(e->code, sizeof e->code, "%s", code);
	const char *tpl = code;
	for (size_t i = 0; i < sizeof pic_messages / sizeof pic_messages[0]; i++)
		if (!strcmp(pic_messages[i].code, code))
			tpl = pic_messages[i].msg;
	const char *ph = strstr(tpl, "{{value}}");
	if (ph)
		snprintf(e->message, sizeof e->message, "%.*s%s%s", (int)(ph - tpl), tpl,
		         value_json ? value_json : "undefined", ph + 9);
	else
		snprintf(e->message, sizeof e->message, "%s", tpl);
	return -1;
}

int jn_pic_fail_js(jn_pic_err *e, const char *msg)
{
	snprintf(e->code, sizeof e->code, "D1001");
	snprintf(e->message, sizeof e->message, "%s", msg);
	return -1;
}

void jn_pic_json_str(jn_u16 s, char *out, size_t cap)
{
	sb b = SB_INIT;
	sb_catc(&b, '"');
	for (size_t i = 0; i < s.n; i++) {
		uint16_t c = s.p[i];
		size_t units;
		uint32_t cp = jn_pic_u16_cp_at(s, i, &units);
		if (units == 2) {
			jn_u16 pair = {s.p + i, 2};
			jn_pic_u16_to_sb(&b, pair);
			i++;
			continue;
		}
		(void)cp;
		switch (c) {
		case '"': sb_cat(&b, "\\\""); break;
		case '\\': sb_cat(&b, "\\\\"); break;
		case '\b': sb_cat(&b, "\\b"); break;
		case '\f': sb_cat(&b, "\\f"); break;
		case '\n': sb_cat(&b, "\\n"); break;
		case '\r': sb_cat(&b, "\\r"); break;
		case '\t': sb_cat(&b, "\\t"); break;
		default:
			if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF)) {
				sb_printf(&b, "\\u%04x", c);
			} else {
				jn_u16 one = {s.p + i, 1};
				jn_pic_u16_to_sb(&b, one);
			}
		}
	}
	sb_catc(&b, '"');
	snprintf(out, cap, "%s", sb_str(&b));
	sb_free(&b);
}

/* ======================================================================
 * ECMAScript date arithmetic
 * ====================================================================== */

static const double MS_PER_DAY = 86400000.0;

static double make_day(double year, double month, double date)
{
	if (!isfinite(year) || !isfinite(month) || !isfinite(date))
		return NAN;
	double y = trunc(year), m = trunc(month), dt = trunc(date);
	/* V8 gives up on years and months this far out; TimeClip would reject
	 * the result anyway. */
	if (y < -1000000 || y > 1000000 || m < -10000000 || m > 10000000)
		return NAN;
	double ym = y + floor(m / 12);
	double mn = m - floor(m / 12) * 12;
	int64_t days = clk_days_from_civil((int64_t)ym, (int)mn + 1, 1);
	return (double)days + dt - 1;
}

static double make_time(double h, double mi, double s, double ms)
{
	if (!isfinite(h) || !isfinite(mi) || !isfinite(s) || !isfinite(ms))
		return NAN;
	return trunc(h) * 3600000.0 + trunc(mi) * 60000.0 + trunc(s) * 1000.0 + trunc(ms);
}

double jn_pic_make_date(double y, double m, double d, double h, double mi, double s, double ms)
{
	double day = make_day(y, m, d), time = make_time(h, mi, s, ms);
	if (!isfinite(day) || !isfinite(time))
		return NAN;
	double t = day * MS_PER_DAY + time;
	return isfinite(t) ? t : NAN;
}

double jn_pic_time_clip(double t)
{
	if (!isfinite(t) || fabs(t) > 8.64e15)
		return NAN;
	return trunc(t) + 0.0;
}

double jn_pic_date_utc(double y, double m, double d, double h, double mi, double s, double ms)
{
	double yr = y;
	if (!isnan(y)) {
		double yi = trunc(y);
		if (yi >= 0 && yi <= 99)
			yr = 1900 + yi;
	}
	return jn_pic_time_clip(jn_pic_make_date(yr, m, d, h, mi, s, ms));
}

void jn_pic_tm_of(double t, jn_pic_tm *tm)
{
	if (isnan(t)) {
		tm->year = tm->month = tm->day = tm->hours = tm->minutes = tm->seconds = tm->millis =
			tm->weekday = NAN;
		return;
	}
	double days = floor(t / MS_PER_DAY);
	double in_day = t - days * MS_PER_DAY;
	int64_t y;
	int m, d;
	clk_civil_from_days((int64_t)days, &y, &m, &d);
	tm->year = (double)y;
	tm->month = m - 1;
	tm->day = d;
	tm->hours = floor(in_day / 3600000.0);
	tm->minutes = fmod(floor(in_day / 60000.0), 60);
	tm->seconds = fmod(floor(in_day / 1000.0), 60);
	tm->millis = fmod(in_day, 1000);
	double wd = fmod(days + 4, 7);
	tm->weekday = wd < 0 ? wd + 7 : wd;
}
