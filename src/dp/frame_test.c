/*
 * DOC: frame parser unit test
 *
 * Table-driven: each case is a byte string and the fields frame_parse()
 * must report for it.
 */
#include <stdio.h>
#include <string.h>

#include "dp/frame.h"

struct frame_case {
	const char *name;
	const uint8_t *bytes;
	size_t size;
	enum frame_result result;
	unsigned n_tags;
	bool vlan_tagged;
	uint16_t vid;
	uint8_t pcp;
	uint16_t ethertype;
	size_t l3_offset;
};

#define MACS 0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02

static const uint8_t untagged[] = { MACS, 0x08, 0x00, 0x45, 0 };
static const uint8_t hdr_only[] = { MACS, 0x86, 0xdd };
static const uint8_t tagged[] = { MACS, 0x81, 0x00, 0xa0, 0x0a, 0x08, 0x06, 1 };
static const uint8_t prio[] = { MACS, 0x81, 0x00, 0x60, 0x00, 0x08, 0x00 };
static const uint8_t qinq[] = { MACS, 0x88, 0xa8, 0x00, 0x64, 0x81, 0x00,
				0x20, 0x14, 0x08, 0x00, 0x45 };
static const uint8_t cc[] = { MACS, 0x81, 0x00, 0x00, 0x0a, 0x81, 0x00,
			      0x00, 0x14, 0x08, 0x00 };
static const uint8_t three[] = { MACS, 0x81, 0x00, 0x00, 0x01, 0x81, 0x00,
				 0x00, 0x02, 0x81, 0x00, 0x00, 0x03 };
static const uint8_t runt[] = { MACS, 0x08 };
static const uint8_t tiny[] = { 0xff, 0xff, 0xff };
static const uint8_t trunc_tci[] = { MACS, 0x81, 0x00, 0x00 };
static const uint8_t trunc_type[] = { MACS, 0x81, 0x00, 0x00, 0x0a, 0x08 };
static const uint8_t trunc_inner[] = { MACS, 0x88, 0xa8, 0x00, 0x64, 0x81,
				       0x00, 0x20 };
static const uint8_t len8023[] = { MACS, 0x00, 0x26, 0xaa, 0xaa, 0x03 };
static const uint8_t vid4095[] = { MACS, 0x81, 0x00, 0xff, 0xff, 0x08, 0x00 };

#define C(b) b, sizeof(b)

static const struct frame_case cases[] = {
	{ "untagged IPv4", C(untagged), FRAME_OK, 0, false, 0, 0, 0x0800, 14 },
	{ "header only", C(hdr_only), FRAME_OK, 0, false, 0, 0, 0x86dd, 14 },
	{ "802.1Q vid 10 pcp 5", C(tagged), FRAME_OK, 1, true, 10, 5, 0x0806, 18 },
	{ "priority tag", C(prio), FRAME_OK, 1, true, 0, 3, 0x0800, 18 },
	{ "802.1ad + 802.1Q", C(qinq), FRAME_OK, 2, false, 0, 0, 0x0800, 22 },
	{ "two C-tags", C(cc), FRAME_OK, 2, true, 10, 0, 0x0800, 22 },
	{ "third tag left as type", C(three), FRAME_OK, 2, true, 1, 0, 0x8100, 22 },
	{ "runt 13 bytes", C(runt), FRAME_RUNT, 0, false, 0, 0, 0, 0 },
	{ "runt 3 bytes", C(tiny), FRAME_RUNT, 0, false, 0, 0, 0, 0 },
	{ "empty", (const uint8_t *)"", 0, FRAME_RUNT, 0, false, 0, 0, 0, 0 },
	{ "tag without TCI", C(trunc_tci), FRAME_MALFORMED, 0, false, 0, 0, 0, 0 },
	{ "tag without type", C(trunc_type), FRAME_MALFORMED, 0, false, 0, 0, 0, 0 },
	{ "inner tag truncated", C(trunc_inner), FRAME_MALFORMED, 1, false, 0, 0, 0, 0 },
	{ "802.3 length", C(len8023), FRAME_OK, 0, false, 0, 0, 0x0026, 14 },
	{ "vid 4095", C(vid4095), FRAME_OK, 1, true, 4095, 7, 0x0800, 18 },
};

static int check_case(const struct frame_case *c)
{
	struct frame f;
	enum frame_result r = frame_parse(c->bytes, c->size, &f);
	int bad = 0;

#define EXPECT(field, got, want)					\
	do {								\
		if ((got) != (want)) {					\
			fprintf(stderr, "FAIL %s: %s = %ld, want %ld\n", \
				c->name, field, (long)(got), (long)(want)); \
			bad++;						\
		}							\
	} while (0)
	EXPECT("result", r, c->result);
	EXPECT("n_tags", f.n_tags, c->n_tags);
	if (r == FRAME_OK) {
		EXPECT("vlan_tagged", f.vlan_tagged, c->vlan_tagged);
		EXPECT("vid", f.vid, c->vid);
		EXPECT("pcp", f.pcp, c->pcp);
		EXPECT("ethertype", f.ethertype, c->ethertype);
		EXPECT("l3_offset", f.l3_offset, c->l3_offset);
	}
	if (c->size >= 12) {
		EXPECT("dst", memcmp(f.dst, c->bytes, 6), 0);
		EXPECT("src", memcmp(f.src, c->bytes + 6, 6), 0);
	}
#undef EXPECT
	return bad;
}

static int check_mac_helpers(void)
{
	static const uint8_t bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mc[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
	static const uint8_t uc[6] = { 0x02, 0, 0, 0, 0, 1 };
	static const uint8_t zero[6] = { 0 };
	int bad = 0;

	bad += !frame_mac_is_broadcast(bc) || frame_mac_is_broadcast(mc);
	bad += !frame_mac_is_multicast(mc) || frame_mac_is_multicast(uc);
	bad += !frame_mac_is_zero(zero) || frame_mac_is_zero(uc);
	bad += strcmp(frame_result_name(FRAME_MALFORMED), "malformed") != 0;
	if (bad)
		fprintf(stderr, "FAIL mac helpers / names\n");
	return bad;
}

int main(void)
{
	int bad = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		bad += check_case(&cases[i]);
	bad += check_mac_helpers();
	printf("frame_test: %zu cases, %d failures\n",
	       sizeof(cases) / sizeof(cases[0]), bad);
	return bad != 0;
}
