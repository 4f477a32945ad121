// SPDX-License-Identifier: GPL-2.0
/*
 * One reconcile; see reconcile.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "log.h"
#include "rdma_netns.h"
#include "reconcile.h"
#include "snapshot.h"
#include "udev.h"

/* Log each line of @text at @prio, and copy it to @f. */
static void recon_emit(int prio, const char *text, FILE *f)
{
	const char *p = text;

	if (f)
		fputs(text, f);
	while (*p) {
		const char *nl = strchrnul(p, '\n');

		aifabd_log(prio, "%.*s", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

static int recon_fail(struct aifabd_recon *r, FILE *err,
		      enum aifabd_reply_status st, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int recon_fail(struct aifabd_recon *r, FILE *err,
		      enum aifabd_reply_status st, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	r->status = st;
	r->error = s;
	if (s) {
		aifabd_log(LOG_ERR, "%s", s);
		fprintf(err, "%s\n", s);
	}
	return -EINVAL;
}

static char *recon_nl_err(struct aifab_nl *nl, int err)
{
	const char *msg = aifab_nl_errmsg(nl);
	char *s;

	if (asprintf(&s, "%s%s%s", strerror(-err), msg ? ": " : "",
		     msg ? msg : "") < 0)
		return NULL;
	return s;
}

/* The plan, as --once prints it and the log keeps it. */
static int recon_plan_text(const struct aifabd_plan *plan, FILE *out)
{
	char *text = NULL;
	size_t len;
	FILE *m = open_memstream(&text, &len);
	int ret;

	if (!m)
		return -ENOMEM;
	ret = aifabd_plan_print(m, plan);
	if (fclose(m) || ret) {
		free(text);
		return -ENOMEM;
	}
	recon_emit(plan->nops ? LOG_NOTICE : LOG_DEBUG, text, out);
	free(text);
	return 0;
}

/* The one line that the status file and daemon.json keep. */
static char *recon_summary(const struct aifabd_plan *plan,
			   const struct aifabd_apply_result *res,
			   const struct aifabd_rollback *rb)
{
	char *op = NULL, *s = NULL;
	size_t len;
	FILE *m = open_memstream(&op, &len);

	if (!m)
		return NULL;
	aifabd_op_print(m, &plan->ops[res->done]);
	if (fclose(m)) {
		free(op);
		return NULL;
	}
	if (asprintf(&s, "operation %zu of %zu (%s) failed: %s%s%s; %s",
		     res->done + 1, plan->nops, op, strerror(-res->err),
		     *res->msg ? ": " : "", res->msg,
		     !res->done ? "nothing was changed" :
		     aifabd_rollback_complete(rb) ? "rolled back" :
		     "rollback incomplete") < 0)
		s = NULL;
	free(op);
	return s;
}

static int recon_apply(struct aifab_nl *nl, const struct aifabd_actual *pre,
		       const struct aifabd_plan *plan, FILE *out, FILE *err,
		       struct aifabd_recon *r)
{
	struct aifabd_apply_ops ops;
	struct aifabd_apply_result res;
	struct aifabd_rollback rb = { .undo.stuck = AIFABD_UNDO_NONE };
	size_t applied;
	char *text = NULL;
	size_t len;
	FILE *m;
	int ret;

	aifabd_apply_nl_ops(nl, &ops);
	ret = aifabd_apply(&ops, plan, &res);
	if (ret)
		aifabd_apply_rollback(&ops, plan, pre, &res, &rb);
	m = open_memstream(&text, &len);
	if (m) {
		aifabd_apply_report(m, plan, &res, &rb);
		if (!fclose(m))
			recon_emit(ret ? LOG_ERR : LOG_NOTICE, text,
				   ret ? err : out);
		free(text);
	}
	applied = ret ? res.done : plan->nops;
	if (ret) {
		r->status = AIFABD_REPLY_KERNEL;
		r->rolled_back = res.done && aifabd_rollback_complete(&rb);
		if (r->rolled_back || !res.done)
			applied = 0;
		r->error = recon_summary(plan, &res, &rb);
	}
	r->applied += applied;
	aifabd_rollback_free(&rb);
	return ret;
}

/*
 * Device-node groups come before the partitions: a node whose group file
 * is missing would stay root's, so a failure here stops the reconcile
 * before it changes anything.
 */
static int recon_udev(const struct aifabd_config *cfg, const char *run_dir,
		      FILE *err, struct aifabd_recon *r)
{
	int ret = aifabd_udev_sync(cfg, run_dir);

	if (ret)
		recon_fail(r, err, AIFABD_REPLY_ERROR,
			   "aifabd: writing the tenants' groups for udev under %s: %s; nothing applied",
			   run_dir, strerror(-ret));
	return ret;
}

/* What the snapshot learned of the RDMA devices' namespaces. */
static int recon_rdma(struct aifab_nl *nl, struct aifabd_actual *pre,
		      FILE *err, struct aifabd_recon *r)
{
	char *msg = NULL;
	int ret = aifabd_rdma_snapshot(nl, pre, &msg);

	if (ret)
		recon_fail(r, err, AIFABD_REPLY_KERNEL,
			   "aifabd: reading the RDMA devices' namespaces: %s",
			   msg ? msg : strerror(-ret));
	free(msg);
	return ret;
}

static int recon_snapshot(struct aifab_nl *nl, const struct aifabd_config *cfg,
			  struct aifabd_actual *pre, FILE *err,
			  struct aifabd_recon *r)
{
	char *msg;
	int ret = aifabd_snapshot(nl, cfg->has_topo, pre);

	if (!ret) {
		ret = recon_rdma(nl, pre, err, r);
		if (ret)
			aifabd_actual_free(pre);
		return ret;
	}
	msg = recon_nl_err(nl, ret);
	recon_fail(r, err, AIFABD_REPLY_KERNEL,
		   "aifabd: reading the kernel's state: %s",
		   msg ? msg : strerror(-ret));
	free(msg);
	return ret;
}

/* What the plan leaves alone on purpose, and why. */
static void recon_notes(const struct aifabd_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nnotes; i++)
		aifabd_log(LOG_INFO, "%s", plan->notes[i]);
}

static bool recon_loads_topology(const struct aifabd_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nops; i++)
		if (plan->ops[i].type == AIFABD_OP_TOPOLOGY_LOAD)
			return true;
	return false;
}

/* What one round leaves to the next, and to the result. */
struct recon_state {
	struct aifabd_actual pre;	/* the snapshot it planned from */
	bool read;			/* @pre holds one */
	bool changed;			/* an apply ran, kept or rolled back */
	bool again;			/* another round is needed */
};

/*
 * One round: snapshot into @rs->pre, plan, report, apply. @rs->again is
 * set when the plan loaded a topology in exclusive RDMA mode, whose
 * devices' namespaces only a new snapshot can plan (plan.h).
 */
static int recon_round(struct aifab_nl *nl, const struct aifabd_config *cfg,
		       bool dry_run, const char *run_dir, FILE *out, FILE *err,
		       struct aifabd_recon *r, struct recon_state *rs)
{
	struct aifabd_plan plan = { 0 };
	char *msg = NULL;
	int ret;

	aifabd_actual_free(&rs->pre);
	rs->read = false;
	rs->changed = false;
	rs->again = false;
	ret = recon_snapshot(nl, cfg, &rs->pre, err, r);
	if (ret)
		return ret;
	rs->read = true;
	ret = aifabd_plan_build(cfg, &rs->pre, &plan, &msg);
	if (ret) {
		/* Mostly the configuration against the kernel: FILE:LINE:COL. */
		recon_fail(r, err, AIFABD_REPLY_CONFIG, "%s%s",
			   msg ? msg : "aifabd: planning: ",
			   msg ? "" : strerror(-ret));
		fprintf(err, "aifabd: nothing applied\n");
		free(msg);
		return ret;
	}
	r->planned += plan.nops;
	recon_notes(&plan);
	ret = recon_plan_text(&plan, out);
	if (ret)
		recon_fail(r, err, AIFABD_REPLY_ERROR,
			   "aifabd: writing the plan: %s", strerror(-ret));
	else if (!dry_run)
		ret = recon_udev(cfg, run_dir, err, r);
	if (!ret && !dry_run && plan.nops) {
		rs->changed = true;
		ret = recon_apply(nl, &rs->pre, &plan, out, err, r);
	}
	rs->again = !ret && !dry_run && recon_loads_topology(&plan) &&
		    rs->pre.rdma_mode == AIFABD_RDMA_EXCLUSIVE;
	aifabd_plan_free(&plan);
	return ret;
}

/*
 * The kernel as the reconcile leaves it. A plan that changed nothing was
 * made from it, so only an apply costs another read; health needs no
 * topology or RDMA devices of it.
 */
static void recon_result(struct aifab_nl *nl, struct recon_state *rs,
			 struct aifabd_recon *r)
{
	char *msg;
	int ret;

	if (!rs->changed) {
		r->act = rs->pre;
		r->has_act = rs->read;
		rs->pre = (struct aifabd_actual){ 0 };
		return;
	}
	aifabd_actual_free(&rs->pre);
	ret = aifabd_snapshot(nl, false, &r->act);
	r->has_act = !ret;
	if (!ret)
		return;
	msg = recon_nl_err(nl, ret);
	aifabd_log(LOG_ERR, "reading the kernel's state after the change: %s",
		   msg ? msg : strerror(-ret));
	free(msg);
}

/**
 * aifabd_reconcile() - Bring the kernel to the configuration, once.
 * @nl: Open netlink client.
 * @cfg: The desired state.
 * @flags: enum aifabd_recon_flags.
 * @run_dir: Where udev finds each tenant's group (udev.h); written before
 *	any change, so that the uevents of new partitions' nodes find it.
 * @out: The plan and the outcome when it went well.
 * @err: What went wrong.
 * @r: Filled in, with the kernel's state afterwards when @flags ask for
 *	it (reconcile.h); free with aifabd_recon_free().
 *
 * A plan that loaded a topology while RDMA namespaces are exclusive is
 * followed by a second round, which moves the RDMA devices (plan.h).
 *
 * Return: 0 when the kernel now matches @cfg (or would, for a dry run),
 * else a negative errno value; @r says why.
 */
int aifabd_reconcile(struct aifab_nl *nl, const struct aifabd_config *cfg,
		     unsigned int flags, const char *run_dir, FILE *out,
		     FILE *err, struct aifabd_recon *r)
{
	bool dry_run = flags & AIFABD_RECON_DRY_RUN;
	struct recon_state rs = { .again = true };
	int round, ret = 0;

	*r = (struct aifabd_recon){ .status = AIFABD_REPLY_OK };
	for (round = 0; !ret && rs.again && round < 2; round++)
		ret = recon_round(nl, cfg, dry_run, run_dir, out, err, r, &rs);
	if (flags & AIFABD_RECON_ACTUAL)
		recon_result(nl, &rs, r);
	else
		aifabd_actual_free(&rs.pre);
	return ret;
}

void aifabd_recon_free(struct aifabd_recon *r)
{
	free(r->error);
	aifabd_actual_free(&r->act);
	*r = (struct aifabd_recon){ 0 };
}
