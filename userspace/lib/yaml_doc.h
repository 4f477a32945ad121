/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the YAML files people write (topology files, aifabd's
 * configuration) into C structures, with libyaml's document API.
 *
 * The file is loaded whole as a node graph first, so that every problem can
 * be given its line and column. Each mapping is read by a table of its keys
 * (struct aifab_yaml_map): known keys only, each once, every required one
 * present, each value read by its key's function into its place in the
 * entry. Plain scalars are typed by the YAML 1.2 core schema, so that
 * "name: 123" is refused rather than taken for a name. The first problem
 * ends the read.
 *
 * Both readers use this one, so that the same mistake gets the same
 * message whichever file it is in.
 */
#ifndef AIFAB_LIB_YAML_DOC_H
#define AIFAB_LIB_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <yaml.h>

/* Why a file was refused: where, and what is wrong there. */
struct aifab_yaml_err {
	unsigned int line;		/* from 1 */
	unsigned int col;		/* from 1; 0 when not known */
	char *msg;			/* free with aifab_yaml_err_free() */
};

int aifab_yaml_errf(struct aifab_yaml_err *err, unsigned int line,
		    unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void aifab_yaml_err_free(struct aifab_yaml_err *err);

/* How YAML reads a plain (unquoted) scalar, by the 1.2 core schema. */
enum aifab_yaml_scalar {
	AIFAB_YAML_STR,
	AIFAB_YAML_NULL,
	AIFAB_YAML_BOOL,
	AIFAB_YAML_INT,
	AIFAB_YAML_FLOAT,
};

enum aifab_yaml_scalar aifab_yaml_scalar_type(const char *s);
bool aifab_yaml_plain_safe(const char *s);

/* A read in progress. */
struct aifab_yaml_read {
	yaml_document_t *doc;
	struct aifab_yaml_err *err;
};

/* Reads the value @val of @key into @dst; 0, or -EINVAL with r->err. */
typedef int (*aifab_yaml_read_t)(struct aifab_yaml_read *r,
				 const yaml_node_t *val, const char *key,
				 void *dst);

struct aifab_yaml_list;

/*
 * One key of a mapping. Its value is read by @read into the entry at @off,
 * or, with @list, is a list of mappings each added to the entry itself.
 */
struct aifab_yaml_key {
	const char *name;
	aifab_yaml_read_t read;
	const struct aifab_yaml_list *list;
	size_t off;			/* of the value in the entry */
	size_t line_off;		/* of its line, or AIFAB_YAML_NO_POS */
	size_t col_off;			/* of its column, if line_off is */
	bool optional;
};

#define AIFAB_YAML_NO_POS	((size_t)-1)

/* A key whose value @read reads into @field of a @type. */
#define AIFAB_YAML_KEY(key, type, field, read, optional) \
	{ key, read, NULL, offsetof(type, field), AIFAB_YAML_NO_POS, 0, \
	  optional }
/* The same, keeping where the value is, for messages about it later. */
#define AIFAB_YAML_KEY_AT(key, type, field, read, line, col, optional) \
	{ key, read, NULL, offsetof(type, field), offsetof(type, line), \
	  offsetof(type, col), optional }
/* A key whose value @read reads into the whole entry. */
#define AIFAB_YAML_ENTRY_KEY(key, read, optional) \
	{ key, read, NULL, 0, AIFAB_YAML_NO_POS, 0, optional }
/* A key whose value is a list of mappings: see struct aifab_yaml_list. */
#define AIFAB_YAML_LIST_KEY(key, list, optional) \
	{ key, NULL, list, 0, AIFAB_YAML_NO_POS, 0, optional }

/* A kind of mapping: its keys, and how messages name them and it. */
struct aifab_yaml_map {
	const struct aifab_yaml_key *keys;
	size_t nkeys;			/* at most 32 */
	const char *list;		/* "name or local" */
	const char *what;		/* "in a node" */
};

/* The entries of a list of mappings: nodes, tenants, ... */
struct aifab_yaml_list {
	const struct aifab_yaml_map *map;
	/* A zeroed entry at the end of @container's table, or NULL. */
	void *(*add)(void *container);
	size_t line_off;		/* of the entry's line */
	size_t col_off;			/* of the entry's column */
	/* Checks of the entry as a whole, or NULL. */
	int (*finish)(struct aifab_yaml_read *r, const yaml_node_t *map,
		      void *entry);
};

/* Bytes that aifab_yaml_quote() needs for any scalar. */
#define AIFAB_YAML_QUOTE_SIZE	48

const char *aifab_yaml_kind(const yaml_node_t *node);
const char *aifab_yaml_quote(const yaml_node_t *node, char *buf,
			     size_t size);
int aifab_yaml_fail(struct aifab_yaml_read *r, const yaml_node_t *node,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int aifab_yaml_bad(struct aifab_yaml_read *r, const yaml_node_t *val,
		   const char *key, const char *expected);

const char *aifab_yaml_scalar(struct aifab_yaml_read *r,
			      const yaml_node_t *val, const char *key,
			      enum aifab_yaml_scalar want,
			      const char *expected);
int aifab_yaml_read_name(struct aifab_yaml_read *r, const yaml_node_t *val,
			 const char *key, void *dst);
int aifab_yaml_read_bool(struct aifab_yaml_read *r, const yaml_node_t *val,
			 const char *key, void *dst);
int aifab_yaml_enum(struct aifab_yaml_read *r, const yaml_node_t *val,
		    const char *key, const char *const *names, size_t n,
		    const char *expected, uint32_t *dst);
int aifab_yaml_u64(struct aifab_yaml_read *r, const yaml_node_t *val,
		   const char *key, uint64_t max, const char *expected,
		   uint64_t *dst);

int aifab_yaml_mapping(struct aifab_yaml_read *r, const yaml_node_t *node,
		       const struct aifab_yaml_map *m, void *entry);
int aifab_yaml_root(struct aifab_yaml_read *r, const yaml_node_t *node,
		    const char *rule, const struct aifab_yaml_map *m,
		    void *entry);
int aifab_yaml_list(struct aifab_yaml_read *r, const yaml_node_t *val,
		    const char *key,
		    int (*each)(struct aifab_yaml_read *r,
				const yaml_node_t *item, void *arg),
		    void *arg);

/* What a file holds, for aifab_yaml_load(). */
struct aifab_yaml_file {
	const char *name;		/* "a topology file", for messages */
	const char *rule;		/* what its root must be */
	const struct aifab_yaml_map *map;	/* the root's keys */
};

int aifab_yaml_load(FILE *f, const struct aifab_yaml_file *kind,
		    void *entry, struct aifab_yaml_err *err);

#endif /* AIFAB_LIB_YAML_DOC_H */
