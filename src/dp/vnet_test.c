/*
 * DOC: unit tests for vnet.c: wire header <-> struct pkt_offload, both
 * ways, table-driven, including the values that must be refused (UFO,
 * unknown GSO types) and the fields that only mean something with a flag.
 */
#include "dp/vnet.h"

#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int failures;

static const struct {
	const char *name;
	struct vnet_hdr wire;		/* 16-bit fields in host order here */
	int ret;
	struct pkt_offload off;
	bool round_trip;		/* encoding off gives wire back */
} cases[] = {
	{ "plain", { 0 }, 0, { 0 }, true },
	{ "tso4 + csum",
	  { VNET_F_NEEDS_CSUM, VNET_GSO_TCPV4, 66, 1448, 34, 16, 0 }, 0,
	  { PKT_OFF_NEEDS_CSUM, PKT_GSO_TCPV4, 1448, 66, 34, 16 }, true },
	{ "tso6 + ecn",
	  { VNET_F_NEEDS_CSUM, VNET_GSO_TCPV6 | VNET_GSO_ECN, 86, 1428, 54, 16, 0 }, 0,
	  { PKT_OFF_NEEDS_CSUM | PKT_OFF_GSO_ECN, PKT_GSO_TCPV6, 1428, 86, 54, 16 },
	  true },
	{ "uso",
	  { VNET_F_NEEDS_CSUM, VNET_GSO_UDP_L4, 42, 1472, 34, 6, 0 }, 0,
	  { PKT_OFF_NEEDS_CSUM, PKT_GSO_UDP_L4, 1472, 42, 34, 6 }, true },
	{ "data valid",
	  { VNET_F_DATA_VALID, VNET_GSO_NONE, 0, 0, 0, 0, 0 }, 0,
	  { PKT_OFF_DATA_VALID, PKT_GSO_NONE, 0, 0, 0, 0 }, true },
	{ "csum offsets without NEEDS_CSUM mean nothing",
	  { 0, VNET_GSO_NONE, 0, 0, 99, 98, 0 }, 0, { 0 }, false },
	{ "gso_size without GSO means nothing",
	  { 0, VNET_GSO_NONE, 0, 1448, 0, 0, 0 }, 0, { 0 }, false },
	{ "ECN bit without GSO is dropped",
	  { 0, VNET_GSO_ECN, 0, 0, 0, 0, 0 }, 0, { 0 }, false },
	{ "unknown flag bits are dropped",
	  { 0x84, VNET_GSO_NONE, 0, 0, 0, 0, 0 }, 0, { 0 }, false },
	{ "UFO refused", { 0, VNET_GSO_UDP, 0, 1472, 0, 0, 0 }, -EINVAL, { 0 }, false },
	{ "unknown GSO refused", { 0, 7, 0, 1, 0, 0, 0 }, -EINVAL, { 0 }, false },
};

static struct vnet_hdr to_le(struct vnet_hdr h)
{
	h.hdr_len = htole16(h.hdr_len);
	h.gso_size = htole16(h.gso_size);
	h.csum_start = htole16(h.csum_start);
	h.csum_offset = htole16(h.csum_offset);
	h.num_buffers = htole16(h.num_buffers);
	return h;
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vnet_hdr wire = to_le(cases[i].wire), back;
		struct pkt_offload off;
		int r = vnet_to_offload(&wire, &off);

		if (r != cases[i].ret ||
		    memcmp(&off, &cases[i].off, sizeof(off)) != 0) {
			fprintf(stderr, "FAIL %s: decode (ret %d)\n", cases[i].name, r);
			failures++;
		}
		vnet_from_offload(&cases[i].off, &back);
		if (cases[i].round_trip && memcmp(&back, &wire, sizeof(wire)) != 0) {
			fprintf(stderr, "FAIL %s: encode\n", cases[i].name);
			failures++;
		}
	}
	printf("vnet_test: %d failures\n", failures);
	return failures != 0;
}
