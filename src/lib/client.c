/* client.c - configuration + transport + per-region project IDs (see include/hwims/client.h). */
#include "hwims/client.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cloud_api.h"

typedef struct project_entry {
	char *region;
	char *project_id;
} project_entry;

struct hwims_client {
	hwims_config cfg; /* deep copy */
	hwims_http *http;
	const hwims_log *log;
	pthread_mutex_t mu; /* guards projects */
	project_entry *projects;
	size_t n_projects;
	atomic_uint_least64_t calls;
};

static int dup_str(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -1;
}

static int config_copy(hwims_config *dst, const hwims_config *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->insecure = src->insecure;
	dst->max_retries = src->max_retries;
	int rc = dup_str(&dst->region, src->region) | dup_str(&dst->access_key, src->access_key) |
	         dup_str(&dst->secret_key, src->secret_key) |
	         dup_str(&dst->security_token, src->security_token) |
	         dup_str(&dst->project_id, src->project_id) | dup_str(&dst->cloud, src->cloud) |
	         dup_str(&dst->enterprise_project_id, src->enterprise_project_id) |
	         dup_str(&dst->state_dir, src->state_dir);
	for (int i = 0; i < HWIMS_SVC_COUNT; i++)
		rc |= dup_str(&dst->endpoints[i], src->endpoints[i]);
	if (rc != 0) {
		hwims_config_free(dst);
		return -1;
	}
	return 0;
}

int hwims_client_new(hwims_client **out, const hwims_config *cfg, const hwims_client_options *opts,
                     hwims_error *err)
{
	*out = NULL;
	if (!cfg->access_key || !*cfg->access_key)
		return hwims_error_set(
		    err, HWIMS_ERR_USAGE,
		    "no access key: set HW_ACCESS_KEY (or the access_key setting)");
	if (!cfg->secret_key || !*cfg->secret_key)
		return hwims_error_set(
		    err, HWIMS_ERR_USAGE,
		    "no secret key: set HW_SECRET_KEY (or the secret_key setting)");
	hwims_client *c = calloc(1, sizeof(*c));
	if (!c)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	if (config_copy(&c->cfg, cfg) != 0) {
		free(c);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	hwims_http_options ho;
	memset(&ho, 0, sizeof(ho));
	ho.access_key = cfg->access_key;
	ho.secret_key = cfg->secret_key;
	ho.security_token = cfg->security_token;
	ho.max_retries = cfg->max_retries;
	ho.insecure = cfg->insecure;
	if (opts) {
		c->log = opts->log;
		ho.log = opts->log;
		ho.user_agent = opts->user_agent;
		ho.connect_timeout_ms = opts->connect_timeout_ms;
		ho.request_timeout_ms = opts->request_timeout_ms;
		ho.backoff_base_ms = opts->backoff_base_ms;
		ho.backoff_max_ms = opts->backoff_max_ms;
	}
	if (hwims_http_new(&c->http, &ho, err) != 0) {
		hwims_config_free(&c->cfg);
		free(c);
		return -1;
	}
	pthread_mutex_init(&c->mu, NULL);
	atomic_init(&c->calls, 0);
	*out = c;
	return 0;
}

void hwims_client_free(hwims_client *c)
{
	if (!c)
		return;
	hwims_http_free(c->http);
	for (size_t i = 0; i < c->n_projects; i++) {
		free(c->projects[i].region);
		free(c->projects[i].project_id);
	}
	free(c->projects);
	pthread_mutex_destroy(&c->mu);
	hwims_config_free(&c->cfg);
	free(c);
}

const hwims_config *hwims_client_config(const hwims_client *c)
{
	return &c->cfg;
}

const char *hwims_client_region(const hwims_client *c)
{
	return c->cfg.region && *c->cfg.region ? c->cfg.region : NULL;
}

hwims_http *hwims_client_http(hwims_client *c)
{
	return c->http;
}

const hwims_log *hwims_client_log(const hwims_client *c)
{
	return c->log;
}

uint64_t hwims_client_calls(const hwims_client *c)
{
	return atomic_load(&((hwims_client *)c)->calls);
}

/* Caller holds mu. Returns a copy or NULL. */
static char *cache_find(hwims_client *c, const char *region)
{
	for (size_t i = 0; i < c->n_projects; i++) {
		if (strcmp(c->projects[i].region, region) == 0)
			return strdup(c->projects[i].project_id);
	}
	return NULL;
}

/* Called with mu held by the lookup below; a failed allocation only loses a cache entry. */
static void cache_remember(void *userdata, const char *name, const char *id)
{
	hwims_client *c = userdata;
	for (size_t i = 0; i < c->n_projects; i++) {
		if (strcmp(c->projects[i].region, name) == 0)
			return;
	}
	project_entry *p = realloc(c->projects, (c->n_projects + 1) * sizeof(*p));
	if (!p)
		return;
	c->projects = p;
	char *r = strdup(name), *i2 = strdup(id);
	if (!r || !i2) {
		free(r);
		free(i2);
		return;
	}
	c->projects[c->n_projects].region = r;
	c->projects[c->n_projects].project_id = i2;
	c->n_projects++;
}

int hwims_client_project_id(hwims_client *c, const char *region, hwims_cancel *cancel,
                            char **project_id, hwims_error *err)
{
	*project_id = NULL;
	if (!region || !*region)
		region = hwims_client_region(c);
	if (!region)
		return hwims_error_set(err, HWIMS_ERR_USAGE,
		                       "no region: set HW_REGION_NAME (or the region setting)");
	if (c->cfg.project_id && *c->cfg.project_id && c->cfg.region &&
	    strcmp(region, c->cfg.region) == 0) {
		*project_id = strdup(c->cfg.project_id);
		return *project_id ? 0 : hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	/* Holding the mutex across the IAM call makes concurrent first uses of a region wait for
	 * one lookup instead of all sending their own. */
	pthread_mutex_lock(&c->mu);
	*project_id = cache_find(c, region);
	int rc = 0;
	if (!*project_id)
		rc =
		    hwims_api_project_lookup(c, region, cancel, cache_remember, c, project_id, err);
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int hwims_client_call(hwims_client *c, hwims_service svc, const char *region, const char *method,
                      const char *path, const char *body, const char *project_id, int idempotent,
                      hwims_cancel *cancel, hwims_http_response *resp, hwims_error *err)
{
	memset(resp, 0, sizeof(*resp));
	char *base = NULL;
	if (hwims_config_endpoint(&c->cfg, svc, region, &base, err) != 0)
		return -1;
	size_t n = strlen(base) + strlen(path) + 1;
	char *url = malloc(n);
	if (!url) {
		free(base);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	snprintf(url, n, "%s%s", base, path);
	free(base);
	hwims_http_request req;
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	req.project_id = project_id;
	req.idempotent = idempotent;
	req.cancel = cancel;
	int rc = hwims_http_do(c->http, &req, resp, err);
	if (resp->attempts > 0)
		atomic_fetch_add(&c->calls, (uint64_t)resp->attempts);
	free(url);
	return rc;
}
