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

#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <linux/aifab.h>

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
 * struct aifab_device - an accelerator or RDMA device on a node
 * @obj: id and name
 * @type: accelerator or EFA
 * @node_id: id of the owning node; the node outlives its devices
 * @mem_bytes: memory capacity ("HBM") of an accelerator, 0 for EFA
 */
struct aifab_device {
	struct aifab_object obj;
	enum aifab_dev_type type;
	u32 node_id;
	u64 mem_bytes;
};

/**
 * struct aifab_link - a bidirectional connection between two devices
 * @obj: id and name
 * @kind: interconnect, NIC affinity or network
 * @a_id: id of one end; both ends outlive the link
 * @b_id: id of the other end
 * @state: operational state; written under the fabric mutex, read with
 *	READ_ONCE() under RCU
 * @speed_mbps: nominal bandwidth in Mbit/s
 */
struct aifab_link {
	struct aifab_object obj;
	enum aifab_link_kind kind;
	u32 a_id;
	u32 b_id;
	enum aifab_link_state state;
	u32 speed_mbps;
};

/**
 * struct aifab_fabric - the tables of the fabric model
 * @lock: serialises all writers, see the comment at the top of this file
 * @generation: bumped under @lock on every change, so that readers can tell
 *	a snapshot went stale
 * @nodes: id -> &struct aifab_node.obj; RCU lookups
 * @devices: id -> &struct aifab_device.obj; RCU lookups
 * @links: id -> &struct aifab_link.obj; RCU lookups
 */
struct aifab_fabric {
	/* serialises all writers; see the top of this file */
	struct mutex lock;
	u64 generation;
	struct xarray nodes;
	struct xarray devices;
	struct xarray links;
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

struct aifab_node *aifab_node_lookup(struct aifab_fabric *fab, u32 id);
struct aifab_device *aifab_device_lookup(struct aifab_fabric *fab, u32 id);
struct aifab_link *aifab_link_lookup(struct aifab_fabric *fab, u32 id);

const char *aifab_dev_type_name(enum aifab_dev_type type);
const char *aifab_link_kind_name(enum aifab_link_kind kind);
const char *aifab_link_state_name(enum aifab_link_state state);

#endif /* _AIFAB_FABRIC_H */
