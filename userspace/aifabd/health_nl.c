// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd's health glue over netlink; see health_nl.h. Each reply is
 * checked against a policy of what health needs of it, and replies of any
 * other command (an event, if the socket was in the monitor group) are
 * skipped rather than misread.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/aifab.h>

#include "array.h"
#include "health_nl.h"
#include "nl.h"

static const struct aifab_nl_policy hnl_route_policy[AIFAB_A_ROUTE_MAX + 1] = {
	[AIFAB_A_ROUTE_ALLOWED] = { MNL_TYPE_U8, true },
	[AIFAB_A_ROUTE_REASON] = { MNL_TYPE_U32, false },
	[AIFAB_A_ROUTE_HOP] = { MNL_TYPE_NESTED, false },
};

static const struct aifab_nl_policy hnl_hop_policy[AIFAB_A_HOP_MAX + 1] = {
	[AIFAB_A_HOP_LINK] = { MNL_TYPE_NUL_STRING, true },
};

static bool hnl_is(const struct nlmsghdr *nlh, uint8_t cmd)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	return mnl_nlmsg_get_payload_len(nlh) >= sizeof(*g) && g->cmd == cmd;
}

static enum aifabd_route_verdict hnl_verdict(const struct nlattr *reason)
{
	switch (reason ? mnl_attr_get_u32(reason) : 0) {
	case AIFAB_ROUTE_REASON_NO_PATH:
		return AIFABD_ROUTE_NO_PATH;
	case AIFAB_ROUTE_REASON_PARTITION_DOWN:
		return AIFABD_ROUTE_PARTITION_DOWN;
	default:
		return AIFABD_ROUTE_REFUSED;
	}
}

static int hnl_hops(const struct nlmsghdr *nlh, struct aifabd_route *rt)
{
	const struct nlattr *tb[AIFAB_A_HOP_MAX + 1];
	const struct nlattr *attr;
	int ret;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != AIFAB_A_ROUTE_HOP)
			continue;
		if (rt->nhops == AIFABD_ROUTE_MAX_HOPS)
			return -EBADMSG;
		ret = aifab_nl_parse_nested(attr, hnl_hop_policy,
					    AIFAB_A_HOP_MAX, tb);
		if (!ret)
			ret = aifab_nl_copy_name(rt->hops[rt->nhops],
						 tb[AIFAB_A_HOP_LINK]);
		if (ret)
			return ret;
		rt->nhops++;
	}
	return 0;
}

struct hnl_route {
	struct aifabd_route *rt;
	bool seen;
};

static int hnl_route_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_ROUTE_MAX + 1];
	struct hnl_route *hr = data;
	int ret;

	if (!hnl_is(nlh, AIFAB_CMD_ROUTE_GET))
		return 0;
	if (hr->seen)
		return -EBADMSG;
	hr->seen = true;
	ret = aifab_nl_parse(nlh, hnl_route_policy, AIFAB_A_ROUTE_MAX, tb);
	if (ret)
		return ret;
	if (!mnl_attr_get_u8(tb[AIFAB_A_ROUTE_ALLOWED])) {
		hr->rt->verdict = hnl_verdict(tb[AIFAB_A_ROUTE_REASON]);
		return 0;
	}
	hr->rt->verdict = AIFABD_ROUTE_OK;
	return hnl_hops(nlh, hr->rt);
}

/**
 * aifabd_hnl_route() - How @src reaches @dst now (ROUTE_GET).
 * @nl: Open client.
 * @src: Source device.
 * @dst: Destination device.
 * @rt: The verdict and, when allowed, the links in path order.
 *
 * Return: 0 (a refusal is a verdict), or a negative errno value: -ENOENT
 * for an unknown device, -EBADMSG for a malformed reply.
 */
int aifabd_hnl_route(struct aifab_nl *nl, const char *src, const char *dst,
		     struct aifabd_route *rt)
{
	struct hnl_route hr = { .rt = rt };
	struct aifab_nl_req *req;
	int ret;

	*rt = (struct aifabd_route){ 0 };
	req = malloc(sizeof(*req));
	if (!req)
		return -ENOMEM;
	aifab_nl_req_init(req, AIFAB_CMD_ROUTE_GET, false);
	ret = aifab_nl_req_str(req, AIFAB_A_ROUTE_SRC, src);
	if (!ret)
		ret = aifab_nl_req_str(req, AIFAB_A_ROUTE_DST, dst);
	if (!ret)
		ret = aifab_nl_exec(nl, req, hnl_route_reply, &hr);
	free(req);
	if (!ret && !hr.seen)
		ret = -EBADMSG;
	return ret;
}

/* PARTITION_SET with the admin state alone. Return: 0 or -errno. */
int aifabd_hnl_set_admin(struct aifab_nl *nl, const char *partition, bool up)
{
	struct aifab_nl_req *req;
	int ret;

	req = malloc(sizeof(*req));
	if (!req)
		return -ENOMEM;
	aifab_nl_req_init(req, AIFAB_CMD_PARTITION_SET, false);
	ret = aifab_nl_req_str(req, AIFAB_A_PARTITION_NAME, partition);
	if (!ret)
		ret = aifab_nl_req_u32(req, AIFAB_A_PARTITION_ADMIN_STATE,
				       up ? AIFAB_ADMIN_STATE_UP :
				       AIFAB_ADMIN_STATE_DOWN);
	if (!ret)
		ret = aifab_nl_exec(nl, req, NULL, NULL);
	free(req);
	return ret;
}
