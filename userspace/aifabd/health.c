// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd's link health: the policy engine joined to netlink, the log and
 * the state file. How the daemon drives it is in health.h; the rules are in
 * policy.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "health.h"
#include "health_nl.h"
#include "log.h"
#include "policy_json.h"
#include "status.h"

struct aifabd_health {
	struct aifab_nl *nl;
	struct aifabd_policy *pol;
	struct aifabd_actions out;	/* of the call in progress */
};

static int health_route(void *ctx, const char *src, const char *dst,
			struct aifabd_route *rt)
{
	const struct aifabd_health *h = ctx;

	return aifabd_hnl_route(h->nl, src, dst, rt);
}

static int health_set_admin(void *ctx, const char *partition, bool up)
{
	const struct aifabd_health *h = ctx;

	return aifabd_hnl_set_admin(h->nl, partition, up);
}

/* Every decision of the last call, to the log; then forget them. */
static void health_log(struct aifabd_health *h)
{
	size_t i;
	int prio;

	for (i = 0; i < h->out.n; i++) {
		const struct aifabd_action *a = &h->out.v[i];

		if (a->failed)
			prio = LOG_ERR;
		else if (a->type == AIFABD_ACT_LOG)
			prio = LOG_WARNING;
		else
			prio = LOG_NOTICE;
		aifabd_log(prio, "%s: %s (%s)", a->subject, a->decision,
			   a->why);
	}
	h->out.n = 0;
}

/* Wall-clock ms minus monotonic ms: what converts one into the other. */
static int64_t health_wall_offset(void)
{
	struct timespec wall, mono;

	clock_gettime(CLOCK_REALTIME, &wall);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	return ((int64_t)wall.tv_sec - (int64_t)mono.tv_sec) * 1000 +
	       (wall.tv_nsec - mono.tv_nsec) / 1000000;
}

/**
 * aifabd_health_new() - Health, knowing no link or partition yet.
 * @hp: Set to the new handle.
 * @nl: Open client, not in the monitor group; it must outlive the handle.
 *
 * Return: 0, -EINVAL without @nl, or -ENOMEM.
 */
int aifabd_health_new(struct aifabd_health **hp, struct aifab_nl *nl)
{
	struct aifabd_policy_ops ops = { health_route, health_set_admin,
					 NULL };
	struct aifabd_health *h;
	int ret;

	*hp = NULL;
	if (!nl)
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->nl = nl;
	ops.ctx = h;
	ret = aifabd_policy_new(&h->pol, &ops);
	if (ret) {
		free(h);
		return ret;
	}
	*hp = h;
	return 0;
}

void aifabd_health_free(struct aifabd_health *h)
{
	if (!h)
		return;
	aifabd_policy_free(h->pol);
	aifabd_actions_free(&h->out);
	free(h);
}

/* The engine's view of the kernel's partitions; devs point into @act. */
static struct aifabd_policy_part_in *
health_parts_in(const struct aifabd_actual *act, const char ***devs)
{
	struct aifabd_policy_part_in *in;
	size_t i, j, n = 0, at = 0;

	for (i = 0; i < act->nparts; i++)
		n += act->parts[i].ndevs;
	in = calloc(act->nparts ? act->nparts : 1, sizeof(*in));
	*devs = calloc(n ? n : 1, sizeof(**devs));
	if (!in || !*devs) {
		free(in);
		free(*devs);
		*devs = NULL;
		return NULL;
	}
	for (i = 0; i < act->nparts; i++) {
		const struct aifabd_actual_part *p = &act->parts[i];

		for (j = 0; j < p->ndevs; j++)
			(*devs)[at + j] = p->devs[j];
		in[i] = (struct aifabd_policy_part_in){
			p->name, p->tenant, *devs + at, p->ndevs, p->admin_down,
		};
		at += p->ndevs;
	}
	return in;
}

static struct aifabd_policy_link_in *
health_links_in(const struct aifabd_actual *act,
		const struct aifabd_config *cfg)
{
	struct aifabd_policy_link_in *in;
	size_t i;

	in = calloc(act->nlinks ? act->nlinks : 1, sizeof(*in));
	for (i = 0; in && i < act->nlinks; i++)
		in[i] = (struct aifabd_policy_link_in){
			act->links[i].name,
			(enum aifab_link_state)act->links[i].state,
			aifabd_config_degrade_ppm(cfg, act->links[i].name),
		};
	return in;
}

static int health_feed(struct aifabd_health *h,
		       const struct aifabd_config *cfg,
		       const struct aifabd_actual *act, int64_t now)
{
	struct aifabd_policy_settings set = {
		cfg->health.on_link_down, cfg->health.flap_damping_ms,
	};
	struct aifabd_policy_link_in *links = health_links_in(act, cfg);
	const char **devs = NULL;
	struct aifabd_policy_part_in *parts = health_parts_in(act, &devs);
	int ret = -ENOMEM;

	if (links && parts)
		ret = aifabd_policy_configure(h->pol, &set, links, act->nlinks,
					      parts, act->nparts, now, &h->out);
	health_log(h);
	free(links);
	free(parts);
	free(devs);
	return ret;
}

/**
 * aifabd_health_configure() - Learn the fabric and settings now in force.
 * @h: Health.
 * @cfg: The configuration in force (its health section).
 * @act: The kernel's links and partitions, as a reconcile left them.
 * @now_ms: CLOCK_MONOTONIC, ms.
 *
 * Asks the route of every ordered pair of each partition's members, and
 * decides afresh for each partition. The links and partitions come from
 * the caller rather than a dump of health's own: the reconcile has just
 * read them.
 *
 * Return: 0, or a negative errno value (logged); on -EINVAL some link or
 * partition was malformed and left out, and the rest applies.
 */
int aifabd_health_configure(struct aifabd_health *h,
			    const struct aifabd_config *cfg,
			    const struct aifabd_actual *act, uint64_t now_ms)
{
	int ret;

	if (!h || !cfg || !act)
		return -EINVAL;
	ret = health_feed(h, cfg, act, (int64_t)now_ms);
	if (ret)
		aifabd_log(LOG_ERR, "health: configure: %s", strerror(-ret));
	else
		aifabd_log(LOG_INFO, "health: %zu links, %zu partitions, "
			   "on_link_down %s, flap damping %u ms", act->nlinks,
			   act->nparts,
			   aifabd_link_down_name(cfg->health.on_link_down),
			   cfg->health.flap_damping_ms);
	return ret;
}

/* An event the engine refuses (unknown link, bad state) is logged by it. */
void aifabd_health_link_event(struct aifabd_health *h, const char *link,
			      enum aifab_link_state state, uint64_t now_ms)
{
	if (!h)
		return;
	aifabd_policy_link_event(h->pol, link, (uint32_t)state,
				 (int64_t)now_ms, &h->out);
	health_log(h);
}

/* Return: the next deadline (CLOCK_MONOTONIC ms), or 0 for none. */
uint64_t aifabd_health_tick(struct aifabd_health *h, uint64_t now_ms)
{
	int64_t next = 0;

	if (!h)
		return 0;
	if (aifabd_policy_tick(h->pol, (int64_t)now_ms, &h->out, &next))
		aifabd_log(LOG_ERR, "health: tick: out of memory");
	health_log(h);
	return next > 0 ? (uint64_t)next : 0;
}

int aifabd_health_status_json(const struct aifabd_health *h,
			      struct json_object *root)
{
	if (!h || !root || !json_object_is_type(root, json_type_object))
		return -EINVAL;
	return aifabd_policy_status_json(h->pol, root, health_wall_offset());
}

/* Whole or not at all, as the status file is written. */
static int health_write(struct json_object *o, const char *path)
{
	const char *s = json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);

	return s ? aifabd_write_atomic(path, s, strlen(s), 0644) : -ENOMEM;
}

/**
 * aifabd_health_save() - Write the state file.
 * @h: Health.
 * @path: <state-dir>/health.json; replaced atomically.
 *
 * Return: 0, or a negative errno value (logged).
 */
int aifabd_health_save(const struct aifabd_health *h, const char *path)
{
	struct json_object *o;
	int ret;

	if (!h || !path)
		return -EINVAL;
	o = aifabd_policy_state_json(h->pol, health_wall_offset());
	ret = o ? health_write(o, path) : -ENOMEM;
	json_object_put(o);
	if (ret)
		aifabd_log(LOG_ERR, "health: saving %s: %s", path,
			   strerror(-ret));
	return ret;
}

/**
 * aifabd_health_restore() - Read the state file, before the first configure.
 * @h: Health.
 * @path: <state-dir>/health.json.
 *
 * A missing file is a fresh start. A file that cannot be read, is not
 * JSON or is not a state file is refused as a whole, with the reason
 * logged; health then starts afresh, as if there were none (the caller
 * need do nothing more, and the next save replaces the file).
 *
 * Return: 0 (restored, or nothing to restore), -EINVAL for a malformed
 * file, or another negative errno value when it could not be read.
 */
int aifabd_health_restore(struct aifabd_health *h, const char *path)
{
	struct json_object *o;
	char err[256];
	int fd, ret;

	if (!h || !path)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (ret == -ENOENT)
			return 0;
		aifabd_log(LOG_ERR, "health: %s: %s; starting afresh", path,
			   strerror(-ret));
		return ret;
	}
	o = json_object_from_fd(fd);
	close(fd);
	if (!o) {
		aifabd_log(LOG_ERR, "health: %s: not JSON (%s); starting afresh",
			   path, json_util_get_last_err() ?
			   json_util_get_last_err() : "empty");
		return -EINVAL;
	}
	ret = aifabd_policy_restore_json(h->pol, o, health_wall_offset(), err,
					 sizeof(err));
	json_object_put(o);
	if (ret)
		aifabd_log(LOG_ERR, "health: %s: %s; starting afresh", path,
			   err[0] ? err : strerror(-ret));
	else
		aifabd_log(LOG_INFO, "health: restored %s", path);
	return ret;
}
