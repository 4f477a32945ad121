// SPDX-License-Identifier: GPL-2.0
/*
 * aifabctl fence: rules that let traffic cross between two partitions.
 *
 *   aifabctl fence show
 *   aifabctl fence add PART_A PART_B
 *   aifabctl fence del PART_A PART_B
 */
#include <errno.h>

#include <linux/aifab.h>

#include "ctl.h"

static const struct aifab_nl_policy fence_policy[AIFAB_A_FENCE_MAX + 1] = {
	[AIFAB_A_FENCE_PART_A] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_FENCE_PART_B] = { MNL_TYPE_NUL_STRING, true },
};

/**
 * fence_print() - Print one FENCE_GET reply as an element of the open array.
 * @nlh: The reply.
 * @data: The output context.
 *
 * Text: "p1 <-> p2", since a fence works both ways.
 *
 * Return: 0, -EBADMSG for a malformed reply, or an output error.
 */
int fence_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_FENCE_MAX + 1];
	struct aifab_out *out = data;
	int ret;

	ret = aifab_nl_parse(nlh, fence_policy, AIFAB_A_FENCE_MAX, tb);
	if (ret)
		return ret;
	aifab_out_open_object(out, NULL);
	ctl_out_str(out, "a", "%s", tb[AIFAB_A_FENCE_PART_A], NULL);
	ctl_out_str(out, "b", " <-> %s", tb[AIFAB_A_FENCE_PART_B], NULL);
	aifab_out_nl(out);
	return aifab_out_close_object(out);
}

static int fence_show_args(int argc, char **argv, struct ctl_args *a)
{
	aifab_nl_req_init(&a->req, AIFAB_CMD_FENCE_GET, true);
	return ctl_args_none(argc, argv, a);
}

static int fence_show_run(struct ctl *ctl, const struct ctl_args *a)
{
	return ctl_show(ctl, a, fence_print);
}

/* fence add|del PART_A PART_B: the same two names for either command. */
static int fence_pair_args(int argc, char **argv, struct ctl_args *a,
			   uint8_t cmd)
{
	int ret;

	aifab_nl_req_init(&a->req, cmd, false);
	if (argc != 2)
		return -EINVAL;
	ret = ctl_args_name(a, AIFAB_A_FENCE_PART_A, "partition name",
			    argv[0]);
	if (!ret)
		ret = ctl_args_name(a, AIFAB_A_FENCE_PART_B, "partition name",
				    argv[1]);
	return ret;
}

static int fence_add_args(int argc, char **argv, struct ctl_args *a)
{
	return fence_pair_args(argc, argv, a, AIFAB_CMD_FENCE_NEW);
}

static int fence_del_args(int argc, char **argv, struct ctl_args *a)
{
	return fence_pair_args(argc, argv, a, AIFAB_CMD_FENCE_DEL);
}

static const struct ctl_cmd fence_cmds[] = {
	{ "show", fence_show_args, fence_show_run, 0 },
	{ "add", fence_add_args, ctl_change, 0 },
	{ "del", fence_del_args, ctl_change, 0 },
};

const struct ctl_obj ctl_fence_obj = {
	"fence",
	"aifabctl fence { show | add PART_A PART_B | del PART_A PART_B }",
	fence_cmds, AIFAB_ARRAY_SIZE(fence_cmds),
};
