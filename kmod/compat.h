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

/*
 * Nothing differs yet for the fabric core. The accelerator driver will add
 * its DRM driver features here (DRIVER_COMPUTE_ACCEL on 6.12, a render node
 * on 6.1). kmod/Kbuild warns when building for any other kernel series.
 */

#endif /* _AIFAB_COMPAT_H */
