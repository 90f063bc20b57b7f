/*
 * DOC: the dataplane worker
 *
 * One worker thread (DESIGN.md decision 4; more later) runs an epoll loop
 * over the ports' fds, receives bursts of up to PKT_BURST frames per port
 * per wake-up and feeds them to the switch (sw_input).  It owns a packet
 * pool and never blocks on the control thread.
 *
 * The control thread changes dataplane state (ports, switch config, FDB)
 * only between dp_quiesce() and dp_resume(): quiesce asks the worker to park
 * at the top of its loop (woken through an eventfd) and waits until it has;
 * resume lets it go and makes it re-register the ports' fds.  Frames that
 * arrive meanwhile wait in the kernel's queues, so a quiesce loses nothing.
 * Calls nest: only the outermost pair parks and releases the worker.
 *
 * The worker also ages the FDB once a second.
 */
#ifndef OKAPI_DP_H
#define OKAPI_DP_H

#include <stdint.h>

#include "dp/switch.h"

struct dp;

/* Default busy-poll window: after a wake-up that moved frames the worker
 * keeps polling (epoll_wait with a zero timeout) this many microseconds
 * before it sleeps again, so back-to-back request/response traffic does
 * not pay a thread wake-up per frame.  An idle switch sleeps: the window
 * only runs after traffic. */
#define DP_BUSY_POLL_DEFAULT 50

/* Creates the switch (fdb_max entries) and a pool of pool_size packets.
 * Does not start the thread.  Returns NULL with errno set. */
struct dp *dp_create(unsigned fdb_max, unsigned pool_size);
/* Starts the worker thread.  Returns 0 or -errno. */
int dp_start(struct dp *dp);
/* Stops and joins the worker, closes every port still attached, frees all.
 * NULL is fine. */
void dp_destroy(struct dp *dp);

/* The switch; use only between dp_quiesce() and dp_resume() (or before
 * dp_start()). */
struct sw *dp_switch(struct dp *dp);

/* Sets the busy-poll window (0 = sleep as soon as the ports are drained).
 * Safe from any thread. */
void dp_set_busy_poll(struct dp *dp, unsigned usec);

void dp_quiesce(struct dp *dp);
void dp_resume(struct dp *dp);

/* Monotonic clock in seconds, as passed to sw_input()/sw_fdb_walk(). */
uint64_t dp_now(void);

#endif
