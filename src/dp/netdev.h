/*
 * DOC: kernel network devices over rtnetlink
 *
 * The few link operations the ports need (look a device up, set it up or
 * down, set its MTU, move it into another network namespace), done with
 * libmnl on a short-lived NETLINK_ROUTE socket per call.  Control thread
 * only: these calls block on the kernel's answer.
 *
 * Every function takes the network namespace it works in: NULL or "" is the
 * caller's own namespace, anything else is a named namespace as created by
 * "ip netns add NAME" (the file /run/netns/NAME).  A socket inside another
 * namespace is created by a short-lived thread that setns()es into it, so
 * the calling thread never leaves its own namespace; a socket keeps the
 * namespace it was created in for its whole life.
 *
 * Return values are 0 (or a non-negative result) or -errno: -ENODEV for a
 * device that does not exist, -ENOENT for a namespace that does not exist,
 * -EINVAL for a malformed device or namespace name.
 */
#ifndef OKAPI_NETDEV_H
#define OKAPI_NETDEV_H

#include <stdbool.h>

/* What netdev_get() reports about a link. */
struct netdev_info {
	int ifindex;
	unsigned flags;		/* IFF_UP, IFF_RUNNING, ... as rtnetlink reports
				 * them (IFF_PROMISC only when set by a user,
				 * not by a packet socket's membership) */
	unsigned mtu;
};

/* Looks up device 'name' in namespace 'netns'.  Fills *info (may be NULL:
 * just an existence test).  Returns 0 or -ENODEV / -errno. */
int netdev_get(const char *netns, const char *name, struct netdev_info *info);

/* Sets the administrative state of 'name' (IFF_UP).  Returns 0 or -errno. */
int netdev_set_up(const char *netns, const char *name, bool up);

/* Sets the device MTU.  Returns 0 or -errno (-EINVAL: out of the device's
 * range). */
int netdev_set_mtu(const char *netns, const char *name, unsigned mtu);

/* Moves 'name' from namespace 'netns' into the namespace 'target_nsfd'
 * refers to (see netdev_netns_open()).  The kernel sets the device down on
 * the way.  Borrows target_nsfd.  Returns 0 or -errno (-EEXIST: the target
 * already has a device of that name). */
int netdev_move(const char *netns, const char *name, int target_nsfd);

/* Opens namespace 'netns' (NULL or "": the calling thread's own) and
 * returns an O_CLOEXEC fd for it, or -errno.  The caller closes it. */
int netdev_netns_open(const char *netns);

/* Creates socket(domain, type, protocol) inside namespace 'netns' and
 * returns it, or -errno.  The caller owns the fd.  SOCK_CLOEXEC is added to
 * 'type'. */
int netdev_netns_socket(const char *netns, int domain, int type, int protocol);

#endif
