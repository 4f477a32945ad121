// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd's part of the device-node permissions; see udev.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "str.h"
#include "udev.h"

#define UDEV_TENANTS_DIR	"tenants"

/* The classes of aifab's device nodes: accelerators (old and new), uverbs. */
static const char *const udev_node_classes[] = {
	"accel", "drm", "infiniband_verbs",
};

/* Tenants whose file appeared, changed or went. */
struct udev_changed {
	char (*names)[AIFAB_NAME_MAX];
	size_t n;
	size_t cap;
};

static int udev_changed_add(struct udev_changed *c, const char *name)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		void *p = realloc(c->names, cap * sizeof(*c->names));

		if (!p)
			return -ENOMEM;
		c->names = p;
		c->cap = cap;
	}
	/* Longer names are no tenant's: udev_remove_stale() skips them. */
	if (aifab_strscpy(c->names[c->n], name, AIFAB_NAME_MAX) < 0)
		return 0;
	c->n++;
	return 0;
}

static bool udev_changed_has(const struct udev_changed *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->names[i], name))
			return true;
	return false;
}

/* A path, allocated; NULL (and a message) without memory. */
static char *__attribute__((format(printf, 1, 2)))
udev_path(const char *fmt, ...)
{
	char *path;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&path, fmt, ap);
	va_end(ap);
	if (len < 0) {
		aifabd_log(LOG_ERR, "udev: out of memory");
		return NULL;
	}
	return path;
}

static int udev_fail(const char *what, const char *dir, const char *name,
		     int err)
{
	aifabd_log(LOG_ERR, "udev: %s %s%s%s: %s", what, dir, name ? "/" : "",
		   name ? name : "", strerror(err));
	return -err;
}

static int udev_mkdir(const char *path)
{
	if (mkdir(path, 0755) && errno != EEXIST)
		return udev_fail("cannot make", path, NULL, errno);
	return 0;
}

/* The file's whole content if it is a regular file of at most @size - 1. */
static bool udev_read_small(int dirfd, const char *name, char *buf,
			    size_t size)
{
	ssize_t len;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	len = read(fd, buf, size);
	close(fd);
	if (len < 0 || (size_t)len >= size)
		return false;
	buf[len] = '\0';
	return true;
}

static int udev_write_all(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t w = write(fd, s, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Replace TENANT's file with @content: a temporary file, then rename. */
static int udev_write_tenant(int dirfd, const char *dir, const char *tenant,
			     const char *content)
{
	char *tmp = udev_path(".%s.tmp", tenant);
	int fd, ret;

	if (!tmp)
		return -ENOMEM;
	/* A temporary file left by a crash goes first. */
	if (unlinkat(dirfd, tmp, 0) && errno != ENOENT) {
		ret = udev_fail("cannot remove", dir, tmp, errno);
		goto out;
	}
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = udev_fail("cannot create", dir, tmp, errno);
		goto out;
	}
	ret = udev_write_all(fd, content);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (ret) {
		unlinkat(dirfd, tmp, 0);
		ret = udev_fail("cannot write", dir, tmp, -ret);
		goto out;
	}
	if (renameat(dirfd, tmp, dirfd, tenant)) {
		ret = udev_fail("cannot replace", dir, tenant, errno);
		unlinkat(dirfd, tmp, 0);
	}
out:
	free(tmp);
	return ret;
}

/* Write the file of one tenant with a group, unless it is right already. */
static int udev_write_one(int dirfd, const char *dir,
			  const struct aifabd_tenant *t,
			  struct udev_changed *changed)
{
	/* "AIFAB_GROUP=", a group name, a newline, and one more to tell. */
	char have[sizeof("AIFAB_GROUP=") + AIFAB_NAME_MAX + 1];
	char *want;
	int ret;

	/* "." and ".." are directories; dot files are temporary. */
	if (t->name[0] == '.') {
		aifabd_log(LOG_ERR,
			   "udev: tenant \"%s\": a name that starts with '.' cannot have a group file",
			   t->name);
		return -EINVAL;
	}
	want = udev_path("AIFAB_GROUP=%s\n", t->group);
	if (!want)
		return -ENOMEM;
	if (udev_read_small(dirfd, t->name, have, sizeof(have)) &&
	    !strcmp(have, want)) {
		free(want);
		return 0;
	}
	ret = udev_write_tenant(dirfd, dir, t->name, want);
	free(want);
	if (!ret)
		ret = udev_changed_add(changed, t->name);
	if (!ret)
		aifabd_log(LOG_NOTICE, "udev: tenant %s: group %s", t->name,
			   t->group);
	return ret;
}

static int udev_write_tenants(const struct aifabd_config *cfg, int dirfd,
			      const char *dir, struct udev_changed *changed)
{
	size_t i;
	int ret;

	for (i = 0; i < cfg->ntenants; i++) {
		if (!cfg->tenants[i].group[0])
			continue;
		ret = udev_write_one(dirfd, dir, &cfg->tenants[i], changed);
		if (ret)
			return ret;
	}
	return 0;
}

static bool udev_tenant_has_group(const struct aifabd_config *cfg,
				  const char *name)
{
	const struct aifabd_tenant *t = aifabd_config_tenant(cfg, name);

	return t && t->group[0];
}

/* Remove every file but those of configured tenants with a group. */
static int udev_remove_stale(const struct aifabd_config *cfg, int dirfd,
			     const char *dir, struct udev_changed *changed)
{
	const struct dirent *de;
	int ret = 0, fd;
	DIR *d;

	fd = dup(dirfd);
	if (fd < 0)
		return udev_fail("cannot read", dir, NULL, errno);
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return udev_fail("cannot read", dir, NULL, errno);
	}
	while (!ret && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (de->d_name[0] != '.' &&
		    udev_tenant_has_group(cfg, de->d_name))
			continue;
		if (unlinkat(dirfd, de->d_name, 0) && errno != ENOENT) {
			ret = udev_fail("cannot remove", dir, de->d_name, errno);
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		aifabd_log(LOG_NOTICE, "udev: tenant %s: no group", de->d_name);
		ret = udev_changed_add(changed, de->d_name);
	}
	closedir(d);
	return ret;
}

/* Write "change" to the uevent file of node @name of class @cls. */
static int udev_trigger(const char *sysfs, const char *cls, const char *name)
{
	char *path = udev_path("%s/class/%s/%s/uevent", sysfs, cls, name);
	int fd, err;

	if (!path)
		return -ENOMEM;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	err = fd < 0 ? -errno : udev_write_all(fd, "change");
	if (fd >= 0 && close(fd) && !err)
		err = -errno;
	if (err)
		udev_fail("cannot write", path, NULL, -err);
	free(path);
	return err;
}

/* The tenant of node @name of class @cls, or "" if not one of aifab's. */
static void udev_node_tenant(const char *sysfs, const char *cls,
			     const char *name, char *tenant, size_t size)
{
	char *path = udev_path("%s/class/%s/%s/device/aifab_tenant", sysfs, cls,
			       name);

	tenant[0] = '\0';
	if (path && udev_read_small(AT_FDCWD, path, tenant, size))
		tenant[strcspn(tenant, "\n")] = '\0';
	else
		tenant[0] = '\0';
	free(path);
}

/* "change" to the uevent file of each node whose tenant changed. */
static int udev_retrigger(const char *sysfs, const struct udev_changed *changed)
{
	char tenant[AIFAB_NAME_MAX + 1];
	const struct dirent *de;
	int ret = 0, err;
	size_t i;

	for (i = 0; i < sizeof(udev_node_classes) / sizeof(udev_node_classes[0]);
	     i++) {
		const char *cls = udev_node_classes[i];
		char *path = udev_path("%s/class/%s", sysfs, cls);
		DIR *d;

		if (!path)
			return -ENOMEM;
		d = opendir(path);
		/* No such class: its driver is not loaded. */
		if (!d && errno != ENOENT)
			ret = ret ?: udev_fail("cannot read", path, NULL, errno);
		free(path);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			udev_node_tenant(sysfs, cls, de->d_name, tenant,
					 sizeof(tenant));
			if (!tenant[0] || !udev_changed_has(changed, tenant))
				continue;
			err = udev_trigger(sysfs, cls, de->d_name);
			ret = ret ?: err;
		}
		closedir(d);
	}
	return ret;
}

int aifabd_udev_sync_at(const struct aifabd_config *cfg, const char *rundir,
			const char *sysfs)
{
	struct udev_changed changed = { 0 };
	int dirfd, ret;
	char *dir;

	ret = udev_mkdir(rundir);
	if (ret)
		return ret;
	dir = udev_path("%s/%s", rundir, UDEV_TENANTS_DIR);
	if (!dir)
		return -ENOMEM;
	ret = udev_mkdir(dir);
	if (ret)
		goto out;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		ret = udev_fail("cannot open", dir, NULL, errno);
		goto out;
	}
	ret = udev_write_tenants(cfg, dirfd, dir, &changed);
	if (!ret)
		ret = udev_remove_stale(cfg, dirfd, dir, &changed);
	close(dirfd);
	if (!ret && changed.n)
		ret = udev_retrigger(sysfs, &changed);
out:
	free(changed.names);
	free(dir);
	return ret;
}

int aifabd_udev_sync(const struct aifabd_config *cfg, const char *rundir)
{
	return aifabd_udev_sync_at(cfg, rundir, "/sys");
}
