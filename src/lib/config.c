/* config.c - provider/CLI configuration loading (see include/hwims/config.h). */
#include "hwims/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hwims/buf.h"
#include "shared_config.h"

static const char *const default_templates[HWIMS_SVC_COUNT] = {
    "https://ims.{region}.{cloud}/",
    "https://iam.{region}.{cloud}/",
    "https://eps.{cloud}/",
};

static const char *const endpoint_env[HWIMS_SVC_COUNT] = {
    "HW_IMS_ENDPOINT",
    "HW_IAM_ENDPOINT",
    "HW_EPS_ENDPOINT",
};

const char *hwims_service_name(hwims_service svc)
{
	switch (svc) {
	case HWIMS_SVC_IMS:
		return "ims";
	case HWIMS_SVC_IAM:
		return "iam";
	case HWIMS_SVC_EPS:
		return "eps";
	case HWIMS_SVC_COUNT:
		break;
	}
	return "unknown";
}

void hwims_config_args_init(hwims_config_args *a)
{
	memset(a, 0, sizeof(*a));
	a->insecure = -1;
	a->max_retries = -1;
	a->assume_duration = -1;
}

void hwims_config_free(hwims_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->region);
	free(cfg->access_key);
	free(cfg->secret_key);
	free(cfg->security_token);
	free(cfg->project_id);
	free(cfg->cloud);
	free(cfg->enterprise_project_id);
	free(cfg->project_name);
	free(cfg->domain_id);
	free(cfg->domain_name);
	free(cfg->auth_url);
	free(cfg->metadata_url);
	free(cfg->shared_config_file);
	free(cfg->profile);
	free(cfg->assume_agency_name);
	free(cfg->assume_domain_name);
	free(cfg->assume_domain_id);
	free(cfg->state_dir);
	for (int i = 0; i < HWIMS_SVC_COUNT; i++)
		free(cfg->endpoints[i]);
	memset(cfg, 0, sizeof(*cfg));
}

/* Value of name in envp, or NULL (also for an empty value). */
static const char *env_get(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (; envp && *envp; envp++) {
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return (*envp)[n + 1] ? *envp + n + 1 : NULL;
	}
	return NULL;
}

/* Resolve one string setting: argument > environment > default (each may be NULL). */
static int pick(char **out, const char *arg, char *const *envp, const char *env_name,
                const char *def, hwims_error *err)
{
	const char *v = (arg && *arg) ? arg : env_get(envp, env_name);

	if (!v)
		v = def;
	*out = NULL;
	if (!v)
		return 0;
	*out = strdup(v);
	if (!*out)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	return 0;
}

static int parse_bool(const char *s, int *out)
{
	static const char *const yes[] = {"1", "true", "yes", "on"};
	static const char *const no[] = {"0", "false", "no", "off"};

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* An http(s) URL with something after the scheme. Templates may hold {region}/{cloud}. */
static int valid_url(const char *u)
{
	const char *rest;

	if (strncasecmp(u, "https://", 8) == 0)
		rest = u + 8;
	else if (strncasecmp(u, "http://", 7) == 0)
		rest = u + 7;
	else
		return 0;
	if (*rest == '\0' || *rest == '/')
		return 0;
	for (const char *p = u; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			return 0;
	}
	return 1;
}

/* Make sure the template ends in '/' (the API paths are appended without one). */
static int ensure_slash(char **s, hwims_error *err)
{
	size_t n = strlen(*s);

	if (n > 0 && (*s)[n - 1] == '/')
		return 0;
	char *t = realloc(*s, n + 2);
	if (!t)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	t[n] = '/';
	t[n + 1] = '\0';
	*s = t;
	return 0;
}

/* 1 when s is 1..max characters, each a lower-case letter, a digit, '-' or one of extra. */
static int name_of(const char *s, size_t max, const char *extra)
{
	if (!s || !*s)
		return 0;
	size_t n = 0;
	for (const char *p = s; *p; p++, n++) {
		char ch = *p;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		      (ch && strchr(extra, ch))))
			return 0;
	}
	return n <= max;
}

int hwims_region_name_valid(const char *region)
{
	return name_of(region, 64, "");
}

/* The state directory: HWIMS_STATE_DIR as given, else the XDG base directory's hwims. Only
   an absolute path counts: a relative one would depend on where terraform runs. */
static int state_dir(hwims_config *cfg, char *const *envp)
{
	const char *v = env_get(envp, "HWIMS_STATE_DIR");
	hwims_buf b = HWIMS_BUF_INIT;
	int rc = 0;
	if (v && v[0] == '/')
		rc = hwims_buf_puts(&b, v);
	else if ((v = env_get(envp, "XDG_STATE_HOME")) && v[0] == '/')
		rc = hwims_buf_printf(&b, "%s/hwims", v);
	else if ((v = env_get(envp, "HOME")) && v[0] == '/')
		rc = hwims_buf_printf(&b, "%s/.local/state/hwims", v);
	else
		return 0;
	if (rc != 0)
		return -1;
	cfg->state_dir = hwims_buf_detach(&b);
	return cfg->state_dir ? 0 : -1;
}

static const char region_rule[] =
    "a region name has only lower-case letters, digits and '-' (such as cn-north-4)";

/* The IAM endpoint of auth_url: the official form names the API version ("/v3"), which the
   IAM paths here carry themselves. */
static int iam_from_auth_url(hwims_config *cfg, hwims_error *err)
{
	if (!valid_url(cfg->auth_url))
		return hwims_error_set_attr(
		    err, "auth_url",
		    "invalid auth_url: expected an http:// or https:// URL "
		    "such as https://iam.{region}.myhuaweicloud.com:443/v3");
	char *t = strdup(cfg->auth_url);
	if (!t)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	size_t n = strlen(t);
	while (n > 0 && t[n - 1] == '/')
		t[--n] = '\0';
	if (n >= 3 && strcmp(t + n - 3, "/v3") == 0)
		t[n - 2] = '\0'; /* keep the '/' before "v3" */
	free(cfg->endpoints[HWIMS_SVC_IAM]);
	cfg->endpoints[HWIMS_SVC_IAM] = t;
	return 0;
}

/* The endpoint template of every service: argument, environment or default; an http(s) URL
 * ending in '/'. */
static int load_endpoints(hwims_config *cfg, const hwims_config_args *args, char *const *envp,
                          hwims_error *err)
{
	for (int i = 0; i < HWIMS_SVC_COUNT; i++) {
		if (pick(&cfg->endpoints[i], args->endpoints[i], envp, endpoint_env[i],
		         default_templates[i], err) < 0)
			return -1;
		if (i == HWIMS_SVC_IAM && cfg->auth_url &&
		    !(args->endpoints[i] && *args->endpoints[i]) &&
		    !env_get(envp, endpoint_env[i]) && iam_from_auth_url(cfg, err) < 0)
			return -1;
		if (!valid_url(cfg->endpoints[i]))
			return hwims_error_set(
			    err, HWIMS_ERR_USAGE,
			    "invalid %s endpoint \"%s\" (from %s): expected an http:// or "
			    "https:// URL",
			    hwims_service_name((hwims_service)i), cfg->endpoints[i],
			    (args->endpoints[i] && *args->endpoints[i]) ? "argument"
			                                                : endpoint_env[i]);
		if (ensure_slash(&cfg->endpoints[i], err) < 0)
			return -1;
	}
	return 0;
}

/* insecure and max_retries: argument, else environment, else the default. */
static int load_transport_settings(hwims_config *cfg, const hwims_config_args *args,
                                   char *const *envp, hwims_error *err)
{
	const char *v;
	cfg->insecure = 0;
	if (args->insecure >= 0)
		cfg->insecure = args->insecure ? 1 : 0;
	else if ((v = env_get(envp, "HW_INSECURE")) && parse_bool(v, &cfg->insecure) < 0)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "invalid HW_INSECURE \"%s\": expected true or false", v);
	cfg->max_retries = HWIMS_DEFAULT_MAX_RETRIES;
	if (args->max_retries >= 0) {
		cfg->max_retries = args->max_retries;
	} else if ((v = env_get(envp, "HW_MAX_RETRIES"))) {
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (errno || end == v || *end || n < 0 || n > HWIMS_MAX_MAX_RETRIES)
			return hwims_error_set(
			    err, HWIMS_ERR_USAGE,
			    "invalid HW_MAX_RETRIES \"%s\": expected an integer from 0 to %d", v,
			    HWIMS_MAX_MAX_RETRIES);
		cfg->max_retries = (int)n;
	}
	if (cfg->max_retries > HWIMS_MAX_MAX_RETRIES)
		return hwims_error_set_attr(
		    err, "max_retries", "invalid max_retries %d: expected an integer from 0 to %d",
		    cfg->max_retries, HWIMS_MAX_MAX_RETRIES);
	return 0;
}

/* The account, the project by name, and where credentials come from when they are not given
   as keys: the shared configuration file or an agency to assume. */
static int load_identity(hwims_config *cfg, const hwims_config_args *args, char *const *envp,
                         hwims_error *err)
{
	if (pick(&cfg->project_name, args->project_name, envp, "HW_PROJECT_NAME", NULL, err) < 0 ||
	    pick(&cfg->domain_id, args->domain_id, envp, "HW_DOMAIN_ID", NULL, err) < 0 ||
	    pick(&cfg->domain_name, args->domain_name, envp, "HW_DOMAIN_NAME", NULL, err) < 0 ||
	    pick(&cfg->auth_url, args->auth_url, envp, "HW_AUTH_URL", NULL, err) < 0 ||
	    pick(&cfg->shared_config_file, args->shared_config_file, envp, "HW_SHARED_CONFIG_FILE",
	         NULL, err) < 0 ||
	    pick(&cfg->profile, args->profile, envp, "HW_PROFILE", NULL, err) < 0 ||
	    pick(&cfg->assume_agency_name, args->assume_agency_name, envp,
	         "HW_ASSUME_ROLE_AGENCY_NAME", NULL, err) < 0 ||
	    pick(&cfg->assume_domain_name, args->assume_domain_name, envp,
	         "HW_ASSUME_ROLE_DOMAIN_NAME", NULL, err) < 0 ||
	    pick(&cfg->assume_domain_id, args->assume_domain_id, envp, "HW_ASSUME_ROLE_DOMAIN_ID",
	         NULL, err) < 0 ||
	    pick(&cfg->metadata_url, NULL, envp, "HWIMS_METADATA_URL", HWIMS_DEFAULT_METADATA_URL,
	         err) < 0)
		return -1;
	if (!valid_url(cfg->metadata_url))
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "invalid HWIMS_METADATA_URL \"%s\": expected an http:// or "
		                       "https:// URL",
		                       cfg->metadata_url);
	if (ensure_slash(&cfg->metadata_url, err) < 0)
		return -1;
	const char *v;
	if (args->assume_duration >= 0) {
		cfg->assume_duration = args->assume_duration;
	} else if ((v = env_get(envp, "HW_ASSUME_ROLE_DURATION"))) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*end || end == v || n < 0 || n > 86400)
			return hwims_error_set_attr(err, "assume_role.duration",
			                            "invalid HW_ASSUME_ROLE_DURATION: expected "
			                            "seconds, a whole number from 0 to 86400");
		cfg->assume_duration = (int)n;
	}
	return 0;
}

int hwims_config_load(hwims_config *cfg, const hwims_config_args *args, char *const *envp,
                      hwims_error *err)
{
	hwims_config_args none;

	memset(cfg, 0, sizeof(*cfg));
	if (!args) {
		hwims_config_args_init(&none);
		args = &none;
	}
	if (pick(&cfg->region, args->region, envp, "HW_REGION_NAME", NULL, err) < 0 ||
	    pick(&cfg->access_key, args->access_key, envp, "HW_ACCESS_KEY", NULL, err) < 0 ||
	    pick(&cfg->secret_key, args->secret_key, envp, "HW_SECRET_KEY", NULL, err) < 0 ||
	    pick(&cfg->security_token, args->security_token, envp, "HW_SECURITY_TOKEN", NULL, err) <
	        0 ||
	    pick(&cfg->project_id, args->project_id, envp, "HW_PROJECT_ID", NULL, err) < 0 ||
	    pick(&cfg->cloud, args->cloud, envp, "HW_CLOUD", HWIMS_DEFAULT_CLOUD, err) < 0 ||
	    pick(&cfg->enterprise_project_id, args->enterprise_project_id, envp,
	         "HW_ENTERPRISE_PROJECT_ID", NULL, err) < 0 ||
	    load_identity(cfg, args, envp, err) < 0)
		goto fail;
	/* As the official provider: the shared file only when no key is given. It may name the
	   region, so it comes before the endpoints and the region check. */
	if (cfg->shared_config_file && !cfg->access_key &&
	    shared_config_apply(cfg, env_get(envp, "HOME"), err) < 0)
		goto fail;
	if (load_endpoints(cfg, args, envp, err) < 0)
		goto fail;
	if (!name_of(cfg->cloud, 253, ".")) {
		hwims_error_set_attr(
		    err, "cloud",
		    "invalid cloud: expected a domain of lower-case letters, digits, "
		    "'-' and '.' such as myhuaweicloud.com");
		goto fail;
	}
	if (cfg->region && !hwims_region_name_valid(cfg->region)) {
		hwims_error_set_attr(err, "region", "invalid region (from %s): %s",
		                     args->region && *args->region ? "argument" : "HW_REGION_NAME",
		                     region_rule);
		goto fail;
	}
	if (state_dir(cfg, envp) != 0) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		goto fail;
	}
	if (load_transport_settings(cfg, args, envp, err) < 0)
		goto fail;
	return 0;

fail:
	hwims_config_free(cfg);
	return -1;
}

int hwims_config_endpoint(const hwims_config *cfg, hwims_service svc, const char *region,
                          char **url, hwims_error *err)
{
	hwims_buf b = HWIMS_BUF_INIT;
	int oom = 0;

	*url = NULL;
	if ((int)svc < 0 || svc >= HWIMS_SVC_COUNT || !cfg->endpoints[svc])
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "no endpoint configured for service %d", (int)svc);
	if (!region || !*region)
		region = cfg->region;
	const char *cloud = cfg->cloud ? cfg->cloud : HWIMS_DEFAULT_CLOUD;
	for (const char *p = cfg->endpoints[svc]; *p;) {
		if (strncmp(p, "{region}", 8) == 0) {
			if (!region || !*region) {
				hwims_buf_free(&b);
				return hwims_error_set_attr(err, "region",
				                            "the %s endpoint \"%s\" needs a "
				                            "region: set region or HW_REGION_NAME",
				                            hwims_service_name(svc),
				                            cfg->endpoints[svc]);
			}
			/* The last gate before a host name: whatever the caller checked. */
			if (!hwims_region_name_valid(region)) {
				hwims_buf_free(&b);
				return hwims_error_set_attr(err, "region", "invalid region: %s",
				                            region_rule);
			}
			oom |= hwims_buf_puts(&b, region);
			p += 8;
		} else if (strncmp(p, "{cloud}", 7) == 0) {
			oom |= hwims_buf_puts(&b, cloud);
			p += 7;
		} else {
			oom |= hwims_buf_append(&b, p, 1);
			p++;
		}
	}
	if (!oom && (b.len == 0 || b.data[b.len - 1] != '/'))
		oom |= hwims_buf_puts(&b, "/");
	if (oom) {
		hwims_buf_free(&b);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	*url = hwims_buf_detach(&b);
	return 0;
}
