// SPDX-License-Identifier: GPL-2.0
/*
 * The policy engine's links: their damping, the calls that feed events and
 * time in, and the record of decisions. Why the rules are what they are is
 * in policy.h; partitions are in policy_part.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "names.h"
#include "policy_int.h"
#include "str.h"

/* Bounds a configure accepts, far above any fabric the kernel builds. */
#define POLICY_MAX_DEVS		1024

static const char *const hstate_names[] = {
	[AIFABD_HSTATE_UP] = "up",
	[AIFABD_HSTATE_DEGRADED] = "degraded",
	[AIFABD_HSTATE_DAMPED] = "damped",
	[AIFABD_HSTATE_DOWN] = "down",
};

const char *aifabd_hstate_name(enum aifabd_hstate s)
{
	return (unsigned int)s < AIFAB_ARRAY_SIZE(hstate_names) ?
	       hstate_names[s] : "?";
}

/* Return: 0 and the state named @s, or -EINVAL. */
int aifabd_hstate_parse(const char *s, enum aifabd_hstate *st)
{
	size_t i;

	for (i = 0; i < AIFAB_ARRAY_SIZE(hstate_names); i++) {
		if (!strcmp(s, hstate_names[i])) {
			*st = (enum aifabd_hstate)i;
			return 0;
		}
	}
	return -EINVAL;
}

void aifabd_actions_free(struct aifabd_actions *a)
{
	free(a->v);
	*a = (struct aifabd_actions){ 0 };
}

/**
 * aifabd_policy_new() - An engine with no link and no partition yet.
 * @pp: Set to the engine.
 * @ops: The kernel as the engine reaches it; both functions are required.
 *
 * Return: 0, -EINVAL without both functions, or -ENOMEM.
 */
int aifabd_policy_new(struct aifabd_policy **pp,
		      const struct aifabd_policy_ops *ops)
{
	struct aifabd_policy *p;

	*pp = NULL;
	if (!ops || !ops->route || !ops->set_admin)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->ops = *ops;
	p->set.on_link_down = AIFABD_LINK_DOWN_REROUTE;
	p->set.flap_damping_ms = AIFABD_DEFAULT_FLAP_DAMPING_MS;
	*pp = p;
	return 0;
}

/* Forget every link, partition and decision; keep the ops and settings. */
void aifabd_policy_clear(struct aifabd_policy *p)
{
	size_t i;

	for (i = 0; i < p->nparts; i++)
		policy_part_release(&p->parts[i]);
	free(p->parts);
	free(p->links);
	p->parts = NULL;
	p->links = NULL;
	p->nparts = 0;
	p->nlinks = 0;
	p->ring_len = 0;
	p->ring_next = 0;
}

void aifabd_policy_free(struct aifabd_policy *p)
{
	if (!p)
		return;
	aifabd_policy_clear(p);
	free(p);
}

/**
 * aifabd_policy_record() - Keep a decision in the ring of the last ones.
 * @p: Engine.
 * @a: The decision; copied.
 *
 * Return: 0, or -EINVAL for a note, which is no decision.
 */
int aifabd_policy_record(struct aifabd_policy *p,
			 const struct aifabd_action *a)
{
	if (a->type == AIFABD_ACT_LOG)
		return -EINVAL;
	p->ring[p->ring_next] = *a;
	p->ring_next = (p->ring_next + 1) % AIFABD_POLICY_DECISIONS;
	if (p->ring_len < AIFABD_POLICY_DECISIONS)
		p->ring_len++;
	return 0;
}

size_t aifabd_policy_ndecisions(const struct aifabd_policy *p)
{
	return p->ring_len;
}

/* Return: the @i-th oldest decision kept, or NULL past the last. */
const struct aifabd_action *aifabd_policy_decision(const struct aifabd_policy *p,
						   size_t i)
{
	size_t first;

	if (i >= p->ring_len)
		return NULL;
	first = (p->ring_next + AIFABD_POLICY_DECISIONS - p->ring_len) %
		AIFABD_POLICY_DECISIONS;
	return &p->ring[(first + i) % AIFABD_POLICY_DECISIONS];
}

/*
 * Reasons are formatted into fixed buffers, cut when too long: a reason is
 * for people, and a cut one still says what happened. A failed allocation
 * leaves it empty.
 */
void policy_vfmt(char *buf, size_t size, const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0) {
		*buf = '\0';
		return;
	}
	aifab_strscpy(buf, s, size);
	free(s);
}

void policy_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	policy_vfmt(buf, size, fmt, ap);
	va_end(ap);
}

/* Copy the @len bytes at @s as a name; false when they cannot be one. */
bool policy_token(char *name, const char *s, size_t len)
{
	size_t i;

	if (!len || len >= AIFAB_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		name[i] = s[i];
	name[len] = '\0';
	return true;
}

/*
 * A decision (or a note) goes to the caller's list and, unless a note, to
 * the ring. A list that cannot grow loses the entry, not the state: the
 * call then returns -ENOMEM.
 */
void policy_emit(struct aifabd_policy *p, enum aifabd_action_type type,
		 bool failed, const struct policy_subject *who,
		 const char *decision, const char *why)
{
	struct aifabd_action a = { .type = type, .failed = failed,
				   .time = who->now };
	struct aifabd_actions *out = p->out;

	policy_fmt(a.subject, sizeof(a.subject), "%s %s", who->kind, who->name);
	aifab_strscpy(a.decision, decision, sizeof(a.decision));
	aifab_strscpy(a.why, why, sizeof(a.why));
	if (type != AIFABD_ACT_LOG)
		aifabd_policy_record(p, &a);
	if (!out)
		return;
	if (aifab_grow(&out->v, &out->cap, out->n, sizeof(a))) {
		p->err = p->err ? p->err : -ENOMEM;
		return;
	}
	out->v[out->n++] = a;
}

static void policy_note(struct aifabd_policy *p, const char *kind,
			const char *name, const char *why, int64_t now)
{
	struct policy_subject who = { kind, name, now };

	policy_emit(p, AIFABD_ACT_LOG, false, &who, "ignored", why);
}

struct aifabd_policy_link *policy_link_find(const struct aifabd_policy *p,
					    const char *name)
{
	size_t i;

	for (i = 0; i < p->nlinks; i++)
		if (!strcmp(p->links[i].name, name))
			return &p->links[i];
	return NULL;
}

static enum aifabd_hstate policy_kstate(enum aifab_link_state k)
{
	if (k == AIFAB_LINK_STATE_DOWN)
		return AIFABD_HSTATE_DOWN;
	return k == AIFAB_LINK_STATE_DEGRADED ? AIFABD_HSTATE_DEGRADED :
	       AIFABD_HSTATE_UP;
}

/*
 * Record a link's state and reason; "since" moves only with the state.
 * Return: whether anything changed, and so whether its partitions need a
 * new look.
 */
static bool link_mark(struct aifabd_policy *p, struct aifabd_policy_link *l,
		      enum aifabd_hstate st, const char *why, int64_t now)
{
	struct policy_subject who = { "link", l->name, now };

	if (st == l->state && !strcmp(why, l->why))
		return false;
	if (st != l->state)
		l->since = now;
	l->state = st;
	aifab_strscpy(l->why, why, sizeof(l->why));
	policy_emit(p, AIFABD_ACT_MARK_LINK, false, &who,
		    aifabd_hstate_name(st), why);
	return true;
}

/* The kernel's verdict, with no damping left: up or degraded. */
static bool link_settle(struct aifabd_policy *p, struct aifabd_policy_link *l,
			const char *up_why, int64_t now)
{
	char why[AIFABD_POLICY_WHY_MAX];

	l->hold_until = 0;
	if (l->kstate != AIFAB_LINK_STATE_DEGRADED)
		return link_mark(p, l, AIFABD_HSTATE_UP, up_why, now);
	policy_fmt(why, sizeof(why), "error rate over %u ppm", l->degrade_ppm);
	return link_mark(p, l, AIFABD_HSTATE_DEGRADED, why, now);
}

/* Back from @from (down or degraded): damped, or at once without damping. */
static bool link_recover(struct aifabd_policy *p, struct aifabd_policy_link *l,
			 enum aifabd_hstate from, int64_t now)
{
	uint32_t d = p->set.flap_damping_ms;
	char why[AIFABD_POLICY_WHY_MAX];

	if (!d)
		return link_settle(p, l, "up again", now);
	l->hold_until = now + d;
	l->held = from;
	if (from == AIFABD_HSTATE_DOWN) {
		policy_fmt(why, sizeof(why),
			   "up again; damped until it stays up for %u ms", d);
		return link_mark(p, l, AIFABD_HSTATE_DAMPED, why, now);
	}
	policy_fmt(why, sizeof(why),
		   "error rate back under %u ppm; held degraded until it stays so for %u ms",
		   l->degrade_ppm, d);
	return link_mark(p, l, AIFABD_HSTATE_DEGRADED, why, now);
}

/* The kernel says @k; return whether the link's state or reason changed. */
static bool link_input(struct aifabd_policy *p, struct aifabd_policy_link *l,
		       enum aifab_link_state k, int64_t now)
{
	enum aifabd_hstate kh = policy_kstate(k);

	l->kstate = k;
	if (kh == AIFABD_HSTATE_DOWN) {
		l->hold_until = 0;
		return link_mark(p, l, AIFABD_HSTATE_DOWN,
				 "the kernel reports it down", now);
	}
	if (l->state == AIFABD_HSTATE_DOWN)
		return link_recover(p, l, AIFABD_HSTATE_DOWN, now);
	/* Damped: the window runs on; its end reads the kernel's state. */
	if (l->state == AIFABD_HSTATE_DAMPED)
		return false;
	if (kh == AIFABD_HSTATE_DEGRADED) {
		char why[AIFABD_POLICY_WHY_MAX];

		l->hold_until = 0;
		policy_fmt(why, sizeof(why), "error rate over %u ppm",
			   l->degrade_ppm);
		return link_mark(p, l, AIFABD_HSTATE_DEGRADED, why, now);
	}
	if (l->state == AIFABD_HSTATE_DEGRADED && !l->hold_until)
		return link_recover(p, l, AIFABD_HSTATE_DEGRADED, now);
	return false;
}

/*
 * A link changed: look again at the partitions that use it, and at those
 * with a pair that has no route, which any link may give one (or, damped,
 * change why it has none).
 */
static void policy_link_changed(struct aifabd_policy *p,
				const struct aifabd_policy_link *l, int64_t now)
{
	size_t i;

	for (i = 0; i < p->nparts; i++)
		if (policy_part_uses(&p->parts[i], l->name) ||
		    policy_part_unreached(&p->parts[i]))
			policy_part_evaluate(p, &p->parts[i], now);
}

static void policy_begin(struct aifabd_policy *p, struct aifabd_actions *out)
{
	p->out = out;
	p->err = 0;
}

static int policy_end(struct aifabd_policy *p, int err)
{
	p->out = NULL;
	return err ? err : p->err;
}

/**
 * aifabd_policy_link_event() - The kernel announced a link's new state.
 * @p: Engine.
 * @link: The link's name.
 * @state: Its operational state, &enum aifab_link_state.
 * @now: Monotonic time, ms.
 * @out: The decisions taken are appended here (may be NULL).
 *
 * Return: 0; -ENOENT for a link the engine does not know and -EINVAL for
 * a state out of range, both ignored with a note; -ENOMEM.
 */
int aifabd_policy_link_event(struct aifabd_policy *p, const char *link,
			     uint32_t state, int64_t now,
			     struct aifabd_actions *out)
{
	struct aifabd_policy_link *l;

	policy_begin(p, out);
	if (!link || !aifab_name_valid(link)) {
		policy_note(p, "link", "?", "event for a malformed name", now);
		return policy_end(p, -EINVAL);
	}
	if (state < AIFAB_LINK_STATE_UP || state > AIFAB_LINK_STATE_DEGRADED) {
		char why[AIFABD_POLICY_WHY_MAX];

		policy_fmt(why, sizeof(why), "event with state %u, out of range",
			   state);
		policy_note(p, "link", link, why, now);
		return policy_end(p, -EINVAL);
	}
	l = policy_link_find(p, link);
	if (!l) {
		policy_note(p, "link", link, "event for an unknown link", now);
		return policy_end(p, -ENOENT);
	}
	if (link_input(p, l, (enum aifab_link_state)state, now))
		policy_link_changed(p, l, now);
	return policy_end(p, 0);
}

static void policy_next(int64_t *next, int64_t at)
{
	if (at && (!*next || at < *next))
		*next = at;
}

/**
 * aifabd_policy_tick() - Let time pass: end damping windows, retry.
 * @p: Engine.
 * @now: Monotonic time, ms.
 * @out: The decisions taken are appended here (may be NULL).
 * @next: Set to the next time a tick has work, or 0 for none.
 *
 * Return: 0 or -ENOMEM.
 */
int aifabd_policy_tick(struct aifabd_policy *p, int64_t now,
		       struct aifabd_actions *out, int64_t *next)
{
	size_t i;

	policy_begin(p, out);
	*next = 0;
	for (i = 0; i < p->nlinks; i++) {
		struct aifabd_policy_link *l = &p->links[i];

		if (l->hold_until && l->hold_until <= now) {
			char why[AIFABD_POLICY_WHY_MAX];

			policy_fmt(why, sizeof(why), "stayed up for %u ms",
				   p->set.flap_damping_ms);
			if (link_settle(p, l, why, now))
				policy_link_changed(p, l, now);
		}
	}
	for (i = 0; i < p->nparts; i++) {
		if (p->parts[i].retry_at && p->parts[i].retry_at <= now) {
			p->parts[i].retry_at = 0;
			policy_part_evaluate(p, &p->parts[i], now);
		}
	}
	for (i = 0; i < p->nlinks; i++)
		policy_next(next, p->links[i].hold_until);
	for (i = 0; i < p->nparts; i++)
		policy_next(next, p->parts[i].retry_at);
	return policy_end(p, 0);
}

static bool link_in_valid(const struct aifabd_policy_link_in *in)
{
	return in->name && aifab_name_valid(in->name) &&
	       in->state >= AIFAB_LINK_STATE_UP &&
	       in->state <= AIFAB_LINK_STATE_DEGRADED;
}

/*
 * A link first seen: the kernel's state as it is, with no damping, since
 * nothing is known of its past. Only a link that is not up is worth a
 * decision; a fresh start would otherwise fill the ring with "up".
 */
static void link_first(struct aifabd_policy *p, struct aifabd_policy_link *l,
		       const struct aifabd_policy_link_in *in, int64_t now)
{
	*l = (struct aifabd_policy_link){ .since = now,
					  .degrade_ppm = in->degrade_ppm };
	aifab_strscpy(l->name, in->name, sizeof(l->name));
	l->kstate = in->state;
	if (in->state == AIFAB_LINK_STATE_UP)
		aifab_strscpy(l->why, "the kernel reports it up",
			      sizeof(l->why));
	else
		link_input(p, l, in->state, now);
}

static bool links_have(const struct aifabd_policy_link *v, size_t n,
		       const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return true;
	return false;
}

static const char *policy_shown_name(const char *name)
{
	return name && aifab_name_valid(name) ? name : "?";
}

/* A known link keeps its state and damping, cut to the new damping time. */
static void link_again(struct aifabd_policy *p, struct aifabd_policy_link *l,
		       const struct aifabd_policy_link_in *in, int64_t now)
{
	int64_t latest = now + (int64_t)p->set.flap_damping_ms;

	l->degrade_ppm = in->degrade_ppm;
	if (l->hold_until > latest)
		l->hold_until = latest;
	if (l->kstate != in->state)
		link_input(p, l, in->state, now);
}

/* The new link table; the kernel's state of a known link is an event. */
static int policy_links(struct aifabd_policy *p,
			const struct aifabd_policy_link_in *in, size_t n,
			int64_t now)
{
	const struct aifabd_policy_link *old;
	struct aifabd_policy_link *v;
	size_t i, nv = 0;
	int ret = 0;

	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!link_in_valid(&in[i]) || links_have(v, nv, in[i].name)) {
			policy_note(p, "link", policy_shown_name(in[i].name),
				    "malformed or repeated link left out", now);
			ret = -EINVAL;
			continue;
		}
		old = policy_link_find(p, in[i].name);
		if (!old) {
			link_first(p, &v[nv++], &in[i], now);
			continue;
		}
		v[nv] = *old;
		link_again(p, &v[nv++], &in[i], now);
	}
	free(p->links);
	p->links = v;
	p->nlinks = nv;
	return ret;
}

static bool part_in_valid(const struct aifabd_policy_part_in *in)
{
	size_t i, j;

	if (!in->name || !aifab_name_valid(in->name) || !in->tenant ||
	    !aifab_name_valid(in->tenant) || in->ndevs > POLICY_MAX_DEVS ||
	    (in->ndevs && !in->devs))
		return false;
	for (i = 0; i < in->ndevs; i++) {
		if (!in->devs[i] || !aifab_name_valid(in->devs[i]))
			return false;
		for (j = 0; j < i; j++)
			if (!strcmp(in->devs[i], in->devs[j]))
				return false;
	}
	return true;
}

static const struct aifabd_policy_part *
policy_part_find(const struct aifabd_policy *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nparts; i++)
		if (!strcmp(p->parts[i].name, name))
			return &p->parts[i];
	return NULL;
}

static bool parts_have(const struct aifabd_policy_part *v, size_t n,
		       const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return true;
	return false;
}

/* The new partition table, learned from the routes; the old one goes. */
static int policy_parts(struct aifabd_policy *p,
			const struct aifabd_policy_part_in *in, size_t n,
			int64_t now)
{
	struct aifabd_policy_part *v;
	size_t i, nv = 0;
	int ret = 0, err;

	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!part_in_valid(&in[i]) || parts_have(v, nv, in[i].name)) {
			policy_note(p, "partition",
				    policy_shown_name(in[i].name),
				    "malformed or repeated partition left out",
				    now);
			ret = -EINVAL;
			continue;
		}
		err = policy_part_build(p, &v[nv], &in[i],
					policy_part_find(p, in[i].name), now);
		if (err) {
			ret = err;
			continue;
		}
		nv++;
	}
	for (i = 0; i < p->nparts; i++)
		policy_part_release(&p->parts[i]);
	free(p->parts);
	p->parts = v;
	p->nparts = nv;
	return ret;
}

/**
 * aifabd_policy_configure() - The fabric and settings now in force.
 * @p: Engine.
 * @set: The health settings of the configuration.
 * @links: Every link of the kernel, with its state now.
 * @nlinks: How many.
 * @parts: Every partition of the kernel.
 * @nparts: How many.
 * @now: Monotonic time, ms.
 * @out: The decisions taken are appended here (may be NULL).
 *
 * Known links keep their damping, known partitions their state and what
 * the policy did to them; the routes of every partition are learned
 * again, and every partition looked at afresh. Call it at start (after a
 * restore) and after every reconcile.
 *
 * Return: 0; -EINVAL when a link or partition was malformed and left out
 * (the rest applies); -ENOMEM.
 */
int aifabd_policy_configure(struct aifabd_policy *p,
			    const struct aifabd_policy_settings *set,
			    const struct aifabd_policy_link_in *links,
			    size_t nlinks,
			    const struct aifabd_policy_part_in *parts,
			    size_t nparts, int64_t now,
			    struct aifabd_actions *out)
{
	int ret, ret2;
	size_t i;

	policy_begin(p, out);
	if (!set || set->on_link_down > AIFABD_LINK_DOWN_DOWN ||
	    set->flap_damping_ms > AIFABD_FLAP_DAMPING_MS_MAX ||
	    (nlinks && !links) || (nparts && !parts))
		return policy_end(p, -EINVAL);
	p->set = *set;
	ret = policy_links(p, links, nlinks, now);
	if (ret == -ENOMEM)
		return policy_end(p, ret);
	ret2 = policy_parts(p, parts, nparts, now);
	if (ret2 == -ENOMEM)
		return policy_end(p, ret2);
	for (i = 0; i < p->nparts; i++)
		policy_part_evaluate(p, &p->parts[i], now);
	return policy_end(p, ret ? ret : ret2);
}
