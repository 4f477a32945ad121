// SPDX-License-Identifier: GPL-2.0
/*
 * Buffer objects: GEM shmem objects charged against the device's memory.
 *
 * No stale bytes: shmem hands out a zeroed page for every offset not yet
 * written, and an object's pages belong to it from creation to free; the
 * driver never recycles them. So a new object reads as zeros, whoever
 * owned the memory before.
 *
 * Scrub: an object can outlive the file that made it (a dma-buf fd, an
 * EFA memory region), and so the partition its device was in. When the
 * device leaves its partition, aifab_accel_scrub_bos() zeroes the pages of
 * every object still alive, in place, so whoever still holds one reads
 * zeros. Objects already freed need nothing: their pages went back to the
 * page allocator with the shmem file, and shmem zeroes every page it hands
 * to a new object (see above).
 *
 * PRIME: objects are exported with aifab's own dma_buf_ops, made of DRM's
 * helpers, so that an import can tell an aifab object from a foreign
 * dma-buf and reach the exporter's pages directly. That is how a COPY to an
 * imported object writes the peer accelerator's memory.
 */
#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>

#include "accel.h"
#include "compat.h"
#include "objcount.h"

static struct aifab_accel_bo *to_aifab_accel_bo(struct drm_gem_object *obj)
{
	return container_of(to_drm_gem_shmem_obj(obj), struct aifab_accel_bo,
			    base);
}

/* Charge @bytes to the device, or fail: never over capacity, even briefly. */
static int aifab_accel_mem_charge(struct aifab_accel_dev *adev, u64 bytes)
{
	s64 used = atomic64_read(&adev->mem_used);
	s64 peak;

	do {
		if (bytes > adev->mem_total - used)
			return -ENOSPC;
	} while (!atomic64_try_cmpxchg(&adev->mem_used, &used, used + bytes));
	used += bytes;
	peak = atomic64_read(&adev->mem_peak);
	while (used > peak && !atomic64_try_cmpxchg(&adev->mem_peak, &peak, used))
		;
	return 0;
}

static void aifab_accel_bo_counted(struct aifab_accel_dev *adev)
{
	atomic64_inc(&adev->bos);
	aifab_obj_get(AIFAB_OBJ_ACCEL_BO);
}

static void aifab_accel_bo_free(struct drm_gem_object *obj)
{
	struct aifab_accel_dev *adev = to_aifab_accel_dev(obj->dev);
	struct aifab_accel_bo *bo = to_aifab_accel_bo(obj);

	/* Off the list before the pages go, so a scrub never sees them go. */
	if (!list_empty(&bo->node)) {
		mutex_lock(&adev->bo_lock);
		list_del(&bo->node);
		mutex_unlock(&adev->bo_lock);
	}
	atomic64_sub(bo->charged, &adev->mem_used);
	atomic64_dec(&adev->bos);
	aifab_obj_put(AIFAB_OBJ_ACCEL_BO);
	drm_gem_shmem_free(&bo->base);
}

static const struct dma_buf_ops aifab_accel_dmabuf_ops = {
	.cache_sgt_mapping = true,
	.attach = drm_gem_map_attach,
	.detach = drm_gem_map_detach,
	.map_dma_buf = drm_gem_map_dma_buf,
	.unmap_dma_buf = drm_gem_unmap_dma_buf,
	.release = drm_gem_dmabuf_release,
	.mmap = drm_gem_dmabuf_mmap,
	.vmap = drm_gem_dmabuf_vmap,
	.vunmap = drm_gem_dmabuf_vunmap,
};

static struct dma_buf *aifab_accel_bo_export(struct drm_gem_object *obj,
					     int flags)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);

	exp_info.ops = &aifab_accel_dmabuf_ops;
	exp_info.size = obj->size;
	exp_info.flags = flags;
	exp_info.priv = obj;
	exp_info.resv = obj->resv;
	return drm_gem_dmabuf_export(obj->dev, &exp_info);
}

const struct drm_gem_object_funcs aifab_accel_bo_funcs = {
	.free = aifab_accel_bo_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.export = aifab_accel_bo_export,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/**
 * aifab_accel_gem_create_object() - allocate the driver's object for the
 *	shmem helpers, which fill it in
 * @drm: the device
 * @size: the object's size
 *
 * Return: the GEM object, or an ERR_PTR().
 */
struct drm_gem_object *aifab_accel_gem_create_object(struct drm_device *drm,
						     size_t size)
{
	struct aifab_accel_bo *bo = kzalloc(sizeof(*bo), GFP_KERNEL);

	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->base.base.funcs = &aifab_accel_bo_funcs;
	INIT_LIST_HEAD(&bo->node);
	return &bo->base.base;
}

/**
 * aifab_accel_prime_import() - import a dma-buf as a buffer object
 * @drm: the importing device
 * @dmabuf: the buffer
 *
 * Only aifab accelerators' buffers are accepted: the engine moves bytes
 * through the exporter's pages, which a foreign dma-buf does not offer.
 *
 * Return: the GEM object, or an ERR_PTR().
 */
struct drm_gem_object *aifab_accel_prime_import(struct drm_device *drm,
						struct dma_buf *dmabuf)
{
	struct drm_gem_object *obj;

	if (dmabuf->ops != &aifab_accel_dmabuf_ops) {
		drm_info_once(drm, "importing a dma-buf not exported by an aifab accelerator is not supported\n");
		return ERR_PTR(-EOPNOTSUPP);
	}
	obj = dmabuf->priv;
	if (obj->dev == drm) {
		/* Our own buffer: the same object, as DRM's core does. */
		drm_gem_object_get(obj);
		return obj;
	}
	obj = drm_gem_prime_import(drm, dmabuf);
	if (!IS_ERR(obj))
		aifab_accel_bo_counted(to_aifab_accel_dev(drm));
	return obj;
}

/**
 * aifab_accel_dmabuf_pages() - the pages behind an aifab accelerator's
 *	dma-buf, for the RDMA engine to copy through
 * @dmabuf: the buffer
 *
 * Return: the exporting object's page array, valid while an attachment
 * pins the buffer; NULL for a dma-buf no aifab accelerator exported.
 */
struct page **aifab_accel_dmabuf_pages(struct dma_buf *dmabuf)
{
	if (dmabuf->ops != &aifab_accel_dmabuf_ops)
		return NULL;
	return to_drm_gem_shmem_obj(dmabuf->priv)->pages;
}

/**
 * aifab_accel_mem_resolve() - find where an object's bytes live
 * @adev: the device that holds a handle to @obj
 * @obj: the object
 * @mem: filled in; takes no reference
 *
 * Return: 0, or -EOPNOTSUPP for an object that is not an aifab buffer.
 */
int aifab_accel_mem_resolve(struct aifab_accel_dev *adev,
			    struct drm_gem_object *obj,
			    struct aifab_accel_mem *mem)
{
	struct drm_gem_object *backing = obj;

	if (obj->import_attach) {
		if (obj->import_attach->dmabuf->ops != &aifab_accel_dmabuf_ops)
			return -EOPNOTSUPP;
		backing = obj->import_attach->dmabuf->priv;
	}
	mem->obj = obj;
	mem->backing = to_drm_gem_shmem_obj(backing);
	mem->home = to_aifab_accel_dev(backing->dev);
	return 0;
}

/**
 * aifab_accel_bo_create_ioctl() - DRM_IOCTL_AIFAB_ACCEL_BO_CREATE
 * @drm: the device
 * @data: &struct drm_aifab_accel_bo_create
 * @file: the caller's file
 *
 * Return: 0 or a negative errno.
 */
int aifab_accel_bo_create_ioctl(struct drm_device *drm, void *data,
				struct drm_file *file)
{
	struct aifab_accel_dev *adev = to_aifab_accel_dev(drm);
	struct drm_aifab_accel_bo_create *args = data;
	struct drm_gem_shmem_object *shmem;
	struct aifab_accel_bo *bo;
	int ret;

	if (args->flags) {
		drm_dbg(drm, "BO_CREATE: flags must be 0\n");
		return -EINVAL;
	}
	if (!args->size || !PAGE_ALIGNED(args->size)) {
		drm_dbg(drm, "BO_CREATE: size must be a non-zero multiple of %lu\n",
			PAGE_SIZE);
		return -EINVAL;
	}
	ret = aifab_accel_mem_charge(adev, args->size);
	if (ret)
		return ret;
	shmem = drm_gem_shmem_create(drm, args->size);
	if (IS_ERR(shmem)) {
		atomic64_sub(args->size, &adev->mem_used);
		return PTR_ERR(shmem);
	}
	bo = to_aifab_accel_bo(&shmem->base);
	bo->charged = args->size;
	mutex_lock(&adev->bo_lock);
	list_add_tail(&bo->node, &adev->bo_list);
	mutex_unlock(&adev->bo_lock);
	aifab_accel_bo_counted(adev);
	ret = drm_gem_handle_create(file, &shmem->base, &args->handle);
	/* The handle holds the object now; on failure this frees it. */
	drm_gem_object_put(&shmem->base);
	return ret;
}

/**
 * aifab_accel_bo_info_ioctl() - DRM_IOCTL_AIFAB_ACCEL_BO_INFO
 * @drm: the device
 * @data: &struct drm_aifab_accel_bo_info
 * @file: the caller's file
 *
 * Return: 0 or a negative errno.
 */
int aifab_accel_bo_info_ioctl(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct aifab_accel_dev *adev = to_aifab_accel_dev(drm);
	struct drm_aifab_accel_bo_info *args = data;
	struct drm_gem_object *obj;
	struct aifab_accel_mem mem;
	int ret;

	if (args->pad) {
		drm_dbg(drm, "BO_INFO: pad must be 0\n");
		return -EINVAL;
	}
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	ret = drm_gem_create_mmap_offset(obj);
	if (ret)
		goto out_put;
	args->size = obj->size;
	args->mmap_offset = drm_vma_node_offset_addr(&obj->vma_node);
	args->flags = obj->import_attach ? AIFAB_ACCEL_BO_IMPORTED : 0;
	ret = aifab_accel_mem_resolve(adev, obj, &mem);
	args->home_dev_id = ret ? 0 : mem.home->fab_dev_id;
	ret = 0;
out_put:
	drm_gem_object_put(obj);
	return ret;
}

/*
 * Zero one object's pages where they are, under its dma_resv lock, which
 * the shmem helpers, page faults and dma-buf attachments take too. The
 * pages a mapping or an attachment already uses are the very ones zeroed,
 * so no holder can read what was there. Each page is marked dirty, as the
 * shmem helpers do for written pages: a clean page could be dropped from
 * the swap cache and read back from swap with its old bytes.
 */
static int aifab_accel_bo_scrub(struct aifab_accel_bo *bo)
{
	struct drm_gem_shmem_object *shmem = &bo->base;
	pgoff_t i, npages = shmem->base.size >> PAGE_SHIFT;
	int ret;

	dma_resv_lock(shmem->base.resv, NULL);
	ret = aifab_shmem_pin_locked(shmem);
	if (ret)
		goto out_unlock;
	for (i = 0; i < npages; i++) {
		clear_highpage(shmem->pages[i]);
		set_page_dirty(shmem->pages[i]);
		cond_resched();
	}
	aifab_shmem_unpin_locked(shmem);
out_unlock:
	dma_resv_unlock(shmem->base.resv);
	return ret;
}

/**
 * aifab_accel_scrub_bos() - zero every live buffer object of a device
 * @adev: the device
 * @bytes: set to the bytes zeroed
 *
 * Counts one scrub pass, even with no object alive. Sleeps; the caller
 * holds the fabric mutex, see the locking rule in accel.h.
 *
 * Return: 0, or the first object's error (-ENOMEM); the objects before it
 * are zeroed and counted.
 */
int aifab_accel_scrub_bos(struct aifab_accel_dev *adev, u64 *bytes)
{
	struct aifab_accel_bo *bo;
	int ret = 0;

	*bytes = 0;
	mutex_lock(&adev->bo_lock);
	list_for_each_entry(bo, &adev->bo_list, node) {
		ret = aifab_accel_bo_scrub(bo);
		if (ret)
			break;
		*bytes += bo->base.base.size;
	}
	mutex_unlock(&adev->bo_lock);
	atomic64_inc(&adev->scrubs);
	atomic64_add(*bytes, &adev->scrub_bytes);
	return ret;
}
