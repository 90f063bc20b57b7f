/*
 * DOC: ports
 *
 * A port is where frames enter and leave the switch: a TAP device, an
 * AF_PACKET socket on an existing NIC or veth, a QEMU "-netdev stream" unix
 * socket, an internal TAP for the host, or a dummy port for tests.  Each kind
 * implements struct port_class; the rest of okapid only sees struct port.
 *
 * Life cycle (all on the control thread unless noted):
 *   port_open()   creates the port and its kernel resources (may block, may
 *                 fail with an error string).  The port is not yet polled.
 *   dp_port_add() hands it to the dataplane (see dp.h); from then on only
 *                 the worker calls recv_batch/send_batch, and the control
 *                 thread touches it only while the dataplane is quiesced.
 *   dp_port_remove() takes it back, then port_close() frees everything.
 *
 * The worker polls port->fd for EPOLLIN.  A class may change port->fd from
 * inside recv_batch (the qemu port swaps its listening socket for the
 * accepted connection and back); the worker notices and re-registers.  A
 * port with fd < 0 is not polled.
 *
 * Offloads.  recv_batch may return TCP/UDP super-frames and frames with a
 * partial checksum, described by pkt->off (pkt.h); a class that has no
 * such information leaves pkt->off zero.  On the way out, port->offloads
 * says what the port can send besides plain frames; the switch guarantees
 * that send_batch only sees frames within it (anything else was segmented
 * or checksummed in software first, gso.h) and that a GSO frame's segments
 * (gso_size plus headers) fit the port's MTU.
 */
#ifndef OKAPI_PORT_H
#define OKAPI_PORT_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "core/pkt.h"

/* Reasons a frame is dropped, counted per port.  X-macro: enum + names. */
#define PORT_DROP_REASONS(X)						\
	X(RUNT,          "runt")          /* shorter than 14 bytes */	\
	X(MALFORMED,     "malformed")     /* truncated 802.1Q tag, ... */ \
	X(OVERSIZE,      "oversize")      /* larger than the port MTU */ \
	X(VLAN,          "vlan")          /* VLAN not allowed on port */ \
	X(PORT_SECURITY, "port-security") /* unknown source MAC */	\
	X(PORT_DOWN,     "port-down")     /* shutdown or err-disabled */ \
	X(BAD_SOURCE,    "bad-source")    /* multicast/zero source MAC */ \
	X(NO_BUFFER,     "no-buffer")     /* packet pool empty */	\
	X(TX_ERROR,      "tx-error")      /* kernel refused the frame */ \
	X(NO_LINK,       "no-link")       /* egress not connected */

enum port_drop {
#define PORT_DROP_ENUM(name, str) PORT_DROP_##name,
	PORT_DROP_REASONS(PORT_DROP_ENUM)
#undef PORT_DROP_ENUM
	PORT_DROP__COUNT
};
extern const char *const port_drop_names[PORT_DROP__COUNT];

/* Counters; written by the dataplane worker only, read by anyone (64-bit
 * aligned loads are atomic on the platforms we support, so a reader sees each
 * counter consistent, not a consistent set). */
struct port_stats {
	uint64_t rx_packets, rx_bytes;
	uint64_t tx_packets, tx_bytes;
	uint64_t rx_broadcast, rx_multicast;
	uint64_t drops[PORT_DROP__COUNT];
};

enum port_type {
	PORT_TYPE_NONE = 0,	/* configured but not attached */
	PORT_TYPE_TAP,
	PORT_TYPE_INTERNAL,
	PORT_TYPE_PACKET,
	PORT_TYPE_QEMU,
	PORT_TYPE_DUMMY,
};
const char *port_type_name(enum port_type t);

/* What to attach; filled from the config's "attach ..." line. */
struct port_attach {
	enum port_type type;
	char device[IFNAMSIZ];	/* tap/internal/packet: kernel device name */
	char netns[64];		/* tap: namespace to move the device into */
	char path[108];		/* qemu: unix socket path */
};

/* What a port can send (struct port.offloads, set by open()). */
enum port_offload {
	PORT_OFF_CSUM	 = 1 << 0,	/* frames with PKT_OFF_NEEDS_CSUM */
	PORT_OFF_TSO4	 = 1 << 1,	/* PKT_GSO_TCPV4 super-frames */
	PORT_OFF_TSO6	 = 1 << 2,	/* PKT_GSO_TCPV6 super-frames */
	PORT_OFF_TSO_ECN = 1 << 3,	/* ... with PKT_OFF_GSO_ECN */
	PORT_OFF_USO	 = 1 << 4,	/* PKT_GSO_UDP_L4 super-frames */
};

struct port;

struct port_class {
	enum port_type type;

	/* Creates the kernel resources for 'port' (port->attach, port->name
	 * and port->mtu are set).  Sets port->fd, port->priv and
	 * port->offloads (zero: plain frames only).  On failure
	 * returns -errno and stores a malloc()ed message in *errp ("device
	 * eth9 not found").  Must not leave anything behind on failure. */
	int (*open)(struct port *port, char **errp);

	/* Releases everything open() created.  A TAP that open() created is
	 * destroyed; a pre-existing device is left as it was found (promisc
	 * off).  Must accept a port whose open() failed. */
	void (*close)(struct port *port);

	/* Receives up to 'max' frames into packets allocated from 'pool' and
	 * stores them in pkts[].  Returns the count (0 when nothing is
	 * pending) or -errno on a hard error.  The caller owns the packets
	 * returned.  Frames are returned exactly as on the wire (an 802.1Q
	 * tag the kernel stripped into metadata is put back), with pkt->off
	 * describing super-frames and partial checksums. */
	int (*recv_batch)(struct port *port, struct pkt_pool *pool,
			  struct pkt **pkts, int max);

	/* Sends n frames, each within port->offloads (see DOC).  Consumes all
	 * the packets, whether or not they were
	 * sent; frames not sent are counted in stats.drops[TX_ERROR] or
	 * [NO_LINK] by the class.  Updates tx counters.  Never blocks: when
	 * the kernel queue is full the frames are dropped. */
	void (*send_batch)(struct port *port, struct pkt **pkts, int n);

	/* Applies a new MTU (bytes of L3 payload, 68-9216) to the kernel
	 * device where there is one.  May be NULL.  Returns 0 or -errno. */
	int (*set_mtu)(struct port *port, int mtu);

	/* True if the link can carry frames (qemu: a VM is connected). May be
	 * NULL, meaning always up. */
	bool (*link_up)(const struct port *port);
};

struct port {
	char name[64];			/* config interface name */
	struct port_attach attach;
	const struct port_class *class;
	int fd;				/* polled for EPOLLIN by the worker; -1: none */
	int mtu;			/* L3 MTU; frames > mtu + 14 (+4 if tagged) dropped */
	void *priv;			/* class private state */
	unsigned offloads;		/* enum port_offload bits */
	struct port_stats stats;
};

/* Returns the class for a type, or NULL. */
const struct port_class *port_class_find(enum port_type type);

/* Allocates a port, runs class->open().  Returns NULL and sets *errp on
 * failure.  mtu is the configured MTU. */
struct port *port_open(const char *name, const struct port_attach *attach,
		       int mtu, char **errp);
/* Runs class->close() and frees the port.  NULL is fine. */
void port_close(struct port *port);

extern const struct port_class port_tap_class;
extern const struct port_class port_internal_class;
extern const struct port_class port_packet_class;
extern const struct port_class port_qemu_class;
extern const struct port_class port_dummy_class;

#endif
