/*
 * DOC: JSON printers for the show commands
 *
 * Keys follow FRR's camelCase style ("administrativeStatus", "mtu",
 * "description") so FRR-style topotests can compare JSON subsets; values
 * are numbers where they are numbers.  Objects keyed by name (interfaces,
 * VLAN ids) make subset comparison easy; the MAC table is a list because a
 * MAC may appear in several VLANs.  MACs are aa:bb:cc:dd:ee:ff in JSON (the
 * form other tools parse), aabb.ccdd.eeff only in the IOS text layout.
 *
 * Every printer builds a json-c tree and serialises it once.  A value
 * json-c fails to allocate is added as null and a failed serialisation
 * leaves the output empty; the tree itself is not checked node by node.
 */
#include "ctl/output.h"

#include <json-c/json.h>
#include <stdio.h>

static void put_json(struct strbuf *out, json_object *obj)
{
	const char *s = json_object_to_json_string_ext(obj,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);

	if (s) {
		strbuf_puts(out, s);
		strbuf_putc(out, '\n');
	}
	json_object_put(obj);
}

static void add_str(json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, json_object_new_string(val));
}

static void add_int(json_object *o, const char *key, int64_t val)
{
	json_object_object_add(o, key, json_object_new_int64(val));
}

static void add_u64(json_object *o, const char *key, uint64_t val)
{
	json_object_object_add(o, key, json_object_new_uint64(val));
}

static void add_bool(json_object *o, const char *key, bool val)
{
	json_object_object_add(o, key, json_object_new_boolean(val));
}

static void add_mac(json_object *o, const char *key, const uint8_t mac[6])
{
	char buf[18];

	output_mac_colon(mac, buf);
	add_str(o, key, buf);
}

static void add_vlan_list(json_object *o, const char *key,
			  const uint64_t bits[4096 / 64])
{
	struct strbuf b = STRBUF_INIT;

	output_vlan_list(&b, bits);
	add_str(o, key, strbuf_str(&b));
	strbuf_free(&b);
}

static json_object *psec_object(const struct show_iface *i)
{
	const struct sw_port_config *c = &i->sw;
	json_object *o = json_object_new_object();
	json_object *macs = json_object_new_array();

	add_bool(o, "enabled", c->psec.enabled);
	add_int(o, "maximum", c->psec.maximum);
	add_str(o, "violationMode", output_violation_name(c->psec.violation));
	add_bool(o, "stickyLearning", c->psec.sticky);
	add_int(o, "secureMacs", i->info.secure_macs);
	add_int(o, "configuredMacs", output_psec_count(c, false));
	add_int(o, "stickyMacs", output_psec_count(c, true));
	add_u64(o, "violationCount", i->info.security_violations);
	add_mac(o, "lastViolationMac", i->info.last_violation_mac);
	add_int(o, "lastViolationVlan", i->info.last_violation_vlan);
	for (unsigned k = 0; k < c->psec.n_macs; k++) {
		json_object *m = json_object_new_object();

		add_mac(m, "mac", c->psec.macs[k].mac);
		add_bool(m, "sticky", c->psec.macs[k].sticky);
		json_object_array_add(macs, m);
	}
	json_object_object_add(o, "macAddresses", macs);
	return o;
}

static json_object *stats_object(const struct port_stats *s)
{
	json_object *o = json_object_new_object();

	add_u64(o, "inputPackets", s->rx_packets);
	add_u64(o, "inputBytes", s->rx_bytes);
	add_u64(o, "inputBroadcast", s->rx_broadcast);
	add_u64(o, "inputMulticast", s->rx_multicast);
	add_u64(o, "outputPackets", s->tx_packets);
	add_u64(o, "outputBytes", s->tx_bytes);
	return o;
}

static json_object *drops_object(const struct port_stats *s, uint64_t *total)
{
	json_object *o = json_object_new_object();

	*total = 0;
	for (int r = 0; r < PORT_DROP__COUNT; r++) {
		add_u64(o, port_drop_names[r], s->drops[r]);
		*total += s->drops[r];
	}
	return o;
}

static void add_attach(json_object *o, const struct show_iface *i)
{
	add_str(o, "type", port_type_name(i->attach.type));
	if (i->attach.device[0])
		add_str(o, "device", i->attach.device);
	if (i->attach.netns[0])
		add_str(o, "netns", i->attach.netns);
	if (i->attach.path[0])
		add_str(o, "socketPath", i->attach.path);
	add_bool(o, "attached", i->attached);
	if (i->attach_error[0])
		add_str(o, "attachError", i->attach_error);
}

static json_object *iface_object(const struct show_iface *i)
{
	json_object *o = json_object_new_object();
	enum output_status st = output_iface_status(i);
	uint64_t drops;

	add_str(o, "name", i->name);
	add_str(o, "status", output_status_name(st));
	add_str(o, "administrativeStatus", i->sw.shutdown ? "down" : "up");
	add_str(o, "operationalStatus", st == OUTPUT_STATUS_UP ? "up" : "down");
	if (i->description[0])
		add_str(o, "description", i->description);
	add_attach(o, i);
	add_int(o, "mtu", i->sw.mtu);
	add_str(o, "switchportMode", output_mode_name(i->sw.mode));
	add_int(o, "accessVlan", i->sw.access_vlan);
	add_int(o, "nativeVlan", i->sw.native_vlan);
	add_vlan_list(o, "allowedVlans", i->sw.allowed);
	json_object_object_add(o, "portSecurity", psec_object(i));
	json_object_object_add(o, "statistics", stats_object(&i->stats));
	json_object_object_add(o, "drops", drops_object(&i->stats, &drops));
	add_u64(o, "dropsTotal", drops);
	return o;
}

/* Brief and detail carry the same data in JSON; "brief" is a text layout. */
static void json_interfaces(struct strbuf *out, const struct show_ifaces *s,
			    bool brief)
{
	json_object *root = json_object_new_object();

	for (unsigned k = 0; k < s->n; k++)
		json_object_object_add(root, s->ifaces[k].name,
				       iface_object(&s->ifaces[k]));
	put_json(out, root);
}

/* The summary lists the interfaces with port security enabled, like the
 * text table; naming an interface ('detail') shows it regardless. */
static void json_port_security(struct strbuf *out, const struct show_ifaces *s,
			       bool detail)
{
	json_object *root = json_object_new_object();

	for (unsigned k = 0; k < s->n; k++) {
		const struct show_iface *i = &s->ifaces[k];

		if (!detail && !i->sw.psec.enabled)
			continue;
		json_object *o = psec_object(i);

		add_str(o, "status", output_status_name(output_iface_status(i)));
		json_object_object_add(root, i->name, o);
	}
	put_json(out, root);
}

static void json_vlans(struct strbuf *out, const struct show_vlans *s)
{
	json_object *root = json_object_new_object();

	for (unsigned k = 0; k < s->n; k++) {
		const struct show_vlan *v = &s->vlans[k];
		json_object *o = json_object_new_object();
		json_object *ports = json_object_new_array();
		char key[8];

		add_int(o, "vlanId", v->id);
		add_str(o, "name", v->name);
		add_str(o, "status", "active");
		for (unsigned p = 0; p < v->n_ports; p++)
			json_object_array_add(ports, json_object_new_string(v->ports[p]));
		json_object_object_add(o, "ports", ports);
		snprintf(key, sizeof(key), "%u", v->id);
		json_object_object_add(root, key, o);
	}
	put_json(out, root);
}

static void json_macs(struct strbuf *out, const struct show_macs *s)
{
	json_object *root = json_object_new_array_ext((int)(s->n < 1 ? 1 : s->n));

	for (size_t k = 0; k < s->n; k++) {
		const struct show_mac *m = &s->macs[k];
		json_object *o = json_object_new_object();

		add_int(o, "vlan", m->vlan);
		add_mac(o, "mac", m->mac);
		add_str(o, "type", output_fdb_type_name(m->type));
		add_str(o, "interface", m->iface);
		add_int(o, "age", m->age);
		json_object_array_add(root, o);
	}
	put_json(out, root);
}

static void json_mac_count(struct strbuf *out, const struct show_mac_count *c)
{
	json_object *o = json_object_new_object();

	if (c->vlan)
		add_int(o, "vlan", c->vlan);
	if (c->iface[0])
		add_str(o, "interface", c->iface);
	for (int t = SW_FDB_DYNAMIC; t <= SW_FDB_STICKY; t++)
		add_u64(o, output_fdb_type_name((enum sw_fdb_type)t), c->by_type[t]);
	add_u64(o, "total", c->total);
	add_u64(o, "used", c->used);
	add_int(o, "limit", c->limit);
	add_u64(o, "available", c->used < c->limit ? c->limit - c->used : 0);
	add_u64(o, "learnFailures", c->learn_failures);
	put_json(out, o);
}

static void json_version(struct strbuf *out, const struct show_version *v)
{
	json_object *o = json_object_new_object();

	add_str(o, "version", v->version);
	add_str(o, "hostname", v->hostname);
	add_u64(o, "uptime", v->uptime);
	add_str(o, "configFile", v->config_path);
	add_str(o, "socket", v->socket_path);
	add_int(o, "interfaces", v->n_ifaces);
	add_int(o, "interfacesAttached", v->n_attached);
	add_u64(o, "macEntries", v->fdb_entries);
	add_int(o, "macLimit", v->fdb_limit);
	put_json(out, o);
}

/* The configuration is text by nature; JSON carries it as one string so
 * scripts get the same bytes "show running-config" prints after its
 * header. */
static void json_running_config(struct strbuf *out, const char *text)
{
	json_object *o = json_object_new_object();
	struct strbuf b = STRBUF_INIT;

	strbuf_puts(&b, text);
	strbuf_puts(&b, "end\n");
	add_str(o, "config", strbuf_str(&b));
	strbuf_free(&b);
	put_json(out, o);
}

const struct output output_json = {
	.interfaces = json_interfaces,
	.port_security = json_port_security,
	.vlans = json_vlans,
	.macs = json_macs,
	.mac_count = json_mac_count,
	.version = json_version,
	.running_config = json_running_config,
};
