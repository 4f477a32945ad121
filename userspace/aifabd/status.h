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
 * The header comes from aifabd_status_json(); "links", "partitions" and
 * "decisions" from the health engine, aifabd_health_status_json().
 */
#ifndef AIFABD_STATUS_H
#define AIFABD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include <json-c/json.h>

#define AIFABD_STATUS_VERSION	1

/* Indented, and paths without json-c's escaped slashes. */
#define AIFABD_JSON_FLAGS \
	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)

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

const char *aifabd_link_state_name(uint32_t state);

struct json_object *aifabd_status_json(const struct aifabd_status *st);
int aifabd_json_add(struct json_object *o, const char *key,
		    struct json_object *v);
int aifabd_time_iso(time_t t, char *buf, size_t len);
int aifabd_write_atomic(const char *path, const char *data, size_t len,
			mode_t mode);

#endif /* AIFABD_STATUS_H */
