/*
 * DOC: the control thread's event loop (see event.h)
 *
 * epoll for fds; timers in a small unsorted list scanned once per
 * iteration.  The control thread has few timers (aging, retries, sessions),
 * so a list beats a heap in code size and is fast enough; when protocols
 * bring thousands of timers, replace it with a heap behind the same API.
 */
#include "core/event.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

struct event_fd {
	int fd;
	event_fd_fn fn;
	void *arg;
	struct event_fd *next;
};

struct event_timer {
	uint64_t due_ms;
	event_timer_fn fn;
	void *arg;
	struct event_timer **handle;	/* owner's pointer, cleared on fire */
	struct event_timer *next;
};

struct event_loop {
	int epfd;
	bool stop;
	struct event_fd *fds;
	struct event_timer *timers;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct event_loop *event_loop_new(void)
{
	struct event_loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return NULL;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		free(loop);
		return NULL;
	}
	return loop;
}

void event_loop_free(struct event_loop *loop)
{
	if (!loop)
		return;
	while (loop->timers)
		event_timer_cancel(loop, loop->timers->handle);
	while (loop->fds) {
		struct event_fd *e = loop->fds;

		loop->fds = e->next;
		free(e);
	}
	close(loop->epfd);
	free(loop);
}

static struct event_fd **fd_find(struct event_loop *loop, int fd)
{
	struct event_fd **pp = &loop->fds;

	while (*pp && (*pp)->fd != fd)
		pp = &(*pp)->next;
	return pp;
}

int event_fd_add(struct event_loop *loop, int fd, uint32_t events,
		 event_fd_fn fn, void *arg)
{
	struct event_fd **pp = fd_find(loop, fd);
	struct event_fd *e = *pp;
	bool existed = e != NULL;

	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return -ENOMEM;
	}
	struct epoll_event ev = { .events = events, .data.ptr = e };
	if (epoll_ctl(loop->epfd, existed ? EPOLL_CTL_MOD : EPOLL_CTL_ADD,
		      fd, &ev) < 0) {
		int err = errno;

		if (!existed)
			free(e);
		return -err;
	}
	e->fd = fd;
	e->fn = fn;
	e->arg = arg;
	if (!existed) {
		e->next = loop->fds;
		loop->fds = e;
	}
	return 0;
}

void event_fd_del(struct event_loop *loop, int fd)
{
	struct event_fd **pp = fd_find(loop, fd);
	struct event_fd *e = *pp;

	if (!e)
		return;
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	*pp = e->next;
	/* An event for this entry may still sit in the current epoll_wait
	 * batch; event_loop_run() checks the entry is still registered. */
	free(e);
}

int event_timer_add(struct event_loop *loop, struct event_timer **handle,
		    unsigned ms, event_timer_fn fn, void *arg)
{
	struct event_timer *t = *handle;

	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t)
			return -ENOMEM;
		t->next = loop->timers;
		loop->timers = t;
		t->handle = handle;
		*handle = t;
	}
	t->due_ms = now_ms() + ms;
	t->fn = fn;
	t->arg = arg;
	return 0;
}

static void timer_unlink(struct event_loop *loop, struct event_timer *t)
{
	struct event_timer **pp = &loop->timers;

	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (*pp)
		*pp = t->next;
	*t->handle = NULL;
	free(t);
}

void event_timer_cancel(struct event_loop *loop, struct event_timer **handle)
{
	if (handle && *handle)
		timer_unlink(loop, *handle);
}

/* Milliseconds until the next timer, or -1 when there is none. */
static int next_timeout(const struct event_loop *loop)
{
	uint64_t now = now_ms(), best = UINT64_MAX;

	for (const struct event_timer *t = loop->timers; t; t = t->next)
		if (t->due_ms < best)
			best = t->due_ms;
	if (best == UINT64_MAX)
		return -1;
	return best <= now ? 0 : (int)(best - now > 60000 ? 60000 : best - now);
}

/* Fires one due timer at a time: a callback may add or cancel timers, so
 * the list is rescanned after each. */
static void run_timers(struct event_loop *loop)
{
	for (;;) {
		uint64_t now = now_ms();
		struct event_timer *t = loop->timers;

		while (t && t->due_ms > now)
			t = t->next;
		if (!t)
			return;
		event_timer_fn fn = t->fn;
		void *arg = t->arg;

		timer_unlink(loop, t);
		fn(arg);
	}
}

int event_loop_run(struct event_loop *loop)
{
	struct epoll_event evs[32];

	loop->stop = false;
	while (!loop->stop) {
		int n = epoll_wait(loop->epfd, evs, 32, next_timeout(loop));

		if (n < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; i < n && !loop->stop; i++) {
			/* A callback may have deleted a later entry of this
			 * batch: only dispatch entries still registered. */
			struct event_fd *e;

			for (e = loop->fds; e && e != evs[i].data.ptr; e = e->next)
				;
			if (e)
				e->fn(e->fd, evs[i].events, e->arg);
		}
		run_timers(loop);
	}
	return 0;
}

void event_loop_stop(struct event_loop *loop)
{
	loop->stop = true;
}
