/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fabric events, sent to the "monitor" multicast group of the netlink
 * family. The fabric calls these; netlink.c implements them.
 */
#ifndef _AIFAB_EVENTS_H
#define _AIFAB_EVENTS_H

#include <linux/aifab.h>

struct aifab_device;
struct aifab_fabric;
struct aifab_link;
struct aifab_partition;

/* Under the fabric mutex. */
void aifab_event_link_state(struct aifab_fabric *fab,
			    const struct aifab_link *link);
void aifab_event_partition(struct aifab_fabric *fab,
			   const struct aifab_partition *part,
			   enum aifab_partition_event event,
			   const u64 *scrub_bytes);
void aifab_event_dev(struct aifab_fabric *fab, const struct aifab_device *dev,
		     enum aifab_dev_event event);

/* Under rcu_read_lock(), in any context. */
void aifab_event_violation(struct aifab_fabric *fab,
			   const struct aifab_device *src,
			   const struct aifab_device *dst,
			   enum aifab_route_reason reason, u32 suppressed);

#endif /* _AIFAB_EVENTS_H */
