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
	assert_true(ctl_name_valid("accel0"));
	assert_true(ctl_name_valid("a"));
	assert_true(ctl_name_valid("A_Z.09-x"));
	assert_true(ctl_name_valid("1234567890123456789012345678901"));
	assert_false(ctl_name_valid("12345678901234567890123456789012"));
	assert_false(ctl_name_valid(""));
	assert_false(ctl_name_valid("a b"));
	assert_false(ctl_name_valid("a/b"));
	assert_false(ctl_name_valid("a:b"));
	assert_false(ctl_name_valid("caf\xc3\xa9"));
	assert_false(ctl_name_valid("-\n"));
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

/* Later features are recognised and refused as such, never faked. */
static void test_link_set_todo(void **state)
{
	(void)state;
	assert_int_equal(ARGS(ctl_link_obj, "set", "l0", "fault", "drop",
			      "5"), -EOPNOTSUPP);
	assert_string_equal(args.todo, "link fault injection");
	assert_int_equal(ARGS(ctl_link_obj, "set", "l0", "fault", "none"),
			 -EOPNOTSUPP);
	assert_int_equal(ARGS(ctl_link_obj, "set", "l0", "degrade-threshold",
			      "100"), -EOPNOTSUPP);
	assert_string_equal(args.todo, "the link degrade threshold");
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
	"where  OBJECT := { dev | link | partition | fence | route | monitor }\n"

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
			    "set LINK state { up | down } }\n");

	assert_int_equal(FAKE_RUN(fk, 0, "partition", "add", "p1"), 1);
	assert_string_equal(fk->err,
			    "Usage: aifabctl partition { show [NAME] | "
			    "add NAME tenant TENANT [dev DEV...] | "
			    "set NAME { add | del } dev DEV... | del NAME }\n");

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
	assert_int_equal(fk->connects, 0);
}

static void test_cli_todo(void **state)
{
	struct fake *fk = *state;

	assert_int_equal(FAKE_RUN(fk, 0, "link", "set", "l0", "fault", "drop",
				  "10"), 1);
	assert_string_equal(fk->err, "aifabctl: link fault injection is not "
			    "supported yet\n");
	assert_int_equal(FAKE_RUN(fk, 0, "link", "set", "l0",
				  "degrade-threshold", "50"), 1);
	assert_string_equal(fk->err, "aifabctl: the link degrade threshold is "
			    "not supported yet\n");
	assert_int_equal(FAKE_RUN(fk, 0, "stats", "show"), 1);
	assert_string_equal(fk->err, "aifabctl: stats show is not supported "
			    "yet\n");
	assert_int_equal(FAKE_RUN(fk, 0, "topology", "load", "f.yaml"), 1);
	assert_string_equal(fk->err, "aifabctl: topology load is not "
			    "supported yet\n");
	assert_int_equal(FAKE_RUN(fk, 0, "topology", "show"), 1);
	assert_string_equal(fk->err, "aifabctl: topology show is not "
			    "supported yet\n");
	assert_int_equal(fk->connects, 0);
	assert_string_equal(fk->out, "");
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
		cmocka_unit_test(test_link_set_todo),
		cmocka_unit_test(test_partition_add_args),
		cmocka_unit_test(test_partition_add_many),
		cmocka_unit_test(test_partition_set_args),
		cmocka_unit_test(test_partition_show_del_args),
		cmocka_unit_test(test_fence_args),
		cmocka_unit_test(test_route_monitor_args),
		cmocka_unit_test_setup_teardown(test_cli_usage, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cli_help, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cli_bad_values, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cli_todo, setup,
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
