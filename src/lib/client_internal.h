/*
 * client_internal.h - what the library's own layers use of a hwims_client (private to
 * libhwims): its transport, its project-ID cache and the one call function. The front ends see
 * only hwims/client.h.
 */
#ifndef HWIMS_CLIENT_INTERNAL_H
#define HWIMS_CLIENT_INTERNAL_H

#include "hwims/client.h"
#include "hwims/http.h"

/* The shared transport (borrowed). */
hwims_http *client_http(hwims_client *c);

/*
 * The project-ID cache. The client never asks IAM itself (that is the API layer's job, which
 * calls down to here); it only keeps the answers, under its mutex, which is never held across
 * a network call.
 *
 * client_project_claim: the cached project ID of region into *project_id (caller frees
 * with free()) and 0; or HWIMS_ENOTFOUND when the caller is now the one to look it up, and must
 * then call client_project_put(c, region, id_or_NULL, 1) whatever the outcome. While
 * another thread looks up the same region, waits for its answer (other regions are not held
 * up); a cancel or deadline of cancel (may be NULL) ends that wait with -1 and err.
 */
int client_project_claim(hwims_client *c, const char *region, hwims_cancel *cancel,
                         char **project_id, hwims_error *err);

/* Remember project_id (copied; NULL: the lookup failed, nothing is kept) for region. claimed: 1
   when this ends the caller's claim of region, 0 for a project an answer listed besides. */
void client_project_put(hwims_client *c, const char *region, const char *project_id, int claimed);

/* One API call, as client_call sends it. Every pointer is borrowed for the call. */
typedef struct client_request {
	hwims_service svc;
	const char *region;     /* NULL: the default region */
	const char *method;     /* GET POST PATCH DELETE ... */
	const char *path;       /* no leading '/', may carry a query */
	const char *body;       /* NUL-terminated, or NULL */
	const char *project_id; /* sent as X-Project-Id; may be NULL */
	int idempotent;         /* as in hwims_http_request */
	int one_attempt;        /* as in hwims_http_request */
	hwims_cancel *cancel;   /* may be NULL */
	/* Reads the service's error bodies (see hwims_http_request.describe_error); NULL: the
	   status is the code and the raw text the message. */
	hwims_http_error_fn describe_error;
} client_request;

/*
 * Send one API call: expands the service's endpoint template for rq->region,
 * appends rq->path, and sends it through the transport. Counts the attempts
 * (see hwims_client_calls). Ownership of *resp as in hwims_http_do: caller
 * always calls hwims_http_response_free.
 */
int client_call(hwims_client *c, const client_request *rq, hwims_http_response *resp,
                hwims_error *err);

/* Whether calls of c may still use IMS's job progress endpoint (ShowJobProgress). It is a hint:
   once it failed for any reason but authentication, client_progress_api_off(c) turns it off for
   every later call of c, from any thread, and job queries use the project-scoped job API. */
int client_progress_api(const hwims_client *c);
void client_progress_api_off(hwims_client *c);

#endif
