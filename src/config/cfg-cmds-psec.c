/*
 * DOC: port security commands (interface node)
 *
 *   switchport port-security                      enable
 *   switchport port-security maximum N            1-4096, default 1
 *   switchport port-security violation protect|restrict|shutdown
 *   switchport port-security mac-address MAC [sticky]
 *   switchport port-security mac-address sticky [MAC]    (Cisco's order;
 *       without MAC: learn sticky MACs)
 *
 * Secure MACs must be unicast and non-zero: they are matched against
 * source addresses, which are never group addresses.  Whether their
 * number exceeds "maximum" is checked by cfg_validate() and not here, so
 * "maximum" and the MACs may come in any order in a file.  As on IOS,
 * "no ... mac-address sticky" stops sticky learning and forgets the sticky
 * MACs learned so far.
 */
#include "config/cfg-cmds.h"

#include <string.h>

#include "lib/mac.h"

#define PSEC_STR "Set switching mode characteristics\nSecurity related command\n"

static int cfg_psec(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cfg_iface *i = cfg_cmd_iface(ctx);

	if (!i)
		return -1;
	i->sw.psec.enabled = !ctx->negate;
	return 0;
}

static int cfg_psec_maximum(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cfg_iface *i = cfg_cmd_iface(ctx);

	if (!i)
		return -1;
	i->sw.psec.maximum = ctx->negate ? 1 : (unsigned)cmd_arg_num(a, "max", 1);
	return 0;
}

static int cfg_psec_violation(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cfg_iface *i = cfg_cmd_iface(ctx);
	const char *mode = ctx->negate ? "shutdown" : cmd_arg(a, "mode");

	if (!i)
		return -1;
	i->sw.psec.violation = !strcmp(mode, "protect") ? SW_VIOLATION_PROTECT :
			       !strcmp(mode, "restrict") ? SW_VIOLATION_RESTRICT :
			       SW_VIOLATION_SHUTDOWN;
	return 0;
}

static struct sw_secure_mac *cfg_psec_find(struct sw_port_config *sw,
					   const uint8_t mac[6])
{
	for (unsigned m = 0; m < sw->psec.n_macs; m++)
		if (!memcmp(sw->psec.macs[m].mac, mac, 6))
			return &sw->psec.macs[m];
	return NULL;
}

/* Removes the secure MAC 'only' or, if only is NULL and sticky_only is
 * set, every sticky one. */
static void cfg_psec_filter(struct sw_port_config *sw, const uint8_t *only,
			    bool sticky_only)
{
	unsigned kept = 0;

	for (unsigned m = 0; m < sw->psec.n_macs; m++) {
		const struct sw_secure_mac *s = &sw->psec.macs[m];
		bool drop = only ? !memcmp(s->mac, only, 6) : sticky_only && s->sticky;

		if (!drop)
			sw->psec.macs[kept++] = *s;
	}
	sw->psec.n_macs = kept;
}

static int cfg_psec_add(struct cmd_ctx *ctx, struct cfg_iface *i,
			const uint8_t mac[6], bool sticky, int col)
{
	struct sw_secure_mac *s = cfg_psec_find(&i->sw, mac);
	const unsigned cap = sizeof(i->sw.psec.macs) / sizeof(i->sw.psec.macs[0]);
	char buf[MAC_STR_SIZE];

	if (mac_is_multicast(mac) || mac_is_zero(mac)) {
		cmd_error(ctx, "MAC", "secure MAC address %s must be a unicast address",
			  mac_format(mac, buf));
		return -1;
	}
	if (!s && i->sw.psec.n_macs == cap) {
		cmd_error(ctx, "MAC", "interface %s already has %u secure MAC addresses "
			  "(at most %u can be configured)", i->name, cap, cap);
		return -1;
	}
	if (!s)
		s = &i->sw.psec.macs[i->sw.psec.n_macs++];
	memcpy(s->mac, mac, 6);
	s->sticky = sticky;
	struct cfg_problem where = { CFG_SUBJ_SECURE_MAC, i->name, mac, 0, NULL };
	cfg_load_note(ctx, &where, col);
	return 0;
}

/* Both word orders: "mac-address MAC [sticky]" and "mac-address sticky
 * [MAC]"; the latter without a MAC switches sticky learning. */
static int cfg_psec_mac(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cfg_iface *i = cfg_cmd_iface(ctx);
	const char *text = cmd_arg(a, "MAC");
	uint8_t mac[6];

	if (!i)
		return -1;
	if (!text) {
		i->sw.psec.sticky = !ctx->negate;
		if (ctx->negate)
			cfg_psec_filter(&i->sw, NULL, true);
		return 0;
	}
	mac_parse(text, mac);
	if (ctx->negate) {
		cfg_psec_filter(&i->sw, mac, false);
		return 0;
	}
	return cfg_psec_add(ctx, i, mac, cmd_arg_has(a, "sticky"), cmd_arg_col(a, "MAC"));
}

#define PSEC_MAX_HELP "Max secure addresses\nmaximum secure MAC addresses (default 1)\n"
#define PSEC_VIOL_HELP "Security violation mode\nSecurity violation protect mode\n" \
	"Security violation restrict mode\nSecurity violation shutdown mode\n"

const struct cmd_def cfg_cmds_psec[] = {
	{ CMD_NODE_INTERFACE, "switchport port-security", PSEC_STR, cfg_psec,
	  CMD_F_NEGATABLE },
	{ CMD_NODE_INTERFACE, "switchport port-security maximum (1-4096)$max",
	  PSEC_STR PSEC_MAX_HELP, cfg_psec_maximum, 0 },
	{ CMD_NODE_INTERFACE, "no switchport port-security maximum [(1-4096)$max]",
	  NO_STR PSEC_STR PSEC_MAX_HELP, cfg_psec_maximum, 0 },
	{ CMD_NODE_INTERFACE,
	  "switchport port-security violation <protect|restrict|shutdown>$mode",
	  PSEC_STR PSEC_VIOL_HELP, cfg_psec_violation, 0 },
	{ CMD_NODE_INTERFACE,
	  "no switchport port-security violation [<protect|restrict|shutdown>$mode]",
	  NO_STR PSEC_STR PSEC_VIOL_HELP, cfg_psec_violation, 0 },
	{ CMD_NODE_INTERFACE, "switchport port-security mac-address MAC [sticky]",
	  PSEC_STR "Secure MAC address\nMAC address\nSticky: learned, kept in the configuration\n",
	  cfg_psec_mac, CMD_F_NEGATABLE },
	{ CMD_NODE_INTERFACE, "switchport port-security mac-address sticky [MAC]",
	  PSEC_STR "Secure MAC address\nLearn sticky secure MAC addresses, or add one\n"
	  "MAC address\n", cfg_psec_mac, CMD_F_NEGATABLE },
};
const size_t cfg_cmds_psec_count = sizeof(cfg_cmds_psec) / sizeof(cfg_cmds_psec[0]);
