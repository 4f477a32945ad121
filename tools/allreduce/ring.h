/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ring all-reduce (sum of fp32) over aifab accelerators, as device jobs.
 *
 * Every accelerator holds a buffer of the same number of elements; after a
 * run each holds the element-wise sum of all of them. The buffer is split
 * into one chunk per accelerator (sizes differing by at most one element),
 * and the run has 2 * (n - 1) steps:
 *
 * - reduce-scatter, steps 0 .. n-2: accelerator j pulls chunk
 *   (j - 1 - s) mod n of its ring predecessor over the fabric into a
 *   scratch buffer and adds it into its own copy of that chunk. After it,
 *   accelerator j holds the full sum of chunk (j + 1) mod n.
 * - all-gather, steps n-1 .. 2n-3: accelerator j pulls chunk (j - t) mod n
 *   (t = s - (n - 1)) of its predecessor, which holds it complete, into its
 *   own buffer.
 *
 * Each step of each accelerator is one job (a peer COPY, then a local
 * REDUCE in reduce-scatter) with its own out-syncobj. A job waits for its
 * accelerator's previous job and for the predecessor's job of the previous
 * step, through syncobjs shared between the two devices; the first
 * all-gather job also waits for the successor's last reduce-scatter job,
 * which reads the chunk it overwrites. All jobs are queued at once: the CPU
 * waits only at the end.
 */
#ifndef AIFAB_TOOLS_RING_H
#define AIFAB_TOOLS_RING_H

#include <stdint.h>

#include "accel.h"

/* The most accelerators in one ring. */
#define RING_MAX_DEVS	64

/**
 * struct ring_fail - where a ring operation failed
 * @op: what was being done, e.g. "import predecessor's buffer"
 * @dev: index of the accelerator in the ring
 * @step: step of the job concerned, or -1 for none
 * @err: negative errno value: the ioctl's, or the job's fence status
 * @job_id: the job's id on its device, for a failed job
 */
struct ring_fail {
	const char *op;
	unsigned int dev;
	int step;
	int err;
	uint64_t job_id;
};

struct ring;

int ring_init(struct ring **rp, struct aifab_accel *const *devs,
	      unsigned int n, uint64_t count, uint32_t timeout_ms,
	      struct ring_fail *fail);
void ring_fini(struct ring *r);
float *ring_data(const struct ring *r, unsigned int dev);
unsigned int ring_steps(const struct ring *r);
void ring_chunk(const struct ring *r, unsigned int c, uint64_t *start,
		uint64_t *count);
int ring_submit(struct ring *r, struct ring_fail *fail);
int ring_wait(struct ring *r, int64_t deadline_ns, struct ring_fail *fail);
int ring_status(struct ring *r, struct ring_fail *fail);

#endif /* AIFAB_TOOLS_RING_H */
