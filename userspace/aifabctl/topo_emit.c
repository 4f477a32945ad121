// SPDX-License-Identifier: GPL-2.0
/*
 * Writing a topology file (format in topo.h) with libyaml's emitter, so
 * that layout, quoting and escaping are libyaml's job. What is written
 * reads back through topo_parse() as the same model: strings that YAML
 * would take for something else are quoted (aifab_yaml_plain_safe()).
 *
 * libyaml writes a list that is a mapping's value at the mapping's own
 * indentation ("nodes:\n- name: node0"); that is the same YAML as the
 * indented form, and it has no setting to change it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <yaml.h>

#include "ctl.h"
#include "topo.h"
#include "yaml_doc.h"

/* An emission in progress; the first error sticks, as in the output layer. */
struct te {
	yaml_emitter_t emitter;
	int err;
};

/**
 * te_event() - Emit one event.
 * @te: The emission.
 * @ev: The event, which libyaml releases.
 * @built: What its yaml_*_event_initialize() returned; 0 if it failed.
 */
static void te_event(struct te *te, yaml_event_t *ev, int built)
{
	if (!built) {
		te->err = te->err ? te->err : -ENOMEM;
		return;
	}
	if (te->err) {
		yaml_event_delete(ev);
		return;
	}
	/* The emitter releases the event, even when it fails. */
	if (!yaml_emitter_emit(&te->emitter, ev))
		te->err = te->emitter.error == YAML_MEMORY_ERROR ? -ENOMEM :
								  -EIO;
}

static void te_scalar(struct te *te, const char *s, bool plain)
{
	yaml_event_t ev;
	int built;

	built = yaml_scalar_event_initialize(&ev, NULL, NULL,
					     (yaml_char_t *)s, -1, 1, 1,
					     plain ? YAML_PLAIN_SCALAR_STYLE :
						     YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	te_event(te, &ev, built);
}

static void te_mapping(struct te *te, bool start)
{
	yaml_event_t ev;
	int built;

	if (start)
		built = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
							    YAML_BLOCK_MAPPING_STYLE);
	else
		built = yaml_mapping_end_event_initialize(&ev);
	te_event(te, &ev, built);
}

/* "KEY:" and the start of the list that is its value. */
static void te_list_start(struct te *te, const char *key)
{
	yaml_event_t ev;

	te_scalar(te, key, true);
	te_event(te, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL,
								1, YAML_BLOCK_SEQUENCE_STYLE));
}

static void te_list_end(struct te *te)
{
	yaml_event_t ev;

	te_event(te, &ev, yaml_sequence_end_event_initialize(&ev));
}

static void te_str(struct te *te, const char *key, const char *value)
{
	te_scalar(te, key, true);
	te_scalar(te, value, aifab_yaml_plain_safe(value));
}

static void te_u64(struct te *te, const char *key, uint64_t value)
{
	char *s;

	te_scalar(te, key, true);
	if (asprintf(&s, "%" PRIu64, value) < 0) {
		te->err = te->err ? te->err : -ENOMEM;
		return;
	}
	te_scalar(te, s, true);
	free(s);
}

static void te_nodes(struct te *te, const struct topo *t)
{
	size_t i;

	te_list_start(te, "nodes");
	for (i = 0; i < t->nnodes; i++) {
		te_mapping(te, true);
		te_str(te, "name", t->nodes[i].name);
		te_scalar(te, "local", true);
		te_scalar(te, t->nodes[i].local ? "true" : "false", true);
		te_mapping(te, false);
	}
	te_list_end(te);
}

static void te_devs(struct te *te, const struct topo *t)
{
	size_t i;

	te_list_start(te, "devices");
	for (i = 0; i < t->ndevs; i++) {
		const struct topo_dev *d = &t->devs[i];

		te_mapping(te, true);
		te_str(te, "name", d->name);
		te_str(te, "type",
		       AIFAB_ENUM_NAME(aifab_dev_type_names, d->type));
		te_str(te, "node", d->node);
		if (d->type == AIFAB_DEV_TYPE_ACCEL)
			te_u64(te, "mem_bytes", d->mem_bytes);
		te_mapping(te, false);
	}
	te_list_end(te);
}

static void te_links(struct te *te, const struct topo *t)
{
	size_t i;

	te_list_start(te, "links");
	for (i = 0; i < t->nlinks; i++) {
		const struct topo_link *l = &t->links[i];

		te_mapping(te, true);
		te_str(te, "name", l->name);
		te_str(te, "kind",
		       AIFAB_ENUM_NAME(aifab_link_kind_names, l->kind));
		te_str(te, "a", l->a);
		te_str(te, "b", l->b);
		te_u64(te, "speed_mbps", l->speed_mbps);
		te_mapping(te, false);
	}
	te_list_end(te);
}

/**
 * topo_emit() - Write a model as a topology file.
 * @f: Stream; flushed.
 * @t: Model.
 *
 * One document, without "---" or "...", so that the output is exactly what
 * topo.h shows.
 *
 * Return: 0, -ENOMEM, or -EIO if writing failed.
 */
int topo_emit(FILE *f, const struct topo *t)
{
	struct te te = { .err = 0 };
	yaml_event_t ev;

	if (!yaml_emitter_initialize(&te.emitter))
		return -ENOMEM;
	yaml_emitter_set_output_file(&te.emitter, f);
	te_event(&te, &ev, yaml_stream_start_event_initialize(&ev,
							       YAML_UTF8_ENCODING));
	te_event(&te, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL,
								 NULL, 1));
	te_mapping(&te, true);
	te_nodes(&te, t);
	te_devs(&te, t);
	te_links(&te, t);
	te_mapping(&te, false);
	te_event(&te, &ev, yaml_document_end_event_initialize(&ev, 1));
	te_event(&te, &ev, yaml_stream_end_event_initialize(&ev));
	yaml_emitter_delete(&te.emitter);
	if (!te.err && (fflush(f) == EOF || ferror(f)))
		te.err = -EIO;
	return te.err;
}
