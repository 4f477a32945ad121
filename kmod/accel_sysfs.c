// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs of an accelerator, on its platform device (what
 * /sys/class/accel/accelN/device, or renderDN/device on 6.1, points to):
 * one value per file, and a link "aifab_dev" to its fabric device.
 *
 * The files go before the DRM device does (aifab_accel_sysfs_del()), and
 * removing them waits for running show() calls, so show() always has a
 * live device.
 */
#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/platform_device.h>
#include <linux/sysfs.h>

#include "accel.h"
#include "fabric.h"

/* A counter of the device, found by its offset in struct aifab_accel_dev. */
struct aifab_accel_counter_attr {
	struct device_attribute attr;
	size_t offset;
};

static ssize_t aifab_accel_counter_show(struct device *d,
					struct device_attribute *attr,
					char *buf)
{
	struct aifab_accel_dev *adev = dev_get_drvdata(d);
	size_t offset = container_of(attr, struct aifab_accel_counter_attr,
				     attr)->offset;

	return sysfs_emit(buf, "%lld\n",
			  atomic64_read((atomic64_t *)((char *)adev + offset)));
}

static struct aifab_accel_counter_attr aifab_accel_counters[] = {
	{ __ATTR(mem_used, 0444, aifab_accel_counter_show, NULL),
	  offsetof(struct aifab_accel_dev, mem_used) },
	{ __ATTR(mem_peak, 0444, aifab_accel_counter_show, NULL),
	  offsetof(struct aifab_accel_dev, mem_peak) },
	{ __ATTR(bos, 0444, aifab_accel_counter_show, NULL),
	  offsetof(struct aifab_accel_dev, bos) },
	{ __ATTR(jobs_submitted, 0444, aifab_accel_counter_show, NULL),
	  offsetof(struct aifab_accel_dev, jobs_submitted) },
	{ __ATTR(jobs_completed, 0444, aifab_accel_counter_show, NULL),
	  offsetof(struct aifab_accel_dev, jobs_completed) },
	{ __ATTR(jobs_failed, 0444, aifab_accel_counter_show, NULL),
	  offsetof(struct aifab_accel_dev, jobs_failed) },
	{ __ATTR(jobs_timedout, 0444, aifab_accel_counter_show, NULL),
	  offsetof(struct aifab_accel_dev, jobs_timedout) },
	{ __ATTR(scrubs, 0444, aifab_accel_counter_show, NULL),
	  offsetof(struct aifab_accel_dev, scrubs) },
	{ __ATTR(scrub_bytes, 0444, aifab_accel_counter_show, NULL),
	  offsetof(struct aifab_accel_dev, scrub_bytes) },
};

static ssize_t mem_total_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct aifab_accel_dev *adev = dev_get_drvdata(d);

	return sysfs_emit(buf, "%llu\n", adev->mem_total);
}
static DEVICE_ATTR_RO(mem_total);

static ssize_t job_timeout_ms_show(struct device *d,
				   struct device_attribute *attr, char *buf)
{
	struct aifab_accel_dev *adev = dev_get_drvdata(d);

	return sysfs_emit(buf, "%u\n", READ_ONCE(adev->job_timeout_ms));
}

static ssize_t job_timeout_ms_store(struct device *d,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	struct aifab_accel_dev *adev = dev_get_drvdata(d);
	u32 ms;
	int ret;

	ret = kstrtou32(buf, 0, &ms);
	if (ret)
		return ret;
	if (!ms || ms > AIFAB_ACCEL_MAX_TIMEOUT_MS)
		return -ERANGE;
	WRITE_ONCE(adev->job_timeout_ms, ms);
	return count;
}
static DEVICE_ATTR_RW(job_timeout_ms);

static struct attribute *aifab_accel_attrs[] = {
	&dev_attr_mem_total.attr,
	&aifab_accel_counters[0].attr.attr,
	&aifab_accel_counters[1].attr.attr,
	&aifab_accel_counters[2].attr.attr,
	&aifab_accel_counters[3].attr.attr,
	&aifab_accel_counters[4].attr.attr,
	&aifab_accel_counters[5].attr.attr,
	&aifab_accel_counters[6].attr.attr,
	&aifab_accel_counters[7].attr.attr,
	&aifab_accel_counters[8].attr.attr,
	&dev_attr_job_timeout_ms.attr,
	NULL
};

static_assert(ARRAY_SIZE(aifab_accel_counters) == 9);

static const struct attribute_group aifab_accel_group = {
	.attrs = aifab_accel_attrs,
};

/**
 * aifab_accel_sysfs_add() - make an accelerator's sysfs files
 * @adev: the device
 *
 * Return: 0 or a negative errno; a failure costs diagnostics only.
 */
int aifab_accel_sysfs_add(struct aifab_accel_dev *adev)
{
	struct kobject *kobj = &adev->pdev->dev.kobj;
	struct aifab_device *dev;
	int ret;

	platform_set_drvdata(adev->pdev, adev);
	ret = sysfs_create_group(kobj, &aifab_accel_group);
	if (ret)
		return ret;
	mutex_lock(&adev->fab->lock);
	dev = aifab_device_lookup(adev->fab, adev->fab_dev_id);
	if (dev && dev->sysfs)
		ret = sysfs_create_link(kobj, &dev->sysfs->kobj, "aifab_dev");
	mutex_unlock(&adev->fab->lock);
	return ret;
}

/**
 * aifab_accel_sysfs_del() - remove what aifab_accel_sysfs_add() made
 * @adev: the device
 */
void aifab_accel_sysfs_del(struct aifab_accel_dev *adev)
{
	struct kobject *kobj = &adev->pdev->dev.kobj;

	sysfs_remove_link(kobj, "aifab_dev");
	sysfs_remove_group(kobj, &aifab_accel_group);
}
