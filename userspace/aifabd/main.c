// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd: the aifab fabric manager. It reads the desired state, snapshots
 * the kernel's, plans the fewest changes and applies them, rolling back a
 * plan the kernel refuses halfway. As a daemon it keeps doing so, on drift
 * and periodically, and reloads on SIGHUP or "aifabctl reload".
 *
 *   aifabd [--config FILE] [--foreground] [--log stderr|syslog]
 *          [--log-level LEVEL] [--run-dir DIR] [--state-dir DIR]
 *          [--resync-interval SECONDS]
 *   aifabd [--config FILE] --once [--dry-run]
 *   aifabd [--config FILE] --dry-run
 *
 * Exit status: 0 done (or nothing to do, or a clean stop), 1 the
 * configuration was refused, the kernel refused a change or the daemon
 * could not start, 2 a usage error. See aifabd(8).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "log.h"
#include "opts.h"
#include "reconcile.h"

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

/* One pass: the report goes to stdout and stderr, as it always has. */
static int main_once(const struct aifabd_opts *o)
{
	struct aifabd_config cfg;
	struct aifabd_recon r;
	struct aifab_nl *nl;
	int ret;

	if (main_config(o, &cfg))
		return AIFABD_EXIT_ERR;
	ret = aifab_nl_open(&nl);
	if (ret) {
		fprintf(stderr, "aifabd: aifab: %s\n",
			aifab_nl_open_strerror(ret));
		aifabd_config_free(&cfg);
		return AIFABD_EXIT_ERR;
	}
	/* Nothing here reads the kernel's state afterwards: no ACTUAL. */
	ret = aifabd_reconcile(nl, &cfg, o->dry_run ? AIFABD_RECON_DRY_RUN : 0,
			       o->run_dir, stdout, stderr, &r);
	aifabd_recon_free(&r);
	aifab_nl_close(nl);
	aifabd_config_free(&cfg);
	return ret ? AIFABD_EXIT_ERR : AIFABD_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct aifabd_opts o;
	int ret;

	ret = aifabd_opts_parse(argc, argv, &o, stdout, stderr);
	if (ret >= 0)
		return ret;
	if (o.once || o.dry_run) {
		/* The printed report is the output; the log stays quiet. */
		aifabd_log_open(o.log_sink, o.level_given ? o.log_level :
							    LOG_CRIT);
		ret = main_once(&o);
	} else {
		aifabd_log_open(o.log_sink, o.log_level);
		ret = aifabd_daemon_run(&o);
	}
	aifabd_log_close();
	return ret;
}
