/* SPDX-License-Identifier: GPL-2.0 */
/*
 * aifabd's log: one line per message, to stderr (the default, and what
 * systemd's journal captures) or to syslog, filtered by a level. Levels are
 * syslog's priorities, so both sinks share one scale.
 *
 * Every decision the daemon takes goes through here with its reason, at
 * LOG_NOTICE or above; LOG_INFO and LOG_DEBUG are for detail.
 */
#ifndef AIFABD_LOG_H
#define AIFABD_LOG_H

#include <stdbool.h>
#include <syslog.h>

enum aifabd_log_sink {
	AIFABD_LOG_STDERR,
	AIFABD_LOG_SYSLOG,
};

void aifabd_log_open(enum aifabd_log_sink sink, int level);
void aifabd_log_close(void);
int aifabd_log_level_parse(const char *s);
int aifabd_log_sink_parse(const char *s, enum aifabd_log_sink *sink);
bool aifabd_log_enabled(int prio);
void aifabd_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* AIFABD_LOG_H */
