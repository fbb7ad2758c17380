/* Unit tests for src/lib/error.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "hwims/error.h"

static void set_fills_kind_and_message(void **state)
{
	hwims_error err;

	(void)state;
	memset(&err, 0x55, sizeof(err));
	assert_int_equal(hwims_error_set(&err, HWIMS_ERR_NOT_FOUND, "image %s not found", "abc"),
	                 -1);
	assert_int_equal(err.kind, HWIMS_ERR_NOT_FOUND);
	assert_string_equal(err.message, "image abc not found");
	assert_int_equal(err.http_status, 0);
	assert_string_equal(err.code, "");
}

static void set_on_null_is_safe(void **state)
{
	(void)state;
	assert_int_equal(hwims_error_set(NULL, HWIMS_ERR_USAGE, "x"), -1);
	hwims_error_clear(NULL);
}

static void long_messages_are_truncated(void **state)
{
	hwims_error err;
	char big[4096];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	hwims_error_set(&err, HWIMS_ERR_SERVER, "%s", big);
	assert_int_equal(strlen(err.message), HWIMS_ERROR_MESSAGE_MAX - 1);
}

static void attr_error_names_attribute(void **state)
{
	hwims_error err;

	(void)state;
	hwims_error_set_attr(&err, "name", "must not start with a space");
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	assert_string_equal(err.attribute, "name");
}

static void prefix_keeps_details(void **state)
{
	hwims_error err;

	(void)state;
	hwims_error_set(&err, HWIMS_ERR_INVALID, "bad name");
	err.http_status = 400;
	strcpy(err.code, "IMG.0003");
	hwims_error_prefix(&err, "copying image %s", "x1");
	assert_string_equal(err.message, "copying image x1: bad name");
	assert_int_equal(err.http_status, 400);
	assert_string_equal(err.code, "IMG.0003");
}

static void status_mapping(void **state)
{
	(void)state;
	assert_int_equal(hwims_error_kind_from_status(200), HWIMS_ERR_NONE);
	assert_int_equal(hwims_error_kind_from_status(204), HWIMS_ERR_NONE);
	assert_int_equal(hwims_error_kind_from_status(400), HWIMS_ERR_INVALID);
	assert_int_equal(hwims_error_kind_from_status(401), HWIMS_ERR_AUTH);
	assert_int_equal(hwims_error_kind_from_status(403), HWIMS_ERR_AUTH);
	assert_int_equal(hwims_error_kind_from_status(404), HWIMS_ERR_NOT_FOUND);
	assert_int_equal(hwims_error_kind_from_status(409), HWIMS_ERR_CONFLICT);
	assert_int_equal(hwims_error_kind_from_status(429), HWIMS_ERR_THROTTLED);
	assert_int_equal(hwims_error_kind_from_status(503), HWIMS_ERR_SERVER);
	assert_string_equal(hwims_error_kind_name(HWIMS_ERR_JOB_FAILED), "job_failed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(set_fills_kind_and_message),
	    cmocka_unit_test(set_on_null_is_safe),
	    cmocka_unit_test(long_messages_are_truncated),
	    cmocka_unit_test(attr_error_names_attribute),
	    cmocka_unit_test(prefix_keeps_details),
	    cmocka_unit_test(status_mapping),
	};
	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
