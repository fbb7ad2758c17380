/* data_source_images_common.c - the arguments, query and values that huaweicloud_images_image and
   huaweicloud_images_images share (see prov_images_ds.h). */
#include <stdlib.h>
#include <string.h>

#include "prov_images_ds.h"

static unsigned in_of(prov_images_ds_kind kind)
{
	return kind == PROV_DS_ONE ? HWIMS_QUERY_IN_ONE : HWIMS_QUERY_IN_MANY;
}

static int kind_of(hwims_attr_type t)
{
	return t == HWIMS_ATTR_BOOL ? 'b' : t == HWIMS_ATTR_INT ? 'n' : 's';
}

int prov_images_ds_is_argument(prov_images_ds_kind kind, const char *name)
{
	size_t n;
	const hwims_query_arg *a = hwims_query_args(&n);
	for (size_t i = 0; i < n; i++)
		if ((a[i].in & in_of(kind)) && strcmp(a[i].name, name) == 0)
			return 1;
	return 0;
}

/* The arguments the read fills in when the configuration leaves them out: the region queried,
   and in the singular data source those that are the found image's attributes too. */
static int also_computed(prov_images_ds_kind kind, const char *name)
{
	if (strcmp(name, "region") == 0)
		return 1;
	if (kind != PROV_DS_ONE)
		return 0;
	if (strcmp(name, "image_id") == 0)
		return 1;
	size_t n;
	const hwims_query_attr *qa = hwims_query_attrs(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(qa[i].name, name) == 0)
			return 1;
	return 0;
}

int prov_images_ds_block(prov_block_schema *b, prov_images_ds_kind kind, const prov_attr_def *extra,
                         size_t n_extra, const char *description)
{
	size_t n, k = 0;
	const hwims_query_arg *a = hwims_query_args(&n);
	prov_attr_def *defs = calloc(n + n_extra, sizeof(*defs));
	if (!defs)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!(a[i].in & in_of(kind)))
			continue;
		unsigned flags = PROV_A_OPTIONAL;
		if (also_computed(kind, a[i].name))
			flags |= PROV_A_COMPUTED;
		defs[k++] = (prov_attr_def){a[i].name, kind_of(a[i].type), flags, a[i].description};
	}
	memcpy(defs + k, extra, n_extra * sizeof(*extra));
	int rc = prov_block_build(b, defs, k + n_extra, description);
	free(defs);
	return rc;
}

/* ---- the query ---- */

/* The text of a known string argument; NULL when null or unknown. */
static const char *arg_str(const prov_value *config, const char *name)
{
	return prov_value_str(prov_value_attr(config, name));
}

static int arg_bool(const prov_value *config, const char *name)
{
	const prov_value *v = prov_value_attr(config, name);
	return v && v->state == PROV_KNOWN && v->u.b;
}

/* The query options of config, borrowing its strings; unknown arguments count as unset (a
   check on them waits until they are known). */
static hwims_image_query_options options_of(const prov_value *config, const char *region)
{
	hwims_image_query_options o = HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	o.region = arg_str(config, "region") ? arg_str(config, "region") : region;
	o.image_id = arg_str(config, "image_id");
	o.name = arg_str(config, "name");
	o.name_regex = arg_str(config, "name_regex");
	o.visibility = arg_str(config, "visibility");
	o.image_type = arg_str(config, "image_type");
	o.is_whole_image = arg_bool(config, "is_whole_image");
	o.owner = arg_str(config, "owner");
	o.flavor_id = arg_str(config, "flavor_id");
	o.os = arg_str(config, "os");
	o.architecture = arg_str(config, "architecture");
	o.tag = arg_str(config, "tag");
	o.enterprise_project_id = arg_str(config, "enterprise_project_id");
	o.support_agent_list = arg_str(config, "__support_agent_list");
	o.sort_key = arg_str(config, "sort_key");
	o.sort_direction = arg_str(config, "sort_direction");
	o.most_recent = arg_bool(config, "most_recent");
	return o;
}

void prov_images_ds_validate(const prov_op *op, const prov_value *config)
{
	hwims_image_query_options o = options_of(config, NULL);
	hwims_error err;
	if (hwims_image_query_validate(&o, &err) != 0)
		prov_diag_from_error(op->d, "Invalid argument", &err,
		                     err.attribute[0] ? err.attribute : NULL);
}

hwims_image_results *prov_images_ds_query(const prov_op *op, const prov_value *config,
                                          prov_images_ds_kind kind)
{
	if (!prov_value_wholly_known(config)) {
		/* Terraform defers the read of a configuration with unknowns to apply. */
		prov_diag_add(op->d, TFPLUGIN6__DIAGNOSTIC__SEVERITY__ERROR,
		              "Configuration not known yet",
		              "The data source was read with values that are not known yet.", NULL);
		return NULL;
	}
	if (prov_op_no_client(op))
		return NULL;
	hwims_image_query_options o = options_of(config, prov_provider_region(op->p));
	if (kind == PROV_DS_MANY)
		o.most_recent = 0;
	hwims_image_results *r = NULL;
	hwims_error err;
	if (hwims_image_query(op->client, &o, op->p->stop, &r, &err) != 0) {
		prov_diag_from_error(op->d, "Cannot query the images", &err,
		                     err.attribute[0] ? err.attribute : NULL);
		return NULL;
	}
	return r;
}

prov_value *prov_images_ds_value(const hwims_image_results *r, size_t i, const char *name)
{
	hwims_value hv;
	hwims_error err;
	if (hwims_image_results_attr(r, i, name, &hv, &err) != 0)
		return NULL;
	prov_type *t = hv.type == HWIMS_ATTR_BOOL  ? &prov_type_bool
	               : hv.type == HWIMS_ATTR_INT ? &prov_type_number
	                                           : &prov_type_string;
	if (hv.is_null)
		return prov_value_null(t);
	if (hv.type == HWIMS_ATTR_BOOL)
		return prov_value_bool(hv.b);
	if (hv.type == HWIMS_ATTR_INT)
		return prov_value_int(hv.i);
	return prov_value_string(hv.s);
}
