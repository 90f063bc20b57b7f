/*
 * DOC: dataplane worker unit test
 *
 * Runs the real worker thread over fake ports backed by SOCK_SEQPACKET
 * socket pairs (one datagram = one frame): the test writes frames into a
 * port's receive socket and reads what the switch sent from its transmit
 * socket.  Checks forwarding through the thread, that a (nested) quiesce
 * holds frames back without losing them, that ports added while quiesced
 * are polled after resume, that a port swapping port->fd inside
 * recv_batch keeps being polled, that fd < 0 ports are ignored, that the
 * worker ages the FDB by itself, and that dp_destroy closes the ports.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "unit/check.h"
#include "dp/dp.h"


/* ---- fake port class over socket pairs -------------------------------- */

struct sock_port {
	int rx[2];		/* [0] polled by the worker, [1] test writes */
	int alt[2];		/* second rx pair for the fd swap test */
	int tx[2];		/* [0] switch sends, [1] test reads */
	bool swap;		/* move port->fd to alt[0] after a frame */
	int *closed;		/* incremented by close() */
};

static int sock_recv(struct port *port, struct pkt_pool *pool,
		     struct pkt **pkts, int max)
{
	struct sock_port *sp = port->priv;
	int n = 0;

	while (n < max) {
		struct pkt *p = pkt_alloc(pool);
		ssize_t got;

		if (!p)
			break;
		got = recv(port->fd, p->data, PKT_FRAME_MAX, MSG_DONTWAIT);
		if (got < 0) {
			pkt_free(p);
			if (errno != EAGAIN && !n)
				return -errno;
			break;
		}
		p->len = (uint32_t)got;
		pkts[n++] = p;
	}
	if (n && sp->swap) {
		sp->swap = false;
		port->fd = sp->alt[0];	/* like the qemu port's accept() */
	}
	return n;
}

static void sock_send(struct port *port, struct pkt **pkts, int n)
{
	struct sock_port *sp = port->priv;

	for (int i = 0; i < n; i++) {
		if (send(sp->tx[0], pkts[i]->data, pkts[i]->len,
			 MSG_DONTWAIT) < 0)
			port->stats.drops[PORT_DROP_TX_ERROR]++;
		else
			port->stats.tx_packets++;
		pkt_free(pkts[i]);
	}
}

static void sock_close(struct port *port)
{
	struct sock_port *sp = port->priv;

	if (!sp)
		return;
	for (int i = 0; i < 2; i++) {
		close(sp->rx[i]);
		close(sp->alt[i]);
		close(sp->tx[i]);
	}
	(*sp->closed)++;
	free(sp);
	port->priv = NULL;
}

static const struct port_class sock_class = {
	.type = PORT_TYPE_DUMMY,
	.close = sock_close,
	.recv_batch = sock_recv,
	.send_batch = sock_send,
};

static int n_closed;

static struct port *sock_port_new(const char *name, bool polled)
{
	struct port *port = calloc(1, sizeof(*port));
	struct sock_port *sp = calloc(1, sizeof(*sp));

	snprintf(port->name, sizeof(port->name), "%s", name);
	port->class = &sock_class;
	port->priv = sp;
	port->mtu = 1500;
	sp->closed = &n_closed;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sp->rx) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sp->alt) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sp->tx)) {
		perror("socketpair");
		exit(1);
	}
	port->fd = polled ? sp->rx[0] : -1;
	return port;
}

static struct sock_port *sp_of(struct port *port)
{
	return port->priv;
}

/* ---- helpers ---------------------------------------------------------- */

static void inject(int fd, uint8_t src)
{
	uint8_t f[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			  0x02, 0, 0, 0, 0, src, 0x08, 0x00 };

	CHECK(send(fd, f, sizeof(f), 0) == sizeof(f));
}

/* Waits up to ms for a frame on fd; returns its source MAC's last byte,
 * or -1 on timeout. */
static int expect(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint8_t f[PKT_FRAME_MAX];

	if (poll(&pfd, 1, ms) != 1)
		return -1;
	if (recv(fd, f, sizeof(f), MSG_DONTWAIT) < 12)
		return -1;
	return f[11];
}

static int add_port(struct dp *dp, struct port *port)
{
	struct sw_port_config c;
	int slot;

	sw_port_config_init(&c);
	dp_quiesce(dp);
	slot = sw_port_add(dp_switch(dp), port, &c);
	dp_resume(dp);
	return slot;
}

/* ---- tests ------------------------------------------------------------ */

static void test_forward_quiesce_swap(void)
{
	struct dp *dp = dp_create(1024, 256);
	struct port *a = sock_port_new("a", true);
	struct port *b = sock_port_new("b", true);
	struct port *c;

	CHECK(dp != NULL);
	CHECK(dp_start(dp) == 0);
	CHECK(dp_start(dp) == -EALREADY);
	CHECK(add_port(dp, a) == 0);
	CHECK(add_port(dp, b) == 1);

	inject(sp_of(a)->rx[1], 1);
	CHECK(expect(sp_of(b)->tx[1], 2000) == 1);
	dp_quiesce(dp);		/* counters and fds are the worker's */
	CHECK(a->stats.rx_packets == 1 && b->stats.tx_packets == 1);
	dp_resume(dp);

	/* Nested quiesce: nothing moves until the outermost resume, and
	 * nothing queued meanwhile is lost. */
	dp_quiesce(dp);
	dp_quiesce(dp);
	inject(sp_of(a)->rx[1], 2);
	inject(sp_of(a)->rx[1], 3);
	CHECK(expect(sp_of(b)->tx[1], 200) == -1);
	dp_resume(dp);
	CHECK(expect(sp_of(b)->tx[1], 200) == -1);
	/* Add a port while parked: polled once the worker resumes. */
	c = sock_port_new("c", true);
	CHECK(sw_port_add(dp_switch(dp), c, &(struct sw_port_config){
		.mode = SW_MODE_ACCESS, .access_vlan = 1, .mtu = 1500 }) == 2);
	dp_resume(dp);
	CHECK(expect(sp_of(b)->tx[1], 2000) == 2);
	CHECK(expect(sp_of(b)->tx[1], 2000) == 3);
	inject(sp_of(c)->rx[1], 4);
	CHECK(expect(sp_of(a)->tx[1], 2000) == 4);
	CHECK(expect(sp_of(b)->tx[1], 2000) == 4);	/* flooded to both */

	/* The class swaps port->fd inside recv_batch: the worker follows. */
	sp_of(a)->swap = true;
	inject(sp_of(a)->rx[1], 5);
	CHECK(expect(sp_of(b)->tx[1], 2000) == 5);
	dp_quiesce(dp);
	CHECK(a->fd == sp_of(a)->alt[0]);
	dp_resume(dp);
	inject(sp_of(a)->alt[1], 6);
	CHECK(expect(sp_of(b)->tx[1], 2000) == 6);

	n_closed = 0;
	dp_destroy(dp);
	CHECK(n_closed == 3);
}

static void test_unpolled_and_aging(void)
{
	struct dp *dp = dp_create(1024, 64);
	struct port *a = sock_port_new("a", false);	/* fd -1 */
	struct port *b = sock_port_new("b", true);
	time_t start = time(NULL);
	size_t count;

	CHECK(dp_start(dp) == 0);
	CHECK(add_port(dp, a) == 0);
	CHECK(add_port(dp, b) == 1);
	inject(sp_of(a)->rx[1], 1);	/* nobody polls a */
	CHECK(expect(sp_of(b)->tx[1], 200) == -1);
	dp_quiesce(dp);
	CHECK(a->stats.rx_packets == 0);
	dp_resume(dp);

	dp_quiesce(dp);
	sw_fdb_set_aging(dp_switch(dp), 1);
	dp_resume(dp);
	inject(sp_of(b)->rx[1], 7);
	CHECK(expect(sp_of(a)->tx[1], 2000) == 7);
	dp_quiesce(dp);
	count = sw_fdb_count(dp_switch(dp));
	dp_resume(dp);
	CHECK(count == 1);
	/* Aging 1 s: the worker must drop the entry within a few seconds
	 * without any traffic. */
	do {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		dp_quiesce(dp);
		count = sw_fdb_count(dp_switch(dp));
		dp_resume(dp);
	} while (count && time(NULL) - start < 10);
	CHECK(count == 0);
	n_closed = 0;
	dp_destroy(dp);
	CHECK(n_closed == 2);
}

static void test_lifecycle_edges(void)
{
	struct dp *dp = dp_create(16, 4);
	uint64_t t0 = dp_now();

	/* Quiesce before start, start inside the quiesce, destroy while
	 * still quiesced. */
	dp_quiesce(dp);
	CHECK(dp_start(dp) == 0);
	dp_quiesce(dp);
	dp_resume(dp);
	dp_destroy(dp);
	dp_destroy(NULL);
	/* Never started. */
	dp = dp_create(16, 4);
	CHECK(dp && dp_switch(dp) != NULL);
	dp_destroy(dp);
	CHECK(dp_now() >= t0 && dp_now() - t0 < 5);
}

int main(void)
{
	test_forward_quiesce_swap();
	test_unpolled_and_aging();
	test_lifecycle_edges();
	printf("dp_test: %d failures\n", failures);
	return failures != 0;
}
