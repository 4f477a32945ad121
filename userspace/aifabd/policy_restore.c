// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the state file (policy_json.h) back into the engine. A state
 * file is trusted no more than any input: it may be cut short by a crash
 * of something else, edited by hand, or from another version. So every
 * field is checked, the first problem is named by where it is
 * ("partitions[2].pairs[0].path: ..."), and nothing of a file with a
 * problem reaches the engine.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "names.h"
#include "policy_int.h"
#include "policy_json.h"
#include "str.h"

/* Far above any fabric the kernel builds. */
#define RD_MAX_DEVS		1024

static const char *const rd_kstate_names[] = {
	[AIFAB_LINK_STATE_UP] = "up",
	[AIFAB_LINK_STATE_DOWN] = "down",
	[AIFAB_LINK_STATE_DEGRADED] = "degraded",
};

static const char *const rd_type_names[] = {
	[AIFABD_ACT_MARK_LINK] = "mark-link",
	[AIFABD_ACT_MARK_PARTITION] = "mark-partition",
	[AIFABD_ACT_SET_PARTITION_ADMIN] = "set-partition-admin",
};

struct rd {
	char *err;
	size_t errlen;
	int64_t off;
	char where[96];			/* "links[3]" */
};

static int rd_fail(struct rd *rd, const char *key, const char *what)
{
	if (rd->errlen)
		policy_fmt(rd->err, rd->errlen, "%s%s%s: %s", rd->where,
			   key && rd->where[0] ? "." : "", key ? key : "",
			   what);
	return -EINVAL;
}

static void rd_at(struct rd *rd, const char *array, size_t i)
{
	policy_fmt(rd->where, sizeof(rd->where), "%s[%zu]", array, i);
}

static int rd_field(struct rd *rd, struct json_object *o, const char *key,
		    enum json_type type, struct json_object **v)
{
	static const char *const expected[] = {
		[json_type_boolean] = "missing, or not true or false",
		[json_type_int] = "missing, or not an integer",
		[json_type_string] = "missing, or not a string",
		[json_type_array] = "missing, or not an array",
	};

	if (!json_object_object_get_ex(o, key, v) ||
	    !json_object_is_type(*v, type))
		return rd_fail(rd, key, expected[type] ? expected[type] :
				    "missing, or of the wrong type");
	return 0;
}

static int rd_str(struct rd *rd, struct json_object *o, const char *key,
		  char *buf, size_t size)
{
	struct json_object *v;
	int ret = rd_field(rd, o, key, json_type_string, &v);

	if (ret)
		return ret;
	if (aifab_strscpy(buf, json_object_get_string(v), size) < 0)
		return rd_fail(rd, key, "too long");
	return 0;
}

static int rd_name(struct rd *rd, struct json_object *o, const char *key,
		   char *buf)
{
	int ret = rd_str(rd, o, key, buf, AIFAB_NAME_MAX);

	if (!ret && !aifab_name_valid(buf))
		return rd_fail(rd, key,
			       "not a valid name (" AIFAB_NAME_RULE ")");
	return ret;
}

static int rd_i64(struct rd *rd, struct json_object *o, const char *key,
		  int64_t min, int64_t max, int64_t *val)
{
	struct json_object *v;
	int ret = rd_field(rd, o, key, json_type_int, &v);

	if (ret)
		return ret;
	errno = 0;
	*val = json_object_get_int64(v);
	if (errno || *val < min || *val > max)
		return rd_fail(rd, key, "out of range");
	return 0;
}

/* A time in wall-clock ms, to the engine's clock. */
static int rd_time(struct rd *rd, struct json_object *o, const char *key,
		   int64_t *mono)
{
	int64_t wall;
	int ret = rd_i64(rd, o, key, 1, INT64_MAX / 2, &wall);

	*mono = wall - rd->off;
	/* 0 means "none" to the engine; a real time never lands on it. */
	if (!ret && !*mono)
		*mono = -1;
	return ret;
}

static int rd_enum(struct rd *rd, struct json_object *o, const char *key,
		   const char *const *names, size_t n, unsigned int *val)
{
	char s[32];
	size_t i;
	int ret = rd_str(rd, o, key, s, sizeof(s));

	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		if (names[i] && !strcmp(s, names[i])) {
			*val = (unsigned int)i;
			return 0;
		}
	}
	return rd_fail(rd, key, "not a known value");
}

static int rd_hstate(struct rd *rd, struct json_object *o, const char *key,
		     enum aifabd_hstate *st)
{
	char s[32];
	int ret = rd_str(rd, o, key, s, sizeof(s));

	if (!ret && aifabd_hstate_parse(s, st))
		return rd_fail(rd, key,
			       "expected up, degraded, damped or down");
	return ret;
}

static int rd_bool(struct rd *rd, struct json_object *o, const char *key,
		   bool *b)
{
	struct json_object *v;
	int ret = rd_field(rd, o, key, json_type_boolean, &v);

	if (!ret)
		*b = json_object_get_boolean(v);
	return ret;
}

/* A route as the engine keeps it: names joined by commas. */
static bool rd_path_valid(const char *path)
{
	char name[AIFAB_NAME_MAX];

	if (!*path)
		return true;
	for (;;) {
		size_t len = strcspn(path, ",");

		if (!policy_token(name, path, len) || !aifab_name_valid(name))
			return false;
		path += len;
		if (!*path)
			return true;
		path++;
	}
}

static int rd_link_hold(struct rd *rd, struct json_object *o,
			struct aifabd_policy_link *l)
{
	struct json_object *v;
	int ret;

	if (!json_object_object_get_ex(o, "hold_until_ms", &v)) {
		if (l->state == AIFABD_HSTATE_DAMPED)
			return rd_fail(rd, "hold_until_ms",
				       "missing for a damped link");
		return 0;
	}
	ret = rd_time(rd, o, "hold_until_ms", &l->hold_until);
	if (!ret)
		ret = rd_hstate(rd, o, "held", &l->held);
	if (!ret && l->held != AIFABD_HSTATE_DOWN &&
	    l->held != AIFABD_HSTATE_DEGRADED)
		return rd_fail(rd, "held", "expected down or degraded");
	return ret;
}

static int rd_link(struct rd *rd, struct json_object *o,
		   struct aifabd_policy_link *l)
{
	unsigned int k = 0;
	int64_t ppm = 0;
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return rd_fail(rd, NULL, "not an object");
	ret = rd_name(rd, o, "name", l->name);
	if (!ret)
		ret = rd_hstate(rd, o, "state", &l->state);
	if (!ret)
		ret = rd_enum(rd, o, "kernel_state", rd_kstate_names,
			      AIFAB_ARRAY_SIZE(rd_kstate_names), &k);
	if (!ret)
		ret = rd_time(rd, o, "since_ms", &l->since);
	if (!ret)
		ret = rd_str(rd, o, "why", l->why, sizeof(l->why));
	if (!ret)
		ret = rd_i64(rd, o, "degrade_ppm", 0, AIFABD_DEGRADE_PPM_MAX,
			     &ppm);
	if (!ret)
		ret = rd_link_hold(rd, o, l);
	l->kstate = (enum aifab_link_state)k;
	l->degrade_ppm = (uint32_t)ppm;
	return ret;
}

static bool rd_has_dev(const struct aifabd_policy_part *pt, const char *name,
		       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(pt->devs[i], name))
			return true;
	return false;
}

static int rd_devs(struct rd *rd, struct json_object *o,
		   struct aifabd_policy_part *pt)
{
	struct json_object *a;
	size_t i, n;
	int ret = rd_field(rd, o, "devs", json_type_array, &a);

	if (ret)
		return ret;
	n = json_object_array_length(a);
	if (n > RD_MAX_DEVS)
		return rd_fail(rd, "devs", "too many");
	pt->devs = calloc(n ? n : 1, sizeof(*pt->devs));
	if (!pt->devs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(a, i);

		if (!json_object_is_type(v, json_type_string) ||
		    aifab_strscpy(pt->devs[i], json_object_get_string(v),
				  AIFAB_NAME_MAX) < 0 ||
		    !aifab_name_valid(pt->devs[i]) ||
		    rd_has_dev(pt, pt->devs[i], i))
			return rd_fail(rd, "devs",
				       "not a list of distinct device names");
	}
	pt->ndevs = n;
	return 0;
}

static int rd_pair(struct rd *rd, struct json_object *o,
		   const struct aifabd_policy_part *pt,
		   struct aifabd_policy_pair *pr)
{
	struct json_object *v;
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return rd_fail(rd, "pairs", "an entry is not an object");
	ret = rd_name(rd, o, "src", pr->src);
	if (!ret)
		ret = rd_name(rd, o, "dst", pr->dst);
	if (ret)
		return ret;
	if (!rd_has_dev(pt, pr->src, pt->ndevs) ||
	    !rd_has_dev(pt, pr->dst, pt->ndevs) || !strcmp(pr->src, pr->dst))
		return rd_fail(rd, "pairs", "a pair of devices not both members");
	if (!json_object_object_get_ex(o, "path", &v))
		return rd_fail(rd, "pairs", "an entry has no path");
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    !rd_path_valid(json_object_get_string(v)))
		return rd_fail(rd, "pairs", "a path is not a list of link names");
	pr->path = strdup(json_object_get_string(v));
	return pr->path ? 0 : -ENOMEM;
}

static int rd_pairs(struct rd *rd, struct json_object *o,
		    struct aifabd_policy_part *pt)
{
	struct json_object *a;
	size_t i, n;
	int ret = rd_field(rd, o, "pairs", json_type_array, &a);

	if (ret)
		return ret;
	n = json_object_array_length(a);
	if (n > pt->ndevs * (pt->ndevs ? pt->ndevs - 1 : 0))
		return rd_fail(rd, "pairs", "more pairs than the members make");
	pt->pairs = calloc(n ? n : 1, sizeof(*pt->pairs));
	if (!pt->pairs)
		return -ENOMEM;
	for (i = 0; !ret && i < n; i++) {
		ret = rd_pair(rd, json_object_array_get_idx(a, i), pt,
			      &pt->pairs[i]);
		pt->npairs = i + 1;
	}
	return ret;
}

static int rd_detour(struct rd *rd, struct json_object *o,
		     struct aifabd_policy_part *pt)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, "detour", &v))
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    !rd_path_valid(json_object_get_string(v)))
		return rd_fail(rd, "detour", "not a list of link names");
	pt->detour = strdup(json_object_get_string(v));
	return pt->detour ? 0 : -ENOMEM;
}

static int rd_part(struct rd *rd, struct json_object *o,
		   struct aifabd_policy_part *pt)
{
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return rd_fail(rd, NULL, "not an object");
	ret = rd_name(rd, o, "name", pt->name);
	if (!ret)
		ret = rd_name(rd, o, "tenant", pt->tenant);
	if (!ret)
		ret = rd_hstate(rd, o, "state", &pt->state);
	if (!ret && pt->state == AIFABD_HSTATE_DAMPED)
		return rd_fail(rd, "state", "expected up, degraded or down");
	if (!ret)
		ret = rd_time(rd, o, "since_ms", &pt->since);
	if (!ret)
		ret = rd_str(rd, o, "why", pt->why, sizeof(pt->why));
	if (!ret)
		ret = rd_bool(rd, o, "policy_down", &pt->policy_down);
	if (!ret)
		ret = rd_devs(rd, o, pt);
	if (!ret)
		ret = rd_pairs(rd, o, pt);
	return ret ? ret : rd_detour(rd, o, pt);
}

static int rd_decision(struct rd *rd, struct json_object *o,
		       struct aifabd_action *a)
{
	unsigned int type = 0;
	int ret;

	if (!json_object_is_type(o, json_type_object))
		return rd_fail(rd, NULL, "not an object");
	ret = rd_time(rd, o, "time_ms", &a->time);
	if (!ret)
		ret = rd_enum(rd, o, "type", rd_type_names,
			      AIFAB_ARRAY_SIZE(rd_type_names), &type);
	if (!ret)
		ret = rd_bool(rd, o, "failed", &a->failed);
	if (!ret)
		ret = rd_str(rd, o, "subject", a->subject, sizeof(a->subject));
	if (!ret)
		ret = rd_str(rd, o, "decision", a->decision,
			     sizeof(a->decision));
	if (!ret)
		ret = rd_str(rd, o, "why", a->why, sizeof(a->why));
	a->type = (enum aifabd_action_type)type;
	return ret;
}

static int rd_links(struct rd *rd, struct json_object *a,
		    struct aifabd_policy *t)
{
	size_t i, j, n = json_object_array_length(a);
	int ret = 0;

	t->links = calloc(n ? n : 1, sizeof(*t->links));
	if (!t->links)
		return -ENOMEM;
	for (i = 0; !ret && i < n; i++) {
		rd_at(rd, "links", i);
		ret = rd_link(rd, json_object_array_get_idx(a, i),
			      &t->links[i]);
		for (j = 0; !ret && j < i; j++)
			if (!strcmp(t->links[i].name, t->links[j].name))
				ret = rd_fail(rd, "name", "repeated");
		t->nlinks = i + 1;
	}
	return ret;
}

static int rd_parts(struct rd *rd, struct json_object *a,
		    struct aifabd_policy *t)
{
	size_t i, j, n = json_object_array_length(a);
	int ret = 0;

	t->parts = calloc(n ? n : 1, sizeof(*t->parts));
	if (!t->parts)
		return -ENOMEM;
	for (i = 0; !ret && i < n; i++) {
		rd_at(rd, "partitions", i);
		t->nparts = i + 1;
		ret = rd_part(rd, json_object_array_get_idx(a, i),
			      &t->parts[i]);
		for (j = 0; !ret && j < i; j++)
			if (!strcmp(t->parts[i].name, t->parts[j].name))
				ret = rd_fail(rd, "name", "repeated");
	}
	return ret;
}

static int rd_decisions(struct rd *rd, struct json_object *a,
			struct aifabd_policy *t)
{
	struct aifabd_action d;
	size_t i, n = json_object_array_length(a);
	int ret = 0;

	if (n > AIFABD_POLICY_DECISIONS) {
		rd->where[0] = '\0';
		return rd_fail(rd, "decisions", "more than the ring holds");
	}
	for (i = 0; !ret && i < n; i++) {
		rd_at(rd, "decisions", i);
		d = (struct aifabd_action){ 0 };
		ret = rd_decision(rd, json_object_array_get_idx(a, i), &d);
		if (!ret)
			aifabd_policy_record(t, &d);
	}
	return ret;
}

static int rd_all(struct rd *rd, struct json_object *state,
		  struct aifabd_policy *t)
{
	struct json_object *links, *parts, *decs;
	int64_t version;
	int ret;

	rd->where[0] = '\0';
	if (!json_object_is_type(state, json_type_object))
		return rd_fail(rd, NULL, "not a JSON object");
	ret = rd_i64(rd, state, "version", 0, INT32_MAX, &version);
	if (!ret && version != AIFABD_POLICY_STATE_VERSION)
		return rd_fail(rd, "version", "not a version this aifabd reads");
	if (!ret)
		ret = rd_field(rd, state, "links", json_type_array, &links);
	if (!ret)
		ret = rd_field(rd, state, "partitions", json_type_array, &parts);
	if (!ret)
		ret = rd_field(rd, state, "decisions", json_type_array, &decs);
	if (!ret)
		ret = rd_links(rd, links, t);
	if (!ret)
		ret = rd_parts(rd, parts, t);
	return ret ? ret : rd_decisions(rd, decs, t);
}

/**
 * aifabd_policy_restore_json() - Replace the engine's state with a saved one.
 * @p: Engine; its ops and settings stay.
 * @state: The parsed state file.
 * @wall_offset: Wall-clock ms minus monotonic ms, now.
 * @err: Set to what is wrong, when something is.
 * @errlen: Size of @err.
 *
 * Call it before the first aifabd_policy_configure(), which then merges
 * the kernel's present state into what was restored.
 *
 * Return: 0; -EINVAL when the state is malformed (@p unchanged); -ENOMEM.
 */
int aifabd_policy_restore_json(struct aifabd_policy *p,
			       struct json_object *state, int64_t wall_offset,
			       char *err, size_t errlen)
{
	struct rd rd = { .err = err, .errlen = errlen, .off = wall_offset };
	struct aifabd_policy *t;
	int ret;

	if (errlen)
		*err = '\0';
	ret = aifabd_policy_new(&t, &p->ops);
	if (ret)
		return ret;
	ret = rd_all(&rd, state, t);
	if (ret == -ENOMEM && errlen)
		policy_fmt(err, errlen, "out of memory");
	if (!ret) {
		aifabd_policy_clear(p);
		p->links = t->links;
		p->nlinks = t->nlinks;
		p->parts = t->parts;
		p->nparts = t->nparts;
		for (size_t i = 0; i < AIFABD_POLICY_DECISIONS; i++)
			p->ring[i] = t->ring[i];
		p->ring_next = t->ring_next;
		p->ring_len = t->ring_len;
		t->links = NULL;
		t->parts = NULL;
		t->nlinks = 0;
		t->nparts = 0;
	}
	aifabd_policy_free(t);
	return ret;
}
