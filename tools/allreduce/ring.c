// SPDX-License-Identifier: GPL-2.0
/*
 * Ring all-reduce over aifab accelerators; see ring.h for the algorithm.
 */
#include <errno.h>
#include <stdlib.h>

#include "ring.h"

#define RING_ELEM	sizeof(float)

/**
 * struct ring_dev - one accelerator's part of the ring
 * @acc: the accelerator (the caller's)
 * @buf: the data BO
 * @tmp: the scratch BO, one chunk, that reduce-scatter receives into
 * @prev_buf: the predecessor's data BO, imported
 * @map: @buf, mapped
 * @map_size: size of @map
 * @sync: the out-syncobj of each step's job
 * @prev_sync: the predecessor's @sync, imported
 * @next_last_rs: the successor's last reduce-scatter syncobj, imported;
 *	0 when the successor is the predecessor (n = 2)
 * @job_ids: the id of each step's job, from the last submit
 * @submitted: jobs queued by the last ring_submit(), steps 0 to
 *	@submitted - 1
 */
struct ring_dev {
	struct aifab_accel *acc;
	uint32_t buf;
	uint32_t tmp;
	uint32_t prev_buf;
	float *map;
	uint64_t map_size;
	uint32_t *sync;
	uint32_t *prev_sync;
	uint32_t next_last_rs;
	uint64_t *job_ids;
	unsigned int submitted;
};

/**
 * struct ring - a ring all-reduce, set up
 * @n: accelerators
 * @steps: 2 * (@n - 1)
 * @count: elements in each buffer
 * @timeout_ms: each job's timeout, 0 for the device default
 * @d: the accelerators' parts, in ring order
 */
struct ring {
	unsigned int n;
	unsigned int steps;
	uint64_t count;
	uint32_t timeout_ms;
	struct ring_dev *d;
};

static void ring_set_fail(struct ring_fail *fail, const char *op,
			  unsigned int dev, int step, int err)
{
	if (!fail)
		return;
	fail->op = op;
	fail->dev = dev;
	fail->step = step;
	fail->err = err;
	fail->job_id = 0;
}

/**
 * ring_chunk() - The elements of one chunk.
 * @r: The ring.
 * @c: Chunk index, below the number of accelerators.
 * @start: Out: index of its first element.
 * @count: Out: its number of elements; 0 when there are fewer elements
 *	than accelerators.
 */
void ring_chunk(const struct ring *r, unsigned int c, uint64_t *start,
		uint64_t *count)
{
	/* ring_init() bounded count * n. */
	uint64_t a = r->count * c / r->n;
	uint64_t b = r->count * (c + 1) / r->n;

	*start = a;
	*count = b - a;
}

/**
 * ring_data() - The mapped buffer of one accelerator.
 * @r: The ring.
 * @dev: Index in the ring.
 *
 * Write the input there before ring_submit(), read the result after a
 * successful ring_wait().
 *
 * Return: The buffer's count elements.
 */
float *ring_data(const struct ring *r, unsigned int dev)
{
	return r->d[dev].map;
}

/**
 * ring_steps() - The number of steps of a run.
 * @r: The ring.
 *
 * Return: 2 * (n - 1).
 */
unsigned int ring_steps(const struct ring *r)
{
	return r->steps;
}

/**
 * ring_fini() - Release everything ring_init() made.
 * @r: The ring, or NULL.
 *
 * Imports go first, then each device's own objects. The accelerators stay
 * open: they are the caller's.
 */
void ring_fini(struct ring *r)
{
	unsigned int i, s;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		struct ring_dev *d = &r->d[i];

		if (d->prev_sync)
			for (s = 0; s < r->steps; s++)
				if (d->prev_sync[s])
					aifab_accel_syncobj_destroy(d->acc,
								    d->prev_sync[s]);
		if (d->next_last_rs)
			aifab_accel_syncobj_destroy(d->acc, d->next_last_rs);
		if (d->prev_buf)
			aifab_accel_bo_free(d->acc, d->prev_buf);
	}
	for (i = 0; i < r->n; i++) {
		struct ring_dev *d = &r->d[i];

		if (d->sync)
			for (s = 0; s < r->steps; s++)
				if (d->sync[s])
					aifab_accel_syncobj_destroy(d->acc,
								    d->sync[s]);
		if (d->map)
			aifab_accel_bo_unmap(d->map, d->map_size);
		if (d->tmp)
			aifab_accel_bo_free(d->acc, d->tmp);
		if (d->buf)
			aifab_accel_bo_free(d->acc, d->buf);
		free(d->sync);
		free(d->prev_sync);
		free(d->job_ids);
	}
	free(r->d);
	free(r);
}

/* Each device's own BOs, mapping and syncobjs. */
static int ring_init_dev(struct ring *r, unsigned int i, uint64_t tmp_bytes,
			 struct ring_fail *fail)
{
	struct ring_dev *d = &r->d[i];
	void *map;
	unsigned int s;
	int ret;

	ret = aifab_accel_bo_alloc(d->acc, r->count * RING_ELEM, &d->buf);
	if (ret) {
		ring_set_fail(fail, "allocate the data buffer", i, -1, ret);
		return ret;
	}
	ret = aifab_accel_bo_map(d->acc, d->buf, &map, &d->map_size);
	if (ret) {
		ring_set_fail(fail, "map the data buffer", i, -1, ret);
		return ret;
	}
	d->map = map;
	if (r->n == 1)
		return 0;
	ret = aifab_accel_bo_alloc(d->acc, tmp_bytes, &d->tmp);
	if (ret) {
		ring_set_fail(fail, "allocate the scratch buffer", i, -1, ret);
		return ret;
	}
	d->sync = calloc(r->steps, sizeof(*d->sync));
	d->prev_sync = calloc(r->steps, sizeof(*d->prev_sync));
	d->job_ids = calloc(r->steps, sizeof(*d->job_ids));
	if (!d->sync || !d->prev_sync || !d->job_ids) {
		ring_set_fail(fail, "allocate", i, -1, -ENOMEM);
		return -ENOMEM;
	}
	for (s = 0; s < r->steps; s++) {
		ret = aifab_accel_syncobj_create(d->acc, 0, &d->sync[s]);
		if (ret) {
			ring_set_fail(fail, "create a syncobj", i, (int)s, ret);
			return ret;
		}
	}
	return 0;
}

/* Device i's imports of its predecessor's buffer and syncobjs. */
static int ring_init_imports(struct ring *r, unsigned int i,
			     struct ring_fail *fail)
{
	struct ring_dev *d = &r->d[i];
	struct ring_dev *prev = &r->d[(i + r->n - 1) % r->n];
	struct ring_dev *next = &r->d[(i + 1) % r->n];
	unsigned int s;
	int ret;

	ret = aifab_accel_bo_share(prev->acc, prev->buf, d->acc, &d->prev_buf);
	if (ret) {
		ring_set_fail(fail, "import the predecessor's data buffer", i,
			      -1, ret);
		return ret;
	}
	for (s = 0; s < r->steps; s++) {
		ret = aifab_accel_syncobj_share(prev->acc, prev->sync[s],
						d->acc, &d->prev_sync[s]);
		if (ret) {
			ring_set_fail(fail, "import a syncobj of the predecessor",
				      i, (int)s, ret);
			return ret;
		}
	}
	if (next == prev)
		return 0;
	ret = aifab_accel_syncobj_share(next->acc, next->sync[r->n - 2],
					d->acc, &d->next_last_rs);
	if (ret)
		ring_set_fail(fail, "import a syncobj of the successor", i,
			      (int)r->n - 2, ret);
	return ret;
}

/**
 * ring_init() - Set up a ring all-reduce over accelerators.
 * @rp: Out: the ring; ring_fini() it.
 * @devs: The accelerators, in ring order; distinct, and open until
 *	ring_fini().
 * @n: Entries in @devs, 1 to RING_MAX_DEVS.
 * @count: Elements (fp32) in each accelerator's buffer, at least 1.
 * @timeout_ms: Each job's timeout, 0 for the device's default.
 * @fail: Out: where it failed, on failure.
 *
 * Allocates on each accelerator a data buffer of @count elements (mapped,
 * see ring_data()) and a scratch buffer of one chunk, creates a syncobj for
 * each step, and imports its predecessor's data buffer and syncobjs.
 *
 * Return: 0, or a negative errno value.
 */
int ring_init(struct ring **rp, struct aifab_accel *const *devs,
	      unsigned int n, uint64_t count, uint32_t timeout_ms,
	      struct ring_fail *fail)
{
	uint64_t tmp_bytes;
	struct ring *r;
	unsigned int i;
	int ret;

	ring_set_fail(fail, "set up", 0, -1, -EINVAL);
	if (n == 0 || n > RING_MAX_DEVS || count == 0 ||
	    count > UINT64_MAX / RING_ELEM / n)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->d = calloc(n, sizeof(*r->d));
	if (!r->d) {
		free(r);
		return -ENOMEM;
	}
	r->n = n;
	r->steps = 2 * (n - 1);
	r->count = count;
	r->timeout_ms = timeout_ms;
	/* The largest chunk: chunks differ by at most one element. */
	tmp_bytes = (count + n - 1) / n * RING_ELEM;
	for (i = 0; i < n; i++)
		r->d[i].acc = devs[i];
	for (i = 0; i < n; i++) {
		ret = ring_init_dev(r, i, tmp_bytes, fail);
		if (ret)
			goto fail;
	}
	for (i = 0; n > 1 && i < n; i++) {
		ret = ring_init_imports(r, i, fail);
		if (ret)
			goto fail;
	}
	*rp = r;
	return 0;

fail:
	ring_fini(r);
	return ret;
}

/**
 * ring_job() - Build the job of one accelerator at one step.
 * @r: The ring.
 * @i: The accelerator's index.
 * @s: The step.
 * @cmds: Out: its commands, up to 2.
 * @in: Out: the syncobjs it waits for, up to 3.
 * @job: Out: the job, pointing at @cmds and @in.
 */
static void ring_job(const struct ring *r, unsigned int i, unsigned int s,
		     struct drm_aifab_accel_cmd *cmds, uint32_t *in,
		     struct aifab_accel_job *job)
{
	const struct ring_dev *d = &r->d[i];
	unsigned int n = r->n, c;
	uint64_t start, count, off, len;

	*job = (struct aifab_accel_job){
		.cmds = cmds,
		.in_syncobjs = in,
		.out_syncobj = d->sync[s],
		.timeout_ms = r->timeout_ms,
	};
	if (s > 0) {
		in[job->nin_syncobjs++] = d->sync[s - 1];
		in[job->nin_syncobjs++] = d->prev_sync[s - 1];
	}
	/*
	 * All-gather overwrites chunks of this buffer that the successor's
	 * reduce-scatter reads; nothing else orders the two. So the first
	 * all-gather job waits for the successor's last reduce-scatter job,
	 * which comes after all of its others.
	 */
	if (s == n - 1 && d->next_last_rs)
		in[job->nin_syncobjs++] = d->next_last_rs;

	/*
	 * Reduce-scatter step s moves chunk i - 1 - s; all-gather step
	 * t = s - (n - 1) moves chunk i - t, the same thing modulo n.
	 */
	c = (i + 2 * n - 1 - s) % n;
	ring_chunk(r, c, &start, &count);
	/* Fewer elements than accelerators: a job with nothing to move. */
	if (!count)
		return;
	off = start * RING_ELEM;
	len = count * RING_ELEM;
	if (s < n - 1) {
		cmds[job->ncmds++] = aifab_accel_cmd_copy(d->tmp, 0, d->prev_buf,
							  off, len);
		cmds[job->ncmds++] = aifab_accel_cmd_reduce(d->buf, off, d->tmp,
							    0, len,
							    AIFAB_ACCEL_DTYPE_F32,
							    AIFAB_ACCEL_REDUCE_SUM);
	} else {
		cmds[job->ncmds++] = aifab_accel_cmd_copy(d->buf, off,
							  d->prev_buf, off, len);
	}
}

/**
 * ring_submit() - Queue every job of one all-reduce.
 * @r: The ring.
 * @fail: Out: the job that was refused, on failure.
 *
 * Jobs are queued step by step, so that every syncobj a job waits for
 * already holds the fence of the job it stands for. Nothing waits here.
 * The buffers must not be touched from the CPU until ring_wait() returns.
 *
 * Return: 0, or the negative errno value of the refused submit. The jobs
 * queued before it still run; ring_wait() waits for them.
 */
int ring_submit(struct ring *r, struct ring_fail *fail)
{
	struct drm_aifab_accel_cmd cmds[2];
	struct aifab_accel_job job;
	uint32_t in[3];
	unsigned int i, s;
	int ret;

	for (i = 0; i < r->n; i++)
		r->d[i].submitted = 0;
	for (s = 0; s < r->steps; s++) {
		for (i = 0; i < r->n; i++) {
			ring_job(r, i, s, cmds, in, &job);
			ret = aifab_accel_submit(r->d[i].acc, &job);
			if (ret) {
				ring_set_fail(fail, "submit", i, (int)s, ret);
				return ret;
			}
			r->d[i].job_ids[s] = job.job_id;
			r->d[i].submitted = s + 1;
		}
	}
	return 0;
}

/**
 * ring_wait() - Wait until every job of the last ring_submit() has ended.
 * @r: The ring.
 * @deadline_ns: Absolute CLOCK_MONOTONIC deadline, see
 *	aifab_accel_deadline().
 * @fail: Out: the accelerator whose wait failed, on failure.
 *
 * Return: 0 once all jobs ended (successfully or not: see ring_status()),
 * or a negative errno value: -ETIME when the deadline passed first.
 */
int ring_wait(struct ring *r, int64_t deadline_ns, struct ring_fail *fail)
{
	unsigned int i;

	for (i = 0; i < r->n; i++) {
		int ret;

		ret = aifab_accel_syncobj_wait(r->d[i].acc, r->d[i].sync,
					       r->d[i].submitted, deadline_ns);
		if (ret) {
			ring_set_fail(fail, "wait", i, -1, ret);
			return ret;
		}
	}
	return 0;
}

/**
 * ring_status() - Check how the jobs of the last ring_submit() ended.
 * @r: The ring.
 * @fail: Out: the first failed job in submission order, on failure.
 *
 * Call it after a successful ring_wait().
 *
 * Return: 0 if every job succeeded, or a negative errno value: the failed
 * job's error (@fail's op is "job"), or that of the status query.
 */
int ring_status(struct ring *r, struct ring_fail *fail)
{
	unsigned int i, s;
	int status;

	for (s = 0; s < r->steps; s++) {
		for (i = 0; i < r->n; i++) {
			int ret;

			if (s >= r->d[i].submitted)
				continue;
			ret = aifab_accel_syncobj_status(r->d[i].acc,
							 r->d[i].sync[s],
							 &status);
			if (ret) {
				ring_set_fail(fail, "read the status of a job",
					      i, (int)s, ret);
				return ret;
			}
			if (status == 1)
				continue;
			/* 0: still running after ring_wait(): a kernel bug. */
			ret = status < 0 ? status : -EBUSY;
			ring_set_fail(fail, "job", i, (int)s, ret);
			if (fail)
				fail->job_id = r->d[i].job_ids[s];
			return ret;
		}
	}
	return 0;
}
