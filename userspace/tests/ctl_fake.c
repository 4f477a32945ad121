// SPDX-License-Identifier: GPL-2.0
/*
 * The stand-in kernel of the aifabctl unit tests; see ctl_fake.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/aifab.h>

#include "ctl_fake.h"

struct fake *fake_new(void)
{
	return calloc(1, sizeof(struct fake));
}

void fake_free(struct fake *fk)
{
	if (!fk)
		return;
	free(fk->out);
	free(fk->err);
	free(fk);
}

/**
 * fake_msg() - Start a reply message after those already queued.
 * @fk: Fake kernel.
 * @cmd: Genl command of the reply.
 *
 * Return: The message, to fill with mnl_attr_put_*() and pass to fake_end().
 */
struct nlmsghdr *fake_msg(struct fake *fk, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(fk->replies + fk->len);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = FAKE_FAMILY;
	nlh->nlmsg_flags = NLM_F_MULTI;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = AIFAB_FAMILY_VERSION;
	return nlh;
}

void fake_end(struct fake *fk, const struct nlmsghdr *nlh)
{
	fk->len += MNL_ALIGN(nlh->nlmsg_len);
}

static int fake_connect(struct ctl *ctl)
{
	struct fake *fk = ctl->priv;

	fk->connects++;
	return fk->connect_err;
}

static int fake_exec(struct ctl *ctl, const struct aifab_nl_req *req,
		     aifab_nl_cb_t cb, void *data)
{
	struct fake *fk = ctl->priv;
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)fk->replies;
	int len = fk->len;

	fk->execs++;
	fk->req = *req;
	if (fk->exec_err) {
		ctl->errmsg = fk->errmsg;
		ctl->err_arg = fk->err_arg;
		return fk->exec_err;
	}
	while (cb && mnl_nlmsg_ok(nlh, len)) {
		int ret = cb(nlh, data);

		if (ret)
			return ret;
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	return 0;
}

static const struct ctl_ops fake_ops = {
	.connect = fake_connect,
	.exec = fake_exec,
};

/**
 * fake_run() - Run one command line against the fake kernel.
 * @fk: Fake kernel, with its replies queued.
 * @flags: AIFAB_OUT_* flags, as -j and -p set them.
 * @argv: The words from OBJECT on, NULL-terminated.
 *
 * What the command printed is left in @fk->out and @fk->err.
 *
 * Return: The exit status.
 */
int fake_run(struct fake *fk, unsigned int flags, const char **argv)
{
	FILE *out, *err;
	struct ctl ctl;
	int argc = 0;
	int ret;

	free(fk->out);
	free(fk->err);
	fk->out = NULL;
	fk->err = NULL;
	out = open_memstream(&fk->out, &fk->out_len);
	err = open_memstream(&fk->err, &fk->err_len);
	if (!out || !err)
		abort();
	while (argv[argc])
		argc++;
	ctl_init(&ctl, out, err, flags);
	ctl.ops = &fake_ops;
	ctl.priv = fk;
	/* The words are never written to; argv is only non-const by custom. */
	ret = ctl_dispatch(&ctl, argc, (char **)argv);
	ctl_fini(&ctl);
	fclose(out);
	fclose(err);
	return ret;
}
