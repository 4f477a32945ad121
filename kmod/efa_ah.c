// SPDX-License-Identifier: GPL-2.0
/*
 * Address handles of an EFA-compatible device: a destination GID, and the
 * 16-bit handle libefa puts in send descriptors and reads back from
 * efadv_query_ah(). 0xffff is reserved: receive completions carry it when
 * the receiver has no handle for the sender.
 *
 * Only user handles exist (create_user_ah): EFA offers no kernel ones.
 */
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
	ret = ida_alloc_max(&edev->ah_ida, AIFAB_EFA_AH_NONE - 1, GFP_KERNEL);
	if (ret < 0)
		return ret;
	ah->ah = ret;
	memcpy(ah->dgid.raw, rdma_ah_read_grh(attr)->dgid.raw,
	       sizeof(ah->dgid.raw));
	resp.efa_address_handle = ah->ah;
	ret = ib_copy_to_udata(udata, &resp, min(sizeof(resp), udata->outlen));
	if (ret)
		goto err_free_ah;
	aifab_obj_get(AIFAB_OBJ_EFA_AH);
	return 0;

err_free_ah:
	ida_free(&edev->ah_ida, ah->ah);
	return ret;
}

int aifab_efa_destroy_ah(struct ib_ah *ibah, u32 flags)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibah->device);
	struct aifab_efa_ah *ah = container_of(ibah, struct aifab_efa_ah, ibah);

	ida_free(&edev->ah_ida, ah->ah);
	aifab_obj_put(AIFAB_OBJ_EFA_AH);
	return 0;
}
