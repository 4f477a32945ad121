/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Carrying out a plan (plan.h) over netlink, one request per operation, in
 * the plan's order.
 *
 * The first refused operation stops the apply, and the result says which
 * one it was, with the kernel's error and extack message. What came before
 * it stays applied: there is no rollback yet (issue 6, step 3). The
 * planner's order keeps every intermediate state valid, and a new
 * snapshot and plan start again from wherever the kernel is.
 */
#ifndef AIFABD_APPLY_H
#define AIFABD_APPLY_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "nl.h"
#include "plan.h"

struct aifabd_apply_result {
	size_t done;			/* operations applied */
	int err;			/* 0, or the failed one's errno (< 0) */
	char msg[256];			/* the kernel's extack message, or "" */
};

int aifabd_apply(struct aifab_nl *nl, const struct aifabd_config *cfg,
		 const struct aifabd_plan *plan,
		 struct aifabd_apply_result *res);
int aifabd_apply_req(const struct aifabd_op *op, struct aifab_nl_req *req,
		     int *nsfd);
void aifabd_apply_report(FILE *f, const struct aifabd_plan *plan,
			 const struct aifabd_apply_result *res);

#endif /* AIFABD_APPLY_H */
