/* copy_resume.c - resuming the copy a killed create left, from its journal record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cloud_api.h"
#include "copy_op.h"
#include "hwims/log.h"
#include "journal.h"

/* Room for an ISO 8601 UTC time ("2026-12-01T21:00:00Z"), as the log lines show one. */
#define TIME_TEXT_MAX 32

/*
 * A record of this very copy that an earlier create left (claimed, so its writer is gone):
 * resume what it started. 1 when res now names the job (or, for a request whose answer never
 * came, the image), 0 when there is nothing to resume (the job failed, its image was deleted,
 * or the request never made one), -1 with err when the service could not say.
 */
static int resume(copy_op *r, const hwims_copy_spec *spec, const journal_record *rec,
                  hwims_copy_result *res, hwims_error *err)
{
	if (rec->job_id) {
		hwims_copy_job job;
		hwims_error jerr;
		if (api_job_get(r->c, r->src, r->src_pid, rec->job_id, 0, r->cancel, &job, &jerr) ==
		    0) {
			int live = job.state != HWIMS_JOB_FAIL;
			if (live && job.state == HWIMS_JOB_SUCCESS && job.image_id) {
				hwims_image *img = NULL;
				int got = copy_read_image(r, job.image_id, &img, err);
				hwims_image_free(img);
				if (got < 0 && got != HWIMS_ENOTFOUND) {
					hwims_copy_job_free(&job);
					return -1;
				}
				live = got != HWIMS_ENOTFOUND;
			}
			hwims_copy_job_free(&job);
			if (!live)
				return 0;
			return copy_set_owned(&res->job_id, rec->job_id) == 0 ? 1 : error_oom(err);
		}
		hwims_copy_job_free(&job);
		if (jerr.kind != HWIMS_ERR_NOT_FOUND) {
			*err = jerr;
			return -1;
		}
		/* IMS keeps jobs for a while only; the image may outlive its job. */
	}
	/* IMS makes the image as it accepts the request, so only an image created while that
	 * request could still have been on its way counts: not one a user made of the same name
	 * and source since. */
	copy_find_by_name(r, spec, r->cancel, rec->sent_at,
	                  rec->sent_at + COPY_REQUEST_IN_FLIGHT_MAX_S, res);
	return res->image_id ? 1 : 0;
}

/* Oldest claim first (see copy_op.h). */
int copy_resume_any(copy_op *r, const hwims_copy_spec *spec, const char *key, journal_entry **entry,
                    hwims_copy_result *res, hwims_error *err)
{
	const char *home = r->home;
	const char *dir = hwims_client_config(r->c)->state_dir;
	const hwims_log *log = hwims_client_log(r->c);
	for (;;) {
		journal_entry *e = NULL;
		journal_record rec;
		hwims_error jerr;
		int got = journal_claim(dir, key, &e, &rec, &jerr);
		if (got < 0)
			hwims_log_printf(log, HWIMS_LOG_WARN, "%s", jerr.message);
		if (got <= 0)
			return 0;
		char at[TIME_TEXT_MAX];
		struct tm tm;
		strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&rec.sent_at, &tm));
		int rc = resume(r, spec, &rec, res, err);
		if (rc == 1) {
			hwims_log_printf(
			    log, HWIMS_LOG_WARN,
			    "copy of %s to %s as \"%s\": resuming the copy an interrupted create "
			    "requested at %s (%s %s, record %s) instead of copying again",
			    spec->source_image_id, home, spec->name, at,
			    res->job_id ? "job" : "image",
			    res->job_id ? res->job_id : res->image_id, rec.path);
			*entry = e;
			return 1;
		}
		if (rc < 0) {
			journal_close(e, 0); /* still to be resumed by a later create */
			hwims_error_prefix(err,
			                   "looking for the copy an interrupted create requested "
			                   "at %s (record %s)",
			                   at, rec.path);
			return -1;
		}
		hwims_log_printf(log, HWIMS_LOG_INFO,
		                 "copy of %s to %s: the interrupted create of %s left no copy to "
		                 "resume (record %s removed)",
		                 spec->source_image_id, home, at, rec.path);
		journal_close(e, 1);
	}
}
