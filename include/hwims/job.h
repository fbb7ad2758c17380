/*
 * hwims/job.h - an IMS copy job as the job API reports it.
 *
 * The model of a job, shared by the IMS calls that read one and the workflow
 * that waits for it (hwims/image_copy.h).
 */
#ifndef HWIMS_JOB_H
#define HWIMS_JOB_H

#include "hwims/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* State of the copy job, as the job API reports it. */
typedef enum hwims_job_state {
	HWIMS_JOB_UNKNOWN = 0, /* not looked at yet, or a status this library does not know */
	HWIMS_JOB_INIT,
	HWIMS_JOB_RUNNING,
	HWIMS_JOB_SUCCESS,
	HWIMS_JOB_FAIL
} hwims_job_state;

/* Upper-case API name of a state ("RUNNING"); never NULL. */
HWIMS_EXTERN const char *hwims_job_state_name(hwims_job_state state);

/* One look at a job. All strings owned; free with hwims_copy_job_free. */
typedef struct hwims_copy_job {
	char *job_id, *job_type, *status; /* status as the API spells it */
	hwims_job_state state;
	char *image_id;                 /* entities.image_id, may be NULL */
	char *error_code, *fail_reason; /* may be NULL */
	char *begin_time, *end_time;    /* may be NULL */
	double percent;                 /* entities.process_percent, or -1 */
} hwims_copy_job;

/* Free every member and reset *job to an empty look (percent -1). Safe on NULL. */
HWIMS_EXTERN void hwims_copy_job_free(hwims_copy_job *job);

#ifdef __cplusplus
}
#endif

#endif
