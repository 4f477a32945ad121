// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module: WARNs once at load, so that the test of tools/vm-run
 * can prove that a kernel warning fails a run whose command succeeded.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init aifab_test_warn_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit aifab_test_warn_exit(void)
{
}

module_init(aifab_test_warn_init);
module_exit(aifab_test_warn_exit);

MODULE_DESCRIPTION("aifab test: a module that WARNs at load");
MODULE_LICENSE("GPL");
