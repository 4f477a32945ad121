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

/* "2024-05-01T12:00:00Z"; a time before the epoch shows as the epoch. */
int aifabd_iso8601(int64_t wall_ms, char *buf, size_t size)
{
	time_t t = (time_t)((wall_ms > 0 ? wall_ms : 0) / 1000);
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return -EINVAL;
	return 0;
}

/* Attach @v (NULL: its creation failed) to object @o under @key. */
static int jadd(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v)
		return -ENOMEM;
	if (json_object_object_add(o, key, v)) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
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

static int jadd_str(struct json_object *o, const char *key, const char *s)
{
	return jadd(o, key, json_object_new_string(s));
}

static int jadd_time(struct json_object *o, const char *key, int64_t mono,
		     int64_t off)
{
	char stamp[32];
	int ret = aifabd_iso8601(mono + off, stamp, sizeof(stamp));

	return ret ? ret : jadd_str(o, key, stamp);
}

/*
 * The three arrays of both documents, attached first so that root owns
 * them whatever happens next.
 */
static int jadd3(struct json_object *root, struct json_object *links,
		 struct json_object *parts, struct json_object *decs)
{
	int r1 = jadd(root, "links", links);
	int r2 = jadd(root, "partitions", parts);
	int r3 = jadd(root, "decisions", decs);

	return r1 ? r1 : r2 ? r2 : r3;
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
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int status_links(const struct aifabd_policy *p, struct json_object *a,
			int64_t off)
{
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < p->nlinks; i++) {
		const struct aifabd_policy_link *l = &p->links[i];

		ret = jpush(a, status_item(l->name, l->state, l->since, l->why,
					   off));
	}
	return ret;
}

static int status_parts(const struct aifabd_policy *p, struct json_object *a,
			int64_t off)
{
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < p->nparts; i++) {
		const struct aifabd_policy_part *pt = &p->parts[i];
		struct json_object *o;

		o = status_item(pt->name, pt->state, pt->since, pt->why, off);
		ret = o ? jadd_str(o, "tenant", pt->tenant) : -ENOMEM;
		if (!ret)
			ret = jpush(a, o);
		else if (o)
			json_object_put(o);
	}
	return ret;
}

static int status_decision(struct json_object *a, const struct aifabd_action *d,
			   int64_t off)
{
	struct json_object *o = json_object_new_object();
	int ret;

	if (!o)
		return -ENOMEM;
	ret = jadd_time(o, "time", d->time, off);
	if (!ret)
		ret = jadd_str(o, "subject", d->subject);
	if (!ret)
		ret = jadd_str(o, "decision", d->decision);
	if (!ret)
		ret = jadd_str(o, "why", d->why);
	if (ret) {
		json_object_put(o);
		return ret;
	}
	return jpush(a, o);
}

static int status_decisions(const struct aifabd_policy *p,
			    struct json_object *a, int64_t off)
{
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < aifabd_policy_ndecisions(p); i++)
		ret = status_decision(a, aifabd_policy_decision(p, i), off);
	return ret;
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
	struct json_object *links = json_object_new_array();
	struct json_object *parts = json_object_new_array();
	struct json_object *decs = json_object_new_array();
	int ret;

	ret = jadd3(root, links, parts, decs);
	if (!ret)
		ret = status_links(p, links, wall_offset);
	if (!ret)
		ret = status_parts(p, parts, wall_offset);
	if (!ret)
		ret = status_decisions(p, decs, wall_offset);
	return ret;
}

/* The state file's fields of one link. */
static struct json_object *state_link(const struct aifabd_policy_link *l,
				      int64_t off)
{
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -ENOMEM;

	if (!ret)
		ret = jadd_str(o, "name", l->name);
	if (!ret)
		ret = jadd_str(o, "state", aifabd_hstate_name(l->state));
	if (!ret)
		ret = jadd_str(o, "kernel_state", kstate_names[l->kstate]);
	if (!ret)
		ret = jadd(o, "since_ms", json_object_new_int64(l->since + off));
	if (!ret)
		ret = jadd_str(o, "why", l->why);
	if (!ret)
		ret = jadd(o, "degrade_ppm",
			   json_object_new_int64(l->degrade_ppm));
	if (!ret && l->hold_until)
		ret = jadd(o, "hold_until_ms",
			   json_object_new_int64(l->hold_until + off));
	if (!ret && l->hold_until)
		ret = jadd_str(o, "held", aifabd_hstate_name(l->held));
	if (ret && o) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

/* "path" is null for a pair with no route known. */
static struct json_object *state_pair(const struct aifabd_policy_pair *pr)
{
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -ENOMEM;

	if (!ret)
		ret = jadd_str(o, "src", pr->src);
	if (!ret)
		ret = jadd_str(o, "dst", pr->dst);
	if (!ret && pr->path)
		ret = jadd_str(o, "path", pr->path);
	else if (!ret && json_object_object_add(o, "path", NULL))
		ret = -ENOMEM;
	if (ret && o) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

static struct json_object *state_pairs(const struct aifabd_policy_part *pt)
{
	struct json_object *a = json_object_new_array();
	size_t i;
	int ret = a ? 0 : -ENOMEM;

	for (i = 0; !ret && i < pt->npairs; i++)
		ret = jpush(a, state_pair(&pt->pairs[i]));
	if (ret && a) {
		json_object_put(a);
		a = NULL;
	}
	return a;
}

static struct json_object *state_devs(const struct aifabd_policy_part *pt)
{
	struct json_object *a = json_object_new_array();
	size_t i;
	int ret = a ? 0 : -ENOMEM;

	for (i = 0; !ret && i < pt->ndevs; i++)
		ret = jpush(a, json_object_new_string(pt->devs[i]));
	if (ret && a) {
		json_object_put(a);
		a = NULL;
	}
	return a;
}

static struct json_object *state_part(const struct aifabd_policy_part *pt,
				      int64_t off)
{
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -ENOMEM;

	if (!ret)
		ret = jadd_str(o, "name", pt->name);
	if (!ret)
		ret = jadd_str(o, "tenant", pt->tenant);
	if (!ret)
		ret = jadd_str(o, "state", aifabd_hstate_name(pt->state));
	if (!ret)
		ret = jadd(o, "since_ms", json_object_new_int64(pt->since + off));
	if (!ret)
		ret = jadd_str(o, "why", pt->why);
	if (!ret)
		ret = jadd(o, "policy_down",
			   json_object_new_boolean(pt->policy_down));
	if (!ret)
		ret = jadd(o, "devs", state_devs(pt));
	if (!ret)
		ret = jadd(o, "pairs", state_pairs(pt));
	if (!ret && pt->detour)
		ret = jadd_str(o, "detour", pt->detour);
	if (ret && o) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

static struct json_object *state_decision(const struct aifabd_action *d,
					  int64_t off)
{
	struct json_object *o = json_object_new_object();
	int ret = o ? 0 : -ENOMEM;

	if (!ret)
		ret = jadd(o, "time_ms", json_object_new_int64(d->time + off));
	if (!ret)
		ret = jadd_str(o, "type", act_type_names[d->type]);
	if (!ret)
		ret = jadd(o, "failed", json_object_new_boolean(d->failed));
	if (!ret)
		ret = jadd_str(o, "subject", d->subject);
	if (!ret)
		ret = jadd_str(o, "decision", d->decision);
	if (!ret)
		ret = jadd_str(o, "why", d->why);
	if (ret && o) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

static int state_arrays(const struct aifabd_policy *p, struct json_object *root,
			int64_t off)
{
	struct json_object *links = json_object_new_array();
	struct json_object *parts = json_object_new_array();
	struct json_object *decs = json_object_new_array();
	size_t i;
	int ret;

	ret = jadd3(root, links, parts, decs);
	for (i = 0; !ret && i < p->nlinks; i++)
		ret = jpush(links, state_link(&p->links[i], off));
	for (i = 0; !ret && i < p->nparts; i++)
		ret = jpush(parts, state_part(&p->parts[i], off));
	for (i = 0; !ret && i < aifabd_policy_ndecisions(p); i++)
		ret = jpush(decs, state_decision(aifabd_policy_decision(p, i),
						 off));
	return ret;
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
	if (jadd(root, "version",
		 json_object_new_int(AIFABD_POLICY_STATE_VERSION)) ||
	    state_arrays(p, root, wall_offset)) {
		json_object_put(root);
		return NULL;
	}
	return root;
}
