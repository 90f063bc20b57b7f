/*
 * DOC: command declarations and the token-graph matcher
 *
 * Every command (config and exec) is declared once as a struct cmd_def:
 * node, syntax string, per-token help and a handler.  That single
 * declaration drives the config file loader, okapictl's live commands,
 * TAB completion and "?" help (FRR's DEFPY idea, hand-written matcher; see
 * STYLE.md section 5).
 *
 * Syntax strings (FRR notation):
 *   keyword            literal; may be abbreviated to any unique prefix
 *   (1-4094)           number in range
 *   WORD LINE MAC IFNAME PATH VLANLIST A.B.C.D A.B.C.D/M LEVEL
 *                      typed placeholders (LINE takes the rest of the line;
 *                      MAC accepts aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff and
 *                      aa-bb-cc-dd-ee-ff; VLANLIST is "10,20,30-40")
 *   <a|b|c>            exactly one of
 *   [x y]              optional sequence
 *   tok$name           binds the token's value to 'name' for the handler;
 *                      without $name a placeholder binds to its own text
 *                      (e.g. "DEVICE") and a keyword binds to itself,
 *                      unless the command binds that name explicitly
 *                      ("vlan (1-4094)$vlan": 'vlan' is the number, or
 *                      unbound when a no form omits it)
 *   <a|b>$name         the alternative taken binds to 'name'
 *
 * A command declared with CMD_F_NEGATABLE also matches with a leading "no";
 * trailing arguments of a "no" form may be omitted where the syntax marks
 * them optional.  A syntax that itself starts with the keyword "no"
 * declares a no-only form (FRR style: "no mtu [(68-9216)]" next to
 * "mtu (68-9216)"); either way the handler sees ctx->negate set.
 *
 * Keywords match case-insensitively.  LEVEL expands to FRR's eight log
 * level keywords (emergencies ... debugging), each with its own help,
 * bound to one name.  Help: one line per word of the syntax, in order
 * (a LEVEL counts as one word).  For a range or placeholder the help line
 * names the value, and errors use it up to the first " (":
 * "(1-4094)$vlan" with help "VLAN id" gives "invalid VLAN id '5000'
 * (expected 1-4094)".  A malformed declaration is fatal at cmd_install().
 *
 * Threading: control thread only.
 */
#ifndef OKAPI_CMD_H
#define OKAPI_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/cfg.h"
#include "lib/strbuf.h"

enum cmd_node {
	CMD_NODE_EXEC,		/* "okapi# " */
	CMD_NODE_CONFIG,	/* "okapi(config)# " */
	CMD_NODE_INTERFACE,	/* "okapi(config-if)# " */
	CMD_NODE_VLAN,		/* "okapi(config-vlan)# " */
	CMD_NODE__COUNT
};

/* The parent a node falls back to ("exit" goes there; the loader retries a
 * line that fails in a node in its parents, as FRR does). */
enum cmd_node cmd_node_parent(enum cmd_node n);
/* Prompt suffix: "", "(config)", "(config-if)", "(config-vlan)". */
const char *cmd_node_prompt(enum cmd_node n);

struct cmd_args;		/* values bound by the matcher */

/* Returns the text bound to 'name', or NULL if that part of the syntax was
 * not used.  Keywords bind to their full (unabbreviated) spelling. */
const char *cmd_arg(const struct cmd_args *a, const char *name);
bool cmd_arg_has(const struct cmd_args *a, const char *name);
/* Numeric value of a bound range token; 'dflt' if absent. */
long cmd_arg_num(const struct cmd_args *a, const char *name, long dflt);
/* Column (1-based) where the bound token starts, for error messages. */
int cmd_arg_col(const struct cmd_args *a, const char *name);

struct daemon;

/* The execution context: one per okapictl session or file load. */
struct cmd_ctx {
	enum cmd_node node;
	struct cfg *cfg;		/* config being edited (config nodes) */
	char iface[CFG_NAME_MAX];	/* interface node: which interface */
	uint16_t vlan;			/* vlan node: which VLAN */
	bool negate;			/* the line started with "no" */
	struct strbuf *out;		/* exec commands write output here */
	struct daemon *daemon;		/* NULL when checking a file offline */
	/* Set by a handler through cmd_error(). */
	int err_col;
	char *err_msg;
};

/* Records a handler error at the column of argument 'argname' (NULL: the
 * start of the line).  The handler then returns -1. */
void cmd_error(struct cmd_ctx *ctx, const char *argname, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

typedef int (*cmd_fn)(struct cmd_ctx *ctx, const struct cmd_args *args);

enum cmd_flags {
	CMD_F_NEGATABLE = 1 << 0,	/* "no" form accepted */
	CMD_F_HIDDEN    = 1 << 1,	/* not shown in help/completion */
};

struct cmd_def {
	enum cmd_node node;
	const char *syntax;
	const char *help;	/* one line per token of syntax, '\n'-separated */
	cmd_fn fn;
	unsigned flags;
};

/* Registers an array of commands (kept by reference; must be static). */
void cmd_install(const struct cmd_def *defs, size_t n);
/* Installs the config commands of config/cfg-cmds.c (idempotent). */
void cmd_install_config_commands(void);

/* Result of matching a line. */
struct cmd_result {
	int col;		/* 1-based column of the problem; 0 if none */
	char *msg;		/* malloc()ed: "invalid VLAN id '5000' (expected 1-4094)" */
	char *expected;		/* malloc()ed: "A.B.C.D/M, \"area\"" or NULL */
};
void cmd_result_free(struct cmd_result *r);

/* Matches 'line' in ctx->node and runs the handler.  Blank and comment
 * lines succeed.  Returns 0, or -1 with *res filled (unknown command,
 * ambiguous abbreviation, bad argument, handler error). */
int cmd_execute(struct cmd_ctx *ctx, const char *line, struct cmd_result *res);

/* Like cmd_execute(), but a line that fails in a sub-node (interface,
 * vlan) is retried in the parent nodes up to CMD_NODE_CONFIG, as FRR's
 * config reader and vtysh do: a top-level command implicitly closes the
 * block.  On success ctx->node is whatever the command left it at (the
 * parent, or the node the command entered).  On failure ctx->node is
 * unchanged and *res holds the error of the attempt that got furthest
 * into the line (the innermost node's on a tie). */
int cmd_execute_nested(struct cmd_ctx *ctx, const char *line,
		       struct cmd_result *res);

/* Completion for TAB: the candidate words for the last (partial) word of
 * 'line' in 'node'.  Returns a malloc()ed NULL-terminated array of
 * malloc()ed strings (free with cmd_strv_free), NULL if none. */
char **cmd_complete(enum cmd_node node, const char *line);
/* Help for "?": one "  word  help text" line per possible next token
 * appended to 'out' (as vtysh prints it). */
void cmd_describe(enum cmd_node node, const char *line, struct strbuf *out);
void cmd_strv_free(char **v);

/* Loads a config file: executes each line starting in CONFIG node, retrying
 * a failing line in parent nodes (FRR), accepting "frr version", "frr
 * defaults", "exit", "end", "!" and "#" comments.  Keeps going after
 * errors.  On success returns a new cfg.  On failure returns NULL and
 * appends every error to 'errs' as
 *     FILE:LINE:COL: error: MESSAGE
 *         the source line
 *             ^
 *     expected one of: ...
 * 'name' is the file name used in messages.  Returns NULL with the error
 * "FILE: cannot read: strerror" if the file cannot be read. */
struct cfg *cfg_load_file(const char *path, struct strbuf *errs);
struct cfg *cfg_load_string(const char *name, const char *text,
			    struct strbuf *errs);

#endif
