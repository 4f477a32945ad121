// SPDX-License-Identifier: GPL-2.0
/*
 * Object names, as the UAPI (AIFAB_NAME_MAX, include/uapi/linux/aifab.h)
 * defines them, and the names of its enums' values: shared by aifabctl,
 * aifabd and the accelerator library, so that every tool prints and reads
 * the same words.
 */
#include <errno.h>
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

const char *const aifab_dev_type_names[3] = {
	[AIFAB_DEV_TYPE_ACCEL] = "accel",
	[AIFAB_DEV_TYPE_EFA] = "efa",
};

const char *const aifab_link_kind_names[4] = {
	[AIFAB_LINK_KIND_ACCEL] = "accel",
	[AIFAB_LINK_KIND_AFFINITY] = "affinity",
	[AIFAB_LINK_KIND_NET] = "net",
};

const char *const aifab_link_state_names[4] = {
	[AIFAB_LINK_STATE_UP] = "up",
	[AIFAB_LINK_STATE_DOWN] = "down",
	[AIFAB_LINK_STATE_DEGRADED] = "degraded",
};

/* What an operator may ask a link or a partition to be. */
const char *const aifab_admin_state_names[3] = {
	[AIFAB_ADMIN_STATE_UP] = "up",
	[AIFAB_ADMIN_STATE_DOWN] = "down",
};

const char *const aifab_route_reason_names[5] = {
	[AIFAB_ROUTE_REASON_FENCE] = "fence",
	[AIFAB_ROUTE_REASON_UNPARTITIONED] = "unpartitioned",
	[AIFAB_ROUTE_REASON_NO_PATH] = "no-path",
	[AIFAB_ROUTE_REASON_PARTITION_DOWN] = "partition-down",
};

/**
 * aifab_enum_name() - Name a UAPI enum value.
 * @names: Names indexed by value; NULL for values without one.
 * @n: Number of entries in @names.
 * @v: The value.
 *
 * A newer kernel may send values this tool does not know; they print as
 * "unknown" rather than being refused, so the rest of the object shows.
 *
 * Return: The name, or "unknown".
 */
const char *aifab_enum_name(const char *const *names, size_t n, uint32_t v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

/**
 * aifab_enum_value() - Read a UAPI enum value by name.
 * @names: Names indexed by value; NULL for values without one.
 * @n: Number of entries in @names.
 * @s: The name.
 * @v: Filled with the value.
 *
 * Return: 0, or -EINVAL if no value has that name.
 */
int aifab_enum_value(const char *const *names, size_t n, const char *s,
		     uint32_t *v)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (names[i] && !strcmp(names[i], s)) {
			*v = i;
			return 0;
		}
	}
	return -EINVAL;
}
