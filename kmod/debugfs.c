// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: <debugfs>/aifab/
 *   topology  every node, device, link, partition and fence, one per line,
 *             as key=value pairs
 *   objects   live-object counters, "<type> <count>" per line
 *   refused   refused routes by reason, "<reason> <count>" per line
 *   traffic   write "SRC DST [BYTES]" (device names; 4096 bytes when not
 *             given, at most 64 MiB) to send a synthetic transfer through
 *             the routing function and the links, as a data path would:
 *             the write fails with EACCES or EHOSTUNREACH when the fabric
 *             refuses it, EIO when a faulty link loses a packet for good
 *
 * The line format is for people and test scripts, not a stable ABI; the
 * netlink family is the API.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "debugfs.h"
#include "fabric.h"
#include "health.h"
#include "objcount.h"
#include "route.h"

static const char *aifab_node_name(struct aifab_fabric *fab, u32 id)
{
	struct aifab_node *node = aifab_node_lookup(fab, id);

	return node ? node->obj.name : "?";
}

static const char *aifab_device_name(struct aifab_fabric *fab, u32 id)
{
	struct aifab_device *dev = aifab_device_lookup(fab, id);

	return dev ? dev->obj.name : "?";
}

static void aifab_debugfs_show_nodes(struct seq_file *m,
				     struct aifab_fabric *fab)
{
	struct aifab_object *obj;
	struct aifab_node *node;
	unsigned long id;

	xa_for_each(&fab->nodes, id, obj) {
		node = container_of(obj, struct aifab_node, obj);
		seq_printf(m, "node id=%u name=%s local=%d\n", obj->id,
			   obj->name, node->local);
	}
}

static void aifab_debugfs_show_devices(struct seq_file *m,
				       struct aifab_fabric *fab)
{
	struct aifab_device *dev;
	struct aifab_object *obj;
	unsigned long id;

	xa_for_each(&fab->devices, id, obj) {
		dev = container_of(obj, struct aifab_device, obj);
		seq_printf(m, "device id=%u name=%s type=%s node=%s mem_bytes=%llu partition=%u refused=%lld\n",
			   obj->id, obj->name, aifab_dev_type_name(dev->type),
			   aifab_node_name(fab, dev->node_id), dev->mem_bytes,
			   dev->partition_id,
			   atomic64_read(&dev->cnt[AIFAB_DEV_CNT_REFUSED]));
	}
}

static void aifab_debugfs_show_links(struct seq_file *m,
				     struct aifab_fabric *fab)
{
	struct aifab_object *obj;
	struct aifab_link *link;
	unsigned long id;

	xa_for_each(&fab->links, id, obj) {
		link = container_of(obj, struct aifab_link, obj);
		seq_printf(m, "link id=%u name=%s kind=%s a=%s b=%s state=%s admin=%s speed_mbps=%u drop_pct=%u corrupt_pct=%u flap_ms=%u degrade_ppm=%u error_rate_ppm=%u\n",
			   obj->id, obj->name, aifab_link_kind_name(link->kind),
			   aifab_device_name(fab, link->a_id),
			   aifab_device_name(fab, link->b_id),
			   aifab_link_state_name(link->state),
			   aifab_admin_state_name(link->admin_state),
			   link->speed_mbps, link->drop_pct, link->corrupt_pct,
			   link->flap_ms, link->degrade_ppm,
			   link->error_rate_ppm);
	}
}

static void aifab_debugfs_show_partitions(struct seq_file *m,
					  struct aifab_fabric *fab)
{
	struct aifab_partition *part;
	struct aifab_fence *fence;
	struct aifab_object *obj;
	unsigned long id;

	xa_for_each(&fab->partitions, id, obj) {
		part = container_of(obj, struct aifab_partition, obj);
		seq_printf(m, "partition id=%u name=%s tenant=%s devices=%u admin=%s\n",
			   obj->id, obj->name, part->tenant, part->ndevs,
			   aifab_admin_state_name(part->admin_state));
	}
	xa_for_each(&fab->fences, id, fence)
		seq_printf(m, "fence a=%u b=%u\n", fence->a_id, fence->b_id);
}

/* Under the fabric mutex, so the three tables are one consistent snapshot. */
static int aifab_debugfs_topology_show(struct seq_file *m, void *unused)
{
	struct aifab_fabric *fab = m->private;

	mutex_lock(&fab->lock);
	seq_printf(m, "generation %llu\n", fab->generation);
	aifab_debugfs_show_nodes(m, fab);
	aifab_debugfs_show_devices(m, fab);
	aifab_debugfs_show_links(m, fab);
	aifab_debugfs_show_partitions(m, fab);
	mutex_unlock(&fab->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(aifab_debugfs_topology);

static int aifab_debugfs_objects_show(struct seq_file *m, void *unused)
{
	return aifab_obj_show(m);
}
DEFINE_SHOW_ATTRIBUTE(aifab_debugfs_objects);

static int aifab_debugfs_refused_show(struct seq_file *m, void *unused)
{
	struct aifab_fabric *fab = m->private;
	int reason;

	for (reason = AIFAB_ROUTE_REASON_FENCE;
	     reason <= AIFAB_ROUTE_REASON_LAST; reason++)
		seq_printf(m, "%s %lld\n", aifab_route_reason_name(reason),
			   atomic64_read(&fab->refused[reason]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(aifab_debugfs_refused);

#define AIFAB_DEBUGFS_MAX_BYTES	(64ULL << 20)

/* Resolve "SRC DST [BYTES]" and send it as a data path would. */
static int aifab_debugfs_send(struct aifab_fabric *fab, const char *cmd)
{
	char src[AIFAB_NAME_MAX], dst[AIFAB_NAME_MAX], extra;
	struct aifab_device *s, *d;
	u64 bytes = AIFAB_PACKET_BYTES;
	struct aifab_route *rt;
	u32 src_id, dst_id;
	int n, ret;

	n = sscanf(cmd, "%31s %31s %llu %c", src, dst, &bytes, &extra);
	if (n < 2 || n > 3 || !bytes || bytes > AIFAB_DEBUGFS_MAX_BYTES)
		return -EINVAL;
	mutex_lock(&fab->lock);
	s = aifab_device_find(fab, src);
	d = aifab_device_find(fab, dst);
	src_id = s ? s->obj.id : 0;
	dst_id = d ? d->obj.id : 0;
	mutex_unlock(&fab->lock);
	if (!src_id || !dst_id)
		return -ENOENT;
	rt = kmalloc(sizeof(*rt), GFP_KERNEL);
	if (!rt)
		return -ENOMEM;
	ret = aifab_fabric_transfer(fab, src_id, dst_id, bytes, rt);
	kfree(rt);
	return ret;
}

static ssize_t aifab_debugfs_traffic_write(struct file *file,
					   const char __user *ubuf,
					   size_t len, loff_t *ppos)
{
	struct aifab_fabric *fab = file->private_data;
	char *cmd;
	int ret;

	if (len > 2 * AIFAB_NAME_MAX + 24)
		return -EINVAL;
	cmd = memdup_user_nul(ubuf, len);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	ret = aifab_debugfs_send(fab, cmd);
	kfree(cmd);
	return ret ?: len;
}

static const struct file_operations aifab_debugfs_traffic_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = aifab_debugfs_traffic_write,
	.llseek = noop_llseek,
};

/**
 * aifab_debugfs_create() - create <debugfs>/aifab/
 * @fab: the fabric the files show
 *
 * debugfs is diagnostics only: a failure to create it is not an error, and
 * the debugfs calls accept the error pointers they return.
 *
 * Return: the directory, to pass to aifab_debugfs_remove().
 */
struct dentry *aifab_debugfs_create(struct aifab_fabric *fab)
{
	struct dentry *root = debugfs_create_dir(KBUILD_MODNAME, NULL);

	debugfs_create_file("topology", 0400, root, fab,
			    &aifab_debugfs_topology_fops);
	debugfs_create_file("objects", 0400, root, NULL,
			    &aifab_debugfs_objects_fops);
	debugfs_create_file("refused", 0400, root, fab,
			    &aifab_debugfs_refused_fops);
	debugfs_create_file("traffic", 0200, root, fab,
			    &aifab_debugfs_traffic_fops);
	return root;
}

void aifab_debugfs_remove(struct dentry *root)
{
	debugfs_remove(root);
}
