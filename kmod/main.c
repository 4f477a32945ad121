// SPDX-License-Identifier: GPL-2.0
/*
 * aifab: software AI-factory node. Module entry points and parameters.
 *
 * Loading builds the embedded default topology in the fabric tables;
 * unloading tears everything down and proves with the live-object
 * counters that nothing was left behind.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "accel.h"
#include "compat.h"
#include "debugfs.h"
#include "efa.h"
#include "fabric.h"
#include "netlink.h"
#include "objcount.h"
#include "sysfs.h"
#include "topology.h"
#include "uevent.h"

static char *node_name = "node0";
module_param(node_name, charp, 0444);
MODULE_PARM_DESC(node_name, "Name of the local node (default: node0)");

static unsigned int accels = 4;
module_param(accels, uint, 0444);
MODULE_PARM_DESC(accels, "Accelerators in the default topology, 1-64 (default: 4)");

static unsigned int efas = 2;
module_param(efas, uint, 0444);
MODULE_PARM_DESC(efas, "EFA devices in the default topology, 0-16 and <= accels (default: 2)");

static unsigned int accel_mem_mib = 1024;
module_param(accel_mem_mib, uint, 0444);
MODULE_PARM_DESC(accel_mem_mib, "Memory (HBM) per accelerator in MiB (default: 1024)");

/* Set once in init, before anything can look at it; cleared in exit. */
static struct aifab_fabric *aifab_fabric;
static struct dentry *aifab_debugfs;

static int __init aifab_init(void)
{
	const struct aifab_topology_params params = {
		.node_name = node_name,
		.accels = accels,
		.efas = efas,
		.accel_mem_mib = accel_mem_mib,
	};
	int ret;

	ret = aifab_topology_validate(&params);
	if (ret)
		return ret;

	aifab_fabric = aifab_fabric_create();
	if (!aifab_fabric)
		return -ENOMEM;

	ret = aifab_sysfs_init(aifab_fabric);
	if (ret) {
		pr_err("cannot register the sysfs classes: %d\n", ret);
		goto err_free_fabric;
	}

	ret = aifab_topology_build(aifab_fabric, &params);
	if (ret) {
		pr_err("cannot build the default topology: %d\n", ret);
		goto err_destroy_fabric;
	}

	ret = aifab_nl_register(aifab_fabric);
	if (ret) {
		pr_err("cannot register the netlink family: %d\n", ret);
		goto err_destroy_fabric;
	}

	aifab_debugfs = aifab_debugfs_create(aifab_fabric);
	aifab_uevent_init(aifab_fabric);
	ret = aifab_accel_init(aifab_fabric, aifab_debugfs);
	if (ret) {
		pr_err("cannot create the accelerator devices: %d\n", ret);
		goto err_remove_accels;
	}
	ret = aifab_efa_init(aifab_fabric, aifab_debugfs);
	if (ret) {
		pr_err("cannot create the EFA devices: %d\n", ret);
		goto err_remove_accels;
	}
	pr_info("loaded: node %s, %u accelerator(s), %u EFA device(s)\n",
		node_name, accels, efas);
	return 0;

err_remove_accels:
	aifab_accel_exit();
	aifab_uevent_exit();
	aifab_debugfs_remove(aifab_debugfs);
	aifab_nl_unregister();
err_destroy_fabric:
	/* Empties the fabric, sysfs mirrors included, before the classes go. */
	aifab_fabric_clear(aifab_fabric);
	aifab_sysfs_exit();
err_free_fabric:
	aifab_fabric_destroy(aifab_fabric);
	aifab_fabric = NULL;
	return ret;
}

static void __exit aifab_exit(void)
{
	aifab_efa_exit();
	aifab_accel_exit();
	aifab_uevent_exit();
	aifab_debugfs_remove(aifab_debugfs);
	aifab_nl_unregister();
	aifab_fabric_clear(aifab_fabric);
	aifab_sysfs_exit();
	aifab_fabric_destroy(aifab_fabric);
	aifab_fabric = NULL;
	if (!aifab_obj_check_leaks())
		pr_info("unloaded, no live objects\n");
}

module_init(aifab_init);
module_exit(aifab_exit);

MODULE_AUTHOR("The aifab developers");
MODULE_DESCRIPTION("Software AI-factory node: accelerators, EFA-compatible RDMA and a partitioned fabric");
MODULE_LICENSE("GPL");
/* The EFA devices are of no use to userspace without uverbs. */
MODULE_SOFTDEP("post: ib_uverbs");
