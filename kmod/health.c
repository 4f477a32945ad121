// SPDX-License-Identifier: GPL-2.0
/*
 * Link health. A link's operational state follows from, in order: its
 * admin state (down wins), a flap in its down phase, and the last health
 * check (degraded when the error rate was over the threshold). Every
 * change of it is counted and announced as a link-state event.
 *
 * One delayed work per fabric toggles flapping links and, every
 * AIFAB_HEALTH_INTERVAL_MS, turns each link's drop and corruption counts
 * into an error rate.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/random.h>
#include <net/netlink.h>

#include "events.h"
#include "fabric.h"
#include "health.h"
#include "route.h"

static enum aifab_link_state aifab_link_wanted_state(const struct aifab_link *link)
{
	if (link->admin_state == AIFAB_ADMIN_STATE_DOWN || link->flap_down)
		return AIFAB_LINK_STATE_DOWN;
	return link->degraded ? AIFAB_LINK_STATE_DEGRADED : AIFAB_LINK_STATE_UP;
}

/* Under the fabric mutex, after any input of the state changed. */
static void aifab_link_update_state(struct aifab_fabric *fab,
				    struct aifab_link *link)
{
	enum aifab_link_state state = aifab_link_wanted_state(link);

	lockdep_assert_held(&fab->lock);
	if (state == link->state)
		return;
	WRITE_ONCE(link->state, state);
	atomic64_inc(&link->cnt[AIFAB_LINK_CNT_STATE_CHANGES]);
	fab->generation++;
	aifab_event_link_state(fab, link);
}

static void aifab_link_flap(struct aifab_fabric *fab, struct aifab_link *link,
			    unsigned long now)
{
	if (!link->flap_ms || time_before(now, link->flap_next))
		return;
	link->flap_down = !link->flap_down;
	link->flap_next = now + msecs_to_jiffies(link->flap_ms);
	atomic64_inc(&link->cnt[AIFAB_LINK_CNT_FLAPS]);
	aifab_link_update_state(fab, link);
}

/*
 * The error rate of the last interval against the threshold. An idle
 * interval is no evidence either way and keeps the verdict; a threshold of
 * 0 clears it at once.
 */
static void aifab_link_check_errors(struct aifab_fabric *fab,
				    struct aifab_link *link)
{
	u64 packets = atomic64_read(&link->cnt[AIFAB_LINK_CNT_TX_PACKETS]);
	u64 errors = atomic64_read(&link->cnt[AIFAB_LINK_CNT_DROPS]) +
		     atomic64_read(&link->cnt[AIFAB_LINK_CNT_CORRUPTS]);
	u64 dp = packets - link->health_packets;
	u64 de = errors - link->health_errors;

	link->health_packets = packets;
	link->health_errors = errors;
	if (dp)
		link->error_rate_ppm = div64_u64(min(de, dp) * 1000000, dp);
	if (!link->degrade_ppm)
		link->degraded = false;
	else if (dp)
		link->degraded = link->error_rate_ppm > link->degrade_ppm;
	aifab_link_update_state(fab, link);
}

static void aifab_health_work(struct work_struct *work)
{
	struct aifab_fabric *fab = container_of(to_delayed_work(work),
						struct aifab_fabric, health_work);
	unsigned long now = jiffies, next;
	bool check = time_after_eq(now, fab->health_next);
	struct aifab_object *obj;
	struct aifab_link *link;
	unsigned long id;

	if (check)
		fab->health_next = now + msecs_to_jiffies(AIFAB_HEALTH_INTERVAL_MS);
	next = fab->health_next;
	mutex_lock(&fab->lock);
	xa_for_each(&fab->links, id, obj) {
		link = container_of(obj, struct aifab_link, obj);
		aifab_link_flap(fab, link, now);
		if (check)
			aifab_link_check_errors(fab, link);
		if (link->flap_ms && time_before(link->flap_next, next))
			next = link->flap_next;
	}
	mutex_unlock(&fab->lock);
	queue_delayed_work(system_wq, &fab->health_work,
			   time_after(next, now) ? next - now : 0);
}

void aifab_health_start(struct aifab_fabric *fab)
{
	INIT_DELAYED_WORK(&fab->health_work, aifab_health_work);
	fab->health_next = jiffies + msecs_to_jiffies(AIFAB_HEALTH_INTERVAL_MS);
	queue_delayed_work(system_wq, &fab->health_work,
			   msecs_to_jiffies(AIFAB_HEALTH_INTERVAL_MS));
}

/* The work re-arms itself; cancel_delayed_work_sync() copes with that. */
void aifab_health_stop(struct aifab_fabric *fab)
{
	cancel_delayed_work_sync(&fab->health_work);
}

static int aifab_link_config_check(const struct aifab_link_config *cfg,
				   struct netlink_ext_ack *extack)
{
	if (!cfg->set) {
		NL_SET_ERR_MSG(extack, "nothing to set");
		return -EINVAL;
	}
	if ((cfg->set & AIFAB_LINK_SET_DROP && cfg->drop_pct > 100) ||
	    (cfg->set & AIFAB_LINK_SET_CORRUPT && cfg->corrupt_pct > 100)) {
		NL_SET_ERR_MSG(extack, "a fault percentage is 0-100");
		return -ERANGE;
	}
	if (cfg->set & AIFAB_LINK_SET_FLAP && cfg->flap_ms &&
	    (cfg->flap_ms < AIFAB_FLAP_MIN_MS || cfg->flap_ms > AIFAB_FLAP_MAX_MS)) {
		NL_SET_ERR_MSG(extack, "the flap period is 0 (off) or 10-3600000 ms");
		return -ERANGE;
	}
	if (cfg->set & AIFAB_LINK_SET_DEGRADE &&
	    cfg->degrade_ppm > AIFAB_DEGRADE_MAX_PPM) {
		NL_SET_ERR_MSG(extack, "the degrade threshold is 0-1000000 ppm");
		return -ERANGE;
	}
	return 0;
}

/* Store @val in @field; say whether that changed anything. */
static bool aifab_link_store(u32 *field, u32 val)
{
	if (*field == val)
		return false;
	WRITE_ONCE(*field, val);
	return true;
}

static void aifab_link_apply(struct aifab_fabric *fab, struct aifab_link *link,
			     const struct aifab_link_config *cfg)
{
	bool changed = false;

	if (cfg->set & AIFAB_LINK_SET_ADMIN && link->admin_state != cfg->admin) {
		link->admin_state = cfg->admin;
		changed = true;
	}
	if (cfg->set & AIFAB_LINK_SET_DROP)
		changed |= aifab_link_store(&link->drop_pct, cfg->drop_pct);
	if (cfg->set & AIFAB_LINK_SET_CORRUPT)
		changed |= aifab_link_store(&link->corrupt_pct, cfg->corrupt_pct);
	if (cfg->set & AIFAB_LINK_SET_DEGRADE)
		changed |= aifab_link_store(&link->degrade_ppm, cfg->degrade_ppm);
	if (cfg->set & AIFAB_LINK_SET_FLAP &&
	    aifab_link_store(&link->flap_ms, cfg->flap_ms)) {
		link->flap_down = false;
		link->flap_next = jiffies + msecs_to_jiffies(cfg->flap_ms);
		/* Rearm now, so the first flap comes on time. */
		mod_delayed_work(system_wq, &fab->health_work, 0);
		changed = true;
	}
	if (!changed)
		return;
	fab->generation++;
	aifab_link_update_state(fab, link);
}

/**
 * aifab_link_set() - change a link's admin state, faults and threshold
 * @fab: the fabric
 * @name: the link's name
 * @cfg: what to change
 * @extack: where to say what is wrong
 *
 * Return: 0, -EINVAL or -ERANGE for a bad request, or -ENOENT for an
 * unknown link; nothing changes on error.
 */
int aifab_link_set(struct aifab_fabric *fab, const char *name,
		   const struct aifab_link_config *cfg,
		   struct netlink_ext_ack *extack)
{
	struct aifab_link *link;
	int ret;

	ret = aifab_link_config_check(cfg, extack);
	if (ret)
		return ret;
	mutex_lock(&fab->lock);
	link = aifab_link_find(fab, name);
	if (link)
		aifab_link_apply(fab, link, cfg);
	else
		aifab_err_attr(extack, "no such link", name);
	mutex_unlock(&fab->lock);
	return link ? 0 : -ENOENT;
}

static bool aifab_roll(u32 pct)
{
	return pct && get_random_u32() % 100 < pct;
}

/*
 * Send one packet over one link, as the link's faults allow: a drop or a
 * detected corruption costs a retransmission, never bad data. A link that
 * went down under the transfer changed the path: -EHOSTUNREACH, so that
 * the sender can ask for a new one.
 */
static int aifab_link_xmit(struct aifab_link *link, u32 len, u32 *retrans)
{
	int try, ret = -EIO;

	for (try = 0; try <= AIFAB_XMIT_RETRIES; try++) {
		if (try) {
			atomic64_inc(&link->cnt[AIFAB_LINK_CNT_RETRANSMITS]);
			(*retrans)++;
		}
		if (READ_ONCE(link->state) == AIFAB_LINK_STATE_DOWN) {
			ret = -EHOSTUNREACH;
			break;
		}
		atomic64_inc(&link->cnt[AIFAB_LINK_CNT_TX_PACKETS]);
		atomic64_add(len, &link->cnt[AIFAB_LINK_CNT_TX_BYTES]);
		if (aifab_roll(READ_ONCE(link->drop_pct))) {
			atomic64_inc(&link->cnt[AIFAB_LINK_CNT_DROPS]);
			continue;
		}
		if (aifab_roll(READ_ONCE(link->corrupt_pct))) {
			atomic64_inc(&link->cnt[AIFAB_LINK_CNT_CORRUPTS]);
			continue;
		}
		return 0;
	}
	atomic64_inc(&link->cnt[AIFAB_LINK_CNT_FAILED]);
	return ret;
}

/* The path's links, looked up once for the whole transfer. Under RCU. */
static int aifab_route_links(struct aifab_fabric *fab,
			     const struct aifab_route *rt,
			     struct aifab_link **links)
{
	unsigned int i;

	for (i = 0; i < rt->nhops; i++) {
		links[i] = aifab_link_lookup(fab, rt->hop_link[i]);
		if (!links[i])
			return -EHOSTUNREACH;
	}
	return 0;
}

static int aifab_route_xmit(struct aifab_link **links, unsigned int nhops,
			    u32 len, u32 *retrans)
{
	unsigned int i;
	int ret;

	for (i = 0; i < nhops; i++) {
		ret = aifab_link_xmit(links[i], len, retrans);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * aifab_fabric_transfer() - move bytes from one device to another
 * @fab: the fabric
 * @src_id: the source device
 * @dst_id: the destination device
 * @bytes: how many
 * @rt: the route it took; with the packets sent again in @rt->retransmits
 *
 * Asks aifab_fabric_route() for the path, then sends the bytes over it in
 * packets of %AIFAB_PACKET_BYTES, each retried on a lossy link. Any context.
 *
 * Return: 0 when every byte arrived; the routing function's error when the
 * fabric refused; -EIO when a link lost a packet past its retries;
 * -EHOSTUNREACH when the path changed under the transfer (a link of it
 * went down or away).
 */
int aifab_fabric_transfer(struct aifab_fabric *fab, u32 src_id, u32 dst_id,
			  u64 bytes, struct aifab_route *rt)
{
	struct aifab_link *links[AIFAB_ROUTE_MAX_HOPS];
	struct aifab_device *src, *dst;
	u64 left = bytes;
	u32 len;
	int ret;

	ret = aifab_fabric_route(fab, src_id, dst_id, rt);
	if (ret)
		return ret;
	rcu_read_lock();
	src = aifab_device_lookup(fab, src_id);
	dst = aifab_device_lookup(fab, dst_id);
	ret = src && dst ? aifab_route_links(fab, rt, links) : -ENOENT;
	while (!ret) {
		len = min_t(u64, left, AIFAB_PACKET_BYTES);
		ret = aifab_route_xmit(links, rt->nhops, len,
				       &rt->retransmits);
		if (ret)
			break;
		atomic64_inc(&src->cnt[AIFAB_DEV_CNT_TX_PACKETS]);
		atomic64_add(len, &src->cnt[AIFAB_DEV_CNT_TX_BYTES]);
		atomic64_inc(&dst->cnt[AIFAB_DEV_CNT_RX_PACKETS]);
		atomic64_add(len, &dst->cnt[AIFAB_DEV_CNT_RX_BYTES]);
		left -= len;
		if (!left)
			break;
	}
	if (ret && src)
		atomic64_inc(&src->cnt[AIFAB_DEV_CNT_FAILED]);
	rcu_read_unlock();
	return ret;
}
