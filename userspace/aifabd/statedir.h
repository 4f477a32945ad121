/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aifabd's state directory (--state-dir, /var/lib/aifab):
 *
 *   applied.yaml  the text of the last configuration that applied fully
 *   daemon.json   {"version": 1, "config": PATH, "config_hash": "fnv1a64:X",
 *                  "last_reconcile": {"time", "ok", "ops", "error"}}
 *
 * They are records for operators and for the next start, written
 * atomically. aifabd needs neither to adopt a running fabric: the planner
 * compares the configuration with the kernel itself, so a restart with an
 * unchanged kernel and configuration plans nothing. The hash tells
 * whether the configuration changed since it was last applied.
 */
#ifndef AIFABD_STATEDIR_H
#define AIFABD_STATEDIR_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define AIFABD_APPLIED_NAME	"applied.yaml"
#define AIFABD_DAEMON_JSON	"daemon.json"

uint64_t aifabd_hash(const char *data, size_t len);
int aifabd_statedir_open(const char *dir);
int aifabd_statedir_save(const char *dir, const struct aifabd_status *st,
			 const char *cfg_text, size_t cfg_len);
int aifabd_statedir_hash(const char *dir, uint64_t *hash);

#endif /* AIFABD_STATEDIR_H */
