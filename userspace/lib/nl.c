// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink client for the aifab family; see nl.h for the contract.
 *
 * One request is in flight at a time. Its replies are received straight
 * into a growing buffer and handed to the caller only once the kernel has
 * said the request is complete (an ACK or NLMSG_DONE), so that a dump the
 * kernel marks inconsistent can be thrown away and retried unseen. The
 * buffer is kept until the next request, so callers may keep pointers into
 * the replies (and the extack message) until then.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/aifab.h>

#include "nl.h"
#include "str.h"

/* Requests are small: a few names, at most AIFAB_NL_REQ_MAX_ATTRS of them. */
#define NL_TX_SIZE	16384
/* The kernel never sends a datagram larger than 32 KiB to a reader. */
#define NL_RX_SIZE	32768

/* Internal result: the dump was marked inconsistent and must be redone. */
#define NL_DUMP_INTR	2

/* Where a built message starts: enough for a few names without growing. */
#define NL_MSG_MIN	4096
/* Far above any fabric the module accepts; keeps the arithmetic in an int. */
#define NL_MSG_MAX	(64U << 20)
/* What netlink_sendmsg() keeps back from the send buffer for itself. */
#define NL_SNDBUF_OVERHEAD	32

/* Datagrams received for the request in flight, end to end, 4-byte aligned. */
struct nl_msgs {
	char *buf;
	size_t len;
	size_t cap;
};

struct aifab_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint32_t monitor_grp;		/* 0 when the family has no such group */
	char *tx;			/* where descriptions are built */
	const char *sent;		/* the request last sent, for extack offsets */
	struct nl_msgs msgs;
	bool intr;			/* the dump in flight was interrupted */
	int cb_err;			/* why a libmnl callback stopped the run */
	int err_attr;			/* request attribute extack pointed at */
	uint32_t err_offs;		/* extack's offset into the request, or 0 */
	const char *errmsg;		/* in msgs, or static; NULL if none */
};

/**
 * aifab_nl_req_init() - Start a request description.
 * @req: Request to fill.
 * @cmd: &enum aifab_cmd.
 * @dump: true for a dump (NLM_F_DUMP), false for a doit that is ACKed.
 */
void aifab_nl_req_init(struct aifab_nl_req *req, uint8_t cmd, bool dump)
{
	req->cmd = cmd;
	req->dump = dump;
	req->nattrs = 0;
}

/**
 * aifab_nl_req_new() - Allocate and start a request description.
 * @cmd: &enum aifab_cmd.
 * @dump: As for aifab_nl_req_init().
 *
 * A description is too large for the stack of a small helper.
 *
 * Return: The request, to free(), or NULL without memory.
 */
struct aifab_nl_req *aifab_nl_req_new(uint8_t cmd, bool dump)
{
	struct aifab_nl_req *req = malloc(sizeof(*req));

	if (req)
		aifab_nl_req_init(req, cmd, dump);
	return req;
}

/**
 * nl_req_add() - Reserve the next attribute slot of a request.
 * @req: Request.
 * @type: Attribute type.
 * @kind: Payload kind.
 *
 * Return: The slot, or NULL if the request is full.
 */
static struct aifab_nl_attr *nl_req_add(struct aifab_nl_req *req,
					uint16_t type,
					enum aifab_nl_attr_kind kind)
{
	struct aifab_nl_attr *a;

	if (req->nattrs == AIFAB_NL_REQ_MAX_ATTRS)
		return NULL;
	a = &req->attrs[req->nattrs++];
	a->type = type;
	a->kind = kind;
	a->str = NULL;
	a->u32 = 0;
	return a;
}

/**
 * aifab_nl_req_str() - Add a string attribute to a request.
 * @req: Request.
 * @type: Attribute type.
 * @s: The string; borrowed, so it must outlive the request.
 *
 * Return: 0, or -E2BIG if the request already has AIFAB_NL_REQ_MAX_ATTRS.
 */
int aifab_nl_req_str(struct aifab_nl_req *req, uint16_t type, const char *s)
{
	struct aifab_nl_attr *a = nl_req_add(req, type, AIFAB_NL_STR);

	if (!a)
		return -E2BIG;
	a->str = s;
	return 0;
}

/**
 * aifab_nl_req_u32() - Add a u32 attribute to a request.
 * @req: Request.
 * @type: Attribute type.
 * @v: The value.
 *
 * Return: 0, or -E2BIG if the request is full.
 */
int aifab_nl_req_u32(struct aifab_nl_req *req, uint16_t type, uint32_t v)
{
	struct aifab_nl_attr *a = nl_req_add(req, type, AIFAB_NL_U32);

	if (!a)
		return -E2BIG;
	a->u32 = v;
	return 0;
}

/**
 * aifab_nl_req_build() - Turn a request description into a message.
 * @req: Request.
 * @family: Generic netlink family id.
 * @seq: Sequence number.
 * @buf: Where to build the message.
 * @len: Size of @buf.
 *
 * Attributes are written in the order they were added; the sender relies
 * on that to map an extack offset back to an attribute.
 *
 * Return: The message in @buf, or NULL if it does not fit.
 */
struct nlmsghdr *aifab_nl_req_build(const struct aifab_nl_req *req,
				    uint16_t family, uint32_t seq,
				    void *buf, size_t len)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	unsigned int i;
	bool ok = true;

	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*genl)))
		return NULL;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | (req->dump ? NLM_F_DUMP : NLM_F_ACK);
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = req->cmd;
	genl->version = AIFAB_FAMILY_VERSION;

	for (i = 0; ok && i < req->nattrs; i++) {
		const struct aifab_nl_attr *a = &req->attrs[i];

		if (a->kind == AIFAB_NL_STR)
			ok = mnl_attr_put_strz_check(nlh, len, a->type, a->str);
		else
			ok = mnl_attr_put_u32_check(nlh, len, a->type, a->u32);
	}
	return ok ? nlh : NULL;
}

/**
 * aifab_nl_msg_init() - Start a request built as a message.
 * @m: Message to start; release it with aifab_nl_msg_free().
 * @cmd: &enum aifab_cmd. The request is a doit, ACKed; the family and the
 *       sequence number are filled in when it is sent.
 *
 * Return: 0, or -ENOMEM (which also sticks in @m).
 */
int aifab_nl_msg_init(struct aifab_nl_msg *m, uint8_t cmd)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	/* Zeroed, so that no byte sent is uninitialised. */
	m->buf = calloc(1, NL_MSG_MIN);
	m->cap = m->buf ? NL_MSG_MIN : 0;
	m->err = m->buf ? 0 : -ENOMEM;
	if (m->err)
		return m->err;
	nlh = mnl_nlmsg_put_header(m->buf);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = AIFAB_FAMILY_VERSION;
	return 0;
}

/**
 * aifab_nl_msg_free() - Release a built message.
 * @m: Message; may be one whose init failed.
 */
void aifab_nl_msg_free(struct aifab_nl_msg *m)
{
	free(m->buf);
	m->buf = NULL;
	m->cap = 0;
}

/**
 * aifab_nl_msg_hdr() - The message built so far.
 * @m: Message.
 *
 * Return: Its header, valid until the next attribute is added, or NULL if
 * its init failed.
 */
const struct nlmsghdr *aifab_nl_msg_hdr(const struct aifab_nl_msg *m)
{
	return (const struct nlmsghdr *)m->buf;
}

/**
 * nl_msg_reserve() - Make room for @need more bytes at the end of a message.
 * @m: Message.
 * @need: Bytes, padding included.
 *
 * Return: 0, or the error that now sticks in @m: -ENOMEM, or -EMSGSIZE
 * past NL_MSG_MAX.
 */
static int nl_msg_reserve(struct aifab_nl_msg *m, size_t need)
{
	size_t len;
	size_t cap;
	char *buf;

	if (m->err)
		return m->err;
	len = aifab_nl_msg_hdr(m)->nlmsg_len;
	if (need > NL_MSG_MAX - len) {
		m->err = -EMSGSIZE;
		return m->err;
	}
	if (m->cap - len >= need)
		return 0;
	for (cap = m->cap; cap - len < need; cap *= 2)
		;
	buf = realloc(m->buf, cap);
	if (!buf) {
		m->err = -ENOMEM;
		return m->err;
	}
	m->buf = buf;
	m->cap = cap;
	return 0;
}

static int nl_msg_put(struct aifab_nl_msg *m, uint16_t type, size_t len,
		      const void *data)
{
	int ret;

	/* nla_len is 16 bits. */
	if (!m->err && len > UINT16_MAX - MNL_ATTR_HDRLEN)
		m->err = -EMSGSIZE;
	ret = nl_msg_reserve(m, MNL_ATTR_HDRLEN + MNL_ALIGN(len));
	if (ret)
		return ret;
	mnl_attr_put((struct nlmsghdr *)m->buf, type, len, data);
	return 0;
}

/**
 * aifab_nl_msg_put_str() - Add a NUL-terminated string attribute.
 * @m: Message.
 * @type: Attribute type.
 * @s: The string; copied.
 *
 * Return: 0, or the error that sticks in @m.
 */
int aifab_nl_msg_put_str(struct aifab_nl_msg *m, uint16_t type,
			 const char *s)
{
	return nl_msg_put(m, type, strlen(s) + 1, s);
}

/**
 * aifab_nl_msg_put_u8() - Add a u8 attribute.
 * @m: Message.
 * @type: Attribute type.
 * @v: The value.
 *
 * Return: 0, or the error that sticks in @m.
 */
int aifab_nl_msg_put_u8(struct aifab_nl_msg *m, uint16_t type, uint8_t v)
{
	return nl_msg_put(m, type, sizeof(v), &v);
}

/**
 * aifab_nl_msg_put_u32() - Add a u32 attribute.
 * @m: Message.
 * @type: Attribute type.
 * @v: The value.
 *
 * Return: 0, or the error that sticks in @m.
 */
int aifab_nl_msg_put_u32(struct aifab_nl_msg *m, uint16_t type, uint32_t v)
{
	return nl_msg_put(m, type, sizeof(v), &v);
}

/**
 * aifab_nl_msg_put_u64() - Add a u64 attribute.
 * @m: Message.
 * @type: Attribute type.
 * @v: The value.
 *
 * Unlike the kernel's nla_put_64bit(), no pad attribute is added to align
 * the value: the kernel reads u64 attributes with nla_get_u64(), which
 * copies, and its strict validation would refuse a pad it did not expect.
 *
 * Return: 0, or the error that sticks in @m.
 */
int aifab_nl_msg_put_u64(struct aifab_nl_msg *m, uint16_t type, uint64_t v)
{
	return nl_msg_put(m, type, sizeof(v), &v);
}

/**
 * aifab_nl_msg_nest_start() - Open a nest.
 * @m: Message.
 * @type: Attribute type of the nest.
 *
 * Return: The nest's offset in the message, for aifab_nl_msg_nest_end(); 0
 * (never an attribute's offset) if the error that sticks in @m is set.
 */
size_t aifab_nl_msg_nest_start(struct aifab_nl_msg *m, uint16_t type)
{
	struct nlattr *nest;

	if (nl_msg_reserve(m, MNL_ATTR_HDRLEN))
		return 0;
	nest = mnl_attr_nest_start((struct nlmsghdr *)m->buf, type);
	return (char *)nest - m->buf;
}

/**
 * aifab_nl_msg_nest_end() - Close the nest opened at @nest.
 * @m: Message.
 * @nest: What aifab_nl_msg_nest_start() returned.
 *
 * Return: 0, or the error that sticks in @m: -EMSGSIZE if the nest is too
 * long for its 16-bit length, -EINVAL if @nest is not a nest of @m.
 */
int aifab_nl_msg_nest_end(struct aifab_nl_msg *m, size_t nest)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;

	if (m->err)
		return m->err;
	if (nest < MNL_NLMSG_HDRLEN || nest > nlh->nlmsg_len - MNL_ATTR_HDRLEN)
		m->err = -EINVAL;
	else if (nlh->nlmsg_len - nest > UINT16_MAX)
		m->err = -EMSGSIZE;
	else
		mnl_attr_nest_end(nlh, (struct nlattr *)(m->buf + nest));
	return m->err;
}

/**
 * aifab_nl_msg_attr_index() - Find the top-level attribute around an offset.
 * @m: Message, as sent.
 * @offs: Offset from the start of the message, such as an extack offset,
 *        which may point inside a nest.
 *
 * Return: The index of the top-level attribute that holds @offs, in the
 * order they were added, or -1.
 */
int aifab_nl_msg_attr_index(const struct aifab_nl_msg *m, uint32_t offs)
{
	const struct nlmsghdr *nlh = aifab_nl_msg_hdr(m);
	const struct nlattr *attr;
	int i = 0;

	if (!nlh)
		return -1;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		size_t start = (const char *)attr - m->buf;

		if (offs >= start && offs < start + attr->nla_len)
			return i;
		i++;
	}
	return -1;
}

struct nl_parse_ctx {
	const struct aifab_nl_policy *policy;
	unsigned int max;
	const struct nlattr **tb;
};

/*
 * Attributes the policy does not know are skipped rather than refused: a
 * newer kernel may send more than this tool understands.
 */
static int nl_parse_attr(const struct nlattr *attr, void *data)
{
	const struct nl_parse_ctx *ctx = data;
	uint16_t type = mnl_attr_get_type(attr);
	enum mnl_attr_data_type dt;

	if (type > ctx->max)
		return MNL_CB_OK;
	dt = ctx->policy[type].type;
	if (dt == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, dt) < 0)
		return MNL_CB_ERROR;
	ctx->tb[type] = attr;
	return MNL_CB_OK;
}

static void nl_parse_clear(const struct nl_parse_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i <= ctx->max; i++)
		ctx->tb[i] = NULL;
}

/**
 * nl_parse_check() - Finish a parse: check the result and required attributes.
 * @ret: What mnl_attr_parse() or mnl_attr_parse_nested() returned.
 * @ctx: The parse context.
 *
 * Return: 0, or -EBADMSG if an attribute was malformed or a required one
 * is missing.
 */
static int nl_parse_check(int ret, const struct nl_parse_ctx *ctx)
{
	unsigned int i;

	if (ret < 0)
		return -EBADMSG;
	for (i = 1; i <= ctx->max; i++)
		if (ctx->policy[i].required && !ctx->tb[i])
			return -EBADMSG;
	return 0;
}

/**
 * aifab_nl_parse() - Validate a generic netlink message's attributes.
 * @nlh: The message.
 * @policy: Policy of the attribute set, @max + 1 entries.
 * @max: Highest attribute type of the set.
 * @tb: Filled with the last attribute of each type, NULL when absent;
 *      @max + 1 entries.
 *
 * Repeated attributes are validated one by one; @tb keeps only the last, so
 * callers walk them with mnl_attr_for_each() after a successful parse.
 *
 * Return: 0, or -EBADMSG if the message is too short for a genl header, an
 * attribute has the wrong type or length, or a required one is missing.
 */
int aifab_nl_parse(const struct nlmsghdr *nlh,
		   const struct aifab_nl_policy *policy, unsigned int max,
		   const struct nlattr **tb)
{
	struct nl_parse_ctx ctx = { policy, max, tb };

	nl_parse_clear(&ctx);
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -EBADMSG;
	return nl_parse_check(mnl_attr_parse(nlh, sizeof(struct genlmsghdr),
					     nl_parse_attr, &ctx), &ctx);
}

/**
 * aifab_nl_parse_nested() - Validate the attributes inside a nest.
 * @nest: The nest, already validated as MNL_TYPE_NESTED.
 * @policy: Policy of the nested set, @max + 1 entries.
 * @max: Highest attribute type of the set.
 * @tb: As for aifab_nl_parse().
 *
 * Return: As aifab_nl_parse().
 */
int aifab_nl_parse_nested(const struct nlattr *nest,
			  const struct aifab_nl_policy *policy,
			  unsigned int max, const struct nlattr **tb)
{
	struct nl_parse_ctx ctx = { policy, max, tb };

	nl_parse_clear(&ctx);
	return nl_parse_check(mnl_attr_parse_nested(nest, nl_parse_attr, &ctx),
			      &ctx);
}

static const struct aifab_nl_policy nl_extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG] = { MNL_TYPE_NUL_STRING, false },
	[NLMSGERR_ATTR_OFFS] = { MNL_TYPE_U32, false },
};

/**
 * nl_extack_offset() - Where the extack TLVs of an error message start.
 * @nlh: NLMSG_ERROR message, at least as long as struct nlmsgerr.
 * @e: Its payload.
 *
 * The kernel echoes the whole request unless NETLINK_CAP_ACK capped it to
 * its header; the TLVs follow the echo.
 *
 * Return: Offset of the TLVs from the start of the payload, or 0 if the
 * message is too short to hold the echo it claims.
 */
static size_t nl_extack_offset(const struct nlmsghdr *nlh,
			       const struct nlmsgerr *e)
{
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(e->msg))
			return 0;
		off += MNL_ALIGN(e->msg.nlmsg_len - sizeof(e->msg));
	}
	return off <= mnl_nlmsg_get_payload_len(nlh) ? off : 0;
}

/**
 * nl_extack_parse() - Read the extack message and offset TLVs.
 * @nlh: NLMSG_ERROR or NLMSG_DONE message.
 * @off: Offset of the TLVs from the start of the payload.
 * @msg: Set to the message, inside @nlh, or NULL.
 * @offs: Filled with the offset of the bad attribute in the request, or 0.
 *
 * Return: 0, or -EBADMSG if the TLVs are malformed.
 */
static int nl_extack_parse(const struct nlmsghdr *nlh, size_t off,
			   const char **msg, uint32_t *offs)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	struct nl_parse_ctx ctx = { nl_extack_policy, NLMSGERR_ATTR_MAX, tb };

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	if (nl_parse_check(mnl_attr_parse(nlh, off, nl_parse_attr, &ctx),
			   &ctx))
		return -EBADMSG;
	if (tb[NLMSGERR_ATTR_MSG])
		*msg = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
	if (tb[NLMSGERR_ATTR_OFFS])
		*offs = mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	return 0;
}

/**
 * aifab_nl_copy_name() - Copy an object name out of a reply.
 * @dst: Buffer of AIFAB_NAME_MAX bytes.
 * @attr: Validated NUL string attribute.
 *
 * For replies whose names outlive the next request.
 *
 * Return: 0, or -EBADMSG for a name the UAPI does not allow.
 */
int aifab_nl_copy_name(char *dst, const struct nlattr *attr)
{
	if (aifab_strscpy(dst, mnl_attr_get_str(attr), AIFAB_NAME_MAX) <= 0)
		return -EBADMSG;
	return 0;
}

/**
 * aifab_nl_parse_err() - Read an error ACK or the status of a dump's end.
 * @nlh: An NLMSG_ERROR or NLMSG_DONE message.
 * @error: Filled with 0 for success, else a negative errno value.
 * @msg: Set to the kernel's extack message, which lives in @nlh, or NULL.
 * @offs: Filled with the extack offset of the bad attribute, or 0.
 *
 * Return: 0, or -EBADMSG if the message is malformed (then @error is not
 * meaningful).
 */
int aifab_nl_parse_err(const struct nlmsghdr *nlh, int *error,
		       const char **msg, uint32_t *offs)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	size_t off;

	*msg = NULL;
	*offs = 0;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A dump that ended cleanly may carry no status at all. */
		if (len < sizeof(int)) {
			*error = 0;
			return 0;
		}
		/* Payloads are 4-byte aligned, so the int can be read in place. */
		*error = *(const int *)mnl_nlmsg_get_payload(nlh);
		off = sizeof(int);
	} else {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_type != NLMSG_ERROR || len < sizeof(*e))
			return -EBADMSG;
		*error = e->error;
		off = nl_extack_offset(nlh, e);
		if (!off)
			return -EBADMSG;
	}
	/* errno values are positive; the kernel sends them negated. */
	if (*error > 0)
		return -EBADMSG;
	if (!*error)
		return 0;
	return nl_extack_parse(nlh, off, msg, offs);
}

/**
 * nl_find_attr() - Map an extack offset back to a request attribute.
 * @nl: Client; nl->sent is the request the error is about.
 * @offs: Offset from the start of that request.
 *
 * Return: The index of the attribute in the request description, or -1.
 */
static int nl_find_attr(const struct aifab_nl *nl, uint32_t offs)
{
	const struct nlmsghdr *req = (const struct nlmsghdr *)nl->sent;
	const struct nlattr *attr;
	int i = 0;

	if (!offs || !req)
		return -1;
	mnl_attr_for_each(attr, req, sizeof(struct genlmsghdr)) {
		if ((const char *)attr - nl->sent == offs)
			return i;
		i++;
	}
	return -1;
}

/**
 * nl_cb_status() - libmnl callback for NLMSG_ERROR and NLMSG_DONE.
 * @nlh: The message.
 * @data: The client.
 *
 * Return: MNL_CB_STOP when the request is complete, MNL_CB_ERROR with
 * @nl->cb_err set when it failed.
 */
static int nl_cb_status(const struct nlmsghdr *nlh, void *data)
{
	struct aifab_nl *nl = data;
	uint32_t offs;
	int error;
	int ret;

	ret = aifab_nl_parse_err(nlh, &error, &nl->errmsg, &offs);
	if (ret)
		error = ret;
	if (!error)
		return MNL_CB_STOP;
	nl->cb_err = error;
	nl->err_offs = offs;
	nl->err_attr = nl_find_attr(nl, offs);
	return MNL_CB_ERROR;
}

/**
 * nl_msgs_reserve() - Make room to receive one more datagram.
 * @m: The reply buffer.
 *
 * Return: 0, or -ENOMEM.
 */
static int nl_msgs_reserve(struct nl_msgs *m)
{
	size_t need = NL_RX_SIZE + MNL_ALIGNTO;
	size_t cap = m->cap ? m->cap : 2 * need;
	char *buf;

	if (m->cap - m->len >= need)
		return 0;
	while (cap - m->len < need)
		cap *= 2;
	buf = realloc(m->buf, cap);
	if (!buf)
		return -ENOMEM;
	m->buf = buf;
	m->cap = cap;
	return 0;
}

/**
 * nl_recv() - Receive one datagram at the end of the reply buffer.
 * @nl: Client.
 *
 * The datagram stays past nl->msgs.len until nl_batch() keeps it.
 *
 * Return: Its length, or a negative errno value.
 */
static ssize_t nl_recv(struct aifab_nl *nl)
{
	ssize_t n;
	int ret = nl_msgs_reserve(&nl->msgs);

	if (ret)
		return ret;
	n = mnl_socket_recvfrom(nl->sock, nl->msgs.buf + nl->msgs.len,
				NL_RX_SIZE);
	return n < 0 ? -errno : n;
}

/**
 * nl_batch_scan() - Look through one datagram before processing it.
 * @buf: The datagram.
 * @n: Its length.
 * @seq: Sequence number of the request in flight.
 * @intr: Set to true if a message of the request says NLM_F_DUMP_INTR.
 *
 * libmnl stops at the first interrupted message, which would leave the rest
 * of the dump in the socket; scanning first lets the caller read to the end
 * of the dump and then retry it on a clean socket.
 *
 * Return: true if the datagram ends the request (NLMSG_DONE or NLMSG_ERROR).
 */
static bool nl_batch_scan(const void *buf, size_t n, uint32_t seq, bool *intr)
{
	const struct nlmsghdr *nlh = buf;
	int len = n;
	bool end = false;

	while (mnl_nlmsg_ok(nlh, len)) {
		if (nlh->nlmsg_seq == seq) {
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = true;
			if (nlh->nlmsg_type == NLMSG_DONE ||
			    nlh->nlmsg_type == NLMSG_ERROR)
				end = true;
		}
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	return end;
}

/**
 * nl_batch() - Process the datagram just received for the request in flight.
 * @nl: Client.
 * @n: Length of the datagram, which nl_recv() put at nl->msgs.len.
 *
 * The datagram is kept, control messages and all, for nl_replay(); the
 * datagrams of an interrupted dump are not, since it will be redone.
 *
 * Return: MNL_CB_OK if more is to come, MNL_CB_STOP when the request is
 * complete, NL_DUMP_INTR when an interrupted dump has ended, or a negative
 * errno value.
 */
static int nl_batch(struct aifab_nl *nl, size_t n)
{
	static mnl_cb_t ctl_cb[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = nl_cb_status,
		[NLMSG_DONE] = nl_cb_status,
	};
	const char *buf = nl->msgs.buf + nl->msgs.len;
	int ret;

	if (nl_batch_scan(buf, n, nl->seq, &nl->intr) && nl->intr)
		return NL_DUMP_INTR;
	if (nl->intr)
		return MNL_CB_OK;
	nl->cb_err = 0;
	/* Data messages are only checked for their origin here. */
	ret = mnl_cb_run2(buf, n, nl->seq, nl->portid, NULL, nl,
			  ctl_cb, MNL_ARRAY_SIZE(ctl_cb));
	if (ret == MNL_CB_ERROR)
		return nl->cb_err ? nl->cb_err : -errno;
	nl->msgs.len += MNL_ALIGN(n);
	return ret;
}

/**
 * nl_replay() - Hand the kept replies to the caller.
 * @nl: Client.
 * @cb: Caller's callback, or NULL.
 * @data: Its argument.
 *
 * Control messages (the ACK, NLMSG_DONE) are skipped; they were handled
 * when they arrived.
 *
 * Return: 0, -EBADMSG for a reply of another family, or the first error
 * @cb returned.
 */
static int nl_replay(struct aifab_nl *nl, aifab_nl_cb_t cb, void *data)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->msgs.buf;
	int len = nl->msgs.len;

	if (!cb || !nlh)
		return 0;
	while (mnl_nlmsg_ok(nlh, len)) {
		if (nlh->nlmsg_type >= NLMSG_MIN_TYPE) {
			int ret = -EBADMSG;

			if (nlh->nlmsg_type == nl->family)
				ret = cb(nlh, data);
			if (ret)
				return ret;
		}
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	return 0;
}

/**
 * nl_transact() - Send a request once and collect every reply.
 * @nl: Client.
 * @nlh: The request, built; it gets the next sequence number.
 *
 * Return: 0, NL_DUMP_INTR, or a negative errno value.
 */
static int nl_transact(struct aifab_nl *nl, struct nlmsghdr *nlh)
{
	int ret;

	nlh->nlmsg_seq = ++nl->seq;
	nl->sent = (const char *)nlh;
	nl->msgs.len = 0;
	nl->intr = false;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		ssize_t n = nl_recv(nl);

		if (n < 0)
			return n;
		ret = nl_batch(nl, n);
	} while (ret == MNL_CB_OK);
	return ret;
}

static void nl_clear_err(struct aifab_nl *nl)
{
	nl->errmsg = NULL;
	nl->err_attr = -1;
	nl->err_offs = 0;
}

/**
 * nl_exec() - Send a built request, retrying an interrupted dump.
 * @nl: Client, its error state cleared.
 * @nlh: The request, of the client's family.
 * @cb: As for aifab_nl_exec().
 * @data: Passed to @cb.
 *
 * Return: As aifab_nl_exec().
 */
static int nl_exec(struct aifab_nl *nl, struct nlmsghdr *nlh,
		   aifab_nl_cb_t cb, void *data)
{
	int tries = 0;
	int ret;

	do {
		ret = nl_transact(nl, nlh);
	} while (ret == NL_DUMP_INTR && ++tries < AIFAB_NL_DUMP_TRIES);
	if (ret == NL_DUMP_INTR) {
		nl->errmsg = "the fabric kept changing during the dump";
		ret = -EAGAIN;
	}
	if (ret >= 0)
		ret = nl_replay(nl, cb, data);
	return ret;
}

/**
 * aifab_nl_exec() - Send a request and pass each reply to a callback.
 * @nl: Client.
 * @req: Request; a doit is sent with NLM_F_ACK, a dump with NLM_F_DUMP.
 * @cb: Called once per reply message, in order, only after the request
 *      completed; NULL to ignore replies. The messages stay valid until
 *      the next request.
 * @data: Passed to @cb.
 *
 * A dump the kernel marks NLM_F_DUMP_INTR is retried from the start, up to
 * AIFAB_NL_DUMP_TRIES times in all, so @cb only sees consistent dumps.
 *
 * Return: 0; the kernel's error (see aifab_nl_errmsg() and
 * aifab_nl_err_attr()); -EAGAIN if every try was interrupted; -EBADMSG for
 * a malformed reply; or the first error @cb returned.
 */
int aifab_nl_exec(struct aifab_nl *nl, const struct aifab_nl_req *req,
		  aifab_nl_cb_t cb, void *data)
{
	struct nlmsghdr *nlh;

	nl_clear_err(nl);
	nlh = aifab_nl_req_build(req, nl->family, 0, nl->tx, NL_TX_SIZE);
	if (!nlh)
		return -EMSGSIZE;
	return nl_exec(nl, nlh, cb, data);
}

/**
 * aifab_nl_dump() - Dump every object of a kind.
 * @nl: Client.
 * @cmd: The GET command.
 * @cb: Called once per reply, as for aifab_nl_exec().
 * @data: Passed to @cb.
 *
 * For callers that combine several whole dumps into one result.
 *
 * Return: As aifab_nl_exec(), or -ENOMEM.
 */
int aifab_nl_dump(struct aifab_nl *nl, uint8_t cmd, aifab_nl_cb_t cb,
		  void *data)
{
	struct aifab_nl_req *req = aifab_nl_req_new(cmd, true);
	int ret;

	if (!req)
		return -ENOMEM;
	ret = aifab_nl_exec(nl, req, cb, data);
	free(req);
	return ret;
}

/**
 * nl_sndbuf_get() - Read a socket's send buffer size.
 * @fd: The socket.
 * @size: Filled with the size, as the kernel accounts it.
 *
 * Return: 0 or a negative errno value.
 */
static int nl_sndbuf_get(int fd, size_t *size)
{
	socklen_t len = sizeof(int);
	int v;

	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, &len))
		return -errno;
	*size = v < 0 ? 0 : v;
	return 0;
}

/**
 * nl_sndbuf() - Make the send buffer big enough for one request.
 * @nl: Client.
 * @len: Length of the request.
 *
 * netlink refuses a datagram larger than the send buffer with EMSGSIZE,
 * and the default (net.core.wmem_default) is about 200 KB. SO_SNDBUF
 * cannot go past net.core.wmem_max; SO_SNDBUFFORCE can, with CAP_NET_ADMIN,
 * which the requests large enough to need it require anyway.
 *
 * Return: 0; -EMSGSIZE, with a message, if the buffer stays too small; or
 * another negative errno value.
 */
static int nl_sndbuf(struct aifab_nl *nl, size_t len)
{
	int fd = mnl_socket_get_fd(nl->sock);
	int want = len + NL_SNDBUF_OVERHEAD;
	size_t size = 0;
	int ret;

	ret = nl_sndbuf_get(fd, &size);
	if (ret || size >= len + NL_SNDBUF_OVERHEAD)
		return ret;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)) &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want)))
		return -errno;
	ret = nl_sndbuf_get(fd, &size);
	if (ret || size >= len + NL_SNDBUF_OVERHEAD)
		return ret;
	nl->errmsg = "the request does not fit in the socket send buffer "
		     "(net.core.wmem_max), and raising it needs CAP_NET_ADMIN";
	return -EMSGSIZE;
}

/**
 * aifab_nl_exec_msg() - Send a built request and pass each reply to a callback.
 * @nl: Client.
 * @m: The request; its header gets the family and a sequence number.
 * @cb: As for aifab_nl_exec().
 * @data: Passed to @cb.
 *
 * The socket's send buffer is raised first if the request needs it.
 *
 * Return: As aifab_nl_exec(), or the error that stuck in @m while it was
 * built. aifab_nl_err_offs() then says where in @m the kernel pointed.
 */
int aifab_nl_exec_msg(struct aifab_nl *nl, struct aifab_nl_msg *m,
		      aifab_nl_cb_t cb, void *data)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	int ret;

	nl_clear_err(nl);
	if (m->err)
		return m->err;
	nlh->nlmsg_type = nl->family;
	ret = nl_sndbuf(nl, nlh->nlmsg_len);
	if (ret)
		return ret;
	return nl_exec(nl, nlh, cb, data);
}

/**
 * aifab_nl_errmsg() - The kernel's extack message for the last failure.
 * @nl: Client.
 *
 * Return: The message, valid until the next request, or NULL if the kernel
 * gave none.
 */
const char *aifab_nl_errmsg(const struct aifab_nl *nl)
{
	return nl->errmsg;
}

/**
 * aifab_nl_err_attr() - The request attribute the last failure was about.
 * @nl: Client.
 *
 * Return: Its index in the request description, or -1 if the kernel did not
 * point at one.
 */
int aifab_nl_err_attr(const struct aifab_nl *nl)
{
	return nl->err_attr;
}

/**
 * aifab_nl_err_offs() - Where in the request the last failure pointed.
 * @nl: Client.
 *
 * For built messages, whose nests aifab_nl_err_attr() cannot look into;
 * see aifab_nl_msg_attr_index().
 *
 * Return: The kernel's extack offset from the start of the request, or 0
 * if it gave none.
 */
uint32_t aifab_nl_err_offs(const struct aifab_nl *nl)
{
	return nl->err_offs;
}

static const struct aifab_nl_policy nl_grp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME] = { MNL_TYPE_NUL_STRING, true },
	[CTRL_ATTR_MCAST_GRP_ID] = { MNL_TYPE_U32, true },
};

static const struct aifab_nl_policy nl_ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { MNL_TYPE_U16, true },
	[CTRL_ATTR_MCAST_GROUPS] = { MNL_TYPE_NESTED, false },
};

/* What nlctrl says about the family. */
struct nl_family {
	bool found;
	uint16_t id;
	uint32_t monitor_grp;
};

/**
 * nl_family_reply() - Read the family id and monitor group from nlctrl.
 * @nlh: CTRL_CMD_NEWFAMILY reply.
 * @data: The struct nl_family to fill.
 *
 * Return: 0, or -EBADMSG.
 */
static int nl_family_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct nlattr *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct nl_family *fam = data;
	const struct nlattr *grp;
	int ret;

	ret = aifab_nl_parse(nlh, nl_ctrl_policy, CTRL_ATTR_MAX, tb);
	if (ret)
		return ret;
	fam->found = true;
	fam->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		ret = aifab_nl_parse_nested(grp, nl_grp_policy,
					    CTRL_ATTR_MCAST_GRP_MAX, gtb);
		if (ret)
			return ret;
		if (!strcmp(mnl_attr_get_str(gtb[CTRL_ATTR_MCAST_GRP_NAME]),
			    AIFAB_MCGRP_MONITOR))
			fam->monitor_grp =
				mnl_attr_get_u32(gtb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

/**
 * nl_resolve() - Ask nlctrl for the aifab family.
 * @nl: Client with an open socket.
 *
 * Return: 0, -ENOENT if the family is not registered, or another error.
 */
static int nl_resolve(struct aifab_nl *nl)
{
	struct nl_family fam = { false, 0, 0 };
	struct aifab_nl_req *req;
	int ret;

	/* Too large for the stack of a small helper; it is used once. */
	req = malloc(sizeof(*req));
	if (!req)
		return -ENOMEM;
	aifab_nl_req_init(req, CTRL_CMD_GETFAMILY, false);
	aifab_nl_req_str(req, CTRL_ATTR_FAMILY_NAME, AIFAB_FAMILY_NAME);
	nl->family = GENL_ID_CTRL;
	ret = aifab_nl_exec(nl, req, nl_family_reply, &fam);
	free(req);
	if (!ret && !fam.found)
		ret = -EBADMSG;
	if (ret)
		return ret;
	nl->family = fam.id;
	nl->monitor_grp = fam.monitor_grp;
	return 0;
}

/**
 * nl_socket_setup() - Open, configure and bind the netlink socket.
 * @nl: Client.
 *
 * Return: 0 or a negative errno value.
 */
static int nl_socket_setup(struct aifab_nl *nl)
{
	int one = 1;

	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		return -errno;
	/*
	 * Extended ACKs carry the kernel's reason for a refusal; capped ACKs
	 * keep it from being pushed out by the echo of a long request. Both
	 * are best effort: without them only the message text is lost.
	 */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	nl->portid = mnl_socket_get_portid(nl->sock);
	return 0;
}

/**
 * aifab_nl_open() - Connect to the aifab generic netlink family.
 * @nlp: Filled with the client, to release with aifab_nl_close().
 *
 * Return: 0; -ENOENT if the family is not registered (the module is not
 * loaded); or another negative errno value. See aifab_nl_open_strerror().
 */
int aifab_nl_open(struct aifab_nl **nlp)
{
	struct aifab_nl *nl;
	int ret = -ENOMEM;

	*nlp = NULL;
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->tx = calloc(1, NL_TX_SIZE);
	/* Distinct runs start at distinct numbers, as replies are matched on it. */
	nl->seq = time(NULL);
	if (nl->tx)
		ret = nl_socket_setup(nl);
	if (!ret)
		ret = nl_resolve(nl);
	if (ret) {
		aifab_nl_close(nl);
		return ret;
	}
	*nlp = nl;
	return 0;
}

/**
 * aifab_nl_close() - Close a client.
 * @nl: Client, or NULL.
 */
void aifab_nl_close(struct aifab_nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->msgs.buf);
	free(nl->tx);
	free(nl);
}

/**
 * aifab_nl_open_strerror() - Describe an error of aifab_nl_open().
 * @err: Negative errno value it returned.
 *
 * Return: A static string.
 */
const char *aifab_nl_open_strerror(int err)
{
	if (err == -ENOENT)
		return "the aifab kernel module is not loaded";
	return strerror(-err);
}

/**
 * aifab_nl_join_monitor() - Subscribe to the "monitor" multicast group.
 * @nl: Client.
 *
 * Return: 0, -ENOENT if the family has no such group, or another error.
 */
int aifab_nl_join_monitor(struct aifab_nl *nl)
{
	int grp = nl->monitor_grp;

	if (!grp)
		return -ENOENT;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0)
		return -errno;
	return 0;
}

/**
 * aifab_nl_fd() - The client's socket, for poll().
 * @nl: Client.
 *
 * Return: A file descriptor.
 */
int aifab_nl_fd(const struct aifab_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

struct nl_event_ctx {
	uint16_t family;
	aifab_nl_cb_t cb;
	void *data;
	int err;
};

static int nl_cb_event(const struct nlmsghdr *nlh, void *data)
{
	struct nl_event_ctx *ctx = data;

	if (nlh->nlmsg_type != ctx->family)
		return MNL_CB_OK;
	ctx->err = ctx->cb(nlh, ctx->data);
	return ctx->err ? MNL_CB_ERROR : MNL_CB_OK;
}

/**
 * aifab_nl_recv_events() - Read one datagram of multicast events.
 * @nl: Client that joined a group.
 * @cb: Called once per event message of the family.
 * @data: Passed to @cb.
 *
 * Events are not replies: there is no sequence number to match and no end
 * to wait for, so they go to @cb as they come.
 *
 * Return: 0; -ENOBUFS if the kernel dropped events because the socket was
 * full (the caller may go on); the first error of @cb; or another error.
 */
int aifab_nl_recv_events(struct aifab_nl *nl, aifab_nl_cb_t cb, void *data)
{
	struct nl_event_ctx ctx = { nl->family, cb, data, 0 };
	ssize_t n;
	int ret;

	/* Events are handled as they come: nothing is kept. */
	nl_clear_err(nl);
	nl->msgs.len = 0;
	n = nl_recv(nl);
	if (n < 0)
		return n;
	ret = mnl_cb_run(nl->msgs.buf, n, 0, 0, nl_cb_event, &ctx);
	if (ret == MNL_CB_ERROR)
		return ctx.err ? ctx.err : -errno;
	return 0;
}
