/* jn_regex.h - JavaScript regular expressions on PCRE2 (private).
 *
 * The only file that includes pcre2.h is jn_regex.c. Patterns are compiled
 * with the options that make PCRE2 behave like a JavaScript RegExp with the
 * reference's flags (i, m, and always g): '$' only at the very end unless
 * m, \uXXXX escapes, [] and [^] classes, unset back-references matching "".
 *
 * Ownership: jn_regex_compile allocates the handle in an arena and links it
 * into *list; the PCRE2 code behind it is released by jn_regex_free_all(list)
 * (the owner of the list calls it once, when the arena goes). A compiled
 * regex is immutable and may be used from several threads, each with its
 * own scratch.
 */
#ifndef STEPBENCH_JN_REGEX_H
#define STEPBENCH_JN_REGEX_H

#include <stddef.h>

#include "common/arena.h"

typedef struct jn_regex jn_regex;
struct jn_regex {
	void *code;         /* pcre2_code */
	jn_regex *next;     /* the owner's list */
	int ngroups;        /* capture groups */
	const char *source; /* pattern text */
};

typedef struct jn_rx_scratch jn_rx_scratch;

#define JN_RX_UNSET ((size_t)-1)

/**
 * Compile pattern (len bytes) with flags ("i", "m").
 * @return the regex, or NULL with a message in err (errlen bytes).
 */
jn_regex *jn_regex_compile(arena *a, const char *pattern, size_t len, const char *flags, jn_regex **list,
                           char *err, size_t errlen);
/** Release the PCRE2 code of every regex on the list. */
void jn_regex_free_all(jn_regex *list);

/** Per-evaluation match scratch (caller frees with jn_rx_scratch_free). */
jn_rx_scratch *jn_rx_scratch_new(void);
void jn_rx_scratch_free(jn_rx_scratch *sc);

/**
 * Find the first match in s (len bytes) at or after byte offset start.
 * ovec receives 2*(ngroups+1) byte offsets (JN_RX_UNSET for unset groups).
 * @return 1 on a match, 0 for none, -1 when the matcher gave up (limits).
 */
int jn_regex_exec(const jn_regex *re, jn_rx_scratch *sc, const char *s, size_t len, size_t start, size_t *ovec);

#endif
