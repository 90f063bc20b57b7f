/*
 * DOC: helpers for port class implementations
 *
 * Only port.c and the port-<type>.c files include this; the rest of okapid
 * sees struct port and struct port_class from port.h.
 */
#ifndef OKAPI_PORT_PROVIDER_H
#define OKAPI_PORT_PROVIDER_H

/* Stores a malloc()ed message built from fmt in *errp (NULL if even that
 * allocation fails) and returns 'err', so an open() error path reads
 * "return port_errorf(errp, -ENODEV, "device %s not found", dev);". */
int port_errorf(char **errp, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
