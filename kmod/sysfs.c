// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs mirrors of the fabric; see sysfs.h for the layout.
 *
 * Each class device's driver data is the fabric object it shows. The class
 * device is unregistered, under the fabric mutex, before the object is
 * retired, and unregistering waits for running show() calls, so show()
 * always has a live object. Fields that change are read with READ_ONCE();
 * names of other objects are looked up under RCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/sysfs.h>

#include "accel.h"
#include "fabric.h"
#include "sysfs.h"

/* Set in aifab_sysfs_init(), before any class device exists. */
static struct aifab_fabric *aifab_sysfs_fabric;

static ssize_t aifab_sysfs_name(char *buf, struct aifab_object *obj)
{
	return sysfs_emit(buf, "%s\n", obj ? obj->name : "");
}

static ssize_t type_show(struct device *d, struct device_attribute *attr,
			 char *buf)
{
	struct aifab_device *dev = dev_get_drvdata(d);

	return sysfs_emit(buf, "%s\n", aifab_dev_type_name(dev->type));
}
static DEVICE_ATTR_RO(type);

static ssize_t node_show(struct device *d, struct device_attribute *attr,
			 char *buf)
{
	struct aifab_device *dev = dev_get_drvdata(d);
	struct aifab_node *node;
	ssize_t ret;

	rcu_read_lock();
	node = aifab_node_lookup(aifab_sysfs_fabric, dev->node_id);
	ret = aifab_sysfs_name(buf, node ? &node->obj : NULL);
	rcu_read_unlock();
	return ret;
}
static DEVICE_ATTR_RO(node);

static ssize_t local_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	struct aifab_device *dev = dev_get_drvdata(d);
	struct aifab_node *node;
	bool local;

	rcu_read_lock();
	node = aifab_node_lookup(aifab_sysfs_fabric, dev->node_id);
	local = node && node->local;
	rcu_read_unlock();
	return sysfs_emit(buf, "%d\n", local);
}
static DEVICE_ATTR_RO(local);

/* The partition's name, or an empty line when the device is in none. */
static ssize_t partition_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct aifab_device *dev = dev_get_drvdata(d);
	u32 id = READ_ONCE(dev->partition_id);
	struct aifab_partition *part;
	ssize_t ret;

	rcu_read_lock();
	part = id ? aifab_partition_lookup(aifab_sysfs_fabric, id) : NULL;
	ret = aifab_sysfs_name(buf, part ? &part->obj : NULL);
	rcu_read_unlock();
	return ret;
}
static DEVICE_ATTR_RO(partition);

static ssize_t mem_bytes_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct aifab_device *dev = dev_get_drvdata(d);

	return sysfs_emit(buf, "%llu\n", dev->mem_bytes);
}
static DEVICE_ATTR_RO(mem_bytes);

/* The DRM device node of a local accelerator; an empty line otherwise. */
static ssize_t dev_node_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	struct aifab_device *dev = dev_get_drvdata(d);
	struct aifab_accel_stats st;

	if (aifab_accel_stats(dev->obj.id, &st))
		st.dev_node[0] = '\0';
	return sysfs_emit(buf, "%s\n", st.dev_node);
}
static DEVICE_ATTR_RO(dev_node);

static struct attribute *aifab_dev_attrs[] = {
	&dev_attr_type.attr,
	&dev_attr_node.attr,
	&dev_attr_local.attr,
	&dev_attr_partition.attr,
	&dev_attr_mem_bytes.attr,
	&dev_attr_dev_node.attr,
	NULL
};

static const struct attribute_group aifab_dev_group = {
	.attrs = aifab_dev_attrs,
};

/* Filled with symlinks to the device's links. */
static struct attribute *aifab_dev_links_attrs[] = {
	NULL
};

static const struct attribute_group aifab_dev_links_group = {
	.name = "links",
	.attrs = aifab_dev_links_attrs,
};

static const struct attribute_group *aifab_dev_groups[] = {
	&aifab_dev_group,
	&aifab_dev_links_group,
	NULL
};

static ssize_t aifab_sysfs_link_end(char *buf, struct aifab_link *link, u32 id)
{
	struct aifab_device *dev;
	ssize_t ret;

	rcu_read_lock();
	dev = aifab_device_lookup(aifab_sysfs_fabric, id);
	ret = aifab_sysfs_name(buf, dev ? &dev->obj : NULL);
	rcu_read_unlock();
	return ret;
}

static ssize_t a_show(struct device *d, struct device_attribute *attr,
		      char *buf)
{
	struct aifab_link *link = dev_get_drvdata(d);

	return aifab_sysfs_link_end(buf, link, link->a_id);
}
static DEVICE_ATTR_RO(a);

static ssize_t b_show(struct device *d, struct device_attribute *attr,
		      char *buf)
{
	struct aifab_link *link = dev_get_drvdata(d);

	return aifab_sysfs_link_end(buf, link, link->b_id);
}
static DEVICE_ATTR_RO(b);

static ssize_t kind_show(struct device *d, struct device_attribute *attr,
			 char *buf)
{
	struct aifab_link *link = dev_get_drvdata(d);

	return sysfs_emit(buf, "%s\n", aifab_link_kind_name(link->kind));
}
static DEVICE_ATTR_RO(kind);

static ssize_t state_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	struct aifab_link *link = dev_get_drvdata(d);

	return sysfs_emit(buf, "%s\n",
			  aifab_link_state_name(READ_ONCE(link->state)));
}
static DEVICE_ATTR_RO(state);

static ssize_t admin_state_show(struct device *d,
				struct device_attribute *attr, char *buf)
{
	struct aifab_link *link = dev_get_drvdata(d);

	return sysfs_emit(buf, "%s\n",
			  aifab_admin_state_name(READ_ONCE(link->admin_state)));
}
static DEVICE_ATTR_RO(admin_state);

/* The plain u32 fields of a link share one show(), told apart by offset. */
struct aifab_link_u32_attr {
	struct device_attribute attr;
	size_t offset;
};

static ssize_t aifab_link_u32_show(struct device *d,
				   struct device_attribute *attr, char *buf)
{
	struct aifab_link_u32_attr *a = container_of(attr, struct aifab_link_u32_attr,
						     attr);
	struct aifab_link *link = dev_get_drvdata(d);

	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(*(u32 *)((char *)link + a->offset)));
}

static struct aifab_link_u32_attr aifab_link_speed_attr = {
	__ATTR(speed_mbps, 0444, aifab_link_u32_show, NULL),
	offsetof(struct aifab_link, speed_mbps)
};

static struct aifab_link_u32_attr aifab_link_drop_attr = {
	__ATTR(drop_pct, 0444, aifab_link_u32_show, NULL),
	offsetof(struct aifab_link, drop_pct)
};

static struct aifab_link_u32_attr aifab_link_corrupt_attr = {
	__ATTR(corrupt_pct, 0444, aifab_link_u32_show, NULL),
	offsetof(struct aifab_link, corrupt_pct)
};

static struct aifab_link_u32_attr aifab_link_flap_attr = {
	__ATTR(flap_ms, 0444, aifab_link_u32_show, NULL),
	offsetof(struct aifab_link, flap_ms)
};

static struct aifab_link_u32_attr aifab_link_degrade_attr = {
	__ATTR(degrade_ppm, 0444, aifab_link_u32_show, NULL),
	offsetof(struct aifab_link, degrade_ppm)
};

static struct attribute *aifab_link_attrs[] = {
	&dev_attr_a.attr,
	&dev_attr_b.attr,
	&dev_attr_kind.attr,
	&dev_attr_state.attr,
	&dev_attr_admin_state.attr,
	&aifab_link_speed_attr.attr.attr,
	&aifab_link_drop_attr.attr.attr,
	&aifab_link_corrupt_attr.attr.attr,
	&aifab_link_flap_attr.attr.attr,
	&aifab_link_degrade_attr.attr.attr,
	NULL
};
ATTRIBUTE_GROUPS(aifab_link);

static struct class aifab_dev_class = {
	.name = "aifab_dev",
};

static struct class aifab_link_class = {
	.name = "aifab_link",
};

int aifab_sysfs_init(struct aifab_fabric *fab)
{
	int ret;

	aifab_sysfs_fabric = fab;
	ret = class_register(&aifab_dev_class);
	if (ret)
		return ret;
	ret = class_register(&aifab_link_class);
	if (ret)
		goto err_unregister_dev_class;
	return 0;

err_unregister_dev_class:
	class_unregister(&aifab_dev_class);
	return ret;
}

void aifab_sysfs_exit(void)
{
	class_unregister(&aifab_link_class);
	class_unregister(&aifab_dev_class);
}

/*
 * The mirror is diagnostics: an object whose class device cannot be made
 * still works, and the kernel log says why its directory is missing.
 */
void aifab_sysfs_add_device(struct aifab_device *dev)
{
	struct device *d;

	d = device_create_with_groups(&aifab_dev_class, NULL, 0, dev,
				      aifab_dev_groups, "%s", dev->obj.name);
	if (IS_ERR(d)) {
		pr_warn("no sysfs directory for device %s: %ld\n",
			dev->obj.name, PTR_ERR(d));
		d = NULL;
	}
	dev->sysfs = d;
}

void aifab_sysfs_del_device(struct aifab_device *dev)
{
	if (dev->sysfs)
		device_unregister(dev->sysfs);
	dev->sysfs = NULL;
}

static void aifab_sysfs_link_end_add(struct aifab_fabric *fab, u32 dev_id,
				     struct aifab_link *link)
{
	struct aifab_device *dev = aifab_device_lookup(fab, dev_id);

	if (dev && dev->sysfs &&
	    sysfs_add_link_to_group(&dev->sysfs->kobj, "links",
				    &link->sysfs->kobj, link->obj.name))
		pr_warn("no sysfs link from %s to %s\n", dev->obj.name,
			link->obj.name);
}

void aifab_sysfs_add_link(struct aifab_fabric *fab, struct aifab_link *link)
{
	struct device *d;

	d = device_create_with_groups(&aifab_link_class, NULL, 0, link,
				      aifab_link_groups, "%s", link->obj.name);
	if (IS_ERR(d)) {
		pr_warn("no sysfs directory for link %s: %ld\n",
			link->obj.name, PTR_ERR(d));
		link->sysfs = NULL;
		return;
	}
	link->sysfs = d;
	aifab_sysfs_link_end_add(fab, link->a_id, link);
	aifab_sysfs_link_end_add(fab, link->b_id, link);
}

static void aifab_sysfs_link_end_del(struct aifab_fabric *fab, u32 dev_id,
				     struct aifab_link *link)
{
	struct aifab_device *dev = aifab_device_lookup(fab, dev_id);

	if (dev && dev->sysfs)
		sysfs_remove_link_from_group(&dev->sysfs->kobj, "links",
					     link->obj.name);
}

void aifab_sysfs_del_link(struct aifab_fabric *fab, struct aifab_link *link)
{
	if (!link->sysfs)
		return;
	aifab_sysfs_link_end_del(fab, link->a_id, link);
	aifab_sysfs_link_end_del(fab, link->b_id, link);
	device_unregister(link->sysfs);
	link->sysfs = NULL;
}
