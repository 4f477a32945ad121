// SPDX-License-Identifier: GPL-2.0
/*
 * The topology model: its tables, and the checks that need the whole of
 * it (names unique, references resolved). See topo.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "topo.h"

/**
 * topo_free() - Release a model's tables.
 * @t: Model; left empty, ready for reuse.
 */
void topo_free(struct topo *t)
{
	free(t->nodes);
	free(t->devs);
	free(t->links);
	*t = (struct topo){ 0 };
}

/* The topo_add_*() functions return a zeroed entry, or NULL without memory. */
struct topo_node *topo_add_node(struct topo *t)
{
	if (aifab_grow(&t->nodes, &t->cap_nodes, t->nnodes, sizeof(*t->nodes)))
		return NULL;
	t->nodes[t->nnodes] = (struct topo_node){ 0 };
	return &t->nodes[t->nnodes++];
}

struct topo_dev *topo_add_dev(struct topo *t)
{
	if (aifab_grow(&t->devs, &t->cap_devs, t->ndevs, sizeof(*t->devs)))
		return NULL;
	t->devs[t->ndevs] = (struct topo_dev){ 0 };
	return &t->devs[t->ndevs++];
}

struct topo_link *topo_add_link(struct topo *t)
{
	if (aifab_grow(&t->links, &t->cap_links, t->nlinks, sizeof(*t->links)))
		return NULL;
	t->links[t->nlinks] = (struct topo_link){ 0 };
	return &t->links[t->nlinks++];
}

static int topo_verrf(struct topo_err *err, unsigned int line,
		      unsigned int col, const char *fmt, va_list ap)
{
	topo_err_free(err);
	err->line = line;
	err->col = col;
	if (vasprintf(&err->msg, fmt, ap) < 0) {
		err->msg = NULL;
		return -ENOMEM;
	}
	return -EINVAL;
}

/**
 * topo_errf() - Say where and why a topology file is wrong.
 * @err: Filled in; its message replaces any earlier one.
 * @line: The line, from 1.
 * @fmt: printf() format of the message.
 * @...: Its arguments.
 *
 * Return: -EINVAL, for the caller to return, or -ENOMEM if the message
 * could not be built.
 */
int topo_errf(struct topo_err *err, unsigned int line, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = topo_verrf(err, line, 0, fmt, ap);
	va_end(ap);
	return ret;
}

/**
 * topo_errf_at() - topo_errf(), with the column as well.
 * @err: Filled in; its message replaces any earlier one.
 * @line: The line, from 1.
 * @col: The column, from 1, or 0 when not known.
 * @fmt: printf() format of the message.
 * @...: Its arguments.
 *
 * Return: -EINVAL, or -ENOMEM if the message could not be built.
 */
int topo_errf_at(struct topo_err *err, unsigned int line, unsigned int col,
		 const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = topo_verrf(err, line, col, fmt, ap);
	va_end(ap);
	return ret;
}

/**
 * topo_err_free() - Release an error's message.
 * @err: Error, zeroed or filled by topo_errf().
 */
void topo_err_free(struct topo_err *err)
{
	free(err->msg);
	err->msg = NULL;
}

/*
 * A name to look up or compare: one string, or for a link's two ends, the
 * smaller and the larger, so that a-b and b-a are the same pair.
 */
struct topo_key {
	const char *s1;
	const char *s2;
	size_t idx;			/* in its table, which is file order */
};

static int topo_key_cmp(const void *x, const void *y)
{
	const struct topo_key *a = x;
	const struct topo_key *b = y;
	int c = strcmp(a->s1, b->s1);

	if (!c)
		c = strcmp(a->s2, b->s2);
	if (!c)
		c = (a->idx > b->idx) - (a->idx < b->idx);
	return c;
}

/* Two keys name the same thing; the index does not matter here. */
static bool topo_key_same(const struct topo_key *a, const struct topo_key *b)
{
	return !strcmp(a->s1, b->s1) && !strcmp(a->s2, b->s2);
}

/**
 * topo_first_dup() - Find the first entry, in file order, that repeats one
 *	before it.
 * @k: Keys, sorted.
 * @n: Their number.
 * @first: Filled with the index of the entry it repeats.
 *
 * Sorting makes this O(n log n): fabrics have thousands of links.
 *
 * Return: The index of the repeat, or -1 if every key is unique.
 */
static long topo_first_dup(const struct topo_key *k, size_t n, size_t *first)
{
	long dup = -1;
	size_t i;

	for (i = 1; i < n; i++) {
		if (!topo_key_same(&k[i - 1], &k[i]))
			continue;
		if (dup < 0 || k[i].idx < (size_t)dup) {
			dup = k[i].idx;
			*first = k[i - 1].idx;
		}
	}
	return dup;
}

/* Is there an entry named @name? */
static bool topo_has(const struct topo_key *k, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	/* The keys are sorted by name first: find the lowest match. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(k[mid].s1, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(k[lo].s1, name);
}

/* Sorted keys of the names of a table; freed by the caller. */
static struct topo_key *topo_names(const void *table, size_t n, size_t size)
{
	struct topo_key *k = calloc(n ? n : 1, sizeof(*k));
	size_t i;

	if (!k)
		return NULL;
	/* Every entry of every table starts with its name. */
	for (i = 0; i < n; i++)
		k[i] = (struct topo_key){
			(const char *)table + i * size, "", i
		};
	qsort(k, n, sizeof(*k), topo_key_cmp);
	return k;
}

/* One node is the host the module runs on: exactly one. */
static int topo_check_local(const struct topo *t, struct topo_err *err)
{
	const struct topo_node *local = NULL;
	size_t i;

	for (i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[i];

		if (n->local && local)
			return topo_errf_at(err, n->line, n->col,
					    "node \"%s\" is local, and so is "
					    "node \"%s\" (line %u): exactly "
					    "one node is", n->name,
					    local->name, local->line);
		if (n->local)
			local = n;
	}
	if (!local)
		return topo_errf_at(err, t->nnodes ? t->nodes[0].line : 1,
				    t->nnodes ? t->nodes[0].col : 0,
				    "no node is local: exactly one node is, "
				    "the host the module runs on");
	return 0;
}

static int topo_check_nodes(const struct topo *t, const struct topo_key *nodes,
			    struct topo_err *err)
{
	size_t first;
	long i = topo_first_dup(nodes, t->nnodes, &first);

	if (i < 0)
		return topo_check_local(t, err);
	return topo_errf_at(err, t->nodes[i].line, t->nodes[i].col,
			    "duplicate node \"%s\" (first at line %u)",
			    t->nodes[i].name, t->nodes[first].line);
}

static int topo_check_devs(const struct topo *t, const struct topo_key *nodes,
			   const struct topo_key *devs, struct topo_err *err)
{
	size_t first;
	long i = topo_first_dup(devs, t->ndevs, &first);
	size_t j;

	if (i >= 0)
		return topo_errf_at(err, t->devs[i].line, t->devs[i].col,
				    "duplicate device \"%s\" (first at line "
				    "%u)",
				    t->devs[i].name, t->devs[first].line);
	for (j = 0; j < t->ndevs; j++) {
		const struct topo_dev *d = &t->devs[j];

		if (!topo_has(nodes, t->nnodes, d->node))
			return topo_errf_at(err, d->node_line, d->node_col,
					    "device \"%s\" is on unknown node \"%s\"",
					    d->name, d->node);
	}
	return 0;
}

static int topo_check_link_ends(const struct topo *t,
				const struct topo_key *devs,
				struct topo_err *err)
{
	size_t j;

	for (j = 0; j < t->nlinks; j++) {
		const struct topo_link *l = &t->links[j];

		if (!topo_has(devs, t->ndevs, l->a))
			return topo_errf_at(err, l->a_line, l->a_col,
					    "link \"%s\" joins unknown device \"%s\"",
					    l->name, l->a);
		if (!topo_has(devs, t->ndevs, l->b))
			return topo_errf_at(err, l->b_line, l->b_col,
					    "link \"%s\" joins unknown device \"%s\"",
					    l->name, l->b);
		if (!strcmp(l->a, l->b))
			return topo_errf_at(err, l->b_line, l->b_col,
					    "link \"%s\" joins \"%s\" to itself",
					    l->name, l->a);
	}
	return 0;
}

/* The fabric allows one link per pair of devices, whichever way round. */
static int topo_check_pairs(const struct topo *t, struct topo_err *err)
{
	struct topo_key *k = calloc(t->nlinks ? t->nlinks : 1, sizeof(*k));
	size_t first;
	size_t j;
	long i;

	if (!k)
		return -ENOMEM;
	for (j = 0; j < t->nlinks; j++) {
		const struct topo_link *l = &t->links[j];
		bool swap = strcmp(l->a, l->b) > 0;

		k[j] = (struct topo_key){ swap ? l->b : l->a,
					  swap ? l->a : l->b, j };
	}
	qsort(k, t->nlinks, sizeof(*k), topo_key_cmp);
	i = topo_first_dup(k, t->nlinks, &first);
	free(k);
	if (i < 0)
		return 0;
	return topo_errf_at(err, t->links[i].line, t->links[i].col,
			    "link \"%s\" joins the same devices as link \"%s\" "
			    "(line %u)", t->links[i].name, t->links[first].name,
			    t->links[first].line);
}

static int topo_check_links(const struct topo *t, const struct topo_key *devs,
			    struct topo_err *err)
{
	struct topo_key *links;
	size_t first;
	long i;
	int ret;

	links = topo_names(t->links, t->nlinks, sizeof(*t->links));
	if (!links)
		return -ENOMEM;
	i = topo_first_dup(links, t->nlinks, &first);
	free(links);
	if (i >= 0)
		return topo_errf_at(err, t->links[i].line, t->links[i].col,
				    "duplicate link \"%s\" (first at line %u)",
				    t->links[i].name, t->links[first].line);
	ret = topo_check_link_ends(t, devs, err);
	return ret ? ret : topo_check_pairs(t, err);
}

/**
 * topo_check() - Check what needs the whole model.
 * @t: Model, each entry already valid on its own.
 * @err: Filled in when the model is refused.
 *
 * In this order: node names unique, and exactly one node local; device
 * names unique, and every device
 * on a listed node; link names unique, both ends listed devices, not the
 * same device, and no two links joining the same pair. The first problem
 * found is reported, the earliest in the file of its kind.
 *
 * Return: 0, -EINVAL with @err filled, or -ENOMEM.
 */
int topo_check(const struct topo *t, struct topo_err *err)
{
	struct topo_key *nodes, *devs;
	int ret = -ENOMEM;

	nodes = topo_names(t->nodes, t->nnodes, sizeof(*t->nodes));
	devs = topo_names(t->devs, t->ndevs, sizeof(*t->devs));
	if (nodes && devs)
		ret = topo_check_nodes(t, nodes, err);
	if (!ret)
		ret = topo_check_devs(t, nodes, devs, err);
	if (!ret)
		ret = topo_check_links(t, devs, err);
	free(nodes);
	free(devs);
	return ret;
}

static bool topo_is_digits(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool topo_is_float(const char *s)
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
		return topo_is_digits(s, "0123456789");
	}
	return !*s;
}

static bool topo_is_one_of(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(s, *words))
			return true;
	return false;
}

/**
 * topo_scalar_type() - How YAML reads a plain scalar.
 * @s: The scalar, unquoted.
 *
 * By the YAML 1.2 core schema. libyaml leaves typing to its users, so
 * without this "name: 123" would be taken for a name, and "local: yes"
 * for a string rather than refused.
 *
 * Return: &enum topo_scalar.
 */
enum topo_scalar topo_scalar_type(const char *s)
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

	if (topo_is_one_of(s, nulls))
		return TOPO_NULL;
	if (topo_is_one_of(s, bools))
		return TOPO_BOOL;
	if (topo_is_digits(digits, "0123456789") ||
	    (!strncmp(s, "0o", 2) && topo_is_digits(s + 2, "01234567")) ||
	    (!strncmp(s, "0x", 2) &&
	     topo_is_digits(s + 2, "0123456789abcdefABCDEF")))
		return TOPO_INT;
	if (topo_is_float(s) || topo_is_one_of(s, specials))
		return TOPO_FLOAT;
	return TOPO_STR;
}

/**
 * topo_plain_safe() - May a string be written as a plain scalar?
 * @s: The string.
 *
 * Not if a reader would take it for something else: by the 1.2 core
 * schema, and by YAML 1.1, which other tools still read with (its "yes",
 * "off" and numbers such as "1_000"). Such strings are quoted.
 *
 * Return: true if @s reads back as the same string.
 */
bool topo_plain_safe(const char *s)
{
	static const char *const yaml11[] = {
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"on", "On", "ON", "off", "Off", "OFF", NULL
	};
	const char *p = s + (*s == '-' || *s == '+' || *s == '.');

	if (topo_scalar_type(s) != TOPO_STR || topo_is_one_of(s, yaml11))
		return false;
	return !(*s >= '0' && *s <= '9') && !(*p >= '0' && *p <= '9');
}
