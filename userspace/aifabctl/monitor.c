// SPDX-License-Identifier: GPL-2.0
/*
 * aifabctl monitor: print the family's events as they happen.
 *
 *   aifabctl monitor
 *
 * One line per event. With -j each line is a complete JSON object, so that
 * consumers can read the stream line by line; -p is ignored here because
 * an indented object would span lines.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>

#include <linux/aifab.h>

#include "ctl.h"

/* Room for the attributes of the largest set an event uses. */
#define MON_TB_MAX	24

_Static_assert(AIFAB_A_LINK_MAX <= MON_TB_MAX &&
	       AIFAB_A_DEV_MAX <= MON_TB_MAX &&
	       AIFAB_A_VIOLATION_MAX <= MON_TB_MAX &&
	       AIFAB_A_PARTITION_MAX <= MON_TB_MAX,
	       "MON_TB_MAX is too small for an event attribute set");

/* Events name their object, but may carry less of it than a reply does. */
static const struct aifab_nl_policy mon_link_policy[AIFAB_A_LINK_MAX + 1] = {
	[AIFAB_A_LINK_ID] = { MNL_TYPE_U32, false },
	[AIFAB_A_LINK_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_KIND] = { MNL_TYPE_U32, false },
	[AIFAB_A_LINK_A] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_LINK_B] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_LINK_STATE] = { MNL_TYPE_U32, true },
	[AIFAB_A_LINK_ADMIN_STATE] = { MNL_TYPE_U32, false },
	[AIFAB_A_LINK_SPEED_MBPS] = { MNL_TYPE_U32, false },
	[AIFAB_A_LINK_DROP_PCT] = { MNL_TYPE_U32, false },
	[AIFAB_A_LINK_CORRUPT_PCT] = { MNL_TYPE_U32, false },
	[AIFAB_A_LINK_FLAP_MS] = { MNL_TYPE_U32, false },
	[AIFAB_A_LINK_DEGRADE_PPM] = { MNL_TYPE_U32, false },
};

static const struct aifab_nl_policy mon_violation_policy[AIFAB_A_VIOLATION_MAX + 1] = {
	[AIFAB_A_VIOLATION_SRC] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_VIOLATION_DST] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_VIOLATION_SRC_PARTITION] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_VIOLATION_DST_PARTITION] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_VIOLATION_REASON] = { MNL_TYPE_U32, true },
	[AIFAB_A_VIOLATION_SUPPRESSED] = { MNL_TYPE_U32, false },
};

static const struct aifab_nl_policy mon_partition_policy[AIFAB_A_PARTITION_MAX + 1] = {
	[AIFAB_A_PARTITION_ID] = { MNL_TYPE_U32, false },
	[AIFAB_A_PARTITION_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_PARTITION_TENANT] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_PARTITION_DEV] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_PARTITION_EVENT] = { MNL_TYPE_U32, true },
	[AIFAB_A_PARTITION_NETNS_COOKIE] = { MNL_TYPE_U64, false },
	[AIFAB_A_PARTITION_ADMIN_STATE] = { MNL_TYPE_U32, false },
	[AIFAB_A_PARTITION_SCRUB_BYTES] = { MNL_TYPE_U64, false },
};

static const struct aifab_nl_policy mon_dev_policy[AIFAB_A_DEV_MAX + 1] = {
	[AIFAB_A_DEV_ID] = { MNL_TYPE_U32, false },
	[AIFAB_A_DEV_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_DEV_TYPE] = { MNL_TYPE_U32, false },
	[AIFAB_A_DEV_NODE] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_DEV_LOCAL] = { MNL_TYPE_U8, false },
	[AIFAB_A_DEV_EVENT] = { MNL_TYPE_U32, true },
};

static const char *const mon_dev_action_names[] = {
	[AIFAB_DEV_EVENT_NEW] = "new",
	[AIFAB_DEV_EVENT_DEL] = "del",
};

static const char *const mon_action_names[] = {
	[AIFAB_PARTITION_EVENT_NEW] = "new",
	[AIFAB_PARTITION_EVENT_DEL] = "del",
	[AIFAB_PARTITION_EVENT_CHANGE] = "change",
};

/* Text: "accel0-accel1: accel0 <-> accel1 kind accel state down ...". */
static int mon_link(struct aifab_out *out, const struct nlmsghdr *nlh,
		    const struct nlattr **tb)
{
	(void)nlh;
	return link_print_fields(out, tb);
}

/* Text: "accel0 -> accel2 reason fence src-partition p1 ... suppressed 0". */
static int mon_violation(struct aifab_out *out, const struct nlmsghdr *nlh,
			 const struct nlattr **tb)
{
	(void)nlh;
	ctl_out_str(out, "src", "%s", tb[AIFAB_A_VIOLATION_SRC], NULL);
	ctl_out_str(out, "dst", " -> %s", tb[AIFAB_A_VIOLATION_DST], NULL);
	ctl_out_enum(out, "reason", " reason %s",
		     tb[AIFAB_A_VIOLATION_REASON], aifab_route_reason_names,
		     AIFAB_ARRAY_SIZE(aifab_route_reason_names));
	ctl_out_str(out, "src_partition", " src-partition %s",
		    tb[AIFAB_A_VIOLATION_SRC_PARTITION], " src-partition -");
	ctl_out_str(out, "dst_partition", " dst-partition %s",
		    tb[AIFAB_A_VIOLATION_DST_PARTITION], " dst-partition -");
	return ctl_out_u32(out, "suppressed", " suppressed %" PRIu64,
			   tb[AIFAB_A_VIOLATION_SUPPRESSED]);
}

/*
 * Text: "new p1: tenant t1 state up devices accel0 accel1"; an event in
 * which devices left (a delete, a change that removed devices) ends with
 * "scrub-bytes N", the bytes zeroed in their accelerators' memory.
 */
static int mon_partition(struct aifab_out *out, const struct nlmsghdr *nlh,
			 const struct nlattr **tb)
{
	int ret;

	ctl_out_enum(out, "action", "%s ", tb[AIFAB_A_PARTITION_EVENT],
		     mon_action_names, AIFAB_ARRAY_SIZE(mon_action_names));
	ret = partition_print_fields(out, nlh, tb);
	if (tb[AIFAB_A_PARTITION_SCRUB_BYTES])
		ret = aifab_out_uint(out, "scrub_bytes", " scrub-bytes %" PRIu64,
				     mnl_attr_get_u64(tb[AIFAB_A_PARTITION_SCRUB_BYTES]));
	return ret;
}

/* Text: "new accel0: type accel node node0". */
static int mon_dev(struct aifab_out *out, const struct nlmsghdr *nlh,
		   const struct nlattr **tb)
{
	(void)nlh;
	ctl_out_enum(out, "action", "%s ", tb[AIFAB_A_DEV_EVENT],
		     mon_dev_action_names,
		     AIFAB_ARRAY_SIZE(mon_dev_action_names));
	ctl_out_str(out, "name", "%s:", tb[AIFAB_A_DEV_NAME], NULL);
	ctl_out_enum(out, "type", " type %s", tb[AIFAB_A_DEV_TYPE],
		     aifab_dev_type_names,
		     AIFAB_ARRAY_SIZE(aifab_dev_type_names));
	return ctl_out_str(out, "node", " node %s", tb[AIFAB_A_DEV_NODE],
			   " node -");
}

struct mon_event {
	const char *name;
	const struct aifab_nl_policy *policy;
	int (*print)(struct aifab_out *out, const struct nlmsghdr *nlh,
		     const struct nlattr **tb);
	unsigned int max;
	uint8_t cmd;
};

static const struct mon_event mon_events[] = {
	{ "link-state", mon_link_policy, mon_link,
	  AIFAB_A_LINK_MAX, AIFAB_CMD_LINK_STATE_NTF },
	{ "fence-violation", mon_violation_policy, mon_violation,
	  AIFAB_A_VIOLATION_MAX, AIFAB_CMD_FENCE_VIOLATION_NTF },
	{ "partition", mon_partition_policy, mon_partition,
	  AIFAB_A_PARTITION_MAX, AIFAB_CMD_PARTITION_NTF },
	{ "dev", mon_dev_policy, mon_dev,
	  AIFAB_A_DEV_MAX, AIFAB_CMD_DEV_NTF },
};

static const struct mon_event *mon_find(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	size_t i;

	for (i = 0; i < AIFAB_ARRAY_SIZE(mon_events); i++)
		if (mon_events[i].cmd == genl->cmd)
			return &mon_events[i];
	return NULL;
}

/**
 * monitor_print() - Print one event as one line.
 * @nlh: The event message.
 * @f: Stream; flushed after the line, since it may be a pipe.
 * @flags: AIFAB_OUT_JSON for a JSON object; AIFAB_OUT_PRETTY is ignored.
 *
 * Each event is its own output document: a stream of events is a stream of
 * JSON texts, not one array that would only close at exit. The event is
 * validated before anything of it is printed.
 *
 * Return: 0 (also for events of commands this tool does not know), -EBADMSG
 * for a malformed event, or an output error.
 */
int monitor_print(const struct nlmsghdr *nlh, FILE *f, unsigned int flags)
{
	const struct nlattr *tb[MON_TB_MAX + 1];
	const struct mon_event *ev;
	struct aifab_out *out;
	int ret;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -EBADMSG;
	ev = mon_find(nlh);
	if (!ev)
		return 0;
	ret = aifab_nl_parse(nlh, ev->policy, ev->max, tb);
	if (ret)
		return ret;
	out = aifab_out_new(f, flags & AIFAB_OUT_JSON);
	if (!out)
		return -errno;
	aifab_out_open_object(out, NULL);
	aifab_out_string(out, "event", "[%s] ", ev->name);
	ev->print(out, nlh, tb);
	aifab_out_nl(out);
	aifab_out_close_object(out);
	ret = aifab_out_flush(out);
	aifab_out_free(out);
	return ret;
}

static volatile sig_atomic_t monitor_stop;

static void monitor_on_signal(int sig)
{
	(void)sig;
	monitor_stop = 1;
}

/**
 * monitor_signals() - Make SIGINT and SIGTERM end the monitor cleanly.
 * @wait_mask: Filled with the mask to wait under.
 *
 * The signals stay blocked except while waiting in ppoll(), so one that
 * arrives while an event is printed is seen at the next wait instead of
 * being lost between the check and the wait.
 *
 * Return: 0, or a negative errno value.
 */
static int monitor_signals(sigset_t *wait_mask)
{
	struct sigaction sa = { .sa_handler = monitor_on_signal };
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, wait_mask))
		return -errno;
	sigdelset(wait_mask, SIGINT);
	sigdelset(wait_mask, SIGTERM);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	return 0;
}

/* A malformed event is reported and skipped; the stream goes on. */
static int monitor_event(const struct nlmsghdr *nlh, void *data)
{
	struct ctl *ctl = data;
	int ret = monitor_print(nlh, ctl->out, ctl->out_flags);

	if (ret == -EBADMSG) {
		fprintf(ctl->err, "aifabctl: monitor: malformed event ignored\n");
		return 0;
	}
	return ret;
}

/**
 * monitor_loop() - Wait for events and print them until a signal.
 * @ctl: Context with a client that joined the monitor group.
 * @wait_mask: Signal mask while waiting.
 *
 * Return: 0 when stopped by a signal, or a negative errno value.
 */
static int monitor_loop(struct ctl *ctl, const sigset_t *wait_mask)
{
	struct pollfd pfd = { .fd = aifab_nl_fd(ctl->nl), .events = POLLIN };
	int ret;

	while (!monitor_stop) {
		if (ppoll(&pfd, 1, NULL, wait_mask) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		ret = aifab_nl_recv_events(ctl->nl, monitor_event, ctl);
		if (ret == -ENOBUFS) {
			/* The kernel dropped events; say so, keep going. */
			fprintf(ctl->err,
				"aifabctl: monitor: events lost: %s\n",
				"the socket buffer overflowed");
			continue;
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int monitor_run(struct ctl *ctl, const struct ctl_args *a)
{
	sigset_t wait_mask;
	int ret;

	(void)a;
	if (!ctl->nl)
		return ctl_fail(ctl, -ENOTCONN);
	ret = aifab_nl_join_monitor(ctl->nl);
	if (ret == -ENOENT)
		ctl->errmsg = "the aifab family has no monitor group";
	if (!ret)
		ret = monitor_signals(&wait_mask);
	if (!ret)
		ret = monitor_loop(ctl, &wait_mask);
	return ret ? ctl_fail(ctl, ret) : CTL_EXIT_OK;
}

static const struct ctl_cmd monitor_cmds[] = {
	{ NULL, ctl_args_none, monitor_run, 0 },
};

const struct ctl_obj ctl_monitor_obj = {
	"monitor", "aifabctl monitor", monitor_cmds,
	AIFAB_ARRAY_SIZE(monitor_cmds),
};
