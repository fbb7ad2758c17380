/*
 * hwims/http.h - the HTTP transport of libhwims, on libcurl.
 *
 * A hwims_http holds the credentials, the retry policy and a pool of libcurl
 * handles that keeps connections (and DNS/TLS sessions) alive between calls.
 * It is thread-safe: several threads may call hwims_http_do on one hwims_http
 * at the same time.
 *
 * Every request is signed with SDK-HMAC-SHA256 (Python-SDK style: host,
 * content-type, x-sdk-date, x-project-id, x-security-token and any extra
 * headers are signed).
 *
 * Retry rule. An attempt is retried (up to max_retries times) when:
 *  - the connection could not be established (refused, DNS failure, connect
 *    timeout): the request never reached the server, so this is safe for
 *    every method;
 *  - the server answered 429 or 503: the gateway/service did nothing, safe for
 *    every method;
 *  - the server answered another 5xx (500, 502, 504, ...), or the connection
 *    failed after it was established (reset, dropped, per-attempt timeout,
 *    empty reply): ONLY if the request is idempotent. For a non-idempotent
 *    request (a POST that creates something) the outcome is unknown, since the
 *    server may have acted on it, so it is returned as an error at once and
 *    the caller decides (e.g. looks the created object up). A non-idempotent
 *    request is always sent on a fresh connection, since libcurl would
 *    otherwise silently resend it once if a reused connection turned out dead.
 * Between attempts the client sleeps with exponential backoff and full jitter:
 * a random time in [0, min(backoff_max, backoff_base * 2^attempt)], or the
 * server's Retry-After (seconds or HTTP date) when present, capped by
 * backoff_max. Cancellation interrupts both transfers and sleeps.
 */
#ifndef HWIMS_HTTP_H
#define HWIMS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "hwims/cancel.h"
#include "hwims/error.h"
#include "hwims/log.h"
#include "hwims/sign.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hwims_http hwims_http;

/* The keys one request is signed with (borrowed for the call). */
typedef struct hwims_http_credentials {
	const char *access_key, *secret_key;
	const char *security_token; /* temporary credentials: sent and signed as X-Security-Token;
	                               NULL for permanent ones */
} hwims_http_credentials;

typedef struct hwims_http_options {
	/* copied; the keys of every request that brings none of its own (see
	   hwims_http_request.credentials). All NULL: each request must bring its own or be
	   unsigned. */
	const char *access_key, *secret_key, *security_token;
	int max_retries;            /* retries after the first attempt (default 5 if <0) */
	int64_t connect_timeout_ms; /* default 10000 if 0 */
	int64_t request_timeout_ms; /* per attempt, default 60000 if 0 */
	int64_t backoff_base_ms;    /* default 500 if 0; tests set small values */
	int64_t backoff_max_ms;     /* default 30000 if 0 */
	int insecure;               /* 1: skip TLS certificate and host verification */
	const char *user_agent;     /* copied; default "hwims/<version>" */
	const hwims_log *log;       /* borrowed, may be NULL; must outlive the client */
} hwims_http_options;

/* Create a client. Errors: HWIMS_ERR_USAGE (an access key without a secret key or the reverse),
   HWIMS_ERR_INTERNAL.
   Caller frees with hwims_http_free. */
int hwims_http_new(hwims_http **out, const hwims_http_options *opts, hwims_error *err);

/* Free a client no thread is using any more. Safe on NULL. */
void hwims_http_free(hwims_http *h);

/*
 * Reads an error answer's body into err->code and err->message (leaving the other fields alone)
 * and returns 1, or returns 0 when it does not recognise the body. The transport carries any
 * API: the caller, who knows which one it is talking to, says how its errors read.
 */
typedef int (*hwims_http_error_fn)(const char *body, size_t body_len, hwims_error *err);

typedef struct hwims_http_request {
	const char *method;          /* GET POST PATCH PUT DELETE */
	const char *url;             /* absolute; query kept and signed as given */
	const char *body;            /* may be NULL */
	size_t body_len;             /* exact bytes sent and hashed */
	const char *content_type;    /* default "application/json" when body != NULL */
	const char *project_id;      /* sent (and signed) as X-Project-Id when non-NULL */
	int idempotent;              /* GET/DELETE/PATCH-replace are; a POST that creates is not:
	                                it is retried only when the request certainly never reached the
	                                server (connect failed) or the answer was 429/503 with nothing
	                                done. See the retry rule above. GET and HEAD
	                                count as idempotent whatever this says. */
	hwims_cancel *cancel;        /* borrowed, may be NULL */
	const hwims_header *headers; /* extra headers (e.g. X-Domain-Id), sent and signed; may be
	                                NULL. Borrowed. */
	size_t n_headers;
	/* Reads the body of a non-2xx answer; NULL, or a body it does not recognise: the status
	   is the code and the first bytes of the raw text the message. */
	hwims_http_error_fn describe_error;
	/* The keys to sign this request with, instead of the transport's: credentials that change
	   while the transport lives (temporary ones renewed before they expire). Borrowed; NULL:
	   the transport's. */
	const hwims_http_credentials *credentials;
	/* 1: send without Authorization (the ECS metadata service, which signs nothing). */
	int unsigned_request;
	/* 1: one attempt, no retries: a hint whose caller has another way to the answer, and for
	   which retrying would only delay that way. */
	int one_attempt;
} hwims_http_request;

typedef struct hwims_http_response {
	int status; /* 0 if no response */
	char *body; /* owned, NUL-terminated (also when empty, unless no answer) */
	size_t body_len;
	char request_id[HWIMS_ERROR_REQUEST_ID_MAX]; /* X-Request-Id (or generated client-side id
	                         "hwims-<hex>" if the server sent none) */
	int attempts;        /* attempts made, >= 1 once anything was tried */
	int64_t duration_ms; /* wall time of the whole call, backoff included */
} hwims_http_response;

/*
 * Send req with signing and the retry rule above; stops at once when cancelled
 * (HWIMS_ERR_CANCELLED). Returns 0 for a 2xx answer; otherwise -1 with err filled: kind from the
 * status (hwims_error_kind_from_status) or NETWORK/TIMEOUT/CANCELLED, http_status, code/message
 * from req->describe_error (raw text otherwise), request_id. In
 * both cases *resp is filled as far as known (previous contents ignored); caller always calls
 * hwims_http_response_free. Logs one DEBUG line per attempt: method, URL (query kept), status,
 * duration, request id; never secrets.
 */
int hwims_http_do(hwims_http *h, const hwims_http_request *req, hwims_http_response *resp,
                  hwims_error *err);

/* Free the body and zero the response. Safe on a zeroed response. */
void hwims_http_response_free(hwims_http_response *resp);

#ifdef __cplusplus
}
#endif

#endif
