/* handlers_jobs.c - GET v1/{project_id}/jobs/{job_id} and GET v1/cloudimages/job/{job_id}. */
#include "handlers.h"

#include <string.h>

void imsd_handle_job(imsd_ctx *c, int with_progress)
{
	imsd_job job;
	hwims_error err;
	int found;

	if (!with_progress && strcmp(c->route->project_id, c->route->region->project_id) != 0) {
		imsd_respond_ims_error(c->resp, 400, "IMG.0067",
		                       "The project ID %.*s is incorrect for region %s.",
		                       IMSD_EXCERPT, c->route->project_id, c->route->region->name);
		return;
	}
	found = imsd_job_get(c->db, c->route->job_id, &job, &err);
	if (found < 0) {
		imsd_internal_error(c, &err);
		return;
	}
	/* A job is only visible in the region (and project) it was submitted to. */
	if (found == 0 || strcmp(job.region, c->route->region->name) != 0) {
		imsd_job_clear(&job);
		imsd_respond_ims_error(c->resp, 404, "IMG.0086", "The job %.*s does not exist.",
		                       IMSD_EXCERPT, c->route->job_id);
		return;
	}
	json_t *o = imsd_job_json(&job, c->now, with_progress);
	if (o)
		imsd_respond_object(c->resp, 200, o);
	else
		imsd_internal_error(c, NULL);
	json_decref(o);
	imsd_job_clear(&job);
}
