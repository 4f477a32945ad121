/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's state as the planner (plan.h) and health (health.h) need
 * it, read through the netlink dumps of partitions, fences and links, and
 * of the topology when the configuration has one.
 *
 * Each dump is consistent on its own (nl.c retries one the kernel marks
 * interrupted), but nothing holds the fabric still between dumps: a change
 * made meanwhile by someone else shows as a partial snapshot, which the
 * apply that follows may then see refused. Running again converges.
 */
#ifndef AIFABD_SNAPSHOT_H
#define AIFABD_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "nl.h"
#include "plan.h"

/* The netns name of a partition bound where /run/netns has no name. */
#define AIFABD_NETNS_UNKNOWN	"?"

/* Where network namespaces are named, as ip-netns(8) makes them. */
#define AIFABD_NETNS_DIR	"/run/netns"

int aifabd_snapshot(struct aifab_nl *nl, bool want_topo,
		    struct aifabd_actual *act);
int aifabd_netns_cookie(int nsfd, uint64_t *cookie);

#endif /* AIFABD_SNAPSHOT_H */
