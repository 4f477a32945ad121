// SPDX-License-Identifier: GPL-2.0
/*
 * The topology model to and from netlink: the TOPOLOGY_SET request built
 * from a model, and a model built from the kernel's NODE_GET, DEV_GET and
 * LINK_GET dumps. See topo.h.
 */
#include <errno.h>

#include <linux/aifab.h>

#include "topo.h"

/**
 * topo_build() - Build the TOPOLOGY_SET request for a model.
 * @t: Model.
 * @m: Message to start; the caller frees it, even on failure.
 *
 * One nest per entry, nodes first, then devices, then links, each table in
 * order, so that topo_item_line() can map a nest back to the file.
 *
 * Return: 0, or the error that stuck in @m (-ENOMEM, -EMSGSIZE).
 */
int topo_build(const struct topo *t, struct aifab_nl_msg *m)
{
	size_t i, nest;

	/* Errors stick in @m, so only the end result needs checking. */
	aifab_nl_msg_init(m, AIFAB_CMD_TOPOLOGY_SET);
	for (i = 0; i < t->nnodes; i++) {
		nest = aifab_nl_msg_nest_start(m, AIFAB_A_TOPOLOGY_NODE);
		aifab_nl_msg_put_str(m, AIFAB_A_NODE_NAME, t->nodes[i].name);
		aifab_nl_msg_put_u8(m, AIFAB_A_NODE_LOCAL, t->nodes[i].local);
		aifab_nl_msg_nest_end(m, nest);
	}
	for (i = 0; i < t->ndevs; i++) {
		const struct topo_dev *d = &t->devs[i];

		nest = aifab_nl_msg_nest_start(m, AIFAB_A_TOPOLOGY_DEV);
		aifab_nl_msg_put_str(m, AIFAB_A_DEV_NAME, d->name);
		aifab_nl_msg_put_u32(m, AIFAB_A_DEV_TYPE, d->type);
		aifab_nl_msg_put_str(m, AIFAB_A_DEV_NODE, d->node);
		if (d->type == AIFAB_DEV_TYPE_ACCEL)
			aifab_nl_msg_put_u64(m, AIFAB_A_DEV_MEM_BYTES,
					     d->mem_bytes);
		aifab_nl_msg_nest_end(m, nest);
	}
	for (i = 0; i < t->nlinks; i++) {
		const struct topo_link *l = &t->links[i];

		nest = aifab_nl_msg_nest_start(m, AIFAB_A_TOPOLOGY_LINK);
		aifab_nl_msg_put_str(m, AIFAB_A_LINK_NAME, l->name);
		aifab_nl_msg_put_u32(m, AIFAB_A_LINK_KIND, l->kind);
		aifab_nl_msg_put_str(m, AIFAB_A_LINK_A, l->a);
		aifab_nl_msg_put_str(m, AIFAB_A_LINK_B, l->b);
		aifab_nl_msg_put_u32(m, AIFAB_A_LINK_SPEED_MBPS, l->speed_mbps);
		aifab_nl_msg_nest_end(m, nest);
	}
	return m->err;
}

/**
 * topo_item_line() - The line of the entry a request's nest came from.
 * @t: Model the request was built from.
 * @index: Index of the top-level attribute, as topo_build() laid them out.
 *
 * Return: The line, or 0 if @index is not an entry's.
 */
unsigned int topo_item_line(const struct topo *t, int index)
{
	size_t i;

	if (index < 0)
		return 0;
	i = index;
	if (i < t->nnodes)
		return t->nodes[i].line;
	i -= t->nnodes;
	if (i < t->ndevs)
		return t->devs[i].line;
	i -= t->ndevs;
	return i < t->nlinks ? t->links[i].line : 0;
}

static const struct aifab_nl_policy topo_node_policy[AIFAB_A_NODE_MAX + 1] = {
	[AIFAB_A_NODE_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_NODE_LOCAL] = { MNL_TYPE_U8, true },
};

static const struct aifab_nl_policy topo_dev_policy[AIFAB_A_DEV_MAX + 1] = {
	[AIFAB_A_DEV_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_DEV_TYPE] = { MNL_TYPE_U32, true },
	[AIFAB_A_DEV_NODE] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_DEV_MEM_BYTES] = { MNL_TYPE_U64, false },
};

static const struct aifab_nl_policy topo_link_policy[AIFAB_A_LINK_MAX + 1] = {
	[AIFAB_A_LINK_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_KIND] = { MNL_TYPE_U32, true },
	[AIFAB_A_LINK_A] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_B] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_SPEED_MBPS] = { MNL_TYPE_U32, true },
};

/*
 * The *_reply() functions add one NODE_GET, DEV_GET or LINK_GET reply to
 * the struct topo @data: "aifabctl topology show" and aifabd's snapshot
 * read the kernel's topology with them.
 */
int topo_node_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_NODE_MAX + 1];
	struct topo_node *n;
	int ret;

	ret = aifab_nl_parse(nlh, topo_node_policy, AIFAB_A_NODE_MAX, tb);
	if (ret)
		return ret;
	n = topo_add_node(data);
	if (!n)
		return -ENOMEM;
	n->local = mnl_attr_get_u8(tb[AIFAB_A_NODE_LOCAL]);
	return aifab_nl_copy_name(n->name, tb[AIFAB_A_NODE_NAME]);
}

int topo_dev_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	struct topo_dev *d;
	int ret;

	ret = aifab_nl_parse(nlh, topo_dev_policy, AIFAB_A_DEV_MAX, tb);
	if (ret)
		return ret;
	d = topo_add_dev(data);
	if (!d)
		return -ENOMEM;
	d->type = mnl_attr_get_u32(tb[AIFAB_A_DEV_TYPE]);
	if (tb[AIFAB_A_DEV_MEM_BYTES])
		d->mem_bytes = mnl_attr_get_u64(tb[AIFAB_A_DEV_MEM_BYTES]);
	ret = aifab_nl_copy_name(d->name, tb[AIFAB_A_DEV_NAME]);
	return ret ? ret : aifab_nl_copy_name(d->node, tb[AIFAB_A_DEV_NODE]);
}

int topo_link_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	struct topo_link *l;
	int ret;

	ret = aifab_nl_parse(nlh, topo_link_policy, AIFAB_A_LINK_MAX, tb);
	if (ret)
		return ret;
	l = topo_add_link(data);
	if (!l)
		return -ENOMEM;
	l->kind = mnl_attr_get_u32(tb[AIFAB_A_LINK_KIND]);
	l->speed_mbps = mnl_attr_get_u32(tb[AIFAB_A_LINK_SPEED_MBPS]);
	ret = aifab_nl_copy_name(l->name, tb[AIFAB_A_LINK_NAME]);
	if (!ret)
		ret = aifab_nl_copy_name(l->a, tb[AIFAB_A_LINK_A]);
	return ret ? ret : aifab_nl_copy_name(l->b, tb[AIFAB_A_LINK_B]);
}
