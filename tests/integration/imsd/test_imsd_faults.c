/* imsd end to end: fault injection through flags and the /_admin/faults endpoint. */
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static itest_reply admin(itest *t, const char *method, const char *body)
{
	const char *hdrs[] = {"Content-Type: application/json", NULL};
	return itest_raw(t, method, "/_admin/faults", hdrs, body, body ? strlen(body) : 0);
}

static int list_status(itest *t)
{
	itest_reply r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages?id=" IMG_UBUNTU, NULL);
	int s = r.status;
	itest_reply_free(&r);
	return s;
}

static void test_admin_get_set_clear(void **state)
{
	itest *t = *state;
	itest_reply r = admin(t, "GET", NULL);

	assert_int_equal(r.status, 200);
	assert_true(json_number_value(json_object_get(r.json, "error_rate")) == 0);
	assert_int_equal(json_integer_value(json_object_get(r.json, "budget")), -1);
	itest_reply_free(&r);

	r = admin(t, "PUT", "{\"error_rate\":1,\"error_status\":503,\"retry_after_s\":7}");
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "error_status")), 503);
	itest_reply_free(&r);
	r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages", NULL);
	assert_int_equal(r.status, 503);
	itest_reply_free(&r);

	r = admin(t, "PUT", "{\"bogus\":1}");
	assert_int_equal(r.status, 400);
	itest_reply_free(&r);
	r = admin(t, "PUT", "{\"error_rate\":2}");
	assert_int_equal(r.status, 400);
	itest_reply_free(&r);

	r = admin(t, "DELETE", NULL);
	assert_int_equal(r.status, 200);
	itest_reply_free(&r);
	assert_int_equal(list_status(t), 200);
}

static void test_errors_throttling_and_budget(void **state)
{
	itest *t = *state;
	itest_reply r = admin(t, "PUT", "{\"error_rate\":1,\"error_status\":500,\"budget\":2}");

	assert_int_equal(r.status, 200);
	itest_reply_free(&r);
	r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages?id=" IMG_UBUNTU, NULL);
	assert_int_equal(r.status, 500);
	assert_string_equal(itest_error_code(&r), "IMG.0200");
	itest_reply_free(&r);
	assert_int_equal(list_status(t), 500);
	/* The budget is spent: back to normal. */
	assert_int_equal(list_status(t), 200);

	r = admin(t, "PUT",
	          "{\"error_rate\":0,\"throttle_rate\":1,\"retry_after_s\":3,\"budget\":-1}");
	itest_reply_free(&r);
	const char *none[] = {NULL};
	r = itest_raw(t, "GET", "/cn-north-4/v2/cloudimages", none, NULL, 0);
	assert_int_equal(r.status, 429);
	assert_string_equal(r.retry_after, "3");
	assert_string_equal(itest_error_code(&r), "APIGW.0308");
	itest_reply_free(&r);

	/* Faults limited to a path pattern leave other paths alone. */
	r = admin(t, "PUT", "{\"path_pattern\":\"*/jobs/*\"}");
	itest_reply_free(&r);
	assert_int_equal(list_status(t), 200);
	r = itest_call(t, "GET", "/cn-north-4/v1/" NORTH4_PID "/jobs/abc", NULL);
	assert_int_equal(r.status, 429);
	itest_reply_free(&r);
	r = admin(t, "DELETE", NULL);
	itest_reply_free(&r);
}

static void test_drop_and_latency(void **state)
{
	itest *t = *state;
	itest_reply r = admin(t, "PUT", "{\"drop_rate\":1,\"budget\":1}");

	itest_reply_free(&r);
	/* A fresh connection: curl would silently resend on a reused one that died. */
	r = itest_raw(t, "GET", "/cn-north-4/v2/cloudimages", NULL, NULL, 0);
	assert_int_equal(r.status, 0); /* no answer at all */
	itest_reply_free(&r);
	assert_int_equal(list_status(t), 200);

	r = admin(t, "PUT", "{\"latency_ms\":300,\"budget\":1}");
	itest_reply_free(&r);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(list_status(t), 200);
	clock_gettime(CLOCK_MONOTONIC, &b);
	/* Not a timing assertion on the server's speed: only that the delay was applied. */
	assert_true((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 >= 300);
	r = admin(t, "DELETE", NULL);
	itest_reply_free(&r);
}

static void test_fail_pattern_at_run_time(void **state)
{
	itest *t = *state;
	itest_reply r = admin(t, "PUT", "{\"fail_name_pattern\":\"boom-*\"}");

	assert_int_equal(r.status, 200);
	assert_string_equal(itest_str(r.json, "fail_name_pattern"), "boom-*");
	itest_reply_free(&r);
	char *jid = itest_copy(t, NORTH4, IMG_UBUNTU, "boom-1");
	json_t *job = itest_wait_job(t, NORTH4, NORTH4_PID, jid);
	assert_string_equal(itest_str(job, "status"), "FAIL");
	json_decref(job);
	free(jid);
	/* The run-time pattern replaces the seed's "*-fail". */
	jid = itest_copy(t, NORTH4, IMG_UBUNTU, "fine-fail");
	job = itest_wait_job(t, NORTH4, NORTH4_PID, jid);
	assert_string_equal(itest_str(job, "status"), "SUCCESS");
	json_decref(job);
	free(jid);
	r = admin(t, "DELETE", NULL);
	itest_reply_free(&r);
}

static void test_fault_flags(void **state)
{
	itest t2;
	const char *args[] = {"--fault-429-rate", "1", "--fault-retry-after", "2", NULL};

	(void)state;
	assert_int_equal(itest_start(&t2, NULL, 100, args), 0);
	itest_reply r = itest_call(&t2, "GET", "/cn-north-4/v2/cloudimages", NULL);
	assert_int_equal(r.status, 429);
	itest_reply_free(&r);
	/* Without --admin the admin API is absent. */
	r = admin(&t2, "GET", NULL);
	assert_int_equal(r.status, 404);
	itest_reply_free(&r);
	itest_stop(&t2, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_admin_get_set_clear),
	    cmocka_unit_test(test_errors_throttling_and_budget),
	    cmocka_unit_test(test_drop_and_latency),
	    cmocka_unit_test(test_fail_pattern_at_run_time),
	    cmocka_unit_test(test_fault_flags),
	};
	return cmocka_run_group_tests(tests, itest_group_setup_admin, itest_group_teardown);
}
