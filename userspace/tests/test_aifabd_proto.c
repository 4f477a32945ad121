// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of aifabd's control protocol: request and status parsing on
 * garbage, and whole request/reply exchanges over a real socketpair, the
 * daemon's reply (ctlsock.c) read by aifabctl's client code.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "../aifabd/ctlsock.h"
#include "daemon_proto.h"

static enum aifabd_req req(const char *buf, size_t len, const char **why)
{
	return aifabd_proto_parse_req(buf, len, why);
}

static void test_requests(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(req("reload", 6, &why), AIFABD_REQ_RELOAD);
	assert_null(why);
	assert_int_equal(req("reload\n", 7, &why), AIFABD_REQ_RELOAD);
	assert_int_equal(req("status", 6, &why), AIFABD_REQ_STATUS);
	assert_int_equal(req("status\n", 7, &why), AIFABD_REQ_STATUS);
}

static void test_garbage(void **state)
{
	static const struct {
		const char *buf;
		size_t len;
		const char *why;
	} bad[] = {
		{ "", 0, "empty request (expected reload or status)" },
		{ "\n", 1, "empty request (expected reload or status)" },
		{ "reload\n\n", 8, "unknown request (expected reload or status)" },
		{ "reload\0", 7, "unknown request (expected reload or status)" },
		{ "reloa", 5, "unknown request (expected reload or status)" },
		{ "RELOAD", 6, "unknown request (expected reload or status)" },
		{ " status", 7, "unknown request (expected reload or status)" },
		{ "\xff\xfe", 2, "unknown request (expected reload or status)" },
		/* The length decides, whatever the bytes hold. */
		{ "reload", AIFABD_PROTO_REQ_MAX + 1, "request too long" },
		{ "status", 100000, "request too long" },
	};
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(req(bad[i].buf, bad[i].len, &why),
				 AIFABD_REQ_INVALID);
		assert_string_equal(why, bad[i].why);
	}
}

static void test_status_words(void **state)
{
	enum aifabd_reply_status st;

	(void)state;
	assert_int_equal(aifabd_proto_parse_status("status ok\n", 10, &st), 0);
	assert_int_equal(st, AIFABD_REPLY_OK);
	assert_int_equal(aifabd_proto_parse_status("status kernel\n", 14, &st),
			 0);
	assert_int_equal(st, AIFABD_REPLY_KERNEL);
	assert_int_equal(aifabd_proto_parse_status("status config\n", 14, &st),
			 0);
	assert_int_equal(st, AIFABD_REPLY_CONFIG);
	assert_int_equal(aifabd_proto_parse_status("status error\n", 13, &st),
			 0);
	assert_int_equal(st, AIFABD_REPLY_ERROR);
	assert_int_equal(aifabd_proto_parse_status("status ok", 9, &st),
			 -EBADMSG);
	assert_int_equal(aifabd_proto_parse_status("status okay\n", 12, &st),
			 -EBADMSG);
	assert_int_equal(aifabd_proto_parse_status("status \n", 8, &st),
			 -EBADMSG);
	assert_int_equal(aifabd_proto_parse_status("text\nok\n", 8, &st),
			 -EBADMSG);
	assert_string_equal(aifabd_proto_status_name(AIFABD_REPLY_KERNEL),
			    "kernel");
	assert_string_equal(aifabd_proto_req_name(AIFABD_REQ_INVALID),
			    "invalid");
}

/* Read every message of a reply off @fd into one buffer. */
static size_t drain(int fd, char *buf, size_t len, int *nmsgs)
{
	size_t total = 0;
	ssize_t n;

	*nmsgs = 0;
	while ((n = recv(fd, buf + total, len - total, MSG_DONTWAIT)) > 0) {
		total += n;
		(*nmsgs)++;
	}
	return total;
}

/* A reply longer than a message is cut into text chunks, status last. */
static void test_reply_chunks(void **state)
{
	size_t big = AIFABD_PROTO_MSG_MAX * 2 + 17, len, i;
	char *text = malloc(big);
	char *buf = malloc(big * 2);
	int sv[2], nmsgs;

	(void)state;
	assert_non_null(text);
	assert_non_null(buf);
	for (i = 0; i < big; i++)
		text[i] = (char)('a' + i % 26);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	/* Room for the whole reply, so that sending never waits. */
	i = big * 4;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &i, sizeof(int));
	assert_int_equal(aifabd_ctlsock_reply(sv[0], text, big,
					      AIFABD_REPLY_KERNEL), 0);
	len = drain(sv[1], buf, big * 2, &nmsgs);
	assert_int_equal(nmsgs, 4);
	assert_int_equal(len, big + 3 * strlen(AIFABD_PROTO_TEXT) +
			 strlen("status kernel\n"));
	assert_memory_equal(buf, "text\n", 5);
	assert_memory_equal(buf + len - 14, "status kernel\n", 14);
	close(sv[0]);
	close(sv[1]);
	free(text);
	free(buf);
}

/* The daemon side reads what a client sent, oversized or not. */
static void test_read(void **state)
{
	char big[AIFABD_PROTO_REQ_MAX * 4];
	const char *why;
	size_t i;
	int sv[2];

	(void)state;
	for (i = 0; i < sizeof(big); i++)
		big[i] = 'r';
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	send(sv[1], "status\n", 7, 0);
	assert_int_equal(aifabd_ctlsock_read(sv[0], &why), AIFABD_REQ_STATUS);
	send(sv[1], big, sizeof(big), 0);
	assert_int_equal(aifabd_ctlsock_read(sv[0], &why), AIFABD_REQ_INVALID);
	assert_string_equal(why, "request too long");
	/* The oversized message is gone whole: the next one reads cleanly. */
	send(sv[1], "reload", 6, 0);
	assert_int_equal(aifabd_ctlsock_read(sv[0], &why), AIFABD_REQ_RELOAD);
	/* Nothing there (the client hung up): refused, not waited for. */
	close(sv[1]);
	assert_int_equal(aifabd_ctlsock_read(sv[0], &why), AIFABD_REQ_INVALID);
	close(sv[0]);
}

static void test_call_not_running(void **state)
{
	enum aifabd_reply_status st;
	char err[256];

	(void)state;
	assert_int_equal(aifabd_proto_call("/nonexistent/run", AIFABD_REQ_STATUS,
					   stdout, &st, err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "/nonexistent/run/aifabd.sock: "
			    "No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_status_words),
		cmocka_unit_test(test_reply_chunks),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_call_not_running),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
