/* mem.h - the one allocation hook every module allocates through.
 *
 * All heap memory in stepbench (arenas, string buffers, cJSON documents once
 * mem_init() has run) comes from mem_alloc/mem_realloc and goes back through
 * mem_free. Keeping one hook lets tests fail chosen allocations (STYLE C6).
 *
 * Out of memory is not an input error: the allocating functions never return
 * NULL. On failure they call the out-of-memory handler, which by default
 * prints a message and aborts; tests may install another (it must not return
 * normally unless it can make the retry succeed — after it returns the
 * allocation is retried once, then the process aborts).
 */
#ifndef STEPBENCH_MEM_H
#define STEPBENCH_MEM_H

#include <stddef.h>

/** Route cJSON's allocations through this hook. Call once at start-up. */
void mem_init(void);

/** Allocate n bytes (n == 0 gives a unique non-NULL pointer). Never NULL. */
void *mem_alloc(size_t n);
/** Allocate n*size zeroed bytes; overflow of n*size is treated as OOM. */
void *mem_calloc(size_t n, size_t size);
/** Resize p (may be NULL) to n bytes. Never NULL. */
void *mem_realloc(void *p, size_t n);
/** Release p (NULL is fine). */
void mem_free(void *p);
/** Copy of the NUL-terminated s; the caller owns it (mem_free). */
char *mem_strdup(const char *s);
/** Copy of the first n bytes of s, NUL-terminated; the caller owns it. */
char *mem_strndup(const char *s, size_t n);

/** Out-of-memory handler: receives the size that could not be allocated. */
typedef void (*mem_oom_fn)(size_t n);
/** Install h (NULL restores the default abort); returns the previous one. */
mem_oom_fn mem_set_oom_handler(mem_oom_fn h);

#ifdef STEPBENCH_STRESS
/** Stress builds only: make the n-th allocation from now fail (0 disables). */
void mem_fail_nth(unsigned long n);
#endif

#endif
