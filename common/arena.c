/* arena.c - chunked bump allocator over the mem.h hook. */
#include "common/arena.h"

#include "common/mem.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef STEPBENCH_STRESS
#define ARENA_CHUNK 64 /* tiny chunks shake out size arithmetic */
#else
#define ARENA_CHUNK 8192
#endif
#define ARENA_ALIGN 16

typedef struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
} chunk;

struct arena {
	chunk *head;
	size_t total;
};

static chunk *chunk_new(size_t size)
{
	chunk *c = mem_alloc(sizeof(chunk) + size);
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

arena *arena_new(void)
{
	arena *a = mem_alloc(sizeof *a);
	a->head = NULL;
	a->total = 0;
	return a;
}

static void chunks_free(chunk *c)
{
	while (c) {
		chunk *n = c->next;
		mem_free(c);
		c = n;
	}
}

void arena_free(arena *a)
{
	if (!a)
		return;
	chunks_free(a->head);
	mem_free(a);
}

void arena_reset(arena *a)
{
	if (!a->head)
		return;
	chunk *last = a->head;
	while (last->next)
		last = last->next;
	/* keep the oldest chunk: it is the one a small arena lives in */
	chunk *c = a->head;
	while (c != last) {
		chunk *n = c->next;
		mem_free(c);
		c = n;
	}
	last->used = 0;
	a->head = last;
	a->total = 0;
}

void *arena_alloc(arena *a, size_t n)
{
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < n)
		need = SIZE_MAX - ARENA_ALIGN; /* overflow: let mem_alloc fail */
	chunk *c = a->head;
	if (!c || c->size - c->used < need) {
		/* big requests get a chunk of their own behind the current one so
		 * the current chunk's free space is not wasted */
		if (need > ARENA_CHUNK / 4 && c) {
			chunk *big = chunk_new(need);
			big->used = need;
			big->next = c->next;
			c->next = big;
			a->total += n;
			return big->data;
		}
		c = chunk_new(need > ARENA_CHUNK ? need : ARENA_CHUNK);
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += need;
	a->total += n;
	return p;
}

void *arena_calloc(arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

void *arena_realloc(arena *a, void *p, size_t old, size_t n)
{
	chunk *c = a->head;
	if (p && c) {
		size_t oldr = (old + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
		size_t newr = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
		/* the most recent block of the head chunk can grow in place */
		if ((unsigned char *)p + oldr == c->data + c->used && oldr <= c->used &&
		    newr >= oldr && c->size - (c->used - oldr) >= newr) {
			c->used = c->used - oldr + newr;
			a->total += n - old;
			return p;
		}
	}
	void *q = arena_alloc(a, n);
	if (p)
		memcpy(q, p, old < n ? old : n);
	return q;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	char *s = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

size_t arena_used(const arena *a) { return a->total; }
