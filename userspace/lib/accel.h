/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small client of the aifab accelerator devices.
 *
 * Each local accelerator of the fabric is a DRM device (/dev/accel/accelN
 * on 6.12, /dev/dri/renderDN on 6.1) that speaks the ioctls of
 * include/uapi/linux/aifab_accel.h. This library finds them through sysfs
 * (/sys/class/aifab_dev/NAME/dev_node), opens them, and wraps the ioctls
 * that a job needs: buffer objects (BOs), their PRIME export and import,
 * syncobjs and submission.
 *
 * Handles (BOs and syncobjs) are the kernel's own u32 handles, valid on the
 * device they were made or imported on. A BO or syncobj of another device
 * is used through a handle imported with aifab_accel_bo_share() or
 * aifab_accel_syncobj_share().
 *
 * Every function that can fail returns 0 (or a count) or a negative errno
 * value, and leaves its outputs untouched on failure. Nothing here prints.
 * Interrupted ioctls are restarted.
 */
#ifndef AIFAB_USERSPACE_ACCEL_H
#define AIFAB_USERSPACE_ACCEL_H

#include <stdint.h>

#include <linux/aifab_accel.h>

/* Where the fabric's devices are mirrored, one directory each. */
#define AIFAB_ACCEL_SYSFS_CLASS		"/sys/class/aifab_dev"
/* Size of a device node path buffer, NUL included. */
#define AIFAB_ACCEL_PATH_MAX		64
/* A deadline that never comes, for aifab_accel_syncobj_wait(). */
#define AIFAB_ACCEL_WAIT_FOREVER	INT64_MAX

/**
 * struct aifab_accel_ent - a local accelerator found in sysfs
 * @name: fabric device name, e.g. "accel0"
 * @path: its DRM device node, e.g. "/dev/accel/accel0"
 * @partition: its partition, "" for none
 * @mem_bytes: its memory capacity
 */
struct aifab_accel_ent {
	char name[AIFAB_NAME_MAX];
	char path[AIFAB_ACCEL_PATH_MAX];
	char partition[AIFAB_NAME_MAX];
	uint64_t mem_bytes;
};

/* aifab_accel_list(): only the devices this process may open. */
#define AIFAB_ACCEL_LIST_OPENABLE	(1U << 0)

int aifab_accel_list(unsigned int flags, struct aifab_accel_ent **ents);
int aifab_accel_list_at(const char *class_dir, unsigned int flags,
			struct aifab_accel_ent **ents);

/* An open accelerator. */
struct aifab_accel;

int aifab_accel_open(const char *dev, struct aifab_accel **accp);
int aifab_accel_open_at(const char *class_dir, const char *dev,
			struct aifab_accel **accp);
void aifab_accel_close(struct aifab_accel *acc);
int aifab_accel_fd(const struct aifab_accel *acc);
const char *aifab_accel_name(const struct aifab_accel *acc);
const char *aifab_accel_path(const struct aifab_accel *acc);
uint32_t aifab_accel_dev_id(const struct aifab_accel *acc);
uint32_t aifab_accel_engines(const struct aifab_accel *acc);
int aifab_accel_info(struct aifab_accel *acc,
		     struct drm_aifab_accel_info *info);

uint64_t aifab_accel_bo_size(uint64_t bytes);
int aifab_accel_bo_alloc(struct aifab_accel *acc, uint64_t size,
			 uint32_t *handle);
int aifab_accel_bo_free(struct aifab_accel *acc, uint32_t handle);
int aifab_accel_bo_info(struct aifab_accel *acc, uint32_t handle,
			struct drm_aifab_accel_bo_info *info);
int aifab_accel_bo_map(struct aifab_accel *acc, uint32_t handle, void **ptr,
		       uint64_t *size);
int aifab_accel_bo_unmap(void *ptr, uint64_t size);
int aifab_accel_bo_export(struct aifab_accel *acc, uint32_t handle, int *fd);
int aifab_accel_bo_import(struct aifab_accel *acc, int fd, uint32_t *handle);
int aifab_accel_bo_share(struct aifab_accel *from, uint32_t handle,
			 struct aifab_accel *to, uint32_t *imported);

int aifab_accel_syncobj_create(struct aifab_accel *acc, uint32_t flags,
			       uint32_t *handle);
int aifab_accel_syncobj_destroy(struct aifab_accel *acc, uint32_t handle);
int aifab_accel_syncobj_export(struct aifab_accel *acc, uint32_t handle,
			       int *fd);
int aifab_accel_syncobj_import(struct aifab_accel *acc, int fd,
			       uint32_t *handle);
int aifab_accel_syncobj_share(struct aifab_accel *from, uint32_t handle,
			      struct aifab_accel *to, uint32_t *imported);
int64_t aifab_accel_deadline(int64_t timeout_ns);
int aifab_accel_syncobj_wait(struct aifab_accel *acc, const uint32_t *handles,
			     unsigned int count, int64_t deadline_ns);
int aifab_accel_syncobj_status(struct aifab_accel *acc, uint32_t handle,
			       int *status);

/**
 * struct aifab_accel_job - one job for aifab_accel_submit()
 * @cmds: the commands, run in order; may be NULL when @ncmds is 0
 * @ncmds: entries in @cmds, at most AIFAB_ACCEL_MAX_CMDS
 * @in_syncobjs: syncobjs whose fences the job waits for
 * @nin_syncobjs: entries in @in_syncobjs, at most
 *	AIFAB_ACCEL_MAX_IN_SYNCOBJS
 * @out_syncobj: syncobj that receives the completion fence, 0 for none
 * @engine: engine index
 * @timeout_ms: the job's timeout, 0 for the device's default
 * @job_id: out: the job's sequence number on the device
 */
struct aifab_accel_job {
	const struct drm_aifab_accel_cmd *cmds;
	unsigned int ncmds;
	const uint32_t *in_syncobjs;
	unsigned int nin_syncobjs;
	uint32_t out_syncobj;
	uint32_t engine;
	uint32_t timeout_ms;
	uint64_t job_id;
};

int aifab_accel_submit(struct aifab_accel *acc, struct aifab_accel_job *job);

/**
 * aifab_accel_cmd_copy() - a COPY command
 * @dst: destination BO handle
 * @dst_offset: byte offset into @dst
 * @src: source BO handle
 * @src_offset: byte offset into @src
 * @length: bytes to copy, non-zero
 *
 * One of @dst and @src may be a BO imported from another accelerator: the
 * bytes then cross the fabric.
 *
 * Return: the command.
 */
static inline struct drm_aifab_accel_cmd
aifab_accel_cmd_copy(uint32_t dst, uint64_t dst_offset, uint32_t src,
		     uint64_t src_offset, uint64_t length)
{
	struct drm_aifab_accel_cmd cmd = {
		.op = AIFAB_ACCEL_OP_COPY,
		.dst = dst,
		.src = src,
		.dst_offset = dst_offset,
		.src_offset = src_offset,
		.length = length,
	};

	return cmd;
}

/**
 * aifab_accel_cmd_fill() - a FILL command
 * @dst: destination BO handle
 * @dst_offset: byte offset into @dst, a multiple of 4
 * @length: bytes to fill, a non-zero multiple of 4
 * @pattern: the 32-bit value written
 *
 * Return: the command.
 */
static inline struct drm_aifab_accel_cmd
aifab_accel_cmd_fill(uint32_t dst, uint64_t dst_offset, uint64_t length,
		     uint32_t pattern)
{
	struct drm_aifab_accel_cmd cmd = {
		.op = AIFAB_ACCEL_OP_FILL,
		.dst = dst,
		.dst_offset = dst_offset,
		.length = length,
		.pattern = pattern,
	};

	return cmd;
}

/**
 * aifab_accel_cmd_reduce() - a REDUCE command: dst = op(dst, src)
 * @dst: destination BO handle, on the submitting accelerator
 * @dst_offset: byte offset into @dst, a multiple of 4
 * @src: source BO handle, on the submitting accelerator (not imported)
 * @src_offset: byte offset into @src, a multiple of 4
 * @length: bytes of elements, a non-zero multiple of 4
 * @dtype: &enum drm_aifab_accel_dtype
 * @reduce_op: &enum drm_aifab_accel_reduce_op
 *
 * Return: the command.
 */
static inline struct drm_aifab_accel_cmd
aifab_accel_cmd_reduce(uint32_t dst, uint64_t dst_offset, uint32_t src,
		       uint64_t src_offset, uint64_t length, uint32_t dtype,
		       uint32_t reduce_op)
{
	struct drm_aifab_accel_cmd cmd = {
		.op = AIFAB_ACCEL_OP_REDUCE,
		.dst = dst,
		.src = src,
		.dst_offset = dst_offset,
		.src_offset = src_offset,
		.length = length,
		.dtype = dtype,
		.reduce_op = reduce_op,
	};

	return cmd;
}

/**
 * aifab_accel_cmd_wait() - a WAIT command
 * @syncobj: syncobj handle; it must hold a fence when the job is submitted
 *
 * Return: the command.
 */
static inline struct drm_aifab_accel_cmd aifab_accel_cmd_wait(uint32_t syncobj)
{
	struct drm_aifab_accel_cmd cmd = {
		.op = AIFAB_ACCEL_OP_WAIT,
		.dst = syncobj,
	};

	return cmd;
}

/**
 * aifab_accel_cmd_signal() - a SIGNAL command
 * @syncobj: syncobj handle; it gets a fence that signals when the engine
 *	reaches this command
 *
 * Return: the command.
 */
static inline struct drm_aifab_accel_cmd
aifab_accel_cmd_signal(uint32_t syncobj)
{
	struct drm_aifab_accel_cmd cmd = {
		.op = AIFAB_ACCEL_OP_SIGNAL,
		.dst = syncobj,
	};

	return cmd;
}

#endif /* AIFAB_USERSPACE_ACCEL_H */
