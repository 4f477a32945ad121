// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd's snapshot of the kernel's state: partitions (tenant, members,
 * network namespace, admin state), fences, links with their degrade
 * thresholds and states, and the topology, each from its netlink dump.
 *
 * The kernel reports a partition's namespace by its cookie
 * (SO_NETNS_COOKIE), while the configuration names namespaces as
 * /run/netns/NAME. The names are found by taking the cookie of every file
 * there, once per snapshot and only when some partition is bound.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/aifab.h>

#include "array.h"
#include "names.h"
#include "nl.h"
#include "snapshot.h"
#include "str.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE		71	/* asm-generic, since Linux 5.14 */
#endif

/*
 * What the planner and health need of each reply; the rest may come and
 * go. The admin state may be absent: a module older than it has none.
 */
static const struct aifab_nl_policy snap_part_policy[AIFAB_A_PARTITION_MAX + 1] = {
	[AIFAB_A_PARTITION_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_PARTITION_TENANT] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_PARTITION_DEV] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_PARTITION_NETNS_COOKIE] = { MNL_TYPE_U64, false },
	[AIFAB_A_PARTITION_ADMIN_STATE] = { MNL_TYPE_U32, false },
};

static const struct aifab_nl_policy snap_fence_policy[AIFAB_A_FENCE_MAX + 1] = {
	[AIFAB_A_FENCE_PART_A] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_FENCE_PART_B] = { MNL_TYPE_NUL_STRING, true },
};

/* Required: without the threshold the planner would reset every link. */
static const struct aifab_nl_policy snap_link_policy[AIFAB_A_LINK_MAX + 1] = {
	[AIFAB_A_LINK_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_DEGRADE_PPM] = { MNL_TYPE_U32, true },
	[AIFAB_A_LINK_STATE] = { MNL_TYPE_U32, false },
};

struct snap_ns {
	aifabd_name_t name;
	uint64_t cookie;
};

struct snap {
	struct aifabd_actual *act;
	size_t cap_parts;
	size_t cap_fences;
	size_t cap_links;
	struct snap_ns *ns;		/* /run/netns, read on first need */
	size_t nns;
	size_t cap_ns;
	bool ns_read;
};

/* In the child of aifabd_netns_cookie(): never returns. */
static void snap_cookie_child(int nsfd, int wfd)
{
	socklen_t len = sizeof(uint64_t);
	uint64_t cookie;
	int s;

	if (setns(nsfd, CLONE_NEWNET))
		_exit(1);
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || getsockopt(s, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len))
		_exit(1);
	if (write(wfd, &cookie, sizeof(cookie)) != (ssize_t)sizeof(cookie))
		_exit(1);
	_exit(0);
}

/**
 * aifabd_netns_cookie() - The cookie of a network namespace.
 * @nsfd: An open namespace file (/run/netns/NAME, /proc/PID/ns/net).
 * @cookie: Filled in.
 *
 * A socket's namespace is the one it is created in, so a child process
 * enters the namespace and asks a socket there; aifabd itself never leaves
 * its own namespace. Needs CAP_SYS_ADMIN, as setns() does.
 *
 * Return: 0, or a negative errno value.
 */
int aifabd_netns_cookie(int nsfd, uint64_t *cookie)
{
	int pfd[2], status, ret = -EIO;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(pfd[0]);
		close(pfd[1]);
		return ret;
	}
	if (pid == 0)
		snap_cookie_child(nsfd, pfd[1]);
	close(pfd[1]);
	if (read(pfd[0], cookie, sizeof(*cookie)) == (ssize_t)sizeof(*cookie))
		ret = 0;
	close(pfd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		ret = -EIO;
	return ret;
}

/* One /run/netns entry; files that are no namespace are left out. */
static int snap_ns_add(struct snap *sn, int dir, const char *name)
{
	uint64_t cookie = 0;
	int fd, ret;

	if (!aifab_name_valid(name))
		return 0;
	fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ret = aifabd_netns_cookie(fd, &cookie);
	close(fd);
	if (ret)
		return 0;
	if (aifab_grow(&sn->ns, &sn->cap_ns, sn->nns, sizeof(*sn->ns)))
		return -ENOMEM;
	aifab_strscpy(sn->ns[sn->nns].name, name, sizeof(sn->ns[0].name));
	sn->ns[sn->nns++].cookie = cookie;
	return 0;
}

static int snap_ns_read(struct snap *sn)
{
	struct dirent *e;
	int ret = 0;
	DIR *d;

	sn->ns_read = true;
	d = opendir(AIFABD_NETNS_DIR);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!ret && (e = readdir(d)))
		ret = snap_ns_add(sn, dirfd(d), e->d_name);
	closedir(d);
	return ret;
}

static int snap_ns_name(struct snap *sn, uint64_t cookie, char *name)
{
	size_t i;

	if (!sn->ns_read) {
		int ret = snap_ns_read(sn);

		if (ret)
			return ret;
	}
	for (i = 0; i < sn->nns; i++) {
		if (sn->ns[i].cookie == cookie) {
			aifab_strscpy(name, sn->ns[i].name, AIFAB_NAME_MAX);
			return 0;
		}
	}
	aifab_strscpy(name, AIFABD_NETNS_UNKNOWN, AIFAB_NAME_MAX);
	return 0;
}

static int snap_part_devs(struct aifabd_actual_part *p,
			  const struct nlmsghdr *nlh)
{
	const struct nlattr *attr;
	size_t cap = 0;
	int ret;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != AIFAB_A_PARTITION_DEV)
			continue;
		if (aifab_grow(&p->devs, &cap, p->ndevs, sizeof(*p->devs)))
			return -ENOMEM;
		ret = aifab_nl_copy_name(p->devs[p->ndevs], attr);
		if (ret)
			return ret;
		p->ndevs++;
	}
	return 0;
}

static int snap_part_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_PARTITION_MAX + 1];
	struct snap *sn = data;
	struct aifabd_actual *act = sn->act;
	struct aifabd_actual_part *p;
	int ret;

	ret = aifab_nl_parse(nlh, snap_part_policy, AIFAB_A_PARTITION_MAX, tb);
	if (ret)
		return ret;
	if (aifab_grow(&act->parts, &sn->cap_parts, act->nparts,
		       sizeof(*act->parts)))
		return -ENOMEM;
	p = &act->parts[act->nparts++];
	*p = (struct aifabd_actual_part){ 0 };
	p->admin_down = tb[AIFAB_A_PARTITION_ADMIN_STATE] &&
			mnl_attr_get_u32(tb[AIFAB_A_PARTITION_ADMIN_STATE]) ==
			AIFAB_ADMIN_STATE_DOWN;
	ret = aifab_nl_copy_name(p->name, tb[AIFAB_A_PARTITION_NAME]);
	if (!ret)
		ret = aifab_nl_copy_name(p->tenant,
					 tb[AIFAB_A_PARTITION_TENANT]);
	if (!ret && tb[AIFAB_A_PARTITION_NETNS_COOKIE])
		ret = snap_ns_name(sn,
				   mnl_attr_get_u64(tb[AIFAB_A_PARTITION_NETNS_COOKIE]),
				   p->netns);
	return ret ? ret : snap_part_devs(p, nlh);
}

static int snap_fence_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_FENCE_MAX + 1];
	struct snap *sn = data;
	struct aifabd_actual *act = sn->act;
	struct aifabd_actual_fence *f;
	int ret;

	ret = aifab_nl_parse(nlh, snap_fence_policy, AIFAB_A_FENCE_MAX, tb);
	if (ret)
		return ret;
	if (aifab_grow(&act->fences, &sn->cap_fences, act->nfences,
		       sizeof(*act->fences)))
		return -ENOMEM;
	f = &act->fences[act->nfences++];
	ret = aifab_nl_copy_name(f->a, tb[AIFAB_A_FENCE_PART_A]);
	return ret ? ret : aifab_nl_copy_name(f->b, tb[AIFAB_A_FENCE_PART_B]);
}

static int snap_link_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	struct snap *sn = data;
	struct aifabd_actual *act = sn->act;
	struct aifabd_actual_link *l;
	int ret;

	ret = aifab_nl_parse(nlh, snap_link_policy, AIFAB_A_LINK_MAX, tb);
	if (ret)
		return ret;
	if (aifab_grow(&act->links, &sn->cap_links, act->nlinks,
		       sizeof(*act->links)))
		return -ENOMEM;
	l = &act->links[act->nlinks++];
	l->degrade_ppm = mnl_attr_get_u32(tb[AIFAB_A_LINK_DEGRADE_PPM]);
	/* Health's input; out of range, its engine leaves the link out. */
	l->state = tb[AIFAB_A_LINK_STATE] ?
		   mnl_attr_get_u32(tb[AIFAB_A_LINK_STATE]) : 0;
	return aifab_nl_copy_name(l->name, tb[AIFAB_A_LINK_NAME]);
}

/*
 * Each dump is whole: nl.c hands over the replies only once a try was not
 * interrupted (NLM_F_DUMP_INTR), so a callback never sees one twice.
 */
static int snap_topo(struct aifab_nl *nl, struct topo *t)
{
	int ret;

	ret = aifab_nl_dump(nl, AIFAB_CMD_NODE_GET, topo_node_reply, t);
	if (!ret)
		ret = aifab_nl_dump(nl, AIFAB_CMD_DEV_GET, topo_dev_reply, t);
	if (!ret)
		ret = aifab_nl_dump(nl, AIFAB_CMD_LINK_GET, topo_link_reply, t);
	return ret;
}

/**
 * aifabd_snapshot() - Read the kernel's state.
 * @nl: Open netlink client.
 * @want_topo: Read the topology too (the planner needs it only when the
 *	configuration has one).
 * @act: Filled in; empty on failure. Free with aifabd_actual_free().
 *
 * Return: 0, or a negative errno value; aifab_nl_errmsg() then has the
 * kernel's message, if it gave one.
 */
int aifabd_snapshot(struct aifab_nl *nl, bool want_topo,
		    struct aifabd_actual *act)
{
	struct snap sn = { .act = act };
	int ret;

	*act = (struct aifabd_actual){ 0 };
	ret = aifab_nl_dump(nl, AIFAB_CMD_PARTITION_GET, snap_part_reply, &sn);
	if (!ret)
		ret = aifab_nl_dump(nl, AIFAB_CMD_FENCE_GET, snap_fence_reply,
				    &sn);
	if (!ret)
		ret = aifab_nl_dump(nl, AIFAB_CMD_LINK_GET, snap_link_reply,
				    &sn);
	if (!ret && want_topo) {
		ret = snap_topo(nl, &act->topo);
		act->has_topo = !ret;
	}
	free(sn.ns);
	if (ret)
		aifabd_actual_free(act);
	return ret;
}
