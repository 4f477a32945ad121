// SPDX-License-Identifier: GPL-2.0
/*
 * Receiving: a message arrives at a QP, takes the receive WQE at the head
 * of its ring, lands in that WQE's buffers and completes on its receive
 * CQ. The engine runs this for the sender, on the receiver's QP.
 *
 * A receive WQE is one to max_recv_sge 16-byte descriptors, first to last;
 * the doorbell holds the count of descriptors posted. Descriptors are
 * copied out of the ring before they are checked, so userspace changing
 * the ring meanwhile cannot make a checked value differ from a used one.
 *
 * A UD message lands after a GRH, as on IB: the first 40 bytes of the
 * buffers take the GRH, then the payload, and the length counts both.
 */
#include <linux/string.h>
#include <rdma/ib_hdrs.h>
#include <rdma/ib_verbs.h>

#include "efa.h"

/**
 * struct aifab_efa_rwqe - a receive WQE, copied out of the ring
 * @n: descriptors in @d
 * @d: the descriptors
 */
struct aifab_efa_rwqe {
	unsigned int n;
	struct aifab_efa_rx_desc d[AIFAB_EFA_MAX_RQ_SGE];
};

static u16 aifab_efa_rq_doorbell(struct aifab_efa_qp *qp)
{
	return READ_ONCE(*(u32 *)((u8 *)qp->db->vaddr + AIFAB_EFA_RQ_DB_OFF));
}

/* Descriptors posted and not consumed; more than the ring is garbage. */
static int aifab_efa_rq_posted(struct aifab_efa_qp *qp)
{
	u16 posted = aifab_efa_rq_doorbell(qp) - qp->rq_cons;

	if (posted > qp->rq_descs) {
		aifab_efa_qp_fatal(qp, "receive doorbell past the ring");
		return -EINVAL;
	}
	/* The descriptors were written before the doorbell. */
	smp_rmb();
	return posted;
}

/*
 * Copy the WQE at the head of the ring. Return 0, -EAGAIN with none
 * posted, or -EINVAL for a malformed one (the QP is put into error).
 */
static int aifab_efa_rwqe_get(struct aifab_efa_qp *qp,
			      struct aifab_efa_rwqe *w)
{
	const struct aifab_efa_rx_desc *ring = qp->rq->vaddr;
	unsigned int max = max_t(u32, qp->cap.max_recv_sge, 1);
	int posted = aifab_efa_rq_posted(qp);
	struct aifab_efa_rx_desc *d;

	if (posted <= 0)
		return posted ?: -EAGAIN;
	for (w->n = 0; w->n < min_t(int, posted, max); w->n++) {
		d = &w->d[w->n];
		memcpy(d, &ring[(u16)(qp->rq_cons + w->n) & (qp->rq_descs - 1)],
		       sizeof(*d));
		if ((d->lkey_ctrl & AIFAB_EFA_RX_MBZ) ||
		    !(d->lkey_ctrl & AIFAB_EFA_RX_FIRST) != !!w->n)
			break;
		if (d->lkey_ctrl & AIFAB_EFA_RX_LAST) {
			w->n++;
			return 0;
		}
	}
	aifab_efa_qp_fatal(qp, "malformed receive descriptor");
	return -EINVAL;
}

static void aifab_efa_rwqe_complete(struct aifab_efa_qp *qp,
				    const struct aifab_efa_rwqe *w,
				    struct aifab_efa_cqe *cqe)
{
	qp->rq_cons += w->n;
	cqe->req_id = w->d[0].req_id;
	cqe->flags |= AIFAB_EFA_CQE_Q_RECV;
	cqe->qp_num = qp->ibqp.qp_num;
	aifab_efa_cq_post(container_of(qp->ibqp.recv_cq, struct aifab_efa_cq,
				       ibcq), cqe);
}

/* The WQE's buffers, checked against the receiver's regions. */
static int aifab_efa_rwqe_segs(struct aifab_efa_qp *qp,
			       const struct aifab_efa_rwqe *w,
			       struct aifab_efa_seg *segs, u64 *room)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(qp->ibqp.device);
	const struct aifab_efa_rx_desc *d;
	unsigned int i;
	u64 addr;

	*room = 0;
	for (i = 0; i < w->n; i++) {
		d = &w->d[i];
		addr = (u64)d->addr_hi << 32 | d->addr_lo;
		if (!aifab_efa_mr_find(edev, d->lkey_ctrl & AIFAB_EFA_KEY,
				       qp->pdn, IB_ACCESS_LOCAL_WRITE, addr,
				       d->length, &segs[i]))
			return -EINVAL;
		*room += d->length;
	}
	return 0;
}

static void aifab_efa_grh(struct ib_grh *grh, const struct aifab_efa_msg *msg,
			  const struct aifab_efa_dev *dst)
{
	memset(grh, 0, sizeof(*grh));
	grh->version_tclass_flow = cpu_to_be32(6 << 28);
	grh->paylen = cpu_to_be16(msg->len);
	grh->next_hdr = IB_GRH_NEXT_HDR;
	grh->hop_limit = 1;
	grh->sgid = msg->src->gid;
	grh->dgid = dst->gid;
}

/* The receive CQ has room for this entry, and for the sender's if shared. */
static bool aifab_efa_recv_cq_ready(struct aifab_efa_qp *dst,
				    const struct aifab_efa_msg *msg)
{
	struct aifab_efa_cq *cq = container_of(dst->ibqp.recv_cq,
					       struct aifab_efa_cq, ibcq);

	return aifab_efa_cq_has_room(cq, dst->ibqp.recv_cq ==
					 msg->src_qp->ibqp.send_cq ? 2 : 1);
}

static void aifab_efa_recv_cqe(struct aifab_efa_cqe *cqe,
			       struct aifab_efa_qp *dst,
			       const struct aifab_efa_msg *msg, u32 len)
{
	memset(cqe, 0, sizeof(*cqe));
	cqe->length = len;
	cqe->ah = aifab_efa_ah_of_gid(dst, &msg->src->gid);
	cqe->src_qp = msg->src_qp->ibqp.qp_num;
	if (msg->has_imm) {
		cqe->flags = AIFAB_EFA_CQE_HAS_IMM;
		cqe->imm = msg->imm;
	}
	memcpy(cqe->src_addr, msg->src->gid.raw, sizeof(cqe->src_addr));
}

/**
 * aifab_efa_deliver() - land a message in a QP's receive queue
 * @dst: the receiving QP, of the sender's type, with the right Q_Key
 * @msg: the message
 *
 * Engine only.
 *
 * Return: the status for the sender: %AIFAB_EFA_ST_OK when it landed or
 * completed in error at the receiver for the receiver's own fault;
 * %AIFAB_EFA_ST_RNR when the receiver has no buffer posted or no room in
 * its CQ, so nothing changed; %AIFAB_EFA_ST_REM_BAD_QPN when the receiver
 * is not ready to receive; %AIFAB_EFA_ST_REM_BAD_LENGTH when its buffer was
 * too short; %AIFAB_EFA_ST_REM_ABORT when its WQE was malformed.
 */
u8 aifab_efa_deliver(struct aifab_efa_qp *dst, const struct aifab_efa_msg *msg)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(dst->ibqp.device);
	enum ib_qp_state state = READ_ONCE(dst->state);
	struct aifab_efa_seg segs[AIFAB_EFA_MAX_SEGS + 1];
	struct aifab_efa_seg dsegs[AIFAB_EFA_MAX_RQ_SGE];
	bool ud = dst->ibqp.qp_type == IB_QPT_UD;
	u32 hdr = ud ? AIFAB_EFA_GRH_BYTES : 0;
	struct aifab_efa_cqe cqe;
	struct aifab_efa_rwqe w;
	struct ib_grh grh;
	u64 room;
	int ret;

	if (state != IB_QPS_RTR && state != IB_QPS_RTS)
		return AIFAB_EFA_ST_REM_BAD_QPN;
	if (!aifab_efa_recv_cq_ready(dst, msg))
		return AIFAB_EFA_ST_RNR;
	ret = aifab_efa_rwqe_get(dst, &w);
	if (ret == -EAGAIN)
		return AIFAB_EFA_ST_RNR;
	if (ret)
		return AIFAB_EFA_ST_REM_ABORT;
	aifab_efa_recv_cqe(&cqe, dst, msg, hdr + msg->len);
	if (aifab_efa_rwqe_segs(dst, &w, dsegs, &room)) {
		cqe.status = AIFAB_EFA_ST_BAD_LKEY;
		aifab_efa_rwqe_complete(dst, &w, &cqe);
		aifab_efa_qp_fatal(dst, "receive buffer outside its region");
		return AIFAB_EFA_ST_REM_ABORT;
	}
	if (room < hdr + msg->len) {
		cqe.status = AIFAB_EFA_ST_BAD_LENGTH;
		aifab_efa_rwqe_complete(dst, &w, &cqe);
		return AIFAB_EFA_ST_REM_BAD_LENGTH;
	}
	segs[0] = (struct aifab_efa_seg){ .buf = &grh, .len = hdr };
	if (ud)
		aifab_efa_grh(&grh, msg, edev);
	memcpy(&segs[1], msg->segs, msg->nsegs * sizeof(*segs));
	aifab_efa_copy(dsegs, w.n, segs, msg->nsegs + 1, hdr + msg->len);
	aifab_efa_count(edev->stats, AIFAB_EFA_STAT_ENGINE_COPIED_BYTES,
			msg->len);
	aifab_efa_count(edev->stats, AIFAB_EFA_STAT_RECV_WRS, 1);
	aifab_efa_count(edev->stats, AIFAB_EFA_STAT_RECV_BYTES, msg->len);
	aifab_efa_rwqe_complete(dst, &w, &cqe);
	return AIFAB_EFA_ST_OK;
}

/**
 * aifab_efa_rq_flush() - complete every posted receive as flushed
 * @qp: the QP, in error
 *
 * Engine only. Flushes what the doorbell counts now, no more, so that a
 * doorbell moving under it cannot keep the engine here; stops early when
 * the CQ is full. The next pass goes on.
 *
 * Return: the WQEs flushed.
 */
unsigned int aifab_efa_rq_flush(struct aifab_efa_qp *qp)
{
	struct aifab_efa_cq *cq = container_of(qp->ibqp.recv_cq,
					       struct aifab_efa_cq, ibcq);
	u16 end = qp->rq_cons + max(aifab_efa_rq_posted(qp), 0);
	struct aifab_efa_cqe cqe;
	struct aifab_efa_rwqe w;
	unsigned int n = 0;

	while (qp->rq_cons != end && aifab_efa_cq_has_room(cq, 1)) {
		if (aifab_efa_rwqe_get(qp, &w) ||
		    (u16)(end - qp->rq_cons) < w.n) {
			/* Nothing to echo: drop the rest. */
			qp->rq_cons = end;
			break;
		}
		memset(&cqe, 0, sizeof(cqe));
		cqe.status = AIFAB_EFA_ST_FLUSHED;
		aifab_efa_rwqe_complete(qp, &w, &cqe);
		n++;
	}
	return n;
}
