// SPDX-License-Identifier: GPL-2.0
/*
 * secret_holder: keep a tenant's accelerator memory alive past its last
 * open file, the way a leaked or shared dma-buf would, and say afterwards
 * whether any of it survived.
 *
 *   secret_holder --dev NAME [--size BYTES] --ready FILE
 *
 * It writes a pattern into a BO, exports the BO as a dma-buf, maps the
 * dma-buf, and closes the accelerator: the device is no longer open, so
 * its partition can be deleted, yet the pages are still mapped here. It
 * then creates FILE and waits for SIGUSR1 (or SIGTERM), counts the bytes
 * of the mapping that are not zero, and prints that count.
 *
 * Exit status: 0 when every byte was zero by then (the partition delete
 * scrubbed it), 1 when some survived, 2 for a usage or setup error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "accel.h"
#include "args.h"

#define EXIT_SURVIVED	1
#define EXIT_SETUP	2

#define DEFAULT_SIZE	(1ULL << 20)
#define MAX_SIZE	(1ULL << 30)

static const char pattern[] = "TENANT-SECRET:";

struct options {
	const char *dev;
	const char *ready;
	uint64_t size;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: secret_holder --dev NAME [--size BYTES] --ready FILE\n");
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "dev", required_argument, NULL, 'd' },
		{ "size", required_argument, NULL, 's' },
		{ "ready", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->size = DEFAULT_SIZE;
	while ((c = getopt_long(argc, argv, "d:s:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->dev = optarg;
			break;
		case 's':
			/* Base 0: a size may also be given in hex. */
			if (args_parse_u64(optarg, 0, MAX_SIZE, &o->size)) {
				fprintf(stderr, "secret_holder: --size must be 1..%llu bytes, not \"%s\"\n",
					MAX_SIZE, optarg);
				return -EINVAL;
			}
			break;
		case 'r':
			o->ready = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc || !o->dev || !o->ready) {
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

static void fill(unsigned char *p, uint64_t size)
{
	uint64_t i;

	for (i = 0; i < size; i++)
		p[i] = (unsigned char)pattern[i % (sizeof(pattern) - 1)];
}

static uint64_t count_nonzero(const unsigned char *p, uint64_t size)
{
	uint64_t i, n = 0;

	for (i = 0; i < size; i++)
		n += p[i] != 0;
	return n;
}

/*
 * Leaves only the dma-buf mapping: the BO's handle and the accelerator's
 * file are gone, exactly what lets the partition be deleted.
 */
static int make_secret(const struct options *o, void **map, uint64_t *size)
{
	struct aifab_accel *acc;
	uint32_t handle;
	void *bo;
	int ret, fd;

	ret = aifab_accel_open(o->dev, &acc);
	if (ret) {
		fprintf(stderr, "secret_holder: %s: %s\n", o->dev, strerror(-ret));
		return ret;
	}
	ret = aifab_accel_bo_alloc(acc, aifab_accel_bo_size(o->size), &handle);
	if (ret)
		goto out_close;
	ret = aifab_accel_bo_map(acc, handle, &bo, size);
	if (ret)
		goto out_close;
	fill(bo, *size);
	aifab_accel_bo_unmap(bo, *size);
	ret = aifab_accel_bo_export(acc, handle, &fd);
	if (ret)
		goto out_close;
	*map = mmap(NULL, *size, PROT_READ, MAP_SHARED, fd, 0);
	if (*map == MAP_FAILED)
		ret = -errno;
	close(fd);
out_close:
	if (ret)
		fprintf(stderr, "secret_holder: %s: setting up the BO: %s\n",
			o->dev, strerror(-ret));
	aifab_accel_close(acc);
	return ret;
}

static int touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	uint64_t size, left;
	sigset_t set;
	void *map;
	int sig;

	if (parse_args(argc, argv, &o))
		return EXIT_SETUP;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (make_secret(&o, &map, &size))
		return EXIT_SETUP;
	printf("holding %" PRIu64 " bytes of %s memory through a dma-buf; %" PRIu64
	       " bytes are not zero; %s is closed\n",
	       size, o.dev, count_nonzero(map, size), o.dev);
	fflush(stdout);
	if (touch(o.ready)) {
		fprintf(stderr, "secret_holder: %s: %s\n", o.ready, strerror(errno));
		return EXIT_SETUP;
	}
	if (sigwait(&set, &sig))
		return EXIT_SETUP;
	left = count_nonzero(map, size);
	printf("after: %" PRIu64 " of %" PRIu64 " bytes are not zero\n", left,
	       size);
	munmap(map, size);
	return left ? EXIT_SURVIVED : 0;
}
