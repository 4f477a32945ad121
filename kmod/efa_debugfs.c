// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs of the EFA devices: <debugfs>/aifab/efa/engine for the engine,
 * and <debugfs>/aifab/efa/<ibdev>/ with the device's QPs, CQs, memory
 * regions and counters. Read-only views, taken under the engine lock, so
 * that no object goes away while it is printed and no pass runs meanwhile.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/xarray.h>

#include "efa.h"

/* Set by aifab_efa_debugfs_init() before any device exists. */
static struct dentry *aifab_efa_debugfs_root;

static int aifab_efa_engine_file_show(struct seq_file *m, void *unused)
{
	aifab_efa_engine_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(aifab_efa_engine_file);

static const char *const aifab_efa_qp_states[] = {
	[IB_QPS_RESET] = "reset", [IB_QPS_INIT] = "init", [IB_QPS_RTR] = "rtr",
	[IB_QPS_RTS] = "rts", [IB_QPS_SQD] = "sqd", [IB_QPS_SQE] = "sqe",
	[IB_QPS_ERR] = "err",
};

static u32 aifab_efa_db_word(const struct aifab_efa_mmap *db, size_t off)
{
	return READ_ONCE(*(u32 *)((u8 *)db->vaddr + off));
}

static int aifab_efa_qps_show(struct seq_file *m, void *unused)
{
	struct aifab_efa_dev *edev = m->private;
	struct aifab_efa_qp *qp;
	unsigned long qpn;

	seq_puts(m, "qpn type state pdn sq_descs sq_db sq_cons rq_descs rq_db rq_cons rnr_retry error\n");
	aifab_efa_engine_lock();
	xa_for_each(&edev->qps, qpn, qp)
		seq_printf(m, "%lu %s %s %u %u %u %u %u %u %u %u %s\n", qpn,
			   qp->ibqp.qp_type == IB_QPT_UD ? "ud" : "srd",
			   aifab_efa_qp_states[READ_ONCE(qp->state)], qp->pdn,
			   qp->sq_descs,
			   aifab_efa_db_word(qp->db, AIFAB_EFA_SQ_DB_OFF) &
			   0xffff, qp->sq_cons, qp->rq_descs,
			   aifab_efa_db_word(qp->db, AIFAB_EFA_RQ_DB_OFF) &
			   0xffff, qp->rq_cons, qp->rnr_retry,
			   qp->error ?: "-");
	aifab_efa_engine_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(aifab_efa_qps);

static int aifab_efa_cqs_show(struct seq_file *m, void *unused)
{
	struct aifab_efa_dev *edev = m->private;
	struct aifab_efa_cq *cq;
	unsigned long idx;

	seq_puts(m, "cq entries entry_size produced consumed channel events\n");
	aifab_efa_engine_lock();
	xa_for_each(&edev->cqs, idx, cq)
		seq_printf(m, "%lu %u %u %u %u %s %llu\n", idx, cq->entries,
			   cq->entry_size, cq->produced,
			   (u32)(aifab_efa_db_word(cq->db, 0) &
				 AIFAB_EFA_CQ_DB_CONSUMER),
			   cq->channel ? "yes" : "no", cq->events);
	aifab_efa_engine_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(aifab_efa_cqs);

static int aifab_efa_mrs_show(struct seq_file *m, void *unused)
{
	struct aifab_efa_dev *edev = m->private;
	struct aifab_efa_mr *mr;
	unsigned long key;

	seq_puts(m, "key pdn iova length access memory\n");
	aifab_efa_engine_lock();
	xa_for_each(&edev->mrs, key, mr)
		seq_printf(m, "%lu %u %#llx %llu %#x %s\n", key, mr->pdn,
			   mr->iova, mr->length, mr->access,
			   mr->pages_owned ? "user" : "dma-buf");
	aifab_efa_engine_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(aifab_efa_mrs);

static int aifab_efa_stats_show(struct seq_file *m, void *unused)
{
	struct aifab_efa_dev *edev = m->private;
	int i;

	for (i = 0; i < AIFAB_EFA_STAT_COUNT; i++)
		seq_printf(m, "%s %lld\n", aifab_efa_stat_name(i),
			   atomic64_read(&edev->stats[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(aifab_efa_stats);

/**
 * aifab_efa_debugfs_init() - make the directory devices go in
 * @aifab_root: the module's debugfs directory
 */
void aifab_efa_debugfs_init(struct dentry *aifab_root)
{
	aifab_efa_debugfs_root = debugfs_create_dir("efa", aifab_root);
	debugfs_create_file("engine", 0400, aifab_efa_debugfs_root, NULL,
			    &aifab_efa_engine_file_fops);
}

/**
 * aifab_efa_debugfs_add() - make a device's directory
 * @edev: the registered device
 */
void aifab_efa_debugfs_add(struct aifab_efa_dev *edev)
{
	struct dentry *dir = debugfs_create_dir(dev_name(&edev->ibdev.dev),
						aifab_efa_debugfs_root);

	edev->debugfs = dir;
	debugfs_create_file("qps", 0400, dir, edev, &aifab_efa_qps_fops);
	debugfs_create_file("cqs", 0400, dir, edev, &aifab_efa_cqs_fops);
	debugfs_create_file("mrs", 0400, dir, edev, &aifab_efa_mrs_fops);
	debugfs_create_file("stats", 0400, dir, edev, &aifab_efa_stats_fops);
}

/**
 * aifab_efa_debugfs_remove() - remove it, before the device goes
 * @edev: the device
 */
void aifab_efa_debugfs_remove(struct aifab_efa_dev *edev)
{
	debugfs_remove_recursive(edev->debugfs);
	edev->debugfs = NULL;
}
