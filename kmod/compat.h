/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel version differences, kept in this one header.
 *
 * aifab targets 6.12 (primary) and 6.1. Everything that differs between
 * them is wrapped here so that the rest of the module reads as if written
 * for a single kernel.
 */
#ifndef _AIFAB_COMPAT_H
#define _AIFAB_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "aifab needs Linux 6.1 or later"
#endif

#endif /* _AIFAB_COMPAT_H */
