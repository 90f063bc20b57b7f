/*
 * DOC: "show version" and "show running-config"
 *
 * show running-config prints the canonical form (cfg_print) after folding
 * the sticky MACs the dataplane learned into the running config, so what
 * it shows is exactly what "write memory" would save, and parsing it back
 * gives the same config.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cmd.h"
#include "core/daemon.h"
#include "core/version.h"
#include "ctl/output.h"
#include "ctl/show.h"
#include "dp/dp.h"


/* dp_now() when the commands were installed, i.e. at start-up. */
static uint64_t show_start_time;

void show_version_gather(struct daemon *d, struct show_version *out)
{
	const struct cfg *c = d->running;

	memset(out, 0, sizeof(*out));
	snprintf(out->version, sizeof(out->version), "%s", OKAPI_VERSION);
	snprintf(out->hostname, sizeof(out->hostname), "%s", c->hostname);
	out->uptime = dp_now() - show_start_time;
	snprintf(out->config_path, sizeof(out->config_path), "%s", d->config_path);
	snprintf(out->socket_path, sizeof(out->socket_path), "%s", d->socket_path);
	out->n_ifaces = c->n_ifaces;
	for (unsigned i = 0; i < c->n_ifaces; i++)
		out->n_attached += d->slots && d->slots[i] >= 0;
	out->fdb_limit = c->mac_max;
	dp_quiesce(d->dp);
	out->fdb_entries = sw_fdb_count(dp_switch(d->dp));
	dp_resume(d->dp);
}

int show_running_config(struct daemon *d, const struct output *o,
			struct strbuf *out)
{
	daemon_sync_sticky(d);
	char *text = cfg_print(d->running);

	if (!text)
		return -ENOMEM;
	o->running_config(out, text);
	free(text);
	return 0;
}

static int cmd_show_running(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	if (show_running_config(ctx->daemon, output_select(cmd_arg_has(args, "json")),
				ctx->out) < 0) {
		cmd_error(ctx, NULL, "out of memory");
		return -1;
	}
	return 0;
}

static int cmd_show_version(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct show_version v;

	show_version_gather(ctx->daemon, &v);
	output_select(cmd_arg_has(args, "json"))->version(ctx->out, &v);
	return 0;
}

static const struct cmd_def show_misc_cmds[] = {
	{
		.node = CMD_NODE_EXEC,
		.syntax = "show running-config [json$json]",
		.help = SHOW_HELP
			"Current operating configuration\n"
			JSON_HELP,
		.fn = cmd_show_running,
	},
	{
		.node = CMD_NODE_EXEC,
		.syntax = "show version [json$json]",
		.help = SHOW_HELP
			"Version, uptime and table sizes\n"
			JSON_HELP,
		.fn = cmd_show_version,
	},
};

void show_misc_install(void)
{
	show_start_time = dp_now();
	cmd_install(show_misc_cmds, sizeof(show_misc_cmds) / sizeof(show_misc_cmds[0]));
}
