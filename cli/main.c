/* main.c - the stepbench command: a table of subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/mem.h"

typedef struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} cmd_entry;

static const cmd_entry commands[] = {
	{"init", cmd_init, "init WORKFLOW.asl.json [-o FILE] [--force]     write a scenario suite skeleton"},
	{"jsonata", cmd_jsonata, "jsonata EXPR [--input FILE] [--bindings JSON]   evaluate one JSONata expression"},
	{"policy", cmd_policy, "policy WORKFLOW.asl.json [--scenarios PATH]     print the least-privilege IAM policy it needs"},
	{"run", cmd_run, "run [PATH...] [--junit FILE] [-j N] ...        run scenarios (default: scenarios/; --help)"},
	{"serve", cmd_serve, "serve [--host H] [--port N] [--data DIR]      serve the mocks over HTTP"},
	{"validate", cmd_validate, "validate PATH...                               check scenario files and state machines"},
	{NULL, NULL, NULL},
};

static void usage(FILE *f)
{
	fprintf(f, "stepbench %s - a hermetic test bench for AWS Step Functions workflows\n\nusage:\n",
	        STEPBENCH_VERSION);
	for (const cmd_entry *c = commands; c->name; c++)
		fprintf(f, "  stepbench %s\n", c->usage);
	fprintf(f, "  stepbench --version\n");
}

int main(int argc, char **argv)
{
	mem_init();
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("stepbench %s\n", STEPBENCH_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (const cmd_entry *c = commands; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "stepbench: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
