/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitor group's events, as the daemon needs them: which object
 * changed, and for a link its new state. Pure, so that the host tests can
 * feed it messages built with libmnl.
 */
#ifndef AIFABD_EVENTS_H
#define AIFABD_EVENTS_H

#include <stdint.h>

#include <libmnl/libmnl.h>

#include "plan.h"

enum aifabd_event_kind {
	AIFABD_EV_OTHER,		/* not ours to act on (violations) */
	AIFABD_EV_LINK,			/* a link's state changed */
	AIFABD_EV_PARTITION,		/* created, changed, deleted */
	AIFABD_EV_DEV,			/* a device came or went */
};

struct aifabd_event {
	enum aifabd_event_kind kind;
	aifabd_name_t name;		/* the link, partition or device */
	uint32_t state;			/* LINK: enum aifab_link_state */
	uint32_t action;		/* PARTITION, DEV: its event enum */
};

int aifabd_event_parse(const struct nlmsghdr *nlh, struct aifabd_event *ev);
const char *aifabd_event_kind_name(enum aifabd_event_kind kind);

#endif /* AIFABD_EVENTS_H */
