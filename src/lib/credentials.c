/* credentials.c - static, agency and ECS-metadata keys, renewed before expiry (credentials.h). */
#include "credentials.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base.h"
#include "hwims/buf.h"
#include "hwims/duration.h"

/* How often a thread waiting for another's fetch looks at its cancel token. */
#define WAIT_SLICE_MS 50
/* Keys are renewed this long before they expire at most (the official provider's margin for
   the metadata keys) ... */
#define RENEW_MARGIN_MAX_S 600.0
/* ... and at least a quarter of their lifetime before, so short-lived keys are renewed too. */
#define RENEW_MARGIN_SHARE 0.25

typedef enum cred_source { CRED_STATIC, CRED_AGENCY, CRED_METADATA } cred_source;

struct credentials_keys {
	char *access_key, *secret_key, *security_token;
	double expires_at; /* seconds since the epoch; 0: never */
	double renew_at;   /* when to fetch new ones */
	unsigned refs;     /* guarded by the owner's mu */
};

struct credentials {
	cred_source source;
	hwims_http *http;          /* borrowed, or metadata_http */
	hwims_http *metadata_http; /* owned: quick to give up where no metadata service is */
	const hwims_log *log;
	char *iam_url;      /* agency: the IAM endpoint of the configured region */
	char *metadata_url; /* metadata: the service's base URL, ending in '/' */
	char *agency_body;  /* agency: the request body, fixed for the client's life */
	char *agency_name;
	pthread_mutex_t mu;
	pthread_cond_t fetched;
	credentials_keys *cur; /* NULL until the first fetch; guarded by mu */
	int fetching;          /* a thread is fetching; guarded by mu */
	atomic_uint_least64_t fetches;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void wipe_free(char *s)
{
	if (s) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

static void keys_free(credentials_keys *k)
{
	if (!k)
		return;
	free(k->access_key);
	wipe_free(k->secret_key);
	wipe_free(k->security_token);
	free(k);
}

/* New keys (copies) expiring at expires_at (0: never), renewed before that. */
static credentials_keys *keys_new(const char *ak, const char *sk, const char *token,
                                  double expires_at)
{
	credentials_keys *k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->access_key = strdup(ak);
	k->secret_key = strdup(sk);
	k->security_token = str_dup_set(token);
	if (!k->access_key || !k->secret_key || (token && *token && !k->security_token)) {
		keys_free(k);
		return NULL;
	}
	k->expires_at = expires_at;
	if (expires_at > 0) {
		double life = expires_at - now_s();
		double margin = life * RENEW_MARGIN_SHARE;
		if (margin > RENEW_MARGIN_MAX_S)
			margin = RENEW_MARGIN_MAX_S;
		k->renew_at = expires_at - (margin > 0 ? margin : 0);
	}
	k->refs = 1;
	return k;
}

/* "2026-12-02T07:00:00.000000Z" (fraction optional) as seconds since the epoch, or -1. */
static double parse_expiry(const char *text)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *end = text ? strptime(text, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	if (!end)
		return -1;
	double frac = 0;
	if (*end == '.') {
		char *after;
		frac = strtod(end, &after);
		end = after;
	}
	if (strcmp(end, "Z") != 0)
		return -1;
	return (double)timegm(&tm) + frac;
}

/* The credential object of an IAM or metadata answer as keys. */
static int keys_from_answer(const char *body, const char *what, credentials_keys **out,
                            hwims_error *err)
{
	json_t *root = json_loads(body ? body : "", 0, NULL);
	json_t *cred = json_object_get(root, "credential");
	const char *ak = json_string_value(json_object_get(cred, "access"));
	const char *sk = json_string_value(json_object_get(cred, "secret"));
	const char *token = json_string_value(json_object_get(cred, "securitytoken"));
	double exp = parse_expiry(json_string_value(json_object_get(cred, "expires_at")));
	int rc = 0;
	*out = NULL;
	if (!ak || !*ak || !sk || !*sk || !token || !*token || exp < 0)
		rc = hwims_error_set(err, HWIMS_ERR_NETWORK,
		                     "bad response from %s: no credential with access, secret, "
		                     "securitytoken and expires_at",
		                     what);
	else if (!(*out = keys_new(ak, sk, token, exp)))
		rc = error_oom(err);
	json_decref(root);
	return rc;
}

/* Ask the source for new temporary keys (no lock held). */
static int fetch(credentials *cr, hwims_cancel *cancel, credentials_keys **out, hwims_error *err)
{
	hwims_http_request req;
	hwims_http_response resp;
	hwims_buf url = HWIMS_BUF_INIT;
	const char *what = cr->source == CRED_AGENCY ? "IAM" : "the ECS metadata service";
	memset(&req, 0, sizeof(req));
	*out = NULL;
	if (cr->source == CRED_AGENCY) {
		if (hwims_buf_printf(&url, "%sv3.0/OS-CREDENTIAL/securitytokens", cr->iam_url) < 0)
			return error_oom(err);
		req.method = "POST";
		req.body = cr->agency_body;
		req.body_len = strlen(cr->agency_body);
		req.idempotent = 1; /* a second set of keys harms nothing */
	} else {
		if (hwims_buf_printf(&url, "%sopenstack/latest/securitykey", cr->metadata_url) < 0)
			return error_oom(err);
		req.method = "GET";
		req.unsigned_request = 1;
	}
	req.url = url.data;
	req.cancel = cancel;
	int rc = hwims_http_do(cr->http, &req, &resp, err);
	if (rc == 0)
		rc = keys_from_answer(resp.body, what, out, err);
	if (rc != 0 && cr->source == CRED_AGENCY) {
		hwims_error_prefix(err, "assuming agency %s", cr->agency_name);
	} else if (rc != 0) {
		/* Off an ECS nothing answers there: the configuration lacks credentials. */
		if (resp.status == 0 && err->kind != HWIMS_ERR_CANCELLED &&
		    err->kind != HWIMS_ERR_TIMEOUT)
			err->kind = HWIMS_ERR_USAGE;
		hwims_error_prefix(err,
		                   "no credentials configured (access_key and secret_key, or "
		                   "HW_ACCESS_KEY and HW_SECRET_KEY; a shared_config_file profile; "
		                   "assume_role) and none from the ECS metadata service at %s",
		                   cr->metadata_url);
	}
	hwims_http_response_free(&resp);
	hwims_buf_free(&url);
	if (rc == 0) {
		atomic_fetch_add(&cr->fetches, 1);
		char until[32];
		time_t t = (time_t)(*out)->expires_at;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(until, sizeof(until), "%Y-%m-%dT%H:%M:%SZ", &tm);
		hwims_log_printf(cr->log, HWIMS_LOG_INFO,
		                 "temporary credentials from %s%s%s, valid "
		                 "until %s",
		                 what, cr->source == CRED_AGENCY ? " for agency " : "",
		                 cr->source == CRED_AGENCY ? cr->agency_name : "", until);
	}
	return rc;
}

/* The assume_role body, as the IAM API documents it: the agency and the account that made it
   (by name, else ID), and the lifetime when one is configured (IAM's default otherwise). */
static char *agency_body(const hwims_config *cfg)
{
	json_t *ar = json_pack("{s:s}", "agency_name", cfg->assume_agency_name);
	if (ar && cfg->assume_domain_name && *cfg->assume_domain_name)
		json_object_set_new(ar, "domain_name", json_string(cfg->assume_domain_name));
	else if (ar)
		json_object_set_new(ar, "domain_id", json_string(cfg->assume_domain_id));
	if (ar && cfg->assume_duration > 0)
		json_object_set_new(ar, "duration_seconds", json_integer(cfg->assume_duration));
	json_t *body = ar ? json_pack("{s:{s:{s:[s],s:o}}}", "auth", "identity", "methods",
	                              "assume_role", "assume_role", ar)
	                  : NULL;
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	return text;
}

static int setup_agency(credentials *cr, const hwims_config *cfg, hwims_error *err)
{
	if (!cfg->access_key || !*cfg->access_key)
		return hwims_error_set_attr(
		    err, "assume_role",
		    "assume_role needs credentials to assume the agency with: set access_key and "
		    "secret_key (HW_ACCESS_KEY, HW_SECRET_KEY) or a shared_config_file profile");
	if ((!cfg->assume_domain_name || !*cfg->assume_domain_name) &&
	    (!cfg->assume_domain_id || !*cfg->assume_domain_id))
		return hwims_error_set_attr(err, "assume_role.domain_name",
		                            "assume_role needs the account that created agency %s: "
		                            "set domain_name or domain_id",
		                            cfg->assume_agency_name);
	cr->source = CRED_AGENCY;
	if (hwims_config_endpoint(cfg, HWIMS_SVC_IAM, NULL, &cr->iam_url, err) != 0)
		return -1;
	cr->agency_body = agency_body(cfg);
	cr->agency_name = strdup(cfg->assume_agency_name);
	return cr->agency_body && cr->agency_name ? 0 : error_oom(err);
}

/* The metadata service is a link-local address on an ECS and nothing elsewhere: a short
   connect timeout and one retry keep a machine without it from waiting a minute to say so. */
static int setup_metadata(credentials *cr, const hwims_config *cfg, hwims_error *err)
{
	cr->source = CRED_METADATA;
	cr->metadata_url =
	    strdup(cfg->metadata_url ? cfg->metadata_url : HWIMS_DEFAULT_METADATA_URL);
	if (!cr->metadata_url)
		return error_oom(err);
	hwims_http_options ho;
	memset(&ho, 0, sizeof(ho));
	ho.max_retries = 1;
	ho.connect_timeout_ms = 2000;
	ho.request_timeout_ms = 10000;
	ho.backoff_base_ms = 100;
	ho.backoff_max_ms = 1000;
	ho.insecure = cfg->insecure;
	ho.log = cr->log;
	if (hwims_http_new(&cr->metadata_http, &ho, err) != 0)
		return -1;
	cr->http = cr->metadata_http;
	return 0;
}

int credentials_new(credentials **out, const hwims_config *cfg, hwims_http *http,
                    const hwims_log *log, hwims_error *err)
{
	*out = NULL;
	int have_ak = cfg->access_key && *cfg->access_key;
	int have_sk = cfg->secret_key && *cfg->secret_key;
	if (have_ak && !have_sk)
		return hwims_error_set_attr(
		    err, "secret_key",
		    "no secret key: set HW_SECRET_KEY (or the secret_key setting)");
	if (have_sk && !have_ak)
		return hwims_error_set_attr(
		    err, "access_key",
		    "no access key: set HW_ACCESS_KEY (or the access_key setting)");
	credentials *cr = calloc(1, sizeof(*cr));
	if (!cr)
		return error_oom(err);
	cr->http = http;
	cr->log = log;
	pthread_mutex_init(&cr->mu, NULL);
	pthread_cond_init(&cr->fetched, NULL);
	atomic_init(&cr->fetches, 0);
	int rc = 0;
	if (cfg->assume_agency_name && *cfg->assume_agency_name) {
		rc = setup_agency(cr, cfg, err);
	} else if (have_ak) {
		cr->source = CRED_STATIC;
		cr->cur = keys_new(cfg->access_key, cfg->secret_key, cfg->security_token, 0);
		rc = cr->cur ? 0 : error_oom(err);
	} else {
		rc = setup_metadata(cr, cfg, err);
	}
	if (rc != 0) {
		credentials_free(cr);
		return -1;
	}
	*out = cr;
	return 0;
}

void credentials_free(credentials *cr)
{
	if (!cr)
		return;
	keys_free(cr->cur);
	hwims_http_free(cr->metadata_http);
	free(cr->iam_url);
	free(cr->metadata_url);
	wipe_free(cr->agency_body);
	free(cr->agency_name);
	pthread_cond_destroy(&cr->fetched);
	pthread_mutex_destroy(&cr->mu);
	free(cr);
}

/* Caller holds mu. Drop one reference of k. */
static void unref_locked(credentials_keys *k)
{
	if (k && --k->refs == 0)
		keys_free(k);
}

/* Caller holds mu. The outcome of this thread's fetch: fresh keys replace the current ones
   (which live on while calls still use them). */
static void install_locked(credentials *cr, credentials_keys *fresh)
{
	cr->fetching = 0;
	pthread_cond_broadcast(&cr->fetched);
	if (!fresh)
		return;
	unref_locked(cr->cur);
	cr->cur = fresh;
}

/* Caller holds mu. Wait a slice for another thread's fetch. */
static void wait_slice_locked(credentials *cr)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += WAIT_SLICE_MS * HWIMS_NS_PER_MS;
	if (until.tv_nsec >= HWIMS_NS_PER_S) {
		until.tv_sec++;
		until.tv_nsec -= HWIMS_NS_PER_S;
	}
	pthread_cond_timedwait(&cr->fetched, &cr->mu, &until);
}

int credentials_get(credentials *cr, hwims_cancel *cancel, credentials_keys **keys,
                    hwims_error *err)
{
	*keys = NULL;
	pthread_mutex_lock(&cr->mu);
	for (;;) {
		credentials_keys *k = cr->cur;
		double now = now_s();
		int valid = k && (k->expires_at == 0 || now < k->expires_at);
		if (valid && (k->expires_at == 0 || now < k->renew_at || cr->fetching)) {
			k->refs++;
			*keys = k;
			break;
		}
		if (!cr->fetching) {
			/* This thread fetches; the others keep the old keys while they last. */
			cr->fetching = 1;
			pthread_mutex_unlock(&cr->mu);
			credentials_keys *fresh = NULL;
			hwims_error ferr;
			hwims_error_clear(&ferr);
			int rc = fetch(cr, cancel, &fresh, &ferr);
			pthread_mutex_lock(&cr->mu);
			install_locked(cr, fresh);
			if (rc == 0 && now_s() >= fresh->expires_at) {
				/* Fetching again would bring the same: say so instead of looping.
				 */
				pthread_mutex_unlock(&cr->mu);
				return hwims_error_set(
				    err, HWIMS_ERR_AUTH,
				    "the temporary credentials just obtained have "
				    "already expired: is this machine's clock right?");
			}
			if (rc == 0) {
				fresh->refs++;
				*keys = fresh;
				break;
			}
			if (!(cr->cur && now_s() < cr->cur->expires_at)) {
				if (err)
					*err = ferr;
				pthread_mutex_unlock(&cr->mu);
				return -1;
			}
			/* The old keys still work: this call goes on with them, a later one tries
			   again. */
			hwims_log_printf(
			    cr->log, HWIMS_LOG_WARN,
			    "renewing the temporary credentials failed (the current ones "
			    "are still valid): %s",
			    ferr.message);
			cr->cur->refs++;
			*keys = cr->cur;
			break;
		}
		if (hwims_cancel_requested(cancel)) {
			pthread_mutex_unlock(&cr->mu);
			return hwims_error_set(err,
			                       hwims_cancel_timed_out(cancel) ? HWIMS_ERR_TIMEOUT
			                                                      : HWIMS_ERR_CANCELLED,
			                       "stopped while waiting for temporary credentials");
		}
		wait_slice_locked(cr);
	}
	pthread_mutex_unlock(&cr->mu);
	return 0;
}

hwims_http_credentials credentials_view(const credentials_keys *keys)
{
	hwims_http_credentials v = {keys->access_key, keys->secret_key, keys->security_token};
	return v;
}

void credentials_release(credentials *cr, credentials_keys *keys)
{
	if (!keys)
		return;
	pthread_mutex_lock(&cr->mu);
	unref_locked(keys);
	pthread_mutex_unlock(&cr->mu);
}

uint64_t credentials_fetches(const credentials *cr)
{
	return atomic_load(&((credentials *)cr)->fetches);
}
