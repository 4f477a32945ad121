/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aifab's RDMA devices among network namespaces: the RDMA half of aifabd's
 * snapshot (snapshot.h) and of its apply (apply.h), for the "rdma dev set
 * netns" operations of the planner (plan.h).
 *
 * Which RDMA device is efaN. ib_core names them aifab_efaN in
 * registration order, which need not follow the fabric's names after a
 * topology load. The module makes a device's node GUID from its node and
 * device ids (node << 32 | device), so efaN's RDMA device is the aifab_ one
 * whose GUID's low half is efaN's id, as rdma_allreduce matches them.
 *
 * Where a device is. RDMA netlink reports no namespace for a device, but
 * in exclusive mode a socket sees only the devices of the namespace it was
 * created in. So a child process enters each candidate namespace, the
 * initial one first and then every /run/netns/NAME, as the snapshot's
 * cookie reader does, and lists the devices there. A device seen in none
 * is in a namespace with no name ("?"), which the planner leaves alone;
 * one namespace under two names counts as the first.
 *
 * Home is the initial namespace, opened as /proc/1/ns/net, not aifabd's
 * own: ib_core registers aifab's devices there and moves a device back
 * there when its namespace is deleted, so a home of aifabd's choosing would
 * have the planner fight the kernel. The two are the same when aifabd runs
 * as its systemd unit does; /proc/1 names the initial namespace as long as
 * aifabd shares the initial PID namespace.
 *
 * Moving. The kernel moves a device only when asked from the namespace the
 * device is in, over a socket that sees it; so a child enters the source
 * namespace, finds the device there by its GUID, and asks. Its errno and
 * the kernel's extack message come back to aifabd, which never leaves its
 * own namespace. Needs CAP_SYS_ADMIN (setns) and CAP_NET_ADMIN.
 */
#ifndef AIFABD_RDMA_NETNS_H
#define AIFABD_RDMA_NETNS_H

#include <stddef.h>

#include "nl.h"
#include "plan.h"

int aifabd_rdma_snapshot(struct aifab_nl *nl, struct aifabd_actual *act,
			 char **errmsg);
int aifabd_rdma_move(struct aifab_nl *nl, const struct aifabd_op *op,
		     char *msg, size_t msglen);

#endif /* AIFABD_RDMA_NETNS_H */
