// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware counters of an EFA-compatible device, under the names
 * Linux's efa driver gives them, so that `rdma statistic` and tools made
 * for EFA read them unchanged. They are per port (EFA has one). The
 * engine's own counters, which EFA has no names for, come after them and
 * show in debugfs only.
 */
#include <linux/kernel.h>
#include <rdma/ib_verbs.h>

#include "efa.h"

static const struct rdma_stat_desc aifab_efa_stat_descs[] = {
	[AIFAB_EFA_STAT_TX_BYTES].name = "tx_bytes",
	[AIFAB_EFA_STAT_TX_PKTS].name = "tx_pkts",
	[AIFAB_EFA_STAT_RX_BYTES].name = "rx_bytes",
	[AIFAB_EFA_STAT_RX_PKTS].name = "rx_pkts",
	[AIFAB_EFA_STAT_RX_DROPS].name = "rx_drops",
	[AIFAB_EFA_STAT_SEND_BYTES].name = "send_bytes",
	[AIFAB_EFA_STAT_SEND_WRS].name = "send_wrs",
	[AIFAB_EFA_STAT_RECV_BYTES].name = "recv_bytes",
	[AIFAB_EFA_STAT_RECV_WRS].name = "recv_wrs",
	[AIFAB_EFA_STAT_RDMA_READ_WRS].name = "rdma_read_wrs",
	[AIFAB_EFA_STAT_RDMA_READ_BYTES].name = "rdma_read_bytes",
	[AIFAB_EFA_STAT_RDMA_READ_WR_ERR].name = "rdma_read_wr_err",
	[AIFAB_EFA_STAT_RDMA_READ_RESP_BYTES].name = "rdma_read_resp_bytes",
	[AIFAB_EFA_STAT_RETRANS_BYTES].name = "retrans_bytes",
	[AIFAB_EFA_STAT_RETRANS_PKTS].name = "retrans_pkts",
	[AIFAB_EFA_STAT_RETRANS_TIMEOUT_EVENTS].name = "retrans_timeout_events",
	[AIFAB_EFA_STAT_UNRESPONSIVE_REMOTE_EVENTS].name =
		"unresponsive_remote_events",
	[AIFAB_EFA_STAT_IMPAIRED_REMOTE_CONN_EVENTS].name =
		"impaired_remote_conn_events",
	[AIFAB_EFA_STAT_ENGINE_COPIED_BYTES].name = "engine_copied_bytes",
	[AIFAB_EFA_STAT_ENGINE_WQES].name = "engine_wqes",
	[AIFAB_EFA_STAT_ENGINE_QP_ERRORS].name = "engine_qp_errors",
};

static_assert(ARRAY_SIZE(aifab_efa_stat_descs) == AIFAB_EFA_STAT_COUNT);
/* The counters with EFA's names come first. */
#define AIFAB_EFA_HW_STATS	(AIFAB_EFA_STAT_IMPAIRED_REMOTE_CONN_EVENTS + 1)

/**
 * aifab_efa_stat_name() - a counter's name
 * @stat: the counter
 *
 * Return: the name.
 */
const char *aifab_efa_stat_name(enum aifab_efa_stat stat)
{
	return aifab_efa_stat_descs[stat].name;
}

/**
 * aifab_efa_alloc_port_stats() - ib_core's alloc_hw_port_stats
 * @ibdev: the device
 * @port: its port, 1
 *
 * Return: the counters' descriptions, or NULL.
 */
struct rdma_hw_stats *aifab_efa_alloc_port_stats(struct ib_device *ibdev,
						 u32 port)
{
	return rdma_alloc_hw_stats_struct(aifab_efa_stat_descs,
					  AIFAB_EFA_HW_STATS,
					  RDMA_HW_STATS_DEFAULT_LIFESPAN);
}

/**
 * aifab_efa_get_hw_stats() - ib_core's get_hw_stats: read every counter
 * @ibdev: the device
 * @stats: where the values go
 * @port: its port, 1
 * @index: the counter asked for; all are read anyway
 *
 * Return: how many counters were read.
 */
int aifab_efa_get_hw_stats(struct ib_device *ibdev,
			   struct rdma_hw_stats *stats, u32 port, int index)
{
	struct aifab_efa_dev *edev = to_aifab_efa_dev(ibdev);
	int i;

	for (i = 0; i < AIFAB_EFA_HW_STATS; i++)
		stats->value[i] = atomic64_read(&edev->stats[i]);
	return AIFAB_EFA_HW_STATS;
}
