/* provider_types.c - the tables of the resource types and data sources the provider serves. */
#include <string.h>

#include "prov_ops.h"

/* Each defined in its resource_<name>.c / data_source_<name>.c. */
extern const prov_resource_ops prov_resource_image_copy;
extern const prov_data_source_ops prov_data_source_images_image;
extern const prov_data_source_ops prov_data_source_images_images;

/* Both tables end with NULL, as curl's handler tables do. */
static const prov_resource_ops *const resources[] = {
    &prov_resource_image_copy,
    NULL,
};

/* One line per data source; the order is that of their schemas in prov_schemas. */
static const prov_data_source_ops *const data_sources[] = {
    &prov_data_source_images_image,
    &prov_data_source_images_images,
    NULL,
};

const prov_resource_ops *prov_resource_find(const char *type_name)
{
	for (size_t i = 0; resources[i]; i++) {
		if (strcmp(resources[i]->type_name, type_name) == 0)
			return resources[i];
	}
	return NULL;
}

const prov_data_source_ops *const *prov_data_sources(size_t *count)
{
	size_t n = 0;
	while (data_sources[n])
		n++;
	*count = n;
	return data_sources;
}

const prov_data_source_ops *prov_data_source_find(const char *type_name, size_t *index)
{
	for (size_t i = 0; data_sources[i]; i++) {
		if (strcmp(data_sources[i]->type_name, type_name) == 0) {
			*index = i;
			return data_sources[i];
		}
	}
	return NULL;
}
