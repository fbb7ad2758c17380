/* ims.c - the IMS calls of the workflow (reference section 4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "cloud_api.h"
#include "hwims/buf.h"
#include "hwims/log.h"

/* An idempotent IMS call (api_call_json) on the path api_path(fmt, a, b). answer is
   filled as api_call_json fills it (caller decrefs); NULL when no answer is wanted. */
static int ims_call(hwims_client *c, const char *region, const char *project_id, const char *method,
                    const char *fmt, const char *a, const char *b, json_t *body,
                    hwims_cancel *cancel, json_t **answer, hwims_error *err)
{
	char *path = api_path(fmt, a, b);
	if (!path)
		return error_oom(err);
	int rc = api_call_json(c, HWIMS_SVC_IMS, region, method, path, body, project_id,
	                       API_IDEMPOTENT, cancel, answer, err);
	free(path);
	return rc;
}

/* IMS pages its image lists: a full page means there may be more after its last image. */
#define IMS_PAGE_SIZE 100

static char *dup_json_str(json_t *obj, const char *key)
{
	return str_dup_set(json_string_value(json_object_get(obj, key)));
}

/* ---- what IMS's error codes mean: read here, and only here ---- */

static int too_many_at_once(const hwims_error *err)
{
	/* IMS's flow control: at most so many (cross-region) copy tasks per tenant at once. The
	   refused request created nothing, so sending it again later is safe. */
	return err && strcmp(err->code, "IMG.0060") == 0;
}

static const char *refusal_hint(const hwims_error *err)
{
	static const struct {
		const char *code, *hint;
	} hints[] = {
	    {"IMG.0015", "the region's private image quota is used up: delete private images that "
	                 "are no longer needed, or ask for a larger quota"},
	    {"IMG.0027", "the source image does not exist in this region: check source_image_id "
	                 "and region"},
	    {"IMG.0046", "the source image is not available: wait until it is active"},
	    {"IMG.0095", "the KMS key does not exist: check kms_key_id"},
	};
	if (!err)
		return NULL;
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		if (strcmp(err->code, hints[i].code) == 0)
			return hints[i].hint;
	}
	return NULL;
}

static int still_being_made(const hwims_error *err)
{
	/* IMG.0090: "an image being created cannot be deleted" (its copy job still runs). */
	return err && strcmp(err->code, "IMG.0090") == 0;
}

static int says_gone(const hwims_error *err)
{
	/* IMS answers a call on a missing image with 404, or with 400 and IMG.0027 ("the image
	   ID in the request does not exist"), IMG.0144 ("the image does not exist") or IMG.0086
	   ("no image found"): reference sections 5.2 and 5.3. */
	return err && (err->kind == HWIMS_ERR_NOT_FOUND || strcmp(err->code, "IMG.0027") == 0 ||
	               strcmp(err->code, "IMG.0144") == 0 || strcmp(err->code, "IMG.0086") == 0);
}

/* A call on one image (PATCH, DELETE, its tags): any of IMS's answers for a missing image
 * becomes HWIMS_ENOTFOUND with err's kind HWIMS_ERR_NOT_FOUND, so that every caller tells a
 * copy that is gone from a call that failed the same way whatever the service said. */
static int image_call(hwims_client *c, const char *region, const char *project_id,
                      const char *method, const char *fmt, const char *a, const char *b,
                      json_t *body, hwims_cancel *cancel, json_t **answer, hwims_error *err)
{
	if (ims_call(c, region, project_id, method, fmt, a, b, body, cancel, answer, err) == 0)
		return 0;
	if (!says_gone(err))
		return HWIMS_ERROR;
	if (err)
		err->kind = HWIMS_ERR_NOT_FOUND;
	return HWIMS_ENOTFOUND;
}

/* A "replace" of an attribute the image lacks (IMG.0035): the same op as "add" succeeds. */
static int lacks_attribute(const hwims_error *err)
{
	return err && strcmp(err->code, "IMG.0035") == 0;
}

int api_copy(hwims_client *c, const char *region, const char *project_id,
             const char *source_image_id, int cross_region, const char *body, hwims_cancel *cancel,
             char **job_id, hwims_error *err)
{
	*job_id = NULL;
	char *path = api_path(cross_region ? "v1/cloudimages/%s/cross_region_copy%s"
	                                   : "v1/cloudimages/%s/copy%s",
	                      source_image_id, "");
	if (!path)
		return error_oom(err);
	hwims_http_response resp;
	/* Not idempotent: a retried copy could make two images. */
	client_request rq = {.svc = HWIMS_SVC_IMS,
	                     .region = region,
	                     .method = "POST",
	                     .path = path,
	                     .body = body,
	                     .project_id = project_id,
	                     .idempotent = 0,
	                     .cancel = cancel,
	                     .describe_error = api_parse_error_body};
	int rc = client_call(c, &rq, &resp, err);
	free(path);
	if (rc == 0) {
		json_t *answer = resp.body ? json_loadb(resp.body, resp.body_len, 0, NULL) : NULL;
		*job_id = dup_json_str(answer, "job_id");
		json_decref(answer);
		if (!*job_id) {
			rc =
			    hwims_error_set(err, HWIMS_ERR_NETWORK,
			                    "job ID is not found in the copy response (request %s)",
			                    resp.request_id);
		}
	}
	hwims_http_response_free(&resp);
	if (rc == 0)
		return 0;
	if (too_many_at_once(err))
		return HWIMS_ETOOMANY;
	const char *hint = refusal_hint(err);
	if (hint)
		hwims_error_prefix(err, "%s", hint);
	return rc;
}

static hwims_job_state parse_state(const char *s)
{
	if (!s)
		return HWIMS_JOB_UNKNOWN;
	if (strcmp(s, "INIT") == 0)
		return HWIMS_JOB_INIT;
	if (strcmp(s, "RUNNING") == 0)
		return HWIMS_JOB_RUNNING;
	if (strcmp(s, "SUCCESS") == 0)
		return HWIMS_JOB_SUCCESS;
	if (strcmp(s, "FAIL") == 0)
		return HWIMS_JOB_FAIL;
	return HWIMS_JOB_UNKNOWN;
}

/* One look through the job progress endpoint: 0 with *a, -1 for a failure the caller reports
 * (authentication, cancellation), 1 when the client has just turned the endpoint off and the
 * project-scoped job API is to be asked instead. */
static int job_progress_call(hwims_client *c, const char *region, const char *project_id,
                             const char *job_id, hwims_cancel *cancel, json_t **a, hwims_error *err)
{
	char *path = api_path("v1/cloudimages/job/%s%s", job_id, "");
	if (!path)
		return error_oom(err);
	hwims_error perr;
	int rc = api_call_json(c, HWIMS_SVC_IMS, region, "GET", path, NULL, project_id,
	                       API_IDEMPOTENT | API_ONE_ATTEMPT, cancel, a, &perr);
	free(path);
	if (rc == 0)
		return 0;
	if (perr.kind == HWIMS_ERR_AUTH || perr.kind == HWIMS_ERR_CANCELLED ||
	    hwims_cancel_requested(cancel)) {
		if (err)
			*err = perr;
		return -1;
	}
	client_progress_api_off(c);
	hwims_log_printf(hwims_client_log(c), HWIMS_LOG_WARN,
	                 "job %s: the job progress endpoint failed (%s); this process uses the "
	                 "project-scoped job API from now on",
	                 job_id, perr.message);
	return 1;
}

int api_job_get(hwims_client *c, const char *region, const char *project_id, const char *job_id,
                int progress_api, hwims_cancel *cancel, hwims_copy_job *job, hwims_error *err)
{
	memset(job, 0, sizeof(*job));
	job->percent = -1;
	json_t *a = NULL;
	int rc = progress_api && client_progress_api(c)
	             ? job_progress_call(c, region, project_id, job_id, cancel, &a, err)
	             : 1;
	if (rc > 0)
		rc = ims_call(c, region, project_id, "GET", "v1/%s/jobs/%s", project_id, job_id,
		              NULL, cancel, &a, err);
	if (rc != 0)
		return -1;
	json_t *ent = json_object_get(a, "entities");
	job->job_id = dup_json_str(a, "job_id");
	job->job_type = dup_json_str(a, "job_type");
	job->status = dup_json_str(a, "status");
	job->begin_time = dup_json_str(a, "begin_time");
	job->end_time = dup_json_str(a, "end_time");
	job->error_code = dup_json_str(a, "error_code");
	if (!job->error_code)
		job->error_code = dup_json_str(ent, "error_code");
	job->fail_reason = dup_json_str(a, "fail_reason");
	if (!job->fail_reason)
		job->fail_reason = dup_json_str(ent, "error");
	job->image_id = dup_json_str(ent, "image_id");
	json_t *pct = json_object_get(ent, "process_percent");
	if (json_is_number(pct))
		job->percent = json_number_value(pct);
	job->state = parse_state(job->status);
	json_decref(a);
	if (!job->status)
		return hwims_error_set(err, HWIMS_ERR_NETWORK, "job %s: the answer has no status",
		                       job_id);
	return 0;
}

int api_image_get(hwims_client *c, const char *region, const char *project_id, const char *image_id,
                  hwims_cancel *cancel, json_t **image, hwims_error *err)
{
	*image = NULL;
	json_t *a = NULL;
	if (ims_call(c, region, project_id, "GET", "v2/cloudimages?id=%s%s", image_id, "", NULL,
	             cancel, &a, err) != 0)
		return -1;
	json_t *images = json_object_get(a, "images");
	if (!json_is_array(images)) {
		json_decref(a);
		return hwims_error_set(err, HWIMS_ERR_NETWORK,
		                       "bad response to the image query: no \"images\" list");
	}
	/* The query is by exact ID, but do not trust a server to filter. */
	size_t i;
	json_t *img;
	json_array_foreach(images, i, img)
	{
		const char *id = json_string_value(json_object_get(img, "id"));
		if (id && strcmp(id, image_id) == 0) {
			*image = json_incref(img);
			break;
		}
	}
	json_decref(a);
	return 0;
}

int api_image_list(hwims_client *c, const char *region, const char *project_id, const char *name,
                   hwims_cancel *cancel, json_t **images, hwims_error *err)
{
	*images = json_array();
	if (!*images)
		return error_oom(err);
	char *marker = NULL;
	for (;;) {
		/* A 128-character Chinese name escapes to over 1,100 bytes: the path grows. */
		char *en = name ? api_escape(name) : NULL;
		char *em = marker ? api_escape(marker) : NULL;
		hwims_buf path = HWIMS_BUF_INIT;
		int bad =
		    (name && !en) || (marker && !em) ||
		    hwims_buf_printf(&path, "v2/cloudimages?__imagetype=private&limit=%d%s%s%s%s",
		                     IMS_PAGE_SIZE, en ? "&name=" : "", en ? en : "",
		                     em ? "&marker=" : "", em ? em : "") < 0;
		free(en);
		free(em);
		json_t *a = NULL;
		if (bad)
			error_oom(err);
		if (bad || api_call_json(c, HWIMS_SVC_IMS, region, "GET", path.data, NULL,
		                         project_id, API_IDEMPOTENT, cancel, &a, err) != 0) {
			hwims_buf_free(&path);
			free(marker);
			json_decref(*images);
			*images = NULL;
			return -1;
		}
		hwims_buf_free(&path);
		json_t *page = json_object_get(a, "images");
		size_t n = json_array_size(page);
		json_array_extend(*images, page);
		free(marker);
		marker =
		    n == IMS_PAGE_SIZE ? dup_json_str(json_array_get(page, n - 1), "id") : NULL;
		json_decref(a);
		if (!marker)
			break;
	}
	return 0;
}

int api_image_patch(hwims_client *c, const char *region, const char *project_id,
                    const char *image_id, json_t *ops, hwims_cancel *cancel, hwims_error *err)
{
	int rc = image_call(c, region, project_id, "PATCH", "v2/cloudimages/%s%s", image_id, "",
	                    ops, cancel, NULL, err);
	if (rc == 0 || rc == HWIMS_ENOTFOUND)
		return rc;
	return lacks_attribute(err) ? HWIMS_ENOATTR : HWIMS_ERROR;
}

int api_tags_get(hwims_client *c, const char *region, const char *project_id, const char *image_id,
                 hwims_cancel *cancel, hwims_tags *tags, hwims_error *err)
{
	tags->items = NULL;
	tags->count = 0;
	json_t *a = NULL;
	int rc = image_call(c, region, project_id, "GET", "v2/%s/images/%s/tags", project_id,
	                    image_id, NULL, cancel, &a, err);
	if (rc != 0)
		return rc;
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(a, "tags"), i, t)
	{
		const char *k = json_string_value(json_object_get(t, "key"));
		const char *v = json_string_value(json_object_get(t, "value"));
		if (k && hwims_tags_set(tags, k, v ? v : "", err) != 0) {
			json_decref(a);
			hwims_tags_free(tags);
			return -1;
		}
	}
	json_decref(a);
	return 0;
}

int api_tags_action(hwims_client *c, const char *region, const char *project_id,
                    const char *image_id, const char *action, const hwims_tags *tags,
                    hwims_cancel *cancel, hwims_error *err)
{
	if (!tags || tags->count == 0)
		return 0;
	json_t *list = json_array();
	json_t *body = json_pack("{s:s, s:o}", "action", action, "tags", list);
	if (!body)
		return error_oom(err);
	for (size_t i = 0; i < tags->count; i++) {
		json_t *t = json_pack("{s:s, s:s}", "key", tags->items[i].key, "value",
		                      tags->items[i].value);
		if (!t || json_array_append_new(list, t) != 0) {
			json_decref(body);
			return error_oom(err);
		}
	}
	int rc = image_call(c, region, project_id, "POST", "v2/%s/images/%s/tags/action",
	                    project_id, image_id, body, cancel, NULL, err);
	json_decref(body);
	return rc;
}

int api_image_delete(hwims_client *c, const char *region, const char *project_id,
                     const char *image_id, hwims_cancel *cancel, hwims_error *err)
{
	int rc = image_call(c, region, project_id, "DELETE", "v2/images/%s%s", image_id, "", NULL,
	                    cancel, NULL, err);
	if (rc == 0 || rc == HWIMS_ENOTFOUND)
		return rc;
	return still_being_made(err) ? HWIMS_EBUSY : HWIMS_ERROR;
}
