/*
 * DOC: AF_PACKET ports ("attach packet DEVICE")
 *
 * An existing NIC or veth joins the switch through a raw packet socket
 * bound to its ifindex with ETH_P_ALL.  The device is put in promiscuous
 * mode through a PACKET_MR_PROMISC membership (a counted reference the
 * kernel drops with the socket, so a crash cannot leave it set) and brought
 * up if it was down.  Frames we send are not looped back to us
 * (PACKET_IGNORE_OUTGOING).
 *
 * Receive ring.  TPACKET_V3: the kernel fills variable-sized frames into
 * blocks of PORT_PACKET_BLOCK_SIZE and hands a block over (TP_STATUS_USER)
 * when it is full or PORT_PACKET_RETIRE_MS after its first frame, so a
 * quiet link still sees ~1 ms latency while a busy one costs one wake-up
 * per block instead of one per frame.  The socket polls readable while a
 * handed-over block waits, so a batch that stops mid-block (max reached,
 * pool empty) resumes on the next wake-up at the frame where it stopped
 * (ring.next/left); a block goes back to the kernel only once every frame
 * in it has been copied out.  32 blocks of 128 KiB (4 MiB a port) hold a
 * 64 KiB super-frame in any block, and about 32 ms of backlog at the
 * timeout rate.
 *
 * VLAN tags.  The kernel strips an 802.1Q/802.1ad tag on receive into
 * metadata (TP_STATUS_VLAN_VALID, tp_vlan_tci, tp_vlan_tpid) before packet
 * sockets see the frame; we write it back after the MAC addresses so the
 * switch sees the frame exactly as it was on the wire.
 *
 * Transmit: sendmmsg() of the whole batch on the bound socket, non-blocking;
 * frames the kernel refuses are dropped and counted.
 *
 * Offloads (PACKET_VNET_HDR).  The socket puts a 10-byte virtio-net header
 * (vnet.h) in front of every frame, both ways, so the kernel's
 * super-frames (GRO/LRO on a NIC, TSO/GSO from a stack on the far end of a
 * veth) and partial checksums (CHECKSUM_PARTIAL) reach the switch as such,
 * and super-frames we send are segmented by the kernel (in the NIC, or in
 * software by dev_queue_xmit() when the NIC cannot).  port->offloads is
 * therefore everything, tagged super-frames included (the kernel finds the
 * IP header behind the tag; a trunk between two okapid over a veth carries
 * 64 KiB frames).  Should the kernel refuse PACKET_VNET_HDR
 * the port runs without (offloads 0), and then super-frames from the
 * device do not fit a ring frame and are dropped as oversize: switch GRO
 * and TSO off where they come from in that case.
 *
 * What we leave alone: the device MTU (a NIC belongs to the host; set it
 * with "ip link" so that it is at least the port's MTU, otherwise larger
 * frames fail with EMSGSIZE and count as tx-error) and its offloads.
 *
 * Threads: open/close on the control thread, recv/send on the worker.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "dp/netdev.h"
#include "dp/port-provider.h"
#include "dp/port.h"
#include "dp/vnet.h"

#define PORT_PACKET_BLOCK_SIZE	(1u << 17)
#define PORT_PACKET_BLOCK_NR	32u
/* V3 frames are variable-sized, up to a block; tp_frame_size only has to
 * divide the block. */
#define PORT_PACKET_FRAME_SIZE	(1u << 14)
#define PORT_PACKET_RETIRE_MS	1u
#define PORT_PACKET_TAG_SIZE	4u
#define PORT_PACKET_MACS_SIZE	12u

_Static_assert(PORT_PACKET_BLOCK_SIZE >= PKT_SUPER_MAX + TPACKET3_HDRLEN +
	       VNET_HDR_SIZE_LEGACY + 64 + 48,
	       "a block must hold a super-frame, its headers and the block's");

struct port_packet {
	int fd;
	int ifindex;
	bool vnet;		/* PACKET_VNET_HDR is on */
	bool promisc;		/* the PACKET_MR_PROMISC membership is held */
	bool brought_up;	/* open() set the device up: close() undoes */
	struct {
		uint8_t *base;
		size_t size;
		unsigned block;			/* block being read */
		struct tpacket3_hdr *next;	/* next frame in it; NULL:
						 * block not started */
		unsigned left;			/* frames left in it */
	} ring;
};

static int port_packet_setopt(struct port_packet *pp, int level, int name,
			      const void *val, socklen_t size)
{
	return setsockopt(pp->fd, level, name, val, size) < 0 ? -errno : 0;
}

/* Socket, ring and bind.  The socket is created with protocol 0 so that it
 * receives nothing until it is bound to the one device. */
static int port_packet_socket(struct port *port, struct port_packet *pp,
			      char **errp)
{
	const char *dev = port->attach.device;
	struct tpacket_req3 req = {
		.tp_block_size = PORT_PACKET_BLOCK_SIZE,
		.tp_block_nr = PORT_PACKET_BLOCK_NR,
		.tp_frame_size = PORT_PACKET_FRAME_SIZE,
		.tp_frame_nr = PORT_PACKET_BLOCK_SIZE / PORT_PACKET_FRAME_SIZE *
			       PORT_PACKET_BLOCK_NR,
		.tp_retire_blk_tov = PORT_PACKET_RETIRE_MS,
	};
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = pp->ifindex,
	};
	int version = TPACKET_V3, one = 1, err;

	pp->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (pp->fd < 0)
		return port_errorf(errp, -errno, "packet %s: socket: %s", dev,
				   strerror(errno));
	err = port_packet_setopt(pp, SOL_PACKET, PACKET_VERSION, &version,
				 sizeof(version));
	/* Before the ring: the kernel refuses it once a ring exists. */
	pp->vnet = !err && port_packet_setopt(pp, SOL_PACKET, PACKET_VNET_HDR,
					      &one, sizeof(one)) == 0;
	if (!err)
		err = port_packet_setopt(pp, SOL_PACKET, PACKET_RX_RING, &req,
					 sizeof(req));
	if (err)
		return port_errorf(errp, err, "packet %s: cannot set up the "
				   "TPACKET_V3 ring: %s", dev, strerror(-err));
	pp->ring.size = (size_t)PORT_PACKET_BLOCK_SIZE * PORT_PACKET_BLOCK_NR;
	pp->ring.base = mmap(NULL, pp->ring.size, PROT_READ | PROT_WRITE,
			     MAP_SHARED, pp->fd, 0);
	if (pp->ring.base == MAP_FAILED) {
		pp->ring.base = NULL;
		return port_errorf(errp, -errno, "packet %s: mmap of the ring: %s",
				   dev, strerror(errno));
	}
	err = port_packet_setopt(pp, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
				 sizeof(one));
	if (err)
		return port_errorf(errp, err, "packet %s: PACKET_IGNORE_OUTGOING: %s",
				   dev, strerror(-err));
	if (bind(pp->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return port_errorf(errp, -errno, "packet %s: bind: %s", dev,
				   strerror(errno));
	if (pp->vnet)
		port->offloads = PORT_OFF_CSUM | PORT_OFF_TSO4 | PORT_OFF_TSO6 |
				 PORT_OFF_TSO_ECN | PORT_OFF_USO;
	else
		log_warnx("packet %s: the kernel refused PACKET_VNET_HDR: "
			  "offloads off", dev);
	return 0;
}

static void port_packet_close(struct port *port)
{
	struct port_packet *pp = port->priv;
	int err;

	if (!pp)
		return;
	if (pp->promisc) {
		struct packet_mreq mr = {
			.mr_ifindex = pp->ifindex, .mr_type = PACKET_MR_PROMISC,
		};

		port_packet_setopt(pp, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &mr,
				   sizeof(mr));
	}
	if (pp->ring.base)
		munmap(pp->ring.base, pp->ring.size);
	if (pp->fd >= 0)
		close(pp->fd);
	if (pp->brought_up) {
		err = netdev_set_up(NULL, port->attach.device, false);
		if (err < 0 && err != -ENODEV)
			log_warnx("packet %s: cannot set down again: %s",
				  port->attach.device, strerror(-err));
	}
	free(pp);
	port->priv = NULL;
	port->fd = -1;
}

static int port_packet_open(struct port *port, char **errp)
{
	const char *dev = port->attach.device;
	struct netdev_info info;
	struct packet_mreq mr = { .mr_type = PACKET_MR_PROMISC };
	struct port_packet *pp;
	int err;

	err = netdev_get(NULL, dev, &info);
	if (err == -ENODEV)
		return port_errorf(errp, err, "device %s not found", dev);
	if (err < 0)
		return port_errorf(errp, err, "packet %s: cannot look up: %s",
				   dev, strerror(-err));
	pp = calloc(1, sizeof(*pp));
	if (!pp)
		return port_errorf(errp, -ENOMEM, "packet %s: out of memory", dev);
	pp->fd = -1;
	pp->ifindex = info.ifindex;
	port->priv = pp;
	/* Up before bind: binding to a down device records ENETDOWN on the
	 * socket, a stale error we would report on the first wake-up. */
	if (!(info.flags & IFF_UP)) {
		err = netdev_set_up(NULL, dev, true);
		if (err < 0) {
			port_errorf(errp, err, "packet %s: cannot bring up: %s",
				    dev, strerror(-err));
			goto fail;
		}
		pp->brought_up = true;
	}
	err = port_packet_socket(port, pp, errp);
	if (err < 0)
		goto fail;
	mr.mr_ifindex = pp->ifindex;
	err = port_packet_setopt(pp, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
				 sizeof(mr));
	if (err < 0) {
		port_errorf(errp, err, "packet %s: cannot set promiscuous mode: %s",
			    dev, strerror(-err));
		goto fail;
	}
	pp->promisc = true;
	port->fd = pp->fd;
	log_info("interface %s: packet socket on %s (ifindex %d, MTU %u%s)",
		 port->name, dev, pp->ifindex, info.mtu,
		 pp->vnet ? ", offloads" : "");
	return 0;
fail:
	port_packet_close(port);
	return err;
}

static struct tpacket_block_desc *port_packet_block(struct port_packet *pp)
{
	return (struct tpacket_block_desc *)
		(pp->ring.base + (size_t)pp->ring.block * PORT_PACKET_BLOCK_SIZE);
}

/* Reads the virtio-net header in front of the frame 'h' points at into
 * p->off.  Returns false (and counts a drop) for one we cannot use. */
static bool port_packet_offload(struct port *port, const struct tpacket3_hdr *h,
				struct pkt *p)
{
	struct vnet_hdr vh = { .flags = 0 };

	if (h->tp_mac < VNET_HDR_SIZE_LEGACY) {
		port->stats.drops[PORT_DROP_MALFORMED]++;
		return false;
	}
	memcpy(&vh, (const uint8_t *)h + h->tp_mac - VNET_HDR_SIZE_LEGACY,
	       VNET_HDR_SIZE_LEGACY);
	if (vnet_to_offload(&vh, &p->off) < 0) {
		port->stats.drops[PORT_DROP_MALFORMED]++;
		return false;
	}
	return true;
}

/* Copies the frame 'h' points at into 'p', putting back the VLAN tag the
 * kernel stripped (and moving the offload offsets behind it).  Returns
 * false (and counts a drop) for a frame that does not fit. */
static bool port_packet_copy(struct port *port, const struct tpacket3_hdr *h,
			     struct pkt *p)
{
	static struct log_rl rl = LOG_RL_INIT(5, 20);
	const struct port_packet *pp = port->priv;
	const uint8_t *src = (const uint8_t *)h + h->tp_mac;
	bool tagged = (h->tp_status & TP_STATUS_VLAN_VALID) &&
		      h->tp_snaplen >= PORT_PACKET_MACS_SIZE;
	size_t size = h->tp_snaplen + (tagged ? PORT_PACKET_TAG_SIZE : 0);
	uint16_t tpid, tci;

	if (h->tp_snaplen < h->tp_len || size > pkt_tailroom(p)) {
		port->stats.drops[PORT_DROP_OVERSIZE]++;
		if (log_rl_allow(&rl))
			log_warnx("interface %s: %u-byte frame from %s does not "
				  "fit a packet buffer (GRO/LRO on?)", port->name,
				  h->tp_len, port->attach.device);
		return false;
	}
	if (pp->vnet && !port_packet_offload(port, h, p))
		return false;
	if (!tagged) {
		memcpy(p->data, src, h->tp_snaplen);
	} else {
		tpid = htons((h->tp_status & TP_STATUS_VLAN_TPID_VALID) ?
			     h->hv1.tp_vlan_tpid : ETH_P_8021Q);
		tci = htons(h->hv1.tp_vlan_tci);
		memcpy(p->data, src, PORT_PACKET_MACS_SIZE);
		memcpy(p->data + PORT_PACKET_MACS_SIZE, &tpid, sizeof(tpid));
		memcpy(p->data + PORT_PACKET_MACS_SIZE + 2, &tci, sizeof(tci));
		memcpy(p->data + PORT_PACKET_MACS_SIZE + PORT_PACKET_TAG_SIZE,
		       src + PORT_PACKET_MACS_SIZE,
		       h->tp_snaplen - PORT_PACKET_MACS_SIZE);
		pkt_offload_shift(p, -(int)PORT_PACKET_TAG_SIZE);
	}
	p->len = (uint32_t)size;
	return true;
}

/* Picks up a socket error so that it stops polling as EPOLLERR: the kernel
 * sets ENETDOWN when the device goes down and keeps it until read.  Only
 * called when a wake-up found no frame, so it costs nothing under load. */
static void port_packet_check_error(struct port *port, struct port_packet *pp)
{
	static struct log_rl rl = LOG_RL_INIT(5, 20);
	int err = 0;
	socklen_t size = sizeof(err);

	if (getsockopt(pp->fd, SOL_SOCKET, SO_ERROR, &err, &size) == 0 && err &&
	    log_rl_allow(&rl))
		log_warnx("interface %s: packet socket on %s: %s", port->name,
			  port->attach.device, strerror(err));
}

static int port_packet_recv_batch(struct port *port, struct pkt_pool *pool,
				  struct pkt **pkts, int max)
{
	struct port_packet *pp = port->priv;
	int n = 0;

	while (n < max) {
		struct tpacket_block_desc *bd = port_packet_block(pp);

		if (!pp->ring.next) {
			if (!(__atomic_load_n(&bd->hdr.bh1.block_status,
					      __ATOMIC_ACQUIRE) & TP_STATUS_USER))
				break;
			pp->ring.left = bd->hdr.bh1.num_pkts;
			pp->ring.next = (struct tpacket3_hdr *)
				((uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt);
		}
		while (pp->ring.left && n < max) {
			struct tpacket3_hdr *h = pp->ring.next;
			struct pkt *p = pkt_alloc(pool);

			if (!p)
				goto out;
			if (port_packet_copy(port, h, p))
				pkts[n++] = p;
			else
				pkt_free(p);
			pp->ring.left--;
			pp->ring.next = (struct tpacket3_hdr *)
				((uint8_t *)h + h->tp_next_offset);
		}
		if (pp->ring.left)
			break;
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL,
				 __ATOMIC_RELEASE);
		pp->ring.block = (pp->ring.block + 1) % PORT_PACKET_BLOCK_NR;
		pp->ring.next = NULL;
	}
out:
	if (n == 0)
		port_packet_check_error(port, pp);
	return n;
}

/* Counts frames [from, to) of a failed send as dropped for 'reason'. */
static void port_packet_drop(struct port *port, enum port_drop reason,
			     int from, int to)
{
	port->stats.drops[reason] += (uint64_t)(to - from);
}

/* Sends one burst (n <= PKT_BURST) with as few sendmmsg() calls as the
 * kernel allows.  A frame the kernel refuses (EMSGSIZE, ...) is skipped; a
 * full queue or a down device drops the rest of the burst. */
static void port_packet_send_burst(struct port *port, struct pkt **pkts,
				   int n)
{
	static struct log_rl rl = LOG_RL_INIT(5, 20);
	struct port_packet *pp = port->priv;
	struct mmsghdr msgs[PKT_BURST];
	struct iovec iovs[PKT_BURST][2];
	struct vnet_hdr vhs[PKT_BURST];
	int i = 0, k = pp->vnet ? 0 : 1;

	memset(msgs, 0, sizeof(msgs[0]) * (size_t)n);
	for (int j = 0; j < n; j++) {
		/* Without PACKET_VNET_HDR the header iovec is skipped. */
		vnet_from_offload(&pkts[j]->off, &vhs[j]);
		iovs[j][0] = (struct iovec){ &vhs[j], VNET_HDR_SIZE_LEGACY };
		iovs[j][1] = (struct iovec){ pkts[j]->data, pkts[j]->len };
		msgs[j].msg_hdr.msg_iov = &iovs[j][k];
		msgs[j].msg_hdr.msg_iovlen = (size_t)(2 - k);
	}
	while (i < n) {
		int r = sendmmsg(pp->fd, msgs + i, (unsigned)(n - i),
				 MSG_DONTWAIT);

		if (r > 0) {
			for (int j = i; j < i + r; j++) {
				port->stats.tx_packets++;
				port->stats.tx_bytes += pkts[j]->len;
			}
			i += r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == ENETDOWN || errno == ENXIO)) {
			port_packet_drop(port, PORT_DROP_NO_LINK, i, n);
			return;
		}
		if (r == 0 || errno == EAGAIN || errno == ENOBUFS) {
			port_packet_drop(port, PORT_DROP_TX_ERROR, i, n);
			return;
		}
		if (log_rl_allow(&rl))
			log_warnx("interface %s: send of %u bytes on %s: %s",
				  port->name, pkts[i]->len, port->attach.device,
				  strerror(errno));
		port_packet_drop(port, PORT_DROP_TX_ERROR, i, i + 1);
		i++;
	}
}

static void port_packet_send_batch(struct port *port, struct pkt **pkts,
				   int n)
{
	for (int i = 0; i < n; i += PKT_BURST)
		port_packet_send_burst(port, pkts + i,
				       n - i < PKT_BURST ? n - i : PKT_BURST);
	for (int i = 0; i < n; i++)
		pkt_free(pkts[i]);
}

const struct port_class port_packet_class = {
	.type = PORT_TYPE_PACKET,
	.open = port_packet_open,
	.close = port_packet_close,
	.recv_batch = port_packet_recv_batch,
	.send_batch = port_packet_send_batch,
	.set_mtu = NULL,	/* the NIC's MTU is the host's (see DOC) */
	.link_up = NULL,
};
