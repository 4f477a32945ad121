/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aifabd's desired state: what the fabric should look like, read from
 * /etc/aifab/aifab.yaml (or --config FILE), or the embedded default.
 *
 * The file format:
 *
 *   topology:                 # optional; absent: the kernel's is kept
 *     nodes: [...]            # the schema of "aifabctl topology show",
 *     devices: [...]          # read by the same reader (topo.h)
 *     links: [...]
 *   tenants:
 *   - name: acme
 *     group: acme             # optional: unix group of its device nodes
 *     netns: acme             # optional: /run/netns/NAME, which its
 *                             # partitions' devices open only from
 *   partitions:
 *   - name: red
 *     tenant: acme
 *     devices: [accel0, accel1, efa0]   # optional; none by default
 *   fences:                   # each a pair of partitions that may talk
 *   - [red, blue]
 *   health:
 *     degrade_ppm: 1000       # 0-1000000 errors per million packets over
 *                             # which a link is degraded; 0: never
 *     flap_damping_ms: 5000   # 0-3600000: how long a link stays up
 *                             # before it counts as up again
 *     on_link_down: reroute   # or degrade, or down
 *     links:                  # optional per-link overrides
 *     - name: efa0-efa1
 *       degrade_ppm: 500
 *
 * Every top-level key, every key of "health" and every key of a link
 * override is optional; absent lists are empty and absent health values
 * take the defaults below. Tenants need a name; partitions a name and a
 * tenant. Nothing else is allowed.
 *
 * Names (tenants, partitions, devices, links, network namespaces) follow
 * the kernel's rule, 1-31 characters of [a-zA-Z0-9_.-]; a group name too,
 * but it may not start with '-' nor be all digits (tools would read a
 * number as a gid). The file is refused if any name is defined twice, a
 * device is in two partitions (or twice in one), a fence is listed twice
 * (either way round) or joins a partition to itself, a partition names an
 * unknown tenant, or a fence an unknown partition. With a topology section,
 * partition devices and per-link overrides must also be in it.
 *
 * The first problem found is reported as "FILE:LINE:COLUMN: what is
 * wrong", and the file then yields no configuration at all.
 */
#ifndef AIFABD_CONFIG_H
#define AIFABD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/aifab.h>

#include "topo.h"

#define AIFABD_CONFIG_PATH		"/etc/aifab/aifab.yaml"

#define AIFABD_DEGRADE_PPM_MAX		1000000U
#define AIFABD_FLAP_DAMPING_MS_MAX	3600000U

#define AIFABD_DEFAULT_DEGRADE_PPM	1000U
#define AIFABD_DEFAULT_FLAP_DAMPING_MS	5000U

/* What aifabd does when a link goes down. */
enum aifabd_link_down {
	AIFABD_LINK_DOWN_REROUTE,	/* route around it, if the fabric can */
	AIFABD_LINK_DOWN_DEGRADE,	/* mark the partitions on it degraded */
	AIFABD_LINK_DOWN_DOWN,		/* take those partitions down */
};

/* Where something is in the file, from 1, for messages. */
struct aifabd_pos {
	unsigned int line;
	unsigned int col;
};

struct aifabd_tenant {
	char name[AIFAB_NAME_MAX];
	char group[AIFAB_NAME_MAX];	/* "" when absent */
	char netns[AIFAB_NAME_MAX];	/* "" when absent: not bound */
	struct aifabd_pos pos;
};

/* A name that refers to something else, and where it is written. */
struct aifabd_ref {
	char name[AIFAB_NAME_MAX];
	struct aifabd_pos pos;
};

struct aifabd_partition {
	char name[AIFAB_NAME_MAX];
	struct aifabd_ref tenant;
	struct aifabd_ref *devs;	/* in file order */
	size_t ndevs;
	size_t cap_devs;
	struct aifabd_pos pos;
};

struct aifabd_fence {
	struct aifabd_ref a;
	struct aifabd_ref b;
	struct aifabd_pos pos;
};

struct aifabd_link_policy {
	char name[AIFAB_NAME_MAX];
	uint32_t degrade_ppm;
	struct aifabd_pos pos;
};

struct aifabd_health_config {
	uint32_t degrade_ppm;
	uint32_t flap_damping_ms;
	enum aifabd_link_down on_link_down;
	struct aifabd_link_policy *links;
	size_t nlinks;
	size_t cap_links;
};

struct aifabd_config {
	char *file;			/* the name messages give it */
	bool has_topo;
	struct topo topo;		/* empty unless has_topo */
	struct aifabd_tenant *tenants;
	size_t ntenants;
	size_t cap_tenants;
	struct aifabd_partition *parts;
	size_t nparts;
	size_t cap_parts;
	struct aifabd_fence *fences;
	size_t nfences;
	size_t cap_fences;
	struct aifabd_health_config health;
};

/* Why a configuration was refused. */
struct aifabd_config_err {
	unsigned int line;		/* 0 when not about a place in it */
	unsigned int col;
	char *msg;			/* "FILE:LINE:COLUMN: what is wrong" */
};

extern const char aifabd_config_default_yaml[];

int aifabd_config_parse(FILE *f, const char *name, struct aifabd_config *cfg,
			struct aifabd_config_err *err);
int aifabd_config_load(const char *path, struct aifabd_config *cfg,
		       struct aifabd_config_err *err);
int aifabd_config_load_text(const char *path, struct aifabd_config *cfg,
			    struct aifabd_config_err *err, char **text,
			    size_t *len);
int aifabd_config_default(struct aifabd_config *cfg,
			  struct aifabd_config_err *err);
void aifabd_config_free(struct aifabd_config *cfg);
void aifabd_config_err_free(struct aifabd_config_err *err);

const struct aifabd_tenant *
aifabd_config_tenant(const struct aifabd_config *cfg, const char *name);
const struct aifabd_partition *
aifabd_config_partition(const struct aifabd_config *cfg, const char *name);
uint32_t aifabd_config_degrade_ppm(const struct aifabd_config *cfg,
				   const char *link);
const char *aifabd_link_down_name(enum aifabd_link_down v);

#endif /* AIFABD_CONFIG_H */
