// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of "aifabctl topology": the YAML reader with good files and
 * with every kind of bad one (each refused with its FILE:LINE message and
 * nothing sent), the TOPOLOGY_SET request parsed back attribute by
 * attribute, the YAML writer byte for byte, and the round trip between
 * them, up to the largest fabrics.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <linux/aifab.h>

#include "ctl_fake.h"
#include "topo.h"
#include "yaml_doc.h"

#define TEXT	0U
#define JSON	AIFAB_OUT_JSON

/* Exactly what "topology show" prints for these objects, and loads back. */
static const char valid[] =
	"nodes:\n"				/* 1 */
	"- name: node0\n"
	"  local: true\n"
	"- name: node1\n"
	"  local: false\n"			/* 5 */
	"devices:\n"
	"- name: accel0\n"
	"  type: accel\n"
	"  node: node0\n"
	"  mem_bytes: 1073741824\n"		/* 10 */
	"- name: efa0\n"
	"  type: efa\n"
	"  node: node0\n"
	"- name: accel9\n"
	"  type: accel\n"			/* 15 */
	"  node: node1\n"
	"  mem_bytes: 2147483648\n"
	"links:\n"
	"- name: efa0-accel0\n"
	"  kind: affinity\n"			/* 20 */
	"  a: efa0\n"
	"  b: accel0\n"
	"  speed_mbps: 64000\n"
	"- name: accel0-accel9\n"
	"  kind: net\n"				/* 25 */
	"  a: accel0\n"
	"  b: accel9\n"
	"  speed_mbps: 4294967295\n";

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

/* Run "topology load -" on @yaml. */
static int load(struct fake *fk, const char *yaml)
{
	fk->in = yaml;
	return FAKE_RUN(fk, TEXT, "topology", "load", "-");
}

/* @yaml is refused with @msg, before the kernel is even contacted. */
static void assert_refused(struct fake *fk, const char *yaml, const char *msg)
{
	int connects = fk->connects;

	assert_int_equal(load(fk, yaml), 1);
	assert_string_equal(fk->err, msg);
	assert_string_equal(fk->out, "");
	assert_int_equal(fk->execs, 0);
	assert_int_equal(fk->connects, connects);
	assert_null(fk->msg);
}

static void test_scalar_type(void **state)
{
	(void)state;
	assert_int_equal(aifab_yaml_scalar_type("node0"), AIFAB_YAML_STR);
	assert_int_equal(aifab_yaml_scalar_type("accel0-accel1"),
			 AIFAB_YAML_STR);
	assert_int_equal(aifab_yaml_scalar_type("yes"), AIFAB_YAML_STR);
	assert_int_equal(aifab_yaml_scalar_type("1.2.3"), AIFAB_YAML_STR);
	assert_int_equal(aifab_yaml_scalar_type("0x"), AIFAB_YAML_STR);
	assert_int_equal(aifab_yaml_scalar_type("e5"), AIFAB_YAML_STR);
	assert_int_equal(aifab_yaml_scalar_type("."), AIFAB_YAML_STR);
	assert_int_equal(aifab_yaml_scalar_type(""), AIFAB_YAML_NULL);
	assert_int_equal(aifab_yaml_scalar_type("~"), AIFAB_YAML_NULL);
	assert_int_equal(aifab_yaml_scalar_type("Null"), AIFAB_YAML_NULL);
	assert_int_equal(aifab_yaml_scalar_type("true"), AIFAB_YAML_BOOL);
	assert_int_equal(aifab_yaml_scalar_type("FALSE"), AIFAB_YAML_BOOL);
	assert_int_equal(aifab_yaml_scalar_type("0"), AIFAB_YAML_INT);
	assert_int_equal(aifab_yaml_scalar_type("-12"), AIFAB_YAML_INT);
	assert_int_equal(aifab_yaml_scalar_type("0o17"), AIFAB_YAML_INT);
	assert_int_equal(aifab_yaml_scalar_type("0x1F"), AIFAB_YAML_INT);
	assert_int_equal(aifab_yaml_scalar_type("1.5"), AIFAB_YAML_FLOAT);
	assert_int_equal(aifab_yaml_scalar_type(".5"), AIFAB_YAML_FLOAT);
	assert_int_equal(aifab_yaml_scalar_type("1e3"), AIFAB_YAML_FLOAT);
	assert_int_equal(aifab_yaml_scalar_type("-1.E-3"), AIFAB_YAML_FLOAT);
	assert_int_equal(aifab_yaml_scalar_type(".inf"), AIFAB_YAML_FLOAT);
	assert_int_equal(aifab_yaml_scalar_type(".NaN"), AIFAB_YAML_FLOAT);

	assert_true(aifab_yaml_plain_safe("node0"));
	assert_true(aifab_yaml_plain_safe("a-1"));
	assert_false(aifab_yaml_plain_safe("123"));
	assert_false(aifab_yaml_plain_safe("1_000"));
	assert_false(aifab_yaml_plain_safe("true"));
	assert_false(aifab_yaml_plain_safe("null"));
	assert_false(aifab_yaml_plain_safe("on"));
	assert_false(aifab_yaml_plain_safe("N"));
	assert_false(aifab_yaml_plain_safe("-5a"));
	assert_false(aifab_yaml_plain_safe(".5x"));
}

/* The valid file, read straight into a model. */
static void test_parse_valid(void **state)
{
	struct aifab_yaml_err err = { 0 };
	struct topo t = { 0 };
	FILE *f = fmemopen((void *)valid, strlen(valid), "r");

	(void)state;
	assert_non_null(f);
	assert_int_equal(topo_parse(f, &t, &err), 0);
	fclose(f);
	assert_int_equal(t.nnodes, 2);
	assert_int_equal(t.ndevs, 3);
	assert_int_equal(t.nlinks, 2);
	assert_string_equal(t.nodes[1].name, "node1");
	assert_false(t.nodes[1].local);
	assert_true(t.nodes[0].local);
	assert_int_equal(t.nodes[1].line, 4);
	assert_string_equal(t.devs[1].name, "efa0");
	assert_int_equal(t.devs[1].type, AIFAB_DEV_TYPE_EFA);
	assert_int_equal(t.devs[1].mem_bytes, 0);
	assert_true(t.devs[2].mem_bytes == 2ULL << 30);
	assert_int_equal(t.devs[2].node_line, 16);
	assert_int_equal(t.links[1].kind, AIFAB_LINK_KIND_NET);
	assert_int_equal(t.links[1].speed_mbps, UINT32_MAX);
	assert_int_equal(t.links[1].b_line, 27);
	assert_int_equal(topo_item_line(&t, 0), 2);
	assert_int_equal(topo_item_line(&t, 2), 7);
	assert_int_equal(topo_item_line(&t, 6), 24);
	assert_int_equal(topo_item_line(&t, 7), 0);
	assert_int_equal(topo_item_line(&t, -1), 0);
	topo_free(&t);
}

/* Other spellings of the same topology: YAML's flow style, comments, quotes. */
static void test_parse_styles(void **state)
{
	struct fake *fk = *state;

	assert_int_equal(load(fk,
		"# a fabric\n"
		"---\n"
		"links: []\n"
		"nodes: [{name: \"n0\", local: True}]\n"
		"devices:\n"
		"  - {name: 'a0', type: \"accel\", node: n0, mem_bytes: 1}\n"
		"  - name: \"123\"   # a name that YAML would read as a number\n"
		"    type: efa\n"
		"    node: n0\n"
		"...\n"), 0);
	assert_string_equal(fk->err, "");
	assert_non_null(fk->msg);
}

static const struct aifab_nl_policy node_pol[AIFAB_A_NODE_MAX + 1] = {
	[AIFAB_A_NODE_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_NODE_LOCAL] = { MNL_TYPE_U8, true },
};

static const struct aifab_nl_policy dev_pol[AIFAB_A_DEV_MAX + 1] = {
	[AIFAB_A_DEV_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_DEV_TYPE] = { MNL_TYPE_U32, true },
	[AIFAB_A_DEV_NODE] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_DEV_MEM_BYTES] = { MNL_TYPE_U64, false },
};

static const struct aifab_nl_policy link_pol[AIFAB_A_LINK_MAX + 1] = {
	[AIFAB_A_LINK_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_KIND] = { MNL_TYPE_U32, true },
	[AIFAB_A_LINK_A] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_B] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_SPEED_MBPS] = { MNL_TYPE_U32, true },
};

/* The number of attributes in a nest, to see that nothing else is there. */
static int nest_len(const struct nlattr *nest)
{
	const struct nlattr *attr;
	int n = 0;

	mnl_attr_for_each_nested(attr, nest)
		n++;
	return n;
}

/* The request of the valid file, parsed back: one nest per entry, in order. */
static void test_build(void **state)
{
	static const uint16_t types[] = {
		AIFAB_A_TOPOLOGY_NODE, AIFAB_A_TOPOLOGY_NODE,
		AIFAB_A_TOPOLOGY_DEV, AIFAB_A_TOPOLOGY_DEV,
		AIFAB_A_TOPOLOGY_DEV, AIFAB_A_TOPOLOGY_LINK,
		AIFAB_A_TOPOLOGY_LINK,
	};
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	const struct nlattr *attr, *nests[7] = { NULL };
	const struct genlmsghdr *genl;
	struct fake *fk = *state;
	const struct nlmsghdr *nlh;
	int n = 0;

	assert_int_equal(load(fk, valid), 0);
	assert_string_equal(fk->err, "");
	assert_string_equal(fk->out, "");
	assert_int_equal(fk->connects, 1);
	assert_int_equal(fk->execs, 1);
	nlh = (const struct nlmsghdr *)fk->msg;
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	genl = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(genl->cmd, AIFAB_CMD_TOPOLOGY_SET);
	assert_int_equal(genl->version, AIFAB_FAMILY_VERSION);
	mnl_attr_for_each(attr, nlh, sizeof(*genl)) {
		assert_true(n < 7);
		assert_int_equal(mnl_attr_get_type(attr), types[n]);
		assert_int_equal(mnl_attr_validate(attr, MNL_TYPE_NESTED), 0);
		nests[n++] = attr;
	}
	assert_int_equal(n, 7);

	assert_int_equal(aifab_nl_parse_nested(nests[1], node_pol,
					       AIFAB_A_NODE_MAX, tb), 0);
	assert_string_equal(mnl_attr_get_str(tb[AIFAB_A_NODE_NAME]), "node1");
	assert_int_equal(mnl_attr_get_u8(tb[AIFAB_A_NODE_LOCAL]), 0);
	assert_int_equal(nest_len(nests[1]), 2);
	assert_int_equal(aifab_nl_parse_nested(nests[0], node_pol,
					       AIFAB_A_NODE_MAX, tb), 0);
	assert_int_equal(mnl_attr_get_u8(tb[AIFAB_A_NODE_LOCAL]), 1);

	assert_int_equal(aifab_nl_parse_nested(nests[2], dev_pol,
					       AIFAB_A_DEV_MAX, tb), 0);
	assert_string_equal(mnl_attr_get_str(tb[AIFAB_A_DEV_NAME]), "accel0");
	assert_int_equal(mnl_attr_get_u32(tb[AIFAB_A_DEV_TYPE]),
			 AIFAB_DEV_TYPE_ACCEL);
	assert_string_equal(mnl_attr_get_str(tb[AIFAB_A_DEV_NODE]), "node0");
	assert_true(mnl_attr_get_u64(tb[AIFAB_A_DEV_MEM_BYTES]) == 1ULL << 30);
	assert_int_equal(nest_len(nests[2]), 4);
	/* An EFA device has no memory attribute at all. */
	assert_int_equal(aifab_nl_parse_nested(nests[3], dev_pol,
					       AIFAB_A_DEV_MAX, tb), 0);
	assert_null(tb[AIFAB_A_DEV_MEM_BYTES]);
	assert_int_equal(nest_len(nests[3]), 3);

	assert_int_equal(aifab_nl_parse_nested(nests[6], link_pol,
					       AIFAB_A_LINK_MAX, tb), 0);
	assert_string_equal(mnl_attr_get_str(tb[AIFAB_A_LINK_NAME]),
			    "accel0-accel9");
	assert_int_equal(mnl_attr_get_u32(tb[AIFAB_A_LINK_KIND]),
			 AIFAB_LINK_KIND_NET);
	assert_string_equal(mnl_attr_get_str(tb[AIFAB_A_LINK_A]), "accel0");
	assert_string_equal(mnl_attr_get_str(tb[AIFAB_A_LINK_B]), "accel9");
	assert_int_equal(mnl_attr_get_u32(tb[AIFAB_A_LINK_SPEED_MBPS]),
			 UINT32_MAX);
	assert_int_equal(nest_len(nests[6]), 5);
}

/* The smallest fabric: its local node alone. */
static void test_build_small(void **state)
{
	struct fake *fk = *state;
	const struct nlmsghdr *nlh;
	const struct nlattr *attr;
	int n = 0;

	assert_int_equal(load(fk, "nodes:\n- {name: n0, local: true}\n"
			      "devices: []\nlinks: []\n"), 0);
	nlh = (const struct nlmsghdr *)fk->msg;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		assert_int_equal(mnl_attr_get_type(attr),
				 AIFAB_A_TOPOLOGY_NODE);
		n++;
	}
	assert_int_equal(n, 1);
}

/* A file named on the command line is named in the message. */
static void test_load_file(void **state)
{
	char path[] = "/tmp/aifab-test-topo-XXXXXX";
	struct fake *fk = *state;
	char *want;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("nodes: []\ndevices: []\nlinks:\n- name: x\n", f);
	fclose(f);
	assert_int_equal(FAKE_RUN(fk, TEXT, "topology", "load", path), 1);
	assert_int_not_equal(asprintf(&want, "%s:4: missing key \"kind\" in a "
				      "link\n", path), -1);
	assert_string_equal(fk->err, want);
	free(want);
	assert_int_equal(fk->connects, 0);
	unlink(path);

	assert_int_equal(FAKE_RUN(fk, TEXT, "topology", "load", path), 1);
	assert_int_not_equal(asprintf(&want, "aifabctl: topology load: No such "
				      "file or directory (at \"%s\")\n", path),
			     -1);
	assert_string_equal(fk->err, want);
	free(want);
	assert_int_equal(fk->connects, 0);
}

#define ERR(line, msg)	"<stdin>:" #line ": " msg "\n"
#define EMPTY_LISTS	"devices: []\nlinks: []\n"
#define ONE_NODE	"nodes:\n- name: n0\n  local: true\n"

static void test_refuse_structure(void **state)
{
	struct fake *fk = *state;

	assert_refused(fk, "", ERR(1, "empty file: expected a mapping with "
				     "keys nodes, devices and links"));
	assert_refused(fk, "# only a comment\n\n",
		       ERR(1, "empty file: expected a mapping with keys nodes, "
			   "devices and links"));
	assert_refused(fk, "hello world\n",
		       ERR(1, "expected a mapping with keys nodes, devices and "
			   "links, not a string"));
	assert_refused(fk, "---\n",
		       ERR(2, "expected a mapping with keys nodes, devices and "
			   "links, not null"));
	assert_refused(fk, "- nodes\n",
		       ERR(1, "expected a mapping with keys nodes, devices and "
			   "links, not a list"));
	assert_refused(fk, "nodes: []\ndevices: []\n",
		       ERR(1, "missing key \"links\" at the top level"));
	assert_refused(fk, "nodes: []\n" EMPTY_LISTS "switches: []\n",
		       ERR(4, "unknown key \"switches\" at the top level: "
			   "expected nodes, devices or links"));
	assert_refused(fk, "nodes: []\n" EMPTY_LISTS "nodes: []\n",
		       ERR(4, "duplicate key \"nodes\" at the top level"));
	assert_refused(fk, "nodes: {}\n" EMPTY_LISTS,
		       ERR(1, "invalid nodes: expected a list, not a mapping"));
	assert_refused(fk, "nodes:\n" EMPTY_LISTS,
		       ERR(1, "invalid nodes: expected a list, not null"));
	assert_refused(fk, "nodes:\n- n0\n" EMPTY_LISTS,
		       ERR(2, "invalid entry of nodes: expected a mapping, "
			   "not a string"));
	assert_refused(fk, "? [a]\n: 1\n" EMPTY_LISTS,
		       ERR(1, "invalid key at the top level: expected nodes, "
			   "devices or links, not a list"));
	assert_refused(fk, "nodes: []\n" EMPTY_LISTS "---\nnodes: []\n",
		       ERR(5, "a second document: a topology file holds one"));
}

/* Text that is not YAML at all: libyaml's own words, at its line. */
static void test_refuse_not_yaml(void **state)
{
	struct fake *fk = *state;

	assert_refused(fk, "nodes: [\n",
		       ERR(2, "did not find expected node content (while "
			   "parsing a flow node at line 2)"));
	assert_refused(fk, "nodes: []\ndevices: a: b\n",
		       ERR(2, "mapping values are not allowed in this context"));
	assert_refused(fk, "\x7f" "ELF\x02\x01\x01",
		       ERR(1, "control characters are not allowed"));
	assert_refused(fk, "nodes: \xff\xfe\n",
		       ERR(1, "invalid leading UTF-8 octet"));
	assert_refused(fk, "{\"nodes\": [}\n",
		       ERR(1, "did not find expected node content (while "
			   "parsing a flow node at line 1)"));
	assert_refused(fk, "nodes: *nowhere\n",
		       ERR(1, "found undefined alias"));
}

static void test_refuse_keys(void **state)
{
	struct fake *fk = *state;

	assert_refused(fk, ONE_NODE "  rack: 4\n" EMPTY_LISTS,
		       ERR(4, "unknown key \"rack\" in a node: expected name or "
			   "local"));
	assert_refused(fk, ONE_NODE "  name: n1\n" EMPTY_LISTS,
		       ERR(4, "duplicate key \"name\" in a node"));
	assert_refused(fk, "nodes:\n- name: n0\n" EMPTY_LISTS,
		       ERR(2, "missing key \"local\" in a node"));
	assert_refused(fk, ONE_NODE "devices:\n- name: a0\n  type: accel\n"
		       "  node: n0\nlinks: []\n",
		       ERR(5, "missing key \"mem_bytes\" in accelerator \"a0\""));
	assert_refused(fk, ONE_NODE "devices:\n- name: e0\n  type: efa\n"
		       "  node: n0\n  mem_bytes: 4096\nlinks: []\n",
		       ERR(8, "invalid key \"mem_bytes\" in device \"e0\": only "
			   "accelerators have memory"));
	assert_refused(fk, ONE_NODE "devices:\n- type: efa\n  node: n0\n"
		       "links: []\n",
		       ERR(5, "missing key \"name\" in a device"));
	assert_refused(fk, ONE_NODE "devices:\n- name: e0\n  type: efa\n"
		       "  node: n0\n  serial: 12\nlinks: []\n",
		       ERR(8, "unknown key \"serial\" in a device: expected "
			   "name, type, node or mem_bytes"));
	assert_refused(fk, "nodes: []\ndevices: []\nlinks:\n- name: l0\n"
		       "  kind: net\n  a: e0\n  speed_mbps: 1\n",
		       ERR(4, "missing key \"b\" in a link"));
	/* Not "name" cut at its NUL. */
	assert_refused(fk, ONE_NODE "  \"name\\0x\": x\n" EMPTY_LISTS,
		       ERR(4, "unknown key \"name?x\" in a node: expected name "
			   "or local"));
}

static void test_refuse_values(void **state)
{
	struct fake *fk = *state;

	assert_refused(fk, "nodes:\n- name: n0\n  local: 1\n" EMPTY_LISTS,
		       ERR(3, "invalid local \"1\": expected true or false"));
	assert_refused(fk, "nodes:\n- name: n0\n  local: yes\n" EMPTY_LISTS,
		       ERR(3, "invalid local \"yes\": expected true or false"));
	assert_refused(fk, "nodes:\n- name: n0\n  local: \"true\"\n" EMPTY_LISTS,
		       ERR(3, "invalid local \"true\": expected true or false"));
	assert_refused(fk, "nodes:\n- name: 123\n  local: true\n" EMPTY_LISTS,
		       ERR(2, "invalid name \"123\": expected a string, not a "
			   "number"));
	assert_refused(fk, "nodes:\n- name: null\n  local: true\n" EMPTY_LISTS,
		       ERR(2, "invalid name \"null\": expected a string, not "
			   "null"));
	assert_refused(fk, "nodes:\n- name: [n0]\n  local: true\n" EMPTY_LISTS,
		       ERR(2, "invalid name: expected a string, not a list"));
	assert_refused(fk, "nodes:\n- name: \"n 0\"\n  local: true\n" EMPTY_LISTS,
		       ERR(2, "invalid name \"n 0\": expected "
			   AIFAB_NAME_RULE));
	assert_refused(fk, "nodes:\n- name: \"\"\n  local: true\n" EMPTY_LISTS,
		       ERR(2, "invalid name \"\": expected " AIFAB_NAME_RULE));
	assert_refused(fk, "nodes:\n- name: n0123456789012345678901234567890\n"
		       "  local: true\n" EMPTY_LISTS,
		       ERR(2, "invalid name \"n0123456789012345678901234567890\": "
			   "expected " AIFAB_NAME_RULE));
	assert_refused(fk, "nodes:\n- name: \"n\\0\"\n  local: true\n" EMPTY_LISTS,
		       ERR(2, "invalid name \"n?\": NUL characters are not "
			   "allowed"));
	assert_refused(fk, "nodes:\n- name: \"\\e[31mred\"\n  local: true\n"
		       EMPTY_LISTS,
		       ERR(2, "invalid name \"?[31mred\": expected "
			   AIFAB_NAME_RULE));
}

#define DEV_HEAD	ONE_NODE "devices:\n- name: a0\n"
#define LINK_HEAD	ONE_NODE "devices:\n" \
			"- {name: a0, type: accel, node: n0, mem_bytes: 1}\n" \
			"- {name: a1, type: accel, node: n0, mem_bytes: 1}\n" \
			"links:\n- name: l0\n"

static void test_refuse_dev_values(void **state)
{
	struct fake *fk = *state;

	assert_refused(fk, DEV_HEAD "  type: gpu\n  node: n0\nlinks: []\n",
		       ERR(6, "invalid type \"gpu\": expected accel or efa"));
	assert_refused(fk, DEV_HEAD "  type: 1\n  node: n0\nlinks: []\n",
		       ERR(6, "invalid type \"1\": expected accel or efa, not a "
			   "number"));
	assert_refused(fk, DEV_HEAD "  type: accel\n  node: n0\n"
		       "  mem_bytes: \"1024\"\nlinks: []\n",
		       ERR(8, "invalid mem_bytes \"1024\": expected a positive "
			   "integer"));
	assert_refused(fk, DEV_HEAD "  type: accel\n  node: n0\n"
		       "  mem_bytes: 0\nlinks: []\n",
		       ERR(8, "invalid mem_bytes \"0\": expected a positive "
			   "integer"));
	assert_refused(fk, DEV_HEAD "  type: accel\n  node: n0\n"
		       "  mem_bytes: -1\nlinks: []\n",
		       ERR(8, "invalid mem_bytes \"-1\": expected a positive "
			   "integer"));
	assert_refused(fk, DEV_HEAD "  type: accel\n  node: n0\n"
		       "  mem_bytes: 1.5e9\nlinks: []\n",
		       ERR(8, "invalid mem_bytes \"1.5e9\": expected a positive "
			   "integer"));
	assert_refused(fk, DEV_HEAD "  type: accel\n  node: n0\n"
		       "  mem_bytes: 18446744073709551616\nlinks: []\n",
		       ERR(8, "invalid mem_bytes \"18446744073709551616\": "
			   "expected a positive integer"));
	assert_refused(fk, DEV_HEAD "  type: accel\n  node: n0\n"
		       "  mem_bytes: 0x10\nlinks: []\n",
		       ERR(8, "invalid mem_bytes \"0x10\": expected a positive "
			   "integer"));
}

static void test_refuse_link_values(void **state)
{
	struct fake *fk = *state;

	assert_refused(fk, LINK_HEAD "  kind: pcie\n  a: a0\n  b: a1\n"
		       "  speed_mbps: 1\n",
		       ERR(9, "invalid kind \"pcie\": expected accel, affinity "
			   "or net"));
	assert_refused(fk, LINK_HEAD "  kind: accel\n  a: a0\n  b: a1\n"
		       "  speed_mbps: 0\n",
		       ERR(12, "invalid speed_mbps \"0\": expected an integer "
			   "from 1 to 4294967295"));
	assert_refused(fk, LINK_HEAD "  kind: accel\n  a: a0\n  b: a1\n"
		       "  speed_mbps: 4294967296\n",
		       ERR(12, "invalid speed_mbps \"4294967296\": expected an "
			   "integer from 1 to 4294967295"));
	assert_refused(fk, LINK_HEAD "  kind: accel\n  a: a0\n  b: a1\n"
		       "  speed_mbps: fast\n",
		       ERR(12, "invalid speed_mbps \"fast\": expected an integer "
			   "from 1 to 4294967295"));
	assert_refused(fk, LINK_HEAD "  kind: accel\n  a: a0\n  b: {x: 1}\n"
		       "  speed_mbps: 1\n",
		       ERR(11, "invalid b: expected a string, not a mapping"));
}

static void test_refuse_duplicates(void **state)
{
	struct fake *fk = *state;

	assert_refused(fk, ONE_NODE "- name: n1\n  local: false\n"
		       "- name: n0\n  local: false\n" EMPTY_LISTS,
		       ERR(6, "duplicate node \"n0\" (first at line 2)"));
	assert_refused(fk, ONE_NODE "devices:\n"
		       "- {name: e0, type: efa, node: n0}\n"
		       "- {name: e1, type: efa, node: n0}\n"
		       "- {name: e1, type: efa, node: n0}\n"
		       "- {name: e0, type: efa, node: n0}\n"
		       "links: []\n",
		       ERR(7, "duplicate device \"e1\" (first at line 6)"));
	assert_refused(fk, LINK_HEAD "  kind: accel\n  a: a0\n  b: a1\n"
		       "  speed_mbps: 1\n"
		       "- {name: l0, kind: accel, a: a1, b: a0, speed_mbps: 1}\n",
		       ERR(13, "duplicate link \"l0\" (first at line 8)"));
	assert_refused(fk, LINK_HEAD "  kind: accel\n  a: a0\n  b: a1\n"
		       "  speed_mbps: 1\n"
		       "- {name: l1, kind: accel, a: a1, b: a0, speed_mbps: 1}\n",
		       ERR(13, "link \"l1\" joins the same devices as link \"l0\" "
			   "(line 8)"));
}

/* The node the module runs on: exactly one. */
static void test_refuse_local(void **state)
{
	struct fake *fk = *state;

	assert_refused(fk, "nodes: []\n" EMPTY_LISTS,
		       ERR(1, "no node is local: exactly one node is, the host "
			   "the module runs on"));
	assert_refused(fk, "nodes:\n- {name: n0, local: false}\n" EMPTY_LISTS,
		       ERR(2, "no node is local: exactly one node is, the host "
			   "the module runs on"));
	assert_refused(fk, ONE_NODE "- {name: n1, local: false}\n"
		       "- {name: n2, local: true}\n" EMPTY_LISTS,
		       ERR(5, "node \"n2\" is local, and so is node \"n0\" "
			   "(line 2): exactly one node is"));
}

static void test_refuse_dangling(void **state)
{
	struct fake *fk = *state;

	assert_refused(fk, ONE_NODE "devices:\n"
		       "- name: e0\n  type: efa\n  node: n1\nlinks: []\n",
		       ERR(7, "device \"e0\" is on unknown node \"n1\""));
	assert_refused(fk, LINK_HEAD "  kind: accel\n  a: a2\n  b: a1\n"
		       "  speed_mbps: 1\n",
		       ERR(10, "link \"l0\" joins unknown device \"a2\""));
	assert_refused(fk, LINK_HEAD "  kind: accel\n  a: a0\n  b: n0\n"
		       "  speed_mbps: 1\n",
		       ERR(11, "link \"l0\" joins unknown device \"n0\""));
	assert_refused(fk, LINK_HEAD "  kind: accel\n  a: a1\n  b: a1\n"
		       "  speed_mbps: 1\n",
		       ERR(11, "link \"l0\" joins \"a1\" to itself"));
}

/* The kernel's refusal names the entry it pointed at by its line. */
static void test_load_kernel_error(void **state)
{
	struct fake *fk = *state;

	fk->exec_err = -EINVAL;
	fk->errmsg = "a fabric needs one local node";
	fk->err_index = 1;
	assert_int_equal(load(fk, valid), 1);
	assert_string_equal(fk->err, "aifabctl: topology load: a fabric needs "
			    "one local node (at \"<stdin>:4\")\n");

	fk->exec_err = -EBUSY;
	fk->errmsg = "partitions exist";
	fk->err_index = -1;
	assert_int_equal(load(fk, valid), 1);
	assert_string_equal(fk->err, "aifabctl: topology load: partitions "
			    "exist\n");

	fk->exec_err = -EINVAL;
	fk->errmsg = NULL;
	fk->err_index = 6;
	assert_int_equal(load(fk, valid), 1);
	assert_string_equal(fk->err, "aifabctl: topology load: Invalid "
			    "argument (at \"<stdin>:24\")\n");

	fk->exec_err = 0;
	fk->connect_err = -ENOENT;
	assert_int_equal(load(fk, valid), 1);
	assert_string_equal(fk->err, "aifabctl: aifab: the aifab kernel "
			    "module is not loaded\n");
	assert_int_equal(fk->execs, 0);
}

static void test_load_args(void **state)
{
	struct fake *fk = *state;

	assert_int_equal(FAKE_RUN(fk, TEXT, "topology", "load"), 1);
	assert_string_equal(fk->err, "Usage: aifabctl topology { show | load "
			    "FILE }\n");
	assert_int_equal(FAKE_RUN(fk, TEXT, "topology", "load", "a", "b"), 1);
	assert_int_equal(FAKE_RUN(fk, TEXT, "topology", "show", "x"), 1);
	assert_int_equal(fk->connects, 0);
}

static void put_node(struct fake *fk, uint32_t id, const char *name,
		     bool local)
{
	struct nlmsghdr *nlh = fake_msg(fk, AIFAB_CMD_NODE_GET);

	mnl_attr_put_u32(nlh, AIFAB_A_NODE_ID, id);
	mnl_attr_put_strz(nlh, AIFAB_A_NODE_NAME, name);
	mnl_attr_put_u8(nlh, AIFAB_A_NODE_LOCAL, local);
	fake_end(fk, nlh);
}

static void put_dev(struct fake *fk, const char *name, uint32_t type,
		    const char *node, uint64_t mem)
{
	struct nlmsghdr *nlh = fake_msg(fk, AIFAB_CMD_DEV_GET);

	mnl_attr_put_u32(nlh, AIFAB_A_DEV_ID, 1);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, name);
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_TYPE, type);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NODE, node);
	mnl_attr_put_u8(nlh, AIFAB_A_DEV_LOCAL, 1);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_PARTITION, "p1");
	if (mem) {
		mnl_attr_put(nlh, AIFAB_A_DEV_PAD, 0, NULL);
		mnl_attr_put_u64(nlh, AIFAB_A_DEV_MEM_BYTES, mem);
	}
	fake_end(fk, nlh);
}

static void put_link(struct fake *fk, const char *name, uint32_t kind,
		     const char *a, const char *b, uint32_t speed)
{
	struct nlmsghdr *nlh = fake_msg(fk, AIFAB_CMD_LINK_GET);

	mnl_attr_put_u32(nlh, AIFAB_A_LINK_ID, 1);
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_NAME, name);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_KIND, kind);
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_A, a);
	mnl_attr_put_strz(nlh, AIFAB_A_LINK_B, b);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_STATE, AIFAB_LINK_STATE_DOWN);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_ADMIN_STATE, AIFAB_ADMIN_STATE_UP);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_SPEED_MBPS, speed);
	mnl_attr_put_u32(nlh, AIFAB_A_LINK_DROP_PCT, 5);
	fake_end(fk, nlh);
}

/* The objects of the valid file, as the kernel dumps them, links first. */
static void queue_valid(struct fake *fk)
{
	put_link(fk, "efa0-accel0", AIFAB_LINK_KIND_AFFINITY, "efa0",
		 "accel0", 64000);
	put_link(fk, "accel0-accel9", AIFAB_LINK_KIND_NET, "accel0", "accel9",
		 UINT32_MAX);
	put_dev(fk, "accel0", AIFAB_DEV_TYPE_ACCEL, "node0", 1ULL << 30);
	put_dev(fk, "efa0", AIFAB_DEV_TYPE_EFA, "node0", 0);
	put_dev(fk, "accel9", AIFAB_DEV_TYPE_ACCEL, "node1", 2ULL << 30);
	put_node(fk, 1, "node0", true);
	put_node(fk, 2, "node1", false);
}

static void test_show(void **state)
{
	struct fake *fk = *state;

	queue_valid(fk);
	assert_int_equal(FAKE_RUN(fk, TEXT, "topology", "show"), 0);
	assert_string_equal(fk->err, "");
	assert_string_equal(fk->out, valid);
	assert_int_equal(fk->execs, 3);
	assert_int_equal(fk->reqs[0].cmd, AIFAB_CMD_NODE_GET);
	assert_true(fk->reqs[0].dump);
	assert_int_equal(fk->reqs[1].cmd, AIFAB_CMD_DEV_GET);
	assert_int_equal(fk->reqs[2].cmd, AIFAB_CMD_LINK_GET);

	/* What show prints, load sends: the round trip. */
	assert_int_equal(load(fk, valid), 0);
	assert_non_null(fk->msg);
}

static void test_show_json(void **state)
{
	struct fake *fk = *state;

	queue_valid(fk);
	assert_int_equal(FAKE_RUN(fk, JSON, "topology", "show"), 0);
	assert_string_equal(fk->err, "");
	assert_string_equal(fk->out,
		"{\"nodes\":[{\"name\":\"node0\",\"local\":true},"
		"{\"name\":\"node1\",\"local\":false}],"
		"\"devices\":[{\"name\":\"accel0\",\"type\":\"accel\","
		"\"node\":\"node0\",\"mem_bytes\":1073741824},"
		"{\"name\":\"efa0\",\"type\":\"efa\",\"node\":\"node0\","
		"\"mem_bytes\":null},"
		"{\"name\":\"accel9\",\"type\":\"accel\",\"node\":\"node1\","
		"\"mem_bytes\":2147483648}],"
		"\"links\":[{\"name\":\"efa0-accel0\",\"kind\":\"affinity\","
		"\"a\":\"efa0\",\"b\":\"accel0\",\"speed_mbps\":64000},"
		"{\"name\":\"accel0-accel9\",\"kind\":\"net\",\"a\":\"accel0\","
		"\"b\":\"accel9\",\"speed_mbps\":4294967295}]}\n");
}

/* Names YAML would read as something else are quoted, and load back. */
static void test_show_quoting(void **state)
{
	static const char want[] =
		"nodes:\n"
		"- name: \"1.5\"\n"
		"  local: true\n"
		"devices:\n"
		"- name: \"true\"\n"
		"  type: efa\n"
		"  node: \"1.5\"\n"
		"- name: \"0x1f\"\n"
		"  type: efa\n"
		"  node: \"1.5\"\n"
		"- name: \"on\"\n"
		"  type: efa\n"
		"  node: \"1.5\"\n"
		"- name: '-'\n"
		"  type: efa\n"
		"  node: \"1.5\"\n"
		"links:\n"
		"- name: \"null\"\n"
		"  kind: net\n"
		"  a: \"true\"\n"
		"  b: \"0x1f\"\n"
		"  speed_mbps: 1\n"
		"- name: \"1_000\"\n"
		"  kind: net\n"
		"  a: \"on\"\n"
		"  b: '-'\n"
		"  speed_mbps: 1\n";
	struct fake *fk = *state;
	char *shown;

	put_node(fk, 1, "1.5", true);
	put_dev(fk, "true", AIFAB_DEV_TYPE_EFA, "1.5", 0);
	put_dev(fk, "0x1f", AIFAB_DEV_TYPE_EFA, "1.5", 0);
	put_dev(fk, "on", AIFAB_DEV_TYPE_EFA, "1.5", 0);
	put_dev(fk, "-", AIFAB_DEV_TYPE_EFA, "1.5", 0);
	put_link(fk, "null", AIFAB_LINK_KIND_NET, "true", "0x1f", 1);
	put_link(fk, "1_000", AIFAB_LINK_KIND_NET, "on", "-", 1);
	assert_int_equal(FAKE_RUN(fk, TEXT, "topology", "show"), 0);
	assert_string_equal(fk->out, want);
	shown = strdup(fk->out);
	assert_int_equal(load(fk, shown), 0);
	assert_string_equal(fk->err, "");
	free(shown);
}

static void test_show_malformed(void **state)
{
	struct fake *fk = *state;
	struct nlmsghdr *nlh;

	/* A device without its node. */
	nlh = fake_msg(fk, AIFAB_CMD_DEV_GET);
	mnl_attr_put_strz(nlh, AIFAB_A_DEV_NAME, "accel0");
	mnl_attr_put_u32(nlh, AIFAB_A_DEV_TYPE, AIFAB_DEV_TYPE_ACCEL);
	fake_end(fk, nlh);
	assert_int_equal(FAKE_RUN(fk, TEXT, "topology", "show"), 1);
	assert_string_equal(fk->out, "");
	assert_string_equal(fk->err, "aifabctl: topology show: malformed reply "
			    "from the kernel\n");

	/* A node name longer than the UAPI allows. */
	fk->len = 0;
	put_node(fk, 1, "n0123456789012345678901234567890", true);
	assert_int_equal(FAKE_RUN(fk, JSON, "topology", "show"), 1);
	assert_string_equal(fk->out, "");

	/* The local flag without its byte. */
	fk->len = 0;
	nlh = fake_msg(fk, AIFAB_CMD_NODE_GET);
	mnl_attr_put_strz(nlh, AIFAB_A_NODE_NAME, "n0");
	mnl_attr_put(nlh, AIFAB_A_NODE_LOCAL, 0, NULL);
	fake_end(fk, nlh);
	assert_int_equal(FAKE_RUN(fk, TEXT, "topology", "show"), 1);
	assert_string_equal(fk->out, "");

	fk->len = 0;
	fk->exec_errs[1] = -EPERM;
	assert_int_equal(FAKE_RUN(fk, TEXT, "topology", "show"), 1);
	assert_string_equal(fk->err, "aifabctl: topology show: Operation not "
			    "permitted\n");
	assert_string_equal(fk->out, "");
}

/*
 * The largest fabric the module builds: 64 nodes of 16 devices, and
 * thousands of links. Written, read back, turned into one request of
 * several hundred KB, and parsed back.
 */
#define BIG_NODES	64
#define BIG_ACCELS	8		/* and as many EFA devices per node */

static char *big_yaml(size_t *nlinks)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int n, i;

	assert_non_null(f);
	fputs("nodes:\n", f);
	for (n = 0; n < BIG_NODES; n++)
		fprintf(f, "- name: node%02d\n  local: %s\n", n,
			n ? "false" : "true");
	fputs("devices:\n", f);
	for (n = 0; n < BIG_NODES; n++) {
		for (i = 0; i < BIG_ACCELS; i++)
			fprintf(f, "- name: node%02d.accel%d\n  type: accel\n"
				"  node: node%02d\n  mem_bytes: 1073741824\n",
				n, i, n);
		for (i = 0; i < BIG_ACCELS; i++)
			fprintf(f, "- name: node%02d.efa%d\n  type: efa\n"
				"  node: node%02d\n", n, i, n);
	}
	fputs("links:\n", f);
	*nlinks = 0;
	for (n = 0; n < BIG_NODES; n++) {
		for (i = 0; i < BIG_ACCELS; i++) {
			/* The ring, the affinities, and two network rings. */
			fprintf(f, "- name: node%02d.accel%d-node%02d.accel%d\n"
				"  kind: accel\n"
				"  a: node%02d.accel%d\n  b: node%02d.accel%d\n"
				"  speed_mbps: 400000\n", n, i, n,
				(i + 1) % BIG_ACCELS, n, i, n,
				(i + 1) % BIG_ACCELS);
			fprintf(f, "- name: node%02d.efa%d-node%02d.accel%d\n"
				"  kind: affinity\n"
				"  a: node%02d.efa%d\n  b: node%02d.accel%d\n"
				"  speed_mbps: 64000\n", n, i, n, i, n, i, n,
				i);
			fprintf(f, "- name: node%02d.efa%d-node%02d.efa%d\n"
				"  kind: net\n"
				"  a: node%02d.efa%d\n  b: node%02d.efa%d\n"
				"  speed_mbps: 100000\n", n, i,
				(n + 1) % BIG_NODES, i, n, i,
				(n + 1) % BIG_NODES, i);
			fprintf(f, "- name: node%02d.efa%d-node%02d.efa%d\n"
				"  kind: net\n"
				"  a: node%02d.efa%d\n  b: node%02d.efa%d\n"
				"  speed_mbps: 100000\n", n, i,
				(n + 2) % BIG_NODES, i, n, i,
				(n + 2) % BIG_NODES, i);
			*nlinks += 4;
		}
	}
	fclose(f);
	return buf;
}

static void test_big(void **state)
{
	struct aifab_yaml_err err = { 0 };
	struct fake *fk = *state;
	const struct nlmsghdr *nlh;
	const struct nlattr *attr;
	size_t nlinks, counts[4] = { 0 };
	char *yaml = big_yaml(&nlinks);
	char *shown = NULL;
	size_t shown_len = 0;
	struct topo t = { 0 };
	FILE *f;

	assert_true(nlinks >= 2048);
	f = fmemopen(yaml, strlen(yaml), "r");
	assert_non_null(f);
	assert_int_equal(topo_parse(f, &t, &err), 0);
	fclose(f);
	assert_int_equal(t.ndevs, BIG_NODES * BIG_ACCELS * 2);
	assert_int_equal(t.nlinks, nlinks);

	/* Written back, it is the same text. */
	f = open_memstream(&shown, &shown_len);
	assert_non_null(f);
	assert_int_equal(topo_emit(f, &t), 0);
	fclose(f);
	assert_string_equal(shown, yaml);
	free(shown);
	topo_free(&t);

	assert_int_equal(load(fk, yaml), 0);
	assert_string_equal(fk->err, "");
	nlh = (const struct nlmsghdr *)fk->msg;
	/* More than the default send buffer (net.core.wmem_default) takes. */
	assert_true(nlh->nlmsg_len > 212992);
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		assert_true(mnl_attr_get_type(attr) <= AIFAB_A_TOPOLOGY_MAX);
		counts[mnl_attr_get_type(attr)]++;
	}
	assert_int_equal(counts[AIFAB_A_TOPOLOGY_NODE], BIG_NODES);
	assert_int_equal(counts[AIFAB_A_TOPOLOGY_DEV],
			 BIG_NODES * BIG_ACCELS * 2);
	assert_int_equal(counts[AIFAB_A_TOPOLOGY_LINK], nlinks);
	free(yaml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalar_type),
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test_setup_teardown(test_parse_styles, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_build, setup, teardown),
		cmocka_unit_test_setup_teardown(test_build_small, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refuse_structure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refuse_not_yaml, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refuse_keys, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refuse_values, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refuse_dev_values, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refuse_link_values, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refuse_duplicates, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refuse_local, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refuse_dangling, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_kernel_error, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_args, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_show, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_json, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_show_quoting, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_show_malformed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_big, setup, teardown),
	};

	return cmocka_run_group_tests_name("topo", tests, NULL, NULL);
}
