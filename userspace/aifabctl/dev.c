// SPDX-License-Identifier: GPL-2.0
/*
 * aifabctl dev: fabric devices (accelerators and EFA devices).
 *
 *   aifabctl dev show [DEV]
 */
#include <errno.h>
#include <inttypes.h>

#include <linux/aifab.h>

#include "ctl.h"

/* What every DEV_GET reply carries; the rest depends on the device. */
static const struct aifab_nl_policy dev_policy[AIFAB_A_DEV_MAX + 1] = {
	[AIFAB_A_DEV_ID] = { MNL_TYPE_U32, true },
	[AIFAB_A_DEV_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_DEV_TYPE] = { MNL_TYPE_U32, true },
	[AIFAB_A_DEV_NODE] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_DEV_LOCAL] = { MNL_TYPE_U8, true },
	[AIFAB_A_DEV_PARTITION] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_DEV_MEM_BYTES] = { MNL_TYPE_U64, false },
	[AIFAB_A_DEV_DEV_NODE] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_DEV_MEM_USED] = { MNL_TYPE_U64, false },
	[AIFAB_A_DEV_MEM_PEAK] = { MNL_TYPE_U64, false },
	[AIFAB_A_DEV_JOBS_COMPLETED] = { MNL_TYPE_U64, false },
	[AIFAB_A_DEV_JOBS_FAILED] = { MNL_TYPE_U64, false },
	[AIFAB_A_DEV_OPEN_COUNT] = { MNL_TYPE_U32, false },
};

/* What a local device's node reports: printed only when the kernel sent it. */
static const struct {
	uint16_t type;
	const char *key;
	const char *fmt;
} dev_local_u64[] = {
	{ AIFAB_A_DEV_MEM_USED, "mem_used", " used %" PRIu64 },
	{ AIFAB_A_DEV_MEM_PEAK, "mem_peak", " peak %" PRIu64 },
	{ AIFAB_A_DEV_JOBS_COMPLETED, "jobs_completed", " jobs %" PRIu64 },
	{ AIFAB_A_DEV_JOBS_FAILED, "jobs_failed", " failed %" PRIu64 },
};

static void dev_print_local(struct aifab_out *out, const struct nlattr **tb)
{
	size_t i;

	if (tb[AIFAB_A_DEV_DEV_NODE])
		ctl_out_str(out, "dev_node", " dev %s", tb[AIFAB_A_DEV_DEV_NODE],
			    NULL);
	for (i = 0; i < AIFAB_ARRAY_SIZE(dev_local_u64); i++)
		if (tb[dev_local_u64[i].type])
			aifab_out_uint(out, dev_local_u64[i].key,
				       dev_local_u64[i].fmt,
				       mnl_attr_get_u64(tb[dev_local_u64[i].type]));
	if (tb[AIFAB_A_DEV_OPEN_COUNT])
		ctl_out_u32(out, "open_count", " open %" PRIu64,
			    tb[AIFAB_A_DEV_OPEN_COUNT]);
}

/**
 * dev_print() - Print one DEV_GET reply as an element of the open array.
 * @nlh: The reply.
 * @data: The output context.
 *
 * Text: "accel0: type accel node node0 local partition - mem 1073741824",
 * "local" only for local devices and "mem" only for accelerators. A local
 * device adds "open N", and a local accelerator
 * "dev /dev/accel/accel0 used N peak N jobs N failed N".
 *
 * Return: 0, -EBADMSG for a malformed reply, or an output error.
 */
int dev_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	struct aifab_out *out = data;
	const struct nlattr *mem;
	bool local;
	int ret;

	ret = aifab_nl_parse(nlh, dev_policy, AIFAB_A_DEV_MAX, tb);
	if (ret)
		return ret;
	local = mnl_attr_get_u8(tb[AIFAB_A_DEV_LOCAL]);
	mem = tb[AIFAB_A_DEV_MEM_BYTES];

	aifab_out_open_object(out, NULL);
	ctl_out_u32(out, "id", NULL, tb[AIFAB_A_DEV_ID]);
	ctl_out_str(out, "name", "%s:", tb[AIFAB_A_DEV_NAME], NULL);
	ctl_out_enum(out, "type", " type %s", tb[AIFAB_A_DEV_TYPE],
		     aifab_dev_type_names,
		     AIFAB_ARRAY_SIZE(aifab_dev_type_names));
	ctl_out_str(out, "node", " node %s", tb[AIFAB_A_DEV_NODE], NULL);
	aifab_out_bool(out, "local", NULL, local);
	if (local)
		aifab_out_text(out, " local");
	ctl_out_str(out, "partition", " partition %s",
		    tb[AIFAB_A_DEV_PARTITION], " partition -");
	if (mem)
		aifab_out_uint(out, "mem_bytes", " mem %" PRIu64,
			       mnl_attr_get_u64(mem));
	else
		aifab_out_null(out, "mem_bytes", NULL);
	dev_print_local(out, tb);
	aifab_out_nl(out);
	/* The output layer keeps the first error; the last call returns it. */
	return aifab_out_close_object(out);
}

static int dev_show_args(int argc, char **argv, struct ctl_args *a)
{
	aifab_nl_req_init(&a->req, AIFAB_CMD_DEV_GET, argc == 0);
	if (argc > 1)
		return -EINVAL;
	if (argc == 1)
		return ctl_args_name(a, AIFAB_A_DEV_NAME, "device name",
				     argv[0]);
	return 0;
}

static int dev_show_run(struct ctl *ctl, const struct ctl_args *a)
{
	return ctl_show(ctl, a, dev_print);
}

static const struct ctl_cmd dev_cmds[] = {
	{ "show", dev_show_args, dev_show_run, 0 },
};

const struct ctl_obj ctl_dev_obj = {
	"dev", "aifabctl dev show [DEV]", dev_cmds, AIFAB_ARRAY_SIZE(dev_cmds),
};
