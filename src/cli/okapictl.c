/*
 * DOC: okapictl, the vtysh-like client of okapid
 *
 *   okapictl [-S SOCKET] [-c CMD]... [-i] [CMD WORDS...]
 *
 * Modes, chosen in this order:
 *   -c CMD...   each CMD (and each line of a CMD with newlines) runs in one
 *               session, in order, so "-c 'conf t' -c 'interface x'" works
 *               as in vtysh;
 *   CMD WORDS   the words joined into one line ("okapictl show int br");
 *   -i, or stdin a terminal: the interactive shell (cli-shell.c);
 *   otherwise   one command per line from stdin, so a config can be piped.
 *
 * Exit status: 0 when every command succeeded, 1 at the first command that
 * failed (the rest are not run), 2 when okapid cannot be reached or the
 * connection is lost.  The socket is -S, else $OKAPI_SOCKET, else
 * /run/okapi/okapid.sock.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli-conn.h"
#include "cli/cli-exec.h"
#include "cli/cli-shell.h"
#include "lib/strbuf.h"

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_UNREACHABLE = 2 };

struct options {
	const char *socket;
	char **cmds;		/* -c arguments, in order */
	int n_cmds;
	bool interactive;
	char **words;		/* remaining arguments */
	int n_words;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: okapictl [-S SOCKET] [-c COMMAND]... [-i] [COMMAND WORDS...]\n"
		"  -S, --socket PATH     okapid's control socket (default $OKAPI_SOCKET\n"
		"                        or " CTL_DEFAULT_SOCKET ")\n"
		"  -c, --command CMD     run CMD; repeat to run several in one session\n"
		"  -i, --interactive     start the interactive shell\n"
		"With no command: the shell on a terminal, else commands from stdin.\n"
		"Exit status: 0 ok, 1 a command failed, 2 okapid unreachable.\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 'S' },
		{ "command", required_argument, NULL, 'c' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->socket = getenv("OKAPI_SOCKET");
	if (!o->socket || !*o->socket)
		o->socket = CTL_DEFAULT_SOCKET;
	o->cmds = calloc((size_t)argc, sizeof(*o->cmds));
	if (!o->cmds)
		return -1;
	/* '+': stop at the first word, so "okapictl show ... -x" is a
	 * command, not options. */
	while ((ch = getopt_long(argc, argv, "+S:c:ih", longopts, NULL)) != -1) {
		switch (ch) {
		case 'S': o->socket = optarg; break;
		case 'c': o->cmds[o->n_cmds++] = optarg; break;
		case 'i': o->interactive = true; break;
		case 'h': usage(stdout); exit(EXIT_OK);
		default: usage(stderr); return -1;
		}
	}
	o->words = argv + optind;
	o->n_words = argc - optind;
	if (o->n_cmds && o->n_words) {
		fprintf(stderr, "okapictl: give commands either with -c or as words, not both\n");
		return -1;
	}
	return 0;
}

/* Runs one line; returns the exit status so far (EXIT_OK to go on) and
 * sets *stop when the session ended. */
static int run_line(struct cli_conn *c, const char *line, bool *stop)
{
	int st = cli_exec_line(c, line, false);

	if (st < 0)
		return EXIT_UNREACHABLE;
	if (st == CTL_STATUS_ERROR)
		return EXIT_FAILED;
	*stop = st == CTL_STATUS_CLOSED;
	return EXIT_OK;
}

/* Runs every line of 'text' (split at newlines). */
static int run_text(struct cli_conn *c, const char *text, bool *stop)
{
	char *copy = strdup(text), *save = NULL;
	int rc = EXIT_OK;

	if (!copy)
		return EXIT_FAILED;
	for (char *line = strtok_r(copy, "\n", &save); line && !*stop;
	     line = strtok_r(NULL, "\n", &save)) {
		rc = run_line(c, line, stop);
		if (rc != EXIT_OK)
			break;
	}
	free(copy);
	return rc;
}

static int run_commands(struct cli_conn *c, char **cmds, int n)
{
	bool stop = false;

	for (int k = 0; k < n && !stop; k++) {
		int rc = run_text(c, cmds[k], &stop);

		if (rc != EXIT_OK)
			return rc;
	}
	return EXIT_OK;
}

static int run_words(struct cli_conn *c, char **words, int n)
{
	struct strbuf line = STRBUF_INIT;
	bool stop = false;

	for (int k = 0; k < n; k++) {
		if (k)
			strbuf_putc(&line, ' ');
		strbuf_puts(&line, words[k]);
	}
	int rc = strbuf_failed(&line) ? EXIT_FAILED :
		 run_text(c, strbuf_str(&line), &stop);

	strbuf_free(&line);
	return rc;
}

static int run_stdin(struct cli_conn *c)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	bool stop = false;
	int rc = EXIT_OK;

	while (!stop && (len = getline(&line, &cap, stdin)) >= 0) {
		line[strcspn(line, "\r\n")] = '\0';
		rc = run_line(c, line, &stop);
		if (rc != EXIT_OK)
			break;
	}
	free(line);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;
	struct cli_conn conn;
	int rc;

	if (parse_options(argc, argv, &o) < 0) {
		free(o.cmds);
		return EXIT_FAILED;
	}
	int err = cli_connect(&conn, o.socket);

	if (err) {
		fprintf(stderr, "okapictl: cannot connect to %s: %s%s\n", o.socket,
			strerror(-err),
			err == -ENOENT || err == -ECONNREFUSED ? " (is okapid running?)" : "");
		free(o.cmds);
		return EXIT_UNREACHABLE;
	}
	if (o.n_cmds)
		rc = run_commands(&conn, o.cmds, o.n_cmds);
	else if (o.n_words)
		rc = run_words(&conn, o.words, o.n_words);
	else if (o.interactive || isatty(STDIN_FILENO))
		rc = cli_shell_run(&conn);
	else
		rc = run_stdin(&conn);
	cli_close(&conn);
	free(o.cmds);
	return rc;
}
