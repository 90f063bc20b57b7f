/*
 * DOC: packet pools
 *
 * A pool is one anonymous mmap() holding 'count' struct pkt back to back,
 * preceded by nothing: the pool header is a separate small allocation so
 * the packet array stays page aligned.  Free packets form a LIFO list
 * through pkt->next, so the buffer freed last (still warm in the cache) is
 * the next one handed out.
 *
 * Pages are touched lazily: packets that were never handed out are not on
 * the free list but above a high-water mark ('fresh'), so creating a pool of
 * thousands of 68 KiB buffers costs address space, and RSS grows only with
 * the number of packets ever in flight at once, and within each buffer only
 * with the largest frame it ever held.
 *
 * Not thread-safe by design (pkt.h): each pool has a single owner thread.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "core/pkt.h"

_Static_assert(sizeof(struct pkt) == PKT_SIZE,
	       "struct pkt fills its pages exactly (see PKT_BUF_SIZE)");

struct pkt_pool {
	struct pkt *pkts;	/* the mmap()ed array */
	size_t map_size;	/* bytes mapped */
	unsigned count;		/* packets in the array */
	unsigned fresh;		/* pkts[fresh..count) never handed out */
	unsigned available;	/* free list length + (count - fresh) */
	struct pkt *free_list;	/* LIFO through pkt->next */
};

struct pkt_pool *pkt_pool_create(unsigned count)
{
	struct pkt_pool *pool;
	void *mem;

	if (count == 0) {
		errno = EINVAL;
		return NULL;
	}
	pool = calloc(1, sizeof(*pool));
	if (!pool)
		return NULL;
	pool->map_size = (size_t)count * sizeof(struct pkt);
	mem = mmap(NULL, pool->map_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		free(pool);
		errno = ENOMEM;
		return NULL;
	}
	/* With transparent huge pages set to "always", the first byte written
	 * into a buffer would fault in 2 MiB: 30 buffers' worth of memory for
	 * one 60-byte frame.  Small pages keep RSS = bytes actually used. */
	madvise(mem, pool->map_size, MADV_NOHUGEPAGE);
	pool->pkts = mem;
	pool->count = count;
	pool->available = count;
	return pool;
}

void pkt_pool_destroy(struct pkt_pool *pool)
{
	if (!pool)
		return;
	munmap(pool->pkts, pool->map_size);
	free(pool);
}

unsigned pkt_pool_available(const struct pkt_pool *pool)
{
	return pool->available;
}

struct pkt *pkt_alloc(struct pkt_pool *pool)
{
	struct pkt *p;

	if (pool->free_list) {
		p = pool->free_list;
		pool->free_list = p->next;
	} else if (pool->fresh < pool->count) {
		p = &pool->pkts[pool->fresh++];
	} else {
		return NULL;
	}
	pool->available--;
	p->pool = pool;
	p->next = NULL;
	p->in_port = 0;
	pkt_reset(p);
	return p;
}

void pkt_free(struct pkt *p)
{
	struct pkt_pool *pool;

	if (!p)
		return;
	pool = p->pool;
	p->next = pool->free_list;
	pool->free_list = p;
	pool->available++;
}

struct pkt *pkt_clone(struct pkt_pool *pool, const struct pkt *p)
{
	struct pkt *q = pkt_alloc(pool);

	if (!q)
		return NULL;
	q->data = q->buf + pkt_headroom(p);
	q->len = p->len;
	q->in_port = p->in_port;
	q->vlan = p->vlan;
	q->off = p->off;
	memcpy(q->data, p->data, p->len);
	return q;
}
