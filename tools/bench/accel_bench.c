// SPDX-License-Identifier: GPL-2.0
/*
 * accel_bench: how fast the aifab accelerators are, against the CPU.
 *
 *   accel_bench [--dev NAME]...
 *
 * Prints, in one run:
 *   - local COPY bandwidth on one accelerator against userspace memcpy()
 *     of the same size, measured in the same run, for 1, 16 and 64 MiB;
 *   - the latency from submit to signalled fence of an empty job, median
 *     and 99th percentile;
 *   - the bus bandwidth of a ring all-reduce (ring.c) over 4 accelerators
 *     at 64 MiB, against the memcpy() bandwidth of 64 MiB measured above:
 *     the engines move bytes with the CPU, so one memcpy() stream is the
 *     bound to compare with.
 *
 * Every figure is a median of several runs. The first --dev (default: the
 * first accelerator this process may open) is used for the first two, the
 * first four for the all-reduce. Not a test: nothing passes or fails on
 * time. Exits 0 when it could measure, 2 when it could not set up.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accel.h"
#include "bench_stats.h"
#include "ring.h"

#define MIB		(UINT64_C(1) << 20)
#define FILL_PATTERN	0x5a5aa5a5U
#define LATENCY_JOBS	200
#define LATENCY_WARMUP	10
#define ALLREDUCE_DEVS	4
#define ALLREDUCE_BYTES	(64 * MIB)
#define ALLREDUCE_RUNS	3
/* No job of this benchmark should take longer, even under TCG. */
#define WAIT_NS		(600LL * 1000000000)

struct copy_size {
	uint64_t bytes;
	unsigned int runs;
};

static const struct copy_size copy_sizes[] = {
	{ 1 * MIB, 20 },
	{ 16 * MIB, 10 },
	{ 64 * MIB, 5 },
};

/* Submits one job on engine 0 and waits for it; the job's status too. */
static int run_job(struct aifab_accel *acc, const struct drm_aifab_accel_cmd *cmds,
		   unsigned int ncmds, uint32_t sync)
{
	struct aifab_accel_job job = {
		.cmds = cmds,
		.ncmds = ncmds,
		.out_syncobj = sync,
	};
	int ret, status;

	ret = aifab_accel_submit(acc, &job);
	if (ret)
		return ret;
	ret = aifab_accel_syncobj_wait(acc, &sync, 1,
				       aifab_accel_deadline(WAIT_NS));
	if (ret)
		return ret;
	ret = aifab_accel_syncobj_status(acc, sync, &status);
	if (ret)
		return ret;
	return status == 1 ? 0 : status < 0 ? status : -EBUSY;
}

/* Median seconds of memcpy() of @bytes, on buffers touched beforehand. */
static int bench_memcpy(uint64_t bytes, unsigned int runs, double *secs)
{
	uint64_t k;
	double t[32];
	char *a, *b;
	unsigned int r;

	a = malloc(bytes);
	b = malloc(bytes);
	if (!a || !b) {
		free(a);
		free(b);
		return -ENOMEM;
	}
	/* Touch every page first, so that no run pays for faulting them in. */
	for (k = 0; k < bytes; k++) {
		a[k] = (char)k;
		b[k] = 0;
	}
	for (r = 0; r < runs; r++) {
		double t0 = now_s();
		volatile char sink;

		/* memcpy() itself is what is measured. */
		/* NOLINTNEXTLINE(clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling) */
		memcpy(b, a, bytes);
		t[r] = now_s() - t0;
		/* The copy must not be optimised away. */
		sink = b[bytes - 1 - r];
		(void)sink;
	}
	free(a);
	free(b);
	*secs = percentile(t, runs, 50);
	return 0;
}

/*
 * Median seconds of a local COPY of @bytes, from submit to signalled fence.
 * Both BOs are filled by a job first, so no run pays for first touches; the
 * destination is checked after the last run.
 */
static int bench_copy(struct aifab_accel *acc, uint64_t bytes,
		      unsigned int runs, double *secs)
{
	struct drm_aifab_accel_cmd cmds[2];
	uint32_t src = 0, dst = 0, sync = 0;
	uint64_t map_size = 0, k;
	void *map = NULL;
	const uint32_t *w;
	double t[32];
	unsigned int r;
	int ret;

	ret = aifab_accel_bo_alloc(acc, bytes, &src);
	if (!ret)
		ret = aifab_accel_bo_alloc(acc, bytes, &dst);
	if (!ret)
		ret = aifab_accel_syncobj_create(acc, 0, &sync);
	if (ret)
		goto out;
	cmds[0] = aifab_accel_cmd_fill(src, 0, bytes, FILL_PATTERN);
	cmds[1] = aifab_accel_cmd_fill(dst, 0, bytes, 0);
	ret = run_job(acc, cmds, 2, sync);
	if (ret)
		goto out;
	cmds[0] = aifab_accel_cmd_copy(dst, 0, src, 0, bytes);
	for (r = 0; r < runs; r++) {
		double t0 = now_s();

		ret = run_job(acc, cmds, 1, sync);
		t[r] = now_s() - t0;
		if (ret)
			goto out;
	}
	ret = aifab_accel_bo_map(acc, dst, &map, &map_size);
	if (ret)
		goto out;
	w = map;
	for (k = 0; k < bytes / sizeof(*w); k++) {
		if (w[k] != FILL_PATTERN) {
			ret = -EILSEQ;
			goto out;
		}
	}
	*secs = percentile(t, runs, 50);
out:
	if (map)
		aifab_accel_bo_unmap(map, map_size);
	if (sync)
		aifab_accel_syncobj_destroy(acc, sync);
	if (dst)
		aifab_accel_bo_free(acc, dst);
	if (src)
		aifab_accel_bo_free(acc, src);
	return ret;
}

/* Also gives the median memcpy() time of ALLREDUCE_BYTES, 0 if none. */
static void report_copy(struct aifab_accel *acc, double *memcpy_s)
{
	unsigned int i;

	*memcpy_s = 0;

	for (i = 0; i < sizeof(copy_sizes) / sizeof(copy_sizes[0]); i++) {
		const struct copy_size *cs = &copy_sizes[i];
		double dev, cpu, dev_bw, cpu_bw;
		int ret;

		ret = bench_copy(acc, cs->bytes, cs->runs, &dev);
		if (!ret)
			ret = bench_memcpy(cs->bytes, cs->runs, &cpu);
		if (ret) {
			printf("local_copy %3" PRIu64 " MiB: failed: %s\n",
			       cs->bytes / MIB, strerror(-ret));
			continue;
		}
		if (cs->bytes == ALLREDUCE_BYTES)
			*memcpy_s = cpu;
		dev_bw = (double)cs->bytes / dev / 1e6;
		cpu_bw = (double)cs->bytes / cpu / 1e6;
		printf("local_copy %3" PRIu64 " MiB: accel %9.1f MB/s, memcpy %9.1f MB/s, ratio %.3f (median of %u)\n",
		       cs->bytes / MIB, dev_bw, cpu_bw, dev_bw / cpu_bw,
		       cs->runs);
	}
}

static void report_latency(struct aifab_accel *acc)
{
	double t[LATENCY_JOBS];
	uint32_t sync;
	unsigned int i;
	int ret;

	ret = aifab_accel_syncobj_create(acc, 0, &sync);
	if (ret) {
		printf("empty_job_latency: failed: %s\n", strerror(-ret));
		return;
	}
	for (i = 0; !ret && i < LATENCY_WARMUP + LATENCY_JOBS; i++) {
		double t0 = now_s();

		ret = run_job(acc, NULL, 0, sync);
		if (i >= LATENCY_WARMUP)
			t[i - LATENCY_WARMUP] = now_s() - t0;
	}
	aifab_accel_syncobj_destroy(acc, sync);
	if (ret) {
		printf("empty_job_latency: failed: %s\n", strerror(-ret));
		return;
	}
	printf("empty_job_latency: median %.1f us, p99 %.1f us, min %.1f us (%u jobs)\n",
	       percentile(t, LATENCY_JOBS, 50) * 1e6,
	       percentile(t, LATENCY_JOBS, 99) * 1e6,
	       percentile(t, LATENCY_JOBS, 0) * 1e6,
	       (unsigned int)LATENCY_JOBS);
}

/* Small integers: every sum below is exact in fp32. */
static float ar_input(unsigned int i, uint64_t k)
{
	return (float)((int32_t)((k * 131 + i * 17) % 2001) - 1000);
}

/*
 * After @runs in-place all-reduces of n inputs, every element is
 * n^(runs - 1) times the sum of the inputs.
 */
static bool ar_check(struct ring *r, unsigned int n, uint64_t count,
		     unsigned int runs)
{
	uint64_t k;
	unsigned int i;
	float scale = 1;

	for (i = 1; i < runs; i++)
		scale *= (float)n;
	for (k = 0; k < count; k++) {
		float want = 0;

		for (i = 0; i < n; i++)
			want += ar_input(i, k);
		want *= scale;
		for (i = 0; i < n; i++)
			if (memcmp(&ring_data(r, i)[k], &want, sizeof(want)))
				return false;
	}
	return true;
}

static void report_allreduce(struct aifab_accel *const *devs, unsigned int n,
			     double memcpy_s)
{
	const uint64_t count = ALLREDUCE_BYTES / sizeof(float);
	struct ring_fail fail = { 0 };
	double t[ALLREDUCE_RUNS], busbw, algbw, cpu_bw;
	struct ring *r = NULL;
	unsigned int i, run;
	uint64_t k;
	int ret;

	if (n < ALLREDUCE_DEVS) {
		printf("allreduce %u devices %3" PRIu64 " MiB: skipped: only %u accelerator%s\n",
		       ALLREDUCE_DEVS, ALLREDUCE_BYTES / MIB, n,
		       n == 1 ? "" : "s");
		return;
	}
	ret = ring_init(&r, devs, ALLREDUCE_DEVS, count, 0, &fail);
	if (ret)
		goto fail;
	for (i = 0; i < ALLREDUCE_DEVS; i++)
		for (k = 0; k < count; k++)
			ring_data(r, i)[k] = ar_input(i, k);
	for (run = 0; run < ALLREDUCE_RUNS; run++) {
		double t0 = now_s();

		ret = ring_submit(r, &fail);
		if (ret) {
			ring_wait(r, aifab_accel_deadline(WAIT_NS), NULL);
			goto fail;
		}
		ret = ring_wait(r, aifab_accel_deadline(WAIT_NS), &fail);
		t[run] = now_s() - t0;
		if (!ret)
			ret = ring_status(r, &fail);
		if (ret)
			goto fail;
	}
	algbw = (double)ALLREDUCE_BYTES / percentile(t, ALLREDUCE_RUNS, 50) / 1e9;
	busbw = algbw * 2 * (ALLREDUCE_DEVS - 1) / ALLREDUCE_DEVS;
	cpu_bw = (double)ALLREDUCE_BYTES / memcpy_s / 1e9;
	printf("allreduce %u devices %3" PRIu64 " MiB: busbw %.3f GB/s, algbw %.3f GB/s, memcpy bound %.3f GB/s, ratio %.3f (median of %u, %s)\n",
	       ALLREDUCE_DEVS, ALLREDUCE_BYTES / MIB, busbw, algbw, cpu_bw,
	       busbw / cpu_bw, ALLREDUCE_RUNS,
	       ar_check(r, ALLREDUCE_DEVS, count, ALLREDUCE_RUNS) ?
	       "result correct" : "RESULT WRONG");
	ring_fini(r);
	return;

fail:
	printf("allreduce %u devices %3" PRIu64 " MiB: failed: %s on %s, step %d: %s\n",
	       ALLREDUCE_DEVS, ALLREDUCE_BYTES / MIB, fail.op,
	       aifab_accel_name(devs[fail.dev]), fail.step,
	       strerror(-ret));
	ring_fini(r);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: accel_bench [--dev NAME]...\n"
		"\n"
		"Local COPY bandwidth against memcpy (1, 16, 64 MiB), empty-job\n"
		"latency, and ring all-reduce bus bandwidth over 4 accelerators at\n"
		"64 MiB. The first --dev (default: the first accelerator this\n"
		"process may open) is used for the first two, the first four for\n"
		"the all-reduce.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *names[RING_MAX_DEVS];
	struct aifab_accel *devs[RING_MAX_DEVS];
	struct aifab_accel_ent *ents = NULL;
	unsigned int n = 0, nnames = 0, i;
	double memcpy_s = 0;
	int c, ret, status = 2;

	while ((c = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (nnames == RING_MAX_DEVS) {
				fprintf(stderr, "accel_bench: too many devices\n");
				return 2;
			}
			names[nnames++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (!nnames) {
		ret = aifab_accel_list(AIFAB_ACCEL_LIST_OPENABLE, &ents);
		if (ret <= 0) {
			fprintf(stderr, "accel_bench: no accelerator to open: %s\n",
				ret ? strerror(-ret) : "none listed");
			return 2;
		}
		for (i = 0; i < (unsigned int)ret && i < RING_MAX_DEVS; i++)
			names[nnames++] = ents[i].name;
	}
	for (i = 0; i < nnames; i++) {
		ret = aifab_accel_open(names[i], &devs[n]);
		if (ret) {
			fprintf(stderr, "accel_bench: %s: %s\n", names[i],
				strerror(-ret));
			goto out;
		}
		n++;
	}

	printf("# accel_bench: %s (%s), %u accelerator%s\n",
	       aifab_accel_name(devs[0]), aifab_accel_path(devs[0]), n,
	       n == 1 ? "" : "s");
	report_copy(devs[0], &memcpy_s);
	report_latency(devs[0]);
	ret = 0;
	if (!memcpy_s)
		ret = bench_memcpy(ALLREDUCE_BYTES, ALLREDUCE_RUNS, &memcpy_s);
	if (ret)
		printf("allreduce: memcpy failed: %s\n", strerror(-ret));
	else
		report_allreduce(devs, n, memcpy_s);
	status = 0;
out:
	for (i = 0; i < n; i++)
		aifab_accel_close(devs[i]);
	free(ents);
	return status;
}
