// SPDX-License-Identifier: GPL-2.0
/*
 * aifabctl route: may traffic go from one device to another, and how?
 *
 *   aifabctl route get DEV_A DEV_B
 *
 * The exit status carries the answer, so that scripts need not parse it:
 * 0 when the route is allowed, 2 when the fabric refuses it.
 */
#include <errno.h>

#include <linux/aifab.h>

#include "ctl.h"

static const struct aifab_nl_policy route_policy[AIFAB_A_ROUTE_MAX + 1] = {
	[AIFAB_A_ROUTE_SRC] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_ROUTE_DST] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_ROUTE_ALLOWED] = { MNL_TYPE_U8, true },
	[AIFAB_A_ROUTE_REASON] = { MNL_TYPE_U32, false },
	[AIFAB_A_ROUTE_DEGRADED] = { MNL_TYPE_U8, false },
	[AIFAB_A_ROUTE_HOP] = { MNL_TYPE_NESTED, false },
	[AIFAB_A_ROUTE_SRC_PARTITION] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_ROUTE_DST_PARTITION] = { MNL_TYPE_NUL_STRING, false },
};

static const struct aifab_nl_policy hop_policy[AIFAB_A_HOP_MAX + 1] = {
	[AIFAB_A_HOP_LINK] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_HOP_FROM] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_HOP_TO] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_HOP_STATE] = { MNL_TYPE_U32, true },
};

/**
 * route_hops() - Check, or print, the hops of a ROUTE_GET reply.
 * @nlh: The reply, its top-level attributes already validated.
 * @out: Output context with the "path" array open, or NULL to check only.
 *
 * The hops are checked before anything of the route is printed, so that a
 * malformed hop never leaves half a route on the screen.
 *
 * Return: 0, -EBADMSG for a malformed hop, or an output error.
 */
static int route_hops(const struct nlmsghdr *nlh, struct aifab_out *out)
{
	const struct nlattr *tb[AIFAB_A_HOP_MAX + 1];
	const struct nlattr *attr;
	int ret = 0;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != AIFAB_A_ROUTE_HOP)
			continue;
		ret = aifab_nl_parse_nested(attr, hop_policy, AIFAB_A_HOP_MAX,
					    tb);
		if (ret)
			break;
		if (!out)
			continue;
		aifab_out_open_object(out, NULL);
		ctl_out_str(out, "link", "\tvia %s:", tb[AIFAB_A_HOP_LINK],
			    NULL);
		ctl_out_str(out, "from", " %s", tb[AIFAB_A_HOP_FROM], NULL);
		ctl_out_str(out, "to", " -> %s", tb[AIFAB_A_HOP_TO], NULL);
		ctl_out_enum(out, "state", " state %s", tb[AIFAB_A_HOP_STATE],
			     aifab_link_state_names,
			     AIFAB_ARRAY_SIZE(aifab_link_state_names));
		aifab_out_nl(out);
		ret = aifab_out_close_object(out);
		if (ret)
			break;
	}
	return ret;
}

/* The first line: who, the verdict, why, and the partitions involved. */
static void route_print_verdict(struct aifab_out *out,
				const struct nlattr **tb, bool allowed)
{
	bool degraded = tb[AIFAB_A_ROUTE_DEGRADED] &&
			mnl_attr_get_u8(tb[AIFAB_A_ROUTE_DEGRADED]);

	ctl_out_str(out, "src", "%s", tb[AIFAB_A_ROUTE_SRC], NULL);
	ctl_out_str(out, "dst", " -> %s:", tb[AIFAB_A_ROUTE_DST], NULL);
	aifab_out_bool(out, "allowed", NULL, allowed);
	aifab_out_text(out, allowed ? " allowed" : " refused");
	ctl_out_enum(out, "reason", " reason %s", tb[AIFAB_A_ROUTE_REASON],
		     aifab_route_reason_names,
		     AIFAB_ARRAY_SIZE(aifab_route_reason_names));
	aifab_out_bool(out, "degraded", NULL, degraded);
	if (degraded)
		aifab_out_text(out, " degraded");
	ctl_out_str(out, "src_partition", " src-partition %s",
		    tb[AIFAB_A_ROUTE_SRC_PARTITION], " src-partition -");
	ctl_out_str(out, "dst_partition", " dst-partition %s",
		    tb[AIFAB_A_ROUTE_DST_PARTITION], " dst-partition -");
	aifab_out_nl(out);
}

/**
 * route_check() - Validate a ROUTE_GET reply completely.
 * @nlh: The reply.
 * @tb: Filled with its top-level attributes.
 *
 * Return: 0, or -EBADMSG for a malformed reply, a bad hop, or a refusal
 * without a reason.
 */
static int route_check(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	int ret = aifab_nl_parse(nlh, route_policy, AIFAB_A_ROUTE_MAX, tb);

	if (!ret)
		ret = route_hops(nlh, NULL);
	if (ret)
		return ret;
	if (!mnl_attr_get_u8(tb[AIFAB_A_ROUTE_ALLOWED]) &&
	    !tb[AIFAB_A_ROUTE_REASON])
		return -EBADMSG;
	return 0;
}

/**
 * route_keep() - Remember the one ROUTE_GET reply.
 * @nlh: A reply; it stays valid until the next request.
 * @data: Where to remember it; NULL until the first reply.
 *
 * The route is printed only once the request completed, so that a second,
 * unexpected reply is refused before anything, text or JSON, is printed.
 *
 * Return: 0, or -EBADMSG for a malformed or second reply.
 */
static int route_keep(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_ROUTE_MAX + 1];
	const struct nlmsghdr **reply = data;
	int ret;

	if (*reply)
		return -EBADMSG;
	ret = route_check(nlh, tb);
	if (!ret)
		*reply = nlh;
	return ret;
}

/**
 * route_print() - Print a validated ROUTE_GET reply as one object.
 * @out: Output context with nothing open.
 * @nlh: The reply, already accepted by route_check().
 * @allowed: Filled with the verdict.
 *
 * Text: "accel0 -> accel3: allowed src-partition p1 dst-partition p1",
 * then one "\tvia LINK: FROM -> TO state STATE" line per hop in path order.
 * A refusal says "refused reason REASON" and has no hops.
 *
 * Return: 0 or an output error.
 */
static int route_print(struct aifab_out *out, const struct nlmsghdr *nlh,
		       bool *allowed)
{
	const struct nlattr *tb[AIFAB_A_ROUTE_MAX + 1];

	if (route_check(nlh, tb))
		return -EBADMSG;
	*allowed = mnl_attr_get_u8(tb[AIFAB_A_ROUTE_ALLOWED]);
	aifab_out_open_object(out, NULL);
	route_print_verdict(out, tb, *allowed);
	aifab_out_open_array(out, "path");
	route_hops(nlh, out);
	aifab_out_close_array(out);
	aifab_out_close_object(out);
	return aifab_out_flush(out);
}

static int route_get_args(int argc, char **argv, struct ctl_args *a)
{
	int ret;

	aifab_nl_req_init(&a->req, AIFAB_CMD_ROUTE_GET, false);
	if (argc != 2)
		return -EINVAL;
	ret = ctl_args_name(a, AIFAB_A_ROUTE_SRC, "device name", argv[0]);
	if (!ret)
		ret = ctl_args_name(a, AIFAB_A_ROUTE_DST, "device name",
				    argv[1]);
	return ret;
}

static int route_get_run(struct ctl *ctl, const struct ctl_args *a)
{
	const struct nlmsghdr *reply = NULL;
	struct aifab_out *out;
	bool allowed = false;
	int ret;

	ret = ctl->ops->exec(ctl, &a->req, route_keep, &reply);
	if (!ret && !reply)
		ret = -EBADMSG;
	if (!ret) {
		out = aifab_out_new(ctl->out, ctl->out_flags);
		ret = out ? route_print(out, reply, &allowed) : -errno;
		aifab_out_free(out);
	}
	if (ret)
		return ctl_fail(ctl, ret);
	return allowed ? CTL_EXIT_OK : CTL_EXIT_REFUSED;
}

static const struct ctl_cmd route_cmds[] = {
	{ "get", route_get_args, route_get_run, 0 },
};

const struct ctl_obj ctl_route_obj = {
	"route", "aifabctl route get DEV_A DEV_B", route_cmds,
	AIFAB_ARRAY_SIZE(route_cmds),
};
