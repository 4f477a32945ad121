// SPDX-License-Identifier: GPL-2.0
/*
 * The aifab generic netlink family, spoken raw with libmnl: every command
 * with the values it reads back, refusals with their errno and extack text
 * and no state change, routing against partitions, fences and link state,
 * the monitor events, unprivileged callers and consistent dumps.
 *
 * Runs as root inside tools/vm-run, which exports AIFAB_KO. The fixture
 * reloads the module before each test, so every test starts from the
 * default topology, and leaves it loaded with the defaults.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include <linux/capability.h>

#include "nl_helpers.h"

#include "kselftest_harness.h"

#define GiB		(1024ULL * 1024 * 1024)
#define LONG_NAME	"abcdefghijklmnopqrstuvwxyz012345"	/* 32 */
#define MAX_NAME	"abcdefghijklmnopqrstuvwxyz01234"	/* 31 */
/* Requests start with a netlink and a genl header, then attributes. */
#define FIRST_ATTR	(NLMSG_HDRLEN + GENL_HDRLEN)

static const struct {
	const char *name, *a, *b;
	unsigned int kind;
} default_links[] = {
	{ "accel0-accel1", "accel0", "accel1", AIFAB_LINK_KIND_ACCEL },
	{ "accel1-accel2", "accel1", "accel2", AIFAB_LINK_KIND_ACCEL },
	{ "accel2-accel3", "accel2", "accel3", AIFAB_LINK_KIND_ACCEL },
	{ "accel3-accel0", "accel3", "accel0", AIFAB_LINK_KIND_ACCEL },
	{ "accel0-accel2", "accel0", "accel2", AIFAB_LINK_KIND_ACCEL },
	{ "accel1-accel3", "accel1", "accel3", AIFAB_LINK_KIND_ACCEL },
	{ "efa0-accel0", "efa0", "accel0", AIFAB_LINK_KIND_AFFINITY },
	{ "efa0-accel1", "efa0", "accel1", AIFAB_LINK_KIND_AFFINITY },
	{ "efa1-accel2", "efa1", "accel2", AIFAB_LINK_KIND_AFFINITY },
	{ "efa1-accel3", "efa1", "accel3", AIFAB_LINK_KIND_AFFINITY },
	{ "efa0-efa1", "efa0", "efa1", AIFAB_LINK_KIND_NET },
};

static const char * const default_devs[] = {
	"accel0", "accel1", "accel2", "accel3", "efa0", "efa1",
};

#define N_LINKS		ARRAY_SIZE(default_links)
#define N_DEVS		ARRAY_SIZE(default_devs)

static const char * const reason_names[] = {
	"none", "fence", "unpartitioned", "no-path", "partition-down",
};

static const char * const state_names[] = { "?", "up", "down", "degraded" };

static const char *enum_name(const char * const *names, size_t n, int64_t v)
{
	return v >= 0 && (size_t)v < n ? names[v] : "?";
}

/* Adds one @type string attribute per space-separated word of @names. */
static void put_names(struct nlmsghdr *nlh, uint16_t type, const char *names)
{
	char word[64];
	int used;

	while (names && sscanf(names, "%63s%n", word, &used) == 1) {
		mnl_attr_put_strz(nlh, type, word);
		names += used;
	}
}

static int dump(struct nlc *c, struct nl_reply *r, uint8_t cmd)
{
	char buf[64] __attribute__((aligned(8)));

	return nl_talk(c, nl_req(c, buf, cmd, true), r);
}

static int link_set(struct nlc *c, struct nl_reply *r, const char *name,
		    uint32_t admin)
{
	char buf[256] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = nl_req(c, buf, AIFAB_CMD_LINK_SET, false);

	mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME, name);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_ADMIN_STATE, admin);
	return nl_talk(c, nlh, r);
}

/* Sets the admin state of every link named in @names. */
static int links_set(struct nlc *c, struct nl_reply *r, const char *names,
		     uint32_t admin)
{
	char word[64];
	int used, ret = 0;

	while (!ret && sscanf(names, "%63s%n", word, &used) == 1) {
		ret = link_set(c, r, word, admin);
		names += used;
	}
	return ret;
}

static int part_new(struct nlc *c, struct nl_reply *r, const char *name,
		    const char *tenant, const char *devs)
{
	char buf[4096] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = nl_req(c, buf, AIFAB_CMD_PARTITION_NEW, false);

	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, name);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_TENANT, tenant);
	put_names(nlh, AIFAB_A_PARTITION_DEV, devs);
	return nl_talk(c, nlh, r);
}

static int part_set(struct nlc *c, struct nl_reply *r, const char *name,
		    const char *add, const char *del)
{
	char buf[4096] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = nl_req(c, buf, AIFAB_CMD_PARTITION_SET, false);

	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, name);
	put_names(nlh, AIFAB_A_PARTITION_DEV_ADD, add);
	put_names(nlh, AIFAB_A_PARTITION_DEV_DEL, del);
	return nl_talk(c, nlh, r);
}

/* PARTITION_NEW with an admin state, or PARTITION_SET of the state alone. */
static int part_state(struct nlc *c, struct nl_reply *r, uint8_t cmd,
		      const char *name, const char *devs, uint32_t state)
{
	char buf[4096] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = nl_req(c, buf, cmd, false);

	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, name);
	if (cmd == AIFAB_CMD_PARTITION_NEW)
		mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_TENANT, "acme");
	put_names(nlh, AIFAB_A_PARTITION_DEV, devs);
	mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_ADMIN_STATE, state);
	return nl_talk(c, nlh, r);
}

static int part_del(struct nlc *c, struct nl_reply *r, const char *name)
{
	return nl_do_name(c, r, AIFAB_CMD_PARTITION_DEL, AIFAB_A_PARTITION_NAME,
			  name);
}

static int fence_cmd(struct nlc *c, struct nl_reply *r, uint8_t cmd,
		     const char *a, const char *b)
{
	char buf[256] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = nl_req(c, buf, cmd, false);

	mnl_attr_put_strz(nlh, AIFAB_A_FENCE_PART_A, a);
	mnl_attr_put_strz(nlh, AIFAB_A_FENCE_PART_B, b);
	return nl_talk(c, nlh, r);
}

static int route_get(struct nlc *c, struct nl_reply *r, const char *src,
		     const char *dst)
{
	char buf[256] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = nl_req(c, buf, AIFAB_CMD_ROUTE_GET, false);

	mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_SRC, src);
	mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_DST, dst);
	return nl_talk(c, nlh, r);
}

/*
 * A route reply in one line, so that a test states the whole expected
 * answer: "refused reason=fence src=accel0 dst=accel2 parts=p1/p2
 * degraded=0", then " via LINK:FROM>TO:STATE" per hop, in message order.
 */
static const char *route_str(const struct nlmsghdr *nlh, char *out, size_t size)
{
	const struct nlattr *tb[AIFAB_A_ROUTE_MAX + 1];
	const struct nlattr *hb[AIFAB_A_HOP_MAX + 1];
	const struct nlattr *attr, *h;
	int64_t allowed;
	size_t n = 0;

	nl_attrs(nlh, tb, AIFAB_A_ROUTE_MAX);
	allowed = nl_u8(tb[AIFAB_A_ROUTE_ALLOWED], -1);
	str_add(out, size, &n, "%s", allowed == 1 ? "allowed" :
		allowed == 0 ? "refused" : "allowed?");
	if (tb[AIFAB_A_ROUTE_REASON])
		str_add(out, size, &n, " reason=%s",
			enum_name(reason_names, ARRAY_SIZE(reason_names),
				  nl_u32(tb[AIFAB_A_ROUTE_REASON], -1)));
	str_add(out, size, &n, " src=%s dst=%s parts=%s/%s degraded=%lld",
		nl_str(tb[AIFAB_A_ROUTE_SRC]) ?: "?",
		nl_str(tb[AIFAB_A_ROUTE_DST]) ?: "?",
		nl_str(tb[AIFAB_A_ROUTE_SRC_PARTITION]) ?: "-",
		nl_str(tb[AIFAB_A_ROUTE_DST_PARTITION]) ?: "-",
		(long long)nl_u8(tb[AIFAB_A_ROUTE_DEGRADED], -1));
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != AIFAB_A_ROUTE_HOP)
			continue;
		memset(hb, 0, sizeof(hb));
		mnl_attr_for_each_nested(h, attr)
			if (mnl_attr_get_type(h) <= AIFAB_A_HOP_MAX)
				hb[mnl_attr_get_type(h)] = h;
		str_add(out, size, &n, " via %s:%s>%s:%s",
			nl_str(hb[AIFAB_A_HOP_LINK]) ?: "?",
			nl_str(hb[AIFAB_A_HOP_FROM]) ?: "?",
			nl_str(hb[AIFAB_A_HOP_TO]) ?: "?",
			enum_name(state_names, 4,
				  nl_u32(hb[AIFAB_A_HOP_STATE], -1)));
	}
	return out;
}

/*
 * Checks that the hops of a route chain from @src to @dst over real links
 * that are up, and do not use @avoid. Returns the number of hops, or -1.
 */
static int route_chain(const struct nlmsghdr *nlh, const struct nl_reply *links,
		       const char *src, const char *dst, const char *avoid)
{
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	const struct nlattr *hb[AIFAB_A_HOP_MAX + 1];
	const struct nlattr *attr, *h;
	const struct nlmsghdr *link;
	const char *at = src, *from, *to, *name, *a, *b;
	int hops = 0;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != AIFAB_A_ROUTE_HOP)
			continue;
		memset(hb, 0, sizeof(hb));
		mnl_attr_for_each_nested(h, attr)
			if (mnl_attr_get_type(h) <= AIFAB_A_HOP_MAX)
				hb[mnl_attr_get_type(h)] = h;
		name = nl_str(hb[AIFAB_A_HOP_LINK]);
		from = nl_str(hb[AIFAB_A_HOP_FROM]);
		to = nl_str(hb[AIFAB_A_HOP_TO]);
		if (!name || !from || !to || strcmp(from, at) ||
		    (avoid && !strcmp(name, avoid)) ||
		    nl_u32(hb[AIFAB_A_HOP_STATE], 0) != AIFAB_LINK_STATE_UP)
			return -1;
		link = nl_find(links, AIFAB_A_LINK_NAME, name);
		if (!link)
			return -1;
		nl_attrs(link, tb, AIFAB_A_LINK_MAX);
		a = nl_str(tb[AIFAB_A_LINK_A]);
		b = nl_str(tb[AIFAB_A_LINK_B]);
		if (!a || !b || !((!strcmp(a, from) && !strcmp(b, to)) ||
				  (!strcmp(b, from) && !strcmp(a, to))))
			return -1;
		at = to;
		hops++;
	}
	return strcmp(at, dst) ? -1 : hops;
}

/*
 * Copies the value of @key from the debugfs topology line of the @kind
 * object named @name ("link ... name=efa0-efa1 ... speed_mbps=100000").
 * Keys are looked up by name so that added fields do not matter.
 */
static bool topo_value(const char *kind, const char *name, const char *key,
		       char *val, size_t size)
{
	char *text = read_text(DEBUGFS "/topology");
	char *line, *save = NULL, *tok, *tsave;
	char want[64], line_val[64];
	bool found = false;

	if (!text)
		return false;
	snprintf(want, sizeof(want), "name=%s", name);
	for (line = strtok_r(text, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		bool mine = false;

		if (strncmp(line, kind, strlen(kind)) || line[strlen(kind)] != ' ')
			continue;
		line_val[0] = '\0';
		for (tok = strtok_r(line, " ", &tsave); tok;
		     tok = strtok_r(NULL, " ", &tsave)) {
			if (!strcmp(tok, want))
				mine = true;
			if (!strncmp(tok, key, strlen(key)) && tok[strlen(key)] == '=')
				snprintf(line_val, sizeof(line_val), "%s",
					 tok + strlen(key) + 1);
		}
		if (mine) {
			snprintf(val, size, "%s", line_val);
			found = true;
		}
	}
	free(text);
	return found;
}

static long long topo_num(const char *kind, const char *name, const char *key)
{
	char val[64];

	return topo_value(kind, name, key, val, sizeof(val)) ? atoll(val) : -1;
}

/* The partition DEV_GET reports for @dev, "-" for none, "?" on error. */
static const char *dev_partition(struct nlc *c, struct nl_reply *r,
				 const char *dev, char *out, size_t size)
{
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];

	snprintf(out, size, "?");
	if (nl_do_name(c, r, AIFAB_CMD_DEV_GET, AIFAB_A_DEV_NAME, dev) || r->n != 1)
		return out;
	nl_attrs(r->m[0], tb, AIFAB_A_DEV_MAX);
	snprintf(out, size, "%s", nl_str(tb[AIFAB_A_DEV_PARTITION]) ?: "-");
	return out;
}

/* The members PARTITION_GET lists for @name, "?" on error. */
static const char *part_members(struct nlc *c, struct nl_reply *r,
				const char *name, char *out, size_t size)
{
	snprintf(out, size, "?");
	if (nl_do_name(c, r, AIFAB_CMD_PARTITION_GET, AIFAB_A_PARTITION_NAME, name) ||
	    r->n != 1)
		return out;
	return nl_strs(r->m[0], AIFAB_A_PARTITION_DEV, out, size);
}

/* The fences of a FENCE_GET dump as sorted pairs: "p1+p2 p1+p3". */
static const char *fence_pairs(struct nlc *c, struct nl_reply *r, char *out,
			       size_t size)
{
	const struct nlattr *tb[AIFAB_A_FENCE_MAX + 1];
	char pairs[16][72], tmp[72];
	unsigned int i, j, n = 0;
	size_t used = 0;

	snprintf(out, size, "?");
	if (dump(c, r, AIFAB_CMD_FENCE_GET) || !r->done)
		return out;
	for (i = 0; i < r->n && n < 16; i++) {
		const char *a, *b;

		nl_attrs(r->m[i], tb, AIFAB_A_FENCE_MAX);
		a = nl_str(tb[AIFAB_A_FENCE_PART_A]) ?: "?";
		b = nl_str(tb[AIFAB_A_FENCE_PART_B]) ?: "?";
		if (strcmp(a, b) > 0)
			snprintf(pairs[n++], sizeof(pairs[0]), "%s+%s", b, a);
		else
			snprintf(pairs[n++], sizeof(pairs[0]), "%s+%s", a, b);
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(pairs[i], pairs[j]) > 0) {
				memcpy(tmp, pairs[i], sizeof(tmp));
				memcpy(pairs[i], pairs[j], sizeof(tmp));
				memcpy(pairs[j], tmp, sizeof(tmp));
			}
	out[0] = '\0';
	for (i = 0; i < n; i++)
		str_add(out, size, &used, "%s%s", i ? " " : "", pairs[i]);
	return out;
}

/* The payloads of a dump's messages, as a string to compare. */
static char *dump_bytes(const struct nl_reply *r)
{
	char *s = strdup("");
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < r->n; i++)
		snap_hex(&s, &len, mnl_nlmsg_get_payload(r->m[i]),
			 mnl_nlmsg_get_payload_len(r->m[i]));
	return s;
}

#define EXPECT_EXTACK(r, text) \
	EXPECT_NE(NULL, strstr((r)->msg, text)) \
		TH_LOG("extack \"%s\", expected \"%s\"", (r)->msg, text)

FIXTURE(nl) {
	struct nlc c;
	struct nl_reply *r;
	char buf[NL_TX] __attribute__((aligned(8)));
	char s[1024];
};

FIXTURE_SETUP(nl)
{
	if (!getenv("AIFAB_KO"))
		SKIP(return, "AIFAB_KO is not set: run inside tools/vm-run");
	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, module_reload(""));
	self->r = nl_reply_new();
	ASSERT_NE(NULL, self->r);
	ASSERT_EQ(0, nl_open(&self->c));
}

FIXTURE_TEARDOWN(nl)
{
	nl_close(&self->c);
	free(self->r);
	if (getenv("AIFAB_KO"))
		module_reload("");
}

TEST_F(nl, node_get)
{
	const struct nlattr *tb[AIFAB_A_NODE_MAX + 1];
	struct nl_reply *r = self->r;
	int64_t id;

	ASSERT_EQ(0, nl_do_name(&self->c, r, AIFAB_CMD_NODE_GET, AIFAB_A_NODE_NAME,
				"node0"));
	EXPECT_TRUE(r->acked);
	ASSERT_EQ(1, r->n);
	nl_attrs(r->m[0], tb, AIFAB_A_NODE_MAX);
	EXPECT_EQ(AIFAB_CMD_NODE_GET, nl_cmd(r->m[0]));
	id = nl_u32(tb[AIFAB_A_NODE_ID], -1);
	EXPECT_EQ(topo_num("node", "node0", "id"), id);
	EXPECT_STREQ("node0", nl_str(tb[AIFAB_A_NODE_NAME]));
	EXPECT_EQ(1, nl_u8(tb[AIFAB_A_NODE_LOCAL], -1));

	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_NODE_GET));
	EXPECT_TRUE(r->done);
	ASSERT_EQ(1, r->n);
	EXPECT_EQ(0, r->not_multi);
	nl_attrs(r->m[0], tb, AIFAB_A_NODE_MAX);
	EXPECT_EQ(id, nl_u32(tb[AIFAB_A_NODE_ID], -1));
	EXPECT_STREQ("node0", nl_str(tb[AIFAB_A_NODE_NAME]));
	EXPECT_EQ(1, nl_u8(tb[AIFAB_A_NODE_LOCAL], -1));

	EXPECT_EQ(-ENOENT, nl_do_name(&self->c, r, AIFAB_CMD_NODE_GET,
				      AIFAB_A_NODE_NAME, "node9"));
	EXPECT_EXTACK(r, "no such node");
	EXPECT_EQ(FIRST_ATTR, r->offs);
}

TEST_F(nl, dev_get_dump)
{
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	struct nl_reply *r = self->r;
	unsigned int i, j, seen;
	int64_t ids[N_DEVS];

	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_DEV_GET));
	EXPECT_TRUE(r->done);
	EXPECT_FALSE(r->intr);
	EXPECT_EQ(0, r->not_multi);
	ASSERT_EQ(N_DEVS, r->n);
	EXPECT_EQ((long)N_DEVS, objects_live("device"));
	for (i = 0; i < N_DEVS; i++) {
		const char *name = default_devs[i];
		bool accel = !strncmp(name, "accel", 5);
		const struct nlmsghdr *m = NULL;

		for (j = 0, seen = 0; j < r->n; j++) {
			nl_attrs(r->m[j], tb, AIFAB_A_DEV_MAX);
			if (nl_str(tb[AIFAB_A_DEV_NAME]) &&
			    !strcmp(nl_str(tb[AIFAB_A_DEV_NAME]), name)) {
				seen++;
				m = r->m[j];
			}
		}
		ASSERT_EQ(1, seen) TH_LOG("%s listed %u times", name, seen);
		nl_attrs(m, tb, AIFAB_A_DEV_MAX);
		ids[i] = nl_u32(tb[AIFAB_A_DEV_ID], -1);
		EXPECT_EQ(topo_num("device", name, "id"), ids[i]) TH_LOG("%s", name);
		EXPECT_EQ(accel ? AIFAB_DEV_TYPE_ACCEL : AIFAB_DEV_TYPE_EFA,
			  nl_u32(tb[AIFAB_A_DEV_TYPE], -1)) TH_LOG("%s", name);
		EXPECT_STREQ("node0", nl_str(tb[AIFAB_A_DEV_NODE]));
		EXPECT_EQ(1, nl_u8(tb[AIFAB_A_DEV_LOCAL], -1)) TH_LOG("%s", name);
		EXPECT_EQ(NULL, tb[AIFAB_A_DEV_PARTITION]) TH_LOG("%s", name);
		if (accel) {
			EXPECT_EQ((int64_t)GiB, nl_u64(tb[AIFAB_A_DEV_MEM_BYTES], -1));
		} else {
			EXPECT_EQ(NULL, tb[AIFAB_A_DEV_MEM_BYTES]) TH_LOG("%s", name);
		}
		for (j = 0; j < i; j++)
			EXPECT_NE(ids[j], ids[i]);
	}
}

TEST_F(nl, dev_get_doit)
{
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	struct nl_reply *r = self->r;
	struct nl_reply *d = nl_reply_new();
	const struct nlmsghdr *m;

	ASSERT_NE(NULL, d);
	ASSERT_EQ(0, dump(&self->c, d, AIFAB_CMD_DEV_GET));
	ASSERT_EQ(0, nl_do_name(&self->c, r, AIFAB_CMD_DEV_GET, AIFAB_A_DEV_NAME,
				"accel2"));
	ASSERT_EQ(1, r->n);
	nl_attrs(r->m[0], tb, AIFAB_A_DEV_MAX);
	EXPECT_STREQ("accel2", nl_str(tb[AIFAB_A_DEV_NAME]));
	EXPECT_EQ(AIFAB_DEV_TYPE_ACCEL, nl_u32(tb[AIFAB_A_DEV_TYPE], -1));
	/* The doit reply carries exactly what the dump says of the device. */
	m = nl_find(d, AIFAB_A_DEV_NAME, "accel2");
	ASSERT_NE(NULL, m);
	ASSERT_EQ(mnl_nlmsg_get_payload_len(m), mnl_nlmsg_get_payload_len(r->m[0]));
	EXPECT_EQ(0, memcmp(mnl_nlmsg_get_payload(m), mnl_nlmsg_get_payload(r->m[0]),
			    mnl_nlmsg_get_payload_len(m)));

	ASSERT_EQ(0, nl_do_name(&self->c, r, AIFAB_CMD_DEV_GET, AIFAB_A_DEV_NAME,
				"efa1"));
	ASSERT_EQ(1, r->n);
	nl_attrs(r->m[0], tb, AIFAB_A_DEV_MAX);
	EXPECT_EQ(AIFAB_DEV_TYPE_EFA, nl_u32(tb[AIFAB_A_DEV_TYPE], -1));
	EXPECT_EQ(NULL, tb[AIFAB_A_DEV_MEM_BYTES]);

	EXPECT_EQ(-ENOENT, nl_do_name(&self->c, r, AIFAB_CMD_DEV_GET,
				      AIFAB_A_DEV_NAME, "accel4"));
	EXPECT_EXTACK(r, "no such device");
	EXPECT_EQ(FIRST_ATTR, r->offs);
	EXPECT_EQ(0, r->n);
	free(d);
}

TEST_F(nl, link_get_dump)
{
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	struct nl_reply *r = self->r;
	unsigned int i, j, seen;
	char speed[32];

	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_LINK_GET));
	EXPECT_TRUE(r->done);
	EXPECT_EQ(0, r->not_multi);
	ASSERT_EQ(N_LINKS, r->n);
	EXPECT_EQ((long)N_LINKS, objects_live("link"));
	for (i = 0; i < N_LINKS; i++) {
		const char *name = default_links[i].name;

		for (j = 0, seen = 0; j < r->n; j++) {
			nl_attrs(r->m[j], tb, AIFAB_A_LINK_MAX);
			seen += nl_str(tb[AIFAB_A_LINK_NAME]) &&
				!strcmp(nl_str(tb[AIFAB_A_LINK_NAME]), name);
		}
		ASSERT_EQ(1, seen) TH_LOG("%s listed %u times", name, seen);
		nl_attrs(nl_find(r, AIFAB_A_LINK_NAME, name), tb, AIFAB_A_LINK_MAX);
		EXPECT_EQ(topo_num("link", name, "id"), nl_u32(tb[AIFAB_A_LINK_ID], -1));
		EXPECT_STREQ(default_links[i].a, nl_str(tb[AIFAB_A_LINK_A]));
		EXPECT_STREQ(default_links[i].b, nl_str(tb[AIFAB_A_LINK_B]));
		EXPECT_EQ(default_links[i].kind, nl_u32(tb[AIFAB_A_LINK_KIND], -1))
			TH_LOG("%s", name);
		EXPECT_EQ(AIFAB_LINK_STATE_UP, nl_u32(tb[AIFAB_A_LINK_STATE], -1));
		EXPECT_EQ(AIFAB_ADMIN_STATE_UP,
			  nl_u32(tb[AIFAB_A_LINK_ADMIN_STATE], -1));
		ASSERT_TRUE(topo_value("link", name, "speed_mbps", speed,
				       sizeof(speed)));
		EXPECT_LT(0, nl_u32(tb[AIFAB_A_LINK_SPEED_MBPS], -1));
		EXPECT_EQ(atoll(speed), nl_u32(tb[AIFAB_A_LINK_SPEED_MBPS], -1))
			TH_LOG("%s", name);
	}
}

TEST_F(nl, link_get_doit)
{
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	struct nl_reply *r = self->r;

	ASSERT_EQ(0, nl_do_name(&self->c, r, AIFAB_CMD_LINK_GET, AIFAB_A_LINK_NAME,
				"efa0-efa1"));
	ASSERT_EQ(1, r->n);
	nl_attrs(r->m[0], tb, AIFAB_A_LINK_MAX);
	EXPECT_STREQ("efa0-efa1", nl_str(tb[AIFAB_A_LINK_NAME]));
	EXPECT_EQ(AIFAB_LINK_KIND_NET, nl_u32(tb[AIFAB_A_LINK_KIND], -1));
	EXPECT_STREQ("efa0", nl_str(tb[AIFAB_A_LINK_A]));
	EXPECT_STREQ("efa1", nl_str(tb[AIFAB_A_LINK_B]));
	EXPECT_EQ(topo_num("link", "efa0-efa1", "speed_mbps"),
		  nl_u32(tb[AIFAB_A_LINK_SPEED_MBPS], -1));

	EXPECT_EQ(-ENOENT, nl_do_name(&self->c, r, AIFAB_CMD_LINK_GET,
				      AIFAB_A_LINK_NAME, "efa1-efa0"));
	EXPECT_EXTACK(r, "no such link");
	EXPECT_EQ(FIRST_ATTR, r->offs);
}

TEST_F(nl, link_set_admin_state)
{
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	struct nl_reply *r = self->r;
	char val[32], *before, *after;
	unsigned int i;

	ASSERT_EQ(0, link_set(&self->c, r, "accel0-accel1", AIFAB_ADMIN_STATE_DOWN));
	EXPECT_TRUE(r->acked);
	EXPECT_EQ(0, r->n);
	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_LINK_GET));
	ASSERT_EQ(N_LINKS, r->n);
	for (i = 0; i < N_LINKS; i++) {
		bool mine = !strcmp(default_links[i].name, "accel0-accel1");

		nl_attrs(nl_find(r, AIFAB_A_LINK_NAME, default_links[i].name), tb,
			 AIFAB_A_LINK_MAX);
		EXPECT_EQ(mine ? AIFAB_LINK_STATE_DOWN : AIFAB_LINK_STATE_UP,
			  nl_u32(tb[AIFAB_A_LINK_STATE], -1)) TH_LOG("%s",
								     default_links[i].name);
		EXPECT_EQ(mine ? AIFAB_ADMIN_STATE_DOWN : AIFAB_ADMIN_STATE_UP,
			  nl_u32(tb[AIFAB_A_LINK_ADMIN_STATE], -1));
	}
	ASSERT_TRUE(topo_value("link", "accel0-accel1", "state", val, sizeof(val)));
	EXPECT_STREQ("down", val);

	/* Asking for the state a link is in already changes no link. */
	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_LINK_GET));
	before = dump_bytes(r);
	ASSERT_EQ(0, link_set(&self->c, r, "accel0-accel1", AIFAB_ADMIN_STATE_DOWN));
	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_LINK_GET));
	after = dump_bytes(r);
	EXPECT_TRUE(snap_same(before, after));
	free(before);
	free(after);

	ASSERT_EQ(0, link_set(&self->c, r, "accel0-accel1", AIFAB_ADMIN_STATE_UP));
	ASSERT_EQ(0, nl_do_name(&self->c, r, AIFAB_CMD_LINK_GET, AIFAB_A_LINK_NAME,
				"accel0-accel1"));
	ASSERT_EQ(1, r->n);
	nl_attrs(r->m[0], tb, AIFAB_A_LINK_MAX);
	EXPECT_EQ(AIFAB_LINK_STATE_UP, nl_u32(tb[AIFAB_A_LINK_STATE], -1));
	EXPECT_EQ(AIFAB_ADMIN_STATE_UP, nl_u32(tb[AIFAB_A_LINK_ADMIN_STATE], -1));
	ASSERT_TRUE(topo_value("link", "accel0-accel1", "state", val, sizeof(val)));
	EXPECT_STREQ("up", val);
}

/* The fault injection and threshold attributes are read back as set. */
TEST_F(nl, link_set_faults)
{
	static const struct {
		uint16_t attr;
		uint32_t value;
		int err;
		const char *msg;
	} bad[] = {
		{ AIFAB_A_LINK_DROP_PCT, 101, -ERANGE, "integer out of range" },
		{ AIFAB_A_LINK_CORRUPT_PCT, 1000, -ERANGE, "integer out of range" },
		{ AIFAB_A_LINK_FLAP_MS, 5, -ERANGE, "flap period" },
		{ AIFAB_A_LINK_FLAP_MS, 3600001, -ERANGE, "integer out of range" },
		{ AIFAB_A_LINK_DEGRADE_PPM, 1000001, -ERANGE, "integer out of range" },
	};
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	struct nl_reply *r = self->r;
	struct nlmsghdr *nlh;
	char *before, *after;
	unsigned int i;

	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_LINK_SET, false);
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME, "efa0-efa1");
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_DROP_PCT, 50);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_CORRUPT_PCT, 10);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_DEGRADE_PPM, 5000);
	ASSERT_EQ(0, nl_talk(&self->c, nlh, r));
	ASSERT_EQ(0, nl_do_name(&self->c, r, AIFAB_CMD_LINK_GET, AIFAB_A_LINK_NAME,
				"efa0-efa1"));
	ASSERT_EQ(1, r->n);
	nl_attrs(r->m[0], tb, AIFAB_A_LINK_MAX);
	EXPECT_EQ(50, nl_u32(tb[AIFAB_A_LINK_DROP_PCT], -1));
	EXPECT_EQ(10, nl_u32(tb[AIFAB_A_LINK_CORRUPT_PCT], -1));
	EXPECT_EQ(0, nl_u32(tb[AIFAB_A_LINK_FLAP_MS], -1));
	EXPECT_EQ(5000, nl_u32(tb[AIFAB_A_LINK_DEGRADE_PPM], -1));
	EXPECT_EQ(AIFAB_ADMIN_STATE_UP, nl_u32(tb[AIFAB_A_LINK_ADMIN_STATE], -1));
	EXPECT_EQ(50, topo_num("link", "efa0-efa1", "drop_pct"));

	before = nl_snapshot(&self->c);
	ASSERT_NE(NULL, before);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		nlh = nl_req(&self->c, self->buf, AIFAB_CMD_LINK_SET, false);
		mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME, "efa0-efa1");
		/* A valid change next to the bad one must not happen either. */
		mnl_attr_put_u32(nlh, AIFAB_A_LINK_ADMIN_STATE, AIFAB_ADMIN_STATE_DOWN);
		mnl_attr_put_u32(nlh, bad[i].attr, bad[i].value);
		EXPECT_EQ(bad[i].err, nl_talk(&self->c, nlh, r)) TH_LOG("case %u", i);
		EXPECT_EXTACK(r, bad[i].msg);
		after = nl_snapshot(&self->c);
		EXPECT_TRUE(snap_same(before, after)) TH_LOG("case %u", i);
		free(after);
	}
	free(before);
}

TEST_F(nl, partition_new_get_del)
{
	const struct nlattr *tb[AIFAB_A_PARTITION_MAX + 1];
	struct nl_reply *r = self->r;
	char *s = self->s;
	int64_t id;

	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_PARTITION_GET));
	EXPECT_TRUE(r->done);
	EXPECT_EQ(0, r->n);

	ASSERT_EQ(0, part_new(&self->c, r, "p1", "acme", "accel0 accel1"));
	EXPECT_TRUE(r->acked);
	ASSERT_EQ(0, nl_do_name(&self->c, r, AIFAB_CMD_PARTITION_GET,
				AIFAB_A_PARTITION_NAME, "p1"));
	ASSERT_EQ(1, r->n);
	nl_attrs(r->m[0], tb, AIFAB_A_PARTITION_MAX);
	id = nl_u32(tb[AIFAB_A_PARTITION_ID], -1);
	EXPECT_LT(0, id);
	EXPECT_EQ(topo_num("partition", "p1", "id"), id);
	EXPECT_STREQ("p1", nl_str(tb[AIFAB_A_PARTITION_NAME]));
	EXPECT_STREQ("acme", nl_str(tb[AIFAB_A_PARTITION_TENANT]));
	EXPECT_STREQ("accel0 accel1", nl_strs(r->m[0], AIFAB_A_PARTITION_DEV, s, 1024));
	EXPECT_EQ(NULL, tb[AIFAB_A_PARTITION_EVENT]);
	EXPECT_EQ(2, topo_num("partition", "p1", "devices"));
	EXPECT_EQ(1, objects_wait("partition", 1));
	EXPECT_STREQ("p1", dev_partition(&self->c, r, "accel0", s, 64));
	EXPECT_STREQ("p1", dev_partition(&self->c, r, "accel1", s, 64));
	EXPECT_STREQ("-", dev_partition(&self->c, r, "accel2", s, 64));
	EXPECT_EQ(id, topo_num("device", "accel0", "partition"));

	/* Without devices, and with the longest names there are. */
	ASSERT_EQ(0, part_new(&self->c, r, "p2", "beta", NULL));
	EXPECT_STREQ("", part_members(&self->c, r, "p2", s, 1024));
	ASSERT_EQ(0, part_new(&self->c, r, MAX_NAME, MAX_NAME, "efa1"));
	ASSERT_EQ(0, nl_do_name(&self->c, r, AIFAB_CMD_PARTITION_GET,
				AIFAB_A_PARTITION_NAME, MAX_NAME));
	ASSERT_EQ(1, r->n);
	nl_attrs(r->m[0], tb, AIFAB_A_PARTITION_MAX);
	EXPECT_STREQ(MAX_NAME, nl_str(tb[AIFAB_A_PARTITION_TENANT]));
	EXPECT_STREQ("efa1", nl_strs(r->m[0], AIFAB_A_PARTITION_DEV, s, 1024));

	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_PARTITION_GET));
	EXPECT_EQ(3, r->n);
	EXPECT_EQ(0, r->not_multi);
	EXPECT_NE(NULL, nl_find(r, AIFAB_A_PARTITION_NAME, "p1"));
	EXPECT_NE(NULL, nl_find(r, AIFAB_A_PARTITION_NAME, "p2"));
	EXPECT_NE(NULL, nl_find(r, AIFAB_A_PARTITION_NAME, MAX_NAME));
	EXPECT_EQ(3, objects_wait("partition", 3));

	ASSERT_EQ(0, part_del(&self->c, r, "p1"));
	EXPECT_TRUE(r->acked);
	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_PARTITION_GET));
	EXPECT_EQ(2, r->n);
	EXPECT_EQ(NULL, nl_find(r, AIFAB_A_PARTITION_NAME, "p1"));
	EXPECT_EQ(2, objects_wait("partition", 2));
	EXPECT_STREQ("-", dev_partition(&self->c, r, "accel0", s, 64));
	EXPECT_STREQ("-", dev_partition(&self->c, r, "accel1", s, 64));
	EXPECT_EQ(0, topo_num("device", "accel0", "partition"));
	EXPECT_EQ(-ENOENT, nl_do_name(&self->c, r, AIFAB_CMD_PARTITION_GET,
				      AIFAB_A_PARTITION_NAME, "p1"));
	EXPECT_EXTACK(r, "no such partition");

	/* The freed devices can join another partition. */
	ASSERT_EQ(0, part_new(&self->c, r, "p1", "acme", "accel1"));
	EXPECT_STREQ("accel1", part_members(&self->c, r, "p1", s, 1024));
}

TEST_F(nl, partition_set)
{
	struct nl_reply *r = self->r;
	char *s = self->s;

	ASSERT_EQ(0, part_new(&self->c, r, "p1", "acme", "accel0"));
	ASSERT_EQ(0, part_set(&self->c, r, "p1", "accel1 accel2", NULL));
	EXPECT_TRUE(r->acked);
	EXPECT_STREQ("accel0 accel1 accel2", part_members(&self->c, r, "p1", s, 1024));
	EXPECT_EQ(3, topo_num("partition", "p1", "devices"));

	/* Adding and removing in one request. */
	ASSERT_EQ(0, part_set(&self->c, r, "p1", "efa0", "accel0"));
	EXPECT_STREQ("accel1 accel2 efa0", part_members(&self->c, r, "p1", s, 1024));
	EXPECT_STREQ("-", dev_partition(&self->c, r, "accel0", s, 64));
	EXPECT_STREQ("p1", dev_partition(&self->c, r, "efa0", s, 64));
	EXPECT_EQ(3, topo_num("partition", "p1", "devices"));

	ASSERT_EQ(0, part_set(&self->c, r, "p1", NULL, "accel1 accel2 efa0"));
	EXPECT_STREQ("", part_members(&self->c, r, "p1", s, 1024));
	EXPECT_EQ(0, topo_num("partition", "p1", "devices"));
	EXPECT_STREQ("-", dev_partition(&self->c, r, "efa0", s, 64));
	EXPECT_EQ(1, objects_wait("partition", 1));
}

/* The debugfs "refused" counters: "<reason> <count>" per line. */
static long refused(const char *reason)
{
	return debugfs_count("refused", reason);
}

/* The admin state GET reports for partition @name, -1 when absent. */
static int64_t part_admin(struct nlc *c, struct nl_reply *r, const char *name)
{
	const struct nlattr *tb[AIFAB_A_PARTITION_MAX + 1];

	if (nl_do_name(c, r, AIFAB_CMD_PARTITION_GET, AIFAB_A_PARTITION_NAME,
		       name) || r->n != 1)
		return -2;
	nl_attrs(r->m[0], tb, AIFAB_A_PARTITION_MAX);
	return nl_u32(tb[AIFAB_A_PARTITION_ADMIN_STATE], -1);
}

static long long generation(void)
{
	char *text = read_text(DEBUGFS "/topology");
	long long gen = -1;

	if (text && sscanf(text, "generation %lld", &gen) != 1)
		gen = -1;
	free(text);
	return gen;
}

TEST_F(nl, partition_admin_state)
{
	const struct nlattr *tb[AIFAB_A_PARTITION_MAX + 1];
	struct nl_reply *r = self->r;
	char topo[64];
	unsigned int i;
	long long gen;

	/* Up unless PARTITION_NEW says otherwise; in every reply. */
	ASSERT_EQ(0, part_new(&self->c, r, "p1", "acme", "accel0 accel1"));
	EXPECT_EQ(AIFAB_ADMIN_STATE_UP, part_admin(&self->c, r, "p1"));
	ASSERT_EQ(0, part_state(&self->c, r, AIFAB_CMD_PARTITION_NEW, "p2",
				"accel2", AIFAB_ADMIN_STATE_DOWN));
	EXPECT_EQ(AIFAB_ADMIN_STATE_DOWN, part_admin(&self->c, r, "p2"));
	ASSERT_EQ(0, part_state(&self->c, r, AIFAB_CMD_PARTITION_NEW, "p3",
				NULL, AIFAB_ADMIN_STATE_UP));
	EXPECT_EQ(AIFAB_ADMIN_STATE_UP, part_admin(&self->c, r, "p3"));
	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_PARTITION_GET));
	ASSERT_EQ(3, r->n);
	for (i = 0; i < r->n; i++) {
		nl_attrs(r->m[i], tb, AIFAB_A_PARTITION_MAX);
		EXPECT_EQ(strcmp(nl_str(tb[AIFAB_A_PARTITION_NAME]), "p2") ?
			  AIFAB_ADMIN_STATE_UP : AIFAB_ADMIN_STATE_DOWN,
			  nl_u32(tb[AIFAB_A_PARTITION_ADMIN_STATE], -1));
	}
	ASSERT_TRUE(topo_value("partition", "p2", "admin", topo, sizeof(topo)));
	EXPECT_STREQ("down", topo);

	/* SET of the state alone: it round-trips and bumps the generation. */
	gen = generation();
	ASSERT_EQ(0, part_state(&self->c, r, AIFAB_CMD_PARTITION_SET, "p1",
				NULL, AIFAB_ADMIN_STATE_DOWN));
	EXPECT_TRUE(r->acked);
	EXPECT_EQ(AIFAB_ADMIN_STATE_DOWN, part_admin(&self->c, r, "p1"));
	EXPECT_LT(gen, generation());
	EXPECT_STREQ("accel0 accel1", part_members(&self->c, r, "p1", self->s, 1024));
	/* Setting the same state again is accepted and changes nothing. */
	ASSERT_EQ(0, part_state(&self->c, r, AIFAB_CMD_PARTITION_SET, "p1",
				NULL, AIFAB_ADMIN_STATE_DOWN));
	EXPECT_EQ(AIFAB_ADMIN_STATE_DOWN, part_admin(&self->c, r, "p1"));
	/* The other partitions keep theirs. */
	EXPECT_EQ(AIFAB_ADMIN_STATE_DOWN, part_admin(&self->c, r, "p2"));
	EXPECT_EQ(AIFAB_ADMIN_STATE_UP, part_admin(&self->c, r, "p3"));
	ASSERT_EQ(0, part_state(&self->c, r, AIFAB_CMD_PARTITION_SET, "p1",
				NULL, AIFAB_ADMIN_STATE_UP));
	EXPECT_EQ(AIFAB_ADMIN_STATE_UP, part_admin(&self->c, r, "p1"));

	/* Devices move in and out of a down partition as of any other. */
	ASSERT_EQ(0, part_set(&self->c, r, "p2", "accel3", "accel2"));
	EXPECT_STREQ("accel3", part_members(&self->c, r, "p2", self->s, 1024));
	EXPECT_EQ(AIFAB_ADMIN_STATE_DOWN, part_admin(&self->c, r, "p2"));
}

/* A down partition carries nothing: routes and traffic refused, counted. */
TEST_F(nl, route_partition_down)
{
	const struct nlattr *tb[AIFAB_A_VIOLATION_MAX + 1];
	char ev[8192] __attribute__((aligned(8)));
	struct nl_reply *r = self->r;
	char *s = self->s;
	struct nlc mon;
	long down0;

	ASSERT_EQ(0, part_new(&self->c, r, "p1", "acme", "accel0 accel1"));
	ASSERT_EQ(0, part_new(&self->c, r, "p2", "beta", "accel2"));
	ASSERT_EQ(0, fence_cmd(&self->c, r, AIFAB_CMD_FENCE_NEW, "p1", "p2"));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel1"));
	EXPECT_STREQ("allowed src=accel0 dst=accel1 parts=p1/p1 degraded=0"
		     " via accel0-accel1:accel0>accel1:up", route_str(r->m[0], s, 1024));
	EXPECT_EQ(0, send_traffic("accel0", "accel1"));
	EXPECT_EQ(0, send_traffic("accel2", "accel0"));
	down0 = refused("partition-down");
	EXPECT_EQ(0, down0);

	ASSERT_EQ(0, nl_open(&mon));
	ASSERT_EQ(0, nl_join_monitor(&mon));
	ASSERT_EQ(0, part_state(&self->c, r, AIFAB_CMD_PARTITION_SET, "p1",
				NULL, AIFAB_ADMIN_STATE_DOWN));

	/* Within the partition, to itself, across the fence, to outside. */
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel1"));
	EXPECT_STREQ("refused reason=partition-down src=accel0 dst=accel1"
		     " parts=p1/p1 degraded=0", route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, route_get(&self->c, r, "accel1", "accel1"));
	EXPECT_STREQ("refused reason=partition-down src=accel1 dst=accel1"
		     " parts=p1/p1 degraded=0", route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, route_get(&self->c, r, "accel2", "accel0"));
	EXPECT_STREQ("refused reason=partition-down src=accel2 dst=accel0"
		     " parts=p2/p1 degraded=0", route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, route_get(&self->c, r, "accel1", "efa0"));
	EXPECT_STREQ("refused reason=partition-down src=accel1 dst=efa0"
		     " parts=p1/- degraded=0", route_str(r->m[0], s, 1024));
	/* A question is no traffic: nothing counted yet. */
	EXPECT_EQ(0, refused("partition-down"));
	/* Other partitions are untouched. */
	ASSERT_EQ(0, route_get(&self->c, r, "accel2", "accel2"));
	EXPECT_STREQ("allowed src=accel2 dst=accel2 parts=p2/p2 degraded=0",
		     route_str(r->m[0], s, 1024));

	/* Traffic is refused, counted, and announced. */
	EXPECT_EQ(-EACCES, send_traffic("accel0", "accel1"));
	ASSERT_EQ(AIFAB_CMD_FENCE_VIOLATION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_FENCE_VIOLATION_NTF, ev,
				sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_VIOLATION_MAX);
	EXPECT_STREQ("accel0", nl_str(tb[AIFAB_A_VIOLATION_SRC]));
	EXPECT_STREQ("accel1", nl_str(tb[AIFAB_A_VIOLATION_DST]));
	EXPECT_STREQ("p1", nl_str(tb[AIFAB_A_VIOLATION_SRC_PARTITION]));
	EXPECT_STREQ("p1", nl_str(tb[AIFAB_A_VIOLATION_DST_PARTITION]));
	EXPECT_EQ(AIFAB_ROUTE_REASON_PARTITION_DOWN,
		  nl_u32(tb[AIFAB_A_VIOLATION_REASON], -1));
	EXPECT_EQ(-EACCES, send_traffic("accel2", "accel1"));
	EXPECT_EQ(2, refused("partition-down"));
	EXPECT_EQ(0, refused("fence"));
	EXPECT_EQ(0, refused("unpartitioned"));

	/* Up again: traffic flows as before. */
	ASSERT_EQ(0, part_state(&self->c, r, AIFAB_CMD_PARTITION_SET, "p1",
				NULL, AIFAB_ADMIN_STATE_UP));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel1"));
	EXPECT_STREQ("allowed src=accel0 dst=accel1 parts=p1/p1 degraded=0"
		     " via accel0-accel1:accel0>accel1:up", route_str(r->m[0], s, 1024));
	EXPECT_EQ(0, send_traffic("accel0", "accel1"));
	EXPECT_EQ(0, send_traffic("accel2", "accel0"));
	EXPECT_EQ(2, refused("partition-down"));

	/* A device that leaves a down partition leaves its state behind. */
	ASSERT_EQ(0, part_state(&self->c, r, AIFAB_CMD_PARTITION_SET, "p1",
				NULL, AIFAB_ADMIN_STATE_DOWN));
	ASSERT_EQ(0, part_set(&self->c, r, "p1", NULL, "accel1"));
	ASSERT_EQ(0, route_get(&self->c, r, "accel1", "accel3"));
	EXPECT_STREQ("allowed src=accel1 dst=accel3 parts=-/- degraded=0"
		     " via accel1-accel3:accel1>accel3:up", route_str(r->m[0], s, 1024));
	nl_close(&mon);
}

TEST_F(nl, fence_new_get_del)
{
	struct nl_reply *r = self->r;
	char *s = self->s;

	ASSERT_EQ(0, part_new(&self->c, r, "p1", "acme", "accel0"));
	ASSERT_EQ(0, part_new(&self->c, r, "p2", "beta", "accel2"));
	ASSERT_EQ(0, part_new(&self->c, r, "p3", "gamma", "efa1"));
	EXPECT_STREQ("", fence_pairs(&self->c, r, s, 1024));
	EXPECT_EQ(0, r->n);

	ASSERT_EQ(0, fence_cmd(&self->c, r, AIFAB_CMD_FENCE_NEW, "p1", "p2"));
	EXPECT_TRUE(r->acked);
	ASSERT_EQ(0, fence_cmd(&self->c, r, AIFAB_CMD_FENCE_NEW, "p3", "p1"));
	EXPECT_STREQ("p1+p2 p1+p3", fence_pairs(&self->c, r, s, 1024));
	EXPECT_EQ(0, r->not_multi);
	EXPECT_EQ(2, objects_wait("fence", 2));

	/* A fence works both ways, so the reverse pair is the same fence. */
	EXPECT_EQ(-EEXIST, fence_cmd(&self->c, r, AIFAB_CMD_FENCE_NEW, "p2", "p1"));
	EXPECT_EXTACK(r, "that fence exists");
	ASSERT_EQ(0, fence_cmd(&self->c, r, AIFAB_CMD_FENCE_DEL, "p2", "p1"));
	EXPECT_STREQ("p1+p3", fence_pairs(&self->c, r, s, 1024));
	ASSERT_EQ(0, fence_cmd(&self->c, r, AIFAB_CMD_FENCE_DEL, "p1", "p3"));
	EXPECT_STREQ("", fence_pairs(&self->c, r, s, 1024));
	EXPECT_EQ(0, objects_wait("fence", 0));
}

TEST_F(nl, route_unpartitioned)
{
	struct nl_reply *r = self->r;
	struct nl_reply *links = nl_reply_new();
	char *s = self->s;

	ASSERT_NE(NULL, links);
	ASSERT_EQ(0, dump(&self->c, links, AIFAB_CMD_LINK_GET));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel1"));
	EXPECT_TRUE(r->acked);
	ASSERT_EQ(1, r->n);
	EXPECT_EQ(AIFAB_CMD_ROUTE_GET, nl_cmd(r->m[0]));
	EXPECT_STREQ("allowed src=accel0 dst=accel1 parts=-/- degraded=0"
		     " via accel0-accel1:accel0>accel1:up",
		     route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, route_get(&self->c, r, "accel1", "accel0"));
	EXPECT_STREQ("allowed src=accel1 dst=accel0 parts=-/- degraded=0"
		     " via accel0-accel1:accel1>accel0:up",
		     route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, route_get(&self->c, r, "efa0", "efa1"));
	EXPECT_STREQ("allowed src=efa0 dst=efa1 parts=-/- degraded=0"
		     " via efa0-efa1:efa0>efa1:up", route_str(r->m[0], s, 1024));
	/* Two shortest paths exist; either is right, as long as it is one. */
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "efa1"));
	EXPECT_EQ(2, route_chain(r->m[0], links, "accel0", "efa1", NULL))
		TH_LOG("%s", route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, route_get(&self->c, r, "accel2", "accel2"));
	EXPECT_STREQ("allowed src=accel2 dst=accel2 parts=-/- degraded=0",
		     route_str(r->m[0], s, 1024));
	free(links);
}

TEST_F(nl, route_hops_in_order)
{
	struct nl_reply *r = self->r;
	char *s = self->s;

	/* Leave one path: accel0 - accel1 - accel2 - accel3 - efa1. */
	ASSERT_EQ(0, links_set(&self->c, r, "accel3-accel0 accel0-accel2 "
			       "accel1-accel3 efa0-accel0 efa0-accel1 efa1-accel2 efa0-efa1",
			       AIFAB_ADMIN_STATE_DOWN));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "efa1"));
	EXPECT_STREQ("allowed src=accel0 dst=efa1 parts=-/- degraded=0"
		     " via accel0-accel1:accel0>accel1:up"
		     " via accel1-accel2:accel1>accel2:up"
		     " via accel2-accel3:accel2>accel3:up"
		     " via efa1-accel3:accel3>efa1:up", route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, route_get(&self->c, r, "efa1", "accel0"));
	EXPECT_STREQ("allowed src=efa1 dst=accel0 parts=-/- degraded=0"
		     " via efa1-accel3:efa1>accel3:up"
		     " via accel2-accel3:accel3>accel2:up"
		     " via accel1-accel2:accel2>accel1:up"
		     " via accel0-accel1:accel1>accel0:up", route_str(r->m[0], s, 1024));
	/* A shorter path coming up wins. */
	ASSERT_EQ(0, link_set(&self->c, r, "accel3-accel0", AIFAB_ADMIN_STATE_UP));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "efa1"));
	EXPECT_STREQ("allowed src=accel0 dst=efa1 parts=-/- degraded=0"
		     " via accel3-accel0:accel0>accel3:up"
		     " via efa1-accel3:accel3>efa1:up", route_str(r->m[0], s, 1024));
}

TEST_F(nl, route_follows_fences)
{
	struct nl_reply *r = self->r;
	char *s = self->s;

	ASSERT_EQ(0, part_new(&self->c, r, "p1", "acme", "accel0 accel1"));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel1"));
	EXPECT_STREQ("allowed src=accel0 dst=accel1 parts=p1/p1 degraded=0"
		     " via accel0-accel1:accel0>accel1:up", route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel0"));
	EXPECT_STREQ("allowed src=accel0 dst=accel0 parts=p1/p1 degraded=0",
		     route_str(r->m[0], s, 1024));

	/* Partitioned to unpartitioned, both ways. */
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel2"));
	EXPECT_STREQ("refused reason=unpartitioned src=accel0 dst=accel2"
		     " parts=p1/- degraded=0", route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, route_get(&self->c, r, "accel2", "accel1"));
	EXPECT_STREQ("refused reason=unpartitioned src=accel2 dst=accel1"
		     " parts=-/p1 degraded=0", route_str(r->m[0], s, 1024));
	/* Unpartitioned devices still reach each other. */
	ASSERT_EQ(0, route_get(&self->c, r, "accel2", "accel3"));
	EXPECT_STREQ("allowed src=accel2 dst=accel3 parts=-/- degraded=0"
		     " via accel2-accel3:accel2>accel3:up", route_str(r->m[0], s, 1024));

	/* Two partitions: refused until a fence joins them. */
	ASSERT_EQ(0, part_new(&self->c, r, "p2", "beta", "accel2 accel3"));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel2"));
	EXPECT_STREQ("refused reason=fence src=accel0 dst=accel2 parts=p1/p2"
		     " degraded=0", route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, route_get(&self->c, r, "accel3", "accel1"));
	EXPECT_STREQ("refused reason=fence src=accel3 dst=accel1 parts=p2/p1"
		     " degraded=0", route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, fence_cmd(&self->c, r, AIFAB_CMD_FENCE_NEW, "p1", "p2"));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel2"));
	EXPECT_STREQ("allowed src=accel0 dst=accel2 parts=p1/p2 degraded=0"
		     " via accel0-accel2:accel0>accel2:up", route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, route_get(&self->c, r, "accel3", "accel1"));
	EXPECT_STREQ("allowed src=accel3 dst=accel1 parts=p2/p1 degraded=0"
		     " via accel1-accel3:accel3>accel1:up", route_str(r->m[0], s, 1024));
	/* A fence does not open partitioned to unpartitioned traffic. */
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "efa0"));
	EXPECT_STREQ("refused reason=unpartitioned src=accel0 dst=efa0"
		     " parts=p1/- degraded=0", route_str(r->m[0], s, 1024));

	ASSERT_EQ(0, fence_cmd(&self->c, r, AIFAB_CMD_FENCE_DEL, "p1", "p2"));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel2"));
	EXPECT_STREQ("refused reason=fence src=accel0 dst=accel2 parts=p1/p2"
		     " degraded=0", route_str(r->m[0], s, 1024));

	/* Deleting a partition takes its fences with it. */
	ASSERT_EQ(0, fence_cmd(&self->c, r, AIFAB_CMD_FENCE_NEW, "p2", "p1"));
	EXPECT_STREQ("p1+p2", fence_pairs(&self->c, r, s, 1024));
	ASSERT_EQ(0, part_del(&self->c, r, "p2"));
	EXPECT_STREQ("", fence_pairs(&self->c, r, s, 1024));
	EXPECT_EQ(0, objects_wait("fence", 0));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel2"));
	EXPECT_STREQ("refused reason=unpartitioned src=accel0 dst=accel2"
		     " parts=p1/- degraded=0", route_str(r->m[0], s, 1024));
	/* A new partition that reuses the freed id must not inherit it. */
	ASSERT_EQ(0, part_new(&self->c, r, "p3", "gamma", "accel2"));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel2"));
	EXPECT_STREQ("refused reason=fence src=accel0 dst=accel2 parts=p1/p3"
		     " degraded=0", route_str(r->m[0], s, 1024));
}

TEST_F(nl, route_link_down_reroutes)
{
	struct nl_reply *r = self->r;
	struct nl_reply *links = nl_reply_new();
	char *s = self->s;

	ASSERT_NE(NULL, links);
	ASSERT_EQ(0, dump(&self->c, links, AIFAB_CMD_LINK_GET));
	ASSERT_EQ(0, link_set(&self->c, r, "accel0-accel2", AIFAB_ADMIN_STATE_DOWN));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel2"));
	EXPECT_STREQ("allowed", route_str(r->m[0], s, 8));
	EXPECT_EQ(2, route_chain(r->m[0], links, "accel0", "accel2", "accel0-accel2"))
		TH_LOG("%s", route_str(r->m[0], s, 1024));

	/* Every link of accel0 down: no path either way. */
	ASSERT_EQ(0, links_set(&self->c, r, "accel0-accel1 accel3-accel0 efa0-accel0",
			       AIFAB_ADMIN_STATE_DOWN));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel2"));
	EXPECT_STREQ("refused reason=no-path src=accel0 dst=accel2 parts=-/-"
		     " degraded=0", route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, route_get(&self->c, r, "efa1", "accel0"));
	EXPECT_STREQ("refused reason=no-path src=efa1 dst=accel0 parts=-/-"
		     " degraded=0", route_str(r->m[0], s, 1024));
	/* The rest of the fabric is still connected, and a device to itself. */
	ASSERT_EQ(0, route_get(&self->c, r, "accel1", "accel2"));
	EXPECT_STREQ("allowed", route_str(r->m[0], s, 8));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel0"));
	EXPECT_STREQ("allowed src=accel0 dst=accel0 parts=-/- degraded=0",
		     route_str(r->m[0], s, 1024));

	ASSERT_EQ(0, link_set(&self->c, r, "efa0-accel0", AIFAB_ADMIN_STATE_UP));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "efa0"));
	EXPECT_STREQ("allowed src=accel0 dst=efa0 parts=-/- degraded=0"
		     " via efa0-accel0:accel0>efa0:up", route_str(r->m[0], s, 1024));
	ASSERT_EQ(0, route_get(&self->c, r, "accel0", "accel2"));
	EXPECT_EQ(3, route_chain(r->m[0], links, "accel0", "accel2", "accel0-accel2"))
		TH_LOG("%s", route_str(r->m[0], s, 1024));
	free(links);
}

TEST_F(nl, route_errors)
{
	struct nl_reply *r = self->r;
	struct nlmsghdr *nlh;

	EXPECT_EQ(-ENOENT, route_get(&self->c, r, "accel9", "accel1"));
	EXPECT_EXTACK(r, "no such device");
	EXPECT_EQ(FIRST_ATTR, r->offs);
	EXPECT_EQ(0, r->n);
	/* The destination attribute follows "accel0\0" padded to 8 bytes. */
	EXPECT_EQ(-ENOENT, route_get(&self->c, r, "accel0", "accel9"));
	EXPECT_EXTACK(r, "no such device");
	EXPECT_EQ(FIRST_ATTR + NLA_HDRLEN + 8, r->offs);

	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_ROUTE_GET, false);
	mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_SRC, "accel0");
	EXPECT_EQ(-EINVAL, nl_talk(&self->c, nlh, r));
	EXPECT_EQ(AIFAB_A_ROUTE_DST, r->miss_type);
}

/* One refused request of the table-driven tests below. */
enum { A_END, A_STR, A_RAW, A_U8, A_U16, A_U32, A_U64, A_EMPTY, A_NEST };

struct gattr {
	int kind;
	uint16_t type;
	const char *s;
	uint64_t v;
};

struct gcase {
	const char *desc;
	uint8_t cmd;
	bool dump;
	struct gattr a[5];
	int err;
	const char *msg;	/* fixed part of the extack message, or NULL */
	int miss;		/* the missing attribute reported, or 0 */
};

#define S(t, s)		{ A_STR, t, s, 0 }	/* string with its NUL */
#define RAW(t, s)	{ A_RAW, t, s, 0 }	/* the bytes, no NUL */
#define U8(t, v)	{ A_U8, t, NULL, v }
#define U16(t, v)	{ A_U16, t, NULL, v }
#define U32(t, v)	{ A_U32, t, NULL, v }
#define U64(t, v)	{ A_U64, t, NULL, v }
#define EMPTY(t)	{ A_EMPTY, t, NULL, 0 }
#define NEST(t, s)	{ A_NEST, t, s, 0 }	/* a nest holding string 1 */

#define LNAME		S(AIFAB_A_LINK_NAME, "accel0-accel1")
#define PNAME(n)	S(AIFAB_A_PARTITION_NAME, n)

static struct nlmsghdr *gcase_build(struct nlc *c, void *buf,
				    const struct gcase *g)
{
	struct nlmsghdr *nlh = nl_req(c, buf, g->cmd, g->dump);
	const struct gattr *a;
	struct nlattr *nest;

	for (a = g->a; a->kind != A_END; a++) {
		switch (a->kind) {
		case A_STR:
			mnl_attr_put_strz(nlh, a->type, a->s);
			break;
		case A_RAW:
			mnl_attr_put(nlh, a->type, strlen(a->s), a->s);
			break;
		case A_U8:
			mnl_attr_put_u8(nlh, a->type, a->v);
			break;
		case A_U16:
			mnl_attr_put_u16(nlh, a->type, a->v);
			break;
		case A_U32:
			mnl_attr_put_u32(nlh, a->type, a->v);
			break;
		case A_U64:
			mnl_attr_put_u64(nlh, a->type, a->v);
			break;
		case A_EMPTY:
			mnl_attr_put(nlh, a->type, 0, NULL);
			break;
		case A_NEST:
			nest = mnl_attr_nest_start(nlh, a->type);
			mnl_attr_put_strz(nlh, 1, a->s);
			mnl_attr_nest_end(nlh, nest);
			break;
		}
	}
	return nlh;
}

/*
 * The state most refusals could damage: two partitions joined by a fence,
 * an empty one, and a link down.
 */
static void garbage_state(struct __test_metadata *_metadata, struct nlc *c,
			  struct nl_reply *r)
{
	ASSERT_EQ(0, part_new(c, r, "p1", "acme", "accel0 accel1"));
	ASSERT_EQ(0, part_new(c, r, "p2", "beta", "accel2"));
	ASSERT_EQ(0, part_new(c, r, "p3", "gamma", NULL));
	ASSERT_EQ(0, fence_cmd(c, r, AIFAB_CMD_FENCE_NEW, "p1", "p2"));
	ASSERT_EQ(0, link_set(c, r, "efa0-efa1", AIFAB_ADMIN_STATE_DOWN));
}

/* Sends every case; each must be refused as stated and change nothing. */
static void run_cases(struct __test_metadata *_metadata, struct nlc *c,
		      struct nl_reply *r, void *buf, const struct gcase *cases,
		      size_t n)
{
	char *before, *after;
	size_t i;

	garbage_state(_metadata, c, r);
	before = nl_snapshot(c);
	ASSERT_NE(NULL, before);
	for (i = 0; i < n; i++) {
		const struct gcase *g = &cases[i];

		EXPECT_EQ(g->err, nl_talk(c, gcase_build(c, buf, g), r))
			TH_LOG("%s: errno %d, extack \"%s\"", g->desc, -r->err, r->msg);
		EXPECT_EQ(0, r->n) TH_LOG("%s: got a reply", g->desc);
		if (g->msg)
			EXPECT_NE(NULL, strstr(r->msg, g->msg))
				TH_LOG("%s: extack \"%s\", expected \"%s\"",
				       g->desc, r->msg, g->msg);
		if (g->miss)
			EXPECT_EQ(g->miss, r->miss_type)
				TH_LOG("%s: missing attribute %d reported",
				       g->desc, r->miss_type);
		after = nl_snapshot(c);
		EXPECT_TRUE(snap_same(before, after)) TH_LOG("%s", g->desc);
		free(after);
	}
	free(before);
}

#define RUN_CASES(cases) \
	run_cases(_metadata, &self->c, self->r, self->buf, cases, \
		  ARRAY_SIZE(cases))

TEST_F(nl, refuse_wrong_types_and_lengths)
{
	static const struct gcase cases[] = {
		{ "admin state as u16", AIFAB_CMD_LINK_SET, false,
		  { LNAME, U16(AIFAB_A_LINK_ADMIN_STATE, 2) },
		  -EINVAL, "invalid attribute length", 0 },
		{ "admin state as u8", AIFAB_CMD_LINK_SET, false,
		  { LNAME, U8(AIFAB_A_LINK_ADMIN_STATE, 2) },
		  -EINVAL, "invalid attribute length", 0 },
		{ "admin state as u64", AIFAB_CMD_LINK_SET, false,
		  { LNAME, U64(AIFAB_A_LINK_ADMIN_STATE, 2) },
		  -EINVAL, "invalid attribute length", 0 },
		{ "partition state as u8", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p1"), U8(AIFAB_A_PARTITION_ADMIN_STATE, 2) },
		  -EINVAL, "invalid attribute length", 0 },
		{ "partition state as u64 in new", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p4"), S(AIFAB_A_PARTITION_TENANT, "t"),
		    U64(AIFAB_A_PARTITION_ADMIN_STATE, 2) },
		  -EINVAL, "invalid attribute length", 0 },
		{ "partition state as a string", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p1"), S(AIFAB_A_PARTITION_ADMIN_STATE, "up") },
		  -EINVAL, "invalid attribute length", 0 },
		{ "link name without NUL", AIFAB_CMD_LINK_SET, false,
		  { RAW(AIFAB_A_LINK_NAME, "accel0-accel1"),
		    U32(AIFAB_A_LINK_ADMIN_STATE, 2) },
		  -EINVAL, "Attribute failed policy validation", 0 },
		{ "partition name without NUL", AIFAB_CMD_PARTITION_NEW, false,
		  { RAW(AIFAB_A_PARTITION_NAME, "p4"),
		    S(AIFAB_A_PARTITION_TENANT, "t") },
		  -EINVAL, "Attribute failed policy validation", 0 },
		{ "device name without NUL", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p3"), RAW(AIFAB_A_PARTITION_DEV_ADD, "accel3") },
		  -EINVAL, "Attribute failed policy validation", 0 },
		{ "empty attribute for a name", AIFAB_CMD_PARTITION_DEL, false,
		  { EMPTY(AIFAB_A_PARTITION_NAME) },
		  -EINVAL, "Attribute failed policy validation", 0 },
		{ "u32 where a name goes", AIFAB_CMD_FENCE_DEL, false,
		  { U32(AIFAB_A_FENCE_PART_A, 0x41424344),
		    S(AIFAB_A_FENCE_PART_B, "p2") },
		  -EINVAL, "Attribute failed policy validation", 0 },
		{ "nested flag on a string", AIFAB_CMD_PARTITION_DEL, false,
		  { NEST(AIFAB_A_PARTITION_NAME, "p1") },
		  -EINVAL, "NLA_F_NESTED not expected", 0 },
		{ "nested flag on a route source", AIFAB_CMD_ROUTE_GET, false,
		  { NEST(AIFAB_A_ROUTE_SRC, "accel0"),
		    S(AIFAB_A_ROUTE_DST, "accel1") },
		  -EINVAL, "NLA_F_NESTED not expected", 0 },
		{ "dump with a name without NUL", AIFAB_CMD_DEV_GET, true,
		  { RAW(AIFAB_A_DEV_NAME, "accel0") },
		  -EINVAL, "Attribute failed policy validation", 0 },
	};

	RUN_CASES(cases);
}

TEST_F(nl, refuse_missing_attributes)
{
	static const struct gcase cases[] = {
		{ "link set without name", AIFAB_CMD_LINK_SET, false,
		  { U32(AIFAB_A_LINK_ADMIN_STATE, 2) },
		  -EINVAL, NULL, AIFAB_A_LINK_NAME },
		{ "link set without state", AIFAB_CMD_LINK_SET, false,
		  { LNAME }, -EINVAL, "nothing to set", 0 },
		{ "partition new without name", AIFAB_CMD_PARTITION_NEW, false,
		  { S(AIFAB_A_PARTITION_TENANT, "t") },
		  -EINVAL, NULL, AIFAB_A_PARTITION_NAME },
		{ "partition new without tenant", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p4") }, -EINVAL, NULL, AIFAB_A_PARTITION_TENANT },
		{ "partition del without name", AIFAB_CMD_PARTITION_DEL, false,
		  { }, -EINVAL, NULL, AIFAB_A_PARTITION_NAME },
		{ "partition set without name", AIFAB_CMD_PARTITION_SET, false,
		  { S(AIFAB_A_PARTITION_DEV_ADD, "accel3") },
		  -EINVAL, NULL, AIFAB_A_PARTITION_NAME },
		{ "fence new without b", AIFAB_CMD_FENCE_NEW, false,
		  { S(AIFAB_A_FENCE_PART_A, "p1") },
		  -EINVAL, NULL, AIFAB_A_FENCE_PART_B },
		{ "fence del without a", AIFAB_CMD_FENCE_DEL, false,
		  { S(AIFAB_A_FENCE_PART_B, "p2") },
		  -EINVAL, NULL, AIFAB_A_FENCE_PART_A },
		{ "route without source", AIFAB_CMD_ROUTE_GET, false,
		  { S(AIFAB_A_ROUTE_DST, "accel1") },
		  -EINVAL, NULL, AIFAB_A_ROUTE_SRC },
		{ "node get without name", AIFAB_CMD_NODE_GET, false,
		  { }, -EINVAL, NULL, AIFAB_A_NODE_NAME },
		{ "dev get without name", AIFAB_CMD_DEV_GET, false,
		  { }, -EINVAL, NULL, AIFAB_A_DEV_NAME },
		{ "link get without name", AIFAB_CMD_LINK_GET, false,
		  { }, -EINVAL, NULL, AIFAB_A_LINK_NAME },
		{ "partition get without name", AIFAB_CMD_PARTITION_GET, false,
		  { }, -EINVAL, NULL, AIFAB_A_PARTITION_NAME },
	};

	RUN_CASES(cases);
}

TEST_F(nl, refuse_out_of_range_and_unknown)
{
	static const struct gcase cases[] = {
		{ "admin state 0", AIFAB_CMD_LINK_SET, false,
		  { LNAME, U32(AIFAB_A_LINK_ADMIN_STATE, 0) },
		  -ERANGE, "integer out of range", 0 },
		{ "admin state 3", AIFAB_CMD_LINK_SET, false,
		  { LNAME, U32(AIFAB_A_LINK_ADMIN_STATE, 3) },
		  -ERANGE, "integer out of range", 0 },
		{ "admin state ~0", AIFAB_CMD_LINK_SET, false,
		  { LNAME, U32(AIFAB_A_LINK_ADMIN_STATE, 0xffffffff) },
		  -ERANGE, "integer out of range", 0 },
		{ "partition state 0 in set", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p1"), U32(AIFAB_A_PARTITION_ADMIN_STATE, 0) },
		  -ERANGE, "integer out of range", 0 },
		{ "partition state 3 in set", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p1"), U32(AIFAB_A_PARTITION_ADMIN_STATE, 3) },
		  -ERANGE, "integer out of range", 0 },
		{ "partition state ~0 in set, with a device", AIFAB_CMD_PARTITION_SET,
		  false, { PNAME("p1"), S(AIFAB_A_PARTITION_DEV_ADD, "accel3"),
			   U32(AIFAB_A_PARTITION_ADMIN_STATE, 0xffffffff) },
		  -ERANGE, "integer out of range", 0 },
		{ "partition state 0 in new", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p4"), S(AIFAB_A_PARTITION_TENANT, "t"),
		    U32(AIFAB_A_PARTITION_ADMIN_STATE, 0) },
		  -ERANGE, "integer out of range", 0 },
		{ "partition state 3 in new", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p4"), S(AIFAB_A_PARTITION_TENANT, "t"),
		    S(AIFAB_A_PARTITION_DEV, "accel3"),
		    U32(AIFAB_A_PARTITION_ADMIN_STATE, 3) },
		  -ERANGE, "integer out of range", 0 },
		{ "partition state in partition del", AIFAB_CMD_PARTITION_DEL, false,
		  { PNAME("p1"), U32(AIFAB_A_PARTITION_ADMIN_STATE, 2) },
		  -EINVAL, "Unsupported attribute", 0 },
		{ "partition state in partition get", AIFAB_CMD_PARTITION_GET, false,
		  { PNAME("p1"), U32(AIFAB_A_PARTITION_ADMIN_STATE, 2) },
		  -EINVAL, "Unsupported attribute", 0 },
		{ "attribute above the link max", AIFAB_CMD_LINK_SET, false,
		  { LNAME, U32(AIFAB_A_LINK_ADMIN_STATE, 2),
		    U32(AIFAB_A_LINK_MAX + 1, 2) },
		  -EINVAL, "Unknown attribute type", 0 },
		{ "attribute 0x7fff", AIFAB_CMD_PARTITION_DEL, false,
		  { PNAME("p1"), U32(0x7fff, 1) },
		  -EINVAL, "Unknown attribute type", 0 },
		{ "attribute 0", AIFAB_CMD_PARTITION_DEL, false,
		  { U32(0, 1), PNAME("p1") },
		  -EINVAL, "Unknown attribute type", 0 },
		{ "fence attribute 3", AIFAB_CMD_FENCE_DEL, false,
		  { S(AIFAB_A_FENCE_PART_A, "p1"), S(AIFAB_A_FENCE_PART_B, "p2"),
		    S(AIFAB_A_FENCE_MAX + 1, "p3") },
		  -EINVAL, "Unknown attribute type", 0 },
		{ "link state in link set", AIFAB_CMD_LINK_SET, false,
		  { LNAME, U32(AIFAB_A_LINK_ADMIN_STATE, 2),
		    U32(AIFAB_A_LINK_STATE, AIFAB_LINK_STATE_DOWN) },
		  -EINVAL, "Unsupported attribute", 0 },
		{ "dev-add in partition new", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p4"), S(AIFAB_A_PARTITION_TENANT, "t"),
		    S(AIFAB_A_PARTITION_DEV_ADD, "accel3") },
		  -EINVAL, "Unsupported attribute", 0 },
		{ "dev in partition set", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p3"), S(AIFAB_A_PARTITION_DEV, "accel3") },
		  -EINVAL, "Unsupported attribute", 0 },
		{ "tenant in partition set", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p3"), S(AIFAB_A_PARTITION_TENANT, "x"),
		    S(AIFAB_A_PARTITION_DEV_ADD, "accel3") },
		  -EINVAL, "Unsupported attribute", 0 },
		{ "event in partition del", AIFAB_CMD_PARTITION_DEL, false,
		  { PNAME("p1"), U32(AIFAB_A_PARTITION_EVENT, 2) },
		  -EINVAL, "Unsupported attribute", 0 },
		{ "allowed in route get", AIFAB_CMD_ROUTE_GET, false,
		  { S(AIFAB_A_ROUTE_SRC, "accel0"), S(AIFAB_A_ROUTE_DST, "accel1"),
		    U8(AIFAB_A_ROUTE_ALLOWED, 1) },
		  -EINVAL, "Unsupported attribute", 0 },
		{ "device id in a dump", AIFAB_CMD_DEV_GET, true,
		  { U32(AIFAB_A_DEV_ID, 1) }, -EINVAL, "Unsupported attribute", 0 },
		{ "fence dump with a stray attribute", AIFAB_CMD_FENCE_GET, true,
		  { S(AIFAB_A_FENCE_MAX + 1, "x") }, -EINVAL,
		  "Unknown attribute type", 0 },
	};

	RUN_CASES(cases);
}

TEST_F(nl, refuse_bad_names)
{
	static const struct gcase cases[] = {
		{ "partition name of 32", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME(LONG_NAME), S(AIFAB_A_PARTITION_TENANT, "t") },
		  -EINVAL, "Attribute failed policy validation", 0 },
		{ "tenant name of 32", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p4"), S(AIFAB_A_PARTITION_TENANT, LONG_NAME) },
		  -EINVAL, "Attribute failed policy validation", 0 },
		{ "device name of 32", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p4"), S(AIFAB_A_PARTITION_TENANT, "t"),
		    S(AIFAB_A_PARTITION_DEV, LONG_NAME) },
		  -EINVAL, "Attribute failed policy validation", 0 },
		{ "device get name of 32", AIFAB_CMD_DEV_GET, false,
		  { S(AIFAB_A_DEV_NAME, LONG_NAME) },
		  -EINVAL, "Attribute failed policy validation", 0 },
		{ "route name of 32", AIFAB_CMD_ROUTE_GET, false,
		  { S(AIFAB_A_ROUTE_SRC, "accel0"), S(AIFAB_A_ROUTE_DST, LONG_NAME) },
		  -EINVAL, "Attribute failed policy validation", 0 },
		{ "empty partition name", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME(""), S(AIFAB_A_PARTITION_TENANT, "t") },
		  -EINVAL, "partition name must be 1-31 characters", 0 },
		{ "slash in partition name", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p/4"), S(AIFAB_A_PARTITION_TENANT, "t") },
		  -EINVAL, "partition name must be 1-31 characters", 0 },
		{ "space in partition name", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p 4"), S(AIFAB_A_PARTITION_TENANT, "t") },
		  -EINVAL, "partition name must be 1-31 characters", 0 },
		{ "control character in partition name", AIFAB_CMD_PARTITION_NEW,
		  false, { PNAME("p\t4"), S(AIFAB_A_PARTITION_TENANT, "t") },
		  -EINVAL, "partition name must be 1-31 characters", 0 },
		{ "empty tenant", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p4"), S(AIFAB_A_PARTITION_TENANT, "") },
		  -EINVAL, "tenant name must be 1-31 characters", 0 },
		{ "colon in tenant", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p4"), S(AIFAB_A_PARTITION_TENANT, "a:b") },
		  -EINVAL, "tenant name must be 1-31 characters", 0 },
		{ "empty device name", AIFAB_CMD_DEV_GET, false,
		  { S(AIFAB_A_DEV_NAME, "") }, -ENOENT, "no such device", 0 },
	};

	RUN_CASES(cases);
}

/*
 * The UAPI allows names of [a-zA-Z0-9_.-] only. Bytes above 0x7f are not
 * in that set, whatever the kernel's Latin-1 ctype table says of them.
 */
TEST_F(nl, refuse_names_outside_ascii)
{
	static const struct gcase cases[] = {
		{ "latin-1 letter in partition name", AIFAB_CMD_PARTITION_NEW,
		  false, { PNAME("caf\xe9"), S(AIFAB_A_PARTITION_TENANT, "t") },
		  -EINVAL, "partition name must be 1-31 characters", 0 },
		{ "latin-1 letters in tenant", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p4"), S(AIFAB_A_PARTITION_TENANT, "\xc0\xff") },
		  -EINVAL, "tenant name must be 1-31 characters", 0 },
	};

	RUN_CASES(cases);
}

TEST_F(nl, refuse_partition_rules)
{
	static const struct gcase cases[] = {
		{ "duplicate partition name", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p1"), S(AIFAB_A_PARTITION_TENANT, "other") },
		  -EEXIST, "partition exists", 0 },
		{ "device in two partitions (new)", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p4"), S(AIFAB_A_PARTITION_TENANT, "t"),
		    S(AIFAB_A_PARTITION_DEV, "accel3"),
		    S(AIFAB_A_PARTITION_DEV, "accel1") },
		  -EBUSY, "device is in another partition", 0 },
		{ "device in two partitions (set)", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p3"), S(AIFAB_A_PARTITION_DEV_ADD, "accel2") },
		  -EBUSY, "device is in another partition", 0 },
		{ "device twice in new", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p4"), S(AIFAB_A_PARTITION_TENANT, "t"),
		    S(AIFAB_A_PARTITION_DEV, "accel3"),
		    S(AIFAB_A_PARTITION_DEV, "accel3") },
		  -EINVAL, "device listed twice", 0 },
		{ "device twice in add", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p3"), S(AIFAB_A_PARTITION_DEV_ADD, "efa0"),
		    S(AIFAB_A_PARTITION_DEV_ADD, "efa0") },
		  -EINVAL, "device listed twice", 0 },
		{ "device twice in del", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p1"), S(AIFAB_A_PARTITION_DEV_DEL, "accel0"),
		    S(AIFAB_A_PARTITION_DEV_DEL, "accel0") },
		  -EINVAL, "device listed twice", 0 },
		{ "device added and removed", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p1"), S(AIFAB_A_PARTITION_DEV_ADD, "accel3"),
		    S(AIFAB_A_PARTITION_DEV_DEL, "accel3") },
		  -EINVAL, "device both added and removed", 0 },
		{ "member added again", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p1"), S(AIFAB_A_PARTITION_DEV_ADD, "accel0") },
		  -EEXIST, "device already in this partition", 0 },
		{ "non-member removed", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p1"), S(AIFAB_A_PARTITION_DEV_DEL, "accel2") },
		  -ENOENT, "device is not in this partition", 0 },
		{ "good add with a bad del", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p1"), S(AIFAB_A_PARTITION_DEV_ADD, "accel3"),
		    S(AIFAB_A_PARTITION_DEV_DEL, "efa1") },
		  -ENOENT, "device is not in this partition", 0 },
		{ "unknown device in new", AIFAB_CMD_PARTITION_NEW, false,
		  { PNAME("p4"), S(AIFAB_A_PARTITION_TENANT, "t"),
		    S(AIFAB_A_PARTITION_DEV, "accel3"),
		    S(AIFAB_A_PARTITION_DEV, "accel7") },
		  -ENOENT, "no such device", 0 },
		{ "unknown device in del", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p1"), S(AIFAB_A_PARTITION_DEV_DEL, "gpu0") },
		  -ENOENT, "no such device", 0 },
		{ "set of a missing partition", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p9"), S(AIFAB_A_PARTITION_DEV_ADD, "accel3") },
		  -ENOENT, "no such partition", 0 },
		{ "state of a missing partition", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p9"), U32(AIFAB_A_PARTITION_ADMIN_STATE, 2) },
		  -ENOENT, "no such partition", 0 },
		{ "state with a bad device", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p1"), U32(AIFAB_A_PARTITION_ADMIN_STATE, 2),
		    S(AIFAB_A_PARTITION_DEV_DEL, "accel3") },
		  -ENOENT, "device is not in this partition", 0 },
		{ "state without a partition name", AIFAB_CMD_PARTITION_SET, false,
		  { U32(AIFAB_A_PARTITION_ADMIN_STATE, 2) },
		  -EINVAL, NULL, AIFAB_A_PARTITION_NAME },
		{ "set with nothing to change", AIFAB_CMD_PARTITION_SET, false,
		  { PNAME("p1") }, -EINVAL, "nothing to change", 0 },
		{ "delete a missing partition", AIFAB_CMD_PARTITION_DEL, false,
		  { PNAME("p9") }, -ENOENT, "no such partition", 0 },
	};

	RUN_CASES(cases);
}

TEST_F(nl, refuse_fence_rules)
{
	static const struct gcase cases[] = {
		{ "fence to itself", AIFAB_CMD_FENCE_NEW, false,
		  { S(AIFAB_A_FENCE_PART_A, "p1"), S(AIFAB_A_FENCE_PART_B, "p1") },
		  -EINVAL, "a fence joins two different partitions", 0 },
		{ "delete a fence to itself", AIFAB_CMD_FENCE_DEL, false,
		  { S(AIFAB_A_FENCE_PART_A, "p2"), S(AIFAB_A_FENCE_PART_B, "p2") },
		  -EINVAL, "a fence joins two different partitions", 0 },
		{ "duplicate fence", AIFAB_CMD_FENCE_NEW, false,
		  { S(AIFAB_A_FENCE_PART_A, "p1"), S(AIFAB_A_FENCE_PART_B, "p2") },
		  -EEXIST, "that fence exists", 0 },
		{ "duplicate fence, reversed", AIFAB_CMD_FENCE_NEW, false,
		  { S(AIFAB_A_FENCE_PART_A, "p2"), S(AIFAB_A_FENCE_PART_B, "p1") },
		  -EEXIST, "that fence exists", 0 },
		{ "fence to a missing partition", AIFAB_CMD_FENCE_NEW, false,
		  { S(AIFAB_A_FENCE_PART_A, "p1"), S(AIFAB_A_FENCE_PART_B, "p9") },
		  -ENOENT, "no such partition", 0 },
		{ "delete a missing fence", AIFAB_CMD_FENCE_DEL, false,
		  { S(AIFAB_A_FENCE_PART_A, "p1"), S(AIFAB_A_FENCE_PART_B, "p3") },
		  -ENOENT, "no fence joins those partitions", 0 },
		{ "delete a fence of a missing partition", AIFAB_CMD_FENCE_DEL,
		  false, { S(AIFAB_A_FENCE_PART_A, "p9"),
			   S(AIFAB_A_FENCE_PART_B, "p1") },
		  -ENOENT, "no such partition", 0 },
		{ "set a missing link", AIFAB_CMD_LINK_SET, false,
		  { S(AIFAB_A_LINK_NAME, "accel0-accel3"),
		    U32(AIFAB_A_LINK_ADMIN_STATE, 2) },
		  -ENOENT, "no such link", 0 },
	};

	RUN_CASES(cases);
}

/* AIFAB_PARTITION_REQ_DEVS in the module: 256 names per list. */
TEST_F(nl, refuse_too_many_devices)
{
	static const uint16_t lists[][2] = {
		{ AIFAB_CMD_PARTITION_NEW, AIFAB_A_PARTITION_DEV },
		{ AIFAB_CMD_PARTITION_SET, AIFAB_A_PARTITION_DEV_ADD },
		{ AIFAB_CMD_PARTITION_SET, AIFAB_A_PARTITION_DEV_DEL },
	};
	struct nl_reply *r = self->r;
	struct nlmsghdr *nlh;
	char *before, *after;
	unsigned int i, j;
	char name[16];

	garbage_state(_metadata, &self->c, r);
	before = nl_snapshot(&self->c);
	ASSERT_NE(NULL, before);
	for (i = 0; i < 3; i++) {
		bool new = lists[i][0] == AIFAB_CMD_PARTITION_NEW;

		/* 257 names: over the limit, whatever they name. */
		nlh = nl_req(&self->c, self->buf, lists[i][0], false);
		mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, new ? "p4" : "p1");
		if (new)
			mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_TENANT, "t");
		for (j = 0; j < 257; j++)
			mnl_attr_put_strz(nlh, lists[i][1], "accel3");
		EXPECT_EQ(-E2BIG, nl_talk(&self->c, nlh, r)) TH_LOG("list %u", i);
		EXPECT_EXTACK(r, "too many devices in one request");

		/* 256 distinct names are within the limit: then they must exist. */
		nlh = nl_req(&self->c, self->buf, lists[i][0], false);
		mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, new ? "p4" : "p1");
		if (new)
			mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_TENANT, "t");
		for (j = 0; j < 256; j++) {
			snprintf(name, sizeof(name), "x%u", j);
			mnl_attr_put_strz(nlh, lists[i][1], name);
		}
		EXPECT_EQ(-ENOENT, nl_talk(&self->c, nlh, r)) TH_LOG("list %u", i);
		EXPECT_EXTACK(r, "no such device");

		after = nl_snapshot(&self->c);
		EXPECT_TRUE(snap_same(before, after)) TH_LOG("list %u", i);
		free(after);
	}
	free(before);
}

TEST_F(nl, refuse_bad_headers)
{
	static const uint8_t bad_cmds[] = {
		0, AIFAB_CMD_LINK_STATE_NTF, AIFAB_CMD_FENCE_VIOLATION_NTF,
		AIFAB_CMD_PARTITION_NTF, AIFAB_CMD_MAX + 1, 200, 255,
	};
	struct nl_reply *r = self->r;
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	char *before, *after;
	unsigned int i;

	garbage_state(_metadata, &self->c, r);
	before = nl_snapshot(&self->c);
	ASSERT_NE(NULL, before);

	for (i = 0; i < sizeof(bad_cmds); i++) {
		nlh = nl_req(&self->c, self->buf, bad_cmds[i], false);
		mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, "p1");
		EXPECT_EQ(-EOPNOTSUPP, nl_talk(&self->c, nlh, r))
			TH_LOG("command %u", bad_cmds[i]);
		nlh = nl_req(&self->c, self->buf, bad_cmds[i], true);
		EXPECT_EQ(-EOPNOTSUPP, nl_talk(&self->c, nlh, r))
			TH_LOG("dump of command %u", bad_cmds[i]);
	}
	/* Commands that exist, in the form they do not have. */
	EXPECT_EQ(-EOPNOTSUPP, dump(&self->c, r, AIFAB_CMD_LINK_SET));
	EXPECT_EQ(-EOPNOTSUPP, dump(&self->c, r, AIFAB_CMD_PARTITION_DEL));
	EXPECT_EQ(-EOPNOTSUPP, dump(&self->c, r, AIFAB_CMD_ROUTE_GET));
	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_FENCE_GET, false);
	EXPECT_EQ(-EOPNOTSUPP, nl_talk(&self->c, nlh, r));

	/* resv_start_op makes the kernel check the reserved field. */
	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_PARTITION_DEL, false);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, "p1");
	genl = mnl_nlmsg_get_payload(nlh);
	genl->reserved = 1;
	EXPECT_EQ(-EINVAL, nl_talk(&self->c, nlh, r));
	EXPECT_EXTACK(r, "reserved");
	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_LINK_GET, true);
	genl = mnl_nlmsg_get_payload(nlh);
	genl->reserved = 0x8000;
	EXPECT_EQ(-EINVAL, nl_talk(&self->c, nlh, r));
	EXPECT_EQ(0, r->n);

	/* Netlink flags a new family does not take. */
	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_PARTITION_NEW, false);
	nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, "p4");
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_TENANT, "t");
	EXPECT_EQ(-EINVAL, nl_talk(&self->c, nlh, r));
	EXPECT_EXTACK(r, "ambiguous or reserved bits set in nlmsg_flags");
	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_DEV_GET, false);
	nlh->nlmsg_flags |= NLM_F_ROOT;
	EXPECT_EQ(-EINVAL, nl_talk(&self->c, nlh, r));
	EXPECT_EXTACK(r, "ambiguous or reserved bits set in nlmsg_flags");

	after = nl_snapshot(&self->c);
	EXPECT_TRUE(snap_same(before, after));
	free(after);
	free(before);
}

/* Sends @len bytes of @nlh as they are, whatever nlmsg_len says. */
static int send_raw(struct nlc *c, const struct nlmsghdr *nlh, size_t len)
{
	return nl_send(c, nlh, len);
}

TEST_F(nl, refuse_truncated_messages)
{
	struct nl_reply *r = self->r;
	struct nlmsghdr *nlh;
	char *before, *after;
	uint32_t seq;

	garbage_state(_metadata, &self->c, r);
	before = nl_snapshot(&self->c);
	ASSERT_NE(NULL, before);

	/* A netlink header without a genl header. */
	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_PARTITION_DEL, false);
	nlh->nlmsg_len = NLMSG_HDRLEN;
	EXPECT_EQ(-EINVAL, nl_talk(&self->c, nlh, r));
	/* Half a genl header. */
	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_PARTITION_DEL, false);
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	EXPECT_EQ(-EINVAL, nl_talk(&self->c, nlh, r));

	/* An attribute longer than what is left of the message. */
	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_PARTITION_DEL, false);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, "p1");
	nlh->nlmsg_len -= 4;
	EXPECT_EQ(-EINVAL, nl_talk(&self->c, nlh, r));
	EXPECT_EXTACK(r, "bytes leftover after parsing attributes");
	/* Two bytes of an attribute header after a good attribute. */
	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_PARTITION_DEL, false);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, "p1");
	nlh->nlmsg_len += 2;
	EXPECT_EQ(-EINVAL, nl_talk(&self->c, nlh, r));
	EXPECT_EXTACK(r, "bytes leftover after parsing attributes");
	/* An attribute that claims less than its own header. */
	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_PARTITION_DEL, false);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, "p1");
	((struct nlattr *)((char *)nlh + FIRST_ATTR))->nla_len = 2;
	EXPECT_EQ(-EINVAL, nl_talk(&self->c, nlh, r));
	EXPECT_EXTACK(r, "bytes leftover after parsing attributes");

	/*
	 * A datagram shorter than a netlink header, and a message that claims
	 * more than was sent: the kernel drops both without a word. The next
	 * request must be answered normally, and alone.
	 */
	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_PARTITION_DEL, false);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, "p1");
	EXPECT_EQ(0, send_raw(&self->c, nlh, 8));
	seq = nlh->nlmsg_seq;
	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_PARTITION_DEL, false);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, "p1");
	EXPECT_EQ(0, send_raw(&self->c, nlh, nlh->nlmsg_len - 4));
	ASSERT_EQ(0, nl_do_name(&self->c, r, AIFAB_CMD_NODE_GET, AIFAB_A_NODE_NAME,
				"node0"));
	EXPECT_EQ(1, r->n);
	EXPECT_EQ(0, r->stray) TH_LOG("seq %u got an answer", seq);

	after = nl_snapshot(&self->c);
	EXPECT_TRUE(snap_same(before, after));
	free(after);
	free(before);
}

/*
 * compat.h promises that the extack offset points at the culprit, so that
 * on 6.1, where messages carry no name, the caller still learns which of
 * its devices or partitions was refused.
 */
TEST_F(nl, extack_points_at_culprit)
{
	struct nl_reply *r = self->r;
	struct nlmsghdr *nlh;
	uint32_t at;

	garbage_state(_metadata, &self->c, r);

	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_PARTITION_NEW, false);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, "p4");
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_TENANT, "t");
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_DEV, "accel3");
	at = nlh->nlmsg_len;
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_DEV, "accel1");
	EXPECT_EQ(-EBUSY, nl_talk(&self->c, nlh, r));
	EXPECT_EXTACK(r, "device is in another partition");
	EXPECT_EQ(at, r->offs) TH_LOG("busy device not pointed at");

	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_FENCE_NEW, false);
	mnl_attr_put_strz(nlh, AIFAB_A_FENCE_PART_A, "p1");
	at = nlh->nlmsg_len;
	mnl_attr_put_strz(nlh, AIFAB_A_FENCE_PART_B, "p9");
	EXPECT_EQ(-ENOENT, nl_talk(&self->c, nlh, r));
	EXPECT_EXTACK(r, "no such partition");
	EXPECT_EQ(at, r->offs) TH_LOG("missing partition not pointed at");

	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_LINK_SET, false);
	at = nlh->nlmsg_len;
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME, "accel9-accel8");
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_ADMIN_STATE, AIFAB_ADMIN_STATE_DOWN);
	EXPECT_EQ(-ENOENT, nl_talk(&self->c, nlh, r));
	EXPECT_EXTACK(r, "no such link");
	EXPECT_EQ(at, r->offs) TH_LOG("missing link not pointed at");
}

TEST_F(nl, monitor_link_state)
{
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	struct nl_reply *r = self->r;
	char ev[8192] __attribute__((aligned(8)));
	struct nlc mon;

	ASSERT_EQ(0, nl_open(&mon));
	ASSERT_NE(0, mon.monitor_grp);
	ASSERT_EQ(0, nl_join_monitor(&mon));

	ASSERT_EQ(0, link_set(&self->c, r, "accel1-accel2", AIFAB_ADMIN_STATE_DOWN));
	ASSERT_EQ(AIFAB_CMD_LINK_STATE_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_LINK_STATE_NTF, ev, sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_LINK_MAX);
	EXPECT_STREQ("accel1-accel2", nl_str(tb[AIFAB_A_LINK_NAME]));
	EXPECT_EQ(AIFAB_LINK_STATE_DOWN, nl_u32(tb[AIFAB_A_LINK_STATE], -1));
	EXPECT_EQ(AIFAB_ADMIN_STATE_DOWN, nl_u32(tb[AIFAB_A_LINK_ADMIN_STATE], -1));
	EXPECT_EQ(topo_num("link", "accel1-accel2", "id"),
		  nl_u32(tb[AIFAB_A_LINK_ID], -1));
	EXPECT_STREQ("accel1", nl_str(tb[AIFAB_A_LINK_A]));
	EXPECT_STREQ("accel2", nl_str(tb[AIFAB_A_LINK_B]));
	EXPECT_EQ(AIFAB_LINK_KIND_ACCEL, nl_u32(tb[AIFAB_A_LINK_KIND], -1));
	EXPECT_LT(0, nl_u32(tb[AIFAB_A_LINK_SPEED_MBPS], -1));

	/* No change, no event. */
	ASSERT_EQ(0, link_set(&self->c, r, "accel1-accel2", AIFAB_ADMIN_STATE_DOWN));
	EXPECT_EQ(-ETIMEDOUT, nl_next_event(&mon, ev, sizeof(ev), 300));

	ASSERT_EQ(0, link_set(&self->c, r, "accel1-accel2", AIFAB_ADMIN_STATE_UP));
	ASSERT_EQ(AIFAB_CMD_LINK_STATE_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_LINK_STATE_NTF, ev, sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_LINK_MAX);
	EXPECT_STREQ("accel1-accel2", nl_str(tb[AIFAB_A_LINK_NAME]));
	EXPECT_EQ(AIFAB_LINK_STATE_UP, nl_u32(tb[AIFAB_A_LINK_STATE], -1));
	EXPECT_EQ(AIFAB_ADMIN_STATE_UP, nl_u32(tb[AIFAB_A_LINK_ADMIN_STATE], -1));
	nl_close(&mon);
}

TEST_F(nl, monitor_partition)
{
	const struct nlattr *tb[AIFAB_A_PARTITION_MAX + 1];
	struct nl_reply *r = self->r;
	char ev[8192] __attribute__((aligned(8)));
	char *s = self->s;
	struct nlc mon;
	int64_t id;

	ASSERT_EQ(0, nl_open(&mon));
	ASSERT_EQ(0, nl_join_monitor(&mon));

	ASSERT_EQ(0, part_new(&self->c, r, "p1", "acme", "accel0 efa0"));
	ASSERT_EQ(AIFAB_CMD_PARTITION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_PARTITION_NTF, ev, sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_PARTITION_MAX);
	EXPECT_EQ(AIFAB_PARTITION_EVENT_NEW, nl_u32(tb[AIFAB_A_PARTITION_EVENT], -1));
	EXPECT_STREQ("p1", nl_str(tb[AIFAB_A_PARTITION_NAME]));
	EXPECT_STREQ("acme", nl_str(tb[AIFAB_A_PARTITION_TENANT]));
	id = nl_u32(tb[AIFAB_A_PARTITION_ID], -1);
	EXPECT_EQ(topo_num("partition", "p1", "id"), id);
	EXPECT_STREQ("accel0 efa0", nl_strs((void *)ev, AIFAB_A_PARTITION_DEV, s, 1024));
	EXPECT_EQ(AIFAB_ADMIN_STATE_UP,
		  nl_u32(tb[AIFAB_A_PARTITION_ADMIN_STATE], -1));

	/* A new partition: nothing left it, nothing was zeroed. */
	EXPECT_EQ(NULL, tb[AIFAB_A_PARTITION_SCRUB_BYTES]);

	ASSERT_EQ(0, part_set(&self->c, r, "p1", "accel1", "efa0"));
	ASSERT_EQ(AIFAB_CMD_PARTITION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_PARTITION_NTF, ev, sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_PARTITION_MAX);
	EXPECT_EQ(AIFAB_PARTITION_EVENT_CHANGE,
		  nl_u32(tb[AIFAB_A_PARTITION_EVENT], -1));
	EXPECT_STREQ("p1", nl_str(tb[AIFAB_A_PARTITION_NAME]));
	EXPECT_EQ(id, nl_u32(tb[AIFAB_A_PARTITION_ID], -1));
	EXPECT_STREQ("accel0 accel1", nl_strs((void *)ev, AIFAB_A_PARTITION_DEV, s, 1024));
	EXPECT_EQ(AIFAB_ADMIN_STATE_UP,
		  nl_u32(tb[AIFAB_A_PARTITION_ADMIN_STATE], -1));
	/* efa0 left: the event says what was zeroed, nothing for an EFA device. */
	EXPECT_EQ(0, nl_u64(tb[AIFAB_A_PARTITION_SCRUB_BYTES], -1));

	/* Devices joining only: none left, no scrub to report. */
	ASSERT_EQ(0, part_set(&self->c, r, "p1", "efa0", NULL));
	ASSERT_EQ(AIFAB_CMD_PARTITION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_PARTITION_NTF, ev, sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_PARTITION_MAX);
	EXPECT_EQ(AIFAB_PARTITION_EVENT_CHANGE,
		  nl_u32(tb[AIFAB_A_PARTITION_EVENT], -1));
	EXPECT_STREQ("accel0 accel1 efa0",
		     nl_strs((void *)ev, AIFAB_A_PARTITION_DEV, s, 1024));
	EXPECT_EQ(NULL, tb[AIFAB_A_PARTITION_SCRUB_BYTES]);
	ASSERT_EQ(0, part_set(&self->c, r, "p1", NULL, "efa0"));
	ASSERT_EQ(AIFAB_CMD_PARTITION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_PARTITION_NTF, ev, sizeof(ev), 2000));

	/* A change of the admin state alone. */
	ASSERT_EQ(0, part_state(&self->c, r, AIFAB_CMD_PARTITION_SET, "p1",
				NULL, AIFAB_ADMIN_STATE_DOWN));
	ASSERT_EQ(AIFAB_CMD_PARTITION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_PARTITION_NTF, ev, sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_PARTITION_MAX);
	EXPECT_EQ(AIFAB_PARTITION_EVENT_CHANGE,
		  nl_u32(tb[AIFAB_A_PARTITION_EVENT], -1));
	EXPECT_EQ(AIFAB_ADMIN_STATE_DOWN,
		  nl_u32(tb[AIFAB_A_PARTITION_ADMIN_STATE], -1));
	EXPECT_STREQ("accel0 accel1", nl_strs((void *)ev, AIFAB_A_PARTITION_DEV, s, 1024));
	EXPECT_EQ(NULL, tb[AIFAB_A_PARTITION_SCRUB_BYTES]);

	/* A refused change announces nothing. */
	EXPECT_EQ(-EEXIST, part_new(&self->c, r, "p1", "acme", NULL));
	EXPECT_EQ(-ETIMEDOUT, nl_next_event(&mon, ev, sizeof(ev), 300));

	ASSERT_EQ(0, part_del(&self->c, r, "p1"));
	ASSERT_EQ(AIFAB_CMD_PARTITION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_PARTITION_NTF, ev, sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_PARTITION_MAX);
	EXPECT_EQ(AIFAB_PARTITION_EVENT_DEL, nl_u32(tb[AIFAB_A_PARTITION_EVENT], -1));
	EXPECT_STREQ("p1", nl_str(tb[AIFAB_A_PARTITION_NAME]));
	EXPECT_STREQ("acme", nl_str(tb[AIFAB_A_PARTITION_TENANT]));
	EXPECT_EQ(id, nl_u32(tb[AIFAB_A_PARTITION_ID], -1));
	EXPECT_EQ(AIFAB_ADMIN_STATE_DOWN,
		  nl_u32(tb[AIFAB_A_PARTITION_ADMIN_STATE], -1));
	/* Its accelerators held no buffer: a delete says so, with 0. */
	EXPECT_EQ(0, nl_u64(tb[AIFAB_A_PARTITION_SCRUB_BYTES], -1));
	nl_close(&mon);
}

/*
 * PARTITION_SET of the admin state and the netns binding, each optional:
 * @state 0 leaves the state out, @netns_fd -2 leaves the binding out.
 */
static int part_set_attrs(struct nlc *c, struct nl_reply *r, const char *name,
			  uint32_t state, int netns_fd)
{
	char buf[256] __attribute__((aligned(8)));
	struct nlmsghdr *nlh = nl_req(c, buf, AIFAB_CMD_PARTITION_SET, false);

	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, name);
	if (state)
		mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_ADMIN_STATE, state);
	if (netns_fd != -2)
		mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_NETNS_FD, (uint32_t)netns_fd);
	return nl_talk(c, nlh, r);
}

/*
 * A PARTITION_SET that finds every value it names already in place
 * succeeds, changes nothing, and announces nothing; one that changes any
 * of them announces it once.
 */
TEST_F(nl, monitor_partition_noop_set)
{
	const struct nlattr *tb[AIFAB_A_PARTITION_MAX + 1];
	char ev[8192] __attribute__((aligned(8)));
	struct nl_reply *r = self->r;
	char *before, *after;
	int64_t cookie;
	struct nlc mon;
	int ns;

	ASSERT_EQ(0, nl_open(&mon));
	ASSERT_EQ(0, nl_join_monitor(&mon));
	ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ns);
	ASSERT_EQ(0, part_new(&self->c, r, "p1", "acme", "accel0 efa0"));
	ASSERT_EQ(AIFAB_CMD_PARTITION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_PARTITION_NTF, ev, sizeof(ev), 2000));
	before = nl_snapshot(&self->c);
	ASSERT_NE(NULL, before);

	/* Up already, unbound already, and both together. */
	EXPECT_EQ(0, part_set_attrs(&self->c, r, "p1", AIFAB_ADMIN_STATE_UP, -2))
		TH_LOG("%s", r->msg);
	EXPECT_EQ(-ETIMEDOUT, nl_next_event(&mon, ev, sizeof(ev), 300))
		TH_LOG("an event for a state set to the value it had");
	EXPECT_EQ(0, part_set_attrs(&self->c, r, "p1", 0, -1)) TH_LOG("%s", r->msg);
	EXPECT_EQ(-ETIMEDOUT, nl_next_event(&mon, ev, sizeof(ev), 300))
		TH_LOG("an event for unbinding an unbound partition");
	EXPECT_EQ(0, part_set_attrs(&self->c, r, "p1", AIFAB_ADMIN_STATE_UP, -1))
		TH_LOG("%s", r->msg);
	EXPECT_EQ(-ETIMEDOUT, nl_next_event(&mon, ev, sizeof(ev), 300))
		TH_LOG("an event for a set of two values already in place");
	/* Nothing changed, the generation included. */
	after = nl_snapshot(&self->c);
	ASSERT_NE(NULL, after);
	EXPECT_TRUE(snap_same(before, after));
	free(before);
	free(after);

	/* One real change among values already in place: one event. */
	EXPECT_EQ(0, part_set_attrs(&self->c, r, "p1", AIFAB_ADMIN_STATE_UP, ns))
		TH_LOG("%s", r->msg);
	ASSERT_EQ(AIFAB_CMD_PARTITION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_PARTITION_NTF, ev, sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_PARTITION_MAX);
	EXPECT_EQ(AIFAB_PARTITION_EVENT_CHANGE,
		  nl_u32(tb[AIFAB_A_PARTITION_EVENT], -1));
	cookie = nl_u64(tb[AIFAB_A_PARTITION_NETNS_COOKIE], 0);
	EXPECT_NE(0, cookie);
	EXPECT_EQ(NULL, tb[AIFAB_A_PARTITION_SCRUB_BYTES]);
	EXPECT_EQ(-ETIMEDOUT, nl_next_event(&mon, ev, sizeof(ev), 300));

	/* Bound to that namespace already: nothing. */
	EXPECT_EQ(0, part_set_attrs(&self->c, r, "p1", 0, ns)) TH_LOG("%s", r->msg);
	EXPECT_EQ(-ETIMEDOUT, nl_next_event(&mon, ev, sizeof(ev), 300))
		TH_LOG("an event for binding to the namespace it had");

	/* The state changes, the binding stays: one event, with both. */
	EXPECT_EQ(0, part_set_attrs(&self->c, r, "p1", AIFAB_ADMIN_STATE_DOWN, ns))
		TH_LOG("%s", r->msg);
	ASSERT_EQ(AIFAB_CMD_PARTITION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_PARTITION_NTF, ev, sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_PARTITION_MAX);
	EXPECT_EQ(AIFAB_PARTITION_EVENT_CHANGE,
		  nl_u32(tb[AIFAB_A_PARTITION_EVENT], -1));
	EXPECT_EQ(AIFAB_ADMIN_STATE_DOWN,
		  nl_u32(tb[AIFAB_A_PARTITION_ADMIN_STATE], -1));
	EXPECT_EQ(cookie, nl_u64(tb[AIFAB_A_PARTITION_NETNS_COOKIE], 0));
	EXPECT_EQ(-ETIMEDOUT, nl_next_event(&mon, ev, sizeof(ev), 300));
	EXPECT_EQ(AIFAB_ADMIN_STATE_DOWN, part_admin(&self->c, r, "p1"));

	/* Down already: nothing; a refused set: nothing either. */
	EXPECT_EQ(0, part_set_attrs(&self->c, r, "p1", AIFAB_ADMIN_STATE_DOWN, -2))
		TH_LOG("%s", r->msg);
	EXPECT_EQ(-ETIMEDOUT, nl_next_event(&mon, ev, sizeof(ev), 300));
	EXPECT_EQ(-ENOENT, part_set(&self->c, r, "p1", NULL, "accel1"));
	EXPECT_EQ(-ETIMEDOUT, nl_next_event(&mon, ev, sizeof(ev), 300));

	/* Back up, unbound: one event. */
	EXPECT_EQ(0, part_set_attrs(&self->c, r, "p1", AIFAB_ADMIN_STATE_UP, -1))
		TH_LOG("%s", r->msg);
	ASSERT_EQ(AIFAB_CMD_PARTITION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_PARTITION_NTF, ev, sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_PARTITION_MAX);
	EXPECT_EQ(AIFAB_ADMIN_STATE_UP,
		  nl_u32(tb[AIFAB_A_PARTITION_ADMIN_STATE], -1));
	EXPECT_EQ(NULL, tb[AIFAB_A_PARTITION_NETNS_COOKIE]);
	EXPECT_EQ(-ETIMEDOUT, nl_next_event(&mon, ev, sizeof(ev), 300));

	close(ns);
	ASSERT_EQ(0, part_del(&self->c, r, "p1"));
	nl_close(&mon);
}

/* Fence-violation events come from the data path: debugfs "traffic". */
TEST_F(nl, monitor_fence_violation)
{
	const struct nlattr *tb[AIFAB_A_VIOLATION_MAX + 1];
	struct nl_reply *r = self->r;
	char ev[8192] __attribute__((aligned(8)));
	struct nlc mon;

	ASSERT_EQ(0, part_new(&self->c, r, "p1", "acme", "accel0 accel1"));
	ASSERT_EQ(0, part_new(&self->c, r, "p2", "beta", "accel2"));
	ASSERT_EQ(0, nl_open(&mon));
	ASSERT_EQ(0, nl_join_monitor(&mon));

	EXPECT_EQ(-EACCES, send_traffic("accel0", "accel2"));
	ASSERT_EQ(AIFAB_CMD_FENCE_VIOLATION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_FENCE_VIOLATION_NTF, ev,
				sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_VIOLATION_MAX);
	EXPECT_STREQ("accel0", nl_str(tb[AIFAB_A_VIOLATION_SRC]));
	EXPECT_STREQ("accel2", nl_str(tb[AIFAB_A_VIOLATION_DST]));
	EXPECT_STREQ("p1", nl_str(tb[AIFAB_A_VIOLATION_SRC_PARTITION]));
	EXPECT_STREQ("p2", nl_str(tb[AIFAB_A_VIOLATION_DST_PARTITION]));
	EXPECT_EQ(AIFAB_ROUTE_REASON_FENCE, nl_u32(tb[AIFAB_A_VIOLATION_REASON], -1));
	EXPECT_EQ(0, nl_u32(tb[AIFAB_A_VIOLATION_SUPPRESSED], -1));

	EXPECT_EQ(-EACCES, send_traffic("efa1", "accel1"));
	ASSERT_EQ(AIFAB_CMD_FENCE_VIOLATION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_FENCE_VIOLATION_NTF, ev,
				sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_VIOLATION_MAX);
	EXPECT_STREQ("efa1", nl_str(tb[AIFAB_A_VIOLATION_SRC]));
	EXPECT_STREQ("accel1", nl_str(tb[AIFAB_A_VIOLATION_DST]));
	EXPECT_EQ(NULL, tb[AIFAB_A_VIOLATION_SRC_PARTITION]);
	EXPECT_STREQ("p1", nl_str(tb[AIFAB_A_VIOLATION_DST_PARTITION]));
	EXPECT_EQ(AIFAB_ROUTE_REASON_UNPARTITIONED,
		  nl_u32(tb[AIFAB_A_VIOLATION_REASON], -1));

	/* Allowed traffic and missing paths are no violations. */
	EXPECT_EQ(0, send_traffic("accel0", "accel1"));
	ASSERT_EQ(0, fence_cmd(&self->c, r, AIFAB_CMD_FENCE_NEW, "p1", "p2"));
	EXPECT_EQ(0, send_traffic("accel2", "accel0"));
	ASSERT_EQ(0, links_set(&self->c, r, "accel1-accel2 efa1-accel2 "
			       "accel2-accel3 accel0-accel2", AIFAB_ADMIN_STATE_DOWN));
	EXPECT_EQ(-EHOSTUNREACH, send_traffic("accel2", "accel0"));
	EXPECT_EQ(-ETIMEDOUT, nl_wait_event(&mon, AIFAB_CMD_FENCE_VIOLATION_NTF,
					    ev, sizeof(ev), 300));
	EXPECT_EQ(-ENOENT, send_traffic("accel2", "accel7"));
	nl_close(&mon);
}

/* At most 10 violation events a second; the rest are counted, not lost. */
TEST_F(nl, monitor_violation_rate_limit)
{
	const struct nlattr *tb[AIFAB_A_VIOLATION_MAX + 1];
	struct nl_reply *r = self->r;
	char ev[8192] __attribute__((aligned(8)));
	unsigned int i, events = 0, accounted = 0;
	const unsigned int burst = 25;
	struct timespec t0, t1;
	struct nlc mon;
	double secs;

	ASSERT_EQ(0, part_new(&self->c, r, "p1", "acme", "accel0"));
	ASSERT_EQ(0, part_new(&self->c, r, "p2", "beta", "accel3"));
	ASSERT_EQ(0, nl_open(&mon));
	ASSERT_EQ(0, nl_join_monitor(&mon));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < burst; i++)
		ASSERT_EQ(-EACCES, send_traffic("accel3", "accel0"));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	while (nl_wait_event(&mon, AIFAB_CMD_FENCE_VIOLATION_NTF, ev, sizeof(ev),
			     300) > 0) {
		nl_attrs((void *)ev, tb, AIFAB_A_VIOLATION_MAX);
		events++;
		accounted += 1 + nl_u32(tb[AIFAB_A_VIOLATION_SUPPRESSED], 0);
	}
	EXPECT_LE(1, events);
	EXPECT_GT(burst, events);
	if (secs < 0.9)
		EXPECT_EQ(10, events) TH_LOG("%u events in %.2f s", events, secs);

	/* The next interval's first event reports what was suppressed. */
	usleep(1100 * 1000);
	EXPECT_EQ(-EACCES, send_traffic("accel3", "accel0"));
	ASSERT_EQ(AIFAB_CMD_FENCE_VIOLATION_NTF,
		  nl_wait_event(&mon, AIFAB_CMD_FENCE_VIOLATION_NTF, ev,
				sizeof(ev), 2000));
	nl_attrs((void *)ev, tb, AIFAB_A_VIOLATION_MAX);
	accounted += 1 + nl_u32(tb[AIFAB_A_VIOLATION_SUPPRESSED], 0);
	EXPECT_EQ(burst + 1, accounted);
	EXPECT_EQ((long)burst + 1, refused("fence"));
	EXPECT_EQ(0, refused("unpartitioned"));
	EXPECT_EQ(0, refused("no-path"));
	nl_close(&mon);
}

/* Which of the unprivileged child's requests ended how. */
struct unpriv_result {
	int cap_net_admin;	/* 1 if the child still had it */
	int reads[7];
	int writes[7];
};

static int unpriv_requests(struct unpriv_result *res)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	struct nl_reply *r = nl_reply_new();
	char buf[512] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct nlc c;
	int i = 0;

	if (!r || syscall(SYS_capget, &hdr, data))
		return 1;
	res->cap_net_admin = !!(data[0].effective & (1U << CAP_NET_ADMIN));
	/* The socket is opened without the capability too. */
	if (nl_open(&c))
		return 1;
	res->reads[i++] = dump(&c, r, AIFAB_CMD_NODE_GET);
	res->reads[i++] = dump(&c, r, AIFAB_CMD_DEV_GET);
	res->reads[i++] = dump(&c, r, AIFAB_CMD_LINK_GET);
	res->reads[i++] = dump(&c, r, AIFAB_CMD_PARTITION_GET) ?: r->n != 3;
	res->reads[i++] = dump(&c, r, AIFAB_CMD_FENCE_GET) ?: r->n != 1;
	res->reads[i++] = nl_do_name(&c, r, AIFAB_CMD_DEV_GET, AIFAB_A_DEV_NAME, "efa0");
	res->reads[i++] = route_get(&c, r, "accel0", "accel2") ?: r->n != 1;

	i = 0;
	res->writes[i++] = link_set(&c, r, "accel0-accel1", AIFAB_ADMIN_STATE_DOWN);
	res->writes[i++] = part_new(&c, r, "p4", "mallory", "accel3");
	res->writes[i++] = part_set(&c, r, "p1", "accel3", NULL);
	res->writes[i++] = part_del(&c, r, "p1");
	res->writes[i++] = fence_cmd(&c, r, AIFAB_CMD_FENCE_NEW, "p1", "p3");
	res->writes[i++] = fence_cmd(&c, r, AIFAB_CMD_FENCE_DEL, "p1", "p2");
	/* Even an invalid request is refused for the permission first. */
	nlh = nl_req(&c, buf, AIFAB_CMD_PARTITION_DEL, false);
	res->writes[i++] = nl_talk(&c, nlh, r);
	nl_close(&c);
	free(r);
	return 0;
}

/* Drops every capability, one way or the other, then runs the requests. */
static void unpriv_child(int fd, bool setuid_nobody)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = { };
	struct unpriv_result res = { };
	int ret;

	if (setuid_nobody) {
		/* Without KEEPCAPS, leaving uid 0 clears all capabilities. */
		ret = prctl(PR_SET_KEEPCAPS, 0) || setgroups(0, NULL) ||
		      setgid(65534) || setuid(65534);
	} else {
		ret = syscall(SYS_capset, &hdr, data);
	}
	if (!ret)
		ret = unpriv_requests(&res);
	if (!ret && write(fd, &res, sizeof(res)) != sizeof(res))
		ret = 1;
	_exit(ret ? 1 : 0);
}

static void unpriv_test(struct __test_metadata *_metadata, struct nlc *c,
			struct nl_reply *r, bool setuid_nobody)
{
	struct unpriv_result res;
	char *before, *after;
	int fds[2], status;
	unsigned int i;
	pid_t pid;

	garbage_state(_metadata, c, r);
	before = nl_snapshot(c);
	ASSERT_NE(NULL, before);
	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(fds[0]);
		unpriv_child(fds[1], setuid_nobody);
	}
	close(fds[1]);
	ASSERT_EQ(sizeof(res), read(fds[0], &res, sizeof(res)));
	close(fds[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_EQ(0, res.cap_net_admin);
	for (i = 0; i < 7; i++)
		EXPECT_EQ(0, res.reads[i]) TH_LOG("read #%u", i);
	for (i = 0; i < 7; i++)
		EXPECT_EQ(-EPERM, res.writes[i]) TH_LOG("write #%u", i);
	after = nl_snapshot(c);
	EXPECT_TRUE(snap_same(before, after));
	free(after);
	free(before);
}

TEST_F(nl, unprivileged_capset)
{
	unpriv_test(_metadata, &self->c, self->r, false);
}

TEST_F(nl, unprivileged_nobody)
{
	unpriv_test(_metadata, &self->c, self->r, true);
}

/* Counts the distinct values of string attribute @type across a dump. */
static unsigned int distinct(const struct nl_reply *r, uint16_t type)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < r->n; i++) {
		const struct nlattr *ti[AIFAB_A_LINK_MAX + 1];
		const struct nlattr *tj[AIFAB_A_LINK_MAX + 1];
		bool dup = false;

		nl_attrs(r->m[i], ti, type);
		if (!nl_str(ti[type]))
			continue;
		for (j = 0; j < i && !dup; j++) {
			nl_attrs(r->m[j], tj, type);
			dup = nl_str(tj[type]) && !strcmp(nl_str(ti[type]),
							   nl_str(tj[type]));
		}
		n += !dup;
	}
	return n;
}

/* A dump longer than one message buffer still lists every object once. */
TEST_F(nl, dump_every_object_once)
{
	struct nl_reply *r = self->r;
	long links, devs;

	nl_close(&self->c);
	ASSERT_EQ(0, module_reload("accels=64 efas=16"));
	ASSERT_EQ(0, nl_open(&self->c));
	links = objects_live("link");
	devs = objects_live("device");
	ASSERT_EQ(80, devs);
	ASSERT_LT(200, links);

	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_LINK_GET));
	EXPECT_TRUE(r->done);
	EXPECT_FALSE(r->intr);
	EXPECT_EQ(0, r->not_multi);
	EXPECT_LT(NL_RX, r->len) TH_LOG("the dump fit in one datagram");
	EXPECT_EQ(links, r->n);
	EXPECT_EQ(links, distinct(r, AIFAB_A_LINK_NAME));

	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_DEV_GET));
	EXPECT_TRUE(r->done);
	EXPECT_EQ(devs, r->n);
	EXPECT_EQ(devs, distinct(r, AIFAB_A_DEV_NAME));
}

/*
 * A partition of 256 devices with the longest names is legal: 256 is the
 * most one request may name, and names may have 31 characters. It must be
 * as readable as a small one, by doit, dump and event alike. The devices
 * come from TOPOLOGY_SET, as the default topology has only 6.
 */
TEST_F(nl, big_partition_readable)
{
	const struct nlattr *tb[AIFAB_A_PARTITION_MAX + 1];
	struct nl_reply *r = self->r;
	char ev[65536] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	const int n = 256;
	char name[40];
	struct nlc mon;
	int i, cmd;

	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_TOPOLOGY_SET, false);
	nest = mnl_attr_nest_start(nlh, AIFAB_A_TOPOLOGY_NODE);
	mnl_attr_put_strz(nlh, AIFAB_A_NODE_NAME, "node0");
	mnl_attr_put_u8(nlh, AIFAB_A_NODE_LOCAL, 1);
	mnl_attr_nest_end(nlh, nest);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "accelerator-with-a-long-name%03d", i);
		nest = mnl_attr_nest_start(nlh, AIFAB_A_TOPOLOGY_DEV);
		mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, name);
		mnl_attr_put_u32(nlh, AIFAB_A_DEV_TYPE, AIFAB_DEV_TYPE_ACCEL);
		mnl_attr_put_strz(nlh, AIFAB_A_DEV_NODE, "node0");
		mnl_attr_put_u64(nlh, AIFAB_A_DEV_MEM_BYTES, GiB);
		mnl_attr_nest_end(nlh, nest);
	}
	ASSERT_EQ(0, nl_talk(&self->c, nlh, r)) TH_LOG("topology: %s", r->msg);
	ASSERT_EQ(n, objects_wait("device", n));

	ASSERT_EQ(0, nl_open(&mon));
	ASSERT_EQ(0, nl_join_monitor(&mon));
	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_PARTITION_NEW, false);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, "big");
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_TENANT, "acme");
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "accelerator-with-a-long-name%03d", i);
		mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_DEV, name);
	}
	ASSERT_EQ(0, nl_talk(&self->c, nlh, r)) TH_LOG("partition: %s", r->msg);

	cmd = nl_wait_event(&mon, AIFAB_CMD_PARTITION_NTF, ev, sizeof(ev), 2000);
	EXPECT_EQ(AIFAB_CMD_PARTITION_NTF, cmd) TH_LOG("no event for the partition");
	if (cmd == AIFAB_CMD_PARTITION_NTF)
		EXPECT_EQ(n, nl_count((void *)ev, AIFAB_A_PARTITION_DEV));

	EXPECT_EQ(0, nl_do_name(&self->c, r, AIFAB_CMD_PARTITION_GET,
				AIFAB_A_PARTITION_NAME, "big")) TH_LOG("get: %s", strerror(-r->err));
	if (!r->err && r->n == 1) {
		nl_attrs(r->m[0], tb, AIFAB_A_PARTITION_MAX);
		EXPECT_EQ(n, nl_count(r->m[0], AIFAB_A_PARTITION_DEV));
	}
	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_PARTITION_GET));
	ASSERT_EQ(1, r->n);
	EXPECT_EQ(n, nl_count(r->m[0], AIFAB_A_PARTITION_DEV));
	nl_close(&mon);
}

/*
 * The kernel builds the first chunk of a dump while the request is sent
 * and the next ones as the reader drains them, so a change made between
 * the send and the first read lands between two chunks.
 */
TEST_F(nl, dump_interrupted_by_change)
{
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	struct nl_reply *r = self->r;
	struct nl_reply *w = nl_reply_new();
	struct nlmsghdr *nlh;
	struct nlc other;
	long links;

	ASSERT_NE(NULL, w);
	nl_close(&self->c);
	ASSERT_EQ(0, module_reload("accels=64 efas=16"));
	ASSERT_EQ(0, nl_open(&self->c));
	ASSERT_EQ(0, nl_open(&other));
	links = objects_live("link");

	nlh = nl_req(&self->c, self->buf, AIFAB_CMD_LINK_GET, true);
	nl_reply_reset(r);
	ASSERT_EQ(0, nl_send(&self->c, nlh, nlh->nlmsg_len));
	ASSERT_EQ(0, link_set(&other, w, "accel0-accel1", AIFAB_ADMIN_STATE_DOWN));
	ASSERT_EQ(0, nl_recv_reply(&self->c, r, nlh->nlmsg_seq, NL_TIMEOUT_MS));
	EXPECT_EQ(0, r->err);
	EXPECT_TRUE(r->done);
	EXPECT_TRUE(r->intr) TH_LOG("a change during the dump was not flagged");
	EXPECT_EQ(links, distinct(r, AIFAB_A_LINK_NAME));

	/* Redone without a change, the dump is clean and shows it. */
	ASSERT_EQ(0, dump(&self->c, r, AIFAB_CMD_LINK_GET));
	EXPECT_FALSE(r->intr);
	nl_attrs(nl_find(r, AIFAB_A_LINK_NAME, "accel0-accel1"), tb, AIFAB_A_LINK_MAX);
	EXPECT_EQ(AIFAB_LINK_STATE_DOWN, nl_u32(tb[AIFAB_A_LINK_STATE], -1));

	nl_close(&other);
	free(w);
}

TEST_HARNESS_MAIN
