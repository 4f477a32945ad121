// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd's control protocol; see daemon_proto.h. The parsers are pure so
 * that the host tests can feed them anything; the client is what aifabctl
 * uses to talk to a running aifabd.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "fmt.h"
#include "daemon_proto.h"

static const char *const proto_req_names[] = {
	[AIFABD_REQ_INVALID] = NULL,
	[AIFABD_REQ_RELOAD] = "reload",
	[AIFABD_REQ_STATUS] = "status",
};

static const char *const proto_status_names[] = {
	[AIFABD_REPLY_OK] = "ok",
	[AIFABD_REPLY_CONFIG] = "config",
	[AIFABD_REPLY_KERNEL] = "kernel",
	[AIFABD_REPLY_ERROR] = "error",
};

#define PROTO_N(a)	(sizeof(a) / sizeof((a)[0]))

/**
 * aifabd_proto_parse_req() - Read a request message.
 * @buf: The message, not terminated; may hold any bytes.
 * @len: Its length as received; above AIFABD_PROTO_REQ_MAX it is refused
 *	unread, whatever @buf holds.
 * @why: Set to why it was refused, for the error reply.
 *
 * Return: The request, or AIFABD_REQ_INVALID.
 */
enum aifabd_req aifabd_proto_parse_req(const char *buf, size_t len,
				       const char **why)
{
	size_t i;

	*why = NULL;
	if (len > AIFABD_PROTO_REQ_MAX) {
		*why = "request too long";
		return AIFABD_REQ_INVALID;
	}
	if (len && buf[len - 1] == '\n')
		len--;
	for (i = 1; i < PROTO_N(proto_req_names); i++)
		if (strlen(proto_req_names[i]) == len &&
		    !memcmp(buf, proto_req_names[i], len))
			return (enum aifabd_req)i;
	*why = len ? "unknown request (expected reload or status)" :
		     "empty request (expected reload or status)";
	return AIFABD_REQ_INVALID;
}

const char *aifabd_proto_req_name(enum aifabd_req req)
{
	if ((size_t)req >= PROTO_N(proto_req_names) || !proto_req_names[req])
		return "invalid";
	return proto_req_names[req];
}

const char *aifabd_proto_status_name(enum aifabd_reply_status st)
{
	if ((size_t)st >= PROTO_N(proto_status_names))
		return "error";
	return proto_status_names[st];
}

/**
 * aifabd_proto_parse_status() - Read a reply's final message.
 * @buf: The message.
 * @len: Its length.
 * @st: Filled in.
 *
 * Return: 0, or -EBADMSG if it is no status message this client knows.
 */
int aifabd_proto_parse_status(const char *buf, size_t len,
			      enum aifabd_reply_status *st)
{
	size_t plen = strlen(AIFABD_PROTO_STATUS);
	size_t i, n;

	if (len < plen + 2 || memcmp(buf, AIFABD_PROTO_STATUS, plen) ||
	    buf[len - 1] != '\n')
		return -EBADMSG;
	buf += plen;
	n = len - plen - 1;
	for (i = 0; i < PROTO_N(proto_status_names); i++) {
		if (strlen(proto_status_names[i]) == n &&
		    !memcmp(buf, proto_status_names[i], n)) {
			*st = (enum aifabd_reply_status)i;
			return 0;
		}
	}
	return -EBADMSG;
}

static int proto_connect(const char *run_dir, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	/* A reload under a slow machine can take long; never hang forever. */
	struct timeval tv = { .tv_sec = 600 };
	int fd, n;

	n = aifab_fmt(sa.sun_path, sizeof(sa.sun_path), "%s/%s", run_dir,
		     AIFABD_SOCK_NAME);
	if (n < 0 || (size_t)n >= sizeof(sa.sun_path)) {
		aifab_fmt(err, errlen, "%s/%s: %s", run_dir, AIFABD_SOCK_NAME,
			 strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		n = -errno;
		aifab_fmt(err, errlen, "%s: %s", sa.sun_path, strerror(-n));
		if (fd >= 0)
			close(fd);
		return n;
	}
	return fd;
}

/* Read the reply: text chunks to @text, until the status message. */
static int proto_read_reply(int fd, FILE *text, enum aifabd_reply_status *st,
			    char *err, size_t errlen)
{
	char buf[AIFABD_PROTO_MSG_MAX];
	size_t tlen = strlen(AIFABD_PROTO_TEXT);
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		int e = errno;

		if (n < 0) {
			aifab_fmt(err, errlen, "reading aifabd's reply: %s",
				 strerror(e));
			return -e;
		}
		if (n == 0 || (size_t)n > sizeof(buf)) {
			aifab_fmt(err, errlen, "aifabd's reply %s",
				 n ? "is malformed" : "ended early");
			return -EBADMSG;
		}
		if ((size_t)n >= tlen && !memcmp(buf, AIFABD_PROTO_TEXT, tlen)) {
			fwrite(buf + tlen, 1, n - tlen, text);
			continue;
		}
		if (aifabd_proto_parse_status(buf, n, st)) {
			aifab_fmt(err, errlen, "aifabd's reply is malformed");
			return -EBADMSG;
		}
		return 0;
	}
}

/**
 * aifabd_proto_call() - Send one request to aifabd and read its reply.
 * @run_dir: aifabd's run directory.
 * @req: The request.
 * @text: Where the reply's text goes.
 * @st: Filled with the reply's status.
 * @err: Filled with why the call failed, "SOCKET: reason" when aifabd
 *	cannot be reached.
 * @errlen: Size of @err.
 *
 * Return: 0 when a whole reply was read (whatever its status), else a
 * negative errno value: connecting (aifabd not running: -ENOENT or
 * -ECONNREFUSED), sending, or -EBADMSG for a malformed reply.
 */
int aifabd_proto_call(const char *run_dir, enum aifabd_req req, FILE *text,
		      enum aifabd_reply_status *st, char *err, size_t errlen)
{
	const char *word = aifabd_proto_req_name(req);
	int fd, ret;

	*err = '\0';
	fd = proto_connect(run_dir, err, errlen);
	if (fd < 0)
		return fd;
	if (send(fd, word, strlen(word), MSG_NOSIGNAL) < 0) {
		ret = -errno;
		aifab_fmt(err, errlen, "sending to aifabd: %s", strerror(-ret));
	} else {
		ret = proto_read_reply(fd, text, st, err, errlen);
	}
	close(fd);
	return ret;
}
