/* machine.c - state machine files to engine definitions, with located diagnostics. */
#include "runner/machine.h"

#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/mem.h"
#include "runner/scenario.h"

static const cJSON *child(const cJSON *n, const char *seg, size_t len)
{
	char *k = mem_strndup(seg, len);
	const cJSON *c = NULL;
	if (cJSON_IsArray(n)) {
		char *e;
		long i = strtol(k, &e, 10);
		if (*k && !*e && i >= 0 && i < cJSON_GetArraySize(n))
			c = cJSON_GetArrayItem(n, (int)i);
	} else if (cJSON_IsObject(n)) {
		c = cJSON_GetObjectItemCaseSensitive(n, k);
	}
	mem_free(k);
	return c;
}

const cJSON *runner_machine_node(const cJSON *root, const char *path)
{
	const cJSON *n = root;
	const char *p = path ? path : "";
	while (*p == '/')
		p++;
	while (*p) {
		/* State names may hold '/': when a segment is not a member, try
		 * it joined with the next ones. */
		const cJSON *next = NULL;
		const char *end = p;
		for (;;) {
			const char *slash = strchr(end, '/');
			end = slash ? slash : p + strlen(p);
			next = child(n, p, (size_t)(end - p));
			if (next || !*end)
				break;
			end++;
		}
		if (!next)
			return n;
		n = next;
		p = *end ? end + 1 : end;
	}
	return n;
}

static char *machine_name(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	static const char *const suffixes[] = {".asl.json", ".json", NULL};
	for (const char *const *s = suffixes; *s; s++) {
		size_t k = strlen(*s);
		if (n > k && !strcmp(b + n - k, *s)) {
			n -= k;
			break;
		}
	}
	return mem_strndup(b, n);
}

runner_machine *runner_machine_load(const char *path, sb *err)
{
	size_t len;
	sb rerr = SB_INIT;
	char *text = file_read(path, RUNNER_MAX_FILE, &len, &rerr);
	if (!text) {
		sb_printf(err, "%s\n", sb_str(&rerr));
		sb_free(&rerr);
		return NULL;
	}
	sb_free(&rerr);
	cj_doc *doc = cj_doc_parse(text, len, path, err);
	mem_free(text);
	if (!doc) {
		sb_catc(err, '\n');
		return NULL;
	}
	engine_diags diags = {0};
	engine_def *def = engine_def_load(cj_doc_root(doc), &diags);
	if (!def) {
		for (size_t i = 0; i < diags.n; i++) {
			cj_doc_where(doc, runner_machine_node(cj_doc_root(doc), diags.v[i].path), 0, err);
			if (diags.v[i].path && *diags.v[i].path)
				sb_printf(err, "%s: ", diags.v[i].path);
			sb_printf(err, "%s\n", diags.v[i].message);
		}
		if (!diags.n)
			sb_printf(err, "%s: the engine rejected the definition\n", path);
		engine_diags_free(&diags);
		cj_doc_free(doc);
		return NULL;
	}
	engine_diags_free(&diags);
	runner_machine *m = mem_calloc(1, sizeof *m);
	m->path = mem_strdup(path);
	m->name = machine_name(path);
	m->doc = doc;
	m->def = def;
	return m;
}

void runner_machine_free(runner_machine *m)
{
	if (!m)
		return;
	engine_def_free(m->def);
	cj_doc_free(m->doc);
	mem_free(m->name);
	mem_free(m->path);
	mem_free(m);
}
