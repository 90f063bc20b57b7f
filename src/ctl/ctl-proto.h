/*
 * DOC: the control socket protocol (okapid <-> okapictl)
 *
 * A unix stream socket carries length-prefixed typed messages.  Every
 * message is a fixed struct ctl_hdr followed by 'size' payload bytes; all
 * integers are in host byte order (both ends are on the same machine).
 *
 * The client sends one request and waits for its reply; there is exactly one
 * reply per request, in order:
 *
 *   CTL_MSG_EXEC      payload: one command line (no NUL, no newline).
 *                     Runs it in the session's current node.
 *   CTL_MSG_COMPLETE  payload: the line up to the cursor.  Reply text: the
 *                     candidate words for its last (partial) word, one per
 *                     line.
 *   CTL_MSG_DESCRIBE  payload: the line up to the cursor.  Reply text: the
 *                     "?" help for the next token, as vtysh prints it.
 *   CTL_MSG_REPLY     server -> client: struct ctl_reply_head, then the
 *                     prompt, the output text and the error text, with the
 *                     sizes given in the head (none NUL-terminated).  The
 *                     prompt is the one for the next line ("sw1(config)# ");
 *                     output goes to stdout, error text to stderr.
 *
 * A session (its node, interface, VLAN) lives as long as the connection, so
 * "configure terminal" followed by config lines works across requests.
 *
 * Both ends check sizes before touching a payload (STYLE.md section 2):
 * a request larger than CTL_REQUEST_MAX, a reply larger than CTL_REPLY_MAX,
 * a bad magic or an unknown type is a protocol error and the receiver drops
 * the connection.  CTL_REPLY_MAX is large because a full MAC table (65536
 * entries) is several megabytes of text or JSON.
 *
 * Header-only so that okapictl (built from src/cli only) and the server share
 * it without sharing an object file.
 */
#ifndef OKAPI_CTL_PROTO_H
#define OKAPI_CTL_PROTO_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define CTL_MAGIC	0x6f6b6331u	/* "okc1": protocol version 1 */
#define CTL_REQUEST_MAX	65536u		/* bytes of one command line */
#define CTL_PROMPT_MAX	256u		/* hostname (63) + node suffix */
#define CTL_REPLY_MAX	(64u << 20)	/* bytes of one reply payload */

#define CTL_DEFAULT_SOCKET "/run/okapi/okapid.sock"

enum ctl_msg_type {
	CTL_MSG_EXEC = 1,
	CTL_MSG_COMPLETE,
	CTL_MSG_DESCRIBE,
	CTL_MSG_REPLY,
};

struct ctl_hdr {
	uint32_t magic;		/* CTL_MAGIC */
	uint16_t type;		/* enum ctl_msg_type */
	uint16_t flags;		/* 0; receivers ignore it */
	uint32_t size;		/* payload bytes following the header */
};

/* Outcome of a request, in struct ctl_reply_head.status. */
enum ctl_status {
	CTL_STATUS_OK = 0,
	CTL_STATUS_ERROR = 1,	/* the command failed; err text says why */
	CTL_STATUS_CLOSED = 2,	/* the session ended ("exit" at exec); the
				 * server closes the connection after this */
};

struct ctl_reply_head {
	uint32_t status;	/* enum ctl_status */
	uint32_t err_col;	/* 1-based column of the error in the request
				 * line (the client draws a caret), 0: none */
	uint32_t prompt_size;
	uint32_t out_size;
	uint32_t err_size;
};

/* A parsed reply; the pointers point into the payload (not terminated). */
struct ctl_reply {
	enum ctl_status status;
	unsigned err_col;
	const char *prompt, *out, *err;
	size_t prompt_size, out_size, err_size;
};

static inline void ctl_hdr_init(struct ctl_hdr *h, enum ctl_msg_type type,
				uint32_t size)
{
	h->magic = CTL_MAGIC;
	h->type = (uint16_t)type;
	h->flags = 0;
	h->size = size;
}

/* Checks a received header.  'reply' says which side we are: the client
 * accepts only CTL_MSG_REPLY, the server only requests.  Returns 0,
 * -EPROTO (bad magic or type) or -EMSGSIZE (payload over the limit). */
static inline int ctl_hdr_check(const struct ctl_hdr *h, bool reply)
{
	if (h->magic != CTL_MAGIC)
		return -EPROTO;
	if (reply) {
		if (h->type != CTL_MSG_REPLY)
			return -EPROTO;
		return h->size > CTL_REPLY_MAX ? -EMSGSIZE : 0;
	}
	if (h->type != CTL_MSG_EXEC && h->type != CTL_MSG_COMPLETE &&
	    h->type != CTL_MSG_DESCRIBE)
		return -EPROTO;
	return h->size > CTL_REQUEST_MAX ? -EMSGSIZE : 0;
}

/* Parses a reply payload of exactly 'size' bytes (borrowed; r points into
 * it).  Returns 0 or -EPROTO when the sizes in the head do not add up to
 * 'size' or the status is unknown. */
static inline int ctl_reply_parse(const void *payload, size_t size,
				  struct ctl_reply *r)
{
	struct ctl_reply_head head;

	if (size < sizeof(head))
		return -EPROTO;
	memcpy(&head, payload, sizeof(head));
	if (head.status > CTL_STATUS_CLOSED ||
	    head.prompt_size > CTL_PROMPT_MAX)
		return -EPROTO;
	/* 64-bit sum: three 32-bit sizes cannot overflow it. */
	uint64_t total = (uint64_t)sizeof(head) + head.prompt_size +
			 head.out_size + head.err_size;
	if (total != size)
		return -EPROTO;
	const char *p = (const char *)payload + sizeof(head);
	r->status = (enum ctl_status)head.status;
	r->err_col = head.err_col;
	r->prompt = p;
	r->prompt_size = head.prompt_size;
	r->out = p + head.prompt_size;
	r->out_size = head.out_size;
	r->err = r->out + head.out_size;
	r->err_size = head.err_size;
	return 0;
}

#endif
