/*
 * DOC: TUN/TAP ports ("attach tap DEVICE [netns NS]")
 *
 * The port is the file descriptor of a TAP device opened with
 * IFF_TAP | IFF_NO_PI | IFF_VNET_HDR: every read() returns one Ethernet
 * frame exactly as the kernel transmitted it (an 802.1Q tag the kernel
 * holds as metadata is written into the frame by the tun driver) behind a
 * virtio-net header (vnet.h), every write() injects one frame as if
 * received on the device.  readv()/writev() put the header in a struct on
 * the stack and the frame straight in the packet buffer: still one system
 * call per frame (tun has no batched read; writes could be batched only
 * through vhost-net or io_uring, not plain syscalls).
 *
 * Offloads.  TUNSETOFFLOAD tells the kernel what we accept from it:
 * partial checksums (TUN_F_CSUM), TCP super-frames for IPv4 and IPv6 with
 * and without ECN (TUN_F_TSO4/6/_ECN) and, where the kernel has it (6.2+),
 * UDP segmentation (TUN_F_USO4/6; probed: if refused we ask again
 * without).  The device then advertises those features, the stack above
 * it stops segmenting and checksumming, and a 64 KiB TCP write reaches us
 * as one frame.  In the other direction the kernel accepts any super-frame
 * whatever we asked for (virtio_net_hdr_to_skb()), tagged or not (a guest
 * with VLAN subinterfaces writes tagged ones), so port->offloads says
 * CSUM, TSO4/6/ECN, and USO if the kernel has it.  Header size: 12 bytes,
 * the virtio 1.0 header (see vnet.h); little-endian (TUNSETVNETLE).
 *
 * Device life cycle.  If the device does not exist, open() creates it and
 * leaves it non-persistent: it disappears with our file descriptor, in
 * whatever namespace it lives by then, so close() and even a crash of
 * okapid leave nothing behind.  If it exists (a persistent TAP made with
 * "ip tuntap add"), we attach to it and remember its MTU and admin state;
 * close() restores them and, if we had moved it into a namespace, moves it
 * back, so the device is left as it was found.
 *
 * Namespaces.  With "netns NS" the device is created in okapid's namespace
 * (that is where /dev/net/tun was opened), its MTU set, then moved into the
 * existing namespace /run/netns/NS with RTM_NEWLINK/IFLA_NET_NS_FD and
 * brought up there (netdev.c talks to that namespace through a socket
 * created inside it).  The file descriptor keeps working across the move.
 * If the namespace is deleted while the port is open, the kernel destroys
 * the device: reads then fail with EBADFD and the fd polls as an error
 * forever, so the port stops being polled (port->fd = -1) and its link goes
 * down until it is re-attached.
 *
 * Threads: open/close/set_mtu on the control thread, recv/send on the
 * dataplane worker (port.h).
 */
#include "dp/port-tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/log.h"
#include "dp/netdev.h"
#include "dp/port-provider.h"
#include "dp/vnet.h"

/* Older <linux/if_tun.h> lack UDP segmentation (Linux 6.2). */
#ifndef TUN_F_USO4
#define TUN_F_USO4	0x20
#define TUN_F_USO6	0x40
#endif

#define PORT_TAP_TUN_TCP (TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN)
#define PORT_TAP_TUN_USO (TUN_F_USO4 | TUN_F_USO6)

struct port_tap {
	int fd;			/* the TAP; port->fd while the device exists */
	unsigned tun_offloads;	/* TUN_F_* accepted by TUNSETOFFLOAD */
	bool created;		/* open() created it: it dies with fd */
	bool attached;		/* TUNSETIFF succeeded: close() must restore */
	bool gone;		/* the kernel destroyed the device under us */
	const char *netns;	/* namespace the device lives in now (NULL:
				 * ours); points into port->attach */
	/* A pre-existing device's state, restored by close(). */
	bool was_up;
	unsigned old_mtu;
	int home_nsfd;		/* moved: our namespace, to move it back; -1 */
};

static const char *port_tap_kind(const struct port *port)
{
	return port_type_name(port->attach.type);
}

/* Opens /dev/net/tun and binds it to 'device', creating the device if it
 * does not exist. */
static int port_tap_attach(struct port *port, struct port_tap *tap,
			   char **errp)
{
	const char *dev = port->attach.device;
	struct ifreq ifr;

	tap->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (tap->fd < 0)
		return port_errorf(errp, -errno, "%s %s: cannot open /dev/net/tun: %s",
				   port_tap_kind(port), dev, strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	strcpy(ifr.ifr_name, dev);
	if (ioctl(tap->fd, TUNSETIFF, &ifr) < 0) {
		int err = errno;

		return port_errorf(errp, -err, "%s %s: cannot attach: %s%s",
				   port_tap_kind(port), dev, strerror(err),
				   tap->created ? "" :
				   " (the device exists and is not a free TAP)");
	}
	tap->attached = true;
	/* A new device is non-persistent already; say so explicitly because
	 * "vanishes with our fd" is what close() relies on. */
	if (tap->created && ioctl(tap->fd, TUNSETPERSIST, 0) < 0)
		return port_errorf(errp, -errno, "%s %s: cannot clear persist flag: %s",
				   port_tap_kind(port), dev, strerror(errno));
	return 0;
}

/* Sets up the virtio-net header and asks for every offload the kernel
 * has (see DOC); sets port->offloads to what we may write back. */
static int port_tap_offload(struct port *port, struct port_tap *tap,
			    char **errp)
{
	int size = VNET_HDR_SIZE, le = 1;
	unsigned want = PORT_TAP_TUN_TCP | PORT_TAP_TUN_USO;

	if (ioctl(tap->fd, TUNSETVNETHDRSZ, &size) < 0 ||
	    ioctl(tap->fd, TUNSETVNETLE, &le) < 0)
		return port_errorf(errp, -errno, "%s %s: virtio-net header: %s",
				   port_tap_kind(port), port->attach.device,
				   strerror(errno));
	if (ioctl(tap->fd, TUNSETOFFLOAD, (unsigned long)want) < 0) {
		want = PORT_TAP_TUN_TCP;
		if (ioctl(tap->fd, TUNSETOFFLOAD, (unsigned long)want) < 0)
			return port_errorf(errp, -errno, "%s %s: TUNSETOFFLOAD: %s",
					   port_tap_kind(port),
					   port->attach.device, strerror(errno));
	}
	tap->tun_offloads = want;
	port->offloads = PORT_OFF_CSUM | PORT_OFF_TSO4 | PORT_OFF_TSO6 |
			 PORT_OFF_TSO_ECN |
			 (want & PORT_TAP_TUN_USO ? PORT_OFF_USO : 0);
	return 0;
}

/* Moves the device into port->attach.netns (or leaves it where it is). */
static int port_tap_move(struct port *port, struct port_tap *tap,
			 const char *netns, char **errp)
{
	const char *dev = port->attach.device;
	int nsfd, err;

	if (!netns || !*netns)
		return 0;
	nsfd = netdev_netns_open(netns);
	if (nsfd < 0)
		return port_errorf(errp, nsfd, "%s %s: network namespace %s %s",
				   port_tap_kind(port), dev, netns,
				   nsfd == -ENOENT ? "not found" : strerror(-nsfd));
	if (!tap->created) {
		tap->home_nsfd = netdev_netns_open(NULL);
		if (tap->home_nsfd < 0) {
			close(nsfd);
			return port_errorf(errp, tap->home_nsfd,
					   "%s %s: cannot open own namespace: %s",
					   port_tap_kind(port), dev,
					   strerror(-tap->home_nsfd));
		}
	}
	err = netdev_move(NULL, dev, nsfd);
	close(nsfd);
	if (err < 0)
		return port_errorf(errp, err, "%s %s: cannot move into namespace %s: %s",
				   port_tap_kind(port), dev, netns, strerror(-err));
	tap->netns = netns;
	return 0;
}

int port_tap_open_in(struct port *port, const char *netns, char **errp)
{
	const char *dev = port->attach.device;
	struct netdev_info info = { .ifindex = 0 };
	struct port_tap *tap;
	int err;

	tap = calloc(1, sizeof(*tap));
	if (!tap)
		return port_errorf(errp, -ENOMEM, "%s %s: out of memory",
				   port_tap_kind(port), dev);
	tap->fd = tap->home_nsfd = -1;
	port->priv = tap;
	err = netdev_get(NULL, dev, &info);
	if (err < 0 && err != -ENODEV) {
		port_errorf(errp, err, "%s %s: %s", port_tap_kind(port), dev,
			    strerror(-err));
		goto fail;
	}
	tap->created = err == -ENODEV;
	tap->was_up = !tap->created && (info.flags & IFF_UP);
	tap->old_mtu = tap->created ? 0 : info.mtu;
	err = port_tap_attach(port, tap, errp);
	if (!err)
		err = port_tap_offload(port, tap, errp);
	if (err < 0)
		goto fail;
	err = netdev_set_mtu(NULL, dev, (unsigned)port->mtu);
	if (err < 0) {
		port_errorf(errp, err, "%s %s: cannot set MTU %d: %s",
			    port_tap_kind(port), dev, port->mtu, strerror(-err));
		goto fail;
	}
	err = port_tap_move(port, tap, netns, errp);
	if (err < 0)
		goto fail;
	err = netdev_set_up(tap->netns, dev, true);
	if (err < 0) {
		port_errorf(errp, err, "%s %s: cannot bring up: %s",
			    port_tap_kind(port), dev, strerror(-err));
		goto fail;
	}
	port->fd = tap->fd;
	log_info("interface %s: %s %s %s%s%s, offloads csum tso%s", port->name,
		 port_tap_kind(port), dev, tap->created ? "created" : "attached",
		 tap->netns ? " in namespace " : "", tap->netns ? tap->netns : "",
		 tap->tun_offloads & PORT_TAP_TUN_USO ? " uso" : "");
	return 0;
fail:
	port_tap_close(port);
	return err;
}

/* Puts a pre-existing device back the way open() found it.  Best effort:
 * a failure is logged, there is nothing else to do about it. */
static void port_tap_restore(struct port *port, struct port_tap *tap)
{
	const char *dev = port->attach.device;
	int err = 0;

	/* The features stay on a persistent device; the next reader may not
	 * want super-frames. */
	if (tap->tun_offloads && ioctl(tap->fd, TUNSETOFFLOAD, 0UL) < 0)
		log_warn("%s %s: cannot switch offloads off again",
			 port_tap_kind(port), dev);
	if (tap->netns && tap->home_nsfd >= 0) {
		err = netdev_move(tap->netns, dev, tap->home_nsfd);
		if (err < 0)
			log_warnx("%s %s: cannot move back from namespace %s: %s",
				  port_tap_kind(port), dev, tap->netns,
				  strerror(-err));
		else
			tap->netns = NULL;
	}
	if (!err && tap->old_mtu)
		err = netdev_set_mtu(tap->netns, dev, tap->old_mtu);
	if (!err)
		err = netdev_set_up(tap->netns, dev, tap->was_up);
	if (err < 0 && err != -ENODEV)
		log_warnx("%s %s: cannot restore MTU and state: %s",
			  port_tap_kind(port), dev, strerror(-err));
}

void port_tap_close(struct port *port)
{
	struct port_tap *tap = port->priv;

	if (!tap)
		return;
	if (!tap->created && tap->attached && !tap->gone)
		port_tap_restore(port, tap);
	if (tap->fd >= 0)
		close(tap->fd);
	if (tap->home_nsfd >= 0)
		close(tap->home_nsfd);
	free(tap);
	port->priv = NULL;
	port->fd = -1;
}

/* The device was destroyed (its namespace deleted): stop polling. */
static void port_tap_lost(struct port *port, struct port_tap *tap)
{
	tap->gone = true;
	port->fd = -1;
	log_warnx("interface %s: %s %s was destroyed by the kernel; "
		  "re-attach the port to recreate it", port->name,
		  port_tap_kind(port), port->attach.device);
}

enum port_tap_rx {
	PORT_TAP_RX_FRAME,	/* p holds a frame */
	PORT_TAP_RX_DROPPED,	/* a frame was read and dropped (counted) */
	PORT_TAP_RX_EMPTY,	/* nothing pending */
	PORT_TAP_RX_ERROR,	/* *err says what */
};

/* Reads one frame and its header into p. */
static enum port_tap_rx port_tap_read(struct port *port, struct port_tap *tap,
				      struct pkt *p, int *err)
{
	struct vnet_hdr h;
	struct iovec iov[2] = {
		{ &h, sizeof(h) },
		/* The whole tailroom, not just PKT_FRAME_MAX: tun fails a
		 * read into a short buffer and drops the frame, so an
		 * oversize frame is read whole and left to the switch to
		 * count. */
		{ p->data, pkt_tailroom(p) },
	};
	ssize_t r = readv(tap->fd, iov, 2);

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return PORT_TAP_RX_EMPTY;
	if (r <= (ssize_t)sizeof(h)) {
		*err = r < 0 ? errno : EIO;
		return PORT_TAP_RX_ERROR;
	}
	if (vnet_to_offload(&h, &p->off) < 0) {
		port->stats.drops[PORT_DROP_MALFORMED]++;
		return PORT_TAP_RX_DROPPED;
	}
	p->len = (uint32_t)(r - (ssize_t)sizeof(h));
	return PORT_TAP_RX_FRAME;
}

int port_tap_recv_batch(struct port *port, struct pkt_pool *pool,
			struct pkt **pkts, int max)
{
	static struct log_rl rl = LOG_RL_INIT(5, 20);
	struct port_tap *tap = port->priv;
	int n = 0, err = 0;

	if (tap->gone)
		return 0;
	while (n < max) {
		struct pkt *p = pkt_alloc(pool);
		enum port_tap_rx r;

		if (!p)
			break;
		r = port_tap_read(port, tap, p, &err);
		if (r == PORT_TAP_RX_FRAME) {
			pkts[n++] = p;
			continue;
		}
		pkt_free(p);
		if (r == PORT_TAP_RX_DROPPED)
			continue;
		if (r == PORT_TAP_RX_EMPTY)
			break;
		if (err == EBADFD)
			port_tap_lost(port, tap);
		else if (log_rl_allow(&rl))
			log_warnx("interface %s: read from %s: %s", port->name,
				  port->attach.device, strerror(err));
		return n ? n : -err;
	}
	return n;
}

/* Writes one frame behind its virtio-net header.  Returns true if the
 * kernel took it. */
static bool port_tap_write(struct port *port, struct port_tap *tap,
			   const struct pkt *p)
{
	static struct log_rl rl = LOG_RL_INIT(5, 20);
	struct vnet_hdr h;
	struct iovec iov[2] = { { &h, sizeof(h) }, { p->data, p->len } };
	ssize_t r;

	vnet_from_offload(&p->off, &h);
	r = writev(tap->fd, iov, 2);
	if (r == (ssize_t)(sizeof(h) + p->len))
		return true;
	/* A full queue is congestion, not news. */
	if (r < 0 && errno != EAGAIN && log_rl_allow(&rl))
		log_warnx("interface %s: write of %u bytes to %s: %s",
			  port->name, p->len, port->attach.device,
			  strerror(errno));
	return false;
}

void port_tap_send_batch(struct port *port, struct pkt **pkts, int n)
{
	struct port_tap *tap = port->priv;

	for (int i = 0; i < n; i++) {
		struct pkt *p = pkts[i];

		if (tap->gone) {
			port->stats.drops[PORT_DROP_NO_LINK]++;
		} else if (port_tap_write(port, tap, p)) {
			port->stats.tx_packets++;
			port->stats.tx_bytes += p->len;
		} else {
			port->stats.drops[PORT_DROP_TX_ERROR]++;
		}
		pkt_free(p);
	}
}

int port_tap_set_mtu(struct port *port, int mtu)
{
	struct port_tap *tap = port->priv;

	if (tap->gone)
		return -ENODEV;
	return netdev_set_mtu(tap->netns, port->attach.device, (unsigned)mtu);
}

bool port_tap_link_up(const struct port *port)
{
	const struct port_tap *tap = port->priv;

	return tap && !tap->gone;
}

static int port_tap_open(struct port *port, char **errp)
{
	return port_tap_open_in(port, port->attach.netns, errp);
}

const struct port_class port_tap_class = {
	.type = PORT_TYPE_TAP,
	.open = port_tap_open,
	.close = port_tap_close,
	.recv_batch = port_tap_recv_batch,
	.send_batch = port_tap_send_batch,
	.set_mtu = port_tap_set_mtu,
	.link_up = port_tap_link_up,
};
