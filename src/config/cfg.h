/*
 * DOC: the configuration tree
 *
 * A struct cfg is the whole configuration as data (DESIGN.md decision 7).
 * The loader builds a new one from text; configure-terminal commands edit a
 * copy (cfg_dup) of the running one; in both cases the result is validated
 * (cfg_validate) and then applied by diffing it against the running config
 * (apply.c), so unaffected ports keep forwarding.  A struct cfg is never
 * changed while it is the running config: it is replaced.
 *
 * Interface order is the order of first appearance, which is also the order
 * "show running-config" prints, so the printed form parses back to an equal
 * tree (cfg_equal).
 */
#ifndef OKAPI_CFG_H
#define OKAPI_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/log.h"
#include "dp/port.h"
#include "dp/dp.h"
#include "dp/switch.h"

#define CFG_NAME_MAX	64	/* interface and host names */
#define CFG_DESC_MAX	241	/* description text, NUL included */
#define CFG_VLAN_NAME_MAX 33	/* IOS allows 32 characters */

struct cfg_iface {
	char name[CFG_NAME_MAX];
	char description[CFG_DESC_MAX];	/* "" = none */
	struct port_attach attach;	/* type NONE = not attached */
	struct sw_port_config sw;	/* mode, VLANs, MTU, shutdown, psec */
	bool allowed_all;		/* trunk allowed = all (the default);
					 * printing uses it to omit the line */
};

struct cfg_static_mac {
	uint8_t mac[6];
	uint16_t vlan;
	char iface[CFG_NAME_MAX];
};

struct cfg {
	char hostname[CFG_NAME_MAX];	/* default "okapi" */

	enum log_dest log_dest;		/* default stdout */
	char log_file[256];
	enum log_level log_level;	/* default informational */

	/* "vlan N" blocks: the VLAN exists (named or not). */
	bool vlan_defined[4096];
	char vlan_name[4096][CFG_VLAN_NAME_MAX];

	unsigned n_ifaces;
	struct cfg_iface *ifaces;	/* malloc()ed array */

	unsigned mac_aging;		/* seconds; default 300; 0 = never */
	unsigned mac_max;		/* FDB bound; default 65536 */
	unsigned busy_poll_us;		/* dataplane busy-poll window, µs;
					 * default DP_BUSY_POLL_DEFAULT */
	unsigned n_static_macs;
	struct cfg_static_mac *static_macs;
};

/* A config with every default set.  NULL on ENOMEM. */
struct cfg *cfg_new(void);
/* Deep copy.  NULL on ENOMEM. */
struct cfg *cfg_dup(const struct cfg *c);
/* NULL is fine. */
void cfg_free(struct cfg *c);
bool cfg_equal(const struct cfg *a, const struct cfg *b);

struct cfg_iface *cfg_iface_find(const struct cfg *c, const char *name);
/* Finds or appends an interface with defaults (sw_port_config_init(), no
 * attachment, all VLANs allowed).  Appending may move c->ifaces, so
 * pointers from earlier finds become invalid.  NULL on ENOMEM or if name
 * does not fit CFG_NAME_MAX. */
struct cfg_iface *cfg_iface_get(struct cfg *c, const char *name);
/* Removes the interface and the static MACs that point at it. */
void cfg_iface_delete(struct cfg *c, const char *name);

/* Checks cross-references the grammar cannot (a static MAC's interface
 * exists, no two ports attach the same device or socket path, ...).
 * Appends one line per problem to *errs (malloc()ed, NUL-terminated) and
 * returns the number of problems.  errs may be NULL to only count. */
int cfg_validate(const struct cfg *c, char **errs);

/* Which setting a validation problem is about, so the file loader can
 * point at the line that configured it (cfg_load_*). */
enum cfg_subject {
	CFG_SUBJ_ATTACH,	/* iface: its "attach" line */
	CFG_SUBJ_SECURE_MAC,	/* iface, mac: a port-security mac-address */
	CFG_SUBJ_STATIC_MAC,	/* mac, vlan: a mac-address-table static */
};

struct cfg_problem {
	enum cfg_subject subject;
	const char *iface;
	const uint8_t *mac;
	uint16_t vlan;
	const char *msg;	/* "device 'tap0' is already attached by ..." */
};

/* Same checks as cfg_validate(), reporting each problem to fn (the
 * problem is only valid during the call).  Returns the number of
 * problems, or -ENOMEM. */
int cfg_validate_each(const struct cfg *c,
		      void (*fn)(const struct cfg_problem *p, void *arg),
		      void *arg);

/* Canonical text form, as "show running-config" prints it (without the
 * "Building configuration..." header).  Returns a malloc()ed string. */
char *cfg_print(const struct cfg *c);

#endif
