// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the host unit tests; see test_util.h.
 */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "test_util.h"

/**
 * test_fmt() - A formatted string, allocated.
 * @fmt: printf() format.
 *
 * Fails the running test when out of memory, so callers need no check.
 *
 * Return: the string; the caller frees it.
 */
char *test_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&s, fmt, ap);
	va_end(ap);
	assert_true(ret >= 0);
	return s;
}

/**
 * test_tmpdir() - Create a new, empty directory under /tmp.
 * @name: The start of its name; a random suffix makes it unique, so that
 *	tests running at once never share one.
 *
 * Return: its path (free() it, after test_rmtree()), or NULL on failure:
 * fixture setups report that by their return value, not an assertion.
 */
char *test_tmpdir(const char *name)
{
	char *path;

	if (asprintf(&path, "/tmp/%s-XXXXXX", name) < 0)
		return NULL;
	if (!mkdtemp(path)) {
		free(path);
		return NULL;
	}
	return path;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/**
 * test_rmtree() - Remove a directory and all below it, like rm -rf.
 * @path: The directory, from test_tmpdir().
 *
 * Depth first, and without following symbolic links, so that only what
 * the test created goes. Errors are ignored: a teardown has no one to
 * report to, and a leftover in /tmp harms no later run.
 */
void test_rmtree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
