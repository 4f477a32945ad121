/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's side of the control socket (daemon_proto.h for the
 * protocol): listening, taking connections, reading a request, replying.
 *
 * The daemon is one thread, so a client must not be able to stall it: a
 * connection is only read once poll() says its request is there, and one
 * that sends nothing is closed after AIFABD_CTL_TIMEOUT_MS. At most
 * AIFABD_CTL_CLIENTS connections wait at once; more are refused.
 */
#ifndef AIFABD_CTLSOCK_H
#define AIFABD_CTLSOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/un.h>

#include "daemon_proto.h"

#define AIFABD_CTL_CLIENTS	8
#define AIFABD_CTL_TIMEOUT_MS	5000

struct aifabd_ctl_client {
	int fd;
	uint64_t deadline_ms;		/* CLOCK_MONOTONIC */
	/*
	 * Why the peer may not use the socket ("" if it may). It is told so
	 * once its request is read: closing a socket with a request unread
	 * would reset the connection, and the client would never see why.
	 */
	char denied[160];
};

struct aifabd_ctlsock {
	int fd;				/* listening; -1 when closed */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct aifabd_ctl_client clients[AIFABD_CTL_CLIENTS];
	size_t nclients;
};

int aifabd_ctlsock_open(struct aifabd_ctlsock *cs, const char *run_dir);
void aifabd_ctlsock_close(struct aifabd_ctlsock *cs);
void aifabd_ctlsock_accept(struct aifabd_ctlsock *cs, uint64_t now_ms);
enum aifabd_req aifabd_ctlsock_read(int fd, const char **why);
int aifabd_ctlsock_reply(int fd, const char *text, size_t len,
			 enum aifabd_reply_status st);
void aifabd_ctlsock_drop(struct aifabd_ctlsock *cs, size_t i);
uint64_t aifabd_ctlsock_deadline(const struct aifabd_ctlsock *cs);
void aifabd_ctlsock_expire(struct aifabd_ctlsock *cs, uint64_t now_ms);

#endif /* AIFABD_CTLSOCK_H */
