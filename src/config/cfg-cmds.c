/*
 * DOC: global config commands, the vlan node and block navigation
 *
 *   hostname, log, vlan N / name, interface NAME (entering the blocks),
 *   mac-address-table aging-time | static | limit maximum (also Cisco's
 *   "mac address-table ..."), FRR's "frr version|defaults" header lines,
 *   exit and end.
 *
 * Each command is declared once here and serves the file loader, okapictl
 * and help alike (cmd.h).  Handlers edit ctx->cfg, a private copy or a
 * config being loaded, and either succeed or change nothing: the loader
 * retries a failed line in parent nodes, so a half-applied failure would
 * leak into the result.
 */
#include "config/cfg-cmds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mac.h"

#define MACTAB_STR "MAC address table\n"
#define CISCO_MACTAB_STR "MAC address\nMAC address table\n"

struct cfg_iface *cfg_cmd_iface(struct cmd_ctx *ctx)
{
	struct cfg_iface *i = cfg_iface_get(ctx->cfg, ctx->iface);

	if (!i)
		cmd_error(ctx, NULL, "out of memory");
	return i;
}

int cfg_cmd_copy(struct cmd_ctx *ctx, const char *arg, const char *what,
		 char *dst, size_t size, const char *value)
{
	size_t len = strlen(value);

	/* Quote at most 40 characters: the caret shows where it starts. */
	if (len >= size) {
		cmd_error(ctx, arg, "%s '%.*s%s' is too long (at most %zu characters)",
			  what, len > 40 ? 37 : (int)len, value, len > 40 ? "..." : "",
			  size - 1);
		return -1;
	}
	snprintf(dst, size, "%s", value);
	return 0;
}

static int cfg_hostname(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	if (ctx->negate)
		return cfg_cmd_copy(ctx, NULL, "host name", ctx->cfg->hostname,
				    sizeof(ctx->cfg->hostname), "okapi");
	return cfg_cmd_copy(ctx, "name", "host name", ctx->cfg->hostname,
			    sizeof(ctx->cfg->hostname), cmd_arg(a, "name"));
}

static enum log_level cfg_level(const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "level");
	int lvl = name ? log_level_from_name(name) : -1;

	return lvl < 0 ? LOG_LVL_INFO : (enum log_level)lvl;
}

static void cfg_log_reset(struct cfg *c)
{
	c->log_dest = LOG_DEST_STDOUT;
	c->log_level = LOG_LVL_INFO;
	c->log_file[0] = '\0';
}

/* "log stdout|syslog [LEVEL]"; the "no" form only resets the destination
 * it names, so "no log syslog" leaves a "log file" alone. */
static int cfg_log(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	enum log_dest dest = !strcmp(cmd_arg(a, "dest"), "syslog") ?
			     LOG_DEST_SYSLOG : LOG_DEST_STDOUT;

	if (ctx->negate) {
		if (ctx->cfg->log_dest == dest)
			cfg_log_reset(ctx->cfg);
		return 0;
	}
	cfg_log_reset(ctx->cfg);
	ctx->cfg->log_dest = dest;
	ctx->cfg->log_level = cfg_level(a);
	return 0;
}

static int cfg_log_file(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cfg *c = ctx->cfg;
	char path[sizeof(c->log_file)];

	if (ctx->negate) {
		if (c->log_dest == LOG_DEST_FILE)
			cfg_log_reset(c);
		return 0;
	}
	if (cfg_cmd_copy(ctx, "path", "log file path", path, sizeof(path),
			 cmd_arg(a, "path")) < 0)
		return -1;
	cfg_log_reset(c);
	c->log_dest = LOG_DEST_FILE;
	c->log_level = cfg_level(a);
	snprintf(c->log_file, sizeof(c->log_file), "%s", path);
	return 0;
}

static int cfg_vlan(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	long vid = cmd_arg_num(a, "vlan", 1);

	if (ctx->negate) {
		ctx->cfg->vlan_defined[vid] = false;
		ctx->cfg->vlan_name[vid][0] = '\0';
		return 0;
	}
	ctx->cfg->vlan_defined[vid] = true;
	ctx->vlan = (uint16_t)vid;
	ctx->node = CMD_NODE_VLAN;
	return 0;
}

static int cfg_vlan_name(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	char *name = ctx->cfg->vlan_name[ctx->vlan];

	if (ctx->negate) {
		name[0] = '\0';
		return 0;
	}
	return cfg_cmd_copy(ctx, "name", "VLAN name", name, CFG_VLAN_NAME_MAX,
			    cmd_arg(a, "name"));
}

static int cfg_interface(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "name");

	if (ctx->negate) {
		cfg_iface_delete(ctx->cfg, name);
		return 0;
	}
	if (!cfg_iface_get(ctx->cfg, name)) {
		cmd_error(ctx, NULL, "out of memory");
		return -1;
	}
	snprintf(ctx->iface, sizeof(ctx->iface), "%s", name);
	ctx->node = CMD_NODE_INTERFACE;
	return 0;
}

static int cfg_aging(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	ctx->cfg->mac_aging = ctx->negate ? SW_AGING_DEFAULT :
			      (unsigned)cmd_arg_num(a, "seconds", SW_AGING_DEFAULT);
	return 0;
}

static int cfg_limit(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	ctx->cfg->mac_max = ctx->negate ? SW_FDB_DEFAULT_MAX :
			    (unsigned)cmd_arg_num(a, "max", SW_FDB_DEFAULT_MAX);
	return 0;
}

static int cfg_busy_poll(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	ctx->cfg->busy_poll_us = ctx->negate ? DP_BUSY_POLL_DEFAULT :
				 (unsigned)cmd_arg_num(a, "usec", DP_BUSY_POLL_DEFAULT);
	return 0;
}

static struct cfg_static_mac *cfg_static_find(const struct cfg *c,
					      const uint8_t mac[6], uint16_t vlan)
{
	for (unsigned i = 0; i < c->n_static_macs; i++)
		if (!memcmp(c->static_macs[i].mac, mac, 6) &&
		    c->static_macs[i].vlan == vlan)
			return &c->static_macs[i];
	return NULL;
}

static struct cfg_static_mac *cfg_static_add(struct cmd_ctx *ctx,
					     const uint8_t mac[6], uint16_t vlan)
{
	struct cfg *c = ctx->cfg;
	struct cfg_static_mac *s = cfg_static_find(c, mac, vlan);

	if (s)
		return s;
	s = realloc(c->static_macs, (c->n_static_macs + 1) * sizeof(*s));
	if (!s) {
		cmd_error(ctx, NULL, "out of memory");
		return NULL;
	}
	c->static_macs = s;
	s = &c->static_macs[c->n_static_macs++];
	memset(s, 0, sizeof(*s));
	memcpy(s->mac, mac, 6);
	s->vlan = vlan;
	return s;
}

static void cfg_static_remove(struct cfg *c, struct cfg_static_mac *s)
{
	size_t idx = (size_t)(s - c->static_macs);

	memmove(s, s + 1, (c->n_static_macs - idx - 1) * sizeof(*s));
	c->n_static_macs--;
}

/* The interface is checked by cfg_validate(), not here: a static entry
 * may come before its interface block in a file. */
static int cfg_static(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	uint16_t vlan = (uint16_t)cmd_arg_num(a, "vlan", 1);
	struct cfg_static_mac *s;
	uint8_t mac[6];

	mac_parse(cmd_arg(a, "MAC"), mac);
	if (ctx->negate) {
		if ((s = cfg_static_find(ctx->cfg, mac, vlan)))
			cfg_static_remove(ctx->cfg, s);
		return 0;
	}
	if (!(s = cfg_static_add(ctx, mac, vlan)))
		return -1;
	snprintf(s->iface, sizeof(s->iface), "%s", cmd_arg(a, "iface"));
	struct cfg_problem where = { CFG_SUBJ_STATIC_MAC, NULL, mac, vlan, NULL };
	cfg_load_note(ctx, &where, cmd_arg_col(a, "MAC"));
	return 0;
}

static int cfg_ignore(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return 0;
}

static int cfg_exit(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	ctx->node = cmd_node_parent(ctx->node);
	return 0;
}

static int cfg_end(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	ctx->node = CMD_NODE_EXEC;
	return 0;
}

#define CFG_NAV(NODE)							\
	{ NODE, "exit", "Exit current mode and go to the parent mode", cfg_exit, 0 }, \
	{ NODE, "end", "End configuration mode", cfg_end, 0 }

#define CFG_STATIC_SYNTAX "static MAC vlan (1-4094)$vlan interface IFNAME$iface"
#define CFG_STATIC_HELP "Static entry\nMAC address\nVLAN\nVLAN id\nInterface\nInterface name\n"
#define CFG_NO_STATIC_SYNTAX "static MAC vlan (1-4094)$vlan [interface IFNAME$iface]"
#define CFG_AGING_HELP "Aging time of dynamic entries\naging time (seconds, 0 = never)\n"

const struct cmd_def cfg_cmds_global[] = {
	{ CMD_NODE_CONFIG, "hostname WORD$name",
	  "Set the system's network name\nThis system's network name\n", cfg_hostname, 0 },
	{ CMD_NODE_CONFIG, "no hostname [WORD$name]",
	  NO_STR "Reset the network name\nThis system's network name\n", cfg_hostname, 0 },
	{ CMD_NODE_CONFIG, "log <stdout|syslog>$dest [LEVEL$level]",
	  "Logging control\nSet stdout logging level\nSet syslog logging level\nLogging level\n",
	  cfg_log, CMD_F_NEGATABLE },
	{ CMD_NODE_CONFIG, "log file PATH$path [LEVEL$level]",
	  "Logging control\nLogging to file\nLogging file name\nLogging level\n",
	  cfg_log_file, 0 },
	{ CMD_NODE_CONFIG, "no log file [PATH$path [LEVEL$level]]",
	  NO_STR "Logging control\nLogging to file\nLogging file name\nLogging level\n",
	  cfg_log_file, 0 },
	{ CMD_NODE_CONFIG, "vlan (1-4094)$vlan", "Configure a VLAN\nVLAN id\n",
	  cfg_vlan, CMD_F_NEGATABLE },
	{ CMD_NODE_CONFIG, "interface IFNAME$name", "Select an interface to configure\nInterface name\n",
	  cfg_interface, CMD_F_NEGATABLE },
	{ CMD_NODE_CONFIG, "mac-address-table aging-time (0-1000000)$seconds",
	  MACTAB_STR CFG_AGING_HELP, cfg_aging, 0 },
	{ CMD_NODE_CONFIG, "no mac-address-table aging-time [(0-1000000)$seconds]",
	  NO_STR MACTAB_STR CFG_AGING_HELP, cfg_aging, 0 },
	{ CMD_NODE_CONFIG, "mac address-table aging-time (0-1000000)$seconds",
	  CISCO_MACTAB_STR CFG_AGING_HELP, cfg_aging, 0 },
	{ CMD_NODE_CONFIG, "no mac address-table aging-time [(0-1000000)$seconds]",
	  NO_STR CISCO_MACTAB_STR CFG_AGING_HELP, cfg_aging, 0 },
	{ CMD_NODE_CONFIG, "mac-address-table " CFG_STATIC_SYNTAX,
	  MACTAB_STR CFG_STATIC_HELP, cfg_static, 0 },
	{ CMD_NODE_CONFIG, "no mac-address-table " CFG_NO_STATIC_SYNTAX,
	  NO_STR MACTAB_STR CFG_STATIC_HELP, cfg_static, 0 },
	{ CMD_NODE_CONFIG, "mac address-table " CFG_STATIC_SYNTAX,
	  CISCO_MACTAB_STR CFG_STATIC_HELP, cfg_static, 0 },
	{ CMD_NODE_CONFIG, "no mac address-table " CFG_NO_STATIC_SYNTAX,
	  NO_STR CISCO_MACTAB_STR CFG_STATIC_HELP, cfg_static, 0 },
	{ CMD_NODE_CONFIG, "mac-address-table limit maximum (1-1048576)$max",
	  MACTAB_STR "Bound the number of entries\nMaximum number of entries\n"
	  "maximum number of entries (default 65536)\n", cfg_limit, 0 },
	{ CMD_NODE_CONFIG, "no mac-address-table limit [maximum [(1-1048576)$max]]",
	  NO_STR MACTAB_STR "Bound the number of entries\nMaximum number of entries\n"
	  "maximum number of entries (default 65536)\n", cfg_limit, 0 },
	{ CMD_NODE_CONFIG, "dataplane busy-poll (0-100000)$usec",
	  "Dataplane settings\nKeep polling the ports this long after the last "
	  "frame before sleeping\nbusy-poll window in microseconds (0-100000)\n",
	  cfg_busy_poll, 0 },
	{ CMD_NODE_CONFIG, "no dataplane busy-poll [(0-100000)$usec]",
	  NO_STR "Dataplane settings\nKeep polling the ports this long after the "
	  "last frame before sleeping\nbusy-poll window in microseconds (0-100000)\n",
	  cfg_busy_poll, 0 },
	{ CMD_NODE_CONFIG, "frr version LINE", "FRR header\nVersion\nAny text\n",
	  cfg_ignore, CMD_F_HIDDEN },
	{ CMD_NODE_CONFIG, "frr defaults WORD", "FRR header\nDefaults profile\nProfile\n",
	  cfg_ignore, CMD_F_HIDDEN },
	{ CMD_NODE_VLAN, "name WORD$name", "Set the VLAN name\nVLAN name (at most 32 characters)\n",
	  cfg_vlan_name, 0 },
	{ CMD_NODE_VLAN, "no name [WORD$name]", NO_STR "Reset the VLAN name\nVLAN name\n",
	  cfg_vlan_name, 0 },
	CFG_NAV(CMD_NODE_CONFIG),
	CFG_NAV(CMD_NODE_INTERFACE),
	CFG_NAV(CMD_NODE_VLAN),
};
const size_t cfg_cmds_global_count = sizeof(cfg_cmds_global) / sizeof(cfg_cmds_global[0]);

void cmd_install_config_commands(void)
{
	static bool installed;

	if (installed)
		return;
	installed = true;
	cmd_install(cfg_cmds_global, cfg_cmds_global_count);
	cmd_install(cfg_cmds_iface, cfg_cmds_iface_count);
	cmd_install(cfg_cmds_psec, cfg_cmds_psec_count);
}
