/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the host unit tests: formatted strings and temporary
 * directory trees for fixtures that need real files (a fake sysfs, a run
 * or state directory).
 */
#ifndef AIFAB_TESTS_TEST_UTIL_H
#define AIFAB_TESTS_TEST_UTIL_H

char *test_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *test_tmpdir(const char *name);
void test_rmtree(const char *path);

#endif /* AIFAB_TESTS_TEST_UTIL_H */
