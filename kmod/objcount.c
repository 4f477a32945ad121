// SPDX-License-Identifier: GPL-2.0
/*
 * Live-object counters: see objcount.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/array_size.h>
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/printk.h>
#include <linux/seq_file.h>

#include "objcount.h"

/* Lock-free: each counter is an independent atomic. */
static atomic_long_t aifab_obj_counts[AIFAB_OBJ_NR_TYPES];

static const char * const aifab_obj_names[] = {
	[AIFAB_OBJ_FABRIC] = "fabric",
	[AIFAB_OBJ_NODE] = "node",
	[AIFAB_OBJ_DEVICE] = "device",
	[AIFAB_OBJ_LINK] = "link",
	[AIFAB_OBJ_ADJACENCY] = "adjacency",
	[AIFAB_OBJ_PARTITION] = "partition",
	[AIFAB_OBJ_FENCE] = "fence",
	[AIFAB_OBJ_ACCEL_DEV] = "accel_dev",
	[AIFAB_OBJ_ACCEL_BO] = "accel_bo",
	[AIFAB_OBJ_ACCEL_JOB] = "accel_job",
	[AIFAB_OBJ_ACCEL_FENCE] = "accel_fence",
	[AIFAB_OBJ_EFA_DEV] = "efa_dev",
	[AIFAB_OBJ_EFA_MR] = "efa_mr",
	[AIFAB_OBJ_EFA_MMAP] = "efa_mmap",
	[AIFAB_OBJ_EFA_CQ] = "efa_cq",
	[AIFAB_OBJ_EFA_AH] = "efa_ah",
	[AIFAB_OBJ_EFA_QP] = "efa_qp",
};

static_assert(ARRAY_SIZE(aifab_obj_names) == AIFAB_OBJ_NR_TYPES);

void aifab_obj_get(enum aifab_obj_type type)
{
	atomic_long_inc(&aifab_obj_counts[type]);
}

void aifab_obj_put(enum aifab_obj_type type)
{
	WARN_ON_ONCE(atomic_long_dec_return(&aifab_obj_counts[type]) < 0);
}

long aifab_obj_live(enum aifab_obj_type type)
{
	return atomic_long_read(&aifab_obj_counts[type]);
}

const char *aifab_obj_name(enum aifab_obj_type type)
{
	return aifab_obj_names[type];
}

int aifab_obj_show(struct seq_file *m)
{
	int i;

	for (i = 0; i < AIFAB_OBJ_NR_TYPES; i++)
		seq_printf(m, "%s %ld\n", aifab_obj_names[i], aifab_obj_live(i));
	return 0;
}

/**
 * aifab_obj_check_leaks() - report every object type still alive
 *
 * Called last at module unload, after all RCU callbacks have run. A leak
 * is a bug, so it WARNs: the VM test runner fails on any kernel warning.
 *
 * Return: the number of objects still alive, all types together.
 */
int aifab_obj_check_leaks(void)
{
	long live, total = 0;
	int i;

	for (i = 0; i < AIFAB_OBJ_NR_TYPES; i++) {
		live = aifab_obj_live(i);
		if (live)
			pr_err("leaked %ld %s object(s)\n", live, aifab_obj_names[i]);
		total += live;
	}
	WARN_ON(total);
	return total;
}
