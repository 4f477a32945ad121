/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small client of the kernel's RDMA netlink (NETLINK_RDMA, the NLDEV
 * client that iproute2's rdma(8) speaks), on libmnl: the RDMA subsystem's
 * network namespace mode, the RDMA devices, and moving one of them to
 * another network namespace.
 *
 * A socket sees the RDMA devices of the network namespace it was created
 * in when the mode is exclusive, and a device moves only when asked from
 * the namespace it is in: a caller that needs another namespace creates
 * the client in a process that has entered it (setns()).
 *
 * Every function returns 0 or a negative errno value; after a refusal,
 * aifab_rdma_nl_errmsg() has the kernel's extack message, if it sent one.
 */
#ifndef AIFAB_USERSPACE_RDMA_NL_H
#define AIFAB_USERSPACE_RDMA_NL_H

#include <stdbool.h>
#include <stdint.h>

/* IB_DEVICE_NAME_MAX of the kernel. */
#define AIFAB_RDMA_NAME_MAX	64

struct aifab_rdma_dev {
	uint32_t index;			/* RDMA_NLDEV_ATTR_DEV_INDEX */
	uint64_t node_guid;		/* in host order */
	char name[AIFAB_RDMA_NAME_MAX];
};

typedef int (*aifab_rdma_dev_cb_t)(const struct aifab_rdma_dev *dev,
				   void *data);

struct aifab_rdma_nl;

int aifab_rdma_nl_open(struct aifab_rdma_nl **nlp);
void aifab_rdma_nl_close(struct aifab_rdma_nl *nl);
int aifab_rdma_nl_netns_exclusive(struct aifab_rdma_nl *nl, bool *exclusive);
int aifab_rdma_nl_devs(struct aifab_rdma_nl *nl, aifab_rdma_dev_cb_t cb,
		       void *data);
int aifab_rdma_nl_set_netns(struct aifab_rdma_nl *nl, uint32_t index,
			    int nsfd);
const char *aifab_rdma_nl_errmsg(const struct aifab_rdma_nl *nl);

#endif /* AIFAB_USERSPACE_RDMA_NL_H */
