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

static const struct aifab_nl_policy hnl_link_policy[AIFAB_A_LINK_MAX + 1] = {
	[AIFAB_A_LINK_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_STATE] = { MNL_TYPE_U32, true },
};

/* The admin state may be absent: a module older than it has none. */
static const struct aifab_nl_policy hnl_part_policy[AIFAB_A_PARTITION_MAX + 1] = {
	[AIFAB_A_PARTITION_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_PARTITION_TENANT] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_PARTITION_DEV] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_PARTITION_ADMIN_STATE] = { MNL_TYPE_U32, false },
};

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

static int hnl_link_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	struct aifabd_hnl_fabric *fab = data;
	struct aifabd_hnl_link *l;
	uint32_t state;
	int ret;

	if (!hnl_is(nlh, AIFAB_CMD_LINK_GET))
		return 0;
	ret = aifab_nl_parse(nlh, hnl_link_policy, AIFAB_A_LINK_MAX, tb);
	if (ret)
		return ret;
	state = mnl_attr_get_u32(tb[AIFAB_A_LINK_STATE]);
	if (state < AIFAB_LINK_STATE_UP || state > AIFAB_LINK_STATE_DEGRADED)
		return -EBADMSG;
	if (aifab_grow(&fab->links, &fab->cap_links, fab->nlinks,
		       sizeof(*fab->links)))
		return -ENOMEM;
	l = &fab->links[fab->nlinks];
	l->state = (enum aifab_link_state)state;
	ret = aifab_nl_copy_name(l->name, tb[AIFAB_A_LINK_NAME]);
	if (!ret)
		fab->nlinks++;
	return ret;
}

static int hnl_part_devs(struct aifabd_hnl_part *p, const struct nlmsghdr *nlh)
{
	const struct nlattr *attr;
	size_t cap = 0;
	int ret;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != AIFAB_A_PARTITION_DEV)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
			return -EBADMSG;
		if (aifab_grow(&p->devs, &cap, p->ndevs, sizeof(*p->devs)))
			return -ENOMEM;
		ret = aifab_nl_copy_name(p->devs[p->ndevs], attr);
		if (ret)
			return ret;
		p->ndevs++;
	}
	return 0;
}

static int hnl_part_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_PARTITION_MAX + 1];
	struct aifabd_hnl_fabric *fab = data;
	struct aifabd_hnl_part *p;
	int ret;

	if (!hnl_is(nlh, AIFAB_CMD_PARTITION_GET))
		return 0;
	ret = aifab_nl_parse(nlh, hnl_part_policy, AIFAB_A_PARTITION_MAX, tb);
	if (ret)
		return ret;
	if (aifab_grow(&fab->parts, &fab->cap_parts, fab->nparts,
		       sizeof(*fab->parts)))
		return -ENOMEM;
	p = &fab->parts[fab->nparts++];
	*p = (struct aifabd_hnl_part){ 0 };
	p->admin_down = tb[AIFAB_A_PARTITION_ADMIN_STATE] &&
			mnl_attr_get_u32(tb[AIFAB_A_PARTITION_ADMIN_STATE]) ==
			AIFAB_ADMIN_STATE_DOWN;
	ret = aifab_nl_copy_name(p->name, tb[AIFAB_A_PARTITION_NAME]);
	if (!ret)
		ret = aifab_nl_copy_name(p->tenant,
					 tb[AIFAB_A_PARTITION_TENANT]);
	return ret ? ret : hnl_part_devs(p, nlh);
}

void aifabd_hnl_fabric_free(struct aifabd_hnl_fabric *fab)
{
	size_t i;

	for (i = 0; i < fab->nparts; i++)
		free(fab->parts[i].devs);
	free(fab->parts);
	free(fab->links);
	*fab = (struct aifabd_hnl_fabric){ 0 };
}

/**
 * aifabd_hnl_fabric() - The kernel's links and partitions.
 * @nl: Open client.
 * @fab: Filled in; empty on failure. Free with aifabd_hnl_fabric_free().
 *
 * Return: 0, or a negative errno value (-EBADMSG for a malformed reply).
 */
int aifabd_hnl_fabric(struct aifab_nl *nl, struct aifabd_hnl_fabric *fab)
{
	int ret;

	*fab = (struct aifabd_hnl_fabric){ 0 };
	ret = aifab_nl_dump(nl, AIFAB_CMD_LINK_GET, hnl_link_reply, fab);
	if (!ret)
		ret = aifab_nl_dump(nl, AIFAB_CMD_PARTITION_GET,
				    hnl_part_reply, fab);
	if (ret)
		aifabd_hnl_fabric_free(fab);
	return ret;
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
