// SPDX-License-Identifier: GPL-2.0
/*
 * Completion queues of an EFA-compatible device: one sub-CQ, a ring of
 * 16- or 32-byte entries that libefa maps read-only and polls by the phase
 * bit. The ring starts zeroed, so libefa, which expects phase 1 on the
 * first lap, sees it empty.
 *
 * Every CQ also has a doorbell page. libefa stores its consumer count
 * there after each poll that found entries, which is how the engine knows
 * the ring has room: a full CQ holds its producers back (sends wait, an
 * SRD receiver answers RNR, a UD receiver drops), so no entry is ever
 * overwritten before it was read.
 *
 * CQs with a completion channel raise an event when armed. libefa arms by
 * writing the arm bit and its command sequence number, but overwrites the
 * word (arm clear) on its next poll that finds entries, so the engine,
 * which only reads the word, can miss an arm. A missed arm hangs the
 * program; a spurious event costs it one empty poll, which verbs programs
 * handle anyway. So the rule errs towards events: the first completion of
 * a CQ raises one, and after that a sequence number changed since the last
 * event (libefa bumps it when the event is read, then arms with it) counts
 * as armed.
 */
#include <linux/bitfield.h>
#include <linux/log2.h>
#include <linux/string.h>
#include <linux/xarray.h>
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
	if (cmd->flags & ~(EFA_CREATE_CQ_WITH_SGID |
			   EFA_CREATE_CQ_WITH_COMPLETION_CHANNEL)) {
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
		.comp_mask = EFA_CREATE_CQ_RESP_DB_OFF,
		.q_mmap_key = rdma_user_mmap_get_offset(&cq->ring->rdma),
		.q_mmap_size = cq->ring->bytes,
		.cq_idx = cq->cq_idx,
		.db_mmap_key = rdma_user_mmap_get_offset(&cq->db->rdma),
		.db_off = 0,
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
	u32 idx;
	int ret;

	if (!udata) {
		ibdev_dbg(ibcq->device, "create_cq: kernel CQs are not supported\n");
		return -EOPNOTSUPP;
	}
	if (attr->flags || !attr->cqe || attr->cqe > AIFAB_EFA_MAX_CQE ||
	    !is_power_of_2(attr->cqe) ||
	    attr->comp_vector >= ibcq->device->num_comp_vectors) {
		ibdev_dbg(ibcq->device, "create_cq: %u entries, flags %#x, vector %u\n",
			  attr->cqe, attr->flags, attr->comp_vector);
		return -EINVAL;
	}
	ret = aifab_efa_cq_cmd(ibcq->device, udata, &cmd);
	if (ret)
		return ret;
	cq->entries = attr->cqe;
	cq->entry_size = cmd.cq_entry_size;
	cq->channel = cmd.flags & EFA_CREATE_CQ_WITH_COMPLETION_CHANNEL;
	uctx = rdma_udata_to_drv_context(udata, struct aifab_efa_ucontext,
					 ibucontext);
	cq->ring = aifab_efa_mmap_new(&uctx->ibucontext,
				      (size_t)cq->entries * cq->entry_size,
				      false);
	if (IS_ERR(cq->ring))
		return PTR_ERR(cq->ring);
	cq->db = aifab_efa_mmap_new(&uctx->ibucontext, PAGE_SIZE, true);
	if (IS_ERR(cq->db)) {
		ret = PTR_ERR(cq->db);
		goto err_remove_ring;
	}
	/* Reserved until the reply is out; only then may debugfs see it. */
	ret = xa_alloc(&edev->cqs, &idx, NULL,
		       XA_LIMIT(0, AIFAB_EFA_MAX_CQ - 1), GFP_KERNEL);
	if (ret)
		goto err_remove_db;
	cq->cq_idx = idx;
	/* libefa takes the ring's size from what it asked: keep it. */
	ibcq->cqe = attr->cqe;
	ret = aifab_efa_cq_reply(cq, udata);
	if (ret)
		goto err_erase_idx;
	xa_store(&edev->cqs, idx, cq, GFP_KERNEL);
	aifab_obj_get(AIFAB_OBJ_EFA_CQ);
	return 0;

err_erase_idx:
	xa_erase(&edev->cqs, idx);
err_remove_db:
	rdma_user_mmap_entry_remove(&cq->db->rdma);
err_remove_ring:
	rdma_user_mmap_entry_remove(&cq->ring->rdma);
	return ret;
}

int aifab_efa_destroy_cq(struct ib_cq *ibcq, struct ib_udata *udata)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibcq->device);
	struct aifab_efa_cq *cq = container_of(ibcq, struct aifab_efa_cq, ibcq);

	/*
	 * ib_core refuses while a QP uses the CQ, so no pass writes to it;
	 * debugfs may still be reading it.
	 */
	xa_erase(&edev->cqs, cq->cq_idx);
	aifab_efa_engine_quiesce();
	rdma_user_mmap_entry_remove(&cq->db->rdma);
	rdma_user_mmap_entry_remove(&cq->ring->rdma);
	aifab_obj_put(AIFAB_OBJ_EFA_CQ);
	return 0;
}

static u32 aifab_efa_cq_doorbell(struct aifab_efa_cq *cq)
{
	return READ_ONCE(*(u32 *)cq->db->vaddr);
}

/**
 * aifab_efa_cq_has_room() - may the engine write more entries?
 * @cq: the CQ
 * @n: how many
 *
 * Engine only. A consumer count ahead of what was produced is garbage
 * from userspace; the CQ then counts as full, which hurts no one else.
 *
 * Return: true if the @n entries the engine writes next were read already.
 */
bool aifab_efa_cq_has_room(struct aifab_efa_cq *cq, unsigned int n)
{
	u16 consumed = FIELD_GET(AIFAB_EFA_CQ_DB_CONSUMER,
				 aifab_efa_cq_doorbell(cq));

	return (u16)(cq->produced - consumed) + n <= cq->entries;
}

static void aifab_efa_cq_notify(struct aifab_efa_cq *cq)
{
	u8 sn = FIELD_GET(AIFAB_EFA_CQ_DB_SN, aifab_efa_cq_doorbell(cq));
	bool armed;

	armed = !cq->events || sn != cq->event_sn;
	if (!armed || !cq->ibcq.comp_handler)
		return;
	cq->event_sn = sn;
	cq->events++;
	cq->ibcq.comp_handler(&cq->ibcq, cq->ibcq.cq_context);
}

/**
 * aifab_efa_cq_post() - write a completion
 * @cq: the CQ, which has room (aifab_efa_cq_has_room())
 * @cqe: the entry; its phase is set here
 *
 * Engine only. Everything but the flags byte goes first: libefa takes
 * the entry as valid once it sees the phase bit flip.
 */
void aifab_efa_cq_post(struct aifab_efa_cq *cq, struct aifab_efa_cqe *cqe)
{
	u32 slot = cq->produced & (cq->entries - 1);
	u8 *entry = (u8 *)cq->ring->vaddr + (size_t)slot * cq->entry_size;
	/* Phase 1 on the first lap, then flipping with each wrap. */
	u8 phase = !((cq->produced / cq->entries) & 1);
	u8 flags = (cqe->flags & ~AIFAB_EFA_CQE_PHASE) | phase;

	BUILD_BUG_ON(offsetof(struct aifab_efa_cqe, flags) != 3);
	memcpy(entry, cqe, offsetof(struct aifab_efa_cqe, flags));
	memcpy(entry + 4, (u8 *)cqe + 4, cq->entry_size - 4);
	/* Pairs with libefa's read barrier after it sees the phase flip. */
	smp_wmb();
	WRITE_ONCE(entry[3], flags);
	cq->produced++;
	if (cq->channel)
		aifab_efa_cq_notify(cq);
}
