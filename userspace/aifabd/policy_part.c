// SPDX-License-Identifier: GPL-2.0
/*
 * The policy engine's partitions: the routes between their members, and
 * the state that follows from the links those routes use. The rules, and
 * why, are in policy.h.
 *
 * A route is kept as its links' names joined by commas, in path order, so
 * that "does this partition use link X" is a scan of short strings, and
 * the same text goes into reasons and the state file unchanged.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"
#include "str.h"

/* A partition's state as worked out, before it is recorded. */
struct verdict {
	enum aifabd_hstate state;
	bool down;			/* the policy wants it taken down */
	char why[AIFABD_POLICY_WHY_MAX];
};

static void verdict_set(struct verdict *v, enum aifabd_hstate st,
			const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void verdict_set(struct verdict *v, enum aifabd_hstate st,
			const char *fmt, ...)
{
	va_list ap;

	v->state = st;
	va_start(ap, fmt);
	policy_vfmt(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
}

/* Append "; @s" to a reason, ending it with "..." if it no longer fits. */
static void why_append(char *why, size_t size, const char *s)
{
	char *joined;

	if (asprintf(&joined, "%s%s%s", why, *why ? "; " : "", s) < 0)
		return;
	if (aifab_strscpy(why, joined, size) < 0 && size > 4)
		aifab_strscpy(why + size - 4, "...", 4);
	free(joined);
}

bool policy_path_has(const char *path, const char *link)
{
	size_t n = strlen(link);

	while (path && *path) {
		size_t len = strcspn(path, ",");

		if (len == n && !strncmp(path, link, n))
			return true;
		path += len;
		if (*path)
			path++;
	}
	return false;
}

/* Add the links of @path that @set lacks; @set may be NULL (empty). */
int policy_path_add(char **set, const char *path)
{
	char name[AIFAB_NAME_MAX];
	char *grown;

	while (path && *path) {
		size_t len = strcspn(path, ",");

		if (policy_token(name, path, len) &&
		    !policy_path_has(*set, name)) {
			if (asprintf(&grown, "%s%s%s", *set ? *set : "",
				     *set ? "," : "", name) < 0)
				return -ENOMEM;
			free(*set);
			*set = grown;
		}
		path += len;
		if (*path)
			path++;
	}
	return 0;
}

/* Return: the hops of @rt as "l1,l2" (allocated), or NULL without memory. */
char *policy_path_join(const struct aifabd_route *rt)
{
	char *s = calloc(1, AIFABD_ROUTE_MAX_HOPS * AIFAB_NAME_MAX + 1);
	size_t i, len = 0;

	if (!s)
		return NULL;
	for (i = 0; i < rt->nhops && i < AIFABD_ROUTE_MAX_HOPS; i++) {
		int ret;

		if (i)
			s[len++] = ',';
		ret = aifab_strscpy(s + len, rt->hops[i], AIFAB_NAME_MAX);
		len += ret < 0 ? AIFAB_NAME_MAX - 1 : (size_t)ret;
	}
	return s;
}

static bool link_degraded(const struct aifabd_policy_link *l)
{
	return l->state == AIFABD_HSTATE_DEGRADED;
}

/* The first link of @path that @pred picks; unknown links are skipped. */
static const struct aifabd_policy_link *
path_find(const struct aifabd_policy *p, const char *path,
	  bool (*pred)(const struct aifabd_policy_link *))
{
	char name[AIFAB_NAME_MAX];

	while (path && *path) {
		size_t len = strcspn(path, ",");

		if (policy_token(name, path, len)) {
			const struct aifabd_policy_link *l =
				policy_link_find(p, name);

			if (l && pred(l))
				return l;
		}
		path += len;
		if (*path)
			path++;
	}
	return NULL;
}

static const struct aifabd_policy_link *
part_find_link(const struct aifabd_policy *p,
	       const struct aifabd_policy_part *part,
	       bool (*pred)(const struct aifabd_policy_link *))
{
	size_t i;

	for (i = 0; i < part->npairs; i++) {
		const struct aifabd_policy_link *l =
			path_find(p, part->pairs[i].path, pred);

		if (l)
			return l;
	}
	return path_find(p, part->detour, pred);
}

bool policy_part_uses(const struct aifabd_policy_part *part, const char *link)
{
	size_t i;

	for (i = 0; i < part->npairs; i++)
		if (policy_path_has(part->pairs[i].path, link))
			return true;
	return policy_path_has(part->detour, link);
}

bool policy_part_unreached(const struct aifabd_policy_part *part)
{
	size_t i;

	if (part->stranded)
		return true;
	for (i = 0; i < part->npairs; i++)
		if (!part->pairs[i].path)
			return true;
	return false;
}

void policy_part_release(struct aifabd_policy_part *part)
{
	size_t i;

	for (i = 0; i < part->npairs; i++)
		free(part->pairs[i].path);
	free(part->pairs);
	free(part->devs);
	free(part->detour);
	*part = (struct aifabd_policy_part){ 0 };
}

/* Record the state and reason; "since" moves only with the state. */
static void part_mark(struct aifabd_policy *p, struct aifabd_policy_part *part,
		      const struct verdict *v, int64_t now)
{
	struct policy_subject who = { "partition", part->name, now };

	if (v->state == part->state && !strcmp(v->why, part->why))
		return;
	if (v->state != part->state)
		part->since = now;
	part->state = v->state;
	aifab_strscpy(part->why, v->why, sizeof(part->why));
	policy_emit(p, AIFABD_ACT_MARK_PARTITION, false, &who,
		    aifabd_hstate_name(v->state), v->why);
}

/*
 * Take the partition down or up in the kernel, and remember that the
 * policy did. A refusal waits AIFABD_POLICY_RETRY_MS before the next try,
 * so that a kernel that keeps refusing is not asked at every event.
 * Return: whether it is done.
 */
static bool part_admin(struct aifabd_policy *p, struct aifabd_policy_part *part,
		       bool up, const char *why, int64_t now)
{
	struct policy_subject who = { "partition", part->name, now };
	const char *decision = up ? "admin up" : "admin down";
	int ret;

	if (part->retry_at && now < part->retry_at)
		return false;
	ret = p->ops.set_admin(p->ops.ctx, part->name, up);
	if (ret) {
		char msg[AIFABD_POLICY_WHY_MAX];

		policy_fmt(msg, sizeof(msg), "%s; the kernel refused: %s", why,
			   strerror(-ret));
		policy_emit(p, AIFABD_ACT_SET_PARTITION_ADMIN, true, &who,
			    decision, msg);
		part->retry_at = now + AIFABD_POLICY_RETRY_MS;
		return false;
	}
	part->retry_at = 0;
	part->policy_down = !up;
	policy_emit(p, AIFABD_ACT_SET_PARTITION_ADMIN, false, &who, decision,
		    why);
	return true;
}

/*
 * A partition the policy took down comes up again before anything else is
 * decided for it: a route query would be refused while it is down. Return:
 * false with @v set when it stays down.
 */
static bool part_up(struct aifabd_policy *p, struct aifabd_policy_part *part,
		    const char *why, struct verdict *v, int64_t now)
{
	if (!part->policy_down || part_admin(p, part, true, why, now))
		return true;
	verdict_set(v, AIFABD_HSTATE_DEGRADED,
		    "%s, but it could not be brought up", why);
	return false;
}

/*
 * Ask the kernel how @pr goes now, as @path. Return: false with @v set
 * when the answer ends the check: an error, a refusal, no path.
 */
static bool pair_ask(struct aifabd_policy *p, struct aifabd_policy_part *part,
		     const struct aifabd_policy_pair *pr, struct verdict *v,
		     char **path)
{
	struct aifabd_route rt = { 0 };
	int ret;

	*path = NULL;
	ret = p->ops.route(p->ops.ctx, pr->src, pr->dst, &rt);
	if (ret) {
		verdict_set(v, AIFABD_HSTATE_DEGRADED,
			    "route from %s to %s unknown: %s", pr->src,
			    pr->dst, strerror(-ret));
		return false;
	}
	switch (rt.verdict) {
	case AIFABD_ROUTE_OK:
		break;
	case AIFABD_ROUTE_PARTITION_DOWN:
		/* Not the policy's doing (it checks that first): an operator's. */
		part->operator_down = true;
		verdict_set(v, AIFABD_HSTATE_DOWN, "taken down outside aifabd");
		return false;
	default:
		verdict_set(v, AIFABD_HSTATE_DEGRADED, "no path from %s to %s",
			    pr->src, pr->dst);
		return false;
	}
	*path = policy_path_join(&rt);
	if (!*path) {
		p->err = -ENOMEM;
		verdict_set(v, AIFABD_HSTATE_DEGRADED, "out of memory");
		return false;
	}
	return true;
}

/* What a reroute check learned of one pair. */
enum pair_answer {
	PAIR_OK,			/* a path over links that are up */
	PAIR_FAILED,			/* none, or the query failed */
	PAIR_UNKNOWN,			/* the kernel's path crosses a damped
					 * link: whether another exists, its
					 * shortest-path answer cannot say */
};

/* One pair, rerouted around dead links; @v says why when not PAIR_OK. */
static enum pair_answer pair_reroute(struct aifabd_policy *p,
				     struct aifabd_policy_part *part,
				     const struct aifabd_policy_pair *pr,
				     struct verdict *v, char *desc,
				     char **detour)
{
	const struct aifabd_policy_link *dead;
	char *path;

	if (!pair_ask(p, part, pr, v, &path))
		return PAIR_FAILED;
	dead = path_find(p, path, policy_counts_down);
	if (dead) {
		verdict_set(v, AIFABD_HSTATE_DEGRADED,
			    "the only path from %s to %s crosses damped link %s",
			    pr->src, pr->dst, dead->name);
		free(path);
		return PAIR_UNKNOWN;
	}
	if (policy_path_add(detour, path))
		p->err = -ENOMEM;
	if (path_find(p, pr->path, policy_counts_down)) {
		char hop[AIFABD_POLICY_WHY_MAX];

		policy_fmt(hop, sizeof(hop), "%s->%s via %s", pr->src, pr->dst,
			   path);
		why_append(desc, AIFABD_POLICY_WHY_MAX - 64, hop);
	}
	free(path);
	return PAIR_OK;
}

/*
 * reroute: every pair must still have a path that avoids dead links.
 * While the kernel routes a pair over a damped link, the last verdict
 * stands: damping exists so that a flap changes no decision.
 */
static void part_reroute(struct aifabd_policy *p,
			 struct aifabd_policy_part *part,
			 const struct aifabd_policy_link *bad,
			 struct verdict *v, int64_t now)
{
	const struct aifabd_policy_link *deg;
	char desc[AIFABD_POLICY_WHY_MAX] = "";
	char why[AIFABD_POLICY_WHY_MAX];
	enum pair_answer ans = PAIR_OK;
	char *detour = NULL;
	struct verdict sub;
	size_t i;

	policy_fmt(why, sizeof(why), "link %s down, policy reroute",
		   bad->name);
	if (!part_up(p, part, why, v, now))
		return;
	for (i = 0; ans == PAIR_OK && i < part->npairs; i++)
		ans = pair_reroute(p, part, &part->pairs[i], &sub, desc,
				   &detour);
	if (ans == PAIR_UNKNOWN && part->rerouted) {
		free(detour);
		v->state = part->state;
		aifab_strscpy(v->why, part->why, sizeof(v->why));
		return;
	}
	free(part->detour);
	part->detour = detour;
	part->rerouted = true;
	part->stranded = ans != PAIR_OK;
	deg = path_find(p, detour, link_degraded);
	if (ans != PAIR_OK)
		verdict_set(v, sub.state, "link %s down; %s", bad->name,
			    sub.why);
	else if (deg)
		verdict_set(v, AIFABD_HSTATE_DEGRADED,
			    "link %s down, rerouted over degraded link %s",
			    bad->name, deg->name);
	else
		verdict_set(v, AIFABD_HSTATE_UP, "link %s down, rerouted: %s",
			    bad->name, *desc ? desc : "no route used it");
}

static void part_link_down(struct aifabd_policy *p,
			   struct aifabd_policy_part *part,
			   const struct aifabd_policy_link *bad,
			   struct verdict *v, int64_t now)
{
	const char *st = "down";
	char why[AIFABD_POLICY_WHY_MAX];

	switch (p->set.on_link_down) {
	case AIFABD_LINK_DOWN_DOWN:
		v->down = true;
		verdict_set(v, AIFABD_HSTATE_DOWN, "link %s %s, policy down",
			    bad->name, st);
		break;
	case AIFABD_LINK_DOWN_DEGRADE:
		policy_fmt(why, sizeof(why), "link %s %s, policy degrade",
			   bad->name, st);
		verdict_set(v, AIFABD_HSTATE_DEGRADED, "%s", why);
		part_up(p, part, why, v, now);
		break;
	default:
		part_reroute(p, part, bad, v, now);
		break;
	}
}

/*
 * Pairs that had no route when learned are asked again. Return: false with
 * @v set when one still has none.
 */
static bool part_relearn(struct aifabd_policy *p,
			 struct aifabd_policy_part *part, struct verdict *v)
{
	struct aifabd_policy_pair *pr;
	size_t i;

	for (i = 0; i < part->npairs; i++) {
		pr = &part->pairs[i];
		if (!pr->path && !pair_ask(p, part, pr, v, &pr->path))
			return false;
	}
	return true;
}

/* No link it uses counts as down. */
static void part_healthy(struct aifabd_policy *p,
			 struct aifabd_policy_part *part, struct verdict *v,
			 int64_t now)
{
	static const char back[] = "the links of its routes are up again";
	const struct aifabd_policy_link *deg;

	if (!part_up(p, part, back, v, now))
		return;
	free(part->detour);
	part->detour = NULL;
	part->stranded = false;
	part->rerouted = false;
	if (!part_relearn(p, part, v))
		return;
	deg = part_find_link(p, part, link_degraded);
	if (deg)
		verdict_set(v, AIFABD_HSTATE_DEGRADED,
			    "link %s degraded: error rate over %u ppm",
			    deg->name, deg->degrade_ppm);
	else if (!part->npairs)
		verdict_set(v, AIFABD_HSTATE_UP,
			    "fewer than two members: no routes to watch");
	else
		verdict_set(v, AIFABD_HSTATE_UP,
			    "the links of its routes are up");
}

/**
 * policy_part_evaluate() - Work out a partition's state and act on it.
 * @p: Engine.
 * @part: The partition.
 * @now: Monotonic time, ms.
 */
void policy_part_evaluate(struct aifabd_policy *p,
			  struct aifabd_policy_part *part, int64_t now)
{
	const struct aifabd_policy_link *bad;
	struct verdict v = { .state = AIFABD_HSTATE_UP };

	if (part->operator_down) {
		verdict_set(&v, AIFABD_HSTATE_DOWN, "taken down outside aifabd");
		part_mark(p, part, &v, now);
		return;
	}
	bad = part_find_link(p, part, policy_counts_down);
	if (bad)
		part_link_down(p, part, bad, &v, now);
	else
		part_healthy(p, part, &v, now);
	if (v.down && !part->policy_down &&
	    !part_admin(p, part, false, v.why, now)) {
		v.state = AIFABD_HSTATE_DEGRADED;
		why_append(v.why, sizeof(v.why), "it could not be taken down");
	}
	part_mark(p, part, &v, now);
}

static const char *old_path(const struct aifabd_policy_part *old,
			    const char *src, const char *dst)
{
	size_t i;

	for (i = 0; old && i < old->npairs; i++)
		if (!strcmp(old->pairs[i].src, src) &&
		    !strcmp(old->pairs[i].dst, dst))
			return old->pairs[i].path;
	return NULL;
}

static int keep_path(struct aifabd_policy_pair *pr, const char *old)
{
	pr->path = old ? strdup(old) : NULL;
	return old && !pr->path ? -ENOMEM : 0;
}

/*
 * Learn one pair's route. Kept from before: the old route when the kernel
 * cannot say (the partition is down, a query failed, no path now), and
 * when the route moved off a link that counts as down, because the old one
 * is then the healthy one; the new route's links count as a detour.
 */
static int pair_learn(struct aifabd_policy *p, struct aifabd_policy_part *part,
		      struct aifabd_policy_pair *pr, const char *old,
		      bool admin_down)
{
	struct verdict ignored;
	char *path = NULL;

	if (!admin_down && !pair_ask(p, part, pr, &ignored, &path) && p->err)
		return p->err;
	if (!path)
		return keep_path(pr, old);
	if (old && strcmp(old, path) && path_find(p, old, policy_counts_down)) {
		int ret = policy_path_add(&part->detour, path);

		free(path);
		return ret ? ret : keep_path(pr, old);
	}
	pr->path = path;
	return 0;
}

static int part_learn(struct aifabd_policy *p, struct aifabd_policy_part *part,
		      const struct aifabd_policy_part *old, bool admin_down)
{
	size_t i, j, n = part->ndevs;
	struct aifabd_policy_pair *pr;

	if (n < 2)
		return 0;
	part->pairs = calloc(n * (n - 1), sizeof(*part->pairs));
	if (!part->pairs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			if (i == j)
				continue;
			pr = &part->pairs[part->npairs++];
			aifab_strscpy(pr->src, part->devs[i], sizeof(pr->src));
			aifab_strscpy(pr->dst, part->devs[j], sizeof(pr->dst));
			int ret = pair_learn(p, part, pr,
					     old_path(old, pr->src, pr->dst),
					     admin_down);

			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Who took it down: the policy, if it remembers doing so; else someone. */
static void part_flags(struct aifabd_policy *p,
		       struct aifabd_policy_part *part,
		       const struct aifabd_policy_part *old, bool admin_down,
		       int64_t now)
{
	struct policy_subject who = { "partition", part->name, now };
	bool ours = old && old->policy_down;

	part->policy_down = admin_down && ours;
	part->operator_down = admin_down && !ours;
	if (ours && !admin_down)
		policy_emit(p, AIFABD_ACT_LOG, false, &who, "noted",
			    "brought up outside aifabd; the policy applies "
			    "to it again");
}

/**
 * policy_part_build() - A partition of a configure, with its routes.
 * @p: Engine, with the new links in place.
 * @part: Filled in; released again on failure.
 * @in: The kernel's partition.
 * @old: The same partition as the engine knew it, or NULL.
 * @now: Monotonic time, ms.
 *
 * Return: 0 or -ENOMEM.
 */
int policy_part_build(struct aifabd_policy *p,
		      struct aifabd_policy_part *part,
		      const struct aifabd_policy_part_in *in,
		      const struct aifabd_policy_part *old, int64_t now)
{
	size_t i;
	int ret;

	*part = (struct aifabd_policy_part){ .since = now };
	aifab_strscpy(part->name, in->name, sizeof(part->name));
	aifab_strscpy(part->tenant, in->tenant, sizeof(part->tenant));
	if (old) {
		part->state = old->state;
		part->since = old->since;
		part->retry_at = old->retry_at;
		aifab_strscpy(part->why, old->why, sizeof(part->why));
	}
	part->devs = calloc(in->ndevs ? in->ndevs : 1, sizeof(*part->devs));
	if (!part->devs)
		return -ENOMEM;
	for (i = 0; i < in->ndevs; i++)
		aifab_strscpy(part->devs[i], in->devs[i],
			      sizeof(part->devs[i]));
	part->ndevs = in->ndevs;
	ret = old ? policy_path_add(&part->detour, old->detour) : 0;
	if (!ret)
		ret = part_learn(p, part, old, in->admin_down);
	if (ret) {
		policy_part_release(part);
		return ret;
	}
	part_flags(p, part, old, in->admin_down, now);
	return 0;
}
