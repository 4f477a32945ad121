/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * aifab: the accelerator devices' ioctls.
 *
 * Each local accelerator of the fabric is a DRM device: /dev/accel/accelN
 * on kernels with DRM accel (6.12), a render node /dev/dri/renderDN on 6.1.
 * The ioctls below are the same on both. Buffer handles, PRIME (dma-buf)
 * export and import, GEM_CLOSE and the syncobj ioctls are DRM's own.
 *
 * Conventions:
 * - Every struct has explicit padding; user pointers are __u64.
 * - Fields marked "must be 0" (flags, pad, reserved) are checked: a
 *   non-zero value gets -EINVAL, so that they can be given a meaning later.
 * - Structs may grow at their end; DRM zero-fills what an older caller
 *   did not pass.
 * - Sizes, offsets and lengths are in bytes and are checked against u64
 *   overflow before anything is done.
 */
#ifndef _UAPI_LINUX_AIFAB_ACCEL_H
#define _UAPI_LINUX_AIFAB_ACCEL_H

#include <linux/types.h>
#include <drm/drm.h>

#include <linux/aifab.h>

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_AIFAB_ACCEL_INFO		0x00
#define DRM_AIFAB_ACCEL_BO_CREATE	0x01
#define DRM_AIFAB_ACCEL_BO_INFO		0x02
#define DRM_AIFAB_ACCEL_SUBMIT		0x03

/* Limits of one job; see struct drm_aifab_accel_submit. */
#define AIFAB_ACCEL_MAX_CMDS		1024
#define AIFAB_ACCEL_MAX_JOB_BOS		64
#define AIFAB_ACCEL_MAX_IN_SYNCOBJS	64
/* Longest timeout a job may ask for. */
#define AIFAB_ACCEL_MAX_TIMEOUT_MS	600000

/**
 * struct drm_aifab_accel_info - what an accelerator is and what it holds
 * @fabric_dev_id: id of the fabric device this DRM device is
 * @engines: number of engines; a job names one in
 *	&drm_aifab_accel_submit.engine
 * @name: name of the fabric device, NUL-terminated
 * @mem_total: memory capacity ("HBM") in bytes
 * @mem_used: bytes held by buffer objects now
 * @mem_peak: highest @mem_used since the device was created
 * @bos: buffer objects alive, imported ones included
 * @jobs_submitted: jobs accepted
 * @jobs_completed: jobs that finished without error
 * @jobs_failed: jobs that finished with an error, timeouts included
 * @jobs_timedout: jobs cancelled because they ran past their timeout
 * @job_timeout_ms: the timeout of a job that asks for none
 * @partition_id: the device's partition, 0 for none
 * @flags: must be 0
 * @reserved: must be 0
 *
 * DRM_IOCTL_AIFAB_ACCEL_INFO fills everything but @flags and @reserved,
 * which the caller zeroes.
 */
struct drm_aifab_accel_info {
	__u32 fabric_dev_id;
	__u32 engines;
	char name[AIFAB_NAME_MAX];
	__u64 mem_total;
	__u64 mem_used;
	__u64 mem_peak;
	__u64 bos;
	__u64 jobs_submitted;
	__u64 jobs_completed;
	__u64 jobs_failed;
	__u64 jobs_timedout;
	__u32 job_timeout_ms;
	__u32 partition_id;
	__u32 flags;
	__u32 reserved[5];
};

/**
 * struct drm_aifab_accel_bo_create - allocate a buffer object
 * @size: in: bytes, a non-zero multiple of the page size; the device's
 *	free memory must hold it, or the call fails with -ENOSPC
 * @flags: in: must be 0
 * @handle: out: GEM handle of the new object
 *
 * The memory reads as zeros until written: nothing a previous owner
 * wrote is ever visible.
 */
struct drm_aifab_accel_bo_create {
	__u64 size;
	__u32 flags;
	__u32 handle;
};

/* A buffer object imported with PRIME; its memory is on another device. */
#define AIFAB_ACCEL_BO_IMPORTED		(1 << 0)

/**
 * struct drm_aifab_accel_bo_info - describe a buffer object
 * @handle: in: the object's GEM handle
 * @pad: in: must be 0
 * @size: out: bytes
 * @mmap_offset: out: offset to pass to mmap() on the device's file to map
 *	the object
 * @flags: out: AIFAB_ACCEL_BO_* flags
 * @home_dev_id: out: fabric device id of the accelerator whose memory
 *	holds the object, 0 if that is not an aifab accelerator
 */
struct drm_aifab_accel_bo_info {
	__u32 handle;
	__u32 pad;
	__u64 size;
	__u64 mmap_offset;
	__u32 flags;
	__u32 home_dev_id;
};

/**
 * enum drm_aifab_accel_op - what a command does
 * @AIFAB_ACCEL_OP_COPY: copy @length bytes from @src at @src_offset to
 *	@dst at @dst_offset. When either object lives on another
 *	accelerator, the bytes cross the fabric from the source's device to
 *	the destination's (from this device when both are on one peer): the
 *	route must be allowed and up, and a lossy link is retried or fails
 *	the job
 * @AIFAB_ACCEL_OP_FILL: write the 32-bit @pattern over @length bytes of
 *	@dst at @dst_offset; offset and length are multiples of 4
 * @AIFAB_ACCEL_OP_REDUCE: dst[i] = @reduce_op(dst[i], src[i]) over
 *	@length bytes of elements of type @dtype; offsets and length are
 *	multiples of 4. Both objects must live on this accelerator
 * @AIFAB_ACCEL_OP_WAIT: the job starts only when the fence in syncobj
 *	@dst has signalled; the syncobj must hold a fence at submit time
 * @AIFAB_ACCEL_OP_SIGNAL: syncobj @dst gets a fence at submit time that
 *	signals when the engine reaches this command, with the job's error
 *	if the job fails before it
 */
enum drm_aifab_accel_op {
	AIFAB_ACCEL_OP_COPY = 1,
	AIFAB_ACCEL_OP_FILL,
	AIFAB_ACCEL_OP_REDUCE,
	AIFAB_ACCEL_OP_WAIT,
	AIFAB_ACCEL_OP_SIGNAL,
};

/**
 * enum drm_aifab_accel_dtype - element type of a REDUCE
 * @AIFAB_ACCEL_DTYPE_F32: IEEE 754 single precision
 * @AIFAB_ACCEL_DTYPE_I32: two's complement 32-bit integer; sums wrap
 */
enum drm_aifab_accel_dtype {
	AIFAB_ACCEL_DTYPE_F32 = 1,
	AIFAB_ACCEL_DTYPE_I32,
};

/**
 * enum drm_aifab_accel_reduce_op - how a REDUCE combines two elements
 * @AIFAB_ACCEL_REDUCE_SUM: a + b
 * @AIFAB_ACCEL_REDUCE_MIN: b < a ? b : a
 * @AIFAB_ACCEL_REDUCE_MAX: b > a ? b : a
 */
enum drm_aifab_accel_reduce_op {
	AIFAB_ACCEL_REDUCE_SUM = 1,
	AIFAB_ACCEL_REDUCE_MIN,
	AIFAB_ACCEL_REDUCE_MAX,
};

/**
 * struct drm_aifab_accel_cmd - one command of a job
 * @op: &enum drm_aifab_accel_op
 * @flags: must be 0
 * @dst: GEM handle of the destination object; for WAIT and SIGNAL, the
 *	syncobj handle
 * @src: GEM handle of the source object (COPY, REDUCE); 0 otherwise
 * @dst_offset: byte offset into @dst
 * @src_offset: byte offset into @src; 0 when there is no @src
 * @length: bytes to process, non-zero for COPY, FILL and REDUCE; 0 for
 *	WAIT and SIGNAL
 * @dtype: REDUCE: &enum drm_aifab_accel_dtype; 0 otherwise
 * @reduce_op: REDUCE: &enum drm_aifab_accel_reduce_op; 0 otherwise
 * @pattern: FILL: the 32-bit value written; 0 otherwise
 * @pad: must be 0
 *
 * Every range must lie inside its object; fields an op does not use must
 * be 0.
 */
struct drm_aifab_accel_cmd {
	__u32 op;
	__u32 flags;
	__u32 dst;
	__u32 src;
	__u64 dst_offset;
	__u64 src_offset;
	__u64 length;
	__u32 dtype;
	__u32 reduce_op;
	__u32 pattern;
	__u32 pad;
};

/**
 * struct drm_aifab_accel_submit - queue a job on an engine
 * @cmds: in: user pointer to an array of &struct drm_aifab_accel_cmd
 * @in_syncobjs: in: user pointer to an array of __u32 syncobj handles; the
 *	job starts when all their fences have signalled
 * @ncmds: in: entries in @cmds, 0 to AIFAB_ACCEL_MAX_CMDS; a job with none
 *	just joins its in-fences into its out-fence
 * @nin_syncobjs: in: entries in @in_syncobjs, 0 to
 *	AIFAB_ACCEL_MAX_IN_SYNCOBJS
 * @engine: in: engine index, below &drm_aifab_accel_info.engines
 * @out_syncobj: in: syncobj handle that receives the job's completion
 *	fence, 0 for none. The fence carries the job's error: -ETIMEDOUT
 *	past the timeout, -ECANCELED when the file closed, the fabric's
 *	error (-EACCES, -ENETUNREACH, -EHOSTUNREACH, -EIO) for a peer COPY
 * @timeout_ms: in: cancel the job when it runs longer than this, 0 for
 *	the device's default; at most AIFAB_ACCEL_MAX_TIMEOUT_MS
 * @flags: in: must be 0
 * @job_id: out: sequence number of the job on this device, for diagnostics
 * @reserved: in: must be 0
 *
 * The commands run in order. Every object and syncobj they name is
 * looked up, and every range checked, before the job is accepted: a bad
 * command fails the ioctl and queues nothing. A job uses at most
 * AIFAB_ACCEL_MAX_JOB_BOS distinct objects, and holds a reference on each
 * until it completes, so closing a handle after submit is safe.
 */
struct drm_aifab_accel_submit {
	__u64 cmds;
	__u64 in_syncobjs;
	__u32 ncmds;
	__u32 nin_syncobjs;
	__u32 engine;
	__u32 out_syncobj;
	__u32 timeout_ms;
	__u32 flags;
	__u64 job_id;
	__u64 reserved[2];
};

#define DRM_IOCTL_AIFAB_ACCEL_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_AIFAB_ACCEL_INFO, struct drm_aifab_accel_info)
#define DRM_IOCTL_AIFAB_ACCEL_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_AIFAB_ACCEL_BO_CREATE, struct drm_aifab_accel_bo_create)
#define DRM_IOCTL_AIFAB_ACCEL_BO_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_AIFAB_ACCEL_BO_INFO, struct drm_aifab_accel_bo_info)
#define DRM_IOCTL_AIFAB_ACCEL_SUBMIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_AIFAB_ACCEL_SUBMIT, struct drm_aifab_accel_submit)

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_LINUX_AIFAB_ACCEL_H */
