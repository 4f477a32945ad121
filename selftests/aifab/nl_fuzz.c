// SPDX-License-Identifier: GPL-2.0
/*
 * nl_fuzz: a seeded random fuzzer of the aifab generic netlink family.
 *
 *   nl_fuzz [SEED [COUNT]]     or AIFAB_FUZZ_SEED / AIFAB_FUZZ_COUNT
 *
 * Sends COUNT (default 5000) random requests as root, so that the ones
 * the kernel accepts really change the fabric: real and invalid command
 * ids, random flags (dumps too), random attribute types and lengths,
 * nested garbage, truncated and oversized lengths, and valid-looking
 * requests with names drawn from the default topology and a small pool
 * of partitions. Every reply is drained and checked for framing. Then the
 * module must still be consistent: dumps work, the debugfs counters match
 * them, partition membership agrees both ways, and deleting every
 * partition brings the partition and fence counters back to zero.
 *
 * The seed is printed first, so that a failing run can be replayed.
 */
#define _GNU_SOURCE
#include <time.h>

#include "nl_helpers.h"

#include "kselftest.h"

#define DEFAULT_COUNT	5000
/* Stops early rather than outlast the suite's time budget under TCG. */
#define TIME_BUDGET_S	30

static uint64_t rng_state;

/* xorshift64*: small, fast and the same everywhere for a given seed. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* True with a probability of @pct percent. */
static bool chance(unsigned int pct)
{
	return below(100) < pct;
}

static const char * const dev_pool[] = {
	"accel0", "accel1", "accel2", "accel3", "efa0", "efa1",
};

static const char * const link_pool[] = {
	"accel0-accel1", "accel1-accel2", "accel2-accel3", "accel3-accel0",
	"accel0-accel2", "accel1-accel3", "efa0-accel0", "efa0-accel1",
	"efa1-accel2", "efa1-accel3", "efa0-efa1",
};

static const char * const part_pool[] = { "p0", "p1", "p2", "p3", "p4" };
static const char * const tenant_pool[] = { "acme", "globex", "t" };

#define PICK(pool)	(pool[below(sizeof(pool) / sizeof(pool[0]))])

/* A name: mostly from @pool, sometimes random, sometimes not a name at all. */
static const char *fuzz_name(const char * const *pool, size_t n, char *buf)
{
	static const char legal[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
	unsigned int i, len;

	if (chance(80))
		return pool[below(n)];
	if (chance(50)) {
		len = 1 + below(31);
		for (i = 0; i < len; i++)
			buf[i] = legal[below(sizeof(legal) - 1)];
	} else {
		/* Any bytes but NUL, up to twice the longest name. */
		len = below(64);
		for (i = 0; i < len; i++)
			buf[i] = 1 + below(255);
	}
	buf[len] = '\0';
	return buf;
}

#define NAME(pool, buf)	fuzz_name(pool, sizeof(pool) / sizeof(pool[0]), buf)

/* A u32 that is mostly in range for @max, sometimes anything. */
static uint32_t fuzz_u32(uint32_t lo, uint32_t hi)
{
	if (chance(85))
		return lo + below(hi - lo + 1);
	return chance(50) ? (uint32_t)rnd() : hi + 1;
}

/* One attribute of random type, length and bytes, maybe nested. */
static void put_garbage(struct nlmsghdr *nlh, unsigned int depth)
{
	uint16_t type = chance(80) ? below(20) : (uint16_t)rnd();
	unsigned char data[96];
	struct nlattr *nest;
	unsigned int i, len;

	if (depth < 3 && chance(15)) {
		nest = mnl_attr_nest_start(nlh, type & NLA_TYPE_MASK);
		for (i = below(4); i; i--)
			put_garbage(nlh, depth + 1);
		mnl_attr_nest_end(nlh, nest);
		return;
	}
	len = chance(50) ? below(9) : below(sizeof(data));
	for (i = 0; i < len; i++)
		data[i] = chance(30) ? 0 : rnd();
	mnl_attr_put(nlh, type, len, data);
}

/* The plausible attributes of @cmd, each with some chance of being off. */
static void put_plausible(struct nlmsghdr *nlh, uint8_t cmd)
{
	char b1[64], b2[64];
	unsigned int i, n;

	switch (cmd) {
	case AIFAB_CMD_NODE_GET:
		if (chance(70))
			mnl_attr_put_strz(nlh, AIFAB_A_NODE_NAME, chance(80) ? "node0" : "node1");
		break;
	case AIFAB_CMD_DEV_GET:
		if (chance(70))
			mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, NAME(dev_pool, b1));
		break;
	case AIFAB_CMD_LINK_GET:
		if (chance(70))
			mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME, NAME(link_pool, b1));
		break;
	case AIFAB_CMD_LINK_SET:
		if (chance(95))
			mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME, NAME(link_pool, b1));
		if (chance(70))
			mnl_attr_put_u32(nlh, AIFAB_A_LINK_ADMIN_STATE, fuzz_u32(1, 2));
		if (chance(15))
			mnl_attr_put_u32(nlh, AIFAB_A_LINK_DROP_PCT, fuzz_u32(0, 100));
		if (chance(15))
			mnl_attr_put_u32(nlh, AIFAB_A_LINK_CORRUPT_PCT, fuzz_u32(0, 100));
		/* Short flap periods churn link states under the dumps. */
		if (chance(5))
			mnl_attr_put_u32(nlh, AIFAB_A_LINK_FLAP_MS,
					 chance(50) ? 0 : fuzz_u32(10, 200));
		if (chance(10))
			mnl_attr_put_u32(nlh, AIFAB_A_LINK_DEGRADE_PPM,
					 fuzz_u32(0, 1000000));
		break;
	case AIFAB_CMD_PARTITION_GET:
	case AIFAB_CMD_PARTITION_DEL:
		if (chance(90))
			mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, NAME(part_pool, b1));
		break;
	case AIFAB_CMD_PARTITION_NEW:
		if (chance(95))
			mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, NAME(part_pool, b1));
		if (chance(95))
			mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_TENANT,
					  NAME(tenant_pool, b2));
		n = chance(3) ? 200 + below(100) : below(4);
		for (i = 0; i < n; i++)
			mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_DEV, NAME(dev_pool, b1));
		break;
	case AIFAB_CMD_PARTITION_SET:
		if (chance(95))
			mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, NAME(part_pool, b1));
		n = chance(3) ? 200 + below(100) : below(3);
		for (i = 0; i < n; i++)
			mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_DEV_ADD,
					  NAME(dev_pool, b1));
		for (i = below(3); i; i--)
			mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_DEV_DEL,
					  NAME(dev_pool, b1));
		break;
	case AIFAB_CMD_FENCE_NEW:
	case AIFAB_CMD_FENCE_DEL:
		if (chance(95))
			mnl_attr_put_strz(nlh, AIFAB_A_FENCE_PART_A, NAME(part_pool, b1));
		if (chance(95))
			mnl_attr_put_strz(nlh, AIFAB_A_FENCE_PART_B, NAME(part_pool, b2));
		break;
	case AIFAB_CMD_ROUTE_GET:
		if (chance(95))
			mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_SRC, NAME(dev_pool, b1));
		if (chance(95))
			mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_DST, NAME(dev_pool, b2));
		break;
	case AIFAB_CMD_STATS_GET:
		if (chance(50))
			mnl_attr_put_strz(nlh, AIFAB_A_STATS_DEV, NAME(dev_pool, b1));
		if (chance(50))
			mnl_attr_put_strz(nlh, AIFAB_A_STATS_LINK, NAME(link_pool, b2));
		break;
	}
}

/*
 * The default topology, as a TOPOLOGY_SET request, sometimes with one
 * entry damaged. Refused while partitions exist; otherwise it swaps every
 * object for a new one with the same names.
 */
static void put_topology(struct nlmsghdr *nlh)
{
	unsigned int i, skip = chance(50) ? below(20) : 100;
	struct nlattr *nest;
	char b[64];

	nest = mnl_attr_nest_start(nlh, AIFAB_A_TOPOLOGY_NODE);
	mnl_attr_put_strz(nlh, AIFAB_A_NODE_NAME, skip == 0 ? NAME(dev_pool, b) : "node0");
	mnl_attr_put_u8(nlh, AIFAB_A_NODE_LOCAL, skip != 1);
	mnl_attr_nest_end(nlh, nest);
	for (i = 0; i < 6; i++) {
		bool accel = i < 4;

		nest = mnl_attr_nest_start(nlh, AIFAB_A_TOPOLOGY_DEV);
		mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME,
				  skip == 2 + i ? NAME(dev_pool, b) : dev_pool[i]);
		if (skip != 8)
			mnl_attr_put_u32(nlh, AIFAB_A_DEV_TYPE,
					 accel ? AIFAB_DEV_TYPE_ACCEL : AIFAB_DEV_TYPE_EFA);
		mnl_attr_put_strz(nlh, AIFAB_A_DEV_NODE, "node0");
		if (accel || skip == 9)
			mnl_attr_put_u64(nlh, AIFAB_A_DEV_MEM_BYTES, 1ULL << 30);
		mnl_attr_nest_end(nlh, nest);
	}
	for (i = 0; i < 11; i++) {
		char a[32], z[32];

		/* The pool's names are "A-B" after the two ends. */
		if (sscanf(link_pool[i], "%31[^-]-%31s", a, z) != 2)
			continue;
		nest = mnl_attr_nest_start(nlh, AIFAB_A_TOPOLOGY_LINK);
		mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME, link_pool[i]);
		mnl_attr_put_u32(nlh, AIFAB_A_LINK_KIND, i < 6 ? AIFAB_LINK_KIND_ACCEL :
				 i < 10 ? AIFAB_LINK_KIND_AFFINITY : AIFAB_LINK_KIND_NET);
		mnl_attr_put_strz(nlh, AIFAB_A_LINK_A, a);
		mnl_attr_put_strz(nlh, AIFAB_A_LINK_B, skip == 10 + i ? a : z);
		if (skip != 19)
			mnl_attr_put_u32(nlh, AIFAB_A_LINK_SPEED_MBPS, 1000);
		mnl_attr_nest_end(nlh, nest);
	}
}

/* Builds one random request in @buf; returns the bytes to send. */
static size_t fuzz_build(struct nlc *c, char *buf, size_t size)
{
	uint8_t cmd = chance(85) ? 1 + below(AIFAB_CMD_MAX) : (uint8_t)rnd();
	uint16_t flags = NLM_F_REQUEST;
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	struct nlattr *attr;
	size_t len;

	/* Creating more than deleting leaves a richer fabric to check. */
	if (cmd == AIFAB_CMD_PARTITION_DEL && chance(50))
		cmd = AIFAB_CMD_PARTITION_NEW;
	if (cmd == AIFAB_CMD_FENCE_DEL && chance(50))
		cmd = AIFAB_CMD_FENCE_NEW;
	if (chance(60))
		flags |= NLM_F_ACK;
	if (chance(25))
		flags |= NLM_F_DUMP;
	if (chance(5))
		flags |= rnd();
	if (chance(2))
		flags &= ~NLM_F_REQUEST;
	nlh = nl_req_to(c, buf, c->family, cmd, 0);
	nlh->nlmsg_flags = flags;
	genl = mnl_nlmsg_get_payload(nlh);
	if (chance(3))
		genl->reserved = rnd();
	if (chance(3))
		genl->version = rnd();

	if (cmd == AIFAB_CMD_TOPOLOGY_SET && chance(30))
		put_topology(nlh);
	else if (chance(75))
		put_plausible(nlh, cmd);
	while (chance(25) && nlh->nlmsg_len < size - 256)
		put_garbage(nlh, 0);
	/* An attribute far longer than any name. */
	if (chance(2)) {
		static char big[4000];

		memset(big, 'a', sizeof(big) - 1);
		mnl_attr_put_strz(nlh, 1 + below(8), big);
	}

	len = nlh->nlmsg_len;
	switch (chance(12) ? below(5) : 5) {
	case 0:		/* nlmsg_len cut short, inside the attributes or the headers */
		nlh->nlmsg_len = below(nlh->nlmsg_len + 1);
		break;
	case 1:		/* nlmsg_len past what is sent */
		nlh->nlmsg_len += 1 + below(64);
		break;
	case 2:		/* fewer bytes sent than nlmsg_len says */
		len = below(len + 1);
		break;
	case 3:		/* the first attribute claims too much or too little */
		if (nlh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN) {
			attr = (struct nlattr *)((char *)nlh + NLMSG_HDRLEN + GENL_HDRLEN);
			attr->nla_len = chance(50) ? below(NLA_HDRLEN) :
					attr->nla_len + 1 + below(200);
		}
		break;
	case 4:		/* stray bytes after the message */
		len += 1 + below(7);
		memset(buf + nlh->nlmsg_len, 0xa5, len - nlh->nlmsg_len);
		break;
	}
	return len;
}

struct fuzz_stats {
	unsigned long sent, replies, acks, dones, errors, intr;
	unsigned long by_errno[140];
	unsigned long bad_frames, timeouts;
	uint32_t cur_seq;		/* the fuzz request in flight */
	uint8_t cur_cmd;
	unsigned long ok_by_cmd[256];	/* requests ACKed with success */
};

/*
 * Checks the framing of every message in a datagram. Returns true when it
 * holds the ACK of the sync request @sync.
 */
static bool fuzz_account(struct nlc *c, const char *buf, int len, uint32_t sync,
			 struct fuzz_stats *st)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	bool synced = false;
	int err;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_pid != c->portid)
			st->bad_frames++;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			st->intr++;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nlmsgerr)) {
				st->bad_frames++;
				continue;
			}
			err = ((const struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->error;
			if (nlh->nlmsg_seq == sync) {
				synced = true;
				if (err)
					st->bad_frames++;
				continue;
			}
			if (err > 0 || err < -139)
				st->bad_frames++;
			else if (err)
				st->by_errno[-err]++, st->errors++;
			else
				st->acks++;
			if (!err && nlh->nlmsg_seq == st->cur_seq)
				st->ok_by_cmd[st->cur_cmd]++;
		} else if (nlh->nlmsg_type == NLMSG_DONE) {
			st->dones++;
		} else if (nlh->nlmsg_type == c->family) {
			if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
				st->bad_frames++;
			st->replies++;
		} else {
			st->bad_frames++;
		}
	}
	if (len)
		st->bad_frames++;
	return synced;
}

/*
 * Sends an ACKed no-op and reads until its ACK: the kernel answers requests
 * in order, so everything the fuzz message caused has arrived by then.
 */
static int fuzz_sync(struct nlc *c, struct fuzz_stats *st)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(c->sock), .events = POLLIN };
	static char rx[NL_RX] __attribute__((aligned(8)));
	struct nlmsghdr nop = {
		.nlmsg_len = NLMSG_HDRLEN,
		.nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nlmsg_seq = ++c->seq,
	};
	ssize_t n;

	if (nl_send(c, &nop, sizeof(nop)))
		return -EIO;
	for (;;) {
		if (poll(&pfd, 1, NL_TIMEOUT_MS) <= 0) {
			st->timeouts++;
			return -ETIMEDOUT;
		}
		n = recv(pfd.fd, rx, sizeof(rx), MSG_TRUNC);
		if (n < 0) {
			/* The kernel dropped replies to a full socket: go on. */
			if (errno == ENOBUFS)
				continue;
			return -errno;
		}
		if (n > (ssize_t)sizeof(rx)) {
			st->bad_frames++;
			continue;
		}
		if (fuzz_account(c, rx, n, nop.nlmsg_seq, st))
			return 0;
	}
}

/* A dump, retried while a flapping link interrupts it. */
static int dump_clean(struct nlc *c, struct nl_reply *r, uint8_t cmd)
{
	char buf[64] __attribute__((aligned(8)));
	int tries, ret;

	for (tries = 0; tries < 20; tries++) {
		ret = nl_talk(c, nl_req(c, buf, cmd, true), r);
		if (ret || !r->done)
			return ret ?: -EBADMSG;
		if (!r->intr)
			return 0;
	}
	return -EAGAIN;
}

/* Every link back to admin up, without faults, so the fabric stays still. */
static int calm_links(struct nlc *c, struct nl_reply *r, struct nl_reply *links)
{
	char buf[256] __attribute__((aligned(8)));
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	struct nlmsghdr *nlh;
	unsigned int i;
	int ret;

	ret = dump_clean(c, links, AIFAB_CMD_LINK_GET);
	for (i = 0; !ret && i < links->n; i++) {
		nl_attrs(links->m[i], tb, AIFAB_A_LINK_MAX);
		nlh = nl_req(c, buf, AIFAB_CMD_LINK_SET, false);
		mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME,
				  nl_str(tb[AIFAB_A_LINK_NAME]) ?: "?");
		mnl_attr_put_u32(nlh, AIFAB_A_LINK_ADMIN_STATE, AIFAB_ADMIN_STATE_UP);
		mnl_attr_put_u32(nlh, AIFAB_A_LINK_DROP_PCT, 0);
		mnl_attr_put_u32(nlh, AIFAB_A_LINK_CORRUPT_PCT, 0);
		mnl_attr_put_u32(nlh, AIFAB_A_LINK_FLAP_MS, 0);
		mnl_attr_put_u32(nlh, AIFAB_A_LINK_DEGRADE_PPM, 0);
		ret = nl_talk(c, nlh, r);
	}
	return ret;
}

/* Counts of each dump, and whether each matches its debugfs counter. */
static bool counters_match(struct nlc *c, struct nl_reply *r)
{
	static const struct {
		uint8_t cmd;
		const char *counter;
	} tables[] = {
		{ AIFAB_CMD_NODE_GET, "node" },
		{ AIFAB_CMD_DEV_GET, "device" },
		{ AIFAB_CMD_LINK_GET, "link" },
		{ AIFAB_CMD_PARTITION_GET, "partition" },
		{ AIFAB_CMD_FENCE_GET, "fence" },
	};
	bool ok = true;
	unsigned int i;
	long live;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (dump_clean(c, r, tables[i].cmd)) {
			ksft_print_msg("%s dump failed: %d \"%s\"\n", tables[i].counter,
				       r->err, r->msg);
			ok = false;
			continue;
		}
		/* Freed objects leave the counters after an RCU grace period. */
		live = objects_wait(tables[i].counter, r->n);
		ksft_print_msg("%s: %u dumped, %ld live\n", tables[i].counter, r->n, live);
		ok &= live == (long)r->n;
	}
	return ok;
}

/*
 * Every member PARTITION_GET lists has that partition in DEV_GET, every
 * device DEV_GET puts in a partition is listed by it, and every fence
 * joins two partitions that exist.
 */
static bool membership_agrees(struct nlc *c, struct nl_reply *parts,
			      struct nl_reply *devs, struct nl_reply *r)
{
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	const struct nlattr *attr;
	unsigned int i, members = 0, partitioned = 0;
	const char *pname, *in;
	bool ok = true;

	if (dump_clean(c, parts, AIFAB_CMD_PARTITION_GET) ||
	    dump_clean(c, devs, AIFAB_CMD_DEV_GET))
		return false;
	for (i = 0; i < parts->n; i++) {
		nl_attrs(parts->m[i], tb, AIFAB_A_PARTITION_NAME);
		pname = nl_str(tb[AIFAB_A_PARTITION_NAME]);
		if (!pname)
			return false;
		mnl_attr_for_each(attr, parts->m[i], GENL_HDRLEN) {
			const struct nlattr *dt[AIFAB_A_DEV_MAX + 1];

			if (mnl_attr_get_type(attr) != AIFAB_A_PARTITION_DEV)
				continue;
			members++;
			if (nl_do_name(c, r, AIFAB_CMD_DEV_GET, AIFAB_A_DEV_NAME,
				      nl_str(attr) ?: "?") || r->n != 1) {
				ksft_print_msg("member %s of %s: no device\n",
					       nl_str(attr), pname);
				ok = false;
				continue;
			}
			nl_attrs(r->m[0], dt, AIFAB_A_DEV_MAX);
			in = nl_str(dt[AIFAB_A_DEV_PARTITION]);
			if (!in || strcmp(in, pname)) {
				ksft_print_msg("member %s of %s: DEV_GET says %s\n",
					       nl_str(attr), pname, in ?: "none");
				ok = false;
			}
		}
	}
	for (i = 0; i < devs->n; i++) {
		nl_attrs(devs->m[i], tb, AIFAB_A_DEV_MAX);
		in = nl_str(tb[AIFAB_A_DEV_PARTITION]);
		if (!in)
			continue;
		partitioned++;
		if (!nl_find(parts, AIFAB_A_PARTITION_NAME, in)) {
			ksft_print_msg("%s is in %s, which is not dumped\n",
				       nl_str(tb[AIFAB_A_DEV_NAME]), in);
			ok = false;
		}
	}
	ksft_print_msg("%u partitions, %u members, %u partitioned devices\n",
		       parts->n, members, partitioned);
	return ok && members == partitioned;
}

static bool fences_agree(struct nlc *c, struct nl_reply *parts,
			 struct nl_reply *r)
{
	const struct nlattr *tb[AIFAB_A_FENCE_MAX + 1];
	const char *a, *b;
	unsigned int i;

	if (dump_clean(c, r, AIFAB_CMD_FENCE_GET))
		return false;
	for (i = 0; i < r->n; i++) {
		nl_attrs(r->m[i], tb, AIFAB_A_FENCE_MAX);
		a = nl_str(tb[AIFAB_A_FENCE_PART_A]);
		b = nl_str(tb[AIFAB_A_FENCE_PART_B]);
		if (!a || !b || !strcmp(a, b) ||
		    !nl_find(parts, AIFAB_A_PARTITION_NAME, a) ||
		    !nl_find(parts, AIFAB_A_PARTITION_NAME, b)) {
			ksft_print_msg("fence %s <-> %s\n", a ?: "?", b ?: "?");
			return false;
		}
	}
	ksft_print_msg("%u fences\n", r->n);
	return true;
}

/* Deletes every partition; then nothing may be partitioned or fenced. */
static bool partitions_cleared(struct nlc *c, struct nl_reply *parts,
			       struct nl_reply *r)
{
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	unsigned int i;
	bool ok = true;

	if (dump_clean(c, parts, AIFAB_CMD_PARTITION_GET))
		return false;
	for (i = 0; i < parts->n; i++) {
		nl_attrs(parts->m[i], tb, AIFAB_A_PARTITION_NAME);
		if (nl_do_name(c, r, AIFAB_CMD_PARTITION_DEL, AIFAB_A_PARTITION_NAME,
			      nl_str(tb[AIFAB_A_PARTITION_NAME]) ?: "?")) {
			ksft_print_msg("delete %s: %d \"%s\"\n",
				       nl_str(tb[AIFAB_A_PARTITION_NAME]), r->err, r->msg);
			ok = false;
		}
	}
	if (objects_wait("partition", 0) || objects_wait("fence", 0)) {
		ksft_print_msg("left: %ld partitions, %ld fences\n",
			       objects_live("partition"), objects_live("fence"));
		ok = false;
	}
	if (dump_clean(c, r, AIFAB_CMD_DEV_GET))
		return false;
	for (i = 0; i < r->n; i++) {
		nl_attrs(r->m[i], tb, AIFAB_A_DEV_MAX);
		ok &= !tb[AIFAB_A_DEV_PARTITION];
	}
	return ok && !dump_clean(c, r, AIFAB_CMD_PARTITION_GET) && !r->n &&
	       !dump_clean(c, r, AIFAB_CMD_FENCE_GET) && !r->n;
}

/* Every pair of devices gets an answer, and unpartitioned ones a path. */
static bool routes_answer(struct nlc *c, struct nl_reply *devs,
			  struct nl_reply *r)
{
	const struct nlattr *tb[AIFAB_A_ROUTE_MAX + 1];
	char buf[256] __attribute__((aligned(8)));
	const char *names[64];
	struct nlmsghdr *nlh;
	unsigned int i, j, n = 0;
	bool ok = true;

	if (dump_clean(c, devs, AIFAB_CMD_DEV_GET))
		return false;
	for (i = 0; i < devs->n && n < 64; i++) {
		nl_attrs(devs->m[i], tb, AIFAB_A_DEV_NAME);
		if (nl_str(tb[AIFAB_A_DEV_NAME]))
			names[n++] = nl_str(tb[AIFAB_A_DEV_NAME]);
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			nlh = nl_req(c, buf, AIFAB_CMD_ROUTE_GET, false);
			mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_SRC, names[i]);
			mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_DST, names[j]);
			if (nl_talk(c, nlh, r) || r->n != 1) {
				ok = false;
				continue;
			}
			nl_attrs(r->m[0], tb, AIFAB_A_ROUTE_MAX);
			if (nl_u8(tb[AIFAB_A_ROUTE_ALLOWED], 0) != 1) {
				ksft_print_msg("%s -> %s refused, reason %lld\n",
					       names[i], names[j],
					       (long long)nl_u32(tb[AIFAB_A_ROUTE_REASON], -1));
				ok = false;
			}
		}
	}
	return ok;
}

static uint64_t env_or(const char *arg, const char *env, uint64_t def)
{
	const char *s = arg ?: getenv(env);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

int main(int argc, char **argv)
{
	static char buf[NL_TX] __attribute__((aligned(8)));
	struct nl_reply *r = nl_reply_new(), *parts = nl_reply_new();
	struct nl_reply *devs = nl_reply_new();
	uint64_t seed = env_or(argc > 1 ? argv[1] : NULL, "AIFAB_FUZZ_SEED",
			       (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32));
	unsigned long count = env_or(argc > 2 ? argv[2] : NULL, "AIFAB_FUZZ_COUNT",
				     DEFAULT_COUNT);
	struct fuzz_stats st = { 0 };
	struct nlc c, mon;
	time_t start = time(NULL);
	unsigned long i;
	size_t len;
	int e;

	ksft_print_header();
	ksft_print_msg("seed %llu, %lu messages (replay: nl_fuzz %llu %lu)\n",
		       (unsigned long long)seed, count, (unsigned long long)seed,
		       count);
	if (geteuid())
		ksft_exit_skip("needs root, so that requests change the fabric\n");
	if (!module_loaded())
		ksft_exit_skip("the aifab module is not loaded\n");
	if (!r || !parts || !devs || nl_open(&c) || nl_open(&mon))
		ksft_exit_fail_msg("cannot open the aifab family\n");
	/* A listener makes the module build every event, malformed or not. */
	nl_join_monitor(&mon);
	rng_state = seed ?: 1;
	ksft_set_plan(7);

	for (i = 0; i < count && time(NULL) - start < TIME_BUDGET_S; i++) {
		len = fuzz_build(&c, buf, sizeof(buf));
		st.cur_seq = ((struct nlmsghdr *)buf)->nlmsg_seq;
		st.cur_cmd = ((struct genlmsghdr *)(buf + NLMSG_HDRLEN))->cmd;
		/* The kernel ACKs a message that is no request without reading it. */
		if (!(((struct nlmsghdr *)buf)->nlmsg_flags & NLM_F_REQUEST))
			st.cur_seq = 0;
		if (nl_send(&c, buf, len) == 0)
			st.sent++;
		/* A synthetic transfer now and then, for violation events. */
		if (chance(2))
			send_traffic(PICK(dev_pool), PICK(dev_pool));
		if (fuzz_sync(&c, &st))
			break;
	}
	ksft_print_msg("%lu sent in %lds: %lu replies, %lu acks, %lu errors, %lu dones, %lu intr\n",
		       st.sent, (long)(time(NULL) - start), st.replies, st.acks,
		       st.errors, st.dones, st.intr);
	for (e = 1; e < 140; e++)
		if (st.by_errno[e])
			ksft_print_msg("  %-12s %lu\n", strerror(e), st.by_errno[e]);
	for (e = 0; e < 256; e++)
		if (st.ok_by_cmd[e])
			ksft_print_msg("  command %d: %lu done\n", e, st.ok_by_cmd[e]);
	ksft_test_result(i == count && !st.timeouts && !st.bad_frames,
			 "every request answered, every reply well-formed (%lu bad, %lu timeouts)\n",
			 st.bad_frames, st.timeouts);

	ksft_test_result(calm_links(&c, r, devs) == 0, "links set back up without faults\n");
	ksft_test_result(counters_match(&c, r), "dumps match the debugfs counters\n");
	ksft_test_result(membership_agrees(&c, parts, devs, r),
			 "partition members and DEV_GET agree\n");
	ksft_test_result(fences_agree(&c, parts, r), "fences join existing partitions\n");
	ksft_test_result(partitions_cleared(&c, parts, r),
			 "deleting every partition leaves no partition and no fence\n");
	ksft_test_result(routes_answer(&c, devs, r),
			 "every unpartitioned pair of devices has a route\n");

	nl_close(&mon);
	nl_close(&c);
	free(r);
	free(parts);
	free(devs);
	ksft_finished();
}
