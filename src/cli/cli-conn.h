/*
 * DOC: okapictl's connection to okapid
 *
 * A blocking client for the protocol of ctl/ctl-proto.h: one request, one
 * reply.  The reply's strings point into the connection's receive buffer
 * and stay valid until the next request.
 */
#ifndef OKAPI_CLI_CONN_H
#define OKAPI_CLI_CONN_H

#include "ctl/ctl-proto.h"

struct cli_conn {
	int fd;
	char *buf;		/* last reply payload */
	size_t cap;
};

/* Connects to the unix socket at 'path'.  Returns 0 or -errno
 * (-ENAMETOOLONG if the path does not fit a sockaddr_un). */
int cli_connect(struct cli_conn *c, const char *path);

/* Sends 'line' as a request of 'type' and waits for the reply.  Returns 0,
 * -EMSGSIZE (line over CTL_REQUEST_MAX; nothing sent), -EPROTO (malformed
 * reply) or another -errno (connection lost: -EPIPE, -ECONNRESET, or
 * -ECONNABORTED for EOF). */
int cli_request(struct cli_conn *c, enum ctl_msg_type type, const char *line,
		struct ctl_reply *r);

/* Closes the connection; safe on a connection that never opened. */
void cli_close(struct cli_conn *c);

#endif
