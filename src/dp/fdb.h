/*
 * DOC: the MAC table (forwarding database)
 *
 * Maps (VLAN, MAC) to a switch slot.  The switch (switch.c) owns the policy
 * (what to learn, when a station may move, port security); this module only
 * stores entries, bounded, and keeps the per-slot counts that policy needs.
 *
 * Layout.  A key packs VLAN and MAC into one 64-bit integer,
 *	key = vlan << 48 | mac[0] << 40 | ... | mac[5],
 * so comparing keys is one instruction and sorting keys sorts by VLAN, then
 * MAC (the order "show mac-address-table" prints).  VLAN 0 is never stored,
 * so key 0 marks an empty cell.  Entries are 16 bytes and live directly in
 * one open-addressing table with linear probing: a lookup usually touches a
 * single cache line and never follows a pointer.  The table has a power of
 * two cells, at least twice the bound, so the load factor stays at or below
 * one half and probe sequences stay short even when the table is full.
 * Deletion uses backward shifting (Knuth vol. 3, 6.4, algorithm R) rather
 * than tombstones, so a table that churns through a MAC flood does not
 * degrade.
 *
 * Bound.  At most 'max' entries are stored (default 65536); fdb_insert()
 * fails when the table holds that many, so a flood of random source MACs
 * costs a fixed amount of memory, all allocated up front.  Nothing on the
 * lookup/learn path allocates.
 *
 * Hashing.  The key is mixed with a per-table secret seed through the
 * splitmix64 finaliser.  Without the seed, anyone who can send frames could
 * pick MACs that share a probe sequence and turn every lookup into a scan.
 *
 * Pointers.  A struct fdb_entry pointer stays valid until the next
 * fdb_remove(), fdb_flush(), fdb_age() or fdb_set_max(): removal shifts
 * later entries back.  fdb_insert() does not move other entries.
 *
 * Threading: single writer; the dataplane worker, or the control thread
 * while the worker is quiesced.
 */
#ifndef OKAPI_FDB_H
#define OKAPI_FDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fdb_type {
	FDB_DYNAMIC,	/* learned; ages */
	FDB_STATIC,	/* configured; never ages, never moves */
	FDB_SECURE,	/* learned by port security; never ages */
	FDB_STICKY,	/* learned or configured sticky secure MAC */
};

enum fdb_flag {
	FDB_F_SECURE = 1 << 0,		/* counts toward the slot's secure MACs */
	FDB_F_CONFIGURED = 1 << 1,	/* comes from the port's psec config */
};

#define FDB_MAX_LIMIT	(1u << 24)	/* largest accepted bound */

struct fdb_entry {
	uint64_t key;		/* fdb_key(); 0 = empty cell */
	uint32_t seen;		/* last seen, low 32 bits of seconds */
	uint16_t slot;
	uint8_t type;		/* enum fdb_type */
	uint8_t flags;		/* enum fdb_flag bits */
};

struct fdb;

static inline uint64_t fdb_key(uint16_t vlan, const uint8_t mac[6])
{
	return (uint64_t)vlan << 48 | (uint64_t)mac[0] << 40 |
	       (uint64_t)mac[1] << 32 | (uint64_t)mac[2] << 24 |
	       (uint64_t)mac[3] << 16 | (uint64_t)mac[4] << 8 | mac[5];
}

static inline uint16_t fdb_key_vlan(uint64_t key)
{
	return (uint16_t)(key >> 48);
}

static inline void fdb_key_mac(uint64_t key, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(key >> (40 - 8 * i));
}

/* Creates a table bounded at 'max' entries (1..FDB_MAX_LIMIT) for slots
 * 0..n_slots-1, hashing with 'seed'.  Returns NULL with errno EINVAL or
 * ENOMEM. */
struct fdb *fdb_create(unsigned max, unsigned n_slots, uint64_t seed);
/* NULL is fine. */
void fdb_destroy(struct fdb *fdb);

/* Changes the bound, rebuilding the table when its size must change.
 * Entries already stored are kept even if there are more than 'max' (no
 * new one is learned until the count drops below it).  Returns 0, -EINVAL
 * or -ENOMEM (the table is unchanged then).  Invalidates entry pointers. */
int fdb_set_max(struct fdb *fdb, unsigned max);
unsigned fdb_max(const struct fdb *fdb);
size_t fdb_count(const struct fdb *fdb);

/* Entries with FDB_F_SECURE on 'slot' / all entries on 'slot'. */
unsigned fdb_slot_secure(const struct fdb *fdb, unsigned slot);
unsigned fdb_slot_entries(const struct fdb *fdb, unsigned slot);

/* Returns the entry for 'key' or NULL.  O(1) expected. */
struct fdb_entry *fdb_lookup(struct fdb *fdb, uint64_t key);

/* Adds an entry for a key that is not in the table.  Returns it, or NULL
 * when the table already holds fdb_max() entries (or key/slot is invalid).
 * Never allocates. */
struct fdb_entry *fdb_insert(struct fdb *fdb, uint64_t key, unsigned slot,
			     enum fdb_type type, unsigned flags,
			     uint32_t now);

/* Changes an entry's slot, type and flags, keeping the per-slot counts
 * right.  Does not move the entry. */
void fdb_update(struct fdb *fdb, struct fdb_entry *e, unsigned slot,
		enum fdb_type type, unsigned flags);

/* Removes one entry (a pointer from fdb_lookup/fdb_insert). */
void fdb_remove(struct fdb *fdb, struct fdb_entry *e);

/* Removes every entry for which match() returns true.  match borrows the
 * entry and must not modify the table.  Returns the count removed. */
size_t fdb_flush(struct fdb *fdb,
		 bool (*match)(const struct fdb_entry *e, void *arg),
		 void *arg);

/* Removes FDB_DYNAMIC entries not seen for more than 'aging' seconds.
 * aging 0 means never.  Returns the count removed. */
size_t fdb_age(struct fdb *fdb, uint32_t now, unsigned aging);

/* Calls fn for each entry in table order (unsorted, cheap). */
void fdb_foreach(const struct fdb *fdb,
		 void (*fn)(const struct fdb_entry *e, void *arg), void *arg);

/* Copies the entries, sorted by key (VLAN, then MAC), into a malloc()ed
 * array stored in *entries (NULL when empty); the caller frees it.
 * Returns the count, or -ENOMEM.  Control-thread use (show commands). */
long fdb_snapshot(const struct fdb *fdb, struct fdb_entry **entries);

#endif
