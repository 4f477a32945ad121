// SPDX-License-Identifier: GPL-2.0
/*
 * The YAML document reader of topology files and aifabd's configuration:
 * see yaml_doc.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <linux/aifab.h>

#include "names.h"
#include "str.h"
#include "yaml_doc.h"

static int ydoc_verrf(struct aifab_yaml_err *err, unsigned int line,
		      unsigned int col, const char *fmt, va_list ap)
{
	aifab_yaml_err_free(err);
	err->line = line;
	err->col = col;
	if (vasprintf(&err->msg, fmt, ap) < 0) {
		err->msg = NULL;
		return -ENOMEM;
	}
	return -EINVAL;
}

/**
 * aifab_yaml_errf() - Say where and why a file is wrong.
 * @err: Filled in; its message replaces any earlier one.
 * @line: The line, from 1.
 * @col: The column, from 1, or 0 when not known.
 * @fmt: printf() format of the message.
 * @...: Its arguments.
 *
 * Return: -EINVAL, for the caller to return, or -ENOMEM if the message
 * could not be built.
 */
int aifab_yaml_errf(struct aifab_yaml_err *err, unsigned int line,
		    unsigned int col, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = ydoc_verrf(err, line, col, fmt, ap);
	va_end(ap);
	return ret;
}

/**
 * aifab_yaml_err_free() - Release an error's message.
 * @err: Error, zeroed or filled by aifab_yaml_errf().
 */
void aifab_yaml_err_free(struct aifab_yaml_err *err)
{
	free(err->msg);
	err->msg = NULL;
}

static bool ydoc_is_digits(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool ydoc_is_float(const char *s)
{
	size_t n;

	s += *s == '-' || *s == '+';
	n = strspn(s, "0123456789");
	s += n;
	if (*s == '.') {
		size_t frac = strspn(s + 1, "0123456789");

		if (!n && !frac)
			return false;
		s += 1 + frac;
	} else if (!n) {
		return false;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		s += *s == '-' || *s == '+';
		return ydoc_is_digits(s, "0123456789");
	}
	return !*s;
}

static bool ydoc_is_one_of(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(s, *words))
			return true;
	return false;
}

/**
 * aifab_yaml_scalar_type() - How YAML reads a plain scalar.
 * @s: The scalar, unquoted.
 *
 * By the YAML 1.2 core schema. libyaml leaves typing to its users, so
 * without this "name: 123" would be taken for a name, and "local: yes"
 * for a string rather than refused.
 *
 * Return: &enum aifab_yaml_scalar.
 */
enum aifab_yaml_scalar aifab_yaml_scalar_type(const char *s)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL",
					     NULL };
	static const char *const bools[] = { "true", "True", "TRUE", "false",
					     "False", "FALSE", NULL };
	static const char *const specials[] = {
		".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
		"-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL
	};
	const char *digits = s + (*s == '-' || *s == '+');

	if (ydoc_is_one_of(s, nulls))
		return AIFAB_YAML_NULL;
	if (ydoc_is_one_of(s, bools))
		return AIFAB_YAML_BOOL;
	if (ydoc_is_digits(digits, "0123456789") ||
	    (!strncmp(s, "0o", 2) && ydoc_is_digits(s + 2, "01234567")) ||
	    (!strncmp(s, "0x", 2) &&
	     ydoc_is_digits(s + 2, "0123456789abcdefABCDEF")))
		return AIFAB_YAML_INT;
	if (ydoc_is_float(s) || ydoc_is_one_of(s, specials))
		return AIFAB_YAML_FLOAT;
	return AIFAB_YAML_STR;
}

/**
 * aifab_yaml_plain_safe() - May a string be written as a plain scalar?
 * @s: The string.
 *
 * Not if a reader would take it for something else: by the 1.2 core
 * schema, and by YAML 1.1, which other tools still read with (its "yes",
 * "off" and numbers such as "1_000"). Such strings are quoted.
 *
 * Return: true if @s reads back as the same string.
 */
bool aifab_yaml_plain_safe(const char *s)
{
	static const char *const yaml11[] = {
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"on", "On", "ON", "off", "Off", "OFF", NULL
	};
	const char *p = s + (*s == '-' || *s == '+' || *s == '.');

	if (aifab_yaml_scalar_type(s) != AIFAB_YAML_STR ||
	    ydoc_is_one_of(s, yaml11))
		return false;
	return !(*s >= '0' && *s <= '9') && !(*p >= '0' && *p <= '9');
}

static unsigned int ydoc_line(const yaml_node_t *node)
{
	return node->start_mark.line + 1;
}

static unsigned int ydoc_col(const yaml_node_t *node)
{
	return node->start_mark.column + 1;
}

/* Where @node is, into the unsigned ints at @line_off and @col_off. */
static void ydoc_set_pos(void *entry, size_t line_off, size_t col_off,
			 const yaml_node_t *node)
{
	*(unsigned int *)((char *)entry + line_off) = ydoc_line(node);
	*(unsigned int *)((char *)entry + col_off) = ydoc_col(node);
}

/**
 * aifab_yaml_fail() - Refuse a file at a node.
 * @r: The read.
 * @node: The node that is wrong.
 * @fmt: printf() format of the message.
 * @...: Its arguments.
 *
 * Return: -EINVAL, or -ENOMEM if the message could not be built.
 */
int aifab_yaml_fail(struct aifab_yaml_read *r, const yaml_node_t *node,
		    const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = ydoc_verrf(r->err, ydoc_line(node), ydoc_col(node), fmt, ap);
	va_end(ap);
	return ret;
}

static enum aifab_yaml_scalar ydoc_type(const yaml_node_t *node)
{
	if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return AIFAB_YAML_STR;
	return aifab_yaml_scalar_type((const char *)node->data.scalar.value);
}

/* What a node is, for messages: "a list", "a number", "null". */
const char *aifab_yaml_kind(const yaml_node_t *node)
{
	static const char *const scalars[] = {
		[AIFAB_YAML_STR] = "a string",
		[AIFAB_YAML_NULL] = "null",
		[AIFAB_YAML_BOOL] = "a boolean",
		[AIFAB_YAML_INT] = "a number",
		[AIFAB_YAML_FLOAT] = "a number",
	};

	if (node->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (node->type == YAML_MAPPING_NODE)
		return "a mapping";
	return scalars[ydoc_type(node)];
}

/*
 * A scalar as a message shows it: quoted, cut at 40 bytes, and anything but
 * printable ASCII (a NUL included) replaced, so that a hostile file cannot
 * garble a terminal.
 */
const char *aifab_yaml_quote(const yaml_node_t *node, char *buf, size_t size)
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
static bool ydoc_has_nul(const yaml_node_t *node)
{
	return strlen((const char *)node->data.scalar.value) !=
	       node->data.scalar.length;
}

/**
 * aifab_yaml_bad() - Refuse a scalar value.
 * @r: The read.
 * @val: The value.
 * @key: Its key.
 * @expected: What would have been accepted.
 *
 * Return: -EINVAL, or -ENOMEM if the message could not be built.
 */
int aifab_yaml_bad(struct aifab_yaml_read *r, const yaml_node_t *val,
		   const char *key, const char *expected)
{
	char shown[AIFAB_YAML_QUOTE_SIZE];

	aifab_yaml_quote(val, shown, sizeof(shown));
	return aifab_yaml_fail(r, val, "invalid %s %s: expected %s", key, shown,
			       expected);
}

/**
 * aifab_yaml_scalar() - The text of a scalar value, checked to be of a type.
 * @r: The read.
 * @val: The value.
 * @key: Its key, for messages.
 * @want: The type it must have; quoted scalars are strings whatever their
 *        text.
 * @expected: What is accepted, for messages.
 *
 * Return: The text, or NULL with r->err filled.
 */
const char *aifab_yaml_scalar(struct aifab_yaml_read *r,
			      const yaml_node_t *val, const char *key,
			      enum aifab_yaml_scalar want,
			      const char *expected)
{
	char shown[AIFAB_YAML_QUOTE_SIZE];

	if (val->type != YAML_SCALAR_NODE) {
		aifab_yaml_fail(r, val, "invalid %s: expected %s, not %s", key,
				expected, aifab_yaml_kind(val));
		return NULL;
	}
	if (ydoc_has_nul(val)) {
		aifab_yaml_fail(r, val, "invalid %s %s: NUL characters are "
				"not allowed", key,
				aifab_yaml_quote(val, shown, sizeof(shown)));
		return NULL;
	}
	if (ydoc_type(val) == want)
		return (const char *)val->data.scalar.value;
	if (want == AIFAB_YAML_STR)
		aifab_yaml_fail(r, val, "invalid %s %s: expected %s, not %s",
				key,
				aifab_yaml_quote(val, shown, sizeof(shown)),
				expected, aifab_yaml_kind(val));
	else
		aifab_yaml_bad(r, val, key, expected);
	return NULL;
}

/* aifab_yaml_read_t: an object name, into a buffer of AIFAB_NAME_MAX. */
int aifab_yaml_read_name(struct aifab_yaml_read *r, const yaml_node_t *val,
			 const char *key, void *dst)
{
	const char *s = aifab_yaml_scalar(r, val, key, AIFAB_YAML_STR,
					  "a string");

	if (!s)
		return -EINVAL;
	if (!aifab_name_valid(s))
		return aifab_yaml_bad(r, val, key, AIFAB_NAME_RULE);
	aifab_strscpy(dst, s, AIFAB_NAME_MAX);
	return 0;
}

/* aifab_yaml_read_t: true or false, into a bool. */
int aifab_yaml_read_bool(struct aifab_yaml_read *r, const yaml_node_t *val,
			 const char *key, void *dst)
{
	const char *s = aifab_yaml_scalar(r, val, key, AIFAB_YAML_BOOL,
					  "true or false");

	if (!s)
		return -EINVAL;
	*(bool *)dst = s[0] == 't' || s[0] == 'T';
	return 0;
}

/**
 * aifab_yaml_enum() - Read one of a set of words.
 * @r: The read.
 * @val: The value.
 * @key: Its key.
 * @names: The words, indexed by value; NULL for values without one.
 * @n: Number of entries in @names.
 * @expected: The words, for messages: "accel or efa".
 * @dst: Filled with the value.
 *
 * Return: 0, or -EINVAL with r->err filled.
 */
int aifab_yaml_enum(struct aifab_yaml_read *r, const yaml_node_t *val,
		    const char *key, const char *const *names, size_t n,
		    const char *expected, uint32_t *dst)
{
	const char *s = aifab_yaml_scalar(r, val, key, AIFAB_YAML_STR,
					  expected);

	if (!s)
		return -EINVAL;
	if (aifab_enum_value(names, n, s, dst))
		return aifab_yaml_bad(r, val, key, expected);
	return 0;
}

/**
 * aifab_yaml_u64() - Read a decimal number.
 * @r: The read.
 * @val: The value.
 * @key: Its key.
 * @max: The largest value accepted.
 * @expected: What is accepted, for messages: "an integer from 0 to 10".
 * @dst: Filled with the value.
 *
 * Decimal only: YAML's 0x and 0o forms are not worth the surprise.
 *
 * Return: 0, or -EINVAL with r->err filled.
 */
int aifab_yaml_u64(struct aifab_yaml_read *r, const yaml_node_t *val,
		   const char *key, uint64_t max, const char *expected,
		   uint64_t *dst)
{
	const char *s = aifab_yaml_scalar(r, val, key, AIFAB_YAML_INT,
					  expected);

	if (!s)
		return -EINVAL;
	if (aifab_parse_u64(s, max, dst))
		return aifab_yaml_bad(r, val, key, expected);
	return 0;
}

/**
 * aifab_yaml_list() - Call a function on every item of a list.
 * @r: The read.
 * @val: The value, which must be a list.
 * @key: Its key, for messages.
 * @each: Reads one item; returns 0 or a negative errno value.
 * @arg: Passed to @each.
 *
 * Return: 0, -EINVAL with r->err filled, or what @each returned.
 */
int aifab_yaml_list(struct aifab_yaml_read *r, const yaml_node_t *val,
		    const char *key,
		    int (*each)(struct aifab_yaml_read *r,
				const yaml_node_t *item, void *arg),
		    void *arg)
{
	const yaml_node_item_t *item;

	if (val->type != YAML_SEQUENCE_NODE)
		return aifab_yaml_fail(r, val, "invalid %s: expected a list, "
				       "not %s", key, aifab_yaml_kind(val));
	for (item = val->data.sequence.items.start;
	     item < val->data.sequence.items.top; item++) {
		int ret = each(r, yaml_document_get_node(r->doc, *item), arg);

		if (ret)
			return ret;
	}
	return 0;
}

/* A list of mappings being read into their container. */
struct ydoc_entries {
	const char *key;
	const struct aifab_yaml_list *list;
	void *container;
};

/* One mapping of a list of them, added to its container. */
static int ydoc_entry(struct aifab_yaml_read *r, const yaml_node_t *map,
		      void *arg)
{
	const struct ydoc_entries *e = arg;
	const struct aifab_yaml_list *l = e->list;
	void *entry;
	int ret;

	if (map->type != YAML_MAPPING_NODE)
		return aifab_yaml_fail(r, map, "invalid entry of %s: expected "
				       "a mapping, not %s", e->key,
				       aifab_yaml_kind(map));
	entry = l->add(e->container);
	if (!entry)
		return -ENOMEM;
	ydoc_set_pos(entry, l->line_off, l->col_off, map);
	ret = aifab_yaml_mapping(r, map, l->map, entry);
	if (!ret && l->finish)
		ret = l->finish(r, map, entry);
	return ret;
}

/**
 * ydoc_find_key() - Find the key of a mapping that a key node names.
 * @r: The read.
 * @k: The key node.
 * @m: The kind of mapping.
 * @seen: Bit per key already read, updated.
 * @key: Set to the key.
 *
 * Return: 0, -EINVAL with r->err filled, or -ENOMEM.
 */
static int ydoc_find_key(struct aifab_yaml_read *r, const yaml_node_t *k,
			 const struct aifab_yaml_map *m, unsigned int *seen,
			 const struct aifab_yaml_key **key)
{
	const char *name;
	size_t i;

	if (k->type != YAML_SCALAR_NODE)
		return aifab_yaml_fail(r, k, "invalid key %s: expected %s, "
				       "not %s", m->what, m->list,
				       aifab_yaml_kind(k));
	name = (const char *)k->data.scalar.value;
	/* A key cut short by a NUL is not the key it starts like. */
	for (i = ydoc_has_nul(k) ? m->nkeys : 0; i < m->nkeys; i++)
		if (!strcmp(m->keys[i].name, name))
			break;
	if (i == m->nkeys) {
		char shown[AIFAB_YAML_QUOTE_SIZE];

		return aifab_yaml_fail(r, k, "unknown key %s %s: expected %s",
				       aifab_yaml_quote(k, shown,
							sizeof(shown)),
				       m->what, m->list);
	}
	if (*seen & (1U << i))
		return aifab_yaml_fail(r, k, "duplicate key \"%s\" %s", name,
				       m->what);
	*seen |= 1U << i;
	*key = &m->keys[i];
	return 0;
}

/* One key and its value, into @entry; @seen has a bit per key read. */
static int ydoc_pair(struct aifab_yaml_read *r, const yaml_node_pair_t *pair,
		     const struct aifab_yaml_map *m, void *entry,
		     unsigned int *seen)
{
	const yaml_node_t *k = yaml_document_get_node(r->doc, pair->key);
	const yaml_node_t *v = yaml_document_get_node(r->doc, pair->value);
	const struct aifab_yaml_key *key = NULL;
	struct ydoc_entries e;
	int ret;

	ret = ydoc_find_key(r, k, m, seen, &key);
	if (ret)
		return ret;
	if (key->line_off != AIFAB_YAML_NO_POS)
		ydoc_set_pos(entry, key->line_off, key->col_off, v);
	if (!key->list)
		return key->read(r, v, key->name, (char *)entry + key->off);
	e = (struct ydoc_entries){ key->name, key->list, entry };
	return aifab_yaml_list(r, v, key->name, ydoc_entry, &e);
}

/**
 * aifab_yaml_mapping() - Read a mapping into an entry.
 * @r: The read.
 * @node: The mapping node.
 * @m: The kind of mapping: the keys it may have, all but the optional
 *     ones it must have.
 * @entry: The entry to fill.
 *
 * Return: 0, -EINVAL with r->err filled, or -ENOMEM.
 */
int aifab_yaml_mapping(struct aifab_yaml_read *r, const yaml_node_t *node,
		       const struct aifab_yaml_map *m, void *entry)
{
	const yaml_node_pair_t *pair;
	unsigned int seen = 0;
	size_t i;

	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top; pair++) {
		int ret = ydoc_pair(r, pair, m, entry, &seen);

		if (ret)
			return ret;
	}
	for (i = 0; i < m->nkeys; i++)
		if (!(seen & (1U << i)) && !m->keys[i].optional)
			return aifab_yaml_fail(r, node, "missing key \"%s\" %s",
					       m->keys[i].name, m->what);
	return 0;
}

/**
 * aifab_yaml_root() - Read the mapping a file, or a section of one, is.
 * @r: The read.
 * @node: The node, which must be a mapping.
 * @rule: What it must be, for messages: "a mapping with keys a and b".
 * @m: Its keys.
 * @entry: The entry to fill.
 *
 * Return: 0, -EINVAL with r->err filled, or -ENOMEM.
 */
int aifab_yaml_root(struct aifab_yaml_read *r, const yaml_node_t *node,
		    const char *rule, const struct aifab_yaml_map *m,
		    void *entry)
{
	if (node->type != YAML_MAPPING_NODE)
		return aifab_yaml_fail(r, node, "expected %s, not %s", rule,
				       aifab_yaml_kind(node));
	return aifab_yaml_mapping(r, node, m, entry);
}

/* Why libyaml could not load a document: -EINVAL with @err, or errno. */
static int ydoc_yaml_error(const yaml_parser_t *p, FILE *f,
			   struct aifab_yaml_err *err)
{
	const char *problem = p->problem ? p->problem : "not YAML";

	if (p->error == YAML_MEMORY_ERROR)
		return -ENOMEM;
	if (ferror(f))
		return -EIO;
	/* The reader (bad UTF-8, control bytes) sets no mark of its own. */
	if (p->error == YAML_READER_ERROR)
		return aifab_yaml_errf(err, p->mark.line + 1,
				       p->mark.column + 1, "%s", problem);
	if (p->context)
		return aifab_yaml_errf(err, p->problem_mark.line + 1,
				       p->problem_mark.column + 1,
				       "%s (%s at line %zu)", problem,
				       p->context, p->context_mark.line + 1);
	return aifab_yaml_errf(err, p->problem_mark.line + 1,
			       p->problem_mark.column + 1, "%s", problem);
}

/* An empty file is refused: it is more likely truncated than meant. */
static int ydoc_document(yaml_document_t *doc,
			 const struct aifab_yaml_file *kind, void *entry,
			 struct aifab_yaml_err *err)
{
	struct aifab_yaml_read r = { doc, err };
	const yaml_node_t *root = yaml_document_get_root_node(doc);

	if (!root)
		return aifab_yaml_errf(err, 1, 1, "empty file: expected %s",
				       kind->rule);
	return aifab_yaml_root(&r, root, kind->rule, kind->map, entry);
}

/* A file holds one document: refuse a second after the first. */
static int ydoc_one_document(yaml_parser_t *p, FILE *f,
			     const struct aifab_yaml_file *kind,
			     struct aifab_yaml_err *err)
{
	yaml_document_t doc;
	const yaml_node_t *root;
	int ret = 0;

	if (!yaml_parser_load(p, &doc))
		return ydoc_yaml_error(p, f, err);
	root = yaml_document_get_root_node(&doc);
	if (root)
		ret = aifab_yaml_errf(err, ydoc_line(root), ydoc_col(root),
				      "a second document: %s holds one",
				      kind->name);
	yaml_document_delete(&doc);
	return ret;
}

/**
 * aifab_yaml_load() - Read a file's one document into an entry.
 * @f: The file.
 * @kind: What it holds: the keys of its root mapping.
 * @entry: Filled in; the caller releases it, whatever the outcome.
 * @err: Zeroed by the caller; filled in when the file is refused, and
 *       then to release with aifab_yaml_err_free().
 *
 * Checks that need the whole entry are the caller's, after this.
 *
 * Return: 0; -EINVAL with @err filled; -ENOMEM; or -EIO if reading failed.
 */
int aifab_yaml_load(FILE *f, const struct aifab_yaml_file *kind,
		    void *entry, struct aifab_yaml_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	int ret;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_file(&parser, f);
	if (yaml_parser_load(&parser, &doc)) {
		ret = ydoc_document(&doc, kind, entry, err);
		yaml_document_delete(&doc);
	} else {
		ret = ydoc_yaml_error(&parser, f, err);
	}
	if (!ret)
		ret = ydoc_one_document(&parser, f, kind, err);
	yaml_parser_delete(&parser);
	return ret;
}
