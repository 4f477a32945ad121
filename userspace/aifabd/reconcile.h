/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One reconcile: snapshot the kernel, plan, apply, and roll back if the
 * kernel refuses a step. Shared by --once and the daemon, so that both
 * decide and report the same way.
 *
 * Every decision is logged (log.h) with its reason: each planned
 * operation at LOG_NOTICE, an empty plan at LOG_DEBUG, failures at
 * LOG_ERR. The same report, as aifabd --once has always printed it, goes
 * to the caller's streams: the plan and success to @out, failures to @err.
 */
#ifndef AIFABD_RECONCILE_H
#define AIFABD_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "daemon_proto.h"
#include "nl.h"
#include "plan.h"

/* How aifabd_reconcile() runs: a mask of these. */
enum aifabd_recon_flags {
	AIFABD_RECON_DRY_RUN	= 1 << 0,	/* plan and report only */
	/*
	 * Fill in act: the daemon's health learns the fabric from it. After
	 * an apply it costs three more dumps, which a single run (aifabd
	 * --once) would only throw away.
	 */
	AIFABD_RECON_ACTUAL	= 1 << 1,
};

struct aifabd_recon {
	enum aifabd_reply_status status;	/* OK, CONFIG (the plan could
						 * not be made), or KERNEL */
	size_t planned;			/* operations in the plan */
	size_t applied;			/* of them, applied and kept */
	bool rolled_back;		/* a failure was fully undone */
	char *error;			/* one line, NULL when it went well */
	/*
	 * The kernel's state afterwards, which health learns the fabric
	 * from: the snapshot the last plan was made from when that plan
	 * changed nothing, else a new one of partitions, fences and links
	 * (no topology or RDMA devices). has_act is false when the kernel
	 * could not be read, or when AIFABD_RECON_ACTUAL was not asked for.
	 */
	struct aifabd_actual act;
	bool has_act;
};

int aifabd_reconcile(struct aifab_nl *nl, const struct aifabd_config *cfg,
		     unsigned int flags, const char *run_dir, FILE *out,
		     FILE *err, struct aifabd_recon *r);
void aifabd_recon_free(struct aifabd_recon *r);

#endif /* AIFABD_RECONCILE_H */
