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
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <linux/aifab.h>

#include "compat.h"
#include "objcount.h"

struct device;
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
 * Built whole before it is published and never changed after, so routing
 * reads it under RCU without locks; it goes with its device.
 */
struct aifab_adjacency {
	struct rcu_head rcu;
	unsigned int n;
	u32 link_ids[];
};

/* Per-device counters; names in aifab_dev_counter_names[]. */
enum aifab_dev_counter {
	AIFAB_DEV_CNT_TX_PACKETS,
	AIFAB_DEV_CNT_TX_BYTES,
	AIFAB_DEV_CNT_RX_PACKETS,
	AIFAB_DEV_CNT_RX_BYTES,
	AIFAB_DEV_CNT_REFUSED,
	AIFAB_DEV_CNT_FAILED,
	AIFAB_DEV_CNT_OPEN_REFUSED,
	AIFAB_DEV_CNT_NR
};

/* Per-link counters; names in aifab_link_counter_names[]. */
enum aifab_link_counter {
	AIFAB_LINK_CNT_TX_PACKETS,
	AIFAB_LINK_CNT_TX_BYTES,
	AIFAB_LINK_CNT_DROPS,
	AIFAB_LINK_CNT_CORRUPTS,
	AIFAB_LINK_CNT_RETRANSMITS,
	AIFAB_LINK_CNT_FAILED,
	AIFAB_LINK_CNT_FLAPS,
	AIFAB_LINK_CNT_STATE_CHANGES,
	AIFAB_LINK_CNT_NR
};

extern const char * const aifab_dev_counter_names[AIFAB_DEV_CNT_NR];
extern const char * const aifab_link_counter_names[AIFAB_LINK_CNT_NR];

/**
 * struct aifab_device - an accelerator or RDMA device on a node
 * @obj: id and name
 * @type: accelerator or EFA
 * @node_id: id of the owning node; the node outlives its devices
 * @mem_bytes: memory capacity ("HBM") of an accelerator, 0 for EFA
 * @partition_id: the partition the device is in, 0 for none; written under
 *	the fabric mutex with WRITE_ONCE(), read with READ_ONCE()
 * @adj: the links at this device; RCU-published, replaced under the mutex
 * @cnt: counters, &enum aifab_dev_counter; atomics
 * @sysfs: its class device, NULL if it could not be made; under the mutex
 * @open_count: files open on its local DRM or RDMA device; under the mutex
 */
struct aifab_device {
	struct aifab_object obj;
	enum aifab_dev_type type;
	u32 node_id;
	u64 mem_bytes;
	u32 partition_id;
	struct aifab_adjacency __rcu *adj;
	atomic64_t cnt[AIFAB_DEV_CNT_NR];
	struct device *sysfs;
	unsigned int open_count;
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
 * @drop_pct: fault injection: share of packets lost; written under the
 *	mutex with WRITE_ONCE(), read by the data path with READ_ONCE()
 * @corrupt_pct: fault injection: share of packets corrupted; as @drop_pct
 * @flap_ms: fault injection: flap period, 0 for none; under the mutex
 * @flap_down: the flap holds the link down now; under the mutex
 * @flap_next: when the flap next toggles, in jiffies; under the mutex
 * @degrade_ppm: error rate over which the link is degraded; under the mutex
 * @degraded: the last health check found the rate over @degrade_ppm;
 *	under the mutex
 * @error_rate_ppm: the error rate of the last health interval; under the
 *	mutex
 * @health_packets: packets sent when the last health check ran; health
 *	work only
 * @health_errors: errors counted when the last health check ran; health
 *	work only
 * @cnt: counters, &enum aifab_link_counter; atomics
 * @sysfs: its class device, NULL if it could not be made; under the mutex
 */
struct aifab_link {
	struct aifab_object obj;
	enum aifab_link_kind kind;
	u32 a_id;
	u32 b_id;
	enum aifab_link_state state;
	enum aifab_admin_state admin_state;
	u32 speed_mbps;
	u32 drop_pct;
	u32 corrupt_pct;
	u32 flap_ms;
	bool flap_down;
	unsigned long flap_next;
	u32 degrade_ppm;
	bool degraded;
	u32 error_rate_ppm;
	u64 health_packets;
	u64 health_errors;
	atomic64_t cnt[AIFAB_LINK_CNT_NR];
	struct device *sysfs;
};

/**
 * struct aifab_partition - a set of devices owned by one tenant
 * @obj: id and name
 * @tenant: the owner's name
 * @ndevs: number of member devices; under the fabric mutex
 * @netns_cookie: cookie of the network namespace its devices open from,
 *	0 when not bound; under the fabric mutex
 * @admin_state: %AIFAB_ADMIN_STATE_DOWN refuses every route to or from a
 *	member; written under the fabric mutex with WRITE_ONCE(), read by
 *	routing under RCU with READ_ONCE()
 *
 * Membership lives in &struct aifab_device.partition_id, so a device is
 * in at most one partition by construction.
 */
struct aifab_partition {
	struct aifab_object obj;
	char tenant[AIFAB_NAME_MAX];
	unsigned int ndevs;
	u64 netns_cookie;
	enum aifab_admin_state admin_state;
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

/* The highest &enum aifab_route_reason: sizes the refused counters. */
#define AIFAB_ROUTE_REASON_LAST	AIFAB_ROUTE_REASON_PARTITION_DOWN

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
 * @health_work: flaps links and checks their error rates, see health.c
 * @health_next: when the next error-rate check is due, in jiffies; health
 *	work only
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
	atomic64_t refused[AIFAB_ROUTE_REASON_LAST + 1];
	struct ratelimit_state violation_rs;
	atomic_t violations_suppressed;
	struct delayed_work health_work;
	unsigned long health_next;
};

/**
 * struct aifab_local_dev - a local device, as a driver needs it to make
 *	the device's node
 * @id: the fabric device id
 * @node_id: the local node's id
 * @name: the device's name
 * @mem_bytes: an accelerator's memory capacity
 */
struct aifab_local_dev {
	u32 id;
	u32 node_id;
	char name[AIFAB_NAME_MAX];
	u64 mem_bytes;
};

int aifab_fabric_local_devices(struct aifab_fabric *fab,
			       enum aifab_dev_type type,
			       struct aifab_local_dev **devs, u32 *n);
bool aifab_local_dev_listed(const struct aifab_local_dev *devs, u32 n, u32 id);

bool aifab_name_valid(const char *name);

struct aifab_fabric *aifab_fabric_create(void);
void aifab_fabric_destroy(struct aifab_fabric *fab);

void aifab_fabric_clear(struct aifab_fabric *fab);
int aifab_fabric_publish(struct aifab_fabric *fab, struct xarray *xa,
			 struct aifab_object *obj, enum aifab_obj_type type);
void aifab_fabric_retire(struct xarray *links, struct xarray *devices,
			 struct xarray *nodes);
void aifab_fabric_unmirror(struct aifab_fabric *fab, struct xarray *links,
			   struct xarray *devices);
void aifab_partition_free_rcu(struct rcu_head *head);
void aifab_fence_free_rcu(struct rcu_head *head);

struct aifab_object *aifab_table_find(struct xarray *xa, const char *name);
struct aifab_device *aifab_device_find(struct aifab_fabric *fab,
				       const char *name);
struct aifab_link *aifab_link_find(struct aifab_fabric *fab, const char *name);
struct aifab_partition *aifab_partition_find(struct aifab_fabric *fab,
					     const char *name);

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
