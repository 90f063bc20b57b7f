/*
 * DOC: software segmentation and checksum completion (see gso.h)
 *
 * Parsing walks Ethernet (frame.c: up to two tags), then IPv4 or IPv6, then
 * TCP or UDP, checking every length against both the frame and the IP
 * length field.  Segmenting copies the original headers in front of each
 * payload piece and then fixes the copy: the fields that differ between
 * segments are rewritten, then the IP header checksum (IPv4) and the L4
 * checksum over pseudo-header + L4 header + piece are computed from
 * scratch, so what the sender left in the checksum fields (a partial sum,
 * garbage) never matters.
 */
#include "dp/gso.h"

#include <errno.h>
#include <string.h>

#include "dp/frame.h"
#include "lib/csum.h"

#define GSO_ETH_IPV4	0x0800
#define GSO_ETH_IPV6	0x86dd
#define GSO_IPV4_HLEN	20
#define GSO_IPV6_HLEN	40
#define GSO_TCP_HLEN	20
#define GSO_UDP_HLEN	8
#define GSO_IPV6_MAX_EXT 8	/* extension headers walked before giving up */

#define GSO_TCP_FIN	0x01
#define GSO_TCP_PSH	0x08
#define GSO_TCP_CWR	0x80

static uint32_t gso_get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static void gso_put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* IPv4 header at frame + off: sets l4_off, end and the protocol. */
static int gso_parse_ipv4(const uint8_t *frame, size_t len, size_t off,
			  struct gso_layout *lay)
{
	const uint8_t *ip = frame + off;
	size_t ihl, total;

	if (len - off < GSO_IPV4_HLEN || ip[0] >> 4 != 4)
		return -EINVAL;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	total = csum_get16(ip + 2);
	if (ihl < GSO_IPV4_HLEN || total < ihl || total > len - off)
		return -EINVAL;
	if (csum_get16(ip + 6) & 0x3fff)	/* MF or a fragment offset */
		return -EINVAL;
	lay->l4_proto = ip[9];
	lay->l4_off = (uint32_t)(off + ihl);
	lay->end = (uint32_t)(off + total);
	lay->ipv6 = false;
	return 0;
}

/* True for the IPv6 extension headers we step over (RFC 8200 4.1). */
static bool gso_ipv6_skippable(uint8_t next)
{
	return next == 0 || next == 43 || next == 60;
}

/* IPv6 header at frame + off, then the extension headers. */
static int gso_parse_ipv6(const uint8_t *frame, size_t len, size_t off,
			  struct gso_layout *lay)
{
	const uint8_t *ip = frame + off;
	size_t plen, pos = off + GSO_IPV6_HLEN;
	uint8_t next;

	if (len - off < GSO_IPV6_HLEN || ip[0] >> 4 != 6)
		return -EINVAL;
	plen = csum_get16(ip + 4);
	if (plen == 0 || plen > len - off - GSO_IPV6_HLEN)
		return -EINVAL;
	lay->end = (uint32_t)(off + GSO_IPV6_HLEN + plen);
	next = ip[6];
	for (int i = 0; gso_ipv6_skippable(next); i++) {
		if (i == GSO_IPV6_MAX_EXT || lay->end - pos < 8)
			return -EINVAL;
		next = frame[pos];
		pos += ((size_t)frame[pos + 1] + 1) * 8;
		if (pos > lay->end)
			return -EINVAL;
	}
	lay->l4_proto = next;
	lay->l4_off = (uint32_t)pos;
	lay->ipv6 = true;
	return 0;
}

/* The TCP or UDP header at lay->l4_off: sets hdr_size. */
static int gso_parse_l4(const uint8_t *frame, struct gso_layout *lay)
{
	size_t room = lay->end - lay->l4_off, size;

	if (lay->l4_proto == GSO_IPPROTO_UDP) {
		size = GSO_UDP_HLEN;
	} else if (lay->l4_proto == GSO_IPPROTO_TCP) {
		if (room < GSO_TCP_HLEN)
			return -EINVAL;
		size = (size_t)(frame[lay->l4_off + 12] >> 4) * 4;
		if (size < GSO_TCP_HLEN)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	if (size > room)
		return -EINVAL;
	lay->hdr_size = (uint32_t)(lay->l4_off + size);
	return 0;
}

int gso_parse(const uint8_t *frame, size_t len, struct gso_layout *lay)
{
	struct frame f;
	int err;

	memset(lay, 0, sizeof(*lay));
	if (len > PKT_SUPER_MAX || frame_parse(frame, len, &f) != FRAME_OK)
		return -EINVAL;
	lay->l3_off = (uint32_t)f.l3_offset;
	if (f.ethertype == GSO_ETH_IPV4)
		err = gso_parse_ipv4(frame, len, f.l3_offset, lay);
	else if (f.ethertype == GSO_ETH_IPV6)
		err = gso_parse_ipv6(frame, len, f.l3_offset, lay);
	else
		err = -EINVAL;
	if (!err)
		err = gso_parse_l4(frame, lay);
	return err;
}

/* The protocol a GSO type promises. */
static bool gso_type_matches(uint8_t type, const struct gso_layout *lay)
{
	switch (type) {
	case PKT_GSO_TCPV4:
		return lay->l4_proto == GSO_IPPROTO_TCP && !lay->ipv6;
	case PKT_GSO_TCPV6:
		return lay->l4_proto == GSO_IPPROTO_TCP && lay->ipv6;
	case PKT_GSO_UDP_L4:
		return lay->l4_proto == GSO_IPPROTO_UDP;
	default:
		return false;
	}
}

/* A partial checksum must start past the Ethernet header and its tags
 * (so popping a tag cannot move csum_start in front of the frame) and end
 * inside the frame. */
static bool gso_csum_fits(const uint8_t *frame, size_t len,
			  const struct pkt_offload *off)
{
	struct frame f;

	return frame_parse(frame, len, &f) == FRAME_OK &&
	       off->csum_start >= f.l3_offset &&
	       (size_t)off->csum_start + off->csum_offset + 2 <= len;
}

int gso_check(const uint8_t *frame, size_t len, const struct pkt_offload *off,
	      struct gso_layout *lay)
{
	struct gso_layout l;

	if ((off->flags & PKT_OFF_NEEDS_CSUM) && !gso_csum_fits(frame, len, off))
		return -EINVAL;
	if (off->gso_type == PKT_GSO_NONE)
		return 0;
	if (off->gso_size == 0 || gso_parse(frame, len, &l) < 0 ||
	    !gso_type_matches(off->gso_type, &l))
		return -EINVAL;
	*lay = l;
	return 0;
}

uint32_t gso_seg_l3_size(const struct gso_layout *lay, uint32_t mss)
{
	uint32_t payload = lay->end - lay->hdr_size;

	return lay->hdr_size - lay->l3_off + (payload < mss ? payload : mss);
}

int gso_csum_complete(uint8_t *frame, size_t len,
		      const struct pkt_offload *off)
{
	size_t start = off->csum_start, field = start + off->csum_offset;
	uint16_t sum;

	if (!(off->flags & PKT_OFF_NEEDS_CSUM))
		return 0;
	if (field + 2 > len)
		return -EINVAL;
	sum = csum_fold(csum_add(0, frame + start, len - start));
	/* A computed 0 goes out as 0xffff: for UDP 0 means "no checksum",
	 * for TCP both verify (what Linux's skb_checksum_help() does). */
	csum_put16(frame + field, sum ? sum : 0xffff);
	return 0;
}

int gso_iter_init(struct gso_iter *it, const uint8_t *frame,
		  const struct gso_layout *lay, uint32_t mss)
{
	uint32_t payload = lay->end - lay->hdr_size;

	if (mss == 0)
		return -EINVAL;
	memset(it, 0, sizeof(*it));
	it->frame = frame;
	it->lay = *lay;
	it->mss = mss;
	it->pos = lay->hdr_size;
	it->count = payload ? (payload + mss - 1) / mss : 1;
	return (int)it->count;
}

/* Pseudo-header sum for an L4 segment of 'l4_size' bytes (RFC 9293 3.1,
 * RFC 8200 8.1). */
static uint32_t gso_pseudo(const uint8_t *ip, const struct gso_layout *lay,
			   uint32_t l4_size)
{
	uint32_t sum = csum_add32(0, l4_size);

	sum = csum_add16(sum, lay->l4_proto);
	if (lay->ipv6)
		return csum_add(sum, ip + 8, 32);
	return csum_add(sum, ip + 12, 8);
}

/* Rewrites the IP header of segment 'seg' (l3_size bytes from the IP
 * header on) for segment number 'index'. */
static void gso_fix_ip(uint8_t *seg, const struct gso_layout *lay,
		       uint32_t l3_size, uint32_t index)
{
	uint8_t *ip = seg + lay->l3_off;
	size_t ihl;

	if (lay->ipv6) {
		csum_put16(ip + 4, (uint16_t)(l3_size - GSO_IPV6_HLEN));
		return;
	}
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	csum_put16(ip + 2, (uint16_t)l3_size);
	csum_put16(ip + 4, (uint16_t)(csum_get16(ip + 4) + index));
	csum_put16(ip + 10, 0);
	csum_put16(ip + 10, csum_fold(csum_add(0, ip, ihl)));
}

/* Rewrites the TCP or UDP header of the segment and its checksum. */
static void gso_fix_l4(const struct gso_iter *it, uint8_t *seg,
		       uint32_t l4_size, uint32_t offset)
{
	const struct gso_layout *lay = &it->lay;
	uint8_t *l4 = seg + lay->l4_off, *field;
	uint16_t sum;

	if (lay->l4_proto == GSO_IPPROTO_TCP) {
		gso_put32(l4 + 4, gso_get32(l4 + 4) + offset);
		if (it->index > 0)
			l4[13] &= (uint8_t)~GSO_TCP_CWR;
		if (it->index + 1 < it->count)
			l4[13] &= (uint8_t)~(GSO_TCP_FIN | GSO_TCP_PSH);
		field = l4 + 16;
	} else {
		csum_put16(l4 + 4, (uint16_t)l4_size);
		field = l4 + 6;
	}
	csum_put16(field, 0);
	sum = csum_fold(csum_add(gso_pseudo(seg + lay->l3_off, lay, l4_size),
				 l4, l4_size));
	csum_put16(field, sum || lay->l4_proto == GSO_IPPROTO_TCP ? sum : 0xffff);
}

int gso_iter_next(struct gso_iter *it, uint8_t *out, size_t size)
{
	const struct gso_layout *lay = &it->lay;
	uint32_t left = lay->end - it->pos;
	uint32_t piece = left < it->mss ? left : it->mss;
	size_t seg_size = (size_t)lay->hdr_size + piece;

	if (it->index == it->count)
		return 0;
	if (seg_size > size)
		return -ENOBUFS;
	memcpy(out, it->frame, lay->hdr_size);
	memcpy(out + lay->hdr_size, it->frame + it->pos, piece);
	gso_fix_ip(out, lay, (uint32_t)(seg_size - lay->l3_off), it->index);
	gso_fix_l4(it, out, (uint32_t)(seg_size - lay->l4_off),
		   it->pos - lay->hdr_size);
	it->pos += piece;
	it->index++;
	return (int)seg_size;
}
