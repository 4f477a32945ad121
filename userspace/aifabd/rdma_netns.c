// SPDX-License-Identifier: GPL-2.0
/*
 * aifab's RDMA devices among network namespaces: where each is, and moving
 * one; see rdma_netns.h for how and why.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/aifab.h>

#include "array.h"
#include "fmt.h"
#include "names.h"
#include "nl.h"
#include "rdma_netns.h"
#include "rdma_nl.h"
#include "snapshot.h"
#include "str.h"

/* aifab's RDMA devices, as ib_core names them. */
#define RNS_PREFIX	"aifab_"

/* What a child tells its parent last. */
struct rns_status {
	int32_t err;
	uint8_t entered;		/* setns() worked */
	char ibdev[AIFAB_RDMA_NAME_MAX];
	char msg[200];			/* the kernel's extack, or ours */
};

/* One record on the pipe from a child: devices, then one status. */
struct rns_rec {
	uint32_t is_status;
	struct aifab_rdma_dev dev;
	struct rns_status st;
};

/* The work of a child, in the namespace it entered. */
typedef void (*rns_fn_t)(struct aifab_rdma_nl *rnl, int wfd, void *arg,
			 struct rns_status *st);
/* What the parent does with each device record. */
typedef void (*rns_dev_fn_t)(const struct aifab_rdma_dev *dev, void *data);

static int rns_write(int fd, const struct rns_rec *rec)
{
	const char *p = (const char *)rec;
	size_t len = sizeof(*rec);

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 1 for a whole record, 0 at the end, or a negative errno value. */
static int rns_read(int fd, struct rns_rec *rec)
{
	char *p = (char *)rec;
	size_t got = 0;

	while (got < sizeof(*rec)) {
		ssize_t n = read(fd, p + got, sizeof(*rec) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return got ? -EIO : 0;
		got += (size_t)n;
	}
	return 1;
}

/* Never returns. */
static void rns_child(int nsfd, int wfd, rns_fn_t fn, void *arg)
{
	struct rns_rec rec = { .is_status = 1 };
	struct aifab_rdma_nl *rnl = NULL;

	if (setns(nsfd, CLONE_NEWNET)) {
		rec.st.err = -errno;
	} else {
		rec.st.entered = 1;
		rec.st.err = aifab_rdma_nl_open(&rnl);
	}
	if (!rec.st.err)
		fn(rnl, wfd, arg, &rec.st);
	aifab_rdma_nl_close(rnl);
	_exit(rns_write(wfd, &rec) ? 1 : 0);
}

/* The child's records until its status, which fills @st. */
static int rns_collect(int fd, rns_dev_fn_t on_dev, void *data,
		       struct rns_status *st)
{
	struct rns_rec rec;
	int ret;

	while ((ret = rns_read(fd, &rec)) > 0) {
		if (rec.is_status) {
			*st = rec.st;
			st->msg[sizeof(st->msg) - 1] = '\0';
			st->ibdev[sizeof(st->ibdev) - 1] = '\0';
			return 0;
		}
		rec.dev.name[sizeof(rec.dev.name) - 1] = '\0';
		if (on_dev)
			on_dev(&rec.dev, data);
	}
	return ret ? ret : -EIO;	/* the child died before its status */
}

/**
 * rns_run() - Run @fn in a child inside the network namespace @nsfd.
 * @nsfd: Open namespace file.
 * @fn: What the child does there, writing device records to its pipe.
 * @arg: For @fn.
 * @on_dev: Called in the parent for each device record, or NULL.
 * @data: For @on_dev.
 * @st: Filled with the child's status.
 *
 * Return: 0 when the child reported (see @st for how it went), else a
 * negative errno value.
 */
static int rns_run(int nsfd, rns_fn_t fn, void *arg, rns_dev_fn_t on_dev,
		   void *data, struct rns_status *st)
{
	int pfd[2], status, ret;
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
	if (pid == 0) {
		close(pfd[0]);
		rns_child(nsfd, pfd[1], fn, arg);
	}
	close(pfd[1]);
	ret = rns_collect(pfd[0], on_dev, data, st);
	close(pfd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		ret = ret ? ret : -EIO;
	return ret;
}

/* "/run/netns/NAME", or the initial namespace's file for "". */
static void rns_path(const char *netns, char *path, size_t len)
{
	if (*netns)
		aifab_fmt(path, len, "%s/%s", AIFABD_NETNS_DIR, netns);
	else
		aifab_fmt(path, len, "%s", AIFABD_NETNS_HOME);
}

static int rns_open(const char *netns)
{
	char path[sizeof(AIFABD_NETNS_DIR) + AIFAB_NAME_MAX + 1];
	int fd;

	rns_path(netns, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static void rns_kmsg(struct rns_status *st, struct aifab_rdma_nl *rnl)
{
	const char *m = aifab_rdma_nl_errmsg(rnl);

	if (m)
		aifab_fmt(st->msg, sizeof(st->msg), "%s", m);
}

/* The snapshot: each aifab RDMA device of a namespace. */

static int rns_list_one(const struct aifab_rdma_dev *dev, void *data)
{
	struct rns_rec rec = { .is_status = 0, .dev = *dev };

	if (strncmp(dev->name, RNS_PREFIX, strlen(RNS_PREFIX)))
		return 0;
	return rns_write(*(int *)data, &rec);
}

static void rns_list(struct aifab_rdma_nl *rnl, int wfd, void *arg,
		     struct rns_status *st)
{
	(void)arg;
	st->err = aifab_rdma_nl_devs(rnl, rns_list_one, &wfd);
	if (st->err)
		rns_kmsg(st, rnl);
}

static struct aifabd_rdma_dev *rns_by_guid(struct aifabd_actual *act,
					   uint64_t guid)
{
	size_t i;

	for (i = 0; i < act->nrdma; i++)
		if (act->rdma[i].id == (uint32_t)guid)
			return &act->rdma[i];
	return NULL;
}

static bool rns_all_found(const struct aifabd_actual *act)
{
	size_t i;

	for (i = 0; i < act->nrdma; i++)
		if (!strcmp(act->rdma[i].netns, AIFABD_NETNS_UNKNOWN))
			return false;
	return true;
}

/* Where rns_place() puts what it is handed. */
struct rns_where {
	struct aifabd_actual *act;
	const char *netns;		/* "" home */
};

/* A device seen in namespace @w->netns, unless it was seen before. */
static void rns_place(const struct aifab_rdma_dev *dev, void *data)
{
	const struct rns_where *w = data;
	struct aifabd_rdma_dev *d = rns_by_guid(w->act, dev->node_guid);

	if (!d || strcmp(d->netns, AIFABD_NETNS_UNKNOWN))
		return;
	aifab_strscpy(d->netns, w->netns, sizeof(d->netns));
	aifab_strscpy(d->ibdev, dev->name, sizeof(d->ibdev));
}

static int rns_errf(char **errmsg, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int rns_errf(char **errmsg, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(errmsg, fmt, ap) < 0)
		*errmsg = NULL;
	va_end(ap);
	return err;
}

/*
 * Look in namespace @netns ("" home). A file that is no namespace, or one
 * that cannot be entered, is skipped, except home; a namespace entered
 * whose RDMA devices cannot be listed is an error.
 */
static int rns_look(struct aifabd_actual *act, const char *netns,
		    char **errmsg)
{
	char path[sizeof(AIFABD_NETNS_DIR) + AIFAB_NAME_MAX + 1];
	struct rns_where w = { act, netns };
	struct rns_status st = { 0 };
	int fd, ret;

	rns_path(netns, path, sizeof(path));
	fd = rns_open(netns);
	if (fd < 0)
		return *netns ? 0 : rns_errf(errmsg, fd, "opening %s: %s",
					     path, strerror(-fd));
	ret = rns_run(fd, rns_list, NULL, rns_place, &w, &st);
	close(fd);
	if (ret)
		ret = rns_errf(errmsg, ret, "listing the RDMA devices of %s: "
			       "%s", path, strerror(-ret));
	else if (st.err && (st.entered || !*netns))
		ret = rns_errf(errmsg, st.err, "listing the RDMA devices of "
			       "%s: %s%s%s", path, strerror(-st.err),
			       *st.msg ? ": " : "", st.msg);
	return ret;
}

static int rns_look_named(struct aifabd_actual *act, char **errmsg)
{
	struct dirent *e;
	int ret = 0;
	DIR *d;

	d = opendir(AIFABD_NETNS_DIR);
	if (!d)
		return 0;
	while (!ret && !rns_all_found(act) && (e = readdir(d)))
		if (aifab_name_valid(e->d_name) && strcmp(e->d_name, ".") &&
		    strcmp(e->d_name, ".."))
			ret = rns_look(act, e->d_name, errmsg);
	closedir(d);
	return ret;
}

/* The fabric's local EFA devices, from the aifab device dump. */

static const struct aifab_nl_policy rns_dev_policy[AIFAB_A_DEV_MAX + 1] = {
	[AIFAB_A_DEV_ID] = { MNL_TYPE_U32, true },
	[AIFAB_A_DEV_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_DEV_TYPE] = { MNL_TYPE_U32, true },
	[AIFAB_A_DEV_LOCAL] = { MNL_TYPE_U8, false },
};

struct rns_efa {
	struct aifabd_actual *act;
	size_t cap;
};

static int rns_efa_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	struct rns_efa *e = data;
	struct aifabd_actual *act = e->act;
	struct aifabd_rdma_dev *d;
	int ret;

	ret = aifab_nl_parse(nlh, rns_dev_policy, AIFAB_A_DEV_MAX, tb);
	if (ret)
		return ret;
	if (mnl_attr_get_u32(tb[AIFAB_A_DEV_TYPE]) != AIFAB_DEV_TYPE_EFA ||
	    !tb[AIFAB_A_DEV_LOCAL] || !mnl_attr_get_u8(tb[AIFAB_A_DEV_LOCAL]))
		return 0;
	if (aifab_grow(&act->rdma, &e->cap, act->nrdma, sizeof(*act->rdma)))
		return -ENOMEM;
	d = &act->rdma[act->nrdma++];
	*d = (struct aifabd_rdma_dev){ 0 };
	d->id = mnl_attr_get_u32(tb[AIFAB_A_DEV_ID]);
	aifab_strscpy(d->netns, AIFABD_NETNS_UNKNOWN, sizeof(d->netns));
	return aifab_nl_copy_name(d->dev, tb[AIFAB_A_DEV_NAME]);
}

static int rns_efa_devs(struct aifab_nl *nl, struct aifabd_actual *act,
			char **errmsg)
{
	struct rns_efa e = { act, 0 };
	struct aifab_nl_req *req = malloc(sizeof(*req));
	const char *kmsg;
	int ret;

	if (!req)
		return -ENOMEM;
	aifab_nl_req_init(req, AIFAB_CMD_DEV_GET, true);
	ret = aifab_nl_exec(nl, req, rns_efa_reply, &e);
	free(req);
	if (!ret)
		return 0;
	kmsg = aifab_nl_errmsg(nl);
	return rns_errf(errmsg, ret, "listing the fabric's devices: %s%s%s",
			strerror(-ret), kmsg ? ": " : "", kmsg ? kmsg : "");
}

/* The mode, read in aifabd's own namespace: it is the kernel's, global. */
static int rns_mode(struct aifabd_actual *act, char **errmsg)
{
	struct aifab_rdma_nl *rnl;
	bool exclusive = false;
	const char *kmsg;
	int ret;

	ret = aifab_rdma_nl_open(&rnl);
	if (ret == -EPROTONOSUPPORT) {
		act->rdma_mode = AIFABD_RDMA_ABSENT;
		return 0;
	}
	if (ret)
		return rns_errf(errmsg, ret, "RDMA netlink: %s",
				strerror(-ret));
	ret = aifab_rdma_nl_netns_exclusive(rnl, &exclusive);
	kmsg = ret ? aifab_rdma_nl_errmsg(rnl) : NULL;
	if (ret)
		ret = rns_errf(errmsg, ret, "reading the RDMA netns mode: "
			       "%s%s%s", strerror(-ret), kmsg ? ": " : "",
			       kmsg ? kmsg : "");
	else
		act->rdma_mode = exclusive ? AIFABD_RDMA_EXCLUSIVE :
					     AIFABD_RDMA_SHARED;
	aifab_rdma_nl_close(rnl);
	return ret;
}

static void rns_all_shared(struct aifabd_actual *act)
{
	size_t i;

	for (i = 0; i < act->nrdma; i++)
		act->rdma[i].netns[0] = '\0';
}

/**
 * aifabd_rdma_snapshot() - Learn the RDMA mode, and where each of the
 *	fabric's local EFA devices is.
 * @nl: Open aifab netlink client.
 * @act: A snapshot (snapshot.h): its rdma_mode, rdma and nrdma are set;
 *	aifabd_actual_free() frees them.
 * @errmsg: On failure, what failed and why, to free(); may stay NULL
 *	without memory.
 *
 * Without an RDMA subsystem the mode is AIFABD_RDMA_ABSENT and no device
 * is listed. In shared mode every device is everywhere (netns "").
 *
 * Return: 0, or a negative errno value.
 */
int aifabd_rdma_snapshot(struct aifab_nl *nl, struct aifabd_actual *act,
			 char **errmsg)
{
	int ret;

	*errmsg = NULL;
	ret = rns_mode(act, errmsg);
	if (ret || act->rdma_mode == AIFABD_RDMA_ABSENT)
		return ret;
	ret = rns_efa_devs(nl, act, errmsg);
	if (ret || act->rdma_mode == AIFABD_RDMA_SHARED) {
		rns_all_shared(act);
		return ret;
	}
	if (!act->nrdma)
		return 0;
	ret = rns_look(act, "", errmsg);
	return ret ? ret : rns_look_named(act, errmsg);
}

/* Moving one device. */

struct rns_move {
	uint32_t id;			/* the fabric's id of the device */
	int tofd;			/* where it goes */
};

struct rns_find {
	uint32_t id;
	struct aifab_rdma_dev dev;
	bool found;
};

static int rns_find_one(const struct aifab_rdma_dev *dev, void *data)
{
	struct rns_find *f = data;

	if (!f->found && !strncmp(dev->name, RNS_PREFIX, strlen(RNS_PREFIX)) &&
	    (uint32_t)dev->node_guid == f->id) {
		f->dev = *dev;
		f->found = true;
	}
	return 0;
}

static void rns_move_child(struct aifab_rdma_nl *rnl, int wfd, void *arg,
			   struct rns_status *st)
{
	const struct rns_move *m = arg;
	struct rns_find f = { .id = m->id };

	(void)wfd;
	st->err = aifab_rdma_nl_devs(rnl, rns_find_one, &f);
	if (st->err) {
		rns_kmsg(st, rnl);
		return;
	}
	if (!f.found) {
		st->err = -ENODEV;
		aifab_fmt(st->msg, sizeof(st->msg), "not there: no %s RDMA "
			  "device has a node GUID whose low half is %#x",
			  RNS_PREFIX, m->id);
		return;
	}
	aifab_strscpy(st->ibdev, f.dev.name, sizeof(st->ibdev));
	st->err = aifab_rdma_nl_set_netns(rnl, f.dev.index, m->tofd);
	if (st->err)
		rns_kmsg(st, rnl);
}

static const struct aifab_nl_policy rns_id_policy[AIFAB_A_DEV_MAX + 1] = {
	[AIFAB_A_DEV_ID] = { MNL_TYPE_U32, true },
};

static int rns_id_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	int ret;

	ret = aifab_nl_parse(nlh, rns_id_policy, AIFAB_A_DEV_MAX, tb);
	if (!ret)
		*(uint32_t *)data = mnl_attr_get_u32(tb[AIFAB_A_DEV_ID]);
	return ret;
}

/* The fabric's id of device @name, as the kernel has it now. */
static int rns_dev_id(struct aifab_nl *nl, const char *name, uint32_t *id,
		      char *msg, size_t msglen)
{
	struct aifab_nl_req *req = malloc(sizeof(*req));
	const char *kmsg;
	int ret;

	if (!req)
		return -ENOMEM;
	aifab_nl_req_init(req, AIFAB_CMD_DEV_GET, false);
	ret = aifab_nl_req_str(req, AIFAB_A_DEV_NAME, name);
	if (!ret)
		ret = aifab_nl_exec(nl, req, rns_id_reply, id);
	free(req);
	kmsg = ret ? aifab_nl_errmsg(nl) : NULL;
	if (ret)
		aifab_fmt(msg, msglen, "device %s%s%s", name,
			  kmsg ? ": " : "", kmsg ? kmsg : "");
	return ret;
}

/* Open both ends; @msg says which one failed. */
static int rns_open_ends(const struct aifabd_op *op, int *fromfd, int *tofd,
			 char *msg, size_t msglen)
{
	char path[sizeof(AIFABD_NETNS_DIR) + AIFAB_NAME_MAX + 1];

	*tofd = -1;
	*fromfd = rns_open(op->from);
	if (*fromfd < 0) {
		rns_path(op->from, path, sizeof(path));
		aifab_fmt(msg, msglen, "opening %s", path);
		return *fromfd;
	}
	*tofd = rns_open(op->netns);
	if (*tofd < 0) {
		rns_path(op->netns, path, sizeof(path));
		aifab_fmt(msg, msglen, "opening %s", path);
		close(*fromfd);
		return *tofd;
	}
	return 0;
}

/**
 * aifabd_rdma_move() - Carry out an "rdma dev set netns" operation.
 * @nl: Open aifab netlink client, to find the device's id.
 * @op: The operation: device @op->name, from namespace @op->from to
 *	@op->netns ("" the initial one).
 * @msg: Filled on failure: the RDMA device, both namespaces' files and the
 *	kernel's extack message, or which file could not be opened.
 * @msglen: Its size.
 *
 * Return: 0, or a negative errno value: the kernel's (-EOPNOTSUPP in
 * shared mode), -ENODEV when the device is not in @op->from, or that of
 * opening a namespace file.
 */
int aifabd_rdma_move(struct aifab_nl *nl, const struct aifabd_op *op,
		     char *msg, size_t msglen)
{
	char from[sizeof(AIFABD_NETNS_DIR) + AIFAB_NAME_MAX + 1];
	char to[sizeof(from)];
	struct rns_status st = { 0 };
	struct rns_move m;
	int fromfd, ret;

	*msg = '\0';
	ret = rns_dev_id(nl, op->name, &m.id, msg, msglen);
	if (!ret)
		ret = rns_open_ends(op, &fromfd, &m.tofd, msg, msglen);
	if (ret)
		return ret;
	ret = rns_run(fromfd, rns_move_child, &m, NULL, NULL, &st);
	close(fromfd);
	close(m.tofd);
	if (!ret)
		ret = st.err;
	rns_path(op->from, from, sizeof(from));
	rns_path(op->netns, to, sizeof(to));
	if (ret)
		aifab_fmt(msg, msglen, "%s (%s) from %s to %s%s%s",
			  *st.ibdev ? st.ibdev : "its RDMA device", op->name,
			  from, to, *st.msg ? ": " : "", st.msg);
	return ret;
}
