// SPDX-License-Identifier: GPL-2.0
/*
 * Reading aifabd's configuration file (format in config.h) with the YAML
 * document reader that topology files are read with (yaml_doc.h); its
 * "topology" section is handed to the topology reader itself, so that a
 * topology is accepted and refused alike in either file.
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
#include "yaml_doc.h"

static struct aifabd_pos cp_pos(const yaml_node_t *node)
{
	return (struct aifabd_pos){ node->start_mark.line + 1,
				    node->start_mark.column + 1 };
}

/* A name that refers to something else, and where it is written. */
static int cp_ref(struct aifab_yaml_read *r, const yaml_node_t *val,
		  const char *key, struct aifabd_ref *dst)
{
	dst->pos = cp_pos(val);
	return aifab_yaml_read_name(r, val, key, dst->name);
}

/* @expected says what is accepted: "an integer from 0 to @max". */
static int cp_u32(struct aifab_yaml_read *r, const yaml_node_t *val,
		  const char *key, uint32_t max, const char *expected,
		  void *dst)
{
	uint64_t v;
	int ret = aifab_yaml_u64(r, val, key, max, expected, &v);

	if (!ret)
		*(uint32_t *)dst = v;
	return ret;
}

/* Tenants. */

/* Tools take a group that is all digits for a gid, and '-' for an option. */
static int cp_read_group(struct aifab_yaml_read *r, const yaml_node_t *val,
			 const char *key, void *dst)
{
	char *group = dst;
	int ret = aifab_yaml_read_name(r, val, key, group);

	if (ret)
		return ret;
	if (group[0] == '-' || strspn(group, "0123456789") == strlen(group))
		return aifab_yaml_bad(r, val, key, "a group name, not a number "
				      "nor starting with '-'");
	return 0;
}

/* "." and ".." would name /run/netns itself or its parent. */
static int cp_read_netns(struct aifab_yaml_read *r, const yaml_node_t *val,
			 const char *key, void *dst)
{
	char *netns = dst;
	int ret = aifab_yaml_read_name(r, val, key, netns);

	if (ret)
		return ret;
	if (!strcmp(netns, ".") || !strcmp(netns, ".."))
		return aifab_yaml_bad(r, val, key,
				      "the name of a file in /run/netns");
	return 0;
}

static const struct aifab_yaml_key cp_tenant_keys[] = {
	AIFAB_YAML_KEY("name", struct aifabd_tenant, name,
		       aifab_yaml_read_name, false),
	AIFAB_YAML_KEY("group", struct aifabd_tenant, group, cp_read_group,
		       true),
	AIFAB_YAML_KEY("netns", struct aifabd_tenant, netns, cp_read_netns,
		       true),
};

static const struct aifab_yaml_map cp_tenant_map = {
	cp_tenant_keys, AIFAB_ARRAY_SIZE(cp_tenant_keys),
	"name, group or netns", "in a tenant",
};

static void *cp_add_tenant(void *container)
{
	struct aifabd_config *cfg = container;

	return aifab_append(&cfg->tenants, &cfg->cap_tenants, &cfg->ntenants,
			    sizeof(*cfg->tenants));
}

static const struct aifab_yaml_list cp_tenants = {
	&cp_tenant_map, cp_add_tenant, offsetof(struct aifabd_tenant, pos.line),
	offsetof(struct aifabd_tenant, pos.col), NULL,
};

/* Partitions. */

static int cp_part_dev(struct aifab_yaml_read *r, const yaml_node_t *node,
		       void *arg)
{
	struct aifabd_partition *p = arg;
	struct aifabd_ref *d = aifab_append(&p->devs, &p->cap_devs, &p->ndevs,
					    sizeof(*p->devs));

	return d ? cp_ref(r, node, "device", d) : -ENOMEM;
}

static int cp_read_part_devs(struct aifab_yaml_read *r,
			     const yaml_node_t *val, const char *key,
			     void *dst)
{
	return aifab_yaml_list(r, val, key, cp_part_dev, dst);
}

static const struct aifab_yaml_key cp_part_keys[] = {
	AIFAB_YAML_KEY("name", struct aifabd_partition, name,
		       aifab_yaml_read_name, false),
	AIFAB_YAML_KEY_AT("tenant", struct aifabd_partition, tenant.name,
			  aifab_yaml_read_name, tenant.pos.line,
			  tenant.pos.col, false),
	AIFAB_YAML_ENTRY_KEY("devices", cp_read_part_devs, true),
};

static const struct aifab_yaml_map cp_part_map = {
	cp_part_keys, AIFAB_ARRAY_SIZE(cp_part_keys),
	"name, tenant or devices", "in a partition",
};

static void *cp_add_part(void *container)
{
	struct aifabd_config *cfg = container;

	return aifab_append(&cfg->parts, &cfg->cap_parts, &cfg->nparts,
			    sizeof(*cfg->parts));
}

static const struct aifab_yaml_list cp_parts = {
	&cp_part_map, cp_add_part, offsetof(struct aifabd_partition, pos.line),
	offsetof(struct aifabd_partition, pos.col), NULL,
};

/* Fences: each a list of two partition names. */

static int cp_fence(struct aifab_yaml_read *r, const yaml_node_t *node,
		    void *arg)
{
	struct aifabd_config *cfg = arg;
	const yaml_node_item_t *items;
	struct aifabd_fence *f;
	size_t n;
	int ret;

	if (node->type != YAML_SEQUENCE_NODE)
		return aifab_yaml_fail(r, node, "invalid entry of fences: "
				       "expected a list of two partitions, "
				       "not %s", aifab_yaml_kind(node));
	items = node->data.sequence.items.start;
	n = node->data.sequence.items.top - items;
	if (n != 2)
		return aifab_yaml_fail(r, node, "invalid entry of fences: "
				       "expected two partitions, not %zu", n);
	f = aifab_append(&cfg->fences, &cfg->cap_fences, &cfg->nfences,
			 sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->pos = cp_pos(node);
	ret = cp_ref(r, yaml_document_get_node(r->doc, items[0]), "partition",
		     &f->a);
	return ret ? ret : cp_ref(r, yaml_document_get_node(r->doc, items[1]),
				  "partition", &f->b);
}

static int cp_read_fences(struct aifab_yaml_read *r, const yaml_node_t *val,
			  const char *key, void *dst)
{
	return aifab_yaml_list(r, val, key, cp_fence, dst);
}

/* Health. */

static int cp_read_degrade(struct aifab_yaml_read *r, const yaml_node_t *val,
			   const char *key, void *dst)
{
	return cp_u32(r, val, key, AIFABD_DEGRADE_PPM_MAX,
		      "an integer from 0 to 1000000", dst);
}

static int cp_read_damping(struct aifab_yaml_read *r, const yaml_node_t *val,
			   const char *key, void *dst)
{
	return cp_u32(r, val, key, AIFABD_FLAP_DAMPING_MS_MAX,
		      "an integer from 0 to 3600000", dst);
}

static const char *const cp_link_down_names[] = {
	[AIFABD_LINK_DOWN_REROUTE] = "reroute",
	[AIFABD_LINK_DOWN_DEGRADE] = "degrade",
	[AIFABD_LINK_DOWN_DOWN] = "down",
};

static int cp_read_link_down(struct aifab_yaml_read *r,
			     const yaml_node_t *val, const char *key,
			     void *dst)
{
	uint32_t v;
	int ret = aifab_yaml_enum(r, val, key, cp_link_down_names,
				  AIFAB_ARRAY_SIZE(cp_link_down_names),
				  "reroute, degrade or down", &v);

	if (!ret)
		*(enum aifabd_link_down *)dst = v;
	return ret;
}

static const struct aifab_yaml_key cp_link_keys[] = {
	AIFAB_YAML_KEY("name", struct aifabd_link_policy, name,
		       aifab_yaml_read_name, false),
	AIFAB_YAML_KEY("degrade_ppm", struct aifabd_link_policy, degrade_ppm,
		       cp_read_degrade, false),
};

static const struct aifab_yaml_map cp_link_map = {
	cp_link_keys, AIFAB_ARRAY_SIZE(cp_link_keys), "name or degrade_ppm",
	"in a link of health",
};

static void *cp_add_link(void *container)
{
	struct aifabd_health_config *h = container;

	return aifab_append(&h->links, &h->cap_links, &h->nlinks,
			    sizeof(*h->links));
}

static const struct aifab_yaml_list cp_links = {
	&cp_link_map, cp_add_link,
	offsetof(struct aifabd_link_policy, pos.line),
	offsetof(struct aifabd_link_policy, pos.col), NULL,
};

#define CP_HEALTH_KEY(field, read) \
	AIFAB_YAML_KEY(#field, struct aifabd_health_config, field, read, true)

static const struct aifab_yaml_key cp_health_keys[] = {
	CP_HEALTH_KEY(degrade_ppm, cp_read_degrade),
	CP_HEALTH_KEY(flap_damping_ms, cp_read_damping),
	CP_HEALTH_KEY(on_link_down, cp_read_link_down),
	AIFAB_YAML_LIST_KEY("links", &cp_links, true),
};

static const struct aifab_yaml_map cp_health_map = {
	cp_health_keys, AIFAB_ARRAY_SIZE(cp_health_keys),
	"degrade_ppm, flap_damping_ms, on_link_down or links", "in health",
};

static int cp_read_health(struct aifab_yaml_read *r, const yaml_node_t *val,
			  const char *key, void *dst)
{
	if (val->type != YAML_MAPPING_NODE)
		return aifab_yaml_fail(r, val, "invalid %s: expected a "
				       "mapping, not %s", key,
				       aifab_yaml_kind(val));
	return aifab_yaml_mapping(r, val, &cp_health_map, dst);
}

/* The top level. */

static int cp_read_topology(struct aifab_yaml_read *r, const yaml_node_t *val,
			    const char *key, void *dst)
{
	struct aifabd_config *cfg = dst;
	char *msg;
	int ret;

	(void)key;
	ret = topo_parse_node(r, val, &cfg->topo);
	cfg->has_topo = !ret;
	/* Only "no node is local" with no node lacks a place: the section's. */
	if (ret != -EINVAL || r->err->col)
		return ret;
	msg = r->err->msg;
	r->err->msg = NULL;
	ret = aifab_yaml_fail(r, val, "%s", msg);
	free(msg);
	return ret;
}

#define CP_ROOT_KEYS	"topology, tenants, partitions, fences or health"

static const struct aifab_yaml_key cp_root_keys[] = {
	AIFAB_YAML_ENTRY_KEY("topology", cp_read_topology, true),
	AIFAB_YAML_LIST_KEY("tenants", &cp_tenants, true),
	AIFAB_YAML_LIST_KEY("partitions", &cp_parts, true),
	AIFAB_YAML_ENTRY_KEY("fences", cp_read_fences, true),
	AIFAB_YAML_KEY("health", struct aifabd_config, health, cp_read_health,
		       true),
};

static const struct aifab_yaml_map cp_root_map = {
	cp_root_keys, AIFAB_ARRAY_SIZE(cp_root_keys), CP_ROOT_KEYS,
	"at the top level",
};

static const struct aifab_yaml_file cp_file = {
	"a configuration file", "a mapping of " CP_ROOT_KEYS, &cp_root_map,
};

/* Checks of references, once everything is read. */

/* A check in progress. */
struct cp {
	const struct aifabd_config *cfg;
	struct aifab_yaml_err *err;	/* line, column and bare message */
};

#define cp_fail_at(cp, pos, ...) \
	aifab_yaml_errf((cp)->err, (pos).line, (pos).col, __VA_ARGS__)

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

/*
 * An empty file is refused rather than read as "no partitions": a file
 * truncated by a bad edit must not tear down every tenant.
 */
static int cp_read(FILE *f, struct aifabd_config *cfg,
		   struct aifab_yaml_err *err)
{
	struct cp cp = { cfg, err };
	int ret = aifab_yaml_load(f, &cp_file, cfg, err);

	return ret ? ret : cp_check(&cp);
}

/* The message with its place, or an errno's text with the file's name. */
static int cp_report(struct aifabd_config_err *err, const char *name,
		     const struct aifab_yaml_err *e, int ret)
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
	struct aifab_yaml_err e = { 0 };
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
	aifab_yaml_err_free(&e);
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
		return cp_report(err, path, &(struct aifab_yaml_err){ 0 }, ret);
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
		return cp_report(err, path, &(struct aifab_yaml_err){ 0 }, ret);
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
 * format. It has no topology section: the module builds its default from
 * its load parameters, so the kernel's topology after loading is the
 * module's default whatever they were, and a fixed one here would replace
 * the fabric, under traffic, at the daemon's first start.
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
	return AIFAB_ENUM_NAME(cp_link_down_names, v);
}
