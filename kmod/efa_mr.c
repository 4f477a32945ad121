// SPDX-License-Identifier: GPL-2.0
/*
 * Memory regions of an EFA-compatible device: user memory pinned with
 * ib_umem_get(), or a dma-buf (an accelerator's buffer, zero-copy) pinned
 * with ib_umem_dmabuf_get_pinned().
 *
 * A region's key is both its lkey and its rkey: 24 bits, as EFA's
 * descriptors carry them, unique on the device. The data path finds a
 * region by key in &aifab_efa_dev.mrs under RCU; a region is freed only
 * after a grace period.
 */
#include <linux/slab.h>
#include <linux/xarray.h>
#include <rdma/ib_umem.h>
#include <rdma/uverbs_ioctl.h>
#include <rdma/ib_verbs.h>

#include "compat.h"
#include "efa.h"
#include "objcount.h"

static struct aifab_efa_mr *aifab_efa_mr_alloc(struct ib_pd *ibpd,
					       u64 length, int access,
					       struct ib_udata *udata)
{
	struct aifab_efa_mr *mr;

	if (udata && udata->inlen &&
	    !ib_is_udata_cleared(udata, 0, udata->inlen)) {
		ibdev_dbg(ibpd->device, "reg_mr: command must be empty\n");
		return ERR_PTR(-EINVAL);
	}
	access &= ~IB_ACCESS_OPTIONAL;
	if (access & ~AIFAB_EFA_MR_ACCESS) {
		ibdev_dbg(ibpd->device, "reg_mr: access %#x not supported, only %#x\n",
			  access, AIFAB_EFA_MR_ACCESS);
		return ERR_PTR(-EOPNOTSUPP);
	}
	if (!length || length > AIFAB_EFA_MAX_MR_SIZE) {
		ibdev_dbg(ibpd->device, "reg_mr: length %llu out of range\n",
			  length);
		return ERR_PTR(-EINVAL);
	}
	mr = kzalloc(sizeof(*mr), GFP_KERNEL);
	return mr ?: ERR_PTR(-ENOMEM);
}

/* Publish @mr under a new key; the data path can find it from now on. */
static struct ib_mr *aifab_efa_mr_publish(struct ib_pd *ibpd,
					  struct aifab_efa_mr *mr,
					  u64 virt_addr, u64 length, int access)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibpd->device);
	u32 key;
	int ret;

	mr->iova = virt_addr;
	mr->length = length;
	mr->access = access;
	mr->pdn = container_of(ibpd, struct aifab_efa_pd, ibpd)->pdn;
	ret = xa_alloc(&edev->mrs, &key, mr,
		       XA_LIMIT(1, AIFAB_EFA_MAX_MR), GFP_KERNEL);
	if (ret) {
		ibdev_dbg(ibpd->device, "reg_mr: no key left (%d)\n", ret);
		return ERR_PTR(ret == -EBUSY ? -ENOMEM : ret);
	}
	mr->ibmr.lkey = key;
	mr->ibmr.rkey = key;
	mr->ibmr.length = length;
	mr->ibmr.iova = virt_addr;
	aifab_obj_get(AIFAB_OBJ_EFA_MR);
	return &mr->ibmr;
}

struct ib_mr *aifab_efa_reg_mr(struct ib_pd *ibpd, u64 start, u64 length,
			       u64 virt_addr, int access,
			       struct ib_udata *udata)
{
	struct aifab_efa_mr *mr;
	struct ib_mr *ibmr;

	mr = aifab_efa_mr_alloc(ibpd, length, access, udata);
	if (IS_ERR(mr))
		return ERR_CAST(mr);
	mr->umem = ib_umem_get(ibpd->device, start, length, access);
	if (IS_ERR(mr->umem)) {
		ibmr = ERR_CAST(mr->umem);
		goto err_free_mr;
	}
	ibmr = aifab_efa_mr_publish(ibpd, mr, virt_addr, length, access);
	if (IS_ERR(ibmr))
		goto err_release_umem;
	return ibmr;

err_release_umem:
	ib_umem_release(mr->umem);
err_free_mr:
	kfree(mr);
	return ibmr;
}

struct ib_mr *aifab_efa_reg_mr_dmabuf(struct ib_pd *ibpd, u64 offset,
				      u64 length, u64 virt_addr, int fd,
				      int access, aifab_uverbs_ctx *ctx)
{
	struct ib_umem_dmabuf *umem_dmabuf;
	struct aifab_efa_mr *mr;
	struct ib_mr *ibmr;

	mr = aifab_efa_mr_alloc(ibpd, length, access,
				aifab_uverbs_udata(ctx));
	if (IS_ERR(mr))
		return ERR_CAST(mr);
	umem_dmabuf = ib_umem_dmabuf_get_pinned(ibpd->device, offset, length,
						fd, access);
	if (IS_ERR(umem_dmabuf)) {
		ibdev_dbg(ibpd->device, "reg_mr_dmabuf: fd %d: %ld\n", fd,
			  PTR_ERR(umem_dmabuf));
		ibmr = ERR_CAST(umem_dmabuf);
		goto err_free_mr;
	}
	mr->umem = &umem_dmabuf->umem;
	ibmr = aifab_efa_mr_publish(ibpd, mr, virt_addr, length, access);
	if (IS_ERR(ibmr))
		goto err_release_umem;
	return ibmr;

err_release_umem:
	ib_umem_release(mr->umem);
err_free_mr:
	kfree(mr);
	return ibmr;
}

int aifab_efa_dereg_mr(struct ib_mr *ibmr, struct ib_udata *udata)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibmr->device);
	struct aifab_efa_mr *mr = container_of(ibmr, struct aifab_efa_mr, ibmr);

	xa_erase(&edev->mrs, ibmr->lkey);
	/* The data path may hold the region until the grace period ends. */
	synchronize_rcu();
	ib_umem_release(mr->umem);
	kfree(mr);
	aifab_obj_put(AIFAB_OBJ_EFA_MR);
	return 0;
}
