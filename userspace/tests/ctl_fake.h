/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in kernel for the aifabctl unit tests: ctl_ops that record the
 * requests and replay reply messages built here with libmnl, laid out as
 * the kernel lays them out, so whole command lines run without the module.
 *
 * Each request gets the queued replies of its own command (a reply's genl
 * cmd is that of the request it answers), so that commands which send
 * several requests, such as "topology show", can be fed all at once.
 */
#ifndef AIFAB_TESTS_CTL_FAKE_H
#define AIFAB_TESTS_CTL_FAKE_H

#include <stddef.h>
#include <stdint.h>

#include "../aifabctl/ctl.h"

#define FAKE_FAMILY	0x20
#define FAKE_EXECS	4

struct fake {
	char replies[65536] __attribute__((aligned(4)));
	size_t len;
	int connect_err;		/* what connect() returns */
	int exec_err;			/* what exec() returns, if not 0 */
	int exec_errs[FAKE_EXECS];	/* if not 0, what the Nth exec returns */
	const char *errmsg;		/* the kernel's message with exec_err */
	const char *err_arg;		/* the argument it points at */
	int err_index;			/* exec_msg: the attribute it points
					 * into, or -1 */
	const char *in;			/* what the command reads as stdin */
	struct aifab_nl_req req;	/* the last request */
	struct aifab_nl_req reqs[FAKE_EXECS];	/* the first of the last run */
	char *msg;			/* what exec_msg got in the last run */
	int connects;
	int execs;			/* in the last run */
	char *out;			/* what the last run printed */
	char *err;
	size_t out_len;
	size_t err_len;
};

struct fake *fake_new(void);
void fake_free(struct fake *fk);
struct nlmsghdr *fake_msg(struct fake *fk, uint8_t cmd);
void fake_end(struct fake *fk, const struct nlmsghdr *nlh);
int fake_run(struct fake *fk, unsigned int flags, const char **argv);

/* FAKE_RUN(fk, flags, "dev", "show"): run one command line. */
#define FAKE_RUN(fk, flags, ...) \
	fake_run((fk), (flags), (const char *[]){ __VA_ARGS__, NULL })

#endif /* AIFAB_TESTS_CTL_FAKE_H */
