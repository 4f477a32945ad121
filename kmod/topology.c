// SPDX-License-Identifier: GPL-2.0
/*
 * The embedded default topology: one local node, accelerators in a ring
 * with cross links, and EFA devices each affine to a share of them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/kernel.h>

#include "fabric.h"
#include "topology.h"

/**
 * aifab_topology_validate() - check the shape before anything is built
 * @p: the requested shape
 *
 * Return: 0, or -EINVAL with the reason logged.
 */
int aifab_topology_validate(const struct aifab_topology_params *p)
{
	if (!p->node_name || !aifab_name_valid(p->node_name)) {
		pr_err("node_name: must be 1..%u characters of [a-zA-Z0-9_.-]\n",
		       AIFAB_NAME_MAX - 1);
		return -EINVAL;
	}
	if (p->accels < 1 || p->accels > AIFAB_TOPO_MAX_ACCELS) {
		pr_err("accels=%u: must be 1..%u\n", p->accels,
		       AIFAB_TOPO_MAX_ACCELS);
		return -EINVAL;
	}
	if (p->efas > AIFAB_TOPO_MAX_EFAS || p->efas > p->accels) {
		pr_err("efas=%u: must be 0..%u and at most accels (%u)\n",
		       p->efas, AIFAB_TOPO_MAX_EFAS, p->accels);
		return -EINVAL;
	}
	if (p->accel_mem_mib < 1 || p->accel_mem_mib > AIFAB_TOPO_MAX_MEM_MIB) {
		pr_err("accel_mem_mib=%u: must be 1..%u\n", p->accel_mem_mib,
		       AIFAB_TOPO_MAX_MEM_MIB);
		return -EINVAL;
	}
	return 0;
}

static int aifab_topology_link(struct aifab_fabric *fab,
			       enum aifab_link_kind kind, u32 a_id, u32 b_id,
			       u32 speed_mbps)
{
	struct aifab_device *a, *b;
	char name[AIFAB_NAME_MAX];
	int len;
	u32 id;

	mutex_lock(&fab->lock);
	a = aifab_device_lookup(fab, a_id);
	b = aifab_device_lookup(fab, b_id);
	len = snprintf(name, sizeof(name), "%s-%s", a->obj.name, b->obj.name);
	mutex_unlock(&fab->lock);
	if (len >= sizeof(name))
		return -ENAMETOOLONG;
	return aifab_fabric_add_link(fab, name, kind, a_id, b_id, speed_mbps,
				     &id);
}

/*
 * Ring neighbours, then "cross" links to the opposite accelerator, which
 * halve the ring's diameter. Two accelerators share one link; one has none.
 */
static int aifab_topology_accel_links(struct aifab_fabric *fab,
				      const u32 *accel, unsigned int n)
{
	unsigned int i;
	int ret;

	for (i = 0; n > 1 && i < n; i++) {
		if (n == 2 && i == 1)
			break;
		ret = aifab_topology_link(fab, AIFAB_LINK_KIND_ACCEL, accel[i],
					  accel[(i + 1) % n],
					  AIFAB_SPEED_ACCEL_RING);
		if (ret)
			return ret;
	}
	for (i = 0; n >= 4 && i < n / 2; i++) {
		ret = aifab_topology_link(fab, AIFAB_LINK_KIND_ACCEL, accel[i],
					  accel[i + n / 2],
					  AIFAB_SPEED_ACCEL_CROSS);
		if (ret)
			return ret;
	}
	return 0;
}

static int aifab_topology_efa_links(struct aifab_fabric *fab,
				    const u32 *accel, unsigned int n_accel,
				    const u32 *efa, unsigned int n_efa)
{
	unsigned int i, j;
	int ret;

	for (i = 0; n_efa && i < n_accel; i++) {
		ret = aifab_topology_link(fab, AIFAB_LINK_KIND_AFFINITY,
					  efa[i * n_efa / n_accel], accel[i],
					  AIFAB_SPEED_AFFINITY);
		if (ret)
			return ret;
	}
	for (i = 0; i < n_efa; i++) {
		for (j = i + 1; j < n_efa; j++) {
			ret = aifab_topology_link(fab, AIFAB_LINK_KIND_NET,
						  efa[i], efa[j],
						  AIFAB_SPEED_NET);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int aifab_topology_devices(struct aifab_fabric *fab, u32 node_id,
				  enum aifab_dev_type type, unsigned int n,
				  u64 mem_bytes, u32 *ids)
{
	char name[AIFAB_NAME_MAX];
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		if (snprintf(name, sizeof(name), "%s%u", aifab_dev_type_name(type),
			     i) >= sizeof(name))
			return -ENAMETOOLONG;
		ret = aifab_fabric_add_device(fab, name, type, node_id,
					      mem_bytes, &ids[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * aifab_topology_build() - populate an empty fabric with the default shape
 * @fab: the fabric
 * @p: the shape, already accepted by aifab_topology_validate()
 *
 * On failure the fabric may hold part of the topology; the caller clears
 * or destroys it.
 *
 * Return: 0 or a negative errno.
 */
int aifab_topology_build(struct aifab_fabric *fab,
			 const struct aifab_topology_params *p)
{
	u32 accel[AIFAB_TOPO_MAX_ACCELS], efa[AIFAB_TOPO_MAX_EFAS];
	u32 node_id;
	int ret;

	ret = aifab_fabric_add_node(fab, p->node_name, true, &node_id);
	if (ret)
		return ret;
	ret = aifab_topology_devices(fab, node_id, AIFAB_DEV_TYPE_ACCEL,
				     p->accels, (u64)p->accel_mem_mib * SZ_1M,
				     accel);
	if (ret)
		return ret;
	ret = aifab_topology_devices(fab, node_id, AIFAB_DEV_TYPE_EFA, p->efas,
				     0, efa);
	if (ret)
		return ret;
	ret = aifab_topology_accel_links(fab, accel, p->accels);
	if (ret)
		return ret;
	return aifab_topology_efa_links(fab, accel, p->accels, efa, p->efas);
}
