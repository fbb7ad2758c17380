/* client.c - configuration + transport + the per-region project-ID cache (see hwims/client.h). */
#include "client_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "credentials.h"
#include "hwims/duration.h"

/* How often a thread waiting for another's IAM lookup of the same region looks at its cancel
 * token. */
#define PROJECT_WAIT_SLICE_MS 50

typedef struct project_entry {
	char *region;
	char *project_id; /* NULL while unknown */
	int pending;      /* a thread is asking IAM for it */
} project_entry;

struct hwims_client {
	hwims_config cfg; /* deep copy */
	hwims_http *http;
	credentials *creds; /* the keys every call is signed with */
	const hwims_log *log;
	pthread_mutex_t mu;           /* guards projects; never held across a network call */
	pthread_cond_t project_known; /* signalled when a pending lookup ends */
	project_entry *projects;
	size_t n_projects;
	atomic_uint_least64_t calls;
	atomic_int progress_api_off; /* see client_progress_api */
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
	dst->assume_duration = src->assume_duration;
	char **const to[] = {&dst->region,
	                     &dst->access_key,
	                     &dst->secret_key,
	                     &dst->security_token,
	                     &dst->project_id,
	                     &dst->cloud,
	                     &dst->enterprise_project_id,
	                     &dst->project_name,
	                     &dst->domain_id,
	                     &dst->domain_name,
	                     &dst->auth_url,
	                     &dst->metadata_url,
	                     &dst->shared_config_file,
	                     &dst->profile,
	                     &dst->assume_agency_name,
	                     &dst->assume_domain_name,
	                     &dst->assume_domain_id,
	                     &dst->state_dir};
	const char *const from[] = {src->region,
	                            src->access_key,
	                            src->secret_key,
	                            src->security_token,
	                            src->project_id,
	                            src->cloud,
	                            src->enterprise_project_id,
	                            src->project_name,
	                            src->domain_id,
	                            src->domain_name,
	                            src->auth_url,
	                            src->metadata_url,
	                            src->shared_config_file,
	                            src->profile,
	                            src->assume_agency_name,
	                            src->assume_domain_name,
	                            src->assume_domain_id,
	                            src->state_dir};
	int rc = 0;
	for (size_t i = 0; i < sizeof(to) / sizeof(to[0]); i++)
		rc |= dup_str(to[i], from[i]);
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
	if ((cfg->access_key && *cfg->access_key) != (cfg->secret_key && *cfg->secret_key))
		return hwims_error_set_attr(
		    err, cfg->access_key && *cfg->access_key ? "secret_key" : "access_key", "%s",
		    cfg->access_key && *cfg->access_key
		        ? "no secret key: set HW_SECRET_KEY (or the secret_key setting)"
		        : "no access key: set HW_ACCESS_KEY (or the access_key setting)");
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
	if (hwims_http_new(&c->http, &ho, err) != 0 ||
	    credentials_new(&c->creds, &c->cfg, c->http, c->log, err) != 0) {
		hwims_http_free(c->http);
		hwims_config_free(&c->cfg);
		free(c);
		return -1;
	}
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->project_known, NULL);
	atomic_init(&c->calls, 0);
	atomic_init(&c->progress_api_off, 0);
	*out = c;
	return 0;
}

void hwims_client_free(hwims_client *c)
{
	if (!c)
		return;
	credentials_free(c->creds);
	hwims_http_free(c->http);
	for (size_t i = 0; i < c->n_projects; i++) {
		free(c->projects[i].region);
		free(c->projects[i].project_id);
	}
	free(c->projects);
	pthread_cond_destroy(&c->project_known);
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

hwims_http *client_http(hwims_client *c)
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

int client_progress_api(const hwims_client *c)
{
	return !atomic_load(&((hwims_client *)c)->progress_api_off);
}

void client_progress_api_off(hwims_client *c)
{
	atomic_store(&c->progress_api_off, 1);
}

uint64_t hwims_client_credential_fetches(const hwims_client *c)
{
	return credentials_fetches(c->creds);
}

/* Caller holds mu. The entry of region, or NULL. */
static project_entry *cache_entry(hwims_client *c, const char *region)
{
	for (size_t i = 0; i < c->n_projects; i++) {
		if (strcmp(c->projects[i].region, region) == 0)
			return &c->projects[i];
	}
	return NULL;
}

/* Caller holds mu. A new entry for region (project_id NULL: being looked up), or NULL when out
 * of memory. */
static project_entry *cache_add(hwims_client *c, const char *region)
{
	project_entry *p = realloc(c->projects, (c->n_projects + 1) * sizeof(*p));
	if (!p)
		return NULL;
	c->projects = p;
	char *r = strdup(region);
	if (!r)
		return NULL;
	p = &c->projects[c->n_projects++];
	p->region = r;
	p->project_id = NULL;
	p->pending = 0;
	return p;
}

int client_project_claim(hwims_client *c, const char *region, hwims_cancel *cancel,
                         char **project_id, hwims_error *err)
{
	*project_id = NULL;
	int rc = 0;
	pthread_mutex_lock(&c->mu);
	for (;;) {
		project_entry *e = cache_entry(c, region);
		if (e && e->project_id) {
			*project_id = strdup(e->project_id);
			rc = *project_id
			         ? 0
			         : hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
			break;
		}
		if (!e || !e->pending) {
			/* Nobody is asking: this caller will. A failed allocation only costs the
			 * single flight; the caller looks the region up all the same. */
			if (!e)
				e = cache_add(c, region);
			if (e)
				e->pending = 1;
			rc = HWIMS_ENOTFOUND;
			break;
		}
		if (hwims_cancel_requested(cancel)) {
			rc = hwims_error_set(
			    err,
			    hwims_cancel_timed_out(cancel) ? HWIMS_ERR_TIMEOUT
			                                   : HWIMS_ERR_CANCELLED,
			    "stopped while waiting for the project ID of region %s", region);
			break;
		}
		/* Another thread is asking IAM for this region: wait for its answer, waking now and
		 * then to notice a cancellation. Other regions are not held up meanwhile. */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += PROJECT_WAIT_SLICE_MS * HWIMS_NS_PER_MS;
		if (until.tv_nsec >= HWIMS_NS_PER_S) {
			until.tv_sec++;
			until.tv_nsec -= HWIMS_NS_PER_S;
		}
		pthread_cond_timedwait(&c->project_known, &c->mu, &until);
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

void client_project_put(hwims_client *c, const char *region, const char *project_id, int claimed)
{
	pthread_mutex_lock(&c->mu);
	project_entry *e = cache_entry(c, region);
	if (!e && project_id)
		e = cache_add(c, region);
	if (e && project_id && !e->project_id)
		e->project_id = strdup(project_id); /* a failed allocation only loses the entry */
	if (e && claimed) {
		e->pending = 0;
		pthread_cond_broadcast(&c->project_known);
	}
	pthread_mutex_unlock(&c->mu);
}

int client_call(hwims_client *c, const client_request *rq, hwims_http_response *resp,
                hwims_error *err)
{
	memset(resp, 0, sizeof(*resp));
	char *base = NULL;
	if (hwims_config_endpoint(&c->cfg, rq->svc, rq->region, &base, err) != 0)
		return -1;
	size_t n = strlen(base) + strlen(rq->path) + 1;
	char *url = malloc(n);
	if (!url) {
		free(base);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	}
	snprintf(url, n, "%s%s", base, rq->path);
	free(base);
	hwims_http_request req;
	memset(&req, 0, sizeof(req));
	req.method = rq->method;
	req.url = url;
	req.body = rq->body;
	req.body_len = rq->body ? strlen(rq->body) : 0;
	req.project_id = rq->project_id;
	req.idempotent = rq->idempotent;
	req.one_attempt = rq->one_attempt;
	req.cancel = rq->cancel;
	req.describe_error = rq->describe_error;
	credentials_keys *keys = NULL;
	if (credentials_get(c->creds, rq->cancel, &keys, err) != 0) {
		free(url);
		return -1;
	}
	hwims_http_credentials view = credentials_view(keys);
	req.credentials = &view;
	int rc = hwims_http_do(c->http, &req, resp, err);
	credentials_release(c->creds, keys);
	if (resp->attempts > 0)
		atomic_fetch_add(&c->calls, (uint64_t)resp->attempts);
	free(url);
	return rc;
}
