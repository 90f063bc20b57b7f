/*
 * DOC: port objects and the class table (see port.h)
 *
 * port_open() is the one place that turns a config "attach ..." line into a
 * live port: it checks what every class relies on (a known type, an MTU in
 * range, a device name where the class needs one, defaulting to the
 * interface name as the config reference says), then lets the class create
 * its kernel resources.  The classes themselves live in port-<type>.c.
 */
#include "dp/port.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp/port-provider.h"

#define PORT_MTU_MIN 68
#define PORT_MTU_MAX 9216

const char *const port_drop_names[PORT_DROP__COUNT] = {
#define PORT_DROP_NAME(name, str) [PORT_DROP_##name] = str,
	PORT_DROP_REASONS(PORT_DROP_NAME)
#undef PORT_DROP_NAME
};

static const char *const port_type_names[] = {
	[PORT_TYPE_NONE] = "none",
	[PORT_TYPE_TAP] = "tap",
	[PORT_TYPE_INTERNAL] = "internal",
	[PORT_TYPE_PACKET] = "packet",
	[PORT_TYPE_QEMU] = "qemu",
	[PORT_TYPE_DUMMY] = "dummy",
};

const char *port_type_name(enum port_type t)
{
	if ((unsigned)t >= sizeof(port_type_names) / sizeof(port_type_names[0]))
		return "unknown";
	return port_type_names[t];
}

const struct port_class *port_class_find(enum port_type type)
{
	switch (type) {
	case PORT_TYPE_TAP:
		return &port_tap_class;
	case PORT_TYPE_INTERNAL:
		return &port_internal_class;
	case PORT_TYPE_PACKET:
		return &port_packet_class;
	case PORT_TYPE_QEMU:
		return &port_qemu_class;
	case PORT_TYPE_DUMMY:
		return &port_dummy_class;
	case PORT_TYPE_NONE:
		break;
	}
	return NULL;
}

static bool port_type_has_device(enum port_type type)
{
	return type == PORT_TYPE_TAP || type == PORT_TYPE_INTERNAL ||
	       type == PORT_TYPE_PACKET;
}

/* Fills in the defaults and rejects what no class could open.  Returns 0
 * or -EINVAL with *errp set. */
static int port_attach_check(struct port *port, char **errp)
{
	struct port_attach *a = &port->attach;

	if (port->mtu < PORT_MTU_MIN || port->mtu > PORT_MTU_MAX)
		return port_errorf(errp, -EINVAL,
				   "MTU %d out of range (expected %d-%d)",
				   port->mtu, PORT_MTU_MIN,
				   PORT_MTU_MAX);
	if (!port_type_has_device(a->type) || a->device[0])
		return 0;
	if (strlen(port->name) >= sizeof(a->device))
		return port_errorf(errp, -EINVAL,
				   "interface name %s is too long for a device name "
				   "(at most %zu characters); name the device",
				   port->name, sizeof(a->device) - 1);
	strcpy(a->device, port->name);
	return 0;
}

int port_errorf(char **errp, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(errp, fmt, ap) < 0)
		*errp = NULL;
	va_end(ap);
	return err;
}

struct port *port_open(const char *name, const struct port_attach *attach,
		       int mtu, char **errp)
{
	const struct port_class *class = port_class_find(attach->type);
	struct port *port;

	*errp = NULL;
	if (!class) {
		port_errorf(errp, -EINVAL, "cannot open a port of type %s",
			    port_type_name(attach->type));
		return NULL;
	}
	port = calloc(1, sizeof(*port));
	if (!port) {
		port_errorf(errp, -ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(port->name, sizeof(port->name), "%s", name);
	port->attach = *attach;
	port->class = class;
	port->fd = -1;
	port->mtu = mtu;
	/* A failed open() has already released what it created. */
	if (port_attach_check(port, errp) < 0 || class->open(port, errp) < 0) {
		free(port);
		return NULL;
	}
	return port;
}

void port_close(struct port *port)
{
	if (!port)
		return;
	port->class->close(port);
	free(port);
}
