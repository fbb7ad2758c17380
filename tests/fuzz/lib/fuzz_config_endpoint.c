/*
 * fuzz_config_endpoint.c - configuration loading from the environment and endpoint template
 * expansion (hwims_config_load, hwims_config_endpoint).
 *
 * Input, line by line:
 *   REGION          the region argument of hwims_config_endpoint (empty: NULL)
 *   TEMPLATE        a raw template, expanded without validation
 *   K=V ...         the environment hwims_config_load reads (HW_IMS_ENDPOINT=..., ...)
 *
 * What must hold:
 *  - a failed load is HWIMS_ERR_USAGE and leaves the configuration empty;
 *  - a loaded configuration has templates that start with http(s):// and end in '/',
 *    a cloud of [a-z0-9.-], a region (if any) that is a region name, and max_retries
 *    in 0..20;
 *  - expansion either succeeds with a URL ending in '/' that keeps the template's
 *    scheme (and, for a template with {region}, from a region name), or fails only
 *    when the template needs a region and none is known or it is not a region name;
 *  - a template without placeholders expands to itself (plus the final '/').
 */
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "hwims/config.h"
#include "hwims/error.h"

#define MAX_ENV 32

static int ends_with_slash(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && s[n - 1] == '/';
}

static void check_expand(const hwims_config *cfg, hwims_service svc, const char *region)
{
	char *url = (char *)"unchanged";
	hwims_error err;
	const char *tmpl = cfg->endpoints[svc];
	const char *effective = (region && *region) ? region : cfg->region;

	hwims_error_clear(&err);
	if (hwims_config_endpoint(cfg, svc, region, &url, &err) != 0) {
		FUZZ_CHECK(url == NULL);
		if (!tmpl) {
			FUZZ_CHECK(err.kind == HWIMS_ERR_USAGE);
			return;
		}
		FUZZ_CHECK(err.kind == HWIMS_ERR_USAGE);
		FUZZ_CHECK(strcmp(err.attribute, "region") == 0);
		FUZZ_CHECK(strstr(tmpl, "{region}") != NULL);
		FUZZ_CHECK(!effective || !*effective || !hwims_region_name_valid(effective));
		return;
	}
	/* A host is only ever built from a region name. */
	if (strstr(tmpl, "{region}"))
		FUZZ_CHECK(hwims_region_name_valid(effective));
	FUZZ_CHECK(tmpl != NULL);
	FUZZ_CHECK(url != NULL);
	FUZZ_CHECK(ends_with_slash(url));
	if (!strchr(tmpl, '{')) {
		size_t n = strlen(tmpl);
		FUZZ_CHECK(strncmp(url, tmpl, n) == 0);
		FUZZ_CHECK(strlen(url) == n + (ends_with_slash(tmpl) ? 0 : 1));
	}
	/* Placeholders never start within "http://", so the scheme survives expansion. */
	if (strncasecmp(tmpl, "https://", 8) == 0)
		FUZZ_CHECK(strncasecmp(url, tmpl, 8) == 0);
	else if (strncasecmp(tmpl, "http://", 7) == 0)
		FUZZ_CHECK(strncasecmp(url, tmpl, 7) == 0);
	free(url);
}

static void check_loaded(const hwims_config *cfg)
{
	FUZZ_CHECK(cfg->cloud != NULL);
	FUZZ_CHECK(strspn(cfg->cloud, "abcdefghijklmnopqrstuvwxyz0123456789.-") ==
	           strlen(cfg->cloud));
	FUZZ_CHECK(!cfg->region || hwims_region_name_valid(cfg->region));
	FUZZ_CHECK(cfg->max_retries >= 0 && cfg->max_retries <= HWIMS_MAX_MAX_RETRIES);
	FUZZ_CHECK(cfg->insecure == 0 || cfg->insecure == 1);
	for (int i = 0; i < HWIMS_SVC_COUNT; i++) {
		const char *e = cfg->endpoints[i];
		FUZZ_CHECK(e != NULL);
		FUZZ_CHECK(strncasecmp(e, "http://", 7) == 0 || strncasecmp(e, "https://", 8) == 0);
		FUZZ_CHECK(ends_with_slash(e));
	}
}

static int is_empty(const hwims_config *cfg)
{
	int empty = !cfg->region && !cfg->access_key && !cfg->secret_key && !cfg->security_token &&
	            !cfg->project_id && !cfg->cloud && !cfg->enterprise_project_id;
	for (int i = 0; i < HWIMS_SVC_COUNT; i++)
		empty = empty && !cfg->endpoints[i];
	return empty;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input in;
	char *env[MAX_ENV + 1];
	size_t n_env = 0;
	hwims_config cfg;
	hwims_error err;

	fuzz_input_init(&in, data, size);
	char *region = fuzz_input_field(&in, '\n', NULL);
	char *tmpl = fuzz_input_field(&in, '\n', NULL);
	while (!fuzz_input_done(&in) && n_env < MAX_ENV)
		env[n_env++] = fuzz_input_field(&in, '\n', NULL);
	env[n_env] = NULL;
	const char *region_arg = region[0] ? region : NULL;

	/* The expansion alone, on any template a caller could hand over. */
	hwims_config raw;
	memset(&raw, 0, sizeof(raw));
	raw.region = env[0] ? env[0] : NULL;
	raw.cloud = n_env > 1 ? env[1] : NULL;
	raw.endpoints[HWIMS_SVC_IMS] = tmpl;
	char *url = NULL;
	if (hwims_config_endpoint(&raw, HWIMS_SVC_IMS, region_arg, &url, &err) == 0) {
		FUZZ_CHECK(ends_with_slash(url));
		free(url);
	} else {
		FUZZ_CHECK(url == NULL && err.kind == HWIMS_ERR_USAGE);
	}
	FUZZ_CHECK(hwims_config_endpoint(&raw, HWIMS_SVC_COUNT, region_arg, &url, &err) == -1);
	FUZZ_CHECK(hwims_config_endpoint(&raw, (hwims_service)-1, region_arg, &url, &err) == -1);

	/* Loading, then expanding every service. */
	if (hwims_config_load(&cfg, NULL, env, &err) != 0) {
		FUZZ_CHECK(err.kind == HWIMS_ERR_USAGE);
		FUZZ_CHECK(is_empty(&cfg));
	} else {
		check_loaded(&cfg);
		for (int i = 0; i < HWIMS_SVC_COUNT; i++) {
			check_expand(&cfg, (hwims_service)i, region_arg);
			check_expand(&cfg, (hwims_service)i, NULL);
		}
		hwims_config_free(&cfg);
		FUZZ_CHECK(is_empty(&cfg));
	}

	for (size_t i = 0; i < n_env; i++)
		free(env[i]);
	free(tmpl);
	free(region);
	return 0;
}
