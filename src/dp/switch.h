/*
 * DOC: the L2 switch
 *
 * The switch owns the port slots, the per-VLAN MAC table (FDB) and the L2
 * pipeline of DESIGN.md decision 5, in this order, each step counted:
 *
 *   ingress port -> frame sanity (runt, truncated tag, MTU)
 *     -> VLAN admission (access: untagged or priority-tagged (VID 0)
 *        frames only, classified into the access VLAN; trunk: tagged with
 *        an allowed VLAN, or untagged = native VLAN if that is allowed)
 *     -> port security (secure MAC list, maximum, violation mode)
 *     -> learn (source MAC, VLAN) -> ingress slot, bounded by fdb_max
 *     -> forward to the learned slot, or flood within the VLAN
 *     -> egress: pop/push the 802.1Q tag per egress mode, MTU check
 *     -> port send_batch.
 *
 * Threading: every function here runs on the dataplane worker, or on the
 * control thread while the worker is quiesced (dp_quiesce()).  Nothing here
 * locks.
 */
#ifndef OKAPI_SWITCH_H
#define OKAPI_SWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/pkt.h"
#include "dp/port.h"

#define SW_MAX_PORTS	1024
#define SW_FDB_DEFAULT_MAX 65536
#define SW_VLAN_MAX	4094
#define SW_AGING_DEFAULT 300

enum sw_mode { SW_MODE_ACCESS, SW_MODE_TRUNK };

enum sw_violation { SW_VIOLATION_SHUTDOWN, SW_VIOLATION_RESTRICT, SW_VIOLATION_PROTECT };

struct sw_secure_mac {
	uint8_t mac[6];
	bool sticky;
};

/* Per-port switching configuration (a copy of the interface config). */
struct sw_port_config {
	enum sw_mode mode;
	uint16_t access_vlan;		/* 1-4094, default 1 */
	uint16_t native_vlan;		/* 1-4094, default 1 */
	uint64_t allowed[4096 / 64];	/* trunk allowed VLANs, bit per VLAN */
	int mtu;			/* 68-9216, default 1500 */
	bool shutdown;			/* admin down */
	struct {
		bool enabled;
		unsigned maximum;		/* 1-4096, default 1 */
		enum sw_violation violation;	/* default shutdown */
		bool sticky;			/* learn sticky secure MACs */
		unsigned n_macs;
		struct sw_secure_mac macs[64];	/* configured secure MACs */
	} psec;
};

/* Sets the defaults above. */
void sw_port_config_init(struct sw_port_config *c);

enum sw_port_status {
	SW_PORT_UP,
	SW_PORT_ADMIN_DOWN,	/* "shutdown" */
	SW_PORT_ERR_DISABLED,	/* port-security violation with "shutdown" */
	SW_PORT_LINK_DOWN,	/* e.g. qemu port with no VM connected */
};
const char *sw_port_status_name(enum sw_port_status s);

/* Read-only view of a port's switching state for show commands. */
struct sw_port_info {
	enum sw_port_status status;
	unsigned secure_macs;		/* current secure (learned+static) MACs */
	uint64_t security_violations;
	uint8_t last_violation_mac[6];
	uint16_t last_violation_vlan;
};

enum sw_fdb_type { SW_FDB_DYNAMIC, SW_FDB_STATIC, SW_FDB_SECURE, SW_FDB_STICKY };

struct sw_fdb_entry_info {
	uint8_t mac[6];
	uint16_t vlan;
	int slot;			/* port slot */
	enum sw_fdb_type type;
	unsigned age;			/* seconds since last seen (dynamic) */
};

struct sw;

/* Creates a switch with an FDB bounded at fdb_max entries.  NULL on ENOMEM. */
struct sw *sw_create(unsigned fdb_max);
/* Frees the switch.  Ports still attached are NOT closed (the caller owns
 * them).  NULL is fine. */
void sw_destroy(struct sw *sw);

/* Attaches 'port' (borrowed; stays owned by the caller) with 'config'.
 * Returns the slot (>= 0) or -ENOSPC. */
int sw_port_add(struct sw *sw, struct port *port,
		const struct sw_port_config *config);
/* Replaces a port's config.  Flushes the port's FDB entries that the new
 * config makes invalid (VLAN no longer allowed, port shut down).  A
 * shutdown -> no shutdown transition clears err-disabled, as on IOS. */
void sw_port_set_config(struct sw *sw, int slot,
			const struct sw_port_config *config);
/* Detaches the port in 'slot' and flushes its FDB entries.  Returns it. */
struct port *sw_port_remove(struct sw *sw, int slot);
struct port *sw_port_get(const struct sw *sw, int slot);
void sw_port_info(const struct sw *sw, int slot, struct sw_port_info *info);

/* Processes a burst received on 'slot': consumes all the packets.  Frames
 * are forwarded with send_batch on the egress ports before this returns.
 * 'pool' supplies the copies needed for flooding.  'now' is a monotonic
 * time in seconds (for learning timestamps). */
void sw_input(struct sw *sw, int slot, struct pkt **pkts, int n,
	      struct pkt_pool *pool, uint64_t now);

/* FDB management. */
void sw_fdb_set_aging(struct sw *sw, unsigned seconds);	/* 0 = never */
void sw_fdb_set_max(struct sw *sw, unsigned max);
/* Adds or replaces a static entry.  Returns 0, -ENOSPC (table full) or
 * -EINVAL. */
int sw_fdb_add_static(struct sw *sw, const uint8_t mac[6], uint16_t vlan,
		      int slot);
int sw_fdb_del_static(struct sw *sw, const uint8_t mac[6], uint16_t vlan);
/* Removes dynamic entries matching vlan (0 = any) and slot (-1 = any). */
void sw_fdb_flush(struct sw *sw, uint16_t vlan, int slot);
/* Expires dynamic entries older than the aging time. */
void sw_fdb_age(struct sw *sw, uint64_t now);
size_t sw_fdb_count(const struct sw *sw);
/* Source MACs that could not be learned because the FDB was full (since
 * sw_create()); frames from them are still forwarded or flooded. */
size_t sw_fdb_learn_failures(const struct sw *sw);
/* Calls fn for each entry; order is by VLAN then MAC. */
void sw_fdb_walk(const struct sw *sw, uint64_t now,
		 void (*fn)(const struct sw_fdb_entry_info *e, void *arg),
		 void *arg);

/* Calls fn for each sticky MAC learned on 'slot' and not yet in its
 * configuration, so the control thread can add it to the running config. */
void sw_sticky_walk(const struct sw *sw, int slot,
		    void (*fn)(const uint8_t mac[6], uint16_t vlan, void *arg),
		    void *arg);

#endif
