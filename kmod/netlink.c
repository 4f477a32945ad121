// SPDX-License-Identifier: GPL-2.0
/*
 * The "aifab" generic netlink family: see include/uapi/linux/aifab.h and
 * its spec, aifab.yaml. Requests name objects; every handler resolves the
 * names under the fabric mutex, so a reply is one consistent snapshot.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "accel.h"
#include "efa.h"
#include "events.h"
#include "fabric.h"
#include "health.h"
#include "netlink.h"
#include "partition.h"
#include "route.h"
#include "topology.h"

enum aifab_nl_groups {
	AIFAB_NLGRP_MONITOR,
};

static const struct genl_multicast_group aifab_nl_mcgrps[] = {
	[AIFAB_NLGRP_MONITOR] = { .name = AIFAB_MCGRP_MONITOR },
};

/*
 * The fabric the family serves. Set before the family is registered and
 * cleared after it is unregistered, so handlers always see it; events
 * check it because they may fire before registration.
 */
static struct aifab_fabric *aifab_nl_fabric;

static struct genl_family aifab_nl_family;

#define AIFAB_NL_NAME { .type = NLA_NUL_STRING, .len = AIFAB_NAME_MAX - 1 }

#define AIFAB_NL_ADMIN_STATE \
	NLA_POLICY_RANGE(NLA_U32, AIFAB_ADMIN_STATE_UP, AIFAB_ADMIN_STATE_DOWN)

static const struct nla_policy aifab_nl_node_policy[AIFAB_A_NODE_MAX + 1] = {
	[AIFAB_A_NODE_NAME] = AIFAB_NL_NAME,
};

static const struct nla_policy aifab_nl_dev_policy[AIFAB_A_DEV_MAX + 1] = {
	[AIFAB_A_DEV_NAME] = AIFAB_NL_NAME,
};

static const struct nla_policy aifab_nl_link_get_policy[AIFAB_A_LINK_MAX + 1] = {
	[AIFAB_A_LINK_NAME] = AIFAB_NL_NAME,
};

/* Not const: 6.1's struct nla_policy points at a mutable range. */
static struct netlink_range_validation aifab_nl_flap_range = {
	.max = AIFAB_FLAP_MAX_MS,
};

static struct netlink_range_validation aifab_nl_degrade_range = {
	.max = AIFAB_DEGRADE_MAX_PPM,
};

static const struct nla_policy aifab_nl_link_set_policy[AIFAB_A_LINK_MAX + 1] = {
	[AIFAB_A_LINK_NAME] = AIFAB_NL_NAME,
	[AIFAB_A_LINK_ADMIN_STATE] = AIFAB_NL_ADMIN_STATE,
	[AIFAB_A_LINK_DROP_PCT] = NLA_POLICY_MAX(NLA_U32, 100),
	[AIFAB_A_LINK_CORRUPT_PCT] = NLA_POLICY_MAX(NLA_U32, 100),
	/* 1-9 ms is refused in aifab_link_set(): 0 means off. */
	[AIFAB_A_LINK_FLAP_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &aifab_nl_flap_range),
	[AIFAB_A_LINK_DEGRADE_PPM] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &aifab_nl_degrade_range),
};

static const struct nla_policy aifab_nl_part_get_policy[AIFAB_A_PARTITION_MAX + 1] = {
	[AIFAB_A_PARTITION_NAME] = AIFAB_NL_NAME,
};

static const struct nla_policy aifab_nl_part_new_policy[AIFAB_A_PARTITION_MAX + 1] = {
	[AIFAB_A_PARTITION_NAME] = AIFAB_NL_NAME,
	[AIFAB_A_PARTITION_TENANT] = AIFAB_NL_NAME,
	[AIFAB_A_PARTITION_DEV] = AIFAB_NL_NAME,
	[AIFAB_A_PARTITION_NETNS_FD] = { .type = NLA_S32 },
	[AIFAB_A_PARTITION_ADMIN_STATE] = AIFAB_NL_ADMIN_STATE,
};

static const struct nla_policy aifab_nl_part_set_policy[AIFAB_A_PARTITION_MAX + 1] = {
	[AIFAB_A_PARTITION_NAME] = AIFAB_NL_NAME,
	[AIFAB_A_PARTITION_DEV_ADD] = AIFAB_NL_NAME,
	[AIFAB_A_PARTITION_DEV_DEL] = AIFAB_NL_NAME,
	[AIFAB_A_PARTITION_NETNS_FD] = { .type = NLA_S32 },
	[AIFAB_A_PARTITION_ADMIN_STATE] = AIFAB_NL_ADMIN_STATE,
};

static const struct nla_policy aifab_nl_fence_policy[AIFAB_A_FENCE_MAX + 1] = {
	[AIFAB_A_FENCE_PART_A] = AIFAB_NL_NAME,
	[AIFAB_A_FENCE_PART_B] = AIFAB_NL_NAME,
};

static const struct nla_policy aifab_nl_stats_policy[AIFAB_A_STATS_MAX + 1] = {
	[AIFAB_A_STATS_DEV] = AIFAB_NL_NAME,
	[AIFAB_A_STATS_LINK] = AIFAB_NL_NAME,
};

static const struct nla_policy aifab_nl_topo_node_policy[AIFAB_A_NODE_MAX + 1] = {
	[AIFAB_A_NODE_NAME] = AIFAB_NL_NAME,
	[AIFAB_A_NODE_LOCAL] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy aifab_nl_topo_dev_policy[AIFAB_A_DEV_MAX + 1] = {
	[AIFAB_A_DEV_NAME] = AIFAB_NL_NAME,
	[AIFAB_A_DEV_TYPE] = NLA_POLICY_RANGE(NLA_U32, AIFAB_DEV_TYPE_ACCEL,
					      AIFAB_DEV_TYPE_EFA),
	[AIFAB_A_DEV_NODE] = AIFAB_NL_NAME,
	[AIFAB_A_DEV_MEM_BYTES] = { .type = NLA_U64 },
};

static const struct nla_policy aifab_nl_topo_link_policy[AIFAB_A_LINK_MAX + 1] = {
	[AIFAB_A_LINK_NAME] = AIFAB_NL_NAME,
	[AIFAB_A_LINK_KIND] = NLA_POLICY_RANGE(NLA_U32, AIFAB_LINK_KIND_ACCEL,
					       AIFAB_LINK_KIND_NET),
	[AIFAB_A_LINK_A] = AIFAB_NL_NAME,
	[AIFAB_A_LINK_B] = AIFAB_NL_NAME,
	[AIFAB_A_LINK_SPEED_MBPS] = NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy aifab_nl_topology_policy[AIFAB_A_TOPOLOGY_MAX + 1] = {
	[AIFAB_A_TOPOLOGY_NODE] = NLA_POLICY_NESTED(aifab_nl_topo_node_policy),
	[AIFAB_A_TOPOLOGY_DEV] = NLA_POLICY_NESTED(aifab_nl_topo_dev_policy),
	[AIFAB_A_TOPOLOGY_LINK] = NLA_POLICY_NESTED(aifab_nl_topo_link_policy),
};

static const struct nla_policy aifab_nl_route_policy[AIFAB_A_ROUTE_MAX + 1] = {
	[AIFAB_A_ROUTE_SRC] = AIFAB_NL_NAME,
	[AIFAB_A_ROUTE_DST] = AIFAB_NL_NAME,
};

/* Room for any one message: a partition of AIFAB_PARTITION_MAX_DEVS. */
#define AIFAB_NL_MAX_MSG \
	(NLMSG_GOODSIZE + AIFAB_PARTITION_MAX_DEVS * nla_total_size(AIFAB_NAME_MAX))

/* Where a fill function writes: a reply, a dump chunk or an event. */
struct aifab_nl_dest {
	u32 portid;
	u32 seq;
	int flags;
	u8 cmd;
	struct netlink_callback *cb;
};

static void *aifab_nl_put_hdr(struct sk_buff *skb,
			      const struct aifab_nl_dest *to)
{
	void *hdr = genlmsg_put(skb, to->portid, to->seq, &aifab_nl_family,
				to->flags, to->cmd);

	if (hdr && to->cb)
		genl_dump_check_consistent(to->cb, hdr);
	return hdr;
}

static int aifab_nl_end(struct sk_buff *skb, void *hdr, int err)
{
	if (err) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int aifab_nl_put_partition_name(struct sk_buff *skb, int attr,
				       struct aifab_fabric *fab, u32 id)
{
	struct aifab_partition *part = id ? aifab_partition_lookup(fab, id) : NULL;

	return part ? nla_put_string(skb, attr, part->obj.name) : 0;
}

/* Fill functions run under the fabric mutex. */

static int aifab_nl_fill_node(struct sk_buff *skb, struct aifab_fabric *fab,
			      struct aifab_object *obj,
			      const struct aifab_nl_dest *to)
{
	struct aifab_node *node = container_of(obj, struct aifab_node, obj);
	void *hdr = aifab_nl_put_hdr(skb, to);

	if (!hdr)
		return -EMSGSIZE;
	return aifab_nl_end(skb, hdr,
			    nla_put_u32(skb, AIFAB_A_NODE_ID, obj->id) ||
			    nla_put_string(skb, AIFAB_A_NODE_NAME, obj->name) ||
			    nla_put_u8(skb, AIFAB_A_NODE_LOCAL, node->local));
}

static int aifab_nl_put_accel(struct sk_buff *skb, const struct aifab_device *dev)
{
	struct aifab_accel_stats st;

	if (aifab_accel_stats(dev->obj.id, &st))
		return 0;
	return nla_put_string(skb, AIFAB_A_DEV_DEV_NODE, st.dev_node) ||
	       nla_put_u64_64bit(skb, AIFAB_A_DEV_MEM_USED, st.mem_used,
				 AIFAB_A_DEV_PAD) ||
	       nla_put_u64_64bit(skb, AIFAB_A_DEV_MEM_PEAK, st.mem_peak,
				 AIFAB_A_DEV_PAD) ||
	       nla_put_u64_64bit(skb, AIFAB_A_DEV_JOBS_COMPLETED,
				 st.jobs_completed, AIFAB_A_DEV_PAD) ||
	       nla_put_u64_64bit(skb, AIFAB_A_DEV_JOBS_FAILED, st.jobs_failed,
				 AIFAB_A_DEV_PAD);
}

static int aifab_nl_fill_dev(struct sk_buff *skb, struct aifab_fabric *fab,
			     struct aifab_object *obj,
			     const struct aifab_nl_dest *to)
{
	struct aifab_device *dev = container_of(obj, struct aifab_device, obj);
	struct aifab_node *node = aifab_node_lookup(fab, dev->node_id);
	void *hdr = aifab_nl_put_hdr(skb, to);

	if (!hdr)
		return -EMSGSIZE;
	return aifab_nl_end(skb, hdr,
			    nla_put_u32(skb, AIFAB_A_DEV_ID, obj->id) ||
			    nla_put_string(skb, AIFAB_A_DEV_NAME, obj->name) ||
			    nla_put_u32(skb, AIFAB_A_DEV_TYPE, dev->type) ||
			    nla_put_string(skb, AIFAB_A_DEV_NODE, node->obj.name) ||
			    nla_put_u8(skb, AIFAB_A_DEV_LOCAL, node->local) ||
			    aifab_nl_put_partition_name(skb, AIFAB_A_DEV_PARTITION,
							fab, dev->partition_id) ||
			    (dev->type == AIFAB_DEV_TYPE_ACCEL &&
			     nla_put_u64_64bit(skb, AIFAB_A_DEV_MEM_BYTES,
					       dev->mem_bytes, AIFAB_A_DEV_PAD)) ||
			    (node->local &&
			     nla_put_u32(skb, AIFAB_A_DEV_OPEN_COUNT,
					 dev->open_count)) ||
			    aifab_nl_put_accel(skb, dev));
}

static int aifab_nl_put_link(struct sk_buff *skb, struct aifab_fabric *fab,
			     const struct aifab_link *link)
{
	return nla_put_u32(skb, AIFAB_A_LINK_ID, link->obj.id) ||
	       nla_put_string(skb, AIFAB_A_LINK_NAME, link->obj.name) ||
	       nla_put_u32(skb, AIFAB_A_LINK_KIND, link->kind) ||
	       nla_put_string(skb, AIFAB_A_LINK_A,
			      aifab_device_lookup(fab, link->a_id)->obj.name) ||
	       nla_put_string(skb, AIFAB_A_LINK_B,
			      aifab_device_lookup(fab, link->b_id)->obj.name) ||
	       nla_put_u32(skb, AIFAB_A_LINK_STATE, link->state) ||
	       nla_put_u32(skb, AIFAB_A_LINK_ADMIN_STATE, link->admin_state) ||
	       nla_put_u32(skb, AIFAB_A_LINK_SPEED_MBPS, link->speed_mbps) ||
	       nla_put_u32(skb, AIFAB_A_LINK_DROP_PCT, link->drop_pct) ||
	       nla_put_u32(skb, AIFAB_A_LINK_CORRUPT_PCT, link->corrupt_pct) ||
	       nla_put_u32(skb, AIFAB_A_LINK_FLAP_MS, link->flap_ms) ||
	       nla_put_u32(skb, AIFAB_A_LINK_DEGRADE_PPM, link->degrade_ppm);
}

static int aifab_nl_fill_link(struct sk_buff *skb, struct aifab_fabric *fab,
			      struct aifab_object *obj,
			      const struct aifab_nl_dest *to)
{
	void *hdr = aifab_nl_put_hdr(skb, to);

	if (!hdr)
		return -EMSGSIZE;
	return aifab_nl_end(skb, hdr,
			    aifab_nl_put_link(skb, fab,
					      container_of(obj, struct aifab_link, obj)));
}

static int aifab_nl_put_members(struct sk_buff *skb, struct aifab_fabric *fab,
				u32 partition_id)
{
	struct aifab_device *dev;
	struct aifab_object *obj;
	unsigned long id;

	xa_for_each(&fab->devices, id, obj) {
		dev = container_of(obj, struct aifab_device, obj);
		if (dev->partition_id == partition_id &&
		    nla_put_string(skb, AIFAB_A_PARTITION_DEV, obj->name))
			return -EMSGSIZE;
	}
	return 0;
}

static int aifab_nl_put_partition(struct sk_buff *skb, struct aifab_fabric *fab,
				  const struct aifab_partition *part)
{
	return nla_put_u32(skb, AIFAB_A_PARTITION_ID, part->obj.id) ||
	       nla_put_string(skb, AIFAB_A_PARTITION_NAME, part->obj.name) ||
	       nla_put_string(skb, AIFAB_A_PARTITION_TENANT, part->tenant) ||
	       nla_put_u32(skb, AIFAB_A_PARTITION_ADMIN_STATE, part->admin_state) ||
	       (part->netns_cookie &&
		nla_put_u64_64bit(skb, AIFAB_A_PARTITION_NETNS_COOKIE,
				  part->netns_cookie, AIFAB_A_PARTITION_PAD)) ||
	       (part->ndevs && aifab_nl_put_members(skb, fab, part->obj.id));
}

static int aifab_nl_fill_partition(struct sk_buff *skb,
				   struct aifab_fabric *fab,
				   struct aifab_object *obj,
				   const struct aifab_nl_dest *to)
{
	void *hdr = aifab_nl_put_hdr(skb, to);

	if (!hdr)
		return -EMSGSIZE;
	return aifab_nl_end(skb, hdr,
			    aifab_nl_put_partition(skb, fab,
						   container_of(obj, struct aifab_partition,
								obj)));
}

static int aifab_nl_fill_fence(struct sk_buff *skb, struct aifab_fabric *fab,
			       const struct aifab_fence *fence,
			       const struct aifab_nl_dest *to)
{
	void *hdr = aifab_nl_put_hdr(skb, to);

	if (!hdr)
		return -EMSGSIZE;
	return aifab_nl_end(skb, hdr,
			    aifab_nl_put_partition_name(skb, AIFAB_A_FENCE_PART_A,
							fab, fence->a_id) ||
			    aifab_nl_put_partition_name(skb, AIFAB_A_FENCE_PART_B,
							fab, fence->b_id));
}

typedef int (*aifab_nl_fill_fn)(struct sk_buff *skb, struct aifab_fabric *fab,
				struct aifab_object *obj,
				const struct aifab_nl_dest *to);

static int aifab_nl_reply(struct genl_info *info, aifab_nl_fill_fn fill,
			  struct xarray *xa, int name_attr, const char *what)
{
	struct aifab_fabric *fab = aifab_nl_fabric;
	struct aifab_nl_dest to = {
		.portid = info->snd_portid,
		.seq = info->snd_seq,
		.cmd = info->genlhdr->cmd,
	};
	struct aifab_object *obj;
	struct sk_buff *msg;
	const char *name;
	int ret;

	size_t size = NLMSG_GOODSIZE;

	if (GENL_REQ_ATTR_CHECK(info, name_attr))
		return -EINVAL;
	name = nla_data(info->attrs[name_attr]);
retry:
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&fab->lock);
	obj = aifab_table_find(xa, name);
	ret = obj ? fill(msg, fab, obj, &to) : -ENOENT;
	mutex_unlock(&fab->lock);
	/* Only a big partition outgrows a page; the retry fits the largest. */
	if (ret == -EMSGSIZE && size < AIFAB_NL_MAX_MSG) {
		nlmsg_free(msg);
		size = AIFAB_NL_MAX_MSG;
		goto retry;
	}
	if (ret) {
		if (ret == -ENOENT) {
			aifab_err_name(info->extack, what, name);
			NL_SET_BAD_ATTR(info->extack, info->attrs[name_attr]);
		}
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/*
 * One dump chunk of a table, resuming at cb->args[0]. The generation goes
 * into cb->seq, so a change between chunks flags the dump NLM_F_DUMP_INTR.
 */
static int aifab_nl_dump(struct sk_buff *skb, struct netlink_callback *cb,
			 struct xarray *xa, aifab_nl_fill_fn fill)
{
	struct aifab_fabric *fab = aifab_nl_fabric;
	struct aifab_nl_dest to = {
		.portid = NETLINK_CB(cb->skb).portid,
		.seq = cb->nlh->nlmsg_seq,
		.flags = NLM_F_MULTI,
		.cmd = genl_dumpit_info(cb)->op.cmd,
		.cb = cb,
	};
	unsigned long index = cb->args[0];
	struct aifab_object *obj;
	int ret = 0;

	mutex_lock(&fab->lock);
	cb->seq = (u32)fab->generation ?: 1;
	xa_for_each_start(xa, index, obj, cb->args[0]) {
		ret = fill(skb, fab, obj, &to);
		if (ret)
			break;
	}
	mutex_unlock(&fab->lock);
	if (!ret)
		return 0;
	cb->args[0] = index;
	/* An object too big for an empty message would stall the dump. */
	return skb->len ?: ret;
}

static int aifab_nl_node_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return aifab_nl_reply(info, aifab_nl_fill_node, &aifab_nl_fabric->nodes,
			      AIFAB_A_NODE_NAME, "no such node");
}

static int aifab_nl_node_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	return aifab_nl_dump(skb, cb, &aifab_nl_fabric->nodes, aifab_nl_fill_node);
}

static int aifab_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return aifab_nl_reply(info, aifab_nl_fill_dev, &aifab_nl_fabric->devices,
			      AIFAB_A_DEV_NAME, "no such device");
}

static int aifab_nl_dev_get_dumpit(struct sk_buff *skb,
				   struct netlink_callback *cb)
{
	return aifab_nl_dump(skb, cb, &aifab_nl_fabric->devices,
			     aifab_nl_fill_dev);
}

static int aifab_nl_link_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return aifab_nl_reply(info, aifab_nl_fill_link, &aifab_nl_fabric->links,
			      AIFAB_A_LINK_NAME, "no such link");
}

static int aifab_nl_link_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	return aifab_nl_dump(skb, cb, &aifab_nl_fabric->links,
			     aifab_nl_fill_link);
}

/* Each settable attribute that is present, and its AIFAB_LINK_SET_* bit. */
static void aifab_nl_link_config(struct genl_info *info,
				 struct aifab_link_config *cfg)
{
	static const struct {
		int attr;
		u32 bit;
		size_t offset;
	} fields[] = {
		{ AIFAB_A_LINK_ADMIN_STATE, AIFAB_LINK_SET_ADMIN,
		  offsetof(struct aifab_link_config, admin) },
		{ AIFAB_A_LINK_DROP_PCT, AIFAB_LINK_SET_DROP,
		  offsetof(struct aifab_link_config, drop_pct) },
		{ AIFAB_A_LINK_CORRUPT_PCT, AIFAB_LINK_SET_CORRUPT,
		  offsetof(struct aifab_link_config, corrupt_pct) },
		{ AIFAB_A_LINK_FLAP_MS, AIFAB_LINK_SET_FLAP,
		  offsetof(struct aifab_link_config, flap_ms) },
		{ AIFAB_A_LINK_DEGRADE_PPM, AIFAB_LINK_SET_DEGRADE,
		  offsetof(struct aifab_link_config, degrade_ppm) },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		if (!info->attrs[fields[i].attr])
			continue;
		cfg->set |= fields[i].bit;
		*(u32 *)((char *)cfg + fields[i].offset) =
			nla_get_u32(info->attrs[fields[i].attr]);
	}
}

static int aifab_nl_link_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct aifab_link_config cfg = {};

	if (GENL_REQ_ATTR_CHECK(info, AIFAB_A_LINK_NAME))
		return -EINVAL;
	aifab_nl_link_config(info, &cfg);
	if (!cfg.set) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: give a state, a fault or a threshold");
		return -EINVAL;
	}
	return aifab_link_set(aifab_nl_fabric,
			      nla_data(info->attrs[AIFAB_A_LINK_NAME]), &cfg,
			      info->extack);
}

static int aifab_nl_partition_get_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	return aifab_nl_reply(info, aifab_nl_fill_partition,
			      &aifab_nl_fabric->partitions,
			      AIFAB_A_PARTITION_NAME, "no such partition");
}

/* Dump chunks big enough for the largest partition, whatever the reader. */
static int aifab_nl_partition_get_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = AIFAB_NL_MAX_MSG;
	return 0;
}

static int aifab_nl_partition_get_dumpit(struct sk_buff *skb,
					 struct netlink_callback *cb)
{
	return aifab_nl_dump(skb, cb, &aifab_nl_fabric->partitions,
			     aifab_nl_fill_partition);
}

/*
 * Collect the names carried by every @type attribute of the request into
 * @names, which has room for AIFAB_PARTITION_REQ_DEVS. The policy has
 * already checked that each is a NUL-terminated string of legal length.
 */
static int aifab_nl_collect_names(struct genl_info *info, int type,
				  const char **names, unsigned int *n)
{
	const struct nlattr *nla;
	int rem;

	*n = 0;
	nlmsg_for_each_attr(nla, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nla) != type)
			continue;
		if (*n == AIFAB_PARTITION_REQ_DEVS) {
			NL_SET_ERR_MSG_ATTR(info->extack, nla,
					    "too many devices in one request");
			return -E2BIG;
		}
		names[(*n)++] = nla_data(nla);
	}
	return 0;
}

/* The namespace NETNS_FD names, as a cookie; -1 stands for none (0). */
static int aifab_nl_netns_cookie(struct genl_info *info, u64 *cookie)
{
	struct nlattr *nla = info->attrs[AIFAB_A_PARTITION_NETNS_FD];
	struct net *net;
	s32 fd;

	*cookie = 0;
	if (!nla)
		return 0;
	fd = nla_get_s32(nla);
	if (fd == -1)
		return 0;
	net = get_net_ns_by_fd(fd);
	if (IS_ERR(net)) {
		NL_SET_ERR_MSG_ATTR(info->extack, nla,
				    "not a file descriptor of a network namespace");
		return PTR_ERR(net);
	}
	*cookie = net->net_cookie;
	put_net(net);
	return 0;
}

static int aifab_nl_partition_new_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	struct nlattr *state = info->attrs[AIFAB_A_PARTITION_ADMIN_STATE];
	unsigned int ndevs;
	const char **devs;
	u64 netns;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, AIFAB_A_PARTITION_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, AIFAB_A_PARTITION_TENANT))
		return -EINVAL;
	ret = aifab_nl_netns_cookie(info, &netns);
	if (ret)
		return ret;
	devs = kcalloc(AIFAB_PARTITION_REQ_DEVS, sizeof(*devs), GFP_KERNEL);
	if (!devs)
		return -ENOMEM;
	ret = aifab_nl_collect_names(info, AIFAB_A_PARTITION_DEV, devs, &ndevs);
	if (!ret)
		ret = aifab_partition_new(aifab_nl_fabric,
					  nla_data(info->attrs[AIFAB_A_PARTITION_NAME]),
					  nla_data(info->attrs[AIFAB_A_PARTITION_TENANT]),
					  devs, ndevs, netns,
					  state ? nla_get_u32(state) : AIFAB_ADMIN_STATE_UP,
					  info->extack);
	kfree(devs);
	return ret;
}

static int aifab_nl_partition_del_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, AIFAB_A_PARTITION_NAME))
		return -EINVAL;
	return aifab_partition_del(aifab_nl_fabric,
				   nla_data(info->attrs[AIFAB_A_PARTITION_NAME]),
				   info->extack);
}

static int aifab_nl_partition_set_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	struct nlattr *state_attr = info->attrs[AIFAB_A_PARTITION_ADMIN_STATE];
	bool set_netns = info->attrs[AIFAB_A_PARTITION_NETNS_FD];
	enum aifab_admin_state state = 0;
	unsigned int nadd, ndel;
	const char **names;
	u64 netns;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, AIFAB_A_PARTITION_NAME))
		return -EINVAL;
	ret = aifab_nl_netns_cookie(info, &netns);
	if (ret)
		return ret;
	names = kcalloc(2 * AIFAB_PARTITION_REQ_DEVS, sizeof(*names), GFP_KERNEL);
	if (!names)
		return -ENOMEM;
	ret = aifab_nl_collect_names(info, AIFAB_A_PARTITION_DEV_ADD, names, &nadd);
	if (!ret)
		ret = aifab_nl_collect_names(info, AIFAB_A_PARTITION_DEV_DEL,
					     names + AIFAB_PARTITION_REQ_DEVS, &ndel);
	if (state_attr)
		state = nla_get_u32(state_attr);
	if (!ret && !nadd && !ndel && !set_netns && !state_attr) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to change: no devices, no netns and no state");
		ret = -EINVAL;
	}
	if (!ret)
		ret = aifab_partition_set(aifab_nl_fabric,
					  nla_data(info->attrs[AIFAB_A_PARTITION_NAME]),
					  names, nadd,
					  names + AIFAB_PARTITION_REQ_DEVS, ndel,
					  set_netns ? &netns : NULL,
					  state_attr ? &state : NULL, info->extack);
	kfree(names);
	return ret;
}

static int aifab_nl_fence_get_dumpit(struct sk_buff *skb,
				     struct netlink_callback *cb)
{
	struct aifab_fabric *fab = aifab_nl_fabric;
	struct aifab_nl_dest to = {
		.portid = NETLINK_CB(cb->skb).portid,
		.seq = cb->nlh->nlmsg_seq,
		.flags = NLM_F_MULTI,
		.cmd = AIFAB_CMD_FENCE_GET,
		.cb = cb,
	};
	unsigned long key = cb->args[0];
	struct aifab_fence *fence;
	int ret = 0;

	mutex_lock(&fab->lock);
	cb->seq = (u32)fab->generation ?: 1;
	xa_for_each_start(&fab->fences, key, fence, cb->args[0]) {
		ret = aifab_nl_fill_fence(skb, fab, fence, &to);
		if (ret)
			break;
	}
	mutex_unlock(&fab->lock);
	if (!ret)
		return 0;
	cb->args[0] = key;
	return skb->len ?: ret;
}

static int aifab_nl_fence_doit(struct genl_info *info,
			       int (*op)(struct aifab_fabric *fab, const char *a,
					 const char *b,
					 struct netlink_ext_ack *extack))
{
	if (GENL_REQ_ATTR_CHECK(info, AIFAB_A_FENCE_PART_A) ||
	    GENL_REQ_ATTR_CHECK(info, AIFAB_A_FENCE_PART_B))
		return -EINVAL;
	return op(aifab_nl_fabric, nla_data(info->attrs[AIFAB_A_FENCE_PART_A]),
		  nla_data(info->attrs[AIFAB_A_FENCE_PART_B]), info->extack);
}

static int aifab_nl_fence_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return aifab_nl_fence_doit(info, aifab_fence_new);
}

static int aifab_nl_fence_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return aifab_nl_fence_doit(info, aifab_fence_del);
}

static int aifab_nl_put_hop(struct sk_buff *skb, struct aifab_fabric *fab,
			    u32 link_id, u32 from_id, u32 to_id)
{
	struct aifab_link *link = aifab_link_lookup(fab, link_id);
	struct nlattr *nest = nla_nest_start(skb, AIFAB_A_ROUTE_HOP);

	if (!nest || !link)
		return -EMSGSIZE;
	if (nla_put_string(skb, AIFAB_A_HOP_LINK, link->obj.name) ||
	    nla_put_string(skb, AIFAB_A_HOP_FROM,
			   aifab_device_lookup(fab, from_id)->obj.name) ||
	    nla_put_string(skb, AIFAB_A_HOP_TO,
			   aifab_device_lookup(fab, to_id)->obj.name) ||
	    nla_put_u32(skb, AIFAB_A_HOP_STATE, link->state)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int aifab_nl_put_route(struct sk_buff *skb, struct aifab_fabric *fab,
			      const struct aifab_device *src,
			      const struct aifab_route *rt)
{
	u32 from = src->obj.id;
	unsigned int i;

	if (nla_put_u8(skb, AIFAB_A_ROUTE_ALLOWED, !rt->reason) ||
	    (rt->reason && nla_put_u32(skb, AIFAB_A_ROUTE_REASON, rt->reason)) ||
	    nla_put_u8(skb, AIFAB_A_ROUTE_DEGRADED, rt->degraded) ||
	    aifab_nl_put_partition_name(skb, AIFAB_A_ROUTE_SRC_PARTITION, fab,
					rt->src_partition) ||
	    aifab_nl_put_partition_name(skb, AIFAB_A_ROUTE_DST_PARTITION, fab,
					rt->dst_partition))
		return -EMSGSIZE;
	for (i = 0; i < rt->nhops; i++) {
		if (aifab_nl_put_hop(skb, fab, rt->hop_link[i], from,
				     rt->hop_to[i]))
			return -EMSGSIZE;
		from = rt->hop_to[i];
	}
	return 0;
}

static int aifab_nl_route_fill(struct sk_buff *msg, struct genl_info *info,
			       struct aifab_fabric *fab)
{
	struct aifab_device *src, *dst;
	struct aifab_route *rt;
	void *hdr;
	int ret;

	src = aifab_device_find(fab, nla_data(info->attrs[AIFAB_A_ROUTE_SRC]));
	dst = aifab_device_find(fab, nla_data(info->attrs[AIFAB_A_ROUTE_DST]));
	if (!src || !dst) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[src ? AIFAB_A_ROUTE_DST : AIFAB_A_ROUTE_SRC],
				    "no such device");
		return -ENOENT;
	}
	rt = kmalloc(sizeof(*rt), GFP_KERNEL);
	if (!rt)
		return -ENOMEM;
	ret = aifab_route_query(fab, src->obj.id, dst->obj.id, rt);
	if (ret == -ENOMEM)
		goto out_free_route;
	ret = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &aifab_nl_family, 0, AIFAB_CMD_ROUTE_GET);
	if (hdr)
		ret = aifab_nl_end(msg, hdr,
				   nla_put_string(msg, AIFAB_A_ROUTE_SRC, src->obj.name) ||
				   nla_put_string(msg, AIFAB_A_ROUTE_DST, dst->obj.name) ||
				   aifab_nl_put_route(msg, fab, src, rt));
out_free_route:
	kfree(rt);
	return ret;
}

/* A refused route is an answer, not an error: the reply says why. */
static int aifab_nl_route_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct aifab_fabric *fab = aifab_nl_fabric;
	struct sk_buff *msg;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, AIFAB_A_ROUTE_SRC) ||
	    GENL_REQ_ATTR_CHECK(info, AIFAB_A_ROUTE_DST))
		return -EINVAL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&fab->lock);
	ret = aifab_nl_route_fill(msg, info, fab);
	mutex_unlock(&fab->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int aifab_nl_put_counter(struct sk_buff *skb, const char *name,
				u64 value)
{
	struct nlattr *nest = nla_nest_start(skb, AIFAB_A_STATS_COUNTER);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, AIFAB_A_COUNTER_NAME, name) ||
	    nla_put_u64_64bit(skb, AIFAB_A_COUNTER_VALUE, value,
			      AIFAB_A_COUNTER_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int aifab_nl_put_counters(struct sk_buff *skb,
				 const char * const *names,
				 const atomic64_t *cnt, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (aifab_nl_put_counter(skb, names[i], atomic64_read(&cnt[i])))
			return -EMSGSIZE;
	return 0;
}

/* A local accelerator's own counters, after the fabric's. */
static int aifab_nl_put_accel_counters(struct sk_buff *skb,
				       const struct aifab_device *dev)
{
	struct aifab_accel_stats st;

	if (dev->type != AIFAB_DEV_TYPE_ACCEL ||
	    aifab_accel_stats(dev->obj.id, &st))
		return 0;
	return aifab_nl_put_counter(skb, "scrubs", st.scrubs) ||
	       aifab_nl_put_counter(skb, "scrub_bytes", st.scrub_bytes);
}

/* One object's counters: its name in @attr, then every counter. */
static int aifab_nl_fill_stats(struct sk_buff *skb,
			       const struct aifab_nl_dest *to, int attr,
			       const char *name, const char * const *names,
			       const atomic64_t *cnt, unsigned int n)
{
	void *hdr = aifab_nl_put_hdr(skb, to);

	if (!hdr)
		return -EMSGSIZE;
	return aifab_nl_end(skb, hdr, nla_put_string(skb, attr, name) ||
			    aifab_nl_put_counters(skb, names, cnt, n));
}

static int aifab_nl_fill_dev_stats(struct sk_buff *skb,
				   struct aifab_fabric *fab,
				   struct aifab_object *obj,
				   const struct aifab_nl_dest *to)
{
	struct aifab_device *dev = container_of(obj, struct aifab_device, obj);
	void *hdr = aifab_nl_put_hdr(skb, to);

	if (!hdr)
		return -EMSGSIZE;
	return aifab_nl_end(skb, hdr,
			    nla_put_string(skb, AIFAB_A_STATS_DEV, obj->name) ||
			    aifab_nl_put_counters(skb, aifab_dev_counter_names,
						  dev->cnt, AIFAB_DEV_CNT_NR) ||
			    aifab_nl_put_accel_counters(skb, dev));
}

static int aifab_nl_fill_link_stats(struct sk_buff *skb,
				    struct aifab_fabric *fab,
				    struct aifab_object *obj,
				    const struct aifab_nl_dest *to)
{
	struct aifab_link *link = container_of(obj, struct aifab_link, obj);

	return aifab_nl_fill_stats(skb, to, AIFAB_A_STATS_LINK, obj->name,
				   aifab_link_counter_names, link->cnt,
				   AIFAB_LINK_CNT_NR);
}

static int aifab_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *dev = info->attrs[AIFAB_A_STATS_DEV];
	struct nlattr *link = info->attrs[AIFAB_A_STATS_LINK];

	if (!dev == !link) {
		NL_SET_ERR_MSG(info->extack, "name one device or one link");
		return -EINVAL;
	}
	if (dev)
		return aifab_nl_reply(info, aifab_nl_fill_dev_stats,
				      &aifab_nl_fabric->devices, AIFAB_A_STATS_DEV,
				      "no such device");
	return aifab_nl_reply(info, aifab_nl_fill_link_stats,
			      &aifab_nl_fabric->links, AIFAB_A_STATS_LINK,
			      "no such link");
}

/* Devices first, then links; cb->args[1] says which table is being walked. */
static int aifab_nl_stats_get_dumpit(struct sk_buff *skb,
				     struct netlink_callback *cb)
{
	int ret;

	if (!cb->args[1]) {
		ret = aifab_nl_dump(skb, cb, &aifab_nl_fabric->devices,
				    aifab_nl_fill_dev_stats);
		if (ret)
			return ret;
		cb->args[1] = 1;
		cb->args[0] = 0;
	}
	return aifab_nl_dump(skb, cb, &aifab_nl_fabric->links,
			     aifab_nl_fill_link_stats);
}

/*
 * TOPOLOGY_SET: the policy has validated every nest already; here each is
 * copied into struct aifab_topo, and missing attributes are refused.
 */
static int aifab_nl_topo_require(struct genl_info *info, struct nlattr *nest,
				 struct nlattr **tb, const int *attrs,
				 unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!tb[attrs[i]]) {
			NL_SET_ERR_ATTR_MISS(info->extack, nest, attrs[i]);
			NL_SET_ERR_MSG(info->extack, "a topology entry lacks an attribute");
			return -EINVAL;
		}
	}
	return 0;
}

static int aifab_nl_topo_node(struct genl_info *info, struct nlattr *nest,
			      struct aifab_topo_node *node)
{
	static const int required[] = { AIFAB_A_NODE_NAME };
	struct nlattr *tb[AIFAB_A_NODE_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, AIFAB_A_NODE_MAX, nest,
			       aifab_nl_topo_node_policy, info->extack);
	if (!ret)
		ret = aifab_nl_topo_require(info, nest, tb, required,
					    ARRAY_SIZE(required));
	if (ret)
		return ret;
	nla_strscpy(node->name, tb[AIFAB_A_NODE_NAME], sizeof(node->name));
	node->local = tb[AIFAB_A_NODE_LOCAL] && nla_get_u8(tb[AIFAB_A_NODE_LOCAL]);
	return 0;
}

static int aifab_nl_topo_dev(struct genl_info *info, struct nlattr *nest,
			     struct aifab_topo_dev *dev)
{
	static const int required[] = {
		AIFAB_A_DEV_NAME, AIFAB_A_DEV_TYPE, AIFAB_A_DEV_NODE,
	};
	struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, AIFAB_A_DEV_MAX, nest,
			       aifab_nl_topo_dev_policy, info->extack);
	if (!ret)
		ret = aifab_nl_topo_require(info, nest, tb, required,
					    ARRAY_SIZE(required));
	if (ret)
		return ret;
	nla_strscpy(dev->name, tb[AIFAB_A_DEV_NAME], sizeof(dev->name));
	nla_strscpy(dev->node, tb[AIFAB_A_DEV_NODE], sizeof(dev->node));
	dev->type = nla_get_u32(tb[AIFAB_A_DEV_TYPE]);
	if (tb[AIFAB_A_DEV_MEM_BYTES])
		dev->mem_bytes = nla_get_u64(tb[AIFAB_A_DEV_MEM_BYTES]);
	return 0;
}

static int aifab_nl_topo_link(struct genl_info *info, struct nlattr *nest,
			      struct aifab_topo_link *link)
{
	static const int required[] = {
		AIFAB_A_LINK_NAME, AIFAB_A_LINK_KIND, AIFAB_A_LINK_A,
		AIFAB_A_LINK_B, AIFAB_A_LINK_SPEED_MBPS,
	};
	struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, AIFAB_A_LINK_MAX, nest,
			       aifab_nl_topo_link_policy, info->extack);
	if (!ret)
		ret = aifab_nl_topo_require(info, nest, tb, required,
					    ARRAY_SIZE(required));
	if (ret)
		return ret;
	nla_strscpy(link->name, tb[AIFAB_A_LINK_NAME], sizeof(link->name));
	nla_strscpy(link->a, tb[AIFAB_A_LINK_A], sizeof(link->a));
	nla_strscpy(link->b, tb[AIFAB_A_LINK_B], sizeof(link->b));
	link->kind = nla_get_u32(tb[AIFAB_A_LINK_KIND]);
	link->speed_mbps = nla_get_u32(tb[AIFAB_A_LINK_SPEED_MBPS]);
	return 0;
}

static int aifab_nl_topo_count(struct genl_info *info, struct aifab_topo *topo)
{
	const struct nlattr *nla;
	int rem;

	nlmsg_for_each_attr(nla, info->nlhdr, GENL_HDRLEN, rem) {
		topo->nnodes += nla_type(nla) == AIFAB_A_TOPOLOGY_NODE;
		topo->ndevs += nla_type(nla) == AIFAB_A_TOPOLOGY_DEV;
		topo->nlinks += nla_type(nla) == AIFAB_A_TOPOLOGY_LINK;
	}
	if (topo->nnodes > AIFAB_TOPO_SET_MAX_NODES ||
	    topo->ndevs > AIFAB_TOPO_SET_MAX_DEVS ||
	    topo->nlinks > AIFAB_TOPO_SET_MAX_LINKS) {
		NL_SET_ERR_MSG(info->extack, AIFAB_TOPO_SET_LIMITS_MSG);
		return -E2BIG;
	}
	topo->nodes = kvcalloc(topo->nnodes ?: 1, sizeof(*topo->nodes), GFP_KERNEL);
	topo->devs = kvcalloc(topo->ndevs ?: 1, sizeof(*topo->devs), GFP_KERNEL);
	topo->links = kvcalloc(topo->nlinks ?: 1, sizeof(*topo->links), GFP_KERNEL);
	if (!topo->nodes || !topo->devs || !topo->links)
		return -ENOMEM;
	return 0;
}

static int aifab_nl_topo_parse(struct genl_info *info, struct aifab_topo *topo)
{
	u32 nodes = 0, devs = 0, links = 0;
	struct nlattr *nla;
	int rem, ret = 0;

	nlmsg_for_each_attr(nla, info->nlhdr, GENL_HDRLEN, rem) {
		switch (nla_type(nla)) {
		case AIFAB_A_TOPOLOGY_NODE:
			ret = aifab_nl_topo_node(info, nla, &topo->nodes[nodes++]);
			break;
		case AIFAB_A_TOPOLOGY_DEV:
			ret = aifab_nl_topo_dev(info, nla, &topo->devs[devs++]);
			break;
		case AIFAB_A_TOPOLOGY_LINK:
			ret = aifab_nl_topo_link(info, nla, &topo->links[links++]);
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int aifab_nl_topology_set_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct aifab_topo topo = {};
	int ret;

	ret = aifab_nl_topo_count(info, &topo);
	if (!ret)
		ret = aifab_nl_topo_parse(info, &topo);
	if (!ret)
		ret = aifab_topology_replace(aifab_nl_fabric, &topo, info->extack);
	/* The topology is in whatever happens here; a failure is logged. */
	if (!ret) {
		aifab_accel_sync(aifab_nl_fabric);
		aifab_efa_sync(aifab_nl_fabric);
	}
	kvfree(topo.nodes);
	kvfree(topo.devs);
	kvfree(topo.links);
	return ret;
}

#define AIFAB_NL_GET(_cmd, _name, _policy, _max) {			\
	.cmd = _cmd,							\
	.doit = aifab_nl_##_name##_get_doit,				\
	.dumpit = aifab_nl_##_name##_get_dumpit,			\
	.policy = _policy,						\
	.maxattr = _max,						\
}

#define AIFAB_NL_ADMIN(_cmd, _doit, _policy, _max) {			\
	.cmd = _cmd,							\
	.doit = _doit,							\
	.policy = _policy,						\
	.maxattr = _max,						\
	.flags = GENL_ADMIN_PERM,					\
}

static const struct genl_ops aifab_nl_ops[] = {
	AIFAB_NL_GET(AIFAB_CMD_NODE_GET, node, aifab_nl_node_policy,
		     AIFAB_A_NODE_MAX),
	AIFAB_NL_GET(AIFAB_CMD_DEV_GET, dev, aifab_nl_dev_policy,
		     AIFAB_A_DEV_MAX),
	AIFAB_NL_GET(AIFAB_CMD_LINK_GET, link, aifab_nl_link_get_policy,
		     AIFAB_A_LINK_MAX),
	AIFAB_NL_ADMIN(AIFAB_CMD_LINK_SET, aifab_nl_link_set_doit,
		       aifab_nl_link_set_policy, AIFAB_A_LINK_MAX),
	{
		.cmd = AIFAB_CMD_PARTITION_GET,
		.start = aifab_nl_partition_get_start,
		.doit = aifab_nl_partition_get_doit,
		.dumpit = aifab_nl_partition_get_dumpit,
		.policy = aifab_nl_part_get_policy,
		.maxattr = AIFAB_A_PARTITION_MAX,
	},
	AIFAB_NL_ADMIN(AIFAB_CMD_PARTITION_NEW, aifab_nl_partition_new_doit,
		       aifab_nl_part_new_policy, AIFAB_A_PARTITION_MAX),
	AIFAB_NL_ADMIN(AIFAB_CMD_PARTITION_DEL, aifab_nl_partition_del_doit,
		       aifab_nl_part_get_policy, AIFAB_A_PARTITION_MAX),
	AIFAB_NL_ADMIN(AIFAB_CMD_PARTITION_SET, aifab_nl_partition_set_doit,
		       aifab_nl_part_set_policy, AIFAB_A_PARTITION_MAX),
	{
		.cmd = AIFAB_CMD_FENCE_GET,
		.dumpit = aifab_nl_fence_get_dumpit,
		.policy = aifab_nl_fence_policy,
		.maxattr = AIFAB_A_FENCE_MAX,
	},
	AIFAB_NL_ADMIN(AIFAB_CMD_FENCE_NEW, aifab_nl_fence_new_doit,
		       aifab_nl_fence_policy, AIFAB_A_FENCE_MAX),
	AIFAB_NL_ADMIN(AIFAB_CMD_FENCE_DEL, aifab_nl_fence_del_doit,
		       aifab_nl_fence_policy, AIFAB_A_FENCE_MAX),
	AIFAB_NL_GET(AIFAB_CMD_STATS_GET, stats, aifab_nl_stats_policy,
		     AIFAB_A_STATS_MAX),
	AIFAB_NL_ADMIN(AIFAB_CMD_TOPOLOGY_SET, aifab_nl_topology_set_doit,
		       aifab_nl_topology_policy, AIFAB_A_TOPOLOGY_MAX),
	{
		.cmd = AIFAB_CMD_ROUTE_GET,
		.doit = aifab_nl_route_get_doit,
		.policy = aifab_nl_route_policy,
		.maxattr = AIFAB_A_ROUTE_MAX,
	},
};

static struct genl_family aifab_nl_family __ro_after_init = {
	.name = AIFAB_FAMILY_NAME,
	.version = AIFAB_FAMILY_VERSION,
	.module = THIS_MODULE,
	.parallel_ops = true,
	.ops = aifab_nl_ops,
	.n_ops = ARRAY_SIZE(aifab_nl_ops),
	/* Every command validates the reserved header fields. */
	.resv_start_op = AIFAB_CMD_NODE_GET,
	.mcgrps = aifab_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(aifab_nl_mcgrps),
};

/* Events: sent only when someone listens, so a quiet fabric costs nothing. */

static struct sk_buff *aifab_nl_event_new(struct aifab_fabric *fab, u8 cmd,
					  size_t size, gfp_t gfp, void **hdr)
{
	struct sk_buff *msg;

	if (READ_ONCE(aifab_nl_fabric) != fab ||
	    !genl_has_listeners(&aifab_nl_family, &init_net, AIFAB_NLGRP_MONITOR))
		return NULL;
	msg = genlmsg_new(size, gfp);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &aifab_nl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void aifab_nl_event_send(struct sk_buff *msg, void *hdr, int err,
				gfp_t gfp)
{
	if (err) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&aifab_nl_family, msg, 0, AIFAB_NLGRP_MONITOR, gfp);
}

void aifab_event_link_state(struct aifab_fabric *fab,
			    const struct aifab_link *link)
{
	struct sk_buff *msg;
	void *hdr;

	msg = aifab_nl_event_new(fab, AIFAB_CMD_LINK_STATE_NTF, NLMSG_GOODSIZE,
				 GFP_KERNEL, &hdr);
	if (msg)
		aifab_nl_event_send(msg, hdr, aifab_nl_put_link(msg, fab, link),
				    GFP_KERNEL);
}

/**
 * aifab_event_dev() - a device appeared or vanished
 * @fab: the fabric, whose mutex the caller holds
 * @dev: the device; its node is still, or already, in the fabric
 * @event: what happened
 */
void aifab_event_dev(struct aifab_fabric *fab, const struct aifab_device *dev,
		     enum aifab_dev_event event)
{
	struct aifab_node *node = aifab_node_lookup(fab, dev->node_id);
	struct sk_buff *msg;
	void *hdr;

	msg = aifab_nl_event_new(fab, AIFAB_CMD_DEV_NTF, NLMSG_GOODSIZE,
				 GFP_KERNEL, &hdr);
	if (msg)
		aifab_nl_event_send(msg, hdr,
				    nla_put_u32(msg, AIFAB_A_DEV_ID, dev->obj.id) ||
				    nla_put_string(msg, AIFAB_A_DEV_NAME, dev->obj.name) ||
				    nla_put_u32(msg, AIFAB_A_DEV_TYPE, dev->type) ||
				    (node &&
				     (nla_put_string(msg, AIFAB_A_DEV_NODE, node->obj.name) ||
				      nla_put_u8(msg, AIFAB_A_DEV_LOCAL, node->local))) ||
				    nla_put_u32(msg, AIFAB_A_DEV_EVENT, event),
				    GFP_KERNEL);
}

/**
 * aifab_event_partition() - a partition was created, changed or deleted
 * @fab: the fabric, whose mutex the caller holds
 * @part: the partition
 * @event: what happened
 * @scrub_bytes: when devices left it (always for a delete; for a change,
 *	when the request removed some), the bytes its accelerators' scrub
 *	zeroed, 0 included; NULL when none left, and the event says nothing
 */
void aifab_event_partition(struct aifab_fabric *fab,
			   const struct aifab_partition *part,
			   enum aifab_partition_event event,
			   const u64 *scrub_bytes)
{
	struct sk_buff *msg;
	void *hdr;

	msg = aifab_nl_event_new(fab, AIFAB_CMD_PARTITION_NTF,
				 NLMSG_GOODSIZE + part->ndevs *
				 nla_total_size(AIFAB_NAME_MAX), GFP_KERNEL, &hdr);
	if (msg)
		aifab_nl_event_send(msg, hdr,
				    aifab_nl_put_partition(msg, fab, part) ||
				    nla_put_u32(msg, AIFAB_A_PARTITION_EVENT, event) ||
				    (scrub_bytes &&
				     nla_put_u64_64bit(msg, AIFAB_A_PARTITION_SCRUB_BYTES,
						       *scrub_bytes, AIFAB_A_PARTITION_PAD)),
				    GFP_KERNEL);
}

void aifab_event_violation(struct aifab_fabric *fab,
			   const struct aifab_device *src,
			   const struct aifab_device *dst,
			   enum aifab_route_reason reason, u32 suppressed)
{
	struct sk_buff *msg;
	void *hdr;

	msg = aifab_nl_event_new(fab, AIFAB_CMD_FENCE_VIOLATION_NTF,
				 NLMSG_GOODSIZE, GFP_ATOMIC, &hdr);
	if (!msg)
		return;
	aifab_nl_event_send(msg, hdr,
			    nla_put_string(msg, AIFAB_A_VIOLATION_SRC, src->obj.name) ||
			    nla_put_string(msg, AIFAB_A_VIOLATION_DST, dst->obj.name) ||
			    aifab_nl_put_partition_name(msg, AIFAB_A_VIOLATION_SRC_PARTITION,
							fab, READ_ONCE(src->partition_id)) ||
			    aifab_nl_put_partition_name(msg, AIFAB_A_VIOLATION_DST_PARTITION,
							fab, READ_ONCE(dst->partition_id)) ||
			    nla_put_u32(msg, AIFAB_A_VIOLATION_REASON, reason) ||
			    nla_put_u32(msg, AIFAB_A_VIOLATION_SUPPRESSED, suppressed),
			    GFP_ATOMIC);
}

/**
 * aifab_nl_register() - serve a fabric over the "aifab" family
 * @fab: the fabric; it must outlive the registration
 *
 * Return: 0 or a negative errno.
 */
int aifab_nl_register(struct aifab_fabric *fab)
{
	int ret;

	WRITE_ONCE(aifab_nl_fabric, fab);
	ret = genl_register_family(&aifab_nl_family);
	if (ret)
		WRITE_ONCE(aifab_nl_fabric, NULL);
	return ret;
}

void aifab_nl_unregister(void)
{
	genl_unregister_family(&aifab_nl_family);
	WRITE_ONCE(aifab_nl_fabric, NULL);
}
