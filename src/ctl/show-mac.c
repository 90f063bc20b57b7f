/*
 * DOC: "show mac-address-table" and "clear mac-address-table"
 *
 * The FDB lives in the dataplane, so every read or flush happens between
 * dp_quiesce() and dp_resume().  The walk copies the entries (with the
 * interface name resolved from the switch slot) into a show_macs array so
 * formatting, which may take a while for a full table of 65536 entries,
 * runs with the worker forwarding again.
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

int show_mac_filter_init(struct daemon *d, struct show_mac_filter *f,
			 uint16_t vlan, const char *iface)
{
	memset(f, 0, sizeof(*f));
	f->vlan = vlan;
	f->slot = -1;
	if (!iface)
		return 0;
	if (!cfg_iface_find(d->running, iface))
		return -ENOENT;
	f->iface_set = true;
	snprintf(f->iface, sizeof(f->iface), "%s", iface);
	f->slot = daemon_iface_slot(d, iface);
	return 0;
}

static bool filter_match(const struct show_mac_filter *f,
			 const struct sw_fdb_entry_info *e)
{
	if (f->vlan && e->vlan != f->vlan)
		return false;
	/* A named but unattached interface (slot -1) matches nothing. */
	return !f->iface_set || (f->slot >= 0 && e->slot == f->slot);
}

struct mac_walk {
	const struct show_mac_filter *filter;
	char (*names)[CFG_NAME_MAX];	/* slot -> interface name */
	struct show_macs *out;
	size_t cap;
	bool failed;
};

static void mac_collect(const struct sw_fdb_entry_info *e, void *arg)
{
	struct mac_walk *w = arg;

	if (w->failed || !filter_match(w->filter, e))
		return;
	if (w->out->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		struct show_mac *v = realloc(w->out->macs, cap * sizeof(*v));

		if (!v) {
			w->failed = true;
			return;
		}
		w->out->macs = v;
		w->cap = cap;
	}
	struct show_mac *m = &w->out->macs[w->out->n++];

	memcpy(m->mac, e->mac, 6);
	m->vlan = e->vlan;
	m->type = e->type;
	m->age = e->age;
	if (e->slot >= 0 && e->slot < SW_MAX_PORTS)
		memcpy(m->iface, w->names[e->slot], sizeof(m->iface));
	else
		m->iface[0] = '\0';
}

/* slot -> interface name for the running config's attached ports. */
static char (*slot_names(const struct daemon *d))[CFG_NAME_MAX]
{
	char (*names)[CFG_NAME_MAX] = calloc(SW_MAX_PORTS, sizeof(*names));
	const struct cfg *c = d->running;

	for (unsigned i = 0; names && i < c->n_ifaces; i++) {
		int slot = d->slots ? d->slots[i] : -1;

		if (slot >= 0 && slot < SW_MAX_PORTS)
			memcpy(names[slot], c->ifaces[i].name, CFG_NAME_MAX);
	}
	return names;
}

int show_macs_gather(struct daemon *d, const struct show_mac_filter *f,
		     struct show_macs *out)
{
	struct mac_walk w = { .filter = f, .out = out, .names = slot_names(d) };

	out->n = 0;
	out->macs = NULL;
	if (!w.names)
		return -ENOMEM;
	dp_quiesce(d->dp);
	sw_fdb_walk(dp_switch(d->dp), dp_now(), mac_collect, &w);
	dp_resume(d->dp);
	free(w.names);
	if (w.failed) {
		show_macs_free(out);
		return -ENOMEM;
	}
	return 0;
}

void show_macs_free(struct show_macs *s)
{
	free(s->macs);
	s->macs = NULL;
	s->n = 0;
}

struct count_walk {
	const struct show_mac_filter *filter;
	struct show_mac_count *out;
};

static void mac_count(const struct sw_fdb_entry_info *e, void *arg)
{
	struct count_walk *w = arg;

	if (!filter_match(w->filter, e))
		return;
	if ((unsigned)e->type < 4)
		w->out->by_type[e->type]++;
	w->out->total++;
}

void show_mac_count_gather(struct daemon *d, const struct show_mac_filter *f,
			   struct show_mac_count *out)
{
	struct count_walk w = { .filter = f, .out = out };

	memset(out, 0, sizeof(*out));
	out->vlan = f->vlan;
	memcpy(out->iface, f->iface, sizeof(out->iface));
	out->limit = d->running->mac_max;
	dp_quiesce(d->dp);
	struct sw *sw = dp_switch(d->dp);

	sw_fdb_walk(sw, dp_now(), mac_count, &w);
	out->used = sw_fdb_count(sw);
	out->learn_failures = sw_fdb_learn_failures(sw);
	dp_resume(d->dp);
}

/* Resolves "vlan N" and "interface NAME" of either command. */
static int filter_from_args(struct cmd_ctx *ctx, const struct cmd_args *args,
			    struct show_mac_filter *f)
{
	const char *iface = cmd_arg(args, "ifname");
	uint16_t vlan = (uint16_t)cmd_arg_num(args, "vid", 0);

	if (show_mac_filter_init(ctx->daemon, f, vlan, iface) < 0) {
		cmd_error(ctx, "ifname", "unknown interface '%s'", iface);
		return -1;
	}
	return 0;
}

static int cmd_show_mac(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const struct output *o = output_select(cmd_arg_has(args, "json"));
	struct show_mac_filter f;

	if (filter_from_args(ctx, args, &f) < 0)
		return -1;
	if (cmd_arg_has(args, "count")) {
		struct show_mac_count c;

		show_mac_count_gather(ctx->daemon, &f, &c);
		o->mac_count(ctx->out, &c);
		return 0;
	}
	struct show_macs s;

	if (show_macs_gather(ctx->daemon, &f, &s) < 0) {
		cmd_error(ctx, NULL, "out of memory");
		return -1;
	}
	o->macs(ctx->out, &s);
	show_macs_free(&s);
	return 0;
}

/* Flushes dynamic entries only, as sw_fdb_flush() does: static, secure
 * and sticky entries are configuration.  "dynamic" is accepted for IOS
 * habits and changes nothing. */
static int cmd_clear_mac(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct daemon *d = ctx->daemon;
	struct show_mac_filter f;

	if (filter_from_args(ctx, args, &f) < 0)
		return -1;
	if (f.iface_set && f.slot < 0)
		return 0;	/* not attached: it has no entries */
	dp_quiesce(d->dp);
	sw_fdb_flush(dp_switch(d->dp), f.vlan, f.slot);
	dp_resume(d->dp);
	return 0;
}

#define SHOW_MAC_ARGS_HELP						\
	"Entries of one VLAN\n"						\
	"VLAN id\n"							\
	"Entries learned on or configured for one interface\n"		\
	"Interface name\n"						\
	"Entry counts and table limits\n"				\
	JSON_HELP

#define CLEAR_MAC_ARGS_HELP						\
	"Dynamic entries (static and secure entries are never cleared)\n" \
	"Entries of one VLAN\n"						\
	"VLAN id\n"							\
	"Entries of one interface\n"					\
	"Interface name\n"

#define SHOW_MAC_ARGS "[vlan (1-4094)$vid] [interface IFNAME$ifname] [count$count] [json$json]"
#define CLEAR_MAC_ARGS "[dynamic] [vlan (1-4094)$vid] [interface IFNAME$ifname]"

/* Both IOS spellings: "mac-address-table" (12.1 and older, and what FRR
 * users expect) and "mac address-table" (12.2 and later). */
static const struct cmd_def show_mac_cmds[] = {
	{
		.node = CMD_NODE_EXEC,
		.syntax = "show mac-address-table " SHOW_MAC_ARGS,
		.help = SHOW_HELP "MAC address table\n" SHOW_MAC_ARGS_HELP,
		.fn = cmd_show_mac,
	},
	{
		.node = CMD_NODE_EXEC,
		.syntax = "show mac address-table " SHOW_MAC_ARGS,
		.help = SHOW_HELP "MAC address information\nMAC address table\n"
			SHOW_MAC_ARGS_HELP,
		.fn = cmd_show_mac,
	},
	{
		.node = CMD_NODE_EXEC,
		.syntax = "clear mac-address-table " CLEAR_MAC_ARGS,
		.help = "Reset functions\nMAC address table\n" CLEAR_MAC_ARGS_HELP,
		.fn = cmd_clear_mac,
	},
	{
		.node = CMD_NODE_EXEC,
		.syntax = "clear mac address-table " CLEAR_MAC_ARGS,
		.help = "Reset functions\nMAC address table\nMAC address table\n" CLEAR_MAC_ARGS_HELP,
		.fn = cmd_clear_mac,
	},
};

void show_mac_install(void)
{
	cmd_install(show_mac_cmds, sizeof(show_mac_cmds) / sizeof(show_mac_cmds[0]));
}
