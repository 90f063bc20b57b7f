/*
 * DOC: packet pool unit test
 *
 * Exhausts a pool, checks LIFO reuse, clone layout and metadata, and that
 * every packet comes back.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "unit/check.h"
#include "core/pkt.h"


static void test_exhaust(void)
{
	enum { N = 8 };
	struct pkt_pool *pool = pkt_pool_create(N);
	struct pkt *p[N];

	CHECK(pool != NULL);
	CHECK(pkt_pool_available(pool) == N);
	for (int i = 0; i < N; i++) {
		p[i] = pkt_alloc(pool);
		CHECK(p[i] != NULL);
		CHECK(p[i]->len == 0);
		CHECK(pkt_headroom(p[i]) == PKT_HEADROOM);
		CHECK(p[i]->pool == pool);
		for (int j = 0; j < i; j++)
			CHECK(p[i] != p[j]);
	}
	CHECK(pkt_alloc(pool) == NULL);
	CHECK(pkt_pool_available(pool) == 0);
	/* LIFO: the packet freed last is handed out first. */
	pkt_free(p[3]);
	pkt_free(p[5]);
	CHECK(pkt_pool_available(pool) == 2);
	CHECK(pkt_alloc(pool) == p[5]);
	CHECK(pkt_alloc(pool) == p[3]);
	for (int i = 0; i < N; i++)
		pkt_free(p[i]);
	pkt_free(NULL);
	CHECK(pkt_pool_available(pool) == N);
	pkt_pool_destroy(pool);
	pkt_pool_destroy(NULL);
}

static void test_reset_on_alloc(void)
{
	struct pkt_pool *pool = pkt_pool_create(1);
	struct pkt *p = pkt_alloc(pool);

	p->data += 10;
	p->len = 99;
	p->vlan = 7;
	p->in_port = 3;
	p->off.gso_type = PKT_GSO_TCPV4;
	p->off.flags = PKT_OFF_NEEDS_CSUM;
	pkt_free(p);
	p = pkt_alloc(pool);
	CHECK(pkt_headroom(p) == PKT_HEADROOM && p->len == 0);
	CHECK(p->vlan == 0 && p->in_port == 0 && p->next == NULL);
	CHECK(p->off.gso_type == PKT_GSO_NONE && p->off.flags == 0);
	CHECK(pkt_tailroom(p) == PKT_BUF_SIZE - PKT_HEADROOM);
	pkt_free(p);
	pkt_pool_destroy(pool);
}

static void test_clone(void)
{
	struct pkt_pool *a = pkt_pool_create(2), *b = pkt_pool_create(1);
	struct pkt *p = pkt_alloc(a), *q, *r;

	p->data -= 4;		/* a pushed tag moved the start */
	p->len = PKT_FRAME_MAX;
	for (uint32_t i = 0; i < p->len; i++)
		p->data[i] = (uint8_t)(i * 7);
	p->vlan = 42;
	p->in_port = 5;
	p->off = (struct pkt_offload){ PKT_OFF_NEEDS_CSUM, PKT_GSO_TCPV4,
				       1448, 66, 38, 16 };
	q = pkt_clone(b, p);
	CHECK(q != NULL);
	CHECK(q->pool == b);
	CHECK(pkt_headroom(q) == pkt_headroom(p));
	CHECK(q->len == p->len && memcmp(q->data, p->data, p->len) == 0);
	CHECK(q->vlan == 42 && q->in_port == 5);
	CHECK(memcmp(&q->off, &p->off, sizeof(p->off)) == 0);
	CHECK(pkt_clone(b, p) == NULL);	/* b is empty now */
	r = pkt_clone(a, p);
	CHECK(r != NULL && r->pool == a && r != p);
	pkt_free(q);
	pkt_free(r);
	pkt_free(p);
	CHECK(pkt_pool_available(a) == 2 && pkt_pool_available(b) == 1);
	pkt_pool_destroy(a);
	pkt_pool_destroy(b);
}

static void test_large_pool_is_lazy(void)
{
	/* 16k packets is ~1.1 GB of address space; creating it must not
	 * touch the memory, and using a few packets must work. */
	struct pkt_pool *pool = pkt_pool_create(16384);
	struct pkt *p;

	CHECK(pool != NULL);
	if (!pool)
		return;
	p = pkt_alloc(pool);
	CHECK(p != NULL);
	CHECK(pkt_pool_available(pool) == 16383);
	pkt_free(p);
	pkt_pool_destroy(pool);
	CHECK(pkt_pool_create(0) == NULL);
}

/* Pages of 'p' that are resident (mincore). */
static unsigned resident_pages(const struct pkt *p)
{
	unsigned char vec[PKT_SIZE / 4096];
	unsigned n = 0;

	if (mincore((void *)(uintptr_t)p, PKT_SIZE, vec) < 0)
		return ~0u;
	for (size_t i = 0; i < sizeof(vec); i++)
		n += vec[i] & 1;
	return n;
}

/* A 64 KiB buffer costs memory only for the bytes used: a 1514-byte frame
 * and its flood copy each dirty one page, so RSS does not grow with
 * PKT_BUF_SIZE; and a clone copies len bytes, not the buffer. */
static void test_small_frames_stay_small(void)
{
	struct pkt_pool *pool = pkt_pool_create(4);
	struct pkt *p = pkt_alloc(pool), *q;

	CHECK((uintptr_t)p % 4096 == 0);
	memset(p->data, 0x5a, 1514);
	p->len = 1514;
	q = pkt_clone(pool, p);
	CHECK(q != NULL && (uintptr_t)q % 4096 == 0);
	CHECK(resident_pages(p) == 1);
	CHECK(resident_pages(q) == 1);
	CHECK(q->data[1513] == 0x5a && q->data[1514] == 0);
	pkt_free(q);
	pkt_free(p);
	pkt_pool_destroy(pool);
}

/* Tag push (-4) and pop (+4) keep csum_start and hdr_len on their bytes. */
static void test_offload_shift(void)
{
	struct pkt_pool *pool = pkt_pool_create(1);
	struct pkt *p = pkt_alloc(pool);

	p->off = (struct pkt_offload){ PKT_OFF_NEEDS_CSUM, PKT_GSO_TCPV6,
				       1428, 86, 54, 16 };
	pkt_offload_shift(p, -4);
	CHECK(p->off.csum_start == 58 && p->off.hdr_len == 90);
	pkt_offload_shift(p, 4);
	CHECK(p->off.csum_start == 54 && p->off.hdr_len == 86);
	CHECK(p->off.csum_offset == 16 && p->off.gso_size == 1428);
	/* Without NEEDS_CSUM csum_start means nothing and stays; a zero
	 * hdr_len ("unknown") stays zero. */
	p->off = (struct pkt_offload){ .csum_start = 7 };
	pkt_offload_shift(p, 4);
	CHECK(p->off.csum_start == 7 && p->off.hdr_len == 0);
	pkt_free(p);
	pkt_pool_destroy(pool);
}

int main(void)
{
	test_exhaust();
	test_reset_on_alloc();
	test_clone();
	test_large_pool_is_lazy();
	test_small_frames_stay_small();
	test_offload_shift();
	printf("pkt_test: %d failures\n", failures);
	return failures != 0;
}
