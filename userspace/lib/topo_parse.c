// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a topology file (format in topo.h) with libyaml's document API.
 *
 * The file is loaded whole as a node graph first, so that every problem can
 * be given its line. Each entry is then checked on its own as it is read:
 * known keys only, each once, every required one present, values of the
 * right type and range. topo_check() does the rest, which needs the whole
 * model. The first problem ends the read; nothing is ever sent for a file
 * that has one.
 *
 * topo_parse_node() reads the same mapping where another document holds
 * it: the "topology" section of aifabd's configuration. Messages carry the
 * column too, which aifabd reports and aifabctl does not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "array.h"
#include "names.h"
#include "str.h"
#include "topo.h"

/* A read in progress. */
struct tp {
	yaml_document_t *doc;
	struct topo *t;
	struct topo_err *err;
};

#define TP_NO_LINE	((size_t)-1)

/* One key of a mapping: how to read its value into the entry. */
struct tp_key {
	const char *name;
	int (*read)(struct tp *tp, const yaml_node_t *val, const char *key,
		    void *dst);
	size_t off;			/* of the value in the entry */
	size_t line_off;		/* of its line, or TP_NO_LINE */
	size_t col_off;			/* of its column, if line_off is */
	bool optional;
};

/* A kind of mapping: its keys, and how messages name them and it. */
struct tp_map {
	const struct tp_key *keys;
	size_t nkeys;			/* at most 32 */
	const char *list;		/* "name or local" */
	const char *what;		/* "in a node" */
};

/* The entries of one list: nodes, devices or links. */
struct tp_section {
	const char *key;		/* "nodes" */
	const struct tp_map *map;
	void *(*add)(struct topo *t);
	size_t line_off;		/* of the entry's line */
	size_t col_off;			/* of the entry's column */
	int (*finish)(struct tp *tp, const yaml_node_t *map, void *entry);
};

static unsigned int tp_line(const yaml_node_t *node)
{
	return node->start_mark.line + 1;
}

static unsigned int tp_col(const yaml_node_t *node)
{
	return node->start_mark.column + 1;
}

#define tp_fail(tp, node, ...) \
	topo_errf_at((tp)->err, tp_line(node), tp_col(node), __VA_ARGS__)

static enum topo_scalar tp_scalar_type(const yaml_node_t *node)
{
	if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return TOPO_STR;
	return topo_scalar_type((const char *)node->data.scalar.value);
}

/* What a node is, for messages: "a list", "a number", "null". */
const char *topo_yaml_kind(const struct yaml_node_s *node)
{
	static const char *const scalars[] = {
		[TOPO_STR] = "a string",
		[TOPO_NULL] = "null",
		[TOPO_BOOL] = "a boolean",
		[TOPO_INT] = "a number",
		[TOPO_FLOAT] = "a number",
	};

	if (node->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (node->type == YAML_MAPPING_NODE)
		return "a mapping";
	return scalars[tp_scalar_type(node)];
}

/*
 * A scalar as a message shows it: quoted, cut at 40 bytes, and anything but
 * printable ASCII (a NUL included) replaced, so that a hostile file cannot
 * garble a terminal.
 */
const char *topo_yaml_quote(const struct yaml_node_s *node, char *buf,
			    size_t size)
{
	const char *s = (const char *)node->data.scalar.value;
	size_t len = node->data.scalar.length;
	size_t i, n = 0;

	buf[n++] = '"';
	for (i = 0; i < len && n < size - 5; i++)
		buf[n++] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
	if (i < len)
		buf[n++] = '.', buf[n++] = '.', buf[n++] = '.';
	buf[n++] = '"';
	buf[n] = '\0';
	return buf;
}

/* A NUL, from an escape, would cut the text short of what the file says. */
bool topo_yaml_has_nul(const struct yaml_node_s *node)
{
	return strlen((const char *)node->data.scalar.value) !=
	       node->data.scalar.length;
}

/**
 * tp_string() - The text of a scalar value, checked to be of a YAML type.
 * @tp: The read.
 * @val: The value.
 * @key: Its key, for messages.
 * @want: The type it must have; only quoted scalars are strings whatever
 *        their text.
 * @expected: What is accepted, for messages.
 *
 * Return: The text, or NULL with tp->err filled.
 */
static const char *tp_string(struct tp *tp, const yaml_node_t *val,
			     const char *key, enum topo_scalar want,
			     const char *expected)
{
	char shown[TOPO_QUOTE_SIZE];
	const char *s;

	if (val->type != YAML_SCALAR_NODE) {
		tp_fail(tp, val, "invalid %s: expected %s, not %s", key,
			expected, topo_yaml_kind(val));
		return NULL;
	}
	s = (const char *)val->data.scalar.value;
	topo_yaml_quote(val, shown, sizeof(shown));
	if (topo_yaml_has_nul(val)) {
		tp_fail(tp, val, "invalid %s %s: NUL characters are not "
			"allowed", key, shown);
		return NULL;
	}
	if (tp_scalar_type(val) == want)
		return s;
	if (want == TOPO_STR)
		tp_fail(tp, val, "invalid %s %s: expected %s, not %s", key,
			shown, expected, topo_yaml_kind(val));
	else
		tp_fail(tp, val, "invalid %s %s: expected %s", key, shown,
			expected);
	return NULL;
}

static int tp_bad(struct tp *tp, const yaml_node_t *val, const char *key,
		  const char *expected)
{
	char shown[TOPO_QUOTE_SIZE];

	topo_yaml_quote(val, shown, sizeof(shown));
	return tp_fail(tp, val, "invalid %s %s: expected %s", key, shown,
		       expected);
}

static int tp_read_name(struct tp *tp, const yaml_node_t *val,
			const char *key, void *dst)
{
	const char *s = tp_string(tp, val, key, TOPO_STR, "a string");

	if (!s)
		return -EINVAL;
	if (!aifab_name_valid(s))
		return tp_bad(tp, val, key, AIFAB_NAME_RULE);
	aifab_strscpy(dst, s, AIFAB_NAME_MAX);
	return 0;
}

static int tp_read_bool(struct tp *tp, const yaml_node_t *val,
			const char *key, void *dst)
{
	const char *s = tp_string(tp, val, key, TOPO_BOOL, "true or false");

	if (!s)
		return -EINVAL;
	*(bool *)dst = s[0] == 't' || s[0] == 'T';
	return 0;
}

static int tp_read_enum(struct tp *tp, const yaml_node_t *val,
			const char *key, uint32_t *dst,
			const char *const *names, size_t n,
			const char *expected)
{
	const char *s = tp_string(tp, val, key, TOPO_STR, expected);

	if (!s)
		return -EINVAL;
	if (aifab_enum_value(names, n, s, dst))
		return tp_bad(tp, val, key, expected);
	return 0;
}

static int tp_read_dev_type(struct tp *tp, const yaml_node_t *val,
			    const char *key, void *dst)
{
	return tp_read_enum(tp, val, key, dst, aifab_dev_type_names,
			    AIFAB_ARRAY_SIZE(aifab_dev_type_names),
			    "accel or efa");
}

static int tp_read_link_kind(struct tp *tp, const yaml_node_t *val,
			     const char *key, void *dst)
{
	return tp_read_enum(tp, val, key, dst, aifab_link_kind_names,
			    AIFAB_ARRAY_SIZE(aifab_link_kind_names),
			    "accel, affinity or net");
}

static int tp_read_number(struct tp *tp, const yaml_node_t *val,
			  const char *key, uint64_t max, uint64_t *v,
			  const char *expected)
{
	const char *s = tp_string(tp, val, key, TOPO_INT, expected);

	if (!s)
		return -EINVAL;
	/* Decimal only: YAML's 0x and 0o forms are not worth the surprise. */
	if (aifab_parse_u64(s, max, v) || !*v)
		return tp_bad(tp, val, key, expected);
	return 0;
}

static int tp_read_mem(struct tp *tp, const yaml_node_t *val,
		       const char *key, void *dst)
{
	return tp_read_number(tp, val, key, UINT64_MAX, dst,
			      "a positive integer");
}

static int tp_read_speed(struct tp *tp, const yaml_node_t *val,
			 const char *key, void *dst)
{
	uint64_t v;
	int ret = tp_read_number(tp, val, key, UINT32_MAX, &v,
				 "an integer from 1 to 4294967295");

	if (!ret)
		*(uint32_t *)dst = v;
	return ret;
}

/**
 * tp_pair() - Read one key and its value into an entry.
 * @tp: The read.
 * @pair: The key and value.
 * @m: The kind of mapping.
 * @entry: The entry being filled.
 * @seen: Bit per key already read, updated.
 *
 * Return: 0, -EINVAL with tp->err filled, or -ENOMEM.
 */
static int tp_pair(struct tp *tp, const yaml_node_pair_t *pair,
		   const struct tp_map *m, void *entry, unsigned int *seen)
{
	const yaml_node_t *k = yaml_document_get_node(tp->doc, pair->key);
	const yaml_node_t *v = yaml_document_get_node(tp->doc, pair->value);
	const struct tp_key *key;
	const char *name;
	size_t i;

	if (k->type != YAML_SCALAR_NODE)
		return tp_fail(tp, k, "invalid key %s: expected %s, not %s",
			       m->what, m->list, topo_yaml_kind(k));
	name = (const char *)k->data.scalar.value;
	/* A key cut short by a NUL is not the key it starts like. */
	for (i = topo_yaml_has_nul(k) ? m->nkeys : 0; i < m->nkeys; i++)
		if (!strcmp(m->keys[i].name, name))
			break;
	if (i == m->nkeys) {
		char shown[TOPO_QUOTE_SIZE];

		return tp_fail(tp, k, "unknown key %s %s: expected %s",
			       topo_yaml_quote(k, shown, sizeof(shown)),
			       m->what, m->list);
	}
	if (*seen & (1U << i))
		return tp_fail(tp, k, "duplicate key \"%s\" %s", name,
			       m->what);
	*seen |= 1U << i;
	key = &m->keys[i];
	if (key->line_off != TP_NO_LINE) {
		*(unsigned int *)((char *)entry + key->line_off) = tp_line(v);
		*(unsigned int *)((char *)entry + key->col_off) = tp_col(v);
	}
	return key->read(tp, v, name, (char *)entry + key->off);
}

/**
 * tp_mapping() - Read a mapping into an entry.
 * @tp: The read.
 * @node: The mapping node.
 * @m: The kind of mapping: the keys it may have, all but the optional
 *     ones it must have.
 * @entry: The entry to fill.
 *
 * Return: 0, -EINVAL with tp->err filled, or -ENOMEM.
 */
static int tp_mapping(struct tp *tp, const yaml_node_t *node,
		      const struct tp_map *m, void *entry)
{
	const yaml_node_pair_t *pair;
	unsigned int seen = 0;
	size_t i;

	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top; pair++) {
		int ret = tp_pair(tp, pair, m, entry, &seen);

		if (ret)
			return ret;
	}
	for (i = 0; i < m->nkeys; i++)
		if (!(seen & (1U << i)) && !m->keys[i].optional)
			return tp_fail(tp, node, "missing key \"%s\" %s",
				       m->keys[i].name, m->what);
	return 0;
}

/* A node, device or link: a mapping of its own keys. */
static int tp_entry(struct tp *tp, const struct tp_section *sec,
		    const yaml_node_t *map)
{
	void *entry;
	int ret;

	if (map->type != YAML_MAPPING_NODE)
		return tp_fail(tp, map, "invalid entry of %s: expected a "
			       "mapping, not %s", sec->key,
			       topo_yaml_kind(map));
	entry = sec->add(tp->t);
	if (!entry)
		return -ENOMEM;
	*(unsigned int *)((char *)entry + sec->line_off) = tp_line(map);
	*(unsigned int *)((char *)entry + sec->col_off) = tp_col(map);
	ret = tp_mapping(tp, map, sec->map, entry);
	if (!ret && sec->finish)
		ret = sec->finish(tp, map, entry);
	return ret;
}

static int tp_list(struct tp *tp, const yaml_node_t *val,
		   const struct tp_section *sec)
{
	const yaml_node_item_t *item;

	if (val->type != YAML_SEQUENCE_NODE)
		return tp_fail(tp, val, "invalid %s: expected a list, not %s",
			       sec->key, topo_yaml_kind(val));
	for (item = val->data.sequence.items.start;
	     item < val->data.sequence.items.top; item++) {
		int ret = tp_entry(tp, sec,
				   yaml_document_get_node(tp->doc, *item));

		if (ret)
			return ret;
	}
	return 0;
}

/* Memory belongs to accelerators: required for them, refused for others. */
static int tp_dev_finish(struct tp *tp, const yaml_node_t *map, void *entry)
{
	const struct topo_dev *d = entry;

	if (d->type == AIFAB_DEV_TYPE_ACCEL && !d->mem_line)
		return tp_fail(tp, map, "missing key \"mem_bytes\" in "
			       "accelerator \"%s\"", d->name);
	if (d->type != AIFAB_DEV_TYPE_ACCEL && d->mem_line)
		return topo_errf_at(tp->err, d->mem_line, d->mem_col,
				    "invalid key \"mem_bytes\" in device "
				    "\"%s\": only accelerators have memory",
				    d->name);
	return 0;
}

static void *tp_add_node(struct topo *t)
{
	return topo_add_node(t);
}

static void *tp_add_dev(struct topo *t)
{
	return topo_add_dev(t);
}

static void *tp_add_link(struct topo *t)
{
	return topo_add_link(t);
}

#define TP_KEY(type, field, read, optional) \
	{ #field, read, offsetof(type, field), TP_NO_LINE, 0, optional }
/* A key whose value's place is kept, for messages about it. */
#define TP_KEY_AT(type, field, read, line, col, optional) \
	{ #field, read, offsetof(type, field), offsetof(type, line), \
	  offsetof(type, col), optional }

static const struct tp_key tp_node_keys[] = {
	TP_KEY(struct topo_node, name, tp_read_name, false),
	TP_KEY(struct topo_node, local, tp_read_bool, false),
};

static const struct tp_key tp_dev_keys[] = {
	TP_KEY(struct topo_dev, name, tp_read_name, false),
	TP_KEY(struct topo_dev, type, tp_read_dev_type, false),
	TP_KEY_AT(struct topo_dev, node, tp_read_name, node_line, node_col,
		  false),
	TP_KEY_AT(struct topo_dev, mem_bytes, tp_read_mem, mem_line, mem_col,
		  true),
};

static const struct tp_key tp_link_keys[] = {
	TP_KEY(struct topo_link, name, tp_read_name, false),
	TP_KEY(struct topo_link, kind, tp_read_link_kind, false),
	TP_KEY_AT(struct topo_link, a, tp_read_name, a_line, a_col, false),
	TP_KEY_AT(struct topo_link, b, tp_read_name, b_line, b_col, false),
	TP_KEY(struct topo_link, speed_mbps, tp_read_speed, false),
};

static const struct tp_map tp_node_map = {
	tp_node_keys, AIFAB_ARRAY_SIZE(tp_node_keys), "name or local",
	"in a node",
};

static const struct tp_map tp_dev_map = {
	tp_dev_keys, AIFAB_ARRAY_SIZE(tp_dev_keys),
	"name, type, node or mem_bytes", "in a device",
};

static const struct tp_map tp_link_map = {
	tp_link_keys, AIFAB_ARRAY_SIZE(tp_link_keys),
	"name, kind, a, b or speed_mbps", "in a link",
};

static const struct tp_section tp_nodes = {
	"nodes", &tp_node_map, tp_add_node, offsetof(struct topo_node, line),
	offsetof(struct topo_node, col), NULL,
};

static const struct tp_section tp_devs = {
	"devices", &tp_dev_map, tp_add_dev, offsetof(struct topo_dev, line),
	offsetof(struct topo_dev, col), tp_dev_finish,
};

static const struct tp_section tp_links = {
	"links", &tp_link_map, tp_add_link, offsetof(struct topo_link, line),
	offsetof(struct topo_link, col), NULL,
};

static int tp_read_nodes(struct tp *tp, const yaml_node_t *val,
			 const char *key, void *dst)
{
	(void)key;
	(void)dst;
	return tp_list(tp, val, &tp_nodes);
}

static int tp_read_devs(struct tp *tp, const yaml_node_t *val,
			const char *key, void *dst)
{
	(void)key;
	(void)dst;
	return tp_list(tp, val, &tp_devs);
}

static int tp_read_links(struct tp *tp, const yaml_node_t *val,
			 const char *key, void *dst)
{
	(void)key;
	(void)dst;
	return tp_list(tp, val, &tp_links);
}

static const struct tp_key tp_root_keys[] = {
	{ "nodes", tp_read_nodes, 0, TP_NO_LINE, 0, false },
	{ "devices", tp_read_devs, 0, TP_NO_LINE, 0, false },
	{ "links", tp_read_links, 0, TP_NO_LINE, 0, false },
};

static const struct tp_map tp_root_map = {
	tp_root_keys, AIFAB_ARRAY_SIZE(tp_root_keys), "nodes, devices or links",
	"at the top level",
};

#define TP_ROOT_RULE	"a mapping with keys nodes, devices and links"

/**
 * tp_yaml_error() - Report why libyaml could not load a document.
 * @p: The parser that failed.
 * @f: Its input.
 * @err: Filled in.
 *
 * Return: -EINVAL with @err filled, -ENOMEM, or -EIO for a read error.
 */
static int tp_yaml_error(const yaml_parser_t *p, FILE *f,
			 struct topo_err *err)
{
	const char *problem = p->problem ? p->problem : "not YAML";

	if (p->error == YAML_MEMORY_ERROR)
		return -ENOMEM;
	if (ferror(f))
		return -EIO;
	/* The reader (bad UTF-8, control characters) sets no mark of its own. */
	if (p->error == YAML_READER_ERROR)
		return topo_errf(err, p->mark.line + 1, "%s", problem);
	if (p->context)
		return topo_errf(err, p->problem_mark.line + 1,
				 "%s (%s at line %zu)", problem, p->context,
				 p->context_mark.line + 1);
	return topo_errf(err, p->problem_mark.line + 1, "%s", problem);
}

/* A file holds one topology: refuse a second document after the first. */
static int tp_one_document(yaml_parser_t *p, FILE *f, struct topo_err *err)
{
	yaml_document_t doc;
	const yaml_node_t *root;
	int ret = 0;

	if (!yaml_parser_load(p, &doc))
		return tp_yaml_error(p, f, err);
	root = yaml_document_get_root_node(&doc);
	if (root)
		ret = topo_errf(err, tp_line(root), "a second document: "
				"a topology file holds one");
	yaml_document_delete(&doc);
	return ret;
}

/* The mapping of nodes, devices and links, wherever it sits in a file. */
static int tp_root(struct tp *tp, const yaml_node_t *root)
{
	if (root->type != YAML_MAPPING_NODE)
		return tp_fail(tp, root, "expected " TP_ROOT_RULE ", not %s",
			       topo_yaml_kind(root));
	return tp_mapping(tp, root, &tp_root_map, tp->t);
}

static int tp_document(struct tp *tp)
{
	const yaml_node_t *root = yaml_document_get_root_node(tp->doc);

	if (!root)
		return topo_errf(tp->err, 1, "empty file: expected "
				 TP_ROOT_RULE);
	return tp_root(tp, root);
}

/**
 * topo_parse_node() - Read and check a topology held in another document.
 * @doc: The document, loaded by the caller, who keeps it.
 * @node: The mapping of nodes, devices and links in @doc.
 * @t: Filled with the model; empty on failure.
 * @err: Zeroed by the caller; filled in when the topology is refused, and
 *       then to release with topo_err_free().
 *
 * For aifabd's configuration file, whose "topology" key holds the same
 * mapping as a topology file, so that both are read by one reader and
 * refused with the same messages.
 *
 * Return: 0, -EINVAL with @err filled, or -ENOMEM.
 */
int topo_parse_node(struct yaml_document_s *doc,
		    const struct yaml_node_s *node, struct topo *t,
		    struct topo_err *err)
{
	struct tp tp = { doc, t, err };
	int ret;

	*t = (struct topo){ 0 };
	ret = tp_root(&tp, node);
	if (!ret)
		ret = topo_check(t, err);
	if (ret)
		topo_free(t);
	return ret;
}

/**
 * topo_parse() - Read and check a topology file.
 * @f: The file.
 * @t: Filled with the model; empty on failure.
 * @err: Zeroed by the caller; filled in when the file is refused, and
 *       then to release with topo_err_free().
 *
 * Return: 0; -EINVAL with @err filled; -ENOMEM; or -EIO if reading failed.
 */
int topo_parse(FILE *f, struct topo *t, struct topo_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct tp tp = { &doc, t, err };
	int ret;

	*t = (struct topo){ 0 };
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_file(&parser, f);
	if (yaml_parser_load(&parser, &doc)) {
		ret = tp_document(&tp);
		yaml_document_delete(&doc);
	} else {
		ret = tp_yaml_error(&parser, f, err);
	}
	if (!ret)
		ret = tp_one_document(&parser, f, err);
	yaml_parser_delete(&parser);
	if (!ret)
		ret = topo_check(t, err);
	if (ret)
		topo_free(t);
	return ret;
}
