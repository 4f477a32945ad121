/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EFA-compatible RDMA devices: one ib_device per local EFA device of the
 * fabric, speaking the user ABI of include/uapi/rdma/efa-abi.h, so that
 * rdma-core's libefa drives it unchanged.
 *
 * The files, each using only the ones below it:
 * - efa_main.c: the platform driver, device creation per fabric device,
 *   registration with ib_core and the ops table;
 * - efa_verbs.c: the control verbs: device, port, GID and P_Key queries,
 *   user contexts and protection domains;
 * - efa_mr.c: memory regions, of user memory or of a dma-buf;
 * - efa_mmap.c: the rings and doorbells libefa maps;
 * - efa_cq.c, efa_ah.c, efa_qp.c: completion queues, address handles and
 *   queue pairs.
 *
 * Locking:
 * - aifab_efa_lock (efa_main.c) serialises creating and removing devices
 *   and guards the list of them.
 * - PD, CQ and AH numbers come from IDAs, which have their own locks.
 * - Memory regions and queue pairs are in &aifab_efa_dev.mrs and .qps,
 *   allocating xarrays: their own locks for writers, RCU for the data
 *   path's lookups.
 * - &aifab_efa_qp.lock serialises a QP's modify and query.
 * - The fabric mutex is taken on user-context allocation and release
 *   only (the open rule of access.c).
 */
#ifndef _AIFAB_EFA_H
#define _AIFAB_EFA_H

#include <linux/bits.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <rdma/ib_verbs.h>

#include <linux/aifab.h>

#include "compat.h"

struct aifab_fabric;
struct platform_device;

/*
 * What the device offers. Queue depths and SGE counts follow the EFA
 * descriptor formats: 16-bit indices, two SGEs in a send descriptor.
 */
#define AIFAB_EFA_MAX_QP		1024
#define AIFAB_EFA_MAX_CQ		1024
#define AIFAB_EFA_MAX_PD		1024
#define AIFAB_EFA_MAX_AH		1024
#define AIFAB_EFA_MAX_MR		4096
#define AIFAB_EFA_MAX_QP_WR		4096
#define AIFAB_EFA_MAX_CQE		32768
#define AIFAB_EFA_MAX_SQ_SGE		2
#define AIFAB_EFA_MAX_RQ_SGE		2
#define AIFAB_EFA_INLINE_BYTES		32
#define AIFAB_EFA_MTU			4096
#define AIFAB_EFA_MAX_MR_SIZE		BIT_ULL(39)
#define AIFAB_EFA_MAX_RDMA_SIZE		BIT(30)
/* The address handle a receive completion carries for an unknown sender. */
#define AIFAB_EFA_AH_NONE		0xffff
/* What a memory region may allow; remote access comes with RDMA READ. */
#define AIFAB_EFA_MR_ACCESS		IB_ACCESS_LOCAL_WRITE
/* The PCI identity libfabric reads; see efa_main.c for why these. */
#define AIFAB_EFA_VENDOR_ID		0x1d0f
#define AIFAB_EFA_PART_ID		0xaf01

/**
 * struct aifab_efa_dev - a local EFA-compatible device
 * @ibdev: the RDMA device; the struct lives as long as it does
 * @pdev: its parent platform device, named like a PCI function
 * @list: entry in the list of devices, under aifab_efa_lock
 * @fab: the fabric
 * @fab_dev_id: id of the fabric device this is
 * @name: name of the fabric device
 * @gid: the port's one GID, derived from the fabric ids
 * @pd_ida: PD numbers in use
 * @cq_ida: CQ numbers in use
 * @ah_ida: address handle numbers in use
 * @mrs: key -> &struct aifab_efa_mr
 * @qps: QP number -> &struct aifab_efa_qp
 */
struct aifab_efa_dev {
	struct ib_device ibdev;
	struct platform_device *pdev;
	struct list_head list;
	struct aifab_fabric *fab;
	u32 fab_dev_id;
	char name[AIFAB_NAME_MAX];
	union ib_gid gid;
	struct ida pd_ida;
	struct ida cq_ida;
	struct ida ah_ida;
	struct xarray mrs;
	struct xarray qps;
};

static inline struct aifab_efa_dev *to_aifab_efa_dev(struct ib_device *ibdev)
{
	return container_of(ibdev, struct aifab_efa_dev, ibdev);
}

/**
 * struct aifab_efa_ucontext - a process's open device
 * @ibucontext: ib_core's context
 */
struct aifab_efa_ucontext {
	struct ib_ucontext ibucontext;
};

/**
 * struct aifab_efa_pd - a protection domain
 * @ibpd: ib_core's PD
 * @pdn: its number, as libefa sees it
 */
struct aifab_efa_pd {
	struct ib_pd ibpd;
	u16 pdn;
};

/**
 * struct aifab_efa_mr - a memory region
 * @ibmr: ib_core's region; lkey and rkey are the key
 * @umem: the pinned memory
 * @iova: the address the region starts at, as its users name it
 * @length: its length in bytes
 * @access: IB_ACCESS_* flags it was registered with
 * @pdn: the PD it is in
 */
struct aifab_efa_mr {
	struct ib_mr ibmr;
	struct ib_umem *umem;
	u64 iova;
	u64 length;
	int access;
	u16 pdn;
};

/**
 * struct aifab_efa_mmap - memory that userspace maps
 * @rdma: ib_core's entry; its key is the mmap offset
 * @vaddr: the memory, zeroed vmalloc_user() pages
 * @bytes: its size, whole pages
 * @writable: userspace may write it
 */
struct aifab_efa_mmap {
	struct rdma_user_mmap_entry rdma;
	void *vaddr;
	size_t bytes;
	bool writable;
};

/**
 * struct aifab_efa_cq - a completion queue
 * @ibcq: ib_core's CQ
 * @ring: the entries, mapped read-only by libefa
 * @entries: entries in the ring, a power of two
 * @entry_size: 16, or 32 with the sender's GID
 * @cq_idx: its number on the device
 */
struct aifab_efa_cq {
	struct ib_cq ibcq;
	struct aifab_efa_mmap *ring;
	u32 entries;
	u32 entry_size;
	u16 cq_idx;
};

/**
 * struct aifab_efa_ah - an address handle
 * @ibah: ib_core's AH
 * @ah: the handle libefa puts in descriptors
 * @dgid: the destination
 */
struct aifab_efa_ah {
	struct ib_ah ibah;
	u16 ah;
	union ib_gid dgid;
};

/**
 * struct aifab_efa_qp - a queue pair, UD or SRD
 * @ibqp: ib_core's QP; its qp_num is the number in &aifab_efa_dev.qps
 * @lock: serialises modify and query
 * @state: the QP's state; written under @lock with WRITE_ONCE()
 * @qkey: the Q_Key of a UD QP; under @lock
 * @sq_psn: the send PSN it was given; under @lock
 * @cap: the capabilities it was created with
 * @sq: the send descriptor ring (the "LLQ"), 64-byte descriptors
 * @rq: the receive descriptor ring, 16-byte descriptors
 * @db: the doorbell page: the send and receive producer counts
 */
struct aifab_efa_qp {
	struct ib_qp ibqp;
	/* serialises modify and query */
	struct mutex lock;
	enum ib_qp_state state;
	u32 qkey;
	u32 sq_psn;
	struct ib_qp_cap cap;
	struct aifab_efa_mmap *sq;
	struct aifab_efa_mmap *rq;
	struct aifab_efa_mmap *db;
};

/* efa_main.c */
int aifab_efa_init(struct aifab_fabric *fab);
void aifab_efa_exit(void);
int aifab_efa_sync(struct aifab_fabric *fab);

/* efa_verbs.c */
int aifab_efa_query_device(struct ib_device *ibdev, struct ib_device_attr *attr,
			   struct ib_udata *udata);
int aifab_efa_query_port(struct ib_device *ibdev, u32 port,
			 struct ib_port_attr *attr);
int aifab_efa_query_gid(struct ib_device *ibdev, u32 port, int index,
			union ib_gid *gid);
int aifab_efa_query_pkey(struct ib_device *ibdev, u32 port, u16 index,
			 u16 *pkey);
int aifab_efa_get_port_immutable(struct ib_device *ibdev, u32 port,
				 struct ib_port_immutable *immutable);
enum rdma_link_layer aifab_efa_link_layer(struct ib_device *ibdev, u32 port);
int aifab_efa_alloc_ucontext(struct ib_ucontext *ibucontext,
			     struct ib_udata *udata);
void aifab_efa_dealloc_ucontext(struct ib_ucontext *ibucontext);
int aifab_efa_alloc_pd(struct ib_pd *ibpd, struct ib_udata *udata);
int aifab_efa_dealloc_pd(struct ib_pd *ibpd, struct ib_udata *udata);

/* efa_mr.c */
struct ib_mr *aifab_efa_reg_mr(struct ib_pd *ibpd, u64 start, u64 length,
			       u64 virt_addr, int access,
			       struct ib_udata *udata);
struct ib_mr *aifab_efa_reg_mr_dmabuf(struct ib_pd *ibpd, u64 offset,
				      u64 length, u64 virt_addr, int fd,
				      int access, aifab_uverbs_ctx *ctx);
int aifab_efa_dereg_mr(struct ib_mr *ibmr, struct ib_udata *udata);

/* efa_mmap.c */
struct aifab_efa_mmap *aifab_efa_mmap_new(struct ib_ucontext *uctx,
					  size_t bytes, bool writable);
int aifab_efa_mmap(struct ib_ucontext *uctx, struct vm_area_struct *vma);
void aifab_efa_mmap_free(struct rdma_user_mmap_entry *rdma);

/* efa_cq.c */
int aifab_efa_create_cq(struct ib_cq *ibcq, const struct ib_cq_init_attr *attr,
			aifab_uverbs_ctx *ctx);
int aifab_efa_destroy_cq(struct ib_cq *ibcq, struct ib_udata *udata);

/* efa_ah.c */
int aifab_efa_create_ah(struct ib_ah *ibah, struct rdma_ah_init_attr *init,
			struct ib_udata *udata);
int aifab_efa_destroy_ah(struct ib_ah *ibah, u32 flags);

/* efa_qp.c */
int aifab_efa_create_qp(struct ib_qp *ibqp, struct ib_qp_init_attr *init,
			struct ib_udata *udata);
int aifab_efa_modify_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr,
			int mask, struct ib_udata *udata);
int aifab_efa_query_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr, int mask,
		       struct ib_qp_init_attr *init);
int aifab_efa_destroy_qp(struct ib_qp *ibqp, struct ib_udata *udata);

#endif /* _AIFAB_EFA_H */
