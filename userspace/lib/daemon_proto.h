/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aifabd's control protocol, shared by the daemon and aifabctl.
 *
 * The socket is <run-dir>/aifabd.sock, AF_UNIX SOCK_SEQPACKET, so that a
 * request and each part of a reply keep their boundaries without framing
 * of our own. Only root may use it (SO_PEERCRED).
 *
 * A request is one message holding one word, "reload" or "status", with
 * at most one trailing newline. A reply is zero or more text messages,
 * each "text\n" followed by a chunk of the reply's text, then exactly one
 * final message "status WORD\n", WORD being one of
 *   ok          done (for reload: the configuration is applied)
 *   config      the new configuration was refused; nothing changed
 *   kernel      the kernel refused a change (see the text for what was
 *               rolled back)
 *   error       the request itself was refused (unknown, too long,
 *               not root) or the daemon failed otherwise
 * after which the daemon closes the connection.
 */
#ifndef AIFAB_USERSPACE_DAEMON_PROTO_H
#define AIFAB_USERSPACE_DAEMON_PROTO_H

#include <stddef.h>
#include <stdio.h>

#define AIFABD_RUN_DIR		"/run/aifab"
#define AIFABD_STATE_DIR	"/var/lib/aifab"
#define AIFABD_SOCK_NAME	"aifabd.sock"
#define AIFABD_PID_NAME		"aifabd.pid"
#define AIFABD_STATUS_NAME	"status.json"

/* Longer requests are refused; the longest valid one is 7 bytes. */
#define AIFABD_PROTO_REQ_MAX	64
/* The largest message either side sends; text longer goes in chunks. */
#define AIFABD_PROTO_MSG_MAX	4096

#define AIFABD_PROTO_TEXT	"text\n"
#define AIFABD_PROTO_STATUS	"status "

enum aifabd_req {
	AIFABD_REQ_INVALID,
	AIFABD_REQ_RELOAD,
	AIFABD_REQ_STATUS,
};

enum aifabd_reply_status {
	AIFABD_REPLY_OK,
	AIFABD_REPLY_CONFIG,
	AIFABD_REPLY_KERNEL,
	AIFABD_REPLY_ERROR,
};

enum aifabd_req aifabd_proto_parse_req(const char *buf, size_t len,
				       const char **why);
const char *aifabd_proto_req_name(enum aifabd_req req);
const char *aifabd_proto_status_name(enum aifabd_reply_status st);
int aifabd_proto_parse_status(const char *buf, size_t len,
			      enum aifabd_reply_status *st);

int aifabd_proto_call(const char *run_dir, enum aifabd_req req, FILE *text,
		      enum aifabd_reply_status *st, char *err, size_t errlen);

#endif /* AIFAB_USERSPACE_DAEMON_PROTO_H */
