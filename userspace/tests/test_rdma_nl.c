// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the RDMA netlink client. rdma_nl.c is included, not
 * linked, so that its reply handling can be fed messages built here as the
 * kernel lays them out (no family header, the NLDEV message type), without
 * ib_core: a device dump, the netns mode, a refusal with its extack, and
 * replies to someone else's request, which are skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../lib/rdma_nl.c"

#define SEQ	77
#define PORTID	4242

static struct aifab_rdma_nl *client(void)
{
	struct aifab_rdma_nl *nl = calloc(1, sizeof(*nl));

	assert_non_null(nl);
	nl->seq = SEQ;
	nl->portid = PORTID;
	return nl;
}

/* A message at offset @off of the client's buffer. */
static struct nlmsghdr *msg_at(struct aifab_rdma_nl *nl, size_t off,
			       uint16_t type, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf + off);

	nlh->nlmsg_type = type;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = PORTID;
	return nlh;
}

static size_t put_dev(struct aifab_rdma_nl *nl, size_t off, uint32_t seq,
		      uint32_t index, const char *name, uint64_t guid)
{
	struct nlmsghdr *nlh = msg_at(nl, off, RDMA_NL_GET_TYPE(RDMA_NL_NLDEV,
						RDMA_NLDEV_CMD_GET), seq);

	mnl_attr_put_u32(nlh, RDMA_NLDEV_ATTR_DEV_INDEX, index);
	mnl_attr_put_strz(nlh, RDMA_NLDEV_ATTR_DEV_NAME, name);
	mnl_attr_put_u64(nlh, RDMA_NLDEV_ATTR_NODE_GUID, guid);
	return off + nlh->nlmsg_len;
}

static size_t put_done(struct aifab_rdma_nl *nl, size_t off)
{
	struct nlmsghdr *nlh = msg_at(nl, off, NLMSG_DONE, SEQ);
	int *status = mnl_nlmsg_put_extra_header(nlh, sizeof(int));

	*status = 0;
	return off + nlh->nlmsg_len;
}

/* An error ACK with an extack message, as capped ACKs carry it. */
static size_t put_err(struct aifab_rdma_nl *nl, size_t off, int error,
		      const char *text)
{
	struct nlmsghdr *nlh = msg_at(nl, off, NLMSG_ERROR, SEQ);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	e->error = error;
	e->msg.nlmsg_len = sizeof(struct nlmsghdr);
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	return off + nlh->nlmsg_len;
}

struct seen {
	struct aifab_rdma_dev devs[4];
	int n;
};

static int seen_dev(const struct aifab_rdma_dev *dev, void *data)
{
	struct seen *s = data;

	assert_true(s->n < 4);
	s->devs[s->n++] = *dev;
	return 0;
}

/* A dump: its devices in order, someone else's reply skipped, then done. */
static void test_dump(void **state)
{
	struct aifab_rdma_nl *nl = client();
	struct seen s = { .n = 0 };
	struct rnl_devs d = { seen_dev, &s };
	int status = 1, cb_ret = 0;
	size_t len;

	(void)state;
	len = put_dev(nl, 0, SEQ, 3, "aifab_efa0", 0x100000005ULL);
	len = put_dev(nl, len, SEQ + 1, 9, "stale", 1);
	len = put_dev(nl, len, SEQ, 4, "rxe0", 7);
	len = put_done(nl, len);
	assert_int_equal(rnl_batch(nl, (ssize_t)len, rnl_dev_reply, &d,
				   &status, &cb_ret), 1);
	assert_int_equal(status, 0);
	assert_int_equal(cb_ret, 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.devs[0].index, 3);
	assert_string_equal(s.devs[0].name, "aifab_efa0");
	assert_true(s.devs[0].node_guid == 0x100000005ULL);
	assert_string_equal(s.devs[1].name, "rxe0");
	free(nl);
}

/* A device without its index is malformed. */
static void test_dump_malformed(void **state)
{
	struct aifab_rdma_nl *nl = client();
	struct nlmsghdr *nlh = msg_at(nl, 0, RDMA_NL_GET_TYPE(RDMA_NL_NLDEV,
					RDMA_NLDEV_CMD_GET), SEQ);
	struct seen s = { .n = 0 };
	struct rnl_devs d = { seen_dev, &s };

	(void)state;
	mnl_attr_put_strz(nlh, RDMA_NLDEV_ATTR_DEV_NAME, "aifab_efa0");
	assert_int_equal(rnl_dev_reply(nlh, &d), -EBADMSG);
	/* A u32 attribute of the wrong size, too. */
	nlh = msg_at(nl, 0, RDMA_NL_GET_TYPE(RDMA_NL_NLDEV,
					     RDMA_NLDEV_CMD_GET), SEQ);
	mnl_attr_put_u16(nlh, RDMA_NLDEV_ATTR_DEV_INDEX, 1);
	mnl_attr_put_strz(nlh, RDMA_NLDEV_ATTR_DEV_NAME, "aifab_efa0");
	assert_int_equal(rnl_dev_reply(nlh, &d), -EBADMSG);
	assert_int_equal(s.n, 0);
	free(nl);
}

/* The kernel sends ib_devices_shared_netns: 1 shared, 0 exclusive. */
static void test_mode(void **state)
{
	struct aifab_rdma_nl *nl = client();
	struct nlmsghdr *nlh;
	bool exclusive = true;

	(void)state;
	nlh = msg_at(nl, 0, RDMA_NL_GET_TYPE(RDMA_NL_NLDEV,
					     RDMA_NLDEV_CMD_SYS_GET), SEQ);
	mnl_attr_put_u8(nlh, RDMA_NLDEV_SYS_ATTR_NETNS_MODE, 1);
	assert_int_equal(rnl_mode_reply(nlh, &exclusive), 0);
	assert_false(exclusive);
	nlh = msg_at(nl, 0, RDMA_NL_GET_TYPE(RDMA_NL_NLDEV,
					     RDMA_NLDEV_CMD_SYS_GET), SEQ);
	mnl_attr_put_u8(nlh, RDMA_NLDEV_SYS_ATTR_NETNS_MODE, 0);
	assert_int_equal(rnl_mode_reply(nlh, &exclusive), 0);
	assert_true(exclusive);
	/* Without the attribute, the reply says nothing: malformed. */
	nlh = msg_at(nl, 0, RDMA_NL_GET_TYPE(RDMA_NL_NLDEV,
					     RDMA_NLDEV_CMD_SYS_GET), SEQ);
	assert_int_equal(rnl_mode_reply(nlh, &exclusive), -EBADMSG);
	free(nl);
}

/* A refusal: its errno, and the kernel's message kept for the caller. */
static void test_refused(void **state)
{
	struct aifab_rdma_nl *nl = client();
	int status = 0, cb_ret = 0;
	size_t len;

	(void)state;
	assert_null(aifab_rdma_nl_errmsg(nl));
	len = put_err(nl, 0, -EOPNOTSUPP, "netns mode is shared");
	assert_int_equal(rnl_batch(nl, (ssize_t)len, NULL, NULL, &status,
				   &cb_ret), 1);
	assert_int_equal(status, -EOPNOTSUPP);
	assert_string_equal(aifab_rdma_nl_errmsg(nl), "netns mode is shared");
	free(nl);
}

/* The host's kernel: no ib_core is reported as such, not as a failure. */
static void test_open(void **state)
{
	struct aifab_rdma_nl *nl;
	bool exclusive;
	int ret;

	(void)state;
	ret = aifab_rdma_nl_open(&nl);
	if (ret || !nl) {
		assert_null(nl);
		assert_true(ret == -EPROTONOSUPPORT || ret == -EPERM ||
			    ret == -EACCES);
		skip();
		return;
	}
	ret = aifab_rdma_nl_netns_exclusive(nl, &exclusive);
	aifab_rdma_nl_close(nl);
	assert_int_equal(ret, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_dump_malformed),
		cmocka_unit_test(test_mode),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
