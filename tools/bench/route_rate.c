// SPDX-License-Identifier: GPL-2.0
/*
 * route_rate: how many ROUTE_GET lookups per second the kernel answers.
 *
 *   route_rate SECONDS DEV...
 *
 * Asks for routes between pseudo-random pairs of the given devices over
 * one netlink socket, one request in flight at a time, for SECONDS, and
 * prints "route_get_per_s N". Talks libmnl directly so that process start
 * and CLI parsing are not what gets measured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include <linux/aifab.h>

static int family_id_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
		*(int *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_id_cb, data);
}

static struct nlmsghdr *put_request(char *buf, int type, int cmd, int version,
				    unsigned int seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/* One request, and its replies up to the ACK. */
static int transact(struct mnl_socket *nl, struct nlmsghdr *nlh,
		    mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int portid = mnl_socket_get_portid(nl);
	int ret;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		ret = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret < 0)
			return -errno;
		ret = mnl_cb_run(buf, ret, nlh->nlmsg_seq, portid, cb, data);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned long n = 0, rnd = 12345;
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	double seconds, start;
	int family = -1, ndev;

	if (argc < 4 || (seconds = atof(argv[1])) <= 0) {
		fprintf(stderr, "usage: route_rate SECONDS DEV DEV...\n");
		return 1;
	}
	ndev = argc - 2;
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("route_rate: netlink");
		return 1;
	}
	nlh = put_request(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, AIFAB_FAMILY_NAME);
	if (transact(nl, nlh, family_cb, &family) || family < 0) {
		fprintf(stderr, "route_rate: the aifab module is not loaded\n");
		return 1;
	}
	start = now_s();
	while (now_s() - start < seconds) {
		/* A small LCG: reproducible pairs, no libc state. */
		rnd = rnd * 6364136223846793005UL + 1442695040888963407UL;
		nlh = put_request(buf, family, AIFAB_CMD_ROUTE_GET,
				  AIFAB_FAMILY_VERSION, n + 2);
		mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_SRC, argv[2 + (rnd >> 33) % ndev]);
		mnl_attr_put_strz(nlh, AIFAB_A_ROUTE_DST, argv[2 + (rnd >> 17) % ndev]);
		if (transact(nl, nlh, NULL, NULL)) {
			perror("route_rate: route-get");
			return 1;
		}
		n++;
	}
	printf("route_get_per_s %.0f\n", n / (now_s() - start));
	mnl_socket_close(nl);
	return 0;
}
