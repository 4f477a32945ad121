/* SPDX-License-Identifier: GPL-2.0 */
/* Object names, as the UAPI defines them. */
#ifndef AIFAB_LIB_NAMES_H
#define AIFAB_LIB_NAMES_H

#include <stdbool.h>

bool aifab_name_valid(const char *s);

#endif /* AIFAB_LIB_NAMES_H */
