/* junit.c - JUnit XML: a <testsuite> per scenario file, a <testcase> per scenario. */
#include <string.h>

#include "common/file.h"
#include "reports/report.h"

static void attr(sb *out, const char *name, const char *value)
{
	sb_printf(out, " %s=\"", name);
	sb_cat_xml(out, value ? value : "", value ? strlen(value) : 0);
	sb_catc(out, '"');
}

/* "scenarios/a/b.scenario.json" -> "scenarios.a.b": CI tools group by it. */
static void classname(const char *file, sb *out)
{
	static const char suffix[] = ".scenario.json";
	size_t n = strlen(file), k = sizeof suffix - 1;
	if (n > k && !strcmp(file + n - k, suffix))
		n -= k;
	else if (n > 5 && !strcmp(file + n - 5, ".json"))
		n -= 5;
	const char *p = file;
	while (n >= 2 && p[0] == '.' && p[1] == '/')
		p += 2, n -= 2;
	for (size_t i = 0; i < n; i++)
		sb_catc(out, p[i] == '/' ? '.' : p[i]);
}

static void system_out(sb *out, const sb *timeline)
{
	if (!timeline->len)
		return;
	sb_cat(out, "      <system-out>");
	sb_cat_xml(out, timeline->buf, timeline->len);
	sb_cat(out, "</system-out>\n");
}

static void property(sb *out, const char *name, const char *value)
{
	sb_cat(out, "    <property");
	attr(out, "name", name);
	attr(out, "value", value);
	sb_cat(out, "/>\n");
}

/* The state machine(s) of a file's scenarios and the path each took. */
static void properties(const runner_result *v, size_t n, sb *out)
{
	sb p = SB_INIT;
	int any = 0;
	for (size_t i = 0; i < n; i++)
		any |= v[i].state_machine || v[i].path;
	if (!any)
		return;
	sb_cat(out, "   <properties>\n");
	for (size_t i = 0; i < n; i++) {
		const char *sm = v[i].state_machine;
		int seen = 0;
		for (size_t k = 0; k < i && sm; k++)
			seen |= v[k].state_machine && !strcmp(v[k].state_machine, sm);
		if (sm && !seen) {
			sb_clear(&p);
			if (i)
				sb_printf(&p, "stateMachine: %s", v[i].name);
			property(out, i ? sb_str(&p) : "stateMachine", sm);
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!v[i].path)
			continue;
		sb text = SB_INIT;
		report_path_text(v[i].path, &text);
		sb_clear(&p);
		sb_printf(&p, "path: %s", v[i].name);
		property(out, sb_str(&p), sb_str(&text));
		sb_free(&text);
	}
	sb_cat(out, "   </properties>\n");
	sb_free(&p);
}

static void testcase(const runner_result *r, sb *out)
{
	char t[32];
	snprintf(t, sizeof t, "%.3f", r->seconds);
	sb cls = SB_INIT;
	classname(r->file, &cls);
	sb_cat(out, "    <testcase");
	attr(out, "name", r->name);
	attr(out, "classname", sb_str(&cls));
	attr(out, "time", t);
	sb_free(&cls);
	sb timeline = SB_INIT;
	report_timeline_text(r, &timeline);
	if (r->outcome == RUNNER_PASS && !timeline.len) {
		sb_cat(out, "/>\n");
		return;
	}
	sb_cat(out, ">\n");
	if (r->outcome == RUNNER_PASS) {
		system_out(out, &timeline);
		sb_free(&timeline);
		sb_cat(out, "    </testcase>\n");
		return;
	}
	sb head = SB_INIT, text = SB_INIT;
	report_failure_headline(r, &head);
	report_failure_text(r, &text);
	const char *el = r->outcome == RUNNER_FAIL ? "failure" : "error";
	sb_printf(out, "      <%s", el);
	attr(out, "message", sb_str(&head));
	attr(out, "type", r->outcome == RUNNER_FAIL ? "ExpectationFailed" : "ScenarioError");
	sb_catc(out, '>');
	sb_cat_xml(out, sb_str(&text), text.len);
	sb_printf(out, "</%s>\n", el);
	system_out(out, &timeline);
	sb_cat(out, "    </testcase>\n");
	sb_free(&head);
	sb_free(&text);
	sb_free(&timeline);
}

void report_junit(const runner_result *v, size_t n, double seconds, sb *out)
{
	size_t k[3] = {0, 0, 0};
	for (size_t i = 0; i < n; i++)
		k[v[i].outcome]++;
	sb_cat(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	sb_printf(out, "<testsuites name=\"stepbench\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n", n,
	          k[RUNNER_FAIL], k[RUNNER_ERROR], seconds);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		size_t f[3] = {0, 0, 0};
		double secs = 0;
		while (j < n && !strcmp(v[j].file, v[i].file)) {
			f[v[j].outcome]++;
			secs += v[j].seconds;
			j++;
		}
		char t[32];
		snprintf(t, sizeof t, "%.3f", secs);
		sb_cat(out, "  <testsuite");
		attr(out, "name", v[i].file);
		sb_printf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\"", j - i, f[RUNNER_FAIL],
		          f[RUNNER_ERROR]);
		attr(out, "time", t);
		attr(out, "file", v[i].file);
		sb_cat(out, ">\n");
		properties(&v[i], j - i, out);
		for (; i < j; i++)
			testcase(&v[i], out);
		sb_cat(out, "  </testsuite>\n");
	}
	sb_cat(out, "</testsuites>\n");
}

int report_write_file(const char *path, const sb *text, sb *err)
{
	sb dir = SB_INIT;
	file_dirname(path, &dir);
	file_mkdirs(sb_str(&dir));
	sb_free(&dir);
	return file_write(path, text->buf ? text->buf : "", text->len, err);
}

int report_junit_write(const char *path, const runner_result *v, size_t n, double seconds, sb *err)
{
	sb xml = SB_INIT;
	report_junit(v, n, seconds, &xml);
	int rc = report_write_file(path, &xml, err);
	sb_free(&xml);
	return rc;
}
