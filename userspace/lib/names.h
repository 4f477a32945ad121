/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names as the UAPI defines them: of objects, and of the values of its
 * enums, as tools print and read them.
 */
#ifndef AIFAB_LIB_NAMES_H
#define AIFAB_LIB_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "array.h"

/* What aifab_name_valid() accepts, for error messages. */
#define AIFAB_NAME_RULE		"1-31 characters of [a-zA-Z0-9_.-]"

bool aifab_name_valid(const char *s);

const char *aifab_enum_name(const char *const *names, size_t n, uint32_t v);
int aifab_enum_value(const char *const *names, size_t n, const char *s,
		     uint32_t *v);

/* The same, for a table whose size the compiler knows. */
#define AIFAB_ENUM_NAME(names, v) \
	aifab_enum_name(names, AIFAB_ARRAY_SIZE(names), v)
#define AIFAB_ENUM_VALUE(names, s, v) \
	aifab_enum_value(names, AIFAB_ARRAY_SIZE(names), s, v)

extern const char *const aifab_dev_type_names[3];
extern const char *const aifab_link_kind_names[4];
extern const char *const aifab_link_state_names[4];
extern const char *const aifab_admin_state_names[3];
extern const char *const aifab_route_reason_names[5];

#endif /* AIFAB_LIB_NAMES_H */
