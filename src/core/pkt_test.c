/*
 * DOC: packet pool unit test
 *
 * Exhausts a pool, checks LIFO reuse, clone layout and metadata, and that
 * every packet comes back.
 */
#include <stdio.h>
#include <string.h>

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
	pkt_free(p);
	p = pkt_alloc(pool);
	CHECK(pkt_headroom(p) == PKT_HEADROOM && p->len == 0);
	CHECK(p->vlan == 0 && p->in_port == 0 && p->next == NULL);
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
	q = pkt_clone(b, p);
	CHECK(q != NULL);
	CHECK(q->pool == b);
	CHECK(pkt_headroom(q) == pkt_headroom(p));
	CHECK(q->len == p->len && memcmp(q->data, p->data, p->len) == 0);
	CHECK(q->vlan == 42 && q->in_port == 5);
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
	/* 16k packets is ~270 MB of address space; creating it must not
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

int main(void)
{
	test_exhaust();
	test_reset_on_alloc();
	test_clone();
	test_large_pool_is_lazy();
	printf("pkt_test: %d failures\n", failures);
	return failures != 0;
}
