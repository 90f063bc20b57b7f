/*
 * DOC: the dataplane worker
 *
 * Implements dp.h.  The worker thread owns an epoll set holding an eventfd
 * (tag DP_TAG_WAKE, the control thread's doorbell) and the fd of every
 * attached port (tag = switch slot).  Each wake-up receives at most one
 * burst of PKT_BURST frames per readable port, then goes back to epoll:
 * epoll is level-triggered, so a port with more pending is reported again at
 * once, and one busy port cannot starve the others.
 *
 * Quiesce protocol.  The control thread sets 'park_req' under the mutex,
 * rings the eventfd and waits on the condvar until the worker says
 * 'parked'.  The worker tests an atomic mirror ('pending') at the top of its
 * loop only, where it holds no packet and no FDB pointer, so everything it
 * shares with the control thread is at rest while parked.  Nesting is a
 * plain depth count: only the outermost dp_quiesce()/dp_resume() pair parks
 * and releases.  dp_destroy() uses the same path with 'stop'.
 *
 * Registration.  Ports, and their fds, change only while the worker is
 * parked, so after every park it drops every registration and registers
 * the fds of the attached ports afresh (dp_sync_fds()).  Comparing fd
 * numbers would not do: an fd closed and reopened under the same number
 * (a port removed and a new one added) silently left the epoll set on
 * close.  Between parks a class may still swap port->fd inside recv_batch
 * (the qemu port: listening socket <-> connection); dp_check_fds() compares
 * each port's fd with the registered one after every round and moves the
 * registration.  A port whose recv_batch fails is taken out of the set for
 * a second, so a persistent error costs a log line a second, not a spinning
 * core.
 *
 * Adaptive busy-polling: for busy_poll_us after a wake-up that moved
 * frames, epoll_wait gets a zero timeout, so request/response traffic does
 * not pay a thread wake-up (an IPI, costly in a VM) per frame; once the
 * window passes without frames the worker sleeps again, so an idle switch
 * costs no CPU.
 *
 * The worker also ages the FDB when the second changes; epoll_wait times
 * out after a second so that happens on an idle switch too.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "dp/dp.h"

#define DP_TAG_WAKE	UINT32_MAX
#define DP_MAX_EVENTS	64
#define DP_TIMEOUT_MS	1000

struct dp {
	struct sw *sw;
	struct pkt_pool *pool;
	int epfd;
	int evfd;
	pthread_t thread;
	bool started;
	atomic_uint busy_poll_us;	/* see dp_set_busy_poll() */

	/* Quiesce state, under 'mu'. */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned depth;		/* dp_quiesce() nesting */
	bool park_req;
	bool parked;
	bool stop;
	atomic_bool pending;	/* park_req || stop, read without the lock */

	/* Worker only (or anyone while it is parked or not running). */
	int reg_fds[SW_MAX_PORTS];	/* fd in the epoll set per slot, -1 */
	uint64_t retry_at[SW_MAX_PORTS];/* recv error: re-register after */
	unsigned n_slots;
	uint16_t slots[SW_MAX_PORTS];	/* attached slots */
};

uint64_t dp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

struct dp *dp_create(unsigned fdb_max, unsigned pool_size)
{
	struct dp *dp = calloc(1, sizeof(*dp));
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = DP_TAG_WAKE };
	int err;

	if (!dp)
		return NULL;
	dp->epfd = dp->evfd = -1;
	pthread_mutex_init(&dp->mu, NULL);
	pthread_cond_init(&dp->cv, NULL);
	for (unsigned i = 0; i < SW_MAX_PORTS; i++)
		dp->reg_fds[i] = -1;
	dp->sw = sw_create(fdb_max);
	dp->pool = dp->sw ? pkt_pool_create(pool_size) : NULL;
	if (!dp->pool)
		goto fail;
	dp->epfd = epoll_create1(EPOLL_CLOEXEC);
	dp->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (dp->epfd < 0 || dp->evfd < 0 ||
	    epoll_ctl(dp->epfd, EPOLL_CTL_ADD, dp->evfd, &ev) < 0)
		goto fail;
	return dp;
fail:
	err = errno ? errno : ENOMEM;
	dp_destroy(dp);
	errno = err;
	return NULL;
}

struct sw *dp_switch(struct dp *dp)
{
	return dp->sw;
}

/* ---- worker ----------------------------------------------------------- */

static void dp_unregister(struct dp *dp, unsigned slot)
{
	/* The fd may already be closed (then epoll dropped it by itself) or
	 * be a new file under the same number that is not in our set: both
	 * fail harmlessly. */
	if (dp->reg_fds[slot] >= 0)
		epoll_ctl(dp->epfd, EPOLL_CTL_DEL, dp->reg_fds[slot], NULL);
	dp->reg_fds[slot] = -1;
}

/* Adds the slot's fd to the set; on failure retries a second later. */
static void dp_register(struct dp *dp, unsigned slot, int fd, uint64_t now)
{
	static struct log_rl rl = LOG_RL_INIT(10, 5);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = slot };

	dp->retry_at[slot] = 0;
	if (fd < 0)
		return;
	if (epoll_ctl(dp->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		if (log_rl_allow(&rl))
			log_warn("dataplane: cannot poll port %s (fd %d)",
				 sw_port_get(dp->sw, (int)slot)->name, fd);
		dp->retry_at[slot] = now + 1;
		return;
	}
	dp->reg_fds[slot] = fd;
}

/* After a park: forget every registration, then register what is there. */
static void dp_sync_fds(struct dp *dp)
{
	uint64_t now = dp_now();

	for (unsigned i = 0; i < dp->n_slots; i++)
		dp_unregister(dp, dp->slots[i]);
	dp->n_slots = 0;
	for (unsigned slot = 0; slot < SW_MAX_PORTS; slot++) {
		struct port *port = sw_port_get(dp->sw, (int)slot);

		if (!port)
			continue;
		dp->slots[dp->n_slots++] = (uint16_t)slot;
		dp_register(dp, slot, port->fd, now);
	}
}

/* Follows fds that a class swapped during a round; re-arms errored ports
 * whose back-off expired. */
static void dp_check_fds(struct dp *dp, uint64_t now)
{
	for (unsigned i = 0; i < dp->n_slots; i++) {
		unsigned slot = dp->slots[i];
		struct port *port = sw_port_get(dp->sw, (int)slot);

		if (port->fd == dp->reg_fds[slot] || dp->retry_at[slot] > now)
			continue;
		dp_unregister(dp, slot);
		dp_register(dp, slot, port->fd, now);
	}
}

static void dp_drain_wake(struct dp *dp)
{
	uint64_t v;

	if (read(dp->evfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_warn("dataplane: eventfd read");
}

/* Receives and switches one burst from 'slot'.  Returns the number of
 * frames received. */
static int dp_receive(struct dp *dp, unsigned slot)
{
	static struct log_rl rl = LOG_RL_INIT(10, 5);
	struct pkt *pkts[PKT_BURST];
	struct port *port = sw_port_get(dp->sw, (int)slot);
	int n;

	if (!port || port->fd < 0)
		return 0;
	n = port->class->recv_batch(port, dp->pool, pkts, PKT_BURST);
	if (n > 0) {
		sw_input(dp->sw, (int)slot, pkts, n, dp->pool, dp_now());
	} else if (n < 0) {
		if (log_rl_allow(&rl))
			log_warnx("dataplane: receive on %s: %s", port->name,
				  strerror(-n));
		dp_unregister(dp, slot);
		dp->retry_at[slot] = dp_now() + 1;
	}
	return n > 0 ? n : 0;
}

static uint64_t dp_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* The epoll timeout for the next wait: zero (poll) while the last frame is
 * younger than the busy-poll window, else the idle tick. */
static int dp_wait_timeout(const struct dp *dp, uint64_t last_rx_us)
{
	unsigned window = atomic_load_explicit(&dp->busy_poll_us,
					       memory_order_relaxed);

	return window && dp_now_us() - last_rx_us < window ? 0 : DP_TIMEOUT_MS;
}

void dp_set_busy_poll(struct dp *dp, unsigned usec)
{
	atomic_store_explicit(&dp->busy_poll_us, usec, memory_order_relaxed);
}

/* Parks while the control thread holds the dataplane.  Returns false when
 * the worker must exit. */
static bool dp_park(struct dp *dp)
{
	bool run;

	pthread_mutex_lock(&dp->mu);
	while (dp->park_req && !dp->stop) {
		if (!dp->parked) {
			dp->parked = true;
			pthread_cond_broadcast(&dp->cv);
		}
		pthread_cond_wait(&dp->cv, &dp->mu);
	}
	dp->parked = false;
	run = !dp->stop;
	pthread_mutex_unlock(&dp->mu);
	return run;
}

static void *dp_worker(void *arg)
{
	static struct log_rl rl = LOG_RL_INIT(10, 5);
	struct dp *dp = arg;
	struct epoll_event evs[DP_MAX_EVENTS];
	uint64_t aged = 0, last_rx_us = 0;

	dp_sync_fds(dp);
	for (;;) {
		uint64_t now;
		int n, received = 0;

		if (atomic_load_explicit(&dp->pending, memory_order_acquire)) {
			if (!dp_park(dp))
				break;
			dp_sync_fds(dp);
		}
		n = epoll_wait(dp->epfd, evs, DP_MAX_EVENTS,
			       dp_wait_timeout(dp, last_rx_us));
		if (n < 0 && errno != EINTR && log_rl_allow(&rl))
			log_warn("dataplane: epoll_wait");
		for (int i = 0; i < n; i++) {
			if (evs[i].data.u32 == DP_TAG_WAKE)
				dp_drain_wake(dp);
			else
				received += dp_receive(dp, evs[i].data.u32);
		}
		if (received)
			last_rx_us = dp_now_us();
		now = dp_now();
		dp_check_fds(dp, now);
		if (now != aged) {
			sw_fdb_age(dp->sw, now);
			aged = now;
		}
	}
	return NULL;
}

/* ---- control thread --------------------------------------------------- */

static void dp_ring(struct dp *dp)
{
	uint64_t one = 1;

	if (write(dp->evfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_warn("dataplane: eventfd write");
}

/* Called with 'mu' held: asks the running worker to park, waits for it. */
static void dp_park_worker(struct dp *dp)
{
	dp->park_req = true;
	atomic_store_explicit(&dp->pending, true, memory_order_release);
	dp_ring(dp);
	while (!dp->parked)
		pthread_cond_wait(&dp->cv, &dp->mu);
}

int dp_start(struct dp *dp)
{
	sigset_t all, old;
	int err;

	pthread_mutex_lock(&dp->mu);
	if (dp->started) {
		pthread_mutex_unlock(&dp->mu);
		return -EALREADY;
	}
	/* Signals belong to the control thread's event loop. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&dp->thread, NULL, dp_worker, dp);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!err) {
		dp->started = true;
		/* Started inside a quiesce: honour it before returning. */
		if (dp->depth)
			dp_park_worker(dp);
	}
	pthread_mutex_unlock(&dp->mu);
	return -err;
}

void dp_quiesce(struct dp *dp)
{
	pthread_mutex_lock(&dp->mu);
	if (dp->depth++ == 0 && dp->started)
		dp_park_worker(dp);
	pthread_mutex_unlock(&dp->mu);
}

void dp_resume(struct dp *dp)
{
	pthread_mutex_lock(&dp->mu);
	if (dp->depth == 0)
		fatalx("dp_resume() without dp_quiesce()");
	if (--dp->depth == 0) {
		dp->park_req = false;
		atomic_store_explicit(&dp->pending, dp->stop,
				      memory_order_release);
		pthread_cond_broadcast(&dp->cv);
	}
	pthread_mutex_unlock(&dp->mu);
}

void dp_destroy(struct dp *dp)
{
	if (!dp)
		return;
	if (dp->started) {
		pthread_mutex_lock(&dp->mu);
		dp->stop = true;
		atomic_store_explicit(&dp->pending, true, memory_order_release);
		dp_ring(dp);
		pthread_cond_broadcast(&dp->cv);
		pthread_mutex_unlock(&dp->mu);
		pthread_join(dp->thread, NULL);
	}
	if (dp->sw) {
		for (int slot = 0; slot < SW_MAX_PORTS; slot++)
			port_close(sw_port_remove(dp->sw, slot));
		sw_destroy(dp->sw);
	}
	pkt_pool_destroy(dp->pool);
	if (dp->evfd >= 0)
		close(dp->evfd);
	if (dp->epfd >= 0)
		close(dp->epfd);
	pthread_cond_destroy(&dp->cv);
	pthread_mutex_destroy(&dp->mu);
	free(dp);
}
