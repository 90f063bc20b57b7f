/*
 * DOC: internal ports ("attach internal [DEVICE]")
 *
 * The host's own port on the switch: a TAP device left in okapid's network
 * namespace and brought up, so addresses configured on it make the host a
 * station in the port's VLAN (the role of an Open vSwitch "internal" port).
 * Everything but where the device lives is the TAP class's code
 * (port-tap.c); this file only names the class.
 */
#include "dp/port-tap.h"

/* Never moved: a "netns" on the attach line belongs to tap ports only. */
static int port_internal_open(struct port *port, char **errp)
{
	return port_tap_open_in(port, NULL, errp);
}

const struct port_class port_internal_class = {
	.type = PORT_TYPE_INTERNAL,
	.open = port_internal_open,
	.close = port_tap_close,
	.recv_batch = port_tap_recv_batch,
	.send_batch = port_tap_send_batch,
	.set_mtu = port_tap_set_mtu,
	.link_up = port_tap_link_up,
};
