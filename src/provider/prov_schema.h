/*
 * prov_schema.h - the provider's schemas: the provider configuration block,
 * the resource huaweicloud_images_image_copy (generated from libhwims'
 * attribute table, plus `id` and the `timeouts` block) and the data sources
 * (each built by its own file, see prov_ops.h), their implied cty object
 * types, and the GetProviderSchema and GetMetadata answers built from them.
 */
#ifndef PROV_SCHEMA_H
#define PROV_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "hwims/error.h"
#include "prov_value.h"

#define PROV_RESOURCE_TYPE "huaweicloud_images_image_copy"
/*
 * Version 1. The Go provider wrote this resource's state as version 0, with SDKv2's spelling
 * of unset arguments ("" for strings, {} for maps). For an argument that is not computed,
 * Terraform requires the plan to equal the configuration, so such state must be normalised to
 * null or every plan would show a change; but state written by this provider for a
 * configuration that really says "" or {} must stay as it is. The version tells the two apart:
 * UpgradeResourceState normalises version 0 and passes version 1 through.
 */
#define PROV_RESOURCE_SCHEMA_VERSION 1

enum {
	PROV_A_REQUIRED = 1u << 0,
	PROV_A_OPTIONAL = 1u << 1,
	PROV_A_COMPUTED = 1u << 2,
	PROV_A_SENSITIVE = 1u << 3,
	PROV_A_DEPRECATED = 1u << 4
};

typedef enum prov_nesting {
	PROV_NEST_SINGLE = 1,
	PROV_NEST_LIST = 2,
	PROV_NEST_SET = 3,
	PROV_NEST_MAP = 4,
	PROV_NEST_GROUP = 5
} prov_nesting;

typedef struct prov_attr_schema {
	const char *name;        /* borrowed (static or the attribute table) */
	prov_type *type;         /* reference held */
	unsigned flags;          /* PROV_A_* */
	const char *description; /* Markdown; borrowed */
} prov_attr_schema;

typedef struct prov_block_schema prov_block_schema;
typedef struct prov_nested_block {
	const char *name;
	prov_nesting nesting;
	prov_block_schema *block;     /* owned */
	int64_t min_items, max_items; /* 0: no limit (LIST and SET only) */
} prov_nested_block;

struct prov_block_schema {
	size_t n_attrs;
	prov_attr_schema *attrs; /* owned array */
	size_t n_blocks;
	prov_nested_block *blocks; /* owned array */
	const char *description;
	prov_type *implied; /* the object type values of this block have; reference held */
};

typedef struct prov_data_source_schema {
	const char *name; /* the data source's type name; borrowed (static) */
	prov_block_schema block;
} prov_data_source_schema;

typedef struct prov_schemas {
	prov_block_schema provider;
	prov_block_schema resource;
	size_t n_data_sources;
	prov_data_source_schema *data_sources; /* owned array, in the order they were added */
} prov_schemas;

/* Build the provider and resource schemas (no data sources yet: prov_schemas_add_data_source).
   Caller frees with prov_schemas_free. */
int prov_schemas_build(prov_schemas *s, hwims_error *err);
/* Free everything s owns, the data sources' schemas included. Safe on NULL. */
void prov_schemas_free(prov_schemas *s);

/* Builds a schema block into b (zeroed by the caller); on failure b may be partly built and is
   freed by the caller. */
typedef int (*prov_schema_builder)(prov_block_schema *b, hwims_error *err);
/* Append the data source `name` (borrowed, static) with the block build makes; s owns it. */
int prov_schemas_add_data_source(prov_schemas *s, const char *name, prov_schema_builder build,
                                 hwims_error *err);

/* One attribute of a block declared in code (not from the attribute table). */
typedef struct prov_attr_def {
	const char *name;
	int kind; /* 's' string, 'b' bool, 'n' number, 'm' map(string) */
	unsigned flags;
	const char *description;
} prov_attr_def;
/* Fill b (overwritten) with the n attributes and the description (all borrowed, static) and
   its implied type. On failure b may be partly built: free the schemas that hold it. */
int prov_block_build(prov_block_schema *b, const prov_attr_def *attrs, size_t n,
                     const char *description);

/* Give b's attribute name the type t (takes over the reference; released on failure), for
   what the kinds of prov_attr_def cannot say (a list of objects), and imply b's type again.
   0, or -1 (no such attribute, out of memory). */
int prov_block_set_type(prov_block_schema *b, const char *name, prov_type *t);

/* How this provider treats one argument of the official provider's block. */
typedef enum prov_arg_support {
	PROV_ARG_USED = 1, /* implemented: it does what the official provider documents */
	PROV_ARG_REJECTED, /* accepted by the schema; setting it is an error at validate time */
	PROV_ARG_NO_EFFECT /* accepted; nothing in this provider depends on it (documented why) */
} prov_arg_support;

/* One argument of the provider block: its schema, its environment fallbacks and how it is
   supported. kind 'l' is a nested block (list, at most one), whose attributes are block. */
typedef struct prov_provider_arg {
	const char *name;
	int kind; /* 's', 'b', 'n', 'm' as prov_attr_def; 'L' a list of strings; 'l' a nested block
	           */
	unsigned flags;
	const char *env; /* environment fallbacks read, space separated, or NULL */
	prov_arg_support support;
	const char *instead;     /* REJECTED: what to use instead; NO_EFFECT: why; else NULL */
	const char *description; /* Markdown */
	const struct prov_provider_arg *block; /* kind 'l': its attributes ... */
	size_t n_block;                        /* ... and how many */
} prov_provider_arg;

/* The provider block's arguments, in the order of the official documentation (static). */
const prov_provider_arg *prov_provider_args(size_t *n);
/* The argument called name at the top level of the block, or NULL. */
const prov_provider_arg *prov_provider_arg_find(const char *name);
/* The provider page (docs/index.md), generated from prov_provider_args. Caller frees; NULL when
   out of memory. */
char *prov_provider_doc(void);

/* Attribute schema by name, or NULL. */
const prov_attr_schema *prov_block_attr(const prov_block_schema *b, const char *name);

/* Serialized GetProviderSchema.Response. Caller frees *out. */
int prov_schema_response(const prov_schemas *s, uint8_t **out, size_t *len, hwims_error *err);

/* Serialized GetMetadata.Response. Caller frees *out. */
int prov_metadata_response(const prov_schemas *s, uint8_t **out, size_t *len, hwims_error *err);

#endif
