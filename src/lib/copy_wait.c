/* copy_wait.c - waiting for a copy: its job, or (found without its job) the image itself, and
 * finding the copy by name when the job does not say. Every wait sleeps through the poller. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cloud_api.h"
#include "copy_op.h"
#include "hwims/log.h"

/* Paced job polling: each interval is a tenth of the time waited so far, from 1 s up to 10 s,
 * and up to 15% shorter so that many waiters do not poll in step. A job's end is so seen within
 * max(1 s, 10% of the job), and never later than 10 s, whatever the job reports. */
static const poller_shape job_poll = {COPY_POLL_PACED_NS, COPY_POLL_MAX_NS, 1, 0.15, 0.1};

/* How a message names the last state seen. */
static const char *state_words(hwims_job_state s)
{
	return s == HWIMS_JOB_UNKNOWN ? "not polled yet" : hwims_job_state_name(s);
}

/* What the looks of one job wait have seen, for its pacing and its messages. */
typedef struct job_wait {
	double percent;     /* the last percentage below 99 of the running job; -1: none */
	int64_t first_ns;   /* when a running job's first percentage above 0 was seen; 0: not yet */
	double first_pct;   /* that percentage */
	int64_t last_ns;    /* when the last percentage was seen */
	int64_t predict_ns; /* the end the last sleep aimed at; 0: none */
	int missed;         /* the job was still running at an end it was predicted to reach */
	int looked_up;      /* the name lookup for watch_image_status was done */
	hwims_error last;   /* the last failed query, for the timeout message */
} job_wait;

/* The end of a running job predicted from its percentages, as the time left from now, or -1
 * when they do not predict one. The rate is taken between the first and the last percentage
 * seen, not from the job's start: the time before the first percent (queueing, INIT) would make
 * every prediction late. */
static int64_t predicted_left(const job_wait *w, int64_t now)
{
	if (w->missed || !w->first_ns || w->last_ns <= w->first_ns || w->percent >= 100 ||
	    w->percent <= w->first_pct)
		return -1;
	double rate = (w->percent - w->first_pct) / (double)(w->last_ns - w->first_ns);
	double left = (100.0 - w->percent) / rate - (double)(now - w->last_ns);
	if (left < 0)
		return 0;
	/* a crawling rate predicts an end far beyond any sleep: keep the cast in range */
	return left > 1e18 ? (int64_t)1e18 : (int64_t)left;
}

/* Next sleep of a job wait (w NULL: a wait without percentages). The paced interval bounds how
 * late the end is seen; when the job's percentages predict its end, the sleep aims just after
 * it instead, longer than the paced interval (up to 10 s) while the end is far, which keeps a
 * long job near one call per 10 s, and shorter when it is near, which sees it at once. A job
 * still running at its predicted end has percentages that do not predict: it is paced from
 * then on. */
static int64_t next_sleep(copy_op *op, poller *poll, job_wait *w)
{
	if (op->o->fixed_poll_interval_ns > 0)
		return op->o->fixed_poll_interval_ns;
	int64_t d = poller_interval(poll);
	int64_t now = hwims_cancel_now_ns();
	int64_t left = w ? predicted_left(w, now) : -1;
	if (left < 0)
		return poller_jitter(poll, d);
	int64_t aim = left + left / 50 + COPY_POLL_PREDICT_NS;
	if (aim > COPY_POLL_MAX_NS)
		return poller_jitter(poll, COPY_POLL_MAX_NS);
	w->predict_ns = now + left;
	return aim;
}

/* The UTC time of an IMS timestamp ("2026-12-01T21:00:00Z"), or -1. */
static time_t api_time(const char *text)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *end = text ? strptime(text, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	return end ? timegm(&tm) : (time_t)-1;
}

/* Whether img of the name lookup may be the copy. With made_after 0, only images not finished
 * yet count (after a timeout or cancellation, and early when the caller watches the image's
 * status: the job is known and still running). With made_after set (the copy request got no
 * answer), an image in any status counts if IMS created it after made_after less the clock skew
 * it tolerates: it may already be active when the lookup runs. made_before, when set, bounds
 * that from above the same way. */
static int may_be_the_copy(const json_t *img, const hwims_copy_spec *spec, time_t made_after,
                           time_t made_before)
{
	const char *parent = json_string_value(json_object_get(img, "__originalimagename"));
	const char *status = json_string_value(json_object_get(img, "status"));
	if (!parent || strcmp(parent, spec->source_image_id) != 0)
		return 0;
	if (!made_after)
		return !(status && strcmp(status, "active") == 0);
	time_t at = api_time(json_string_value(json_object_get(img, "created_at")));
	return at != (time_t)-1 && at >= made_after - COPY_CLOCK_SKEW_S &&
	       !(made_before && at > made_before + COPY_CLOCK_SKEW_S);
}

/* Before the job names the image (IMS does so only on SUCCESS): find the copy by name among the
 * images of its home region that come from the source image (may_be_the_copy). */
void copy_find_by_name(copy_op *op, const hwims_copy_spec *spec, hwims_cancel *cancel,
                       time_t made_after, time_t made_before, hwims_copy_result *res)
{
	json_t *list = NULL;
	const char *pid = copy_home_pid(op, cancel, NULL);
	if (!pid || api_image_list(op->c, op->home, pid, spec->name, cancel, &list, NULL) != 0)
		return;
	const char *found = NULL;
	int candidates = 0;
	size_t i;
	json_t *img;
	json_array_foreach(list, i, img)
	{
		if (!may_be_the_copy(img, spec, made_after, made_before))
			continue;
		found = json_string_value(json_object_get(img, "id"));
		candidates++;
	}
	/* Only an unambiguous match is reported: a wrong ID would be worse than none. */
	if (candidates == 1 && found)
		copy_set_owned(&res->image_id, found);
	json_decref(list);
}

/* After a wait that ended early: the job's own answer first (it names the image once it
 * succeeded), then the name lookup. Both run without a cancel token: the operation's has ended,
 * and the copy must not be orphaned. */
static void discover_image(copy_op *op, const hwims_copy_spec *spec, hwims_copy_result *res)
{
	hwims_copy_job job;
	if (api_job_get(op->c, op->src, op->src_pid, res->job_id, 0, NULL, &job, NULL) == 0 &&
	    job.image_id) {
		copy_set_owned(&res->image_id, job.image_id);
		hwims_copy_job_free(&job);
		return;
	}
	hwims_copy_job_free(&job);
	copy_find_by_name(op, spec, NULL, 0, 0, res);
}

/* Where a job wait stands after one look. */
typedef enum job_step {
	STEP_WAIT,
	STEP_DONE,
	STEP_FAILED,
	STEP_TIMED_OUT,
	STEP_CANCELLED
} job_step;

/* A FAILed job: the error says its code and reason. */
static job_step job_failed(copy_op *op, const hwims_copy_job *job, hwims_copy_result *res,
                           hwims_error *err)
{
	copy_set_owned(&res->job_error_code, job->error_code);
	copy_set_owned(&res->job_fail_reason, job->fail_reason);
	/* fail_reason often starts with the code already */
	int prefix =
	    job->error_code &&
	    !(job->fail_reason && strstr(job->fail_reason, job->error_code) == job->fail_reason);
	hwims_error_set(err, HWIMS_ERR_JOB_FAILED, "copy job %s failed: %s%s%s", res->job_id,
	                prefix ? job->error_code : "", prefix ? ": " : "",
	                job->fail_reason ? job->fail_reason : "no reason given");
	if (err && job->error_code)
		snprintf(err->code, sizeof(err->code), "%s", job->error_code);
	copy_report(op, HWIMS_PHASE_WAIT_JOB);
	return STEP_FAILED;
}

/* While the job runs and the caller watches the image's status: find the image by name once,
 * then look at its status each time. Failures only leave the status unknown. */
static void watch_image(copy_op *op, const hwims_copy_spec *spec, job_wait *w,
                        hwims_copy_result *res)
{
	if (!res->image_id && !w->looked_up && res->job_state == HWIMS_JOB_RUNNING) {
		copy_find_by_name(op, spec, op->cancel, 0, 0, res);
		op->p.image_id = res->image_id;
		w->looked_up = 1;
	}
	if (!res->image_id)
		return;
	json_t *img = NULL;
	const char *pid = copy_home_pid(op, op->cancel, NULL);
	if (pid &&
	    api_image_get(op->c, op->home, pid, res->image_id, op->cancel, &img, NULL) == 0 &&
	    img) {
		const char *st = json_string_value(json_object_get(img, "status"));
		op->p.image_status = NULL;
		if (st) {
			snprintf(op->status_buf, sizeof(op->status_buf), "%s", st);
			op->p.image_status = op->status_buf;
		}
	}
	json_decref(img);
}

/* Keep what a look says about the job's progress (see next_sleep). */
static void record_percent(job_wait *w, const hwims_copy_job *job)
{
	int64_t now = hwims_cancel_now_ns();
	if (job->state != HWIMS_JOB_RUNNING && job->state != HWIMS_JOB_INIT)
		return;
	if (w->predict_ns && now >= w->predict_ns)
		w->missed = 1;
	w->predict_ns = 0;
	/* A percentage from 99 on says little: IMS (and imsd) hold it at 99 until the end, so a
	 * rate taken from it would put the end too late. The last one below keeps predicting. */
	if (job->state != HWIMS_JOB_RUNNING || job->percent <= 0 || job->percent >= 99)
		return;
	if (!w->first_ns) {
		w->first_ns = now;
		w->first_pct = job->percent;
	}
	w->percent = job->percent;
	w->last_ns = now;
}

/* What a job the query answered says. */
static job_step job_seen(copy_op *op, const hwims_copy_spec *spec, job_wait *w,
                         const hwims_copy_job *job, hwims_copy_result *res, hwims_error *err)
{
	res->job_state = job->state;
	op->p.job_state = job->state;
	op->p.percent = job->percent;
	record_percent(w, job);
	if (job->image_id && copy_set_owned(&res->image_id, job->image_id) != 0) {
		error_oom(err);
		return STEP_FAILED;
	}
	op->p.image_id = res->image_id;
	if (job->state == HWIMS_JOB_FAIL)
		return job_failed(op, job, res, err);
	if (job->state == HWIMS_JOB_SUCCESS) {
		op->p.image_status = NULL; /* the last look is stale now */
		if (!res->image_id) {
			hwims_error_set(err, HWIMS_ERR_NETWORK,
			                "copy job %s succeeded but names no image ID", res->job_id);
			return STEP_FAILED;
		}
		copy_report(op, HWIMS_PHASE_WAIT_JOB);
		return STEP_DONE;
	}
	if (op->o->watch_image_status)
		watch_image(op, spec, w, res);
	copy_report(op, HWIMS_PHASE_WAIT_JOB);
	return STEP_WAIT;
}

/* One query of the job, and what it says. */
static job_step job_look(copy_op *op, const hwims_copy_spec *spec, job_wait *w,
                         hwims_copy_result *res, hwims_error *err)
{
	hwims_copy_job job;
	hwims_error perr;
	int prc = api_job_get(op->c, op->src, op->src_pid, res->job_id, 1, op->cancel, &job, &perr);
	res->polls++;
	op->p.polls = res->polls;
	if (prc == 0) {
		job_step step = job_seen(op, spec, w, &job, res, err);
		hwims_copy_job_free(&job);
		return step;
	}
	hwims_copy_job_free(&job);
	if (perr.kind == HWIMS_ERR_CANCELLED)
		return STEP_CANCELLED;
	w->last = perr;
	if (hwims_cancel_timed_out(op->cancel))
		return STEP_TIMED_OUT;
	if (!copy_transient(&perr)) {
		*err = perr;
		hwims_error_prefix(err, "querying copy job %s", res->job_id);
		return STEP_FAILED;
	}
	/* the transport's retries ran out; keep waiting until the deadline */
	hwims_log_printf(hwims_client_log(op->c), HWIMS_LOG_WARN,
	                 "copy job %s: query failed (%s), still waiting", res->job_id,
	                 perr.message);
	return STEP_WAIT;
}

int copy_wait_job(copy_op *op, const hwims_copy_spec *spec, hwims_copy_result *res,
                  hwims_error *err)
{
	poller poll;
	poller_init(&poll, op->cancel, &job_poll, op->seed);
	job_wait w = {.percent = -1};
	job_step step = STEP_WAIT;
	while (step == STEP_WAIT) {
		int stop = poller_sleep(&poll, next_sleep(op, &poll, &w));
		if (stop)
			step = stop == HWIMS_ETIMEOUT ? STEP_TIMED_OUT : STEP_CANCELLED;
		else
			step = job_look(op, spec, &w, res, err);
	}
	if (step == STEP_DONE)
		return 0;
	if (step == STEP_FAILED)
		return -1;
	discover_image(op, spec, res);
	const char *image = res->image_id ? res->image_id : "not known yet";
	if (step == STEP_CANCELLED)
		return hwims_error_set(
		    err, HWIMS_ERR_CANCELLED,
		    "cancelled while waiting for copy job %s (last state %s); the "
		    "copy image is %s",
		    res->job_id, state_words(res->job_state), image);
	char t[HWIMS_DURATION_TEXT_MAX];
	hwims_duration_format(op->timeout_ns, t, sizeof(t));
	return hwims_error_set(err, HWIMS_ERR_TIMEOUT,
	                       "copy job %s did not finish within %s (last state %s%s%s); the copy "
	                       "image is %s",
	                       res->job_id, t, state_words(res->job_state),
	                       w.last.kind ? ", last error: " : "",
	                       w.last.kind ? w.last.message : "", image);
}

/* The wait_image error for a poller stop. */
static int image_wait_stopped(copy_op *op, int stop, const char *image_id, hwims_error *err)
{
	if (stop != HWIMS_ETIMEOUT)
		return hwims_error_set(err, HWIMS_ERR_CANCELLED,
		                       "cancelled while the copy image %s was still %s", image_id,
		                       op->status_buf);
	char t[HWIMS_DURATION_TEXT_MAX];
	hwims_duration_format(op->timeout_ns, t, sizeof(t));
	return hwims_error_set(err, HWIMS_ERR_TIMEOUT, "the copy image %s was still %s after %s",
	                       image_id, op->status_buf, t);
}

int copy_wait_image(copy_op *op, const char *image_id, hwims_error *err)
{
	const char *pid = copy_home_pid(op, op->cancel, err);
	if (!pid)
		return -1;
	poller poll;
	poller_init(&poll, op->cancel, &job_poll, op->seed);
	for (;;) {
		json_t *img = NULL;
		if (api_image_get(op->c, op->home, pid, image_id, op->cancel, &img, err) != 0)
			return -1;
		const char *st = img ? json_string_value(json_object_get(img, "status")) : NULL;
		snprintf(op->status_buf, sizeof(op->status_buf), "%s", st ? st : "");
		op->p.image_status = op->status_buf;
		int active = st && strcmp(st, "active") == 0;
		int ended =
		    !img || (st && (strcmp(st, "killed") == 0 || strcmp(st, "deleted") == 0));
		if (ended)
			hwims_error_set(err, HWIMS_ERR_JOB_FAILED, "the copy %s failed (%s)",
			                image_id, st ? st : "the image is gone");
		json_decref(img);
		op->p.polls++;
		copy_report(op, HWIMS_PHASE_WAIT_JOB);
		if (active)
			return 0;
		if (ended)
			return -1;
		int stop = poller_sleep(&poll, next_sleep(op, &poll, NULL));
		if (stop)
			return image_wait_stopped(op, stop, image_id, err);
	}
}
