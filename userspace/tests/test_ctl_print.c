// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of aifabctl's output: replies and events are built with libmnl
 * as the kernel builds them, run through the real commands against a fake
 * kernel, and the text and JSON compared byte for byte, since scripts parse
 * both. Malformed replies must fail cleanly: exit status 1, one error line,
 * no JSON at all.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <linux/aifab.h>

#include "ctl_fake.h"

#define TEXT	0U
#define JSON	AIFAB_OUT_JSON
#define PRETTY	(AIFAB_OUT_JSON | AIFAB_OUT_PRETTY)

#define GIB	(1ULL << 30)

static int setup(void **state)
{
	*state = fake_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	fake_free(*state);
	return 0;
}

static void assert_output(const struct fake *fk, const char *out)
{
	assert_string_equal(fk->err, "");
	assert_string_equal(fk->out, out);
}

#define MALFORMED(what)	"aifabctl: " what ": malformed reply from the kernel\n"

/* A malformed reply: one error line, nothing on stdout in JSON mode. */
static void assert_malformed(struct fake *fk, const char *err,
			     const char **argv)
{
	assert_int_equal(fake_run(fk, JSON, argv), 1);
	assert_string_equal(fk->out, "");
	assert_string_equal(fk->err, err);
	assert_int_equal(fake_run(fk, TEXT, argv), 1);
	assert_string_equal(fk->err, err);
}

/*
 * A device as the kernel's DEV_GET fill puts it. mem_bytes is a u64, which
 * the kernel may precede with a PAD attribute to align it; @pad does that.
 */
static struct nlmsghdr *put_dev(struct fake *fk, uint32_t id,
				const char *name, uint32_t type,
				const char *part, uint64_t mem, bool pad)
{
	struct nlmsghdr *nlh = fake_msg(fk, AIFAB_CMD_DEV_GET);

	mnl_attr_put_u32(nlh, AIFAB_A_DEV_ID, id);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, name);
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_TYPE, type);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NODE, "node0");
	mnl_attr_put_u8(nlh, AIFAB_A_DEV_LOCAL, 1);
	if (part)
		mnl_attr_put_strz(nlh, AIFAB_A_DEV_PARTITION, part);
	if (pad)
		mnl_attr_put(nlh, AIFAB_A_DEV_PAD, 0, NULL);
	if (mem)
		mnl_attr_put_u64(nlh, AIFAB_A_DEV_MEM_BYTES, mem);
	return nlh;
}

static void queue_devs(struct fake *fk)
{
	struct nlmsghdr *nlh;

	fake_end(fk, put_dev(fk, 1, "accel0", AIFAB_DEV_TYPE_ACCEL, NULL, GIB,
			     true));
	fake_end(fk, put_dev(fk, 5, "efa0", AIFAB_DEV_TYPE_EFA, "p1", 0,
			     false));
	nlh = fake_msg(fk, AIFAB_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_ID, 9);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, "accel9");
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_TYPE, AIFAB_DEV_TYPE_ACCEL);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NODE, "node1");
	mnl_attr_put_u8(nlh, AIFAB_A_DEV_LOCAL, 0);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_PARTITION, "p2");
	mnl_attr_put_u64(nlh, AIFAB_A_DEV_MEM_BYTES, 2 * GIB);
	fake_end(fk, nlh);
}

static void test_dev_show_text(void **state)
{
	struct fake *fk = *state;

	queue_devs(fk);
	assert_int_equal(FAKE_RUN(fk, TEXT, "dev", "show"), 0);
	assert_output(fk,
		"accel0: type accel node node0 local partition - mem 1073741824\n"
		"efa0: type efa node node0 local partition p1\n"
		"accel9: type accel node node1 partition p2 mem 2147483648\n");
	assert_true(fk->req.dump);
}

static void test_dev_show_json(void **state)
{
	struct fake *fk = *state;

	queue_devs(fk);
	assert_int_equal(FAKE_RUN(fk, JSON, "dev", "show"), 0);
	assert_output(fk,
		"[{\"id\":1,\"name\":\"accel0\",\"type\":\"accel\","
		"\"node\":\"node0\",\"local\":true,\"partition\":null,"
		"\"mem_bytes\":1073741824},"
		"{\"id\":5,\"name\":\"efa0\",\"type\":\"efa\","
		"\"node\":\"node0\",\"local\":true,\"partition\":\"p1\","
		"\"mem_bytes\":null},"
		"{\"id\":9,\"name\":\"accel9\",\"type\":\"accel\","
		"\"node\":\"node1\",\"local\":false,\"partition\":\"p2\","
		"\"mem_bytes\":2147483648}]\n");
}

/* One named object: an array of one, the same shape as the dump. */
static void test_dev_show_one(void **state)
{
	struct fake *fk = *state;

	fake_end(fk, put_dev(fk, 5, "efa0", AIFAB_DEV_TYPE_EFA, NULL, 0,
			     false));
	assert_int_equal(FAKE_RUN(fk, PRETTY, "dev", "show", "efa0"), 0);
	assert_output(fk,
		"[\n"
		"  {\n"
		"    \"id\": 5,\n"
		"    \"name\": \"efa0\",\n"
		"    \"type\": \"efa\",\n"
		"    \"node\": \"node0\",\n"
		"    \"local\": true,\n"
		"    \"partition\": null,\n"
		"    \"mem_bytes\": null\n"
		"  }\n"
		"]\n");
	assert_false(fk->req.dump);
	assert_string_equal(fk->req.attrs[0].str, "efa0");
}

/* A local accelerator's node, memory, jobs and open files. */
static void test_dev_show_local_accel(void **state)
{
	struct fake *fk = *state;
	struct nlmsghdr *nlh;

	nlh = put_dev(fk, 1, "accel0", AIFAB_DEV_TYPE_ACCEL, NULL, GIB, false);
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_OPEN_COUNT, 2);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_DEV_NODE, "/dev/accel/accel0");
	mnl_attr_put_u64(nlh, AIFAB_A_DEV_MEM_USED, 4096);
	mnl_attr_put_u64(nlh, AIFAB_A_DEV_MEM_PEAK, 8192);
	mnl_attr_put_u64(nlh, AIFAB_A_DEV_JOBS_COMPLETED, 7);
	mnl_attr_put_u64(nlh, AIFAB_A_DEV_JOBS_FAILED, 1);
	fake_end(fk, nlh);
	assert_int_equal(FAKE_RUN(fk, TEXT, "dev", "show", "accel0"), 0);
	assert_output(fk,
		"accel0: type accel node node0 local partition - mem 1073741824"
		" dev /dev/accel/accel0 used 4096 peak 8192 jobs 7 failed 1"
		" open 2\n");
}

static void test_dev_show_local_accel_json(void **state)
{
	struct fake *fk = *state;
	struct nlmsghdr *nlh;

	nlh = put_dev(fk, 1, "accel0", AIFAB_DEV_TYPE_ACCEL, NULL, GIB, false);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_DEV_NODE, "/dev/dri/renderD128");
	mnl_attr_put_u64(nlh, AIFAB_A_DEV_MEM_USED, 0);
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_OPEN_COUNT, 0);
	fake_end(fk, nlh);
	assert_int_equal(FAKE_RUN(fk, JSON, "dev", "show", "accel0"), 0);
	assert_output(fk,
		"[{\"id\":1,\"name\":\"accel0\",\"type\":\"accel\","
		"\"node\":\"node0\",\"local\":true,\"partition\":null,"
		"\"mem_bytes\":1073741824,\"dev_node\":\"/dev/dri/renderD128\","
		"\"mem_used\":0,\"open_count\":0}]\n");
}

static void test_dev_show_empty(void **state)
{
	struct fake *fk = *state;

	assert_int_equal(FAKE_RUN(fk, JSON, "dev", "show"), 0);
	assert_output(fk, "[]\n");
	assert_int_equal(FAKE_RUN(fk, TEXT, "dev", "show"), 0);
	assert_output(fk, "");
}

/* A type this tool does not know yet is shown, not refused. */
static void test_dev_unknown_type(void **state)
{
	struct fake *fk = *state;

	fake_end(fk, put_dev(fk, 7, "npu0", 42, NULL, 0, false));
	assert_int_equal(FAKE_RUN(fk, TEXT, "dev", "show"), 0);
	assert_output(fk, "npu0: type unknown node node0 local partition -\n");
}

static void test_dev_malformed(void **state)
{
	const char *argv[] = { "dev", "show", NULL };
	struct fake *fk = *state;
	struct nlmsghdr *nlh;
	uint16_t id16 = 1;

	/* The id as a u16. */
	nlh = fake_msg(fk, AIFAB_CMD_DEV_GET);
	mnl_attr_put(nlh, AIFAB_A_DEV_ID, sizeof(id16), &id16);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, "accel0");
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_TYPE, AIFAB_DEV_TYPE_ACCEL);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NODE, "node0");
	mnl_attr_put_u8(nlh, AIFAB_A_DEV_LOCAL, 1);
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("dev show"), argv);

	/* No node. */
	fk->len = 0;
	nlh = fake_msg(fk, AIFAB_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_ID, 1);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, "accel0");
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_TYPE, AIFAB_DEV_TYPE_ACCEL);
	mnl_attr_put_u8(nlh, AIFAB_A_DEV_LOCAL, 1);
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("dev show"), argv);

	/* mem_bytes as a u32, after a good device. */
	fk->len = 0;
	fake_end(fk, put_dev(fk, 1, "accel0", AIFAB_DEV_TYPE_ACCEL, NULL, GIB,
			     false));
	nlh = put_dev(fk, 2, "accel1", AIFAB_DEV_TYPE_ACCEL, NULL, 0, false);
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_MEM_BYTES, 1024);
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("dev show"), argv);

	/* A name without its NUL. */
	fk->len = 0;
	nlh = fake_msg(fk, AIFAB_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_ID, 1);
	mnl_attr_put(nlh, AIFAB_A_DEV_NAME, 6, "accel0");
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_TYPE, AIFAB_DEV_TYPE_ACCEL);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NODE, "node0");
	mnl_attr_put_u8(nlh, AIFAB_A_DEV_LOCAL, 1);
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("dev show"), argv);

	/* Only a genl header, not even that. */
	fk->len = 0;
	nlh = mnl_nlmsg_put_header(fk->replies);
	nlh->nlmsg_type = FAKE_FAMILY;
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("dev show"), argv);
}

/*
 * A link "A-B" between devices A and B, as LINK_GET and events carry it,
 * with its fault injection settings if @faults is not NULL: drop, corrupt,
 * flap, degrade threshold.
 */
static struct nlmsghdr *put_link_faults(struct fake *fk, uint8_t cmd,
					const char *a, const char *b,
					uint32_t kind, uint32_t state,
					uint32_t admin, const uint32_t *faults)
{
	struct nlmsghdr *nlh = fake_msg(fk, cmd);
	char *name;

	assert_int_not_equal(asprintf(&name, "%s-%s", a, b), -1);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_ID, 3);
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME, name);
	free(name);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_KIND, kind);
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_A, a);
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_B, b);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_STATE, state);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_ADMIN_STATE, admin);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_SPEED_MBPS, 400000);
	if (faults) {
		mnl_attr_put_u32(nlh, AIFAB_A_LINK_DROP_PCT, faults[0]);
		mnl_attr_put_u32(nlh, AIFAB_A_LINK_CORRUPT_PCT, faults[1]);
		mnl_attr_put_u32(nlh, AIFAB_A_LINK_FLAP_MS, faults[2]);
		mnl_attr_put_u32(nlh, AIFAB_A_LINK_DEGRADE_PPM, faults[3]);
	}
	return nlh;
}

/* What the module sends: the fault settings, all off. */
static const uint32_t no_faults[4] = { 0, 0, 0, 0 };

static struct nlmsghdr *put_link(struct fake *fk, uint8_t cmd,
				 const char *a, const char *b, uint32_t kind,
				 uint32_t state, uint32_t admin)
{
	return put_link_faults(fk, cmd, a, b, kind, state, admin, no_faults);
}

static void test_link_show(void **state)
{
	static const uint32_t faults[4] = { 5, 2, 250, 1000000 };
	struct fake *fk = *state;

	fake_end(fk, put_link_faults(fk, AIFAB_CMD_LINK_GET, "accel0",
				     "accel1", AIFAB_LINK_KIND_ACCEL,
				     AIFAB_LINK_STATE_UP, AIFAB_ADMIN_STATE_UP,
				     faults));
	fake_end(fk, put_link(fk, AIFAB_CMD_LINK_GET, "efa0", "accel0",
			      AIFAB_LINK_KIND_AFFINITY,
			      AIFAB_LINK_STATE_DEGRADED, AIFAB_ADMIN_STATE_UP));
	fake_end(fk, put_link(fk, AIFAB_CMD_LINK_GET, "efa0", "efa1",
			      AIFAB_LINK_KIND_NET, AIFAB_LINK_STATE_DOWN,
			      AIFAB_ADMIN_STATE_DOWN));
	assert_int_equal(FAKE_RUN(fk, TEXT, "link", "show"), 0);
	assert_output(fk,
		"accel0-accel1: accel0 <-> accel1 kind accel state up admin up speed 400000Mbps"
		" drop 5% corrupt 2% flap 250ms degrade-threshold 1000000ppm\n"
		"efa0-accel0: efa0 <-> accel0 kind affinity state degraded admin up speed 400000Mbps"
		" drop 0% corrupt 0% flap 0ms degrade-threshold 0ppm\n"
		"efa0-efa1: efa0 <-> efa1 kind net state down admin down speed 400000Mbps"
		" drop 0% corrupt 0% flap 0ms degrade-threshold 0ppm\n");

	assert_int_equal(FAKE_RUN(fk, JSON, "link", "show"), 0);
	assert_output(fk,
		"[{\"id\":3,\"name\":\"accel0-accel1\",\"a\":\"accel0\","
		"\"b\":\"accel1\",\"kind\":\"accel\",\"state\":\"up\","
		"\"admin_state\":\"up\",\"speed_mbps\":400000,"
		"\"drop_pct\":5,\"corrupt_pct\":2,\"flap_ms\":250,"
		"\"degrade_ppm\":1000000},"
		"{\"id\":3,\"name\":\"efa0-accel0\",\"a\":\"efa0\","
		"\"b\":\"accel0\",\"kind\":\"affinity\",\"state\":\"degraded\","
		"\"admin_state\":\"up\",\"speed_mbps\":400000,"
		"\"drop_pct\":0,\"corrupt_pct\":0,\"flap_ms\":0,"
		"\"degrade_ppm\":0},"
		"{\"id\":3,\"name\":\"efa0-efa1\",\"a\":\"efa0\","
		"\"b\":\"efa1\",\"kind\":\"net\",\"state\":\"down\","
		"\"admin_state\":\"down\",\"speed_mbps\":400000,"
		"\"drop_pct\":0,\"corrupt_pct\":0,\"flap_ms\":0,"
		"\"degrade_ppm\":0}]\n");
}

/* An older module sends no fault settings: text leaves them out. */
static void test_link_show_old_module(void **state)
{
	struct fake *fk = *state;

	fake_end(fk, put_link_faults(fk, AIFAB_CMD_LINK_GET, "efa0", "efa1",
				     AIFAB_LINK_KIND_NET, AIFAB_LINK_STATE_UP,
				     AIFAB_ADMIN_STATE_UP, NULL));
	assert_int_equal(FAKE_RUN(fk, TEXT, "link", "show"), 0);
	assert_output(fk, "efa0-efa1: efa0 <-> efa1 kind net state up admin up "
			  "speed 400000Mbps\n");
	assert_int_equal(FAKE_RUN(fk, JSON, "link", "show"), 0);
	assert_output(fk,
		"[{\"id\":3,\"name\":\"efa0-efa1\",\"a\":\"efa0\","
		"\"b\":\"efa1\",\"kind\":\"net\",\"state\":\"up\","
		"\"admin_state\":\"up\",\"speed_mbps\":400000,"
		"\"drop_pct\":null,\"corrupt_pct\":null,\"flap_ms\":null,"
		"\"degrade_ppm\":null}]\n");
}

static void test_link_malformed(void **state)
{
	const char *argv[] = { "link", "show", "l0-l1", NULL };
	struct fake *fk = *state;
	struct nlmsghdr *nlh;

	/* No operational state. */
	nlh = fake_msg(fk, AIFAB_CMD_LINK_GET);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_ID, 1);
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME, "l0-l1");
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_KIND, AIFAB_LINK_KIND_ACCEL);
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_A, "l0");
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_B, "l1");
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_ADMIN_STATE, AIFAB_ADMIN_STATE_UP);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_SPEED_MBPS, 1);
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("link show"), argv);

	/* A fault setting as a u8. */
	fk->len = 0;
	nlh = put_link(fk, AIFAB_CMD_LINK_GET, "l0", "l1",
		       AIFAB_LINK_KIND_ACCEL, AIFAB_LINK_STATE_UP,
		       AIFAB_ADMIN_STATE_UP);
	mnl_attr_put_u8(nlh, AIFAB_A_LINK_FLAP_MS, 1);
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("link show"), argv);

	/* The speed as a u8. */
	fk->len = 0;
	nlh = put_link(fk, AIFAB_CMD_LINK_GET, "l0", "l1",
		       AIFAB_LINK_KIND_ACCEL, AIFAB_LINK_STATE_UP,
		       AIFAB_ADMIN_STATE_UP);
	mnl_attr_put_u8(nlh, AIFAB_A_LINK_SPEED_MBPS, 1);
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("link show"), argv);
}

static struct nlmsghdr *put_partition(struct fake *fk, uint8_t cmd,
				      uint32_t id, const char *name,
				      const char *tenant, const char **devs)
{
	struct nlmsghdr *nlh = fake_msg(fk, cmd);

	mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_ID, id);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, name);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_TENANT, tenant);
	while (devs && *devs)
		mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_DEV, *devs++);
	return nlh;
}

static void test_partition_show(void **state)
{
	const char *devs[] = { "accel0", "accel1", "efa0", NULL };
	struct fake *fk = *state;
	struct nlmsghdr *nlh;

	nlh = put_partition(fk, AIFAB_CMD_PARTITION_GET, 1, "p1", "acme", devs);
	mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_ADMIN_STATE,
			 AIFAB_ADMIN_STATE_UP);
	fake_end(fk, nlh);
	nlh = put_partition(fk, AIFAB_CMD_PARTITION_GET, 2, "p2", "beta", NULL);
	mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_ADMIN_STATE,
			 AIFAB_ADMIN_STATE_DOWN);
	fake_end(fk, nlh);
	assert_int_equal(FAKE_RUN(fk, TEXT, "partition", "show"), 0);
	assert_output(fk, "p1: tenant acme state up devices accel0 accel1 efa0\n"
			  "p2: tenant beta state down devices -\n");

	assert_int_equal(FAKE_RUN(fk, JSON, "partition", "show"), 0);
	assert_output(fk,
		"[{\"id\":1,\"name\":\"p1\",\"tenant\":\"acme\","
		"\"admin_state\":\"up\",\"netns_cookie\":null,"
		"\"devices\":[\"accel0\",\"accel1\",\"efa0\"]},"
		"{\"id\":2,\"name\":\"p2\",\"tenant\":\"beta\","
		"\"admin_state\":\"down\",\"netns_cookie\":null,"
		"\"devices\":[]}]\n");

	/* A module without admin states: no text, null in JSON. */
	fk->len = 0;
	fake_end(fk, put_partition(fk, AIFAB_CMD_PARTITION_GET, 2, "p2",
				   "beta", NULL));
	assert_int_equal(FAKE_RUN(fk, TEXT, "partition", "show"), 0);
	assert_output(fk, "p2: tenant beta devices -\n");

	/* A state this tool does not know yet. */
	fk->len = 0;
	nlh = put_partition(fk, AIFAB_CMD_PARTITION_GET, 2, "p2", "beta", NULL);
	mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_ADMIN_STATE, 7);
	fake_end(fk, nlh);
	assert_int_equal(FAKE_RUN(fk, TEXT, "partition", "show"), 0);
	assert_output(fk, "p2: tenant beta state unknown devices -\n");
}

static void test_partition_malformed(void **state)
{
	const char *argv[] = { "partition", "show", NULL };
	const char *devs[] = { "accel0", NULL };
	struct fake *fk = *state;
	struct nlmsghdr *nlh;

	/* A member's name without its NUL. */
	nlh = put_partition(fk, AIFAB_CMD_PARTITION_GET, 1, "p1", "acme",
			    devs);
	mnl_attr_put(nlh, AIFAB_A_PARTITION_DEV, 4, "efa0");
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("partition show"), argv);

	/* No tenant. */
	fk->len = 0;
	nlh = fake_msg(fk, AIFAB_CMD_PARTITION_GET);
	mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_ID, 1);
	mnl_attr_put_strz(nlh, AIFAB_A_PARTITION_NAME, "p1");
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("partition show"), argv);
}

static void put_fence(struct fake *fk, const char *a, const char *b)
{
	struct nlmsghdr *nlh = fake_msg(fk, AIFAB_CMD_FENCE_GET);

	if (a)
		mnl_attr_put_strz(nlh, AIFAB_A_FENCE_PART_A, a);
	if (b)
		mnl_attr_put_strz(nlh, AIFAB_A_FENCE_PART_B, b);
	fake_end(fk, nlh);
}

static void test_fence_show(void **state)
{
	const char *argv[] = { "fence", "show", NULL };
	struct fake *fk = *state;

	put_fence(fk, "p1", "p2");
	put_fence(fk, "p1", "p3");
	assert_int_equal(FAKE_RUN(fk, TEXT, "fence", "show"), 0);
	assert_output(fk, "p1 <-> p2\np1 <-> p3\n");
	assert_int_equal(FAKE_RUN(fk, JSON, "fence", "show"), 0);
	assert_output(fk, "[{\"a\":\"p1\",\"b\":\"p2\"},"
			  "{\"a\":\"p1\",\"b\":\"p3\"}]\n");

	fk->len = 0;
	put_fence(fk, "p1", NULL);
	assert_malformed(fk, MALFORMED("fence show"), argv);
}

static void put_hop(struct nlmsghdr *nlh, const char *link, const char *from,
		    const char *to, uint32_t state)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, AIFAB_A_ROUTE_HOP);

	mnl_attr_put_strz(nlh, AIFAB_A_HOP_LINK, link);
	mnl_attr_put_strz(nlh, AIFAB_A_HOP_FROM, from);
	mnl_attr_put_strz(nlh, AIFAB_A_HOP_TO, to);
	mnl_attr_put_u32(nlh, AIFAB_A_HOP_STATE, state);
	mnl_attr_nest_end(nlh, nest);
}

static struct nlmsghdr *put_route(struct fake *fk, bool allowed,
				  uint32_t reason, bool degraded,
				  const char *src_part, const char *dst_part)
{
	struct nlmsghdr *nlh = fake_msg(fk, AIFAB_CMD_ROUTE_GET);

	mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_SRC, "accel0");
	mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_DST, "accel2");
	mnl_attr_put_u8(nlh, AIFAB_A_ROUTE_ALLOWED, allowed);
	if (reason)
		mnl_attr_put_u32(nlh, AIFAB_A_ROUTE_REASON, reason);
	mnl_attr_put_u8(nlh, AIFAB_A_ROUTE_DEGRADED, degraded);
	if (src_part)
		mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_SRC_PARTITION, src_part);
	if (dst_part)
		mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_DST_PARTITION, dst_part);
	return nlh;
}

static void queue_route_allowed(struct fake *fk)
{
	struct nlmsghdr *nlh = put_route(fk, true, 0, true, "p1", "p1");

	put_hop(nlh, "accel0-accel1", "accel0", "accel1", AIFAB_LINK_STATE_UP);
	put_hop(nlh, "accel1-accel2", "accel1", "accel2",
		AIFAB_LINK_STATE_DEGRADED);
	fake_end(fk, nlh);
}

static void test_route_allowed(void **state)
{
	struct fake *fk = *state;

	queue_route_allowed(fk);
	assert_int_equal(FAKE_RUN(fk, TEXT, "route", "get", "accel0",
				  "accel2"), 0);
	assert_output(fk,
		"accel0 -> accel2: allowed degraded src-partition p1 dst-partition p1\n"
		"\tvia accel0-accel1: accel0 -> accel1 state up\n"
		"\tvia accel1-accel2: accel1 -> accel2 state degraded\n");

	assert_int_equal(FAKE_RUN(fk, JSON, "route", "get", "accel0",
				  "accel2"), 0);
	assert_output(fk,
		"{\"src\":\"accel0\",\"dst\":\"accel2\",\"allowed\":true,"
		"\"reason\":null,\"degraded\":true,\"src_partition\":\"p1\","
		"\"dst_partition\":\"p1\",\"path\":["
		"{\"link\":\"accel0-accel1\",\"from\":\"accel0\","
		"\"to\":\"accel1\",\"state\":\"up\"},"
		"{\"link\":\"accel1-accel2\",\"from\":\"accel1\","
		"\"to\":\"accel2\",\"state\":\"degraded\"}]}\n");
}

/* A refusal exits 2, so scripts can tell it from an error (1). */
static void test_route_refused(void **state)
{
	struct fake *fk = *state;

	fake_end(fk, put_route(fk, false, AIFAB_ROUTE_REASON_UNPARTITIONED,
			       false, "p1", NULL));
	assert_int_equal(FAKE_RUN(fk, TEXT, "route", "get", "accel0",
				  "accel2"), 2);
	assert_output(fk, "accel0 -> accel2: refused reason unpartitioned "
			  "src-partition p1 dst-partition -\n");

	assert_int_equal(FAKE_RUN(fk, JSON, "route", "get", "accel0",
				  "accel2"), 2);
	assert_output(fk,
		"{\"src\":\"accel0\",\"dst\":\"accel2\",\"allowed\":false,"
		"\"reason\":\"unpartitioned\",\"degraded\":false,"
		"\"src_partition\":\"p1\",\"dst_partition\":null,"
		"\"path\":[]}\n");

	fk->len = 0;
	fake_end(fk, put_route(fk, false, AIFAB_ROUTE_REASON_NO_PATH, false,
			       NULL, NULL));
	assert_int_equal(FAKE_RUN(fk, TEXT, "route", "get", "accel0",
				  "accel2"), 2);
	assert_output(fk, "accel0 -> accel2: refused reason no-path "
			  "src-partition - dst-partition -\n");

	fk->len = 0;
	fake_end(fk, put_route(fk, false, AIFAB_ROUTE_REASON_PARTITION_DOWN,
			       false, "p1", "p1"));
	assert_int_equal(FAKE_RUN(fk, TEXT, "route", "get", "accel0",
				  "accel1"), 2);
	assert_output(fk, "accel0 -> accel2: refused reason partition-down "
			  "src-partition p1 dst-partition p1\n");
}

static void test_route_malformed(void **state)
{
	const char *argv[] = { "route", "get", "accel0", "accel2", NULL };
	struct fake *fk = *state;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	/* Refused, but without a reason. */
	fake_end(fk, put_route(fk, false, 0, false, NULL, NULL));
	assert_malformed(fk, MALFORMED("route get"), argv);

	/* A hop without its state, after a good one. */
	fk->len = 0;
	nlh = put_route(fk, true, 0, false, NULL, NULL);
	put_hop(nlh, "accel0-accel1", "accel0", "accel1", AIFAB_LINK_STATE_UP);
	nest = mnl_attr_nest_start(nlh, AIFAB_A_ROUTE_HOP);
	mnl_attr_put_strz(nlh, AIFAB_A_HOP_LINK, "accel1-accel2");
	mnl_attr_put_strz(nlh, AIFAB_A_HOP_FROM, "accel1");
	mnl_attr_put_strz(nlh, AIFAB_A_HOP_TO, "accel2");
	mnl_attr_nest_end(nlh, nest);
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("route get"), argv);

	/* A hop that is a string, not a nest. */
	fk->len = 0;
	nlh = put_route(fk, true, 0, false, NULL, NULL);
	mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_HOP, "x");
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("route get"), argv);

	/* Two answers to one question. */
	fk->len = 0;
	queue_route_allowed(fk);
	queue_route_allowed(fk);
	assert_malformed(fk, MALFORMED("route get"), argv);

	/* No answer at all. */
	fk->len = 0;
	assert_malformed(fk, MALFORMED("route get"), argv);
}

/* Runs monitor_print() on the last queued message. */
struct mon_out {
	char *buf;
	size_t len;
	int ret;
};

static void mon_print(struct mon_out *m, const struct nlmsghdr *nlh,
		      unsigned int flags)
{
	FILE *f;

	free(m->buf);
	m->buf = NULL;
	f = open_memstream(&m->buf, &m->len);
	assert_non_null(f);
	m->ret = monitor_print(nlh, f, flags);
	fclose(f);
}

static void test_monitor_link(void **state)
{
	struct fake *fk = *state;
	struct mon_out m = { NULL, 0, 0 };
	struct nlmsghdr *nlh;

	nlh = put_link(fk, AIFAB_CMD_LINK_STATE_NTF, "accel0", "accel1",
		       AIFAB_LINK_KIND_ACCEL, AIFAB_LINK_STATE_DOWN,
		       AIFAB_ADMIN_STATE_DOWN);
	mon_print(&m, nlh, TEXT);
	assert_int_equal(m.ret, 0);
	assert_string_equal(m.buf, "[link-state] accel0-accel1: accel0 <-> "
			    "accel1 kind accel state down admin down "
			    "speed 400000Mbps drop 0% corrupt 0% flap 0ms "
			    "degrade-threshold 0ppm\n");

	/* -p is ignored: one event, one line. */
	mon_print(&m, nlh, PRETTY);
	assert_int_equal(m.ret, 0);
	assert_string_equal(m.buf,
		"{\"event\":\"link-state\",\"id\":3,\"name\":\"accel0-accel1\","
		"\"a\":\"accel0\",\"b\":\"accel1\",\"kind\":\"accel\","
		"\"state\":\"down\",\"admin_state\":\"down\","
		"\"speed_mbps\":400000,\"drop_pct\":0,\"corrupt_pct\":0,"
		"\"flap_ms\":0,\"degrade_ppm\":0}\n");

	/* An event may carry only the name and the new state. */
	nlh = fake_msg(fk, AIFAB_CMD_LINK_STATE_NTF);
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME, "efa0-efa1");
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_STATE, AIFAB_LINK_STATE_DEGRADED);
	mon_print(&m, nlh, TEXT);
	assert_string_equal(m.buf, "[link-state] efa0-efa1: state degraded\n");
	mon_print(&m, nlh, JSON);
	assert_string_equal(m.buf,
		"{\"event\":\"link-state\",\"id\":null,\"name\":\"efa0-efa1\","
		"\"a\":null,\"b\":null,\"kind\":null,\"state\":\"degraded\","
		"\"admin_state\":null,\"speed_mbps\":null,\"drop_pct\":null,"
		"\"corrupt_pct\":null,\"flap_ms\":null,\"degrade_ppm\":null}\n");
	free(m.buf);
}

static void test_monitor_violation(void **state)
{
	struct fake *fk = *state;
	struct mon_out m = { NULL, 0, 0 };
	struct nlmsghdr *nlh;

	nlh = fake_msg(fk, AIFAB_CMD_FENCE_VIOLATION_NTF);
	mnl_attr_put_strz(nlh, AIFAB_A_VIOLATION_SRC, "accel0");
	mnl_attr_put_strz(nlh, AIFAB_A_VIOLATION_DST, "accel2");
	mnl_attr_put_strz(nlh, AIFAB_A_VIOLATION_SRC_PARTITION, "p1");
	mnl_attr_put_strz(nlh, AIFAB_A_VIOLATION_DST_PARTITION, "p2");
	mnl_attr_put_u32(nlh, AIFAB_A_VIOLATION_REASON,
			 AIFAB_ROUTE_REASON_FENCE);
	mnl_attr_put_u32(nlh, AIFAB_A_VIOLATION_SUPPRESSED, 3);
	mon_print(&m, nlh, TEXT);
	assert_int_equal(m.ret, 0);
	assert_string_equal(m.buf, "[fence-violation] accel0 -> accel2 reason "
			    "fence src-partition p1 dst-partition p2 "
			    "suppressed 3\n");
	mon_print(&m, nlh, JSON);
	assert_string_equal(m.buf,
		"{\"event\":\"fence-violation\",\"src\":\"accel0\","
		"\"dst\":\"accel2\",\"reason\":\"fence\","
		"\"src_partition\":\"p1\",\"dst_partition\":\"p2\","
		"\"suppressed\":3}\n");

	nlh = fake_msg(fk, AIFAB_CMD_FENCE_VIOLATION_NTF);
	mnl_attr_put_strz(nlh, AIFAB_A_VIOLATION_SRC, "accel0");
	mnl_attr_put_strz(nlh, AIFAB_A_VIOLATION_DST, "efa1");
	mnl_attr_put_strz(nlh, AIFAB_A_VIOLATION_SRC_PARTITION, "p1");
	mnl_attr_put_u32(nlh, AIFAB_A_VIOLATION_REASON,
			 AIFAB_ROUTE_REASON_UNPARTITIONED);
	mnl_attr_put_u32(nlh, AIFAB_A_VIOLATION_SUPPRESSED, 0);
	mon_print(&m, nlh, JSON);
	assert_string_equal(m.buf,
		"{\"event\":\"fence-violation\",\"src\":\"accel0\","
		"\"dst\":\"efa1\",\"reason\":\"unpartitioned\","
		"\"src_partition\":\"p1\",\"dst_partition\":null,"
		"\"suppressed\":0}\n");
	free(m.buf);
}

static void test_monitor_partition(void **state)
{
	const char *devs[] = { "accel0", NULL };
	struct fake *fk = *state;
	struct mon_out m = { NULL, 0, 0 };
	struct nlmsghdr *nlh;

	nlh = put_partition(fk, AIFAB_CMD_PARTITION_NTF, 4, "p1", "acme",
			    devs);
	mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_EVENT,
			 AIFAB_PARTITION_EVENT_NEW);
	mon_print(&m, nlh, TEXT);
	assert_int_equal(m.ret, 0);
	assert_string_equal(m.buf,
			    "[partition] new p1: tenant acme devices accel0\n");
	mon_print(&m, nlh, JSON);
	assert_string_equal(m.buf,
		"{\"event\":\"partition\",\"action\":\"new\",\"id\":4,"
		"\"name\":\"p1\",\"tenant\":\"acme\",\"admin_state\":null,"
		"\"netns_cookie\":null,\"devices\":[\"accel0\"]}\n");

	nlh = put_partition(fk, AIFAB_CMD_PARTITION_NTF, 4, "p1", "acme",
			    NULL);
	mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_EVENT,
			 AIFAB_PARTITION_EVENT_DEL);
	mon_print(&m, nlh, TEXT);
	assert_string_equal(m.buf, "[partition] del p1: tenant acme devices -\n");

	/* A delete that zeroed accelerator memory says how much. */
	nlh = put_partition(fk, AIFAB_CMD_PARTITION_NTF, 4, "p1", "acme",
			    NULL);
	mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_ADMIN_STATE,
			 AIFAB_ADMIN_STATE_DOWN);
	mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_EVENT,
			 AIFAB_PARTITION_EVENT_DEL);
	mnl_attr_put_u64(nlh, AIFAB_A_PARTITION_SCRUB_BYTES, 8192);
	mon_print(&m, nlh, TEXT);
	assert_string_equal(m.buf, "[partition] del p1: tenant acme state down "
			    "devices - scrub-bytes 8192\n");
	mon_print(&m, nlh, JSON);
	assert_string_equal(m.buf,
		"{\"event\":\"partition\",\"action\":\"del\",\"id\":4,"
		"\"name\":\"p1\",\"tenant\":\"acme\",\"admin_state\":\"down\","
		"\"netns_cookie\":null,\"devices\":[],\"scrub_bytes\":8192}\n");

	/* So does a change that removed an accelerator. */
	nlh = put_partition(fk, AIFAB_CMD_PARTITION_NTF, 4, "p1", "acme",
			    devs);
	mnl_attr_put_u32(nlh, AIFAB_A_PARTITION_EVENT,
			 AIFAB_PARTITION_EVENT_CHANGE);
	mnl_attr_put_u64(nlh, AIFAB_A_PARTITION_SCRUB_BYTES, 131072);
	mon_print(&m, nlh, TEXT);
	assert_string_equal(m.buf, "[partition] change p1: tenant acme devices "
			    "accel0 scrub-bytes 131072\n");
	mon_print(&m, nlh, JSON);
	assert_string_equal(m.buf,
		"{\"event\":\"partition\",\"action\":\"change\",\"id\":4,"
		"\"name\":\"p1\",\"tenant\":\"acme\",\"admin_state\":null,"
		"\"netns_cookie\":null,\"devices\":[\"accel0\"],"
		"\"scrub_bytes\":131072}\n");
	free(m.buf);
}

static void test_monitor_dev(void **state)
{
	struct fake *fk = *state;
	struct mon_out m = { NULL, 0, 0 };
	struct nlmsghdr *nlh;

	nlh = fake_msg(fk, AIFAB_CMD_DEV_NTF);
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_ID, 3);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, "accel2");
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_TYPE, AIFAB_DEV_TYPE_ACCEL);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NODE, "node0");
	mnl_attr_put_u8(nlh, AIFAB_A_DEV_LOCAL, 1);
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_EVENT, AIFAB_DEV_EVENT_DEL);
	mon_print(&m, nlh, TEXT);
	assert_int_equal(m.ret, 0);
	assert_string_equal(m.buf, "[dev] del accel2: type accel node node0\n");
	free(m.buf);
	m.buf = NULL;
	m.len = 0;
	mon_print(&m, nlh, JSON);
	assert_string_equal(m.buf,
		"{\"event\":\"dev\",\"action\":\"del\",\"name\":\"accel2\","
		"\"type\":\"accel\",\"node\":\"node0\"}\n");
	free(m.buf);

	/* Without its action, nothing is printed. */
	m.buf = NULL;
	m.len = 0;
	nlh = fake_msg(fk, AIFAB_CMD_DEV_NTF);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, "accel2");
	mon_print(&m, nlh, JSON);
	assert_int_equal(m.ret, -EBADMSG);
	assert_string_equal(m.buf, "");
	free(m.buf);
}

/* Malformed events print nothing; unknown ones are skipped quietly. */
static void test_monitor_malformed(void **state)
{
	struct fake *fk = *state;
	struct mon_out m = { NULL, 0, 0 };
	struct nlmsghdr *nlh;

	/* A partition event without its action. */
	nlh = put_partition(fk, AIFAB_CMD_PARTITION_NTF, 4, "p1", "acme",
			    NULL);
	mon_print(&m, nlh, JSON);
	assert_int_equal(m.ret, -EBADMSG);
	assert_string_equal(m.buf, "");

	/* A violation whose reason is a string. */
	nlh = fake_msg(fk, AIFAB_CMD_FENCE_VIOLATION_NTF);
	mnl_attr_put_strz(nlh, AIFAB_A_VIOLATION_SRC, "accel0");
	mnl_attr_put_strz(nlh, AIFAB_A_VIOLATION_DST, "accel2");
	mnl_attr_put_strz(nlh, AIFAB_A_VIOLATION_REASON, "fence");
	mon_print(&m, nlh, TEXT);
	assert_int_equal(m.ret, -EBADMSG);
	assert_string_equal(m.buf, "");

	/* Truncated before the genl header. */
	nlh = mnl_nlmsg_put_header(fk->replies);
	nlh->nlmsg_type = FAKE_FAMILY;
	mon_print(&m, nlh, TEXT);
	assert_int_equal(m.ret, -EBADMSG);

	/* An event of a later version of the family. */
	nlh = fake_msg(fk, AIFAB_CMD_MAX + 1);
	mnl_attr_put_u32(nlh, 1, 1);
	mon_print(&m, nlh, JSON);
	assert_int_equal(m.ret, 0);
	assert_string_equal(m.buf, "");
	free(m.buf);
}

/* Counters of one device or link, as STATS_GET fills them. */
static struct nlmsghdr *put_stats(struct fake *fk, uint16_t type,
				  const char *name, const char *const *ctrs,
				  const uint64_t *values)
{
	struct nlmsghdr *nlh = fake_msg(fk, AIFAB_CMD_STATS_GET);

	mnl_attr_put_strz(nlh, type, name);
	for (; *ctrs; ctrs++, values++) {
		struct nlattr *nest = mnl_attr_nest_start(nlh,
							  AIFAB_A_STATS_COUNTER);

		mnl_attr_put_strz(nlh, AIFAB_A_COUNTER_NAME, *ctrs);
		/* Where nla_put_u64_64bit() would align the value. */
		if (mnl_nlmsg_get_payload_len(nlh) % 8 == 0)
			mnl_attr_put(nlh, AIFAB_A_COUNTER_PAD, 0, NULL);
		mnl_attr_put_u64(nlh, AIFAB_A_COUNTER_VALUE, *values);
		mnl_attr_nest_end(nlh, nest);
	}
	return nlh;
}

static const char *const dev_ctrs[] = {
	"tx_packets", "tx_bytes", "rx_packets", "rx_bytes", NULL
};

static const char *const link_ctrs[] = {
	"tx_packets", "tx_bytes", "dropped", NULL
};

static void queue_dev_stats(struct fake *fk)
{
	static const uint64_t accel0[] = { 10, 4096, 9, 1 };
	static const uint64_t efa0[] = { 0, 0, 0, UINT64_MAX };

	fake_end(fk, put_stats(fk, AIFAB_A_STATS_DEV, "accel0", dev_ctrs,
			       accel0));
	fake_end(fk, put_stats(fk, AIFAB_A_STATS_DEV, "efa0", dev_ctrs,
			       efa0));
}

static void queue_link_stats(struct fake *fk)
{
	static const uint64_t l01[] = { 3, 12, 1 };

	fake_end(fk, put_stats(fk, AIFAB_A_STATS_LINK, "accel0-accel1",
			       link_ctrs, l01));
}

static void test_stats_show(void **state)
{
	struct fake *fk = *state;

	queue_dev_stats(fk);
	queue_link_stats(fk);
	assert_int_equal(FAKE_RUN(fk, TEXT, "stats", "show"), 0);
	assert_output(fk,
		"accel0: tx_packets 10 tx_bytes 4096 rx_packets 9 rx_bytes 1\n"
		"efa0: tx_packets 0 tx_bytes 0 rx_packets 0 "
		"rx_bytes 18446744073709551615\n"
		"accel0-accel1: tx_packets 3 tx_bytes 12 dropped 1\n");
	assert_int_equal(fk->execs, 1);
	assert_true(fk->req.dump);
	assert_int_equal(fk->req.cmd, AIFAB_CMD_STATS_GET);

	assert_int_equal(FAKE_RUN(fk, JSON, "stats", "show"), 0);
	assert_output(fk,
		"[{\"dev\":\"accel0\",\"link\":null,\"counters\":"
		"{\"tx_packets\":10,\"tx_bytes\":4096,\"rx_packets\":9,"
		"\"rx_bytes\":1}},"
		"{\"dev\":\"efa0\",\"link\":null,\"counters\":"
		"{\"tx_packets\":0,\"tx_bytes\":0,\"rx_packets\":0,"
		"\"rx_bytes\":18446744073709551615}},"
		"{\"dev\":null,\"link\":\"accel0-accel1\",\"counters\":"
		"{\"tx_packets\":3,\"tx_bytes\":12,\"dropped\":1}}]\n");

	fk->len = 0;
	assert_int_equal(FAKE_RUN(fk, JSON, "stats", "show"), 0);
	assert_output(fk, "[]\n");
}

/* A name is tried as a device first. */
static void test_stats_show_dev(void **state)
{
	struct fake *fk = *state;

	queue_dev_stats(fk);
	fk->len = MNL_ALIGN(((struct nlmsghdr *)fk->replies)->nlmsg_len);
	assert_int_equal(FAKE_RUN(fk, TEXT, "stats", "show", "accel0"), 0);
	assert_output(fk, "accel0: tx_packets 10 tx_bytes 4096 rx_packets 9 "
			  "rx_bytes 1\n");
	assert_int_equal(fk->execs, 1);
	assert_false(fk->req.dump);
	assert_int_equal(fk->req.nattrs, 1);
	assert_int_equal(fk->req.attrs[0].type, AIFAB_A_STATS_DEV);
	assert_string_equal(fk->req.attrs[0].str, "accel0");
}

/* ...and as a link when the kernel knows no such device. */
static void test_stats_show_link(void **state)
{
	struct fake *fk = *state;

	queue_link_stats(fk);
	fk->exec_errs[0] = -ENOENT;
	fk->errmsg = "no such device";
	assert_int_equal(FAKE_RUN(fk, JSON, "stats", "show", "accel0-accel1"),
			 0);
	assert_output(fk, "[{\"dev\":null,\"link\":\"accel0-accel1\","
			  "\"counters\":{\"tx_packets\":3,\"tx_bytes\":12,"
			  "\"dropped\":1}}]\n");
	assert_int_equal(fk->execs, 2);
	assert_int_equal(fk->reqs[0].attrs[0].type, AIFAB_A_STATS_DEV);
	assert_int_equal(fk->reqs[1].cmd, AIFAB_CMD_STATS_GET);
	assert_false(fk->reqs[1].dump);
	assert_int_equal(fk->reqs[1].nattrs, 1);
	assert_int_equal(fk->reqs[1].attrs[0].type, AIFAB_A_STATS_LINK);
	assert_string_equal(fk->reqs[1].attrs[0].str, "accel0-accel1");
}

static void test_stats_show_errors(void **state)
{
	struct fake *fk = *state;

	/* Neither a device nor a link. */
	fk->exec_err = -ENOENT;
	fk->errmsg = "no such link";
	assert_int_equal(FAKE_RUN(fk, JSON, "stats", "show", "accel9"), 1);
	assert_string_equal(fk->out, "");
	assert_string_equal(fk->err, "aifabctl: stats show: no such device or "
			    "link (at \"accel9\")\n");
	assert_int_equal(fk->execs, 2);

	/* Any other error is not a reason to try a link. */
	fk->exec_err = -EPERM;
	fk->errmsg = NULL;
	assert_int_equal(FAKE_RUN(fk, TEXT, "stats", "show", "accel0"), 1);
	assert_string_equal(fk->err, "aifabctl: stats show: Operation not "
			    "permitted\n");
	assert_int_equal(fk->execs, 1);

	/* A dump is not retried either. */
	fk->exec_err = -ENOENT;
	assert_int_equal(FAKE_RUN(fk, TEXT, "stats", "show"), 1);
	assert_int_equal(fk->execs, 1);

	fk->exec_err = 0;
	assert_int_equal(FAKE_RUN(fk, JSON, "stats", "show", "--prometheus"),
			 1);
	assert_string_equal(fk->err, "aifabctl: stats show: --prometheus and "
			    "-j exclude each other\n");
	assert_int_equal(fk->execs, 0);
}

#define PROM_HELP(kind, what, ctr) \
	"# HELP aifab_" kind "_" ctr "_total The aifab " what " counter " ctr \
	".\n# TYPE aifab_" kind "_" ctr "_total counter\n"
#define L01	"link=\"accel0-accel1\",a=\"accel0\",b=\"accel1\""
#define STATE_HELP \
	"# HELP aifab_link_state Whether the aifab link is in the state: " \
	"1 for its operational state, 0 for the others.\n" \
	"# TYPE aifab_link_state gauge\n"
#define PARTS_HELP \
	"# HELP aifab_fabric_partitions The number of partitions of the " \
	"aifab fabric.\n# TYPE aifab_fabric_partitions gauge\n"

static void test_stats_prometheus(void **state)
{
	const char *devs[] = { "accel0", NULL };
	struct fake *fk = *state;

	queue_dev_stats(fk);
	queue_link_stats(fk);
	fake_end(fk, put_link(fk, AIFAB_CMD_LINK_GET, "efa0", "efa1",
			      AIFAB_LINK_KIND_NET, AIFAB_LINK_STATE_UP,
			      AIFAB_ADMIN_STATE_UP));
	fake_end(fk, put_link(fk, AIFAB_CMD_LINK_GET, "accel0", "accel1",
			      AIFAB_LINK_KIND_ACCEL, AIFAB_LINK_STATE_DEGRADED,
			      AIFAB_ADMIN_STATE_UP));
	fake_end(fk, put_partition(fk, AIFAB_CMD_PARTITION_GET, 1, "p1",
				   "acme", devs));
	fake_end(fk, put_partition(fk, AIFAB_CMD_PARTITION_GET, 2, "p2",
				   "beta", NULL));
	assert_int_equal(FAKE_RUN(fk, TEXT, "stats", "show", "--prometheus"),
			 0);
	assert_output(fk,
		PROM_HELP("device", "device", "tx_packets")
		"aifab_device_tx_packets_total{device=\"accel0\"} 10\n"
		"aifab_device_tx_packets_total{device=\"efa0\"} 0\n"
		PROM_HELP("device", "device", "tx_bytes")
		"aifab_device_tx_bytes_total{device=\"accel0\"} 4096\n"
		"aifab_device_tx_bytes_total{device=\"efa0\"} 0\n"
		PROM_HELP("device", "device", "rx_packets")
		"aifab_device_rx_packets_total{device=\"accel0\"} 9\n"
		"aifab_device_rx_packets_total{device=\"efa0\"} 0\n"
		PROM_HELP("device", "device", "rx_bytes")
		"aifab_device_rx_bytes_total{device=\"accel0\"} 1\n"
		"aifab_device_rx_bytes_total{device=\"efa0\"} "
		"18446744073709551615\n"
		PROM_HELP("link", "link", "tx_packets")
		"aifab_link_tx_packets_total{" L01 "} 3\n"
		PROM_HELP("link", "link", "tx_bytes")
		"aifab_link_tx_bytes_total{" L01 "} 12\n"
		PROM_HELP("link", "link", "dropped")
		"aifab_link_dropped_total{" L01 "} 1\n"
		STATE_HELP
		"aifab_link_state{" L01 ",state=\"up\"} 0\n"
		"aifab_link_state{" L01 ",state=\"down\"} 0\n"
		"aifab_link_state{" L01 ",state=\"degraded\"} 1\n"
		PARTS_HELP
		"aifab_fabric_partitions 2\n");
	assert_int_equal(fk->execs, 3);
	assert_int_equal(fk->reqs[1].cmd, AIFAB_CMD_LINK_GET);
	assert_true(fk->reqs[1].dump);
	assert_int_equal(fk->reqs[2].cmd, AIFAB_CMD_PARTITION_GET);
	assert_true(fk->reqs[2].dump);

	/* A device alone needs no link dump, and has no fabric gauge. */
	fk->len = MNL_ALIGN(((struct nlmsghdr *)fk->replies)->nlmsg_len);
	assert_int_equal(FAKE_RUN(fk, TEXT, "stats", "show", "accel0",
				  "--prometheus"), 0);
	assert_int_equal(fk->execs, 1);
	assert_output(fk,
		PROM_HELP("device", "device", "tx_packets")
		"aifab_device_tx_packets_total{device=\"accel0\"} 10\n"
		PROM_HELP("device", "device", "tx_bytes")
		"aifab_device_tx_bytes_total{device=\"accel0\"} 4096\n"
		PROM_HELP("device", "device", "rx_packets")
		"aifab_device_rx_packets_total{device=\"accel0\"} 9\n"
		PROM_HELP("device", "device", "rx_bytes")
		"aifab_device_rx_bytes_total{device=\"accel0\"} 1\n");
}

/* A link alone: its counters and its state, no fabric gauge. */
static void test_stats_prometheus_link(void **state)
{
	struct fake *fk = *state;

	fk->exec_errs[0] = -ENOENT;	/* no device of that name */
	queue_link_stats(fk);
	fake_end(fk, put_link(fk, AIFAB_CMD_LINK_GET, "accel0", "accel1",
			      AIFAB_LINK_KIND_ACCEL, AIFAB_LINK_STATE_DOWN,
			      AIFAB_ADMIN_STATE_DOWN));
	assert_int_equal(FAKE_RUN(fk, TEXT, "stats", "show", "--prometheus",
				  "accel0-accel1"), 0);
	assert_output(fk,
		PROM_HELP("link", "link", "tx_packets")
		"aifab_link_tx_packets_total{" L01 "} 3\n"
		PROM_HELP("link", "link", "tx_bytes")
		"aifab_link_tx_bytes_total{" L01 "} 12\n"
		PROM_HELP("link", "link", "dropped")
		"aifab_link_dropped_total{" L01 "} 1\n"
		STATE_HELP
		"aifab_link_state{" L01 ",state=\"up\"} 0\n"
		"aifab_link_state{" L01 ",state=\"down\"} 1\n"
		"aifab_link_state{" L01 ",state=\"degraded\"} 0\n");
	assert_int_equal(fk->execs, 3);
	assert_int_equal(fk->reqs[1].cmd, AIFAB_CMD_STATS_GET);
	assert_int_equal(fk->reqs[2].cmd, AIFAB_CMD_LINK_GET);
}

/*
 * Metric names keep only [a-zA-Z0-9_]; HELP text and label values are
 * escaped; samples of a metric stay together even when objects have
 * different counters; a link gone from the link dump gets empty ends and
 * no state.
 */
static void test_stats_prometheus_names(void **state)
{
	static const char *const ctrs1[] = { "rx-crc.errors", "a\\b", NULL };
	static const char *const ctrs2[] = { "new", "rx-crc.errors", NULL };
	static const uint64_t v1[] = { 1, 2 };
	static const uint64_t v2[] = { 3, 4 };
	struct fake *fk = *state;

	fake_end(fk, put_stats(fk, AIFAB_A_STATS_DEV, "accel0", ctrs1, v1));
	fake_end(fk, put_stats(fk, AIFAB_A_STATS_DEV, "accel1", ctrs2, v2));
	fake_end(fk, put_stats(fk, AIFAB_A_STATS_LINK, "gone", ctrs2, v2));
	assert_int_equal(FAKE_RUN(fk, TEXT, "stats", "show", "--prometheus"),
			 0);
	assert_output(fk,
		"# HELP aifab_device_rx_crc_errors_total The aifab device "
		"counter rx-crc.errors.\n"
		"# TYPE aifab_device_rx_crc_errors_total counter\n"
		"aifab_device_rx_crc_errors_total{device=\"accel0\"} 1\n"
		"aifab_device_rx_crc_errors_total{device=\"accel1\"} 4\n"
		"# HELP aifab_device_a_b_total The aifab device counter "
		"a\\\\b.\n"
		"# TYPE aifab_device_a_b_total counter\n"
		"aifab_device_a_b_total{device=\"accel0\"} 2\n"
		PROM_HELP("device", "device", "new")
		"aifab_device_new_total{device=\"accel1\"} 3\n"
		PROM_HELP("link", "link", "new")
		"aifab_link_new_total{link=\"gone\",a=\"\",b=\"\"} 3\n"
		"# HELP aifab_link_rx_crc_errors_total The aifab link counter "
		"rx-crc.errors.\n"
		"# TYPE aifab_link_rx_crc_errors_total counter\n"
		"aifab_link_rx_crc_errors_total{link=\"gone\",a=\"\",b=\"\"} 4\n"
		PARTS_HELP
		"aifab_fabric_partitions 0\n");
}

static void test_stats_malformed(void **state)
{
	static const char *const dup[] = { "tx", "rx", "tx", NULL };
	static const char *const empty[] = { "", NULL };
	static const uint64_t v[] = { 1, 2, 3, 4 };
	const char *argv[] = { "stats", "show", NULL };
	struct fake *fk = *state;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	/* Both a device and a link. */
	nlh = put_stats(fk, AIFAB_A_STATS_DEV, "accel0", dev_ctrs, v);
	mnl_attr_put_strz(nlh, AIFAB_A_STATS_LINK, "l0");
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("stats show"), argv);

	/* Neither. */
	fk->len = 0;
	fake_end(fk, fake_msg(fk, AIFAB_CMD_STATS_GET));
	assert_malformed(fk, MALFORMED("stats show"), argv);

	/* A counter without its value, after a good device. */
	fk->len = 0;
	queue_dev_stats(fk);
	nlh = put_stats(fk, AIFAB_A_STATS_DEV, "efa1", dev_ctrs, v);
	nest = mnl_attr_nest_start(nlh, AIFAB_A_STATS_COUNTER);
	mnl_attr_put_strz(nlh, AIFAB_A_COUNTER_NAME, "rx_errors");
	mnl_attr_nest_end(nlh, nest);
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("stats show"), argv);
	/* Nothing was printed, not even the good devices. */
	assert_string_equal(fk->out, "");

	/* A value as a u32. */
	fk->len = 0;
	nlh = put_stats(fk, AIFAB_A_STATS_LINK, "l0", link_ctrs, v);
	nest = mnl_attr_nest_start(nlh, AIFAB_A_STATS_COUNTER);
	mnl_attr_put_strz(nlh, AIFAB_A_COUNTER_NAME, "rx_errors");
	mnl_attr_put_u32(nlh, AIFAB_A_COUNTER_VALUE, 1);
	mnl_attr_nest_end(nlh, nest);
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("stats show"), argv);

	/* A counter that is not a nest. */
	fk->len = 0;
	nlh = put_stats(fk, AIFAB_A_STATS_LINK, "l0", link_ctrs, v);
	mnl_attr_put_u64(nlh, AIFAB_A_STATS_COUNTER, 1);
	fake_end(fk, nlh);
	assert_malformed(fk, MALFORMED("stats show"), argv);

	/* The same counter twice, or one without a name. */
	fk->len = 0;
	fake_end(fk, put_stats(fk, AIFAB_A_STATS_DEV, "accel0", dup, v));
	assert_malformed(fk, MALFORMED("stats show"), argv);
	fk->len = 0;
	fake_end(fk, put_stats(fk, AIFAB_A_STATS_DEV, "accel0", empty, v));
	assert_malformed(fk, MALFORMED("stats show"), argv);

	/* A name longer than the UAPI allows. */
	fk->len = 0;
	fake_end(fk, put_stats(fk, AIFAB_A_STATS_DEV,
			       "a0123456789012345678901234567890", dev_ctrs,
			       v));
	assert_malformed(fk, MALFORMED("stats show"), argv);

	/* A malformed link in the dump Prometheus labels come from. */
	fk->len = 0;
	queue_link_stats(fk);
	nlh = fake_msg(fk, AIFAB_CMD_LINK_GET);
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME, "accel0-accel1");
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_A, "accel0");
	fake_end(fk, nlh);
	assert_int_equal(FAKE_RUN(fk, TEXT, "stats", "show", "--prometheus"),
			 1);
	assert_string_equal(fk->out, "");
	assert_string_equal(fk->err, MALFORMED("stats show"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dev_show_text, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dev_show_json, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dev_show_one, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dev_show_local_accel, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dev_show_local_accel_json,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_dev_show_empty, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dev_unknown_type, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dev_malformed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_link_show, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_link_show_old_module,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_malformed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_partition_show, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_partition_malformed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_fence_show, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_route_allowed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_route_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_route_malformed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_monitor_link, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_monitor_violation, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_monitor_dev, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_monitor_partition, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_monitor_malformed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stats_show, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stats_show_dev, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stats_show_link, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stats_show_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stats_prometheus, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stats_prometheus_link,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_prometheus_names,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_malformed, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("ctl_print", tests, NULL, NULL);
}
