/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What aifabd's health glue asks the kernel: the links and partitions as
 * they are, the route between two devices, and a partition's admin state.
 * Kept apart from health.c so that the policy engine's two kernel
 * functions (policy.h) are thin wrappers over these.
 */
#ifndef AIFABD_HEALTH_NL_H
#define AIFABD_HEALTH_NL_H

#include <stdbool.h>
#include <stddef.h>

#include "nl.h"
#include "policy.h"

struct aifabd_hnl_link {
	aifabd_pname_t name;
	enum aifab_link_state state;
};

struct aifabd_hnl_part {
	aifabd_pname_t name;
	aifabd_pname_t tenant;
	aifabd_pname_t *devs;
	size_t ndevs;
	bool admin_down;
};

/* The kernel's links and partitions, from their dumps. */
struct aifabd_hnl_fabric {
	struct aifabd_hnl_link *links;
	size_t nlinks;
	size_t cap_links;
	struct aifabd_hnl_part *parts;
	size_t nparts;
	size_t cap_parts;
};

int aifabd_hnl_fabric(struct aifab_nl *nl, struct aifabd_hnl_fabric *fab);
void aifabd_hnl_fabric_free(struct aifabd_hnl_fabric *fab);
int aifabd_hnl_route(struct aifab_nl *nl, const char *src, const char *dst,
		     struct aifabd_route *rt);
int aifabd_hnl_set_admin(struct aifab_nl *nl, const char *partition,
			 bool up);

#endif /* AIFABD_HEALTH_NL_H */
