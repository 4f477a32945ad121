// SPDX-License-Identifier: GPL-2.0
/*
 * aifab accelerator devices: the DRM ioctls of include/uapi/linux/aifab_accel.h
 * with valid input and with garbage, buffer objects and their memory
 * accounting, the commands (FILL, COPY, REDUCE, WAIT, SIGNAL) checked
 * against a CPU reference, syncobj chaining across engines, PRIME between
 * accelerators, peer COPY through the fabric (partition fences, links
 * down, lossy links), job timeouts and closing a file with jobs in flight.
 *
 * Runs as root inside tools/vm-run, with the module loaded with its
 * default topology (accel0..accel3, 1 GiB each). Every test starts and
 * ends with no partition and every link up without faults, and checks at
 * its end that the devices hold no more objects or memory than before.
 * The last fixture reloads the module with a small memory size and leaves
 * it loaded with the defaults.
 */
#define _GNU_SOURCE
#include <float.h>
#include <math.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"

#include "accel_helpers.h"

#define NACCEL		4

static const char * const names[NACCEL] = { "accel0", "accel1", "accel2", "accel3" };

static uint64_t pagesz(void)
{
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

/*
 * Waits until no job of the device is in flight, then reads its counters:
 * a job's counters may be updated a moment after its fence signalled.
 */
static int info_settled(int fd, struct drm_aifab_accel_info *info)
{
	int i, ret;

	for (i = 0; i < 500; i++) {
		ret = accel_info(fd, info);
		if (ret || info->jobs_submitted ==
			   info->jobs_completed + info->jobs_failed)
			return ret;
		usleep(10 * 1000);
	}
	return 0;
}

/* Waits up to 10 s for the device's bos and mem_used to be @bos and @used. */
static int wait_mem(int fd, uint64_t bos, uint64_t used,
		    struct drm_aifab_accel_info *info)
{
	int i, ret = 0;

	for (i = 0; i < 1000; i++) {
		ret = info_settled(fd, info);
		if (ret || (info->bos == bos && info->mem_used == used))
			return ret;
		usleep(10 * 1000);
	}
	return ret;
}

FIXTURE(accel) {
	int fd[NACCEL];
	struct drm_aifab_accel_info base[NACCEL];
	uint32_t engines;
	long objs_bo, objs_job;
	pid_t mon;
	char mon_path[64];
};

FIXTURE_SETUP(accel)
{
	int i;

	for (i = 0; i < NACCEL; i++)
		self->fd[i] = -1;
	self->mon = -1;
	self->mon_path[0] = '\0';
	if (geteuid())
		SKIP(return, "needs root");
	/* A test run before this one may have left the module unloaded. */
	if (!module_loaded() && getenv("AIFAB_KO"))
		ASSERT_EQ(0, module_load(""));
	if (!module_loaded())
		SKIP(return, "the aifab module is not loaded: run inside tools/vm-run");
	/* A test killed by its timeout may have left partitions or links down. */
	fabric_reset();
	for (i = 0; i < NACCEL; i++) {
		self->fd[i] = accel_open(names[i]);
		ASSERT_LE(0, self->fd[i])
			TH_LOG("cannot open the DRM device of %s: %s", names[i],
			       strerror(-self->fd[i]));
		ASSERT_EQ(0, info_settled(self->fd[i], &self->base[i]));
	}
	self->engines = self->base[0].engines;
	ASSERT_LE(1, self->engines);
	self->objs_bo = objects_live("accel_bo");
	self->objs_job = objects_live("accel_job");
}

FIXTURE_TEARDOWN(accel)
{
	struct drm_aifab_accel_info now[NACCEL];
	int i, tries, fds[NACCEL];
	long n;

	for (i = 0; i < NACCEL; i++)
		if (self->fd[i] >= 0)
			close(self->fd[i]);
	monitor_stop(self->mon);
	if (self->mon_path[0])
		unlink(self->mon_path);
	fabric_reset();
	/*
	 * Every object the test made is gone, and every job has finished:
	 * within 5 s for all the devices together, as jobs and objects are
	 * freed a moment after their last user lets go.
	 */
	for (i = 0; i < NACCEL; i++) {
		fds[i] = accel_open(names[i]);
		EXPECT_LE(0, fds[i]);
	}
	for (tries = 0; tries < 500; tries++) {
		bool settled = true;

		for (i = 0; i < NACCEL; i++) {
			if (fds[i] < 0 || accel_info(fds[i], &now[i])) {
				memset(&now[i], 0, sizeof(now[i]));
				continue;
			}
			settled &= now[i].bos == self->base[i].bos &&
				    now[i].mem_used == self->base[i].mem_used &&
				    now[i].jobs_submitted ==
				    now[i].jobs_completed + now[i].jobs_failed;
		}
		if (settled)
			break;
		usleep(10 * 1000);
	}
	for (i = 0; i < NACCEL; i++) {
		if (fds[i] < 0)
			continue;
		EXPECT_EQ(self->base[i].bos, now[i].bos)
			TH_LOG("%s: buffer objects left behind", names[i]);
		EXPECT_EQ(self->base[i].mem_used, now[i].mem_used)
			TH_LOG("%s: memory left charged", names[i]);
		EXPECT_EQ(now[i].jobs_submitted,
			  now[i].jobs_completed + now[i].jobs_failed)
			TH_LOG("%s: jobs still in flight", names[i]);
		EXPECT_LE(now[i].jobs_timedout, now[i].jobs_failed);
		close(fds[i]);
	}
	/* The module's own object counters, where it keeps them. */
	if (self->objs_bo >= 0) {
		n = objects_wait("accel_bo", self->objs_bo);
		EXPECT_EQ(self->objs_bo, n) TH_LOG("debugfs objects: accel_bo");
	}
	if (self->objs_job >= 0) {
		n = objects_wait("accel_job", self->objs_job);
		EXPECT_EQ(self->objs_job, n) TH_LOG("debugfs objects: accel_job");
	}
}

/* Starts "aifabctl -j monitor" and waits until it listens. */
static void start_monitor(struct __test_metadata *_metadata,
			  FIXTURE_DATA(accel) *self)
{
	int fd;

	snprintf(self->mon_path, sizeof(self->mon_path),
		 "/tmp/accel_test_mon.XXXXXX");
	fd = mkstemp(self->mon_path);
	ASSERT_LE(0, fd);
	close(fd);
	self->mon = monitor_start(self->mon_path);
	ASSERT_LT(0, self->mon);
	ASSERT_TRUE(monitor_wait_subscribed(self->mon_path))
		TH_LOG("the monitor never started listening");
}

/* ---- the devices ---- */

TEST_F(accel, info_and_nodes)
{
	bool accel_class;
	struct utsname u;
	struct stat st, fst;
	char path[300], node[256], drv[64], want[32];
	unsigned int major = 0, minor = 0, i, r;
	struct dirent *de;
	DIR *d;

	ASSERT_EQ(0, uname(&u));
	sscanf(u.release, "%u.%u", &major, &minor);
	/* DRM accel nodes exist from 6.2; before, accelerators are render nodes. */
	accel_class = major > 6 || (major == 6 && minor >= 2);

	for (i = 0; i < NACCEL; i++) {
		const struct drm_aifab_accel_info *in = &self->base[i];

		ASSERT_EQ(0, drm_driver_name(self->fd[i], drv, sizeof(drv)));
		EXPECT_STREQ("aifab", drv);
		EXPECT_STREQ(names[i], in->name);
		EXPECT_EQ(topology_id("device", names[i]), (long)in->fabric_dev_id);
		snprintf(path, sizeof(path), SYSFS_DEV "/%s/mem_bytes", names[i]);
		ASSERT_EQ(0, read_line(path, node, sizeof(node)));
		EXPECT_EQ(strtoull(node, NULL, 10), in->mem_total);
		EXPECT_EQ(GiB, in->mem_total);
		EXPECT_LE(1U, in->engines);
		EXPECT_LT(0U, in->job_timeout_ms);
		EXPECT_GE((uint32_t)AIFAB_ACCEL_MAX_TIMEOUT_MS, in->job_timeout_ms);
		EXPECT_EQ(0U, in->partition_id);
		EXPECT_EQ(0U, in->flags);
		for (r = 0; r < 5; r++) {
			EXPECT_EQ(0U, in->reserved[r]);
		}
		EXPECT_LE(in->mem_used, in->mem_peak);
		EXPECT_LE(in->mem_peak, in->mem_total);
		EXPECT_LE(in->jobs_completed + in->jobs_failed, in->jobs_submitted);
		EXPECT_LE(in->jobs_timedout, in->jobs_failed);

		/* sysfs dev_node names the node, which is this device. */
		snprintf(path, sizeof(path), SYSFS_DEV "/%s/dev_node", names[i]);
		ASSERT_EQ(0, read_line(path, node, sizeof(node)))
			TH_LOG("%s has no readable dev_node", path);
		snprintf(want, sizeof(want), "%s",
			 accel_class ? "/dev/accel/accel" : "/dev/dri/renderD");
		EXPECT_EQ(0, strncmp(node, want, strlen(want)))
			TH_LOG("%s: dev_node \"%s\", expected %s*", names[i],
			       node, want);
		ASSERT_EQ(0, stat(node, &st)) TH_LOG("stat %s", node);
		EXPECT_TRUE(S_ISCHR(st.st_mode));
		ASSERT_EQ(0, fstat(self->fd[i], &fst));
		EXPECT_EQ(fst.st_rdev, st.st_rdev);
	}

	/* Devices that are not accelerators have an empty dev_node. */
	d = opendir(SYSFS_DEV);
	ASSERT_NE(NULL, d);
	while ((de = readdir(d))) {
		char type[16];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), SYSFS_DEV "/%s/type", de->d_name);
		if (read_line(path, type, sizeof(type)) || strcmp(type, "efa"))
			continue;
		snprintf(path, sizeof(path), SYSFS_DEV "/%s/dev_node", de->d_name);
		EXPECT_EQ(0, read_line(path, node, sizeof(node)));
		EXPECT_STREQ("", node) TH_LOG("%s", path);
	}
	closedir(d);
}

TEST_F(accel, info_garbage)
{
	struct drm_aifab_accel_info in, after;
	int fd = self->fd[0];
	char diff[128];
	unsigned int r;

	memset(&in, 0, sizeof(in));
	in.flags = 1;
	EXPECT_EQ(-EINVAL, xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_INFO, &in));
	memset(&in, 0, sizeof(in));
	in.flags = 0x80000000;
	EXPECT_EQ(-EINVAL, xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_INFO, &in));
	for (r = 0; r < 5; r++) {
		memset(&in, 0, sizeof(in));
		in.reserved[r] = 1;
		EXPECT_EQ(-EINVAL, xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_INFO, &in))
			TH_LOG("reserved[%u] = 1", r);
	}
	EXPECT_EQ(-EFAULT, xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_INFO, NULL));
	EXPECT_EQ(-EFAULT, xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_INFO, (void *)8));

	/* What the kernel fills in may hold anything on the way in. */
	memset(&in, 0xff, sizeof(in));
	in.flags = 0;
	memset(in.reserved, 0, sizeof(in.reserved));
	EXPECT_EQ(0, xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_INFO, &in));
	EXPECT_STREQ("accel0", in.name);
	ASSERT_EQ(0, info_settled(fd, &after));
	EXPECT_STREQ("", info_diff(&self->base[0], &after, diff, sizeof(diff)));
	EXPECT_STREQ("", info_diff(&in, &after, diff, sizeof(diff)));
}

/* ---- buffer objects ---- */

TEST_F(accel, bo_create_garbage)
{
	const uint64_t pg = pagesz(), total = self->base[0].mem_total;
	const uint64_t bad_sizes[] = { 0, 1, 4, pg - 1, pg + 1, pg * 3 / 2,
				       2 * MiB + 4 };
	const uint64_t big_sizes[] = { total + pg, 2 * total, 1ULL << 62,
				       1ULL << 63, UINT64_MAX & ~(pg - 1) };
	const uint32_t bad_flags[] = { 1, 2, AIFAB_ACCEL_BO_IMPORTED, 0x80000000 };
	struct drm_aifab_accel_bo_create c;
	struct drm_aifab_accel_info after;
	int fd = self->fd[0];
	char diff[128];
	unsigned int i;
	uint32_t h;

	for (i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
		EXPECT_EQ(-EINVAL, bo_create(fd, bad_sizes[i], &h))
			TH_LOG("size %llu", (unsigned long long)bad_sizes[i]);
	}
	for (i = 0; i < sizeof(big_sizes) / sizeof(big_sizes[0]); i++) {
		EXPECT_EQ(-ENOSPC, bo_create(fd, big_sizes[i], &h))
			TH_LOG("size %llu", (unsigned long long)big_sizes[i]);
	}
	for (i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.size = pg;
		c.flags = bad_flags[i];
		EXPECT_EQ(-EINVAL, xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_BO_CREATE, &c))
			TH_LOG("flags %#x", bad_flags[i]);
	}
	EXPECT_EQ(-EFAULT, xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_BO_CREATE, NULL));
	ASSERT_EQ(0, info_settled(fd, &after));
	EXPECT_STREQ("", info_diff(&self->base[0], &after, diff, sizeof(diff)))
		TH_LOG("refused creates changed the counters");

	/* A valid create; the handle field is output only. */
	memset(&c, 0, sizeof(c));
	c.size = pg;
	c.handle = 0xdeadbeef;
	ASSERT_EQ(0, xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_BO_CREATE, &c));
	EXPECT_NE(0U, c.handle);
	EXPECT_NE(0xdeadbeefU, c.handle);
	ASSERT_EQ(0, accel_info(fd, &after));
	EXPECT_EQ(self->base[0].mem_used + pg, after.mem_used);
	EXPECT_EQ(self->base[0].bos + 1, after.bos);
	EXPECT_LE(after.mem_used, after.mem_peak);
	EXPECT_EQ(0, bo_close(fd, c.handle));
	ASSERT_EQ(0, wait_mem(fd, self->base[0].bos, self->base[0].mem_used, &after));
	EXPECT_EQ(self->base[0].mem_used, after.mem_used);
}

TEST_F(accel, bo_info_and_mmap)
{
	const uint64_t pg = pagesz(), size = 3 * pg;
	struct drm_aifab_accel_bo_info bi, bi2;
	struct drm_aifab_accel_info now;
	int fd = self->fd[0], fd2, devnull, dmabuf;
	struct drm_prime_handle ph;
	uint8_t *m, *m2;
	uint32_t h, h2;
	void *bad;

	ASSERT_EQ(0, bo_create(fd, size, &h));
	ASSERT_EQ(0, bo_info(fd, h, &bi));
	EXPECT_EQ(size, bi.size);
	EXPECT_EQ(0U, bi.flags);
	EXPECT_EQ(self->base[0].fabric_dev_id, bi.home_dev_id);
	EXPECT_NE(0ULL, bi.mmap_offset);
	EXPECT_EQ(0ULL, bi.mmap_offset % pg);

	/* Garbage. */
	EXPECT_EQ(-ENOENT, bo_info(fd, 0, &bi2));
	EXPECT_EQ(-ENOENT, bo_info(fd, h + 1000, &bi2));
	EXPECT_EQ(-ENOENT, bo_info(fd, 0xffffffff, &bi2));
	memset(&bi2, 0, sizeof(bi2));
	bi2.handle = h;
	bi2.pad = 1;
	EXPECT_EQ(-EINVAL, xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_BO_INFO, &bi2));
	bi2.pad = 0x80000000;
	EXPECT_EQ(-EINVAL, xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_BO_INFO, &bi2));
	EXPECT_EQ(-EFAULT, xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_BO_INFO, NULL));
	/* Output fields may hold anything on the way in. */
	memset(&bi2, 0xff, sizeof(bi2));
	bi2.handle = h;
	bi2.pad = 0;
	EXPECT_EQ(0, xioctl(fd, DRM_IOCTL_AIFAB_ACCEL_BO_INFO, &bi2));
	EXPECT_EQ(bi.mmap_offset, bi2.mmap_offset);
	EXPECT_EQ(size, bi2.size);

	/* Handles and mappings belong to one open file. */
	fd2 = accel_open("accel0");
	ASSERT_LE(0, fd2);
	EXPECT_EQ(-ENOENT, bo_info(fd2, h, &bi2));
	bad = mmap(NULL, size, PROT_READ, MAP_SHARED, fd2, bi.mmap_offset);
	EXPECT_EQ(MAP_FAILED, bad);
	if (bad != MAP_FAILED)
		munmap(bad, size);
	EXPECT_EQ(-ENOENT, bo_info(self->fd[1], h, &bi2));
	close(fd2);
	/* Not past the object's end. */
	bad = mmap(NULL, size + pg, PROT_READ, MAP_SHARED, fd, bi.mmap_offset);
	EXPECT_EQ(MAP_FAILED, bad);
	if (bad != MAP_FAILED)
		munmap(bad, size + pg);

	/* Two mappings of one object see the same bytes. */
	m = bo_map(fd, h, size);
	m2 = bo_map(fd, h, size);
	ASSERT_NE(NULL, m);
	ASSERT_NE(NULL, m2);
	EXPECT_EQ(size, first_not(m, size, 0));
	memset(m + pg - 2, 0x3c, 4);
	EXPECT_EQ(0x3c, m2[pg - 2]);
	EXPECT_EQ(0x3c, m2[pg + 1]);
	munmap(m2, size);

	/* A mapping keeps its object, and its memory, after GEM_CLOSE. */
	EXPECT_EQ(0, bo_close(fd, h));
	EXPECT_EQ(-ENOENT, bo_info(fd, h, &bi2));
	EXPECT_EQ(-EINVAL, bo_close(fd, h));
	ASSERT_EQ(0, accel_info(fd, &now));
	EXPECT_EQ(self->base[0].mem_used + size, now.mem_used);
	EXPECT_EQ(0x3c, m[pg + 1]);
	m[size - 1] = 7;
	EXPECT_EQ(7, m[size - 1]);
	munmap(m, size);
	ASSERT_EQ(0, wait_mem(fd, self->base[0].bos, self->base[0].mem_used, &now));
	EXPECT_EQ(self->base[0].mem_used, now.mem_used);
	EXPECT_EQ(self->base[0].bos, now.bos);

	/* DRM's own handle ioctls refuse unknown handles and files. */
	EXPECT_EQ(-EINVAL, bo_close(fd, 0));
	EXPECT_EQ(-EINVAL, bo_close(fd, 0xfffffff0));
	EXPECT_EQ(-ENOENT, prime_export(fd, h + 1000, &dmabuf));
	memset(&ph, 0, sizeof(ph));
	ph.fd = -1;
	EXPECT_EQ(-EBADF, xioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph));
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, devnull);
	EXPECT_EQ(-EINVAL, prime_import(fd, devnull, &h2));
	close(devnull);
}

/* ---- commands ---- */

TEST_F(accel, fill_readback)
{
	const uint64_t size = 64 * KiB;
	struct drm_aifab_accel_info before, after;
	int fd = self->fd[0];
	uint64_t id1 = 0, id2 = 0, i;
	uint32_t h, out, *w;
	uint8_t *b;
	void *m;

	ASSERT_EQ(0, bo_new(fd, size, &h, &m));
	w = m;
	b = m;
	EXPECT_EQ(size, first_not(m, size, 0)) TH_LOG("a new object is not zero");
	ASSERT_EQ(0, info_settled(fd, &before));

	ASSERT_EQ(0, syncobj_create(fd, 0, &out));
	{
		struct drm_aifab_accel_cmd c = cmd_fill(h, 0, size, 0xa5a5a5a5);

		ASSERT_EQ(0, submit(fd, 0, &c, 1, NULL, 0, out, 0, &id1));
		EXPECT_EQ(0, fence_result(fd, out, 30000));
	}
	EXPECT_EQ(size, first_not(m, size, 0xa5));

	EXPECT_EQ(0, run1(fd, cmd_fill(h, 4, 8188, 0xdeadbeef)));
	EXPECT_EQ(0xa5a5a5a5U, w[0]);
	for (i = 1; i < 2048; i++)
		if (w[i] != 0xdeadbeef)
			break;
	EXPECT_EQ(2048ULL, i) TH_LOG("word %llu is %#x", (unsigned long long)i, w[i]);
	EXPECT_EQ(size - 8192, first_not(b + 8192, size - 8192, 0xa5));

	/* Little-endian words, at the very end of the object. */
	EXPECT_EQ(0, run1(fd, cmd_fill(h, size - 4, 4, 0x01020304)));
	EXPECT_EQ(4, b[size - 4]);
	EXPECT_EQ(3, b[size - 3]);
	EXPECT_EQ(2, b[size - 2]);
	EXPECT_EQ(1, b[size - 1]);
	EXPECT_EQ(0xa5, b[size - 5]);
	/* Across a page boundary. */
	EXPECT_EQ(0, run1(fd, cmd_fill(h, 4092, 8, 0)));
	EXPECT_EQ(0U, w[1023]);
	EXPECT_EQ(0U, w[1024]);
	EXPECT_EQ(0xdeadbeefU, w[1022]);
	EXPECT_EQ(0xa5a5a5a5U, w[2048]);

	{
		struct drm_aifab_accel_cmd c = cmd_fill(h, 0, 4, 1);

		ASSERT_EQ(0, submit(fd, 0, &c, 1, NULL, 0, out, 0, &id2));
		EXPECT_EQ(0, fence_result(fd, out, 30000));
	}
	EXPECT_LT(id1, id2) TH_LOG("job ids must grow");
	ASSERT_EQ(0, info_settled(fd, &after));
	EXPECT_EQ(before.jobs_submitted + 5, after.jobs_submitted);
	EXPECT_EQ(before.jobs_completed + 5, after.jobs_completed);
	EXPECT_EQ(before.jobs_failed, after.jobs_failed);
	EXPECT_EQ(before.mem_used, after.mem_used);
	syncobj_destroy(fd, out);
	munmap(m, size);
	bo_close(fd, h);
}

TEST_F(accel, copy_sizes_offsets)
{
	const uint64_t pg = pagesz(), size = 2 * MiB;
	const struct { uint64_t len, soff, doff; } cases[] = {
		{ 1, 0, 0 }, { 3, 1, 5 }, { 4095, 1, 4097 }, { 4096, 0, 0 },
		{ 4096, 13, 4095 }, { 4097, 4095, 1 }, { 65537, 12345, 54321 },
		{ MiB + 7, 3, 4093 }, { size, 0, 0 }, { 1, size - 1, size - 1 },
		{ 3 * 4096, size - 3 * 4096, 0 }, { 100, 0, size - 100 },
	};
	uint8_t *src, *dst, *ref;
	int fd = self->fd[0];
	uint32_t hs, hd, hx, hy;
	unsigned int i;
	void *ms, *md;
	uint32_t *x, *y;

	ASSERT_EQ(0, bo_new(fd, size, &hs, &ms));
	ASSERT_EQ(0, bo_new(fd, size, &hd, &md));
	src = ms;
	dst = md;
	ref = malloc(size);
	ASSERT_NE(NULL, ref);
	pattern_fill(src, size, 1);
	memcpy(ref, src, size);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t len = cases[i].len, so = cases[i].soff, d = cases[i].doff;

		memset(dst, 0xee, size);
		EXPECT_EQ(0, run1(fd, cmd_copy(hd, d, hs, so, len)))
			TH_LOG("copy %llu bytes %llu -> %llu",
			       (unsigned long long)len, (unsigned long long)so,
			       (unsigned long long)d);
		EXPECT_EQ(len, first_diff(dst + d, ref + so, len))
			TH_LOG("copy %llu bytes %llu -> %llu: wrong bytes",
			       (unsigned long long)len, (unsigned long long)so,
			       (unsigned long long)d);
		EXPECT_EQ(d, first_not(dst, d, 0xee))
			TH_LOG("case %u wrote before its range", i);
		EXPECT_EQ(size - d - len, first_not(dst + d + len, size - d - len, 0xee))
			TH_LOG("case %u wrote past its range", i);
	}
	EXPECT_EQ(size, first_diff(src, ref, size)) TH_LOG("the source changed");

	/* The commands of a job run in order. */
	memset(dst, 0, size);
	{
		struct drm_aifab_accel_cmd c[] = {
			cmd_copy(hd, 0, hs, 0, 64 * KiB),
			cmd_copy(hd, 64 * KiB, hd, 0, 64 * KiB),
			cmd_copy(hd, 128 * KiB + 1, hd, 64 * KiB, 64 * KiB),
		};

		EXPECT_EQ(0, run_job(fd, 0, c, 3, 0));
		EXPECT_EQ(64 * KiB, first_diff(dst + 128 * KiB + 1, ref, 64 * KiB));
	}
	ASSERT_EQ(0, bo_new(fd, pg, &hx, &ms));
	ASSERT_EQ(0, bo_new(fd, pg, &hy, &md));
	x = ms;
	y = md;
	{
		struct drm_aifab_accel_cmd c[] = {
			cmd_fill(hx, 0, pg, 0x11111111),
			cmd_copy(hy, 0, hx, 0, pg),
			cmd_fill(hx, 0, pg, 0x22222222),
		};

		EXPECT_EQ(0, run_job(fd, 0, c, 3, 0));
		EXPECT_EQ(0x11111111U, y[pg / 4 - 1]);
		EXPECT_EQ(0x22222222U, x[0]);
	}
	munmap(x, pg);
	munmap(y, pg);
	munmap(src, size);
	munmap(dst, size);
	free(ref);
	bo_close(fd, hs);
	bo_close(fd, hd);
	bo_close(fd, hx);
	bo_close(fd, hy);
}

/* ---- REDUCE ---- */

#define RED_N		3001	/* elements: spans pages, ends mid-page */
#define RED_DOFF	12	/* byte offsets, multiples of 4 */
#define RED_SOFF	4100

static uint64_t rng_state;

static uint32_t rng32(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static uint32_t f2u(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

static float u2f(uint32_t u)
{
	float f;

	memcpy(&f, &u, 4);
	return f;
}

/* The CPU reference of one REDUCE element: a is dst[i], b is src[i]. */
static uint32_t ref_reduce(uint32_t a, uint32_t b, uint32_t dtype, uint32_t op)
{
	if (dtype == AIFAB_ACCEL_DTYPE_I32) {
		int32_t x = (int32_t)a, y = (int32_t)b;

		switch (op) {
		case AIFAB_ACCEL_REDUCE_SUM:
			return a + b;	/* wraps */
		case AIFAB_ACCEL_REDUCE_MIN:
			return (uint32_t)(y < x ? y : x);
		default:
			return (uint32_t)(y > x ? y : x);
		}
	} else {
		volatile float x = u2f(a), y = u2f(b), r;

		switch (op) {
		case AIFAB_ACCEL_REDUCE_SUM:
			r = x + y;
			break;
		case AIFAB_ACCEL_REDUCE_MIN:
			r = y < x ? y : x;
			break;
		default:
			r = y > x ? y : x;
			break;
		}
		return f2u(r);
	}
}

static bool same_result(uint32_t want, uint32_t got, uint32_t dtype, uint32_t op)
{
	if (want == got)
		return true;
	/*
	 * IEEE 754 leaves the payload of a sum's NaN open; MIN and MAX pick
	 * one of their operands, bit for bit.
	 */
	return dtype == AIFAB_ACCEL_DTYPE_F32 && op == AIFAB_ACCEL_REDUCE_SUM &&
	       isnan(u2f(want)) && isnan(u2f(got));
}

/*
 * REDUCEs @n elements @a (dst) with @b (src) for each operation, and
 * compares with the CPU. The objects are filled with a guard byte around
 * the elements, which must stay.
 */
static void reduce_check(struct __test_metadata *_metadata, int fd,
			 uint32_t dtype, const uint32_t *a, const uint32_t *b,
			 unsigned int n)
{
	static const uint32_t ops[] = { AIFAB_ACCEL_REDUCE_SUM,
					AIFAB_ACCEL_REDUCE_MIN,
					AIFAB_ACCEL_REDUCE_MAX };
	static const char * const opname[] = { "", "sum", "min", "max" };
	const uint64_t size = 4 * 4096, len = 4ULL * n;
	uint32_t hd, hs, *dw, *sw;
	unsigned int k, i, bad;
	uint8_t *dm, *sm;
	void *m1, *m2;

	ASSERT_GE(size, RED_SOFF + len);
	ASSERT_EQ(0, bo_new(fd, size, &hd, &m1));
	ASSERT_EQ(0, bo_new(fd, size, &hs, &m2));
	dm = m1;
	sm = m2;
	dw = (uint32_t *)(dm + RED_DOFF);
	sw = (uint32_t *)(sm + RED_SOFF);
	for (k = 0; k < 3; k++) {
		memset(dm, 0x5a, size);
		memset(sm, 0x6b, size);
		memcpy(dw, a, len);
		memcpy(sw, b, len);
		EXPECT_EQ(0, run1(fd, cmd_reduce(hd, RED_DOFF, hs, RED_SOFF, len,
						 dtype, ops[k])))
			TH_LOG("%s %s", dtype == AIFAB_ACCEL_DTYPE_F32 ? "f32" : "i32",
			       opname[ops[k]]);
		for (i = 0, bad = 0; i < n; i++) {
			uint32_t want = ref_reduce(a[i], b[i], dtype, ops[k]);

			if (!same_result(want, dw[i], dtype, ops[k]) && bad++ < 5)
				TH_LOG("%s %s [%u]: dst %#x src %#x: want %#x got %#x",
				       dtype == AIFAB_ACCEL_DTYPE_F32 ? "f32" : "i32",
				       opname[ops[k]], i, a[i], b[i], want, dw[i]);
		}
		EXPECT_EQ(0U, bad);
		EXPECT_EQ((uint64_t)RED_DOFF, first_not(dm, RED_DOFF, 0x5a));
		EXPECT_EQ(size - RED_DOFF - len,
			  first_not(dm + RED_DOFF + len, size - RED_DOFF - len, 0x5a));
		EXPECT_EQ(len, first_diff(sw, b, len)) TH_LOG("the source changed");
	}
	munmap(m1, size);
	munmap(m2, size);
	bo_close(fd, hd);
	bo_close(fd, hs);
}

TEST_F(accel, reduce_i32)
{
	static const int32_t edge[][2] = {
		{ INT32_MAX, 1 }, { INT32_MIN, -1 }, { INT32_MAX, INT32_MAX },
		{ INT32_MIN, INT32_MIN }, { -1, 1 }, { 0, INT32_MIN },
		{ INT32_MIN, INT32_MAX }, { -5, -7 }, { 7, -7 }, { 0, 0 },
	};
	uint32_t a[RED_N], b[RED_N];
	unsigned int i;

	rng_state = 0x1234567;
	for (i = 0; i < RED_N; i++) {
		a[i] = rng32();
		b[i] = i % 3 ? rng32() : (uint32_t)((int32_t)(rng32() % 2001) - 1000);
	}
	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		a[i] = (uint32_t)edge[i][0];
		b[i] = (uint32_t)edge[i][1];
		a[RED_N - 1 - i] = (uint32_t)edge[i][1];
		b[RED_N - 1 - i] = (uint32_t)edge[i][0];
	}
	reduce_check(_metadata, self->fd[0], AIFAB_ACCEL_DTYPE_I32, a, b, RED_N);
}

TEST_F(accel, reduce_f32)
{
	uint32_t a[RED_N], b[RED_N];
	unsigned int i;

	rng_state = 0x9abcdef;
	for (i = 0; i < RED_N; i++) {
		switch (i % 4) {
		case 0:		/* small integers and halves, both signs */
			a[i] = f2u((float)((int)(rng32() % 20001) - 10000) / 2);
			b[i] = f2u((float)((int)(rng32() % 20001) - 10000) / 2);
			break;
		case 1:		/* any normal number between 2^-40 and 2^40 */
			a[i] = (rng32() & 0x807fffff) | ((87 + rng32() % 80) << 23);
			b[i] = (rng32() & 0x807fffff) | ((87 + rng32() % 80) << 23);
			break;
		case 2:		/* close magnitudes, opposite signs: cancellation */
			a[i] = (rng32() & 0x007fffff) | (127U << 23);
			b[i] = a[i] ^ 0x80000000 ^ (rng32() & 0xff);
			break;
		default:	/* far apart: rounding of the smaller one */
			a[i] = (rng32() & 0x807fffff) | (150U << 23);
			b[i] = (rng32() & 0x807fffff) | (120U << 23);
			break;
		}
	}
	reduce_check(_metadata, self->fd[0], AIFAB_ACCEL_DTYPE_F32, a, b, RED_N);
}

/* IEEE 754 single: signed zeros, infinities, NaN, subnormals, ties. */
TEST_F(accel, reduce_f32_specials)
{
	const float inf = INFINITY, nan = NAN;
	const float pairs[][2] = {
		{ 0.0f, -0.0f }, { -0.0f, 0.0f }, { -0.0f, -0.0f }, { 1.0f, -1.0f },
		{ inf, 1.0f }, { inf, -inf }, { -inf, -inf }, { -inf, 5.0f },
		{ FLT_MAX, FLT_MAX }, { -FLT_MAX, -FLT_MAX }, { FLT_MAX, -FLT_MAX },
		{ 0x1p-149f, 0x1p-149f }, { FLT_MIN, -0x1p-149f },
		{ 0x1p-126f, -0x1p-126f }, { 3.0f, 0x1p-149f },
		{ 1.0f, 0x1p-24f }, { 0x1.000002p0f, 0x1p-24f },
		{ 0x1.fffffep127f, 0x1p103f }, { nan, 1.0f }, { 1.0f, nan },
		{ nan, nan }, { -nan, -inf }, { 0.1f, 0.2f }, { -0.0f, 0x1p-149f },
	};
	const unsigned int n = sizeof(pairs) / sizeof(pairs[0]);
	uint32_t a[sizeof(pairs) / sizeof(pairs[0])], b[sizeof(pairs) / sizeof(pairs[0])];
	unsigned int i;

	for (i = 0; i < n; i++) {
		a[i] = f2u(pairs[i][0]);
		b[i] = f2u(pairs[i][1]);
	}
	reduce_check(_metadata, self->fd[0], AIFAB_ACCEL_DTYPE_F32, a, b, n);
}

/* ---- submit garbage ---- */

enum { B_FILL, B_COPY, B_REDUCE, B_WAIT, B_SIGNAL, B_NR };
static const char * const base_name[] = { "FILL", "COPY", "REDUCE", "WAIT", "SIGNAL" };

/* Values that stand for handles only known at run time. */
enum {
	V_LIT,		/* the literal value */
	V_BO,		/* a valid object, the source one */
	V_CLOSED,	/* a handle closed before the submit */
	V_IMPORTED,	/* an object imported from accel1 */
	V_EMPTY_SYNC,	/* a syncobj without a fence */
	V_GONE_SYNC,	/* a syncobj destroyed before the submit */
};

struct field_set {
	size_t off, size;
	int kind;
	uint64_t val;
};

struct cmd_case {
	const char *what;
	int base;
	struct field_set f[2];
	int err;
};

#define CMDF(field) offsetof(struct drm_aifab_accel_cmd, field), \
		    sizeof(((struct drm_aifab_accel_cmd *)0)->field)
#define GSZ	(64 * KiB)	/* size of the objects of the garbage tests */
/* One field set to a literal value. */
#define C1(b, fl, v, e) \
	{ #b " " #fl "=" #v, b, { { CMDF(fl), V_LIT, (uint64_t)(v) } }, e }
/* One field set to a run-time handle. */
#define CK(b, fl, k, e) \
	{ #b " " #fl "=" #k, b, { { CMDF(fl), k, 0 } }, e }
/* Two fields. */
#define C2(b, f1, v1, f2, v2, e) \
	{ #b " " #f1 "=" #v1 " " #f2 "=" #v2, b, \
	  { { CMDF(f1), V_LIT, (uint64_t)(v1) }, { CMDF(f2), V_LIT, (uint64_t)(v2) } }, e }

static const struct cmd_case cmd_cases[] = {
	/* Unknown operations, on otherwise valid FILL fields. */
	C1(B_FILL, op, 0, EINVAL),
	C1(B_FILL, op, 6, EINVAL),
	C1(B_FILL, op, 0x100, EINVAL),
	C1(B_FILL, op, 0x7fffffff, EINVAL),
	C1(B_FILL, op, 0xffffffff, EINVAL),

	/* FILL */
	CK(B_FILL, src, V_BO, EINVAL),
	C1(B_FILL, src_offset, 4, EINVAL),
	C1(B_FILL, dtype, AIFAB_ACCEL_DTYPE_I32, EINVAL),
	C1(B_FILL, reduce_op, AIFAB_ACCEL_REDUCE_SUM, EINVAL),
	C1(B_FILL, length, 0, EINVAL),
	C1(B_FILL, length, 2, EINVAL),
	C1(B_FILL, length, 4097, EINVAL),
	C1(B_FILL, dst_offset, 2, EINVAL),
	C1(B_FILL, dst_offset, 4095, EINVAL),
	C1(B_FILL, length, GSZ + 4, EINVAL),
	C1(B_FILL, dst_offset, GSZ, EINVAL),
	C1(B_FILL, dst_offset, GSZ - 4092, EINVAL),
	C2(B_FILL, dst_offset, 4096, length, -4096ULL, EINVAL),
	C2(B_FILL, dst_offset, -4ULL, length, 8, EINVAL),
	C2(B_FILL, dst_offset, -4096ULL, length, 4096, EINVAL),
	C2(B_FILL, dst_offset, 0, length, -4ULL, EINVAL),
	C1(B_FILL, dst, 0, ENOENT),
	C1(B_FILL, dst, 0xdeadbeef, ENOENT),
	CK(B_FILL, dst, V_CLOSED, ENOENT),

	/* COPY */
	C1(B_COPY, pattern, 1, EINVAL),
	C1(B_COPY, dtype, AIFAB_ACCEL_DTYPE_F32, EINVAL),
	C1(B_COPY, reduce_op, AIFAB_ACCEL_REDUCE_MAX, EINVAL),
	C1(B_COPY, length, 0, EINVAL),
	C1(B_COPY, length, GSZ + 1, EINVAL),
	C2(B_COPY, src_offset, 1, length, GSZ, EINVAL),
	C2(B_COPY, dst_offset, 1, length, GSZ, EINVAL),
	C1(B_COPY, dst_offset, GSZ, EINVAL),
	C1(B_COPY, src_offset, GSZ - 4095, EINVAL),
	C2(B_COPY, src_offset, 1, length, -1ULL, EINVAL),
	C2(B_COPY, dst_offset, -1ULL, length, 2, EINVAL),
	C2(B_COPY, src_offset, -4096ULL, length, 4096, EINVAL),
	C2(B_COPY, dst_offset, 4096, length, -4096ULL, EINVAL),
	C1(B_COPY, src, 0, ENOENT),
	C1(B_COPY, src, 0xdeadbeef, ENOENT),
	CK(B_COPY, src, V_CLOSED, ENOENT),
	C1(B_COPY, dst, 0xdeadbeef, ENOENT),
	CK(B_COPY, dst, V_CLOSED, ENOENT),

	/* REDUCE */
	C1(B_REDUCE, pattern, 1, EINVAL),
	C1(B_REDUCE, dtype, 0, EINVAL),
	C1(B_REDUCE, dtype, 3, EINVAL),
	C1(B_REDUCE, dtype, 0xffffffff, EINVAL),
	C1(B_REDUCE, reduce_op, 0, EINVAL),
	C1(B_REDUCE, reduce_op, 4, EINVAL),
	C1(B_REDUCE, reduce_op, 0xffffffff, EINVAL),
	C1(B_REDUCE, length, 0, EINVAL),
	C1(B_REDUCE, length, 2, EINVAL),
	C1(B_REDUCE, length, 4094, EINVAL),
	C1(B_REDUCE, dst_offset, 2, EINVAL),
	C1(B_REDUCE, src_offset, 6, EINVAL),
	C1(B_REDUCE, length, GSZ + 4, EINVAL),
	C1(B_REDUCE, dst_offset, GSZ, EINVAL),
	C1(B_REDUCE, src_offset, GSZ - 4092, EINVAL),
	C2(B_REDUCE, dst_offset, 4096, length, -4096ULL, EINVAL),
	C2(B_REDUCE, src_offset, -4ULL, length, 8, EINVAL),
	CK(B_REDUCE, src, V_IMPORTED, EINVAL),
	CK(B_REDUCE, dst, V_IMPORTED, EINVAL),
	C1(B_REDUCE, src, 0, ENOENT),
	CK(B_REDUCE, src, V_CLOSED, ENOENT),
	C1(B_REDUCE, dst, 0xdeadbeef, ENOENT),

	/* WAIT */
	CK(B_WAIT, src, V_BO, EINVAL),
	C1(B_WAIT, dst_offset, 4, EINVAL),
	C1(B_WAIT, src_offset, 4, EINVAL),
	C1(B_WAIT, length, 4, EINVAL),
	C1(B_WAIT, dtype, 1, EINVAL),
	C1(B_WAIT, reduce_op, 1, EINVAL),
	C1(B_WAIT, pattern, 1, EINVAL),
	C1(B_WAIT, dst, 0, ENOENT),
	C1(B_WAIT, dst, 0xdeadbeef, ENOENT),
	CK(B_WAIT, dst, V_GONE_SYNC, ENOENT),
	CK(B_WAIT, dst, V_EMPTY_SYNC, EINVAL),

	/* SIGNAL */
	CK(B_SIGNAL, src, V_BO, EINVAL),
	C1(B_SIGNAL, dst_offset, 4, EINVAL),
	C1(B_SIGNAL, src_offset, 4, EINVAL),
	C1(B_SIGNAL, length, 4, EINVAL),
	C1(B_SIGNAL, dtype, 1, EINVAL),
	C1(B_SIGNAL, reduce_op, 1, EINVAL),
	C1(B_SIGNAL, pattern, 1, EINVAL),
	C1(B_SIGNAL, dst, 0, ENOENT),
	C1(B_SIGNAL, dst, 0xdeadbeef, ENOENT),
	CK(B_SIGNAL, dst, V_GONE_SYNC, ENOENT),
};

/* The run-time handles the garbage cases use. */
struct garbage_ctx {
	int fd;
	uint32_t dst, src, closed, imported, wait_sync, signal_sync;
	uint32_t empty_sync, gone_sync, out;
	uint8_t *dst_map;
};

static struct drm_aifab_accel_cmd base_cmd(const struct garbage_ctx *g, int b)
{
	switch (b) {
	case B_FILL:
		return cmd_fill(g->dst, 0, 4096, 0x12345678);
	case B_COPY:
		return cmd_copy(g->dst, 0, g->src, 0, 4096);
	case B_REDUCE:
		return cmd_reduce(g->dst, 0, g->src, 0, 4096,
				  AIFAB_ACCEL_DTYPE_I32, AIFAB_ACCEL_REDUCE_SUM);
	case B_WAIT:
		return cmd_wait(g->wait_sync);
	default:
		return cmd_signal(g->signal_sync);
	}
}

static void set_field(struct drm_aifab_accel_cmd *c, const struct field_set *f,
		      const struct garbage_ctx *g)
{
	uint64_t v = f->val;

	switch (f->kind) {
	case V_BO:
		v = g->src;
		break;
	case V_CLOSED:
		v = g->closed;
		break;
	case V_IMPORTED:
		v = g->imported;
		break;
	case V_EMPTY_SYNC:
		v = g->empty_sync;
		break;
	case V_GONE_SYNC:
		v = g->gone_sync;
		break;
	}
	if (f->size == 4)
		*(uint32_t *)((char *)c + f->off) = (uint32_t)v;
	else
		*(uint64_t *)((char *)c + f->off) = v;
}

/*
 * Submits @s and expects it refused with @err, with nothing queued: the
 * counters stay, the out syncobj gets no fence.
 */
static void expect_refused(struct __test_metadata *_metadata,
			   const struct garbage_ctx *g,
			   struct drm_aifab_accel_submit *s, int err,
			   const char *what)
{
	struct drm_aifab_accel_info before, after;
	char diff[128];
	int ret;

	ASSERT_EQ(0, info_settled(g->fd, &before));
	ret = submit_raw(g->fd, s);
	EXPECT_EQ(-err, ret) TH_LOG("%s: got %s", what, strerror(-ret));
	if (!ret)	/* accepted by mistake: let it finish */
		fence_result(g->fd, g->out, 30000);
	ASSERT_EQ(0, info_settled(g->fd, &after));
	EXPECT_STREQ("", info_diff(&before, &after, diff, sizeof(diff)))
		TH_LOG("%s changed the counters", what);
	if (s->out_syncobj == g->out) {
		EXPECT_FALSE(syncobj_has_fence(g->fd, g->out))
			TH_LOG("%s: the out syncobj got a fence", what);
	}
	/* Leave the out syncobj empty for the next case. */
	if (!ret)
		syncobj_reset(g->fd, g->out);
}

static void submit_of(struct drm_aifab_accel_submit *s,
		      const struct drm_aifab_accel_cmd *cmds, uint32_t n,
		      uint32_t out)
{
	memset(s, 0, sizeof(*s));
	s->cmds = (uintptr_t)cmds;
	s->ncmds = n;
	s->out_syncobj = out;
}

TEST_F(accel, submit_garbage)
{
	struct drm_aifab_accel_submit s;
	struct drm_aifab_accel_cmd c[2];
	struct garbage_ctx g = { .fd = self->fd[0] };
	struct drm_aifab_accel_info after;
	const long pg = (long)pagesz();
	uint32_t peer, handles[2];
	unsigned int i, b;
	uint64_t id_before = 0, id_after = 0;
	char what[160], diff[128];
	uint8_t *guard, *src_map;
	void *m;

	ASSERT_EQ(0, bo_new(g.fd, GSZ, &g.dst, &m));
	g.dst_map = m;
	ASSERT_EQ(0, bo_new(g.fd, GSZ, &g.src, &m));
	src_map = m;
	memset(src_map, 0x55, GSZ);
	ASSERT_EQ(0, bo_create(self->fd[1], GSZ, &peer));
	ASSERT_EQ(0, bo_share(self->fd[1], peer, g.fd, &g.imported));
	ASSERT_EQ(0, syncobj_create(g.fd, DRM_SYNCOBJ_CREATE_SIGNALED, &g.wait_sync));
	ASSERT_EQ(0, syncobj_create(g.fd, 0, &g.signal_sync));
	ASSERT_EQ(0, syncobj_create(g.fd, 0, &g.empty_sync));
	ASSERT_EQ(0, syncobj_create(g.fd, 0, &g.out));

	/* Every base command is valid as it is. */
	for (b = 0; b < B_NR; b++) {
		c[0] = base_cmd(&g, b);
		EXPECT_EQ(0, run_job(g.fd, 0, c, 1, 0)) TH_LOG("base %s", base_name[b]);
	}
	/* The base FILL wrote dst; zero it so that a wrong run shows. */
	memset(g.dst_map, 0, GSZ);
	ASSERT_EQ(0, syncobj_destroy(g.fd, g.signal_sync));
	ASSERT_EQ(0, syncobj_create(g.fd, 0, &g.signal_sync));
	/*
	 * A closed object and a destroyed syncobj, made last: DRM hands out
	 * the lowest free handle, so any later create would reuse them.
	 */
	ASSERT_EQ(0, bo_create(g.fd, pagesz(), &g.closed));
	ASSERT_EQ(0, bo_close(g.fd, g.closed));
	ASSERT_EQ(0, syncobj_create(g.fd, 0, &g.gone_sync));
	ASSERT_EQ(0, syncobj_destroy(g.fd, g.gone_sync));

	/* Each table case, alone, then after a valid command. */
	for (i = 0; i < sizeof(cmd_cases) / sizeof(cmd_cases[0]); i++) {
		const struct cmd_case *k = &cmd_cases[i];

		c[0] = base_cmd(&g, k->base);
		set_field(&c[0], &k->f[0], &g);
		if (k->f[1].size)
			set_field(&c[0], &k->f[1], &g);
		submit_of(&s, c, 1, g.out);
		expect_refused(_metadata, &g, &s, k->err, k->what);

		c[1] = c[0];
		c[0] = cmd_fill(g.dst, 0, GSZ, 0x77777777);
		submit_of(&s, c, 2, g.out);
		snprintf(what, sizeof(what), "FILL then %s", k->what);
		expect_refused(_metadata, &g, &s, k->err, what);
	}
	/* Reserved and padding fields of every command, each alone. */
	for (b = 0; b < B_NR; b++) {
		static const uint32_t vals[] = { 1, 0x80000000 };
		unsigned int v;

		for (v = 0; v < 2; v++) {
			c[0] = base_cmd(&g, b);
			c[0].flags = vals[v];
			submit_of(&s, c, 1, g.out);
			snprintf(what, sizeof(what), "%s flags=%#x", base_name[b], vals[v]);
			expect_refused(_metadata, &g, &s, EINVAL, what);
			c[0] = base_cmd(&g, b);
			c[0].pad = vals[v];
			submit_of(&s, c, 1, g.out);
			snprintf(what, sizeof(what), "%s pad=%#x", base_name[b], vals[v]);
			expect_refused(_metadata, &g, &s, EINVAL, what);
		}
	}
	/* A SIGNAL before a bad command installs no fence either. */
	c[0] = cmd_signal(g.signal_sync);
	c[1] = cmd_fill(g.dst, 2, 4, 1);
	submit_of(&s, c, 2, 0);
	expect_refused(_metadata, &g, &s, EINVAL, "SIGNAL then bad FILL");
	EXPECT_FALSE(syncobj_has_fence(g.fd, g.signal_sync));

	/* The submit struct's own fields. */
	c[0] = cmd_fill(g.dst, 0, GSZ, 0x77777777);
	submit_of(&s, c, 1, g.out);
	s.flags = 1;
	expect_refused(_metadata, &g, &s, EINVAL, "submit flags=1");
	submit_of(&s, c, 1, g.out);
	s.flags = 0x80000000;
	expect_refused(_metadata, &g, &s, EINVAL, "submit flags=0x80000000");
	submit_of(&s, c, 1, g.out);
	s.reserved[0] = 1;
	expect_refused(_metadata, &g, &s, EINVAL, "submit reserved[0]=1");
	submit_of(&s, c, 1, g.out);
	s.reserved[1] = 1;
	expect_refused(_metadata, &g, &s, EINVAL, "submit reserved[1]=1");
	submit_of(&s, c, 1, g.out);
	s.engine = self->engines;
	expect_refused(_metadata, &g, &s, EINVAL, "engine = engines");
	submit_of(&s, c, 1, g.out);
	s.engine = 0xffffffff;
	expect_refused(_metadata, &g, &s, EINVAL, "engine = 0xffffffff");
	submit_of(&s, c, 1, g.out);
	s.timeout_ms = AIFAB_ACCEL_MAX_TIMEOUT_MS + 1;
	expect_refused(_metadata, &g, &s, EINVAL, "timeout_ms = MAX + 1");
	submit_of(&s, c, 1, g.out);
	s.timeout_ms = 0xffffffff;
	expect_refused(_metadata, &g, &s, EINVAL, "timeout_ms = 0xffffffff");
	submit_of(&s, c, 1, 0xdeadbeef);
	expect_refused(_metadata, &g, &s, ENOENT, "unknown out_syncobj");
	submit_of(&s, c, 1, g.gone_sync);
	expect_refused(_metadata, &g, &s, ENOENT, "destroyed out_syncobj");
	handles[0] = g.wait_sync;
	handles[1] = 0xdeadbeef;
	submit_of(&s, c, 1, g.out);
	s.in_syncobjs = (uintptr_t)handles;
	s.nin_syncobjs = 2;
	expect_refused(_metadata, &g, &s, ENOENT, "unknown in_syncobj");
	handles[1] = 0;
	expect_refused(_metadata, &g, &s, ENOENT, "in_syncobj 0");
	handles[1] = g.gone_sync;
	expect_refused(_metadata, &g, &s, ENOENT, "destroyed in_syncobj");

	/* Bad user pointers. */
	submit_of(&s, NULL, 1, g.out);
	expect_refused(_metadata, &g, &s, EFAULT, "cmds NULL, ncmds 1");
	submit_of(&s, (void *)8, 1, g.out);
	expect_refused(_metadata, &g, &s, EFAULT, "cmds = 8");
	submit_of(&s, (void *)0xffff888000000000ULL, 1, g.out);
	expect_refused(_metadata, &g, &s, EFAULT, "cmds = a kernel address");
	guard = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, guard);
	ASSERT_EQ(0, mprotect(guard + pg, pg, PROT_NONE));
	submit_of(&s, (void *)(guard + pg), 1, g.out);
	expect_refused(_metadata, &g, &s, EFAULT, "cmds in a PROT_NONE page");
	/* The first command readable, the second not. */
	{
		struct drm_aifab_accel_cmd *last = (void *)(guard + pg - sizeof(*last));

		*last = cmd_fill(g.dst, 0, GSZ, 0x77777777);
		submit_of(&s, last, 2, g.out);
		expect_refused(_metadata, &g, &s, EFAULT, "cmds cross into PROT_NONE");
	}
	c[0] = cmd_fill(g.dst, 0, GSZ, 0x77777777);
	submit_of(&s, c, 1, g.out);
	s.in_syncobjs = 8;
	s.nin_syncobjs = 1;
	expect_refused(_metadata, &g, &s, EFAULT, "in_syncobjs = 8");
	submit_of(&s, c, 1, g.out);
	s.in_syncobjs = (uintptr_t)(guard + pg - 4);
	*(uint32_t *)(guard + pg - 4) = g.wait_sync;
	s.nin_syncobjs = 2;
	expect_refused(_metadata, &g, &s, EFAULT, "in_syncobjs cross into PROT_NONE");
	munmap(guard, 2 * pg);
	EXPECT_EQ(-EFAULT, xioctl(g.fd, DRM_IOCTL_AIFAB_ACCEL_SUBMIT, NULL));

	/* Nothing ran: dst still zero. */
	EXPECT_EQ((uint64_t)GSZ, first_not(g.dst_map, GSZ, 0))
		TH_LOG("a refused job wrote its destination");
	EXPECT_EQ((uint64_t)GSZ, first_not(src_map, GSZ, 0x55));
	ASSERT_EQ(0, info_settled(g.fd, &after));

	/* The device still works, and job ids go on growing. */
	c[0] = cmd_fill(g.dst, 0, 4, 9);
	ASSERT_EQ(0, submit(g.fd, 0, c, 1, NULL, 0, g.out, 0, &id_before));
	EXPECT_EQ(0, fence_result(g.fd, g.out, 30000));
	ASSERT_EQ(0, submit(g.fd, 0, c, 1, NULL, 0, g.out, 0, &id_after));
	EXPECT_EQ(0, fence_result(g.fd, g.out, 30000));
	EXPECT_LT(id_before, id_after);
	EXPECT_EQ(9U, *(uint32_t *)g.dst_map);
	{
		struct drm_aifab_accel_info fin;

		ASSERT_EQ(0, info_settled(g.fd, &fin));
		after.jobs_submitted += 2;
		after.jobs_completed += 2;
		EXPECT_STREQ("", info_diff(&after, &fin, diff, sizeof(diff)));
	}
	munmap(g.dst_map, GSZ);
	munmap(src_map, GSZ);
	bo_close(g.fd, g.dst);
	bo_close(g.fd, g.src);
	bo_close(g.fd, g.imported);
	bo_close(self->fd[1], peer);
}

TEST_F(accel, job_limits)
{
	const uint64_t pg = pagesz();
	const uint32_t nbo = AIFAB_ACCEL_MAX_JOB_BOS;
	struct drm_aifab_accel_cmd *c;
	struct drm_aifab_accel_info before, after;
	uint32_t h, bos[AIFAB_ACCEL_MAX_JOB_BOS + 1];
	uint32_t syncs[AIFAB_ACCEL_MAX_IN_SYNCOBJS + 1];
	int fd = self->fd[0];
	uint32_t *w, *w64;
	unsigned int i;
	char diff[128];
	void *m;

	c = calloc(AIFAB_ACCEL_MAX_CMDS + 1, sizeof(*c));
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, bo_new(fd, pg, &h, &m));
	w = m;

	/* AIFAB_ACCEL_MAX_CMDS commands run, in order; one more is refused. */
	for (i = 0; i <= AIFAB_ACCEL_MAX_CMDS; i++)
		c[i] = cmd_fill(h, (4 * i) % pg, 4, i * 7 + 1);
	ASSERT_EQ(0, info_settled(fd, &before));
	EXPECT_EQ(SUBMIT_FAILED + E2BIG, run_job(fd, 0, c, AIFAB_ACCEL_MAX_CMDS + 1, 0));
	EXPECT_EQ(SUBMIT_FAILED + E2BIG, run_job(fd, 0, c, 0xffffffff, 0));
	EXPECT_EQ(SUBMIT_FAILED + E2BIG, run_job(fd, 0, c, 0x80000000, 0));
	ASSERT_EQ(0, info_settled(fd, &after));
	EXPECT_STREQ("", info_diff(&before, &after, diff, sizeof(diff)));
	EXPECT_EQ(pg, first_not(w, pg, 0));
	EXPECT_EQ(0, run_job(fd, 0, c, AIFAB_ACCEL_MAX_CMDS, 0));
	for (i = 0; i < AIFAB_ACCEL_MAX_CMDS && i < pg / 4; i++)
		if (w[i] != i * 7 + 1)
			break;
	EXPECT_EQ(pg / 4 < AIFAB_ACCEL_MAX_CMDS ? pg / 4 : AIFAB_ACCEL_MAX_CMDS, i);

	/* AIFAB_ACCEL_MAX_JOB_BOS distinct objects, each used twice: fine. */
	for (i = 0; i <= nbo; i++) {
		ASSERT_EQ(0, bo_create(fd, pg, &bos[i]));
	}
	for (i = 0; i < nbo; i++) {
		c[2 * i] = cmd_fill(bos[i], 0, 4, 100 + i);
		c[2 * i + 1] = cmd_fill(bos[i], 4, 4, 200 + i);
	}
	EXPECT_EQ(0, run_job(fd, 0, c, 2 * nbo, 0));
	w64 = bo_map(fd, bos[nbo - 1], pg);
	ASSERT_NE(NULL, w64);
	EXPECT_EQ(100 + nbo - 1, w64[0]);
	EXPECT_EQ(200 + nbo - 1, w64[1]);
	munmap(w64, pg);
	/* One more distinct object is too many. */
	for (i = 0; i <= nbo; i++)
		c[i] = cmd_fill(bos[i], 8, 4, 300 + i);
	ASSERT_EQ(0, info_settled(fd, &before));
	EXPECT_EQ(SUBMIT_FAILED + E2BIG, run_job(fd, 0, c, nbo + 1, 0));
	ASSERT_EQ(0, info_settled(fd, &after));
	EXPECT_STREQ("", info_diff(&before, &after, diff, sizeof(diff)));
	w64 = bo_map(fd, bos[0], pg);
	ASSERT_NE(NULL, w64);
	EXPECT_EQ(0U, w64[2]) TH_LOG("a refused job ran");
	munmap(w64, pg);
	for (i = 0; i <= nbo; i++)
		bo_close(fd, bos[i]);

	/* AIFAB_ACCEL_MAX_IN_SYNCOBJS in-syncobjs, one more too many. */
	for (i = 0; i <= AIFAB_ACCEL_MAX_IN_SYNCOBJS; i++) {
		ASSERT_EQ(0, syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &syncs[i]));
	}
	c[0] = cmd_fill(h, 0, 4, 5);
	{
		uint32_t out;

		ASSERT_EQ(0, syncobj_create(fd, 0, &out));
		EXPECT_EQ(0, submit(fd, 0, c, 1, syncs, AIFAB_ACCEL_MAX_IN_SYNCOBJS,
				    out, 0, NULL));
		EXPECT_EQ(0, fence_result(fd, out, 30000));
		ASSERT_EQ(0, info_settled(fd, &before));
		EXPECT_EQ(-E2BIG, submit(fd, 0, c, 1, syncs,
					 AIFAB_ACCEL_MAX_IN_SYNCOBJS + 1, out, 0, NULL));
		EXPECT_EQ(-E2BIG, submit(fd, 0, c, 1, syncs, 0xffffffff, out, 0, NULL));
		ASSERT_EQ(0, info_settled(fd, &after));
		EXPECT_STREQ("", info_diff(&before, &after, diff, sizeof(diff)));
		/* The same syncobj many times over is fine. */
		for (i = 0; i < AIFAB_ACCEL_MAX_IN_SYNCOBJS; i++)
			syncs[i] = syncs[0];
		EXPECT_EQ(0, submit(fd, 0, c, 1, syncs, AIFAB_ACCEL_MAX_IN_SYNCOBJS,
				    out, 0, NULL));
		EXPECT_EQ(0, fence_result(fd, out, 30000));
		/* The longest timeout is allowed. */
		EXPECT_EQ(0, submit(fd, 0, c, 1, NULL, 0, out,
				    AIFAB_ACCEL_MAX_TIMEOUT_MS, NULL));
		EXPECT_EQ(0, fence_result(fd, out, 30000));
		syncobj_destroy(fd, out);
	}
	for (i = 0; i <= AIFAB_ACCEL_MAX_IN_SYNCOBJS; i++)
		syncobj_destroy(fd, syncs[i]);
	munmap(w, pg);
	bo_close(fd, h);
	free(c);
}

/* ---- fences ---- */

TEST_F(accel, syncobj_waits)
{
	struct drm_aifab_accel_cmd c[2];
	int fd = self->fd[0], sfd, status = 0;
	uint32_t empty, sig, out, h;
	int64_t t0, took;

	ASSERT_EQ(0, syncobj_create(fd, 0, &empty));
	/* No fence: a plain wait is refused, WAIT_FOR_SUBMIT times out. */
	EXPECT_EQ(-EINVAL, syncobj_wait(fd, &empty, 1, 100, 0));
	t0 = now_ns();
	EXPECT_EQ(-ETIME, syncobj_wait(fd, &empty, 1, 200,
				       DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT));
	took = (now_ns() - t0) / 1000000;
	EXPECT_LE(150, took) TH_LOG("returned after %lld ms", (long long)took);
	EXPECT_EQ(-EINVAL, syncobj_export_sync_file(fd, empty, &sfd));
	/* A WAIT command on it is refused at submit. */
	c[0] = cmd_wait(empty);
	EXPECT_EQ(SUBMIT_FAILED + EINVAL, run_job(fd, 0, c, 1, 0));

	/* SIGNAL: a fence at submit time, signalled without error. */
	ASSERT_EQ(0, bo_create(fd, pagesz(), &h));
	ASSERT_EQ(0, syncobj_create(fd, 0, &sig));
	ASSERT_EQ(0, syncobj_create(fd, 0, &out));
	c[0] = cmd_fill(h, 0, pagesz(), 3);
	c[1] = cmd_signal(sig);
	ASSERT_EQ(0, submit(fd, 0, c, 2, NULL, 0, out, 0, NULL));
	EXPECT_TRUE(syncobj_has_fence(fd, sig));
	EXPECT_EQ(0, fence_result(fd, out, 30000));
	EXPECT_EQ(0, fence_result(fd, sig, 30000));
	ASSERT_EQ(0, syncobj_export_sync_file(fd, sig, &sfd));
	EXPECT_EQ(0, sync_file_status(sfd, &status));
	EXPECT_EQ(1, status);
	close(sfd);
	/* A signalled syncobj can be waited for by the next job. */
	c[0] = cmd_wait(sig);
	EXPECT_EQ(0, run_job(fd, 0, c, 1, 0));
	syncobj_destroy(fd, empty);
	syncobj_destroy(fd, sig);
	syncobj_destroy(fd, out);
	bo_close(fd, h);
}

TEST_F_TIMEOUT(accel, engines_chaining, 90)
{
	const uint64_t pg = pagesz(), big = 32 * MiB;
	const uint32_t e1 = self->engines >= 2 ? 1 : 0;
	struct drm_aifab_accel_info before, after;
	struct drm_aifab_accel_cmd c[3];
	uint32_t hx, hz, hy, s[9], in[2];
	int fd = self->fd[0];
	uint32_t *y;
	unsigned int i;
	void *m;

	if (self->engines < 2)
		TH_LOG("one engine only: chaining runs on engine 0 alone");
	ASSERT_EQ(0, bo_create(fd, big, &hx));
	ASSERT_EQ(0, bo_create(fd, big, &hz));
	ASSERT_EQ(0, bo_new(fd, pg, &hy, &m));
	y = m;
	for (i = 0; i < 9; i++) {
		ASSERT_EQ(0, syncobj_create(fd, 0, &s[i]));
	}
	ASSERT_EQ(0, info_settled(fd, &before));

	/* out-syncobj of a job on engine 0 gates a job on engine 1. */
	c[0] = cmd_fill(hx, 0, big, 0x0a0a0a0a);
	ASSERT_EQ(0, submit(fd, 0, c, 1, NULL, 0, s[0], 0, NULL));
	c[0] = cmd_copy(hy, 0, hx, big - pg, pg);
	ASSERT_EQ(0, submit(fd, e1, c, 1, &s[0], 1, s[1], 0, NULL));
	EXPECT_EQ(0, fence_result(fd, s[1], 60000));
	EXPECT_EQ(0, syncobj_wait(fd, &s[0], 1, 0, 0))
		TH_LOG("the job ran before its in-fence signalled");
	EXPECT_EQ(pg, first_not(y, pg, 0x0a));

	/* SIGNAL in a job on engine 0, WAIT in a job on engine 1. */
	c[0] = cmd_fill(hx, 0, big, 0x0b0b0b0b);
	c[1] = cmd_signal(s[2]);
	c[2] = cmd_fill(hz, 0, big, 0x0c0c0c0c);
	ASSERT_EQ(0, submit(fd, 0, c, 3, NULL, 0, s[3], 0, NULL));
	EXPECT_TRUE(syncobj_has_fence(fd, s[2])) TH_LOG("SIGNAL: no fence at submit");
	c[0] = cmd_wait(s[2]);
	c[1] = cmd_copy(hy, 0, hx, big - pg, pg);
	ASSERT_EQ(0, submit(fd, e1, c, 2, NULL, 0, s[4], 0, NULL));
	EXPECT_EQ(0, fence_result(fd, s[4], 60000));
	EXPECT_EQ(0, syncobj_wait(fd, &s[2], 1, 0, 0));
	EXPECT_EQ(pg, first_not(y, pg, 0x0b));
	EXPECT_EQ(0, fence_result(fd, s[3], 60000));

	/* An empty job joins the fences of two engines. */
	c[0] = cmd_fill(hz, 0, big, 0x0d0d0d0d);
	ASSERT_EQ(0, submit(fd, 0, c, 1, NULL, 0, s[5], 0, NULL));
	c[0] = cmd_fill(hy, 0, pg, 0x0e0e0e0e);
	ASSERT_EQ(0, submit(fd, e1, c, 1, NULL, 0, s[6], 0, NULL));
	in[0] = s[5];
	in[1] = s[6];
	ASSERT_EQ(0, submit(fd, e1, NULL, 0, in, 2, s[7], 0, NULL));
	EXPECT_EQ(0, fence_result(fd, s[7], 60000));
	EXPECT_EQ(0, syncobj_wait(fd, in, 2, 0, 0))
		TH_LOG("the empty job signalled before its in-fences");
	/* And with nothing to wait for, it just signals. */
	ASSERT_EQ(0, submit(fd, 0, NULL, 0, NULL, 0, s[8], 0, NULL));
	EXPECT_EQ(0, fence_result(fd, s[8], 30000));

	ASSERT_EQ(0, info_settled(fd, &after));
	EXPECT_EQ(before.jobs_submitted + 8, after.jobs_submitted);
	EXPECT_EQ(before.jobs_completed + 8, after.jobs_completed);
	EXPECT_EQ(before.jobs_failed, after.jobs_failed);
	for (i = 0; i < 9; i++)
		syncobj_destroy(fd, s[i]);
	munmap(y, pg);
	bo_close(fd, hx);
	bo_close(fd, hz);
	bo_close(fd, hy);
}

/* ---- memory ---- */

TEST_F(accel, capacity_default)
{
	const uint64_t pg = pagesz(), chunk = 256 * MiB;
	const int fd = self->fd[2];
	const struct drm_aifab_accel_info *b = &self->base[2];
	struct drm_aifab_accel_info now;
	uint32_t h[16], extra, more;
	uint64_t used = b->mem_used, left;
	unsigned int n = 0, i;

	/* Fill the device to exactly mem_total. */
	left = b->mem_total - used;
	while (left && n < 16) {
		uint64_t sz = left >= chunk ? chunk : left;

		ASSERT_EQ(0, bo_create(fd, sz, &h[n])) TH_LOG("size %llu", (unsigned long long)sz);
		n++;
		used += sz;
		left -= sz;
		ASSERT_EQ(0, accel_info(fd, &now));
		EXPECT_EQ(used, now.mem_used);
		EXPECT_EQ(b->bos + n, now.bos);
	}
	ASSERT_EQ(0ULL, left);
	ASSERT_EQ(0, accel_info(fd, &now));
	EXPECT_EQ(b->mem_total, now.mem_used);
	EXPECT_EQ(b->mem_total, now.mem_peak);

	/* Not one page more. */
	EXPECT_EQ(-ENOSPC, bo_create(fd, pg, &extra));
	ASSERT_EQ(0, accel_info(fd, &now));
	EXPECT_EQ(b->mem_total, now.mem_used);
	EXPECT_EQ(b->bos + n, now.bos);
	/* Other devices are not charged. */
	{
		struct drm_aifab_accel_info o;

		ASSERT_EQ(0, accel_info(self->fd[3], &o));
		EXPECT_EQ(self->base[3].mem_used, o.mem_used);
	}

	/* Free one: a page fits again, then all but that page. */
	ASSERT_EQ(0, bo_close(fd, h[0]));
	ASSERT_EQ(0, wait_mem(fd, b->bos + n - 1, b->mem_total - chunk, &now));
	EXPECT_EQ(b->mem_total - chunk, now.mem_used);
	ASSERT_EQ(0, bo_create(fd, pg, &extra));
	EXPECT_EQ(-ENOSPC, bo_create(fd, chunk, &more));
	ASSERT_EQ(0, bo_create(fd, chunk - pg, &more));
	ASSERT_EQ(0, accel_info(fd, &now));
	EXPECT_EQ(b->mem_total, now.mem_used);
	EXPECT_EQ(b->mem_total, now.mem_peak);
	EXPECT_EQ(-ENOSPC, bo_create(fd, pg, &h[0]));

	bo_close(fd, extra);
	bo_close(fd, more);
	for (i = 1; i < n; i++)
		bo_close(fd, h[i]);
	ASSERT_EQ(0, wait_mem(fd, b->bos, b->mem_used, &now));
	EXPECT_EQ(b->mem_used, now.mem_used);
	EXPECT_EQ(b->mem_total, now.mem_peak) TH_LOG("the peak is kept");
}

TEST_F_TIMEOUT(accel, no_stale_data, 60)
{
	const uint64_t size = 8 * MiB;
	struct drm_aifab_accel_info now;
	int fd = self->fd[3], st = 0;
	uint32_t h;
	pid_t pid;
	void *m;

	ASSERT_EQ(0, bo_new(fd, size, &h, &m));
	memset(m, 0xa5, size);
	pattern_fill(m, size / 2, 7);
	EXPECT_EQ(0, run1(fd, cmd_fill(h, size / 4, size / 2, 0x5a5a5a5a)));
	munmap(m, size);
	ASSERT_EQ(0, bo_close(fd, h));
	ASSERT_EQ(0, wait_mem(fd, self->base[3].bos, self->base[3].mem_used, &now));

	/* Another process, with its own file, reads zeros only. */
	fflush(NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int cfd = accel_open("accel3"), k;
		uint32_t ch[4];
		void *cm;

		if (cfd < 0)
			_exit(10);
		for (k = 0; k < 4; k++) {
			if (bo_new(cfd, size, &ch[k], &cm))
				_exit(11);
			if (first_not(cm, size, 0) != size)
				_exit(20 + k);
			munmap(cm, size);
		}
		/* The device reads the same zeros: COPY a new object out. */
		if (bo_new(cfd, size, &ch[0], &cm))
			_exit(12);
		{
			uint32_t fresh;

			if (bo_create(cfd, size, &fresh))
				_exit(13);
			memset(cm, 0xee, size);
			if (run1(cfd, cmd_copy(ch[0], 0, fresh, 0, size)))
				_exit(14);
			if (first_not(cm, size, 0) != size)
				_exit(30);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st))
		TH_LOG("child: 1x setup failed, 2x a new object held old bytes, 30 the device read them");

	/* And in this process too. */
	ASSERT_EQ(0, bo_new(fd, size, &h, &m));
	EXPECT_EQ(size, first_not(m, size, 0));
	munmap(m, size);
	bo_close(fd, h);
}

/* ---- PRIME ---- */

TEST_F(accel, prime_between_accels)
{
	const uint64_t size = 1 * MiB;
	struct drm_aifab_accel_bo_info bi;
	struct drm_aifab_accel_info now0, now1;
	int fd0 = self->fd[0], fd1 = self->fd[1], dmabuf;
	uint32_t hx, hy, hyi, again;
	uint8_t *x, *y, *ref;
	long long tx0, rx1;
	void *m;

	ASSERT_EQ(0, bo_new(fd0, size, &hx, &m));
	x = m;
	ASSERT_EQ(0, bo_new(fd1, size, &hy, &m));
	y = m;
	ref = malloc(size);
	ASSERT_NE(NULL, ref);
	pattern_fill(x, size, 11);
	memcpy(ref, x, size);

	ASSERT_EQ(0, prime_export(fd1, hy, &dmabuf));
	ASSERT_EQ(0, prime_import(fd0, dmabuf, &hyi));
	/* The import is known as what it is. */
	ASSERT_EQ(0, bo_info(fd0, hyi, &bi));
	EXPECT_EQ(size, bi.size);
	EXPECT_EQ((uint32_t)AIFAB_ACCEL_BO_IMPORTED, bi.flags & AIFAB_ACCEL_BO_IMPORTED);
	EXPECT_EQ(self->base[1].fabric_dev_id, bi.home_dev_id);
	ASSERT_EQ(0, prime_import(fd0, dmabuf, &again));
	EXPECT_EQ(hyi, again) TH_LOG("a second import gives the same handle");
	close(dmabuf);
	ASSERT_EQ(0, accel_info(fd0, &now0));
	ASSERT_EQ(0, accel_info(fd1, &now1));
	EXPECT_EQ(self->base[0].bos + 2, now0.bos);
	EXPECT_EQ(self->base[0].mem_used + size, now0.mem_used)
		TH_LOG("an import is not charged to the importer");
	EXPECT_EQ(self->base[1].bos + 1, now1.bos);
	EXPECT_EQ(self->base[1].mem_used + size, now1.mem_used);

	/* accel0 pushes into accel1's memory; accel1 reads it back. */
	tx0 = ctl_counter("accel0", "tx_bytes");
	rx1 = ctl_counter("accel1", "rx_bytes");
	EXPECT_EQ(0, run1(fd0, cmd_copy(hyi, 0, hx, 0, size)));
	EXPECT_EQ(size, first_diff(y, ref, size));
	EXPECT_LE(tx0 + (long long)size, ctl_counter("accel0", "tx_bytes"))
		TH_LOG("the bytes did not cross the fabric");
	EXPECT_LE(rx1 + (long long)size, ctl_counter("accel1", "rx_bytes"));
	/* Unaligned offsets, both ways. */
	memset(y, 0, size);
	EXPECT_EQ(0, run1(fd0, cmd_copy(hyi, 4097, hx, 3, 70001)));
	EXPECT_EQ(70001ULL, first_diff(y + 4097, ref + 3, 70001));
	EXPECT_EQ(4097ULL, first_not(y, 4097, 0));
	EXPECT_EQ(size - 4097 - 70001, first_not(y + 4097 + 70001, size - 4097 - 70001, 0));
	EXPECT_EQ(0, run1(fd1, cmd_fill(hy, 0, size, 0x600df00d)));
	EXPECT_EQ(0, run1(fd0, cmd_copy(hx, 13, hyi, 0, 4096)));
	EXPECT_EQ(0x0d, x[13]);
	EXPECT_EQ(0xf0, x[14]);
	EXPECT_EQ(ref[12], x[12]);
	EXPECT_EQ(ref[13 + 4096], x[13 + 4096]);

	/* The import keeps accel1's object alive after its handle closed. */
	munmap(y, size);
	ASSERT_EQ(0, bo_close(fd1, hy));
	ASSERT_EQ(0, accel_info(fd1, &now1));
	EXPECT_EQ(self->base[1].mem_used + size, now1.mem_used);
	EXPECT_EQ(0, run1(fd0, cmd_copy(hyi, 0, hx, 0, size)));
	/* Then nothing is left once the import goes. */
	ASSERT_EQ(0, bo_close(fd0, hyi));
	ASSERT_EQ(0, wait_mem(fd1, self->base[1].bos, self->base[1].mem_used, &now1));
	EXPECT_EQ(self->base[1].mem_used, now1.mem_used);
	EXPECT_EQ(self->base[1].bos, now1.bos);
	ASSERT_EQ(0, accel_info(fd0, &now0));
	EXPECT_EQ(self->base[0].bos + 1, now0.bos);
	munmap(x, size);
	bo_close(fd0, hx);
	free(ref);
}

TEST_F(accel, prime_dmabuf_mmap)
{
	const uint64_t size = 256 * KiB;
	int fd = self->fd[0], dmabuf;
	uint32_t ha, hb, self_import;
	uint8_t *viabuf, *b;
	void *m;

	ASSERT_EQ(0, bo_create(fd, size, &ha));
	ASSERT_EQ(0, bo_new(fd, size, &hb, &m));
	b = m;
	ASSERT_EQ(0, prime_export(fd, ha, &dmabuf));
	/* Importing into the exporting file gives back the same handle. */
	ASSERT_EQ(0, prime_import(fd, dmabuf, &self_import));
	EXPECT_EQ(ha, self_import);

	viabuf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	ASSERT_NE(MAP_FAILED, viabuf) TH_LOG("mmap of the dma-buf: %s", strerror(errno));
	EXPECT_EQ(size, first_not(viabuf, size, 0));
	/* The device writes, the dma-buf mapping sees it. */
	EXPECT_EQ(0, run1(fd, cmd_fill(ha, 0, size, 0x3c3c3c3c)));
	EXPECT_EQ(size, first_not(viabuf, size, 0x3c));
	/* The dma-buf mapping writes, the device copies it. */
	pattern_fill(viabuf, size, 5);
	EXPECT_EQ(0, run1(fd, cmd_copy(hb, 0, ha, 0, size)));
	EXPECT_EQ(size, first_diff(b, viabuf, size));
	munmap(viabuf, size);
	close(dmabuf);
	munmap(b, size);
	bo_close(fd, ha);
	bo_close(fd, hb);
}

/* ---- peer COPY through the fabric ---- */

/* Two objects on accel0 and accel1, the latter imported into accel0. */
struct peer {
	uint64_t size;
	uint32_t src, dst, dst_imp;	/* src on accel0, dst on accel1 */
	uint8_t *src_map, *dst_map;
};

static void peer_setup(struct __test_metadata *_metadata,
		       FIXTURE_DATA(accel) *self, struct peer *p,
		       uint64_t size, uint64_t seed)
{
	void *m;

	p->size = size;
	ASSERT_EQ(0, bo_new(self->fd[0], size, &p->src, &m));
	p->src_map = m;
	ASSERT_EQ(0, bo_new(self->fd[1], size, &p->dst, &m));
	p->dst_map = m;
	ASSERT_EQ(0, bo_share(self->fd[1], p->dst, self->fd[0], &p->dst_imp));
	pattern_fill(p->src_map, size, seed);
}

static void peer_free(FIXTURE_DATA(accel) *self, struct peer *p)
{
	munmap(p->src_map, p->size);
	munmap(p->dst_map, p->size);
	bo_close(self->fd[0], p->dst_imp);
	bo_close(self->fd[0], p->src);
	bo_close(self->fd[1], p->dst);
}

/* Checks the source still holds its pattern; returns the first bad byte. */
static uint64_t src_intact(const struct peer *p, uint64_t seed)
{
	const uint64_t *w = (const uint64_t *)p->src_map;
	uint64_t i;

	for (i = 0; i < p->size / 8; i++)
		if (w[i] != pattern_word(seed, i))
			return i * 8;
	return p->size;
}

/* Closes the fixture's file of accel@i, and opens it again if @open. */
static void reopen(struct __test_metadata *_metadata, FIXTURE_DATA(accel) *self,
		   int i, bool open)
{
	if (self->fd[i] >= 0)
		close(self->fd[i]);
	self->fd[i] = -1;
	if (!open)
		return;
	self->fd[i] = accel_open(names[i]);
	ASSERT_LE(0, self->fd[i]) TH_LOG("reopen %s: %s", names[i],
					 strerror(-self->fd[i]));
}

TEST_F_TIMEOUT(accel, partition_fence, 90)
{
	const uint64_t size = 64 * KiB;
	struct drm_aifab_accel_info i0, i1, i2;
	long long fence0, unpart0, dev_refused0;
	uint32_t z, zi, x2;
	struct peer p;
	void *m;
	long pa, pb;

	start_monitor(_metadata, self);
	/* Membership changes only while no process has the device open. */
	reopen(_metadata, self, 0, false);
	reopen(_metadata, self, 1, false);
	ASSERT_EQ(0, ctl("partition add pA tenant tA dev accel0"));
	ASSERT_EQ(0, ctl("partition add pB tenant tB dev accel1"));
	reopen(_metadata, self, 0, true);
	reopen(_metadata, self, 1, true);
	peer_setup(_metadata, self, &p, size, 21);
	pa = topology_id("partition", "pA");
	pb = topology_id("partition", "pB");
	ASSERT_LT(0, pa);
	ASSERT_LT(0, pb);
	ASSERT_EQ(0, accel_info(self->fd[0], &i0));
	ASSERT_EQ(0, accel_info(self->fd[1], &i1));
	ASSERT_EQ(0, accel_info(self->fd[2], &i2));
	EXPECT_EQ(pa, (long)i0.partition_id);
	EXPECT_EQ(pb, (long)i1.partition_id);
	EXPECT_EQ(0U, i2.partition_id);

	/* Across the partitions, with no fence: refused, and nothing moves. */
	fence0 = debugfs_count("refused", "fence");
	unpart0 = debugfs_count("refused", "unpartitioned");
	dev_refused0 = ctl_counter("accel0", "refused");
	ASSERT_LE(0, fence0);
	ASSERT_LE(0, dev_refused0);
	ASSERT_EQ(0, info_settled(self->fd[0], &i0));
	EXPECT_EQ(-EACCES, run1(self->fd[0], cmd_copy(p.dst_imp, 0, p.src, 0, size)));
	EXPECT_EQ(size, first_not(p.dst_map, size, 0)) TH_LOG("bytes crossed a fence");
	EXPECT_EQ(size, src_intact(&p, 21));
	EXPECT_LT(fence0, debugfs_count("refused", "fence"));
	EXPECT_LT(dev_refused0, ctl_counter("accel0", "refused"));
	ASSERT_EQ(0, info_settled(self->fd[0], &i1));
	EXPECT_EQ(i0.jobs_failed + 1, i1.jobs_failed);
	EXPECT_EQ(i0.jobs_completed, i1.jobs_completed);
	EXPECT_TRUE(file_wait_line(self->mon_path, 5000, "\"fence-violation\"",
				   "\"src\":\"accel0\"", "\"dst\":\"accel1\"",
				   "\"reason\":\"fence\"")) {
		char *t = read_text(self->mon_path);

		TH_LOG("no fence-violation event in: %s", t ? t : "(unreadable)");
		free(t);
	}
	/* Pulling from the other side is refused the same way. */
	ASSERT_EQ(0, bo_new(self->fd[0], size, &x2, &m));
	EXPECT_EQ(-EACCES, run1(self->fd[0], cmd_copy(x2, 0, p.dst_imp, 0, size)));
	EXPECT_EQ(size, first_not(m, size, 0));
	munmap(m, size);
	bo_close(self->fd[0], x2);

	/* To an unpartitioned device: refused too. */
	ASSERT_EQ(0, bo_create(self->fd[2], size, &z));
	ASSERT_EQ(0, bo_share(self->fd[2], z, self->fd[0], &zi));
	EXPECT_EQ(-EACCES, run1(self->fd[0], cmd_copy(zi, 0, p.src, 0, size)));
	EXPECT_LT(unpart0, debugfs_count("refused", "unpartitioned"));
	bo_close(self->fd[0], zi);
	bo_close(self->fd[2], z);

	/* A fence opens the way. */
	ASSERT_EQ(0, ctl("fence add pA pB"));
	EXPECT_EQ(0, run1(self->fd[0], cmd_copy(p.dst_imp, 0, p.src, 0, size)));
	EXPECT_EQ(size, first_diff(p.dst_map, p.src_map, size));
	ASSERT_EQ(0, ctl("fence del pA pB"));
	EXPECT_EQ(-EACCES, run1(self->fd[0], cmd_copy(p.dst_imp, 0, p.src, 0, 4096)));

	peer_free(self, &p);
	reopen(_metadata, self, 0, false);
	reopen(_metadata, self, 1, false);
	ASSERT_EQ(0, ctl("partition del pA"));
	ASSERT_EQ(0, ctl("partition del pB"));
	reopen(_metadata, self, 0, true);
	ASSERT_EQ(0, accel_info(self->fd[0], &i0));
	EXPECT_EQ(0U, i0.partition_id);
}

/* ---- partition admin state and scrub ---- */

/*
 * An accelerator counter from its platform device's sysfs (the DRM node's
 * "device" directory), or -1.
 */
static long long accel_sysfs_counter(const char *name, const char *counter)
{
	char node[256], path[512], v[32];
	const char *base;

	if (accel_node(name, node, sizeof(node)))
		return -1;
	base = strrchr(node, '/') + 1;
	snprintf(path, sizeof(path), "/sys/class/%s/%s/device/%s",
		 strncmp(base, "accel", 5) ? "drm" : "accel", base, counter);
	if (read_line(path, v, sizeof(v)))
		return -1;
	return atoll(v);
}

/* The same counter, as debugfs accel/NAME/memory shows it. */
static long accel_debugfs_counter(const char *name, const char *counter)
{
	char file[64];

	snprintf(file, sizeof(file), "accel/%s/memory", name);
	return debugfs_count(file, counter);
}

/* One scrub counter of @name through sysfs, debugfs and netlink, or -1. */
static long long scrub_counter(struct __test_metadata *_metadata,
			       const char *name, const char *counter)
{
	long long sys = accel_sysfs_counter(name, counter);

	EXPECT_EQ(sys, accel_debugfs_counter(name, counter))
		TH_LOG("%s %s: sysfs and debugfs differ", name, counter);
	EXPECT_EQ(sys, ctl_counter(name, counter))
		TH_LOG("%s %s: sysfs and stats show differ", name, counter);
	return sys;
}

/* Waits for a monitor line holding @action on @part and @bytes zeroed. */
static bool scrub_event_seen(struct __test_metadata *_metadata,
			     FIXTURE_DATA(accel) *self, const char *action,
			     const char *part, uint64_t bytes)
{
	char want_action[32], want_name[48], want_bytes[48];
	char *t;

	snprintf(want_action, sizeof(want_action), "\"action\":\"%s\"", action);
	snprintf(want_name, sizeof(want_name), "\"name\":\"%s\"", part);
	snprintf(want_bytes, sizeof(want_bytes), "\"scrub_bytes\":%llu",
		 (unsigned long long)bytes);
	if (file_wait_line(self->mon_path, 5000, "\"partition\"", want_action,
			   want_name, want_bytes))
		return true;
	t = read_text(self->mon_path);
	TH_LOG("no partition %s event of %s with %s in: %s", action, part,
	       want_bytes, t ? t : "(unreadable)");
	free(t);
	return false;
}

/*
 * A process makes an object, exports it as a dma-buf, maps that, and
 * closes its device file: the object outlives the file, and so the
 * partition. Deleting the partition zeroes it before the delete returns,
 * and counts it, on that device alone.
 */
TEST_F_TIMEOUT(accel, scrub_on_partition_del, 90)
{
	const uint64_t size = 256 * KiB, other_size = 64 * KiB;
	long long scrubs0[NACCEL], bytes0[NACCEL];
	uint32_t h, gone, keep;
	uint8_t *viabuf, *mine;
	int dmabuf, i;
	void *m;

	start_monitor(_metadata, self);
	for (i = 0; i < NACCEL; i++) {
		scrubs0[i] = scrub_counter(_metadata, names[i], "scrubs");
		bytes0[i] = scrub_counter(_metadata, names[i], "scrub_bytes");
		ASSERT_LE(0, scrubs0[i]);
		ASSERT_LE(0, bytes0[i]);
	}
	reopen(_metadata, self, 0, false);
	reopen(_metadata, self, 1, false);
	ASSERT_EQ(0, ctl("partition add pS tenant tS dev accel0 accel1"));
	reopen(_metadata, self, 0, true);

	/* The tenant's data, reachable later through a dma-buf only. */
	ASSERT_EQ(0, bo_new(self->fd[0], size, &h, &m));
	pattern_fill(m, size, 33);
	munmap(m, size);
	ASSERT_EQ(0, prime_export(self->fd[0], h, &dmabuf));
	viabuf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	ASSERT_NE(MAP_FAILED, viabuf) TH_LOG("mmap of the dma-buf: %s", strerror(errno));
	for (i = 0; i < (int)(size / 8); i++)
		if (((uint64_t *)viabuf)[i] != pattern_word(33, i))
			break;
	ASSERT_EQ((int)(size / 8), i) TH_LOG("the dma-buf does not show the pattern");
	/* An object freed before the delete: nothing left to zero. */
	ASSERT_EQ(0, bo_create(self->fd[0], other_size, &gone));
	ASSERT_EQ(0, run1(self->fd[0], cmd_fill(gone, 0, other_size, 0x5a5a5a5a)));
	ASSERT_EQ(0, bo_close(self->fd[0], gone));
	/* Another tenant's object, on a device outside the partition. */
	ASSERT_EQ(0, bo_new(self->fd[2], other_size, &keep, &m));
	mine = m;
	pattern_fill(mine, other_size, 34);
	reopen(_metadata, self, 0, false);

	ASSERT_EQ(0, ctl("partition del pS"));
	/* Zeroed in place, before the delete returned. */
	EXPECT_EQ(size, first_not(viabuf, size, 0)) TH_LOG("tenant bytes survived");
	EXPECT_EQ(scrubs0[0] + 1, scrub_counter(_metadata, "accel0", "scrubs"));
	EXPECT_EQ(bytes0[0] + (long long)size,
		  scrub_counter(_metadata, "accel0", "scrub_bytes"));
	/* A member with no object alive: a pass of no bytes. */
	EXPECT_EQ(scrubs0[1] + 1, scrub_counter(_metadata, "accel1", "scrubs"));
	EXPECT_EQ(bytes0[1], scrub_counter(_metadata, "accel1", "scrub_bytes"));
	/* Devices outside the partition are not touched. */
	for (i = 2; i < NACCEL; i++) {
		EXPECT_EQ(scrubs0[i], scrub_counter(_metadata, names[i], "scrubs"));
		EXPECT_EQ(bytes0[i], scrub_counter(_metadata, names[i], "scrub_bytes"));
	}
	for (i = 0; i < (int)(other_size / 8); i++)
		if (((uint64_t *)mine)[i] != pattern_word(34, i))
			break;
	EXPECT_EQ((int)(other_size / 8), i) TH_LOG("another device's object changed");
	EXPECT_TRUE(scrub_event_seen(_metadata, self, "del", "pS", size));

	/* The holder still has a working buffer, now its own bytes only. */
	memset(viabuf, 0x77, size);
	EXPECT_EQ(size, first_not(viabuf, size, 0x77));
	munmap(viabuf, size);
	close(dmabuf);
	munmap(mine, other_size);
	bo_close(self->fd[2], keep);
	reopen(_metadata, self, 0, true);
	reopen(_metadata, self, 1, true);
}

/*
 * An accelerator that leaves a partition (PARTITION_SET dev del) is
 * zeroed too, also when its object was never mapped by the device file,
 * and an object imported into a device outside the partition reads zeros
 * through that device. The change event says how many bytes.
 */
TEST_F_TIMEOUT(accel, scrub_on_partition_leave, 90)
{
	const uint64_t size = 128 * KiB;
	long long scrubs0, bytes0, scrubs1;
	uint32_t h, imp, check;
	uint8_t *view;
	int dmabuf;
	void *m;

	start_monitor(_metadata, self);
	reopen(_metadata, self, 0, false);
	reopen(_metadata, self, 1, false);
	ASSERT_EQ(0, ctl("partition add pL tenant tL dev accel0 accel1"));
	reopen(_metadata, self, 0, true);
	ASSERT_EQ(0, bo_create(self->fd[0], size, &h));
	ASSERT_EQ(0, run1(self->fd[0], cmd_fill(h, 0, size, 0xa5a5a5a5)));
	ASSERT_EQ(0, prime_export(self->fd[0], h, &dmabuf));
	view = mmap(NULL, size, PROT_READ, MAP_SHARED, dmabuf, 0);
	ASSERT_NE(MAP_FAILED, view);
	ASSERT_EQ(size, first_not(view, size, 0xa5));
	munmap(view, size);
	/*
	 * accel2, in no partition, imports it and keeps it; it may copy from
	 * it only once accel0 is out of the partition too.
	 */
	ASSERT_EQ(0, prime_import(self->fd[2], dmabuf, &imp));
	close(dmabuf);
	ASSERT_EQ(0, bo_new(self->fd[2], size, &check, &m));
	memset(m, 0xee, size);
	ASSERT_EQ(-EACCES, run1(self->fd[2], cmd_copy(check, 0, imp, 0, size)));
	scrubs0 = scrub_counter(_metadata, "accel0", "scrubs");
	bytes0 = scrub_counter(_metadata, "accel0", "scrub_bytes");
	scrubs1 = scrub_counter(_metadata, "accel1", "scrubs");
	reopen(_metadata, self, 0, false);

	ASSERT_EQ(0, ctl("partition set pL del dev accel0"));
	EXPECT_EQ(scrubs0 + 1, scrub_counter(_metadata, "accel0", "scrubs"));
	EXPECT_EQ(bytes0 + (long long)size,
		  scrub_counter(_metadata, "accel0", "scrub_bytes"));
	EXPECT_TRUE(scrub_event_seen(_metadata, self, "change", "pL", size));
	/* The member that stays is not scrubbed. */
	EXPECT_EQ(scrubs1, scrub_counter(_metadata, "accel1", "scrubs"));
	/* What accel2 reads of the object now: zeros. */
	EXPECT_EQ(size, first_not(m, size, 0xee));
	ASSERT_EQ(0, run1(self->fd[2], cmd_copy(check, 0, imp, 0, size)));
	EXPECT_EQ(size, first_not(m, size, 0)) TH_LOG("tenant bytes survived");

	/* A refused leave scrubs nothing. */
	EXPECT_NE(0, ctl_quiet("partition set pL del dev accel2"));
	EXPECT_EQ(scrubs0 + 1, scrub_counter(_metadata, "accel0", "scrubs"));

	munmap(m, size);
	bo_close(self->fd[2], check);
	bo_close(self->fd[2], imp);
	ASSERT_EQ(0, ctl("partition del pL"));
	reopen(_metadata, self, 0, true);
	reopen(_metadata, self, 1, true);
}

/*
 * A down partition carries no traffic, even between its own members, but
 * its devices still open; up again, traffic flows.
 */
TEST_F_TIMEOUT(accel, partition_admin_down, 90)
{
	const uint64_t size = 64 * KiB;
	long long down0, refused0;
	struct peer p;

	reopen(_metadata, self, 0, false);
	reopen(_metadata, self, 1, false);
	ASSERT_EQ(0, ctl("partition add pD tenant tD dev accel0 accel1"));
	ASSERT_EQ(0, ctl("partition set pD state down"));
	/* Down is about traffic, not ownership: the devices open. */
	reopen(_metadata, self, 0, true);
	reopen(_metadata, self, 1, true);
	peer_setup(_metadata, self, &p, size, 41);
	down0 = debugfs_count("refused", "partition-down");
	refused0 = ctl_counter("accel0", "refused");
	ASSERT_LE(0, down0);
	EXPECT_EQ(-EACCES, run1(self->fd[0], cmd_copy(p.dst_imp, 0, p.src, 0, size)));
	EXPECT_EQ(size, first_not(p.dst_map, size, 0)) TH_LOG("bytes moved while down");
	EXPECT_LT(down0, debugfs_count("refused", "partition-down"));
	EXPECT_LT(refused0, ctl_counter("accel0", "refused"));
	/* Work within one device crosses no fabric, and still runs. */
	EXPECT_EQ(0, run1(self->fd[0], cmd_fill(p.src, 0, 4096, 0x11111111)));

	ASSERT_EQ(0, ctl("partition set pD state up"));
	pattern_fill(p.src_map, size, 41);
	EXPECT_EQ(0, run1(self->fd[0], cmd_copy(p.dst_imp, 0, p.src, 0, size)));
	EXPECT_EQ(size, first_diff(p.dst_map, p.src_map, size));
	peer_free(self, &p);
	reopen(_metadata, self, 0, false);
	reopen(_metadata, self, 1, false);
	ASSERT_EQ(0, ctl("partition del pD"));
	reopen(_metadata, self, 0, true);
	reopen(_metadata, self, 1, true);
}

/* Sets links up again; counts those that would not. */
static int links_up(char (*links)[AIFAB_NAME_MAX], int n)
{
	int i, bad = 0;

	for (i = 0; i < n; i++)
		bad += !!ctl("link set %s state up", links[i]);
	return bad;
}

TEST_F_TIMEOUT(accel, link_down_before, 90)
{
	const uint64_t size = 4 * MiB;
	char cut[16][AIFAB_NAME_MAX], why[256];
	long long nopath0;
	struct peer p;
	int n, ret;

	peer_setup(_metadata, self, &p, size, 31);
	n = route_cut("accel0", "accel1", cut, 16);
	ASSERT_LT(0, n) TH_LOG("could not cut accel0 from accel1");
	EXPECT_EQ(-2, route_links("accel0", "accel1", NULL, 0, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "no-path")) TH_LOG("route: %s", why);

	nopath0 = debugfs_count("refused", "no-path");
	ret = run1(self->fd[0], cmd_copy(p.dst_imp, 0, p.src, 0, size));
	EXPECT_TRUE(ret == -ENETUNREACH || ret == -EHOSTUNREACH)
		TH_LOG("peer COPY with no path: fence status %d (%s)", ret,
		       ret < 0 ? strerror(-ret) : "not an error");
	EXPECT_EQ(size, first_not(p.dst_map, size, 0)) TH_LOG("bytes arrived with no path");
	EXPECT_EQ(size, src_intact(&p, 31));
	EXPECT_LT(nopath0, debugfs_count("refused", "no-path"));
	/* Pulling from the unreachable device fails the same way. */
	ret = run1(self->fd[0], cmd_copy(p.src, 0, p.dst_imp, 0, 4096));
	EXPECT_TRUE(ret == -ENETUNREACH || ret == -EHOSTUNREACH) TH_LOG("pull: %d", ret);
	EXPECT_EQ(size, src_intact(&p, 31));

	/* Links back: the same COPY goes through. */
	EXPECT_EQ(0, links_up(cut, n));
	EXPECT_EQ(0, run1(self->fd[0], cmd_copy(p.dst_imp, 0, p.src, 0, size)));
	EXPECT_EQ(size, first_diff(p.dst_map, p.src_map, size));
	peer_free(self, &p);
}

/*
 * The links go down while a job moves data across them. The job copies
 * the same 256 MiB eight times over, some 2 s in TCG, and the links of
 * the cut go down at once (aifabctl in parallel), so that the cut lands
 * mid-job; should the job still finish first, that outcome is accepted
 * too. Either way no byte arrives wrong and the source stays.
 */
TEST_F_TIMEOUT(accel, link_down_during, 150)
{
	const uint64_t size = 256 * MiB, seed = 41;
	struct drm_aifab_accel_cmd c[8];
	char cut[16][AIFAB_NAME_MAX], script[4096];
	const uint64_t *dw;
	uint64_t i, arrived = 0, wrong = 0;
	int64_t t0, t_cut, t_done;
	uint32_t out;
	struct peer p;
	int n, k, ret, len;

	peer_setup(_metadata, self, &p, size, seed);
	/* Find the cut, then bring the links back up for the start. */
	n = route_cut("accel0", "accel1", cut, 16);
	ASSERT_LT(0, n);
	ASSERT_EQ(0, links_up(cut, n));
	ASSERT_LT(0, route_links("accel0", "accel1", NULL, 0, NULL, 0));
	len = snprintf(script, sizeof(script), "st=0; ");
	for (k = 0; k < n; k++)
		len += snprintf(script + len, sizeof(script) - len,
				"'%s' link set %s state down & ", ctl_path(), cut[k]);
	snprintf(script + len, sizeof(script) - len,
		 "for j in $(jobs -p); do wait $j || st=1; done; exit $st");
	for (k = 0; k < 8; k++)
		c[k] = cmd_copy(p.dst_imp, 0, p.src, 0, size);
	/* Fault the destination's pages in now, not while the job starts. */
	memset(p.dst_map, 0, size);

	ASSERT_EQ(0, syncobj_create(self->fd[0], 0, &out));
	t0 = now_ns();
	ASSERT_EQ(0, submit(self->fd[0], 0, c, 8, NULL, 0, out, 0, NULL));
	ret = system(script);
	t_cut = (now_ns() - t0) / 1000000;
	EXPECT_EQ(0, ret) TH_LOG("some link would not go down");
	ret = fence_result(self->fd[0], out, 100000);
	t_done = (now_ns() - t0) / 1000000;
	TH_LOG("%d links down %lld ms into a job of 8 x %llu MiB peer COPY, which ended at %lld ms: fence status %d (%s)",
	       n, (long long)t_cut, (unsigned long long)(size / MiB),
	       (long long)t_done, ret, ret ? strerror(ret < 0 ? -ret : ret) : "completed");
	/* Done before the cut, or failed for want of a path. */
	EXPECT_TRUE(ret == 0 || ret == -ENETUNREACH || ret == -EHOSTUNREACH)
		TH_LOG("peer COPY whose links went down: fence status %d (%s)",
		       ret, strerror(ret < 0 ? -ret : ret));
	/* Every destination word is untouched (zero) or the right one. */
	dw = (const uint64_t *)p.dst_map;
	for (i = 0; i < size / 8; i++) {
		if (!dw[i])
			continue;
		if (dw[i] == pattern_word(seed, i))
			arrived++;
		else if (wrong++ < 3)
			TH_LOG("dst word %llu is %#llx", (unsigned long long)i,
			       (unsigned long long)dw[i]);
	}
	EXPECT_EQ(0ULL, wrong);
	if (!ret) {
		EXPECT_EQ(size / 8, arrived);
	}
	TH_LOG("%llu of %llu bytes had arrived", (unsigned long long)arrived * 8,
	       (unsigned long long)size);
	EXPECT_EQ(size, src_intact(&p, seed));
	EXPECT_EQ(0, links_up(cut, n));
	syncobj_destroy(self->fd[0], out);
	peer_free(self, &p);
}

TEST_F_TIMEOUT(accel, link_drop_retransmit, 90)
{
	const uint64_t size = 2 * MiB;
	char path[ROUTE_HOPS_MAX][AIFAB_NAME_MAX];
	long long retrans0[ROUTE_HOPS_MAX], drops0[ROUTE_HOPS_MAX];
	long long retrans = 0, drops = 0;
	struct peer p;
	int hops, i, ret;

	peer_setup(_metadata, self, &p, size, 51);
	hops = route_links("accel0", "accel1", path, ROUTE_HOPS_MAX, NULL, 0);
	ASSERT_LT(0, hops);
	/*
	 * 20 % loss: a packet fails only when lost 9 times in a row, one in
	 * two million; 512 packets of 4 KiB make a failure 1 in 4000.
	 */
	for (i = 0; i < hops; i++) {
		retrans0[i] = ctl_counter(path[i], "retransmits");
		drops0[i] = ctl_counter(path[i], "drops");
		ASSERT_EQ(0, ctl("link set %s fault drop 20", path[i]));
	}
	ret = run1(self->fd[0], cmd_copy(p.dst_imp, 0, p.src, 0, size));
	EXPECT_EQ(0, ret);
	EXPECT_EQ(size, first_diff(p.dst_map, p.src_map, size));
	for (i = 0; i < hops; i++) {
		retrans += ctl_counter(path[i], "retransmits") - retrans0[i];
		drops += ctl_counter(path[i], "drops") - drops0[i];
	}
	EXPECT_LT(0, drops);
	EXPECT_LE(drops, retrans);
	TH_LOG("%lld drops, %lld retransmits", drops, retrans);

	/* A link that loses everything: EIO past the retries. */
	memset(p.dst_map, 0, size);
	for (i = 0; i < hops; i++) {
		ASSERT_EQ(0, ctl("link set %s fault drop 100", path[i]));
	}
	ret = run1(self->fd[0], cmd_copy(p.dst_imp, 0, p.src, 0, 64 * KiB));
	EXPECT_EQ(-EIO, ret);
	EXPECT_EQ(size, first_not(p.dst_map, size, 0)) TH_LOG("lost bytes were delivered");
	EXPECT_EQ(size, src_intact(&p, 51));
	for (i = 0; i < hops; i++) {
		ASSERT_EQ(0, ctl("link set %s fault none", path[i]));
	}
	EXPECT_EQ(0, run1(self->fd[0], cmd_copy(p.dst_imp, 0, p.src, 0, 64 * KiB)));
	EXPECT_EQ(64 * KiB, first_diff(p.dst_map, p.src_map, 64 * KiB));
	peer_free(self, &p);
}

/* ---- timeouts and closing ---- */

TEST_F_TIMEOUT(accel, job_timeout, 90)
{
	const uint64_t big = 512 * MiB, pg = pagesz();
	struct drm_aifab_accel_info before, after;
	struct drm_aifab_accel_cmd c[2];
	int fd = self->fd[2];
	uint32_t hb, hs, out, sig, out2;
	uint32_t *w;
	void *m;

	ASSERT_EQ(0, bo_create(fd, big, &hb));
	ASSERT_EQ(0, bo_new(fd, pg, &hs, &m));
	w = m;
	ASSERT_EQ(0, syncobj_create(fd, 0, &out));
	ASSERT_EQ(0, syncobj_create(fd, 0, &sig));
	ASSERT_EQ(0, syncobj_create(fd, 0, &out2));
	ASSERT_EQ(0, info_settled(fd, &before));

	/* 512 MiB cannot be filled in 1 ms; the SIGNAL after it inherits the error. */
	c[0] = cmd_fill(hb, 0, big, 0xffffffff);
	c[1] = cmd_signal(sig);
	ASSERT_EQ(0, submit(fd, 0, c, 2, NULL, 0, out, 1, NULL));
	/* Queued right behind it on the same engine, a small job. */
	c[0] = cmd_fill(hs, 0, pg, 0x51515151);
	ASSERT_EQ(0, submit(fd, 0, c, 1, NULL, 0, out2, 0, NULL));
	EXPECT_EQ(-ETIMEDOUT, fence_result(fd, out, 60000));
	EXPECT_EQ(-ETIMEDOUT, fence_result(fd, sig, 60000));
	EXPECT_EQ(0, fence_result(fd, out2, 60000));
	EXPECT_EQ(pg, first_not(w, pg, 0x51));
	ASSERT_EQ(0, info_settled(fd, &after));
	EXPECT_EQ(before.jobs_timedout + 1, after.jobs_timedout);
	EXPECT_EQ(before.jobs_failed + 1, after.jobs_failed);
	EXPECT_EQ(before.jobs_completed + 1, after.jobs_completed);
	EXPECT_EQ(before.jobs_submitted + 2, after.jobs_submitted);

	/* The device goes on working. */
	EXPECT_EQ(0, run1(fd, cmd_fill(hs, 0, pg, 0x52525252)));
	EXPECT_EQ(pg, first_not(w, pg, 0x52));
	EXPECT_EQ(0, run1(fd, cmd_fill(hb, big - pg, pg, 1)));
	munmap(w, pg);
	syncobj_destroy(fd, out);
	syncobj_destroy(fd, sig);
	syncobj_destroy(fd, out2);
	bo_close(fd, hb);
	bo_close(fd, hs);
}

/*
 * Eight FILLs of 128 MiB queued on one engine, some 75 ms each in TCG
 * once the pages are in: at close, one runs and the rest wait.
 */
TEST_F_TIMEOUT(accel, close_with_jobs_in_flight, 90)
{
	const uint64_t big = 128 * MiB;
	enum { NJOBS = 8 };
	struct drm_aifab_accel_info before, now;
	struct drm_aifab_accel_cmd c;
	int fd, sf[NJOBS], r[NJOBS], k, cancelled = 0;
	uint32_t h, s[NJOBS];
	int64_t t0, t_close;

	fd = accel_open("accel3");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, info_settled(fd, &before));
	ASSERT_EQ(0, bo_create(fd, big, &h));
	for (k = 0; k < NJOBS; k++) {
		ASSERT_EQ(0, syncobj_create(fd, 0, &s[k]));
		c = cmd_fill(h, 0, big, 0x11111111U * (k + 1));
		ASSERT_EQ(0, submit(fd, 0, &c, 1, NULL, 0, s[k], 0, NULL));
		ASSERT_EQ(0, syncobj_export_sync_file(fd, s[k], &sf[k]));
	}
	/* The jobs hold their object: closing the handle first is safe. */
	EXPECT_EQ(0, bo_close(fd, h));
	t0 = now_ns();
	close(fd);
	t_close = (now_ns() - t0) / 1000000;

	/*
	 * Jobs done before the close succeeded; every later one, running or
	 * queued, is cancelled. The last cannot have finished.
	 */
	for (k = 0; k < NJOBS; k++) {
		r[k] = sync_file_result(sf[k], 60000);
		close(sf[k]);
		if (r[k] == -ECANCELED) {
			cancelled++;
		} else {
			EXPECT_EQ(0, r[k]) TH_LOG("job %d: %d (%s)", k, r[k],
						  strerror(r[k] < 0 ? -r[k] : r[k]));
		}
		if (k && r[k] == 0) {
			EXPECT_NE(-ECANCELED, r[k - 1])
				TH_LOG("job %d ran after job %d was cancelled", k, k - 1);
		}
	}
	TH_LOG("close took %lld ms; %d of %d jobs cancelled", (long long)t_close,
	       cancelled, NJOBS);
	EXPECT_EQ(-ECANCELED, r[NJOBS - 1]);

	/* The device opens again and works; everything was released. */
	fd = accel_open("accel3");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bo_create(fd, 4096, &h));
	EXPECT_EQ(0, run1(fd, cmd_fill(h, 0, 4096, 5)));
	bo_close(fd, h);
	ASSERT_EQ(0, wait_mem(fd, before.bos, before.mem_used, &now));
	EXPECT_EQ(before.bos, now.bos);
	EXPECT_EQ(before.mem_used, now.mem_used);
	EXPECT_EQ(before.jobs_submitted + NJOBS + 1, now.jobs_submitted);
	EXPECT_EQ(now.jobs_submitted, now.jobs_completed + now.jobs_failed);
	EXPECT_EQ(before.jobs_failed + cancelled, now.jobs_failed);
	EXPECT_EQ(before.jobs_timedout, now.jobs_timedout);
	close(fd);
}

/* ---- a small device: reloads the module ---- */

FIXTURE(small) {
	int fd;
};

FIXTURE_SETUP(small)
{
	self->fd = -1;
	if (geteuid())
		SKIP(return, "needs root");
	if (!getenv("AIFAB_KO"))
		SKIP(return, "AIFAB_KO is not set: run inside tools/vm-run");
	ASSERT_EQ(0, module_reload("accel_mem_mib=8"));
	self->fd = accel_open("accel0");
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(small)
{
	if (self->fd >= 0)
		close(self->fd);
	if (getenv("AIFAB_KO")) {
		EXPECT_EQ(0, module_reload(""));
	}
}

TEST_F(small, capacity_exact)
{
	const uint64_t pg = pagesz();
	const uint64_t sizes[] = { 4 * MiB, 2 * MiB, MiB, MiB - 2 * pg, pg, pg };
	const unsigned int n = sizeof(sizes) / sizeof(sizes[0]);
	struct drm_aifab_accel_info in;
	uint8_t *map[sizeof(sizes) / sizeof(sizes[0])];
	uint32_t h[sizeof(sizes) / sizeof(sizes[0])], extra;
	uint64_t used = 0;
	unsigned int i;
	void *m;

	ASSERT_EQ(0, accel_info(self->fd, &in));
	ASSERT_EQ(8 * MiB, in.mem_total);
	EXPECT_EQ(0ULL, in.mem_used);
	EXPECT_EQ(0ULL, in.mem_peak);
	EXPECT_EQ(0ULL, in.bos);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, bo_new(self->fd, sizes[i], &h[i], &m));
		map[i] = m;
		used += sizes[i];
		ASSERT_EQ(0, accel_info(self->fd, &in));
		EXPECT_EQ(used, in.mem_used);
		EXPECT_EQ(used, in.mem_peak);
		EXPECT_EQ(i + 1ULL, in.bos);
	}
	ASSERT_EQ(8 * MiB, used);
	/* Every byte of the device is its own. */
	for (i = 0; i < n; i++)
		memset(map[i], 0x10 + i, sizes[i]);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(sizes[i], first_not(map[i], sizes[i], 0x10 + i));
	}
	EXPECT_EQ(0, run1(self->fd, cmd_fill(h[0], 0, sizes[0], 0x77777777)));
	EXPECT_EQ(sizes[0], first_not(map[0], sizes[0], 0x77));

	EXPECT_EQ(-ENOSPC, bo_create(self->fd, pg, &extra));
	ASSERT_EQ(0, accel_info(self->fd, &in));
	EXPECT_EQ(8 * MiB, in.mem_used);
	EXPECT_EQ(8 * MiB, in.mem_peak);
	EXPECT_EQ((uint64_t)n, in.bos);

	/* Freeing the 1 MiB object makes room for exactly 1 MiB. */
	munmap(map[2], sizes[2]);
	ASSERT_EQ(0, bo_close(self->fd, h[2]));
	ASSERT_EQ(0, wait_mem(self->fd, n - 1, 7 * MiB, &in));
	EXPECT_EQ(7 * MiB, in.mem_used);
	EXPECT_EQ(-ENOSPC, bo_create(self->fd, MiB + pg, &extra));
	ASSERT_EQ(0, bo_create(self->fd, MiB, &h[2]));
	ASSERT_EQ(0, accel_info(self->fd, &in));
	EXPECT_EQ(8 * MiB, in.mem_used);
	EXPECT_EQ(-ENOSPC, bo_create(self->fd, pg, &extra));

	for (i = 0; i < n; i++) {
		if (i != 2)
			munmap(map[i], sizes[i]);
		bo_close(self->fd, h[i]);
	}
	ASSERT_EQ(0, wait_mem(self->fd, 0, 0, &in));
	EXPECT_EQ(0ULL, in.mem_used);
	EXPECT_EQ(0ULL, in.bos);
	EXPECT_EQ(8 * MiB, in.mem_peak);
}

TEST_HARNESS_MAIN
