// SPDX-License-Identifier: GPL-2.0
/*
 * aifab_grow(): see array.h. The tables of aifabctl and aifabd (topology,
 * configuration, kernel snapshots) all grow one entry at a time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"

/**
 * aifab_grow() - Make room for one more element at the end of an array.
 * @arrayp: Address of the array pointer (NULL when empty); moved on growth.
 * @cap: Its capacity in elements, updated.
 * @n: Elements in use.
 * @size: Size of an element.
 *
 * The capacity doubles, so that adding N elements costs O(N).
 *
 * Return: 0, or -ENOMEM (the array is then unchanged).
 */
int aifab_grow(void *arrayp, size_t *cap, size_t n, size_t size)
{
	void **array = arrayp;
	size_t want;
	void *p;

	if (n < *cap)
		return 0;
	want = *cap ? *cap * 2 : 16;
	p = reallocarray(*array, want, size);
	if (!p)
		return -ENOMEM;
	*array = p;
	*cap = want;
	return 0;
}

/**
 * aifab_append() - Add one zeroed element at the end of an array.
 * @arrayp: Address of the array pointer (NULL when empty); moved on growth.
 * @cap: Its capacity in elements, updated.
 * @n: Elements in use, counting the new one on success.
 * @size: Size of an element.
 *
 * For tables filled one entry at a time, as a file or a dump is read.
 *
 * Return: The new element, or NULL without memory (nothing then changes).
 */
void *aifab_append(void *arrayp, size_t *cap, size_t *n, size_t size)
{
	char *elem;

	if (aifab_grow(arrayp, cap, *n, size))
		return NULL;
	elem = *(char **)arrayp + *n * size;
	/*
	 * The bytes are the new element's, inside the room just made; glibc
	 * has no memset_s() for the analyzer to prefer.
	 */
	/* NOLINTNEXTLINE(clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling) */
	memset(elem, 0, size);
	(*n)++;
	return elem;
}
