/*
 * DOC: formatting helpers shared by the text and JSON printers
 *
 * Names and number formats that both output forms must agree on live here,
 * so "show interface" and "show interface json" cannot disagree on what a
 * status or a VLAN list is called.
 */
#include "ctl/output.h"

#include <stdio.h>

enum output_status output_iface_status(const struct show_iface *i)
{
	if (i->sw.shutdown)
		return OUTPUT_STATUS_ADMIN_DOWN;
	if (!i->attached)
		return OUTPUT_STATUS_DOWN;
	switch (i->info.status) {
	case SW_PORT_UP:
		return OUTPUT_STATUS_UP;
	case SW_PORT_ADMIN_DOWN:
		return OUTPUT_STATUS_ADMIN_DOWN;
	case SW_PORT_ERR_DISABLED:
		return OUTPUT_STATUS_ERR_DISABLED;
	case SW_PORT_LINK_DOWN:
		return OUTPUT_STATUS_DOWN;
	}
	return OUTPUT_STATUS_DOWN;
}

const char *output_status_name(enum output_status s)
{
	static const char *const names[] = {
		[OUTPUT_STATUS_UP] = "up",
		[OUTPUT_STATUS_DOWN] = "down",
		[OUTPUT_STATUS_ADMIN_DOWN] = "admin-down",
		[OUTPUT_STATUS_ERR_DISABLED] = "err-disabled",
	};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

void output_mac_dotted(const uint8_t mac[6], char buf[15])
{
	snprintf(buf, 15, "%02x%02x.%02x%02x.%02x%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void output_mac_colon(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static bool vlan_bit(const uint64_t bits[4096 / 64], unsigned v)
{
	return bits[v / 64] >> (v % 64) & 1;
}

void output_vlan_list(struct strbuf *out, const uint64_t bits[4096 / 64])
{
	bool first = true;

	for (unsigned v = 1; v <= SW_VLAN_MAX; v++) {
		if (!vlan_bit(bits, v))
			continue;
		unsigned end = v;

		while (end + 1 <= SW_VLAN_MAX && vlan_bit(bits, end + 1))
			end++;
		strbuf_printf(out, first ? "%u" : ",%u", v);
		if (end > v)
			strbuf_printf(out, "-%u", end);
		first = false;
		v = end;
	}
	if (first)
		strbuf_puts(out, "none");
}

const char *output_mode_name(enum sw_mode m)
{
	return m == SW_MODE_TRUNK ? "trunk" : "access";
}

const char *output_violation_name(enum sw_violation v)
{
	switch (v) {
	case SW_VIOLATION_SHUTDOWN:
		return "shutdown";
	case SW_VIOLATION_RESTRICT:
		return "restrict";
	case SW_VIOLATION_PROTECT:
		return "protect";
	}
	return "?";
}

const char *output_fdb_type_name(enum sw_fdb_type t)
{
	static const char *const names[] = {
		[SW_FDB_DYNAMIC] = "dynamic",
		[SW_FDB_STATIC] = "static",
		[SW_FDB_SECURE] = "secure",
		[SW_FDB_STICKY] = "sticky",
	};
	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

unsigned output_psec_count(const struct sw_port_config *c, bool sticky)
{
	unsigned n = 0;

	for (unsigned k = 0; k < c->psec.n_macs; k++)
		if (c->psec.macs[k].sticky == sticky)
			n++;
	return n;
}
