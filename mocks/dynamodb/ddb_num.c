/* ddb_num.c - DynamoDB numbers: exact decimals of up to 38 digits, parsed, compared, added. */
#include <stdio.h>
#include <string.h>

#include "mocks/dynamodb/ddb_int.h"

/* Values are 0.d1d2...dn x 10^exp with d1 != 0 and dn != 0 (zero has n = 0).
 * DynamoDB's range 1E-130 .. 9.99..9E+125 is exp in [-129, 126]. */
#define EXP_MIN (-129)
#define EXP_MAX 126

const char *ddb_num_strerror(int rc)
{
	switch (rc) {
	case DDB_NUM_EOVERFLOW: return "Number overflow. Attempting to store a number with magnitude larger than supported range";
	case DDB_NUM_EUNDERFLOW: return "Number underflow. Attempting to store a number with magnitude smaller than supported range";
	case DDB_NUM_EPRECISION: return "Attempting to store more than 38 significant digits in a Number";
	default: return "A value provided cannot be converted into a number";
	}
}

/* Fits digits (any count, d[0] may be 0, trailing zeros allowed) into n,
 * checking precision and range. */
static int num_finish(ddb_num *n, int sign, const unsigned char *d, int nd, long exp)
{
	int lead = 0;
	while (lead < nd && d[lead] == 0)
		lead++;
	d += lead;
	nd -= lead;
	exp -= lead;
	while (nd > 0 && d[nd - 1] == 0)
		nd--;
	memset(n, 0, sizeof *n);
	if (nd == 0)
		return 0; /* zero, whatever its sign or exponent */
	if (exp > EXP_MAX)
		return DDB_NUM_EOVERFLOW;
	if (exp < EXP_MIN)
		return DDB_NUM_EUNDERFLOW;
	if (nd > DDB_NUM_DIGITS)
		return DDB_NUM_EPRECISION;
	n->sign = sign;
	n->exp = (int)exp;
	n->nd = nd;
	memcpy(n->d, d, (size_t)nd);
	return 0;
}

int ddb_num_parse(const char *s, size_t len, ddb_num *out)
{
	const char *p = s, *end = s + len;
	int sign = 1;
	if (p < end && (*p == '+' || *p == '-'))
		sign = *p++ == '-' ? -1 : 1;
	/* Digits are kept only up to a bound: more than 38 significant ones are
	 * an error anyway, but leading zeros and trailing zeros may be many. */
	unsigned char d[DDB_NUM_DIGITS + 2];
	int nd = 0, seen = 0, dot = 0, sig_started = 0, too_many = 0;
	long exp = 0; /* position of the decimal point relative to d[0] */
	long zeros_pending = 0;
	for (; p < end; p++) {
		if (*p == '.') {
			if (dot)
				return DDB_NUM_EINVALID;
			dot = 1;
			continue;
		}
		if (*p < '0' || *p > '9')
			break;
		seen = 1;
		int v = *p - '0';
		if (!sig_started && v == 0) {
			if (dot)
				exp--;
			continue;
		}
		sig_started = 1;
		if (!dot)
			exp++;
		if (v == 0) {
			zeros_pending++;
			continue;
		}
		/* flush zeros that turned out to be inside the significand */
		for (; zeros_pending > 0; zeros_pending--) {
			if (nd < DDB_NUM_DIGITS + 1)
				d[nd++] = 0;
			else
				too_many = 1;
		}
		if (nd < DDB_NUM_DIGITS + 1)
			d[nd++] = (unsigned char)v;
		else
			too_many = 1;
	}
	if (!seen)
		return DDB_NUM_EINVALID;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		int esign = 1;
		if (p < end && (*p == '+' || *p == '-'))
			esign = *p++ == '-' ? -1 : 1;
		if (p >= end)
			return DDB_NUM_EINVALID;
		long e = 0;
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if (e < 100000000)
				e = e * 10 + (*p - '0');
		exp += esign * e;
	}
	if (p != end)
		return DDB_NUM_EINVALID;
	if (too_many)
		return DDB_NUM_EPRECISION;
	return num_finish(out, sign, d, nd, exp);
}

int ddb_num_cmp(const ddb_num *a, const ddb_num *b)
{
	if (a->sign != b->sign)
		return a->sign < b->sign ? -1 : 1;
	if (a->sign == 0)
		return 0;
	int r;
	if (a->exp != b->exp) {
		r = a->exp < b->exp ? -1 : 1;
	} else {
		r = 0;
		int n = a->nd < b->nd ? a->nd : b->nd;
		for (int i = 0; i < n && !r; i++)
			if (a->d[i] != b->d[i])
				r = a->d[i] < b->d[i] ? -1 : 1;
		if (!r && a->nd != b->nd)
			r = a->nd < b->nd ? -1 : 1;
	}
	return a->sign > 0 ? r : -r;
}

/* Magnitudes as digit arrays aligned on a common exponent: digit i of the
 * array has weight 10^(top - 1 - i). */
#define WIDE (EXP_MAX - EXP_MIN + 2 * DDB_NUM_DIGITS + 4)

static void spread(const ddb_num *a, int top, unsigned char *w)
{
	for (int i = 0; i < a->nd; i++)
		w[top - a->exp + i] = a->d[i];
}

int ddb_num_add(const ddb_num *a, const ddb_num *b, ddb_num *out)
{
	if (a->sign == 0) {
		*out = *b;
		return 0;
	}
	if (b->sign == 0) {
		*out = *a;
		return 0;
	}
	int top = (a->exp > b->exp ? a->exp : b->exp) + 1; /* room for a carry */
	int lo_a = a->exp - a->nd, lo_b = b->exp - b->nd;
	int bottom = lo_a < lo_b ? lo_a : lo_b;
	int width = top - bottom;
	unsigned char x[WIDE], y[WIDE], r[WIDE];
	memset(x, 0, (size_t)width);
	memset(y, 0, (size_t)width);
	spread(a, top, x);
	spread(b, top, y);
	int sign;
	if (a->sign == b->sign) {
		int carry = 0;
		for (int i = width - 1; i >= 0; i--) {
			int v = x[i] + y[i] + carry;
			r[i] = (unsigned char)(v % 10);
			carry = v / 10;
		}
		sign = a->sign;
	} else {
		/* subtract the smaller magnitude from the larger */
		int c = memcmp(x, y, (size_t)width);
		if (c == 0) {
			memset(out, 0, sizeof *out);
			return 0;
		}
		unsigned char *big = c > 0 ? x : y, *small = c > 0 ? y : x;
		sign = c > 0 ? a->sign : b->sign;
		int borrow = 0;
		for (int i = width - 1; i >= 0; i--) {
			int v = big[i] - small[i] - borrow;
			borrow = v < 0;
			r[i] = (unsigned char)(v + (borrow ? 10 : 0));
		}
	}
	return num_finish(out, sign, r, width, top);
}

int ddb_num_sub(const ddb_num *a, const ddb_num *b, ddb_num *out)
{
	ddb_num nb = *b;
	nb.sign = -nb.sign;
	return ddb_num_add(a, &nb, out);
}

size_t ddb_num_format(const ddb_num *n, char *buf)
{
	char *p = buf;
	if (n->sign == 0) {
		strcpy(buf, "0");
		return 1;
	}
	if (n->sign < 0)
		*p++ = '-';
	if (n->exp <= 0) {
		*p++ = '0';
		*p++ = '.';
		for (int i = 0; i < -n->exp; i++)
			*p++ = '0';
		for (int i = 0; i < n->nd; i++)
			*p++ = (char)('0' + n->d[i]);
	} else {
		for (int i = 0; i < n->exp || i < n->nd; i++) {
			if (i == n->exp)
				*p++ = '.';
			*p++ = (char)('0' + (i < n->nd ? n->d[i] : 0));
		}
	}
	*p = 0;
	return (size_t)(p - buf);
}

size_t ddb_num_size(const ddb_num *n) { return (size_t)(n->nd + 1) / 2 + 1; }
