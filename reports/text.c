/* text.c - the failure text every report shows: where, what, expected, actual, path taken. */
#include <string.h>

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
	if (r->outcome == RUNNER_FAIL && r->mm.n) {
		mismatch_head(r, &r->mm.v[0], out);
		if (r->mm.n > 1)
			sb_printf(out, " (and %zu more)", r->mm.n - 1);
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
