/* jn_picture_integer.c - fn:format-integer pictures: decimal, letters, roman, words; $formatInteger and $parseInteger. */
#include "engine/jsonata/jn_picture_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ======================================================================
 * Picture analysis
 * ====================================================================== */

/* Zero digits of the Unicode decimal digit families the reference knows. */
static const uint32_t digit_families[] = {
	0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6,
	0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0,
	0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
	0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
};

static double gcd(double a, double b) { return b == 0 ? a : gcd(b, fmod(a, b)); }

/* The interval at which the separators repeat, or 0 when they are not all
 * the same character at multiples of one interval. */
static double regular_interval(const jn_pic_sep *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!jn_pic_u16_eq(s[i].ch, s[0].ch))
			return 0;
	double factor = s[0].position;
	for (size_t i = 1; i < n; i++)
		factor = gcd(factor, s[i].position);
	for (size_t k = 1; k <= n; k++) {
		int found = 0;
		for (size_t i = 0; i < n && !found; i++)
			found = s[i].position == (double)k * factor;
		if (!found)
			return 0;
	}
	return factor;
}

int jn_pic_int_analyse(arena *a, jn_u16 picture, jn_pic_int_fmt *f, jn_pic_err *e)
{
	memset(f, 0, sizeof *f);
	f->primary = JN_PIC_DECIMAL;
	f->tcase = JN_PIC_LOWER;
	f->mandatory = f->optional = NAN;

	jn_u16 primary = picture;
	long semi = jn_pic_u16_last_index_c(picture, ';');
	if (semi >= 0) {
		primary = jn_pic_u16_sub(picture, 0, (double)semi);
		if ((size_t)semi + 1 < picture.n && picture.p[semi + 1] == 'o')
			f->ordinal = 1;
	}
	if (jn_pic_u16_eq_ascii(primary, "A") || jn_pic_u16_eq_ascii(primary, "a")) {
		f->primary = JN_PIC_LETTERS;
		f->tcase = primary.p[0] == 'A' ? JN_PIC_UPPER : JN_PIC_LOWER;
		return 0;
	}
	if (jn_pic_u16_eq_ascii(primary, "I") || jn_pic_u16_eq_ascii(primary, "i")) {
		f->primary = JN_PIC_ROMAN;
		f->tcase = primary.p[0] == 'I' ? JN_PIC_UPPER : JN_PIC_LOWER;
		return 0;
	}
	if (jn_pic_u16_eq_ascii(primary, "W") || jn_pic_u16_eq_ascii(primary, "w") ||
	    jn_pic_u16_eq_ascii(primary, "Ww")) {
		f->primary = JN_PIC_WORDS;
		f->tcase = primary.n == 2 ? JN_PIC_TITLE : primary.p[0] == 'W' ? JN_PIC_UPPER : JN_PIC_LOWER;
		return 0;
	}

	/* A decimal digit pattern, read right to left so that a separator's
	 * position is the number of digit signs to its right. */
	size_t ncp = 0;
	uint32_t *cps = arena_alloc(a, (primary.n + 1) * sizeof *cps);
	for (size_t i = 0, u; i < primary.n; i += u)
		cps[ncp++] = jn_pic_u16_cp_at(primary, i, &u);
	f->seps = arena_alloc(a, (ncp + 1) * sizeof *f->seps);
	double mandatory = 0, optional = 0, pos = 0;
	uint32_t zero = 0;
	int have_zero = 0;
	for (size_t k = ncp; k-- > 0;) {
		uint32_t cp = cps[k];
		int digit = 0;
		for (size_t g = 0; g < sizeof digit_families / sizeof digit_families[0]; g++) {
			if (cp >= digit_families[g] && cp <= digit_families[g] + 9) {
				digit = 1;
				mandatory++;
				pos++;
				if (!have_zero) {
					zero = digit_families[g];
					have_zero = 1;
				} else if (digit_families[g] != zero) {
					return jn_pic_fail(e, "D3131", NULL);
				}
				break;
			}
		}
		if (digit)
			continue;
		if (cp == '#') {
			pos++;
			optional++;
		} else {
			jn_u16b ch;
			jn_pic_u16b_init(&ch, a);
			jn_pic_u16b_cp(&ch, cp);
			f->seps[f->nseps].position = pos;
			f->seps[f->nseps].ch = jn_pic_u16b_get(&ch);
			f->nseps++;
		}
	}
	if (mandatory == 0) {
		f->primary = JN_PIC_SEQUENCE;
		f->token = primary;
		f->nseps = 0;
		return 0;
	}
	f->has_digits = 1;
	f->zero = zero;
	f->mandatory = mandatory;
	f->optional = optional;
	double every = regular_interval(f->seps, f->nseps);
	if (every > 0) {
		f->regular = 1;
		f->seps[0].position = every;
		f->nseps = 1;
	}
	return 0;
}

/* ======================================================================
 * Words
 * ====================================================================== */

static const char *const few[] = {"Zero", "One", "Two", "Three", "Four", "Five", "Six",
	"Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen",
	"Sixteen", "Seventeen", "Eighteen", "Nineteen"};
static const char *const ordinals[] = {"Zeroth", "First", "Second", "Third", "Fourth", "Fifth",
	"Sixth", "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth",
	"Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"};
static const char *const decades[] = {"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy",
	"Eighty", "Ninety", "Hundred"};
static const char *const magnitudes[] = {"Thousand", "Million", "Billion", "Trillion"};

static void words_of(double num, int prev, int ord, jn_u16b *b)
{
	if (num <= 19) {
		if (prev)
			jn_pic_u16b_ascii(b, " and ");
		jn_pic_u16b_ascii(b, (ord ? ordinals : few)[(int)num]);
	} else if (num < 100) {
		double tens = floor(num / 10), rem = fmod(num, 10);
		if (prev)
			jn_pic_u16b_ascii(b, " and ");
		jn_pic_u16b_ascii(b, decades[(int)tens - 2]);
		if (rem > 0) {
			jn_pic_u16b_push(b, '-');
			words_of(rem, 0, ord, b);
		} else if (ord) {
			b->n--; /* "Twenty" -> "Twentieth" */
			jn_pic_u16b_ascii(b, "ieth");
		}
	} else if (num < 1000) {
		double hundreds = floor(num / 100), rem = fmod(num, 100);
		if (prev)
			jn_pic_u16b_ascii(b, ", ");
		jn_pic_u16b_ascii(b, few[(int)hundreds]);
		jn_pic_u16b_ascii(b, " Hundred");
		if (rem > 0)
			words_of(rem, 1, ord, b);
		else if (ord)
			jn_pic_u16b_ascii(b, "th");
	} else {
		double mag = floor(log10(num) / 3);
		if (mag > 4)
			mag = 4;
		double factor = pow(10, mag * 3);
		double mant = floor(num / factor);
		double rem = num - mant * factor;
		if (prev)
			jn_pic_u16b_ascii(b, ", ");
		words_of(mant, 0, 0, b);
		jn_pic_u16b_push(b, ' ');
		jn_pic_u16b_ascii(b, magnitudes[(int)mag - 1]);
		if (rem > 0)
			words_of(rem, 1, ord, b);
		else if (ord)
			jn_pic_u16b_ascii(b, "th");
	}
}

int jn_pic_words(double v, int ordinal, jn_u16b *b, jn_pic_err *e)
{
	/* The reference recurses without end on NaN and Infinity. */
	if (!isfinite(v) || v < 0)
		return jn_pic_fail_js(e, "Maximum call stack size exceeded");
	words_of(v, 0, ordinal, b);
	return 0;
}

/* The words $parseInteger knows, in the order the reference builds its
 * table (the order matters: it is also the order of the alternatives in
 * the date/time parser's regular expression). */
static const struct {
	const char *w;
	double v;
} word_table[] = {
	{"zero", 0}, {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6},
	{"seven", 7}, {"eight", 8}, {"nine", 9}, {"ten", 10}, {"eleven", 11}, {"twelve", 12},
	{"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17},
	{"eighteen", 18}, {"nineteen", 19},
	{"zeroth", 0}, {"first", 1}, {"second", 2}, {"third", 3}, {"fourth", 4}, {"fifth", 5},
	{"sixth", 6}, {"seventh", 7}, {"eighth", 8}, {"ninth", 9}, {"tenth", 10}, {"eleventh", 11},
	{"twelfth", 12}, {"thirteenth", 13}, {"fourteenth", 14}, {"fifteenth", 15},
	{"sixteenth", 16}, {"seventeenth", 17}, {"eighteenth", 18}, {"nineteenth", 19},
	{"twenty", 20}, {"twentieth", 20}, {"thirty", 30}, {"thirtieth", 30}, {"forty", 40},
	{"fortieth", 40}, {"fifty", 50}, {"fiftieth", 50}, {"sixty", 60}, {"sixtieth", 60},
	{"seventy", 70}, {"seventieth", 70}, {"eighty", 80}, {"eightieth", 80}, {"ninety", 90},
	{"ninetieth", 90}, {"hundred", 100}, {"hundreieth", 100}, {"hundredth", 100},
	{"thousand", 1e3}, {"thousandth", 1e3}, {"million", 1e6}, {"millionth", 1e6},
	{"billion", 1e9}, {"billionth", 1e9}, {"trillion", 1e12}, {"trillionth", 1e12},
};

size_t jn_pic_word_count(void) { return sizeof word_table / sizeof word_table[0]; }
const char *jn_pic_word_at(size_t i) { return word_table[i].w; }

/* The value of one lower-cased part, or NaN when it is not a word. */
static double word_value(jn_u16 part)
{
	for (size_t i = 0; i < sizeof word_table / sizeof word_table[0]; i++)
		if (jn_pic_u16_eq_ascii(part, word_table[i].w))
			return word_table[i].v;
	return NAN;
}

/* Length of a separator match (", " / " and " / one space, '\' or '-') at
 * i, or 0. */
static size_t word_sep(jn_u16 t, size_t i)
{
	if (t.p[i] == ',' && i + 1 < t.n && jn_pic_js_space(t.p[i + 1]))
		return 2;
	if (jn_pic_js_space(t.p[i])) {
		if (i + 4 < t.n && t.p[i + 1] == 'a' && t.p[i + 2] == 'n' && t.p[i + 3] == 'd' &&
		    jn_pic_js_space(t.p[i + 4]))
			return 5;
		return 1;
	}
	return (t.p[i] == '\\' || t.p[i] == '-') ? 1 : 0;
}

double jn_pic_words_value(arena *a, jn_u16 text)
{
	/* Lower-case ASCII only: no other character lower-cases into a word. */
	uint16_t *low = arena_alloc(a, (text.n + 1) * sizeof *low);
	for (size_t i = 0; i < text.n; i++)
		low[i] = jn_pic_ascii_lower(text.p[i]);
	jn_u16 t = {low, text.n};

	double *segs = arena_alloc(a, (text.n + 2) * sizeof *segs);
	size_t nseg = 0;
	segs[nseg++] = 0;
	size_t p = 0, q = 0;
	for (;;) {
		size_t m = 0;
		while (q < t.n && !(m = word_sep(t, q)))
			q++;
		jn_u16 part = {t.p + p, q - p};
		double v = word_value(part);
		if (v < 100) {
			double top = segs[--nseg];
			if (top >= 1000) {
				segs[nseg++] = top;
				top = 0;
			}
			segs[nseg++] = top + v;
		} else {
			double top = segs[--nseg];
			segs[nseg++] = top * v; /* NaN for an unknown word */
		}
		if (q >= t.n)
			break;
		p = q = q + m;
	}
	double sum = 0;
	for (size_t i = 0; i < nseg; i++)
		sum += segs[i];
	return sum;
}

/* ======================================================================
 * Roman numerals and letters
 * ====================================================================== */

static const struct {
	double v;
	const char *s;
} roman_table[] = {
	{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
	{40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"},
};

static void roman_of(double v, int upper, jn_u16b *b)
{
	for (size_t i = 0; i < sizeof roman_table / sizeof roman_table[0];) {
		if (v >= roman_table[i].v) {
			for (const char *s = roman_table[i].s; *s; s++)
				jn_pic_u16b_push(b, upper ? jn_pic_ascii_upper((uint8_t)*s) : (uint8_t)*s);
			v -= roman_table[i].v;
			i = 0;
		} else {
			i++;
		}
	}
}

static double roman_digit(uint16_t c)
{
	switch (c) {
	case 'M': return 1000;
	case 'D': return 500;
	case 'C': return 100;
	case 'L': return 50;
	case 'X': return 10;
	case 'V': return 5;
	case 'I': return 1;
	default: return NAN;
	}
}

double jn_pic_roman_value(jn_u16 text, int upper_only)
{
	double decimal = 0, max = 1;
	for (size_t i = text.n; i-- > 0;) {
		uint16_t c = text.p[i];
		if (!upper_only)
			c = c == 0x0131 ? 'I' : jn_pic_ascii_upper(c); /* dotless i upper-cases to I */
		double v = roman_digit(c);
		if (isnan(v))
			return NAN; /* the reference's sum turns NaN here and stays so */
		if (v < max) {
			decimal -= v;
		} else {
			max = v;
			decimal += v;
		}
	}
	return decimal;
}

double jn_pic_letters_value(jn_u16 text, uint16_t a_char)
{
	double decimal = 0;
	for (size_t i = 0; i < text.n; i++)
		decimal += ((double)text.p[text.n - i - 1] - a_char + 1) * pow(26, (double)i);
	return decimal;
}

/* ======================================================================
 * Formatting
 * ====================================================================== */

/* Roman numerals recurse once per symbol in the reference; it runs out of
 * stack a little above nine million. */
#define ROMAN_LIMIT 1e7

static int format_decimal(arena *a, double v, const jn_pic_int_fmt *f, jn_u16b *out, jn_pic_err *e)
{
	jn_u16b s;
	jn_pic_u16b_init(&s, a);
	jn_pic_u16b_num(&s, v);
	double pad = f->mandatory - (double)s.n;
	if (pad > 0) {
		if (pad > JN_PIC_MAX_UNITS)
			return jn_pic_fail_js(e, "Invalid string length");
		jn_u16b p;
		jn_pic_u16b_init(&p, a);
		for (double i = 0; i < pad; i++)
			jn_pic_u16b_push(&p, '0');
		jn_pic_u16b_cat(&p, jn_pic_u16b_get(&s));
		s = p;
	}
	if (f->zero != 0x30) {
		jn_u16b m;
		jn_pic_u16b_init(&m, a);
		jn_u16 src = jn_pic_u16b_get(&s);
		for (size_t i = 0, u; i < src.n; i += u)
			jn_pic_u16b_cp(&m, jn_pic_u16_cp_at(src, i, &u) + f->zero - 0x30);
		s = m;
	}
	jn_u16 str = jn_pic_u16b_get(&s);
	if (f->regular) {
		double every = f->seps[0].position;
		double n = floor(((double)str.n - 1) / every);
		jn_u16b g;
		jn_pic_u16b_init(&g, a);
		size_t first = n > 0 ? str.n - (size_t)(n * every) : str.n;
		jn_pic_u16b_cat(&g, jn_pic_u16_sub(str, 0, (double)first));
		for (size_t at = first; at < str.n; at += (size_t)every) {
			jn_pic_u16b_cat(&g, f->seps[0].ch);
			jn_pic_u16b_cat(&g, jn_pic_u16_sub(str, (double)at, (double)at + every));
		}
		str = jn_pic_u16b_get(&g);
	} else {
		/* Inserted one by one from the last found (leftmost) with substr's
		 * rules, which lose digits when a separator lies beyond the
		 * number's length, as the reference's output does. */
		for (size_t k = f->nseps; k-- > 0;) {
			double pos = (double)str.n - f->seps[k].position;
			jn_u16b g;
			jn_pic_u16b_init(&g, a);
			jn_pic_u16b_cat(&g, jn_pic_u16_substr(str, 0, pos));
			jn_pic_u16b_cat(&g, f->seps[k].ch);
			jn_pic_u16b_cat(&g, jn_pic_u16_substr(str, pos, INFINITY));
			str = jn_pic_u16b_get(&g);
		}
	}
	jn_pic_u16b_cat(out, str);
	if (f->ordinal) {
		uint16_t last = str.n ? str.p[str.n - 1] : 0;
		const char *suffix = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : NULL;
		if (!suffix || (str.n > 1 && str.p[str.n - 2] == '1'))
			suffix = "th";
		jn_pic_u16b_ascii(out, suffix);
	}
	return 0;
}

int jn_pic_int_format(arena *a, double v, const jn_pic_int_fmt *f, jn_u16b *b, jn_pic_err *e)
{
	int negative = v < 0;
	v = fabs(v);
	jn_u16b s;
	jn_pic_u16b_init(&s, a);
	switch (f->primary) {
	case JN_PIC_LETTERS: {
		if (isinf(v))
			return jn_pic_fail_js(e, "Invalid array length");
		uint16_t base = f->tcase == JN_PIC_UPPER ? 'A' : 'a';
		while (v > 0) {
			jn_pic_u16b_push(&s, (uint16_t)(fmod(v - 1, 26) + base));
			v = floor((v - 1) / 26);
		}
		for (size_t i = 0; i < s.n / 2; i++) {
			uint16_t t = s.p[i];
			s.p[i] = s.p[s.n - 1 - i];
			s.p[s.n - 1 - i] = t;
		}
		break;
	}
	case JN_PIC_ROMAN:
		if (v >= ROMAN_LIMIT)
			return jn_pic_fail_js(e, "Maximum call stack size exceeded");
		roman_of(v, f->tcase == JN_PIC_UPPER, &s);
		break;
	case JN_PIC_WORDS:
		if (jn_pic_words(v, f->ordinal, &s, e))
			return -1;
		for (size_t i = 0; i < s.n; i++) {
			if (f->tcase == JN_PIC_UPPER)
				s.p[i] = jn_pic_ascii_upper(s.p[i]);
			else if (f->tcase == JN_PIC_LOWER)
				s.p[i] = jn_pic_ascii_lower(s.p[i]);
		}
		break;
	case JN_PIC_DECIMAL:
		if (format_decimal(a, v, f, &s, e))
			return -1;
		break;
	case JN_PIC_SEQUENCE: {
		char json[256];
		jn_pic_json_str(f->token, json, sizeof json);
		return jn_pic_fail(e, "D3130", json);
	}
	}
	if (negative)
		jn_pic_u16b_push(b, '-');
	jn_pic_u16b_cat(b, jn_pic_u16b_get(&s));
	return 0;
}

/* ======================================================================
 * Parsing decimal digits
 * ====================================================================== */

int jn_pic_decimal_value(arena *a, jn_u16 text, const jn_pic_int_fmt *f, double *v, jn_pic_err *e)
{
	jn_u16 digits = text;
	static const uint16_t nothing = 0;
	jn_u16 none = {&nothing, 0};
	if (f->ordinal)
		digits = jn_pic_u16_sub(digits, 0, (double)digits.n - 2);
	if (f->regular) {
		/* The reference strips commas here, whatever the separator. */
		static const uint16_t comma = ',';
		jn_u16 c = {&comma, 1};
		digits = jn_pic_u16_replace_all(a, digits, c, none);
	} else {
		for (size_t i = 0; i < f->nseps; i++)
			digits = jn_pic_u16_replace_all(a, digits, f->seps[i].ch, none);
	}
	if (f->zero != 0x30) {
		uint16_t *m = arena_alloc(a, (digits.n + 1) * sizeof *m);
		for (size_t i = 0; i < digits.n; i++) {
			long cp = (long)digits.p[i] - (long)f->zero + 0x30;
			if (cp < 0) {
				char msg[64];
				snprintf(msg, sizeof msg, "Invalid code point %ld", cp);
				return jn_pic_fail_js(e, msg);
			}
			m[i] = (uint16_t)cp;
		}
		digits.p = m;
	}
	*v = jn_pic_js_parse_int(digits);
	return 0;
}

/* ======================================================================
 * $formatInteger and $parseInteger
 * ====================================================================== */

int jn_pic_format_integer(double v, const char *picture, sb *out, jn_pic_err *e)
{
	arena *a = arena_new();
	jn_pic_int_fmt f;
	jn_u16b b;
	jn_pic_u16b_init(&b, a);
	int rc = jn_pic_int_analyse(a, jn_pic_u16_from_utf8(a, picture), &f, e);
	if (!rc)
		rc = jn_pic_int_format(a, floor(v), &f, &b, e);
	if (!rc)
		jn_pic_u16_to_sb(out, jn_pic_u16b_get(&b));
	arena_free(a);
	return rc;
}

int jn_pic_parse_integer(const char *s, const char *picture, double *v, jn_pic_err *e)
{
	arena *a = arena_new();
	jn_pic_int_fmt f;
	int rc = jn_pic_int_analyse(a, jn_pic_u16_from_utf8(a, picture), &f, e);
	jn_u16 text = jn_pic_u16_from_utf8(a, s);
	double r = NAN;
	if (!rc) {
		switch (f.primary) {
		case JN_PIC_LETTERS:
			r = jn_pic_letters_value(text, f.tcase == JN_PIC_UPPER ? 'A' : 'a');
			break;
		case JN_PIC_ROMAN:
			r = jn_pic_roman_value(text, f.tcase == JN_PIC_UPPER);
			break;
		case JN_PIC_WORDS:
			r = jn_pic_words_value(a, text);
			break;
		case JN_PIC_DECIMAL:
			rc = jn_pic_decimal_value(a, text, &f, &r, e);
			break;
		case JN_PIC_SEQUENCE: {
			char json[256];
			jn_pic_json_str(f.token, json, sizeof json);
			rc = jn_pic_fail(e, "D3130", json);
			break;
		}
		}
	}
	if (!rc)
		*v = r;
	arena_free(a);
	return rc;
}
