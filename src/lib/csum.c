/*
 * DOC: Internet checksum implementation (see csum.h)
 *
 * The hot loop loads 8 bytes with memcpy (no alignment assumption, one
 * instruction on x86-64) and adds the two 32-bit halves into a 64-bit
 * accumulator, which cannot overflow for any buffer below 2^32 words.  The
 * native-order result is folded to 16 bits and byte-swapped once into the
 * big-endian value the callers work with.
 */
#include "lib/csum.h"

#include <arpa/inet.h>
#include <string.h>

/* Native-order ones'-complement accumulation of data[0..size). */
static uint64_t csum_native(const uint8_t *b, size_t size)
{
	uint64_t acc = 0;

	while (size >= 8) {
		uint64_t w;

		memcpy(&w, b, 8);
		acc += (w & 0xffffffffu) + (w >> 32);
		b += 8;
		size -= 8;
	}
	if (size >= 4) {
		uint32_t w;

		memcpy(&w, b, 4);
		acc += w;
		b += 4;
		size -= 4;
	}
	if (size >= 2) {
		uint16_t w;

		memcpy(&w, b, 2);
		acc += w;
		b += 2;
		size -= 2;
	}
	if (size) {
		/* The byte lands where it would in a big-endian word with a
		 * zero low byte, whatever the native order. */
		uint16_t w = 0;

		memcpy(&w, b, 1);
		acc += w;
	}
	return acc;
}

static uint32_t csum_fold64(uint64_t acc)
{
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffff) + (acc >> 16);
	acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)acc;
}

uint32_t csum_add(uint32_t sum, const void *data, size_t size)
{
	uint16_t native = (uint16_t)csum_fold64(csum_native(data, size));

	return csum_add16(sum, ntohs(native));
}

uint16_t csum_reduce(uint32_t sum)
{
	return (uint16_t)csum_fold64(sum);
}
