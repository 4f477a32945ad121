/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the policy engine's files (policy.c: links, damping, the calls;
 * policy_part.c: partitions, routes) share, and nothing outside them uses.
 */
#ifndef AIFABD_POLICY_INT_H
#define AIFABD_POLICY_INT_H

#include <stdarg.h>

#include "policy.h"

/* Down, or damped: what decisions treat as a dead link. */
static inline bool policy_counts_down(const struct aifabd_policy_link *l)
{
	return l->state == AIFABD_HSTATE_DOWN ||
	       l->state == AIFABD_HSTATE_DAMPED;
}

/* Where, when and who a decision is about. */
struct policy_subject {
	const char *kind;		/* "link", "partition" */
	const char *name;
	int64_t now;
};

void policy_fmt(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void policy_vfmt(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
bool policy_token(char *name, const char *s, size_t len);

void policy_emit(struct aifabd_policy *p, enum aifabd_action_type type,
		 bool failed, const struct policy_subject *who,
		 const char *decision, const char *why);
struct aifabd_policy_link *policy_link_find(const struct aifabd_policy *p,
					    const char *name);

bool policy_path_has(const char *path, const char *link);
int policy_path_add(char **set, const char *path);
char *policy_path_join(const struct aifabd_route *rt);

void policy_part_evaluate(struct aifabd_policy *p,
			  struct aifabd_policy_part *part, int64_t now);
bool policy_part_uses(const struct aifabd_policy_part *part,
		      const char *link);
bool policy_part_unreached(const struct aifabd_policy_part *part);
int policy_part_build(struct aifabd_policy *p,
		      struct aifabd_policy_part *part,
		      const struct aifabd_policy_part_in *in,
		      const struct aifabd_policy_part *old, int64_t now);
void policy_part_release(struct aifabd_policy_part *part);

#endif /* AIFABD_POLICY_INT_H */
