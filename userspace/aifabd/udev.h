/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aifabd's part of the device-node permissions: each tenant's unix group,
 * left where udev's rules (udev/72-aifab.rules) read it.
 *
 * The kernel knows which partition and tenant own each device, and shows
 * it on the device's platform device (aifab_partition, aifab_tenant); it
 * sends the device's nodes a "change" uevent when that changes. Only the
 * configuration knows a tenant's group. So aifabd keeps one file per
 * tenant that has a group:
 *
 *   RUNDIR/tenants/TENANT     "AIFAB_GROUP=GROUP\n"
 *
 * which the rules import for a node whose tenant is TENANT. RUNDIR is
 * /run/aifab; systemd keeps it across restarts of aifabd
 * (RuntimeDirectoryPreserve=yes), so udev finds the files meanwhile.
 */
#ifndef AIFABD_UDEV_H
#define AIFABD_UDEV_H

#include "config.h"

#define AIFABD_RUN_DIR	"/run/aifab"

/**
 * aifabd_udev_sync() - write the tenants' groups, and re-apply changed ones
 * @cfg: the desired state; its tenants and their groups count
 * @rundir: the runtime directory, normally %AIFABD_RUN_DIR; the files go
 *	in RUNDIR/tenants, made if missing
 *
 * Writes RUNDIR/tenants/TENANT for each tenant with a group, each through
 * a temporary file renamed over the old one, so udev reads a whole file or
 * none. Removes the files of tenants that have no group or are gone, and
 * any other file there. Then, for each tenant whose file appeared, changed
 * or went, writes "change" to the uevent file of each device node whose
 * platform device names that tenant, so that udev applies the new group
 * to nodes that already belong to it.
 *
 * Call it before applying a plan: the kernel's uevents for the devices of
 * new partitions then find their tenant's group.
 *
 * Return: 0, or a negative errno after logging what failed (aifabd_log);
 * files written before the failure stay.
 */
int aifabd_udev_sync(const struct aifabd_config *cfg, const char *rundir);

/* As aifabd_udev_sync(), with sysfs at @sysfs ("/sys"), for tests. */
int aifabd_udev_sync_at(const struct aifabd_config *cfg, const char *rundir,
			const char *sysfs);

#endif /* AIFABD_UDEV_H */
