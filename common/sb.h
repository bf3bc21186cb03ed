/* sb.h - growable, always NUL-terminated string buffer.
 *
 * Ownership: an sb owns its buffer (mem.h heap) until sb_free, or until
 * sb_steal hands it to the caller. A zero-initialised sb (SB_INIT) is empty
 * and valid. Errors: none; out of memory goes to the mem.h handler.
 */
#ifndef STEPBENCH_SB_H
#define STEPBENCH_SB_H

#include <stdarg.h>
#include <stddef.h>

typedef struct sb {
	char *buf; /* NUL-terminated once anything was appended; may be NULL */
	size_t len;
	size_t cap;
} sb;

#define SB_INIT {NULL, 0, 0}

/** Ensure room for n more bytes plus the terminator. */
void sb_grow(sb *s, size_t n);
/** Append n bytes of p. */
void sb_catn(sb *s, const char *p, size_t n);
/** Append the NUL-terminated string p. */
void sb_cat(sb *s, const char *p);
/** Append one byte. */
void sb_catc(sb *s, char c);
/** Append formatted text. */
void sb_printf(sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(sb *s, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/** Append p (n bytes of UTF-8) as a JSON string literal, quotes included. */
void sb_cat_json_str(sb *s, const char *p, size_t n);
/** Append p with the five XML special characters escaped (and control
 *  characters other than tab/newline/CR dropped, as XML 1.0 cannot hold them). */
void sb_cat_xml(sb *s, const char *p, size_t n);
/** The contents as a C string ("" when empty); valid until the next append. */
const char *sb_str(const sb *s);
/** Forget the contents, keep the buffer. */
void sb_clear(sb *s);
/** Release the buffer; s is empty and reusable afterwards. */
void sb_free(sb *s);
/** Hand the buffer (never NULL) to the caller, who mem_free()s it; s becomes empty. */
char *sb_steal(sb *s);

#endif
