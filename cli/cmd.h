/* cmd.h - the stepbench subcommands. Each returns the process exit status:
 * 0 success, 1 a checked thing failed (scenarios, validation), 2 bad usage or
 * unreadable input. argv[0] is the subcommand's name. */
#ifndef STEPBENCH_CMD_H
#define STEPBENCH_CMD_H

#include "common/version.h"

int cmd_run(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_jsonata(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_policy(int argc, char **argv);

#endif
