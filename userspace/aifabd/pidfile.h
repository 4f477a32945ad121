/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <run-dir>/aifabd.pid: one aifabd per run directory. The file is locked
 * with flock() for the daemon's whole life, so that a stale file left by a
 * crash never blocks a start, and two daemons can never both believe they
 * own it: the lock, not the number in the file, decides.
 */
#ifndef AIFABD_PIDFILE_H
#define AIFABD_PIDFILE_H

#include <stddef.h>
#include <sys/types.h>

int aifabd_pidfile_lock(const char *path, int *fd, char *err, size_t errlen);
int aifabd_pidfile_write(int fd, pid_t pid);
void aifabd_pidfile_release(const char *path, int fd);

#endif /* AIFABD_PIDFILE_H */
