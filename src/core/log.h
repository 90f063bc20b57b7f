/*
 * DOC: logging
 *
 * A small printf-style API in the spirit of OpenBGPD's log.h.  log_warn()
 * appends strerror(errno); the "x" variants do not.  fatal()/fatalx() are for
 * broken invariants only: they log and exit.  Anything a packet or a peer can
 * trigger must go through log_ratelimited() so a flood cannot fill the disk.
 *
 * The destination (stderr, syslog, a file) and the level come from the
 * config's "log" command and can change at run time (log_configure()).
 * Thread-safe: each call formats into a local buffer and writes once.
 */
#ifndef OKAPI_LOG_H
#define OKAPI_LOG_H

#include <stdbool.h>
#include <stdarg.h>
#include <time.h>

/* Levels use syslog's numbering so they map 1:1 onto FRR's level names. */
enum log_level {
	LOG_LVL_EMERG = 0,
	LOG_LVL_ALERT,
	LOG_LVL_CRIT,
	LOG_LVL_ERR,
	LOG_LVL_WARNING,
	LOG_LVL_NOTICE,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

enum log_dest {
	LOG_DEST_STDOUT,	/* FRR's "log stdout": we write to stderr when
				 * not daemonized, stdout otherwise */
	LOG_DEST_SYSLOG,
	LOG_DEST_FILE,
};

/* FRR level name ("informational") <-> level; -1 if unknown.  Accepts the
 * FRR names and the short syslog names ("info", "debug", "warning"). */
int log_level_from_name(const char *name);
const char *log_level_name(enum log_level lvl);

/* Sets destination and threshold.  path is used for LOG_DEST_FILE only.
 * Returns 0 or -errno (the previous destination stays in place on error). */
int log_configure(enum log_dest dest, const char *path, enum log_level lvl);
void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);

void log_msg(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* Token bucket for rate-limited logging: at most 'burst' messages, refilled
 * at 'per_minute' messages a minute.  Declare one static per call site:
 *	static struct log_rl rl = LOG_RL_INIT(5, 20);
 *	if (log_rl_allow(&rl)) log_warnx(...);
 * Thread-safe enough for logging (a lost update only changes a count). */
struct log_rl {
	unsigned burst, per_minute;
	double tokens;
	struct timespec last;
	unsigned long suppressed;
};
#define LOG_RL_INIT(PER_MINUTE, BURST) { .burst = (BURST), .per_minute = (PER_MINUTE), .tokens = (BURST) }
bool log_rl_allow(struct log_rl *rl);

#endif
