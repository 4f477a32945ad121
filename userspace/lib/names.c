// SPDX-License-Identifier: GPL-2.0
/*
 * Object names, as the UAPI (AIFAB_NAME_MAX, include/uapi/linux/aifab.h)
 * defines them: shared by aifabctl and the accelerator library.
 */
#include <string.h>

#include <linux/aifab.h>

#include "names.h"

/**
 * aifab_name_valid() - Check an object name against the UAPI's rule.
 * @s: The name.
 *
 * Checked here as well as in the kernel so that a mistyped name is caught
 * before anything is sent, with a message that says what a name may be.
 * The ranges are spelled out because isalnum() depends on the locale.
 *
 * Return: true if @s is 1 to AIFAB_NAME_MAX - 1 characters of [a-zA-Z0-9_.-].
 */
bool aifab_name_valid(const char *s)
{
	size_t len = strlen(s);
	size_t i;

	if (!len || len >= AIFAB_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			return false;
	}
	return true;
}
