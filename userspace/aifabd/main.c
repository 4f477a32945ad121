// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd: the aifab fabric manager. So far it reconciles once: it reads the
 * desired state, snapshots the kernel's, plans the fewest changes and
 * applies them (or, with --dry-run, only prints them).
 *
 *   aifabd [--config FILE] --once [--dry-run]
 *   aifabd [--config FILE] --dry-run
 *
 * The daemon loop (SIGHUP reload, health, state) is still to come (issue
 * 6); until then aifabd refuses to run without --once rather than pretend.
 *
 * Exit status: 0 done (or nothing to do), 1 the configuration was refused
 * or the kernel refused a change, 2 a usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/aifab.h>

#include "apply.h"
#include "config.h"
#include "plan.h"
#include "snapshot.h"
#include "udev.h"

#ifndef AIFAB_VERSION
#define AIFAB_VERSION	"0.1"
#endif

#define AIFABD_EXIT_OK		0
#define AIFABD_EXIT_ERR		1
#define AIFABD_EXIT_USAGE	2

struct aifabd_opts {
	const char *config;		/* NULL: the default path or embedded */
	bool once;
	bool dry_run;
};

static const struct option main_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "once", no_argument, NULL, 'o' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void main_usage(FILE *f)
{
	fprintf(f,
		"Usage: aifabd [ --config FILE ] --once [ --dry-run ]\n"
		"       aifabd [ --config FILE ] --dry-run\n"
		"       aifabd { -h | --help | -V | --version }\n"
		"  --config FILE  desired state (default " AIFABD_CONFIG_PATH
		",\n"
		"                 or the embedded default if it does not exist)\n"
		"  --once         reconcile the kernel once, then exit\n"
		"  --dry-run      print the plan and change nothing\n");
}

/* Return: -1 to go on, else the exit status. */
static int main_args(int argc, char **argv, struct aifabd_opts *o)
{
	int opt;

	while ((opt = getopt_long(argc, argv, "hV", main_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'c':
			o->config = optarg;
			break;
		case 'o':
			o->once = true;
			break;
		case 'n':
			o->dry_run = true;
			break;
		case 'h':
			main_usage(stdout);
			return AIFABD_EXIT_OK;
		case 'V':
			printf("aifabd %s (netlink family %s version %d)\n",
			       AIFAB_VERSION, AIFAB_FAMILY_NAME,
			       AIFAB_FAMILY_VERSION);
			return AIFABD_EXIT_OK;
		default:
			main_usage(stderr);
			return AIFABD_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "aifabd: unexpected argument \"%s\"\n",
			argv[optind]);
		main_usage(stderr);
		return AIFABD_EXIT_USAGE;
	}
	/* A dry run is one pass by nature; anything else needs the loop. */
	if (!o->once && !o->dry_run) {
		fprintf(stderr,
			"aifabd: the daemon loop is not implemented yet; use --once\n");
		return AIFABD_EXIT_USAGE;
	}
	return -1;
}

/*
 * An explicit --config must exist; the default path may be absent, and
 * then the embedded default applies, as on a fresh install.
 */
static int main_config(const struct aifabd_opts *o, struct aifabd_config *cfg)
{
	struct aifabd_config_err err = { 0 };
	const char *path = o->config;
	int ret;

	if (!path && access(AIFABD_CONFIG_PATH, F_OK) == 0)
		path = AIFABD_CONFIG_PATH;
	if (path)
		ret = aifabd_config_load(path, cfg, &err);
	else
		ret = aifabd_config_default(cfg, &err);
	if (ret) {
		if (err.msg)
			fprintf(stderr, "%s\n", err.msg);
		else
			fprintf(stderr, "aifabd: %s: %s\n",
				path ? path : "<default>", strerror(-ret));
		fprintf(stderr, "aifabd: configuration refused, nothing applied\n");
	}
	aifabd_config_err_free(&err);
	return ret;
}

static void main_nl_fail(struct aifab_nl *nl, const char *what, int err)
{
	const char *msg = aifab_nl_errmsg(nl);

	fprintf(stderr, "aifabd: %s: %s%s%s\n", what, strerror(-err),
		msg ? ": " : "", msg ? msg : "");
}

/* Snapshot, plan, and print or apply; the configuration is already read. */
static int main_reconcile(struct aifab_nl *nl, const struct aifabd_config *cfg,
			  bool dry_run)
{
	struct aifabd_actual act;
	struct aifabd_plan plan = { 0 };
	struct aifabd_apply_result res;
	char *errmsg = NULL;
	int ret, udev_ret;

	ret = aifabd_snapshot(nl, cfg->has_topo, &act);
	if (ret) {
		main_nl_fail(nl, "reading the kernel's state", ret);
		return AIFABD_EXIT_ERR;
	}
	ret = aifabd_plan_build(cfg, &act, &plan, &errmsg);
	aifabd_actual_free(&act);
	if (ret) {
		/* Mostly the configuration against the kernel: FILE:LINE:COL. */
		if (errmsg)
			fprintf(stderr, "%s\n", errmsg);
		else
			fprintf(stderr, "aifabd: planning: %s\n", strerror(-ret));
		fprintf(stderr, "aifabd: nothing applied\n");
		free(errmsg);
		return AIFABD_EXIT_ERR;
	}
	aifabd_plan_print(stdout, &plan);
	/* Groups first: the uevents of new partitions' nodes look them up. */
	udev_ret = dry_run ? 0 : aifabd_udev_sync(cfg, AIFABD_RUN_DIR);
	if (!dry_run && plan.nops) {
		ret = aifabd_apply(nl, cfg, &plan, &res);
		aifabd_apply_report(ret ? stderr : stdout, &plan, &res);
	}
	aifabd_plan_free(&plan);
	return ret || udev_ret ? AIFABD_EXIT_ERR : AIFABD_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct aifabd_opts o = { 0 };
	struct aifabd_config cfg;
	struct aifab_nl *nl;
	int ret;

	ret = main_args(argc, argv, &o);
	if (ret >= 0)
		return ret;
	if (main_config(&o, &cfg))
		return AIFABD_EXIT_ERR;
	ret = aifab_nl_open(&nl);
	if (ret) {
		fprintf(stderr, "aifabd: aifab: %s\n",
			aifab_nl_open_strerror(ret));
		aifabd_config_free(&cfg);
		return AIFABD_EXIT_ERR;
	}
	ret = main_reconcile(nl, &cfg, o.dry_run);
	aifab_nl_close(nl);
	aifabd_config_free(&cfg);
	return ret;
}
