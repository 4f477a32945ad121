// SPDX-License-Identifier: GPL-2.0
/*
 * aifabctl link: the links between fabric devices.
 *
 *   aifabctl link show [LINK]
 *   aifabctl link set LINK state up|down
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <linux/aifab.h>

#include "ctl.h"

static const char *const link_kind_names[] = {
	[AIFAB_LINK_KIND_ACCEL] = "accel",
	[AIFAB_LINK_KIND_AFFINITY] = "affinity",
	[AIFAB_LINK_KIND_NET] = "net",
};

static const char *const link_admin_names[] = {
	[AIFAB_ADMIN_STATE_UP] = "up",
	[AIFAB_ADMIN_STATE_DOWN] = "down",
};

static const struct aifab_nl_policy link_policy[AIFAB_A_LINK_MAX + 1] = {
	[AIFAB_A_LINK_ID] = { MNL_TYPE_U32, true },
	[AIFAB_A_LINK_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_KIND] = { MNL_TYPE_U32, true },
	[AIFAB_A_LINK_A] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_B] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_STATE] = { MNL_TYPE_U32, true },
	[AIFAB_A_LINK_ADMIN_STATE] = { MNL_TYPE_U32, true },
	[AIFAB_A_LINK_SPEED_MBPS] = { MNL_TYPE_U32, true },
};

/**
 * link_print_fields() - Print a link's attributes into the open object.
 * @out: Output context.
 * @tb: Validated attributes; only the name is sure to be there (events may
 *      carry fewer than replies).
 *
 * Text: "accel0-accel1: accel0 <-> accel1 kind accel state up admin up
 * speed 400000Mbps", leaving out what is missing.
 *
 * Return: As the output layer.
 */
int link_print_fields(struct aifab_out *out, const struct nlattr **tb)
{
	ctl_out_u32(out, "id", NULL, tb[AIFAB_A_LINK_ID]);
	ctl_out_str(out, "name", "%s:", tb[AIFAB_A_LINK_NAME], NULL);
	ctl_out_str(out, "a", " %s", tb[AIFAB_A_LINK_A], NULL);
	ctl_out_str(out, "b", " <-> %s", tb[AIFAB_A_LINK_B], NULL);
	ctl_out_enum(out, "kind", " kind %s", tb[AIFAB_A_LINK_KIND],
		     link_kind_names, CTL_ARRAY_SIZE(link_kind_names));
	ctl_out_enum(out, "state", " state %s", tb[AIFAB_A_LINK_STATE],
		     ctl_link_state_names, CTL_ARRAY_SIZE(ctl_link_state_names));
	ctl_out_enum(out, "admin_state", " admin %s",
		     tb[AIFAB_A_LINK_ADMIN_STATE], link_admin_names,
		     CTL_ARRAY_SIZE(link_admin_names));
	return ctl_out_u32(out, "speed_mbps", " speed %" PRIu64 "Mbps",
			   tb[AIFAB_A_LINK_SPEED_MBPS]);
}

/**
 * link_print() - Print one LINK_GET reply as an element of the open array.
 * @nlh: The reply.
 * @data: The output context.
 *
 * Return: 0, -EBADMSG for a malformed reply, or an output error.
 */
int link_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	struct aifab_out *out = data;
	int ret;

	ret = aifab_nl_parse(nlh, link_policy, AIFAB_A_LINK_MAX, tb);
	if (ret)
		return ret;
	aifab_out_open_object(out, NULL);
	link_print_fields(out, tb);
	aifab_out_nl(out);
	return aifab_out_close_object(out);
}

static int link_show_args(int argc, char **argv, struct ctl_args *a)
{
	aifab_nl_req_init(&a->req, AIFAB_CMD_LINK_GET, argc == 0);
	if (argc > 1)
		return -EINVAL;
	if (argc == 1)
		return ctl_args_name(a, AIFAB_A_LINK_NAME, "link name",
				     argv[0]);
	return 0;
}

static int link_show_run(struct ctl *ctl, const struct ctl_args *a)
{
	return ctl_show(ctl, a, link_print);
}

/**
 * link_admin_state_parse() - Read an administrative state keyword.
 * @s: The word.
 * @state: Filled with the &enum aifab_admin_state value.
 *
 * "degraded" is an operational state the fabric decides, never one an
 * operator can ask for, so only "up" and "down" are accepted.
 *
 * Return: 0, or -EINVAL.
 */
static int link_admin_state_parse(const char *s, uint32_t *state)
{
	if (!strcmp(s, "up"))
		*state = AIFAB_ADMIN_STATE_UP;
	else if (!strcmp(s, "down"))
		*state = AIFAB_ADMIN_STATE_DOWN;
	else
		return -EINVAL;
	return 0;
}

/*
 * link set LINK state up|down. The fault and degrade-threshold keywords
 * belong to later work; they are recognised so that they fail honestly
 * instead of as typing errors.
 */
static int link_set_args(int argc, char **argv, struct ctl_args *a)
{
	uint32_t state;
	int ret;

	aifab_nl_req_init(&a->req, AIFAB_CMD_LINK_SET, false);
	if (argc < 2)
		return -EINVAL;
	ret = ctl_args_name(a, AIFAB_A_LINK_NAME, "link name", argv[0]);
	if (ret)
		return ret;
	if (!strcmp(argv[1], "fault")) {
		a->todo = "link fault injection";
		return -EOPNOTSUPP;
	}
	if (!strcmp(argv[1], "degrade-threshold")) {
		a->todo = "the link degrade threshold";
		return -EOPNOTSUPP;
	}
	if (strcmp(argv[1], "state") || argc != 3)
		return -EINVAL;
	if (link_admin_state_parse(argv[2], &state))
		return ctl_args_bad(a, "state", argv[2], "up or down");
	return aifab_nl_req_u32(&a->req, AIFAB_A_LINK_ADMIN_STATE, state);
}

static const struct ctl_cmd link_cmds[] = {
	{ "show", link_show_args, link_show_run },
	{ "set", link_set_args, ctl_change },
};

const struct ctl_obj ctl_link_obj = {
	"link",
	"aifabctl link { show [LINK] | set LINK state { up | down } }",
	link_cmds, CTL_ARRAY_SIZE(link_cmds),
};
