/*
 * DOC: the control thread's event loop
 *
 * One epoll loop with millisecond timers (STYLE.md section 3).  File
 * descriptors are registered with a callback; timers are one-shot and the
 * owner keeps the handle: the loop clears *handle when the timer fires or is
 * cancelled (FRR's event_cancel(&t) idiom), so "if (t)" tells whether a
 * timer is pending.  Control thread only; not thread-safe.
 */
#ifndef OKAPI_EVENT_H
#define OKAPI_EVENT_H

#include <stdbool.h>
#include <stdint.h>

struct event_loop;
struct event_timer;

typedef void (*event_fd_fn)(int fd, uint32_t events, void *arg);
typedef void (*event_timer_fn)(void *arg);

struct event_loop *event_loop_new(void);
/* Frees the loop and any pending timers (their handles are cleared).
 * Registered fds are not closed.  NULL is fine. */
void event_loop_free(struct event_loop *loop);

/* Watches fd for 'events' (EPOLLIN, EPOLLOUT, ...).  Returns 0 or -errno.
 * Registering an fd again replaces its events and callback. */
int event_fd_add(struct event_loop *loop, int fd, uint32_t events,
		 event_fd_fn fn, void *arg);
/* Stops watching fd (call before closing it).  Unknown fds are ignored. */
void event_fd_del(struct event_loop *loop, int fd);

/* Arms a one-shot timer 'ms' milliseconds from now.  If *handle is already
 * pending it is re-armed.  Returns 0 or -ENOMEM. */
int event_timer_add(struct event_loop *loop, struct event_timer **handle,
		    unsigned ms, event_timer_fn fn, void *arg);
/* Cancels *handle if pending and sets it to NULL. */
void event_timer_cancel(struct event_loop *loop, struct event_timer **handle);

/* Runs until event_loop_stop().  Returns 0, or -errno if epoll fails. */
int event_loop_run(struct event_loop *loop);
/* Makes event_loop_run() return after the current iteration.  Safe to call
 * from a signal handler's deferred work (signalfd callback), not from a
 * signal handler itself. */
void event_loop_stop(struct event_loop *loop);

#endif
