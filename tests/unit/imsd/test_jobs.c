/* Unit tests of jobs.c: timing plan, states from the clock, the job object. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jobs.h"

#define GIB (1024LL * 1024 * 1024)

static void test_plan_follows_size_throughput_and_scale(void **state)
{
	imsd_job j;

	(void)state;
	memset(&j, 0, sizeof(j));
	/* 2 GiB at 100 MiB/s: 1 s INIT then 20.48 s. */
	imsd_job_plan(&j, 1000, 2 * GIB, 100, 0, 1);
	assert_true(j.begin_at == 1000);
	assert_true(j.init_end == 1001);
	assert_true(j.end_at > 1021.47 && j.end_at < 1021.49);
	/* Cross-region copies are twice as slow; the time scale divides everything. */
	imsd_job_plan(&j, 1000, 2 * GIB, 100, 1, 100);
	assert_true(j.init_end > 1000.0099 && j.init_end < 1000.0101);
	assert_true(j.end_at - j.init_end > 0.4095 && j.end_at - j.init_end < 0.4097);
	/* Empty images still take a moment. */
	imsd_job_plan(&j, 0, 0, 100, 0, 1);
	assert_true(j.end_at == 2);
}

static void test_states_from_the_clock(void **state)
{
	imsd_job j;
	double p;

	(void)state;
	memset(&j, 0, sizeof(j));
	imsd_job_plan(&j, 0, 10 * 100 * 1024 * 1024LL, 100, 0, 1); /* 1 s + 10 s */
	assert_int_equal(imsd_job_state_at(&j, 0.5, &p), IMSD_JOB_INIT);
	assert_true(p == 0);
	assert_int_equal(imsd_job_state_at(&j, 6, &p), IMSD_JOB_RUNNING);
	assert_true(p > 49.9 && p < 50.1);
	assert_int_equal(imsd_job_state_at(&j, 11, &p), IMSD_JOB_SUCCESS);
	assert_true(p == 100);
	j.fail = 1;
	imsd_job_plan(&j, 0, 10 * 100 * 1024 * 1024LL, 100, 0, 1);
	assert_int_equal(imsd_job_state_at(&j, 5, NULL), IMSD_JOB_RUNNING);
	assert_int_equal(imsd_job_state_at(&j, 6.5, NULL), IMSD_JOB_FAIL);
	assert_string_equal(imsd_job_state_name(IMSD_JOB_FAIL), "FAIL");
}

static void test_job_object(void **state)
{
	imsd_job j;

	(void)state;
	memset(&j, 0, sizeof(j));
	strcpy(j.id, "0123456789abcdef0123456789abcdef");
	strcpy(j.job_type, IMSD_JOB_IN_REGION);
	strcpy(j.image_id, "img-1");
	j.image_name = (char *)"copy";
	imsd_job_plan(&j, 1700000000, 0, 100, 0, 1);

	json_t *o = imsd_job_json(&j, 1700000000.5, 1);
	assert_string_equal(json_string_value(json_object_get(o, "status")), "INIT");
	assert_true(json_is_null(json_object_get(o, "end_time")));
	assert_true(json_is_null(json_object_get(o, "fail_reason")));
	json_t *ent = json_object_get(o, "entities");
	assert_null(json_object_get(ent, "image_id"));
	assert_true(json_is_real(json_object_get(ent, "process_percent")));
	assert_string_equal(json_string_value(json_object_get(o, "begin_time")),
	                    "2023-11-14T22:13:20.000Z");
	json_decref(o);

	o = imsd_job_json(&j, 1700000100, 0);
	assert_string_equal(json_string_value(json_object_get(o, "status")), "SUCCESS");
	ent = json_object_get(o, "entities");
	assert_string_equal(json_string_value(json_object_get(ent, "image_id")), "img-1");
	assert_string_equal(json_string_value(json_object_get(ent, "image_name")), "copy");
	assert_null(json_object_get(ent, "process_percent"));
	assert_true(json_is_string(json_object_get(o, "end_time")));
	json_decref(o);

	j.fail = 1;
	strcpy(j.error_code, "IMG.0180");
	j.fail_reason = (char *)"broken";
	o = imsd_job_json(&j, 1700000100, 0);
	assert_string_equal(json_string_value(json_object_get(o, "status")), "FAIL");
	assert_string_equal(json_string_value(json_object_get(o, "error_code")), "IMG.0180");
	assert_string_equal(json_string_value(json_object_get(o, "fail_reason")), "broken");
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plan_follows_size_throughput_and_scale),
	    cmocka_unit_test(test_states_from_the_clock),
	    cmocka_unit_test(test_job_object),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
