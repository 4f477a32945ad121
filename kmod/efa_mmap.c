// SPDX-License-Identifier: GPL-2.0
/*
 * Memory that libefa maps: rings and doorbells, each an
 * rdma_user_mmap_entry of zeroed vmalloc memory. The owner (a CQ or QP)
 * removes the entry when it is destroyed; the memory goes when the last
 * mapping of it does (mmap_free), so neither a late munmap nor a late
 * destroy can touch freed memory.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <rdma/ib_verbs.h>

#include "compat.h"
#include "efa.h"
#include "objcount.h"

static struct aifab_efa_mmap *to_aifab_efa_mmap(struct rdma_user_mmap_entry *e)
{
	return container_of(e, struct aifab_efa_mmap, rdma);
}

/**
 * aifab_efa_mmap_new() - zeroed memory for userspace to map
 * @uctx: the user context that will map it
 * @bytes: its size, rounded up to pages
 * @writable: whether userspace may write it (doorbells, send and receive
 *	rings) or only read it (completion rings)
 *
 * Return: the entry, whose key is rdma_user_mmap_get_offset(&e->rdma), or
 * an ERR_PTR().
 */
struct aifab_efa_mmap *aifab_efa_mmap_new(struct ib_ucontext *uctx,
					  size_t bytes, bool writable)
{
	struct aifab_efa_mmap *e;
	int ret;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return ERR_PTR(-ENOMEM);
	e->bytes = PAGE_ALIGN(bytes);
	e->writable = writable;
	e->vaddr = vmalloc_user(e->bytes);
	if (!e->vaddr) {
		ret = -ENOMEM;
		goto err_free_entry;
	}
	ret = rdma_user_mmap_entry_insert(uctx, &e->rdma, e->bytes);
	if (ret)
		goto err_free_memory;
	aifab_obj_get(AIFAB_OBJ_EFA_MMAP);
	return e;

err_free_memory:
	vfree(e->vaddr);
err_free_entry:
	kfree(e);
	return ERR_PTR(ret);
}

int aifab_efa_mmap(struct ib_ucontext *uctx, struct vm_area_struct *vma)
{
	struct rdma_user_mmap_entry *rdma;
	struct aifab_efa_mmap *e;
	int ret;

	/* Checks the length and that the mapping is shared. */
	rdma = rdma_user_mmap_entry_get(uctx, vma);
	if (!rdma) {
		ibdev_dbg(uctx->device, "mmap: no entry at page offset %#lx\n",
			  vma->vm_pgoff);
		return -EINVAL;
	}
	e = to_aifab_efa_mmap(rdma);
	if (!e->writable && (vma->vm_flags & VM_WRITE)) {
		ibdev_dbg(uctx->device, "mmap: a completion ring is read-only\n");
		ret = -EPERM;
		goto out_put;
	}
	if (!e->writable)
		aifab_vm_flags_clear(vma, VM_MAYWRITE);
	ret = remap_vmalloc_range(vma, e->vaddr, 0);
out_put:
	rdma_user_mmap_entry_put(rdma);
	return ret;
}

void aifab_efa_mmap_free(struct rdma_user_mmap_entry *rdma)
{
	struct aifab_efa_mmap *e = to_aifab_efa_mmap(rdma);

	vfree(e->vaddr);
	kfree(e);
	aifab_obj_put(AIFAB_OBJ_EFA_MMAP);
}
