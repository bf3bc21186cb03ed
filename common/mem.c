/* mem.c - allocation hook, out-of-memory handler and stress-build failures. */
#include "common/mem.h"

#include <cjson/cJSON.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void mem_default_oom(size_t n)
{
	fprintf(stderr, "stepbench: out of memory allocating %zu bytes\n", n);
	abort();
}

static mem_oom_fn oom_handler = mem_default_oom;

#ifdef STEPBENCH_STRESS
static unsigned long fail_countdown;
void mem_fail_nth(unsigned long n) { fail_countdown = n; }
static int mem_should_fail(void)
{
	return fail_countdown && --fail_countdown == 0;
}
#else
#define mem_should_fail() 0
#endif

static void *mem_retry(void *p, size_t n, int is_realloc)
{
	oom_handler(n);
	p = is_realloc ? realloc(p, n ? n : 1) : malloc(n ? n : 1);
	if (!p)
		mem_default_oom(n);
	return p;
}

void *mem_alloc(size_t n)
{
	void *p = mem_should_fail() ? NULL : malloc(n ? n : 1);
	return p ? p : mem_retry(NULL, n, 0);
}

void *mem_calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		mem_default_oom((size_t)-1);
	void *p = mem_alloc(n * size);
	memset(p, 0, n * size);
	return p;
}

void *mem_realloc(void *p, size_t n)
{
	void *q = mem_should_fail() ? NULL : realloc(p, n ? n : 1);
	return q ? q : mem_retry(p, n, 1);
}

void mem_free(void *p) { free(p); }

char *mem_strndup(const char *s, size_t n)
{
	char *d = mem_alloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *mem_strdup(const char *s) { return mem_strndup(s, strlen(s)); }

mem_oom_fn mem_set_oom_handler(mem_oom_fn h)
{
	mem_oom_fn old = oom_handler;
	oom_handler = h ? h : mem_default_oom;
	return old;
}

void mem_init(void)
{
	cJSON_Hooks hooks = {mem_alloc, mem_free};
	cJSON_InitHooks(&hooks);
	/* Server threads build and free a few hundred KB per request: with
	 * glibc's default 128 KB trim threshold every request grows its thread's
	 * heap again (page faults, mprotect) and shrinks it on free (madvise),
	 * which cost more than the request itself (Query halved). Keep freed
	 * memory for reuse instead. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 1 << 20);
	mallopt(M_MMAP_THRESHOLD, 8 << 20);
}
