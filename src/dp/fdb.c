/*
 * DOC: the MAC table
 *
 * Open addressing with linear probing over a power-of-two array of 16-byte
 * cells; see fdb.h for the layout, the bound and why the hash is seeded.
 * Per-slot counters (all entries, secure entries) are kept up to date on
 * every insert, update and removal so port security can test "count <
 * maximum" in O(1), and a flush for a slot with no entries costs nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dp/fdb.h"

struct fdb_slot_count {
	unsigned entries;
	unsigned secure;
};

struct fdb {
	struct fdb_entry *cells;	/* mask + 1 cells */
	size_t mask;
	size_t count;
	unsigned max;
	unsigned n_slots;
	uint64_t seed;
	struct fdb_slot_count *slots;	/* n_slots counters */
};

/* splitmix64's finaliser over the seeded key: every key bit reaches every
 * hash bit, and without the seed the probe position cannot be predicted. */
static size_t fdb_hash(const struct fdb *fdb, uint64_t key)
{
	uint64_t x = key ^ fdb->seed;

	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return (size_t)x & fdb->mask;
}

/* Cells for a bound: a power of two >= 2 * max, at least 16. */
static size_t fdb_cells_for(unsigned max)
{
	size_t n = 16;

	while (n < (size_t)max * 2)
		n <<= 1;
	return n;
}

static void fdb_count_add(struct fdb *fdb, const struct fdb_entry *e, int d)
{
	struct fdb_slot_count *c = &fdb->slots[e->slot];

	c->entries += (unsigned)d;
	if (e->flags & FDB_F_SECURE)
		c->secure += (unsigned)d;
}

struct fdb *fdb_create(unsigned max, unsigned n_slots, uint64_t seed)
{
	struct fdb *fdb;

	if (max == 0 || max > FDB_MAX_LIMIT || n_slots == 0 ||
	    n_slots > UINT16_MAX + 1u) {
		errno = EINVAL;
		return NULL;
	}
	fdb = calloc(1, sizeof(*fdb));
	if (!fdb)
		return NULL;
	fdb->mask = fdb_cells_for(max) - 1;
	fdb->cells = calloc(fdb->mask + 1, sizeof(*fdb->cells));
	fdb->slots = calloc(n_slots, sizeof(*fdb->slots));
	if (!fdb->cells || !fdb->slots) {
		fdb_destroy(fdb);
		errno = ENOMEM;
		return NULL;
	}
	fdb->max = max;
	fdb->n_slots = n_slots;
	fdb->seed = seed;
	return fdb;
}

void fdb_destroy(struct fdb *fdb)
{
	if (!fdb)
		return;
	free(fdb->cells);
	free(fdb->slots);
	free(fdb);
}

/* Places an entry whose key is known to be absent; the table has room. */
static struct fdb_entry *fdb_place(struct fdb *fdb,
				   const struct fdb_entry *src)
{
	size_t i = fdb_hash(fdb, src->key);

	while (fdb->cells[i].key)
		i = (i + 1) & fdb->mask;
	fdb->cells[i] = *src;
	return &fdb->cells[i];
}

int fdb_set_max(struct fdb *fdb, unsigned max)
{
	struct fdb_entry *old = fdb->cells;
	size_t old_cells = fdb->mask + 1;
	size_t cells;

	if (max == 0 || max > FDB_MAX_LIMIT)
		return -EINVAL;
	/* Keep room for what is stored if the bound shrinks below it. */
	cells = fdb_cells_for(max > fdb->count ? max : (unsigned)fdb->count);
	if (cells != old_cells) {
		struct fdb_entry *nc = calloc(cells, sizeof(*nc));

		if (!nc)
			return -ENOMEM;
		fdb->cells = nc;
		fdb->mask = cells - 1;
		for (size_t i = 0; i < old_cells; i++)
			if (old[i].key)
				fdb_place(fdb, &old[i]);
		free(old);
	}
	fdb->max = max;
	return 0;
}

unsigned fdb_max(const struct fdb *fdb)
{
	return fdb->max;
}

size_t fdb_count(const struct fdb *fdb)
{
	return fdb->count;
}

unsigned fdb_slot_secure(const struct fdb *fdb, unsigned slot)
{
	return slot < fdb->n_slots ? fdb->slots[slot].secure : 0;
}

unsigned fdb_slot_entries(const struct fdb *fdb, unsigned slot)
{
	return slot < fdb->n_slots ? fdb->slots[slot].entries : 0;
}

struct fdb_entry *fdb_lookup(struct fdb *fdb, uint64_t key)
{
	size_t i = fdb_hash(fdb, key);

	if (!key)
		return NULL;
	for (;;) {
		struct fdb_entry *e = &fdb->cells[i];

		if (e->key == key)
			return e;
		if (!e->key)
			return NULL;
		i = (i + 1) & fdb->mask;
	}
}

struct fdb_entry *fdb_insert(struct fdb *fdb, uint64_t key, unsigned slot,
			     enum fdb_type type, unsigned flags,
			     uint32_t now)
{
	struct fdb_entry e = {
		.key = key, .seen = now, .slot = (uint16_t)slot,
		.type = (uint8_t)type, .flags = (uint8_t)flags,
	};
	struct fdb_entry *placed;

	if (fdb->count >= fdb->max || !fdb_key_vlan(key) ||
	    slot >= fdb->n_slots)
		return NULL;
	placed = fdb_place(fdb, &e);
	fdb->count++;
	fdb_count_add(fdb, placed, 1);
	return placed;
}

void fdb_update(struct fdb *fdb, struct fdb_entry *e, unsigned slot,
		enum fdb_type type, unsigned flags)
{
	if (slot >= fdb->n_slots)
		return;
	fdb_count_add(fdb, e, -1);
	e->slot = (uint16_t)slot;
	e->type = (uint8_t)type;
	e->flags = (uint8_t)flags;
	fdb_count_add(fdb, e, 1);
}

/* True if the cell at 'home' does not lie cyclically in (hole, j], i.e. the
 * entry at j may move back into the hole without becoming unreachable. */
static bool fdb_may_fill(size_t hole, size_t j, size_t home)
{
	if (hole <= j)
		return home <= hole || home > j;
	return home <= hole && home > j;
}

void fdb_remove(struct fdb *fdb, struct fdb_entry *e)
{
	size_t hole = (size_t)(e - fdb->cells);
	size_t j = hole;

	fdb_count_add(fdb, e, -1);
	fdb->count--;
	fdb->cells[hole].key = 0;
	for (;;) {
		j = (j + 1) & fdb->mask;
		if (!fdb->cells[j].key)
			return;
		if (fdb_may_fill(hole, j, fdb_hash(fdb, fdb->cells[j].key))) {
			fdb->cells[hole] = fdb->cells[j];
			fdb->cells[j].key = 0;
			hole = j;
		}
	}
}

/* Removal shifts a later entry into the current cell, so the scan stays on
 * a cell after removing from it.  An entry shifted from the start of the
 * table into its end (a wrapped cluster) may be visited twice; match() is
 * a pure predicate, so that is harmless, and no entry is ever skipped. */
size_t fdb_flush(struct fdb *fdb,
		 bool (*match)(const struct fdb_entry *e, void *arg),
		 void *arg)
{
	size_t removed = 0;

	for (size_t i = 0; i <= fdb->mask;) {
		struct fdb_entry *e = &fdb->cells[i];

		if (e->key && match(e, arg)) {
			fdb_remove(fdb, e);
			removed++;
		} else {
			i++;
		}
	}
	return removed;
}

struct fdb_age_arg {
	uint32_t now;
	unsigned aging;
};

static bool fdb_age_match(const struct fdb_entry *e, void *arg)
{
	const struct fdb_age_arg *a = arg;

	return e->type == FDB_DYNAMIC && (uint32_t)(a->now - e->seen) > a->aging;
}

size_t fdb_age(struct fdb *fdb, uint32_t now, unsigned aging)
{
	struct fdb_age_arg a = { .now = now, .aging = aging };

	if (!aging || !fdb->count)
		return 0;
	return fdb_flush(fdb, fdb_age_match, &a);
}

void fdb_foreach(const struct fdb *fdb,
		 void (*fn)(const struct fdb_entry *e, void *arg), void *arg)
{
	for (size_t i = 0; i <= fdb->mask; i++)
		if (fdb->cells[i].key)
			fn(&fdb->cells[i], arg);
}

static int fdb_cmp(const void *a, const void *b)
{
	const struct fdb_entry *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

long fdb_snapshot(const struct fdb *fdb, struct fdb_entry **entries)
{
	struct fdb_entry *out;
	size_t n = 0;

	*entries = NULL;
	if (!fdb->count)
		return 0;
	out = malloc(fdb->count * sizeof(*out));
	if (!out)
		return -ENOMEM;
	for (size_t i = 0; i <= fdb->mask; i++)
		if (fdb->cells[i].key)
			out[n++] = fdb->cells[i];
	qsort(out, n, sizeof(*out), fdb_cmp);
	*entries = out;
	return (long)n;
}
