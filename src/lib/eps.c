/* eps.c - the EPS calls: move an image into another enterprise project, and see whether the
 * project lists it (reference 4.9). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cloud_api.h"

int api_eps_migrate(hwims_client *c, const char *eps_id, const char *image_id,
                    const char *project_id, const char *region_id, hwims_cancel *cancel,
                    hwims_error *err)
{
	char *path = api_path("v1.0/enterprise-projects/%s/resources-migrate%s", eps_id, NULL);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "resource_type", "images", "resource_id",
	                         image_id, "project_id", project_id, "region_id", region_id);
	if (!path || !body) {
		free(path);
		json_decref(body);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	/* Moving to the project the image is already in changes nothing: safe to retry. EPS is a
	 * global service: no X-Project-Id. */
	int rc = api_call_json(c, HWIMS_SVC_EPS, region_id, "POST", path, body, NULL,
	                       API_IDEMPOTENT, cancel, NULL, err);
	free(path);
	json_decref(body);
	if (rc != 0)
		hwims_error_prefix(err, "moving image %s to enterprise project %s", image_id,
		                   eps_id);
	return rc;
}

/* The largest page resources/filter serves. */
#define EPS_FILTER_PAGE 1000

int api_eps_listed(hwims_client *c, const char *eps_id, const char *image_id,
                   const char *project_id, const char *region_id, hwims_cancel *cancel, int *listed,
                   hwims_error *err)
{
	*listed = 0;
	char *path = api_path("v1.0/enterprise-projects/%s/resources/filter%s", eps_id, NULL);
	if (!path)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	int rc = 0;
	for (json_int_t offset = 0; rc == 0 && !*listed;) {
		json_t *body =
		    json_pack("{s:[s], s:[s], s:I, s:I}", "projects", project_id, "resource_types",
		              "images", "limit", (json_int_t)EPS_FILTER_PAGE, "offset", offset);
		json_t *answer = NULL;
		rc = body ? api_call_json(c, HWIMS_SVC_EPS, region_id, "POST", path, body, NULL,
		                          API_IDEMPOTENT, cancel, &answer, err)
		          : hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		json_decref(body);
		json_t *res = json_object_get(answer, "resources");
		size_t i;
		json_t *r;
		json_array_foreach(res, i, r)
		{
			const char *id = json_string_value(json_object_get(r, "resource_id"));
			*listed |= id && strcmp(id, image_id) == 0;
		}
		size_t n = json_array_size(res);
		json_int_t total = json_integer_value(json_object_get(answer, "total_count"));
		json_decref(answer);
		offset += (json_int_t)n;
		if (n < EPS_FILTER_PAGE || offset >= total)
			break;
	}
	free(path);
	if (rc != 0)
		hwims_error_prefix(err, "listing the images of enterprise project %s", eps_id);
	return rc;
}
