// SPDX-License-Identifier: GPL-2.0
/*
 * Memory regions of an EFA-compatible device: user memory pinned with
 * ib_umem_get(), or a dma-buf (an accelerator's buffer, zero-copy) pinned
 * with ib_umem_dmabuf_get_pinned().
 *
 * A region's key is both its lkey and its rkey: 24 bits, as EFA's
 * descriptors carry them, unique on the device. The engine finds a region
 * by key in &aifab_efa_dev.mrs during its pass; deregistration erases the
 * key, then waits for the pass in flight.
 *
 * The engine copies through struct pages: for user memory, the pages
 * ib_umem_get() pinned, listed once at registration; for a dma-buf, the
 * exporting accelerator's own page array, pinned by the attachment. Only
 * aifab accelerators' dma-bufs have one: others get EOPNOTSUPP.
 */
#include <linux/dma-buf.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <rdma/ib_umem.h>
#include <rdma/uverbs_ioctl.h>
#include <rdma/ib_verbs.h>

#include "accel.h"
#include "compat.h"
#include "efa.h"
#include "objcount.h"

static int aifab_efa_mr_user_pages(struct aifab_efa_mr *mr)
{
	size_t n = ib_umem_num_pages(mr->umem), i = 0;
	struct sg_page_iter piter;

	mr->pages = kvmalloc_array(n, sizeof(*mr->pages), GFP_KERNEL);
	if (!mr->pages)
		return -ENOMEM;
	for_each_sgtable_page(&mr->umem->sgt_append.sgt, &piter, 0) {
		if (i == n)
			break;
		mr->pages[i++] = sg_page_iter_page(&piter);
	}
	if (WARN_ON_ONCE(i != n)) {
		kvfree(mr->pages);
		return -EFAULT;
	}
	mr->page_off = ib_umem_offset(mr->umem);
	mr->pages_owned = true;
	return 0;
}

static int aifab_efa_mr_dmabuf_pages(struct ib_device *ibdev,
				     struct aifab_efa_mr *mr,
				     struct ib_umem_dmabuf *umem_dmabuf,
				     u64 offset)
{
	struct page **pages;

	pages = aifab_accel_dmabuf_pages(umem_dmabuf->attach->dmabuf);
	if (!pages) {
		ibdev_info_ratelimited(ibdev, "reg_mr_dmabuf: only aifab accelerators' dma-bufs are supported\n");
		return -EOPNOTSUPP;
	}
	mr->pages = pages + (offset >> PAGE_SHIFT);
	mr->page_off = offset_in_page(offset);
	return 0;
}

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
	int ret;

	mr = aifab_efa_mr_alloc(ibpd, length, access, udata);
	if (IS_ERR(mr))
		return ERR_CAST(mr);
	mr->umem = ib_umem_get(ibpd->device, start, length, access);
	if (IS_ERR(mr->umem)) {
		ibmr = ERR_CAST(mr->umem);
		goto err_free_mr;
	}
	ret = aifab_efa_mr_user_pages(mr);
	if (ret) {
		ibmr = ERR_PTR(ret);
		goto err_release_umem;
	}
	ibmr = aifab_efa_mr_publish(ibpd, mr, virt_addr, length, access);
	if (IS_ERR(ibmr))
		goto err_free_pages;
	return ibmr;

err_free_pages:
	kvfree(mr->pages);
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
	int ret;

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
	ret = aifab_efa_mr_dmabuf_pages(ibpd->device, mr, umem_dmabuf, offset);
	if (ret) {
		ibmr = ERR_PTR(ret);
		goto err_release_umem;
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

int aifab_efa_dereg_mr(struct ib_mr *ibmr, struct ib_udata *udata)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibmr->device);
	struct aifab_efa_mr *mr = container_of(ibmr, struct aifab_efa_mr, ibmr);

	xa_erase(&edev->mrs, ibmr->lkey);
	/* The engine's pass in flight may still copy through the region. */
	aifab_efa_engine_quiesce();
	if (mr->pages_owned)
		kvfree(mr->pages);
	ib_umem_release(mr->umem);
	kfree(mr);
	aifab_obj_put(AIFAB_OBJ_EFA_MR);
	return 0;
}

/**
 * aifab_efa_mr_find() - check a buffer against its region, for the engine
 * @edev: the device the key is on
 * @key: the lkey or rkey
 * @pdn: the PD the user of the buffer is in
 * @access: IB_ACCESS_* the use needs; 0 to read locally
 * @addr: the buffer's address, as the region's users name it
 * @len: its length
 * @seg: filled in with where the bytes are
 *
 * Call under the engine lock.
 *
 * Return: the region, or NULL if there is none by that key in @pdn, it
 * does not allow @access, or the buffer is not wholly inside it.
 */
struct aifab_efa_mr *aifab_efa_mr_find(struct aifab_efa_dev *edev, u32 key,
				       u16 pdn, int access, u64 addr, u64 len,
				       struct aifab_efa_seg *seg)
{
	struct aifab_efa_mr *mr = xa_load(&edev->mrs, key);
	u64 end;

	if (!mr || mr->pdn != pdn || (mr->access & access) != access)
		return NULL;
	if (check_add_overflow(addr, len, &end) || addr < mr->iova ||
	    end > mr->iova + mr->length)
		return NULL;
	seg->pages = mr->pages;
	seg->off = mr->page_off + (addr - mr->iova);
	seg->buf = NULL;
	seg->len = len;
	return mr;
}
