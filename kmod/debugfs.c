// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: <debugfs>/aifab/
 *   topology  every node, device and link, one per line, as key=value pairs
 *   objects   live-object counters, "<type> <count>" per line
 *
 * The line format is for people and test scripts, not a stable ABI; the
 * netlink family is the API.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "debugfs.h"
#include "fabric.h"
#include "objcount.h"

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
		seq_printf(m, "device id=%u name=%s type=%s node=%s mem_bytes=%llu\n",
			   obj->id, obj->name, aifab_dev_type_name(dev->type),
			   aifab_node_name(fab, dev->node_id), dev->mem_bytes);
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
		seq_printf(m, "link id=%u name=%s kind=%s a=%s b=%s state=%s speed_mbps=%u\n",
			   obj->id, obj->name, aifab_link_kind_name(link->kind),
			   aifab_device_name(fab, link->a_id),
			   aifab_device_name(fab, link->b_id),
			   aifab_link_state_name(link->state),
			   link->speed_mbps);
	}
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
	mutex_unlock(&fab->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(aifab_debugfs_topology);

static int aifab_debugfs_objects_show(struct seq_file *m, void *unused)
{
	return aifab_obj_show(m);
}
DEFINE_SHOW_ATTRIBUTE(aifab_debugfs_objects);

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
	return root;
}

void aifab_debugfs_remove(struct dentry *root)
{
	debugfs_remove(root);
}
