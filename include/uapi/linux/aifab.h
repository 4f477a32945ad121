/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * aifab: fabric model constants shared by the kernel module and userspace.
 *
 * The generic netlink family that carries these values is defined with the
 * fabric control plane; this header holds the object vocabulary it uses.
 */
#ifndef _UAPI_LINUX_AIFAB_H
#define _UAPI_LINUX_AIFAB_H

/**
 * AIFAB_NAME_MAX - size of an object name buffer, including the final NUL
 *
 * Node, device, link, partition and tenant names are 1 to
 * AIFAB_NAME_MAX - 1 bytes drawn from [a-zA-Z0-9_.-].
 */
#define AIFAB_NAME_MAX 32

/**
 * enum aifab_dev_type - kind of a fabric device
 * @AIFAB_DEV_TYPE_ACCEL: accelerator (DRM accel device when local)
 * @AIFAB_DEV_TYPE_EFA: RDMA device speaking the EFA user ABI (when local)
 */
enum aifab_dev_type {
	AIFAB_DEV_TYPE_ACCEL = 1,
	AIFAB_DEV_TYPE_EFA,
};

/**
 * enum aifab_link_kind - what a link connects
 * @AIFAB_LINK_KIND_ACCEL: accelerator-to-accelerator interconnect
 * @AIFAB_LINK_KIND_AFFINITY: accelerator-to-NIC affinity (the PCIe path)
 * @AIFAB_LINK_KIND_NET: NIC-to-NIC path across the network
 */
enum aifab_link_kind {
	AIFAB_LINK_KIND_ACCEL = 1,
	AIFAB_LINK_KIND_AFFINITY,
	AIFAB_LINK_KIND_NET,
};

/**
 * enum aifab_link_state - operational state of a link
 * @AIFAB_LINK_STATE_UP: carries traffic
 * @AIFAB_LINK_STATE_DOWN: carries nothing
 * @AIFAB_LINK_STATE_DEGRADED: carries traffic, but its error rate is over
 *	its threshold
 */
enum aifab_link_state {
	AIFAB_LINK_STATE_UP = 1,
	AIFAB_LINK_STATE_DOWN,
	AIFAB_LINK_STATE_DEGRADED,
};

#endif /* _UAPI_LINUX_AIFAB_H */
