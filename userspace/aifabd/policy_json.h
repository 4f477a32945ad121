/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy engine's state as JSON: the status file's "links",
 * "partitions" and "decisions", and the state file that carries the
 * engine over a restart. No file is read or written here (health.c does
 * that), so both directions are tested on the host.
 *
 * The engine counts time on a monotonic clock, which restarts at boot;
 * JSON carries wall-clock time instead. The caller passes the offset
 * between the two (wall ms minus monotonic ms, taken together), so that
 * "since" and damping deadlines survive a restart, even across a reboot:
 * a damping window restored is as long as was left of it in wall-clock
 * terms, and one that ran out meanwhile ends at the first tick.
 *
 * The state file:
 *   {"version": 1,
 *    "links": [{"name", "state", "kernel_state", "since_ms", "why",
 *               "degrade_ppm", "hold_until_ms", "held"}],
 *    "partitions": [{"name", "tenant", "state", "since_ms", "why",
 *                    "policy_down", "devs": [...],
 *                    "pairs": [{"src", "dst", "path"}], "detour"}],
 *    "decisions": [{"time_ms", "type", "failed", "subject", "decision",
 *                   "why"}]}
 * with times in ms since the epoch, "hold_until_ms" and "held" only while
 * a link is damped or held, "path" null for a pair with no route known,
 * and "detour" only while a reroute is in force. Whether an operator took
 * a partition down is not kept: the kernel says so at the next configure.
 */
#ifndef AIFABD_POLICY_JSON_H
#define AIFABD_POLICY_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "policy.h"

#define AIFABD_POLICY_STATE_VERSION	1

int aifabd_policy_status_json(const struct aifabd_policy *p,
			      struct json_object *root, int64_t wall_offset);
struct json_object *aifabd_policy_state_json(const struct aifabd_policy *p,
					     int64_t wall_offset);
int aifabd_policy_restore_json(struct aifabd_policy *p,
			       struct json_object *state, int64_t wall_offset,
			       char *err, size_t errlen);
int aifabd_iso8601(int64_t wall_ms, char *buf, size_t size);

#endif /* AIFABD_POLICY_JSON_H */
