/*
 * DOC: dummy ports (see port-dummy.h)
 *
 * Frames wait in two malloc()ed singly linked queues: rx (injected, not yet
 * received by the worker) and tx (sent by the worker, not yet popped).
 * Allocation on the send path is acceptable here because a dummy port only
 * exists in tests.  The eventfd counter is cleared exactly when recv_batch()
 * empties the rx queue, under the same lock inject takes, so the fd never
 * polls idle while a frame waits and never stays readable for nothing.
 */
#include "dp/port-dummy.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/log.h"
#include "dp/port-provider.h"

struct port_dummy_frame {
	struct port_dummy_frame *next;
	size_t len;
	uint8_t data[];
};

struct port_dummy_queue {
	struct port_dummy_frame *head, *tail;
	unsigned count;
};

struct port_dummy {
	pthread_mutex_t lock;	/* both queues and the eventfd counter */
	int efd;
	struct port_dummy_queue rx, tx;
};

static struct port_dummy_frame *port_dummy_frame_new(const void *data,
						     size_t len)
{
	struct port_dummy_frame *f = malloc(sizeof(*f) + len);

	if (!f)
		return NULL;
	f->next = NULL;
	f->len = len;
	memcpy(f->data, data, len);
	return f;
}

static void port_dummy_push(struct port_dummy_queue *q,
			    struct port_dummy_frame *f)
{
	if (q->tail)
		q->tail->next = f;
	else
		q->head = f;
	q->tail = f;
	q->count++;
}

static struct port_dummy_frame *port_dummy_shift(struct port_dummy_queue *q)
{
	struct port_dummy_frame *f = q->head;

	if (!f)
		return NULL;
	q->head = f->next;
	if (!q->head)
		q->tail = NULL;
	q->count--;
	return f;
}

static void port_dummy_flush(struct port_dummy_queue *q)
{
	struct port_dummy_frame *f;

	while ((f = port_dummy_shift(q)))
		free(f);
}

static struct port_dummy *port_dummy_get(struct port *port)
{
	return port && port->class == &port_dummy_class ? port->priv : NULL;
}

static int port_dummy_open(struct port *port, char **errp)
{
	struct port_dummy *d = calloc(1, sizeof(*d));

	if (!d)
		return port_errorf(errp, -ENOMEM, "dummy %s: out of memory",
				   port->name);
	d->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (d->efd < 0) {
		int err = -errno;

		free(d);
		return port_errorf(errp, err, "dummy %s: eventfd: %s", port->name,
				   strerror(-err));
	}
	pthread_mutex_init(&d->lock, NULL);
	port->priv = d;
	port->fd = d->efd;
	log_debug("interface %s: dummy port opened", port->name);
	return 0;
}

static void port_dummy_close(struct port *port)
{
	struct port_dummy *d = port->priv;

	if (!d)
		return;
	port_dummy_flush(&d->rx);
	port_dummy_flush(&d->tx);
	close(d->efd);
	pthread_mutex_destroy(&d->lock);
	free(d);
	port->priv = NULL;
	port->fd = -1;
}

int port_dummy_inject(struct port *port, const void *frame, size_t len)
{
	struct port_dummy *d = port_dummy_get(port);
	struct port_dummy_frame *f;
	uint64_t one = 1;
	int err = 0;

	if (!d)
		return -EINVAL;
	if (len == 0 || len > PKT_BUF_SIZE - PKT_HEADROOM)
		return -EMSGSIZE;
	f = port_dummy_frame_new(frame, len);
	if (!f)
		return -ENOMEM;
	pthread_mutex_lock(&d->lock);
	if (d->rx.count >= PORT_DUMMY_QUEUE_MAX) {
		err = -ENOBUFS;
		free(f);
	} else {
		port_dummy_push(&d->rx, f);
		/* Cannot fail: the counter is far from overflowing. */
		(void)!write(d->efd, &one, sizeof(one));
	}
	pthread_mutex_unlock(&d->lock);
	return err;
}

int port_dummy_pop_tx(struct port *port, void *buf, size_t size)
{
	struct port_dummy *d = port_dummy_get(port);
	struct port_dummy_frame *f;
	int ret = 0;

	if (!d)
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	f = d->tx.head;
	if (f && f->len > size) {
		ret = -EMSGSIZE;
	} else if (f) {
		port_dummy_shift(&d->tx);
		memcpy(buf, f->data, f->len);
		ret = (int)f->len;
		free(f);
	}
	pthread_mutex_unlock(&d->lock);
	return ret;
}

static int port_dummy_recv_batch(struct port *port, struct pkt_pool *pool,
				 struct pkt **pkts, int max)
{
	struct port_dummy *d = port->priv;
	uint64_t count;
	int n = 0;

	pthread_mutex_lock(&d->lock);
	while (n < max && d->rx.head) {
		struct pkt *p = pkt_alloc(pool);
		struct port_dummy_frame *f;

		if (!p)
			break;
		f = port_dummy_shift(&d->rx);
		memcpy(p->data, f->data, f->len);
		p->len = (uint32_t)f->len;
		free(f);
		pkts[n++] = p;
	}
	if (!d->rx.head)
		(void)!read(d->efd, &count, sizeof(count));
	pthread_mutex_unlock(&d->lock);
	return n;
}

static void port_dummy_send_batch(struct port *port, struct pkt **pkts, int n)
{
	struct port_dummy *d = port->priv;

	pthread_mutex_lock(&d->lock);
	for (int i = 0; i < n; i++) {
		struct port_dummy_frame *f = NULL;

		if (d->tx.count < PORT_DUMMY_QUEUE_MAX)
			f = port_dummy_frame_new(pkts[i]->data, pkts[i]->len);
		if (f) {
			port_dummy_push(&d->tx, f);
			port->stats.tx_packets++;
			port->stats.tx_bytes += pkts[i]->len;
		} else {
			port->stats.drops[PORT_DROP_TX_ERROR]++;
		}
		pkt_free(pkts[i]);
	}
	pthread_mutex_unlock(&d->lock);
}

const struct port_class port_dummy_class = {
	.type = PORT_TYPE_DUMMY,
	.open = port_dummy_open,
	.close = port_dummy_close,
	.recv_batch = port_dummy_recv_batch,
	.send_batch = port_dummy_send_batch,
	.set_mtu = NULL,
	.link_up = NULL,
};
