// SPDX-License-Identifier: GPL-2.0
/*
 * The fabric model's object tables. See fabric.h for the locking rules.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fabric.h"
#include "objcount.h"

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
	aifab_obj_get(AIFAB_OBJ_FABRIC);
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
	aifab_fabric_clear(fab);
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
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("_.-", name[i]))
			return false;
	return true;
}

/* A linear scan: tables are small and only writers look names up. */
static bool aifab_table_has_name(struct xarray *xa, const char *name)
{
	struct aifab_object *obj;
	unsigned long id;

	xa_for_each(xa, id, obj)
		if (!strcmp(obj->name, name))
			return true;
	return false;
}

/*
 * Give @obj an id and make it visible to readers. The caller has filled
 * in everything else; on failure it still owns @obj.
 */
static int aifab_fabric_publish(struct aifab_fabric *fab, struct xarray *xa,
				struct aifab_object *obj,
				enum aifab_obj_type type)
{
	int ret;

	lockdep_assert_held(&fab->lock);
	if (aifab_table_has_name(xa, obj->name))
		return -EEXIST;
	ret = xa_alloc(xa, &obj->id, obj, xa_limit_31b, GFP_KERNEL);
	if (ret)
		return ret;
	aifab_obj_get(type);
	fab->generation++;
	return 0;
}

int aifab_fabric_add_node(struct aifab_fabric *fab, const char *name,
			  bool local, u32 *id)
{
	struct aifab_node *node;
	int ret;

	if (!aifab_name_valid(name))
		return -EINVAL;
	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return -ENOMEM;
	strscpy(node->obj.name, name, sizeof(node->obj.name));
	node->local = local;

	mutex_lock(&fab->lock);
	ret = aifab_fabric_publish(fab, &fab->nodes, &node->obj, AIFAB_OBJ_NODE);
	mutex_unlock(&fab->lock);
	if (ret)
		goto err_free_node;
	*id = node->obj.id;
	return 0;

err_free_node:
	kfree(node);
	return ret;
}

int aifab_fabric_add_device(struct aifab_fabric *fab, const char *name,
			    enum aifab_dev_type type, u32 node_id,
			    u64 mem_bytes, u32 *id)
{
	struct aifab_device *dev;
	int ret;

	if (!aifab_name_valid(name) || !aifab_dev_type_name(type))
		return -EINVAL;
	if (type == AIFAB_DEV_TYPE_EFA && mem_bytes)
		return -EINVAL;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	strscpy(dev->obj.name, name, sizeof(dev->obj.name));
	dev->type = type;
	dev->node_id = node_id;
	dev->mem_bytes = mem_bytes;

	mutex_lock(&fab->lock);
	if (xa_load(&fab->nodes, node_id))
		ret = aifab_fabric_publish(fab, &fab->devices, &dev->obj,
					   AIFAB_OBJ_DEVICE);
	else
		ret = -ENOENT;
	mutex_unlock(&fab->lock);
	if (ret)
		goto err_free_dev;
	*id = dev->obj.id;
	return 0;

err_free_dev:
	kfree(dev);
	return ret;
}

static bool aifab_fabric_has_link(struct aifab_fabric *fab, u32 x, u32 y)
{
	struct aifab_object *obj;
	struct aifab_link *link;
	unsigned long id;

	xa_for_each(&fab->links, id, obj) {
		link = container_of(obj, struct aifab_link, obj);
		if ((link->a_id == x && link->b_id == y) ||
		    (link->a_id == y && link->b_id == x))
			return true;
	}
	return false;
}

static int aifab_fabric_check_link_ends(struct aifab_fabric *fab,
					u32 a_id, u32 b_id)
{
	lockdep_assert_held(&fab->lock);
	if (!xa_load(&fab->devices, a_id) || !xa_load(&fab->devices, b_id))
		return -ENOENT;
	if (aifab_fabric_has_link(fab, a_id, b_id))
		return -EEXIST;
	return 0;
}

int aifab_fabric_add_link(struct aifab_fabric *fab, const char *name,
			  enum aifab_link_kind kind, u32 a_id, u32 b_id,
			  u32 speed_mbps, u32 *id)
{
	struct aifab_link *link;
	int ret;

	if (!aifab_name_valid(name) || !aifab_link_kind_name(kind) ||
	    a_id == b_id || !speed_mbps)
		return -EINVAL;
	link = kzalloc(sizeof(*link), GFP_KERNEL);
	if (!link)
		return -ENOMEM;
	strscpy(link->obj.name, name, sizeof(link->obj.name));
	link->kind = kind;
	link->a_id = a_id;
	link->b_id = b_id;
	link->state = AIFAB_LINK_STATE_UP;
	link->speed_mbps = speed_mbps;

	mutex_lock(&fab->lock);
	ret = aifab_fabric_check_link_ends(fab, a_id, b_id);
	if (!ret)
		ret = aifab_fabric_publish(fab, &fab->links, &link->obj,
					   AIFAB_OBJ_LINK);
	mutex_unlock(&fab->lock);
	if (ret)
		goto err_free_link;
	*id = link->obj.id;
	return 0;

err_free_link:
	kfree(link);
	return ret;
}

static void aifab_node_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct aifab_node, obj.rcu));
	aifab_obj_put(AIFAB_OBJ_NODE);
}

static void aifab_device_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct aifab_device, obj.rcu));
	aifab_obj_put(AIFAB_OBJ_DEVICE);
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

/**
 * aifab_fabric_clear() - remove every object from a fabric
 * @fab: the fabric
 *
 * Links go first, then devices, then nodes, so that no published object
 * ever names an id that is gone. Frees wait out an RCU grace period for
 * concurrent readers.
 */
void aifab_fabric_clear(struct aifab_fabric *fab)
{
	mutex_lock(&fab->lock);
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
