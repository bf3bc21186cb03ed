/* jn_picture_datetime.c - $fromMillis/$toMillis: fn:format-dateTime pictures and their parsing. */
#include "engine/jsonata/jn_picture_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/clock.h"

/* ======================================================================
 * Picture analysis (F&O 9.8.4.1)
 * ====================================================================== */

typedef struct dt_part {
	int literal;
	jn_u16 text;        /* literal text */
	uint16_t component; /* 0 for an empty marker */
	jn_u16 pres1;
	uint16_t pres2; /* 0 = none */
	int has_width, has_min, has_max;
	double min, max;
	int names; /* 0, or 1 + enum jn_pic_case */
	int has_int;
	jn_pic_int_fmt ifmt;
	double n; /* year digits to keep, -1 = all */
} dt_part;

typedef struct dt_spec {
	dt_part *parts;
	size_t n, cap;
} dt_spec;

static const char INT_COMPONENTS[] = "YMDdFWwXxHhmsf";

static int has_char(const char *set, uint16_t c) { return c && c < 128 && strchr(set, (char)c); }

static const char *default_presentation(uint16_t c)
{
	switch (c) {
	case 'Y': case 'M': case 'D': case 'd': case 'W': case 'w': case 'X': case 'x':
	case 'H': case 'h': case 'f':
		return "1";
	case 'F': case 'P': case 'C': case 'E':
		return "n";
	case 'm': case 's':
		return "01";
	case 'Z': case 'z':
		return "01:01";
	default:
		return NULL;
	}
}

static dt_part *spec_push(arena *a, dt_spec *s)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		s->parts = arena_realloc(a, s->parts, s->cap * sizeof *s->parts, cap * sizeof *s->parts);
		s->cap = cap;
	}
	dt_part *p = &s->parts[s->n++];
	memset(p, 0, sizeof *p);
	p->n = -1;
	return p;
}

static void add_literal(arena *a, dt_spec *s, jn_u16 pic, size_t start, size_t end)
{
	if (end <= start)
		return;
	static const uint16_t two[2] = {']', ']'}, one = ']';
	jn_u16 what = {two, 2}, with = {&one, 1};
	dt_part *p = spec_push(a, s);
	p->literal = 1;
	p->text = jn_pic_u16_replace_all(a, jn_pic_u16_sub(pic, (double)start, (double)end), what, with);
}

/* parseInt of a width modifier; 0 when it is absent or '*'. */
static int width_value(jn_u16 w, int present, double *v)
{
	if (!present || jn_pic_u16_eq_ascii(w, "*"))
		return 0;
	*v = jn_pic_js_parse_int(w);
	return 1;
}

static int analyse_marker(arena *a, dt_spec *s, jn_u16 raw, jn_pic_err *e)
{
	/* whitespace inside a marker is ignored */
	jn_u16b mb;
	jn_pic_u16b_init(&mb, a);
	for (size_t i = 0; i < raw.n; i++)
		if (!jn_pic_js_space(raw.p[i]))
			jn_pic_u16b_push(&mb, raw.p[i]);
	jn_u16 marker = jn_pic_u16b_get(&mb);

	dt_part def;
	memset(&def, 0, sizeof def);
	def.n = -1;
	def.component = marker.n ? marker.p[0] : 0;
	jn_u16 pres;
	long comma = jn_pic_u16_last_index_c(marker, ',');
	if (comma != -1) {
		jn_u16 wm = jn_pic_u16_sub(marker, (double)comma + 1, (double)marker.n);
		long dash = jn_pic_u16_index_c(wm, '-', 0);
		jn_u16 min = dash == -1 ? wm : jn_pic_u16_sub(wm, 0, (double)dash);
		jn_u16 max = dash == -1 ? wm : jn_pic_u16_sub(wm, (double)dash + 1, (double)wm.n);
		def.has_width = 1;
		def.has_min = width_value(min, 1, &def.min);
		def.has_max = width_value(max, dash != -1, &def.max);
		pres = jn_pic_u16_sub(marker, 1, (double)comma);
	} else {
		pres = jn_pic_u16_sub(marker, 1, (double)marker.n);
	}
	if (pres.n == 1) {
		def.pres1 = pres;
	} else if (pres.n > 1) {
		uint16_t last = pres.p[pres.n - 1];
		if (has_char("atco", last)) {
			def.pres2 = last;
			def.pres1 = jn_pic_u16_sub(pres, 0, (double)pres.n - 1);
		} else {
			def.pres1 = pres;
		}
	} else {
		const char *d = default_presentation(def.component);
		if (!d) {
			char json[32];
			jn_u16 c = {&def.component, def.component ? 1 : 0};
			jn_pic_json_str(c, json, sizeof json);
			return jn_pic_fail(e, "D3132", json);
		}
		def.pres1 = jn_pic_u16_ascii(a, d);
	}
	if (def.pres1.p[0] == 'n') {
		def.names = 1 + JN_PIC_LOWER;
	} else if (def.pres1.p[0] == 'N') {
		def.names = 1 + (def.pres1.n > 1 && def.pres1.p[1] == 'n' ? JN_PIC_TITLE : JN_PIC_UPPER);
	} else if (has_char(INT_COMPONENTS, def.component)) {
		jn_u16b ip;
		jn_pic_u16b_init(&ip, a);
		jn_pic_u16b_cat(&ip, def.pres1);
		if (def.pres2) {
			jn_pic_u16b_push(&ip, ';');
			jn_pic_u16b_push(&ip, def.pres2);
		}
		if (jn_pic_int_analyse(a, jn_pic_u16b_get(&ip), &def.ifmt, e))
			return -1;
		def.has_int = 1;
		if (def.has_min && def.ifmt.mandatory < def.min)
			def.ifmt.mandatory = def.min;
		if (def.component == 'Y') {
			def.n = -1;
			if (def.has_max) {
				def.n = def.max;
				def.ifmt.mandatory = def.n;
			} else {
				double w = def.ifmt.mandatory + def.ifmt.optional;
				if (w >= 2)
					def.n = w;
			}
		}
		/* two integers with nothing between them: the first one's width
		 * must be exact for parsing */
		if (s->n && s->parts[s->n - 1].has_int)
			s->parts[s->n - 1].ifmt.parse_width = s->parts[s->n - 1].ifmt.mandatory;
	}
	if (def.component == 'Z' || def.component == 'z') {
		if (jn_pic_int_analyse(a, def.pres1, &def.ifmt, e))
			return -1;
		def.has_int = 1;
	}
	*spec_push(a, s) = def;
	return 0;
}

static int analyse_picture(arena *a, jn_u16 pic, dt_spec *s, jn_pic_err *e)
{
	memset(s, 0, sizeof *s);
	size_t start = 0, pos = 0;
	while (pos < pic.n) {
		if (pic.p[pos] == '[') {
			if (pos + 1 < pic.n && pic.p[pos + 1] == '[') {
				add_literal(a, s, pic, start, pos);
				static const uint16_t lb = '[';
				dt_part *p = spec_push(a, s);
				p->literal = 1;
				p->text.p = &lb;
				p->text.n = 1;
				pos += 2;
				start = pos;
				continue;
			}
			add_literal(a, s, pic, start, pos);
			start = pos;
			long close = jn_pic_u16_index_c(pic, ']', start);
			if (close == -1)
				return jn_pic_fail(e, "D3135", NULL);
			pos = (size_t)close;
			if (analyse_marker(a, s, jn_pic_u16_sub(pic, (double)start + 1, (double)pos), e))
				return -1;
			start = pos + 1;
		}
		pos++;
	}
	add_literal(a, s, pic, start, pos);
	return 0;
}

/* ======================================================================
 * Components of a date (F&O 9.8.4.3 and the reference's extensions)
 * ====================================================================== */

static const double MS_DAY = 86400000.0;

static const char *const month_names[] = {"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December"};
static const char *const day_names[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday",
	"Friday", "Saturday", "Sunday"};

/* A JavaScript value as the component code sees it. */
typedef struct jsval {
	enum { JV_UNDEF, JV_NUM, JV_STR } k;
	double n;
	const char *s;
} jsval;

static jsval jv_num(double n)
{
	jsval v = {JV_NUM, n, NULL};
	return v;
}

static jsval jv_str(const char *s)
{
	jsval v = {JV_STR, 0, s};
	return v;
}

/* Start of the first week of a month (ISO: the week holding the first
 * Thursday), with Date.UTC's handling of years 0-99 as the reference. */
static double first_week(double year, double month)
{
	double first = jn_pic_date_utc(year, month, 1, 0, 0, 0, 0);
	jn_pic_tm tm;
	jn_pic_tm_of(first, &tm);
	double dow = tm.weekday == 0 ? 7 : tm.weekday;
	return dow > 4 ? first + (8 - dow) * MS_DAY : first - (dow - 1) * MS_DAY;
}

static double delta_weeks(double start, double end) { return (end - start) / (MS_DAY * 7) + 1; }

static jsval fragment(double t, uint16_t c)
{
	jn_pic_tm tm;
	jn_pic_tm_of(t, &tm);
	switch (c) {
	case 'Y': return jv_num(tm.year);
	case 'M': return jv_num(tm.month + 1);
	case 'D': return jv_num(tm.day);
	case 'd': {
		double today = jn_pic_date_utc(tm.year, tm.month, tm.day, 0, 0, 0, 0);
		double jan1 = jn_pic_date_utc(tm.year, 0, 1, 0, 0, 0, 0);
		return jv_num((today - jan1) / MS_DAY + 1);
	}
	case 'F': return jv_num(tm.weekday == 0 ? 7 : tm.weekday);
	case 'W': {
		double start = first_week(tm.year, 0);
		double today = jn_pic_date_utc(tm.year, tm.month, tm.day, 0, 0, 0, 0);
		double week = delta_weeks(start, today);
		if (week > 52) {
			if (today >= first_week(tm.year + 1, 0))
				week = 1;
		} else if (week < 1) {
			week = delta_weeks(first_week(tm.year - 1, 0), today);
		}
		return jv_num(floor(week));
	}
	case 'w': {
		double start = first_week(tm.year, tm.month);
		double today = jn_pic_date_utc(tm.year, tm.month, tm.day, 0, 0, 0, 0);
		double week = delta_weeks(start, today);
		if (week > 4) {
			double ny = tm.month == 11 ? tm.year + 1 : tm.year, nm = tm.month == 11 ? 0 : tm.month + 1;
			if (today >= first_week(ny, nm))
				week = 1;
		} else if (week < 1) {
			double py = tm.month == 0 ? tm.year - 1 : tm.year, pm = tm.month == 0 ? 11 : tm.month - 1;
			week = delta_weeks(first_week(py, pm), today);
		}
		return jv_num(floor(week));
	}
	case 'X': {
		if (t < first_week(tm.year, 0))
			return jv_num(tm.year - 1);
		if (t >= first_week(tm.year + 1, 0))
			return jv_num(tm.year + 1);
		return jv_num(tm.year);
	}
	case 'x': {
		double ny = tm.month == 11 ? tm.year + 1 : tm.year, nm = tm.month == 11 ? 0 : tm.month + 1;
		if (t < first_week(tm.year, tm.month))
			return jv_num((tm.month == 0 ? 11 : tm.month - 1) + 1);
		if (t >= first_week(ny, nm))
			return jv_num(nm + 1);
		return jv_num(tm.month + 1);
	}
	case 'H': return jv_num(tm.hours);
	case 'h': {
		double h = fmod(tm.hours, 12);
		return jv_num(h == 0 ? 12 : h);
	}
	case 'P': return jv_str(tm.hours >= 12 ? "pm" : "am");
	case 'm': return jv_num(tm.minutes);
	case 's': return jv_num(tm.seconds);
	case 'f': return jv_num(tm.millis);
	case 'C': case 'E': return jv_str("ISO");
	default: {
		jsval u = {JV_UNDEF, 0, NULL};
		return u;
	}
	}
}

/* ======================================================================
 * Formatting
 * ====================================================================== */

static void case_map(jn_u16b *b, size_t from, int names)
{
	for (size_t i = from; i < b->n; i++) {
		if (names == 1 + JN_PIC_UPPER)
			b->p[i] = jn_pic_ascii_upper(b->p[i]);
		else if (names == 1 + JN_PIC_LOWER)
			b->p[i] = jn_pic_ascii_lower(b->p[i]);
	}
}

static int format_timezone(arena *a, const dt_part *p, double oh, double om, jn_u16b *out, jn_pic_err *e)
{
	double offset = oh * 100 + om;
	jn_u16b v;
	jn_pic_u16b_init(&v, a);
	if (p->ifmt.regular) {
		if (jn_pic_int_format(a, offset, &p->ifmt, &v, e))
			return -1;
	} else {
		double digits = p->ifmt.mandatory;
		if (digits == 1 || digits == 2) {
			if (jn_pic_int_format(a, oh, &p->ifmt, &v, e))
				return -1;
			if (om != 0) {
				jn_pic_int_fmt two;
				if (jn_pic_int_analyse(a, jn_pic_u16_ascii(a, "00"), &two, e))
					return -1;
				jn_pic_u16b_push(&v, ':');
				if (jn_pic_int_format(a, floor(om), &two, &v, e))
					return -1;
			}
		} else if (digits == 3 || digits == 4) {
			if (jn_pic_int_format(a, offset, &p->ifmt, &v, e))
				return -1;
		} else {
			char num[40];
			if (isnan(digits))
				snprintf(num, sizeof num, "undefined");
			else
				jn_pic_js_num_str(digits, num);
			return jn_pic_fail(e, "D3134", num);
		}
	}
	if (offset == 0 && p->pres2 == 't') {
		jn_pic_u16b_push(out, 'Z');
		return 0;
	}
	if (p->component == 'z')
		jn_pic_u16b_ascii(out, "GMT");
	if (offset >= 0)
		jn_pic_u16b_push(out, '+');
	jn_pic_u16b_cat(out, jn_pic_u16b_get(&v));
	return 0;
}

static int format_component(arena *a, double t, const dt_part *p, double oh, double om, jn_u16b *out,
                            jn_pic_err *e)
{
	jsval v = fragment(t, p->component);
	uint16_t c = p->component;
	if (has_char("YMDdFWwXxHhms", c)) {
		if (c == 'Y' && p->n != -1)
			v.n = fmod(v.n, pow(10, p->n));
		if (!p->names)
			return jn_pic_int_format(a, v.n, &p->ifmt, out, e);
		const char *name = NULL;
		if (c == 'M' || c == 'x') {
			if (v.n >= 1 && v.n <= 12 && v.n == floor(v.n))
				name = month_names[(int)v.n - 1];
		} else if (c == 'F') {
			if (v.n >= 0 && v.n <= 7 && v.n == floor(v.n))
				name = day_names[(int)v.n];
		} else {
			char json[16];
			jn_u16 cs = {&p->component, 1};
			jn_pic_json_str(cs, json, sizeof json);
			return jn_pic_fail(e, "D3133", json);
		}
		if (!name) {
			/* the reference calls a string method on undefined */
			if (p->names == 1 + JN_PIC_UPPER)
				return jn_pic_fail_js(e, "Cannot read properties of undefined (reading 'toUpperCase')");
			if (p->names == 1 + JN_PIC_LOWER)
				return jn_pic_fail_js(e, "Cannot read properties of undefined (reading 'toLowerCase')");
			if (p->has_width)
				return jn_pic_fail_js(e, "Cannot read properties of undefined (reading 'length')");
			jn_pic_u16b_ascii(out, "undefined");
			return 0;
		}
		jn_u16b nb;
		jn_pic_u16b_init(&nb, a);
		jn_pic_u16b_ascii(&nb, name);
		case_map(&nb, 0, p->names);
		jn_u16 s = jn_pic_u16b_get(&nb);
		if (p->has_width && p->has_max && (double)s.n > p->max)
			s = jn_pic_u16_sub(s, 0, p->max);
		jn_pic_u16b_cat(out, s);
		return 0;
	}
	if (c == 'f') {
		if (!p->has_int)
			return jn_pic_fail_js(e, "Cannot read properties of undefined (reading 'primary')");
		return jn_pic_int_format(a, v.n, &p->ifmt, out, e);
	}
	if (c == 'Z' || c == 'z')
		return format_timezone(a, p, oh, om, out, e);
	if (v.k == JV_UNDEF) {
		jn_pic_u16b_ascii(out, "undefined");
		return 0;
	}
	size_t from = out->n;
	jn_pic_u16b_ascii(out, v.s);
	if (c == 'P' && p->names == 1 + JN_PIC_UPPER)
		case_map(out, from, p->names);
	return 0;
}

static const char ISO_PICTURE[] = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

int jn_pic_format_datetime_d(double ms, const char *picture, const char *tz, sb *out, jn_pic_err *e)
{
	arena *a = arena_new();
	double oh = 0, om = 0;
	if (tz) {
		double offset = jn_pic_js_parse_int(jn_pic_u16_from_utf8(a, tz));
		oh = floor(offset / 100);
		om = fmod(offset, 100);
	}
	dt_spec spec;
	int rc = analyse_picture(a, jn_pic_u16_from_utf8(a, picture ? picture : ISO_PICTURE), &spec, e);
	if (!rc) {
		double shift = (60 * oh + om) * 60 * 1000;
		double t = jn_pic_time_clip(ms + shift);
		jn_u16b res;
		jn_pic_u16b_init(&res, a);
		for (size_t i = 0; !rc && i < spec.n; i++) {
			if (spec.parts[i].literal)
				jn_pic_u16b_cat(&res, spec.parts[i].text);
			else
				rc = format_component(a, t, &spec.parts[i], oh, om, &res, e);
			if (!rc && (double)res.n > JN_PIC_MAX_UNITS)
				rc = jn_pic_fail_js(e, "Invalid string length");
		}
		if (!rc)
			jn_pic_u16_to_sb(out, jn_pic_u16b_get(&res));
	}
	arena_free(a);
	return rc;
}

int jn_pic_format_datetime(int64_t ms, const char *picture, const char *tz, sb *out, jn_pic_err *e)
{
	return jn_pic_format_datetime_d((double)ms, picture, tz, out, e);
}

/* ======================================================================
 * Parsing: the reference builds a regular expression from the picture
 * (one capture group per part, case-insensitive, anchored) and reads the
 * components from the captures. This is a matcher for exactly the
 * expressions it builds, with the same backtracking order, so the same
 * text is captured; failures are memoised per (part, position) so no
 * input makes it exponential.
 * ====================================================================== */

enum pm_kind { PM_LIT, PM_SEQ, PM_DIGITS, PM_ALPHA, PM_ROMAN, PM_WORDS, PM_NEVER };

/* Pieces of the timezone expressions: a literal, or one character class
 * taken once or repeated (greedily or lazily). */
enum { C_DIGIT = 1, C_SIGN = 2, C_LBRACKET = 4, C_RBRACKET = 8, C_ANY = 16 };
typedef struct atom {
	jn_u16 lit; /* used when cls == 0 */
	unsigned cls;
	int plus, lazy;
} atom;

#define MAX_ATOMS 5

typedef struct pmatch {
	enum pm_kind kind;
	const dt_part *part;
	jn_u16 lit;      /* PM_LIT; PM_DIGITS: literal after the digits */
	double count;    /* PM_DIGITS: exact count, or 0 for one or more */
	int ordinal;     /* PM_DIGITS */
	int nalts;       /* PM_SEQ: alternatives of atoms */
	int natoms[2];
	atom atoms[2][MAX_ATOMS];
	int gmt;         /* timezone parsing: strip "GMT" */
	int has_sep;     /* timezone parsing: hours and minutes split at sep */
	jn_u16 sep;
	size_t cap_s, cap_e;
} pmatch;

/* How a case-insensitive JavaScript regular expression without the u flag
 * compares code units: each is replaced by its upper case when that is a
 * single unit and does not turn a non-ASCII unit into ASCII. The runs
 * below list every unit that changes: from first to last, every stride-th
 * unit moves by delta. They were generated from String.prototype
 * .toUpperCase in node 20. */
static const struct {
	uint16_t first, last;
	int32_t delta;
	uint8_t stride;
} canon_runs[] = {
	{0x0061, 0x007A, -32, 1}, {0x00B5, 0x00B5, 743, 1}, {0x00E0, 0x00F6, -32, 1},
	{0x00F8, 0x00FE, -32, 1}, {0x00FF, 0x00FF, 121, 1}, {0x0101, 0x012F, -1, 2},
	{0x0133, 0x0137, -1, 2}, {0x013A, 0x0148, -1, 2}, {0x014B, 0x0177, -1, 2},
	{0x017A, 0x017E, -1, 2}, {0x0180, 0x0180, 195, 1}, {0x0183, 0x0185, -1, 2},
	{0x0188, 0x0188, -1, 1}, {0x018C, 0x018C, -1, 1}, {0x0192, 0x0192, -1, 1},
	{0x0195, 0x0195, 97, 1}, {0x0199, 0x0199, -1, 1}, {0x019A, 0x019A, 163, 1},
	{0x019B, 0x019B, 42561, 1}, {0x019E, 0x019E, 130, 1}, {0x01A1, 0x01A5, -1, 2},
	{0x01A8, 0x01A8, -1, 1}, {0x01AD, 0x01AD, -1, 1}, {0x01B0, 0x01B0, -1, 1},
	{0x01B4, 0x01B6, -1, 2}, {0x01B9, 0x01B9, -1, 1}, {0x01BD, 0x01BD, -1, 1},
	{0x01BF, 0x01BF, 56, 1}, {0x01C5, 0x01C5, -1, 1}, {0x01C6, 0x01C6, -2, 1},
	{0x01C8, 0x01C8, -1, 1}, {0x01C9, 0x01C9, -2, 1}, {0x01CB, 0x01CB, -1, 1},
	{0x01CC, 0x01CC, -2, 1}, {0x01CE, 0x01DC, -1, 2}, {0x01DD, 0x01DD, -79, 1},
	{0x01DF, 0x01EF, -1, 2}, {0x01F2, 0x01F2, -1, 1}, {0x01F3, 0x01F3, -2, 1},
	{0x01F5, 0x01F5, -1, 1}, {0x01F9, 0x021F, -1, 2}, {0x0223, 0x0233, -1, 2},
	{0x023C, 0x023C, -1, 1}, {0x023F, 0x0240, 10815, 1}, {0x0242, 0x0242, -1, 1},
	{0x0247, 0x024F, -1, 2}, {0x0250, 0x0250, 10783, 1}, {0x0251, 0x0251, 10780, 1},
	{0x0252, 0x0252, 10782, 1}, {0x0253, 0x0253, -210, 1}, {0x0254, 0x0254, -206, 1},
	{0x0256, 0x0257, -205, 1}, {0x0259, 0x0259, -202, 1}, {0x025B, 0x025B, -203, 1},
	{0x025C, 0x025C, 42319, 1}, {0x0260, 0x0260, -205, 1}, {0x0261, 0x0261, 42315, 1},
	{0x0263, 0x0263, -207, 1}, {0x0264, 0x0264, 42343, 1}, {0x0265, 0x0265, 42280, 1},
	{0x0266, 0x0266, 42308, 1}, {0x0268, 0x0268, -209, 1}, {0x0269, 0x0269, -211, 1},
	{0x026A, 0x026A, 42308, 1}, {0x026B, 0x026B, 10743, 1}, {0x026C, 0x026C, 42305, 1},
	{0x026F, 0x026F, -211, 1}, {0x0271, 0x0271, 10749, 1}, {0x0272, 0x0272, -213, 1},
	{0x0275, 0x0275, -214, 1}, {0x027D, 0x027D, 10727, 1}, {0x0280, 0x0280, -218, 1},
	{0x0282, 0x0282, 42307, 1}, {0x0283, 0x0283, -218, 1}, {0x0287, 0x0287, 42282, 1},
	{0x0288, 0x0288, -218, 1}, {0x0289, 0x0289, -69, 1}, {0x028A, 0x028B, -217, 1},
	{0x028C, 0x028C, -71, 1}, {0x0292, 0x0292, -219, 1}, {0x029D, 0x029D, 42261, 1},
	{0x029E, 0x029E, 42258, 1}, {0x0345, 0x0345, 84, 1}, {0x0371, 0x0373, -1, 2},
	{0x0377, 0x0377, -1, 1}, {0x037B, 0x037D, 130, 1}, {0x03AC, 0x03AC, -38, 1},
	{0x03AD, 0x03AF, -37, 1}, {0x03B1, 0x03C1, -32, 1}, {0x03C2, 0x03C2, -31, 1},
	{0x03C3, 0x03CB, -32, 1}, {0x03CC, 0x03CC, -64, 1}, {0x03CD, 0x03CE, -63, 1},
	{0x03D0, 0x03D0, -62, 1}, {0x03D1, 0x03D1, -57, 1}, {0x03D5, 0x03D5, -47, 1},
	{0x03D6, 0x03D6, -54, 1}, {0x03D7, 0x03D7, -8, 1}, {0x03D9, 0x03EF, -1, 2},
	{0x03F0, 0x03F0, -86, 1}, {0x03F1, 0x03F1, -80, 1}, {0x03F2, 0x03F2, 7, 1},
	{0x03F3, 0x03F3, -116, 1}, {0x03F5, 0x03F5, -96, 1}, {0x03F8, 0x03F8, -1, 1},
	{0x03FB, 0x03FB, -1, 1}, {0x0430, 0x044F, -32, 1}, {0x0450, 0x045F, -80, 1},
	{0x0461, 0x0481, -1, 2}, {0x048B, 0x04BF, -1, 2}, {0x04C2, 0x04CE, -1, 2},
	{0x04CF, 0x04CF, -15, 1}, {0x04D1, 0x052F, -1, 2}, {0x0561, 0x0586, -48, 1},
	{0x10D0, 0x10FA, 3008, 1}, {0x10FD, 0x10FF, 3008, 1}, {0x13F8, 0x13FD, -8, 1},
	{0x1C80, 0x1C80, -6254, 1}, {0x1C81, 0x1C81, -6253, 1}, {0x1C82, 0x1C82, -6244, 1},
	{0x1C83, 0x1C84, -6242, 1}, {0x1C85, 0x1C85, -6243, 1}, {0x1C86, 0x1C86, -6236, 1},
	{0x1C87, 0x1C87, -6181, 1}, {0x1C88, 0x1C88, 35266, 1}, {0x1C8A, 0x1C8A, -1, 1},
	{0x1D79, 0x1D79, 35332, 1}, {0x1D7D, 0x1D7D, 3814, 1}, {0x1D8E, 0x1D8E, 35384, 1},
	{0x1E01, 0x1E95, -1, 2}, {0x1E9B, 0x1E9B, -59, 1}, {0x1EA1, 0x1EFF, -1, 2},
	{0x1F00, 0x1F07, 8, 1}, {0x1F10, 0x1F15, 8, 1}, {0x1F20, 0x1F27, 8, 1},
	{0x1F30, 0x1F37, 8, 1}, {0x1F40, 0x1F45, 8, 1}, {0x1F51, 0x1F57, 8, 2},
	{0x1F60, 0x1F67, 8, 1}, {0x1F70, 0x1F71, 74, 1}, {0x1F72, 0x1F75, 86, 1},
	{0x1F76, 0x1F77, 100, 1}, {0x1F78, 0x1F79, 128, 1}, {0x1F7A, 0x1F7B, 112, 1},
	{0x1F7C, 0x1F7D, 126, 1}, {0x1FB0, 0x1FB1, 8, 1}, {0x1FBE, 0x1FBE, -7205, 1},
	{0x1FD0, 0x1FD1, 8, 1}, {0x1FE0, 0x1FE1, 8, 1}, {0x1FE5, 0x1FE5, 7, 1},
	{0x214E, 0x214E, -28, 1}, {0x2170, 0x217F, -16, 1}, {0x2184, 0x2184, -1, 1},
	{0x24D0, 0x24E9, -26, 1}, {0x2C30, 0x2C5F, -48, 1}, {0x2C61, 0x2C61, -1, 1},
	{0x2C65, 0x2C65, -10795, 1}, {0x2C66, 0x2C66, -10792, 1}, {0x2C68, 0x2C6C, -1, 2},
	{0x2C73, 0x2C73, -1, 1}, {0x2C76, 0x2C76, -1, 1}, {0x2C81, 0x2CE3, -1, 2},
	{0x2CEC, 0x2CEE, -1, 2}, {0x2CF3, 0x2CF3, -1, 1}, {0x2D00, 0x2D25, -7264, 1},
	{0x2D27, 0x2D27, -7264, 1}, {0x2D2D, 0x2D2D, -7264, 1}, {0xA641, 0xA66D, -1, 2},
	{0xA681, 0xA69B, -1, 2}, {0xA723, 0xA72F, -1, 2}, {0xA733, 0xA76F, -1, 2},
	{0xA77A, 0xA77C, -1, 2}, {0xA77F, 0xA787, -1, 2}, {0xA78C, 0xA78C, -1, 1},
	{0xA791, 0xA793, -1, 2}, {0xA794, 0xA794, 48, 1}, {0xA797, 0xA7A9, -1, 2},
	{0xA7B5, 0xA7C3, -1, 2}, {0xA7C8, 0xA7CA, -1, 2}, {0xA7CD, 0xA7DB, -1, 2},
	{0xA7F6, 0xA7F6, -1, 1}, {0xAB53, 0xAB53, -928, 1}, {0xAB70, 0xABBF, -38864, 1},
	{0xFF41, 0xFF5A, -32, 1},
};

static uint16_t canon(uint16_t c)
{
	size_t lo = 0, hi = sizeof canon_runs / sizeof canon_runs[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c < canon_runs[mid].first)
			hi = mid;
		else if (c > canon_runs[mid].last)
			lo = mid + 1;
		else
			return (uint16_t)((c - canon_runs[mid].first) % canon_runs[mid].stride
			                      ? c
			                      : c + canon_runs[mid].delta);
	}
	return c;
}

static int lit_at(jn_u16 s, size_t pos, jn_u16 lit)
{
	if (lit.n > s.n - pos)
		return 0;
	for (size_t i = 0; i < lit.n; i++)
		if (canon(s.p[pos + i]) != canon(lit.p[i]))
			return 0;
	return 1;
}

static int lit_ascii_at(jn_u16 s, size_t pos, const char *w)
{
	size_t i = 0;
	for (; w[i]; i++)
		if (pos + i >= s.n || jn_pic_ascii_upper(s.p[pos + i]) != jn_pic_ascii_upper((uint8_t)w[i]))
			return 0;
	return (int)i;
}

static int is_digit(uint16_t c) { return c >= '0' && c <= '9'; }
static int is_alpha(uint16_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_roman(uint16_t c) { return c < 128 && strchr("MDCLXVImdclxvi", (char)c) && c; }
static int is_line_term(uint16_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }

static size_t run(jn_u16 s, size_t pos, int (*cls)(uint16_t))
{
	size_t n = 0;
	while (pos + n < s.n && cls(s.p[pos + n]))
		n++;
	return n;
}

/* The candidate ends of one part at one start, produced one at a time in
 * the order a backtracking regular expression engine tries them. */
typedef struct gen {
	size_t part, start;
	int state;
	size_t i, j, max_i, max_j;
	/* PM_WORDS: an explicit stack of (position, next alternative) */
	size_t *wpos, *walt;
	size_t wn, wcap;
	int pending; /* PM_WORDS: the top frame's end has yet to be offered */
	/* PM_SEQ: alternative, current atom, and per atom its start and the
	 * length being tried with its bounds */
	int alt, k;
	size_t apos[MAX_ATOMS], alen[MAX_ATOMS], alo[MAX_ATOMS], ahi[MAX_ATOMS];
} gen;

typedef struct matcher {
	arena *a;
	jn_u16 s;
	pmatch *pm;
	size_t n;
	unsigned long steps; /* work done, against STEP_BUDGET */
	unsigned char *dead;  /* (part, pos) from which the rest cannot match */
	unsigned char *wdead; /* PM_WORDS (part, pos): no iteration from pos leads to a match */
} matcher;

/* Backtracking steps allowed for one match. The memoised search is
 * polynomial, but pictures can still be built to make it long; past this
 * the parse fails with an error rather than run on. */
#define STEP_BUDGET 50000000ul

#define DEAD(m, part, pos) ((m)->dead[(part) * ((m)->s.n + 1) + (pos)])
#define WDEAD(m, part, pos) ((m)->wdead[(part) * ((m)->s.n + 1) + (pos)])

static size_t word_alternatives(void) { return jn_pic_word_count() + 2; }

/* End of alternative k of the words expression at pos, or 0 (none of them
 * matches the empty string). */
static size_t word_alt(jn_u16 s, size_t pos, size_t k)
{
	size_t nw = jn_pic_word_count();
	if (k < nw) {
		int l = lit_ascii_at(s, pos, jn_pic_word_at(k));
		return l ? pos + (size_t)l : 0;
	}
	if (k == nw) {
		int l = lit_ascii_at(s, pos, "and");
		return l ? pos + (size_t)l : 0;
	}
	return (pos < s.n && (s.p[pos] == '-' || s.p[pos] == ',' || s.p[pos] == ' ')) ? pos + 1 : 0;
}

static void wpush(matcher *m, gen *g, size_t pos)
{
	if (g->wn == g->wcap) {
		size_t cap = g->wcap ? g->wcap * 2 : 16;
		g->wpos = arena_realloc(m->a, g->wpos, g->wcap * sizeof *g->wpos, cap * sizeof *g->wpos);
		g->walt = arena_realloc(m->a, g->walt, g->wcap * sizeof *g->walt, cap * sizeof *g->walt);
		g->wcap = cap;
	}
	g->wpos[g->wn] = pos;
	g->walt[g->wn] = 0;
	g->wn++;
}

/* Next candidate end of the words loop `(?:w1|w2|...)+` started at
 * g->start: depth first, each iteration's alternatives in order, a longer
 * loop before a shorter one. Frames: wpos[k] is where iteration k+1
 * starts, walt[k] the next alternative to try there. */
static int words_next(matcher *m, gen *g, size_t *end)
{
	if (g->state == 0) {
		g->state = 1;
		wpush(m, g, g->start);
	}
	for (;;) {
		if (++m->steps > STEP_BUDGET || !g->wn)
			return 0;
		size_t top = g->wn - 1;
		if (g->pending) {
			/* the loop beyond this frame's position is exhausted: offer
			 * the position itself as the end of the loop */
			g->pending = 0;
			size_t at = g->wpos[top];
			WDEAD(m, g->part, at) = 1;
			g->wn--;
			*end = at;
			return 1;
		}
		size_t pos = g->wpos[top], k = g->walt[top], e = 0;
		size_t nalt = word_alternatives();
		while (k < nalt && !(e = word_alt(m->s, pos, k)))
			k++;
		if (k >= nalt) {
			/* every alternative at pos has been tried */
			if (top == 0) {
				g->wn = 0;
				return 0;
			}
			g->pending = 1;
			continue;
		}
		g->walt[top] = k + 1;
		if (WDEAD(m, g->part, e)) {
			*end = e; /* nothing beyond e can work; e itself may */
			return 1;
		}
		wpush(m, g, e);
	}
}

static int in_class(unsigned cls, uint16_t c)
{
	return ((cls & C_DIGIT) && is_digit(c)) || ((cls & C_SIGN) && (c == '+' || c == '-')) ||
	       ((cls & C_LBRACKET) && c == '[') || ((cls & C_RBRACKET) && c == ']') ||
	       ((cls & C_ANY) && !is_line_term(c));
}

/* Set up the choices of atom k at position pos; 0 when it cannot match. */
static int seq_enter(matcher *m, gen *g, int k, size_t pos)
{
	const atom *a = &m->pm[g->part].atoms[g->alt][k];
	g->apos[k] = pos;
	if (!a->cls) {
		if (!lit_at(m->s, pos, a->lit))
			return 0;
		g->alo[k] = g->ahi[k] = a->lit.n;
	} else {
		size_t r = 0;
		while (pos + r < m->s.n && in_class(a->cls, m->s.p[pos + r]) && (a->plus || r < 1))
			r++;
		if (!r)
			return 0;
		g->alo[k] = 1;
		g->ahi[k] = r;
	}
	g->alen[k] = a->lazy ? g->alo[k] : g->ahi[k];
	return 1;
}

/* Move atom k to its next choice; 0 when it has none left. */
static int seq_advance(matcher *m, gen *g, int k)
{
	const atom *a = &m->pm[g->part].atoms[g->alt][k];
	if (a->lazy) {
		if (g->alen[k] >= g->ahi[k])
			return 0;
		g->alen[k]++;
	} else {
		if (g->alen[k] <= g->alo[k])
			return 0;
		g->alen[k]--;
	}
	return 1;
}

/* Next end of a sequence of atoms (with up to two alternatives), in
 * backtracking order. g->k is the atom whose current choice is next to
 * be used; -1 means the alternative must be (re)started. */
static int seq_next(matcher *m, gen *g, size_t *end)
{
	const pmatch *p = &m->pm[g->part];
	if (g->state == 0) {
		g->state = 1;
		g->alt = 0;
		g->k = -1;
	}
	for (;;) {
		if (++m->steps > STEP_BUDGET)
			return 0;
		if (g->alt >= p->nalts)
			return 0;
		int last = p->natoms[g->alt] - 1;
		if (g->k == -1) {
			if (!seq_enter(m, g, 0, g->start)) {
				g->alt++;
				continue;
			}
			g->k = 0;
		}
		int k = g->k;
		if (k == last) {
			*end = g->apos[k] + g->alen[k];
			/* step back to the next choice for the following call */
			while (g->k >= 0 && !seq_advance(m, g, g->k))
				g->k--;
			if (g->k < 0) {
				g->alt++;
				g->k = -1;
			}
			return 1;
		}
		if (seq_enter(m, g, k + 1, g->apos[k] + g->alen[k])) {
			g->k = k + 1;
			continue;
		}
		while (g->k >= 0 && !seq_advance(m, g, g->k))
			g->k--;
		if (g->k < 0) {
			g->alt++;
			g->k = -1;
		}
	}
}

static int gen_next(matcher *m, gen *g, size_t *end)
{
	const pmatch *p = &m->pm[g->part];
	jn_u16 s = m->s;
	size_t pos = g->start;
	switch (p->kind) {
	case PM_LIT:
		if (g->state++ == 0 && lit_at(s, pos, p->lit)) {
			*end = pos + p->lit.n;
			return 1;
		}
		return 0;
	case PM_ALPHA:
	case PM_ROMAN: {
		if (g->state == 0) {
			g->state = 1;
			g->i = run(s, pos, p->kind == PM_ALPHA ? is_alpha : is_roman);
		}
		if (g->i == 0)
			return 0;
		*end = pos + g->i--;
		return 1;
	}
	case PM_DIGITS: {
		if (g->state == 0) {
			g->state = 1;
			size_t r = run(s, pos, is_digit);
			if (p->count > 0) {
				g->i = (double)r >= p->count ? (size_t)p->count : 0;
				g->max_i = g->i; /* exact: one candidate */
				if (!g->i)
					return 0;
			} else {
				g->i = r;
			}
		}
		while (g->i > 0) {
			if (++m->steps > STEP_BUDGET)
				return 0;
			size_t at = pos + g->i;
			if (p->count > 0)
				g->i = 0;
			else
				g->i--;
			if (p->ordinal) {
				static const char *const sfx[] = {"th", "st", "nd", "rd"};
				int ok = 0;
				for (int k = 0; k < 4 && !ok; k++)
					ok = lit_ascii_at(s, at, sfx[k]) == 2;
				if (!ok)
					continue;
				at += 2;
			}
			if (p->lit.n) {
				if (!lit_at(s, at, p->lit))
					continue;
				at += p->lit.n;
			}
			*end = at;
			return 1;
		}
		return 0;
	}
	case PM_SEQ:
		return seq_next(m, g, end);
	case PM_NEVER:
		return 0;
	case PM_WORDS:
		return words_next(m, g, end);
	}
	return 0;
}

static int match_all(matcher *m)
{
	if (!m->n)
		return m->s.n == 0;
	size_t cap = m->n;
	gen *st = arena_calloc(m->a, cap * sizeof *st);
	size_t depth = 0;
	st[0].part = 0;
	st[0].start = 0;
	depth = 1;
	while (depth) {
		if (++m->steps > STEP_BUDGET)
			return -1;
		gen *g = &st[depth - 1];
		size_t end;
		if (!gen_next(m, g, &end)) {
			DEAD(m, g->part, g->start) = 1;
			depth--;
			continue;
		}
		m->pm[g->part].cap_s = g->start;
		m->pm[g->part].cap_e = end;
		if (g->part + 1 == m->n) {
			if (end == m->s.n)
				return 1;
			continue;
		}
		if (DEAD(m, g->part + 1, end))
			continue;
		gen *ng = &st[depth++];
		memset(ng, 0, sizeof *ng);
		ng->part = g->part + 1;
		ng->start = end;
	}
	return 0;
}

/* The component values the parser collects: a number, undefined, or an
 * object (what the reference's am/pm table gives for "constructor" and
 * the like: truthy, but not the number 1). */
typedef struct comp {
	int defined, object;
	double v;
} comp;

static int truthy(const comp *c) { return c->defined && (c->object || (c->v != 0 && !isnan(c->v))); }

static int comp_index(uint16_t c)
{
	static const char keys[] = "YMDdFWwXxHhmsfPZz";
	const char *k = c && c < 128 ? strchr(keys, (char)c) : NULL;
	return k ? (int)(k - keys) : -1;
}

static atom lit_atom(jn_u16 lit)
{
	atom t = {lit, 0, 0, 0};
	return t;
}

static atom class_atom(unsigned cls, int plus, int lazy)
{
	atom t = {{NULL, 0}, cls, plus, lazy};
	return t;
}

/* The timezone expression: (GMT)?[-+][0-9]+ and, when the picture groups
 * its digits regularly, the separator and [0-9]+. The reference pastes
 * the separator into the expression unescaped, so a character that means
 * something there changes the expression; those are reproduced here.
 * Returns 1 when the expression would not compile. */
static int tz_matcher(arena *a, const dt_part *p, pmatch *q)
{
	static const uint16_t gmt_units[3] = {'G', 'M', 'T'};
	static const uint16_t bracket_units[4] = {'[', '0', '-', '9'};
	jn_u16 gmt = {gmt_units, 3};
	q->kind = PM_SEQ;
	q->gmt = p->component == 'z';
	q->nalts = 1;
	atom *t = q->atoms[0];
	int n = 0;
	if (q->gmt)
		t[n++] = lit_atom(gmt);
	t[n++] = class_atom(C_SIGN, 0, 0);
	t[n++] = class_atom(C_DIGIT, 1, 0);
	if (p->ifmt.primary == JN_PIC_DECIMAL && p->ifmt.regular) {
		q->has_sep = 1;
		q->sep = p->ifmt.seps[0].ch;
		uint16_t c = q->sep.n == 1 ? q->sep.p[0] : 0;
		switch (c) {
		case '(': case ')': case '*': case '+':
			return 1;
		case '^': case '$': /* an anchor in the middle: never matches */
			q->kind = PM_NEVER;
			break;
		case '.':
			t[n++] = class_atom(C_ANY, 0, 0);
			t[n++] = class_atom(C_DIGIT, 1, 0);
			break;
		case '?': /* makes the first run lazy */
			t[n - 1].lazy = 1;
			t[n++] = class_atom(C_DIGIT, 1, 0);
			break;
		case '[': /* opens a class: [[0-9]+ */
			t[n++] = class_atom(C_DIGIT | C_LBRACKET, 1, 0);
			break;
		case '\\': { /* escapes the bracket: the text "[0-9" then ]+ */
			jn_u16 br = {bracket_units, 4};
			t[n++] = lit_atom(br);
			t[n++] = class_atom(C_RBRACKET, 1, 0);
			break;
		}
		case '|': /* splits the expression: (GMT)?[-+][0-9]+ or [0-9]+ */
			q->nalts = 2;
			q->natoms[1] = 1;
			q->atoms[1][0] = class_atom(C_DIGIT, 1, 0);
			break;
		default:
			t[n++] = lit_atom(q->sep);
			t[n++] = class_atom(C_DIGIT, 1, 0);
		}
	}
	(void)a;
	q->natoms[0] = n;
	return 0;
}

static int build_matchers(arena *a, const dt_spec *spec, pmatch *pm, jn_pic_err *e)
{
	int regex_error = 0;
	for (size_t i = 0; i < spec->n; i++) {
		const dt_part *p = &spec->parts[i];
		pmatch *q = &pm[i];
		memset(q, 0, sizeof *q);
		q->part = p;
		if (p->literal) {
			q->kind = PM_LIT;
			q->lit = p->text;
		} else if (p->component == 'Z' || p->component == 'z') {
			if (tz_matcher(a, p, q))
				regex_error = 1;
		} else if (p->component == 'f') {
			q->kind = PM_DIGITS;
		} else if (p->has_int) {
			switch (p->ifmt.primary) {
			case JN_PIC_LETTERS: q->kind = PM_ALPHA; break;
			case JN_PIC_ROMAN: q->kind = PM_ROMAN; break;
			case JN_PIC_WORDS: q->kind = PM_WORDS; break;
			case JN_PIC_DECIMAL: {
				q->kind = PM_DIGITS;
				q->ordinal = p->ifmt.ordinal;
				double w = p->ifmt.parse_width;
				if (w != 0 && !isnan(w)) {
					if (w > 0 && w == floor(w) && w < 1e21) {
						q->count = w;
					} else {
						/* not a quantifier: "{...}" is literal text */
						char num[40];
						jn_u16b lb;
						jn_pic_u16b_init(&lb, a);
						jn_pic_js_num_str(w, num);
						jn_pic_u16b_push(&lb, '{');
						jn_pic_u16b_ascii(&lb, num);
						jn_pic_u16b_push(&lb, '}');
						q->lit = jn_pic_u16b_get(&lb);
						q->count = 1;
					}
				}
				break;
			}
			case JN_PIC_SEQUENCE: {
				char json[256];
				jn_pic_json_str(p->ifmt.token, json, sizeof json);
				return jn_pic_fail(e, "D3130", json);
			}
			}
		} else {
			uint16_t c = p->component;
			if (c != 'M' && c != 'x' && c != 'F' && c != 'P') {
				char json[16];
				jn_u16 cs = {&p->component, c ? 1 : 0};
				jn_pic_json_str(cs, json, sizeof json);
				return jn_pic_fail(e, "D3133", json);
			}
			q->kind = PM_ALPHA;
		}
	}
	if (regex_error)
		return jn_pic_fail_js(e, "Invalid regular expression: nothing to repeat or unbalanced parenthesis");
	return 0;
}

/* A name part's value: the reference looks the captured text up exactly
 * (case-sensitively) in a table of names cut to the width's maximum. */
static comp name_value(const dt_part *p, jn_u16 text)
{
	comp r = {0, 0, 0};
	uint16_t c = p->component;
	int cut = p->has_width && p->has_max && p->max != 0 && !isnan(p->max);
	if (c == 'M' || c == 'x' || c == 'F') {
		const char *const *names = c == 'F' ? day_names + 1 : month_names;
		int count = c == 'F' ? 7 : 12;
		/* later names win where cut names collide */
		for (int i = count; i-- > 0;) {
			jn_u16 full;
			uint16_t buf[16];
			size_t n = strlen(names[i]);
			for (size_t k = 0; k < n; k++)
				buf[k] = (uint8_t)names[i][k];
			full.p = buf;
			full.n = n;
			jn_u16 key = cut ? jn_pic_u16_sub(full, 0, p->max) : full;
			if (jn_pic_u16_eq(key, text)) {
				r.defined = 1;
				r.v = i + 1;
				return r;
			}
		}
		return r;
	}
	/* P: a plain object, so inherited property names are found too */
	static const char *const protos[] = {"constructor", "hasOwnProperty", "isPrototypeOf",
		"propertyIsEnumerable", "toLocaleString", "toString", "valueOf"};
	if (jn_pic_u16_eq_ascii(text, "am") || jn_pic_u16_eq_ascii(text, "AM")) {
		r.defined = 1;
		r.v = 0;
	} else if (jn_pic_u16_eq_ascii(text, "pm") || jn_pic_u16_eq_ascii(text, "PM")) {
		r.defined = 1;
		r.v = 1;
	} else {
		for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++)
			if (jn_pic_u16_eq_ascii(text, protos[i]))
				r.defined = r.object = 1;
	}
	return r;
}

static int tz_value(arena *a, const pmatch *q, jn_u16 value, comp *out)
{
	if (q->gmt)
		value = jn_pic_u16_sub(value, 3, (double)value.n);
	double h = 0, mi = 0;
	if (q->has_sep) {
		long at = jn_pic_u16_index(value, q->sep, 0);
		h = jn_pic_js_parse_int(jn_pic_u16_sub(value, 0, (double)at));
		mi = jn_pic_js_parse_int(jn_pic_u16_sub(value, (double)at + 1, (double)value.n));
	} else if (value.n - 1 <= 2) {
		h = jn_pic_js_parse_int(value);
	} else {
		h = jn_pic_js_parse_int(jn_pic_u16_sub(value, 0, 3));
		mi = jn_pic_js_parse_int(jn_pic_u16_sub(value, 3, (double)value.n));
	}
	(void)a;
	out->defined = 1;
	out->v = h * 60 + mi;
	return 0;
}

static int part_value(arena *a, const pmatch *q, jn_u16 value, comp *out, jn_pic_err *e)
{
	const dt_part *p = q->part;
	memset(out, 0, sizeof *out);
	if (p->component == 'Z' || p->component == 'z')
		return tz_value(a, q, value, out);
	if (p->component == 'f') {
		char buf[8] = "0.";
		for (size_t i = 0; i < 3 && i < value.n; i++)
			buf[2 + i] = (char)value.p[i];
		buf[2 + (value.n < 3 ? value.n : 3)] = '\0';
		out->defined = 1;
		out->v = jn_pic_js_parse_float_ascii(buf) * 1000;
		return 0;
	}
	if (p->has_int) {
		out->defined = 1;
		switch (p->ifmt.primary) {
		case JN_PIC_LETTERS:
			out->v = jn_pic_letters_value(value, p->ifmt.tcase == JN_PIC_UPPER ? 'A' : 'a');
			return 0;
		case JN_PIC_ROMAN:
			out->v = jn_pic_roman_value(value, p->ifmt.tcase == JN_PIC_UPPER);
			return 0;
		case JN_PIC_WORDS:
			out->v = jn_pic_words_value(a, value);
			return 0;
		default:
			return jn_pic_decimal_value(a, value, &p->ifmt, &out->v, e);
		}
	}
	*out = name_value(p, value);
	return 0;
}

/* Which components are present, as bits in the order of keys. */
static unsigned presence(const comp *c, const char *keys)
{
	unsigned mask = 0;
	for (const char *k = keys; *k; k++)
		mask = (mask << 1) | (unsigned)truthy(&c[comp_index((uint8_t)*k)]);
	return mask;
}

static int is_type(unsigned type, unsigned mask) { return !(~type & mask) && (type & mask); }

static int parse_with_picture(arena *a, jn_u16 s, jn_u16 pic, double now, double *ms, jn_pic_err *e)
{
	dt_spec spec;
	if (analyse_picture(a, pic, &spec, e))
		return -1;
	pmatch *pm = arena_calloc(a, (spec.n + 1) * sizeof *pm);
	if (build_matchers(a, &spec, pm, e))
		return -1;
	matcher m = {a, s, pm, spec.n, 0, NULL, NULL};
	m.dead = arena_calloc(a, (spec.n + 1) * (s.n + 1));
	m.wdead = arena_calloc(a, (spec.n + 1) * (s.n + 1));
	int found = match_all(&m);
	if (found < 0)
		return jn_pic_fail_js(e, "The date/time picture is too complex to match against this string");
	if (!found)
		return 1;

	comp c[17];
	memset(c, 0, sizeof c);
	int any = 0;
	for (size_t i = 0; i < spec.n; i++) {
		if (spec.parts[i].literal)
			continue;
		jn_u16 value = {s.p + pm[i].cap_s, pm[i].cap_e - pm[i].cap_s};
		comp v;
		if (part_value(a, &pm[i], value, &v, e))
			return -1;
		c[comp_index(spec.parts[i].component)] = v;
		any = 1;
	}
	if (!any)
		return 1;

	unsigned dmask = presence(c, "YXMxWwdD");
	int date_a = is_type(161, dmask);
	int date_b = !date_a && is_type(130, dmask);
	int date_c = is_type(84, dmask);
	int date_d = !date_c && is_type(72, dmask);
	unsigned tmask = presence(c, "PHhmsf");
	int time_a = is_type(23, tmask);
	int time_b = !time_a && is_type(47, tmask);

	char comps[16];
	snprintf(comps, sizeof comps, "%s%s", date_b ? "YD" : date_c ? "XxwF" : date_d ? "XWF" : "YMD",
	         time_b ? "Phmsf" : "Hmsf");
	int start_specified = 0, end_specified = 0;
	for (const char *k = comps; *k; k++) {
		comp *x = &c[comp_index((uint8_t)*k)];
		if (!x->defined) {
			x->defined = 1;
			if (start_specified) {
				x->v = strchr("MDd", *k) ? 1 : 0;
				end_specified = 1;
			} else {
				jsval f = fragment(now, (uint8_t)*k);
				x->object = f.k == JV_STR; /* P: "am"/"pm" */
				x->v = f.n;
			}
		} else {
			start_specified = 1;
			if (end_specified)
				return jn_pic_fail(e, "D3136", NULL);
		}
	}
	comp *Y = &c[comp_index('Y')], *M = &c[comp_index('M')], *D = &c[comp_index('D')];
	comp *H = &c[comp_index('H')], *h = &c[comp_index('h')], *P = &c[comp_index('P')];
	double month = M->defined && !M->object && M->v > 0 ? M->v - 1 : 0;
	double day = D->v;
	if (date_b) {
		double jan1 = jn_pic_date_utc(Y->v, 0, 1, 0, 0, 0, 0);
		double t = jn_pic_time_clip(jan1 + (c[comp_index('d')].v - 1) * MS_DAY);
		jn_pic_tm tm;
		jn_pic_tm_of(t, &tm);
		month = tm.month;
		day = tm.day;
	}
	if (date_c || date_d)
		return jn_pic_fail(e, "D3136", NULL);
	double hour = H->v;
	if (time_b) {
		hour = (!h->object && h->v == 12) ? 0 : h->v;
		if (!P->object && P->v == 1)
			hour += 12;
	}
	double t = jn_pic_date_utc(Y->v, month, day, hour, c[comp_index('m')].v, c[comp_index('s')].v,
	                           c[comp_index('f')].v);
	comp *Z = &c[comp_index('Z')], *z = &c[comp_index('z')];
	comp *zone = truthy(Z) ? Z : z;
	if (truthy(zone))
		t -= zone->v * 60 * 1000;
	*ms = t;
	return 0;
}

int jn_pic_parse_datetime_at(const char *s, const char *picture, int64_t now_ms, double *ms, jn_pic_err *e)
{
	arena *a = arena_new();
	double v = NAN;
	int rc;
	if (!picture)
		rc = jn_pic_iso_parse(a, s, &v, e);
	else
		rc = parse_with_picture(a, jn_pic_u16_from_utf8(a, s), jn_pic_u16_from_utf8(a, picture),
		                        (double)now_ms, &v, e);
	if (rc == 0)
		*ms = v;
	arena_free(a);
	return rc;
}

int jn_pic_parse_datetime(const char *s, const char *picture, int64_t *ms, jn_pic_err *e)
{
	double v;
	int rc = jn_pic_parse_datetime_at(s, picture, clk_now_ms(clk_real()), &v, e);
	if (rc == 0) {
		if (isnan(v))
			return 1;
		*ms = (int64_t)v;
	}
	return rc;
}
