/*
 * DOC: the control socket server
 *
 * okapid listens on a unix stream socket (d->socket_path, mode 0660, group
 * "okapi" when that group exists) for okapictl.  Each connection is a
 * session with its own command context: node, interface, VLAN, as in a
 * vtysh session.  The wire format is in ctl-proto.h.
 *
 * Live configuration: in a config node every line runs on a copy of the
 * running config (cfg_dup), and the copy is applied with daemon_apply(); on
 * failure the copy is dropped and the errors are returned, so a session can
 * never leave a half-applied or invalid config behind.
 *
 * Threading: control thread only; sessions are callbacks of the daemon's
 * event loop and never block on a client (replies are sent as the socket
 * drains).
 */
#ifndef OKAPI_CTL_SERVER_H
#define OKAPI_CTL_SERVER_H

#include "config/cmd.h"

struct daemon;

/* Creates the socket's parent directory if missing (mode 0755), removes a
 * stale socket left by a dead okapid, binds, listens and registers with
 * d->loop.  Call after the config is applied and the dataplane started.
 * One server per process.  Returns 0, or -errno after logging why
 * (-EADDRINUSE when another okapid answers on the path). */
int ctl_server_start(struct daemon *d);

/* Closes every session and the listening socket and removes the socket
 * file.  Safe to call when the server was never started. */
void ctl_server_stop(struct daemon *d);

/* Installs the EXEC-node commands (show, clear, write, copy, reload,
 * configure, exit) and "do" in the config nodes.  Idempotent.  Call once at
 * start-up, before any session or file load. */
void ctl_install_exec_commands(void);

/* For command handlers: asks the session running 'ctx' to close after this
 * reply ("exit" at the exec node).  No effect outside a session. */
void ctl_session_end(const struct cmd_ctx *ctx);

/* For the "do" handler: tells the session running 'ctx' that the line ran an
 * exec command, so the config copy it edits is not an edit to apply (the
 * exec command may itself have replaced the running config).  No effect
 * outside a session. */
void ctl_session_exec_ran(const struct cmd_ctx *ctx);

#endif
