/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What aifabd's health glue asks the kernel: the route between two
 * devices, and a partition's admin state. Kept apart from health.c so that
 * the policy engine's two kernel functions (policy.h) are thin wrappers
 * over these. The links and partitions come from the reconcile's snapshot
 * (snapshot.h), not from here.
 */
#ifndef AIFABD_HEALTH_NL_H
#define AIFABD_HEALTH_NL_H

#include <stdbool.h>

#include "nl.h"
#include "policy.h"

int aifabd_hnl_route(struct aifab_nl *nl, const char *src, const char *dst,
		     struct aifabd_route *rt);
int aifabd_hnl_set_admin(struct aifab_nl *nl, const char *partition,
			 bool up);

#endif /* AIFABD_HEALTH_NL_H */
