/* data_source_images_images.c - the data source huaweicloud_images_images: every image a query
   finds, paged through completely, in the order of sort_key and sort_direction. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_images_ds.h"

static const prov_attr_def COMPUTED[] = {
    {"id", 's', PROV_A_COMPUTED, "The data source ID (a hash of the images' IDs)."},
    /* the type is set to a list of image objects below */
    {"images", 's', PROV_A_COMPUTED,
     "Every image that matches the arguments, in the order of `sort_key` and `sort_direction`, "
     "each with the attributes of the images block."},
};

/* list(object({...})) of every image attribute, typed as the table says. */
static prov_type *images_type(void)
{
	size_t n;
	const hwims_query_attr *qa = hwims_query_attrs(&n);
	const char *names[32];
	prov_type *types[32];
	if (n > 32)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		names[i] = qa[i].name;
		types[i] = qa[i].type == HWIMS_ATTR_BOOL  ? &prov_type_bool
		           : qa[i].type == HWIMS_ATTR_INT ? &prov_type_number
		                                          : &prov_type_string;
	}
	prov_type *obj = prov_type_object(n, names, types);
	return obj ? prov_type_collection(PROV_T_LIST, obj) : NULL;
}

static int build_schema(prov_block_schema *b, hwims_error *err)
{
	if (prov_images_ds_block(b, PROV_DS_MANY, COMPUTED, sizeof(COMPUTED) / sizeof(COMPUTED[0]),
	                         "Use this data source to get available IMS images.") != 0 ||
	    prov_block_set_type(b, "images", images_type()) != 0)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "cannot build the schema of %s",
		                       PROV_DS_IMAGES);
	return 0;
}

/* Image i as an object of the images list's element type. NULL on out of memory. */
static prov_value *image_object(prov_type *t, const hwims_image_results *r, size_t i)
{
	prov_value *obj = prov_value_object(t);
	size_t n;
	const hwims_query_attr *qa = hwims_query_attrs(&n);
	for (size_t k = 0; obj && k < n; k++) {
		prov_value *v = prov_images_ds_value(r, i, qa[k].name);
		if (!v || prov_value_set_attr(obj, qa[k].name, v) != 0) {
			prov_value_free(obj);
			return NULL;
		}
	}
	return obj;
}

/* A stable ID for the result: FNV-1a over the region and the images' IDs in order. */
static int set_id(prov_value *st, const hwims_image_results *r)
{
	uint64_t h = 14695981039346656037u;
	size_t n = hwims_image_results_count(r);
	for (size_t i = 0; i <= n; i++) {
		const char *s =
		    i ? hwims_image_results_member(r, i - 1, "id") : hwims_image_results_region(r);
		for (const char *p = s ? s : ""; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211u;
		h = (h ^ '\n') * 1099511628211u;
	}
	char id[24];
	snprintf(id, sizeof(id), "%016" PRIx64, h);
	return prov_value_set_str(st, "id", id);
}

static prov_value *state_of(const prov_value *config, const hwims_image_results *r,
                            const prov_type *images_t)
{
	prov_value *st = prov_value_clone(config);
	prov_value *list = prov_value_collection((prov_type *)images_t);
	if (!st || !list || prov_value_set_str(st, "region", hwims_image_results_region(r)) != 0 ||
	    set_id(st, r) != 0)
		goto oom;
	for (size_t i = 0; i < hwims_image_results_count(r); i++) {
		prov_value *obj = image_object(images_t->elem, r, i);
		if (!obj || prov_value_append(list, obj) != 0)
			goto oom;
	}
	if (prov_value_set_attr(st, "images", list) != 0) {
		list = NULL;
		goto oom;
	}
	return st;
oom:
	prov_value_free(list);
	prov_value_free(st);
	return NULL;
}

static prov_value *read_images(const prov_op *op, const prov_value *config)
{
	hwims_image_results *r = prov_images_ds_query(op, config, PROV_DS_MANY);
	if (!r)
		return NULL;
	const prov_attr_schema *a = prov_block_attr(op->schema, "images");
	prov_value *st = a ? state_of(config, r, a->type) : NULL;
	if (!st)
		prov_diag_add(op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Out of memory",
		              "Cannot record the images found.", NULL);
	hwims_image_results_free(r);
	return st;
}

const prov_data_source_ops prov_data_source_images_images = {
    .type_name = PROV_DS_IMAGES,
    .build_schema = build_schema,
    .validate = prov_images_ds_validate,
    .read = read_images,
};
