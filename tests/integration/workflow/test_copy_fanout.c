/* Fan-out against a real imsd: more cross-region copies at once than the service's quota of 5,
 * a service answering half of all requests with 429, and refusals that waiting cannot fix. A
 * copy refused as one too many at once is waited for, never failed; a busy service costs time,
 * never a copy; every copy is made exactly once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>

#include <jansson.h>

#include "wf_support.h"

#define FANOUT 8 /* > imsd's default quota of 5 concurrent cross-region copies */

typedef struct fan {
	hwims_client *client;
	char name[64];
	const char *target; /* NULL: within the region */
	const char *source;
	int64_t timeout_ns;
	hwims_cancel *cancel;
	int rc;
	hwims_error err;
	hwims_copy_result res;
} fan;

static void fan_spec(const fan *f, hwims_copy_spec *s)
{
	wf_spec(s, f->source, f->name);
	if (f->target) {
		assert_int_equal(hwims_copy_spec_set(&s->target_region, f->target, NULL), 0);
		assert_int_equal(hwims_copy_spec_set(&s->agency_name, WF_AGENCY, NULL), 0);
	}
}

static void *fan_main(void *p)
{
	fan *f = p;
	hwims_copy_spec s;
	fan_spec(f, &s);
	hwims_copy_options o;
	memset(&o, 0, sizeof(o));
	o.create_timeout_ns = f->timeout_ns;
	o.cancel = f->cancel;
	f->rc = hwims_image_copy_create(f->client, &s, &o, &f->res, &f->err);
	hwims_copy_spec_free(&s);
	return NULL;
}

/* How many private images named name live in region. */
static size_t count_named(hwims_client *c, const char *region, const char *name)
{
	hwims_image **imgs = NULL;
	size_t n = 0;
	hwims_error err;
	if (hwims_image_list(c, region, name, NULL, &imgs, &n, &err) != 0)
		fail_msg("listing %s in %s: %s", name, region, err.message);
	for (size_t i = 0; i < n; i++)
		hwims_image_free(imgs[i]);
	free(imgs);
	return n;
}

static void more_cross_region_copies_than_slots_all_succeed(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	fan fans[FANOUT];
	pthread_t t[FANOUT];
	memset(fans, 0, sizeof(fans));
	for (int i = 0; i < FANOUT; i++) {
		fans[i].client = env->client;
		fans[i].source = WF_DATA_DISK; /* 10 GiB: its job runs long enough to hold a slot */
		fans[i].target = WF_REGION2;
		snprintf(fans[i].name, sizeof(fans[i].name), "fanout-%d", i);
		pthread_create(&t[i], NULL, fan_main, &fans[i]);
	}
	int waits = 0;
	for (int i = 0; i < FANOUT; i++) {
		pthread_join(t[i], NULL);
		if (fans[i].rc != 0)
			fail_msg("%s: %s", fans[i].name, fans[i].err.message);
		assert_non_null(fans[i].res.image);
		assert_string_equal(fans[i].res.image_region, WF_REGION2);
		waits += fans[i].res.slot_waits;
	}
	/* The quota was really hit and waited out, and every copy exists exactly once. */
	assert_true(waits >= FANOUT - 5);
	for (int i = 0; i < FANOUT; i++) {
		assert_int_equal(count_named(env->client, WF_REGION2, fans[i].name), 1);
		hwims_copy_result_free(&fans[i].res);
	}
}

static void busy_service_costs_time_not_copies(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	/* One retry per call and half of all answers 429: without waiting out a busy service
	   for the whole create, almost every create would fail somewhere. */
	hwims_client *c = wf_client_env(env->imsd.base_url, 20000, "HW_MAX_RETRIES=1");
	wf_faults(env, "{\"throttle_rate\": 0.5, \"retry_after_s\": 0}");
	fan fans[4];
	pthread_t t[4];
	memset(fans, 0, sizeof(fans));
	for (int i = 0; i < 4; i++) {
		fans[i].client = c;
		fans[i].source = WF_UBUNTU;
		fans[i].target = i % 2 ? WF_REGION2 : NULL;
		snprintf(fans[i].name, sizeof(fans[i].name), "throttled-%d", i);
		pthread_create(&t[i], NULL, fan_main, &fans[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	wf_faults(env, "{\"throttle_rate\": 0}");
	for (int i = 0; i < 4; i++) {
		if (fans[i].rc != 0)
			fail_msg("%s: %s", fans[i].name, fans[i].err.message);
		assert_non_null(fans[i].res.image);
		assert_int_equal(
		    count_named(c, fans[i].target ? WF_REGION2 : WF_REGION, fans[i].name), 1);
		hwims_copy_result_free(&fans[i].res);
	}
	hwims_client_free(c);
}

/* Fill every cross-region slot with copies of the 100 GiB image (10 s each at time scale
   100), without waiting for them. */
static void hold_all_slots(wf_env *env, const char *prefix)
{
	for (int i = 0; i < 5; i++) {
		hwims_copy_spec s;
		char name[64];
		snprintf(name, sizeof(name), "%s-%d", prefix, i);
		wf_spec(&s, WF_LARGE, name);
		assert_int_equal(hwims_copy_spec_set(&s.target_region, WF_REGION2, NULL), 0);
		assert_int_equal(hwims_copy_spec_set(&s.agency_name, WF_AGENCY, NULL), 0);
		wf_submit(env, &s);
		hwims_copy_spec_free(&s);
	}
}

static void slot_wait_that_runs_out_made_nothing(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	hold_all_slots(env, "slot-holder");
	fan f;
	memset(&f, 0, sizeof(f));
	f.client = env->client;
	f.source = WF_UBUNTU;
	f.target = WF_REGION2;
	f.timeout_ns = 1500 * 1000000LL;
	snprintf(f.name, sizeof(f.name), "slot-starved");
	fan_main(&f);
	assert_int_equal(f.rc, -1);
	assert_int_equal(f.err.kind, HWIMS_ERR_TIMEOUT);
	assert_string_equal(f.err.code, "IMG.0060");
	assert_non_null(strstr(f.err.message, "no copy was made"));
	assert_true(f.res.slot_waits >= 1);
	assert_null(f.res.job_id);
	assert_null(f.res.image_id);
	assert_int_equal(count_named(env->client, WF_REGION2, "slot-starved"), 0);
	hwims_copy_result_free(&f.res);
}

static void *cancel_soon(void *p)
{
	hwims_cancel_sleep(NULL, 300);
	hwims_cancel_trigger(p);
	return NULL;
}

/* Runs right after slot_wait_that_runs_out_made_nothing, whose slot holders still run. */
static void slot_wait_is_cancellable(void **state)
{
	wf_env *env = wf_env_or_skip(state);
	fan f;
	memset(&f, 0, sizeof(f));
	hwims_error err;
	assert_int_equal(hwims_cancel_new(&f.cancel, &err), 0);
	f.client = env->client;
	f.source = WF_UBUNTU;
	f.target = WF_REGION2;
	snprintf(f.name, sizeof(f.name), "slot-cancelled");
	pthread_t t;
	pthread_create(&t, NULL, cancel_soon, f.cancel);
	fan_main(&f);
	pthread_join(t, NULL);
	assert_int_equal(f.rc, -1);
	assert_int_equal(f.err.kind, HWIMS_ERR_CANCELLED);
	assert_non_null(strstr(f.err.message, "no copy was made"));
	assert_null(f.res.job_id);
	assert_int_equal(count_named(env->client, WF_REGION2, "slot-cancelled"), 0);
	hwims_copy_result_free(&f.res);
	hwims_cancel_free(f.cancel);
}

/* imsd's built-in seed with quotas.private_images_per_region set to 1, written to a file in
   dir. Caller frees the path. */
static char *seed_with_quota_of_one(const char *dir)
{
	return wf_seed_with(dir, "{\"quotas\": {\"private_images_per_region\": 1, "
	                         "\"concurrent_cross_region_copies\": 5}}");
}

static void quota_refusal_fails_at_once_with_advice(void **state)
{
	if (!wf_env_or_skip(state))
		return;
	char *dir = hwims_test_mkdtemp("hwims-quota");
	assert_non_null(dir);
	char *seed = seed_with_quota_of_one(dir);
	const char *args[] = {"--seed", seed, NULL};
	hwims_test_imsd d;
	memset(&d, 0, sizeof(d));
	assert_int_equal(hwims_test_imsd_start(&d, NULL, 100, args), 0);
	hwims_client *c = wf_client_for(d.base_url);
	fan f;
	memset(&f, 0, sizeof(f));
	f.client = c;
	f.source = WF_UBUNTU;
	snprintf(f.name, sizeof(f.name), "over-quota");
	fan_main(&f);
	assert_int_equal(f.rc, -1);
	assert_int_equal(f.err.kind, HWIMS_ERR_INVALID);
	assert_string_equal(f.err.code, "IMG.0015");
	assert_non_null(strstr(f.err.message, "quota"));
	assert_non_null(strstr(f.err.message, "delete private images"));
	assert_int_equal(f.res.slot_waits, 0);
	assert_null(f.res.job_id);
	hwims_copy_result_free(&f.res);
	hwims_client_free(c);
	hwims_test_imsd_stop(&d);
	hwims_test_rmtree(dir);
	free(seed);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(more_cross_region_copies_than_slots_all_succeed),
	    cmocka_unit_test(busy_service_costs_time_not_copies),
	    cmocka_unit_test(quota_refusal_fails_at_once_with_advice),
	    /* the first takes every cross-region slot for 10 s, the second relies on that */
	    cmocka_unit_test(slot_wait_that_runs_out_made_nothing),
	    cmocka_unit_test(slot_wait_is_cancellable),
	};
	return cmocka_run_group_tests(tests, wf_setup, wf_teardown);
}
