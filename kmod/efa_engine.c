// SPDX-License-Identifier: GPL-2.0
/*
 * The engine: one kernel thread that does what an EFA device's hardware
 * does. libefa posts without a system call, by storing producer counts in
 * doorbell pages, so the thread polls those pages, adaptively:
 *
 * - while work turns up it passes over the queues back to back, yielding
 *   the CPU between passes (cond_resched()) but not sleeping;
 * - after %AIFAB_EFA_SPIN_US without work it naps, from
 *   %AIFAB_EFA_NAP_MIN_US doubling to %AIFAB_EFA_NAP_MAX_US;
 * - with no QP ready to send (none in RTS or error) it sleeps until
 *   modify_qp() wakes it.
 *
 * So the idle cost is bounded: with QPs ready but no traffic, at most
 * 1000000 / %AIFAB_EFA_NAP_MAX_US passes a second, each reading two words
 * per QP; with none ready, nothing at all.
 *
 * One thread for every device keeps the data path free of locks: it alone
 * consumes descriptors and writes completions, on both ends of a transfer.
 * The engine lock, held for each pass, is what control verbs take to
 * change what the pass may touch (see efa.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "efa.h"

/* Keep passing this long after the last work: a ping-pong's round trip. */
#define AIFAB_EFA_SPIN_US	1000
#define AIFAB_EFA_NAP_MIN_US	10
#define AIFAB_EFA_NAP_MAX_US	1000
/* Descriptors of one QP per pass, so that one busy QP starves no other. */
#define AIFAB_EFA_QP_BUDGET	64
/*
 * Bytes per pass, over every QP: a pass holds the engine lock, which
 * control verbs wait for. The QPs after the one that used the rest go
 * first in the next pass.
 */
#define AIFAB_EFA_PASS_BYTES	SZ_8M

/**
 * struct aifab_efa_engine - the engine
 * @lock: held for each pass; see efa.h for what it guards
 * @qps: the QPs it serves, those in RTS or error; under @lock
 * @devs: fabric device id -> &struct aifab_efa_dev; written under @lock
 * @fab: the fabric
 * @task: the thread
 * @wait: where it sleeps with nothing to serve
 * @kicked: a QP became ready; set before waking @wait
 * @passes: passes made; thread only, read racily
 * @work_passes: passes that found work; likewise
 * @naps: naps taken; likewise
 * @sleeps: sleeps with nothing to serve; likewise
 */
struct aifab_efa_engine {
	struct mutex lock; /* see the kernel-doc above and efa.h */
	struct list_head qps;
	struct xarray devs;
	struct aifab_fabric *fab;
	struct task_struct *task;
	wait_queue_head_t wait;
	bool kicked;
	u64 passes;
	u64 work_passes;
	u64 naps;
	u64 sleeps;
};

static struct aifab_efa_engine aifab_efa_engine = {
	.lock = __MUTEX_INITIALIZER(aifab_efa_engine.lock),
	.qps = LIST_HEAD_INIT(aifab_efa_engine.qps),
	.wait = __WAIT_QUEUE_HEAD_INITIALIZER(aifab_efa_engine.wait),
};

/**
 * aifab_efa_engine_lock() - keep the engine out: no pass runs until unlock
 */
void aifab_efa_engine_lock(void)
{
	mutex_lock(&aifab_efa_engine.lock);
}

/**
 * aifab_efa_engine_unlock() - let the engine run again
 */
void aifab_efa_engine_unlock(void)
{
	mutex_unlock(&aifab_efa_engine.lock);
}

/**
 * aifab_efa_engine_quiesce() - wait for the pass in flight
 *
 * After an object was erased from the table the engine finds it in, this
 * makes sure no pass still uses it.
 */
void aifab_efa_engine_quiesce(void)
{
	mutex_lock(&aifab_efa_engine.lock);
	mutex_unlock(&aifab_efa_engine.lock);
}

/**
 * aifab_efa_engine_serve() - have the engine watch a QP's doorbells
 * @qp: the QP, in RTS or error
 *
 * Call under the engine lock; does nothing if it is served already.
 */
void aifab_efa_engine_serve(struct aifab_efa_qp *qp)
{
	struct aifab_efa_engine *e = &aifab_efa_engine;

	lockdep_assert_held(&e->lock);
	if (!list_empty(&qp->engine_entry))
		return;
	list_add_tail(&qp->engine_entry, &e->qps);
	WRITE_ONCE(e->kicked, true);
	wake_up(&e->wait);
}

/**
 * aifab_efa_engine_forget() - stop watching a QP
 * @qp: the QP
 *
 * Call under the engine lock.
 */
void aifab_efa_engine_forget(struct aifab_efa_qp *qp)
{
	lockdep_assert_held(&aifab_efa_engine.lock);
	list_del_init(&qp->engine_entry);
}

/**
 * aifab_efa_engine_add_dev() - make a device reachable by its GID
 * @edev: the registered device
 *
 * Return: 0 or -ENOMEM.
 */
int aifab_efa_engine_add_dev(struct aifab_efa_dev *edev)
{
	int ret;

	mutex_lock(&aifab_efa_engine.lock);
	ret = xa_err(xa_store(&aifab_efa_engine.devs, edev->fab_dev_id, edev,
			      GFP_KERNEL));
	mutex_unlock(&aifab_efa_engine.lock);
	return ret;
}

/**
 * aifab_efa_engine_del_dev() - make a device unreachable, before it goes
 * @edev: the device
 */
void aifab_efa_engine_del_dev(struct aifab_efa_dev *edev)
{
	mutex_lock(&aifab_efa_engine.lock);
	xa_erase(&aifab_efa_engine.devs, edev->fab_dev_id);
	mutex_unlock(&aifab_efa_engine.lock);
}

/**
 * aifab_efa_engine_find_dev() - the local device a GID names
 * @gid: the GID, from an address handle
 *
 * Call under the engine lock.
 *
 * Return: the device, or NULL when no local device has that GID.
 */
struct aifab_efa_dev *aifab_efa_engine_find_dev(const union ib_gid *gid)
{
	u32 id = be64_to_cpu(gid->global.interface_id) & U32_MAX;
	struct aifab_efa_dev *edev;

	lockdep_assert_held(&aifab_efa_engine.lock);
	edev = xa_load(&aifab_efa_engine.devs, id);
	if (!edev || memcmp(edev->gid.raw, gid->raw, sizeof(gid->raw)))
		return NULL;
	return edev;
}

/**
 * aifab_efa_engine_fabric() - the fabric the engine moves bytes over
 *
 * Return: the fabric.
 */
struct aifab_fabric *aifab_efa_engine_fabric(void)
{
	return aifab_efa_engine.fab;
}

/* One pass over the served QPs. Returns how much work it found. */
static unsigned int aifab_efa_engine_pass(struct aifab_efa_engine *e)
{
	struct aifab_efa_qp *qp, *next;
	unsigned int work = 0;
	u64 bytes = 0;

	list_for_each_entry_safe(qp, next, &e->qps, engine_entry) {
		work += aifab_efa_sq_run(qp, AIFAB_EFA_QP_BUDGET);
		bytes += qp->moved;
		if (bytes >= AIFAB_EFA_PASS_BYTES) {
			if (!list_entry_is_head(next, &e->qps, engine_entry))
				list_rotate_to_front(&next->engine_entry,
						     &e->qps);
			break;
		}
	}
	e->passes++;
	if (work)
		e->work_passes++;
	return work;
}

static void aifab_efa_engine_nap(unsigned int us)
{
	ktime_t t = ns_to_ktime((u64)us * NSEC_PER_USEC);

	set_current_state(TASK_INTERRUPTIBLE);
	schedule_hrtimeout_range(&t, us * NSEC_PER_USEC / 4, HRTIMER_MODE_REL);
}

static int aifab_efa_engine_thread(void *arg)
{
	struct aifab_efa_engine *e = arg;
	ktime_t last_work = ktime_get();
	unsigned int nap = 0, work;
	bool idle;

	while (!kthread_should_stop()) {
		mutex_lock(&e->lock);
		work = aifab_efa_engine_pass(e);
		idle = list_empty(&e->qps);
		mutex_unlock(&e->lock);
		if (work) {
			last_work = ktime_get();
			nap = 0;
			cond_resched();
		} else if (idle) {
			e->sleeps++;
			wait_event_interruptible(e->wait, READ_ONCE(e->kicked) ||
						 kthread_should_stop());
			WRITE_ONCE(e->kicked, false);
			last_work = ktime_get();
		} else if (ktime_us_delta(ktime_get(), last_work) <
			   AIFAB_EFA_SPIN_US) {
			cond_resched();
		} else {
			nap = clamp(nap * 2, AIFAB_EFA_NAP_MIN_US,
				    AIFAB_EFA_NAP_MAX_US);
			e->naps++;
			aifab_efa_engine_nap(nap);
		}
	}
	return 0;
}

/**
 * aifab_efa_engine_show() - the engine's state, for debugfs
 * @m: where to print
 */
void aifab_efa_engine_show(struct seq_file *m)
{
	struct aifab_efa_engine *e = &aifab_efa_engine;
	struct aifab_efa_qp *qp;

	mutex_lock(&e->lock);
	seq_printf(m, "passes %llu\nwork_passes %llu\nnaps %llu\nsleeps %llu\n",
		   e->passes, e->work_passes, e->naps, e->sleeps);
	seq_printf(m, "spin_us %u\nnap_us %u..%u\n", AIFAB_EFA_SPIN_US,
		   AIFAB_EFA_NAP_MIN_US, AIFAB_EFA_NAP_MAX_US);
	list_for_each_entry(qp, &e->qps, engine_entry)
		seq_printf(m, "served %s qp %u\n",
			   dev_name(&qp->ibqp.device->dev), qp->ibqp.qp_num);
	mutex_unlock(&e->lock);
}

/**
 * aifab_efa_engine_start() - start the engine's thread
 * @fab: the fabric it moves bytes over
 *
 * Return: 0 or a negative errno.
 */
int aifab_efa_engine_start(struct aifab_fabric *fab)
{
	struct aifab_efa_engine *e = &aifab_efa_engine;
	struct task_struct *task;

	e->fab = fab;
	xa_init(&e->devs);
	task = kthread_run(aifab_efa_engine_thread, e, "aifab_efa_engine");
	if (IS_ERR(task))
		return PTR_ERR(task);
	e->task = task;
	return 0;
}

/**
 * aifab_efa_engine_stop() - stop it, once every device is gone
 */
void aifab_efa_engine_stop(void)
{
	struct aifab_efa_engine *e = &aifab_efa_engine;

	kthread_stop(e->task);
	e->task = NULL;
	WARN_ON(!list_empty(&e->qps));
	WARN_ON(!xa_empty(&e->devs));
	xa_destroy(&e->devs);
}
