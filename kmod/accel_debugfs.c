// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs of an accelerator: <debugfs>/aifab/accel/<name>/ with its
 * memory, engines, jobs in flight and buffer objects. Read-only views;
 * the directory goes before the device does.
 */
#include <linux/debugfs.h>
#include <linux/idr.h>
#include <linux/seq_file.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "accel.h"

/* Set by aifab_accel_debugfs_init() before any device exists. */
static struct dentry *aifab_accel_debugfs_root;

static int aifab_accel_memory_show(struct seq_file *m, void *unused)
{
	struct aifab_accel_dev *adev = m->private;

	seq_printf(m, "total %llu\nused %lld\npeak %lld\nbos %lld\n",
		   adev->mem_total, atomic64_read(&adev->mem_used),
		   atomic64_read(&adev->mem_peak), atomic64_read(&adev->bos));
	seq_printf(m, "scrubs %lld\nscrub_bytes %lld\n",
		   atomic64_read(&adev->scrubs),
		   atomic64_read(&adev->scrub_bytes));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(aifab_accel_memory);

static int aifab_accel_engines_show(struct seq_file *m, void *unused)
{
	struct aifab_accel_dev *adev = m->private;
	struct aifab_accel_engine *engine;
	unsigned int i;

	seq_puts(m, "engine running_job jobs_run\n");
	for (i = 0; i < AIFAB_ACCEL_ENGINES; i++) {
		engine = &adev->engines[i];
		seq_printf(m, "%u %lld %lld\n", i,
			   atomic64_read(&engine->running),
			   atomic64_read(&engine->jobs_run));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(aifab_accel_engines);

static int aifab_accel_jobs_show(struct seq_file *m, void *unused)
{
	struct aifab_accel_dev *adev = m->private;
	struct aifab_accel_job *job;

	seq_puts(m, "job engine cmds bos timeout_ms state\n");
	spin_lock(&adev->jobs_lock);
	list_for_each_entry(job, &adev->jobs, list)
		seq_printf(m, "%llu %u %u %u %u %s\n", job->id,
			   job->engine->index, job->ncmds, job->nmem,
			   job->timeout_ms,
			   atomic64_read(&job->engine->running) == job->id ?
			   "running" : READ_ONCE(job->ran) ? "done" : "queued");
	spin_unlock(&adev->jobs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(aifab_accel_jobs);

static int aifab_accel_bo_show(int handle, void *ptr, void *data)
{
	struct drm_gem_object *obj = ptr;
	struct seq_file *m = data;

	seq_printf(m, "%d %zu %s\n", handle, obj->size,
		   obj->import_attach ? "imported" : "local");
	return 0;
}

static int aifab_accel_bos_show(struct seq_file *m, void *unused)
{
	struct aifab_accel_dev *adev = m->private;
	struct drm_file *file;

	seq_puts(m, "handle size kind\n");
	mutex_lock(&adev->drm.filelist_mutex);
	list_for_each_entry(file, &adev->drm.filelist, lhead) {
		seq_puts(m, "# file\n");
		spin_lock(&file->table_lock);
		idr_for_each(&file->object_idr, aifab_accel_bo_show, m);
		spin_unlock(&file->table_lock);
	}
	mutex_unlock(&adev->drm.filelist_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(aifab_accel_bos);

/**
 * aifab_accel_debugfs_init() - make the directory devices go in
 * @aifab_root: the module's debugfs directory
 */
void aifab_accel_debugfs_init(struct dentry *aifab_root)
{
	aifab_accel_debugfs_root = debugfs_create_dir("accel", aifab_root);
}

/**
 * aifab_accel_debugfs_add() - make a device's debugfs directory
 * @adev: the device
 */
void aifab_accel_debugfs_add(struct aifab_accel_dev *adev)
{
	struct dentry *dir = debugfs_create_dir(adev->name,
						aifab_accel_debugfs_root);

	adev->debugfs = dir;
	debugfs_create_file("memory", 0400, dir, adev, &aifab_accel_memory_fops);
	debugfs_create_file("engines", 0400, dir, adev,
			    &aifab_accel_engines_fops);
	debugfs_create_file("jobs", 0400, dir, adev, &aifab_accel_jobs_fops);
	debugfs_create_file("bos", 0400, dir, adev, &aifab_accel_bos_fops);
}
