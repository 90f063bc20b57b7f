/*
 * DOC: MAC table unit test
 *
 * Checks the table against a plain reference model under random churn
 * (which exercises backward-shift deletion in crowded probe runs), the
 * bound under a flood of random MACs, per-slot counters, aging, flushing,
 * resizing and the sorted snapshot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/check.h"
#include "dp/fdb.h"


/* xorshift64*: reproducible pseudo-random keys. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t random_key(unsigned vlans)
{
	uint8_t mac[6];
	uint64_t r = rng();

	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(r >> (8 * i));
	mac[0] &= 0xfe;
	return fdb_key((uint16_t)(1 + (r >> 48) % vlans), mac);
}

static void test_key_layout(void)
{
	static const struct {
		uint16_t vlan;
		uint8_t mac[6];
		uint64_t key;
	} cases[] = {
		{ 1, { 0, 0, 0, 0, 0, 1 }, 0x0001000000000001ULL },
		{ 4094, { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff }, 0x0ffeaabbccddeeffULL },
		{ 10, { 0x02, 0, 0, 0, 0, 0 }, 0x000a020000000000ULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t mac[6];

		CHECK(fdb_key(cases[i].vlan, cases[i].mac) == cases[i].key);
		CHECK(fdb_key_vlan(cases[i].key) == cases[i].vlan);
		fdb_key_mac(cases[i].key, mac);
		CHECK(memcmp(mac, cases[i].mac, 6) == 0);
	}
}

static void test_basic(void)
{
	static const uint8_t m[6] = { 2, 0, 0, 0, 0, 9 };
	struct fdb *fdb = fdb_create(8, 4, 1);
	struct fdb_entry *e;
	uint64_t k = fdb_key(5, m);

	CHECK(fdb_lookup(fdb, k) == NULL);
	e = fdb_insert(fdb, k, 2, FDB_DYNAMIC, 0, 100);
	CHECK(e && e->slot == 2 && e->seen == 100 && e->type == FDB_DYNAMIC);
	CHECK(fdb_lookup(fdb, k) == e);
	CHECK(fdb_lookup(fdb, fdb_key(6, m)) == NULL);
	CHECK(fdb_count(fdb) == 1 && fdb_slot_entries(fdb, 2) == 1);
	CHECK(fdb_slot_secure(fdb, 2) == 0);
	fdb_update(fdb, e, 3, FDB_SECURE, FDB_F_SECURE);
	CHECK(fdb_slot_entries(fdb, 2) == 0 && fdb_slot_entries(fdb, 3) == 1);
	CHECK(fdb_slot_secure(fdb, 3) == 1);
	/* Invalid inserts: VLAN 0, slot out of range. */
	CHECK(fdb_insert(fdb, fdb_key(0, m), 0, FDB_DYNAMIC, 0, 0) == NULL);
	CHECK(fdb_insert(fdb, fdb_key(7, m), 4, FDB_DYNAMIC, 0, 0) == NULL);
	fdb_remove(fdb, e);
	CHECK(fdb_count(fdb) == 0 && fdb_slot_secure(fdb, 3) == 0);
	CHECK(fdb_lookup(fdb, k) == NULL);
	fdb_destroy(fdb);
	fdb_destroy(NULL);
	CHECK(fdb_create(0, 4, 1) == NULL && errno == EINVAL);
	CHECK(fdb_create(FDB_MAX_LIMIT + 1, 4, 1) == NULL);
}

/* Random inserts and removals on a small, crowded table, checked after
 * every step against a linear list of what must be there. */
static void test_churn_vs_model(void)
{
	enum { MAX = 64, STEPS = 20000 };
	struct fdb *fdb = fdb_create(MAX, 8, 12345);
	uint64_t model[MAX];
	unsigned n = 0;

	for (int step = 0; step < STEPS; step++) {
		bool add = n == 0 || (n < MAX && rng() % 3);

		if (add) {
			/* Few VLANs and a small MAC space force collisions
			 * and re-inserting keys removed earlier. */
			uint64_t k = fdb_key((uint16_t)(1 + rng() % 2),
					     (const uint8_t[6]){ 2, 0, 0, 0,
					     (uint8_t)(rng() % 2),
					     (uint8_t)rng() });
			struct fdb_entry *e = fdb_lookup(fdb, k);
			bool known = false;

			for (unsigned i = 0; i < n; i++)
				known |= model[i] == k;
			CHECK((e != NULL) == known);
			if (!e) {
				CHECK(fdb_insert(fdb, k, (unsigned)(k % 8),
						 FDB_DYNAMIC, 0, 0) != NULL);
				model[n++] = k;
			}
		} else {
			unsigned i = (unsigned)(rng() % n);
			struct fdb_entry *e = fdb_lookup(fdb, model[i]);

			CHECK(e != NULL);
			if (e)
				fdb_remove(fdb, e);
			model[i] = model[--n];
		}
		CHECK(fdb_count(fdb) == n);
		for (unsigned i = 0; i < n; i++) {
			struct fdb_entry *e = fdb_lookup(fdb, model[i]);

			if (!e || e->key != model[i]) {
				CHECK(!"entry lost after churn");
				step = STEPS;
				break;
			}
		}
	}
	fdb_destroy(fdb);
}

/* 100,000 random MACs into the default bound: the count stops at the
 * bound, and entries learned first are still found. */
static void test_flood_bound(void)
{
	enum { MAX = 65536, FLOOD = 100000 };
	static const uint8_t host[6] = { 2, 0, 0, 0, 0, 1 };
	struct fdb *fdb = fdb_create(MAX, 4, rng());
	uint64_t hk = fdb_key(1, host);
	unsigned refused = 0;

	CHECK(fdb_insert(fdb, hk, 1, FDB_DYNAMIC, 0, 0) != NULL);
	for (int i = 0; i < FLOOD; i++) {
		uint64_t k = random_key(1);

		if (fdb_lookup(fdb, k))
			continue;
		if (!fdb_insert(fdb, k, 0, FDB_DYNAMIC, 0, 0))
			refused++;
	}
	CHECK(fdb_count(fdb) == MAX);
	CHECK(refused >= FLOOD - MAX);
	CHECK(fdb_lookup(fdb, hk) && fdb_lookup(fdb, hk)->slot == 1);
	CHECK(fdb_slot_entries(fdb, 0) == MAX - 1);
	fdb_destroy(fdb);
}

static void test_age(void)
{
	static const struct {
		enum fdb_type type;
		uint32_t seen;
		bool survives;	/* at now = 1000, aging 300 */
	} cases[] = {
		{ FDB_DYNAMIC, 1000, true },
		{ FDB_DYNAMIC, 700, true },	/* exactly 300 s: not older */
		{ FDB_DYNAMIC, 699, false },
		{ FDB_DYNAMIC, 0, false },
		{ FDB_STATIC, 0, true },
		{ FDB_SECURE, 0, true },
		{ FDB_STICKY, 0, true },
		{ FDB_DYNAMIC, 4000000000u, false },	/* clock wrapped */
	};
	enum { N = sizeof(cases) / sizeof(cases[0]) };
	struct fdb *fdb = fdb_create(16, 2, 7);
	uint64_t keys[N];

	for (unsigned i = 0; i < N; i++) {
		keys[i] = fdb_key(1, (const uint8_t[6]){ 2, 0, 0, 0, 0,
						       (uint8_t)i });
		fdb_insert(fdb, keys[i], 0, cases[i].type, 0, cases[i].seen);
	}
	CHECK(fdb_age(fdb, 1000, 0) == 0);	/* aging off */
	CHECK(fdb_count(fdb) == N);
	fdb_age(fdb, 1000, 300);
	for (unsigned i = 0; i < N; i++)
		if ((fdb_lookup(fdb, keys[i]) != NULL) != cases[i].survives) {
			fprintf(stderr, "age case %u: wrong\n", i);
			failures++;
		}
	fdb_destroy(fdb);
}

struct vlan_slot {
	uint16_t vlan;
	int slot;
};

static bool match_vlan_slot(const struct fdb_entry *e, void *arg)
{
	const struct vlan_slot *a = arg;

	return (!a->vlan || fdb_key_vlan(e->key) == a->vlan) &&
	       (a->slot < 0 || e->slot == a->slot);
}

static void test_flush(void)
{
	static const struct {
		struct vlan_slot sel;
		size_t removed;
	} cases[] = {
		{ { 10, -1 }, 30 },
		{ { 0, 2 }, 20 },	/* 30 on slot 2, 10 of them gone above */
		{ { 20, 1 }, 10 },
		{ { 0, -1 }, 30 },
	};
	struct fdb *fdb = fdb_create(128, 4, 99);

	/* 3 VLANs x 3 slots x 10 MACs. */
	for (int v = 0; v < 3; v++)
		for (int s = 0; s < 3; s++)
			for (int m = 0; m < 10; m++)
				fdb_insert(fdb, fdb_key((uint16_t)(10 + 10 * v),
					   (const uint8_t[6]){ 2, 0, 0, 0,
					   (uint8_t)s, (uint8_t)m }),
					   (unsigned)s, FDB_DYNAMIC, 0, 0);
	CHECK(fdb_count(fdb) == 90);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vlan_slot sel = cases[i].sel;
		size_t got = fdb_flush(fdb, match_vlan_slot, &sel);

		if (got != cases[i].removed) {
			fprintf(stderr, "flush case %zu: removed %zu, want %zu\n",
				i, got, cases[i].removed);
			failures++;
		}
	}
	CHECK(fdb_count(fdb) == 0);
	CHECK(fdb_slot_entries(fdb, 0) == 0 && fdb_slot_entries(fdb, 1) == 0);
	fdb_destroy(fdb);
}

static void test_resize_and_snapshot(void)
{
	struct fdb *fdb = fdb_create(100, 2, 3);
	struct fdb_entry *snap;
	long n;

	for (int i = 0; i < 100; i++)
		CHECK(fdb_insert(fdb, random_key(50), (unsigned)i % 2,
				 FDB_DYNAMIC, 0, 0) != NULL);
	CHECK(fdb_insert(fdb, random_key(50), 0, FDB_DYNAMIC, 0, 0) == NULL);
	CHECK(fdb_set_max(fdb, 1000) == 0);
	CHECK(fdb_count(fdb) == 100 && fdb_max(fdb) == 1000);
	CHECK(fdb_insert(fdb, random_key(50), 0, FDB_DYNAMIC, 0, 0) != NULL);
	/* Shrinking below the count keeps what is there, learns nothing. */
	CHECK(fdb_set_max(fdb, 10) == 0);
	CHECK(fdb_count(fdb) == 101);
	CHECK(fdb_insert(fdb, random_key(50), 0, FDB_DYNAMIC, 0, 0) == NULL);
	CHECK(fdb_set_max(fdb, 0) == -EINVAL);
	CHECK(fdb_slot_entries(fdb, 0) + fdb_slot_entries(fdb, 1) == 101);

	n = fdb_snapshot(fdb, &snap);
	CHECK(n == 101);
	for (long i = 0; i < n; i++) {
		CHECK(fdb_lookup(fdb, snap[i].key) != NULL);
		if (i && snap[i - 1].key >= snap[i].key) {
			CHECK(!"snapshot not sorted by VLAN then MAC");
			break;
		}
	}
	free(snap);
	fdb_destroy(fdb);
}

int main(void)
{
	test_key_layout();
	test_basic();
	test_churn_vs_model();
	test_flood_bound();
	test_age();
	test_flush();
	test_resize_and_snapshot();
	printf("fdb_test: %d failures\n", failures);
	return failures != 0;
}
