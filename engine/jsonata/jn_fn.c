/* jn_fn.c - the built-in function table (C3): lookup by name, parsed signatures, shared values. */
#include "engine/jsonata/jn_fn.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const jn_builtin table[] = {
#define JN_FN(name, cfn, sig, arity, flags) {#name, cfn, sig, arity, flags},
#include "engine/jsonata/jn_fn.def"
#undef JN_FN
};

#define NFN (sizeof table / sizeof table[0])

static jn_sig sigs[NFN];
static jn_fn fnvals[NFN];
static uint16_t order[NFN]; /* table indexes sorted by name */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int by_name(const void *a, const void *b)
{
	return strcmp(table[*(const uint16_t *)a].name, table[*(const uint16_t *)b].name);
}

static void init(void)
{
	for (size_t i = 0; i < NFN; i++) {
		const char *code;
		int off;
		if (jn_sig_parse(table[i].sig, &sigs[i], &code, &off) < 0)
			abort(); /* a typo in jn_fn.def */
		fnvals[i].type = JN_FN_BUILTIN;
		fnvals[i].bi = &table[i];
		fnvals[i].arity = table[i].arity;
		order[i] = (uint16_t)i;
	}
	qsort(order, NFN, sizeof order[0], by_name);
}

const jn_builtin *jn_builtin_find(const char *name, unsigned flags)
{
	pthread_once(&once, init);
	size_t lo = 0, hi = NFN;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, table[order[mid]].name);
		if (c == 0) {
			/* same-named entries sit together; pick the one for this mode */
			while (mid > 0 && !strcmp(name, table[order[mid - 1]].name))
				mid--;
			for (; mid < NFN && !strcmp(name, table[order[mid]].name); mid++) {
				const jn_builtin *b = &table[order[mid]];
				if ((b->flags & JN_BI_SFN) && !(flags & JSONATA_SFN))
					continue;
				if ((b->flags & JN_BI_NOSFN) && (flags & JSONATA_SFN))
					continue;
				return b;
			}
			return NULL;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const jn_sig *jn_builtin_sig(const jn_builtin *b)
{
	pthread_once(&once, init);
	return &sigs[b - table];
}

jn_value jn_builtin_value(const jn_builtin *b)
{
	pthread_once(&once, init);
	jn_value v = {JN_FUNCTION, {.f = &fnvals[b - table]}};
	return v;
}

jn_value jn_fn_error_msg(jn_call *c, jn_code code, const char *message)
{
	jn_value e = jn_error(c->cx, code);
	jn_errp(e)->message = message ? arena_strdup(c->cx->a, message) : NULL;
	return e;
}
