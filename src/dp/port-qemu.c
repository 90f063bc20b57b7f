/*
 * DOC: QEMU stream ports ("attach qemu SOCKET-PATH")
 *
 * QEMU >= 7.2 connects a guest NIC to a unix stream socket with
 *	-netdev stream,id=n0,server=off,addr.type=unix,addr.path=SOCKET-PATH
 * QEMU is the client: okapid listens on the path and accepts one VM.  The
 * stream carries each Ethernet frame as a 4-byte big-endian length followed
 * by the frame, in both directions (the passt/qemu "stream" protocol).  A
 * length of 0 or above 65535 cannot come from a sane peer, so it ends the
 * connection rather than letting us resynchronise on garbage.
 *
 * States and port->fd (what the worker polls, see port.h):
 *   listening   no VM; port->fd is the listening socket, send_batch drops
 *               frames as no-link, link_up() is false.  A wake-up accepts.
 *   connected   port->fd is the connection.  EOF, a reset or a broken
 *               length closes it and returns to listening, so a VM that
 *               restarts simply reconnects (a new QEMU that connects before
 *               we saw the old one go waits in the listen backlog).
 *   backlogged  connected, but complete frames are still in the reassembly
 *               buffer after a batch stopped at 'max': the socket would not
 *               poll readable for data we already read, so port->fd is an
 *               eventfd that is always readable until the buffer has no
 *               complete frame left.
 *
 * Receive.  One recv() takes up to PORT_QEMU_RXBUF_SIZE bytes; frames are
 * cut from that buffer, so frames split across reads or several per read
 * are both handled.  The buffer always has room for one more maximum-size
 * frame after the partial one it keeps.  Any frame legal on the stream
 * fits a packet buffer (asserted below); one larger than the port's MTU is
 * the switch's to drop and count as oversize.
 *
 * Offloads: none.  The stream carries plain frames (QEMU's stream netdev
 * has no virtio-net header), so port->offloads stays 0 and the switch
 * segments super-frames and completes partial checksums before they get
 * here (switch.c, gso.c); what arrives is at most an MTU-sized frame.
 *
 * Transmit never blocks the worker: a batch goes out with one sendmsg();
 * what the socket does not take stays, in order, in a small tx buffer
 * (always room for the rest of a frame already started, so the stream never
 * breaks mid-frame), and frames that do not fit while it is full are
 * dropped as tx-error.  The buffer drains on the next send_batch() or
 * recv_batch(); a frame may wait there until the VM sends or we forward
 * something, which only happens while the VM is not keeping up anyway.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/log.h"
#include "dp/port-provider.h"
#include "dp/port.h"

#define PORT_QEMU_HDR_SIZE	4u
#define PORT_QEMU_FRAME_MAX	65535u
#define PORT_QEMU_RXBUF_SIZE	(2u * (PORT_QEMU_HDR_SIZE + PORT_QEMU_FRAME_MAX))
#define PORT_QEMU_TXBUF_SIZE	(64u * 1024u)
#define PORT_QEMU_BACKLOG	4

_Static_assert(PKT_BUF_SIZE - PKT_HEADROOM >= PORT_QEMU_FRAME_MAX,
	       "every frame the stream can carry fits a packet buffer");
/* The switch hands us frames of at most PKT_FRAME_MAX (no offloads);
 * port_qemu_send_batch() drops anything larger rather than break the
 * stream. */
_Static_assert(PORT_QEMU_TXBUF_SIZE >= PORT_QEMU_HDR_SIZE + PKT_FRAME_MAX,
	       "the tx buffer must hold the rest of any frame");

struct port_qemu {
	int listen_fd;
	int conn;		/* connected VM, or -1 */
	int pending_fd;		/* eventfd, always readable (backlogged) */
	bool dead;		/* a send saw the peer gone; recv closes */
	ino_t inode;		/* our socket file, unlinked only if still ours */
	struct {
		uint8_t *buf;
		size_t off, len;	/* unparsed bytes: buf[off, off+len) */
	} rx;
	struct {
		uint8_t *buf;
		size_t off, len;	/* unsent bytes: buf[off, off+len) */
	} tx;
};

enum port_qemu_parse {
	PORT_QEMU_FRAME,	/* a packet was produced */
	PORT_QEMU_NEED_DATA,	/* no complete frame buffered */
	PORT_QEMU_NO_BUFFER,	/* pool empty, frame left in place */
	PORT_QEMU_BROKEN,	/* impossible length: drop the peer */
};

static uint32_t port_qemu_get_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static void port_qemu_put_be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* Removes a socket file left by a process that is gone.  Refuses a path
 * that is not a socket, or a socket something still listens on. */
static int port_qemu_clear_path(const char *path, char **errp)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, r, err;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 :
		       port_errorf(errp, -errno, "qemu %s: %s", path, strerror(errno));
	if (!S_ISSOCK(st.st_mode))
		return port_errorf(errp, -EEXIST, "qemu %s: exists and is not a socket",
				   path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return port_errorf(errp, -errno, "qemu %s: socket: %s", path,
				   strerror(errno));
	strcpy(sa.sun_path, path);
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	err = errno;
	close(fd);
	if (r == 0 || err == EAGAIN)
		return port_errorf(errp, -EADDRINUSE,
				   "qemu %s: socket is in use by another process", path);
	if (unlink(path) < 0 && errno != ENOENT)
		return port_errorf(errp, -errno, "qemu %s: cannot remove stale socket: %s",
				   path, strerror(errno));
	return 0;
}

static int port_qemu_listen(struct port_qemu *q, const char *path, char **errp)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int err;

	q->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (q->listen_fd < 0)
		return port_errorf(errp, -errno, "qemu %s: socket: %s", path,
				   strerror(errno));
	strcpy(sa.sun_path, path);
	if (bind(q->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = errno;
		if (err == ENOENT)
			return port_errorf(errp, -err, "qemu %s: directory does not exist",
					   path);
		return port_errorf(errp, -err, "qemu %s: bind: %s", path,
				   strerror(err));
	}
	if (stat(path, &st) == 0)
		q->inode = st.st_ino;
	if (listen(q->listen_fd, PORT_QEMU_BACKLOG) < 0)
		return port_errorf(errp, -errno, "qemu %s: listen: %s", path,
				   strerror(errno));
	return 0;
}

static void port_qemu_close(struct port *port)
{
	struct port_qemu *q = port->priv;
	struct stat st;

	if (!q)
		return;
	if (q->conn >= 0)
		close(q->conn);
	if (q->pending_fd >= 0)
		close(q->pending_fd);
	if (q->listen_fd >= 0) {
		close(q->listen_fd);
		if (q->inode && stat(port->attach.path, &st) == 0 &&
		    st.st_ino == q->inode)
			unlink(port->attach.path);
	}
	free(q->rx.buf);
	free(q->tx.buf);
	free(q);
	port->priv = NULL;
	port->fd = -1;
}

static int port_qemu_open(struct port *port, char **errp)
{
	const char *path = port->attach.path;
	struct port_qemu *q;
	int err;

	if (!path[0] || strnlen(path, sizeof(port->attach.path)) >=
			sizeof(((struct sockaddr_un *)NULL)->sun_path))
		return port_errorf(errp, -EINVAL, "qemu: socket path '%.*s' is empty "
				   "or too long", (int)sizeof(port->attach.path),
				   path);
	q = calloc(1, sizeof(*q));
	if (!q)
		return port_errorf(errp, -ENOMEM, "qemu %s: out of memory", path);
	q->listen_fd = q->conn = q->pending_fd = -1;
	port->priv = q;
	q->rx.buf = malloc(PORT_QEMU_RXBUF_SIZE);
	q->tx.buf = malloc(PORT_QEMU_TXBUF_SIZE);
	if (!q->rx.buf || !q->tx.buf) {
		err = port_errorf(errp, -ENOMEM, "qemu %s: out of memory", path);
		goto fail;
	}
	q->pending_fd = eventfd(1, EFD_NONBLOCK | EFD_CLOEXEC);
	if (q->pending_fd < 0) {
		err = port_errorf(errp, -errno, "qemu %s: eventfd: %s", path,
				  strerror(errno));
		goto fail;
	}
	err = port_qemu_clear_path(path, errp);
	if (!err)
		err = port_qemu_listen(q, path, errp);
	if (err)
		goto fail;
	port->fd = q->listen_fd;
	log_info("interface %s: waiting for QEMU on %s", port->name, path);
	return 0;
fail:
	port_qemu_close(port);
	return err;
}

static void port_qemu_disconnect(struct port *port, struct port_qemu *q,
				 const char *why)
{
	static struct log_rl rl = LOG_RL_INIT(10, 10);

	if (log_rl_allow(&rl))
		log_info("interface %s: VM on %s disconnected (%s)", port->name,
			 port->attach.path, why);
	close(q->conn);
	q->conn = -1;
	q->dead = false;
	q->rx.off = q->rx.len = 0;
	q->tx.off = q->tx.len = 0;
	port->fd = q->listen_fd;
}

static bool port_qemu_accept(struct port *port, struct port_qemu *q)
{
	static struct log_rl rl = LOG_RL_INIT(10, 10);

	q->conn = accept4(q->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (q->conn < 0) {
		if (errno != EAGAIN && errno != EINTR && log_rl_allow(&rl))
			log_warn("interface %s: accept on %s", port->name,
				 port->attach.path);
		return false;
	}
	if (log_rl_allow(&rl))
		log_info("interface %s: VM connected on %s", port->name,
			 port->attach.path);
	port->fd = q->conn;
	return true;
}

/* Cuts the next frame out of the rx buffer into a packet from 'pool'. */
static enum port_qemu_parse port_qemu_parse(struct port *port,
					    struct port_qemu *q,
					    struct pkt_pool *pool,
					    struct pkt **out)
{
	const uint8_t *b = q->rx.buf + q->rx.off;
	uint32_t size;
	struct pkt *p;

	if (q->rx.len < PORT_QEMU_HDR_SIZE)
		return PORT_QEMU_NEED_DATA;
	size = port_qemu_get_be32(b);
	if (size == 0 || size > PORT_QEMU_FRAME_MAX)
		return PORT_QEMU_BROKEN;
	if (q->rx.len < PORT_QEMU_HDR_SIZE + size)
		return PORT_QEMU_NEED_DATA;
	p = pkt_alloc(pool);
	if (!p)
		return PORT_QEMU_NO_BUFFER;
	q->rx.off += PORT_QEMU_HDR_SIZE + size;
	q->rx.len -= PORT_QEMU_HDR_SIZE + size;
	memcpy(p->data, b + PORT_QEMU_HDR_SIZE, size);
	p->len = size;
	*out = p;
	return PORT_QEMU_FRAME;
}

/* Reads more of the stream.  Returns >0 bytes read, 0 when nothing is
 * pending, or -1 after the connection was closed. */
static ssize_t port_qemu_read(struct port *port, struct port_qemu *q)
{
	ssize_t r;

	if (q->rx.off) {
		memmove(q->rx.buf, q->rx.buf + q->rx.off, q->rx.len);
		q->rx.off = 0;
	}
	do {
		r = recv(q->conn, q->rx.buf + q->rx.len,
			 PORT_QEMU_RXBUF_SIZE - q->rx.len, MSG_DONTWAIT);
	} while (r < 0 && errno == EINTR);
	if (r > 0) {
		q->rx.len += (size_t)r;
		return r;
	}
	if (r < 0 && errno == EAGAIN)
		return 0;
	port_qemu_disconnect(port, q, r == 0 ? "end of stream" : strerror(errno));
	return -1;
}

/* True while a complete frame (or a broken length) waits in the buffer. */
static bool port_qemu_backlogged(const struct port_qemu *q)
{
	uint32_t size;

	if (q->rx.len < PORT_QEMU_HDR_SIZE)
		return false;
	size = port_qemu_get_be32(q->rx.buf + q->rx.off);
	return size == 0 || size > PORT_QEMU_FRAME_MAX ||
	       q->rx.len >= PORT_QEMU_HDR_SIZE + size;
}

static void port_qemu_flush(struct port *port, struct port_qemu *q);

static int port_qemu_recv_batch(struct port *port, struct pkt_pool *pool,
				struct pkt **pkts, int max)
{
	static struct log_rl rl = LOG_RL_INIT(5, 20);
	struct port_qemu *q = port->priv;
	int n = 0;

	if (q->conn < 0 && !port_qemu_accept(port, q))
		return 0;
	if (q->dead) {
		port_qemu_disconnect(port, q, "connection lost");
		return 0;
	}
	if (q->tx.len)
		port_qemu_flush(port, q);
	while (n < max) {
		switch (port_qemu_parse(port, q, pool, &pkts[n])) {
		case PORT_QEMU_FRAME:
			n++;
			continue;
		case PORT_QEMU_NEED_DATA:
			if (port_qemu_read(port, q) > 0)
				continue;
			if (q->conn >= 0)	/* drained, not disconnected */
				port->fd = q->conn;
			return n;
		case PORT_QEMU_NO_BUFFER:
			break;
		case PORT_QEMU_BROKEN:
			if (log_rl_allow(&rl))
				log_warnx("interface %s: frame length %u from VM on %s",
					  port->name,
					  port_qemu_get_be32(q->rx.buf + q->rx.off),
					  port->attach.path);
			port_qemu_disconnect(port, q, "broken frame length");
			return n;
		}
		break;
	}
	port->fd = port_qemu_backlogged(q) ? q->pending_fd : q->conn;
	return n;
}

/* Notes that a send found the peer gone; recv_batch() closes the socket
 * (the worker only re-reads port->fd after recv_batch). */
static void port_qemu_send_failed(struct port *port, struct port_qemu *q,
				  int err)
{
	static struct log_rl rl = LOG_RL_INIT(5, 20);

	if (err == EAGAIN)
		return;
	if (err != EPIPE && err != ECONNRESET && log_rl_allow(&rl))
		log_warnx("interface %s: send to VM on %s: %s", port->name,
			  port->attach.path, strerror(err));
	q->dead = true;
}

static void port_qemu_flush(struct port *port, struct port_qemu *q)
{
	while (q->tx.len && !q->dead) {
		ssize_t r = send(q->conn, q->tx.buf + q->tx.off, q->tx.len,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			port_qemu_send_failed(port, q, errno);
			return;
		}
		q->tx.off += (size_t)r;
		q->tx.len -= (size_t)r;
	}
	if (!q->tx.len)
		q->tx.off = 0;
}

/* Appends header + frame, minus the first 'skip' bytes already sent, to
 * the tx buffer.  Returns false if it does not fit. */
static bool port_qemu_queue(struct port_qemu *q, const struct pkt *p,
			    size_t skip)
{
	uint8_t hdr[PORT_QEMU_HDR_SIZE];
	size_t size = PORT_QEMU_HDR_SIZE + p->len - skip;
	uint8_t *dst;

	if (q->tx.len + size > PORT_QEMU_TXBUF_SIZE)
		return false;
	if (q->tx.off + q->tx.len + size > PORT_QEMU_TXBUF_SIZE) {
		memmove(q->tx.buf, q->tx.buf + q->tx.off, q->tx.len);
		q->tx.off = 0;
	}
	dst = q->tx.buf + q->tx.off + q->tx.len;
	port_qemu_put_be32(hdr, p->len);
	if (skip < PORT_QEMU_HDR_SIZE) {
		memcpy(dst, hdr + skip, PORT_QEMU_HDR_SIZE - skip);
		memcpy(dst + PORT_QEMU_HDR_SIZE - skip, p->data, p->len);
	} else {
		memcpy(dst, p->data + (skip - PORT_QEMU_HDR_SIZE), size);
	}
	q->tx.len += size;
	return true;
}

/* Writes up to PKT_BURST frames straight to the socket (tx buffer empty).
 * A frame the socket took only part of is finished through the tx buffer.
 * Returns how many frames are done. */
static int port_qemu_send_direct(struct port *port, struct port_qemu *q,
				 struct pkt **pkts, int n)
{
	uint8_t hdrs[PKT_BURST][PORT_QEMU_HDR_SIZE];
	struct iovec iovs[2 * PKT_BURST];
	struct msghdr msg = { .msg_iov = iovs };
	int count = n < PKT_BURST ? n : PKT_BURST, done = 0;
	ssize_t r;

	for (int i = 0; i < count; i++) {
		port_qemu_put_be32(hdrs[i], pkts[i]->len);
		iovs[2 * i] = (struct iovec){ hdrs[i], PORT_QEMU_HDR_SIZE };
		iovs[2 * i + 1] = (struct iovec){ pkts[i]->data, pkts[i]->len };
	}
	msg.msg_iovlen = (size_t)(2 * count);
	do {
		r = sendmsg(q->conn, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		port_qemu_send_failed(port, q, errno);
		return 0;
	}
	for (; done < count && r > 0; done++) {
		size_t size = PORT_QEMU_HDR_SIZE + pkts[done]->len;

		if ((size_t)r < size)
			port_qemu_queue(q, pkts[done], (size_t)r);
		r -= (ssize_t)size < r ? (ssize_t)size : r;
		port->stats.tx_packets++;
		port->stats.tx_bytes += pkts[done]->len;
	}
	return done;
}

/* Drops (as tx-error) the frames too large for the tx buffer's
 * guarantee; compacts pkts[] in place.  Returns the count left. */
static int port_qemu_drop_huge(struct port *port, struct pkt **pkts, int n)
{
	int kept = 0;

	for (int i = 0; i < n; i++) {
		if (pkts[i]->len <= PKT_FRAME_MAX) {
			pkts[kept++] = pkts[i];
			continue;
		}
		port->stats.drops[PORT_DROP_TX_ERROR]++;
		pkt_free(pkts[i]);
	}
	return kept;
}

static void port_qemu_send_batch(struct port *port, struct pkt **pkts, int n)
{
	struct port_qemu *q = port->priv;
	int i = 0;

	n = port_qemu_drop_huge(port, pkts, n);
	if (q->conn >= 0 && q->tx.len)
		port_qemu_flush(port, q);
	while (i < n && q->conn >= 0 && !q->dead && !q->tx.len) {
		int done = port_qemu_send_direct(port, q, pkts + i, n - i);

		if (!done)
			break;
		i += done;
	}
	for (; i < n; i++) {
		if (q->conn < 0 || q->dead) {
			port->stats.drops[PORT_DROP_NO_LINK]++;
		} else if (port_qemu_queue(q, pkts[i], 0)) {
			port->stats.tx_packets++;
			port->stats.tx_bytes += pkts[i]->len;
		} else {
			port->stats.drops[PORT_DROP_TX_ERROR]++;
		}
	}
	for (i = 0; i < n; i++)
		pkt_free(pkts[i]);
}

static bool port_qemu_link_up(const struct port *port)
{
	const struct port_qemu *q = port->priv;

	return q && q->conn >= 0 && !q->dead;
}

const struct port_class port_qemu_class = {
	.type = PORT_TYPE_QEMU,
	.open = port_qemu_open,
	.close = port_qemu_close,
	.recv_batch = port_qemu_recv_batch,
	.send_batch = port_qemu_send_batch,
	.set_mtu = NULL,	/* the guest sets its own MTU */
	.link_up = port_qemu_link_up,
};
