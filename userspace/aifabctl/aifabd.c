// SPDX-License-Identifier: GPL-2.0
/*
 * aifabctl reload, aifabctl health: talking to aifabd rather than to the
 * kernel.
 *
 *   aifabctl reload [--run-dir DIR]
 *   aifabctl [-j] health show [-j] [--run-dir DIR]
 *
 * reload asks a running aifabd, over its control socket, to read its
 * configuration again and apply it, and prints what it did. health show
 * reads the status file aifabd keeps (<run-dir>/status.json) and prints
 * each link and partition with its state, since when, and why.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fmt.h"
#include "ctl.h"
#include "daemon_proto.h"

/* [--run-dir DIR], and for health show also -j, in any order. */
static int daemon_words(int argc, char **argv, struct ctl_args *a,
			bool allow_json)
{
	int i;

	a->run_dir = AIFABD_RUN_DIR;
	for (i = 0; i < argc; i++) {
		if (allow_json && !strcmp(argv[i], "-j")) {
			a->json = true;
		} else if (!strcmp(argv[i], "--run-dir") && i + 1 < argc) {
			if (!*argv[++i])
				return ctl_args_bad(a, "run directory", argv[i],
						    "a directory");
			a->run_dir = argv[i];
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

static int reload_args(int argc, char **argv, struct ctl_args *a)
{
	return daemon_words(argc, argv, a, false);
}

static int health_show_args(int argc, char **argv, struct ctl_args *a)
{
	return daemon_words(argc, argv, a, true);
}

/* Exit 0 only for a configuration aifabd applied. */
static int reload_run(struct ctl *ctl, const struct ctl_args *a)
{
	enum aifabd_reply_status st;
	char err[256];
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int ret;

	if (!m)
		return ctl_fail(ctl, -ENOMEM);
	ret = aifabd_proto_call(a->run_dir, AIFABD_REQ_RELOAD, m, &st, err,
				sizeof(err));
	if (fclose(m))
		ret = ret ? ret : -ENOMEM;
	if (ret == -ENOENT || ret == -ECONNREFUSED)
		fprintf(ctl->err, "aifabctl: aifabd is not running (%s)\n", err);
	else if (ret)
		fprintf(ctl->err, "aifabctl: reload: %s\n", err);
	else
		fputs(text ? text : "", st == AIFABD_REPLY_OK ? ctl->out :
							       ctl->err);
	free(text);
	return !ret && st == AIFABD_REPLY_OK ? CTL_EXIT_OK : CTL_EXIT_ERR;
}

/* The fields each entry must have, all strings. */
static const char *const health_fields[] = { "name", "state", "since", "why" };

static bool health_entry_ok(struct json_object *e)
{
	struct json_object *v;
	size_t i;

	if (!json_object_is_type(e, json_type_object))
		return false;
	for (i = 0; i < AIFAB_ARRAY_SIZE(health_fields); i++)
		if (!json_object_object_get_ex(e, health_fields[i], &v) ||
		    !json_object_is_type(v, json_type_string))
			return false;
	return true;
}

static struct json_object *health_array(struct json_object *root,
					const char *key)
{
	struct json_object *arr;
	size_t i;

	if (!json_object_object_get_ex(root, key, &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return NULL;
	for (i = 0; i < json_object_array_length(arr); i++)
		if (!health_entry_ok(json_object_array_get_idx(arr, i)))
			return NULL;
	return arr;
}

static const char *health_str(struct json_object *e, const char *key)
{
	struct json_object *v;

	json_object_object_get_ex(e, key, &v);
	return json_object_get_string(v);
}

static void health_table(FILE *f, const char *title, struct json_object *arr)
{
	size_t i;

	fprintf(f, "%s:\n%-31s %-9s %-20s %s\n", title, "NAME", "STATE",
		"SINCE", "WHY");
	for (i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);

		fprintf(f, "%-31s %-9s %-20s %s\n", health_str(e, "name"),
			health_str(e, "state"), health_str(e, "since"),
			health_str(e, "why"));
	}
}

static int health_json(struct ctl *ctl, struct json_object *links,
		       struct json_object *parts, struct json_object *dec)
{
	struct json_object *o = json_object_new_object();
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	if (ctl->out_flags & AIFAB_OUT_PRETTY)
		flags |= JSON_C_TO_STRING_PRETTY;

	if (!o)
		return ctl_fail(ctl, -ENOMEM);
	json_object_object_add(o, "links", json_object_get(links));
	json_object_object_add(o, "partitions", json_object_get(parts));
	json_object_object_add(o, "decisions", json_object_get(dec));
	fprintf(ctl->out, "%s\n", json_object_to_json_string_ext(o, flags));
	json_object_put(o);
	return CTL_EXIT_OK;
}

/**
 * health_print() - Print aifabd's view of links and partitions.
 * @ctl: Context; errors go to ctl->err.
 * @path: The status file.
 * @json: The arrays as JSON rather than tables.
 *
 * The file is checked before anything is printed: entries that lack a
 * string name, state, since or why make it malformed.
 *
 * Return: The exit status.
 */
int health_print(struct ctl *ctl, const char *path, bool json)
{
	struct json_object *root, *links, *parts, *dec;
	int ret = CTL_EXIT_OK;

	root = json_object_from_file(path);
	if (!root) {
		fprintf(ctl->err, "aifabctl: health show: cannot read %s: %s "
			"(is aifabd running?)\n", path,
			access(path, R_OK) ? strerror(errno) :
			"not a JSON document");
		return CTL_EXIT_ERR;
	}
	links = health_array(root, "links");
	parts = health_array(root, "partitions");
	if (!json_object_object_get_ex(root, "decisions", &dec) ||
	    !json_object_is_type(dec, json_type_array))
		dec = NULL;
	if (!links || !parts || !dec) {
		fprintf(ctl->err, "aifabctl: health show: %s is malformed\n",
			path);
		ret = CTL_EXIT_ERR;
	} else if (json) {
		ret = health_json(ctl, links, parts, dec);
	} else {
		health_table(ctl->out, "links", links);
		fputc('\n', ctl->out);
		health_table(ctl->out, "partitions", parts);
	}
	json_object_put(root);
	return ret;
}

static int health_show_run(struct ctl *ctl, const struct ctl_args *a)
{
	char path[4096];
	int n = aifab_fmt(path, sizeof(path), "%s/%s", a->run_dir,
			 AIFABD_STATUS_NAME);

	if (n < 0 || (size_t)n >= sizeof(path))
		return ctl_fail(ctl, -ENAMETOOLONG);
	return health_print(ctl, path,
			    a->json || (ctl->out_flags & AIFAB_OUT_JSON));
}

static const struct ctl_cmd reload_cmds[] = {
	{ NULL, reload_args, reload_run, CTL_CMD_NO_KERNEL },
};

const struct ctl_obj ctl_reload_obj = {
	"reload", "aifabctl reload [--run-dir DIR]", reload_cmds,
	AIFAB_ARRAY_SIZE(reload_cmds),
};

static const struct ctl_cmd health_cmds[] = {
	{ "show", health_show_args, health_show_run, CTL_CMD_NO_KERNEL },
};

const struct ctl_obj ctl_health_obj = {
	"health", "aifabctl health show [-j] [--run-dir DIR]", health_cmds,
	AIFAB_ARRAY_SIZE(health_cmds),
};
