// SPDX-License-Identifier: GPL-2.0
/*
 * aifabctl topology: the whole fabric as one file.
 *
 *   aifabctl topology show
 *   aifabctl topology load FILE         (FILE "-": standard input)
 *
 * show prints the YAML that load reads (format in topo.h), so that a
 * fabric can be saved, edited and loaded back. load checks the whole file
 * before anything is sent, then replaces every node, device and link in
 * one request, which the kernel applies whole or not at all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/aifab.h>

#include "ctl.h"
#include "topo.h"
#include "yaml_doc.h"

/**
 * topology_print_json() - Print a model as one JSON object.
 * @ctl: Context, in JSON mode.
 * @t: The model.
 *
 * The keys of the YAML file, with mem_bytes null for EFA devices as in
 * "dev show".
 *
 * Return: 0 or an output error.
 */
static int topology_print_json(struct ctl *ctl, const struct topo *t)
{
	struct aifab_out *out = aifab_out_new(ctl->out, ctl->out_flags);
	size_t i;
	int ret;

	if (!out)
		return -errno;
	aifab_out_open_object(out, NULL);
	aifab_out_open_array(out, "nodes");
	for (i = 0; i < t->nnodes; i++) {
		aifab_out_open_object(out, NULL);
		aifab_out_string(out, "name", NULL, t->nodes[i].name);
		aifab_out_bool(out, "local", NULL, t->nodes[i].local);
		aifab_out_close_object(out);
	}
	aifab_out_close_array(out);
	aifab_out_open_array(out, "devices");
	for (i = 0; i < t->ndevs; i++) {
		const struct topo_dev *d = &t->devs[i];

		aifab_out_open_object(out, NULL);
		aifab_out_string(out, "name", NULL, d->name);
		aifab_out_string(out, "type", NULL,
				 AIFAB_ENUM_NAME(aifab_dev_type_names,
						 d->type));
		aifab_out_string(out, "node", NULL, d->node);
		if (d->type == AIFAB_DEV_TYPE_ACCEL)
			aifab_out_uint(out, "mem_bytes", NULL, d->mem_bytes);
		else
			aifab_out_null(out, "mem_bytes", NULL);
		aifab_out_close_object(out);
	}
	aifab_out_close_array(out);
	aifab_out_open_array(out, "links");
	for (i = 0; i < t->nlinks; i++) {
		const struct topo_link *l = &t->links[i];

		aifab_out_open_object(out, NULL);
		aifab_out_string(out, "name", NULL, l->name);
		aifab_out_string(out, "kind", NULL,
				 AIFAB_ENUM_NAME(aifab_link_kind_names,
						 l->kind));
		aifab_out_string(out, "a", NULL, l->a);
		aifab_out_string(out, "b", NULL, l->b);
		aifab_out_uint(out, "speed_mbps", NULL, l->speed_mbps);
		aifab_out_close_object(out);
	}
	aifab_out_close_array(out);
	aifab_out_close_object(out);
	ret = aifab_out_flush(out);
	aifab_out_free(out);
	return ret;
}

/*
 * Three dumps, each consistent on its own. A topology replaced between
 * them shows a mix, which load would refuse for its dangling names; run
 * show again then.
 */
static int topology_show_run(struct ctl *ctl, const struct ctl_args *a)
{
	struct topo t = { 0 };
	int ret;

	(void)a;
	ret = ctl_dump(ctl, AIFAB_CMD_NODE_GET, topo_node_reply, &t);
	if (!ret)
		ret = ctl_dump(ctl, AIFAB_CMD_DEV_GET, topo_dev_reply, &t);
	if (!ret)
		ret = ctl_dump(ctl, AIFAB_CMD_LINK_GET, topo_link_reply,
			       &t);
	if (!ret && (ctl->out_flags & AIFAB_OUT_JSON))
		ret = topology_print_json(ctl, &t);
	else if (!ret)
		ret = topo_emit(ctl->out, &t);
	topo_free(&t);
	return ret ? ctl_fail(ctl, ret) : CTL_EXIT_OK;
}

static int topology_load_args(int argc, char **argv, struct ctl_args *a)
{
	if (argc != 1)
		return -EINVAL;
	a->file = argv[0];
	return 0;
}

/**
 * topology_read() - Read and check a topology file.
 * @ctl: Context.
 * @a: The arguments; a->file is the file, "-" for ctl->in.
 * @t: Filled with the model.
 * @shown: Filled with the file's name for messages.
 *
 * A problem in the file is reported as "FILE:LINE: message", the form
 * editors jump to.
 *
 * Return: 0, or CTL_EXIT_ERR once the problem is reported.
 */
static int topology_read(struct ctl *ctl, const struct ctl_args *a,
			 struct topo *t, const char **shown)
{
	struct aifab_yaml_err err = { 0 };
	FILE *f = ctl->in;
	int ret;

	*shown = "<stdin>";
	if (strcmp(a->file, "-")) {
		*shown = a->file;
		f = fopen(a->file, "r");
	}
	if (!f) {
		ctl->err_arg = a->file;
		return ctl_fail(ctl, -errno);
	}
	ret = topo_parse(f, t, &err);
	if (f != ctl->in)
		fclose(f);
	if (ret == -EINVAL) {
		fprintf(ctl->err, "%s:%u: %s\n", *shown, err.line, err.msg);
		aifab_yaml_err_free(&err);
		return CTL_EXIT_ERR;
	}
	if (ret) {
		ctl->err_arg = *shown;
		return ctl_fail(ctl, ret);
	}
	return 0;
}

/*
 * When the kernel refuses the request and points into it, the entry it
 * points at is named by its place in the file.
 */
static int topology_load_run(struct ctl *ctl, const struct ctl_args *a)
{
	struct aifab_nl_msg m = { 0 };
	struct topo t = { 0 };
	char *where = NULL;
	const char *shown;
	unsigned int line;
	int ret;

	ret = topology_read(ctl, a, &t, &shown);
	if (ret)
		return ret;
	ret = topo_build(&t, &m);
	if (ret) {
		ret = ctl_fail(ctl, ret);
	} else if (!ctl_connect(ctl)) {
		ret = ctl->ops->exec_msg(ctl, &m, NULL, NULL);
		line = ret ? topo_item_line(&t, ctl->err_index) : 0;
		if (line && asprintf(&where, "%s:%u", shown, line) >= 0)
			ctl->err_arg = where;
		ret = ret ? ctl_fail(ctl, ret) : CTL_EXIT_OK;
	} else {
		ret = CTL_EXIT_ERR;
	}
	free(where);
	aifab_nl_msg_free(&m);
	topo_free(&t);
	return ret;
}

static const struct ctl_cmd topology_cmds[] = {
	{ "show", ctl_args_none, topology_show_run, 0 },
	{ "load", topology_load_args, topology_load_run,
	  CTL_CMD_CONNECT_LATE },
};

const struct ctl_obj ctl_topology_obj = {
	"topology", "aifabctl topology { show | load FILE }", topology_cmds,
	AIFAB_ARRAY_SIZE(topology_cmds),
};
