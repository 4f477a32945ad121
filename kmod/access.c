// SPDX-License-Identifier: GPL-2.0
/*
 * Who may open a local device: the one rule for accelerators and RDMA
 * devices alike.
 *
 * A device in a partition that is bound to a network namespace opens only
 * from that namespace; anyone else gets -EACCES, counted on the device.
 * Without a binding, the device node's permissions (set per partition by
 * udev) are the gate. The namespace is the tenant's identity that
 * containers already carry, so there is no per-process registry to go
 * stale.
 *
 * Open files are counted on the device, under the fabric mutex. While a
 * device is open its partition membership cannot change and the topology
 * cannot be replaced: an open file must never outlive the rule that let it
 * open.
 */
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <net/net_namespace.h>

#include "access.h"
#include "fabric.h"

static u64 aifab_current_netns_cookie(void)
{
	return current->nsproxy->net_ns->net_cookie;
}

/**
 * aifab_device_open() - let the caller open a device, or refuse
 * @fab: the fabric
 * @dev_id: the device
 *
 * On success the device counts one more open file; aifab_device_close()
 * gives it back.
 *
 * Return: 0; -ENODEV when the device is gone; -EACCES when it is in a
 * partition bound to another network namespace.
 */
int aifab_device_open(struct aifab_fabric *fab, u32 dev_id)
{
	struct aifab_partition *part = NULL;
	struct aifab_device *dev;
	int ret = 0;

	mutex_lock(&fab->lock);
	dev = aifab_device_lookup(fab, dev_id);
	if (!dev) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (dev->partition_id)
		part = aifab_partition_lookup(fab, dev->partition_id);
	if (part && part->netns_cookie &&
	    part->netns_cookie != aifab_current_netns_cookie()) {
		atomic64_inc(&dev->cnt[AIFAB_DEV_CNT_OPEN_REFUSED]);
		ret = -EACCES;
		goto out_unlock;
	}
	dev->open_count++;
out_unlock:
	mutex_unlock(&fab->lock);
	return ret;
}

/**
 * aifab_device_close() - give back what aifab_device_open() counted
 * @fab: the fabric
 * @dev_id: the device
 */
void aifab_device_close(struct aifab_fabric *fab, u32 dev_id)
{
	struct aifab_device *dev;

	mutex_lock(&fab->lock);
	dev = aifab_device_lookup(fab, dev_id);
	if (!WARN_ON_ONCE(!dev || !dev->open_count))
		dev->open_count--;
	mutex_unlock(&fab->lock);
}
