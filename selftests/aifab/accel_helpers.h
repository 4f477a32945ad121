/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the accelerator selftests: finding and opening the DRM
 * devices, thin wrappers of their ioctls and of DRM's GEM, PRIME and
 * syncobj ioctls (each returns 0 or -errno), command builders, and the
 * aifabctl calls that change the fabric under a test (partitions, link
 * states and faults, the event monitor).
 */
#ifndef AIFAB_ACCEL_HELPERS_H
#define AIFAB_ACCEL_HELPERS_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <drm/drm.h>
#include <linux/sync_file.h>

#include <linux/aifab_accel.h>

#include "aifab_helpers.h"

#define SYSFS_DEV		"/sys/class/aifab_dev"
#define SYSFS_LINK		"/sys/class/aifab_link"
#define KiB			(1024ULL)
#define MiB			(1024ULL * 1024)
#define GiB			(1024ULL * MiB)

/* What run_job() returns when the submit ioctl itself failed: this + errno. */
#define SUBMIT_FAILED		100000
/* Longest path route_cut() reads. */
#define ROUTE_HOPS_MAX		32

static inline int xioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret ? -errno : 0;
}

static inline int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Reads the first line of a small file, without its newline; -errno. */
static inline int read_line(const char *path, char *buf, size_t len)
{
	char *text = read_text(path);

	if (!text)
		return -errno ? -errno : -EIO;
	snprintf(buf, len, "%s", text);
	buf[strcspn(buf, "\n")] = '\0';
	free(text);
	return 0;
}

/* ---- finding the devices ---- */

/* The driver name DRM_IOCTL_VERSION reports on @fd, in @name. */
static inline int drm_driver_name(int fd, char *name, size_t len)
{
	struct drm_version v;
	int ret;

	memset(&v, 0, sizeof(v));
	memset(name, 0, len);
	v.name = name;
	v.name_len = len - 1;
	ret = xioctl(fd, DRM_IOCTL_VERSION, &v);
	name[len - 1] = '\0';
	return ret;
}

static inline int accel_info(int fd, struct drm_aifab_accel_info *info)
{
	memset(info, 0, sizeof(*info));
	return xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_INFO, info);
}

/* Looks at every DRM node for the aifab device named @name. */
static inline int accel_scan_node(const char *name, char *path, size_t len)
{
	static const char * const dirs[] = { "/dev/accel", "/dev/dri" };
	struct drm_aifab_accel_info info;
	char drv[64], p[256 + 16];
	struct dirent *de;
	unsigned int i;
	int fd, found = -ENOENT;
	DIR *d;

	for (i = 0; i < 2 && found; i++) {
		d = opendir(dirs[i]);
		if (!d)
			continue;
		while (found && (de = readdir(d))) {
			if (strncmp(de->d_name, "accel", 5) &&
			    strncmp(de->d_name, "renderD", 7))
				continue;
			snprintf(p, sizeof(p), "%s/%.255s", dirs[i], de->d_name);
			fd = open(p, O_RDWR | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (!drm_driver_name(fd, drv, sizeof(drv)) &&
			    !strcmp(drv, "aifab") && !accel_info(fd, &info) &&
			    !strcmp(info.name, name)) {
				snprintf(path, len, "%.*s", (int)len - 1, p);
				found = 0;
			}
			close(fd);
		}
		closedir(d);
	}
	return found;
}

/*
 * The DRM node of fabric device @name: what its sysfs dev_node says, or,
 * when that file is missing, what a scan of the DRM nodes finds.
 */
static inline int accel_node(const char *name, char *path, size_t len)
{
	char sys[128];
	int ret;

	snprintf(sys, sizeof(sys), SYSFS_DEV "/%s/dev_node", name);
	ret = read_line(sys, path, len);
	if (ret == -ENOENT)
		return accel_scan_node(name, path, len);
	if (!ret && !path[0])
		ret = -ENODEV;
	return ret;
}

static inline int accel_open(const char *name)
{
	char path[256];
	int fd, ret;

	ret = accel_node(name, path, sizeof(path));
	if (ret)
		return ret;
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* ---- buffer objects ---- */

static inline int bo_create(int fd, uint64_t size, uint32_t *handle)
{
	struct drm_aifab_accel_bo_create c = { .size = size };
	int ret = xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_BO_CREATE, &c);

	*handle = ret ? 0 : c.handle;
	return ret;
}

static inline int bo_info(int fd, uint32_t handle,
			  struct drm_aifab_accel_bo_info *bi)
{
	memset(bi, 0, sizeof(*bi));
	bi->handle = handle;
	return xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_BO_INFO, bi);
}

static inline int bo_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	return xioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

/* Maps a whole object through the device file; NULL on failure. */
static inline void *bo_map(int fd, uint32_t handle, uint64_t size)
{
	struct drm_aifab_accel_bo_info bi;
	void *p;

	if (bo_info(fd, handle, &bi))
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 bi.mmap_offset);
	return p == MAP_FAILED ? NULL : p;
}

/* Creates an object and maps it; 0 or -errno. */
static inline int bo_new(int fd, uint64_t size, uint32_t *handle, void **map)
{
	int ret = bo_create(fd, size, handle);

	if (ret)
		return ret;
	*map = bo_map(fd, *handle, size);
	if (!*map) {
		ret = -errno;
		bo_close(fd, *handle);
		*handle = 0;
	}
	return ret;
}

static inline int prime_export(int fd, uint32_t handle, int *dmabuf)
{
	struct drm_prime_handle p = {
		.handle = handle, .flags = DRM_CLOEXEC | DRM_RDWR, .fd = -1,
	};
	int ret = xioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);

	*dmabuf = ret ? -1 : p.fd;
	return ret;
}

static inline int prime_import(int fd, int dmabuf, uint32_t *handle)
{
	struct drm_prime_handle p = { .fd = dmabuf };
	int ret = xioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);

	*handle = ret ? 0 : p.handle;
	return ret;
}

/* Exports @handle of @from and imports it into @to; 0 or -errno. */
static inline int bo_share(int from, uint32_t handle, int to, uint32_t *out)
{
	int dmabuf, ret;

	ret = prime_export(from, handle, &dmabuf);
	if (ret)
		return ret;
	ret = prime_import(to, dmabuf, out);
	close(dmabuf);
	return ret;
}

/* ---- syncobjs and fences ---- */

static inline int syncobj_create(int fd, uint32_t flags, uint32_t *handle)
{
	struct drm_syncobj_create c = { .flags = flags };
	int ret = xioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &c);

	*handle = ret ? 0 : c.handle;
	return ret;
}

static inline int syncobj_destroy(int fd, uint32_t handle)
{
	struct drm_syncobj_destroy d = { .handle = handle };

	return xioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
}

/* Waits for all of @n syncobjs, @timeout_ms from now (< 0: forever). */
static inline int syncobj_wait(int fd, const uint32_t *handles, uint32_t n,
			       int timeout_ms, uint32_t flags)
{
	struct drm_syncobj_wait w;

	memset(&w, 0, sizeof(w));
	w.handles = (uintptr_t)handles;
	w.count_handles = n;
	w.flags = flags | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
	w.timeout_nsec = timeout_ms < 0 ? INT64_MAX :
			 now_ns() + (int64_t)timeout_ms * 1000000;
	return xioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

/* Takes the fence out of a syncobj. */
static inline int syncobj_reset(int fd, uint32_t handle)
{
	struct drm_syncobj_array a = {
		.handles = (uintptr_t)&handle, .count_handles = 1,
	};

	return xioctl(fd, DRM_IOCTL_SYNCOBJ_RESET, &a);
}

/* True when @handle holds a fence (signalled or not). */
static inline bool syncobj_has_fence(int fd, uint32_t handle)
{
	return syncobj_wait(fd, &handle, 1, 0, 0) != -EINVAL;
}

/* Status of a sync_file: 1 signalled, 0 pending, or the fence's -errno. */
static inline int sync_file_status(int sfd, int *status)
{
	struct sync_file_info info;

	memset(&info, 0, sizeof(info));
	if (xioctl(sfd, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	*status = info.status;
	return 0;
}

static inline int syncobj_export_sync_file(int fd, uint32_t handle, int *sfd)
{
	struct drm_syncobj_handle h = {
		.handle = handle,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
		.fd = -1,
	};
	int ret = xioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h);

	*sfd = ret ? -1 : h.fd;
	return ret;
}

/*
 * Waits up to @timeout_ms for the fence of syncobj @handle and reads its
 * status through a sync_file. Returns 0 when it signalled without error,
 * the fence's error (-EACCES, -ETIMEDOUT...), or a positive errno when
 * the wait or the reading failed (ETIME: still not signalled).
 */
static inline int fence_result(int fd, uint32_t handle, int timeout_ms)
{
	int sfd, status = 0, ret;

	ret = syncobj_wait(fd, &handle, 1, timeout_ms,
			   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT);
	if (ret)
		return -ret;
	ret = syncobj_export_sync_file(fd, handle, &sfd);
	if (ret)
		return -ret;
	ret = sync_file_status(sfd, &status);
	close(sfd);
	if (ret)
		return -ret;
	return status == 1 ? 0 : status < 0 ? status : ETIME;
}

/* Like fence_result(), for a sync_file: poll()s it up to @timeout_ms. */
static inline int sync_file_result(int sfd, int timeout_ms)
{
	struct pollfd p = { .fd = sfd, .events = POLLIN };
	int status = 0, ret;

	ret = poll(&p, 1, timeout_ms);
	if (ret < 0)
		return errno;
	if (!ret)
		return ETIME;
	ret = sync_file_status(sfd, &status);
	if (ret)
		return -ret;
	return status == 1 ? 0 : status < 0 ? status : ETIME;
}

/* ---- commands and jobs ---- */

static inline struct drm_aifab_accel_cmd cmd_copy(uint32_t dst, uint64_t doff,
						  uint32_t src, uint64_t soff,
						  uint64_t len)
{
	struct drm_aifab_accel_cmd c = {
		.op = AIFAB_ACCEL_OP_COPY, .dst = dst, .src = src,
		.dst_offset = doff, .src_offset = soff, .length = len,
	};
	return c;
}

static inline struct drm_aifab_accel_cmd cmd_fill(uint32_t dst, uint64_t off,
						  uint64_t len, uint32_t pattern)
{
	struct drm_aifab_accel_cmd c = {
		.op = AIFAB_ACCEL_OP_FILL, .dst = dst, .dst_offset = off,
		.length = len, .pattern = pattern,
	};
	return c;
}

static inline struct drm_aifab_accel_cmd cmd_reduce(uint32_t dst, uint64_t doff,
						    uint32_t src, uint64_t soff,
						    uint64_t len, uint32_t dtype,
						    uint32_t op)
{
	struct drm_aifab_accel_cmd c = {
		.op = AIFAB_ACCEL_OP_REDUCE, .dst = dst, .src = src,
		.dst_offset = doff, .src_offset = soff, .length = len,
		.dtype = dtype, .reduce_op = op,
	};
	return c;
}

static inline struct drm_aifab_accel_cmd cmd_wait(uint32_t syncobj)
{
	struct drm_aifab_accel_cmd c = {
		.op = AIFAB_ACCEL_OP_WAIT, .dst = syncobj,
	};
	return c;
}

static inline struct drm_aifab_accel_cmd cmd_signal(uint32_t syncobj)
{
	struct drm_aifab_accel_cmd c = {
		.op = AIFAB_ACCEL_OP_SIGNAL, .dst = syncobj,
	};
	return c;
}

static inline int submit_raw(int fd, struct drm_aifab_accel_submit *s)
{
	return xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_SUBMIT, s);
}

/* Queues a job; 0 or -errno. @job_id may be NULL. */
static inline int submit(int fd, uint32_t engine,
			 const struct drm_aifab_accel_cmd *cmds, uint32_t ncmds,
			 const uint32_t *in, uint32_t nin, uint32_t out,
			 uint32_t timeout_ms, uint64_t *job_id)
{
	struct drm_aifab_accel_submit s;
	int ret;

	memset(&s, 0, sizeof(s));
	s.cmds = (uintptr_t)cmds;
	s.ncmds = ncmds;
	s.in_syncobjs = (uintptr_t)in;
	s.nin_syncobjs = nin;
	s.engine = engine;
	s.out_syncobj = out;
	s.timeout_ms = timeout_ms;
	ret = submit_raw(fd, &s);
	if (job_id)
		*job_id = s.job_id;
	return ret;
}

/*
 * Runs a job on @engine and waits for it (60 s at most). Returns what
 * fence_result() does, or SUBMIT_FAILED + errno when the submit failed.
 */
static inline int run_job(int fd, uint32_t engine,
			  const struct drm_aifab_accel_cmd *cmds, uint32_t ncmds,
			  uint32_t timeout_ms)
{
	uint32_t out;
	int ret;

	ret = syncobj_create(fd, 0, &out);
	if (ret)
		return SUBMIT_FAILED - ret;
	ret = submit(fd, engine, cmds, ncmds, NULL, 0, out, timeout_ms, NULL);
	ret = ret ? SUBMIT_FAILED - ret : fence_result(fd, out, 60000);
	syncobj_destroy(fd, out);
	return ret;
}

static inline int run1(int fd, struct drm_aifab_accel_cmd cmd)
{
	return run_job(fd, 0, &cmd, 1, 0);
}

/* ---- counters ---- */

/* "" when the counters of @a and @b agree, else the first that differs. */
static inline const char *info_diff(const struct drm_aifab_accel_info *a,
				    const struct drm_aifab_accel_info *b,
				    char *buf, size_t len)
{
#define INFO_CMP(f) \
	do { \
		if (a->f != b->f) { \
			snprintf(buf, len, #f " %llu -> %llu", \
				 (unsigned long long)a->f, \
				 (unsigned long long)b->f); \
			return buf; \
		} \
	} while (0)
	INFO_CMP(mem_total);
	INFO_CMP(mem_used);
	INFO_CMP(mem_peak);
	INFO_CMP(bos);
	INFO_CMP(jobs_submitted);
	INFO_CMP(jobs_completed);
	INFO_CMP(jobs_failed);
	INFO_CMP(jobs_timedout);
	INFO_CMP(partition_id);
#undef INFO_CMP
	buf[0] = '\0';
	return buf;
}

/* The id debugfs "topology" shows for the @kind ("device", "partition") @name. */
static inline long topology_id(const char *kind, const char *name)
{
	char *text = read_text(DEBUGFS "/topology");
	char *line, *save = NULL, want[64], got[64];
	unsigned int id;
	long found = -1;

	if (!text)
		return -1;
	snprintf(want, sizeof(want), "%s id=%%u name=%%63s", kind);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, want, &id, got) == 2 && !strcmp(got, name))
			found = id;
	free(text);
	return found;
}

/* ---- aifabctl ---- */

static inline const char *ctl_path(void)
{
	static char path[PATH_MAX + 64];
	char exe[PATH_MAX], *slash;
	ssize_t n;

	if (path[0])
		return path;
	if (getenv("AIFABCTL")) {
		snprintf(path, sizeof(path), "%s", getenv("AIFABCTL"));
		return path;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(path, sizeof(path), "%s/../userspace/aifabctl/aifabctl", exe);
	if (access(path, X_OK))
		snprintf(path, sizeof(path), "%s/../../build/userspace/aifabctl/aifabctl",
			 exe);
	return path;
}

static inline int ctl_vrun(bool quiet, const char *fmt, va_list ap)
{
	char args[1024], cmd[PATH_MAX + 1200];
	int st;

	vsnprintf(args, sizeof(args), fmt, ap);
	snprintf(cmd, sizeof(cmd), "'%s' %s >/dev/null%s", ctl_path(), args,
		 quiet ? " 2>&1" : "");
	fflush(NULL);
	st = system(cmd);
	return st < 0 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* Runs "aifabctl ARGS", its stdout discarded; returns its exit status. */
static inline __attribute__((format(printf, 1, 2)))
int ctl(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = ctl_vrun(false, fmt, ap);
	va_end(ap);
	return ret;
}

static inline __attribute__((format(printf, 1, 2)))
int ctl_quiet(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = ctl_vrun(true, fmt, ap);
	va_end(ap);
	return ret;
}

/* Runs "aifabctl ARGS" and keeps its stdout in @out; returns its status. */
static inline __attribute__((format(printf, 3, 4)))
int ctl_read(char *out, size_t len, const char *fmt, ...)
{
	char args[1024], cmd[PATH_MAX + 1200];
	size_t got = 0, n;
	va_list ap;
	FILE *f;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "'%s' %s 2>/dev/null", ctl_path(), args);
	fflush(NULL);
	f = popen(cmd, "r");
	out[0] = '\0';
	if (!f)
		return -1;
	while (got + 1 < len && (n = fread(out + got, 1, len - 1 - got, f)) > 0)
		got += n;
	out[got] = '\0';
	st = pclose(f);
	return st < 0 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* A counter of "aifabctl stats show OBJ" (a device or a link), or -1. */
static inline long long ctl_counter(const char *obj, const char *name)
{
	char out[1024], *tok, *save = NULL;
	long long val = -1;

	if (ctl_read(out, sizeof(out), "stats show %s", obj))
		return -1;
	tok = strtok_r(out, " \n", &save);	/* "OBJ:" */
	while (tok && (tok = strtok_r(NULL, " \n", &save))) {
		char *v = strtok_r(NULL, " \n", &save);

		if (v && !strcmp(tok, name))
			val = atoll(v);
	}
	return val;
}

/*
 * The links of the route from @a to @b, in path order, into @links (the
 * first @max of them). Returns the number of hops, or -2 when the route is refused, -1 on any
 * other failure. @why, if not NULL, gets the first line of the answer.
 */
static inline int route_links(const char *a, const char *b,
			      char (*links)[AIFAB_NAME_MAX], int max,
			      char *why, size_t whylen)
{
	char out[4096], *line, *save = NULL, name[AIFAB_NAME_MAX];
	int st, n = 0;

	st = ctl_read(out, sizeof(out), "route get %s %s", a, b);
	if (why)
		snprintf(why, whylen, "%.*s", (int)strcspn(out, "\n"), out);
	if (st == 2)
		return -2;
	if (st)
		return -1;
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "\tvia %31[^:]:", name) == 1) {
			if (n < max)
				snprintf(links[n], AIFAB_NAME_MAX, "%.31s", name);
			n++;
		}
	return n;
}

/*
 * Sets the links of the route from @a to @b down, route after route,
 * until the fabric has no path left. The links it downed go to @links.
 * Returns how many, or -1 if it failed.
 */
static inline int route_cut(const char *a, const char *b,
			    char (*links)[AIFAB_NAME_MAX], int max)
{
	char path[ROUTE_HOPS_MAX][AIFAB_NAME_MAX];
	int n = 0, hops, i, round;

	for (round = 0; round < 32; round++) {
		hops = route_links(a, b, path, ROUTE_HOPS_MAX, NULL, 0);
		if (hops == -2)
			return n;
		if (hops <= 0)
			return -1;
		for (i = 0; i < hops; i++) {
			if (n == max || ctl("link set %s state down", path[i]))
				return -1;
			snprintf(links[n++], AIFAB_NAME_MAX, "%.31s", path[i]);
		}
	}
	return -1;
}

/*
 * Puts the fabric back as the default topology has it: deletes every
 * partition (and so every fence) and sets every link up without faults.
 */
static inline void fabric_reset(void)
{
	char *text = read_text(DEBUGFS "/topology");
	char *line, *save = NULL, name[AIFAB_NAME_MAX], path[300], v[32];
	struct dirent *de;
	unsigned int id;
	DIR *d;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "partition id=%u name=%31s", &id, name) == 2)
			ctl_quiet("partition del %s", name);
	free(text);
	d = opendir(SYSFS_LINK);
	while (d && (de = readdir(d))) {
		bool dirty = false;
		const char *attr[] = { "drop_pct", "corrupt_pct", "flap_ms" };
		unsigned int i;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), SYSFS_LINK "/%s/admin_state", de->d_name);
		if (!read_line(path, v, sizeof(v)) && strcmp(v, "up"))
			dirty = true;
		for (i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), SYSFS_LINK "/%s/%s",
				 de->d_name, attr[i]);
			if (!read_line(path, v, sizeof(v)) && strcmp(v, "0"))
				dirty = true;
		}
		if (dirty)
			ctl_quiet("link set %s state up fault none", de->d_name);
	}
	if (d)
		closedir(d);
}

/* ---- the event monitor ---- */

/* Starts "aifabctl -j monitor" writing to @path; returns its pid or -1. */
static inline pid_t monitor_start(const char *path)
{
	pid_t pid;
	int fd;

	fflush(NULL);
	pid = fork();
	if (pid)
		return pid;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		_exit(127);
	dup2(fd, STDOUT_FILENO);
	execl(ctl_path(), "aifabctl", "-j", "monitor", (char *)NULL);
	_exit(127);
}

static inline void monitor_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGINT);
	waitpid(pid, NULL, 0);
}

/* True when some line of @path contains each of the (up to 4) strings. */
static inline bool file_has_line(const char *path, const char *s1,
				 const char *s2, const char *s3, const char *s4)
{
	char *text = read_text(path);
	char *line, *save = NULL;
	bool found = false;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line && !found;
	     line = strtok_r(NULL, "\n", &save))
		found = strstr(line, s1) && (!s2 || strstr(line, s2)) &&
			(!s3 || strstr(line, s3)) && (!s4 || strstr(line, s4));
	free(text);
	return found;
}

static inline bool file_wait_line(const char *path, int timeout_ms,
				  const char *s1, const char *s2,
				  const char *s3, const char *s4)
{
	int64_t end = now_ns() + (int64_t)timeout_ms * 1000000;

	do {
		if (file_has_line(path, s1, s2, s3, s4))
			return true;
		usleep(50 * 1000);
	} while (now_ns() < end);
	return false;
}

/* Makes probe events until the monitor shows one: then it listens. */
static inline bool monitor_wait_subscribed(const char *path)
{
	int i;

	for (i = 0; i < 50; i++) {
		ctl_quiet("partition add probe tenant t");
		ctl_quiet("partition del probe");
		if (file_wait_line(path, 200, "\"probe\"", NULL, NULL, NULL))
			return true;
	}
	return false;
}

/* ---- data patterns ---- */

static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* The never-zero 64-bit word @i of pattern @seed. */
static inline uint64_t pattern_word(uint64_t seed, uint64_t i)
{
	return mix64(seed * 0x9e3779b97f4a7c15ULL + i) | 1;
}

static inline void pattern_fill(void *p, uint64_t len, uint64_t seed)
{
	uint64_t *w = p, i;

	for (i = 0; i < len / 8; i++)
		w[i] = pattern_word(seed, i);
	for (i = len & ~7ULL; i < len; i++)
		((uint8_t *)p)[i] = (uint8_t)pattern_word(seed, i);
}

/* Index of the first byte of @p that is not @byte, or @len. */
static inline uint64_t first_not(const void *p, uint64_t len, uint8_t byte)
{
	const uint8_t *b = p;
	uint64_t want = 0x0101010101010101ULL * byte, i = 0;

	while (i < len && ((uintptr_t)(b + i) & 7))
		if (b[i] != byte)
			return i;
		else
			i++;
	for (; i + 8 <= len; i += 8)
		if (*(const uint64_t *)(b + i) != want)
			break;
	for (; i < len; i++)
		if (b[i] != byte)
			return i;
	return len;
}

/* Index of the first differing byte of two buffers, or @len. */
static inline uint64_t first_diff(const void *a, const void *b, uint64_t len)
{
	const uint8_t *x = a, *y = b;
	uint64_t i;

	for (i = 0; i + 4096 <= len; i += 4096)
		if (memcmp(x + i, y + i, 4096))
			break;
	for (; i < len; i++)
		if (x[i] != y[i])
			return i;
	return len;
}

#endif /* AIFAB_ACCEL_HELPERS_H */
