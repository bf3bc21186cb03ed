/* cmd_init.c - `stepbench init`: write a scenario suite skeleton for a state machine. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "common/file.h"
#include "common/mem.h"
#include "runner/machine.h"
#include "runner/record.h"
#include "runner/scaffold.h"

/* init WORKFLOW.asl.json [-o FILE] [--force]
 * Exit 0 when the skeleton was written, 1 when the file exists (without
 * --force), 2 on bad usage or a definition that cannot be read or loaded. */

static void usage(FILE *f)
{
	fprintf(f, "usage: stepbench init WORKFLOW.asl.json [-o FILE] [--force]\n"
	           "  writes a scenario suite skeleton (default: WORKFLOW.scenario.json beside the workflow)\n"
	           "  -o FILE   where to write it\n"
	           "  --force   replace an existing file\n");
}

/* path as seen from folder dir (both made absolute first). */
static char *relative_to(const char *path, const char *dir)
{
	char ap[PATH_MAX], ad[PATH_MAX];
	if (!realpath(path, ap) || !realpath(dir, ad))
		return mem_strdup(path);
	size_t common = 0, i = 0;
	for (; ap[i] && ad[i] && ap[i] == ad[i]; i++)
		if (ap[i] == '/')
			common = i;
	if (!ad[i] && ap[i] == '/')
		common = i;
	sb out = SB_INIT;
	for (const char *p = ad + common; *p; p++)
		if (*p == '/')
			sb_cat(&out, "../");
	sb_cat(&out, ap + common + 1);
	return sb_steal(&out);
}

/* WORKFLOW.scenario.json beside the workflow. */
static char *default_output(const char *workflow, const runner_machine *m)
{
	sb out = SB_INIT, path = SB_INIT;
	sb_printf(&out, "%s.scenario.json", m->name);
	file_beside(workflow, sb_str(&out), &path);
	sb_free(&out);
	return sb_steal(&path);
}

int cmd_init(int argc, char **argv)
{
	const char *workflow = NULL, *output = NULL;
	int force = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			output = argv[++i];
		} else if (!strcmp(argv[i], "--force")) {
			force = 1;
		} else if (argv[i][0] == '-' || workflow) {
			fprintf(stderr, "stepbench init: unexpected '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		} else {
			workflow = argv[i];
		}
	}
	if (!workflow) {
		usage(stderr);
		return 2;
	}
	sb err = SB_INIT;
	runner_machine *m = runner_machine_load(workflow, &err);
	if (!m) {
		fprintf(stderr, "%s", sb_str(&err));
		sb_free(&err);
		return 2;
	}
	char *out = output ? mem_strdup(output) : default_output(workflow, m);
	int rc = 0;
	if (!force && access(out, F_OK) == 0) {
		fprintf(stderr, "stepbench init: %s exists; use --force to replace it\n", out);
		rc = 1;
	} else {
		sb dir = SB_INIT;
		file_dirname(out, &dir);
		file_mkdirs(sb_str(&dir));
		char *rel = relative_to(workflow, sb_str(&dir));
		cJSON *suite = runner_scaffold(cj_doc_root(m->doc), rel, m->name);
		sb text = SB_INIT;
		runner_json_pretty(suite, &text);
		sb_catc(&text, '\n');
		if (file_write(out, text.buf, text.len, &err)) {
			fprintf(stderr, "stepbench init: %s\n", sb_str(&err));
			rc = 2;
		} else {
			int n = cJSON_GetArraySize(cJSON_GetObjectItem(suite, "scenarios"));
			printf("wrote %s: %d scenario%s, one per path; fill in each input, then run\n"
			       "  stepbench run %s --record\n",
			       out, n, n == 1 ? "" : "s", out);
		}
		sb_free(&text);
		cJSON_Delete(suite);
		mem_free(rel);
		sb_free(&dir);
	}
	mem_free(out);
	runner_machine_free(m);
	sb_free(&err);
	return rc;
}
