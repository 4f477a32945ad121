// SPDX-License-Identifier: GPL-2.0
/*
 * REDUCE's arithmetic. This file alone is built with SSE enabled (see
 * Kbuild), so it may hold floating-point code; its callers bracket every
 * call with kernel_fpu_begin() and kernel_fpu_end().
 */
#include <linux/types.h>

#include "accel.h"

#define AIFAB_REDUCE_LOOP(type, dst, src, n, expr)	\
	do {						\
		type *__d = (dst);			\
		const type *__s = (src);		\
		size_t __i;				\
							\
		for (__i = 0; __i < (n); __i++) {	\
			type a = __d[__i], b = __s[__i];	\
							\
			__d[__i] = (expr);		\
		}					\
	} while (0)

static void aifab_reduce_f32(float *d, const float *s, size_t n, u32 op)
{
	switch (op) {
	case AIFAB_ACCEL_REDUCE_SUM:
		AIFAB_REDUCE_LOOP(float, d, s, n, a + b);
		break;
	case AIFAB_ACCEL_REDUCE_MIN:
		AIFAB_REDUCE_LOOP(float, d, s, n, b < a ? b : a);
		break;
	case AIFAB_ACCEL_REDUCE_MAX:
		AIFAB_REDUCE_LOOP(float, d, s, n, b > a ? b : a);
		break;
	}
}

/* Sums wrap as two's complement: done in u32, where overflow is defined. */
static void aifab_reduce_i32(s32 *d, const s32 *s, size_t n, u32 op)
{
	switch (op) {
	case AIFAB_ACCEL_REDUCE_SUM:
		AIFAB_REDUCE_LOOP(s32, d, s, n, (s32)((u32)a + (u32)b));
		break;
	case AIFAB_ACCEL_REDUCE_MIN:
		AIFAB_REDUCE_LOOP(s32, d, s, n, b < a ? b : a);
		break;
	case AIFAB_ACCEL_REDUCE_MAX:
		AIFAB_REDUCE_LOOP(s32, d, s, n, b > a ? b : a);
		break;
	}
}

/**
 * aifab_accel_reduce() - dst[i] = op(dst[i], src[i]) for i below @n
 * @dst: the destination elements
 * @src: the source elements
 * @n: how many elements
 * @dtype: &enum drm_aifab_accel_dtype
 * @op: &enum drm_aifab_accel_reduce_op
 *
 * The submit ioctl checked @dtype and @op. Call with the FPU enabled.
 */
void aifab_accel_reduce(void *dst, const void *src, size_t n, u32 dtype,
			u32 op)
{
	if (dtype == AIFAB_ACCEL_DTYPE_F32)
		aifab_reduce_f32(dst, src, n, op);
	else
		aifab_reduce_i32(dst, src, n, op);
}
