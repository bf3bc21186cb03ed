/* sb.c - growable string buffer. */
#include "common/sb.h"

#include "common/mem.h"

#include <stdio.h>
#include <string.h>

void sb_grow(sb *s, size_t n)
{
	if (s->cap - s->len > n)
		return;
	size_t cap = s->cap ? s->cap : 64;
	while (cap - s->len <= n)
		cap *= 2;
	s->buf = mem_realloc(s->buf, cap);
	s->buf[s->len] = '\0'; /* a fresh buffer reads as "" even before any append */
	s->cap = cap;
}

void sb_catn(sb *s, const char *p, size_t n)
{
	sb_grow(s, n);
	if (n)
		memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

void sb_cat(sb *s, const char *p) { sb_catn(s, p, strlen(p)); }

void sb_catc(sb *s, char c)
{
	sb_grow(s, 1);
	s->buf[s->len++] = c;
	s->buf[s->len] = '\0';
}

void sb_vprintf(sb *s, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0) {
		sb_grow(s, 0);
		s->buf[s->len] = '\0';
		return;
	}
	sb_grow(s, (size_t)n);
	vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
	s->len += (size_t)n;
}

void sb_printf(sb *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(s, fmt, ap);
	va_end(ap);
}

void sb_cat_json_str(sb *s, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	sb_grow(s, n + 2);
	sb_catc(s, '"');
	size_t run = 0; /* bytes copied verbatim in one go */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		const char *esc = NULL;
		char u[7];
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (c < 0x20) {
				u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0';
				u[4] = hex[c >> 4], u[5] = hex[c & 15], u[6] = '\0';
				esc = u;
			}
		}
		if (esc) {
			sb_catn(s, p + i - run, run);
			run = 0;
			sb_cat(s, esc);
		} else {
			run++;
		}
	}
	sb_catn(s, p + n - run, run);
	sb_catc(s, '"');
}

void sb_cat_xml(sb *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		switch (c) {
		case '<': sb_cat(s, "&lt;"); break;
		case '>': sb_cat(s, "&gt;"); break;
		case '&': sb_cat(s, "&amp;"); break;
		case '"': sb_cat(s, "&quot;"); break;
		case '\'': sb_cat(s, "&apos;"); break;
		case '\r': sb_cat(s, "&#13;"); break;
		default:
			if (c >= 0x20 || c == '\t' || c == '\n')
				sb_catc(s, (char)c);
		}
	}
}

const char *sb_str(const sb *s) { return s->buf ? s->buf : ""; }

void sb_clear(sb *s)
{
	s->len = 0;
	if (s->buf)
		s->buf[0] = '\0';
}

void sb_free(sb *s)
{
	mem_free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

char *sb_steal(sb *s)
{
	if (!s->buf)
		return mem_strdup("");
	char *b = s->buf;
	s->buf = NULL;
	s->len = s->cap = 0;
	return b;
}
