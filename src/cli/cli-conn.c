/*
 * DOC: okapictl's connection to okapid (see cli-conn.h)
 *
 * The reply size is checked against CTL_REPLY_MAX before anything is
 * allocated, and the reply's own sizes are checked by ctl_reply_parse()
 * before any string is used: a confused or hostile peer on the socket
 * cannot make okapictl allocate without bound or read past its buffer.
 */
#include "cli/cli-conn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int cli_connect(struct cli_conn *c, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	c->fd = -1;
	c->buf = NULL;
	c->cap = 0;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		close(c->fd);
		c->fd = -1;
		return err;
	}
	return 0;
}

static int send_all(int fd, const void *buf, size_t size)
{
	const char *p = buf;

	while (size > 0) {
		ssize_t n = send(fd, p, size, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

static int recv_all(int fd, void *buf, size_t size)
{
	char *p = buf;

	while (size > 0) {
		ssize_t n = read(fd, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNABORTED;
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

int cli_request(struct cli_conn *c, enum ctl_msg_type type, const char *line,
		struct ctl_reply *r)
{
	size_t len = strlen(line);
	struct ctl_hdr hdr;
	int err;

	if (len > CTL_REQUEST_MAX)
		return -EMSGSIZE;
	ctl_hdr_init(&hdr, type, (uint32_t)len);
	err = send_all(c->fd, &hdr, sizeof(hdr));
	if (!err)
		err = send_all(c->fd, line, len);
	if (!err)
		err = recv_all(c->fd, &hdr, sizeof(hdr));
	if (err)
		return err;
	if (ctl_hdr_check(&hdr, true) < 0)
		return -EPROTO;
	if (hdr.size > c->cap) {
		char *buf = realloc(c->buf, hdr.size);

		if (!buf)
			return -ENOMEM;
		c->buf = buf;
		c->cap = hdr.size;
	}
	err = recv_all(c->fd, c->buf, hdr.size);
	if (err)
		return err;
	return ctl_reply_parse(c->buf, hdr.size, r);
}

void cli_close(struct cli_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->buf);
	c->fd = -1;
	c->buf = NULL;
	c->cap = 0;
}
