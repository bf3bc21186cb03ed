/* arena.h - chunked bump allocator for per-request and per-evaluation memory.
 *
 * Ownership: everything allocated from an arena lives until arena_free (or
 * arena_reset) and is never freed one piece at a time. An arena is not
 * thread-safe; give each request, evaluation or scenario its own.
 * Errors: none; out of memory goes to the mem.h handler.
 */
#ifndef STEPBENCH_ARENA_H
#define STEPBENCH_ARENA_H

#include <stddef.h>

typedef struct arena arena;

/** A new empty arena; the caller frees it with arena_free. */
arena *arena_new(void);
/** Release every allocation and the arena itself (NULL is fine). */
void arena_free(arena *a);
/** Release every allocation but keep the first chunk for reuse. */
void arena_reset(arena *a);

/** n bytes aligned for any type, valid until arena_free/arena_reset. */
void *arena_alloc(arena *a, size_t n);
/** n zeroed bytes. */
void *arena_calloc(arena *a, size_t n);
/** Grow the block p (the arena's most recent, or any earlier one of size old)
 *  to n bytes; the contents up to min(old, n) are kept. */
void *arena_realloc(arena *a, void *p, size_t old, size_t n);
/** Copy of s (NUL-terminated) in the arena. */
char *arena_strdup(arena *a, const char *s);
/** Copy of the first n bytes of s, NUL-terminated, in the arena. */
char *arena_strndup(arena *a, const char *s, size_t n);
/** printf into the arena. */
char *arena_printf(arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Total bytes handed out since creation or the last reset (for limits). */
size_t arena_used(const arena *a);

#endif
