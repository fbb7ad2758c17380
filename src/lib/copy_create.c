/* copy_create.c - hwims_image_copy_create: submit the copy (waiting out IMG.0060 refusals),
 * wait for it, configure it and read it back (see include/hwims/image_copy.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cloud_api.h"
#include "copy_op.h"
#include "hwims/duration.h"
#include "hwims/log.h"
#include "journal.h"

/* Waiting for a slot after IMG.0060: a cross-region copy takes minutes, so a refused one is sent
 * again after 1 s, then intervals grow by half up to 15 s, each shortened by up to a quarter so
 * that the waiters of one apply do not all come back at once. */
static const poller_shape slot_poll = {1 * HWIMS_NS_PER_S, 15 * HWIMS_NS_PER_S, 1.5, 0.25, 0};

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

/* The copy request's body. default_eps (may be NULL): the client's enterprise project, which a
 * copy within a region gets when the spec names none, as the Go provider's resources use the
 * provider's enterprise_project_id. */
static json_t *copy_body(const hwims_copy_spec *s, int cross, const char *default_eps)
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
		if (copy_is_set(s->vault_id))
			rc |= json_object_set_new(b, "vault_id", json_string(s->vault_id));
	} else {
		if (copy_is_set(s->kms_key_id))
			rc |= json_object_set_new(b, "cmk_id", json_string(s->kms_key_id));
		const char *eps =
		    copy_is_set(s->enterprise_project_id) ? s->enterprise_project_id : default_eps;
		if (copy_is_set(eps))
			rc |= json_object_set_new(b, "enterprise_project_id", json_string(eps));
	}
	if (rc != 0) {
		json_decref(b);
		return NULL;
	}
	return b;
}

/* min_ram/max_ram and tags on a new copy, in the region it lives in. */
static int configure(copy_op *op, const hwims_copy_spec *spec, hwims_copy_result *res,
                     hwims_error *err)
{
	copy_report(op, HWIMS_PHASE_CONFIGURE);
	const char *pid = copy_home_pid(op, op->cancel, err);
	if (!pid)
		return -1;
	/* One PATCH with every configured bound, zeros included: the copy inherits its source's
	   bounds, so a configured 0 is not what it has unless sent (state records what was
	   configured). The copy's current bounds are its source's, unknown here: imsd and IMS
	   check the pair after the whole PATCH. */
	int want_max = spec->has_max_ram;
	int want_min = spec->has_min_ram;
	if (want_max || want_min) {
		json_t *ops = json_array();
		/* a PATCH missing a bound would "succeed" without it */
		int rc = ops ? 0 : error_oom(err);
		if (rc == 0 &&
		    copy_ram_ops(ops, 0, 0, want_min, spec->min_ram, want_max, spec->max_ram) != 0)
			rc = error_oom(err);
		if (rc == 0)
			rc = copy_patch(op, res->image_id, ops, err);
		json_decref(ops);
		if (rc != 0)
			return hwims_error_prefix(err, "setting min_ram/max_ram of the copy %s",
			                          res->image_id);
	}
	if (api_tags_action(op->c, op->home, pid, res->image_id, "create", &spec->tags, op->cancel,
	                    err) != 0)
		return hwims_error_prefix(err, "tagging the copy %s", res->image_id);
	res->configured = 1;
	return 0;
}

/* The error of a slot wait that ended (stop: the poller's verdict, 0 when the next submit would
 * come after the deadline) on the refusal in *err: nothing was made. Keeps the refusal's
 * status, code and request ID. */
static int slot_wait_ended(copy_op *op, int stop, int refusals, hwims_error *err)
{
	hwims_error refusal = *err;
	const char *plural = refusals == 1 ? "" : "s";
	char t[HWIMS_DURATION_TEXT_MAX];
	hwims_duration_format(op->timeout_ns, t, sizeof(t));
	if (stop != HWIMS_ECANCELLED)
		hwims_error_set(err, HWIMS_ERR_TIMEOUT,
		                "no slot for the copy within %s: the service refused it %d time%s "
		                "as too many at once (%s: %s); no copy was made",
		                t, refusals, plural, refusal.code, refusal.message);
	else
		hwims_error_set(
		    err, HWIMS_ERR_CANCELLED,
		    "cancelled while waiting for a slot for the copy (refused %d time%s "
		    "as too many at once); no copy was made",
		    refusals, plural);
	err->http_status = refusal.http_status;
	memcpy(err->code, refusal.code, sizeof(err->code));
	memcpy(err->request_id, refusal.request_id, sizeof(err->request_id));
	return HWIMS_ETOOMANY;
}

/* Send the copy request; while IMS refuses it as one too many at once (IMG.0060, which creates
 * nothing), wait with growing, jittered intervals and send it again, until the create deadline
 * or a cancel. On success res->job_id is set. A slot wait that ended (err: timeout or cancel)
 * returns HWIMS_ETOOMANY: no copy was made; any other failure is the copy request's own. *sent_at
 * is when the last copy request went out (on entry: when the first is about to, as entry, the
 * record of the copy or NULL, says; later attempts are added to it). */
static int submit(copy_op *op, const hwims_copy_spec *spec, int cross, const char *body,
                  journal_entry *entry, time_t *sent_at, hwims_copy_result *res, hwims_error *err)
{
	const hwims_log *log = hwims_client_log(op->c);
	poller poll;
	poller_init(&poll, op->cancel, &slot_poll, op->seed);
	for (;;) {
		copy_report(op, HWIMS_PHASE_SUBMIT);
		time_t before = *sent_at;
		*sent_at = time(NULL);
		/* The record dates the attempt that may make the copy: the refused ones made none.
		 */
		hwims_error jerr;
		if (entry && *sent_at != before && journal_note_sent(entry, *sent_at, &jerr) != 0)
			hwims_log_printf(log, HWIMS_LOG_WARN, "%s", jerr.message);
		int rc = api_copy(op->c, op->src, op->src_pid, spec->source_image_id, cross, body,
		                  op->cancel, &res->job_id, err);
		if (rc != HWIMS_ETOOMANY)
			return rc;
		res->slot_waits++;
		op->p.slot_waits = res->slot_waits;
		int64_t wait = poller_next(&poll);
		int64_t left = poller_left(&poll);
		/* A submit due after the deadline is not made: the wait ends there, on the
		 * refusal, so the error can say for sure that nothing was made. */
		int last = wait >= left;
		if (last)
			wait = left > 0 ? left : 0;
		char in[HWIMS_DURATION_TEXT_MAX];
		hwims_duration_format(wait, in, sizeof(in));
		hwims_log_printf(log, HWIMS_LOG_INFO,
		                 "copy of %s to %s: waiting for a %s slot, no copy was made yet "
		                 "(refusal %d: %s); submitting again in %s",
		                 spec->source_image_id, op->home,
		                 cross ? "cross-region copy" : "copy", res->slot_waits,
		                 err->message, in);
		op->p.retry_in_ns = wait;
		copy_report(op, HWIMS_PHASE_WAIT_SLOT);
		op->p.retry_in_ns = 0;
		int stop = poller_sleep(&poll, wait);
		if (stop || last)
			return slot_wait_ended(op, stop, res->slot_waits, err);
	}
}

/* Whether a create that ended so has said what became of its copy, so its record can go: it
 * named the job or the image, or the service refused the request (nothing was made). Only an
 * unanswered request whose copy was not found leaves the record for the next create. */
static int outcome_told(const hwims_copy_result *res, int submitted, const hwims_error *err)
{
	if (res->job_id || res->image_id || submitted == HWIMS_ETOOMANY)
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

/* A copy request that failed so may have been accepted all the same: no answer, or a server
 * failure (the transport never repeats such a POST). */
static int may_have_been_made(int sent, const hwims_error *err)
{
	if (sent == HWIMS_ETOOMANY) /* a slot wait ended on a refusal: nothing was made */
		return 0;
	return err->kind == HWIMS_ERR_NETWORK || err->kind == HWIMS_ERR_TIMEOUT ||
	       err->kind == HWIMS_ERR_SERVER || err->kind == HWIMS_ERR_CANCELLED ||
	       err->kind == HWIMS_ERR_INTERNAL /* no memory for the accepted answer */;
}

/* Note the request in the journal (when keyed), send it, and when it got no answer look for the
 * copy it may have made, so it is not orphaned. 0 once res names the job or the image; else -1
 * with err. *sent is what submit returned. */
static int request_copy(copy_op *op, const hwims_copy_spec *spec, int cross, const char *body,
                        const char *key, journal_entry **entry, int *sent, hwims_copy_result *res,
                        hwims_error *err)
{
	const hwims_log *log = hwims_client_log(op->c);
	time_t submitted = time(NULL);
	hwims_error jerr;
	if (key && journal_begin(hwims_client_config(op->c)->state_dir, key, spec, op->home,
	                         submitted, entry, &jerr) != 0)
		hwims_log_printf(
		    log, HWIMS_LOG_WARN,
		    "%s; if this create is killed, the next one cannot resume its copy",
		    jerr.message);
	*sent = submit(op, spec, cross, body, *entry, &submitted, res, err);
	if (*sent == 0) {
		if (*entry && journal_note_job(*entry, res->job_id, &jerr) != 0)
			hwims_log_printf(log, HWIMS_LOG_WARN, "%s", jerr.message);
		return 0;
	}
	if (may_have_been_made(*sent, err)) {
		hwims_error saved = *err;
		copy_find_by_name(op, spec, NULL, submitted, 0, res);
		*err = saved;
		if (res->image_id) {
			hwims_log_printf(
			    log, HWIMS_LOG_WARN,
			    "copy of %s: the copy request got no answer (%s), but image "
			    "%s, of its name and source, appeared after it: going on with "
			    "that copy",
			    spec->source_image_id, saved.message, res->image_id);
			return 0;
		}
	}
	return hwims_error_prefix(err, "copying image %s", spec->source_image_id);
}

/* From an accepted copy to a configured one read back. */
static int finish(copy_op *op, const hwims_copy_spec *spec, hwims_copy_result *res,
                  hwims_error *err)
{
	/* From here on a copy exists: throttling and server trouble cost time, never the copy.
	 * Every call retries until the create deadline instead of a fixed number of times. */
	hwims_cancel_set_persistent(op->cancel, HWIMS_PERSIST_ALL);
	if (res->job_id ? copy_wait_job(op, spec, res, err)
	                : copy_wait_image(op, res->image_id, err))
		return -1;
	if (configure(op, spec, res, err) != 0)
		return -1;
	copy_report(op, HWIMS_PHASE_READ);
	int got = copy_read_image(op, res->image_id, &res->image, err);
	if (got == HWIMS_ENOTFOUND)
		return hwims_error_set(err, HWIMS_ERR_NOT_FOUND,
		                       "copy job %s succeeded but image %s is not listed in %s",
		                       res->job_id, res->image_id, op->home);
	return got;
}

/* The copy body of spec, serialised. Caller frees; NULL when out of memory. */
static char *copy_body_text(const hwims_copy_spec *spec, int cross, const char *default_eps)
{
	json_t *b = copy_body(spec, cross, default_eps);
	char *body = b ? json_dumps(b, JSON_COMPACT) : NULL;
	json_decref(b);
	return body;
}

int hwims_image_copy_create(hwims_client *c, const hwims_copy_spec *spec,
                            const hwims_copy_options *opts, hwims_copy_result *res,
                            hwims_error *err)
{
	hwims_error local_err;
	if (!err)
		err = &local_err; /* the workflow inspects error codes */
	memset(res, 0, sizeof(*res));
	if (hwims_copy_spec_validate(spec, hwims_client_region(c), err) != 0)
		return -1;
	const char *src = copy_source_region(c, spec);
	if (!src)
		return hwims_error_set_attr(
		    err, "region",
		    "no region: set region (or HW_REGION_NAME) to say where "
		    "the source image lives");
	int cross = hwims_copy_spec_is_cross_region(spec, hwims_client_region(c));
	const char *home = cross ? spec->target_region : src;
	res->image_region = strdup(home);
	if (!res->image_region)
		return error_oom(err);
	copy_op op;
	journal_entry *entry = NULL;
	char *body = NULL;
	int rc = -1, sent = HWIMS_ERROR; /* sent: what the copy request came to */
	if (copy_op_init(&op, c, opts, src, home, opts ? opts->create_timeout_ns : 0,
	                 COPY_DEFAULT_CREATE_TIMEOUT_NS, err) != 0)
		goto out;
	/* A busy service (429, 503: nothing was done) is waited out within the create timeout
	 * even before a copy exists; anything else fails the create after the usual retries, so
	 * a wrong endpoint or credentials are reported at once. */
	hwims_cancel_set_persistent(op.cancel, HWIMS_PERSIST_BUSY);
	if (!copy_src_pid(&op, op.cancel, err))
		goto out;
	if (!(body = copy_body_text(spec, cross, hwims_client_config(c)->enterprise_project_id))) {
		error_oom(err);
		goto out;
	}
	/* The record of the copy in flight (see journal.h): first resume what a killed create of
	 * this copy left, else note the request before it goes out. Without a state directory,
	 * or one that cannot be written, the copy is made all the same, unrecorded. */
	const hwims_config *cfg = hwims_client_config(c);
	char key[JOURNAL_KEY_SIZE];
	int keyed = cfg->state_dir && journal_key(cfg, home, spec, key, NULL) == 0;
	int resumed = keyed ? copy_resume_any(&op, spec, key, &entry, res, err) : 0;
	if (resumed < 0 || (!resumed && request_copy(&op, spec, cross, body, keyed ? key : NULL,
	                                             &entry, &sent, res, err) != 0))
		goto out;
	op.p.job_id = res->job_id;
	op.p.image_id = res->image_id;
	copy_report(&op, HWIMS_PHASE_WAIT_JOB);
	/* A copy found without its job (its request went unanswered) has no job ID to hand back
	 * for a later wait: even without waiting, it is watched to the end. */
	rc = op.o->no_wait && res->job_id ? 0 : finish(&op, spec, res, err);
out:
	if (entry)
		journal_close(entry, rc == 0 || outcome_told(res, sent, err));
	copy_op_done(&op);
	free(body);
	return rc;
}
