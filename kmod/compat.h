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
 * kmod/Kbuild warns when building for any other kernel series. The
 * accelerator driver will add its DRM driver features here
 * (DRIVER_COMPUTE_ACCEL on 6.12, a render node on 6.1).
 */

#include <linux/compiler_attributes.h>
#include <linux/netlink.h>

/*
 * aifab_err_name() - an extack message naming the object at fault. 6.2
 * added formatted extack messages; on 6.1 the fixed part is all there is,
 * and the bad attribute's offset still points at the culprit.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define aifab_err_name(extack, msg, name) \
	NL_SET_ERR_MSG_FMT(extack, "%s: %s", msg, name)
#else
/* @msg must be static: 6.1 keeps just the pointer until the ack is sent. */
#define aifab_err_name(extack, msg, name) do {		\
	struct netlink_ext_ack *__extack = (extack);	\
							\
	(void)(name);					\
	if (__extack)					\
		__extack->_msg = (msg);			\
} while (0)
#endif

/*
 * aifab_err_attr() - as aifab_err_name(), and also point the extack at the
 * attribute that carried @name. @name must be the payload of an attribute
 * of the request being answered: netlink.c hands the fabric exactly those.
 */
#define aifab_err_attr(extack, msg, name) do {				\
	struct netlink_ext_ack *__ea = (extack);			\
	const char *__name = (name);					\
									\
	aifab_err_name(__ea, msg, __name);				\
	NL_SET_BAD_ATTR(__ea, (const struct nlattr *)(__name - NLA_HDRLEN)); \
} while (0)

#endif /* _AIFAB_COMPAT_H */
