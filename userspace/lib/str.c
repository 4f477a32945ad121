// SPDX-License-Identifier: GPL-2.0
/*
 * aifab_strscpy() and aifab_parse_u64(): see str.h. Shared by aifabctl and
 * aifabd, which both copy names into fixed buffers and read numbers from
 * words a person typed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"

/**
 * aifab_strscpy() - Copy a string into a buffer, as the kernel's strscpy().
 * @dst: Buffer.
 * @src: String.
 * @size: Size of @dst, at least 1.
 *
 * @dst is always terminated, and a string that does not fit is reported
 * rather than silently cut.
 *
 * Return: The length copied, or -E2BIG if @src was cut.
 */
int aifab_strscpy(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++) {
		dst[i] = src[i];
		if (!src[i])
			return i;
	}
	dst[size - 1] = '\0';
	return -E2BIG;
}

/**
 * aifab_parse_u64() - Read a decimal number.
 * @s: The word.
 * @max: Largest value accepted.
 * @v: Filled with the value.
 *
 * Only digits are accepted: strtoull() alone would take a sign, leading
 * blanks and a trailing word, and wrap "-1" to a huge value.
 *
 * Return: 0, or -EINVAL if @s is not 1 to 20 digits, or -ERANGE above @max.
 */
int aifab_parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	size_t len = strlen(s);
	size_t i;

	if (!len || len > 20)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	errno = 0;
	*v = strtoull(s, NULL, 10);
	if (errno || *v > max)
		return -ERANGE;
	return 0;
}
