/* clock.c - real and virtual clocks; ISO 8601 formatting and parsing. */
#include "common/clock.h"

#include "common/mem.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct clk {
	int is_virtual;
	pthread_mutex_t mu;
	int64_t now_ms;
};

static clk real_clock = {0, PTHREAD_MUTEX_INITIALIZER, 0};

clk *clk_real(void) { return &real_clock; }

clk *clk_virtual_new(int64_t start_ms)
{
	clk *c = mem_alloc(sizeof *c);
	c->is_virtual = 1;
	pthread_mutex_init(&c->mu, NULL);
	c->now_ms = start_ms;
	return c;
}

void clk_free(clk *c)
{
	if (!c || !c->is_virtual)
		return;
	pthread_mutex_destroy(&c->mu);
	mem_free(c);
}

int clk_is_virtual(const clk *c) { return c->is_virtual; }

int64_t clk_now_ms(clk *c)
{
	if (!c->is_virtual) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	}
	pthread_mutex_lock(&c->mu);
	int64_t v = c->now_ms;
	pthread_mutex_unlock(&c->mu);
	return v;
}

void clk_sleep_ms(clk *c, int64_t ms)
{
	if (ms <= 0)
		return;
	if (!c->is_virtual) {
		struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
		while (nanosleep(&ts, &ts) != 0)
			;
		return;
	}
	pthread_mutex_lock(&c->mu);
	c->now_ms += ms;
	pthread_mutex_unlock(&c->mu);
}

void clk_set_ms(clk *c, int64_t ms)
{
	if (!c->is_virtual)
		return;
	pthread_mutex_lock(&c->mu);
	if (ms > c->now_ms)
		c->now_ms = ms;
	pthread_mutex_unlock(&c->mu);
}

/* Howard Hinnant's civil-calendar algorithms, valid for any year. */
int64_t clk_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void clk_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void clk_fmt_iso(int64_t ms, char out[CLK_ISO_LEN])
{
	int64_t days = ms / 86400000, rem = ms % 86400000;
	if (rem < 0) {
		rem += 86400000;
		days--;
	}
	int64_t y;
	int m, d;
	clk_civil_from_days(days, &y, &m, &d);
	snprintf(out, CLK_ISO_LEN, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y, m, d,
	         (int)(rem / 3600000), (int)(rem / 60000 % 60), (int)(rem / 1000 % 60), (int)(rem % 1000));
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int clk_parse_iso(const char *s, int64_t *ms)
{
	int Y, M, D, h, mi, sec, frac = 0;
	const char *p = s;
	if (digits(&p, 4, &Y) || *p++ != '-' || digits(&p, 2, &M) || *p++ != '-' || digits(&p, 2, &D))
		return -1;
	if (*p != 'T' && *p != 't')
		return -1;
	p++;
	if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' || digits(&p, 2, &sec))
		return -1;
	if (*p == '.') {
		p++;
		int n = 0;
		while (*p >= '0' && *p <= '9') {
			if (n < 3)
				frac = frac * 10 + (*p - '0');
			n++;
			p++;
		}
		if (!n)
			return -1;
		for (; n < 3; n++)
			frac *= 10;
	}
	int off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 23 || om > 59)
			return -1;
		off = sign * (oh * 60 + om);
	} else {
		return -1;
	}
	if (*p)
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (M < 1 || M > 12 || D < 1 || D > mdays[M - 1] || h > 23 || mi > 59 || sec > 60)
		return -1;
	int leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
	if (M == 2 && D == 29 && !leap)
		return -1;
	if (sec == 60)
		sec = 59; /* a leap second reads as the second before it */
	int64_t days = clk_days_from_civil(Y, M, D);
	*ms = ((days * 24 + h) * 60 + mi - off) * 60000 + (int64_t)sec * 1000 + frac;
	return 0;
}
