/*
 * DOC: unit tests for the command matcher, help and completion
 *
 * Installs a small test grammar that exercises every syntax construct
 * (keywords, ranges, typed placeholders, <a|b>, [x], LINE, LEVEL, no
 * forms, hidden commands), then runs tables of lines through cmd_execute,
 * cmd_execute_nested, cmd_describe and cmd_complete.  Each handler prints
 * what it was called with into ctx->out, so a case is one line of input
 * and one line of expected output or error.
 */
#include "config/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/lexer.h"

/* Prints "tag" then name=value for each bound name that is present. */
static int t_print(struct cmd_ctx *ctx, const struct cmd_args *a,
		   const char *tag, const char *const *names)
{
	strbuf_printf(ctx->out, "%s%s", ctx->negate ? "no " : "", tag);
	for (; *names; names++)
		if (cmd_arg_has(a, *names))
			strbuf_printf(ctx->out, " %s=%s", *names, cmd_arg(a, *names));
	return 0;
}

#define T_HANDLER(fn, tag, ...)						\
	static int fn(struct cmd_ctx *ctx, const struct cmd_args *a)	\
	{								\
		static const char *const names[] = { __VA_ARGS__, NULL }; \
		return t_print(ctx, a, tag, names);			\
	}

T_HANDLER(t_hostname, "hostname", "name")
T_HANDLER(t_log, "log", "dest", "level")
T_HANDLER(t_aging, "aging", "seconds")
T_HANDLER(t_secret, "secret", "WORD")
T_HANDLER(t_shutdown, "shutdown", "shutdown")
T_HANDLER(t_mode, "mode", "mode")
T_HANDLER(t_access, "access", "vlan")
T_HANDLER(t_allowed, "allowed", "list", "all", "none", "add")
T_HANDLER(t_attach, "attach", "DEVICE", "netns", "NAMESPACE")
T_HANDLER(t_desc, "description", "LINE")
T_HANDLER(t_mtu, "mtu", "mtu")
T_HANDLER(t_mac, "mac", "MAC", "sticky")
T_HANDLER(t_addr, "addr", "A.B.C.D/M", "A.B.C.D")

static int t_interface(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	snprintf(ctx->iface, sizeof(ctx->iface), "%s", cmd_arg(a, "name"));
	ctx->node = CMD_NODE_INTERFACE;
	return t_print(ctx, a, "interface", (const char *const[]){ "name", NULL });
}

static int t_fail(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	cmd_error(ctx, "WORD", "refusing '%s'", cmd_arg(a, "WORD"));
	return -1;
}

static const struct cmd_def t_defs[] = {
	{ CMD_NODE_CONFIG, "hostname WORD$name", "Set the host name\nHost name",
	  t_hostname, 0 },
	{ CMD_NODE_CONFIG, "no hostname [WORD$name]",
	  "Negate\nSet the host name\nHost name", t_hostname, 0 },
	{ CMD_NODE_CONFIG, "interface IFNAME$name", "Select an interface\nInterface name",
	  t_interface, 0 },
	{ CMD_NODE_CONFIG, "log <stdout|syslog>$dest [LEVEL$level]",
	  "Logging\nStandard output\nSyslog\nLevel", t_log, CMD_F_NEGATABLE },
	{ CMD_NODE_CONFIG, "mac-address-table aging-time (0-1000000)$seconds",
	  "MAC table\nAging time\naging time (seconds)", t_aging, 0 },
	{ CMD_NODE_CONFIG, "mac address-table aging-time (0-1000000)$seconds",
	  "MAC\nMAC table\nAging time\naging time (seconds)", t_aging, 0 },
	{ CMD_NODE_CONFIG, "secret WORD", "Hidden\nValue", t_secret, CMD_F_HIDDEN },
	{ CMD_NODE_CONFIG, "fail WORD", "Always fails\nValue", t_fail, 0 },
	{ CMD_NODE_CONFIG, "address <A.B.C.D/M|A.B.C.D>", "Address\nPrefix\nHost",
	  t_addr, 0 },
	{ CMD_NODE_INTERFACE, "shutdown", "Shut the interface down", t_shutdown,
	  CMD_F_NEGATABLE },
	{ CMD_NODE_INTERFACE, "switchport mode <access|trunk>$mode",
	  "Switchport\nMode\nAccess\nTrunk", t_mode, 0 },
	{ CMD_NODE_INTERFACE, "switchport access vlan (1-4094)$vlan",
	  "Switchport\nAccess\nVLAN\nVLAN id", t_access, 0 },
	{ CMD_NODE_INTERFACE,
	  "switchport trunk allowed vlan <VLANLIST$list|all|none|add VLANLIST$add>",
	  "Switchport\nTrunk\nAllowed\nVLAN\nList\nAll\nNone\nAdd\nList", t_allowed, 0 },
	{ CMD_NODE_INTERFACE, "attach tap [DEVICE] [netns NAMESPACE]",
	  "Attach\nTAP\nDevice\nNamespace\nNamespace name", t_attach, 0 },
	{ CMD_NODE_INTERFACE, "description LINE", "Description\nText", t_desc, 0 },
	{ CMD_NODE_INTERFACE, "mtu (68-9216)$mtu", "MTU\nMTU (bytes)", t_mtu, 0 },
	{ CMD_NODE_INTERFACE, "no mtu [(68-9216)$mtu]", "Negate\nMTU\nMTU (bytes)",
	  t_mtu, 0 },
	{ CMD_NODE_INTERFACE, "mac-address MAC [sticky]", "MAC\nAddress\nSticky",
	  t_mac, CMD_F_NEGATABLE },
	{ CMD_NODE_INTERFACE, "mac-address sticky [MAC]", "MAC\nSticky\nAddress",
	  t_mac, CMD_F_NEGATABLE },
};

static const struct {
	enum cmd_node node;
	const char *line;
	const char *want;	/* handler output, or "!COL:MSG[|EXPECTED]" */
} t_exec_cases[] = {
	/* full words, abbreviations, case */
	{ CMD_NODE_CONFIG, "hostname r1", "hostname name=r1" },
	{ CMD_NODE_CONFIG, "host r1", "hostname name=r1" },
	{ CMD_NODE_CONFIG, "int eth0", "interface name=eth0" },
	{ CMD_NODE_CONFIG, "INTERFACE Eth0", "interface name=Eth0" },
	{ CMD_NODE_INTERFACE, "sw mo acc", "mode mode=access" },
	{ CMD_NODE_INTERFACE, "  switchport   mode trunk  ", "mode mode=trunk" },
	/* blank and comments */
	{ CMD_NODE_CONFIG, "", "" },
	{ CMD_NODE_CONFIG, "   ! a comment", "" },
	{ CMD_NODE_CONFIG, "# another", "" },
	{ CMD_NODE_CONFIG, "hostname r1 ! trailing", "hostname name=r1" },
	/* ambiguity */
	{ CMD_NODE_INTERFACE, "s", "!1:ambiguous command 's' (could be: shutdown, switchport)" },
	{ CMD_NODE_CONFIG, "ma aging-time 5",
	  "!1:ambiguous command 'ma' (could be: mac, mac-address-table)" },
	{ CMD_NODE_INTERFACE, "switchport trunk allowed vlan a",
	  "!31:ambiguous keyword 'a' (could be: add, all)" },
	{ CMD_NODE_INTERFACE, "no s", "no shutdown shutdown=shutdown" },	/* only shutdown has a no form */
	{ CMD_NODE_INTERFACE, "no m", "!4:ambiguous command 'm' (could be: mac-address, mtu)" },
	/* an exact keyword beats abbreviations of longer ones */
	{ CMD_NODE_CONFIG, "mac address-table aging-time 5", "aging seconds=5" },
	{ CMD_NODE_CONFIG, "mac aging-time 7", "aging seconds=7" },
	{ CMD_NODE_CONFIG, "mac-address-table aging-time 0", "aging seconds=0" },
	/* ranges */
	{ CMD_NODE_INTERFACE, "switchport access vlan 4094", "access vlan=4094" },
	{ CMD_NODE_INTERFACE, "switchport access vlan 5000",
	  "!24:invalid VLAN id '5000' (expected 1-4094)|(1-4094)" },
	{ CMD_NODE_INTERFACE, "switchport access vlan 0",
	  "!24:invalid VLAN id '0' (expected 1-4094)|(1-4094)" },
	{ CMD_NODE_INTERFACE, "switchport access vlan ten",
	  "!24:invalid VLAN id 'ten' (expected 1-4094)|(1-4094)" },
	{ CMD_NODE_INTERFACE, "switchport access vlan -5",
	  "!24:invalid VLAN id '-5' (expected 1-4094)|(1-4094)" },
	{ CMD_NODE_INTERFACE, "switchport access vlan 99999999999999999999",
	  "!24:invalid VLAN id '99999999999999999999' (expected 1-4094)|(1-4094)" },
	{ CMD_NODE_INTERFACE, "mtu 10000", "!5:invalid MTU '10000' (expected 68-9216)|(68-9216)" },
	{ CMD_NODE_CONFIG, "mac-address-table aging-time 1000001",
	  "!30:invalid aging time '1000001' (expected 0-1000000)|(0-1000000)" },
	/* optional parts */
	{ CMD_NODE_INTERFACE, "attach tap", "attach" },
	{ CMD_NODE_INTERFACE, "attach tap t0", "attach DEVICE=t0" },
	{ CMD_NODE_INTERFACE, "attach tap t0 netns ns1", "attach DEVICE=t0 netns=netns NAMESPACE=ns1" },
	{ CMD_NODE_INTERFACE, "attach tap netns ns1", "attach netns=netns NAMESPACE=ns1" },
	{ CMD_NODE_INTERFACE, "attach tap net ns1", "attach netns=netns NAMESPACE=ns1" },
	{ CMD_NODE_INTERFACE, "attach tap netns", "attach DEVICE=netns" },
	{ CMD_NODE_INTERFACE, "attach tap n", "attach DEVICE=n" },
	{ CMD_NODE_INTERFACE, "attach tap t0 netns", "!21:incomplete command|NAMESPACE" },
	{ CMD_NODE_INTERFACE, "attach tap t0 ns1",
	  "!15:unknown keyword 'ns1'|netns" },
	/* alternatives */
	{ CMD_NODE_INTERFACE, "switchport trunk allowed vlan all", "allowed all=all" },
	{ CMD_NODE_INTERFACE, "sw tr al vl n", "allowed none=none" },
	{ CMD_NODE_INTERFACE, "switchport trunk allowed vlan 10,20,30-40", "allowed list=10,20,30-40" },
	{ CMD_NODE_INTERFACE, "switchport trunk allowed vlan add 5", "allowed add=5" },
	{ CMD_NODE_INTERFACE, "switchport trunk allowed vlan 10-5000",
	  "!31:invalid VLAN list '10-5000' (VLAN 5000 is out of range 1-4094)|VLANLIST, all, none, add" },
	{ CMD_NODE_INTERFACE, "switchport mode foo", "!17:unknown keyword 'foo'|access, trunk" },
	{ CMD_NODE_CONFIG, "address 10.0.0.1", "addr A.B.C.D=10.0.0.1" },
	{ CMD_NODE_CONFIG, "address 10.0.0.0/8", "addr A.B.C.D/M=10.0.0.0/8" },
	{ CMD_NODE_CONFIG, "address 10.0.0.0/33",
	  "!9:invalid IPv4 prefix '10.0.0.0/33' (expected A.B.C.D/M)|A.B.C.D/M, A.B.C.D" },
	/* no forms */
	{ CMD_NODE_INTERFACE, "shutdown", "shutdown shutdown=shutdown" },
	{ CMD_NODE_INTERFACE, "no shutdown", "no shutdown shutdown=shutdown" },
	{ CMD_NODE_INTERFACE, "no shut", "no shutdown shutdown=shutdown" },
	{ CMD_NODE_INTERFACE, "no mtu", "no mtu" },
	{ CMD_NODE_INTERFACE, "no mtu 9000", "no mtu mtu=9000" },
	{ CMD_NODE_INTERFACE, "mtu", "!5:incomplete command|(68-9216)" },
	{ CMD_NODE_CONFIG, "no hostname", "no hostname" },
	{ CMD_NODE_CONFIG, "no log syslog", "no log dest=syslog" },
	{ CMD_NODE_INTERFACE, "no", "!4:incomplete command|shutdown, mtu, mac-address" },
	/* LINE keeps inner spacing and '!' inside words */
	{ CMD_NODE_INTERFACE, "description  uplink  to   core", "description LINE=uplink  to   core" },
	{ CMD_NODE_INTERFACE, "description a!b c#d", "description LINE=a!b c#d" },
	{ CMD_NODE_INTERFACE, "description a!b #c", "description LINE=a!b" },
	{ CMD_NODE_INTERFACE, "description a !b", "description LINE=a" },
	{ CMD_NODE_INTERFACE, "description", "!13:incomplete command|LINE" },
	/* LEVEL */
	{ CMD_NODE_CONFIG, "log stdout", "log dest=stdout" },
	{ CMD_NODE_CONFIG, "log syslog deb", "log dest=syslog level=debugging" },
	{ CMD_NODE_CONFIG, "log stdout e", "!12:ambiguous keyword 'e' (could be: emergencies, errors)" },
	{ CMD_NODE_CONFIG, "log stdout loud",
	  "!12:unknown keyword 'loud'|emergencies, alerts, critical, errors, warnings, notifications, informational, debugging" },
	/* MAC */
	{ CMD_NODE_INTERFACE, "mac-address 0011.2233.4455", "mac MAC=0011.2233.4455" },
	{ CMD_NODE_INTERFACE, "mac-address 00:11:22:33:44:55 sticky", "mac MAC=00:11:22:33:44:55 sticky=sticky" },
	{ CMD_NODE_INTERFACE, "mac-address sticky", "mac sticky=sticky" },
	{ CMD_NODE_INTERFACE, "mac-address sticky 00-11-22-33-44-55", "mac MAC=00-11-22-33-44-55 sticky=sticky" },
	{ CMD_NODE_INTERFACE, "mac-address zz:11",
	  "!13:invalid MAC address 'zz:11' (expected aa:bb:cc:dd:ee:ff or aabb.ccdd.eeff)|MAC, sticky" },
	/* unknown, extra words, hidden, handler errors */
	{ CMD_NODE_CONFIG, "foo bar", "!1:unknown command 'foo'" },
	{ CMD_NODE_INTERFACE, "swtchport mode access", "!1:unknown command 'swtchport'" },
	{ CMD_NODE_INTERFACE, "shutdown now", "!10:unexpected word 'now' after the end of the command" },
	{ CMD_NODE_CONFIG, "secret s3", "secret WORD=s3" },
	{ CMD_NODE_CONFIG, "fail x", "!6:refusing 'x'" },
	{ CMD_NODE_CONFIG, "interface", "!11:incomplete command|IFNAME" },
	{ CMD_NODE_CONFIG,
	  "interface 0123456789012345678901234567890123456789012345678901234567890123",
	  "!11:interface name '0123456789012345678901234567890123456...' "
	  "is too long (at most 63 characters)|IFNAME" },
};

/* Formats the outcome of one line like t_exec_cases[].want. */
static char *t_run(enum cmd_node node, const char *line, bool nested,
		   enum cmd_node *node_after)
{
	struct strbuf out = STRBUF_INIT;
	struct cmd_ctx ctx = { .node = node, .out = &out };
	struct cmd_result res;
	int rc = nested ? cmd_execute_nested(&ctx, line, &res)
			: cmd_execute(&ctx, line, &res);

	if (rc < 0) {
		strbuf_reset(&out);
		strbuf_printf(&out, "!%d:%s", res.col, res.msg);
		if (res.expected)
			strbuf_printf(&out, "|%s", res.expected);
	}
	cmd_result_free(&res);
	if (node_after)
		*node_after = ctx.node;
	return strbuf_detach(&out);
}

static int t_exec(void)
{
	int fails = 0;

	for (size_t i = 0; i < sizeof(t_exec_cases) / sizeof(t_exec_cases[0]); i++) {
		char *got = t_run(t_exec_cases[i].node, t_exec_cases[i].line, false, NULL);

		if (strcmp(got, t_exec_cases[i].want)) {
			printf("FAIL exec '%s'\n  got  '%s'\n  want '%s'\n",
			       t_exec_cases[i].line, got, t_exec_cases[i].want);
			fails++;
		}
		free(got);
	}
	return fails;
}

/* FRR's config reader retries a failing line in the parent nodes. */
static const struct {
	const char *line;
	const char *want;
	enum cmd_node node_after;
} t_nested_cases[] = {
	{ "shutdown", "shutdown shutdown=shutdown", CMD_NODE_INTERFACE },
	{ "hostname r2", "hostname name=r2", CMD_NODE_CONFIG },
	{ "interface eth1", "interface name=eth1", CMD_NODE_INTERFACE },
	{ "switchport access vlan 5000",
	  "!24:invalid VLAN id '5000' (expected 1-4094)|(1-4094)", CMD_NODE_INTERFACE },
	{ "swtchport", "!1:unknown command 'swtchport'", CMD_NODE_INTERFACE },
	{ "fail x", "!6:refusing 'x'", CMD_NODE_INTERFACE },
};

static int t_nested(void)
{
	int fails = 0;

	for (size_t i = 0; i < sizeof(t_nested_cases) / sizeof(t_nested_cases[0]); i++) {
		enum cmd_node after;
		char *got = t_run(CMD_NODE_INTERFACE, t_nested_cases[i].line, true, &after);

		if (strcmp(got, t_nested_cases[i].want) ||
		    after != t_nested_cases[i].node_after) {
			printf("FAIL nested '%s'\n  got  '%s' node %d\n  want '%s' node %d\n",
			       t_nested_cases[i].line, got, after,
			       t_nested_cases[i].want, t_nested_cases[i].node_after);
			fails++;
		}
		free(got);
	}
	return fails;
}

static const struct {
	enum cmd_node node;
	const char *line;
	const char *want;
} t_describe_cases[] = {
	{ CMD_NODE_INTERFACE, "switchport ?",
	  "  access  Access\n  mode    Mode\n  trunk   Trunk\n" },
	{ CMD_NODE_INTERFACE, "sw", "  switchport  Switchport\n" },
	{ CMD_NODE_INTERFACE, "shutdown ", "  <cr>\n" },
	{ CMD_NODE_INTERFACE, "mtu ", "  (68-9216)  MTU (bytes)\n" },
	{ CMD_NODE_INTERFACE, "mtu 9", "  (68-9216)  MTU (bytes)\n" },
	{ CMD_NODE_INTERFACE, "mtu x", "% There is no matched command.\n" },
	{ CMD_NODE_INTERFACE, "attach tap ",
	  "  DEVICE  Device\n  netns   Namespace\n  <cr>\n" },
	{ CMD_NODE_INTERFACE, "description hello ", "  LINE  Text\n  <cr>\n" },
	{ CMD_NODE_INTERFACE, "foo ", "% unknown command 'foo'\n" },
	{ CMD_NODE_CONFIG, "", /* "secret" is hidden */
	  "  address            Address\n  fail               Always fails\n"
	  "  hostname           Set the host name\n  interface          Select an interface\n"
	  "  log                Logging\n  mac                MAC\n"
	  "  mac-address-table  MAC table\n  no                 Negate\n" },
	{ CMD_NODE_CONFIG, "log stdout w", "  warnings  Warning conditions\n" },
};

static int t_describe(void)
{
	int fails = 0;

	for (size_t i = 0; i < sizeof(t_describe_cases) / sizeof(t_describe_cases[0]); i++) {
		struct strbuf out = STRBUF_INIT;
		const char *line = t_describe_cases[i].line;
		char *trimmed = strndup(line, strcspn(line, "?"));

		cmd_describe(t_describe_cases[i].node, trimmed, &out);
		if (strcmp(strbuf_str(&out), t_describe_cases[i].want)) {
			printf("FAIL describe '%s'\n--- got\n%s--- want\n%s",
			       line, strbuf_str(&out), t_describe_cases[i].want);
			fails++;
		}
		strbuf_free(&out);
		free(trimmed);
	}
	return fails;
}

static const struct {
	enum cmd_node node;
	const char *line;
	const char *want;	/* space-separated candidates; "" = NULL */
} t_complete_cases[] = {
	{ CMD_NODE_INTERFACE, "sw", "switchport" },
	{ CMD_NODE_INTERFACE, "s", "shutdown switchport" },
	{ CMD_NODE_INTERFACE, "switchport mode ", "access trunk" },
	{ CMD_NODE_INTERFACE, "switchport mode t", "trunk" },
	{ CMD_NODE_INTERFACE, "sw mo ", "access trunk" },
	{ CMD_NODE_INTERFACE, "attach tap ", "netns" },
	{ CMD_NODE_INTERFACE, "mtu ", "" },
	{ CMD_NODE_INTERFACE, "xyz ", "" },
	{ CMD_NODE_INTERFACE, "no ", "mac-address mtu shutdown" },
	{ CMD_NODE_CONFIG, "sec", "" },		/* hidden */
	{ CMD_NODE_CONFIG, "log syslog i", "informational" },
};

static int t_complete(void)
{
	int fails = 0;

	for (size_t i = 0; i < sizeof(t_complete_cases) / sizeof(t_complete_cases[0]); i++) {
		char **v = cmd_complete(t_complete_cases[i].node, t_complete_cases[i].line);
		struct strbuf got = STRBUF_INIT;

		for (size_t j = 0; v && v[j]; j++)
			strbuf_printf(&got, "%s%s", j ? " " : "", v[j]);
		if (strcmp(strbuf_str(&got), t_complete_cases[i].want)) {
			printf("FAIL complete '%s' -> '%s', want '%s'\n",
			       t_complete_cases[i].line, strbuf_str(&got),
			       t_complete_cases[i].want);
			fails++;
		}
		strbuf_free(&got);
		cmd_strv_free(v);
	}
	return fails;
}

static const struct {
	const char *line;
	const char *words;	/* "col:word" joined by spaces */
} t_lexer_cases[] = {
	{ "", "" },
	{ "a b", "1:a 3:b" },
	{ "\tswitchport  mode\r", "2:switchport 14:mode" },
	{ "description a!b", "1:description 13:a!b" },
	{ "description a !b c", "1:description 13:a" },
	{ "x #y", "1:x" },
	{ "!x y", "" },
	{ "a#b c", "1:a#b 5:c" },
	{ "one\ntwo", "1:one" },
};

static int t_lexer(void)
{
	int fails = 0;

	for (size_t i = 0; i < sizeof(t_lexer_cases) / sizeof(t_lexer_cases[0]); i++) {
		struct strbuf got = STRBUF_INIT;
		struct lexer_line l;

		if (lexer_split(t_lexer_cases[i].line, &l) < 0)
			return fails + 1;
		for (size_t j = 0; j < l.n_words; j++)
			strbuf_printf(&got, "%s%d:%s", j ? " " : "", l.words[j].col,
				      l.words[j].text);
		if (strcmp(strbuf_str(&got), t_lexer_cases[i].words)) {
			printf("FAIL lexer '%s' -> '%s', want '%s'\n",
			       t_lexer_cases[i].line, strbuf_str(&got),
			       t_lexer_cases[i].words);
			fails++;
		}
		strbuf_free(&got);
		lexer_free(&l);
	}
	return fails;
}

int main(void)
{
	cmd_install(t_defs, sizeof(t_defs) / sizeof(t_defs[0]));
	int fails = t_lexer() + t_exec() + t_nested() + t_describe() + t_complete();

	printf("%s: %d failure(s)\n", fails ? "FAIL" : "PASS", fails);
	return fails != 0;
}
