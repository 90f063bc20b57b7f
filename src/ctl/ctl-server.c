/*
 * DOC: control socket server and sessions (see ctl-server.h)
 *
 * Structures: one struct ctl_server per process (the listening socket and a
 * list of sessions); one struct ctl_session per accepted connection, which
 * embeds the session's struct cmd_ctx.
 *
 * A session is a small state machine driven by the event loop:
 *
 *   READ    reading a header, then its payload (sizes checked first);
 *           registered for EPOLLIN.  A complete request is executed at
 *           once and its reply queued.
 *   WRITE   sending a queued reply; registered for EPOLLOUT only, so a
 *           client that stops reading cannot make us buffer more than one
 *           reply.  When the reply is out: back to READ, or closed when the
 *           reply ended the session.
 *
 * Any protocol violation, EOF or socket error closes the session; the
 * daemon never trusts a client's sizes beyond the limits in ctl-proto.h.
 * Event flags are only hints: a session closes when read() or send() says
 * so, never because a flag was seen (the event loop may hand us a stale
 * event for a freed-and-reused registration).
 */
#include "ctl/ctl-server.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/daemon.h"
#include "core/event.h"
#include "core/log.h"
#include "ctl/ctl-proto.h"

#define CTL_SESSIONS_MAX 64	/* bounded so clients cannot exhaust fds */
#define CTL_GROUP "okapi"

struct ctl_session {
	struct ctl_session *next;
	struct ctl_server *srv;
	int fd;
	struct cmd_ctx ctx;
	bool exec_ran;		/* "do" ran an exec command in this line */
	bool ending;		/* close once the reply is sent */

	struct ctl_hdr hdr;	/* request being read */
	size_t hdr_got;
	char *req;		/* payload, hdr.size + 1 bytes */
	size_t req_got;

	char *reply;		/* queued reply (header + payload) */
	size_t reply_size, reply_sent;
};

struct ctl_server {
	struct daemon *d;
	int fd;
	bool bound;		/* the socket file at 'path' is ours */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ctl_session *sessions;
	unsigned n_sessions;
};

static struct ctl_server *ctl_srv;

static struct ctl_session *session_of(const struct cmd_ctx *ctx)
{
	if (!ctl_srv)
		return NULL;
	for (struct ctl_session *s = ctl_srv->sessions; s; s = s->next)
		if (&s->ctx == ctx)
			return s;
	return NULL;
}

void ctl_session_end(const struct cmd_ctx *ctx)
{
	struct ctl_session *s = session_of(ctx);

	if (s)
		s->ending = true;
}

void ctl_session_exec_ran(const struct cmd_ctx *ctx)
{
	struct ctl_session *s = session_of(ctx);

	if (s)
		s->exec_ran = true;
}

static void session_close(struct ctl_session *s)
{
	struct ctl_server *srv = s->srv;
	struct ctl_session **pp = &srv->sessions;

	while (*pp && *pp != s)
		pp = &(*pp)->next;
	if (*pp)
		*pp = s->next;
	srv->n_sessions--;
	event_fd_del(srv->d->loop, s->fd);
	close(s->fd);
	free(s->req);
	free(s->reply);
	free(s);
}

/* ---- executing requests ------------------------------------------------ */

/* What a request produced, before it is serialised. */
struct ctl_answer {
	enum ctl_status status;
	unsigned err_col;
	struct strbuf out, err;
};

static bool line_blank(const char *line)
{
	line += strspn(line, " \t");
	return !*line;
}

/* vtysh-style error text; the client draws the caret from err_col. */
static void answer_error(struct ctl_answer *a, const struct cmd_result *res)
{
	a->status = CTL_STATUS_ERROR;
	a->err_col = res->col > 0 ? (unsigned)res->col : 0;
	strbuf_printf(&a->err, "%% %s\n", res->msg ? res->msg : "command failed");
	if (res->expected)
		strbuf_printf(&a->err, "%% expected one of: %s\n", res->expected);
}

/* Appends each line of 'text' to a->err with a "% " prefix. */
static void answer_lines(struct ctl_answer *a, const char *text)
{
	while (*text) {
		size_t len = strcspn(text, "\n");

		strbuf_puts(&a->err, "% ");
		strbuf_add(&a->err, text, len);
		strbuf_putc(&a->err, '\n');
		text += len + (text[len] == '\n');
	}
}

/* Runs a line in a config node: on a copy of the running config, applied
 * only if the line changed it and did not run an exec command ("do"). */
static int session_exec_config(struct ctl_session *s, const char *line,
			       struct cmd_result *res, struct ctl_answer *a)
{
	struct daemon *d = s->srv->d;

	/* Sticky MACs first, or applying the copy would forget them. */
	daemon_sync_sticky(d);
	struct cfg *copy = cfg_dup(d->running);

	if (!copy) {
		res->msg = strdup("out of memory");
		return -1;
	}
	s->ctx.cfg = copy;
	s->exec_ran = false;
	/* Nested: a top-level command typed in config-if closes the block,
	 * as in vtysh and IOS. */
	int rc = cmd_execute_nested(&s->ctx, line, res);

	s->ctx.cfg = NULL;
	if (rc == 0 && !s->exec_ran && !cfg_equal(copy, d->running)) {
		struct strbuf errs = STRBUF_INIT;

		if (daemon_apply(d, copy, &errs) < 0) {
			answer_lines(a, strbuf_str(&errs));
			res->msg = strdup("configuration not applied; running configuration unchanged");
			rc = -1;
		} else {
			/* Applied; ports that failed to open are warnings. */
			answer_lines(a, strbuf_str(&errs));
			copy = NULL;
		}
		strbuf_free(&errs);
	}
	cfg_free(copy);
	return rc;
}

static void session_exec(struct ctl_session *s, const char *line,
			 struct ctl_answer *a)
{
	struct daemon *d = s->srv->d;
	struct cmd_result res = { 0 };
	enum cmd_node node = s->ctx.node;
	uint16_t vlan = s->ctx.vlan;
	char iface[CFG_NAME_MAX];
	int rc;

	if (line_blank(line))
		return;
	memcpy(iface, s->ctx.iface, sizeof(iface));
	s->ctx.out = &a->out;
	s->ctx.daemon = d;
	if (node == CMD_NODE_EXEC) {
		s->ctx.cfg = d->running;
		rc = cmd_execute(&s->ctx, line, &res);
		s->ctx.cfg = NULL;
	} else {
		rc = session_exec_config(s, line, &res, a);
	}
	s->ctx.out = NULL;
	if (rc < 0) {
		/* A failed line leaves the session where it was. */
		s->ctx.node = node;
		s->ctx.vlan = vlan;
		memcpy(s->ctx.iface, iface, sizeof(iface));
		answer_error(a, &res);
	}
	cmd_result_free(&res);
	if (s->ending)
		a->status = CTL_STATUS_CLOSED;
}

/* In a config node, "do LINE" completes and describes as an exec line. */
static enum cmd_node help_node(const struct ctl_session *s, const char **line)
{
	const char *p = *line + strspn(*line, " \t");

	if (s->ctx.node != CMD_NODE_EXEC && !strncmp(p, "do", 2) &&
	    (p[2] == ' ' || p[2] == '\t')) {
		*line = p + 2;
		return CMD_NODE_EXEC;
	}
	return s->ctx.node;
}

static void session_complete(struct ctl_session *s, const char *line,
			     struct ctl_answer *a)
{
	enum cmd_node node = help_node(s, &line);
	char **words = cmd_complete(node, line);

	for (size_t k = 0; words && words[k]; k++)
		strbuf_printf(&a->out, "%s\n", words[k]);
	cmd_strv_free(words);
}

static void session_describe(struct ctl_session *s, const char *line,
			     struct ctl_answer *a)
{
	enum cmd_node node = help_node(s, &line);

	cmd_describe(node, line, &a->out);
}

/* ---- replies ----------------------------------------------------------- */

static void reply_build(struct ctl_session *s, struct ctl_answer *a)
{
	const struct cfg *c = s->srv->d->running;
	char prompt[CTL_PROMPT_MAX];
	struct ctl_reply_head head;
	struct ctl_hdr hdr;
	struct strbuf b = STRBUF_INIT;

	snprintf(prompt, sizeof(prompt), "%s%s# ", c->hostname,
		 cmd_node_prompt(s->ctx.node));
	if (strbuf_failed(&a->out) || strbuf_failed(&a->err) ||
	    a->out.len + a->err.len > CTL_REPLY_MAX - sizeof(head) - sizeof(prompt)) {
		size_t size = a->out.len;

		strbuf_free(&a->out);
		strbuf_free(&a->err);
		strbuf_printf(&a->err, "%% output too large (%zu bytes) or out of memory\n",
			      size);
		a->status = a->status == CTL_STATUS_CLOSED ? a->status : CTL_STATUS_ERROR;
	}
	head = (struct ctl_reply_head){
		.status = a->status,
		.err_col = a->err_col,
		.prompt_size = (uint32_t)strlen(prompt),
		.out_size = (uint32_t)a->out.len,
		.err_size = (uint32_t)a->err.len,
	};
	ctl_hdr_init(&hdr, CTL_MSG_REPLY, (uint32_t)(sizeof(head) + head.prompt_size +
						     head.out_size + head.err_size));
	strbuf_add(&b, (const char *)&hdr, sizeof(hdr));
	strbuf_add(&b, (const char *)&head, sizeof(head));
	strbuf_add(&b, prompt, head.prompt_size);
	strbuf_add(&b, strbuf_str(&a->out), a->out.len);
	strbuf_add(&b, strbuf_str(&a->err), a->err.len);
	if (strbuf_failed(&b)) {
		/* Not even the reply fits in memory: drop the session rather
		 * than leave the client waiting for an answer. */
		strbuf_free(&b);
		s->ending = true;
		return;
	}
	s->reply_size = b.len;
	s->reply_sent = 0;
	s->reply = strbuf_detach(&b);
}

/* Sends what the socket takes.  Returns 1 when the reply is out, 0 when
 * it must wait for EPOLLOUT, -1 when the session must close. */
static int reply_flush(struct ctl_session *s)
{
	while (s->reply_sent < s->reply_size) {
		ssize_t n = send(s->fd, s->reply + s->reply_sent,
				 s->reply_size - s->reply_sent,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;
		s->reply_sent += (size_t)n;
	}
	free(s->reply);
	s->reply = NULL;
	s->reply_size = s->reply_sent = 0;
	return 1;
}

static void session_handle(struct ctl_session *s)
{
	struct ctl_answer a = { CTL_STATUS_OK, 0, STRBUF_INIT, STRBUF_INIT };

	switch ((enum ctl_msg_type)s->hdr.type) {
	case CTL_MSG_EXEC:
		if (memchr(s->req, '\0', s->hdr.size) || strchr(s->req, '\n')) {
			a.status = CTL_STATUS_ERROR;
			strbuf_puts(&a.err, "% one command line per request, without NUL\n");
		} else {
			session_exec(s, s->req, &a);
		}
		break;
	case CTL_MSG_COMPLETE:
		session_complete(s, s->req, &a);
		break;
	case CTL_MSG_DESCRIBE:
		session_describe(s, s->req, &a);
		break;
	case CTL_MSG_REPLY:
	default:
		/* ctl_hdr_check() let only requests through. */
		abort();
	}
	reply_build(s, &a);
	strbuf_free(&a.out);
	strbuf_free(&a.err);
	free(s->req);
	s->req = NULL;
	s->hdr_got = s->req_got = 0;
}

/* ---- reading ----------------------------------------------------------- */

static void session_io(int fd, uint32_t events, void *arg);

/* Reads into buf[*got..size).  Returns 1 when complete, 0 when the socket
 * is drained, -1 on EOF or error. */
static int read_some(int fd, void *buf, size_t size, size_t *got)
{
	while (*got < size) {
		ssize_t n = read(fd, (char *)buf + *got, size - *got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;
		*got += (size_t)n;
	}
	return 1;
}

/* Reads one request.  Returns 1 when one is complete, 0 when more bytes
 * are needed, -1 when the session must close. */
static int session_read(struct ctl_session *s)
{
	static struct log_rl rl = LOG_RL_INIT(5, 10);
	int r;

	if (s->hdr_got < sizeof(s->hdr)) {
		r = read_some(s->fd, &s->hdr, sizeof(s->hdr), &s->hdr_got);
		if (r <= 0)
			return r;
		int err = ctl_hdr_check(&s->hdr, false);

		if (err) {
			if (log_rl_allow(&rl))
				log_warnx("control session: %s (type %u, %u bytes); closing",
					  err == -EMSGSIZE ? "request too large" :
					  "not a request", s->hdr.type, s->hdr.size);
			return -1;
		}
		s->req = malloc((size_t)s->hdr.size + 1);
		if (!s->req)
			return -1;
		s->req_got = 0;
	}
	r = read_some(s->fd, s->req, s->hdr.size, &s->req_got);
	if (r <= 0)
		return r;
	s->req[s->hdr.size] = '\0';
	return 1;
}

static void session_watch(struct ctl_session *s, uint32_t events)
{
	if (event_fd_add(s->srv->d->loop, s->fd, events, session_io, s) < 0)
		s->ending = true;
}

static void session_io(int fd, uint32_t events, void *arg)
{
	struct ctl_session *s = arg;
	(void)fd;
	(void)events;

	for (;;) {
		if (s->reply) {
			int r = reply_flush(s);

			if (r < 0 || (r > 0 && s->ending)) {
				session_close(s);
				return;
			}
			if (r == 0) {
				session_watch(s, EPOLLOUT);
				return;
			}
			session_watch(s, EPOLLIN);
		}
		if (s->ending) {
			session_close(s);
			return;
		}
		int r = session_read(s);

		if (r < 0) {
			session_close(s);
			return;
		}
		if (r == 0)
			return;
		session_handle(s);
	}
}

/* ---- listening --------------------------------------------------------- */

static void server_accept(int fd, uint32_t events, void *arg)
{
	static struct log_rl rl = LOG_RL_INIT(5, 10);
	struct ctl_server *srv = arg;
	(void)events;

	for (;;) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (cfd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && log_rl_allow(&rl))
				log_warn("control socket: accept");
			return;
		}
		struct ctl_session *s = NULL;

		if (srv->n_sessions < CTL_SESSIONS_MAX)
			s = calloc(1, sizeof(*s));
		if (!s) {
			if (log_rl_allow(&rl))
				log_warnx("control socket: too many sessions; refusing one");
			close(cfd);
			continue;
		}
		s->srv = srv;
		s->fd = cfd;
		s->ctx.node = CMD_NODE_EXEC;
		if (event_fd_add(srv->d->loop, cfd, EPOLLIN, session_io, s) < 0) {
			close(cfd);
			free(s);
			continue;
		}
		s->next = srv->sessions;
		srv->sessions = s;
		srv->n_sessions++;
	}
}

/* mkdir -p of the socket's directory; new directories get mode 0755. */
static int make_parent_dir(const char *path)
{
	char dir[sizeof(ctl_srv->path)];

	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');

	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = saved;
		if (!saved)
			return 0;
	}
}

/* Removes a socket file left by a dead okapid; refuses to touch a live
 * one or anything that is not a socket. */
static int remove_stale(const struct sockaddr_un *sa)
{
	struct stat st;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	int r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));

	close(fd);
	if (r == 0)
		return -EADDRINUSE;
	return unlink(sa->sun_path) < 0 ? -errno : 0;
}

static int server_bind(struct ctl_server *srv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int err;

	memcpy(sa.sun_path, srv->path, sizeof(sa.sun_path));
	err = make_parent_dir(srv->path);
	if (err) {
		log_warnx("control socket %s: cannot create its directory: %s",
			  srv->path, strerror(-err));
		return err;
	}
	err = remove_stale(&sa);
	if (err) {
		log_warnx("control socket %s: %s", srv->path, err == -EADDRINUSE ?
			  "another okapid is running" : strerror(-err));
		return err;
	}
	srv->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->fd < 0) {
		err = -errno;
		log_warnx("control socket: socket: %s", strerror(-err));
		return err;
	}
	/* The umask makes the socket 0660 from its creation on: no window
	 * in which anyone else could connect. */
	mode_t old = umask(0117);

	err = bind(srv->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	umask(old);
	srv->bound = !err;
	if (!err && chmod(srv->path, 0660) < 0)
		err = -errno;
	if (err) {
		log_warnx("control socket %s: bind: %s", srv->path, strerror(-err));
		return err;
	}
	struct group *g = getgrnam(CTL_GROUP);

	if (g && chown(srv->path, (uid_t)-1, g->gr_gid) < 0)
		log_warn("control socket %s: cannot set group %s", srv->path,
			 CTL_GROUP);
	if (listen(srv->fd, 16) < 0) {
		err = -errno;
		log_warnx("control socket %s: listen: %s", srv->path, strerror(-err));
		return err;
	}
	return 0;
}

int ctl_server_start(struct daemon *d)
{
	struct ctl_server *srv;
	int err;

	if (ctl_srv)
		return -EALREADY;
	if (strlen(d->socket_path) >= sizeof(srv->path)) {
		log_warnx("control socket path too long (max %zu bytes): %s",
			  sizeof(srv->path) - 1, d->socket_path);
		return -ENAMETOOLONG;
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -ENOMEM;
	srv->d = d;
	srv->fd = -1;
	snprintf(srv->path, sizeof(srv->path), "%s", d->socket_path);
	err = server_bind(srv);
	if (!err)
		err = event_fd_add(d->loop, srv->fd, EPOLLIN, server_accept, srv);
	if (err) {
		if (srv->fd >= 0)
			close(srv->fd);
		if (srv->bound)
			unlink(srv->path);
		free(srv);
		return err;
	}
	ctl_srv = srv;
	log_info("control socket %s ready", srv->path);
	return 0;
}

void ctl_server_stop(struct daemon *d)
{
	struct ctl_server *srv = ctl_srv;

	if (!srv || srv->d != d)
		return;
	while (srv->sessions)
		session_close(srv->sessions);
	event_fd_del(d->loop, srv->fd);
	close(srv->fd);
	unlink(srv->path);
	free(srv);
	ctl_srv = NULL;
}
