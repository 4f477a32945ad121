/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The topology model: every node, device and link of a fabric, as
 * "aifabctl topology" and aifabd's configuration and snapshot see it. It is
 * read from a topology file or the "topology" section of aifabd's
 * configuration (topo_parse.c) or from the kernel's dumps (topo_nl.c),
 * written as YAML (aifabctl's topo_emit.c), checked (topo.c), and turned
 * into one TOPOLOGY_SET request (topo_nl.c).
 *
 * The file format, which "topology show" prints and "topology load" reads:
 *
 *   nodes:
 *   - name: node0
 *     local: true
 *   devices:
 *   - name: accel0
 *     type: accel               # or efa
 *     node: node0
 *     mem_bytes: 1073741824     # accelerators only
 *   links:
 *   - name: accel0-accel1
 *     kind: accel               # or affinity, net
 *     a: accel0
 *     b: accel1
 *     speed_mbps: 400000
 *
 * Every key shown is required, and no other is allowed.
 */
#ifndef AIFAB_LIB_TOPO_H
#define AIFAB_LIB_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/aifab.h>

#include "nl.h"

/*
 * Lines and columns are the file's, from 1, for messages; 0 when not from a
 * file. The columns serve aifabd, whose messages are FILE:LINE:COLUMN.
 */
struct topo_node {
	char name[AIFAB_NAME_MAX];
	bool local;
	unsigned int line;		/* where the node starts */
	unsigned int col;
};

struct topo_dev {
	char name[AIFAB_NAME_MAX];
	char node[AIFAB_NAME_MAX];
	uint32_t type;			/* &enum aifab_dev_type */
	uint64_t mem_bytes;		/* 0 unless an accelerator */
	unsigned int line;
	unsigned int col;
	unsigned int node_line;
	unsigned int node_col;
	unsigned int mem_line;		/* 0 when the key is absent */
	unsigned int mem_col;
};

struct topo_link {
	char name[AIFAB_NAME_MAX];
	char a[AIFAB_NAME_MAX];
	char b[AIFAB_NAME_MAX];
	uint32_t kind;			/* &enum aifab_link_kind */
	uint32_t speed_mbps;
	unsigned int line;
	unsigned int col;
	unsigned int a_line;
	unsigned int a_col;
	unsigned int b_line;
	unsigned int b_col;
};

struct topo {
	struct topo_node *nodes;
	struct topo_dev *devs;
	struct topo_link *links;
	size_t nnodes;
	size_t ndevs;
	size_t nlinks;
	size_t cap_nodes;
	size_t cap_devs;
	size_t cap_links;
};

/*
 * The reader's, by their struct tags, so that users of the model need not
 * include yaml_doc.h and libyaml's yaml.h.
 */
struct aifab_yaml_err;
struct aifab_yaml_read;
struct yaml_node_s;

void topo_free(struct topo *t);
struct topo_node *topo_add_node(struct topo *t);
struct topo_dev *topo_add_dev(struct topo *t);
struct topo_link *topo_add_link(struct topo *t);
int topo_check(const struct topo *t, struct aifab_yaml_err *err);
int topo_build(const struct topo *t, struct aifab_nl_msg *m);
unsigned int topo_item_line(const struct topo *t, int index);

int topo_parse(FILE *f, struct topo *t, struct aifab_yaml_err *err);
int topo_parse_node(struct aifab_yaml_read *r,
		    const struct yaml_node_s *node, struct topo *t);

/* Dump callbacks that add one NODE_GET, DEV_GET or LINK_GET reply to a topo. */
int topo_node_reply(const struct nlmsghdr *nlh, void *data);
int topo_dev_reply(const struct nlmsghdr *nlh, void *data);
int topo_link_reply(const struct nlmsghdr *nlh, void *data);

#endif /* AIFAB_LIB_TOPO_H */
