// SPDX-License-Identifier: GPL-2.0
/*
 * DRM_IOCTL_AIFAB_ACCEL_SUBMIT: check a job whole, then queue it.
 *
 * Everything that can fail happens before drm_sched_job_arm(): copying the
 * commands, looking up every object and syncobj, checking every range,
 * pinning the pages and creating the fences. After it nothing can, so a
 * refused submit leaves no trace.
 */
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>

#include "accel.h"
#include "compat.h"
#include "objcount.h"

/* What a submit holds on to until the job is queued or refused. */
struct aifab_accel_submit_ctx {
	struct drm_file *file;
	struct drm_syncobj *out;
	struct drm_syncobj **sig;
	u32 handle[AIFAB_ACCEL_MAX_JOB_BOS];
};

static void aifab_accel_cancel_release(struct kref *ref)
{
	kfree(container_of(ref, struct aifab_accel_cancel, ref));
}

/**
 * aifab_accel_cancel_put() - drop a reference to a cancel flag
 * @cancel: the flag
 */
void aifab_accel_cancel_put(struct aifab_accel_cancel *cancel)
{
	kref_put(&cancel->ref, aifab_accel_cancel_release);
}

static int aifab_accel_check_args(struct drm_device *drm,
				  const struct drm_aifab_accel_submit *args)
{
	if (args->flags || args->reserved[0] || args->reserved[1]) {
		drm_dbg(drm, "SUBMIT: flags and reserved must be 0\n");
		return -EINVAL;
	}
	if (args->engine >= AIFAB_ACCEL_ENGINES) {
		drm_dbg(drm, "SUBMIT: no engine %u\n", args->engine);
		return -EINVAL;
	}
	if (args->ncmds > AIFAB_ACCEL_MAX_CMDS ||
	    args->nin_syncobjs > AIFAB_ACCEL_MAX_IN_SYNCOBJS) {
		drm_dbg(drm, "SUBMIT: too many commands or in-syncobjs\n");
		return -E2BIG;
	}
	if (args->timeout_ms > AIFAB_ACCEL_MAX_TIMEOUT_MS) {
		drm_dbg(drm, "SUBMIT: timeout over %u ms\n",
			AIFAB_ACCEL_MAX_TIMEOUT_MS);
		return -EINVAL;
	}
	return 0;
}

static struct aifab_accel_job *
aifab_accel_job_alloc(struct aifab_accel_dev *adev,
		      const struct drm_aifab_accel_submit *args)
{
	struct aifab_accel_job *job = kzalloc(sizeof(*job), GFP_KERNEL);
	u32 n = args->ncmds;

	if (!job)
		return NULL;
	aifab_obj_get(AIFAB_OBJ_ACCEL_JOB);
	job->adev = adev;
	job->engine = &adev->engines[args->engine];
	job->ncmds = n;
	INIT_LIST_HEAD(&job->list);
	job->cmds = kvcalloc(n ?: 1, sizeof(*job->cmds), GFP_KERNEL);
	job->cmd_dst = kvcalloc(n ?: 1, sizeof(*job->cmd_dst), GFP_KERNEL);
	job->cmd_src = kvcalloc(n ?: 1, sizeof(*job->cmd_src), GFP_KERNEL);
	job->cmd_fence = kvcalloc(n ?: 1, sizeof(*job->cmd_fence), GFP_KERNEL);
	job->in_fences = kcalloc(args->nin_syncobjs + n ?: 1,
				 sizeof(*job->in_fences), GFP_KERNEL);
	job->hw_fence = kzalloc(sizeof(*job->hw_fence), GFP_KERNEL);
	return job;
}

/**
 * aifab_accel_job_free() - release everything a job holds
 * @job: the job; its scheduler job is cleaned up already, or was never
 *	initialised
 *
 * A SIGNAL fence the engine never reached is signalled here with an
 * error, so that nobody waits for it forever.
 */
void aifab_accel_job_free(struct aifab_accel_job *job)
{
	u32 i;

	for (i = 0; i < job->nmem; i++)
		drm_gem_object_put(job->mem[i].obj);
	for (i = 0; i < job->nin; i++)
		dma_fence_put(job->in_fences[i]);
	for (i = 0; job->cmd_fence && i < job->ncmds; i++) {
		if (!job->cmd_fence[i])
			continue;
		if (!dma_fence_is_signaled(job->cmd_fence[i])) {
			dma_fence_set_error(job->cmd_fence[i], -ECANCELED);
			dma_fence_signal(job->cmd_fence[i]);
		}
		dma_fence_put(job->cmd_fence[i]);
	}
	if (job->hw_fence_armed)
		dma_fence_put(job->hw_fence);
	else
		kfree(job->hw_fence);
	if (job->cancel)
		aifab_accel_cancel_put(job->cancel);
	kvfree(job->cmds);
	kvfree(job->cmd_dst);
	kvfree(job->cmd_src);
	kvfree(job->cmd_fence);
	kfree(job->in_fences);
	kfree(job);
	aifab_obj_put(AIFAB_OBJ_ACCEL_JOB);
}

/* Note that the job uses object @handle, once however often it is named. */
static int aifab_accel_job_use_bo(struct aifab_accel_job *job,
				  struct aifab_accel_submit_ctx *ctx,
				  u32 handle, s8 *idx)
{
	struct drm_gem_object *obj;
	int ret;
	u32 i;

	for (i = 0; i < job->nmem; i++) {
		if (ctx->handle[i] == handle) {
			*idx = i;
			return 0;
		}
	}
	if (job->nmem == AIFAB_ACCEL_MAX_JOB_BOS) {
		drm_dbg(&job->adev->drm, "SUBMIT: more than %u objects\n",
			AIFAB_ACCEL_MAX_JOB_BOS);
		return -E2BIG;
	}
	obj = drm_gem_object_lookup(ctx->file, handle);
	if (!obj)
		return -ENOENT;
	ret = aifab_accel_mem_resolve(job->adev, obj, &job->mem[job->nmem]);
	if (ret) {
		drm_gem_object_put(obj);
		return ret;
	}
	ctx->handle[job->nmem] = handle;
	*idx = job->nmem++;
	return 0;
}

static bool aifab_accel_range_ok(u64 off, u64 len, size_t size)
{
	u64 end;

	return len && !check_add_overflow(off, len, &end) && end <= size;
}

/* The same bytes on both sides of a COPY or REDUCE give no defined result. */
static bool aifab_accel_ranges_overlap(const struct aifab_accel_mem *d,
				       u64 doff, const struct aifab_accel_mem *s,
				       u64 soff, u64 len)
{
	return d->backing == s->backing && doff < soff + len &&
	       soff < doff + len;
}

static int aifab_accel_check_two(struct aifab_accel_job *job,
				 struct aifab_accel_submit_ctx *ctx, u32 i)
{
	const struct drm_aifab_accel_cmd *c = &job->cmds[i];
	struct aifab_accel_mem *d, *s;
	int ret;

	ret = aifab_accel_job_use_bo(job, ctx, c->dst, &job->cmd_dst[i]);
	if (!ret)
		ret = aifab_accel_job_use_bo(job, ctx, c->src, &job->cmd_src[i]);
	if (ret)
		return ret;
	d = &job->mem[job->cmd_dst[i]];
	s = &job->mem[job->cmd_src[i]];
	if (!aifab_accel_range_ok(c->dst_offset, c->length, d->obj->size) ||
	    !aifab_accel_range_ok(c->src_offset, c->length, s->obj->size) ||
	    aifab_accel_ranges_overlap(d, c->dst_offset, s, c->src_offset,
				       c->length))
		return -EINVAL;
	return 0;
}

static int aifab_accel_check_copy(struct aifab_accel_job *job,
				  struct aifab_accel_submit_ctx *ctx, u32 i)
{
	const struct drm_aifab_accel_cmd *c = &job->cmds[i];

	if (c->dtype || c->reduce_op || c->pattern)
		return -EINVAL;
	return aifab_accel_check_two(job, ctx, i);
}

static int aifab_accel_check_fill(struct aifab_accel_job *job,
				  struct aifab_accel_submit_ctx *ctx, u32 i)
{
	const struct drm_aifab_accel_cmd *c = &job->cmds[i];
	int ret;

	if (c->src || c->src_offset || c->dtype || c->reduce_op ||
	    !IS_ALIGNED(c->dst_offset | c->length, 4))
		return -EINVAL;
	ret = aifab_accel_job_use_bo(job, ctx, c->dst, &job->cmd_dst[i]);
	if (ret)
		return ret;
	if (!aifab_accel_range_ok(c->dst_offset, c->length,
				  job->mem[job->cmd_dst[i]].obj->size))
		return -EINVAL;
	return 0;
}

static int aifab_accel_check_reduce(struct aifab_accel_job *job,
				    struct aifab_accel_submit_ctx *ctx, u32 i)
{
	const struct drm_aifab_accel_cmd *c = &job->cmds[i];
	int ret;

	if (c->pattern ||
	    !IS_ALIGNED(c->dst_offset | c->src_offset | c->length, 4) ||
	    (c->dtype != AIFAB_ACCEL_DTYPE_F32 &&
	     c->dtype != AIFAB_ACCEL_DTYPE_I32) ||
	    c->reduce_op < AIFAB_ACCEL_REDUCE_SUM ||
	    c->reduce_op > AIFAB_ACCEL_REDUCE_MAX)
		return -EINVAL;
	ret = aifab_accel_check_two(job, ctx, i);
	if (ret)
		return ret;
	if (job->mem[job->cmd_dst[i]].home != job->adev ||
	    job->mem[job->cmd_src[i]].home != job->adev) {
		drm_dbg(&job->adev->drm, "SUBMIT: REDUCE operands must be local\n");
		return -EINVAL;
	}
	return 0;
}

/* WAIT and SIGNAL name a syncobj in @dst and nothing else. */
static int aifab_accel_check_sync(struct aifab_accel_job *job,
				  struct aifab_accel_submit_ctx *ctx, u32 i)
{
	const struct drm_aifab_accel_cmd *c = &job->cmds[i];
	struct drm_syncobj *syncobj;

	if (c->src || c->dst_offset || c->src_offset || c->length ||
	    c->dtype || c->reduce_op || c->pattern)
		return -EINVAL;
	if (c->op == AIFAB_ACCEL_OP_WAIT)
		return 0;
	syncobj = drm_syncobj_find(ctx->file, c->dst);
	if (!syncobj)
		return -ENOENT;
	ctx->sig[i] = syncobj;
	job->cmd_fence[i] =
		aifab_accel_fence_create(&job->engine->fence_lock,
					 dma_fence_context_alloc(1), 1);
	return job->cmd_fence[i] ? 0 : -ENOMEM;
}

static int aifab_accel_check_cmds(struct aifab_accel_job *job,
				  struct aifab_accel_submit_ctx *ctx)
{
	const struct drm_aifab_accel_cmd *c;
	int ret = 0;
	u32 i;

	for (i = 0; i < job->ncmds; i++) {
		c = &job->cmds[i];
		job->cmd_dst[i] = -1;
		job->cmd_src[i] = -1;
		if (c->flags || c->pad) {
			ret = -EINVAL;
			break;
		}
		switch (c->op) {
		case AIFAB_ACCEL_OP_COPY:
			ret = aifab_accel_check_copy(job, ctx, i);
			break;
		case AIFAB_ACCEL_OP_FILL:
			ret = aifab_accel_check_fill(job, ctx, i);
			break;
		case AIFAB_ACCEL_OP_REDUCE:
			ret = aifab_accel_check_reduce(job, ctx, i);
			break;
		case AIFAB_ACCEL_OP_WAIT:
		case AIFAB_ACCEL_OP_SIGNAL:
			ret = aifab_accel_check_sync(job, ctx, i);
			break;
		default:
			ret = -EINVAL;
		}
		if (ret)
			break;
	}
	if (ret)
		drm_dbg(&job->adev->drm, "SUBMIT: command %u refused: %d\n",
			i, ret);
	return ret;
}

static int aifab_accel_job_wait_for(struct aifab_accel_job *job,
				    struct drm_file *file, u32 handle)
{
	struct dma_fence *fence;
	int ret;

	ret = drm_syncobj_find_fence(file, handle, 0, 0, &fence);
	if (ret) {
		drm_dbg(&job->adev->drm, "SUBMIT: syncobj %u: no fence (%d)\n",
			handle, ret);
		return ret;
	}
	job->in_fences[job->nin++] = dma_fence_get(fence);
	/* Takes the lookup's reference, even when it fails. */
	return drm_sched_job_add_dependency(&job->base, fence);
}

static int aifab_accel_job_add_deps(struct aifab_accel_job *job,
				    struct drm_file *file,
				    const struct drm_aifab_accel_submit *args)
{
	u32 __user *uhandles = u64_to_user_ptr(args->in_syncobjs);
	u32 i, handle;
	int ret;

	for (i = 0; i < args->nin_syncobjs; i++) {
		if (get_user(handle, uhandles + i))
			return -EFAULT;
		ret = aifab_accel_job_wait_for(job, file, handle);
		if (ret)
			return ret;
	}
	for (i = 0; i < job->ncmds; i++) {
		if (job->cmds[i].op != AIFAB_ACCEL_OP_WAIT)
			continue;
		ret = aifab_accel_job_wait_for(job, file, job->cmds[i].dst);
		if (ret)
			return ret;
	}
	return 0;
}

/* Give the engine the pages of every object now, while sleeping is fine. */
static int aifab_accel_job_pin(struct aifab_accel_job *job)
{
	struct sg_table *sgt;
	u32 i;

	for (i = 0; i < job->nmem; i++) {
		sgt = drm_gem_shmem_get_pages_sgt(job->mem[i].backing);
		if (IS_ERR(sgt))
			return PTR_ERR(sgt);
	}
	return 0;
}

static int aifab_accel_job_prepare(struct aifab_accel_job *job,
				   struct aifab_accel_submit_ctx *ctx,
				   const struct drm_aifab_accel_submit *args)
{
	struct aifab_accel_file *af = ctx->file->driver_priv;
	int ret;

	if (copy_from_user(job->cmds, u64_to_user_ptr(args->cmds),
			   array_size(job->ncmds, sizeof(*job->cmds))))
		return -EFAULT;
	ret = aifab_accel_check_cmds(job, ctx);
	if (ret)
		return ret;
	ret = aifab_accel_job_pin(job);
	if (ret)
		return ret;
	ret = aifab_sched_job_init(&job->base, &af->entity[args->engine], af);
	if (ret)
		return ret;
	job->base_initialised = true;
	return aifab_accel_job_add_deps(job, ctx->file, args);
}

/* Past the point of no return: make the job visible and queue it. */
static void aifab_accel_job_queue(struct aifab_accel_job *job,
				  struct aifab_accel_submit_ctx *ctx,
				  struct drm_aifab_accel_submit *args)
{
	struct aifab_accel_file *af = ctx->file->driver_priv;
	struct aifab_accel_dev *adev = job->adev;
	u32 i;

	job->timeout_ms = args->timeout_ms ?: READ_ONCE(adev->job_timeout_ms);
	kref_get(&af->cancel->ref);
	job->cancel = af->cancel;
	mutex_lock(&af->submit_lock);
	drm_sched_job_arm(&job->base);
	job->id = atomic64_inc_return(&adev->job_seq);
	args->job_id = job->id;
	for (i = 0; i < job->ncmds; i++)
		if (ctx->sig[i])
			drm_syncobj_replace_fence(ctx->sig[i], job->cmd_fence[i]);
	if (ctx->out)
		drm_syncobj_replace_fence(ctx->out, &job->base.s_fence->finished);
	spin_lock(&adev->jobs_lock);
	list_add_tail(&job->list, &adev->jobs);
	spin_unlock(&adev->jobs_lock);
	atomic64_inc(&adev->jobs_submitted);
	drm_sched_entity_push_job(&job->base);
	mutex_unlock(&af->submit_lock);
}

static void aifab_accel_submit_ctx_release(struct aifab_accel_submit_ctx *ctx,
					   u32 ncmds)
{
	u32 i;

	for (i = 0; ctx->sig && i < ncmds; i++)
		if (ctx->sig[i])
			drm_syncobj_put(ctx->sig[i]);
	kvfree(ctx->sig);
	if (ctx->out)
		drm_syncobj_put(ctx->out);
}

/**
 * aifab_accel_submit_ioctl() - DRM_IOCTL_AIFAB_ACCEL_SUBMIT
 * @drm: the device
 * @data: &struct drm_aifab_accel_submit
 * @file: the caller's file
 *
 * Return: 0 when the job is queued, or a negative errno with nothing
 * queued.
 */
int aifab_accel_submit_ioctl(struct drm_device *drm, void *data,
			     struct drm_file *file)
{
	struct aifab_accel_dev *adev = to_aifab_accel_dev(drm);
	struct drm_aifab_accel_submit *args = data;
	struct aifab_accel_submit_ctx ctx = { .file = file };
	struct aifab_accel_job *job;
	int ret;

	ret = aifab_accel_check_args(drm, args);
	if (ret)
		return ret;
	if (args->out_syncobj) {
		ctx.out = drm_syncobj_find(file, args->out_syncobj);
		if (!ctx.out)
			return -ENOENT;
	}
	ctx.sig = kvcalloc(args->ncmds ?: 1, sizeof(*ctx.sig), GFP_KERNEL);
	job = aifab_accel_job_alloc(adev, args);
	if (!ctx.sig || !job || !job->cmds || !job->cmd_dst || !job->cmd_src ||
	    !job->cmd_fence || !job->in_fences || !job->hw_fence) {
		ret = -ENOMEM;
		goto err_free_job;
	}
	ret = aifab_accel_job_prepare(job, &ctx, args);
	if (ret)
		goto err_free_job;
	aifab_accel_job_queue(job, &ctx, args);
	aifab_accel_submit_ctx_release(&ctx, args->ncmds);
	return 0;

err_free_job:
	if (job) {
		if (job->base_initialised)
			drm_sched_job_cleanup(&job->base);
		aifab_accel_job_free(job);
	}
	aifab_accel_submit_ctx_release(&ctx, args->ncmds);
	return ret;
}
