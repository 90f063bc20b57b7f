/*
 * DOC: the TAP code shared by the "tap" and "internal" port classes
 *
 * Both classes are a TUN/TAP device read and written through its file
 * descriptor; they differ only in where the kernel end lives: a "tap" port
 * may be moved into a named network namespace (a VM or container stack), an
 * "internal" port always stays in okapid's own namespace so the host itself
 * is a station on the switch.  port-tap.c implements the port_class members
 * once; each class fills its table with them.
 */
#ifndef OKAPI_PORT_TAP_H
#define OKAPI_PORT_TAP_H

#include <stdbool.h>

#include "dp/port.h"

/* Attaches to (or creates) TAP port->attach.device, sets its MTU to
 * port->mtu, moves it into namespace 'netns' when that is not NULL or "",
 * and brings it up there.  Sets port->fd and port->priv.  Returns 0, or
 * -errno with *errp set and nothing left behind. */
int port_tap_open_in(struct port *port, const char *netns, char **errp);

/* The port_class members, shared verbatim by the two classes (contracts in
 * port.h). */
void port_tap_close(struct port *port);
int port_tap_recv_batch(struct port *port, struct pkt_pool *pool,
			struct pkt **pkts, int max);
void port_tap_send_batch(struct port *port, struct pkt **pkts, int n);
int port_tap_set_mtu(struct port *port, int mtu);
bool port_tap_link_up(const struct port *port);

#endif
