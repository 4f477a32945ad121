// SPDX-License-Identifier: GPL-2.0
/*
 * Text and JSON output for the aifab userspace tools; see output.h for the
 * rules callers follow.
 *
 * JSON is built as a json-c tree and serialised once at flush time, so that
 * escaping and number formatting are json-c's job and a document that was
 * left half-built by an error is never printed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include <json.h>

#include "output.h"

enum out_kind {
	OUT_ARRAY,
	OUT_OBJECT,
};

struct out_frame {
	struct json_object *jv;		/* borrowed: owned by parent or root */
	enum out_kind kind;
};

struct aifab_out {
	FILE *f;
	struct json_object *root;	/* owned until flushed */
	struct out_frame stack[AIFAB_OUT_MAX_DEPTH];
	unsigned int depth;
	int json_flags;
	bool json;
	bool had_root;
	int err;
};

/**
 * out_fail() - Record the first error of an output context.
 * @out: Output context.
 * @err: Negative errno value.
 *
 * Later calls must not build on a structure that is already known to be
 * wrong, so only the first error is kept and every later call reports it.
 *
 * Return: The error now recorded in @out.
 */
static int out_fail(struct aifab_out *out, int err)
{
	if (!out->err)
		out->err = err;
	return out->err;
}

/**
 * out_wrote() - Turn the result of a stdio call into an error code.
 * @out: Output context.
 * @n: Value returned by fprintf(), vfprintf() or fputs().
 *
 * Return: 0 if @n shows success, otherwise -EIO (or an earlier error).
 */
static int out_wrote(struct aifab_out *out, int n)
{
	return n < 0 ? out_fail(out, -EIO) : 0;
}

/**
 * out_key_check() - Check @key against the innermost open container.
 * @out: Output context with at least one open container.
 * @key: Key given by the caller, or NULL.
 *
 * Duplicate keys are refused because json-c would silently replace the
 * earlier value, and the text output would then show data the JSON lacks.
 *
 * Return: 0 if @key fits, -EINVAL if it is missing in an object or present
 * in an array, -EEXIST if the object already has it.
 */
static int out_key_check(struct aifab_out *out, const char *key)
{
	const struct out_frame *top = &out->stack[out->depth - 1];
	bool want_key = top->kind == OUT_OBJECT;

	if (want_key != !!key)
		return out_fail(out, -EINVAL);
	if (out->json && key && json_object_object_get_ex(top->jv, key, NULL))
		return out_fail(out, -EEXIST);
	return 0;
}

/**
 * out_value_check() - Check that a value may be added now.
 * @out: Output context, possibly NULL.
 * @key: Key given by the caller, or NULL.
 *
 * Return: 0 if the value may be added, otherwise a negative errno value.
 */
static int out_value_check(struct aifab_out *out, const char *key)
{
	if (!out)
		return -EINVAL;
	if (out->err)
		return out->err;
	if (!out->depth)
		return out_fail(out, -EINVAL);
	return out_key_check(out, key);
}

/**
 * out_open_check() - Check that a container may be opened now.
 * @out: Output context, possibly NULL.
 * @key: Key given by the caller, or NULL.
 *
 * A second top-level container is refused because it would make the JSON
 * output two documents, which JSON parsers reject.
 *
 * Return: 0 if the container may be opened, otherwise a negative errno value.
 */
static int out_open_check(struct aifab_out *out, const char *key)
{
	if (!out)
		return -EINVAL;
	if (out->err)
		return out->err;
	if (out->depth == AIFAB_OUT_MAX_DEPTH)
		return out_fail(out, -EINVAL);
	if (!out->depth)
		return key || out->had_root ? out_fail(out, -EINVAL) : 0;
	return out_key_check(out, key);
}

/**
 * out_link() - Add a JSON value to the innermost open container.
 * @out: Output context in JSON mode, already checked for @key.
 * @key: Key inside an object, NULL inside an array.
 * @jv: Value to add; NULL is JSON null. Consumed even on failure.
 *
 * Return: 0 on success, -ENOMEM if json-c could not grow the container.
 */
static int out_link(struct aifab_out *out, const char *key,
		    struct json_object *jv)
{
	struct json_object *parent = out->stack[out->depth - 1].jv;
	int ret;

	if (key)
		ret = json_object_object_add(parent, key, jv);
	else
		ret = json_object_array_add(parent, jv);
	if (ret) {
		json_object_put(jv);
		return out_fail(out, -ENOMEM);
	}
	return 0;
}

/**
 * out_attach() - Add a freshly allocated JSON value to the open container.
 * @out: Output context in JSON mode, already checked for @key.
 * @key: Key inside an object, NULL inside an array.
 * @jv: Value from a json_object_new_*() call; NULL means that call failed.
 *
 * Return: 0 on success, -ENOMEM on allocation failure.
 */
static int out_attach(struct aifab_out *out, const char *key,
		      struct json_object *jv)
{
	if (!jv)
		return out_fail(out, -ENOMEM);
	return out_link(out, key, jv);
}

/**
 * out_open() - Open an array or object.
 * @out: Output context, possibly NULL.
 * @key: Key inside an object, NULL inside an array or at the top level.
 * @kind: Whether an array or an object is opened.
 *
 * Return: 0 on success, otherwise a negative errno value.
 */
static int out_open(struct aifab_out *out, const char *key, enum out_kind kind)
{
	struct json_object *jv = NULL;
	int ret = out_open_check(out, key);

	if (ret)
		return ret;
	if (out->json) {
		jv = kind == OUT_OBJECT ? json_object_new_object() :
					  json_object_new_array();
		if (!jv)
			return out_fail(out, -ENOMEM);
		if (out->depth) {
			ret = out_link(out, key, jv);
			if (ret)
				return ret;
		} else {
			out->root = jv;
		}
	}
	out->had_root = true;
	out->stack[out->depth].jv = jv;
	out->stack[out->depth].kind = kind;
	out->depth++;
	return 0;
}

/**
 * out_close() - Close the innermost array or object.
 * @out: Output context, possibly NULL.
 * @kind: Kind the caller believes it is closing.
 *
 * Return: 0 on success, -EINVAL if nothing of @kind is innermost.
 */
static int out_close(struct aifab_out *out, enum out_kind kind)
{
	if (!out)
		return -EINVAL;
	if (out->err)
		return out->err;
	if (!out->depth || out->stack[out->depth - 1].kind != kind)
		return out_fail(out, -EINVAL);
	out->depth--;
	return 0;
}

/**
 * out_emit_json() - Serialise and release the finished JSON document.
 * @out: Output context with no open container.
 *
 * The tree is released once written so that a second flush does not print
 * the document twice.
 *
 * Return: 0 on success or if there is nothing to emit, otherwise a negative
 * errno value.
 */
static int out_emit_json(struct aifab_out *out)
{
	const char *s;
	int ret;

	if (!out->root)
		return 0;
	s = json_object_to_json_string_ext(out->root, out->json_flags);
	if (!s)
		return out_fail(out, -ENOMEM);
	ret = out_wrote(out, fprintf(out->f, "%s\n", s));
	json_object_put(out->root);
	out->root = NULL;
	return ret;
}

/**
 * aifab_out_new() - Create an output context.
 * @f: Stream to write to. It stays owned by the caller and is not closed.
 * @flags: Zero for text, or AIFAB_OUT_JSON optionally with AIFAB_OUT_PRETTY.
 *         AIFAB_OUT_PRETTY alone is accepted and ignored, like iproute2's -p.
 *
 * Return: A new context to release with aifab_out_free(), or NULL with errno
 * set to EINVAL (NULL @f, unknown flag) or ENOMEM.
 */
struct aifab_out *aifab_out_new(FILE *f, unsigned int flags)
{
	struct aifab_out *out;

	if (!f || (flags & ~(AIFAB_OUT_JSON | AIFAB_OUT_PRETTY))) {
		errno = EINVAL;
		return NULL;
	}
	out = calloc(1, sizeof(*out));
	if (!out)
		return NULL;
	out->f = f;
	out->json = flags & AIFAB_OUT_JSON;
	/* Escaped slashes only hurt readability; JSON does not require them. */
	out->json_flags = JSON_C_TO_STRING_NOSLASHESCAPE;
	if (flags & AIFAB_OUT_PRETTY)
		out->json_flags |= JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED;
	return out;
}

/**
 * aifab_out_flush() - Write out everything built so far.
 * @out: Output context.
 *
 * In JSON mode the document is printed, followed by a newline; in both modes
 * the stream is flushed. Nothing is printed in JSON mode after an error, so
 * consumers never see a truncated document.
 *
 * Return: 0 on success, the first error recorded in @out, -EINVAL if a
 * container is still open or @out is NULL, or -EIO if writing failed.
 */
int aifab_out_flush(struct aifab_out *out)
{
	int ret;

	if (!out)
		return -EINVAL;
	if (out->err)
		return out->err;
	if (out->depth)
		return out_fail(out, -EINVAL);
	ret = out_emit_json(out);
	if (ret)
		return ret;
	return fflush(out->f) == EOF ? out_fail(out, -EIO) : 0;
}

/**
 * aifab_out_free() - Flush and release an output context.
 * @out: Output context, or NULL.
 *
 * Callers that need to know whether the output was complete call
 * aifab_out_flush() first; this only releases after a best-effort flush.
 */
void aifab_out_free(struct aifab_out *out)
{
	if (!out)
		return;
	aifab_out_flush(out);
	json_object_put(out->root);
	free(out);
}

/**
 * aifab_out_is_json() - Tell whether a context produces JSON.
 * @out: Output context.
 *
 * Return: true in JSON mode, false in text mode or if @out is NULL.
 */
bool aifab_out_is_json(const struct aifab_out *out)
{
	return out && out->json;
}

/**
 * aifab_out_open_array() - Open an array.
 * @out: Output context.
 * @key: Key inside an object, NULL inside an array or at the top level.
 *
 * Prints nothing in text mode.
 *
 * Return: 0 on success, -EINVAL on misuse (wrong @key, too deep, second
 * top-level container), -EEXIST for a duplicate key, -ENOMEM.
 */
int aifab_out_open_array(struct aifab_out *out, const char *key)
{
	return out_open(out, key, OUT_ARRAY);
}

/**
 * aifab_out_close_array() - Close the array opened last.
 * @out: Output context.
 *
 * Return: 0 on success, -EINVAL if the innermost container is not an array.
 */
int aifab_out_close_array(struct aifab_out *out)
{
	return out_close(out, OUT_ARRAY);
}

/**
 * aifab_out_open_object() - Open an object.
 * @out: Output context.
 * @key: Key inside an object, NULL inside an array or at the top level.
 *
 * Prints nothing in text mode.
 *
 * Return: 0 on success, -EINVAL on misuse (wrong @key, too deep, second
 * top-level container), -EEXIST for a duplicate key, -ENOMEM.
 */
int aifab_out_open_object(struct aifab_out *out, const char *key)
{
	return out_open(out, key, OUT_OBJECT);
}

/**
 * aifab_out_close_object() - Close the object opened last.
 * @out: Output context.
 *
 * Return: 0 on success, -EINVAL if the innermost container is not an object.
 */
int aifab_out_close_object(struct aifab_out *out)
{
	return out_close(out, OUT_OBJECT);
}

/**
 * aifab_out_string() - Output a string.
 * @out: Output context.
 * @key: Key inside an object, NULL inside an array.
 * @fmt: Text-mode format taking one const char *, or NULL for JSON only.
 * @value: The string; not NULL (use aifab_out_null() for missing values).
 *
 * Return: 0 on success, -EINVAL on misuse, -EEXIST for a duplicate key,
 * -ENOMEM, or -EIO if writing failed.
 */
int aifab_out_string(struct aifab_out *out, const char *key, const char *fmt,
		     const char *value)
{
	int ret = out_value_check(out, key);

	if (ret)
		return ret;
	if (!value)
		return out_fail(out, -EINVAL);
	if (out->json)
		return out_attach(out, key, json_object_new_string(value));
	return fmt ? out_wrote(out, fprintf(out->f, fmt, value)) : 0;
}

/**
 * aifab_out_uint() - Output an unsigned integer.
 * @out: Output context.
 * @key: Key inside an object, NULL inside an array.
 * @fmt: Text-mode format taking one uint64_t (PRIu64, PRIx64), or NULL.
 * @value: The number; JSON keeps all 64 bits.
 *
 * Return: 0 on success, -EINVAL on misuse, -EEXIST for a duplicate key,
 * -ENOMEM, or -EIO if writing failed.
 */
int aifab_out_uint(struct aifab_out *out, const char *key, const char *fmt,
		   uint64_t value)
{
	int ret = out_value_check(out, key);

	if (ret)
		return ret;
	if (out->json)
		return out_attach(out, key, json_object_new_uint64(value));
	return fmt ? out_wrote(out, fprintf(out->f, fmt, value)) : 0;
}

/**
 * aifab_out_int() - Output a signed integer.
 * @out: Output context.
 * @key: Key inside an object, NULL inside an array.
 * @fmt: Text-mode format taking one int64_t (PRId64), or NULL.
 * @value: The number.
 *
 * Return: 0 on success, -EINVAL on misuse, -EEXIST for a duplicate key,
 * -ENOMEM, or -EIO if writing failed.
 */
int aifab_out_int(struct aifab_out *out, const char *key, const char *fmt,
		  int64_t value)
{
	int ret = out_value_check(out, key);

	if (ret)
		return ret;
	if (out->json)
		return out_attach(out, key, json_object_new_int64(value));
	return fmt ? out_wrote(out, fprintf(out->f, fmt, value)) : 0;
}

/**
 * aifab_out_bool() - Output a boolean.
 * @out: Output context.
 * @key: Key inside an object, NULL inside an array.
 * @fmt: Text-mode format taking one const char *, "true" or "false", or NULL.
 * @value: The boolean.
 *
 * Return: 0 on success, -EINVAL on misuse, -EEXIST for a duplicate key,
 * -ENOMEM, or -EIO if writing failed.
 */
int aifab_out_bool(struct aifab_out *out, const char *key, const char *fmt,
		   bool value)
{
	int ret = out_value_check(out, key);

	if (ret)
		return ret;
	if (out->json)
		return out_attach(out, key, json_object_new_boolean(value));
	if (!fmt)
		return 0;
	return out_wrote(out, fprintf(out->f, fmt, value ? "true" : "false"));
}

/**
 * aifab_out_null() - Output a missing value.
 * @out: Output context.
 * @key: Key inside an object, NULL inside an array.
 * @text: Printed as is in text mode (e.g. "-"), or NULL to print nothing.
 *
 * JSON gets null rather than an omitted key so that consumers see the same
 * set of keys for every entry.
 *
 * Return: 0 on success, -EINVAL on misuse, -EEXIST for a duplicate key,
 * -ENOMEM, or -EIO if writing failed.
 */
int aifab_out_null(struct aifab_out *out, const char *key, const char *text)
{
	int ret = out_value_check(out, key);

	if (ret)
		return ret;
	if (out->json)
		return out_link(out, key, NULL);
	return text ? out_wrote(out, fputs(text, out->f)) : 0;
}

/**
 * aifab_out_text() - Print text in text mode only.
 * @out: Output context.
 * @fmt: printf() format.
 * @...: Arguments for @fmt.
 *
 * For labels, separators and table headers that have no place in JSON.
 *
 * Return: 0 on success or in JSON mode, -EINVAL if @out or @fmt is NULL,
 * -EIO if writing failed, or the first error recorded earlier.
 */
int aifab_out_text(struct aifab_out *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!out || !fmt)
		return -EINVAL;
	if (out->err)
		return out->err;
	if (out->json)
		return 0;
	va_start(ap, fmt);
	n = vfprintf(out->f, fmt, ap);
	va_end(ap);
	return out_wrote(out, n);
}

/**
 * aifab_out_nl() - End a line in text mode only.
 * @out: Output context.
 *
 * Return: As aifab_out_text().
 */
int aifab_out_nl(struct aifab_out *out)
{
	return aifab_out_text(out, "\n");
}
