/*
 * DOC: port class tests
 *
 * One table of cases, each exercising one class through the port_class
 * interface exactly as the dataplane worker does (poll port->fd, then
 * recv_batch; send_batch hands packets over).  The dummy, qemu and open-error
 * cases need no privileges.  The tap, internal and packet cases need root:
 * they build their own network namespace and veth pair with "ip", named
 * after our pid so parallel runs do not clash, and register the commands
 * that undo them before creating anything, so every case cleans up even when
 * a check fails (and at exit if a case aborts half-way).  Without root those
 * cases print SKIP.  The offload cases play the switch themselves: they
 * relay frames between two ports while iperf3 runs across, and check that
 * the kernel's TCP super-frames arrive whole with their virtio-net
 * metadata and are accepted back (iperf3 completes, nothing is refused).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit/check.h"
#include "core/log.h"
#include "core/pkt.h"
#include "dp/netdev.h"
#include "dp/port-dummy.h"
#include "dp/port.h"

#define POOL_SIZE	256
#define TIMEOUT_MS	3000


/* ---- helpers: shell, cleanup, time ------------------------------------ */

#define CLEANUP_MAX 16
static char cleanups[CLEANUP_MAX][256];
static int n_cleanups;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " >/dev/null 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	r = system(cmd);
	return r == -1 ? -1 : WEXITSTATUS(r);
}

/* Registers a command that undoes what the caller is about to create. */
static void cleanup_push(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void cleanup_push(const char *fmt, ...)
{
	va_list ap;

	if (n_cleanups == CLEANUP_MAX) {
		fprintf(stderr, "cleanup list full\n");
		abort();
	}
	va_start(ap, fmt);
	vsnprintf(cleanups[n_cleanups++], sizeof(cleanups[0]), fmt, ap);
	va_end(ap);
}

/* Runs the registered commands, newest first; failures (already gone)
 * are expected and ignored. */
static void cleanup_run(void)
{
	while (n_cleanups > 0)
		sh("%s", cleanups[--n_cleanups]);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool readable(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return fd >= 0 && poll(&pfd, 1, timeout_ms) == 1;
}

/* ---- helpers: frames and packets -------------------------------------- */

static struct pkt *make_pkt(struct pkt_pool *pool, const void *data, size_t len)
{
	struct pkt *p = pkt_alloc(pool);

	if (p) {
		memcpy(p->data, data, len);
		p->len = (uint32_t)len;
	}
	return p;
}

/* Ethernet frame dst, src, [802.1Q tci], type, then 'payload' bytes that
 * count up from 'seed'.  Returns its length. */
static size_t make_frame(uint8_t *buf, const uint8_t dst[6], const uint8_t src[6],
			 int tci, uint16_t type, size_t payload, uint8_t seed)
{
	size_t off = 12;

	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	if (tci >= 0) {
		buf[off++] = 0x81;
		buf[off++] = 0x00;
		buf[off++] = (uint8_t)(tci >> 8);
		buf[off++] = (uint8_t)tci;
	}
	buf[off++] = (uint8_t)(type >> 8);
	buf[off++] = (uint8_t)type;
	for (size_t i = 0; i < payload; i++)
		buf[off + i] = (uint8_t)(seed + i);
	return off + payload;
}

typedef bool (*pkt_match_fn)(const struct pkt *p, const void *ctx);

/* Polls and receives like the worker until 'want' packets accepted by
 * 'match' (NULL: any) are in out[], or the timeout.  Other packets are
 * freed.  Returns how many were collected; the caller frees them. */
static int pump(struct port *port, struct pkt_pool *pool, struct pkt **out,
		int want, pkt_match_fn match, const void *ctx, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	int got = 0;

	while (got < want && now_ms() < deadline) {
		struct pkt *pkts[PKT_BURST];
		int n;

		if (!readable(port->fd, 50))
			continue;
		n = port->class->recv_batch(port, pool, pkts, PKT_BURST);
		for (int i = 0; i < n; i++) {
			if (got < want && (!match || match(pkts[i], ctx)))
				out[got++] = pkts[i];
			else
				pkt_free(pkts[i]);
		}
	}
	return got;
}

static void free_pkts(struct pkt **pkts, int n)
{
	for (int i = 0; i < n; i++)
		pkt_free(pkts[i]);
}

static bool pkt_equals(const struct pkt *p, const void *frame, size_t len)
{
	return p->len == len && memcmp(p->data, frame, len) == 0;
}

struct frame_ref {
	const uint8_t *data;
	size_t len;
};

static bool match_frame(const struct pkt *p, const void *ctx)
{
	const struct frame_ref *f = ctx;

	return pkt_equals(p, f->data, f->len);
}

/* ---- dummy ------------------------------------------------------------ */

static void test_dummy(struct pkt_pool *pool)
{
	static const uint8_t a[6] = { 2, 0, 0, 0, 0, 1 }, b[6] = { 2, 0, 0, 0, 0, 2 };
	struct port_attach attach = { .type = PORT_TYPE_DUMMY };
	uint8_t frames[3][64], buf[128];
	struct pkt *pkts[PKT_BURST];
	char *err = NULL;
	struct port *port;
	int n, r;

	port = port_open("d0", &attach, 1500, &err);
	CHECK(port, "open: %s", err ? err : "?");
	free(err);
	if (!port)
		return;
	for (int i = 0; i < 3; i++) {
		make_frame(frames[i], a, b, -1, 0x88b5, 50, (uint8_t)i);
		CHECK(port_dummy_inject(port, frames[i], 64) == 0, "inject %d", i);
	}
	CHECK(readable(port->fd, 0), "fd not readable with 3 frames queued");
	n = port->class->recv_batch(port, pool, pkts, 2);
	CHECK(n == 2, "first batch %d", n);
	for (int i = 0; i < n && i < 2; i++)
		CHECK(pkt_equals(pkts[i], frames[i], 64), "frame %d differs", i);
	CHECK(readable(port->fd, 0), "fd not readable with 1 frame left");
	free_pkts(pkts, n);
	n = port->class->recv_batch(port, pool, pkts, PKT_BURST);
	CHECK(n == 1 && pkt_equals(pkts[0], frames[2], 64), "last frame (n=%d)", n);
	CHECK(!readable(port->fd, 0), "fd readable with an empty queue");
	free_pkts(pkts, n);

	pkts[0] = make_pkt(pool, frames[0], 64);
	pkts[1] = make_pkt(pool, frames[1], 60);
	port->class->send_batch(port, pkts, 2);
	CHECK(port->stats.tx_packets == 2 && port->stats.tx_bytes == 124,
	      "tx counters %lu/%lu", (unsigned long)port->stats.tx_packets,
	      (unsigned long)port->stats.tx_bytes);
	CHECK(port_dummy_pop_tx(port, buf, 10) == -EMSGSIZE, "short pop buffer");
	r = port_dummy_pop_tx(port, buf, sizeof(buf));
	CHECK(r == 64 && !memcmp(buf, frames[0], 64), "pop 1: %d", r);
	r = port_dummy_pop_tx(port, buf, sizeof(buf));
	CHECK(r == 60 && !memcmp(buf, frames[1], 60), "pop 2: %d", r);
	CHECK(port_dummy_pop_tx(port, buf, sizeof(buf)) == 0, "pop from empty");

	CHECK(port_dummy_inject(port, buf, 0) == -EMSGSIZE, "empty frame");
	CHECK(port_dummy_inject(NULL, buf, 64) == -EINVAL, "NULL port");
	for (r = 0; r < PORT_DUMMY_QUEUE_MAX; r++)
		if (port_dummy_inject(port, frames[0], 64) < 0)
			break;
	CHECK(r == PORT_DUMMY_QUEUE_MAX, "queue took %d", r);
	CHECK(port_dummy_inject(port, frames[0], 64) == -ENOBUFS, "full queue");
	port_close(port);	/* frees what is still queued */
}

/* ---- open errors ------------------------------------------------------ */

struct open_error_case {
	const char *what;
	struct port_attach attach;
	int mtu;
	const char *message;	/* substring of the error */
};

static void test_open_errors(struct pkt_pool *pool)
{
	static char missing[IFNAMSIZ], nodir[108], message[64];
	struct open_error_case cases[] = {
		{ "MTU too small", { .type = PORT_TYPE_DUMMY }, 67, "MTU 67 out of range" },
		{ "MTU too large", { .type = PORT_TYPE_DUMMY }, 9217, "(expected 68-9216)" },
		{ "no type", { .type = PORT_TYPE_NONE }, 1500, "type none" },
		{ "missing device", { .type = PORT_TYPE_PACKET }, 1500, message },
		{ "missing directory", { .type = PORT_TYPE_QEMU }, 1500, "directory does not exist" },
		{ "long default device", { .type = PORT_TYPE_TAP }, 1500, "too long for a device name" },
	};

	snprintf(missing, sizeof(missing), "okx%d", (int)getpid());
	snprintf(message, sizeof(message), "device %s not found", missing);
	snprintf(nodir, sizeof(nodir), "/tmp/okapi-nodir-%d/vm.sock", (int)getpid());
	strcpy(cases[3].attach.device, missing);
	strcpy(cases[4].attach.path, nodir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *err = NULL;
		struct port *port = port_open("a-very-long-interface-name",
					      &cases[i].attach, cases[i].mtu, &err);

		CHECK(!port, "%s: opened", cases[i].what);
		CHECK(err && strstr(err, cases[i].message), "%s: error '%s', want '%s'",
		      cases[i].what, err ? err : "(none)", cases[i].message);
		port_close(port);
		free(err);
	}
}

/* ---- qemu ------------------------------------------------------------- */

static int qemu_client(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strcpy(sa.sun_path, path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Runs receive rounds until the port is connected (its fd left the
 * listening socket) or back to listening.  Returns whether it got there. */
static bool qemu_wait(struct port *port, struct pkt_pool *pool, int listen_fd,
		      bool connected)
{
	long deadline = now_ms() + TIMEOUT_MS;
	struct pkt *pkts[PKT_BURST];

	while ((port->fd != listen_fd) != connected && now_ms() < deadline)
		if (readable(port->fd, 50))
			free_pkts(pkts, port->class->recv_batch(port, pool, pkts,
								PKT_BURST));
	return (port->fd != listen_fd) == connected;
}

static void put_len(uint8_t *b, uint32_t len)
{
	b[0] = (uint8_t)(len >> 24);
	b[1] = (uint8_t)(len >> 16);
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
}

static bool write_all(int fd, const void *buf, size_t size)
{
	return write(fd, buf, size) == (ssize_t)size;
}

/* Reads one framed frame from the client side; returns its length or -1. */
static int qemu_read_frame(int fd, uint8_t *buf, size_t size, int timeout_ms)
{
	uint8_t hdr[4];
	uint32_t len;

	if (!readable(fd, timeout_ms) || recv(fd, hdr, 4, MSG_WAITALL) != 4)
		return -1;
	len = (uint32_t)hdr[0] << 24 | hdr[1] << 16 | hdr[2] << 8 | hdr[3];
	if (len > size || recv(fd, buf, len, MSG_WAITALL) != (ssize_t)len)
		return -1;
	return (int)len;
}

static const uint8_t vm_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Frames split across writes, several per write, a burst beyond one batch,
 * and a 20000-byte frame (legal on the stream, larger than any MTU) that
 * arrives whole for the switch to judge, without desynchronising the
 * stream. */
static void qemu_check_rx(struct port *port, struct pkt_pool *pool, int c)
{
	static uint8_t stream[100 * 68 + 4 + 20000];
	uint8_t f[4][80];
	struct pkt *pkts[101];
	size_t off = 0;
	int n;

	for (int i = 0; i < 4; i++)
		make_frame(f[i], bcast, vm_mac, -1, 0x88b5, 60, (uint8_t)(i * 10));
	for (int i = 0; i < 3; i++) {
		put_len(stream + off, 74);
		memcpy(stream + off + 4, f[i], 74);
		off += 78;
	}
	CHECK(write_all(c, stream, 2), "write");
	CHECK(pump(port, pool, pkts, 1, NULL, NULL, 200) == 0, "frame from 2 bytes");
	CHECK(write_all(c, stream + 2, 12), "write");
	CHECK(!readable(port->fd, 100) ||
	      port->class->recv_batch(port, pool, pkts, PKT_BURST) == 0,
	      "frame from 14 bytes");
	CHECK(write_all(c, stream + 14, off - 14), "write");
	n = pump(port, pool, pkts, 3, NULL, NULL, TIMEOUT_MS);
	CHECK(n == 3, "got %d of 3 frames", n);
	for (int i = 0; i < n; i++)
		CHECK(pkt_equals(pkts[i], f[i], 74), "frame %d differs", i);
	free_pkts(pkts, n);

	/* 100 frames in one write: more than one batch, all in order. */
	off = 0;
	for (int i = 0; i < 100; i++) {
		put_len(stream + off, 64);
		make_frame(stream + off + 4, bcast, vm_mac, -1, 0x88b5, 50, (uint8_t)i);
		off += 68;
	}
	put_len(stream + off, 20000);
	memset(stream + off + 4, 0xab, 20000);
	off += 20004;
	CHECK(write_all(c, stream, off), "write burst");
	n = pump(port, pool, pkts, 101, NULL, NULL, TIMEOUT_MS);
	CHECK(n == 101, "burst: got %d of 101", n);
	for (int i = 0; i < n && i < 100; i++)
		CHECK(pkts[i]->len == 64 && pkts[i]->data[14] == (uint8_t)i,
		      "burst frame %d out of order", i);
	CHECK(n < 101 || (pkts[100]->len == 20000 &&
			  pkts[100]->data[19999] == 0xab), "20000-byte frame");
	free_pkts(pkts, n);
	put_len(stream, 74);
	memcpy(stream + 4, f[3], 74);
	CHECK(write_all(c, stream, 78), "write");
	n = pump(port, pool, pkts, 1, NULL, NULL, TIMEOUT_MS);
	CHECK(n == 1 && pkt_equals(pkts[0], f[3], 74), "frame after oversize");
	free_pkts(pkts, n);
	CHECK(port->stats.drops[PORT_DROP_OVERSIZE] == 0, "oversize drops %lu",
	      (unsigned long)port->stats.drops[PORT_DROP_OVERSIZE]);
	CHECK(!readable(port->fd, 0), "port fd readable with nothing pending");
}

/* Reads what the client socket has into buf at *have and counts the
 * complete, intact frames of 'size' bytes at its front (consumed).  Returns
 * false when a frame is malformed. */
static bool qemu_client_drain(int c, uint8_t *buf, size_t bufsize, size_t *have,
			      size_t size, int *frames)
{
	ssize_t r;

	while ((r = recv(c, buf + *have, bufsize - *have, MSG_DONTWAIT)) > 0)
		*have += (size_t)r;
	while (*have >= 4) {
		uint32_t len = (uint32_t)buf[0] << 24 | buf[1] << 16 | buf[2] << 8 | buf[3];

		if (len != size)
			return false;
		if (*have < 4 + len)
			break;
		for (size_t k = 1; k < len - 14; k++)
			if (buf[4 + 14 + k] != (uint8_t)(buf[4 + 14] + k))
				return false;
		memmove(buf, buf + 4 + len, *have - 4 - len);
		*have -= 4 + len;
		(*frames)++;
	}
	return true;
}

/* Frames to the VM; then a VM that stops reading: the frames counted as
 * sent must all arrive intact once it reads again (the port finishing a
 * frame it had only partly written), the rest are counted as tx errors. */
static void qemu_check_tx(struct port *port, struct pkt_pool *pool, int c)
{
	enum { BATCHES = 63, TOTAL = BATCHES * PKT_BURST, SIZE = 1500 };
	static uint8_t stream[1 << 20];
	uint8_t f[SIZE], buf[SIZE];
	struct pkt *pkts[PKT_BURST];
	uint64_t sent0, sent, errors;
	size_t have = 0;
	int got = 0, len, idle = 0;
	bool intact = true;

	make_frame(f, vm_mac, bcast, -1, 0x88b5, 100, 7);
	pkts[0] = make_pkt(pool, f, 114);
	pkts[1] = make_pkt(pool, f, 60);
	port->class->send_batch(port, pkts, 2);
	len = qemu_read_frame(c, buf, sizeof(buf), TIMEOUT_MS);
	CHECK(len == 114 && !memcmp(buf, f, 114), "first frame to VM: %d", len);
	len = qemu_read_frame(c, buf, sizeof(buf), TIMEOUT_MS);
	CHECK(len == 60 && !memcmp(buf, f, 60), "second frame to VM: %d", len);

	sent0 = port->stats.tx_packets;
	for (int i = 0; i < BATCHES; i++) {
		for (int j = 0; j < PKT_BURST; j++) {
			make_frame(f, vm_mac, bcast, -1, 0x88b5, SIZE - 14,
				   (uint8_t)(i * PKT_BURST + j));
			pkts[j] = make_pkt(pool, f, SIZE);
		}
		port->class->send_batch(port, pkts, PKT_BURST);
	}
	sent = port->stats.tx_packets - sent0;
	errors = port->stats.drops[PORT_DROP_TX_ERROR];
	CHECK(errors > 0 && sent + errors == TOTAL, "sent %lu, dropped %lu of %d",
	      (unsigned long)sent, (unsigned long)errors, TOTAL);
	/* Each time the socket runs dry, a receive round lets the port flush
	 * its tx buffer. */
	while (intact && (uint64_t)got < sent && idle < 20) {
		int before = got;

		intact = qemu_client_drain(c, stream, sizeof(stream), &have, SIZE, &got);
		free_pkts(pkts, port->class->recv_batch(port, pool, pkts, PKT_BURST));
		idle = got == before ? idle + 1 : 0;
	}
	CHECK(intact && (uint64_t)got == sent && have == 0,
	      "VM read %d of %lu frames (%s, %zu bytes left)", got,
	      (unsigned long)sent, intact ? "intact" : "corrupt", have);
}

/* A VM sending an impossible length is dropped; another one reconnects;
 * a VM going away takes the link down. */
static void qemu_check_reconnect(struct port *port, struct pkt_pool *pool,
				 int c, int listen_fd)
{
	uint8_t zero[4] = { 0 }, f[64], buf[64];
	struct pkt *pkts[2];
	int n;

	CHECK(write_all(c, zero, 4), "write");
	CHECK(qemu_wait(port, pool, listen_fd, false) && !port->class->link_up(port),
	      "still connected after a zero length");
	CHECK(recv(c, buf, 1, 0) == 0, "VM socket not closed");
	close(c);

	c = qemu_client(port->attach.path);
	CHECK(c >= 0 && qemu_wait(port, pool, listen_fd, true), "no reconnect");
	make_frame(f, bcast, vm_mac, -1, 0x88b5, 50, 3);
	put_len(buf, 64);
	CHECK(write_all(c, buf, 4) && write_all(c, f, 64), "write");
	n = pump(port, pool, pkts, 1, NULL, NULL, TIMEOUT_MS);
	CHECK(n == 1 && pkt_equals(pkts[0], f, 64), "frame after reconnect");
	free_pkts(pkts, n);
	close(c);
	CHECK(qemu_wait(port, pool, listen_fd, false) && !port->class->link_up(port),
	      "link up after the VM closed");
}

static void test_qemu(struct pkt_pool *pool)
{
	struct port_attach attach = { .type = PORT_TYPE_QEMU };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	uint8_t f[64];
	struct pkt *pkts[1];
	struct stat st;
	char *err = NULL;
	struct port *port;
	int c, listen_fd;

	snprintf(attach.path, sizeof(attach.path), "/tmp/okapi-pt-%d.sock", (int)getpid());
	cleanup_push("rm -f %s", attach.path);
	/* A stale socket file from a dead process is replaced. */
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(sa.sun_path, attach.path);
	CHECK(bind(c, (struct sockaddr *)&sa, sizeof(sa)) == 0, "stale bind");
	close(c);
	port = port_open("vm1", &attach, 1500, &err);
	CHECK(port, "open: %s", err ? err : "?");
	free(err);
	if (!port)
		return;
	listen_fd = port->fd;
	CHECK(!port->class->link_up(port), "link up without a VM");
	make_frame(f, vm_mac, bcast, -1, 0x88b5, 50, 0);
	pkts[0] = make_pkt(pool, f, 64);
	port->class->send_batch(port, pkts, 1);
	CHECK(port->stats.drops[PORT_DROP_NO_LINK] == 1, "no-link drop not counted");

	err = NULL;
	CHECK(!port_open("vm2", &attach, 1500, &err) && err &&
	      strstr(err, "in use"), "second listener: %s", err ? err : "opened");
	free(err);

	c = qemu_client(attach.path);
	CHECK(c >= 0 && qemu_wait(port, pool, listen_fd, true), "no accept");
	CHECK(port->class->link_up(port), "link down with a VM");
	if (port->fd != listen_fd) {
		qemu_check_rx(port, pool, c);
		qemu_check_tx(port, pool, c);
		qemu_check_reconnect(port, pool, c, listen_fd);
	}
	port_close(port);
	CHECK(stat(attach.path, &st) < 0 && errno == ENOENT, "socket left behind");

	/* Something that is not a socket is never removed. */
	close(open(attach.path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
	err = NULL;
	CHECK(!port_open("vm3", &attach, 1500, &err) && err &&
	      strstr(err, "not a socket"), "regular file: %s", err ? err : "opened");
	free(err);
	cleanup_run();
}

/* ---- root: namespaces, tap, internal, packet -------------------------- */

static char ns[32];

static bool make_netns(void)
{
	snprintf(ns, sizeof(ns), "okpt%d", (int)getpid());
	cleanup_push("ip netns del %s", ns);
	return sh("ip netns add %s", ns) == 0;
}

struct arp_match {
	uint16_t op;
	uint8_t target_ip[4];
};

static bool match_arp(const struct pkt *p, const void *ctx)
{
	const struct arp_match *m = ctx;

	return p->len >= 42 && p->data[12] == 0x08 && p->data[13] == 0x06 &&
	       p->data[21] == m->op && !memcmp(p->data + 38, m->target_ip, 4);
}

static size_t make_arp_request(uint8_t *buf, const uint8_t mac[6],
			       const uint8_t ip[4], const uint8_t target[4])
{
	static const uint8_t hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };

	make_frame(buf, bcast, mac, -1, ETH_P_ARP, 0, 0);
	memcpy(buf + 14, hdr, 8);
	memcpy(buf + 22, mac, 6);
	memcpy(buf + 28, ip, 4);
	memset(buf + 32, 0, 6);
	memcpy(buf + 38, target, 4);
	memset(buf + 42, 0, 18);
	return 60;
}

/* A packet socket on 'dev' in 'netns' (the other end of a port). */
static int peer_socket(const char *netns, const char *dev, uint16_t proto)
{
	struct netdev_info info;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(proto) };
	int fd, one = 1;

	if (netdev_get(netns, dev, &info) < 0)
		return -1;
	fd = netdev_netns_socket(netns, AF_PACKET, SOCK_RAW, htons(proto));
	sll.sll_ifindex = info.ifindex;
	if (fd >= 0 && (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0 ||
			setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Receives the next incoming frame on a peer socket that starts with
 * 'prefix'; fills *aux if it is not NULL.  Returns the length or -1. */
static int peer_recv(int fd, uint8_t *buf, size_t size, const uint8_t *prefix,
		     size_t prefix_len, struct tpacket_auxdata *aux)
{
	long deadline = now_ms() + TIMEOUT_MS;

	while (now_ms() < deadline) {
		union {
			struct cmsghdr align;
			char space[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		} control;
		struct sockaddr_ll from;
		struct iovec iov = { buf, size };
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = &control, .msg_controllen = sizeof(control),
		};
		ssize_t r;

		if (!readable(fd, 50))
			continue;
		r = recvmsg(fd, &msg, MSG_DONTWAIT);
		if (r < (ssize_t)prefix_len || from.sll_pkttype == PACKET_OUTGOING ||
		    memcmp(buf, prefix, prefix_len))
			continue;
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); aux && cm;
		     cm = CMSG_NXTHDR(&msg, cm))
			if (cm->cmsg_level == SOL_PACKET && cm->cmsg_type == PACKET_AUXDATA)
				memcpy(aux, CMSG_DATA(cm), sizeof(*aux));
		return (int)r;
	}
	return -1;
}

/* Kernel -> port: an ARP request the namespace's stack sends; port ->
 * kernel: our ARP request seen on the namespace side and answered. */
static void tap_check_traffic(struct port *port, struct pkt_pool *pool,
			      const char *dev)
{
	static const uint8_t our_mac[6] = { 2, 0, 0, 0, 0x11, 2 };
	struct arp_match who_has_2 = { 1, { 10, 211, 0, 2 } };
	struct arp_match reply = { 2, { 10, 211, 0, 2 } };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	uint8_t frame[64], buf[256];
	struct pkt *pkts[1];
	int udp, peer, n;

	CHECK(sh("ip -n %s addr add 10.211.0.1/24 dev %s", ns, dev) == 0, "addr");
	udp = netdev_netns_socket(ns, AF_INET, SOCK_DGRAM, 0);
	CHECK(udp >= 0, "udp socket in %s: %s", ns, strerror(-udp));
	inet_pton(AF_INET, "10.211.0.2", &to.sin_addr);
	CHECK(udp >= 0 && sendto(udp, "x", 1, 0, (struct sockaddr *)&to,
				 sizeof(to)) == 1, "sendto");
	n = pump(port, pool, pkts, 1, match_arp, &who_has_2, TIMEOUT_MS);
	CHECK(n == 1, "no ARP request from the namespace");
	free_pkts(pkts, n);

	peer = peer_socket(ns, dev, ETH_P_ARP);
	CHECK(peer >= 0, "peer socket");
	make_arp_request(frame, our_mac, who_has_2.target_ip,
			 (const uint8_t[]){ 10, 211, 0, 1 });
	pkts[0] = make_pkt(pool, frame, 60);
	port->class->send_batch(port, pkts, 1);
	CHECK(port->stats.tx_packets == 1 && port->stats.tx_bytes == 60,
	      "tx counters %lu", (unsigned long)port->stats.tx_packets);
	CHECK(peer_recv(peer, buf, sizeof(buf), frame, 60, NULL) == 60,
	      "our frame not seen in the namespace");
	n = pump(port, pool, pkts, 1, match_arp, &reply, TIMEOUT_MS);
	CHECK(n == 1 && !memcmp(pkts[0]->data, our_mac, 6), "no ARP reply");
	free_pkts(pkts, n);
	if (udp >= 0)
		close(udp);
	if (peer >= 0)
		close(peer);
}

static void test_tap(struct pkt_pool *pool)
{
	struct port_attach attach = { .type = PORT_TYPE_TAP };
	struct netdev_info info;
	struct pkt *pkts[PKT_BURST];
	char *err = NULL;
	struct port *port;
	int n;

	snprintf(attach.device, sizeof(attach.device), "okt%d", (int)getpid());
	cleanup_push("ip link del %s", attach.device);
	/* A missing namespace fails the open and leaves no device behind. */
	snprintf(attach.netns, sizeof(attach.netns), "okpt%d-none", (int)getpid());
	port = port_open("vm1", &attach, 1500, &err);
	CHECK(!port && err && strstr(err, "not found") &&
	      netdev_get(NULL, attach.device, NULL) == -ENODEV,
	      "missing namespace: %s", err ? err : "opened");
	port_close(port);
	free(err);
	err = NULL;

	CHECK(make_netns(), "ip netns add %s", ns);
	strcpy(attach.netns, ns);
	port = port_open("vm1", &attach, 1500, &err);
	CHECK(port, "open: %s", err ? err : "?");
	free(err);
	if (!port)
		goto out;
	CHECK(netdev_get(NULL, attach.device, NULL) == -ENODEV, "still in our namespace");
	CHECK(netdev_get(ns, attach.device, &info) == 0 && (info.flags & IFF_UP) &&
	      info.mtu == 1500, "not up in %s with MTU 1500", ns);
	CHECK(port->class->set_mtu(port, 1400) == 0, "set_mtu");
	CHECK(netdev_get(ns, attach.device, &info) == 0 && info.mtu == 1400,
	      "MTU %u after set_mtu(1400)", info.mtu);
	tap_check_traffic(port, pool, attach.device);

	/* Deleting the namespace destroys the device: the port stops being
	 * polled instead of spinning on a dead fd. */
	CHECK(sh("ip netns del %s", ns) == 0, "ip netns del");
	n = 0;
	for (long deadline = now_ms() + TIMEOUT_MS; port->fd >= 0 && now_ms() < deadline; )
		if (readable(port->fd, 50)) {
			n = port->class->recv_batch(port, pool, pkts, PKT_BURST);
			free_pkts(pkts, n);
		}
	CHECK(port->fd < 0 && n < 0 && !port->class->link_up(port),
	      "port still polled after its device was destroyed (fd %d, n %d)",
	      port->fd, n);
	port_close(port);
out:
	cleanup_run();
}

/* An internal port is created in our namespace; a pre-existing persistent
 * TAP is left as found, also after a trip into a namespace; a device that
 * is not a TAP is refused and untouched. */
static void test_internal(struct pkt_pool *pool)
{
	struct port_attach attach = { .type = PORT_TYPE_INTERNAL };
	struct netdev_info info;
	char *err = NULL, old[IFNAMSIZ];
	struct port *port;

	snprintf(attach.device, sizeof(attach.device), "oki%d", (int)getpid());
	cleanup_push("ip link del %s", attach.device);
	port = port_open("host", &attach, 9000, &err);
	CHECK(port, "open: %s", err ? err : "?");
	free(err);
	CHECK(netdev_get(NULL, attach.device, &info) == 0 && (info.flags & IFF_UP) &&
	      info.mtu == 9000, "internal device not up with MTU 9000");
	port_close(port);
	CHECK(netdev_get(NULL, attach.device, NULL) == -ENODEV, "device left behind");

	snprintf(old, sizeof(old), "okp%d", (int)getpid());
	cleanup_push("ip link del %s", old);
	CHECK(sh("ip tuntap add dev %s mode tap", old) == 0 &&
	      sh("ip link set %s mtu 1300", old) == 0, "ip tuntap add");
	strcpy(attach.device, old);
	err = NULL;
	port = port_open("host", &attach, 2000, &err);
	CHECK(port, "open existing: %s", err ? err : "?");
	free(err);
	CHECK(netdev_get(NULL, old, &info) == 0 && (info.flags & IFF_UP) &&
	      info.mtu == 2000, "existing TAP not up with MTU 2000");
	port_close(port);
	CHECK(netdev_get(NULL, old, &info) == 0 && !(info.flags & IFF_UP) &&
	      info.mtu == 1300, "existing TAP not restored (flags %#x MTU %u)",
	      info.flags, info.mtu);
	CHECK(sh("ethtool -k %s | grep -q 'tcp-segmentation-offload: off'",
		 old) == 0, "existing TAP left with TSO on");

	CHECK(make_netns(), "ip netns add");
	attach.type = PORT_TYPE_TAP;
	strcpy(attach.netns, ns);
	err = NULL;
	port = port_open("vm", &attach, 1500, &err);
	CHECK(port && netdev_get(ns, old, NULL) == 0, "existing TAP not moved: %s",
	      err ? err : "");
	free(err);
	port_close(port);
	CHECK(netdev_get(ns, old, NULL) == -ENODEV &&
	      netdev_get(NULL, old, &info) == 0 && !(info.flags & IFF_UP) &&
	      info.mtu == 1300, "existing TAP not moved back and restored");

	snprintf(attach.device, sizeof(attach.device), "okv%dx", (int)getpid());
	cleanup_push("ip link del %s", attach.device);
	CHECK(sh("ip link add %s type veth peer name okv%dy", attach.device,
		 (int)getpid()) == 0, "ip link add veth");
	err = NULL;
	port = port_open("vm", &attach, 1500, &err);
	CHECK(!port && err && strstr(err, "not a free TAP"), "veth as TAP: %s",
	      err ? err : "opened");
	free(err);
	port_close(port);
	CHECK(netdev_get(NULL, attach.device, &info) == 0 && info.mtu == 1500 &&
	      !(info.flags & IFF_UP), "veth changed by a failed open");
	cleanup_run();
}

static unsigned sysfs_flags(const char *dev)
{
	char path[64];
	unsigned flags = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/flags", dev);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%x", &flags) != 1)
		flags = 0;
	fclose(f);
	return flags;
}

/* Peer -> port: untagged, 802.1Q-tagged and jumbo frames arrive exactly
 * as sent.  Port -> peer: a tagged frame leaves with its tag. */
static void packet_check_traffic(struct port *port, struct pkt_pool *pool,
				 const char *peer_dev)
{
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0x22, 1 }, src[6] = { 2, 0, 0, 0, 0x22, 2 };
	static uint8_t frames[3][9100], buf[9100];
	size_t lens[3];
	struct tpacket_auxdata aux = { 0 };
	struct pkt *pkts[3];
	int peer, n;

	peer = peer_socket(ns, peer_dev, ETH_P_ALL);
	CHECK(peer >= 0, "peer socket");
	if (peer < 0)
		return;
	lens[0] = make_frame(frames[0], dst, src, -1, 0x88b5, 46, 1);
	lens[1] = make_frame(frames[1], dst, src, 0x6064, 0x88b5, 46, 2); /* PCP 3, VID 100 */
	lens[2] = make_frame(frames[2], dst, src, -1, 0x88b5, 9000, 3);
	for (int i = 0; i < 3; i++) {
		struct frame_ref ref = { frames[i], lens[i] };

		CHECK(send(peer, frames[i], lens[i], 0) == (ssize_t)lens[i],
		      "peer send %d: %s", i, strerror(errno));
		n = pump(port, pool, pkts, 1, match_frame, &ref, TIMEOUT_MS);
		CHECK(n == 1, "frame %d (%zu bytes) not received as sent", i, lens[i]);
		free_pkts(pkts, n);
	}

	lens[1] = make_frame(frames[1], src, dst, 200, 0x88b5, 46, 4);
	pkts[0] = make_pkt(pool, frames[1], lens[1]);
	pkts[1] = make_pkt(pool, frames[0], lens[0]);
	pkts[2] = make_pkt(pool, frames[2], 9100);	/* above the veth MTU */
	port->class->send_batch(port, pkts, 3);
	CHECK(port->stats.tx_packets == 2 && port->stats.drops[PORT_DROP_TX_ERROR] == 1,
	      "tx %lu, tx-error %lu", (unsigned long)port->stats.tx_packets,
	      (unsigned long)port->stats.drops[PORT_DROP_TX_ERROR]);
	/* The peer's kernel strips the tag into auxdata, as ours does. */
	n = peer_recv(peer, buf, sizeof(buf), src, 6, &aux);
	CHECK(n == (int)lens[1] - 4 && (aux.tp_status & TP_STATUS_VLAN_VALID) &&
	      aux.tp_vlan_tci == 200 && !memcmp(buf + 12, frames[1] + 16, (size_t)n - 12),
	      "tagged frame at the peer: len %d, status %#x, tci %u", n,
	      aux.tp_status, aux.tp_vlan_tci);
	n = peer_recv(peer, buf, sizeof(buf), frames[0], lens[0], NULL);
	CHECK(n == (int)lens[0], "untagged frame at the peer: %d", n);
	close(peer);
}

static void test_packet(struct pkt_pool *pool)
{
	struct port_attach attach = { .type = PORT_TYPE_PACKET };
	char peer_dev[IFNAMSIZ];
	char *err = NULL;
	struct port *port;

	snprintf(attach.device, sizeof(attach.device), "okv%da", (int)getpid());
	snprintf(peer_dev, sizeof(peer_dev), "okv%db", (int)getpid());
	CHECK(make_netns(), "ip netns add");
	cleanup_push("ip link del %s", attach.device);
	CHECK(sh("ip link add %s mtu 9000 type veth peer name %s netns %s mtu 9000",
		 attach.device, peer_dev, ns) == 0 &&
	      sh("ip -n %s link set %s up", ns, peer_dev) == 0, "veth pair");
	port = port_open("trunk", &attach, 9000, &err);
	CHECK(port, "open: %s", err ? err : "?");
	free(err);
	if (!port)
		goto out;
	CHECK((sysfs_flags(attach.device) & (IFF_UP | IFF_PROMISC)) ==
	      (IFF_UP | IFF_PROMISC), "not up and promiscuous: %#x",
	      sysfs_flags(attach.device));
	packet_check_traffic(port, pool, peer_dev);
	port_close(port);
	CHECK(!(sysfs_flags(attach.device) & (IFF_UP | IFF_PROMISC)),
	      "not restored to down, non-promiscuous: %#x",
	      sysfs_flags(attach.device));
out:
	cleanup_run();
}

/* ---- root: offloads (super-frames through a relay) --------------------- */

/* What a relay saw arrive on one port. */
struct relay_seen {
	unsigned frames;
	unsigned supers;	/* GSO frames longer than one MTU-sized frame */
	unsigned bad_meta;	/* GSO frames with metadata a TSO4 frame from
				 * a 1500-MTU stack cannot have */
	uint32_t longest;
};

static void relay_note(struct relay_seen *seen, const struct pkt *p)
{
	seen->frames++;
	if (p->len > seen->longest)
		seen->longest = p->len;
	if (p->off.gso_type == PKT_GSO_NONE || p->len <= 1514)
		return;
	seen->supers++;
	if (p->off.gso_type != PKT_GSO_TCPV4 || !p->off.gso_size ||
	    p->off.gso_size > 1460 || !(p->off.flags & PKT_OFF_NEEDS_CSUM) ||
	    p->off.csum_start != 34 || p->off.csum_offset != 16)
		seen->bad_meta++;
}

/* Forwards everything between ports a and b, like the switch would with
 * both learned, until process 'child' exits or the timeout.  Returns the
 * child's exit status (-1 on timeout). */
static int relay_until_exit(struct port *a, struct port *b,
			    struct pkt_pool *pool, pid_t child,
			    struct relay_seen seen[2])
{
	long deadline = now_ms() + 30000;
	int status;

	while (waitpid(child, &status, WNOHANG) == 0) {
		struct pollfd pfds[2] = { { a->fd, POLLIN, 0 }, { b->fd, POLLIN, 0 } };

		if (now_ms() > deadline) {
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			return -1;
		}
		poll(pfds, 2, 50);
		for (int i = 0; i < 2; i++) {
			struct port *in = i ? b : a, *out = i ? a : b;
			struct pkt *pkts[PKT_BURST];
			int n = in->class->recv_batch(in, pool, pkts, PKT_BURST);

			for (int k = 0; k < n; k++)
				relay_note(&seen[i], pkts[k]);
			if (n > 0)
				out->class->send_batch(out, pkts, n);
		}
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Runs "iperf3 -c ip_b ARGS" in namespace ns_a against a one-shot server
 * in ns_b, relaying between a and b meanwhile.  Returns iperf3's status. */
static int relay_iperf3(struct port *a, struct port *b, struct pkt_pool *pool,
			const char *ns_a, const char *ns_b, const char *ip_b,
			const char *args, struct relay_seen seen[2])
{
	char pidfile[64];
	pid_t child;
	long deadline = now_ms() + TIMEOUT_MS;

	snprintf(pidfile, sizeof(pidfile), "/tmp/okpt%d-iperf3.pid", (int)getpid());
	cleanup_push("{ kill $(cat %s); rm -f %s; }", pidfile, pidfile);
	if (sh("ip netns exec %s iperf3 -s -1 -D -B %s -I %s", ns_b, ip_b, pidfile))
		return -1;
	while (sh("ip netns exec %s ss -ltn | grep -q ':5201 '", ns_b) &&
	       now_ms() < deadline)
		poll(NULL, 0, 20);
	child = fork();
	if (child == 0) {
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "exec ip netns exec %s iperf3 -c %s %s "
			 ">/dev/null 2>&1", ns_a, ip_b, args);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return child < 0 ? -1 : relay_until_exit(a, b, pool, child, seen);
}

/* Opens a TAP port "DEVICE" in namespace ns_x with address ip/24. */
static struct port *offload_tap(const char *dev, const char *netns,
				const char *ip)
{
	struct port_attach attach = { .type = PORT_TYPE_TAP };
	char *err = NULL;
	struct port *port;

	snprintf(attach.device, sizeof(attach.device), "%s", dev);
	snprintf(attach.netns, sizeof(attach.netns), "%s", netns);
	cleanup_push("ip link del %s", dev);
	port = port_open(dev, &attach, 1500, &err);
	CHECK(port, "open %s: %s", dev, err ? err : "?");
	free(err);
	CHECK(!port || sh("ip -n %s addr add %s/24 dev %s", netns, ip, dev) == 0,
	      "address on %s", dev);
	return port;
}

/* Two TAP ports: a TCP stream from the kernel arrives as TSO super-frames
 * (partial checksum at the TCP header, gso_size a segment) and the other
 * kernel takes them back as they are. */
static void test_tap_offload(struct pkt_pool *pool)
{
	char ns_b[40], dev_a[IFNAMSIZ], dev_b[IFNAMSIZ];
	struct relay_seen seen[2] = { { 0 }, { 0 } };
	struct port *a, *b;
	int rc;

	CHECK(make_netns(), "ip netns add %s", ns);
	snprintf(ns_b, sizeof(ns_b), "%s-b", ns);
	cleanup_push("ip netns del %s", ns_b);
	CHECK(sh("ip netns add %s", ns_b) == 0, "ip netns add %s", ns_b);
	snprintf(dev_a, sizeof(dev_a), "oko%da", (int)getpid());
	snprintf(dev_b, sizeof(dev_b), "oko%db", (int)getpid());
	a = offload_tap(dev_a, ns, "10.213.0.1");
	b = offload_tap(dev_b, ns_b, "10.213.0.2");
	if (a && b) {
		CHECK((a->offloads & (PORT_OFF_CSUM | PORT_OFF_TSO4 | PORT_OFF_TSO6)) ==
		      (PORT_OFF_CSUM | PORT_OFF_TSO4 | PORT_OFF_TSO6),
		      "offloads %#x", a->offloads);
		rc = relay_iperf3(a, b, pool, ns, ns_b, "10.213.0.2", "-n 16M", seen);
		CHECK(rc == 0, "iperf3 exited %d", rc);
		CHECK(seen[0].supers > 0 && seen[0].longest > 16384,
		      "no super-frames from the sender (%u frames, longest %u)",
		      seen[0].frames, seen[0].longest);
		CHECK(seen[0].bad_meta == 0, "%u super-frames with odd metadata",
		      seen[0].bad_meta);
		CHECK(!a->stats.drops[PORT_DROP_TX_ERROR] &&
		      !b->stats.drops[PORT_DROP_TX_ERROR] &&
		      !a->stats.drops[PORT_DROP_MALFORMED] &&
		      !b->stats.drops[PORT_DROP_MALFORMED],
		      "frames refused: tx-error %lu/%lu",
		      (unsigned long)a->stats.drops[PORT_DROP_TX_ERROR],
		      (unsigned long)b->stats.drops[PORT_DROP_TX_ERROR]);
	}
	port_close(a);
	port_close(b);
	cleanup_run();
}

/* A TAP port and a packet port on a veth: super-frames cross in both
 * directions (PACKET_VNET_HDR: the veth peer's TSO frames arrive whole,
 * the TAP's are handed to the kernel to segment or pass on). */
static void test_packet_offload(struct pkt_pool *pool)
{
	struct port_attach attach = { .type = PORT_TYPE_PACKET };
	char ns_b[40], dev_a[IFNAMSIZ], peer[IFNAMSIZ], *err = NULL;
	struct relay_seen seen[2] = { { 0 }, { 0 } }, back[2] = { { 0 }, { 0 } };
	struct port *a, *b;
	int rc;

	CHECK(make_netns(), "ip netns add %s", ns);
	snprintf(ns_b, sizeof(ns_b), "%s-b", ns);
	cleanup_push("ip netns del %s", ns_b);
	CHECK(sh("ip netns add %s", ns_b) == 0, "ip netns add %s", ns_b);
	snprintf(dev_a, sizeof(dev_a), "oko%da", (int)getpid());
	snprintf(attach.device, sizeof(attach.device), "okq%da", (int)getpid());
	snprintf(peer, sizeof(peer), "okq%db", (int)getpid());
	cleanup_push("ip link del %s", attach.device);
	CHECK(sh("ip link add %s type veth peer name %s netns %s", attach.device,
		 peer, ns_b) == 0 &&
	      sh("ip -n %s addr add 10.214.0.2/24 dev %s", ns_b, peer) == 0 &&
	      sh("ip -n %s link set %s up", ns_b, peer) == 0, "veth");
	a = offload_tap(dev_a, ns, "10.214.0.1");
	b = port_open("uplink", &attach, 1500, &err);
	CHECK(b && (b->offloads & PORT_OFF_TSO4), "packet port: %s",
	      err ? err : "no offloads");
	free(err);
	if (a && b) {
		rc = relay_iperf3(a, b, pool, ns, ns_b, "10.214.0.2", "-n 16M", seen);
		CHECK(rc == 0 && seen[0].supers > 0, "tap -> packet: iperf3 %d, "
		      "%u super-frames", rc, seen[0].supers);
		rc = relay_iperf3(a, b, pool, ns, ns_b, "10.214.0.2", "-n 16M -R", back);
		CHECK(rc == 0 && back[1].supers > 0, "packet -> tap: iperf3 %d, "
		      "%u super-frames of %u frames", rc, back[1].supers,
		      back[1].frames);
		CHECK(back[1].bad_meta == 0, "%u odd super-frames", back[1].bad_meta);
		CHECK(!a->stats.drops[PORT_DROP_TX_ERROR] &&
		      !b->stats.drops[PORT_DROP_TX_ERROR], "tx-error %lu/%lu",
		      (unsigned long)a->stats.drops[PORT_DROP_TX_ERROR],
		      (unsigned long)b->stats.drops[PORT_DROP_TX_ERROR]);
	}
	port_close(a);
	port_close(b);
	cleanup_run();
}

/* ---- main ------------------------------------------------------------- */

static const struct {
	const char *name;
	bool root;
	void (*fn)(struct pkt_pool *pool);
} tests[] = {
	{ "dummy", false, test_dummy },
	{ "open errors", false, test_open_errors },
	{ "qemu", false, test_qemu },
	{ "tap in a namespace", true, test_tap },
	{ "internal and pre-existing tap", true, test_internal },
	{ "packet on a veth", true, test_packet },
	{ "tap offloads (iperf3)", true, test_tap_offload },
	{ "packet offloads (iperf3)", true, test_packet_offload },
};

static bool have_root_tools(void)
{
	return geteuid() == 0 && access("/dev/net/tun", R_OK | W_OK) == 0 &&
	       sh("ip -V") == 0;
}

int main(void)
{
	struct pkt_pool *pool = pkt_pool_create(POOL_SIZE);
	bool root = have_root_tools();

	if (!pool) {
		fprintf(stderr, "cannot create packet pool\n");
		return 1;
	}
	log_set_level(LOG_LVL_WARNING);
	atexit(cleanup_run);
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int before = failures;

		if (tests[i].root && !root) {
			printf("SKIP %s (needs root, /dev/net/tun and ip)\n", tests[i].name);
			continue;
		}
		tests[i].fn(pool);
		cleanup_run();
		CHECK(pkt_pool_available(pool) == POOL_SIZE, "%s leaked %u packets",
		      tests[i].name, POOL_SIZE - pkt_pool_available(pool));
		printf("%s %s\n", failures == before ? "PASS" : "FAIL", tests[i].name);
	}
	pkt_pool_destroy(pool);
	return failures ? 1 : 0;
}
