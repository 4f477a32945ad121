// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of aifabd's reconcile: how often it reads the kernel, and
 * what it hands back of it. The kernel is this file's: the snapshot, the
 * RDMA namespaces, the apply's requests and udev's files are replaced at
 * link time (ld --wrap, see the Makefile), so the real planner plans
 * against a fabric of one link whose degrade_ppm the test sets.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "str.h"
#include "../aifabd/apply.h"
#include "../aifabd/log.h"
#include "../aifabd/reconcile.h"

/* The configuration's degrade_ppm for every link: health's default. */
#define CFG_PPM		1000

static uint32_t kernel_ppm;	/* the link's degrade_ppm in the "kernel" */
static unsigned int snapshots;	/* aifabd_snapshot() calls */
static unsigned int sent;	/* operations applied */

int __wrap_aifabd_snapshot(struct aifab_nl *nl, bool want_topo,
			   struct aifabd_actual *act);
int __wrap_aifabd_rdma_snapshot(struct aifab_nl *nl, struct aifabd_actual *act,
				char **errmsg);
void __wrap_aifabd_apply_nl_ops(struct aifab_nl *nl,
				struct aifabd_apply_ops *ops);
int __wrap_aifabd_udev_sync(const struct aifabd_config *cfg,
			    const char *rundir);

int __wrap_aifabd_snapshot(struct aifab_nl *nl, bool want_topo,
			   struct aifabd_actual *act)
{
	(void)nl;
	(void)want_topo;
	snapshots++;
	*act = (struct aifabd_actual){ 0 };
	act->links = calloc(1, sizeof(*act->links));
	if (!act->links)
		return -ENOMEM;
	aifab_strscpy(act->links[0].name, "l01", sizeof(act->links[0].name));
	act->links[0].degrade_ppm = kernel_ppm;
	act->nlinks = 1;
	return 0;
}

/* No RDMA subsystem: the planner moves no device. */
int __wrap_aifabd_rdma_snapshot(struct aifab_nl *nl, struct aifabd_actual *act,
				char **errmsg)
{
	(void)nl;
	(void)errmsg;
	act->rdma_mode = AIFABD_RDMA_ABSENT;
	return 0;
}

static int fake_exec(void *priv, const struct aifabd_op *op, char *msg,
		     size_t msglen)
{
	(void)priv;
	(void)msg;
	(void)msglen;
	assert_int_equal(op->type, AIFABD_OP_LINK_DEGRADE);
	kernel_ppm = op->degrade_ppm;
	sent++;
	return 0;
}

void __wrap_aifabd_apply_nl_ops(struct aifab_nl *nl,
				struct aifabd_apply_ops *ops)
{
	(void)nl;
	*ops = (struct aifabd_apply_ops){ .exec = fake_exec };
}

int __wrap_aifabd_udev_sync(const struct aifabd_config *cfg,
			    const char *rundir)
{
	(void)cfg;
	(void)rundir;
	return 0;
}

struct fixture {
	struct aifabd_config cfg;
	FILE *out;
};

static int setup(void **state)
{
	static const char yaml[] = "fences: []\n";
	struct aifabd_config_err err = { 0 };
	struct fixture *fx = calloc(1, sizeof(*fx));
	FILE *f;
	int ret;

	if (!fx)
		return -1;
	f = fmemopen((void *)yaml, strlen(yaml), "r");
	ret = f ? aifabd_config_parse(f, "aifab.yaml", &fx->cfg, &err) : -1;
	if (f)
		fclose(f);
	aifabd_config_err_free(&err);
	/* The plan and report are tested elsewhere; keep stdout TAP. */
	fx->out = fopen("/dev/null", "w");
	if (ret || !fx->out) {
		free(fx);
		return -1;
	}
	kernel_ppm = 0;
	snapshots = 0;
	sent = 0;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	fclose(fx->out);
	aifabd_config_free(&fx->cfg);
	free(fx);
	return 0;
}

static void reconcile(struct fixture *fx, unsigned int flags,
		      struct aifabd_recon *r)
{
	assert_int_equal(aifabd_reconcile(NULL, &fx->cfg, flags, "/nonexistent",
					  fx->out, fx->out, r), 0);
	assert_int_equal(r->status, AIFABD_REPLY_OK);
	assert_null(r->error);
}

/* aifabd --once: one read, to plan from; nobody reads the kernel after. */
static void test_once_reads_once(void **state)
{
	struct aifabd_recon r;

	reconcile(*state, 0, &r);
	assert_int_equal(r.planned, 1);
	assert_int_equal(r.applied, 1);
	assert_int_equal(sent, 1);
	assert_int_equal(snapshots, 1);
	assert_false(r.has_act);
	assert_int_equal(r.act.nlinks, 0);
	aifabd_recon_free(&r);
}

/* The daemon: after a change, the kernel as the change left it. */
static void test_actual_after_apply(void **state)
{
	struct aifabd_recon r;

	reconcile(*state, AIFABD_RECON_ACTUAL, &r);
	assert_int_equal(r.applied, 1);
	assert_int_equal(snapshots, 2);
	assert_true(r.has_act);
	assert_int_equal(r.act.nlinks, 1);
	assert_int_equal(r.act.links[0].degrade_ppm, CFG_PPM);
	aifabd_recon_free(&r);
}

/* Nothing changed: the snapshot planned from is the state afterwards. */
static void test_actual_unchanged(void **state)
{
	struct aifabd_recon r;

	kernel_ppm = CFG_PPM;
	reconcile(*state, AIFABD_RECON_ACTUAL, &r);
	assert_int_equal(r.planned, 0);
	assert_int_equal(sent, 0);
	assert_int_equal(snapshots, 1);
	assert_true(r.has_act);
	assert_int_equal(r.act.links[0].degrade_ppm, CFG_PPM);
	aifabd_recon_free(&r);
}

/* A dry run plans and changes nothing, whatever else is asked. */
static void test_dry_run(void **state)
{
	struct aifabd_recon r;

	reconcile(*state, AIFABD_RECON_DRY_RUN | AIFABD_RECON_ACTUAL, &r);
	assert_int_equal(r.planned, 1);
	assert_int_equal(r.applied, 0);
	assert_int_equal(sent, 0);
	assert_int_equal(snapshots, 1);
	assert_true(r.has_act);
	assert_int_equal(r.act.links[0].degrade_ppm, 0);
	aifabd_recon_free(&r);

	snapshots = 0;
	reconcile(*state, AIFABD_RECON_DRY_RUN, &r);
	assert_int_equal(snapshots, 1);
	assert_false(r.has_act);
	aifabd_recon_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_once_reads_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_actual_after_apply, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_actual_unchanged, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dry_run, setup, teardown),
	};

	/* Every planned operation is logged; keep the output TAP alone. */
	aifabd_log_open(AIFABD_LOG_STDERR, LOG_CRIT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
