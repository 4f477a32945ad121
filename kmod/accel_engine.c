// SPDX-License-Identifier: GPL-2.0
/*
 * The software engine: each engine's drm_sched scheduler calls run_job(),
 * which hands the job to the engine's ordered workqueue and returns its
 * completion fence; the work item executes the commands on the CPU and
 * signals the fence. The work runs at normal priority: 6.1's scheduler
 * thread is real-time, and a CPU-bound job there would starve the machine.
 *
 * Timeouts: drm_sched's timeout handler could only ask a running CPU loop
 * to stop, so the engine checks the job's deadline itself, and its file's
 * cancel flag, every AIFAB_ACCEL_CHUNK_BYTES. A late job fails with
 * -ETIMEDOUT at most one chunk after its deadline, and the engine goes on
 * with the next job: nothing needs resetting.
 *
 * The engine takes no sleeping lock and allocates only atomically (the
 * routing function's scratch space): it runs on the path that signals
 * fences.
 */
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <asm/fpu/api.h>
#include <drm/drm_print.h>

#include "accel.h"
#include "compat.h"
#include "fabric.h"
#include "health.h"
#include "objcount.h"

static const char *aifab_accel_fence_driver_name(struct dma_fence *fence)
{
	return KBUILD_MODNAME;
}

static const char *aifab_accel_fence_timeline_name(struct dma_fence *fence)
{
	return "aifab-accel";
}

/* Every fence holds the module: a syncobj or sync_file may outlive files. */
static void aifab_accel_fence_release(struct dma_fence *fence)
{
	dma_fence_free(fence);
	aifab_obj_put(AIFAB_OBJ_ACCEL_FENCE);
	module_put(THIS_MODULE);
}

static const struct dma_fence_ops aifab_accel_fence_ops = {
	.get_driver_name = aifab_accel_fence_driver_name,
	.get_timeline_name = aifab_accel_fence_timeline_name,
	.release = aifab_accel_fence_release,
};

static void aifab_accel_fence_init(struct dma_fence *fence, spinlock_t *lock,
				   u64 context, u64 seqno)
{
	__module_get(THIS_MODULE);
	aifab_obj_get(AIFAB_OBJ_ACCEL_FENCE);
	dma_fence_init(fence, &aifab_accel_fence_ops, lock, context, seqno);
}

/**
 * aifab_accel_fence_create() - a new fence the engine will signal
 * @lock: the fence's lock
 * @context: its dma_fence context
 * @seqno: its number in @context
 *
 * Return: the fence, or NULL without memory.
 */
struct dma_fence *aifab_accel_fence_create(spinlock_t *lock, u64 context,
					   u64 seqno)
{
	struct dma_fence *fence = kzalloc(sizeof(*fence), GFP_KERNEL);

	if (fence)
		aifab_accel_fence_init(fence, lock, context, seqno);
	return fence;
}

/* Where a job is, for the periodic cancellation and deadline check. */
struct aifab_accel_exec {
	struct aifab_accel_job *job;
	unsigned long deadline;
	u64 unchecked;
};

static int aifab_accel_progress(struct aifab_accel_exec *x, u64 bytes)
{
	x->unchecked += bytes;
	if (x->unchecked < AIFAB_ACCEL_CHUNK_BYTES)
		return 0;
	x->unchecked = 0;
	cond_resched();
	if (atomic_read(&x->job->cancel->cancelled))
		return -ECANCELED;
	if (time_after(jiffies, x->deadline))
		return -ETIMEDOUT;
	return 0;
}

static struct page *aifab_accel_page(const struct aifab_accel_mem *mem,
				     u64 off)
{
	return mem->backing->pages[off >> PAGE_SHIFT];
}

/* Bytes from @off to the end of its page. */
static size_t aifab_accel_page_left(u64 off)
{
	return PAGE_SIZE - offset_in_page(off);
}

static int aifab_accel_fill(struct aifab_accel_exec *x,
			    const struct aifab_accel_mem *dst, u64 off,
			    u64 len, u32 pattern)
{
	size_t n;
	void *va;
	int ret;

	while (len) {
		n = min_t(u64, len, aifab_accel_page_left(off));
		va = kmap_local_page(aifab_accel_page(dst, off));
		memset32(va + offset_in_page(off), pattern, n / 4);
		kunmap_local(va);
		off += n;
		len -= n;
		ret = aifab_accel_progress(x, n);
		if (ret)
			return ret;
	}
	return 0;
}

/* Walks two ranges a page piece at a time; @fpu brackets REDUCE's work. */
static int aifab_accel_walk(struct aifab_accel_exec *x,
			    const struct drm_aifab_accel_cmd *c,
			    const struct aifab_accel_mem *dst, u64 doff,
			    const struct aifab_accel_mem *src, u64 soff, u64 len)
{
	void *d, *s;
	size_t n;
	int ret;

	while (len) {
		n = min3(len, (u64)aifab_accel_page_left(doff),
			 (u64)aifab_accel_page_left(soff));
		d = kmap_local_page(aifab_accel_page(dst, doff));
		s = kmap_local_page(aifab_accel_page(src, soff));
		if (c->op == AIFAB_ACCEL_OP_REDUCE) {
			kernel_fpu_begin();
			aifab_accel_reduce(d + offset_in_page(doff),
					   s + offset_in_page(soff), n / 4,
					   c->dtype, c->reduce_op);
			kernel_fpu_end();
		} else {
			memcpy(d + offset_in_page(doff),
			       s + offset_in_page(soff), n);
		}
		kunmap_local(s);
		kunmap_local(d);
		doff += n;
		soff += n;
		len -= n;
		ret = aifab_accel_progress(x, n);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * A COPY that leaves the submitting accelerator crosses the fabric a chunk
 * at a time: each chunk is routed and sent (lossy links retried) before
 * its bytes land, so a refused or failed chunk never lands at all. The
 * bytes go from @from to @to: the source's device to the destination's,
 * or, when both are on one peer, from this device to that peer, whose
 * memory it is changing.
 */
static int aifab_accel_copy_peer(struct aifab_accel_exec *x,
				 const struct drm_aifab_accel_cmd *c,
				 const struct aifab_accel_mem *dst,
				 const struct aifab_accel_mem *src)
{
	struct aifab_accel_job *job = x->job;
	u32 to = dst->home->fab_dev_id;
	u32 from = dst->home == src->home ? job->adev->fab_dev_id :
		   src->home->fab_dev_id;
	u64 done = 0, n;
	int ret;

	while (done < c->length) {
		n = min_t(u64, c->length - done, AIFAB_ACCEL_CHUNK_BYTES);
		ret = aifab_fabric_transfer(job->adev->fab, from, to, n,
					    &job->rt);
		/* A link went down under the chunk: once more, on a new path. */
		if (ret == -EHOSTUNREACH)
			ret = aifab_fabric_transfer(job->adev->fab, from, to, n,
						    &job->rt);
		if (ret)
			return ret;
		ret = aifab_accel_walk(x, c, dst, c->dst_offset + done, src,
				       c->src_offset + done, n);
		if (ret)
			return ret;
		done += n;
	}
	return 0;
}

static int aifab_accel_exec_cmd(struct aifab_accel_exec *x, u32 i)
{
	struct aifab_accel_job *job = x->job;
	const struct drm_aifab_accel_cmd *c = &job->cmds[i];
	const struct aifab_accel_mem *dst = NULL, *src = NULL;

	if (job->cmd_dst[i] >= 0)
		dst = &job->mem[job->cmd_dst[i]];
	if (job->cmd_src[i] >= 0)
		src = &job->mem[job->cmd_src[i]];
	switch (c->op) {
	case AIFAB_ACCEL_OP_COPY:
		if (dst->home != job->adev || src->home != job->adev)
			return aifab_accel_copy_peer(x, c, dst, src);
		fallthrough;
	case AIFAB_ACCEL_OP_REDUCE:
		return aifab_accel_walk(x, c, dst, c->dst_offset, src,
					c->src_offset, c->length);
	case AIFAB_ACCEL_OP_FILL:
		return aifab_accel_fill(x, dst, c->dst_offset, c->length,
					c->pattern);
	case AIFAB_ACCEL_OP_SIGNAL:
		dma_fence_signal(job->cmd_fence[i]);
		return 0;
	default:
		/* WAIT was a dependency: the job runs only after it. */
		return 0;
	}
}

static int aifab_accel_exec(struct aifab_accel_job *job)
{
	struct aifab_accel_exec x = {
		.job = job,
		.deadline = jiffies + msecs_to_jiffies(job->timeout_ms),
	};
	int ret = 0;
	u32 i;

	/* A failed job upstream makes this one's inputs garbage. */
	for (i = 0; i < job->nin && !ret; i++)
		ret = min(dma_fence_get_status(job->in_fences[i]), 0);
	for (i = 0; i < job->ncmds && !ret; i++)
		ret = aifab_accel_exec_cmd(&x, i);
	return ret;
}

static void aifab_accel_job_account(struct aifab_accel_job *job, int err)
{
	struct aifab_accel_dev *adev = job->adev;

	if (!err) {
		atomic64_inc(&adev->jobs_completed);
		return;
	}
	atomic64_inc(&adev->jobs_failed);
	if (err == -ETIMEDOUT) {
		atomic64_inc(&adev->jobs_timedout);
		dev_info_ratelimited(adev->drm.dev, "job %llu on engine %u cancelled: past its %u ms timeout\n",
				     job->id, job->engine->index,
				     job->timeout_ms);
	}
}

/* SIGNAL commands the engine did not reach carry the job's error. */
static void aifab_accel_signal_rest(struct aifab_accel_job *job, int err)
{
	struct dma_fence *fence;
	u32 i;

	for (i = 0; i < job->ncmds; i++) {
		fence = job->cmd_fence[i];
		if (!fence || dma_fence_is_signaled(fence))
			continue;
		dma_fence_set_error(fence, err);
		dma_fence_signal(fence);
	}
}

static void aifab_accel_exec_work(struct work_struct *work)
{
	struct aifab_accel_job *job = container_of(work, struct aifab_accel_job,
						   work);
	struct aifab_accel_engine *engine = job->engine;
	struct dma_fence *fence = job->hw_fence;
	int err = job->base.s_fence->finished.error;

	if (!err) {
		atomic64_set(&engine->running, job->id);
		err = aifab_accel_exec(job);
		atomic64_set(&engine->running, 0);
	}
	atomic64_inc(&engine->jobs_run);
	aifab_accel_job_account(job, err);
	WRITE_ONCE(job->ran, true);
	if (err) {
		aifab_accel_signal_rest(job, err);
		/* 6.1's scheduler does not pass the error on; set it here. */
		dma_fence_set_error(&job->base.s_fence->finished, err);
		dma_fence_set_error(fence, err);
	}
	/* The scheduler may free the job from here on. */
	dma_fence_signal(fence);
}

static struct dma_fence *aifab_accel_run_job(struct drm_sched_job *sched_job)
{
	struct aifab_accel_job *job = to_aifab_accel_job(sched_job);
	struct aifab_accel_engine *engine = job->engine;
	struct dma_fence *fence = job->hw_fence;

	aifab_accel_fence_init(fence, &engine->fence_lock,
			       engine->fence_context, ++engine->seqno);
	job->hw_fence_armed = true;
	INIT_WORK(&job->work, aifab_accel_exec_work);
	queue_work(engine->wq, &job->work);
	return dma_fence_get(fence);
}

/*
 * Never called: the scheduler's timeout is MAX_SCHEDULE_TIMEOUT, since the
 * engine enforces each job's deadline itself.
 */
static enum drm_gpu_sched_stat
aifab_accel_timedout_job(struct drm_sched_job *sched_job)
{
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void aifab_accel_free_job(struct drm_sched_job *sched_job)
{
	struct aifab_accel_job *job = to_aifab_accel_job(sched_job);
	struct aifab_accel_dev *adev = job->adev;

	bool idle;

	/* Killed before it ran: its file closed, or its device went away. */
	if (!job->ran)
		atomic64_inc(&adev->jobs_failed);
	drm_sched_job_cleanup(sched_job);
	spin_lock(&adev->jobs_lock);
	list_del(&job->list);
	idle = list_empty(&adev->jobs);
	spin_unlock(&adev->jobs_lock);
	/* drm_sched_fini() waits for this function, not just for the wake. */
	aifab_accel_job_free(job);
	if (idle)
		wake_up_all(&adev->jobs_idle);
}

const struct drm_sched_backend_ops aifab_accel_sched_ops = {
	.run_job = aifab_accel_run_job,
	.timedout_job = aifab_accel_timedout_job,
	.free_job = aifab_accel_free_job,
};

/**
 * aifab_accel_engines_init() - start a device's engines
 * @adev: the device
 *
 * Return: 0 or a negative errno, with no engine left running.
 */
int aifab_accel_engines_init(struct aifab_accel_dev *adev)
{
	struct aifab_accel_engine *engine;
	unsigned int i;
	int ret;

	for (i = 0; i < AIFAB_ACCEL_ENGINES; i++) {
		engine = &adev->engines[i];
		engine->adev = adev;
		engine->index = i;
		engine->fence_context = dma_fence_context_alloc(1);
		spin_lock_init(&engine->fence_lock);
		engine->wq = alloc_ordered_workqueue("aifab-%s-%u", 0, adev->name,
						     i);
		if (!engine->wq) {
			ret = -ENOMEM;
			goto err_fini_engines;
		}
		ret = aifab_sched_init(&engine->sched, &aifab_accel_sched_ops,
				       AIFAB_ACCEL_RING_JOBS, adev->name,
				       adev->drm.dev);
		if (ret) {
			destroy_workqueue(engine->wq);
			goto err_fini_engines;
		}
	}
	return 0;

err_fini_engines:
	while (i--) {
		drm_sched_fini(&adev->engines[i].sched);
		destroy_workqueue(adev->engines[i].wq);
	}
	return ret;
}

static bool aifab_accel_jobs_idle(struct aifab_accel_dev *adev)
{
	bool idle;

	spin_lock(&adev->jobs_lock);
	idle = list_empty(&adev->jobs);
	spin_unlock(&adev->jobs_lock);
	return idle;
}

/**
 * aifab_accel_engines_fini() - stop a device's engines
 * @adev: the device, with no open file left
 *
 * A closed file's last jobs may still be running or waiting for their
 * fences, and drm_sched_fini() would leak them: wait until the scheduler
 * has freed every one. They are cancelled, so that does not take long;
 * a job stuck on a foreign fence that never signals is reported.
 */
void aifab_accel_engines_fini(struct aifab_accel_dev *adev)
{
	unsigned int i;

	while (!wait_event_timeout(adev->jobs_idle, aifab_accel_jobs_idle(adev),
				   10 * HZ))
		drm_warn(&adev->drm, "waiting for jobs to finish before removing the device\n");
	for (i = 0; i < AIFAB_ACCEL_ENGINES; i++) {
		drm_sched_fini(&adev->engines[i].sched);
		destroy_workqueue(adev->engines[i].wq);
	}
}
