// SPDX-License-Identifier: GPL-2.0
/*
 * Completion queues of an EFA-compatible device: one sub-CQ, a ring of
 * 16- or 32-byte entries that libefa maps read-only and polls by the phase
 * bit. The ring starts zeroed, so libefa, which expects phase 1 on the
 * first lap, sees it empty.
 *
 * Completion channels need CQ notifications, which the device does not
 * offer: asking for one gets EOPNOTSUPP, as libefa expects.
 */
#include <linux/string.h>
#include <rdma/efa-abi.h>
#include <rdma/ib_verbs.h>
#include <rdma/uverbs_ioctl.h>

#include "compat.h"
#include "efa.h"
#include "objcount.h"

static int aifab_efa_cq_cmd(struct ib_device *ibdev, struct ib_udata *udata,
			    struct efa_ibv_create_cq *cmd)
{
	int ret;

	if (udata->inlen < offsetofend(struct efa_ibv_create_cq, num_sub_cqs)) {
		ibdev_dbg(ibdev, "create_cq: command too short\n");
		return -EINVAL;
	}
	ret = ib_copy_from_udata(cmd, udata, min(sizeof(*cmd), udata->inlen));
	if (ret)
		return ret;
	if (cmd->comp_mask || memchr_inv(cmd->reserved_58, 0,
					 sizeof(cmd->reserved_58)) ||
	    (udata->inlen > sizeof(*cmd) &&
	     !ib_is_udata_cleared(udata, sizeof(*cmd),
				  udata->inlen - sizeof(*cmd)))) {
		ibdev_dbg(ibdev, "create_cq: reserved fields must be 0\n");
		return -EINVAL;
	}
	if (cmd->flags & EFA_CREATE_CQ_WITH_COMPLETION_CHANNEL) {
		ibdev_dbg(ibdev, "create_cq: no completion channels (no CQ notifications)\n");
		return -EOPNOTSUPP;
	}
	if (cmd->flags & ~EFA_CREATE_CQ_WITH_SGID) {
		ibdev_dbg(ibdev, "create_cq: unknown flags %#x\n", cmd->flags);
		return -EINVAL;
	}
	if (cmd->num_sub_cqs != 1 ||
	    (cmd->cq_entry_size != 32 &&
	     (cmd->cq_entry_size != 16 ||
	      (cmd->flags & EFA_CREATE_CQ_WITH_SGID)))) {
		ibdev_dbg(ibdev, "create_cq: %u sub-CQs of %u-byte entries\n",
			  cmd->num_sub_cqs, cmd->cq_entry_size);
		return -EINVAL;
	}
	return 0;
}

static int aifab_efa_cq_reply(struct aifab_efa_cq *cq, struct ib_udata *udata)
{
	struct efa_ibv_create_cq_resp resp = {
		.q_mmap_key = rdma_user_mmap_get_offset(&cq->ring->rdma),
		.q_mmap_size = cq->ring->bytes,
		.cq_idx = cq->cq_idx,
	};

	return ib_copy_to_udata(udata, &resp, min(sizeof(resp), udata->outlen));
}

int aifab_efa_create_cq(struct ib_cq *ibcq, const struct ib_cq_init_attr *attr,
			aifab_uverbs_ctx *ctx)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibcq->device);
	struct ib_udata *udata = aifab_uverbs_udata(ctx);
	struct aifab_efa_cq *cq = container_of(ibcq, struct aifab_efa_cq, ibcq);
	struct efa_ibv_create_cq cmd = {};
	struct aifab_efa_ucontext *uctx;
	int ret;

	if (!udata) {
		ibdev_dbg(ibcq->device, "create_cq: kernel CQs are not supported\n");
		return -EOPNOTSUPP;
	}
	if (attr->flags || !attr->cqe || attr->cqe > AIFAB_EFA_MAX_CQE) {
		ibdev_dbg(ibcq->device, "create_cq: %u entries, flags %#x\n",
			  attr->cqe, attr->flags);
		return -EINVAL;
	}
	ret = aifab_efa_cq_cmd(ibcq->device, udata, &cmd);
	if (ret)
		return ret;
	ret = ida_alloc_max(&edev->cq_ida, AIFAB_EFA_MAX_CQ - 1, GFP_KERNEL);
	if (ret < 0)
		return ret;
	cq->cq_idx = ret;
	cq->entries = attr->cqe;
	cq->entry_size = cmd.cq_entry_size;
	uctx = rdma_udata_to_drv_context(udata, struct aifab_efa_ucontext,
					 ibucontext);
	cq->ring = aifab_efa_mmap_new(&uctx->ibucontext,
				      (size_t)cq->entries * cq->entry_size,
				      false);
	if (IS_ERR(cq->ring)) {
		ret = PTR_ERR(cq->ring);
		goto err_free_idx;
	}
	/* libefa takes the ring's size from what it asked: keep it. */
	ibcq->cqe = attr->cqe;
	ret = aifab_efa_cq_reply(cq, udata);
	if (ret)
		goto err_remove_ring;
	aifab_obj_get(AIFAB_OBJ_EFA_CQ);
	return 0;

err_remove_ring:
	rdma_user_mmap_entry_remove(&cq->ring->rdma);
err_free_idx:
	ida_free(&edev->cq_ida, cq->cq_idx);
	return ret;
}

int aifab_efa_destroy_cq(struct ib_cq *ibcq, struct ib_udata *udata)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibcq->device);
	struct aifab_efa_cq *cq = container_of(ibcq, struct aifab_efa_cq, ibcq);

	rdma_user_mmap_entry_remove(&cq->ring->rdma);
	ida_free(&edev->cq_ida, cq->cq_idx);
	aifab_obj_put(AIFAB_OBJ_EFA_CQ);
	return 0;
}
