/*
 * DOC: "show interface" and "show port-security"
 *
 * Both print per-interface data (config + switch state + port counters), so
 * they share one gatherer: it copies the running config's view of each
 * interface and, with the dataplane quiesced once for all interfaces, the
 * switch's port state and the port counters.  Interfaces that are not
 * attached still appear, with zero counters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cmd.h"
#include "core/daemon.h"
#include "ctl/output.h"
#include "ctl/show.h"
#include "dp/dp.h"

static void iface_copy_config(struct show_iface *si, const struct cfg_iface *ci)
{
	memcpy(si->name, ci->name, sizeof(si->name));
	memcpy(si->description, ci->description, sizeof(si->description));
	si->attach = ci->attach;
	si->sw = ci->sw;
	si->allowed_all = ci->allowed_all;
}

int show_ifaces_gather(struct daemon *d, const char *name,
		       struct show_ifaces *out)
{
	out->n = 0;
	out->ifaces = NULL;
	daemon_sync_sticky(d);
	const struct cfg *c = d->running;

	if (name && !cfg_iface_find(c, name))
		return -ENOENT;
	out->ifaces = calloc(c->n_ifaces ? c->n_ifaces : 1, sizeof(*out->ifaces));
	if (!out->ifaces)
		return -ENOMEM;
	dp_quiesce(d->dp);
	struct sw *sw = dp_switch(d->dp);

	for (unsigned i = 0; i < c->n_ifaces; i++) {
		const struct cfg_iface *ci = &c->ifaces[i];

		if (name && strcmp(ci->name, name))
			continue;
		struct show_iface *si = &out->ifaces[out->n++];
		int slot = d->slots ? d->slots[i] : -1;

		iface_copy_config(si, ci);
		if (d->attach_errors && d->attach_errors[i])
			snprintf(si->attach_error, sizeof(si->attach_error), "%s",
				 d->attach_errors[i]);
		if (slot < 0)
			continue;
		const struct port *p = sw_port_get(sw, slot);

		si->attached = true;
		sw_port_info(sw, slot, &si->info);
		if (p)
			si->stats = p->stats;
	}
	dp_resume(d->dp);
	return 0;
}

void show_ifaces_free(struct show_ifaces *s)
{
	free(s->ifaces);
	s->ifaces = NULL;
	s->n = 0;
}

/* Gathers for a handler; reports an unknown interface at 'argname'. */
static int gather_or_error(struct cmd_ctx *ctx, const char *name,
			   const char *argname, struct show_ifaces *s)
{
	int err = show_ifaces_gather(ctx->daemon, name, s);

	if (err == -ENOENT)
		cmd_error(ctx, argname, "unknown interface '%s'", name);
	else if (err)
		cmd_error(ctx, NULL, "out of memory");
	return err ? -1 : 0;
}

static int cmd_show_interface(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *name = cmd_arg(args, "name");
	bool brief = cmd_arg_has(args, "brief");
	struct show_ifaces s;

	if (gather_or_error(ctx, name, "name", &s) < 0)
		return -1;
	output_select(cmd_arg_has(args, "json"))->interfaces(ctx->out, &s, brief);
	show_ifaces_free(&s);
	return 0;
}

static int cmd_show_port_security(struct cmd_ctx *ctx,
				  const struct cmd_args *args)
{
	const char *name = cmd_arg(args, "name");
	struct show_ifaces s;

	if (gather_or_error(ctx, name, "name", &s) < 0)
		return -1;
	output_select(cmd_arg_has(args, "json"))->port_security(ctx->out, &s,
		name != NULL);
	show_ifaces_free(&s);
	return 0;
}

static const struct cmd_def show_iface_cmds[] = {
	{
		.node = CMD_NODE_EXEC,
		.syntax = "show interface [<brief$brief|IFNAME$name>] [json$json]",
		.help = SHOW_HELP
			"Interface status and configuration\n"
			"Brief summary, one line per interface\n"
			"Interface name\n"
			JSON_HELP,
		.fn = cmd_show_interface,
	},
	{
		.node = CMD_NODE_EXEC,
		.syntax = "show port-security [interface IFNAME$name] [json$json]",
		.help = SHOW_HELP
			"Port security status\n"
			"One interface in detail\n"
			"Interface name\n"
			JSON_HELP,
		.fn = cmd_show_port_security,
	},
};

void show_iface_install(void)
{
	cmd_install(show_iface_cmds, sizeof(show_iface_cmds) / sizeof(show_iface_cmds[0]));
}
