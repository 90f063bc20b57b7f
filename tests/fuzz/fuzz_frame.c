/*
 * DOC: fuzz target for the frame parser and the L2 path
 *
 * Input byte 0 picks the ingress port (bits 0-1, 3 wrapping to 0) and the headroom the frame
 * sits behind (bits 2-3: 0, 2, 4 or the standard PKT_HEADROOM, so tag pushes
 * into a short headroom are exercised); the rest is the frame.  The bytes
 * go through frame_parse() and then sw_input() on a switch with three fake
 * ports (access + port security, trunk, jumbo access in another VLAN) and a
 * small FDB, kept across inputs so learning, full-table and port-security
 * states build up.  Every frame the switch emits is compared byte for byte
 * with what 802.1Q says it must be (fuzz_expected()), and must belong to a
 * VLAN the egress port carries and fit its MTU; a TCP frame too big for
 * the egress MTU comes out cut into segments (switch.c), which must each
 * fit it and be TCP (their bytes are fuzz_gso.c's business).  Every packet must be back
 * in the pool after each input.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "dp/frame.h"
#include "dp/gso.h"
#include "dp/switch.h"

#define FUZZ_PORTS	3
#define FUZZ_POOL	64

static struct sw *sw;
static struct pkt_pool *pool;
static struct port ports[FUZZ_PORTS];
static struct sw_port_config cfgs[FUZZ_PORTS];

/* The frame being switched, as it entered, for the egress oracle. */
static uint8_t in_bytes[PKT_BUF_SIZE];
static size_t in_len;
static struct frame in_f;

/* What the switch must emit on a port with config 'c' for VLAN 'vlan':
 * the ingress frame without its outer C-tag, plus a C-tag (VID = vlan,
 * PCP and DEI from the ingress tag) when the port sends 'vlan' tagged.
 * Inner tags are payload and pass untouched. */
static size_t fuzz_expected(const struct sw_port_config *c, uint16_t vlan,
			    uint8_t *out)
{
	size_t skip = 12 + (in_f.vlan_tagged ? FRAME_TAG_LEN : 0);
	size_t pos = 12;

	memcpy(out, in_bytes, 12);
	if (c->mode == SW_MODE_TRUNK && vlan != c->native_vlan) {
		uint8_t pcp_dei = in_f.vlan_tagged ? in_bytes[14] & 0xf0 : 0;

		out[pos++] = 0x81;
		out[pos++] = 0x00;
		out[pos++] = (uint8_t)(pcp_dei | vlan >> 8);
		out[pos++] = (uint8_t)vlan;
	}
	memcpy(out + pos, in_bytes + skip, in_len - skip);
	return pos + in_len - skip;
}

/* Checks an emitted frame against the oracle and the egress config. */
static void fuzz_check_egress(const struct port *port, const struct pkt *p)
{
	static uint8_t want[PKT_BUF_SIZE];
	const struct sw_port_config *c = &cfgs[port - ports];
	size_t payload = in_len - FRAME_ETH_HLEN -
			 (in_f.vlan_tagged ? FRAME_TAG_LEN : 0);
	bool carried = c->mode == SW_MODE_ACCESS ? p->vlan == c->access_vlan :
		       p->vlan >= 1 && p->vlan <= SW_VLAN_MAX &&
		       (c->allowed[p->vlan / 64] >> (p->vlan % 64) & 1);
	struct gso_layout lay;

	if (!carried)
		__builtin_trap();
	if (p->data < p->buf || p->data + p->len > p->buf + sizeof(p->buf))
		__builtin_trap();
	if (payload > (size_t)c->mtu) {
		if (gso_parse(p->data, p->len, &lay) < 0 ||
		    lay.l4_proto != GSO_IPPROTO_TCP ||
		    lay.end - lay.l3_off > (uint32_t)c->mtu)
			__builtin_trap();
		return;
	}
	if (p->len != fuzz_expected(c, p->vlan, want) ||
	    memcmp(p->data, want, p->len) != 0)
		__builtin_trap();
}

static void fuzz_send(struct port *port, struct pkt **pkts, int n)
{
	for (int i = 0; i < n; i++) {
		fuzz_check_egress(port, pkts[i]);
		port->stats.tx_packets++;
		pkt_free(pkts[i]);
	}
}

static const struct port_class fuzz_class = {
	.type = PORT_TYPE_DUMMY,
	.send_batch = fuzz_send,
};

static void fuzz_init(void)
{
	log_set_level(LOG_LVL_CRIT);	/* violations would flood stderr */
	sw = sw_create(256);
	pool = pkt_pool_create(FUZZ_POOL);
	if (!sw || !pool)
		abort();
	for (int i = 0; i < FUZZ_PORTS; i++) {
		ports[i].class = &fuzz_class;
		ports[i].fd = -1;
		ports[i].name[0] = 'f';
		sw_port_config_init(&cfgs[i]);
	}
	cfgs[0].psec.enabled = true;
	cfgs[0].psec.maximum = 8;
	cfgs[0].psec.sticky = true;
	cfgs[0].psec.violation = SW_VIOLATION_RESTRICT;
	cfgs[1].mode = SW_MODE_TRUNK;
	cfgs[1].native_vlan = 10;
	cfgs[2].access_vlan = 20;
	cfgs[2].mtu = 9216;
	for (int i = 0; i < FUZZ_PORTS; i++) {
		ports[i].mtu = cfgs[i].mtu;
		if (sw_port_add(sw, &ports[i], &cfgs[i]) != i)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t headrooms[4] = { 0, 2, 4, PKT_HEADROOM };
	static uint64_t now = 1;
	struct frame f;
	struct pkt *p;
	size_t len;

	frame_parse(data, size, &f);
	if (!sw)
		fuzz_init();
	if (size < 1)
		return 0;
	p = pkt_alloc(pool);
	p->data = p->buf + headrooms[data[0] >> 2 & 3];
	len = size - 1;
	if (len > pkt_tailroom(p))
		len = pkt_tailroom(p);
	memcpy(p->data, data + 1, len);
	p->len = (uint32_t)len;
	memcpy(in_bytes, data + 1, len);
	in_len = len;
	frame_parse(in_bytes, in_len, &in_f);
	sw_input(sw, (data[0] & 3) % FUZZ_PORTS, &p, 1, pool, now);
	if (++now % 64 == 0)
		sw_fdb_age(sw, now);
	if (pkt_pool_available(pool) != FUZZ_POOL)
		__builtin_trap();	/* a packet leaked or was double-freed */
	return 0;
}
