// SPDX-License-Identifier: GPL-2.0
/*
 * Partitions and fences. A request is checked whole before anything
 * changes, so a refused request leaves the fabric exactly as it was.
 *
 * Scrub: an accelerator that leaves a partition (the partition is deleted,
 * or PARTITION_SET removes it) has its live buffer objects zeroed first,
 * so that no byte of the tenant reaches the next one; see accel_bo.c. The
 * scrub runs under the fabric mutex, between the checks and the change:
 * - it is done before the request returns, and before the device can
 *   join another partition or be opened (both take the mutex), with no
 *   half-released state to get right in between;
 * - the mutex guards the control plane only: routing and the data paths
 *   (accelerator engines, EFA engine) read the fabric under RCU and never
 *   wait for it. While a scrub runs, other requests, opens and the health
 *   work wait; for as long as zeroing the objects still alive takes, at
 *   most the devices' memory;
 * - it sleeps (dma_resv locks, page allocation, cond_resched()), which
 *   the mutex allows; lock order: accel.h.
 * If a scrub fails (no memory to pin an object's pages), the request fails
 * and the partition stays as it was.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "accel.h"
#include "events.h"
#include "fabric.h"
#include "partition.h"
#include "uevent.h"

/* Membership cannot change under an open file; see access.c. */
#define AIFAB_DEV_OPEN_MSG "device is open by a process"

static bool aifab_names_repeat(const char * const *names, unsigned int n,
			       const char **dup)
{
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			if (!strcmp(names[i], names[j])) {
				*dup = names[i];
				return true;
			}
		}
	}
	return false;
}

/*
 * Resolve device names to devices that may join partition @joining (an id
 * not yet published is fine: nothing is in it yet).
 */
static int aifab_devs_resolve_free(struct aifab_fabric *fab,
				   const char * const *names, unsigned int n,
				   u32 joining, struct aifab_device **devs,
				   struct netlink_ext_ack *extack)
{
	unsigned int i;
	const char *dup;

	if (aifab_names_repeat(names, n, &dup)) {
		aifab_err_attr(extack, "device listed twice", dup);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		devs[i] = aifab_device_find(fab, names[i]);
		if (!devs[i]) {
			aifab_err_attr(extack, "no such device", names[i]);
			return -ENOENT;
		}
		if (devs[i]->partition_id == joining && joining) {
			aifab_err_attr(extack, "device already in this partition",
				       names[i]);
			return -EEXIST;
		}
		if (devs[i]->partition_id) {
			aifab_err_attr(extack, "device is in another partition",
				       names[i]);
			return -EBUSY;
		}
		if (devs[i]->open_count) {
			aifab_err_attr(extack, AIFAB_DEV_OPEN_MSG, names[i]);
			return -EBUSY;
		}
	}
	return 0;
}

static void aifab_devs_assign(struct aifab_device **devs, unsigned int n,
			      u32 partition_id)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		WRITE_ONCE(devs[i]->partition_id, partition_id);
}

static int aifab_partition_check_names(const char *name, const char *tenant,
				       struct netlink_ext_ack *extack)
{
	if (!aifab_name_valid(name)) {
		NL_SET_ERR_MSG(extack, "partition name must be 1-31 characters of [a-zA-Z0-9_.-]");
		return -EINVAL;
	}
	if (!aifab_name_valid(tenant)) {
		NL_SET_ERR_MSG(extack, "tenant name must be 1-31 characters of [a-zA-Z0-9_.-]");
		return -EINVAL;
	}
	return 0;
}

/**
 * aifab_partition_new() - create a partition, with its first devices
 * @fab: the fabric
 * @name: the partition's name, unique
 * @tenant: the owner
 * @devs: names of devices to put in it; none may be in a partition yet
 * @ndevs: how many, at most %AIFAB_PARTITION_REQ_DEVS
 * @netns_cookie: the network namespace its devices open from, 0 for any
 * @admin_state: whether it carries traffic, &enum aifab_admin_state
 * @extack: where to say what is wrong
 *
 * Return: 0 or a negative errno, with nothing changed.
 */
int aifab_partition_new(struct aifab_fabric *fab, const char *name,
			const char *tenant, const char * const *devs,
			unsigned int ndevs, u64 netns_cookie,
			enum aifab_admin_state admin_state,
			struct netlink_ext_ack *extack)
{
	struct aifab_device **members;
	struct aifab_partition *part;
	int ret;

	ret = aifab_partition_check_names(name, tenant, extack);
	if (ret)
		return ret;
	members = kcalloc(ndevs ?: 1, sizeof(*members), GFP_KERNEL);
	part = kzalloc(sizeof(*part), GFP_KERNEL);
	if (!members || !part) {
		ret = -ENOMEM;
		goto out_free;
	}
	strscpy(part->obj.name, name, sizeof(part->obj.name));
	strscpy(part->tenant, tenant, sizeof(part->tenant));
	part->ndevs = ndevs;
	part->netns_cookie = netns_cookie;
	part->admin_state = admin_state;

	mutex_lock(&fab->lock);
	ret = aifab_devs_resolve_free(fab, devs, ndevs, 0, members, extack);
	if (ret)
		goto out_unlock;
	ret = aifab_fabric_publish(fab, &fab->partitions, &part->obj,
				   AIFAB_OBJ_PARTITION);
	if (ret) {
		if (ret == -EEXIST)
			aifab_err_attr(extack, "partition exists", name);
		else if (ret == -ENOSPC)
			NL_SET_ERR_MSG(extack, "too many partitions");
		goto out_unlock;
	}
	aifab_devs_assign(members, ndevs, part->obj.id);
	aifab_event_partition(fab, part, AIFAB_PARTITION_EVENT_NEW, NULL);
	part = NULL;
out_unlock:
	mutex_unlock(&fab->lock);
	if (!ret)
		aifab_uevent_sync(fab);
out_free:
	kfree(part);
	kfree(members);
	return ret;
}

static struct aifab_partition *
aifab_partition_find_or_err(struct aifab_fabric *fab, const char *name,
			    struct netlink_ext_ack *extack)
{
	struct aifab_partition *part = aifab_partition_find(fab, name);

	if (!part)
		aifab_err_attr(extack, "no such partition", name);
	return part;
}

static void aifab_partition_drop_fences(struct aifab_fabric *fab, u32 id)
{
	struct aifab_fence *fence;
	unsigned long key;

	xa_for_each(&fab->fences, key, fence) {
		if (fence->a_id != id && fence->b_id != id)
			continue;
		xa_erase(&fab->fences, key);
		call_rcu(&fence->rcu, aifab_fence_free_rcu);
	}
}

/* -EBUSY when a member of partition @id is open. */
static int aifab_partition_members_idle(struct aifab_fabric *fab, u32 id,
					struct netlink_ext_ack *extack)
{
	struct aifab_device *dev;
	struct aifab_object *obj;
	unsigned long i;

	xa_for_each(&fab->devices, i, obj) {
		dev = container_of(obj, struct aifab_device, obj);
		if (dev->partition_id == id && dev->open_count) {
			aifab_err_name(extack, AIFAB_DEV_OPEN_MSG, obj->name);
			return -EBUSY;
		}
	}
	return 0;
}

/* Zero the buffer objects of @dev, if it is a local accelerator. */
static int aifab_dev_scrub(struct aifab_device *dev, u64 *total,
			   struct netlink_ext_ack *extack)
{
	u64 bytes;
	int ret;

	if (dev->type != AIFAB_DEV_TYPE_ACCEL)
		return 0;
	ret = aifab_accel_scrub(dev->obj.id, &bytes);
	*total += bytes;
	if (ret == -ENODEV)
		return 0;
	if (ret)
		aifab_err_name(extack, "cannot zero the device's memory",
			       dev->obj.name);
	return ret;
}

/**
 * aifab_partition_del() - delete a partition and its fences
 * @fab: the fabric
 * @name: the partition
 * @extack: where to say what is wrong
 *
 * Its devices become unpartitioned, its accelerators' buffer objects
 * zeroed first. Refused while one of them is open: a file opened under the
 * partition's rule must not outlive it.
 *
 * Return: 0, -ENOENT, -EBUSY, or -ENOMEM when a scrub could not finish.
 */
int aifab_partition_del(struct aifab_fabric *fab, const char *name,
			struct netlink_ext_ack *extack)
{
	struct aifab_partition *part;
	struct aifab_object *obj;
	struct aifab_device *dev;
	u64 scrubbed = 0;
	unsigned long id;
	int ret = 0;

	mutex_lock(&fab->lock);
	part = aifab_partition_find_or_err(fab, name, extack);
	if (!part) {
		ret = -ENOENT;
		goto out_unlock;
	}
	ret = aifab_partition_members_idle(fab, part->obj.id, extack);
	if (ret)
		goto out_unlock;
	xa_for_each(&fab->devices, id, obj) {
		dev = container_of(obj, struct aifab_device, obj);
		if (dev->partition_id != part->obj.id)
			continue;
		ret = aifab_dev_scrub(dev, &scrubbed, extack);
		if (ret)
			goto out_unlock;
	}
	xa_for_each(&fab->devices, id, obj) {
		dev = container_of(obj, struct aifab_device, obj);
		if (dev->partition_id == part->obj.id)
			WRITE_ONCE(dev->partition_id, 0);
	}
	aifab_partition_drop_fences(fab, part->obj.id);
	xa_erase(&fab->partitions, part->obj.id);
	fab->generation++;
	part->ndevs = 0;
	aifab_event_partition(fab, part, AIFAB_PARTITION_EVENT_DEL, &scrubbed);
	call_rcu(&part->obj.rcu, aifab_partition_free_rcu);
out_unlock:
	mutex_unlock(&fab->lock);
	if (!ret)
		aifab_uevent_sync(fab);
	return ret;
}

static int aifab_devs_resolve_members(struct aifab_fabric *fab,
				      const char * const *names, unsigned int n,
				      u32 partition_id, struct aifab_device **devs,
				      struct netlink_ext_ack *extack)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		devs[i] = aifab_device_find(fab, names[i]);
		if (!devs[i]) {
			aifab_err_attr(extack, "no such device", names[i]);
			return -ENOENT;
		}
		if (devs[i]->partition_id != partition_id) {
			aifab_err_attr(extack, "device is not in this partition",
				       names[i]);
			return -ENOENT;
		}
		if (devs[i]->open_count) {
			aifab_err_attr(extack, AIFAB_DEV_OPEN_MSG, names[i]);
			return -EBUSY;
		}
	}
	return 0;
}

static int aifab_partition_resolve_set(struct aifab_fabric *fab,
				       struct aifab_partition *part,
				       const char * const *add, unsigned int nadd,
				       const char * const *del, unsigned int ndel,
				       struct aifab_device **devs,
				       struct netlink_ext_ack *extack)
{
	const char *dup;
	unsigned int i, j;
	int ret;

	for (i = 0; i < nadd; i++) {
		for (j = 0; j < ndel; j++) {
			if (!strcmp(add[i], del[j])) {
				aifab_err_attr(extack, "device both added and removed",
					       add[i]);
				return -EINVAL;
			}
		}
	}
	ret = aifab_devs_resolve_free(fab, add, nadd, part->obj.id, devs, extack);
	if (ret)
		return ret;
	if (aifab_names_repeat(del, ndel, &dup)) {
		aifab_err_attr(extack, "device listed twice", dup);
		return -EINVAL;
	}
	return aifab_devs_resolve_members(fab, del, ndel, part->obj.id,
					  devs + nadd, extack);
}

/**
 * aifab_partition_set() - add and remove devices in one step
 * @fab: the fabric
 * @name: the partition
 * @add: names of devices to add; none may be in a partition yet
 * @nadd: how many
 * @del: names of member devices to remove
 * @ndel: how many
 * @netns_cookie: the network namespace its devices open from, from now on,
 *	0 for any; NULL leaves it. Not changed while a member is open.
 * @admin_state: whether it carries traffic from now on; NULL leaves it.
 *	Open members stay open: the state is about traffic, not ownership.
 * @extack: where to say what is wrong
 *
 * The accelerators removed have their buffer objects zeroed first. The
 * change event carries the bytes zeroed when devices left. A request that
 * finds every value it names already in place (the same admin state, the
 * same binding, and no device to add or remove) succeeds and changes
 * nothing: no event, no generation, no uevent.
 *
 * Return: 0 or a negative errno, with nothing changed.
 */
int aifab_partition_set(struct aifab_fabric *fab, const char *name,
			const char * const *add, unsigned int nadd,
			const char * const *del, unsigned int ndel,
			const u64 *netns_cookie,
			const enum aifab_admin_state *admin_state,
			struct netlink_ext_ack *extack)
{
	struct aifab_partition *part;
	struct aifab_device **devs;
	bool changed = false;
	unsigned int i;
	u64 scrubbed = 0;
	int ret;

	devs = kcalloc(nadd + ndel ?: 1, sizeof(*devs), GFP_KERNEL);
	if (!devs)
		return -ENOMEM;
	mutex_lock(&fab->lock);
	part = aifab_partition_find_or_err(fab, name, extack);
	if (!part) {
		ret = -ENOENT;
		goto out_unlock;
	}
	ret = aifab_partition_resolve_set(fab, part, add, nadd, del, ndel, devs,
					  extack);
	if (!ret && netns_cookie && *netns_cookie != part->netns_cookie)
		ret = aifab_partition_members_idle(fab, part->obj.id, extack);
	for (i = 0; !ret && i < ndel; i++)
		ret = aifab_dev_scrub(devs[nadd + i], &scrubbed, extack);
	if (ret)
		goto out_unlock;
	/* Setting a value it already has is no change. */
	changed = nadd || ndel ||
		  (netns_cookie && *netns_cookie != part->netns_cookie) ||
		  (admin_state && *admin_state != part->admin_state);
	if (!changed)
		goto out_unlock;
	if (netns_cookie)
		part->netns_cookie = *netns_cookie;
	if (admin_state)
		WRITE_ONCE(part->admin_state, *admin_state);
	aifab_devs_assign(devs, nadd, part->obj.id);
	aifab_devs_assign(devs + nadd, ndel, 0);
	part->ndevs += nadd;
	part->ndevs -= ndel;
	fab->generation++;
	aifab_event_partition(fab, part, AIFAB_PARTITION_EVENT_CHANGE,
			      ndel ? &scrubbed : NULL);
out_unlock:
	mutex_unlock(&fab->lock);
	if (changed)
		aifab_uevent_sync(fab);
	kfree(devs);
	return ret;
}

static int aifab_fence_resolve(struct aifab_fabric *fab, const char *a,
			       const char *b, unsigned long *key,
			       struct netlink_ext_ack *extack)
{
	struct aifab_partition *pa, *pb;

	pa = aifab_partition_find_or_err(fab, a, extack);
	if (!pa)
		return -ENOENT;
	pb = aifab_partition_find_or_err(fab, b, extack);
	if (!pb)
		return -ENOENT;
	if (pa == pb) {
		NL_SET_ERR_MSG(extack, "a fence joins two different partitions");
		return -EINVAL;
	}
	*key = aifab_fence_key(pa->obj.id, pb->obj.id);
	return 0;
}

/**
 * aifab_fence_new() - allow traffic between two partitions, both ways
 * @fab: the fabric
 * @a: one partition's name
 * @b: the other's
 * @extack: where to say what is wrong
 *
 * Return: 0, -ENOENT, -EINVAL, -EEXIST or -ENOMEM.
 */
int aifab_fence_new(struct aifab_fabric *fab, const char *a, const char *b,
		    struct netlink_ext_ack *extack)
{
	struct aifab_fence *fence;
	unsigned long key;
	int ret;

	fence = kzalloc(sizeof(*fence), GFP_KERNEL);
	if (!fence)
		return -ENOMEM;
	mutex_lock(&fab->lock);
	ret = aifab_fence_resolve(fab, a, b, &key, extack);
	if (ret)
		goto out_unlock;
	fence->a_id = key >> 16;
	fence->b_id = key & AIFAB_PARTITION_ID_MAX;
	ret = xa_insert(&fab->fences, key, fence, GFP_KERNEL);
	if (ret == -EBUSY) {
		NL_SET_ERR_MSG(extack, "that fence exists");
		ret = -EEXIST;
	}
	if (ret)
		goto out_unlock;
	aifab_obj_get(AIFAB_OBJ_FENCE);
	fab->generation++;
	fence = NULL;
out_unlock:
	mutex_unlock(&fab->lock);
	kfree(fence);
	return ret;
}

/**
 * aifab_fence_del() - remove the permission between two partitions
 * @fab: the fabric
 * @a: one partition's name
 * @b: the other's
 * @extack: where to say what is wrong
 *
 * Return: 0, -ENOENT or -EINVAL.
 */
int aifab_fence_del(struct aifab_fabric *fab, const char *a, const char *b,
		    struct netlink_ext_ack *extack)
{
	struct aifab_fence *fence;
	unsigned long key;
	int ret;

	mutex_lock(&fab->lock);
	ret = aifab_fence_resolve(fab, a, b, &key, extack);
	if (ret)
		goto out_unlock;
	fence = xa_erase(&fab->fences, key);
	if (!fence) {
		NL_SET_ERR_MSG(extack, "no fence joins those partitions");
		ret = -ENOENT;
		goto out_unlock;
	}
	fab->generation++;
	call_rcu(&fence->rcu, aifab_fence_free_rcu);
out_unlock:
	mutex_unlock(&fab->lock);
	return ret;
}

/* Under rcu_read_lock(). */
bool aifab_fence_allows(struct aifab_fabric *fab, u32 p, u32 q)
{
	return xa_load(&fab->fences, aifab_fence_key(p, q));
}
