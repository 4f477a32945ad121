// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of aifabctl's command-line grammar: the pure args() functions
 * of every object, called through the objects' own command tables, and
 * whole command lines through ctl_dispatch() with a fake kernel, down to the
 * exact words printed on errors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/aifab.h>

#include "ctl_fake.h"

#define NAME_RULE	"1-31 characters of [a-zA-Z0-9_.-]"

static struct ctl_args args;

/* Run the args() of OBJ's VERB on the words, NULL-terminated. */
static int call_args(const struct ctl_obj *obj, const char *verb,
		     const char **words)
{
	size_t i;
	int argc = 0;

	while (words[argc])
		argc++;
	args = (struct ctl_args){ 0 };
	for (i = 0; i < obj->ncmds; i++) {
		const struct ctl_cmd *cmd = &obj->cmds[i];

		if ((!verb && !cmd->name) ||
		    (verb && cmd->name && !strcmp(cmd->name, verb)))
			return cmd->args(argc, (char **)words, &args);
	}
	fail_msg("no command %s", verb);
	return 0;
}

/* ARGS(ctl_dev_obj, "show", "accel0"); ARGS(ctl_dev_obj, "show", NULL). */
#define ARGS(obj, verb, ...) \
	call_args(&(obj), (verb), (const char *[]){ __VA_ARGS__, NULL })

static void assert_req(uint8_t cmd, bool dump, unsigned int nattrs)
{
	assert_int_equal(args.req.cmd, cmd);
	assert_int_equal(args.req.dump, dump);
	assert_int_equal(args.req.nattrs, nattrs);
}

static void assert_str_attr(unsigned int i, uint16_t type, const char *s)
{
	assert_true(i < args.req.nattrs);
	assert_int_equal(args.req.attrs[i].type, type);
	assert_int_equal(args.req.attrs[i].kind, AIFAB_NL_STR);
	assert_string_equal(args.req.attrs[i].str, s);
}

static void assert_u32_attr(unsigned int i, uint16_t type, uint32_t v)
{
	assert_true(i < args.req.nattrs);
	assert_int_equal(args.req.attrs[i].type, type);
	assert_int_equal(args.req.attrs[i].kind, AIFAB_NL_U32);
	assert_int_equal(args.req.attrs[i].u32, v);
}

/* A usage error: refused with no argument singled out. */
static void assert_usage(int ret)
{
	assert_int_equal(ret, -EINVAL);
	assert_null(args.bad);
}

static void assert_bad(int ret, const char *what, const char *arg)
{
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(args.bad_what, what);
	assert_string_equal(args.bad, arg);
}

static void test_name_valid(void **state)
{
	(void)state;
	assert_true(aifab_name_valid("accel0"));
	assert_true(aifab_name_valid("a"));
	assert_true(aifab_name_valid("A_Z.09-x"));
	assert_true(aifab_name_valid("1234567890123456789012345678901"));
	assert_false(aifab_name_valid("12345678901234567890123456789012"));
	assert_false(aifab_name_valid(""));
	assert_false(aifab_name_valid("a b"));
	assert_false(aifab_name_valid("a/b"));
	assert_false(aifab_name_valid("a:b"));
	assert_false(aifab_name_valid("caf\xc3\xa9"));
	assert_false(aifab_name_valid("-\n"));
}

static void test_dev_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_dev_obj, "show", NULL), 0);
	assert_req(AIFAB_CMD_DEV_GET, true, 0);

	assert_int_equal(ARGS(ctl_dev_obj, "show", "accel0"), 0);
	assert_req(AIFAB_CMD_DEV_GET, false, 1);
	assert_str_attr(0, AIFAB_A_DEV_NAME, "accel0");

	assert_usage(ARGS(ctl_dev_obj, "show", "accel0", "accel1"));
	assert_bad(ARGS(ctl_dev_obj, "show", "accel 0"), "device name",
		   "accel 0");
	assert_string_equal(args.expected, NAME_RULE);
}

static void test_link_show_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_link_obj, "show", NULL), 0);
	assert_req(AIFAB_CMD_LINK_GET, true, 0);

	assert_int_equal(ARGS(ctl_link_obj, "show", "accel0-accel1"), 0);
	assert_req(AIFAB_CMD_LINK_GET, false, 1);
	assert_str_attr(0, AIFAB_A_LINK_NAME, "accel0-accel1");

	assert_usage(ARGS(ctl_link_obj, "show", "a", "b"));
	assert_bad(ARGS(ctl_link_obj, "show", ""), "link name", "");
}

static void test_link_set_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_link_obj, "set", "l0", "state", "down"), 0);
	assert_req(AIFAB_CMD_LINK_SET, false, 2);
	assert_str_attr(0, AIFAB_A_LINK_NAME, "l0");
	assert_u32_attr(1, AIFAB_A_LINK_ADMIN_STATE, AIFAB_ADMIN_STATE_DOWN);

	assert_int_equal(ARGS(ctl_link_obj, "set", "l0", "state", "up"), 0);
	assert_u32_attr(1, AIFAB_A_LINK_ADMIN_STATE, AIFAB_ADMIN_STATE_UP);

	/* The fabric decides "degraded"; an operator cannot ask for it. */
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "state", "degraded"),
		   "state", "degraded");
	assert_string_equal(args.expected, "up or down");
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "state", "UP"), "state",
		   "UP");

	assert_usage(ARGS(ctl_link_obj, "set", NULL));
	assert_usage(ARGS(ctl_link_obj, "set", "l0"));
	assert_usage(ARGS(ctl_link_obj, "set", "l0", "state"));
	assert_usage(ARGS(ctl_link_obj, "set", "l0", "state", "up", "x"));
	assert_usage(ARGS(ctl_link_obj, "set", "l0", "speed", "100"));
	assert_bad(ARGS(ctl_link_obj, "set", "l/0", "state", "up"),
		   "link name", "l/0");
}

#define PCT_RULE	"an integer from 0 to 100"
#define FLAP_RULE	"0 (off) or 10 to 3600000 milliseconds"
#define PPM_RULE	"an integer from 0 to 1000000 (errors per million " \
			"packets)"

static void test_link_set_fault_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_link_obj, "set", "l0", "fault", "drop",
			      "5"), 0);
	assert_req(AIFAB_CMD_LINK_SET, false, 2);
	assert_str_attr(0, AIFAB_A_LINK_NAME, "l0");
	assert_u32_attr(1, AIFAB_A_LINK_DROP_PCT, 5);

	assert_int_equal(ARGS(ctl_link_obj, "set", "l0", "fault", "corrupt",
			      "100"), 0);
	assert_u32_attr(1, AIFAB_A_LINK_CORRUPT_PCT, 100);
	assert_int_equal(ARGS(ctl_link_obj, "set", "l0", "fault", "flap",
			      "10"), 0);
	assert_u32_attr(1, AIFAB_A_LINK_FLAP_MS, 10);
	assert_int_equal(ARGS(ctl_link_obj, "set", "l0", "fault", "flap",
			      "3600000"), 0);
	assert_int_equal(ARGS(ctl_link_obj, "set", "l0", "fault", "flap",
			      "0"), 0);
	assert_u32_attr(1, AIFAB_A_LINK_FLAP_MS, 0);

	/* none: every fault off, in one request. */
	assert_int_equal(ARGS(ctl_link_obj, "set", "l0", "fault", "none"), 0);
	assert_req(AIFAB_CMD_LINK_SET, false, 4);
	assert_u32_attr(1, AIFAB_A_LINK_DROP_PCT, 0);
	assert_u32_attr(2, AIFAB_A_LINK_CORRUPT_PCT, 0);
	assert_u32_attr(3, AIFAB_A_LINK_FLAP_MS, 0);

	assert_int_equal(ARGS(ctl_link_obj, "set", "l0", "degrade-threshold",
			      "1000000"), 0);
	assert_req(AIFAB_CMD_LINK_SET, false, 2);
	assert_u32_attr(1, AIFAB_A_LINK_DEGRADE_PPM, 1000000);
}

/* Settings combine, in the order given; each at most once. */
static void test_link_set_combined(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_link_obj, "set", "l0", "state", "down",
			      "fault", "drop", "5", "fault", "corrupt", "2",
			      "degrade-threshold", "500", "fault", "flap",
			      "250"), 0);
	assert_req(AIFAB_CMD_LINK_SET, false, 6);
	assert_u32_attr(1, AIFAB_A_LINK_ADMIN_STATE, AIFAB_ADMIN_STATE_DOWN);
	assert_u32_attr(2, AIFAB_A_LINK_DROP_PCT, 5);
	assert_u32_attr(3, AIFAB_A_LINK_CORRUPT_PCT, 2);
	assert_u32_attr(4, AIFAB_A_LINK_DEGRADE_PPM, 500);
	assert_u32_attr(5, AIFAB_A_LINK_FLAP_MS, 250);

	assert_bad(ARGS(ctl_link_obj, "set", "l0", "state", "up", "state",
			"down"), "setting", "state");
	assert_string_equal(args.expected, "each setting at most once");
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "fault", "drop", "5",
			"fault", "none"), "setting", "none");
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "fault", "none", "fault",
			"flap", "20"), "setting", "flap");
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "degrade-threshold", "1",
			"degrade-threshold", "1"), "setting",
		   "degrade-threshold");
}

static void test_link_set_ranges(void **state)
{
	(void)state;
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "fault", "drop", "101"),
		   "drop percentage", "101");
	assert_string_equal(args.expected, PCT_RULE);
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "fault", "drop", "-1"),
		   "drop percentage", "-1");
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "fault", "drop", "5%"),
		   "drop percentage", "5%");
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "fault", "drop", " 5"),
		   "drop percentage", " 5");
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "fault", "drop", ""),
		   "drop percentage", "");
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "fault", "drop",
			"99999999999999999999999"), "drop percentage",
		   "99999999999999999999999");
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "fault", "corrupt", "0x10"),
		   "corrupt percentage", "0x10");
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "fault", "flap", "9"),
		   "flap period", "9");
	assert_string_equal(args.expected, FLAP_RULE);
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "fault", "flap", "3600001"),
		   "flap period", "3600001");
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "degrade-threshold",
			"1000001"), "degrade threshold", "1000001");
	assert_string_equal(args.expected, PPM_RULE);
	assert_bad(ARGS(ctl_link_obj, "set", "l0", "fault", "delay", "5"),
		   "fault", "delay");
	assert_string_equal(args.expected,
			    "drop PCT, corrupt PCT, flap MS or none");

	assert_usage(ARGS(ctl_link_obj, "set", "l0", "fault"));
	assert_usage(ARGS(ctl_link_obj, "set", "l0", "fault", "drop"));
	assert_usage(ARGS(ctl_link_obj, "set", "l0", "degrade-threshold"));
	assert_usage(ARGS(ctl_link_obj, "set", "l0", "fault", "none", "5"));
}

static void test_stats_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_stats_obj, "show", NULL), 0);
	assert_req(AIFAB_CMD_STATS_GET, true, 0);
	assert_false(args.prometheus);

	assert_int_equal(ARGS(ctl_stats_obj, "show", "accel0"), 0);
	assert_req(AIFAB_CMD_STATS_GET, false, 1);
	assert_str_attr(0, AIFAB_A_STATS_DEV, "accel0");

	assert_int_equal(ARGS(ctl_stats_obj, "show", "--prometheus"), 0);
	assert_req(AIFAB_CMD_STATS_GET, true, 0);
	assert_true(args.prometheus);
	assert_int_equal(ARGS(ctl_stats_obj, "show", "--prometheus", "l0"), 0);
	assert_true(args.prometheus);
	assert_str_attr(0, AIFAB_A_STATS_DEV, "l0");
	assert_int_equal(ARGS(ctl_stats_obj, "show", "l0", "--prometheus"), 0);
	assert_true(args.prometheus);
	assert_req(AIFAB_CMD_STATS_GET, false, 1);

	assert_usage(ARGS(ctl_stats_obj, "show", "a", "b"));
	assert_bad(ARGS(ctl_stats_obj, "show", "a b"), "device or link name",
		   "a b");
	assert_usage(ARGS(ctl_stats_obj, "show", "--prometheus",
			  "--prometheus"));
}

static void test_topology_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_topology_obj, "show", NULL), 0);
	assert_usage(ARGS(ctl_topology_obj, "show", "x"));
	assert_int_equal(ARGS(ctl_topology_obj, "load", "-"), 0);
	assert_string_equal(args.file, "-");
	assert_int_equal(ARGS(ctl_topology_obj, "load", "t.yaml"), 0);
	assert_string_equal(args.file, "t.yaml");
	assert_usage(ARGS(ctl_topology_obj, "load", NULL));
	assert_usage(ARGS(ctl_topology_obj, "load", "a", "b"));
}

static void test_partition_add_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_partition_obj, "add", "p1", "tenant",
			      "acme"), 0);
	assert_req(AIFAB_CMD_PARTITION_NEW, false, 2);
	assert_str_attr(0, AIFAB_A_PARTITION_NAME, "p1");
	assert_str_attr(1, AIFAB_A_PARTITION_TENANT, "acme");

	assert_int_equal(ARGS(ctl_partition_obj, "add", "p1", "tenant", "acme",
			      "dev", "accel0", "efa0"), 0);
	assert_req(AIFAB_CMD_PARTITION_NEW, false, 4);
	assert_str_attr(2, AIFAB_A_PARTITION_DEV, "accel0");
	assert_str_attr(3, AIFAB_A_PARTITION_DEV, "efa0");

	/* After "dev" every word is a device, keywords included. */
	assert_int_equal(ARGS(ctl_partition_obj, "add", "p1", "tenant", "acme",
			      "dev", "tenant"), 0);
	assert_str_attr(2, AIFAB_A_PARTITION_DEV, "tenant");

	assert_usage(ARGS(ctl_partition_obj, "add", "p1"));
	assert_usage(ARGS(ctl_partition_obj, "add", "p1", "tenant"));
	assert_usage(ARGS(ctl_partition_obj, "add", "p1", "owner", "acme"));
	assert_usage(ARGS(ctl_partition_obj, "add", "p1", "tenant", "acme",
			  "dev"));
	assert_usage(ARGS(ctl_partition_obj, "add", "p1", "tenant", "acme",
			  "devs", "accel0"));
	assert_bad(ARGS(ctl_partition_obj, "add", "p 1", "tenant", "acme"),
		   "partition name", "p 1");
	assert_bad(ARGS(ctl_partition_obj, "add", "p1", "tenant", "a!"),
		   "tenant name", "a!");
	assert_bad(ARGS(ctl_partition_obj, "add", "p1", "tenant", "acme",
			"dev", "accel0", ""), "device name", "");
}

static void test_partition_add_many(void **state)
{
	static const char *words[AIFAB_NL_REQ_MAX_ATTRS + 8];
	int i;

	(void)state;
	words[0] = "p1";
	words[1] = "tenant";
	words[2] = "acme";
	words[3] = "dev";
	for (i = 4; i < AIFAB_NL_REQ_MAX_ATTRS + 7; i++)
		words[i] = "accel0";
	words[i] = NULL;
	assert_int_equal(call_args(&ctl_partition_obj, "add", words), -EINVAL);
	assert_non_null(args.bad);
}

static void test_partition_set_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_partition_obj, "set", "p1", "add", "dev",
			      "accel0", "accel1"), 0);
	assert_req(AIFAB_CMD_PARTITION_SET, false, 3);
	assert_str_attr(0, AIFAB_A_PARTITION_NAME, "p1");
	assert_str_attr(1, AIFAB_A_PARTITION_DEV_ADD, "accel0");
	assert_str_attr(2, AIFAB_A_PARTITION_DEV_ADD, "accel1");

	assert_int_equal(ARGS(ctl_partition_obj, "set", "p1", "del", "dev",
			      "accel0"), 0);
	assert_req(AIFAB_CMD_PARTITION_SET, false, 2);
	assert_str_attr(1, AIFAB_A_PARTITION_DEV_DEL, "accel0");

	assert_usage(ARGS(ctl_partition_obj, "set", "p1", "add", "dev"));
	assert_usage(ARGS(ctl_partition_obj, "set", "p1", "add", "accel0"));
	assert_usage(ARGS(ctl_partition_obj, "set", "p1", "move", "dev",
			  "accel0"));
	assert_usage(ARGS(ctl_partition_obj, "set", "p1"));
	assert_bad(ARGS(ctl_partition_obj, "set", "p1", "add", "dev", "a b"),
		   "device name", "a b");
}

/* netns NS opens the namespace's file now: the kernel reads it by fd. */
static void test_partition_netns_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_partition_obj, "set", "p1", "netns", "none"),
			 0);
	assert_req(AIFAB_CMD_PARTITION_SET, false, 2);
	assert_u32_attr(1, AIFAB_A_PARTITION_NETNS_FD, UINT32_MAX);
	assert_false(args.has_netns_fd);

	assert_int_equal(ARGS(ctl_partition_obj, "set", "p1", "netns",
			      "/proc/self/ns/net"), 0);
	assert_true(args.has_netns_fd);
	assert_true(args.netns_fd > 2);
	assert_u32_attr(1, AIFAB_A_PARTITION_NETNS_FD, args.netns_fd);
	close(args.netns_fd);

	assert_int_equal(ARGS(ctl_partition_obj, "add", "p1", "tenant", "acme",
			      "netns", "/proc/self/ns/net", "dev", "accel0"), 0);
	assert_req(AIFAB_CMD_PARTITION_NEW, false, 4);
	assert_u32_attr(2, AIFAB_A_PARTITION_NETNS_FD, args.netns_fd);
	assert_str_attr(3, AIFAB_A_PARTITION_DEV, "accel0");
	close(args.netns_fd);

	assert_bad(ARGS(ctl_partition_obj, "set", "p1", "netns", "/no/such"),
		   "network namespace", "/no/such");
	assert_false(args.has_netns_fd);
	assert_bad(ARGS(ctl_partition_obj, "set", "p1", "netns",
			"no-such-netns-here"), "network namespace",
		   "no-such-netns-here");
	assert_bad(ARGS(ctl_partition_obj, "set", "p1", "netns", "a b"),
		   "network namespace", "a b");
	assert_usage(ARGS(ctl_partition_obj, "add", "p1", "tenant", "acme",
			  "netns", "none"));
	assert_usage(ARGS(ctl_partition_obj, "add", "p1", "tenant", "acme",
			  "netns"));
	assert_usage(ARGS(ctl_partition_obj, "add", "p1", "tenant", "acme",
			  "netns", "/proc/self/ns/net", "devs", "accel0"));
	close(args.netns_fd);
	assert_usage(ARGS(ctl_partition_obj, "set", "p1", "netns"));
	assert_usage(ARGS(ctl_partition_obj, "set", "p1", "netns", "a", "b"));
}

static void test_partition_state_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_partition_obj, "set", "p1", "state", "down"),
			 0);
	assert_req(AIFAB_CMD_PARTITION_SET, false, 2);
	assert_str_attr(0, AIFAB_A_PARTITION_NAME, "p1");
	assert_u32_attr(1, AIFAB_A_PARTITION_ADMIN_STATE, AIFAB_ADMIN_STATE_DOWN);
	assert_int_equal(ARGS(ctl_partition_obj, "set", "p1", "state", "up"),
			 0);
	assert_req(AIFAB_CMD_PARTITION_SET, false, 2);
	assert_u32_attr(1, AIFAB_A_PARTITION_ADMIN_STATE, AIFAB_ADMIN_STATE_UP);

	/* "degraded" is a link's operational state, never asked for. */
	assert_bad(ARGS(ctl_partition_obj, "set", "p1", "state", "degraded"),
		   "state", "degraded");
	assert_bad(ARGS(ctl_partition_obj, "set", "p1", "state", "UP"),
		   "state", "UP");
	assert_bad(ARGS(ctl_partition_obj, "set", "p 1", "state", "up"),
		   "partition name", "p 1");
	assert_usage(ARGS(ctl_partition_obj, "set", "p1", "state"));
	assert_usage(ARGS(ctl_partition_obj, "set", "p1", "state", "up",
			  "down"));
}

static void test_partition_show_del_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_partition_obj, "show", NULL), 0);
	assert_req(AIFAB_CMD_PARTITION_GET, true, 0);
	assert_int_equal(ARGS(ctl_partition_obj, "show", "p1"), 0);
	assert_req(AIFAB_CMD_PARTITION_GET, false, 1);
	assert_str_attr(0, AIFAB_A_PARTITION_NAME, "p1");
	assert_usage(ARGS(ctl_partition_obj, "show", "p1", "p2"));

	assert_int_equal(ARGS(ctl_partition_obj, "del", "p1"), 0);
	assert_req(AIFAB_CMD_PARTITION_DEL, false, 1);
	assert_str_attr(0, AIFAB_A_PARTITION_NAME, "p1");
	assert_usage(ARGS(ctl_partition_obj, "del", NULL));
	assert_usage(ARGS(ctl_partition_obj, "del", "p1", "p2"));
}

static void test_fence_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_fence_obj, "show", NULL), 0);
	assert_req(AIFAB_CMD_FENCE_GET, true, 0);
	assert_usage(ARGS(ctl_fence_obj, "show", "p1"));

	assert_int_equal(ARGS(ctl_fence_obj, "add", "p1", "p2"), 0);
	assert_req(AIFAB_CMD_FENCE_NEW, false, 2);
	assert_str_attr(0, AIFAB_A_FENCE_PART_A, "p1");
	assert_str_attr(1, AIFAB_A_FENCE_PART_B, "p2");

	assert_int_equal(ARGS(ctl_fence_obj, "del", "p2", "p1"), 0);
	assert_req(AIFAB_CMD_FENCE_DEL, false, 2);
	assert_str_attr(0, AIFAB_A_FENCE_PART_A, "p2");

	assert_usage(ARGS(ctl_fence_obj, "add", "p1"));
	assert_usage(ARGS(ctl_fence_obj, "del", "p1", "p2", "p3"));
	assert_bad(ARGS(ctl_fence_obj, "add", "p1", "p*"), "partition name",
		   "p*");
}

static void test_route_monitor_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_route_obj, "get", "accel0", "efa1"), 0);
	assert_req(AIFAB_CMD_ROUTE_GET, false, 2);
	assert_str_attr(0, AIFAB_A_ROUTE_SRC, "accel0");
	assert_str_attr(1, AIFAB_A_ROUTE_DST, "efa1");
	assert_usage(ARGS(ctl_route_obj, "get", "accel0"));
	assert_usage(ARGS(ctl_route_obj, "get", "a", "b", "c"));
	assert_bad(ARGS(ctl_route_obj, "get", "a", "b?"), "device name",
		   "b?");

	assert_int_equal(ARGS(ctl_monitor_obj, NULL, NULL), 0);
	assert_usage(ARGS(ctl_monitor_obj, NULL, "all"));
}

/* reload and health show: their own words, and never the kernel. */
static void test_daemon_args(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_reload_obj, NULL, NULL), 0);
	assert_string_equal(args.run_dir, "/run/aifab");
	assert_int_equal(ARGS(ctl_reload_obj, NULL, "--run-dir", "/tmp/r"), 0);
	assert_string_equal(args.run_dir, "/tmp/r");
	assert_usage(ARGS(ctl_reload_obj, NULL, "--run-dir"));
	assert_usage(ARGS(ctl_reload_obj, NULL, "-j"));
	assert_usage(ARGS(ctl_reload_obj, NULL, "now"));
	assert_bad(ARGS(ctl_reload_obj, NULL, "--run-dir", ""),
		   "run directory", "");

	assert_int_equal(ARGS(ctl_health_obj, "show", NULL), 0);
	assert_false(args.json);
	assert_int_equal(ARGS(ctl_health_obj, "show", "-j", "--run-dir", "d"),
			 0);
	assert_true(args.json);
	assert_string_equal(args.run_dir, "d");
	assert_int_equal(ARGS(ctl_health_obj, "show", "--run-dir", "d", "-j"),
			 0);
	assert_true(args.json);
	assert_usage(ARGS(ctl_health_obj, "show", "links"));
	assert_usage(ARGS(ctl_health_obj, "show", "-p"));
	assert_true(ctl_reload_obj.cmds[0].flags & CTL_CMD_NO_KERNEL);
	assert_true(ctl_health_obj.cmds[0].flags & CTL_CMD_NO_KERNEL);
}

/* Fixture of the command-line tests: a fake kernel per test. */
static int setup(void **state)
{
	*state = fake_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	fake_free(*state);
	return 0;
}

#define USAGE_TOP \
	"Usage: aifabctl [ -j | --json ] [ -p | --pretty ] OBJECT COMMAND [ARGS]\n" \
	"       aifabctl { -h | --help | -V | --version }\n" \
	"where  OBJECT := { dev | link | partition | fence | route | monitor |\n" \
	"                   stats | topology | reload | health }\n"

static void test_cli_usage(void **state)
{
	struct fake *fk = *state;

	assert_int_equal(fake_run(fk, 0, (const char *[]){ NULL }), 1);
	assert_string_equal(fk->err, USAGE_TOP);

	assert_int_equal(FAKE_RUN(fk, 0, "bogus"), 1);
	assert_string_equal(fk->err,
			    "aifabctl: unknown object \"bogus\"\n" USAGE_TOP);

	assert_int_equal(FAKE_RUN(fk, 0, "dev", "list"), 1);
	assert_string_equal(fk->err, "Usage: aifabctl dev show [DEV]\n");

	assert_int_equal(FAKE_RUN(fk, 0, "link", "set", "l0", "state"), 1);
	assert_string_equal(fk->err, "Usage: aifabctl link { show [LINK] | "
			    "set LINK SETTING... }\n"
			    "where  SETTING := { state { up | down } | "
			    "degrade-threshold PPM |\n"
			    "                    fault { drop PCT | corrupt PCT "
			    "| flap MS | none } }\n");

	assert_int_equal(FAKE_RUN(fk, 0, "stats", "show", "a", "b"), 1);
	assert_string_equal(fk->err, "Usage: aifabctl stats show "
			    "[--prometheus] [DEV | LINK]\n");

	assert_int_equal(FAKE_RUN(fk, 0, "topology", "save"), 1);
	assert_string_equal(fk->err, "Usage: aifabctl topology { show | "
			    "load FILE }\n");

	assert_int_equal(FAKE_RUN(fk, 0, "partition", "add", "p1"), 1);
	assert_string_equal(fk->err,
			    "Usage: aifabctl partition { show [NAME] | "
			    "add NAME tenant TENANT [netns NS] [dev DEV...] | "
			    "set NAME { add | del } dev DEV... | "
			    "set NAME netns { NS | none } | "
			    "set NAME state { up | down } | del NAME }\n");

	assert_int_equal(FAKE_RUN(fk, 0, "fence", "add"), 1);
	assert_string_equal(fk->err, "Usage: aifabctl fence { show | "
			    "add PART_A PART_B | del PART_A PART_B }\n");

	assert_int_equal(FAKE_RUN(fk, 0, "route"), 1);
	assert_string_equal(fk->err, "Usage: aifabctl route get DEV_A DEV_B\n");

	assert_int_equal(FAKE_RUN(fk, 0, "monitor", "now"), 1);
	assert_string_equal(fk->err, "Usage: aifabctl monitor\n");

	/* Nothing reached the kernel. */
	assert_int_equal(fk->connects, 0);
	assert_string_equal(fk->out, "");
}

static void test_cli_help(void **state)
{
	struct fake *fk = *state;

	assert_int_equal(FAKE_RUN(fk, 0, "route", "help"), 0);
	assert_string_equal(fk->out, "Usage: aifabctl route get DEV_A DEV_B\n");
	assert_string_equal(fk->err, "");
	assert_int_equal(fk->connects, 0);
}

/* Bad values are caught before the kernel is contacted, with the reason. */
static void test_cli_bad_values(void **state)
{
	struct fake *fk = *state;

	assert_int_equal(FAKE_RUN(fk, 0, "dev", "show", "accel#0"), 1);
	assert_string_equal(fk->err, "aifabctl: invalid device name "
			    "\"accel#0\": expected " NAME_RULE "\n");

	assert_int_equal(FAKE_RUN(fk, 0, "link", "set", "l0", "state", "on"),
			 1);
	assert_string_equal(fk->err, "aifabctl: invalid state \"on\": "
			    "expected up or down\n");

	assert_int_equal(FAKE_RUN(fk, 0, "link", "set", "l0", "fault", "drop",
				  "150"), 1);
	assert_string_equal(fk->err, "aifabctl: invalid drop percentage "
			    "\"150\": expected " PCT_RULE "\n");
	assert_int_equal(FAKE_RUN(fk, 0, "link", "set", "l0", "fault", "flap",
				  "5"), 1);
	assert_string_equal(fk->err, "aifabctl: invalid flap period \"5\": "
			    "expected " FLAP_RULE "\n");
	assert_int_equal(FAKE_RUN(fk, 0, "link", "set", "l0",
				  "degrade-threshold", "-3"), 1);
	assert_string_equal(fk->err, "aifabctl: invalid degrade threshold "
			    "\"-3\": expected " PPM_RULE "\n");
	assert_int_equal(FAKE_RUN(fk, 0, "link", "set", "l0", "state", "up",
				  "state", "up"), 1);
	assert_string_equal(fk->err, "aifabctl: invalid setting \"state\": "
			    "expected each setting at most once\n");
	assert_int_equal(fk->connects, 0);
	assert_string_equal(fk->out, "");
}

/* Fault injection goes to the kernel as typed, and succeeds silently. */
static void test_cli_link_set(void **state)
{
	struct fake *fk = *state;

	assert_int_equal(FAKE_RUN(fk, 0, "link", "set", "accel0-accel1",
				  "state", "down", "fault", "drop", "5"), 0);
	assert_string_equal(fk->out, "");
	assert_string_equal(fk->err, "");
	assert_int_equal(fk->req.cmd, AIFAB_CMD_LINK_SET);
	assert_false(fk->req.dump);
	assert_int_equal(fk->req.nattrs, 3);
	assert_int_equal(fk->req.attrs[2].type, AIFAB_A_LINK_DROP_PCT);
	assert_int_equal(fk->req.attrs[2].u32, 5);

	fk->exec_err = -EOPNOTSUPP;
	fk->errmsg = "net links cannot flap";
	assert_int_equal(FAKE_RUN(fk, 0, "link", "set", "efa0-efa1", "fault",
				  "flap", "100"), 1);
	assert_string_equal(fk->err, "aifabctl: link set: net links cannot "
			    "flap\n");
}

static void test_cli_not_loaded(void **state)
{
	struct fake *fk = *state;

	fk->connect_err = -ENOENT;
	assert_int_equal(FAKE_RUN(fk, 0, "dev", "show"), 1);
	assert_string_equal(fk->err, "aifabctl: aifab: the aifab kernel "
			    "module is not loaded\n");
	assert_int_equal(fk->execs, 0);
	assert_string_equal(fk->out, "");
}

/* A change is silent on success, and the request is what was typed. */
static void test_cli_change(void **state)
{
	struct fake *fk = *state;

	assert_int_equal(FAKE_RUN(fk, 0, "partition", "set", "p1", "del",
				  "dev", "accel0"), 0);
	assert_string_equal(fk->out, "");
	assert_string_equal(fk->err, "");
	assert_int_equal(fk->req.cmd, AIFAB_CMD_PARTITION_SET);
	assert_int_equal(fk->req.nattrs, 2);
	assert_int_equal(fk->req.attrs[1].type, AIFAB_A_PARTITION_DEV_DEL);

	assert_int_equal(FAKE_RUN(fk, AIFAB_OUT_JSON, "fence", "add", "p1",
				  "p2"), 0);
	assert_string_equal(fk->out, "");
	assert_int_equal(fk->req.cmd, AIFAB_CMD_FENCE_NEW);
}

/* The kernel's own words, and the argument its extack offset named. */
static void test_cli_kernel_error(void **state)
{
	struct fake *fk = *state;

	fk->exec_err = -EBUSY;
	fk->errmsg = "device is in another partition";
	fk->err_arg = "accel1";
	assert_int_equal(FAKE_RUN(fk, 0, "partition", "add", "p1", "tenant",
				  "t", "dev", "accel0", "accel1"), 1);
	assert_string_equal(fk->err, "aifabctl: partition add: device is in "
			    "another partition (at \"accel1\")\n");

	fk->errmsg = NULL;
	fk->err_arg = NULL;
	fk->exec_err = -EPERM;
	assert_int_equal(FAKE_RUN(fk, 0, "link", "set", "l0", "state", "up"),
			 1);
	assert_string_equal(fk->err, "aifabctl: link set: Operation not "
			    "permitted\n");

	fk->exec_err = -ENODEV;
	assert_int_equal(FAKE_RUN(fk, AIFAB_OUT_JSON, "dev", "show", "x"), 1);
	assert_string_equal(fk->err, "aifabctl: dev show: No such device\n");
	assert_string_equal(fk->out, "");

	fk->exec_err = -ENOENT;
	assert_int_equal(FAKE_RUN(fk, 0, "monitor"), 1);
	assert_string_equal(fk->err, "aifabctl: monitor: Transport endpoint "
			    "is not connected\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_valid),
		cmocka_unit_test(test_dev_args),
		cmocka_unit_test(test_link_show_args),
		cmocka_unit_test(test_link_set_args),
		cmocka_unit_test(test_link_set_fault_args),
		cmocka_unit_test(test_link_set_combined),
		cmocka_unit_test(test_link_set_ranges),
		cmocka_unit_test(test_stats_args),
		cmocka_unit_test(test_topology_args),
		cmocka_unit_test(test_partition_add_args),
		cmocka_unit_test(test_partition_add_many),
		cmocka_unit_test(test_partition_set_args),
		cmocka_unit_test(test_partition_netns_args),
		cmocka_unit_test(test_partition_state_args),
		cmocka_unit_test(test_partition_show_del_args),
		cmocka_unit_test(test_fence_args),
		cmocka_unit_test(test_route_monitor_args),
		cmocka_unit_test(test_daemon_args),
		cmocka_unit_test_setup_teardown(test_cli_usage, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cli_help, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cli_bad_values, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cli_link_set, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cli_not_loaded, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cli_change, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cli_kernel_error, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("ctl_args", tests, NULL, NULL);
}
