// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line helpers shared by the C tools; see args.h.
 */
#include <errno.h>
#include <stdlib.h>

#include "args.h"

/**
 * args_parse_u64() - Read a positive number from an option's argument.
 * @s: The argument.
 * @base: As for strtoull(): 10, or 0 to also take 0x (hex) and 0 (octal).
 * @max: Largest value accepted.
 * @v: Filled with the value, only on success.
 *
 * The first character must be a digit: strtoull() alone would skip blanks
 * and take a sign, and wrap "-1" to a huge value. Zero is refused, as no
 * tool has a use for a count or size of zero.
 *
 * Return: 0, or -EINVAL if @s is not a number from 1 to @max.
 */
int args_parse_u64(const char *s, int base, uint64_t max, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, base);
	if (errno || *end || x == 0 || x > max)
		return -EINVAL;
	*v = x;
	return 0;
}
