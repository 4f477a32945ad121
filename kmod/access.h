/* SPDX-License-Identifier: GPL-2.0 */
/* Who may open a local device; see access.c. */
#ifndef _AIFAB_ACCESS_H
#define _AIFAB_ACCESS_H

#include <linux/types.h>

struct aifab_fabric;

int aifab_device_open(struct aifab_fabric *fab, u32 dev_id);
void aifab_device_close(struct aifab_fabric *fab, u32 dev_id);

#endif /* _AIFAB_ACCESS_H */
