/* Unit tests for the option checks of src/lib/image_query.c: what is accepted, and that each
 * bad argument is named, with no client involved (nothing could be sent). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "hwims/image_query.h"

static void expect_bad(const hwims_image_query_options *o, const char *attr, const char *what)
{
	hwims_error err;
	assert_int_equal(hwims_image_query_validate(o, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	assert_string_equal(err.attribute, attr);
	if (!strstr(err.message, what))
		fail_msg("message \"%s\" lacks \"%s\"", err.message, what);
}

static void test_accepted(void **state)
{
	(void)state;
	hwims_image_query_options o = HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	assert_int_equal(hwims_image_query_validate(&o, NULL), 0);
	o.visibility = "market";
	o.image_type = "Ironic";
	o.architecture = "arm";
	o.sort_key = "created_at";
	o.sort_direction = "desc";
	o.name_regex = "^CentOS 7\\.(4|9)( 64bit)?$";
	o.tag = "build.id=";
	o.page_size = 1000;
	assert_int_equal(hwims_image_query_validate(&o, NULL), 0);
	/* "" counts as unset, as Terraform sends unset strings */
	hwims_image_query_options e = HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	e.visibility = "";
	e.name = "";
	e.name_regex = "x";
	assert_int_equal(hwims_image_query_validate(&e, NULL), 0);
}

static void test_refused(void **state)
{
	(void)state;
	hwims_image_query_options o = HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	o.visibility = "gold"; /* the API's word, not the data sources' */
	expect_bad(&o, "visibility", "public, private, market, shared");
	o = (hwims_image_query_options)HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	o.sort_key = "updated_at";
	expect_bad(&o, "sort_key", "not one of");
	o = (hwims_image_query_options)HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	o.name_regex = "[a-";
	expect_bad(&o, "name_regex", "POSIX extended");
	o = (hwims_image_query_options)HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	o.name = "a";
	o.name_regex = "a";
	expect_bad(&o, "name_regex", "cannot be used together");
	o = (hwims_image_query_options)HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	o.tag = "Key:Value";
	expect_bad(&o, "tag", "Key=Value");
	o = (hwims_image_query_options)HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	o.page_size = -1;
	expect_bad(&o, "page_size", "1 to 1000");
	o = (hwims_image_query_options)HWIMS_IMAGE_QUERY_OPTIONS_INIT;
	o.version = 2;
	hwims_error err;
	assert_int_equal(hwims_image_query_validate(&o, &err), -1);
	assert_non_null(strstr(err.message, "HWIMS_IMAGE_QUERY_OPTIONS_INIT"));
}

static void test_attribute_table(void **state)
{
	(void)state;
	size_t n;
	const hwims_query_attr *a = hwims_query_attrs(&n);
	assert_true(n >= 26);
	const char *want[] = {"id",         "name",       "image_type",   "visibility",
	                      "owner",      "os",         "architecture", "os_version",
	                      "min_ram_mb", "max_ram_mb", "size_bytes",   "__support_agent_list",
	                      NULL};
	for (size_t w = 0; want[w]; w++) {
		size_t i = 0;
		while (i < n && strcmp(a[i].name, want[w]) != 0)
			i++;
		if (i == n)
			fail_msg("no attribute %s", want[w]);
	}
	assert_int_equal(hwims_image_results_count(NULL), 0);
	hwims_image_results_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_accepted),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_attribute_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
