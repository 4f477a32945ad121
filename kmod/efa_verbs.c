// SPDX-License-Identifier: GPL-2.0
/*
 * The control verbs of an EFA-compatible device: what libefa asks when it
 * opens the device, and protection domains.
 *
 * Every udata exchange follows include/uapi/rdma/efa-abi.h: a command's
 * unknown bits and reserved bytes, and whatever a newer library sends past
 * the command, must be zero; a response is cut to what the library has
 * room for.
 */
#include <linux/string.h>
#include <rdma/efa-abi.h>
#include <rdma/ib_user_verbs.h>
#include <rdma/ib_verbs.h>

#include "access.h"
#include "efa.h"
#include "fabric.h"

/* The handshake bits of alloc_ucontext this device understands. */
#define AIFAB_EFA_UCONTEXT_COMP	(EFA_ALLOC_UCONTEXT_CMD_COMP_TX_BATCH | \
				 EFA_ALLOC_UCONTEXT_CMD_COMP_MIN_SQ_WR)

/* Nothing may follow what this driver knows of a command but zeros. */
static bool aifab_efa_udata_tail_clear(struct ib_udata *udata, size_t known)
{
	return udata->inlen <= known ||
	       ib_is_udata_cleared(udata, known, udata->inlen - known);
}

int aifab_efa_query_device(struct ib_device *ibdev, struct ib_device_attr *attr,
			   struct ib_udata *udata)
{
	struct efa_ibv_ex_query_device_resp resp = {};

	if (udata && !aifab_efa_udata_tail_clear(udata, 0)) {
		ibdev_dbg(ibdev, "query_device: command must be empty\n");
		return -EINVAL;
	}
	memset(attr, 0, sizeof(*attr));
	attr->max_mr_size = AIFAB_EFA_MAX_MR_SIZE;
	attr->page_size_cap = PAGE_SIZE;
	attr->vendor_id = AIFAB_EFA_VENDOR_ID;
	attr->vendor_part_id = AIFAB_EFA_PART_ID;
	attr->max_qp = AIFAB_EFA_MAX_QP;
	attr->max_cq = AIFAB_EFA_MAX_CQ;
	attr->max_pd = AIFAB_EFA_MAX_PD;
	attr->max_mr = AIFAB_EFA_MAX_MR;
	attr->max_ah = AIFAB_EFA_MAX_AH;
	attr->max_cqe = AIFAB_EFA_MAX_CQE;
	attr->max_qp_wr = AIFAB_EFA_MAX_QP_WR;
	attr->max_send_sge = AIFAB_EFA_MAX_SQ_SGE;
	attr->max_recv_sge = AIFAB_EFA_MAX_RQ_SGE;
	attr->max_sge_rd = 1;
	attr->max_pkeys = 1;
	if (!udata || !udata->outlen)
		return 0;
	resp.max_sq_wr = AIFAB_EFA_MAX_QP_WR;
	resp.max_rq_wr = AIFAB_EFA_MAX_QP_WR;
	resp.max_sq_sge = AIFAB_EFA_MAX_SQ_SGE;
	resp.max_rq_sge = AIFAB_EFA_MAX_RQ_SGE;
	resp.max_rdma_size = AIFAB_EFA_MAX_RDMA_SIZE;
	resp.device_caps = EFA_QUERY_DEVICE_CAPS_RDMA_READ |
			   EFA_QUERY_DEVICE_CAPS_RNR_RETRY |
			   EFA_QUERY_DEVICE_CAPS_CQ_NOTIFICATIONS |
			   EFA_QUERY_DEVICE_CAPS_CQ_WITH_SGID;
	return ib_copy_to_udata(udata, &resp, min(sizeof(resp), udata->outlen));
}

/* The port is up while one of the device's links carries traffic. */
static bool aifab_efa_port_up(struct aifab_efa_dev *edev)
{
	struct aifab_adjacency *adj;
	struct aifab_device *dev;
	struct aifab_link *link;
	bool up = false;
	unsigned int i;

	rcu_read_lock();
	dev = aifab_device_lookup(edev->fab, edev->fab_dev_id);
	adj = dev ? rcu_dereference(dev->adj) : NULL;
	for (i = 0; adj && i < adj->n && !up; i++) {
		link = aifab_link_lookup(edev->fab, adj->link_ids[i]);
		up = link && READ_ONCE(link->state) != AIFAB_LINK_STATE_DOWN;
	}
	rcu_read_unlock();
	return up;
}

int aifab_efa_query_port(struct ib_device *ibdev, u32 port,
			 struct ib_port_attr *attr)
{
	bool up = aifab_efa_port_up(to_aifab_efa_dev(ibdev));

	attr->lmc = 1;
	attr->state = up ? IB_PORT_ACTIVE : IB_PORT_DOWN;
	attr->phys_state = up ? IB_PORT_PHYS_STATE_LINK_UP :
				IB_PORT_PHYS_STATE_DISABLED;
	attr->gid_tbl_len = 1;
	attr->pkey_tbl_len = 1;
	attr->active_speed = IB_SPEED_EDR;
	attr->active_width = IB_WIDTH_4X;
	attr->max_mtu = ib_mtu_int_to_enum(AIFAB_EFA_MTU);
	attr->active_mtu = attr->max_mtu;
	attr->max_msg_sz = AIFAB_EFA_MTU;
	attr->max_vl_num = 1;
	return 0;
}

int aifab_efa_query_gid(struct ib_device *ibdev, u32 port, int index,
			union ib_gid *gid)
{
	if (index)
		return -EINVAL;
	*gid = to_aifab_efa_dev(ibdev)->gid;
	return 0;
}

int aifab_efa_query_pkey(struct ib_device *ibdev, u32 port, u16 index,
			 u16 *pkey)
{
	if (index)
		return -EINVAL;
	*pkey = 0xffff;
	return 0;
}

int aifab_efa_get_port_immutable(struct ib_device *ibdev, u32 port,
				 struct ib_port_immutable *immutable)
{
	immutable->gid_tbl_len = 1;
	immutable->pkey_tbl_len = 1;
	return 0;
}

enum rdma_link_layer aifab_efa_link_layer(struct ib_device *ibdev, u32 port)
{
	return IB_LINK_LAYER_UNSPECIFIED;
}

static int aifab_efa_ucontext_cmd(struct ib_device *ibdev,
				  struct ib_udata *udata)
{
	struct efa_ibv_alloc_ucontext_cmd cmd = {};
	int ret;

	ret = ib_copy_from_udata(&cmd, udata, min(sizeof(cmd), udata->inlen));
	if (ret)
		return ret;
	if (cmd.comp_mask & ~AIFAB_EFA_UCONTEXT_COMP) {
		ibdev_dbg(ibdev, "alloc_ucontext: unknown comp_mask %#x\n",
			  cmd.comp_mask);
		return -EOPNOTSUPP;
	}
	if (memchr_inv(cmd.reserved_20, 0, sizeof(cmd.reserved_20)) ||
	    !aifab_efa_udata_tail_clear(udata, sizeof(cmd))) {
		ibdev_dbg(ibdev, "alloc_ucontext: reserved bytes must be 0\n");
		return -EINVAL;
	}
	return 0;
}

/*
 * Opening the device is allocating a user context: this is where the
 * partition's rule (access.c) applies, as it does to accelerators.
 */
int aifab_efa_alloc_ucontext(struct ib_ucontext *ibucontext,
			     struct ib_udata *udata)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibucontext->device);
	struct efa_ibv_alloc_ucontext_resp resp = {
		.cmds_supp_udata_mask = EFA_USER_CMDS_SUPP_UDATA_QUERY_DEVICE |
					EFA_USER_CMDS_SUPP_UDATA_CREATE_AH,
		.sub_cqs_per_cq = 1,
		.inline_buf_size = AIFAB_EFA_INLINE_BYTES,
		.max_llq_size = AIFAB_EFA_MAX_QP_WR * 64,
	};
	int ret;

	ret = aifab_efa_ucontext_cmd(&edev->ibdev, udata);
	if (ret)
		return ret;
	ret = aifab_device_open(edev->fab, edev->fab_dev_id);
	if (ret)
		return ret;
	ret = ib_copy_to_udata(udata, &resp, min(sizeof(resp), udata->outlen));
	if (ret)
		goto err_close_device;
	return 0;

err_close_device:
	aifab_device_close(edev->fab, edev->fab_dev_id);
	return ret;
}

void aifab_efa_dealloc_ucontext(struct ib_ucontext *ibucontext)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibucontext->device);

	aifab_device_close(edev->fab, edev->fab_dev_id);
}

/**
 * aifab_efa_disassociate_ucontext() - ib_core takes the device away from a
 *	process that still has it open
 * @ibucontext: the process's context
 *
 * To move the device to another network namespace, or to unregister it.
 * ib_core then destroys the context's objects, which stops the engine
 * using them. What libefa mapped is ordinary memory, not device
 * registers: the pages stay mapped, inert and pinned by the mapping, until
 * the process unmaps them. So there is nothing to tear down here.
 */
void aifab_efa_disassociate_ucontext(struct ib_ucontext *ibucontext)
{
}

int aifab_efa_alloc_pd(struct ib_pd *ibpd, struct ib_udata *udata)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibpd->device);
	struct aifab_efa_pd *pd = container_of(ibpd, struct aifab_efa_pd, ibpd);
	struct efa_ibv_alloc_pd_resp resp = {};
	int ret;

	if (udata && !aifab_efa_udata_tail_clear(udata, 0)) {
		ibdev_dbg(ibpd->device, "alloc_pd: command must be empty\n");
		return -EINVAL;
	}
	ret = ida_alloc_range(&edev->pd_ida, 1, AIFAB_EFA_MAX_PD - 1,
			      GFP_KERNEL);
	if (ret < 0)
		return ret;
	pd->pdn = ret;
	if (!udata || !udata->outlen)
		return 0;
	resp.pdn = pd->pdn;
	ret = ib_copy_to_udata(udata, &resp, min(sizeof(resp), udata->outlen));
	if (ret)
		goto err_free_pdn;
	return 0;

err_free_pdn:
	ida_free(&edev->pd_ida, pd->pdn);
	return ret;
}

int aifab_efa_dealloc_pd(struct ib_pd *ibpd, struct ib_udata *udata)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibpd->device);

	ida_free(&edev->pd_ida,
		 container_of(ibpd, struct aifab_efa_pd, ibpd)->pdn);
	return 0;
}
