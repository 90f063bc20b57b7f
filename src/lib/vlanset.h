/*
 * DOC: sets of VLAN ids
 *
 * A VLAN set is a 4096-bit bitmap (uint64_t[VLANSET_WORDS]), bit N for
 * VLAN N; the same layout as sw_port_config.allowed, so the functions here
 * work on that array directly.  Valid VLAN ids are 1-4094 (0 and 4095 are
 * reserved by 802.1Q and never set by the parser).
 *
 * Text form is Cisco's trunk list: "10,20,30-40" (no spaces).  Formatting
 * is canonical: ascending, runs of three or more as "a-b", so parse(format(x))
 * == x and format(parse(s)) normalises s.  Pure: no I/O.
 */
#ifndef OKAPI_VLANSET_H
#define OKAPI_VLANSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VLANSET_WORDS	(4096 / 64)
#define VLANSET_MIN	1
#define VLANSET_MAX	4094

static inline bool vlanset_test(const uint64_t *set, unsigned vid)
{
	return vid < 4096 && (set[vid / 64] >> (vid % 64)) & 1;
}

static inline void vlanset_add(uint64_t *set, unsigned vid)
{
	if (vid < 4096)
		set[vid / 64] |= UINT64_C(1) << (vid % 64);
}

static inline void vlanset_remove(uint64_t *set, unsigned vid)
{
	if (vid < 4096)
		set[vid / 64] &= ~(UINT64_C(1) << (vid % 64));
}

/* Empties the set. */
void vlanset_clear(uint64_t *set);
/* Sets exactly VLANs 1-4094 ("all"). */
void vlanset_fill(uint64_t *set);
/* True if VLANs 1-4094 are all in the set (0 and 4095 are ignored). */
bool vlanset_is_full(const uint64_t *set);
/* True if no VLAN 1-4094 is in the set. */
bool vlanset_is_empty(const uint64_t *set);
/* Number of VLANs 1-4094 in the set. */
unsigned vlanset_count(const uint64_t *set);
/* dst |= src, dst &= ~src. */
void vlanset_union(uint64_t *dst, const uint64_t *src);
void vlanset_subtract(uint64_t *dst, const uint64_t *src);

/* Parses "10,20,30-40" into 'set' (cleared first).  Returns 0, or -EINVAL
 * with a reason ("VLAN 5000 is out of range 1-4094") written to err
 * (truncated to err_size; err may be NULL if err_size is 0).  'set' is
 * unspecified on error. */
int vlanset_parse(const char *s, uint64_t *set, char *err, size_t err_size);

/* Writes the canonical list into buf (truncated to size, always
 * NUL-terminated if size > 0) and returns the length the full text needs,
 * as snprintf does.  An empty set formats as "". */
size_t vlanset_format(const uint64_t *set, char *buf, size_t size);

#endif
