/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the aifab selftests that need no netlink: the module
 * under test ($AIFAB_KO, set by tools/vm-run), debugfs and small files.
 */
#ifndef AIFAB_SELFTEST_HELPERS_H
#define AIFAB_SELFTEST_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DEBUGFS			"/sys/kernel/debug/aifab"
#define SYSFS_MODULE		"/sys/module/aifab"

/* Reads a whole small file into a NUL-terminated malloc'ed buffer. */
static inline char *read_text(const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* The count that a debugfs "<name> <count>" file shows for @key, or -1. */
static inline long debugfs_count(const char *file, const char *key)
{
	char path[128], name[32];
	char *text, *line, *save = NULL;
	long count = -1, n;

	snprintf(path, sizeof(path), DEBUGFS "/%s", file);
	text = read_text(path);
	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%31s %ld", name, &n) == 2 && !strcmp(name, key))
			count = n;
	free(text);
	return count;
}

/* The count debugfs "objects" shows for @type, or -1. */
static inline long objects_live(const char *type)
{
	return debugfs_count("objects", type);
}

/*
 * Waits for the @type counter to reach @want and returns its last value.
 * Deleted objects are freed after an RCU grace period, so their counters
 * drop a moment after the request that deleted them returned.
 */
static inline long objects_wait(const char *type, long want)
{
	long n = objects_live(type);
	int i;

	for (i = 0; i < 300 && n != want; i++) {
		usleep(10 * 1000);
		n = objects_live(type);
	}
	return n;
}

/* Writes "SRC DST" to debugfs traffic; returns 0 or the write's -errno. */
static inline int send_traffic(const char *src, const char *dst)
{
	char cmd[80];
	int fd, ret = 0;
	int len = snprintf(cmd, sizeof(cmd), "%s %s", src, dst);

	fd = open(DEBUGFS "/traffic", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, cmd, len) != len)
		ret = -errno;
	close(fd);
	return ret;
}

static inline bool module_loaded(void)
{
	return access(SYSFS_MODULE, F_OK) == 0;
}

static inline int module_unload(void)
{
	if (!module_loaded())
		return 0;
	return syscall(SYS_delete_module, "aifab", O_NONBLOCK) ? -errno : 0;
}

/* Loads $AIFAB_KO; returns 0 or the negative errno of finit_module(). */
static inline int module_load(const char *params)
{
	const char *ko = getenv("AIFAB_KO");
	int fd, ret;

	if (!ko)
		return -ENOENT;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

static inline int module_reload(const char *params)
{
	int ret = module_unload();

	return ret ? ret : module_load(params);
}

#endif /* AIFAB_SELFTEST_HELPERS_H */
