// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of aifabd's udev part: the tenant files in a temporary run
 * directory (content, mode, no temporary left, stale ones removed), and
 * the "change" written to the uevent files of a fake sysfs, only for the
 * nodes of tenants whose group changed. What udev then does with them is
 * tested in the VM (selftests/aifab/udev_test.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../aifabd/config.h"
#include "../aifabd/log.h"
#include "../aifabd/udev.h"
#include "test_util.h"

/* The Makefile gives the absolute path; this serves linters. */
#ifndef EXAMPLE_CONFIG
#define EXAMPLE_CONFIG	"aifabd/aifab.yaml.example"
#endif

struct fixture {
	char *root;
	char *run;
	char *sys;
};

static void put(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(content, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* put() to a path made of a format. */
static void __attribute__((format(printf, 2, 3)))
putf(const char *content, const char *f, ...)
{
	va_list ap;
	char *path;

	va_start(ap, f);
	assert_true(vasprintf(&path, f, ap) >= 0);
	va_end(ap);
	put(path, content);
	free(path);
}

/* The content of a file named by a format, "" if empty, NULL if missing. */
static const char *__attribute__((format(printf, 1, 2)))
getf(const char *f, ...)
{
	static char buf[256];
	va_list ap;
	char *path;
	FILE *file;
	size_t n;

	va_start(ap, f);
	assert_true(vasprintf(&path, f, ap) >= 0);
	va_end(ap);
	file = fopen(path, "r");
	free(path);
	if (!file)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, file);
	fclose(file);
	buf[n] = '\0';
	return buf;
}

/* mkdir -p */
static void mkdirs(const char *path)
{
	char *buf = test_fmt("%s", path), *p;

	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		assert_true(!mkdir(buf, 0755) || errno == EEXIST);
		*p = '/';
	}
	assert_true(!mkdir(buf, 0755) || errno == EEXIST);
	free(buf);
}

/* A node of class @cls named @name, of @tenant's device ("" for none). */
static void add_node(struct fixture *fx, const char *cls, const char *name,
		     const char *tenant)
{
	char *dir = test_fmt("%s/class/%s/%s/device", fx->sys, cls, name);
	char *line = test_fmt("%s\n", tenant);

	mkdirs(dir);
	putf(line, "%s/aifab_tenant", dir);
	putf("", "%s/class/%s/%s/uevent", fx->sys, cls, name);
	free(line);
	free(dir);
}

static const char *uevent(struct fixture *fx, const char *cls,
			  const char *name)
{
	return getf("%s/class/%s/%s/uevent", fx->sys, cls, name);
}

static void clear_uevents(struct fixture *fx)
{
	static const char *const nodes[][2] = {
		{ "accel", "accel0" }, { "accel", "accel1" },
		{ "drm", "renderD128" }, { "infiniband_verbs", "uverbs0" },
		{ "infiniband_verbs", "uverbs1" },
	};
	size_t i;

	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		putf("", "%s/class/%s/%s/uevent", fx->sys, nodes[i][0],
		     nodes[i][1]);
}

static const char *tenant_file(struct fixture *fx, const char *tenant)
{
	return getf("%s/tenants/%s", fx->run, tenant);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->root = test_tmpdir("aifabd-udev");
	assert_non_null(fx->root);
	fx->run = test_fmt("%s/run", fx->root);
	fx->sys = test_fmt("%s/sys", fx->root);
	/* acme owns accel0 and uverbs0, globex accel1; renderD128 is free. */
	add_node(fx, "accel", "accel0", "acme");
	add_node(fx, "accel", "accel1", "globex");
	add_node(fx, "drm", "renderD128", "");
	add_node(fx, "infiniband_verbs", "uverbs0", "acme");
	add_node(fx, "infiniband_verbs", "uverbs1", "initech");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	test_rmtree(fx->root);
	free(fx->root);
	free(fx->run);
	free(fx->sys);
	free(fx);
	return 0;
}

static void parse(const char *yaml, struct aifabd_config *cfg)
{
	FILE *f = fmemopen((void *)yaml, strlen(yaml), "r");
	struct aifabd_config_err err = { 0 };

	assert_non_null(f);
	assert_int_equal(aifabd_config_parse(f, "t.yaml", cfg, &err), 0);
	fclose(f);
}

static int sync_yaml(struct fixture *fx, const char *yaml)
{
	struct aifabd_config cfg;
	int ret;

	parse(yaml, &cfg);
	ret = aifabd_udev_sync_at(&cfg, fx->run, fx->sys);
	aifabd_config_free(&cfg);
	return ret;
}

static const char two_groups[] =
	"tenants:\n"
	"- {name: acme, group: acme-users}\n"
	"- {name: globex, group: globex}\n"
	"- {name: initech}\n";

/* One file per tenant with a group, whole, 0644; none for the others. */
static void test_files(void **state)
{
	struct fixture *fx = *state;
	struct stat st;
	char *path;

	assert_int_equal(sync_yaml(fx, two_groups), 0);
	assert_string_equal(tenant_file(fx, "acme"), "AIFAB_GROUP=acme-users\n");
	assert_string_equal(tenant_file(fx, "globex"), "AIFAB_GROUP=globex\n");
	assert_null(tenant_file(fx, "initech"));
	path = test_fmt("%s/tenants/acme", fx->run);
	assert_int_equal(stat(path, &st), 0);
	free(path);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_true(S_ISREG(st.st_mode));
	/* No temporary file is left. */
	assert_null(tenant_file(fx, ".acme.tmp"));
	/* The nodes of both tenants were told; the others not. */
	assert_string_equal(uevent(fx, "accel", "accel0"), "change");
	assert_string_equal(uevent(fx, "accel", "accel1"), "change");
	assert_string_equal(uevent(fx, "infiniband_verbs", "uverbs0"), "change");
	assert_string_equal(uevent(fx, "drm", "renderD128"), "");
	assert_string_equal(uevent(fx, "infiniband_verbs", "uverbs1"), "");
}

/* The same configuration again changes nothing and tells no node. */
static void test_unchanged(void **state)
{
	struct fixture *fx = *state;
	struct stat before, after;
	char *path = test_fmt("%s/tenants/acme", fx->run);

	assert_int_equal(sync_yaml(fx, two_groups), 0);
	assert_int_equal(stat(path, &before), 0);
	clear_uevents(fx);
	assert_int_equal(sync_yaml(fx, two_groups), 0);
	assert_int_equal(stat(path, &after), 0);
	free(path);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_string_equal(uevent(fx, "accel", "accel0"), "");
	assert_string_equal(uevent(fx, "accel", "accel1"), "");
	assert_string_equal(uevent(fx, "infiniband_verbs", "uverbs0"), "");
}

/*
 * A group changes for one tenant, another loses its group, a third gains
 * one: each file follows, and only the nodes of those tenants are told.
 */
static void test_changes(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(sync_yaml(fx, two_groups), 0);
	clear_uevents(fx);
	assert_int_equal(sync_yaml(fx,
				   "tenants:\n"
				   "- {name: acme, group: acme2}\n"
				   "- {name: globex, group: globex}\n"
				   "- {name: initech, group: initech}\n"), 0);
	assert_string_equal(tenant_file(fx, "acme"), "AIFAB_GROUP=acme2\n");
	assert_string_equal(tenant_file(fx, "initech"), "AIFAB_GROUP=initech\n");
	assert_string_equal(uevent(fx, "accel", "accel0"), "change");
	assert_string_equal(uevent(fx, "infiniband_verbs", "uverbs0"), "change");
	assert_string_equal(uevent(fx, "infiniband_verbs", "uverbs1"), "change");
	assert_string_equal(uevent(fx, "accel", "accel1"), "");

	clear_uevents(fx);
	assert_int_equal(sync_yaml(fx,
				   "tenants:\n"
				   "- {name: acme}\n"
				   "- {name: initech, group: initech}\n"), 0);
	assert_null(tenant_file(fx, "acme"));
	assert_null(tenant_file(fx, "globex"));
	assert_non_null(tenant_file(fx, "initech"));
	assert_string_equal(uevent(fx, "accel", "accel0"), "change");
	assert_string_equal(uevent(fx, "accel", "accel1"), "change");
	assert_string_equal(uevent(fx, "infiniband_verbs", "uverbs1"), "");
}

/* Files nobody configured, and temporaries of a crash, are removed. */
static void test_stale(void **state)
{
	struct fixture *fx = *state;
	char *dir = test_fmt("%s/tenants", fx->run);

	mkdirs(dir);
	putf("AIFAB_GROUP=old\n", "%s/old", dir);
	putf("AIFAB_GROUP=half", "%s/.acme.tmp", dir);
	/* A file with the wrong content is rewritten. */
	putf("AIFAB_GROUP=wrong\n", "%s/globex", dir);
	free(dir);
	assert_int_equal(sync_yaml(fx, two_groups), 0);
	assert_null(tenant_file(fx, "old"));
	assert_null(tenant_file(fx, ".acme.tmp"));
	assert_string_equal(tenant_file(fx, "globex"), "AIFAB_GROUP=globex\n");
}

/* A run directory that cannot be made is an error, not silence. */
static void test_unwritable(void **state)
{
	struct fixture *fx = *state;
	struct aifabd_config cfg;
	char *path = test_fmt("%s/file/run", fx->root);

	putf("", "%s/file", fx->root);
	parse(two_groups, &cfg);
	assert_int_equal(aifabd_udev_sync_at(&cfg, path, fx->sys), -ENOTDIR);
	aifabd_config_free(&cfg);
	free(path);
}

/* A tenant named like a directory entry cannot have a file. */
static void test_dot_tenant(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(sync_yaml(fx, "tenants:\n- {name: .., group: x}\n"),
			 -EINVAL);
	assert_null(tenant_file(fx, ".x.tmp"));
}

/* The example that make install puts in /etc/aifab parses, with groups. */
static void test_example(void **state)
{
	struct aifabd_config_err err = { 0 };
	struct aifabd_config cfg;
	size_t i, groups = 0;

	(void)state;
	assert_int_equal(aifabd_config_load(EXAMPLE_CONFIG, &cfg, &err), 0);
	assert_true(cfg.ntenants >= 2);
	assert_true(cfg.nparts >= 2);
	for (i = 0; i < cfg.ntenants; i++)
		groups += cfg.tenants[i].group[0] != '\0';
	assert_true(groups >= 1);
	aifabd_config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dot_tenant, setup, teardown),
		cmocka_unit_test(test_example),
	};

	/* The failures the tests provoke are logged; keep TAP clean. */
	aifabd_log_open(AIFABD_LOG_STDERR, LOG_CRIT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
