/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aifabd's link health: the policy engine (policy.h, where the rules and
 * their reasons are) joined to the kernel, the log and the state file.
 *
 * The daemon loop drives it:
 * - at start, aifabd_health_new(), then aifabd_health_restore() of
 *   <state-dir>/health.json;
 * - after every reconcile, aifabd_health_configure() with the kernel's
 *   state that the reconcile left (reconcile.h), since partitions and
 *   links may have changed; the first one is at start;
 * - each LINK_STATE_NTF of the monitor group, parsed, to
 *   aifabd_health_link_event();
 * - aifabd_health_tick() whenever the deadline it last returned has come
 *   (and after any call above, which may set a new one);
 * - aifabd_health_status_json() into the status file, and
 *   aifabd_health_save() after any call that took a decision, and at exit.
 *
 * @nl must be a socket that has not joined the monitor group: events that
 * arrive on a socket while a request is in flight are taken for replies
 * and lost to the loop. Every decision is logged at LOG_NOTICE as
 * "SUBJECT: DECISION (WHY)", a refused kernel change at LOG_ERR, and input
 * the engine ignored at LOG_WARNING.
 *
 * Time: every now_ms is CLOCK_MONOTONIC in ms; the status and state files
 * carry wall-clock time, converted with the two clocks read together.
 */
#ifndef AIFABD_HEALTH_H
#define AIFABD_HEALTH_H

#include <stdint.h>

#include <json-c/json.h>
#include <linux/aifab.h>

#include "config.h"
#include "nl.h"
#include "plan.h"

#define AIFABD_HEALTH_FILE	"health.json"

struct aifabd_health;

int aifabd_health_new(struct aifabd_health **hp, struct aifab_nl *nl);
int aifabd_health_configure(struct aifabd_health *h,
			    const struct aifabd_config *cfg,
			    const struct aifabd_actual *act, uint64_t now_ms);
void aifabd_health_link_event(struct aifabd_health *h, const char *link,
			      enum aifab_link_state state, uint64_t now_ms);
uint64_t aifabd_health_tick(struct aifabd_health *h, uint64_t now_ms);
int aifabd_health_status_json(const struct aifabd_health *h,
			      struct json_object *root);
int aifabd_health_save(const struct aifabd_health *h, const char *path);
int aifabd_health_restore(struct aifabd_health *h, const char *path);
void aifabd_health_free(struct aifabd_health *h);

#endif /* AIFABD_HEALTH_H */
