/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small generic netlink client for the "aifab" family, on libmnl.
 *
 * Requests are described first (struct aifab_nl_req) and turned into a
 * netlink message only when sent, so that command-line parsing can be tested
 * without a kernel and the sender can find which argument an extack offset
 * points at.
 *
 * Replies are collected whole before any is handed to the caller: a dump the
 * kernel marks NLM_F_DUMP_INTR is retried from the start, and a failed
 * request never leaves half of its output behind.
 *
 * Every function returns 0 or a negative errno value. -EBADMSG means the
 * kernel sent something that does not follow the UAPI.
 */
#ifndef AIFAB_USERSPACE_NL_H
#define AIFAB_USERSPACE_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

/* Enough for every device of the largest fabric the module can build. */
#define AIFAB_NL_REQ_MAX_ATTRS	256

/* How often a dump is tried before a busy fabric is reported as -EAGAIN. */
#define AIFAB_NL_DUMP_TRIES	5

enum aifab_nl_attr_kind {
	AIFAB_NL_STR,
	AIFAB_NL_U32,
};

/* One request attribute; strings are borrowed, not copied. */
struct aifab_nl_attr {
	uint16_t type;
	enum aifab_nl_attr_kind kind;
	const char *str;
	uint32_t u32;
};

/* A request as a description: the command, dump or not, the attributes. */
struct aifab_nl_req {
	uint8_t cmd;
	bool dump;
	unsigned int nattrs;
	struct aifab_nl_attr attrs[AIFAB_NL_REQ_MAX_ATTRS];
};

void aifab_nl_req_init(struct aifab_nl_req *req, uint8_t cmd, bool dump);
struct aifab_nl_req *aifab_nl_req_new(uint8_t cmd, bool dump);
int aifab_nl_req_str(struct aifab_nl_req *req, uint16_t type, const char *s);
int aifab_nl_req_u32(struct aifab_nl_req *req, uint16_t type, uint32_t v);
struct nlmsghdr *aifab_nl_req_build(const struct aifab_nl_req *req,
				    uint16_t family, uint32_t seq,
				    void *buf, size_t len);

/*
 * A request built as a netlink message straight away, for what a
 * description cannot carry: nests, u8 and u64 values, and any number of
 * attributes. The buffer grows as attributes are added, so a request of
 * several hundred KB needs no size guessed in advance. The first failure
 * sticks: later calls do nothing and return it again, so a builder may check
 * only the last result (or let aifab_nl_exec_msg() report it).
 *
 * Nests are named by their offset in the message, not by pointer, because
 * growing the buffer moves it.
 */
struct aifab_nl_msg {
	char *buf;
	size_t cap;
	int err;
};

int aifab_nl_msg_init(struct aifab_nl_msg *m, uint8_t cmd);
void aifab_nl_msg_free(struct aifab_nl_msg *m);
const struct nlmsghdr *aifab_nl_msg_hdr(const struct aifab_nl_msg *m);
int aifab_nl_msg_put_str(struct aifab_nl_msg *m, uint16_t type,
			 const char *s);
int aifab_nl_msg_put_u8(struct aifab_nl_msg *m, uint16_t type, uint8_t v);
int aifab_nl_msg_put_u32(struct aifab_nl_msg *m, uint16_t type, uint32_t v);
int aifab_nl_msg_put_u64(struct aifab_nl_msg *m, uint16_t type, uint64_t v);
size_t aifab_nl_msg_nest_start(struct aifab_nl_msg *m, uint16_t type);
int aifab_nl_msg_nest_end(struct aifab_nl_msg *m, size_t nest);
int aifab_nl_msg_attr_index(const struct aifab_nl_msg *m, uint32_t offs);

/*
 * Reply validation. A policy has one entry per attribute type of a set, up
 * to its max; MNL_TYPE_UNSPEC entries (and types above max) are skipped, so
 * that a newer kernel may add attributes. Strings are MNL_TYPE_NUL_STRING so
 * that they are known to be terminated.
 */
struct aifab_nl_policy {
	enum mnl_attr_data_type type;
	bool required;
};

int aifab_nl_parse(const struct nlmsghdr *nlh,
		   const struct aifab_nl_policy *policy, unsigned int max,
		   const struct nlattr **tb);
int aifab_nl_parse_nested(const struct nlattr *nest,
			  const struct aifab_nl_policy *policy,
			  unsigned int max, const struct nlattr **tb);
int aifab_nl_parse_err(const struct nlmsghdr *nlh, int *error,
		       const char **msg, uint32_t *offs);
int aifab_nl_copy_name(char *dst, const struct nlattr *attr);

/*
 * Called once per reply message; returns 0 or a negative errno value. The
 * message stays valid until the client's next request.
 */
typedef int (*aifab_nl_cb_t)(const struct nlmsghdr *nlh, void *data);

struct aifab_nl;

int aifab_nl_open(struct aifab_nl **nlp);
void aifab_nl_close(struct aifab_nl *nl);
const char *aifab_nl_open_strerror(int err);
int aifab_nl_exec(struct aifab_nl *nl, const struct aifab_nl_req *req,
		  aifab_nl_cb_t cb, void *data);
int aifab_nl_exec_msg(struct aifab_nl *nl, struct aifab_nl_msg *m,
		      aifab_nl_cb_t cb, void *data);
int aifab_nl_dump(struct aifab_nl *nl, uint8_t cmd, aifab_nl_cb_t cb,
		  void *data);
const char *aifab_nl_errmsg(const struct aifab_nl *nl);
int aifab_nl_err_attr(const struct aifab_nl *nl);
uint32_t aifab_nl_err_offs(const struct aifab_nl *nl);

int aifab_nl_join_monitor(struct aifab_nl *nl);
int aifab_nl_fd(const struct aifab_nl *nl);
int aifab_nl_recv_events(struct aifab_nl *nl, aifab_nl_cb_t cb, void *data);

#endif /* AIFAB_USERSPACE_NL_H */
