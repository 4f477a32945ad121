/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel version differences, kept in this one header.
 *
 * aifab targets 6.12 (primary) and 6.1. Everything that differs between
 * them is wrapped here so that the rest of the module reads as if written
 * for a single kernel.
 */
#ifndef _AIFAB_COMPAT_H
#define _AIFAB_COMPAT_H

/* kmod/Kbuild warns when building for any other kernel series. */

#include <linux/compiler_attributes.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/version.h>
#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_prime.h>
#include <drm/gpu_scheduler.h>
#include <rdma/ib_verbs.h>
#include <rdma/uverbs_ioctl.h>

/*
 * Accelerators are DRM accel devices (/dev/accel/accelN) where the kernel
 * has them (6.2 on), render nodes (/dev/dri/renderDN) before. The ioctls
 * are the same.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#include <drm/drm_accel.h>
#define AIFAB_ACCEL_DRIVER_FEATURES \
	(DRIVER_GEM | DRIVER_COMPUTE_ACCEL | DRIVER_SYNCOBJ)
#define AIFAB_ACCEL_DEFINE_FOPS(name) DEFINE_DRM_ACCEL_FOPS(name)
#define AIFAB_ACCEL_NODE_FMT "/dev/accel/accel%d"
#define aifab_accel_minor(drm) ((drm)->accel)
/*
 * 6.6 made PRIME's fd conversions and dma-buf mmap DRM's own; before,
 * drivers named them.
 */
#define AIFAB_ACCEL_PRIME_FD_OPS
#else
#define AIFAB_ACCEL_DRIVER_FEATURES \
	(DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ)
#define AIFAB_ACCEL_DEFINE_FOPS(name) DEFINE_DRM_GEM_FOPS(name)
#define AIFAB_ACCEL_NODE_FMT "/dev/dri/renderD%d"
#define aifab_accel_minor(drm) ((drm)->render)
#define AIFAB_ACCEL_PRIME_FD_OPS \
	.prime_handle_to_fd = drm_gem_prime_handle_to_fd, \
	.prime_fd_to_handle = drm_gem_prime_fd_to_handle, \
	.gem_prime_mmap = drm_gem_prime_mmap,
#endif

/*
 * 6.10 passes the whole attribute bundle to create_cq and
 * reg_user_mr_dmabuf; before, the driver's udata. aifab_uverbs_ctx is
 * whichever it is, and aifab_uverbs_udata() finds the udata in it (NULL
 * for a kernel caller).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
typedef struct uverbs_attr_bundle aifab_uverbs_ctx;

static inline struct ib_udata *aifab_uverbs_udata(aifab_uverbs_ctx *ctx)
{
	return ctx ? &ctx->driver_udata : NULL;
}
#else
typedef struct ib_udata aifab_uverbs_ctx;

static inline struct ib_udata *aifab_uverbs_udata(aifab_uverbs_ctx *ctx)
{
	return ctx;
}
#endif

/* 6.3 made vm_flags writable only through helpers. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define aifab_vm_flags_clear(vma, flags) vm_flags_clear(vma, flags)
#else
#define aifab_vm_flags_clear(vma, flags) ((vma)->vm_flags &= ~(flags))
#endif

/* 6.11 made platform_driver.remove return void, as remove_new did. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define AIFAB_PLATFORM_REMOVE(fn) .remove = (fn)
#else
#define AIFAB_PLATFORM_REMOVE(fn) .remove_new = (fn)
#endif

/*
 * Binding a platform device to a driver of another name: the driver core
 * took driver_override over from the platform bus, and Debian's 6.12
 * kernels have that change; 6.1 has the platform bus's own field.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
static inline int aifab_platform_override(struct platform_device *pdev,
					  const char *driver)
{
	return device_set_driver_override(&pdev->dev, driver);
}
#else
static inline int aifab_platform_override(struct platform_device *pdev,
					  const char *driver)
{
	/* Freed with the device. */
	pdev->driver_override = kstrdup(driver, GFP_KERNEL);
	return pdev->driver_override ? 0 : -ENOMEM;
}
#endif

/*
 * drm_sched: 6.8 added a submit workqueue, run-queue count and job credits.
 * aifab's engines run one job at a time and enforce their own deadlines,
 * so the scheduler's timeout is off.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
static inline int aifab_sched_init(struct drm_gpu_scheduler *sched,
				   const struct drm_sched_backend_ops *ops,
				   u32 jobs, const char *name,
				   struct device *dev)
{
	return drm_sched_init(sched, ops, NULL, DRM_SCHED_PRIORITY_COUNT, jobs,
			      0, MAX_SCHEDULE_TIMEOUT, NULL, NULL, name, dev);
}

static inline int aifab_sched_job_init(struct drm_sched_job *job,
				       struct drm_sched_entity *entity,
				       void *owner)
{
	return drm_sched_job_init(job, entity, 1, owner);
}
#else
static inline int aifab_sched_init(struct drm_gpu_scheduler *sched,
				   const struct drm_sched_backend_ops *ops,
				   u32 jobs, const char *name,
				   struct device *dev)
{
	return drm_sched_init(sched, ops, jobs, 0, MAX_SCHEDULE_TIMEOUT, NULL,
			      NULL, name, dev);
}

static inline int aifab_sched_job_init(struct drm_sched_job *job,
				       struct drm_sched_entity *entity,
				       void *owner)
{
	return drm_sched_job_init(job, entity, owner);
}
#endif

/*
 * Pinning a shmem object's pages with its dma_resv lock held: 6.12's
 * helpers want that lock held and say so in their names; 6.1's guard the
 * pages with their own pages_lock and take it themselves, so under the
 * dma_resv lock the plain helpers are the same operation.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
static inline int aifab_shmem_pin_locked(struct drm_gem_shmem_object *shmem)
{
	return drm_gem_shmem_pin_locked(shmem);
}

static inline void aifab_shmem_unpin_locked(struct drm_gem_shmem_object *shmem)
{
	drm_gem_shmem_unpin_locked(shmem);
}
#else
static inline int aifab_shmem_pin_locked(struct drm_gem_shmem_object *shmem)
{
	return drm_gem_shmem_pin(shmem);
}

static inline void aifab_shmem_unpin_locked(struct drm_gem_shmem_object *shmem)
{
	drm_gem_shmem_unpin(shmem);
}
#endif

/*
 * aifab_err_name() - an extack message naming the object at fault. 6.2
 * added formatted extack messages; on 6.1 the fixed part is all there is,
 * and the bad attribute's offset still points at the culprit.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define aifab_err_name(extack, msg, name) \
	NL_SET_ERR_MSG_FMT(extack, "%s: %s", msg, name)
#else
/* @msg must be static: 6.1 keeps just the pointer until the ack is sent. */
#define aifab_err_name(extack, msg, name) do {		\
	struct netlink_ext_ack *__extack = (extack);	\
							\
	(void)(name);					\
	if (__extack)					\
		__extack->_msg = (msg);			\
} while (0)
#endif

/*
 * aifab_err_attr() - as aifab_err_name(), and also point the extack at the
 * attribute that carried @name. @name must be the payload of an attribute
 * of the request being answered: netlink.c hands the fabric exactly those.
 */
#define aifab_err_attr(extack, msg, name) do {				\
	struct netlink_ext_ack *__ea = (extack);			\
	const char *__name = (name);					\
									\
	aifab_err_name(__ea, msg, __name);				\
	NL_SET_BAD_ATTR(__ea, (const struct nlattr *)(__name - NLA_HDRLEN)); \
} while (0)

#endif /* _AIFAB_COMPAT_H */
