// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor group's events; see events.h. Each is checked against its
 * attribute set before anything of it is used, as aifabctl monitor does.
 */
#include <errno.h>

#include <linux/aifab.h>

#include "array.h"
#include "events.h"
#include "names.h"
#include "nl.h"

/* Only what the daemon uses is required; the rest may come and go. */
static const struct aifab_nl_policy ev_link_policy[AIFAB_A_LINK_MAX + 1] = {
	[AIFAB_A_LINK_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_STATE] = { MNL_TYPE_U32, true },
};

static const struct aifab_nl_policy ev_part_policy[AIFAB_A_PARTITION_MAX + 1] = {
	[AIFAB_A_PARTITION_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_PARTITION_EVENT] = { MNL_TYPE_U32, true },
};

static const struct aifab_nl_policy ev_dev_policy[AIFAB_A_DEV_MAX + 1] = {
	[AIFAB_A_DEV_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_DEV_EVENT] = { MNL_TYPE_U32, true },
};

struct ev_kind {
	uint8_t cmd;
	enum aifabd_event_kind kind;
	const struct aifab_nl_policy *policy;
	unsigned int max;
	uint16_t name;			/* attribute types */
	uint16_t value;
};

static const struct ev_kind ev_kinds[] = {
	{ AIFAB_CMD_LINK_STATE_NTF, AIFABD_EV_LINK, ev_link_policy,
	  AIFAB_A_LINK_MAX, AIFAB_A_LINK_NAME, AIFAB_A_LINK_STATE },
	{ AIFAB_CMD_PARTITION_NTF, AIFABD_EV_PARTITION, ev_part_policy,
	  AIFAB_A_PARTITION_MAX, AIFAB_A_PARTITION_NAME,
	  AIFAB_A_PARTITION_EVENT },
	{ AIFAB_CMD_DEV_NTF, AIFABD_EV_DEV, ev_dev_policy,
	  AIFAB_A_DEV_MAX, AIFAB_A_DEV_NAME, AIFAB_A_DEV_EVENT },
};

/* Room for the largest attribute set above. */
#define EV_TB_MAX	24

_Static_assert(AIFAB_A_LINK_MAX <= EV_TB_MAX &&
	       AIFAB_A_PARTITION_MAX <= EV_TB_MAX &&
	       AIFAB_A_DEV_MAX <= EV_TB_MAX, "EV_TB_MAX is too small");

const char *aifabd_event_kind_name(enum aifabd_event_kind kind)
{
	static const char *const names[] = {
		[AIFABD_EV_OTHER] = "other", [AIFABD_EV_LINK] = "link",
		[AIFABD_EV_PARTITION] = "partition", [AIFABD_EV_DEV] = "dev",
	};

	return AIFAB_ENUM_NAME(names, kind);
}

/**
 * aifabd_event_parse() - Read one event message of the family.
 * @nlh: The message.
 * @ev: Filled in; AIFABD_EV_OTHER for commands the daemon does not act on.
 *
 * Return: 0, or -EBADMSG for a malformed event (which the caller skips).
 */
int aifabd_event_parse(const struct nlmsghdr *nlh, struct aifabd_event *ev)
{
	const struct nlattr *tb[EV_TB_MAX + 1];
	const struct genlmsghdr *genl;
	const struct ev_kind *k = NULL;
	size_t i;
	int ret;

	*ev = (struct aifabd_event){ .kind = AIFABD_EV_OTHER };
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return -EBADMSG;
	genl = mnl_nlmsg_get_payload(nlh);
	for (i = 0; i < AIFAB_ARRAY_SIZE(ev_kinds); i++)
		if (ev_kinds[i].cmd == genl->cmd)
			k = &ev_kinds[i];
	if (!k)
		return 0;
	ret = aifab_nl_parse(nlh, k->policy, k->max, tb);
	if (ret)
		return ret;
	ret = aifab_nl_copy_name(ev->name, tb[k->name]);
	if (ret)
		return ret;
	ev->kind = k->kind;
	if (k->kind == AIFABD_EV_LINK)
		ev->state = mnl_attr_get_u32(tb[k->value]);
	else
		ev->action = mnl_attr_get_u32(tb[k->value]);
	return 0;
}
