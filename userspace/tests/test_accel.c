// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the accelerator client's host-side parts: discovery from
 * a fake sysfs class directory, name and node checks at open, BO size
 * rounding, deadlines and the command builders. The ioctls themselves
 * are exercised against the module by tools/allreduce in a VM.
 */
#include <errno.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include <cmocka.h>

#include "accel.h"
#include "test_util.h"

/* A temporary directory: the class in class/, device nodes beside it. */
struct fixture {
	char *root;
	char *class_dir;
};

/* Writes @value to file @dir/@name, creating @dir. */
static void put(const char *dir, const char *name, const char *value)
{
	char *path = test_fmt("%s/%s", dir, name);
	FILE *f;

	mkdir(dir, 0755);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(value, f);
	assert_int_equal(fclose(f), 0);
	free(path);
}

/*
 * One fabric device, its files as sysfs shows them. @node: NULL for no
 * dev_node file, "" for an empty one, else a file name under the root.
 */
static void add_dev(const struct fixture *fx, const char *name,
		    const char *type, const char *local, const char *part,
		    const char *mem, const char *node)
{
	char *dir = test_fmt("%s/%s", fx->class_dir, name);
	char *line;

	line = test_fmt("%s\n", type);
	put(dir, "type", line);
	free(line);
	line = test_fmt("%s\n", local);
	put(dir, "local", line);
	free(line);
	line = test_fmt("%s\n", part);
	put(dir, "partition", line);
	free(line);
	line = test_fmt("%s\n", mem);
	put(dir, "mem_bytes", line);
	free(line);
	if (node) {
		line = *node ? test_fmt("%s/%s\n", fx->root, node) :
			       test_fmt("\n");
		put(dir, "dev_node", line);
		free(line);
	}
	free(dir);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->root = test_tmpdir("aifab-test-accel");
	if (!fx->root || asprintf(&fx->class_dir, "%s/class", fx->root) < 0 ||
	    mkdir(fx->class_dir, 0755)) {
		free(fx->root);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	test_rmtree(fx->root);
	free(fx->class_dir);
	free(fx->root);
	free(fx);
	return 0;
}

/* The fabric of most tests; node0 and node2 exist, node10 does not. */
static void add_fabric(const struct fixture *fx)
{
	put(fx->root, "node0", "");
	put(fx->root, "node2", "");
	add_dev(fx, "accel0", "accel", "1", "", "1073741824", "node0");
	add_dev(fx, "accel10", "accel", "1", "red", "2048", "node10");
	add_dev(fx, "accel2", "accel", "1", "", "4096", "node2");
	add_dev(fx, "efa0", "efa", "1", "", "0", "");
	add_dev(fx, "remote0", "accel", "0", "", "4096", "");
	/* A module without accelerator devices has no dev_node file. */
	add_dev(fx, "accel5", "accel", "1", "", "4096", NULL);
	add_dev(fx, "accel6", "accel", "1", "", "4096", "");
}

static void assert_ent(const struct fixture *fx,
		       const struct aifab_accel_ent *e, const char *name,
		       const char *node, const char *part, uint64_t mem)
{
	char *path = test_fmt("%s/%s", fx->root, node);

	assert_string_equal(e->name, name);
	assert_string_equal(e->path, path);
	assert_string_equal(e->partition, part);
	assert_int_equal(e->mem_bytes, mem);
	free(path);
}

static void test_list_filters_and_sorts(void **state)
{
	struct fixture *fx = *state;
	struct aifab_accel_ent *ents = NULL;

	add_fabric(fx);
	assert_int_equal(aifab_accel_list_at(fx->class_dir, 0, &ents), 3);
	/* Numbers sort as numbers: accel2 before accel10. */
	assert_ent(fx, &ents[0], "accel0", "node0", "", 1073741824);
	assert_ent(fx, &ents[1], "accel2", "node2", "", 4096);
	assert_ent(fx, &ents[2], "accel10", "node10", "red", 2048);
	free(ents);
}

static void test_list_openable(void **state)
{
	struct fixture *fx = *state;
	struct aifab_accel_ent *ents = NULL;

	add_fabric(fx);
	/* accel10's node does not exist: it is left out, not an error. */
	assert_int_equal(aifab_accel_list_at(fx->class_dir,
					     AIFAB_ACCEL_LIST_OPENABLE, &ents),
			 2);
	assert_string_equal(ents[0].name, "accel0");
	assert_string_equal(ents[1].name, "accel2");
	free(ents);
}

static void test_list_empty(void **state)
{
	struct fixture *fx = *state;
	struct aifab_accel_ent *ents = (struct aifab_accel_ent *)fx;

	assert_int_equal(aifab_accel_list_at(fx->class_dir, 0, &ents), 0);
	assert_null(ents);
}

static void test_list_errors(void **state)
{
	struct fixture *fx = *state;
	struct aifab_accel_ent *ents = NULL;
	char *missing = test_fmt("%s/nothing", fx->root);

	assert_int_equal(aifab_accel_list_at(missing, 0, &ents), -ENOENT);
	assert_int_equal(aifab_accel_list_at(fx->class_dir, 1U << 5, &ents),
			 -EINVAL);
	add_dev(fx, "accel0", "accel", "1", "", "12x", "node0");
	assert_int_equal(aifab_accel_list_at(fx->class_dir, 0, &ents),
			 -EBADMSG);
	assert_null(ents);
	free(missing);
}

static void test_list_long_node(void **state)
{
	struct fixture *fx = *state;
	struct aifab_accel_ent *ents = NULL;
	char *dir = test_fmt("%s/accel0", fx->class_dir);
	char node[AIFAB_ACCEL_PATH_MAX + 8];
	size_t i;

	add_dev(fx, "accel0", "accel", "1", "", "4096", NULL);
	for (i = 0; i < sizeof(node) - 2; i++)
		node[i] = 'x';
	node[i++] = '\n';
	node[i] = '\0';
	put(dir, "dev_node", node);
	assert_int_equal(aifab_accel_list_at(fx->class_dir, 0, &ents),
			 -EOVERFLOW);
	free(dir);
}

static void test_open_errors(void **state)
{
	struct fixture *fx = *state;
	struct aifab_accel *acc = NULL;
	char *node0 = test_fmt("%s/node0", fx->root);

	add_fabric(fx);
	assert_int_equal(aifab_accel_open_at(fx->class_dir, "", &acc), -EINVAL);
	assert_int_equal(aifab_accel_open_at(fx->class_dir, "bad name", &acc),
			 -EINVAL);
	assert_int_equal(aifab_accel_open_at(fx->class_dir, ".", &acc),
			 -EINVAL);
	assert_int_equal(aifab_accel_open_at(fx->class_dir, "..", &acc),
			 -EINVAL);
	assert_int_equal(aifab_accel_open_at(fx->class_dir,
					     "thirty_one_characters_long_name",
					     &acc), -ENOENT);
	assert_int_equal(aifab_accel_open_at(fx->class_dir,
					     "thirty_two_characters_long_name_",
					     &acc), -EINVAL);
	assert_int_equal(aifab_accel_open_at(fx->class_dir, "nosuch", &acc),
			 -ENOENT);
	/* Fabric devices that have no node of their own. */
	assert_int_equal(aifab_accel_open_at(fx->class_dir, "efa0", &acc),
			 -ENODEV);
	assert_int_equal(aifab_accel_open_at(fx->class_dir, "accel5", &acc),
			 -ENODEV);
	assert_int_equal(aifab_accel_open_at(fx->class_dir, "remote0", &acc),
			 -ENODEV);
	/* A node that is gone, and ones that are no DRM device. */
	assert_int_equal(aifab_accel_open_at(fx->class_dir, "accel10", &acc),
			 -ENOENT);
	assert_int_equal(aifab_accel_open_at(fx->class_dir, "accel0", &acc),
			 -ENODEV);
	assert_int_equal(aifab_accel_open_at(fx->class_dir, node0, &acc),
			 -ENODEV);
	assert_int_equal(aifab_accel_open("/dev/null", &acc), -ENODEV);
	assert_int_equal(aifab_accel_open("/nonexistent/accel0", &acc),
			 -ENOENT);
	assert_null(acc);
	aifab_accel_close(NULL);
	free(node0);
}

static void test_bo_size(void **state)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	(void)state;
	assert_int_equal(aifab_accel_bo_size(0), 0);
	assert_int_equal(aifab_accel_bo_size(1), page);
	assert_int_equal(aifab_accel_bo_size(page), page);
	assert_int_equal(aifab_accel_bo_size(page + 4), 2 * page);
	assert_int_equal(aifab_accel_bo_size(UINT64_MAX - page + 1),
			 UINT64_MAX - page + 1);
	assert_int_equal(aifab_accel_bo_size(UINT64_MAX - page + 2), 0);
	assert_int_equal(aifab_accel_bo_size(UINT64_MAX), 0);
}

static void test_deadline(void **state)
{
	struct timespec ts;
	int64_t now, d;

	(void)state;
	assert_int_equal(aifab_accel_deadline(-1), AIFAB_ACCEL_WAIT_FOREVER);
	assert_int_equal(aifab_accel_deadline(INT64_MAX),
			 AIFAB_ACCEL_WAIT_FOREVER);
	assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	d = aifab_accel_deadline(5000000000LL);
	assert_true(d >= now + 5000000000LL);
	assert_true(d < now + 6000000000LL);
}

/* Every field but those named is 0, as the kernel demands. */
static void test_cmd_builders(void **state)
{
	struct drm_aifab_accel_cmd c, want;

	(void)state;
	c = aifab_accel_cmd_copy(1, 8, 2, 16, 4096);
	want = (struct drm_aifab_accel_cmd){
		.op = AIFAB_ACCEL_OP_COPY, .dst = 1, .src = 2,
		.dst_offset = 8, .src_offset = 16, .length = 4096,
	};
	assert_memory_equal(&c, &want, sizeof(c));

	c = aifab_accel_cmd_fill(3, 4, 64, 0xdeadbeef);
	want = (struct drm_aifab_accel_cmd){
		.op = AIFAB_ACCEL_OP_FILL, .dst = 3, .dst_offset = 4,
		.length = 64, .pattern = 0xdeadbeef,
	};
	assert_memory_equal(&c, &want, sizeof(c));

	c = aifab_accel_cmd_reduce(4, 12, 5, 20, 8, AIFAB_ACCEL_DTYPE_I32,
				   AIFAB_ACCEL_REDUCE_MAX);
	want = (struct drm_aifab_accel_cmd){
		.op = AIFAB_ACCEL_OP_REDUCE, .dst = 4, .src = 5,
		.dst_offset = 12, .src_offset = 20, .length = 8,
		.dtype = AIFAB_ACCEL_DTYPE_I32,
		.reduce_op = AIFAB_ACCEL_REDUCE_MAX,
	};
	assert_memory_equal(&c, &want, sizeof(c));

	c = aifab_accel_cmd_wait(6);
	want = (struct drm_aifab_accel_cmd){
		.op = AIFAB_ACCEL_OP_WAIT, .dst = 6,
	};
	assert_memory_equal(&c, &want, sizeof(c));

	c = aifab_accel_cmd_signal(7);
	want = (struct drm_aifab_accel_cmd){
		.op = AIFAB_ACCEL_OP_SIGNAL, .dst = 7,
	};
	assert_memory_equal(&c, &want, sizeof(c));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_list_filters_and_sorts),
		T(test_list_openable),
		T(test_list_empty),
		T(test_list_errors),
		T(test_list_long_node),
		T(test_open_errors),
		cmocka_unit_test(test_bo_size),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_cmd_builders),
	};

	if (cmocka_run_group_tests_name("accel", tests, NULL, NULL))
		return EXIT_FAILURE;
	return EXIT_SUCCESS;
}
