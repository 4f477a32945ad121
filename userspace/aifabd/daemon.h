/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aifabd as a daemon: one poll() loop over
 *   - a signalfd: SIGHUP reloads; SIGTERM and SIGINT stop, leaving the
 *     kernel's state exactly as it is;
 *   - the monitor group's socket: partition and device events are drift,
 *     link-state events go to daemon_link_event();
 *   - the control socket (ctlsock.h): "reload" and "status";
 *   - a timerfd set to the earliest deadline: a reconcile after drift
 *     (debounced), the periodic resync, a control client's timeout, and
 *     the health engine's next tick.
 *
 * Drift and the resync schedule a reconcile AIFABD_DEBOUNCE_MS ahead; more
 * events meanwhile join it without pushing it back, so a stream of events
 * cannot starve it. aifabd's own changes come back as events too: they
 * cause one more reconcile, which finds nothing to do and changes nothing,
 * so nothing more follows. A failed reconcile backs off (1 s doubling up
 * to the resync interval) so that a refusal the kernel repeats is not
 * retried in a loop.
 *
 * Wiring the health engine takes a call in each of daemon_link_event(),
 * daemon_tick() (whose result is the health deadline), the reload path
 * (aifabd_health_configure) and daemon_status_doc().
 */
#ifndef AIFABD_DAEMON_H
#define AIFABD_DAEMON_H

#include <stdint.h>

#include <linux/aifab.h>

#include "opts.h"

#define AIFABD_DEBOUNCE_MS	200U
#define AIFABD_BACKOFF_MIN_MS	1000U

struct aifabd_daemon;

uint64_t aifabd_now_ms(void);
int aifabd_daemon_run(const struct aifabd_opts *o);
void daemon_link_event(struct aifabd_daemon *d, const char *link,
		       enum aifab_link_state state);

#endif /* AIFABD_DAEMON_H */
