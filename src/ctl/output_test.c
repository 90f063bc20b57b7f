/*
 * DOC: unit tests for the show printers (output.c, output-text.c,
 * output-json.c)
 *
 * Table-driven: hand-made show structs go through both printers; text is
 * compared with golden strings (the layouts users and scripts rely on),
 * JSON is parsed back with json-c and checked key by key.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/check.h"
#include "ctl/output.h"


static void check_text(const char *what, const char *got, const char *want)
{
	CHECK(!strcmp(got, want), "%s:\n--- got ---\n%s--- want ---\n%s", what,
	      got, want);
}

static void set_vlan(uint64_t bits[64], unsigned v)
{
	bits[v / 64] |= 1ull << (v % 64);
}

static void test_vlan_list(void)
{
	static const struct {
		unsigned vlans[8];	/* pairs lo, hi; 0 ends */
		const char *want;
	} cases[] = {
		{ { 0 }, "none" },
		{ { 1, 1 }, "1" },
		{ { 1, 2 }, "1-2" },
		{ { 10, 10, 20, 20, 30, 40 }, "10,20,30-40" },
		{ { 1, 4094 }, "1-4094" },
		{ { 4094, 4094 }, "4094" },
		{ { 5, 7, 9, 9, 4000, 4094 }, "5-7,9,4000-4094" },
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		uint64_t bits[64] = { 0 };
		struct strbuf b = STRBUF_INIT;

		for (int p = 0; p < 8 && cases[k].vlans[p]; p += 2)
			for (unsigned v = cases[k].vlans[p]; v <= cases[k].vlans[p + 1]; v++)
				set_vlan(bits, v);
		output_vlan_list(&b, bits);
		CHECK(!strcmp(strbuf_str(&b), cases[k].want),
		      "vlan list case %zu: got '%s', want '%s'", k, strbuf_str(&b),
		      cases[k].want);
		strbuf_free(&b);
	}
}

static void test_mac_format(void)
{
	static const uint8_t mac[6] = { 0x00, 0x1b, 0x2c, 0xaa, 0xff, 0x01 };
	char dotted[15], colon[18];

	output_mac_dotted(mac, dotted);
	output_mac_colon(mac, colon);
	CHECK(!strcmp(dotted, "001b.2caa.ff01"), "dotted: %s", dotted);
	CHECK(!strcmp(colon, "00:1b:2c:aa:ff:01"), "colon: %s", colon);
}

static void test_status(void)
{
	static const struct {
		bool shutdown, attached;
		enum sw_port_status live;
		enum output_status want;
	} cases[] = {
		{ false, false, SW_PORT_UP, OUTPUT_STATUS_DOWN },
		{ true, false, SW_PORT_UP, OUTPUT_STATUS_ADMIN_DOWN },
		{ false, true, SW_PORT_UP, OUTPUT_STATUS_UP },
		{ false, true, SW_PORT_LINK_DOWN, OUTPUT_STATUS_DOWN },
		{ false, true, SW_PORT_ERR_DISABLED, OUTPUT_STATUS_ERR_DISABLED },
		{ true, true, SW_PORT_ADMIN_DOWN, OUTPUT_STATUS_ADMIN_DOWN },
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct show_iface i;

		memset(&i, 0, sizeof(i));
		i.sw.shutdown = cases[k].shutdown;
		i.attached = cases[k].attached;
		i.info.status = cases[k].live;
		CHECK(output_iface_status(&i) == cases[k].want,
		      "status case %zu: got %s", k,
		      output_status_name(output_iface_status(&i)));
	}
}

/* Three interfaces: an access port that is up, a trunk that is
 * err-disabled by port security, one configured but not attached. */
static void make_ifaces(struct show_ifaces *s)
{
	static struct show_iface v[3];

	memset(v, 0, sizeof(v));
	snprintf(v[0].name, sizeof(v[0].name), "vm1");
	snprintf(v[0].description, sizeof(v[0].description), "web server");
	v[0].attach.type = PORT_TYPE_TAP;
	snprintf(v[0].attach.device, sizeof(v[0].attach.device), "tap-vm1");
	snprintf(v[0].attach.netns, sizeof(v[0].attach.netns), "ns1");
	sw_port_config_init(&v[0].sw);
	v[0].sw.access_vlan = 10;
	v[0].attached = true;
	v[0].info.status = SW_PORT_UP;
	v[0].stats.rx_packets = 5;
	v[0].stats.rx_bytes = 500;
	v[0].stats.tx_packets = 7;
	v[0].stats.tx_bytes = 700;
	v[0].stats.drops[PORT_DROP_OVERSIZE] = 3;

	snprintf(v[1].name, sizeof(v[1].name), "uplink");
	v[1].attach.type = PORT_TYPE_PACKET;
	snprintf(v[1].attach.device, sizeof(v[1].attach.device), "veth0");
	sw_port_config_init(&v[1].sw);
	v[1].sw.mode = SW_MODE_TRUNK;
	memset(v[1].sw.allowed, 0, sizeof(v[1].sw.allowed));
	set_vlan(v[1].sw.allowed, 10);
	set_vlan(v[1].sw.allowed, 20);
	v[1].sw.psec.enabled = true;
	v[1].sw.psec.maximum = 2;
	v[1].sw.psec.n_macs = 1;
	v[1].sw.psec.macs[0] = (struct sw_secure_mac){ { 2, 0, 0, 0, 0, 1 }, true };
	v[1].attached = true;
	v[1].info.status = SW_PORT_ERR_DISABLED;
	v[1].info.secure_macs = 2;
	v[1].info.security_violations = 4;
	memcpy(v[1].info.last_violation_mac, (uint8_t[6]){ 2, 0, 0, 0, 0, 9 }, 6);
	v[1].info.last_violation_vlan = 20;

	snprintf(v[2].name, sizeof(v[2].name), "spare");
	sw_port_config_init(&v[2].sw);
	s->n = 3;
	s->ifaces = v;
}

static void test_interfaces_text(void)
{
	struct show_ifaces s;
	struct strbuf b = STRBUF_INIT;

	make_ifaces(&s);
	output_text.interfaces(&b, &s, true);
	check_text("show interface brief", strbuf_str(&b),
		"Interface       Status      Mode/VLAN       Type/Device\n"
		"---------       ------      ---------       -----------\n"
		"vm1             up          access 10       tap tap-vm1@ns1\n"
		"uplink          err-dis     trunk           packet veth0\n"
		"spare           down        access 1        none\n");
	strbuf_reset(&b);
	s.n = 1;
	output_text.interfaces(&b, &s, false);
	check_text("show interface vm1", strbuf_str(&b),
		"Interface vm1 is up, line protocol is up\n"
		"  Description: web server\n"
		"  Attached: tap device tap-vm1 in namespace ns1\n"
		"  MTU 1500 bytes\n"
		"  Switchport mode access, access VLAN 10\n"
		"  Port security disabled\n"
		"  Input: 5 packets, 500 bytes, 0 broadcast, 0 multicast\n"
		"  Output: 7 packets, 700 bytes\n"
		"  Drops: 3\n"
		"    runt            0\n"
		"    malformed       0\n"
		"    oversize        3\n"
		"    vlan            0\n"
		"    port-security   0\n"
		"    port-down       0\n"
		"    bad-source      0\n"
		"    no-buffer       0\n"
		"    tx-error        0\n"
		"    no-link         0\n");
	strbuf_reset(&b);
	s.n = 3;
	output_text.interfaces(&b, &s, false);
	CHECK(strstr(strbuf_str(&b),
		     "Interface uplink is down, line protocol is down (err-disabled)\n"
		     "  Attached: packet device veth0\n"
		     "  MTU 1500 bytes\n"
		     "  Switchport mode trunk, native VLAN 1, allowed VLANs 10,20\n"
		     "  Port security enabled, maximum 2 MACs, violation shutdown\n"
		     "    2 secure MACs (0 configured, 1 sticky), 4 violations\n"
		     "    Last violation from 0200.0000.0009 on VLAN 20\n"),
	      "uplink detail:\n%s", strbuf_str(&b));
	CHECK(strstr(strbuf_str(&b),
		     "Interface spare is down, line protocol is down (not attached)\n"
		     "  Not attached\n"), "spare detail:\n%s", strbuf_str(&b));
	strbuf_free(&b);
}

static json_object *parse(const struct strbuf *b)
{
	json_object *o = json_tokener_parse(strbuf_str(b));

	CHECK(o != NULL, "invalid JSON:\n%s", strbuf_str(b));
	return o;
}

/* Value at a path of object keys, e.g. get(o, "vm1", "drops", "oversize"). */
static json_object *get(json_object *o, ...)
{
	va_list ap;
	const char *key;

	va_start(ap, o);
	while (o && (key = va_arg(ap, const char *)))
		if (!json_object_object_get_ex(o, key, &o))
			o = NULL;
	va_end(ap);
	return o;
}

static void check_str(json_object *v, const char *want, const char *what)
{
	CHECK(v && json_object_is_type(v, json_type_string) &&
	      !strcmp(json_object_get_string(v), want),
	      "%s: got %s, want \"%s\"", what, v ? json_object_to_json_string(v) : "(missing)",
	      want);
}

static void check_int(json_object *v, int64_t want, const char *what)
{
	CHECK(v && json_object_is_type(v, json_type_int) &&
	      json_object_get_int64(v) == want,
	      "%s: got %s, want %lld", what, v ? json_object_to_json_string(v) : "(missing)",
	      (long long)want);
}

static void test_interfaces_json(void)
{
	struct show_ifaces s;
	struct strbuf b = STRBUF_INIT;

	make_ifaces(&s);
	output_json.interfaces(&b, &s, false);
	json_object *o = parse(&b);

	check_str(get(o, "vm1", "administrativeStatus", NULL), "up", "vm1 admin");
	check_str(get(o, "vm1", "operationalStatus", NULL), "up", "vm1 oper");
	check_str(get(o, "vm1", "description", NULL), "web server", "vm1 desc");
	check_str(get(o, "vm1", "type", NULL), "tap", "vm1 type");
	check_str(get(o, "vm1", "netns", NULL), "ns1", "vm1 netns");
	check_int(get(o, "vm1", "mtu", NULL), 1500, "vm1 mtu");
	check_int(get(o, "vm1", "accessVlan", NULL), 10, "vm1 vlan");
	check_int(get(o, "vm1", "drops", "oversize", NULL), 3, "vm1 oversize");
	check_int(get(o, "vm1", "dropsTotal", NULL), 3, "vm1 drops total");
	check_int(get(o, "vm1", "statistics", "inputPackets", NULL), 5, "vm1 rx");
	check_int(get(o, "vm1", "statistics", "outputBytes", NULL), 700, "vm1 tx bytes");
	check_str(get(o, "uplink", "status", NULL), "err-disabled", "uplink status");
	check_str(get(o, "uplink", "operationalStatus", NULL), "down", "uplink oper");
	check_str(get(o, "uplink", "allowedVlans", NULL), "10,20", "uplink allowed");
	check_int(get(o, "uplink", "portSecurity", "violationCount", NULL), 4,
		  "uplink violations");
	check_str(get(o, "uplink", "portSecurity", "lastViolationMac", NULL),
		  "02:00:00:00:00:09", "uplink last mac");
	check_str(get(o, "spare", "type", NULL), "none", "spare type");
	check_str(get(o, "spare", "status", NULL), "down", "spare status");
	CHECK(get(o, "spare", "description", NULL) == NULL, "spare has no description");
	json_object_put(o);

	strbuf_reset(&b);
	output_json.port_security(&b, &s, false);
	o = parse(&b);
	CHECK(o && json_object_object_length(o) == 1,
	      "port-security summary lists only enabled ports:\n%s", strbuf_str(&b));
	check_int(get(o, "uplink", "maximum", NULL), 2, "psec maximum");
	check_int(get(o, "uplink", "stickyMacs", NULL), 1, "psec sticky");
	json_object_put(o);
	strbuf_free(&b);
}

static void test_port_security_text(void)
{
	struct show_ifaces s;
	struct strbuf b = STRBUF_INIT;

	make_ifaces(&s);
	output_text.port_security(&b, &s, false);
	check_text("show port-security", strbuf_str(&b),
		"Secure Port  MaxSecureAddr  CurrentAddr  SecurityViolation  Security Action\n"
		"                (Count)       (Count)          (Count)\n"
		"---------------------------------------------------------------------------\n"
		"     uplink              2            2                  4         Shutdown\n"
		"---------------------------------------------------------------------------\n"
		"Total Addresses in System (excluding one mac per port)     : 1\n");
	strbuf_reset(&b);
	s.ifaces++;
	s.n = 1;
	output_text.port_security(&b, &s, true);
	check_text("show port-security interface uplink", strbuf_str(&b),
		"Port Security              : Enabled\n"
		"Port Status                : Secure-shutdown\n"
		"Violation Mode             : Shutdown\n"
		"Maximum MAC Addresses      : 2\n"
		"Total MAC Addresses        : 2\n"
		"Configured MAC Addresses   : 0\n"
		"Sticky MAC Addresses       : 1\n"
		"Last Source Address:Vlan   : 0200.0000.0009:20\n"
		"Security Violation Count   : 4\n");
	strbuf_free(&b);
}

static void test_vlans(void)
{
	static char ports1[1][CFG_NAME_MAX] = { "spare" };
	static char ports10[9][CFG_NAME_MAX] = {
		"vm1", "uplink", "GigabitEthernet0/1", "GigabitEthernet0/2",
		"GigabitEthernet0/3", "GigabitEthernet0/4", "x", "y", "z",
	};
	struct show_vlan v[3] = {
		{ 1, "default", 1, ports1 },
		{ 10, "VLAN0010", 9, ports10 },
		{ 20, "servers", 0, NULL },
	};
	struct show_vlans s = { 3, v };
	struct strbuf b = STRBUF_INIT;

	output_text.vlans(&b, &s);
	check_text("show vlan", strbuf_str(&b),
		"VLAN Name                             Status    Ports\n"
		"---- -------------------------------- --------- -------------------------------\n"
		"1    default                          active    spare\n"
		"10   VLAN0010                         active    vm1, uplink,\n"
		"                                                GigabitEthernet0/1,\n"
		"                                                GigabitEthernet0/2,\n"
		"                                                GigabitEthernet0/3,\n"
		"                                                GigabitEthernet0/4, x, y, z\n"
		"20   servers                          active\n");
	strbuf_reset(&b);
	output_json.vlans(&b, &s);
	json_object *o = parse(&b);

	check_str(get(o, "20", "name", NULL), "servers", "vlan 20 name");
	check_int(get(o, "10", "vlanId", NULL), 10, "vlan 10 id");
	json_object *ports = get(o, "10", "ports", NULL);

	CHECK(ports && json_object_array_length(ports) == 9, "vlan 10 ports");
	json_object_put(o);
	strbuf_free(&b);
}

static void test_macs(void)
{
	struct show_mac m[2] = {
		{ { 2, 0, 0, 0, 0, 1 }, 10, SW_FDB_DYNAMIC, 12, "vm1" },
		{ { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff }, 4094, SW_FDB_STICKY, 0, "uplink" },
	};
	struct show_macs s = { 2, m };
	struct strbuf b = STRBUF_INIT;

	output_text.macs(&b, &s);
	check_text("show mac-address-table", strbuf_str(&b),
		"          Mac Address Table\n"
		"-------------------------------------------\n"
		"\n"
		"Vlan    Mac Address       Type        Ports\n"
		"----    -----------       --------    -----\n"
		"  10    0200.0000.0001    DYNAMIC     vm1\n"
		"4094    aabb.ccdd.eeff    STICKY      uplink\n"
		"Total Mac Addresses for this criterion: 2\n");
	strbuf_reset(&b);
	output_json.macs(&b, &s);
	json_object *o = parse(&b);

	CHECK(o && json_object_is_type(o, json_type_array) &&
	      json_object_array_length(o) == 2, "mac json is a list of 2:\n%s",
	      strbuf_str(&b));
	if (o && json_object_is_type(o, json_type_array) && json_object_array_length(o) == 2) {
		json_object *e = json_object_array_get_idx(o, 0);

		check_str(get(e, "mac", NULL), "02:00:00:00:00:01", "mac");
		check_int(get(e, "vlan", NULL), 10, "mac vlan");
		check_str(get(e, "type", NULL), "dynamic", "mac type");
		check_str(get(e, "interface", NULL), "vm1", "mac interface");
		check_int(get(e, "age", NULL), 12, "mac age");
	}
	json_object_put(o);

	/* An empty table is still a valid (empty) list. */
	strbuf_reset(&b);
	s.n = 0;
	output_json.macs(&b, &s);
	o = parse(&b);
	CHECK(o && json_object_array_length(o) == 0, "empty mac list: %s", strbuf_str(&b));
	json_object_put(o);
	strbuf_free(&b);
}

static void test_mac_count(void)
{
	struct show_mac_count c = {
		.vlan = 10, .by_type = { 5, 1, 2, 0 }, .total = 8, .used = 100,
		.limit = 65536, .learn_failures = 7,
	};
	struct strbuf b = STRBUF_INIT;

	output_text.mac_count(&b, &c);
	check_text("show mac-address-table vlan 10 count", strbuf_str(&b),
		"Mac Entries for Vlan 10:\n"
		"---------------------------\n"
		"Dynamic Address Count  : 5\n"
		"Static  Address Count  : 1\n"
		"Secure  Address Count  : 2\n"
		"Sticky  Address Count  : 0\n"
		"Total Mac Addresses    : 8\n"
		"\n"
		"Mac Address Table Limit          : 65536\n"
		"Total Mac Address Space Available: 65436\n"
		"Learn Failures (table full)      : 7\n");
	strbuf_reset(&b);
	output_json.mac_count(&b, &c);
	json_object *o = parse(&b);

	check_int(get(o, "dynamic", NULL), 5, "count dynamic");
	check_int(get(o, "available", NULL), 65436, "count available");
	check_int(get(o, "learnFailures", NULL), 7, "count learn failures");
	json_object_put(o);
	strbuf_free(&b);
}

static void test_version_and_config(void)
{
	struct show_version v = {
		.version = "1.2.3", .hostname = "sw1", .uptime = 90061,
		.config_path = "/etc/okapi/okapi.conf",
		.socket_path = "/run/okapi/okapid.sock",
		.n_ifaces = 3, .n_attached = 2, .fdb_entries = 5, .fdb_limit = 65536,
	};
	struct strbuf b = STRBUF_INIT;

	output_text.version(&b, &v);
	check_text("show version", strbuf_str(&b),
		"okapi version 1.2.3\n"
		"sw1 uptime is 1 day, 1 hour, 1 minute, 1 second\n"
		"Configuration file: /etc/okapi/okapi.conf\n"
		"Control socket: /run/okapi/okapid.sock\n"
		"Interfaces: 3 configured, 2 attached\n"
		"MAC address table: 5 entries, limit 65536\n");
	strbuf_reset(&b);
	v.uptime = 0;
	output_text.version(&b, &v);
	CHECK(strstr(strbuf_str(&b), "sw1 uptime is 0 seconds\n"), "zero uptime:\n%s",
	      strbuf_str(&b));
	strbuf_reset(&b);
	output_text.running_config(&b, "hostname sw1\n!\n");
	check_text("show running-config", strbuf_str(&b),
		"Building configuration...\n\nCurrent configuration:\n!\n"
		"hostname sw1\n!\nend\n");
	strbuf_reset(&b);
	output_json.running_config(&b, "hostname sw1\n!\n");
	json_object *o = parse(&b);

	check_str(get(o, "config", NULL), "hostname sw1\n!\nend\n", "config json");
	json_object_put(o);
	strbuf_free(&b);
}

int main(void)
{
	test_vlan_list();
	test_mac_format();
	test_status();
	test_interfaces_text();
	test_interfaces_json();
	test_port_security_text();
	test_vlans();
	test_macs();
	test_mac_count();
	test_version_and_config();
	if (failures)
		printf("%d check(s) failed\n", failures);
	else
		printf("all output checks passed\n");
	return failures != 0;
}
