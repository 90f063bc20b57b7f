/*
 * DOC: EXEC-node commands other than show, and "do"
 *
 * configure terminal, exit/quit, write (memory|file|terminal), copy
 * running-config startup-config, reload and clear counters, plus "do LINE"
 * in the config nodes, which runs LINE as an exec command without leaving
 * the config node (vtysh and IOS).  ctl_install_exec_commands() installs
 * these and the show commands of show-*.c.
 *
 * Exec commands only run inside a control session, where ctx->daemon is
 * set; "do" also exists in config nodes, which a file load (no daemon) may
 * reach, so it checks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cmd.h"
#include "core/daemon.h"
#include "ctl/ctl-server.h"
#include "ctl/output.h"
#include "ctl/show.h"
#include "dp/dp.h"

static int cmd_configure(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	ctx->node = CMD_NODE_CONFIG;
	ctx->iface[0] = '\0';
	ctx->vlan = 0;
	return 0;
}

static int cmd_exit(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	ctl_session_end(ctx);
	return 0;
}

/* "end" at the exec node: already there.  Accepted so that a script that
 * says "end" once too often does not fail. */
static int cmd_end(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return 0;
}

static int cmd_write_memory(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct daemon *d = ctx->daemon;
	int err = daemon_write_config(d);

	if (err) {
		cmd_error(ctx, NULL, "cannot write %s: %s", d->config_path,
			  strerror(-err));
		return -1;
	}
	strbuf_printf(ctx->out, "Building configuration...\n"
		      "Configuration saved to %s\n[OK]\n", d->config_path);
	return 0;
}

static int cmd_write_terminal(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	if (show_running_config(ctx->daemon, &output_text, ctx->out) < 0) {
		cmd_error(ctx, NULL, "out of memory");
		return -1;
	}
	return 0;
}

static int cmd_reload(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct daemon *d = ctx->daemon;
	struct strbuf errs = STRBUF_INIT;

	if (daemon_reload(d, &errs) < 0) {
		while (errs.len && errs.s[errs.len - 1] == '\n')
			errs.s[--errs.len] = '\0';
		cmd_error(ctx, NULL, "reload of %s failed; running configuration unchanged:\n%s",
			  d->config_path, strbuf_str(&errs));
		strbuf_free(&errs);
		return -1;
	}
	/* Applied; what is left are ports that could not be opened yet. */
	strbuf_puts(ctx->out, strbuf_str(&errs));
	strbuf_printf(ctx->out, "Configuration reloaded from %s\n", d->config_path);
	strbuf_free(&errs);
	return 0;
}

static int cmd_clear_counters(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct daemon *d = ctx->daemon;
	const struct cfg *c = d->running;
	const char *name = cmd_arg(args, "name");

	if (name && !cfg_iface_find(c, name)) {
		cmd_error(ctx, "name", "unknown interface '%s'", name);
		return -1;
	}
	dp_quiesce(d->dp);
	struct sw *sw = dp_switch(d->dp);

	for (unsigned i = 0; i < c->n_ifaces; i++) {
		int slot = d->slots ? d->slots[i] : -1;
		struct port *p = slot >= 0 ? sw_port_get(sw, slot) : NULL;

		if (p && (!name || !strcmp(c->ifaces[i].name, name)))
			memset(&p->stats, 0, sizeof(p->stats));
	}
	dp_resume(d->dp);
	return 0;
}

/* Runs LINE in the exec node on a throw-away context, so "do configure
 * terminal" cannot move the session, and maps an error's column back into
 * the whole line. */
static int cmd_do(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *line = cmd_arg(args, "line");
	int base = cmd_arg_col(args, "line");
	struct cmd_result res;

	if (!ctx->daemon) {
		cmd_error(ctx, NULL, "\"do\" runs exec commands, which need a running okapid");
		return -1;
	}
	struct cmd_ctx sub = {
		.node = CMD_NODE_EXEC,
		.cfg = ctx->daemon->running,
		.out = ctx->out,
		.daemon = ctx->daemon,
	};

	ctl_session_exec_ran(ctx);
	if (cmd_execute(&sub, line, &res) == 0)
		return 0;
	if (res.expected)
		cmd_error(ctx, NULL, "%s\nexpected one of: %s", res.msg, res.expected);
	else
		cmd_error(ctx, NULL, "%s", res.msg);
	ctx->err_col = base + (res.col > 0 ? res.col - 1 : 0);
	cmd_result_free(&res);
	return -1;
}

#define DO_DEF(NODE) {							\
	.node = NODE,							\
	.syntax = "do LINE$line",					\
	.help = "Run an exec command from a config node\n"		\
		"Exec command\n",					\
	.fn = cmd_do,							\
}

static const struct cmd_def exec_cmds[] = {
	{
		.node = CMD_NODE_EXEC,
		.syntax = "configure [terminal]",
		.help = "Configuration from vty interface\n"
			"Configuration terminal\n",
		.fn = cmd_configure,
	},
	{
		.node = CMD_NODE_EXEC,
		.syntax = "<exit|quit>",
		.help = "End the session\n"
			"End the session\n",
		.fn = cmd_exit,
	},
	{
		.node = CMD_NODE_EXEC,
		.syntax = "end",
		.help = "End configuration mode (already at the exec level)\n",
		.fn = cmd_end,
		.flags = CMD_F_HIDDEN,
	},
	{
		.node = CMD_NODE_EXEC,
		.syntax = "write [<memory|file>]",
		.help = "Write running configuration to memory, network, or terminal\n"
			"Write configuration to the configuration file\n"
			"Write configuration to the configuration file\n",
		.fn = cmd_write_memory,
	},
	{
		.node = CMD_NODE_EXEC,
		.syntax = "write terminal",
		.help = "Write running configuration to memory, network, or terminal\n"
			"Write to terminal\n",
		.fn = cmd_write_terminal,
	},
	{
		.node = CMD_NODE_EXEC,
		.syntax = "copy running-config startup-config",
		.help = "Copy configuration\n"
			"Copy running config to...\n"
			"Copy running config to startup config (same as write file)\n",
		.fn = cmd_write_memory,
	},
	{
		.node = CMD_NODE_EXEC,
		.syntax = "reload",
		.help = "Re-read the configuration file and apply the differences\n",
		.fn = cmd_reload,
	},
	{
		.node = CMD_NODE_EXEC,
		.syntax = "clear counters [IFNAME$name]",
		.help = "Reset functions\n"
			"Interface counters\n"
			"Interface name (default: all)\n",
		.fn = cmd_clear_counters,
	},
	DO_DEF(CMD_NODE_CONFIG),
	DO_DEF(CMD_NODE_INTERFACE),
	DO_DEF(CMD_NODE_VLAN),
};

void ctl_install_exec_commands(void)
{
	static bool installed;

	if (installed)
		return;
	installed = true;
	cmd_install(exec_cmds, sizeof(exec_cmds) / sizeof(exec_cmds[0]));
	show_iface_install();
	show_vlan_install();
	show_mac_install();
	show_misc_install();
}
