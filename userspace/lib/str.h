/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strings into fixed buffers, and numbers out of strings, refusing what
 * does not fit rather than cutting or wrapping it silently.
 */
#ifndef AIFAB_LIB_STR_H
#define AIFAB_LIB_STR_H

#include <stddef.h>
#include <stdint.h>

int aifab_strscpy(char *dst, const char *src, size_t size);
int aifab_parse_u64(const char *s, uint64_t max, uint64_t *v);

#endif /* AIFAB_LIB_STR_H */
