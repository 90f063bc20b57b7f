/*
 * DOC: the daemon object
 *
 * Ties the running config, the dataplane and the control socket together.
 * Owned by the control thread.
 */
#ifndef OKAPI_DAEMON_H
#define OKAPI_DAEMON_H

#include "config/cfg.h"
#include "dp/dp.h"
#include "lib/strbuf.h"

#include <stdbool.h>

struct event_loop;

struct daemon {
	const char *config_path;	/* file "reload" and "write memory" use */
	const char *socket_path;
	struct cfg *running;		/* never NULL once started */
	struct dp *dp;
	struct event_loop *loop;
	/* Parallel to running->ifaces: the switch slot (-1 when the port is
	 * not attached), the open port (NULL likewise) and, for a port whose
	 * attach failed, the reason (malloc()ed; retried every few seconds). */
	int *slots;
	struct port **ports;
	char **attach_errors;
	struct event_timer *retry_timer;
	int log_level_override;		/* --log-level, or -1 */
	bool foreground;		/* log stdout means stderr then */
};

/* Validates 'next' and applies the difference from the running config.
 * On success takes ownership of 'next', frees the old running config and
 * returns 0.  On a validation failure returns -1, leaves everything as it
 * was, frees nothing, and appends the problems to 'errs'.  Applying itself
 * never fails: a port that cannot be opened stays configured, is reported
 * in 'errs' and the log, and is retried later. */
int daemon_apply(struct daemon *d, struct cfg *next, struct strbuf *errs);

/* Re-reads config_path and applies it.  Returns 0 or -1 with errors in
 * 'errs' (the running config is unchanged then). */
int daemon_reload(struct daemon *d, struct strbuf *errs);

/* Writes the running config to config_path atomically (temp file, fsync,
 * rename, fsync of the directory).  Returns 0 or -errno. */
int daemon_write_config(struct daemon *d);

/* Folds sticky MACs learned by the dataplane into the running config (so
 * show running-config and write memory include them). */
void daemon_sync_sticky(struct daemon *d);

/* Applies the config's "log" settings (honouring log_level_override). */
void daemon_apply_log(struct daemon *d, const struct cfg *c);

/* Closes every port and frees the per-interface state (at exit, with the
 * dataplane already stopped or quiesced by the caller's dp_destroy). */
void daemon_release_ports(struct daemon *d);

/* Slot of interface 'name' in the switch, or -1 (not attached). */
int daemon_iface_slot(const struct daemon *d, const char *name);

#endif
