/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Partitions (a tenant's set of devices) and fences (permission for traffic
 * between two partitions). All of these take the fabric mutex.
 */
#ifndef _AIFAB_PARTITION_H
#define _AIFAB_PARTITION_H

#include <linux/types.h>

#include <linux/aifab.h>

struct aifab_fabric;
struct netlink_ext_ack;

/* Bounds the device lists of one request. */
#define AIFAB_PARTITION_REQ_DEVS	256
/*
 * Bounds a partition, so that one netlink message (under 32 KiB, what a
 * reader is sure to receive whole) lists all its devices.
 */
#define AIFAB_PARTITION_MAX_DEVS	512

int aifab_partition_new(struct aifab_fabric *fab, const char *name,
			const char *tenant, const char * const *devs,
			unsigned int ndevs, u64 netns_cookie,
			enum aifab_admin_state admin_state,
			struct netlink_ext_ack *extack);
int aifab_partition_del(struct aifab_fabric *fab, const char *name,
			struct netlink_ext_ack *extack);
int aifab_partition_set(struct aifab_fabric *fab, const char *name,
			const char * const *add, unsigned int nadd,
			const char * const *del, unsigned int ndel,
			const u64 *netns_cookie,
			const enum aifab_admin_state *admin_state,
			struct netlink_ext_ack *extack);
int aifab_fence_new(struct aifab_fabric *fab, const char *a, const char *b,
		    struct netlink_ext_ack *extack);
int aifab_fence_del(struct aifab_fabric *fab, const char *a, const char *b,
		    struct netlink_ext_ack *extack);
bool aifab_fence_allows(struct aifab_fabric *fab, u32 p, u32 q);

#endif /* _AIFAB_PARTITION_H */
