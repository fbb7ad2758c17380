/* http.c - the HTTP transport on libcurl: signing, retries, cancellation (see hwims/http.h). */
#include "hwims/http.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/rand.h>

#include "base.h"
#include "hwims/buf.h"
#include "hwims/duration.h"
#include "hwims/version.h"

#define DEFAULT_MAX_RETRIES        5
#define DEFAULT_CONNECT_TIMEOUT_MS 10000
#define DEFAULT_REQUEST_TIMEOUT_MS 60000
#define DEFAULT_BACKOFF_BASE_MS    500
#define DEFAULT_BACKOFF_MAX_MS     30000
#define MAX_BODY_BYTES             (64u << 20) /* a bigger answer is not an IMS answer */
#define POLL_INTERVAL_MS           50          /* how often a transfer looks at its cancel token */
#define POOL_MAX_IDLE              8
#define MAX_EXTRA_HEADERS          32
#define ERROR_EXCERPT_MAX          300 /* bytes of an unrecognised error body kept as message */

/* One reusable transfer context. Each keeps its own connection cache in its multi handle:
   libcurl does not support sharing a connection cache between concurrent threads, so
   connections are reused by handing whole contexts out from a pool instead. */
typedef struct http_slot {
	CURLM *multi;
	CURL *easy;
	struct http_slot *next;
} http_slot;

struct hwims_http {
	char *access_key, *secret_key, *security_token, *user_agent;
	int max_retries;
	int64_t connect_timeout_ms, request_timeout_ms, backoff_base_ms, backoff_max_ms;
	int insecure;
	const hwims_log *log;
	/* DNS cache and TLS sessions are safe to share between threads under these locks. */
	CURLSH *share;
	pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
	pthread_mutex_t pool_mu;
	http_slot *idle; /* protected by pool_mu */
	int n_idle;
};

/* libcurl's process-wide initialisation must run once, before any other thread uses it. This
   is the unavoidable global state of the transport; curl_global_cleanup is never called. */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init_once(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void share_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *userptr)
{
	struct hwims_http *h = userptr;
	(void)handle;
	(void)access;
	if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST)
		pthread_mutex_lock(&h->share_locks[data]);
}

static void share_unlock(CURL *handle, curl_lock_data data, void *userptr)
{
	struct hwims_http *h = userptr;
	(void)handle;
	if ((int)data >= 0 && data < CURL_LOCK_DATA_LAST)
		pthread_mutex_unlock(&h->share_locks[data]);
}

static void slot_free(http_slot *s)
{
	if (!s)
		return;
	if (s->multi)
		curl_multi_cleanup(s->multi);
	if (s->easy)
		curl_easy_cleanup(s->easy);
	free(s);
}

void hwims_http_free(hwims_http *h)
{
	if (!h)
		return;
	while (h->idle) {
		http_slot *s = h->idle;
		h->idle = s->next;
		slot_free(s);
	}
	if (h->share)
		curl_share_cleanup(h->share);
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&h->share_locks[i]);
	pthread_mutex_destroy(&h->pool_mu);
	free(h->access_key);
	if (h->secret_key) {
		memset(h->secret_key, 0, strlen(h->secret_key));
		free(h->secret_key);
	}
	if (h->security_token) {
		memset(h->security_token, 0, strlen(h->security_token));
		free(h->security_token);
	}
	free(h->user_agent);
	free(h);
}

int hwims_http_new(hwims_http **out, const hwims_http_options *opts, hwims_error *err)
{
	hwims_http *h;

	*out = NULL;
	if (!opts ||
	    (opts->access_key && *opts->access_key) != (opts->secret_key && *opts->secret_key))
		return hwims_error_set(
		    err, HWIMS_ERR_USAGE,
		    "an access key and a secret key are required together (set access_key "
		    "and secret_key, or HW_ACCESS_KEY and HW_SECRET_KEY)");
	pthread_once(&curl_once, curl_init_once);
	if (curl_init_rc != CURLE_OK)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "cannot initialise libcurl: %s",
		                       curl_easy_strerror(curl_init_rc));
	h = calloc(1, sizeof(*h));
	if (!h)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&h->share_locks[i], NULL);
	pthread_mutex_init(&h->pool_mu, NULL);
	h->access_key = str_dup_set(opts->access_key);
	h->secret_key = str_dup_set(opts->secret_key);
	h->security_token = str_dup_set(opts->security_token);
	if (opts->user_agent && *opts->user_agent)
		h->user_agent = strdup(opts->user_agent);
	else
		h->user_agent = strdup("hwims/" HWIMS_VERSION);
	if ((opts->access_key && *opts->access_key && (!h->access_key || !h->secret_key)) ||
	    !h->user_agent || (opts->security_token && *opts->security_token && !h->security_token))
		goto oom;
	h->max_retries = opts->max_retries < 0 ? DEFAULT_MAX_RETRIES : opts->max_retries;
	h->connect_timeout_ms =
	    opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : DEFAULT_CONNECT_TIMEOUT_MS;
	h->request_timeout_ms =
	    opts->request_timeout_ms > 0 ? opts->request_timeout_ms : DEFAULT_REQUEST_TIMEOUT_MS;
	h->backoff_base_ms =
	    opts->backoff_base_ms > 0 ? opts->backoff_base_ms : DEFAULT_BACKOFF_BASE_MS;
	h->backoff_max_ms =
	    opts->backoff_max_ms > 0 ? opts->backoff_max_ms : DEFAULT_BACKOFF_MAX_MS;
	h->insecure = opts->insecure ? 1 : 0;
	h->log = opts->log;
	h->share = curl_share_init();
	if (!h->share)
		goto oom;
	curl_share_setopt(h->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(h->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(h->share, CURLSHOPT_USERDATA, h);
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	*out = h;
	return 0;
oom:
	hwims_http_free(h);
	return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
}

static http_slot *slot_get(hwims_http *h)
{
	http_slot *s;

	pthread_mutex_lock(&h->pool_mu);
	s = h->idle;
	if (s) {
		h->idle = s->next;
		h->n_idle--;
	}
	pthread_mutex_unlock(&h->pool_mu);
	if (s)
		return s;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->multi = curl_multi_init();
	s->easy = curl_easy_init();
	if (!s->multi || !s->easy) {
		slot_free(s);
		return NULL;
	}
	return s;
}

static void slot_put(hwims_http *h, http_slot *s)
{
	pthread_mutex_lock(&h->pool_mu);
	if (h->n_idle < POOL_MAX_IDLE) {
		s->next = h->idle;
		h->idle = s;
		h->n_idle++;
		s = NULL;
	}
	pthread_mutex_unlock(&h->pool_mu);
	slot_free(s);
}

void hwims_http_response_free(hwims_http_response *resp)
{
	if (!resp)
		return;
	free(resp->body);
	memset(resp, 0, sizeof(*resp));
}

/* ---- one attempt ---- */

typedef struct attempt {
	hwims_buf body;
	char request_id[HWIMS_ERROR_REQUEST_ID_MAX];
	int64_t retry_after_ms; /* -1: none */
	size_t body_limit_hit;
	int body_oom; /* the answer could not be kept: out of memory, not a network failure */
	hwims_cancel *cancel;
} attempt;

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	attempt *a = userdata;
	size_t n = size * nmemb;

	if (a->body.len + n > MAX_BODY_BYTES) {
		a->body_limit_hit = 1;
		return 0;
	}
	if (hwims_buf_append(&a->body, ptr, n) < 0) {
		a->body_oom = 1;
		return 0;
	}
	return n;
}

static int64_t parse_retry_after(const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	if (isdigit((unsigned char)*v)) {
		char *end;
		long long s = strtoll(v, &end, 10);
		while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
			end++;
		if (*end || s < 0)
			return -1;
		return s > 86400 ? 86400000 : (int64_t)s * 1000;
	}
	char tmp[128];
	snprintf(tmp, sizeof(tmp), "%s", v);
	size_t n = strlen(tmp);
	while (n > 0 && isspace((unsigned char)tmp[n - 1]))
		tmp[--n] = '\0';
	time_t t = curl_getdate(tmp, NULL);
	if (t == (time_t)-1)
		return -1;
	double d = difftime(t, time(NULL));
	return d <= 0 ? 0 : (d > 86400 ? 86400000 : (int64_t)(d * 1000));
}

static size_t on_header(char *buffer, size_t size, size_t nitems, void *userdata)
{
	attempt *a = userdata;
	size_t n = size * nitems;
	char line[512];

	if (n >= sizeof(line))
		return n; /* no header we care about is that long */
	memcpy(line, buffer, n);
	line[n] = '\0';
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		line[--n] = '\0';
	char *colon = strchr(line, ':');
	if (!colon)
		return size * nitems;
	*colon = '\0';
	char *value = colon + 1;
	while (*value == ' ' || *value == '\t')
		value++;
	if (strcasecmp(line, "X-Request-Id") == 0 && *value)
		snprintf(a->request_id, sizeof(a->request_id), "%s", value);
	else if (strcasecmp(line, "Retry-After") == 0)
		a->retry_after_ms = parse_retry_after(value);
	return size * nitems;
}

static int on_progress(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	attempt *a = clientp;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return hwims_cancel_requested(a->cancel) ? 1 : 0;
}

/* The one monotonic clock of the library (hwims_cancel_now_ns), in milliseconds. */
static int64_t now_ms(void)
{
	return hwims_cancel_now_ns() / HWIMS_NS_PER_MS;
}

static uint64_t random_u64(void)
{
	uint64_t v = 0;

	if (RAND_bytes((unsigned char *)&v, sizeof(v)) != 1) {
		/* Only jitter and client request ids depend on this: weak randomness is harmless.
		 */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		v = (uint64_t)ts.tv_nsec * 6364136223846793005ULL + (uint64_t)ts.tv_sec;
	}
	return v;
}

/* The parts of the URL that are signed, and the Host header value. */
typedef struct url_parts {
	CURLU *u;
	char *host_header; /* host[:port] as sent */
	char *path, *query;
} url_parts;

static void url_parts_free(url_parts *p)
{
	if (p->u)
		curl_url_cleanup(p->u);
	free(p->host_header);
	curl_free(p->path);
	curl_free(p->query);
	memset(p, 0, sizeof(*p));
}

static int url_parse(url_parts *p, const char *url, hwims_error *err)
{
	char *scheme = NULL, *host = NULL, *port = NULL;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	p->u = curl_url();
	if (!p->u)
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
	if (!url || curl_url_set(p->u, CURLUPART_URL, url, CURLU_PATH_AS_IS) != CURLUE_OK ||
	    curl_url_get(p->u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    curl_url_get(p->u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(p->u, CURLUPART_PATH, &p->path, 0) != CURLUE_OK) {
		hwims_error_set(err, HWIMS_ERR_USAGE,
		                "invalid URL \"%s\": expected http(s)://host/path",
		                url ? url : "(null)");
		goto done;
	}
	if (curl_url_get(p->u, CURLUPART_QUERY, &p->query, 0) != CURLUE_OK)
		p->query = NULL;
	if (curl_url_get(p->u, CURLUPART_PORT, &port, 0) != CURLUE_OK)
		port = NULL;
	size_t n = strlen(host) + (port ? strlen(port) + 1 : 0) + 1;
	p->host_header = malloc(n);
	if (!p->host_header) {
		hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
		goto done;
	}
	snprintf(p->host_header, n, "%s%s%s", host, port ? ":" : "", port ? port : "");
	rc = 0;
done:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	if (rc < 0)
		url_parts_free(p);
	return rc;
}

static int has_crlf(const char *s)
{
	return s && (strchr(s, '\r') || strchr(s, '\n'));
}

/* The curl header list of the signed headers hs, the Authorization (NULL: an unsigned request)
   and the fixed ones into *out. */
static int header_list(const hwims_header *hs, size_t n, const char *authorization,
                       const char *ctype, struct curl_slist **out, hwims_error *err)
{
	struct curl_slist *list = NULL;
	hwims_buf line = HWIMS_BUF_INIT;
	int rc = -1;
	for (size_t i = 0; i < n; i++) {
		line.len = 0;
		if (hwims_buf_printf(&line, "%s: %s", hs[i].name, hs[i].value) < 0)
			goto oom;
		struct curl_slist *l = curl_slist_append(list, line.data);
		if (!l)
			goto oom;
		list = l;
	}
	line.len = 0;
	if (authorization && hwims_buf_printf(&line, "Authorization: %s", authorization) < 0)
		goto oom;
	static const char *const fixed[] = {"Accept: application/json", "Expect:"};
	const char *more[4] = {authorization ? line.data : NULL, fixed[0], fixed[1],
	                       ctype ? NULL : "Content-Type:"};
	for (size_t i = 0; i < 4; i++) {
		if (!more[i])
			continue;
		struct curl_slist *l = curl_slist_append(list, more[i]);
		if (!l)
			goto oom;
		list = l;
	}
	*out = list;
	list = NULL;
	rc = 0;
	goto done;
oom:
	hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
done:
	curl_slist_free_all(list);
	if (line.data)
		memset(line.data, 0, line.len); /* it held the token */
	hwims_buf_free(&line);
	return rc;
}

/* Build and sign the header list for one attempt (a fresh X-Sdk-Date each time). */
static int build_headers(hwims_http *h, const hwims_http_request *req, const url_parts *up,
                         struct curl_slist **out, hwims_error *err)
{
	hwims_header hs[MAX_EXTRA_HEADERS + 8];
	size_t n = 0;
	char date[20];
	hwims_signature sig;
	int rc;

	*out = NULL;
	const char *ctype = req->content_type;
	if (!ctype && req->body)
		ctype = "application/json";
	hwims_sign_date(time(NULL), date, sizeof(date));
	hs[n++] = (hwims_header){"Host", up->host_header};
	if (ctype)
		hs[n++] = (hwims_header){"Content-Type", ctype};
	hs[n++] = (hwims_header){"X-Sdk-Date", date};
	if (req->project_id)
		hs[n++] = (hwims_header){"X-Project-Id", req->project_id};
	/* The token is signed like any other header, as the SDKs do. */
	hwims_http_credentials keys = {h->access_key, h->secret_key, h->security_token};
	if (req->credentials)
		keys = *req->credentials;
	if (keys.security_token && *keys.security_token && !req->unsigned_request)
		hs[n++] = (hwims_header){"X-Security-Token", keys.security_token};
	if (req->n_headers > MAX_EXTRA_HEADERS)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "too many extra headers");
	for (size_t i = 0; i < req->n_headers; i++)
		hs[n++] = req->headers[i];
	for (size_t i = 0; i < n; i++) {
		if (!hs[i].name || !*hs[i].name || !hs[i].value || has_crlf(hs[i].name) ||
		    has_crlf(hs[i].value) || strchr(hs[i].name, ':'))
			return hwims_error_set(err, HWIMS_ERR_USAGE, "invalid header %s",
			                       hs[i].name ? hs[i].name : "(null)");
	}
	hwims_sign_request sr = {.method = req->method,
	                         .path = up->path,
	                         .query = up->query,
	                         .headers = hs,
	                         .n_headers = n,
	                         .body = req->body,
	                         .body_len = req->body ? req->body_len : 0};
	memset(&sig, 0, sizeof(sig));
	if (!req->unsigned_request) {
		if (!keys.access_key || !*keys.access_key || !keys.secret_key || !*keys.secret_key)
			return hwims_error_set(err, HWIMS_ERR_USAGE,
			                       "no credentials to sign the request with");
		if (hwims_sign(&sr, keys.access_key, keys.secret_key, &sig, err) < 0)
			return -1;
	}
	rc = header_list(hs, n, sig.authorization, ctype, out, err);
	hwims_signature_free(&sig);
	return rc;
}

typedef enum outcome {
	OUT_ANSWER,    /* an HTTP status was received */
	OUT_NOT_SENT,  /* failed before any request byte left: safe to retry anything */
	OUT_UNKNOWN,   /* failed after (part of) the request was sent */
	OUT_FATAL,     /* will not get better by retrying (TLS verification, bad URL, ...) */
	OUT_CANCELLED, /* the cancel token fired */
} outcome;

/* Set the easy handle e up for one attempt of req. */
static void setup_transfer(hwims_http *h, CURL *e, const hwims_http_request *req, int idempotent,
                           const url_parts *up, struct curl_slist *headers, attempt *a)
{
	/* An attempt never outlives the operation's deadline: what is left of it caps both the
	   connect and the whole-transfer timeout. */
	int64_t left = hwims_cancel_remaining_ms(req->cancel);
	int64_t connect_ms = h->connect_timeout_ms, total_ms = h->request_timeout_ms;
	if (left >= 0) {
		if (left < 1)
			left = 1;
		connect_ms = left < connect_ms ? left : connect_ms;
		total_ms = left < total_ms ? left : total_ms;
	}
	curl_easy_reset(e);
	curl_easy_setopt(e, CURLOPT_CURLU, up->u);
	curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_SHARE, h->share);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(e, CURLOPT_USERAGENT, h->user_agent);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)connect_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)total_ms);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, a);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, a);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, a);
	/* libcurl silently resends a request once when a reused connection turns out dead; for
	   a request that must not run twice, a fresh connection rules that out. */
	if (!idempotent)
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	if (h->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (strcmp(req->method, "GET") == 0 && !req->body) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(req->method, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	} else {
		if (req->body || strcmp(req->method, "POST") == 0) {
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
			                 (curl_off_t)(req->body ? req->body_len : 0));
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		}
		if (strcmp(req->method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
	}
}

/* What a finished transfer came to, from libcurl's result and how much of the request left. */
static outcome classify(CURLcode cc, curl_off_t request_size)
{
	switch (cc) {
	case CURLE_OK:
		return OUT_ANSWER;
	case CURLE_ABORTED_BY_CALLBACK:
		return OUT_CANCELLED;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_OUT_OF_MEMORY:
	case CURLE_WRITE_ERROR:
	case CURLE_BAD_FUNCTION_ARGUMENT:
		return OUT_FATAL;
	default:
		break;
	}
	/* No request byte left this host: the server cannot have acted on it. */
	if (request_size == 0)
		return OUT_NOT_SENT;
	return OUT_UNKNOWN;
}

/* Run one transfer on slot s. Fills *status, *cc and returns the outcome. */
static outcome run_transfer(hwims_http *h, http_slot *s, const hwims_http_request *req,
                            int idempotent, url_parts *up, struct curl_slist *headers, attempt *a,
                            long *status, CURLcode *cc)
{
	CURL *e = s->easy;
	int running = 1;

	*status = 0;
	*cc = CURLE_OK;
	setup_transfer(h, e, req, idempotent, up, headers, a);
	if (curl_multi_add_handle(s->multi, e) != CURLM_OK) {
		*cc = CURLE_OUT_OF_MEMORY;
		return OUT_FATAL;
	}
	/* Drive the transfer ourselves so a cancel is seen within POLL_INTERVAL_MS even while the
	   server is silent (the progress callback may only run once a second then). */
	while (running) {
		if (curl_multi_perform(s->multi, &running) != CURLM_OK)
			break;
		if (!running)
			break;
		if (hwims_cancel_requested(req->cancel)) {
			curl_multi_remove_handle(s->multi, e);
			*cc = CURLE_ABORTED_BY_CALLBACK;
			return OUT_CANCELLED;
		}
		curl_multi_poll(s->multi, NULL, 0, POLL_INTERVAL_MS, NULL);
	}
	int msgs;
	CURLMsg *m;
	*cc = CURLE_GOT_NOTHING;
	while ((m = curl_multi_info_read(s->multi, &msgs))) {
		if (m->msg == CURLMSG_DONE && m->easy_handle == e)
			*cc = m->data.result;
	}
	curl_off_t request_size = 0;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
	curl_easy_getinfo(e, CURLINFO_REQUEST_SIZE, &request_size);
	curl_multi_remove_handle(s->multi, e);

	return classify(*cc, request_size);
}

static int status_retryable(long status, int idempotent)
{
	if (status == 429 || status == 503)
		return 1;
	return status >= 500 && status <= 599 && idempotent;
}

/* Past max_retries, a persistent operation keeps retrying until its deadline: its budget is
 * time, not a count of attempts. */
static int persists(const hwims_cancel *cancel, outcome oc, long status)
{
	switch (hwims_cancel_persistent(cancel)) {
	case HWIMS_PERSIST_ALL:
		return 1;
	case HWIMS_PERSIST_BUSY:
		return oc == OUT_ANSWER && (status == 429 || status == 503);
	case HWIMS_PERSIST_NONE:
		break;
	}
	return 0;
}

static int64_t backoff_ms(const hwims_http *h, int retry, int64_t retry_after_ms)
{
	if (retry_after_ms >= 0)
		return retry_after_ms < h->backoff_max_ms ? retry_after_ms : h->backoff_max_ms;
	int64_t cap = h->backoff_base_ms;
	for (int i = 0; i < retry && cap < h->backoff_max_ms; i++)
		cap *= 2;
	if (cap > h->backoff_max_ms)
		cap = h->backoff_max_ms;
	/* Full jitter: anything from 0 to the cap spreads out clients retrying together. */
	return (int64_t)(random_u64() % (uint64_t)(cap + 1));
}

static void fill_http_error(hwims_error *err, long status, const hwims_http_request *req,
                            const attempt *a)
{
	hwims_error_set(err, hwims_error_kind_from_status((int)status), "HTTP %ld", status);
	if (!err)
		return;
	err->http_status = (int)status;
	if (!req->describe_error || a->body.len == 0 ||
	    !req->describe_error(a->body.data, a->body.len, err)) {
		/* No recognisable error body: the status is the code, the raw text the message. */
		snprintf(err->code, sizeof(err->code), "%ld", status);
		if (a->body.len > 0) {
			size_t n =
			    a->body.len < ERROR_EXCERPT_MAX ? a->body.len : ERROR_EXCERPT_MAX;
			char raw[ERROR_EXCERPT_MAX + 1];
			for (size_t i = 0; i < n; i++) {
				unsigned char c = (unsigned char)a->body.data[i];
				raw[i] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
			}
			raw[n] = '\0';
			snprintf(err->message, sizeof(err->message), "HTTP %ld: %s", status, raw);
		} else {
			snprintf(err->message, sizeof(err->message), "HTTP %ld with an empty body",
			         status);
		}
	}
	char *safe = hwims_redact(err->message);
	if (safe) {
		snprintf(err->message, sizeof(err->message), "%s", safe);
		free(safe);
	}
}

/* The operation was cancelled, or its deadline passed, before, during or between attempts.
 * A deadline keeps what the last attempt said (code, status), since that is usually why the
 * time ran out (a 429 storm, a silent server). */
static void stopped(hwims_error *err, const hwims_http_request *req, int attempts)
{
	if (!hwims_cancel_timed_out(req->cancel)) {
		hwims_error_set(err, HWIMS_ERR_CANCELLED, "%s %s cancelled", req->method, req->url);
		return;
	}
	if (!err)
		return;
	if (attempts == 0 || err->kind == HWIMS_ERR_NONE) {
		hwims_error_set(err, HWIMS_ERR_TIMEOUT, "%s %s: the operation's deadline passed",
		                req->method, req->url);
		return;
	}
	hwims_error last = *err;
	hwims_error_set(
	    err, HWIMS_ERR_TIMEOUT,
	    "%s %s: the operation's deadline passed after %d attempt%s; the last answer "
	    "was: %s",
	    req->method, req->url, attempts, attempts == 1 ? "" : "s", last.message);
	err->http_status = last.http_status;
	memcpy(err->code, last.code, sizeof(err->code));
}

/* A request needs a method of upper-case letters. */
static int check_method(const hwims_http_request *req, hwims_error *err)
{
	if (!req || !req->method || !*req->method)
		return hwims_error_set(err, HWIMS_ERR_USAGE, "HTTP request without a method");
	for (const char *m = req->method; *m; m++) {
		if (!isupper((unsigned char)*m))
			return hwims_error_set(err, HWIMS_ERR_USAGE, "invalid HTTP method \"%s\"",
			                       req->method);
	}
	return 0;
}

/* One DEBUG line per attempt: method, URL (query kept), status or why there was none, duration,
 * request id; never secrets. */
static void log_attempt(const hwims_http *h, const hwims_http_request *req, outcome oc, long status,
                        CURLcode cc, const attempt *a, int64_t took, int attempt_no,
                        const char *rid)
{
	if (oc == OUT_ANSWER)
		hwims_log_printf(h->log, HWIMS_LOG_DEBUG,
		                 "http: %s %s -> %ld in %lld ms (attempt %d/%d, request id %s)",
		                 req->method, req->url, status, (long long)took, attempt_no + 1,
		                 h->max_retries + 1, rid);
	else
		hwims_log_printf(h->log, HWIMS_LOG_DEBUG,
		                 "http: %s %s -> no answer (%s) in %lld ms (attempt %d/%d, request "
		                 "id %s)",
		                 req->method, req->url,
		                 a->body_limit_hit ? "answer too large" : curl_easy_strerror(cc),
		                 (long long)took, attempt_no + 1, h->max_retries + 1, rid);
}

/* What an attempt came to: 0 for a 2xx answer, else -1 with err filled and *retry saying
 * whether the retry rule allows another attempt. */
static int judge_attempt(const hwims_http_request *req, int idempotent, outcome oc, long status,
                         CURLcode cc, const attempt *a, int attempts, int *retry, hwims_error *err)
{
	*retry = 0;
	switch (oc) {
	case OUT_CANCELLED:
		stopped(err, req, attempts);
		if (!idempotent && err && hwims_cancel_timed_out(req->cancel))
			hwims_error_prefix(err, "the request may have been processed; not retried");
		return -1;
	case OUT_ANSWER:
		if (status >= 200 && status <= 299)
			return 0;
		fill_http_error(err, status, req, a);
		*retry = status_retryable(status, idempotent);
		return -1;
	case OUT_NOT_SENT:
	case OUT_UNKNOWN:
	case OUT_FATAL:
		break;
	}
	hwims_error_set(err,
	                a->body_oom || cc == CURLE_OUT_OF_MEMORY ? HWIMS_ERR_INTERNAL
	                : cc == CURLE_OPERATION_TIMEDOUT         ? HWIMS_ERR_TIMEOUT
	                                                         : HWIMS_ERR_NETWORK,
	                "%s %s: %s%s", req->method, req->url,
	                a->body_oom         ? "out of memory keeping the answer"
	                : a->body_limit_hit ? "answer larger than the limit"
	                                    : curl_easy_strerror(cc),
	                oc == OUT_UNKNOWN && !idempotent
	                    ? " (the request may have been processed; not retried)"
	                    : "");
	*retry = oc == OUT_NOT_SENT || (oc == OUT_UNKNOWN && idempotent);
	return -1;
}

int hwims_http_do(hwims_http *h, const hwims_http_request *req, hwims_http_response *resp,
                  hwims_error *err)
{
	url_parts up;
	attempt a;
	http_slot *slot = NULL;
	char client_id[40];
	int64_t start = now_ms();
	int rc = -1;

	memset(resp, 0, sizeof(*resp));
	memset(&a, 0, sizeof(a));
	snprintf(client_id, sizeof(client_id), "hwims-%016llx", (unsigned long long)random_u64());
	snprintf(resp->request_id, sizeof(resp->request_id), "%s", client_id);
	hwims_error_clear(err);
	if (!h || check_method(req, err) != 0)
		return -1;
	/* A GET or HEAD changes nothing, whatever the caller said. */
	int idempotent =
	    req->idempotent || strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	if (url_parse(&up, req->url, err) < 0)
		return -1;
	slot = slot_get(h);
	if (!slot) {
		url_parts_free(&up);
		return hwims_error_set(err, HWIMS_ERR_INTERNAL, "cannot create a libcurl handle");
	}

	for (int attempt_no = 0;; attempt_no++) {
		struct curl_slist *headers = NULL;
		long status = 0;
		CURLcode cc;

		if (hwims_cancel_requested(req->cancel)) {
			stopped(err, req, attempt_no);
			break;
		}
		hwims_buf_free(&a.body);
		a.request_id[0] = '\0';
		a.retry_after_ms = -1;
		a.body_limit_hit = 0;
		a.body_oom = 0;
		a.cancel = req->cancel;
		if (build_headers(h, req, &up, &headers, err) < 0)
			break;
		resp->attempts = attempt_no + 1;
		int64_t t0 = now_ms();
		outcome oc = run_transfer(h, slot, req, idempotent, &up, headers, &a, &status, &cc);
		int64_t took = now_ms() - t0;
		curl_slist_free_all(headers);

		const char *rid = a.request_id[0] ? a.request_id : client_id;
		snprintf(resp->request_id, sizeof(resp->request_id), "%s", rid);
		resp->status = oc == OUT_ANSWER ? (int)status : 0;
		log_attempt(h, req, oc, status, cc, &a, took, attempt_no, rid);
		int retry = 0;
		rc =
		    judge_attempt(req, idempotent, oc, status, cc, &a, attempt_no + 1, &retry, err);
		if (oc == OUT_CANCELLED || rc == 0 || !retry || req->one_attempt ||
		    (attempt_no >= h->max_retries && !persists(req->cancel, oc, status)))
			break;
		int64_t wait = backoff_ms(h, attempt_no, a.retry_after_ms);
		hwims_log_printf(h->log, HWIMS_LOG_DEBUG, "http: %s %s: retrying in %lld ms",
		                 req->method, req->url, (long long)wait);
		if (hwims_cancel_sleep(req->cancel, wait)) {
			stopped(err, req, attempt_no + 1);
			break;
		}
	}

	if (err && rc != 0) {
		snprintf(err->request_id, sizeof(err->request_id), "%s", resp->request_id);
		if (err->http_status == 0)
			err->http_status = resp->status;
	}
	resp->body_len = a.body.len;
	resp->body = hwims_buf_detach(&a.body);
	resp->duration_ms = now_ms() - start;
	slot_put(h, slot);
	url_parts_free(&up);
	return rc;
}
