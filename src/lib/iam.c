/* iam.c - the IAM call: project ID of a region (reference section 2.2), cached by the client. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cloud_api.h"

/* Ask IAM for the project named name (the region's own project has the region's name); every
   project the answer lists goes into the cache. */
static int project_lookup(hwims_client *c, const char *region, const char *name_wanted,
                          hwims_cancel *cancel, char **id, hwims_error *err)
{
	*id = NULL;
	char *path = api_path("v3/projects?name=%s%s", name_wanted, NULL);
	if (!path)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	/* IAM is asked at the configured region's endpoint, as the Terraform provider does; with no
	 * configured region, at the region being looked up. */
	const char *iam_region = hwims_client_region(c) ? hwims_client_region(c) : region;
	json_t *answer = NULL;
	int rc = api_call_json(c, HWIMS_SVC_IAM, iam_region, "GET", path, NULL, NULL,
	                       API_IDEMPOTENT, cancel, &answer, err);
	free(path);
	if (rc != 0)
		return hwims_error_prefix(err, "looking up the project of region %s", region);
	json_t *projects = json_object_get(answer, "projects");
	size_t i;
	json_t *p;
	json_array_foreach(projects, i, p)
	{
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *pid = json_string_value(json_object_get(p, "id"));
		if (!name || !pid)
			continue;
		if (strcmp(name, name_wanted) != 0 && hwims_region_name_valid(name))
			client_project_put(c, name, pid, 0);
		if (!*id && strcmp(name, name_wanted) == 0)
			*id = strdup(pid);
	}
	json_decref(answer);
	if (!*id && strcmp(name_wanted, region) != 0)
		return hwims_error_set_attr(err, "project_name",
		                            "IAM lists no project named %s: check project_name "
		                            "(HW_PROJECT_NAME)",
		                            name_wanted);
	if (!*id)
		return hwims_error_set(
		    err, HWIMS_ERR_NOT_FOUND,
		    "wrong name or no access to the region %s: IAM lists no project "
		    "named so",
		    region);
	return 0;
}

int api_project_id(hwims_client *c, const char *region, hwims_cancel *cancel, char **project_id,
                   hwims_error *err)
{
	*project_id = NULL;
	if (!region || !*region)
		region = hwims_client_region(c);
	if (!region)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "no region: set HW_REGION_NAME (or the region setting)");
	const hwims_config *cfg = hwims_client_config(c);
	if (cfg->project_id && *cfg->project_id && cfg->region &&
	    strcmp(region, cfg->region) == 0) {
		*project_id = strdup(cfg->project_id);
		return *project_id ? 0 : hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	int rc = client_project_claim(c, region, cancel, project_id, err);
	if (rc != HWIMS_ENOTFOUND)
		return rc;
	/* project_name names the configured region's project (tenant_name of the official
	   provider); any other region's is the one named after the region. */
	const char *name = region;
	if (cfg->project_name && *cfg->project_name && cfg->region &&
	    strcmp(region, cfg->region) == 0)
		name = cfg->project_name;
	rc = project_lookup(c, region, name, cancel, project_id, err);
	client_project_put(c, region, rc == 0 ? *project_id : NULL, 1);
	return rc;
}
