/*
 * DOC: unit tests for the config tree, printer, commands and loader
 *
 * Tables of config texts: what each prints in canonical form, that the
 * printed form loads back to an equal tree and prints identically (the
 * "show running-config" round trip), that each "no" form restores the
 * default, which errors a bad file reports (exact text, file:line:col,
 * caret, expected list), and that cfg_dup/cfg_equal see every field.
 */
#include "config/cfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cmd.h"
#include "lib/vlanset.h"

static struct cfg *t_load(const char *text, struct strbuf *errs)
{
	return cfg_load_string("t.conf", text, errs);
}

/* Input text -> canonical print.  Every case also goes through the round
 * trip below. */
static const struct {
	const char *in;
	const char *out;
} t_print_cases[] = {
	{ "", "" },
	{ "hostname okapi\nlog stdout\nlog stdout informational\n", "" },
	{ "frr version 8.4.4\nfrr defaults traditional\nhostname r1\n", "hostname r1\n!\n" },
	{ "log syslog\n", "log syslog\n!\n" },
	{ "log stdout deb\n", "log stdout debugging\n!\n" },
	{ "log file /var/log/okapi.log warnings\n", "log file /var/log/okapi.log warnings\n!\n" },
	{ "log syslog\nlog file /x\n", "log file /x\n!\n" },
	{ "mac address-table aging-time 0\nmac-address-table limit maximum 1000\n",
	  "mac-address-table aging-time 0\nmac-address-table limit maximum 1000\n!\n" },
	{ "vlan 20\nvlan 10\n name users\n", "vlan 10\n name users\nexit\n!\nvlan 20\nexit\n!\n" },
	{ "int b\nint a\n", "interface b\nexit\n!\ninterface a\nexit\n!\n" },
	{ "interface e\n attach tap\n", "interface e\n attach tap\nexit\n!\n" },
	{ "interface e\n attach tap e\n", "interface e\n attach tap\nexit\n!\n" },
	{ "interface e\n attach tap t9 netns vm\n", "interface e\n attach tap t9 netns vm\nexit\n!\n" },
	{ "interface e\n attach internal\n attach packet eth1\n",
	  "interface e\n attach packet eth1\nexit\n!\n" },
	{ "interface e\n attach qemu /run/vm.sock\n", "interface e\n attach qemu /run/vm.sock\nexit\n!\n" },
	{ "interface e\n attach tap\n no attach\n", "interface e\nexit\n!\n" },
	{ "interface e\n description  two  spaces\n",
	  "interface e\n description two  spaces\nexit\n!\n" },
	{ "interface e\n mtu 9000\n shutdown\n",
	  "interface e\n mtu 9000\n shutdown\nexit\n!\n" },
	{ "interface e\n switchport mode trunk\n switchport trunk native vlan 99\n",
	  "interface e\n switchport mode trunk\n switchport trunk native vlan 99\nexit\n!\n" },
	{ "interface e\n switchport trunk allowed vlan 30-40,10,20\n",
	  "interface e\n switchport trunk allowed vlan 10,20,30-40\nexit\n!\n" },
	{ "interface e\n switchport trunk allowed vlan none\n",
	  "interface e\n switchport trunk allowed vlan none\nexit\n!\n" },
	{ "interface e\n switchport trunk allowed vlan except 1\n",
	  "interface e\n switchport trunk allowed vlan 2-4094\nexit\n!\n" },
	{ "interface e\n switchport trunk allowed vlan remove 5\n switchport trunk allowed vlan add 5\n",
	  "interface e\nexit\n!\n" },
	{ "interface e\n switchport trunk allowed vlan 1-4094\n", "interface e\nexit\n!\n" },
	{ "interface e\n switchport trunk allowed vlan 10\n switchport trunk allowed vlan add 11-12\n",
	  "interface e\n switchport trunk allowed vlan 10-12\nexit\n!\n" },
	{ "interface e\n switchport port-security\n switchport port-security maximum 3\n"
	  " switchport port-security violation protect\n switchport port-security mac-address sticky\n"
	  " switchport port-security mac-address 0011.2233.4455\n"
	  " switchport port-security mac-address 00-11-22-33-44-56 sticky\n"
	  " switchport port-security mac-address sticky 00:11:22:33:44:57\n",
	  "interface e\n switchport port-security\n switchport port-security maximum 3\n"
	  " switchport port-security violation protect\n switchport port-security mac-address sticky\n"
	  " switchport port-security mac-address 00:11:22:33:44:55\n"
	  " switchport port-security mac-address sticky 00:11:22:33:44:56\n"
	  " switchport port-security mac-address sticky 00:11:22:33:44:57\nexit\n!\n" },
	{ "interface e\nmac-address-table static 0011.2233.4455 vlan 7 interface e\n",
	  "interface e\nexit\n!\nmac-address-table static 00:11:22:33:44:55 vlan 7 interface e\n!\n" },
	/* a later static entry for the same MAC and VLAN replaces it */
	{ "interface e\ninterface f\nmac address-table static 0011.2233.4455 vlan 7 interface e\n"
	  "mac-address-table static 0011.2233.4455 vlan 7 interface f\n",
	  "interface e\nexit\n!\ninterface f\nexit\n!\n"
	  "mac-address-table static 00:11:22:33:44:55 vlan 7 interface f\n!\n" },
	/* "no interface" also removes its static entries */
	{ "interface e\nmac-address-table static 0011.2233.4455 vlan 7 interface e\nno interface e\n", "" },
	/* blocks closed implicitly, by exit, by end; comments anywhere */
	{ "interface e\n shutdown\nhostname h ! comment\n# more\ninterface f\n mtu 100\nexit\n"
	  "interface g\nend\nvlan 5\n",
	  "hostname h\n!\nvlan 5\nexit\n!\ninterface e\n shutdown\nexit\n!\n"
	  "interface f\n mtu 100\nexit\n!\ninterface g\nexit\n!\n" },
	{ "interface e\r\n description dos\r\n", "interface e\n description dos\nexit\n!\n" },
};

static int t_print(void)
{
	int fails = 0;

	for (size_t i = 0; i < sizeof(t_print_cases) / sizeof(t_print_cases[0]); i++) {
		struct strbuf errs = STRBUF_INIT;
		struct cfg *c = t_load(t_print_cases[i].in, &errs);
		char *out = c ? cfg_print(c) : NULL;

		if (!out || strcmp(out, t_print_cases[i].out)) {
			printf("FAIL print case %zu\n--- input\n%s--- got\n%s%s--- want\n%s",
			       i, t_print_cases[i].in, out ? out : "", strbuf_str(&errs),
			       t_print_cases[i].out);
			fails++;
		}
		free(out);
		cfg_free(c);
		strbuf_free(&errs);
	}
	return fails;
}

/* print -> load -> equal, and print again gives the same text. */
static int t_round_trip_one(const char *in)
{
	struct strbuf errs = STRBUF_INIT;
	struct cfg *a = t_load(in, &errs), *b = NULL;
	char *pa = a ? cfg_print(a) : NULL, *pb = NULL;
	int fail = 1;

	if (pa)
		b = t_load(pa, &errs);
	if (b)
		pb = cfg_print(b);
	if (b && cfg_equal(a, b) && pb && !strcmp(pa, pb))
		fail = 0;
	else
		printf("FAIL round trip\n--- input\n%s--- printed\n%s--- reprinted\n%s%s",
		       in, pa ? pa : "", pb ? pb : "", strbuf_str(&errs));
	free(pa);
	free(pb);
	cfg_free(a);
	cfg_free(b);
	strbuf_free(&errs);
	return fail;
}

static int t_round_trip(void)
{
	int fails = 0;

	for (size_t i = 0; i < sizeof(t_print_cases) / sizeof(t_print_cases[0]); i++)
		fails += t_round_trip_one(t_print_cases[i].in);
	return fails;
}

/* Every "no" form brings its setting back to the default. */
static const char t_all_settings[] =
	"hostname r1\nlog file /x debugging\nmac-address-table aging-time 5\n"
	"mac-address-table limit maximum 9\nvlan 10\n name ten\n"
	"interface e\n description d\n attach tap x netns y\n mtu 9000\n shutdown\n"
	" switchport mode trunk\n switchport access vlan 2\n switchport trunk native vlan 3\n"
	" switchport trunk allowed vlan 4\n switchport port-security\n"
	" switchport port-security maximum 5\n switchport port-security violation restrict\n"
	" switchport port-security mac-address sticky\n"
	" switchport port-security mac-address 0011.2233.4455\n"
	" switchport port-security mac-address sticky 0011.2233.4456\n";

static const char t_all_negated[] =
	"no hostname\nno log file\nno mac-address-table aging-time\n"
	"no mac-address-table limit\nvlan 10\n no name\nno vlan 10\n"
	"interface e\n no description\n no attach\n no mtu\n no shutdown\n"
	" no switchport mode\n no switchport access vlan\n no switchport trunk native vlan\n"
	" no switchport trunk allowed vlan\n no switchport port-security\n"
	" no switchport port-security maximum\n no switchport port-security violation\n"
	" no switchport port-security mac-address 00:11:22:33:44:55\n"
	" no switchport port-security mac-address sticky\n";

static int t_no_forms(void)
{
	struct strbuf errs = STRBUF_INIT, text = STRBUF_INIT;
	struct cfg *c, *dflt = cfg_new();
	int fail = 0;

	strbuf_printf(&text, "%s%s", t_all_settings, t_all_negated);
	c = t_load(strbuf_str(&text), &errs);
	if (!c || !dflt || !cfg_iface_get(dflt, "e") || !cfg_equal(c, dflt)) {
		char *out = c ? cfg_print(c) : NULL;

		printf("FAIL no forms: left\n%s%s", out ? out : "", strbuf_str(&errs));
		free(out);
		fail = 1;
	}
	cfg_free(c);
	cfg_free(dflt);
	strbuf_free(&errs);
	strbuf_free(&text);
	return fail;
}

/* Bad files: the exact error report. */
static const struct {
	const char *in;
	const char *errs;
} t_error_cases[] = {
	{ "interface e\n switchport access vlan 5000\n",
	  "t.conf:2:25: error: invalid VLAN id '5000' (expected 1-4094)\n"
	  " switchport access vlan 5000\n"
	  "                        ^\n"
	  "expected one of: (1-4094)\n" },
	{ "interface e\n\tswtchport mode access\n",
	  "t.conf:2:2: error: unknown command 'swtchport'\n"
	  "\tswtchport mode access\n"
	  "\t^\n" },
	/* keeps going: every bad line is reported */
	{ "hostname\nvlan 0\nvlan 10\n name 012345678901234567890123456789012\n",
	  "t.conf:1:10: error: incomplete command\n"
	  "hostname\n"
	  "         ^\n"
	  "expected one of: WORD\n"
	  "t.conf:2:6: error: invalid VLAN id '0' (expected 1-4094)\n"
	  "vlan 0\n"
	  "     ^\n"
	  "expected one of: (1-4094)\n"
	  "t.conf:4:7: error: VLAN name '012345678901234567890123456789012' is too long "
	  "(at most 32 characters)\n"
	  " name 012345678901234567890123456789012\n"
	  "      ^\n" },
	{ "interface a-very-long-interface\n attach tap\n",
	  "t.conf:2:9: error: device name 'a-very-long-interface' is too long (at most 15 characters)\n"
	  " attach tap\n"
	  "        ^\n" },
	{ "interface e\n switchport port-security mac-address 0100.5e00.0001\n",
	  "t.conf:2:39: error: secure MAC address 01:00:5e:00:00:01 must be a unicast address\n"
	  " switchport port-security mac-address 0100.5e00.0001\n"
	  "                                      ^\n" },
	/* cross references, reported at the line that configured them */
	{ "interface a\n attach tap t0\ninterface b\n attach internal t0\n",
	  "t.conf:4:18: error: device 't0' is already attached by interface a\n"
	  " attach internal t0\n"
	  "                 ^\n" },
	{ "mac-address-table static 0011.2233.4455 vlan 1 interface nope\ninterface e\n",
	  "t.conf:1:26: error: static MAC 00:11:22:33:44:55 vlan 1: interface 'nope' does not exist\n"
	  "mac-address-table static 0011.2233.4455 vlan 1 interface nope\n"
	  "                         ^\n" },
	{ "interface e\n switchport port-security mac-address 0011.2233.4455\n"
	  " switchport port-security mac-address 0011.2233.4466\n",
	  "t.conf:3:39: error: interface e has 2 secure MAC addresses, more than "
	  "port-security maximum 1\n"
	  " switchport port-security mac-address 0011.2233.4466\n"
	  "                                      ^\n" },
	{ "interface a\n switchport port-security mac-address 0011.2233.4455\n"
	  "interface b\n switchport port-security mac-address 0011.2233.4455\n",
	  "t.conf:4:39: error: secure MAC 00:11:22:33:44:55 is already configured on interface a\n"
	  " switchport port-security mac-address 0011.2233.4455\n"
	  "                                      ^\n" },
	{ "mac-address-table limit maximum 1\ninterface e\n"
	  "mac-address-table static 0011.2233.4455 vlan 1 interface e\n"
	  "mac-address-table static 0011.2233.4455 vlan 2 interface e\n",
	  "t.conf:4:26: error: 2 static MAC entries exceed the MAC table limit 1\n"
	  "mac-address-table static 0011.2233.4455 vlan 2 interface e\n"
	  "                         ^\n" },
};

static int t_errors(void)
{
	int fails = 0;

	for (size_t i = 0; i < sizeof(t_error_cases) / sizeof(t_error_cases[0]); i++) {
		struct strbuf errs = STRBUF_INIT;
		struct cfg *c = t_load(t_error_cases[i].in, &errs);

		if (c || strcmp(strbuf_str(&errs), t_error_cases[i].errs)) {
			printf("FAIL errors case %zu (%s)\n--- got\n%s--- want\n%s", i,
			       c ? "loaded" : "refused", strbuf_str(&errs), t_error_cases[i].errs);
			fails++;
		}
		cfg_free(c);
		strbuf_free(&errs);
	}
	return fails;
}

/* Each mutation of a copy must make cfg_equal() false. */
typedef void (*t_mutator)(struct cfg *c);
static void t_m_host(struct cfg *c) { c->hostname[0] = 'X'; }
static void t_m_level(struct cfg *c) { c->log_level = LOG_LVL_ERR; }
static void t_m_vlan(struct cfg *c) { c->vlan_defined[11] = true; }
static void t_m_vname(struct cfg *c) { c->vlan_name[10][0] = 'X'; }
static void t_m_aging(struct cfg *c) { c->mac_aging++; }
static void t_m_desc(struct cfg *c) { c->ifaces[0].description[0] = 'X'; }
static void t_m_netns(struct cfg *c) { c->ifaces[0].attach.netns[0] = 'X'; }
static void t_m_allowed(struct cfg *c) { vlanset_remove(c->ifaces[0].sw.allowed, 4); }
static void t_m_psec(struct cfg *c) { c->ifaces[0].sw.psec.macs[1].sticky = false; }
static void t_m_static(struct cfg *c) { c->static_macs[0].vlan = 9; }
static void t_m_delete(struct cfg *c) { cfg_iface_delete(c, "e"); }

static int t_dup_equal(void)
{
	static const t_mutator mutators[] = { t_m_host, t_m_level, t_m_vlan, t_m_vname,
		t_m_aging, t_m_desc, t_m_netns, t_m_allowed, t_m_psec, t_m_static, t_m_delete };
	struct strbuf errs = STRBUF_INIT;
	struct strbuf text = STRBUF_INIT;
	int fails = 0;

	strbuf_printf(&text, "%smac-address-table static 0011.2233.4455 vlan 7 interface e\n",
		      t_all_settings);
	struct cfg *c = t_load(strbuf_str(&text), &errs);
	for (size_t i = 0; c && i < sizeof(mutators) / sizeof(mutators[0]); i++) {
		struct cfg *d = cfg_dup(c);

		if (!d || !cfg_equal(c, d)) {
			printf("FAIL cfg_dup %zu: copy differs\n", i);
			fails++;
		} else if (mutators[i](d), cfg_equal(c, d)) {
			printf("FAIL cfg_equal misses mutation %zu\n", i);
			fails++;
		}
		cfg_free(d);
	}
	if (!c) {
		printf("FAIL loading the dup/equal config\n%s", strbuf_str(&errs));
		fails++;
	}
	cfg_free(c);
	strbuf_free(&errs);
	strbuf_free(&text);
	return fails;
}

static int t_iface_api(void)
{
	struct cfg *c = cfg_new();
	char name[CFG_NAME_MAX + 1];
	int fails = 0;

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	if (!c || !cfg_iface_get(c, "a") || !cfg_iface_get(c, "b") ||
	    cfg_iface_get(c, "a") != cfg_iface_find(c, "a") || c->n_ifaces != 2 ||
	    cfg_iface_get(c, name) != NULL) {
		printf("FAIL cfg_iface_get/find\n");
		fails++;
	}
	if (c) {
		cfg_iface_delete(c, "a");
		cfg_iface_delete(c, "nonexistent");
		if (c->n_ifaces != 1 || strcmp(c->ifaces[0].name, "b") || cfg_iface_find(c, "a")) {
			printf("FAIL cfg_iface_delete\n");
			fails++;
		}
	}
	cfg_free(c);
	cfg_free(NULL);
	return fails;
}

/* cfg_validate() on a tree built without a file (as okapictl does). */
static int t_validate(void)
{
	struct cfg *c = cfg_new();
	char *errs = strdup("earlier\n");
	int fails = 0;

	struct cfg_iface *a = cfg_iface_get(c, "a");
	a->attach.type = PORT_TYPE_QEMU;
	snprintf(a->attach.path, sizeof(a->attach.path), "/s");
	struct cfg_iface *b = cfg_iface_get(c, "b");
	b->attach = c->ifaces[0].attach;
	int n = cfg_validate(c, &errs);
	if (n != 1 || strcmp(errs, "earlier\nsocket path '/s' is already attached by interface a\n")) {
		printf("FAIL cfg_validate: %d '%s'\n", n, errs);
		fails++;
	}
	if (cfg_validate(c, NULL) != 1) {
		printf("FAIL cfg_validate without errs\n");
		fails++;
	}
	free(errs);
	cfg_free(c);
	return fails;
}

/* The config commands drive "?" and TAB too. */
static const struct {
	enum cmd_node node;
	const char *line;
	const char *want;	/* describe output contains this */
} t_help_cases[] = {
	{ CMD_NODE_INTERFACE, "switchport port-security ",
	  "  mac-address  Secure MAC address\n  maximum      Max secure addresses\n"
	  "  violation    Security violation mode\n  <cr>\n" },
	{ CMD_NODE_INTERFACE, "switchport port-security violation r",
	  "  restrict  Security violation restrict mode\n" },
	{ CMD_NODE_INTERFACE, "mtu ", "  (68-9216)  MTU (bytes of IP payload)\n" },
	{ CMD_NODE_CONFIG, "mac-address-table ", "  aging-time" },
	{ CMD_NODE_VLAN, "", "  name  Set the VLAN name\n" },
};

static int t_help(void)
{
	int fails = 0;

	for (size_t i = 0; i < sizeof(t_help_cases) / sizeof(t_help_cases[0]); i++) {
		struct strbuf out = STRBUF_INIT;

		cmd_describe(t_help_cases[i].node, t_help_cases[i].line, &out);
		if (!strstr(strbuf_str(&out), t_help_cases[i].want)) {
			printf("FAIL help '%s'\n--- got\n%s--- want (within)\n%s\n",
			       t_help_cases[i].line, strbuf_str(&out), t_help_cases[i].want);
			fails++;
		}
		strbuf_free(&out);
	}
	char **v = cmd_complete(CMD_NODE_CONFIG, "fr");	/* hidden header */
	if (v) {
		printf("FAIL completion offers hidden 'frr'\n");
		fails++;
	}
	cmd_strv_free(v);
	return fails;
}

int main(void)
{
	cmd_install_config_commands();
	cmd_install_config_commands();	/* idempotent */
	int fails = t_print() + t_round_trip() + t_no_forms() + t_errors() +
		    t_dup_equal() + t_iface_api() + t_validate() + t_help();

	printf("%s: %d failure(s)\n", fails ? "FAIL" : "PASS", fails);
	return fails != 0;
}
