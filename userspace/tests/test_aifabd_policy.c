// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of aifabd's link-health policy engine against a fake fabric:
 * six devices and six links, routes found by a breadth-first search over
 * the links that are not down (as the kernel's), partitions that can be
 * taken down, and an admin change that can be made to fail.
 *
 *   accel0 -l01- accel1 -l12- accel2 -l23- accel3 -l30- accel0
 *   accel0 -l0e- efa0           accel2 -l2f- efa1
 *
 * red = {accel0, accel1} uses l01 and can go round the ring without it;
 * blue = {accel2, efa1} uses l2f, which nothing can replace.
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

#include "str.h"
#include "../aifabd/policy_json.h"

#define NDEVS	6
#define NLINKS	6
#define NPARTS	2
#define DAMP	5000

static const char *const devs[NDEVS] = {
	"accel0", "accel1", "accel2", "accel3", "efa0", "efa1",
};

struct fake_link {
	const char *name;
	int a, b;
	enum aifab_link_state state;
};

struct fake_part {
	const char *name;
	const char *devs[2];
	bool down;
};

struct fab {
	struct fake_link links[NLINKS];
	struct fake_part parts[NPARTS];
	int admin_err;			/* what set_admin returns */
	int route_err;			/* what route returns */
	unsigned int admin_calls;
	const char *last_admin;		/* the partition of the last call */
	bool last_up;			/* and what it asked for */
	struct aifabd_policy *p;
	struct aifabd_actions out;
};

static int dev_index(const char *name)
{
	int i;

	for (i = 0; i < NDEVS; i++)
		if (!strcmp(devs[i], name))
			return i;
	return -1;
}

static bool dev_part_down(const struct fab *f, const char *dev)
{
	int i, j;

	for (i = 0; i < NPARTS; i++)
		for (j = 0; j < 2; j++)
			if (!strcmp(f->parts[i].devs[j], dev))
				return f->parts[i].down;
	return false;
}

/* Breadth-first, links in table order: the kernel's search, in small. */
static void fake_bfs(const struct fab *f, int src, int *via)
{
	int queue[NDEVS], head = 0, tail = 0, peer, i;

	for (i = 0; i < NDEVS; i++)
		via[i] = -1;
	via[src] = NLINKS;
	queue[tail++] = src;
	while (head < tail) {
		int at = queue[head++];

		for (i = 0; i < NLINKS; i++) {
			const struct fake_link *l = &f->links[i];

			if (l->state == AIFAB_LINK_STATE_DOWN ||
			    (l->a != at && l->b != at))
				continue;
			peer = l->a == at ? l->b : l->a;
			if (via[peer] != -1)
				continue;
			via[peer] = i;
			queue[tail++] = peer;
		}
	}
}

static int fake_route(void *ctx, const char *src, const char *dst,
		      struct aifabd_route *rt)
{
	const struct fab *f = ctx;
	int via[NDEVS], s = dev_index(src), d = dev_index(dst), at, n = 0;
	int hops[NDEVS], i;

	*rt = (struct aifabd_route){ 0 };
	if (f->route_err)
		return f->route_err;
	if (s < 0 || d < 0)
		return -ENOENT;
	if (dev_part_down(f, src) || dev_part_down(f, dst)) {
		rt->verdict = AIFABD_ROUTE_PARTITION_DOWN;
		return 0;
	}
	fake_bfs(f, s, via);
	if (via[d] == -1) {
		rt->verdict = AIFABD_ROUTE_NO_PATH;
		return 0;
	}
	for (at = d; at != s; n++) {
		hops[n] = via[at];
		at = f->links[via[at]].a == at ? f->links[via[at]].b :
						 f->links[via[at]].a;
	}
	for (i = 0; i < n; i++)
		aifab_strscpy(rt->hops[i], f->links[hops[n - 1 - i]].name,
			      sizeof(rt->hops[i]));
	rt->nhops = (size_t)n;
	return 0;
}

static int fake_set_admin(void *ctx, const char *part, bool up)
{
	struct fab *f = ctx;
	int i;

	f->admin_calls++;
	f->last_up = up;
	f->last_admin = NULL;
	for (i = 0; i < NPARTS; i++) {
		if (strcmp(f->parts[i].name, part))
			continue;
		f->last_admin = f->parts[i].name;
		if (!f->admin_err)
			f->parts[i].down = !up;
	}
	if (f->admin_err)
		return f->admin_err;
	return 0;
}

static int setup(void **state)
{
	static const struct fake_link links[NLINKS] = {
		{ "l01", 0, 1, AIFAB_LINK_STATE_UP },
		{ "l12", 1, 2, AIFAB_LINK_STATE_UP },
		{ "l23", 2, 3, AIFAB_LINK_STATE_UP },
		{ "l30", 3, 0, AIFAB_LINK_STATE_UP },
		{ "l0e", 0, 4, AIFAB_LINK_STATE_UP },
		{ "l2f", 2, 5, AIFAB_LINK_STATE_UP },
	};
	struct fab *f = calloc(1, sizeof(*f));
	struct aifabd_policy_ops ops = { fake_route, fake_set_admin, NULL };
	int i;

	assert_non_null(f);
	for (i = 0; i < NLINKS; i++)
		f->links[i] = links[i];
	f->parts[0] = (struct fake_part){ "red", { "accel0", "accel1" },
						 false };
	f->parts[1] = (struct fake_part){ "blue", { "accel2", "efa1" },
						 false };
	ops.ctx = f;
	assert_int_equal(aifabd_policy_new(&f->p, &ops), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fab *f = *state;

	aifabd_policy_free(f->p);
	aifabd_actions_free(&f->out);
	free(f);
	return 0;
}

/* Configure the engine with the fake's fabric as it is now. */
static int configure(struct fab *f, enum aifabd_link_down on_down,
		     uint32_t damping, int64_t now)
{
	struct aifabd_policy_settings set = { on_down, damping };
	struct aifabd_policy_link_in li[NLINKS];
	struct aifabd_policy_part_in pi[NPARTS];
	int i;

	for (i = 0; i < NLINKS; i++)
		li[i] = (struct aifabd_policy_link_in){ f->links[i].name,
							f->links[i].state,
							1000 };
	for (i = 0; i < NPARTS; i++)
		pi[i] = (struct aifabd_policy_part_in){ f->parts[i].name, "acme",
							f->parts[i].devs, 2,
							f->parts[i].down };
	f->out.n = 0;
	return aifabd_policy_configure(f->p, &set, li, NLINKS, pi, NPARTS,
				       now, &f->out);
}

/* The kernel changes a link's state and announces it. */
static int event(struct fab *f, const char *link, enum aifab_link_state st,
		 int64_t now)
{
	int i;

	for (i = 0; link && i < NLINKS; i++)
		if (!strcmp(f->links[i].name, link))
			f->links[i].state = st;
	f->out.n = 0;
	return aifabd_policy_link_event(f->p, link, st, now, &f->out);
}

static int64_t tick(struct fab *f, int64_t now)
{
	int64_t next = -1;

	f->out.n = 0;
	assert_int_equal(aifabd_policy_tick(f->p, now, &f->out, &next), 0);
	return next;
}

static const struct aifabd_policy_part *part(const struct fab *f,
					     const char *name)
{
	size_t i;

	for (i = 0; i < f->p->nparts; i++)
		if (!strcmp(f->p->parts[i].name, name))
			return &f->p->parts[i];
	fail_msg("no partition %s", name);
	return NULL;
}

static const struct aifabd_policy_link *link_of(const struct fab *f,
						const char *name)
{
	const struct aifabd_policy_link *l = NULL;
	size_t i;

	for (i = 0; i < f->p->nlinks; i++)
		if (!strcmp(f->p->links[i].name, name))
			l = &f->p->links[i];
	assert_non_null(l);
	return l;
}

/* How many decisions of the last call are about @subject. */
static unsigned int count(const struct fab *f, enum aifabd_action_type type,
			  const char *subject)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < f->out.n; i++)
		if (f->out.v[i].type == type &&
		    !strcmp(f->out.v[i].subject, subject))
			n++;
	return n;
}

static void assert_admin(const struct fab *f, const char *name, bool up)
{
	assert_non_null(f->last_admin);
	assert_string_equal(f->last_admin, name);
	assert_int_equal(f->last_up, up);
}

static void assert_part(const struct fab *f, const char *name,
			enum aifabd_hstate st, const char *why)
{
	const struct aifabd_policy_part *pt = part(f, name);

	if (pt->state != st || !strstr(pt->why, why))
		fail_msg("partition %s: %s (%s), wanted %s (... %s ...)", name,
			 aifabd_hstate_name(pt->state), pt->why,
			 aifabd_hstate_name(st), why);
}

static void test_learn(void **state)
{
	struct fab *f = *state;

	assert_int_equal(configure(f, AIFABD_LINK_DOWN_DOWN, DAMP, 100), 0);
	assert_int_equal(f->p->nlinks, NLINKS);
	assert_int_equal(f->p->nparts, NPARTS);
	assert_int_equal(part(f, "red")->npairs, 2);
	assert_string_equal(part(f, "red")->pairs[0].path, "l01");
	assert_string_equal(part(f, "blue")->pairs[1].path, "l2f");
	assert_part(f, "red", AIFABD_HSTATE_UP, "links of its routes are up");
	/* Links first seen up are no news; the partitions are. */
	assert_int_equal(count(f, AIFABD_ACT_MARK_LINK, "link l01"), 0);
	assert_int_equal(count(f, AIFABD_ACT_MARK_PARTITION, "partition red"),
			 1);
	assert_int_equal(f->admin_calls, 0);
}

/* Flaps inside the window keep it damped; red changes once each way. */
static void test_damping_flap(void **state)
{
	struct fab *f = *state;
	unsigned int marks = 0;

	configure(f, AIFABD_LINK_DOWN_DEGRADE, DAMP, 0);
	assert_int_equal(event(f, "l01", AIFAB_LINK_STATE_DOWN, 1000), 0);
	marks += count(f, AIFABD_ACT_MARK_PARTITION, "partition red");
	assert_int_equal(link_of(f, "l01")->state, AIFABD_HSTATE_DOWN);
	assert_part(f, "red", AIFABD_HSTATE_DEGRADED,
		    "link l01 down, policy degrade");
	event(f, "l01", AIFAB_LINK_STATE_UP, 2000);
	marks += count(f, AIFABD_ACT_MARK_PARTITION, "partition red");
	assert_int_equal(link_of(f, "l01")->state, AIFABD_HSTATE_DAMPED);
	assert_int_equal(link_of(f, "l01")->hold_until, 2000 + DAMP);
	assert_part(f, "red", AIFABD_HSTATE_DEGRADED,
		    "link l01 down, policy degrade");
	event(f, "l01", AIFAB_LINK_STATE_DOWN, 4000);
	event(f, "l01", AIFAB_LINK_STATE_UP, 4500);
	marks += count(f, AIFABD_ACT_MARK_PARTITION, "partition red");
	/* The new down restarted the window. */
	assert_int_equal(tick(f, 7000), 4500 + DAMP);
	assert_int_equal(link_of(f, "l01")->state, AIFABD_HSTATE_DAMPED);
	assert_part(f, "red", AIFABD_HSTATE_DEGRADED, "l01");
	assert_int_equal(tick(f, 4500 + DAMP), 0);
	marks += count(f, AIFABD_ACT_MARK_PARTITION, "partition red");
	assert_int_equal(link_of(f, "l01")->state, AIFABD_HSTATE_UP);
	assert_part(f, "red", AIFABD_HSTATE_UP, "links of its routes are up");
	assert_int_equal(part(f, "red")->since, 4500 + DAMP);
	/* degraded at 1000, reason damped at 2000, damped/down again, up. */
	assert_true(marks <= 5);
	assert_int_equal(f->admin_calls, 0);
}

/* Under reroute, flaps change neither red's state nor its reason. */
static void test_damping_flap_reroute(void **state)
{
	struct fab *f = *state;
	unsigned int marks = 0;
	int64_t t;

	configure(f, AIFABD_LINK_DOWN_REROUTE, DAMP, 0);
	event(f, "l01", AIFAB_LINK_STATE_DOWN, 100);
	assert_int_equal(count(f, AIFABD_ACT_MARK_PARTITION, "partition red"),
			 1);
	for (t = 200; t < 3000; t += 200) {
		event(f, "l01", t % 400 ? AIFAB_LINK_STATE_UP :
		      AIFAB_LINK_STATE_DOWN, t);
		marks += count(f, AIFABD_ACT_MARK_PARTITION, "partition red");
		assert_int_equal(tick(f, t + 1), t % 400 ? t + DAMP : 0);
	}
	assert_int_equal(marks, 0);
	assert_part(f, "red", AIFABD_HSTATE_UP, "link l01 down, rerouted");
}

static void test_damping_recovers(void **state)
{
	struct fab *f = *state;

	configure(f, AIFABD_LINK_DOWN_DEGRADE, DAMP, 0);
	event(f, "l2f", AIFAB_LINK_STATE_DOWN, 10);
	event(f, "l2f", AIFAB_LINK_STATE_UP, 20);
	assert_int_equal(tick(f, 20 + DAMP - 1), 20 + DAMP);
	assert_part(f, "blue", AIFABD_HSTATE_DEGRADED, "l2f down");
	assert_int_equal(tick(f, 20 + DAMP), 0);
	assert_int_equal(link_of(f, "l2f")->state, AIFABD_HSTATE_UP);
	assert_string_equal(link_of(f, "l2f")->why, "stayed up for 5000 ms");
	assert_part(f, "blue", AIFABD_HSTATE_UP, "up");
}

static void test_damping_off(void **state)
{
	struct fab *f = *state;

	configure(f, AIFABD_LINK_DOWN_DEGRADE, 0, 0);
	event(f, "l2f", AIFAB_LINK_STATE_DOWN, 10);
	assert_part(f, "blue", AIFABD_HSTATE_DEGRADED, "l2f down");
	event(f, "l2f", AIFAB_LINK_STATE_UP, 11);
	assert_int_equal(link_of(f, "l2f")->state, AIFABD_HSTATE_UP);
	assert_part(f, "blue", AIFABD_HSTATE_UP, "up");
	assert_int_equal(tick(f, 12), 0);
}

/* down: taken down in the kernel, and up again after damping. */
static void test_policy_down(void **state)
{
	struct fab *f = *state;

	configure(f, AIFABD_LINK_DOWN_DOWN, DAMP, 0);
	event(f, "l01", AIFAB_LINK_STATE_DOWN, 100);
	assert_int_equal(f->admin_calls, 1);
	assert_admin(f, "red", false);
	assert_true(f->parts[0].down);
	assert_true(part(f, "red")->policy_down);
	assert_part(f, "red", AIFABD_HSTATE_DOWN, "link l01 down, policy down");
	assert_int_equal(count(f, AIFABD_ACT_SET_PARTITION_ADMIN,
			       "partition red"), 1);
	assert_part(f, "blue", AIFABD_HSTATE_UP, "up");
	event(f, "l01", AIFAB_LINK_STATE_UP, 200);
	assert_int_equal(f->admin_calls, 1);
	assert_part(f, "red", AIFABD_HSTATE_DOWN, "link l01 down, policy down");
	tick(f, 200 + DAMP);
	assert_int_equal(f->admin_calls, 2);
	assert_admin(f, "red", true);
	assert_false(f->parts[0].down);
	assert_false(part(f, "red")->policy_down);
	assert_part(f, "red", AIFABD_HSTATE_UP, "links of its routes are up");
}

static void test_policy_degrade(void **state)
{
	struct fab *f = *state;

	configure(f, AIFABD_LINK_DOWN_DEGRADE, DAMP, 0);
	event(f, "l01", AIFAB_LINK_STATE_DOWN, 100);
	assert_part(f, "red", AIFABD_HSTATE_DEGRADED,
		    "link l01 down, policy degrade");
	assert_part(f, "blue", AIFABD_HSTATE_UP, "up");
	assert_int_equal(f->admin_calls, 0);
}

/* reroute: red goes round the ring, and says how. */
static void test_policy_reroute(void **state)
{
	struct fab *f = *state;

	configure(f, AIFABD_LINK_DOWN_REROUTE, DAMP, 0);
	event(f, "l01", AIFAB_LINK_STATE_DOWN, 100);
	assert_part(f, "red", AIFABD_HSTATE_UP,
		    "link l01 down, rerouted: accel0->accel1 via l30,l23,l12; "
		    "accel1->accel0 via l12,l23,l30");
	assert_string_equal(part(f, "red")->detour, "l30,l23,l12");
	/* The learned routes stay the healthy ones. */
	assert_string_equal(part(f, "red")->pairs[0].path, "l01");
	assert_int_equal(f->admin_calls, 0);
	/* Losing the detour counts too: now there is no way at all. */
	event(f, "l23", AIFAB_LINK_STATE_DOWN, 200);
	assert_part(f, "red", AIFABD_HSTATE_DEGRADED,
		    "no path from accel0 to accel1");
	event(f, "l23", AIFAB_LINK_STATE_UP, 300);
	/* Back, but damped: the verdict stands until it is up for good. */
	assert_part(f, "red", AIFABD_HSTATE_DEGRADED,
		    "no path from accel0 to accel1");
	tick(f, 300 + DAMP);
	assert_part(f, "red", AIFABD_HSTATE_UP, "rerouted");
	event(f, "l01", AIFAB_LINK_STATE_UP, 400);
	tick(f, 400 + DAMP);
	assert_part(f, "red", AIFABD_HSTATE_UP, "links of its routes are up");
	assert_null(part(f, "red")->detour);
}

/* With no verdict yet, a path over a damped link is not taken on trust. */
static void test_reroute_damped(void **state)
{
	struct fab *f = *state;

	configure(f, AIFABD_LINK_DOWN_DEGRADE, DAMP, 0);
	event(f, "l01", AIFAB_LINK_STATE_DOWN, 100);
	event(f, "l01", AIFAB_LINK_STATE_UP, 200);
	configure(f, AIFABD_LINK_DOWN_REROUTE, DAMP, 300);
	assert_part(f, "red", AIFABD_HSTATE_DEGRADED,
		    "link l01 down; the only path from accel0 to accel1 "
		    "crosses damped link l01");
	tick(f, 200 + DAMP);
	assert_part(f, "red", AIFABD_HSTATE_UP, "links of its routes are up");
}

static void test_reroute_fallback(void **state)
{
	struct fab *f = *state;

	configure(f, AIFABD_LINK_DOWN_REROUTE, DAMP, 0);
	event(f, "l2f", AIFAB_LINK_STATE_DOWN, 100);
	assert_part(f, "blue", AIFABD_HSTATE_DEGRADED,
		    "link l2f down; no path from accel2 to efa1");
	assert_part(f, "red", AIFABD_HSTATE_UP, "up");
	/* A failed query is no verdict: degraded, with the error. */
	f->route_err = -EIO;
	event(f, "l01", AIFAB_LINK_STATE_DOWN, 200);
	assert_part(f, "red", AIFABD_HSTATE_DEGRADED,
		    "route from accel0 to accel1 unknown");
}

/* Only what the policy took down is brought up. */
static void test_recover_only_ours(void **state)
{
	struct fab *f = *state;

	f->parts[1].down = true;	/* an operator's */
	configure(f, AIFABD_LINK_DOWN_DOWN, DAMP, 0);
	assert_part(f, "blue", AIFABD_HSTATE_DOWN, "taken down outside aifabd");
	event(f, "l2f", AIFAB_LINK_STATE_DOWN, 100);
	event(f, "l01", AIFAB_LINK_STATE_DOWN, 100);
	assert_int_equal(f->admin_calls, 1);
	assert_admin(f, "red", false);
	event(f, "l2f", AIFAB_LINK_STATE_UP, 200);
	event(f, "l01", AIFAB_LINK_STATE_UP, 200);
	tick(f, 200 + DAMP);
	assert_int_equal(f->admin_calls, 2);
	assert_admin(f, "red", true);
	assert_true(f->parts[1].down);
	assert_part(f, "blue", AIFABD_HSTATE_DOWN, "taken down outside aifabd");
	/* A reroute check refused for a partition down is not a lost path. */
	configure(f, AIFABD_LINK_DOWN_REROUTE, DAMP, 300);
	f->parts[0].down = true;	/* behind the engine's back */
	event(f, "l01", AIFAB_LINK_STATE_DOWN, 400);
	assert_part(f, "red", AIFABD_HSTATE_DOWN, "taken down outside aifabd");
	event(f, "l01", AIFAB_LINK_STATE_UP, 500);
	tick(f, 500 + DAMP);
	assert_int_equal(f->admin_calls, 2);
}

/* The kernel refuses: degraded meanwhile, and tried again later. */
static void test_admin_refused(void **state)
{
	struct fab *f = *state;

	configure(f, AIFABD_LINK_DOWN_DOWN, DAMP, 0);
	f->admin_err = -EBUSY;
	event(f, "l01", AIFAB_LINK_STATE_DOWN, 100);
	assert_part(f, "red", AIFABD_HSTATE_DEGRADED,
		    "it could not be taken down");
	assert_int_equal(f->out.n, 3);	/* link, failed admin, partition */
	assert_true(f->out.v[1].failed);
	assert_non_null(strstr(f->out.v[1].why, "Device or resource busy"));
	assert_false(part(f, "red")->policy_down);
	/* Not asked again at once, whatever happens. */
	event(f, "l12", AIFAB_LINK_STATE_DOWN, 200);
	assert_int_equal(f->admin_calls, 1);
	f->admin_err = 0;
	assert_int_equal(tick(f, 300), 100 + AIFABD_POLICY_RETRY_MS);
	tick(f, 100 + AIFABD_POLICY_RETRY_MS);
	assert_int_equal(f->admin_calls, 2);
	assert_part(f, "red", AIFABD_HSTATE_DOWN, "policy down");
}

/* Degraded links degrade, under every policy, and recover after damping. */
static void test_degraded_link(void **state)
{
	struct fab *f = *state;

	configure(f, AIFABD_LINK_DOWN_DOWN, DAMP, 0);
	event(f, "l01", AIFAB_LINK_STATE_DEGRADED, 100);
	assert_int_equal(link_of(f, "l01")->state, AIFABD_HSTATE_DEGRADED);
	assert_part(f, "red", AIFABD_HSTATE_DEGRADED,
		    "link l01 degraded: error rate over 1000 ppm");
	assert_int_equal(f->admin_calls, 0);
	event(f, "l01", AIFAB_LINK_STATE_UP, 200);
	assert_int_equal(link_of(f, "l01")->state, AIFABD_HSTATE_DEGRADED);
	assert_non_null(strstr(link_of(f, "l01")->why, "held degraded"));
	assert_part(f, "red", AIFABD_HSTATE_DEGRADED, "l01 degraded");
	/* Over the threshold again: the hold starts over. */
	event(f, "l01", AIFAB_LINK_STATE_DEGRADED, 300);
	assert_int_equal(link_of(f, "l01")->hold_until, 0);
	event(f, "l01", AIFAB_LINK_STATE_UP, 400);
	tick(f, 400 + DAMP);
	assert_int_equal(link_of(f, "l01")->state, AIFABD_HSTATE_UP);
	assert_part(f, "red", AIFABD_HSTATE_UP, "up");
	/* From down straight to degraded: damped, then degraded. */
	event(f, "l2f", AIFAB_LINK_STATE_DOWN, 10000);
	event(f, "l2f", AIFAB_LINK_STATE_DEGRADED, 10100);
	assert_int_equal(link_of(f, "l2f")->state, AIFABD_HSTATE_DAMPED);
	tick(f, 10100 + DAMP);
	assert_int_equal(link_of(f, "l2f")->state, AIFABD_HSTATE_DEGRADED);
	assert_part(f, "blue", AIFABD_HSTATE_DEGRADED, "l2f degraded");
	assert_false(f->parts[1].down);
}

static void test_garbage(void **state)
{
	struct fab *f = *state;
	struct aifabd_policy_settings set = { AIFABD_LINK_DOWN_DOWN, DAMP };
	const char *const dup[] = { "accel0", "accel0" };
	struct aifabd_policy_link_in li[] = {
		{ "l01", AIFAB_LINK_STATE_UP, 0 },
		{ "l01", AIFAB_LINK_STATE_UP, 0 },
		{ "bad name", AIFAB_LINK_STATE_UP, 0 },
		{ NULL, AIFAB_LINK_STATE_UP, 0 },
		{ "l12", (enum aifab_link_state)7, 0 },
	};
	struct aifabd_policy_part_in pi[] = {
		{ "red", "acme", dup, 2, false },
		{ "blue", NULL, NULL, 0, false },
		{ "green", "acme", NULL, 0, false },
	};

	configure(f, AIFABD_LINK_DOWN_DOWN, DAMP, 0);
	assert_int_equal(event(f, "nosuch", AIFAB_LINK_STATE_DOWN, 1), -ENOENT);
	assert_int_equal(f->out.n, 1);
	assert_int_equal(f->out.v[0].type, AIFABD_ACT_LOG);
	assert_int_equal(event(f, "l01", 0, 1), -EINVAL);
	assert_int_equal(event(f, "l01", 4, 1), -EINVAL);
	assert_int_equal(event(f, "l01", 99, 1), -EINVAL);
	assert_int_equal(event(f, NULL, AIFAB_LINK_STATE_DOWN, 1), -EINVAL);
	assert_int_equal(event(f, "a,b", AIFAB_LINK_STATE_DOWN, 1), -EINVAL);
	assert_int_equal(link_of(f, "l01")->state, AIFABD_HSTATE_UP);
	/* Notes are not decisions: the ring has only red's and blue's. */
	assert_int_equal(aifabd_policy_ndecisions(f->p), 2);
	/* A link no route uses: marked, and nothing else. */
	assert_int_equal(event(f, "l0e", AIFAB_LINK_STATE_DOWN, 2), 0);
	assert_int_equal(f->out.n, 1);
	assert_int_equal(f->out.v[0].type, AIFABD_ACT_MARK_LINK);
	assert_int_equal(f->admin_calls, 0);
	/* A configure keeps what is valid and says the rest was not. */
	f->out.n = 0;
	assert_int_equal(aifabd_policy_configure(f->p, &set, li, 5, pi, 3, 3,
						 &f->out), -EINVAL);
	assert_int_equal(f->p->nlinks, 1);
	assert_int_equal(f->p->nparts, 1);
	assert_string_equal(f->p->parts[0].name, "green");
	set.on_link_down = (enum aifabd_link_down)9;
	assert_int_equal(aifabd_policy_configure(f->p, &set, NULL, 0, NULL, 0,
						 4, NULL), -EINVAL);
	set.on_link_down = AIFABD_LINK_DOWN_DOWN;
	set.flap_damping_ms = AIFABD_FLAP_DAMPING_MS_MAX + 1;
	assert_int_equal(aifabd_policy_configure(f->p, &set, NULL, 0, NULL, 0,
						 4, NULL), -EINVAL);
	assert_int_equal(f->p->nparts, 1);
}

/* The ring keeps the last AIFABD_POLICY_DECISIONS, oldest first. */
static void test_ring(void **state)
{
	struct fab *f = *state;
	int64_t t;

	configure(f, AIFABD_LINK_DOWN_DEGRADE, 0, 0);
	for (t = 1; t <= 40; t++)
		event(f, "l0e", t % 2 ? AIFAB_LINK_STATE_DOWN :
		      AIFAB_LINK_STATE_UP, t);
	assert_int_equal(aifabd_policy_ndecisions(f->p),
			 AIFABD_POLICY_DECISIONS);
	assert_int_equal(aifabd_policy_decision(f->p, 0)->time, 9);
	assert_int_equal(aifabd_policy_decision(f->p, 31)->time, 40);
	assert_null(aifabd_policy_decision(f->p, 32));
}

static void test_status_json(void **state)
{
	struct fab *f = *state;
	struct json_object *root = json_object_new_object(), *a, *o, *v;

	configure(f, AIFABD_LINK_DOWN_DOWN, DAMP, 1000);
	event(f, "l01", AIFAB_LINK_STATE_DOWN, 2000);
	/* Monotonic 2000 is 2024-01-01T00:00:02Z on the wall clock. */
	assert_int_equal(aifabd_policy_status_json(f->p, root,
						   1704067200000LL), 0);
	assert_true(json_object_object_get_ex(root, "links", &a));
	assert_int_equal(json_object_array_length(a), NLINKS);
	o = json_object_array_get_idx(a, 0);
	assert_true(json_object_object_get_ex(o, "state", &v));
	assert_string_equal(json_object_get_string(v), "down");
	assert_true(json_object_object_get_ex(o, "since", &v));
	assert_string_equal(json_object_get_string(v), "2024-01-01T00:00:02Z");
	assert_true(json_object_object_get_ex(root, "partitions", &a));
	o = json_object_array_get_idx(a, 0);
	assert_true(json_object_object_get_ex(o, "tenant", &v));
	assert_string_equal(json_object_get_string(v), "acme");
	assert_true(json_object_object_get_ex(o, "why", &v));
	assert_string_equal(json_object_get_string(v),
			    "link l01 down, policy down");
	assert_true(json_object_object_get_ex(root, "decisions", &a));
	o = json_object_array_get_idx(a, json_object_array_length(a) - 1);
	assert_true(json_object_object_get_ex(o, "subject", &v));
	assert_string_equal(json_object_get_string(v), "partition red");
	assert_true(json_object_object_get_ex(o, "decision", &v));
	assert_string_equal(json_object_get_string(v), "down");
	json_object_put(root);
}

/* Saved, restarted (a new boot: another offset), restored. */
static void test_save_restore(void **state)
{
	struct fab *f = *state;
	struct aifabd_policy_ops ops = { fake_route, fake_set_admin, f };
	struct aifabd_policy *q;
	struct json_object *saved, *again;
	char err[256];
	const int64_t off1 = 1700000000000LL, off2 = off1 + 3000;

	configure(f, AIFABD_LINK_DOWN_DOWN, DAMP, 0);
	event(f, "l01", AIFAB_LINK_STATE_DOWN, 100);
	event(f, "l01", AIFAB_LINK_STATE_UP, 1000);
	saved = aifabd_policy_state_json(f->p, off1);
	assert_non_null(saved);
	assert_int_equal(aifabd_policy_new(&q, &ops), 0);
	/* Restart 3 s of wall clock later, on a clock that began anew. */
	assert_int_equal(aifabd_policy_restore_json(q, saved, off1 + 3000 - 0,
						    err, sizeof(err)), 0);
	assert_int_equal(q->nlinks, NLINKS);
	assert_int_equal(q->links[0].state, AIFABD_HSTATE_DAMPED);
	assert_int_equal(q->links[0].hold_until, 1000 + DAMP - 3000);
	assert_int_equal(q->nparts, NPARTS);
	assert_true(q->parts[0].policy_down);
	assert_int_equal(q->parts[0].since, 100 - 3000);
	assert_string_equal(q->parts[0].why, "link l01 down, policy down");
	assert_string_equal(q->parts[0].pairs[0].path, "l01");
	assert_int_equal(aifabd_policy_ndecisions(q),
			 aifabd_policy_ndecisions(f->p));
	/* Saved again, it is the same document. */
	again = aifabd_policy_state_json(q, off2);
	assert_non_null(again);
	assert_string_equal(json_object_to_json_string(again),
			    json_object_to_json_string(saved));
	json_object_put(again);
	/* The kernel still has red down: the policy's, so it comes up. */
	aifabd_policy_free(f->p);
	f->p = q;
	assert_int_equal(configure(f, AIFABD_LINK_DOWN_DOWN, DAMP, 0), 0);
	assert_true(part(f, "red")->policy_down);
	assert_int_equal(f->admin_calls, 1);
	tick(f, 1000 + DAMP - 3000);
	assert_int_equal(f->admin_calls, 2);
	assert_admin(f, "red", true);
	assert_part(f, "red", AIFABD_HSTATE_UP, "up");
	json_object_put(saved);
}

static void restore_bad(struct fab *f, const char *doc, const char *want)
{
	struct json_object *o = json_tokener_parse(doc);
	char err[256];
	size_t nparts = f->p->nparts;

	assert_non_null(o);
	assert_int_equal(aifabd_policy_restore_json(f->p, o, 0, err,
						    sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		fail_msg("restoring %s: \"%s\", wanted \"%s\"", doc, err, want);
	assert_int_equal(f->p->nparts, nparts);
	json_object_put(o);
}

#define LINK_OK "{\"name\": \"l01\", \"state\": \"up\", " \
	"\"kernel_state\": \"up\", \"since_ms\": 5, \"why\": \"\", " \
	"\"degrade_ppm\": 0"
#define PART_OK "{\"name\": \"red\", \"tenant\": \"acme\", " \
	"\"state\": \"up\", \"since_ms\": 5, \"why\": \"\", " \
	"\"policy_down\": false, \"devs\": [\"a\", \"b\"]"
#define DOC(links, parts, decs) "{\"version\": 1, \"links\": [" links \
	"], \"partitions\": [" parts "], \"decisions\": [" decs "]}"

static void test_restore_malformed(void **state)
{
	struct fab *f = *state;

	configure(f, AIFABD_LINK_DOWN_DOWN, DAMP, 0);
	restore_bad(f, "[]", "not a JSON object");
	restore_bad(f, "{\"version\": 2, \"links\": [], \"partitions\": [], "
		    "\"decisions\": []}", "version: not a version");
	restore_bad(f, "{\"version\": 1, \"links\": {}, \"partitions\": [], "
		    "\"decisions\": []}", "links: missing, or not an array");
	restore_bad(f, DOC(LINK_OK "}, 7", "", ""), "links[1]: not an object");
	restore_bad(f, DOC("{\"name\": \"l01\", \"state\": \"sideways\"}", "",
			   ""), "links[0].state: expected up");
	restore_bad(f, DOC(LINK_OK ", \"state\": \"damped\"}", "", ""),
		    "links[0].hold_until_ms: missing for a damped link");
	restore_bad(f, DOC(LINK_OK "}, " LINK_OK "}", "", ""),
		    "links[1].name: repeated");
	restore_bad(f, DOC("{\"name\": \"l 1\"}", "", ""),
		    "links[0].name: not a valid name");
	restore_bad(f, DOC("", PART_OK ", \"pairs\": [{\"src\": \"a\", "
			   "\"dst\": \"b\", \"path\": \"l1,,l2\"}]}", ""),
		    "partitions[0].pairs: a path is not a list");
	restore_bad(f, DOC("", PART_OK ", \"pairs\": [{\"src\": \"a\", "
			   "\"dst\": \"c\", \"path\": null}]}", ""),
		    "not both members");
	restore_bad(f, DOC("", PART_OK ", \"pairs\": []}", "{\"time_ms\": 1}"),
		    "decisions[0].type: missing");
	restore_bad(f, DOC("", PART_OK ", \"pairs\": [], \"since_ms\": -4}",
			   ""), "partitions[0].since_ms: out of range");
	/* Still the engine it was. */
	assert_int_equal(f->p->nlinks, NLINKS);
	assert_string_equal(part(f, "red")->pairs[0].path, "l01");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_learn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damping_flap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_damping_flap_reroute, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_damping_recovers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_damping_off, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_policy_down, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_policy_degrade, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_policy_reroute, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reroute_damped, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reroute_fallback, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_recover_only_ours, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_admin_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_degraded_link, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_json, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_save_restore, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_restore_malformed, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("aifabd_policy", tests, NULL, NULL);
}
