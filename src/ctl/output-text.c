/*
 * DOC: text printers for the show commands
 *
 * Layouts follow what a network engineer already reads every day:
 *  - "show interface brief": FRR's zebra layout (Interface in 16 columns,
 *    then Status), with Mode/VLAN and Type/Device where FRR has VRF and
 *    Addresses.  The Status column is widened to fit "admin-down".
 *  - "show interface NAME": FRR/IOS "Interface X is up, line protocol is
 *    up" followed by indented detail lines.
 *  - "show vlan": Catalyst "VLAN Name Status Ports" with wrapped port lists.
 *  - "show mac-address-table": Catalyst layout, MACs as aabb.ccdd.eeff.
 *  - "show port-security": Catalyst summary table and interface block.
 * A column that overflows still gets one separating space, so a long name
 * shifts the row but never glues two fields together.
 */
#include "ctl/output.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Appends 's' left-aligned in 'width' columns, with at least one space
 * after it. */
static void put_col(struct strbuf *out, const char *s, int width)
{
	int len = (int)strlen(s);

	strbuf_puts(out, s);
	for (int k = len; k < width || k == len; k++)
		strbuf_putc(out, ' ');
}

static void iface_headline(struct strbuf *out, const struct show_iface *i)
{
	strbuf_printf(out, "Interface %s is ", i->name);
	switch (output_iface_status(i)) {
	case OUTPUT_STATUS_UP:
		strbuf_puts(out, "up, line protocol is up\n");
		break;
	case OUTPUT_STATUS_DOWN:
		strbuf_puts(out, i->attached ? "up, line protocol is down\n" :
			    "down, line protocol is down (not attached)\n");
		break;
	case OUTPUT_STATUS_ADMIN_DOWN:
		strbuf_puts(out, "administratively down, line protocol is down\n");
		break;
	case OUTPUT_STATUS_ERR_DISABLED:
		strbuf_puts(out, "down, line protocol is down (err-disabled)\n");
		break;
	}
}

static void iface_attach(struct strbuf *out, const struct show_iface *i)
{
	const struct port_attach *a = &i->attach;

	if (a->type == PORT_TYPE_NONE) {
		strbuf_puts(out, "  Not attached\n");
		return;
	}
	strbuf_printf(out, "  Attached: %s", port_type_name(a->type));
	if (a->device[0])
		strbuf_printf(out, " device %s", a->device);
	if (a->netns[0])
		strbuf_printf(out, " in namespace %s", a->netns);
	if (a->path[0])
		strbuf_printf(out, " socket %s", a->path);
	strbuf_putc(out, '\n');
	if (i->attach_error[0])
		strbuf_printf(out, "  Attach failed: %s (retrying)\n",
			      i->attach_error);
}

static void iface_switchport(struct strbuf *out, const struct show_iface *i)
{
	const struct sw_port_config *c = &i->sw;

	if (c->mode == SW_MODE_ACCESS) {
		strbuf_printf(out, "  Switchport mode access, access VLAN %u\n",
			      c->access_vlan);
		return;
	}
	strbuf_printf(out, "  Switchport mode trunk, native VLAN %u, allowed VLANs ",
		      c->native_vlan);
	output_vlan_list(out, c->allowed);
	strbuf_putc(out, '\n');
}

static void iface_psec(struct strbuf *out, const struct show_iface *i)
{
	const struct sw_port_config *c = &i->sw;
	char mac[15];

	if (!c->psec.enabled) {
		strbuf_puts(out, "  Port security disabled\n");
		return;
	}
	strbuf_printf(out, "  Port security enabled, maximum %u MACs, violation %s%s\n",
		      c->psec.maximum, output_violation_name(c->psec.violation),
		      c->psec.sticky ? ", sticky learning" : "");
	strbuf_printf(out, "    %u secure MACs (%u configured, %u sticky), %" PRIu64
		      " violations\n", i->info.secure_macs,
		      output_psec_count(c, false), output_psec_count(c, true),
		      i->info.security_violations);
	if (i->info.security_violations) {
		output_mac_dotted(i->info.last_violation_mac, mac);
		strbuf_printf(out, "    Last violation from %s on VLAN %u\n", mac,
			      i->info.last_violation_vlan);
	}
}

static void iface_counters(struct strbuf *out, const struct show_iface *i)
{
	const struct port_stats *s = &i->stats;
	uint64_t drops = 0;

	for (int r = 0; r < PORT_DROP__COUNT; r++)
		drops += s->drops[r];
	strbuf_printf(out, "  Input: %" PRIu64 " packets, %" PRIu64 " bytes, %"
		      PRIu64 " broadcast, %" PRIu64 " multicast\n",
		      s->rx_packets, s->rx_bytes, s->rx_broadcast, s->rx_multicast);
	strbuf_printf(out, "  Output: %" PRIu64 " packets, %" PRIu64 " bytes\n",
		      s->tx_packets, s->tx_bytes);
	strbuf_printf(out, "  Drops: %" PRIu64 "\n", drops);
	for (int r = 0; r < PORT_DROP__COUNT; r++)
		strbuf_printf(out, "    %-16s%" PRIu64 "\n", port_drop_names[r],
			      s->drops[r]);
}

static void iface_detail(struct strbuf *out, const struct show_iface *i)
{
	iface_headline(out, i);
	if (i->description[0])
		strbuf_printf(out, "  Description: %s\n", i->description);
	iface_attach(out, i);
	strbuf_printf(out, "  MTU %d bytes\n", i->sw.mtu);
	iface_switchport(out, i);
	iface_psec(out, i);
	iface_counters(out, i);
}

static const char *brief_status(const struct show_iface *i)
{
	enum output_status s = output_iface_status(i);

	return s == OUTPUT_STATUS_ERR_DISABLED ? "err-dis" : output_status_name(s);
}

static void iface_brief_row(struct strbuf *out, const struct show_iface *i)
{
	struct strbuf col = STRBUF_INIT;

	put_col(out, i->name, 16);
	put_col(out, brief_status(i), 12);
	if (i->sw.mode == SW_MODE_ACCESS)
		strbuf_printf(&col, "access %u", i->sw.access_vlan);
	else
		strbuf_puts(&col, "trunk");
	put_col(out, strbuf_str(&col), 16);
	strbuf_free(&col);
	strbuf_puts(out, port_type_name(i->attach.type));
	if (i->attach.device[0])
		strbuf_printf(out, " %s", i->attach.device);
	if (i->attach.netns[0])
		strbuf_printf(out, "@%s", i->attach.netns);
	if (i->attach.path[0])
		strbuf_printf(out, " %s", i->attach.path);
	if (i->attach_error[0])
		strbuf_puts(out, " (attach failed)");
	strbuf_putc(out, '\n');
}

static void text_interfaces(struct strbuf *out, const struct show_ifaces *s,
			    bool brief)
{
	if (brief) {
		strbuf_puts(out, "Interface       Status      Mode/VLAN       Type/Device\n"
				 "---------       ------      ---------       -----------\n");
		for (unsigned k = 0; k < s->n; k++)
			iface_brief_row(out, &s->ifaces[k]);
		return;
	}
	for (unsigned k = 0; k < s->n; k++) {
		if (k)
			strbuf_putc(out, '\n');
		iface_detail(out, &s->ifaces[k]);
	}
}

static const char *psec_port_status(const struct show_iface *i)
{
	if (!i->sw.psec.enabled)
		return "Secure-down";
	switch (output_iface_status(i)) {
	case OUTPUT_STATUS_UP:
		return "Secure-up";
	case OUTPUT_STATUS_ERR_DISABLED:
		return "Secure-shutdown";
	default:
		return "Secure-down";
	}
}

static const char *violation_title(enum sw_violation v)
{
	switch (v) {
	case SW_VIOLATION_SHUTDOWN:
		return "Shutdown";
	case SW_VIOLATION_RESTRICT:
		return "Restrict";
	case SW_VIOLATION_PROTECT:
		return "Protect";
	}
	return "?";
}

static void psec_detail(struct strbuf *out, const struct show_iface *i)
{
	const struct sw_port_config *c = &i->sw;
	char mac[15];

	output_mac_dotted(i->info.last_violation_mac, mac);
	strbuf_printf(out, "Port Security              : %s\n",
		      c->psec.enabled ? "Enabled" : "Disabled");
	strbuf_printf(out, "Port Status                : %s\n", psec_port_status(i));
	strbuf_printf(out, "Violation Mode             : %s\n",
		      violation_title(c->psec.violation));
	strbuf_printf(out, "Maximum MAC Addresses      : %u\n", c->psec.maximum);
	strbuf_printf(out, "Total MAC Addresses        : %u\n", i->info.secure_macs);
	strbuf_printf(out, "Configured MAC Addresses   : %u\n",
		      output_psec_count(c, false));
	strbuf_printf(out, "Sticky MAC Addresses       : %u\n",
		      output_psec_count(c, true));
	strbuf_printf(out, "Last Source Address:Vlan   : %s:%u\n", mac,
		      i->info.last_violation_vlan);
	strbuf_printf(out, "Security Violation Count   : %" PRIu64 "\n",
		      i->info.security_violations);
}

static void text_port_security(struct strbuf *out, const struct show_ifaces *s,
			       bool detail)
{
	static const char rule[] =
		"---------------------------------------------------------------------------\n";
	unsigned extra = 0;

	if (detail) {
		for (unsigned k = 0; k < s->n; k++)
			psec_detail(out, &s->ifaces[k]);
		return;
	}
	strbuf_puts(out, "Secure Port  MaxSecureAddr  CurrentAddr  SecurityViolation  Security Action\n"
			 "                (Count)       (Count)          (Count)\n");
	strbuf_puts(out, rule);
	for (unsigned k = 0; k < s->n; k++) {
		const struct show_iface *i = &s->ifaces[k];

		if (!i->sw.psec.enabled)
			continue;
		strbuf_printf(out, "%11s  %13u  %11u  %17" PRIu64 "  %15s\n",
			      i->name, i->sw.psec.maximum, i->info.secure_macs,
			      i->info.security_violations,
			      violation_title(i->sw.psec.violation));
		if (i->info.secure_macs > 1)
			extra += i->info.secure_macs - 1;
	}
	strbuf_puts(out, rule);
	strbuf_printf(out, "Total Addresses in System (excluding one mac per port)     : %u\n",
		      extra);
}

/* Appends the VLAN's member ports, wrapping like IOS before 80 columns
 * (the comma that ends a wrapped line included), with continuation lines
 * aligned under the Ports column. */
static void vlan_ports(struct strbuf *out, const struct show_vlan *v)
{
	enum { PORTS_COL = 48, WIDTH = 79 };
	int col = PORTS_COL;

	for (unsigned k = 0; k < v->n_ports; k++) {
		int len = (int)strlen(v->ports[k]);

		if (k && col + 2 + len >= WIDTH) {
			strbuf_printf(out, ",\n%*s", PORTS_COL, "");
			col = PORTS_COL;
		} else if (k) {
			strbuf_puts(out, ", ");
			col += 2;
		}
		strbuf_puts(out, v->ports[k]);
		col += len;
	}
}

static void text_vlans(struct strbuf *out, const struct show_vlans *s)
{
	strbuf_puts(out, "VLAN Name                             Status    Ports\n"
			 "---- -------------------------------- --------- -------------------------------\n");
	for (unsigned k = 0; k < s->n; k++) {
		const struct show_vlan *v = &s->vlans[k];

		strbuf_printf(out, "%-4u %-32s %-9s ", v->id, v->name, "active");
		vlan_ports(out, v);
		/* No trailing blanks on a VLAN without ports. */
		while (out->len && out->s[out->len - 1] == ' ')
			out->s[--out->len] = '\0';
		strbuf_putc(out, '\n');
	}
}

static void text_macs(struct strbuf *out, const struct show_macs *s)
{
	static const char *const types[] = {
		[SW_FDB_DYNAMIC] = "DYNAMIC", [SW_FDB_STATIC] = "STATIC",
		[SW_FDB_SECURE] = "SECURE", [SW_FDB_STICKY] = "STICKY",
	};
	char mac[15];

	strbuf_puts(out, "          Mac Address Table\n"
			 "-------------------------------------------\n\n"
			 "Vlan    Mac Address       Type        Ports\n"
			 "----    -----------       --------    -----\n");
	for (size_t k = 0; k < s->n; k++) {
		const struct show_mac *m = &s->macs[k];
		unsigned t = (unsigned)m->type;

		output_mac_dotted(m->mac, mac);
		strbuf_printf(out, "%4u    %-14s    %-8s    %s\n", m->vlan, mac,
			      t < 4 ? types[t] : "?", m->iface[0] ? m->iface : "-");
	}
	strbuf_printf(out, "Total Mac Addresses for this criterion: %zu\n", s->n);
}

static void text_mac_count(struct strbuf *out, const struct show_mac_count *c)
{
	strbuf_puts(out, "Mac Entries for ");
	if (c->vlan)
		strbuf_printf(out, "Vlan %u", c->vlan);
	else
		strbuf_puts(out, "all vlans");
	if (c->iface[0])
		strbuf_printf(out, " on interface %s", c->iface);
	strbuf_puts(out, ":\n---------------------------\n");
	strbuf_printf(out, "Dynamic Address Count  : %zu\n", c->by_type[SW_FDB_DYNAMIC]);
	strbuf_printf(out, "Static  Address Count  : %zu\n", c->by_type[SW_FDB_STATIC]);
	strbuf_printf(out, "Secure  Address Count  : %zu\n", c->by_type[SW_FDB_SECURE]);
	strbuf_printf(out, "Sticky  Address Count  : %zu\n", c->by_type[SW_FDB_STICKY]);
	strbuf_printf(out, "Total Mac Addresses    : %zu\n\n", c->total);
	strbuf_printf(out, "Mac Address Table Limit          : %u\n", c->limit);
	strbuf_printf(out, "Total Mac Address Space Available: %zu\n",
		      c->used < c->limit ? c->limit - c->used : 0);
	strbuf_printf(out, "Learn Failures (table full)      : %" PRIu64 "\n",
		      c->learn_failures);
}

/* "1 day, 2 hours, 3 minutes, 4 seconds" (IOS "uptime is" style). */
static void put_uptime(struct strbuf *out, uint64_t secs)
{
	static const struct { const char *unit; uint64_t size; } units[] = {
		{ "week", 604800 }, { "day", 86400 }, { "hour", 3600 },
		{ "minute", 60 }, { "second", 1 },
	};
	bool first = true;

	for (size_t k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
		uint64_t n = secs / units[k].size;

		secs %= units[k].size;
		if (!n && !(first && units[k].size == 1))
			continue;
		strbuf_printf(out, "%s%" PRIu64 " %s%s", first ? "" : ", ", n,
			      units[k].unit, n == 1 ? "" : "s");
		first = false;
	}
}

static void text_version(struct strbuf *out, const struct show_version *v)
{
	strbuf_printf(out, "okapi version %s\n", v->version);
	strbuf_printf(out, "%s uptime is ", v->hostname);
	put_uptime(out, v->uptime);
	strbuf_printf(out, "\nConfiguration file: %s\n", v->config_path);
	strbuf_printf(out, "Control socket: %s\n", v->socket_path);
	strbuf_printf(out, "Interfaces: %u configured, %u attached\n",
		      v->n_ifaces, v->n_attached);
	strbuf_printf(out, "MAC address table: %zu entries, limit %u\n",
		      v->fdb_entries, v->fdb_limit);
}

static void text_running_config(struct strbuf *out, const char *text)
{
	strbuf_puts(out, "Building configuration...\n\nCurrent configuration:\n!\n");
	strbuf_puts(out, text);
	strbuf_puts(out, "end\n");
}

const struct output output_text = {
	.interfaces = text_interfaces,
	.port_security = text_port_security,
	.vlans = text_vlans,
	.macs = text_macs,
	.mac_count = text_mac_count,
	.version = text_version,
	.running_config = text_running_config,
};
