// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd's daemon: start-up, the event loop, reload, and what it
 * publishes. See daemon.h for the loop's rules and aifabd(8) for the
 * interface.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "ctlsock.h"
#include "daemon.h"
#include "daemon_proto.h"
#include "events.h"
#include "fmt.h"
#include "health.h"
#include "log.h"
#include "names.h"
#include "nl.h"
#include "pidfile.h"
#include "reconcile.h"
#include "statedir.h"
#include "status.h"

struct aifabd_daemon {
	const struct aifabd_opts *o;
	char run_dir[PATH_MAX];
	char state_dir[PATH_MAX];
	char pid_path[PATH_MAX];
	char status_path[PATH_MAX];
	char config_path[PATH_MAX];	/* --config made absolute, or "" */
	char health_path[PATH_MAX];	/* <state-dir>/health.json */

	/* The configuration in force, and the text it was read from. */
	struct aifabd_config cfg;
	char *cfg_text;
	size_t cfg_len;
	time_t cfg_loaded;

	struct aifab_nl *nl;		/* requests */
	struct aifab_nl *mon;		/* the monitor group's events */
	struct aifabd_health *health;	/* link health, on @nl */
	int pidfd;
	int sigfd;
	int timerfd;
	struct aifabd_ctlsock cs;

	/* Deadlines, CLOCK_MONOTONIC ms; 0 is none. */
	uint64_t recon_at;
	uint64_t resync_at;
	uint64_t health_at;		/* the health engine's next tick */
	uint64_t not_before;		/* backoff after a failed reconcile */
	uint64_t backoff_ms;
	char recon_why[160];		/* what the pending reconcile is for */
	unsigned int recon_more;	/* events that joined it */

	unsigned long reconciles;
	bool reconciled;
	time_t last_time;
	bool last_ok;
	size_t last_ops;
	char *last_error;
	bool stop;
};

uint64_t aifabd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Paths are kept absolute: a detached daemon runs in "/". */
static int daemon_abs(char *dst, size_t len, const char *path)
{
	int n;

	if (path[0] == '/') {
		n = aifab_fmt(dst, len, "%s", path);
	} else {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)))
			return -errno;
		n = aifab_fmt(dst, len, "%s/%s", cwd, path);
	}
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int daemon_paths(struct aifabd_daemon *d)
{
	int ret, n1, n2;

	ret = daemon_abs(d->run_dir, sizeof(d->run_dir), d->o->run_dir);
	if (!ret)
		ret = daemon_abs(d->state_dir, sizeof(d->state_dir),
				 d->o->state_dir);
	if (!ret && d->o->config)
		ret = daemon_abs(d->config_path, sizeof(d->config_path),
				 d->o->config);
	if (ret)
		return ret;
	n1 = aifab_fmt(d->pid_path, sizeof(d->pid_path), "%s/%s", d->run_dir,
		      AIFABD_PID_NAME);
	n2 = aifab_fmt(d->status_path, sizeof(d->status_path), "%s/%s",
		      d->run_dir, AIFABD_STATUS_NAME);
	if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof(d->pid_path) ||
	    (size_t)n2 >= sizeof(d->status_path))
		return -ENAMETOOLONG;
	n1 = aifab_fmt(d->health_path, sizeof(d->health_path), "%s/%s",
		      d->state_dir, AIFABD_HEALTH_FILE);
	if (n1 < 0 || (size_t)n1 >= sizeof(d->health_path))
		return -ENAMETOOLONG;
	return 0;
}

/* Configuration. */

/*
 * An explicit --config must exist; the default path may be absent, and
 * then the embedded default applies, as on a fresh install. The check is
 * made at each load, so a file installed later is picked up by a reload.
 */
static int daemon_config_read(const struct aifabd_daemon *d,
			      struct aifabd_config *cfg, char **text,
			      size_t *len, char **errmsg)
{
	struct aifabd_config_err err = { 0 };
	const char *path = *d->config_path ? d->config_path : NULL;
	int ret;

	if (!path && access(AIFABD_CONFIG_PATH, F_OK) == 0)
		path = AIFABD_CONFIG_PATH;
	if (path) {
		ret = aifabd_config_load_text(path, cfg, &err, text, len);
	} else {
		ret = aifabd_config_default(cfg, &err);
		*text = ret ? NULL : strdup(aifabd_config_default_yaml);
		*len = *text ? strlen(*text) : 0;
		if (!ret && !*text) {
			aifabd_config_free(cfg);
			ret = -ENOMEM;
		}
	}
	*errmsg = err.msg;
	if (ret && !*errmsg && asprintf(errmsg, "%s: %s",
					path ? path : "<default>",
					strerror(-ret)) < 0)
		*errmsg = NULL;
	return ret;
}

static void daemon_config_set(struct aifabd_daemon *d,
			      const struct aifabd_config *cfg, char *text,
			      size_t len)
{
	aifabd_config_free(&d->cfg);
	free(d->cfg_text);
	d->cfg = *cfg;
	d->cfg_text = text;
	d->cfg_len = len;
	d->cfg_loaded = time(NULL);
}

/* Status and state. */

/*
 * The document of status.json and the "status" reply: the daemon's own
 * fields, then the health engine's links, partitions and decisions.
 */
static struct json_object *daemon_status_doc(const struct aifabd_daemon *d)
{
	struct aifabd_status st = {
		.pid = getpid(),
		.config = d->cfg.file,
		.config_loaded = d->cfg_loaded,
		.reconciles = d->reconciles,
		.reconciled = d->reconciled,
		.last_time = d->last_time,
		.last_ok = d->last_ok,
		.last_ops = d->last_ops,
		.last_error = d->last_error,
	};
	struct json_object *root = aifabd_status_json(&st);

	if (root && aifabd_health_status_json(d->health, root)) {
		json_object_put(root);
		root = NULL;
	}
	return root;
}

static void daemon_status_write(const struct aifabd_daemon *d)
{
	struct json_object *root = daemon_status_doc(d);
	const char *s;
	int ret = -ENOMEM;

	s = root ? json_object_to_json_string_ext(root, AIFABD_JSON_FLAGS) :
		   NULL;
	if (s)
		ret = aifabd_write_atomic(d->status_path, s, strlen(s), 0644);
	if (ret)
		aifabd_log(LOG_ERR, "writing %s: %s", d->status_path,
			   strerror(-ret));
	json_object_put(root);
}

/*
 * At exit, so that a status file means a live daemon; done while the pid
 * file is still locked, so that it is never a successor's file.
 */
static void daemon_status_remove(const struct aifabd_daemon *d)
{
	if (d->pidfd < 0)
		return;
	if (unlink(d->status_path) && errno != ENOENT)
		aifabd_log(LOG_ERR, "removing %s: %s", d->status_path,
			   strerror(errno));
}

static void daemon_state_save(const struct aifabd_daemon *d)
{
	struct aifabd_status st = {
		.config = d->cfg.file,
		.config_loaded = d->cfg_loaded,
		.reconciled = d->reconciled,
		.last_time = d->last_time,
		.last_ok = d->last_ok,
		.last_ops = d->last_ops,
		.last_error = d->last_error,
	};
	int ret = aifabd_statedir_save(d->state_dir, &st, d->cfg_text,
				       d->cfg_len);

	if (ret)
		aifabd_log(LOG_ERR, "saving the state in %s: %s",
			   d->state_dir, strerror(-ret));
}

/* Reconcile. */

static void daemon_backoff(struct aifabd_daemon *d, bool ok)
{
	uint64_t max = (uint64_t)d->o->resync_s * 1000;

	if (ok) {
		d->backoff_ms = 0;
		d->not_before = 0;
		return;
	}
	d->backoff_ms = d->backoff_ms ? d->backoff_ms * 2 :
					AIFABD_BACKOFF_MIN_MS;
	if (d->backoff_ms > max)
		d->backoff_ms = max;
	d->not_before = aifabd_now_ms() + d->backoff_ms;
	aifabd_log(LOG_WARNING, "reconcile %lu failed; the next one waits "
		   "at least %llu ms", d->reconciles,
		   (unsigned long long)d->backoff_ms);
}

static void daemon_note(struct aifabd_daemon *d, const struct aifabd_recon *r,
			const char *why)
{
	d->reconciled = true;
	d->last_time = time(NULL);
	d->last_ok = r->status == AIFABD_REPLY_OK;
	d->last_ops = r->applied;
	free(d->last_error);
	d->last_error = r->error ? strdup(r->error) : NULL;
	/* A plan is a decision: drift found, or a new configuration. */
	if (d->last_ok && r->planned)
		aifabd_log(LOG_NOTICE, "reconcile %lu: applied %zu operation%s "
			   "(%s)", d->reconciles, r->planned,
			   r->planned == 1 ? "" : "s", why);
	else if (d->last_ok)
		aifabd_log(LOG_DEBUG, "reconcile %lu: nothing to change",
			   d->reconciles);
	daemon_backoff(d, d->last_ok);
}

/* Health. */

/* After anything that may have decided: the next tick and the state. */
static void daemon_health_after(struct aifabd_daemon *d, uint64_t now)
{
	int ret;

	d->health_at = aifabd_health_tick(d->health, now);
	ret = aifabd_health_save(d->health, d->health_path);
	if (ret)
		aifabd_log(LOG_ERR, "saving %s: %s", d->health_path,
			   strerror(-ret));
}

/*
 * Partitions and links may have changed with any reconcile; it read them,
 * so health needs no dump of its own. A kernel that could not be read
 * leaves health with what it knew.
 */
static void daemon_health_configure(struct aifabd_daemon *d,
				    const struct aifabd_recon *r)
{
	uint64_t now = aifabd_now_ms();
	int ret;

	if (!r->has_act) {
		aifabd_log(LOG_WARNING, "health: the kernel's state was not "
			   "read; links and partitions stay as last known");
		return;
	}
	ret = aifabd_health_configure(d->health, &d->cfg, &r->act, now);
	if (ret)
		aifabd_log(LOG_ERR, "health: learning links and routes: %s",
			   strerror(-ret));
	daemon_health_after(d, now);
}

/*
 * Reconcile with the configuration in @d now, and note the outcome.
 * Return: 0, or -ENOMEM when there was nowhere to put the report; then
 * nothing was done.
 */
static int daemon_recon_run(struct aifabd_daemon *d, const char *why,
			    FILE *out, struct aifabd_recon *r)
{
	FILE *sink = out ? out : fopen("/dev/null", "w");

	if (!sink)
		return -ENOMEM;
	d->reconciles++;
	d->recon_at = 0;
	aifabd_log(LOG_INFO, "reconcile %lu: %s", d->reconciles, why);
	aifabd_reconcile(d->nl, &d->cfg, AIFABD_RECON_ACTUAL, d->run_dir, sink,
			 sink, r);
	if (!out)
		fclose(sink);
	daemon_note(d, r, why);
	return 0;
}

/* Publish a reconcile against the configuration now in force. */
static void daemon_recon_publish(struct aifabd_daemon *d,
				 struct aifabd_recon *r)
{
	daemon_health_configure(d, r);
	daemon_status_write(d);
	daemon_state_save(d);
	aifabd_recon_free(r);
}

/**
 * daemon_reconcile() - Reconcile now, and publish the outcome.
 * @d: Daemon.
 * @why: What asked for it, for the log.
 * @out: The report (plan, outcome) for a control client, or NULL.
 *
 * Return: How it ended.
 */
static enum aifabd_reply_status daemon_reconcile(struct aifabd_daemon *d,
						 const char *why, FILE *out)
{
	enum aifabd_reply_status st;
	struct aifabd_recon r;

	if (daemon_recon_run(d, why, out, &r))
		return AIFABD_REPLY_ERROR;
	st = r.status;
	daemon_recon_publish(d, &r);
	return st;
}

/*
 * Ask for a reconcile AIFABD_DEBOUNCE_MS from now (or after the backoff).
 * One already pending keeps its time: later events join it.
 */
static void daemon_schedule(struct aifabd_daemon *d, const char *why)
{
	uint64_t at = aifabd_now_ms() + AIFABD_DEBOUNCE_MS;

	if (d->recon_at) {
		d->recon_more++;
		aifabd_log(LOG_DEBUG, "%s: joins the pending reconcile", why);
		return;
	}
	if (at < d->not_before)
		at = d->not_before;
	d->recon_at = at;
	d->recon_more = 0;
	aifab_fmt(d->recon_why, sizeof(d->recon_why), "%s", why);
	aifabd_log(LOG_DEBUG, "%s: reconcile in %llu ms", why,
		   (unsigned long long)(at - aifabd_now_ms()));
}

/* Reload. */

/**
 * daemon_reload() - Read the configuration again and apply it.
 * @d: Daemon.
 * @how: "SIGHUP" or "control socket", for the log.
 * @out: The report for a control client, or NULL.
 *
 * A refused file changes nothing: the configuration in force stays. A
 * file the kernel refuses (the apply failed and was rolled back) is not
 * kept either: the kernel is as the old configuration wants it, and
 * keeping the new one would retry, and undo, the same change at every
 * resync.
 *
 * Return: How it ended.
 */
static enum aifabd_reply_status daemon_reload(struct aifabd_daemon *d,
					      const char *how, FILE *out)
{
	struct aifabd_config cfg, old;
	char *text, *old_text, *msg = NULL;
	enum aifabd_reply_status st;
	struct aifabd_recon r;
	size_t len, old_len;
	time_t old_loaded;
	int ret;

	aifabd_log(LOG_NOTICE, "reload (%s)", how);
	if (daemon_config_read(d, &cfg, &text, &len, &msg)) {
		aifabd_log(LOG_ERR, "%s", msg ? msg : "reload: out of memory");
		aifabd_log(LOG_ERR, "reload refused; the configuration from %s "
			   "stays in force and nothing changed", d->cfg.file);
		if (out)
			fprintf(out, "%s\naifabd: configuration refused, "
				"nothing changed\n", msg ? msg : "out of memory");
		free(msg);
		return AIFABD_REPLY_CONFIG;
	}
	old = d->cfg;
	old_text = d->cfg_text;
	old_len = d->cfg_len;
	old_loaded = d->cfg_loaded;
	d->cfg = cfg;
	d->cfg_text = text;
	d->cfg_len = len;
	d->cfg_loaded = time(NULL);
	ret = daemon_recon_run(d, "reload", out, &r);
	st = ret ? AIFABD_REPLY_ERROR : r.status;
	if (st == AIFABD_REPLY_OK) {
		/* The health engine takes the new policy here. */
		daemon_recon_publish(d, &r);
		aifabd_log(LOG_NOTICE, "reload: %s applied", d->cfg.file);
		aifabd_config_free(&old);
		free(old_text);
		return st;
	}
	aifabd_log(LOG_ERR, "reload: %s not applied; the previous "
		   "configuration stays in force", d->cfg.file);
	if (out)
		fprintf(out, "aifabd: reload failed; the previous configuration "
			"stays in force\n");
	daemon_config_set(d, &old, old_text, old_len);
	d->cfg_loaded = old_loaded;
	/* Its reconcile is not repeated: the rollback restored it. */
	daemon_backoff(d, true);
	/* Health and the record follow the configuration in force. */
	if (!ret)
		daemon_recon_publish(d, &r);
	return st;
}

/* Events. */

/**
 * daemon_link_event() - A link's operational state changed.
 * @d: Daemon.
 * @link: The link's name.
 * @state: Its new state.
 *
 * The health engine decides what it means for the partitions.
 */
void daemon_link_event(struct aifabd_daemon *d, const char *link,
		       enum aifab_link_state state)
{
	uint64_t now = aifabd_now_ms();

	aifabd_log(LOG_INFO, "link %s: %s", link,
		   aifabd_link_state_name(state));
	aifabd_health_link_event(d->health, link, state, now);
	daemon_health_after(d, now);
	daemon_status_write(d);
}

static int daemon_event(const struct nlmsghdr *nlh, void *data)
{
	static const char *const part_actions[] = {
		[AIFAB_PARTITION_EVENT_NEW] = "created",
		[AIFAB_PARTITION_EVENT_DEL] = "deleted",
		[AIFAB_PARTITION_EVENT_CHANGE] = "changed",
	};
	static const char *const dev_actions[] = {
		[AIFAB_DEV_EVENT_NEW] = "appeared",
		[AIFAB_DEV_EVENT_DEL] = "vanished",
	};
	struct aifabd_daemon *d = data;
	struct aifabd_event ev;
	char why[128];

	if (aifabd_event_parse(nlh, &ev)) {
		aifabd_log(LOG_WARNING, "monitor: malformed event ignored");
		return 0;
	}
	if (ev.kind == AIFABD_EV_LINK) {
		daemon_link_event(d, ev.name, ev.state);
		return 0;
	}
	if (ev.kind == AIFABD_EV_OTHER)
		return 0;
	aifab_fmt(why, sizeof(why), "%s %s %s", aifabd_event_kind_name(ev.kind),
		 ev.name, ev.kind == AIFABD_EV_PARTITION ?
		 AIFAB_ENUM_NAME(part_actions, ev.action) :
		 AIFAB_ENUM_NAME(dev_actions, ev.action));
	daemon_schedule(d, why);
	return 0;
}

static void daemon_events(struct aifabd_daemon *d)
{
	int ret = aifab_nl_recv_events(d->mon, daemon_event, d);

	if (ret == -ENOBUFS) {
		/* Drift may be among what was lost: look at everything. */
		aifabd_log(LOG_WARNING, "monitor: events lost (socket buffer "
			   "overflow)");
		daemon_schedule(d, "events lost");
	} else if (ret) {
		aifabd_log(LOG_ERR, "monitor: %s", strerror(-ret));
	}
}

/* Control clients. */

static void daemon_reply(int fd, FILE *m, char **text, size_t *len,
			 enum aifabd_reply_status st)
{
	if (fclose(m)) {
		*text = NULL;
		*len = 0;
		st = AIFABD_REPLY_ERROR;
	}
	if (aifabd_ctlsock_reply(fd, *text, *len, st))
		aifabd_log(LOG_INFO, "control socket: the client left before "
			   "the reply");
	free(*text);
}

static void daemon_client(struct aifabd_daemon *d,
			  const struct aifabd_ctl_client *c)
{
	struct json_object *doc;
	enum aifabd_reply_status st = AIFABD_REPLY_OK;
	enum aifabd_req req;
	const char *why = NULL;
	char *text = NULL;
	size_t len = 0;
	int fd = c->fd;
	FILE *m = open_memstream(&text, &len);

	if (!m) {
		aifabd_ctlsock_reply(fd, NULL, 0, AIFABD_REPLY_ERROR);
		return;
	}
	req = aifabd_ctlsock_read(fd, &why);
	if (*c->denied) {
		req = AIFABD_REQ_INVALID;
		why = c->denied;
	}
	switch (req) {
	case AIFABD_REQ_RELOAD:
		st = daemon_reload(d, "control socket", m);
		break;
	case AIFABD_REQ_STATUS:
		doc = daemon_status_doc(d);
		if (doc)
			fputs(json_object_to_json_string_ext(doc,
							     AIFABD_JSON_FLAGS),
			      m);
		else
			st = AIFABD_REPLY_ERROR;
		json_object_put(doc);
		break;
	default:
		aifabd_log(LOG_WARNING, "control socket: %s", why);
		fprintf(m, "aifabd: %s\n", why);
		st = AIFABD_REPLY_ERROR;
	}
	daemon_reply(fd, m, &text, &len, st);
}

/* Signals. */

static void daemon_signal(struct aifabd_daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			daemon_reload(d, "SIGHUP", NULL);
			continue;
		}
		aifabd_log(LOG_NOTICE, "%s: stopping; the kernel's state is "
			   "left as it is", strsignal((int)si.ssi_signo));
		d->stop = true;
	}
}

/*
 * SIGCHLD is left at its default, which ignores it without reaping: the
 * snapshot's namespace probes wait for their own children.
 */
static int daemon_signals_block(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	if (sigprocmask(SIG_BLOCK, set, NULL))
		return -errno;
	/* A control client that hangs up must not kill the daemon. */
	return signal(SIGPIPE, SIG_IGN) == SIG_ERR ? -errno : 0;
}

/* Deadlines. */

static uint64_t daemon_min(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

/* The one place every deadline is gathered. */
static uint64_t daemon_next_deadline(const struct aifabd_daemon *d)
{
	uint64_t t = daemon_min(d->recon_at, d->resync_at);

	t = daemon_min(t, d->health_at);
	return daemon_min(t, aifabd_ctlsock_deadline(&d->cs));
}

static void daemon_arm(struct aifabd_daemon *d)
{
	uint64_t t = daemon_next_deadline(d);
	struct itimerspec its = { 0 };

	/* 0 would disarm; a time past fires at once, as wanted. */
	its.it_value.tv_sec = (time_t)(t / 1000);
	its.it_value.tv_nsec = (long)(t % 1000) * 1000000 + 1;
	if (timerfd_settime(d->timerfd, TFD_TIMER_ABSTIME, &its, NULL))
		aifabd_log(LOG_ERR, "timerfd: %s", strerror(errno));
}

/* Whatever is due: client timeouts, the resync, a reconcile, health. */
static void daemon_tick(struct aifabd_daemon *d)
{
	uint64_t now = aifabd_now_ms();
	uint64_t exp;

	if (read(d->timerfd, &exp, sizeof(exp)) < 0 && errno != EAGAIN)
		aifabd_log(LOG_ERR, "timerfd: %s", strerror(errno));
	aifabd_ctlsock_expire(&d->cs, now);
	if (d->health_at && now >= d->health_at) {
		daemon_health_after(d, now);
		daemon_status_write(d);
	}
	if (d->resync_at && now >= d->resync_at) {
		d->resync_at = now + (uint64_t)d->o->resync_s * 1000;
		daemon_schedule(d, "periodic resync");
	}
	if (d->recon_at && now >= d->recon_at) {
		char why[200];

		aifab_fmt(why, sizeof(why), "%s%s", d->recon_why,
			 d->recon_more ? " and more events" : "");
		daemon_reconcile(d, why, NULL);
	}
}

/* The loop. */

enum { PFD_SIG, PFD_MON, PFD_CTL, PFD_TIMER, PFD_CLIENTS };

static void daemon_clients(struct aifabd_daemon *d, const struct pollfd *pfd)
{
	size_t i = d->cs.nclients;

	/* From the end: dropping one moves the last, already served, down. */
	while (i-- > 0) {
		if (!pfd[PFD_CLIENTS + i].revents)
			continue;
		daemon_client(d, &d->cs.clients[i]);
		aifabd_ctlsock_drop(&d->cs, i);
	}
}

static int daemon_loop(struct aifabd_daemon *d)
{
	struct pollfd pfd[PFD_CLIENTS + AIFABD_CTL_CLIENTS];
	size_t i;

	while (!d->stop) {
		size_t n;

		daemon_arm(d);
		pfd[PFD_SIG] = (struct pollfd){ d->sigfd, POLLIN, 0 };
		pfd[PFD_MON] = (struct pollfd){ aifab_nl_fd(d->mon), POLLIN, 0 };
		pfd[PFD_CTL] = (struct pollfd){ d->cs.fd, POLLIN, 0 };
		pfd[PFD_TIMER] = (struct pollfd){ d->timerfd, POLLIN, 0 };
		n = PFD_CLIENTS + d->cs.nclients;
		for (i = 0; i < d->cs.nclients; i++)
			pfd[PFD_CLIENTS + i] = (struct pollfd){
				d->cs.clients[i].fd, POLLIN, 0 };
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			aifabd_log(LOG_CRIT, "poll: %s", strerror(errno));
			return -errno;
		}
		if (pfd[PFD_SIG].revents)
			daemon_signal(d);
		if (pfd[PFD_MON].revents)
			daemon_events(d);
		daemon_clients(d, pfd);
		if (pfd[PFD_CTL].revents)
			aifabd_ctlsock_accept(&d->cs, aifabd_now_ms());
		daemon_tick(d);
	}
	return 0;
}

/* Start-up. */

/* After the first reconcile went well, so that the caller saw it did. */
static int daemon_detach(struct aifabd_daemon *d)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -errno;
	if (pid > 0) {
		/* The pid file names the daemon before its starter returns. */
		_exit(aifabd_pidfile_write(d->pidfd, pid) ? AIFABD_EXIT_ERR :
							     AIFABD_EXIT_OK);
	}
	if (setsid() < 0 || chdir("/"))
		return -errno;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		return -errno;
	if (fd > 2)
		close(fd);
	if (!d->o->log_given) {
		aifabd_log_close();
		aifabd_log_open(AIFABD_LOG_SYSLOG, d->o->log_level);
	}
	return 0;
}

static int daemon_fail(const char *what, int err)
{
	aifabd_log(LOG_ERR, "%s: %s", what, strerror(-err));
	return AIFABD_EXIT_ERR;
}

static int daemon_run_dir(struct aifabd_daemon *d)
{
	char err[PATH_MAX + 128];
	int ret;

	if (mkdir(d->run_dir, 0755) && errno != EEXIST)
		return daemon_fail(d->run_dir, -errno);
	ret = aifabd_pidfile_lock(d->pid_path, &d->pidfd, err, sizeof(err));
	if (ret) {
		aifabd_log(LOG_ERR, "%s", err);
		return AIFABD_EXIT_ERR;
	}
	ret = aifabd_statedir_open(d->state_dir);
	if (ret)
		return daemon_fail(d->state_dir, ret);
	return 0;
}

static int daemon_netlink(struct aifabd_daemon *d)
{
	int ret = aifab_nl_open(&d->nl);

	if (!ret)
		ret = aifab_nl_open(&d->mon);
	if (ret) {
		aifabd_log(LOG_ERR, "aifab: %s", aifab_nl_open_strerror(ret));
		return AIFABD_EXIT_ERR;
	}
	/* On the request socket: health asks routes and sets partitions. */
	ret = aifabd_health_new(&d->health, d->nl);
	if (ret)
		return daemon_fail("health", ret);
	/* A refused file is logged there and health starts afresh. */
	aifabd_health_restore(d->health, d->health_path);
	/* Joined before the first snapshot, so no drift falls between. */
	ret = aifab_nl_join_monitor(d->mon);
	if (ret)
		return daemon_fail("joining the monitor group", ret);
	return 0;
}

static int daemon_config_first(struct aifabd_daemon *d)
{
	struct aifabd_config cfg;
	char *text, *msg = NULL;
	uint64_t hash;
	size_t len;

	if (daemon_config_read(d, &cfg, &text, &len, &msg)) {
		aifabd_log(LOG_ERR, "%s", msg ? msg : "out of memory");
		aifabd_log(LOG_ERR, "configuration refused, nothing applied");
		free(msg);
		return AIFABD_EXIT_ERR;
	}
	daemon_config_set(d, &cfg, text, len);
	if (aifabd_statedir_hash(d->state_dir, &hash) == 0)
		aifabd_log(LOG_INFO, "configuration %s since the last run",
			   hash == aifabd_hash(text, len) ? "unchanged" :
			   "changed");
	aifabd_log(LOG_NOTICE, "configuration %s loaded", d->cfg.file);
	return 0;
}

static int daemon_fds(struct aifabd_daemon *d, const sigset_t *set)
{
	int ret;

	d->sigfd = signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (d->sigfd < 0)
		return daemon_fail("signalfd", -errno);
	d->timerfd = timerfd_create(CLOCK_MONOTONIC,
				    TFD_CLOEXEC | TFD_NONBLOCK);
	if (d->timerfd < 0)
		return daemon_fail("timerfd", -errno);
	ret = aifabd_ctlsock_open(&d->cs, d->run_dir);
	if (ret)
		return daemon_fail(d->run_dir, ret);
	return 0;
}

static int daemon_start(struct aifabd_daemon *d, sigset_t *set)
{
	int ret;

	ret = daemon_signals_block(set);
	if (ret)
		return daemon_fail("signals", ret);
	ret = daemon_paths(d);
	if (ret)
		return daemon_fail("paths", ret);
	ret = daemon_run_dir(d);
	if (!ret)
		ret = daemon_config_first(d);
	if (!ret)
		ret = daemon_netlink(d);
	if (!ret)
		ret = daemon_fds(d, set);
	if (ret)
		return ret;
	if (daemon_reconcile(d, "start", NULL) != AIFABD_REPLY_OK) {
		aifabd_log(LOG_ERR, "the first reconcile failed; not starting");
		return AIFABD_EXIT_ERR;
	}
	return 0;
}

static void daemon_free(struct aifabd_daemon *d)
{
	aifabd_ctlsock_close(&d->cs);
	if (d->sigfd >= 0)
		close(d->sigfd);
	if (d->timerfd >= 0)
		close(d->timerfd);
	if (d->health)
		daemon_health_after(d, aifabd_now_ms());
	aifabd_health_free(d->health);
	aifab_nl_close(d->mon);
	aifab_nl_close(d->nl);
	daemon_status_remove(d);
	aifabd_pidfile_release(d->pid_path, d->pidfd);
	aifabd_config_free(&d->cfg);
	free(d->cfg_text);
	free(d->last_error);
}

/**
 * aifabd_daemon_run() - Run aifabd as a daemon until SIGTERM or SIGINT.
 * @o: The command line.
 *
 * Return: The exit status: 0 after a clean stop, 1 when the start failed
 * (configuration, kernel, pid file, first reconcile) or the loop broke.
 */
int aifabd_daemon_run(const struct aifabd_opts *o)
{
	struct aifabd_daemon *d = calloc(1, sizeof(*d));
	sigset_t set;
	int ret;

	if (!d)
		return AIFABD_EXIT_ERR;
	d->o = o;
	d->pidfd = d->sigfd = d->timerfd = -1;
	d->cs.fd = -1;
	ret = daemon_start(d, &set);
	if (!ret && !o->foreground && daemon_detach(d))
		ret = daemon_fail("detaching", -errno);
	if (!ret && o->foreground && aifabd_pidfile_write(d->pidfd, getpid()))
		ret = daemon_fail(d->pid_path, -EIO);
	if (!ret) {
		daemon_status_write(d);		/* with the daemon's own pid */
		aifabd_log(LOG_NOTICE, "running: pid %d, control socket %s, "
			   "resync every %u s", (int)getpid(), d->cs.path,
			   o->resync_s);
		d->resync_at = aifabd_now_ms() + (uint64_t)o->resync_s * 1000;
		ret = daemon_loop(d) ? AIFABD_EXIT_ERR : AIFABD_EXIT_OK;
	}
	daemon_free(d);
	free(d);
	return ret;
}
