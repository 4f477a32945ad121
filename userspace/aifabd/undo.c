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

/*
 * Append the inverse of operation @index (@op): @inv as the builder filled
 * it in (type and whichever fields that type has), with @op's name and
 * peer, and a copy of the @n devices @devs. Every inverse is appended
 * here, so that the bookkeeping (the of[] index, the reason) is done once.
 */
static int undo_op(struct aifabd_undo *u, size_t index,
		   const struct aifabd_op *op, const struct aifabd_op *inv,
		   const aifabd_name_t *devs, size_t n)
{
	struct aifabd_plan *p = &u->plan;
	struct aifabd_op *o;

	if (aifab_grow(&p->ops, &p->cap, p->nops, sizeof(*o)) ||
	    aifab_grow(&u->of, &u->cap_of, p->nops, sizeof(*u->of)))
		return -ENOMEM;
	u->of[p->nops] = index;
	o = &p->ops[p->nops];
	*o = *inv;
	aifab_strscpy(o->name, op->name, sizeof(o->name));
	aifab_strscpy(o->peer, op->peer, sizeof(o->peer));
	if (asprintf(&o->reason, "undo of operation %zu", index + 1) < 0)
		return -ENOMEM;
	p->nops++;
	return undo_devs(o, devs, n);
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
	struct aifabd_op inv = { .type = AIFABD_OP_PART_ADD };

	if (!a)
		return undo_stuck(u, i, "partition %s was not in the snapshot",
				  op->name);
	if (!strcmp(a->netns, AIFABD_NETNS_UNKNOWN))
		return undo_stuck(u, i, "partition %s was bound to a network "
				  "namespace with no name in %s", op->name,
				  AIFABD_NETNS_DIR);
	aifab_strscpy(inv.tenant, a->tenant, sizeof(inv.tenant));
	aifab_strscpy(inv.netns, a->netns, sizeof(inv.netns));
	return undo_op(u, i, op, &inv, a->devs, a->ndevs);
}

static int undo_part_netns(struct aifabd_undo *u, size_t i,
			   const struct aifabd_op *op,
			   const struct aifabd_actual *act)
{
	const struct aifabd_actual_part *a = undo_act_part(act, op->name);
	struct aifabd_op inv = { .type = AIFABD_OP_PART_NETNS };

	if (!a || !strcmp(a->netns, AIFABD_NETNS_UNKNOWN))
		return undo_stuck(u, i, "the network namespace partition %s "
				  "had has no name in %s", op->name,
				  AIFABD_NETNS_DIR);
	aifab_strscpy(inv.netns, a->netns, sizeof(inv.netns));
	return undo_op(u, i, op, &inv, NULL, 0);
}

static int undo_degrade(struct aifabd_undo *u, size_t i,
			const struct aifabd_op *op,
			const struct aifabd_actual *act)
{
	const struct aifabd_actual_link *l = undo_act_link(act, op->name);
	struct aifabd_op inv = { .type = AIFABD_OP_LINK_DEGRADE };

	if (!l)
		return 0;	/* a new link: the topology undo removes it */
	inv.degrade_ppm = l->degrade_ppm;
	return undo_op(u, i, op, &inv, NULL, 0);
}

static int undo_topology(struct aifabd_undo *u, size_t i,
			 const struct aifabd_op *op,
			 const struct aifabd_actual *act)
{
	const struct aifabd_op inv = { .type = AIFABD_OP_TOPOLOGY_LOAD,
				       .topo = &act->topo };

	if (!act->has_topo)
		return undo_stuck(u, i, "the topology before the load was "
				  "not read");
	return undo_op(u, i, op, &inv, NULL, 0);
}

/* An RDMA device goes back where it came from. */
static int undo_rdma_netns(struct aifabd_undo *u, size_t i,
			   const struct aifabd_op *op)
{
	struct aifabd_op inv = { .type = AIFABD_OP_RDMA_NETNS };

	aifab_strscpy(inv.netns, op->from, sizeof(inv.netns));
	aifab_strscpy(inv.from, op->netns, sizeof(inv.from));
	aifab_strscpy(inv.ibdev, op->ibdev, sizeof(inv.ibdev));
	return undo_op(u, i, op, &inv, NULL, 0);
}

/* The simple inverses: one type for another, same names and devices. */
static int undo_swap(struct aifabd_undo *u, size_t i,
		     const struct aifabd_op *op, enum aifabd_op_type type)
{
	const struct aifabd_op inv = { .type = type };

	/* A partition del names the partition only. */
	return undo_op(u, i, op, &inv, op->devs,
		       type == AIFABD_OP_PART_DEL ? 0 : op->ndevs);
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
