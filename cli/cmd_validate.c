/* cmd_validate.c - `stepbench validate`: not built yet (placeholder so the table links). */
#include <stdio.h>

#include "cli/cmd.h"

int cmd_validate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "stepbench validate: not implemented yet\n");
	return 2;
}
