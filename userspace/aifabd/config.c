// SPDX-License-Identifier: GPL-2.0
/*
 * Reading aifabd's configuration file (format in config.h) with libyaml's
 * document API, as topo_parse.c reads a topology file; its "topology"
 * section is handed to that reader.
 *
 * Each entry is checked on its own as it is read (known keys only, each
 * once, required ones present, values of the right type and range); the
 * references between entries are checked once the whole file is read, so
 * that their order in the file does not matter. The first problem ends the
 * read, and the configuration is then freed whole: a daemon must never
 * apply half of a file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "array.h"
#include "config.h"
#include "names.h"
#include "str.h"

/* A read in progress. */
struct cp {
	yaml_document_t *doc;
	struct aifabd_config *cfg;
	struct topo_err *err;		/* line, column and bare message */
};

/* One key of a mapping, and how to read its value into the entry. */
struct cp_key {
	const char *name;
	int (*read)(struct cp *cp, const yaml_node_t *val, const char *key,
		    void *entry);
	bool optional;
};

/* A kind of mapping: its keys, and how messages name them and it. */
struct cp_map {
	const struct cp_key *keys;
	size_t nkeys;			/* at most 32 */
	const char *list;		/* "name, group or netns" */
	const char *what;		/* "in a tenant" */
};

static struct aifabd_pos cp_pos(const yaml_node_t *node)
{
	return (struct aifabd_pos){ node->start_mark.line + 1,
				    node->start_mark.column + 1 };
}

#define cp_fail(cp, node, ...) \
	topo_errf_at((cp)->err, (node)->start_mark.line + 1, \
		     (node)->start_mark.column + 1, __VA_ARGS__)

#define cp_fail_at(cp, pos, ...) \
	topo_errf_at((cp)->err, (pos).line, (pos).col, __VA_ARGS__)

static const yaml_node_t *cp_node(const struct cp *cp, int index)
{
	return yaml_document_get_node(cp->doc, index);
}

static int cp_bad(struct cp *cp, const yaml_node_t *val, const char *key,
		  const char *expected)
{
	char shown[TOPO_QUOTE_SIZE];

	topo_yaml_quote(val, shown, sizeof(shown));
	return cp_fail(cp, val, "invalid %s %s: expected %s", key, shown,
		       expected);
}

/*
 * The text of a scalar that YAML reads as @want: plain scalars by the 1.2
 * core schema, so that "name: 123" or "degrade_ppm: 1.5" is refused rather
 * than taken for something it is not; quoted ones are strings.
 */
static const char *cp_scalar(struct cp *cp, const yaml_node_t *val,
			     const char *key, enum topo_scalar want,
			     const char *expected)
{
	enum topo_scalar type = TOPO_STR;

	if (val->type != YAML_SCALAR_NODE) {
		cp_fail(cp, val, "invalid %s: expected %s, not %s", key,
			expected, topo_yaml_kind(val));
		return NULL;
	}
	if (topo_yaml_has_nul(val)) {
		cp_bad(cp, val, key, "no NUL characters");
		return NULL;
	}
	if (val->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		type = topo_scalar_type((const char *)val->data.scalar.value);
	if (type == want)
		return (const char *)val->data.scalar.value;
	if (want == TOPO_STR) {
		char shown[TOPO_QUOTE_SIZE];

		cp_fail(cp, val, "invalid %s %s: expected %s, not %s", key,
			topo_yaml_quote(val, shown, sizeof(shown)), expected,
			topo_yaml_kind(val));
	} else {
		cp_bad(cp, val, key, expected);
	}
	return NULL;
}

/* A name by the kernel's rule, into a buffer of AIFAB_NAME_MAX. */
static int cp_name(struct cp *cp, const yaml_node_t *val, const char *key,
		   char *dst)
{
	const char *s = cp_scalar(cp, val, key, TOPO_STR, "a string");

	if (!s)
		return -EINVAL;
	if (!aifab_name_valid(s))
		return cp_bad(cp, val, key, AIFAB_NAME_RULE);
	aifab_strscpy(dst, s, AIFAB_NAME_MAX);
	return 0;
}

static int cp_ref(struct cp *cp, const yaml_node_t *val, const char *key,
		  struct aifabd_ref *dst)
{
	dst->pos = cp_pos(val);
	return cp_name(cp, val, key, dst->name);
}

/* @expected says what is accepted: "an integer from 0 to @max". */
static int cp_u32(struct cp *cp, const yaml_node_t *val, const char *key,
		  uint32_t max, const char *expected, uint32_t *dst)
{
	const char *s = cp_scalar(cp, val, key, TOPO_INT, expected);
	uint64_t v;

	if (!s)
		return -EINVAL;
	/* Decimal only, as in topology files. */
	if (aifab_parse_u64(s, max, &v))
		return cp_bad(cp, val, key, expected);
	*dst = v;
	return 0;
}

/**
 * cp_pair() - Read one key and its value into an entry.
 * @cp: The read.
 * @pair: The key and value.
 * @m: The kind of mapping.
 * @entry: The entry being filled.
 * @seen: Bit per key already read, updated.
 *
 * Return: 0, -EINVAL with cp->err filled, or -ENOMEM.
 */
static int cp_pair(struct cp *cp, const yaml_node_pair_t *pair,
		   const struct cp_map *m, void *entry, unsigned int *seen)
{
	const yaml_node_t *k = cp_node(cp, pair->key);
	const char *name;
	size_t i;

	if (k->type != YAML_SCALAR_NODE)
		return cp_fail(cp, k, "invalid key %s: expected %s, not %s",
			       m->what, m->list, topo_yaml_kind(k));
	name = (const char *)k->data.scalar.value;
	/* A key cut short by a NUL is not the key it starts like. */
	for (i = topo_yaml_has_nul(k) ? m->nkeys : 0; i < m->nkeys; i++)
		if (!strcmp(m->keys[i].name, name))
			break;
	if (i == m->nkeys) {
		char shown[TOPO_QUOTE_SIZE];

		return cp_fail(cp, k, "unknown key %s %s: expected %s",
			       topo_yaml_quote(k, shown, sizeof(shown)),
			       m->what, m->list);
	}
	if (*seen & (1U << i))
		return cp_fail(cp, k, "duplicate key \"%s\" %s", name,
			       m->what);
	*seen |= 1U << i;
	return m->keys[i].read(cp, cp_node(cp, pair->value), name, entry);
}

static int cp_mapping(struct cp *cp, const yaml_node_t *node,
		      const struct cp_map *m, void *entry)
{
	const yaml_node_pair_t *pair;
	unsigned int seen = 0;
	size_t i;

	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top; pair++) {
		int ret = cp_pair(cp, pair, m, entry, &seen);

		if (ret)
			return ret;
	}
	for (i = 0; i < m->nkeys; i++)
		if (!(seen & (1U << i)) && !m->keys[i].optional)
			return cp_fail(cp, node, "missing key \"%s\" %s",
				       m->keys[i].name, m->what);
	return 0;
}

/* Call @each on every item of the list @val, the value of @key. */
static int cp_list(struct cp *cp, const yaml_node_t *val, const char *key,
		   int (*each)(struct cp *cp, const yaml_node_t *item,
			       void *arg),
		   void *arg)
{
	const yaml_node_item_t *item;

	if (val->type != YAML_SEQUENCE_NODE)
		return cp_fail(cp, val, "invalid %s: expected a list, not %s",
			       key, topo_yaml_kind(val));
	for (item = val->data.sequence.items.start;
	     item < val->data.sequence.items.top; item++) {
		int ret = each(cp, cp_node(cp, *item), arg);

		if (ret)
			return ret;
	}
	return 0;
}

/* An entry of a list of mappings, before its keys are read. */
static int cp_entry(struct cp *cp, const yaml_node_t *node, const char *list)
{
	if (node->type != YAML_MAPPING_NODE)
		return cp_fail(cp, node, "invalid entry of %s: expected a "
			       "mapping, not %s", list, topo_yaml_kind(node));
	return 0;
}

/* Tenants. */

static int cp_tenant_name(struct cp *cp, const yaml_node_t *val,
			  const char *key, void *entry)
{
	return cp_name(cp, val, key, ((struct aifabd_tenant *)entry)->name);
}

/* Tools take a group that is all digits for a gid, and '-' for an option. */
static int cp_tenant_group(struct cp *cp, const yaml_node_t *val,
			   const char *key, void *entry)
{
	char *group = ((struct aifabd_tenant *)entry)->group;
	int ret = cp_name(cp, val, key, group);

	if (ret)
		return ret;
	if (group[0] == '-' || strspn(group, "0123456789") == strlen(group))
		return cp_bad(cp, val, key, "a group name, not a number nor "
			      "starting with '-'");
	return 0;
}

/* "." and ".." would name /run/netns itself or its parent. */
static int cp_tenant_netns(struct cp *cp, const yaml_node_t *val,
			   const char *key, void *entry)
{
	char *netns = ((struct aifabd_tenant *)entry)->netns;
	int ret = cp_name(cp, val, key, netns);

	if (ret)
		return ret;
	if (!strcmp(netns, ".") || !strcmp(netns, ".."))
		return cp_bad(cp, val, key, "the name of a file in /run/netns");
	return 0;
}

static const struct cp_key cp_tenant_keys[] = {
	{ "name", cp_tenant_name, false },
	{ "group", cp_tenant_group, true },
	{ "netns", cp_tenant_netns, true },
};

static const struct cp_map cp_tenant_map = {
	cp_tenant_keys, AIFAB_ARRAY_SIZE(cp_tenant_keys),
	"name, group or netns", "in a tenant",
};

static int cp_tenant(struct cp *cp, const yaml_node_t *node, void *arg)
{
	struct aifabd_config *cfg = cp->cfg;
	struct aifabd_tenant *t;
	int ret = cp_entry(cp, node, "tenants");

	(void)arg;
	if (ret)
		return ret;
	if (aifab_grow(&cfg->tenants, &cfg->cap_tenants, cfg->ntenants,
		       sizeof(*t)))
		return -ENOMEM;
	t = &cfg->tenants[cfg->ntenants++];
	*t = (struct aifabd_tenant){ .pos = cp_pos(node) };
	return cp_mapping(cp, node, &cp_tenant_map, t);
}

/* Partitions. */

static int cp_part_name(struct cp *cp, const yaml_node_t *val,
			const char *key, void *entry)
{
	return cp_name(cp, val, key, ((struct aifabd_partition *)entry)->name);
}

static int cp_part_tenant(struct cp *cp, const yaml_node_t *val,
			  const char *key, void *entry)
{
	struct aifabd_partition *p = entry;

	return cp_ref(cp, val, key, &p->tenant);
}

static int cp_part_dev(struct cp *cp, const yaml_node_t *node, void *arg)
{
	struct aifabd_partition *p = arg;

	if (aifab_grow(&p->devs, &p->cap_devs, p->ndevs, sizeof(*p->devs)))
		return -ENOMEM;
	p->devs[p->ndevs] = (struct aifabd_ref){ 0 };
	return cp_ref(cp, node, "device", &p->devs[p->ndevs++]);
}

static int cp_part_devs(struct cp *cp, const yaml_node_t *val,
			const char *key, void *entry)
{
	return cp_list(cp, val, key, cp_part_dev, entry);
}

static const struct cp_key cp_part_keys[] = {
	{ "name", cp_part_name, false },
	{ "tenant", cp_part_tenant, false },
	{ "devices", cp_part_devs, true },
};

static const struct cp_map cp_part_map = {
	cp_part_keys, AIFAB_ARRAY_SIZE(cp_part_keys),
	"name, tenant or devices", "in a partition",
};

static int cp_part(struct cp *cp, const yaml_node_t *node, void *arg)
{
	struct aifabd_config *cfg = cp->cfg;
	struct aifabd_partition *p;
	int ret = cp_entry(cp, node, "partitions");

	(void)arg;
	if (ret)
		return ret;
	if (aifab_grow(&cfg->parts, &cfg->cap_parts, cfg->nparts, sizeof(*p)))
		return -ENOMEM;
	p = &cfg->parts[cfg->nparts++];
	*p = (struct aifabd_partition){ .pos = cp_pos(node) };
	return cp_mapping(cp, node, &cp_part_map, p);
}

/* Fences: each a list of two partition names. */

static int cp_fence(struct cp *cp, const yaml_node_t *node, void *arg)
{
	struct aifabd_config *cfg = cp->cfg;
	const yaml_node_item_t *items;
	struct aifabd_fence *f;
	size_t n;
	int ret;

	(void)arg;
	if (node->type != YAML_SEQUENCE_NODE)
		return cp_fail(cp, node, "invalid entry of fences: expected "
			       "a list of two partitions, not %s",
			       topo_yaml_kind(node));
	items = node->data.sequence.items.start;
	n = node->data.sequence.items.top - items;
	if (n != 2)
		return cp_fail(cp, node, "invalid entry of fences: expected "
			       "two partitions, not %zu", n);
	if (aifab_grow(&cfg->fences, &cfg->cap_fences, cfg->nfences,
		       sizeof(*f)))
		return -ENOMEM;
	f = &cfg->fences[cfg->nfences++];
	*f = (struct aifabd_fence){ .pos = cp_pos(node) };
	ret = cp_ref(cp, cp_node(cp, items[0]), "partition", &f->a);
	return ret ? ret : cp_ref(cp, cp_node(cp, items[1]), "partition",
				  &f->b);
}

/* Health. */

static int cp_degrade(struct cp *cp, const yaml_node_t *val, const char *key,
		      uint32_t *dst)
{
	return cp_u32(cp, val, key, AIFABD_DEGRADE_PPM_MAX,
		      "an integer from 0 to 1000000", dst);
}

static int cp_link_name(struct cp *cp, const yaml_node_t *val,
			const char *key, void *entry)
{
	return cp_name(cp, val, key,
		       ((struct aifabd_link_policy *)entry)->name);
}

static int cp_link_degrade(struct cp *cp, const yaml_node_t *val,
			   const char *key, void *entry)
{
	return cp_degrade(cp, val, key,
			  &((struct aifabd_link_policy *)entry)->degrade_ppm);
}

static const struct cp_key cp_link_keys[] = {
	{ "name", cp_link_name, false },
	{ "degrade_ppm", cp_link_degrade, false },
};

static const struct cp_map cp_link_map = {
	cp_link_keys, AIFAB_ARRAY_SIZE(cp_link_keys), "name or degrade_ppm",
	"in a link of health",
};

static int cp_link(struct cp *cp, const yaml_node_t *node, void *arg)
{
	struct aifabd_health_config *h = arg;
	struct aifabd_link_policy *l;
	int ret = cp_entry(cp, node, "links");

	if (ret)
		return ret;
	if (aifab_grow(&h->links, &h->cap_links, h->nlinks, sizeof(*l)))
		return -ENOMEM;
	l = &h->links[h->nlinks++];
	*l = (struct aifabd_link_policy){ .pos = cp_pos(node) };
	return cp_mapping(cp, node, &cp_link_map, l);
}

static int cp_health_degrade(struct cp *cp, const yaml_node_t *val,
			     const char *key, void *entry)
{
	return cp_degrade(cp, val, key,
			  &((struct aifabd_health_config *)entry)->degrade_ppm);
}

static int cp_health_damping(struct cp *cp, const yaml_node_t *val,
			     const char *key, void *entry)
{
	return cp_u32(cp, val, key, AIFABD_FLAP_DAMPING_MS_MAX,
		      "an integer from 0 to 3600000",
		      &((struct aifabd_health_config *)entry)->flap_damping_ms);
}

static const char *const cp_link_down_names[] = {
	[AIFABD_LINK_DOWN_REROUTE] = "reroute",
	[AIFABD_LINK_DOWN_DEGRADE] = "degrade",
	[AIFABD_LINK_DOWN_DOWN] = "down",
};

static int cp_health_link_down(struct cp *cp, const yaml_node_t *val,
			       const char *key, void *entry)
{
	static const char expected[] = "reroute, degrade or down";
	const char *s = cp_scalar(cp, val, key, TOPO_STR, expected);
	size_t i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < AIFAB_ARRAY_SIZE(cp_link_down_names); i++) {
		if (!strcmp(s, cp_link_down_names[i])) {
			((struct aifabd_health_config *)entry)->on_link_down = i;
			return 0;
		}
	}
	return cp_bad(cp, val, key, expected);
}

static int cp_health_links(struct cp *cp, const yaml_node_t *val,
			   const char *key, void *entry)
{
	return cp_list(cp, val, key, cp_link, entry);
}

static const struct cp_key cp_health_keys[] = {
	{ "degrade_ppm", cp_health_degrade, true },
	{ "flap_damping_ms", cp_health_damping, true },
	{ "on_link_down", cp_health_link_down, true },
	{ "links", cp_health_links, true },
};

static const struct cp_map cp_health_map = {
	cp_health_keys, AIFAB_ARRAY_SIZE(cp_health_keys),
	"degrade_ppm, flap_damping_ms, on_link_down or links", "in health",
};

/* The top level. */

static int cp_read_topology(struct cp *cp, const yaml_node_t *val,
			    const char *key, void *entry)
{
	struct aifabd_config *cfg = entry;
	char *msg;
	int ret;

	(void)key;
	ret = topo_parse_node(cp->doc, val, &cfg->topo, cp->err);
	cfg->has_topo = !ret;
	/* Only "no node is local" with no node lacks a place: the section's. */
	if (ret != -EINVAL || cp->err->col)
		return ret;
	msg = cp->err->msg;
	cp->err->msg = NULL;
	ret = cp_fail(cp, val, "%s", msg);
	free(msg);
	return ret;
}

static int cp_read_tenants(struct cp *cp, const yaml_node_t *val,
			   const char *key, void *entry)
{
	(void)entry;
	return cp_list(cp, val, key, cp_tenant, NULL);
}

static int cp_read_parts(struct cp *cp, const yaml_node_t *val,
			 const char *key, void *entry)
{
	(void)entry;
	return cp_list(cp, val, key, cp_part, NULL);
}

static int cp_read_fences(struct cp *cp, const yaml_node_t *val,
			  const char *key, void *entry)
{
	(void)entry;
	return cp_list(cp, val, key, cp_fence, NULL);
}

static int cp_read_health(struct cp *cp, const yaml_node_t *val,
			  const char *key, void *entry)
{
	struct aifabd_config *cfg = entry;

	if (val->type != YAML_MAPPING_NODE)
		return cp_fail(cp, val, "invalid %s: expected a mapping, not "
			       "%s", key, topo_yaml_kind(val));
	return cp_mapping(cp, val, &cp_health_map, &cfg->health);
}

static const struct cp_key cp_root_keys[] = {
	{ "topology", cp_read_topology, true },
	{ "tenants", cp_read_tenants, true },
	{ "partitions", cp_read_parts, true },
	{ "fences", cp_read_fences, true },
	{ "health", cp_read_health, true },
};

static const struct cp_map cp_root_map = {
	cp_root_keys, AIFAB_ARRAY_SIZE(cp_root_keys),
	"topology, tenants, partitions, fences or health", "at the top level",
};

/* Checks of references, once everything is read. */

/*
 * The first entry, in file order, whose name repeats an earlier one, and
 * that earlier one; entries start with their name. Configurations hold
 * tens of tenants and partitions, so quadratic is fine.
 */
static bool cp_first_dup(const void *table, size_t n, size_t size,
			 size_t *dup, size_t *first)
{
	const char *base = table;
	size_t i, j;

	for (i = 1; i < n; i++) {
		for (j = 0; j < i; j++) {
			if (!strcmp(base + i * size, base + j * size)) {
				*dup = i;
				*first = j;
				return true;
			}
		}
	}
	return false;
}

static bool cp_topo_has_dev(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ndevs; i++)
		if (!strcmp(t->devs[i].name, name))
			return true;
	return false;
}

static bool cp_topo_has_link(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nlinks; i++)
		if (!strcmp(t->links[i].name, name))
			return true;
	return false;
}

static int cp_check_tenants(struct cp *cp)
{
	const struct aifabd_config *cfg = cp->cfg;
	size_t dup, first;

	if (!cp_first_dup(cfg->tenants, cfg->ntenants, sizeof(*cfg->tenants),
			  &dup, &first))
		return 0;
	return cp_fail_at(cp, cfg->tenants[dup].pos,
			  "duplicate tenant \"%s\" (first at line %u)",
			  cfg->tenants[dup].name,
			  cfg->tenants[first].pos.line);
}

/* Where @name is a member, before partition @pi's device @di; or NULL. */
static const struct aifabd_ref *cp_member(const struct aifabd_config *cfg,
					  const char *name, size_t pi,
					  size_t di, size_t *in)
{
	size_t i, j;

	for (i = 0; i <= pi; i++) {
		const struct aifabd_partition *p = &cfg->parts[i];

		for (j = 0; j < (i < pi ? p->ndevs : di); j++) {
			if (!strcmp(p->devs[j].name, name)) {
				*in = i;
				return &p->devs[j];
			}
		}
	}
	return NULL;
}

static int cp_check_dev(struct cp *cp, size_t pi, size_t di)
{
	const struct aifabd_config *cfg = cp->cfg;
	const struct aifabd_partition *p = &cfg->parts[pi];
	const struct aifabd_ref *d = &p->devs[di];
	const struct aifabd_ref *prev;
	size_t in;

	if (cfg->has_topo && !cp_topo_has_dev(&cfg->topo, d->name))
		return cp_fail_at(cp, d->pos, "partition \"%s\" has unknown "
				  "device \"%s\"", p->name, d->name);
	prev = cp_member(cfg, d->name, pi, di, &in);
	if (prev && in == pi)
		return cp_fail_at(cp, d->pos, "device \"%s\" is listed twice "
				  "in partition \"%s\" (first at line %u)",
				  d->name, p->name, prev->pos.line);
	if (prev)
		return cp_fail_at(cp, d->pos, "device \"%s\" is already in "
				  "partition \"%s\" (line %u): a device is in "
				  "at most one partition", d->name,
				  cfg->parts[in].name, prev->pos.line);
	return 0;
}

static int cp_check_parts(struct cp *cp)
{
	const struct aifabd_config *cfg = cp->cfg;
	size_t dup, first, i, j;

	if (cp_first_dup(cfg->parts, cfg->nparts, sizeof(*cfg->parts), &dup,
			 &first))
		return cp_fail_at(cp, cfg->parts[dup].pos,
				  "duplicate partition \"%s\" (first at line "
				  "%u)", cfg->parts[dup].name,
				  cfg->parts[first].pos.line);
	for (i = 0; i < cfg->nparts; i++) {
		const struct aifabd_partition *p = &cfg->parts[i];

		if (!aifabd_config_tenant(cfg, p->tenant.name))
			return cp_fail_at(cp, p->tenant.pos, "partition \"%s\" "
					  "has unknown tenant \"%s\"", p->name,
					  p->tenant.name);
		for (j = 0; j < p->ndevs; j++) {
			int ret = cp_check_dev(cp, i, j);

			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Are two fences between the same partitions, whichever way round? */
static bool cp_same_fence(const struct aifabd_fence *x,
			  const struct aifabd_fence *y)
{
	return (!strcmp(x->a.name, y->a.name) &&
		!strcmp(x->b.name, y->b.name)) ||
	       (!strcmp(x->a.name, y->b.name) &&
		!strcmp(x->b.name, y->a.name));
}

static int cp_check_fence(struct cp *cp, size_t i)
{
	const struct aifabd_config *cfg = cp->cfg;
	const struct aifabd_fence *f = &cfg->fences[i];
	size_t j;

	if (!aifabd_config_partition(cfg, f->a.name))
		return cp_fail_at(cp, f->a.pos, "fence names unknown "
				  "partition \"%s\"", f->a.name);
	if (!aifabd_config_partition(cfg, f->b.name))
		return cp_fail_at(cp, f->b.pos, "fence names unknown "
				  "partition \"%s\"", f->b.name);
	if (!strcmp(f->a.name, f->b.name))
		return cp_fail_at(cp, f->b.pos, "fence joins partition \"%s\" "
				  "to itself", f->a.name);
	for (j = 0; j < i; j++)
		if (cp_same_fence(f, &cfg->fences[j]))
			return cp_fail_at(cp, f->pos, "duplicate fence "
					  "between \"%s\" and \"%s\" (first "
					  "at line %u)", f->a.name, f->b.name,
					  cfg->fences[j].pos.line);
	return 0;
}

static int cp_check_links(struct cp *cp)
{
	const struct aifabd_health_config *h = &cp->cfg->health;
	size_t dup, first, i;

	if (cp_first_dup(h->links, h->nlinks, sizeof(*h->links), &dup,
			 &first))
		return cp_fail_at(cp, h->links[dup].pos,
				  "duplicate link \"%s\" in health (first at "
				  "line %u)", h->links[dup].name,
				  h->links[first].pos.line);
	for (i = 0; cp->cfg->has_topo && i < h->nlinks; i++)
		if (!cp_topo_has_link(&cp->cfg->topo, h->links[i].name))
			return cp_fail_at(cp, h->links[i].pos, "health of "
					  "unknown link \"%s\"",
					  h->links[i].name);
	return 0;
}

/* Tenants first: a partition's tenant must be known to report on it. */
static int cp_check(struct cp *cp)
{
	size_t i;
	int ret;

	ret = cp_check_tenants(cp);
	if (!ret)
		ret = cp_check_parts(cp);
	for (i = 0; !ret && i < cp->cfg->nfences; i++)
		ret = cp_check_fence(cp, i);
	if (!ret)
		ret = cp_check_links(cp);
	return ret;
}

/* Loading the document. */

static int cp_yaml_error(const yaml_parser_t *p, FILE *f,
			 struct topo_err *err)
{
	const char *problem = p->problem ? p->problem : "not YAML";

	if (p->error == YAML_MEMORY_ERROR)
		return -ENOMEM;
	if (ferror(f))
		return -EIO;
	/* The reader (bad UTF-8, control bytes) sets no mark of its own. */
	if (p->error == YAML_READER_ERROR)
		return topo_errf_at(err, p->mark.line + 1, p->mark.column + 1,
				    "%s", problem);
	if (p->context)
		return topo_errf_at(err, p->problem_mark.line + 1,
				    p->problem_mark.column + 1,
				    "%s (%s at line %zu)", problem, p->context,
				    p->context_mark.line + 1);
	return topo_errf_at(err, p->problem_mark.line + 1,
			    p->problem_mark.column + 1, "%s", problem);
}

/*
 * An empty file is refused rather than read as "no partitions": a file
 * truncated by a bad edit must not tear down every tenant.
 */
static int cp_document(struct cp *cp)
{
	const yaml_node_t *root = yaml_document_get_root_node(cp->doc);
	int ret;

	if (!root)
		return topo_errf_at(cp->err, 1, 1, "empty file: expected a "
				    "mapping of %s", cp_root_map.list);
	if (root->type != YAML_MAPPING_NODE)
		return cp_fail(cp, root, "expected a mapping of %s, not %s",
			       cp_root_map.list, topo_yaml_kind(root));
	ret = cp_mapping(cp, root, &cp_root_map, cp->cfg);
	return ret ? ret : cp_check(cp);
}

/* A file holds one configuration: refuse a second document. */
static int cp_one_document(yaml_parser_t *p, FILE *f, struct topo_err *err)
{
	yaml_document_t doc;
	const yaml_node_t *root;
	int ret = 0;

	if (!yaml_parser_load(p, &doc))
		return cp_yaml_error(p, f, err);
	root = yaml_document_get_root_node(&doc);
	if (root)
		ret = topo_errf_at(err, root->start_mark.line + 1,
				   root->start_mark.column + 1,
				   "a second document: a configuration file "
				   "holds one");
	yaml_document_delete(&doc);
	return ret;
}

static int cp_read(FILE *f, struct aifabd_config *cfg, struct topo_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct cp cp = { &doc, cfg, err };
	int ret;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_file(&parser, f);
	if (yaml_parser_load(&parser, &doc)) {
		ret = cp_document(&cp);
		yaml_document_delete(&doc);
	} else {
		ret = cp_yaml_error(&parser, f, err);
	}
	if (!ret)
		ret = cp_one_document(&parser, f, err);
	yaml_parser_delete(&parser);
	return ret;
}

/* The message with its place, or an errno's text with the file's name. */
static int cp_report(struct aifabd_config_err *err, const char *name,
		     const struct topo_err *e, int ret)
{
	int n;

	aifabd_config_err_free(err);
	if (ret == -EINVAL && e->msg) {
		err->line = e->line;
		err->col = e->col;
		n = asprintf(&err->msg, "%s:%u:%u: %s", name, e->line, e->col,
			     e->msg);
	} else {
		n = asprintf(&err->msg, "%s: %s", name, strerror(-ret));
	}
	if (n < 0)
		err->msg = NULL;
	return ret;
}

/**
 * aifabd_config_parse() - Read and check a configuration.
 * @f: The file.
 * @name: Its name, for messages.
 * @cfg: Filled in; left empty on failure.
 * @err: Zeroed by the caller; on failure, filled with the message (unless
 *       memory ran out building it), to release with
 *       aifabd_config_err_free().
 *
 * Return: 0; -EINVAL if the file is refused; -ENOMEM; or -EIO.
 */
int aifabd_config_parse(FILE *f, const char *name, struct aifabd_config *cfg,
			struct aifabd_config_err *err)
{
	struct topo_err e = { 0 };
	int ret = -ENOMEM;

	*cfg = (struct aifabd_config){
		.health = {
			.degrade_ppm = AIFABD_DEFAULT_DEGRADE_PPM,
			.flap_damping_ms = AIFABD_DEFAULT_FLAP_DAMPING_MS,
			.on_link_down = AIFABD_LINK_DOWN_REROUTE,
		},
	};
	cfg->file = strdup(name);
	if (cfg->file)
		ret = cp_read(f, cfg, &e);
	if (ret) {
		aifabd_config_free(cfg);
		cp_report(err, name, &e, ret);
	}
	topo_err_free(&e);
	return ret;
}

/**
 * aifabd_config_load() - Read and check a configuration file by name.
 * @path: The file.
 * @cfg: Filled in; left empty on failure.
 * @err: As for aifabd_config_parse(); "PATH: strerror" when it cannot be
 *       opened.
 *
 * Return: 0, -EINVAL if the file is refused, or another negative errno.
 */
int aifabd_config_load(const char *path, struct aifabd_config *cfg,
		       struct aifabd_config_err *err)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		ret = -errno;
		*cfg = (struct aifabd_config){ 0 };
		return cp_report(err, path, &(struct topo_err){ 0 }, ret);
	}
	ret = aifabd_config_parse(f, path, cfg, err);
	fclose(f);
	return ret;
}

/* Larger than any sensible configuration: a guard against reading /dev/zero. */
#define CP_TEXT_MAX	(16U << 20)

static int cp_slurp(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "r");
	FILE *m;
	char buf[8192];
	size_t n;
	int ret = 0;

	if (!f)
		return -errno;
	m = open_memstream(text, len);
	if (!m) {
		fclose(f);
		return -ENOMEM;
	}
	while (!ret && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (fwrite(buf, 1, n, m) != n || ftell(m) > (long)CP_TEXT_MAX)
			ret = -EFBIG;
	if (!ret && ferror(f))
		ret = -EIO;
	fclose(f);
	if (fclose(m) && !ret)
		ret = -ENOMEM;
	if (ret) {
		free(*text);
		*text = NULL;
	}
	return ret;
}

/**
 * aifabd_config_load_text() - Read a configuration file, keeping its text.
 * @path: The file.
 * @cfg: Filled in; left empty on failure.
 * @err: As for aifabd_config_load().
 * @text: Set to the bytes that were parsed (NUL-terminated), to free();
 *	NULL on failure. What aifabd saves as the applied configuration and
 *	hashes is then exactly what it read, even if the file changes.
 * @len: Set to their length.
 *
 * Return: 0 or a negative errno value.
 */
int aifabd_config_load_text(const char *path, struct aifabd_config *cfg,
			    struct aifabd_config_err *err, char **text,
			    size_t *len)
{
	FILE *f;
	int ret;

	*cfg = (struct aifabd_config){ 0 };
	*text = NULL;
	ret = cp_slurp(path, text, len);
	if (ret)
		return cp_report(err, path, &(struct topo_err){ 0 }, ret);
	/* fmemopen() of nothing is refused: an empty file reads as one. */
	f = *len ? fmemopen(*text, *len, "r") : fopen("/dev/null", "r");
	if (!f) {
		ret = -ENOMEM;
	} else {
		ret = aifabd_config_parse(f, path, cfg, err);
		fclose(f);
	}
	if (ret) {
		free(*text);
		*text = NULL;
	}
	return ret;
}

/*
 * Read by the same reader as any file, so that it cannot drift from the
 * format. It keeps the kernel's topology, whatever it is.
 */
const char aifabd_config_default_yaml[] =
	"# aifabd's embedded default: the kernel's topology as it is, no\n"
	"# tenants, no partitions, no fences, the default health policy.\n"
	"tenants: []\n"
	"partitions: []\n"
	"fences: []\n"
	"health:\n"
	"  degrade_ppm: 1000\n"
	"  flap_damping_ms: 5000\n"
	"  on_link_down: reroute\n";

/**
 * aifabd_config_default() - The configuration used without a file.
 * @cfg: Filled in; empty on failure.
 * @err: As for aifabd_config_parse().
 *
 * Return: 0, or -ENOMEM.
 */
int aifabd_config_default(struct aifabd_config *cfg,
			  struct aifabd_config_err *err)
{
	FILE *f = fmemopen((void *)aifabd_config_default_yaml,
			   strlen(aifabd_config_default_yaml), "r");
	int ret;

	if (!f) {
		*cfg = (struct aifabd_config){ 0 };
		return -ENOMEM;
	}
	ret = aifabd_config_parse(f, "<default>", cfg, err);
	fclose(f);
	return ret;
}

/**
 * aifabd_config_free() - Release a configuration.
 * @cfg: Filled or empty; left empty.
 */
void aifabd_config_free(struct aifabd_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nparts; i++)
		free(cfg->parts[i].devs);
	free(cfg->parts);
	free(cfg->tenants);
	free(cfg->fences);
	free(cfg->health.links);
	topo_free(&cfg->topo);
	free(cfg->file);
	*cfg = (struct aifabd_config){ 0 };
}

void aifabd_config_err_free(struct aifabd_config_err *err)
{
	free(err->msg);
	*err = (struct aifabd_config_err){ 0 };
}

const struct aifabd_tenant *
aifabd_config_tenant(const struct aifabd_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->ntenants; i++)
		if (!strcmp(cfg->tenants[i].name, name))
			return &cfg->tenants[i];
	return NULL;
}

const struct aifabd_partition *
aifabd_config_partition(const struct aifabd_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nparts; i++)
		if (!strcmp(cfg->parts[i].name, name))
			return &cfg->parts[i];
	return NULL;
}

/**
 * aifabd_config_degrade_ppm() - The degrade threshold a link should have.
 * @cfg: Configuration.
 * @link: The link's name.
 *
 * Return: its override, or the health section's value for every link.
 */
uint32_t aifabd_config_degrade_ppm(const struct aifabd_config *cfg,
				   const char *link)
{
	size_t i;

	for (i = 0; i < cfg->health.nlinks; i++)
		if (!strcmp(cfg->health.links[i].name, link))
			return cfg->health.links[i].degrade_ppm;
	return cfg->health.degrade_ppm;
}

const char *aifabd_link_down_name(enum aifabd_link_down v)
{
	return v < AIFAB_ARRAY_SIZE(cp_link_down_names) ?
	       cp_link_down_names[v] : "?";
}
