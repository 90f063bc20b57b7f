/*
 * DOC: the Internet checksum (RFC 1071)
 *
 * The 16-bit ones'-complement sum used by IPv4, TCP and UDP.  Sums are
 * kept as 32-bit accumulators holding the value of the data read as
 * big-endian 16-bit words, so callers can add a pseudo-header built from
 * host-order numbers (csum_add16/32) and data bytes (csum_add) in any
 * order, then fold once (csum_fold).  Data is summed in native byte order
 * eight bytes at a time and swapped at the end (RFC 1071 section 2(B):
 * the sum is byte-order independent), so summing a 64 KiB super-frame
 * costs a few microseconds.  Pure: no I/O.
 */
#ifndef OKAPI_CSUM_H
#define OKAPI_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Adds data[0..size) to 'sum'.  Borrows data.  Only the last chunk of a
 * checksummed range may have an odd size (the odd byte is the high half
 * of a word padded with zero, as RFC 1071 says for the end of the data). */
uint32_t csum_add(uint32_t sum, const void *data, size_t size);

/* Adds a 16-bit value (host order) to 'sum'. */
static inline uint32_t csum_add16(uint32_t sum, uint16_t v)
{
	sum += v;
	return (sum & 0xffff) + (sum >> 16);
}

/* Adds a 32-bit value (host order) as two 16-bit words. */
static inline uint32_t csum_add32(uint32_t sum, uint32_t v)
{
	return csum_add16(csum_add16(sum, (uint16_t)(v >> 16)), (uint16_t)v);
}

/* Folds 'sum' to 16 bits without complementing: the "partial" checksum a
 * sender leaves in the field when the receiver is to finish it. */
uint16_t csum_reduce(uint32_t sum);

/* The checksum to store (host order): the complement of the folded sum. */
static inline uint16_t csum_fold(uint32_t sum)
{
	return (uint16_t)~csum_reduce(sum);
}

/* Reads / writes a big-endian 16-bit field (no alignment needed). */
static inline uint16_t csum_get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline void csum_put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

#endif
