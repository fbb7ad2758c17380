/*
 * jobs.h - time-derived copy jobs.
 *
 * A job stores when it began, when its INIT phase ends, when it ends and
 * whether it ends in FAIL; its state and progress are computed from the
 * clock whenever it is read. No timer thread, and a restart loses nothing.
 */
#ifndef IMSD_JOBS_H
#define IMSD_JOBS_H

#include <stdint.h>

#include <jansson.h>

#include <hwims/error.h>

#include "store.h"

typedef enum imsd_job_state {
	IMSD_JOB_INIT,
	IMSD_JOB_RUNNING,
	IMSD_JOB_SUCCESS,
	IMSD_JOB_FAIL
} imsd_job_state;

#define IMSD_JOB_IN_REGION    "imsCopyImageInRegionJob"
#define IMSD_JOB_CROSS_REGION "imsCrossRegionCopyImageJob"

typedef struct imsd_job {
	char id[40];
	char region[64];     /* where it was submitted (the source region) */
	char project_id[64]; /* that region's project */
	char job_type[40];
	char image_id[64]; /* the new image (in target_region) */
	char target_region[64];
	char error_code[32]; /* for FAIL */
	char *image_name;    /* owned */
	char *fail_reason;   /* owned, NULL unless the job fails */
	double begin_at, init_end, end_at;
	int fail;
} imsd_job;

/* Plan the timing: INIT lasts 1 s, then size / throughput (twice as long
 * across regions), all divided by time_scale; a failing job fails halfway
 * through its RUNNING phase. */
void imsd_job_plan(imsd_job *job, double now, int64_t size_bytes, double throughput_mib_s,
                   int cross_region, double time_scale);

/* State at time now; *percent (may be NULL) gets the progress 0..100. */
imsd_job_state imsd_job_state_at(const imsd_job *job, double now, double *percent);
const char *imsd_job_state_name(imsd_job_state s);

/* The job object as IMS returns it; with_progress adds process_percent and
 * current_task (the /v1/cloudimages/job/{id} form). Caller decrefs. */
json_t *imsd_job_json(const imsd_job *job, double now, int with_progress);

int imsd_job_insert(imsd_db *db, const imsd_job *job, hwims_error *err);
/* 1 found (caller frees with imsd_job_clear), 0 not found, -1 error. */
int imsd_job_get(imsd_db *db, const char *id, imsd_job *job, hwims_error *err);
void imsd_job_clear(imsd_job *job);

/* Jobs of project_id and job_type still running at now. */
int imsd_job_count_running(imsd_db *db, const char *project_id, const char *job_type, double now,
                           int64_t *count, hwims_error *err);

#endif
