/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aifabctl internals: the command tables, the request descriptions built
 * from the command line, and the helpers the object files share.
 *
 * A command runs in two steps. Its args() function is pure: it checks the
 * words after the verb and fills a struct ctl_args, without printing or
 * touching the kernel, so that every grammar rule is unit-tested on the
 * host. Its run() function then sends the request through ctl->ops and
 * prints the replies through the output layer.
 */
#ifndef AIFABCTL_CTL_H
#define AIFABCTL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "array.h"
#include "names.h"
#include "nl.h"
#include "output.h"
#include "str.h"

#define CTL_EXIT_OK		0
#define CTL_EXIT_ERR		1	/* errors, usage, refused by the kernel */
#define CTL_EXIT_REFUSED	2	/* route get: the fabric refuses the route */

struct ctl;

/* The kernel as commands see it; unit tests substitute canned replies. */
struct ctl_ops {
	int (*connect)(struct ctl *ctl);
	int (*exec)(struct ctl *ctl, const struct aifab_nl_req *req,
		    aifab_nl_cb_t cb, void *data);
	/* For requests too large or too nested for a description. */
	int (*exec_msg)(struct ctl *ctl, struct aifab_nl_msg *m,
			aifab_nl_cb_t cb, void *data);
};

struct ctl {
	FILE *in;			/* what "-" reads (stdin) */
	FILE *out;
	FILE *err;
	unsigned int out_flags;		/* AIFAB_OUT_JSON, AIFAB_OUT_PRETTY */
	const struct ctl_ops *ops;
	struct aifab_nl *nl;		/* set by ctl_nl_ops.connect */
	const char *obj;		/* the object and verb running, to */
	const char *verb;		/* prefix errors; verb may be NULL */
	const char *errmsg;		/* kernel's message for the last error */
	const char *err_arg;		/* argument that message is about */
	int err_index;			/* exec_msg: top-level attribute of the
					 * request the error is about, or -1 */
	void *priv;			/* for substitute ops */
};

/* What a command line asks for, found without talking to the kernel. */
struct ctl_args {
	struct aifab_nl_req req;
	const char *bad;		/* refused argument; NULL: usage error */
	const char *bad_what;		/* what @bad was meant to be */
	const char *expected;		/* what would have been accepted */
	const char *file;		/* a file to read; "-" for ctl->in */
	bool prometheus;		/* stats show --prometheus */
	bool has_netns_fd;		/* @netns_fd is open for the request; */
	int netns_fd;			/* ctl_run() closes it */
	const char *run_dir;		/* reload, health: aifabd's run dir */
	bool json;			/* health show -j */
};

/*
 * run() reads its input before it connects, with ctl_connect(), so that a
 * bad file is reported as such even without the module.
 */
#define CTL_CMD_CONNECT_LATE	(1U << 0)
/* run() talks to aifabd or reads its files, never to the kernel. */
#define CTL_CMD_NO_KERNEL	(1U << 1)

struct ctl_cmd {
	const char *name;		/* NULL: the object's unnamed command */
	int (*args)(int argc, char **argv, struct ctl_args *a);
	int (*run)(struct ctl *ctl, const struct ctl_args *a);
	unsigned int flags;		/* CTL_CMD_* */
};

struct ctl_obj {
	const char *name;
	const char *usage;		/* without "Usage: "; later lines are
					 * indented to match it */
	const struct ctl_cmd *cmds;	/* cmds[0] runs when no verb is given */
	size_t ncmds;
};

extern const struct ctl_obj ctl_dev_obj;
extern const struct ctl_obj ctl_link_obj;
extern const struct ctl_obj ctl_partition_obj;
extern const struct ctl_obj ctl_fence_obj;
extern const struct ctl_obj ctl_route_obj;
extern const struct ctl_obj ctl_monitor_obj;
extern const struct ctl_obj ctl_stats_obj;
extern const struct ctl_obj ctl_topology_obj;
extern const struct ctl_obj ctl_reload_obj;
extern const struct ctl_obj ctl_health_obj;
extern const struct ctl_ops ctl_nl_ops;

void ctl_init(struct ctl *ctl, FILE *out, FILE *err, unsigned int out_flags);
void ctl_fini(struct ctl *ctl);
void ctl_usage(FILE *f);
int ctl_dispatch(struct ctl *ctl, int argc, char **argv);

/* For args() functions. */
int ctl_args_bad(struct ctl_args *a, const char *what, const char *arg,
		 const char *expected);
int ctl_args_name(struct ctl_args *a, uint16_t type, const char *what,
		  const char *s);
int ctl_args_names(struct ctl_args *a, uint16_t type, const char *what,
		   int argc, char **argv);
int ctl_args_none(int argc, char **argv, struct ctl_args *a);

/* For run() functions. */
int ctl_connect(struct ctl *ctl);
int ctl_fail(struct ctl *ctl, int err);
int ctl_show(struct ctl *ctl, const struct ctl_args *a, aifab_nl_cb_t print);
int ctl_dump(struct ctl *ctl, uint8_t cmd, aifab_nl_cb_t cb, void *data);
int ctl_change(struct ctl *ctl, const struct ctl_args *a);

/* For printers. */
int ctl_out_str(struct aifab_out *out, const char *key, const char *fmt,
		const struct nlattr *attr, const char *none);
int ctl_out_u32(struct aifab_out *out, const char *key, const char *fmt,
		const struct nlattr *attr);
int ctl_out_enum(struct aifab_out *out, const char *key, const char *fmt,
		 const struct nlattr *attr, const char *const *names, size_t n);

struct topo;

/* "topology show": a model as the YAML file "topology load" reads. */
int topo_emit(FILE *f, const struct topo *t);

/* Printers the monitor shares with the show commands. */
int link_print_fields(struct aifab_out *out, const struct nlattr **tb);
int partition_print_fields(struct aifab_out *out, const struct nlmsghdr *nlh,
			   const struct nlattr **tb);

/* Reply and event printers, exported for the unit tests. */
int dev_print(const struct nlmsghdr *nlh, void *out);
int link_print(const struct nlmsghdr *nlh, void *out);
int partition_print(const struct nlmsghdr *nlh, void *out);
int fence_print(const struct nlmsghdr *nlh, void *out);
int monitor_print(const struct nlmsghdr *nlh, FILE *f, unsigned int flags);
int health_print(struct ctl *ctl, const char *path, bool json);

#endif /* AIFABCTL_CTL_H */
