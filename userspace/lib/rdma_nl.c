// SPDX-License-Identifier: GPL-2.0
/*
 * RDMA netlink client; see rdma_nl.h. Messages of the NLDEV client carry
 * their attributes right after the netlink header (no family header), and
 * the message type is RDMA_NL_GET_TYPE(RDMA_NL_NLDEV, command).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <rdma/rdma_netlink.h>

#include "fmt.h"
#include "nl.h"
#include "rdma_nl.h"

/* As MNL_SOCKET_DUMP_SIZE of newer libmnl: what one dump batch may take. */
#define RNL_BUF_SIZE	32768

struct aifab_rdma_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	char errmsg[256];
	char buf[RNL_BUF_SIZE] __attribute__((aligned(4)));
};

typedef int (*rnl_cb_t)(const struct nlmsghdr *nlh, void *data);

/**
 * aifab_rdma_nl_open() - Open an RDMA netlink client.
 * @nlp: Filled with the client, to release with aifab_rdma_nl_close().
 *
 * The client belongs to the caller's network namespace at this moment.
 *
 * Return: 0; -EPROTONOSUPPORT when the kernel has no RDMA subsystem
 * (ib_core is not loaded); or another negative errno value.
 */
int aifab_rdma_nl_open(struct aifab_rdma_nl **nlp)
{
	struct aifab_rdma_nl *nl;
	int one = 1, ret;

	*nlp = NULL;
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->sock = mnl_socket_open(NETLINK_RDMA);
	if (!nl->sock) {
		ret = -errno;
		free(nl);
		return ret;
	}
	/* Best effort, as in nl.c: without them only the message is lost. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		aifab_rdma_nl_close(nl);
		return ret;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	*nlp = nl;
	return 0;
}

void aifab_rdma_nl_close(struct aifab_rdma_nl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl);
}

/* The kernel's extack message of the last refusal, or NULL. */
const char *aifab_rdma_nl_errmsg(const struct aifab_rdma_nl *nl)
{
	return nl->errmsg[0] ? nl->errmsg : NULL;
}

static struct nlmsghdr *rnl_req(struct aifab_rdma_nl *nl, uint16_t cmd,
				uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);

	nlh->nlmsg_type = RDMA_NL_GET_TYPE(RDMA_NL_NLDEV, cmd);
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

/* An ACK, an error or the end of a dump: the request's status. */
static int rnl_status(struct aifab_rdma_nl *nl, const struct nlmsghdr *nlh)
{
	const char *msg;
	uint32_t offs;
	int error, ret;

	ret = aifab_nl_parse_err(nlh, &error, &msg, &offs);
	if (ret)
		return ret;
	if (msg)
		aifab_fmt(nl->errmsg, sizeof(nl->errmsg), "%s", msg);
	return error;
}

/*
 * One batch of received messages. Returns 1 once the request's status has
 * come, 0 to read on, or a negative errno value of a malformed status.
 */
static int rnl_batch(struct aifab_rdma_nl *nl, ssize_t n, rnl_cb_t cb,
		     void *data, int *status, int *cb_ret)
{
	const struct nlmsghdr *m = (const struct nlmsghdr *)nl->buf;
	int len = (int)n;

	for (; mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
		if (m->nlmsg_seq != nl->seq || m->nlmsg_pid != nl->portid)
			continue;
		if (m->nlmsg_type == NLMSG_ERROR ||
		    m->nlmsg_type == NLMSG_DONE) {
			*status = rnl_status(nl, m);
			return 1;
		}
		if (!*cb_ret && cb)
			*cb_ret = cb(m, data);
	}
	return 0;
}

/* Send @nlh and hand each reply to @cb until the status comes. */
static int rnl_exec(struct aifab_rdma_nl *nl, struct nlmsghdr *nlh,
		    rnl_cb_t cb, void *data)
{
	int status = 0, cb_ret = 0, done = 0;

	nl->errmsg[0] = '\0';
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while (!done) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0)
			return -errno;
		done = rnl_batch(nl, n, cb, data, &status, &cb_ret);
	}
	return status ? status : cb_ret;
}

struct rnl_tb {
	const struct nlattr *tb[RDMA_NLDEV_ATTR_MAX];
};

/* The attributes this client reads, and their types. */
static int rnl_attr(const struct nlattr *attr, void *data)
{
	struct rnl_tb *t = data;
	uint16_t type = mnl_attr_get_type(attr);
	enum mnl_attr_data_type want;

	switch (type) {
	case RDMA_NLDEV_ATTR_DEV_INDEX:
		want = MNL_TYPE_U32;
		break;
	case RDMA_NLDEV_ATTR_DEV_NAME:
		want = MNL_TYPE_NUL_STRING;
		break;
	case RDMA_NLDEV_ATTR_NODE_GUID:
		want = MNL_TYPE_U64;
		break;
	case RDMA_NLDEV_SYS_ATTR_NETNS_MODE:
		want = MNL_TYPE_U8;
		break;
	default:
		return MNL_CB_OK;
	}
	if (mnl_attr_validate(attr, want) < 0)
		return MNL_CB_ERROR;
	t->tb[type] = attr;
	return MNL_CB_OK;
}

static int rnl_parse(const struct nlmsghdr *nlh, struct rnl_tb *t)
{
	*t = (struct rnl_tb){ 0 };
	return mnl_attr_parse(nlh, 0, rnl_attr, t) == MNL_CB_OK ? 0 :
	       -EBADMSG;
}

static int rnl_mode_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;
	struct rnl_tb t;

	if (rnl_parse(nlh, &t))
		return -EBADMSG;
	a = t.tb[RDMA_NLDEV_SYS_ATTR_NETNS_MODE];
	if (!a)
		return -EBADMSG;
	/* The kernel sends ib_devices_shared_netns: 1 shared, 0 exclusive. */
	*(bool *)data = !mnl_attr_get_u8(a);
	return 0;
}

/**
 * aifab_rdma_nl_netns_exclusive() - The RDMA subsystem's namespace mode.
 * @nl: Client.
 * @exclusive: Set to true when RDMA devices belong to one network
 *	namespace each ("rdma system set netns exclusive"), false when every
 *	namespace sees them all (shared, the default).
 *
 * Return: 0, or a negative errno value.
 */
int aifab_rdma_nl_netns_exclusive(struct aifab_rdma_nl *nl, bool *exclusive)
{
	struct nlmsghdr *nlh = rnl_req(nl, RDMA_NLDEV_CMD_SYS_GET, NLM_F_ACK);
	bool mode = false;
	int ret;

	ret = rnl_exec(nl, nlh, rnl_mode_reply, &mode);
	if (!ret)
		*exclusive = mode;
	return ret;
}

struct rnl_devs {
	aifab_rdma_dev_cb_t cb;
	void *data;
};

static int rnl_dev_reply(const struct nlmsghdr *nlh, void *data)
{
	struct rnl_devs *d = data;
	struct aifab_rdma_dev dev = { 0 };
	struct rnl_tb t;

	if (rnl_parse(nlh, &t) || !t.tb[RDMA_NLDEV_ATTR_DEV_INDEX] ||
	    !t.tb[RDMA_NLDEV_ATTR_DEV_NAME])
		return -EBADMSG;
	dev.index = mnl_attr_get_u32(t.tb[RDMA_NLDEV_ATTR_DEV_INDEX]);
	if (t.tb[RDMA_NLDEV_ATTR_NODE_GUID])
		dev.node_guid = mnl_attr_get_u64(t.tb[RDMA_NLDEV_ATTR_NODE_GUID]);
	if (aifab_fmt(dev.name, sizeof(dev.name), "%s",
		      mnl_attr_get_str(t.tb[RDMA_NLDEV_ATTR_DEV_NAME])) < 0)
		return -EBADMSG;
	return d->cb(&dev, d->data);
}

/**
 * aifab_rdma_nl_devs() - Every RDMA device the client's namespace sees.
 * @nl: Client.
 * @cb: Called once per device; a non-zero return stops the walk (the rest
 *	of the dump is still read) and is returned.
 * @data: For @cb.
 *
 * Return: 0, @cb's error, or a negative errno value.
 */
int aifab_rdma_nl_devs(struct aifab_rdma_nl *nl, aifab_rdma_dev_cb_t cb,
		       void *data)
{
	struct nlmsghdr *nlh = rnl_req(nl, RDMA_NLDEV_CMD_GET, NLM_F_DUMP);
	struct rnl_devs d = { cb, data };

	return rnl_exec(nl, nlh, rnl_dev_reply, &d);
}

/**
 * aifab_rdma_nl_set_netns() - Move an RDMA device to a network namespace.
 * @nl: Client, created in the namespace the device is in now.
 * @index: The device's index.
 * @nsfd: An open file of the namespace it goes to.
 *
 * The kernel does it only in exclusive mode (-EOPNOTSUPP otherwise), with
 * CAP_NET_ADMIN over the target namespace, and cuts off every process that
 * has the device open.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_rdma_nl_set_netns(struct aifab_rdma_nl *nl, uint32_t index,
			    int nsfd)
{
	struct nlmsghdr *nlh = rnl_req(nl, RDMA_NLDEV_CMD_SET, NLM_F_ACK);

	mnl_attr_put_u32(nlh, RDMA_NLDEV_ATTR_DEV_INDEX, index);
	mnl_attr_put_u32(nlh, RDMA_NLDEV_NET_NS_FD, (uint32_t)nsfd);
	return rnl_exec(nl, nlh, NULL, NULL);
}
