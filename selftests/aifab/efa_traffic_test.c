// SPDX-License-Identifier: GPL-2.0
/*
 * The EFA devices' data path, driven by unmodified libibverbs and libefa
 * from aifab_efa0 to aifab_efa1: every byte and every completion field is
 * checked against what was sent.
 *
 * - SEND/RECV on SRD and UD, with and without immediate data, at sizes up
 *   to the MTU; a UD receive has the GRH first;
 * - scatter-gather on both ends, and inline sends;
 * - RDMA READ, and a bad rkey failing only that read;
 * - zero-copy: an accelerator's buffer, registered from its dma-buf, is
 *   the target of a RECV and the source of a READ, and the engine copies
 *   each byte once, straight into or out of the accelerator's pages;
 * - many QPs at once, matched by immediate data, not by order (SRD is
 *   unordered);
 * - a full CQ holds the engine back and nothing is lost;
 * - completion events on a channel when armed, even when a poll overwrote
 *   the arm bit;
 * - a receiver without buffers: RNR, then retried until it posts;
 * - a descriptor with a bad key, or longer than the MTU, puts its QP into error and flushes it,
 *   while another QP goes on; so do descriptors written straight into the
 *   ring with a bad opcode or flags, and a doorbell past the ring;
 * - objects destroyed under a send: a handle, a region, the peer QP;
 * - partitions without a fence: sends and reads fail, and are counted;
 * - 10% drops on the link: every message arrives once, retransmitted.
 *
 * Runs as root inside tools/vm-run.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

#include <infiniband/efadv.h>
#include <infiniband/verbs.h>

#include "kselftest_harness.h"

#include "accel_helpers.h"
#include "aifab_helpers.h"

#define BUF_BYTES	(4 << 20)
#define MTU		4096
#define GRH		40
#define QKEY		0x11111111
#define POLL_MS		5000

/* One end: a device opened, a QP on it, and a registered buffer. */
struct end {
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	struct ibv_cq *cq;
	struct ibv_qp *qp;
	struct ibv_mr *mr;
	struct ibv_ah *ah;
	union ibv_gid gid;
	uint8_t *buf;
};

static struct ibv_context *open_dev(const char *name)
{
	struct ibv_device **list = ibv_get_device_list(NULL);
	struct ibv_context *ctx = NULL;
	int i;

	for (i = 0; list && list[i]; i++)
		if (!strcmp(ibv_get_device_name(list[i]), name))
			ctx = ibv_open_device(list[i]);
	if (list)
		ibv_free_device_list(list);
	return ctx;
}

static struct ibv_qp *make_qp(struct end *e, enum ibv_qp_type type,
			      unsigned int depth)
{
	struct ibv_qp_init_attr_ex init = {
		.qp_type = type == IBV_QPT_DRIVER ? IBV_QPT_DRIVER : IBV_QPT_UD,
		.send_cq = e->cq,
		.recv_cq = e->cq,
		.pd = e->pd,
		.comp_mask = IBV_QP_INIT_ATTR_PD,
		.cap = { .max_send_wr = depth, .max_recv_wr = depth,
			 .max_send_sge = 2, .max_recv_sge = 2,
			 .max_inline_data = 32 },
	};
	struct efadv_qp_init_attr efa = {
		.driver_qp_type = EFADV_QP_DRIVER_TYPE_SRD,
	};

	if (type != IBV_QPT_DRIVER)
		return ibv_create_qp_ex(e->ctx, &init);
	/* The ibv_wr_*() API, which RDMA READ needs. */
	init.comp_mask |= IBV_QP_INIT_ATTR_SEND_OPS_FLAGS;
	init.send_ops_flags = IBV_QP_EX_WITH_SEND |
			      IBV_QP_EX_WITH_SEND_WITH_IMM |
			      IBV_QP_EX_WITH_RDMA_READ;
	return efadv_create_qp_ex(e->ctx, &init, &efa, sizeof(efa));
}

static int qp_ready(struct ibv_qp *qp, int rnr_retry)
{
	struct ibv_qp_attr a = { .qp_state = IBV_QPS_INIT, .port_num = 1,
				 .qkey = QKEY };
	int ret;

	ret = ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX |
			    IBV_QP_PORT | IBV_QP_QKEY);
	a.qp_state = IBV_QPS_RTR;
	ret = ret ?: ibv_modify_qp(qp, &a, IBV_QP_STATE);
	a.qp_state = IBV_QPS_RTS;
	a.rnr_retry = rnr_retry;
	return ret ?: ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_SQ_PSN |
				    (rnr_retry >= 0 ? IBV_QP_RNR_RETRY : 0));
}

/* SRD retries a receiver without buffers without end; UD has no RNR. */
static int rnr_forever(enum ibv_qp_type type)
{
	return type == IBV_QPT_DRIVER ? 7 : -1;
}

static int end_open(struct end *e, const char *name, enum ibv_qp_type type,
		    unsigned int cqe, unsigned int depth)
{
	memset(e, 0, sizeof(*e));
	e->ctx = open_dev(name);
	if (!e->ctx)
		return -1;
	e->pd = ibv_alloc_pd(e->ctx);
	e->cq = e->pd ? ibv_create_cq(e->ctx, cqe, NULL, NULL, 0) : NULL;
	e->buf = aligned_alloc(4096, BUF_BYTES);
	if (!e->cq || !e->buf || ibv_query_gid(e->ctx, 1, 0, &e->gid))
		return -1;
	memset(e->buf, 0, BUF_BYTES);
	e->mr = ibv_reg_mr(e->pd, e->buf, BUF_BYTES, IBV_ACCESS_LOCAL_WRITE |
			   IBV_ACCESS_REMOTE_READ);
	e->qp = e->mr ? make_qp(e, type, depth) : NULL;
	if (!e->qp)
		return -1;
	return qp_ready(e->qp, rnr_forever(type));
}

static struct ibv_ah *ah_to(struct end *from, const struct end *to)
{
	struct ibv_ah_attr attr = { .is_global = 1, .port_num = 1,
				    .grh.dgid = to->gid };

	return ibv_create_ah(from->pd, &attr);
}

static void end_close(struct end *e)
{
	if (e->ah)
		ibv_destroy_ah(e->ah);
	if (e->qp)
		ibv_destroy_qp(e->qp);
	if (e->mr)
		ibv_dereg_mr(e->mr);
	if (e->cq)
		ibv_destroy_cq(e->cq);
	if (e->pd)
		ibv_dealloc_pd(e->pd);
	if (e->ctx)
		ibv_close_device(e->ctx);
	free(e->buf);
	memset(e, 0, sizeof(*e));
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One completion, or -1 after POLL_MS. */
static int poll_one(struct ibv_cq *cq, struct ibv_wc *wc)
{
	long end = now_ms() + POLL_MS;
	int n;

	do {
		n = ibv_poll_cq(cq, 1, wc);
		if (n)
			return n == 1 ? 0 : -1;
	} while (now_ms() < end);
	return -1;
}

static int post_recv(struct end *e, uint64_t id, const struct ibv_sge *sg,
		     int nsge)
{
	struct ibv_recv_wr wr = { .wr_id = id, .sg_list = (struct ibv_sge *)sg,
				  .num_sge = nsge }, *bad;

	return ibv_post_recv(e->qp, &wr, &bad);
}

static int post_send(struct end *e, struct ibv_qp *dst, uint64_t id,
		     const struct ibv_sge *sg, int nsge, int flags,
		     const uint32_t *imm)
{
	struct ibv_send_wr wr = {
		.wr_id = id, .sg_list = (struct ibv_sge *)sg, .num_sge = nsge,
		.opcode = imm ? IBV_WR_SEND_WITH_IMM : IBV_WR_SEND,
		.send_flags = IBV_SEND_SIGNALED | flags,
		.wr.ud = { .ah = e->ah, .remote_qpn = dst->qp_num,
			   .remote_qkey = QKEY },
	}, *bad;

	if (imm)
		wr.imm_data = htobe32(*imm);
	return ibv_post_send(e->qp, &wr, &bad);
}

static struct ibv_sge sge(struct end *e, size_t off, uint32_t len)
{
	return (struct ibv_sge){ .addr = (uintptr_t)e->buf + off,
				 .length = len, .lkey = e->mr->lkey };
}

static void fill(uint8_t *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 8));
}

/* A hardware counter; ib_core caches them for "lifespan" ms (10). */
static long stat_of(const char *dev, const char *name)
{
	char path[256], line[64];
	long v = -1;
	FILE *f;

	usleep(50000);
	snprintf(path, sizeof(path),
		 "/sys/class/infiniband/%s/ports/1/hw_counters/%s", dev, name);
	f = fopen(path, "r");
	if (f && fgets(line, sizeof(line), f))
		v = strtol(line, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

FIXTURE(pair) {
	struct end a;
	struct end b;
};

FIXTURE_VARIANT(pair) {
	enum ibv_qp_type type;
};

FIXTURE_VARIANT_ADD(pair, srd) {
	.type = IBV_QPT_DRIVER,
};

FIXTURE_VARIANT_ADD(pair, ud) {
	.type = IBV_QPT_UD,
};

FIXTURE_SETUP(pair)
{
	if (geteuid() || !getenv("AIFAB_KO"))
		SKIP(return, "needs root and the module (tools/vm-run)");
	ASSERT_EQ(0, end_open(&self->a, "aifab_efa0", variant->type, 256, 128))
		TH_LOG("aifab_efa0: %s", strerror(errno));
	ASSERT_EQ(0, end_open(&self->b, "aifab_efa1", variant->type, 256, 128))
		TH_LOG("aifab_efa1: %s", strerror(errno));
	self->a.ah = ah_to(&self->a, &self->b);
	self->b.ah = ah_to(&self->b, &self->a);
	ASSERT_NE(NULL, self->a.ah);
	ASSERT_NE(NULL, self->b.ah);
}

FIXTURE_TEARDOWN(pair)
{
	end_close(&self->a);
	end_close(&self->b);
}

/* Sizes up to the MTU, with and without immediate data. */
TEST_F(pair, send_recv_sizes)
{
	static const uint32_t sizes[] = { 0, 1, 7, 64, 1000, 4095, 4096 };
	uint32_t hdr = variant->type == IBV_QPT_UD ? GRH : 0;
	struct ibv_sge s, r;
	struct ibv_wc wc;
	unsigned int i;
	uint32_t imm;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fill(self->a.buf, sizes[i], i);
		memset(self->b.buf, 0xee, MTU + GRH + 1);
		r = sge(&self->b, 0, MTU + GRH);
		s = sge(&self->a, 0, sizes[i]);
		imm = 0xabc00000 + i;
		ASSERT_EQ(0, post_recv(&self->b, 100 + i, &r, 1));
		ASSERT_EQ(0, post_send(&self->a, self->b.qp, 200 + i, &s, 1, 0,
				       i % 2 ? &imm : NULL));
		ASSERT_EQ(0, poll_one(self->a.cq, &wc)) TH_LOG("no send completion, size %u", sizes[i]);
		EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
		EXPECT_EQ(IBV_WC_SEND, wc.opcode);
		EXPECT_EQ(200 + i, wc.wr_id);
		ASSERT_EQ(0, poll_one(self->b.cq, &wc)) TH_LOG("no receive completion, size %u", sizes[i]);
		EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
		EXPECT_EQ(IBV_WC_RECV, wc.opcode);
		EXPECT_EQ(100 + i, wc.wr_id);
		EXPECT_EQ(hdr + sizes[i], wc.byte_len);
		EXPECT_EQ(self->a.qp->qp_num, wc.src_qp);
		EXPECT_EQ(self->b.qp->qp_num, wc.qp_num);
		EXPECT_EQ(i % 2 ? IBV_WC_WITH_IMM : 0,
			  wc.wc_flags & IBV_WC_WITH_IMM);
		if (i % 2)
			EXPECT_EQ(imm, be32toh(wc.imm_data));
		EXPECT_EQ(0, memcmp(self->a.buf, self->b.buf + hdr, sizes[i]))
			TH_LOG("data differs at size %u", sizes[i]);
		EXPECT_EQ(0xee, self->b.buf[hdr + sizes[i]]);
		if (hdr) {
			/* The GRH: the sender's GID at bytes 8..23. */
			EXPECT_EQ(0, memcmp(self->b.buf + 8, self->a.gid.raw, 16));
			EXPECT_EQ(0, memcmp(self->b.buf + 24, self->b.gid.raw, 16));
		}
	}
}

/* Two buffers on each end, split at different places. */
TEST_F(pair, scatter_gather)
{
	uint32_t hdr = variant->type == IBV_QPT_UD ? GRH : 0;
	struct ibv_sge s[2], r[2];
	struct ibv_wc wc;

	fill(self->a.buf, 8192, 42);
	s[0] = sge(&self->a, 100, 1000);
	s[1] = sge(&self->a, 5000, 3000);
	r[0] = sge(&self->b, 0, hdr + 2500);
	r[1] = sge(&self->b, 65536, 4096);
	ASSERT_EQ(0, post_recv(&self->b, 1, r, 2));
	ASSERT_EQ(0, post_send(&self->a, self->b.qp, 2, s, 2, 0, NULL));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
	ASSERT_EQ(0, poll_one(self->b.cq, &wc));
	EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
	EXPECT_EQ(hdr + 4000, wc.byte_len);
	EXPECT_EQ(0, memcmp(self->b.buf + hdr, self->a.buf + 100, 1000));
	EXPECT_EQ(0, memcmp(self->b.buf + hdr + 1000, self->a.buf + 5000,
			    1500));
	EXPECT_EQ(0, memcmp(self->b.buf + 65536, self->a.buf + 6500, 1500));
}

/* Inline data is taken at post time: changing the buffer after is safe. */
TEST_F(pair, inline_send)
{
	uint32_t hdr = variant->type == IBV_QPT_UD ? GRH : 0;
	struct ibv_sge s, r;
	struct ibv_wc wc;
	uint32_t len;

	for (len = 1; len <= 32; len += 31) {
		memcpy(self->a.buf, "inline data, at most 32 bytes!!!", len);
		s = (struct ibv_sge){ .addr = (uintptr_t)self->a.buf,
				      .length = len };
		r = sge(&self->b, 0, 4096);
		ASSERT_EQ(0, post_recv(&self->b, len, &r, 1));
		ASSERT_EQ(0, post_send(&self->a, self->b.qp, len, &s, 1,
				       IBV_SEND_INLINE, NULL));
		memset(self->a.buf, 'X', 32);
		ASSERT_EQ(0, poll_one(self->a.cq, &wc));
		EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
		ASSERT_EQ(0, poll_one(self->b.cq, &wc));
		EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
		EXPECT_EQ(hdr + len, wc.byte_len);
		EXPECT_EQ(0, memcmp(self->b.buf + hdr,
				    "inline data, at most 32 bytes!!!", len));
	}
}

/*
 * Each message landed in the buffer its receive's wr_id names, with the
 * data its immediate names: whatever the order they arrived in.
 */
static int check_rx(struct __test_metadata *_metadata, struct end *rx,
		    const struct ibv_wc *wcs, uint32_t hdr, unsigned int n,
		    unsigned int len)
{
	unsigned char seen[256] = {};
	uint8_t want[MTU];
	unsigned int i, id;

	for (i = 0; i < n; i++) {
		EXPECT_EQ(IBV_WC_SUCCESS, wcs[i].status);
		id = be32toh(wcs[i].imm_data);
		if (id >= n || seen[id]++)
			return -1;
		fill(want, len, id);
		EXPECT_EQ(0, memcmp(rx->buf + wcs[i].wr_id * 8192 + hdr, want,
				    len)) TH_LOG("message %u", id);
	}
	return 0;
}

/* @n completions from each CQ, polled in turn: either may hold the other. */
static int drain(struct ibv_cq *tx, struct ibv_wc *txs, struct ibv_cq *rx,
		 struct ibv_wc *rxs, unsigned int n)
{
	long end = now_ms() + POLL_MS;
	unsigned int ntx = 0, nrx = 0;

	while (ntx < n || nrx < n) {
		if (now_ms() > end)
			return -1;
		if (ntx < n && ibv_poll_cq(tx, 1, &txs[ntx]) == 1)
			ntx++;
		if (nrx < n && ibv_poll_cq(rx, 1, &rxs[nrx]) == 1)
			nrx++;
	}
	return 0;
}

static int check_batch(struct __test_metadata *_metadata, struct end *tx,
		       struct end *rx, uint32_t hdr, unsigned int n,
		       unsigned int len)
{
	struct ibv_wc txs[256], rxs[256];
	unsigned int i;

	if (n > 256 || drain(tx->cq, txs, rx->cq, rxs, n))
		return -1;
	for (i = 0; i < n; i++)
		EXPECT_EQ(IBV_WC_SUCCESS, txs[i].status) TH_LOG("send %u", i);
	return check_rx(_metadata, rx, rxs, hdr, n, len);
}

/* Move an end's QP onto a CQ of 16 entries. */
static int small_cq(struct end *e, enum ibv_qp_type type)
{
	struct ibv_cq *small = ibv_create_cq(e->ctx, 16, NULL, NULL, 0);

	if (!small)
		return -1;
	ibv_destroy_qp(e->qp);
	ibv_destroy_cq(e->cq);
	e->cq = small;
	e->qp = make_qp(e, type, 128);
	return e->qp ? qp_ready(e->qp, rnr_forever(type)) : -1;
}

/* 64 messages through CQs of 16: the engine waits for room. */
static void cq_full(struct __test_metadata *_metadata, struct end *a,
		    struct end *b, uint32_t hdr)
{
	struct ibv_sge s, r;
	struct ibv_wc wc;
	uint32_t i;

	for (i = 0; i < 64; i++) {
		r = sge(b, i * 8192, 8192);
		ASSERT_EQ(0, post_recv(b, i, &r, 1));
	}
	for (i = 0; i < 64; i++) {
		fill(a->buf + i * 8192, 512, i);
		s = sge(a, i * 8192, 512);
		ASSERT_EQ(0, post_send(a, b->qp, i, &s, 1, 0, &i));
	}
	usleep(200000);
	EXPECT_EQ(0, check_batch(_metadata, a, b, hdr, 64, 512));
	EXPECT_EQ(0, ibv_poll_cq(b->cq, 1, &wc));
	EXPECT_EQ(0, ibv_poll_cq(a->cq, 1, &wc));
}

TEST_F(pair, cq_full_sender)
{
	ASSERT_EQ(0, small_cq(&self->a, variant->type));
	cq_full(_metadata, &self->a, &self->b,
		variant->type == IBV_QPT_UD ? GRH : 0);
}

/* SRD only: a UD receiver with a full CQ drops, as with no buffer. */
TEST_F(pair, cq_full_receiver)
{
	if (variant->type != IBV_QPT_DRIVER)
		SKIP(return, "UD drops what it has no room for");
	ASSERT_EQ(0, small_cq(&self->b, variant->type));
	cq_full(_metadata, &self->a, &self->b, 0);
}

/* Wait up to @ms for an event on @ch; 1 if one came. */
static int event_within(struct ibv_comp_channel *ch, int ms)
{
	struct pollfd pfd = { .fd = ch->fd, .events = POLLIN };

	return poll(&pfd, 1, ms);
}

/* A CQ with a channel raises an event when armed. */
TEST_F(pair, completion_events)
{
	struct ibv_comp_channel *ch;
	struct ibv_cq *cq, *ev_cq;
	struct ibv_sge s, r;
	struct ibv_wc wc;
	void *ctx;
	int round;

	ch = ibv_create_comp_channel(self->b.ctx);
	ASSERT_NE(NULL, ch);
	cq = ibv_create_cq(self->b.ctx, 64, NULL, ch, 0);
	ASSERT_NE(NULL, cq);
	ibv_destroy_qp(self->b.qp);
	ibv_destroy_cq(self->b.cq);
	self->b.cq = cq;
	self->b.qp = make_qp(&self->b, variant->type, 16);
	ASSERT_NE(NULL, self->b.qp);
	ASSERT_EQ(0, qp_ready(self->b.qp, rnr_forever(variant->type)));
	s = sge(&self->a, 0, 100);
	for (round = 0; round < 3; round++) {
		r = sge(&self->b, 0, 4096);
		ASSERT_EQ(0, post_recv(&self->b, round, &r, 1));
		ASSERT_EQ(0, ibv_req_notify_cq(cq, 0));
		ASSERT_EQ(0, post_send(&self->a, self->b.qp, round, &s, 1, 0,
				       NULL));
		ASSERT_EQ(1, event_within(ch, POLL_MS)) TH_LOG("round %d", round);
		ASSERT_EQ(0, ibv_get_cq_event(ch, &ev_cq, &ctx));
		EXPECT_EQ(cq, ev_cq);
		ibv_ack_cq_events(cq, 1);
		ASSERT_EQ(0, poll_one(cq, &wc));
		EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
		EXPECT_EQ(round, wc.wr_id);
		ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	}
	/*
	 * Armed, then a poll that found an entry overwrote the doorbell's
	 * arm bit before the engine saw it: the event still comes. (The
	 * price is that an event read without re-arming may be followed by
	 * a spurious one, which verbs programs must handle anyway.)
	 */
	r = sge(&self->b, 0, 4096);
	ASSERT_EQ(0, post_recv(&self->b, 9, &r, 1));
	ASSERT_EQ(0, post_recv(&self->b, 10, &r, 1));
	ASSERT_EQ(0, ibv_req_notify_cq(cq, 0));
	ASSERT_EQ(0, post_send(&self->a, self->b.qp, 9, &s, 1, 0, NULL));
	ASSERT_EQ(1, event_within(ch, POLL_MS));
	ASSERT_EQ(0, ibv_get_cq_event(ch, &ev_cq, &ctx));
	ibv_ack_cq_events(cq, 1);
	ASSERT_EQ(0, ibv_req_notify_cq(cq, 0));
	ASSERT_EQ(0, poll_one(cq, &wc));
	EXPECT_EQ(9, wc.wr_id);
	ASSERT_EQ(0, post_send(&self->a, self->b.qp, 10, &s, 1, 0, NULL));
	ASSERT_EQ(1, event_within(ch, POLL_MS));
	ASSERT_EQ(0, ibv_get_cq_event(ch, &ev_cq, &ctx));
	ibv_ack_cq_events(cq, 1);
	ASSERT_EQ(0, poll_one(cq, &wc));
	EXPECT_EQ(10, wc.wr_id);
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	ibv_destroy_qp(self->b.qp);
	self->b.qp = NULL;
	ibv_destroy_cq(cq);
	self->b.cq = NULL;
	EXPECT_EQ(0, ibv_destroy_comp_channel(ch));
}

/* Many QPs at once, each checked message by message. */
TEST_F(pair, many_qps)
{
	uint32_t hdr = variant->type == IBV_QPT_UD ? GRH : 0;
	struct ibv_qp *tx[8], *rx[8];
	struct ibv_qp *a_qp = self->a.qp, *b_qp = self->b.qp;
	struct ibv_sge s, r;
	uint32_t q, i, id;

	for (q = 0; q < 8; q++) {
		tx[q] = make_qp(&self->a, variant->type, 16);
		rx[q] = make_qp(&self->b, variant->type, 16);
		ASSERT_NE(NULL, tx[q]);
		ASSERT_NE(NULL, rx[q]);
		ASSERT_EQ(0, qp_ready(tx[q], rnr_forever(variant->type)));
		ASSERT_EQ(0, qp_ready(rx[q], rnr_forever(variant->type)));
		self->b.qp = rx[q];
		for (i = 0; i < 8; i++) {
			r = sge(&self->b, (q * 8 + i) * 8192, 8192);
			ASSERT_EQ(0, post_recv(&self->b, q * 8 + i, &r, 1));
		}
	}
	for (i = 0; i < 8; i++)
		for (q = 0; q < 8; q++) {
			id = q * 8 + i;
			fill(self->a.buf + id * 8192, 2048, id);
			s = sge(&self->a, id * 8192, 2048);
			self->a.qp = tx[q];
			ASSERT_EQ(0, post_send(&self->a, rx[q], id, &s, 1, 0,
					       &id));
		}
	self->a.qp = a_qp;
	self->b.qp = b_qp;
	EXPECT_EQ(0, check_batch(_metadata, &self->a, &self->b, hdr, 64, 2048));
	for (q = 0; q < 8; q++) {
		EXPECT_EQ(0, ibv_destroy_qp(tx[q]));
		EXPECT_EQ(0, ibv_destroy_qp(rx[q]));
	}
}

/* A bad lkey fails the send and puts only that QP into error. */
TEST_F(pair, bad_lkey_errors_qp)
{
	struct ibv_qp *good = self->a.qp, *bad_qp;
	struct ibv_qp_attr attr;
	struct ibv_qp_init_attr init;
	struct ibv_sge s, r;
	struct ibv_wc wc;
	long tx_pkts = stat_of("aifab_efa0", "tx_pkts");

	bad_qp = make_qp(&self->a, variant->type, 16);
	ASSERT_NE(NULL, bad_qp);
	ASSERT_EQ(0, qp_ready(bad_qp, -1));
	self->a.qp = bad_qp;
	s = sge(&self->a, 0, 64);
	s.lkey ^= 0x800;
	ASSERT_EQ(0, post_send(&self->a, self->b.qp, 1, &s, 1, 0, NULL));
	s.lkey = self->a.mr->lkey;
	ASSERT_EQ(0, post_send(&self->a, self->b.qp, 2, &s, 1, 0, NULL));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_EQ(1, wc.wr_id);
	EXPECT_EQ(IBV_WC_LOC_PROT_ERR, wc.status);
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_EQ(2, wc.wr_id);
	EXPECT_EQ(IBV_WC_WR_FLUSH_ERR, wc.status);
	EXPECT_EQ(0, ibv_query_qp(bad_qp, &attr, IBV_QP_STATE, &init));
	EXPECT_EQ(IBV_QPS_ERR, attr.qp_state);
	EXPECT_EQ(tx_pkts, stat_of("aifab_efa0", "tx_pkts"));

	/* The other QP is untouched. */
	self->a.qp = good;
	r = sge(&self->b, 0, 4096);
	ASSERT_EQ(0, post_recv(&self->b, 3, &r, 1));
	ASSERT_EQ(0, post_send(&self->a, self->b.qp, 4, &s, 1, 0, NULL));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
	ASSERT_EQ(0, poll_one(self->b.cq, &wc));
	EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
	EXPECT_EQ(0, ibv_destroy_qp(bad_qp));
}

/*
 * Where libefa mapped a QP's send ring and doorbell page, found in
 * /proc/self/maps: the QP must be the newest in a context with one CQ,
 * made with 128 send WRs (the ring is then the only two-page mapping of
 * the context's file) and its doorbell page is mapped twice (send and
 * receive doorbells), unlike the CQ's. libefa maps them write-only;
 * reading them back needs PROT_READ too.
 */
static int find_rings(uint8_t **llq, uint32_t **db)
{
	unsigned long start, end, off, offs[16], starts[16];
	unsigned int n = 0, i, j;
	char line[512], perm[8];
	FILE *f = fopen("/proc/self/maps", "r");

	*llq = NULL;
	*db = NULL;
	while (f && fgets(line, sizeof(line), f)) {
		if (!strstr(line, "/dev/infiniband/uverbs") ||
		    sscanf(line, "%lx-%lx %7s %lx", &start, &end, perm,
			   &off) != 4 || perm[1] != 'w')
			continue;
		if (end - start == 8192)
			*llq = (uint8_t *)start;
		else if (end - start == 4096 && n < 16) {
			offs[n] = off;
			starts[n++] = start;
		}
	}
	if (f)
		fclose(f);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (offs[i] == offs[j])
				*db = (uint32_t *)starts[i];
	if (!*llq || !*db ||
	    mprotect(*llq, 8192, PROT_READ | PROT_WRITE) ||
	    mprotect(*db, 4096, PROT_READ | PROT_WRITE))
		return -1;
	return 0;
}

/* Descriptors written into the ring by hand, as a buggy library might. */
TEST_F(pair, raw_descriptor_garbage)
{
	static const struct {
		const char *what;
		uint8_t ctrl1, ctrl2;
		uint16_t length;
		bool dead_ah;
		int status;
	} cases[] = {
		{ "unknown opcode", 0x80 | 5, 0x1c, 0, false, IBV_WC_LOC_QP_OP_ERR },
		{ "no meta bit", 0x00, 0x1c, 0, false, IBV_WC_LOC_QP_OP_ERR },
		{ "extension bit", 0xc0, 0x1c, 0, false, IBV_WC_LOC_QP_OP_ERR },
		{ "not first and last", 0x80, 0x10, 0, false,
		  IBV_WC_LOC_QP_OP_ERR },
		{ "three SGEs", 0x80, 0x1c, 3, false, IBV_WC_LOC_QP_OP_ERR },
		{ "inline too long", 0xa0, 0x1c, 33, false, IBV_WC_LOC_LEN_ERR },
		{ "destroyed address handle", 0x80, 0x1c, 1, true,
		  IBV_WC_LOC_QP_OP_ERR },
	};
	struct efadv_ah_attr ah_attr = {};
	struct ibv_ah *dead;
	struct ibv_qp_attr attr;
	struct ibv_qp_init_attr init;
	struct ibv_sge s, r;
	struct ibv_wc wc;
	uint32_t *db;
	uint8_t *llq, *wqe;
	unsigned int i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/*
		 * A send CQ of 16, filled by 16 good sends, holds the 17th
		 * back: its descriptor, whose id libefa gave out, is then
		 * spoilt in the ring before the CQ is polled.
		 */
		end_close(&self->a);
		ASSERT_EQ(0, end_open(&self->a, "aifab_efa0", variant->type,
				      16, 128));
		self->a.ah = ah_to(&self->a, &self->b);
		ASSERT_NE(NULL, self->a.ah);
		ASSERT_EQ(0, find_rings(&llq, &db)) TH_LOG("rings not found");
		s = sge(&self->a, 0, 64);
		for (n = 0; n < 17; n++) {
			r = sge(&self->b, 0, 4096);
			ASSERT_EQ(0, post_recv(&self->b, n, &r, 1));
			ASSERT_EQ(0, post_send(&self->a, self->b.qp, n, &s, 1, 0,
					       NULL));
		}
		usleep(100000);
		wqe = llq + 16 * 64;
		wqe[2] = cases[i].ctrl1;
		wqe[3] = cases[i].ctrl2;
		memcpy(wqe + 6, &cases[i].length, 2);
		if (cases[i].dead_ah) {
			dead = ah_to(&self->a, &self->b);
			ASSERT_NE(NULL, dead);
			ASSERT_EQ(0, efadv_query_ah(dead, &ah_attr,
						    sizeof(ah_attr)));
			ASSERT_EQ(0, ibv_destroy_ah(dead));
			memcpy(wqe + 12, &ah_attr.ahn, 2);
		}
		for (n = 0; n < 16; n++) {
			ASSERT_EQ(0, poll_one(self->a.cq, &wc));
			ASSERT_EQ(IBV_WC_SUCCESS, wc.status);
		}
		ASSERT_EQ(0, poll_one(self->a.cq, &wc)) TH_LOG("%s", cases[i].what);
		EXPECT_EQ(16, wc.wr_id);
		EXPECT_EQ(cases[i].status, wc.status) TH_LOG("%s", cases[i].what);
		EXPECT_EQ(0, ibv_query_qp(self->a.qp, &attr, IBV_QP_STATE,
					  &init));
		EXPECT_EQ(IBV_QPS_ERR, attr.qp_state) TH_LOG("%s", cases[i].what);
		/* 16 delivered; the 17th receive is still posted. */
		for (n = 0; n < 16; n++)
			ASSERT_EQ(0, poll_one(self->b.cq, &wc));
		EXPECT_EQ(0, ibv_poll_cq(self->b.cq, 1, &wc));
		end_close(&self->b);
		ASSERT_EQ(0, end_open(&self->b, "aifab_efa1", variant->type,
				      256, 128));
	}

	/* A doorbell past the ring: the QP goes into error, nothing runs. */
	end_close(&self->a);
	ASSERT_EQ(0, end_open(&self->a, "aifab_efa0", variant->type, 256, 128));
	ASSERT_EQ(0, find_rings(&llq, &db));
	__atomic_store_n(db, 1000, __ATOMIC_RELEASE);
	for (i = 0; i < 100; i++) {
		EXPECT_EQ(0, ibv_query_qp(self->a.qp, &attr, IBV_QP_STATE,
					  &init));
		if (attr.qp_state == IBV_QPS_ERR)
			break;
		usleep(10000);
	}
	EXPECT_EQ(IBV_QPS_ERR, attr.qp_state);
	EXPECT_EQ(0, ibv_poll_cq(self->a.cq, 1, &wc));
	EXPECT_EQ(0, ibv_poll_cq(self->b.cq, 1, &wc));
}

/* A send naming what was destroyed fails; it never reaches freed memory. */
TEST_F(pair, destroyed_objects)
{
	struct ibv_sge s, r;
	struct ibv_mr *mr;
	struct ibv_qp *peer;
	struct ibv_wc wc;

	/* The peer QP, destroyed: its number answers no more. */
	peer = make_qp(&self->b, variant->type, 16);
	ASSERT_NE(NULL, peer);
	ASSERT_EQ(0, qp_ready(peer, rnr_forever(variant->type)));
	r = sge(&self->b, 0, 4096);
	self->b.qp = peer;
	ASSERT_EQ(0, post_recv(&self->b, 1, &r, 1));
	self->b.qp = NULL;
	ASSERT_EQ(0, ibv_destroy_qp(peer));
	s = sge(&self->a, 0, 64);
	ASSERT_EQ(0, post_send(&self->a, peer, 1, &s, 1, 0, NULL));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	/* UD loses it silently; SRD says no such QP. */
	EXPECT_EQ(variant->type == IBV_QPT_UD ? IBV_WC_SUCCESS :
		  IBV_WC_REM_INV_RD_REQ_ERR, wc.status);
	self->b.qp = make_qp(&self->b, variant->type, 16);
	ASSERT_NE(NULL, self->b.qp);
	ASSERT_EQ(0, qp_ready(self->b.qp, rnr_forever(variant->type)));

	/* A region deregistered: its key fails the send and the QP. */
	mr = ibv_reg_mr(self->a.pd, self->a.buf, 4096, IBV_ACCESS_LOCAL_WRITE);
	ASSERT_NE(NULL, mr);
	s.lkey = mr->lkey;
	ASSERT_EQ(0, ibv_dereg_mr(mr));
	ASSERT_EQ(0, post_send(&self->a, self->b.qp, 2, &s, 1, 0, NULL));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_EQ(IBV_WC_LOC_PROT_ERR, wc.status);
}

/* A SEND longer than the MTU fails with a length error, and the QP. */
TEST_F(pair, too_long)
{
	struct ibv_qp_attr attr;
	struct ibv_qp_init_attr init;
	struct ibv_sge s[2];
	struct ibv_wc wc;

	s[0] = sge(&self->a, 0, MTU);
	s[1] = sge(&self->a, MTU, 1);
	ASSERT_EQ(0, post_send(&self->a, self->b.qp, 1, s, 2, 0, NULL));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_EQ(IBV_WC_LOC_LEN_ERR, wc.status);
	EXPECT_EQ(0, ibv_query_qp(self->a.qp, &attr, IBV_QP_STATE, &init));
	EXPECT_EQ(IBV_QPS_ERR, attr.qp_state);
	EXPECT_EQ(0, ibv_poll_cq(self->b.cq, 1, &wc));
}

/* No receive posted: RNR once the retries are spent; retried until then. */
TEST_F(pair, receiver_not_ready)
{
	struct ibv_qp_attr attr = { .rnr_retry = 0 };
	struct ibv_sge s, r;
	struct ibv_wc wc;

	if (variant->type != IBV_QPT_DRIVER)
		SKIP(return, "UD drops what finds no buffer");
	s = sge(&self->a, 0, 128);
	ASSERT_EQ(0, ibv_modify_qp(self->a.qp, &attr, IBV_QP_RNR_RETRY));
	ASSERT_EQ(0, post_send(&self->a, self->b.qp, 1, &s, 1, 0, NULL));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_EQ(IBV_WC_RNR_RETRY_EXC_ERR, wc.status);

	/* Without a limit, the send waits for the receive. */
	attr.rnr_retry = 7;
	ASSERT_EQ(0, ibv_modify_qp(self->a.qp, &attr, IBV_QP_RNR_RETRY));
	fill(self->a.buf, 128, 9);
	ASSERT_EQ(0, post_send(&self->a, self->b.qp, 2, &s, 1, 0, NULL));
	usleep(50000);
	EXPECT_EQ(0, ibv_poll_cq(self->a.cq, 1, &wc));
	r = sge(&self->b, 0, 4096);
	ASSERT_EQ(0, post_recv(&self->b, 3, &r, 1));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
	ASSERT_EQ(0, poll_one(self->b.cq, &wc));
	EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
	EXPECT_EQ(0, memcmp(self->a.buf, self->b.buf, 128));
	EXPECT_LT(0, stat_of("aifab_efa0", "impaired_remote_conn_events"));
}

static int post_read(struct end *e, struct ibv_qp *dst, uint64_t id,
		     size_t loff, uint64_t raddr, uint32_t rkey, uint32_t len)
{
	struct ibv_qp_ex *qpx = ibv_qp_to_qp_ex(e->qp);

	ibv_wr_start(qpx);
	qpx->wr_id = id;
	qpx->wr_flags = IBV_SEND_SIGNALED;
	ibv_wr_rdma_read(qpx, rkey, raddr);
	ibv_wr_set_sge(qpx, e->mr->lkey, (uintptr_t)e->buf + loff, len);
	ibv_wr_set_ud_addr(qpx, e->ah, dst->qp_num, QKEY);
	return ibv_wr_complete(qpx);
}

TEST_F(pair, rdma_read)
{
	static const uint32_t sizes[] = { 1, 4096, 100000, 1 << 20 };
	long before = stat_of("aifab_efa0", "rdma_read_bytes");
	struct efadv_device_attr dattr = {};
	struct ibv_wc wc;
	unsigned int i;
	uint64_t sum = 0;

	ASSERT_EQ(0, efadv_query_device(self->a.ctx, &dattr, sizeof(dattr)));
	EXPECT_TRUE(dattr.device_caps & EFADV_DEVICE_ATTR_CAPS_RDMA_READ);
	EXPECT_LT(0, dattr.max_rdma_size);
	if (variant->type != IBV_QPT_DRIVER)
		SKIP(return, "RDMA READ is SRD's");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fill(self->b.buf + 4096, sizes[i], i + 50);
		memset(self->a.buf, 0, sizes[i] + 1);
		ASSERT_EQ(0, post_read(&self->a, self->b.qp, i, 0,
				       (uintptr_t)self->b.buf + 4096,
				       self->b.mr->rkey, sizes[i]));
		ASSERT_EQ(0, poll_one(self->a.cq, &wc));
		EXPECT_EQ(IBV_WC_SUCCESS, wc.status) TH_LOG("size %u", sizes[i]);
		EXPECT_EQ(i, wc.wr_id);
		EXPECT_EQ(0, memcmp(self->a.buf, self->b.buf + 4096, sizes[i]));
		EXPECT_EQ(0, self->a.buf[sizes[i]]);
		sum += sizes[i];
	}
	EXPECT_EQ(before + (long)sum, stat_of("aifab_efa0", "rdma_read_bytes"));
	/* The responder wrote no completion. */
	EXPECT_EQ(0, ibv_poll_cq(self->b.cq, 1, &wc));

	/* A bad rkey, or a range past the region, fails only that read. */
	ASSERT_EQ(0, post_read(&self->a, self->b.qp, 10, 0,
			       (uintptr_t)self->b.buf, self->b.mr->rkey + 1,
			       64));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_NE(IBV_WC_SUCCESS, wc.status);
	ASSERT_EQ(0, post_read(&self->a, self->b.qp, 11, 0,
			       (uintptr_t)self->b.buf + BUF_BYTES - 32,
			       self->b.mr->rkey, 64));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_NE(IBV_WC_SUCCESS, wc.status);
	ASSERT_EQ(0, post_read(&self->a, self->b.qp, 12, 0,
			       (uintptr_t)self->b.buf, self->b.mr->rkey, 64));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
}

/* Bytes the engine copied, on both devices, from debugfs. */
static long engine_copied(void)
{
	const char *devs[] = { "aifab_efa0", "aifab_efa1" };
	char path[128], name[64];
	long v, sum = 0;
	unsigned int i;
	FILE *f;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path),
			 "/sys/kernel/debug/aifab/efa/%s/stats", devs[i]);
		f = fopen(path, "r");
		if (!f)
			return -1;
		while (fscanf(f, "%63s %ld", name, &v) == 2)
			if (!strcmp(name, "engine_copied_bytes"))
				sum += v;
		fclose(f);
	}
	return sum;
}

TEST_F(pair, zero_copy_dmabuf)
{
	const uint64_t iova = 0x700000000000ULL;
	struct ibv_sge s, r;
	struct ibv_mr *bo_mr;
	struct ibv_wc wc;
	uint32_t handle;
	int accel, dmabuf;
	uint8_t *bo;
	long copied;

	if (variant->type != IBV_QPT_DRIVER)
		SKIP(return, "RDMA READ is SRD's");
	accel = accel_open("accel0");
	ASSERT_LE(0, accel);
	ASSERT_EQ(0, bo_new(accel, 1 << 20, &handle, (void **)&bo));
	ASSERT_EQ(0, prime_export(accel, handle, &dmabuf));
	bo_mr = ibv_reg_dmabuf_mr(self->b.pd, 0, 1 << 20, iova, dmabuf,
				  IBV_ACCESS_LOCAL_WRITE |
				  IBV_ACCESS_REMOTE_READ);
	ASSERT_NE(NULL, bo_mr) TH_LOG("reg_dmabuf_mr: %s", strerror(errno));

	/* RECV into the accelerator's memory. */
	copied = engine_copied();
	fill(self->a.buf, 4096, 5);
	r = (struct ibv_sge){ .addr = iova + 8192, .length = 4096,
			      .lkey = bo_mr->lkey };
	s = sge(&self->a, 0, 4096);
	ASSERT_EQ(0, post_recv(&self->b, 1, &r, 1));
	ASSERT_EQ(0, post_send(&self->a, self->b.qp, 2, &s, 1, 0, NULL));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
	ASSERT_EQ(0, poll_one(self->b.cq, &wc));
	EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
	EXPECT_EQ(0, memcmp(bo + 8192, self->a.buf, 4096));
	EXPECT_EQ(copied + 4096, engine_copied());

	/* READ out of it, from the other device. */
	copied = engine_copied();
	fill(bo + 65536, 100000, 6);
	ASSERT_EQ(0, post_read(&self->a, self->b.qp, 3, 1 << 20,
			       iova + 65536, bo_mr->rkey, 100000));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
	EXPECT_EQ(0, memcmp(self->a.buf + (1 << 20), bo + 65536, 100000));
	EXPECT_EQ(copied + 100000, engine_copied());

	EXPECT_EQ(0, ibv_dereg_mr(bo_mr));
	EXPECT_EQ(0, munmap(bo, 1 << 20));
	EXPECT_EQ(0, bo_close(accel, handle));
	EXPECT_EQ(0, close(dmabuf));
	EXPECT_EQ(0, close(accel));
}

/* A region registered without remote read cannot be read. */
TEST_F(pair, rdma_read_needs_access)
{
	struct ibv_mr *local_only;
	struct ibv_wc wc;

	if (variant->type != IBV_QPT_DRIVER)
		SKIP(return, "RDMA READ is SRD's");
	local_only = ibv_reg_mr(self->b.pd, self->b.buf, 4096,
				IBV_ACCESS_LOCAL_WRITE);
	ASSERT_NE(NULL, local_only);
	ASSERT_EQ(0, post_read(&self->a, self->b.qp, 1, 0,
			       (uintptr_t)self->b.buf, local_only->rkey, 64));
	ASSERT_EQ(0, poll_one(self->a.cq, &wc));
	EXPECT_NE(IBV_WC_SUCCESS, wc.status);
	EXPECT_EQ(0, ibv_dereg_mr(local_only));
}

/* Partitions without a fence between them: nothing gets through. */
TEST(fenced_partitions)
{
	long unresp = stat_of("aifab_efa0", "unresponsive_remote_events");
	struct end a, b;
	struct ibv_sge s, r;
	struct ibv_wc wc;

	if (geteuid() || !getenv("AIFAB_KO"))
		SKIP(return, "needs root and the module (tools/vm-run)");
	ASSERT_EQ(0, ctl("partition add pA tenant tA dev efa0"));
	ASSERT_EQ(0, ctl("partition add pB tenant tB dev efa1"));
	ASSERT_EQ(0, end_open(&a, "aifab_efa0", IBV_QPT_DRIVER, 64, 32));
	ASSERT_EQ(0, end_open(&b, "aifab_efa1", IBV_QPT_DRIVER, 64, 32));
	a.ah = ah_to(&a, &b);
	ASSERT_NE(NULL, a.ah);
	s = sge(&a, 0, 256);
	r = sge(&b, 0, 4096);
	ASSERT_EQ(0, post_recv(&b, 1, &r, 1));
	ASSERT_EQ(0, post_send(&a, b.qp, 2, &s, 1, 0, NULL));
	ASSERT_EQ(0, poll_one(a.cq, &wc));
	EXPECT_EQ(IBV_WC_RESP_TIMEOUT_ERR, wc.status);
	EXPECT_EQ(unresp + 1,
		  stat_of("aifab_efa0", "unresponsive_remote_events"));
	ASSERT_EQ(0, post_read(&a, b.qp, 3, 0, (uintptr_t)b.buf, b.mr->rkey,
			       64));
	ASSERT_EQ(0, poll_one(a.cq, &wc));
	EXPECT_NE(IBV_WC_SUCCESS, wc.status);
	EXPECT_EQ(0, ibv_poll_cq(b.cq, 1, &wc));

	/* A fence lets both through, without reopening anything. */
	ASSERT_EQ(0, ctl("fence add pA pB"));
	fill(a.buf, 256, 77);
	ASSERT_EQ(0, post_send(&a, b.qp, 4, &s, 1, 0, NULL));
	ASSERT_EQ(0, poll_one(a.cq, &wc));
	EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
	ASSERT_EQ(0, poll_one(b.cq, &wc));
	EXPECT_EQ(0, memcmp(a.buf, b.buf, 256));
	ASSERT_EQ(0, post_read(&a, b.qp, 5, 8192, (uintptr_t)b.buf,
			       b.mr->rkey, 256));
	ASSERT_EQ(0, poll_one(a.cq, &wc));
	EXPECT_EQ(IBV_WC_SUCCESS, wc.status);
	EXPECT_EQ(0, memcmp(a.buf + 8192, b.buf, 256));
	end_close(&a);
	end_close(&b);
	EXPECT_EQ(0, ctl("fence del pA pB"));
	EXPECT_EQ(0, ctl("partition del pA"));
	EXPECT_EQ(0, ctl("partition del pB"));
}

/* 10% of packets lost on the link: all arrive, once, retransmitted. */
TEST(drops_retransmitted)
{
	long retrans = stat_of("aifab_efa0", "retrans_pkts");
	struct end a, b;
	struct ibv_sge s, r;
	struct ibv_wc wc;
	uint32_t i;

	if (geteuid() || !getenv("AIFAB_KO"))
		SKIP(return, "needs root and the module (tools/vm-run)");
	ASSERT_EQ(0, end_open(&a, "aifab_efa0", IBV_QPT_DRIVER, 512, 256));
	ASSERT_EQ(0, end_open(&b, "aifab_efa1", IBV_QPT_DRIVER, 512, 256));
	a.ah = ah_to(&a, &b);
	ASSERT_NE(NULL, a.ah);
	ASSERT_EQ(0, ctl("link set efa0-efa1 fault drop 10"));
	for (i = 0; i < 256; i++) {
		r = sge(&b, i * 8192, 8192);
		ASSERT_EQ(0, post_recv(&b, i, &r, 1));
		fill(a.buf + i * 8192, 4096, i);
		s = sge(&a, i * 8192, 4096);
		ASSERT_EQ(0, post_send(&a, b.qp, i, &s, 1, 0, &i));
	}
	EXPECT_EQ(0, check_batch(_metadata, &a, &b, 0, 256, 4096));
	EXPECT_EQ(0, ibv_poll_cq(b.cq, 1, &wc));
	EXPECT_LT(retrans, stat_of("aifab_efa0", "retrans_pkts"));
	EXPECT_EQ(0, ctl("link set efa0-efa1 fault none"));
	end_close(&a);
	end_close(&b);
}

TEST_HARNESS_MAIN
