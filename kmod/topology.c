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
#include <linux/slab.h>
#include <linux/string.h>

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

/*
 * The default topology is described, then loaded like any other with
 * aifab_topology_replace(): one way into the fabric tables.
 */
#define AIFAB_TOPO_MAX_DEFAULT_LINKS \
	(AIFAB_TOPO_MAX_ACCELS * 2 + AIFAB_TOPO_MAX_ACCELS / 2 + \
	 AIFAB_TOPO_MAX_EFAS * (AIFAB_TOPO_MAX_EFAS - 1) / 2)

static void aifab_topology_dev(struct aifab_topo *topo, const char *node,
			       enum aifab_dev_type type, unsigned int index,
			       u64 mem_bytes)
{
	struct aifab_topo_dev *dev = &topo->devs[topo->ndevs++];

	snprintf(dev->name, sizeof(dev->name), "%s%u",
		 aifab_dev_type_name(type), index);
	strscpy(dev->node, node, sizeof(dev->node));
	dev->type = type;
	dev->mem_bytes = mem_bytes;
}

/* A link named "A-B" between the devices at indexes @a and @b. */
static void aifab_topology_link(struct aifab_topo *topo,
				enum aifab_link_kind kind, u32 a, u32 b,
				u32 speed_mbps)
{
	struct aifab_topo_link *link = &topo->links[topo->nlinks++];

	/* Device names are at most "accel63": the name always fits. */
	snprintf(link->name, sizeof(link->name), "%.12s-%.12s",
		 topo->devs[a].name, topo->devs[b].name);
	strscpy(link->a, topo->devs[a].name, sizeof(link->a));
	strscpy(link->b, topo->devs[b].name, sizeof(link->b));
	link->kind = kind;
	link->speed_mbps = speed_mbps;
}

/*
 * Ring neighbours, then "cross" links to the opposite accelerator, which
 * halve the ring's diameter. Two accelerators share one link; one has none.
 * Accelerator i is device i.
 */
static void aifab_topology_accel_links(struct aifab_topo *topo, u32 n)
{
	u32 i;

	for (i = 0; n > 1 && i < n; i++) {
		if (n == 2 && i == 1)
			break;
		aifab_topology_link(topo, AIFAB_LINK_KIND_ACCEL, i, (i + 1) % n,
				    AIFAB_SPEED_ACCEL_RING);
	}
	for (i = 0; n >= 4 && i < n / 2; i++)
		aifab_topology_link(topo, AIFAB_LINK_KIND_ACCEL, i, i + n / 2,
				    AIFAB_SPEED_ACCEL_CROSS);
}

/* EFA j is device n_accel + j. */
static void aifab_topology_efa_links(struct aifab_topo *topo, u32 n_accel,
				     u32 n_efa)
{
	u32 i, j;

	for (i = 0; n_efa && i < n_accel; i++)
		aifab_topology_link(topo, AIFAB_LINK_KIND_AFFINITY,
				    n_accel + i * n_efa / n_accel, i,
				    AIFAB_SPEED_AFFINITY);
	for (i = 0; i < n_efa; i++)
		for (j = i + 1; j < n_efa; j++)
			aifab_topology_link(topo, AIFAB_LINK_KIND_NET,
					    n_accel + i, n_accel + j,
					    AIFAB_SPEED_NET);
}

/**
 * aifab_topology_build() - load the default shape into a fabric
 * @fab: the fabric
 * @p: the shape, already accepted by aifab_topology_validate()
 *
 * Return: 0 or a negative errno, with the fabric unchanged.
 */
int aifab_topology_build(struct aifab_fabric *fab,
			 const struct aifab_topology_params *p)
{
	struct aifab_topo topo = {};
	u32 i;
	int ret = -ENOMEM;

	topo.nodes = kzalloc(sizeof(*topo.nodes), GFP_KERNEL);
	topo.devs = kcalloc(p->accels + p->efas, sizeof(*topo.devs), GFP_KERNEL);
	topo.links = kcalloc(AIFAB_TOPO_MAX_DEFAULT_LINKS, sizeof(*topo.links),
			     GFP_KERNEL);
	if (!topo.nodes || !topo.devs || !topo.links)
		goto out_free_topo;
	strscpy(topo.nodes[0].name, p->node_name, sizeof(topo.nodes[0].name));
	topo.nodes[0].local = true;
	topo.nnodes = 1;
	for (i = 0; i < p->accels; i++)
		aifab_topology_dev(&topo, p->node_name, AIFAB_DEV_TYPE_ACCEL, i,
				   (u64)p->accel_mem_mib * SZ_1M);
	for (i = 0; i < p->efas; i++)
		aifab_topology_dev(&topo, p->node_name, AIFAB_DEV_TYPE_EFA, i, 0);
	aifab_topology_accel_links(&topo, p->accels);
	aifab_topology_efa_links(&topo, p->accels, p->efas);
	ret = aifab_topology_replace(fab, &topo, NULL);
out_free_topo:
	kfree(topo.links);
	kfree(topo.devs);
	kfree(topo.nodes);
	return ret;
}
