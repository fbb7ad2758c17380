/* copy_import.c - hwims_image_copy_import: "<image_id>" or "<region>/<image_id>" to a spec. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy_op.h"

/* Split import_id into *region (caller frees; NULL when the ID names none and the client's
   region is meant) and *id (borrowed from import_id). */
static int parse_import_id(hwims_client *c, const char *import_id, char **region, const char **id,
                           hwims_error *err)
{
	*region = NULL;
	*id = import_id;
	if (!copy_is_set(import_id) || strchr(import_id, ' '))
		return hwims_error_set_attr(err, "id",
		                            "invalid import ID \"%s\": expected <image_id> or "
		                            "<region>/<image_id>",
		                            import_id ? import_id : "");
	const char *slash = strchr(import_id, '/');
	if (!slash) {
		if (hwims_client_region(c))
			return 0;
		return hwims_error_set_attr(err, "id",
		                            "import ID \"%s\" names no region and none is "
		                            "configured: use <region>/<image_id>",
		                            import_id);
	}
	if (slash == import_id || slash[1] == '\0' || strchr(slash + 1, '/'))
		return hwims_error_set_attr(err, "id",
		                            "invalid import ID \"%s\": expected <image_id> or "
		                            "<region>/<image_id>",
		                            import_id);
	*region = strndup(import_id, (size_t)(slash - import_id));
	if (!*region)
		return error_oom(err);
	*id = slash + 1;
	return 0;
}

/* The spec that made img, a copy living in home: where it came from (its data origin) and what
 * it is now. agency_name and vault_id cannot be recovered. */
static int spec_of_image(const hwims_image *img, const char *id, const char *home,
                         hwims_copy_spec *spec, hwims_error *err)
{
	const char *origin = hwims_image_str(img, "data_origin");
	char *o_region = NULL, *o_source = NULL;
	int parsed = hwims_data_origin_parse(origin, &o_region, &o_source);
	if (parsed == HWIMS_ERROR)
		return error_oom(err);
	if (parsed == HWIMS_ENOMATCH)
		return hwims_error_set(err, HWIMS_ERR_INVALID,
		                       "image %s in %s is not a copy of another image (its data "
		                       "origin is \"%s\")",
		                       id, home, origin ? origin : "");
	int rc = -1;
	int64_t v;
	if (hwims_copy_spec_set(&spec->source_image_id, o_source, err) != 0 ||
	    hwims_copy_spec_set(&spec->region, o_region, err) != 0 ||
	    (strcmp(o_region, home) != 0 &&
	     hwims_copy_spec_set(&spec->target_region, home, err) != 0) ||
	    hwims_copy_spec_set(&spec->name, hwims_image_str(img, "name"), err) != 0 ||
	    hwims_copy_spec_set(&spec->description, hwims_image_str(img, "description"), err) !=
	        0 ||
	    hwims_copy_spec_set(&spec->kms_key_id, hwims_image_str(img, "kms_key_id"), err) != 0 ||
	    hwims_copy_spec_set(&spec->enterprise_project_id,
	                        hwims_image_str(img, "enterprise_project_id"), err) != 0 ||
	    hwims_tags_copy(&spec->tags, hwims_image_tags(img), err) != 0)
		goto out;
	if (hwims_image_int(img, "min_ram", &v)) {
		spec->has_min_ram = 1;
		spec->min_ram = v;
	}
	if (hwims_image_int(img, "max_ram", &v)) {
		spec->has_max_ram = 1;
		spec->max_ram = v;
	}
	rc = 0;
out:
	free(o_region);
	free(o_source);
	return rc;
}

/* An ID without a region prefix is looked for in the client's region only: say how to name a
   copy that lives elsewhere (id passed parse_import_id's character rules). */
static void hint_region_prefix(hwims_error *err, const char *home, const char *id)
{
	size_t n = strnlen(err->message, sizeof(err->message) - 1);
	snprintf(err->message + n, sizeof(err->message) - n,
	         "; a copy in a region other than %s is imported as <region>/<id>, such as "
	         "cn-south-1/%s",
	         home, id);
}

int hwims_image_copy_import(hwims_client *c, const char *import_id, const hwims_copy_options *opts,
                            hwims_copy_spec *spec, hwims_image **image_out, hwims_error *err)
{
	hwims_error local_err;
	if (!err)
		err = &local_err; /* the workflow inspects error codes */
	memset(spec, 0, sizeof(*spec));
	if (image_out)
		*image_out = NULL;
	char *region = NULL;
	const char *id = NULL;
	if (parse_import_id(c, import_id, &region, &id, err) != 0)
		return -1;
	const char *home = region ? region : hwims_client_region(c);
	hwims_image *img = NULL;
	/* Bounded like a read: an import is one, of an image not in the state yet. */
	copy_op op;
	int rc = copy_op_init(&op, c, opts, NULL, home, opts ? opts->read_timeout_ns : 0,
	                      COPY_DEFAULT_READ_TIMEOUT_NS, err);
	if (rc == 0) {
		hwims_cancel_set_persistent(op.cancel, HWIMS_PERSIST_BUSY);
		rc = copy_read_image(&op, id, &img, err); /* HWIMS_ENOTFOUND: err names the image */
		if (rc == HWIMS_ENOTFOUND && !region)
			hint_region_prefix(err, home, id);
	}
	copy_op_done(&op);
	if (rc == 0)
		rc = spec_of_image(img, id, home, spec, err);
	if (rc != 0)
		hwims_copy_spec_free(spec);
	if (rc == 0 && image_out) {
		*image_out = img;
		img = NULL;
	}
	hwims_image_free(img);
	free(region);
	return rc;
}
