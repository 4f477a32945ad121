// SPDX-License-Identifier: GPL-2.0
/*
 * The EFA-compatible devices through libibverbs and libefa, as a program
 * would use them: opening, protection domains, memory regions of user
 * memory and of an accelerator's buffer (zero-copy dma-buf), garbage in
 * each, and verbs not there yet failing with EOPNOTSUPP.
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

#include <infiniband/verbs.h>

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
		{ "remote read, not advertised", 0, 4096,
		  IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ, EOPNOTSUPP },
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

/* Until the data path lands, these must fail loudly, not pretend. */
TEST_F(efa, not_yet_supported)
{
	struct ibv_cq *cq;

	errno = 0;
	cq = ibv_create_cq(self->ctx, 16, NULL, NULL, 0);
	EXPECT_EQ(NULL, cq);
	EXPECT_EQ(EOPNOTSUPP, errno);
	if (cq)
		ibv_destroy_cq(cq);
}

TEST_HARNESS_MAIN
