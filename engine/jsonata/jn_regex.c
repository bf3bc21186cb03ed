/* jn_regex.c - the PCRE2 adapter: JavaScript RegExp semantics for JSONata regex literals. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "engine/jsonata/jn_regex.h"

#include <stdio.h>
#include <string.h>

#include "common/mem.h"

static void *rx_malloc(PCRE2_SIZE n, void *ud)
{
	(void)ud;
	return mem_alloc(n);
}

static void rx_free(void *p, void *ud)
{
	(void)ud;
	mem_free(p);
}

struct jn_rx_scratch {
	pcre2_general_context *gc;
	pcre2_match_context *mc;
	pcre2_match_data *md;
	uint32_t pairs;
};

jn_regex *jn_regex_compile(arena *a, const char *pattern, size_t len, const char *flags, jn_regex **list,
                           char *err, size_t errlen)
{
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ALT_BSUX | PCRE2_ALLOW_EMPTY_CLASS |
	                PCRE2_MATCH_UNSET_BACKREF;
	if (flags && strchr(flags, 'i'))
		opts |= PCRE2_CASELESS;
	if (flags && strchr(flags, 'm'))
		opts |= PCRE2_MULTILINE;
	else
		opts |= PCRE2_DOLLAR_ENDONLY;
	pcre2_general_context *gc = pcre2_general_context_create(rx_malloc, rx_free, NULL);
	pcre2_compile_context *cc = pcre2_compile_context_create(gc);
	pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
	pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_ALT_BSUX);
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, len, opts, &ec, &eo, cc);
	pcre2_compile_context_free(cc);
	pcre2_general_context_free(gc);
	if (!code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		snprintf(err, errlen, "%s at offset %zu", (const char *)msg, (size_t)eo);
		return NULL;
	}
	jn_regex *re = arena_alloc(a, sizeof *re);
	re->code = code;
	uint32_t n = 0;
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &n);
	re->ngroups = (int)n;
	re->source = arena_strndup(a, pattern, len);
	re->next = *list;
	*list = re;
	return re;
}

void jn_regex_free_all(jn_regex *list)
{
	for (jn_regex *r = list; r; r = r->next)
		pcre2_code_free(r->code);
}

jn_rx_scratch *jn_rx_scratch_new(void)
{
	jn_rx_scratch *sc = mem_alloc(sizeof *sc);
	sc->gc = pcre2_general_context_create(rx_malloc, rx_free, NULL);
	sc->mc = pcre2_match_context_create(sc->gc);
	/* bound the work one match may do: hostile patterns fail instead of hanging */
	pcre2_set_match_limit(sc->mc, 10000000);
	pcre2_set_depth_limit(sc->mc, 100000);
	sc->md = NULL;
	sc->pairs = 0;
	return sc;
}

void jn_rx_scratch_free(jn_rx_scratch *sc)
{
	if (!sc)
		return;
	if (sc->md)
		pcre2_match_data_free(sc->md);
	pcre2_match_context_free(sc->mc);
	pcre2_general_context_free(sc->gc);
	mem_free(sc);
}

int jn_regex_exec(const jn_regex *re, jn_rx_scratch *sc, const char *s, size_t len, size_t start, size_t *ovec)
{
	uint32_t pairs = (uint32_t)re->ngroups + 1;
	if (!sc->md || sc->pairs < pairs) {
		if (sc->md)
			pcre2_match_data_free(sc->md);
		sc->pairs = pairs < 16 ? 16 : pairs;
		sc->md = pcre2_match_data_create(sc->pairs, sc->gc);
	}
	if (start > len)
		return 0;
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, start, 0, sc->md, sc->mc);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return -1;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);
	for (uint32_t i = 0; i < pairs; i++) {
		if (i < (uint32_t)rc && ov[2 * i] != PCRE2_UNSET) {
			ovec[2 * i] = ov[2 * i];
			ovec[2 * i + 1] = ov[2 * i + 1];
		} else {
			ovec[2 * i] = ovec[2 * i + 1] = JN_RX_UNSET;
		}
	}
	return 1;
}
