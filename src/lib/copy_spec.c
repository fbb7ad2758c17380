/* copy_spec.c - the owned argument set of a copy (see include/hwims/image_copy.h). */
#include "hwims/image_copy.h"

#include <stdlib.h>
#include <string.h>

int hwims_copy_spec_set(char **field, const char *value, hwims_error *err)
{
	char *copy = NULL;
	if (value && *value) {
		copy = strdup(value);
		if (!copy)
			return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	free(*field);
	*field = copy;
	return 0;
}

int hwims_copy_spec_copy(hwims_copy_spec *dst, const hwims_copy_spec *src, hwims_error *err)
{
	memset(dst, 0, sizeof(*dst));
	dst->has_min_ram = src->has_min_ram;
	dst->has_max_ram = src->has_max_ram;
	dst->min_ram = src->min_ram;
	dst->max_ram = src->max_ram;
	if (hwims_copy_spec_set(&dst->source_image_id, src->source_image_id, err) != 0 ||
	    hwims_copy_spec_set(&dst->name, src->name, err) != 0 ||
	    hwims_copy_spec_set(&dst->description, src->description, err) != 0 ||
	    hwims_copy_spec_set(&dst->region, src->region, err) != 0 ||
	    hwims_copy_spec_set(&dst->target_region, src->target_region, err) != 0 ||
	    hwims_copy_spec_set(&dst->kms_key_id, src->kms_key_id, err) != 0 ||
	    hwims_copy_spec_set(&dst->enterprise_project_id, src->enterprise_project_id, err) !=
	        0 ||
	    hwims_copy_spec_set(&dst->agency_name, src->agency_name, err) != 0 ||
	    hwims_copy_spec_set(&dst->vault_id, src->vault_id, err) != 0 ||
	    hwims_tags_copy(&dst->tags, &src->tags, err) != 0) {
		hwims_copy_spec_free(dst);
		return -1;
	}
	return 0;
}

void hwims_copy_spec_free(hwims_copy_spec *spec)
{
	if (!spec)
		return;
	free(spec->source_image_id);
	free(spec->name);
	free(spec->description);
	free(spec->region);
	free(spec->target_region);
	free(spec->kms_key_id);
	free(spec->enterprise_project_id);
	free(spec->agency_name);
	free(spec->vault_id);
	hwims_tags_free(&spec->tags);
	memset(spec, 0, sizeof(*spec));
}

int hwims_copy_spec_is_cross_region(const hwims_copy_spec *spec, const char *default_region)
{
	const char *region = spec->region && *spec->region ? spec->region : default_region;
	if (!spec->target_region || !*spec->target_region)
		return 0;
	return !region || strcmp(region, spec->target_region) != 0;
}
