// SPDX-License-Identifier: GPL-2.0
/*
 * The fabric model's object tables. See fabric.h for the locking rules.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <net/netlink.h>

#include "events.h"
#include "fabric.h"
#include "health.h"
#include "objcount.h"
#include "sysfs.h"

struct aifab_fabric *aifab_fabric_create(void)
{
	struct aifab_fabric *fab;

	fab = kzalloc(sizeof(*fab), GFP_KERNEL);
	if (!fab)
		return NULL;
	mutex_init(&fab->lock);
	xa_init_flags(&fab->nodes, XA_FLAGS_ALLOC1);
	xa_init_flags(&fab->devices, XA_FLAGS_ALLOC1);
	xa_init_flags(&fab->links, XA_FLAGS_ALLOC1);
	xa_init_flags(&fab->partitions, XA_FLAGS_ALLOC1);
	xa_init(&fab->fences);
	/* At most 10 fence-violation events a second; the rest are counted. */
	ratelimit_state_init(&fab->violation_rs, HZ, 10);
	ratelimit_set_flags(&fab->violation_rs, RATELIMIT_MSG_ON_RELEASE);
	aifab_obj_get(AIFAB_OBJ_FABRIC);
	aifab_health_start(fab);
	return fab;
}

/**
 * aifab_fabric_destroy() - free a fabric and everything in it
 * @fab: the fabric; no reader may still hold a reference to it
 *
 * Waits for the RCU callbacks that free its objects, so the live-object
 * counters are exact when this returns.
 */
void aifab_fabric_destroy(struct aifab_fabric *fab)
{
	aifab_health_stop(fab);
	aifab_fabric_clear(fab);
	xa_destroy(&fab->fences);
	xa_destroy(&fab->partitions);
	xa_destroy(&fab->links);
	xa_destroy(&fab->devices);
	xa_destroy(&fab->nodes);
	mutex_destroy(&fab->lock);
	kfree(fab);
	aifab_obj_put(AIFAB_OBJ_FABRIC);
	rcu_barrier();
}

bool aifab_name_valid(const char *name)
{
	size_t len = strnlen(name, AIFAB_NAME_MAX);
	size_t i;

	if (len == 0 || len == AIFAB_NAME_MAX)
		return false;
	/* Not isalnum(): the kernel's ctype counts Latin-1 letters too. */
	for (i = 0; i < len; i++)
		if (!isascii(name[i]) ||
		    (!isalnum(name[i]) && !strchr("_.-", name[i])))
			return false;
	return true;
}

/**
 * aifab_table_find() - look an object up by name
 * @xa: the table
 * @name: the name
 *
 * A linear scan: only control-plane requests look names up, and the data
 * path works with ids. Call under the fabric mutex or rcu_read_lock().
 *
 * Return: the object, or NULL.
 */
struct aifab_object *aifab_table_find(struct xarray *xa, const char *name)
{
	struct aifab_object *obj;
	unsigned long id;

	xa_for_each(xa, id, obj)
		if (!strcmp(obj->name, name))
			return obj;
	return NULL;
}

static bool aifab_table_has_name(struct xarray *xa, const char *name)
{
	return aifab_table_find(xa, name);
}

/**
 * aifab_fabric_publish() - give an object an id and make it visible
 * @fab: the fabric, whose mutex the caller holds
 * @xa: the object's table
 * @obj: the object, filled in but for its id
 * @type: its live-object counter
 *
 * Return: 0, -EEXIST when the name is taken, -ENOSPC when the table is
 * full, or -ENOMEM. On failure the caller still owns @obj.
 */
int aifab_fabric_publish(struct aifab_fabric *fab, struct xarray *xa,
			 struct aifab_object *obj, enum aifab_obj_type type)
{
	int ret;

	lockdep_assert_held(&fab->lock);
	if (aifab_table_has_name(xa, obj->name))
		return -EEXIST;
	ret = xa_alloc(xa, &obj->id, obj, type == AIFAB_OBJ_PARTITION ?
		       XA_LIMIT(1, AIFAB_PARTITION_ID_MAX) : xa_limit_31b,
		       GFP_KERNEL);
	if (ret)
		return ret == -EBUSY ? -ENOSPC : ret;
	aifab_obj_get(type);
	fab->generation++;
	return 0;
}

static void aifab_node_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct aifab_node, obj.rcu));
	aifab_obj_put(AIFAB_OBJ_NODE);
}

static void aifab_device_free_rcu(struct rcu_head *head)
{
	struct aifab_device *dev = container_of(head, struct aifab_device,
						obj.rcu);

	/* The grace period that freed the device covers its adjacency too. */
	if (rcu_access_pointer(dev->adj)) {
		kfree(rcu_access_pointer(dev->adj));
		aifab_obj_put(AIFAB_OBJ_ADJACENCY);
	}
	kfree(dev);
	aifab_obj_put(AIFAB_OBJ_DEVICE);
}

void aifab_partition_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct aifab_partition, obj.rcu));
	aifab_obj_put(AIFAB_OBJ_PARTITION);
}

void aifab_fence_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct aifab_fence, rcu));
	aifab_obj_put(AIFAB_OBJ_FENCE);
}

static void aifab_link_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct aifab_link, obj.rcu));
	aifab_obj_put(AIFAB_OBJ_LINK);
}

static void aifab_table_clear(struct xarray *xa, rcu_callback_t free_rcu)
{
	struct aifab_object *obj;
	unsigned long id;

	xa_for_each(xa, id, obj) {
		xa_erase(xa, id);
		call_rcu(&obj->rcu, free_rcu);
	}
}

static void aifab_table_retire(struct xarray *unpublished,
			       rcu_callback_t free_rcu)
{
	struct aifab_object *obj;
	unsigned long id;

	xa_for_each(unpublished, id, obj)
		call_rcu(&obj->rcu, free_rcu);
}

/**
 * aifab_fabric_retire() - free objects already removed from the fabric
 * @links: the links, by id
 * @devices: the devices, by id
 * @nodes: the nodes, by id
 *
 * Each is freed after an RCU grace period. The tables themselves stay
 * with the caller.
 */
void aifab_fabric_retire(struct xarray *links, struct xarray *devices,
			 struct xarray *nodes)
{
	aifab_table_retire(links, aifab_link_free_rcu);
	aifab_table_retire(devices, aifab_device_free_rcu);
	aifab_table_retire(nodes, aifab_node_free_rcu);
}

/**
 * aifab_fabric_unmirror() - remove the sysfs mirrors of devices and links
 * @fab: the fabric, whose mutex the caller holds
 * @links: the links to unmirror, by id
 * @devices: the devices to unmirror, by id
 *
 * Links first: their symlinks live in their devices' directories.
 */
void aifab_fabric_unmirror(struct aifab_fabric *fab, struct xarray *links,
			   struct xarray *devices)
{
	struct aifab_object *obj;
	unsigned long id;

	lockdep_assert_held(&fab->lock);
	xa_for_each(links, id, obj)
		aifab_sysfs_del_link(fab, container_of(obj, struct aifab_link, obj));
	xa_for_each(devices, id, obj)
		aifab_sysfs_del_device(container_of(obj, struct aifab_device, obj));
}

/**
 * aifab_fabric_clear() - remove every object from a fabric
 * @fab: the fabric
 *
 * Fences and partitions go first, then links, devices and nodes, so that
 * no published object ever names an id that is gone. Frees wait out an RCU
 * grace period for concurrent readers.
 */
void aifab_fabric_clear(struct aifab_fabric *fab)
{
	struct aifab_fence *fence;
	unsigned long key;

	mutex_lock(&fab->lock);
	aifab_fabric_unmirror(fab, &fab->links, &fab->devices);
	xa_for_each(&fab->fences, key, fence) {
		xa_erase(&fab->fences, key);
		call_rcu(&fence->rcu, aifab_fence_free_rcu);
	}
	aifab_table_clear(&fab->partitions, aifab_partition_free_rcu);
	aifab_table_clear(&fab->links, aifab_link_free_rcu);
	aifab_table_clear(&fab->devices, aifab_device_free_rcu);
	aifab_table_clear(&fab->nodes, aifab_node_free_rcu);
	fab->generation++;
	mutex_unlock(&fab->lock);
}

/*
 * Lookups by id. Call under rcu_read_lock() or the fabric mutex; the
 * result is valid until the matching unlock.
 */
struct aifab_node *aifab_node_lookup(struct aifab_fabric *fab, u32 id)
{
	struct aifab_object *obj = xa_load(&fab->nodes, id);

	return obj ? container_of(obj, struct aifab_node, obj) : NULL;
}

struct aifab_device *aifab_device_lookup(struct aifab_fabric *fab, u32 id)
{
	struct aifab_object *obj = xa_load(&fab->devices, id);

	return obj ? container_of(obj, struct aifab_device, obj) : NULL;
}

struct aifab_link *aifab_link_lookup(struct aifab_fabric *fab, u32 id)
{
	struct aifab_object *obj = xa_load(&fab->links, id);

	return obj ? container_of(obj, struct aifab_link, obj) : NULL;
}

struct aifab_partition *aifab_partition_lookup(struct aifab_fabric *fab,
					       u32 id)
{
	struct aifab_object *obj = xa_load(&fab->partitions, id);

	return obj ? container_of(obj, struct aifab_partition, obj) : NULL;
}

struct aifab_device *aifab_device_find(struct aifab_fabric *fab,
				       const char *name)
{
	struct aifab_object *obj = aifab_table_find(&fab->devices, name);

	return obj ? container_of(obj, struct aifab_device, obj) : NULL;
}

struct aifab_link *aifab_link_find(struct aifab_fabric *fab, const char *name)
{
	struct aifab_object *obj = aifab_table_find(&fab->links, name);

	return obj ? container_of(obj, struct aifab_link, obj) : NULL;
}

struct aifab_partition *aifab_partition_find(struct aifab_fabric *fab,
					     const char *name)
{
	struct aifab_object *obj = aifab_table_find(&fab->partitions, name);

	return obj ? container_of(obj, struct aifab_partition, obj) : NULL;
}

const char * const aifab_dev_counter_names[AIFAB_DEV_CNT_NR] = {
	[AIFAB_DEV_CNT_TX_PACKETS] = "tx_packets",
	[AIFAB_DEV_CNT_TX_BYTES] = "tx_bytes",
	[AIFAB_DEV_CNT_RX_PACKETS] = "rx_packets",
	[AIFAB_DEV_CNT_RX_BYTES] = "rx_bytes",
	[AIFAB_DEV_CNT_REFUSED] = "refused",
	[AIFAB_DEV_CNT_FAILED] = "failed",
	[AIFAB_DEV_CNT_OPEN_REFUSED] = "open_refused",
};

const char * const aifab_link_counter_names[AIFAB_LINK_CNT_NR] = {
	[AIFAB_LINK_CNT_TX_PACKETS] = "tx_packets",
	[AIFAB_LINK_CNT_TX_BYTES] = "tx_bytes",
	[AIFAB_LINK_CNT_DROPS] = "drops",
	[AIFAB_LINK_CNT_CORRUPTS] = "corrupts",
	[AIFAB_LINK_CNT_RETRANSMITS] = "retransmits",
	[AIFAB_LINK_CNT_FAILED] = "failed",
	[AIFAB_LINK_CNT_FLAPS] = "flaps",
	[AIFAB_LINK_CNT_STATE_CHANGES] = "state_changes",
};

const char *aifab_dev_type_name(enum aifab_dev_type type)
{
	switch (type) {
	case AIFAB_DEV_TYPE_ACCEL:
		return "accel";
	case AIFAB_DEV_TYPE_EFA:
		return "efa";
	}
	return NULL;
}

const char *aifab_link_kind_name(enum aifab_link_kind kind)
{
	switch (kind) {
	case AIFAB_LINK_KIND_ACCEL:
		return "accel";
	case AIFAB_LINK_KIND_AFFINITY:
		return "affinity";
	case AIFAB_LINK_KIND_NET:
		return "net";
	}
	return NULL;
}

const char *aifab_link_state_name(enum aifab_link_state state)
{
	switch (state) {
	case AIFAB_LINK_STATE_UP:
		return "up";
	case AIFAB_LINK_STATE_DOWN:
		return "down";
	case AIFAB_LINK_STATE_DEGRADED:
		return "degraded";
	}
	return NULL;
}

const char *aifab_admin_state_name(enum aifab_admin_state state)
{
	switch (state) {
	case AIFAB_ADMIN_STATE_UP:
		return "up";
	case AIFAB_ADMIN_STATE_DOWN:
		return "down";
	}
	return NULL;
}

/**
 * aifab_fabric_local_devices() - list the local devices of one type
 * @fab: the fabric
 * @type: accelerators or EFA devices
 * @devs: set to a kcalloc()ed array the caller frees
 * @n: set to the number of entries in @devs
 *
 * A snapshot taken under the fabric mutex, for the drivers that give each
 * local device its device node.
 *
 * Return: 0 or -ENOMEM.
 */
int aifab_fabric_local_devices(struct aifab_fabric *fab,
			       enum aifab_dev_type type,
			       struct aifab_local_dev **devs, u32 *n)
{
	struct aifab_device *dev;
	struct aifab_object *obj;
	struct aifab_node *node;
	unsigned long id;
	u32 max = 0;

	*n = 0;
	mutex_lock(&fab->lock);
	xa_for_each(&fab->devices, id, obj)
		max++;
	*devs = kcalloc(max ?: 1, sizeof(**devs), GFP_KERNEL);
	if (!*devs) {
		mutex_unlock(&fab->lock);
		return -ENOMEM;
	}
	xa_for_each(&fab->devices, id, obj) {
		dev = container_of(obj, struct aifab_device, obj);
		node = aifab_node_lookup(fab, dev->node_id);
		if (dev->type != type || !node || !node->local)
			continue;
		(*devs)[*n].id = obj->id;
		(*devs)[*n].node_id = dev->node_id;
		(*devs)[*n].mem_bytes = dev->mem_bytes;
		strscpy((*devs)[*n].name, obj->name, sizeof((*devs)[*n].name));
		(*n)++;
	}
	mutex_unlock(&fab->lock);
	return 0;
}

/**
 * aifab_local_dev_listed() - whether a list of local devices has one
 * @devs: the list, from aifab_fabric_local_devices()
 * @n: its length
 * @id: the fabric device id looked for
 *
 * Return: true if @id is in @devs.
 */
bool aifab_local_dev_listed(const struct aifab_local_dev *devs, u32 n, u32 id)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (devs[i].id == id)
			return true;
	return false;
}
