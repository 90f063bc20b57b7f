/*
 * DOC: L2 switch unit test
 *
 * Drives sw_input() with hand-built frames on fake ports (a tiny port
 * class defined here that keeps what it is asked to send) and checks what
 * comes out where, with which tag, and which counters moved: learning and
 * aging, flooding scope, 802.1Q push/pop, native and allowed VLANs, MTU,
 * malformed frames, port security in all three modes with sticky MACs and
 * err-disable recovery, static entries, the FDB bound under a flood of
 * 100,000 random source MACs, and offloads: super-frames and partial
 * checksums pass untouched to ports that take them (tag push/pop moving
 * csum_start), are segmented or checksummed for ports that do not, and TCP
 * is cut to fit a smaller egress MTU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/check.h"
#include "dp/frame.h"
#include "dp/gso.h"
#include "dp/switch.h"
#include "lib/csum.h"


/* ---- fake port class ------------------------------------------------- */

#define FAKE_MAX_SENT	256
#define NPORTS		6

struct fake {
	struct pkt *sent[FAKE_MAX_SENT];
	int n_sent;
	int batches;		/* send_batch calls */
	bool link_down;
};

static void fake_send(struct port *port, struct pkt **pkts, int n)
{
	struct fake *f = port->priv;

	f->batches++;
	for (int i = 0; i < n; i++) {
		port->stats.tx_packets++;
		port->stats.tx_bytes += pkts[i]->len;
		if (f->n_sent < FAKE_MAX_SENT)
			f->sent[f->n_sent++] = pkts[i];
		else
			pkt_free(pkts[i]);
	}
}

static bool fake_link_up(const struct port *port)
{
	const struct fake *f = port->priv;

	return !f->link_down;
}

static const struct port_class fake_class = {
	.type = PORT_TYPE_DUMMY,
	.send_batch = fake_send,
	.link_up = fake_link_up,
};

/* ---- fixture ---------------------------------------------------------- */

static struct sw *sw;
static struct pkt_pool *pool;
static struct port ports[NPORTS];
static struct fake fakes[NPORTS];
static int slots[NPORTS];
static uint64_t now = 1000;

static void clear_sent(void)
{
	for (int i = 0; i < NPORTS; i++) {
		for (int j = 0; j < fakes[i].n_sent; j++)
			pkt_free(fakes[i].sent[j]);
		fakes[i].n_sent = 0;
		fakes[i].batches = 0;
	}
}

/* A fresh switch with n ports, all access VLAN 1, MTU 1500. */
static void setup(int n, unsigned fdb_max, unsigned pool_size)
{
	struct sw_port_config c;

	sw = sw_create(fdb_max);
	pool = pkt_pool_create(pool_size);
	memset(ports, 0, sizeof(ports));
	memset(fakes, 0, sizeof(fakes));
	sw_port_config_init(&c);
	for (int i = 0; i < n; i++) {
		snprintf(ports[i].name, sizeof(ports[i].name), "p%d", i);
		ports[i].class = &fake_class;
		ports[i].priv = &fakes[i];
		ports[i].fd = -1;
		ports[i].mtu = 1500;
		slots[i] = sw_port_add(sw, &ports[i], &c);
		CHECK(slots[i] == i);
	}
}

static void teardown(void)
{
	clear_sent();
	for (int i = 0; i < NPORTS; i++)
		sw_port_remove(sw, i);
	sw_destroy(sw);
	CHECK(pkt_pool_available(pool) > 0);
	pkt_pool_destroy(pool);
}

static void set_access(int i, uint16_t vlan)
{
	struct sw_port_config c;

	sw_port_config_init(&c);
	c.access_vlan = vlan;
	sw_port_set_config(sw, i, &c);
}

/* Trunk with native VLAN and the allowed VLANs listed (0-terminated). */
static void set_trunk(int i, uint16_t native, const uint16_t *allowed)
{
	struct sw_port_config c;

	sw_port_config_init(&c);
	c.mode = SW_MODE_TRUNK;
	c.native_vlan = native;
	memset(c.allowed, 0, sizeof(c.allowed));
	for (; *allowed; allowed++)
		c.allowed[*allowed / 64] |= 1ULL << (*allowed % 64);
	sw_port_set_config(sw, i, &c);
}

static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static const uint8_t *mac(uint8_t n)
{
	static uint8_t macs[256][6];

	macs[n][0] = 0x02;
	macs[n][5] = n;
	return macs[n];
}

/* Builds a frame: vid < 0 = untagged; payload bytes after the EtherType
 * are a pattern that check_payload() recognises. */
static struct pkt *frame(const uint8_t dst[6], const uint8_t src[6],
			 int vid, int pcp, size_t payload)
{
	struct pkt *p = pkt_alloc(pool);
	uint8_t *d = p->data;
	size_t off = 12;

	memcpy(d, dst, 6);
	memcpy(d + 6, src, 6);
	if (vid >= 0) {
		d[12] = 0x81;
		d[13] = 0x00;
		d[14] = (uint8_t)(pcp << 5 | vid >> 8);
		d[15] = (uint8_t)vid;
		off = 16;
	}
	d[off] = 0x08;
	d[off + 1] = 0x00;
	off += 2;
	for (size_t i = 0; i < payload; i++)
		d[off + i] = (uint8_t)(i * 3 + 1);
	p->len = (uint32_t)(off + payload);
	return p;
}

static void input(int slot, struct pkt *p)
{
	sw_input(sw, slot, &p, 1, pool, now);
}

/* What port i received last, parsed. */
static bool last_sent(int i, struct frame *f, const struct pkt **pp)
{
	const struct pkt *p;

	if (!fakes[i].n_sent)
		return false;
	p = fakes[i].sent[fakes[i].n_sent - 1];
	if (pp)
		*pp = p;
	return frame_parse(p->data, p->len, f) == FRAME_OK;
}

static bool check_payload(const struct pkt *p, const struct frame *f,
			  size_t payload)
{
	if (p->len != f->l3_offset + payload)
		return false;
	for (size_t i = 0; i < payload; i++)
		if (p->data[f->l3_offset + i] != (uint8_t)(i * 3 + 1))
			return false;
	return f->ethertype == 0x0800;
}

/* Bitmask of ports that got at least one frame. */
static unsigned got_mask(void)
{
	unsigned m = 0;

	for (int i = 0; i < NPORTS; i++)
		if (fakes[i].n_sent)
			m |= 1u << i;
	return m;
}

/* ---- tests ------------------------------------------------------------ */

static void test_learn_and_forward(void)
{
	setup(3, 0, 64);
	/* Unknown unicast floods to everyone but the sender. */
	input(0, frame(mac(2), mac(1), -1, 0, 46));
	CHECK(got_mask() == 0x6);
	CHECK(sw_fdb_count(sw) == 1);
	CHECK(ports[0].stats.rx_packets == 1 && ports[0].stats.rx_bytes == 60);
	clear_sent();
	/* The reply goes only where mac 1 was learned. */
	input(1, frame(mac(1), mac(2), -1, 0, 46));
	CHECK(got_mask() == 0x1);
	CHECK(sw_fdb_count(sw) == 2);
	clear_sent();
	input(0, frame(mac(2), mac(1), -1, 0, 46));
	CHECK(got_mask() == 0x2);
	clear_sent();
	/* Destination behind the ingress port: filtered, nothing sent. */
	input(1, frame(mac(2), mac(3), -1, 0, 46));
	CHECK(got_mask() == 0);
	/* Station move: mac 1 now appears on port 2. */
	input(2, frame(BCAST, mac(1), -1, 0, 46));
	clear_sent();
	input(1, frame(mac(1), mac(2), -1, 0, 46));
	CHECK(got_mask() == 0x4);
	clear_sent();
	/* Broadcast and multicast always flood, and are counted. */
	input(0, frame(BCAST, mac(1), -1, 0, 46));
	CHECK(got_mask() == 0x6);
	input(0, frame((const uint8_t[6]){ 0x01, 0x00, 0x5e, 0, 0, 1 },
		       mac(1), -1, 0, 46));
	CHECK(ports[0].stats.rx_broadcast == 1);
	CHECK(ports[0].stats.rx_multicast == 1);
	CHECK(fakes[1].n_sent == 2 && fakes[2].n_sent == 2);
	teardown();
}

struct walk_acc {
	int n;
	struct sw_fdb_entry_info e[16];
};

static void walk_cb(const struct sw_fdb_entry_info *e, void *arg)
{
	struct walk_acc *a = arg;

	if (a->n < 16)
		a->e[a->n] = *e;
	a->n++;
}

static void test_aging_and_walk(void)
{
	struct walk_acc acc = { 0 };

	setup(2, 0, 64);
	set_access(0, 20);
	set_access(1, 20);
	sw_fdb_set_aging(sw, 10);
	now = 100;
	input(0, frame(BCAST, mac(9), -1, 0, 46));
	input(1, frame(BCAST, mac(2), -1, 0, 46));
	CHECK(sw_fdb_add_static(sw, mac(5), 10, 1) == 0);
	now = 105;
	input(1, frame(BCAST, mac(2), -1, 0, 46));	/* refresh */
	sw_fdb_walk(sw, 108, walk_cb, &acc);
	/* Sorted by VLAN, then MAC. */
	CHECK(acc.n == 3);
	CHECK(acc.e[0].vlan == 10 && acc.e[0].type == SW_FDB_STATIC);
	CHECK(acc.e[1].vlan == 20 && acc.e[1].mac[5] == 2 &&
	      acc.e[1].slot == 1 && acc.e[1].age == 3);
	CHECK(acc.e[2].vlan == 20 && acc.e[2].mac[5] == 9 &&
	      acc.e[2].slot == 0 && acc.e[2].age == 8);
	sw_fdb_age(sw, 110);
	CHECK(sw_fdb_count(sw) == 3);
	sw_fdb_age(sw, 111);			/* mac 9: 11 s old */
	CHECK(sw_fdb_count(sw) == 2);
	sw_fdb_age(sw, 116);			/* mac 2 too */
	CHECK(sw_fdb_count(sw) == 1);		/* the static one stays */
	sw_fdb_set_aging(sw, 0);
	input(0, frame(BCAST, mac(9), -1, 0, 46));
	sw_fdb_age(sw, 1000000);
	CHECK(sw_fdb_count(sw) == 2);
	teardown();
	now = 1000;
}

/* Ports: 0,1 access 10; 2 access 20; 3 trunk native 1 allowing 1,10,20;
 * 4 access 1; 5 trunk native 10 allowing 10 only. */
static void vlan_topology(void)
{
	static const uint16_t t3[] = { 1, 10, 20, 0 };
	static const uint16_t t5[] = { 10, 0 };

	setup(6, 0, 256);
	set_access(0, 10);
	set_access(1, 10);
	set_access(2, 20);
	set_trunk(3, 1, t3);
	set_access(4, 1);
	set_trunk(5, 10, t5);
}

static void test_vlan_flood_scope(void)
{
	struct frame f;
	const struct pkt *p;

	vlan_topology();
	input(0, frame(BCAST, mac(1), -1, 0, 50));
	CHECK(got_mask() == (1u << 1 | 1u << 3 | 1u << 5));
	CHECK(last_sent(1, &f, &p) && !f.vlan_tagged && check_payload(p, &f, 50));
	CHECK(last_sent(3, &f, &p) && f.vlan_tagged && f.vid == 10 &&
	      f.pcp == 0 && check_payload(p, &f, 50));
	/* Native VLAN 10 on port 5: untagged. */
	CHECK(last_sent(5, &f, &p) && !f.vlan_tagged && check_payload(p, &f, 50));
	clear_sent();
	input(2, frame(BCAST, mac(2), -1, 0, 50));
	CHECK(got_mask() == 1u << 3);
	clear_sent();
	input(4, frame(BCAST, mac(3), -1, 0, 50));
	CHECK(got_mask() == 1u << 3);
	CHECK(last_sent(3, &f, NULL) && !f.vlan_tagged);	/* native 1 */
	teardown();
}

/* Ingress admission and egress tagging, one frame per row. */
static void test_vlan_table(void)
{
	static const struct {
		const char *name;
		int in;
		int vid, pcp;		/* vid -1 = untagged */
		unsigned out_mask;	/* ports that must get it */
		int check_port;		/* port whose copy is inspected */
		int want_vid;		/* -1 = untagged on the wire */
		int want_pcp;
		bool vlan_drop;		/* counted as a VLAN drop on 'in' */
	} rows[] = {
		{ "access untagged -> trunk tagged", 2, -1, 0, 1u << 3, 3, 20, 0, false },
		{ "access priority-tagged keeps PCP", 0, 0, 5,
		  1u << 1 | 1u << 3 | 1u << 5, 3, 10, 5, false },
		{ "priority tag popped on access", 0, 0, 5,
		  1u << 1 | 1u << 3 | 1u << 5, 1, -1, 0, false },
		{ "access tagged frame dropped", 0, 10, 0, 0, -1, 0, 0, true },
		{ "trunk tagged 20 -> access untagged", 3, 20, 6, 1u << 2, 2, -1, 0, false },
		{ "trunk tagged 10 -> other trunk native", 3, 10, 2,
		  1u << 0 | 1u << 1 | 1u << 5, 5, -1, 0, false },
		{ "trunk untagged = native 1", 3, -1, 0, 1u << 4, 4, -1, 0, false },
		{ "trunk tag not allowed", 3, 30, 0, 0, -1, 0, 0, true },
		{ "trunk tagged native", 3, 1, 4, 1u << 4, 4, -1, 0, false },
		{ "trunk vid 4095", 3, 4095, 0, 0, -1, 0, 0, true },
		{ "native trunk untagged -> tagged elsewhere", 5, -1, 0,
		  1u << 0 | 1u << 1 | 1u << 3, 3, 10, 0, false },
		{ "trunk 5 tag 20 not allowed", 5, 20, 0, 0, -1, 0, 0, true },
	};

	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct frame f;
		const struct pkt *p = NULL;
		uint64_t drops;
		bool ok = true;

		vlan_topology();
		drops = ports[rows[r].in].stats.drops[PORT_DROP_VLAN];
		input(rows[r].in, frame(BCAST, mac(7), rows[r].vid,
					rows[r].pcp, 60));
		ok &= got_mask() == rows[r].out_mask;
		ok &= (ports[rows[r].in].stats.drops[PORT_DROP_VLAN] ==
		       drops + 1) == rows[r].vlan_drop;
		if (rows[r].check_port >= 0) {
			ok &= last_sent(rows[r].check_port, &f, &p);
			ok &= check_payload(p, &f, 60);
			if (rows[r].want_vid < 0)
				ok &= !f.vlan_tagged;
			else
				ok &= f.vlan_tagged && f.vid == rows[r].want_vid &&
				      f.pcp == rows[r].want_pcp;
		}
		if (!ok) {
			fprintf(stderr, "vlan row '%s' failed (mask %#x)\n",
				rows[r].name, got_mask());
			failures++;
		}
		teardown();
	}
}

static void test_native_not_allowed(void)
{
	static const uint16_t only10[] = { 10, 0 };

	setup(2, 0, 64);
	set_trunk(0, 1, only10);
	input(0, frame(BCAST, mac(1), -1, 0, 46));
	CHECK(got_mask() == 0);
	CHECK(ports[0].stats.drops[PORT_DROP_VLAN] == 1);
	teardown();
}

static void test_unicast_tag_push_pop(void)
{
	static const uint16_t all[] = { 1, 10, 0 };
	struct frame f;
	const struct pkt *p;

	setup(2, 0, 64);
	set_access(0, 10);
	set_trunk(1, 1, all);
	input(1, frame(BCAST, mac(2), 10, 3, 46));	/* learn mac 2 on trunk */
	input(0, frame(BCAST, mac(1), -1, 0, 46));	/* learn mac 1 */
	clear_sent();
	input(0, frame(mac(2), mac(1), -1, 0, 46));
	CHECK(last_sent(1, &f, &p) && f.vlan_tagged && f.vid == 10 &&
	      check_payload(p, &f, 46));
	CHECK(memcmp(f.dst, mac(2), 6) == 0 && memcmp(f.src, mac(1), 6) == 0);
	input(1, frame(mac(1), mac(2), 10, 7, 46));
	CHECK(last_sent(0, &f, &p) && !f.vlan_tagged && check_payload(p, &f, 46));
	CHECK(memcmp(f.dst, mac(1), 6) == 0 && memcmp(f.src, mac(2), 6) == 0);
	teardown();
}

static void test_mtu(void)
{
	struct sw_port_config c;

	setup(3, 0, 64);
	/* Ingress: 1500 bytes of payload pass untagged and tagged, 1501 not. */
	input(0, frame(BCAST, mac(1), -1, 0, 1500));
	CHECK(got_mask() == 0x6);
	clear_sent();
	input(0, frame(BCAST, mac(1), 0, 0, 1500));
	CHECK(got_mask() == 0x6);
	clear_sent();
	input(0, frame(BCAST, mac(1), -1, 0, 1501));
	CHECK(got_mask() == 0);
	CHECK(ports[0].stats.drops[PORT_DROP_OVERSIZE] == 1);
	/* Jumbo on 0 and 1; port 2 keeps 1500 and drops on egress. */
	sw_port_config_init(&c);
	c.mtu = 9000;
	sw_port_set_config(sw, 0, &c);
	sw_port_set_config(sw, 1, &c);
	input(0, frame(BCAST, mac(1), -1, 0, 9000));
	CHECK(got_mask() == 0x2);
	CHECK(ports[2].stats.drops[PORT_DROP_OVERSIZE] == 1);
	CHECK(ports[0].stats.drops[PORT_DROP_OVERSIZE] == 1);
	clear_sent();
	input(0, frame(BCAST, mac(1), -1, 0, 9001));
	CHECK(got_mask() == 0);
	CHECK(ports[0].stats.drops[PORT_DROP_OVERSIZE] == 2);
	/* Unicast to the small port counts there too. */
	input(2, frame(BCAST, mac(3), -1, 0, 46));
	clear_sent();
	input(0, frame(mac(3), mac(1), -1, 0, 2000));
	CHECK(got_mask() == 0);
	CHECK(ports[2].stats.drops[PORT_DROP_OVERSIZE] == 2);
	teardown();
}

static void test_malformed(void)
{
	static const struct {
		const char *name;
		uint8_t bytes[20];
		uint32_t len;
		enum port_drop why;
	} rows[] = {
		{ "empty", { 0 }, 0, PORT_DROP_RUNT },
		{ "13 bytes", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0,
				0, 1, 8 }, 13, PORT_DROP_RUNT },
		{ "tag cut", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0,
			       0, 1, 0x81, 0, 0, 10 }, 16, PORT_DROP_MALFORMED },
		{ "multicast source", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 0,
					0, 0, 0, 1, 8, 0 }, 14, PORT_DROP_BAD_SOURCE },
		{ "zero source", { 2, 0, 0, 0, 0, 2 }, 14, PORT_DROP_BAD_SOURCE },
	};

	setup(2, 0, 64);
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct pkt *p = pkt_alloc(pool);
		uint64_t before = ports[0].stats.drops[rows[r].why];
		uint64_t rx = ports[0].stats.rx_packets;

		memcpy(p->data, rows[r].bytes, rows[r].len);
		p->len = rows[r].len;
		input(0, p);
		if (ports[0].stats.drops[rows[r].why] != before + 1 ||
		    ports[0].stats.rx_packets != rx + 1 || got_mask()) {
			fprintf(stderr, "malformed row '%s' failed\n",
				rows[r].name);
			failures++;
		}
	}
	CHECK(ports[0].stats.rx_broadcast == 3);
	CHECK(sw_fdb_count(sw) == 0);
	teardown();
}

static void test_port_state(void)
{
	struct sw_port_config c;
	struct sw_port_info info;

	setup(3, 0, 64);
	sw_port_config_init(&c);
	c.shutdown = true;
	sw_port_set_config(sw, 2, &c);
	sw_port_info(sw, 2, &info);
	CHECK(info.status == SW_PORT_ADMIN_DOWN);
	input(0, frame(BCAST, mac(1), -1, 0, 46));
	CHECK(got_mask() == 0x2);
	input(2, frame(BCAST, mac(3), -1, 0, 46));
	CHECK(ports[2].stats.drops[PORT_DROP_PORT_DOWN] == 1);
	CHECK(ports[2].stats.rx_packets == 1);
	CHECK(sw_fdb_count(sw) == 1);
	/* A static entry towards the down port: unicast counted there. */
	CHECK(sw_fdb_add_static(sw, mac(3), 1, 2) == 0);
	input(0, frame(mac(3), mac(1), -1, 0, 46));
	CHECK(ports[2].stats.drops[PORT_DROP_PORT_DOWN] == 2);
	clear_sent();
	/* Link down: skipped by floods, NO_LINK for unicast. */
	sw_port_config_init(&c);
	sw_port_set_config(sw, 2, &c);
	fakes[1].link_down = true;
	sw_port_info(sw, 1, &info);
	CHECK(info.status == SW_PORT_LINK_DOWN);
	input(0, frame(BCAST, mac(1), -1, 0, 46));
	CHECK(got_mask() == 0x4);
	CHECK(sw_fdb_add_static(sw, mac(4), 1, 1) == 0);
	input(0, frame(mac(4), mac(1), -1, 0, 46));
	CHECK(ports[1].stats.drops[PORT_DROP_NO_LINK] == 1);
	CHECK(strcmp(sw_port_status_name(SW_PORT_ERR_DISABLED),
		     "err-disabled") == 0);
	teardown();
}

static void test_static_entries(void)
{
	setup(3, 0, 64);
	CHECK(sw_fdb_add_static(sw, mac(5), 1, 2) == 0);
	CHECK(sw_fdb_add_static(sw, mac(5), 0, 2) == -EINVAL);
	CHECK(sw_fdb_add_static(sw, mac(5), 4095, 2) == -EINVAL);
	CHECK(sw_fdb_add_static(sw, BCAST, 1, 2) == -EINVAL);
	CHECK(sw_fdb_add_static(sw, mac(5), 1, 7) == -EINVAL);
	/* Learning does not move a static entry. */
	input(1, frame(BCAST, mac(5), -1, 0, 46));
	clear_sent();
	input(0, frame(mac(5), mac(1), -1, 0, 46));
	CHECK(got_mask() == 0x4);
	sw_fdb_age(sw, now + 100000);
	sw_fdb_flush(sw, 0, -1);
	CHECK(sw_fdb_count(sw) == 1);		/* static survives both */
	CHECK(sw_fdb_del_static(sw, mac(5), 1) == 0);
	CHECK(sw_fdb_del_static(sw, mac(5), 1) == -ENOENT);
	clear_sent();
	input(0, frame(mac(5), mac(1), -1, 0, 46));
	CHECK(got_mask() == 0x6);		/* unknown again: flood */
	teardown();
}

static void test_flush_and_reconfig(void)
{
	static const uint16_t t[] = { 10, 20, 0 };
	static const uint16_t t10[] = { 10, 0 };

	setup(3, 0, 64);
	set_trunk(0, 1, t);
	set_trunk(1, 1, t);
	input(0, frame(BCAST, mac(1), 10, 0, 46));
	input(0, frame(BCAST, mac(2), 20, 0, 46));
	input(1, frame(BCAST, mac(3), 20, 0, 46));
	CHECK(sw_fdb_count(sw) == 3);
	sw_fdb_flush(sw, 20, 1);
	CHECK(sw_fdb_count(sw) == 2);
	/* Removing VLAN 20 from the trunk flushes its entries there. */
	set_trunk(0, 1, t10);
	CHECK(sw_fdb_count(sw) == 1);
	sw_fdb_flush(sw, 0, -1);
	CHECK(sw_fdb_count(sw) == 0);
	/* Removing a port flushes everything it had, static included. */
	input(2, frame(BCAST, mac(4), -1, 0, 46));
	CHECK(sw_fdb_add_static(sw, mac(6), 1, 2) == 0);
	CHECK(sw_port_remove(sw, 2) == &ports[2]);
	CHECK(sw_port_get(sw, 2) == NULL);
	CHECK(sw_fdb_count(sw) == 0);
	CHECK(sw_port_add(sw, &ports[2], &(struct sw_port_config){ 0 }) == 2);
	teardown();
}

static void test_no_buffer_and_batching(void)
{
	struct pkt *burst[8];

	setup(5, 0, 3);
	/* Flooding to 4 ports needs 3 copies; the pool has 2 left. */
	input(0, frame(BCAST, mac(1), -1, 0, 46));
	CHECK(fakes[1].n_sent + fakes[2].n_sent + fakes[3].n_sent +
	      fakes[4].n_sent == 3);
	CHECK(ports[1].stats.drops[PORT_DROP_NO_BUFFER] +
	      ports[2].stats.drops[PORT_DROP_NO_BUFFER] +
	      ports[3].stats.drops[PORT_DROP_NO_BUFFER] == 1);
	clear_sent();
	sw_destroy(sw);
	pkt_pool_destroy(pool);

	/* A burst of 8 frames to one port is one send_batch call. */
	setup(2, 0, 16);
	for (int i = 0; i < 8; i++)
		burst[i] = frame(BCAST, mac((uint8_t)(10 + i)), -1, 0, 46);
	sw_input(sw, 0, burst, 8, pool, now);
	CHECK(fakes[1].n_sent == 8 && fakes[1].batches == 1);
	CHECK(ports[1].stats.tx_packets == 8);
	teardown();
}

static void set_psec(int i, enum sw_violation v, unsigned maximum,
		     bool sticky, bool shutdown,
		     const struct sw_secure_mac *macs, unsigned n_macs)
{
	struct sw_port_config c;

	sw_port_config_init(&c);
	c.shutdown = shutdown;
	c.psec.enabled = true;
	c.psec.violation = v;
	c.psec.maximum = maximum;
	c.psec.sticky = sticky;
	c.psec.n_macs = n_macs;
	if (n_macs)
		memcpy(c.psec.macs, macs, n_macs * sizeof(*macs));
	sw_port_set_config(sw, i, &c);
}

/* Each violation mode: first MAC learned, second refused. */
static void test_psec_modes(void)
{
	static const struct {
		enum sw_violation mode;
		uint64_t violations;
		enum sw_port_status status;
	} rows[] = {
		{ SW_VIOLATION_PROTECT, 0, SW_PORT_UP },
		{ SW_VIOLATION_RESTRICT, 2, SW_PORT_UP },
		{ SW_VIOLATION_SHUTDOWN, 1, SW_PORT_ERR_DISABLED },
	};

	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct sw_port_info info;
		bool ok = true;

		setup(2, 0, 64);
		set_psec(0, rows[r].mode, 1, false, false, NULL, 0);
		input(0, frame(BCAST, mac(1), -1, 0, 46));
		ok &= got_mask() == 0x2;
		clear_sent();
		input(0, frame(BCAST, mac(2), -1, 0, 46));
		input(0, frame(BCAST, mac(3), -1, 0, 46));
		ok &= got_mask() == 0;
		sw_port_info(sw, 0, &info);
		ok &= info.status == rows[r].status;
		ok &= info.security_violations == rows[r].violations;
		if (rows[r].mode == SW_VIOLATION_SHUTDOWN) {
			ok &= ports[0].stats.drops[PORT_DROP_PORT_SECURITY] == 1;
			ok &= ports[0].stats.drops[PORT_DROP_PORT_DOWN] == 1;
			/* Learned secure MACs go with the port. */
			ok &= info.secure_macs == 0;
		} else {
			ok &= ports[0].stats.drops[PORT_DROP_PORT_SECURITY] == 2;
			ok &= info.secure_macs == 1;
			/* The secure MAC itself still passes. */
			input(0, frame(BCAST, mac(1), -1, 0, 46));
			ok &= got_mask() == 0x2;
		}
		if (rows[r].violations)
			ok &= info.last_violation_mac[5] ==
			      (rows[r].violations == 2 ? 3 : 2) &&
			      info.last_violation_vlan == 1;
		if (!ok) {
			fprintf(stderr, "psec mode %d failed\n", rows[r].mode);
			failures++;
		}
		teardown();
	}
}

static void test_psec_shutdown_recovery(void)
{
	struct sw_port_info info;

	setup(2, 0, 64);
	set_psec(0, SW_VIOLATION_SHUTDOWN, 1, false, false, NULL, 0);
	input(0, frame(BCAST, mac(1), -1, 0, 46));
	input(0, frame(BCAST, mac(2), -1, 0, 46));
	sw_port_info(sw, 0, &info);
	CHECK(info.status == SW_PORT_ERR_DISABLED);
	/* Err-disabled: nothing goes out either. */
	clear_sent();
	input(1, frame(BCAST, mac(9), -1, 0, 46));
	CHECK(got_mask() == 0);
	/* Re-applying the same config does not recover... */
	set_psec(0, SW_VIOLATION_SHUTDOWN, 1, false, false, NULL, 0);
	sw_port_info(sw, 0, &info);
	CHECK(info.status == SW_PORT_ERR_DISABLED);
	/* ...shutdown then no shutdown does. */
	set_psec(0, SW_VIOLATION_SHUTDOWN, 1, false, true, NULL, 0);
	sw_port_info(sw, 0, &info);
	CHECK(info.status == SW_PORT_ADMIN_DOWN);
	set_psec(0, SW_VIOLATION_SHUTDOWN, 1, false, false, NULL, 0);
	sw_port_info(sw, 0, &info);
	CHECK(info.status == SW_PORT_UP);
	input(0, frame(BCAST, mac(2), -1, 0, 46));
	CHECK(got_mask() == 0x2);
	/* Turning port security off also recovers. */
	input(0, frame(BCAST, mac(3), -1, 0, 46));
	sw_port_info(sw, 0, &info);
	CHECK(info.status == SW_PORT_ERR_DISABLED);
	set_access(0, 1);
	sw_port_info(sw, 0, &info);
	CHECK(info.status == SW_PORT_UP && info.secure_macs == 0);
	teardown();
}

struct sticky_acc {
	int n;
	uint8_t last;
	uint16_t vlan;
};

static void sticky_cb(const uint8_t m[6], uint16_t vlan, void *arg)
{
	struct sticky_acc *a = arg;

	a->n++;
	a->last = m[5];
	a->vlan = vlan;
}

static void test_psec_sticky_and_configured(void)
{
	struct sw_secure_mac cfg[2] = { 0 };
	struct sticky_acc acc = { 0 };
	struct sw_port_info info;
	struct walk_acc w = { 0 };

	setup(3, 0, 64);
	memcpy(cfg[0].mac, mac(1), 6);
	/* maximum 2: configured mac 1 plus one learned sticky MAC. */
	set_psec(0, SW_VIOLATION_RESTRICT, 2, true, false, cfg, 1);
	sw_port_info(sw, 0, &info);
	CHECK(info.secure_macs == 1);
	input(0, frame(BCAST, mac(4), -1, 0, 46));
	input(0, frame(BCAST, mac(5), -1, 0, 46));	/* violation */
	sw_port_info(sw, 0, &info);
	CHECK(info.secure_macs == 2 && info.security_violations == 1);
	sw_sticky_walk(sw, 0, sticky_cb, &acc);
	CHECK(acc.n == 1 && acc.last == 4 && acc.vlan == 1);
	sw_fdb_walk(sw, now, walk_cb, &w);
	CHECK(w.n == 2 && w.e[0].type == SW_FDB_STATIC &&
	      w.e[1].type == SW_FDB_STICKY);
	/* Sticky MACs survive shutdown (learned secure ones would not). */
	set_psec(0, SW_VIOLATION_RESTRICT, 2, true, true, cfg, 1);
	set_psec(0, SW_VIOLATION_RESTRICT, 2, true, false, cfg, 1);
	sw_port_info(sw, 0, &info);
	CHECK(info.secure_macs == 2);
	/* Once the sticky MAC is in the config it is no longer offered. */
	memcpy(cfg[1].mac, mac(4), 6);
	cfg[1].sticky = true;
	set_psec(0, SW_VIOLATION_RESTRICT, 2, true, false, cfg, 2);
	acc.n = 0;
	sw_sticky_walk(sw, 0, sticky_cb, &acc);
	CHECK(acc.n == 0);
	sw_port_info(sw, 0, &info);
	CHECK(info.secure_macs == 2);
	/* A MAC secure on port 0, seen on another secure port: violation
	 * there; seen on a port without security: forwarded, not moved. */
	set_psec(1, SW_VIOLATION_RESTRICT, 5, false, false, NULL, 0);
	clear_sent();
	input(1, frame(BCAST, mac(1), -1, 0, 46));
	sw_port_info(sw, 1, &info);
	CHECK(info.security_violations == 1 && got_mask() == 0);
	input(2, frame(BCAST, mac(4), -1, 0, 46));
	CHECK(got_mask() == 0x3);
	clear_sent();
	input(2, frame(mac(4), mac(9), -1, 0, 46));
	CHECK(got_mask() == 0x1);
	/* Configured MACs live in the trunk's native VLAN. */
	{
		static const uint16_t t[] = { 1, 7, 0 };
		struct sw_port_config c;

		sw_port_config_init(&c);
		c.mode = SW_MODE_TRUNK;
		c.native_vlan = 7;
		memset(c.allowed, 0, sizeof(c.allowed));
		for (const uint16_t *v = t; *v; v++)
			c.allowed[*v / 64] |= 1ULL << (*v % 64);
		c.psec.enabled = true;
		c.psec.maximum = 2;
		c.psec.violation = SW_VIOLATION_PROTECT;
		c.psec.n_macs = 1;
		c.psec.macs[0] = cfg[0];
		sw_port_set_config(sw, 0, &c);
		w.n = 0;
		sw_fdb_walk(sw, now, walk_cb, &w);
		CHECK(w.n >= 1 && w.e[w.n - 1].vlan == 7 &&
		      w.e[w.n - 1].mac[5] == 1 && w.e[w.n - 1].slot == 0);
	}
	teardown();
}

static void test_psec_lower_maximum(void)
{
	struct sw_secure_mac cfg[1] = { 0 };
	struct sw_port_info info;

	setup(2, 0, 64);
	memcpy(cfg[0].mac, mac(1), 6);
	set_psec(0, SW_VIOLATION_PROTECT, 4, false, false, cfg, 1);
	for (uint8_t m = 2; m <= 5; m++)
		input(0, frame(BCAST, mac(m), -1, 0, 46));
	sw_port_info(sw, 0, &info);
	CHECK(info.secure_macs == 4);		/* mac 5 was refused */
	CHECK(ports[0].stats.drops[PORT_DROP_PORT_SECURITY] == 1);
	/* Lowering the maximum forgets the learned MACs, keeps mac 1. */
	set_psec(0, SW_VIOLATION_PROTECT, 2, false, false, cfg, 1);
	sw_port_info(sw, 0, &info);
	CHECK(info.secure_macs == 1);
	/* Same maximum again: learned MACs stay. */
	input(0, frame(BCAST, mac(6), -1, 0, 46));
	set_psec(0, SW_VIOLATION_PROTECT, 2, false, false, cfg, 1);
	sw_port_info(sw, 0, &info);
	CHECK(info.secure_macs == 2);
	teardown();
}

/* 100,000 random source MACs from port 0 against the default bound: the
 * table stops at its limit, the failures are counted, and hosts learned
 * before the flood are still forwarded to directly. */
static void test_fdb_flood_limit(void)
{
	enum { FLOOD = 100000 };
	uint64_t seed = 88172645463325252ULL;
	uint64_t tx_before;

	setup(3, SW_FDB_DEFAULT_MAX, 256);
	input(1, frame(BCAST, mac(1), -1, 0, 46));
	input(2, frame(BCAST, mac(2), -1, 0, 46));
	clear_sent();
	tx_before = ports[1].stats.tx_packets;
	for (int i = 0; i < FLOOD; i++) {
		uint8_t src[6];

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		for (int b = 0; b < 6; b++)
			src[b] = (uint8_t)(seed >> (8 * b));
		src[0] = (uint8_t)((src[0] & 0xfe) | 0x02);
		if (frame_mac_is_zero(src))
			continue;
		input(0, frame(mac(1), src, -1, 0, 46));
		if (i % 64 == 63)
			clear_sent();
	}
	CHECK(sw_fdb_count(sw) == SW_FDB_DEFAULT_MAX);
	CHECK(sw_fdb_learn_failures(sw) >= FLOOD - SW_FDB_DEFAULT_MAX);
	/* Every flood frame went to mac 1's port only. */
	CHECK(fakes[2].n_sent == 0);
	CHECK(ports[1].stats.tx_packets - tx_before == FLOOD);
	clear_sent();
	input(1, frame(mac(2), mac(1), -1, 0, 46));
	CHECK(got_mask() == 0x4);
	/* A new host (not learnable) is still flooded to. */
	clear_sent();
	input(2, frame(mac(200), mac(201), -1, 0, 46));
	CHECK(got_mask() == 0x3);
	teardown();
}

/* ---- offloads --------------------------------------------------------- */

#define ALL_OFFLOADS (PORT_OFF_CSUM | PORT_OFF_TSO4 | PORT_OFF_TSO6 | \
		      PORT_OFF_TSO_ECN | PORT_OFF_USO)

/* A TCP/IPv4 (or UDP) frame from mac(src) to mac(dst) with 'payload'
 * bytes, headers as a kernel leaves them for offload (partial pseudo-header
 * checksum, NEEDS_CSUM); a super-frame if gso_size > 0. */
static struct pkt *l4_frame(uint8_t dst, uint8_t src, int vid, uint8_t proto,
			    size_t payload, uint16_t gso_size)
{
	struct pkt *p = frame(mac(dst), mac(src), vid, 0, 0);
	size_t l3 = p->len, l4 = l3 + 20, hl = proto == 6 ? 32 : 8;
	uint8_t *ip = p->data + l3, *h = p->data + l4;
	uint32_t sum;

	memset(ip, 0, 20 + hl);
	ip[0] = 0x45;
	csum_put16(ip + 2, (uint16_t)(20 + hl + payload));
	ip[8] = 64;
	ip[9] = proto;
	ip[12] = 10, ip[15] = src;
	ip[16] = 10, ip[19] = dst;
	csum_put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	if (proto == 6) {
		h[12] = 8 << 4;		/* 12 bytes of options */
		h[13] = 0x18;		/* PSH ACK */
	} else {
		csum_put16(h + 4, (uint16_t)(8 + payload));
	}
	for (size_t i = 0; i < payload; i++)
		h[hl + i] = (uint8_t)i;
	p->len = (uint32_t)(l4 + hl + payload);
	sum = csum_add16(csum_add32(0, (uint32_t)(hl + payload)), proto);
	p->off.flags = PKT_OFF_NEEDS_CSUM;
	p->off.csum_start = (uint16_t)l4;
	p->off.csum_offset = proto == 6 ? 16 : 6;
	csum_put16(h + p->off.csum_offset,
		   csum_reduce(csum_add(sum, ip + 12, 8)));
	if (gso_size) {
		p->off.gso_type = proto == 6 ? PKT_GSO_TCPV4 : PKT_GSO_UDP_L4;
		p->off.gso_size = gso_size;
		p->off.hdr_len = (uint16_t)(l4 + hl);
	}
	return p;
}

/* True if p is a plain frame whose IPv4 and L4 checksums verify and whose
 * IP packet fits 'mtu'. */
static bool plain_and_valid(const struct pkt *p, int mtu)
{
	struct gso_layout lay;
	const uint8_t *ip = p->data + 14;
	uint32_t l4_size, sum;

	if (p->off.flags || p->off.gso_type || gso_parse(p->data, p->len, &lay))
		return false;
	ip = p->data + lay.l3_off;
	l4_size = lay.end - lay.l4_off;
	sum = csum_add16(csum_add32(0, l4_size), lay.l4_proto);
	sum = csum_add(csum_add(sum, ip + 12, 8), p->data + lay.l4_off, l4_size);
	return lay.end - lay.l3_off <= (uint32_t)mtu &&
	       csum_reduce(csum_add(0, ip, 20)) == 0xffff &&
	       csum_reduce(sum) == 0xffff;
}

/* Sum of the TCP payload bytes port i received (segments reassemble). */
static size_t payload_sent(int i)
{
	size_t total = 0;

	for (int k = 0; k < fakes[i].n_sent; k++) {
		struct gso_layout lay;
		const struct pkt *p = fakes[i].sent[k];

		if (gso_parse(p->data, p->len, &lay) == 0)
			total += lay.end - lay.hdr_size;
	}
	return total;
}

/* Flooded super-frame: the offloading port gets it whole with its
 * metadata, the plain one gets MTU-sized, checksummed segments. */
static void test_gso_flood(void)
{
	struct pkt *p;

	setup(3, 0, 256);
	ports[1].offloads = ALL_OFFLOADS;
	input(0, l4_frame(9, 1, -1, 6, 30000, 1448));
	CHECK(fakes[1].n_sent == 1 && fakes[2].n_sent == 21);
	p = fakes[1].sent[0];
	CHECK(p->len == 14 + 20 + 32 + 30000);
	CHECK(p->off.gso_type == PKT_GSO_TCPV4 && p->off.gso_size == 1448 &&
	      p->off.csum_start == 34 && p->off.flags == PKT_OFF_NEEDS_CSUM);
	for (int k = 0; k < fakes[2].n_sent; k++)
		CHECK(plain_and_valid(fakes[2].sent[k], 1500));
	CHECK(payload_sent(2) == 30000);
	CHECK(ports[2].stats.tx_packets == 21);
	teardown();
}

/* A trunk port pushes a tag in front of a super-frame: csum_start and
 * hdr_len follow the bytes; popping it on the way back undoes that. */
static void test_gso_tag_push_pop(void)
{
	static const uint16_t v10[] = { 10, 0 };
	struct pkt *p;

	setup(2, 0, 64);
	set_access(0, 10);
	set_trunk(1, 1, v10);
	ports[0].offloads = ports[1].offloads = ALL_OFFLOADS;
	input(0, l4_frame(9, 1, -1, 6, 20000, 1448));
	CHECK(fakes[1].n_sent == 1);
	p = fakes[1].sent[0];
	CHECK(p->data[12] == 0x81 && p->len == 18 + 20 + 32 + 20000);
	CHECK(p->off.csum_start == 38 && p->off.hdr_len == 18 + 52);
	CHECK(gso_check(p->data, p->len, &p->off, &(struct gso_layout){ 0 }) == 0);
	input(1, l4_frame(1, 9, 10, 6, 20000, 1448));
	CHECK(fakes[0].n_sent == 1);
	p = fakes[0].sent[0];
	CHECK(p->data[12] == 0x08 && p->off.csum_start == 34 &&
	      p->off.hdr_len == 14 + 52);
	teardown();
}

/* Partial checksums are completed for ports without checksum offload and
 * left partial for ports with it. */
static void test_csum_completion(void)
{
	struct pkt *p;

	setup(3, 0, 64);
	ports[1].offloads = PORT_OFF_CSUM;
	input(0, l4_frame(9, 1, -1, 17, 999, 0));
	CHECK(fakes[1].n_sent == 1 && fakes[2].n_sent == 1);
	p = fakes[1].sent[0];
	CHECK(p->off.flags == PKT_OFF_NEEDS_CSUM && p->off.csum_start == 34);
	CHECK(!plain_and_valid(p, 1500));
	CHECK(plain_and_valid(fakes[2].sent[0], 1500));
	teardown();
}

/* MTU checks use the segment size; TCP is cut to fit a smaller egress MTU
 * (a smaller gso_size for a port that segments itself); UDP is not. */
static void test_gso_mtu(void)
{
	struct sw_port_config c;

	setup(3, 0, 256);
	ports[1].offloads = ALL_OFFLOADS;
	/* 64 KiB super-frame with 1448-byte segments on a 1500 port. */
	input(0, l4_frame(9, 1, -1, 6, 65000, 1448));
	CHECK(fakes[1].n_sent == 1 && fakes[2].n_sent == 45);
	CHECK(ports[0].stats.drops[PORT_DROP_OVERSIZE] == 0);
	clear_sent();
	/* Segments too big for the ingress MTU are oversize there. */
	input(0, l4_frame(9, 1, -1, 6, 20000, 1449));
	CHECK(got_mask() == 0 && ports[0].stats.drops[PORT_DROP_OVERSIZE] == 1);

	/* Port 0 jumbo: 8948-byte segments cut to 1448 for 1 and 2. */
	sw_port_config_init(&c);
	c.mtu = 9000;
	sw_port_set_config(sw, 0, &c);
	input(0, l4_frame(9, 1, -1, 6, 30000, 8948));
	CHECK(fakes[1].n_sent == 1 && fakes[1].sent[0]->off.gso_size == 1448);
	CHECK(fakes[2].n_sent == 21 && payload_sent(2) == 30000);
	for (int k = 0; k < fakes[2].n_sent; k++)
		CHECK(plain_and_valid(fakes[2].sent[k], 1500));
	clear_sent();
	/* A plain 9000-byte TCP frame is cut as well, for both. */
	input(0, l4_frame(9, 1, -1, 6, 8948, 0));
	CHECK(fakes[1].n_sent == 7 && fakes[2].n_sent == 7);
	CHECK(payload_sent(1) == 8948 && plain_and_valid(fakes[1].sent[6], 1500));
	clear_sent();
	/* UDP datagrams cannot be re-cut: oversize on both. */
	input(0, l4_frame(9, 1, -1, 17, 30000, 8000));
	input(0, l4_frame(9, 1, -1, 17, 8000, 0));
	CHECK(got_mask() == 0);
	CHECK(ports[1].stats.drops[PORT_DROP_OVERSIZE] == 2 &&
	      ports[2].stats.drops[PORT_DROP_OVERSIZE] == 2);
	teardown();
}

/* Metadata that lies about the frame is a malformed drop at ingress. */
static void test_gso_bad_metadata(void)
{
	struct pkt *p;

	setup(2, 0, 64);
	p = l4_frame(9, 1, -1, 6, 5000, 1448);
	p->off.gso_type = PKT_GSO_TCPV6;
	input(0, p);
	p = l4_frame(9, 1, -1, 17, 5000, 0);
	p->off.csum_start = (uint16_t)(p->len - 2);
	input(0, p);
	p = l4_frame(9, 1, -1, 6, 5000, 1448);
	p->off.gso_size = 0;
	input(0, p);
	/* Found by fuzz_gso: a checksum "starting" at the tag would have
	 * moved in front of the frame when the tag was popped. */
	p = l4_frame(9, 1, 0, 6, 5000, 1448);
	p->off.csum_start = 0;
	input(0, p);
	CHECK(got_mask() == 0);
	CHECK(ports[0].stats.drops[PORT_DROP_MALFORMED] == 4);
	teardown();
}

int main(void)
{
	test_learn_and_forward();
	test_aging_and_walk();
	test_vlan_flood_scope();
	test_vlan_table();
	test_native_not_allowed();
	test_unicast_tag_push_pop();
	test_mtu();
	test_malformed();
	test_port_state();
	test_static_entries();
	test_flush_and_reconfig();
	test_no_buffer_and_batching();
	test_psec_modes();
	test_psec_shutdown_recovery();
	test_psec_sticky_and_configured();
	test_psec_lower_maximum();
	test_fdb_flood_limit();
	test_gso_flood();
	test_gso_tag_push_pop();
	test_csum_completion();
	test_gso_mtu();
	test_gso_bad_metadata();
	printf("switch_test: %d failures\n", failures);
	return failures != 0;
}
