/* resource_image_copy_import.c - ImportResourceState of huaweicloud_images_image_copy: an import
   ID names the copy (and where it lives); the rest comes from the image. */
#include <string.h>

#include "prov_image_copy.h"

prov_value *prov_ic_import(const prov_op *op, const char *id, prov_private *priv)
{
	if (prov_op_no_client(op))
		return NULL;
	hwims_copy_options opts = prov_provider_copy_options(op->p);
	hwims_copy_spec spec;
	memset(&spec, 0, sizeof(spec));
	hwims_image *img = NULL;
	hwims_error err;
	prov_value *base = NULL, *st = NULL;
	int rc = hwims_image_copy_import(op->client, id, &opts, &spec, &img, &err);
	if (rc == 0) {
		/* Where the copy lives comes from the import ID; the rest from the image. */
		base = prov_value_object(op->schema->implied);
		if (!base || prov_value_set_str(base, "region", spec.region) != 0 ||
		    prov_value_set_str(base, "target_region", spec.target_region) != 0)
			rc = hwims_error_set(&err, HWIMS_ERR_INTERNAL, "out of memory");
		else
			rc =
			    prov_state_from_image(op->schema, img, base, PROV_FILL_READ, &st, &err);
	}
	if (rc != 0) {
		prov_diag_from_error(op->d, "Cannot import the image copy", &err, NULL);
	} else {
		/* the first plan adopts what the API cannot return (prov_ic_plan) */
		priv->data.data = (uint8_t *)PROV_PRIVATE_IMPORTED;
		priv->data.len = sizeof(PROV_PRIVATE_IMPORTED) - 1;
	}
	prov_value_free(base);
	hwims_image_free(img);
	hwims_copy_spec_free(&spec);
	return st;
}
