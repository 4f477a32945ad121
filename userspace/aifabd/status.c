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
#include "names.h"
#include "status.h"

const char *aifabd_link_state_name(uint32_t state)
{
	return AIFAB_ENUM_NAME(aifab_link_state_names, state);
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

/**
 * aifabd_json_add() - Attach a new value to an object.
 * @o: The object.
 * @key: Its key.
 * @v: The value, straight from its json_object_new_*(): json-c reports
 *	allocation failure by NULL, so the caller need not check it first.
 *
 * Shared by the status, daemon.json and health state documents, so that
 * each is built in one chain of calls that stops at the first failure.
 *
 * Return: 0, or -ENOMEM; then @v is released.
 */
int aifabd_json_add(struct json_object *o, const char *key,
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
	ret = aifabd_json_add(o, "time", status_time(st->last_time));
	if (!ret)
		ret = aifabd_json_add(o, "ok",
				      json_object_new_boolean(st->last_ok));
	if (!ret)
		ret = aifabd_json_add(o, "ops", json_object_new_int64(
					      (int64_t)st->last_ops));
	if (!ret && st->last_error)
		ret = aifabd_json_add(o, "error",
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
	ret = aifabd_json_add(root, "version",
			      json_object_new_int(AIFABD_STATUS_VERSION));
	if (!ret)
		ret = aifabd_json_add(root, "pid",
				      json_object_new_int(st->pid));
	if (!ret)
		ret = aifabd_json_add(root, "config",
				      json_object_new_string(st->config));
	if (!ret)
		ret = aifabd_json_add(root, "config_loaded",
				      status_time(st->config_loaded));
	if (!ret)
		ret = aifabd_json_add(root, "reconciles", json_object_new_int64(
					      (int64_t)st->reconciles));
	if (!ret && st->reconciled)
		ret = aifabd_json_add(root, "last_reconcile",
				      status_last(st));
	else if (!ret)
		ret = json_object_object_add(root, "last_reconcile", NULL) ?
		      -ENOMEM : 0;
	if (ret) {
		json_object_put(root);
		return NULL;
	}
	return root;
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
