/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sysfs mirrors of the fabric, one value per file:
 *   /sys/class/aifab_dev/DEV/{type,node,local,partition,mem_bytes}
 *   /sys/class/aifab_dev/DEV/links/LINK -> the link below
 *   /sys/class/aifab_link/LINK/{a,b,kind,state,admin_state,speed_mbps,
 *                               drop_pct,corrupt_pct,flap_ms,degrade_ppm}
 * Created and removed under the fabric mutex, with the objects they show.
 */
#ifndef _AIFAB_SYSFS_H
#define _AIFAB_SYSFS_H

struct aifab_device;
struct aifab_fabric;
struct aifab_link;

int aifab_sysfs_init(struct aifab_fabric *fab);
void aifab_sysfs_exit(void);
void aifab_sysfs_add_device(struct aifab_device *dev);
void aifab_sysfs_del_device(struct aifab_device *dev);
void aifab_sysfs_add_link(struct aifab_fabric *fab, struct aifab_link *link);
void aifab_sysfs_del_link(struct aifab_fabric *fab, struct aifab_link *link);

#endif /* _AIFAB_SYSFS_H */
