// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd's pid file; see pidfile.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fmt.h"
#include "pidfile.h"

/* The number the holder wrote, for the message; 0 if none yet. */
static long pidfile_holder(int fd)
{
	char buf[24];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/**
 * aifabd_pidfile_lock() - Take the pid file, or say who has it.
 * @path: The file; created (0644) if missing.
 * @fd: Set to the open, locked file; keep it open to keep the lock.
 * @err: Set to why not, on failure.
 * @errlen: Size of @err.
 *
 * Return: 0, -EWOULDBLOCK when another live process holds it, or another
 * negative errno value.
 */
int aifabd_pidfile_lock(const char *path, int *fd, char *err, size_t errlen)
{
	int ret;

	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0) {
		ret = -errno;
		aifab_fmt(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (!flock(*fd, LOCK_EX | LOCK_NB))
		return 0;
	ret = -errno;
	if (ret == -EWOULDBLOCK) {
		long pid = pidfile_holder(*fd);

		aifab_fmt(err, errlen, "another aifabd (pid %ld) is running: "
			 "%s is locked", pid, path);
	} else {
		aifab_fmt(err, errlen, "%s: locking: %s", path, strerror(-ret));
	}
	close(*fd);
	*fd = -1;
	return ret;
}

/* Return: 0 or a negative errno value. */
int aifabd_pidfile_write(int fd, pid_t pid)
{
	char buf[24];
	int n = aifab_fmt(buf, sizeof(buf), "%ld\n", (long)pid);

	if (ftruncate(fd, 0))
		return -errno;
	if (pwrite(fd, buf, n, 0) != n)
		return -EIO;
	return fsync(fd) ? -errno : 0;
}

/* Removed while still locked, so that no newcomer's file is removed. */
void aifabd_pidfile_release(const char *path, int fd)
{
	if (fd < 0)
		return;
	unlink(path);
	close(fd);
}
