/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Carrying out a plan (plan.h) over netlink, one request per operation, in
 * the plan's order.
 *
 * The first refused operation stops the apply, and the result says which
 * one it was, with the kernel's error and extack message. The operations
 * applied before it are then undone, last first (undo.h), so that a
 * refused plan leaves the kernel as it was; the report says what was
 * rolled back and what, if anything, could not be.
 *
 * How an operation reaches the kernel is a table of functions, so that the
 * unit tests can make any operation fail and watch the rollback.
 */
#ifndef AIFABD_APPLY_H
#define AIFABD_APPLY_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "nl.h"
#include "plan.h"

#include "undo.h"

struct aifabd_apply_result {
	size_t done;			/* operations applied */
	int err;			/* 0, or the failed one's errno (< 0) */
	char msg[256];			/* the kernel's extack message, or "" */
};

/* What a rollback did: the inverses, and how applying them went. */
struct aifabd_rollback {
	bool tried;			/* something was applied, so it ran */
	int err;			/* 0: the kernel is as it was */
	struct aifabd_undo undo;
	struct aifabd_apply_result res;	/* of applying undo.plan */
};

/* Sends one operation; fills @msg with the kernel's message on failure. */
struct aifabd_apply_ops {
	int (*exec)(void *priv, const struct aifabd_op *op, char *msg,
		    size_t msglen);
	void *priv;
};

void aifabd_apply_nl_ops(struct aifab_nl *nl, struct aifabd_apply_ops *ops);
int aifabd_apply(const struct aifabd_apply_ops *ops,
		 const struct aifabd_plan *plan,
		 struct aifabd_apply_result *res);
int aifabd_apply_rollback(const struct aifabd_apply_ops *ops,
			  const struct aifabd_plan *plan,
			  const struct aifabd_actual *act,
			  const struct aifabd_apply_result *res,
			  struct aifabd_rollback *rb);
bool aifabd_rollback_complete(const struct aifabd_rollback *rb);
void aifabd_rollback_free(struct aifabd_rollback *rb);
int aifabd_apply_req(const struct aifabd_op *op, struct aifab_nl_req *req,
		     int *nsfd);
void aifabd_apply_report(FILE *f, const struct aifabd_plan *plan,
			 const struct aifabd_apply_result *res,
			 const struct aifabd_rollback *rb);

#endif /* AIFABD_APPLY_H */
