// SPDX-License-Identifier: GPL-2.0
/*
 * Sending: the engine takes the descriptors a QP's send doorbell counts,
 * copies each out of the ring, checks the copy, executes it and writes its
 * completion.
 *
 * - SEND carries inline bytes or up to two buffers to the destination's
 *   receive queue; RDMA READ (SRD only) copies a remote region into a local
 *   buffer. Bytes cross the fabric through aifab_fabric_transfer(), so the
 *   routing function, fences and link faults apply to every message.
 * - SRD is reliable: a message the links lost past their own retries is
 *   sent again, up to %AIFAB_EFA_SRD_RETRIES times; a receiver without a
 *   buffer is retried as the QP's rnr_retry says; a destination the fabric
 *   cannot reach completes the send in error. UD is not: what cannot be
 *   delivered is dropped, and the send completes.
 * - A descriptor that is malformed, or names a key, handle or length the
 *   QP may not use, completes in error and puts the QP into error; the
 *   rest of its queues then complete as flushed. Errors at the remote end
 *   fail only that send.
 */
#include <linux/bitfield.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include <rdma/efa-abi.h>
#include <rdma/ib_verbs.h>

#include "efa.h"
#include "health.h"
#include "route.h"

/* Whole-message resends after the links gave up on a packet. */
#define AIFAB_EFA_SRD_RETRIES	3
/*
 * An RDMA READ moves in pieces this big, one per pass, so that a large one
 * shares the engine with everyone else.
 */
#define AIFAB_EFA_READ_CHUNK	SZ_256K
/* A QP moves at most about this much per pass. */
#define AIFAB_EFA_QP_BYTES	SZ_1M
/* Not a status: an RDMA READ has more pieces to move on later passes. */
#define AIFAB_EFA_ST_PARTIAL	0xfe
/* rnr_retry that never gives up, as in IB. */
#define AIFAB_EFA_RNR_FOREVER	7

static u16 aifab_efa_sq_doorbell(struct aifab_efa_qp *qp)
{
	return READ_ONCE(*(u32 *)((u8 *)qp->db->vaddr + AIFAB_EFA_SQ_DB_OFF));
}

/* Descriptors posted and not consumed; more than the ring is garbage. */
static int aifab_efa_sq_pending(struct aifab_efa_qp *qp)
{
	u16 pending = aifab_efa_sq_doorbell(qp) - qp->sq_cons;

	if (pending > qp->sq_descs) {
		aifab_efa_qp_fatal(qp, "send doorbell past the ring");
		return -EINVAL;
	}
	/* The descriptors were written before the doorbell. */
	smp_rmb();
	return pending;
}

static void aifab_efa_wqe_get(struct aifab_efa_qp *qp,
			      struct aifab_efa_tx_wqe *wqe)
{
	u32 slot = qp->sq_cons & (qp->sq_descs - 1);

	memcpy(wqe, (u8 *)qp->sq->vaddr + slot * AIFAB_EFA_SQ_DESC,
	       sizeof(*wqe));
}

static struct aifab_efa_cq *aifab_efa_send_cq(struct aifab_efa_qp *qp)
{
	return container_of(qp->ibqp.send_cq, struct aifab_efa_cq, ibcq);
}

static void aifab_efa_send_complete(struct aifab_efa_qp *qp,
				    const struct aifab_efa_tx_wqe *wqe,
				    u8 status)
{
	struct aifab_efa_cqe cqe = {
		.req_id = wqe->req_id,
		.status = status,
		.flags = AIFAB_EFA_CQE_Q_SEND,
		.qp_num = qp->ibqp.qp_num,
	};

	if (status == AIFAB_EFA_ST_OK && !(wqe->ctrl2 & AIFAB_EFA_CTRL2_COMP_REQ))
		return;
	aifab_efa_cq_post(aifab_efa_send_cq(qp), &cqe);
}

static bool aifab_efa_wqe_wellformed(const struct aifab_efa_tx_wqe *wqe)
{
	return (wqe->ctrl1 & AIFAB_EFA_CTRL1_META_DESC) &&
	       !(wqe->ctrl1 & AIFAB_EFA_CTRL1_META_EXT) &&
	       (wqe->ctrl2 & AIFAB_EFA_CTRL2_FIRST) &&
	       (wqe->ctrl2 & AIFAB_EFA_CTRL2_LAST) &&
	       !(wqe->ctrl2 & AIFAB_EFA_CTRL2_MBZ) && !wqe->reserved &&
	       !memchr_inv(wqe->reserved2, 0, sizeof(wqe->reserved2));
}

/*
 * Carry @len bytes from device @from to device @to over the fabric,
 * counting on @qp's device. Return a status.
 */
static u8 aifab_efa_carry(struct aifab_efa_qp *qp, struct aifab_efa_dev *from,
			  struct aifab_efa_dev *to, u64 len)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(qp->ibqp.device);
	u64 pkts = max_t(u64, DIV_ROUND_UP(len, AIFAB_PACKET_BYTES), 1);
	struct aifab_route rt;
	unsigned int try;
	int ret;

	for (try = 0;; try++) {
		ret = aifab_fabric_transfer(aifab_efa_engine_fabric(),
					    from->fab_dev_id, to->fab_dev_id,
					    len, &rt);
		aifab_efa_count(edev->stats, AIFAB_EFA_STAT_RETRANS_PKTS,
				rt.retransmits);
		aifab_efa_count(edev->stats, AIFAB_EFA_STAT_RETRANS_BYTES,
				(u64)rt.retransmits *
				min_t(u64, len, AIFAB_PACKET_BYTES));
		if (!ret)
			break;
		/* Lost past the links' retries, or the path changed: again. */
		if ((ret == -EIO || ret == -EHOSTUNREACH) &&
		    try < AIFAB_EFA_SRD_RETRIES &&
		    qp->ibqp.qp_type != IB_QPT_UD)
			continue;
		aifab_efa_count(edev->stats, ret == -EIO ?
				AIFAB_EFA_STAT_RETRANS_TIMEOUT_EVENTS :
				AIFAB_EFA_STAT_UNRESPONSIVE_REMOTE_EVENTS, 1);
		return AIFAB_EFA_ST_UNRESP_REMOTE;
	}
	aifab_efa_count(from->stats, AIFAB_EFA_STAT_TX_PKTS, pkts);
	aifab_efa_count(from->stats, AIFAB_EFA_STAT_TX_BYTES, len);
	aifab_efa_count(to->stats, AIFAB_EFA_STAT_RX_PKTS, pkts);
	aifab_efa_count(to->stats, AIFAB_EFA_STAT_RX_BYTES, len);
	return AIFAB_EFA_ST_OK;
}

/* The QP a descriptor names at @dst, if it may take the message. */
static struct aifab_efa_qp *aifab_efa_peer_qp(struct aifab_efa_qp *qp,
					      struct aifab_efa_dev *dst,
					      const struct aifab_efa_tx_wqe *wqe)
{
	struct aifab_efa_qp *peer = xa_load(&dst->qps, wqe->dest_qp_num);

	if (!peer || peer->ibqp.qp_type != qp->ibqp.qp_type ||
	    peer->qkey != wqe->qkey)
		return NULL;
	return peer;
}

/* Build the message of a SEND descriptor, checking it. */
static u8 aifab_efa_send_msg(struct aifab_efa_qp *qp,
			     const struct aifab_efa_tx_wqe *wqe,
			     struct aifab_efa_msg *msg)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(qp->ibqp.device);
	const struct aifab_efa_sge *sge;
	u64 len = 0;
	unsigned int i;

	memset(msg, 0, sizeof(*msg));
	msg->src = edev;
	msg->src_qp = qp;
	msg->has_imm = wqe->ctrl1 & AIFAB_EFA_CTRL1_HAS_IMM;
	msg->imm = wqe->imm;
	if (wqe->ctrl1 & AIFAB_EFA_CTRL1_INLINE) {
		if (wqe->length > AIFAB_EFA_INLINE_BYTES)
			return AIFAB_EFA_ST_BAD_LENGTH;
		msg->segs[0] = (struct aifab_efa_seg){
			.buf = wqe->inline_data, .len = wqe->length };
		msg->nsegs = 1;
		msg->len = wqe->length;
		return AIFAB_EFA_ST_OK;
	}
	if (wqe->length > AIFAB_EFA_MAX_SQ_SGE)
		return AIFAB_EFA_ST_QP_INTERNAL;
	for (i = 0; i < wqe->length; i++) {
		sge = &wqe->sgl[i];
		if (sge->lkey & ~AIFAB_EFA_KEY)
			return AIFAB_EFA_ST_QP_INTERNAL;
		if (!aifab_efa_mr_find(edev, sge->lkey, qp->pdn, 0,
				       (u64)sge->addr_hi << 32 | sge->addr_lo,
				       sge->length, &msg->segs[i]))
			return AIFAB_EFA_ST_BAD_LKEY;
		len += sge->length;
	}
	if (len > AIFAB_EFA_MTU)
		return AIFAB_EFA_ST_BAD_LENGTH;
	msg->nsegs = wqe->length;
	msg->len = len;
	return AIFAB_EFA_ST_OK;
}

static u8 aifab_efa_run_send(struct aifab_efa_qp *qp,
			     const struct aifab_efa_tx_wqe *wqe,
			     struct aifab_efa_dev *dst)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(qp->ibqp.device);
	bool ud = qp->ibqp.qp_type == IB_QPT_UD;
	struct aifab_efa_msg msg;
	struct aifab_efa_qp *peer;
	u8 st;

	st = aifab_efa_send_msg(qp, wqe, &msg);
	if (st)
		return st;
	qp->moved += msg.len;
	if (!dst)
		return ud ? AIFAB_EFA_ST_OK : AIFAB_EFA_ST_REM_BAD_ADDRESS;
	st = aifab_efa_carry(qp, edev, dst, msg.len);
	if (st)
		return ud ? AIFAB_EFA_ST_OK : st;
	peer = aifab_efa_peer_qp(qp, dst, wqe);
	st = peer ? aifab_efa_deliver(peer, &msg) : AIFAB_EFA_ST_REM_BAD_QPN;
	if (st == AIFAB_EFA_ST_OK) {
		aifab_efa_count(edev->stats, AIFAB_EFA_STAT_SEND_WRS, 1);
		aifab_efa_count(edev->stats, AIFAB_EFA_STAT_SEND_BYTES, msg.len);
	} else if (ud) {
		aifab_efa_count(dst->stats, AIFAB_EFA_STAT_RX_DROPS, 1);
		st = AIFAB_EFA_ST_OK;
	}
	return st;
}

/* The remote piece of a READ, if the responder QP and its region allow. */
static u8 aifab_efa_read_source(struct aifab_efa_qp *qp,
				const struct aifab_efa_tx_wqe *wqe,
				struct aifab_efa_dev *dst, u64 off, u32 len,
				struct aifab_efa_seg *rseg)
{
	const struct aifab_efa_sge *remote = &wqe->rdma[0];
	struct aifab_efa_qp *peer = aifab_efa_peer_qp(qp, dst, wqe);
	enum ib_qp_state state = peer ? READ_ONCE(peer->state) : IB_QPS_ERR;
	u64 addr = ((u64)remote->addr_hi << 32 | remote->addr_lo) + off;

	if (state != IB_QPS_RTR && state != IB_QPS_RTS)
		return AIFAB_EFA_ST_REM_BAD_QPN;
	if (!aifab_efa_mr_find(dst, remote->lkey, peer->pdn,
			       IB_ACCESS_REMOTE_READ, addr, len, rseg))
		return AIFAB_EFA_ST_REM_BAD_ADDRESS;
	return AIFAB_EFA_ST_OK;
}

/*
 * One piece of an RDMA READ, from @qp->read_done on: checked again in
 * full, as the region may have gone since the last piece. Returns
 * %AIFAB_EFA_ST_PARTIAL while pieces remain.
 */
static u8 aifab_efa_read_piece(struct aifab_efa_qp *qp,
			       const struct aifab_efa_tx_wqe *wqe,
			       struct aifab_efa_dev *dst)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(qp->ibqp.device);
	const struct aifab_efa_sge *local = &wqe->rdma[1];
	u32 total = wqe->rdma[0].length;
	u64 off = qp->read_done;
	u32 n = min_t(u64, total - off, AIFAB_EFA_READ_CHUNK);
	struct aifab_efa_seg lseg, rseg;
	u8 st;

	if (wqe->length && !aifab_efa_mr_find(edev, local->lkey, qp->pdn,
					      IB_ACCESS_LOCAL_WRITE,
					      ((u64)local->addr_hi << 32 |
					       local->addr_lo) + off, n,
					      &lseg))
		return AIFAB_EFA_ST_BAD_LKEY;
	st = aifab_efa_read_source(qp, wqe, dst, off, n, &rseg);
	if (!st)
		st = aifab_efa_carry(qp, dst, edev, n);
	if (st)
		return st;
	if (n)
		aifab_efa_copy(&lseg, 1, &rseg, 1, n);
	qp->moved += n;
	qp->read_done += n;
	aifab_efa_count(edev->stats, AIFAB_EFA_STAT_ENGINE_COPIED_BYTES, n);
	aifab_efa_count(edev->stats, AIFAB_EFA_STAT_RDMA_READ_BYTES, n);
	aifab_efa_count(dst->stats, AIFAB_EFA_STAT_RDMA_READ_RESP_BYTES, n);
	if (qp->read_done < total)
		return AIFAB_EFA_ST_PARTIAL;
	aifab_efa_count(edev->stats, AIFAB_EFA_STAT_RDMA_READ_WRS, 1);
	return AIFAB_EFA_ST_OK;
}

static u8 aifab_efa_run_read(struct aifab_efa_qp *qp,
			     const struct aifab_efa_tx_wqe *wqe,
			     struct aifab_efa_dev *dst)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(qp->ibqp.device);
	const struct aifab_efa_sge *remote = &wqe->rdma[0];
	const struct aifab_efa_sge *local = &wqe->rdma[1];
	u8 st;

	if (qp->ibqp.qp_type != IB_QPT_DRIVER)
		return AIFAB_EFA_ST_BAD_OP;
	/* No local buffer (libefa's empty SGE list) reads nothing. */
	if (wqe->length > 1 || (wqe->length && (local->lkey & ~AIFAB_EFA_KEY)) ||
	    (wqe->ctrl1 & (AIFAB_EFA_CTRL1_INLINE | AIFAB_EFA_CTRL1_HAS_IMM)))
		return AIFAB_EFA_ST_QP_INTERNAL;
	if (remote->length > (wqe->length ? local->length : 0) ||
	    remote->length > AIFAB_EFA_MAX_RDMA_SIZE)
		return AIFAB_EFA_ST_BAD_LENGTH;
	/* Shortened by userspace since the last piece. */
	if (qp->read_done > remote->length)
		return AIFAB_EFA_ST_QP_INTERNAL;
	if (!dst)
		return AIFAB_EFA_ST_REM_BAD_ADDRESS;
	/* The request crosses the fabric before any data comes back. */
	if (!qp->read_done) {
		st = aifab_efa_carry(qp, edev, dst, 0);
		if (st)
			return st;
	}
	return aifab_efa_read_piece(qp, wqe, dst);
}

/* Execute one descriptor; return its status. */
static u8 aifab_efa_wqe_run(struct aifab_efa_qp *qp,
			    const struct aifab_efa_tx_wqe *wqe)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(qp->ibqp.device);
	struct aifab_efa_ah *ah;
	struct aifab_efa_dev *dst;
	u8 st;

	if (!aifab_efa_wqe_wellformed(wqe))
		return AIFAB_EFA_ST_QP_INTERNAL;
	ah = xa_load(&edev->ahs, wqe->ah);
	if (!ah || ah->pdn != qp->pdn)
		return AIFAB_EFA_ST_BAD_AH;
	dst = aifab_efa_engine_find_dev(&ah->dgid);
	switch (FIELD_GET(AIFAB_EFA_CTRL1_OP, wqe->ctrl1)) {
	case AIFAB_EFA_OP_SEND:
		return aifab_efa_run_send(qp, wqe, dst);
	case AIFAB_EFA_OP_RDMA_READ:
		st = aifab_efa_run_read(qp, wqe, dst);
		if (st != AIFAB_EFA_ST_PARTIAL)
			qp->read_done = 0;
		if (st && st != AIFAB_EFA_ST_PARTIAL)
			aifab_efa_count(edev->stats,
					AIFAB_EFA_STAT_RDMA_READ_WR_ERR, 1);
		return st;
	}
	return AIFAB_EFA_ST_BAD_OP;
}

/*
 * An SRD send found no buffer: wait and run it again, while rnr_retry
 * allows. Return true to wait.
 */
static bool aifab_efa_rnr_wait(struct aifab_efa_qp *qp)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(qp->ibqp.device);

	if (qp->rnr_retry != AIFAB_EFA_RNR_FOREVER &&
	    qp->rnr_tries >= qp->rnr_retry)
		return false;
	qp->rnr_tries++;
	qp->rnr_next = ktime_add_us(ktime_get(), AIFAB_EFA_RNR_DELAY_US);
	aifab_efa_count(edev->stats, AIFAB_EFA_STAT_IMPAIRED_REMOTE_CONN_EVENTS,
			1);
	return true;
}

static const char *aifab_efa_status_why(u8 status)
{
	switch (status) {
	case AIFAB_EFA_ST_BAD_OP:
		return "operation not supported on this QP";
	case AIFAB_EFA_ST_BAD_AH:
		return "address handle not in the QP's PD";
	case AIFAB_EFA_ST_BAD_LKEY:
		return "buffer outside its region";
	case AIFAB_EFA_ST_BAD_LENGTH:
		return "message too long";
	}
	return "malformed send descriptor";
}

/* A QP in error: complete everything posted as flushed. */
static unsigned int aifab_efa_qp_flush(struct aifab_efa_qp *qp)
{
	struct aifab_efa_tx_wqe wqe;
	unsigned int n = 0;
	u16 pending = aifab_efa_sq_doorbell(qp) - qp->sq_cons;

	if (pending > qp->sq_descs) {
		/* Garbage: nothing to echo. */
		qp->sq_cons += pending;
		pending = 0;
	}
	/* The descriptors were written before the doorbell. */
	smp_rmb();
	while (pending-- && aifab_efa_cq_has_room(aifab_efa_send_cq(qp), 1)) {
		aifab_efa_wqe_get(qp, &wqe);
		qp->sq_cons++;
		aifab_efa_send_complete(qp, &wqe, AIFAB_EFA_ST_FLUSHED);
		n++;
	}
	return n + aifab_efa_rq_flush(qp);
}

/**
 * aifab_efa_sq_run() - execute what a QP's send doorbell posted
 * @qp: a QP the engine serves
 * @budget: at most this many descriptors
 *
 * Engine only. Stops early at a full send CQ, at a send waiting for its
 * receiver, after a piece of an RDMA READ, once about
 * %AIFAB_EFA_QP_BYTES moved (in @qp->moved), or when the QP went into
 * error.
 *
 * Return: how much it did: descriptors executed or flushed, and pieces of
 * READs.
 */
unsigned int aifab_efa_sq_run(struct aifab_efa_qp *qp, unsigned int budget)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(qp->ibqp.device);
	struct aifab_efa_tx_wqe wqe;
	unsigned int n;
	int pending;
	u8 st;

	qp->moved = 0;
	if (READ_ONCE(qp->state) == IB_QPS_ERR)
		return aifab_efa_qp_flush(qp);
	pending = aifab_efa_sq_pending(qp);
	if (pending < 0)
		return 1;
	for (n = 0; n < min_t(unsigned int, pending, budget); n++) {
		if (qp->rnr_tries && ktime_before(ktime_get(), qp->rnr_next))
			break;
		if (!aifab_efa_cq_has_room(aifab_efa_send_cq(qp), 1))
			break;
		aifab_efa_wqe_get(qp, &wqe);
		st = aifab_efa_wqe_run(qp, &wqe);
		if (st == AIFAB_EFA_ST_PARTIAL)
			return n + 1;
		if (st == AIFAB_EFA_ST_RNR && aifab_efa_rnr_wait(qp))
			break;
		qp->rnr_tries = 0;
		qp->sq_cons++;
		aifab_efa_count(edev->stats, AIFAB_EFA_STAT_ENGINE_WQES, 1);
		aifab_efa_send_complete(qp, &wqe, st);
		if (st && !aifab_efa_status_remote(st))
			aifab_efa_qp_fatal(qp, aifab_efa_status_why(st));
		/* Also when its own receive queue failed a loopback send. */
		if (READ_ONCE(qp->state) == IB_QPS_ERR ||
		    qp->moved >= AIFAB_EFA_QP_BYTES)
			return n + 1;
	}
	return n;
}
