/*
 * DOC: syntax strings -> token graphs
 *
 * A recursive-descent parser over the FRR-style syntax notation of cmd.h.
 * It never builds a syntax tree: each construct receives the set of tokens
 * that precede it ('in') and returns the set of tokens a following
 * construct must be linked from ('out'):
 *
 *   word      link every token of 'in' to the new token; out = {token}
 *   x y       out = y(x(in))
 *   <a|b>     out = a(in) U b(in)
 *   [x]       out = in U x(in)
 *
 * At the end every token of 'out' is marked final.  Help lines are handed
 * out in the order the words appear in the syntax, one per word.
 *
 * A malformed declaration is a programming error in a static table, so it
 * is reported with fatalx() when the command is installed at start-up.
 */
#include "config/cmd-graph.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

const char cmd_no_help[] = "Negate a command or set its defaults";

/* FRR's LOG_LEVEL_DESC: LEVEL expands to these keywords. */
static const struct {
	const char *name;
	const char *help;
} cmd_levels[] = {
	{ "emergencies", "System is unusable" },
	{ "alerts", "Immediate action needed" },
	{ "critical", "Critical conditions" },
	{ "errors", "Error conditions" },
	{ "warnings", "Warning conditions" },
	{ "notifications", "Normal but significant conditions" },
	{ "informational", "Informational messages" },
	{ "debugging", "Debugging messages" },
};

static const struct {
	const char *text;
	enum cmd_tok_kind kind;
} cmd_placeholders[] = {
	{ "WORD", CMD_TOK_WORD },
	{ "LINE", CMD_TOK_LINE },
	{ "MAC", CMD_TOK_MAC },
	{ "IFNAME", CMD_TOK_IFNAME },
	{ "VLANLIST", CMD_TOK_VLANLIST },
	{ "A.B.C.D", CMD_TOK_IPV4 },
	{ "A.B.C.D/M", CMD_TOK_IPV4_PREFIX },
};

struct cmd_tokset {
	struct cmd_tok **v;
	size_t n, cap;
};

struct cmd_sparser {
	const struct cmd_def *def;
	const char *p;
	char *help;		/* copy of def->help, split in place */
	char *help_next;	/* next unread help line; NULL: none left */
	size_t n_words;
};

static void *cmd_xalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		fatalx("out of memory installing commands");
	return p;
}

static char *cmd_xstrndup(const char *s, size_t len)
{
	char *p = strndup(s, len);

	if (!p)
		fatalx("out of memory installing commands");
	return p;
}

static void cmd_tokset_add(struct cmd_tokset *set, struct cmd_tok *tok)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i] == tok)
			return;
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 8;
		set->v = realloc(set->v, set->cap * sizeof(*set->v));
		if (!set->v)
			fatalx("out of memory installing commands");
	}
	set->v[set->n++] = tok;
}

static void cmd_tokset_union(struct cmd_tokset *dst, const struct cmd_tokset *src)
{
	for (size_t i = 0; i < src->n; i++)
		cmd_tokset_add(dst, src->v[i]);
}

static void cmd_tok_link(struct cmd_tok *from, struct cmd_tok *to)
{
	for (size_t i = 0; i < from->n_next; i++)
		if (from->next[i] == to)
			return;
	from->next = realloc(from->next, (from->n_next + 1) * sizeof(*from->next));
	if (!from->next)
		fatalx("out of memory installing commands");
	from->next[from->n_next++] = to;
}

static __attribute__((noreturn)) void cmd_syntax_fail(const struct cmd_sparser *sp,
						       const char *why)
{
	fatalx("command '%s': %s at offset %d", sp->def->syntax, why,
	       (int)(sp->p - sp->def->syntax));
}

/* Next help line, or "" when the declaration has no help at all. */
static const char *cmd_syntax_help(struct cmd_sparser *sp)
{
	sp->n_words++;
	if (!sp->help)
		return "";
	if (!sp->help_next)
		cmd_syntax_fail(sp, "fewer help lines than words");
	char *line = sp->help_next;
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = '\0';
	sp->help_next = nl && nl[1] ? nl + 1 : NULL;
	return line;
}

static struct cmd_tok *cmd_tok_new(enum cmd_tok_kind kind, const char *text,
				   const char *bind, const char *help)
{
	struct cmd_tok *t = cmd_xalloc(1, sizeof(*t));

	t->kind = kind;
	t->text = text;
	t->bind = bind;
	t->help = help;
	return t;
}

static void cmd_link_all(struct cmd_tokset *in, struct cmd_tok *t,
			 struct cmd_tokset *out)
{
	for (size_t i = 0; i < in->n; i++)
		cmd_tok_link(in->v[i], t);
	cmd_tokset_add(out, t);
}

/* "(min-max)" */
static void cmd_syntax_range(struct cmd_sparser *sp, struct cmd_tok *t)
{
	char *end;

	t->kind = CMD_TOK_RANGE;
	t->min = strtol(t->text + 1, &end, 10);
	if (*end != '-')
		cmd_syntax_fail(sp, "bad range");
	t->max = strtol(end + 1, &end, 10);
	if (strcmp(end, ")") || t->max < t->min)
		cmd_syntax_fail(sp, "bad range");
}

static bool cmd_is_placeholder(const char *text)
{
	if (!isupper((unsigned char)text[0]))
		return false;
	for (const char *p = text; *p; p++)
		if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    !strchr("-./:", *p))
			return false;
	return true;
}

static enum cmd_tok_kind cmd_placeholder_kind(const char *text)
{
	for (size_t i = 0; i < sizeof(cmd_placeholders) / sizeof(cmd_placeholders[0]); i++)
		if (!strcmp(text, cmd_placeholders[i].text))
			return cmd_placeholders[i].kind;
	return CMD_TOK_WORD;
}

/* LEVEL: one keyword per FRR log level, all bound to the same name. */
static void cmd_syntax_level(struct cmd_tokset *in, const char *bind,
			     struct cmd_tokset *out)
{
	for (size_t i = 0; i < sizeof(cmd_levels) / sizeof(cmd_levels[0]); i++)
		cmd_link_all(in, cmd_tok_new(CMD_TOK_KEYWORD, cmd_levels[i].name,
					     bind, cmd_levels[i].help), out);
}

/* Classifies a word of the syntax and fills the token's kind. */
static void cmd_syntax_classify(struct cmd_sparser *sp, struct cmd_tok *t)
{
	if (t->text[0] == '(') {
		cmd_syntax_range(sp, t);
	} else if (cmd_is_placeholder(t->text)) {
		t->kind = cmd_placeholder_kind(t->text);
	} else if (islower((unsigned char)t->text[0]) ||
		   isdigit((unsigned char)t->text[0])) {
		t->kind = CMD_TOK_KEYWORD;
	} else {
		cmd_syntax_fail(sp, "bad word");
	}
}

static void cmd_syntax_word(struct cmd_sparser *sp, struct cmd_tokset *in,
			    struct cmd_tokset *out)
{
	size_t len = strcspn(sp->p, " \t<>[]|");
	const char *dollar = memchr(sp->p, '$', len);
	size_t text_len = dollar ? (size_t)(dollar - sp->p) : len;
	char *text = cmd_xstrndup(sp->p, text_len);
	char *bind = dollar ? cmd_xstrndup(dollar + 1, len - text_len - 1) : text;

	if (text_len == 0 || (dollar && !*bind))
		cmd_syntax_fail(sp, "empty word or binding");
	sp->p += len;
	const char *help = cmd_syntax_help(sp);
	if (!strcmp(text, "LEVEL")) {
		cmd_syntax_level(in, bind, out);
		if (bind != text)
			free(text);
		return;
	}
	struct cmd_tok *t = cmd_tok_new(CMD_TOK_KEYWORD, text, bind, help);
	cmd_syntax_classify(sp, t);
	t->weak_bind = t->kind == CMD_TOK_KEYWORD && !dollar;
	cmd_link_all(in, t, out);
}

static void cmd_syntax_seq(struct cmd_sparser *sp, struct cmd_tokset *in,
			   struct cmd_tokset *out);

/* "<a|b|c>$name": the last token of each alternative binds 'name' (for
 * alternatives of single keywords: the keyword chosen). */
static void cmd_syntax_alt_bind(struct cmd_sparser *sp, struct cmd_tokset *out)
{
	size_t len = strcspn(sp->p + 1, " \t<>[]|");

	if (len == 0)
		cmd_syntax_fail(sp, "empty binding");
	char *bind = cmd_xstrndup(sp->p + 1, len);
	for (size_t i = 0; i < out->n; i++) {
		out->v[i]->bind = bind;
		out->v[i]->weak_bind = false;
	}
	sp->p += len + 1;
}

/* "<a|b|c>" */
static void cmd_syntax_alt(struct cmd_sparser *sp, struct cmd_tokset *in,
			   struct cmd_tokset *out)
{
	do {
		struct cmd_tokset alt = { 0 };

		sp->p++;	/* '<' or '|' */
		cmd_syntax_seq(sp, in, &alt);
		if (alt.n == in->n && !memcmp(alt.v, in->v, in->n * sizeof(*in->v)))
			cmd_syntax_fail(sp, "empty alternative");
		cmd_tokset_union(out, &alt);
		free(alt.v);
	} while (*sp->p == '|');
	if (*sp->p != '>')
		cmd_syntax_fail(sp, "'<' without '>'");
	sp->p++;
	if (*sp->p == '$')
		cmd_syntax_alt_bind(sp, out);
}

/* "[x]" */
static void cmd_syntax_opt(struct cmd_sparser *sp, struct cmd_tokset *in,
			   struct cmd_tokset *out)
{
	sp->p++;
	cmd_syntax_seq(sp, in, out);
	if (*sp->p != ']')
		cmd_syntax_fail(sp, "'[' without ']'");
	sp->p++;
	cmd_tokset_union(out, in);
}

static void cmd_syntax_item(struct cmd_sparser *sp, struct cmd_tokset *in,
			    struct cmd_tokset *out)
{
	if (*sp->p == '<')
		cmd_syntax_alt(sp, in, out);
	else if (*sp->p == '[')
		cmd_syntax_opt(sp, in, out);
	else
		cmd_syntax_word(sp, in, out);
}

/* A sequence, up to the end or an unmatched '|', '>' or ']'. */
static void cmd_syntax_seq(struct cmd_sparser *sp, struct cmd_tokset *in,
			   struct cmd_tokset *out)
{
	struct cmd_tokset cur = { 0 };

	cmd_tokset_union(&cur, in);
	for (;;) {
		struct cmd_tokset next = { 0 };

		sp->p += strspn(sp->p, " \t");
		if (!*sp->p || strchr("|>]", *sp->p))
			break;
		cmd_syntax_item(sp, &cur, &next);
		free(cur.v);
		cur = next;
	}
	cmd_tokset_union(out, &cur);
	free(cur.v);
}

/* A LINE token must end the command: it takes every remaining word. */
static void cmd_syntax_check_line(struct cmd_sparser *sp, const struct cmd_tok *t)
{
	for (size_t i = 0; i < t->n_next; i++) {
		if (t->kind == CMD_TOK_LINE)
			cmd_syntax_fail(sp, "LINE must be the last word");
		cmd_syntax_check_line(sp, t->next[i]);
	}
}

/* "no" before the first tokens of a CMD_F_NEGATABLE command. */
static void cmd_syntax_negation(struct cmd_graph *g)
{
	struct cmd_tok *no = cmd_tok_new(CMD_TOK_KEYWORD, "no", "no", cmd_no_help);

	no->weak_bind = true;
	no->negation = true;
	for (size_t i = 0; i < g->start.n_next; i++)
		cmd_tok_link(no, g->start.next[i]);
	cmd_tok_link(&g->start, no);
}

/* A syntax that itself starts with "no" declares a no-form command. */
static void cmd_syntax_mark_no(struct cmd_graph *g)
{
	for (size_t i = 0; i < g->start.n_next; i++)
		if (!strcmp(g->start.next[i]->text, "no"))
			g->start.next[i]->negation = true;
}

struct cmd_graph *cmd_graph_compile(const struct cmd_def *def)
{
	struct cmd_graph *g = cmd_xalloc(1, sizeof(*g));
	struct cmd_sparser sp = { .def = def, .p = def->syntax };
	struct cmd_tokset in = { 0 }, out = { 0 };

	g->def = def;
	g->start.kind = CMD_TOK_START;
	g->start.text = "";
	if (def->help)
		sp.help = sp.help_next = cmd_xstrndup(def->help, strlen(def->help));
	cmd_tokset_add(&in, &g->start);
	cmd_syntax_seq(&sp, &in, &out);
	if (*sp.p)
		cmd_syntax_fail(&sp, "unbalanced '|', '>' or ']'");
	if (sp.help_next)
		cmd_syntax_fail(&sp, "more help lines than words");
	for (size_t i = 0; i < out.n; i++) {
		if (out.v[i] == &g->start)
			cmd_syntax_fail(&sp, "the command can be empty");
		out.v[i]->final = true;
	}
	cmd_syntax_check_line(&sp, &g->start);
	cmd_syntax_mark_no(g);
	if (def->flags & CMD_F_NEGATABLE)
		cmd_syntax_negation(g);
	free(in.v);
	free(out.v);
	return g;
}
