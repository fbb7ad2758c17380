/*
 * prov_images_ds.h - what the data sources huaweicloud_images_image and huaweicloud_images_images
 * share (data_source_images_common.c): their arguments, the query they run through libhwims'
 * image query (hwims/image_query.h) and the typed values of an image's attributes.
 */
#ifndef PROV_IMAGES_DS_H
#define PROV_IMAGES_DS_H

#include <stddef.h>

#include "hwims/image_query.h"
#include "prov_ops.h"

#define PROV_DS_IMAGE  "huaweicloud_images_image"
#define PROV_DS_IMAGES "huaweicloud_images_images"

/* The arguments of one data source, the attributes that only the singular one has. */
typedef enum prov_images_ds_kind { PROV_DS_ONE, PROV_DS_MANY } prov_images_ds_kind;

/* 1 when the image attribute name is an argument of kind too. */
int prov_images_ds_is_argument(prov_images_ds_kind kind, const char *name);

/* Fill b (zeroed) with the arguments of kind plus the extra computed attributes (n, static),
   as a schema builder does. 0 / -1. */
int prov_images_ds_block(prov_block_schema *b, prov_images_ds_kind kind, const prov_attr_def *extra,
                         size_t n, const char *description);

/* ValidateDataResourceConfig of either data source: the library's checks on the known
   arguments, reported on the argument they concern. */
void prov_images_ds_validate(const prov_op *op, const prov_value *config);

/* Run the query config describes (wholly known; the frame never reads with unknowns, and a
   config that has one is refused with a diagnostic). NULL with a diagnostic on failure; else
   the results, which the caller frees with hwims_image_results_free. */
hwims_image_results *prov_images_ds_query(const prov_op *op, const prov_value *config,
                                          prov_images_ds_kind kind);

/* Image i's attribute name as a cty value of its schema type (null when absent). NULL on out of
   memory. Caller frees. */
prov_value *prov_images_ds_value(const hwims_image_results *r, size_t i, const char *name);

#endif
