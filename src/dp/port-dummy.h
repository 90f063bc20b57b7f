/*
 * DOC: dummy ports for tests
 *
 * A port with no kernel device behind it (OVS's netdev-dummy): tests and
 * the control socket put frames into its receive queue and take the frames
 * the switch sent out of its transmit queue, so the whole daemon can be
 * exercised without root.  port->fd is an eventfd that polls readable while
 * the receive queue holds a frame.  Both queues are bounded
 * (PORT_DUMMY_QUEUE_MAX frames) and locked, so these helpers may be called
 * from any thread while the worker runs.
 */
#ifndef OKAPI_PORT_DUMMY_H
#define OKAPI_PORT_DUMMY_H

#include <stddef.h>

#include "dp/port.h"

#define PORT_DUMMY_QUEUE_MAX 4096

/* Queues a copy of 'frame' (borrowed) for the port to receive.  Any length
 * from 1 to a packet buffer's capacity is accepted, so runts and oversize
 * frames can be injected to test the switch's checks.  Returns 0, -EINVAL
 * (not a dummy port), -EMSGSIZE (length) or -ENOBUFS (queue full). */
int port_dummy_inject(struct port *port, const void *frame, size_t len);

/* Takes the oldest frame the port transmitted and copies it into buf.
 * Returns its length, 0 if nothing was transmitted, -EINVAL (not a dummy
 * port) or -EMSGSIZE (buf smaller than the frame, which stays queued). */
int port_dummy_pop_tx(struct port *port, void *buf, size_t size);

#endif
