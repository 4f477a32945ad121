// SPDX-License-Identifier: GPL-2.0
/*
 * Queue pairs of an EFA-compatible device: UD, and SRD (IB_QPT_DRIVER with
 * EFA_QP_DRIVER_TYPE_SRD), with EFA's state machine, which is UD's.
 *
 * libefa writes 64-byte send descriptors into the send ring ("LLQ") and
 * 16-byte receive descriptors into the receive ring, then stores the
 * cumulative producer counts in a doorbell page. All three are zeroed
 * pages it maps writable; the sizes it asks for are checked against the
 * capabilities it asked for.
 *
 * The engine serves a QP in RTS (it sends) or in error (it flushes);
 * receives need no serving, the sender's pass delivers them. State changes
 * are made under the engine lock, so a pass sees a QP in one state
 * throughout. Back to RESET, the consumer counts and the doorbells are
 * zeroed together, or a stale doorbell would replay old descriptors.
 *
 * QP numbers are below 65536 (descriptors carry 16 bits), unique on the
 * device; the engine finds a QP by number in &aifab_efa_dev.qps, so
 * destroying one erases it and waits for the pass in flight.
 */
#include <linux/log2.h>
#include <linux/string.h>
#include <rdma/efa-abi.h>
#include <rdma/ib_verbs.h>
#include <rdma/uverbs_ioctl.h>

#include "efa.h"
#include "objcount.h"

#define AIFAB_EFA_MODIFY_QP_MASK \
	(IB_QP_STATE | IB_QP_CUR_STATE | IB_QP_EN_SQD_ASYNC_NOTIFY | \
	 IB_QP_PKEY_INDEX | IB_QP_PORT | IB_QP_QKEY | IB_QP_SQ_PSN | \
	 IB_QP_RNR_RETRY)

static int aifab_efa_qp_cmd(struct ib_device *ibdev, struct ib_udata *udata,
			    struct efa_ibv_create_qp *cmd)
{
	size_t known = min(sizeof(*cmd), udata->inlen);
	int ret;

	if (udata->inlen < offsetofend(struct efa_ibv_create_qp,
				       driver_qp_type)) {
		ibdev_dbg(ibdev, "create_qp: command too short\n");
		return -EINVAL;
	}
	ret = ib_copy_from_udata(cmd, udata, known);
	if (ret)
		return ret;
	/* Also the flags and reserved bytes of newer kernels' command. */
	if (cmd->comp_mask ||
	    memchr_inv((u8 *)cmd + offsetofend(struct efa_ibv_create_qp,
					       driver_qp_type), 0,
		       known - offsetofend(struct efa_ibv_create_qp,
					   driver_qp_type)) ||
	    (udata->inlen > known &&
	     !ib_is_udata_cleared(udata, known, udata->inlen - known))) {
		ibdev_dbg(ibdev, "create_qp: reserved fields must be 0\n");
		return -EINVAL;
	}
	return 0;
}

static int aifab_efa_qp_check(struct ib_device *ibdev,
			      const struct ib_qp_init_attr *init,
			      const struct efa_ibv_create_qp *cmd)
{
	const struct ib_qp_cap *cap = &init->cap;
	u32 sq_descs = cmd->sq_ring_size / AIFAB_EFA_SQ_DESC;
	u32 rq_descs = cmd->rq_ring_size / AIFAB_EFA_RQ_DESC;

	if ((init->qp_type != IB_QPT_UD && init->qp_type != IB_QPT_DRIVER) ||
	    (init->qp_type == IB_QPT_DRIVER &&
	     cmd->driver_qp_type != EFA_QP_DRIVER_TYPE_SRD) ||
	    init->srq || init->create_flags) {
		ibdev_dbg(ibdev, "create_qp: only UD and SRD, without SRQ or flags\n");
		return -EOPNOTSUPP;
	}
	if (cap->max_send_wr > AIFAB_EFA_MAX_QP_WR ||
	    cap->max_recv_wr > AIFAB_EFA_MAX_QP_WR ||
	    cap->max_send_sge > AIFAB_EFA_MAX_SQ_SGE ||
	    cap->max_recv_sge > AIFAB_EFA_MAX_RQ_SGE ||
	    cap->max_inline_data > AIFAB_EFA_INLINE_BYTES) {
		ibdev_dbg(ibdev, "create_qp: capabilities over the device's\n");
		return -EINVAL;
	}
	if (cmd->sq_ring_size % AIFAB_EFA_SQ_DESC || !is_power_of_2(sq_descs) ||
	    sq_descs > AIFAB_EFA_MAX_QP_WR || sq_descs < cap->max_send_wr ||
	    cmd->rq_ring_size % AIFAB_EFA_RQ_DESC || !is_power_of_2(rq_descs) ||
	    rq_descs > AIFAB_EFA_MAX_QP_WR * AIFAB_EFA_MAX_RQ_SGE ||
	    rq_descs < cap->max_recv_wr * cap->max_recv_sge) {
		ibdev_dbg(ibdev, "create_qp: rings of %u and %u bytes do not fit\n",
			  cmd->sq_ring_size, cmd->rq_ring_size);
		return -EINVAL;
	}
	return 0;
}

static int aifab_efa_qp_rings(struct aifab_efa_qp *qp,
			      struct ib_ucontext *uctx,
			      const struct efa_ibv_create_qp *cmd)
{
	int ret;

	qp->sq = aifab_efa_mmap_new(uctx, cmd->sq_ring_size, true);
	if (IS_ERR(qp->sq))
		return PTR_ERR(qp->sq);
	qp->rq = aifab_efa_mmap_new(uctx, cmd->rq_ring_size, true);
	if (IS_ERR(qp->rq)) {
		ret = PTR_ERR(qp->rq);
		goto err_remove_sq;
	}
	qp->db = aifab_efa_mmap_new(uctx, PAGE_SIZE, true);
	if (IS_ERR(qp->db)) {
		ret = PTR_ERR(qp->db);
		goto err_remove_rq;
	}
	return 0;

err_remove_rq:
	rdma_user_mmap_entry_remove(&qp->rq->rdma);
err_remove_sq:
	rdma_user_mmap_entry_remove(&qp->sq->rdma);
	return ret;
}

static void aifab_efa_qp_rings_remove(struct aifab_efa_qp *qp)
{
	rdma_user_mmap_entry_remove(&qp->db->rdma);
	rdma_user_mmap_entry_remove(&qp->rq->rdma);
	rdma_user_mmap_entry_remove(&qp->sq->rdma);
}

static int aifab_efa_qp_reply(struct aifab_efa_qp *qp, struct ib_udata *udata)
{
	u64 db_key = rdma_user_mmap_get_offset(&qp->db->rdma);
	struct efa_ibv_create_qp_resp resp = {
		.rq_db_offset = AIFAB_EFA_RQ_DB_OFF,
		.sq_db_offset = AIFAB_EFA_SQ_DB_OFF,
		.rq_mmap_key = rdma_user_mmap_get_offset(&qp->rq->rdma),
		.rq_mmap_size = qp->rq->bytes,
		.rq_db_mmap_key = db_key,
		.sq_db_mmap_key = db_key,
		.llq_desc_mmap_key = rdma_user_mmap_get_offset(&qp->sq->rdma),
	};

	return ib_copy_to_udata(udata, &resp, min(sizeof(resp), udata->outlen));
}

int aifab_efa_create_qp(struct ib_qp *ibqp, struct ib_qp_init_attr *init,
			struct ib_udata *udata)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibqp->device);
	struct aifab_efa_qp *qp = container_of(ibqp, struct aifab_efa_qp, ibqp);
	struct efa_ibv_create_qp cmd = {};
	struct aifab_efa_ucontext *uctx;
	int ret;

	if (!udata) {
		ibdev_dbg(ibqp->device, "create_qp: kernel QPs are not supported\n");
		return -EOPNOTSUPP;
	}
	ret = aifab_efa_qp_cmd(ibqp->device, udata, &cmd);
	if (!ret)
		ret = aifab_efa_qp_check(ibqp->device, init, &cmd);
	if (ret)
		return ret;
	uctx = rdma_udata_to_drv_context(udata, struct aifab_efa_ucontext,
					 ibucontext);
	ret = aifab_efa_qp_rings(qp, &uctx->ibucontext, &cmd);
	if (ret)
		return ret;
	mutex_init(&qp->lock);
	qp->state = IB_QPS_RESET;
	qp->cap = init->cap;
	qp->pdn = container_of(ibqp->pd, struct aifab_efa_pd, ibpd)->pdn;
	qp->sq_descs = cmd.sq_ring_size / AIFAB_EFA_SQ_DESC;
	qp->rq_descs = cmd.rq_ring_size / AIFAB_EFA_RQ_DESC;
	qp->rnr_retry = AIFAB_EFA_RNR_RETRY_DEFAULT;
	INIT_LIST_HEAD(&qp->engine_entry);
	/* Reserved until the reply is out; only then may the engine see it. */
	ret = xa_alloc(&edev->qps, &ibqp->qp_num, NULL,
		       XA_LIMIT(1, AIFAB_EFA_MAX_QP - 1), GFP_KERNEL);
	if (ret)
		goto err_remove_rings;
	ret = aifab_efa_qp_reply(qp, udata);
	if (ret)
		goto err_erase_qpn;
	xa_store(&edev->qps, ibqp->qp_num, qp, GFP_KERNEL);
	aifab_obj_get(AIFAB_OBJ_EFA_QP);
	return 0;

err_erase_qpn:
	xa_erase(&edev->qps, ibqp->qp_num);
err_remove_rings:
	aifab_efa_qp_rings_remove(qp);
	mutex_destroy(&qp->lock);
	return ret;
}

static int aifab_efa_modify_check(struct aifab_efa_qp *qp,
				  const struct ib_qp_attr *attr, int mask,
				  enum ib_qp_state cur, enum ib_qp_state new)
{
	struct ib_device *ibdev = qp->ibqp.device;

	if (mask & ~AIFAB_EFA_MODIFY_QP_MASK) {
		ibdev_dbg(ibdev, "modify_qp: attributes %#x not supported\n",
			  mask & ~AIFAB_EFA_MODIFY_QP_MASK);
		return -EOPNOTSUPP;
	}
	/* SRD moves through the states as UD does; RNR retry is SRD's own. */
	if (!ib_modify_qp_is_ok(cur, new, IB_QPT_UD, mask & ~IB_QP_RNR_RETRY)) {
		ibdev_dbg(ibdev, "modify_qp: %d -> %d with %#x not allowed\n",
			  cur, new, mask);
		return -EINVAL;
	}
	if (((mask & IB_QP_PORT) && attr->port_num != 1) ||
	    ((mask & IB_QP_PKEY_INDEX) && attr->pkey_index)) {
		ibdev_dbg(ibdev, "modify_qp: one port, one P_Key\n");
		return -EOPNOTSUPP;
	}
	if ((mask & IB_QP_RNR_RETRY) &&
	    (qp->ibqp.qp_type != IB_QPT_DRIVER || attr->rnr_retry > 7)) {
		ibdev_dbg(ibdev, "modify_qp: RNR retry %u: SRD only, at most 7\n",
			  attr->rnr_retry);
		return -EINVAL;
	}
	return 0;
}

/* Under the engine lock: what the engine does with the QP in @new. */
static void aifab_efa_qp_enter(struct aifab_efa_qp *qp, enum ib_qp_state new)
{
	if (new == IB_QPS_RESET) {
		memset(qp->db->vaddr, 0, qp->db->bytes);
		qp->sq_cons = 0;
		qp->rq_cons = 0;
		qp->rnr_tries = 0;
		qp->error = NULL;
	}
	/* A READ cut short starts over if it runs again. */
	qp->read_done = 0;
	WRITE_ONCE(qp->state, new);
	if (new == IB_QPS_RTS || new == IB_QPS_ERR)
		aifab_efa_engine_serve(qp);
	else
		aifab_efa_engine_forget(qp);
}

/**
 * aifab_efa_qp_fatal() - the engine puts a QP into error
 * @qp: the QP
 * @why: for debugfs and the debug log
 *
 * Call under the engine lock. Raises IB_EVENT_QP_FATAL; the engine then
 * flushes what is posted. Does nothing to a QP in error already.
 */
void aifab_efa_qp_fatal(struct aifab_efa_qp *qp, const char *why)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(qp->ibqp.device);
	struct ib_event ev = {
		.device = qp->ibqp.device,
		.element.qp = &qp->ibqp,
		.event = IB_EVENT_QP_FATAL,
	};

	if (READ_ONCE(qp->state) == IB_QPS_ERR)
		return;
	qp->error = why;
	aifab_efa_qp_enter(qp, IB_QPS_ERR);
	aifab_efa_count(edev->stats, AIFAB_EFA_STAT_ENGINE_QP_ERRORS, 1);
	ibdev_dbg(qp->ibqp.device, "QP %u: into error: %s\n", qp->ibqp.qp_num,
		  why);
	if (qp->ibqp.event_handler)
		qp->ibqp.event_handler(&ev, qp->ibqp.qp_context);
}

int aifab_efa_modify_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr,
			int mask, struct ib_udata *udata)
{
	struct aifab_efa_qp *qp = container_of(ibqp, struct aifab_efa_qp, ibqp);
	enum ib_qp_state cur, new;
	int ret;

	if (udata && udata->inlen &&
	    !ib_is_udata_cleared(udata, 0, udata->inlen)) {
		ibdev_dbg(ibqp->device, "modify_qp: command must be empty\n");
		return -EINVAL;
	}
	mutex_lock(&qp->lock);
	aifab_efa_engine_lock();
	cur = mask & IB_QP_CUR_STATE ? attr->cur_qp_state : qp->state;
	new = mask & IB_QP_STATE ? attr->qp_state : cur;
	ret = aifab_efa_modify_check(qp, attr, mask, cur, new);
	if (ret)
		goto out_unlock;
	if (mask & IB_QP_QKEY)
		qp->qkey = attr->qkey;
	if (mask & IB_QP_SQ_PSN)
		qp->sq_psn = attr->sq_psn;
	if (mask & IB_QP_RNR_RETRY)
		qp->rnr_retry = attr->rnr_retry;
	aifab_efa_qp_enter(qp, new);
out_unlock:
	aifab_efa_engine_unlock();
	mutex_unlock(&qp->lock);
	return ret;
}

int aifab_efa_query_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr, int mask,
		       struct ib_qp_init_attr *init)
{
	struct aifab_efa_qp *qp = container_of(ibqp, struct aifab_efa_qp, ibqp);

	memset(attr, 0, sizeof(*attr));
	memset(init, 0, sizeof(*init));
	mutex_lock(&qp->lock);
	attr->qp_state = READ_ONCE(qp->state);
	attr->cur_qp_state = attr->qp_state;
	attr->qkey = qp->qkey;
	attr->sq_psn = qp->sq_psn;
	attr->rnr_retry = qp->rnr_retry;
	mutex_unlock(&qp->lock);
	attr->port_num = 1;
	attr->cap = qp->cap;
	init->qp_type = ibqp->qp_type;
	init->send_cq = ibqp->send_cq;
	init->recv_cq = ibqp->recv_cq;
	init->cap = qp->cap;
	return 0;
}

int aifab_efa_destroy_qp(struct ib_qp *ibqp, struct ib_udata *udata)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibqp->device);
	struct aifab_efa_qp *qp = container_of(ibqp, struct aifab_efa_qp, ibqp);

	aifab_efa_engine_lock();
	aifab_efa_engine_forget(qp);
	xa_erase(&edev->qps, ibqp->qp_num);
	aifab_efa_engine_unlock();
	aifab_efa_qp_rings_remove(qp);
	mutex_destroy(&qp->lock);
	aifab_obj_put(AIFAB_OBJ_EFA_QP);
	return 0;
}
