/*
 * hwims/image.h - an image copy as read from IMS, attribute by attribute.
 *
 * A hwims_image holds one IMS image object mapped onto the attribute table
 * (hwims/attrs.h): each attribute has the Terraform type of its row (string,
 * bool, int, map of strings) or is null. The mapping tolerates the API's JSON
 * type quirks (numbers sent as strings and the other way round, booleans as
 * "true"/"True" strings, JSON null), so a value of an unexpected JSON type
 * never makes a read fail: it is converted when the conversion is exact, and
 * is null otherwise.
 *
 * Derived attributes are filled too: `region` and `source_image_id` from
 * `__data_origin` ("image,<region>,<source_image_id>"), `target_region` (the
 * region the copy lives in, for cross-region copies; null for copies within a
 * region), `instance_id` (from "instance,<id>" origins, "" otherwise). The
 * argument-only attributes `agency_name` and `vault_id` are always null: the
 * API cannot return them.
 *
 * A hwims_image is immutable once built; it is safe to read from several
 * threads. Free with hwims_image_free.
 */
#ifndef HWIMS_IMAGE_H
#define HWIMS_IMAGE_H

#include "hwims/export.h"

#include <stddef.h>
#include <stdint.h>

#include "hwims/attrs.h"
#include "hwims/error.h"
#include "hwims/tags.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hwims_image hwims_image;

/* One attribute value. Pointers are borrowed from the image and valid until hwims_image_free. */
typedef struct hwims_value {
	hwims_attr_type type;  /* the attribute's row type */
	int is_null;           /* 1: null/absent; the members below are zero/NULL */
	const char *s;         /* HWIMS_ATTR_STRING */
	int b;                 /* HWIMS_ATTR_BOOL: 0/1 */
	int64_t i;             /* HWIMS_ATTR_INT */
	const hwims_tags *map; /* HWIMS_ATTR_STRING_MAP */
} hwims_value;

/*
 * Build an image from one IMS image object (JSON text of an object as in
 * `GET /v2/cloudimages` `images[i]`). region is the region the image lives in
 * (copied; required). tags may be NULL (the `tags` attribute is then null) and
 * is copied. Errors: HWIMS_ERR_INVALID when the text is not a JSON object or
 * has no string "id"; HWIMS_ERR_INTERNAL. Caller frees *out with
 * hwims_image_free.
 */
HWIMS_EXTERN int hwims_image_from_json(const char *json, size_t len, const char *region,
                                       const hwims_tags *tags, hwims_image **out, hwims_error *err);

/* Free the image. Safe on NULL. */
HWIMS_EXTERN void hwims_image_free(hwims_image *img);

/* The image ID (never NULL; borrowed). */
HWIMS_EXTERN const char *hwims_image_id(const hwims_image *img);

/* The region the image lives in (never NULL; borrowed). */
HWIMS_EXTERN const char *hwims_image_region(const hwims_image *img);

/*
 * The value of the attribute named name (a Terraform name from the attribute
 * table, or "id"). Returns 0 and fills *out, or -1 (HWIMS_ERR_USAGE) when the
 * table has no such attribute.
 */
HWIMS_EXTERN int hwims_image_get(const hwims_image *img, const char *name, hwims_value *out,
                                 hwims_error *err);

/* Convenience accessors; all borrowed from the image.
   hwims_image_str: the string value, or NULL when null/absent or not a string attribute.
   hwims_image_bool / hwims_image_int: 1 and *out set when the value is present, 0 when null,
   absent or of another type.
   hwims_image_tags: the tags read with the image, or NULL when they were not read. */
HWIMS_EXTERN const char *hwims_image_str(const hwims_image *img, const char *name);
HWIMS_EXTERN int hwims_image_bool(const hwims_image *img, const char *name, int *out);
HWIMS_EXTERN int hwims_image_int(const hwims_image *img, const char *name, int64_t *out);
HWIMS_EXTERN const hwims_tags *hwims_image_tags(const hwims_image *img);

/*
 * Parse an `__data_origin` value "image,<region>,<source_image_id>". On success
 * writes borrowed-free copies: caller frees *region and *source_image_id with
 * free(). Returns 0 when origin is an image origin, HWIMS_ENOMATCH when it is
 * not (NULL, empty, "instance,...", "file,...": outputs set to NULL),
 * HWIMS_ERROR on ENOMEM.
 */
HWIMS_EXTERN int hwims_data_origin_parse(const char *origin, char **region, char **source_image_id);

#ifdef __cplusplus
}
#endif

#endif
