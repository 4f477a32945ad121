// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd's status document; see status.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/aifab.h>

#include "fmt.h"
#include "../aifabctl/ctl.h"
#include "status.h"

const char *aifabd_link_state_name(uint32_t state)
{
	return ctl_enum_name(ctl_link_state_names,
			     CTL_ARRAY_SIZE(ctl_link_state_names), state);
}

static struct aifabd_seen *seen_find(struct aifabd_seen_tab *tab,
				     const char *name)
{
	size_t i;

	for (i = 0; i < tab->n; i++)
		if (!strcmp(tab->v[i].name, name))
			return &tab->v[i];
	return NULL;
}

/* Record @name in @state; "since" moves only when the state changes. */
static struct aifabd_seen *seen_put(struct aifabd_seen_tab *tab,
				    const char *name, const char *state,
				    time_t now, bool *changed)
{
	struct aifabd_seen *s = seen_find(tab, name);

	if (!s) {
		if (ctl_grow(&tab->v, &tab->cap, tab->n, sizeof(*s)))
			return NULL;
		s = &tab->v[tab->n++];
		*s = (struct aifabd_seen){ .state = NULL };
		ctl_strscpy(s->name, name, sizeof(s->name));
	}
	if (!s->state || strcmp(s->state, state)) {
		s->state = state;
		s->since = now;
		*changed = true;
	}
	return s;
}

/* Drop the entries whose name @keep does not find in @act. */
static bool seen_prune(struct aifabd_seen_tab *tab,
		       const struct aifabd_actual *act,
		       bool (*keep)(const struct aifabd_actual *act,
				    const char *name))
{
	size_t i, j = 0;
	bool changed = false;

	for (i = 0; i < tab->n; i++) {
		if (keep(act, tab->v[i].name))
			tab->v[j++] = tab->v[i];
		else
			changed = true;
	}
	tab->n = j;
	return changed;
}

static bool seen_has_link(const struct aifabd_actual *act, const char *name)
{
	size_t i;

	for (i = 0; i < act->nlinks; i++)
		if (!strcmp(act->links[i].name, name))
			return true;
	return false;
}

static bool seen_has_part(const struct aifabd_actual *act, const char *name)
{
	size_t i;

	for (i = 0; i < act->nparts; i++)
		if (!strcmp(act->parts[i].name, name))
			return true;
	return false;
}

/**
 * aifabd_seen_links() - Follow the links of a snapshot.
 * @tab: What aifabd saw so far; updated.
 * @act: The snapshot.
 * @now: Its time.
 *
 * Return: 1 if anything changed, 0 if not, or -ENOMEM.
 */
int aifabd_seen_links(struct aifabd_seen_tab *tab,
		      const struct aifabd_actual *act, time_t now)
{
	bool changed = seen_prune(tab, act, seen_has_link);
	size_t i;

	for (i = 0; i < act->nlinks; i++)
		if (!seen_put(tab, act->links[i].name,
			      aifabd_link_state_name(act->links[i].state), now,
			      &changed))
			return -ENOMEM;
	return changed;
}

/**
 * aifabd_seen_parts() - Follow the partitions of a snapshot.
 * @tab: What aifabd saw so far; updated.
 * @act: The snapshot.
 * @now: Its time.
 *
 * A partition is "up" while it exists; one deleted and made again under
 * the same name within one snapshot's time keeps its "since".
 *
 * Return: 1 if anything changed, 0 if not, or -ENOMEM.
 */
int aifabd_seen_parts(struct aifabd_seen_tab *tab,
		      const struct aifabd_actual *act, time_t now)
{
	bool changed = seen_prune(tab, act, seen_has_part);
	size_t i;

	for (i = 0; i < act->nparts; i++) {
		struct aifabd_seen *s = seen_put(tab, act->parts[i].name, "up",
						 now, &changed);

		if (!s)
			return -ENOMEM;
		if (strcmp(s->tenant, act->parts[i].tenant)) {
			ctl_strscpy(s->tenant, act->parts[i].tenant,
				    sizeof(s->tenant));
			changed = true;
		}
	}
	return changed;
}

/**
 * aifabd_seen_link_state() - Follow a link-state event.
 * @tab: What aifabd saw so far; updated.
 * @name: The link.
 * @state: Its new state, enum aifab_link_state.
 * @now: When the event came.
 *
 * Return: 1 if anything changed, 0 if not, or -ENOMEM.
 */
int aifabd_seen_link_state(struct aifabd_seen_tab *tab, const char *name,
			   uint32_t state, time_t now)
{
	bool changed = false;

	if (!seen_put(tab, name, aifabd_link_state_name(state), now, &changed))
		return -ENOMEM;
	return changed;
}

void aifabd_seen_free(struct aifabd_seen_tab *tab)
{
	free(tab->v);
	*tab = (struct aifabd_seen_tab){ 0 };
}

/* "2025-01-31T12:00:00Z"; Return: 0, or -EINVAL. */
int aifabd_time_iso(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return -EINVAL;
	return 0;
}

/* json-c reports allocation failure by NULL; this keeps the checks short. */
static int status_add(struct json_object *o, const char *key,
		      struct json_object *v)
{
	if (!v)
		return -ENOMEM;
	if (json_object_object_add(o, key, v)) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
}

static struct json_object *status_time(time_t t)
{
	char buf[32];

	if (aifabd_time_iso(t, buf, sizeof(buf)))
		return NULL;
	return json_object_new_string(buf);
}

static struct json_object *status_last(const struct aifabd_status *st)
{
	struct json_object *o = json_object_new_object();
	int ret;

	if (!o)
		return NULL;
	ret = status_add(o, "time", status_time(st->last_time));
	if (!ret)
		ret = status_add(o, "ok", json_object_new_boolean(st->last_ok));
	if (!ret)
		ret = status_add(o, "ops", json_object_new_int64(
					 (int64_t)st->last_ops));
	if (!ret && st->last_error)
		ret = status_add(o, "error",
				 json_object_new_string(st->last_error));
	else if (!ret)
		ret = json_object_object_add(o, "error", NULL) ? -ENOMEM : 0;
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/**
 * aifabd_status_json() - The status document's header.
 * @st: What it says.
 *
 * Return: A new object with everything but the "links", "partitions" and
 * "decisions" arrays, or NULL without memory.
 */
struct json_object *aifabd_status_json(const struct aifabd_status *st)
{
	struct json_object *root = json_object_new_object();
	int ret;

	if (!root)
		return NULL;
	ret = status_add(root, "version",
			 json_object_new_int(AIFABD_STATUS_VERSION));
	if (!ret)
		ret = status_add(root, "pid", json_object_new_int(st->pid));
	if (!ret)
		ret = status_add(root, "config",
				 json_object_new_string(st->config));
	if (!ret)
		ret = status_add(root, "config_loaded",
				 status_time(st->config_loaded));
	if (!ret)
		ret = status_add(root, "reconciles",
				 json_object_new_int64((int64_t)st->reconciles));
	if (!ret && st->reconciled)
		ret = status_add(root, "last_reconcile", status_last(st));
	else if (!ret)
		ret = json_object_object_add(root, "last_reconcile", NULL) ?
		      -ENOMEM : 0;
	if (ret) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

static struct json_object *status_seen(const struct aifabd_seen *s,
				       bool part)
{
	struct json_object *o = json_object_new_object();
	char why[64];
	int ret;

	if (!o)
		return NULL;
	if (part)
		aifab_fmt(why, sizeof(why), "configured");
	else
		aifab_fmt(why, sizeof(why), "kernel reports %s", s->state);
	ret = status_add(o, "name", json_object_new_string(s->name));
	if (!ret && part)
		ret = status_add(o, "tenant", json_object_new_string(s->tenant));
	if (!ret)
		ret = status_add(o, "state", json_object_new_string(s->state));
	if (!ret)
		ret = status_add(o, "since", status_time(s->since));
	if (!ret)
		ret = status_add(o, "why", json_object_new_string(why));
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *status_tab(const struct aifabd_seen_tab *tab,
				      bool part)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; a && i < tab->n; i++) {
		struct json_object *o = status_seen(&tab->v[i], part);
		if (!o || json_object_array_add(a, o)) {
			json_object_put(o);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

/**
 * aifabd_status_kernel_view() - Add "links", "partitions" and "decisions"
 *	as aifabd saw the kernel, until a health engine decides them.
 * @links: Links, with the state the kernel reported.
 * @parts: Partitions.
 * @root: The document from aifabd_status_json().
 *
 * "decisions" is empty: nothing but the configuration decided anything.
 *
 * Return: 0 or -ENOMEM.
 */
int aifabd_status_kernel_view(const struct aifabd_seen_tab *links,
			      const struct aifabd_seen_tab *parts,
			      struct json_object *root)
{
	int ret = status_add(root, "links", status_tab(links, false));

	if (!ret)
		ret = status_add(root, "partitions", status_tab(parts, true));
	if (!ret)
		ret = status_add(root, "decisions", json_object_new_array());
	return ret;
}

static int status_write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= n;
	}
	return 0;
}

/**
 * aifabd_write_atomic() - Replace a file so that readers see the old
 *	content or the new, never a part.
 * @path: The file.
 * @data: Its new content.
 * @len: Its length.
 * @mode: Its permissions (the umask does not apply).
 *
 * Writes PATH.tmp, syncs it, and renames it over @path.
 *
 * Return: 0 or a negative errno value; @path is then unchanged.
 */
int aifabd_write_atomic(const char *path, const char *data, size_t len,
			mode_t mode)
{
	char tmp[PATH_MAX];
	int fd, ret, n;

	n = aifab_fmt(tmp, sizeof(tmp), "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	ret = fchmod(fd, mode) ? -errno : 0;
	if (!ret)
		ret = status_write_all(fd, data, len);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}
