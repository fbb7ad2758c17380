/* handlers_copy.c - POST v1/cloudimages/{id}/copy and .../cross_region_copy. */
#include "handlers.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

/* Replication limit of IMS: 128 GiB. */
#define MAX_COPY_SIZE (128LL * 1024 * 1024 * 1024)

typedef struct copy_args {
	const char *name, *description, *cmk_id, *eps_id;           /* in-region */
	const char *region, *project_name, *agency_name, *vault_id; /* cross-region */
} copy_args;

static int parse_args(imsd_ctx *c, json_t *body, int cross, copy_args *a)
{
	static const char *const in_region[] = {"name", "description", "cmk_id",
	                                        "enterprise_project_id", NULL};
	/* enterprise_project_id: older Terraform versions sent it cross-region; accepted and
	 * ignored, as the service does. */
	static const char *const cross_region[] = {
	    "name",     "description",           "region", "project_name", "agency_name",
	    "vault_id", "enterprise_project_id", NULL};
	int bad = 0;
	char msg[IMSD_CHECK_MESSAGE_SIZE];
	const char *code;

	memset(a, 0, sizeof(*a));
	if (imsd_reject_unknown(c, body, cross ? cross_region : in_region))
		return -1;
	a->name = imsd_member_str(c, body, "name", &bad);
	a->description = bad ? NULL : imsd_member_str(c, body, "description", &bad);
	if (!cross) {
		a->cmk_id = bad ? NULL : imsd_member_str(c, body, "cmk_id", &bad);
		a->eps_id = bad ? NULL : imsd_member_str(c, body, "enterprise_project_id", &bad);
	} else {
		a->region = bad ? NULL : imsd_member_str(c, body, "region", &bad);
		a->project_name = bad ? NULL : imsd_member_str(c, body, "project_name", &bad);
		a->agency_name = bad ? NULL : imsd_member_str(c, body, "agency_name", &bad);
		a->vault_id = bad ? NULL : imsd_member_str(c, body, "vault_id", &bad);
		if (!bad)
			imsd_member_str(c, body, "enterprise_project_id", &bad);
	}
	if (bad)
		return -1;
	if ((code = imsd_check_name(a->name, msg, sizeof(msg))) ||
	    (code = imsd_check_description(a->description, msg, sizeof(msg)))) {
		imsd_respond_ims_error(c->resp, 400, code, "%s", msg);
		return -1;
	}
	if (a->cmk_id && !*a->cmk_id)
		a->cmk_id = NULL;
	if (a->eps_id && !*a->eps_id)
		a->eps_id = NULL;
	if (a->vault_id && !*a->vault_id)
		a->vault_id = NULL;
	return 0;
}

static const char *doc_str(json_t *doc, const char *key)
{
	json_t *v = json_object_get(doc, key);
	return json_is_string(v) ? json_string_value(v) : "";
}

/* The source rules shared by both kinds of copy. 0 when copyable. */
static int check_source(imsd_ctx *c, const imsd_image *src, int cross)
{
	const char *region_project = c->route->region->project_id;

	if (strcmp(src->imagetype, "private") != 0 || strcmp(src->visibility, "private") != 0 ||
	    strcmp(src->owner, region_project) != 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0047",
		                       "Only the owner of image %s can replicate it; public and "
		                       "shared images cannot be replicated.",
		                       src->id);
		return -1;
	}
	if (strcmp(doc_str(src->doc, "disk_format"), "iso") == 0 ||
	    strcmp(doc_str(src->doc, "virtual_env_type"), "IsoImage") == 0) {
		imsd_respond_ims_error(
		    c->resp, 400, "IMG.0167",
		    "This operation is not supported for images created from ISO "
		    "files.");
		return -1;
	}
	if (strcmp(src->status, "active") != 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0046",
		                       "The image %s is unavailable (status %s).", src->id,
		                       src->status);
		return -1;
	}
	if (src->size > MAX_COPY_SIZE) {
		imsd_respond_ims_error(
		    c->resp, 400, "IMG.0046",
		    "The image %s is larger than 128 GB and cannot be replicated.", src->id);
		return -1;
	}
	if (!cross && json_is_true(json_object_get(src->doc, "__whole_image"))) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0130",
		                       "A full-ECS image cannot be exported or replicated within a "
		                       "region.");
		return -1;
	}
	return 0;
}

/* In-region key rules; *cmk gets the key the copy is encrypted with (or ""). */
static int check_in_region(imsd_ctx *c, const imsd_image *src, const copy_args *a, const char **cmk)
{
	const imsd_seed *seed = c->app->seed;
	const char *src_key = doc_str(src->doc, "__system__cmkid");

	*cmk = src_key;
	if (*src_key) {
		const imsd_kms_key *k = imsd_seed_kms_key(seed, src_key);
		if (!k) {
			imsd_respond_ims_error(c->resp, 400, "IMG.0101",
			                       "The original KMS key of the image does not exist.");
			return -1;
		}
		if (!k->enabled) {
			imsd_respond_ims_error(c->resp, 400, "IMG.0102",
			                       "The original KMS key of the image is disabled.");
			return -1;
		}
	}
	if (a->cmk_id) {
		const imsd_kms_key *k = imsd_seed_kms_key(seed, a->cmk_id);
		if (!k || strcmp(k->region, c->route->region->name) != 0) {
			imsd_respond_ims_error(c->resp, 400, "IMG.0095",
			                       "The KMS key %.*s does not exist.", IMSD_EXCERPT,
			                       a->cmk_id);
			return -1;
		}
		if (!k->enabled) {
			imsd_respond_ims_error(c->resp, 400, "IMG.0097",
			                       "The KMS key %.*s is not enabled.", IMSD_EXCERPT,
			                       a->cmk_id);
			return -1;
		}
		if (strcmp(a->cmk_id, src_key) == 0) {
			imsd_respond_ims_error(c->resp, 400, "IMG.0096",
			                       "The new KMS key must differ from the key of the "
			                       "image.");
			return -1;
		}
		*cmk = a->cmk_id;
	}
	if (a->eps_id && !imsd_seed_eps(seed, a->eps_id)) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0155",
		                       "The enterprise project ID %.*s failed the check.",
		                       IMSD_EXCERPT, a->eps_id);
		return -1;
	}
	return 0;
}

static int check_cross_region(imsd_ctx *c, const imsd_image *src, const copy_args *a,
                              const imsd_region **target)
{
	const imsd_seed *seed = c->app->seed;
	int whole = json_is_true(json_object_get(src->doc, "__whole_image"));

	if (!a->region || !*a->region) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0001",
		                       "The request message format is invalid: \"region\" is "
		                       "required.");
		return -1;
	}
	*target = imsd_seed_region(seed, a->region);
	if (!*target) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0145",
		                       "The destination region %.*s is invalid.", IMSD_EXCERPT,
		                       a->region);
		return -1;
	}
	if (*target == c->route->region) {
		imsd_respond_ims_error(
		    c->resp, 400, "IMG.0001",
		    "The destination region must differ from the source region.");
		return -1;
	}
	if (!a->project_name || strcmp(a->project_name, (*target)->name) != 0) {
		imsd_respond_ims_error(
		    c->resp, 400, "IMG.0145", "The project name %.*s is incorrect for region %s.",
		    IMSD_EXCERPT, a->project_name ? a->project_name : "", (*target)->name);
		return -1;
	}
	if (!a->agency_name || !imsd_seed_has_agency(seed, a->agency_name)) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0179",
		                       "The agency %.*s is invalid or does not authorize IMS.",
		                       IMSD_EXCERPT, a->agency_name ? a->agency_name : "");
		return -1;
	}
	if (*doc_str(src->doc, "__system__cmkid")) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0197",
		                       "Encrypted images cannot be replicated across regions.");
		return -1;
	}
	if (whole && !a->vault_id) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0184",
		                       "A vault is required to replicate a full-ECS image.");
		return -1;
	}
	if (a->vault_id) {
		const imsd_vault *v = imsd_seed_vault(seed, a->vault_id);
		if (!v) {
			imsd_respond_ims_error(c->resp, 400, "IMG.0184",
			                       "The vault %.*s cannot be obtained.", IMSD_EXCERPT,
			                       a->vault_id);
			return -1;
		}
		if (strcmp(v->region, (*target)->name) != 0) {
			imsd_respond_ims_error(c->resp, 400, "IMG.0188",
			                       "The vault %.*s is unavailable in region %s.",
			                       IMSD_EXCERPT, a->vault_id, (*target)->name);
			return -1;
		}
	}
	return 0;
}

/* The new image: the source's OS, platform, format, size and features, with its own
 * identity. */
static json_t *new_image_doc(imsd_ctx *c, const imsd_image *src, const copy_args *a,
                             const imsd_region *target, const char *cmk, const char *new_id)
{
	json_t *d = json_deep_copy(src->doc);
	char path[160], origin[256], now[32];

	if (!d)
		return NULL;
	json_object_del(d, "status");
	json_object_del(d, "active_at");
	json_object_del(d, "__description");
	imsd_format_time(c->now, now, sizeof(now));
	snprintf(origin, sizeof(origin), "image,%s,%s", c->route->region->name, src->id);
	json_object_set_new(d, "id", json_string(new_id));
	json_object_set_new(d, "name", json_string(a->name));
	json_object_set_new(d, "__image_displayname", json_string(a->name));
	if (a->description && *a->description)
		json_object_set_new(d, "__description", json_string(a->description));
	json_object_set_new(d, "owner", json_string(target->project_id));
	json_object_set_new(d, "__imagetype", json_string("private"));
	json_object_set_new(d, "visibility", json_string("private"));
	json_object_set_new(d, "protected", json_false());
	json_object_set_new(d, "__originalimagename", json_string(src->id));
	json_object_set_new(d, "__data_origin", json_string(origin));
	json_object_set_new(d, "enterprise_project_id", json_string(a->eps_id ? a->eps_id : "0"));
	json_object_set_new(d, "created_at", json_string(now));
	json_object_set_new(d, "updated_at", json_string(now));
	json_object_set_new(d, "tags", json_array());
	snprintf(path, sizeof(path), "/v2/images/%s", new_id);
	json_object_set_new(d, "self", json_string(path));
	snprintf(path, sizeof(path), "/v2/images/%s/file", new_id);
	json_object_set_new(d, "file", json_string(path));
	if (cmk && *cmk) {
		json_object_set_new(d, "__system__cmkid", json_string(cmk));
		json_object_set_new(d, "__system_encrypted", json_string("1"));
	}
	if (json_is_true(json_object_get(d, "__whole_image"))) {
		char backup[40];
		imsd_new_uuid(backup, sizeof(backup));
		json_object_set_new(d, "__backup_id", json_string(backup));
	} else {
		json_object_set_new(d, "__backup_id", json_string(""));
	}
	return d;
}

static int name_fails(imsd_ctx *c, const char *name)
{
	char pattern[256];
	const char *p = pattern;

	if (!imsd_faults_fail_pattern(&c->app->faults, pattern, sizeof(pattern)))
		p = c->app->seed->fail_name_pattern;
	return p && *p && fnmatch(p, name, 0) == 0;
}

/* The source image the route names, into *src (caller clears). A copy of a missing image is
 * refused with 400, not the 404 of the other image calls: what the service answers. */
static int find_source(imsd_ctx *c, imsd_image *src)
{
	hwims_error err;
	int found =
	    imsd_image_get(c->db, c->route->region->name, c->route->image_id, c->now, src, &err);

	if (found < 0) {
		imsd_internal_error(c, &err);
		return -1;
	}
	if (found == 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0027",
		                       "The image ID %.*s in the request does not exist.",
		                       IMSD_EXCERPT, c->route->image_id);
		return -1;
	}
	return 0;
}

/* The quotas a new copy into target must fit; inside the submit's write transaction. */
static int check_quotas(imsd_ctx *c, int cross, const imsd_region *target)
{
	const imsd_seed *seed = c->app->seed;
	hwims_error err;
	int64_t count;

	if (cross) {
		if (imsd_job_count_running(c->db, c->route->region->project_id,
		                           IMSD_JOB_CROSS_REGION, c->now, &count, &err)) {
			imsd_internal_error(c, &err);
			return -1;
		}
		if (count >= seed->quota_cross_region_jobs) {
			imsd_respond_ims_error(
			    c->resp, 400, "IMG.0060",
			    "Too many tasks: at most %d cross-region replications "
			    "may run at a time.",
			    seed->quota_cross_region_jobs);
			return -1;
		}
	}
	if (imsd_image_count_private(c->db, target->name, target->project_id, c->now, &count,
	                             &err)) {
		imsd_internal_error(c, &err);
		return -1;
	}
	if (count >= seed->quota_private_images) {
		imsd_respond_ims_error(
		    c->resp, 400, "IMG.0015",
		    "The private image quota (%d) of region %s has been reached.",
		    seed->quota_private_images, target->name);
		return -1;
	}
	return 0;
}

/* The job of a copy of src into target: new IDs, whether it fails, and its timeline. job's
 * image_name and fail_reason borrow from a and a literal. */
static void plan_job(imsd_ctx *c, imsd_job *job, const copy_args *a, const imsd_image *src,
                     const imsd_region *target, int cross)
{
	memset(job, 0, sizeof(*job));
	imsd_new_uuid(job->image_id, sizeof(job->image_id));
	imsd_new_hex_id(job->id, sizeof(job->id));
	snprintf(job->region, sizeof(job->region), "%s", c->route->region->name);
	snprintf(job->project_id, sizeof(job->project_id), "%s", c->route->region->project_id);
	snprintf(job->job_type, sizeof(job->job_type), "%s",
	         cross ? IMSD_JOB_CROSS_REGION : IMSD_JOB_IN_REGION);
	snprintf(job->target_region, sizeof(job->target_region), "%s", target->name);
	job->image_name = (char *)a->name;
	job->fail = name_fails(c, a->name);
	if (job->fail) {
		snprintf(job->error_code, sizeof(job->error_code), "IMG.0180");
		job->fail_reason =
		    (char *)"IMG.0180: the image copy failed in the storage backend (replication "
		            "of the image data was interrupted)";
	}
	imsd_job_plan(job, c->now, src->size, c->app->seed->throughput_mib_s, cross,
	              c->app->time_scale);
}

void imsd_handle_copy(imsd_ctx *c, int cross)
{
	json_t *body = imsd_body_json(c, 0), *doc = NULL;
	imsd_image src = {0};
	copy_args a;
	const imsd_region *target = c->route->region;
	const char *cmk = "";
	imsd_job job;
	hwims_error err;

	if (!body || parse_args(c, body, cross, &a) || find_source(c, &src))
		goto done;
	if (check_source(c, &src, cross))
		goto done;
	if (cross ? check_cross_region(c, &src, &a, &target) : check_in_region(c, &src, &a, &cmk))
		goto done;

	/* The quota checks and the inserts are one write transaction (BEGIN IMMEDIATE): checked
	 * apart, concurrent submits would all count the same running jobs and all be accepted. */
	if (imsd_db_begin(c->db, &err)) {
		imsd_internal_error(c, &err);
		goto done;
	}
	if (check_quotas(c, cross, target))
		goto done;
	plan_job(c, &job, &a, &src, target, cross);
	doc = new_image_doc(c, &src, &a, target, cmk, job.image_id);
	if (!doc) {
		imsd_internal_error(c, NULL);
		goto done;
	}
	/* Image and job in the same transaction: a failure leaves neither behind. */
	if (imsd_image_insert(c->db, target->name, doc, NULL, job.init_end, job.end_at, job.fail,
	                      &err) ||
	    imsd_job_insert(c->db, &job, &err) || imsd_db_commit(c->db, &err)) {
		imsd_db_rollback(c->db);
		imsd_internal_error(c, &err);
		goto done;
	}
	json_t *out = json_pack("{s:s}", "job_id", job.id);
	imsd_respond_object(c->resp, 200, out);
	json_decref(out);
done:
	imsd_db_rollback(c->db); /* a refusal or failure after the begin; no-op after the commit */
	json_decref(doc);
	imsd_image_clear(&src);
	json_decref(body);
}
