/*
 * DOC: canonical config printer
 *
 * Prints a struct cfg in FRR's running-config layout (FRR >= 8.1): global
 * settings, then one block per VLAN and per interface, each closed by
 * "exit" and "!", then the static MAC table.  Only settings that differ
 * from the defaults are printed, always in the same order and spelling, so
 * the output is a normal form: parsing it gives a cfg_equal() tree, and
 * printing that again gives the same text (tests/config checks both).
 *
 * Spellings: MACs as aa:bb:cc:dd:ee:ff, VLAN lists as vlanset_format()
 * writes them, sticky secure MACs in Cisco's order ("mac-address sticky
 * MAC"), the interface's device name only when it is not the default (the
 * interface name).
 */
#include "config/cfg.h"

#include <stdlib.h>
#include <string.h>

#include "lib/mac.h"
#include "lib/strbuf.h"
#include "lib/vlanset.h"

static const char *cfg_print_violation(enum sw_violation v)
{
	switch (v) {
	case SW_VIOLATION_PROTECT:
		return "protect";
	case SW_VIOLATION_RESTRICT:
		return "restrict";
	default:
		return "shutdown";
	}
}

static void cfg_print_log(const struct cfg *c, struct strbuf *b)
{
	const char *level = c->log_level == LOG_LVL_INFO ? "" :
			    log_level_name(c->log_level);
	const char *sep = *level ? " " : "";

	switch (c->log_dest) {
	case LOG_DEST_SYSLOG:
		strbuf_printf(b, "log syslog%s%s\n", sep, level);
		break;
	case LOG_DEST_FILE:
		strbuf_printf(b, "log file %s%s%s\n", c->log_file, sep, level);
		break;
	default:
		if (*level)
			strbuf_printf(b, "log stdout %s\n", level);
		break;
	}
}

static void cfg_print_global(const struct cfg *c, struct strbuf *b)
{
	size_t start = b->len;

	if (strcmp(c->hostname, "okapi"))
		strbuf_printf(b, "hostname %s\n", c->hostname);
	cfg_print_log(c, b);
	if (c->mac_aging != SW_AGING_DEFAULT)
		strbuf_printf(b, "mac-address-table aging-time %u\n", c->mac_aging);
	if (c->mac_max != SW_FDB_DEFAULT_MAX)
		strbuf_printf(b, "mac-address-table limit maximum %u\n", c->mac_max);
	if (c->busy_poll_us != DP_BUSY_POLL_DEFAULT)
		strbuf_printf(b, "dataplane busy-poll %u\n", c->busy_poll_us);
	if (b->len != start)
		strbuf_puts(b, "!\n");
}

static void cfg_print_vlans(const struct cfg *c, struct strbuf *b)
{
	for (unsigned v = 1; v <= SW_VLAN_MAX; v++) {
		if (!c->vlan_defined[v])
			continue;
		strbuf_printf(b, "vlan %u\n", v);
		if (c->vlan_name[v][0])
			strbuf_printf(b, " name %s\n", c->vlan_name[v]);
		strbuf_puts(b, "exit\n!\n");
	}
}

static void cfg_print_attach(const struct cfg_iface *i, struct strbuf *b)
{
	const struct port_attach *a = &i->attach;
	bool named = strcmp(a->device, i->name) != 0;

	switch (a->type) {
	case PORT_TYPE_TAP:
		strbuf_printf(b, " attach tap%s%s", named ? " " : "", named ? a->device : "");
		if (a->netns[0])
			strbuf_printf(b, " netns %s", a->netns);
		strbuf_putc(b, '\n');
		break;
	case PORT_TYPE_INTERNAL:
		strbuf_printf(b, " attach internal%s%s\n", named ? " " : "",
			      named ? a->device : "");
		break;
	case PORT_TYPE_PACKET:
		strbuf_printf(b, " attach packet %s\n", a->device);
		break;
	case PORT_TYPE_QEMU:
		strbuf_printf(b, " attach qemu %s\n", a->path);
		break;
	default:
		break;
	}
}

static void cfg_print_allowed(const struct cfg_iface *i, struct strbuf *b)
{
	size_t need;
	char *list;

	if (i->allowed_all)
		return;
	need = vlanset_format(i->sw.allowed, NULL, 0);
	if (need == 0) {
		strbuf_puts(b, " switchport trunk allowed vlan none\n");
		return;
	}
	list = malloc(need + 1);
	if (!list) {
		b->failed = true;
		return;
	}
	vlanset_format(i->sw.allowed, list, need + 1);
	strbuf_printf(b, " switchport trunk allowed vlan %s\n", list);
	free(list);
}

static void cfg_print_switchport(const struct cfg_iface *i, struct strbuf *b)
{
	const struct sw_port_config *sw = &i->sw;

	if (sw->mode == SW_MODE_TRUNK)
		strbuf_puts(b, " switchport mode trunk\n");
	if (sw->access_vlan != 1)
		strbuf_printf(b, " switchport access vlan %u\n", sw->access_vlan);
	if (sw->native_vlan != 1)
		strbuf_printf(b, " switchport trunk native vlan %u\n", sw->native_vlan);
	cfg_print_allowed(i, b);
}

static void cfg_print_psec(const struct sw_port_config *sw, struct strbuf *b)
{
	char buf[MAC_STR_SIZE];

	if (sw->psec.enabled)
		strbuf_puts(b, " switchport port-security\n");
	if (sw->psec.maximum != 1)
		strbuf_printf(b, " switchport port-security maximum %u\n", sw->psec.maximum);
	if (sw->psec.violation != SW_VIOLATION_SHUTDOWN)
		strbuf_printf(b, " switchport port-security violation %s\n",
			      cfg_print_violation(sw->psec.violation));
	if (sw->psec.sticky)
		strbuf_puts(b, " switchport port-security mac-address sticky\n");
	for (unsigned m = 0; m < sw->psec.n_macs; m++)
		strbuf_printf(b, " switchport port-security mac-address %s%s\n",
			      sw->psec.macs[m].sticky ? "sticky " : "",
			      mac_format(sw->psec.macs[m].mac, buf));
}

static void cfg_print_iface(const struct cfg_iface *i, struct strbuf *b)
{
	strbuf_printf(b, "interface %s\n", i->name);
	if (i->description[0])
		strbuf_printf(b, " description %s\n", i->description);
	cfg_print_attach(i, b);
	if (i->sw.mtu != 1500)
		strbuf_printf(b, " mtu %d\n", i->sw.mtu);
	cfg_print_switchport(i, b);
	cfg_print_psec(&i->sw, b);
	if (i->sw.shutdown)
		strbuf_puts(b, " shutdown\n");
	strbuf_puts(b, "exit\n!\n");
}

static void cfg_print_statics(const struct cfg *c, struct strbuf *b)
{
	char buf[MAC_STR_SIZE];

	for (unsigned s = 0; s < c->n_static_macs; s++)
		strbuf_printf(b, "mac-address-table static %s vlan %u interface %s\n",
			      mac_format(c->static_macs[s].mac, buf),
			      c->static_macs[s].vlan, c->static_macs[s].iface);
	if (c->n_static_macs)
		strbuf_puts(b, "!\n");
}

char *cfg_print(const struct cfg *c)
{
	struct strbuf b = STRBUF_INIT;

	cfg_print_global(c, &b);
	cfg_print_vlans(c, &b);
	for (unsigned i = 0; i < c->n_ifaces; i++)
		cfg_print_iface(&c->ifaces[i], &b);
	cfg_print_statics(c, &b);
	return strbuf_detach(&b);
}
