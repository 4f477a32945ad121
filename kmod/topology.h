/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded default topology, built when the module loads.
 */
#ifndef _AIFAB_TOPOLOGY_H
#define _AIFAB_TOPOLOGY_H

#include <linux/types.h>

#include <linux/aifab.h>

struct aifab_fabric;

#define AIFAB_TOPO_MAX_ACCELS	64
#define AIFAB_TOPO_MAX_EFAS	16
#define AIFAB_TOPO_MAX_MEM_MIB	1048576		/* 1 TiB */

/* Nominal link speeds, Mbit/s. */
#define AIFAB_SPEED_ACCEL_RING	400000
#define AIFAB_SPEED_ACCEL_CROSS	200000
#define AIFAB_SPEED_AFFINITY	256000
#define AIFAB_SPEED_NET		100000

/**
 * struct aifab_topology_params - shape of the default topology
 * @node_name: name of the local node
 * @accels: number of accelerators, in a ring with cross links
 * @efas: number of EFA devices, each affine to an equal share of the
 *	accelerators and joined to every other EFA device by a network link
 * @accel_mem_mib: memory capacity of each accelerator, MiB
 */
struct aifab_topology_params {
	const char *node_name;
	unsigned int accels;
	unsigned int efas;
	unsigned int accel_mem_mib;
};

/* Bounds of a topology loaded with TOPOLOGY_SET. */
#define AIFAB_TOPO_SET_MAX_NODES	4096
#define AIFAB_TOPO_SET_MAX_DEVS		65536
#define AIFAB_TOPO_SET_MAX_LINKS	262144
#define AIFAB_TOPO_SET_LIMITS_MSG \
	"a topology has 1-4096 nodes, 0-65536 devices, 0-262144 links"

/**
 * struct aifab_topo_node - a node of a topology to load
 * @name: its name
 * @local: it is the host the module runs on
 */
struct aifab_topo_node {
	char name[AIFAB_NAME_MAX];
	bool local;
};

/**
 * struct aifab_topo_dev - a device of a topology to load
 * @name: its name
 * @node: the name of its node
 * @type: accelerator or EFA
 * @mem_bytes: memory of an accelerator; 0 for EFA
 */
struct aifab_topo_dev {
	char name[AIFAB_NAME_MAX];
	char node[AIFAB_NAME_MAX];
	enum aifab_dev_type type;
	u64 mem_bytes;
};

/**
 * struct aifab_topo_link - a link of a topology to load
 * @name: its name
 * @a: the name of the device at one end
 * @b: the name of the device at the other end
 * @kind: what it connects
 * @speed_mbps: nominal bandwidth
 */
struct aifab_topo_link {
	char name[AIFAB_NAME_MAX];
	char a[AIFAB_NAME_MAX];
	char b[AIFAB_NAME_MAX];
	enum aifab_link_kind kind;
	u32 speed_mbps;
};

/**
 * struct aifab_topo - a whole topology to load, as the request gave it
 * @nnodes: entries in @nodes
 * @ndevs: entries in @devs
 * @nlinks: entries in @links
 * @nodes: the nodes
 * @devs: the devices
 * @links: the links
 */
struct aifab_topo {
	u32 nnodes;
	u32 ndevs;
	u32 nlinks;
	struct aifab_topo_node *nodes;
	struct aifab_topo_dev *devs;
	struct aifab_topo_link *links;
};

struct netlink_ext_ack;

int aifab_topology_validate(const struct aifab_topology_params *p);
int aifab_topology_replace(struct aifab_fabric *fab,
			   const struct aifab_topo *topo,
			   struct netlink_ext_ack *extack);
int aifab_topology_build(struct aifab_fabric *fab,
			 const struct aifab_topology_params *p);

#endif /* _AIFAB_TOPOLOGY_H */
