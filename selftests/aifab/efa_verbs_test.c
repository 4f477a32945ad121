// SPDX-License-Identifier: GPL-2.0
/*
 * The EFA-compatible devices through libibverbs and libefa, as a program
 * would use them: opening, protection domains, memory regions of user
 * memory and of an accelerator's buffer (zero-copy dma-buf), completion
 * queues, address handles, garbage in each (udata of wrong sizes and
 * contents too, written straight to the command file), and verbs not there
 * yet failing with EOPNOTSUPP.
 *
 * Runs as root inside tools/vm-run; the live-object counters in debugfs
 * prove that every region goes away.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <infiniband/efadv.h>
#include <infiniband/verbs.h>
#include <rdma/efa-abi.h>
#include <rdma/ib_user_verbs.h>

#include "kselftest_harness.h"

#include "accel_helpers.h"
#include "aifab_helpers.h"

#define MR_BYTES	(1 << 20)

FIXTURE(efa) {
	struct ibv_device **list;
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	void *buf;
	long mrs_before;
};

FIXTURE_SETUP(efa)
{
	int i, n;

	if (geteuid() || !getenv("AIFAB_KO"))
		SKIP(return, "needs root and the module (tools/vm-run)");
	self->list = ibv_get_device_list(&n);
	ASSERT_NE(NULL, self->list);
	for (i = 0; i < n; i++)
		if (!strcmp(ibv_get_device_name(self->list[i]), "aifab_efa0"))
			self->ctx = ibv_open_device(self->list[i]);
	ASSERT_NE(NULL, self->ctx) TH_LOG("aifab_efa0: %s", strerror(errno));
	self->pd = ibv_alloc_pd(self->ctx);
	ASSERT_NE(NULL, self->pd);
	self->buf = aligned_alloc(4096, MR_BYTES);
	ASSERT_NE(NULL, self->buf);
	memset(self->buf, 0x5a, MR_BYTES);
	self->mrs_before = objects_live("efa_mr");
}

FIXTURE_TEARDOWN(efa)
{
	if (self->pd)
		ibv_dealloc_pd(self->pd);
	if (self->ctx)
		ibv_close_device(self->ctx);
	if (self->list)
		ibv_free_device_list(self->list);
	free(self->buf);
}

TEST_F(efa, mr_keys)
{
	struct ibv_mr *a, *b;

	a = ibv_reg_mr(self->pd, self->buf, MR_BYTES, IBV_ACCESS_LOCAL_WRITE);
	ASSERT_NE(NULL, a) TH_LOG("reg_mr: %s", strerror(errno));
	b = ibv_reg_mr(self->pd, self->buf, 4096, 0);
	ASSERT_NE(NULL, b) TH_LOG("reg_mr: %s", strerror(errno));
	EXPECT_EQ(a->lkey, a->rkey);
	EXPECT_NE(a->lkey, b->lkey);
	EXPECT_LT(a->lkey, 1U << 24);
	EXPECT_NE(0, a->lkey);
	EXPECT_EQ(self->mrs_before + 2, objects_live("efa_mr"));
	EXPECT_EQ(0, ibv_dereg_mr(b));
	EXPECT_EQ(0, ibv_dereg_mr(a));
	EXPECT_EQ(self->mrs_before, objects_live("efa_mr"));
}

TEST_F(efa, mr_garbage)
{
	static const struct {
		const char *what;
		size_t off;
		size_t len;
		int access;
		int err;
	} cases[] = {
		{ "remote write", 0, 4096,
		  IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE, EOPNOTSUPP },
		{ "atomics", 0, 4096,
		  IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_ATOMIC, EOPNOTSUPP },
		{ "zero length", 0, 0, IBV_ACCESS_LOCAL_WRITE, EINVAL },
	};
	struct ibv_mr *mr;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		errno = 0;
		mr = ibv_reg_mr(self->pd, (char *)self->buf + cases[i].off,
				cases[i].len, cases[i].access);
		EXPECT_EQ(NULL, mr) TH_LOG("%s: registered", cases[i].what);
		if (mr) {
			ibv_dereg_mr(mr);
			continue;
		}
		EXPECT_EQ(cases[i].err, errno)
			TH_LOG("%s: errno %d", cases[i].what, errno);
	}
	errno = 0;
	mr = ibv_reg_mr(self->pd, (void *)4096, 4096, IBV_ACCESS_LOCAL_WRITE);
	EXPECT_EQ(NULL, mr);
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(self->mrs_before, objects_live("efa_mr"));
}

/* An accelerator's buffer as a memory region: the zero-copy path. */
TEST_F(efa, mr_dmabuf_from_accel)
{
	uint32_t handle;
	struct ibv_mr *mr;
	int accel, dmabuf;
	void *map;

	accel = accel_open("accel0");
	ASSERT_LE(0, accel);
	ASSERT_EQ(0, bo_new(accel, MR_BYTES, &handle, &map));
	ASSERT_EQ(0, prime_export(accel, handle, &dmabuf));

	mr = ibv_reg_dmabuf_mr(self->pd, 0, MR_BYTES, 0, dmabuf,
			       IBV_ACCESS_LOCAL_WRITE);
	ASSERT_NE(NULL, mr) TH_LOG("reg_dmabuf_mr: %s", strerror(errno));
	EXPECT_EQ(mr->lkey, mr->rkey);
	EXPECT_EQ(self->mrs_before + 1, objects_live("efa_mr"));

	/* Closing every handle leaves the region, and its buffer, alive. */
	EXPECT_EQ(0, munmap(map, MR_BYTES));
	EXPECT_EQ(0, bo_close(accel, handle));
	EXPECT_EQ(0, close(dmabuf));
	EXPECT_EQ(0, ibv_dereg_mr(mr));
	EXPECT_EQ(self->mrs_before, objects_live("efa_mr"));
	EXPECT_EQ(0, close(accel));
}

TEST_F(efa, mr_dmabuf_garbage)
{
	uint32_t handle;
	int accel, dmabuf;
	struct ibv_mr *mr;
	void *map;
	int null;

	accel = accel_open("accel0");
	ASSERT_LE(0, accel);
	ASSERT_EQ(0, bo_new(accel, MR_BYTES, &handle, &map));
	ASSERT_EQ(0, prime_export(accel, handle, &dmabuf));

	/* Past the buffer's end, and wrapping around. */
	errno = 0;
	mr = ibv_reg_dmabuf_mr(self->pd, 4096, MR_BYTES, 0, dmabuf,
			       IBV_ACCESS_LOCAL_WRITE);
	EXPECT_EQ(NULL, mr);
	EXPECT_EQ(EINVAL, errno);
	mr = ibv_reg_dmabuf_mr(self->pd, UINT64_MAX - 4095, 8192, 0, dmabuf,
			       IBV_ACCESS_LOCAL_WRITE);
	EXPECT_EQ(NULL, mr);
	/* Not a dma-buf. */
	null = open("/dev/null", O_RDWR);
	ASSERT_LE(0, null);
	errno = 0;
	mr = ibv_reg_dmabuf_mr(self->pd, 0, 4096, 0, null,
			       IBV_ACCESS_LOCAL_WRITE);
	EXPECT_EQ(NULL, mr);
	EXPECT_NE(0, errno);
	/* A closed descriptor. */
	mr = ibv_reg_dmabuf_mr(self->pd, 0, 4096, 0, 1000,
			       IBV_ACCESS_LOCAL_WRITE);
	EXPECT_EQ(NULL, mr);
	EXPECT_EQ(self->mrs_before, objects_live("efa_mr"));
	close(null);
	close(dmabuf);
	munmap(map, MR_BYTES);
	bo_close(accel, handle);
	close(accel);
}

/* A new CQ is empty: its zeroed ring has no entry with phase 1. */
TEST_F(efa, cq_create_poll)
{
	long cqs = objects_live("efa_cq"), maps = objects_live("efa_mmap");
	struct ibv_cq *cq;
	struct ibv_wc wc;

	cq = ibv_create_cq(self->ctx, 100, NULL, NULL, 0);
	ASSERT_NE(NULL, cq) TH_LOG("create_cq: %s", strerror(errno));
	EXPECT_LE(100, cq->cqe);
	EXPECT_EQ(0, ibv_poll_cq(cq, 1, &wc));
	EXPECT_EQ(cqs + 1, objects_live("efa_cq"));
	/* Its ring and its doorbell. */
	EXPECT_EQ(maps + 2, objects_live("efa_mmap"));
	EXPECT_EQ(0, ibv_destroy_cq(cq));
	EXPECT_EQ(cqs, objects_live("efa_cq"));
	/* The ring's memory goes with libefa's mapping of it. */
	EXPECT_EQ(maps, objects_live("efa_mmap"));
}

TEST_F(efa, cq_garbage)
{
	struct ibv_comp_channel *ch;
	struct ibv_cq *cq;

	/* A completion channel works on the device's one vector only. */
	ch = ibv_create_comp_channel(self->ctx);
	ASSERT_NE(NULL, ch);
	errno = 0;
	cq = ibv_create_cq(self->ctx, 16, NULL, ch, 1);
	EXPECT_EQ(NULL, cq);
	EXPECT_EQ(EINVAL, errno);
	if (cq)
		ibv_destroy_cq(cq);
	cq = ibv_create_cq(self->ctx, 16, NULL, ch, 0);
	EXPECT_NE(NULL, cq) TH_LOG("CQ with a channel: %s", strerror(errno));
	if (cq) {
		EXPECT_EQ(0, ibv_req_notify_cq(cq, 0));
		EXPECT_EQ(0, ibv_destroy_cq(cq));
	}
	EXPECT_EQ(0, ibv_destroy_comp_channel(ch));
	/* Past the device's limit. */
	errno = 0;
	cq = ibv_create_cq(self->ctx, 32769, NULL, NULL, 0);
	EXPECT_EQ(NULL, cq);
	EXPECT_EQ(EINVAL, errno);
	if (cq)
		ibv_destroy_cq(cq);
}

static int efa_gid_of(struct ibv_device **list, const char *name,
		      union ibv_gid *gid)
{
	struct ibv_context *ctx = NULL;
	int i, ret;

	for (i = 0; list[i]; i++)
		if (!strcmp(ibv_get_device_name(list[i]), name))
			ctx = ibv_open_device(list[i]);
	if (!ctx)
		return -ENODEV;
	ret = ibv_query_gid(ctx, 1, 0, gid);
	ibv_close_device(ctx);
	return ret;
}

TEST_F(efa, ah_create)
{
	struct ibv_ah_attr attr = { .is_global = 1, .port_num = 1 };
	struct efadv_ah_attr a_attr = {}, b_attr = {};
	long ahs = objects_live("efa_ah");
	struct ibv_ah *a, *b;

	ASSERT_EQ(0, efa_gid_of(self->list, "aifab_efa1", &attr.grh.dgid));
	EXPECT_NE(0, attr.grh.dgid.global.interface_id);
	a = ibv_create_ah(self->pd, &attr);
	ASSERT_NE(NULL, a) TH_LOG("create_ah: %s", strerror(errno));
	b = ibv_create_ah(self->pd, &attr);
	ASSERT_NE(NULL, b) TH_LOG("create_ah: %s", strerror(errno));
	ASSERT_EQ(0, efadv_query_ah(a, &a_attr, sizeof(a_attr)));
	ASSERT_EQ(0, efadv_query_ah(b, &b_attr, sizeof(b_attr)));
	EXPECT_NE(0xffff, a_attr.ahn);
	EXPECT_NE(a_attr.ahn, b_attr.ahn);
	EXPECT_EQ(ahs + 2, objects_live("efa_ah"));
	EXPECT_EQ(0, ibv_destroy_ah(a));
	EXPECT_EQ(0, ibv_destroy_ah(b));
	EXPECT_EQ(ahs, objects_live("efa_ah"));

	/* EFA addresses are GIDs: a handle without one is refused. */
	attr.is_global = 0;
	errno = 0;
	a = ibv_create_ah(self->pd, &attr);
	EXPECT_EQ(NULL, a);
	EXPECT_NE(0, errno);
	if (a)
		ibv_destroy_ah(a);
}

static struct ibv_qp *efa_srd_qp(struct ibv_context *ctx, struct ibv_pd *pd,
				  struct ibv_cq *cq)
{
	struct ibv_qp_init_attr_ex init = {
		.qp_type = IBV_QPT_DRIVER,
		.send_cq = cq,
		.recv_cq = cq,
		.pd = pd,
		.comp_mask = IBV_QP_INIT_ATTR_PD,
		.cap = { .max_send_wr = 64, .max_recv_wr = 64,
			 .max_send_sge = 1, .max_recv_sge = 1,
			 .max_inline_data = 32 },
	};
	struct efadv_qp_init_attr efa = {
		.driver_qp_type = EFADV_QP_DRIVER_TYPE_SRD,
	};

	return efadv_create_qp_ex(ctx, &init, &efa, sizeof(efa));
}

static int efa_qp_to(struct ibv_qp *qp, enum ibv_qp_state state)
{
	struct ibv_qp_attr attr = { .qp_state = state };
	int mask = IBV_QP_STATE;

	if (state == IBV_QPS_INIT) {
		attr.pkey_index = 0;
		attr.port_num = 1;
		attr.qkey = 0x11111111;
		mask |= IBV_QP_PKEY_INDEX | IBV_QP_PORT | IBV_QP_QKEY;
	} else if (state == IBV_QPS_RTS) {
		attr.sq_psn = 0;
		mask |= IBV_QP_SQ_PSN;
	}
	return ibv_modify_qp(qp, &attr, mask);
}

/* UD and SRD QPs: made, mapped, moved through their states, destroyed. */
TEST_F(efa, qp_lifecycle)
{
	struct ibv_qp_init_attr init = {
		.qp_type = IBV_QPT_UD,
		.cap = { .max_send_wr = 16, .max_recv_wr = 16,
			 .max_send_sge = 1, .max_recv_sge = 1 },
	};
	long qps = objects_live("efa_qp"), maps = objects_live("efa_mmap");
	struct ibv_qp_init_attr qinit;
	struct ibv_qp_attr attr;
	struct ibv_qp *ud, *srd;
	struct ibv_cq *cq;

	cq = ibv_create_cq(self->ctx, 64, NULL, NULL, 0);
	ASSERT_NE(NULL, cq);
	init.send_cq = cq;
	init.recv_cq = cq;
	ud = ibv_create_qp(self->pd, &init);
	ASSERT_NE(NULL, ud) TH_LOG("create UD QP: %s", strerror(errno));
	srd = efa_srd_qp(self->ctx, self->pd, cq);
	ASSERT_NE(NULL, srd) TH_LOG("create SRD QP: %s", strerror(errno));
	EXPECT_NE(ud->qp_num, srd->qp_num);
	EXPECT_LT(srd->qp_num, 65536);
	EXPECT_EQ(qps + 2, objects_live("efa_qp"));
	/* The CQ's ring and doorbell; a send ring, a receive ring and
	 * doorbells a QP.
	 */
	EXPECT_EQ(maps + 8, objects_live("efa_mmap"));

	EXPECT_EQ(0, efa_qp_to(ud, IBV_QPS_INIT));
	EXPECT_EQ(0, efa_qp_to(ud, IBV_QPS_RTR));
	EXPECT_EQ(0, ibv_query_qp(ud, &attr, IBV_QP_STATE | IBV_QP_QKEY, &qinit));
	EXPECT_EQ(IBV_QPS_RTR, attr.qp_state);
	EXPECT_EQ(0x11111111, attr.qkey);
	EXPECT_EQ(0, efa_qp_to(ud, IBV_QPS_RTS));
	EXPECT_EQ(0, ibv_query_qp(ud, &attr, IBV_QP_STATE, &qinit));
	EXPECT_EQ(IBV_QPS_RTS, attr.qp_state);
	/* RNR retry is SRD's, and 3 bits. */
	attr.rnr_retry = 3;
	EXPECT_EQ(EINVAL, ibv_modify_qp(ud, &attr, IBV_QP_RNR_RETRY));
	/* Skipping a state, or a second port, is refused. */
	EXPECT_EQ(EINVAL, efa_qp_to(srd, IBV_QPS_RTR));
	attr.qp_state = IBV_QPS_INIT;
	attr.pkey_index = 0;
	attr.port_num = 2;
	attr.qkey = 1;
	EXPECT_NE(0, ibv_modify_qp(srd, &attr, IBV_QP_STATE | IBV_QP_PKEY_INDEX |
				   IBV_QP_PORT | IBV_QP_QKEY));
	EXPECT_EQ(0, efa_qp_to(srd, IBV_QPS_INIT));
	EXPECT_EQ(0, efa_qp_to(srd, IBV_QPS_RESET));
	EXPECT_EQ(0, efa_qp_to(ud, IBV_QPS_ERR));

	EXPECT_EQ(0, ibv_destroy_qp(srd));
	EXPECT_EQ(0, ibv_destroy_qp(ud));
	EXPECT_EQ(0, ibv_destroy_cq(cq));
	EXPECT_EQ(qps, objects_live("efa_qp"));
	EXPECT_EQ(maps, objects_live("efa_mmap"));
}

TEST_F(efa, qp_garbage)
{
	static const struct {
		const char *what;
		enum ibv_qp_type type;
		struct ibv_qp_cap cap;
	} cases[] = {
		{ "RC", IBV_QPT_RC, { 16, 16, 1, 1, 0 } },
		{ "too many sends", IBV_QPT_UD, { 8192, 16, 1, 1, 0 } },
		{ "too many receives", IBV_QPT_UD, { 16, 8192, 1, 1, 0 } },
		{ "three send SGEs", IBV_QPT_UD, { 16, 16, 3, 1, 0 } },
		{ "three receive SGEs", IBV_QPT_UD, { 16, 16, 1, 3, 0 } },
		{ "64 bytes inline", IBV_QPT_UD, { 16, 16, 1, 1, 64 } },
	};
	long qps = objects_live("efa_qp");
	struct ibv_qp_init_attr init;
	struct ibv_cq *cq;
	struct ibv_qp *qp;
	unsigned int i;

	cq = ibv_create_cq(self->ctx, 16, NULL, NULL, 0);
	ASSERT_NE(NULL, cq);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&init, 0, sizeof(init));
		init.qp_type = cases[i].type;
		init.cap = cases[i].cap;
		init.send_cq = cq;
		init.recv_cq = cq;
		errno = 0;
		qp = ibv_create_qp(self->pd, &init);
		EXPECT_EQ(NULL, qp) TH_LOG("%s: created", cases[i].what);
		EXPECT_NE(0, errno) TH_LOG("%s", cases[i].what);
		if (qp)
			ibv_destroy_qp(qp);
	}
	EXPECT_EQ(qps, objects_live("efa_qp"));
	EXPECT_EQ(0, ibv_destroy_cq(cq));
}

/*
 * A command through uverbs' write() interface, with driver data of our
 * choosing: what libefa would send, but garbled. The core command names
 * the response buffer, of @resp_len bytes. Returns 0 or an errno.
 */
static int raw_cmd(int fd, uint32_t command, const void *core,
		   size_t core_len, const void *drv, size_t drv_len,
		   size_t resp_len)
{
	struct ib_uverbs_cmd_hdr hdr = {
		.command = command,
		.in_words = (sizeof(hdr) + core_len + drv_len) / 4,
		.out_words = resp_len / 4,
	};
	uint8_t buf[256];

	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), core, core_len);
	memcpy(buf + sizeof(hdr) + core_len, drv, drv_len);
	if (write(fd, buf, sizeof(hdr) + core_len + drv_len) < 0)
		return errno;
	return 0;
}

TEST_F(efa, udata_garbage)
{
	struct {
		struct efa_ibv_create_cq cmd;
		uint64_t tail;
	} drv;
	struct {
		struct ib_uverbs_create_cq_resp core;
		struct efa_ibv_create_cq_resp drv;
	} resp;
	struct ib_uverbs_create_cq core = {
		.response = (uintptr_t)&resp, .cqe = 16, .comp_channel = -1,
	};
	struct ib_uverbs_alloc_pd pd = { .response = (uintptr_t)&resp };
	static const uint64_t nonzero = 1;
	long cqs = objects_live("efa_cq");
	int fd = self->ctx->cmd_fd;

	memset(&drv, 0, sizeof(drv));
	drv.cmd.cq_entry_size = 32;
	drv.cmd.num_sub_cqs = 1;
	/* Short: no driver data, or without the sub-CQ count. */
	EXPECT_EQ(EINVAL, raw_cmd(fd, IB_USER_VERBS_CMD_CREATE_CQ, &core,
				  sizeof(core), &drv, 0, sizeof(resp)));
	EXPECT_EQ(EINVAL, raw_cmd(fd, IB_USER_VERBS_CMD_CREATE_CQ, &core,
				  sizeof(core), &drv, 8, sizeof(resp)));
	/* Reserved bytes, an unknown comp_mask, a non-zero tail. */
	drv.cmd.reserved_58[4] = 1;
	EXPECT_EQ(EINVAL, raw_cmd(fd, IB_USER_VERBS_CMD_CREATE_CQ, &core,
				  sizeof(core), &drv, sizeof(drv.cmd), sizeof(resp)));
	drv.cmd.reserved_58[4] = 0;
	drv.cmd.comp_mask = 1;
	EXPECT_EQ(EINVAL, raw_cmd(fd, IB_USER_VERBS_CMD_CREATE_CQ, &core,
				  sizeof(core), &drv, sizeof(drv.cmd), sizeof(resp)));
	drv.cmd.comp_mask = 0;
	drv.tail = 7;
	EXPECT_EQ(EINVAL, raw_cmd(fd, IB_USER_VERBS_CMD_CREATE_CQ, &core,
				  sizeof(core), &drv, sizeof(drv), sizeof(resp)));
	/* Wrong entry size, sub-CQ count, or entries not a power of two. */
	drv.tail = 0;
	drv.cmd.cq_entry_size = 24;
	EXPECT_EQ(EINVAL, raw_cmd(fd, IB_USER_VERBS_CMD_CREATE_CQ, &core,
				  sizeof(core), &drv, sizeof(drv.cmd), sizeof(resp)));
	drv.cmd.cq_entry_size = 32;
	drv.cmd.num_sub_cqs = 2;
	EXPECT_EQ(EINVAL, raw_cmd(fd, IB_USER_VERBS_CMD_CREATE_CQ, &core,
				  sizeof(core), &drv, sizeof(drv.cmd), sizeof(resp)));
	drv.cmd.num_sub_cqs = 1;
	core.cqe = 100;
	EXPECT_EQ(EINVAL, raw_cmd(fd, IB_USER_VERBS_CMD_CREATE_CQ, &core,
				  sizeof(core), &drv, sizeof(drv.cmd), sizeof(resp)));
	EXPECT_EQ(cqs, objects_live("efa_cq"));
	/*
	 * A longer command from a newer library, zeros past what this
	 * driver knows: accepted; and a response shorter than the driver's
	 * is filled as far as it goes. The CQ goes with the context.
	 */
	core.cqe = 16;
	EXPECT_EQ(0, raw_cmd(fd, IB_USER_VERBS_CMD_CREATE_CQ, &core,
			     sizeof(core), &drv, sizeof(drv), sizeof(resp.core) + 8));
	EXPECT_EQ(16, resp.core.cqe);
	EXPECT_EQ(cqs + 1, objects_live("efa_cq"));
	/* A PD takes no driver data but zeros. */
	EXPECT_EQ(EINVAL, raw_cmd(fd, IB_USER_VERBS_CMD_ALLOC_PD, &pd,
				  sizeof(pd), &nonzero, sizeof(nonzero), sizeof(resp)));
}

TEST_HARNESS_MAIN
