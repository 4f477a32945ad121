/* SPDX-License-Identifier: GPL-2.0 */
/* Arrays: fixed ones' lengths, and growing ones' room. */
#ifndef AIFAB_LIB_ARRAY_H
#define AIFAB_LIB_ARRAY_H

#include <stddef.h>

#define AIFAB_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

int aifab_grow(void *arrayp, size_t *cap, size_t n, size_t size);
void *aifab_append(void *arrayp, size_t *cap, size_t *n, size_t size);

#endif /* AIFAB_LIB_ARRAY_H */
