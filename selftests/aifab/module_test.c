// SPDX-License-Identifier: GPL-2.0
/*
 * aifab module core: parameters, the default topology read back through
 * debugfs, the live-object counters, and load/unload cycling.
 *
 * Runs as root inside tools/vm-run, which exports AIFAB_KO (the module
 * under test). Each test loads the module with the parameters it needs;
 * the fixture teardown leaves it loaded with the defaults.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "aifab_helpers.h"

#define MiB		(1024ULL * 1024)

/* What a topology of a given shape must contain, worked out independently. */
struct shape {
	unsigned int accels;
	unsigned int efas;
};

static unsigned int shape_links(const struct shape *s)
{
	unsigned int n = s->accels;
	unsigned int ring = n >= 3 ? n : n - 1;
	unsigned int cross = n >= 4 ? n / 2 : 0;
	unsigned int affinity = s->efas ? n : 0;
	unsigned int net = s->efas * (s->efas - (s->efas ? 1 : 0)) / 2;

	return ring + cross + affinity + net;
}

/* Counts the lines of the topology file that start with @prefix. */
static int topology_count(const char *prefix)
{
	char *text = read_text(DEBUGFS "/topology");
	char *line, *save = NULL;
	int count = 0;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, prefix, strlen(prefix)))
			count++;
	free(text);
	return count;
}

/* True when some topology line contains every one of the given fields. */
static bool topology_has(const char *kind, const char *f1, const char *f2,
			 const char *f3)
{
	char *text = read_text(DEBUGFS "/topology");
	char *line, *save = NULL;
	bool found = false;

	if (!text)
		return false;
	for (line = strtok_r(text, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save))
		found = !strncmp(line, kind, strlen(kind)) && strstr(line, f1) &&
			(!f2 || strstr(line, f2)) && (!f3 || strstr(line, f3));
	free(text);
	return found;
}

static int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Counts kernel log records since kmsg_open_at_end() that contain @text. */
static int kmsg_count(int fd, const char *text)
{
	char rec[8192];
	int count = 0;
	ssize_t n;

	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = '\0';
		if (strstr(rec, text))
			count++;
	}
	return count;
}

FIXTURE(module) {
};

FIXTURE_SETUP(module)
{
	if (!getenv("AIFAB_KO"))
		SKIP(return, "AIFAB_KO is not set: run inside tools/vm-run");
	if (geteuid())
		SKIP(return, "needs root");
}

FIXTURE_TEARDOWN(module)
{
	if (getenv("AIFAB_KO"))
		module_reload("");
}

TEST_F(module, default_topology_readback)
{
	static const char * const ring[] = {
		"name=accel0-accel1 kind=accel", "name=accel1-accel2 kind=accel",
		"name=accel2-accel3 kind=accel", "name=accel3-accel0 kind=accel",
		"name=accel0-accel2 kind=accel", "name=accel1-accel3 kind=accel",
		"name=efa0-accel0 kind=affinity", "name=efa0-accel1 kind=affinity",
		"name=efa1-accel2 kind=affinity", "name=efa1-accel3 kind=affinity",
		"name=efa0-efa1 kind=net",
	};
	char want[128];
	unsigned int i;

	ASSERT_EQ(0, module_reload(""));
	EXPECT_EQ(1, topology_count("node "));
	EXPECT_TRUE(topology_has("node ", "name=node0", "local=1", NULL));
	EXPECT_EQ(6, topology_count("device "));
	for (i = 0; i < 4; i++) {
		snprintf(want, sizeof(want), "name=accel%u type=accel", i);
		EXPECT_TRUE(topology_has("device ", want, "node=node0",
					 "mem_bytes=1073741824"));
	}
	for (i = 0; i < 2; i++) {
		snprintf(want, sizeof(want), "name=efa%u type=efa", i);
		EXPECT_TRUE(topology_has("device ", want, "node=node0",
					 "mem_bytes=0"));
	}
	EXPECT_EQ(11, topology_count("link "));
	for (i = 0; i < sizeof(ring) / sizeof(ring[0]); i++)
		EXPECT_TRUE(topology_has("link ", ring[i], "state=up", NULL))
			TH_LOG("missing link #%u", i);
}

TEST_F(module, object_counters_follow_topology)
{
	ASSERT_EQ(0, module_reload(""));
	EXPECT_EQ(1, objects_live("fabric"));
	EXPECT_EQ(1, objects_live("node"));
	EXPECT_EQ(6, objects_live("device"));
	EXPECT_EQ(11, objects_live("link"));

	ASSERT_EQ(0, module_reload("accels=8 efas=4"));
	EXPECT_EQ(1, objects_live("node"));
	EXPECT_EQ(12, objects_live("device"));
	EXPECT_EQ(26, objects_live("link"));
	EXPECT_EQ(26, topology_count("link "));
}

TEST_F(module, parameters_in_sysfs)
{
	static const struct {
		const char *name;
		const char *value;
	} want[] = {
		{ "accels", "6\n" }, { "efas", "3\n" },
		{ "accel_mem_mib", "512\n" }, { "node_name", "rack7\n" },
	};
	char path[256];
	struct stat st;
	unsigned int i;
	char *text;

	ASSERT_EQ(0, module_reload("accels=6 efas=3 accel_mem_mib=512 node_name=rack7"));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(path, sizeof(path), SYSFS_MODULE "/parameters/%s",
			 want[i].name);
		text = read_text(path);
		ASSERT_NE(NULL, text) TH_LOG("cannot read %s", path);
		EXPECT_STREQ(want[i].value, text);
		free(text);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(0444, st.st_mode & 07777);
	}
	EXPECT_TRUE(topology_has("node ", "name=rack7", NULL, NULL));
	EXPECT_TRUE(topology_has("device ", "name=accel5 ", "node=rack7",
				 "mem_bytes=536870912"));
}

TEST_F(module, topology_shapes)
{
	static const struct shape shapes[] = {
		{ 1, 0 }, { 1, 1 }, { 2, 1 }, { 3, 3 }, { 4, 0 }, { 5, 2 },
		{ 16, 16 }, { 64, 16 },
	};
	char params[64], want[64];
	unsigned int i, j;

	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct shape *s = &shapes[i];

		snprintf(params, sizeof(params), "accels=%u efas=%u", s->accels,
			 s->efas);
		ASSERT_EQ(0, module_reload(params)) TH_LOG("load %s", params);
		EXPECT_EQ(s->accels + s->efas, objects_live("device"));
		EXPECT_EQ(shape_links(s), objects_live("link")) TH_LOG("%s", params);
		EXPECT_EQ(shape_links(s), topology_count("link "));
		for (j = 0; s->efas && j < s->accels; j++) {
			snprintf(want, sizeof(want), "name=efa%u-accel%u ",
				 j * s->efas / s->accels, j);
			EXPECT_TRUE(topology_has("link ", want, "kind=affinity",
						 NULL)) TH_LOG("%s: %s", params, want);
		}
	}
}

TEST_F(module, bad_parameters_are_refused)
{
	static const struct {
		const char *params;
		int err;
	} bad[] = {
		{ "accels=0", -EINVAL }, { "accels=65", -EINVAL },
		{ "accels=-1", -EINVAL }, { "accels=four", -EINVAL },
		{ "efas=17 accels=32", -EINVAL }, { "efas=5 accels=4", -EINVAL },
		{ "accel_mem_mib=0", -EINVAL }, { "accel_mem_mib=1048577", -EINVAL },
		{ "node_name=bad/name", -EINVAL }, { "node_name=", -EINVAL },
		{ "node_name=abcdefghijklmnopqrstuvwxyz0123456", -EINVAL },
	};
	unsigned int i;

	ASSERT_EQ(0, module_unload());
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(bad[i].err, module_load(bad[i].params))
			TH_LOG("params '%s'", bad[i].params);
		EXPECT_FALSE(module_loaded()) TH_LOG("params '%s'", bad[i].params);
		if (module_loaded())
			module_unload();
	}
	/* The longest valid name is AIFAB_NAME_MAX - 1 = 31 characters. */
	ASSERT_EQ(0, module_load("node_name=abcdefghijklmnopqrstuvwxyz01234"));
	EXPECT_TRUE(topology_has("node ", "name=abcdefghijklmnopqrstuvwxyz01234 ",
				 NULL, NULL));
}

TEST_F_TIMEOUT(module, load_unload_cycles, 600)
{
	const int cycles = 50;
	struct shape s;
	char params[64];
	int i, kmsg;

	ASSERT_EQ(0, module_unload());
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg);
	for (i = 0; i < cycles; i++) {
		s.accels = 1 + i % 8;
		s.efas = i % (s.accels + 1);
		snprintf(params, sizeof(params), "accels=%u efas=%u", s.accels, s.efas);
		ASSERT_EQ(0, module_load(params)) TH_LOG("cycle %d: %s", i, params);
		ASSERT_EQ(1, objects_live("fabric"));
		ASSERT_EQ(s.accels + s.efas, objects_live("device"));
		ASSERT_EQ(shape_links(&s), objects_live("link"));
		ASSERT_EQ(0, module_unload()) TH_LOG("cycle %d", i);
		ASSERT_FALSE(module_loaded());
	}
	/* The module says so only when every live counter is back at zero. */
	EXPECT_EQ(cycles, kmsg_count(kmsg, "aifab: unloaded, no live objects"));
	close(kmsg);
	kmsg = kmsg_open_at_end();
	EXPECT_EQ(0, kmsg_count(kmsg, "aifab: leaked"));
	close(kmsg);
}

TEST_F(module, unload_waits_for_open_debugfs_files)
{
	char buf[256];
	int fd;

	ASSERT_EQ(0, module_reload(""));
	fd = open(DEBUGFS "/topology", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, buf, sizeof(buf)));
	/* An open file pins the module: no code may run after it is gone. */
	EXPECT_EQ(-EWOULDBLOCK, module_unload());
	EXPECT_TRUE(module_loaded());
	lseek(fd, 0, SEEK_SET);
	EXPECT_LT(0, read(fd, buf, sizeof(buf)));
	close(fd);
	EXPECT_EQ(0, module_unload());
	EXPECT_FALSE(module_loaded());
}

TEST_HARNESS_MAIN
