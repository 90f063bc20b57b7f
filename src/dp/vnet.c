/*
 * DOC: virtio-net header <-> struct pkt_offload (see vnet.h)
 *
 * Unknown flag bits are dropped rather than refused: virtio defines more
 * (RSC_INFO for receive-side coalescing) that carry nothing okapid needs,
 * and a frame is still correct without them.  Unknown GSO types are
 * refused: forwarding a super-frame nobody can segment would only move
 * the failure to the receiver.
 */
#include "dp/vnet.h"

#include <endian.h>
#include <errno.h>
#include <string.h>

static int vnet_gso_from_wire(uint8_t wire, uint8_t *type)
{
	switch (wire & (uint8_t)~VNET_GSO_ECN) {
	case VNET_GSO_NONE:  *type = PKT_GSO_NONE; return 0;
	case VNET_GSO_TCPV4: *type = PKT_GSO_TCPV4; return 0;
	case VNET_GSO_TCPV6: *type = PKT_GSO_TCPV6; return 0;
	case VNET_GSO_UDP_L4: *type = PKT_GSO_UDP_L4; return 0;
	default: return -EINVAL;
	}
}

static uint8_t vnet_gso_to_wire(uint8_t type)
{
	switch (type) {
	case PKT_GSO_TCPV4: return VNET_GSO_TCPV4;
	case PKT_GSO_TCPV6: return VNET_GSO_TCPV6;
	case PKT_GSO_UDP_L4: return VNET_GSO_UDP_L4;
	default: return VNET_GSO_NONE;
	}
}

int vnet_to_offload(const struct vnet_hdr *h, struct pkt_offload *off)
{
	memset(off, 0, sizeof(*off));
	if (vnet_gso_from_wire(h->gso_type, &off->gso_type) < 0) {
		off->gso_type = PKT_GSO_NONE;
		return -EINVAL;
	}
	if (h->flags & VNET_F_NEEDS_CSUM)
		off->flags |= PKT_OFF_NEEDS_CSUM;
	if (h->flags & VNET_F_DATA_VALID)
		off->flags |= PKT_OFF_DATA_VALID;
	if ((h->gso_type & VNET_GSO_ECN) && off->gso_type != PKT_GSO_NONE)
		off->flags |= PKT_OFF_GSO_ECN;
	if (off->gso_type != PKT_GSO_NONE)
		off->gso_size = le16toh(h->gso_size);
	off->hdr_len = le16toh(h->hdr_len);
	if (off->flags & PKT_OFF_NEEDS_CSUM) {
		off->csum_start = le16toh(h->csum_start);
		off->csum_offset = le16toh(h->csum_offset);
	}
	return 0;
}

void vnet_from_offload(const struct pkt_offload *off, struct vnet_hdr *h)
{
	memset(h, 0, sizeof(*h));
	h->gso_type = vnet_gso_to_wire(off->gso_type);
	if (h->gso_type != VNET_GSO_NONE) {
		if (off->flags & PKT_OFF_GSO_ECN)
			h->gso_type |= VNET_GSO_ECN;
		h->gso_size = htole16(off->gso_size);
	}
	if (off->flags & PKT_OFF_NEEDS_CSUM) {
		h->flags |= VNET_F_NEEDS_CSUM;
		h->csum_start = htole16(off->csum_start);
		h->csum_offset = htole16(off->csum_offset);
	} else if (off->flags & PKT_OFF_DATA_VALID) {
		h->flags |= VNET_F_DATA_VALID;
	}
	h->hdr_len = htole16(off->hdr_len);
}
