/* cmd_validate.c - `stepbench validate`: check scenario files and state machines without running them. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cmd.h"
#include "common/mem.h"
#include "runner/machine.h"
#include "runner/resources.h"
#include "runner/run.h"
#include "runner/scenario.h"

/* validate PATH...
 * Each PATH is a scenario file, a state machine (*.asl.json) or a folder
 * searched for scenario files. Every problem is printed as
 * file:line:column: message, including a resource (table, queue, function)
 * a scenario's state machine uses that its given does not create. Exit 0
 * when all are valid, 1 when one is not,
 * 2 on bad usage or a path that cannot be read. */

static void usage(FILE *f)
{
	fprintf(f, "usage: stepbench validate PATH...\n"
	           "  PATH  a scenario file, a state machine (*.asl.json) or a folder of *.scenario.json\n");
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

typedef struct machines {
	char **paths;
	runner_machine **m; /* NULL: it did not load (its problems were printed) */
	size_t n;
} machines;

/* Load path as a state machine once, printing its problems. */
static runner_machine *machine(machines *ms, const char *path)
{
	for (size_t i = 0; i < ms->n; i++)
		if (!strcmp(ms->paths[i], path))
			return ms->m[i];
	ms->paths = mem_realloc(ms->paths, (ms->n + 1) * sizeof *ms->paths);
	ms->m = mem_realloc(ms->m, (ms->n + 1) * sizeof *ms->m);
	sb err = SB_INIT;
	ms->paths[ms->n] = mem_strdup(path);
	ms->m[ms->n] = runner_machine_load(path, &err);
	fputs(sb_str(&err), stdout);
	sb_free(&err);
	return ms->m[ms->n++];
}

int cmd_validate(int argc, char **argv)
{
	const char **paths = mem_calloc((size_t)argc + 1, sizeof *paths);
	size_t npaths = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			mem_free(paths);
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "stepbench validate: unknown option '%s'\n", argv[i]);
			usage(stderr);
			mem_free(paths);
			return 2;
		}
		paths[npaths++] = argv[i];
	}
	if (!npaths) {
		usage(stderr);
		mem_free(paths);
		return 2;
	}
	char **files = NULL;
	size_t nfiles = 0;
	machines ms = {0};
	sb err = SB_INIT;
	int unreadable = runner_discover(paths, npaths, &files, &nfiles, &err) != 0;
	fputs(sb_str(&err), stderr);
	sb_clear(&err);
	size_t bad = 0, checked = 0;
	for (size_t i = 0; i < nfiles; i++) {
		checked++;
		if (ends_with(files[i], ".asl.json")) {
			bad += machine(&ms, files[i]) == NULL;
			continue;
		}
		runner_file *f = runner_file_load(files[i], &err);
		if (!f) {
			fputs(sb_str(&err), stdout);
			sb_clear(&err);
			bad++;
			continue;
		}
		int ok = 1;
		for (size_t k = 0; k < f->n; k++) {
			runner_machine *m = machine(&ms, f->v[k].state_machine);
			sb_clear(&err);
			if (!m || runner_check_resources(&f->v[k], cj_doc_root(m->doc), &err))
				ok = 0;
			fputs(sb_str(&err), stdout);
		}
		sb_clear(&err);
		bad += !ok;
		runner_file_free(f);
	}
	if (!unreadable)
		printf("%zu file%s checked: %s\n", checked, checked == 1 ? "" : "s",
		       bad ? "some have problems" : "all valid");
	for (size_t i = 0; i < nfiles; i++)
		mem_free(files[i]);
	for (size_t i = 0; i < ms.n; i++) {
		mem_free(ms.paths[i]);
		runner_machine_free(ms.m[i]);
	}
	mem_free(ms.paths);
	mem_free(ms.m);
	mem_free(files);
	mem_free(paths);
	sb_free(&err);
	return unreadable ? 2 : bad ? 1 : 0;
}
