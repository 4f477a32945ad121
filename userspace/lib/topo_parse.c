// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a topology (format in topo.h) with the YAML document reader of
 * yaml_doc.h, from a topology file or from the "topology" section of
 * aifabd's configuration.
 *
 * Each entry is checked on its own as it is read: known keys only, each
 * once, every required one present, values of the right type and range.
 * topo_check() does the rest, which needs the whole model. The first
 * problem ends the read; nothing is ever sent for a file that has one.
 */
#include <stddef.h>
#include <stdint.h>

#include "array.h"
#include "names.h"
#include "topo.h"
#include "yaml_doc.h"

static int tp_read_dev_type(struct aifab_yaml_read *r, const yaml_node_t *val,
			    const char *key, void *dst)
{
	return aifab_yaml_enum(r, val, key, aifab_dev_type_names,
			       AIFAB_ARRAY_SIZE(aifab_dev_type_names),
			       "accel or efa", dst);
}

static int tp_read_link_kind(struct aifab_yaml_read *r,
			     const yaml_node_t *val, const char *key,
			     void *dst)
{
	return aifab_yaml_enum(r, val, key, aifab_link_kind_names,
			       AIFAB_ARRAY_SIZE(aifab_link_kind_names),
			       "accel, affinity or net", dst);
}

/* Sizes and speeds: 0 would be a device without memory, a dead link. */
static int tp_read_positive(struct aifab_yaml_read *r, const yaml_node_t *val,
			    const char *key, uint64_t max, uint64_t *v,
			    const char *expected)
{
	int ret = aifab_yaml_u64(r, val, key, max, expected, v);

	if (!ret && !*v)
		return aifab_yaml_bad(r, val, key, expected);
	return ret;
}

static int tp_read_mem(struct aifab_yaml_read *r, const yaml_node_t *val,
		       const char *key, void *dst)
{
	return tp_read_positive(r, val, key, UINT64_MAX, dst,
				"a positive integer");
}

static int tp_read_speed(struct aifab_yaml_read *r, const yaml_node_t *val,
			 const char *key, void *dst)
{
	uint64_t v;
	int ret = tp_read_positive(r, val, key, UINT32_MAX, &v,
				   "an integer from 1 to 4294967295");

	if (!ret)
		*(uint32_t *)dst = v;
	return ret;
}

/* Memory belongs to accelerators: required for them, refused for others. */
static int tp_dev_finish(struct aifab_yaml_read *r, const yaml_node_t *map,
			 void *entry)
{
	const struct topo_dev *d = entry;

	if (d->type == AIFAB_DEV_TYPE_ACCEL && !d->mem_line)
		return aifab_yaml_fail(r, map, "missing key \"mem_bytes\" in "
				       "accelerator \"%s\"", d->name);
	if (d->type != AIFAB_DEV_TYPE_ACCEL && d->mem_line)
		return aifab_yaml_errf(r->err, d->mem_line, d->mem_col,
				       "invalid key \"mem_bytes\" in device "
				       "\"%s\": only accelerators have memory",
				       d->name);
	return 0;
}

static void *tp_add_node(void *t)
{
	return topo_add_node(t);
}

static void *tp_add_dev(void *t)
{
	return topo_add_dev(t);
}

static void *tp_add_link(void *t)
{
	return topo_add_link(t);
}

#define TP_KEY(type, field, read) \
	AIFAB_YAML_KEY(#field, type, field, read, false)
/* A key whose value's place is kept, for topo_check()'s messages. */
#define TP_KEY_AT(type, field, read) \
	AIFAB_YAML_KEY_AT(#field, type, field, read, field##_line, \
			  field##_col, false)

static const struct aifab_yaml_key tp_node_keys[] = {
	TP_KEY(struct topo_node, name, aifab_yaml_read_name),
	TP_KEY(struct topo_node, local, aifab_yaml_read_bool),
};

static const struct aifab_yaml_key tp_dev_keys[] = {
	TP_KEY(struct topo_dev, name, aifab_yaml_read_name),
	TP_KEY(struct topo_dev, type, tp_read_dev_type),
	TP_KEY_AT(struct topo_dev, node, aifab_yaml_read_name),
	/* mem_line, set only when the key is present, is what finish reads. */
	AIFAB_YAML_KEY_AT("mem_bytes", struct topo_dev, mem_bytes,
			  tp_read_mem, mem_line, mem_col, true),
};

static const struct aifab_yaml_key tp_link_keys[] = {
	TP_KEY(struct topo_link, name, aifab_yaml_read_name),
	TP_KEY(struct topo_link, kind, tp_read_link_kind),
	TP_KEY_AT(struct topo_link, a, aifab_yaml_read_name),
	TP_KEY_AT(struct topo_link, b, aifab_yaml_read_name),
	TP_KEY(struct topo_link, speed_mbps, tp_read_speed),
};

static const struct aifab_yaml_map tp_node_map = {
	tp_node_keys, AIFAB_ARRAY_SIZE(tp_node_keys), "name or local",
	"in a node",
};

static const struct aifab_yaml_map tp_dev_map = {
	tp_dev_keys, AIFAB_ARRAY_SIZE(tp_dev_keys),
	"name, type, node or mem_bytes", "in a device",
};

static const struct aifab_yaml_map tp_link_map = {
	tp_link_keys, AIFAB_ARRAY_SIZE(tp_link_keys),
	"name, kind, a, b or speed_mbps", "in a link",
};

static const struct aifab_yaml_list tp_nodes = {
	&tp_node_map, tp_add_node, offsetof(struct topo_node, line),
	offsetof(struct topo_node, col), NULL,
};

static const struct aifab_yaml_list tp_devs = {
	&tp_dev_map, tp_add_dev, offsetof(struct topo_dev, line),
	offsetof(struct topo_dev, col), tp_dev_finish,
};

static const struct aifab_yaml_list tp_links = {
	&tp_link_map, tp_add_link, offsetof(struct topo_link, line),
	offsetof(struct topo_link, col), NULL,
};

static const struct aifab_yaml_key tp_root_keys[] = {
	AIFAB_YAML_LIST_KEY("nodes", &tp_nodes, false),
	AIFAB_YAML_LIST_KEY("devices", &tp_devs, false),
	AIFAB_YAML_LIST_KEY("links", &tp_links, false),
};

static const struct aifab_yaml_map tp_root_map = {
	tp_root_keys, AIFAB_ARRAY_SIZE(tp_root_keys),
	"nodes, devices or links", "at the top level",
};

static const struct aifab_yaml_file tp_file = {
	"a topology file", "a mapping with keys nodes, devices and links",
	&tp_root_map,
};

/**
 * topo_parse_node() - Read and check a topology held in another document.
 * @r: The read of that document.
 * @node: The mapping of nodes, devices and links in it.
 * @t: Filled with the model; the caller frees it, whatever the outcome.
 *
 * For aifabd's configuration file, whose "topology" key holds the same
 * mapping as a topology file, so that both are read by one reader and
 * refused with the same messages.
 *
 * Return: 0, -EINVAL with r->err filled, or -ENOMEM.
 */
int topo_parse_node(struct aifab_yaml_read *r, const yaml_node_t *node,
		    struct topo *t)
{
	int ret = aifab_yaml_root(r, node, tp_file.rule, tp_file.map, t);

	return ret ? ret : topo_check(t, r->err);
}

/**
 * topo_parse() - Read and check a topology file.
 * @f: The file.
 * @t: Filled with the model; empty on failure.
 * @err: Zeroed by the caller; filled in when the file is refused, and
 *       then to release with aifab_yaml_err_free().
 *
 * Return: 0; -EINVAL with @err filled; -ENOMEM; or -EIO if reading failed.
 */
int topo_parse(FILE *f, struct topo *t, struct aifab_yaml_err *err)
{
	int ret;

	*t = (struct topo){ 0 };
	ret = aifab_yaml_load(f, &tp_file, t, err);
	if (!ret)
		ret = topo_check(t, err);
	if (ret)
		topo_free(t);
	return ret;
}
