/* data_source_images_image.c - the data source huaweicloud_images_image: the one image a query
   finds (the newest with most_recent), with its attributes. */
#include <stdlib.h>
#include <string.h>

#include "prov_images_ds.h"

#define MAX_COMPUTED 32

/* The arguments, then id and every image attribute of the singular data source that is not an
   argument already. */
static int build_schema(prov_block_schema *b, hwims_error *err)
{
	prov_attr_def extra[MAX_COMPUTED];
	size_t n = 0, count;
	const hwims_query_attr *qa = hwims_query_attrs(&count);
	for (size_t i = 0; i < count && n < MAX_COMPUTED; i++) {
		if (!(qa[i].in & HWIMS_QUERY_IN_ONE) ||
		    prov_images_ds_is_argument(PROV_DS_ONE, qa[i].name))
			continue;
		int kind = qa[i].type == HWIMS_ATTR_BOOL  ? 'b'
		           : qa[i].type == HWIMS_ATTR_INT ? 'n'
		                                          : 's';
		const char *doc = strcmp(qa[i].name, "id") == 0
		                      ? "The data source ID, the same as `image_id`."
		                      : qa[i].description;
		extra[n++] = (prov_attr_def){qa[i].name, kind, PROV_A_COMPUTED, doc};
	}
	if (prov_images_ds_block(b, PROV_DS_ONE, extra, n,
	                         "Use this data source to get an available IMS image.") != 0)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "cannot build the schema of %s",
		                       PROV_DS_IMAGE);
	return 0;
}

/* config with what the read found: the region, image_id, and every attribute the
   configuration left null. NULL on out of memory. */
static prov_value *state_of(const prov_value *config, const hwims_image_results *r, size_t i)
{
	prov_value *st = prov_value_clone(config);
	if (!st || prov_value_set_str(st, "region", hwims_image_results_region(r)) != 0)
		goto oom;
	size_t count;
	const hwims_query_attr *qa = hwims_query_attrs(&count);
	for (size_t k = 0; k < count; k++) {
		const prov_value *cur = prov_value_attr(st, qa[k].name);
		if (!cur || cur->state != PROV_NULL)
			continue; /* not in the schema, or set by the configuration */
		prov_value *v = prov_images_ds_value(r, i, qa[k].name);
		if (!v || prov_value_set_attr(st, qa[k].name, v) != 0)
			goto oom;
	}
	const char *id = prov_value_str(prov_value_attr(st, "id"));
	if (prov_value_set_str(st, "image_id", id) != 0)
		goto oom;
	return st;
oom:
	prov_value_free(st);
	return NULL;
}

static prov_value *read_image(const prov_op *op, const prov_value *config)
{
	hwims_image_results *r = prov_images_ds_query(op, config, PROV_DS_ONE);
	if (!r)
		return NULL;
	size_t i;
	hwims_error err;
	prov_value *st = NULL;
	if (hwims_image_results_pick_one(r, &i, &err) != 0) {
		const char *summary =
		    hwims_image_results_count(r) ? "More than one image found" : "No image found";
		prov_diag_from_error(op->d, summary, &err, NULL);
	} else if (!(st = state_of(config, r, i))) {
		prov_diag_add(op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR, "Out of memory",
		              "Cannot record the image found.", NULL);
	}
	hwims_image_results_free(r);
	return st;
}

const prov_data_source_ops prov_data_source_images_image = {
    .type_name = PROV_DS_IMAGE,
    .build_schema = build_schema,
    .validate = prov_images_ds_validate,
    .read = read_image,
};
