/* resource_image_copy_spec.c - a huaweicloud_images_image_copy state object as the workflow
   takes it: the image ID and the copy spec. */
#include "prov_image_copy.h"

const char *prov_ic_id(const prov_value *obj)
{
	const char *id = prov_value_str(prov_value_attr(obj, "id"));
	return (id && *id) ? id : NULL;
}

int prov_ic_spec(const prov_value *obj, hwims_copy_spec *spec, prov_diags *d)
{
	hwims_error err;
	if (prov_spec_from_value(obj, spec, NULL, &err) != 0) {
		prov_diag_from_error(d, "Cannot read the resource", &err, NULL);
		return -1;
	}
	return 0;
}
