/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fabric model: nodes, devices and the links between them.
 *
 * Every object has a stable id (allocated from 1, never reused while the
 * object lives) and a unique name within its type.
 *
 * Locking:
 * - aifab_fabric.lock (a mutex) serialises every writer of the tables and
 *   of the objects in them, and bumps aifab_fabric.generation on each change.
 * - Readers on hot paths look objects up under rcu_read_lock() only; objects
 *   are freed through call_rcu(), so a pointer found under RCU stays valid
 *   until rcu_read_unlock(). Fields that change after publication are read
 *   with READ_ONCE() and written with WRITE_ONCE() under the mutex.
 * - Slow readers (debugfs) take the mutex to get a consistent snapshot.
 */
#ifndef _AIFAB_FABRIC_H
#define _AIFAB_FABRIC_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <linux/aifab.h>

#include "compat.h"
#include "objcount.h"

struct netlink_ext_ack;

/**
 * struct aifab_object - what every fabric object has; the tables hold these
 * @id: stable id, unique within the object's table
 * @name: unique name within the object's table
 * @rcu: deferred free
 */
struct aifab_object {
	u32 id;
	char name[AIFAB_NAME_MAX];
	struct rcu_head rcu;
};

/**
 * struct aifab_node - a host in the fabric
 * @obj: id and name
 * @local: true for the host this module runs on
 */
struct aifab_node {
	struct aifab_object obj;
	bool local;
};

/**
 * struct aifab_adjacency - the links that touch one device, for routing
 * @rcu: deferred free
 * @n: number of entries in @link_ids
 * @link_ids: ids of the links with the device at one end
 *
 * Replaced whole (copy, publish, free after a grace period) whenever a
 * link is added or removed, so routing reads it under RCU without locks.
 */
struct aifab_adjacency {
	struct rcu_head rcu;
	unsigned int n;
	u32 link_ids[];
};

/**
 * struct aifab_device - an accelerator or RDMA device on a node
 * @obj: id and name
 * @type: accelerator or EFA
 * @node_id: id of the owning node; the node outlives its devices
 * @mem_bytes: memory capacity ("HBM") of an accelerator, 0 for EFA
 * @partition_id: the partition the device is in, 0 for none; written under
 *	the fabric mutex with WRITE_ONCE(), read with READ_ONCE()
 * @adj: the links at this device; RCU-published, replaced under the mutex
 * @refused: routes from this device that the fabric refused
 */
struct aifab_device {
	struct aifab_object obj;
	enum aifab_dev_type type;
	u32 node_id;
	u64 mem_bytes;
	u32 partition_id;
	struct aifab_adjacency __rcu *adj;
	atomic64_t refused;
};

/**
 * struct aifab_link - a bidirectional connection between two devices
 * @obj: id and name
 * @kind: interconnect, NIC affinity or network
 * @a_id: id of one end; both ends outlive the link
 * @b_id: id of the other end
 * @state: operational state; written under the fabric mutex with
 *	WRITE_ONCE(), read with READ_ONCE() under RCU
 * @admin_state: what the operator asked for; under the fabric mutex
 * @speed_mbps: nominal bandwidth in Mbit/s
 */
struct aifab_link {
	struct aifab_object obj;
	enum aifab_link_kind kind;
	u32 a_id;
	u32 b_id;
	enum aifab_link_state state;
	enum aifab_admin_state admin_state;
	u32 speed_mbps;
};

/**
 * struct aifab_partition - a set of devices owned by one tenant
 * @obj: id and name
 * @tenant: the owner's name
 * @ndevs: number of member devices; under the fabric mutex
 *
 * Membership lives in &struct aifab_device.partition_id, so a device is
 * in at most one partition by construction.
 */
struct aifab_partition {
	struct aifab_object obj;
	char tenant[AIFAB_NAME_MAX];
	unsigned int ndevs;
};

/**
 * struct aifab_fence - permission for traffic between two partitions
 * @rcu: deferred free
 * @a_id: the partition with the lower id
 * @b_id: the partition with the higher id
 */
struct aifab_fence {
	struct rcu_head rcu;
	u32 a_id;
	u32 b_id;
};

/* Partition ids fit in 16 bits, so that a pair of them keys the fences. */
#define AIFAB_PARTITION_ID_MAX	0xffff

static inline unsigned long aifab_fence_key(u32 p, u32 q)
{
	return p < q ? (unsigned long)p << 16 | q : (unsigned long)q << 16 | p;
}

/**
 * struct aifab_fabric - the tables of the fabric model
 * @lock: serialises all writers, see the comment at the top of this file
 * @generation: bumped under @lock on every change, so that readers can tell
 *	a snapshot went stale
 * @nodes: id -> &struct aifab_node.obj; RCU lookups
 * @devices: id -> &struct aifab_device.obj; RCU lookups
 * @links: id -> &struct aifab_link.obj; RCU lookups
 * @partitions: id -> &struct aifab_partition.obj; RCU lookups
 * @fences: aifab_fence_key() -> &struct aifab_fence; RCU lookups
 * @max_dev_id: highest device id ever allocated, sizes routing scratch
 *	space; written under @lock, read with READ_ONCE()
 * @refused: refused routes by &enum aifab_route_reason; atomics
 * @violation_rs: rate limit of fence-violation events
 * @violations_suppressed: events the rate limit dropped since the last
 *	one sent
 */
struct aifab_fabric {
	/* serialises all writers; see the top of this file */
	struct mutex lock;
	u64 generation;
	struct xarray nodes;
	struct xarray devices;
	struct xarray links;
	struct xarray partitions;
	struct xarray fences;
	u32 max_dev_id;
	atomic64_t refused[AIFAB_ROUTE_REASON_NO_PATH + 1];
	struct ratelimit_state violation_rs;
	atomic_t violations_suppressed;
};

bool aifab_name_valid(const char *name);

struct aifab_fabric *aifab_fabric_create(void);
void aifab_fabric_destroy(struct aifab_fabric *fab);

int aifab_fabric_add_node(struct aifab_fabric *fab, const char *name,
			  bool local, u32 *id);
int aifab_fabric_add_device(struct aifab_fabric *fab, const char *name,
			    enum aifab_dev_type type, u32 node_id,
			    u64 mem_bytes, u32 *id);
int aifab_fabric_add_link(struct aifab_fabric *fab, const char *name,
			  enum aifab_link_kind kind, u32 a_id, u32 b_id,
			  u32 speed_mbps, u32 *id);
void aifab_fabric_clear(struct aifab_fabric *fab);
int aifab_fabric_publish(struct aifab_fabric *fab, struct xarray *xa,
			 struct aifab_object *obj, enum aifab_obj_type type);
void aifab_partition_free_rcu(struct rcu_head *head);
void aifab_fence_free_rcu(struct rcu_head *head);

struct aifab_object *aifab_table_find(struct xarray *xa, const char *name);
struct aifab_device *aifab_device_find(struct aifab_fabric *fab,
				       const char *name);
struct aifab_link *aifab_link_find(struct aifab_fabric *fab, const char *name);
struct aifab_partition *aifab_partition_find(struct aifab_fabric *fab,
					     const char *name);
int aifab_link_set_admin_state(struct aifab_fabric *fab, const char *name,
			       enum aifab_admin_state admin,
			       struct netlink_ext_ack *extack);

struct aifab_node *aifab_node_lookup(struct aifab_fabric *fab, u32 id);
struct aifab_device *aifab_device_lookup(struct aifab_fabric *fab, u32 id);
struct aifab_link *aifab_link_lookup(struct aifab_fabric *fab, u32 id);
struct aifab_partition *aifab_partition_lookup(struct aifab_fabric *fab,
					       u32 id);

const char *aifab_dev_type_name(enum aifab_dev_type type);
const char *aifab_link_kind_name(enum aifab_link_kind kind);
const char *aifab_link_state_name(enum aifab_link_state state);
const char *aifab_admin_state_name(enum aifab_admin_state state);

#endif /* _AIFAB_FABRIC_H */
