/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The diff planner of aifabd: from the desired state (config.h) and the
 * kernel's actual state, the ordered operations that turn one into the
 * other. Pure: it reads both and writes a plan, and nothing else, so that
 * every decision can be tested on the host.
 *
 * What it changes, and what it leaves alone:
 * - A partition is kept when it exists under the same name with the same
 *   tenant (and the topology stays). Its members change by "partition set
 *   add/del", its network namespace by "partition netns"; a partition
 *   whose definition did not change gets no operation at all. The kernel
 *   cannot change a partition's tenant, so a new tenant, like a new name,
 *   means delete and add.
 * - A topology load is planned only when the configuration has a topology
 *   that differs from the kernel's (as sets: the order of entries and the
 *   order of a link's two ends do not matter). The kernel refuses it while
 *   any partition exists, so then every partition and fence is deleted
 *   before it and added again after it; that disturbs every tenant, and
 *   the reasons say so.
 * - Link degrade thresholds are set where the kernel's differ from the
 *   configuration's; after a topology load, every link starts at the
 *   kernel's AIFABD_KERNEL_DEGRADE_PPM.
 *
 * The order, chosen so that each step is valid in the state the earlier
 * ones leave (a device in at most one partition, a fence only between two
 * existing partitions, a topology load only with no partition):
 *   1. fence del        fences no longer wanted, or whose partition goes
 *   2. partition set del  members leaving kept partitions
 *   3. partition del    partitions gone, renamed or with a new tenant
 *   4. topology load
 *   5. partition add    with their members and namespace in one request,
 *                       so that no device is ever reachable unbound
 *   6. partition netns  kept partitions whose tenant's namespace changed;
 *                       before members join, so that a joining device is
 *                       never open to the old namespace, and because the
 *                       kernel refuses a rebind while a member is open
 *   7. partition set add  members joining kept partitions, after every
 *                       removal, so that a device can move between them
 *   8. fence add
 *   9. link degrade-threshold set
 * Within a step, operations follow the kernel's order for what goes and
 * the configuration's for what comes, so that a plan is reproducible.
 */
#ifndef AIFABD_PLAN_H
#define AIFABD_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/aifab.h>

#include "../aifabctl/topo.h"
#include "config.h"

/* What a link's threshold is when the kernel creates it. */
#define AIFABD_KERNEL_DEGRADE_PPM	0U

typedef char aifabd_name_t[AIFAB_NAME_MAX];

/* A partition as the kernel has it. */
struct aifabd_actual_part {
	aifabd_name_t name;
	aifabd_name_t tenant;
	/*
	 * The name in /run/netns of the namespace it is bound to; "" when not
	 * bound. The filler gives a namespace with no such name a name no
	 * configuration can hold ("?"), so that it is rebound.
	 */
	aifabd_name_t netns;
	aifabd_name_t *devs;
	size_t ndevs;
};

struct aifabd_actual_fence {
	aifabd_name_t a;
	aifabd_name_t b;
};

struct aifabd_actual_link {
	aifabd_name_t name;
	uint32_t degrade_ppm;
	uint32_t state;			/* enum aifab_link_state; 0 unknown */
};

/* The kernel's state, from its dumps. */
struct aifabd_actual {
	struct aifabd_actual_part *parts;
	size_t nparts;
	struct aifabd_actual_fence *fences;
	size_t nfences;
	struct aifabd_actual_link *links;
	size_t nlinks;
	bool has_topo;			/* needed when the config has one */
	struct topo topo;
};

enum aifabd_op_type {
	AIFABD_OP_FENCE_DEL,
	AIFABD_OP_PART_SET_DEL,
	AIFABD_OP_PART_DEL,
	AIFABD_OP_TOPOLOGY_LOAD,	/* the configuration's topology */
	AIFABD_OP_PART_ADD,
	AIFABD_OP_PART_NETNS,
	AIFABD_OP_PART_SET_ADD,
	AIFABD_OP_FENCE_ADD,
	AIFABD_OP_LINK_DEGRADE,
};

struct aifabd_op {
	enum aifabd_op_type type;
	aifabd_name_t name;		/* partition, link, or fence's first */
	aifabd_name_t peer;		/* fence's second partition */
	aifabd_name_t tenant;		/* PART_ADD */
	aifabd_name_t netns;		/* PART_ADD, PART_NETNS; "" unbinds */
	aifabd_name_t *devs;		/* PART_ADD, PART_SET_ADD, _SET_DEL */
	size_t ndevs;
	uint32_t degrade_ppm;		/* LINK_DEGRADE */
	const struct topo *topo;	/* TOPOLOGY_LOAD: what is loaded,
					 * borrowed from the configuration (or,
					 * in a rollback, from the snapshot) */
	char *reason;			/* for the log */
};

struct aifabd_plan {
	struct aifabd_op *ops;
	size_t nops;
	size_t cap;
};

int aifabd_plan_build(const struct aifabd_config *cfg,
		      const struct aifabd_actual *act, struct aifabd_plan *plan,
		      char **errmsg);
void aifabd_plan_free(struct aifabd_plan *plan);
int aifabd_plan_print(FILE *f, const struct aifabd_plan *plan);
const char *aifabd_op_name(enum aifabd_op_type type);
void aifabd_op_print(FILE *f, const struct aifabd_op *op);

void aifabd_actual_free(struct aifabd_actual *act);

#endif /* AIFABD_PLAN_H */
