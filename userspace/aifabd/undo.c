// SPDX-License-Identifier: GPL-2.0
/*
 * The inverse of applied operations, from the snapshot taken before they
 * were applied; see undo.h for the rules.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "snapshot.h"
#include "str.h"
#include "undo.h"

static const struct aifabd_actual_part *
undo_act_part(const struct aifabd_actual *act, const char *name)
{
	size_t i;

	for (i = 0; i < act->nparts; i++)
		if (!strcmp(act->parts[i].name, name))
			return &act->parts[i];
	return NULL;
}

static const struct aifabd_actual_link *
undo_act_link(const struct aifabd_actual *act, const char *name)
{
	size_t i;

	for (i = 0; i < act->nlinks; i++)
		if (!strcmp(act->links[i].name, name))
			return &act->links[i];
	return NULL;
}

/* Append a copy of @op's identity with type @type; devices not copied. */
static struct aifabd_op *undo_op(struct aifabd_undo *u, size_t index,
				 const struct aifabd_op *op,
				 enum aifabd_op_type type)
{
	struct aifabd_plan *p = &u->plan;
	struct aifabd_op *inv;

	if (aifab_grow(&p->ops, &p->cap, p->nops, sizeof(*inv)) ||
	    aifab_grow(&u->of, &u->cap_of, p->nops, sizeof(*u->of)))
		return NULL;
	u->of[p->nops] = index;
	inv = &p->ops[p->nops];
	*inv = (struct aifabd_op){ .type = type };
	aifab_strscpy(inv->name, op->name, sizeof(inv->name));
	aifab_strscpy(inv->peer, op->peer, sizeof(inv->peer));
	if (asprintf(&inv->reason, "undo of operation %zu", index + 1) < 0)
		return NULL;
	p->nops++;
	return inv;
}

static int undo_devs(struct aifabd_op *inv, const aifabd_name_t *devs,
		     size_t n)
{
	if (!n)
		return 0;
	size_t i;

	inv->devs = calloc(n, sizeof(*devs));
	if (!inv->devs)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		aifab_strscpy(inv->devs[i], devs[i], sizeof(*devs));
	inv->ndevs = n;
	return 0;
}

static int undo_stuck(struct aifabd_undo *u, size_t index, const char *fmt,
		      ...) __attribute__((format(printf, 3, 4)));

static int undo_stuck(struct aifabd_undo *u, size_t index, const char *fmt,
		      ...)
{
	va_list ap;
	int n;

	u->stuck = index;
	va_start(ap, fmt);
	n = vasprintf(&u->stuck_why, fmt, ap);
	va_end(ap);
	if (n < 0) {
		u->stuck_why = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* A deleted partition comes back as it was, or not at all. */
static int undo_part_del(struct aifabd_undo *u, size_t i,
			 const struct aifabd_op *op,
			 const struct aifabd_actual *act)
{
	const struct aifabd_actual_part *a = undo_act_part(act, op->name);
	struct aifabd_op *inv;

	if (!a)
		return undo_stuck(u, i, "partition %s was not in the snapshot",
				  op->name);
	if (!strcmp(a->netns, AIFABD_NETNS_UNKNOWN))
		return undo_stuck(u, i, "partition %s was bound to a network "
				  "namespace with no name in %s", op->name,
				  AIFABD_NETNS_DIR);
	inv = undo_op(u, i, op, AIFABD_OP_PART_ADD);
	if (!inv)
		return -ENOMEM;
	aifab_strscpy(inv->tenant, a->tenant, sizeof(inv->tenant));
	aifab_strscpy(inv->netns, a->netns, sizeof(inv->netns));
	return undo_devs(inv, a->devs, a->ndevs);
}

static int undo_part_netns(struct aifabd_undo *u, size_t i,
			   const struct aifabd_op *op,
			   const struct aifabd_actual *act)
{
	const struct aifabd_actual_part *a = undo_act_part(act, op->name);
	struct aifabd_op *inv;

	if (!a || !strcmp(a->netns, AIFABD_NETNS_UNKNOWN))
		return undo_stuck(u, i, "the network namespace partition %s "
				  "had has no name in %s", op->name,
				  AIFABD_NETNS_DIR);
	inv = undo_op(u, i, op, AIFABD_OP_PART_NETNS);
	if (!inv)
		return -ENOMEM;
	aifab_strscpy(inv->netns, a->netns, sizeof(inv->netns));
	return 0;
}

static int undo_degrade(struct aifabd_undo *u, size_t i,
			const struct aifabd_op *op,
			const struct aifabd_actual *act)
{
	const struct aifabd_actual_link *l = undo_act_link(act, op->name);
	struct aifabd_op *inv;

	if (!l)
		return 0;	/* a new link: the topology undo removes it */
	inv = undo_op(u, i, op, AIFABD_OP_LINK_DEGRADE);
	if (!inv)
		return -ENOMEM;
	inv->degrade_ppm = l->degrade_ppm;
	return 0;
}

static int undo_topology(struct aifabd_undo *u, size_t i,
			 const struct aifabd_op *op,
			 const struct aifabd_actual *act)
{
	struct aifabd_op *inv;

	if (!act->has_topo)
		return undo_stuck(u, i, "the topology before the load was "
				  "not read");
	inv = undo_op(u, i, op, AIFABD_OP_TOPOLOGY_LOAD);
	if (!inv)
		return -ENOMEM;
	inv->topo = &act->topo;
	return 0;
}

/* An RDMA device goes back where it came from. */
static int undo_rdma_netns(struct aifabd_undo *u, size_t i,
			   const struct aifabd_op *op)
{
	struct aifabd_op *inv = undo_op(u, i, op, AIFABD_OP_RDMA_NETNS);

	if (!inv)
		return -ENOMEM;
	aifab_strscpy(inv->netns, op->from, sizeof(inv->netns));
	aifab_strscpy(inv->from, op->netns, sizeof(inv->from));
	aifab_strscpy(inv->ibdev, op->ibdev, sizeof(inv->ibdev));
	return 0;
}

/* The simple inverses: one type for another, same names and devices. */
static int undo_swap(struct aifabd_undo *u, size_t i,
		     const struct aifabd_op *op, enum aifabd_op_type type)
{
	struct aifabd_op *inv = undo_op(u, i, op, type);

	if (!inv)
		return -ENOMEM;
	return type == AIFABD_OP_PART_DEL ? 0 :
	       undo_devs(inv, op->devs, op->ndevs);
}

static int undo_one(struct aifabd_undo *u, size_t i,
		    const struct aifabd_op *op,
		    const struct aifabd_actual *act)
{
	switch (op->type) {
	case AIFABD_OP_FENCE_ADD:
		return undo_swap(u, i, op, AIFABD_OP_FENCE_DEL);
	case AIFABD_OP_FENCE_DEL:
		return undo_swap(u, i, op, AIFABD_OP_FENCE_ADD);
	case AIFABD_OP_PART_ADD:
		return undo_swap(u, i, op, AIFABD_OP_PART_DEL);
	case AIFABD_OP_PART_SET_ADD:
		return undo_swap(u, i, op, AIFABD_OP_PART_SET_DEL);
	case AIFABD_OP_PART_SET_DEL:
		return undo_swap(u, i, op, AIFABD_OP_PART_SET_ADD);
	case AIFABD_OP_PART_DEL:
		return undo_part_del(u, i, op, act);
	case AIFABD_OP_PART_NETNS:
		return undo_part_netns(u, i, op, act);
	case AIFABD_OP_LINK_DEGRADE:
		return undo_degrade(u, i, op, act);
	case AIFABD_OP_TOPOLOGY_LOAD:
		return undo_topology(u, i, op, act);
	case AIFABD_OP_RDMA_NETNS:
		return undo_rdma_netns(u, i, op);
	}
	return -EINVAL;
}

/**
 * aifabd_undo_build() - The operations that undo the first ones of a plan.
 * @plan: The plan that was applied in part.
 * @done: How many of its operations were applied.
 * @act: The kernel's state before the apply, as the plan was made from.
 * @u: Filled in: the inverses from operation @done - 1 back, up to the
 *	first one without a known inverse (@u->stuck).
 *
 * Return: 0 (stuck or not), or -ENOMEM; @u is then empty.
 */
int aifabd_undo_build(const struct aifabd_plan *plan, size_t done,
		      const struct aifabd_actual *act, struct aifabd_undo *u)
{
	size_t i;
	int ret = 0;

	*u = (struct aifabd_undo){ .stuck = AIFABD_UNDO_NONE };
	for (i = done; !ret && i-- > 0 && u->stuck == AIFABD_UNDO_NONE;)
		ret = undo_one(u, i, &plan->ops[i], act);
	if (ret)
		aifabd_undo_free(u);
	return ret;
}

void aifabd_undo_free(struct aifabd_undo *u)
{
	aifabd_plan_free(&u->plan);
	free(u->of);
	free(u->stuck_why);
	*u = (struct aifabd_undo){ .stuck = AIFABD_UNDO_NONE };
}
