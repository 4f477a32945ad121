// SPDX-License-Identifier: GPL-2.0
/*
 * rdma_allreduce: ring all-reduce of fp32 across accelerators over aifab's
 * EFA devices, zero-copy, checked against the CPU.
 *
 *   rdma_allreduce --rank ACCEL:EFA --rank ACCEL:EFA... [--count N]
 *                  [--iters K] [--max-read BYTES] [--expect-refused]
 *                  [--verbose]
 *
 * A rank is an accelerator and the EFA device it reaches the network by.
 * Each rank's data and scratch buffers live in its accelerator's memory
 * and are registered with its EFA device from their dma-bufs (PRIME), so
 * an RDMA READ moves bytes page to page from one accelerator's memory into
 * another's: no host buffer on the way. One process drives every rank, as
 * the devices are all on this host, so nothing needs exchanging out of
 * band: each rank's SRD QP number and region keys are at hand.
 *
 * The algorithm is ring.c's, with RDMA READs for the peer COPYs: the
 * buffer is split into one chunk per rank, and in each of the 2(n-1)
 * steps every rank READs one chunk of its left neighbour (rank i-1):
 *   - reduce-scatter, steps 0..n-2: chunk (i-1-s) mod n into its scratch
 *     buffer, then a REDUCE job on its accelerator adds it into its data;
 *   - all-gather, steps n-1..2n-3: chunk (i-t) mod n, t = s-(n-1), which
 *     the neighbour holds complete, straight into its data.
 * Every step has two phases: all READs complete, then all REDUCEs. So no
 * rank adds into a chunk that another rank is still reading, and no READ
 * sees a half-reduced chunk.
 *
 * Inputs are small integers, so every fp32 sum is exact and each element
 * is compared bit for bit. The report gives, per rank, the bytes it read
 * and its REDUCE jobs, and per EFA device how much its engine copied
 * (debugfs engine_copied_bytes) and read (the rdma_read_bytes counter of
 * "rdma statistic"): with zero-copy both grow by exactly the bytes read.
 *
 * Exit status: 0 all right; 1 a wrong element, a failed READ or a failed
 * job (with --expect-refused: the READ was not refused by the fabric); 2 a
 * usage error, or devices that could not be set up.
 */
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <infiniband/efadv.h>
#include <infiniband/verbs.h>
#include <linux/aifab.h>

#include "../bench/bench_stats.h"
#include "accel.h"
#include "args.h"
#include "names.h"
#include "nl.h"

#define EXIT_WRONG	1
#define EXIT_SETUP	2

#define PROG		"rdma_allreduce"
#define RANKS_MAX	64
#define ELEM		sizeof(float)
#define DEFAULT_COUNT	(1ULL << 20)
/*
 * 4 GiB of fp32 a rank: a bound that catches a mistyped count before any
 * allocation (accelerators hold 1 GiB unless accel_mem_mib says otherwise;
 * past their memory, the allocation fails with a message).
 */
#define MAX_COUNT	(1ULL << 30)
#define QKEY		0x5a11aed5U
/* READs in flight per rank; a READ moves up to the device's max_rdma_size. */
#define SQ_DEPTH	16U
/* Where the regions start in each rank's I/O address space. */
#define IOVA_DATA	0x100000000000ULL
#define IOVA_SCRATCH	0x200000000000ULL
/* Every byte of a scratch buffer before anything is read into it. */
#define POISON		0xa5U
/* A phase that makes no progress for this long has failed. */
#define STALL_S		120.0
/* Jobs: give up on a REDUCE after this long; its own timeout is shorter. */
#define WAIT_NS		(600LL * 1000000000)
/* ib_core caches hardware counters for 10 ms; read them further apart. */
#define COUNTER_AGE_S	0.05
#define SHOW_WRONG	5
#define AIFAB_GID_PREFIX	"\xfd\x61\x69\x66\x61\x62"
#define DEBUGFS_EFA	"/sys/kernel/debug/aifab/efa"
#define SYSFS_IB	"/sys/class/infiniband"

/* One --rank, split. */
struct spec {
	char accel[AIFAB_ACCEL_PATH_MAX];
	char efa[AIFAB_NAME_MAX];
};

struct options {
	struct spec specs[RANKS_MAX];
	unsigned int nranks;
	uint64_t count;
	unsigned int iters;
	uint64_t max_read;
	bool expect_refused;
	bool verbose;
};

/* The counters that show where the bytes went; -1 when unreadable. */
struct counters {
	int64_t copied;		/* debugfs engine_copied_bytes */
	int64_t read;		/* hw counter rdma_read_bytes */
	int64_t read_wrs;	/* hw counter rdma_read_wrs */
};

/* The READs of one rank in one step: [off, end) of the chunk. */
struct xfer {
	uint64_t src_off;	/* into the left neighbour's data */
	struct ibv_mr *dst_mr;
	uint64_t dst_iova;	/* where the next piece lands */
	uint64_t left;		/* bytes not posted yet */
	unsigned int inflight;
};

/* The first failed work completion, for the report. */
struct wc_fail {
	bool failed;
	unsigned int rank;
	enum ibv_wc_status status;
	uint32_t vendor_err;
	const char *why;	/* set instead, for a failure without a WC */
};

/* Ordered for packing: pointers and 64-bit values, then 32-bit ones. */
struct rank {
	const char *accel_name;
	const char *efa_name;
	struct aifab_accel *acc;
	float *data_map;
	uint8_t *scratch_map;
	uint64_t data_size, scratch_size;
	/* The EFA device: RDMA device name, verbs objects. */
	char *ibdev;
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	struct ibv_cq *cq;
	struct ibv_qp *qp;
	struct ibv_qp_ex *qpx;
	struct ibv_ah *ah;	/* to the left neighbour */
	struct ibv_mr *data_mr, *scratch_mr;
	uint64_t max_read;
	/* Totals over the run. */
	uint64_t bytes_read, reads, reduces;
	union ibv_gid gid;
	struct counters before;
	struct xfer x;
	unsigned int idx;
	uint32_t data, scratch, sync;
	uint32_t efa_id;	/* the EFA device's fabric id */
};

struct run {
	struct options *o;
	struct rank *r;
	unsigned int n;
	double read_s;		/* time spent in READ phases */
	struct wc_fail fail;
};

/* ---- arguments ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " --rank ACCEL:EFA --rank ACCEL:EFA... [--count N] [--iters K]\n"
		"                      [--max-read BYTES] [--expect-refused] [--verbose]\n"
		"\n"
		"Ring all-reduce (sum) of N fp32 elements across accelerators, each\n"
		"rank reading its left neighbour's chunks with RDMA READ over SRD\n"
		"between the ranks' EFA devices, straight from accelerator memory into\n"
		"accelerator memory (dma-buf memory regions), and adding them with\n"
		"REDUCE jobs on its accelerator. Every element is checked against the\n"
		"CPU after every iteration.\n"
		"\n"
		"  -r, --rank ACCEL:EFA  a rank: an accelerator and an EFA device, by\n"
		"                        fabric name (accel0:efa0); 2 to %d, in ring order\n"
		"  -n, --count N         elements per rank, 1 to %llu (default %llu)\n"
		"  -i, --iters K         all-reduces to run and check, 1 to 1000000\n"
		"                        (default 1)\n"
		"  -m, --max-read BYTES  split READs into pieces of at most this many\n"
		"                        bytes (default: the device's max_rdma_size)\n"
		"  -x, --expect-refused  post rank 0's first READ only, and succeed if the\n"
		"                        fabric refuses it and nothing arrives\n"
		"  -v, --verbose         show the ranks, and each iteration\n"
		"  -h, --help            this text\n"
		"\n"
		"Exit status: 0 correct (or refused, as expected); 1 wrong result,\n"
		"failed transfer or job (or not refused); 2 usage or setup error.\n",
		RANKS_MAX, MAX_COUNT, DEFAULT_COUNT);
}

/* Copies @n bytes of @src and a NUL; the caller checked @n < @len. */
static void copy_name(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = src[i];
	dst[n] = '\0';
}

/* ACCEL:EFA, each a fabric device name (or the accelerator's node path). */
static int parse_spec(const char *arg, struct spec *sp)
{
	const char *colon = strchr(arg, ':');
	size_t alen;

	if (!colon || strchr(colon + 1, ':')) {
		fprintf(stderr, PROG ": --rank '%s': want ACCEL:EFA, e.g. accel0:efa0\n",
			arg);
		return -EINVAL;
	}
	alen = (size_t)(colon - arg);
	if (alen == 0 || alen >= sizeof(sp->accel)) {
		fprintf(stderr, PROG ": --rank '%s': want an accelerator before ':'\n",
			arg);
		return -EINVAL;
	}
	copy_name(sp->accel, arg, alen);
	if (!strchr(sp->accel, '/') && !aifab_name_valid(sp->accel)) {
		fprintf(stderr,
			PROG ": --rank '%s': '%s' is not a device name (1-%d characters of a-z A-Z 0-9 _ . -)\n",
			arg, sp->accel, AIFAB_NAME_MAX - 1);
		return -EINVAL;
	}
	/* Valid names are shorter than sp->efa. */
	if (!aifab_name_valid(colon + 1)) {
		fprintf(stderr,
			PROG ": --rank '%s': '%s' is not an EFA device name (1-%d characters of a-z A-Z 0-9 _ . -)\n",
			arg, colon + 1, AIFAB_NAME_MAX - 1);
		return -EINVAL;
	}
	copy_name(sp->efa, colon + 1, strlen(colon + 1));
	return 0;
}

static int parse_opt(int c, const char *arg, struct options *o)
{
	uint64_t v;

	switch (c) {
	case 'r':
		if (o->nranks == RANKS_MAX) {
			fprintf(stderr, PROG ": at most %d ranks\n", RANKS_MAX);
			return -EINVAL;
		}
		if (parse_spec(arg, &o->specs[o->nranks]))
			return -EINVAL;
		o->nranks++;
		return 0;
	case 'n':
		if (args_parse_u64(arg, 10, MAX_COUNT, &o->count))
			break;
		return 0;
	case 'i':
		if (args_parse_u64(arg, 10, 1000000, &v))
			break;
		o->iters = (unsigned int)v;
		return 0;
	case 'm':
		if (args_parse_u64(arg, 10, UINT32_MAX, &o->max_read))
			break;
		return 0;
	case 'x':
		o->expect_refused = true;
		return 0;
	case 'v':
		o->verbose = true;
		return 0;
	default:
		fprintf(stderr, "Try '" PROG " --help'.\n");
		return -EINVAL;
	}
	fprintf(stderr, PROG ": %s needs a number, %s, not '%s'\n",
		c == 'n' ? "--count" : c == 'i' ? "--iters" : "--max-read",
		c == 'n' ? "1 to 1073741824 elements" :
		c == 'i' ? "1 to 1000000" : "1 to 4294967295 bytes", arg);
	return -EINVAL;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "rank", required_argument, NULL, 'r' },
		{ "count", required_argument, NULL, 'n' },
		{ "iters", required_argument, NULL, 'i' },
		{ "max-read", required_argument, NULL, 'm' },
		{ "expect-refused", no_argument, NULL, 'x' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->count = DEFAULT_COUNT;
	o->iters = 1;
	while ((c = getopt_long(argc, argv, "r:n:i:m:xvh", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		if (parse_opt(c, optarg, o))
			return -EINVAL;
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'; try '" PROG " --help'\n",
			argv[optind]);
		return -EINVAL;
	}
	if (o->nranks < 2) {
		fprintf(stderr, PROG ": needs at least 2 ranks (--rank ACCEL:EFA), got %u\n",
			o->nranks);
		return -EINVAL;
	}
	return 0;
}

/* ---- the EFA device of a fabric name ---- */

struct dev_reply {
	uint32_t id;
	uint32_t type;
	bool local;
};

static int dev_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct aifab_nl_policy policy[AIFAB_A_DEV_MAX + 1] = {
		[AIFAB_A_DEV_ID] = { MNL_TYPE_U32, true },
		[AIFAB_A_DEV_TYPE] = { MNL_TYPE_U32, true },
		[AIFAB_A_DEV_LOCAL] = { MNL_TYPE_U8, true },
	};
	const struct nlattr *tb[AIFAB_A_DEV_MAX + 1];
	struct dev_reply *d = data;
	int ret;

	ret = aifab_nl_parse(nlh, policy, AIFAB_A_DEV_MAX, tb);
	if (ret)
		return ret;
	d->id = mnl_attr_get_u32(tb[AIFAB_A_DEV_ID]);
	d->type = mnl_attr_get_u32(tb[AIFAB_A_DEV_TYPE]);
	d->local = mnl_attr_get_u8(tb[AIFAB_A_DEV_LOCAL]);
	return 0;
}

/* The fabric id of a local EFA device, asked of the module over netlink. */
static int efa_fabric_id(struct aifab_nl *nl, const char *name, uint32_t *id)
{
	struct dev_reply d = { 0 };
	struct aifab_nl_req *req;
	int ret;

	/* Too large for the stack, as in aifabctl. */
	req = malloc(sizeof(*req));
	if (!req)
		return -ENOMEM;
	aifab_nl_req_init(req, AIFAB_CMD_DEV_GET, false);
	ret = aifab_nl_req_str(req, AIFAB_A_DEV_NAME, name);
	if (!ret)
		ret = aifab_nl_exec(nl, req, dev_reply_cb, &d);
	free(req);
	if (ret == -ENOENT)
		fprintf(stderr, PROG ": %s: no such fabric device\n", name);
	else if (ret)
		fprintf(stderr, PROG ": %s: cannot look it up: %s\n", name,
			aifab_nl_errmsg(nl) ? aifab_nl_errmsg(nl) : strerror(-ret));
	else if (d.type != AIFAB_DEV_TYPE_EFA)
		fprintf(stderr, PROG ": %s is not an EFA device\n", name);
	else if (!d.local)
		fprintf(stderr, PROG ": %s is not on this node\n", name);
	if (ret || d.type != AIFAB_DEV_TYPE_EFA || !d.local)
		return ret ? ret : -ENODEV;
	*id = d.id;
	return 0;
}

/*
 * The RDMA device of fabric device @id: aifab makes its node GUID from the
 * node and device ids (node << 32 | device), the device's id in the low
 * half. The names (aifab_efaN) are ib_core's, in registration order, and
 * need not follow the fabric's after a topology load.
 */
static struct ibv_context *efa_open(uint32_t id, char **name)
{
	struct ibv_device **list;
	struct ibv_device *dev = NULL;
	struct ibv_context *ctx;
	int i, n;

	list = ibv_get_device_list(&n);
	if (!list)
		return NULL;
	for (i = 0; i < n && !dev; i++) {
		uint64_t guid = be64toh(ibv_get_device_guid(list[i]));

		if (!strncmp(ibv_get_device_name(list[i]), "aifab_", 6) &&
		    (uint32_t)guid == id)
			dev = list[i];
	}
	if (!dev) {
		ibv_free_device_list(list);
		errno = ENODEV;
		return NULL;
	}
	*name = strdup(ibv_get_device_name(dev));
	ctx = *name ? ibv_open_device(dev) : NULL;
	i = errno;
	ibv_free_device_list(list);
	errno = i;
	return ctx;
}

/* ---- one rank's setup ---- */

static int rank_fail(const struct rank *rk, const char *what, int err)
{
	fprintf(stderr, PROG ": rank %u (%s:%s): %s: %s\n", rk->idx,
		rk->accel_name, rk->efa_name, what, strerror(err < 0 ? -err : err));
	return err < 0 ? err : -err;
}

static int rank_bo(struct rank *rk, uint64_t bytes, uint32_t *bo,
		   void **map, uint64_t *size, const char *what)
{
	int ret;

	ret = aifab_accel_bo_alloc(rk->acc, bytes, bo);
	if (ret == -ENOSPC) {
		fprintf(stderr, PROG ": rank %u: %s has no room for a %s buffer of %" PRIu64 " bytes\n",
			rk->idx, rk->accel_name, what, bytes);
		return ret;
	}
	if (ret)
		return rank_fail(rk, "allocate a buffer", ret);
	ret = aifab_accel_bo_map(rk->acc, *bo, map, size);
	if (ret)
		return rank_fail(rk, "map a buffer", ret);
	return 0;
}

static int rank_open_accel(struct rank *rk)
{
	int ret;

	ret = aifab_accel_open(rk->accel_name, &rk->acc);
	if (!ret)
		return 0;
	fprintf(stderr, PROG ": rank %u: %s: %s%s\n", rk->idx, rk->accel_name,
		ret == -ENODEV ? "not a local aifab accelerator" :
		ret == -ENOENT ? "no such fabric device" : strerror(-ret),
		ret == -EACCES ?
		" (is its partition bound to another network namespace?)" : "");
	return ret;
}

static int rank_buffers(struct rank *rk, uint64_t data_bytes,
			uint64_t scratch_bytes)
{
	void *data = NULL, *scratch = NULL;
	int ret;

	ret = rank_bo(rk, data_bytes, &rk->data, &data, &rk->data_size, "data");
	rk->data_map = data;
	if (!ret)
		ret = rank_bo(rk, scratch_bytes, &rk->scratch, &scratch,
			      &rk->scratch_size, "scratch");
	rk->scratch_map = scratch;
	if (ret)
		return ret;
	ret = aifab_accel_syncobj_create(rk->acc, 0, &rk->sync);
	if (ret)
		return rank_fail(rk, "create a syncobj", ret);
	return 0;
}

/* The device must READ over SRD; its largest READ bounds a piece. */
static int rank_caps(struct rank *rk, uint64_t bo_bytes)
{
	struct efadv_device_attr ea = { 0 };
	struct ibv_device_attr da;
	int ret;

	ret = efadv_query_device(rk->ctx, &ea, sizeof(ea));
	if (ret)
		return rank_fail(rk, "query the EFA device", ret);
	if (!(ea.device_caps & EFADV_DEVICE_ATTR_CAPS_RDMA_READ) ||
	    !ea.max_rdma_size) {
		fprintf(stderr, PROG ": rank %u: %s offers no RDMA READ\n", rk->idx,
			rk->ibdev);
		return -EOPNOTSUPP;
	}
	rk->max_read = ea.max_rdma_size;
	ret = ibv_query_device(rk->ctx, &da);
	if (ret)
		return rank_fail(rk, "query the device", ret);
	if (bo_bytes > da.max_mr_size) {
		fprintf(stderr, PROG ": rank %u: %" PRIu64 " bytes is more than a region of %s may hold (%" PRIu64 ")\n",
			rk->idx, bo_bytes, rk->ibdev, (uint64_t)da.max_mr_size);
		return -EMSGSIZE;
	}
	ret = ibv_query_gid(rk->ctx, 1, 0, &rk->gid);
	if (ret)
		return rank_fail(rk, "query GID 0", ret);
	/* Not aifab's: the GUID matched by chance. */
	if (memcmp(rk->gid.raw, AIFAB_GID_PREFIX, 6)) {
		fprintf(stderr, PROG ": rank %u: %s is not an aifab EFA device\n",
			rk->idx, rk->ibdev);
		return -ENODEV;
	}
	return 0;
}

static int rank_qp(struct rank *rk)
{
	struct ibv_qp_init_attr_ex init = {
		.qp_type = IBV_QPT_DRIVER,
		.cap = { .max_send_wr = SQ_DEPTH, .max_recv_wr = 1,
			 .max_send_sge = 1, .max_recv_sge = 1 },
		.sq_sig_all = 1,
		.comp_mask = IBV_QP_INIT_ATTR_PD | IBV_QP_INIT_ATTR_SEND_OPS_FLAGS,
		/* libefa posts READs only through the ibv_wr_*() API. */
		.send_ops_flags = IBV_QP_EX_WITH_RDMA_READ,
	};
	struct efadv_qp_init_attr efa = {
		.driver_qp_type = EFADV_QP_DRIVER_TYPE_SRD,
	};
	struct ibv_qp_attr a = { .qp_state = IBV_QPS_INIT, .port_num = 1,
				 .qkey = QKEY };
	int ret;

	init.pd = rk->pd;
	init.send_cq = rk->cq;
	init.recv_cq = rk->cq;
	rk->qp = efadv_create_qp_ex(rk->ctx, &init, &efa, sizeof(efa));
	if (!rk->qp)
		return rank_fail(rk, "create an SRD QP", errno);
	rk->qpx = ibv_qp_to_qp_ex(rk->qp);
	ret = ibv_modify_qp(rk->qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX |
			    IBV_QP_PORT | IBV_QP_QKEY);
	a.qp_state = IBV_QPS_RTR;
	if (!ret)
		ret = ibv_modify_qp(rk->qp, &a, IBV_QP_STATE);
	a.qp_state = IBV_QPS_RTS;
	if (!ret)
		ret = ibv_modify_qp(rk->qp, &a, IBV_QP_STATE | IBV_QP_SQ_PSN);
	if (ret)
		return rank_fail(rk, "bring the QP to RTS", ret < 0 ? errno : ret);
	return 0;
}

/* A BO registered from its dma-buf: the EFA engine then copies its pages. */
static struct ibv_mr *rank_mr(struct rank *rk, uint32_t bo, uint64_t size,
			      uint64_t iova, int access)
{
	struct ibv_mr *mr;
	int fd, ret;

	ret = aifab_accel_bo_export(rk->acc, bo, &fd);
	if (ret) {
		rank_fail(rk, "export a buffer as a dma-buf", ret);
		return NULL;
	}
	mr = ibv_reg_dmabuf_mr(rk->pd, 0, size, iova, fd, access);
	if (!mr)
		rank_fail(rk, "register a dma-buf memory region", errno);
	/* The region holds its own reference to the dma-buf. */
	close(fd);
	return mr;
}

static int rank_efa(struct rank *rk, struct aifab_nl *nl)
{
	int ret;

	ret = efa_fabric_id(nl, rk->efa_name, &rk->efa_id);
	if (ret)
		return ret;
	rk->ctx = efa_open(rk->efa_id, &rk->ibdev);
	if (!rk->ctx)
		return rank_fail(rk, "open its RDMA device", errno);
	ret = rank_caps(rk, rk->data_size);
	if (ret)
		return ret;
	rk->pd = ibv_alloc_pd(rk->ctx);
	if (!rk->pd)
		return rank_fail(rk, "allocate a PD", errno);
	rk->cq = ibv_create_cq(rk->ctx, SQ_DEPTH, NULL, NULL, 0);
	if (!rk->cq)
		return rank_fail(rk, "create a CQ", errno);
	ret = rank_qp(rk);
	if (ret)
		return ret;
	/* Local write too: all-gather READs land in the data buffer. */
	rk->data_mr = rank_mr(rk, rk->data, rk->data_size, IOVA_DATA,
			      IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ);
	if (rk->data_mr)
		rk->scratch_mr = rank_mr(rk, rk->scratch, rk->scratch_size,
					 IOVA_SCRATCH, IBV_ACCESS_LOCAL_WRITE);
	return rk->scratch_mr ? 0 : -EIO;
}

/* An address handle to the left neighbour, whose chunks this rank reads. */
static int rank_connect(struct rank *rk, const struct rank *left)
{
	struct ibv_ah_attr a = {
		.is_global = 1,
		.port_num = 1,
		.grh = { .dgid = left->gid, .hop_limit = 64 },
	};

	rk->ah = ibv_create_ah(rk->pd, &a);
	if (!rk->ah)
		return rank_fail(rk, "create an address handle to its left neighbour",
				 errno);
	return 0;
}

static void rank_fini(struct rank *rk)
{
	if (rk->ah)
		ibv_destroy_ah(rk->ah);
	if (rk->scratch_mr)
		ibv_dereg_mr(rk->scratch_mr);
	if (rk->data_mr)
		ibv_dereg_mr(rk->data_mr);
	if (rk->qp)
		ibv_destroy_qp(rk->qp);
	if (rk->cq)
		ibv_destroy_cq(rk->cq);
	if (rk->pd)
		ibv_dealloc_pd(rk->pd);
	if (rk->ctx)
		ibv_close_device(rk->ctx);
	if (rk->sync)
		aifab_accel_syncobj_destroy(rk->acc, rk->sync);
	if (rk->scratch_map)
		aifab_accel_bo_unmap(rk->scratch_map, rk->scratch_size);
	if (rk->data_map)
		aifab_accel_bo_unmap(rk->data_map, rk->data_size);
	if (rk->scratch)
		aifab_accel_bo_free(rk->acc, rk->scratch);
	if (rk->data)
		aifab_accel_bo_free(rk->acc, rk->data);
	aifab_accel_close(rk->acc);
	free(rk->ibdev);
}

/* ---- chunks and counters ---- */

/* Chunk @c of @n over @count elements, split as ring.c splits it. */
static void chunk(uint64_t count, unsigned int n, unsigned int c,
		  uint64_t *start, uint64_t *len)
{
	uint64_t a = count * c / n, b = count * (c + 1) / n;

	*start = a;
	*len = b - a;
}

/* A counter: the number in file @path, or -1. */
static int64_t counter_file(const char *path)
{
	char line[64], *end;
	long long v;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	end = fgets(line, sizeof(line), f);
	fclose(f);
	if (!end)
		return -1;
	v = strtoll(line, &end, 10);
	return end == line ? -1 : v;
}

/* A counter of an EFA device's debugfs stats: "NAME VALUE" lines. */
static int64_t counter_stats(const char *path, const char *name)
{
	size_t len = strlen(name);
	int64_t found = -1;
	char line[128], *end;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, len) || line[len] != ' ')
			continue;
		found = strtoll(line + len + 1, &end, 10);
		if (end == line + len + 1)
			found = -1;
	}
	fclose(f);
	return found;
}

/* A counter that "rdma statistic" shows, from sysfs. */
static int64_t hw_counter(const char *ibdev, const char *name)
{
	char *path;
	int64_t v;

	if (asprintf(&path, SYSFS_IB "/%s/ports/1/hw_counters/%s", ibdev,
		     name) < 0)
		return -1;
	v = counter_file(path);
	free(path);
	return v;
}

static void read_counters(const char *ibdev, struct counters *c)
{
	char *path;

	c->copied = -1;
	if (asprintf(&path, DEBUGFS_EFA "/%s/stats", ibdev) >= 0) {
		c->copied = counter_stats(path, "engine_copied_bytes");
		free(path);
	}
	c->read = hw_counter(ibdev, "rdma_read_bytes");
	c->read_wrs = hw_counter(ibdev, "rdma_read_wrs");
}

/* ---- setup ---- */

/* Each accelerator in one rank only: two would sum into one buffer. */
static int rank_unique(const struct run *run, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i; j++) {
		if (aifab_accel_dev_id(run->r[j].acc) !=
		    aifab_accel_dev_id(run->r[i].acc))
			continue;
		fprintf(stderr, PROG ": %s is in ranks %u and %u; each rank needs an accelerator of its own\n",
			aifab_accel_name(run->r[i].acc), j, i);
		return -EINVAL;
	}
	return 0;
}

static int ranks_open(struct run *run, struct aifab_nl *nl)
{
	uint64_t data = run->o->count * ELEM, start, len;
	unsigned int i;
	int ret;

	/* The largest chunk: the first is never larger than the last. */
	chunk(run->o->count, run->n, run->n - 1, &start, &len);
	for (i = 0; i < run->n; i++) {
		struct rank *rk = &run->r[i];

		ret = rank_open_accel(rk);
		if (!ret)
			ret = rank_unique(run, i);
		if (!ret)
			ret = rank_buffers(rk, data, len * ELEM);
		if (!ret)
			ret = rank_efa(rk, nl);
		if (ret)
			return ret;
		if (run->o->max_read && run->o->max_read < rk->max_read)
			rk->max_read = run->o->max_read;
	}
	for (i = 0; i < run->n; i++) {
		ret = rank_connect(&run->r[i], &run->r[(i + run->n - 1) % run->n]);
		if (ret)
			return ret;
	}
	return 0;
}

static void ranks_name(struct run *run)
{
	unsigned int i;

	for (i = 0; i < run->n; i++) {
		run->r[i].idx = i;
		run->r[i].accel_name = run->o->specs[i].accel;
		run->r[i].efa_name = run->o->specs[i].efa;
	}
}

static int setup(struct run *run)
{
	struct aifab_nl *nl;
	int ret;

	ret = aifab_nl_open(&nl);
	if (ret) {
		fprintf(stderr, PROG ": %s\n", aifab_nl_open_strerror(ret));
		return ret;
	}
	ranks_name(run);
	ret = ranks_open(run, nl);
	aifab_nl_close(nl);
	return ret;
}

static void print_setup(const struct run *run)
{
	unsigned int i;

	for (i = 0; i < run->n; i++) {
		const struct rank *rk = &run->r[i];

		printf("# rank %u: %s (%s) over %s (%s, QP %u): data %" PRIu64 " bytes key %#x, scratch %" PRIu64 " bytes key %#x, READs of at most %" PRIu64 " bytes\n",
		       i, rk->accel_name, aifab_accel_path(rk->acc), rk->efa_name,
		       rk->ibdev, rk->qp->qp_num, run->o->count * ELEM,
		       rk->data_mr->lkey, rk->scratch_size, rk->scratch_mr->lkey,
		       rk->max_read);
	}
}

/* ---- a step: READs, then REDUCEs ---- */

static const char *wc_meaning(enum ibv_wc_status st)
{
	switch (st) {
	case IBV_WC_RESP_TIMEOUT_ERR:
		return "the fabric refused or could not reach the peer (partition fence, link down or no path)";
	case IBV_WC_REM_INV_RD_REQ_ERR:
	case IBV_WC_REM_ACCESS_ERR:
	case IBV_WC_REM_INV_REQ_ERR:
		return "the peer refused the READ: its region's key, range or access";
	case IBV_WC_BAD_RESP_ERR:
	case IBV_WC_REM_OP_ERR:
		return "the peer's QP is gone or not ready";
	case IBV_WC_LOC_PROT_ERR:
	case IBV_WC_LOC_LEN_ERR:
	case IBV_WC_LOC_QP_OP_ERR:
		return "the READ was malformed for this device (a bug here)";
	case IBV_WC_WR_FLUSH_ERR:
		return "flushed: the QP went into error after an earlier failure";
	default:
		return "an error the device does not explain further";
	}
}

static void print_wc_fail(const struct run *run)
{
	const struct wc_fail *f = &run->fail;
	const struct rank *rk = &run->r[f->rank];
	const struct rank *left = &run->r[(f->rank + run->n - 1) % run->n];

	if (f->why) {
		fprintf(stderr, PROG ": rank %u (%s:%s): %s\n", f->rank,
			rk->accel_name, rk->efa_name, f->why);
		return;
	}
	fprintf(stderr,
		PROG ": rank %u (%s:%s): RDMA READ from rank %u (%s:%s) failed: %s (status %d, EFA status %u): %s\n",
		f->rank, rk->accel_name, rk->efa_name, left->idx,
		left->accel_name, left->efa_name, ibv_wc_status_str(f->status),
		f->status, f->vendor_err, wc_meaning(f->status));
}

/* The READs of rank @i at step @s: which chunk, and where it lands. */
static void xfer_plan(struct run *run, unsigned int i, unsigned int s)
{
	struct rank *rk = &run->r[i];
	unsigned int n = run->n, c = (i + 2 * n - 1 - s) % n;
	uint64_t start, len;

	chunk(run->o->count, n, c, &start, &len);
	rk->x.src_off = start * ELEM;
	rk->x.left = len * ELEM;
	rk->x.inflight = 0;
	if (s < n - 1) {
		rk->x.dst_mr = rk->scratch_mr;
		rk->x.dst_iova = IOVA_SCRATCH;
	} else {
		rk->x.dst_mr = rk->data_mr;
		rk->x.dst_iova = IOVA_DATA + start * ELEM;
	}
}

/* Posts pieces of the step's chunk while the send queue has room. */
static int xfer_post(struct run *run, struct rank *rk)
{
	const struct rank *left = &run->r[(rk->idx + run->n - 1) % run->n];
	struct xfer *x = &rk->x;
	int ret;

	if (!x->left || x->inflight == SQ_DEPTH)
		return 0;
	ibv_wr_start(rk->qpx);
	while (x->left && x->inflight < SQ_DEPTH) {
		uint64_t len = x->left < rk->max_read ? x->left : rk->max_read;

		/* A completion counts its bytes by its wr_id. */
		rk->qpx->wr_id = len;
		rk->qpx->wr_flags = IBV_SEND_SIGNALED;
		ibv_wr_rdma_read(rk->qpx, left->data_mr->rkey,
				 IOVA_DATA + x->src_off);
		ibv_wr_set_sge(rk->qpx, x->dst_mr->lkey, x->dst_iova,
			       (uint32_t)len);
		ibv_wr_set_ud_addr(rk->qpx, rk->ah, left->qp->qp_num, QKEY);
		x->src_off += len;
		x->dst_iova += len;
		x->left -= len;
		x->inflight++;
	}
	ret = ibv_wr_complete(rk->qpx);
	if (!ret)
		return 0;
	rank_fail(rk, "post RDMA READs", ret);
	run->fail = (struct wc_fail){ .failed = true, .rank = rk->idx,
				      .why = "could not post its RDMA READs" };
	return -EIO;
}

static void note_wc(struct run *run, struct rank *rk, const struct ibv_wc *wc)
{
	rk->x.inflight--;
	if (wc->status == IBV_WC_SUCCESS) {
		rk->bytes_read += wc->wr_id;
		rk->reads++;
		return;
	}
	/* Nothing more is posted; what is in flight still drains. */
	rk->x.left = 0;
	if (run->fail.failed)
		return;
	run->fail = (struct wc_fail){ .failed = true, .rank = rk->idx,
				      .status = wc->status,
				      .vendor_err = wc->vendor_err };
}

/* Polls every rank's CQ once; returns the completions seen, or -errno. */
static int xfer_poll(struct run *run)
{
	struct ibv_wc wc[SQ_DEPTH];
	unsigned int i;
	int seen = 0, k, got;

	for (i = 0; i < run->n; i++) {
		struct rank *rk = &run->r[i];

		if (!rk->x.inflight)
			continue;
		got = ibv_poll_cq(rk->cq, SQ_DEPTH, wc);
		if (got < 0) {
			run->fail = (struct wc_fail){ .failed = true,
				.rank = i, .why = "could not poll its CQ" };
			return -EIO;
		}
		for (k = 0; k < got; k++)
			note_wc(run, rk, &wc[k]);
		seen += got;
	}
	return seen;
}

static bool xfer_busy(const struct run *run)
{
	unsigned int i;

	for (i = 0; i < run->n; i++)
		if (run->r[i].x.left || run->r[i].x.inflight)
			return true;
	return false;
}

/*
 * Runs the READs planned in every rank's xfer to the end, all ranks at
 * once. Returns 0, or -EIO once they drained after a failure (run->fail).
 */
static int xfer_run(struct run *run)
{
	double t0 = now_s(), last = t0;
	unsigned int i;

	while (xfer_busy(run)) {
		int got;

		for (i = 0; i < run->n; i++)
			if (xfer_post(run, &run->r[i]))
				return -EIO;
		got = xfer_poll(run);
		if (got < 0)
			return -EIO;
		if (got) {
			last = now_s();
		} else if (now_s() - last > STALL_S) {
			run->fail = (struct wc_fail){ .failed = true,
				.why = "RDMA READs made no progress for 120 s" };
			return -EIO;
		}
	}
	run->read_s += now_s() - t0;
	return run->fail.failed ? -EIO : 0;
}

/* Reduce-scatter: rank @i adds the chunk it read at step @s into its own. */
static int reduce_submit(struct run *run, unsigned int i, unsigned int s,
			 bool *submitted)
{
	struct rank *rk = &run->r[i];
	unsigned int n = run->n;
	struct drm_aifab_accel_cmd cmd;
	struct aifab_accel_job job = { .cmds = &cmd, .ncmds = 1,
				       .out_syncobj = rk->sync };
	uint64_t start, len;
	int ret;

	*submitted = false;
	chunk(run->o->count, n, (i + 2 * n - 1 - s) % n, &start, &len);
	if (!len)
		return 0;
	cmd = aifab_accel_cmd_reduce(rk->data, start * ELEM, rk->scratch, 0,
				     len * ELEM, AIFAB_ACCEL_DTYPE_F32,
				     AIFAB_ACCEL_REDUCE_SUM);
	ret = aifab_accel_submit(rk->acc, &job);
	if (ret)
		return rank_fail(rk, "submit a REDUCE job", ret);
	*submitted = true;
	return 0;
}

static int reduce_wait(struct rank *rk)
{
	int ret, status = 0;

	ret = aifab_accel_syncobj_wait(rk->acc, &rk->sync, 1,
				       aifab_accel_deadline(WAIT_NS));
	if (!ret)
		ret = aifab_accel_syncobj_status(rk->acc, rk->sync, &status);
	/* 0: still running after the wait, which cannot be. */
	if (!ret && status != 1)
		ret = status < 0 ? status : -EBUSY;
	if (ret)
		return rank_fail(rk, "REDUCE job", ret);
	rk->reduces++;
	return 0;
}

/* All ranks' REDUCEs run at once; every one ends before the next READs. */
static int reduce_run(struct run *run, unsigned int s)
{
	bool submitted[RANKS_MAX];
	unsigned int i;
	int ret = 0, err;

	for (i = 0; i < run->n; i++) {
		submitted[i] = false;
		if (!ret)
			ret = reduce_submit(run, i, s, &submitted[i]);
	}
	for (i = 0; i < run->n; i++) {
		if (!submitted[i])
			continue;
		err = reduce_wait(&run->r[i]);
		ret = ret ? ret : err;
	}
	return ret;
}

static int allreduce_once(struct run *run)
{
	unsigned int s, i, steps = 2 * (run->n - 1);

	for (s = 0; s < steps; s++) {
		int ret;

		for (i = 0; i < run->n; i++)
			xfer_plan(run, i, s);
		ret = xfer_run(run);
		if (ret) {
			print_wc_fail(run);
			return ret;
		}
		if (s < run->n - 1) {
			ret = reduce_run(run, s);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* ---- inputs and the check ---- */

/* Small integers: every sum of up to RANKS_MAX of them is exact in fp32. */
static int32_t input(unsigned int rank, uint64_t k, unsigned int it)
{
	return (int32_t)((k * 131 + rank * 17 + (uint64_t)it * 7) % 2001) - 1000;
}

static void fill_inputs(struct run *run, unsigned int it)
{
	unsigned int i;
	uint64_t k;

	for (i = 0; i < run->n; i++) {
		float *x = run->r[i].data_map;

		for (k = 0; k < run->o->count; k++)
			x[k] = (float)input(i, k, it);
	}
}

static void poison(struct rank *rk)
{
	uint64_t k;

	for (k = 0; k < rk->scratch_size; k++)
		rk->scratch_map[k] = POISON;
}

static bool poisoned(const struct rank *rk)
{
	uint64_t k;

	for (k = 0; k < rk->scratch_size; k++)
		if (rk->scratch_map[k] != POISON)
			return false;
	return true;
}

/* Every rank's every element against the CPU's sum, bit for bit. */
static uint64_t check_result(const struct run *run, unsigned int it)
{
	uint64_t wrong = 0, k;
	unsigned int i;

	for (k = 0; k < run->o->count; k++) {
		int64_t sum = 0;
		float want;

		for (i = 0; i < run->n; i++)
			sum += input(i, k, it);
		want = (float)sum;
		for (i = 0; i < run->n; i++) {
			const float *x = run->r[i].data_map;

			if (!memcmp(&x[k], &want, sizeof(want)))
				continue;
			if (wrong < SHOW_WRONG)
				fprintf(stderr,
					PROG ": iteration %u: rank %u element %" PRIu64 ": %g, want %g\n",
					it, i, k, (double)x[k], (double)want);
			wrong++;
		}
	}
	return wrong;
}

/* ---- the report ---- */

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static void print_delta(const char *name, int64_t before, int64_t after)
{
	if (before < 0 || after < 0)
		printf(" %s unreadable", name);
	else
		printf(" %s +%" PRId64, name, after - before);
}

/*
 * Per EFA device (ranks may share one): what its ranks read, and how its
 * counters grew. Zero-copy shows as the engine having copied exactly the
 * bytes read: each one once, from accelerator pages to accelerator pages.
 */
static void report_devices(const struct run *run)
{
	unsigned int i, j;

	for (i = 0; i < run->n; i++) {
		const struct rank *rk = &run->r[i];
		uint64_t want = 0, wrs = 0;
		struct counters now;
		bool first = true;

		for (j = 0; j < run->n; j++) {
			if (run->r[j].efa_id != rk->efa_id)
				continue;
			first = first && j >= i;
			want += run->r[j].bytes_read;
			wrs += run->r[j].reads;
		}
		if (!first)
			continue;
		read_counters(rk->ibdev, &now);
		printf("%s (%s): its ranks read %" PRIu64 " bytes in %" PRIu64 " READ%s;",
		       rk->efa_name, rk->ibdev, want, wrs, plural(wrs));
		print_delta("engine_copied_bytes", rk->before.copied, now.copied);
		print_delta("rdma_read_bytes", rk->before.read, now.read);
		print_delta("rdma_read_wrs", rk->before.read_wrs, now.read_wrs);
		if (rk->before.copied < 0 || now.copied < 0)
			printf(": zero-copy not shown (needs root and debugfs)\n");
		else if (!want)
			printf(": nothing read\n");
		else if ((uint64_t)(now.copied - rk->before.copied) == want)
			printf(": zero-copy, every byte copied once\n");
		else
			printf(": the engine copied other bytes too (other traffic?)\n");
	}
}

static void report(const struct run *run, unsigned int done, double total_s)
{
	uint64_t bytes = 0;
	unsigned int i;

	for (i = 0; i < run->n; i++) {
		const struct rank *rk = &run->r[i];

		printf("rank %u: %s over %s (%s): read %" PRIu64 " bytes from rank %u in %" PRIu64 " RDMA READ%s, %" PRIu64 " REDUCE job%s\n",
		       i, rk->accel_name, rk->efa_name, rk->ibdev, rk->bytes_read,
		       (i + run->n - 1) % run->n, rk->reads, plural(rk->reads),
		       rk->reduces, plural(rk->reduces));
		bytes += rk->bytes_read;
	}
	report_devices(run);
	/* Time only what completed: a failed iteration has no figure. */
	if (!done)
		return;
	printf(PROG ": %u ranks, %" PRIu64 " elements (%" PRIu64 " bytes), %u iteration%s: %.3f ms per all-reduce, RDMA READ %.1f MB/s\n",
	       run->n, run->o->count, run->o->count * ELEM, done,
	       plural(done), total_s / done * 1e3,
	       run->read_s > 0 ? (double)bytes / run->read_s / 1e6 : 0.0);
}

/* ---- the runs ---- */

/* Lets ib_core's counter cache expire, then snapshots every device. */
static void snapshot_counters(struct run *run)
{
	unsigned int i;

	usleep((useconds_t)(COUNTER_AGE_S * 1e6));
	for (i = 0; i < run->n; i++)
		read_counters(run->r[i].ibdev, &run->r[i].before);
}

static int run_iters(struct run *run)
{
	unsigned int it;
	double total = 0;
	int status = 0;

	for (it = 0; it < run->o->iters && !status; it++) {
		uint64_t wrong;
		double t0;

		fill_inputs(run, it);
		t0 = now_s();
		if (allreduce_once(run)) {
			status = EXIT_WRONG;
			break;
		}
		total += now_s() - t0;
		wrong = check_result(run, it);
		if (run->o->verbose)
			printf("# iteration %u: %.3f ms, %s\n", it,
			       (now_s() - t0) * 1e3, wrong ? "WRONG" : "correct");
		if (wrong) {
			fprintf(stderr, PROG ": iteration %u: %" PRIu64 " wrong elements\n",
				it, wrong);
			status = EXIT_WRONG;
		}
	}
	usleep((useconds_t)(COUNTER_AGE_S * 1e6));
	report(run, it, total);
	printf(PROG ": %s\n", status ? "FAILED" : "correct");
	return status;
}

/*
 * Only rank 0's first READ: it must fail as the fabric's refusal, with
 * nothing arriving in rank 0's scratch buffer.
 */
static int run_expect_refused(struct run *run)
{
	struct rank *rk = &run->r[0];
	unsigned int i;

	fill_inputs(run, 0);
	for (i = 0; i < run->n; i++)
		xfer_plan(run, i, 0);
	for (i = 1; i < run->n; i++)
		run->r[i].x.left = 0;
	if (!xfer_run(run)) {
		fprintf(stderr, PROG ": rank 0 (%s:%s) read %" PRIu64 " bytes from rank %u (%s:%s): the READ was not refused\n",
			rk->accel_name, rk->efa_name, rk->bytes_read, run->n - 1,
			run->r[run->n - 1].accel_name, run->r[run->n - 1].efa_name);
		return EXIT_WRONG;
	}
	print_wc_fail(run);
	if (run->fail.why || run->fail.status != IBV_WC_RESP_TIMEOUT_ERR) {
		fprintf(stderr, PROG ": the READ failed, but not as a refusal by the fabric\n");
		return EXIT_WRONG;
	}
	if (!poisoned(rk) || rk->bytes_read) {
		fprintf(stderr, PROG ": the READ was refused, but bytes arrived in rank 0's scratch buffer\n");
		return EXIT_WRONG;
	}
	printf(PROG ": rank 0 (%s:%s): the READ from rank %u (%s:%s) was refused as expected, and nothing arrived\n",
	       rk->accel_name, rk->efa_name, run->n - 1,
	       run->r[run->n - 1].accel_name, run->r[run->n - 1].efa_name);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct rank ranks[RANKS_MAX] = { 0 };
	struct run run = { .o = &o, .r = ranks };
	unsigned int i;
	int status = EXIT_SETUP;

	if (parse_options(argc, argv, &o))
		return EXIT_SETUP;
	run.n = o.nranks;
	if (setup(&run))
		goto out;
	if (o.verbose)
		print_setup(&run);
	for (i = 0; i < run.n; i++)
		poison(&ranks[i]);
	snapshot_counters(&run);
	status = o.expect_refused ? run_expect_refused(&run) : run_iters(&run);
out:
	for (i = 0; i < run.n; i++)
		rank_fini(&ranks[i]);
	return status;
}
