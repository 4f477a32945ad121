// SPDX-License-Identifier: GPL-2.0
/*
 * efa_bench: aifab's EFA-compatible RDMA devices against Soft-RoCE.
 *
 *   efa_bench [--dev-a NAME] [--dev-b NAME] [--ref-a NAME] [--ref-b NAME]
 *             [--sizes LIST] [--iters N] [--bytes N] [--lat-iters N]
 *             [--idle-secs N] [--timeout N] [--kthread PREFIX] [--yield N]
 *             [--keep-qps]
 *
 * Measures two pairs of devices the same way in one run, and prints them
 * side by side with their ratio:
 *   - "aifab": --dev-a -> --dev-b (default aifab_efa0 -> aifab_efa1);
 *   - "rxe": --ref-a -> --ref-b (default rxe0 -> rxe0: one rdma_rxe device
 *     talking to itself, which rxe loops back without a wire).
 *
 * For each pair:
 *   - message rate and bandwidth for each size: UD SEND up to UD_MAX (the
 *     MTU of both), RDMA READ above it (over SRD on EFA devices, over RC
 *     elsewhere). One READ moves the whole buffer, as an application with
 *     large buffers would; a stream of MTU-sized SENDs would only measure
 *     the per-message cost again, as the UD sizes already do;
 *   - UD SEND ping-pong latency at 64 B and 1 KiB: half the round trip,
 *     median and 99th percentile;
 *   - CPU use while a UD pair sits in RTS without traffic: all CPUs from
 *     /proc/stat, and the engine's kernel threads (--kthread) if any.
 * And memcpy() of 64 KiB on one core, which the 64 KiB figures are set
 * against: aifab's engine moves bytes with the CPU, so that is its bound.
 * Each figure is taken on both pairs before the next, so that the host's
 * load, which a TCG guest feels strongly, weighs on both sides of a ratio.
 *
 * One thread drives both ends of a pair and busy-polls its CQs: both
 * devices are in this machine, and a second polling thread would take
 * the CPU that the devices' own engines (aifab's kthread, rxe's work
 * items) need. Sends go out in batches of up to BATCH WRs per post, all
 * signalled (libefa requires it), and never more than the receiver has
 * receives posted for, so that UD drops nothing. The data that arrives
 * is checked once after each measurement. Polling never yields unless
 * --yield says so: rxe queues its work on the poster's CPU (a bound
 * workqueue), where it must wait for the poller to be preempted.
 *
 * Not a test: nothing passes or fails on time. Exit status: 0 when every
 * figure not skipped was measured; 1 when a transfer failed (completion
 * error, stall, wrong data); 2 on bad arguments or when no pair could be
 * set up.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <infiniband/efadv.h>
#include <infiniband/verbs.h>

#include "bench_stats.h"

#define KIB		1024UL
#define MIB		(1024 * KIB)
#define PAGE		4096UL
/* A UD receive begins with room for the GRH, as on IB. */
#define GRH_BYTES	40
/* The largest UD SEND: aifab's MTU, and rxe's on a 9000-byte netdev. */
#define UD_MAX		4096UL
#define UD_AREA		(2 * PAGE)	/* GRH_BYTES + UD_MAX, page-rounded */
#define QKEY		0x11111111U
#define SQ_DEPTH	128U
#define RQ_DEPTH	256U
/* WRs per post call and completions per poll. */
#define BATCH		16U
#define MAX_SIZES	16
#define MAX_SIZE	(64 * MIB)
#define HOP_LIMIT	64
#define MEMCPY_BYTES	(64 * KIB)
#define MEMCPY_RUNS	11
#define MEMCPY_REPS	256
/*
 * 64 KiB is also copied in 4 KiB calls: for the two sizes glibc picks
 * different code (rep movsb, vector loops), and a TCG guest runs them at
 * very different speeds. The faster is what one core can do.
 */
#define MEMCPY_CHUNK	(4 * KIB)
/* Untimed runs of 1/WARMUP_DIV first, for WARMUP_S at least. */
#define WARMUP_DIV	8
#define WARMUP_S	0.2
/* Empty polls between looks at the clock, which is slow under TCG. */
#define SPINS_PER_CHECK	4096U

static const size_t lat_sizes[] = { 64, KIB };
#define LAT_SIZES	(sizeof(lat_sizes) / sizeof(lat_sizes[0]))

static struct {
	size_t sizes[MAX_SIZES];
	unsigned int nsizes;
	unsigned long iters;
	unsigned long bytes;
	unsigned long lat_iters;
	unsigned long idle_secs;
	unsigned long timeout;
	unsigned long yield;
	bool keep_qps;
	const char *kthread;
} opt = {
	.sizes = { 64, 256, KIB, 4 * KIB, 16 * KIB, 64 * KIB, 256 * KIB, MIB },
	.nsizes = 8,
	.iters = 5000,
	.bytes = 64 * MIB,
	.lat_iters = 1000,
	.idle_secs = 2,
	.timeout = 10,
	.kthread = "aifab_efa",
};

/* Why the last step failed (allocated); one thread, so one. */
static char *why;

struct dev {
	const char *name;
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	struct ibv_port_attr port;
	union ibv_gid gid;
	int gid_index;
	bool efa;		/* libefa: READs need an SRD QP */
	bool can_read;
	uint64_t max_read;
	uint8_t rd_atom;	/* RC: READs in flight per QP */
};

enum kind { KIND_UD, KIND_SRD, KIND_RC };

/* One end of a pair: its queues, and a receive area then a send area. */
struct ep {
	struct dev *dev;
	struct ibv_cq *scq, *rcq;
	struct ibv_qp *qp;
	struct ibv_qp_ex *qpx;	/* SRD: libefa posts READs only this way */
	struct ibv_ah *ah;	/* to the peer; UD and SRD */
	struct ibv_mr *mr;
	char *buf;
	size_t area;
	uint32_t peer_qpn;
	unsigned int sq_out;	/* posted, not yet completed */
};

struct pair {
	enum kind kind;
	struct ep a, b;
};

/* A figure: rate and bandwidth, or median and p99; else why not. */
struct cell {
	bool done;
	double val[2];
	const char *what;	/* "skipped" or "failed", if not done */
	char *note;		/* the reason, allocated, or NULL */
};

struct column {
	const char *label;
	const char *name_a, *name_b;
	const char *kthread;	/* prefix of the engine's threads, or NULL */
	struct dev a, b;
	struct pair ud;		/* SENDs and latency */
	struct pair rd;		/* READs */
	char *skip;		/* why the whole column is missing */
	struct cell bw[MAX_SIZES];
	struct cell lat[LAT_SIZES];
	struct cell idle;
	int kthreads;		/* found by the idle measurement */
};

static bool transfer_failed;

static int vfail(int err, bool show, const char *fmt, va_list ap)
{
	char *msg, *full;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	if (msg && show && asprintf(&full, "%s: %s", msg, strerror(err)) >= 0) {
		free(msg);
		msg = full;
	}
	free(why);
	why = msg;
	return -err;
}

/* Hands the reason of the last failure over to @cell. */
static void set_note(struct cell *cell, const char *what)
{
	cell->what = what;
	free(cell->note);
	cell->note = why;
	why = NULL;
}

/* Records why a step failed, with strerror(@err); returns -@err. */
static int fail(int err, const char *fmt, ...)
{
	va_list ap;
	int ret;

	if (err <= 0)
		err = EIO;
	va_start(ap, fmt);
	ret = vfail(err, true, fmt, ap);
	va_end(ap);
	return ret;
}

/* The same, for failures that the message says all about. */
static int failx(int err, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail(err, false, fmt, ap);
	va_end(ap);
	return ret;
}

static unsigned int min_u(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

/* A size in the largest unit that divides it: "64 B", "16 KiB", "1 MiB". */
static size_t size_unit(size_t n, const char **unit)
{
	if (n >= MIB && !(n % MIB)) {
		*unit = "MiB";
		return n / MIB;
	}
	if (n >= KIB && !(n % KIB)) {
		*unit = "KiB";
		return n / KIB;
	}
	*unit = "B";
	return n;
}

static void print_size(size_t n)
{
	const char *unit;
	size_t v = size_unit(n, &unit);

	printf("%4zu %-3s", v, unit);
}

/* What the compiler turns into memset(), which the linters frown upon. */
static void zero(void *p, size_t n)
{
	char *c = p;

	while (n--)
		*c++ = 0;
}

/*
 * Notices a stall: after SPINS_PER_CHECK polls without progress it starts
 * a clock, and fails once that has run for --timeout seconds.
 */
struct watch {
	unsigned int spins;
	double since;
};

static bool stalled(struct watch *w, bool progress)
{
	if (progress) {
		w->spins = 0;
		return false;
	}
	++w->spins;
	if (opt.yield && !(w->spins % opt.yield))
		sched_yield();
	if (w->spins % SPINS_PER_CHECK)
		return false;
	if (w->spins == SPINS_PER_CHECK) {
		w->since = now_s();
		return false;
	}
	return now_s() - w->since > (double)opt.timeout;
}

/* ---- devices ---- */

static bool gid_is_zero(const union ibv_gid *g)
{
	return !g->global.subnet_prefix && !g->global.interface_id;
}

static bool gid_is_v4(const union ibv_gid *g)
{
	static const uint8_t prefix[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};

	return !memcmp(g->raw, prefix, sizeof(prefix));
}

/*
 * The GID to address this end by: on RoCE the IPv4-mapped RoCE v2 entry
 * if there is one, as that needs no IPv6 on the netdev; else the first
 * entry in use, which on EFA is index 0, the port's only GID.
 */
static int pick_gid(struct dev *d)
{
	struct ibv_gid_entry e;
	int i, ret;

	d->gid_index = -1;
	for (i = 0; i < d->port.gid_tbl_len; i++) {
		/* Unused entries fail with ENODATA. */
		if (ibv_query_gid_ex(d->ctx, 1, i, &e, 0) ||
		    gid_is_zero(&e.gid))
			continue;
		if (d->gid_index < 0 ||
		    (e.gid_type == IBV_GID_TYPE_ROCE_V2 && gid_is_v4(&e.gid))) {
			d->gid_index = i;
			d->gid = e.gid;
		}
		if (e.gid_type == IBV_GID_TYPE_ROCE_V2 && gid_is_v4(&e.gid))
			break;
	}
	if (d->gid_index >= 0)
		return 0;
	/* A kernel without the GID entry query: the plain one. */
	ret = ibv_query_gid(d->ctx, 1, 0, &d->gid);
	if (ret)
		return fail(errno, "%s: query GID 0", d->name);
	if (gid_is_zero(&d->gid))
		return failx(ENODATA, "%s: no GID in use on port 1", d->name);
	d->gid_index = 0;
	return 0;
}

/* What this device can read with: SRD READ on EFA, RC READ elsewhere. */
static int query_caps(struct dev *d)
{
	struct efadv_device_attr ea = { 0 };
	struct ibv_device_attr da;
	int ret;

	ret = ibv_query_device(d->ctx, &da);
	if (ret)
		return fail(ret, "%s: query device", d->name);
	/* Only libefa answers this; other providers say EOPNOTSUPP. */
	d->efa = !efadv_query_device(d->ctx, &ea, sizeof(ea));
	if (d->efa) {
		d->can_read = ea.device_caps & EFADV_DEVICE_ATTR_CAPS_RDMA_READ;
		d->max_read = ea.max_rdma_size;
	} else {
		d->can_read = da.max_qp_rd_atom > 0;
		d->max_read = d->port.max_msg_sz;
	}
	d->rd_atom = da.max_qp_rd_atom > 255 ? 255 : da.max_qp_rd_atom;
	return 0;
}

static int open_dev(struct dev *d, const char *name)
{
	struct ibv_device **list;
	int i, n, ret;

	d->name = name;
	list = ibv_get_device_list(&n);
	if (!list)
		return fail(errno, "list RDMA devices");
	for (i = 0; i < n; i++)
		if (!strcmp(ibv_get_device_name(list[i]), name))
			break;
	if (i < n)
		d->ctx = ibv_open_device(list[i]);
	ret = errno;
	ibv_free_device_list(list);
	if (i == n)
		return failx(ENODEV, "%s: no such RDMA device", name);
	if (!d->ctx)
		return fail(ret, "%s: open", name);
	d->pd = ibv_alloc_pd(d->ctx);
	if (!d->pd)
		return fail(errno, "%s: allocate PD", name);
	ret = ibv_query_port(d->ctx, 1, &d->port);
	if (ret)
		return fail(ret, "%s: query port 1", name);
	if (d->port.state != IBV_PORT_ACTIVE)
		return failx(ENETDOWN, "%s: port 1 is %s", name,
			     ibv_port_state_str(d->port.state));
	ret = query_caps(d);
	if (ret)
		return ret;
	return pick_gid(d);
}

static void close_dev(struct dev *d)
{
	if (d->pd)
		ibv_dealloc_pd(d->pd);
	if (d->ctx)
		ibv_close_device(d->ctx);
	d->pd = NULL;
	d->ctx = NULL;
}

/* ---- pairs of QPs ---- */

static char *rbuf(const struct ep *e)
{
	return e->buf;
}

static char *sbuf(const struct ep *e)
{
	return e->buf + e->area;
}

/* Both areas, filled from @seed: a's data differs from b's. */
static int ep_buffer(struct ep *e, size_t area, bool remote_read, int seed)
{
	int access = IBV_ACCESS_LOCAL_WRITE;
	size_t k;

	e->area = area;
	if (posix_memalign((void **)&e->buf, PAGE, 2 * area)) {
		e->buf = NULL;
		return failx(ENOMEM, "out of memory for %zu bytes", 2 * area);
	}
	for (k = 0; k < 2 * area; k++)
		e->buf[k] = (char)(k * 7 + (size_t)seed);
	if (remote_read)
		access |= IBV_ACCESS_REMOTE_READ;
	e->mr = ibv_reg_mr(e->dev->pd, e->buf, 2 * area, access);
	if (!e->mr)
		return fail(errno, "%s: register MR%s", e->dev->name,
			    remote_read ? " with remote read" : "");
	return 0;
}

/* UD and RC: the plain verb, which every provider offers. */
static int ep_create_qp(struct ep *e, enum kind kind)
{
	struct ibv_qp_init_attr init = {
		.send_cq = e->scq,
		.recv_cq = e->rcq,
		.cap = {
			.max_send_wr = SQ_DEPTH,
			.max_recv_wr = kind == KIND_UD ? RQ_DEPTH : 1,
			.max_send_sge = 1,
			.max_recv_sge = 1,
		},
		.qp_type = kind == KIND_UD ? IBV_QPT_UD : IBV_QPT_RC,
		.sq_sig_all = 1,
	};

	e->qp = ibv_create_qp(e->dev->pd, &init);
	if (!e->qp)
		return fail(errno, "%s: create %s QP", e->dev->name,
			    kind == KIND_UD ? "UD" : "RC");
	return 0;
}

/* SRD, through libefa, with READ among its send operations. */
static int ep_create_srd(struct ep *e)
{
	struct ibv_qp_init_attr_ex init = {
		.send_cq = e->scq,
		.recv_cq = e->rcq,
		.cap = {
			.max_send_wr = SQ_DEPTH,
			.max_recv_wr = 1,
			.max_send_sge = 1,
			.max_recv_sge = 1,
		},
		.qp_type = IBV_QPT_DRIVER,
		.sq_sig_all = 1,
		.comp_mask = IBV_QP_INIT_ATTR_PD |
			     IBV_QP_INIT_ATTR_SEND_OPS_FLAGS,
		.pd = e->dev->pd,
		.send_ops_flags = IBV_QP_EX_WITH_RDMA_READ,
	};
	struct efadv_qp_init_attr efa = {
		.driver_qp_type = EFADV_QP_DRIVER_TYPE_SRD,
	};

	e->qp = efadv_create_qp_ex(e->dev->ctx, &init, &efa, sizeof(efa));
	if (!e->qp)
		return fail(errno, "%s: create SRD QP", e->dev->name);
	e->qpx = ibv_qp_to_qp_ex(e->qp);
	return 0;
}

static int ep_create(struct ep *e, struct dev *d, enum kind kind,
		     size_t area, int seed)
{
	int ret;

	e->dev = d;
	ret = ep_buffer(e, area, kind != KIND_UD, seed);
	if (ret)
		return ret;
	e->scq = ibv_create_cq(d->ctx, SQ_DEPTH, NULL, NULL, 0);
	if (!e->scq)
		return fail(errno, "%s: create send CQ", d->name);
	e->rcq = ibv_create_cq(d->ctx, RQ_DEPTH, NULL, NULL, 0);
	if (!e->rcq)
		return fail(errno, "%s: create receive CQ", d->name);
	return kind == KIND_SRD ? ep_create_srd(e) : ep_create_qp(e, kind);
}

static void ep_destroy(struct ep *e)
{
	if (e->ah)
		ibv_destroy_ah(e->ah);
	if (e->qp)
		ibv_destroy_qp(e->qp);
	if (e->rcq)
		ibv_destroy_cq(e->rcq);
	if (e->scq)
		ibv_destroy_cq(e->scq);
	if (e->mr)
		ibv_dereg_mr(e->mr);
	free(e->buf);
	*e = (struct ep){ 0 };
}

/* ibv_modify_qp() returns an errno, but a provider may return -1. */
static int modify(struct ep *e, struct ibv_qp_attr *a, int mask,
		  const char *what)
{
	int ret = ibv_modify_qp(e->qp, a, mask);

	if (ret)
		return fail(ret < 0 ? errno : ret, "%s: QP to %s",
			    e->dev->name, what);
	return 0;
}

/* UD and SRD: no peer in the QP, only the Q_Key. */
static int dgram_to_rts(struct ep *e)
{
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_INIT,
		.pkey_index = 0,
		.port_num = 1,
		.qkey = QKEY,
	};
	int ret;

	ret = modify(e, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT |
		     IBV_QP_QKEY, "INIT");
	if (ret)
		return ret;
	a.qp_state = IBV_QPS_RTR;
	ret = modify(e, &a, IBV_QP_STATE, "RTR");
	if (ret)
		return ret;
	a.qp_state = IBV_QPS_RTS;
	a.sq_psn = 0;
	return modify(e, &a, IBV_QP_STATE | IBV_QP_SQ_PSN, "RTS");
}

static struct ibv_ah_attr ah_attr(const struct ep *e, const struct ep *peer)
{
	return (struct ibv_ah_attr){
		.is_global = 1,
		.port_num = 1,
		.grh = {
			.dgid = peer->dev->gid,
			.sgid_index = (uint8_t)e->dev->gid_index,
			.hop_limit = HOP_LIMIT,
		},
	};
}

static int make_ah(struct ep *e, const struct ep *peer)
{
	struct ibv_ah_attr a = ah_attr(e, peer);

	e->ah = ibv_create_ah(e->dev->pd, &a);
	if (!e->ah)
		return fail(errno, "%s: create AH to %s", e->dev->name,
			    peer->dev->name);
	e->peer_qpn = peer->qp->qp_num;
	return 0;
}

static int rc_connect(struct ep *e, const struct ep *peer)
{
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_INIT,
		.pkey_index = 0,
		.port_num = 1,
		.qp_access_flags = IBV_ACCESS_REMOTE_READ,
	};
	int ret;

	ret = modify(e, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT |
		     IBV_QP_ACCESS_FLAGS, "INIT");
	if (ret)
		return ret;
	a = (struct ibv_qp_attr){ 0 };
	a.qp_state = IBV_QPS_RTR;
	a.path_mtu = e->dev->port.active_mtu < peer->dev->port.active_mtu ?
		     e->dev->port.active_mtu : peer->dev->port.active_mtu;
	a.dest_qp_num = peer->qp->qp_num;
	a.max_dest_rd_atomic = e->dev->rd_atom;
	a.min_rnr_timer = 12;
	a.ah_attr = ah_attr(e, peer);
	ret = modify(e, &a, IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU |
		     IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |
		     IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER, "RTR");
	if (ret)
		return ret;
	a.qp_state = IBV_QPS_RTS;
	a.timeout = 14;
	a.retry_cnt = 7;
	a.rnr_retry = 7;
	a.max_rd_atomic = e->dev->rd_atom;
	return modify(e, &a, IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT |
		      IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN |
		      IBV_QP_MAX_QP_RD_ATOMIC, "RTS");
}

/* @n receives of a whole UD_MAX message each, all into the receive area. */
static int post_recvs(struct ep *e, unsigned int n)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)rbuf(e),
		.length = GRH_BYTES + UD_MAX,
		.lkey = e->mr->lkey,
	};
	struct ibv_recv_wr wr[BATCH], *bad;

	while (n) {
		unsigned int i, k = min_u(n, BATCH);
		int ret;

		for (i = 0; i < k; i++)
			wr[i] = (struct ibv_recv_wr){
				.next = i + 1 < k ? &wr[i + 1] : NULL,
				.sg_list = &sge,
				.num_sge = 1,
			};
		ret = ibv_post_recv(e->qp, wr, &bad);
		if (ret)
			return fail(ret, "%s: post receives", e->dev->name);
		n -= k;
	}
	return 0;
}

static void pair_destroy(struct pair *p)
{
	ep_destroy(&p->a);
	ep_destroy(&p->b);
}

/* Two QPs of @kind in RTS that can reach each other; a's on column's a. */
static int pair_create(struct pair *p, struct column *c, enum kind kind,
		       size_t area)
{
	int ret;

	p->kind = kind;
	ret = ep_create(&p->a, &c->a, kind, area, 1);
	if (!ret)
		ret = ep_create(&p->b, &c->b, kind, area, 101);
	if (ret)
		goto err;
	if (kind == KIND_RC) {
		ret = rc_connect(&p->a, &p->b);
		if (!ret)
			ret = rc_connect(&p->b, &p->a);
		goto out;
	}
	ret = dgram_to_rts(&p->a);
	if (!ret)
		ret = dgram_to_rts(&p->b);
	if (!ret)
		ret = make_ah(&p->a, &p->b);
	if (!ret)
		ret = make_ah(&p->b, &p->a);
	if (!ret && kind == KIND_UD)
		ret = post_recvs(&p->a, RQ_DEPTH);
	if (!ret && kind == KIND_UD)
		ret = post_recvs(&p->b, RQ_DEPTH);
out:
	if (!ret)
		return 0;
err:
	pair_destroy(p);
	return ret;
}

/* ---- posting and polling ---- */

/* @n (at most BATCH) UD SENDs of @size from @e's send area to its peer. */
static int post_sends(struct ep *e, size_t size, unsigned int n)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)sbuf(e),
		.length = (uint32_t)size,
		.lkey = e->mr->lkey,
	};
	struct ibv_send_wr wr[BATCH], *bad;
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++)
		wr[i] = (struct ibv_send_wr){
			.next = i + 1 < n ? &wr[i + 1] : NULL,
			.sg_list = &sge,
			.num_sge = 1,
			.opcode = IBV_WR_SEND,
			.send_flags = IBV_SEND_SIGNALED,
			.wr.ud = {
				.ah = e->ah,
				.remote_qpn = e->peer_qpn,
				.remote_qkey = QKEY,
			},
		};
	ret = ibv_post_send(e->qp, wr, &bad);
	if (ret)
		return fail(ret, "%s: post SEND", e->dev->name);
	e->sq_out += n;
	return 0;
}

/* libefa takes READs only through the WR API of an SRD QP. */
static int post_reads_srd(struct ep *e, const struct ep *peer, size_t size,
			  unsigned int n)
{
	struct ibv_qp_ex *qpx = e->qpx;
	unsigned int i;
	int ret;

	ibv_wr_start(qpx);
	for (i = 0; i < n; i++) {
		qpx->wr_id = 0;
		qpx->wr_flags = IBV_SEND_SIGNALED;
		ibv_wr_rdma_read(qpx, peer->mr->rkey, (uintptr_t)sbuf(peer));
		ibv_wr_set_ud_addr(qpx, e->ah, e->peer_qpn, QKEY);
		ibv_wr_set_sge(qpx, e->mr->lkey, (uintptr_t)rbuf(e),
			       (uint32_t)size);
	}
	ret = ibv_wr_complete(qpx);
	if (ret)
		return fail(ret, "%s: post RDMA READ", e->dev->name);
	e->sq_out += n;
	return 0;
}

/* @n READs of @size from the peer's send area into @e's receive area. */
static int post_reads(struct ep *e, const struct ep *peer, size_t size,
		      unsigned int n)
{
	struct ibv_sge sge = {
		.addr = (uintptr_t)rbuf(e),
		.length = (uint32_t)size,
		.lkey = e->mr->lkey,
	};
	struct ibv_send_wr wr[BATCH], *bad;
	unsigned int i;
	int ret;

	if (e->qpx)
		return post_reads_srd(e, peer, size, n);
	for (i = 0; i < n; i++)
		wr[i] = (struct ibv_send_wr){
			.next = i + 1 < n ? &wr[i + 1] : NULL,
			.sg_list = &sge,
			.num_sge = 1,
			.opcode = IBV_WR_RDMA_READ,
			.send_flags = IBV_SEND_SIGNALED,
			.wr.rdma = {
				.remote_addr = (uintptr_t)sbuf(peer),
				.rkey = peer->mr->rkey,
			},
		};
	ret = ibv_post_send(e->qp, wr, &bad);
	if (ret)
		return fail(ret, "%s: post RDMA READ", e->dev->name);
	e->sq_out += n;
	return 0;
}

/*
 * Takes up to BATCH completions off @cq. Each must have succeeded, with
 * opcode @op, and a receive must hold @len bytes (GRH included).
 */
static int reap(struct ep *e, struct ibv_cq *cq, enum ibv_wc_opcode op,
		uint32_t len)
{
	struct ibv_wc wc[BATCH];
	int i, n;

	n = ibv_poll_cq(cq, BATCH, wc);
	if (n < 0)
		return failx(EIO, "%s: poll CQ failed (%d)", e->dev->name, n);
	for (i = 0; i < n; i++) {
		if (wc[i].status != IBV_WC_SUCCESS)
			return failx(EIO, "%s: completion status: %s",
				     e->dev->name,
				     ibv_wc_status_str(wc[i].status));
		if (wc[i].opcode != op)
			return failx(EPROTO, "%s: completion opcode %d, not %d",
				     e->dev->name, wc[i].opcode, op);
		if (op == IBV_WC_RECV && wc[i].byte_len != len)
			return failx(EPROTO, "%s: received %u bytes, not %u",
				     e->dev->name, wc[i].byte_len, len);
	}
	return n;
}

/*
 * libefa (rdma-core 44) reports every send-queue completion as
 * IBV_WC_SEND, a READ's too; it reads no opcode from the device.
 */
static int reap_sends(struct ep *e, enum ibv_wc_opcode op)
{
	int n = reap(e, e->scq, e->dev->efa ? IBV_WC_SEND : op, 0);

	if (n > 0)
		e->sq_out -= n;
	return n;
}

/* Receives are posted again at once, so that RQ_DEPTH stay posted. */
static int reap_recvs(struct ep *e, size_t size)
{
	int n = reap(e, e->rcq, IBV_WC_RECV, (uint32_t)(GRH_BYTES + size));

	if (n > 0) {
		int ret = post_recvs(e, (unsigned int)n);

		if (ret)
			return ret;
	}
	return n;
}

/* Waits until at most @limit sends of @e are outstanding. */
static int drain_sends(struct ep *e, enum ibv_wc_opcode op,
		       unsigned int limit)
{
	struct watch w = { 0 };

	while (e->sq_out > limit) {
		int n = reap_sends(e, op);

		if (n < 0)
			return n;
		if (stalled(&w, n))
			return failx(ETIMEDOUT, "%s: %u sends never completed",
				     e->dev->name, e->sq_out);
	}
	return 0;
}

static int check_data(const char *got, const char *want, size_t size,
		      const struct ep *e)
{
	if (memcmp(got, want, size))
		return failx(EILSEQ, "%s: wrong data arrived", e->dev->name);
	return 0;
}

/* ---- measurements ---- */

/*
 * @iters UD SENDs of @size from a to b, at most RQ_DEPTH in flight; the
 * seconds from the first post to the last receive.
 */
static int stream_sends(struct pair *p, size_t size, unsigned long iters,
			double *secs)
{
	struct ep *a = &p->a, *b = &p->b;
	unsigned long sent = 0, got = 0;
	struct watch w = { 0 };
	double t0;
	int n;

	/* Whatever was there must be overwritten for the check to pass. */
	zero(rbuf(b), GRH_BYTES + size);
	t0 = now_s();
	while (got < iters) {
		unsigned int room = min_u(SQ_DEPTH - a->sq_out,
					  RQ_DEPTH - (unsigned int)(sent - got));
		int m;

		if (iters - sent < room)
			room = (unsigned int)(iters - sent);
		if (room) {
			n = post_sends(a, size, min_u(room, BATCH));
			if (n)
				return n;
			sent += min_u(room, BATCH);
		}
		n = reap_sends(a, IBV_WC_SEND);
		if (n < 0)
			return n;
		m = reap_recvs(b, size);
		if (m < 0)
			return m;
		got += (unsigned long)m;
		if (stalled(&w, n + m))
			return failx(ETIMEDOUT, "stalled: %lu of %lu received",
				     got, iters);
	}
	*secs = now_s() - t0;
	n = drain_sends(a, IBV_WC_SEND, 0);
	if (n)
		return n;
	return check_data(rbuf(b) + GRH_BYTES, sbuf(a), size, b);
}

/* @iters READs of @size by a from b, up to SQ_DEPTH in flight. */
static int stream_reads(struct pair *p, size_t size, unsigned long iters,
			double *secs)
{
	struct ep *a = &p->a, *b = &p->b;
	unsigned long posted = 0, done = 0;
	struct watch w = { 0 };
	double t0;
	int n;

	zero(rbuf(a), size);
	t0 = now_s();
	while (done < iters) {
		unsigned int room = SQ_DEPTH - a->sq_out;

		if (iters - posted < room)
			room = (unsigned int)(iters - posted);
		if (room) {
			n = post_reads(a, b, size, min_u(room, BATCH));
			if (n)
				return n;
			posted += min_u(room, BATCH);
		}
		n = reap_sends(a, IBV_WC_RDMA_READ);
		if (n < 0)
			return n;
		done += (unsigned long)n;
		if (stalled(&w, n))
			return failx(ETIMEDOUT, "stalled: %lu of %lu READs done",
				     done, iters);
	}
	*secs = now_s() - t0;
	return check_data(rbuf(a), sbuf(b), size, a);
}

/* Iterations for @size: --iters, but no more than --bytes in all. */
static unsigned long iters_for(size_t size)
{
	unsigned long n = opt.bytes / size;

	if (n > opt.iters)
		n = opt.iters;
	return n ? n : 1;
}

static int stream(struct pair *p, size_t size, unsigned long iters,
		  double *secs)
{
	if (p->kind == KIND_UD)
		return stream_sends(p, size, iters, secs);
	return stream_reads(p, size, iters, secs);
}

/*
 * Message rate and bandwidth of one size. Untimed runs come first, for
 * WARMUP_S at least: page faults, caches, and an engine that has backed
 * off to naps since the last traffic.
 */
static int measure_stream(struct pair *p, size_t size, struct cell *cell)
{
	unsigned long iters = iters_for(size);
	double t0 = now_s(), secs;
	int ret;

	do {
		ret = stream(p, size, iters / WARMUP_DIV + 1, &secs);
		if (ret)
			return ret;
	} while (now_s() - t0 < WARMUP_S);
	ret = stream(p, size, iters, &secs);
	if (ret)
		return ret;
	cell->done = true;
	cell->val[0] = (double)iters / secs;
	cell->val[1] = (double)iters * (double)size / secs;
	return 0;
}

static int wait_recv(struct ep *e, size_t size)
{
	struct watch w = { 0 };
	int n;

	do {
		n = reap_recvs(e, size);
		if (n < 0)
			return n;
		if (stalled(&w, n))
			return failx(ETIMEDOUT, "%s: no message arrived",
				     e->dev->name);
	} while (!n);
	return 0;
}

/*
 * One round trip: a -> b, b -> a. Send completions are taken only after
 * the clock stops, unless the send queue is half full.
 */
static int round_trip(struct pair *p, size_t size, double *secs)
{
	double t0 = now_s();
	int ret;

	ret = post_sends(&p->a, size, 1);
	if (!ret)
		ret = wait_recv(&p->b, size);
	if (!ret)
		ret = post_sends(&p->b, size, 1);
	if (!ret)
		ret = wait_recv(&p->a, size);
	*secs = now_s() - t0;
	if (!ret)
		ret = drain_sends(&p->a, IBV_WC_SEND, SQ_DEPTH / 2);
	if (!ret)
		ret = drain_sends(&p->b, IBV_WC_SEND, SQ_DEPTH / 2);
	return ret;
}

/* Half the round trip, median and p99, after an untimed warm-up. */
static int measure_latency(struct pair *p, size_t size, struct cell *cell)
{
	unsigned long warm = opt.lat_iters / WARMUP_DIV + 1, i;
	double *t, secs;
	int ret = 0;

	t = calloc(opt.lat_iters, sizeof(*t));
	if (!t)
		return failx(ENOMEM, "out of memory");
	for (i = 0; !ret && i < warm + opt.lat_iters; i++) {
		if (i == warm)
			zero(rbuf(&p->a), GRH_BYTES + size);
		ret = round_trip(p, size, &secs);
		if (i >= warm)
			t[i - warm] = secs / 2;
	}
	if (!ret)
		ret = drain_sends(&p->a, IBV_WC_SEND, 0);
	if (!ret)
		ret = drain_sends(&p->b, IBV_WC_SEND, 0);
	if (!ret)
		ret = check_data(rbuf(&p->a) + GRH_BYTES, sbuf(&p->b), size,
				 &p->a);
	if (!ret) {
		cell->done = true;
		cell->val[0] = percentile(t, opt.lat_iters, 50);
		cell->val[1] = percentile(t, opt.lat_iters, 99);
	}
	free(t);
	return ret;
}

/* ---- CPU use ---- */

struct cpu_use {
	unsigned long long busy, total;	/* jiffies, all CPUs */
	unsigned long long kthread;	/* jiffies of the engine's threads */
	int kthreads;
	double at;
};

/* The first line of @path, which must fit @len bytes. */
static char *read_line(const char *path, char *buf, int len)
{
	FILE *f = fopen(path, "r");
	char *p;

	if (!f)
		return NULL;
	p = fgets(buf, len, f);
	fclose(f);
	return p;
}

/* Fields @first to @first + @n - 1 of the space-separated @s, counted from 0. */
static int parse_fields(const char *s, int first, int n,
			unsigned long long *v)
{
	char *end;
	int i;

	for (i = 0; i < first + n; i++) {
		while (*s == ' ')
			s++;
		if (i < first) {
			s = strchr(s, ' ');
			if (!s)
				return -EPROTO;
			continue;
		}
		v[i - first] = strtoull(s, &end, 10);
		if (end == s)
			return -EPROTO;
		s = end;
	}
	return 0;
}

static int read_proc_stat(struct cpu_use *u)
{
	unsigned long long v[8];
	char line[512];
	int i;

	if (!read_line("/proc/stat", line, sizeof(line)))
		return fail(errno, "/proc/stat");
	/* "cpu user nice system idle iowait irq softirq steal ..." */
	if (strncmp(line, "cpu ", 4) || parse_fields(line + 4, 0, 8, v))
		return failx(EPROTO, "/proc/stat: unexpected format");
	u->total = 0;
	for (i = 0; i < 8; i++)
		u->total += v[i];
	u->busy = u->total - v[3] - v[4];
	return 0;
}

/* utime + stime of one task if its name starts with @prefix, else 0. */
static unsigned long long task_jiffies(const char *pid, const char *prefix,
				       bool *match)
{
	unsigned long long v[2];
	char *path, line[512], *p;

	*match = false;
	if (asprintf(&path, "/proc/%s/stat", pid) < 0)
		return 0;
	p = read_line(path, line, sizeof(line));
	free(path);
	/* "pid (comm) state ..."; comm may hold spaces and parentheses. */
	if (!p || !(p = strchr(line, '(')) ||
	    strncmp(p + 1, prefix, strlen(prefix)))
		return 0;	/* gone, or another task */
	p = strrchr(line, ')');
	/*
	 * After it: state ppid pgrp session tty_nr tpgid flags minflt
	 * cminflt majflt cmajflt utime stime.
	 */
	if (!p || parse_fields(p + 1, 11, 2, v))
		return 0;
	*match = true;
	return v[0] + v[1];
}

static int cpu_sample(struct cpu_use *u, const char *prefix)
{
	struct dirent *de;
	DIR *d;
	bool match;
	int ret;

	u->kthread = 0;
	u->kthreads = 0;
	u->at = now_s();
	ret = read_proc_stat(u);
	if (ret || !prefix)
		return ret;
	d = opendir("/proc");
	if (!d)
		return fail(errno, "/proc");
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		u->kthread += task_jiffies(de->d_name, prefix, &match);
		u->kthreads += match;
	}
	closedir(d);
	return 0;
}

/*
 * CPU use over --idle-secs while this process sleeps, as a percentage of
 * one CPU: val[0] all CPUs together, val[1] the engine's threads.
 */
static int measure_idle(const char *prefix, struct cell *cell, int *nthreads)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN), hz = sysconf(_SC_CLK_TCK);
	struct timespec ts = { .tv_sec = (time_t)opt.idle_secs };
	struct cpu_use u0 = { 0 }, u1 = { 0 };
	double secs;
	int ret;

	ret = cpu_sample(&u0, prefix);
	if (ret)
		return ret;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	ret = cpu_sample(&u1, prefix);
	if (ret)
		return ret;
	if (u1.total == u0.total || hz <= 0 || ncpu <= 0)
		return failx(EPROTO, "/proc/stat did not advance");
	secs = u1.at - u0.at;
	cell->done = true;
	cell->val[0] = 100.0 * (double)ncpu * (double)(u1.busy - u0.busy) /
		       (double)(u1.total - u0.total);
	cell->val[1] = 100.0 * (double)(u1.kthread - u0.kthread) /
		       ((double)hz * secs);
	*nthreads = u1.kthreads;
	return 0;
}

/* ---- one column ---- */

static void note_failure(struct cell *cell)
{
	set_note(cell, "failed");
	transfer_failed = true;
}

/* Makes sure @p is set up; false, with the cell's note, if it cannot be. */
static bool pair_ready(struct pair *p, struct column *c, enum kind kind,
		       size_t area, struct cell *cell)
{
	if (p->a.qp)
		return true;
	if (!pair_create(p, c, kind, area))
		return true;
	set_note(cell, "skipped");
	return false;
}

static size_t largest_read(void)
{
	size_t max = 0;
	unsigned int i;

	for (i = 0; i < opt.nsizes; i++)
		if (opt.sizes[i] > UD_MAX && opt.sizes[i] > max)
			max = opt.sizes[i];
	return max;
}

/* Whether a device of this column cannot do @size; if so, the cell says. */
static bool size_limited(const struct column *c, size_t size,
			 struct cell *cell)
{
	const struct dev *d[2] = { &c->a, &c->b };
	int i;

	for (i = 0; i < 2; i++) {
		if (size <= UD_MAX &&
		    size > (size_t)128 << d[i]->port.active_mtu)
			failx(EMSGSIZE, "%s's active MTU is %d", d[i]->name,
			      128 << d[i]->port.active_mtu);
		else if (size > UD_MAX && !d[i]->can_read)
			failx(EOPNOTSUPP, "%s offers no RDMA READ",
			      d[i]->name);
		else if (size > UD_MAX && size > d[i]->max_read)
			failx(EMSGSIZE, "%s reads at most %" PRIu64 " bytes",
			      d[i]->name, d[i]->max_read);
		else
			continue;
		set_note(cell, "skipped");
		return true;
	}
	return false;
}

static void run_size(struct column *c, unsigned int i)
{
	size_t size = opt.sizes[i];
	struct cell *cell = &c->bw[i];
	bool ud = size <= UD_MAX;
	struct pair *p = ud ? &c->ud : &c->rd;

	if (size_limited(c, size, cell) ||
	    !pair_ready(p, c, ud ? KIND_UD : c->a.efa ? KIND_SRD : KIND_RC,
			ud ? UD_AREA : largest_read(), cell))
		return;
	if (measure_stream(p, size, cell)) {
		note_failure(cell);
		/* Late completions must not reach the next size. */
		pair_destroy(p);
	}
}

static void run_latency(struct column *c, unsigned int i)
{
	struct cell *cell = &c->lat[i];

	if (size_limited(c, lat_sizes[i], cell) ||
	    !pair_ready(&c->ud, c, KIND_UD, UD_AREA, cell))
		return;
	if (measure_latency(&c->ud, lat_sizes[i], cell)) {
		note_failure(cell);
		pair_destroy(&c->ud);
	}
}

/*
 * Both devices open and a UD pair in RTS, or the column is skipped: as
 * when the aifab module has no data path, and its QPs cannot reach RTS.
 */
static void open_column(struct column *c)
{
	int ret;

	ret = open_dev(&c->a, c->name_a);
	if (!ret)
		ret = open_dev(&c->b, c->name_b);
	if (!ret)
		ret = pair_create(&c->ud, c, KIND_UD, UD_AREA);
	if (!ret)
		return;
	c->skip = why ? why : strdup("out of memory");
	why = NULL;
	close_dev(&c->b);
	close_dev(&c->a);
}

/*
 * CPU use with a fresh UD pair in RTS, just after some traffic, so that the
 * figure includes an engine's backing off. No other column has QPs then.
 */
static void run_idle(struct column *c)
{
	struct cell warm = { 0 };

	if (!opt.idle_secs) {
		c->idle.what = "skipped";
		return;
	}
	if (!pair_ready(&c->ud, c, KIND_UD, UD_AREA, &c->idle))
		return;
	if (measure_stream(&c->ud, 64, &warm) ||
	    measure_idle(c->kthread, &c->idle, &c->kthreads))
		set_note(&c->idle, "failed");
	free(warm.note);
	pair_destroy(&c->ud);
}

/*
 * Each figure is measured on every column before the next figure, so that
 * a change in the host's load (a TCG guest feels every one) touches both
 * sides of a ratio alike.
 */
static void run_columns(struct column *col, unsigned int n)
{
	unsigned int i, k;

	for (k = 0; k < n; k++)
		open_column(&col[k]);
	for (i = 0; i < opt.nsizes; i++)
		for (k = 0; k < n; k++)
			if (!col[k].skip)
				run_size(&col[k], i);
	/* Latency with the UD pair alone, unless asked otherwise. */
	for (k = 0; k < n && !opt.keep_qps; k++)
		pair_destroy(&col[k].rd);
	for (i = 0; i < LAT_SIZES; i++)
		for (k = 0; k < n; k++)
			if (!col[k].skip)
				run_latency(&col[k], i);
	for (k = 0; k < n; k++) {
		pair_destroy(&col[k].ud);
		pair_destroy(&col[k].rd);
	}
	for (k = 0; k < n; k++) {
		if (!col[k].skip)
			run_idle(&col[k]);
		close_dev(&col[k].b);
		close_dev(&col[k].a);
	}
}

static void free_column(struct column *c)
{
	unsigned int i;

	for (i = 0; i < MAX_SIZES; i++)
		free(c->bw[i].note);
	for (i = 0; i < LAT_SIZES; i++)
		free(c->lat[i].note);
	free(c->idle.note);
	free(c->skip);
}

/* ---- the report ---- */

/*
 * Bytes a second of memcpy() of MEMCPY_BYTES in calls of @chunk bytes, on
 * one core, median of MEMCPY_RUNS; 0 without memory.
 */
static double memcpy_bw(size_t chunk)
{
	double t[MEMCPY_RUNS];
	char *a, *b;
	size_t off;
	int r, k;

	a = malloc(MEMCPY_BYTES);
	b = malloc(MEMCPY_BYTES);
	if (!a || !b) {
		free(a);
		free(b);
		return 0;
	}
	/* NOLINTNEXTLINE(clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling) */
	memset(a, 0x5a, MEMCPY_BYTES);
	/* NOLINTNEXTLINE(clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling) */
	memset(b, 0, MEMCPY_BYTES);
	for (r = 0; r < MEMCPY_RUNS; r++) {
		double t0 = now_s();

		for (k = 0; k < MEMCPY_REPS; k++) {
			for (off = 0; off < MEMCPY_BYTES; off += chunk)
				/* memcpy() itself is what is measured. */
				/* NOLINTNEXTLINE(clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling) */
				memcpy(b + off, a + off, chunk);
			/* Each pass must happen: b may be read in between. */
			__asm__ volatile("" : : "r"(b) : "memory");
		}
		t[r] = now_s() - t0;
	}
	free(a);
	free(b);
	return (double)MEMCPY_BYTES * MEMCPY_REPS /
	       percentile(t, MEMCPY_RUNS, 50);
}

/*
 * Why a cell was not measured, padded to @width: just "skipped" when the
 * whole column was, as the header says why.
 */
static void print_note(const struct column *c, const struct cell *cell,
		       int width)
{
	int n;

	if (c->skip)
		n = printf("skipped");
	else if (cell->note)
		n = printf("%s: %s", cell->what, cell->note);
	else
		n = printf("%s", cell->what ? cell->what : "not measured");
	if (n < width)
		printf("%*s", width - n, "");
}

static void print_bw(const struct column *c, const struct cell *cell)
{
	if (cell->done)
		printf("%10.1f kmsg/s %9.1f MB/s", cell->val[0] / 1e3,
		       cell->val[1] / 1e6);
	else
		print_note(c, cell, 31);
}

static void print_lat(const struct column *c, const struct cell *cell)
{
	if (cell->done)
		printf("median %8.1f us, p99 %8.1f us", cell->val[0] * 1e6,
		       cell->val[1] * 1e6);
	else
		print_note(c, cell, 33);
}

static void print_ratio(const struct cell *x, const struct cell *y, int i)
{
	if (x->done && y->done && y->val[i] > 0)
		printf("%.3f", x->val[i] / y->val[i]);
	else
		printf("-");
}

static void report_header(const struct column *col, unsigned int n,
			  const double *mbw)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct column *c = &col[i];

		printf("# %-5s %s -> %s: ", c->label, c->name_a, c->name_b);
		if (c->skip)
			printf("skipped: %s\n", c->skip);
		else
			printf("UD SEND up to %lu B, RDMA READ over %s above; GID index %d/%d\n",
			       UD_MAX, c->a.efa ? "SRD" : "RC",
			       c->a.gid_index, c->b.gid_index);
	}
	printf("# one thread polls both ends; latency is half the round trip\n");
	printf("# memcpy %lu KiB, one core: %.1f MB/s in one call, %.1f MB/s in %lu KiB calls; the faster is the bound below\n",
	       MEMCPY_BYTES / KIB, mbw[0] / 1e6, mbw[1] / 1e6,
	       MEMCPY_CHUNK / KIB);
}

static void report_bw(const struct column *c)
{
	unsigned int i;

	for (i = 0; i < opt.nsizes; i++) {
		printf("%-9s ", opt.sizes[i] <= UD_MAX ? "ud_send" : "rdma_read");
		print_size(opt.sizes[i]);
		printf(": %s ", c[0].label);
		print_bw(&c[0], &c[0].bw[i]);
		printf(" | %s ", c[1].label);
		print_bw(&c[1], &c[1].bw[i]);
		printf(" | %s/%s ", c[0].label, c[1].label);
		print_ratio(&c[0].bw[i], &c[1].bw[i], 0);
		printf("\n");
	}
}

static void report_lat(const struct column *c)
{
	unsigned int i;

	for (i = 0; i < LAT_SIZES; i++) {
		printf("latency   ");
		print_size(lat_sizes[i]);
		printf(": %s ", c[0].label);
		print_lat(&c[0], &c[0].lat[i]);
		printf(" | %s ", c[1].label);
		print_lat(&c[1], &c[1].lat[i]);
		printf(" | %s/%s median ", c[0].label, c[1].label);
		print_ratio(&c[0].lat[i], &c[1].lat[i], 0);
		printf(", p99 ");
		print_ratio(&c[0].lat[i], &c[1].lat[i], 1);
		printf("\n");
	}
}

static void report_memcpy(const struct column *c, double mbw)
{
	unsigned int i, k;

	printf("vs memcpy ");
	print_size(MEMCPY_BYTES);
	printf(":");
	for (i = 0; i < opt.nsizes && opt.sizes[i] != MEMCPY_BYTES; i++)
		;
	if (i == opt.nsizes) {
		printf(" skipped: not among --sizes\n");
		return;
	}
	for (k = 0; k < 2; k++) {
		const struct cell *cell = &c[k].bw[i];

		printf("%s %s ", k ? " |" : "", c[k].label);
		if (cell->done && mbw > 0)
			printf("%.3f x memcpy", cell->val[1] / mbw);
		else
			print_note(&c[k], cell, 0);
	}
	printf("\n");
}

static void print_idle(const struct column *c)
{
	if (!c->idle.done) {
		print_note(c, &c->idle, 0);
		return;
	}
	printf("%.1f %%", c->idle.val[0]);
	if (c->kthread && c->kthreads)
		printf(" (%d thread%s %s*: %.1f %%)", c->kthreads,
		       c->kthreads == 1 ? "" : "s", c->kthread, c->idle.val[1]);
	else if (c->kthread)
		printf(" (no thread %s*)", c->kthread);
}

static void report_idle(const struct column *c, const struct column *base)
{
	printf("idle %lu s, UD QPs in RTS, %% of one CPU: baseline ",
	       opt.idle_secs);
	if (base->idle.done)
		printf("%.1f %%", base->idle.val[0]);
	else
		print_note(base, &base->idle, 0);
	printf(" | %s ", c[0].label);
	print_idle(&c[0]);
	printf(" | %s ", c[1].label);
	print_idle(&c[1]);
	printf("\n");
}

/* ---- arguments ---- */

/* A count or size: digits, then K or M (binary) if @suffix. */
static int parse_num(const char *s, bool suffix, unsigned long lo,
		     unsigned long hi, unsigned long *out)
{
	unsigned long long v, mul = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (suffix && (*end == 'K' || *end == 'k'))
		mul = KIB;
	else if (suffix && (*end == 'M' || *end == 'm'))
		mul = MIB;
	if (mul > 1)
		end++;
	if (*end || v > hi / mul || v * mul < lo)
		return -EINVAL;
	*out = (unsigned long)(v * mul);
	return 0;
}

static int parse_sizes(char *list)
{
	char *tok, *save = NULL;
	unsigned long v;

	opt.nsizes = 0;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (opt.nsizes == MAX_SIZES ||
		    parse_num(tok, true, 1, MAX_SIZE, &v))
			return -EINVAL;
		opt.sizes[opt.nsizes++] = v;
	}
	return opt.nsizes ? 0 : -EINVAL;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: efa_bench [--dev-a NAME] [--dev-b NAME] [--ref-a NAME] [--ref-b NAME]\n"
		"                 [--sizes LIST] [--iters N] [--bytes N] [--lat-iters N]\n"
		"                 [--idle-secs N] [--timeout N] [--kthread PREFIX]\n"
		"                 [--yield N] [--keep-qps]\n"
		"\n"
		"Message rate, bandwidth, UD ping-pong latency and idle CPU use of\n"
		"aifab's EFA devices (--dev-a -> --dev-b, default aifab_efa0 ->\n"
		"aifab_efa1) beside a reference pair (--ref-a -> --ref-b, default\n"
		"rxe0 -> rxe0), with their ratio. Sizes up to 4096 use UD SEND,\n"
		"larger ones RDMA READ (SRD on EFA, RC elsewhere).\n"
		"\n"
		"  --sizes LIST      comma-separated, K and M suffixes, 1..64M\n"
		"                    (default 64,256,1K,4K,16K,64K,256K,1M)\n"
		"  --iters N         messages per size, at most (default 5000)\n"
		"  --bytes N         bytes per size, at most (default 64M)\n"
		"  --lat-iters N     round trips per latency size (default 1000)\n"
		"  --idle-secs N     idle CPU measurement, 0 for none (default 2)\n"
		"  --timeout N       seconds without progress that fail a figure\n"
		"                    (default 10)\n"
		"  --kthread PREFIX  the aifab engine's thread names (default aifab_efa)\n"
		"  --yield N         sched_yield() after every N empty polls (default\n"
		"                    0: never)\n"
		"  --keep-qps        keep the READ QPs through the latency runs\n");
}

static int parse_args(int argc, char **argv, struct column *col)
{
	static const struct option longopts[] = {
		{ "dev-a", required_argument, NULL, 'a' },
		{ "dev-b", required_argument, NULL, 'b' },
		{ "ref-a", required_argument, NULL, 'A' },
		{ "ref-b", required_argument, NULL, 'B' },
		{ "sizes", required_argument, NULL, 's' },
		{ "iters", required_argument, NULL, 'n' },
		{ "bytes", required_argument, NULL, 'y' },
		{ "lat-iters", required_argument, NULL, 'l' },
		{ "idle-secs", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 't' },
		{ "kthread", required_argument, NULL, 'k' },
		{ "yield", required_argument, NULL, 'Y' },
		{ "keep-qps", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, idx = 0, ret = 0;

	while (!ret &&
	       (c = getopt_long(argc, argv, "h", longopts, &idx)) != -1) {
		switch (c) {
		case 'a':
			col[0].name_a = optarg;
			break;
		case 'b':
			col[0].name_b = optarg;
			break;
		case 'A':
			col[1].name_a = optarg;
			break;
		case 'B':
			col[1].name_b = optarg;
			break;
		case 's':
			ret = parse_sizes(optarg);
			break;
		case 'n':
			ret = parse_num(optarg, false, 1, 10000000, &opt.iters);
			break;
		case 'y':
			ret = parse_num(optarg, true, 1, 1UL << 34, &opt.bytes);
			break;
		case 'l':
			ret = parse_num(optarg, false, 1, 1000000,
					&opt.lat_iters);
			break;
		case 'i':
			ret = parse_num(optarg, false, 0, 60, &opt.idle_secs);
			break;
		case 't':
			ret = parse_num(optarg, false, 1, 600, &opt.timeout);
			break;
		case 'k':
			opt.kthread = optarg;
			break;
		case 'Y':
			ret = parse_num(optarg, false, 0, 1000000, &opt.yield);
			break;
		case 'K':
			opt.keep_qps = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
		if (ret) {
			/* parse_sizes() took the list apart: say which option. */
			fprintf(stderr, "efa_bench: bad value for --%s\n",
				longopts[idx].name);
			usage(stderr);
		}
	}
	if (!ret && optind < argc) {
		fprintf(stderr, "efa_bench: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		ret = -EINVAL;
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct column col[2] = {
		{ .label = "aifab", .name_a = "aifab_efa0", .name_b = "aifab_efa1" },
		{ .label = "rxe", .name_a = "rxe0", .name_b = "rxe0" },
	};
	/* The machine alone, measured before any device is open. */
	struct column base = { .label = "baseline" };
	double mbw[2];
	int i, status;

	if (parse_args(argc, argv, col))
		return 2;
	col[0].kthread = opt.kthread[0] ? opt.kthread : NULL;
	if (!opt.idle_secs)
		base.idle.what = "skipped";
	else if (measure_idle(NULL, &base.idle, &base.kthreads))
		set_note(&base.idle, "failed");
	mbw[0] = memcpy_bw(MEMCPY_BYTES);
	mbw[1] = memcpy_bw(MEMCPY_CHUNK);
	run_columns(col, 2);

	report_header(col, 2, mbw);
	report_bw(col);
	report_lat(col);
	report_memcpy(col, mbw[0] > mbw[1] ? mbw[0] : mbw[1]);
	report_idle(col, &base);
	status = col[0].skip && col[1].skip ? 2 : transfer_failed ? 1 : 0;
	for (i = 0; i < 2; i++)
		free_column(&col[i]);
	free_column(&base);
	free(why);
	return status;
}
