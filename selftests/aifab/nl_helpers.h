/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink helpers for the aifab selftests (libmnl).
 *
 * Deliberately independent of userspace/lib: the tests must not share the
 * code they check. A request is built with nl_req(), sent with nl_talk(),
 * and every message that comes back for it is kept in a struct nl_reply:
 * the data messages, the error code, and the extack fields (message, bad
 * attribute offset, missing attribute type). Everything waits in poll()
 * with a timeout, so a reply that never comes fails a test instead of
 * hanging it.
 *
 * Functions are static inline so that each test program can use a subset
 * without unused-function warnings.
 */
#ifndef AIFAB_NL_HELPERS_H
#define AIFAB_NL_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/aifab.h>

#include "aifab_helpers.h"


/* Room for one received datagram; see nl_open() for why it is bounded. */
#define NL_RX			16384
#define NL_TX			65536
#define NL_REPLY_BUF		(2 << 20)
#define NL_REPLY_MSGS		4096
#define NL_TIMEOUT_MS		5000

/* A socket talking to the aifab family. */
struct nlc {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
	uint32_t monitor_grp;
};

/* Everything that came back for one request. */
struct nl_reply {
	int err;		/* 0, the kernel's -errno, or -ETIMEDOUT */
	bool acked;		/* an NLMSG_ERROR (error or ACK) ended it */
	bool done;		/* an NLMSG_DONE ended it */
	bool intr;		/* some message carried NLM_F_DUMP_INTR */
	unsigned int not_multi;	/* data messages without NLM_F_MULTI */
	unsigned int stray;	/* messages for another sequence number */
	char msg[256];		/* extack message, "" when none */
	uint32_t offs;		/* extack bad attribute offset, 0 when none */
	int miss_type;		/* extack missing attribute type, -1 if none */
	unsigned int n;		/* data messages */
	const struct nlmsghdr *m[NL_REPLY_MSGS];
	size_t len;
	char buf[NL_REPLY_BUF] __attribute__((aligned(8)));
};

static inline struct nl_reply *nl_reply_new(void)
{
	return calloc(1, sizeof(struct nl_reply));
}

static inline void nl_reply_reset(struct nl_reply *r)
{
	r->err = 0;
	r->acked = false;
	r->done = false;
	r->intr = false;
	r->not_multi = 0;
	r->stray = 0;
	r->msg[0] = '\0';
	r->offs = 0;
	r->miss_type = -1;
	r->n = 0;
	r->len = 0;
}

/* Starts a request to @family: netlink header, then a genl header. */
static inline struct nlmsghdr *nl_req_to(struct nlc *c, void *buf,
					 uint16_t family, uint8_t cmd,
					 uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++c->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = AIFAB_FAMILY_VERSION;
	return nlh;
}

/* An aifab request: a doit asks for an ACK, so success is seen too. */
static inline struct nlmsghdr *nl_req(struct nlc *c, void *buf, uint8_t cmd,
				      bool dump)
{
	return nl_req_to(c, buf, c->family, cmd,
			 dump ? NLM_F_DUMP : NLM_F_ACK);
}

static inline int nl_send(struct nlc *c, const void *buf, size_t len)
{
	return mnl_socket_sendto(c->sock, buf, len) < 0 ? -errno : 0;
}

/* Reads the error code and extack TLVs of an NLMSG_ERROR or NLMSG_DONE. */
static inline void nl_parse_status(const struct nlmsghdr *nlh,
				   struct nl_reply *r)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	const struct nlattr *attr;
	size_t off;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		r->err = plen >= sizeof(int) ? *(const int *)e : 0;
		off = sizeof(int);
	} else {
		r->err = plen >= sizeof(*e) ? e->error : -EBADMSG;
		off = sizeof(*e);
		/* Without NETLINK_CAP_ACK the request is echoed first. */
		if (plen >= sizeof(*e) && !(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += MNL_ALIGN(e->msg.nlmsg_len - sizeof(e->msg));
	}
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= plen)
		return;
	mnl_attr_for_each(attr, nlh, off) {
		switch (mnl_attr_get_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			if (!mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
				snprintf(r->msg, sizeof(r->msg), "%s",
					 mnl_attr_get_str(attr));
			break;
		case NLMSGERR_ATTR_OFFS:
			if (!mnl_attr_validate(attr, MNL_TYPE_U32))
				r->offs = mnl_attr_get_u32(attr);
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (!mnl_attr_validate(attr, MNL_TYPE_U32))
				r->miss_type = mnl_attr_get_u32(attr);
			break;
		}
	}
}

/*
 * Receives until the request @seq ends (NLMSG_ERROR or NLMSG_DONE), keeping
 * its data messages in @r. Returns 0 when it ended, -ETIMEDOUT, or another
 * negative errno for a socket or framing problem.
 */
static inline int nl_recv_reply(struct nlc *c, struct nl_reply *r,
				uint32_t seq, int timeout_ms)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(c->sock), .events = POLLIN };
	const struct nlmsghdr *nlh;
	bool end = false;
	ssize_t n;
	int len;

	while (!end) {
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return -ETIMEDOUT;
		if (NL_REPLY_BUF - r->len < NL_RX)
			return -ENOSPC;
		/* MSG_TRUNC: learn the real size of a datagram cut short. */
		n = recv(pfd.fd, r->buf + r->len, NL_RX, MSG_TRUNC);
		if (n < 0)
			return -errno;
		if (n > NL_RX)
			return -EMSGSIZE;
		nlh = (const struct nlmsghdr *)(r->buf + r->len);
		len = n;
		r->len += MNL_ALIGN(n);
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != c->portid) {
				r->stray++;
				continue;
			}
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				r->intr = true;
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE) {
				nl_parse_status(nlh, r);
				r->acked = nlh->nlmsg_type == NLMSG_ERROR;
				r->done = nlh->nlmsg_type == NLMSG_DONE;
				end = true;
				break;
			}
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
				continue;
			if (!(nlh->nlmsg_flags & NLM_F_MULTI))
				r->not_multi++;
			if (r->n < NL_REPLY_MSGS)
				r->m[r->n++] = nlh;
		}
		/* A datagram must hold whole messages, nothing left over. */
		if (!end && len)
			return -EBADMSG;
	}
	return 0;
}

/* Sends @nlh and collects its replies; returns the kernel's answer. */
static inline int nl_talk(struct nlc *c, struct nlmsghdr *nlh,
			  struct nl_reply *r)
{
	int ret;

	nl_reply_reset(r);
	ret = nl_send(c, nlh, nlh->nlmsg_len);
	if (!ret)
		ret = nl_recv_reply(c, r, nlh->nlmsg_seq, NL_TIMEOUT_MS);
	if (ret)
		r->err = ret;
	return r->err;
}

/* Fills @tb[0..@max] with the last attribute of each type (genl payload). */
static inline void nl_attrs(const struct nlmsghdr *nlh,
			    const struct nlattr **tb, unsigned int max)
{
	const struct nlattr *attr;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) <= max)
			tb[mnl_attr_get_type(attr)] = attr;
}

static inline uint8_t nl_cmd(const struct nlmsghdr *nlh)
{
	return ((const struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd;
}

/* A string attribute's value, or NULL when absent or not NUL-terminated. */
static inline const char *nl_str(const struct nlattr *attr)
{
	if (!attr || mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
		return NULL;
	return mnl_attr_get_str(attr);
}

/* A u32 attribute's value, or @none when absent or of the wrong size. */
static inline int64_t nl_u32(const struct nlattr *attr, int64_t none)
{
	if (!attr || mnl_attr_validate(attr, MNL_TYPE_U32))
		return none;
	return mnl_attr_get_u32(attr);
}

static inline int64_t nl_u8(const struct nlattr *attr, int64_t none)
{
	if (!attr || mnl_attr_validate(attr, MNL_TYPE_U8))
		return none;
	return mnl_attr_get_u8(attr);
}

static inline int64_t nl_u64(const struct nlattr *attr, int64_t none)
{
	if (!attr || mnl_attr_validate(attr, MNL_TYPE_U64))
		return none;
	return mnl_attr_get_u64(attr);
}

/* Counts the attributes of @type in a message (repeated attributes). */
static inline unsigned int nl_count(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *attr;
	unsigned int n = 0;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		n += mnl_attr_get_type(attr) == type;
	return n;
}

/* Appends to a string of @size bytes at *@n; output past the end is cut. */
static inline __attribute__((format(printf, 4, 5)))
void str_add(char *out, size_t size, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int ret;

	if (*n >= size)
		return;
	va_start(ap, fmt);
	ret = vsnprintf(out + *n, size - *n, fmt, ap);
	va_end(ap);
	if (ret > 0)
		*n = *n + ret < size ? *n + ret : size;
}

/*
 * The values of every string attribute of @type, joined by spaces, in
 * message order: "accel0 accel1". Empty when there is none.
 */
static inline const char *nl_strs(const struct nlmsghdr *nlh, uint16_t type,
				  char *out, size_t size)
{
	const struct nlattr *attr;
	size_t used = 0;

	out[0] = '\0';
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		const char *s = mnl_attr_get_type(attr) == type ? nl_str(attr) : NULL;

		if (s)
			str_add(out, size, &used, "%s%s", used ? " " : "", s);
	}
	return out;
}

/* Finds the data message of @r whose string attribute @type is @name. */
static inline const struct nlmsghdr *nl_find(const struct nl_reply *r,
					     uint16_t type, const char *name)
{
	const struct nlattr *attr;
	unsigned int i;

	for (i = 0; i < r->n; i++)
		mnl_attr_for_each(attr, r->m[i], GENL_HDRLEN)
			if (mnl_attr_get_type(attr) == type && nl_str(attr) &&
			    !strcmp(nl_str(attr), name))
				return r->m[i];
	return NULL;
}

/* Asks nlctrl for the family id and the id of its "monitor" group. */
static inline int nl_resolve(struct nlc *c)
{
	char buf[512] __attribute__((aligned(8)));
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct nlattr *grp, *g;
	struct nl_reply *r = nl_reply_new();
	struct nlmsghdr *nlh;
	int ret;

	if (!r)
		return -ENOMEM;
	nlh = nl_req_to(c, buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, AIFAB_FAMILY_NAME);
	ret = nl_talk(c, nlh, r);
	if (!ret && r->n != 1)
		ret = -EBADMSG;
	if (ret)
		goto out;
	nl_attrs(r->m[0], tb, CTRL_ATTR_MAX);
	if (!tb[CTRL_ATTR_FAMILY_ID]) {
		ret = -EBADMSG;
		goto out;
	}
	c->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_MCAST_GROUPS]) {
		mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
			const char *name = NULL;
			uint32_t id = 0;

			mnl_attr_for_each_nested(g, grp) {
				if (mnl_attr_get_type(g) == CTRL_ATTR_MCAST_GRP_NAME)
					name = nl_str(g);
				if (mnl_attr_get_type(g) == CTRL_ATTR_MCAST_GRP_ID)
					id = nl_u32(g, 0);
			}
			if (name && !strcmp(name, AIFAB_MCGRP_MONITOR))
				c->monitor_grp = id;
		}
	}
out:
	free(r);
	return ret;
}

/*
 * Opens a socket with extended and capped ACKs, bound and resolved. Every
 * receive asks for at most NL_RX bytes: the kernel sizes later dump chunks
 * after the largest read, so this also keeps chunks within NL_RX.
 */
static inline int nl_open(struct nlc *c)
{
	int one = 1;
	int ret;

	memset(c, 0, sizeof(*c));
	c->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!c->sock)
		return -errno;
	if (mnl_socket_setsockopt(c->sock, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    mnl_socket_setsockopt(c->sock, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    mnl_socket_bind(c->sock, 0, MNL_SOCKET_AUTOPID)) {
		ret = -errno;
		goto err;
	}
	c->portid = mnl_socket_get_portid(c->sock);
	c->seq = (unsigned int)getpid() << 12;
	ret = nl_resolve(c);
	if (!ret)
		return 0;
err:
	mnl_socket_close(c->sock);
	c->sock = NULL;
	return ret;
}

static inline void nl_close(struct nlc *c)
{
	if (c->sock)
		mnl_socket_close(c->sock);
	c->sock = NULL;
}

static inline int nl_join_monitor(struct nlc *c)
{
	int grp = c->monitor_grp;

	if (!grp)
		return -ENOENT;
	return mnl_socket_setsockopt(c->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				     sizeof(grp)) ? -errno : 0;
}

/*
 * Waits for the next multicast event and copies it to @buf. Returns its
 * genl command, or -ETIMEDOUT.
 */
static inline int nl_next_event(struct nlc *c, void *buf, size_t size,
				int timeout_ms)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(c->sock), .events = POLLIN };
	const struct nlmsghdr *nlh = buf;
	ssize_t n;

	for (;;) {
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return -ETIMEDOUT;
		n = recv(pfd.fd, buf, size, 0);
		if (n < 0)
			return -errno;
		if (mnl_nlmsg_ok(nlh, n) && nlh->nlmsg_type == c->family &&
		    mnl_nlmsg_get_payload_len(nlh) >= GENL_HDRLEN)
			return nl_cmd(nlh);
	}
}

/* Waits for the next event of command @cmd, skipping others. */
static inline int nl_wait_event(struct nlc *c, uint8_t cmd, void *buf,
				size_t size, int timeout_ms)
{
	int ret;

	do {
		ret = nl_next_event(c, buf, size, timeout_ms);
	} while (ret >= 0 && ret != cmd);
	return ret;
}

/* A doit request naming one object in @attr; the replies land in @r. */
static inline int nl_do_name(struct nlc *c, struct nl_reply *r, uint8_t cmd,
			     uint16_t attr, const char *name)
{
	char buf[256] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = nl_req(c, buf, cmd, false);

	mnl_attr_put_strz(nlh, attr, name);
	return nl_talk(c, nlh, r);
}

/* Appends @len bytes as hex to a growing string. */
static inline void snap_hex(char **s, size_t *len, const void *p, size_t n)
{
	const unsigned char *b = p;
	char *t = realloc(*s, *len + 2 * n + 2);
	size_t i;

	if (!t)
		return;
	*s = t;
	for (i = 0; i < n; i++)
		*len += sprintf(t + *len, "%02x", b[i]);
	t[(*len)++] = '\n';
	t[*len] = '\0';
}

static inline void snap_text(char **s, size_t *len, const char *text)
{
	size_t n = text ? strlen(text) : 0;
	char *t = realloc(*s, *len + n + 1);

	if (!t)
		return;
	*s = t;
	memcpy(t + *len, text ? text : "", n + 1);
	*len += n;
}

/*
 * Keeps the counters of fabric objects. Adjacency arrays are left out: they
 * are an internal detail that the module frees after an RCU grace period,
 * so their count lags behind (by long enough in TCG to see) even when no
 * object changes at all.
 */
static inline void snap_objects(char **s, size_t *len, char *text)
{
	static const char * const kept[] = {
		"fabric", "node", "device", "link", "partition", "fence",
	};
	char *line, *save = NULL;
	char name[32];
	unsigned int i;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%31s", name) != 1)
			continue;
		for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
			if (!strcmp(name, kept[i])) {
				snap_text(s, len, line);
				snap_text(s, len, "\n");
			}
		}
	}
}

/*
 * Everything a caller can observe of the fabric, as one string: the bytes of
 * every dump and the debugfs topology (with its generation counter, bumped
 * by every change) and object counters. Two equal snapshots mean nothing
 * changed. NULL when a dump fails.
 */
static inline char *nl_snapshot(struct nlc *c)
{
	static const uint8_t dumps[] = {
		AIFAB_CMD_NODE_GET, AIFAB_CMD_DEV_GET, AIFAB_CMD_LINK_GET,
		AIFAB_CMD_PARTITION_GET, AIFAB_CMD_FENCE_GET,
	};
	struct nl_reply *r = nl_reply_new();
	char buf[64] __attribute__((aligned(8)));
	char *s = NULL, *text;
	unsigned int i, j;
	size_t len = 0;

	for (i = 0; i < sizeof(dumps); i++) {
		if (!r || nl_talk(c, nl_req(c, buf, dumps[i], true), r) || !r->done) {
			free(r);
			free(s);
			return NULL;
		}
		for (j = 0; j < r->n; j++)
			snap_hex(&s, &len, mnl_nlmsg_get_payload(r->m[j]),
				 mnl_nlmsg_get_payload_len(r->m[j]));
	}
	free(r);
	text = read_text(DEBUGFS "/topology");
	snap_text(&s, &len, text);
	free(text);
	text = read_text(DEBUGFS "/objects");
	snap_objects(&s, &len, text);
	free(text);
	return s;
}

/* Compares two snapshots; on a difference, logs where it starts. */
static inline bool snap_same(const char *a, const char *b)
{
	size_t i = 0;

	if (!a || !b)
		return false;
	while (a[i] && a[i] == b[i])
		i++;
	if (a[i] == b[i])
		return true;
	fprintf(stderr, "# state changed at byte %zu: \"%.60s\" became \"%.60s\"\n",
		i, a + (i > 20 ? i - 20 : 0), b + (i > 20 ? i - 20 : 0));
	return false;
}

#endif /* AIFAB_NL_HELPERS_H */
