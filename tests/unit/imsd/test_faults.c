/* Unit tests of faults.c: settings from JSON, decisions, budget and path pattern. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "faults.h"

static int update(imsd_fault_settings *s, const char *json)
{
	json_t *j = json_loads(json, 0, NULL);
	hwims_error err;
	int rc = imsd_fault_settings_update(s, j, &err);
	json_decref(j);
	return rc;
}

static void test_settings_from_json(void **state)
{
	imsd_fault_settings s;

	(void)state;
	imsd_fault_settings_defaults(&s);
	assert_int_equal(update(&s, "{\"error_rate\":0.5,\"error_status\":503,\"latency_ms\":20,"
	                            "\"path_pattern\":\"*/jobs/*\",\"fail_name_pattern\":\"x*\"}"),
	                 0);
	assert_true(s.error_rate == 0.5);
	assert_int_equal(s.error_status, 503);
	assert_int_equal(s.latency_ms, 20);
	assert_string_equal(s.path_pattern, "*/jobs/*");
	assert_true(s.fail_pattern_set);
	/* Refused updates change nothing. */
	assert_int_equal(update(&s, "{\"error_rate\":0.1,\"drop_rate\":1.5}"), -1);
	assert_true(s.error_rate == 0.5);
	assert_int_equal(update(&s, "{\"error_status\":404}"), -1);
	assert_int_equal(update(&s, "{\"nope\":1}"), -1);
	assert_int_equal(update(&s, "[]"), -1);
	assert_int_equal(update(&s, "{\"fail_name_pattern\":null}"), 0);
	assert_false(s.fail_pattern_set);

	json_t *j = imsd_fault_settings_json(&s);
	assert_true(json_is_null(json_object_get(j, "fail_name_pattern")));
	assert_int_equal(json_integer_value(json_object_get(j, "latency_ms")), 20);
	json_decref(j);
}

static void test_decisions(void **state)
{
	imsd_faults f;
	imsd_fault_settings s;
	int64_t lat;
	int status, ra;

	(void)state;
	imsd_faults_init(&f);
	assert_int_equal(imsd_faults_decide(&f, "/x", &lat, &status, &ra), IMSD_FAULT_NONE);
	imsd_fault_settings_defaults(&s);
	s.throttle_rate = 1;
	s.retry_after_s = 9;
	s.budget = 2;
	imsd_faults_set(&f, &s);
	assert_int_equal(imsd_faults_decide(&f, "/x", &lat, &status, &ra), IMSD_FAULT_THROTTLE);
	assert_int_equal(ra, 9);
	assert_int_equal(imsd_faults_decide(&f, "/x", &lat, &status, &ra), IMSD_FAULT_THROTTLE);
	assert_int_equal(imsd_faults_decide(&f, "/x", &lat, &status, &ra), IMSD_FAULT_NONE);

	imsd_fault_settings_defaults(&s);
	s.error_rate = 1;
	s.error_status = 500;
	snprintf(s.path_pattern, sizeof(s.path_pattern), "/cn-*/v1/*");
	imsd_faults_set(&f, &s);
	assert_int_equal(imsd_faults_decide(&f, "/cn-north-4/v2/cloudimages", &lat, &status, &ra),
	                 IMSD_FAULT_NONE);
	assert_int_equal(imsd_faults_decide(&f, "/cn-north-4/v1/p/jobs/j", &lat, &status, &ra),
	                 IMSD_FAULT_ERROR);
	assert_int_equal(status, 500);

	imsd_fault_settings_defaults(&s);
	s.drop_rate = 1;
	s.latency_ms = 5;
	imsd_faults_set(&f, &s);
	assert_int_equal(imsd_faults_decide(&f, "/", &lat, &status, &ra), IMSD_FAULT_DROP);
	assert_int_equal(lat, 5);

	char pat[64];
	assert_int_equal(imsd_faults_fail_pattern(&f, pat, sizeof(pat)), 0);
	imsd_faults_destroy(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_settings_from_json),
	    cmocka_unit_test(test_decisions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
