/*
 * cloud_api.h - the IMS, IAM and EPS calls the workflow makes (private to libhwims).
 *
 * Each function is one API call (or one call plus its pagination), in the
 * region given, through client_call. They parse just what the workflow
 * needs and return it in caller-owned storage; they decide nothing.
 */
#ifndef HWIMS_CLOUD_API_H
#define HWIMS_CLOUD_API_H

#include <jansson.h>

#include "client_internal.h"
#include "hwims/job.h"
#include "hwims/tags.h"

/* Percent-encode s for a URL query value or path segment. Caller frees; NULL on ENOMEM. */
char *api_escape(const char *s);

/* fmt (a path with two %s) with a and b (b may be NULL: "") percent-encoded and substituted,
   sized to fit whatever the values are. Caller frees; NULL on ENOMEM. */
char *api_path(const char *fmt, const char *a, const char *b);

/* How api_call_json sends a call (or-ed together). */
enum api_call_flags {
	API_IDEMPOTENT = 1,  /* as hwims_http_request.idempotent */
	API_ONE_ATTEMPT = 2, /* as hwims_http_request.one_attempt */
};

/* One call with an optional JSON body (borrowed, serialised compactly) whose 2xx answer is
   parsed into *out when out is not NULL (NULL for an empty body; caller json_decref's). A 2xx
   body that is not JSON is HWIMS_ERR_NETWORK ("bad response"). flags: enum api_call_flags. */
int api_call_json(hwims_client *c, hwims_service svc, const char *region, const char *method,
                  const char *path, json_t *body, const char *project_id, unsigned flags,
                  hwims_cancel *cancel, json_t **out, hwims_error *err);

/* Fill err->code and err->message from a Huawei error body ({"error":{"code","message"}},
   {"error_code","error_msg"}, {"itemNotFound":{...}}, ...), leaving the other fields alone.
   Returns 1 if a code or message was found, else 0. The hwims_http_error_fn of every call. */
int api_parse_error_body(const char *body, size_t body_len, hwims_error *err);

/*
 * The project ID of region (NULL: the default region): the configured project_id for the
 * configured region, else the client's cache, else IAM (GET v3/projects?name=<region>, whose
 * every listed project is cached; zero matching projects is HWIMS_ERR_NOT_FOUND "wrong name or
 * no access to the region"). Concurrent first asks of one region send one lookup; no lock is
 * held while it is on the wire. cancel may be NULL. Caller frees *project_id with free().
 */
int api_project_id(hwims_client *c, const char *region, hwims_cancel *cancel, char **project_id,
                   hwims_error *err);

/* IMS copy (POST v1/cloudimages/{source}/copy or cross_region_copy) with a JSON body built by
   the caller. Caller frees *job_id. HWIMS_ETOOMANY: refused as one copy task too many at once
   (IMG.0060): nothing was made and the same request may be sent again later. A refusal that
   waiting cannot fix (quota used up, source missing, ...) has advice for the user before its
   message. */
int api_copy(hwims_client *c, const char *region, const char *project_id,
             const char *source_image_id, int cross_region, const char *body, hwims_cancel *cancel,
             char **job_id, hwims_error *err);

/* IMS job: with progress_api, GET v1/cloudimages/job/{job_id} (ShowJobProgress, which adds
   entities.process_percent) while the client still trusts it (client_progress_api), else the
   older project-scoped GET v1/{project_id}/jobs/{job_id} that the Go provider uses. The progress
   endpoint is a hint: it gets one attempt, and any failure of it but authentication or
   cancellation turns it off for the client and asks the project-scoped API at once. Caller
   frees *job with hwims_copy_job_free, also after a failure. */
int api_job_get(hwims_client *c, const char *region, const char *project_id, const char *job_id,
                int progress_api, hwims_cancel *cancel, hwims_copy_job *job, hwims_error *err);

/* IMS query by ID (GET v2/cloudimages?id=). *image is the image object (new reference, caller
   json_decref's) or NULL when the list is empty. */
int api_image_get(hwims_client *c, const char *region, const char *project_id, const char *image_id,
                  hwims_cancel *cancel, json_t **image, hwims_error *err);

/* IMS list (GET v2/cloudimages?__imagetype=private[&name=]), following `marker` pages. *images
   is a new JSON array reference. */
int api_image_list(hwims_client *c, const char *region, const char *project_id, const char *name,
                   hwims_cancel *cancel, json_t **images, hwims_error *err);

/* Calls on one image below answer HWIMS_ENOTFOUND, with err's kind HWIMS_ERR_NOT_FOUND, for any
   of IMS's answers for a missing image: 404, or 400 with IMG.0027, IMG.0144 or IMG.0086. */

/* IMS PATCH v2/cloudimages/{id} with a JSON-patch array (borrowed). HWIMS_ENOATTR: a
   "replace" of an attribute the image lacks (IMG.0035); the same ops as "add" would do. */
int api_image_patch(hwims_client *c, const char *region, const char *project_id,
                    const char *image_id, json_t *ops, hwims_cancel *cancel, hwims_error *err);

/* IMS tags of an image (GET v2/{project_id}/images/{id}/tags) into *tags (caller frees with
   hwims_tags_free). */
int api_tags_get(hwims_client *c, const char *region, const char *project_id, const char *image_id,
                 hwims_cancel *cancel, hwims_tags *tags, hwims_error *err);

/* IMS batch tag action (POST v2/{project_id}/images/{id}/tags/action), action "create" or
   "delete". Does nothing for an empty list. */
int api_tags_action(hwims_client *c, const char *region, const char *project_id,
                    const char *image_id, const char *action, const hwims_tags *tags,
                    hwims_cancel *cancel, hwims_error *err);

/* IMS DELETE v2/images/{id}. HWIMS_ENOTFOUND: no such image; HWIMS_EBUSY: the image is still being
 * made by its copy job (IMG.0090). */
int api_image_delete(hwims_client *c, const char *region, const char *project_id,
                     const char *image_id, hwims_cancel *cancel, hwims_error *err);

/* EPS: move an image into enterprise project eps_id
   (POST v1.0/enterprise-projects/{eps_id}/resources-migrate). project_id is the project of the
   region the image lives in, region_id the resource's region. */
int api_eps_migrate(hwims_client *c, const char *eps_id, const char *image_id,
                    const char *project_id, const char *region_id, hwims_cancel *cancel,
                    hwims_error *err);

/* EPS: whether enterprise project eps_id lists image_id among the images of project_id
   (POST v1.0/enterprise-projects/{eps_id}/resources/filter, every page): *listed 1 or 0.
   region_id picks the EPS endpoint. */
int api_eps_listed(hwims_client *c, const char *eps_id, const char *image_id,
                   const char *project_id, const char *region_id, hwims_cancel *cancel, int *listed,
                   hwims_error *err);

#endif
