/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Routing: may bytes go from one device to another, and over which links.
 * Every data path asks aifab_fabric_route(); there is no other way through.
 */
#ifndef _AIFAB_ROUTE_H
#define _AIFAB_ROUTE_H

#include <linux/types.h>

#include <linux/aifab.h>

struct aifab_fabric;

/* Longer paths than this are treated as no path at all. */
#define AIFAB_ROUTE_MAX_HOPS	32

/**
 * struct aifab_route - the answer of the routing function
 * @reason: why the route is refused, 0 when it is allowed
 * @degraded: the path crosses a degraded link
 * @src_partition: the source device's partition id, 0 for none
 * @dst_partition: the destination device's partition id, 0 for none
 * @nhops: number of links on the path; 0 from a device to itself
 * @hop_link: the links in path order
 * @hop_to: the device each hop arrives at
 * @retransmits: packets aifab_fabric_transfer() sent again on lossy links
 */
struct aifab_route {
	enum aifab_route_reason reason;
	bool degraded;
	u32 src_partition;
	u32 dst_partition;
	unsigned int nhops;
	u32 hop_link[AIFAB_ROUTE_MAX_HOPS];
	u32 hop_to[AIFAB_ROUTE_MAX_HOPS];
	u32 retransmits;
};

int aifab_route_query(struct aifab_fabric *fab, u32 src_id, u32 dst_id,
		      struct aifab_route *rt);
int aifab_fabric_route(struct aifab_fabric *fab, u32 src_id, u32 dst_id,
		       struct aifab_route *rt);
const char *aifab_route_reason_name(enum aifab_route_reason reason);

#endif /* _AIFAB_ROUTE_H */
