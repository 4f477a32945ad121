/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line helpers shared by the C tools (allreduce, rdma_allreduce,
 * secret_holder), so that their options read numbers the same way.
 */
#ifndef AIFAB_TOOLS_ARGS_H
#define AIFAB_TOOLS_ARGS_H

#include <stdint.h>

int args_parse_u64(const char *s, int base, uint64_t max, uint64_t *v);

#endif /* AIFAB_TOOLS_ARGS_H */
