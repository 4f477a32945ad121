/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Accelerator devices: one DRM device per local accelerator of the fabric.
 *
 * The files, each using only the ones below it:
 * - accel_drv.c: the DRM driver, device creation per fabric device, open
 *   and close, the INFO ioctl;
 * - accel_sysfs.c, accel_debugfs.c: diagnostics;
 * - accel_job.c: the SUBMIT ioctl, which checks a job whole and queues it
 *   on an engine's drm_sched scheduler;
 * - accel_engine.c: the software engine, which runs the commands;
 * - accel_reduce.c: REDUCE's arithmetic, the only code built for the FPU;
 * - accel_bo.c: buffer objects (GEM shmem), memory accounting and PRIME.
 *
 * Locking:
 * - aifab_accel_lock (accel_drv.c) serialises creating and removing DRM
 *   devices and guards the list of them.
 * - Counters are atomics. &struct aifab_accel_dev.jobs_lock guards the
 *   list of jobs in flight.
 * - The fabric mutex is taken on open and close only, never in the engine:
 *   the engine asks the fabric's routing function, which uses RCU.
 * - &struct aifab_accel_dev.bo_lock guards the list of the device's own
 *   buffer objects. A scrub (aifab_accel_scrub()) takes it under the
 *   fabric mutex, and each object's dma_resv lock under it; nothing takes
 *   them the other way round: creating and freeing an object take bo_lock
 *   alone, and nobody drops an object's last reference while holding its
 *   dma_resv lock or the fabric mutex. So: fabric mutex, then bo_lock, then
 *   an object's dma_resv lock.
 */
#ifndef _AIFAB_ACCEL_H
#define _AIFAB_ACCEL_H

#include <linux/atomic.h>
#include <linux/dma-fence.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <drm/drm_device.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/gpu_scheduler.h>

#include <linux/aifab.h>
#include <linux/aifab_accel.h>

#include "route.h"

struct aifab_fabric;
struct dma_buf;
struct dentry;
struct platform_device;

/* Engines per device; each has its own drm_sched scheduler. */
#define AIFAB_ACCEL_ENGINES		2
/* Jobs queued on one engine's hardware ring at most. */
#define AIFAB_ACCEL_RING_JOBS		64
#define AIFAB_ACCEL_DEFAULT_TIMEOUT_MS	10000
/*
 * The engine checks cancellation and the deadline after each chunk, so a
 * job stops at most this many bytes after it should; a peer COPY crosses
 * the fabric in transfers of this size.
 */
#define AIFAB_ACCEL_CHUNK_BYTES		(256 * 1024)

/**
 * struct aifab_accel_engine - one software engine of a device
 * @sched: its scheduler; run_job() executes the job before returning
 * @adev: the device
 * @index: engine number, as &drm_aifab_accel_submit.engine names it
 * @fence_context: dma_fence context of the engine's completion fences
 * @seqno: last completion fence number; scheduler thread only
 * @fence_lock: lock of the engine's completion fences
 * @running: id of the job running now, 0 when idle; read by debugfs
 * @jobs_run: jobs the engine ran
 * @wq: ordered workqueue that executes the jobs, one at a time
 */
struct aifab_accel_engine {
	struct drm_gpu_scheduler sched;
	struct workqueue_struct *wq;
	struct aifab_accel_dev *adev;
	unsigned int index;
	u64 fence_context;
	u64 seqno;
	/* the lock of the engine's fences, as dma_fence_init() wants one */
	spinlock_t fence_lock;
	atomic64_t running;
	atomic64_t jobs_run;
};

/**
 * struct aifab_accel_dev - a local accelerator
 * @drm: the DRM device; the struct lives as long as it does
 * @pdev: the parent platform device
 * @list: entry in the list of devices, under aifab_accel_lock
 * @fab: the fabric
 * @fab_dev_id: id of the fabric device this is
 * @name: name of the fabric device
 * @mem_total: memory capacity ("HBM") in bytes
 * @mem_used: bytes charged to live buffer objects
 * @mem_peak: highest @mem_used seen
 * @bos: live buffer objects, imported ones included
 * @bo_lock: guards @bo_list
 * @bo_list: the live buffer objects this device owns the pages of (not
 *	imports), &aifab_accel_bo.node; for the scrub
 * @scrubs: scrub passes over the device's memory
 * @scrub_bytes: bytes those passes zeroed
 * @jobs_submitted: jobs accepted
 * @jobs_completed: jobs finished without error
 * @jobs_failed: jobs finished with an error
 * @jobs_timedout: jobs cancelled at their deadline
 * @job_seq: last job id handed out
 * @job_timeout_ms: timeout of jobs that ask for none; READ_ONCE/WRITE_ONCE
 * @engines: the engines
 * @jobs_lock: guards @jobs
 * @jobs: jobs submitted and not yet freed, for debugfs
 * @jobs_idle: woken when @jobs becomes empty
 * @debugfs: the device's debugfs directory
 */
struct aifab_accel_dev {
	struct drm_device drm;
	struct platform_device *pdev;
	struct list_head list;
	struct aifab_fabric *fab;
	u32 fab_dev_id;
	char name[AIFAB_NAME_MAX];
	u64 mem_total;
	atomic64_t mem_used;
	atomic64_t mem_peak;
	atomic64_t bos;
	/* guards @bo_list */
	struct mutex bo_lock;
	struct list_head bo_list;
	atomic64_t scrubs;
	atomic64_t scrub_bytes;
	atomic64_t jobs_submitted;
	atomic64_t jobs_completed;
	atomic64_t jobs_failed;
	atomic64_t jobs_timedout;
	atomic64_t job_seq;
	u32 job_timeout_ms;
	struct aifab_accel_engine engines[AIFAB_ACCEL_ENGINES];
	/* guards @jobs */
	spinlock_t jobs_lock;
	struct list_head jobs;
	wait_queue_head_t jobs_idle;
	struct dentry *debugfs;
};

static inline struct aifab_accel_dev *to_aifab_accel_dev(struct drm_device *drm)
{
	return container_of(drm, struct aifab_accel_dev, drm);
}

/**
 * struct aifab_accel_cancel - tells a file's running jobs to stop
 * @ref: held by the file and by each of its jobs
 * @cancelled: set when the file closes
 */
struct aifab_accel_cancel {
	struct kref ref;
	atomic_t cancelled;
};

/**
 * struct aifab_accel_file - per-open-file state
 * @adev: the device
 * @entity: one scheduler entity per engine
 * @cancel: shared with the file's jobs
 * @submit_lock: keeps arming and pushing jobs in one order
 */
struct aifab_accel_file {
	struct aifab_accel_dev *adev;
	struct drm_sched_entity entity[AIFAB_ACCEL_ENGINES];
	struct aifab_accel_cancel *cancel;
	/* held from drm_sched_job_arm() to drm_sched_entity_push_job() */
	struct mutex submit_lock;
};

/**
 * struct aifab_accel_bo - a buffer object
 * @base: the GEM shmem object
 * @charged: bytes charged to the device's memory; 0 for an import
 * @node: entry in &aifab_accel_dev.bo_list, under its bo_lock, from
 *	creation to free; empty for an import
 */
struct aifab_accel_bo {
	struct drm_gem_shmem_object base;
	u64 charged;
	struct list_head node;
};

/**
 * struct aifab_accel_mem - where a buffer object's bytes are
 * @obj: the object a job named (holds a reference)
 * @backing: the shmem object that owns the pages: @obj itself, or for an
 *	import the peer's object it was exported from
 * @home: the accelerator whose memory that is
 */
struct aifab_accel_mem {
	struct drm_gem_object *obj;
	struct drm_gem_shmem_object *backing;
	struct aifab_accel_dev *home;
};

/**
 * struct aifab_accel_job - a job, from submit until its scheduler frees it
 * @base: the scheduler's job
 * @adev: the device
 * @engine: the engine it was queued on
 * @cancel: its file's cancel flag
 * @list: entry in &aifab_accel_dev.jobs
 * @id: sequence number on the device
 * @timeout_ms: the job's timeout
 * @ncmds: commands in @cmds
 * @cmds: the commands, copied from userspace and checked
 * @cmd_dst: per command, index into @mem of its destination, or -1
 * @cmd_src: per command, index into @mem of its source, or -1
 * @cmd_fence: per command, the fence a SIGNAL command signals, or NULL
 * @nmem: entries in @mem
 * @mem: the objects the commands use, each once
 * @nin: entries in @in_fences
 * @in_fences: fences the job waits for, kept to learn their errors
 * @hw_fence: signalled when the engine is done with the job; allocated at
 *	submit, initialised when the job runs
 * @hw_fence_armed: @hw_fence is initialised and holds a reference
 * @base_initialised: drm_sched_job_init() succeeded on @base
 * @ran: the engine ran the job (successfully or not)
 * @work: the engine's work item that executes the job
 * @rt: the route of the current peer COPY; engine only
 */
struct aifab_accel_job {
	struct drm_sched_job base;
	struct aifab_accel_dev *adev;
	struct aifab_accel_engine *engine;
	struct aifab_accel_cancel *cancel;
	struct list_head list;
	u64 id;
	u32 timeout_ms;
	u32 ncmds;
	struct drm_aifab_accel_cmd *cmds;
	s8 *cmd_dst;
	s8 *cmd_src;
	struct dma_fence **cmd_fence;
	u32 nmem;
	struct aifab_accel_mem mem[AIFAB_ACCEL_MAX_JOB_BOS];
	u32 nin;
	struct dma_fence **in_fences;
	struct dma_fence *hw_fence;
	bool hw_fence_armed;
	bool base_initialised;
	bool ran;
	struct work_struct work;
	struct aifab_route rt;
};

static inline struct aifab_accel_job *to_aifab_accel_job(struct drm_sched_job *j)
{
	return container_of(j, struct aifab_accel_job, base);
}

/**
 * struct aifab_accel_stats - an accelerator, as the fabric reports it
 * @dev_node: its device node
 * @mem_used: &aifab_accel_dev.mem_used
 * @mem_peak: &aifab_accel_dev.mem_peak
 * @jobs_completed: &aifab_accel_dev.jobs_completed
 * @jobs_failed: &aifab_accel_dev.jobs_failed
 * @scrubs: &aifab_accel_dev.scrubs
 * @scrub_bytes: &aifab_accel_dev.scrub_bytes
 */
struct aifab_accel_stats {
	char dev_node[32];
	u64 mem_used;
	u64 mem_peak;
	u64 jobs_completed;
	u64 jobs_failed;
	u64 scrubs;
	u64 scrub_bytes;
};

/* accel_drv.c */
int aifab_accel_init(struct aifab_fabric *fab, struct dentry *aifab_debugfs);
void aifab_accel_exit(void);
int aifab_accel_sync(struct aifab_fabric *fab);
int aifab_accel_stats(u32 fab_dev_id, struct aifab_accel_stats *st);
int aifab_accel_scrub(u32 fab_dev_id, u64 *bytes);
void aifab_accel_uevent_sync(struct aifab_fabric *fab);

/* accel_bo.c */
extern const struct drm_gem_object_funcs aifab_accel_bo_funcs;
struct drm_gem_object *aifab_accel_gem_create_object(struct drm_device *drm,
						     size_t size);
struct drm_gem_object *aifab_accel_prime_import(struct drm_device *drm,
						struct dma_buf *dmabuf);
struct page **aifab_accel_dmabuf_pages(struct dma_buf *dmabuf);
int aifab_accel_mem_resolve(struct aifab_accel_dev *adev,
			    struct drm_gem_object *obj,
			    struct aifab_accel_mem *mem);
int aifab_accel_bo_create_ioctl(struct drm_device *drm, void *data,
				struct drm_file *file);
int aifab_accel_bo_info_ioctl(struct drm_device *drm, void *data,
			      struct drm_file *file);
int aifab_accel_scrub_bos(struct aifab_accel_dev *adev, u64 *bytes);

/* accel_job.c */
int aifab_accel_submit_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file);
void aifab_accel_cancel_put(struct aifab_accel_cancel *cancel);
void aifab_accel_job_free(struct aifab_accel_job *job);

/* accel_engine.c */
extern const struct drm_sched_backend_ops aifab_accel_sched_ops;
struct dma_fence *aifab_accel_fence_create(spinlock_t *lock, u64 context,
					   u64 seqno);
int aifab_accel_engines_init(struct aifab_accel_dev *adev);
void aifab_accel_engines_fini(struct aifab_accel_dev *adev);

/* accel_reduce.c: call between kernel_fpu_begin() and kernel_fpu_end() */
void aifab_accel_reduce(void *dst, const void *src, size_t n,
			u32 dtype, u32 op);

/* accel_sysfs.c */
int aifab_accel_sysfs_add(struct aifab_accel_dev *adev);
void aifab_accel_sysfs_del(struct aifab_accel_dev *adev);

/* accel_debugfs.c */
void aifab_accel_debugfs_init(struct dentry *aifab_root);
void aifab_accel_debugfs_add(struct aifab_accel_dev *adev);

#endif /* _AIFAB_ACCEL_H */
