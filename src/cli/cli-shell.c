/*
 * DOC: okapictl's interactive shell (libedit)
 *
 * A vtysh-like line editor: emacs key bindings, history in
 * ~/.okapictl_history, and two keys that ask okapid instead of the local
 * editor:
 *   TAB  completes the word under the cursor (CTL_MSG_COMPLETE): a unique
 *        candidate is inserted with a trailing space, several are extended
 *        to their common prefix or listed;
 *   ?    lists the possible next words with their help (CTL_MSG_DESCRIBE)
 *        and redraws the line unchanged, so typing continues where it was.
 * The prompt comes from okapid with every reply, so it always shows the
 * session's node ("sw1(config-if)# ").
 *
 * Ctrl-C abandons the line, Ctrl-Z is "end" (back to exec, as in vtysh),
 * Ctrl-D leaves config mode, or the shell at the exec level.  For Ctrl-C
 * and Ctrl-Z to reach the editor as keys, the terminal's signal characters
 * are disabled while a line is being edited (libedit restores the terminal
 * while a command runs, so Ctrl-C still interrupts okapictl then).
 */
#include "cli/cli-shell.h"

#include <histedit.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli-exec.h"

#define HISTORY_FILE ".okapictl_history"
#define HISTORY_SIZE 1000

struct cli_shell {
	struct cli_conn *conn;
	EditLine *el;
	History *hist;
	char history_path[4096];
	bool lost;		/* the connection failed inside a key handler */
	const char *key_echo;	/* what to show for a line a key ended */
};

static char *shell_prompt(EditLine *el)
{
	(void)el;
	return cli_prompt;
}

static struct cli_shell *shell_of(EditLine *el)
{
	void *p = NULL;

	el_get(el, EL_CLIENTDATA, &p);
	return p;
}

/* The line up to the cursor, malloc()ed (what help applies to). */
static char *line_to_cursor(EditLine *el)
{
	const LineInfo *li = el_line(el);

	return strndup(li->buffer, (size_t)(li->cursor - li->buffer));
}

/* Start of the word being typed: after the last blank before the end. */
static const char *partial_word(const char *line)
{
	const char *w = line + strlen(line);

	while (w > line && w[-1] != ' ' && w[-1] != '\t')
		w--;
	return w;
}

/* Splits the reply text into lines in place; returns how many. */
static size_t split_lines(char *text, char **v, size_t max)
{
	size_t n = 0;

	for (char *p = text; *p && n < max;) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		v[n++] = p;
		if (!nl)
			break;
		p = nl + 1;
	}
	return n;
}

static size_t common_prefix(char **v, size_t n)
{
	size_t len = strlen(v[0]);

	for (size_t k = 1; k < n; k++) {
		size_t m = 0;

		while (m < len && v[k][m] == v[0][m])
			m++;
		len = m;
	}
	return len;
}

static void list_words(char **v, size_t n)
{
	size_t width = 0;

	for (size_t k = 0; k < n; k++)
		if (strlen(v[k]) > width)
			width = strlen(v[k]);
	size_t per_line = 78 / (width + 2);

	if (!per_line)
		per_line = 1;
	putchar('\n');
	for (size_t k = 0; k < n; k++)
		printf("  %-*s%s", (int)width, v[k],
		       (k + 1) % per_line == 0 || k + 1 == n ? "\n" : "");
	fflush(stdout);
}

/* Inserts the candidates' common extension of 'word'; lists them when
 * there is nothing to insert.  Candidates that do not start with 'word'
 * (placeholders such as IFNAME) are only ever listed. */
static unsigned char complete_with(EditLine *el, const char *word, char **v,
				   size_t n)
{
	size_t wlen = strlen(word), m = 0;
	char *match[256];

	for (size_t k = 0; k < n; k++)
		if (!strncmp(v[k], word, wlen))
			match[m++] = v[k];
	if (m == 1 && n == 1) {
		el_insertstr(el, match[0] + wlen);
		el_insertstr(el, " ");
		return CC_REFRESH;
	}
	if (m > 0) {
		size_t len = common_prefix(match, m);

		if (len > wlen) {
			char ext[256];

			snprintf(ext, sizeof(ext), "%.*s", (int)(len - wlen),
				 match[0] + wlen);
			el_insertstr(el, ext);
			return CC_REFRESH;
		}
	}
	if (n == 0)
		return CC_REFRESH_BEEP;
	list_words(v, n);
	return CC_REDISPLAY;
}

static unsigned char key_complete(EditLine *el, int ch)
{
	struct cli_shell *sh = shell_of(el);
	char *line = line_to_cursor(el);
	struct ctl_reply r;
	char *words[256];
	unsigned char rc = CC_ERROR;
	(void)ch;

	if (!line)
		return CC_ERROR;
	if (cli_help_request(sh->conn, CTL_MSG_COMPLETE, line, &r) < 0) {
		sh->lost = true;
		free(line);
		return CC_EOF;
	}
	char *text = strndup(r.out, r.out_size);

	if (text) {
		size_t n = split_lines(text, words, sizeof(words) / sizeof(words[0]));

		rc = complete_with(el, partial_word(line), words, n);
		free(text);
	}
	free(line);
	return rc;
}

static unsigned char key_describe(EditLine *el, int ch)
{
	struct cli_shell *sh = shell_of(el);
	char *line = line_to_cursor(el);
	struct ctl_reply r;
	(void)ch;

	if (!line)
		return CC_ERROR;
	if (cli_help_request(sh->conn, CTL_MSG_DESCRIBE, line, &r) < 0) {
		sh->lost = true;
		free(line);
		return CC_EOF;
	}
	free(line);
	/* vtysh echoes the '?' at the end of the line before the help. */
	printf("?\n");
	fwrite(r.out, 1, r.out_size, stdout);
	fflush(stdout);
	return CC_REDISPLAY;
}

/* Empties the edit buffer. */
static void clear_line(EditLine *el)
{
	const LineInfo *li = el_line(el);

	el_cursor(el, (int)(li->lastchar - li->cursor));
	li = el_line(el);
	el_deletestr(el, (int)(li->cursor - li->buffer));
}

/*
 * Ctrl-C and Ctrl-Z end the line from a key handler, which (unlike the
 * builtin newline) neither echoes a newline nor terminates the buffer:
 * the handlers end what they insert with '\n' (the loop cuts the line
 * there; an empty line would read as end of file) and leave the echo to
 * the loop through 'key_echo'.
 */
static unsigned char key_interrupt(EditLine *el, int ch)
{
	(void)ch;
	clear_line(el);
	el_insertstr(el, "\n");
	shell_of(el)->key_echo = "^C";
	return CC_NEWLINE;
}

static unsigned char key_end(EditLine *el, int ch)
{
	(void)ch;
	clear_line(el);
	el_insertstr(el, "end\n");
	shell_of(el)->key_echo = "^Z";
	return CC_NEWLINE;
}

static void history_setup(struct cli_shell *sh)
{
	HistEvent ev;
	const char *home = getenv("HOME");

	sh->hist = history_init();
	if (!sh->hist)
		return;
	history(sh->hist, &ev, H_SETSIZE, HISTORY_SIZE);
	history(sh->hist, &ev, H_SETUNIQUE, 1);
	if (home && *home) {
		snprintf(sh->history_path, sizeof(sh->history_path), "%s/%s",
			 home, HISTORY_FILE);
		history(sh->hist, &ev, H_LOAD, sh->history_path);
	}
}

static void history_add(struct cli_shell *sh, const char *line)
{
	HistEvent ev;

	if (!sh->hist)
		return;
	history(sh->hist, &ev, H_ENTER, line);
	if (sh->history_path[0])
		history(sh->hist, &ev, H_SAVE, sh->history_path);
}

static int editor_setup(struct cli_shell *sh)
{
	EditLine *el = el_init("okapictl", stdin, stdout, stderr);

	if (!el)
		return -1;
	sh->el = el;
	el_set(el, EL_CLIENTDATA, sh);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_PROMPT, shell_prompt);
	if (sh->hist)
		el_set(el, EL_HIST, history, sh->hist);
	/* Ctrl-C and Ctrl-Z arrive as keys while editing (see DOC). */
	el_set(el, EL_SETTY, "-d", "-isig", NULL);
	/* The wide-character call: libedit's narrow EL_ADDFN copies the
	 * name and help and never frees the copies. */
	el_wset(el, EL_ADDFN, L"okapi-complete", L"Complete the current word",
		key_complete);
	el_wset(el, EL_ADDFN, L"okapi-describe", L"Describe the next words",
		key_describe);
	el_wset(el, EL_ADDFN, L"okapi-interrupt", L"Abandon the line",
		key_interrupt);
	el_wset(el, EL_ADDFN, L"okapi-end", L"Leave config mode", key_end);
	el_set(el, EL_BIND, "^I", "okapi-complete", NULL);
	el_set(el, EL_BIND, "?", "okapi-describe", NULL);
	el_set(el, EL_BIND, "^C", "okapi-interrupt", NULL);
	el_set(el, EL_BIND, "^Z", "okapi-end", NULL);
	el_source(el, NULL);
	return 0;
}

static bool in_config_node(void)
{
	return strstr(cli_prompt, "(config") != NULL;
}

/* The read-execute loop.  Returns the exit status. */
static int shell_loop(struct cli_shell *sh)
{
	for (;;) {
		int count = 0;
		const char *got = el_gets(sh->el, &count);

		if (sh->lost)
			return 2;
		if (sh->key_echo) {
			printf("%s\n", sh->key_echo);
			fflush(stdout);
			sh->key_echo = NULL;
		}
		if (!got || count <= 0) {
			/* Ctrl-D: leave config mode first, like "end". */
			putchar('\n');
			if (!in_config_node())
				return 0;
			got = "end";
		}
		char *line = strdup(got);

		if (!line)
			return 1;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[strspn(line, " \t")] == '\0') {
			free(line);
			continue;
		}
		history_add(sh, line);
		int st = cli_exec_line(sh->conn, line, true);

		free(line);
		if (st < 0)
			return 2;
		if (st == CTL_STATUS_CLOSED)
			return 0;
	}
}

int cli_shell_run(struct cli_conn *conn)
{
	struct cli_shell sh = { .conn = conn };
	int rc;

	setlocale(LC_CTYPE, "");
	/* An empty line fetches the prompt of the new session. */
	if (cli_exec_line(conn, "", true) < 0)
		return 2;
	history_setup(&sh);
	if (editor_setup(&sh) < 0) {
		fprintf(stderr, "okapictl: cannot initialise the line editor\n");
		rc = 1;
	} else {
		rc = shell_loop(&sh);
	}
	if (sh.el)
		el_end(sh.el);
	if (sh.hist)
		history_end(sh.hist);
	return rc;
}
