/* text.c - the failure text every report shows: where, what, expected, actual, path taken. */
#include <string.h>

#include "common/clock.h"

#include "reports/report.h"

void report_path_text(const cJSON *path, sb *out)
{
	const cJSON *s;
	int n = 0;
	cJSON_ArrayForEach(s, path)
	{
		if (n++)
			sb_cat(out, " -> ");
		sb_cat(out, cJSON_IsString(s) ? s->valuestring : "?");
	}
	if (!n)
		sb_cat(out, "(none)");
}

static void mismatch_head(const runner_result *r, const runner_mismatch *m, sb *out)
{
	if (m->line)
		sb_printf(out, "%s:%d:%d: ", r->file, m->line, m->col);
	else
		sb_printf(out, "%s: ", r->file);
	sb_printf(out, "%s: %s", m->path, m->message);
}

void report_failure_headline(const runner_result *r, sb *out)
{
	if (r->outcome == RUNNER_FAIL && r->mm.n == 1) {
		mismatch_head(r, &r->mm.v[0], out);
	} else if (r->outcome == RUNNER_FAIL && r->mm.n) {
		sb_printf(out, "%zu expectations do not hold: ", r->mm.n);
		for (size_t i = 0; i < r->mm.n; i++)
			sb_printf(out, "%s%s: %s", i ? "; " : "", r->mm.v[i].path, r->mm.v[i].message);
	} else if (r->outcome == RUNNER_ERROR && r->error) {
		const char *nl = strchr(r->error, '\n');
		sb_catn(out, r->error, nl ? (size_t)(nl - r->error) : strlen(r->error));
	}
}

void report_failure_text(const runner_result *r, sb *out)
{
	if (r->outcome == RUNNER_PASS)
		return;
	if (r->outcome == RUNNER_ERROR && r->error) {
		sb_cat(out, r->error);
		if (r->error[0] && r->error[strlen(r->error) - 1] != '\n')
			sb_catc(out, '\n');
	}
	for (size_t i = 0; i < r->mm.n; i++) {
		const runner_mismatch *m = &r->mm.v[i];
		mismatch_head(r, m, out);
		sb_catc(out, '\n');
		if (m->expected)
			sb_printf(out, "    expected: %s\n", m->expected);
		if (m->actual)
			sb_printf(out, "    actual:   %s\n", m->actual);
	}
	if (r->status) {
		sb_printf(out, "execution: %s", r->status);
		if (r->exec_error || r->exec_cause)
			sb_printf(out, " (%s%s%s)", r->exec_error ? r->exec_error : "", r->exec_cause ? ": " : "",
			          r->exec_cause ? r->exec_cause : "");
		sb_cat(out, "\npath taken: ");
		report_path_text(r->path, out);
		sb_catc(out, '\n');
	}
}

/* ms since the epoch, from a number or an ISO string; -1 when neither. */
static double event_ms(const cJSON *ev)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(ev, "timestamp");
	int64_t ms;
	if (cJSON_IsNumber(t))
		return t->valuedouble;
	if (cJSON_IsString(t) && clk_parse_iso(t->valuestring, &ms) == 0)
		return (double)ms;
	return -1;
}

/* What an event is about: a state's name, or an error and its cause. */
static void event_note(const cJSON *ev, sb *out)
{
	const cJSON *d;
	cJSON_ArrayForEach(d, ev)
	{
		if (!d->string || !cJSON_IsObject(d) || !strstr(d->string, "EventDetails"))
			continue;
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "name"));
		const char *error = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "error"));
		const char *cause = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "cause"));
		const char *res = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "resource"));
		if (name)
			sb_printf(out, "  %s", name);
		if (res)
			sb_printf(out, "  %s", res);
		if (error)
			sb_printf(out, "  %s", error);
		if (cause)
			sb_printf(out, ": %s", cause);
	}
}

void report_timeline_text(const runner_result *r, sb *out)
{
	const cJSON *ev;
	double t0 = -1;
	cJSON_ArrayForEach(ev, r->history)
	{
		double t = event_ms(ev);
		if (t0 < 0 && t >= 0) {
			t0 = t;
			char iso[CLK_ISO_LEN];
			clk_fmt_iso((int64_t)t, iso);
			sb_printf(out, "virtual time %s\n", iso);
		}
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(ev, "id");
		const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ev, "type"));
		sb_printf(out, "+%.3fs  #%d %s", t >= 0 && t0 >= 0 ? (t - t0) / 1000.0 : 0.0,
		          cJSON_IsNumber(id) ? id->valueint : 0, type ? type : "?");
		event_note(ev, out);
		sb_catc(out, '\n');
	}
}
