// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd's log; see log.h. The sink and level are process-wide because a
 * daemon has one log, and threading them through every call would only
 * hide the messages.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"

static enum aifabd_log_sink log_sink = AIFABD_LOG_STDERR;
static int log_level = LOG_NOTICE;

static const char *const log_level_names[] = {
	[LOG_EMERG] = "emerg",	 [LOG_ALERT] = "alert",
	[LOG_CRIT] = "crit",	 [LOG_ERR] = "err",
	[LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
	[LOG_INFO] = "info",	 [LOG_DEBUG] = "debug",
};

/**
 * aifabd_log_open() - choose where messages go and which are kept
 * @sink: stderr or syslog (facility daemon)
 * @level: the least urgent priority kept, LOG_EMERG..LOG_DEBUG
 */
void aifabd_log_open(enum aifabd_log_sink sink, int level)
{
	log_sink = sink;
	log_level = level;
	if (sink == AIFABD_LOG_SYSLOG)
		openlog("aifabd", LOG_PID, LOG_DAEMON);
}

void aifabd_log_close(void)
{
	if (log_sink == AIFABD_LOG_SYSLOG)
		closelog();
	log_sink = AIFABD_LOG_STDERR;
}

/* Return: the priority named by @s ("err", "info", ...), or -EINVAL. */
int aifabd_log_level_parse(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(log_level_names) / sizeof(log_level_names[0]);
	     i++)
		if (!strcmp(s, log_level_names[i]))
			return (int)i;
	return -EINVAL;
}

/* Return: 0 and the sink named by @s ("stderr" or "syslog"), or -EINVAL. */
int aifabd_log_sink_parse(const char *s, enum aifabd_log_sink *sink)
{
	if (!strcmp(s, "stderr"))
		*sink = AIFABD_LOG_STDERR;
	else if (!strcmp(s, "syslog"))
		*sink = AIFABD_LOG_SYSLOG;
	else
		return -EINVAL;
	return 0;
}

bool aifabd_log_enabled(int prio)
{
	return prio <= log_level;
}

/*
 * stderr lines carry the level and a UTC timestamp, since nothing else adds
 * them when aifabd runs in a terminal; syslog adds its own.
 */
void aifabd_log(int prio, const char *fmt, ...)
{
	va_list ap;

	if (!aifabd_log_enabled(prio))
		return;
	va_start(ap, fmt);
	if (log_sink == AIFABD_LOG_SYSLOG) {
		vsyslog(prio, fmt, ap);
	} else {
		time_t now = time(NULL);
		char stamp[32];
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(stderr, "%s aifabd[%s]: ", stamp,
			log_level_names[prio & LOG_PRIMASK]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
