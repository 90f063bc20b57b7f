/*
 * DOC: data behind the show commands
 *
 * Each show command first gathers everything it prints into one of the
 * structs below (one pass, with the dataplane quiesced only while switch
 * state is copied), and then hands the struct to a printer of struct output
 * (output.h): text or JSON.  Printers never look at the daemon, so they are
 * unit-tested on hand-made structs, and gathering never formats anything.
 *
 * The gatherers run on the control thread.  Every struct is self-contained
 * (copies, no pointers into the running config), so it stays valid whatever
 * happens to the daemon afterwards.
 */
#ifndef OKAPI_SHOW_H
#define OKAPI_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/cfg.h"
#include "dp/port.h"
#include "dp/switch.h"

struct daemon;

/* Help lines shared by the show commands (FRR's SHOW_STR, JSON_STR). */
#define SHOW_HELP "Show running system information\n"
#define JSON_HELP "JavaScript Object Notation\n"

/* One configured interface with its live state. */
struct show_iface {
	char name[CFG_NAME_MAX];
	char description[CFG_DESC_MAX];
	struct port_attach attach;	/* type NONE: no "attach" line */
	struct sw_port_config sw;	/* configured switching state */
	bool allowed_all;		/* trunk allowed VLANs = all */
	bool attached;			/* has a switch slot: info/stats valid */
	char attach_error[256];		/* why attaching failed; "" if not */
	struct sw_port_info info;	/* zeroed when not attached */
	struct port_stats stats;	/* zeroed when not attached */
};

struct show_ifaces {
	unsigned n;
	struct show_iface *ifaces;	/* malloc()ed, config order */
};

struct show_vlan {
	uint16_t id;
	char name[CFG_VLAN_NAME_MAX];	/* configured name, or the default */
	unsigned n_ports;
	char (*ports)[CFG_NAME_MAX];	/* malloc()ed member interface names */
};

struct show_vlans {
	unsigned n;
	struct show_vlan *vlans;	/* malloc()ed, ascending id */
};

struct show_mac {
	uint8_t mac[6];
	uint16_t vlan;
	enum sw_fdb_type type;
	unsigned age;			/* seconds since last seen (dynamic) */
	char iface[CFG_NAME_MAX];	/* "" if the slot has no interface */
};

struct show_macs {
	size_t n;
	struct show_mac *macs;		/* malloc()ed, by VLAN then MAC */
};

/* Entries per type for the "count" form, within the filter. */
struct show_mac_count {
	uint16_t vlan;			/* filter: 0 = all */
	char iface[CFG_NAME_MAX];	/* filter: "" = all */
	size_t by_type[4];		/* indexed by enum sw_fdb_type */
	size_t total;			/* matching the filter */
	size_t used;			/* whole table */
	unsigned limit;			/* FDB bound (mac-address-table max) */
	uint64_t learn_failures;	/* learns refused because it was full */
};

struct show_version {
	char version[32];
	char hostname[CFG_NAME_MAX];
	uint64_t uptime;		/* seconds since the control socket opened */
	char config_path[256];
	char socket_path[108];
	unsigned n_ifaces, n_attached;
	size_t fdb_entries;
	unsigned fdb_limit;
};

/* Filter for the MAC table: vlan 0 and slot -1 mean any. */
struct show_mac_filter {
	uint16_t vlan;
	int slot;
	bool iface_set;			/* an interface was named */
	char iface[CFG_NAME_MAX];
};

/* Gathers all interfaces, or only 'name' when not NULL.  Folds learned
 * sticky MACs into the running config first (daemon_sync_sticky), so the
 * secure MAC lists are current.  Returns 0, -ENOENT (no such interface) or
 * -ENOMEM.  Free the result with show_ifaces_free(). */
int show_ifaces_gather(struct daemon *d, const char *name,
		       struct show_ifaces *out);
void show_ifaces_free(struct show_ifaces *s);

/* The VLAN table: VLAN 1, every "vlan N" and every VLAN an access port or
 * a trunk's native VLAN uses, with member ports (access ports in the VLAN,
 * trunks that carry it).  Returns 0 or -ENOMEM. */
int show_vlans_gather(struct daemon *d, struct show_vlans *out);
void show_vlans_free(struct show_vlans *s);

/* Resolves the MAC table filter: 'iface' NULL or a configured interface
 * (an unattached one matches no entry).  Returns 0 or -ENOENT. */
int show_mac_filter_init(struct daemon *d, struct show_mac_filter *f,
			 uint16_t vlan, const char *iface);
/* The FDB entries matching 'f'.  Returns 0 or -ENOMEM. */
int show_macs_gather(struct daemon *d, const struct show_mac_filter *f,
		     struct show_macs *out);
void show_macs_free(struct show_macs *s);
void show_mac_count_gather(struct daemon *d, const struct show_mac_filter *f,
			   struct show_mac_count *out);

void show_version_gather(struct daemon *d, struct show_version *out);

struct output;
struct strbuf;
/* Prints the running config (sticky MACs folded in first) with printer
 * 'o'.  Shared by "show running-config" and "write terminal".  Returns 0
 * or -ENOMEM. */
int show_running_config(struct daemon *d, const struct output *o,
			struct strbuf *out);

/* Registers the show commands of each show-*.c (called by
 * ctl_install_exec_commands()). */
void show_iface_install(void);
void show_vlan_install(void);
void show_mac_install(void);
void show_misc_install(void);

#endif
