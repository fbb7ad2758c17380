/* jobs.c - time-derived copy jobs (see jobs.h). */
#include "jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imsd.h"

void imsd_job_plan(imsd_job *job, double now, int64_t size_bytes, double throughput_mib_s,
                   int cross_region, double time_scale)
{
	double run_s = (double)size_bytes / (throughput_mib_s * 1024.0 * 1024.0);

	if (cross_region)
		run_s *= 2;
	/* Even an empty image takes a moment, so clients see RUNNING at least once. */
	if (run_s < 1)
		run_s = 1;
	if (job->fail)
		run_s /= 2;
	if (time_scale <= 0)
		time_scale = 1;
	job->begin_at = now;
	job->init_end = now + 1.0 / time_scale;
	job->end_at = job->init_end + run_s / time_scale;
}

imsd_job_state imsd_job_state_at(const imsd_job *job, double now, double *percent)
{
	double p = 0;
	imsd_job_state s;

	if (now < job->init_end) {
		s = IMSD_JOB_INIT;
	} else if (now < job->end_at) {
		s = IMSD_JOB_RUNNING;
		p = (now - job->init_end) / (job->end_at - job->init_end) * 100.0;
		if (job->fail)
			p /= 2;
		if (p > 99)
			p = 99;
	} else {
		s = job->fail ? IMSD_JOB_FAIL : IMSD_JOB_SUCCESS;
		p = job->fail ? 50 : 100;
	}
	if (percent)
		*percent = p;
	return s;
}

const char *imsd_job_state_name(imsd_job_state s)
{
	switch (s) {
	case IMSD_JOB_INIT:
		return "INIT";
	case IMSD_JOB_RUNNING:
		return "RUNNING";
	case IMSD_JOB_SUCCESS:
		return "SUCCESS";
	case IMSD_JOB_FAIL:
		return "FAIL";
	}
	return "INIT";
}

json_t *imsd_job_json(const imsd_job *job, double now, int with_progress)
{
	double percent;
	imsd_job_state s = imsd_job_state_at(job, now, &percent);
	char begin[32], end[32];
	json_t *o, *ent;
	int done = s == IMSD_JOB_SUCCESS || s == IMSD_JOB_FAIL;

	imsd_format_time_ms(job->begin_at, begin, sizeof(begin));
	imsd_format_time_ms(job->end_at, end, sizeof(end));
	ent = json_pack("{s:s}", "image_name", job->image_name ? job->image_name : "");
	o = json_pack("{s:s,s:s,s:s,s:s}", "job_id", job->id, "job_type", job->job_type, "status",
	              imsd_job_state_name(s), "begin_time", begin);
	if (!o || !ent) {
		json_decref(o);
		json_decref(ent);
		return NULL;
	}
	json_object_set_new(o, "end_time", done ? json_string(end) : json_null());
	if (s == IMSD_JOB_FAIL) {
		json_object_set_new(o, "error_code", json_string(job->error_code));
		json_object_set_new(o, "fail_reason",
		                    json_string(job->fail_reason ? job->fail_reason : ""));
		json_object_set_new(ent, "error_code", json_string(job->error_code));
	} else {
		json_object_set_new(o, "error_code", json_null());
		json_object_set_new(o, "fail_reason", json_null());
	}
	/* The new image's ID is reported once the job has succeeded, as IMS does. */
	if (s == IMSD_JOB_SUCCESS)
		json_object_set_new(ent, "image_id", json_string(job->image_id));
	if (with_progress) {
		json_object_set_new(ent, "process_percent", json_real(percent));
		json_object_set_new(ent, "current_task",
		                    json_string(s == IMSD_JOB_INIT      ? "InitTask"
		                                : s == IMSD_JOB_RUNNING ? "CopyImageTask"
		                                                        : "FinishTask"));
	}
	json_object_set_new(o, "entities", ent);
	return o;
}

int imsd_job_insert(imsd_db *db, const imsd_job *job, hwims_error *err)
{
	static const char SQL[] = "INSERT INTO jobs(id, region, project_id, job_type, image_id, "
	                          "image_name, target_region, "
	                          "begin_at, init_end, end_at, fail, error_code, fail_reason) "
	                          "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)";
	sqlite3_stmt *st = imsd_db_stmt(db, SQL, err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, job->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, job->region, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, job->project_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, job->job_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, job->image_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, job->image_name ? job->image_name : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, job->target_region, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 8, job->begin_at);
	sqlite3_bind_double(st, 9, job->init_end);
	sqlite3_bind_double(st, 10, job->end_at);
	sqlite3_bind_int(st, 11, job->fail);
	if (job->fail) {
		sqlite3_bind_text(st, 12, job->error_code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 13, job->fail_reason ? job->fail_reason : "", -1,
		                  SQLITE_STATIC);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : imsd_db_error(db, err, "job insert");
}

static void col_copy(char *dst, size_t n, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	snprintf(dst, n, "%s", s ? (const char *)s : "");
}

static char *col_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	return s ? strdup((const char *)s) : NULL;
}

int imsd_job_get(imsd_db *db, const char *id, imsd_job *job, hwims_error *err)
{
	static const char SQL[] =
	    "SELECT region, project_id, job_type, image_id, image_name, target_region, begin_at, "
	    "init_end, end_at, fail, error_code, fail_reason FROM jobs WHERE id=?1";
	sqlite3_stmt *st = imsd_db_stmt(db, SQL, err);
	int rc;

	memset(job, 0, sizeof(*job));
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return imsd_db_error(db, err, "job lookup");
	}
	snprintf(job->id, sizeof(job->id), "%s", id);
	col_copy(job->region, sizeof(job->region), st, 0);
	col_copy(job->project_id, sizeof(job->project_id), st, 1);
	col_copy(job->job_type, sizeof(job->job_type), st, 2);
	col_copy(job->image_id, sizeof(job->image_id), st, 3);
	job->image_name = col_dup(st, 4);
	col_copy(job->target_region, sizeof(job->target_region), st, 5);
	job->begin_at = sqlite3_column_double(st, 6);
	job->init_end = sqlite3_column_double(st, 7);
	job->end_at = sqlite3_column_double(st, 8);
	job->fail = sqlite3_column_int(st, 9);
	col_copy(job->error_code, sizeof(job->error_code), st, 10);
	job->fail_reason = col_dup(st, 11);
	sqlite3_reset(st);
	return 1;
}

void imsd_job_clear(imsd_job *job)
{
	free(job->image_name);
	free(job->fail_reason);
	memset(job, 0, sizeof(*job));
}

int imsd_job_count_running(imsd_db *db, const char *project_id, const char *job_type, double now,
                           int64_t *count, hwims_error *err)
{
	sqlite3_stmt *st = imsd_db_stmt(
	    db, "SELECT count(*) FROM jobs WHERE project_id=?1 AND job_type=?2 AND end_at>?3", err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, project_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, job_type, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 3, now);
	rc = sqlite3_step(st);
	*count = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : imsd_db_error(db, err, "job count");
}
