/*
 * DOC: Ethernet frame parser
 *
 * frame_parse() looks at the first bytes of a frame and says what the L2
 * pipeline needs: destination and source MAC, up to two VLAN tags
 * (802.1Q C-tag TPID 0x8100, 802.1ad S-tag TPID 0x88a8, and the pre-standard
 * QinQ TPID 0x9100), the EtherType (or 802.3 length) after the tags, and the
 * offset of the L3 header.  It is a pure function over a byte buffer (no
 * I/O, no allocation, no globals) so it can be fuzzed on its own
 * (tests/fuzz/fuzz_frame.c).
 *
 * The parser classifies, it does not judge: a frame with a multicast source
 * MAC or a third tag is still FRAME_OK, and policy (bad source, VLAN
 * admission) is the switch's business.  A frame shorter than an Ethernet
 * header is FRAME_RUNT; a frame whose EtherType announces a tag that is not
 * all there is FRAME_MALFORMED.  Only the outermost tag, and only when it is
 * an 802.1Q C-tag, is "the VLAN tag" for an 802.1Q bridge (IEEE 802.1Q-2018
 * 6.9); an S-tag outermost is reported in tags[] but leaves vlan_tagged
 * false, as a C-VLAN bridge does not recognise it.
 */
#ifndef OKAPI_FRAME_H
#define OKAPI_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRAME_ETH_HLEN		14	/* dst + src + EtherType */
#define FRAME_TAG_LEN		4	/* TPID + TCI */
#define FRAME_MAX_TAGS		2
#define FRAME_TPID_8021Q	0x8100
#define FRAME_TPID_8021AD	0x88a8
#define FRAME_TPID_QINQ		0x9100

/* X-macro: parse results and their names. */
#define FRAME_RESULTS(X)						\
	X(OK,        "ok")						\
	X(RUNT,      "runt")		/* < 14 bytes */		\
	X(MALFORMED, "malformed")	/* tag announced, not all there */

enum frame_result {
#define FRAME_RESULT_ENUM(name, str) FRAME_##name,
	FRAME_RESULTS(FRAME_RESULT_ENUM)
#undef FRAME_RESULT_ENUM
	FRAME__COUNT
};

struct frame_tag {
	uint16_t tpid;
	uint16_t vid;		/* 0-4095; 0 = priority tag only */
	uint8_t pcp;		/* 0-7 */
	bool dei;
};

struct frame {
	uint8_t dst[6];
	uint8_t src[6];
	unsigned n_tags;		/* 0-2 tags parsed */
	struct frame_tag tags[FRAME_MAX_TAGS];
	/* The outermost tag when it is an 802.1Q C-tag (TPID 0x8100). */
	bool vlan_tagged;
	uint16_t vid;			/* valid if vlan_tagged */
	uint8_t pcp;			/* valid if vlan_tagged */
	uint16_t ethertype;		/* after the parsed tags */
	size_t l3_offset;		/* first byte after the EtherType */
};

/* Parses the frame in data[0..size).  Borrows data; fills *f (all of it,
 * zeroed first, so a caller may read any field whatever the result).  On
 * FRAME_RUNT only the MACs present are filled; on FRAME_MALFORMED the MACs
 * and the tags before the truncated one are. */
enum frame_result frame_parse(const uint8_t *data, size_t size,
			      struct frame *f);

const char *frame_result_name(enum frame_result r);

static inline bool frame_mac_is_multicast(const uint8_t mac[6])
{
	return mac[0] & 1;
}

static inline bool frame_mac_is_broadcast(const uint8_t mac[6])
{
	return (mac[0] & mac[1] & mac[2] & mac[3] & mac[4] & mac[5]) == 0xff;
}

static inline bool frame_mac_is_zero(const uint8_t mac[6])
{
	return (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0;
}

#endif
