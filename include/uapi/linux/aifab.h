/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * aifab: the fabric model and its generic netlink family, "aifab".
 *
 * The family is specified in aifab.yaml, next to this header; the two
 * must agree (make lint checks). Conventions:
 * - Every command and attribute id starts at 1; 0 is never used.
 * - Objects are named by their names in requests; ids are reported for
 *   reference and stay stable for the object's life.
 * - Requests are validated strictly: unknown attributes, wrong types and
 *   out-of-range values are refused with an extack message.
 * - Commands that change anything need CAP_NET_ADMIN.
 * - Dumps are consistent: a change during a dump sets NLM_F_DUMP_INTR.
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

/**
 * enum aifab_admin_state - state an operator asks a link or a partition to
 *	be in
 * @AIFAB_ADMIN_STATE_UP: the link or partition may carry traffic
 * @AIFAB_ADMIN_STATE_DOWN: the link is forced down; the partition carries
 *	no traffic
 */
enum aifab_admin_state {
	AIFAB_ADMIN_STATE_UP = 1,
	AIFAB_ADMIN_STATE_DOWN,
};

/**
 * enum aifab_route_reason - why the fabric refuses a route
 * @AIFAB_ROUTE_REASON_FENCE: the two devices are in different partitions
 *	and no fence allows that pair of partitions
 * @AIFAB_ROUTE_REASON_UNPARTITIONED: one device is in a partition and the
 *	other is in none
 * @AIFAB_ROUTE_REASON_NO_PATH: no chain of up or degraded links joins the
 *	two devices
 * @AIFAB_ROUTE_REASON_PARTITION_DOWN: one device, or both, is in a
 *	partition whose admin state is %AIFAB_ADMIN_STATE_DOWN
 */
enum aifab_route_reason {
	AIFAB_ROUTE_REASON_FENCE = 1,
	AIFAB_ROUTE_REASON_UNPARTITIONED,
	AIFAB_ROUTE_REASON_NO_PATH,
	AIFAB_ROUTE_REASON_PARTITION_DOWN,
};

/**
 * enum aifab_partition_event - what happened to a partition
 * @AIFAB_PARTITION_EVENT_NEW: it was created
 * @AIFAB_PARTITION_EVENT_DEL: it was deleted
 * @AIFAB_PARTITION_EVENT_CHANGE: devices joined or left it, or its network
 *	namespace binding or admin state changed. A PARTITION_SET that finds
 *	every value it names already in place changes nothing and sends none
 */
enum aifab_partition_event {
	AIFAB_PARTITION_EVENT_NEW = 1,
	AIFAB_PARTITION_EVENT_DEL,
	AIFAB_PARTITION_EVENT_CHANGE,
};

/**
 * enum aifab_dev_event - what happened to a device
 * @AIFAB_DEV_EVENT_NEW: it appeared, with a topology change
 * @AIFAB_DEV_EVENT_DEL: it vanished, with a topology change
 */
enum aifab_dev_event {
	AIFAB_DEV_EVENT_NEW = 1,
	AIFAB_DEV_EVENT_DEL,
};

#define AIFAB_FAMILY_NAME	"aifab"
#define AIFAB_FAMILY_VERSION	1
#define AIFAB_MCGRP_MONITOR	"monitor"

/**
 * enum aifab_a_node - attributes of a node
 * @AIFAB_A_NODE_ID: u32, the node's id
 * @AIFAB_A_NODE_NAME: string, the node's name
 * @AIFAB_A_NODE_LOCAL: u8, 1 for the host the module runs on
 * @__AIFAB_A_NODE_MAX: one past the last attribute
 * @AIFAB_A_NODE_MAX: the last attribute
 */
enum aifab_a_node {
	AIFAB_A_NODE_ID = 1,
	AIFAB_A_NODE_NAME,
	AIFAB_A_NODE_LOCAL,

	__AIFAB_A_NODE_MAX,
	AIFAB_A_NODE_MAX = __AIFAB_A_NODE_MAX - 1
};

/**
 * enum aifab_a_dev - attributes of a device
 * @AIFAB_A_DEV_ID: u32, the device's id
 * @AIFAB_A_DEV_NAME: string, the device's name; selects it in requests
 * @AIFAB_A_DEV_TYPE: u32, &enum aifab_dev_type
 * @AIFAB_A_DEV_NODE: string, the name of the node the device is on
 * @AIFAB_A_DEV_LOCAL: u8, 1 when the device is on the local node
 * @AIFAB_A_DEV_PARTITION: string, the partition the device is in; absent
 *	when it is in none
 * @AIFAB_A_DEV_MEM_BYTES: u64, memory capacity of an accelerator
 * @AIFAB_A_DEV_PAD: padding for 64-bit attributes; never carries data
 * @AIFAB_A_DEV_DEV_NODE: string, the device node of a local device
 *	(/dev/accel/accelN, or /dev/dri/renderDN on kernels without DRM
 *	accel); absent when it has none
 * @AIFAB_A_DEV_MEM_USED: u64, bytes of a local accelerator's memory held
 *	by buffer objects
 * @AIFAB_A_DEV_MEM_PEAK: u64, the highest @AIFAB_A_DEV_MEM_USED since the
 *	device node was created
 * @AIFAB_A_DEV_JOBS_COMPLETED: u64, jobs a local accelerator finished
 *	without error
 * @AIFAB_A_DEV_JOBS_FAILED: u64, jobs a local accelerator finished with
 *	an error, timeouts included
 * @AIFAB_A_DEV_OPEN_COUNT: u32, files open on the local device; its
 *	partition membership cannot change while any is
 * @AIFAB_A_DEV_EVENT: u32, &enum aifab_dev_event, in DEV_NTF only
 * @__AIFAB_A_DEV_MAX: one past the last attribute
 * @AIFAB_A_DEV_MAX: the last attribute
 */
enum aifab_a_dev {
	AIFAB_A_DEV_ID = 1,
	AIFAB_A_DEV_NAME,
	AIFAB_A_DEV_TYPE,
	AIFAB_A_DEV_NODE,
	AIFAB_A_DEV_LOCAL,
	AIFAB_A_DEV_PARTITION,
	AIFAB_A_DEV_MEM_BYTES,
	AIFAB_A_DEV_PAD,
	AIFAB_A_DEV_DEV_NODE,
	AIFAB_A_DEV_MEM_USED,
	AIFAB_A_DEV_MEM_PEAK,
	AIFAB_A_DEV_JOBS_COMPLETED,
	AIFAB_A_DEV_JOBS_FAILED,
	AIFAB_A_DEV_OPEN_COUNT,
	AIFAB_A_DEV_EVENT,

	__AIFAB_A_DEV_MAX,
	AIFAB_A_DEV_MAX = __AIFAB_A_DEV_MAX - 1
};

/**
 * enum aifab_a_link - attributes of a link
 * @AIFAB_A_LINK_ID: u32, the link's id
 * @AIFAB_A_LINK_NAME: string, the link's name; selects it in requests
 * @AIFAB_A_LINK_KIND: u32, &enum aifab_link_kind
 * @AIFAB_A_LINK_A: string, the name of the device at one end
 * @AIFAB_A_LINK_B: string, the name of the device at the other end
 * @AIFAB_A_LINK_STATE: u32, &enum aifab_link_state, the operational state
 * @AIFAB_A_LINK_ADMIN_STATE: u32, &enum aifab_admin_state; settable
 * @AIFAB_A_LINK_SPEED_MBPS: u32, nominal bandwidth in Mbit/s
 * @AIFAB_A_LINK_DROP_PCT: u32, 0-100: fault injection, the share of
 *	packets the link loses; settable
 * @AIFAB_A_LINK_CORRUPT_PCT: u32, 0-100: fault injection, the share of
 *	packets that arrive corrupted (and are detected); settable
 * @AIFAB_A_LINK_FLAP_MS: u32, 0 or 10-3600000: fault injection, the link
 *	goes down and up again every this many milliseconds; 0 stops it;
 *	settable
 * @AIFAB_A_LINK_DEGRADE_PPM: u32, 0-1000000: the error rate, in errors per
 *	million packets over one health interval (250 ms) with traffic, above
 *	which the link is marked degraded, and at or below which it is up
 *	again; an idle interval changes nothing; 0 never degrades it; settable
 * @__AIFAB_A_LINK_MAX: one past the last attribute
 * @AIFAB_A_LINK_MAX: the last attribute
 */
enum aifab_a_link {
	AIFAB_A_LINK_ID = 1,
	AIFAB_A_LINK_NAME,
	AIFAB_A_LINK_KIND,
	AIFAB_A_LINK_A,
	AIFAB_A_LINK_B,
	AIFAB_A_LINK_STATE,
	AIFAB_A_LINK_ADMIN_STATE,
	AIFAB_A_LINK_SPEED_MBPS,
	AIFAB_A_LINK_DROP_PCT,
	AIFAB_A_LINK_CORRUPT_PCT,
	AIFAB_A_LINK_FLAP_MS,
	AIFAB_A_LINK_DEGRADE_PPM,

	__AIFAB_A_LINK_MAX,
	AIFAB_A_LINK_MAX = __AIFAB_A_LINK_MAX - 1
};

/**
 * enum aifab_a_partition - attributes of a partition
 * @AIFAB_A_PARTITION_ID: u32, the partition's id
 * @AIFAB_A_PARTITION_NAME: string, the partition's name; selects it
 * @AIFAB_A_PARTITION_TENANT: string, the tenant that owns the partition
 * @AIFAB_A_PARTITION_DEV: string, repeated: a member device's name. In
 *	PARTITION_NEW, the initial members
 * @AIFAB_A_PARTITION_DEV_ADD: string, repeated, PARTITION_SET only: a
 *	device to add
 * @AIFAB_A_PARTITION_DEV_DEL: string, repeated, PARTITION_SET only: a
 *	device to remove
 * @AIFAB_A_PARTITION_EVENT: u32, &enum aifab_partition_event, in
 *	PARTITION_NTF only
 * @AIFAB_A_PARTITION_NETNS_FD: s32, PARTITION_NEW and PARTITION_SET: a
 *	file descriptor of a network namespace; the partition's devices then
 *	open only from that namespace (others get EACCES). -1 unbinds.
 *	Refused while a member device is open
 * @AIFAB_A_PARTITION_NETNS_COOKIE: u64, the cookie (SO_NETNS_COOKIE) of
 *	the namespace the partition is bound to; absent when not bound
 * @AIFAB_A_PARTITION_PAD: padding for 64-bit attributes; never carries data
 * @AIFAB_A_PARTITION_ADMIN_STATE: u32, &enum aifab_admin_state: whether the
 *	partition carries traffic. In every reply and PARTITION_NTF; settable
 *	in PARTITION_NEW (%AIFAB_ADMIN_STATE_UP when absent) and
 *	PARTITION_SET. While it is %AIFAB_ADMIN_STATE_DOWN, every route to or
 *	from a member device is refused with
 *	%AIFAB_ROUTE_REASON_PARTITION_DOWN; the devices still open
 * @AIFAB_A_PARTITION_SCRUB_BYTES: u64, in PARTITION_NTF of an event in
 *	which devices left the partition: every %AIFAB_PARTITION_EVENT_DEL,
 *	and the %AIFAB_PARTITION_EVENT_CHANGE of a PARTITION_SET that removed
 *	devices. The bytes that request zeroed in the buffer objects that
 *	outlived their files on the accelerators that left; 0 when none was
 *	alive or no accelerator left (an EFA device has nothing to zero).
 *	Absent from other events. Deleting a partition, and removing an
 *	accelerator from one, zero every live buffer object of the
 *	accelerator before the request returns, so no byte reaches the
 *	device's next tenant
 * @__AIFAB_A_PARTITION_MAX: one past the last attribute
 * @AIFAB_A_PARTITION_MAX: the last attribute
 */
enum aifab_a_partition {
	AIFAB_A_PARTITION_ID = 1,
	AIFAB_A_PARTITION_NAME,
	AIFAB_A_PARTITION_TENANT,
	AIFAB_A_PARTITION_DEV,
	AIFAB_A_PARTITION_DEV_ADD,
	AIFAB_A_PARTITION_DEV_DEL,
	AIFAB_A_PARTITION_EVENT,
	AIFAB_A_PARTITION_NETNS_FD,
	AIFAB_A_PARTITION_NETNS_COOKIE,
	AIFAB_A_PARTITION_PAD,
	AIFAB_A_PARTITION_ADMIN_STATE,
	AIFAB_A_PARTITION_SCRUB_BYTES,

	__AIFAB_A_PARTITION_MAX,
	AIFAB_A_PARTITION_MAX = __AIFAB_A_PARTITION_MAX - 1
};

/**
 * enum aifab_a_fence - attributes of a fence, a rule that lets traffic
 *	cross between two partitions, both ways
 * @AIFAB_A_FENCE_PART_A: string, one partition's name
 * @AIFAB_A_FENCE_PART_B: string, the other partition's name
 * @__AIFAB_A_FENCE_MAX: one past the last attribute
 * @AIFAB_A_FENCE_MAX: the last attribute
 */
enum aifab_a_fence {
	AIFAB_A_FENCE_PART_A = 1,
	AIFAB_A_FENCE_PART_B,

	__AIFAB_A_FENCE_MAX,
	AIFAB_A_FENCE_MAX = __AIFAB_A_FENCE_MAX - 1
};

/**
 * enum aifab_a_route - attributes of a route query and its answer
 * @AIFAB_A_ROUTE_SRC: string, the source device's name
 * @AIFAB_A_ROUTE_DST: string, the destination device's name
 * @AIFAB_A_ROUTE_ALLOWED: u8, 1 when traffic may flow
 * @AIFAB_A_ROUTE_REASON: u32, &enum aifab_route_reason, when refused
 * @AIFAB_A_ROUTE_DEGRADED: u8, 1 when the path uses a degraded link
 * @AIFAB_A_ROUTE_HOP: nest, repeated in path order: &enum aifab_a_hop
 * @AIFAB_A_ROUTE_SRC_PARTITION: string, the source's partition, if any
 * @AIFAB_A_ROUTE_DST_PARTITION: string, the destination's partition, if any
 * @__AIFAB_A_ROUTE_MAX: one past the last attribute
 * @AIFAB_A_ROUTE_MAX: the last attribute
 */
enum aifab_a_route {
	AIFAB_A_ROUTE_SRC = 1,
	AIFAB_A_ROUTE_DST,
	AIFAB_A_ROUTE_ALLOWED,
	AIFAB_A_ROUTE_REASON,
	AIFAB_A_ROUTE_DEGRADED,
	AIFAB_A_ROUTE_HOP,
	AIFAB_A_ROUTE_SRC_PARTITION,
	AIFAB_A_ROUTE_DST_PARTITION,

	__AIFAB_A_ROUTE_MAX,
	AIFAB_A_ROUTE_MAX = __AIFAB_A_ROUTE_MAX - 1
};

/**
 * enum aifab_a_hop - one hop of a route
 * @AIFAB_A_HOP_LINK: string, the link's name
 * @AIFAB_A_HOP_FROM: string, the device the hop leaves
 * @AIFAB_A_HOP_TO: string, the device the hop reaches
 * @AIFAB_A_HOP_STATE: u32, &enum aifab_link_state of the link
 * @__AIFAB_A_HOP_MAX: one past the last attribute
 * @AIFAB_A_HOP_MAX: the last attribute
 */
enum aifab_a_hop {
	AIFAB_A_HOP_LINK = 1,
	AIFAB_A_HOP_FROM,
	AIFAB_A_HOP_TO,
	AIFAB_A_HOP_STATE,

	__AIFAB_A_HOP_MAX,
	AIFAB_A_HOP_MAX = __AIFAB_A_HOP_MAX - 1
};

/**
 * enum aifab_a_violation - attributes of a fence-violation event
 * @AIFAB_A_VIOLATION_SRC: string, the source device's name
 * @AIFAB_A_VIOLATION_DST: string, the destination device's name
 * @AIFAB_A_VIOLATION_SRC_PARTITION: string, the source's partition; absent
 *	when it is in none
 * @AIFAB_A_VIOLATION_DST_PARTITION: string, the destination's partition;
 *	absent when it is in none
 * @AIFAB_A_VIOLATION_REASON: u32, &enum aifab_route_reason
 * @AIFAB_A_VIOLATION_SUPPRESSED: u32, events dropped by rate limiting since
 *	the previous one was sent
 * @__AIFAB_A_VIOLATION_MAX: one past the last attribute
 * @AIFAB_A_VIOLATION_MAX: the last attribute
 */
enum aifab_a_violation {
	AIFAB_A_VIOLATION_SRC = 1,
	AIFAB_A_VIOLATION_DST,
	AIFAB_A_VIOLATION_SRC_PARTITION,
	AIFAB_A_VIOLATION_DST_PARTITION,
	AIFAB_A_VIOLATION_REASON,
	AIFAB_A_VIOLATION_SUPPRESSED,

	__AIFAB_A_VIOLATION_MAX,
	AIFAB_A_VIOLATION_MAX = __AIFAB_A_VIOLATION_MAX - 1
};

/**
 * enum aifab_a_stats - attributes of a set of counters
 * @AIFAB_A_STATS_DEV: string, the device the counters are of
 * @AIFAB_A_STATS_LINK: string, the link the counters are of
 * @AIFAB_A_STATS_COUNTER: nest, repeated: &enum aifab_a_counter
 * @__AIFAB_A_STATS_MAX: one past the last attribute
 * @AIFAB_A_STATS_MAX: the last attribute
 *
 * A request names at most one of @AIFAB_A_STATS_DEV and
 * @AIFAB_A_STATS_LINK; a dump returns every device and every link.
 */
enum aifab_a_stats {
	AIFAB_A_STATS_DEV = 1,
	AIFAB_A_STATS_LINK,
	AIFAB_A_STATS_COUNTER,

	__AIFAB_A_STATS_MAX,
	AIFAB_A_STATS_MAX = __AIFAB_A_STATS_MAX - 1
};

/**
 * enum aifab_a_counter - one counter
 * @AIFAB_A_COUNTER_NAME: string, the counter's name, stable across releases
 * @AIFAB_A_COUNTER_VALUE: u64, its value
 * @AIFAB_A_COUNTER_PAD: padding for the 64-bit value; never carries data
 * @__AIFAB_A_COUNTER_MAX: one past the last attribute
 * @AIFAB_A_COUNTER_MAX: the last attribute
 */
enum aifab_a_counter {
	AIFAB_A_COUNTER_NAME = 1,
	AIFAB_A_COUNTER_VALUE,
	AIFAB_A_COUNTER_PAD,

	__AIFAB_A_COUNTER_MAX,
	AIFAB_A_COUNTER_MAX = __AIFAB_A_COUNTER_MAX - 1
};

/**
 * enum aifab_a_topology - a whole topology, for TOPOLOGY_SET
 * @AIFAB_A_TOPOLOGY_NODE: nest, repeated: a node, &enum aifab_a_node
 *	(NAME, LOCAL)
 * @AIFAB_A_TOPOLOGY_DEV: nest, repeated: a device, &enum aifab_a_dev
 *	(NAME, TYPE, NODE; MEM_BYTES for an accelerator)
 * @AIFAB_A_TOPOLOGY_LINK: nest, repeated: a link, &enum aifab_a_link
 *	(NAME, KIND, A, B, SPEED_MBPS)
 * @__AIFAB_A_TOPOLOGY_MAX: one past the last attribute
 * @AIFAB_A_TOPOLOGY_MAX: the last attribute
 */
enum aifab_a_topology {
	AIFAB_A_TOPOLOGY_NODE = 1,
	AIFAB_A_TOPOLOGY_DEV,
	AIFAB_A_TOPOLOGY_LINK,

	__AIFAB_A_TOPOLOGY_MAX,
	AIFAB_A_TOPOLOGY_MAX = __AIFAB_A_TOPOLOGY_MAX - 1
};

/**
 * enum aifab_cmd - commands of the aifab family
 * @AIFAB_CMD_NODE_GET: get one node (by name) or dump all; &enum aifab_a_node
 * @AIFAB_CMD_DEV_GET: get one device or dump all; &enum aifab_a_dev
 * @AIFAB_CMD_LINK_GET: get one link or dump all; &enum aifab_a_link
 * @AIFAB_CMD_LINK_SET: change a link's settable attributes: admin state,
 *	fault injection and degrade threshold (admin)
 * @AIFAB_CMD_PARTITION_GET: get one partition or dump all;
 *	&enum aifab_a_partition
 * @AIFAB_CMD_PARTITION_NEW: create a partition, optionally with devices
 *	(admin)
 * @AIFAB_CMD_PARTITION_DEL: delete a partition, releasing its devices with
 *	their accelerators' memory zeroed (admin)
 * @AIFAB_CMD_PARTITION_SET: add and remove devices, atomically, and change
 *	the network namespace binding and the admin state (admin)
 * @AIFAB_CMD_FENCE_GET: dump fences; &enum aifab_a_fence
 * @AIFAB_CMD_FENCE_NEW: allow traffic between two partitions (admin)
 * @AIFAB_CMD_FENCE_DEL: remove that permission (admin)
 * @AIFAB_CMD_ROUTE_GET: ask whether and how traffic may go from one device
 *	to another; &enum aifab_a_route
 * @AIFAB_CMD_LINK_STATE_NTF: event: a link's operational state changed;
 *	&enum aifab_a_link
 * @AIFAB_CMD_FENCE_VIOLATION_NTF: event: traffic was refused;
 *	&enum aifab_a_violation
 * @AIFAB_CMD_PARTITION_NTF: event: a partition was created, changed or
 *	deleted; &enum aifab_a_partition
 * @AIFAB_CMD_STATS_GET: get the counters of one device or link, or dump
 *	all; &enum aifab_a_stats
 * @AIFAB_CMD_TOPOLOGY_SET: replace every node, device and link at once,
 *	or change nothing when any part is invalid; refused while a
 *	partition exists (admin); &enum aifab_a_topology
 * @AIFAB_CMD_DEV_NTF: event: a device appeared or vanished with a
 *	topology change; &enum aifab_a_dev
 * @__AIFAB_CMD_MAX: one past the last command
 * @AIFAB_CMD_MAX: the last command
 */
enum aifab_cmd {
	AIFAB_CMD_NODE_GET = 1,
	AIFAB_CMD_DEV_GET,
	AIFAB_CMD_LINK_GET,
	AIFAB_CMD_LINK_SET,
	AIFAB_CMD_PARTITION_GET,
	AIFAB_CMD_PARTITION_NEW,
	AIFAB_CMD_PARTITION_DEL,
	AIFAB_CMD_PARTITION_SET,
	AIFAB_CMD_FENCE_GET,
	AIFAB_CMD_FENCE_NEW,
	AIFAB_CMD_FENCE_DEL,
	AIFAB_CMD_ROUTE_GET,
	AIFAB_CMD_LINK_STATE_NTF,
	AIFAB_CMD_FENCE_VIOLATION_NTF,
	AIFAB_CMD_PARTITION_NTF,
	AIFAB_CMD_STATS_GET,
	AIFAB_CMD_TOPOLOGY_SET,
	AIFAB_CMD_DEV_NTF,

	__AIFAB_CMD_MAX,
	AIFAB_CMD_MAX = __AIFAB_CMD_MAX - 1
};

#endif /* _UAPI_LINUX_AIFAB_H */
