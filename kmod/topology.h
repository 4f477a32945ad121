/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The embedded default topology, built when the module loads.
 */
#ifndef _AIFAB_TOPOLOGY_H
#define _AIFAB_TOPOLOGY_H

#include <linux/types.h>

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

int aifab_topology_validate(const struct aifab_topology_params *p);
int aifab_topology_build(struct aifab_fabric *fab,
			 const struct aifab_topology_params *p);

#endif /* _AIFAB_TOPOLOGY_H */
