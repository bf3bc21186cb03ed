/* cmd_run.c - `stepbench run`: not built yet (placeholder so the table links). */
#include <stdio.h>

#include "cli/cmd.h"

int cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "stepbench run: not implemented yet\n");
	return 2;
}
