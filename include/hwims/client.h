/*
 * hwims/client.h - a connection to Huawei Cloud (or imsd) for the workflow.
 *
 * A hwims_client bundles a copy of the configuration, one HTTP transport
 * (hwims/http.h) shared by every call, and a per-region cache of project IDs
 * that the IAM calls fill (the client itself sends no IAM request).
 *
 * Thread safety: after hwims_client_new, every function here and every
 * workflow call (hwims/image_copy.h) may be used from several threads at once
 * on the same client; the project-ID cache is protected by a mutex.
 */
#ifndef HWIMS_CLIENT_H
#define HWIMS_CLIENT_H

#include <stdint.h>

#include "hwims/cancel.h"
#include "hwims/config.h"
#include "hwims/error.h"
#include "hwims/http.h"
#include "hwims/log.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hwims_client hwims_client;

/* Transport tuning; zero means the transport's default (see hwims/http.h). */
typedef struct hwims_client_options {
	const hwims_log *log;       /* borrowed, may be NULL; must outlive the client */
	const char *user_agent;     /* copied; NULL for the default */
	int64_t connect_timeout_ms; /* per attempt */
	int64_t request_timeout_ms; /* per attempt */
	int64_t backoff_base_ms;    /* tests use small values */
	int64_t backoff_max_ms;
} hwims_client_options;

/*
 * Create a client from a loaded configuration (copied: cfg may be freed
 * afterwards). opts may be NULL. Requires an access key and a secret key in cfg
 * (HWIMS_ERR_USAGE naming HW_ACCESS_KEY / HW_SECRET_KEY otherwise); sends
 * nothing. Caller frees *out with hwims_client_free.
 */
int hwims_client_new(hwims_client **out, const hwims_config *cfg, const hwims_client_options *opts,
                     hwims_error *err);

/* Free a client no thread uses any more. Safe on NULL. */
void hwims_client_free(hwims_client *c);

/* The client's configuration (borrowed, valid for the client's life). */
const hwims_config *hwims_client_config(const hwims_client *c);

/* The configured default region (borrowed), or NULL when none is configured. */
const char *hwims_client_region(const hwims_client *c);

/* The shared transport (borrowed). */
hwims_http *hwims_client_http(hwims_client *c);

/* The log given at creation (borrowed, may be NULL). */
const hwims_log *hwims_client_log(const hwims_client *c);

/*
 * The project-ID cache. The client never asks IAM itself (that is the API layer's job, which
 * calls down to here); it only keeps the answers, under its mutex, which is never held across
 * a network call.
 *
 * hwims_client_project_claim: the cached project ID of region into *project_id (caller frees
 * with free()) and 0; or HWIMS_ENOTFOUND when the caller is now the one to look it up, and must
 * then call hwims_client_project_put(c, region, id_or_NULL, 1) whatever the outcome. While
 * another thread looks up the same region, waits for its answer (other regions are not held
 * up); a cancel or deadline of cancel (may be NULL) ends that wait with -1 and err.
 */
int hwims_client_project_claim(hwims_client *c, const char *region, hwims_cancel *cancel,
                               char **project_id, hwims_error *err);

/* Remember project_id (copied; NULL: the lookup failed, nothing is kept) for region. claimed: 1
   when this ends the caller's claim of region, 0 for a project an answer listed besides. */
void hwims_client_project_put(hwims_client *c, const char *region, const char *project_id,
                              int claimed);

/* One API call, as hwims_client_call sends it. Every pointer is borrowed for the call. */
typedef struct hwims_client_request {
	hwims_service svc;
	const char *region;     /* NULL: the default region */
	const char *method;     /* GET POST PATCH DELETE ... */
	const char *path;       /* no leading '/', may carry a query */
	const char *body;       /* NUL-terminated, or NULL */
	const char *project_id; /* sent as X-Project-Id; may be NULL */
	int idempotent;         /* as in hwims_http_request */
	hwims_cancel *cancel;   /* may be NULL */
	/* Reads the service's error bodies (see hwims_http_request.describe_error); NULL: the
	   status is the code and the raw text the message. */
	hwims_http_error_fn describe_error;
} hwims_client_request;

/*
 * Send one API call: expands the service's endpoint template for rq->region,
 * appends rq->path, and sends it through the transport. Counts the attempts
 * (see hwims_client_calls). Ownership of *resp as in hwims_http_do: caller
 * always calls hwims_http_response_free.
 */
int hwims_client_call(hwims_client *c, const hwims_client_request *rq, hwims_http_response *resp,
                      hwims_error *err);

/* How many HTTP attempts this client has made so far (all threads), for benchmarks and
   diagnostics. */
uint64_t hwims_client_calls(const hwims_client *c);

#ifdef __cplusplus
}
#endif

#endif
