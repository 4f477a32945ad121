// SPDX-License-Identifier: GPL-2.0
/*
 * EFA-compatible RDMA devices: one per local EFA device of the fabric,
 * made and removed as the topology changes.
 *
 * Each hangs off a platform device bound to the "aifab-efa" driver and
 * named like a PCI function (0000:af:NN.0). libfabric's efa provider parses
 * the name of <ibdev>/device as a PCI address and follows its driver link;
 * anything else makes it give up on every device.
 *
 * The identity: Amazon's PCI vendor id, which tools match EFA devices by,
 * and a part id of aifab's own, so that nothing mistakes the device for a
 * particular generation of EFA hardware.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <rdma/efa-abi.h>
#include <rdma/ib_verbs.h>

#include "compat.h"
#include "efa.h"
#include "fabric.h"
#include "objcount.h"
#include "uevent.h"

#define AIFAB_EFA_DRIVER	"aifab-efa"

/* Serialises aifab_efa_sync() and aifab_efa_exit(). */
static DEFINE_MUTEX(aifab_efa_lock);
/* The devices; under aifab_efa_lock. */
static LIST_HEAD(aifab_efa_devs);
/* Set by aifab_efa_init() before any device exists. */
static struct aifab_fabric *aifab_efa_fabric;

static const struct ib_device_ops aifab_efa_ops = {
	.owner = THIS_MODULE,
	.driver_id = RDMA_DRIVER_EFA,
	.uverbs_abi_ver = EFA_UVERBS_ABI_VERSION,

	.alloc_hw_port_stats = aifab_efa_alloc_port_stats,
	.alloc_pd = aifab_efa_alloc_pd,
	.create_cq = aifab_efa_create_cq,
	.create_qp = aifab_efa_create_qp,
	.create_user_ah = aifab_efa_create_ah,
	.destroy_ah = aifab_efa_destroy_ah,
	.destroy_cq = aifab_efa_destroy_cq,
	.destroy_qp = aifab_efa_destroy_qp,
	.mmap = aifab_efa_mmap,
	.mmap_free = aifab_efa_mmap_free,
	.modify_qp = aifab_efa_modify_qp,
	.dereg_mr = aifab_efa_dereg_mr,
	.reg_user_mr = aifab_efa_reg_mr,
	.reg_user_mr_dmabuf = aifab_efa_reg_mr_dmabuf,
	.alloc_ucontext = aifab_efa_alloc_ucontext,
	.dealloc_pd = aifab_efa_dealloc_pd,
	.dealloc_ucontext = aifab_efa_dealloc_ucontext,
	.disassociate_ucontext = aifab_efa_disassociate_ucontext,
	.get_hw_stats = aifab_efa_get_hw_stats,
	.get_link_layer = aifab_efa_link_layer,
	.get_port_immutable = aifab_efa_get_port_immutable,
	.query_device = aifab_efa_query_device,
	.query_gid = aifab_efa_query_gid,
	.query_pkey = aifab_efa_query_pkey,
	.query_port = aifab_efa_query_port,
	.query_qp = aifab_efa_query_qp,

	INIT_RDMA_OBJ_SIZE(ib_ah, aifab_efa_ah, ibah),
	INIT_RDMA_OBJ_SIZE(ib_cq, aifab_efa_cq, ibcq),
	INIT_RDMA_OBJ_SIZE(ib_pd, aifab_efa_pd, ibpd),
	INIT_RDMA_OBJ_SIZE(ib_qp, aifab_efa_qp, ibqp),
	INIT_RDMA_OBJ_SIZE(ib_ucontext, aifab_efa_ucontext, ibucontext),
};

/*
 * A unique-local IPv6 address (fd00::/8) that names the device in the
 * fabric: "aifab", then the node's id and the device's id. Never zero, as
 * ib_core only builds address handles with a GRH for a non-zero GID.
 */
static void aifab_efa_make_gid(union ib_gid *gid, const struct aifab_local_dev *w)
{
	static const u8 prefix[6] = { 0xfd, 'a', 'i', 'f', 'a', 'b' };

	memset(gid, 0, sizeof(*gid));
	memcpy(gid->raw, prefix, sizeof(prefix));
	gid->global.interface_id = cpu_to_be64((u64)w->node_id << 32 | w->id);
}

/* The device's tables are empty by now: ib_core destroyed every object. */
static void aifab_efa_dev_free(struct aifab_efa_dev *edev)
{
	xa_destroy(&edev->qps);
	xa_destroy(&edev->ahs);
	xa_destroy(&edev->mrs);
	xa_destroy(&edev->cqs);
	ida_destroy(&edev->pd_ida);
	ib_dealloc_device(&edev->ibdev);
}

static int aifab_efa_probe(struct platform_device *pdev)
{
	const struct aifab_local_dev *w = dev_get_platdata(&pdev->dev);
	struct aifab_efa_dev *edev;
	int ret;

	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	dma_set_max_seg_size(&pdev->dev, UINT_MAX);
	edev = ib_alloc_device(aifab_efa_dev, ibdev);
	if (!edev)
		return -ENOMEM;
	edev->pdev = pdev;
	edev->fab = aifab_efa_fabric;
	edev->fab_dev_id = w->id;
	strscpy(edev->name, w->name, sizeof(edev->name));
	aifab_efa_make_gid(&edev->gid, w);
	edev->ibdev.node_guid = edev->gid.global.interface_id;
	ida_init(&edev->pd_ida);
	xa_init_flags(&edev->cqs, XA_FLAGS_ALLOC);
	xa_init_flags(&edev->ahs, XA_FLAGS_ALLOC);
	xa_init_flags(&edev->mrs, XA_FLAGS_ALLOC1);
	xa_init_flags(&edev->qps, XA_FLAGS_ALLOC1);
	edev->ibdev.node_type = RDMA_NODE_UNSPECIFIED;
	edev->ibdev.phys_port_cnt = 1;
	edev->ibdev.num_comp_vectors = 1;
	edev->ibdev.dev.parent = &pdev->dev;
	ib_set_device_ops(&edev->ibdev, &aifab_efa_ops);
	ret = ib_register_device(&edev->ibdev, "aifab_efa%d", &pdev->dev);
	if (ret)
		goto err_dealloc_device;
	ret = aifab_efa_engine_add_dev(edev);
	if (ret)
		goto err_unregister_device;
	aifab_efa_debugfs_add(edev);
	platform_set_drvdata(pdev, edev);
	aifab_obj_get(AIFAB_OBJ_EFA_DEV);
	return 0;

err_unregister_device:
	ib_unregister_device(&edev->ibdev);
err_dealloc_device:
	aifab_efa_dev_free(edev);
	return ret;
}

static void aifab_efa_remove_dev(struct platform_device *pdev)
{
	struct aifab_efa_dev *edev = platform_get_drvdata(pdev);

	aifab_efa_debugfs_remove(edev);
	aifab_efa_engine_del_dev(edev);
	/* Waits for, or disassociates, every user of the device. */
	ib_unregister_device(&edev->ibdev);
	aifab_efa_dev_free(edev);
	aifab_obj_put(AIFAB_OBJ_EFA_DEV);
}

static struct platform_driver aifab_efa_driver = {
	.driver = {
		.name = AIFAB_EFA_DRIVER,
		.suppress_bind_attrs = true,
	},
	.probe = aifab_efa_probe,
	AIFAB_PLATFORM_REMOVE(aifab_efa_remove_dev),
};

/* The parent of each device; remembered to remove it. */
struct aifab_efa_parent {
	struct list_head list;
	struct platform_device *pdev;
	u32 id;
	int slot;
};

/* PCI-like slots of the parents, so that a name is never in use twice. */
static DEFINE_IDA(aifab_efa_slots);

static struct platform_device *
aifab_efa_pdev_new(const struct aifab_local_dev *w, int slot)
{
	struct platform_device *pdev;
	char pci_name[24];
	int ret;

	snprintf(pci_name, sizeof(pci_name), "0000:af:%02x.0", slot & 0xff);
	pdev = platform_device_alloc(pci_name, PLATFORM_DEVID_NONE);
	if (!pdev)
		return ERR_PTR(-ENOMEM);
	/* Binds it to the driver whatever its name. */
	ret = aifab_platform_override(pdev, AIFAB_EFA_DRIVER);
	/* Before it is added, so that udev finds them with the device. */
	pdev->dev.groups = aifab_uevent_groups;
	if (!ret)
		ret = platform_device_add_data(pdev, w, sizeof(*w));
	if (!ret)
		ret = platform_device_add(pdev);
	if (ret) {
		platform_device_put(pdev);
		return ERR_PTR(ret);
	}
	return pdev;
}

static int aifab_efa_create(const struct aifab_local_dev *w)
{
	struct aifab_efa_parent *parent;
	int ret;

	parent = kzalloc(sizeof(*parent), GFP_KERNEL);
	if (!parent)
		return -ENOMEM;
	parent->slot = ida_alloc_max(&aifab_efa_slots, 255, GFP_KERNEL);
	if (parent->slot < 0) {
		ret = parent->slot;
		goto err_free_parent;
	}
	parent->pdev = aifab_efa_pdev_new(w, parent->slot);
	ret = PTR_ERR_OR_ZERO(parent->pdev);
	if (ret)
		goto err_free_slot;
	/* Probing is synchronous: no driver data means it failed. */
	if (!platform_get_drvdata(parent->pdev)) {
		ret = -ENODEV;
		goto err_unregister_pdev;
	}
	parent->id = w->id;
	list_add_tail(&parent->list, &aifab_efa_devs);
	return 0;

err_unregister_pdev:
	platform_device_unregister(parent->pdev);
err_free_slot:
	ida_free(&aifab_efa_slots, parent->slot);
err_free_parent:
	kfree(parent);
	return ret;
}

static void aifab_efa_destroy(struct aifab_efa_parent *parent)
{
	list_del(&parent->list);
	platform_device_unregister(parent->pdev);
	ida_free(&aifab_efa_slots, parent->slot);
	kfree(parent);
}

static bool aifab_efa_exists(u32 id)
{
	struct aifab_efa_parent *parent;

	list_for_each_entry(parent, &aifab_efa_devs, list)
		if (parent->id == id)
			return true;
	return false;
}

/**
 * aifab_efa_sync() - give each local EFA device of the fabric its RDMA device
 * @fab: the fabric
 *
 * Removes the RDMA devices of EFA devices that left the fabric and creates
 * those of new ones. Call after the topology changed.
 *
 * Return: 0, or the first error; every device that could be made is.
 */
int aifab_efa_sync(struct aifab_fabric *fab)
{
	struct aifab_efa_parent *parent, *tmp;
	struct aifab_local_dev *want;
	int ret, err;
	u32 i, n;

	mutex_lock(&aifab_efa_lock);
	ret = aifab_fabric_local_devices(fab, AIFAB_DEV_TYPE_EFA, &want, &n);
	if (ret)
		goto out_unlock;
	list_for_each_entry_safe(parent, tmp, &aifab_efa_devs, list)
		if (!aifab_local_dev_listed(want, n, parent->id))
			aifab_efa_destroy(parent);
	for (i = 0; i < n; i++) {
		if (aifab_efa_exists(want[i].id))
			continue;
		err = aifab_efa_create(&want[i]);
		if (err) {
			pr_err("cannot create the RDMA device of %s: %d\n",
			       want[i].name, err);
			ret = ret ?: err;
		}
	}
	kfree(want);
out_unlock:
	mutex_unlock(&aifab_efa_lock);
	return ret;
}

/**
 * aifab_efa_uevent_sync() - announce each device's owner, if it changed
 * @fab: the fabric
 *
 * For aifab_uevent_sync(): calls aifab_uevent_dev() on each device's
 * platform device, under aifab_efa_lock, which keeps the device and
 * its RDMA device and uverbs node registered meanwhile.
 */
void aifab_efa_uevent_sync(struct aifab_fabric *fab)
{
	struct aifab_efa_parent *parent;

	mutex_lock(&aifab_efa_lock);
	list_for_each_entry(parent, &aifab_efa_devs, list)
		aifab_uevent_dev(fab, &parent->pdev->dev, parent->id);
	mutex_unlock(&aifab_efa_lock);
}

/**
 * aifab_efa_init() - register the driver and make the topology's devices
 * @fab: the fabric
 * @debugfs: the module's debugfs directory
 *
 * Return: 0 or a negative errno, with nothing left registered.
 */
int aifab_efa_init(struct aifab_fabric *fab, struct dentry *debugfs)
{
	int ret;

	aifab_efa_fabric = fab;
	aifab_efa_debugfs_init(debugfs);
	ret = aifab_efa_engine_start(fab);
	if (ret)
		return ret;
	ret = platform_driver_register(&aifab_efa_driver);
	if (ret)
		goto err_stop_engine;
	ret = aifab_efa_sync(fab);
	if (ret)
		aifab_efa_exit();
	return ret;

err_stop_engine:
	aifab_efa_engine_stop();
	return ret;
}

/**
 * aifab_efa_exit() - remove every device and the driver, at module unload
 */
void aifab_efa_exit(void)
{
	struct aifab_efa_parent *parent, *tmp;

	mutex_lock(&aifab_efa_lock);
	list_for_each_entry_safe(parent, tmp, &aifab_efa_devs, list)
		aifab_efa_destroy(parent);
	mutex_unlock(&aifab_efa_lock);
	platform_driver_unregister(&aifab_efa_driver);
	aifab_efa_engine_stop();
}
