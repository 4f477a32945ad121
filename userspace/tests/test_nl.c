// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the generic netlink client. nl.c is included, not linked,
 * so that the reply handling (collection, NLM_F_DUMP_INTR, error ACKs) can
 * be fed datagrams built here, exactly as the kernel lays them out, without
 * a kernel. The transport itself is checked against the host kernel's own
 * nlctrl family, which every Linux has; those tests skip where netlink
 * sockets are not allowed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../lib/nl.c"

#define FAMILY	0x20
#define SEQ	1000
#define PORTID	4242

/*
 * A datagram under construction: messages laid end to end, aligned. It is
 * built where the client receives (dg_recv()), or in dg_space otherwise.
 */
struct dgram {
	char *buf;
	size_t len;
};

static char dg_space[8192] __attribute__((aligned(4)));

#define DGRAM	{ dg_space, 0 }

static struct nlmsghdr *dg_msg(struct dgram *dg, uint16_t type,
			       uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(dg->buf + dg->len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	if (type >= NLMSG_MIN_TYPE) {
		struct genlmsghdr *genl;

		genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
		genl->cmd = cmd;
		genl->version = AIFAB_FAMILY_VERSION;
	}
	return nlh;
}

static void dg_end(struct dgram *dg, const struct nlmsghdr *nlh)
{
	dg->len += MNL_ALIGN(nlh->nlmsg_len);
}

static void dg_data(struct dgram *dg, const char *name)
{
	struct nlmsghdr *nlh = dg_msg(dg, FAMILY, NLM_F_MULTI,
				      AIFAB_CMD_DEV_GET);

	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, name);
	dg_end(dg, nlh);
}

static void dg_done(struct dgram *dg, uint16_t flags)
{
	struct nlmsghdr *nlh = dg_msg(dg, NLMSG_DONE, NLM_F_MULTI | flags, 0);

	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = 0;
	dg_end(dg, nlh);
}

/*
 * An error ACK as the kernel builds it with NETLINK_CAP_ACK: the request's
 * header only, then the extack TLVs.
 */
static void dg_error(struct dgram *dg, int error, const char *msg,
		     uint32_t offs)
{
	struct nlmsghdr *nlh = dg_msg(dg, NLMSG_ERROR, NLM_F_CAPPED, 0);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	e->error = error;
	e->msg.nlmsg_len = 64;
	e->msg.nlmsg_type = FAMILY;
	e->msg.nlmsg_seq = SEQ;
	if (msg || offs)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	if (offs)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offs);
	dg_end(dg, nlh);
}

/* The attribute at @idx of a genl message, or NULL. */
static const struct nlattr *attr_at(const struct nlmsghdr *nlh, int idx)
{
	const char *tail = mnl_nlmsg_get_payload_tail(nlh);
	const struct nlattr *attr;
	int i = 0;

	attr = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	while (mnl_attr_ok(attr, tail - (const char *)attr)) {
		if (i++ == idx)
			return attr;
		attr = mnl_attr_next(attr);
	}
	return NULL;
}

/* Where nl_recv() would put the next datagram, as nl_batch() expects. */
static struct dgram dg_recv(struct aifab_nl *nl)
{
	struct dgram dg = { NULL, 0 };

	assert_int_equal(nl_msgs_reserve(&nl->msgs), 0);
	dg.buf = nl->msgs.buf + nl->msgs.len;
	return dg;
}

/* A client with buffers but no socket, as nl_batch() needs. */
static int setup(void **state)
{
	struct aifab_nl *nl = calloc(1, sizeof(*nl));

	if (!nl)
		return -1;
	nl->tx = calloc(1, NL_TX_SIZE);
	if (!nl->tx) {
		free(nl);
		return -1;
	}
	nl->seq = SEQ;
	nl->portid = PORTID;
	nl->family = FAMILY;
	nl->sent = nl->tx;
	nl_clear_err(nl);
	*state = nl;
	return 0;
}

static int teardown(void **state)
{
	aifab_nl_close(*state);
	return 0;
}

/* Checks each reply's device name against the list expected, in order. */
struct names {
	const char *const *want;
	int n;
};

static int check_names(const struct nlmsghdr *nlh, void *data)
{
	static const struct aifab_nl_policy pol[AIFAB_A_DEV_MAX + 1] = {
		[AIFAB_A_DEV_NAME] = { MNL_TYPE_NUL_STRING, true },
	};
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	struct names *names = data;
	int ret = aifab_nl_parse(nlh, pol, AIFAB_A_DEV_MAX, tb);

	if (ret)
		return ret;
	/* A reply more than expected: refused, as a caller would. */
	if (!names->want[names->n])
		return -E2BIG;
	assert_string_equal(mnl_attr_get_str(tb[AIFAB_A_DEV_NAME]),
			    names->want[names->n]);
	names->n++;
	return 0;
}

static void test_req_build(void **state)
{
	struct aifab_nl_req req;
	char buf[256] __attribute__((aligned(4)));
	const struct genlmsghdr *genl;
	const struct nlattr *attr;
	struct nlmsghdr *nlh;

	(void)state;
	aifab_nl_req_init(&req, AIFAB_CMD_LINK_SET, false);
	assert_int_equal(aifab_nl_req_str(&req, AIFAB_A_LINK_NAME, "l0"), 0);
	assert_int_equal(aifab_nl_req_u32(&req, AIFAB_A_LINK_ADMIN_STATE,
					  AIFAB_ADMIN_STATE_DOWN), 0);
	nlh = aifab_nl_req_build(&req, FAMILY, 7, buf, sizeof(buf));
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_type, FAMILY);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(nlh->nlmsg_seq, 7);
	genl = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(genl->cmd, AIFAB_CMD_LINK_SET);
	assert_int_equal(genl->version, AIFAB_FAMILY_VERSION);
	attr = attr_at(nlh, 0);
	assert_non_null(attr);
	assert_int_equal(mnl_attr_get_type(attr), AIFAB_A_LINK_NAME);
	assert_string_equal(mnl_attr_get_str(attr), "l0");
	attr = attr_at(nlh, 1);
	assert_non_null(attr);
	assert_int_equal(mnl_attr_get_type(attr), AIFAB_A_LINK_ADMIN_STATE);
	assert_int_equal(mnl_attr_get_u32(attr), AIFAB_ADMIN_STATE_DOWN);
	assert_null(attr_at(nlh, 2));

	aifab_nl_req_init(&req, AIFAB_CMD_DEV_GET, true);
	nlh = aifab_nl_req_build(&req, FAMILY, 8, buf, sizeof(buf));
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(mnl_nlmsg_get_payload_len(nlh), sizeof(*genl));
}

static void test_req_limits(void **state)
{
	static struct aifab_nl_req req;
	char buf[64] __attribute__((aligned(4)));
	int i;

	(void)state;
	aifab_nl_req_init(&req, AIFAB_CMD_PARTITION_NEW, false);
	for (i = 0; i < AIFAB_NL_REQ_MAX_ATTRS; i++)
		assert_int_equal(aifab_nl_req_str(&req, AIFAB_A_PARTITION_DEV,
						  "accel0"), 0);
	assert_int_equal(aifab_nl_req_str(&req, AIFAB_A_PARTITION_DEV, "x"),
			 -E2BIG);
	assert_int_equal(aifab_nl_req_u32(&req, AIFAB_A_PARTITION_ID, 1),
			 -E2BIG);
	/* Too many bytes for the buffer: refused, not overrun. */
	assert_null(aifab_nl_req_build(&req, FAMILY, 1, buf, sizeof(buf)));
	assert_null(aifab_nl_req_build(&req, FAMILY, 1, buf, 8));
}

/* A built message: header, every kind of attribute, a nest, parsed back. */
static void test_msg_build(void **state)
{
	static const struct aifab_nl_policy pol[AIFAB_A_DEV_MAX + 1] = {
		[AIFAB_A_DEV_NAME] = { MNL_TYPE_NUL_STRING, true },
		[AIFAB_A_DEV_TYPE] = { MNL_TYPE_U32, true },
		[AIFAB_A_DEV_LOCAL] = { MNL_TYPE_U8, true },
		[AIFAB_A_DEV_MEM_BYTES] = { MNL_TYPE_U64, true },
	};
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	struct aifab_nl_msg m;
	const struct genlmsghdr *genl;
	const struct nlmsghdr *nlh;
	const struct nlattr *attr;
	size_t nest;

	(void)state;
	assert_int_equal(aifab_nl_msg_init(&m, AIFAB_CMD_TOPOLOGY_SET), 0);
	assert_int_equal(aifab_nl_msg_put_u32(&m, AIFAB_A_DEV_ID, 7), 0);
	nest = aifab_nl_msg_nest_start(&m, AIFAB_A_TOPOLOGY_DEV);
	assert_true(nest > 0);
	assert_int_equal(aifab_nl_msg_put_str(&m, AIFAB_A_DEV_NAME, "accel0"),
			 0);
	assert_int_equal(aifab_nl_msg_put_u32(&m, AIFAB_A_DEV_TYPE, 1), 0);
	assert_int_equal(aifab_nl_msg_put_u8(&m, AIFAB_A_DEV_LOCAL, 1), 0);
	assert_int_equal(aifab_nl_msg_put_u64(&m, AIFAB_A_DEV_MEM_BYTES,
					      1ULL << 40), 0);
	assert_int_equal(aifab_nl_msg_nest_end(&m, nest), 0);

	nlh = aifab_nl_msg_hdr(&m);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	genl = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(genl->cmd, AIFAB_CMD_TOPOLOGY_SET);
	assert_int_equal(genl->version, AIFAB_FAMILY_VERSION);
	attr = attr_at(nlh, 0);
	assert_int_equal(mnl_attr_get_u32(attr), 7);
	attr = attr_at(nlh, 1);
	assert_int_equal(mnl_attr_get_type(attr), AIFAB_A_TOPOLOGY_DEV);
	assert_int_equal((const char *)attr - m.buf, nest);
	assert_int_equal(aifab_nl_parse_nested(attr, pol, AIFAB_A_DEV_MAX, tb),
			 0);
	assert_string_equal(mnl_attr_get_str(tb[AIFAB_A_DEV_NAME]), "accel0");
	assert_int_equal(mnl_attr_get_u8(tb[AIFAB_A_DEV_LOCAL]), 1);
	assert_true(mnl_attr_get_u64(tb[AIFAB_A_DEV_MEM_BYTES]) == 1ULL << 40);
	assert_null(attr_at(nlh, 2));

	/* Extack offsets, inside a nest or not, name the top-level attribute. */
	assert_int_equal(aifab_nl_msg_attr_index(&m, nest), 1);
	assert_int_equal(aifab_nl_msg_attr_index(&m, nest + 8), 1);
	assert_int_equal(aifab_nl_msg_attr_index(&m, nest - 8), 0);
	assert_int_equal(aifab_nl_msg_attr_index(&m, 0), -1);
	assert_int_equal(aifab_nl_msg_attr_index(&m, nlh->nlmsg_len), -1);
	aifab_nl_msg_free(&m);
	assert_null(m.buf);
	assert_int_equal(aifab_nl_msg_attr_index(&m, 20), -1);
}

/* The buffer grows, moving the message, and nests survive the move. */
static void test_msg_grow(void **state)
{
	struct aifab_nl_msg m;
	const struct nlattr *attr;
	char *name;
	int i, n = 0;

	(void)state;
	assert_int_equal(aifab_nl_msg_init(&m, AIFAB_CMD_TOPOLOGY_SET), 0);
	for (i = 0; i < 20000; i++) {
		size_t nest = aifab_nl_msg_nest_start(&m, AIFAB_A_TOPOLOGY_LINK);

		assert_int_not_equal(asprintf(&name, "link%d", i), -1);
		aifab_nl_msg_put_str(&m, AIFAB_A_LINK_NAME, name);
		free(name);
		aifab_nl_msg_put_u32(&m, AIFAB_A_LINK_SPEED_MBPS, i);
		assert_int_equal(aifab_nl_msg_nest_end(&m, nest), 0);
	}
	assert_true(aifab_nl_msg_hdr(&m)->nlmsg_len > 500000);
	assert_true(m.cap >= aifab_nl_msg_hdr(&m)->nlmsg_len);
	mnl_attr_for_each(attr, aifab_nl_msg_hdr(&m),
			  sizeof(struct genlmsghdr)) {
		const struct nlattr *inner = mnl_attr_get_payload(attr);

		assert_int_not_equal(asprintf(&name, "link%d", n), -1);
		assert_string_equal(mnl_attr_get_str(inner), name);
		free(name);
		assert_int_equal(mnl_attr_get_u32(mnl_attr_next(inner)), n);
		n++;
	}
	assert_int_equal(n, 20000);
	aifab_nl_msg_free(&m);
}

/* Errors stick: later calls do nothing and report the first. */
static void test_msg_errors(void **state)
{
	static char big[UINT16_MAX];
	struct aifab_nl_msg m;
	size_t nest, i;
	uint32_t len;

	(void)state;
	for (i = 0; i < sizeof(big) - 1; i++)
		big[i] = 'x';
	assert_int_equal(aifab_nl_msg_init(&m, AIFAB_CMD_TOPOLOGY_SET), 0);
	assert_int_equal(aifab_nl_msg_put_str(&m, AIFAB_A_NODE_NAME, "n0"), 0);
	len = aifab_nl_msg_hdr(&m)->nlmsg_len;
	/* Too long for nla_len. */
	assert_int_equal(aifab_nl_msg_put_str(&m, AIFAB_A_NODE_NAME, big),
			 -EMSGSIZE);
	assert_int_equal(aifab_nl_msg_put_u8(&m, AIFAB_A_NODE_LOCAL, 1),
			 -EMSGSIZE);
	assert_int_equal(aifab_nl_msg_nest_start(&m, AIFAB_A_TOPOLOGY_NODE),
			 0);
	assert_int_equal(aifab_nl_msg_nest_end(&m, 0), -EMSGSIZE);
	assert_int_equal(aifab_nl_msg_hdr(&m)->nlmsg_len, len);
	aifab_nl_msg_free(&m);

	/* A nest whose content outgrows its 16-bit length. */
	assert_int_equal(aifab_nl_msg_init(&m, AIFAB_CMD_TOPOLOGY_SET), 0);
	nest = aifab_nl_msg_nest_start(&m, AIFAB_A_TOPOLOGY_NODE);
	big[40000] = '\0';
	aifab_nl_msg_put_str(&m, AIFAB_A_NODE_NAME, big);
	aifab_nl_msg_put_str(&m, AIFAB_A_NODE_NAME, big);
	assert_int_equal(aifab_nl_msg_nest_end(&m, nest), -EMSGSIZE);
	aifab_nl_msg_free(&m);

	/* Not a nest of this message. */
	assert_int_equal(aifab_nl_msg_init(&m, AIFAB_CMD_TOPOLOGY_SET), 0);
	assert_int_equal(aifab_nl_msg_nest_end(&m, 4096), -EINVAL);
	aifab_nl_msg_free(&m);
}

static const struct aifab_nl_policy test_policy[AIFAB_A_DEV_MAX + 1] = {
	[AIFAB_A_DEV_ID] = { MNL_TYPE_U32, true },
	[AIFAB_A_DEV_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_DEV_LOCAL] = { MNL_TYPE_U8, false },
	[AIFAB_A_DEV_MEM_BYTES] = { MNL_TYPE_U64, false },
};

static void test_parse_ok(void **state)
{
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	struct dgram dg = DGRAM;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = dg_msg(&dg, FAMILY, 0, AIFAB_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_ID, 3);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, "accel3");
	mnl_attr_put(nlh, AIFAB_A_DEV_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, AIFAB_A_DEV_MEM_BYTES, 1ULL << 30);
	/* Unknown to the policy, or newer than this tool: skipped. */
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_TYPE, 0xdead);
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_MAX + 5, 1);
	assert_int_equal(aifab_nl_parse(nlh, test_policy, AIFAB_A_DEV_MAX, tb),
			 0);
	assert_int_equal(mnl_attr_get_u32(tb[AIFAB_A_DEV_ID]), 3);
	assert_string_equal(mnl_attr_get_str(tb[AIFAB_A_DEV_NAME]), "accel3");
	assert_true(mnl_attr_get_u64(tb[AIFAB_A_DEV_MEM_BYTES]) == 1ULL << 30);
	assert_null(tb[AIFAB_A_DEV_TYPE]);
	assert_null(tb[AIFAB_A_DEV_LOCAL]);
}

/* Each of these must be refused with -EBADMSG, and nothing read past. */
static void test_parse_malformed(void **state)
{
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	struct dgram dg = DGRAM;
	struct nlmsghdr *nlh;
	uint16_t u16 = 1;
	char raw[4] = { 'a', 'b', 'c', 'd' };

	(void)state;
	/* A u32 sent as two bytes. */
	nlh = dg_msg(&dg, FAMILY, 0, AIFAB_CMD_DEV_GET);
	mnl_attr_put(nlh, AIFAB_A_DEV_ID, sizeof(u16), &u16);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, "a");
	assert_int_equal(aifab_nl_parse(nlh, test_policy, AIFAB_A_DEV_MAX, tb),
			 -EBADMSG);

	/* A u32 sent as a u64. */
	nlh = dg_msg(&dg, FAMILY, 0, AIFAB_CMD_DEV_GET);
	mnl_attr_put_u64(nlh, AIFAB_A_DEV_ID, 1);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, "a");
	assert_int_equal(aifab_nl_parse(nlh, test_policy, AIFAB_A_DEV_MAX, tb),
			 -EBADMSG);

	/* A string without its NUL. */
	nlh = dg_msg(&dg, FAMILY, 0, AIFAB_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_ID, 1);
	mnl_attr_put(nlh, AIFAB_A_DEV_NAME, sizeof(raw), raw);
	assert_int_equal(aifab_nl_parse(nlh, test_policy, AIFAB_A_DEV_MAX, tb),
			 -EBADMSG);

	/* A required attribute missing. */
	nlh = dg_msg(&dg, FAMILY, 0, AIFAB_CMD_DEV_GET);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, "a");
	assert_int_equal(aifab_nl_parse(nlh, test_policy, AIFAB_A_DEV_MAX, tb),
			 -EBADMSG);

	/*
	 * An attribute that runs past the message is not seen (libmnl counts
	 * the message's padding as its own, so cut more than that).
	 */
	nlh = dg_msg(&dg, FAMILY, 0, AIFAB_CMD_DEV_GET);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, "a");
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_ID, 1);
	nlh->nlmsg_len -= 4;
	assert_int_equal(aifab_nl_parse(nlh, test_policy, AIFAB_A_DEV_MAX, tb),
			 -EBADMSG);

	/* No room for the genl header. */
	nlh = mnl_nlmsg_put_header(dg.buf);
	nlh->nlmsg_type = FAMILY;
	assert_int_equal(aifab_nl_parse(nlh, test_policy, AIFAB_A_DEV_MAX, tb),
			 -EBADMSG);
}

static void test_parse_nested(void **state)
{
	static const struct aifab_nl_policy hop[AIFAB_A_HOP_MAX + 1] = {
		[AIFAB_A_HOP_LINK] = { MNL_TYPE_NUL_STRING, true },
		[AIFAB_A_HOP_STATE] = { MNL_TYPE_U32, true },
	};
	const struct nlattr *tb[AIFAB_A_HOP_MAX + 1];
	struct dgram dg = DGRAM;
	struct nlmsghdr *nlh;
	struct nlattr *nest, *bad;

	(void)state;
	nlh = dg_msg(&dg, FAMILY, 0, AIFAB_CMD_ROUTE_GET);
	nest = mnl_attr_nest_start(nlh, AIFAB_A_ROUTE_HOP);
	mnl_attr_put_strz(nlh, AIFAB_A_HOP_LINK, "l0");
	mnl_attr_put_u32(nlh, AIFAB_A_HOP_STATE, AIFAB_LINK_STATE_UP);
	mnl_attr_nest_end(nlh, nest);
	bad = mnl_attr_nest_start(nlh, AIFAB_A_ROUTE_HOP);
	mnl_attr_put_strz(nlh, AIFAB_A_HOP_LINK, "l1");
	mnl_attr_nest_end(nlh, bad);
	assert_int_equal(aifab_nl_parse_nested(nest, hop, AIFAB_A_HOP_MAX, tb),
			 0);
	assert_string_equal(mnl_attr_get_str(tb[AIFAB_A_HOP_LINK]), "l0");
	assert_int_equal(aifab_nl_parse_nested(bad, hop, AIFAB_A_HOP_MAX, tb),
			 -EBADMSG);
}

static void test_parse_err(void **state)
{
	struct dgram dg = DGRAM;
	struct nlmsghdr *nlh;
	const char *msg;
	uint32_t offs;
	int error;

	(void)state;
	dg_error(&dg, -ENODEV, "no such device", 24);
	nlh = (struct nlmsghdr *)dg.buf;
	assert_int_equal(aifab_nl_parse_err(nlh, &error, &msg, &offs), 0);
	assert_int_equal(error, -ENODEV);
	assert_string_equal(msg, "no such device");
	assert_int_equal(offs, 24);

	/* A plain ACK. */
	dg.len = 0;
	dg_error(&dg, 0, NULL, 0);
	nlh = (struct nlmsghdr *)dg.buf;
	assert_int_equal(aifab_nl_parse_err(nlh, &error, &msg, &offs), 0);
	assert_int_equal(error, 0);
	assert_null(msg);

	/* An error without extack: only the errno. */
	dg.len = 0;
	dg_error(&dg, -EPERM, NULL, 0);
	nlh = (struct nlmsghdr *)dg.buf;
	assert_int_equal(aifab_nl_parse_err(nlh, &error, &msg, &offs), 0);
	assert_int_equal(error, -EPERM);
	assert_null(msg);
	assert_int_equal(offs, 0);
}

/* Without NETLINK_CAP_ACK the whole request is echoed before the TLVs. */
static void test_parse_err_uncapped(void **state)
{
	struct dgram dg = DGRAM;
	struct nlmsghdr *nlh, *echo;
	struct nlmsgerr *e;
	const char *msg;
	uint32_t offs;
	int error;

	(void)state;
	nlh = dg_msg(&dg, NLMSG_ERROR, NLM_F_ACK_TLVS, 0);
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -EINVAL;
	/* The echoed request: a header, a genl header and one attribute. */
	echo = &e->msg;
	echo->nlmsg_len = MNL_NLMSG_HDRLEN + 4 + 12;
	mnl_nlmsg_put_extra_header(nlh, 4 + 12);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "bad name");
	assert_int_equal(aifab_nl_parse_err(nlh, &error, &msg, &offs), 0);
	assert_int_equal(error, -EINVAL);
	assert_string_equal(msg, "bad name");

	/* An echo longer than the message: malformed. */
	echo->nlmsg_len = 4096;
	assert_int_equal(aifab_nl_parse_err(nlh, &error, &msg, &offs),
			 -EBADMSG);
}

static void test_parse_err_malformed(void **state)
{
	struct dgram dg = DGRAM;
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;
	const char *msg;
	uint32_t offs;
	int error;

	(void)state;
	/* Too short for struct nlmsgerr. */
	nlh = dg_msg(&dg, NLMSG_ERROR, 0, 0);
	mnl_nlmsg_put_extra_header(nlh, 4);
	assert_int_equal(aifab_nl_parse_err(nlh, &error, &msg, &offs),
			 -EBADMSG);

	/* A positive errno. */
	dg.len = 0;
	dg_error(&dg, EINVAL, NULL, 0);
	nlh = (struct nlmsghdr *)dg.buf;
	assert_int_equal(aifab_nl_parse_err(nlh, &error, &msg, &offs),
			 -EBADMSG);

	/* An extack message that is not a string. */
	dg.len = 0;
	nlh = dg_msg(&dg, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -EINVAL;
	mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, 3, "abc");
	assert_int_equal(aifab_nl_parse_err(nlh, &error, &msg, &offs),
			 -EBADMSG);
}

static void test_parse_done(void **state)
{
	struct dgram dg = DGRAM;
	struct nlmsghdr *nlh;
	const char *msg;
	uint32_t offs;
	int error = 1;

	(void)state;
	dg_done(&dg, 0);
	nlh = (struct nlmsghdr *)dg.buf;
	assert_int_equal(aifab_nl_parse_err(nlh, &error, &msg, &offs), 0);
	assert_int_equal(error, 0);

	/* A dump that failed part way: the status, then extack. */
	dg.len = 0;
	nlh = dg_msg(&dg, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, 0);
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = -ENOBUFS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "dump failed");
	assert_int_equal(aifab_nl_parse_err(nlh, &error, &msg, &offs), 0);
	assert_int_equal(error, -ENOBUFS);
	assert_string_equal(msg, "dump failed");

	/* An old kernel's DONE without a status. */
	nlh = mnl_nlmsg_put_header(dg.buf);
	nlh->nlmsg_type = NLMSG_DONE;
	assert_int_equal(aifab_nl_parse_err(nlh, &error, &msg, &offs), 0);
	assert_int_equal(error, 0);
}

/* A dump over two datagrams is handed over whole, in order, once done. */
static void test_batch_dump(void **state)
{
	static const char *const want[] = { "accel0", "accel1", "efa0", NULL };
	struct aifab_nl *nl = *state;
	struct names names = { want, 0 };
	struct dgram dg = dg_recv(nl);

	dg_data(&dg, "accel0");
	dg_data(&dg, "accel1");
	assert_int_equal(nl_batch(nl, dg.len), MNL_CB_OK);
	dg = dg_recv(nl);
	dg_data(&dg, "efa0");
	dg_done(&dg, 0);
	assert_int_equal(nl_batch(nl, dg.len), MNL_CB_STOP);
	assert_int_equal(nl_replay(nl, check_names, &names), 0);
	assert_int_equal(names.n, 3);
}

/* An interrupted dump is read to its end, then reported for a retry. */
static void test_batch_dump_intr(void **state)
{
	struct aifab_nl *nl = *state;
	struct dgram dg = dg_recv(nl);
	struct nlmsghdr *nlh;

	dg_data(&dg, "accel0");
	nlh = (struct nlmsghdr *)dg.buf;
	nlh->nlmsg_flags |= NLM_F_DUMP_INTR;
	dg_data(&dg, "accel1");
	assert_int_equal(nl_batch(nl, dg.len), MNL_CB_OK);
	assert_true(nl->intr);
	/* Nothing of an interrupted dump is kept. */
	assert_int_equal(nl->msgs.len, 0);
	dg = dg_recv(nl);
	dg_data(&dg, "efa0");
	dg_done(&dg, 0);
	assert_int_equal(nl_batch(nl, dg.len), NL_DUMP_INTR);

	/* The kernel may flag only the final NLMSG_DONE. */
	nl->intr = false;
	dg = dg_recv(nl);
	dg_data(&dg, "accel0");
	dg_done(&dg, NLM_F_DUMP_INTR);
	assert_int_equal(nl_batch(nl, dg.len), NL_DUMP_INTR);
}

/* The kernel's message and the argument its extack offset points at. */
static void test_batch_error(void **state)
{
	struct aifab_nl *nl = *state;
	struct aifab_nl_req req;
	struct dgram dg;
	struct nlmsghdr *nlh;
	const struct nlattr *attr;
	uint32_t offs;

	aifab_nl_req_init(&req, AIFAB_CMD_PARTITION_NEW, false);
	aifab_nl_req_str(&req, AIFAB_A_PARTITION_NAME, "p1");
	aifab_nl_req_str(&req, AIFAB_A_PARTITION_TENANT, "t1");
	aifab_nl_req_str(&req, AIFAB_A_PARTITION_DEV, "accel0");
	aifab_nl_req_str(&req, AIFAB_A_PARTITION_DEV, "accel9");
	nlh = aifab_nl_req_build(&req, FAMILY, SEQ, nl->tx, NL_TX_SIZE);
	assert_non_null(nlh);
	nl->sent = nl->tx;
	attr = attr_at(nlh, 3);
	assert_non_null(attr);
	offs = (const char *)attr - nl->tx;

	dg = dg_recv(nl);
	dg_error(&dg, -ENODEV, "device not found", offs);
	assert_int_equal(nl_batch(nl, dg.len), -ENODEV);
	assert_string_equal(aifab_nl_errmsg(nl), "device not found");
	assert_int_equal(aifab_nl_err_attr(nl), 3);
	assert_int_equal(aifab_nl_err_offs(nl), offs);

	/* An offset that is not an attribute's start points at nothing. */
	nl_clear_err(nl);
	dg = dg_recv(nl);
	dg_error(&dg, -EINVAL, NULL, offs + 1);
	assert_int_equal(nl_batch(nl, dg.len), -EINVAL);
	assert_null(aifab_nl_errmsg(nl));
	assert_int_equal(aifab_nl_err_attr(nl), -1);
}

/* A doit's reply, then the ACK; stale or foreign messages are refused. */
static void test_batch_doit(void **state)
{
	static const char *const want[] = { "accel2", NULL };
	struct aifab_nl *nl = *state;
	struct names names = { want, 0 };
	struct dgram dg = dg_recv(nl);
	struct nlmsghdr *nlh;

	dg_data(&dg, "accel2");
	dg_error(&dg, 0, NULL, 0);
	assert_int_equal(nl_batch(nl, dg.len), MNL_CB_STOP);
	assert_int_equal(nl_replay(nl, check_names, &names), 0);
	assert_int_equal(names.n, 1);

	nl->msgs.len = 0;
	dg = dg_recv(nl);
	dg_data(&dg, "accel2");
	nlh = (struct nlmsghdr *)dg.buf;
	nlh->nlmsg_seq = SEQ - 1;
	assert_int_equal(nl_batch(nl, dg.len), -EPROTO);

	dg = dg_recv(nl);
	dg_data(&dg, "accel2");
	nlh = (struct nlmsghdr *)dg.buf;
	nlh->nlmsg_type = FAMILY + 1;
	dg_error(&dg, 0, NULL, 0);
	assert_int_equal(nl_batch(nl, dg.len), MNL_CB_STOP);
	assert_int_equal(nl_replay(nl, check_names, &names), -EBADMSG);
}

/* A reply the caller finds malformed stops the replay with its error. */
static void test_replay_error(void **state)
{
	static const char *const want[] = { NULL };
	struct aifab_nl *nl = *state;
	struct names names = { want, 0 };
	struct dgram dg = dg_recv(nl);
	struct nlmsghdr *nlh;

	nlh = dg_msg(&dg, FAMILY, NLM_F_MULTI, AIFAB_CMD_DEV_GET);
	mnl_attr_put(nlh, AIFAB_A_DEV_NAME, 4, "abcd");
	dg_end(&dg, nlh);
	dg_done(&dg, 0);
	assert_int_equal(nl_batch(nl, dg.len), MNL_CB_STOP);
	assert_int_equal(nl_replay(nl, check_names, &names), -EBADMSG);
	assert_int_equal(names.n, 0);
}

static void test_open_strerror(void **state)
{
	(void)state;
	assert_string_equal(aifab_nl_open_strerror(-ENOENT),
			    "the aifab kernel module is not loaded");
	assert_string_equal(aifab_nl_open_strerror(-EPERM), strerror(EPERM));
}

static int count_msgs(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(int *)data)++;
	return 0;
}

/*
 * The host kernel's nlctrl, addressed with this client's own machinery;
 * NULL where that is not possible, and the test skips.
 */
static struct aifab_nl *nlctrl_client(void)
{
	struct aifab_nl *nl = NULL;

	if (setup((void **)&nl))
		return NULL;
	if (nl_socket_setup(nl)) {
		aifab_nl_close(nl);
		return NULL;
	}
	nl->family = GENL_ID_CTRL;
	return nl;
}

static void test_kernel_nlctrl(void **state)
{
	static struct aifab_nl_req req;
	struct aifab_nl *nl = nlctrl_client();
	int n = 0;

	(void)state;
	if (!nl)
		skip();
	aifab_nl_req_init(&req, CTRL_CMD_GETFAMILY, true);
	assert_int_equal(aifab_nl_exec(nl, &req, count_msgs, &n), 0);
	assert_true(n >= 1);

	n = 0;
	aifab_nl_req_init(&req, CTRL_CMD_GETFAMILY, false);
	aifab_nl_req_str(&req, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	assert_int_equal(aifab_nl_exec(nl, &req, count_msgs, &n), 0);
	assert_int_equal(n, 1);

	/* A name too long for nlctrl's policy: extack names the attribute. */
	aifab_nl_req_init(&req, CTRL_CMD_GETFAMILY, false);
	aifab_nl_req_u32(&req, CTRL_ATTR_FAMILY_ID, 0);
	aifab_nl_req_str(&req, CTRL_ATTR_FAMILY_NAME,
			 "a-family-name-longer-than-genl-allows");
	assert_int_not_equal(aifab_nl_exec(nl, &req, count_msgs, &n), 0);
	if (aifab_nl_errmsg(nl))
		assert_int_equal(aifab_nl_err_attr(nl), 1);
	aifab_nl_close(nl);
}

/*
 * A request larger than the default send buffer reaches nlctrl whole: the
 * client raises the buffer first. nlctrl ignores the attributes it does not
 * know, so the answer is the family asked for. Without CAP_NET_ADMIN the
 * buffer may not grow past net.core.wmem_max; then the client says so
 * instead of sending.
 */
static void test_kernel_big_msg(void **state)
{
	static char junk[60000];
	struct aifab_nl *nl = nlctrl_client();
	struct aifab_nl_msg m;
	socklen_t len = sizeof(int);
	int sndbuf = 0;
	size_t i;
	int n = 0;
	int ret;

	(void)state;
	if (!nl)
		skip();
	for (i = 0; i < sizeof(junk) - 1; i++)
		junk[i] = 'j';
	assert_int_equal(aifab_nl_msg_init(&m, CTRL_CMD_GETFAMILY), 0);
	aifab_nl_msg_put_str(&m, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	for (i = 0; i < 8; i++)
		aifab_nl_msg_put_str(&m, CTRL_ATTR_MAX + 1, junk);
	assert_int_equal(m.err, 0);
	assert_true(aifab_nl_msg_hdr(&m)->nlmsg_len > 450000);
	ret = aifab_nl_exec_msg(nl, &m, count_msgs, &n);
	getsockopt(aifab_nl_fd(nl), SOL_SOCKET, SO_SNDBUF, &sndbuf, &len);
	if (ret == -EMSGSIZE && geteuid()) {
		assert_non_null(aifab_nl_errmsg(nl));
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(n, 1);
		assert_true(sndbuf > 450000);
	}
	aifab_nl_msg_free(&m);
	aifab_nl_close(nl);
}

/* Without the module, opening says so. */
static void test_kernel_open(void **state)
{
	struct aifab_nl *nl;
	int ret;

	(void)state;
	ret = aifab_nl_open(&nl);
	if (ret == -EPERM || ret == -EAFNOSUPPORT || ret == -EPROTONOSUPPORT)
		skip();
	/* With the module loaded, the selftests in the VM cover this. */
	if (!access("/sys/module/aifab", F_OK)) {
		aifab_nl_close(nl);
		skip();
	}
	assert_int_equal(ret, -ENOENT);
	assert_null(nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_req_build),
		cmocka_unit_test(test_req_limits),
		cmocka_unit_test(test_msg_build),
		cmocka_unit_test(test_msg_grow),
		cmocka_unit_test(test_msg_errors),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_nested),
		cmocka_unit_test(test_parse_err),
		cmocka_unit_test(test_parse_err_uncapped),
		cmocka_unit_test(test_parse_err_malformed),
		cmocka_unit_test(test_parse_done),
		cmocka_unit_test_setup_teardown(test_batch_dump, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_batch_dump_intr, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_batch_error, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_batch_doit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_replay_error, setup,
						teardown),
		cmocka_unit_test(test_open_strerror),
		cmocka_unit_test(test_kernel_nlctrl),
		cmocka_unit_test(test_kernel_big_msg),
		cmocka_unit_test(test_kernel_open),
	};

	return cmocka_run_group_tests_name("nl", tests, NULL, NULL);
}
