/*
 * DOC: running one command line from okapictl (see cli-exec.h)
 */
#include "cli/cli-exec.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

char cli_prompt[CTL_PROMPT_MAX + 1] = "okapi# ";

void cli_report(const char *what, int err)
{
	if (err == -EMSGSIZE)
		fprintf(stderr, "okapictl: %s: line longer than %u bytes\n", what,
			CTL_REQUEST_MAX);
	else if (err == -EPROTO)
		fprintf(stderr, "okapictl: %s: malformed reply from okapid\n", what);
	else
		fprintf(stderr, "okapictl: %s: connection to okapid lost: %s\n",
			what, strerror(-err));
}

static void print_error(const struct ctl_reply *r, const char *line,
			bool interactive)
{
	/* Column 1 is the command itself: "% Unknown command" says enough,
	 * a caret under the first letter adds nothing. */
	if (r->err_col > 1) {
		int indent = (int)r->err_col - 1;

		if (interactive) {
			indent += (int)strlen(cli_prompt);
		} else {
			fprintf(stderr, "  %s\n", line);
			indent += 2;
		}
		fprintf(stderr, "%*s^\n", indent, "");
	}
	fwrite(r->err, 1, r->err_size, stderr);
	fflush(stderr);
}

int cli_exec_line(struct cli_conn *c, const char *line, bool interactive)
{
	struct ctl_reply r;
	int err = cli_request(c, CTL_MSG_EXEC, line, &r);

	if (err) {
		cli_report(line, err);
		return -1;
	}
	fwrite(r.out, 1, r.out_size, stdout);
	/* stdout before stderr, so a terminal shows them in order. */
	fflush(stdout);
	if (r.err_size)
		print_error(&r, line, interactive);
	memcpy(cli_prompt, r.prompt, r.prompt_size);
	cli_prompt[r.prompt_size] = '\0';
	return (int)r.status;
}

int cli_help_request(struct cli_conn *c, enum ctl_msg_type type,
		     const char *line, struct ctl_reply *r)
{
	int err = cli_request(c, type, line, r);

	if (err) {
		cli_report(type == CTL_MSG_COMPLETE ? "completion" : "help", err);
		return -1;
	}
	return 0;
}
