// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of aifabd's snapshot replies. snapshot.c is included, not
 * linked, so that its reply handlers can be fed partition and link dump
 * replies built here as the kernel lays them out. Health learns the fabric
 * from the same snapshot (health.h), so what it needs is checked here
 * too: members, the admin state, and link states.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../aifabd/snapshot.c"

static char buf[8192] __attribute__((aligned(8)));	/* one reply */
static struct aifabd_actual t_act;
static struct snap t_sn;

static struct nlmsghdr *reply(uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = cmd;
	g->version = AIFAB_FAMILY_VERSION;
	return nlh;
}

/* A partition with @admin (0: no attribute) and members @devs. */
static int part(const char *name, uint32_t admin, const char *const *devs)
{
	struct nlmsghdr *nlh = reply(AIFAB_CMD_PARTITION_GET);

	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, name);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_TENANT, "acme");
	while (devs && *devs)
		mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_DEV, *devs++);
	if (admin)
		mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_ADMIN_STATE, admin);
	return snap_part_reply(nlh, &t_sn);
}

static int link_reply(const char *name, uint32_t state)
{
	struct nlmsghdr *nlh = reply(AIFAB_CMD_LINK_GET);

	mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME, name);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_DEGRADE_PPM, 700);
	if (state)
		mnl_attr_put_u32(nlh, AIFAB_A_LINK_STATE, state);
	return snap_link_reply(nlh, &t_sn);
}

static int setup(void **state)
{
	(void)state;
	t_act = (struct aifabd_actual){ 0 };
	t_sn = (struct snap){ .act = &t_act };
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	aifabd_actual_free(&t_act);
	free(t_sn.ns);
	return 0;
}

static void test_part_members_admin(void **state)
{
	static const char *const red[] = { "accel0", "accel1", "efa0", NULL };

	(void)state;
	assert_int_equal(part("red", AIFAB_ADMIN_STATE_DOWN, red), 0);
	assert_int_equal(part("blue", AIFAB_ADMIN_STATE_UP, NULL), 0);
	/* A module older than the admin state: up. */
	assert_int_equal(part("green", 0, NULL), 0);
	assert_int_equal(t_act.nparts, 3);
	assert_string_equal(t_act.parts[0].name, "red");
	assert_string_equal(t_act.parts[0].tenant, "acme");
	assert_int_equal(t_act.parts[0].ndevs, 3);
	assert_string_equal(t_act.parts[0].devs[0], "accel0");
	assert_string_equal(t_act.parts[0].devs[2], "efa0");
	assert_true(t_act.parts[0].admin_down);
	assert_false(t_act.parts[1].admin_down);
	assert_int_equal(t_act.parts[1].ndevs, 0);
	assert_false(t_act.parts[2].admin_down);
	assert_string_equal(t_act.parts[2].netns, "");
}

static void test_part_malformed(void **state)
{
	struct nlmsghdr *nlh = reply(AIFAB_CMD_PARTITION_GET);

	(void)state;
	/* No tenant. */
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, "red");
	assert_int_equal(snap_part_reply(nlh, &t_sn), -EBADMSG);
	/* A member that is no string: every one is checked, not the last. */
	nlh = reply(AIFAB_CMD_PARTITION_GET);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, "red");
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_TENANT, "acme");
	mnl_attr_put(nlh, AIFAB_A_PARTITION_DEV, 3, "abc");
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_DEV, "accel1");
	assert_int_equal(snap_part_reply(nlh, &t_sn), -EBADMSG);
}

static void test_link_states(void **state)
{
	(void)state;
	assert_int_equal(link_reply("l01", AIFAB_LINK_STATE_UP), 0);
	assert_int_equal(link_reply("l12", AIFAB_LINK_STATE_DEGRADED), 0);
	/* Without a state the planner still works; health leaves it out. */
	assert_int_equal(link_reply("l23", 0), 0);
	assert_int_equal(t_act.nlinks, 3);
	assert_string_equal(t_act.links[0].name, "l01");
	assert_int_equal(t_act.links[0].state, AIFAB_LINK_STATE_UP);
	assert_int_equal(t_act.links[0].degrade_ppm, 700);
	assert_int_equal(t_act.links[1].state, AIFAB_LINK_STATE_DEGRADED);
	assert_int_equal(t_act.links[2].state, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_part_members_admin, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_part_malformed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_link_states, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
