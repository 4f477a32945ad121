// SPDX-License-Identifier: GPL-2.0
/*
 * Client of the aifab accelerator devices; see accel.h for the contract.
 *
 * The devices are found in sysfs: every fabric device has a directory in
 * /sys/class/aifab_dev/, and a local accelerator's "dev_node" file names
 * its DRM device node. Everything else goes through ioctls on that node:
 * the driver's own (include/uapi/linux/aifab_accel.h) and DRM's GEM, PRIME
 * and syncobj ioctls.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/ioctl.h>
#include <sys/mman.h>

#include <drm/drm.h>
#include <linux/sync_file.h>

#include <linux/aifab_accel.h>

#include "accel.h"
#include "names.h"

/* DRM_IOCTL_VERSION's driver name of the aifab accelerators. */
#define ACCEL_DRIVER_NAME	"aifab"

/* Longest sysfs value read: a node path, a name or a decimal u64. */
#define ACCEL_ATTR_MAX		AIFAB_ACCEL_PATH_MAX

struct aifab_accel {
	int fd;
	uint32_t dev_id;
	uint32_t engines;
	char name[AIFAB_NAME_MAX];
	char path[AIFAB_ACCEL_PATH_MAX];
};

/**
 * accel_ioctl() - ioctl(), restarted when a signal interrupts it.
 * @fd: File.
 * @req: Request.
 * @arg: Its argument.
 *
 * Return: 0, or the negative errno value of the failure.
 */
static int accel_ioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && errno == EINTR);
	return ret == -1 ? -errno : 0;
}

/**
 * accel_copy_str() - Copy a string into a fixed buffer, cut to fit.
 * @dst: The buffer.
 * @src: A NUL-terminated string.
 * @size: Size of @dst, at least 1.
 */
static void accel_copy_str(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

/**
 * accel_valid_name() - Whether @s can be a fabric device name.
 * @s: Candidate.
 *
 * Names are 1 to AIFAB_NAME_MAX - 1 characters of [a-zA-Z0-9_.-]; "." and
 * ".." are refused too, so that a name never walks out of the sysfs class.
 *
 * Return: true if it can.
 */
static bool accel_valid_name(const char *s)
{
	return aifab_name_valid(s) && strcmp(s, ".") && strcmp(s, "..");
}

/**
 * accel_read_attr() - Read one sysfs value of a fabric device.
 * @class_dir: The class directory, e.g. AIFAB_ACCEL_SYSFS_CLASS.
 * @dev: Device name.
 * @attr: File name.
 * @buf: Where the value goes, NUL-terminated, its final newline removed;
 *	"" on failure.
 * @len: Size of @buf.
 *
 * Return: The length of the value, or a negative errno value: -ENOENT when
 * the file does not exist, -EOVERFLOW when the value does not fit.
 */
static int accel_read_attr(const char *class_dir, const char *dev,
			   const char *attr, char *buf, size_t len)
{
	char *path;
	ssize_t n;
	int fd, err;

	buf[0] = '\0';
	if (asprintf(&path, "%s/%s/%s", class_dir, dev, attr) < 0)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	err = errno;
	free(path);
	if (fd < 0)
		return -err;
	do {
		n = read(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	/* A sysfs value arrives in one read; a full buffer means it was cut. */
	if ((size_t)n >= len)
		return -EOVERFLOW;
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return (int)n;
}

/**
 * accel_cmp() - qsort() order of accelerators: by name, numbers as numbers.
 * @a: One &struct aifab_accel_ent.
 * @b: Another.
 *
 * Return: <0, 0 or >0 as for strcmp(); "accel2" sorts before "accel10".
 */
static int accel_cmp(const void *a, const void *b)
{
	const struct aifab_accel_ent *x = a, *y = b;

	return strverscmp(x->name, y->name);
}

/**
 * accel_may_open() - Whether this process may open a device node.
 * @path: The node.
 *
 * Return: 1 if it may, 0 if it may not or the node has gone (a device in a
 * partition bound to another network namespace refuses with EACCES), or a
 * negative errno value for any other failure.
 */
static int accel_may_open(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	switch (errno) {
	case EACCES:
	case EPERM:
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return 0;
	default:
		return -errno;
	}
}

/**
 * accel_read_ent() - Fill an entry from a device's sysfs directory.
 * @class_dir: The class directory.
 * @name: Device name.
 * @ent: Entry to fill.
 *
 * Return: 1 if @name is a local accelerator with a device node, 0 if it is
 * not (or has just gone), or a negative errno value.
 */
static int accel_read_ent(const char *class_dir, const char *name,
			  struct aifab_accel_ent *ent)
{
	char buf[ACCEL_ATTR_MAX];
	char *end;
	int ret;

	ret = accel_read_attr(class_dir, name, "type", buf, sizeof(buf));
	if (ret < 0 || strcmp(buf, "accel"))
		goto not_one;
	ret = accel_read_attr(class_dir, name, "local", buf, sizeof(buf));
	if (ret < 0 || strcmp(buf, "1"))
		goto not_one;
	/* No dev_node file: a module without accelerator devices. */
	ret = accel_read_attr(class_dir, name, "dev_node", ent->path,
			      sizeof(ent->path));
	if (ret <= 0)
		goto not_one;
	ret = accel_read_attr(class_dir, name, "partition", ent->partition,
			      sizeof(ent->partition));
	if (ret < 0)
		goto not_one;
	ret = accel_read_attr(class_dir, name, "mem_bytes", buf, sizeof(buf));
	if (ret < 0)
		goto not_one;
	errno = 0;
	ent->mem_bytes = strtoull(buf, &end, 10);
	if (errno || end == buf || *end)
		return -EBADMSG;
	/* accel_valid_name() checked that it fits. */
	accel_copy_str(ent->name, name, sizeof(ent->name));
	return 1;

not_one:
	/* Devices come and go with topology changes: a vanished one is skipped. */
	if (ret < 0 && ret != -ENOENT && ret != -ENODEV)
		return ret;
	return 0;
}

/**
 * aifab_accel_list_at() - List the local accelerators found in a sysfs class.
 * @class_dir: The class directory; AIFAB_ACCEL_SYSFS_CLASS on a real system.
 * @flags: 0, or AIFAB_ACCEL_LIST_OPENABLE to leave out the devices this
 *	process may not open (those in a partition bound to another network
 *	namespace, or whose node it lacks permission for).
 * @ents: Out: an array of the accelerators, sorted by name with numbers
 *	compared as numbers ("accel2" before "accel10"); free() it. NULL when
 *	there are none.
 *
 * A local accelerator is a device whose "type" is "accel", whose "local" is
 * 1, and whose "dev_node" names a node.
 *
 * Return: The number of entries in *@ents, or a negative errno value:
 * -ENOENT if @class_dir does not exist (the module is not loaded), -EINVAL
 * for unknown @flags, -EBADMSG for a value that is not what sysfs shows.
 */
int aifab_accel_list_at(const char *class_dir, unsigned int flags,
			struct aifab_accel_ent **ents)
{
	struct aifab_accel_ent *v = NULL, *grown;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir;
	int ret;

	if (flags & ~AIFAB_ACCEL_LIST_OPENABLE)
		return -EINVAL;
	dir = opendir(class_dir);
	if (!dir)
		return -errno;
	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de)
			break;
		if (!accel_valid_name(de->d_name))
			continue;
		if (n == cap) {
			if (cap >= INT_MAX / 2) {
				ret = -E2BIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 8;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown) {
				ret = -ENOMEM;
				goto fail;
			}
			v = grown;
		}
		ret = accel_read_ent(class_dir, de->d_name, &v[n]);
		if (ret < 0)
			goto fail;
		if (ret == 0)
			continue;
		if (flags & AIFAB_ACCEL_LIST_OPENABLE) {
			ret = accel_may_open(v[n].path);
			if (ret < 0)
				goto fail;
			if (ret == 0)
				continue;
		}
		n++;
	}
	/* readdir() sets errno only when it fails. */
	if (errno) {
		ret = -errno;
		goto fail;
	}
	closedir(dir);
	if (n == 0) {
		free(v);
		v = NULL;
	} else {
		qsort(v, n, sizeof(*v), accel_cmp);
	}
	*ents = v;
	return (int)n;

fail:
	closedir(dir);
	free(v);
	return ret;
}

/**
 * aifab_accel_list() - List the local accelerators of the fabric.
 * @flags: 0 or AIFAB_ACCEL_LIST_OPENABLE; see aifab_accel_list_at().
 * @ents: Out: the accelerators, sorted by name; free() it.
 *
 * Return: The number of entries in *@ents, or a negative errno value;
 * -ENOENT means the aifab module is not loaded.
 */
int aifab_accel_list(unsigned int flags, struct aifab_accel_ent **ents)
{
	return aifab_accel_list_at(AIFAB_ACCEL_SYSFS_CLASS, flags, ents);
}

/**
 * accel_open_path() - Open a device node and check it is an aifab accelerator.
 * @path: The node.
 * @want: The fabric device name it must have, or NULL for any.
 * @accp: Out: the open accelerator.
 *
 * Return: 0, or a negative errno value: -ENODEV when @path is not an aifab
 * accelerator (or not @want), -EACCES when its partition is bound to
 * another network namespace.
 */
static int accel_open_path(const char *path, const char *want,
			   struct aifab_accel **accp)
{
	struct drm_aifab_accel_info info = { 0 };
	char driver[sizeof(ACCEL_DRIVER_NAME) + 1] = { 0 };
	struct drm_version version = {
		.name = driver,
		.name_len = sizeof(driver) - 1,
	};
	struct aifab_accel *acc;
	int fd, ret;

	if (strlen(path) >= AIFAB_ACCEL_PATH_MAX)
		return -ENAMETOOLONG;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = accel_ioctl(fd, DRM_IOCTL_VERSION, &version);
	if (ret == -ENOTTY || ret == -EINVAL)
		ret = -ENODEV;
	if (ret)
		goto fail;
	/* name_len comes back as the whole name's length, however long. */
	if (version.name_len != strlen(ACCEL_DRIVER_NAME) ||
	    strcmp(driver, ACCEL_DRIVER_NAME)) {
		ret = -ENODEV;
		goto fail;
	}
	ret = accel_ioctl(fd, DRM_IOCTL_AIFAB_ACCEL_INFO, &info);
	if (ret)
		goto fail;
	info.name[AIFAB_NAME_MAX - 1] = '\0';
	if (want && strcmp(info.name, want)) {
		ret = -ENODEV;
		goto fail;
	}
	acc = calloc(1, sizeof(*acc));
	if (!acc) {
		ret = -ENOMEM;
		goto fail;
	}
	acc->fd = fd;
	acc->dev_id = info.fabric_dev_id;
	acc->engines = info.engines;
	accel_copy_str(acc->name, info.name, sizeof(acc->name));
	accel_copy_str(acc->path, path, sizeof(acc->path));
	*accp = acc;
	return 0;

fail:
	close(fd);
	return ret;
}

/**
 * aifab_accel_open_at() - Open an accelerator, looking names up in a sysfs
 *	class.
 * @class_dir: The class directory; AIFAB_ACCEL_SYSFS_CLASS on a real system.
 * @dev: A fabric device name ("accel0"), or a path to its device node (any
 *	string with a '/', e.g. "/dev/accel/accel0").
 * @accp: Out: the open accelerator; aifab_accel_close() it.
 *
 * Return: 0, or a negative errno value: -EINVAL for a malformed name,
 * -ENOENT when no fabric device has that name, -ENODEV when it is not a
 * local accelerator or the node is not an aifab accelerator, -EACCES when
 * its partition is bound to another network namespace.
 */
int aifab_accel_open_at(const char *class_dir, const char *dev,
			struct aifab_accel **accp)
{
	char path[AIFAB_ACCEL_PATH_MAX];
	int ret;

	if (strchr(dev, '/'))
		return accel_open_path(dev, NULL, accp);
	if (!accel_valid_name(dev))
		return -EINVAL;
	ret = accel_read_attr(class_dir, dev, "dev_node", path, sizeof(path));
	if (ret == -ENOENT) {
		/* Tell "no such device" from "not a local accelerator". */
		ret = accel_read_attr(class_dir, dev, "type", path,
				      sizeof(path));
		return ret == -ENOENT ? -ENOENT : -ENODEV;
	}
	if (ret < 0)
		return ret;
	if (ret == 0)
		return -ENODEV;
	return accel_open_path(path, dev, accp);
}

/**
 * aifab_accel_open() - Open an accelerator by fabric device name or node.
 * @dev: A fabric device name ("accel0"), or a path to its device node (any
 *	string with a '/').
 * @accp: Out: the open accelerator; aifab_accel_close() it.
 *
 * The node is checked to be an aifab accelerator (DRM driver "aifab"), and
 * when @dev is a name, to be that device.
 *
 * Return: 0, or a negative errno value; see aifab_accel_open_at().
 */
int aifab_accel_open(const char *dev, struct aifab_accel **accp)
{
	return aifab_accel_open_at(AIFAB_ACCEL_SYSFS_CLASS, dev, accp);
}

/**
 * aifab_accel_close() - Close an accelerator.
 * @acc: The accelerator, or NULL.
 *
 * Every handle made on it goes with it. Its jobs still queued are cancelled
 * (their fences signal -ECANCELED); BOs mapped or exported stay alive until
 * unmapped or closed.
 */
void aifab_accel_close(struct aifab_accel *acc)
{
	if (!acc)
		return;
	close(acc->fd);
	free(acc);
}

/**
 * aifab_accel_fd() - The file of an open accelerator.
 * @acc: The accelerator.
 *
 * Return: Its file descriptor, for ioctls this library does not wrap.
 */
int aifab_accel_fd(const struct aifab_accel *acc)
{
	return acc->fd;
}

/**
 * aifab_accel_name() - The fabric device name of an open accelerator.
 * @acc: The accelerator.
 *
 * Return: Its name, as the driver reported it at open.
 */
const char *aifab_accel_name(const struct aifab_accel *acc)
{
	return acc->name;
}

/**
 * aifab_accel_path() - The device node an accelerator was opened from.
 * @acc: The accelerator.
 *
 * Return: The node's path.
 */
const char *aifab_accel_path(const struct aifab_accel *acc)
{
	return acc->path;
}

/**
 * aifab_accel_dev_id() - The fabric device id of an open accelerator.
 * @acc: The accelerator.
 *
 * Return: The id, as &drm_aifab_accel_bo_info.home_dev_id shows it.
 */
uint32_t aifab_accel_dev_id(const struct aifab_accel *acc)
{
	return acc->dev_id;
}

/**
 * aifab_accel_engines() - The number of engines of an open accelerator.
 * @acc: The accelerator.
 *
 * Return: The number of engines; jobs name one below it.
 */
uint32_t aifab_accel_engines(const struct aifab_accel *acc)
{
	return acc->engines;
}

/**
 * aifab_accel_info() - Read an accelerator's identity, memory and counters.
 * @acc: The accelerator.
 * @info: Out: what DRM_IOCTL_AIFAB_ACCEL_INFO reports.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_accel_info(struct aifab_accel *acc,
		     struct drm_aifab_accel_info *info)
{
	struct drm_aifab_accel_info out = { 0 };
	int ret;

	ret = accel_ioctl(acc->fd, DRM_IOCTL_AIFAB_ACCEL_INFO, &out);
	if (ret)
		return ret;
	out.name[AIFAB_NAME_MAX - 1] = '\0';
	*info = out;
	return 0;
}

/**
 * aifab_accel_bo_size() - Round a size up to what a BO can have.
 * @bytes: The bytes wanted.
 *
 * Return: @bytes rounded up to a multiple of the page size, or 0 when
 * @bytes is 0 or the rounding overflows.
 */
uint64_t aifab_accel_bo_size(uint64_t bytes)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	if (bytes > UINT64_MAX - (page - 1))
		return 0;
	return (bytes + page - 1) / page * page;
}

/**
 * aifab_accel_bo_alloc() - Allocate a buffer object in an accelerator's
 *	memory.
 * @acc: The accelerator.
 * @size: Bytes; rounded up to the page size (aifab_accel_bo_size() tells
 *	the size the BO gets).
 * @handle: Out: the BO's handle; aifab_accel_bo_free() it.
 *
 * The BO reads as zeros until written.
 *
 * Return: 0, or a negative errno value: -EINVAL for a size of 0 or one
 * that overflows, -ENOSPC when the accelerator's free memory cannot hold
 * it.
 */
int aifab_accel_bo_alloc(struct aifab_accel *acc, uint64_t size,
			 uint32_t *handle)
{
	struct drm_aifab_accel_bo_create create = {
		.size = aifab_accel_bo_size(size),
	};
	int ret;

	if (!create.size)
		return -EINVAL;
	ret = accel_ioctl(acc->fd, DRM_IOCTL_AIFAB_ACCEL_BO_CREATE, &create);
	if (ret)
		return ret;
	*handle = create.handle;
	return 0;
}

/**
 * aifab_accel_bo_free() - Close a BO handle.
 * @acc: The accelerator the handle belongs to.
 * @handle: A handle from aifab_accel_bo_alloc() or aifab_accel_bo_import().
 *
 * The memory is released when nothing else holds the BO: a mapping, an
 * exported dma-buf, an import on another device or a job still running.
 *
 * Return: 0, or a negative errno value (-EINVAL for an unknown handle).
 */
int aifab_accel_bo_free(struct aifab_accel *acc, uint32_t handle)
{
	struct drm_gem_close req = { .handle = handle };

	return accel_ioctl(acc->fd, DRM_IOCTL_GEM_CLOSE, &req);
}

/**
 * aifab_accel_bo_info() - Describe a BO.
 * @acc: The accelerator the handle belongs to.
 * @handle: The BO.
 * @info: Out: its size, mmap offset, flags and home device.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_accel_bo_info(struct aifab_accel *acc, uint32_t handle,
			struct drm_aifab_accel_bo_info *info)
{
	struct drm_aifab_accel_bo_info out = { .handle = handle };
	int ret;

	ret = accel_ioctl(acc->fd, DRM_IOCTL_AIFAB_ACCEL_BO_INFO, &out);
	if (ret)
		return ret;
	*info = out;
	return 0;
}

/**
 * aifab_accel_bo_map() - Map a whole BO into this process, read and write.
 * @acc: The accelerator the handle belongs to.
 * @handle: The BO.
 * @ptr: Out: where it is mapped.
 * @size: Out: its size; pass it to aifab_accel_bo_unmap().
 *
 * The mapping is shared with the device: what a finished job wrote is seen
 * through it, and what is written through it is what a job submitted
 * afterwards reads. It outlives the handle.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_accel_bo_map(struct aifab_accel *acc, uint32_t handle, void **ptr,
		       uint64_t *size)
{
	struct drm_aifab_accel_bo_info info;
	void *p;
	int ret;

	ret = aifab_accel_bo_info(acc, handle, &info);
	if (ret)
		return ret;
	if (info.size > SIZE_MAX || info.mmap_offset > (uint64_t)INT64_MAX)
		return -EOVERFLOW;
	p = mmap(NULL, (size_t)info.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 acc->fd, (off_t)info.mmap_offset);
	if (p == MAP_FAILED)
		return -errno;
	*ptr = p;
	*size = info.size;
	return 0;
}

/**
 * aifab_accel_bo_unmap() - Undo aifab_accel_bo_map().
 * @ptr: The mapping.
 * @size: The size aifab_accel_bo_map() gave.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_accel_bo_unmap(void *ptr, uint64_t size)
{
	if (size > SIZE_MAX)
		return -EINVAL;
	return munmap(ptr, (size_t)size) ? -errno : 0;
}

/**
 * aifab_accel_bo_export() - Export a BO as a dma-buf.
 * @acc: The accelerator the handle belongs to.
 * @handle: The BO.
 * @fd: Out: a dma-buf file descriptor, close-on-exec and read-write;
 *	close() it.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_accel_bo_export(struct aifab_accel *acc, uint32_t handle, int *fd)
{
	struct drm_prime_handle req = {
		.handle = handle,
		.flags = DRM_CLOEXEC | DRM_RDWR,
		.fd = -1,
	};
	int ret;

	ret = accel_ioctl(acc->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &req);
	if (ret)
		return ret;
	*fd = req.fd;
	return 0;
}

/**
 * aifab_accel_bo_import() - Import a dma-buf as a BO handle.
 * @acc: The accelerator that will use the BO.
 * @fd: A dma-buf file descriptor, e.g. from aifab_accel_bo_export() on
 *	another accelerator; still the caller's to close.
 * @handle: Out: the handle on @acc; aifab_accel_bo_free() it.
 *
 * A BO of another accelerator may then be one side of a COPY on @acc (the
 * bytes cross the fabric), but never an operand of a REDUCE.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_accel_bo_import(struct aifab_accel *acc, int fd, uint32_t *handle)
{
	struct drm_prime_handle req = { .fd = fd };
	int ret;

	ret = accel_ioctl(acc->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &req);
	if (ret)
		return ret;
	*handle = req.handle;
	return 0;
}

/**
 * aifab_accel_bo_share() - Make a BO of one accelerator usable on another.
 * @from: The accelerator the handle belongs to.
 * @handle: The BO.
 * @to: The accelerator that will use it.
 * @imported: Out: the BO's handle on @to; aifab_accel_bo_free() it on @to.
 *
 * Exports the BO as a dma-buf and imports that on @to; the dma-buf file is
 * closed again.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_accel_bo_share(struct aifab_accel *from, uint32_t handle,
			 struct aifab_accel *to, uint32_t *imported)
{
	int fd, ret;

	ret = aifab_accel_bo_export(from, handle, &fd);
	if (ret)
		return ret;
	ret = aifab_accel_bo_import(to, fd, imported);
	close(fd);
	return ret;
}

/**
 * aifab_accel_syncobj_create() - Create a syncobj.
 * @acc: The accelerator.
 * @flags: 0, or DRM_SYNCOBJ_CREATE_SIGNALED for one that holds a signalled
 *	fence.
 * @handle: Out: its handle; aifab_accel_syncobj_destroy() it.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_accel_syncobj_create(struct aifab_accel *acc, uint32_t flags,
			       uint32_t *handle)
{
	struct drm_syncobj_create req = { .flags = flags };
	int ret;

	ret = accel_ioctl(acc->fd, DRM_IOCTL_SYNCOBJ_CREATE, &req);
	if (ret)
		return ret;
	*handle = req.handle;
	return 0;
}

/**
 * aifab_accel_syncobj_destroy() - Close a syncobj handle.
 * @acc: The accelerator the handle belongs to.
 * @handle: The syncobj.
 *
 * A job that waits for its fence, or signals it, is not affected.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_accel_syncobj_destroy(struct aifab_accel *acc, uint32_t handle)
{
	struct drm_syncobj_destroy req = { .handle = handle };

	return accel_ioctl(acc->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &req);
}

/**
 * aifab_accel_syncobj_export() - Export a syncobj itself as a file.
 * @acc: The accelerator the handle belongs to.
 * @handle: The syncobj.
 * @fd: Out: a close-on-exec syncobj file descriptor; close() it.
 *
 * The file stands for the syncobj, not for its current fence: a handle
 * imported from it sees every fence the syncobj gets later.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_accel_syncobj_export(struct aifab_accel *acc, uint32_t handle,
			       int *fd)
{
	struct drm_syncobj_handle req = { .handle = handle, .fd = -1 };
	int ret;

	ret = accel_ioctl(acc->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &req);
	if (ret)
		return ret;
	*fd = req.fd;
	return 0;
}

/**
 * aifab_accel_syncobj_import() - Import a syncobj file as a handle.
 * @acc: The accelerator that will use the syncobj.
 * @fd: A file from aifab_accel_syncobj_export(); still the caller's to
 *	close.
 * @handle: Out: the syncobj's handle on @acc;
 *	aifab_accel_syncobj_destroy() it on @acc.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_accel_syncobj_import(struct aifab_accel *acc, int fd,
			       uint32_t *handle)
{
	struct drm_syncobj_handle req = { .fd = fd };
	int ret;

	ret = accel_ioctl(acc->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &req);
	if (ret)
		return ret;
	*handle = req.handle;
	return 0;
}

/**
 * aifab_accel_syncobj_share() - Make a syncobj of one accelerator usable on
 *	another.
 * @from: The accelerator the handle belongs to.
 * @handle: The syncobj.
 * @to: The accelerator that will use it.
 * @imported: Out: its handle on @to.
 *
 * Both handles name the same syncobj: a job on @from that signals it can be
 * waited for by a job on @to, which is how jobs on different accelerators
 * are chained.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_accel_syncobj_share(struct aifab_accel *from, uint32_t handle,
			      struct aifab_accel *to, uint32_t *imported)
{
	int fd, ret;

	ret = aifab_accel_syncobj_export(from, handle, &fd);
	if (ret)
		return ret;
	ret = aifab_accel_syncobj_import(to, fd, imported);
	close(fd);
	return ret;
}

/**
 * aifab_accel_deadline() - A deadline for aifab_accel_syncobj_wait().
 * @timeout_ns: Nanoseconds from now; negative for no deadline.
 *
 * Return: The absolute CLOCK_MONOTONIC time @timeout_ns from now, or
 * AIFAB_ACCEL_WAIT_FOREVER when @timeout_ns is negative or the sum would
 * overflow.
 */
int64_t aifab_accel_deadline(int64_t timeout_ns)
{
	struct timespec ts;
	int64_t now;

	if (timeout_ns < 0 || clock_gettime(CLOCK_MONOTONIC, &ts))
		return AIFAB_ACCEL_WAIT_FOREVER;
	now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	if (timeout_ns > AIFAB_ACCEL_WAIT_FOREVER - now)
		return AIFAB_ACCEL_WAIT_FOREVER;
	return now + timeout_ns;
}

/**
 * aifab_accel_syncobj_wait() - Wait until the fences of syncobjs signal.
 * @acc: The accelerator the handles belong to.
 * @handles: The syncobjs; each must hold a fence.
 * @count: Entries in @handles.
 * @deadline_ns: When to give up, in absolute CLOCK_MONOTONIC nanoseconds
 *	(see aifab_accel_deadline()); AIFAB_ACCEL_WAIT_FOREVER for never.
 *
 * Waits for all of them. A fence that signals with an error counts as
 * signalled: aifab_accel_syncobj_status() tells how its job ended.
 *
 * Return: 0 once all have signalled, or a negative errno value: -ETIME
 * when the deadline passed first, -EINVAL when a syncobj holds no fence.
 */
int aifab_accel_syncobj_wait(struct aifab_accel *acc, const uint32_t *handles,
			     unsigned int count, int64_t deadline_ns)
{
	struct drm_syncobj_wait req = {
		.handles = (uintptr_t)handles,
		.timeout_nsec = deadline_ns,
		.count_handles = count,
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
	};

	if (!count)
		return 0;
	return accel_ioctl(acc->fd, DRM_IOCTL_SYNCOBJ_WAIT, &req);
}

/**
 * aifab_accel_syncobj_status() - How the fence in a syncobj ended.
 * @acc: The accelerator the handle belongs to.
 * @handle: The syncobj; it must hold a fence.
 * @status: Out: 1 if the fence signalled without error, 0 if it has not
 *	signalled yet, or the negative errno value it signalled with (for a
 *	job's out-syncobj, the job's error).
 *
 * Exports the fence as a sync_file and reads its status.
 *
 * Return: 0, or a negative errno value (-EINVAL when the syncobj holds no
 * fence).
 */
int aifab_accel_syncobj_status(struct aifab_accel *acc, uint32_t handle,
			       int *status)
{
	struct drm_syncobj_handle req = {
		.handle = handle,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
		.fd = -1,
	};
	struct sync_file_info info = { 0 };
	int ret;

	ret = accel_ioctl(acc->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &req);
	if (ret)
		return ret;
	ret = accel_ioctl(req.fd, SYNC_IOC_FILE_INFO, &info);
	close(req.fd);
	if (ret)
		return ret;
	*status = info.status;
	return 0;
}

/**
 * aifab_accel_submit() - Queue a job.
 * @acc: The accelerator.
 * @job: The job; its @job_id is filled in.
 *
 * Everything the commands name is checked before the job is queued: a bad
 * command fails the call and queues nothing. The job's own failure (a
 * timeout, a refused route) is reported later, through its out-syncobj's
 * fence.
 *
 * Return: 0, or a negative errno value.
 */
int aifab_accel_submit(struct aifab_accel *acc, struct aifab_accel_job *job)
{
	struct drm_aifab_accel_submit req = {
		.cmds = (uintptr_t)job->cmds,
		.in_syncobjs = (uintptr_t)job->in_syncobjs,
		.ncmds = job->ncmds,
		.nin_syncobjs = job->nin_syncobjs,
		.engine = job->engine,
		.out_syncobj = job->out_syncobj,
		.timeout_ms = job->timeout_ms,
	};
	int ret;

	ret = accel_ioctl(acc->fd, DRM_IOCTL_AIFAB_ACCEL_SUBMIT, &req);
	if (ret)
		return ret;
	job->job_id = req.job_id;
	return 0;
}
