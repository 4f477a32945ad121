/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Who owns a device's nodes, told to udev; see uevent.c.
 *
 * The platform device of each local accelerator and EFA device (the
 * parent of its DRM minor, of its RDMA device and of that one's uverbs
 * node) has two more attributes:
 *   aifab_partition   the partition's name, or an empty line
 *   aifab_tenant      the partition's tenant, or an empty line
 * and the device nodes under it get a "change" uevent, with
 * AIFAB_PARTITION= and AIFAB_TENANT=, when those values change.
 */
#ifndef _AIFAB_UEVENT_H
#define _AIFAB_UEVENT_H

#include <linux/types.h>

struct aifab_fabric;
struct attribute_group;
struct device;

/*
 * The attributes above, for &device.groups of a platform device whose
 * platform data is its &struct aifab_local_dev.
 */
extern const struct attribute_group *aifab_uevent_groups[];

void aifab_uevent_init(struct aifab_fabric *fab);
void aifab_uevent_exit(void);
void aifab_uevent_sync(struct aifab_fabric *fab);

/* What the drivers' walkers call for each device; see uevent.c. */
void aifab_uevent_dev(struct aifab_fabric *fab, struct device *parent,
		      u32 fab_dev_id);

#endif /* _AIFAB_UEVENT_H */
