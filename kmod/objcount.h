/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Live-object counters.
 *
 * Debian's kernels have no kmemleak, so every object type the module
 * allocates is counted here. debugfs shows the counts, and module unload
 * insists that each one is back at zero.
 */
#ifndef _AIFAB_OBJCOUNT_H
#define _AIFAB_OBJCOUNT_H

/* A new type also needs its name in objcount.c; a static_assert checks. */
enum aifab_obj_type {
	AIFAB_OBJ_FABRIC,
	AIFAB_OBJ_NODE,
	AIFAB_OBJ_DEVICE,
	AIFAB_OBJ_LINK,
	AIFAB_OBJ_ADJACENCY,
	AIFAB_OBJ_PARTITION,
	AIFAB_OBJ_FENCE,
	AIFAB_OBJ_ACCEL_DEV,
	AIFAB_OBJ_ACCEL_BO,
	AIFAB_OBJ_ACCEL_JOB,
	AIFAB_OBJ_ACCEL_FENCE,
	AIFAB_OBJ_EFA_DEV,
	AIFAB_OBJ_EFA_MR,
	AIFAB_OBJ_EFA_MMAP,
	AIFAB_OBJ_EFA_CQ,
	AIFAB_OBJ_EFA_AH,
	AIFAB_OBJ_EFA_QP,
	AIFAB_OBJ_NR_TYPES
};

struct seq_file;

void aifab_obj_get(enum aifab_obj_type type);
void aifab_obj_put(enum aifab_obj_type type);
long aifab_obj_live(enum aifab_obj_type type);
const char *aifab_obj_name(enum aifab_obj_type type);
int aifab_obj_show(struct seq_file *m);
int aifab_obj_check_leaks(void);

#endif /* _AIFAB_OBJCOUNT_H */
