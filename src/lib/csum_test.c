/*
 * DOC: unit tests for csum.c: RFC 1071's worked example, a real IPv4
 * header, odd sizes and every alignment against a byte-at-a-time
 * reference, and the partial-then-complete split used for offloads.
 */
#include "lib/csum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: %s: failed: %s\n",	\
				__FILE__, __LINE__, __func__, #cond);	\
			failures++;					\
		}							\
	} while (0)

/* The obvious RFC 1071 loop: big-endian words, end-around carry. */
static uint16_t ref_reduce(const uint8_t *b, size_t size)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < size; i += 2)
		sum += (uint32_t)(b[i] << 8 | (i + 1 < size ? b[i + 1] : 0));
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static const struct {
	const char *what;
	uint8_t data[20];
	size_t size;
	uint16_t reduced;	/* csum_reduce of the data */
} csum_cases[] = {
	{ "RFC 1071 section 3 example",
	  { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 }, 8, 0xddf2 },
	{ "odd size pads the last byte high",
	  { 0x12, 0x34, 0x56 }, 3, 0x6834 },
	{ "IPv4 header with its checksum sums to 0xffff",
	  { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
	    0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 },
	  20, 0xffff },
	{ "empty", { 0 }, 0, 0 },
};

static void test_table(void)
{
	for (size_t i = 0; i < sizeof(csum_cases) / sizeof(csum_cases[0]); i++) {
		uint16_t r = csum_reduce(csum_add(0, csum_cases[i].data,
						  csum_cases[i].size));

		if (r != csum_cases[i].reduced) {
			fprintf(stderr, "case '%s': got %#06x, want %#06x\n",
				csum_cases[i].what, r, csum_cases[i].reduced);
			failures++;
		}
	}
}

/* Computing the IPv4 header checksum from scratch gives the stored one. */
static void test_ipv4_header(void)
{
	uint8_t h[20];

	memcpy(h, csum_cases[2].data, 20);
	csum_put16(h + 10, 0);
	CHECK(csum_fold(csum_add(0, h, 20)) == 0xb861);
	CHECK(csum_get16(h + 2) == 0x73);
}

/* Every size and start offset against the reference, including sums
 * large enough to carry many times. */
static void test_against_reference(void)
{
	static uint8_t buf[4096 + 16];

	srand(7);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rand();
	for (size_t off = 0; off < 8; off++)
		for (size_t size = 0; size < 300; size++)
			CHECK(csum_reduce(csum_add(0, buf + off, size)) ==
			      ref_reduce(buf + off, size));
	memset(buf, 0xff, sizeof(buf));
	CHECK(csum_reduce(csum_add(0, buf, 4096)) == ref_reduce(buf, 4096));
}

/* Chunks of even size chain; host-order words add like data bytes. */
static void test_chaining(void)
{
	const uint8_t d[] = { 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03 };
	uint32_t whole = csum_add(0, d, sizeof(d));
	uint32_t parts = csum_add(csum_add(0, d, 4), d + 4, 3);
	uint32_t words = csum_add(csum_add32(0, 0xdeadbeef), d + 4, 3);

	CHECK(csum_reduce(whole) == csum_reduce(parts));
	CHECK(csum_reduce(whole) == csum_reduce(words));
	CHECK(csum_reduce(csum_add16(0xffff, 1)) == 1);
}

/* Offload split: the sender stores the reduced pseudo-header sum, the
 * receiver folds the rest of the data over it; a checksum field then
 * verifies to 0xffff. */
static void test_partial_completion(void)
{
	uint8_t seg[12] = { 0, 0, 0, 0, 0xab, 0xcd, 0x11, 0x22, 0x33 };
	uint32_t pseudo = csum_add32(csum_add16(0, 6), 0x0a000001);
	uint16_t full;

	csum_put16(seg + 2, csum_reduce(pseudo));
	full = csum_fold(csum_add(0, seg, sizeof(seg)));
	csum_put16(seg + 2, full);
	CHECK(csum_reduce(csum_add(pseudo, seg, sizeof(seg))) == 0xffff);
}

int main(void)
{
	test_table();
	test_ipv4_header();
	test_against_reference();
	test_chaining();
	test_partial_completion();
	printf("csum_test: %d failures\n", failures);
	return failures != 0;
}
