// SPDX-License-Identifier: GPL-2.0
/*
 * aifabctl partition: tenant partitions, the sets of devices that may talk.
 *
 *   aifabctl partition show [NAME]
 *   aifabctl partition add NAME tenant TENANT [netns NS] [dev DEV...]
 *   aifabctl partition set NAME add|del dev DEV...
 *   aifabctl partition set NAME netns NS|none
 *   aifabctl partition set NAME state up|down
 *   aifabctl partition del NAME
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <linux/aifab.h>

#include "ctl.h"

static const struct aifab_nl_policy partition_policy[AIFAB_A_PARTITION_MAX + 1] = {
	[AIFAB_A_PARTITION_ID] = { MNL_TYPE_U32, true },
	[AIFAB_A_PARTITION_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_PARTITION_TENANT] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_PARTITION_DEV] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_PARTITION_NETNS_COOKIE] = { MNL_TYPE_U64, false },
	/* Optional, so that the tool still works with an older module. */
	[AIFAB_A_PARTITION_ADMIN_STATE] = { MNL_TYPE_U32, false },
};

/**
 * partition_print_fields() - Print a partition into the open object.
 * @out: Output context.
 * @nlh: The message, whose AIFAB_A_PARTITION_DEV attributes list members.
 * @tb: Its validated attributes; only the name is sure to be there.
 *
 * Text: "p1: tenant t1 state up netns 4097 devices accel0 accel1", with
 * "netns" only for a partition bound to a network namespace (its cookie),
 * "state" only when the module reports it, and "devices -" when it has
 * none.
 *
 * Return: As the output layer.
 */
int partition_print_fields(struct aifab_out *out, const struct nlmsghdr *nlh,
			   const struct nlattr **tb)
{
	const struct nlattr *attr;
	bool any = false;

	ctl_out_u32(out, "id", NULL, tb[AIFAB_A_PARTITION_ID]);
	ctl_out_str(out, "name", "%s:", tb[AIFAB_A_PARTITION_NAME], NULL);
	ctl_out_str(out, "tenant", " tenant %s", tb[AIFAB_A_PARTITION_TENANT],
		    NULL);
	ctl_out_enum(out, "admin_state", " state %s",
		     tb[AIFAB_A_PARTITION_ADMIN_STATE], aifab_admin_state_names,
		     AIFAB_ARRAY_SIZE(aifab_admin_state_names));
	if (tb[AIFAB_A_PARTITION_NETNS_COOKIE])
		aifab_out_uint(out, "netns_cookie", " netns %" PRIu64,
			       mnl_attr_get_u64(tb[AIFAB_A_PARTITION_NETNS_COOKIE]));
	else
		aifab_out_null(out, "netns_cookie", NULL);
	aifab_out_text(out, " devices");
	aifab_out_open_array(out, "devices");
	/* Every DEV attribute was validated by the parse that filled @tb. */
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != AIFAB_A_PARTITION_DEV)
			continue;
		aifab_out_string(out, NULL, " %s", mnl_attr_get_str(attr));
		any = true;
	}
	if (!any)
		aifab_out_text(out, " -");
	return aifab_out_close_array(out);
}

/**
 * partition_print() - Print one PARTITION_GET reply into the open array.
 * @nlh: The reply.
 * @data: The output context.
 *
 * Return: 0, -EBADMSG for a malformed reply, or an output error.
 */
int partition_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_PARTITION_MAX + 1];
	struct aifab_out *out = data;
	int ret;

	ret = aifab_nl_parse(nlh, partition_policy, AIFAB_A_PARTITION_MAX, tb);
	if (ret)
		return ret;
	aifab_out_open_object(out, NULL);
	partition_print_fields(out, nlh, tb);
	aifab_out_nl(out);
	return aifab_out_close_object(out);
}

static int partition_name(struct ctl_args *a, const char *s)
{
	return ctl_args_name(a, AIFAB_A_PARTITION_NAME, "partition name", s);
}

static int partition_show_args(int argc, char **argv, struct ctl_args *a)
{
	aifab_nl_req_init(&a->req, AIFAB_CMD_PARTITION_GET, argc == 0);
	if (argc > 1)
		return -EINVAL;
	return argc ? partition_name(a, argv[0]) : 0;
}

static int partition_show_run(struct ctl *ctl, const struct ctl_args *a)
{
	return ctl_show(ctl, a, partition_print);
}

/*
 * netns NS: a name under /run/netns (as ip-netns makes them) or a path
 * with a slash, such as /proc/PID/ns/net; "none" unbinds. The file stays
 * open until the request is done, since the kernel reads it by fd.
 */
static int partition_netns_open(const char *ns)
{
	int dir, fd;

	if (strchr(ns, '/'))
		return open(ns, O_RDONLY | O_CLOEXEC);
	dir = open("/run/netns", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -1;
	fd = openat(dir, ns, O_RDONLY | O_CLOEXEC);
	close(dir);
	return fd;
}

static int partition_netns(struct ctl_args *a, const char *ns)
{
	int fd = -1;

	if (strcmp(ns, "none")) {
		if (!strchr(ns, '/') && !aifab_name_valid(ns))
			return ctl_args_bad(a, "network namespace", ns,
					    "a name under /run/netns, a path, or none");
		fd = partition_netns_open(ns);
		if (fd < 0)
			return ctl_args_bad(a, "network namespace", ns,
					    "an existing network namespace file");
		a->has_netns_fd = true;
		a->netns_fd = fd;
	}
	if (aifab_nl_req_u32(&a->req, AIFAB_A_PARTITION_NETNS_FD, (uint32_t)fd))
		return -EINVAL;
	return 0;
}

/* partition add NAME tenant TENANT [netns NS] [dev DEV...] */
static int partition_add_args(int argc, char **argv, struct ctl_args *a)
{
	int ret, next = 3;

	aifab_nl_req_init(&a->req, AIFAB_CMD_PARTITION_NEW, false);
	if (argc < 3 || strcmp(argv[1], "tenant"))
		return -EINVAL;
	ret = partition_name(a, argv[0]);
	if (!ret)
		ret = ctl_args_name(a, AIFAB_A_PARTITION_TENANT, "tenant name",
				    argv[2]);
	if (!ret && argc > next && !strcmp(argv[next], "netns")) {
		if (argc < next + 2 || !strcmp(argv[next + 1], "none"))
			return -EINVAL;
		ret = partition_netns(a, argv[next + 1]);
		next += 2;
	}
	if (!ret && argc > next) {
		if (strcmp(argv[next], "dev"))
			return -EINVAL;
		ret = ctl_args_names(a, AIFAB_A_PARTITION_DEV, "device name",
				     argc - next - 1, argv + next + 1);
	}
	return ret;
}

/* state up|down: whether the partition carries traffic. */
static int partition_state(struct ctl_args *a, const char *s)
{
	uint32_t state;

	if (AIFAB_ENUM_VALUE(aifab_admin_state_names, s, &state))
		return ctl_args_bad(a, "state", s, "up or down");
	if (aifab_nl_req_u32(&a->req, AIFAB_A_PARTITION_ADMIN_STATE, state))
		return -EINVAL;
	return 0;
}

/*
 * partition set NAME add|del dev DEV... One direction per command: a device
 * may be called "del", so a list could not tell where it stops. netns and
 * state are one setting per command too.
 */
static int partition_set_args(int argc, char **argv, struct ctl_args *a)
{
	uint16_t type;
	int ret;

	aifab_nl_req_init(&a->req, AIFAB_CMD_PARTITION_SET, false);
	if (argc == 3 && !strcmp(argv[1], "netns")) {
		ret = partition_name(a, argv[0]);
		return ret ? ret : partition_netns(a, argv[2]);
	}
	if (argc == 3 && !strcmp(argv[1], "state")) {
		ret = partition_name(a, argv[0]);
		return ret ? ret : partition_state(a, argv[2]);
	}
	if (argc < 4 || strcmp(argv[2], "dev"))
		return -EINVAL;
	if (!strcmp(argv[1], "add"))
		type = AIFAB_A_PARTITION_DEV_ADD;
	else if (!strcmp(argv[1], "del"))
		type = AIFAB_A_PARTITION_DEV_DEL;
	else
		return -EINVAL;
	ret = partition_name(a, argv[0]);
	if (!ret)
		ret = ctl_args_names(a, type, "device name", argc - 3,
				     argv + 3);
	return ret;
}

static int partition_del_args(int argc, char **argv, struct ctl_args *a)
{
	aifab_nl_req_init(&a->req, AIFAB_CMD_PARTITION_DEL, false);
	if (argc != 1)
		return -EINVAL;
	return partition_name(a, argv[0]);
}

static const struct ctl_cmd partition_cmds[] = {
	{ "show", partition_show_args, partition_show_run, 0 },
	{ "add", partition_add_args, ctl_change, 0 },
	{ "set", partition_set_args, ctl_change, 0 },
	{ "del", partition_del_args, ctl_change, 0 },
};

const struct ctl_obj ctl_partition_obj = {
	"partition",
	"aifabctl partition { show [NAME]"
	" | add NAME tenant TENANT [netns NS] [dev DEV...]"
	" | set NAME { add | del } dev DEV... | set NAME netns { NS | none }"
	" | set NAME state { up | down }"
	" | del NAME }",
	partition_cmds, AIFAB_ARRAY_SIZE(partition_cmds),
};
