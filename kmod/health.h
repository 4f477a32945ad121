/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Link health: administrative state, fault injection (drop, corrupt,
 * flap), the error-rate check that degrades a link, and the packet-level
 * transfer that every data path uses to cross links.
 */
#ifndef _AIFAB_HEALTH_H
#define _AIFAB_HEALTH_H

#include <linux/types.h>

#include <linux/aifab.h>

struct aifab_fabric;
struct aifab_link;
struct aifab_route;
struct netlink_ext_ack;

/* How often the error rate of every link is checked. */
#define AIFAB_HEALTH_INTERVAL_MS	250
/* A packet lost or corrupted on a link is sent again this many times. */
#define AIFAB_XMIT_RETRIES		8
/* Transfers cross links in packets of at most this many bytes. */
#define AIFAB_PACKET_BYTES		4096
#define AIFAB_FLAP_MIN_MS		10
#define AIFAB_FLAP_MAX_MS		3600000
#define AIFAB_DEGRADE_MAX_PPM		1000000

/* Which members of struct aifab_link_config a request sets. */
#define AIFAB_LINK_SET_ADMIN		BIT(0)
#define AIFAB_LINK_SET_DROP		BIT(1)
#define AIFAB_LINK_SET_CORRUPT		BIT(2)
#define AIFAB_LINK_SET_FLAP		BIT(3)
#define AIFAB_LINK_SET_DEGRADE		BIT(4)

/**
 * struct aifab_link_config - what a LINK_SET request asks for
 * @set: AIFAB_LINK_SET_* bits: the members below that apply
 * @admin: administrative state
 * @drop_pct: share of packets to lose, 0-100
 * @corrupt_pct: share of packets to corrupt, 0-100
 * @flap_ms: flap period, 0 or %AIFAB_FLAP_MIN_MS-%AIFAB_FLAP_MAX_MS
 * @degrade_ppm: degrade threshold, 0-%AIFAB_DEGRADE_MAX_PPM
 */
struct aifab_link_config {
	u32 set;
	enum aifab_admin_state admin;
	u32 drop_pct;
	u32 corrupt_pct;
	u32 flap_ms;
	u32 degrade_ppm;
};

void aifab_health_start(struct aifab_fabric *fab);
void aifab_health_stop(struct aifab_fabric *fab);
int aifab_link_set(struct aifab_fabric *fab, const char *name,
		   const struct aifab_link_config *cfg,
		   struct netlink_ext_ack *extack);
int aifab_fabric_transfer(struct aifab_fabric *fab, u32 src_id, u32 dst_id,
			  u64 bytes, struct aifab_route *rt);

#endif /* _AIFAB_HEALTH_H */
