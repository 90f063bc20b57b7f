/*
 * DOC: fuzz target for the offload path (vnet.c, gso.c, switch egress)
 *
 * Input: a 12-byte virtio-net header as a TAP would hand it over, one
 * selector byte, then the frame.  The selector picks the MTU of the two
 * egress ports (bits 0-1: 1500, 9000, 576, 68), the segment size of the
 * direct segmentation check (bits 2-4) and whether the ingress port is a
 * trunk (bit 5, so tagged frames get their tag popped on the way out).
 *
 * Two checks per input:
 *  1. Direct: the header is decoded (vnet_to_offload()), checked against
 *     the frame (gso_check()), a copy gets its partial checksum completed
 *     (gso_csum_complete()), and if the frame parses (gso_parse()) it is
 *     cut into segments, each of which must parse again, fit its segment
 *     size, and carry IPv4 and TCP/UDP checksums that verify: they are
 *     computed from scratch, whatever the input said.
 *  2. Through the switch: the frame with its metadata enters sw_input()
 *     and floods to a port with every offload and one with none.  What the
 *     plain port gets must be plain (no GSO, no partial checksum) and fit
 *     its MTU; what the offloading port gets must pass gso_check() and have
 *     segments that fit its MTU.  Every packet must be back in the pool.
 * ASan/UBSan catch any read or write outside a buffer on the way.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "dp/frame.h"
#include "dp/gso.h"
#include "dp/switch.h"
#include "dp/vnet.h"
#include "lib/csum.h"

#define FUZZ_POOL	256

static struct sw *sw;
static struct pkt_pool *pool;
static struct port ports[3];
static struct sw_port_config cfgs[3];
static uint8_t seg[PKT_BUF_SIZE], copy[PKT_BUF_SIZE];

/* L3 bytes of a frame as the switch counts them. */
static uint32_t fuzz_payload(const struct pkt *p)
{
	struct frame f;

	frame_parse(p->data, p->len, &f);
	return p->len - FRAME_ETH_HLEN - (f.vlan_tagged ? FRAME_TAG_LEN : 0);
}

static void fuzz_send(struct port *port, struct pkt **pkts, int n)
{
	uint32_t mtu = (uint32_t)cfgs[port - ports].mtu;
	struct gso_layout lay;

	for (int i = 0; i < n; i++) {
		struct pkt *p = pkts[i];

		if (p->data < p->buf || p->data + p->len > p->buf + sizeof(p->buf))
			__builtin_trap();
		if (!port->offloads && (p->off.gso_type ||
					(p->off.flags & PKT_OFF_NEEDS_CSUM)))
			__builtin_trap();
		if (p->off.gso_type) {
			if (gso_check(p->data, p->len, &p->off, &lay) < 0 ||
			    gso_seg_l3_size(&lay, p->off.gso_size) > mtu)
				__builtin_trap();
		} else if (fuzz_payload(p) > mtu) {
			__builtin_trap();
		}
		pkt_free(p);
	}
}

static const struct port_class fuzz_class = {
	.type = PORT_TYPE_DUMMY,
	.send_batch = fuzz_send,
};

static void fuzz_init(void)
{
	log_set_level(LOG_LVL_CRIT);
	sw = sw_create(64);
	pool = pkt_pool_create(FUZZ_POOL);
	if (!sw || !pool)
		abort();
	for (int i = 0; i < 3; i++) {
		ports[i].class = &fuzz_class;
		ports[i].fd = -1;
		ports[i].name[0] = 'g';
		sw_port_config_init(&cfgs[i]);
		cfgs[i].mtu = 9216;
		ports[i].mtu = cfgs[i].mtu;
		if (sw_port_add(sw, &ports[i], &cfgs[i]) != i)
			abort();
	}
	ports[0].offloads = ports[1].offloads = PORT_OFF_CSUM | PORT_OFF_TSO4 |
		PORT_OFF_TSO6 | PORT_OFF_TSO_ECN | PORT_OFF_USO;
}

/* True if segment s[0..len) carries IPv4 and L4 checksums that verify. */
static bool fuzz_segment_valid(const uint8_t *s, size_t len, uint32_t mss)
{
	struct gso_layout lay;
	const uint8_t *ip;
	uint32_t l4_size, sum;

	if (gso_parse(s, len, &lay) < 0 || lay.end != len ||
	    lay.end - lay.hdr_size > mss)
		return false;
	ip = s + lay.l3_off;
	l4_size = lay.end - lay.l4_off;
	sum = csum_add16(csum_add32(0, l4_size), lay.l4_proto);
	sum = lay.ipv6 ? csum_add(sum, ip + 8, 32) : csum_add(sum, ip + 12, 8);
	if (csum_reduce(csum_add(sum, s + lay.l4_off, l4_size)) != 0xffff)
		return false;
	return lay.ipv6 ||
	       csum_reduce(csum_add(0, ip, lay.l4_off - lay.l3_off)) == 0xffff;
}

/* Check 1: decode, check, complete and segment directly. */
static void fuzz_direct(const struct vnet_hdr *h, const uint8_t *frame,
			size_t len, uint32_t mss)
{
	struct pkt_offload off;
	struct gso_layout lay;
	struct gso_iter it;
	int size;

	if (vnet_to_offload(h, &off) == 0 && gso_check(frame, len, &off, &lay) == 0) {
		memcpy(copy, frame, len);
		if (gso_csum_complete(copy, len, &off) < 0)
			__builtin_trap();	/* gso_check() vouched for it */
	}
	if (gso_parse(frame, len, &lay) < 0 || gso_iter_init(&it, frame, &lay, mss) < 0)
		return;
	while ((size = gso_iter_next(&it, seg, sizeof(seg))) > 0)
		if (!fuzz_segment_valid(seg, (size_t)size, mss))
			__builtin_trap();
	if (size < 0 || it.index != it.count)
		__builtin_trap();
}

/* Check 2: through the switch from port 2 to ports 0 (offloads) and 1. */
static void fuzz_switch(const struct vnet_hdr *h, const uint8_t *frame,
			size_t len, uint8_t sel)
{
	static const int mtus[4] = { 1500, 9000, 576, 68 };
	struct pkt *p;

	for (int i = 0; i < 2; i++) {
		cfgs[i].mtu = mtus[sel & 3];
		sw_port_set_config(sw, i, &cfgs[i]);
	}
	cfgs[2].mode = sel & 0x20 ? SW_MODE_TRUNK : SW_MODE_ACCESS;
	sw_port_set_config(sw, 2, &cfgs[2]);
	p = pkt_alloc(pool);
	if (!p)
		__builtin_trap();
	if (vnet_to_offload(h, &p->off) < 0 || len > pkt_tailroom(p)) {
		pkt_free(p);
		return;
	}
	memcpy(p->data, frame, len);
	p->len = (uint32_t)len;
	sw_fdb_flush(sw, 0, -1);	/* always flood: both egress ports */
	sw_input(sw, 2, &p, 1, pool, 1);
	if (pkt_pool_available(pool) != FUZZ_POOL)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t msses[8] = { 1448, 64, 8, 536, 1428, 8948, 65535, 100 };
	struct vnet_hdr h;
	uint8_t sel;

	if (!sw)
		fuzz_init();
	if (size < sizeof(h) + 1)
		return 0;
	memcpy(&h, data, sizeof(h));
	sel = data[sizeof(h)];
	data += sizeof(h) + 1;
	size -= sizeof(h) + 1;
	if (size > PKT_SUPER_MAX)
		size = PKT_SUPER_MAX;
	fuzz_direct(&h, data, size, msses[sel >> 2 & 7]);
	fuzz_switch(&h, data, size, sel);
	return 0;
}
