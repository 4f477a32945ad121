// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket, the daemon's side; see ctlsock.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "fmt.h"
#include "ctlsock.h"
#include "log.h"

/**
 * aifabd_ctlsock_open() - Listen on <run-dir>/aifabd.sock, mode 0600.
 * @cs: Filled in.
 * @run_dir: The run directory; the caller holds its pid file, so an old
 *	socket file there is stale and is replaced.
 *
 * Return: 0 or a negative errno value.
 */
int aifabd_ctlsock_open(struct aifabd_ctlsock *cs, const char *run_dir)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int n, ret = 0;

	*cs = (struct aifabd_ctlsock){ .fd = -1 };
	n = aifab_fmt(cs->path, sizeof(cs->path), "%s/%s", run_dir,
		     AIFABD_SOCK_NAME);
	if (n < 0 || (size_t)n >= sizeof(cs->path))
		return -ENAMETOOLONG;
	aifab_fmt(sa.sun_path, sizeof(sa.sun_path), "%s", cs->path);
	cs->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK,
			0);
	if (cs->fd < 0)
		return -errno;
	unlink(cs->path);
	/* No moment in which the socket is open to others. */
	old = umask(0177);
	if (bind(cs->fd, (struct sockaddr *)&sa, sizeof(sa)))
		ret = -errno;
	umask(old);
	if (!ret && chmod(cs->path, 0600))
		ret = -errno;
	if (!ret && listen(cs->fd, AIFABD_CTL_CLIENTS))
		ret = -errno;
	if (ret)
		aifabd_ctlsock_close(cs);
	return ret;
}

void aifabd_ctlsock_close(struct aifabd_ctlsock *cs)
{
	while (cs->nclients)
		aifabd_ctlsock_drop(cs, 0);
	if (cs->fd >= 0) {
		close(cs->fd);
		unlink(cs->path);
	}
	cs->fd = -1;
}

/* One message of a header and a body, gathered by the kernel. */
static int ctlsock_send(int fd, const char *head, const char *body,
			size_t len)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)head, .iov_len = strlen(head) },
		{ .iov_base = (void *)body, .iov_len = len },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

	if (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

/**
 * aifabd_ctlsock_reply() - Send a whole reply.
 * @fd: The client.
 * @text: The reply's text, any length; may be NULL when @len is 0.
 * @len: Its length.
 * @st: The final status.
 *
 * Return: 0, or a negative errno value (the client went away, or did not
 * read for a second).
 */
int aifabd_ctlsock_reply(int fd, const char *text, size_t len,
			 enum aifabd_reply_status st)
{
	size_t room = AIFABD_PROTO_MSG_MAX - strlen(AIFABD_PROTO_TEXT);
	char last[32];
	int ret = 0;

	while (!ret && text && len) {
		size_t n = len < room ? len : room;

		ret = ctlsock_send(fd, AIFABD_PROTO_TEXT, text, n);
		text += n;
		len -= n;
	}
	aifab_fmt(last, sizeof(last), "%s\n", aifabd_proto_status_name(st));
	return ret ? ret : ctlsock_send(fd, AIFABD_PROTO_STATUS, last,
					strlen(last));
}

static void ctlsock_refuse(int fd, const char *why)
{
	char text[160];
	int n = aifab_fmt(text, sizeof(text), "aifabd: %s\n", why);

	aifabd_log(LOG_WARNING, "control socket: %s", why);
	aifabd_ctlsock_reply(fd, text, n, AIFABD_REPLY_ERROR);
	close(fd);
}

/*
 * Only root: the socket's mode says so, and the peer's credentials too.
 * @why is left empty for root.
 */
static bool ctlsock_root(int fd, char *why, size_t len)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);

	*why = '\0';
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen)) {
		aifab_fmt(why, len, "cannot read the peer's credentials: %s",
			 strerror(errno));
		return false;
	}
	if (cred.uid) {
		aifab_fmt(why, len, "permission denied: uid %u (pid %d) is "
			 "not root, and the control socket is for root only",
			 (unsigned int)cred.uid, (int)cred.pid);
		return false;
	}
	return true;
}

/**
 * aifabd_ctlsock_accept() - Take every waiting connection.
 * @cs: The socket.
 * @now_ms: The time, CLOCK_MONOTONIC, for the clients' deadlines.
 *
 * A peer that is not root is kept like any other, with the reason it is
 * refused, which its reply gives. One that finds the table full gets an
 * error reply and is closed at once.
 */
void aifabd_ctlsock_accept(struct aifabd_ctlsock *cs, uint64_t now_ms)
{
	/* The reply must not stall the daemon on a client that never reads. */
	struct timeval tv = { .tv_sec = 1 };
	struct aifabd_ctl_client *c;
	int fd;

	while ((fd = accept4(cs->fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (cs->nclients == AIFABD_CTL_CLIENTS) {
			ctlsock_refuse(fd, "too many connections waiting");
			continue;
		}
		c = &cs->clients[cs->nclients++];
		*c = (struct aifabd_ctl_client){
			.fd = fd, .deadline_ms = now_ms + AIFABD_CTL_TIMEOUT_MS,
		};
		ctlsock_root(fd, c->denied, sizeof(c->denied));
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		aifabd_log(LOG_WARNING, "control socket: accept: %s",
			   strerror(errno));
}

/**
 * aifabd_ctlsock_read() - Read a client's request; poll() said it is there.
 * @fd: The client.
 * @why: Set to why it was refused.
 *
 * MSG_TRUNC makes recv() return a message's whole length, so an oversized
 * one is recognised as such rather than read as its first bytes.
 *
 * Return: The request, or AIFABD_REQ_INVALID.
 */
enum aifabd_req aifabd_ctlsock_read(int fd, const char **why)
{
	char buf[AIFABD_PROTO_REQ_MAX];
	ssize_t n = recv(fd, buf, sizeof(buf), MSG_TRUNC | MSG_DONTWAIT);

	if (n < 0) {
		*why = "cannot read the request";
		return AIFABD_REQ_INVALID;
	}
	return aifabd_proto_parse_req(buf, (size_t)n, why);
}

void aifabd_ctlsock_drop(struct aifabd_ctlsock *cs, size_t i)
{
	close(cs->clients[i].fd);
	cs->clients[i] = cs->clients[--cs->nclients];
}

/* The earliest client deadline, 0 for none. */
uint64_t aifabd_ctlsock_deadline(const struct aifabd_ctlsock *cs)
{
	uint64_t t = 0;
	size_t i;

	for (i = 0; i < cs->nclients; i++)
		if (!t || cs->clients[i].deadline_ms < t)
			t = cs->clients[i].deadline_ms;
	return t;
}

/* Close the clients that sent nothing in time. */
void aifabd_ctlsock_expire(struct aifabd_ctlsock *cs, uint64_t now_ms)
{
	size_t i = 0;

	while (i < cs->nclients) {
		if (cs->clients[i].deadline_ms <= now_ms) {
			aifabd_log(LOG_INFO, "control socket: a client sent "
				   "no request in %d ms; closed",
				   AIFABD_CTL_TIMEOUT_MS);
			aifabd_ctlsock_drop(cs, i);
		} else {
			i++;
		}
	}
}
