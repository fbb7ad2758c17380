/* job.c - the copy-job model (see include/hwims/job.h). */
#include "hwims/job.h"

#include <stdlib.h>
#include <string.h>

const char *hwims_job_state_name(hwims_job_state state)
{
	switch (state) {
	case HWIMS_JOB_INIT:
		return "INIT";
	case HWIMS_JOB_RUNNING:
		return "RUNNING";
	case HWIMS_JOB_SUCCESS:
		return "SUCCESS";
	case HWIMS_JOB_FAIL:
		return "FAIL";
	case HWIMS_JOB_UNKNOWN:
		break;
	}
	return "UNKNOWN";
}

void hwims_copy_job_free(hwims_copy_job *job)
{
	if (!job)
		return;
	free(job->job_id);
	free(job->job_type);
	free(job->status);
	free(job->image_id);
	free(job->error_code);
	free(job->fail_reason);
	free(job->begin_time);
	free(job->end_time);
	memset(job, 0, sizeof(*job));
	job->percent = -1;
}
