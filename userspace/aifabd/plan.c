// SPDX-License-Identifier: GPL-2.0
/*
 * The diff planner: desired state and kernel state in, ordered operations
 * out. The rules, and why the order is what it is, are in plan.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "fmt.h"
#include "plan.h"
#include "snapshot.h"
#include "str.h"

/* A plan being built. */
struct pb {
	const struct aifabd_config *cfg;
	const struct aifabd_actual *act;
	struct aifabd_plan *plan;
	bool topo_change;
	char *topo_why;			/* the first difference found */
	/* Per actual partition: why it is deleted, or NULL if it is kept. */
	char **gone;
};

static const char *const pb_op_names[] = {
	[AIFABD_OP_FENCE_DEL] = "fence del",
	[AIFABD_OP_PART_SET_DEL] = "partition set del",
	[AIFABD_OP_PART_DEL] = "partition del",
	[AIFABD_OP_TOPOLOGY_LOAD] = "topology load",
	[AIFABD_OP_PART_ADD] = "partition add",
	[AIFABD_OP_PART_NETNS] = "partition netns",
	[AIFABD_OP_PART_SET_ADD] = "partition set add",
	[AIFABD_OP_RDMA_NETNS] = "rdma dev set netns",
	[AIFABD_OP_FENCE_ADD] = "fence add",
	[AIFABD_OP_LINK_DEGRADE] = "link degrade-threshold",
};

const char *aifabd_op_name(enum aifabd_op_type type)
{
	return type < AIFAB_ARRAY_SIZE(pb_op_names) ? pb_op_names[type] : "?";
}

/**
 * pb_op() - Append an operation.
 * @pb: The plan being built.
 * @type: What it does.
 * @name: What it acts on.
 * @fmt: printf() format of its reason.
 * @...: Its arguments.
 *
 * Return: The operation, zeroed but for these, or NULL without memory.
 */
static struct aifabd_op *pb_op(struct pb *pb, enum aifabd_op_type type,
			       const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct aifabd_op *pb_op(struct pb *pb, enum aifabd_op_type type,
			       const char *name, const char *fmt, ...)
{
	struct aifabd_plan *plan = pb->plan;
	struct aifabd_op *op;
	va_list ap;
	int n;

	if (aifab_grow(&plan->ops, &plan->cap, plan->nops, sizeof(*op)))
		return NULL;
	op = &plan->ops[plan->nops];
	*op = (struct aifabd_op){ .type = type };
	aifab_strscpy(op->name, name, sizeof(op->name));
	va_start(ap, fmt);
	n = vasprintf(&op->reason, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	plan->nops++;
	return op;
}

static int pb_op_dev(struct aifabd_op *op, const char *dev)
{
	aifabd_name_t *devs = reallocarray(op->devs, op->ndevs + 1,
					   sizeof(*devs));

	if (!devs)
		return -ENOMEM;
	op->devs = devs;
	aifab_strscpy(devs[op->ndevs++], dev, sizeof(*devs));
	return 0;
}

/* "device accel2" or "devices accel2, accel3", for reasons. */
static char *pb_dev_list(const struct aifabd_op *op)
{
	char *s = NULL;
	size_t len, i;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return NULL;
	fprintf(f, "device%s ", op->ndevs > 1 ? "s" : "");
	for (i = 0; i < op->ndevs; i++)
		fprintf(f, "%s%s", i ? ", " : "", op->devs[i]);
	if (fclose(f)) {
		free(s);
		return NULL;
	}
	return s;
}

/* Topology comparison, as sets. */

static const struct topo_node *pb_node(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nnodes; i++)
		if (!strcmp(t->nodes[i].name, name))
			return &t->nodes[i];
	return NULL;
}

static const struct topo_dev *pb_dev(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ndevs; i++)
		if (!strcmp(t->devs[i].name, name))
			return &t->devs[i];
	return NULL;
}

static const struct topo_link *pb_link(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nlinks; i++)
		if (!strcmp(t->links[i].name, name))
			return &t->links[i];
	return NULL;
}

/* The fabric's links join a pair of devices, whichever way round. */
static bool pb_link_same(const struct topo_link *x, const struct topo_link *y)
{
	bool ends = (!strcmp(x->a, y->a) && !strcmp(x->b, y->b)) ||
		    (!strcmp(x->a, y->b) && !strcmp(x->b, y->a));

	return ends && x->kind == y->kind && x->speed_mbps == y->speed_mbps;
}

/* The first node of @want missing from or different in @have, if any. */
static bool pb_nodes_differ(const struct topo *want, const struct topo *have,
			    const char *verb, char **why)
{
	size_t i;

	for (i = 0; i < want->nnodes; i++) {
		const struct topo_node *n = &want->nodes[i];
		const struct topo_node *o = pb_node(have, n->name);

		if (!o || (verb && o->local != n->local)) {
			if (asprintf(why, "node %s %s", n->name,
				     o ? "changed" : verb ? verb :
				     "removed") < 0)
				*why = NULL;
			return true;
		}
	}
	return false;
}

static bool pb_devs_differ(const struct topo *want, const struct topo *have,
			   const char *verb, char **why)
{
	size_t i;

	for (i = 0; i < want->ndevs; i++) {
		const struct topo_dev *d = &want->devs[i];
		const struct topo_dev *o = pb_dev(have, d->name);

		if (!o || (verb && (o->type != d->type ||
				    strcmp(o->node, d->node) ||
				    o->mem_bytes != d->mem_bytes))) {
			if (asprintf(why, "device %s %s", d->name,
				     o ? "changed" : verb ? verb :
				     "removed") < 0)
				*why = NULL;
			return true;
		}
	}
	return false;
}

static bool pb_links_differ(const struct topo *want, const struct topo *have,
			    const char *verb, char **why)
{
	size_t i;

	for (i = 0; i < want->nlinks; i++) {
		const struct topo_link *l = &want->links[i];
		const struct topo_link *o = pb_link(have, l->name);

		if (!o || (verb && !pb_link_same(o, l))) {
			if (asprintf(why, "link %s %s", l->name,
				     o ? "changed" : verb ? verb :
				     "removed") < 0)
				*why = NULL;
			return true;
		}
	}
	return false;
}

/*
 * Whether two topologies differ, and the first difference: what the
 * configuration adds or changes, then (the same walk the other way round,
 * with no verb) what it removes.
 */
static bool pb_topo_differ(const struct topo *want, const struct topo *have,
			   char **why)
{
	return pb_nodes_differ(want, have, "added", why) ||
	       pb_devs_differ(want, have, "added", why) ||
	       pb_links_differ(want, have, "added", why) ||
	       pb_nodes_differ(have, want, NULL, why) ||
	       pb_devs_differ(have, want, NULL, why) ||
	       pb_links_differ(have, want, NULL, why);
}

/* Checks of what only the kernel's state can tell. */

static int pb_errf(char **errmsg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int pb_errf(char **errmsg, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(errmsg, fmt, ap);
	va_end(ap);
	if (n < 0) {
		*errmsg = NULL;
		return -ENOMEM;
	}
	return -EINVAL;
}

static bool pb_has_link(const struct aifabd_actual *act, const char *name)
{
	size_t i;

	for (i = 0; i < act->nlinks; i++)
		if (!strcmp(act->links[i].name, name))
			return true;
	return false;
}

/*
 * Without a topology of its own, the configuration can name devices and
 * links that the kernel lacks; the parser has checked them otherwise.
 */
static int pb_check_refs(const struct pb *pb, char **errmsg)
{
	const struct aifabd_config *cfg = pb->cfg;
	const struct aifabd_actual *act = pb->act;
	size_t i, j;

	if (cfg->has_topo)
		return 0;
	for (i = 0; act->has_topo && i < cfg->nparts; i++) {
		const struct aifabd_partition *p = &cfg->parts[i];

		for (j = 0; j < p->ndevs; j++)
			if (!pb_dev(&act->topo, p->devs[j].name))
				return pb_errf(errmsg, "%s:%u:%u: partition "
					       "\"%s\" has device \"%s\", "
					       "which the kernel does not have",
					       cfg->file, p->devs[j].pos.line,
					       p->devs[j].pos.col, p->name,
					       p->devs[j].name);
	}
	for (i = 0; i < cfg->health.nlinks; i++) {
		const struct aifabd_link_policy *l = &cfg->health.links[i];

		if (!pb_has_link(act, l->name))
			return pb_errf(errmsg, "%s:%u:%u: health of link "
				       "\"%s\", which the kernel does not "
				       "have", cfg->file, l->pos.line,
				       l->pos.col, l->name);
	}
	return 0;
}

/* Partitions. */

static bool pb_has_dev(const struct aifabd_partition *p, const char *dev)
{
	size_t i;

	for (i = 0; i < p->ndevs; i++)
		if (!strcmp(p->devs[i].name, dev))
			return true;
	return false;
}

static bool pb_act_has_dev(const struct aifabd_actual_part *p,
			   const char *dev)
{
	size_t i;

	for (i = 0; i < p->ndevs; i++)
		if (!strcmp(p->devs[i], dev))
			return true;
	return false;
}

static const struct aifabd_actual_part *
pb_act_part(const struct pb *pb, const char *name, size_t *index)
{
	size_t i;

	for (i = 0; i < pb->act->nparts; i++) {
		if (!strcmp(pb->act->parts[i].name, name)) {
			*index = i;
			return &pb->act->parts[i];
		}
	}
	return NULL;
}

/* Set pb->gone[@i] to why partition @i of the kernel goes, if it does. */
static int pb_judge(struct pb *pb, size_t i)
{
	const struct aifabd_actual_part *a = &pb->act->parts[i];
	const struct aifabd_partition *p =
		aifabd_config_partition(pb->cfg, a->name);
	int n = 0;

	if (!p)
		n = asprintf(&pb->gone[i], "not in the configuration");
	else if (strcmp(p->tenant.name, a->tenant))
		n = asprintf(&pb->gone[i], "tenant changes from %s to %s",
			     a->tenant, p->tenant.name);
	else if (pb->topo_change)
		n = asprintf(&pb->gone[i], "the topology changes");
	if (n < 0) {
		pb->gone[i] = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* The namespace the configuration binds partition @p to; "" for none. */
static const char *pb_netns(const struct pb *pb,
			    const struct aifabd_partition *p)
{
	const struct aifabd_tenant *t = aifabd_config_tenant(pb->cfg,
							     p->tenant.name);

	return t ? t->netns : "";
}

/* Is partition @name of the kernel kept? */
static bool pb_kept(const struct pb *pb, const char *name)
{
	size_t i;

	return pb_act_part(pb, name, &i) && !pb->gone[i];
}

/* Fences. */

static bool pb_fence_is(const char *a1, const char *b1, const char *a2,
			const char *b2)
{
	return (!strcmp(a1, a2) && !strcmp(b1, b2)) ||
	       (!strcmp(a1, b2) && !strcmp(b1, a2));
}

static bool pb_fence_wanted(const struct pb *pb,
			    const struct aifabd_actual_fence *f)
{
	size_t i;

	for (i = 0; i < pb->cfg->nfences; i++)
		if (pb_fence_is(pb->cfg->fences[i].a.name,
				pb->cfg->fences[i].b.name, f->a, f->b))
			return true;
	return false;
}

static bool pb_fence_exists(const struct pb *pb, const struct aifabd_fence *f)
{
	size_t i;

	for (i = 0; i < pb->act->nfences; i++)
		if (pb_fence_is(pb->act->fences[i].a, pb->act->fences[i].b,
				f->a.name, f->b.name))
			return true;
	return false;
}

/* The partition of a fence that goes, and why; NULL if both stay. */
static const char *pb_fence_gone(const struct pb *pb, const char *a,
				 const char *b, const char **which)
{
	size_t i;

	if (pb_act_part(pb, a, &i) && pb->gone[i]) {
		*which = a;
		return pb->gone[i];
	}
	if (pb_act_part(pb, b, &i) && pb->gone[i]) {
		*which = b;
		return pb->gone[i];
	}
	return NULL;
}

/* Step 1: fences no longer wanted, or whose partition goes. */
static int pb_fence_dels(struct pb *pb)
{
	size_t i;

	for (i = 0; i < pb->act->nfences; i++) {
		const struct aifabd_actual_fence *f = &pb->act->fences[i];
		const char *which = NULL;
		const char *why = pb_fence_gone(pb, f->a, f->b, &which);
		struct aifabd_op *op;

		if (!pb_fence_wanted(pb, f))
			op = pb_op(pb, AIFABD_OP_FENCE_DEL, f->a,
				   "fence %s-%s: not in the configuration",
				   f->a, f->b);
		else if (why)
			op = pb_op(pb, AIFABD_OP_FENCE_DEL, f->a,
				   "fence %s-%s: partition %s is deleted (%s)",
				   f->a, f->b, which, why);
		else
			continue;
		if (!op)
			return -ENOMEM;
		aifab_strscpy(op->peer, f->b, sizeof(op->peer));
	}
	return 0;
}

/* Give @op's reason the list of its devices: "partition red: device ..." */
static int pb_reason_devs(struct aifabd_op *op, const char *what)
{
	char *list = pb_dev_list(op);
	char *reason;

	if (!list)
		return -ENOMEM;
	if (asprintf(&reason, "partition %s: %s %s", op->name, list,
		     what) < 0) {
		free(list);
		return -ENOMEM;
	}
	free(list);
	free(op->reason);
	op->reason = reason;
	return 0;
}

/* Step 2: members leaving kept partitions. */
static int pb_set_dels(struct pb *pb)
{
	size_t i, j;

	for (i = 0; i < pb->act->nparts; i++) {
		const struct aifabd_actual_part *a = &pb->act->parts[i];
		const struct aifabd_partition *p;
		struct aifabd_op *op = NULL;

		if (pb->gone[i])
			continue;
		p = aifabd_config_partition(pb->cfg, a->name);
		for (j = 0; j < a->ndevs; j++) {
			if (pb_has_dev(p, a->devs[j]))
				continue;
			if (!op)
				op = pb_op(pb, AIFABD_OP_PART_SET_DEL, a->name,
					   "partition %s", a->name);
			if (!op || pb_op_dev(op, a->devs[j]))
				return -ENOMEM;
		}
		if (op && pb_reason_devs(op, "removed"))
			return -ENOMEM;
	}
	return 0;
}

/* Step 3. */
static int pb_part_dels(struct pb *pb)
{
	size_t i;

	for (i = 0; i < pb->act->nparts; i++) {
		const struct aifabd_actual_part *a = &pb->act->parts[i];

		if (pb->gone[i] &&
		    !pb_op(pb, AIFABD_OP_PART_DEL, a->name, "partition %s: %s",
			   a->name, pb->gone[i]))
			return -ENOMEM;
	}
	return 0;
}

/* Step 4. */
static int pb_topology(struct pb *pb)
{
	struct aifabd_op *op;

	if (!pb->topo_change)
		return 0;
	if (!pb->topo_why)
		return -ENOMEM;
	op = pb_op(pb, AIFABD_OP_TOPOLOGY_LOAD, "",
		   "topology: differs from the kernel's (%s)", pb->topo_why);
	if (!op)
		return -ENOMEM;
	op->topo = &pb->cfg->topo;
	return 0;
}

/* Step 5: partitions new, or deleted in step 3 and made again. */
static int pb_part_add(struct pb *pb, const struct aifabd_partition *p)
{
	struct aifabd_op *op;
	size_t i;

	if (pb_act_part(pb, p->name, &i))
		op = pb_op(pb, AIFABD_OP_PART_ADD, p->name,
			   "partition %s: recreated (%s)", p->name,
			   pb->gone[i]);
	else
		op = pb_op(pb, AIFABD_OP_PART_ADD, p->name,
			   "partition %s: new", p->name);
	if (!op)
		return -ENOMEM;
	aifab_strscpy(op->tenant, p->tenant.name, sizeof(op->tenant));
	aifab_strscpy(op->netns, pb_netns(pb, p), sizeof(op->netns));
	for (i = 0; i < p->ndevs; i++)
		if (pb_op_dev(op, p->devs[i].name))
			return -ENOMEM;
	return 0;
}

static int pb_part_adds(struct pb *pb)
{
	size_t i;

	for (i = 0; i < pb->cfg->nparts; i++) {
		const struct aifabd_partition *p = &pb->cfg->parts[i];

		if (!pb_kept(pb, p->name) && pb_part_add(pb, p))
			return -ENOMEM;
	}
	return 0;
}

/* Step 6: kept partitions whose tenant's namespace changed. */
static int pb_netns_changes(struct pb *pb)
{
	size_t i, j;

	for (i = 0; i < pb->cfg->nparts; i++) {
		const struct aifabd_partition *p = &pb->cfg->parts[i];
		const struct aifabd_actual_part *a = pb_act_part(pb, p->name,
								 &j);
		const char *netns = pb_netns(pb, p);
		struct aifabd_op *op;

		if (!a || pb->gone[j] || !strcmp(a->netns, netns))
			continue;
		if (!*netns)
			op = pb_op(pb, AIFABD_OP_PART_NETNS, p->name,
				   "partition %s: unbound, was netns %s",
				   p->name, a->netns);
		else if (!*a->netns)
			op = pb_op(pb, AIFABD_OP_PART_NETNS, p->name,
				   "partition %s: bound to netns %s, was "
				   "unbound", p->name, netns);
		else
			op = pb_op(pb, AIFABD_OP_PART_NETNS, p->name,
				   "partition %s: bound to netns %s, was %s",
				   p->name, netns, a->netns);
		if (!op)
			return -ENOMEM;
		aifab_strscpy(op->netns, netns, sizeof(op->netns));
	}
	return 0;
}

/* Step 7: members joining kept partitions. */
static int pb_set_adds(struct pb *pb)
{
	size_t i, j, k;

	for (i = 0; i < pb->cfg->nparts; i++) {
		const struct aifabd_partition *p = &pb->cfg->parts[i];
		const struct aifabd_actual_part *a = pb_act_part(pb, p->name,
								 &k);
		struct aifabd_op *op = NULL;

		if (!a || pb->gone[k])
			continue;
		for (j = 0; j < p->ndevs; j++) {
			if (pb_act_has_dev(a, p->devs[j].name))
				continue;
			if (!op)
				op = pb_op(pb, AIFABD_OP_PART_SET_ADD, p->name,
					   "partition %s", p->name);
			if (!op || pb_op_dev(op, p->devs[j].name))
				return -ENOMEM;
		}
		if (op && pb_reason_devs(op, "added"))
			return -ENOMEM;
	}
	return 0;
}

/* Step 8: RDMA devices' network namespaces; see plan.h. */

static int pb_note(struct pb *pb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int pb_note(struct pb *pb, const char *fmt, ...)
{
	struct aifabd_plan *plan = pb->plan;
	char **notes, *s;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	notes = reallocarray(plan->notes, plan->nnotes + 1, sizeof(*notes));
	if (!notes) {
		free(s);
		return -ENOMEM;
	}
	plan->notes = notes;
	notes[plan->nnotes++] = s;
	return 0;
}

/* The configuration's partition of device @dev, or NULL. */
static const struct aifabd_partition *pb_part_of(const struct pb *pb,
						 const char *dev)
{
	size_t i;

	for (i = 0; i < pb->cfg->nparts; i++)
		if (pb_has_dev(&pb->cfg->parts[i], dev))
			return &pb->cfg->parts[i];
	return NULL;
}

/* Where the device of @p belongs: its tenant's netns, or home (""). */
static const char *pb_rdma_want(const struct pb *pb,
				const struct aifabd_partition *p)
{
	return p ? pb_netns(pb, p) : "";
}

/* "netns acme" or "the initial netns", for reasons. */
static void pb_ns_what(const char *netns, char *buf, size_t len)
{
	if (*netns)
		aifab_fmt(buf, len, "netns %s", netns);
	else
		aifab_fmt(buf, len, "the initial netns");
}

static int pb_rdma_move(struct pb *pb, const struct aifabd_rdma_dev *d)
{
	const struct aifabd_partition *p = pb_part_of(pb, d->dev);
	const char *want = pb_rdma_want(pb, p);
	char from[AIFAB_NAME_MAX + 8];
	struct aifabd_op *op;

	if (!strcmp(d->netns, want))
		return 0;
	if (!strcmp(d->netns, AIFABD_NETNS_UNKNOWN))
		return pb_note(pb, "rdma: device %s (%s) is in a network "
			       "namespace with no name in %s; left there",
			       d->dev, d->ibdev, AIFABD_NETNS_DIR);
	pb_ns_what(d->netns, from, sizeof(from));
	if (*want)
		op = pb_op(pb, AIFABD_OP_RDMA_NETNS, d->dev, "device %s (%s) "
			   "of partition %s: into tenant %s's netns %s, from "
			   "%s", d->dev, d->ibdev, p->name, p->tenant.name,
			   want, from);
	else if (p)
		op = pb_op(pb, AIFABD_OP_RDMA_NETNS, d->dev, "device %s (%s) "
			   "of partition %s: back to the initial netns from "
			   "%s, tenant %s has none", d->dev, d->ibdev, p->name, from,
			   p->tenant.name);
	else
		op = pb_op(pb, AIFABD_OP_RDMA_NETNS, d->dev, "device %s (%s): "
			   "back to the initial netns from %s, in no "
			   "partition", d->dev, d->ibdev,
			   from);
	if (!op)
		return -ENOMEM;
	aifab_strscpy(op->netns, want, sizeof(op->netns));
	aifab_strscpy(op->from, d->netns, sizeof(op->from));
	aifab_strscpy(op->ibdev, d->ibdev, sizeof(op->ibdev));
	return 0;
}

/* Shared mode: say which devices stay visible to every namespace. */
static int pb_rdma_shared(struct pb *pb, const struct aifabd_rdma_dev *d)
{
	const struct aifabd_partition *p = pb_part_of(pb, d->dev);
	const char *want = pb_rdma_want(pb, p);

	if (!*want)
		return 0;
	return pb_note(pb, "rdma: device %s of partition %s stays in every "
		       "network namespace, not only tenant %s's netns %s: the "
		       "RDMA subsystem's netns mode is shared (\"rdma system "
		       "set netns exclusive\" lets it move)", d->dev, p->name,
		       p->tenant.name, want);
}

static int pb_rdma_moves(struct pb *pb)
{
	const struct aifabd_actual *act = pb->act;
	int (*one)(struct pb *pb, const struct aifabd_rdma_dev *d);
	size_t i;
	int ret = 0;

	if (act->rdma_mode == AIFABD_RDMA_SHARED)
		one = pb_rdma_shared;
	else if (act->rdma_mode != AIFABD_RDMA_EXCLUSIVE || !act->nrdma)
		return 0;
	else if (pb->topo_change)
		return pb_note(pb, "rdma: the topology changes, so the RDMA "
			       "devices' namespaces are planned after the load");
	else
		one = pb_rdma_move;
	for (i = 0; !ret && i < act->nrdma; i++)
		ret = one(pb, &act->rdma[i]);
	return ret;
}

/* Step 9: fences new, or deleted in step 1 and restored. */
static int pb_fence_adds(struct pb *pb)
{
	size_t i;

	for (i = 0; i < pb->cfg->nfences; i++) {
		const struct aifabd_fence *f = &pb->cfg->fences[i];
		const char *which = NULL;
		const char *why = pb_fence_gone(pb, f->a.name, f->b.name,
						&which);
		struct aifabd_op *op;

		if (!pb_fence_exists(pb, f))
			op = pb_op(pb, AIFABD_OP_FENCE_ADD, f->a.name,
				   "fence %s-%s: new", f->a.name, f->b.name);
		else if (why)
			op = pb_op(pb, AIFABD_OP_FENCE_ADD, f->a.name,
				   "fence %s-%s: restored, partition %s was "
				   "recreated", f->a.name, f->b.name, which);
		else
			continue;
		if (!op)
			return -ENOMEM;
		aifab_strscpy(op->peer, f->b.name, sizeof(op->peer));
	}
	return 0;
}

static int pb_degrade(struct pb *pb, const char *link, uint32_t have)
{
	uint32_t want = aifabd_config_degrade_ppm(pb->cfg, link);
	struct aifabd_op *op;

	if (want == have)
		return 0;
	op = pb_op(pb, AIFABD_OP_LINK_DEGRADE, link, "link %s: degrade "
		   "threshold %u ppm, was %u", link, want, have);
	if (!op)
		return -ENOMEM;
	op->degrade_ppm = want;
	return 0;
}

/* Step 10: over the links the kernel will have once the load is done. */
static int pb_degrades(struct pb *pb)
{
	size_t i;
	int ret = 0;

	if (pb->topo_change) {
		for (i = 0; !ret && i < pb->cfg->topo.nlinks; i++)
			ret = pb_degrade(pb, pb->cfg->topo.links[i].name,
					 AIFABD_KERNEL_DEGRADE_PPM);
		return ret;
	}
	for (i = 0; !ret && i < pb->act->nlinks; i++)
		ret = pb_degrade(pb, pb->act->links[i].name,
				 pb->act->links[i].degrade_ppm);
	return ret;
}

static int pb_steps(struct pb *pb)
{
	static int (*const steps[])(struct pb *pb) = {
		pb_fence_dels, pb_set_dels, pb_part_dels, pb_topology,
		pb_part_adds, pb_netns_changes, pb_set_adds, pb_rdma_moves,
		pb_fence_adds, pb_degrades,
	};
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < pb->act->nparts; i++)
		ret = pb_judge(pb, i);
	for (i = 0; !ret && i < AIFAB_ARRAY_SIZE(steps); i++)
		ret = steps[i](pb);
	return ret;
}

/**
 * aifabd_plan_build() - Plan the changes from the kernel's state to the
 *	configuration's.
 * @cfg: The desired state, checked by the parser.
 * @act: The kernel's state; its topology is needed if @cfg has one.
 * @plan: Filled with the operations, in order; empty when there is nothing
 *        to do, and on failure.
 * @errmsg: On -EINVAL, set to why the plan cannot be made (for instance,
 *          "FILE:LINE:COLUMN: ..." for a device the kernel lacks); to
 *          free().
 *
 * Return: 0, -EINVAL, or -ENOMEM.
 */
int aifabd_plan_build(const struct aifabd_config *cfg,
		      const struct aifabd_actual *act, struct aifabd_plan *plan,
		      char **errmsg)
{
	struct pb pb = { cfg, act, plan, false, NULL, NULL };
	size_t i;
	int ret;

	*plan = (struct aifabd_plan){ 0 };
	*errmsg = NULL;
	if (cfg->has_topo && !act->has_topo)
		return pb_errf(errmsg, "%s: has a topology, and the kernel's "
			       "is needed to compare it with", cfg->file);
	ret = pb_check_refs(&pb, errmsg);
	if (ret)
		return ret;
	pb.topo_change = cfg->has_topo &&
			 pb_topo_differ(&cfg->topo, &act->topo, &pb.topo_why);
	pb.gone = calloc(act->nparts ? act->nparts : 1, sizeof(*pb.gone));
	ret = pb.gone ? pb_steps(&pb) : -ENOMEM;
	for (i = 0; pb.gone && i < act->nparts; i++)
		free(pb.gone[i]);
	free(pb.gone);
	free(pb.topo_why);
	if (ret)
		aifabd_plan_free(plan);
	return ret;
}

void aifabd_plan_free(struct aifabd_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nops; i++) {
		free(plan->ops[i].devs);
		free(plan->ops[i].reason);
	}
	for (i = 0; i < plan->nnotes; i++)
		free(plan->notes[i]);
	free(plan->notes);
	free(plan->ops);
	*plan = (struct aifabd_plan){ 0 };
}

static void pb_print_devs(FILE *f, const struct aifabd_op *op,
			  const char *prefix)
{
	size_t i;

	if (op->ndevs)
		fputs(prefix, f);
	for (i = 0; i < op->ndevs; i++)
		fprintf(f, " %s", op->devs[i]);
}

/**
 * aifabd_op_print() - Print one operation, in aifabctl's grammar.
 * @f: Stream.
 * @op: The operation; no newline follows it.
 */
void aifabd_op_print(FILE *f, const struct aifabd_op *op)
{
	switch (op->type) {
	case AIFABD_OP_FENCE_DEL:
	case AIFABD_OP_FENCE_ADD:
		fprintf(f, "%s %s %s", aifabd_op_name(op->type), op->name,
			op->peer);
		break;
	case AIFABD_OP_PART_SET_DEL:
	case AIFABD_OP_PART_SET_ADD:
		fprintf(f, "partition set %s %s", op->name,
			op->type == AIFABD_OP_PART_SET_ADD ? "add" : "del");
		pb_print_devs(f, op, " dev");
		break;
	case AIFABD_OP_PART_DEL:
		fprintf(f, "partition del %s", op->name);
		break;
	case AIFABD_OP_TOPOLOGY_LOAD:
		fputs("topology load", f);
		break;
	case AIFABD_OP_PART_ADD:
		fprintf(f, "partition add %s tenant %s", op->name, op->tenant);
		pb_print_devs(f, op, " dev");
		if (*op->netns)
			fprintf(f, " netns %s", op->netns);
		break;
	case AIFABD_OP_PART_NETNS:
		fprintf(f, "partition set %s netns %s", op->name,
			*op->netns ? op->netns : "none");
		break;
	case AIFABD_OP_LINK_DEGRADE:
		fprintf(f, "link set %s degrade-threshold %u", op->name,
			op->degrade_ppm);
		break;
	case AIFABD_OP_RDMA_NETNS:
		/* rdma(8)'s command, as typed in the namespace it leaves. */
		fprintf(f, "rdma dev set %s netns %s",
			*op->ibdev ? op->ibdev : op->name,
			*op->netns ? op->netns : AIFABD_NETNS_HOME);
		break;
	}
}

/**
 * aifabd_plan_print() - Write a plan, one operation a line.
 * @f: Where to.
 * @plan: The plan.
 *
 * Each line is the operation in aifabctl's grammar, then "  # " and its
 * reason; an empty plan is "nothing to change".
 *
 * Return: 0, or -EIO if writing failed.
 */
int aifabd_plan_print(FILE *f, const struct aifabd_plan *plan)
{
	size_t i;

	if (!plan->nops)
		fputs("nothing to change\n", f);
	for (i = 0; i < plan->nops; i++) {
		aifabd_op_print(f, &plan->ops[i]);
		fprintf(f, "  # %s\n", plan->ops[i].reason);
	}
	return fflush(f) || ferror(f) ? -EIO : 0;
}

/**
 * aifabd_actual_free() - Release a snapshot of the kernel's state.
 * @act: Snapshot; left empty.
 */
void aifabd_actual_free(struct aifabd_actual *act)
{
	size_t i;

	for (i = 0; i < act->nparts; i++)
		free(act->parts[i].devs);
	free(act->parts);
	free(act->fences);
	free(act->links);
	free(act->rdma);
	topo_free(&act->topo);
	*act = (struct aifabd_actual){ 0 };
}
