/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timing and percentiles, shared by the benchmarks so that every figure
 * they print is taken and ranked the same way.
 */
#ifndef AIFAB_BENCH_STATS_H
#define AIFAB_BENCH_STATS_H

#include <stdlib.h>
#include <time.h>

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of @n samples, which it sorts. */
static inline double percentile(double *v, unsigned long n, unsigned int pct)
{
	unsigned long rank = (n * pct + 99) / 100;

	qsort(v, n, sizeof(*v), cmp_double);
	return v[rank ? rank - 1 : 0];
}

#endif /* AIFAB_BENCH_STATS_H */
