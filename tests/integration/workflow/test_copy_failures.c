/* The workflow when things go wrong: a failing job, a timeout, a cancellation from another
 * thread, throttling and server errors while polling, and requests the service refuses. In
 * every case a copy that was started is reported with its job and image IDs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <time.h>

#include "wf_support.h"

static void failing_job_reports_code_and_reason(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_copy_spec s;
	wf_spec(&s, WF_UBUNTU, "broken-fail");
	hwims_copy_result r;
	hwims_error err;
	assert_int_equal(hwims_image_copy_create(env->client, &s, NULL, &r, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_JOB_FAILED);
	assert_non_null(r.job_id);
	assert_int_equal(r.job_state, HWIMS_JOB_FAIL);
	assert_non_null(r.job_error_code);
	assert_non_null(r.job_fail_reason);
	assert_string_equal(err.code, r.job_error_code);
	assert_non_null(strstr(err.message, r.job_id));
	assert_non_null(strstr(err.message, r.job_fail_reason));
	assert_null(r.image);
	hwims_copy_spec_free(&s);
	hwims_copy_result_free(&r);
}

static void timeout_reports_job_and_image(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_copy_spec s;
	wf_spec(&s, WF_LARGE, "centos-large-copy"); /* 100 GiB: 10 s at time scale 100 */
	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	o.create_timeout_ns = 300 * 1000000LL;
	hwims_copy_result r;
	hwims_error err;
	assert_int_equal(hwims_image_copy_create(env->client, &s, &o, &r, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_TIMEOUT);
	assert_non_null(r.job_id);
	assert_non_null(r.image_id);
	assert_non_null(strstr(err.message, r.job_id));
	assert_non_null(strstr(err.message, r.image_id));
	/* the reported image really is the copy being made */
	hwims_image *img = NULL;
	assert_int_equal(hwims_image_copy_read(env->client, &s, r.image_id, NULL, &img, &err), 0);
	assert_string_equal(hwims_image_str(img, "name"), "centos-large-copy");
	assert_string_not_equal(hwims_image_str(img, "status"), "active");
	hwims_image_free(img);
	hwims_copy_spec_free(&s);
	hwims_copy_result_free(&r);
}

typedef struct watched {
	int with_image;  /* progress reports that named the image */
	char status[32]; /* the image status last reported */
} watched;

static void watch(void *userdata, const hwims_progress *p)
{
	watched *w = userdata;
	if (p->phase == HWIMS_PHASE_WAIT_JOB && p->image_id && p->image_status) {
		w->with_image++;
		snprintf(w->status, sizeof(w->status), "%s", p->image_status);
	}
}

static void watching_names_the_image_before_the_job_ends(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_copy_spec s;
	wf_spec(&s, WF_LARGE, "centos-watched-copy");
	watched w;
	memset(&w, 0, sizeof(w));
	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	o.create_timeout_ns = 3000 * 1000000LL; /* the job takes 10 s */
	o.watch_image_status = 1;
	o.progress = watch;
	o.progress_userdata = &w;
	hwims_copy_result r;
	hwims_error err;
	assert_int_equal(hwims_image_copy_create(env->client, &s, &o, &r, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_TIMEOUT);
	assert_true(w.with_image > 0);
	assert_true(strcmp(w.status, "queued") == 0 || strcmp(w.status, "saving") == 0);
	assert_non_null(r.image_id);
	hwims_copy_spec_free(&s);
	hwims_copy_result_free(&r);
}

static void *cancel_later(void *arg)
{
	struct timespec ts = {0, 300 * 1000 * 1000};
	nanosleep(&ts, NULL);
	hwims_cancel_trigger(arg);
	return NULL;
}

static void cancel_from_another_thread(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_copy_spec s;
	wf_spec(&s, WF_LARGE, "centos-cancelled-copy");
	hwims_cancel *cancel = NULL;
	assert_int_equal(hwims_cancel_new(&cancel, NULL), 0);
	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	o.cancel = cancel;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, cancel_later, cancel), 0);
	hwims_copy_result r;
	hwims_error err;
	assert_int_equal(hwims_image_copy_create(env->client, &s, &o, &r, &err), -1);
	pthread_join(t, NULL);
	assert_int_equal(err.kind, HWIMS_ERR_CANCELLED);
	assert_non_null(r.job_id);
	assert_non_null(r.image_id);
	assert_non_null(strstr(err.message, r.image_id));
	hwims_cancel_free(cancel);
	hwims_copy_spec_free(&s);
	hwims_copy_result_free(&r);
}

static void create_and_delete(wf_env *env, const char *name)
{
	hwims_copy_spec s;
	wf_spec(&s, WF_UBUNTU, name);
	hwims_copy_result r;
	hwims_error err;
	uint64_t before = hwims_client_calls(env->client);
	if (hwims_image_copy_create(env->client, &s, NULL, &r, &err) != 0)
		fail_msg("create under faults: %s", err.message);
	/* the nine faulted answers were really sent and retried */
	assert_true(hwims_client_calls(env->client) - before >= 9 + 4);
	assert_int_equal(r.job_state, HWIMS_JOB_SUCCESS);
	assert_non_null(r.image);
	wf_faults(env, "{\"throttle_rate\": 0, \"error_rate\": 0, \"budget\": -1}");
	assert_int_equal(hwims_image_copy_delete(env->client, &s, r.image_id, NULL, &err), 0);
	hwims_copy_spec_free(&s);
	hwims_copy_result_free(&r);
}

static void throttling_while_polling_does_not_fail_the_wait(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	/* more 429s in a row than the transport retries: the wait rides them out */
	wf_faults(env, "{\"throttle_rate\": 1, \"retry_after_s\": 0, \"budget\": 9, "
	               "\"path_pattern\": \"*job*\"}");
	create_and_delete(env, "throttled-copy");
}

static void server_errors_while_polling_do_not_fail_the_wait(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	wf_faults(env, "{\"error_rate\": 1, \"error_status\": 0, \"budget\": 9, "
	               "\"path_pattern\": \"*job*\"}");
	create_and_delete(env, "server-error-copy");
}

/* The job progress endpoint is a hint: when it fails (here a 500 every time), the wait asks
 * the project-scoped job API at once, and the client never asks the failing endpoint again. */
static void a_failing_progress_endpoint_is_left_for_the_job_api(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_client *c = wf_client_for(env->imsd.base_url);
	wf_faults(env, "{\"error_rate\": 1, \"error_status\": 500, \"budget\": 1000, "
	               "\"path_pattern\": \"*/v1/cloudimages/job/*\"}");
	for (int i = 0; i < 2; i++) {
		hwims_copy_spec s;
		wf_spec(&s, WF_UBUNTU, i ? "progress-down-2" : "progress-down-1");
		hwims_copy_result r;
		hwims_error err;
		if (hwims_image_copy_create(c, &s, NULL, &r, &err) != 0)
			fail_msg("create with the progress endpoint failing: %s", err.message);
		assert_int_equal(r.job_state, HWIMS_JOB_SUCCESS);
		assert_non_null(r.image);
		hwims_copy_job job;
		assert_int_equal(hwims_copy_job_get(c, NULL, r.job_id, NULL, &job, &err), 0);
		assert_string_equal(job.status, "SUCCESS");
		assert_true(job.percent < 0); /* the project-scoped API has no percentage */
		hwims_copy_job_free(&job);
		hwims_copy_spec_free(&s);
		hwims_copy_result_free(&r);
	}
	/* one attempt at the endpoint in all: no retries of it, and no second try */
	assert_int_equal(wf_admin_faults(env, "GET", NULL), 999);
	wf_faults(env, "{\"error_rate\": 0, \"budget\": -1, \"path_pattern\": \"\"}");
	hwims_client_free(c);
}

/* An enterprise-project move that takes longer than the update may wait (the seed's
 * eps_migration_s, 3600 s at time scale 100: 36 s) ends the update with the move's state:
 * past its timeout, and when cancelled. The move itself was accepted and goes on. */
static void eps_move_that_does_not_finish_says_where_it_stands(void **state)
{
	(void)state;
	if (access(HWIMS_BIN_DIR "/imsd", X_OK) != 0)
		skip();
	char *dir = hwims_test_mkdtemp("hwims-eps-slow");
	assert_non_null(dir);
	char *seed = wf_seed_with(dir, "{\"eps_migration_s\": 3600}");
	const char *args[] = {"--seed", seed, NULL};
	wf_env env;
	memset(&env, 0, sizeof(env));
	assert_int_equal(hwims_test_imsd_start(&env.imsd, NULL, 100, args), 0);
	hwims_client *c = wf_client_for(env.imsd.base_url);
	hwims_copy_spec s;
	wf_spec(&s, WF_UBUNTU, "slow-eps-move");
	hwims_copy_result r;
	hwims_error err;
	assert_int_equal(hwims_image_copy_create(c, &s, NULL, &r, &err), 0);
	hwims_copy_spec moved;
	wf_spec(&moved, WF_UBUNTU, "slow-eps-move");
	assert_int_equal(hwims_copy_spec_set(&moved.enterprise_project_id, WF_EPS_PROD, NULL), 0);

	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	o.update_timeout_ns = 2LL * 1000 * 1000 * 1000;
	assert_int_equal(hwims_image_copy_update(c, &s, &moved, r.image_id, &o, NULL, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_TIMEOUT);
	if (!strstr(err.message, "did not complete within 2s: EPS does not list it there yet, and "
	                         "IMS still shows the image in enterprise project 0"))
		fail_msg("timeout message: %s", err.message);

	hwims_cancel *cancel = NULL;
	assert_int_equal(hwims_cancel_new(&cancel, NULL), 0);
	o.update_timeout_ns = 0;
	o.cancel = cancel;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, cancel_later, cancel), 0);
	assert_int_equal(hwims_image_copy_update(c, &s, &moved, r.image_id, &o, NULL, &err), -1);
	pthread_join(t, NULL);
	assert_int_equal(err.kind, HWIMS_ERR_CANCELLED);
	assert_non_null(strstr(err.message, "IMS still shows the image in enterprise project 0"));

	hwims_cancel_free(cancel);
	hwims_copy_spec_free(&moved);
	hwims_copy_spec_free(&s);
	hwims_copy_result_free(&r);
	hwims_client_free(c);
	hwims_test_imsd_stop(&env.imsd);
	hwims_test_rmtree(dir);
	free(dir);
	free(seed);
}

/* The first image status the create reported while it waited (caller frees). */
static void first_status(void *userdata, const hwims_progress *p)
{
	char **seen = userdata;
	if (!*seen && p->image_status && *p->image_status)
		*seen = strdup(p->image_status);
}

/* Copy source as name through a client that gives up after 1 s while imsd answers the copy
 * request after 2.5 s: the outcome is unknown to the client, which must not repeat the POST,
 * and must find the one copy that was made and go on with it to the end. Returns the status
 * the copy had when it was found. Caller frees. */
static char *unanswered_copy_is_found(wf_env *env, const char *source, const char *name)
{
	hwims_client *impatient = wf_client_with(env->imsd.base_url, 1000);
	wf_faults(env, "{\"latency_ms\": 2500, \"budget\": 1, \"path_pattern\": \"*/copy\"}");
	hwims_copy_spec s;
	wf_spec(&s, source, name);
	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	char *status = NULL;
	o.progress = first_status;
	o.progress_userdata = &status;
	hwims_copy_result r;
	hwims_error err;
	if (hwims_image_copy_create(impatient, &s, &o, &r, &err) != 0)
		fail_msg("unanswered copy: %s", err.message);
	assert_null(r.job_id);
	assert_non_null(r.image_id);
	assert_non_null(r.image);
	assert_string_equal(hwims_image_str(r.image, "status"), "active");
	/* exactly one copy was made, and it is the one returned */
	hwims_image **images = NULL;
	size_t n = 0;
	assert_int_equal(hwims_image_list(env->client, NULL, name, NULL, &images, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(hwims_image_id(images[0]), r.image_id);
	hwims_image_free(images[0]);
	free(images);
	wf_faults(env, "{\"latency_ms\": 0, \"budget\": -1, \"path_pattern\": \"\"}");
	hwims_copy_spec_free(&s);
	hwims_copy_result_free(&r);
	hwims_client_free(impatient);
	assert_non_null(status);
	return status;
}

static void unanswered_copy_request_still_names_the_image(void **state)
{
	/* 100 GiB: still being made when the lookup runs */
	char *status =
	    unanswered_copy_is_found(wf_env_or_skip(state), WF_LARGE, "centos-unanswered-copy");
	assert_string_not_equal(status, "active");
	free(status);
}

static void unanswered_copy_request_finds_a_finished_copy(void **state)
{
	/* 2 GiB: already active when the lookup runs, and found all the same */
	char *status =
	    unanswered_copy_is_found(wf_env_or_skip(state), WF_UBUNTU, "ubuntu-unanswered-copy");
	assert_string_equal(status, "active");
	free(status);
}

/* The connection breaks after imsd made the copy (a reset on the way back): the create goes on
 * with the copy it finds and ends in success, with one copy made. */
static void lost_answer_to_the_copy_request(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	wf_faults(env, "{\"lost_answer_rate\": 1, \"budget\": 1, \"path_pattern\": \"*/copy\"}");
	hwims_copy_spec s;
	wf_spec(&s, WF_UBUNTU, "ubuntu-lost-answer");
	hwims_copy_result r;
	hwims_error err;
	if (hwims_image_copy_create(env->client, &s, NULL, &r, &err) != 0)
		fail_msg("lost answer: %s", err.message);
	wf_faults(env, "{\"lost_answer_rate\": 0, \"budget\": -1, \"path_pattern\": \"\"}");
	assert_null(r.job_id);
	assert_string_equal(hwims_image_str(r.image, "status"), "active");
	hwims_image **images = NULL;
	size_t n = 0;
	assert_int_equal(hwims_image_list(env->client, NULL, s.name, NULL, &images, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(hwims_image_id(images[0]), r.image_id);
	hwims_image_free(images[0]);
	free(images);
	hwims_copy_result_free(&r);
	hwims_copy_spec_free(&s);
}

/* An import is bounded by the read timeout, like a refresh: a stalled answer is cut there,
 * not after the request timeout (20 s here) and its retries. */
static void import_is_bound_by_the_read_timeout(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_copy_spec s;
	wf_spec(&s, WF_UBUNTU, "ubuntu-import-stalled");
	hwims_copy_result r;
	hwims_error err;
	assert_int_equal(hwims_image_copy_create(env->client, &s, NULL, &r, &err), 0);
	char import_id[128];
	snprintf(import_id, sizeof(import_id), WF_REGION "/%s", r.image_id);
	wf_faults(env,
	          "{\"latency_ms\": 8000, \"budget\": 1, \"path_pattern\": \"*/v2/cloudimages\"}");
	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	o.read_timeout_ns = 1000000000LL;
	hwims_copy_spec got;
	time_t start = time(NULL);
	assert_int_equal(hwims_image_copy_import(env->client, import_id, &o, &got, NULL, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_TIMEOUT);
	assert_true(time(NULL) - start < 5); /* not hung for the 8 s the answer takes */
	wf_faults(env, "{\"latency_ms\": 0, \"budget\": -1, \"path_pattern\": \"\"}");
	hwims_copy_result_free(&r);
	hwims_copy_spec_free(&s);
}

static void expect_refusal(wf_env *env, hwims_copy_spec *s, hwims_error_kind kind)
{
	hwims_copy_result r;
	hwims_error err;
	assert_int_equal(hwims_image_copy_create(env->client, s, NULL, &r, &err), -1);
	assert_int_equal(err.kind, kind);
	assert_true(err.http_status >= 400);
	assert_true(strncmp(err.code, "IMG.", 4) == 0);
	assert_null(r.job_id);
	hwims_copy_spec_free(s);
	hwims_copy_result_free(&r);
}

static void refused_copies(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hwims_copy_spec s;
	wf_spec(&s, WF_ISO, "iso-copy"); /* ISO images cannot be copied */
	expect_refusal(env, &s, HWIMS_ERR_INVALID);
	wf_spec(&s, "00000000-0000-4000-8000-000000000000", "ghost-copy");
	expect_refusal(env, &s, HWIMS_ERR_INVALID);
	wf_spec(&s, WF_UBUNTU, "disabled-key-copy");
	hwims_copy_spec_set(&s.kms_key_id, "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d03", NULL);
	expect_refusal(env, &s, HWIMS_ERR_INVALID);
}

/* Start a copy of source named name without waiting and find the new image by name (IMS names
 * it in the job only on success), as a destroy right after an interrupted create sees it. */
static char *start_copy(wf_env *env, const char *source, const char *name)
{
	hwims_copy_spec s;
	wf_spec(&s, source, name);
	wf_submit(env, &s);
	hwims_copy_spec_free(&s);
	hwims_error err;
	hwims_image **imgs = NULL;
	size_t n = 0;
	assert_int_equal(hwims_image_list(env->client, NULL, name, NULL, &imgs, &n, &err), 0);
	assert_int_equal(n, 1);
	char *id = strdup(hwims_image_str(imgs[0], "id"));
	hwims_image_free(imgs[0]);
	free(imgs);
	return id;
}

static void delete_waits_for_the_copy_job(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	/* 10 GiB: its job runs about a second at time scale 100; IMS refuses the DELETE with
	   IMG.0090 until then. */
	char *id = start_copy(env, WF_DATA_DISK, "deleted-while-copying");
	hwims_error err;
	if (hwims_image_copy_delete(env->client, NULL, id, NULL, &err) != 0)
		fail_msg("delete: %s", err.message);
	hwims_image *img = NULL;
	assert_int_equal(hwims_image_copy_read(env->client, NULL, id, NULL, &img, &err),
	                 HWIMS_ENOTFOUND);
	free(id);
}

static void delete_timeout_while_the_job_runs_says_so(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	char *id = start_copy(env, WF_LARGE, "still-copying"); /* 100 GiB: 10 s */
	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	o.delete_timeout_ns = 500 * 1000000LL;
	hwims_error err;
	assert_int_equal(hwims_image_copy_delete(env->client, NULL, id, &o, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_TIMEOUT);
	assert_non_null(strstr(err.message, id));
	assert_non_null(strstr(err.message, "still being created"));
	assert_non_null(strstr(err.message, "not deleted"));
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(failing_job_reports_code_and_reason),
	    cmocka_unit_test(timeout_reports_job_and_image),
	    cmocka_unit_test(cancel_from_another_thread),
	    cmocka_unit_test(watching_names_the_image_before_the_job_ends),
	    cmocka_unit_test(throttling_while_polling_does_not_fail_the_wait),
	    cmocka_unit_test(server_errors_while_polling_do_not_fail_the_wait),
	    cmocka_unit_test(a_failing_progress_endpoint_is_left_for_the_job_api),
	    cmocka_unit_test(eps_move_that_does_not_finish_says_where_it_stands),
	    cmocka_unit_test(unanswered_copy_request_still_names_the_image),
	    cmocka_unit_test(unanswered_copy_request_finds_a_finished_copy),
	    cmocka_unit_test(lost_answer_to_the_copy_request),
	    cmocka_unit_test(import_is_bound_by_the_read_timeout),
	    cmocka_unit_test(refused_copies),
	    cmocka_unit_test(delete_waits_for_the_copy_job),
	    cmocka_unit_test(delete_timeout_while_the_job_runs_says_so),
	};
	return cmocka_run_group_tests_name("workflow failures", tests, wf_setup, wf_teardown);
}
