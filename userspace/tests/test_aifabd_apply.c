// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of aifabd's apply: each plan operation becomes the request
 * aifabctl would send for the same command, attribute by attribute. The
 * sending, and what the kernel answers, is tested in the VM
 * (selftests/aifab/aifabd_test.sh).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <linux/aifab.h>

#include "../aifabd/apply.h"

static aifabd_name_t devs[2] = { "accel0", "efa0" };

static struct aifab_nl_req *req_of(const struct aifabd_op *op)
{
	struct aifab_nl_req *req = calloc(1, sizeof(*req));
	int nsfd;

	assert_non_null(req);
	assert_int_equal(aifabd_apply_req(op, req, &nsfd), 0);
	assert_int_equal(nsfd, -1);
	return req;
}

static void attr_str(const struct aifab_nl_req *req, unsigned int i,
		     uint16_t type, const char *s)
{
	assert_true(i < req->nattrs);
	assert_int_equal(req->attrs[i].type, type);
	assert_int_equal(req->attrs[i].kind, AIFAB_NL_STR);
	assert_string_equal(req->attrs[i].str, s);
}

static void attr_u32(const struct aifab_nl_req *req, unsigned int i,
		     uint16_t type, uint32_t v)
{
	assert_true(i < req->nattrs);
	assert_int_equal(req->attrs[i].type, type);
	assert_int_equal(req->attrs[i].kind, AIFAB_NL_U32);
	assert_int_equal(req->attrs[i].u32, v);
}

static void test_fence(void **state)
{
	struct aifabd_op op = { .type = AIFABD_OP_FENCE_ADD, .name = "red",
				.peer = "blue" };
	struct aifab_nl_req *req;

	(void)state;
	req = req_of(&op);
	assert_int_equal(req->cmd, AIFAB_CMD_FENCE_NEW);
	assert_false(req->dump);
	assert_int_equal(req->nattrs, 2);
	attr_str(req, 0, AIFAB_A_FENCE_PART_A, "red");
	attr_str(req, 1, AIFAB_A_FENCE_PART_B, "blue");
	free(req);
	op.type = AIFABD_OP_FENCE_DEL;
	req = req_of(&op);
	assert_int_equal(req->cmd, AIFAB_CMD_FENCE_DEL);
	free(req);
}

/* No namespace: no NETNS_FD at all, so the partition starts unbound. */
static void test_part_add(void **state)
{
	struct aifabd_op op = { .type = AIFABD_OP_PART_ADD, .name = "red",
				.tenant = "acme", .devs = devs, .ndevs = 2 };
	struct aifab_nl_req *req;

	(void)state;
	req = req_of(&op);
	assert_int_equal(req->cmd, AIFAB_CMD_PARTITION_NEW);
	assert_int_equal(req->nattrs, 4);
	attr_str(req, 0, AIFAB_A_PARTITION_NAME, "red");
	attr_str(req, 1, AIFAB_A_PARTITION_TENANT, "acme");
	attr_str(req, 2, AIFAB_A_PARTITION_DEV, "accel0");
	attr_str(req, 3, AIFAB_A_PARTITION_DEV, "efa0");
	free(req);
}

static void test_part_set_del(void **state)
{
	struct aifabd_op op = { .type = AIFABD_OP_PART_SET_DEL, .name = "red",
				.devs = devs, .ndevs = 2 };
	struct aifab_nl_req *req;

	(void)state;
	req = req_of(&op);
	assert_int_equal(req->cmd, AIFAB_CMD_PARTITION_SET);
	assert_int_equal(req->nattrs, 3);
	attr_str(req, 0, AIFAB_A_PARTITION_NAME, "red");
	attr_str(req, 1, AIFAB_A_PARTITION_DEV_DEL, "accel0");
	attr_str(req, 2, AIFAB_A_PARTITION_DEV_DEL, "efa0");
	free(req);
	op.type = AIFABD_OP_PART_SET_ADD;
	op.ndevs = 1;
	req = req_of(&op);
	assert_int_equal(req->nattrs, 2);
	attr_str(req, 1, AIFAB_A_PARTITION_DEV_ADD, "accel0");
	free(req);
}

static void test_part_del(void **state)
{
	struct aifabd_op op = { .type = AIFABD_OP_PART_DEL, .name = "red" };
	struct aifab_nl_req *req;

	(void)state;
	req = req_of(&op);
	assert_int_equal(req->cmd, AIFAB_CMD_PARTITION_DEL);
	assert_int_equal(req->nattrs, 1);
	attr_str(req, 0, AIFAB_A_PARTITION_NAME, "red");
	free(req);
}

/* "" unbinds, which the kernel reads as an fd of -1. */
static void test_part_unbind(void **state)
{
	struct aifabd_op op = { .type = AIFABD_OP_PART_NETNS, .name = "red" };
	struct aifab_nl_req *req;

	(void)state;
	req = req_of(&op);
	assert_int_equal(req->cmd, AIFAB_CMD_PARTITION_SET);
	assert_int_equal(req->nattrs, 2);
	attr_str(req, 0, AIFAB_A_PARTITION_NAME, "red");
	attr_u32(req, 1, AIFAB_A_PARTITION_NETNS_FD, (uint32_t)-1);
	free(req);
}

static void test_link_degrade(void **state)
{
	struct aifabd_op op = { .type = AIFABD_OP_LINK_DEGRADE,
				.name = "efa0-efa1", .degrade_ppm = 500 };
	struct aifab_nl_req *req;

	(void)state;
	req = req_of(&op);
	assert_int_equal(req->cmd, AIFAB_CMD_LINK_SET);
	assert_int_equal(req->nattrs, 2);
	attr_str(req, 0, AIFAB_A_LINK_NAME, "efa0-efa1");
	attr_u32(req, 1, AIFAB_A_LINK_DEGRADE_PPM, 500);
	free(req);
}

/* A namespace that does not exist fails before anything is sent. */
static void test_refused_locally(void **state)
{
	struct aifabd_op op = { .type = AIFABD_OP_PART_NETNS, .name = "red",
				.netns = "aifabd-unit-no-such-ns" };
	struct aifab_nl_req *req = calloc(1, sizeof(*req));
	int nsfd;

	(void)state;
	assert_non_null(req);
	assert_int_equal(aifabd_apply_req(&op, req, &nsfd), -ENOENT);
	assert_int_equal(nsfd, -1);
	op.type = AIFABD_OP_TOPOLOGY_LOAD;
	assert_int_equal(aifabd_apply_req(&op, req, &nsfd), -EINVAL);
	/* An RDMA move is no aifab request (rdma_netns.c sends it). */
	op.type = AIFABD_OP_RDMA_NETNS;
	assert_int_equal(aifabd_apply_req(&op, req, &nsfd), -EINVAL);
	free(req);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fence),
		cmocka_unit_test(test_part_add),
		cmocka_unit_test(test_part_set_del),
		cmocka_unit_test(test_part_del),
		cmocka_unit_test(test_part_unbind),
		cmocka_unit_test(test_link_degrade),
		cmocka_unit_test(test_refused_locally),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
