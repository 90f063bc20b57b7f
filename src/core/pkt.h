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
 */
#ifndef OKAPI_PKT_H
#define OKAPI_PKT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PKT_HEADROOM	128
#define PKT_FRAME_MAX	(9216 + 18 + 4)	/* jumbo MTU + Ethernet + one tag */
#define PKT_BUF_SIZE	(PKT_HEADROOM + 16384)
#define PKT_BURST	32		/* packets moved per rx/tx call */

struct pkt_pool;

struct pkt {
	uint8_t *data;		/* first byte of the frame, inside buf */
	uint32_t len;		/* frame length in bytes */
	uint16_t in_port;	/* index of the ingress port (switch slot) */
	uint16_t vlan;		/* VLAN the switch classified the frame into */
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

/* Copies 'p' (data and metadata) into a new packet from 'pool' with the same
 * headroom layout.  Borrows p.  Returns NULL if the pool is empty. */
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
}

#endif
