// SPDX-License-Identifier: GPL-2.0
/*
 * The policy engine's state to and from JSON; the formats, and why times
 * are converted, are in policy_json.h. Writing builds json-c objects;
 * reading checks every field before the engine sees any of it, into a
 * separate engine that replaces the live one only when all of it was good.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "names.h"
#include "policy_json.h"
#include "status.h"

static const char *const act_type_names[] = {
	[AIFABD_ACT_MARK_LINK] = "mark-link",
	[AIFABD_ACT_MARK_PARTITION] = "mark-partition",
	[AIFABD_ACT_SET_PARTITION_ADMIN] = "set-partition-admin",
	[AIFABD_ACT_LOG] = "log",
};

static const char *const kstate_names[] = {
	[AIFAB_LINK_STATE_UP] = "up",
	[AIFAB_LINK_STATE_DOWN] = "down",
	[AIFAB_LINK_STATE_DEGRADED] = "degraded",
};

/*
 * "2024-05-01T12:00:00Z"; a time before the epoch shows as the epoch. The
 * format is the status document's own, so that all its times read alike.
 */
int aifabd_iso8601(int64_t wall_ms, char *buf, size_t size)
{
	return aifabd_time_iso((time_t)((wall_ms > 0 ? wall_ms : 0) / 1000),
			       buf, size);
}

static int jpush(struct json_object *a, struct json_object *v)
{
	if (!v)
		return -ENOMEM;
	if (json_object_array_add(a, v)) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Returns @o, or drops it and returns NULL if building it failed (@ret):
 * the end of every object builder below.
 */
static struct json_object *jkeep(struct json_object *o, int ret)
{
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* Builds item @i of @ctx's list; NULL without memory. */
typedef struct json_object *jitem_fn(const void *ctx, size_t i, int64_t off);

/* Push @fn's items 0..@n-1 onto array @a; stops at the first failure. */
static int jpush_each(struct json_object *a, size_t n, jitem_fn *fn,
		      const void *ctx, int64_t off)
{
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < n; i++)
		ret = jpush(a, fn(ctx, i, off));
	return ret;
}

/* A new array of @fn's items 0..@n-1, or NULL if any failed. */
static struct json_object *jarray(size_t n, jitem_fn *fn, const void *ctx,
				  int64_t off)
{
	struct json_object *a = json_object_new_array();

	return a ? jkeep(a, jpush_each(a, n, fn, ctx, off)) : NULL;
}

static int jadd_str(struct json_object *o, const char *key, const char *s)
{
	return aifabd_json_add(o, key, json_object_new_string(s));
}

static int jadd_time(struct json_object *o, const char *key, int64_t mono,
		     int64_t off)
{
	char stamp[32];
	int ret = aifabd_iso8601(mono + off, stamp, sizeof(stamp));

	return ret ? ret : jadd_str(o, key, stamp);
}

/*
 * The three arrays of both documents, each item of @p's links, partitions
 * and decisions built by its own function. The arrays are attached first
 * so that root owns them whatever happens next.
 */
static int jadd_lists(struct json_object *root, const struct aifabd_policy *p,
		      jitem_fn *link, jitem_fn *part, jitem_fn *decision,
		      int64_t off)
{
	struct json_object *links = json_object_new_array();
	struct json_object *parts = json_object_new_array();
	struct json_object *decs = json_object_new_array();
	int r1 = aifabd_json_add(root, "links", links);
	int r2 = aifabd_json_add(root, "partitions", parts);
	int r3 = aifabd_json_add(root, "decisions", decs);
	int ret = r1 ? r1 : r2 ? r2 : r3;

	if (!ret)
		ret = jpush_each(links, p->nlinks, link, p, off);
	if (!ret)
		ret = jpush_each(parts, p->nparts, part, p, off);
	if (!ret)
		ret = jpush_each(decs, aifabd_policy_ndecisions(p), decision,
				 p, off);
	return ret;
}

/* One object with the status fields every item has. */
static struct json_object *status_item(const char *name, enum aifabd_hstate st,
				       int64_t since, const char *why,
				       int64_t off)
{
	struct json_object *o = json_object_new_object();
	int ret;

	if (!o)
		return NULL;
	ret = jadd_str(o, "name", name);
	if (!ret)
		ret = jadd_str(o, "state", aifabd_hstate_name(st));
	if (!ret)
		ret = jadd_time(o, "since", since, off);
	if (!ret)
		ret = jadd_str(o, "why", why);
	return jkeep(o, ret);
}

/* The item builders below are jitem_fns over the engine (@ctx). */
static struct json_object *status_link(const void *ctx, size_t i, int64_t off)
{
	const struct aifabd_policy *p = ctx;
	const struct aifabd_policy_link *l = &p->links[i];

	return status_item(l->name, l->state, l->since, l->why, off);
}

static struct json_object *status_part(const void *ctx, size_t i, int64_t off)
{
	const struct aifabd_policy *p = ctx;
	const struct aifabd_policy_part *pt = &p->parts[i];
	struct json_object *o;

	o = status_item(pt->name, pt->state, pt->since, pt->why, off);
	return o ? jkeep(o, jadd_str(o, "tenant", pt->tenant)) : NULL;
}

static struct json_object *status_decision(const void *ctx, size_t i,
					   int64_t off)
{
	const struct aifabd_action *d = aifabd_policy_decision(ctx, i);
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -ENOMEM;

	if (!ret)
		ret = jadd_time(o, "time", d->time, off);
	if (!ret)
		ret = jadd_str(o, "subject", d->subject);
	if (!ret)
		ret = jadd_str(o, "decision", d->decision);
	if (!ret)
		ret = jadd_str(o, "why", d->why);
	return jkeep(o, ret);
}

/**
 * aifabd_policy_status_json() - Add the engine's state to a status object.
 * @p: Engine.
 * @root: A JSON object; gets "links", "partitions" and "decisions" (the
 *	oldest first), replacing any it had.
 * @wall_offset: Wall-clock ms minus monotonic ms, now.
 *
 * Return: 0 or -ENOMEM (then @root may hold some of the arrays).
 */
int aifabd_policy_status_json(const struct aifabd_policy *p,
			      struct json_object *root, int64_t wall_offset)
{
	return jadd_lists(root, p, status_link, status_part, status_decision,
			  wall_offset);
}

/* The state file's fields of one link. */
static struct json_object *state_link(const void *ctx, size_t i, int64_t off)
{
	const struct aifabd_policy *p = ctx;
	const struct aifabd_policy_link *l = &p->links[i];
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -ENOMEM;

	if (!ret)
		ret = jadd_str(o, "name", l->name);
	if (!ret)
		ret = jadd_str(o, "state", aifabd_hstate_name(l->state));
	if (!ret)
		ret = jadd_str(o, "kernel_state", kstate_names[l->kstate]);
	if (!ret)
		ret = aifabd_json_add(o, "since_ms",
				      json_object_new_int64(l->since + off));
	if (!ret)
		ret = jadd_str(o, "why", l->why);
	if (!ret)
		ret = aifabd_json_add(o, "degrade_ppm",
				      json_object_new_int64(l->degrade_ppm));
	if (!ret && l->hold_until)
		ret = aifabd_json_add(o, "hold_until_ms", json_object_new_int64(
					      l->hold_until + off));
	if (!ret && l->hold_until)
		ret = jadd_str(o, "held", aifabd_hstate_name(l->held));
	return jkeep(o, ret);
}

/* "path" is null for a pair with no route known. @ctx: the partition. */
static struct json_object *state_pair(const void *ctx, size_t i, int64_t off)
{
	const struct aifabd_policy_part *pt = ctx;
	const struct aifabd_policy_pair *pr = &pt->pairs[i];
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -ENOMEM;

	(void)off;
	if (!ret)
		ret = jadd_str(o, "src", pr->src);
	if (!ret)
		ret = jadd_str(o, "dst", pr->dst);
	if (!ret && pr->path)
		ret = jadd_str(o, "path", pr->path);
	else if (!ret && json_object_object_add(o, "path", NULL))
		ret = -ENOMEM;
	return jkeep(o, ret);
}

/* @ctx: the partition. */
static struct json_object *state_dev(const void *ctx, size_t i, int64_t off)
{
	const struct aifabd_policy_part *pt = ctx;

	(void)off;
	return json_object_new_string(pt->devs[i]);
}

static struct json_object *state_part(const void *ctx, size_t i, int64_t off)
{
	const struct aifabd_policy *p = ctx;
	const struct aifabd_policy_part *pt = &p->parts[i];
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -ENOMEM;

	if (!ret)
		ret = jadd_str(o, "name", pt->name);
	if (!ret)
		ret = jadd_str(o, "tenant", pt->tenant);
	if (!ret)
		ret = jadd_str(o, "state", aifabd_hstate_name(pt->state));
	if (!ret)
		ret = aifabd_json_add(o, "since_ms",
				      json_object_new_int64(pt->since + off));
	if (!ret)
		ret = jadd_str(o, "why", pt->why);
	if (!ret)
		ret = aifabd_json_add(o, "policy_down",
				      json_object_new_boolean(pt->policy_down));
	if (!ret)
		ret = aifabd_json_add(o, "devs",
				      jarray(pt->ndevs, state_dev, pt, off));
	if (!ret)
		ret = aifabd_json_add(o, "pairs",
				      jarray(pt->npairs, state_pair, pt, off));
	if (!ret && pt->detour)
		ret = jadd_str(o, "detour", pt->detour);
	return jkeep(o, ret);
}

static struct json_object *state_decision(const void *ctx, size_t i,
					  int64_t off)
{
	const struct aifabd_action *d = aifabd_policy_decision(ctx, i);
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -ENOMEM;

	if (!ret)
		ret = aifabd_json_add(o, "time_ms",
				      json_object_new_int64(d->time + off));
	if (!ret)
		ret = jadd_str(o, "type", act_type_names[d->type]);
	if (!ret)
		ret = aifabd_json_add(o, "failed",
				      json_object_new_boolean(d->failed));
	if (!ret)
		ret = jadd_str(o, "subject", d->subject);
	if (!ret)
		ret = jadd_str(o, "decision", d->decision);
	if (!ret)
		ret = jadd_str(o, "why", d->why);
	return jkeep(o, ret);
}

/**
 * aifabd_policy_state_json() - The engine's state, for the state file.
 * @p: Engine.
 * @wall_offset: Wall-clock ms minus monotonic ms, now.
 *
 * Return: a new object (json_object_put() it), or NULL without memory.
 */
struct json_object *aifabd_policy_state_json(const struct aifabd_policy *p,
					     int64_t wall_offset)
{
	struct json_object *root = json_object_new_object();

	if (!root)
		return NULL;
	if (aifabd_json_add(root, "version",
			    json_object_new_int(AIFABD_POLICY_STATE_VERSION)) ||
	    jadd_lists(root, p, state_link, state_part, state_decision,
		       wall_offset)) {
		json_object_put(root);
		return NULL;
	}
	return root;
}
