// SPDX-License-Identifier: GPL-2.0
/*
 * aifabctl: control the aifab fabric over generic netlink.
 *
 *   aifabctl [-j] [-p] OBJECT COMMAND [ARGS]
 *
 * This file reads the options; ctl.c finds the object and its command.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/aifab.h>

#include "ctl.h"

#ifndef AIFAB_VERSION
#define AIFAB_VERSION	"0.1"
#endif

static const struct option main_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	struct ctl ctl;
	int opt;
	int ret;

	/* "+": options end at OBJECT, as the words after it are its own. */
	while ((opt = getopt_long(argc, argv, "+jphV", main_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'j':
			flags |= AIFAB_OUT_JSON;
			break;
		case 'p':
			flags |= AIFAB_OUT_PRETTY;
			break;
		case 'h':
			ctl_usage(stdout);
			return CTL_EXIT_OK;
		case 'V':
			printf("aifabctl %s (netlink family %s version %d)\n",
			       AIFAB_VERSION, AIFAB_FAMILY_NAME,
			       AIFAB_FAMILY_VERSION);
			return CTL_EXIT_OK;
		default:
			ctl_usage(stderr);
			return CTL_EXIT_ERR;
		}
	}

	ctl_init(&ctl, stdout, stderr, flags);
	ret = ctl_dispatch(&ctl, argc - optind, argv + optind);
	ctl_fini(&ctl);
	return ret;
}
