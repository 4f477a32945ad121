// SPDX-License-Identifier: GPL-2.0
/*
 * aifabctl stats: the counters of devices and links.
 *
 *   aifabctl stats show [--prometheus] [DEV | LINK]
 *
 * The replies are collected and checked whole before anything is printed:
 * the Prometheus format groups samples by metric, across objects, and a
 * malformed reply must not leave half a table behind.
 *
 * Prometheus metric names come from the names the kernel gives its
 * counters, the same that text and JSON print: aifab_device_NAME_total and
 * aifab_link_NAME_total. The gauges beside them, aifab_link_state (one
 * sample per state of aifab_link_state_names[]) and aifab_fabric_partitions,
 * come from the link and partition dumps.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/aifab.h>

#include "ctl.h"

static const struct aifab_nl_policy stats_policy[AIFAB_A_STATS_MAX + 1] = {
	[AIFAB_A_STATS_DEV] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_STATS_LINK] = { MNL_TYPE_NUL_STRING, false },
	[AIFAB_A_STATS_COUNTER] = { MNL_TYPE_NESTED, false },
};

static const struct aifab_nl_policy counter_policy[AIFAB_A_COUNTER_MAX + 1] = {
	[AIFAB_A_COUNTER_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_COUNTER_VALUE] = { MNL_TYPE_U64, true },
};

/* What Prometheus labels a link with, besides its name, and its state. */
static const struct aifab_nl_policy stats_link_policy[AIFAB_A_LINK_MAX + 1] = {
	[AIFAB_A_LINK_NAME] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_A] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_B] = { MNL_TYPE_NUL_STRING, true },
	[AIFAB_A_LINK_STATE] = { MNL_TYPE_U32, true },
};

static const struct aifab_nl_policy stats_part_policy[AIFAB_A_PARTITION_MAX + 1] = {
	[AIFAB_A_PARTITION_NAME] = { MNL_TYPE_NUL_STRING, true },
};

struct stats_ctr {
	char *name;
	uint64_t value;
	char *metric;			/* Prometheus name; NULL until needed */
};

struct stats_obj {
	bool link;
	char name[AIFAB_NAME_MAX];
	char a[AIFAB_NAME_MAX];		/* a link's ends; "" until known */
	char b[AIFAB_NAME_MAX];
	bool has_state;			/* a link's state is known */
	uint32_t state;			/* &enum aifab_link_state */
	struct stats_ctr *ctrs;
	size_t nctrs;
	size_t cap;
};

struct stats {
	struct stats_obj *objs;
	size_t n;
	size_t cap;
	bool has_partitions;		/* the partitions were counted */
	uint64_t partitions;
};

static void stats_free(struct stats *st)
{
	size_t i, j;

	for (i = 0; i < st->n; i++) {
		for (j = 0; j < st->objs[i].nctrs; j++) {
			free(st->objs[i].ctrs[j].name);
			free(st->objs[i].ctrs[j].metric);
		}
		free(st->objs[i].ctrs);
	}
	free(st->objs);
	*st = (struct stats){ 0 };
}

/**
 * stats_add_ctr() - Add one counter nest to an object.
 * @obj: The object.
 * @nest: An AIFAB_A_STATS_COUNTER nest, validated as a nest.
 *
 * Counter names are keys of a JSON object, so a name sent twice for one
 * object is refused rather than printed twice.
 *
 * Return: 0, -EBADMSG or -ENOMEM.
 */
static int stats_add_ctr(struct stats_obj *obj, const struct nlattr *nest)
{
	const struct nlattr *tb[AIFAB_A_COUNTER_MAX + 1];
	struct stats_ctr *ctr;
	const char *name;
	size_t i;
	int ret;

	ret = aifab_nl_parse_nested(nest, counter_policy, AIFAB_A_COUNTER_MAX,
				    tb);
	if (ret)
		return ret;
	name = mnl_attr_get_str(tb[AIFAB_A_COUNTER_NAME]);
	if (!*name)
		return -EBADMSG;
	for (i = 0; i < obj->nctrs; i++)
		if (!strcmp(obj->ctrs[i].name, name))
			return -EBADMSG;
	if (aifab_grow(&obj->ctrs, &obj->cap, obj->nctrs, sizeof(*ctr)))
		return -ENOMEM;
	ctr = &obj->ctrs[obj->nctrs];
	*ctr = (struct stats_ctr){
		.name = strdup(name),
		.value = mnl_attr_get_u64(tb[AIFAB_A_COUNTER_VALUE]),
	};
	if (!ctr->name)
		return -ENOMEM;
	obj->nctrs++;
	return 0;
}

/**
 * stats_collect() - Keep one STATS_GET reply.
 * @nlh: The reply.
 * @data: The struct stats.
 *
 * Return: 0, -EBADMSG for a reply that names no object or two, or has a
 * malformed counter, or -ENOMEM.
 */
static int stats_collect(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_STATS_MAX + 1];
	struct stats *st = data;
	const struct nlattr *attr;
	struct stats_obj *obj;
	int ret;

	ret = aifab_nl_parse(nlh, stats_policy, AIFAB_A_STATS_MAX, tb);
	if (ret)
		return ret;
	if (!tb[AIFAB_A_STATS_DEV] == !tb[AIFAB_A_STATS_LINK])
		return -EBADMSG;
	if (aifab_grow(&st->objs, &st->cap, st->n, sizeof(*obj)))
		return -ENOMEM;
	/* Counted at once, so that stats_free() releases a half-built one. */
	obj = &st->objs[st->n++];
	*obj = (struct stats_obj){ .link = !!tb[AIFAB_A_STATS_LINK] };
	ret = aifab_nl_copy_name(obj->name, obj->link ? tb[AIFAB_A_STATS_LINK] :
						tb[AIFAB_A_STATS_DEV]);
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (ret)
			break;
		if (mnl_attr_get_type(attr) == AIFAB_A_STATS_COUNTER)
			ret = stats_add_ctr(obj, attr);
	}
	return ret;
}

/**
 * stats_get() - Fetch the counters asked for.
 * @ctl: Context.
 * @a: The request: a dump, or a doit naming a device.
 * @st: Filled with the objects.
 *
 * A name on the command line may be a device's or a link's. It is tried as
 * a device first; only if the kernel knows no such device is it tried as
 * a link, so a device wins when both have the name.
 *
 * Return: 0 or a negative errno value, with ctl->errmsg set when neither
 * exists.
 */
static int stats_get(struct ctl *ctl, const struct ctl_args *a,
		     struct stats *st)
{
	struct aifab_nl_req *req;
	const char *name;
	int ret;

	ret = ctl->ops->exec(ctl, &a->req, stats_collect, st);
	if (ret != -ENOENT || a->req.dump)
		return ret;
	stats_free(st);
	name = a->req.attrs[0].str;
	req = aifab_nl_req_new(AIFAB_CMD_STATS_GET, false);
	if (!req)
		return -ENOMEM;
	aifab_nl_req_str(req, AIFAB_A_STATS_LINK, name);
	ret = ctl->ops->exec(ctl, req, stats_collect, st);
	free(req);
	if (ret == -ENOENT) {
		ctl->errmsg = "no such device or link";
		ctl->err_arg = name;
	}
	return ret;
}

static int stats_cmp_name(const void *x, const void *y)
{
	const struct stats_obj *const *a = x;
	const struct stats_obj *const *b = y;

	return strcmp((*a)->name, (*b)->name);
}

/* The links of a struct stats, sorted by name, for stats_link_ends(). */
struct stats_links {
	struct stats_obj **v;
	size_t n;
};

/* Fill in the ends of the link a LINK_GET reply describes, if it is shown. */
static int stats_link_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_LINK_MAX + 1];
	struct stats_links *links = data;
	struct stats_obj key = { 0 };
	struct stats_obj *pkey = &key;
	struct stats_obj **found;
	int ret;

	ret = aifab_nl_parse(nlh, stats_link_policy, AIFAB_A_LINK_MAX, tb);
	if (!ret)
		ret = aifab_nl_copy_name(key.name, tb[AIFAB_A_LINK_NAME]);
	if (!ret)
		ret = aifab_nl_copy_name(key.a, tb[AIFAB_A_LINK_A]);
	if (!ret)
		ret = aifab_nl_copy_name(key.b, tb[AIFAB_A_LINK_B]);
	if (ret)
		return ret;
	found = bsearch(&pkey, links->v, links->n, sizeof(*links->v),
			stats_cmp_name);
	if (found) {
		aifab_strscpy((*found)->a, key.a, sizeof(key.a));
		aifab_strscpy((*found)->b, key.b, sizeof(key.b));
		(*found)->has_state = true;
		(*found)->state = mnl_attr_get_u32(tb[AIFAB_A_LINK_STATE]);
	}
	return 0;
}

/**
 * stats_link_ends() - Learn the two devices and the state of every link
 *	shown.
 * @ctl: Context.
 * @st: The objects; their links get a, b and state.
 *
 * The counters do not say what a link joins; Prometheus users want to
 * aggregate by device, so the links are dumped as well. A link deleted
 * between the two dumps keeps empty ends, which Prometheus reads as no
 * label at all, and has no state sample.
 *
 * Return: 0 or a negative errno value.
 */
static int stats_link_ends(struct ctl *ctl, struct stats *st)
{
	struct stats_links links = { NULL, 0 };
	size_t i;
	int ret;

	for (i = 0; i < st->n; i++)
		links.n += st->objs[i].link;
	if (!links.n)
		return 0;
	links.v = calloc(links.n, sizeof(*links.v));
	if (!links.v)
		return -ENOMEM;
	links.n = 0;
	for (i = 0; i < st->n; i++)
		if (st->objs[i].link)
			links.v[links.n++] = &st->objs[i];
	qsort(links.v, links.n, sizeof(*links.v), stats_cmp_name);
	ret = ctl_dump(ctl, AIFAB_CMD_LINK_GET, stats_link_reply, &links);
	free(links.v);
	return ret;
}

/* Count one PARTITION_GET reply. */
static int stats_part_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[AIFAB_A_PARTITION_MAX + 1];
	struct stats *st = data;
	int ret;

	ret = aifab_nl_parse(nlh, stats_part_policy, AIFAB_A_PARTITION_MAX, tb);
	if (ret)
		return ret;
	st->partitions++;
	return 0;
}

/* The number of partitions, for the whole fabric's gauge. */
static int stats_count_partitions(struct ctl *ctl, struct stats *st)
{
	int ret;

	st->partitions = 0;
	ret = ctl_dump(ctl, AIFAB_CMD_PARTITION_GET, stats_part_reply, st);
	st->has_partitions = !ret;
	return ret;
}

/**
 * stats_print() - Print the objects as text or JSON.
 * @ctl: Context.
 * @st: The objects.
 *
 * Text: "accel0: tx_packets 0 tx_bytes 0 ...", one line per object, the
 * counters in the kernel's order. JSON: an array of {"dev", "link",
 * "counters"}, one of dev and link null.
 *
 * Return: 0 or an output error.
 */
static int stats_print(struct ctl *ctl, const struct stats *st)
{
	struct aifab_out *out = aifab_out_new(ctl->out, ctl->out_flags);
	size_t i, j;
	int ret;

	if (!out)
		return -errno;
	aifab_out_open_array(out, NULL);
	for (i = 0; i < st->n; i++) {
		const struct stats_obj *obj = &st->objs[i];

		aifab_out_open_object(out, NULL);
		if (obj->link)
			aifab_out_null(out, "dev", NULL);
		else
			aifab_out_string(out, "dev", "%s:", obj->name);
		if (obj->link)
			aifab_out_string(out, "link", "%s:", obj->name);
		else
			aifab_out_null(out, "link", NULL);
		aifab_out_open_object(out, "counters");
		for (j = 0; j < obj->nctrs; j++) {
			aifab_out_text(out, " %s", obj->ctrs[j].name);
			aifab_out_uint(out, obj->ctrs[j].name, " %" PRIu64,
				       obj->ctrs[j].value);
		}
		aifab_out_close_object(out);
		aifab_out_nl(out);
		aifab_out_close_object(out);
	}
	aifab_out_close_array(out);
	ret = aifab_out_flush(out);
	aifab_out_free(out);
	return ret;
}

/* The object part of metric names, and the label that names the object. */
static const char *stats_kind(const struct stats_obj *obj)
{
	return obj->link ? "link" : "device";
}

/**
 * stats_metric() - Name a counter's Prometheus metric.
 * @obj: The object the counter is of.
 * @ctr: The counter; ctr->metric is set.
 *
 * "aifab_device_" or "aifab_link_", then the counter's name with everything
 * outside [a-zA-Z0-9_] made "_", as metric names allow no more, then
 * "_total", the suffix of counters.
 *
 * Return: 0 or -ENOMEM.
 */
static int stats_metric(const struct stats_obj *obj, struct stats_ctr *ctr)
{
	char *p;

	if (asprintf(&ctr->metric, "aifab_%s_%s_total", stats_kind(obj),
		     ctr->name) < 0) {
		ctr->metric = NULL;
		return -ENOMEM;
	}
	for (p = ctr->metric; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			*p = '_';
	return 0;
}

/*
 * Print a string escaped as the exposition format wants: backslash and
 * newline in HELP text, and the double quote as well in label values.
 */
static void stats_prom_escape(FILE *f, const char *s, bool label)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '"' && label)
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

static void stats_prom_label(FILE *f, const char *sep, const char *name,
			     const char *value)
{
	fprintf(f, "%s%s=\"", sep, name);
	stats_prom_escape(f, value, true);
	fputc('"', f);
}

/* The labels of an object, without the braces. */
static void stats_prom_labels(FILE *f, const struct stats_obj *obj)
{
	stats_prom_label(f, "", stats_kind(obj), obj->name);
	if (obj->link) {
		stats_prom_label(f, ",", "a", obj->a);
		stats_prom_label(f, ",", "b", obj->b);
	}
}

static void stats_prom_sample(FILE *f, const struct stats_obj *obj,
			      const struct stats_ctr *ctr)
{
	fprintf(f, "%s{", ctr->metric);
	stats_prom_labels(f, obj);
	fprintf(f, "} %" PRIu64 "\n", ctr->value);
}

/* A metric to print: the first counter of that name, and its object. */
struct stats_metric {
	const struct stats_ctr *ctr;
	const struct stats_obj *obj;
};

/**
 * stats_prom_metric() - Print one metric: its HELP and TYPE, then every
 *	sample of it, across all objects.
 * @f: Stream.
 * @st: The objects.
 * @m: The metric.
 */
static void stats_prom_metric(FILE *f, const struct stats *st,
			      const struct stats_metric *m)
{
	const char *name = m->ctr->metric;
	size_t i, j;

	fprintf(f, "# HELP %s The aifab %s counter ", name, stats_kind(m->obj));
	stats_prom_escape(f, m->ctr->name, false);
	fprintf(f, ".\n# TYPE %s counter\n", name);
	for (i = 0; i < st->n; i++)
		for (j = 0; j < st->objs[i].nctrs; j++)
			if (!strcmp(st->objs[i].ctrs[j].metric, name))
				stats_prom_sample(f, &st->objs[i],
						  &st->objs[i].ctrs[j]);
}

/**
 * stats_prom_metrics() - List the metrics, in the order they first appear.
 * @st: The objects, their counters' metric names set.
 * @mp: Filled with the array, to free.
 * @np: Filled with its length.
 *
 * There are as many metrics as distinct counter names, a handful, so a
 * linear search of them per counter stays cheap for large fabrics.
 *
 * Return: 0 or -ENOMEM.
 */
static int stats_prom_metrics(const struct stats *st,
			      struct stats_metric **mp, size_t *np)
{
	struct stats_metric *m = NULL;
	size_t n = 0, cap = 0;
	size_t i, j, k;

	for (i = 0; i < st->n; i++) {
		for (j = 0; j < st->objs[i].nctrs; j++) {
			const struct stats_ctr *ctr = &st->objs[i].ctrs[j];

			for (k = 0; k < n; k++)
				if (!strcmp(m[k].ctr->metric, ctr->metric))
					break;
			if (k < n)
				continue;
			if (aifab_grow(&m, &cap, n, sizeof(*m))) {
				free(m);
				return -ENOMEM;
			}
			m[n].ctr = ctr;
			m[n++].obj = &st->objs[i];
		}
	}
	*mp = m;
	*np = n;
	return 0;
}

/**
 * stats_prom_link_state() - Print the state of the links shown, as a gauge
 *	with one sample per state name: 1 for the link's state, 0 for the
 *	others.
 * @f: Stream.
 * @st: The objects.
 *
 * The states are those of aifab_link_state_names[], which link show prints;
 * a state this tool does not know has no sample at 1.
 */
static void stats_prom_link_state(FILE *f, const struct stats *st)
{
	static const char name[] = "aifab_link_state";
	bool any = false;
	size_t i, s;

	for (i = 0; i < st->n; i++) {
		const struct stats_obj *obj = &st->objs[i];

		if (!obj->has_state)
			continue;
		if (!any)
			fprintf(f, "# HELP %s Whether the aifab link is in the state: 1 for its operational state, 0 for the others.\n"
				"# TYPE %s gauge\n", name, name);
		any = true;
		for (s = 0; s < AIFAB_ARRAY_SIZE(aifab_link_state_names); s++) {
			if (!aifab_link_state_names[s])
				continue;
			fprintf(f, "%s{", name);
			stats_prom_labels(f, obj);
			stats_prom_label(f, ",", "state",
					 aifab_link_state_names[s]);
			fprintf(f, "} %d\n", obj->state == s);
		}
	}
}

/**
 * stats_prom() - Print the objects in the Prometheus text format 0.0.4.
 * @f: Stream.
 * @st: The objects.
 *
 * The format wants all samples of a metric together, after its HELP and
 * TYPE lines; metrics come in the order their first counter does. The
 * gauges follow: the links' state, and the number of partitions when they
 * were counted.
 *
 * Return: 0, -ENOMEM, or -EIO if writing failed.
 */
static int stats_prom(FILE *f, struct stats *st)
{
	struct stats_metric *m;
	size_t i, j, n;

	for (i = 0; i < st->n; i++)
		for (j = 0; j < st->objs[i].nctrs; j++)
			if (stats_metric(&st->objs[i], &st->objs[i].ctrs[j]))
				return -ENOMEM;
	if (stats_prom_metrics(st, &m, &n))
		return -ENOMEM;
	for (i = 0; i < n; i++)
		stats_prom_metric(f, st, &m[i]);
	free(m);
	stats_prom_link_state(f, st);
	if (st->has_partitions)
		fprintf(f, "# HELP aifab_fabric_partitions The number of partitions of the aifab fabric.\n"
			"# TYPE aifab_fabric_partitions gauge\n"
			"aifab_fabric_partitions %" PRIu64 "\n", st->partitions);
	if (fflush(f) == EOF || ferror(f))
		return -EIO;
	return 0;
}

/* stats show [--prometheus] [DEV | LINK], in any order. */
static int stats_show_args(int argc, char **argv, struct ctl_args *a)
{
	const char *name = NULL;
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--prometheus")) {
			if (name)
				return -EINVAL;
			name = argv[i];
		} else if (a->prometheus) {
			return -EINVAL;
		} else {
			a->prometheus = true;
		}
	}
	aifab_nl_req_init(&a->req, AIFAB_CMD_STATS_GET, !name);
	if (name)
		return ctl_args_name(a, AIFAB_A_STATS_DEV,
				     "device or link name", name);
	return 0;
}

static int stats_show_run(struct ctl *ctl, const struct ctl_args *a)
{
	struct stats st = { 0 };
	int ret;

	if (a->prometheus && (ctl->out_flags & AIFAB_OUT_JSON)) {
		ctl->errmsg = "--prometheus and -j exclude each other";
		return ctl_fail(ctl, -EINVAL);
	}
	ret = stats_get(ctl, a, &st);
	if (!ret && a->prometheus)
		ret = stats_link_ends(ctl, &st);
	/* The whole fabric's gauge goes with the whole fabric's counters. */
	if (!ret && a->prometheus && a->req.dump)
		ret = stats_count_partitions(ctl, &st);
	if (!ret)
		ret = a->prometheus ? stats_prom(ctl->out, &st) :
				      stats_print(ctl, &st);
	stats_free(&st);
	return ret ? ctl_fail(ctl, ret) : CTL_EXIT_OK;
}

static const struct ctl_cmd stats_cmds[] = {
	{ "show", stats_show_args, stats_show_run, 0 },
};

const struct ctl_obj ctl_stats_obj = {
	"stats", "aifabctl stats show [--prometheus] [DEV | LINK]", stats_cmds,
	AIFAB_ARRAY_SIZE(stats_cmds),
};
