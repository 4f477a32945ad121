// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of aifabd's rollback: the inverse of each operation from the
 * snapshot, their order, where an undo has to stop, and an apply that
 * fails at each step against a fake kernel that records what it was sent
 * and keeps a model of partitions, so that "as it was" is checked, not
 * assumed.
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

#include "fmt.h"
#include "../aifabd/apply.h"
#include "../aifabd/snapshot.h"

static aifabd_name_t red_devs[2] = { "accel0", "accel1" };

static struct aifabd_actual_part act_parts[] = {
	{ .name = "red", .tenant = "acme", .netns = "ns1", .devs = red_devs,
	  .ndevs = 2 },
	{ .name = "ghost", .tenant = "acme", .netns = AIFABD_NETNS_UNKNOWN },
};

static struct aifabd_actual_link act_links[] = {
	{ .name = "l0", .degrade_ppm = 700 },
};

static struct aifabd_actual act = {
	.parts = act_parts, .nparts = 2, .links = act_links, .nlinks = 1,
};

static aifabd_name_t blue_devs[1] = { "accel2" };

/* A plan touching every kind of operation. */
static struct aifabd_op ops[] = {
	{ .type = AIFABD_OP_FENCE_DEL, .name = "red", .peer = "blue" },
	{ .type = AIFABD_OP_PART_SET_DEL, .name = "red", .devs = red_devs + 1,
	  .ndevs = 1 },
	{ .type = AIFABD_OP_PART_DEL, .name = "red" },
	{ .type = AIFABD_OP_PART_ADD, .name = "blue", .tenant = "globex",
	  .devs = blue_devs, .ndevs = 1 },
	{ .type = AIFABD_OP_PART_NETNS, .name = "red", .netns = "ns2" },
	{ .type = AIFABD_OP_PART_SET_ADD, .name = "blue", .devs = red_devs,
	  .ndevs = 1 },
	{ .type = AIFABD_OP_FENCE_ADD, .name = "blue", .peer = "green" },
	{ .type = AIFABD_OP_LINK_DEGRADE, .name = "l0", .degrade_ppm = 5 },
	{ .type = AIFABD_OP_LINK_DEGRADE, .name = "newlink",
	  .degrade_ppm = 5 },
};

static const struct aifabd_plan plan = {
	.ops = ops, .nops = sizeof(ops) / sizeof(ops[0]),
};

static char *op_str(const struct aifabd_op *op)
{
	char *s = NULL;
	size_t len;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	aifabd_op_print(f, op);
	fclose(f);
	return s;
}

static void assert_op(const struct aifabd_op *op, const char *want)
{
	char *s = op_str(op);

	assert_string_equal(s, want);
	free(s);
}

static void test_inverses(void **state)
{
	static const char *const want[] = {
		"link set l0 degrade-threshold 700",
		/* newlink: none, it came with the topology */
		"fence del blue green",
		"partition set blue del dev accel0",
		"partition set red netns ns1",
		"partition del blue",
		"partition add red tenant acme dev accel0 accel1 netns ns1",
		"partition set red add dev accel1",
		"fence add red blue",
	};
	static const size_t of[] = { 7, 6, 5, 4, 3, 2, 1, 0 };
	struct aifabd_undo u;
	size_t i;

	(void)state;
	assert_int_equal(aifabd_undo_build(&plan, plan.nops, &act, &u), 0);
	assert_true(u.stuck == AIFABD_UNDO_NONE);
	assert_int_equal(u.plan.nops, 8);
	for (i = 0; i < 8; i++) {
		assert_op(&u.plan.ops[i], want[i]);
		assert_int_equal(u.of[i], of[i]);
	}
	assert_string_equal(u.plan.ops[0].reason, "undo of operation 8");
	aifabd_undo_free(&u);

	/* Only the applied ones, last first. */
	assert_int_equal(aifabd_undo_build(&plan, 2, &act, &u), 0);
	assert_int_equal(u.plan.nops, 2);
	assert_op(&u.plan.ops[0], "partition set red add dev accel1");
	assert_op(&u.plan.ops[1], "fence add red blue");
	aifabd_undo_free(&u);
	assert_int_equal(aifabd_undo_build(&plan, 0, &act, &u), 0);
	assert_int_equal(u.plan.nops, 0);
	aifabd_undo_free(&u);
}

/* An inverse not fully known stops the undo there, not half-restores. */
static void test_stuck(void **state)
{
	struct aifabd_op sops[] = {
		{ .type = AIFABD_OP_FENCE_DEL, .name = "a", .peer = "b" },
		{ .type = AIFABD_OP_PART_DEL, .name = "ghost" },
		{ .type = AIFABD_OP_FENCE_ADD, .name = "c", .peer = "d" },
		{ .type = AIFABD_OP_TOPOLOGY_LOAD },
	};
	struct aifabd_plan p = { .ops = sops, .nops = 3 };
	struct aifabd_undo u;

	(void)state;
	assert_int_equal(aifabd_undo_build(&p, 3, &act, &u), 0);
	assert_int_equal(u.stuck, 1);
	assert_string_equal(u.stuck_why, "partition ghost was bound to a "
			    "network namespace with no name in /run/netns");
	assert_int_equal(u.plan.nops, 1);
	assert_op(&u.plan.ops[0], "fence del c d");
	aifabd_undo_free(&u);

	/* A topology load needs the old topology from the snapshot. */
	p.ops = sops + 3;
	p.nops = 1;
	assert_int_equal(aifabd_undo_build(&p, 1, &act, &u), 0);
	assert_int_equal(u.stuck, 0);
	assert_string_equal(u.stuck_why,
			    "the topology before the load was not read");
	aifabd_undo_free(&u);
	act.has_topo = true;
	assert_int_equal(aifabd_undo_build(&p, 1, &act, &u), 0);
	assert_true(u.stuck == AIFABD_UNDO_NONE);
	assert_int_equal(u.plan.ops[0].type, AIFABD_OP_TOPOLOGY_LOAD);
	assert_ptr_equal(u.plan.ops[0].topo, &act.topo);
	act.has_topo = false;
	aifabd_undo_free(&u);
}

/*
 * The fake kernel: a log of what it was sent, and which call fails. Calls
 * are counted across the apply and the rollback.
 */
struct fake_kernel {
	char *sent[32];
	size_t n;
	size_t fail_at;			/* the call that fails, from 0 */
	size_t fail_also;		/* a second one, or SIZE_MAX */
};

static int fake_exec(void *priv, const struct aifabd_op *op, char *msg,
		     size_t msglen)
{
	struct fake_kernel *k = priv;
	size_t i = k->n;

	assert_true(k->n < 32);
	k->sent[k->n++] = op_str(op);
	if (i == k->fail_at || i == k->fail_also) {
		aifab_fmt(msg, msglen, "refused by the fake");
		return -EBUSY;
	}
	return 0;
}

static void fake_free(struct fake_kernel *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->sent[i]);
}

static char *report(const struct aifabd_apply_result *res,
		    const struct aifabd_rollback *rb)
{
	char *s = NULL;
	size_t len;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	aifabd_apply_report(f, &plan, res, rb);
	fclose(f);
	return s;
}

/* Failing at each operation in turn: every applied one is undone. */
static void test_fail_each(void **state)
{
	struct aifabd_apply_ops aops = { fake_exec, NULL };
	struct aifabd_apply_result res;
	struct aifabd_rollback rb;
	size_t at, i;

	(void)state;
	for (at = 0; at < plan.nops; at++) {
		struct fake_kernel k = { .fail_at = at, .fail_also = SIZE_MAX };

		aops.priv = &k;
		assert_int_equal(aifabd_apply(&aops, &plan, &res), -EBUSY);
		assert_int_equal(res.done, at);
		assert_string_equal(res.msg, "refused by the fake");
		assert_int_equal(aifabd_apply_rollback(&aops, &plan, &act,
						       &res, &rb), 0);
		assert_true(aifabd_rollback_complete(&rb));
		assert_int_equal(rb.tried, at > 0);
		/* The undo sent inverses of ops at-1 .. 0, in that order. */
		assert_int_equal(k.n, at + 1 + rb.undo.plan.nops);
		for (i = 0; i < rb.undo.plan.nops; i++) {
			char *want = op_str(&rb.undo.plan.ops[i]);

			assert_string_equal(k.sent[at + 1 + i], want);
			free(want);
			if (i)
				assert_true(rb.undo.of[i] < rb.undo.of[i - 1]);
		}
		aifabd_rollback_free(&rb);
		fake_free(&k);
	}
}

static void test_report(void **state)
{
	struct fake_kernel k = { .fail_at = 3, .fail_also = SIZE_MAX };
	struct aifabd_apply_ops aops = { fake_exec, &k };
	struct aifabd_apply_result res;
	struct aifabd_rollback rb;
	char *s;

	(void)state;
	aifabd_apply(&aops, &plan, &res);
	aifabd_apply_rollback(&aops, &plan, &act, &res, &rb);
	s = report(&res, &rb);
	assert_string_equal(s,
		"aifabd: operation 4 of 9 (partition add blue tenant globex "
		"dev accel2) failed: Device or resource busy: refused by the "
		"fake\n"
		"aifabd: rolled back: partition add red tenant acme dev accel0 "
		"accel1 netns ns1  # undo of operation 3\n"
		"aifabd: rolled back: partition set red add dev accel1  # undo "
		"of operation 2\n"
		"aifabd: rolled back: fence add red blue  # undo of operation "
		"1\n"
		"aifabd: rolled back the 3 operations applied before it; the "
		"kernel is as it was\n");
	free(s);
	aifabd_rollback_free(&rb);
	fake_free(&k);
}

/* The undo itself refused: it stops, and says what stays applied. */
static void test_undo_refused(void **state)
{
	/* Apply fails at call 3 (op 4); the undo's second call (5) fails. */
	struct fake_kernel k = { .fail_at = 3, .fail_also = 5 };
	struct aifabd_apply_ops aops = { fake_exec, &k };
	struct aifabd_apply_result res;
	struct aifabd_rollback rb;
	char *s;

	(void)state;
	aifabd_apply(&aops, &plan, &res);
	assert_int_equal(aifabd_apply_rollback(&aops, &plan, &act, &res, &rb),
			 -EBUSY);
	assert_false(aifabd_rollback_complete(&rb));
	assert_int_equal(rb.res.done, 1);
	/* Nothing is sent after the refused inverse. */
	assert_int_equal(k.n, 6);
	s = report(&res, &rb);
	assert_non_null(strstr(s, "aifabd: rolled back: partition add red "));
	assert_non_null(strstr(s, "aifabd: rollback: partition set red add dev "
			       "accel1 failed: Device or resource busy: "
			       "refused by the fake\n"
			       "aifabd: 2 operations stay applied:\n"
			       "aifabd:   1: fence del red blue\n"
			       "aifabd:   2: partition set red del dev accel1\n"));
	free(s);
	aifabd_rollback_free(&rb);
	fake_free(&k);
}

/* Nothing applied: nothing to undo, and the report says nothing changed. */
static void test_first_fails(void **state)
{
	struct fake_kernel k = { .fail_at = 0, .fail_also = SIZE_MAX };
	struct aifabd_apply_ops aops = { fake_exec, &k };
	struct aifabd_apply_result res;
	struct aifabd_rollback rb;
	char *s;

	(void)state;
	aifabd_apply(&aops, &plan, &res);
	assert_int_equal(aifabd_apply_rollback(&aops, &plan, &act, &res, &rb),
			 0);
	assert_false(rb.tried);
	assert_int_equal(k.n, 1);
	s = report(&res, &rb);
	assert_non_null(strstr(s, "aifabd: nothing was changed\n"));
	free(s);
	aifabd_rollback_free(&rb);
	fake_free(&k);
}

/*
 * An RDMA device goes back where it came from, before its partition is
 * undone: a plan that binds red, moves efa0 into ns1 and then fails puts
 * efa0 home first, then deletes red.
 */
static void test_rdma_netns(void **state)
{
	static aifabd_name_t efa[1] = { "efa0" };
	struct aifabd_op rops[] = {
		{ .type = AIFABD_OP_PART_ADD, .name = "red", .tenant = "acme",
		  .netns = "ns1", .devs = efa, .ndevs = 1 },
		{ .type = AIFABD_OP_RDMA_NETNS, .name = "efa0",
		  .ibdev = "aifab_efa0", .from = "", .netns = "ns1" },
		{ .type = AIFABD_OP_RDMA_NETNS, .name = "efa1",
		  .ibdev = "aifab_efa1", .from = "ns1", .netns = "ns2" },
		{ .type = AIFABD_OP_FENCE_ADD, .name = "red", .peer = "blue" },
	};
	struct aifabd_plan p = { .ops = rops, .nops = 4 };
	struct fake_kernel k = { .fail_at = 3, .fail_also = SIZE_MAX };
	struct aifabd_apply_ops aops = { fake_exec, &k };
	struct aifabd_apply_result res;
	struct aifabd_rollback rb;
	struct aifabd_undo u;

	(void)state;
	assert_op(&rops[1], "rdma dev set aifab_efa0 netns ns1");
	assert_int_equal(aifabd_undo_build(&p, 3, &act, &u), 0);
	assert_true(u.stuck == AIFABD_UNDO_NONE);
	assert_int_equal(u.plan.nops, 3);
	assert_op(&u.plan.ops[0], "rdma dev set aifab_efa1 netns ns1");
	assert_string_equal(u.plan.ops[0].from, "ns2");
	assert_op(&u.plan.ops[1], "rdma dev set aifab_efa0 netns "
		  "/proc/1/ns/net");
	assert_string_equal(u.plan.ops[1].from, "ns1");
	assert_string_equal(u.plan.ops[1].name, "efa0");
	assert_op(&u.plan.ops[2], "partition del red");
	aifabd_undo_free(&u);

	assert_int_equal(aifabd_apply(&aops, &p, &res), -EBUSY);
	assert_int_equal(aifabd_apply_rollback(&aops, &p, &act, &res, &rb), 0);
	assert_true(aifabd_rollback_complete(&rb));
	assert_int_equal(k.n, 7);
	assert_string_equal(k.sent[4], "rdma dev set aifab_efa1 netns ns1");
	assert_string_equal(k.sent[5], "rdma dev set aifab_efa0 netns "
			    "/proc/1/ns/net");
	assert_string_equal(k.sent[6], "partition del red");
	aifabd_rollback_free(&rb);
	fake_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inverses),
		cmocka_unit_test(test_stuck),
		cmocka_unit_test(test_fail_each),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_undo_refused),
		cmocka_unit_test(test_first_fails),
		cmocka_unit_test(test_rdma_netns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
