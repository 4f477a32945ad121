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
 *   queue pairs;
 * - efa_copy.c: moving bytes between the pages of memory regions;
 * - efa_recv.c: delivering a message into a receive queue;
 * - efa_send.c: executing the descriptors of a send queue;
 * - efa_engine.c: the thread that watches the doorbells and runs the above;
 * - efa_stats.c: the hardware counters, with EFA's names;
 * - efa_debugfs.c: the engine, QPs, CQs, regions and counters in debugfs.
 *
 * Locking:
 * - aifab_efa_lock (efa_main.c) serialises creating and removing devices
 *   and guards the list of them.
 * - PD numbers come from an IDA, which has its own lock.
 * - Memory regions, address handles, CQs and QPs are in
 *   &aifab_efa_dev.mrs, .ahs, .cqs and .qps, allocating xarrays with
 *   their own locks for writers.
 * - The engine lock (efa_engine.c) is held by the engine for each pass
 *   over the queues. Everything the data path reads is published before,
 *   and unpublished under, that lock: an object erased from its xarray and
 *   then followed by aifab_efa_engine_quiesce() is no longer in use. Only
 *   the engine thread writes completions and the consumer counts, so rings
 *   need no lock of their own.
 * - &aifab_efa_qp.lock serialises a QP's modify and query; it nests
 *   outside the engine lock.
 * - The fabric mutex is taken on user-context allocation and release
 *   only (the open rule of access.c); the engine reads the fabric under
 *   RCU, as the routing function does.
 */
#ifndef _AIFAB_EFA_H
#define _AIFAB_EFA_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/idr.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <rdma/ib_verbs.h>

#include <linux/aifab.h>

#include "compat.h"

struct aifab_fabric;
struct dentry;
struct platform_device;
struct seq_file;

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
/* What a memory region may allow. */
#define AIFAB_EFA_MR_ACCESS		(IB_ACCESS_LOCAL_WRITE | \
					 IB_ACCESS_REMOTE_READ)
/* Space a UD receive leaves for the GRH before the payload, as IB's UD. */
#define AIFAB_EFA_GRH_BYTES		40
/* RNR retries of an SRD QP not told otherwise; 7 would retry forever. */
#define AIFAB_EFA_RNR_RETRY_DEFAULT	3
/* Wait between RNR retries: the receiver's chance to post buffers. */
#define AIFAB_EFA_RNR_DELAY_US		1000
/* The PCI identity libfabric reads; see efa_main.c for why these. */
#define AIFAB_EFA_VENDOR_ID		0x1d0f
#define AIFAB_EFA_PART_ID		0xaf01

/**
 * enum aifab_efa_stat - a device's counters; efa_stats.c names them
 * @AIFAB_EFA_STAT_TX_BYTES: bytes sent, of every operation
 * @AIFAB_EFA_STAT_TX_PKTS: packets sent
 * @AIFAB_EFA_STAT_RX_BYTES: bytes received
 * @AIFAB_EFA_STAT_RX_PKTS: packets received
 * @AIFAB_EFA_STAT_RX_DROPS: packets received and dropped: no QP, a wrong
 *	Q_Key, or a UD receiver without buffers
 * @AIFAB_EFA_STAT_SEND_BYTES: bytes of completed SENDs
 * @AIFAB_EFA_STAT_SEND_WRS: SENDs completed
 * @AIFAB_EFA_STAT_RECV_BYTES: bytes of completed receives
 * @AIFAB_EFA_STAT_RECV_WRS: receives completed
 * @AIFAB_EFA_STAT_RDMA_READ_WRS: RDMA READs completed
 * @AIFAB_EFA_STAT_RDMA_READ_BYTES: bytes they read
 * @AIFAB_EFA_STAT_RDMA_READ_WR_ERR: RDMA READs completed in error
 * @AIFAB_EFA_STAT_RDMA_READ_RESP_BYTES: bytes read from this device
 * @AIFAB_EFA_STAT_RETRANS_BYTES: bytes sent again after a loss
 * @AIFAB_EFA_STAT_RETRANS_PKTS: packets sent again after a loss
 * @AIFAB_EFA_STAT_RETRANS_TIMEOUT_EVENTS: messages given up after every
 *	retransmission was lost
 * @AIFAB_EFA_STAT_UNRESPONSIVE_REMOTE_EVENTS: sends to a destination the
 *	fabric could not reach: link down, fenced, or no path
 * @AIFAB_EFA_STAT_IMPAIRED_REMOTE_CONN_EVENTS: RNR retries
 * @AIFAB_EFA_STAT_ENGINE_COPIED_BYTES: bytes the engine copied between
 *	memory regions, exactly once per byte delivered
 * @AIFAB_EFA_STAT_ENGINE_WQES: descriptors the engine executed
 * @AIFAB_EFA_STAT_ENGINE_QP_ERRORS: QPs the engine put into error
 * @AIFAB_EFA_STAT_COUNT: how many
 */
enum aifab_efa_stat {
	AIFAB_EFA_STAT_TX_BYTES,
	AIFAB_EFA_STAT_TX_PKTS,
	AIFAB_EFA_STAT_RX_BYTES,
	AIFAB_EFA_STAT_RX_PKTS,
	AIFAB_EFA_STAT_RX_DROPS,
	AIFAB_EFA_STAT_SEND_BYTES,
	AIFAB_EFA_STAT_SEND_WRS,
	AIFAB_EFA_STAT_RECV_BYTES,
	AIFAB_EFA_STAT_RECV_WRS,
	AIFAB_EFA_STAT_RDMA_READ_WRS,
	AIFAB_EFA_STAT_RDMA_READ_BYTES,
	AIFAB_EFA_STAT_RDMA_READ_WR_ERR,
	AIFAB_EFA_STAT_RDMA_READ_RESP_BYTES,
	AIFAB_EFA_STAT_RETRANS_BYTES,
	AIFAB_EFA_STAT_RETRANS_PKTS,
	AIFAB_EFA_STAT_RETRANS_TIMEOUT_EVENTS,
	AIFAB_EFA_STAT_UNRESPONSIVE_REMOTE_EVENTS,
	AIFAB_EFA_STAT_IMPAIRED_REMOTE_CONN_EVENTS,
	AIFAB_EFA_STAT_ENGINE_COPIED_BYTES,
	AIFAB_EFA_STAT_ENGINE_WQES,
	AIFAB_EFA_STAT_ENGINE_QP_ERRORS,
	AIFAB_EFA_STAT_COUNT
};

static inline void aifab_efa_count(atomic64_t *stats, enum aifab_efa_stat s,
				   u64 n)
{
	atomic64_add(n, &stats[s]);
}

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
 * @cqs: CQ number -> &struct aifab_efa_cq
 * @ahs: address handle -> &struct aifab_efa_ah
 * @ah_gen: bumped, under the engine lock, whenever a handle goes, so that
 *	QPs' caches of them go stale
 * @mrs: key -> &struct aifab_efa_mr
 * @qps: QP number -> &struct aifab_efa_qp
 * @stats: the counters of &enum aifab_efa_stat; the engine adds, anyone
 *	reads
 * @debugfs: its debugfs directory
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
	struct xarray cqs;
	struct xarray ahs;
	u32 ah_gen;
	struct xarray mrs;
	struct xarray qps;
	atomic64_t stats[AIFAB_EFA_STAT_COUNT];
	struct dentry *debugfs;
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
 * @pages: the pages, from the one holding the byte at @iova on
 * @page_off: where in @pages[0] that byte is
 * @pages_owned: @pages was allocated here (user memory); otherwise it is
 *	the exporting accelerator's array, pinned by the dma-buf attachment
 * @iova: the address the region starts at, as its users name it
 * @length: its length in bytes
 * @access: IB_ACCESS_* flags it was registered with
 * @pdn: the PD it is in
 */
struct aifab_efa_mr {
	struct ib_mr ibmr;
	struct ib_umem *umem;
	struct page **pages;
	unsigned int page_off;
	bool pages_owned;
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
 * @db: the doorbell page; libefa writes its consumer count there after
 *	each poll, and arms the CQ there
 * @entries: entries in the ring, a power of two
 * @entry_size: 16, or 32 with the sender's GID
 * @cq_idx: its number on the device
 * @channel: it has a completion channel, so it raises events when armed
 * @produced: entries written so far; engine only
 * @events: events raised; engine only
 * @event_sn: libefa's command sequence number at the last event; engine
 *	only
 */
struct aifab_efa_cq {
	struct ib_cq ibcq;
	struct aifab_efa_mmap *ring;
	struct aifab_efa_mmap *db;
	u32 entries;
	u32 entry_size;
	u16 cq_idx;
	bool channel;
	u32 produced;
	u64 events;
	u8 event_sn;
};

/**
 * struct aifab_efa_ah - an address handle
 * @ibah: ib_core's AH
 * @ah: the handle libefa puts in descriptors
 * @pdn: the PD it is in
 * @dgid: the destination
 */
struct aifab_efa_ah {
	struct ib_ah ibah;
	u32 ah;
	u16 pdn;
	union ib_gid dgid;
};

/**
 * struct aifab_efa_qp - a queue pair, UD or SRD
 * @ibqp: ib_core's QP; its qp_num is the number in &aifab_efa_dev.qps
 * @lock: serialises modify and query
 * @state: the QP's state; written under the engine lock (and @lock, but
 *	for the engine's own moves into error) with WRITE_ONCE()
 * @qkey: the Q_Key of a UD QP; under @lock
 * @sq_psn: the send PSN it was given; under @lock
 * @cap: the capabilities it was created with
 * @rnr_retry: RNR retries of an SRD send, 7 for no limit; under @lock
 * @pdn: the PD it is in
 * @sq: the send descriptor ring (the "LLQ"), 64-byte descriptors
 * @rq: the receive descriptor ring, 16-byte descriptors
 * @db: the doorbell page: the send and receive producer counts
 * @sq_descs: descriptors in @sq, a power of two
 * @rq_descs: descriptors in @rq, a power of two
 * @engine_entry: in the engine's list of QPs it serves; engine lock
 * @sq_cons: send descriptors consumed, counting as the doorbell does;
 *	engine lock
 * @rq_cons: receive descriptors consumed, likewise; engine lock
 * @rnr_tries: RNR retries of the send at the head of @sq; engine lock
 * @rnr_next: when to try it again; engine lock
 * @read_done: bytes of the RDMA READ at the head of @sq moved so far;
 *	engine lock
 * @moved: bytes it moved in the engine's current pass; engine lock
 * @ah_cache: the receiver's address handle for the last sender, and
 *	@ah_cache_gid, valid while &aifab_efa_dev.ah_gen is @ah_cache_gen;
 *	engine lock
 * @ah_cache_gen: see @ah_cache
 * @ah_cache_gid: see @ah_cache
 * @error: why the engine put it into error, for debugfs; engine lock
 */
struct aifab_efa_qp {
	struct ib_qp ibqp;
	/* serialises modify and query */
	struct mutex lock;
	enum ib_qp_state state;
	u32 qkey;
	u32 sq_psn;
	u8 rnr_retry;
	struct ib_qp_cap cap;
	u16 pdn;
	struct aifab_efa_mmap *sq;
	struct aifab_efa_mmap *rq;
	struct aifab_efa_mmap *db;
	u32 sq_descs;
	u32 rq_descs;
	struct list_head engine_entry;
	u16 sq_cons;
	u16 rq_cons;
	u32 rnr_tries;
	ktime_t rnr_next;
	u64 read_done;
	u32 moved;
	u16 ah_cache;
	u32 ah_cache_gen;
	union ib_gid ah_cache_gid;
	const char *error;
};

/* Where in the QP doorbell page each count lives: separate cache lines. */
#define AIFAB_EFA_SQ_DB_OFF	0
#define AIFAB_EFA_RQ_DB_OFF	64
#define AIFAB_EFA_SQ_DESC	64
#define AIFAB_EFA_RQ_DESC	16

/*
 * The formats libefa writes and reads, as rdma-core's efa_io_defs.h
 * defines them. The rings are shared memory on this very CPU, so fields
 * are in its byte order.
 */
#define AIFAB_EFA_OP_SEND		0
#define AIFAB_EFA_OP_RDMA_READ		1

#define AIFAB_EFA_CTRL1_OP		GENMASK(3, 0)
#define AIFAB_EFA_CTRL1_HAS_IMM		BIT(4)
#define AIFAB_EFA_CTRL1_INLINE		BIT(5)
#define AIFAB_EFA_CTRL1_META_EXT	BIT(6)
#define AIFAB_EFA_CTRL1_META_DESC	BIT(7)
#define AIFAB_EFA_CTRL2_PHASE		BIT(0)
#define AIFAB_EFA_CTRL2_FIRST		BIT(2)
#define AIFAB_EFA_CTRL2_LAST		BIT(3)
#define AIFAB_EFA_CTRL2_COMP_REQ	BIT(4)
#define AIFAB_EFA_CTRL2_MBZ		(BIT(1) | GENMASK(7, 5))
#define AIFAB_EFA_KEY			GENMASK(23, 0)
#define AIFAB_EFA_RX_FIRST		BIT(30)
#define AIFAB_EFA_RX_LAST		BIT(31)
#define AIFAB_EFA_RX_MBZ		GENMASK(29, 24)

/**
 * struct aifab_efa_sge - a buffer of a send descriptor
 * @length: bytes
 * @lkey: the region's key in bits 23:0
 * @addr_lo: address, low half
 * @addr_hi: address, high half
 */
struct aifab_efa_sge {
	u32 length;
	u32 lkey;
	u32 addr_lo;
	u32 addr_hi;
};

/**
 * struct aifab_efa_tx_wqe - a send descriptor
 * @req_id: the id its completion echoes
 * @ctrl1: op, immediate, inline and descriptor-kind bits
 * @ctrl2: phase, first, last and completion-request bits
 * @dest_qp_num: the destination QP
 * @length: SGEs in @sgl, or bytes in @inline_data
 * @imm: immediate data, sent along when %AIFAB_EFA_CTRL1_HAS_IMM
 * @ah: the address handle of the destination
 * @reserved: zero
 * @qkey: the destination QP's Q_Key
 * @reserved2: zero
 * @sgl: the buffers of a SEND
 * @inline_data: the bytes of an inline SEND
 * @rdma: an RDMA READ: the remote region, then the local buffer
 */
struct aifab_efa_tx_wqe {
	u16 req_id;
	u8 ctrl1;
	u8 ctrl2;
	u16 dest_qp_num;
	u16 length;
	u32 imm;
	u16 ah;
	u16 reserved;
	u32 qkey;
	u8 reserved2[12];
	union {
		struct aifab_efa_sge sgl[AIFAB_EFA_MAX_SQ_SGE];
		u8 inline_data[AIFAB_EFA_INLINE_BYTES];
		struct aifab_efa_sge rdma[2];
	};
};

/**
 * struct aifab_efa_rx_desc - one buffer of a receive WQE
 * @addr_lo: address, low half
 * @addr_hi: address, high half
 * @req_id: the id the completion echoes, in the first buffer
 * @length: bytes
 * @lkey_ctrl: the key in bits 23:0, first and last bits 30 and 31
 */
struct aifab_efa_rx_desc {
	u32 addr_lo;
	u32 addr_hi;
	u16 req_id;
	u16 length;
	u32 lkey_ctrl;
};

#define AIFAB_EFA_CQE_PHASE		BIT(0)
/* The queue type, bits 2:1: 1 for send, 2 for receive. */
#define AIFAB_EFA_CQE_Q_SEND		BIT(1)
#define AIFAB_EFA_CQE_Q_RECV		BIT(2)
#define AIFAB_EFA_CQE_HAS_IMM		BIT(3)
#define AIFAB_EFA_CQ_DB_CONSUMER	GENMASK(15, 0)
#define AIFAB_EFA_CQ_DB_SN		GENMASK(30, 29)
#define AIFAB_EFA_CQ_DB_ARM		BIT(31)

/**
 * struct aifab_efa_cqe - a completion; a send's uses the first 8 bytes
 * @req_id: the completed descriptor's
 * @status: &enum aifab_efa_status
 * @flags: phase, queue type and immediate bits; written last
 * @qp_num: the local QP
 * @length: bytes received
 * @ah: the receiver's address handle for the sender, or 0xffff
 * @src_qp: the sender's QP
 * @imm: the immediate data
 * @src_addr: the sender's GID, in 32-byte entries
 */
struct aifab_efa_cqe {
	u16 req_id;
	u8 status;
	u8 flags;
	u16 qp_num;
	u16 length;
	u16 ah;
	u16 src_qp;
	u32 imm;
	u8 src_addr[16];
};

/**
 * enum aifab_efa_status - completion statuses, as libefa maps them
 * @AIFAB_EFA_ST_OK: success
 * @AIFAB_EFA_ST_FLUSHED: the QP went into error before this ran
 * @AIFAB_EFA_ST_QP_INTERNAL: a malformed descriptor
 * @AIFAB_EFA_ST_BAD_OP: an operation the QP does not offer
 * @AIFAB_EFA_ST_BAD_AH: no such address handle in the QP's PD
 * @AIFAB_EFA_ST_BAD_LKEY: no such region in the PD, or out of its range
 * @AIFAB_EFA_ST_BAD_LENGTH: the message is too long
 * @AIFAB_EFA_ST_REM_BAD_ADDRESS: bad rkey or remote range; or nothing
 *	answers at the destination address
 * @AIFAB_EFA_ST_REM_ABORT: the receiver failed the message
 * @AIFAB_EFA_ST_REM_BAD_QPN: no such QP at the destination, or not ready
 * @AIFAB_EFA_ST_RNR: the receiver had no buffer, past the retries
 * @AIFAB_EFA_ST_REM_BAD_LENGTH: the receiver's buffer was too short
 * @AIFAB_EFA_ST_UNRESP_REMOTE: the fabric could not reach the destination
 */
enum aifab_efa_status {
	AIFAB_EFA_ST_OK = 0,
	AIFAB_EFA_ST_FLUSHED = 1,
	AIFAB_EFA_ST_QP_INTERNAL = 2,
	AIFAB_EFA_ST_BAD_OP = 3,
	AIFAB_EFA_ST_BAD_AH = 4,
	AIFAB_EFA_ST_BAD_LKEY = 5,
	AIFAB_EFA_ST_BAD_LENGTH = 6,
	AIFAB_EFA_ST_REM_BAD_ADDRESS = 7,
	AIFAB_EFA_ST_REM_ABORT = 8,
	AIFAB_EFA_ST_REM_BAD_QPN = 9,
	AIFAB_EFA_ST_RNR = 10,
	AIFAB_EFA_ST_REM_BAD_LENGTH = 11,
	AIFAB_EFA_ST_UNRESP_REMOTE = 13,
};

static_assert(sizeof(struct aifab_efa_tx_wqe) == AIFAB_EFA_SQ_DESC);
static_assert(sizeof(struct aifab_efa_rx_desc) == AIFAB_EFA_RQ_DESC);
static_assert(sizeof(struct aifab_efa_cqe) == 32);

/* Statuses of a send that leave its QP usable: the remote side's. */
static inline bool aifab_efa_status_remote(u8 status)
{
	return status >= AIFAB_EFA_ST_REM_BAD_ADDRESS;
}

/**
 * struct aifab_efa_seg - a piece of a message: pages of a region, or
 *	kernel memory (inline data, a GRH)
 * @pages: the region's pages, or NULL for @buf
 * @off: byte offset from the start of @pages[0]
 * @buf: kernel memory, when @pages is NULL
 * @len: bytes
 */
struct aifab_efa_seg {
	struct page **pages;
	u64 off;
	const void *buf;
	u32 len;
};

/* A message: at most a GRH and two buffers, or two receive buffers. */
#define AIFAB_EFA_MAX_SEGS	3

/**
 * struct aifab_efa_msg - what a send carries to its receiver
 * @src: the sending device
 * @src_qp: the sending QP
 * @imm: immediate data
 * @has_imm: @imm is valid
 * @len: payload bytes
 * @nsegs: entries in @segs
 * @segs: the payload
 */
struct aifab_efa_msg {
	struct aifab_efa_dev *src;
	struct aifab_efa_qp *src_qp;
	u32 imm;
	bool has_imm;
	u32 len;
	unsigned int nsegs;
	struct aifab_efa_seg segs[AIFAB_EFA_MAX_SEGS];
};

/* efa_main.c */
int aifab_efa_init(struct aifab_fabric *fab, struct dentry *debugfs);
void aifab_efa_exit(void);
int aifab_efa_sync(struct aifab_fabric *fab);
void aifab_efa_uevent_sync(struct aifab_fabric *fab);

/* efa_engine.c */
int aifab_efa_engine_start(struct aifab_fabric *fab);
void aifab_efa_engine_stop(void);
void aifab_efa_engine_lock(void);
void aifab_efa_engine_unlock(void);
void aifab_efa_engine_quiesce(void);
int aifab_efa_engine_add_dev(struct aifab_efa_dev *edev);
void aifab_efa_engine_del_dev(struct aifab_efa_dev *edev);
struct aifab_efa_dev *aifab_efa_engine_find_dev(const union ib_gid *gid);
struct aifab_fabric *aifab_efa_engine_fabric(void);
void aifab_efa_engine_serve(struct aifab_efa_qp *qp);
void aifab_efa_engine_forget(struct aifab_efa_qp *qp);
void aifab_efa_engine_show(struct seq_file *m);

/* efa_copy.c */
void aifab_efa_copy(const struct aifab_efa_seg *dst, unsigned int ndst,
		    const struct aifab_efa_seg *src, unsigned int nsrc,
		    u64 len);

/* efa_send.c */
unsigned int aifab_efa_sq_run(struct aifab_efa_qp *qp, unsigned int budget);

/* efa_recv.c */
u8 aifab_efa_deliver(struct aifab_efa_qp *dst, const struct aifab_efa_msg *msg);
unsigned int aifab_efa_rq_flush(struct aifab_efa_qp *qp);

/* efa_stats.c */
struct rdma_hw_stats *aifab_efa_alloc_port_stats(struct ib_device *ibdev,
						 u32 port);
int aifab_efa_get_hw_stats(struct ib_device *ibdev,
			   struct rdma_hw_stats *stats, u32 port, int index);
const char *aifab_efa_stat_name(enum aifab_efa_stat stat);

/* efa_debugfs.c */
void aifab_efa_debugfs_init(struct dentry *aifab_root);
void aifab_efa_debugfs_add(struct aifab_efa_dev *edev);
void aifab_efa_debugfs_remove(struct aifab_efa_dev *edev);

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
void aifab_efa_disassociate_ucontext(struct ib_ucontext *ibucontext);
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
struct aifab_efa_mr *aifab_efa_mr_find(struct aifab_efa_dev *edev, u32 key,
				       u16 pdn, int access, u64 addr, u64 len,
				       struct aifab_efa_seg *seg);

/* efa_mmap.c */
struct aifab_efa_mmap *aifab_efa_mmap_new(struct ib_ucontext *uctx,
					  size_t bytes, bool writable);
int aifab_efa_mmap(struct ib_ucontext *uctx, struct vm_area_struct *vma);
void aifab_efa_mmap_free(struct rdma_user_mmap_entry *rdma);

/* efa_cq.c */
int aifab_efa_create_cq(struct ib_cq *ibcq, const struct ib_cq_init_attr *attr,
			aifab_uverbs_ctx *ctx);
int aifab_efa_destroy_cq(struct ib_cq *ibcq, struct ib_udata *udata);
bool aifab_efa_cq_has_room(struct aifab_efa_cq *cq, unsigned int n);
void aifab_efa_cq_post(struct aifab_efa_cq *cq, struct aifab_efa_cqe *cqe);

/* efa_ah.c */
int aifab_efa_create_ah(struct ib_ah *ibah, struct rdma_ah_init_attr *init,
			struct ib_udata *udata);
int aifab_efa_destroy_ah(struct ib_ah *ibah, u32 flags);
u16 aifab_efa_ah_of_gid(struct aifab_efa_qp *qp, const union ib_gid *gid);

/* efa_qp.c */
int aifab_efa_create_qp(struct ib_qp *ibqp, struct ib_qp_init_attr *init,
			struct ib_udata *udata);
int aifab_efa_modify_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr,
			int mask, struct ib_udata *udata);
int aifab_efa_query_qp(struct ib_qp *ibqp, struct ib_qp_attr *attr, int mask,
		       struct ib_qp_init_attr *init);
int aifab_efa_destroy_qp(struct ib_qp *ibqp, struct ib_udata *udata);
void aifab_efa_qp_fatal(struct aifab_efa_qp *qp, const char *why);

#endif /* _AIFAB_EFA_H */
