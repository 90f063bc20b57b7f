/*
 * DOC: the virtio-net header (struct virtio_net_hdr)
 *
 * The kernel's TUN/TAP driver (IFF_VNET_HDR) and packet sockets
 * (PACKET_VNET_HDR) put this header in front of every frame to say what a
 * NIC would have been told: "this is a TCP super-frame, cut it into
 * gso_size pieces" and "the L4 checksum is partial, finish it from
 * csum_start".  Its fields are little-endian here (TAP ports set
 * TUNSETVNETLE; packet sockets use the host's order for the legacy header,
 * which is little-endian on every host okapid supports) and map one to one
 * onto struct pkt_offload (pkt.h), which is what the rest of okapid sees.
 *
 * Two sizes are in use: 12 bytes (virtio 1.0's header with num_buffers,
 * struct virtio_net_hdr_mrg_rxbuf) on TAP ports, so the layout is the one
 * every modern virtio device uses, and 10 bytes (the legacy header) on
 * packet sockets, the only size PACKET_VNET_HDR offers.  num_buffers is
 * always 0 here: each frame is one buffer.
 */
#ifndef OKAPI_VNET_H
#define OKAPI_VNET_H

#include <stdint.h>

#include "core/pkt.h"

#define VNET_HDR_SIZE		12	/* TAP ports (TUNSETVNETHDRSZ) */
#define VNET_HDR_SIZE_LEGACY	10	/* packet sockets (PACKET_VNET_HDR) */

/* Wire values (linux/virtio_net.h; UDP_L4 is missing from older headers). */
#define VNET_F_NEEDS_CSUM	1
#define VNET_F_DATA_VALID	2
#define VNET_GSO_NONE		0
#define VNET_GSO_TCPV4		1
#define VNET_GSO_UDP		3	/* UFO: IP fragmentation, never used */
#define VNET_GSO_TCPV6		4
#define VNET_GSO_UDP_L4		5
#define VNET_GSO_ECN		0x80

/* The header as it is on the wire: little-endian 16-bit fields. */
struct vnet_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;	/* only in the 12-byte form */
};

_Static_assert(sizeof(struct vnet_hdr) == VNET_HDR_SIZE, "virtio layout");

/* Decodes *h into *off.  Returns 0, or -EINVAL for a GSO type okapid does
 * not handle (UFO, unknown values); *off is then all zero. */
int vnet_to_offload(const struct vnet_hdr *h, struct pkt_offload *off);

/* Encodes *off into *h (all 12 bytes; num_buffers 0). */
void vnet_from_offload(const struct pkt_offload *off, struct vnet_hdr *h);

#endif
