// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd's command line; see opts.h and aifabd(8).
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include <linux/aifab.h>

#include "config.h"
#include "daemon_proto.h"
#include "opts.h"
#include "str.h"

#ifndef AIFAB_VERSION
#define AIFAB_VERSION	"0.1"
#endif

enum {
	OPT_CONFIG = 'c',
	OPT_HELP = 'h',
	OPT_VERSION = 'V',
	OPT_ONCE = 256,
	OPT_DRY_RUN,
	OPT_FOREGROUND,
	OPT_LOG,
	OPT_LOG_LEVEL,
	OPT_RUN_DIR,
	OPT_STATE_DIR,
	OPT_RESYNC,
};

static const struct option opts_long[] = {
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "foreground", no_argument, NULL, OPT_FOREGROUND },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "run-dir", required_argument, NULL, OPT_RUN_DIR },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "resync-interval", required_argument, NULL, OPT_RESYNC },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

void aifabd_opts_usage(FILE *f)
{
	fprintf(f,
		"Usage: aifabd [ --config FILE ] [ --foreground ] [ --log stderr|syslog ]\n"
		"              [ --log-level LEVEL ] [ --run-dir DIR ] [ --state-dir DIR ]\n"
		"              [ --resync-interval SECONDS ]\n"
		"       aifabd [ --config FILE ] --once [ --dry-run ] [ --log ... ] [ --log-level ... ]\n"
		"       aifabd [ --config FILE ] --dry-run\n"
		"       aifabd { -h | --help | -V | --version }\n"
		"  --config FILE        desired state (default " AIFABD_CONFIG_PATH ",\n"
		"                       or the embedded default if it does not exist)\n"
		"  --foreground         stay attached; do not fork (as under systemd)\n"
		"  --log SINK           stderr or syslog (default stderr, syslog once\n"
		"                       detached; stderr needs --foreground)\n"
		"  --log-level LEVEL    emerg alert crit err warning notice info debug\n"
		"                       (default notice; with --once, crit: the report\n"
		"                       is printed instead)\n"
		"  --run-dir DIR        pid file, control socket, status.json (default "
		AIFABD_RUN_DIR ")\n"
		"  --state-dir DIR      applied.yaml, daemon.json (default "
		AIFABD_STATE_DIR ")\n"
		"  --resync-interval S  reconcile every S seconds, 1-%u (default %u)\n"
		"  --once               reconcile the kernel once, then exit\n"
		"  --dry-run            print the plan and change nothing\n",
		AIFABD_RESYNC_MAX_S, AIFABD_RESYNC_DEFAULT_S);
}

static int opts_bad(FILE *err, const char *what, const char *arg,
		    const char *expected)
{
	fprintf(err, "aifabd: invalid %s \"%s\": expected %s\n", what, arg,
		expected);
	return AIFABD_EXIT_USAGE;
}

/* A directory or file name: not empty, no newline (it ends up in logs). */
static int opts_path(FILE *err, const char *what, const char *arg,
		     const char **dst)
{
	if (!*arg || strchr(arg, '\n') || strlen(arg) >= 4096)
		return opts_bad(err, what, arg,
				"a path of 1-4095 characters without newlines");
	*dst = arg;
	return -1;
}

/* Return: -1 to go on, else the exit status. */
static int opts_one(int opt, const char *arg, struct aifabd_opts *o,
		    FILE *err)
{
	uint64_t v;

	switch (opt) {
	case OPT_CONFIG:
		return opts_path(err, "configuration file", arg, &o->config);
	case OPT_ONCE:
		o->once = true;
		return -1;
	case OPT_DRY_RUN:
		o->dry_run = true;
		return -1;
	case OPT_FOREGROUND:
		o->foreground = true;
		return -1;
	case OPT_LOG:
		o->log_given = true;
		if (aifabd_log_sink_parse(arg, &o->log_sink))
			return opts_bad(err, "log sink", arg,
					"stderr or syslog");
		return -1;
	case OPT_LOG_LEVEL:
		o->level_given = true;
		o->log_level = aifabd_log_level_parse(arg);
		if (o->log_level < 0)
			return opts_bad(err, "log level", arg,
					"emerg, alert, crit, err, warning, "
					"notice, info or debug");
		return -1;
	case OPT_RUN_DIR:
		return opts_path(err, "run directory", arg, &o->run_dir);
	case OPT_STATE_DIR:
		return opts_path(err, "state directory", arg, &o->state_dir);
	case OPT_RESYNC:
		if (aifab_parse_u64(arg, AIFABD_RESYNC_MAX_S, &v) || v < 1)
			return opts_bad(err, "resync interval", arg,
					"an integer from 1 to 86400 (seconds)");
		o->resync_s = (unsigned int)v;
		return -1;
	}
	return AIFABD_EXIT_USAGE;
}

/*
 * Options of the daemon make no sense for one pass, and a detached
 * daemon's standard error is /dev/null, where --log stderr would lose
 * every message: say so, not ignore.
 */
static int opts_check(const struct aifabd_opts *o, bool daemon_only,
		      FILE *err)
{
	bool one_pass = o->once || o->dry_run;

	if (one_pass && daemon_only) {
		fprintf(err, "aifabd: --foreground, --run-dir, --state-dir and "
			"--resync-interval are for the daemon, not --once or "
			"--dry-run\n");
		return AIFABD_EXIT_USAGE;
	}
	if (!one_pass && !o->foreground && o->log_given &&
	    o->log_sink == AIFABD_LOG_STDERR) {
		fprintf(err, "aifabd: --log stderr needs --foreground: a "
			"detached daemon's standard error is /dev/null; use "
			"--log syslog, or --foreground\n");
		return AIFABD_EXIT_USAGE;
	}
	return -1;
}

static void opts_defaults(struct aifabd_opts *o)
{
	*o = (struct aifabd_opts){
		.log_sink = AIFABD_LOG_STDERR,
		.log_level = LOG_NOTICE,
		.run_dir = AIFABD_RUN_DIR,
		.state_dir = AIFABD_STATE_DIR,
		.resync_s = AIFABD_RESYNC_DEFAULT_S,
	};
}

static int opts_unknown(char **argv, FILE *err)
{
	const char *arg = argv[optind - 1];

	if (optopt && optopt < 256)
		fprintf(err, "aifabd: unknown option \"-%c\"\n", optopt);
	else
		fprintf(err, "aifabd: unknown option \"%s\"\n", arg);
	aifabd_opts_usage(err);
	return AIFABD_EXIT_USAGE;
}

/**
 * aifabd_opts_parse() - Read the command line.
 * @argc: Argument count.
 * @argv: Arguments.
 * @o: Filled in, defaults included.
 * @out: Where --help and --version print.
 * @err: Where errors and usage print.
 *
 * Return: -1 to go on, else the exit status (AIFABD_EXIT_OK after --help
 * or --version, AIFABD_EXIT_USAGE for anything refused).
 */
int aifabd_opts_parse(int argc, char **argv, struct aifabd_opts *o,
		      FILE *out, FILE *err)
{
	bool daemon_only = false;
	int opt, ret;

	opts_defaults(o);
	optind = 0;		/* a full restart of getopt, for the tests */
	opterr = 0;		/* our own messages, to @err */
	while ((opt = getopt_long(argc, argv, ":hV", opts_long, NULL)) != -1) {
		switch (opt) {
		case OPT_HELP:
			aifabd_opts_usage(out);
			return AIFABD_EXIT_OK;
		case OPT_VERSION:
			fprintf(out, "aifabd %s (netlink family %s version %d)\n",
				AIFAB_VERSION, AIFAB_FAMILY_NAME,
				AIFAB_FAMILY_VERSION);
			return AIFABD_EXIT_OK;
		case ':':
			fprintf(err, "aifabd: option \"%s\" needs a value\n",
				argv[optind - 1]);
			aifabd_opts_usage(err);
			return AIFABD_EXIT_USAGE;
		case '?':
			return opts_unknown(argv, err);
		default:
			daemon_only |= opt == OPT_FOREGROUND ||
				       opt == OPT_RUN_DIR ||
				       opt == OPT_STATE_DIR || opt == OPT_RESYNC;
			ret = opts_one(opt, optarg, o, err);
			if (ret >= 0)
				return ret;
		}
	}
	if (optind < argc) {
		fprintf(err, "aifabd: unexpected argument \"%s\"\n",
			argv[optind]);
		aifabd_opts_usage(err);
		return AIFABD_EXIT_USAGE;
	}
	return opts_check(o, daemon_only, err);
}
