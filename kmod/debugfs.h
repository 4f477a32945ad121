/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _AIFAB_DEBUGFS_H
#define _AIFAB_DEBUGFS_H

struct aifab_fabric;
struct dentry;

struct dentry *aifab_debugfs_create(struct aifab_fabric *fab);
void aifab_debugfs_remove(struct dentry *root);

#endif /* _AIFAB_DEBUGFS_H */
