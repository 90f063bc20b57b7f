/*
 * DOC: Ethernet MAC addresses as text
 *
 * Parses the three spellings network engineers paste: Linux/FRR
 * "aa:bb:cc:dd:ee:ff", Cisco "aabb.ccdd.eeff" and Windows
 * "aa-bb-cc-dd-ee-ff" (hex digits in either case), and formats the colon
 * form, which is what okapid prints.  Pure: no I/O.
 */
#ifndef OKAPI_MAC_H
#define OKAPI_MAC_H

#include <stdbool.h>
#include <stdint.h>

#define MAC_STR_SIZE 18		/* "aa:bb:cc:dd:ee:ff" plus the NUL */

/* Parses 's' (the whole string, nothing before or after) into mac[].
 * Returns 0, or -EINVAL with mac[] unspecified. */
int mac_parse(const char *s, uint8_t mac[6]);

/* Writes "aa:bb:cc:dd:ee:ff" (lower case) into buf and returns buf. */
char *mac_format(const uint8_t mac[6], char buf[MAC_STR_SIZE]);

/* The I/G bit: group (multicast or broadcast) address. */
static inline bool mac_is_multicast(const uint8_t mac[6])
{
	return mac[0] & 1;
}

static inline bool mac_is_zero(const uint8_t mac[6])
{
	return !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

#endif
