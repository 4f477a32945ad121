/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aifabd's command line, read without side effects so that every rule is
 * unit-tested on the host (tests/test_aifabd_opts.c).
 */
#ifndef AIFABD_OPTS_H
#define AIFABD_OPTS_H

#include <stdbool.h>
#include <stdio.h>

#include "log.h"

#define AIFABD_EXIT_OK		0
#define AIFABD_EXIT_ERR		1
#define AIFABD_EXIT_USAGE	2

#define AIFABD_RESYNC_DEFAULT_S	30U
#define AIFABD_RESYNC_MAX_S	86400U

struct aifabd_opts {
	const char *config;		/* NULL: the default path or embedded */
	bool once;
	bool dry_run;
	bool foreground;
	bool log_given;			/* --log: keep it after daemonizing */
	enum aifabd_log_sink log_sink;
	bool level_given;
	int log_level;
	const char *run_dir;
	const char *state_dir;
	unsigned int resync_s;
};

int aifabd_opts_parse(int argc, char **argv, struct aifabd_opts *o,
		      FILE *out, FILE *err);
void aifabd_opts_usage(FILE *f);

#endif /* AIFABD_OPTS_H */
