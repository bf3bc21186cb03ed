/* cmd_jsonata.c - `stepbench jsonata`: not built yet (placeholder so the table links). */
#include <stdio.h>

#include "cli/cmd.h"

int cmd_jsonata(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "stepbench jsonata: not implemented yet\n");
	return 2;
}
