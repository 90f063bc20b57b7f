/*
 * DOC: command registry, nodes, bound arguments and execution
 *
 * cmd_install() compiles declarations into graphs (cmd-syntax.c) and keeps
 * them for the life of the process; the matcher (cmd-match.c) picks the
 * command a line means; this file turns the winning path into bound
 * arguments and runs the handler.  Help and completion live in cmd-help.c.
 *
 * Handlers report errors with cmd_error(), which needs the arguments of the
 * running command to turn an argument name into a column.  Commands run on
 * the control thread only, so the arguments of the running handler are
 * kept in a file-scope pointer rather than widening the handler signature
 * of every command; it is saved and restored around each handler because
 * a handler may run another line ("do show ..." from a config node).
 */
#include "config/cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cmd-graph.h"
#include "core/log.h"

struct cmd_graph **cmd_graphs;
size_t cmd_n_graphs;

struct cmd_arg_value {
	const char *name;	/* borrowed from the token */
	char *value;		/* malloc()ed */
	int col;
	bool weak;
};

struct cmd_args {
	size_t n;
	struct cmd_arg_value *v;
};

static const struct cmd_args *cmd_running_args;

enum cmd_node cmd_node_parent(enum cmd_node n)
{
	switch (n) {
	case CMD_NODE_INTERFACE:
	case CMD_NODE_VLAN:
		return CMD_NODE_CONFIG;
	default:
		return CMD_NODE_EXEC;
	}
}

const char *cmd_node_prompt(enum cmd_node n)
{
	switch (n) {
	case CMD_NODE_CONFIG:
		return "(config)";
	case CMD_NODE_INTERFACE:
		return "(config-if)";
	case CMD_NODE_VLAN:
		return "(config-vlan)";
	default:
		return "";
	}
}

void cmd_install(const struct cmd_def *defs, size_t n)
{
	struct cmd_graph **v = realloc(cmd_graphs,
				       (cmd_n_graphs + n) * sizeof(*v));

	if (!v)
		fatalx("out of memory installing commands");
	cmd_graphs = v;
	for (size_t i = 0; i < n; i++) {
		struct cmd_graph *g = cmd_graph_compile(&defs[i]);

		g->order = cmd_n_graphs;
		cmd_graphs[cmd_n_graphs++] = g;
	}
}

/* An explicit binding beats a keyword bound to its own text, so
 * "vlan (1-4094)$vlan" binds 'vlan' to the number. */
static const struct cmd_arg_value *cmd_arg_find(const struct cmd_args *a,
						const char *name)
{
	const struct cmd_arg_value *weak = NULL;

	for (size_t i = a ? a->n : 0; i-- > 0;) {
		if (strcmp(a->v[i].name, name))
			continue;
		if (!a->v[i].weak)
			return &a->v[i];
		if (!weak)
			weak = &a->v[i];
	}
	return weak;
}

const char *cmd_arg(const struct cmd_args *a, const char *name)
{
	const struct cmd_arg_value *v = cmd_arg_find(a, name);

	return v ? v->value : NULL;
}

bool cmd_arg_has(const struct cmd_args *a, const char *name)
{
	return cmd_arg_find(a, name) != NULL;
}

long cmd_arg_num(const struct cmd_args *a, const char *name, long dflt)
{
	const char *s = cmd_arg(a, name);

	return s ? strtol(s, NULL, 10) : dflt;
}

int cmd_arg_col(const struct cmd_args *a, const char *name)
{
	const struct cmd_arg_value *v = cmd_arg_find(a, name);

	return v ? v->col : 0;
}

/* Column of the command's first word ("no" included). */
static int cmd_args_first_col(const struct cmd_args *a)
{
	int col = 0;

	for (size_t i = 0; a && i < a->n; i++)
		if (!col || a->v[i].col < col)
			col = a->v[i].col;
	return col ? col : 1;
}

void cmd_error(struct cmd_ctx *ctx, const char *argname, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	free(ctx->err_msg);
	ctx->err_msg = msg;
	ctx->err_col = argname ? cmd_arg_col(cmd_running_args, argname) : 0;
	if (!ctx->err_col)
		ctx->err_col = cmd_args_first_col(cmd_running_args);
}

static void cmd_args_free(struct cmd_args *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].value);
	free(a->v);
	free(a);
}

/* True if a token of the graph below 'tok' binds 'name' explicitly. */
static bool cmd_tok_binds(const struct cmd_tok *tok, const char *name)
{
	for (size_t i = 0; i < tok->n_next; i++) {
		const struct cmd_tok *t = tok->next[i];

		if ((!t->weak_bind && !strcmp(t->bind, name)) ||
		    cmd_tok_binds(t, name))
			return true;
	}
	return false;
}

/* Binds one path step.  LINE binds the raw rest of the line. */
static int cmd_args_add(struct cmd_args *a, const struct cmd_graph *g,
			const struct cmd_tok *tok, const struct lexer_line *l,
			int word)
{
	struct cmd_arg_value *v = &a->v[a->n];

	/* "no mtu [(68-9216)$mtu]" without the number must leave 'mtu'
	 * unbound, not bound to the keyword. */
	if (tok->weak_bind && cmd_tok_binds(&g->start, tok->bind))
		return 0;
	if (tok->kind == CMD_TOK_LINE)
		v->value = lexer_rest(l, (size_t)word);
	else if (tok->kind == CMD_TOK_KEYWORD)
		v->value = strdup(tok->text);
	else
		v->value = strdup(l->words[word].text);
	if (!v->value)
		return -1;
	v->name = tok->bind;
	v->col = l->words[word].col;
	v->weak = tok->weak_bind;
	a->n++;
	return 0;
}

/* Builds the arguments of the path ending at state 'last'. */
static struct cmd_args *cmd_args_build(const struct cmd_match *m, size_t last,
				       bool *negate)
{
	struct cmd_args *a = calloc(1, sizeof(*a));
	size_t len = 0;

	for (int i = (int)last; m->states[i].parent >= 0; i = m->states[i].parent)
		len++;
	if (!a || !(a->v = calloc(len ? len : 1, sizeof(*a->v)))) {
		free(a);
		return NULL;
	}
	*negate = false;
	for (int i = (int)last; m->states[i].parent >= 0; i = m->states[i].parent) {
		const struct cmd_state *s = &m->states[i];

		*negate |= s->tok->negation;
		if (cmd_args_add(a, s->graph, s->tok, m->line, s->word) < 0) {
			cmd_args_free(a);
			return NULL;
		}
	}
	return a;
}

void cmd_result_free(struct cmd_result *r)
{
	if (!r)
		return;
	free(r->msg);
	free(r->expected);
	r->msg = r->expected = NULL;
	r->col = 0;
}

void cmd_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static int cmd_fail(struct cmd_result *res, int col, char *msg)
{
	res->col = col ? col : 1;
	res->msg = msg ? msg : strdup("out of memory");
	return -1;
}

/* Runs the handler of the path ending at state 'last'. */
static int cmd_run(struct cmd_ctx *ctx, const struct cmd_match *m, size_t last,
		   struct cmd_result *res)
{
	const struct cmd_graph *g = m->states[last].graph;
	struct cmd_args *args = cmd_args_build(m, last, &ctx->negate);

	if (!args)
		return cmd_fail(res, 1, NULL);
	free(ctx->err_msg);
	ctx->err_msg = NULL;
	ctx->err_col = 0;
	const struct cmd_args *outer = cmd_running_args;
	cmd_running_args = args;
	int rc = g->def->fn(ctx, args);
	cmd_running_args = outer;
	if (rc < 0) {
		cmd_fail(res, ctx->err_col ? ctx->err_col : cmd_args_first_col(args),
			 ctx->err_msg ? ctx->err_msg : strdup("command failed"));
		ctx->err_msg = NULL;
	}
	cmd_args_free(args);
	return rc < 0 ? -1 : 0;
}

int cmd_execute(struct cmd_ctx *ctx, const char *line, struct cmd_result *res)
{
	struct lexer_line l;
	struct cmd_match m;
	size_t last;
	int rc;

	memset(res, 0, sizeof(*res));
	if (lexer_split(line, &l) < 0)
		return cmd_fail(res, 1, NULL);
	if (l.n_words == 0) {
		lexer_free(&l);
		return 0;
	}
	rc = cmd_match_line(&m, ctx->node, &l, &last, res);
	if (rc == 0)
		rc = cmd_run(ctx, &m, last, res);
	cmd_match_free(&m);
	lexer_free(&l);
	return rc;
}

int cmd_execute_nested(struct cmd_ctx *ctx, const char *line,
		       struct cmd_result *res)
{
	enum cmd_node start = ctx->node;
	struct cmd_result attempt;

	if (cmd_execute(ctx, line, res) == 0)
		return 0;
	while (ctx->node != CMD_NODE_CONFIG && ctx->node != CMD_NODE_EXEC) {
		ctx->node = cmd_node_parent(ctx->node);
		if (cmd_execute(ctx, line, &attempt) == 0) {
			cmd_result_free(res);
			return 0;
		}
		/* Report the attempt that got furthest into the line; on a
		 * tie the innermost node's, which was tried first. */
		if (attempt.col > res->col) {
			cmd_result_free(res);
			*res = attempt;
		} else {
			cmd_result_free(&attempt);
		}
	}
	ctx->node = start;
	return -1;
}
