/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Formatting into a fixed buffer that says when the result did not fit,
 * for paths and messages of bounded size.
 */
#ifndef AIFAB_USERSPACE_FMT_H
#define AIFAB_USERSPACE_FMT_H

#include <stddef.h>

int aifab_fmt(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* AIFAB_USERSPACE_FMT_H */
