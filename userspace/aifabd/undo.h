/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Undoing part of a plan: when an apply stops at a refused operation, the
 * operations already applied are undone, last first, each by its inverse
 * as the snapshot taken before the apply describes it:
 *
 *   fence add A B            fence del A B (and the other way round)
 *   partition add P          partition del P
 *   partition del P          partition add P with the tenant, members and
 *                            namespace it had
 *   partition set add/del    partition set del/add of the same devices
 *   partition netns          the namespace it had ("" unbinds)
 *   link degrade-threshold   the threshold it had; nothing for a link the
 *                            snapshot lacks (it came with a topology load,
 *                            whose own inverse removes it)
 *   topology load            loading the topology the snapshot read
 *   rdma dev set netns       moving the device back where it came from
 *
 * An operation whose inverse is not fully known (a partition bound to a
 * namespace with no name in /run/netns, a topology the snapshot did not
 * read) stops the undo there: the operations before it stay applied, and
 * the report says so rather than restore half of an object.
 *
 * Pure, like the planner, so that the sequencing is tested on the host.
 */
#ifndef AIFABD_UNDO_H
#define AIFABD_UNDO_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

#define AIFABD_UNDO_NONE	SIZE_MAX

struct aifabd_undo {
	struct aifabd_plan plan;	/* the inverses, in the order to apply */
	size_t *of;			/* of[k]: the index of the operation
					 * plan.ops[k] undoes */
	size_t cap_of;
	size_t stuck;			/* index of the applied operation with
					 * no known inverse, or _NONE */
	char *stuck_why;		/* why, when stuck */
};

int aifabd_undo_build(const struct aifabd_plan *plan, size_t done,
		      const struct aifabd_actual *act, struct aifabd_undo *u);
void aifabd_undo_free(struct aifabd_undo *u);

#endif /* AIFABD_UNDO_H */
