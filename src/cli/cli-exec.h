/*
 * DOC: running one command line from okapictl
 *
 * Sends a line to okapid and prints the reply the way vtysh does: output to
 * stdout, errors to stderr with a caret under the offending word.  Used by
 * the one-shot, piped and interactive modes alike.
 */
#ifndef OKAPI_CLI_EXEC_H
#define OKAPI_CLI_EXEC_H

#include "cli/cli-conn.h"

/* The prompt of the session's current node, as last sent by okapid. */
extern char cli_prompt[CTL_PROMPT_MAX + 1];

/* Runs 'line'.  'interactive': the line was typed after cli_prompt on the
 * terminal, so the caret is drawn under it; otherwise the line is echoed
 * above the caret.  Updates cli_prompt.  Returns the reply's enum
 * ctl_status, or -1 when the connection failed (already reported on
 * stderr). */
int cli_exec_line(struct cli_conn *c, const char *line, bool interactive);

/* Sends a help request (COMPLETE or DESCRIBE) for 'line'.  Returns 0 with
 * the reply in *r, or -1 when the connection failed (reported). */
int cli_help_request(struct cli_conn *c, enum ctl_msg_type type,
		     const char *line, struct ctl_reply *r);

/* Prints "okapictl: MESSAGE: strerror(-err)" for a failed request. */
void cli_report(const char *what, int err);

#endif
