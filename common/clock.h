/* clock.h - the clock every timed behaviour reads: real or virtual.
 *
 * SQS visibility and delays, Wait states, Retry backoff, TTL expiry and
 * JSONata's $now()/$millis() all read a clk. `serve` uses the real clock;
 * scenarios use a virtual one that starts at the scenario's `clock` time and
 * moves only when something sleeps on it, so a one-hour Wait takes no real
 * time and every run is deterministic.
 *
 * Ownership: clk_real() is a process-wide singleton (never freed);
 * clk_virtual_new() returns a clock the caller frees with clk_free.
 * Thread safety: all functions may be called from several threads.
 * Times are milliseconds since the Unix epoch, UTC.
 */
#ifndef STEPBENCH_CLOCK_H
#define STEPBENCH_CLOCK_H

#include <stddef.h>
#include <stdint.h>

typedef struct clk clk;

/** The wall clock. */
clk *clk_real(void);
/** A virtual clock reading start_ms until advanced. */
clk *clk_virtual_new(int64_t start_ms);
/** Free a virtual clock (the real clock is ignored). */
void clk_free(clk *c);
/** 1 for a virtual clock. */
int clk_is_virtual(const clk *c);

/** Current time in ms. */
int64_t clk_now_ms(clk *c);
/** Wait ms: really sleeps on the real clock, advances a virtual one. */
void clk_sleep_ms(clk *c, int64_t ms);
/** Virtual clocks only: set the time (it may not go backwards; earlier
 *  values are ignored). */
void clk_set_ms(clk *c, int64_t ms);

/**
 * Format ms as ISO 8601 UTC with milliseconds, "2025-10-20T10:30:00.000Z".
 * out must hold CLK_ISO_LEN bytes.
 */
#define CLK_ISO_LEN 32
void clk_fmt_iso(int64_t ms, char out[CLK_ISO_LEN]);
/**
 * Parse an RFC 3339 / ISO 8601 date-time with a 'T', optional fraction and a
 * zone ('Z' or +hh:mm). Fractions beyond milliseconds are truncated.
 * @return 0 and *ms on success, -1 if s is not such a timestamp.
 */
int clk_parse_iso(const char *s, int64_t *ms);
/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
int64_t clk_days_from_civil(int64_t y, int m, int d);
/** The inverse of clk_days_from_civil. */
void clk_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

#endif
