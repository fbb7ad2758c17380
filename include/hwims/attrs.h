/*
 * hwims/attrs.h - the attribute table of huaweicloud_images_image_copy.
 *
 * One row per attribute of the resource: its Terraform name, the field of the
 * IMS image object it comes from (if any), its Terraform type, its schema
 * flags and its description. The provider schema, the state mapping, the
 * CLI's `show` output and the docs are all generated from this table, so
 * adding an attribute is adding one row.
 *
 * The table is static, immutable data: nothing here is allocated or freed.
 */
#ifndef HWIMS_ATTRS_H
#define HWIMS_ATTRS_H

#include "hwims/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Terraform type of an attribute. Matches the official Go provider's schema. */
typedef enum hwims_attr_type {
	HWIMS_ATTR_STRING,
	HWIMS_ATTR_BOOL,
	HWIMS_ATTR_INT,       /* a Terraform number holding an integer */
	HWIMS_ATTR_STRING_MAP /* map(string) */
} hwims_attr_type;

/* Schema flags, combined with |. */
enum {
	HWIMS_ATTR_REQUIRED = 1u << 0,
	HWIMS_ATTR_OPTIONAL = 1u << 1,
	HWIMS_ATTR_COMPUTED = 1u << 2,
	HWIMS_ATTR_FORCE_NEW = 1u << 3, /* a change replaces the resource */
	HWIMS_ATTR_SENSITIVE = 1u << 4,
	HWIMS_ATTR_DEPRECATED = 1u << 5,
	HWIMS_ATTR_UPDATABLE = 1u << 6,   /* changed in place by the update workflow */
	HWIMS_ATTR_NOT_READ = 1u << 7,    /* the API cannot return it (kept from config/state) */
	HWIMS_ATTR_ZERO_DEFAULT = 1u << 8 /* an image without it reads 0, as the official
	                                     provider reads it (no perpetual "+ max_ram = 0") */
};

/* Where the value of an attribute comes from when the image is read. */
typedef enum hwims_attr_source {
	HWIMS_SRC_IMAGE,   /* a field of the IMS image object (api_field) */
	HWIMS_SRC_TAGS,    /* the key/value tags call */
	HWIMS_SRC_DERIVED, /* computed by the workflow (id, region, instance_id, ...) */
	HWIMS_SRC_ARGUMENT /* only ever what the user configured (agency_name, vault_id) */
} hwims_attr_source;

typedef struct hwims_attr {
	const char *name;      /* Terraform attribute name */
	const char *api_field; /* field of the image object, NULL unless source is IMAGE */
	hwims_attr_type type;
	unsigned flags;
	hwims_attr_source source;
	const char *description; /* one or more sentences, Markdown allowed */
} hwims_attr;

/* The whole table, in documentation order. *count receives the row count. */
HWIMS_EXTERN const hwims_attr *hwims_attrs(size_t *count);

/* The row for a Terraform attribute name, or NULL. */
HWIMS_EXTERN const hwims_attr *hwims_attr_find(const char *name);

/*
 * The resource's user documentation in the Terraform Registry layout
 * (docs/resources/images_image_copy.md): example usage, argument and
 * attribute reference generated from the table, timeouts and import. A test
 * keeps the checked-in file equal to this output. Caller frees; NULL on out
 * of memory.
 */
HWIMS_EXTERN char *hwims_attrs_resource_doc(void);

/* "string", "bool", "number" or "map(string)". Never NULL. */
HWIMS_EXTERN const char *hwims_attr_type_name(hwims_attr_type type);

#ifdef __cplusplus
}
#endif

#endif
