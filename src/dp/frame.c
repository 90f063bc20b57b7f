/*
 * DOC: Ethernet frame parser
 *
 * See frame.h.  The parser walks the header once, reading every field
 * through frame_get16(), which checks the bound; nothing past 'size' is ever
 * read.  A tag is recognised by its TPID; up to FRAME_MAX_TAGS are parsed
 * and a further tag is left as the EtherType (the L3 offset then points at
 * it, which is what a switch that does not look deeper needs).
 */
#include <string.h>

#include "dp/frame.h"

static const char *const frame_result_names[FRAME__COUNT] = {
#define FRAME_RESULT_NAME(name, str) [FRAME_##name] = str,
	FRAME_RESULTS(FRAME_RESULT_NAME)
#undef FRAME_RESULT_NAME
};

const char *frame_result_name(enum frame_result r)
{
	return (unsigned)r < FRAME__COUNT ? frame_result_names[r] : "?";
}

/* Reads a big-endian 16-bit value at 'off'; false if it is not all there. */
static bool frame_get16(const uint8_t *data, size_t size, size_t off,
			uint16_t *v)
{
	if (off > size || size - off < 2)
		return false;
	*v = (uint16_t)(data[off] << 8 | data[off + 1]);
	return true;
}

static bool frame_is_tpid(uint16_t type)
{
	return type == FRAME_TPID_8021Q || type == FRAME_TPID_8021AD ||
	       type == FRAME_TPID_QINQ;
}

enum frame_result frame_parse(const uint8_t *data, size_t size,
			      struct frame *f)
{
	uint16_t type = 0, tci;
	size_t off;

	memset(f, 0, sizeof(*f));
	if (size >= 6)
		memcpy(f->dst, data, 6);
	if (size >= 12)
		memcpy(f->src, data + 6, 6);
	if (size < FRAME_ETH_HLEN)
		return FRAME_RUNT;

	off = 12;
	frame_get16(data, size, off, &type);
	off += 2;
	while (frame_is_tpid(type) && f->n_tags < FRAME_MAX_TAGS) {
		struct frame_tag *t = &f->tags[f->n_tags];
		uint16_t tpid = type;

		/* TCI and the EtherType after it must both be there. */
		if (!frame_get16(data, size, off, &tci) ||
		    !frame_get16(data, size, off + 2, &type))
			return FRAME_MALFORMED;
		t->tpid = tpid;
		t->pcp = (uint8_t)(tci >> 13);
		t->dei = tci & 0x1000;
		t->vid = tci & 0x0fff;
		f->n_tags++;
		off += FRAME_TAG_LEN;
	}
	f->ethertype = type;
	f->l3_offset = off;
	if (f->n_tags && f->tags[0].tpid == FRAME_TPID_8021Q) {
		f->vlan_tagged = true;
		f->vid = f->tags[0].vid;
		f->pcp = f->tags[0].pcp;
	}
	return FRAME_OK;
}
