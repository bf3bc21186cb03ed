/* cmd_serve.c - `stepbench serve`: not built yet (placeholder so the table links). */
#include <stdio.h>

#include "cli/cmd.h"

int cmd_serve(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "stepbench serve: not implemented yet\n");
	return 2;
}
