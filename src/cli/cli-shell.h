/*
 * DOC: okapictl's interactive shell (libedit); see cli-shell.c
 */
#ifndef OKAPI_CLI_SHELL_H
#define OKAPI_CLI_SHELL_H

#include "cli/cli-conn.h"

/* Runs the interactive shell on a connected session until "exit" at the
 * exec level or Ctrl-D.  Returns the process exit status: 0, 1 (editor
 * could not start) or 2 (connection to okapid lost). */
int cli_shell_run(struct cli_conn *conn);

#endif
