/*
 * DOC: okapid entry point
 *
 *   okapid [-f FILE] [-S SOCKET] [--check [--print]] [--foreground]
 *          [--log-level LEVEL]
 *
 * Start-up order matters: the config is parsed and validated completely
 * before anything on the system is touched (an invalid config changes
 * nothing); then the dataplane is created, the config applied (ports
 * opened), the worker started and only then the control socket opened, so
 * a client that can connect sees a fully configured daemon.
 *
 * Signals are taken through a signalfd in the event loop: SIGTERM/SIGINT
 * stop, SIGHUP reloads the config file (like "okapictl reload").
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "config/cmd.h"
#include "core/daemon.h"
#include "core/event.h"
#include "core/log.h"
#include "core/version.h"
#include "ctl/ctl-proto.h"
#include "ctl/ctl-server.h"
#include "dp/dp.h"

#define DEFAULT_CONFIG "/etc/okapi/okapi.conf"
#define DEFAULT_SOCKET CTL_DEFAULT_SOCKET
#define POOL_PACKETS 4096

struct options {
	const char *config;
	const char *socket;
	bool check, print, foreground;
	int log_level;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: okapid [-f FILE] [-S SOCKET] [--check [--print]] [--foreground]\n"
		"              [--log-level LEVEL]\n"
		"  -f, --config FILE     configuration file (default " DEFAULT_CONFIG ")\n"
		"  -S, --socket PATH     control socket (default " DEFAULT_SOCKET ")\n"
		"  -c, --check           validate the configuration and exit (0 ok, 1 errors)\n"
		"  -p, --print           with --check: print the canonical configuration\n"
		"  -d, --foreground      do not detach; log to stderr\n"
		"  -l, --log-level LVL   override the config's log level\n"
		"  -v, --version         print the version\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "socket", required_argument, NULL, 'S' },
		{ "check", no_argument, NULL, 'c' },
		{ "print", no_argument, NULL, 'p' },
		{ "foreground", no_argument, NULL, 'd' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	*o = (struct options){ DEFAULT_CONFIG, DEFAULT_SOCKET, false, false, false, -1 };
	while ((ch = getopt_long(argc, argv, "f:S:cpdl:vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': o->config = optarg; break;
		case 'S': o->socket = optarg; break;
		case 'c': o->check = true; break;
		case 'p': o->print = true; break;
		case 'd': o->foreground = true; break;
		case 'l':
			o->log_level = log_level_from_name(optarg);
			if (o->log_level < 0) {
				fprintf(stderr, "okapid: unknown log level '%s'\n", optarg);
				return -1;
			}
			break;
		case 'v': printf("okapid %s\n", OKAPI_VERSION); exit(0);
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "okapid: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

/* --check [--print]: parse, report every error, touch nothing. */
static int check_config(const struct options *o)
{
	struct strbuf errs = STRBUF_INIT;
	struct cfg *c = cfg_load_file(o->config, &errs);
	int rc = 1;

	if (c) {
		char *verrs = NULL;

		if (cfg_validate(c, &verrs) > 0) {
			fputs(verrs, stderr);
		} else if (o->print) {
			char *text = cfg_print(c);

			fputs(text ? text : "", stdout);
			free(text);
			rc = 0;
		} else {
			rc = 0;
		}
		free(verrs);
	}
	fputs(strbuf_str(&errs), stderr);
	strbuf_free(&errs);
	cfg_free(c);
	return rc;
}

static void on_signal(int fd, uint32_t events, void *arg)
{
	struct daemon *d = arg;
	struct signalfd_siginfo si;
	(void)events;

	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			struct strbuf errs = STRBUF_INIT;

			log_info("SIGHUP: reloading %s", d->config_path);
			if (daemon_reload(d, &errs) < 0)
				log_warnx("reload failed:\n%s", strbuf_str(&errs));
			strbuf_free(&errs);
		} else {
			log_info("signal %d: shutting down", (int)si.ssi_signo);
			event_loop_stop(d->loop);
		}
	}
}

static int setup_signals(struct daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* Blocked before the worker starts so it inherits the mask and only
	 * the signalfd sees these signals. */
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);

	if (fd < 0)
		return -1;
	return event_fd_add(d->loop, fd, EPOLLIN, on_signal, d) < 0 ? -1 : fd;
}

static int run(const struct options *o, struct cfg *startup)
{
	struct daemon d = {
		.config_path = o->config,
		.socket_path = o->socket,
		.log_level_override = o->log_level,
		.foreground = o->foreground,
	};
	struct strbuf errs = STRBUF_INIT;
	int rc = 1, sigfd = -1;

	d.running = cfg_new();
	d.loop = event_loop_new();
	d.dp = dp_create(startup->mac_max, POOL_PACKETS);
	if (!d.running || !d.loop || !d.dp) {
		log_warn("cannot initialise");
		goto out;
	}
	sigfd = setup_signals(&d);
	if (sigfd < 0) {
		log_warn("cannot set up signal handling");
		goto out;
	}
	if (daemon_apply(&d, startup, &errs) < 0) {
		fputs(strbuf_str(&errs), stderr);
		goto out;
	}
	startup = NULL;		/* owned by d.running now */
	if (dp_start(d.dp) < 0) {
		log_warn("cannot start the dataplane worker");
		goto out;
	}
	if (ctl_server_start(&d) < 0)
		goto out;
	log_info("okapid %s started with %u interface(s)", OKAPI_VERSION,
		 d.running->n_ifaces);
	rc = event_loop_run(d.loop) < 0 ? 1 : 0;
	ctl_server_stop(&d);
out:
	strbuf_free(&errs);
	if (d.dp) {
		dp_quiesce(d.dp);
		daemon_release_ports(&d);
		dp_resume(d.dp);
	}
	dp_destroy(d.dp);
	if (sigfd >= 0) {
		event_fd_del(d.loop, sigfd);
		close(sigfd);
	}
	event_loop_free(d.loop);
	cfg_free(d.running);
	cfg_free(startup);
	log_info("okapid stopped");
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;

	if (parse_options(argc, argv, &o) < 0)
		return 1;
	cmd_install_config_commands();
	ctl_install_exec_commands();
	if (o.check)
		return check_config(&o);

	struct strbuf errs = STRBUF_INIT;
	struct cfg *startup = cfg_load_file(o.config, &errs);

	if (!startup) {
		fputs(strbuf_str(&errs), stderr);
		fprintf(stderr, "okapid: %s: configuration invalid, not starting\n",
			o.config);
		strbuf_free(&errs);
		return 1;
	}
	strbuf_free(&errs);
	char *verrs = NULL;

	if (cfg_validate(startup, &verrs) > 0) {
		fputs(verrs, stderr);
		fprintf(stderr, "okapid: %s: configuration invalid, not starting\n",
			o.config);
		free(verrs);
		cfg_free(startup);
		return 1;
	}
	free(verrs);
	if (o.log_level >= 0)
		log_set_level((enum log_level)o.log_level);
	if (!o.foreground && daemon(0, 0) < 0) {
		perror("okapid: daemon");
		cfg_free(startup);
		return 1;
	}
	return run(&o, startup);
}
