/*
 * DOC: whole-daemon test of the control socket (no root needed)
 *
 * Builds a daemon with dummy ports, learns a few MACs by injecting frames,
 * starts the control server in a temporary directory and runs the event
 * loop; a forked child plays okapictl (and a hostile client) over the real
 * socket.  The child reports through its exit status; the loop stops when
 * the child closes its end of a pipe.
 *
 * Checked: exec commands and their output, live configuration through
 * configure terminal (node navigation, prompts, apply, errors with
 * columns), "do", completion and "?" help, write memory and reload, and
 * that garbage, oversize requests, truncated messages, a flood of
 * connections and a client that does not read its (large) reply neither
 * crash the daemon nor stop other sessions.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit/check.h"
#include "config/cmd.h"
#include "core/daemon.h"
#include "core/event.h"
#include "ctl/ctl-proto.h"
#include "ctl/ctl-server.h"
#include "dp/dp.h"
#include "dp/port-dummy.h"

static char sock_path[100];

/* ---- a minimal blocking client (the child side) ------------------------ */

struct reply {
	int status;		/* enum ctl_status, or -1: connection closed */
	unsigned err_col;
	char *prompt, *out, *err;
};

static int connect_ctl(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		printf("connect %s: %s\n", sock_path, strerror(errno));
		exit(1);
	}
	return fd;
}

static int read_full(int fd, void *buf, size_t size)
{
	for (char *p = buf; size;) {
		ssize_t n = read(fd, p, size);

		if (n <= 0)
			return -1;
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

static void send_raw(int fd, const void *buf, size_t size)
{
	if (send(fd, buf, size, MSG_NOSIGNAL) != (ssize_t)size)
		printf("send: %s\n", strerror(errno));
}

static void send_req(int fd, enum ctl_msg_type type, const char *line)
{
	struct ctl_hdr h;

	ctl_hdr_init(&h, type, (uint32_t)strlen(line));
	send_raw(fd, &h, sizeof(h));
	send_raw(fd, line, strlen(line));
}

static void reply_free(struct reply *r)
{
	free(r->prompt);
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

static struct reply recv_reply(int fd)
{
	struct reply r = { .status = -1 };
	struct ctl_hdr h;
	struct ctl_reply cr;

	if (read_full(fd, &h, sizeof(h)) < 0 || ctl_hdr_check(&h, true) < 0)
		return r;
	char *buf = malloc(h.size ? h.size : 1);

	if (!buf || read_full(fd, buf, h.size) < 0 ||
	    ctl_reply_parse(buf, h.size, &cr) < 0) {
		free(buf);
		return r;
	}
	r.status = (int)cr.status;
	r.err_col = cr.err_col;
	r.prompt = strndup(cr.prompt, cr.prompt_size);
	r.out = strndup(cr.out, cr.out_size);
	r.err = strndup(cr.err, cr.err_size);
	free(buf);
	return r;
}

static struct reply request(int fd, enum ctl_msg_type type, const char *line)
{
	send_req(fd, type, line);
	return recv_reply(fd);
}

/* Runs 'line' and checks status, that the output contains 'want' (NULL:
 * anything) and, if given, the prompt after it. */
static void expect(int fd, const char *line, int status, const char *want,
		   const char *prompt)
{
	struct reply r = request(fd, CTL_MSG_EXEC, line);

	CHECK(r.status == status, "'%s': status %d, want %d; err: %s", line,
	      r.status, status, r.err ? r.err : "");
	if (want && r.status >= 0)
		CHECK(strstr(r.status == CTL_STATUS_ERROR ? r.err : r.out, want),
		      "'%s': no '%s' in:\n%s%s", line, want, r.out, r.err);
	if (prompt && r.status >= 0)
		CHECK(!strcmp(r.prompt, prompt), "'%s': prompt '%s', want '%s'",
		      line, r.prompt, prompt);
	reply_free(&r);
}

/* EOF, or a reset when the server closed with our bytes still unread;
 * a timeout (EAGAIN) means the server kept the connection. */
static bool closed_by_server(int fd)
{
	char c;
	struct timeval tv = { 5, 0 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ssize_t n = read(fd, &c, 1);

	return n == 0 || (n < 0 && errno == ECONNRESET);
}

/* ---- client scenarios -------------------------------------------------- */

static void test_exec(int fd)
{
	expect(fd, "", CTL_STATUS_OK, NULL, "okapi# ");
	expect(fd, "show version", CTL_STATUS_OK, "okapi version", "okapi# ");
	expect(fd, "sh int br", CTL_STATUS_OK,
	       "p1              up          access 10       dummy", NULL);
	expect(fd, "show interface brief", CTL_STATUS_OK,
	       "p3              down        access 1        none", NULL);
	expect(fd, "show interface p1", CTL_STATUS_OK,
	       "Interface p1 is up, line protocol is up", NULL);
	expect(fd, "show interface p1 json", CTL_STATUS_OK,
	       "\"administrativeStatus\":\"up\"", NULL);
	expect(fd, "show interface nosuch", CTL_STATUS_ERROR,
	       "unknown interface 'nosuch'", NULL);
	expect(fd, "show vlan", CTL_STATUS_OK,
	       "10   VLAN0010                         active    p1, p2", NULL);
	expect(fd, "show mac-address-table vlan 10", CTL_STATUS_OK,
	       "Total Mac Addresses for this criterion: 3", NULL);
	expect(fd, "show mac-address-table interface p1", CTL_STATUS_OK,
	       "  10    0200.0000.0002    DYNAMIC     p1", NULL);
	expect(fd, "show mac-address-table vlan 20", CTL_STATUS_OK,
	       "Total Mac Addresses for this criterion: 0", NULL);
	expect(fd, "show mac-address-table count json", CTL_STATUS_OK,
	       "\"dynamic\":3", NULL);
	expect(fd, "show mac address-table count", CTL_STATUS_OK,
	       "Dynamic Address Count  : 3", NULL);
	expect(fd, "sh mac", CTL_STATUS_OK,
	       "Total Mac Addresses for this criterion: 3", NULL);
	expect(fd, "show mac-address-table json", CTL_STATUS_OK,
	       "\"mac\":\"02:00:00:00:00:03\"", NULL);
	expect(fd, "show port-security interface p2", CTL_STATUS_OK,
	       "Port Security              : Enabled", NULL);
	expect(fd, "show interface p1", CTL_STATUS_OK, "Input: 3 packets", NULL);
	expect(fd, "clear counters p1", CTL_STATUS_OK, NULL, NULL);
	expect(fd, "show interface p1", CTL_STATUS_OK, "Input: 0 packets", NULL);
	expect(fd, "clear mac-address-table dynamic vlan 20", CTL_STATUS_OK,
	       NULL, NULL);
	expect(fd, "show mac-address-table", CTL_STATUS_OK,
	       "Total Mac Addresses for this criterion: 3", NULL);
	expect(fd, "clear mac address-table dynamic interface p1", CTL_STATUS_OK,
	       NULL, NULL);
	expect(fd, "show mac-address-table", CTL_STATUS_OK,
	       "Total Mac Addresses for this criterion: 0", NULL);

	struct reply r = request(fd, CTL_MSG_EXEC, "show vlan 5000");

	CHECK(r.status == CTL_STATUS_ERROR && r.err_col == 11,
	      "'show vlan 5000': status %d col %u err %s", r.status, r.err_col, r.err);
	reply_free(&r);
	expect(fd, "frobnicate", CTL_STATUS_ERROR, "unknown command", "okapi# ");
}

static void test_config(int fd)
{
	expect(fd, "conf t", CTL_STATUS_OK, NULL, "okapi(config)# ");
	expect(fd, "hostname sw9", CTL_STATUS_OK, NULL, "sw9(config)# ");
	expect(fd, "interface p3", CTL_STATUS_OK, NULL, "sw9(config-if)# ");
	expect(fd, "mtu 9000", CTL_STATUS_OK, NULL, "sw9(config-if)# ");
	expect(fd, "mtu 99999", CTL_STATUS_ERROR, NULL, "sw9(config-if)# ");
	expect(fd, "do show interface p3", CTL_STATUS_OK, "MTU 9000 bytes",
	       "sw9(config-if)# ");

	struct reply r = request(fd, CTL_MSG_EXEC, "do show vlan 5000");

	CHECK(r.status == CTL_STATUS_ERROR && r.err_col == 14,
	      "'do show vlan 5000': status %d col %u", r.status, r.err_col);
	reply_free(&r);
	expect(fd, "end", CTL_STATUS_OK, NULL, "sw9# ");
	expect(fd, "show running-config", CTL_STATUS_OK, " mtu 9000\n", NULL);
	expect(fd, "show running-config", CTL_STATUS_OK,
	       "Building configuration...\n\nCurrent configuration:\n!\n", NULL);
	expect(fd, "write memory", CTL_STATUS_OK, "[OK]", NULL);
	expect(fd, "configure terminal", CTL_STATUS_OK, NULL, "sw9(config)# ");
	expect(fd, "hostname other", CTL_STATUS_OK, NULL, "other(config)# ");
	expect(fd, "end", CTL_STATUS_OK, NULL, "other# ");
	/* reload goes back to what write memory saved. */
	expect(fd, "reload", CTL_STATUS_OK, "reloaded", "sw9# ");
}

static void test_help(int fd)
{
	struct reply r = request(fd, CTL_MSG_COMPLETE, "sh");

	CHECK(r.status == CTL_STATUS_OK && !strcmp(r.out, "show\n"),
	      "complete 'sh': '%s'", r.out);
	reply_free(&r);
	r = request(fd, CTL_MSG_COMPLETE, "show mac");
	CHECK(r.out && !strcmp(r.out, "mac\nmac-address-table\n"),
	      "complete 'show mac': '%s'", r.out);
	reply_free(&r);
	r = request(fd, CTL_MSG_DESCRIBE, "show ");
	CHECK(r.out && strstr(r.out, "interface") && strstr(r.out, "running-config"),
	      "describe 'show ': '%s'", r.out);
	reply_free(&r);
	expect(fd, "conf t", CTL_STATUS_OK, NULL, NULL);
	r = request(fd, CTL_MSG_COMPLETE, "do sh");
	CHECK(r.out && !strcmp(r.out, "show\n"), "complete 'do sh': '%s'", r.out);
	reply_free(&r);
	expect(fd, "end", CTL_STATUS_OK, NULL, NULL);
}

/* A second session must keep working while others misbehave. */
static void test_hostile(int good)
{
	static const char garbage[] = "GET / HTTP/1.0\r\n\r\nxxxxxxxxxxxxxxxxxxxxxxx";
	struct ctl_hdr h;
	int fd;

	fd = connect_ctl();
	send_raw(fd, garbage, sizeof(garbage));
	CHECK(closed_by_server(fd), "garbage: connection not closed");
	close(fd);

	fd = connect_ctl();
	ctl_hdr_init(&h, CTL_MSG_EXEC, CTL_REQUEST_MAX + 1);
	send_raw(fd, &h, sizeof(h));
	CHECK(closed_by_server(fd), "oversize request: connection not closed");
	close(fd);

	fd = connect_ctl();
	ctl_hdr_init(&h, CTL_MSG_REPLY, 4);
	send_raw(fd, &h, sizeof(h));
	CHECK(closed_by_server(fd), "reply as request: connection not closed");
	close(fd);

	/* Truncated: a header promising 100 bytes, 10 sent, then gone. */
	fd = connect_ctl();
	ctl_hdr_init(&h, CTL_MSG_EXEC, 100);
	send_raw(fd, &h, sizeof(h));
	send_raw(fd, "show versi", 10);
	close(fd);

	/* Gone in the middle of a header. */
	fd = connect_ctl();
	send_raw(fd, &h, 5);
	close(fd);

	/* A NUL inside a line is an error, not a crash or a cut line. */
	fd = connect_ctl();
	ctl_hdr_init(&h, CTL_MSG_EXEC, 9);
	send_raw(fd, &h, sizeof(h));
	send_raw(fd, "show\0vers", 9);
	struct reply r = recv_reply(fd);

	CHECK(r.status == CTL_STATUS_ERROR, "NUL in line: status %d", r.status);
	reply_free(&r);
	close(fd);

	/* More connections than the server takes. */
	int many[80];

	for (int k = 0; k < 80; k++)
		many[k] = connect_ctl();
	expect(many[0], "show version", CTL_STATUS_OK, "okapi version", NULL);
	for (int k = 0; k < 80; k++)
		close(many[k]);
	expect(good, "show version", CTL_STATUS_OK, "okapi version", NULL);
}

/* A client that asks for a large reply and reads it slowly: the server
 * must keep serving others meanwhile, then deliver the whole reply. */
static void test_slow_reader(int good)
{
	int fd = connect_ctl();

	expect(fd, "conf t", CTL_STATUS_OK, NULL, NULL);
	for (int k = 0; k < 600; k++) {
		char line[64];

		snprintf(line, sizeof(line), "interface bulk%d", k);
		expect(fd, line, CTL_STATUS_OK, NULL, NULL);
	}
	expect(fd, "end", CTL_STATUS_OK, NULL, NULL);
	send_req(fd, CTL_MSG_EXEC, "show interface");
	usleep(200 * 1000);
	expect(good, "show version", CTL_STATUS_OK, "okapi version", NULL);

	struct reply r = recv_reply(fd);

	CHECK(r.status == CTL_STATUS_OK && r.out && strlen(r.out) > 250000 &&
	      strstr(r.out, "Interface bulk599 is down"),
	      "large reply: status %d, %zu bytes", r.status, r.out ? strlen(r.out) : 0);
	reply_free(&r);
	close(fd);
}

static void test_exit(int fd)
{
	expect(fd, "exit", CTL_STATUS_CLOSED, NULL, NULL);
	CHECK(closed_by_server(fd), "exit: connection not closed");
}

static int child_main(void)
{
	int fd = connect_ctl();
	int good = connect_ctl();

	test_exec(fd);
	test_config(fd);
	test_help(fd);
	test_hostile(good);
	test_slow_reader(good);
	test_exit(fd);
	close(good);
	return failures ? 1 : 0;
}

/* ---- the daemon side --------------------------------------------------- */

static void on_child_done(int fd, uint32_t events, void *arg)
{
	event_loop_stop(arg);
}

static void add_iface(struct cfg *c, const char *name, enum port_type type,
		      enum sw_mode mode, uint16_t vlan)
{
	struct cfg_iface *i = cfg_iface_get(c, name);

	i->attach.type = type;
	i->sw.mode = mode;
	i->sw.access_vlan = vlan;
	i->allowed_all = true;
}

static int daemon_setup(struct daemon *d, const char *conf_path)
{
	struct strbuf errs = STRBUF_INIT;
	struct cfg *c = cfg_new();

	d->config_path = conf_path;
	d->socket_path = sock_path;
	d->log_level_override = -1;
	d->foreground = true;
	d->running = cfg_new();
	d->loop = event_loop_new();
	d->dp = dp_create(1024, 256);
	add_iface(c, "p1", PORT_TYPE_DUMMY, SW_MODE_ACCESS, 10);
	add_iface(c, "p2", PORT_TYPE_DUMMY, SW_MODE_TRUNK, 1);
	cfg_iface_find(c, "p2")->sw.psec.enabled = true;
	cfg_iface_find(c, "p2")->sw.psec.maximum = 4;
	add_iface(c, "p3", PORT_TYPE_NONE, SW_MODE_ACCESS, 1);
	if (daemon_apply(d, c, &errs) < 0) {
		printf("apply: %s\n", strbuf_str(&errs));
		cfg_free(c);
		strbuf_free(&errs);
		return -1;
	}
	strbuf_free(&errs);
	return dp_start(d->dp);
}

/* Three broadcast frames from 02:00:00:00:00:0{1,2,3} on p1 (VLAN 10). */
static void learn_macs(struct daemon *d)
{
	uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 0,
			      0x08, 0x00 };
	struct port *p1 = d->ports[0];

	for (int k = 1; k <= 3; k++) {
		frame[11] = (uint8_t)k;
		port_dummy_inject(p1, frame, sizeof(frame));
	}
	for (int tries = 0; tries < 200; tries++) {
		dp_quiesce(d->dp);
		size_t n = sw_fdb_count(dp_switch(d->dp));

		dp_resume(d->dp);
		if (n == 3)
			return;
		usleep(10 * 1000);
	}
	CHECK(false, "the switch did not learn the injected MACs");
}

static void run_child(struct daemon *d)
{
	int pfd[2];

	if (pipe(pfd) < 0) {
		CHECK(false, "pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = fork();

	if (pid == 0) {
		close(pfd[0]);
		/* _exit: no atexit handlers (LeakSanitizer) in the child,
		 * whose heap is the parent's. */
		_exit(child_main());
	}
	close(pfd[1]);
	event_fd_add(d->loop, pfd[0], EPOLLIN, on_child_done, d->loop);
	event_loop_run(d->loop);
	event_fd_del(d->loop, pfd[0]);
	close(pfd[0]);
	int status = 0;

	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "client checks failed (status %d)", status);
}

int main(void)
{
	char dir[] = "/tmp/okapi-ctl-test-XXXXXX";
	char conf_path[256];
	struct daemon d = { 0 };
	struct stat st;

	if (!mkdtemp(dir))
		return 1;
	/* A missing parent directory is created by the server. */
	snprintf(sock_path, sizeof(sock_path), "%s/run/okapid.sock", dir);
	snprintf(conf_path, sizeof(conf_path), "%s/okapi.conf", dir);
	cmd_install_config_commands();
	ctl_install_exec_commands();
	if (daemon_setup(&d, conf_path) < 0) {
		printf("FAIL: daemon setup\n");
		return 1;
	}
	learn_macs(&d);
	CHECK(ctl_server_start(&d) == 0, "ctl_server_start");
	CHECK(stat(sock_path, &st) == 0 && (st.st_mode & 0777) == 0660,
	      "socket mode %o", st.st_mode & 0777);
	run_child(&d);
	ctl_server_stop(&d);
	CHECK(stat(sock_path, &st) < 0 && errno == ENOENT, "socket left behind");
	/* A stale socket file (no listener) is replaced on start. */
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	CHECK(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "stale bind");
	close(fd);
	CHECK(ctl_server_start(&d) == 0, "start over a stale socket");
	ctl_server_stop(&d);

	dp_quiesce(d.dp);
	daemon_release_ports(&d);
	dp_resume(d.dp);
	dp_destroy(d.dp);
	event_loop_free(d.loop);
	cfg_free(d.running);
	unlink(conf_path);
	rmdir(dirname(sock_path));
	rmdir(dir);
	if (failures)
		printf("%d check(s) failed\n", failures);
	else
		printf("all control socket checks passed\n");
	return failures != 0;
}
