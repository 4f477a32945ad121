// SPDX-License-Identifier: GPL-2.0
/*
 * Address handles of an EFA-compatible device: a destination GID, and the
 * 16-bit handle libefa puts in send descriptors and reads back from
 * efadv_query_ah(). 0xffff is reserved: receive completions carry it when
 * the receiver has no handle for the sender.
 *
 * Only user handles exist (create_user_ah): EFA offers no kernel ones.
 *
 * The engine finds a handle by number in &aifab_efa_dev.ahs during its
 * pass; destroying one erases it under the engine lock. Receivers name
 * their handle for the sender in each completion: QPs cache the last one
 * found, until &aifab_efa_dev.ah_gen says handles came or went.
 */
#include <linux/xarray.h>
#include <rdma/efa-abi.h>
#include <rdma/ib_verbs.h>

#include "efa.h"
#include "objcount.h"

int aifab_efa_create_ah(struct ib_ah *ibah, struct rdma_ah_init_attr *init,
			struct ib_udata *udata)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibah->device);
	struct aifab_efa_ah *ah = container_of(ibah, struct aifab_efa_ah, ibah);
	struct rdma_ah_attr *attr = init->ah_attr;
	struct efa_ibv_create_ah_resp resp = {};
	int ret;

	if (!udata) {
		ibdev_dbg(ibah->device, "create_ah: kernel handles are not supported\n");
		return -EOPNOTSUPP;
	}
	if (udata->inlen && !ib_is_udata_cleared(udata, 0, udata->inlen)) {
		ibdev_dbg(ibah->device, "create_ah: command must be empty\n");
		return -EINVAL;
	}
	if (!(rdma_ah_get_ah_flags(attr) & IB_AH_GRH)) {
		ibdev_dbg(ibah->device, "create_ah: a destination GID is needed\n");
		return -EINVAL;
	}
	if (!(init->flags & RDMA_CREATE_AH_SLEEPABLE)) {
		ibdev_dbg(ibah->device, "create_ah: must be able to sleep\n");
		return -EOPNOTSUPP;
	}
	ah->pdn = container_of(ibah->pd, struct aifab_efa_pd, ibpd)->pdn;
	memcpy(ah->dgid.raw, rdma_ah_read_grh(attr)->dgid.raw,
	       sizeof(ah->dgid.raw));
	/* Reserved until the reply is out; only then may the engine see it. */
	ret = xa_alloc(&edev->ahs, &ah->ah, NULL,
		       XA_LIMIT(0, AIFAB_EFA_MAX_AH - 1), GFP_KERNEL);
	if (ret)
		return ret == -EBUSY ? -ENOMEM : ret;
	resp.efa_address_handle = ah->ah;
	ret = ib_copy_to_udata(udata, &resp, min(sizeof(resp), udata->outlen));
	if (ret)
		goto err_erase_ah;
	aifab_efa_engine_lock();
	xa_store(&edev->ahs, ah->ah, ah, GFP_KERNEL);
	edev->ah_gen++;
	aifab_efa_engine_unlock();
	aifab_obj_get(AIFAB_OBJ_EFA_AH);
	return 0;

err_erase_ah:
	xa_erase(&edev->ahs, ah->ah);
	return ret;
}

int aifab_efa_destroy_ah(struct ib_ah *ibah, u32 flags)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibah->device);
	struct aifab_efa_ah *ah = container_of(ibah, struct aifab_efa_ah, ibah);

	/* Users' handles are destroyed where sleeping is allowed. */
	if (WARN_ON_ONCE(!(flags & RDMA_DESTROY_AH_SLEEPABLE)))
		return -EOPNOTSUPP;
	aifab_efa_engine_lock();
	xa_erase(&edev->ahs, ah->ah);
	edev->ah_gen++;
	aifab_efa_engine_unlock();
	aifab_obj_put(AIFAB_OBJ_EFA_AH);
	return 0;
}

/**
 * aifab_efa_ah_of_gid() - the handle a receiver has for a sender
 * @qp: the receiving QP; its PD's handles count
 * @gid: the sender's GID
 *
 * Call under the engine lock. A scan of the device's handles (at most
 * %AIFAB_EFA_MAX_AH), skipped while the QP's cache holds: a receiver
 * mostly hears from the same senders.
 *
 * Return: the handle, or %AIFAB_EFA_AH_NONE.
 */
u16 aifab_efa_ah_of_gid(struct aifab_efa_qp *qp, const union ib_gid *gid)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(qp->ibqp.device);
	struct aifab_efa_ah *ah;
	unsigned long idx;

	if (qp->ah_cache_gen == edev->ah_gen &&
	    !memcmp(qp->ah_cache_gid.raw, gid->raw, sizeof(gid->raw)))
		return qp->ah_cache;
	qp->ah_cache = AIFAB_EFA_AH_NONE;
	xa_for_each(&edev->ahs, idx, ah)
		if (ah->pdn == qp->pdn && !memcmp(ah->dgid.raw, gid->raw,
						  sizeof(gid->raw))) {
			qp->ah_cache = ah->ah;
			break;
		}
	qp->ah_cache_gid = *gid;
	qp->ah_cache_gen = edev->ah_gen;
	return qp->ah_cache;
}
