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
 *   8. rdma dev set netns  RDMA devices whose network namespace is not
 *                       where the configuration puts them (below)
 *   9. fence add
 *  10. link degrade-threshold set
 * Within a step, operations follow the kernel's order for what goes and
 * the configuration's for what comes, so that a plan is reproducible.
 *
 * RDMA namespaces (step 8). When the RDMA subsystem's netns mode is
 * exclusive, an EFA device (aifab_efaN) of a partition whose tenant has a
 * netns belongs in that namespace, and every other one in the initial
 * namespace, "home" (where ib_core registers it, and where it returns when
 * its namespace is deleted). Each device not where it belongs is moved,
 * after every partition step: the kernel refuses to rebind or remove a
 * device that is open (EBUSY), so a device is moved only once its
 * partition's binding has changed, and a move never cuts off a tenant's
 * running job that the partition change itself would have refused. A
 * device moving in was unbound until that moment and visible nowhere else,
 * so nobody has it open; one moving home may have been opened since it
 * left its partition, and that process is cut off (ib_core disassociates
 * it), as it no longer belongs to the tenant. In shared mode nothing moves;
 * the plan's notes say why. A plan with a topology load moves nothing:
 * the load may register devices anew, so the reconcile plans again after
 * it (reconcile.h).
 */
#ifndef AIFABD_PLAN_H
#define AIFABD_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/aifab.h>

#include "topo.h"
#include "config.h"
#include "rdma_nl.h"

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
	bool admin_down;		/* for health; the planner leaves the
					 * admin state to it */
};

struct aifabd_actual_fence {
	aifabd_name_t a;
	aifabd_name_t b;
};

struct aifabd_actual_link {
	aifabd_name_t name;
	uint32_t degrade_ppm;
	uint32_t state;			/* enum aifab_link_state, 0 unknown;
					 * for health, not the planner */
};

/* The initial network namespace, as plans print it and moves open it. */
#define AIFABD_NETNS_HOME	"/proc/1/ns/net"

/* What the snapshot learned of the RDMA subsystem's namespace mode. */
enum aifabd_rdma_mode {
	AIFABD_RDMA_UNREAD,		/* not read: plan no move */
	AIFABD_RDMA_ABSENT,		/* no RDMA subsystem */
	AIFABD_RDMA_SHARED,
	AIFABD_RDMA_EXCLUSIVE,
};

/* A local EFA device and its RDMA device. */
struct aifabd_rdma_dev {
	aifabd_name_t dev;		/* the fabric's name: efa0 */
	uint32_t id;			/* the fabric's id */
	char ibdev[AIFAB_RDMA_NAME_MAX];	/* aifab_efa0; "" unknown */
	/*
	 * Exclusive mode: the name in /run/netns of the namespace it is in,
	 * "" for the initial one, or AIFABD_NETNS_UNKNOWN ("?") when it was
	 * seen in none of these. Shared mode: "".
	 */
	aifabd_name_t netns;
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
	enum aifabd_rdma_mode rdma_mode;
	struct aifabd_rdma_dev *rdma;	/* local EFA devices, in the fabric's
					 * order */
	size_t nrdma;
};

enum aifabd_op_type {
	AIFABD_OP_FENCE_DEL,
	AIFABD_OP_PART_SET_DEL,
	AIFABD_OP_PART_DEL,
	AIFABD_OP_TOPOLOGY_LOAD,	/* the configuration's topology */
	AIFABD_OP_PART_ADD,
	AIFABD_OP_PART_NETNS,
	AIFABD_OP_PART_SET_ADD,
	AIFABD_OP_RDMA_NETNS,
	AIFABD_OP_FENCE_ADD,
	AIFABD_OP_LINK_DEGRADE,
};

struct aifabd_op {
	enum aifabd_op_type type;
	aifabd_name_t name;		/* partition, link, or fence's first */
	aifabd_name_t peer;		/* fence's second partition */
	aifabd_name_t tenant;		/* PART_ADD */
	aifabd_name_t netns;		/* PART_ADD, PART_NETNS; "" unbinds;
					 * RDMA_NETNS: where to, "" home */
	aifabd_name_t from;		/* RDMA_NETNS: where from, "" home */
	char ibdev[AIFAB_RDMA_NAME_MAX];	/* RDMA_NETNS: for the log */
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
	/* What the plan leaves alone on purpose, and why; logged at info. */
	char **notes;
	size_t nnotes;
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
