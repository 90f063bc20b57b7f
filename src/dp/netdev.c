/*
 * DOC: rtnetlink link operations (see netdev.h)
 *
 * Each call builds one request in a stack buffer, sends it with NLM_F_ACK on
 * a fresh NETLINK_ROUTE socket in the wanted namespace and runs libmnl's
 * callback loop until the kernel's ACK or error.  Links are addressed by
 * name (IFLA_IFNAME with ifi_index 0), which the kernel resolves in the
 * socket's namespace, so callers never need an ifindex that could go stale.
 * A fresh socket per call costs a few syscalls, which is nothing on the
 * control path and saves keeping one socket per namespace.
 */
#include "dp/netdev.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#define NETDEV_NETNS_DIR "/run/netns"

/* A namespace name becomes a path under /run/netns: refuse anything that
 * would leave that directory. */
static bool netdev_netns_name_valid(const char *netns)
{
	size_t length = strlen(netns);

	return length > 0 && length < NAME_MAX && !strchr(netns, '/') &&
	       strcmp(netns, ".") != 0 && strcmp(netns, "..") != 0;
}

int netdev_netns_open(const char *netns)
{
	char path[sizeof(NETDEV_NETNS_DIR) + NAME_MAX + 1];
	int fd;

	if (!netns || !*netns) {
		fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	if (!netdev_netns_name_valid(netns))
		return -EINVAL;
	snprintf(path, sizeof(path), NETDEV_NETNS_DIR "/%s", netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

struct netdev_socket_req {
	const char *netns;
	int domain, type, protocol;
	int result;		/* fd or -errno */
};

/* Runs in its own thread so that setns() changes only this thread, which
 * exits right after: the caller's namespace is never touched. */
static void *netdev_socket_thread(void *arg)
{
	struct netdev_socket_req *req = arg;
	int nsfd = netdev_netns_open(req->netns);

	if (nsfd < 0) {
		req->result = nsfd;
		return NULL;
	}
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		req->result = -errno;
		close(nsfd);
		return NULL;
	}
	close(nsfd);
	req->result = socket(req->domain, req->type | SOCK_CLOEXEC,
			     req->protocol);
	if (req->result < 0)
		req->result = -errno;
	return NULL;
}

int netdev_netns_socket(const char *netns, int domain, int type, int protocol)
{
	struct netdev_socket_req req = {
		.netns = netns, .domain = domain, .type = type,
		.protocol = protocol, .result = -EINVAL,
	};
	pthread_t thread;
	int err;

	if (!netns || !*netns) {
		int fd = socket(domain, type | SOCK_CLOEXEC, protocol);

		return fd < 0 ? -errno : fd;
	}
	err = pthread_create(&thread, NULL, netdev_socket_thread, &req);
	if (err)
		return -err;
	pthread_join(thread, NULL);
	return req.result;
}

/* Opens a bound rtnetlink socket in 'netns'.  Returns NULL with *err set. */
static struct mnl_socket *netdev_nl_open(const char *netns, int *err)
{
	struct mnl_socket *nl;
	int fd = netdev_netns_socket(netns, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);

	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	nl = mnl_socket_fdopen(fd);
	if (!nl) {
		*err = -errno;
		close(fd);
		return NULL;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		*err = -errno;
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

/* Sends 'nlh' (NLM_F_ACK is added) in 'netns' and feeds the answers to cb
 * (may be NULL) until the ACK.  Returns 0 or the kernel's -errno. */
static int netdev_transact(const char *netns, struct nlmsghdr *nlh,
			   mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	unsigned portid;
	int err = 0, ret;

	nl = netdev_nl_open(netns, &err);
	if (!nl)
		return err;
	portid = mnl_socket_get_portid(nl);
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (unsigned)time(NULL);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		err = -errno;
		goto out;
	}
	do {
		ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret < 0) {
			err = -errno;
			goto out;
		}
		errno = 0;
		ret = mnl_cb_run(buf, (size_t)ret, nlh->nlmsg_seq, portid,
				 cb, data);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		err = errno ? -errno : -EIO;
out:
	mnl_socket_close(nl);
	return err;
}

/* Starts an RTM_NEWLINK/RTM_GETLINK request for device 'name' in buf. */
static struct nlmsghdr *netdev_link_msg(char *buf, uint16_t type,
					const char *name)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

static bool netdev_name_valid(const char *name)
{
	size_t length = strlen(name);

	return length > 0 && length < IFNAMSIZ;
}

static int netdev_get_attr(const struct nlattr *attr, void *data)
{
	struct netdev_info *info = data;

	if (mnl_attr_get_type(attr) == IFLA_MTU &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
		info->mtu = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int netdev_get_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct netdev_info *info = data;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return MNL_CB_OK;
	info->ifindex = ifi->ifi_index;
	info->flags = ifi->ifi_flags;
	return mnl_attr_parse(nlh, sizeof(*ifi), netdev_get_attr, info);
}

int netdev_get(const char *netns, const char *name, struct netdev_info *info)
{
	char buf[256];
	struct netdev_info local = { .ifindex = 0 };
	struct nlmsghdr *nlh;
	int err;

	if (!netdev_name_valid(name))
		return -EINVAL;
	nlh = netdev_link_msg(buf, RTM_GETLINK, name);
	err = netdev_transact(netns, nlh, netdev_get_cb, &local);
	if (err)
		return err;
	if (local.ifindex <= 0)
		return -ENODEV;
	if (info)
		*info = local;
	return 0;
}

int netdev_set_up(const char *netns, const char *name, bool up)
{
	char buf[256];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (!netdev_name_valid(name))
		return -EINVAL;
	nlh = netdev_link_msg(buf, RTM_NEWLINK, name);
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return netdev_transact(netns, nlh, NULL, NULL);
}

int netdev_set_mtu(const char *netns, const char *name, unsigned mtu)
{
	char buf[256];
	struct nlmsghdr *nlh;

	if (!netdev_name_valid(name))
		return -EINVAL;
	nlh = netdev_link_msg(buf, RTM_NEWLINK, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return netdev_transact(netns, nlh, NULL, NULL);
}

int netdev_move(const char *netns, const char *name, int target_nsfd)
{
	char buf[256];
	struct nlmsghdr *nlh;

	if (!netdev_name_valid(name) || target_nsfd < 0)
		return -EINVAL;
	nlh = netdev_link_msg(buf, RTM_NEWLINK, name);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)target_nsfd);
	return netdev_transact(netns, nlh, NULL, NULL);
}
