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
	struct fake *fk = calloc(1, sizeof(struct fake));

	if (fk)
		fk->err_index = -1;
	return fk;
}

void fake_free(struct fake *fk)
{
	if (!fk)
		return;
	free(fk->out);
	free(fk->err);
	free(fk->msg);
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

/* The error the request being executed gets, and the kernel's words. */
static int fake_error(struct ctl *ctl, struct fake *fk)
{
	int err = fk->exec_err;

	if (fk->execs <= FAKE_EXECS && fk->exec_errs[fk->execs - 1])
		err = fk->exec_errs[fk->execs - 1];
	if (err) {
		ctl->errmsg = fk->errmsg;
		ctl->err_arg = fk->err_arg;
		ctl->err_index = fk->err_index;
	}
	return err;
}

/*
 * Is this reply one of those to a request of @cmd? A message too short
 * for a genl header goes to every request, as tests of malformed replies
 * want it seen.
 */
static bool fake_answers(const struct nlmsghdr *nlh, uint8_t cmd)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return true;
	return genl->cmd == cmd;
}

static int fake_exec(struct ctl *ctl, const struct aifab_nl_req *req,
		     aifab_nl_cb_t cb, void *data)
{
	struct fake *fk = ctl->priv;
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)fk->replies;
	int len = fk->len;
	int err;

	fk->execs++;
	fk->req = *req;
	if (fk->execs <= FAKE_EXECS)
		fk->reqs[fk->execs - 1] = *req;
	err = fake_error(ctl, fk);
	if (err)
		return err;
	while (cb && mnl_nlmsg_ok(nlh, len)) {
		int ret = fake_answers(nlh, req->cmd) ? cb(nlh, data) : 0;

		if (ret)
			return ret;
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	return 0;
}

/* Built requests are kept whole, for the tests to parse back. */
static int fake_exec_msg(struct ctl *ctl, struct aifab_nl_msg *m,
			 aifab_nl_cb_t cb, void *data)
{
	struct fake *fk = ctl->priv;
	const struct nlmsghdr *nlh = aifab_nl_msg_hdr(m);
	size_t len;
	FILE *f;

	(void)cb;
	(void)data;
	fk->execs++;
	free(fk->msg);
	fk->msg = NULL;
	if (m->err)
		return m->err;
	f = open_memstream(&fk->msg, &len);
	if (!f || fwrite(nlh, 1, nlh->nlmsg_len, f) != nlh->nlmsg_len)
		abort();
	fclose(f);
	return fake_error(ctl, fk);
}

static const struct ctl_ops fake_ops = {
	.connect = fake_connect,
	.exec = fake_exec,
	.exec_msg = fake_exec_msg,
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
	FILE *in = NULL, *out, *err;
	struct ctl ctl;
	int argc = 0;
	int ret;

	free(fk->out);
	free(fk->err);
	fk->out = NULL;
	fk->err = NULL;
	fk->execs = 0;
	free(fk->msg);
	fk->msg = NULL;
	out = open_memstream(&fk->out, &fk->out_len);
	err = open_memstream(&fk->err, &fk->err_len);
	/* Not written to: fmemopen() takes a non-const buffer for "w" too. */
	if (fk->in)
		in = fmemopen((void *)fk->in, strlen(fk->in), "r");
	if (!out || !err || (fk->in && !in))
		abort();
	while (argv[argc])
		argc++;
	ctl_init(&ctl, out, err, flags);
	ctl.ops = &fake_ops;
	ctl.priv = fk;
	if (in)
		ctl.in = in;
	/* The words are never written to; argv is only non-const by custom. */
	ret = ctl_dispatch(&ctl, argc, (char **)argv);
	ctl_fini(&ctl);
	fclose(out);
	fclose(err);
	if (in)
		fclose(in);
	return ret;
}
