// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of aifabd's diff planner: for a configuration (read by the
 * real reader) and a kernel state built here, the exact operations, in
 * their exact order, with their reasons, as aifabd_plan_print() writes
 * them.
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

#include "fmt.h"
#include "str.h"
#include "yaml_doc.h"
#include "../aifabd/plan.h"

/* The fabric of these tests, for configurations that carry a topology. */
#define TOPO \
	"topology:\n" \
	"  nodes: [{name: n0, local: true}]\n" \
	"  devices:\n" \
	"  - {name: accel0, type: accel, node: n0, mem_bytes: 1024}\n" \
	"  - {name: accel1, type: accel, node: n0, mem_bytes: 1024}\n" \
	"  - {name: efa0, type: efa, node: n0}\n" \
	"  links:\n" \
	"  - {name: l01, kind: accel, a: accel0, b: accel1, " \
	"speed_mbps: 1000}\n" \
	"  - {name: l0e, kind: affinity, a: efa0, b: accel0, " \
	"speed_mbps: 2000}\n"

#define TENANTS \
	"tenants:\n" \
	"- {name: acme, netns: acme}\n" \
	"- {name: globex}\n"

static void cfg_read(const char *yaml, struct aifabd_config *cfg)
{
	struct aifabd_config_err err = { 0 };
	FILE *f = fmemopen((void *)yaml, strlen(yaml), "r");
	int ret;

	assert_non_null(f);
	ret = aifabd_config_parse(f, "aifab.yaml", cfg, &err);
	fclose(f);
	if (ret)
		fail_msg("config refused: %s", err.msg);
}

/* Add a partition to the kernel state: its devices, then NULL. */
#define act_part(act, name, tenant, netns, ...) \
	act_part_list(act, name, tenant, netns, \
		      (const char *const []){ __VA_ARGS__ })

static void act_part_list(struct aifabd_actual *act, const char *name,
			  const char *tenant, const char *netns,
			  const char *const *devs)
{
	struct aifabd_actual_part *p;

	act->parts = reallocarray(act->parts, act->nparts + 1,
				  sizeof(*act->parts));
	assert_non_null(act->parts);
	p = &act->parts[act->nparts++];
	*p = (struct aifabd_actual_part){ 0 };
	aifab_strscpy(p->name, name, sizeof(p->name));
	aifab_strscpy(p->tenant, tenant, sizeof(p->tenant));
	aifab_strscpy(p->netns, netns, sizeof(p->netns));
	for (; *devs; devs++) {
		p->devs = reallocarray(p->devs, p->ndevs + 1, sizeof(*p->devs));
		assert_non_null(p->devs);
		aifab_strscpy(p->devs[p->ndevs++], *devs, sizeof(*p->devs));
	}
}

static void act_fence(struct aifabd_actual *act, const char *a, const char *b)
{
	act->fences = reallocarray(act->fences, act->nfences + 1,
				   sizeof(*act->fences));
	assert_non_null(act->fences);
	aifab_strscpy(act->fences[act->nfences].a, a, AIFAB_NAME_MAX);
	aifab_strscpy(act->fences[act->nfences++].b, b, AIFAB_NAME_MAX);
}

static void act_link(struct aifabd_actual *act, const char *name,
		     uint32_t ppm)
{
	act->links = reallocarray(act->links, act->nlinks + 1,
				  sizeof(*act->links));
	assert_non_null(act->links);
	aifab_strscpy(act->links[act->nlinks].name, name, AIFAB_NAME_MAX);
	act->links[act->nlinks++].degrade_ppm = ppm;
}

/* An EFA device of the fabric, its RDMA device and where that is. */
static void act_rdma(struct aifabd_actual *act, const char *dev, uint32_t id,
		     const char *netns)
{
	struct aifabd_rdma_dev *d;

	act->rdma = reallocarray(act->rdma, act->nrdma + 1,
				 sizeof(*act->rdma));
	assert_non_null(act->rdma);
	d = &act->rdma[act->nrdma++];
	*d = (struct aifabd_rdma_dev){ .id = id };
	aifab_strscpy(d->dev, dev, sizeof(d->dev));
	assert_true(aifab_fmt(d->ibdev, sizeof(d->ibdev), "aifab_%s", dev) > 0);
	aifab_strscpy(d->netns, netns, sizeof(d->netns));
}

/* The kernel's topology, given as a topology file. */
static void act_topo(struct aifabd_actual *act, const char *yaml)
{
	struct aifab_yaml_err err = { 0 };
	FILE *f = fmemopen((void *)yaml, strlen(yaml), "r");

	assert_non_null(f);
	assert_int_equal(topo_parse(f, &act->topo, &err), 0);
	fclose(f);
	act->has_topo = true;
}

/* The links of TOPO, at the default threshold. */
static void act_links(struct aifabd_actual *act)
{
	act_link(act, "l01", 1000);
	act_link(act, "l0e", 1000);
}

static char *plan_text(const struct aifabd_plan *plan)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(aifabd_plan_print(f, plan), 0);
	fclose(f);
	return text;
}

#define assert_plan(yaml, act, expected) \
	assert_plan_at(yaml, act, expected, __LINE__)

/* The plan from @act to @yaml is exactly @expected; @act is freed. */
static void assert_plan_at(const char *yaml, struct aifabd_actual *act,
			   const char *expected, int line)
{
	struct aifabd_plan plan = { 0 };
	struct aifabd_config cfg;
	char *errmsg = NULL;
	char *text;

	cfg_read(yaml, &cfg);
	if (aifabd_plan_build(&cfg, act, &plan, &errmsg))
		fail_msg("line %d: no plan: %s", line, errmsg);
	text = plan_text(&plan);
	if (strcmp(text, expected))
		fail_msg("line %d: got\n%s\nexpected\n%s", line, text,
			 expected);
	free(text);
	aifabd_plan_free(&plan);
	aifabd_config_free(&cfg);
	aifabd_actual_free(act);
}

/* The plan's notes, one a line; @act is kept. */
static char *plan_notes(const char *yaml, const struct aifabd_actual *act,
			size_t *nops)
{
	struct aifabd_plan plan = { 0 };
	struct aifabd_config cfg;
	char *errmsg = NULL, *s = NULL;
	size_t len, i;
	FILE *f;

	cfg_read(yaml, &cfg);
	assert_int_equal(aifabd_plan_build(&cfg, act, &plan, &errmsg), 0);
	f = open_memstream(&s, &len);
	assert_non_null(f);
	for (i = 0; i < plan.nnotes; i++)
		fprintf(f, "%s\n", plan.notes[i]);
	fclose(f);
	*nops = plan.nops;
	aifabd_plan_free(&plan);
	aifabd_config_free(&cfg);
	return s;
}

static void assert_no_plan(const char *yaml, struct aifabd_actual *act,
			   const char *expected)
{
	struct aifabd_plan plan = { 0 };
	struct aifabd_config cfg;
	char *errmsg = NULL;

	cfg_read(yaml, &cfg);
	assert_int_equal(aifabd_plan_build(&cfg, act, &plan, &errmsg),
			 -EINVAL);
	assert_string_equal(errmsg, expected);
	assert_int_equal(plan.nops, 0);
	assert_null(plan.ops);
	free(errmsg);
	aifabd_config_free(&cfg);
	aifabd_actual_free(act);
}

static const char two_parts[] =
	TENANTS
	"partitions:\n"
	"- {name: red, tenant: acme, devices: [accel0, accel1]}\n"
	"- {name: blue, tenant: globex, devices: [accel2]}\n"
	"fences: [[red, blue]]\n"
	"health:\n"
	"  links: [{name: l01, degrade_ppm: 500}]\n";

/* The kernel as two_parts wants it. */
static void act_two_parts(struct aifabd_actual *act)
{
	act_part(act, "red", "acme", "acme", "accel1", "accel0", NULL);
	act_part(act, "blue", "globex", "", "accel2", NULL);
	act_fence(act, "blue", "red");
	act_link(act, "l01", 500);
	act_link(act, "l0e", 1000);
}

static void test_from_empty(void **state)
{
	struct aifabd_actual act = { 0 };
	struct aifabd_config cfg;
	struct aifabd_plan plan = { 0 };
	char *errmsg;

	(void)state;
	act_link(&act, "l01", 0);
	act_link(&act, "l0e", 0);
	cfg_read(two_parts, &cfg);
	assert_int_equal(aifabd_plan_build(&cfg, &act, &plan, &errmsg), 0);
	assert_int_equal(plan.nops, 5);
	assert_int_equal(plan.ops[0].type, AIFABD_OP_PART_ADD);
	assert_string_equal(plan.ops[0].name, "red");
	assert_string_equal(plan.ops[0].tenant, "acme");
	assert_string_equal(plan.ops[0].netns, "acme");
	assert_int_equal(plan.ops[0].ndevs, 2);
	assert_string_equal(plan.ops[0].devs[1], "accel1");
	assert_int_equal(plan.ops[2].type, AIFABD_OP_FENCE_ADD);
	assert_string_equal(plan.ops[2].peer, "blue");
	assert_int_equal(plan.ops[4].type, AIFABD_OP_LINK_DEGRADE);
	assert_int_equal(plan.ops[4].degrade_ppm, 1000);
	assert_string_equal(aifabd_op_name(plan.ops[4].type),
			    "link degrade-threshold");
	aifabd_plan_free(&plan);
	aifabd_config_free(&cfg);

	assert_plan(two_parts, &act,
		"partition add red tenant acme dev accel0 accel1 netns acme"
		"  # partition red: new\n"
		"partition add blue tenant globex dev accel2"
		"  # partition blue: new\n"
		"fence add red blue  # fence red-blue: new\n"
		"link set l01 degrade-threshold 500"
		"  # link l01: degrade threshold 500 ppm, was 0\n"
		"link set l0e degrade-threshold 1000"
		"  # link l0e: degrade threshold 1000 ppm, was 0\n");
}

/* Equal up to member order and fence direction: nothing at all. */
static void test_no_change(void **state)
{
	struct aifabd_actual act = { 0 };

	(void)state;
	act_two_parts(&act);
	assert_plan(two_parts, &act, "nothing to change\n");

	/* The embedded default on an empty kernel. */
	act_link(&act, "l01", 1000);
	assert_plan(aifabd_config_default_yaml, &act, "nothing to change\n");
}

/* Everything goes when the configuration has nothing. */
static void test_to_empty(void **state)
{
	struct aifabd_actual act = { 0 };

	(void)state;
	act_two_parts(&act);
	assert_plan("tenants: []\nhealth: {degrade_ppm: 500}\n", &act,
		"fence del blue red  # fence blue-red: not in the "
		"configuration\n"
		"partition del red  # partition red: not in the "
		"configuration\n"
		"partition del blue  # partition blue: not in the "
		"configuration\n"
		"link set l0e degrade-threshold 500"
		"  # link l0e: degrade threshold 500 ppm, was 1000\n");
}

/*
 * Members move by set del and set add, every removal first, so that
 * accel3 leaves blue before it joins red; the fence stays.
 */
static void test_membership(void **state)
{
	struct aifabd_actual act = { 0 };

	(void)state;
	act_part(&act, "red", "acme", "acme", "accel0", "accel1", NULL);
	act_part(&act, "blue", "globex", "", "accel2", "accel3", "efa0",
		 NULL);
	act_fence(&act, "red", "blue");
	assert_plan(TENANTS
		"partitions:\n"
		"- {name: red, tenant: acme, devices: [accel0, accel3]}\n"
		"- {name: blue, tenant: globex, devices: [accel1, accel2]}\n"
		"fences: [[red, blue]]\n", &act,
		"partition set red del dev accel1"
		"  # partition red: device accel1 removed\n"
		"partition set blue del dev accel3 efa0"
		"  # partition blue: devices accel3, efa0 removed\n"
		"partition set red add dev accel3"
		"  # partition red: device accel3 added\n"
		"partition set blue add dev accel1"
		"  # partition blue: device accel1 added\n");
}

/*
 * The kernel cannot change a partition's tenant: delete and add, its
 * fence removed first and restored after; blue is not touched.
 */
static void test_tenant_change(void **state)
{
	struct aifabd_actual act = { 0 };

	(void)state;
	act_part(&act, "red", "globex", "", "accel0", "accel1", NULL);
	act_part(&act, "blue", "globex", "", "accel2", NULL);
	act_fence(&act, "red", "blue");
	act_link(&act, "l01", 500);
	assert_plan(two_parts, &act,
		"fence del red blue  # fence red-blue: partition red is "
		"deleted (tenant changes from globex to acme)\n"
		"partition del red  # partition red: tenant changes from "
		"globex to acme\n"
		"partition add red tenant acme dev accel0 accel1 netns acme"
		"  # partition red: recreated (tenant changes from globex to "
		"acme)\n"
		"fence add red blue  # fence red-blue: restored, partition red "
		"was recreated\n");
}

static void test_fences(void **state)
{
	struct aifabd_actual act = { 0 };

	(void)state;
	act_part(&act, "red", "acme", "acme", NULL);
	act_part(&act, "blue", "globex", "", NULL);
	act_part(&act, "green", "globex", "", NULL);
	act_fence(&act, "red", "blue");
	act_fence(&act, "green", "red");
	assert_plan(TENANTS
		"partitions:\n"
		"- {name: red, tenant: acme}\n"
		"- {name: blue, tenant: globex}\n"
		"- {name: green, tenant: globex}\n"
		"fences: [[red, green], [blue, green]]\n", &act,
		"fence del red blue  # fence red-blue: not in the "
		"configuration\n"
		"fence add blue green  # fence blue-green: new\n");
}

/* A new name is a new partition; the device moves from one to the other. */
static void test_rename(void **state)
{
	struct aifabd_actual act = { 0 };

	(void)state;
	act_part(&act, "red", "acme", "acme", "accel0", "accel1", NULL);
	act_part(&act, "blue", "globex", "", "accel2", NULL);
	act_fence(&act, "red", "blue");
	assert_plan(TENANTS
		"partitions:\n"
		"- {name: crimson, tenant: acme, devices: [accel0, accel1]}\n"
		"- {name: blue, tenant: globex, devices: [accel2]}\n"
		"fences: [[crimson, blue]]\n", &act,
		"fence del red blue  # fence red-blue: not in the "
		"configuration\n"
		"partition del red  # partition red: not in the "
		"configuration\n"
		"partition add crimson tenant acme dev accel0 accel1 netns acme"
		"  # partition crimson: new\n"
		"fence add crimson blue  # fence crimson-blue: new\n");
}

/* A tenant's namespace changes: its kept partitions are rebound. */
static void test_netns(void **state)
{
	struct aifabd_actual act = { 0 };

	(void)state;
	act_part(&act, "red", "acme", "old", "accel0", NULL);
	act_part(&act, "blue", "globex", "?", NULL);
	act_part(&act, "green", "globex", "", NULL);
	assert_plan("tenants:\n"
		"- {name: acme, netns: acme}\n"
		"- {name: globex}\n"
		"- {name: initech, netns: ini}\n"
		"partitions:\n"
		"- {name: red, tenant: acme, devices: [accel0, accel1]}\n"
		"- {name: blue, tenant: globex}\n"
		"- {name: green, tenant: globex}\n"
		"- {name: gray, tenant: initech}\n", &act,
		"partition add gray tenant initech netns ini"
		"  # partition gray: new\n"
		"partition set red netns acme"
		"  # partition red: bound to netns acme, was old\n"
		"partition set blue netns none"
		"  # partition blue: unbound, was netns ?\n"
		"partition set red add dev accel1"
		"  # partition red: device accel1 added\n");

	act_part(&act, "red", "acme", "", NULL);
	assert_plan(TENANTS "partitions: [{name: red, tenant: acme}]\n", &act,
		"partition set red netns acme"
		"  # partition red: bound to netns acme, was unbound\n");
}

static const char efa_parts[] =
	TENANTS
	"partitions:\n"
	"- {name: red, tenant: acme, devices: [accel0, efa0]}\n"
	"- {name: blue, tenant: globex, devices: [efa1]}\n";

/*
 * Exclusive RDMA namespaces: a bound partition's EFA devices go to its
 * tenant's netns, after the partition steps; the others go home.
 */
static void test_rdma_netns(void **state)
{
	struct aifabd_actual act = { 0 };

	(void)state;
	/* New partitions; efa1 was left in acme, efa2 is in none. */
	act.rdma_mode = AIFABD_RDMA_EXCLUSIVE;
	act_rdma(&act, "efa0", 4, "");
	act_rdma(&act, "efa1", 5, "acme");
	act_rdma(&act, "efa2", 6, "");
	assert_plan(efa_parts, &act,
		"partition add red tenant acme dev accel0 efa0 netns acme"
		"  # partition red: new\n"
		"partition add blue tenant globex dev efa1"
		"  # partition blue: new\n"
		"rdma dev set aifab_efa0 netns acme  # device efa0 (aifab_efa0) "
		"of partition red: into tenant acme's netns acme, from the "
		"initial netns\n"
		"rdma dev set aifab_efa1 netns /proc/1/ns/net  # device efa1 "
		"(aifab_efa1) of partition blue: back to the initial netns "
		"from netns acme, tenant globex has none\n");

	/* All in place: nothing at all. */
	act.rdma_mode = AIFABD_RDMA_EXCLUSIVE;
	act_part(&act, "red", "acme", "acme", "accel0", "efa0", NULL);
	act_part(&act, "blue", "globex", "", "efa1", NULL);
	act_rdma(&act, "efa0", 4, "acme");
	act_rdma(&act, "efa1", 5, "");
	assert_plan(efa_parts, &act, "nothing to change\n");

	/* red goes, efa0 comes home after it; blue's efa1 moves to acme. */
	act.rdma_mode = AIFABD_RDMA_EXCLUSIVE;
	act_part(&act, "red", "acme", "acme", "accel0", "efa0", NULL);
	act_rdma(&act, "efa0", 4, "acme");
	assert_plan(TENANTS, &act,
		"partition del red  # partition red: not in the "
		"configuration\n"
		"rdma dev set aifab_efa0 netns /proc/1/ns/net  # device efa0 "
		"(aifab_efa0): back to the initial netns from netns acme, in "
		"no partition\n");

	/* A rebind moves the device from the old namespace to the new. */
	act.rdma_mode = AIFABD_RDMA_EXCLUSIVE;
	act_part(&act, "red", "acme", "old", "accel0", "efa0", NULL);
	act_part(&act, "blue", "globex", "", "efa1", NULL);
	act_rdma(&act, "efa0", 4, "old");
	act_rdma(&act, "efa1", 5, "");
	assert_plan(efa_parts, &act,
		"partition set red netns acme  # partition red: bound to "
		"netns acme, was old\n"
		"rdma dev set aifab_efa0 netns acme  # device efa0 (aifab_efa0) "
		"of partition red: into tenant acme's netns acme, from netns "
		"old\n");
}

/* When nothing moves, the notes say why. */
static void test_rdma_netns_notes(void **state)
{
	struct aifabd_actual act = { 0 };
	size_t nops;
	char *notes;

	(void)state;
	act.rdma_mode = AIFABD_RDMA_SHARED;
	act_part(&act, "red", "acme", "acme", "accel0", "efa0", NULL);
	act_part(&act, "blue", "globex", "", "efa1", NULL);
	act_rdma(&act, "efa0", 4, "");
	act_rdma(&act, "efa1", 5, "");
	notes = plan_notes(efa_parts, &act, &nops);
	assert_int_equal(nops, 0);
	assert_string_equal(notes, "rdma: device efa0 of partition red stays "
		"in every network namespace, not only tenant acme's netns "
		"acme: the RDMA subsystem's netns mode is shared (\"rdma "
		"system set netns exclusive\" lets it move)\n");
	free(notes);

	/* Somewhere with no name: it cannot be reached, so it stays. */
	act.rdma_mode = AIFABD_RDMA_EXCLUSIVE;
	aifab_strscpy(act.rdma[0].netns, "?", sizeof(act.rdma[0].netns));
	notes = plan_notes(efa_parts, &act, &nops);
	assert_int_equal(nops, 0);
	assert_string_equal(notes, "rdma: device efa0 (aifab_efa0) is in a "
		"network namespace with no name in /run/netns; left there\n");
	free(notes);

	/* No RDMA subsystem, or not read: no note, no move. */
	act.rdma_mode = AIFABD_RDMA_ABSENT;
	notes = plan_notes(efa_parts, &act, &nops);
	assert_int_equal(nops, 0);
	assert_string_equal(notes, "");
	free(notes);
	aifabd_actual_free(&act);
}

/*
 * A topology load needs a kernel with no partition: everything goes
 * before it and comes back after it, and every new link gets its
 * threshold.
 */
static void test_topology_change(void **state)
{
	static const char yaml[] = TOPO TENANTS
		"partitions:\n"
		"- {name: red, tenant: acme, devices: [accel0]}\n"
		"- {name: blue, tenant: globex, devices: [accel1]}\n"
		"fences: [[red, blue]]\n"
		"health: {links: [{name: l0e, degrade_ppm: 0}]}\n";
	struct aifabd_actual act = { 0 };

	(void)state;
	act_topo(&act,
		"nodes: [{name: n0, local: true}]\n"
		"devices:\n"
		"- {name: accel0, type: accel, node: n0, mem_bytes: 1024}\n"
		"- {name: accel1, type: accel, node: n0, mem_bytes: 1024}\n"
		"- {name: efa0, type: efa, node: n0}\n"
		"links:\n"
		"- {name: l01, kind: accel, a: accel0, b: accel1, "
		"speed_mbps: 999}\n"
		"- {name: l0e, kind: affinity, a: efa0, b: accel0, "
		"speed_mbps: 2000}\n");
	act_part(&act, "red", "acme", "acme", "accel0", NULL);
	act_part(&act, "blue", "globex", "", "accel1", NULL);
	act_fence(&act, "red", "blue");
	act_links(&act);
	assert_plan(yaml, &act,
		"fence del red blue  # fence red-blue: partition red is "
		"deleted (the topology changes)\n"
		"partition del red  # partition red: the topology changes\n"
		"partition del blue  # partition blue: the topology changes\n"
		"topology load  # topology: differs from the kernel's "
		"(link l01 changed)\n"
		"partition add red tenant acme dev accel0 netns acme"
		"  # partition red: recreated (the topology changes)\n"
		"partition add blue tenant globex dev accel1"
		"  # partition blue: recreated (the topology changes)\n"
		"fence add red blue  # fence red-blue: restored, partition red "
		"was recreated\n"
		"link set l01 degrade-threshold 1000"
		"  # link l01: degrade threshold 1000 ppm, was 0\n");

	/* A device the configuration lacks is a change too. */
	act_topo(&act,
		"nodes: [{name: n0, local: true}]\n"
		"devices:\n"
		"- {name: accel0, type: accel, node: n0, mem_bytes: 1024}\n"
		"- {name: accel1, type: accel, node: n0, mem_bytes: 1024}\n"
		"- {name: efa0, type: efa, node: n0}\n"
		"- {name: efa9, type: efa, node: n0}\n"
		"links:\n"
		"- {name: l01, kind: accel, a: accel0, b: accel1, "
		"speed_mbps: 1000}\n"
		"- {name: l0e, kind: affinity, a: efa0, b: accel0, "
		"speed_mbps: 2000}\n");
	assert_plan(TOPO, &act,
		"topology load  # topology: differs from the kernel's "
		"(device efa9 removed)\n"
		"link set l01 degrade-threshold 1000"
		"  # link l01: degrade threshold 1000 ppm, was 0\n"
		"link set l0e degrade-threshold 1000"
		"  # link l0e: degrade threshold 1000 ppm, was 0\n");
}

/* The same topology in another order, a link's ends swapped: no load. */
static void test_topology_same(void **state)
{
	static const char yaml[] = TOPO TENANTS
		"partitions: [{name: red, tenant: acme, devices: [efa0]}]\n";
	struct aifabd_actual act = { 0 };

	(void)state;
	act_topo(&act,
		"links:\n"
		"- {name: l0e, kind: affinity, a: accel0, b: efa0, "
		"speed_mbps: 2000}\n"
		"- {name: l01, kind: accel, a: accel0, b: accel1, "
		"speed_mbps: 1000}\n"
		"devices:\n"
		"- {name: efa0, type: efa, node: n0}\n"
		"- {name: accel1, type: accel, node: n0, mem_bytes: 1024}\n"
		"- {name: accel0, type: accel, node: n0, mem_bytes: 1024}\n"
		"nodes: [{name: n0, local: true}]\n");
	act_part(&act, "red", "acme", "acme", "efa0", NULL);
	act_links(&act);
	assert_plan(yaml, &act, "nothing to change\n");
}

static void test_health_change(void **state)
{
	struct aifabd_actual act = { 0 };

	(void)state;
	act_two_parts(&act);
	assert_plan(TENANTS
		"partitions:\n"
		"- {name: red, tenant: acme, devices: [accel0, accel1]}\n"
		"- {name: blue, tenant: globex, devices: [accel2]}\n"
		"fences: [[red, blue]]\n"
		"health:\n"
		"  degrade_ppm: 2000\n"
		"  flap_damping_ms: 10\n"
		"  on_link_down: down\n"
		"  links: [{name: l01, degrade_ppm: 500}]\n", &act,
		"link set l0e degrade-threshold 2000"
		"  # link l0e: degrade threshold 2000 ppm, was 1000\n");
}

/* A device leaves a deleted partition for a new one: deletion first. */
static void test_move_between_new(void **state)
{
	struct aifabd_actual act = { 0 };

	(void)state;
	act_part(&act, "old", "globex", "", "accel0", NULL);
	act_part(&act, "keep", "globex", "", "accel1", NULL);
	assert_plan(TENANTS
		"partitions:\n"
		"- {name: new, tenant: globex, devices: [accel0, accel1]}\n"
		"- {name: keep, tenant: globex}\n", &act,
		"partition set keep del dev accel1"
		"  # partition keep: device accel1 removed\n"
		"partition del old  # partition old: not in the "
		"configuration\n"
		"partition add new tenant globex dev accel0 accel1"
		"  # partition new: new\n");
}

static void test_refused(void **state)
{
	struct aifabd_actual act = { 0 };

	(void)state;
	assert_no_plan(TOPO, &act, "aifab.yaml: has a topology, and the "
		       "kernel's is needed to compare it with");

	act_topo(&act, &TOPO[sizeof("topology:\n") - 1]);
	assert_no_plan(TENANTS "partitions:\n"
		       "- {name: red, tenant: acme, devices: [efa0, efa7]}\n",
		       &act, "aifab.yaml:5:45: partition \"red\" has device "
		       "\"efa7\", which the kernel does not have");

	act_links(&act);
	assert_no_plan("health:\n  links:\n  - {name: l99, degrade_ppm: 1}\n",
		       &act, "aifab.yaml:3:5: health of link \"l99\", which "
		       "the kernel does not have");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_empty),
		cmocka_unit_test(test_no_change),
		cmocka_unit_test(test_to_empty),
		cmocka_unit_test(test_membership),
		cmocka_unit_test(test_tenant_change),
		cmocka_unit_test(test_fences),
		cmocka_unit_test(test_rename),
		cmocka_unit_test(test_netns),
		cmocka_unit_test(test_rdma_netns),
		cmocka_unit_test(test_rdma_netns_notes),
		cmocka_unit_test(test_topology_change),
		cmocka_unit_test(test_topology_same),
		cmocka_unit_test(test_health_change),
		cmocka_unit_test(test_move_between_new),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
