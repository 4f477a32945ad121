// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the text/JSON output layer. Output goes to a memory stream
 * and is compared byte for byte, because the exact bytes are what scripts
 * parsing "aifabctl" output depend on.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json.h>

#include "output.h"

#define TEXT	0U
#define JSON	AIFAB_OUT_JSON
#define PRETTY	(AIFAB_OUT_JSON | AIFAB_OUT_PRETTY)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* UTF-8 as bytes so the test does not depend on the source file encoding. */
#define UTF8_E_ACUTE	"\xc3\xa9"
#define UTF8_EURO	"\xe2\x82\xac"
#define UTF8_EMOJI	"\xf0\x9f\x98\x80"

/* The document built by build_doc(), as json-c prints it without -p. */
#define DOC_PLAIN \
	"[{\"name\":\"fab0\",\"ports\":[1,2],\"stats\":{\"rx\":10," \
	"\"tx\":{\"pkts\":0}}},{\"name\":\"fab1\",\"ports\":[],\"stats\":{}}]\n"

/* Kept in the cmocka state so teardown releases it even after a failure. */
struct fixture {
	FILE *f;
	char *buf;
	size_t len;
	struct aifab_out *out;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->f = open_memstream(&fx->buf, &fx->len);
	if (!fx->f) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	aifab_out_free(fx->out);
	fclose(fx->f);
	free(fx->buf);
	free(fx);
	return 0;
}

/* Replaces any previous context: misuse tests need a fresh one per case. */
static struct aifab_out *fx_new(struct fixture *fx, unsigned int flags)
{
	aifab_out_free(fx->out);
	fx->out = aifab_out_new(fx->f, flags);
	assert_non_null(fx->out);
	return fx->out;
}

/* What reached the stream so far, without flushing the output context. */
static const char *fx_written(struct fixture *fx)
{
	assert_int_equal(fflush(fx->f), 0);
	return fx->buf;
}

static const char *fx_finish(struct fixture *fx)
{
	assert_int_equal(aifab_out_flush(fx->out), 0);
	return fx_written(fx);
}

static void build_port(struct aifab_out *out, const char *name, int nports,
		       int with_stats)
{
	assert_int_equal(aifab_out_open_object(out, NULL), 0);
	assert_int_equal(aifab_out_string(out, "name", "%s:", name), 0);
	assert_int_equal(aifab_out_open_array(out, "ports"), 0);
	for (int i = 1; i <= nports; i++)
		assert_int_equal(aifab_out_uint(out, NULL, " %" PRIu64, i), 0);
	assert_int_equal(aifab_out_close_array(out), 0);
	assert_int_equal(aifab_out_open_object(out, "stats"), 0);
	if (with_stats) {
		assert_int_equal(aifab_out_uint(out, "rx", " rx %" PRIu64, 10), 0);
		assert_int_equal(aifab_out_open_object(out, "tx"), 0);
		assert_int_equal(aifab_out_uint(out, "pkts", " tx %" PRIu64, 0), 0);
		assert_int_equal(aifab_out_close_object(out), 0);
	}
	assert_int_equal(aifab_out_close_object(out), 0);
	assert_int_equal(aifab_out_nl(out), 0);
	assert_int_equal(aifab_out_close_object(out), 0);
}

static void build_doc(struct aifab_out *out)
{
	assert_int_equal(aifab_out_open_array(out, NULL), 0);
	build_port(out, "fab0", 2, 1);
	build_port(out, "fab1", 0, 0);
	assert_int_equal(aifab_out_close_array(out), 0);
}

static void test_text_scalars(void **state)
{
	struct fixture *fx = *state;
	struct aifab_out *out = fx_new(fx, TEXT);

	assert_false(aifab_out_is_json(out));
	assert_int_equal(aifab_out_open_object(out, NULL), 0);
	assert_int_equal(aifab_out_string(out, "name", "dev %-6s|", "fab0"), 0);
	assert_int_equal(aifab_out_uint(out, "mtu", " mtu %" PRIu64, 9000), 0);
	assert_int_equal(aifab_out_uint(out, "mask", " 0x%08" PRIx64, 0xbeef), 0);
	assert_int_equal(aifab_out_int(out, "temp", " %+" PRId64 "C", -5), 0);
	assert_int_equal(aifab_out_bool(out, "up", " up %s", true), 0);
	assert_int_equal(aifab_out_bool(out, "lro", " lro=%s", false), 0);
	assert_int_equal(aifab_out_null(out, "peer", " -"), 0);
	assert_int_equal(aifab_out_string(out, "pct", " 100%%%s", ""), 0);
	assert_int_equal(aifab_out_nl(out), 0);
	assert_int_equal(aifab_out_close_object(out), 0);
	assert_string_equal(fx_finish(fx),
			    "dev fab0  | mtu 9000 0x0000beef -5C up true lro=false - 100%\n");
}

static void test_text_uint64_max(void **state)
{
	struct fixture *fx = *state;
	struct aifab_out *out = fx_new(fx, TEXT);

	assert_int_equal(aifab_out_open_array(out, NULL), 0);
	assert_int_equal(aifab_out_uint(out, NULL, "%" PRIu64, UINT64_MAX), 0);
	assert_int_equal(aifab_out_uint(out, NULL, " %" PRIx64, UINT64_MAX), 0);
	assert_int_equal(aifab_out_int(out, NULL, " %" PRId64, INT64_MIN), 0);
	assert_int_equal(aifab_out_close_array(out), 0);
	assert_string_equal(fx_finish(fx),
			    "18446744073709551615 ffffffffffffffff -9223372036854775808");
}

/* A NULL format hides a value from text; aifab_out_text() hides from JSON. */
static void test_text_mode_only_parts(void **state)
{
	struct fixture *fx = *state;
	struct aifab_out *out = fx_new(fx, TEXT);

	assert_int_equal(aifab_out_open_object(out, NULL), 0);
	assert_int_equal(aifab_out_text(out, "%-6s%s", "NAME", "ID\n"), 0);
	assert_int_equal(aifab_out_string(out, "name", "%-6s", "fab0"), 0);
	assert_int_equal(aifab_out_uint(out, "id", NULL, 7), 0);
	assert_int_equal(aifab_out_int(out, "idx", NULL, -7), 0);
	assert_int_equal(aifab_out_bool(out, "up", NULL, true), 0);
	assert_int_equal(aifab_out_string(out, "drv", NULL, "aifab"), 0);
	assert_int_equal(aifab_out_null(out, "peer", NULL), 0);
	assert_int_equal(aifab_out_uint(out, "uid", "%" PRIu64, 42), 0);
	assert_int_equal(aifab_out_nl(out), 0);
	assert_int_equal(aifab_out_close_object(out), 0);
	assert_string_equal(fx_finish(fx), "NAME  ID\nfab0  42\n");
}

static void test_json_ignores_text(void **state)
{
	struct fixture *fx = *state;
	struct aifab_out *out = fx_new(fx, JSON);

	assert_true(aifab_out_is_json(out));
	assert_int_equal(aifab_out_open_object(out, NULL), 0);
	assert_int_equal(aifab_out_text(out, "%s", "NAME\n"), 0);
	assert_int_equal(aifab_out_string(out, "name", "%-6s", "fab0"), 0);
	assert_int_equal(aifab_out_uint(out, "id", NULL, 7), 0);
	assert_int_equal(aifab_out_nl(out), 0);
	assert_int_equal(aifab_out_close_object(out), 0);
	/* JSON is held back until flush so no partial document escapes. */
	assert_string_equal(fx_written(fx), "");
	assert_string_equal(fx_finish(fx), "{\"name\":\"fab0\",\"id\":7}\n");
}

static void test_json_nested(void **state)
{
	struct fixture *fx = *state;

	build_doc(fx_new(fx, JSON));
	assert_string_equal(fx_finish(fx), DOC_PLAIN);
}

static void test_text_nested(void **state)
{
	struct fixture *fx = *state;

	build_doc(fx_new(fx, TEXT));
	assert_string_equal(fx_finish(fx), "fab0: 1 2 rx 10 tx 0\nfab1:\n");
}

static void test_json_null_bool(void **state)
{
	struct fixture *fx = *state;
	struct aifab_out *out = fx_new(fx, JSON);

	assert_int_equal(aifab_out_open_object(out, NULL), 0);
	assert_int_equal(aifab_out_bool(out, "up", "%s", true), 0);
	assert_int_equal(aifab_out_bool(out, "lro", "%s", false), 0);
	assert_int_equal(aifab_out_null(out, "peer", "-"), 0);
	assert_int_equal(aifab_out_open_array(out, "list"), 0);
	assert_int_equal(aifab_out_null(out, NULL, "-"), 0);
	assert_int_equal(aifab_out_bool(out, NULL, "%s", true), 0);
	assert_int_equal(aifab_out_close_array(out), 0);
	assert_int_equal(aifab_out_close_object(out), 0);
	assert_string_equal(fx_finish(fx),
			    "{\"up\":true,\"lro\":false,\"peer\":null,\"list\":[null,true]}\n");
}

static void test_json_int_limits(void **state)
{
	struct fixture *fx = *state;
	struct aifab_out *out = fx_new(fx, JSON);

	assert_int_equal(aifab_out_open_object(out, NULL), 0);
	assert_int_equal(aifab_out_uint(out, "umax", "%" PRIu64, UINT64_MAX), 0);
	assert_int_equal(aifab_out_uint(out, "umin", "%" PRIu64, 0), 0);
	assert_int_equal(aifab_out_int(out, "smin", "%" PRId64, INT64_MIN), 0);
	assert_int_equal(aifab_out_int(out, "smax", "%" PRId64, INT64_MAX), 0);
	assert_int_equal(aifab_out_close_object(out), 0);
	assert_string_equal(fx_finish(fx),
			    "{\"umax\":18446744073709551615,\"umin\":0,"
			    "\"smin\":-9223372036854775808,\"smax\":9223372036854775807}\n");
}

static void test_json_string_escaping(void **state)
{
	struct fixture *fx = *state;
	struct aifab_out *out = fx_new(fx, JSON);

	assert_int_equal(aifab_out_open_object(out, NULL), 0);
	assert_int_equal(aifab_out_string(out, "k\"ey\\", "%s", "q\"b\\s/"), 0);
	assert_int_equal(aifab_out_string(out, "ctl", "%s", "\n\t\r\b\f\x01\x1f\x7f"), 0);
	assert_int_equal(aifab_out_string(out, "utf8", "%s",
					  UTF8_E_ACUTE UTF8_EURO UTF8_EMOJI), 0);
	assert_int_equal(aifab_out_string(out, "empty", "%s", ""), 0);
	assert_int_equal(aifab_out_close_object(out), 0);
	assert_string_equal(fx_finish(fx),
			    "{\"k\\\"ey\\\\\":\"q\\\"b\\\\s/\","
			    "\"ctl\":\"\\n\\t\\r\\b\\f\\u0001\\u001f\x7f\","
			    "\"utf8\":\"" UTF8_E_ACUTE UTF8_EURO UTF8_EMOJI "\","
			    "\"empty\":\"\"}\n");
}

static void test_json_pretty_roundtrip(void **state)
{
	struct fixture *fx = *state;
	struct json_object *got, *want;
	const char *s;

	build_doc(fx_new(fx, PRETTY));
	s = fx_finish(fx);
	/* Indented over several lines, unlike the plain form. */
	assert_non_null(strstr(s, "[\n  {\n    \"name\": \"fab0\",\n"));
	assert_int_equal(s[strlen(s) - 1], '\n');
	got = json_tokener_parse(s);
	want = json_tokener_parse(DOC_PLAIN);
	assert_non_null(got);
	assert_non_null(want);
	assert_true(json_object_equal(got, want));
	json_object_put(got);
	json_object_put(want);
}

typedef void (*misuse_fn)(struct aifab_out *out);

/* Runs @fn once per mode: structure checks must not depend on -j. */
static void run_in_each_mode(struct fixture *fx, misuse_fn fn)
{
	static const unsigned int modes[] = { TEXT, JSON, PRETTY };

	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		fn(fx_new(fx, modes[i]));
		assert_int_equal(aifab_out_flush(fx->out), -EINVAL);
		assert_string_equal(fx_written(fx), "");
	}
}

static void close_array_unopened(struct aifab_out *out)
{
	assert_int_equal(aifab_out_close_array(out), -EINVAL);
}

static void close_object_unopened(struct aifab_out *out)
{
	assert_int_equal(aifab_out_close_object(out), -EINVAL);
}

static void close_after_root_closed(struct aifab_out *out)
{
	assert_int_equal(aifab_out_open_object(out, NULL), 0);
	assert_int_equal(aifab_out_close_object(out), 0);
	assert_int_equal(aifab_out_close_object(out), -EINVAL);
}

static void close_wrong_kind(struct aifab_out *out)
{
	assert_int_equal(aifab_out_open_array(out, NULL), 0);
	assert_int_equal(aifab_out_close_object(out), -EINVAL);
}

static void test_misuse_close(void **state)
{
	struct fixture *fx = *state;

	run_in_each_mode(fx, close_array_unopened);
	run_in_each_mode(fx, close_object_unopened);
	run_in_each_mode(fx, close_after_root_closed);
	run_in_each_mode(fx, close_wrong_kind);
}

static void nest_too_deep(struct aifab_out *out)
{
	for (int i = 0; i < AIFAB_OUT_MAX_DEPTH; i++)
		assert_int_equal(aifab_out_open_array(out, NULL), 0);
	assert_int_equal(aifab_out_open_array(out, NULL), -EINVAL);
}

/* The limit itself must still work, so the check is not off by one. */
static void test_max_depth(void **state)
{
	struct fixture *fx = *state;
	struct aifab_out *out = fx_new(fx, JSON);
	char want[2 * AIFAB_OUT_MAX_DEPTH + 2];

	for (int i = 0; i < AIFAB_OUT_MAX_DEPTH; i++) {
		assert_int_equal(aifab_out_open_array(out, NULL), 0);
		want[i] = '[';
		want[2 * AIFAB_OUT_MAX_DEPTH - 1 - i] = ']';
	}
	for (int i = 0; i < AIFAB_OUT_MAX_DEPTH; i++)
		assert_int_equal(aifab_out_close_array(out), 0);
	want[2 * AIFAB_OUT_MAX_DEPTH] = '\n';
	want[2 * AIFAB_OUT_MAX_DEPTH + 1] = '\0';
	assert_string_equal(fx_finish(fx), want);
}

static void test_misuse_too_deep(void **state)
{
	run_in_each_mode(*state, nest_too_deep);
}

static void key_missing_in_object(struct aifab_out *out)
{
	assert_int_equal(aifab_out_open_object(out, NULL), 0);
	assert_int_equal(aifab_out_string(out, NULL, "%s", "x"), -EINVAL);
}

static void key_missing_for_container(struct aifab_out *out)
{
	assert_int_equal(aifab_out_open_object(out, NULL), 0);
	assert_int_equal(aifab_out_open_array(out, NULL), -EINVAL);
}

static void key_in_array(struct aifab_out *out)
{
	assert_int_equal(aifab_out_open_array(out, NULL), 0);
	assert_int_equal(aifab_out_null(out, "k", "-"), -EINVAL);
}

static void key_at_top_level(struct aifab_out *out)
{
	assert_int_equal(aifab_out_open_object(out, "k"), -EINVAL);
}

static void value_at_top_level(struct aifab_out *out)
{
	assert_int_equal(aifab_out_uint(out, NULL, "%" PRIu64, 1), -EINVAL);
}

static void second_root(struct aifab_out *out)
{
	assert_int_equal(aifab_out_open_array(out, NULL), 0);
	assert_int_equal(aifab_out_close_array(out), 0);
	assert_int_equal(aifab_out_open_array(out, NULL), -EINVAL);
}

static void left_open(struct aifab_out *out)
{
	assert_int_equal(aifab_out_open_object(out, NULL), 0);
	assert_int_equal(aifab_out_open_object(out, "inner"), 0);
	assert_int_equal(aifab_out_close_object(out), 0);
}

static void test_misuse_keys(void **state)
{
	struct fixture *fx = *state;

	run_in_each_mode(fx, key_missing_in_object);
	run_in_each_mode(fx, key_missing_for_container);
	run_in_each_mode(fx, key_in_array);
	run_in_each_mode(fx, key_at_top_level);
}

static void test_misuse_structure(void **state)
{
	struct fixture *fx = *state;

	run_in_each_mode(fx, value_at_top_level);
	run_in_each_mode(fx, second_root);
	run_in_each_mode(fx, left_open);
}

static void test_misuse_duplicate_key(void **state)
{
	struct fixture *fx = *state;
	struct aifab_out *out = fx_new(fx, JSON);

	assert_int_equal(aifab_out_open_object(out, NULL), 0);
	assert_int_equal(aifab_out_uint(out, "a", NULL, 1), 0);
	assert_int_equal(aifab_out_open_array(out, "a"), -EEXIST);
	assert_int_equal(aifab_out_flush(out), -EEXIST);
	assert_string_equal(fx_written(fx), "");
}

/* After the first error nothing more is printed, in text mode too. */
static void test_error_is_sticky(void **state)
{
	struct fixture *fx = *state;
	struct aifab_out *out = fx_new(fx, TEXT);

	assert_int_equal(aifab_out_open_object(out, NULL), 0);
	assert_int_equal(aifab_out_string(out, "a", "%s", "ok "), 0);
	assert_int_equal(aifab_out_string(out, "b", "%s", NULL), -EINVAL);
	assert_int_equal(aifab_out_string(out, "c", "%s", "late"), -EINVAL);
	assert_int_equal(aifab_out_text(out, "%s", "late"), -EINVAL);
	assert_int_equal(aifab_out_nl(out), -EINVAL);
	assert_int_equal(aifab_out_close_object(out), -EINVAL);
	assert_int_equal(aifab_out_open_array(out, "d"), -EINVAL);
	assert_int_equal(aifab_out_flush(out), -EINVAL);
	assert_string_equal(fx_written(fx), "ok ");
}

static void test_invalid_args(void **state)
{
	struct fixture *fx = *state;

	errno = 0;
	assert_null(aifab_out_new(NULL, TEXT));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(aifab_out_new(fx->f, 1U << 2));
	assert_int_equal(errno, EINVAL);

	assert_int_equal(aifab_out_flush(NULL), -EINVAL);
	assert_false(aifab_out_is_json(NULL));
	assert_int_equal(aifab_out_open_array(NULL, NULL), -EINVAL);
	assert_int_equal(aifab_out_close_array(NULL), -EINVAL);
	assert_int_equal(aifab_out_open_object(NULL, NULL), -EINVAL);
	assert_int_equal(aifab_out_close_object(NULL), -EINVAL);
	assert_int_equal(aifab_out_string(NULL, NULL, "%s", "x"), -EINVAL);
	assert_int_equal(aifab_out_uint(NULL, NULL, "%" PRIu64, 1), -EINVAL);
	assert_int_equal(aifab_out_int(NULL, NULL, "%" PRId64, 1), -EINVAL);
	assert_int_equal(aifab_out_bool(NULL, NULL, "%s", true), -EINVAL);
	assert_int_equal(aifab_out_null(NULL, NULL, "-"), -EINVAL);
	assert_int_equal(aifab_out_text(NULL, "%s", "x"), -EINVAL);
	assert_int_equal(aifab_out_nl(NULL), -EINVAL);
	aifab_out_free(NULL);

	/* -p without -j is harmless, as in iproute2. */
	build_doc(fx_new(fx, AIFAB_OUT_PRETTY));
	assert_string_equal(fx_finish(fx), "fab0: 1 2 rx 10 tx 0\nfab1:\n");
}

/* A read-only stream makes every write fail, like a closed pipe would. */
static void write_error_in(unsigned int flags)
{
	int early = (flags & AIFAB_OUT_JSON) ? 0 : -EIO;
	FILE *ro = fopen("/dev/null", "r");
	struct aifab_out *out;

	assert_non_null(ro);
	out = aifab_out_new(ro, flags);
	assert_non_null(out);
	assert_int_equal(aifab_out_open_array(out, NULL), 0);
	assert_int_equal(aifab_out_string(out, NULL, "%s", "x"), early);
	assert_int_equal(aifab_out_close_array(out), early);
	assert_int_equal(aifab_out_flush(out), -EIO);
	aifab_out_free(out);
	fclose(ro);
}

static void test_write_error(void **state)
{
	(void)state;
	write_error_in(TEXT);
	write_error_in(JSON);
}

static void test_flush_twice(void **state)
{
	struct fixture *fx = *state;
	struct aifab_out *out = fx_new(fx, JSON);

	assert_int_equal(aifab_out_open_array(out, NULL), 0);
	assert_int_equal(aifab_out_close_array(out), 0);
	assert_int_equal(aifab_out_flush(out), 0);
	assert_int_equal(aifab_out_flush(out), 0);
	aifab_out_free(out);
	fx->out = NULL;
	assert_string_equal(fx_written(fx), "[]\n");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_text_scalars),
		T(test_text_uint64_max),
		T(test_text_mode_only_parts),
		T(test_json_ignores_text),
		T(test_json_nested),
		T(test_text_nested),
		T(test_json_null_bool),
		T(test_json_int_limits),
		T(test_json_string_escaping),
		T(test_json_pretty_roundtrip),
		T(test_misuse_close),
		T(test_max_depth),
		T(test_misuse_too_deep),
		T(test_misuse_keys),
		T(test_misuse_structure),
		T(test_misuse_duplicate_key),
		T(test_error_is_sticky),
		T(test_invalid_args),
		T(test_write_error),
		T(test_flush_twice),
	};

	if (cmocka_run_group_tests_name("output", tests, NULL, NULL))
		return EXIT_FAILURE;
	return EXIT_SUCCESS;
}
