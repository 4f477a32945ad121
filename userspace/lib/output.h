/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print layer for text and JSON output of the aifab userspace tools.
 *
 * Callers describe every value once, with both a JSON key and a text format,
 * so that "aifabctl -j" can never drift from the human-readable output. The
 * document structure (arrays, objects, keys) is checked in text mode as well,
 * so a caller that misuses it fails in the mode developers test most often
 * rather than only under -j.
 *
 * Rules, in both modes:
 *  - Everything lives inside one top-level array or object, opened with a
 *    NULL key. It is emitted when aifab_out_flush() or aifab_out_free() runs.
 *  - Inside an object every value needs a key; inside an array none may have
 *    one. Duplicate keys are refused too, but only JSON mode can see them.
 *  - The first error sticks: later calls do nothing and return it again, so a
 *    caller may check only the result of aifab_out_flush().
 *
 * Text formats are applied to the value with printf() and must consume exactly
 * that one value: "%s" for strings and booleans, PRIu64/PRIx64 for unsigned
 * and PRId64 for signed integers. A NULL format prints nothing in text mode,
 * which gives JSON-only values; aifab_out_text() gives text-only output.
 */
#ifndef AIFAB_USERSPACE_OUTPUT_H
#define AIFAB_USERSPACE_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define AIFAB_OUT_JSON		(1U << 0)	/* JSON instead of text (-j) */
#define AIFAB_OUT_PRETTY	(1U << 1)	/* indented JSON (-p) */

/* Deepest allowed nesting of arrays and objects, the top level included. */
#define AIFAB_OUT_MAX_DEPTH	16

struct aifab_out;

struct aifab_out *aifab_out_new(FILE *f, unsigned int flags);
int aifab_out_flush(struct aifab_out *out);
void aifab_out_free(struct aifab_out *out);
bool aifab_out_is_json(const struct aifab_out *out);

int aifab_out_open_array(struct aifab_out *out, const char *key);
int aifab_out_close_array(struct aifab_out *out);
int aifab_out_open_object(struct aifab_out *out, const char *key);
int aifab_out_close_object(struct aifab_out *out);

int aifab_out_string(struct aifab_out *out, const char *key, const char *fmt,
		     const char *value);
int aifab_out_uint(struct aifab_out *out, const char *key, const char *fmt,
		   uint64_t value);
int aifab_out_int(struct aifab_out *out, const char *key, const char *fmt,
		  int64_t value);
int aifab_out_bool(struct aifab_out *out, const char *key, const char *fmt,
		   bool value);
int aifab_out_null(struct aifab_out *out, const char *key, const char *text);

int aifab_out_text(struct aifab_out *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int aifab_out_nl(struct aifab_out *out);

#endif /* AIFAB_USERSPACE_OUTPUT_H */
