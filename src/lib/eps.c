/* eps.c - the EPS call: move an image into another enterprise project (reference 4.9). */
#include <stdio.h>
#include <stdlib.h>

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
