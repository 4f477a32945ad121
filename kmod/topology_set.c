// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a whole topology (TOPOLOGY_SET): all or nothing.
 *
 * The request is checked in full, and every object it needs is allocated,
 * before the fabric mutex is taken. Under the mutex the new objects are
 * published next to the old ones: nobody can reach them yet, since no old
 * object links to them and every name lookup takes the mutex. Only when
 * all are in do the old objects go. A failure on the way removes just the
 * new objects, so the fabric is left exactly as it was.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "events.h"
#include "fabric.h"
#include "sysfs.h"
#include "topology.h"

/*
 * Names sorted for lookup. Each element of the indexed array starts with
 * its name, so a pointer to the name is a pointer to the element.
 */
struct aifab_name_index {
	const char **names;
	const void *base;
	size_t size;
	u32 n;
};

static int aifab_cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char * const *)a, *(const char * const *)b);
}

static int aifab_name_index_build(struct aifab_name_index *ix,
				  const void *base, u32 n, size_t size,
				  const char *what,
				  struct netlink_ext_ack *extack)
{
	u32 i;

	ix->names = kvmalloc_array(n ?: 1, sizeof(*ix->names), GFP_KERNEL);
	if (!ix->names)
		return -ENOMEM;
	ix->base = base;
	ix->size = size;
	ix->n = n;
	for (i = 0; i < n; i++)
		ix->names[i] = (const char *)base + i * size;
	sort(ix->names, n, sizeof(*ix->names), aifab_cmp_names, NULL);
	for (i = 1; i < n; i++) {
		if (!strcmp(ix->names[i - 1], ix->names[i])) {
			aifab_err_name(extack, what, ix->names[i]);
			return -EEXIST;
		}
	}
	return 0;
}

/* Return: the element's index, or -1. */
static long aifab_name_index_find(const struct aifab_name_index *ix,
				  const char *name)
{
	const char **hit = bsearch(&name, ix->names, ix->n, sizeof(*ix->names),
				   aifab_cmp_names);

	return hit ? ((const char *)*hit - (const char *)ix->base) / ix->size : -1;
}

/*
 * What the check of a request works out, and everything allocated for it,
 * indexed like the request's arrays.
 */
struct aifab_topo_plan {
	const struct aifab_topo *topo;
	struct aifab_name_index node_ix;
	struct aifab_name_index dev_ix;
	struct aifab_name_index link_ix;
	u32 *dev_node;
	u32 *link_a;
	u32 *link_b;
	u32 *degree;
	struct aifab_node **nodes;
	struct aifab_device **devs;
	struct aifab_link **links;
	struct aifab_adjacency **adj;
};

static int aifab_topo_check_nodes(const struct aifab_topo *topo,
				  struct netlink_ext_ack *extack)
{
	u32 i, local = 0;

	if (!topo->nnodes || topo->nnodes > AIFAB_TOPO_SET_MAX_NODES ||
	    topo->ndevs > AIFAB_TOPO_SET_MAX_DEVS ||
	    topo->nlinks > AIFAB_TOPO_SET_MAX_LINKS) {
		NL_SET_ERR_MSG(extack, AIFAB_TOPO_SET_LIMITS_MSG);
		return -E2BIG;
	}
	for (i = 0; i < topo->nnodes; i++) {
		if (!aifab_name_valid(topo->nodes[i].name)) {
			NL_SET_ERR_MSG(extack, "bad node name: 1-31 of [a-zA-Z0-9_.-]");
			return -EINVAL;
		}
		local += topo->nodes[i].local;
	}
	if (local != 1) {
		NL_SET_ERR_MSG(extack, "exactly one node must be local");
		return -EINVAL;
	}
	return 0;
}

static int aifab_topo_check_devs(struct aifab_topo_plan *plan,
				 struct netlink_ext_ack *extack)
{
	const struct aifab_topo *topo = plan->topo;
	const struct aifab_topo_dev *dev;
	bool accel;
	long node;
	u32 i;

	for (i = 0; i < topo->ndevs; i++) {
		dev = &topo->devs[i];
		if (!aifab_name_valid(dev->name)) {
			NL_SET_ERR_MSG(extack, "bad device name: 1-31 of [a-zA-Z0-9_.-]");
			return -EINVAL;
		}
		node = aifab_name_index_find(&plan->node_ix, dev->node);
		if (node < 0) {
			aifab_err_name(extack, "device on an unknown node", dev->name);
			return -ENOENT;
		}
		accel = dev->type == AIFAB_DEV_TYPE_ACCEL;
		if (accel != !!dev->mem_bytes) {
			aifab_err_name(extack, "accelerators and only they need mem-bytes",
				       dev->name);
			return -EINVAL;
		}
		plan->dev_node[i] = node;
	}
	return 0;
}

static int aifab_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Two links may not join the same two devices. */
static int aifab_topo_check_pairs(struct aifab_topo_plan *plan,
				  struct netlink_ext_ack *extack)
{
	u32 i, n = plan->topo->nlinks;
	u64 *pairs;
	int ret = 0;

	pairs = kvmalloc_array(n ?: 1, sizeof(*pairs), GFP_KERNEL);
	if (!pairs)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		pairs[i] = (u64)min(plan->link_a[i], plan->link_b[i]) << 32 |
			   max(plan->link_a[i], plan->link_b[i]);
	sort(pairs, n, sizeof(*pairs), aifab_cmp_u64, NULL);
	for (i = 1; i < n && !ret; i++) {
		if (pairs[i] == pairs[i - 1]) {
			NL_SET_ERR_MSG(extack, "two links join the same two devices");
			ret = -EEXIST;
		}
	}
	kvfree(pairs);
	return ret;
}

static int aifab_topo_check_links(struct aifab_topo_plan *plan,
				  struct netlink_ext_ack *extack)
{
	const struct aifab_topo *topo = plan->topo;
	const struct aifab_topo_link *link;
	long a, b;
	u32 i;

	for (i = 0; i < topo->nlinks; i++) {
		link = &topo->links[i];
		if (!aifab_name_valid(link->name)) {
			NL_SET_ERR_MSG(extack, "bad link name: 1-31 of [a-zA-Z0-9_.-]");
			return -EINVAL;
		}
		a = aifab_name_index_find(&plan->dev_ix, link->a);
		b = aifab_name_index_find(&plan->dev_ix, link->b);
		if (a < 0 || b < 0) {
			aifab_err_name(extack, "link to an unknown device", link->name);
			return -ENOENT;
		}
		if (a == b) {
			aifab_err_name(extack, "link joins a device to itself", link->name);
			return -EINVAL;
		}
		plan->link_a[i] = a;
		plan->link_b[i] = b;
		plan->degree[a]++;
		plan->degree[b]++;
	}
	return aifab_topo_check_pairs(plan, extack);
}

static int aifab_topo_plan_alloc(struct aifab_topo_plan *plan)
{
	const struct aifab_topo *topo = plan->topo;
	u32 nd = topo->ndevs ?: 1, nl = topo->nlinks ?: 1;

	plan->dev_node = kvcalloc(nd, sizeof(u32), GFP_KERNEL);
	plan->degree = kvcalloc(nd, sizeof(u32), GFP_KERNEL);
	plan->link_a = kvcalloc(nl, sizeof(u32), GFP_KERNEL);
	plan->link_b = kvcalloc(nl, sizeof(u32), GFP_KERNEL);
	plan->nodes = kvcalloc(topo->nnodes, sizeof(*plan->nodes), GFP_KERNEL);
	plan->devs = kvcalloc(nd, sizeof(*plan->devs), GFP_KERNEL);
	plan->links = kvcalloc(nl, sizeof(*plan->links), GFP_KERNEL);
	plan->adj = kvcalloc(nd, sizeof(*plan->adj), GFP_KERNEL);
	if (!plan->dev_node || !plan->degree || !plan->link_a || !plan->link_b ||
	    !plan->nodes || !plan->devs || !plan->links || !plan->adj)
		return -ENOMEM;
	return 0;
}

static int aifab_topo_check(struct aifab_topo_plan *plan,
			    struct netlink_ext_ack *extack)
{
	const struct aifab_topo *topo = plan->topo;
	int ret;

	ret = aifab_topo_check_nodes(topo, extack);
	if (ret)
		return ret;
	ret = aifab_topo_plan_alloc(plan);
	if (ret)
		return ret;
	ret = aifab_name_index_build(&plan->node_ix, topo->nodes, topo->nnodes,
				     sizeof(*topo->nodes), "node named twice",
				     extack);
	if (!ret)
		ret = aifab_name_index_build(&plan->dev_ix, topo->devs, topo->ndevs,
					     sizeof(*topo->devs),
					     "device named twice", extack);
	if (!ret)
		ret = aifab_name_index_build(&plan->link_ix, topo->links,
					     topo->nlinks, sizeof(*topo->links),
					     "link named twice", extack);
	if (!ret)
		ret = aifab_topo_check_devs(plan, extack);
	if (!ret)
		ret = aifab_topo_check_links(plan, extack);
	return ret;
}

/* Every object the new topology needs, so that applying it cannot fail. */
static int aifab_topo_alloc_objects(struct aifab_topo_plan *plan)
{
	const struct aifab_topo *topo = plan->topo;
	u32 i;

	for (i = 0; i < topo->nnodes; i++) {
		plan->nodes[i] = kzalloc(sizeof(*plan->nodes[i]), GFP_KERNEL);
		if (!plan->nodes[i])
			return -ENOMEM;
	}
	for (i = 0; i < topo->ndevs; i++) {
		plan->devs[i] = kzalloc(sizeof(*plan->devs[i]), GFP_KERNEL);
		plan->adj[i] = kzalloc(struct_size(plan->adj[i], link_ids,
						   plan->degree[i]), GFP_KERNEL);
		if (!plan->devs[i] || !plan->adj[i])
			return -ENOMEM;
	}
	for (i = 0; i < topo->nlinks; i++) {
		plan->links[i] = kzalloc(sizeof(*plan->links[i]), GFP_KERNEL);
		if (!plan->links[i])
			return -ENOMEM;
	}
	return 0;
}

static void aifab_topo_fill_objects(struct aifab_topo_plan *plan)
{
	const struct aifab_topo *topo = plan->topo;
	struct aifab_link *link;
	struct aifab_device *dev;
	u32 i;

	for (i = 0; i < topo->nnodes; i++) {
		strscpy(plan->nodes[i]->obj.name, topo->nodes[i].name, AIFAB_NAME_MAX);
		plan->nodes[i]->local = topo->nodes[i].local;
	}
	for (i = 0; i < topo->ndevs; i++) {
		dev = plan->devs[i];
		strscpy(dev->obj.name, topo->devs[i].name, AIFAB_NAME_MAX);
		dev->type = topo->devs[i].type;
		dev->mem_bytes = topo->devs[i].mem_bytes;
	}
	for (i = 0; i < topo->nlinks; i++) {
		link = plan->links[i];
		strscpy(link->obj.name, topo->links[i].name, AIFAB_NAME_MAX);
		link->kind = topo->links[i].kind;
		link->speed_mbps = topo->links[i].speed_mbps;
		link->state = AIFAB_LINK_STATE_UP;
		link->admin_state = AIFAB_ADMIN_STATE_UP;
	}
}

static void aifab_topo_free_plan(struct aifab_topo_plan *plan)
{
	const struct aifab_topo *topo = plan->topo;
	u32 i;

	for (i = 0; plan->nodes && i < topo->nnodes; i++)
		kfree(plan->nodes[i]);
	for (i = 0; plan->devs && i < topo->ndevs; i++) {
		kfree(plan->devs[i]);
		kfree(plan->adj[i]);
	}
	for (i = 0; plan->links && i < topo->nlinks; i++)
		kfree(plan->links[i]);
	kvfree(plan->node_ix.names);
	kvfree(plan->dev_ix.names);
	kvfree(plan->link_ix.names);
	kvfree(plan->dev_node);
	kvfree(plan->degree);
	kvfree(plan->link_a);
	kvfree(plan->link_b);
	kvfree(plan->nodes);
	kvfree(plan->devs);
	kvfree(plan->links);
	kvfree(plan->adj);
}

/* Publish @obj under a fresh id; the name checks were done on the plan. */
static int aifab_topo_insert(struct aifab_fabric *fab, struct xarray *xa,
			     struct aifab_object *obj)
{
	return xa_alloc(xa, &obj->id, obj, xa_limit_31b, GFP_KERNEL);
}

static int aifab_topo_insert_all(struct aifab_fabric *fab,
				 struct aifab_topo_plan *plan)
{
	const struct aifab_topo *topo = plan->topo;
	struct aifab_link *link;
	u32 i;
	int ret;

	for (i = 0; i < topo->nnodes; i++) {
		ret = aifab_topo_insert(fab, &fab->nodes, &plan->nodes[i]->obj);
		if (ret)
			return ret;
	}
	for (i = 0; i < topo->ndevs; i++) {
		plan->devs[i]->node_id = plan->nodes[plan->dev_node[i]]->obj.id;
		ret = aifab_topo_insert(fab, &fab->devices, &plan->devs[i]->obj);
		if (ret)
			return ret;
	}
	for (i = 0; i < topo->nlinks; i++) {
		link = plan->links[i];
		link->a_id = plan->devs[plan->link_a[i]]->obj.id;
		link->b_id = plan->devs[plan->link_b[i]]->obj.id;
		ret = aifab_topo_insert(fab, &fab->links, &link->obj);
		if (ret)
			return ret;
		plan->adj[plan->link_a[i]]->link_ids[plan->adj[plan->link_a[i]]->n++] =
			link->obj.id;
		plan->adj[plan->link_b[i]]->link_ids[plan->adj[plan->link_b[i]]->n++] =
			link->obj.id;
	}
	return 0;
}

/* Unpublish the new objects after a failed insert; nobody has seen them. */
static void aifab_topo_remove_new(struct aifab_fabric *fab,
				  struct aifab_topo_plan *plan)
{
	const struct aifab_topo *topo = plan->topo;
	u32 i;

	for (i = 0; i < topo->nlinks; i++)
		if (plan->links[i]->obj.id)
			xa_erase(&fab->links, plan->links[i]->obj.id);
	for (i = 0; i < topo->ndevs; i++)
		if (plan->devs[i]->obj.id)
			xa_erase(&fab->devices, plan->devs[i]->obj.id);
	for (i = 0; i < topo->nnodes; i++)
		if (plan->nodes[i]->obj.id)
			xa_erase(&fab->nodes, plan->nodes[i]->obj.id);
	/* A reader might still hold an id it guessed: wait before freeing. */
	synchronize_rcu();
}

/*
 * The plan's objects now belong to the fabric: count, mirror and hand them
 * over. The old mirrors are gone by now, so names that stay do not clash.
 */
static void aifab_topo_adopt(struct aifab_fabric *fab,
			     struct aifab_topo_plan *plan)
{
	const struct aifab_topo *topo = plan->topo;
	u32 i;

	for (i = 0; i < topo->nnodes; i++) {
		aifab_obj_get(AIFAB_OBJ_NODE);
		plan->nodes[i] = NULL;
	}
	for (i = 0; i < topo->ndevs; i++) {
		aifab_event_dev(fab, plan->devs[i], AIFAB_DEV_EVENT_NEW);
		rcu_assign_pointer(plan->devs[i]->adj, plan->adj[i]);
		if (plan->devs[i]->obj.id > fab->max_dev_id)
			WRITE_ONCE(fab->max_dev_id, plan->devs[i]->obj.id);
		aifab_obj_get(AIFAB_OBJ_DEVICE);
		aifab_obj_get(AIFAB_OBJ_ADJACENCY);
		aifab_sysfs_add_device(plan->devs[i]);
		plan->devs[i] = NULL;
		plan->adj[i] = NULL;
	}
	for (i = 0; i < topo->nlinks; i++) {
		aifab_obj_get(AIFAB_OBJ_LINK);
		aifab_sysfs_add_link(fab, plan->links[i]);
		plan->links[i] = NULL;
	}
}

/* Remember the current objects, to remove them once the new ones are in. */
static int aifab_topo_snapshot_old(struct aifab_fabric *fab, struct xarray *xa,
				   struct xarray *old)
{
	struct aifab_object *obj;
	unsigned long id;
	int ret;

	xa_for_each(xa, id, obj) {
		ret = xa_insert(old, id, obj, GFP_KERNEL);
		if (ret)
			return ret;
	}
	return 0;
}

static int aifab_topo_swap(struct aifab_fabric *fab,
			   struct aifab_topo_plan *plan,
			   struct netlink_ext_ack *extack)
{
	struct xarray old[3];
	struct xarray *tables[3] = { &fab->links, &fab->devices, &fab->nodes };
	struct aifab_object *obj;
	unsigned long id;
	int i, ret = 0;

	lockdep_assert_held(&fab->lock);
	if (!xa_empty(&fab->partitions)) {
		NL_SET_ERR_MSG(extack, "partitions exist: delete them before loading a topology");
		return -EBUSY;
	}
	xa_for_each(&fab->devices, id, obj) {
		if (container_of(obj, struct aifab_device, obj)->open_count) {
			aifab_err_name(extack, "device is open", obj->name);
			return -EBUSY;
		}
	}
	for (i = 0; i < 3; i++)
		xa_init(&old[i]);
	for (i = 0; i < 3 && !ret; i++)
		ret = aifab_topo_snapshot_old(fab, tables[i], &old[i]);
	if (!ret)
		ret = aifab_topo_insert_all(fab, plan);
	if (ret) {
		aifab_topo_remove_new(fab, plan);
		goto out_destroy_old;
	}
	aifab_fabric_unmirror(fab, &old[0], &old[1]);
	xa_for_each(&old[1], id, obj)
		aifab_event_dev(fab, container_of(obj, struct aifab_device, obj),
				AIFAB_DEV_EVENT_DEL);
	aifab_topo_adopt(fab, plan);
	for (i = 0; i < 3; i++)
		xa_for_each(&old[i], id, obj)
			xa_erase(tables[i], id);
	aifab_fabric_retire(&old[0], &old[1], &old[2]);
	fab->generation++;
out_destroy_old:
	for (i = 0; i < 3; i++)
		xa_destroy(&old[i]);
	return ret;
}

/**
 * aifab_topology_replace() - load a whole topology, or change nothing
 * @fab: the fabric
 * @topo: the new topology, as the request gave it
 * @extack: where to say what is wrong
 *
 * Refused with -EBUSY while a partition exists, since partitions name
 * devices that the new topology may not have, and while a local device is
 * open. The caller then gives new local accelerators their DRM devices
 * (aifab_accel_sync()).
 *
 * Return: 0 or a negative errno, with the fabric unchanged.
 */
int aifab_topology_replace(struct aifab_fabric *fab,
			   const struct aifab_topo *topo,
			   struct netlink_ext_ack *extack)
{
	struct aifab_topo_plan plan = { .topo = topo };
	int ret;

	ret = aifab_topo_check(&plan, extack);
	if (!ret)
		ret = aifab_topo_alloc_objects(&plan);
	if (ret)
		goto out_free_plan;
	aifab_topo_fill_objects(&plan);
	mutex_lock(&fab->lock);
	ret = aifab_topo_swap(fab, &plan, extack);
	mutex_unlock(&fab->lock);
out_free_plan:
	aifab_topo_free_plan(&plan);
	return ret;
}
