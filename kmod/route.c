// SPDX-License-Identifier: GPL-2.0
/*
 * The routing function: partition and fence rules first, then a
 * breadth-first search over the links that are not down. Lock-free: it
 * reads the fabric under RCU and may run in any context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/minmax.h>
#include <linux/slab.h>

#include "events.h"
#include "fabric.h"
#include "partition.h"
#include "route.h"

/* Marks the source in the search: no link has this id. */
#define AIFAB_ROUTE_SOURCE	U32_MAX

/* Under RCU: a partition id read a moment ago may name a deleted one. */
static bool aifab_route_partition_down(struct aifab_fabric *fab, u32 id)
{
	struct aifab_partition *part;

	if (!id)
		return false;
	part = aifab_partition_lookup(fab, id);
	return part && READ_ONCE(part->admin_state) == AIFAB_ADMIN_STATE_DOWN;
}

static enum aifab_route_reason aifab_route_check_partitions(struct aifab_fabric *fab,
							    struct aifab_route *rt)
{
	u32 sp = rt->src_partition, dp = rt->dst_partition;

	/* First: a down partition carries nothing, not even to itself. */
	if (aifab_route_partition_down(fab, sp) ||
	    aifab_route_partition_down(fab, dp))
		return AIFAB_ROUTE_REASON_PARTITION_DOWN;
	if (sp == dp)
		return 0;
	if (!sp || !dp)
		return AIFAB_ROUTE_REASON_UNPARTITIONED;
	return aifab_fence_allows(fab, sp, dp) ? 0 : AIFAB_ROUTE_REASON_FENCE;
}

/* Visit the usable neighbours of @dev_id; returns the new queue tail. */
static unsigned int aifab_route_expand(struct aifab_fabric *fab, u32 dev_id,
				       u32 *via, u32 *queue, unsigned int tail,
				       u32 nslots)
{
	struct aifab_adjacency *adj;
	struct aifab_device *dev;
	struct aifab_link *link;
	unsigned int i, n;
	u32 peer;

	dev = aifab_device_lookup(fab, dev_id);
	adj = dev ? rcu_dereference(dev->adj) : NULL;
	n = adj ? adj->n : 0;
	for (i = 0; i < n; i++) {
		link = aifab_link_lookup(fab, adj->link_ids[i]);
		if (!link || READ_ONCE(link->state) == AIFAB_LINK_STATE_DOWN)
			continue;
		peer = link->a_id == dev_id ? link->b_id : link->a_id;
		if (peer >= nslots || via[peer])
			continue;
		via[peer] = link->obj.id;
		queue[tail++] = peer;
	}
	return tail;
}

/* Walk back from @dst along @via, writing the hops in path order. */
static int aifab_route_trace(struct aifab_fabric *fab, const u32 *via,
			     u32 dst_id, struct aifab_route *rt)
{
	struct aifab_link *link;
	unsigned int n = 0, i;
	u32 at = dst_id;

	while (via[at] != AIFAB_ROUTE_SOURCE) {
		if (n == AIFAB_ROUTE_MAX_HOPS)
			return -EHOSTUNREACH;
		link = aifab_link_lookup(fab, via[at]);
		if (!link)
			return -EHOSTUNREACH;
		rt->hop_link[n] = via[at];
		rt->hop_to[n] = at;
		if (READ_ONCE(link->state) == AIFAB_LINK_STATE_DEGRADED)
			rt->degraded = true;
		at = link->a_id == at ? link->b_id : link->a_id;
		n++;
	}
	for (i = 0; i < n / 2; i++) {
		swap(rt->hop_link[i], rt->hop_link[n - 1 - i]);
		swap(rt->hop_to[i], rt->hop_to[n - 1 - i]);
	}
	rt->nhops = n;
	return 0;
}

static int aifab_route_search(struct aifab_fabric *fab, u32 src_id,
			      u32 dst_id, struct aifab_route *rt)
{
	/* A device published a moment ago may be above max_dev_id still. */
	u32 nslots = max3(READ_ONCE(fab->max_dev_id), src_id, dst_id) + 1;
	unsigned int head = 0, tail = 0;
	u32 *via, *queue;
	int ret;

	/* Atomic: the data path may route from softirq or under spinlocks. */
	via = kcalloc(2 * nslots, sizeof(u32), GFP_ATOMIC);
	if (!via)
		return -ENOMEM;
	queue = via + nslots;
	via[src_id] = AIFAB_ROUTE_SOURCE;
	queue[tail++] = src_id;
	while (head < tail && !via[dst_id])
		tail = aifab_route_expand(fab, queue[head++], via, queue, tail,
					  nslots);
	ret = via[dst_id] ? aifab_route_trace(fab, via, dst_id, rt) : -EHOSTUNREACH;
	kfree(via);
	return ret;
}

static int aifab_route_find(struct aifab_fabric *fab, u32 src_id, u32 dst_id,
			    struct aifab_route *rt)
{
	struct aifab_device *src, *dst;
	int ret;

	memset(rt, 0, sizeof(*rt));
	src = aifab_device_lookup(fab, src_id);
	dst = aifab_device_lookup(fab, dst_id);
	if (!src || !dst)
		return -ENOENT;
	rt->src_partition = READ_ONCE(src->partition_id);
	rt->dst_partition = READ_ONCE(dst->partition_id);
	rt->reason = aifab_route_check_partitions(fab, rt);
	if (rt->reason)
		return -EACCES;
	if (src_id == dst_id)
		return 0;
	ret = aifab_route_search(fab, src_id, dst_id, rt);
	if (ret == -EHOSTUNREACH)
		rt->reason = AIFAB_ROUTE_REASON_NO_PATH;
	return ret;
}

/**
 * aifab_route_query() - answer "may bytes go from @src_id to @dst_id?"
 * @fab: the fabric
 * @src_id: the source device
 * @dst_id: the destination device
 * @rt: the answer: the path, or why there is none
 *
 * A question, not traffic: nothing is counted and no event is sent.
 *
 * Return: 0 when allowed; -EACCES when a partition rule refuses it (a
 * fence, an unpartitioned end, a partition that is down);
 * -EHOSTUNREACH when no path is up; -ENOENT for an unknown device;
 * -ENOMEM.
 */
int aifab_route_query(struct aifab_fabric *fab, u32 src_id, u32 dst_id,
		      struct aifab_route *rt)
{
	int ret;

	rcu_read_lock();
	ret = aifab_route_find(fab, src_id, dst_id, rt);
	rcu_read_unlock();
	return ret;
}

static void aifab_route_refused(struct aifab_fabric *fab, u32 src_id,
				u32 dst_id, enum aifab_route_reason reason)
{
	struct aifab_device *src = aifab_device_lookup(fab, src_id);
	struct aifab_device *dst = aifab_device_lookup(fab, dst_id);

	atomic64_inc(&fab->refused[reason]);
	atomic64_inc(&src->cnt[AIFAB_DEV_CNT_REFUSED]);
	if (reason == AIFAB_ROUTE_REASON_NO_PATH)
		return;
	if (__ratelimit(&fab->violation_rs))
		aifab_event_violation(fab, src, dst, reason,
				      atomic_xchg(&fab->violations_suppressed, 0));
	else
		atomic_inc(&fab->violations_suppressed);
}

/**
 * aifab_fabric_route() - the one gate every transfer between devices asks
 * @fab: the fabric
 * @src_id: the source device
 * @dst_id: the destination device
 * @rt: the path, or why there is none
 *
 * Like aifab_route_query(), and a refusal is also counted, and, when a
 * partition rule refused it (a fence, an unpartitioned end or a partition
 * that is down), announced as a rate-limited fence-violation event. Any
 * context.
 *
 * Return: as aifab_route_query().
 */
int aifab_fabric_route(struct aifab_fabric *fab, u32 src_id, u32 dst_id,
		       struct aifab_route *rt)
{
	int ret;

	rcu_read_lock();
	ret = aifab_route_find(fab, src_id, dst_id, rt);
	if (ret == -EACCES || ret == -EHOSTUNREACH)
		aifab_route_refused(fab, src_id, dst_id, rt->reason);
	rcu_read_unlock();
	return ret;
}

const char *aifab_route_reason_name(enum aifab_route_reason reason)
{
	switch (reason) {
	case AIFAB_ROUTE_REASON_FENCE:
		return "fence";
	case AIFAB_ROUTE_REASON_UNPARTITIONED:
		return "unpartitioned";
	case AIFAB_ROUTE_REASON_NO_PATH:
		return "no-path";
	case AIFAB_ROUTE_REASON_PARTITION_DOWN:
		return "partition-down";
	}
	return NULL;
}
