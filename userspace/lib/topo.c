// SPDX-License-Identifier: GPL-2.0
/*
 * The topology model: its tables, and the checks that need the whole of
 * it (names unique, references resolved). See topo.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "topo.h"
#include "yaml_doc.h"

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
	return aifab_append(&t->nodes, &t->cap_nodes, &t->nnodes,
			    sizeof(*t->nodes));
}

struct topo_dev *topo_add_dev(struct topo *t)
{
	return aifab_append(&t->devs, &t->cap_devs, &t->ndevs,
			    sizeof(*t->devs));
}

struct topo_link *topo_add_link(struct topo *t)
{
	return aifab_append(&t->links, &t->cap_links, &t->nlinks,
			    sizeof(*t->links));
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
static int topo_check_local(const struct topo *t, struct aifab_yaml_err *err)
{
	const struct topo_node *local = NULL;
	size_t i;

	for (i = 0; i < t->nnodes; i++) {
		const struct topo_node *n = &t->nodes[i];

		if (n->local && local)
			return aifab_yaml_errf(err, n->line, n->col,
					       "node \"%s\" is local, and so "
					       "is node \"%s\" (line %u): "
					       "exactly one node is", n->name,
					       local->name, local->line);
		if (n->local)
			local = n;
	}
	if (!local)
		return aifab_yaml_errf(err, t->nnodes ? t->nodes[0].line : 1,
				       t->nnodes ? t->nodes[0].col : 0,
				       "no node is local: exactly one node is, "
				       "the host the module runs on");
	return 0;
}

static int topo_check_nodes(const struct topo *t, const struct topo_key *nodes,
			    struct aifab_yaml_err *err)
{
	size_t first;
	long i = topo_first_dup(nodes, t->nnodes, &first);

	if (i < 0)
		return topo_check_local(t, err);
	return aifab_yaml_errf(err, t->nodes[i].line, t->nodes[i].col,
			       "duplicate node \"%s\" (first at line %u)",
			       t->nodes[i].name, t->nodes[first].line);
}

static int topo_check_devs(const struct topo *t, const struct topo_key *nodes,
			   const struct topo_key *devs,
			   struct aifab_yaml_err *err)
{
	size_t first;
	long i = topo_first_dup(devs, t->ndevs, &first);
	size_t j;

	if (i >= 0)
		return aifab_yaml_errf(err, t->devs[i].line, t->devs[i].col,
				       "duplicate device \"%s\" (first at line "
				       "%u)",
				       t->devs[i].name, t->devs[first].line);
	for (j = 0; j < t->ndevs; j++) {
		const struct topo_dev *d = &t->devs[j];

		if (!topo_has(nodes, t->nnodes, d->node))
			return aifab_yaml_errf(err, d->node_line, d->node_col,
					       "device \"%s\" is on unknown "
					       "node \"%s\"", d->name, d->node);
	}
	return 0;
}

static int topo_check_link_ends(const struct topo *t,
				const struct topo_key *devs,
				struct aifab_yaml_err *err)
{
	size_t j;

	for (j = 0; j < t->nlinks; j++) {
		const struct topo_link *l = &t->links[j];

		if (!topo_has(devs, t->ndevs, l->a))
			return aifab_yaml_errf(err, l->a_line, l->a_col,
					       "link \"%s\" joins unknown "
					       "device \"%s\"", l->name, l->a);
		if (!topo_has(devs, t->ndevs, l->b))
			return aifab_yaml_errf(err, l->b_line, l->b_col,
					       "link \"%s\" joins unknown "
					       "device \"%s\"", l->name, l->b);
		if (!strcmp(l->a, l->b))
			return aifab_yaml_errf(err, l->b_line, l->b_col,
					       "link \"%s\" joins \"%s\" to "
					       "itself", l->name, l->a);
	}
	return 0;
}

/* The fabric allows one link per pair of devices, whichever way round. */
static int topo_check_pairs(const struct topo *t, struct aifab_yaml_err *err)
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
	return aifab_yaml_errf(err, t->links[i].line, t->links[i].col,
			       "link \"%s\" joins the same devices as link "
			       "\"%s\" (line %u)", t->links[i].name,
			       t->links[first].name, t->links[first].line);
}

static int topo_check_links(const struct topo *t, const struct topo_key *devs,
			    struct aifab_yaml_err *err)
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
		return aifab_yaml_errf(err, t->links[i].line, t->links[i].col,
				       "duplicate link \"%s\" (first at line "
				       "%u)", t->links[i].name,
				       t->links[first].line);
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
int topo_check(const struct topo *t, struct aifab_yaml_err *err)
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
