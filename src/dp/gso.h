/*
 * DOC: software offloads: segmentation (GSO) and checksum completion
 *
 * A TAP port with a virtio-net header hands okapid TCP "super-frames" of
 * up to 64 KiB (the sender's TSO/GSO, metadata in struct pkt_offload) and
 * frames whose L4 checksum is only partial.  Ports that can take such
 * frames get them unchanged; for the others (a QEMU stream socket, an MTU
 * smaller than the sender's segments) the switch calls this module to do
 * in software what a NIC would have done:
 *
 *   gso_parse()          locate the IP and TCP/UDP headers behind up to two
 *                        VLAN tags;
 *   gso_check()          reject offload metadata that does not match the
 *                        frame (a GSO type for another protocol, offsets
 *                        outside the frame), so nothing downstream trusts
 *                        a lie;
 *   gso_csum_complete()  finish a partial checksum in place;
 *   gso_iter_*()         cut the L4 payload into pieces of 'mss' bytes, each
 *                        a standalone frame with the original headers and
 *                        every field a receiver checks made right: IPv4
 *                        total length, ID (+1 per segment) and header
 *                        checksum, IPv6 payload length, TCP sequence number
 *                        (+ bytes before the piece), FIN and PSH only on the
 *                        last segment and CWR only on the first (RFC 3168;
 *                        what Linux's tcp_gso_segment() does), UDP length,
 *                        and a full TCP/UDP checksum (RFC 768/9293, with the
 *                        IPv4 or IPv6 pseudo-header).  A UDP "segment" is a
 *                        datagram of its own (USO, GSO type UDP_L4).
 *
 * What is refused (-EINVAL): anything but TCP or UDP over IPv4/IPv6, IP
 * fragments, IPv6 extension headers other than hop-by-hop, routing and
 * destination options, IPv6 jumbograms (payload length 0), and lengths that
 * disagree with the frame.  Ethernet padding after the IP packet is
 * allowed and not copied into segments.
 *
 * Everything here is pure: byte buffers in, byte buffers out, no
 * allocation, no I/O, so it is unit-tested (gso_test.c) and fuzzed
 * (tests/fuzz/fuzz_gso.c) on its own.  Bounds: every read is checked
 * against the frame length given, every write against the output size.
 */
#ifndef OKAPI_GSO_H
#define OKAPI_GSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/pkt.h"

#define GSO_IPPROTO_TCP	6
#define GSO_IPPROTO_UDP	17

/* Where the headers of a TCP/UDP over IP frame are. */
struct gso_layout {
	uint32_t l3_off;	/* first byte of the IP header */
	uint32_t l4_off;	/* first byte of the TCP/UDP header */
	uint32_t hdr_size;	/* bytes before the L4 payload */
	uint32_t end;		/* end of the IP packet (<= frame length) */
	uint8_t l4_proto;	/* GSO_IPPROTO_TCP or GSO_IPPROTO_UDP */
	bool ipv6;
};

/* Finds the headers of frame[0..len) (borrowed).  Returns 0 and fills
 * *lay, or -EINVAL for a frame this module cannot segment (see DOC). */
int gso_parse(const uint8_t *frame, size_t len, struct gso_layout *lay);

/* Checks offload metadata 'off' against frame[0..len): NEEDS_CSUM offsets
 * inside the frame and past its Ethernet header and tags; for GSO, a
 * parsable frame of the protocol the GSO type names and a non-zero
 * gso_size.  For a GSO frame fills *lay (unchanged
 * otherwise).  Returns 0 or -EINVAL. */
int gso_check(const uint8_t *frame, size_t len, const struct pkt_offload *off,
	      struct gso_layout *lay);

/* L3 bytes (IP header to end) of the largest frame that cutting the
 * payload into 'mss'-byte pieces produces. */
uint32_t gso_seg_l3_size(const struct gso_layout *lay, uint32_t mss);

/* Completes a NEEDS_CSUM frame's partial checksum in place; a no-op for
 * other frames.  Does not change 'off' (the caller clears the flag).
 * Returns 0, or -EINVAL when the offsets do not fit in the frame. */
int gso_csum_complete(uint8_t *frame, size_t len,
		      const struct pkt_offload *off);

/* Segmentation state; fields are private to gso.c. */
struct gso_iter {
	const uint8_t *frame;	/* borrowed until the last gso_iter_next() */
	struct gso_layout lay;
	uint32_t mss;
	uint32_t pos;		/* next payload byte to copy */
	uint32_t index;		/* segments written so far */
	uint32_t count;		/* segments in all */
};

/* Prepares to cut frame's L4 payload (layout 'lay' from gso_parse()) into
 * pieces of at most 'mss' bytes.  Returns the number of segments (>= 1;
 * a frame without payload gives one segment of headers), or -EINVAL for
 * mss 0. */
int gso_iter_init(struct gso_iter *it, const uint8_t *frame,
		  const struct gso_layout *lay, uint32_t mss);

/* Writes the next segment into out[0..size).  Returns its length, 0 when
 * every segment has been written, or -ENOBUFS if it does not fit (the
 * iterator does not advance). */
int gso_iter_next(struct gso_iter *it, uint8_t *out, size_t size);

#endif
