/*
 * DOC: "?" help and TAB completion
 *
 * Both walk the command graphs with the words before the cursor (the
 * matcher of cmd-match.c, stopped one word short when the last word is
 * still being typed) and list what may come next: every successor token
 * for "?" (with its help and "<cr>" when the command may end here), the
 * keywords that extend the partial word for TAB.  Hidden commands are left
 * out of both, although they still match.
 */
#include "config/cmd-graph.h"

#include <stdlib.h>
#include <string.h>

struct cmd_help_item {
	const char *text;
	const char *help;
};

struct cmd_help_list {
	const char *partial;	/* "" after a blank */
	bool keywords_only;	/* TAB: values cannot be completed */
	struct cmd_help_item *v;
	size_t n;
	bool cr;		/* the command may end here */
	bool failed;		/* ENOMEM */
};

static void cmd_help_add(const struct cmd_tok *tok, void *arg)
{
	struct cmd_help_list *hl = arg;

	if (hl->keywords_only && tok->kind != CMD_TOK_KEYWORD)
		return;
	if (*hl->partial && !cmd_tok_could_match(tok, hl->partial))
		return;
	for (size_t i = 0; i < hl->n; i++)
		if (!strcmp(hl->v[i].text, tok->text))
			return;
	struct cmd_help_item *v = realloc(hl->v, (hl->n + 1) * sizeof(*v));
	if (!v) {
		hl->failed = true;
		return;
	}
	hl->v = v;
	hl->v[hl->n].text = tok->text;
	hl->v[hl->n++].help = tok->help ? tok->help : "";
}

static int cmd_help_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cmd_help_item *)a)->text,
		      ((const struct cmd_help_item *)b)->text);
}

/* Adds a LINE that already took words: it may take more, or end. */
static void cmd_help_add_done(const struct cmd_match *m, struct cmd_help_list *hl)
{
	for (size_t i = 0; i < m->n_done; i++) {
		const struct cmd_state *s = &m->states[m->done[i]];

		if (s->graph->def->flags & CMD_F_HIDDEN)
			continue;
		cmd_help_add(s->tok, hl);
		hl->cr = true;
	}
}

static void cmd_help_note_cr(const struct cmd_match *m, struct cmd_help_list *hl)
{
	for (size_t i = m->live_lo; i < m->live_hi; i++)
		if (m->states[i].tok->final &&
		    !(m->states[i].graph->def->flags & CMD_F_HIDDEN))
			hl->cr = true;
}

/* Walks the complete words of 'line' and lists the candidates for the
 * next (or partial last) word into hl.  Returns the walk status; on error
 * m is still valid for cmd_match_explain(). */
static enum cmd_match_status cmd_help_collect(struct cmd_match *m,
					      enum cmd_node node,
					      const struct lexer_line *l,
					      struct cmd_help_list *hl)
{
	size_t complete = l->trailing_blank ? l->n_words : l->n_words - 1;

	hl->partial = l->trailing_blank ? "" : l->words[l->n_words - 1].text;
	if (cmd_match_words(m, node, l, complete) != CMD_MATCH_OK)
		return m->status;
	cmd_match_successors(m, m->live_lo, m->live_hi, true, cmd_help_add, hl);
	cmd_help_add_done(m, hl);
	if (l->trailing_blank)
		cmd_help_note_cr(m, hl);
	else
		hl->cr = false;
	if (hl->n)
		qsort(hl->v, hl->n, sizeof(*hl->v), cmd_help_cmp);
	return hl->failed ? CMD_MATCH_NOMEM : CMD_MATCH_OK;
}

static void cmd_describe_print(const struct cmd_help_list *hl, struct strbuf *out)
{
	int width = 4;	/* "<cr>" */

	for (size_t i = 0; i < hl->n; i++)
		if ((int)strlen(hl->v[i].text) > width)
			width = (int)strlen(hl->v[i].text);
	for (size_t i = 0; i < hl->n; i++)
		strbuf_printf(out, "  %-*s  %s\n", width, hl->v[i].text,
			      hl->v[i].help);
	if (hl->cr)
		strbuf_puts(out, "  <cr>\n");
	if (!hl->n && !hl->cr)
		strbuf_puts(out, "% There is no matched command.\n");
}

void cmd_describe(enum cmd_node node, const char *line, struct strbuf *out)
{
	struct cmd_help_list hl = { 0 };
	struct cmd_result res = { 0 };
	struct lexer_line l;
	struct cmd_match m;

	if (lexer_split(line, &l) < 0) {
		strbuf_puts(out, "% out of memory\n");
		return;
	}
	if (cmd_help_collect(&m, node, &l, &hl) == CMD_MATCH_OK) {
		cmd_describe_print(&hl, out);
	} else {
		cmd_match_explain(&m, &res);
		strbuf_printf(out, "%% %s\n", res.msg);
		cmd_result_free(&res);
	}
	free(hl.v);
	cmd_match_free(&m);
	lexer_free(&l);
}

/* Copies the candidate texts into a NULL-terminated array. */
static char **cmd_complete_strv(const struct cmd_help_list *hl)
{
	char **v = calloc(hl->n + 1, sizeof(*v));

	for (size_t i = 0; v && i < hl->n; i++) {
		if (!(v[i] = strdup(hl->v[i].text))) {
			cmd_strv_free(v);
			return NULL;
		}
	}
	return v;
}

char **cmd_complete(enum cmd_node node, const char *line)
{
	struct cmd_help_list hl = { .keywords_only = true };
	struct lexer_line l;
	struct cmd_match m;
	char **v = NULL;

	if (lexer_split(line, &l) < 0)
		return NULL;
	if (cmd_help_collect(&m, node, &l, &hl) == CMD_MATCH_OK && hl.n)
		v = cmd_complete_strv(&hl);
	free(hl.v);
	cmd_match_free(&m);
	lexer_free(&l);
	return v;
}
