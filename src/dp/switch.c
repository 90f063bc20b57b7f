/*
 * DOC: the L2 switch
 *
 * Implements switch.h.  A struct sw holds an array of port slots, the FDB
 * (fdb.c) and two compact index lists: 'active' (attached slots, walked when
 * flooding instead of all SW_MAX_PORTS slots) and 'dirty' (slots with frames
 * queued for transmission during the current burst).
 *
 * Per frame (sw_process()), in the order of DESIGN.md decision 5:
 *   1. rx counters, for every frame, before any drop;
 *   2. port state: admin shutdown or err-disabled drops everything;
 *   3. sanity: runt, truncated tag (frame.c), payload > MTU, bad source;
 *   4. VLAN admission (sw_classify());
 *   5. port security (sw_psec()), which also learns secure MACs;
 *   6. learning (sw_learn()) on ports without port security;
 *   7. forwarding: unicast to the learned slot, or flood within the VLAN.
 * Egress (sw_output()) checks the egress port's state, link, VLAN and MTU,
 * then rewrites the tag (sw_encap()), gives the frame the software help
 * the port needs (sw_offload(), below) and queues it on the egress
 * slot.  The queues are flushed with one send_batch per port at the end of
 * the burst (or when a queue fills), so a burst of 32 frames to one port is
 * one system call, not 32.
 *
 * Frames are kept as received until egress, and each egress copy is
 * rewritten for its own port: a tag is popped by moving the 12 MAC bytes
 * forward 4 bytes, pushed by moving them back into the headroom, and an
 * existing tag is rewritten in place (keeping its PCP and DEI).  Flood
 * copies are cloned from the untouched original, which goes out last.
 *
 * Offloads.  A frame may be a TCP/UDP super-frame or carry a partial
 * checksum (pkt->off, pkt.h), typically from a TAP port.  Ingress checks
 * that metadata against the frame (gso_check(): a lie is a malformed drop)
 * and sizes the frame by what it becomes on the wire: a super-frame's
 * "payload" for every MTU check is one segment's L3 size (gso_size +
 * headers), not its 64 KiB.  On egress, a port that cannot take the frame
 * as it is (port->offloads) gets it segmented (gso.c) into pool packets,
 * or its checksum completed in place; a TCP frame, super or not, whose
 * segments exceed the egress MTU is cut to fit (a smaller gso_size for a
 * port that segments itself, software segmentation otherwise) instead of
 * being dropped, so a 9000-MTU VLAN can talk through a 1500-MTU uplink.
 * Other oversize frames are dropped and counted as before.  Tag push/pop
 * moves csum_start and hdr_len with the frame (pkt_offload_shift()).
 *
 * Port security follows Cisco IOS (CONFIG-REFERENCE.md 3.3): a source MAC
 * that is not secure on the port is learned as secure while the port has
 * fewer than 'maximum' secure MACs; otherwise, or when the MAC is secure on
 * another port, it is a violation: protect drops silently, restrict drops,
 * counts and logs, shutdown also err-disables the port until "shutdown" then
 * "no shutdown" (or port security is turned off).  Learned secure MACs do
 * not age; they are removed when the port goes down.  Sticky ones survive
 * that and are offered to the control thread through sw_sticky_walk().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/log.h"
#include "dp/fdb.h"
#include "dp/frame.h"
#include "dp/gso.h"
#include "dp/switch.h"

/* The smallest TCP segment payload the switch cuts a frame into to fit a
 * small MTU; below that it drops the frame as oversize. */
#define SW_MSS_MIN	8

#define SW_PORT_STATUSES(X)					\
	X(UP,           "up")					\
	X(ADMIN_DOWN,   "admin-down")				\
	X(ERR_DISABLED, "err-disabled")				\
	X(LINK_DOWN,    "down")

static const char *const sw_port_status_names[] = {
#define SW_STATUS_NAME(name, str) [SW_PORT_##name] = str,
	SW_PORT_STATUSES(SW_STATUS_NAME)
#undef SW_STATUS_NAME
};

struct sw_port {
	struct port *port;		/* borrowed from the caller */
	struct sw_port_config cfg;
	bool err_disabled;
	uint64_t violations;
	uint8_t last_violation_mac[6];
	uint16_t last_violation_vlan;
	unsigned n_txq;
	struct pkt *txq[PKT_BURST];	/* frames queued for send_batch */
};

/* What egress needs to know about a frame beyond its bytes, worked out
 * once at ingress and shared by every egress copy of a flood. */
struct sw_fwd {
	uint32_t payload;	/* L3 bytes of the largest frame on the wire */
	uint32_t l3l4;		/* IP+TCP header bytes if TCP (may be cut to a
				 * smaller MTU), else 0; valid if l3l4_known */
	bool l3l4_known;
};

struct sw {
	struct fdb *fdb;
	unsigned aging;			/* seconds, 0 = never */
	size_t learn_failures;
	struct sw_port *slots[SW_MAX_PORTS];
	unsigned n_active;
	uint16_t active[SW_MAX_PORTS];	/* attached slots, ascending */
	unsigned n_dirty;
	uint16_t dirty[SW_MAX_PORTS];	/* slots with n_txq > 0 */
};

const char *sw_port_status_name(enum sw_port_status s)
{
	if ((size_t)s >= sizeof(sw_port_status_names) / sizeof(sw_port_status_names[0]))
		return "?";
	return sw_port_status_names[s];
}

void sw_port_config_init(struct sw_port_config *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = SW_MODE_ACCESS;
	c->access_vlan = 1;
	c->native_vlan = 1;
	for (unsigned v = 1; v <= SW_VLAN_MAX; v++)
		c->allowed[v / 64] |= 1ULL << (v % 64);
	c->mtu = 1500;
	c->psec.maximum = 1;
	c->psec.violation = SW_VIOLATION_SHUTDOWN;
}

/* ---- small helpers ---------------------------------------------------- */

static bool sw_vlan_allowed(const struct sw_port_config *c, uint16_t vlan)
{
	return vlan >= 1 && vlan <= SW_VLAN_MAX &&
	       (c->allowed[vlan / 64] >> (vlan % 64) & 1);
}

/* True if the port sends and receives frames of 'vlan'. */
static bool sw_carries(const struct sw_port_config *c, uint16_t vlan)
{
	if (c->mode == SW_MODE_ACCESS)
		return vlan == c->access_vlan;
	return sw_vlan_allowed(c, vlan);
}

/* The VLAN untagged frames belong to: where configured secure MACs live. */
static uint16_t sw_untagged_vlan(const struct sw_port_config *c)
{
	return c->mode == SW_MODE_ACCESS ? c->access_vlan : c->native_vlan;
}

static bool sw_port_down(const struct sw_port *sp)
{
	return sp->cfg.shutdown || sp->err_disabled;
}

static bool sw_link_up(const struct sw_port *sp)
{
	const struct port *port = sp->port;

	return !port->class->link_up || port->class->link_up(port);
}

static void sw_drop(struct sw_port *sp, enum port_drop why, struct pkt *p)
{
	sp->port->stats.drops[why]++;
	pkt_free(p);
}

static enum sw_fdb_type sw_from_fdb_type(unsigned t)
{
	switch (t) {
	case FDB_STATIC: return SW_FDB_STATIC;
	case FDB_SECURE: return SW_FDB_SECURE;
	case FDB_STICKY: return SW_FDB_STICKY;
	default: return SW_FDB_DYNAMIC;
	}
}

/* ---- life cycle ------------------------------------------------------- */

static uint64_t sw_seed(void)
{
	uint64_t seed;
	struct timespec ts;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed))
		return seed;
	/* Early boot without entropy: a weak seed beats refusing to run. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_nsec << 32 ^ (uint64_t)ts.tv_sec ^
	       (uint64_t)(uintptr_t)&seed;
}

struct sw *sw_create(unsigned fdb_max)
{
	struct sw *sw = calloc(1, sizeof(*sw));

	if (!sw)
		return NULL;
	sw->fdb = fdb_create(fdb_max ? fdb_max : SW_FDB_DEFAULT_MAX,
			     SW_MAX_PORTS, sw_seed());
	if (!sw->fdb) {
		free(sw);
		return NULL;
	}
	sw->aging = SW_AGING_DEFAULT;
	return sw;
}

void sw_destroy(struct sw *sw)
{
	if (!sw)
		return;
	for (unsigned i = 0; i < SW_MAX_PORTS; i++)
		free(sw->slots[i]);
	fdb_destroy(sw->fdb);
	free(sw);
}

/* ---- port configuration and FDB upkeep -------------------------------- */

struct sw_stale_arg {
	const struct sw_port *sp;
	uint16_t slot;
	bool all;		/* the port is going away */
	bool learned_secure;	/* only learned (non-sticky) secure entries */
};

/* Which of the slot's entries the port's current config invalidates.
 * Configured secure MACs are always removed: the caller re-adds them from
 * the config, so a change of VLAN or list is handled in one place. */
static bool sw_entry_stale(const struct fdb_entry *e, void *arg)
{
	const struct sw_stale_arg *a = arg;
	const struct sw_port_config *c = &a->sp->cfg;
	uint16_t vlan = fdb_key_vlan(e->key);

	if (e->slot != a->slot)
		return false;
	if (a->all)
		return true;
	if (a->learned_secure)
		return e->type == FDB_SECURE && !(e->flags & FDB_F_CONFIGURED);
	if (e->flags & FDB_F_CONFIGURED)
		return true;
	switch (e->type) {
	case FDB_STATIC:
		return false;	/* mac-address-table static: config owns it */
	case FDB_DYNAMIC:
		return sw_port_down(a->sp) || !sw_carries(c, vlan) ||
		       c->psec.enabled;
	case FDB_SECURE:
		return sw_port_down(a->sp) || !sw_carries(c, vlan) ||
		       !c->psec.enabled;
	case FDB_STICKY:
		return !sw_carries(c, vlan) || !c->psec.enabled;
	}
	return false;
}

static void sw_flush_slot(struct sw *sw, int slot, bool all,
			  bool learned_secure)
{
	struct sw_stale_arg a = {
		.sp = sw->slots[slot], .slot = (uint16_t)slot,
		.all = all, .learned_secure = learned_secure,
	};

	if (fdb_slot_entries(sw->fdb, (unsigned)slot))
		fdb_flush(sw->fdb, sw_entry_stale, &a);
}

/* Installs one configured secure MAC of 'slot'.  A MAC that another port
 * owns by configuration keeps its owner; the conflict is logged. */
static void sw_psec_install(struct sw *sw, int slot,
			    const struct sw_secure_mac *m)
{
	struct sw_port *sp = sw->slots[slot];
	uint16_t vlan = sw_untagged_vlan(&sp->cfg);
	uint64_t key = fdb_key(vlan, m->mac);
	enum fdb_type type = m->sticky ? FDB_STICKY : FDB_STATIC;
	unsigned flags = FDB_F_SECURE | FDB_F_CONFIGURED;
	struct fdb_entry *e = fdb_lookup(sw->fdb, key);

	if (e && e->slot != slot &&
	    (e->type == FDB_STATIC || (e->flags & FDB_F_CONFIGURED))) {
		log_warnx("%s: secure MAC %02x:%02x:%02x:%02x:%02x:%02x vlan %u "
			  "is configured on another port; ignored",
			  sp->port->name, m->mac[0], m->mac[1], m->mac[2],
			  m->mac[3], m->mac[4], m->mac[5], vlan);
		return;
	}
	if (e)
		fdb_update(sw->fdb, e, (unsigned)slot, type, flags);
	else if (!fdb_insert(sw->fdb, key, (unsigned)slot, type, flags, 0))
		log_warnx("%s: MAC table full; secure MAC "
			  "%02x:%02x:%02x:%02x:%02x:%02x not installed",
			  sp->port->name, m->mac[0], m->mac[1], m->mac[2],
			  m->mac[3], m->mac[4], m->mac[5]);
}

/* Brings the slot's FDB entries in line with its (new) config and state. */
static void sw_port_sync_fdb(struct sw *sw, int slot)
{
	const struct sw_port_config *c = &sw->slots[slot]->cfg;

	sw_flush_slot(sw, slot, false, false);
	if (!c->psec.enabled)
		return;
	for (unsigned i = 0; i < c->psec.n_macs && i < 64; i++)
		sw_psec_install(sw, slot, &c->psec.macs[i]);
	/* A lowered maximum: forget learned secure MACs, keep configured. */
	if (fdb_slot_secure(sw->fdb, (unsigned)slot) > c->psec.maximum)
		sw_flush_slot(sw, slot, false, true);
}

int sw_port_add(struct sw *sw, struct port *port,
		const struct sw_port_config *config)
{
	struct sw_port *sp;
	unsigned slot, i;

	for (slot = 0; slot < SW_MAX_PORTS && sw->slots[slot]; slot++)
		;
	if (slot == SW_MAX_PORTS)
		return -ENOSPC;
	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	sp->port = port;
	sp->cfg = *config;
	sw->slots[slot] = sp;
	for (i = sw->n_active; i > 0 && sw->active[i - 1] > slot; i--)
		sw->active[i] = sw->active[i - 1];
	sw->active[i] = (uint16_t)slot;
	sw->n_active++;
	sw_port_sync_fdb(sw, (int)slot);
	return (int)slot;
}

static struct sw_port *sw_slot(const struct sw *sw, int slot)
{
	if (slot < 0 || slot >= SW_MAX_PORTS)
		return NULL;
	return sw->slots[slot];
}

void sw_port_set_config(struct sw *sw, int slot,
			const struct sw_port_config *config)
{
	struct sw_port *sp = sw_slot(sw, slot);

	if (!sp)
		return;
	/* IOS recovers an err-disabled port with "shutdown", "no shutdown";
	 * turning port security off removes the cause as well. */
	if ((sp->cfg.shutdown && !config->shutdown) || !config->psec.enabled)
		sp->err_disabled = false;
	sp->cfg = *config;
	sw_port_sync_fdb(sw, slot);
}

struct port *sw_port_remove(struct sw *sw, int slot)
{
	struct sw_port *sp = sw_slot(sw, slot);
	struct port *port;
	unsigned i;

	if (!sp)
		return NULL;
	sw_flush_slot(sw, slot, true, false);
	for (i = 0; i < sw->n_active && sw->active[i] != slot; i++)
		;
	for (; i + 1 < sw->n_active; i++)
		sw->active[i] = sw->active[i + 1];
	sw->n_active--;
	port = sp->port;
	sw->slots[slot] = NULL;
	free(sp);
	return port;
}

struct port *sw_port_get(const struct sw *sw, int slot)
{
	const struct sw_port *sp = sw_slot(sw, slot);

	return sp ? sp->port : NULL;
}

void sw_port_info(const struct sw *sw, int slot, struct sw_port_info *info)
{
	const struct sw_port *sp = sw_slot(sw, slot);

	memset(info, 0, sizeof(*info));
	if (!sp) {
		info->status = SW_PORT_LINK_DOWN;
		return;
	}
	if (sp->cfg.shutdown)
		info->status = SW_PORT_ADMIN_DOWN;
	else if (sp->err_disabled)
		info->status = SW_PORT_ERR_DISABLED;
	else if (!sw_link_up(sp))
		info->status = SW_PORT_LINK_DOWN;
	else
		info->status = SW_PORT_UP;
	info->secure_macs = fdb_slot_secure(sw->fdb, (unsigned)slot);
	info->security_violations = sp->violations;
	memcpy(info->last_violation_mac, sp->last_violation_mac, 6);
	info->last_violation_vlan = sp->last_violation_vlan;
}

/* ---- egress ----------------------------------------------------------- */

static bool sw_has_ctag(const struct pkt *p)
{
	return p->len >= FRAME_ETH_HLEN + FRAME_TAG_LEN &&
	       p->data[12] == (FRAME_TPID_8021Q >> 8) &&
	       p->data[13] == (FRAME_TPID_8021Q & 0xff);
}

/* Gives the frame the tag the egress port wants for 'vlan': none on access
 * ports and for a trunk's native VLAN, a C-tag otherwise.  Returns false if
 * the buffer has no room to push a tag (cannot happen for frames received
 * into a pool buffer, which has PKT_HEADROOM in front). */
static bool sw_encap(struct pkt *p, uint16_t vlan,
		     const struct sw_port_config *c)
{
	bool want = c->mode == SW_MODE_TRUNK && vlan != c->native_vlan;
	bool has = sw_has_ctag(p);

	if (has && !want) {
		memmove(p->data + FRAME_TAG_LEN, p->data, 12);
		p->data += FRAME_TAG_LEN;
		p->len -= FRAME_TAG_LEN;
		pkt_offload_shift(p, FRAME_TAG_LEN);
	} else if (has && want) {
		/* Keep PCP and DEI; a priority tag gets its VID here. */
		p->data[14] = (uint8_t)((p->data[14] & 0xf0) | vlan >> 8);
		p->data[15] = (uint8_t)vlan;
	} else if (want) {
		if (pkt_headroom(p) < FRAME_TAG_LEN) {
			if (pkt_tailroom(p) < FRAME_TAG_LEN)
				return false;
			memmove(p->data + FRAME_TAG_LEN, p->data, p->len);
			p->data += FRAME_TAG_LEN;
		}
		p->data -= FRAME_TAG_LEN;
		p->len += FRAME_TAG_LEN;
		memmove(p->data, p->data + FRAME_TAG_LEN, 12);
		p->data[12] = FRAME_TPID_8021Q >> 8;
		p->data[13] = FRAME_TPID_8021Q & 0xff;
		p->data[14] = (uint8_t)(vlan >> 8);
		p->data[15] = (uint8_t)vlan;
		pkt_offload_shift(p, -FRAME_TAG_LEN);
	}
	return true;
}

static void sw_flush_port(struct sw_port *sp)
{
	unsigned n = sp->n_txq;

	if (!n)
		return;
	sp->n_txq = 0;
	sp->port->class->send_batch(sp->port, sp->txq, (int)n);
}

static void sw_enqueue(struct sw *sw, int slot, struct pkt *p)
{
	struct sw_port *sp = sw->slots[slot];

	if (sp->n_txq == 0)
		sw->dirty[sw->n_dirty++] = (uint16_t)slot;
	sp->txq[sp->n_txq++] = p;
	if (sp->n_txq == PKT_BURST)
		sw_flush_port(sp);	/* stays on 'dirty'; a no-op later */
}

static void sw_flush_all(struct sw *sw)
{
	for (unsigned i = 0; i < sw->n_dirty; i++)
		sw_flush_port(sw->slots[sw->dirty[i]]);
	sw->n_dirty = 0;
}

/* The TCP segment payload that makes frame p fit 'mtu' bytes of L3, or 0
 * if p is not TCP or the MTU leaves too little room.  Parses p the first
 * time a frame needs it (most never do: they fit). */
static uint32_t sw_fit_mss(const struct pkt *p, struct sw_fwd *fwd,
			   uint32_t mtu)
{
	struct gso_layout lay;

	if (!fwd->l3l4_known) {
		fwd->l3l4_known = true;
		if (gso_parse(p->data, p->len, &lay) == 0 &&
		    lay.l4_proto == GSO_IPPROTO_TCP)
			fwd->l3l4 = lay.hdr_size - lay.l3_off;
	}
	if (!fwd->l3l4 || mtu < fwd->l3l4 + SW_MSS_MIN)
		return 0;
	return mtu - fwd->l3l4;
}

/* Why 'sp' cannot send frame p of 'vlan', or -1.  A frame larger than
 * the MTU is refused unless it can be cut to fit (sw_fit_mss()). */
static int sw_egress_refusal(const struct sw_port *sp, uint16_t vlan,
			     const struct pkt *p, struct sw_fwd *fwd)
{
	uint32_t mtu = (uint32_t)sp->cfg.mtu;

	if (sw_port_down(sp))
		return PORT_DROP_PORT_DOWN;
	if (!sw_carries(&sp->cfg, vlan))
		return PORT_DROP_VLAN;
	if (!sw_link_up(sp))
		return PORT_DROP_NO_LINK;
	if (fwd->payload > mtu && !sw_fit_mss(p, fwd, mtu))
		return PORT_DROP_OVERSIZE;
	return -1;
}

/* True if a port with offloads 'caps' can send super-frame p itself. */
static bool sw_port_can_gso(unsigned caps, const struct pkt *p)
{
	static const unsigned need[] = {
		[PKT_GSO_TCPV4] = PORT_OFF_TSO4,
		[PKT_GSO_TCPV6] = PORT_OFF_TSO6,
		[PKT_GSO_UDP_L4] = PORT_OFF_USO,
	};
	unsigned want;

	if (p->off.gso_type == PKT_GSO_NONE ||
	    p->off.gso_type >= sizeof(need) / sizeof(need[0]))
		return false;
	want = need[p->off.gso_type];
	if (p->off.flags & PKT_OFF_GSO_ECN)
		want |= PORT_OFF_TSO_ECN;
	return (caps & want) == want;
}

/* Cuts p into segments of 'mss' payload bytes, each a plain frame from
 * 'pool', queued on 'slot'.  Consumes p. */
static void sw_segment(struct sw *sw, int slot, struct pkt *p, uint32_t mss,
		       struct pkt_pool *pool)
{
	struct port *port = sw->slots[slot]->port;
	struct gso_layout lay;
	struct gso_iter it;

	if (gso_parse(p->data, p->len, &lay) < 0 ||
	    gso_iter_init(&it, p->data, &lay, mss) < 0) {
		sw_drop(sw->slots[slot], PORT_DROP_MALFORMED, p);
		return;
	}
	while (it.index < it.count) {
		struct pkt *q = pkt_alloc(pool);
		int size;

		if (!q) {
			port->stats.drops[PORT_DROP_NO_BUFFER] += it.count - it.index;
			break;
		}
		size = gso_iter_next(&it, q->data, pkt_tailroom(q));
		if (size <= 0) {	/* cannot happen: buffers hold 64 KiB */
			pkt_free(q);
			break;
		}
		q->len = (uint32_t)size;
		q->vlan = p->vlan;
		q->in_port = p->in_port;
		sw_enqueue(sw, slot, q);
	}
	pkt_free(p);
}

/* Gives p what the egress port cannot do itself (see DOC: Offloads), then
 * queues it.  Consumes p. */
static void sw_offload(struct sw *sw, int slot, struct pkt *p,
		       struct sw_fwd *fwd, struct pkt_pool *pool)
{
	struct sw_port *sp = sw->slots[slot];
	unsigned caps = sp->port->offloads;
	uint32_t mtu = (uint32_t)sp->cfg.mtu;
	uint32_t mss = p->off.gso_type != PKT_GSO_NONE ? p->off.gso_size : 0;

	if (fwd->payload > mtu)
		mss = sw_fit_mss(p, fwd, mtu);	/* > 0: egress checked */
	if (mss && !sw_port_can_gso(caps, p)) {
		sw_segment(sw, slot, p, mss, pool);
		return;
	}
	if (mss)
		p->off.gso_size = (uint16_t)mss;
	if ((p->off.flags & PKT_OFF_NEEDS_CSUM) && !(caps & PORT_OFF_CSUM)) {
		gso_csum_complete(p->data, p->len, &p->off);
		p->off.flags &= (uint8_t)~PKT_OFF_NEEDS_CSUM;
	}
	sw_enqueue(sw, slot, p);
}

/* Consumes p: rewrites its tag for 'slot' and queues it, segmented or
 * checksummed first if the port needs that. */
static void sw_output(struct sw *sw, int slot, struct pkt *p,
		      struct sw_fwd *fwd, struct pkt_pool *pool)
{
	struct sw_port *sp = sw->slots[slot];

	if (!sw_encap(p, p->vlan, &sp->cfg)) {
		sw_drop(sp, PORT_DROP_NO_BUFFER, p);
		return;
	}
	if (p->off.gso_type == PKT_GSO_NONE &&
	    !(p->off.flags & PKT_OFF_NEEDS_CSUM) &&
	    fwd->payload <= (uint32_t)sp->cfg.mtu)
		sw_enqueue(sw, slot, p);	/* the common case */
	else
		sw_offload(sw, slot, p, fwd, pool);
}

static void sw_unicast(struct sw *sw, int slot, struct pkt *p,
		       struct sw_fwd *fwd, struct pkt_pool *pool)
{
	struct sw_port *sp = sw->slots[slot];
	int why = sw_egress_refusal(sp, p->vlan, p, fwd);

	if (why >= 0)
		sw_drop(sp, (enum port_drop)why, p);
	else
		sw_output(sw, slot, p, fwd, pool);
}

/* Floods p within its VLAN to every other port that is up and carries it.
 * Down and unlinked ports are skipped without a count (they are not
 * members right now); an MTU too small for the frame counts OVERSIZE. */
static void sw_flood(struct sw *sw, int in, struct pkt *p,
		     struct sw_fwd *fwd, struct pkt_pool *pool)
{
	uint16_t outs[SW_MAX_PORTS];
	unsigned n = 0;

	for (unsigned i = 0; i < sw->n_active; i++) {
		int slot = sw->active[i];
		struct sw_port *sp = sw->slots[slot];
		int why;

		if (slot == in)
			continue;
		why = sw_egress_refusal(sp, p->vlan, p, fwd);
		if (why == PORT_DROP_OVERSIZE)
			sp->port->stats.drops[why]++;
		else if (why < 0)
			outs[n++] = (uint16_t)slot;
	}
	if (!n) {
		pkt_free(p);
		return;
	}
	/* Copies first: each is cloned from the untouched original. */
	for (unsigned i = 0; i + 1 < n; i++) {
		struct pkt *q = pkt_clone(pool, p);

		if (!q)
			sw->slots[outs[i]]->port->stats.drops[PORT_DROP_NO_BUFFER]++;
		else
			sw_output(sw, outs[i], q, fwd, pool);
	}
	sw_output(sw, outs[n - 1], p, fwd, pool);
}

/* ---- ingress ---------------------------------------------------------- */

static void sw_count_rx(struct port *port, const struct pkt *p)
{
	port->stats.rx_packets++;
	port->stats.rx_bytes += p->len;
	if (p->len >= 6 && frame_mac_is_multicast(p->data)) {
		if (frame_mac_is_broadcast(p->data))
			port->stats.rx_broadcast++;
		else
			port->stats.rx_multicast++;
	}
}

/* VLAN admission: the VLAN the frame belongs to, or 0 to drop it. */
static uint16_t sw_classify(const struct sw_port_config *c,
			    const struct frame *f)
{
	/* A priority tag (VID 0) is an untagged frame with a PCP. */
	if (!f->vlan_tagged || f->vid == 0) {
		uint16_t vlan = sw_untagged_vlan(c);

		if (c->mode == SW_MODE_TRUNK && !sw_vlan_allowed(c, vlan))
			return 0;
		return vlan;
	}
	if (c->mode == SW_MODE_ACCESS || !sw_vlan_allowed(c, f->vid))
		return 0;
	return f->vid;
}

static void sw_violation(struct sw *sw, int slot, struct pkt *p,
			 const uint8_t mac[6], uint16_t vlan)
{
	static struct log_rl rl = LOG_RL_INIT(10, 5);
	struct sw_port *sp = sw->slots[slot];
	enum sw_violation mode = sp->cfg.psec.violation;

	sw_drop(sp, PORT_DROP_PORT_SECURITY, p);
	if (mode == SW_VIOLATION_PROTECT)
		return;
	sp->violations++;
	memcpy(sp->last_violation_mac, mac, 6);
	sp->last_violation_vlan = vlan;
	if (mode == SW_VIOLATION_SHUTDOWN) {
		sp->err_disabled = true;
		sw_port_sync_fdb(sw, slot);	/* drops learned MACs */
	}
	if (log_rl_allow(&rl))
		log_warnx("%s: port-security violation by "
			  "%02x:%02x:%02x:%02x:%02x:%02x in vlan %u%s",
			  sp->port->name, mac[0], mac[1], mac[2], mac[3],
			  mac[4], mac[5], vlan,
			  mode == SW_VIOLATION_SHUTDOWN ?
			  ", port err-disabled" : "");
}

/* Port security for a frame from 'slot'.  Returns true if the frame may go
 * on; otherwise p has been consumed (dropped and counted). */
static bool sw_psec(struct sw *sw, int slot, struct pkt *p,
		    const uint8_t src[6], uint16_t vlan, uint64_t now)
{
	struct sw_port *sp = sw->slots[slot];
	uint64_t key = fdb_key(vlan, src);
	struct fdb_entry *e = fdb_lookup(sw->fdb, key);
	enum fdb_type type = sp->cfg.psec.sticky ? FDB_STICKY : FDB_SECURE;

	if (e && e->slot == slot &&
	    ((e->flags & FDB_F_SECURE) || e->type == FDB_STATIC))
		return true;
	/* Secure (or statically placed) on another port: not ours to take. */
	if (e && e->slot != slot &&
	    ((e->flags & FDB_F_SECURE) || e->type == FDB_STATIC)) {
		sw_violation(sw, slot, p, src, vlan);
		return false;
	}
	if (fdb_slot_secure(sw->fdb, (unsigned)slot) >= sp->cfg.psec.maximum) {
		sw_violation(sw, slot, p, src, vlan);
		return false;
	}
	if (e) {
		fdb_update(sw->fdb, e, (unsigned)slot, type, FDB_F_SECURE);
		return true;
	}
	if (!fdb_insert(sw->fdb, key, (unsigned)slot, type, FDB_F_SECURE,
			(uint32_t)now)) {
		/* Full table: letting an unsecured MAC in would defeat the
		 * feature, so this is a drop, but not the station's fault. */
		sw->learn_failures++;
		sw_drop(sp, PORT_DROP_PORT_SECURITY, p);
		return false;
	}
	return true;
}

/* Learning on a port without port security: new MACs become dynamic,
 * dynamic ones refresh and follow a station that moved; static and secure
 * entries stay where they are. */
static void sw_learn(struct sw *sw, int slot, const uint8_t src[6],
		     uint16_t vlan, uint64_t now)
{
	uint64_t key = fdb_key(vlan, src);
	struct fdb_entry *e = fdb_lookup(sw->fdb, key);

	if (!e) {
		if (!fdb_insert(sw->fdb, key, (unsigned)slot, FDB_DYNAMIC, 0,
				(uint32_t)now))
			sw->learn_failures++;
		return;
	}
	if (e->type != FDB_DYNAMIC)
		return;
	if (e->slot != slot)
		fdb_update(sw->fdb, e, (unsigned)slot, FDB_DYNAMIC, 0);
	/* Only write when the second changed: keeps the line clean. */
	if (e->seen != (uint32_t)now)
		e->seen = (uint32_t)now;
}

/* Sizes frame p for the MTU checks (struct sw_fwd) and checks its offload
 * metadata.  Returns the drop reason, or -1 if the frame may go on. */
static int sw_ingress_size(const struct sw_port *sp, const struct pkt *p,
			   const struct frame *f, struct sw_fwd *fwd)
{
	struct gso_layout lay;

	memset(fwd, 0, sizeof(*fwd));
	if ((p->off.flags || p->off.gso_type) &&
	    gso_check(p->data, p->len, &p->off, &lay) < 0)
		return PORT_DROP_MALFORMED;
	if (p->off.gso_type != PKT_GSO_NONE) {
		fwd->payload = gso_seg_l3_size(&lay, p->off.gso_size);
		fwd->l3l4 = lay.l4_proto == GSO_IPPROTO_TCP ?
			    lay.hdr_size - lay.l3_off : 0;
		fwd->l3l4_known = true;
	} else {
		fwd->payload = p->len - FRAME_ETH_HLEN -
			       (f->vlan_tagged ? FRAME_TAG_LEN : 0);
	}
	return fwd->payload > (uint32_t)sp->cfg.mtu ? PORT_DROP_OVERSIZE : -1;
}

/* One frame from 'slot'; consumes p. */
static void sw_process(struct sw *sw, int slot, struct pkt *p,
		       struct pkt_pool *pool, uint64_t now)
{
	struct sw_port *sp = sw->slots[slot];
	struct fdb_entry *dst;
	struct sw_fwd fwd;
	struct frame f;
	enum frame_result r;
	uint16_t vlan;
	int why;

	sw_count_rx(sp->port, p);
	if (sw_port_down(sp)) {
		sw_drop(sp, PORT_DROP_PORT_DOWN, p);
		return;
	}
	r = frame_parse(p->data, p->len, &f);
	if (r != FRAME_OK) {
		sw_drop(sp, r == FRAME_RUNT ? PORT_DROP_RUNT :
			PORT_DROP_MALFORMED, p);
		return;
	}
	why = sw_ingress_size(sp, p, &f, &fwd);
	if (why >= 0) {
		sw_drop(sp, (enum port_drop)why, p);
		return;
	}
	if (frame_mac_is_multicast(f.src) || frame_mac_is_zero(f.src)) {
		sw_drop(sp, PORT_DROP_BAD_SOURCE, p);
		return;
	}
	vlan = sw_classify(&sp->cfg, &f);
	if (!vlan) {
		sw_drop(sp, PORT_DROP_VLAN, p);
		return;
	}
	p->vlan = vlan;
	p->in_port = (uint16_t)slot;
	if (sp->cfg.psec.enabled) {
		if (!sw_psec(sw, slot, p, f.src, vlan, now))
			return;
	} else {
		sw_learn(sw, slot, f.src, vlan, now);
	}

	dst = frame_mac_is_multicast(f.dst) ? NULL :
	      fdb_lookup(sw->fdb, fdb_key(vlan, f.dst));
	if (!dst)
		sw_flood(sw, slot, p, &fwd, pool);
	else if (dst->slot == slot)
		pkt_free(p);	/* destination is behind the ingress port */
	else
		sw_unicast(sw, dst->slot, p, &fwd, pool);
}

void sw_input(struct sw *sw, int slot, struct pkt **pkts, int n,
	      struct pkt_pool *pool, uint64_t now)
{
	if (!sw_slot(sw, slot)) {
		for (int i = 0; i < n; i++)
			pkt_free(pkts[i]);
		return;
	}
	for (int i = 0; i < n; i++)
		sw_process(sw, slot, pkts[i], pool, now);
	sw_flush_all(sw);
}

/* ---- FDB management --------------------------------------------------- */

void sw_fdb_set_aging(struct sw *sw, unsigned seconds)
{
	sw->aging = seconds;
}

void sw_fdb_set_max(struct sw *sw, unsigned max)
{
	int err = fdb_set_max(sw->fdb, max);

	if (err)
		log_warnx("MAC table: cannot set limit %u: %s", max,
			  strerror(-err));
}

int sw_fdb_add_static(struct sw *sw, const uint8_t mac[6], uint16_t vlan,
		      int slot)
{
	uint64_t key = fdb_key(vlan, mac);
	struct fdb_entry *e;

	if (!sw_slot(sw, slot) || vlan < 1 || vlan > SW_VLAN_MAX ||
	    frame_mac_is_multicast(mac) || frame_mac_is_zero(mac))
		return -EINVAL;
	e = fdb_lookup(sw->fdb, key);
	if (e)
		fdb_update(sw->fdb, e, (unsigned)slot, FDB_STATIC, 0);
	else if (!fdb_insert(sw->fdb, key, (unsigned)slot, FDB_STATIC, 0, 0))
		return -ENOSPC;
	return 0;
}

int sw_fdb_del_static(struct sw *sw, const uint8_t mac[6], uint16_t vlan)
{
	struct fdb_entry *e = fdb_lookup(sw->fdb, fdb_key(vlan, mac));

	if (!e || e->type != FDB_STATIC || (e->flags & FDB_F_CONFIGURED))
		return -ENOENT;
	fdb_remove(sw->fdb, e);
	return 0;
}

struct sw_flush_arg {
	uint16_t vlan;
	int slot;
};

static bool sw_flush_match(const struct fdb_entry *e, void *arg)
{
	const struct sw_flush_arg *a = arg;

	return e->type == FDB_DYNAMIC &&
	       (!a->vlan || fdb_key_vlan(e->key) == a->vlan) &&
	       (a->slot < 0 || e->slot == a->slot);
}

void sw_fdb_flush(struct sw *sw, uint16_t vlan, int slot)
{
	struct sw_flush_arg a = { .vlan = vlan, .slot = slot };

	fdb_flush(sw->fdb, sw_flush_match, &a);
}

void sw_fdb_age(struct sw *sw, uint64_t now)
{
	fdb_age(sw->fdb, (uint32_t)now, sw->aging);
}

size_t sw_fdb_count(const struct sw *sw)
{
	return fdb_count(sw->fdb);
}

size_t sw_fdb_learn_failures(const struct sw *sw)
{
	return sw->learn_failures;
}

static void sw_entry_info(const struct fdb_entry *e, uint64_t now,
			  struct sw_fdb_entry_info *info)
{
	fdb_key_mac(e->key, info->mac);
	info->vlan = fdb_key_vlan(e->key);
	info->slot = e->slot;
	info->type = sw_from_fdb_type(e->type);
	info->age = e->type == FDB_DYNAMIC ?
		    (unsigned)((uint32_t)now - e->seen) : 0;
}

struct sw_walk_arg {
	uint64_t now;
	void (*fn)(const struct sw_fdb_entry_info *e, void *arg);
	void *arg;
};

static void sw_walk_one(const struct fdb_entry *e, void *arg)
{
	const struct sw_walk_arg *a = arg;
	struct sw_fdb_entry_info info;

	sw_entry_info(e, a->now, &info);
	a->fn(&info, a->arg);
}

void sw_fdb_walk(const struct sw *sw, uint64_t now,
		 void (*fn)(const struct sw_fdb_entry_info *e, void *arg),
		 void *arg)
{
	struct sw_walk_arg a = { .now = now, .fn = fn, .arg = arg };
	struct fdb_entry *entries;
	long n = fdb_snapshot(sw->fdb, &entries);

	if (n < 0) {
		/* No memory for the sorted copy: unsorted beats nothing. */
		fdb_foreach(sw->fdb, sw_walk_one, &a);
		return;
	}
	for (long i = 0; i < n; i++)
		sw_walk_one(&entries[i], &a);
	free(entries);
}

struct sw_sticky_arg {
	int slot;
	void (*fn)(const uint8_t mac[6], uint16_t vlan, void *arg);
	void *arg;
};

static void sw_sticky_one(const struct fdb_entry *e, void *arg)
{
	const struct sw_sticky_arg *a = arg;
	uint8_t mac[6];

	if (e->slot != a->slot || e->type != FDB_STICKY ||
	    (e->flags & FDB_F_CONFIGURED))
		return;
	fdb_key_mac(e->key, mac);
	a->fn(mac, fdb_key_vlan(e->key), a->arg);
}

void sw_sticky_walk(const struct sw *sw, int slot,
		    void (*fn)(const uint8_t mac[6], uint16_t vlan, void *arg),
		    void *arg)
{
	struct sw_sticky_arg a = { .slot = slot, .fn = fn, .arg = arg };

	if (sw_slot(sw, slot))
		fdb_foreach(sw->fdb, sw_sticky_one, &a);
}
