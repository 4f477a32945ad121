// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of aifabd's configuration reader: a full file read value by
 * value, the defaults and the embedded default, and every kind of bad file,
 * each refused with its exact FILE:LINE:COLUMN message and no configuration
 * left behind.
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

#include "../aifabd/config.h"

/* The Makefile gives the absolute path; this serves linters. */
#ifndef SAMPLE_DIR
#define SAMPLE_DIR	"tests/data"
#endif

static const char full[] =
	"topology:\n"					/* 1 */
	"  nodes:\n"
	"  - {name: node0, local: true}\n"
	"  devices:\n"
	"  - {name: accel0, type: accel, node: node0, mem_bytes: 1024}\n"
	"  - {name: accel1, type: accel, node: node0, mem_bytes: 1024}\n"
	"  - {name: efa0, type: efa, node: node0}\n"
	"  - {name: efa1, type: efa, node: node0}\n"
	"  links:\n"
	"  - {name: efa0-efa1, kind: net, a: efa0, b: efa1, "
	"speed_mbps: 100000}\n"					/* 10 */
	"tenants:\n"
	"- name: acme\n"
	"  group: acme-users\n"
	"  netns: acme\n"
	"- name: globex\n"					/* 15 */
	"partitions:\n"
	"- name: red\n"
	"  tenant: acme\n"
	"  devices: [accel0, efa0]\n"
	"- name: blue\n"					/* 20 */
	"  tenant: globex\n"
	"  devices:\n"
	"  - accel1\n"
	"- name: empty\n"
	"  tenant: globex\n"					/* 25 */
	"fences:\n"
	"- [red, blue]\n"
	"health:\n"
	"  degrade_ppm: 0\n"
	"  flap_damping_ms: 3600000\n"				/* 30 */
	"  on_link_down: down\n"
	"  links:\n"
	"  - name: efa0-efa1\n"
	"    degrade_ppm: 1000000\n";

static int parse(const char *yaml, struct aifabd_config *cfg,
		 struct aifabd_config_err *err)
{
	FILE *f = fmemopen((void *)yaml, strlen(yaml), "r");
	int ret;

	assert_non_null(f);
	ret = aifabd_config_parse(f, "aifab.yaml", cfg, err);
	fclose(f);
	return ret;
}

/* Nothing at all is left of a refused file. */
static void assert_empty(const struct aifabd_config *cfg)
{
	static const struct aifabd_config zero;

	assert_memory_equal(cfg, &zero, sizeof(zero));
}

#define assert_refused(yaml, msg) assert_refused_at(yaml, msg, __LINE__)

static void assert_refused_at(const char *yaml, const char *msg, int line)
{
	struct aifabd_config_err err = { 0 };
	struct aifabd_config cfg;
	int ret = parse(yaml, &cfg, &err);

	if (ret != -EINVAL || !err.msg || strcmp(err.msg, msg))
		fail_msg("line %d: got %d \"%s\", expected \"%s\"", line, ret,
			 err.msg ? err.msg : "(null)", msg);
	assert_empty(&cfg);
	aifabd_config_err_free(&err);
}

static void test_full(void **state)
{
	struct aifabd_config_err err = { 0 };
	struct aifabd_config cfg;
	const struct aifabd_partition *p;

	(void)state;
	assert_int_equal(parse(full, &cfg, &err), 0);
	assert_null(err.msg);
	assert_string_equal(cfg.file, "aifab.yaml");
	assert_true(cfg.has_topo);
	assert_int_equal(cfg.topo.ndevs, 4);
	assert_int_equal(cfg.topo.nlinks, 1);
	assert_int_equal(cfg.topo.devs[2].line, 7);
	assert_int_equal(cfg.topo.devs[2].col, 5);

	assert_int_equal(cfg.ntenants, 2);
	assert_string_equal(cfg.tenants[0].name, "acme");
	assert_string_equal(cfg.tenants[0].group, "acme-users");
	assert_string_equal(cfg.tenants[0].netns, "acme");
	assert_int_equal(cfg.tenants[0].pos.line, 12);
	assert_int_equal(cfg.tenants[0].pos.col, 3);
	assert_string_equal(cfg.tenants[1].name, "globex");
	assert_string_equal(cfg.tenants[1].group, "");
	assert_string_equal(cfg.tenants[1].netns, "");

	assert_int_equal(cfg.nparts, 3);
	p = &cfg.parts[0];
	assert_string_equal(p->name, "red");
	assert_string_equal(p->tenant.name, "acme");
	assert_int_equal(p->tenant.pos.line, 18);
	assert_int_equal(p->tenant.pos.col, 11);
	assert_int_equal(p->ndevs, 2);
	assert_string_equal(p->devs[1].name, "efa0");
	assert_int_equal(p->devs[1].pos.line, 19);
	assert_int_equal(p->devs[1].pos.col, 21);
	p = &cfg.parts[1];
	assert_int_equal(p->ndevs, 1);
	assert_string_equal(p->devs[0].name, "accel1");
	assert_int_equal(p->devs[0].pos.line, 23);
	assert_int_equal(cfg.parts[2].ndevs, 0);
	assert_ptr_equal(aifabd_config_partition(&cfg, "blue"), p);
	assert_null(aifabd_config_partition(&cfg, "green"));
	assert_ptr_equal(aifabd_config_tenant(&cfg, "globex"),
			 &cfg.tenants[1]);

	assert_int_equal(cfg.nfences, 1);
	assert_string_equal(cfg.fences[0].a.name, "red");
	assert_string_equal(cfg.fences[0].b.name, "blue");
	assert_int_equal(cfg.fences[0].pos.line, 27);
	assert_int_equal(cfg.fences[0].pos.col, 3);

	assert_int_equal(cfg.health.degrade_ppm, 0);
	assert_int_equal(cfg.health.flap_damping_ms, 3600000);
	assert_int_equal(cfg.health.on_link_down, AIFABD_LINK_DOWN_DOWN);
	assert_int_equal(cfg.health.nlinks, 1);
	assert_int_equal(cfg.health.links[0].degrade_ppm, 1000000);
	assert_int_equal(aifabd_config_degrade_ppm(&cfg, "efa0-efa1"),
			 1000000);
	assert_int_equal(aifabd_config_degrade_ppm(&cfg, "other"), 0);
	aifabd_config_free(&cfg);
	assert_empty(&cfg);
}

/* Absent sections are empty, absent health values the defaults. */
static void test_defaults(void **state)
{
	struct aifabd_config_err err = { 0 };
	struct aifabd_config cfg;

	(void)state;
	assert_int_equal(parse("health: {on_link_down: degrade}\n", &cfg,
			       &err), 0);
	assert_false(cfg.has_topo);
	assert_int_equal(cfg.ntenants + cfg.nparts + cfg.nfences, 0);
	assert_int_equal(cfg.health.degrade_ppm, AIFABD_DEFAULT_DEGRADE_PPM);
	assert_int_equal(cfg.health.flap_damping_ms,
			 AIFABD_DEFAULT_FLAP_DAMPING_MS);
	assert_int_equal(cfg.health.on_link_down, AIFABD_LINK_DOWN_DEGRADE);
	assert_string_equal(aifabd_link_down_name(cfg.health.on_link_down),
			    "degrade");
	/* As the library names any value it does not know (names.h). */
	assert_string_equal(aifabd_link_down_name((enum aifabd_link_down)99),
			    "unknown");
	aifabd_config_free(&cfg);

	assert_int_equal(parse("fences: []\n", &cfg, &err), 0);
	assert_int_equal(cfg.health.degrade_ppm, 1000);
	assert_int_equal(cfg.health.flap_damping_ms, 5000);
	assert_int_equal(cfg.health.on_link_down, AIFABD_LINK_DOWN_REROUTE);
	aifabd_config_free(&cfg);
}

static void test_embedded_default(void **state)
{
	struct aifabd_config_err err = { 0 };
	struct aifabd_config cfg;

	(void)state;
	assert_int_equal(aifabd_config_default(&cfg, &err), 0);
	assert_string_equal(cfg.file, "<default>");
	assert_false(cfg.has_topo);
	assert_int_equal(cfg.topo.nnodes, 0);
	assert_int_equal(cfg.ntenants, 0);
	assert_int_equal(cfg.nparts, 0);
	assert_int_equal(cfg.nfences, 0);
	assert_int_equal(cfg.health.degrade_ppm, AIFABD_DEFAULT_DEGRADE_PPM);
	assert_int_equal(cfg.health.flap_damping_ms,
			 AIFABD_DEFAULT_FLAP_DAMPING_MS);
	assert_int_equal(cfg.health.on_link_down, AIFABD_LINK_DOWN_REROUTE);
	assert_int_equal(cfg.health.nlinks, 0);
	aifabd_config_free(&cfg);
}

static void test_load_file(void **state)
{
	struct aifabd_config_err err = { 0 };
	struct aifabd_config cfg;

	(void)state;
	assert_int_equal(aifabd_config_load("/nonexistent/aifab.yaml", &cfg,
					    &err), -ENOENT);
	assert_string_equal(err.msg, "/nonexistent/aifab.yaml: No such file "
			    "or directory");
	assert_int_equal(err.line, 0);
	assert_empty(&cfg);
	aifabd_config_err_free(&err);

	/* The sample the tests ship, as the daemon would read it. */
	assert_int_equal(aifabd_config_load(SAMPLE_DIR "/aifab.yaml", &cfg,
					    &err), 0);
	assert_null(err.msg);
	assert_int_equal(cfg.nparts, 2);
	assert_int_equal(cfg.nfences, 1);
	assert_int_equal(cfg.health.nlinks, 1);
	aifabd_config_free(&cfg);
}

static void test_bad_yaml(void **state)
{
	(void)state;
	assert_refused("", "aifab.yaml:1:1: empty file: expected a mapping "
		       "of topology, tenants, partitions, fences or health");
	assert_refused("# nothing but a comment\n",
		       "aifab.yaml:1:1: empty file: expected a mapping of "
		       "topology, tenants, partitions, fences or health");
	assert_refused("- tenants\n",
		       "aifab.yaml:1:1: expected a mapping of topology, "
		       "tenants, partitions, fences or health, not a list");
	assert_refused("tenants: [a, b\n",
		       "aifab.yaml:2:1: did not find expected ',' or ']' "
		       "(while parsing a flow sequence at line 1)");
	assert_refused("tenants:\n  - name: a\n - name: b\n",
		       "aifab.yaml:3:2: did not find expected key "
		       "(while parsing a block mapping at line 1)");
	assert_refused("fences: []\n---\nfences: []\n",
		       "aifab.yaml:3:1: a second document: a configuration "
		       "file holds one");
	assert_refused("fences: []\n\tx: 1\n",
		       "aifab.yaml:2:1: found character that cannot start "
		       "any token (while scanning for the next token at line "
		       "2)");
}

static void test_unknown_keys(void **state)
{
	(void)state;
	assert_refused("fences: []\npartition: []\n",
		       "aifab.yaml:2:1: unknown key \"partition\" at the top "
		       "level: expected topology, tenants, partitions, fences "
		       "or health");
	assert_refused("tenants:\n- {name: a, gid: 5}\n",
		       "aifab.yaml:2:13: unknown key \"gid\" in a tenant: "
		       "expected name, group or netns");
	assert_refused("partitions:\n- name: red\n  tenant: a\n  dev: []\n",
		       "aifab.yaml:4:3: unknown key \"dev\" in a partition: "
		       "expected name, tenant or devices");
	assert_refused("health:\n  degrade: 5\n",
		       "aifab.yaml:2:3: unknown key \"degrade\" in health: "
		       "expected degrade_ppm, flap_damping_ms, on_link_down "
		       "or links");
	assert_refused("health:\n  links:\n  - {name: l, ppm: 5}\n",
		       "aifab.yaml:3:15: unknown key \"ppm\" in a link of "
		       "health: expected name or degrade_ppm");
	assert_refused("{[a]: 1}\n",
		       "aifab.yaml:1:2: invalid key at the top level: "
		       "expected topology, tenants, partitions, fences or "
		       "health, not a list");
	assert_refused("tenants: []\ntenants: []\n",
		       "aifab.yaml:2:1: duplicate key \"tenants\" at the top "
		       "level");
	assert_refused("tenants:\n- name: a\n  name: b\n",
		       "aifab.yaml:3:3: duplicate key \"name\" in a tenant");
	assert_refused("partitions:\n- name: red\n",
		       "aifab.yaml:2:3: missing key \"tenant\" in a "
		       "partition");
	assert_refused("tenants:\n- {group: g}\n",
		       "aifab.yaml:2:3: missing key \"name\" in a tenant");
	assert_refused("health:\n  links:\n  - name: l\n",
		       "aifab.yaml:3:5: missing key \"degrade_ppm\" in a link "
		       "of health");
}

static void test_wrong_types(void **state)
{
	(void)state;
	assert_refused("tenants: 5\n",
		       "aifab.yaml:1:10: invalid tenants: expected a list, "
		       "not a number");
	assert_refused("tenants:\n",
		       "aifab.yaml:1:9: invalid tenants: expected a list, "
		       "not null");
	assert_refused("tenants: [acme]\n",
		       "aifab.yaml:1:11: invalid entry of tenants: expected "
		       "a mapping, not a string");
	assert_refused("tenants:\n- name: 123\n",
		       "aifab.yaml:2:9: invalid name \"123\": expected a "
		       "string, not a number");
	assert_refused("tenants:\n- name: [a]\n",
		       "aifab.yaml:2:9: invalid name: expected a string, not "
		       "a list");
	assert_refused("tenants:\n- name: true\n",
		       "aifab.yaml:2:9: invalid name \"true\": expected a "
		       "string, not a boolean");
	assert_refused("partitions:\n- {name: r, tenant: t, devices: d}\n",
		       "aifab.yaml:2:33: invalid devices: expected a list, "
		       "not a string");
	assert_refused("partitions:\n- {name: r, tenant: t, devices: [{}]}\n",
		       "aifab.yaml:2:34: invalid device: expected a string, "
		       "not a mapping");
	assert_refused("fences:\n- {a: red, b: blue}\n",
		       "aifab.yaml:2:3: invalid entry of fences: expected a "
		       "list of two partitions, not a mapping");
	assert_refused("fences:\n- [red, blue, green]\n",
		       "aifab.yaml:2:3: invalid entry of fences: expected "
		       "two partitions, not 3");
	assert_refused("fences:\n- [red]\n",
		       "aifab.yaml:2:3: invalid entry of fences: expected "
		       "two partitions, not 1");
	assert_refused("health: [1]\n",
		       "aifab.yaml:1:9: invalid health: expected a mapping, "
		       "not a list");
	assert_refused("health: {on_link_down: explode}\n",
		       "aifab.yaml:1:24: invalid on_link_down \"explode\": "
		       "expected reroute, degrade or down");
	assert_refused("health: {on_link_down: 1}\n",
		       "aifab.yaml:1:24: invalid on_link_down \"1\": expected "
		       "reroute, degrade or down, not a number");
	assert_refused("topology: []\n",
		       "aifab.yaml:1:11: expected a mapping with keys nodes, "
		       "devices and links, not a list");
	assert_refused("tenants:\n- name: \"a\\0b\"\n",
		       "aifab.yaml:2:9: invalid name \"a?b\": NUL characters "
		       "are not allowed");
	/* The topology section is read by the same reader: same message. */
	assert_refused("topology:\n  nodes:\n  - {name: \"n\\0\", local: true}\n"
		       "  devices: []\n  links: []\n",
		       "aifab.yaml:3:12: invalid name \"n?\": NUL characters "
		       "are not allowed");
}

static void test_numbers(void **state)
{
	(void)state;
	assert_refused("health: {degrade_ppm: 1000001}\n",
		       "aifab.yaml:1:23: invalid degrade_ppm \"1000001\": "
		       "expected an integer from 0 to 1000000");
	assert_refused("health: {degrade_ppm: 99999999999999999999999}\n",
		       "aifab.yaml:1:23: invalid degrade_ppm "
		       "\"99999999999999999999999\": expected an integer from "
		       "0 to 1000000");
	assert_refused("health: {degrade_ppm: -1}\n",
		       "aifab.yaml:1:23: invalid degrade_ppm \"-1\": expected "
		       "an integer from 0 to 1000000");
	assert_refused("health: {degrade_ppm: 0x10}\n",
		       "aifab.yaml:1:23: invalid degrade_ppm \"0x10\": "
		       "expected an integer from 0 to 1000000");
	assert_refused("health: {degrade_ppm: 1.5}\n",
		       "aifab.yaml:1:23: invalid degrade_ppm \"1.5\": expected "
		       "an integer from 0 to 1000000");
	assert_refused("health: {degrade_ppm: \"10\"}\n",
		       "aifab.yaml:1:23: invalid degrade_ppm \"10\": expected "
		       "an integer from 0 to 1000000");
	assert_refused("health: {flap_damping_ms: 3600001}\n",
		       "aifab.yaml:1:27: invalid flap_damping_ms \"3600001\": "
		       "expected an integer from 0 to 3600000");
	assert_refused("health:\n  links:\n  - {name: l, degrade_ppm: "
		       "4294967296}\n",
		       "aifab.yaml:3:28: invalid degrade_ppm \"4294967296\": "
		       "expected an integer from 0 to 1000000");
}

static void test_names(void **state)
{
	(void)state;
	/* 31 characters are a name; 32 are not. */
	assert_refused("tenants:\n- name: abcdefghijklmnopqrstuvwxyz012345\n",
		       "aifab.yaml:2:9: invalid name "
		       "\"abcdefghijklmnopqrstuvwxyz012345\": expected 1-31 "
		       "characters of [a-zA-Z0-9_.-]");
	assert_refused("tenants:\n- name: \"a b\"\n",
		       "aifab.yaml:2:9: invalid name \"a b\": expected 1-31 "
		       "characters of [a-zA-Z0-9_.-]");
	assert_refused("tenants:\n- name: \"\"\n",
		       "aifab.yaml:2:9: invalid name \"\": expected 1-31 "
		       "characters of [a-zA-Z0-9_.-]");
	assert_refused("tenants:\n- {name: a, group: \"1000\"}\n",
		       "aifab.yaml:2:20: invalid group \"1000\": expected a "
		       "group name, not a number nor starting with '-'");
	assert_refused("tenants:\n- {name: a, group: -wheel}\n",
		       "aifab.yaml:2:20: invalid group \"-wheel\": expected a "
		       "group name, not a number nor starting with '-'");
	assert_refused("tenants:\n- {name: a, netns: ..}\n",
		       "aifab.yaml:2:20: invalid netns \"..\": expected the "
		       "name of a file in /run/netns");
	assert_refused("tenants:\n- {name: a, netns: ../etc}\n",
		       "aifab.yaml:2:20: invalid netns \"../etc\": expected "
		       "1-31 characters of [a-zA-Z0-9_.-]");
	assert_refused("partitions:\n- {name: r, tenant: t, devices: "
		       "[\"accel/0\"]}\n",
		       "aifab.yaml:2:34: invalid device \"accel/0\": expected "
		       "1-31 characters of [a-zA-Z0-9_.-]");
}

static void test_duplicates(void **state)
{
	(void)state;
	assert_refused("tenants:\n- name: a\n- name: b\n- name: a\n",
		       "aifab.yaml:4:3: duplicate tenant \"a\" (first at line "
		       "2)");
	assert_refused("tenants: [{name: t}]\npartitions:\n"
		       "- {name: red, tenant: t}\n- {name: red, tenant: t}\n",
		       "aifab.yaml:4:3: duplicate partition \"red\" (first at "
		       "line 3)");
	assert_refused("tenants: [{name: t}]\npartitions:\n"
		       "- {name: red, tenant: t, devices: [a0, a1, a0]}\n",
		       "aifab.yaml:3:44: device \"a0\" is listed twice in "
		       "partition \"red\" (first at line 3)");
	assert_refused("tenants: [{name: t}]\npartitions:\n"
		       "- {name: red, tenant: t, devices: [a0, a1]}\n"
		       "- {name: blue, tenant: t, devices:\n"
		       "   [a2, a1]}\n",
		       "aifab.yaml:5:9: device \"a1\" is already in partition "
		       "\"red\" (line 3): a device is in at most one "
		       "partition");
	assert_refused("tenants: [{name: t}]\npartitions:\n"
		       "- {name: red, tenant: t}\n- {name: blue, tenant: t}\n"
		       "fences:\n- [red, blue]\n- [blue, red]\n",
		       "aifab.yaml:7:3: duplicate fence between \"blue\" and "
		       "\"red\" (first at line 6)");
	assert_refused("tenants: [{name: t}]\npartitions:\n"
		       "- {name: red, tenant: t}\nfences:\n- [red, red]\n",
		       "aifab.yaml:5:9: fence joins partition \"red\" to "
		       "itself");
	assert_refused("health:\n  links:\n  - {name: l, degrade_ppm: 1}\n"
		       "  - {name: l, degrade_ppm: 2}\n",
		       "aifab.yaml:4:5: duplicate link \"l\" in health (first "
		       "at line 3)");
}

static void test_references(void **state)
{
	(void)state;
	assert_refused("tenants: [{name: acme}]\npartitions:\n"
		       "- {name: red, tenant: acne}\n",
		       "aifab.yaml:3:23: partition \"red\" has unknown tenant "
		       "\"acne\"");
	assert_refused("tenants: [{name: t}]\npartitions:\n"
		       "- {name: red, tenant: t}\nfences:\n- [red, green]\n",
		       "aifab.yaml:5:9: fence names unknown partition "
		       "\"green\"");
	/* Order in the file does not matter. */
	assert_refused("fences:\n- [gone, red]\npartitions:\n"
		       "- {name: red, tenant: t}\ntenants: [{name: t}]\n",
		       "aifab.yaml:2:4: fence names unknown partition "
		       "\"gone\"");
}

#define SMALL_TOPO \
	"topology:\n" \
	"  nodes: [{name: n0, local: true}]\n" \
	"  devices: [{name: e0, type: efa, node: n0}]\n" \
	"  links: []\n"

/*
 * With a topology, references into it are checked too, and its errors
 * keep their place in the whole file.
 */
static void test_topology(void **state)
{
	(void)state;
	assert_refused(SMALL_TOPO "tenants: [{name: t}]\npartitions:\n"
		       "- {name: red, tenant: t, devices: [e0, e1]}\n",
		       "aifab.yaml:7:40: partition \"red\" has unknown "
		       "device \"e1\"");
	assert_refused(SMALL_TOPO "health:\n  links:\n"
		       "  - {name: e0-e1, degrade_ppm: 1}\n",
		       "aifab.yaml:7:5: health of unknown link \"e0-e1\"");
	assert_refused("fences: []\ntopology:\n"
		       "  nodes: [{name: n0, local: true}]\n"
		       "  devices: [{name: e0, type: efa, node: n1}]\n"
		       "  links: []\n",
		       "aifab.yaml:4:41: device \"e0\" is on unknown node "
		       "\"n1\"");
	assert_refused("topology:\n  nodes: [{name: n0, local: true, x: 1}]\n",
		       "aifab.yaml:2:35: unknown key \"x\" in a node: expected "
		       "name or local");
	assert_refused("topology:\n  nodes: []\n  devices: []\n  links: []\n",
		       "aifab.yaml:2:3: no node is local: exactly one node "
		       "is, the host the module runs on");
	assert_refused("topology: {nodes: [], devices: [], links: []}\n",
		       "aifab.yaml:1:11: no node is local: exactly one node "
		       "is, the host the module runs on");
	assert_refused("topology:\n  nodes: [{name: n0, local: true}]\n",
		       "aifab.yaml:2:3: missing key \"devices\" at the top "
		       "level");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_embedded_default),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_bad_yaml),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_topology),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
