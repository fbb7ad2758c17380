/* image_copy.c - the image-copy workflow (see include/hwims/image_copy.h). */
#include "hwims/image_copy.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cloud_api.h"
#include "hwims/duration.h"
#include "hwims/log.h"
#include "journal.h"

#define NS_PER_MS                 1000000LL
#define NS_PER_S                  1000000000LL
#define DEFAULT_CREATE_TIMEOUT_NS (60 * 60 * NS_PER_S)
#define DEFAULT_UPDATE_TIMEOUT_NS (10 * 60 * NS_PER_S)
#define DEFAULT_DELETE_TIMEOUT_NS (3 * 60 * NS_PER_S)
#define DEFAULT_READ_TIMEOUT_NS   (5 * 60 * NS_PER_S)
/* Adaptive job polling: first look within 2 s, intervals grow by half up to 10 s. */
#define POLL_FIRST_NS   (1500 * NS_PER_MS)
#define POLL_MAX_NS     (10 * NS_PER_S)
#define POLL_MIN_NS     (500 * NS_PER_MS)
#define POLL_GROWTH     1.5
#define DELETE_POLL_NS  (1 * NS_PER_S)
#define DELETE_POLL_MAX (3 * NS_PER_S)
#define EPS_POLL_NS     (1 * NS_PER_S)
/* Waiting for a slot after IMG.0060: a cross-region copy takes minutes, so a refused one is sent
 * again after 1 s, then intervals grow by half up to 15 s, each shortened by up to a quarter so
 * that the waiters of one apply do not all come back at once. */
#define SLOT_WAIT_FIRST_NS (1 * NS_PER_S)
#define SLOT_WAIT_MAX_NS   (15 * NS_PER_S)

static const hwims_copy_options no_options;

static int64_t now_ns(void)
{
	return hwims_cancel_now_ns();
}

static int oom(hwims_error *err)
{
	return hwims_error_set(err, HWIMS_ERR_INTERNAL, "out of memory");
}

static int is_set(const char *s)
{
	return s && *s;
}

void hwims_copy_result_free(hwims_copy_result *r)
{
	if (!r)
		return;
	free(r->job_id);
	free(r->image_id);
	free(r->image_region);
	free(r->job_error_code);
	free(r->job_fail_reason);
	hwims_image_free(r->image);
	memset(r, 0, sizeof(*r));
}

/* The source region of spec (or the client's), NULL when neither is known. */
static const char *source_region(hwims_client *c, const hwims_copy_spec *spec)
{
	if (spec && is_set(spec->region))
		return spec->region;
	return hwims_client_region(c);
}

/* The region a copy lives in: the target region across regions, else the source region. */
static const char *home_region(hwims_client *c, const hwims_copy_spec *spec)
{
	if (spec && hwims_copy_spec_is_cross_region(spec, hwims_client_region(c)))
		return spec->target_region;
	return source_region(c, spec);
}

/* How a message names the last state seen. */
static const char *state_words(hwims_job_state s)
{
	return s == HWIMS_JOB_UNKNOWN ? "not polled yet" : hwims_job_state_name(s);
}

/* Transient failures that a wait rides out: the transport already retried them. */
static int transient(const hwims_error *e)
{
	return e->kind == HWIMS_ERR_THROTTLED || e->kind == HWIMS_ERR_SERVER ||
	       e->kind == HWIMS_ERR_NETWORK || e->kind == HWIMS_ERR_TIMEOUT;
}

/* ---- progress ----------------------------------------------------------------------- */

typedef struct run {
	hwims_client *c;
	const hwims_copy_options *o;
	/* The operation's own token: a child of the caller's, expiring at the operation's
	 * deadline, so every request, retry and backoff of the operation fits inside it. */
	hwims_cancel *cancel;
	int64_t timeout_ns;
	int64_t start_ns;
	hwims_progress p;
	unsigned seed;            /* jitter */
	char status_buf[32];      /* p.image_status points here */
	int64_t predict_floor_ns; /* shortest sleep a progress-based prediction may use */
} run;

/* Start an operation bounded by timeout_ns (the option's value; default_ns when it is 0).
 * Returns 0, or -1 with err (out of memory). Pair with run_done. */
static int run_init(run *r, hwims_client *c, const hwims_copy_options *o, int64_t timeout_ns,
                    int64_t default_ns, hwims_error *err)
{
	memset(r, 0, sizeof(*r));
	r->c = c;
	r->o = o ? o : &no_options;
	r->start_ns = now_ns();
	r->timeout_ns = timeout_ns > 0 ? timeout_ns : default_ns;
	r->p.percent = -1;
	r->predict_floor_ns = POLL_MIN_NS;
	r->seed = (unsigned)r->start_ns ^ (unsigned)getpid() ^ (unsigned)(uintptr_t)r;
	return hwims_cancel_new_child(&r->cancel, r->o->cancel, r->start_ns + r->timeout_ns, err);
}

static void run_done(run *r)
{
	hwims_cancel_free(r->cancel);
	r->cancel = NULL;
}

static void report(run *r, hwims_phase phase)
{
	r->p.phase = phase;
	r->p.elapsed_ns = now_ns() - r->start_ns;
	if (r->o->progress)
		r->o->progress(r->o->progress_userdata, &r->p);
}

/* ---- create ------------------------------------------------------------------------- */

static json_t *copy_body(const hwims_copy_spec *s, int cross)
{
	json_t *b = json_object();
	if (!b)
		return NULL;
	int rc = json_object_set_new(b, "name", json_string(s->name));
	rc |= json_object_set_new(b, "description",
	                          json_string(s->description ? s->description : ""));
	if (cross) {
		rc |= json_object_set_new(b, "region", json_string(s->target_region));
		rc |= json_object_set_new(b, "project_name", json_string(s->target_region));
		rc |= json_object_set_new(b, "agency_name", json_string(s->agency_name));
		if (is_set(s->vault_id))
			rc |= json_object_set_new(b, "vault_id", json_string(s->vault_id));
	} else {
		if (is_set(s->kms_key_id))
			rc |= json_object_set_new(b, "cmk_id", json_string(s->kms_key_id));
		if (is_set(s->enterprise_project_id))
			rc |= json_object_set_new(b, "enterprise_project_id",
			                          json_string(s->enterprise_project_id));
	}
	if (rc != 0) {
		json_decref(b);
		return NULL;
	}
	return b;
}

static int set_owned(char **dst, const char *src)
{
	if (!src || (*dst && strcmp(*dst, src) == 0))
		return 0;
	char *copy = strdup(src);
	if (!copy)
		return -1;
	free(*dst);
	*dst = copy;
	return 0;
}

/* Next sleep of the job wait. base_ns is the adaptive interval before this step; when the job
 * reports a percentage, the predicted finish shortens the sleep so success is seen soon after
 * it happens without polling fast all along. */
static int64_t next_sleep(run *r, int64_t *base_ns, double percent)
{
	if (r->o->fixed_poll_interval_ns > 0)
		return r->o->fixed_poll_interval_ns;
	int64_t d = *base_ns;
	double grown = (double)*base_ns * POLL_GROWTH;
	*base_ns = grown > (double)POLL_MAX_NS ? POLL_MAX_NS : (int64_t)grown;
	if (percent > 0 && percent < 100) {
		int64_t elapsed = now_ns() - r->start_ns;
		int64_t remaining = (int64_t)((double)elapsed * (100.0 - percent) / percent);
		/* aim a little after the predicted end */
		int64_t aim = remaining + remaining / 20 + 200 * NS_PER_MS;
		if (aim < d) {
			/* A job whose progress is not linear (stuck at 99%) would keep being
			 * "about to finish": each prediction that comes sooner than the normal
			 * interval doubles the shortest one the next may use, so misses cost a
			 * few calls, not one every half second. */
			d = aim < r->predict_floor_ns ? r->predict_floor_ns : aim;
			r->predict_floor_ns = d * 2 > POLL_MAX_NS ? POLL_MAX_NS : d * 2;
		}
	}
	/* jitter: up to 15% shorter, so many waiters do not poll in step */
	d -= (int64_t)((double)d * 0.15 * ((double)rand_r(&r->seed) / (double)RAND_MAX));
	return d;
}

/* How far the service's clock may be behind ours when telling a copy made by an unanswered
 * request from an older image of the same name: the gateway accepts signatures that far off. */
#define CLOCK_SKEW_S (15 * 60)
/* The longest a copy request can take to reach IMS: every attempt of a create happens within
 * its deadline, and a request is cut at its timeout (60 s by default); 5 min is generous. */
#define REQUEST_IN_FLIGHT_MAX_S (5 * 60)

/* The UTC time of an IMS timestamp ("2026-12-01T21:00:00Z"), or -1. */
static time_t api_time(const char *text)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *end = text ? strptime(text, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	return end ? timegm(&tm) : (time_t)-1;
}

/* Before the job names the image (IMS does so only on SUCCESS): find the copy by name among the
 * images of its home region that come from the source image. With made_after 0, only images not
 * finished yet count (after a timeout or cancellation, and early when the caller watches the
 * image's status: the job is known and still running). With made_after set (the copy request got
 * no answer), an image in any status counts if IMS created it after made_after less the clock
 * skew it tolerates: it may already be active when the lookup runs. made_before, when set,
 * bounds that from above the same way. */
static void discover_by_name(hwims_client *c, const hwims_copy_spec *spec, const char *region,
                             hwims_cancel *cancel, time_t made_after, time_t made_before,
                             hwims_copy_result *res)
{
	char *home_pid = NULL;
	json_t *list = NULL;
	if (hwims_api_project_id(c, region, cancel, &home_pid, NULL) != 0 ||
	    hwims_api_image_list(c, region, home_pid, spec->name, cancel, &list, NULL) != 0) {
		free(home_pid);
		return;
	}
	const char *found = NULL;
	int candidates = 0;
	size_t i;
	json_t *img;
	json_array_foreach(list, i, img)
	{
		const char *parent = json_string_value(json_object_get(img, "__originalimagename"));
		const char *status = json_string_value(json_object_get(img, "status"));
		if (!parent || strcmp(parent, spec->source_image_id) != 0)
			continue;
		if (!made_after && status && strcmp(status, "active") == 0)
			continue;
		if (made_after) {
			time_t at = api_time(json_string_value(json_object_get(img, "created_at")));
			if (at == (time_t)-1 || at < made_after - CLOCK_SKEW_S ||
			    (made_before && at > made_before + CLOCK_SKEW_S))
				continue;
		}
		found = json_string_value(json_object_get(img, "id"));
		candidates++;
	}
	/* Only an unambiguous match is reported: a wrong ID would be worse than none. */
	if (candidates == 1 && found)
		set_owned(&res->image_id, found);
	json_decref(list);
	free(home_pid);
}

/* The job's own answer first (it names the image once it succeeded), then the name lookup. */
static void discover_image(hwims_client *c, const hwims_copy_spec *spec, const char *region,
                           const char *project_id, const char *job_id, hwims_copy_result *res)
{
	hwims_copy_job job;
	if (hwims_api_job_get(c, source_region(c, spec), project_id, job_id, 0, NULL, &job, NULL) ==
	        0 &&
	    job.image_id) {
		set_owned(&res->image_id, job.image_id);
		hwims_copy_job_free(&job);
		return;
	}
	hwims_copy_job_free(&job);
	discover_by_name(c, spec, region, NULL, 0, 0, res);
}

/* Poll the job until SUCCESS (0), FAIL, timeout or cancellation (-1). */
static int wait_job(run *r, const hwims_copy_spec *spec, const char *src_region,
                    const char *src_pid, const char *home, hwims_copy_result *res, hwims_error *err)
{
	hwims_client *c = r->c;
	int64_t deadline = r->start_ns + r->timeout_ns;
	int64_t base = POLL_FIRST_NS;
	double percent = -1;
	int progress_api = 1; /* the current job API, which reports a percentage */
	int looked_up = 0;    /* the name lookup for watch_image_status was done */
	char *home_pid = NULL;
	hwims_error last;
	hwims_error_clear(&last);
	int rc = -1;
	for (;;) {
		int64_t sleep_ns = next_sleep(r, &base, percent);
		int64_t left = deadline - now_ns();
		if (sleep_ns > left)
			sleep_ns = left > 0 ? left : 0;
		if (hwims_cancel_sleep(r->cancel, (sleep_ns + NS_PER_MS - 1) / NS_PER_MS)) {
			if (hwims_cancel_timed_out(r->cancel))
				goto timed_out;
			goto cancelled;
		}
		hwims_copy_job job;
		hwims_error perr;
		int prc = hwims_api_job_get(c, src_region, src_pid, res->job_id, progress_api,
		                            r->cancel, &job, &perr);
		if (prc != 0 && progress_api && perr.kind == HWIMS_ERR_NOT_FOUND) {
			/* a service without ShowJobProgress: use the project-scoped job API */
			progress_api = 0;
			hwims_copy_job_free(&job);
			prc = hwims_api_job_get(c, src_region, src_pid, res->job_id, 0, r->cancel,
			                        &job, &perr);
		}
		res->polls++;
		r->p.polls = res->polls;
		if (prc != 0) {
			hwims_copy_job_free(&job);
			if (perr.kind == HWIMS_ERR_CANCELLED)
				goto cancelled;
			if (hwims_cancel_timed_out(r->cancel)) {
				last = perr;
				goto timed_out;
			}
			if (!transient(&perr)) {
				*err = perr;
				hwims_error_prefix(err, "querying copy job %s", res->job_id);
				goto out;
			}
			/* the transport's retries ran out; keep waiting until the deadline */
			last = perr;
			hwims_log_printf(hwims_client_log(c), HWIMS_LOG_WARN,
			                 "copy job %s: query failed (%s), still waiting",
			                 res->job_id, perr.message);
		} else {
			res->job_state = job.state;
			r->p.job_state = job.state;
			percent = job.percent;
			r->p.percent = job.percent;
			if (job.image_id && set_owned(&res->image_id, job.image_id) != 0) {
				hwims_copy_job_free(&job);
				oom(err);
				goto out;
			}
			r->p.image_id = res->image_id;
			if (job.state == HWIMS_JOB_FAIL) {
				set_owned(&res->job_error_code, job.error_code);
				set_owned(&res->job_fail_reason, job.fail_reason);
				/* fail_reason often starts with the code already */
				int prefix =
				    job.error_code &&
				    !(job.fail_reason &&
				      strstr(job.fail_reason, job.error_code) == job.fail_reason);
				hwims_error_set(
				    err, HWIMS_ERR_JOB_FAILED, "copy job %s failed: %s%s%s",
				    res->job_id, prefix ? job.error_code : "", prefix ? ": " : "",
				    job.fail_reason ? job.fail_reason : "no reason given");
				if (err && job.error_code)
					snprintf(err->code, sizeof(err->code), "%s",
					         job.error_code);
				hwims_copy_job_free(&job);
				report(r, HWIMS_PHASE_WAIT_JOB);
				goto out;
			}
			if (job.state == HWIMS_JOB_SUCCESS) {
				hwims_copy_job_free(&job);
				r->p.image_status = NULL; /* the last look is stale now */
				if (!res->image_id) {
					hwims_error_set(
					    err, HWIMS_ERR_NETWORK,
					    "copy job %s succeeded but names no image ID",
					    res->job_id);
					goto out;
				}
				report(r, HWIMS_PHASE_WAIT_JOB);
				rc = 0;
				goto out;
			}
			hwims_copy_job_free(&job);
			if (r->o->watch_image_status && !res->image_id && !looked_up &&
			    res->job_state == HWIMS_JOB_RUNNING) {
				discover_by_name(c, spec, home, r->cancel, 0, 0, res);
				r->p.image_id = res->image_id;
				looked_up = 1;
			}
			if (r->o->watch_image_status && res->image_id) {
				json_t *img = NULL;
				if (!home_pid)
					hwims_api_project_id(c, home, r->cancel, &home_pid, NULL);
				if (home_pid &&
				    hwims_api_image_get(c, home, home_pid, res->image_id, r->cancel,
				                        &img, NULL) == 0 &&
				    img) {
					const char *st =
					    json_string_value(json_object_get(img, "status"));
					r->p.image_status = NULL;
					if (st) {
						snprintf(r->status_buf, sizeof(r->status_buf), "%s",
						         st);
						r->p.image_status = r->status_buf;
					}
				}
				json_decref(img);
			}
			report(r, HWIMS_PHASE_WAIT_JOB);
		}
		if (now_ns() >= deadline)
			goto timed_out;
	}
timed_out : {
	char t[32];
	hwims_duration_format(r->timeout_ns, t, sizeof(t));
	discover_image(c, spec, home, src_pid, res->job_id, res);
	hwims_error_set(err, HWIMS_ERR_TIMEOUT,
	                "copy job %s did not finish within %s (last state %s%s%s); the copy "
	                "image is %s",
	                res->job_id, t, state_words(res->job_state),
	                last.kind ? ", last error: " : "", last.kind ? last.message : "",
	                res->image_id ? res->image_id : "not known yet");
	goto out;
}
cancelled:
	discover_image(c, spec, home, src_pid, res->job_id, res);
	hwims_error_set(
	    err, HWIMS_ERR_CANCELLED,
	    "cancelled while waiting for copy job %s (last state %s); the copy image is %s",
	    res->job_id, state_words(res->job_state),
	    res->image_id ? res->image_id : "not known yet");
out:
	free(home_pid);
	return rc;
}

/* One PATCH op on path (value is taken over); a "replace" of an attribute the image lacks fails
 * with IMG.0035, and is then sent once more as "add" (as the Go provider does). */
static int patch_one(hwims_client *c, const char *region, const char *pid, const char *image_id,
                     const char *path, json_t *value, hwims_cancel *cancel, hwims_error *err)
{
	/* takes value over ("o"), also when packing fails */
	json_t *ops = json_pack("[{s:s, s:s, s:o}]", "op", "replace", "path", path, "value", value);
	if (!ops)
		return oom(err);
	int rc = hwims_api_image_patch(c, region, pid, image_id, ops, cancel, err);
	if (rc != 0 && strcmp(err->code, "IMG.0035") == 0) {
		json_object_set_new(json_array_get(ops, 0), "op", json_string("add"));
		rc = hwims_api_image_patch(c, region, pid, image_id, ops, cancel, err);
	}
	json_decref(ops);
	if (rc != 0)
		hwims_error_prefix(err, "updating %s of image %s", path + 1, image_id);
	return rc;
}

/* min_ram/max_ram and tags on a new copy, in the region it lives in. */
static int configure(run *r, const hwims_copy_spec *spec, const char *home, const char *pid,
                     hwims_copy_result *res, hwims_error *err)
{
	hwims_client *c = r->c;
	report(r, HWIMS_PHASE_CONFIGURE);
	/* Like the Go provider: one PATCH with the bounds that are set and non-zero. */
	int want_max = spec->has_max_ram && spec->max_ram != 0;
	int want_min = spec->has_min_ram && spec->min_ram != 0;
	if (want_max || want_min) {
		json_t *ops = json_array();
		int built = ops != NULL;
		if (want_max)
			built &=
			    json_array_append_new(ops, json_pack("{s:s, s:s, s:I}", "op", "replace",
			                                         "path", "/max_ram", "value",
			                                         (json_int_t)spec->max_ram)) == 0;
		if (want_min)
			built &=
			    json_array_append_new(ops, json_pack("{s:s, s:s, s:I}", "op", "replace",
			                                         "path", "/min_ram", "value",
			                                         (json_int_t)spec->min_ram)) == 0;
		if (!built) { /* a PATCH missing a bound would "succeed" without it */
			json_decref(ops);
			oom(err);
			return hwims_error_prefix(err, "setting min_ram/max_ram of the copy %s",
			                          res->image_id);
		}
		int rc = hwims_api_image_patch(c, home, pid, res->image_id, ops, r->cancel, err);
		if (rc != 0 && strcmp(err->code, "IMG.0035") == 0) {
			size_t i;
			json_t *op;
			json_array_foreach(ops, i, op)
			    json_object_set_new(op, "op", json_string("add"));
			rc =
			    hwims_api_image_patch(c, home, pid, res->image_id, ops, r->cancel, err);
		}
		json_decref(ops);
		if (rc != 0)
			return hwims_error_prefix(err, "setting min_ram/max_ram of the copy %s",
			                          res->image_id);
	}
	if (hwims_api_tags_action(c, home, pid, res->image_id, "create", &spec->tags, r->cancel,
	                          err) != 0)
		return hwims_error_prefix(err, "tagging the copy %s", res->image_id);
	res->configured = 1;
	return 0;
}

/* Query image_id in region; 0 found (*out), HWIMS_READ_GONE, -1 error. */
static int read_image(hwims_client *c, const char *region, const char *image_id,
                      hwims_cancel *cancel, hwims_image **out, hwims_error *err)
{
	*out = NULL;
	char *pid = NULL;
	json_t *obj = NULL;
	if (hwims_api_project_id(c, region, cancel, &pid, err) != 0)
		return -1;
	int rc = hwims_api_image_get(c, region, pid, image_id, cancel, &obj, err);
	if (rc != 0) {
		hwims_error_prefix(err, "reading image %s in %s", image_id, region);
		goto done;
	}
	if (!obj) {
		rc = HWIMS_READ_GONE;
		goto done;
	}
	hwims_tags tags = HWIMS_TAGS_INIT;
	hwims_error terr;
	/* As in the Go provider, a failing tags call only leaves the tags unknown. */
	int have_tags = hwims_api_tags_get(c, region, pid, image_id, cancel, &tags, &terr) == 0;
	if (!have_tags && terr.kind == HWIMS_ERR_INTERNAL) {
		/* our own failure, not the service's: null tags would be a wrong state */
		*err = terr;
		rc = -1;
		hwims_tags_free(&tags);
		goto done;
	}
	if (!have_tags)
		hwims_log_printf(hwims_client_log(c), HWIMS_LOG_WARN,
		                 "reading the tags of image %s: %s", image_id, terr.message);
	char *text = json_dumps(obj, JSON_COMPACT);
	rc = text ? hwims_image_from_json(text, strlen(text), region, have_tags ? &tags : NULL, out,
	                                  err)
	          : oom(err);
	free(text);
	hwims_tags_free(&tags);
done:
	json_decref(obj);
	free(pid);
	return rc;
}

/* The error of a submit that ended while waiting for a slot: the last answer was IMG.0060. */
static int err_says_nothing_made(const hwims_error *err)
{
	return hwims_api_too_many_at_once(err);
}

/* How long to wait after the n-th IMG.0060 refusal (n from 1). */
static int64_t slot_wait_ns(run *r, int n)
{
	double d = (double)SLOT_WAIT_FIRST_NS;
	for (int i = 1; i < n && d < (double)SLOT_WAIT_MAX_NS; i++)
		d *= 1.5;
	if (d > (double)SLOT_WAIT_MAX_NS)
		d = (double)SLOT_WAIT_MAX_NS;
	return (int64_t)(d * (1.0 - 0.25 * ((double)rand_r(&r->seed) / (double)RAND_MAX)));
}

/* Send the copy request; while IMS refuses it as one too many at once (IMG.0060, which creates
 * nothing), wait with growing, jittered intervals and send it again, until the create deadline
 * or a cancel. On success res->job_id is set. A failure that ended a slot wait keeps IMG.0060 as
 * err->code (err_says_nothing_made); any other failure is the copy request's own. *sent_at is
 * when the last copy request went out (on entry: when the first is about to, as entry, the
 * record of the copy or NULL, says; later attempts are added to it). */
static int submit(run *r, const hwims_copy_spec *spec, const char *src, const char *src_pid,
                  int cross, const char *body, journal_entry *entry, time_t *sent_at,
                  hwims_copy_result *res, hwims_error *err)
{
	for (;;) {
		report(r, HWIMS_PHASE_SUBMIT);
		time_t before = *sent_at;
		*sent_at = time(NULL);
		/* The record dates the attempt that may make the copy: the refused ones made none.
		 */
		hwims_error jerr;
		if (entry && *sent_at != before && journal_note_sent(entry, *sent_at, &jerr) != 0)
			hwims_log_printf(hwims_client_log(r->c), HWIMS_LOG_WARN, "%s",
			                 jerr.message);
		if (hwims_api_copy(r->c, src, src_pid, spec->source_image_id, cross, body,
		                   r->cancel, &res->job_id, err) == 0)
			return 0;
		if (!hwims_api_too_many_at_once(err)) {
			const char *hint = hwims_api_refusal_hint(err);
			if (hint)
				hwims_error_prefix(err, "%s", hint);
			return -1;
		}
		res->slot_waits++;
		r->p.slot_waits = res->slot_waits;
		int64_t wait = slot_wait_ns(r, res->slot_waits);
		int64_t left = r->start_ns + r->timeout_ns - now_ns();
		/* A submit due after the deadline is not made: the wait ends there, on the
		 * refusal, so the error can say for sure that nothing was made. */
		int last = wait >= left;
		if (last)
			wait = left > 0 ? left : 0;
		char in[32];
		hwims_duration_format(wait, in, sizeof(in));
		hwims_log_printf(hwims_client_log(r->c), HWIMS_LOG_INFO,
		                 "copy of %s to %s: waiting for a %s slot, no copy was made yet "
		                 "(refusal %d: %s); submitting again in %s",
		                 spec->source_image_id, cross ? spec->target_region : src,
		                 cross ? "cross-region copy" : "copy", res->slot_waits,
		                 err->message, in);
		r->p.retry_in_ns = wait;
		report(r, HWIMS_PHASE_WAIT_SLOT);
		r->p.retry_in_ns = 0;
		int stopped = hwims_cancel_sleep(r->cancel, (wait + NS_PER_MS - 1) / NS_PER_MS);
		if (stopped || last) {
			hwims_error refusal = *err;
			char t[32];
			hwims_duration_format(r->timeout_ns, t, sizeof(t));
			if (!stopped || hwims_cancel_timed_out(r->cancel))
				hwims_error_set(
				    err, HWIMS_ERR_TIMEOUT,
				    "no slot for the copy within %s: the service refused it "
				    "%d time%s as too many at once (%s: %s); no copy was made",
				    t, res->slot_waits, res->slot_waits == 1 ? "" : "s",
				    refusal.code, refusal.message);
			else
				hwims_error_set(
				    err, HWIMS_ERR_CANCELLED,
				    "cancelled while waiting for a slot for the copy (refused "
				    "%d time%s as too many at once); no copy was made",
				    res->slot_waits, res->slot_waits == 1 ? "" : "s");
			if (err) {
				err->http_status = refusal.http_status;
				memcpy(err->code, refusal.code, sizeof(err->code));
				memcpy(err->request_id, refusal.request_id,
				       sizeof(err->request_id));
			}
			return -1;
		}
	}
}

/* ---- resuming a create that was killed -------------------------------------------- */

/* Wait for an adopted copy whose job is not known (its request went unanswered before the
 * create was killed) by watching the image itself: 0 once it is active, -1 with err when it
 * failed, went away, or the create's deadline or a cancel came first. */
static int wait_image(run *r, const char *home, const char *image_id, hwims_error *err)
{
	char *pid = NULL;
	if (hwims_api_project_id(r->c, home, r->cancel, &pid, err) != 0)
		return -1;
	int64_t base = POLL_FIRST_NS;
	int rc = -1;
	for (;;) {
		json_t *img = NULL;
		if (hwims_api_image_get(r->c, home, pid, image_id, r->cancel, &img, err) != 0)
			break;
		const char *st = img ? json_string_value(json_object_get(img, "status")) : NULL;
		snprintf(r->status_buf, sizeof(r->status_buf), "%s", st ? st : "");
		r->p.image_status = r->status_buf;
		int active = st && strcmp(st, "active") == 0;
		int ended =
		    !img || (st && (strcmp(st, "killed") == 0 || strcmp(st, "deleted") == 0));
		if (ended)
			hwims_error_set(err, HWIMS_ERR_JOB_FAILED, "the copy %s failed (%s)",
			                image_id, st ? st : "the image is gone");
		json_decref(img);
		r->p.polls++;
		report(r, HWIMS_PHASE_WAIT_JOB);
		if (active)
			rc = 0;
		if (active || ended)
			break;
		if (hwims_cancel_sleep(r->cancel, next_sleep(r, &base, -1) / NS_PER_MS)) {
			int timed_out = hwims_cancel_timed_out(r->cancel);
			char t[32];
			hwims_duration_format(r->timeout_ns, t, sizeof(t));
			if (timed_out)
				hwims_error_set(err, HWIMS_ERR_TIMEOUT,
				                "the copy image %s was still %s after %s", image_id,
				                r->status_buf, t);
			else
				hwims_error_set(err, HWIMS_ERR_CANCELLED,
				                "cancelled while the copy image %s was still %s",
				                image_id, r->status_buf);
			break;
		}
	}
	free(pid);
	return rc;
}

/*
 * A record of this very copy that an earlier create left (claimed, so its writer is gone):
 * resume what it started. 1 when res now names the job (or, for a request whose answer never
 * came, the image), 0 when there is nothing to resume (the job failed, its image was deleted,
 * or the request never made one), -1 with err when the service could not say.
 */
static int resume(run *r, const hwims_copy_spec *spec, const char *src, const char *src_pid,
                  const char *home, const journal_record *rec, hwims_copy_result *res,
                  hwims_error *err)
{
	if (rec->job_id) {
		hwims_copy_job job;
		hwims_error jerr;
		if (hwims_api_job_get(r->c, src, src_pid, rec->job_id, 0, r->cancel, &job, &jerr) ==
		    0) {
			int live = job.state != HWIMS_JOB_FAIL;
			if (live && job.state == HWIMS_JOB_SUCCESS && job.image_id) {
				hwims_image *img = NULL;
				int got =
				    read_image(r->c, home, job.image_id, r->cancel, &img, err);
				hwims_image_free(img);
				if (got < 0) {
					hwims_copy_job_free(&job);
					return -1;
				}
				live = got != HWIMS_READ_GONE;
			}
			hwims_copy_job_free(&job);
			if (!live)
				return 0;
			return set_owned(&res->job_id, rec->job_id) == 0 ? 1 : oom(err);
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
	discover_by_name(r->c, spec, home, r->cancel, rec->sent_at,
	                 rec->sent_at + REQUEST_IN_FLIGHT_MAX_S, res);
	return res->image_id ? 1 : 0;
}

/* Claim and resume the records interrupted creates of this copy left, oldest claim first; the
 * record of the one resumed becomes *entry. 1 resumed, 0 nothing to resume, -1 with err. */
static int resume_any(run *r, const hwims_copy_spec *spec, const char *src, const char *src_pid,
                      const char *home, const char *key, journal_entry **entry,
                      hwims_copy_result *res, hwims_error *err)
{
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
		char at[32];
		struct tm tm;
		strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&rec.sent_at, &tm));
		int rc = resume(r, spec, src, src_pid, home, &rec, res, err);
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

/* Whether a create that ended so has said what became of its copy, so its record can go: it
 * named the job or the image, or the service refused the request (nothing was made). Only an
 * unanswered request whose copy was not found leaves the record for the next create. */
static int outcome_told(const hwims_copy_result *res, const hwims_error *err)
{
	if (res->job_id || res->image_id || err_says_nothing_made(err))
		return 1;
	switch (err->kind) {
	case HWIMS_ERR_NETWORK:
	case HWIMS_ERR_TIMEOUT:
	case HWIMS_ERR_SERVER:
	case HWIMS_ERR_CANCELLED:
	case HWIMS_ERR_INTERNAL:
		return 0;
	default:
		return 1;
	}
}

int hwims_image_copy_create(hwims_client *c, const hwims_copy_spec *spec,
                            const hwims_copy_options *opts, hwims_copy_result *res,
                            hwims_error *err)
{
	hwims_error local_err;
	if (!err)
		err = &local_err; /* the workflow inspects error codes */
	memset(res, 0, sizeof(*res));
	run r;
	char *src_pid = NULL, *home_pid = NULL, *body = NULL;
	journal_entry *entry = NULL;
	int rc = -1;
	if (hwims_copy_spec_validate(spec, hwims_client_region(c), err) != 0)
		return -1;
	const char *src = source_region(c, spec);
	if (!src)
		return hwims_error_set_attr(
		    err, "region",
		    "no region: set region (or HW_REGION_NAME) to say where the "
		    "source image lives");
	int cross = hwims_copy_spec_is_cross_region(spec, hwims_client_region(c));
	const char *home = cross ? spec->target_region : src;
	res->image_region = strdup(home);
	if (!res->image_region)
		return oom(err);
	if (run_init(&r, c, opts, opts ? opts->create_timeout_ns : 0, DEFAULT_CREATE_TIMEOUT_NS,
	             err) != 0)
		return -1;
	/* A busy service (429, 503: nothing was done) is waited out within the create timeout
	 * even before a copy exists; anything else fails the create after the usual retries, so
	 * a wrong endpoint or credentials are reported at once. */
	hwims_cancel_set_persistent(r.cancel, HWIMS_PERSIST_BUSY);
	if (hwims_api_project_id(c, src, r.cancel, &src_pid, err) != 0)
		goto out;
	json_t *b = copy_body(spec, cross);
	body = b ? json_dumps(b, JSON_COMPACT) : NULL;
	json_decref(b);
	if (!body) {
		oom(err);
		goto out;
	}
	/* The record of the copy in flight (see journal.h): first resume what a killed create of
	 * this copy left, else note the request before it goes out. Without a state directory,
	 * or one that cannot be written, the copy is made all the same, unrecorded. */
	const hwims_config *cfg = hwims_client_config(c);
	char key[65];
	int keyed = cfg->state_dir && journal_key(cfg, home, spec, key, NULL) == 0;
	int resumed = keyed ? resume_any(&r, spec, src, src_pid, home, key, &entry, res, err) : 0;
	if (resumed < 0)
		goto out;
	if (resumed)
		goto accepted;
	time_t submitted = time(NULL);
	hwims_error jerr;
	if (keyed && journal_begin(cfg->state_dir, key, spec, home, submitted, &entry, &jerr) != 0)
		hwims_log_printf(
		    hwims_client_log(c), HWIMS_LOG_WARN,
		    "%s; if this create is killed, the next one cannot resume its copy",
		    jerr.message);
	if (submit(&r, spec, src, src_pid, cross, body, entry, &submitted, res, err) != 0) {
		/* No answer, or a server failure: the copy may have been accepted all the same (the
		 * transport never repeats such a POST). Look for it, so it is not orphaned. A wait
		 * for a slot that ran out ended on a refusal: nothing to look for then. */
		if (!err_says_nothing_made(err) &&
		    (err->kind == HWIMS_ERR_NETWORK || err->kind == HWIMS_ERR_TIMEOUT ||
		     err->kind == HWIMS_ERR_SERVER || err->kind == HWIMS_ERR_CANCELLED ||
		     err->kind == HWIMS_ERR_INTERNAL /* no memory for the accepted answer */)) {
			hwims_error saved = *err;
			discover_by_name(c, spec, home, NULL, submitted, 0, res);
			*err = saved;
			if (res->image_id) {
				hwims_log_printf(hwims_client_log(c), HWIMS_LOG_WARN,
				                 "copy of %s: the copy request got no answer (%s), "
				                 "but image %s, of its name and source, appeared "
				                 "after it: going on with that copy",
				                 spec->source_image_id, saved.message,
				                 res->image_id);
				goto accepted;
			}
		}
		hwims_error_prefix(err, "copying image %s", spec->source_image_id);
		goto out;
	}
	if (entry && journal_note_job(entry, res->job_id, &jerr) != 0)
		hwims_log_printf(hwims_client_log(c), HWIMS_LOG_WARN, "%s", jerr.message);
accepted:
	r.p.job_id = res->job_id;
	r.p.image_id = res->image_id;
	report(&r, HWIMS_PHASE_WAIT_JOB);
	/* A copy found without its job (its request went unanswered) has no job ID to hand back
	 * for a later wait: even without waiting, it is watched to the end. */
	if (r.o->no_wait && res->job_id) {
		rc = 0;
		goto out;
	}
	/* From here on a copy exists: throttling and server trouble cost time, never the copy.
	 * Every call retries until the create deadline instead of a fixed number of times. */
	hwims_cancel_set_persistent(r.cancel, HWIMS_PERSIST_ALL);
	if (res->job_id ? wait_job(&r, spec, src, src_pid, home, res, err)
	                : wait_image(&r, home, res->image_id, err))
		goto out;
	if (hwims_api_project_id(c, home, r.cancel, &home_pid, err) != 0 ||
	    configure(&r, spec, home, home_pid, res, err) != 0)
		goto out;
	report(&r, HWIMS_PHASE_READ);
	int got = read_image(c, home, res->image_id, r.cancel, &res->image, err);
	if (got == HWIMS_READ_GONE) {
		hwims_error_set(err, HWIMS_ERR_NOT_FOUND,
		                "copy job %s succeeded but image %s is not listed in %s",
		                res->job_id, res->image_id, home);
		goto out;
	}
	rc = got;
out:
	if (entry)
		journal_close(entry, rc == 0 || outcome_told(res, err));
	run_done(&r);
	free(src_pid);
	free(home_pid);
	free(body);
	return rc;
}

/* ---- read -------------------------------------------------------------------------- */

int hwims_image_copy_read(hwims_client *c, const hwims_copy_spec *spec, const char *image_id,
                          const hwims_copy_options *opts, hwims_image **out, hwims_error *err)
{
	hwims_error local_err;
	if (!err)
		err = &local_err; /* the workflow inspects error codes */
	*out = NULL;
	if (!is_set(image_id))
		return hwims_error_set_attr(err, "id", "no image ID to read");
	const char *home = home_region(c, spec);
	if (!home)
		return hwims_error_set_attr(err, "region",
		                            "no region: set region (or HW_REGION_NAME)");
	run r;
	if (run_init(&r, c, opts, opts ? opts->read_timeout_ns : 0, DEFAULT_READ_TIMEOUT_NS, err) !=
	    0)
		return -1;
	/* A refresh of many copies under throttling must not fail on the unlucky ones. */
	hwims_cancel_set_persistent(r.cancel, HWIMS_PERSIST_BUSY);
	int rc = read_image(c, home, image_id, r.cancel, out, err);
	run_done(&r);
	return rc;
}

/* ---- update ------------------------------------------------------------------------- */

static int same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* A force-new argument changes when the new value is set and differs: an optional+computed
 * argument left out of the configuration keeps what was read. */
static int force_new_check(hwims_client *c, const hwims_copy_spec *o, const hwims_copy_spec *n,
                           hwims_error *err)
{
	const char *dr = hwims_client_region(c);
	if (!same(o->source_image_id, n->source_image_id))
		return hwims_error_set_attr(
		    err, "source_image_id",
		    "source_image_id cannot be changed in place: the copy must be "
		    "replaced");
	if (!same(source_region(c, o), source_region(c, n)))
		return hwims_error_set_attr(err, "region",
		                            "region cannot be changed in place: the copy must be "
		                            "replaced");
	if (hwims_copy_spec_is_cross_region(n, dr) != hwims_copy_spec_is_cross_region(o, dr) ||
	    (hwims_copy_spec_is_cross_region(n, dr) && !same(o->target_region, n->target_region)))
		return hwims_error_set_attr(
		    err, "target_region",
		    "target_region cannot be changed in place: the copy must be "
		    "replaced");
	struct {
		const char *name, *old, *new_;
	} fields[] = {{"kms_key_id", o->kms_key_id, n->kms_key_id},
	              {"agency_name", o->agency_name, n->agency_name},
	              {"vault_id", o->vault_id, n->vault_id}};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (is_set(fields[i].new_) && !same(fields[i].old, fields[i].new_))
			return hwims_error_set_attr(
			    err, fields[i].name,
			    "%s cannot be changed in place: the copy must be "
			    "replaced",
			    fields[i].name);
	}
	return 0;
}

static int update_tags(hwims_client *c, const char *home, const char *pid, const char *image_id,
                       const hwims_tags *old, const hwims_tags *new_, hwims_cancel *cancel,
                       hwims_error *err)
{
	hwims_tags gone = HWIMS_TAGS_INIT, came = HWIMS_TAGS_INIT;
	int rc = -1;
	for (size_t i = 0; i < old->count; i++) {
		if (!hwims_tags_get(new_, old->items[i].key) &&
		    hwims_tags_set(&gone, old->items[i].key, old->items[i].value, err) != 0)
			goto out;
	}
	for (size_t i = 0; i < new_->count; i++) {
		const char *was = hwims_tags_get(old, new_->items[i].key);
		if ((!was || strcmp(was, new_->items[i].value) != 0) &&
		    hwims_tags_set(&came, new_->items[i].key, new_->items[i].value, err) != 0)
			goto out;
	}
	if (hwims_api_tags_action(c, home, pid, image_id, "delete", &gone, cancel, err) != 0 ||
	    hwims_api_tags_action(c, home, pid, image_id, "create", &came, cancel, err) != 0) {
		hwims_error_prefix(err, "updating the tags of image %s", image_id);
		goto out;
	}
	rc = 0;
out:
	hwims_tags_free(&gone);
	hwims_tags_free(&came);
	return rc;
}

/* Move the copy to another enterprise project and wait until IMS shows it there. */
static int migrate(run *r, const char *home, const char *pid, const char *src, const char *image_id,
                   const char *eps, hwims_error *err)
{
	hwims_client *c = r->c;
	report(r, HWIMS_PHASE_MIGRATE);
	if (hwims_api_eps_migrate(c, eps, image_id, pid, src, r->cancel, err) != 0)
		return -1;
	int64_t deadline = r->start_ns + r->timeout_ns;
	for (;;) {
		json_t *img = NULL;
		if (hwims_api_image_get(c, home, pid, image_id, r->cancel, &img, err) != 0)
			return hwims_error_prefix(err, "waiting for the enterprise project move");
		const char *now_eps =
		    json_string_value(json_object_get(img, "enterprise_project_id"));
		int done = !img || same(now_eps, eps);
		json_decref(img);
		if (done)
			return 0;
		if (now_ns() >= deadline)
			return hwims_error_set(
			    err, HWIMS_ERR_TIMEOUT,
			    "image %s did not show enterprise project %s in time", image_id, eps);
		if (hwims_cancel_sleep(r->cancel, EPS_POLL_NS / NS_PER_MS) &&
		    !hwims_cancel_timed_out(r->cancel))
			return hwims_error_set(
			    err, HWIMS_ERR_CANCELLED,
			    "cancelled while moving image %s to enterprise project %s", image_id,
			    eps);
	}
}

int hwims_image_copy_update(hwims_client *c, const hwims_copy_spec *old_spec,
                            const hwims_copy_spec *new_spec, const char *image_id,
                            const hwims_copy_options *opts, hwims_image **out, hwims_error *err)
{
	hwims_error local_err;
	if (!err)
		err = &local_err; /* the workflow inspects error codes */
	if (out)
		*out = NULL;
	run r;
	if (!is_set(image_id))
		return hwims_error_set_attr(err, "id", "no image ID to update");
	if (hwims_copy_spec_validate(new_spec, hwims_client_region(c), err) != 0 ||
	    force_new_check(c, old_spec, new_spec, err) != 0)
		return -1;
	const char *home = home_region(c, new_spec);
	const char *src = source_region(c, new_spec);
	if (!home)
		return hwims_error_set_attr(err, "region",
		                            "no region: set region (or HW_REGION_NAME)");
	int name = !same(old_spec->name, new_spec->name);
	int desc = !same(old_spec->description, new_spec->description);
	int max_ram = new_spec->has_max_ram &&
	              (!old_spec->has_max_ram || old_spec->max_ram != new_spec->max_ram);
	int min_ram = new_spec->has_min_ram &&
	              (!old_spec->has_min_ram || old_spec->min_ram != new_spec->min_ram);
	int tags = !hwims_tags_equal(&old_spec->tags, &new_spec->tags);
	const char *old_eps =
	    is_set(old_spec->enterprise_project_id) ? old_spec->enterprise_project_id : "0";
	int eps = is_set(new_spec->enterprise_project_id) &&
	          !same(old_eps, new_spec->enterprise_project_id);
	if (!(name || desc || max_ram || min_ram || tags || eps || out))
		return 0; /* nothing to send */
	if (run_init(&r, c, opts, opts ? opts->update_timeout_ns : 0, DEFAULT_UPDATE_TIMEOUT_NS,
	             err) != 0)
		return -1;
	/* Throttling and server trouble cost time within the update's budget, not the update. */
	hwims_cancel_set_persistent(r.cancel, HWIMS_PERSIST_ALL);
	hwims_cancel *cancel = r.cancel;
	char *pid = NULL;
	int rc = -1;
	if (hwims_api_project_id(c, home, cancel, &pid, err) != 0)
		goto out;
	/* One PATCH per attribute, in the Go provider's order. */
	if ((name && patch_one(c, home, pid, image_id, "/name", json_string(new_spec->name), cancel,
	                       err) != 0) ||
	    (desc && patch_one(c, home, pid, image_id, "/__description",
	                       json_string(new_spec->description ? new_spec->description : ""),
	                       cancel, err) != 0) ||
	    (max_ram && patch_one(c, home, pid, image_id, "/max_ram",
	                          json_integer((json_int_t)new_spec->max_ram), cancel, err) != 0) ||
	    (min_ram && patch_one(c, home, pid, image_id, "/min_ram",
	                          json_integer((json_int_t)new_spec->min_ram), cancel, err) != 0))
		goto out;
	if (tags &&
	    update_tags(c, home, pid, image_id, &old_spec->tags, &new_spec->tags, cancel, err) != 0)
		goto out;
	if (eps && migrate(&r, home, pid, src, image_id, new_spec->enterprise_project_id, err) != 0)
		goto out;
	if (out) {
		report(&r, HWIMS_PHASE_READ);
		if (read_image(c, home, image_id, cancel, out, err) < 0)
			goto out;
	}
	rc = 0;
out:
	run_done(&r);
	free(pid);
	return rc;
}

/* ---- delete ------------------------------------------------------------------------- */

int hwims_image_copy_delete(hwims_client *c, const hwims_copy_spec *spec, const char *image_id,
                            const hwims_copy_options *opts, hwims_error *err)
{
	hwims_error local_err;
	if (!err)
		err = &local_err; /* the workflow inspects error codes */
	run r;
	if (!is_set(image_id))
		return hwims_error_set_attr(err, "id", "no image ID to delete");
	const char *home = home_region(c, spec);
	if (!home)
		return hwims_error_set_attr(err, "region",
		                            "no region: set region (or HW_REGION_NAME)");
	if (run_init(&r, c, opts, opts ? opts->delete_timeout_ns : 0, DEFAULT_DELETE_TIMEOUT_NS,
	             err) != 0)
		return -1;
	/* Throttling and server trouble cost time within the delete's budget, not the delete. */
	hwims_cancel_set_persistent(r.cancel, HWIMS_PERSIST_ALL);
	hwims_cancel *cancel = r.cancel;
	char *pid = NULL;
	json_t *img = NULL;
	int rc = -1;
	r.p.image_id = image_id;
	if (hwims_api_project_id(c, home, cancel, &pid, err) != 0)
		goto out;
	if (hwims_api_image_get(c, home, pid, image_id, cancel, &img, err) != 0) {
		hwims_error_prefix(err, "looking up image %s before deleting it", image_id);
		goto out;
	}
	if (!img) {
		rc = 0; /* already gone */
		goto out;
	}
	json_decref(img);
	img = NULL;
	report(&r, HWIMS_PHASE_DELETE);
	int64_t deadline = r.start_ns + r.timeout_ns;
	int64_t step = DELETE_POLL_NS;
	while (hwims_api_image_delete(c, home, pid, image_id, cancel, err) != 0) {
		if (hwims_api_says_gone(err)) {
			rc = 0; /* went away in between */
			goto out;
		}
		if (!hwims_api_still_being_made(err)) {
			hwims_error_prefix(err, "deleting image %s", image_id);
			goto out;
		}
		/* A destroy right after an interrupted create: the copy job still runs, and IMS
		 * deletes the image only once it is made. Wait for that within the timeout. */
		r.p.polls++;
		snprintf(r.status_buf, sizeof(r.status_buf), "being created");
		r.p.image_status = r.status_buf;
		report(&r, HWIMS_PHASE_DELETE);
		hwims_log_printf(hwims_client_log(c), HWIMS_LOG_INFO,
		                 "image %s is still being created (%s): waiting to delete it",
		                 image_id, err->code);
		int64_t left = deadline - now_ns();
		int64_t s = step < left ? step : left;
		int stopped =
		    left <= 0 || hwims_cancel_sleep(cancel, (s + NS_PER_MS - 1) / NS_PER_MS);
		if (stopped && !hwims_cancel_timed_out(cancel) && left > 0)
			goto cancelled;
		if (stopped) {
			char t[32];
			hwims_duration_format(r.timeout_ns, t, sizeof(t));
			hwims_error_set(err, HWIMS_ERR_TIMEOUT,
			                "image %s in %s was still being created when the delete "
			                "timeout of %s ran out: it was not deleted",
			                image_id, home, t);
			goto out;
		}
		step = step * 3 / 2 > DELETE_POLL_MAX ? DELETE_POLL_MAX : step * 3 / 2;
	}
	step = DELETE_POLL_NS;
	for (;;) {
		hwims_error perr;
		int prc = hwims_api_image_get(c, home, pid, image_id, cancel, &img, &perr);
		r.p.polls++;
		if (prc != 0 && perr.kind == HWIMS_ERR_CANCELLED)
			goto cancelled;
		if (prc != 0 && !transient(&perr)) {
			*err = perr;
			hwims_error_prefix(err, "waiting for image %s to be deleted", image_id);
			goto out;
		}
		if (prc == 0 && !img) {
			rc = 0;
			goto out;
		}
		if (img) {
			const char *st = json_string_value(json_object_get(img, "status"));
			snprintf(r.status_buf, sizeof(r.status_buf), "%s", st ? st : "");
			r.p.image_status = st ? r.status_buf : NULL;
		}
		json_decref(img);
		img = NULL;
		report(&r, HWIMS_PHASE_DELETE);
		int64_t left = deadline - now_ns();
		if (left <= 0) {
			char t[32];
			hwims_duration_format(r.timeout_ns, t, sizeof(t));
			hwims_error_set(err, HWIMS_ERR_TIMEOUT,
			                "image %s is still listed in %s %s after it was deleted",
			                image_id, home, t);
			goto out;
		}
		int64_t s = step < left ? step : left;
		if (hwims_cancel_sleep(cancel, s / NS_PER_MS) && !hwims_cancel_timed_out(cancel))
			goto cancelled;
		step = step * 3 / 2 > DELETE_POLL_MAX ? DELETE_POLL_MAX : step * 3 / 2;
	}
cancelled:
	hwims_error_set(err, HWIMS_ERR_CANCELLED,
	                "cancelled while waiting for image %s to be deleted", image_id);
out:
	run_done(&r);
	json_decref(img);
	free(pid);
	return rc;
}

/* ---- import ------------------------------------------------------------------------- */

int hwims_image_copy_import(hwims_client *c, const char *import_id, const hwims_copy_options *opts,
                            hwims_copy_spec *spec, hwims_image **image_out, hwims_error *err)
{
	hwims_error local_err;
	if (!err)
		err = &local_err; /* the workflow inspects error codes */
	memset(spec, 0, sizeof(*spec));
	if (image_out)
		*image_out = NULL;
	if (!is_set(import_id) || strchr(import_id, ' '))
		return hwims_error_set_attr(err, "id",
		                            "invalid import ID \"%s\": expected <image_id> or "
		                            "<region>/<image_id>",
		                            import_id ? import_id : "");
	char *region = NULL;
	const char *id = import_id;
	const char *slash = strchr(import_id, '/');
	if (slash) {
		if (slash == import_id || slash[1] == '\0' || strchr(slash + 1, '/'))
			return hwims_error_set_attr(
			    err, "id",
			    "invalid import ID \"%s\": expected <image_id> or "
			    "<region>/<image_id>",
			    import_id);
		region = strndup(import_id, (size_t)(slash - import_id));
		if (!region)
			return oom(err);
		id = slash + 1;
	} else if (!hwims_client_region(c)) {
		return hwims_error_set_attr(
		    err, "id",
		    "import ID \"%s\" names no region and none is configured: use "
		    "<region>/<image_id>",
		    import_id);
	}
	const char *home = region ? region : hwims_client_region(c);
	hwims_image *img = NULL;
	char *o_region = NULL, *o_source = NULL;
	/* Bounded like a read: an import is one, of an image not in the state yet. */
	run r;
	if (run_init(&r, c, opts, opts ? opts->read_timeout_ns : 0, DEFAULT_READ_TIMEOUT_NS, err) !=
	    0) {
		free(region);
		return -1;
	}
	hwims_cancel_set_persistent(r.cancel, HWIMS_PERSIST_BUSY);
	int rc = read_image(c, home, id, r.cancel, &img, err);
	run_done(&r);
	if (rc == HWIMS_READ_GONE) {
		rc =
		    hwims_error_set(err, HWIMS_ERR_NOT_FOUND, "image %s not found in %s", id, home);
		goto out;
	}
	if (rc != 0)
		goto out;
	rc = -1;
	int parsed =
	    hwims_data_origin_parse(hwims_image_str(img, "data_origin"), &o_region, &o_source);
	if (parsed < 0) {
		oom(err);
		goto out;
	}
	if (parsed == 0) {
		hwims_error_set(
		    err, HWIMS_ERR_INVALID,
		    "image %s in %s is not a copy of another image (its data origin is "
		    "\"%s\")",
		    id, home,
		    hwims_image_str(img, "data_origin") ? hwims_image_str(img, "data_origin") : "");
		goto out;
	}
	int64_t v;
	if (hwims_copy_spec_set(&spec->source_image_id, o_source, err) != 0 ||
	    hwims_copy_spec_set(&spec->region, o_region, err) != 0 ||
	    (strcmp(o_region, home) != 0 &&
	     hwims_copy_spec_set(&spec->target_region, home, err) != 0) ||
	    hwims_copy_spec_set(&spec->name, hwims_image_str(img, "name"), err) != 0 ||
	    hwims_copy_spec_set(&spec->description, hwims_image_str(img, "description"), err) !=
	        0 ||
	    hwims_copy_spec_set(&spec->kms_key_id, hwims_image_str(img, "kms_key_id"), err) != 0 ||
	    hwims_copy_spec_set(&spec->enterprise_project_id,
	                        hwims_image_str(img, "enterprise_project_id"), err) != 0 ||
	    hwims_tags_copy(&spec->tags, hwims_image_tags(img), err) != 0)
		goto out;
	if (hwims_image_int(img, "min_ram", &v)) {
		spec->has_min_ram = 1;
		spec->min_ram = v;
	}
	if (hwims_image_int(img, "max_ram", &v)) {
		spec->has_max_ram = 1;
		spec->max_ram = v;
	}
	if (image_out) {
		*image_out = img;
		img = NULL;
	}
	rc = 0;
out:
	if (rc != 0)
		hwims_copy_spec_free(spec);
	hwims_image_free(img);
	free(o_region);
	free(o_source);
	free(region);
	return rc;
}

/* ---- job and list ------------------------------------------------------------------- */

int hwims_copy_job_get(hwims_client *c, const char *region, const char *job_id,
                       hwims_cancel *cancel, hwims_copy_job *job, hwims_error *err)
{
	memset(job, 0, sizeof(*job));
	job->percent = -1;
	if (!is_set(job_id))
		return hwims_error_set_attr(err, "job_id", "no job ID");
	char *pid = NULL;
	if (hwims_api_project_id(c, region, cancel, &pid, err) != 0)
		return -1;
	if (!region)
		region = hwims_client_region(c);
	int rc = hwims_api_job_get(c, region, pid, job_id, 1, cancel, job, err);
	if (rc != 0 && err && err->kind == HWIMS_ERR_NOT_FOUND) {
		hwims_copy_job_free(job);
		rc = hwims_api_job_get(c, region, pid, job_id, 0, cancel, job, err);
	}
	free(pid);
	return rc;
}

int hwims_image_list(hwims_client *c, const char *region, const char *name, hwims_cancel *cancel,
                     hwims_image ***images, size_t *count, hwims_error *err)
{
	*images = NULL;
	*count = 0;
	if (!region)
		region = hwims_client_region(c);
	char *pid = NULL;
	json_t *list = NULL;
	if (hwims_api_project_id(c, region, cancel, &pid, err) != 0)
		return -1;
	int rc = hwims_api_image_list(c, region, pid, name, cancel, &list, err);
	free(pid);
	if (rc != 0)
		return -1;
	size_t n = json_array_size(list);
	hwims_image **arr = calloc(n ? n : 1, sizeof(*arr));
	if (!arr) {
		json_decref(list);
		return oom(err);
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char *text = json_dumps(json_array_get(list, i), JSON_COMPACT);
		hwims_image *img = NULL;
		/* an unusable entry is skipped, not fatal for a listing */
		if (text &&
		    hwims_image_from_json(text, strlen(text), region, NULL, &img, NULL) == 0)
			arr[k++] = img;
		free(text);
	}
	json_decref(list);
	*images = arr;
	*count = k;
	return 0;
}
