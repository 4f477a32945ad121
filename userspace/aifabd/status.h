/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aifabd's status: <run-dir>/status.json, and the "status" reply of the
 * control socket, which is the same document.
 *
 *   {"version": 1, "pid": N, "config": "PATH" or "<default>",
 *    "config_loaded": "ISO8601 UTC", "reconciles": N,
 *    "last_reconcile": {"time": ISO8601, "ok": bool, "ops": N,
 *                       "error": "..." or null},
 *    "links": [{"name", "state", "since", "why"}...],
 *    "partitions": [{"name", "tenant", "state", "since", "why"}...],
 *    "decisions": [...]}
 *
 * The header comes from aifabd_status_json(). "links", "partitions" and
 * "decisions" come from one call on the root object: for now
 * aifabd_status_kernel_view(), the kernel's own view as aifabd saw it;
 * the health engine's aifabd_health_status_json() takes its place.
 *
 * "since" is when aifabd first saw the object in its present state, from
 * a snapshot or an event; aifabd does not know what happened before it
 * started.
 */
#ifndef AIFABD_STATUS_H
#define AIFABD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include <json-c/json.h>

#include "plan.h"

#define AIFABD_STATUS_VERSION	1

/* Indented, and paths without json-c's escaped slashes. */
#define AIFABD_JSON_FLAGS \
	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)

/* What aifabd saw of one link or partition, and since when. */
struct aifabd_seen {
	aifabd_name_t name;
	aifabd_name_t tenant;		/* partitions only */
	const char *state;		/* a static string: "up", "down", ... */
	time_t since;
};

struct aifabd_seen_tab {
	struct aifabd_seen *v;
	size_t n;
	size_t cap;
};

struct aifabd_status {
	pid_t pid;
	const char *config;		/* path, or "<default>" */
	time_t config_loaded;
	unsigned long reconciles;
	bool reconciled;		/* the fields below are set */
	time_t last_time;
	bool last_ok;
	size_t last_ops;
	const char *last_error;		/* NULL when ok */
};

int aifabd_seen_links(struct aifabd_seen_tab *tab,
		      const struct aifabd_actual *act, time_t now);
int aifabd_seen_parts(struct aifabd_seen_tab *tab,
		      const struct aifabd_actual *act, time_t now);
int aifabd_seen_link_state(struct aifabd_seen_tab *tab, const char *name,
			   uint32_t state, time_t now);
void aifabd_seen_free(struct aifabd_seen_tab *tab);
const char *aifabd_link_state_name(uint32_t state);

struct json_object *aifabd_status_json(const struct aifabd_status *st);
int aifabd_status_kernel_view(const struct aifabd_seen_tab *links,
			      const struct aifabd_seen_tab *parts,
			      struct json_object *root);
int aifabd_time_iso(time_t t, char *buf, size_t len);
int aifabd_write_atomic(const char *path, const char *data, size_t len,
			mode_t mode);

#endif /* AIFABD_STATUS_H */
