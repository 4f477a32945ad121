// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of aifabd's status document: the header, the kernel view of
 * links and partitions with their "since", and the atomic write.
 */
#include <errno.h>
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

#include <linux/aifab.h>

#include "fmt.h"
#include "../aifabd/statedir.h"
#include "../aifabd/status.h"
#include "test_util.h"

#define T0	1700000000	/* 2023-11-14T22:13:20Z */

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	return json_object_get_string(v);
}

static void test_header(void **state)
{
	struct aifabd_status st = {
		.pid = 42, .config = "/etc/aifab/aifab.yaml",
		.config_loaded = T0, .reconciles = 3, .reconciled = true,
		.last_time = T0 + 60, .last_ok = false, .last_ops = 0,
		.last_error = "operation 1 of 1 (fence add a b) failed",
	};
	struct json_object *root, *last, *v;

	(void)state;
	root = aifabd_status_json(&st);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "version", &v));
	assert_int_equal(json_object_get_int(v), 1);
	assert_true(json_object_object_get_ex(root, "pid", &v));
	assert_int_equal(json_object_get_int(v), 42);
	assert_string_equal(get_str(root, "config"), "/etc/aifab/aifab.yaml");
	assert_string_equal(get_str(root, "config_loaded"),
			    "2023-11-14T22:13:20Z");
	assert_true(json_object_object_get_ex(root, "last_reconcile", &last));
	assert_string_equal(get_str(last, "time"), "2023-11-14T22:14:20Z");
	assert_true(json_object_object_get_ex(last, "ok", &v));
	assert_false(json_object_get_boolean(v));
	assert_string_equal(get_str(last, "error"), st.last_error);
	json_object_put(root);

	/* Before the first reconcile: null; after a good one: error null. */
	st.reconciled = false;
	root = aifabd_status_json(&st);
	assert_true(json_object_object_get_ex(root, "last_reconcile", &v));
	assert_null(v);
	json_object_put(root);
	st.reconciled = true;
	st.last_ok = true;
	st.last_error = NULL;
	root = aifabd_status_json(&st);
	assert_true(json_object_object_get_ex(root, "last_reconcile", &last));
	assert_true(json_object_object_get_ex(last, "error", &v));
	assert_null(v);
	json_object_put(root);
}

static void test_write_atomic(void **state)
{
	char *dir = test_tmpdir("aifabd-status");
	char path[64], buf[16];
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(dir);
	aifab_fmt(path, sizeof(path), "%s/status.json", dir);
	assert_int_equal(aifabd_write_atomic(path, "old", 3, 0644), 0);
	assert_int_equal(aifabd_write_atomic(path, "new!", 4, 0600), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof(buf), f), 4);
	fclose(f);
	assert_memory_equal(buf, "new!", 4);
	/* No temporary left behind; a bad directory fails cleanly. */
	aifab_fmt(path, sizeof(path), "%s/status.json.tmp", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	assert_int_equal(aifabd_write_atomic("/nonexistent/x", "a", 1, 0644),
			 -ENOENT);
	test_rmtree(dir);
	free(dir);
}

/* The state dir keeps the applied text and its hash, and reads it back. */
static void test_statedir(void **state)
{
	char *dir = test_tmpdir("aifabd-state");
	char sub[64], path[96];
	struct aifabd_status st = { .config = "c.yaml", .config_loaded = T0,
				    .reconciled = true, .last_time = T0,
				    .last_ok = true };
	const char text[] = "tenants: []\n";
	uint64_t h = 0;
	struct stat sb;

	(void)state;
	assert_non_null(dir);
	aifab_fmt(sub, sizeof(sub), "%s/lib", dir);
	assert_int_equal(aifabd_statedir_open(sub), 0);
	assert_int_equal(stat(sub, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0750);
	assert_int_equal(aifabd_statedir_hash(sub, &h), -ENOENT);
	assert_int_equal(aifabd_statedir_save(sub, &st, text, strlen(text)),
			 0);
	assert_int_equal(aifabd_statedir_hash(sub, &h), 0);
	assert_true(h == aifabd_hash(text, strlen(text)));
	assert_true(h != aifabd_hash("tenants: [ ]\n", 13));
	/* FNV-1a of nothing is its offset basis. */
	assert_true(aifabd_hash("", 0) == 0xcbf29ce484222325ULL);
	aifab_fmt(path, sizeof(path), "%s/applied.yaml", sub);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, strlen(text));
	test_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_write_atomic),
		cmocka_unit_test(test_statedir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
