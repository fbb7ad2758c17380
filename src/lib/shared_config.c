/* shared_config.c - the Huawei Cloud CLI configuration file (see shared_config.h). */
#include "shared_config.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hwims/buf.h"

/* The file's path with "~/" expanded, or NULL (out of memory). */
static char *expand_home(const char *path, const char *home)
{
	hwims_buf b = HWIMS_BUF_INIT;
	int rc = (path[0] == '~' && path[1] == '/' && home && *home)
	             ? hwims_buf_printf(&b, "%s%s", home, path + 1)
	             : hwims_buf_puts(&b, path);
	if (rc != 0) {
		hwims_buf_free(&b);
		return NULL;
	}
	return hwims_buf_detach(&b);
}

/* Replace *dst with the profile's member key when it is a non-empty string. */
static int take(char **dst, json_t *profile, const char *key, hwims_error *err)
{
	const char *v = json_string_value(json_object_get(profile, key));
	if (!v || !*v)
		return 0;
	char *c = strdup(v);
	if (!c)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	free(*dst);
	*dst = c;
	return 0;
}

/* The profile named name in root's "profiles", or NULL. */
static json_t *find_profile(json_t *root, const char *name)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(root, "profiles"), i, p)
	{
		const char *n = json_string_value(json_object_get(p, "name"));
		if (n && strcmp(n, name) == 0)
			return p;
	}
	return NULL;
}

/* The settings a profile gives, as the official provider takes them: the keys always, the rest
   when present. */
static int apply_profile(hwims_config *cfg, json_t *p, const char *file, const char *name,
                         hwims_error *err)
{
	const char *mode = json_string_value(json_object_get(p, "mode"));
	int metadata = mode && strcmp(mode, "ecsAgency") == 0;
	if (mode && *mode && strcmp(mode, "AKSK") != 0 && !metadata)
		return hwims_error_set_attr(err, "profile",
		                            "profile %s of shared config file %s has mode \"%s\": "
		                            "only AKSK and ecsAgency profiles are supported",
		                            name, file, mode);
	if (!metadata) {
		const char *ak = json_string_value(json_object_get(p, "accessKeyId"));
		const char *sk = json_string_value(json_object_get(p, "secretAccessKey"));
		if (!ak || !*ak || !sk || !*sk)
			return hwims_error_set_attr(err, "profile",
			                            "profile %s of shared config file %s has no "
			                            "accessKeyId and secretAccessKey",
			                            name, file);
	}
	if (take(&cfg->access_key, p, "accessKeyId", err) < 0 ||
	    take(&cfg->secret_key, p, "secretAccessKey", err) < 0 ||
	    take(&cfg->security_token, p, "securityToken", err) < 0 ||
	    take(&cfg->region, p, "region", err) < 0 ||
	    take(&cfg->project_id, p, "projectId", err) < 0 ||
	    take(&cfg->domain_id, p, "domainId", err) < 0 ||
	    take(&cfg->assume_agency_name, p, "agencyName", err) < 0 ||
	    take(&cfg->assume_domain_name, p, "agencyDomainName", err) < 0 ||
	    take(&cfg->assume_domain_id, p, "agencyDomainId", err) < 0)
		return -1;
	return 0;
}

int shared_config_apply(hwims_config *cfg, const char *home, hwims_error *err)
{
	char *file = expand_home(cfg->shared_config_file, home);
	if (!file)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	json_error_t je;
	int rc = -1;
	json_t *root = NULL;
	FILE *f = fopen(file, "r");
	if (!f) {
		hwims_error_set_attr(err, "shared_config_file",
		                     "cannot read shared config file %s: %s", file,
		                     strerror(errno));
		goto done;
	}
	root = json_loadf(f, 0, &je);
	fclose(f);
	if (!json_is_object(root)) {
		hwims_error_set_attr(err, "shared_config_file",
		                     "shared config file %s is not a JSON object (line %d: %s)",
		                     file, je.line, root ? "expected an object" : je.text);
		goto done;
	}
	const char *name = cfg->profile;
	if (!name || !*name)
		name = json_string_value(json_object_get(root, "current"));
	if (!name || !*name) {
		hwims_error_set_attr(
		    err, "profile",
		    "no profile: set profile, or \"current\" in shared config file %s", file);
		goto done;
	}
	json_t *p = find_profile(root, name);
	if (!p) {
		hwims_error_set_attr(err, "profile",
		                     "shared config file %s has no profile named %s", file, name);
		goto done;
	}
	rc = apply_profile(cfg, p, file, name, err);
done:
	json_decref(root);
	free(file);
	return rc;
}
