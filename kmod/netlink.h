/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _AIFAB_NETLINK_H
#define _AIFAB_NETLINK_H

struct aifab_fabric;

int aifab_nl_register(struct aifab_fabric *fab);
void aifab_nl_unregister(void);

#endif /* _AIFAB_NETLINK_H */
