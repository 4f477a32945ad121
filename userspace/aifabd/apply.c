// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd's apply: each plan operation becomes the request aifabctl would
 * send for the same command (see the grammar in aifabd_op_print()), so that
 * the kernel refuses or accepts exactly what an operator typing it would
 * see. No rollback yet: see apply.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/aifab.h>

#include "../aifabctl/ctl.h"
#include "apply.h"
#include "snapshot.h"

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
 * Return: 0, -EINVAL for a topology load, -E2BIG when it has too many
 * devices, or the errno of opening /run/netns/NAME.
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
		return -EINVAL;
	default:
		return apply_part_op(op, req, nsfd);
	}
}

static int apply_topology(struct aifab_nl *nl, const struct aifabd_config *cfg,
			  bool *sent)
{
	struct aifab_nl_msg m = { 0 };
	int ret;

	ret = topo_build(&cfg->topo, &m);
	if (!ret) {
		*sent = true;
		ret = aifab_nl_exec_msg(nl, &m, NULL, NULL);
	}
	aifab_nl_msg_free(&m);
	return ret;
}

/* @sent says whether the kernel saw it, and so whether it may have spoken. */
static int apply_one(struct aifab_nl *nl, const struct aifabd_config *cfg,
		     const struct aifabd_op *op, bool *sent)
{
	struct aifab_nl_req *req;
	int ret, nsfd;

	*sent = false;
	if (op->type == AIFABD_OP_TOPOLOGY_LOAD)
		return apply_topology(nl, cfg, sent);
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

/**
 * aifabd_apply() - Carry out a plan, stopping at the first failure.
 * @nl: Open netlink client, with CAP_NET_ADMIN.
 * @cfg: The configuration the plan was made from (its topology).
 * @plan: The operations, in order.
 * @res: Filled in: how many were applied, and why the next one failed.
 *
 * An operation that cannot even be sent (a namespace file gone, no memory)
 * counts as failed like one the kernel refused, with no kernel message.
 *
 * Return: 0 when every operation was applied, else @res->err.
 */
int aifabd_apply(struct aifab_nl *nl, const struct aifabd_config *cfg,
		 const struct aifabd_plan *plan,
		 struct aifabd_apply_result *res)
{
	const char *msg;
	bool sent;

	*res = (struct aifabd_apply_result){ 0 };
	for (; res->done < plan->nops; res->done++) {
		res->err = apply_one(nl, cfg, &plan->ops[res->done], &sent);
		if (!res->err)
			continue;
		msg = sent ? aifab_nl_errmsg(nl) : NULL;
		if (msg)
			ctl_strscpy(res->msg, msg, sizeof(res->msg));
		return res->err;
	}
	return 0;
}

/**
 * aifabd_apply_report() - Say how an apply ended.
 * @f: Stream.
 * @plan: The plan applied.
 * @res: Its result.
 *
 * A failure names the operation by its number and in aifabctl's grammar,
 * then the error and the kernel's message: "operation 3 of 5 (partition
 * set red add dev nosuch) failed: No such file or directory: no such
 * device: nosuch", and what stays applied.
 */
void aifabd_apply_report(FILE *f, const struct aifabd_plan *plan,
			 const struct aifabd_apply_result *res)
{
	if (!res->err) {
		fprintf(f, "aifabd: applied %zu operation%s\n", res->done,
			res->done == 1 ? "" : "s");
		return;
	}
	fprintf(f, "aifabd: operation %zu of %zu (", res->done + 1,
		plan->nops);
	aifabd_op_print(f, &plan->ops[res->done]);
	fprintf(f, ") failed: %s", strerror(-res->err));
	if (*res->msg)
		fprintf(f, ": %s", res->msg);
	fputc('\n', f);
	if (!res->done)
		fputs("aifabd: nothing was changed\n", f);
	else
		fprintf(f, "aifabd: the %zu operation%s before it stay%s applied "
			"(no rollback yet)\n", res->done,
			res->done == 1 ? "" : "s", res->done == 1 ? "s" : "");
}
