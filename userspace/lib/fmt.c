// SPDX-License-Identifier: GPL-2.0
/*
 * aifab_fmt(): see fmt.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fmt.h"

/**
 * aifab_fmt() - printf() into a buffer, refusing to cut silently.
 * @buf: Buffer; always terminated.
 * @size: Its size, at least 1.
 * @fmt: printf() format.
 * @...: Its arguments.
 *
 * Return: The length written, -E2BIG if the result was cut to fit, or
 * -ENOMEM (@buf is then empty).
 */
int aifab_fmt(char *buf, size_t size, const char *fmt, ...)
{
	char *s;
	va_list ap;
	size_t i;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		buf[0] = '\0';
		return -ENOMEM;
	}
	for (i = 0; i + 1 < size && s[i]; i++)
		buf[i] = s[i];
	buf[i] = '\0';
	free(s);
	return (size_t)n < size ? n : -E2BIG;
}
