/*
 * DOC: interface node commands: description, attach, mtu, shutdown and
 * switchport (mode, access/native VLAN, trunk allowed list)
 *
 * An "attach" replaces any earlier attachment of the interface.  The
 * device name defaults to the interface name and is stored explicitly in
 * port_attach.device, so apply code never has to know the default; it is
 * checked here against the kernel's IFNAMSIZ because a name that does not
 * fit would only fail much later, when the port is opened.
 *
 * The trunk allowed list keeps allowed_all in step with the bitmap: it is
 * true exactly when VLANs 1-4094 are all allowed, whichever command got
 * there ("all", "add" of the missing ones, "no ..."), so the printer can
 * omit the default.
 */
#include "config/cfg-cmds.h"

#include <stdio.h>
#include <string.h>

#include "lib/vlanset.h"

#define SWITCHPORT_STR "Set switching mode characteristics\n"
#define ATTACH_STR "Attach the interface to a port\n"

static int cfg_description(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cfg_iface *i = cfg_cmd_iface(ctx);

	if (!i)
		return -1;
	if (ctx->negate) {
		i->description[0] = '\0';
		return 0;
	}
	return cfg_cmd_copy(ctx, "LINE", "description", i->description,
			    sizeof(i->description), cmd_arg(a, "LINE"));
}

/* Fills a->device from DEVICE or the interface name.  The error points at
 * DEVICE, or at the port type keyword when the name was the default. */
static int cfg_attach_device(struct cmd_ctx *ctx, const struct cmd_args *a,
			     const char *type, const struct cfg_iface *i,
			     struct port_attach *pa)
{
	const char *dev = cmd_arg(a, "DEVICE");

	return cfg_cmd_copy(ctx, dev ? "DEVICE" : type, "device name", pa->device,
			    sizeof(pa->device), dev ? dev : i->name);
}

/* Installs the attachment and remembers its line for cfg_validate(). */
static int cfg_attach_set(struct cmd_ctx *ctx, struct cfg_iface *i,
			  const struct port_attach *pa, int col)
{
	struct cfg_problem where = { CFG_SUBJ_ATTACH, i->name, NULL, 0, NULL };

	i->attach = *pa;
	cfg_load_note(ctx, &where, col);
	return 0;
}

static int cfg_attach_tap(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct port_attach pa = { .type = PORT_TYPE_TAP };
	struct cfg_iface *i = cfg_cmd_iface(ctx);
	const char *ns = cmd_arg(a, "NAMESPACE");

	if (!i || cfg_attach_device(ctx, a, "tap", i, &pa) < 0)
		return -1;
	if (ns && cfg_cmd_copy(ctx, "NAMESPACE", "namespace name", pa.netns,
			       sizeof(pa.netns), ns) < 0)
		return -1;
	return cfg_attach_set(ctx, i, &pa, cmd_arg_col(a, cmd_arg_has(a, "DEVICE") ?
						       "DEVICE" : "tap"));
}

static int cfg_attach_internal(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct port_attach pa = { .type = PORT_TYPE_INTERNAL };
	struct cfg_iface *i = cfg_cmd_iface(ctx);

	if (!i || cfg_attach_device(ctx, a, "internal", i, &pa) < 0)
		return -1;
	return cfg_attach_set(ctx, i, &pa, cmd_arg_col(a, cmd_arg_has(a, "DEVICE") ?
						       "DEVICE" : "internal"));
}

static int cfg_attach_packet(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct port_attach pa = { .type = PORT_TYPE_PACKET };
	struct cfg_iface *i = cfg_cmd_iface(ctx);

	if (!i || cfg_attach_device(ctx, a, "packet", i, &pa) < 0)
		return -1;
	return cfg_attach_set(ctx, i, &pa, cmd_arg_col(a, "DEVICE"));
}

static int cfg_attach_qemu(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct port_attach pa = { .type = PORT_TYPE_QEMU };
	struct cfg_iface *i = cfg_cmd_iface(ctx);

	if (!i || cfg_cmd_copy(ctx, "path", "socket path", pa.path, sizeof(pa.path),
			       cmd_arg(a, "path")) < 0)
		return -1;
	return cfg_attach_set(ctx, i, &pa, cmd_arg_col(a, "path"));
}

static int cfg_no_attach(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cfg_iface *i = cfg_cmd_iface(ctx);

	if (!i)
		return -1;
	memset(&i->attach, 0, sizeof(i->attach));
	i->attach.type = PORT_TYPE_NONE;
	return 0;
}

static int cfg_mtu(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cfg_iface *i = cfg_cmd_iface(ctx);

	if (!i)
		return -1;
	i->sw.mtu = ctx->negate ? 1500 : (int)cmd_arg_num(a, "mtu", 1500);
	return 0;
}

static int cfg_shutdown(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cfg_iface *i = cfg_cmd_iface(ctx);

	if (!i)
		return -1;
	i->sw.shutdown = !ctx->negate;
	return 0;
}

static int cfg_mode(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cfg_iface *i = cfg_cmd_iface(ctx);

	if (!i)
		return -1;
	i->sw.mode = !ctx->negate && !strcmp(cmd_arg(a, "mode"), "trunk") ?
		     SW_MODE_TRUNK : SW_MODE_ACCESS;
	return 0;
}

static int cfg_access_vlan(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cfg_iface *i = cfg_cmd_iface(ctx);

	if (!i)
		return -1;
	i->sw.access_vlan = ctx->negate ? 1 : (uint16_t)cmd_arg_num(a, "vlan", 1);
	return 0;
}

static int cfg_native_vlan(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cfg_iface *i = cfg_cmd_iface(ctx);

	if (!i)
		return -1;
	i->sw.native_vlan = ctx->negate ? 1 : (uint16_t)cmd_arg_num(a, "vlan", 1);
	return 0;
}

/* Applies one of Cisco's allowed-list operations to 'set'. */
static void cfg_allowed_apply(const struct cmd_args *a, uint64_t *set)
{
	uint64_t arg[VLANSET_WORDS];

	if (cmd_arg_has(a, "none")) {
		vlanset_clear(set);
	} else if (cmd_arg_has(a, "list")) {
		vlanset_parse(cmd_arg(a, "list"), set, NULL, 0);
	} else if (cmd_arg_has(a, "add")) {
		vlanset_parse(cmd_arg(a, "add"), arg, NULL, 0);
		vlanset_union(set, arg);
	} else if (cmd_arg_has(a, "remove")) {
		vlanset_parse(cmd_arg(a, "remove"), arg, NULL, 0);
		vlanset_subtract(set, arg);
	} else if (cmd_arg_has(a, "except")) {
		vlanset_parse(cmd_arg(a, "except"), arg, NULL, 0);
		vlanset_fill(set);
		vlanset_subtract(set, arg);
	} else {
		vlanset_fill(set);	/* "all" */
	}
}

static int cfg_allowed(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct cfg_iface *i = cfg_cmd_iface(ctx);

	if (!i)
		return -1;
	if (ctx->negate)
		vlanset_fill(i->sw.allowed);
	else
		cfg_allowed_apply(a, i->sw.allowed);
	i->allowed_all = vlanset_is_full(i->sw.allowed);
	return 0;
}

#define CFG_ALLOWED_HELP SWITCHPORT_STR "Set trunking characteristics of the interface\n" \
	"Set allowed VLAN characteristics when interface is in trunking mode\n" \
	"Set allowed VLANs when interface is in trunking mode\n"

const struct cmd_def cfg_cmds_iface[] = {
	{ CMD_NODE_INTERFACE, "description LINE", "Interface specific description\n"
	  "Characters describing this interface\n", cfg_description, 0 },
	{ CMD_NODE_INTERFACE, "no description [LINE]", NO_STR "Interface specific description\n"
	  "Characters describing this interface\n", cfg_description, 0 },
	{ CMD_NODE_INTERFACE, "attach tap [DEVICE] [netns NAMESPACE]", ATTACH_STR
	  "TUN/TAP device, created if missing\nDevice name (default: the interface name)\n"
	  "Move the device into a network namespace\nNetwork namespace name\n",
	  cfg_attach_tap, 0 },
	{ CMD_NODE_INTERFACE, "attach internal [DEVICE]", ATTACH_STR
	  "The host's own port on the switch (a TAP left in the host stack)\n"
	  "Device name (default: the interface name)\n", cfg_attach_internal, 0 },
	{ CMD_NODE_INTERFACE, "attach packet DEVICE", ATTACH_STR
	  "An existing NIC or veth, through AF_PACKET\nDevice name\n", cfg_attach_packet, 0 },
	{ CMD_NODE_INTERFACE, "attach qemu SOCKET-PATH$path", ATTACH_STR
	  "A QEMU -netdev stream unix socket\nSocket path\n", cfg_attach_qemu, 0 },
	{ CMD_NODE_INTERFACE, "no attach [LINE]", NO_STR ATTACH_STR "Ignored\n",
	  cfg_no_attach, 0 },
	{ CMD_NODE_INTERFACE, "mtu (68-9216)$mtu",
	  "Set the interface MTU\nMTU (bytes of IP payload)\n", cfg_mtu, 0 },
	{ CMD_NODE_INTERFACE, "no mtu [(68-9216)$mtu]",
	  NO_STR "Set the interface MTU\nMTU (bytes of IP payload)\n", cfg_mtu, 0 },
	{ CMD_NODE_INTERFACE, "shutdown", "Shutdown the selected interface\n",
	  cfg_shutdown, CMD_F_NEGATABLE },
	{ CMD_NODE_INTERFACE, "switchport mode <access|trunk>$mode", SWITCHPORT_STR
	  "Set trunking mode of the interface\nSet trunking mode to ACCESS unconditionally\n"
	  "Set trunking mode to TRUNK unconditionally\n", cfg_mode, 0 },
	{ CMD_NODE_INTERFACE, "no switchport mode [<access|trunk>]", NO_STR SWITCHPORT_STR
	  "Set trunking mode of the interface\nAccess mode\nTrunk mode\n", cfg_mode, 0 },
	{ CMD_NODE_INTERFACE, "switchport access vlan (1-4094)$vlan", SWITCHPORT_STR
	  "Set access mode characteristics of the interface\n"
	  "Set VLAN when interface is in access mode\nVLAN id\n", cfg_access_vlan, 0 },
	{ CMD_NODE_INTERFACE, "no switchport access vlan [(1-4094)$vlan]", NO_STR SWITCHPORT_STR
	  "Set access mode characteristics of the interface\n"
	  "Set VLAN when interface is in access mode\nVLAN id\n", cfg_access_vlan, 0 },
	{ CMD_NODE_INTERFACE, "switchport trunk native vlan (1-4094)$vlan", SWITCHPORT_STR
	  "Set trunking characteristics of the interface\n"
	  "Set trunking native characteristics when interface is in trunking mode\n"
	  "Set native VLAN when interface is in trunking mode\nVLAN id\n", cfg_native_vlan, 0 },
	{ CMD_NODE_INTERFACE, "no switchport trunk native vlan [(1-4094)$vlan]", NO_STR
	  SWITCHPORT_STR "Set trunking characteristics of the interface\n"
	  "Set trunking native characteristics when interface is in trunking mode\n"
	  "Set native VLAN when interface is in trunking mode\nVLAN id\n", cfg_native_vlan, 0 },
	{ CMD_NODE_INTERFACE, "switchport trunk allowed vlan <VLANLIST$list|all|none|"
	  "add VLANLIST$add|remove VLANLIST$remove|except VLANLIST$except>", CFG_ALLOWED_HELP
	  "VLAN ids of the allowed VLANs, e.g. 10,20,30-40\nAll VLANs\nNo VLANs\n"
	  "Add VLANs to the current list\nVLAN ids to add\n"
	  "Remove VLANs from the current list\nVLAN ids to remove\n"
	  "All VLANs except the following\nVLAN ids not to allow\n", cfg_allowed, 0 },
	{ CMD_NODE_INTERFACE, "no switchport trunk allowed vlan [LINE]", NO_STR
	  CFG_ALLOWED_HELP "Ignored\n", cfg_allowed, 0 },
};
const size_t cfg_cmds_iface_count = sizeof(cfg_cmds_iface) / sizeof(cfg_cmds_iface[0]);
