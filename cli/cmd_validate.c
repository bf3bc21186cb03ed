/* cmd_validate.c - `stepbench validate`: check scenario files and state machines without running them. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cmd.h"
#include "common/mem.h"
#include "runner/machine.h"
#include "runner/run.h"
#include "runner/scenario.h"

/* validate PATH...
 * Each PATH is a scenario file, a state machine (*.asl.json) or a folder
 * searched for scenario files. Every problem is printed as
 * file:line:column: message. Exit 0 when all are valid, 1 when one is not,
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

/* Load path as a state machine once; print its problems. 1 if valid. */
static int check_machine(const char *path, char ***seen, size_t *nseen)
{
	for (size_t i = 0; i < *nseen; i++)
		if (!strcmp((*seen)[i], path))
			return 1; /* its problems are already printed */
	*seen = mem_realloc(*seen, (*nseen + 1) * sizeof **seen);
	(*seen)[(*nseen)++] = mem_strdup(path);
	sb err = SB_INIT;
	runner_machine *m = runner_machine_load(path, &err);
	fputs(sb_str(&err), stdout);
	sb_free(&err);
	runner_machine_free(m);
	return m != NULL;
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
	char **files = NULL, **seen = NULL;
	size_t nfiles = 0, nseen = 0;
	sb err = SB_INIT;
	int unreadable = runner_discover(paths, npaths, &files, &nfiles, &err) != 0;
	fputs(sb_str(&err), stderr);
	sb_clear(&err);
	size_t bad = 0, checked = 0;
	for (size_t i = 0; i < nfiles; i++) {
		checked++;
		if (ends_with(files[i], ".asl.json")) {
			bad += !check_machine(files[i], &seen, &nseen);
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
		for (size_t k = 0; k < f->n; k++)
			if (!check_machine(f->v[k].state_machine, &seen, &nseen))
				ok = 0;
		bad += !ok;
		runner_file_free(f);
	}
	if (!unreadable)
		printf("%zu file%s checked: %s\n", checked, checked == 1 ? "" : "s",
		       bad ? "some have problems" : "all valid");
	for (size_t i = 0; i < nfiles; i++)
		mem_free(files[i]);
	for (size_t i = 0; i < nseen; i++)
		mem_free(seen[i]);
	mem_free(files);
	mem_free(seen);
	mem_free(paths);
	sb_free(&err);
	return unreadable ? 2 : bad ? 1 : 0;
}
