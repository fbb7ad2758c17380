/* resource_image_copy.c - huaweicloud_images_image_copy's entry in the resource table: its
   operations are one file each, resource_image_copy_<operation>.c (see prov_image_copy.h). */
#include "prov_image_copy.h"

static const prov_block_schema *schema_of(const prov_schemas *s)
{
	return &s->resource;
}

const prov_resource_ops prov_resource_image_copy = {
    .type_name = PROV_RESOURCE_TYPE,
    .noun = "image copy",
    .schema = schema_of,
    .validate = prov_ic_validate,
    .plan = prov_ic_plan,
    .apply = prov_ic_apply,
    .read = prov_ic_read,
    .import = prov_ic_import,
    .upgrade = prov_ic_upgrade,
};
