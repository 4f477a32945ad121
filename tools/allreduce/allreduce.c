// SPDX-License-Identifier: GPL-2.0
/*
 * allreduce: ring all-reduce of fp32 over aifab accelerators, checked
 * against the CPU.
 *
 *   allreduce [--dev NAME]... [--count N] [--iters K] [--verbose]
 *
 * Every accelerator gets its own input of small integers, so that every
 * fp32 sum is exact and the result can be compared bit for bit. The
 * all-reduce itself is device jobs only (ring.c): peer COPYs and local
 * REDUCEs chained by syncobjs, with one CPU wait at the end.
 *
 * Exit status: 0 when every iteration gave the right result, 1 when one
 * did not (a wrong element, a failed job, a refused submit or a timeout),
 * 2 for a usage error or when the accelerators could not be set up.
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
#include "args.h"
#include "ring.h"

#define EXIT_WRONG	1
#define EXIT_SETUP	2

#define DEFAULT_COUNT	(1ULL << 20)
/* Give up on an iteration after this long; a job's timeout is far less. */
#define WAIT_NS		(600LL * 1000000000)
/* Mismatching elements printed before the count. */
#define SHOW_WRONG	5

struct options {
	const char *devs[RING_MAX_DEVS];
	unsigned int ndevs;
	uint64_t count;
	unsigned int iters;
	bool verbose;
};

static void usage(void)
{
	printf("usage: allreduce [--dev NAME]... [--count N] [--iters K] [--verbose]\n"
	       "\n"
	       "Ring all-reduce (sum) of N fp32 elements over aifab accelerators,\n"
	       "as peer COPY and local REDUCE jobs chained by syncobjs, checked\n"
	       "against a CPU reference.\n"
	       "\n"
	       "  -d, --dev NAME   an accelerator, by fabric name (accel0) or device\n"
	       "                   node; repeat for each, in ring order (default:\n"
	       "                   every accelerator this process may open)\n"
	       "  -n, --count N    elements per accelerator (default %llu)\n"
	       "  -i, --iters K    all-reduces to run and check (default 1)\n"
	       "  -v, --verbose    show the devices, the chunks and each iteration\n"
	       "  -h, --help       this text\n"
	       "\n"
	       "Prints one line: devices, elements, the mean time of an all-reduce,\n"
	       "algorithm bandwidth (bytes/time) and bus bandwidth\n"
	       "(2*(n-1)/n*bytes/time).\n"
	       "Exit status: 0 correct, 1 wrong result or failed job, 2 usage or\n"
	       "setup error.\n",
	       (unsigned long long)DEFAULT_COUNT);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "iters", required_argument, NULL, 'i' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	o->count = DEFAULT_COUNT;
	o->iters = 1;
	while ((c = getopt_long(argc, argv, "d:n:i:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (o->ndevs == RING_MAX_DEVS) {
				fprintf(stderr, "allreduce: at most %d devices\n",
					RING_MAX_DEVS);
				return -EINVAL;
			}
			o->devs[o->ndevs++] = optarg;
			break;
		case 'n':
			/* The buffers must fit in a device's memory anyway. */
			if (args_parse_u64(optarg, 10, UINT64_C(1) << 40, &v)) {
				fprintf(stderr,
					"allreduce: --count needs a number of elements, 1 to 2^40, not '%s'\n",
					optarg);
				return -EINVAL;
			}
			o->count = v;
			break;
		case 'i':
			if (args_parse_u64(optarg, 10, 1000000, &v)) {
				fprintf(stderr,
					"allreduce: --iters needs a number, 1 to 1000000, not '%s'\n",
					optarg);
				return -EINVAL;
			}
			o->iters = (unsigned int)v;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage();
			exit(0);
		default:
			fprintf(stderr, "Try 'allreduce --help'.\n");
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr,
			"allreduce: unexpected argument '%s'; try 'allreduce --help'\n",
			argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/*
 * Input element k of device i in iteration it: an integer in
 * [-1000, 1000], so that a sum over RING_MAX_DEVS devices stays far below
 * 2^24 and is exact in fp32. It changes with the iteration, so that a
 * result left over from the previous one does not pass.
 */
static int32_t input(unsigned int i, uint64_t k, unsigned int it)
{
	return (int32_t)((k * 131 + i * 17 + (uint64_t)it * 7) % 2001) - 1000;
}

static void fill_inputs(struct ring *r, unsigned int n, uint64_t count,
			unsigned int it)
{
	unsigned int i;
	uint64_t k;

	for (i = 0; i < n; i++) {
		float *x = ring_data(r, i);

		for (k = 0; k < count; k++)
			x[k] = (float)input(i, k, it);
	}
}

/* Compares every device's result with the CPU's sum, bit for bit. */
static uint64_t check_result(struct ring *r, unsigned int n, uint64_t count,
			     unsigned int it)
{
	uint64_t wrong = 0, k;
	unsigned int i;

	for (k = 0; k < count; k++) {
		int64_t sum = 0;
		float want;

		for (i = 0; i < n; i++)
			sum += input(i, k, it);
		want = (float)sum;
		for (i = 0; i < n; i++) {
			const float *x = ring_data(r, i);

			if (!memcmp(&x[k], &want, sizeof(want)))
				continue;
			if (wrong < SHOW_WRONG)
				fprintf(stderr,
					"allreduce: iteration %u: device %u element %" PRIu64 ": %g, want %g\n",
					it, i, k, (double)x[k], (double)want);
			wrong++;
		}
	}
	return wrong;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_fail(struct aifab_accel *const *devs, unsigned int n,
		       const struct ring_fail *f)
{
	const char *name = aifab_accel_name(devs[f->dev]);
	const char *prev = aifab_accel_name(devs[(f->dev + n - 1) % n]);
	/* Only a ring of two or more has steps, and so failed jobs. */
	unsigned int rs_steps = n > 1 ? n - 1 : 1;

	if (f->step < 0) {
		fprintf(stderr, "allreduce: %s: %s: %s\n", name, f->op,
			strerror(-f->err));
	} else if (!strcmp(f->op, "job")) {
		fprintf(stderr,
			"allreduce: %s: %s step %u (job %" PRIu64 ", COPY from %s%s) failed: %s\n",
			name,
			(unsigned int)f->step < rs_steps ? "reduce-scatter" :
			"all-gather",
			(unsigned int)f->step % rs_steps, f->job_id, prev,
			(unsigned int)f->step < rs_steps ? ", REDUCE" : "",
			strerror(-f->err));
	} else {
		fprintf(stderr, "allreduce: %s: step %d: %s: %s\n", name,
			f->step, f->op, strerror(-f->err));
	}
}

/* Opens the named devices, or every one this process may open. */
static int open_devices(const struct options *o, struct aifab_accel **devs,
			unsigned int *ndevs)
{
	struct aifab_accel_ent *ents = NULL;
	unsigned int n = 0, i, j;
	int ret = 0, found;

	if (o->ndevs == 0) {
		found = aifab_accel_list(AIFAB_ACCEL_LIST_OPENABLE, &ents);
		if (found == -ENOENT) {
			fprintf(stderr,
				"allreduce: no %s: is the aifab module loaded?\n",
				AIFAB_ACCEL_SYSFS_CLASS);
			return found;
		}
		if (found < 0) {
			fprintf(stderr, "allreduce: cannot list accelerators: %s\n",
				strerror(-found));
			return found;
		}
		if (found == 0) {
			fprintf(stderr,
				"allreduce: no accelerator that this process may open\n");
			return -ENODEV;
		}
		if (found > RING_MAX_DEVS)
			found = RING_MAX_DEVS;
	} else {
		found = (int)o->ndevs;
	}
	for (i = 0; i < (unsigned int)found; i++) {
		const char *dev = ents ? ents[i].name : o->devs[i];

		ret = aifab_accel_open(dev, &devs[n]);
		if (ret) {
			fprintf(stderr, "allreduce: %s: %s%s\n", dev,
				ret == -ENODEV ? "not a local aifab accelerator" :
				strerror(-ret),
				ret == -EACCES ?
				" (is its partition bound to another network namespace?)" :
				"");
			break;
		}
		n++;
		for (j = 0; j + 1 < n; j++) {
			if (aifab_accel_dev_id(devs[j]) !=
			    aifab_accel_dev_id(devs[n - 1]))
				continue;
			fprintf(stderr, "allreduce: %s is given twice\n",
				aifab_accel_name(devs[n - 1]));
			ret = -EINVAL;
		}
		if (ret)
			break;
	}
	free(ents);
	*ndevs = n;
	return ret;
}

static void print_setup(struct aifab_accel *const *devs, unsigned int n,
			const struct ring *r)
{
	uint64_t start, count;
	unsigned int i;

	for (i = 0; i < n; i++) {
		ring_chunk(r, i, &start, &count);
		printf("# %u: %s (%s, fabric id %u), chunk %u: elements [%" PRIu64
		       ", %" PRIu64 ")\n",
		       i, aifab_accel_name(devs[i]), aifab_accel_path(devs[i]),
		       aifab_accel_dev_id(devs[i]), i, start, start + count);
	}
}

int main(int argc, char **argv)
{
	struct aifab_accel *devs[RING_MAX_DEVS];
	struct options o = { 0 };
	struct ring_fail fail = { 0 };
	struct ring *r = NULL;
	unsigned int n = 0, i, it, done;
	uint64_t wrong = 0;
	double total = 0, t0, t, bytes, busbw, algbw;
	int ret, status = EXIT_SETUP;

	if (parse_options(argc, argv, &o))
		return EXIT_SETUP;
	if (open_devices(&o, devs, &n))
		goto out;
	ret = ring_init(&r, devs, n, o.count, 0, &fail);
	if (ret) {
		print_fail(devs, n, &fail);
		goto out;
	}
	if (o.verbose)
		print_setup(devs, n, r);

	status = EXIT_WRONG;
	for (it = 0; it < o.iters; it++) {
		fill_inputs(r, n, o.count, it);
		t0 = now_s();
		ret = ring_submit(r, &fail);
		if (ret) {
			print_fail(devs, n, &fail);
			/* Let what went in finish before the buffers go. */
			ring_wait(r, aifab_accel_deadline(WAIT_NS), NULL);
			goto out;
		}
		ret = ring_wait(r, aifab_accel_deadline(WAIT_NS), &fail);
		t = now_s() - t0;
		if (ret) {
			print_fail(devs, n, &fail);
			goto out;
		}
		ret = ring_status(r, &fail);
		if (ret) {
			print_fail(devs, n, &fail);
			goto out;
		}
		total += t;
		wrong = check_result(r, n, o.count, it);
		if (o.verbose)
			printf("# iteration %u: %.3f ms, %s\n", it, t * 1e3,
			       wrong ? "WRONG" : "correct");
		if (wrong)
			break;
	}

	/* A wrong iteration stops the loop; it still counts. */
	done = it < o.iters ? it + 1 : o.iters;
	t = total / done;
	bytes = (double)o.count * sizeof(float);
	/* One device moves nothing: no bandwidth to speak of. */
	algbw = t > 0 && n > 1 ? bytes / t / 1e9 : 0;
	busbw = algbw * 2 * (n - 1) / n;
	printf("allreduce: %u device%s, %" PRIu64 " element%s (%.0f bytes), %u iteration%s: %.3f ms, algbw %.3f GB/s, busbw %.3f GB/s: %s\n",
	       n, n == 1 ? "" : "s", o.count, o.count == 1 ? "" : "s", bytes, done,
	       done == 1 ? "" : "s", t * 1e3, algbw, busbw,
	       wrong ? "WRONG" : "correct");
	if (wrong)
		fprintf(stderr, "allreduce: %" PRIu64 " wrong elements\n", wrong);
	else
		status = 0;
out:
	ring_fini(r);
	for (i = 0; i < n; i++)
		aifab_accel_close(devs[i]);
	return status;
}
