/*
 * DOC: packet buffers
 *
 * A struct pkt is one Ethernet frame in a fixed-size buffer taken from a
 * preallocated pool (no malloc on the fast path; passt and OVS dp-packet in
 * spirit).  The frame starts at 'data' and is 'len' bytes long; there is
 * PKT_HEADROOM bytes of room in front of the first byte received so an
 * 802.1Q tag can be pushed without a copy.
 *
 * Ownership: a packet is owned by exactly one party at a time.  Functions
 * that take a packet say whether they borrow it or consume it; whoever
 * consumes a packet must eventually pkt_free() it (or hand it on).
 *
 * Pools are single-threaded: each dataplane worker owns one pool and only
 * that worker allocates from and frees to it.  The control thread has its
 * own pool for packets it originates.
 *
 * Super-frames.  A TAP port with a virtio-net header (port-tap.c) receives
 * TCP/UDP "super-frames" of up to 64 KiB that the kernel did not segment
 * (TSO/USO), and frames whose L4 checksum is left partial.  struct pkt
 * carries that metadata ('off', struct pkt_offload, the meaning of
 * struct virtio_net_hdr in host byte order) through the switch unchanged,
 * so a super-frame crosses okapid as one packet; an egress port that
 * cannot take it gets software help (gso.c).  A buffer therefore holds
 * PKT_SUPER_MAX bytes behind the headroom.  That costs address space, not
 * memory: pools are mmap()ed and touched lazily, a 1500-byte frame only
 * dirties the first page of its buffer, and the LIFO free list keeps
 * reusing the same few (already resident) buffers.
 */
#ifndef OKAPI_PKT_H
#define OKAPI_PKT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PKT_HEADROOM	128
#define PKT_FRAME_MAX	(9216 + 18 + 4)	/* jumbo MTU + Ethernet + one tag */
/* Largest frame: a 65535-byte IP super-frame + Ethernet + two tags. */
#define PKT_SUPER_MAX	(65535 + 14 + 2 * 4)
/* The buffer makes struct pkt exactly 17 pages (64 KiB + 4 KiB) with its
 * 48 bytes of fields (asserted in pkt.c), so every packet in a pool starts
 * on a page and a small frame dirties one page only. */
#define PKT_SIZE	(17 * 4096)
#define PKT_BUF_SIZE	(PKT_SIZE - 48)
#define PKT_BURST	32		/* packets moved per rx/tx call */

_Static_assert(PKT_BUF_SIZE >= PKT_HEADROOM + PKT_SUPER_MAX + 4,
	       "a buffer holds a super-frame and a pushed tag");

struct pkt_pool;

/* GSO types (virtio-net VIRTIO_NET_HDR_GSO_*, without the ECN bit). */
enum pkt_gso {
	PKT_GSO_NONE = 0,	/* an ordinary frame */
	PKT_GSO_TCPV4,		/* TCP over IPv4, cut at gso_size */
	PKT_GSO_TCPV6,		/* TCP over IPv6 */
	PKT_GSO_UDP_L4,		/* UDP (v4 or v6) datagrams of gso_size */
};

/* Offload flags (virtio-net VIRTIO_NET_HDR_F_* and the GSO ECN bit). */
enum pkt_off_flags {
	PKT_OFF_NEEDS_CSUM = 1 << 0,	/* L4 checksum partial (see below) */
	PKT_OFF_DATA_VALID = 1 << 1,	/* checksums verified by the sender */
	PKT_OFF_GSO_ECN    = 1 << 2,	/* TCP CWR may be set (GSO only) */
};

/* Offload metadata; all zero for a plain, fully checksummed frame.
 * Offsets count from the first byte of the frame (pkt->data), so whoever
 * moves the start of the frame (tag push/pop) moves them too
 * (pkt_offload_shift()).  NEEDS_CSUM: the 16-bit field at csum_start +
 * csum_offset holds the pseudo-header sum and the ones'-complement sum of
 * bytes [csum_start, len) remains to be folded into it. */
struct pkt_offload {
	uint8_t flags;		/* enum pkt_off_flags */
	uint8_t gso_type;	/* enum pkt_gso */
	uint16_t gso_size;	/* L4 payload bytes per segment (GSO) */
	uint16_t hdr_len;	/* a hint: bytes of headers; 0 if unknown */
	uint16_t csum_start;	/* NEEDS_CSUM: first byte summed (L4 hdr) */
	uint16_t csum_offset;	/* NEEDS_CSUM: checksum field, from start */
};

struct pkt {
	uint8_t *data;		/* first byte of the frame, inside buf */
	uint32_t len;		/* frame length in bytes */
	uint16_t in_port;	/* index of the ingress port (switch slot) */
	uint16_t vlan;		/* VLAN the switch classified the frame into */
	struct pkt_offload off;	/* TSO/checksum metadata; zero: none */
	struct pkt_pool *pool;	/* pool the buffer returns to */
	struct pkt *next;	/* free list / queue link */
	uint8_t buf[PKT_BUF_SIZE];
};

/* Creates a pool of 'count' packets.  Returns NULL on ENOMEM.  The memory is
 * mmap()ed and only touched when used, so a large count costs address space,
 * not RSS. */
struct pkt_pool *pkt_pool_create(unsigned count);
/* Frees the pool; all its packets must have been returned.  NULL is fine. */
void pkt_pool_destroy(struct pkt_pool *pool);
unsigned pkt_pool_available(const struct pkt_pool *pool);

/* Returns a packet with data = buf + PKT_HEADROOM and len = 0, or NULL when
 * the pool is empty (the caller counts a drop). */
struct pkt *pkt_alloc(struct pkt_pool *pool);
/* Returns the packet to its pool.  NULL is fine. */
void pkt_free(struct pkt *p);

/* Copies 'p' (its len bytes of data and the metadata) into a new packet
 * from 'pool' with the same headroom layout.  Borrows p.  Returns NULL if
 * the pool is empty. */
struct pkt *pkt_clone(struct pkt_pool *pool, const struct pkt *p);

/* Bytes available in front of / after the frame. */
static inline size_t pkt_headroom(const struct pkt *p)
{
	return (size_t)(p->data - p->buf);
}

static inline size_t pkt_tailroom(const struct pkt *p)
{
	return sizeof(p->buf) - pkt_headroom(p) - p->len;
}

/* Resets the packet to an empty frame at the standard headroom. */
static inline void pkt_reset(struct pkt *p)
{
	p->data = p->buf + PKT_HEADROOM;
	p->len = 0;
	p->vlan = 0;
	memset(&p->off, 0, sizeof(p->off));
}

/* Keeps the offload offsets pointing at the same bytes after the start of
 * the frame moved by 'delta' bytes towards its end (negative: a tag was
 * pushed in front, +4: a tag was popped).  hdr_len is only a hint; it
 * stays within the frame. */
static inline void pkt_offload_shift(struct pkt *p, int delta)
{
	if (p->off.flags & PKT_OFF_NEEDS_CSUM)
		p->off.csum_start = (uint16_t)(p->off.csum_start - delta);
	if (p->off.hdr_len)
		p->off.hdr_len = (uint16_t)(p->off.hdr_len > delta ?
					    p->off.hdr_len - delta : 0);
}

#endif
