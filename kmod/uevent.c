// SPDX-License-Identifier: GPL-2.0
/*
 * Telling udev which partition and tenant own a device's nodes, so that
 * its rules (udev/70-aifab.rules) give the nodes to the tenant's group.
 *
 * The kernel knows each device's partition and tenant; the fabric manager
 * knows each tenant's unix group and leaves it where udev reads it. The
 * kernel's part is two attributes on each local device's platform device,
 * aifab_partition and aifab_tenant, and a "change" uevent on every device
 * node under it (the accelerator's DRM minors; the uverbs node, whose
 * parent is the platform device too) whenever the pair changes. The
 * uevent carries AIFAB_PARTITION= and AIFAB_TENANT= (empty when the device
 * is in no partition); the rules go by the attributes, which always hold
 * the current pair, so a late or coalesced event still lands right.
 *
 * aifab_uevent_sync() is level-triggered: it compares each device's pair
 * with the one last announced and announces the difference. The partition
 * code calls it once after each change, with no lock held, and devices
 * that no change touched cost a comparison.
 *
 * Locking, outermost first:
 * - aifab_uevent_lock serialises syncs and guards the table of what was
 *   announced;
 * - the accelerator and EFA drivers' own locks (aifab_accel_lock,
 *   aifab_efa_lock), taken by their walkers (aifab_accel_uevent_sync(),
 *   aifab_efa_uevent_sync()) around their calls of aifab_uevent_dev();
 *   they serialise the removal of a device, so its nodes stay registered
 *   while a uevent is sent to them;
 * - RCU, to read a device's partition.
 * The fabric mutex is never held here: the drivers' locks rank above it,
 * so callers drop it before aifab_uevent_sync(), and no device-model call
 * (uevents, walking children) happens under it. The attributes' show()
 * take nothing but RCU, so removing a device, which waits for running
 * show() calls, never waits for a lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/kdev_t.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/xarray.h>

#include "accel.h"
#include "efa.h"
#include "fabric.h"
#include "uevent.h"

/**
 * struct aifab_uevent_owner - the partition and tenant of a device
 * @partition: the partition's name, "" when in none
 * @tenant: its tenant's name, "" when in none
 * @pass: the sync that last saw the device (in the table only)
 */
struct aifab_uevent_owner {
	char partition[AIFAB_NAME_MAX];
	char tenant[AIFAB_NAME_MAX];
	unsigned long pass;
};

/* Set by aifab_uevent_init(), before any device exists. */
static struct aifab_fabric *aifab_uevent_fabric;

/* Serialises aifab_uevent_sync(); guards the two below. */
static DEFINE_MUTEX(aifab_uevent_lock);
/*
 * Fabric device id -> &struct aifab_uevent_owner last announced, for
 * partitioned devices only: a device not in it was last announced (or,
 * new, created) unpartitioned.
 */
static DEFINE_XARRAY(aifab_uevent_announced);
static unsigned long aifab_uevent_pass;

/* A device's pair now. Takes RCU only. */
static void aifab_uevent_owner_of(struct aifab_fabric *fab, u32 fab_dev_id,
				  struct aifab_uevent_owner *o)
{
	struct aifab_partition *part = NULL;
	struct aifab_device *dev;
	u32 id;

	o->partition[0] = '\0';
	o->tenant[0] = '\0';
	rcu_read_lock();
	dev = aifab_device_lookup(fab, fab_dev_id);
	id = dev ? READ_ONCE(dev->partition_id) : 0;
	if (id)
		part = aifab_partition_lookup(fab, id);
	if (part) {
		/* Both are fixed when the partition is published. */
		strscpy(o->partition, part->obj.name, sizeof(o->partition));
		strscpy(o->tenant, part->tenant, sizeof(o->tenant));
	}
	rcu_read_unlock();
}

static ssize_t aifab_uevent_attr_show(struct device *d, char *buf,
				      bool tenant)
{
	const struct aifab_local_dev *w = dev_get_platdata(d);
	struct aifab_uevent_owner o;

	aifab_uevent_owner_of(aifab_uevent_fabric, w->id, &o);
	return sysfs_emit(buf, "%s\n", tenant ? o.tenant : o.partition);
}

static ssize_t aifab_partition_show(struct device *d,
				    struct device_attribute *attr, char *buf)
{
	return aifab_uevent_attr_show(d, buf, false);
}
static DEVICE_ATTR_RO(aifab_partition);

static ssize_t aifab_tenant_show(struct device *d,
				 struct device_attribute *attr, char *buf)
{
	return aifab_uevent_attr_show(d, buf, true);
}
static DEVICE_ATTR_RO(aifab_tenant);

static struct attribute *aifab_uevent_attrs[] = {
	&dev_attr_aifab_partition.attr,
	&dev_attr_aifab_tenant.attr,
	NULL
};

static const struct attribute_group aifab_uevent_group = {
	.attrs = aifab_uevent_attrs,
};

const struct attribute_group *aifab_uevent_groups[] = {
	&aifab_uevent_group,
	NULL
};

/* Sends the change to one child of the platform device, if it is a node. */
static int aifab_uevent_node(struct device *child, void *data)
{
	char **envp = data;
	int ret;

	if (!MAJOR(child->devt))
		return 0;
	ret = kobject_uevent_env(&child->kobj, KOBJ_CHANGE, envp);
	if (ret)
		dev_warn_ratelimited(child, "cannot send its change uevent: %d\n",
				     ret);
	return 0;
}

static void aifab_uevent_send(struct device *parent,
			      const struct aifab_uevent_owner *o)
{
	char part_env[sizeof("AIFAB_PARTITION=") + AIFAB_NAME_MAX];
	char tenant_env[sizeof("AIFAB_TENANT=") + AIFAB_NAME_MAX];
	char *envp[3];

	envp[0] = part_env;
	envp[1] = tenant_env;
	envp[2] = NULL;
	snprintf(part_env, sizeof(part_env), "AIFAB_PARTITION=%s", o->partition);
	snprintf(tenant_env, sizeof(tenant_env), "AIFAB_TENANT=%s", o->tenant);
	device_for_each_child(parent, envp, aifab_uevent_node);
}

/**
 * aifab_uevent_dev() - announce one device's pair if it changed
 * @fab: the fabric
 * @parent: the device's platform device
 * @fab_dev_id: its fabric device id
 *
 * Called by the drivers' walkers from aifab_uevent_sync(), under the
 * driver's lock that keeps @parent's children registered.
 */
void aifab_uevent_dev(struct aifab_fabric *fab, struct device *parent,
		      u32 fab_dev_id)
{
	struct aifab_uevent_owner now, *seen;

	lockdep_assert_held(&aifab_uevent_lock);
	aifab_uevent_owner_of(fab, fab_dev_id, &now);
	seen = xa_load(&aifab_uevent_announced, fab_dev_id);
	if (seen) {
		seen->pass = aifab_uevent_pass;
		if (!strcmp(seen->partition, now.partition) &&
		    !strcmp(seen->tenant, now.tenant))
			return;
	} else if (!now.partition[0]) {
		return;
	}

	aifab_uevent_send(parent, &now);

	if (!now.partition[0]) {
		xa_erase(&aifab_uevent_announced, fab_dev_id);
		kfree(seen);
		return;
	}
	if (!seen) {
		/* Without memory the next sync announces the pair again. */
		seen = kzalloc(sizeof(*seen), GFP_KERNEL);
		if (!seen)
			return;
		if (xa_err(xa_store(&aifab_uevent_announced, fab_dev_id, seen,
				    GFP_KERNEL))) {
			kfree(seen);
			return;
		}
	}
	memcpy(seen, &now, sizeof(*seen));
	seen->pass = aifab_uevent_pass;
}

/**
 * aifab_uevent_sync() - announce the devices whose partition changed
 * @fab: the fabric
 *
 * Sends a "change" uevent to the device nodes of each local device whose
 * partition or tenant is not the one last announced. Call after changing
 * partitions, without the fabric mutex (see the locking at the top).
 */
void aifab_uevent_sync(struct aifab_fabric *fab)
{
	struct aifab_uevent_owner *seen;
	unsigned long id;

	mutex_lock(&aifab_uevent_lock);
	aifab_uevent_pass++;
	aifab_accel_uevent_sync(fab);
	aifab_efa_uevent_sync(fab);
	/* Forget devices that are gone. */
	xa_for_each(&aifab_uevent_announced, id, seen) {
		if (seen->pass == aifab_uevent_pass)
			continue;
		xa_erase(&aifab_uevent_announced, id);
		kfree(seen);
	}
	mutex_unlock(&aifab_uevent_lock);
}

/**
 * aifab_uevent_init() - remember the fabric the attributes show
 * @fab: the fabric
 */
void aifab_uevent_init(struct aifab_fabric *fab)
{
	aifab_uevent_fabric = fab;
}

/**
 * aifab_uevent_exit() - forget what was announced, once the devices are gone
 */
void aifab_uevent_exit(void)
{
	struct aifab_uevent_owner *seen;
	unsigned long id;

	mutex_lock(&aifab_uevent_lock);
	xa_for_each(&aifab_uevent_announced, id, seen) {
		xa_erase(&aifab_uevent_announced, id);
		kfree(seen);
	}
	mutex_unlock(&aifab_uevent_lock);
	xa_destroy(&aifab_uevent_announced);
	aifab_uevent_fabric = NULL;
}
