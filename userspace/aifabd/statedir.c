// SPDX-License-Identifier: GPL-2.0
/*
 * aifabd's state directory; see statedir.h.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "statedir.h"

/*
 * FNV-1a, 64 bits: a change detector for a file aifabd itself wrote, not a
 * defence against anyone, so no cryptographic library is needed.
 */
uint64_t aifabd_hash(const char *data, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)data[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/**
 * aifabd_statedir_open() - Make sure the state directory exists.
 * @dir: Its path; its parent must exist.
 *
 * Return: 0, or a negative errno value (-ENOTDIR if it is something else).
 */
int aifabd_statedir_open(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0750) && errno != EEXIST)
		return -errno;
	if (stat(dir, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

static int statedir_path(char *buf, size_t len, const char *dir,
			 const char *name)
{
	int n = aifab_fmt(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int statedir_daemon_json(const char *dir, const struct aifabd_status *st,
				uint64_t hash)
{
	struct json_object *root = aifabd_status_json(st);
	char path[PATH_MAX], hex[32];
	const char *s;
	int ret;

	if (!root)
		return -ENOMEM;
	/* Only what a restart and an operator need: no live view. */
	json_object_object_del(root, "pid");
	json_object_object_del(root, "reconciles");
	aifab_fmt(hex, sizeof(hex), "fnv1a64:%016" PRIx64, hash);
	ret = aifabd_json_add(root, "config_hash",
			      json_object_new_string(hex));
	s = ret ? NULL : json_object_to_json_string_ext(root, AIFABD_JSON_FLAGS);
	if (!ret)
		ret = s ? statedir_path(path, sizeof(path), dir,
					AIFABD_DAEMON_JSON) : -ENOMEM;
	if (!ret)
		ret = aifabd_write_atomic(path, s, strlen(s), 0640);
	json_object_put(root);
	return ret;
}

/**
 * aifabd_statedir_save() - Record a reconcile.
 * @dir: The state directory.
 * @st: The reconcile, as the status file has it.
 * @cfg_text: The configuration's text; saved as applied.yaml when the
 *	reconcile went well.
 * @cfg_len: Its length.
 *
 * Return: 0 or a negative errno value.
 */
int aifabd_statedir_save(const char *dir, const struct aifabd_status *st,
			 const char *cfg_text, size_t cfg_len)
{
	int ret = 0;

	if (st->reconciled && st->last_ok) {
		char path[PATH_MAX];

		ret = statedir_path(path, sizeof(path), dir,
				    AIFABD_APPLIED_NAME);
		if (!ret)
			ret = aifabd_write_atomic(path, cfg_text, cfg_len,
						  0640);
	}
	if (!ret)
		ret = statedir_daemon_json(dir, st,
					   aifabd_hash(cfg_text, cfg_len));
	return ret;
}

/* "fnv1a64:" and 16 hex digits, exactly as written. */
static int statedir_parse_hash(const char *s, uint64_t *hash)
{
	static const char prefix[] = "fnv1a64:";
	char *end;

	if (strncmp(s, prefix, sizeof(prefix) - 1) ||
	    strlen(s) != sizeof(prefix) - 1 + 16)
		return -EBADMSG;
	s += sizeof(prefix) - 1;
	if (!isxdigit((unsigned char)*s))
		return -EBADMSG;
	errno = 0;
	*hash = strtoull(s, &end, 16);
	return errno || *end ? -EBADMSG : 0;
}

/**
 * aifabd_statedir_hash() - The hash daemon.json recorded.
 * @dir: The state directory.
 * @hash: Filled in.
 *
 * Return: 0, -ENOENT when there is no record, or -EBADMSG for a record
 * aifabd did not write.
 */
int aifabd_statedir_hash(const char *dir, uint64_t *hash)
{
	struct json_object *root, *v;
	char path[PATH_MAX];
	int ret;

	ret = statedir_path(path, sizeof(path), dir, AIFABD_DAEMON_JSON);
	if (ret)
		return ret;
	root = json_object_from_file(path);
	if (!root)
		return access(path, F_OK) ? -ENOENT : -EBADMSG;
	ret = -EBADMSG;
	if (json_object_object_get_ex(root, "config_hash", &v) &&
	    json_object_is_type(v, json_type_string))
		ret = statedir_parse_hash(json_object_get_string(v), hash);
	json_object_put(root);
	return ret;
}
