// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd's apply: each plan operation becomes the request aifabctl would
 * send for the same command (see the grammar in aifabd_op_print()), so that
 * the kernel refuses or accepts exactly what an operator typing it would
 * see. A refused operation rolls back the ones before it: see apply.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/aifab.h>

#include "apply.h"
#include "nl.h"
#include "rdma_netns.h"
#include "snapshot.h"
#include "str.h"

static int apply_devs(struct aifab_nl_req *req, uint16_t type,
		      const struct aifabd_op *op)
{
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < op->ndevs; i++)
		ret = aifab_nl_req_str(req, type, op->devs[i]);
	return ret;
}

/*
 * The kernel takes a namespace by fd; "" unbinds (-1) where the command
 * allows it, and a PARTITION_NEW without the attribute is unbound.
 */
static int apply_netns(struct aifab_nl_req *req, int *nsfd,
		       const char *netns, bool unbind)
{
	int dir;

	if (!*netns)
		return unbind ? aifab_nl_req_u32(req, AIFAB_A_PARTITION_NETNS_FD,
						 (uint32_t)-1) : 0;
	dir = open(AIFABD_NETNS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -errno;
	*nsfd = openat(dir, netns, O_RDONLY | O_CLOEXEC);
	close(dir);
	if (*nsfd < 0)
		return -errno;
	return aifab_nl_req_u32(req, AIFAB_A_PARTITION_NETNS_FD,
				(uint32_t)*nsfd);
}

static int apply_part_op(const struct aifabd_op *op, struct aifab_nl_req *req,
			 int *nsfd)
{
	int ret;

	switch (op->type) {
	case AIFABD_OP_PART_DEL:
		aifab_nl_req_init(req, AIFAB_CMD_PARTITION_DEL, false);
		return aifab_nl_req_str(req, AIFAB_A_PARTITION_NAME, op->name);
	case AIFABD_OP_PART_ADD:
		/* Members and namespace in one request: never reachable unbound. */
		aifab_nl_req_init(req, AIFAB_CMD_PARTITION_NEW, false);
		ret = aifab_nl_req_str(req, AIFAB_A_PARTITION_NAME, op->name);
		if (!ret)
			ret = aifab_nl_req_str(req, AIFAB_A_PARTITION_TENANT,
					       op->tenant);
		if (!ret)
			ret = apply_netns(req, nsfd, op->netns, false);
		return ret ? ret : apply_devs(req, AIFAB_A_PARTITION_DEV, op);
	case AIFABD_OP_PART_NETNS:
		aifab_nl_req_init(req, AIFAB_CMD_PARTITION_SET, false);
		ret = aifab_nl_req_str(req, AIFAB_A_PARTITION_NAME, op->name);
		return ret ? ret : apply_netns(req, nsfd, op->netns, true);
	default:
		break;
	}
	aifab_nl_req_init(req, AIFAB_CMD_PARTITION_SET, false);
	ret = aifab_nl_req_str(req, AIFAB_A_PARTITION_NAME, op->name);
	return ret ? ret : apply_devs(req, op->type == AIFABD_OP_PART_SET_ADD ?
				      AIFAB_A_PARTITION_DEV_ADD :
				      AIFAB_A_PARTITION_DEV_DEL, op);
}

/**
 * aifabd_apply_req() - The request of one operation.
 * @op: Any operation but the topology load, which needs a built message.
 * @req: Filled in.
 * @nsfd: Set to the namespace file the request refers to, which must stay
 *	open until it is sent, or to -1.
 *
 * Return: 0, -EINVAL for a topology load or an RDMA move (which are no
 * aifab request), -E2BIG when it has too many devices, or the errno of
 * opening /run/netns/NAME.
 */
int aifabd_apply_req(const struct aifabd_op *op, struct aifab_nl_req *req,
		     int *nsfd)
{
	int ret;

	*nsfd = -1;

	switch (op->type) {
	case AIFABD_OP_FENCE_DEL:
	case AIFABD_OP_FENCE_ADD:
		aifab_nl_req_init(req, op->type == AIFABD_OP_FENCE_ADD ?
				  AIFAB_CMD_FENCE_NEW : AIFAB_CMD_FENCE_DEL,
				  false);
		ret = aifab_nl_req_str(req, AIFAB_A_FENCE_PART_A, op->name);
		return ret ? ret : aifab_nl_req_str(req, AIFAB_A_FENCE_PART_B,
						    op->peer);
	case AIFABD_OP_LINK_DEGRADE:
		aifab_nl_req_init(req, AIFAB_CMD_LINK_SET, false);
		ret = aifab_nl_req_str(req, AIFAB_A_LINK_NAME, op->name);
		return ret ? ret : aifab_nl_req_u32(req,
						    AIFAB_A_LINK_DEGRADE_PPM,
						    op->degrade_ppm);
	case AIFABD_OP_TOPOLOGY_LOAD:
	case AIFABD_OP_RDMA_NETNS:
		return -EINVAL;
	default:
		return apply_part_op(op, req, nsfd);
	}
}

static int apply_topology(struct aifab_nl *nl, const struct topo *topo,
			  bool *sent)
{
	struct aifab_nl_msg m = { 0 };
	int ret;

	ret = topo_build(topo, &m);
	if (!ret) {
		*sent = true;
		ret = aifab_nl_exec_msg(nl, &m, NULL, NULL);
	}
	aifab_nl_msg_free(&m);
	return ret;
}

/* @sent says whether the kernel saw it, and so whether it may have spoken. */
static int apply_one(struct aifab_nl *nl, const struct aifabd_op *op,
		     bool *sent)
{
	struct aifab_nl_req *req;
	int ret, nsfd;

	*sent = false;
	if (op->type == AIFABD_OP_TOPOLOGY_LOAD)
		return op->topo ? apply_topology(nl, op->topo, sent) : -EINVAL;
	/* A request description is too large for the stack. */
	req = calloc(1, sizeof(*req));
	if (!req)
		return -ENOMEM;
	ret = aifabd_apply_req(op, req, &nsfd);
	if (!ret) {
		*sent = true;
		ret = aifab_nl_exec(nl, req, NULL, NULL);
	}
	if (nsfd >= 0)
		close(nsfd);
	free(req);
	return ret;
}

/*
 * An operation that cannot even be sent (a namespace file gone, no memory)
 * counts as failed like one the kernel refused, with no kernel message.
 */
static int apply_nl_exec(void *priv, const struct aifabd_op *op, char *msg,
			 size_t msglen)
{
	struct aifab_nl *nl = priv;
	const char *kmsg;
	bool sent;
	int ret;

	*msg = '\0';
	if (op->type == AIFABD_OP_RDMA_NETNS)
		return aifabd_rdma_move(nl, op, msg, msglen);
	ret = apply_one(nl, op, &sent);
	kmsg = ret && sent ? aifab_nl_errmsg(nl) : NULL;
	if (kmsg)
		aifab_strscpy(msg, kmsg, msglen);
	return ret;
}

/**
 * aifabd_apply_nl_ops() - The operations table that talks to the kernel.
 * @nl: Open netlink client, with CAP_NET_ADMIN; must outlive @ops.
 * @ops: Filled in.
 */
void aifabd_apply_nl_ops(struct aifab_nl *nl, struct aifabd_apply_ops *ops)
{
	ops->exec = apply_nl_exec;
	ops->priv = nl;
}

/**
 * aifabd_apply() - Carry out a plan, stopping at the first failure.
 * @ops: How operations reach the kernel.
 * @plan: The operations, in order.
 * @res: Filled in: how many were applied, and why the next one failed.
 *
 * Return: 0 when every operation was applied, else @res->err.
 */
int aifabd_apply(const struct aifabd_apply_ops *ops,
		 const struct aifabd_plan *plan,
		 struct aifabd_apply_result *res)
{
	*res = (struct aifabd_apply_result){ 0 };
	for (; res->done < plan->nops; res->done++) {
		res->err = ops->exec(ops->priv, &plan->ops[res->done],
				     res->msg, sizeof(res->msg));
		if (res->err)
			return res->err;
		res->msg[0] = '\0';
	}
	return 0;
}

/**
 * aifabd_apply_rollback() - Undo what a failed apply did.
 * @ops: How operations reach the kernel.
 * @plan: The plan that failed.
 * @act: The snapshot @plan was made from.
 * @res: How the apply ended; nothing is done unless it failed after
 *	applying something.
 * @rb: Filled in; free with aifabd_rollback_free().
 *
 * Return: 0 when the kernel is back where @act saw it (or nothing was
 * applied), -ENOMEM, or the error of the first refused inverse, or
 * -ENOTRECOVERABLE when some operation has no known inverse.
 */
int aifabd_apply_rollback(const struct aifabd_apply_ops *ops,
			  const struct aifabd_plan *plan,
			  const struct aifabd_actual *act,
			  const struct aifabd_apply_result *res,
			  struct aifabd_rollback *rb)
{
	int ret;

	*rb = (struct aifabd_rollback){ .undo.stuck = AIFABD_UNDO_NONE };
	if (!res->err || !res->done)
		return 0;
	rb->tried = true;
	ret = aifabd_undo_build(plan, res->done, act, &rb->undo);
	if (!ret)
		ret = aifabd_apply(ops, &rb->undo.plan, &rb->res);
	if (!ret && rb->undo.stuck != AIFABD_UNDO_NONE)
		ret = -ENOTRECOVERABLE;
	rb->err = ret;
	return ret;
}

/* Did the rollback bring the kernel back to the snapshot? */
bool aifabd_rollback_complete(const struct aifabd_rollback *rb)
{
	return !rb->tried || !rb->err;
}

void aifabd_rollback_free(struct aifabd_rollback *rb)
{
	aifabd_undo_free(&rb->undo);
	*rb = (struct aifabd_rollback){ .undo.stuck = AIFABD_UNDO_NONE };
}

static void apply_report_err(FILE *f, int err, const char *msg)
{
	fprintf(f, "%s", strerror(-err));
	if (*msg)
		fprintf(f, ": %s", msg);
	fputc('\n', f);
}

/* The applied operations [0, @n) of @plan that stay, one a line. */
static void apply_report_left(FILE *f, const struct aifabd_plan *plan,
			      size_t n)
{
	size_t i;

	fprintf(f, "aifabd: %zu operation%s stay%s applied:\n", n,
		n == 1 ? "" : "s", n == 1 ? "s" : "");
	for (i = 0; i < n; i++) {
		fprintf(f, "aifabd:   %zu: ", i + 1);
		aifabd_op_print(f, &plan->ops[i]);
		fputc('\n', f);
	}
}

/*
 * Which applied operations a partial rollback left: the undo runs from the
 * last applied one back, so after k inverses, operations up to the one
 * the (k+1)-th inverse is of are still there.
 */
static size_t apply_rollback_left(const struct aifabd_rollback *rb,
				  size_t done)
{
	if (rb->res.done < rb->undo.plan.nops)
		return rb->undo.of[rb->res.done] + 1;
	if (rb->undo.stuck != AIFABD_UNDO_NONE)
		return rb->undo.stuck + 1;
	return done;
}

static void apply_report_rollback(FILE *f, const struct aifabd_plan *plan,
				  const struct aifabd_apply_result *res,
				  const struct aifabd_rollback *rb)
{
	const struct aifabd_plan *u = &rb->undo.plan;
	size_t i;

	for (i = 0; i < rb->res.done; i++) {
		fputs("aifabd: rolled back: ", f);
		aifabd_op_print(f, &u->ops[i]);
		fprintf(f, "  # %s\n", u->ops[i].reason);
	}
	if (aifabd_rollback_complete(rb)) {
		fprintf(f, "aifabd: rolled back the %zu operation%s applied "
			"before it; the kernel is as it was\n", res->done,
			res->done == 1 ? "" : "s");
		return;
	}
	if (rb->res.err) {
		fputs("aifabd: rollback: ", f);
		aifabd_op_print(f, &u->ops[rb->res.done]);
		fputs(" failed: ", f);
		apply_report_err(f, rb->res.err, rb->res.msg);
	} else if (rb->undo.stuck != AIFABD_UNDO_NONE) {
		fprintf(f, "aifabd: cannot roll back operation %zu (",
			rb->undo.stuck + 1);
		aifabd_op_print(f, &plan->ops[rb->undo.stuck]);
		fprintf(f, "): %s\n", rb->undo.stuck_why ?
			rb->undo.stuck_why : strerror(ENOMEM));
	} else {
		fputs("aifabd: rollback: out of memory\n", f);
	}
	apply_report_left(f, plan, apply_rollback_left(rb, res->done));
}

/**
 * aifabd_apply_report() - Say how an apply ended.
 * @f: Stream.
 * @plan: The plan applied.
 * @res: Its result.
 * @rb: Its rollback, or NULL if none was tried.
 *
 * A failure names the operation by its number and in aifabctl's grammar,
 * then the error and the kernel's message: "operation 3 of 5 (partition
 * set red add dev nosuch) failed: No such file or directory: no such
 * device: nosuch", then each inverse applied, and what stays applied.
 */
void aifabd_apply_report(FILE *f, const struct aifabd_plan *plan,
			 const struct aifabd_apply_result *res,
			 const struct aifabd_rollback *rb)
{
	if (!res->err) {
		fprintf(f, "aifabd: applied %zu operation%s\n", res->done,
			res->done == 1 ? "" : "s");
		return;
	}
	fprintf(f, "aifabd: operation %zu of %zu (", res->done + 1,
		plan->nops);
	aifabd_op_print(f, &plan->ops[res->done]);
	fputs(") failed: ", f);
	apply_report_err(f, res->err, res->msg);
	if (!res->done)
		fputs("aifabd: nothing was changed\n", f);
	else if (rb && rb->tried)
		apply_report_rollback(f, plan, res, rb);
	else
		apply_report_left(f, plan, res->done);
}
