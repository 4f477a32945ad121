// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of aifabd's command line: defaults, every option, ranges,
 * and what is refused, with the exact message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../aifabd/opts.h"
#include "daemon_proto.h"

static struct aifabd_opts o;
static char *out, *err;

/* Parse the words (after "aifabd"), NULL-terminated; keep what printed. */
static int parse(const char **words)
{
	char *argv[32] = { "aifabd" };
	size_t olen, elen;
	FILE *fo, *fe;
	int argc = 1, ret;

	while (words[argc - 1])
		argv[argc] = (char *)words[argc - 1], argc++;
	free(out);
	free(err);
	fo = open_memstream(&out, &olen);
	fe = open_memstream(&err, &elen);
	assert_non_null(fo);
	assert_non_null(fe);
	ret = aifabd_opts_parse(argc, argv, &o, fo, fe);
	fclose(fo);
	fclose(fe);
	return ret;
}

#define PARSE(...)	parse((const char *[]){ __VA_ARGS__, NULL })

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse((const char *[]){ NULL }), -1);
	assert_null(o.config);
	assert_false(o.once);
	assert_false(o.dry_run);
	assert_false(o.foreground);
	assert_false(o.log_given);
	assert_int_equal(o.log_sink, AIFABD_LOG_STDERR);
	assert_int_equal(o.log_level, LOG_NOTICE);
	assert_string_equal(o.run_dir, AIFABD_RUN_DIR);
	assert_string_equal(o.state_dir, AIFABD_STATE_DIR);
	assert_int_equal(o.resync_s, 30);
	assert_string_equal(err, "");
}

static void test_all(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--config", "/etc/x.yaml", "--foreground",
			       "--log", "syslog", "--log-level", "debug",
			       "--run-dir", "/tmp/r", "--state-dir", "s",
			       "--resync-interval", "86400"), -1);
	assert_string_equal(o.config, "/etc/x.yaml");
	assert_true(o.foreground);
	assert_true(o.log_given);
	assert_int_equal(o.log_sink, AIFABD_LOG_SYSLOG);
	assert_true(o.level_given);
	assert_int_equal(o.log_level, LOG_DEBUG);
	assert_string_equal(o.run_dir, "/tmp/r");
	assert_string_equal(o.state_dir, "s");
	assert_int_equal(o.resync_s, 86400);

	assert_int_equal(PARSE("--once", "--dry-run", "--log-level", "emerg"),
			 -1);
	assert_true(o.once);
	assert_true(o.dry_run);
	assert_int_equal(o.log_level, LOG_EMERG);
	assert_int_equal(PARSE("--resync-interval", "1"), -1);
	assert_int_equal(o.resync_s, 1);
}

static void test_ranges(void **state)
{
	static const char *const bad[] = {
		"0", "86401", "-1", "+5", " 5", "5s", "", "99999999999999999999999",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(PARSE("--resync-interval", bad[i]),
				 AIFABD_EXIT_USAGE);
		assert_non_null(strstr(err, "invalid resync interval"));
	}
	assert_int_equal(PARSE("--resync-interval", "0"), AIFABD_EXIT_USAGE);
	assert_string_equal(err, "aifabd: invalid resync interval \"0\": "
			    "expected an integer from 1 to 86400 (seconds)\n");
	assert_int_equal(PARSE("--log-level", "verbose"), AIFABD_EXIT_USAGE);
	assert_non_null(strstr(err, "invalid log level \"verbose\""));
	assert_int_equal(PARSE("--log", "file"), AIFABD_EXIT_USAGE);
	assert_string_equal(err, "aifabd: invalid log sink \"file\": "
			    "expected stderr or syslog\n");
	assert_int_equal(PARSE("--run-dir", ""), AIFABD_EXIT_USAGE);
	assert_non_null(strstr(err, "invalid run directory \"\""));
	assert_int_equal(PARSE("--config", "a\nb"), AIFABD_EXIT_USAGE);
}

static void test_refused(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--bogus"), AIFABD_EXIT_USAGE);
	assert_true(!strncmp(err, "aifabd: unknown option \"--bogus\"\nUsage: ",
			     40));
	assert_int_equal(PARSE("-x"), AIFABD_EXIT_USAGE);
	assert_true(!strncmp(err, "aifabd: unknown option \"-x\"\n", 28));
	assert_int_equal(PARSE("--config"), AIFABD_EXIT_USAGE);
	assert_true(!strncmp(err, "aifabd: option \"--config\" needs a value\n",
			     40));
	assert_int_equal(PARSE("stray"), AIFABD_EXIT_USAGE);
	assert_true(!strncmp(err, "aifabd: unexpected argument \"stray\"\n",
			     36));
	/* The daemon's options mean nothing for one pass. */
	assert_int_equal(PARSE("--once", "--foreground"), AIFABD_EXIT_USAGE);
	assert_non_null(strstr(err, "are for the daemon, not --once"));
	assert_int_equal(PARSE("--dry-run", "--run-dir", "/r"),
			 AIFABD_EXIT_USAGE);
	assert_int_equal(PARSE("--resync-interval", "5", "--once"),
			 AIFABD_EXIT_USAGE);
	assert_string_equal(out, "");
}

/* Detached, standard error is /dev/null: the log would vanish unseen. */
static void test_log_stderr_detached(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--log", "stderr"), AIFABD_EXIT_USAGE);
	assert_string_equal(err, "aifabd: --log stderr needs --foreground: a "
			    "detached daemon's standard error is /dev/null; "
			    "use --log syslog, or --foreground\n");
	assert_string_equal(out, "");
	assert_int_equal(PARSE("--log-level", "info", "--log", "stderr",
			       "--run-dir", "/r"), AIFABD_EXIT_USAGE);
	/* Where standard error stays open, or the daemon's own choice. */
	assert_int_equal(PARSE("--log", "stderr", "--foreground"), -1);
	assert_int_equal(o.log_sink, AIFABD_LOG_STDERR);
	assert_int_equal(PARSE("--once", "--log", "stderr"), -1);
	assert_int_equal(PARSE("--dry-run", "--log", "stderr"), -1);
	assert_int_equal(PARSE("--log", "syslog"), -1);
	assert_int_equal(PARSE("--run-dir", "/r"), -1);
	assert_false(o.log_given);
	assert_string_equal(err, "");
}

static void test_help_version(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--help"), AIFABD_EXIT_OK);
	assert_true(!strncmp(out, "Usage: aifabd ", 14));
	assert_string_equal(err, "");
	assert_int_equal(PARSE("-V"), AIFABD_EXIT_OK);
	assert_true(!strncmp(out, "aifabd ", 7));
	assert_non_null(strstr(out, "netlink family aifab"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_log_stderr_detached),
		cmocka_unit_test(test_help_version),
	};
	int ret = cmocka_run_group_tests(tests, NULL, NULL);

	free(out);
	free(err);
	return ret;
}
