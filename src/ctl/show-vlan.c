/*
 * DOC: "show vlan"
 *
 * The VLAN table is derived from the running config alone (no dataplane
 * state is needed): which VLANs exist and which ports carry each.  A VLAN
 * exists when it is VLAN 1, declared with "vlan N", or used by a port as its
 * access or native VLAN (IOS creates a VLAN on "switchport access vlan N"
 * too).  A trunk that allows all VLANs does not make all 4094 exist.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cmd.h"
#include "core/daemon.h"
#include "ctl/output.h"
#include "ctl/show.h"

static bool allowed(const struct sw_port_config *c, unsigned v)
{
	return c->allowed[v / 64] >> (v % 64) & 1;
}

static bool port_in_vlan(const struct cfg_iface *ci, unsigned v)
{
	if (ci->sw.mode == SW_MODE_ACCESS)
		return ci->sw.access_vlan == v;
	return allowed(&ci->sw, v);
}

static void vlan_name(const struct cfg *c, unsigned v, char name[CFG_VLAN_NAME_MAX])
{
	if (c->vlan_name[v][0])
		snprintf(name, CFG_VLAN_NAME_MAX, "%s", c->vlan_name[v]);
	else if (v == 1)
		snprintf(name, CFG_VLAN_NAME_MAX, "default");
	else
		snprintf(name, CFG_VLAN_NAME_MAX, "VLAN%04u", v);
}

/* Marks the VLANs that exist (see DOC) and returns how many. */
static unsigned vlans_existing(const struct cfg *c, bool exists[4096])
{
	unsigned n = 0;

	exists[1] = true;
	for (unsigned v = 1; v <= SW_VLAN_MAX; v++)
		exists[v] |= c->vlan_defined[v];
	for (unsigned i = 0; i < c->n_ifaces; i++) {
		const struct sw_port_config *sw = &c->ifaces[i].sw;

		if (sw->mode == SW_MODE_ACCESS)
			exists[sw->access_vlan & 0xfff] = true;
		else
			exists[sw->native_vlan & 0xfff] = true;
	}
	exists[0] = false;
	for (unsigned v = 1; v <= SW_VLAN_MAX; v++)
		n += exists[v];
	return n;
}

static int vlan_fill(const struct cfg *c, unsigned v, struct show_vlan *sv)
{
	sv->id = (uint16_t)v;
	vlan_name(c, v, sv->name);
	sv->ports = calloc(c->n_ifaces ? c->n_ifaces : 1, sizeof(*sv->ports));
	if (!sv->ports)
		return -ENOMEM;
	for (unsigned i = 0; i < c->n_ifaces; i++)
		if (port_in_vlan(&c->ifaces[i], v))
			memcpy(sv->ports[sv->n_ports++], c->ifaces[i].name,
			       CFG_NAME_MAX);
	return 0;
}

int show_vlans_gather(struct daemon *d, struct show_vlans *out)
{
	const struct cfg *c = d->running;
	bool *exists = calloc(4096, sizeof(*exists));

	out->n = 0;
	out->vlans = NULL;
	if (!exists)
		return -ENOMEM;
	unsigned n = vlans_existing(c, exists);

	out->vlans = calloc(n, sizeof(*out->vlans));
	if (!out->vlans) {
		free(exists);
		return -ENOMEM;
	}
	for (unsigned v = 1; v <= SW_VLAN_MAX; v++) {
		if (!exists[v])
			continue;
		/* Counted before filling so show_vlans_free() frees a
		 * partially filled entry too. */
		if (vlan_fill(c, v, &out->vlans[out->n++]) < 0) {
			free(exists);
			show_vlans_free(out);
			return -ENOMEM;
		}
	}
	free(exists);
	return 0;
}

void show_vlans_free(struct show_vlans *s)
{
	for (unsigned k = 0; k < s->n; k++)
		free(s->vlans[k].ports);
	free(s->vlans);
	s->vlans = NULL;
	s->n = 0;
}

static int cmd_show_vlan(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct show_vlans s;

	if (show_vlans_gather(ctx->daemon, &s) < 0) {
		cmd_error(ctx, NULL, "out of memory");
		return -1;
	}
	output_select(cmd_arg_has(args, "json"))->vlans(ctx->out, &s);
	show_vlans_free(&s);
	return 0;
}

/* "show vlan" and "show vlan brief" print the same table: IOS's long form
 * adds media types and SAIDs that mean nothing here. */
static const struct cmd_def show_vlan_cmds[] = {
	{
		.node = CMD_NODE_EXEC,
		.syntax = "show vlan [brief] [json$json]",
		.help = SHOW_HELP
			"VLANs and their member ports\n"
			"One line per VLAN\n"
			JSON_HELP,
		.fn = cmd_show_vlan,
	},
};

void show_vlan_install(void)
{
	cmd_install(show_vlan_cmds, sizeof(show_vlan_cmds) / sizeof(show_vlan_cmds[0]));
}
