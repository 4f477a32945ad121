/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aifabd's link-health policy engine: from link-state events, a damping
 * clock and what the routes between each partition's members look like,
 * the state of every link and partition, and the decisions that change
 * them. It reads no clock and does no I/O of its own: time comes in as
 * arguments, and the kernel is reached only through two injected functions
 * (struct aifabd_policy_ops), a route query and a partition admin-state
 * change. Those two stay callbacks rather than queued actions because a
 * decision depends on their answers in the middle of it: a reroute check
 * asks the routes only after a partition the policy had taken down is up
 * again, and a refused admin change turns into another decision at once.
 * The host tests give it a fake fabric; health.c gives it netlink.
 *
 * Why each rule is as it is:
 *
 * - Damping. A link that goes down counts as down at once: traffic is
 *   already failing, and waiting would only hide it. A link that comes
 *   back is "damped", and still counts as down, until it has stayed up for
 *   flap_damping_ms without a break; another down restarts the wait. So a
 *   flapping link costs its partitions one transition, not one per flap.
 *   A link that recovers from degraded is held degraded for the same time,
 *   for the same reason (an error rate hovering at the threshold). 0
 *   disables damping. The kernel itself keeps routing over a damped link;
 *   only the policy's decisions treat it as down, and so a reroute check
 *   does not accept a path through one: while the kernel's (shortest) path
 *   crosses a damped link, whether another exists is unknown, and the last
 *   reroute verdict stands. A partition's reason calls a damped link down
 *   too, so that it does not change with every flap.
 *
 * - Which partitions a link affects. Those whose member-to-member routes
 *   use it, as learned (one ROUTE_GET per ordered member pair, since a
 *   route and its reverse may take different links of equal cost) while
 *   those links were healthy, plus the links of the paths a reroute moved
 *   them onto, so that losing the detour counts too. A configure while a
 *   learned link is down keeps the old links as well as the new routes',
 *   so that the partition still recovers when that link does. Partitions
 *   fenced to each other are not followed: a fence is the tenants'
 *   agreement, not a path of the partition's own.
 *
 * - on_link_down, for a partition with an affected link that counts as
 *   down:
 *   reroute: the kernel already routes around a dead link, so the policy
 *     checks that it could: every member pair is asked again. All
 *     reachable (over no damped link): the partition stays up and the
 *     decision says which pairs now go which way. Any pair unreachable: it
 *     falls back to degraded, naming that pair.
 *   degrade: marked degraded, nothing else.
 *   down: taken down in the kernel (PARTITION_SET admin-state down, which
 *     refuses every route to or from its members), and remembered as taken
 *     down by the policy. Only those are brought up again, once no link
 *     they depend on counts as down; a partition someone else took down is
 *     reported and left alone. A route query refused because the partition
 *     is down is therefore never read as a lost path.
 *   A degraded affected link (and no down one) marks the partition
 *   degraded under every policy: it still carries traffic.
 *
 * - A partition's state is recomputed from scratch whenever something it
 *   depends on changes, and a decision is recorded only when its state or
 *   reason changes. "since" moves only with the state.
 *
 * - A refused admin change is a decision too ("could not take down"); it
 *   is tried again after AIFABD_POLICY_RETRY_MS, and the partition is
 *   meanwhile marked degraded.
 *
 * Times are milliseconds of one monotonic clock, signed so that a state
 * restored from before this boot keeps its "since".
 */
#ifndef AIFABD_POLICY_H
#define AIFABD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/aifab.h>

#include "config.h"

/* The longest path the kernel reports (kmod/route.h). */
#define AIFABD_ROUTE_MAX_HOPS		32
/* Decisions kept for the status file. */
#define AIFABD_POLICY_DECISIONS		32
#define AIFABD_POLICY_WHY_MAX		256
/* How long a refused admin change waits before it is tried again. */
#define AIFABD_POLICY_RETRY_MS		5000

typedef char aifabd_pname_t[AIFAB_NAME_MAX];

/* A link's or a partition's state as the policy sees it. */
enum aifabd_hstate {
	AIFABD_HSTATE_UP,
	AIFABD_HSTATE_DEGRADED,
	AIFABD_HSTATE_DAMPED,		/* links only */
	AIFABD_HSTATE_DOWN,
};

/* The answer to "how does SRC reach DST?". */
enum aifabd_route_verdict {
	AIFABD_ROUTE_OK,
	AIFABD_ROUTE_NO_PATH,
	AIFABD_ROUTE_PARTITION_DOWN,
	AIFABD_ROUTE_REFUSED,		/* fence or unpartitioned: membership
					 * changed under the policy */
};

struct aifabd_route {
	enum aifabd_route_verdict verdict;
	size_t nhops;
	aifabd_pname_t hops[AIFABD_ROUTE_MAX_HOPS];	/* links, in order */
};

/*
 * The kernel, as the policy reaches it. Both return 0 or a negative errno
 * value; a route refused by the fabric is a verdict, not an error.
 */
struct aifabd_policy_ops {
	int (*route)(void *ctx, const char *src, const char *dst,
		     struct aifabd_route *rt);
	int (*set_admin)(void *ctx, const char *partition, bool up);
	void *ctx;
};

enum aifabd_action_type {
	AIFABD_ACT_MARK_LINK,
	AIFABD_ACT_MARK_PARTITION,
	AIFABD_ACT_SET_PARTITION_ADMIN,	/* done (or tried, when failed),
					 * through ops->set_admin */
	AIFABD_ACT_LOG,			/* a note, not a decision: input
					 * ignored, a failed query */
};

/* One decision, with its reason; also what the decisions ring holds. */
struct aifabd_action {
	enum aifabd_action_type type;
	bool failed;			/* the kernel refused it */
	int64_t time;
	char subject[AIFAB_NAME_MAX + 16];	/* "partition red" */
	char decision[32];			/* "down", "admin up", ... */
	char why[AIFABD_POLICY_WHY_MAX];
};

/* The decisions of one call, in the order taken. */
struct aifabd_actions {
	struct aifabd_action *v;
	size_t n;
	size_t cap;
};

/* Inputs of a configure. */
struct aifabd_policy_settings {
	enum aifabd_link_down on_link_down;
	uint32_t flap_damping_ms;
};

struct aifabd_policy_link_in {
	const char *name;
	enum aifab_link_state state;	/* the kernel's, now */
	uint32_t degrade_ppm;		/* its threshold, for reasons */
};

struct aifabd_policy_part_in {
	const char *name;
	const char *tenant;
	const char *const *devs;
	size_t ndevs;
	bool admin_down;		/* the kernel's admin state */
};

/* State, readable for the status file and the state file. */
struct aifabd_policy_link {
	aifabd_pname_t name;
	enum aifabd_hstate state;
	enum aifab_link_state kstate;	/* the kernel's last word */
	uint32_t degrade_ppm;
	int64_t since;
	int64_t hold_until;		/* damping deadline; 0: none */
	enum aifabd_hstate held;	/* what it counts as until then */
	char why[AIFABD_POLICY_WHY_MAX];
};

/* A member pair and the links its route takes, as last learned healthy. */
struct aifabd_policy_pair {
	aifabd_pname_t src;
	aifabd_pname_t dst;
	char *path;			/* "l1,l2"; NULL: no route known */
};

struct aifabd_policy_part {
	aifabd_pname_t name;
	aifabd_pname_t tenant;
	enum aifabd_hstate state;
	int64_t since;
	char why[AIFABD_POLICY_WHY_MAX];
	aifabd_pname_t *devs;
	size_t ndevs;
	struct aifabd_policy_pair *pairs;	/* every ordered member pair */
	size_t npairs;
	char *detour;			/* links of the paths a reroute chose,
					 * "l1,l2"; NULL: none */
	bool policy_down;		/* the policy took it down */
	bool operator_down;		/* someone else did */
	bool stranded;			/* a reroute found a pair with no
					 * usable path: any link may help */
	bool rerouted;			/* its state is a reroute check's */
	int64_t retry_at;		/* a refused admin change; 0: none */
};

struct aifabd_policy {
	struct aifabd_policy_ops ops;
	struct aifabd_policy_settings set;
	struct aifabd_policy_link *links;
	size_t nlinks;
	struct aifabd_policy_part *parts;
	size_t nparts;
	struct aifabd_action ring[AIFABD_POLICY_DECISIONS];
	size_t ring_next;		/* where the next decision goes */
	size_t ring_len;
	struct aifabd_actions *out;	/* of the call in progress */
	int err;			/* its first error */
};

int aifabd_policy_new(struct aifabd_policy **pp,
		      const struct aifabd_policy_ops *ops);
void aifabd_policy_free(struct aifabd_policy *p);
void aifabd_policy_clear(struct aifabd_policy *p);

int aifabd_policy_configure(struct aifabd_policy *p,
			    const struct aifabd_policy_settings *set,
			    const struct aifabd_policy_link_in *links,
			    size_t nlinks,
			    const struct aifabd_policy_part_in *parts,
			    size_t nparts, int64_t now,
			    struct aifabd_actions *out);
int aifabd_policy_link_event(struct aifabd_policy *p, const char *link,
			     uint32_t state, int64_t now,
			     struct aifabd_actions *out);
int aifabd_policy_tick(struct aifabd_policy *p, int64_t now,
		       struct aifabd_actions *out, int64_t *next);

const struct aifabd_action *aifabd_policy_decision(const struct aifabd_policy *p,
						   size_t i);
size_t aifabd_policy_ndecisions(const struct aifabd_policy *p);
int aifabd_policy_record(struct aifabd_policy *p,
			 const struct aifabd_action *a);

const char *aifabd_hstate_name(enum aifabd_hstate s);
int aifabd_hstate_parse(const char *s, enum aifabd_hstate *st);
void aifabd_actions_free(struct aifabd_actions *a);

#endif /* AIFABD_POLICY_H */
