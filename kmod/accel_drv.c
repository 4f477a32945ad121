// SPDX-License-Identifier: GPL-2.0
/*
 * The accelerator DRM driver: one DRM device per local accelerator of the
 * fabric, made and removed as the topology changes.
 *
 * Each device hangs off its own platform device, as vgem's does; the
 * platform device carries the DMA mask that PRIME attachments need and
 * the diagnostics in sysfs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "access.h"
#include "accel.h"
#include "compat.h"
#include "fabric.h"
#include "objcount.h"
#include "uevent.h"

/* Serialises aifab_accel_sync() and aifab_accel_remove_all(). */
static DEFINE_MUTEX(aifab_accel_lock);
/* The devices; under aifab_accel_lock. */
static LIST_HEAD(aifab_accel_devs);
/*
 * Fabric device id -> device, for the fabric's sysfs and netlink, which
 * must not wait on aifab_accel_lock (it is taken before the fabric mutex).
 * A reader takes a reference on the DRM device under the xarray's lock.
 */
static DEFINE_XARRAY(aifab_accel_by_id);

static int aifab_accel_open(struct drm_device *drm, struct drm_file *file)
{
	struct aifab_accel_dev *adev = to_aifab_accel_dev(drm);
	struct drm_gpu_scheduler *sched;
	struct aifab_accel_file *af;
	unsigned int i;
	int ret;

	ret = aifab_device_open(adev->fab, adev->fab_dev_id);
	if (ret)
		return ret;
	af = kzalloc(sizeof(*af), GFP_KERNEL);
	if (!af) {
		ret = -ENOMEM;
		goto err_close_device;
	}
	af->cancel = kzalloc(sizeof(*af->cancel), GFP_KERNEL);
	if (!af->cancel) {
		ret = -ENOMEM;
		goto err_free_file;
	}
	kref_init(&af->cancel->ref);
	mutex_init(&af->submit_lock);
	af->adev = adev;
	for (i = 0; i < AIFAB_ACCEL_ENGINES; i++) {
		sched = &adev->engines[i].sched;
		ret = drm_sched_entity_init(&af->entity[i],
					    DRM_SCHED_PRIORITY_NORMAL, &sched,
					    1, NULL);
		if (ret)
			goto err_destroy_entities;
	}
	file->driver_priv = af;
	return 0;

err_destroy_entities:
	while (i--)
		drm_sched_entity_destroy(&af->entity[i]);
	aifab_accel_cancel_put(af->cancel);
err_free_file:
	kfree(af);
err_close_device:
	aifab_device_close(adev->fab, adev->fab_dev_id);
	return ret;
}

/* Jobs still running stop at their next check; queued ones are dropped. */
static void aifab_accel_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct aifab_accel_dev *adev = to_aifab_accel_dev(drm);
	struct aifab_accel_file *af = file->driver_priv;
	unsigned int i;

	atomic_set(&af->cancel->cancelled, 1);
	for (i = 0; i < AIFAB_ACCEL_ENGINES; i++)
		drm_sched_entity_destroy(&af->entity[i]);
	aifab_accel_cancel_put(af->cancel);
	mutex_destroy(&af->submit_lock);
	kfree(af);
	aifab_device_close(adev->fab, adev->fab_dev_id);
}

static int aifab_accel_info_ioctl(struct drm_device *drm, void *data,
				  struct drm_file *file)
{
	struct aifab_accel_dev *adev = to_aifab_accel_dev(drm);
	struct drm_aifab_accel_info *args = data;
	struct aifab_device *dev;

	if (args->flags || memchr_inv(args->reserved, 0, sizeof(args->reserved))) {
		drm_dbg(drm, "INFO: flags and reserved must be 0\n");
		return -EINVAL;
	}
	args->fabric_dev_id = adev->fab_dev_id;
	args->engines = AIFAB_ACCEL_ENGINES;
	strscpy(args->name, adev->name, sizeof(args->name));
	args->mem_total = adev->mem_total;
	args->mem_used = atomic64_read(&adev->mem_used);
	args->mem_peak = atomic64_read(&adev->mem_peak);
	args->bos = atomic64_read(&adev->bos);
	args->jobs_submitted = atomic64_read(&adev->jobs_submitted);
	args->jobs_completed = atomic64_read(&adev->jobs_completed);
	args->jobs_failed = atomic64_read(&adev->jobs_failed);
	args->jobs_timedout = atomic64_read(&adev->jobs_timedout);
	args->job_timeout_ms = READ_ONCE(adev->job_timeout_ms);
	rcu_read_lock();
	dev = aifab_device_lookup(adev->fab, adev->fab_dev_id);
	args->partition_id = dev ? READ_ONCE(dev->partition_id) : 0;
	rcu_read_unlock();
	return 0;
}

static const struct drm_ioctl_desc aifab_accel_ioctls[] = {
	DRM_IOCTL_DEF_DRV(AIFAB_ACCEL_INFO, aifab_accel_info_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(AIFAB_ACCEL_BO_CREATE, aifab_accel_bo_create_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(AIFAB_ACCEL_BO_INFO, aifab_accel_bo_info_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(AIFAB_ACCEL_SUBMIT, aifab_accel_submit_ioctl,
			  DRM_RENDER_ALLOW),
};

AIFAB_ACCEL_DEFINE_FOPS(aifab_accel_fops);

static const struct drm_driver aifab_accel_driver = {
	.driver_features = AIFAB_ACCEL_DRIVER_FEATURES,
	.open = aifab_accel_open,
	.postclose = aifab_accel_postclose,
	.gem_create_object = aifab_accel_gem_create_object,
	.gem_prime_import = aifab_accel_prime_import,
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table,
	AIFAB_ACCEL_PRIME_FD_OPS
	.ioctls = aifab_accel_ioctls,
	.num_ioctls = ARRAY_SIZE(aifab_accel_ioctls),
	.fops = &aifab_accel_fops,
	.name = KBUILD_MODNAME,
	.desc = "aifab software accelerator",
	.date = "20261122",
	.major = 1,
	.minor = 0,
};

static void aifab_accel_init_dev(struct aifab_accel_dev *adev,
				 struct platform_device *pdev,
				 struct aifab_fabric *fab,
				 const struct aifab_local_dev *w)
{
	adev->pdev = pdev;
	adev->fab = fab;
	adev->fab_dev_id = w->id;
	strscpy(adev->name, w->name, sizeof(adev->name));
	adev->mem_total = w->mem_bytes;
	adev->job_timeout_ms = AIFAB_ACCEL_DEFAULT_TIMEOUT_MS;
	mutex_init(&adev->bo_lock);
	INIT_LIST_HEAD(&adev->bo_list);
	spin_lock_init(&adev->jobs_lock);
	INIT_LIST_HEAD(&adev->jobs);
	init_waitqueue_head(&adev->jobs_idle);
}

/*
 * The parent device, with the fabric device as its platform data and the
 * owner attributes (uevent.c) made before udev hears of it.
 */
static struct platform_device *
aifab_accel_pdev_new(const struct aifab_local_dev *w)
{
	struct platform_device *pdev;
	int ret;

	pdev = platform_device_alloc("aifab-accel", PLATFORM_DEVID_AUTO);
	if (!pdev)
		return ERR_PTR(-ENOMEM);
	pdev->dev.groups = aifab_uevent_groups;
	ret = platform_device_add_data(pdev, w, sizeof(*w));
	if (!ret)
		ret = platform_device_add(pdev);
	if (ret) {
		platform_device_put(pdev);
		return ERR_PTR(ret);
	}
	return pdev;
}

static int aifab_accel_create(struct aifab_fabric *fab,
			      const struct aifab_local_dev *w)
{
	struct platform_device *pdev;
	struct aifab_accel_dev *adev;
	int ret;

	pdev = aifab_accel_pdev_new(w);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	if (!devres_open_group(&pdev->dev, NULL, GFP_KERNEL)) {
		ret = -ENOMEM;
		goto err_unregister_pdev;
	}
	dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	adev = devm_drm_dev_alloc(&pdev->dev, &aifab_accel_driver,
				  struct aifab_accel_dev, drm);
	if (IS_ERR(adev)) {
		ret = PTR_ERR(adev);
		goto err_release_devres;
	}
	aifab_accel_init_dev(adev, pdev, fab, w);
	ret = aifab_accel_engines_init(adev);
	if (ret)
		goto err_release_devres;
	ret = drm_dev_register(&adev->drm, 0);
	if (ret)
		goto err_fini_engines;
	ret = xa_err(xa_store(&aifab_accel_by_id, w->id, adev, GFP_KERNEL));
	if (ret)
		goto err_unregister_drm;
	aifab_accel_sysfs_add(adev);
	aifab_accel_debugfs_add(adev);
	list_add_tail(&adev->list, &aifab_accel_devs);
	aifab_obj_get(AIFAB_OBJ_ACCEL_DEV);
	return 0;

err_unregister_drm:
	drm_dev_unregister(&adev->drm);
err_fini_engines:
	aifab_accel_engines_fini(adev);
err_release_devres:
	devres_release_group(&pdev->dev, NULL);
err_unregister_pdev:
	platform_device_unregister(pdev);
	return ret;
}

/* The device has no open file: the fabric refuses to remove open ones. */
static void aifab_accel_destroy(struct aifab_accel_dev *adev)
{
	struct platform_device *pdev = adev->pdev;

	list_del(&adev->list);
	xa_erase(&aifab_accel_by_id, adev->fab_dev_id);
	aifab_accel_sysfs_del(adev);
	debugfs_remove_recursive(adev->debugfs);
	drm_dev_unplug(&adev->drm);
	aifab_accel_engines_fini(adev);
	/* Exported buffers may keep the drm_device; they hold a reference. */
	devres_release_group(&pdev->dev, NULL);
	platform_device_unregister(pdev);
	aifab_obj_put(AIFAB_OBJ_ACCEL_DEV);
}

static bool aifab_accel_exists(u32 id)
{
	struct aifab_accel_dev *adev;

	list_for_each_entry(adev, &aifab_accel_devs, list)
		if (adev->fab_dev_id == id)
			return true;
	return false;
}

/**
 * aifab_accel_uevent_sync() - announce each device's owner, if it changed
 * @fab: the fabric
 *
 * For aifab_uevent_sync(): calls aifab_uevent_dev() on each device's
 * platform device, under aifab_accel_lock, which keeps the device and
 * its DRM minors registered meanwhile.
 */
void aifab_accel_uevent_sync(struct aifab_fabric *fab)
{
	struct aifab_accel_dev *adev;

	mutex_lock(&aifab_accel_lock);
	list_for_each_entry(adev, &aifab_accel_devs, list)
		aifab_uevent_dev(fab, &adev->pdev->dev, adev->fab_dev_id);
	mutex_unlock(&aifab_accel_lock);
}

/**
 * aifab_accel_sync() - give each local accelerator its DRM device
 * @fab: the fabric
 *
 * Removes the DRM devices of accelerators that left the fabric and
 * creates those of new ones. Call after the topology changed.
 *
 * Return: 0, or the first error; every device that could be made is.
 */
int aifab_accel_sync(struct aifab_fabric *fab)
{
	struct aifab_accel_dev *adev, *tmp;
	struct aifab_local_dev *want;
	int ret, err;
	u32 i, n;

	mutex_lock(&aifab_accel_lock);
	ret = aifab_fabric_local_devices(fab, AIFAB_DEV_TYPE_ACCEL, &want, &n);
	if (ret)
		goto out_unlock;
	list_for_each_entry_safe(adev, tmp, &aifab_accel_devs, list)
		if (!aifab_local_dev_listed(want, n, adev->fab_dev_id))
			aifab_accel_destroy(adev);
	for (i = 0; i < n; i++) {
		if (aifab_accel_exists(want[i].id))
			continue;
		err = aifab_accel_create(fab, &want[i]);
		if (err) {
			pr_err("cannot create the DRM device of %s: %d\n",
			       want[i].name, err);
			ret = ret ?: err;
		}
	}
	kfree(want);
out_unlock:
	mutex_unlock(&aifab_accel_lock);
	return ret;
}

/**
 * aifab_accel_init() - create the DRM devices of the loaded topology
 * @fab: the fabric
 * @aifab_debugfs: the module's debugfs directory
 *
 * Return: 0 or a negative errno.
 */
int aifab_accel_init(struct aifab_fabric *fab, struct dentry *aifab_debugfs)
{
	aifab_accel_debugfs_init(aifab_debugfs);
	return aifab_accel_sync(fab);
}

/**
 * aifab_accel_exit() - remove every DRM device, at module unload
 */
void aifab_accel_exit(void)
{
	struct aifab_accel_dev *adev, *tmp;

	mutex_lock(&aifab_accel_lock);
	list_for_each_entry_safe(adev, tmp, &aifab_accel_devs, list)
		aifab_accel_destroy(adev);
	mutex_unlock(&aifab_accel_lock);
}

/* The DRM device of fabric device @fab_dev_id, with a reference, or NULL. */
static struct aifab_accel_dev *aifab_accel_get(u32 fab_dev_id)
{
	struct aifab_accel_dev *adev;

	xa_lock(&aifab_accel_by_id);
	adev = xa_load(&aifab_accel_by_id, fab_dev_id);
	if (adev)
		drm_dev_get(&adev->drm);
	xa_unlock(&aifab_accel_by_id);
	return adev;
}

/**
 * aifab_accel_stats() - what an accelerator's DRM device holds and did
 * @fab_dev_id: the fabric device
 * @st: filled in
 *
 * Any context that may sleep; takes no aifab lock.
 *
 * Return: 0, or -ENODEV when the fabric device has no DRM device.
 */
int aifab_accel_stats(u32 fab_dev_id, struct aifab_accel_stats *st)
{
	struct aifab_accel_dev *adev = aifab_accel_get(fab_dev_id);

	if (!adev)
		return -ENODEV;
	snprintf(st->dev_node, sizeof(st->dev_node), AIFAB_ACCEL_NODE_FMT,
		 aifab_accel_minor(&adev->drm)->index);
	st->mem_used = atomic64_read(&adev->mem_used);
	st->mem_peak = atomic64_read(&adev->mem_peak);
	st->jobs_completed = atomic64_read(&adev->jobs_completed);
	st->jobs_failed = atomic64_read(&adev->jobs_failed);
	st->scrubs = atomic64_read(&adev->scrubs);
	st->scrub_bytes = atomic64_read(&adev->scrub_bytes);
	drm_dev_put(&adev->drm);
	return 0;
}

/**
 * aifab_accel_scrub() - zero what an accelerator's buffer objects hold
 * @fab_dev_id: the fabric device
 * @bytes: set to the bytes zeroed
 *
 * For a device that leaves its partition: see aifab_accel_scrub_bos().
 * Takes no aifab_accel_lock, so the fabric mutex may be held.
 *
 * Return: 0; -ENODEV when the fabric device has no DRM device here (it is
 * on another node), with nothing to scrub; or the scrub's error.
 */
int aifab_accel_scrub(u32 fab_dev_id, u64 *bytes)
{
	struct aifab_accel_dev *adev = aifab_accel_get(fab_dev_id);
	int ret;

	*bytes = 0;
	if (!adev)
		return -ENODEV;
	ret = aifab_accel_scrub_bos(adev, bytes);
	drm_dev_put(&adev->drm);
	return ret;
}
