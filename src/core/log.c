/*
 * DOC: logging (see log.h)
 *
 * Each message is formatted into a stack buffer and written with a single
 * write(2), so lines from the control thread and the dataplane worker never
 * interleave.  The destination is swapped under a mutex; the common path
 * (level filtered out) takes no lock.
 */
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

static const char *const level_names[] = {
	"emergencies", "alerts", "critical", "errors",
	"warnings", "notifications", "informational", "debugging",
};

static const struct {
	const char *alias;
	enum log_level lvl;
} level_aliases[] = {
	{ "emerg", LOG_LVL_EMERG }, { "alert", LOG_LVL_ALERT },
	{ "crit", LOG_LVL_CRIT }, { "err", LOG_LVL_ERR },
	{ "error", LOG_LVL_ERR }, { "warning", LOG_LVL_WARNING },
	{ "warn", LOG_LVL_WARNING }, { "notice", LOG_LVL_NOTICE },
	{ "info", LOG_LVL_INFO }, { "debug", LOG_LVL_DEBUG },
};

static struct {
	pthread_mutex_t lock;
	enum log_dest dest;
	int fd;			/* LOG_DEST_STDOUT/FILE */
	enum log_level level;
} log_state = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.dest = LOG_DEST_STDOUT,
	.fd = STDERR_FILENO,
	.level = LOG_LVL_INFO,
};

int log_level_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (!strcasecmp(name, level_names[i]))
			return (int)i;
	for (size_t i = 0; i < sizeof(level_aliases) / sizeof(level_aliases[0]); i++)
		if (!strcasecmp(name, level_aliases[i].alias))
			return level_aliases[i].lvl;
	return -1;
}

const char *log_level_name(enum log_level lvl)
{
	if ((unsigned)lvl >= sizeof(level_names) / sizeof(level_names[0]))
		return "unknown";
	return level_names[lvl];
}

int log_configure(enum log_dest dest, const char *path, enum log_level lvl)
{
	int fd = STDERR_FILENO;

	if (dest == LOG_DEST_FILE) {
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (fd < 0)
			return -errno;
	}
	if (dest == LOG_DEST_SYSLOG)
		openlog("okapid", LOG_PID | LOG_NDELAY, LOG_DAEMON);

	pthread_mutex_lock(&log_state.lock);
	int old_fd = log_state.dest == LOG_DEST_FILE ? log_state.fd : -1;
	if (log_state.dest == LOG_DEST_SYSLOG && dest != LOG_DEST_SYSLOG)
		closelog();
	log_state.dest = dest;
	log_state.fd = fd;
	log_state.level = lvl;
	pthread_mutex_unlock(&log_state.lock);

	if (old_fd >= 0)
		close(old_fd);
	return 0;
}

void log_set_level(enum log_level lvl)
{
	__atomic_store_n(&log_state.level, lvl, __ATOMIC_RELAXED);
}

enum log_level log_get_level(void)
{
	return __atomic_load_n(&log_state.level, __ATOMIC_RELAXED);
}

static void log_vmsg(enum log_level lvl, int errnum, const char *fmt,
		     va_list ap)
{
	char line[1024];
	size_t n = 0;

	if (lvl > log_get_level())
		return;
	if (log_state.dest != LOG_DEST_SYSLOG) {
		struct timespec ts;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		n = strftime(line, sizeof(line), "%Y/%m/%d %H:%M:%S", &tm);
		n += (size_t)snprintf(line + n, sizeof(line) - n, ".%03ld okapid: ",
				      ts.tv_nsec / 1000000);
	}
	int m = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	n = m < 0 ? n : (n + (size_t)m >= sizeof(line) - 1 ? sizeof(line) - 2 : n + (size_t)m);
	if (errnum)
		n += (size_t)snprintf(line + n, sizeof(line) - n, ": %s", strerror(errnum));
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2;

	pthread_mutex_lock(&log_state.lock);
	if (log_state.dest == LOG_DEST_SYSLOG) {
		syslog((int)lvl, "%.*s", (int)n, line);
	} else {
		line[n++] = '\n';
		ssize_t w = write(log_state.fd, line, n);
		(void)w;	/* nowhere left to report a failed log write */
	}
	pthread_mutex_unlock(&log_state.lock);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lvl, 0, fmt, ap);
	va_end(ap);
}

#define LOG_WRAPPER(NAME, LVL, ERRNUM)				\
	void NAME(const char *fmt, ...)				\
	{							\
		int saved = errno;				\
		va_list ap;					\
		va_start(ap, fmt);				\
		log_vmsg(LVL, ERRNUM, fmt, ap);			\
		va_end(ap);					\
		errno = saved;					\
	}

LOG_WRAPPER(log_warn, LOG_LVL_WARNING, saved)
LOG_WRAPPER(log_warnx, LOG_LVL_WARNING, 0)
LOG_WRAPPER(log_info, LOG_LVL_INFO, 0)
LOG_WRAPPER(log_debug, LOG_LVL_DEBUG, 0)

void fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_CRIT, saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_CRIT, 0, fmt, ap);
	va_end(ap);
	exit(1);
}

bool log_rl_allow(struct log_rl *rl)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	double elapsed = (double)(now.tv_sec - rl->last.tv_sec) +
			 (double)(now.tv_nsec - rl->last.tv_nsec) / 1e9;
	rl->last = now;
	rl->tokens += elapsed * rl->per_minute / 60.0;
	if (rl->tokens > rl->burst)
		rl->tokens = rl->burst;
	if (rl->tokens < 1.0) {
		rl->suppressed++;
		return false;
	}
	rl->tokens -= 1.0;
	return true;
}
