/*
 * DOC: TUN/TAP ports ("attach tap DEVICE [netns NS]")
 *
 * The port is the file descriptor of a TAP device opened with
 * IFF_TAP | IFF_NO_PI: every read() returns one Ethernet frame exactly as
 * the kernel transmitted it (an 802.1Q tag the kernel holds as metadata is
 * written into the frame by the tun driver), every write() injects one
 * frame as if received on the device.  No virtio-net header yet, so the
 * kernel segments and checksums everything before we see it.
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
#include <unistd.h>

#include "core/log.h"
#include "dp/netdev.h"
#include "dp/port-provider.h"

struct port_tap {
	int fd;			/* the TAP; port->fd while the device exists */
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
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
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
	log_info("interface %s: %s %s %s%s%s", port->name, port_tap_kind(port),
		 dev, tap->created ? "created" : "attached",
		 tap->netns ? " in namespace " : "", tap->netns ? tap->netns : "");
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

int port_tap_recv_batch(struct port *port, struct pkt_pool *pool,
			struct pkt **pkts, int max)
{
	static struct log_rl rl = LOG_RL_INIT(5, 20);
	struct port_tap *tap = port->priv;
	int n = 0;

	if (tap->gone)
		return 0;
	while (n < max) {
		struct pkt *p = pkt_alloc(pool);
		ssize_t r;

		if (!p)
			break;
		/* The whole tailroom, not just PKT_FRAME_MAX: tun fails a
		 * read into a short buffer and drops the frame, so an
		 * oversize frame is read whole and left to the switch to
		 * count. */
		r = read(tap->fd, p->data, pkt_tailroom(p));
		if (r <= 0) {
			int err = r < 0 ? errno : EIO;

			pkt_free(p);
			if (err == EAGAIN || err == EINTR)
				break;
			if (err == EBADFD)
				port_tap_lost(port, tap);
			else if (log_rl_allow(&rl))
				log_warnx("interface %s: read from %s: %s",
					  port->name, port->attach.device,
					  strerror(err));
			return n ? n : -err;
		}
		p->len = (uint32_t)r;
		pkts[n++] = p;
	}
	return n;
}

void port_tap_send_batch(struct port *port, struct pkt **pkts, int n)
{
	static struct log_rl rl = LOG_RL_INIT(5, 20);
	struct port_tap *tap = port->priv;

	for (int i = 0; i < n; i++) {
		struct pkt *p = pkts[i];
		ssize_t r;

		if (tap->gone) {
			port->stats.drops[PORT_DROP_NO_LINK]++;
			pkt_free(p);
			continue;
		}
		r = write(tap->fd, p->data, p->len);
		if (r == (ssize_t)p->len) {
			port->stats.tx_packets++;
			port->stats.tx_bytes += p->len;
		} else {
			port->stats.drops[PORT_DROP_TX_ERROR]++;
			/* A full queue is congestion, not news. */
			if (r < 0 && errno != EAGAIN && log_rl_allow(&rl))
				log_warnx("interface %s: write to %s: %s",
					  port->name, port->attach.device,
					  strerror(errno));
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
