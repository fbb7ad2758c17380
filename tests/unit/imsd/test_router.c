/* Unit tests of router.c: which service, region and operation a request addresses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "router.h"
#include "util.h"

static imsd_seed *seed;

static int setup(void **state)
{
	(void)state;
	return imsd_seed_load(&seed, NULL, NULL);
}

static int teardown(void **state)
{
	(void)state;
	imsd_seed_free(seed);
	return 0;
}

static imsd_route_error route(const char *method, const char *target, const char *host,
                              imsd_route *r)
{
	return imsd_route_parse(seed, NULL, 0, method, target, host, r);
}

static void test_ims_operations(void **state)
{
	imsd_route r;

	(void)state;
	assert_int_equal(route("POST", "/cn-south-1/v1/cloudimages/abc/copy", NULL, &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_COPY);
	assert_string_equal(r.region->name, "cn-south-1");
	assert_string_equal(r.image_id, "abc");
	assert_int_equal(
	    route("POST", "/cn-north-4/v1/cloudimages/abc/cross_region_copy", NULL, &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_CROSS_COPY);
	assert_int_equal(route("GET", "/cn-north-4/v1/p1/jobs/j1", NULL, &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_JOB);
	assert_string_equal(r.project_id, "p1");
	assert_string_equal(r.job_id, "j1");
	assert_int_equal(route("GET", "/cn-north-4/v1/cloudimages/job/j2", NULL, &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_JOB_PROGRESS);
	assert_string_equal(r.job_id, "j2");
	assert_int_equal(route("GET", "/cn-north-4/v2/cloudimages?id=x&limit=1", NULL, &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_LIST_IMAGES);
	assert_int_equal(route("GET", "/cn-north-4/v2/cloudimages/", NULL, &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_LIST_IMAGES);
	assert_int_equal(route("PATCH", "/cn-north-4/v2/cloudimages/i1", NULL, &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_PATCH_IMAGE);
	assert_int_equal(route("DELETE", "/cn-north-4/v2/images/i1", NULL, &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_DELETE_IMAGE);
	assert_int_equal(route("GET", "/cn-north-4/v2/p/images/i1/tags", NULL, &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_TAGS_GET);
	assert_int_equal(route("POST", "/cn-north-4/v2/p/images/i1/tags/action", NULL, &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_TAGS_ACTION);
	/* Percent-encoded parameters are decoded. */
	assert_int_equal(route("DELETE", "/cn-north-4/v2/images/a%20b", NULL, &r), 0);
	assert_string_equal(r.image_id, "a b");
}

static void test_wrong_method_or_path(void **state)
{
	imsd_route r;

	(void)state;
	assert_int_equal(route("GET", "/cn-north-4/v1/cloudimages/abc/copy", NULL, &r),
	                 IMSD_ROUTE_NOT_FOUND);
	assert_int_equal(route("POST", "/cn-north-4/v2/cloudimages", NULL, &r),
	                 IMSD_ROUTE_NOT_FOUND);
	assert_int_equal(route("GET", "/cn-north-4/", NULL, &r), IMSD_ROUTE_NOT_FOUND);
	assert_int_equal(route("GET", "/", NULL, &r), IMSD_ROUTE_NOT_FOUND);
	assert_int_equal(route("GET", "/_admin/faults", NULL, &r), IMSD_ROUTE_NOT_FOUND);
	assert_int_equal(imsd_route_parse(seed, NULL, 1, "GET", "/_admin/faults", NULL, &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_ADMIN_FAULTS);
}

static void test_region_selection(void **state)
{
	imsd_route r;

	(void)state;
	/* Host of the real form. */
	assert_int_equal(
	    route("GET", "/v2/cloudimages", "ims.ap-southeast-1.myhuaweicloud.com", &r), 0);
	assert_string_equal(r.region->name, "ap-southeast-1");
	assert_int_equal(route("GET", "/v2/cloudimages", "IMS.cn-south-1.example.com:443", &r), 0);
	assert_string_equal(r.region->name, "cn-south-1");
	/* The path prefix wins over the host. */
	assert_int_equal(route("GET", "/cn-north-4/v2/cloudimages", "ims.cn-south-1.x.com", &r), 0);
	assert_string_equal(r.region->name, "cn-north-4");
	/* Neither: the default (the seed's first, or the configured one). */
	assert_int_equal(route("GET", "/v2/cloudimages", "127.0.0.1:9", &r), 0);
	assert_string_equal(r.region->name, "cn-north-4");
	assert_int_equal(
	    imsd_route_parse(seed, "cn-south-1", 0, "GET", "/v2/cloudimages", NULL, &r), 0);
	assert_string_equal(r.region->name, "cn-south-1");
	/* Unknown regions. */
	assert_int_equal(route("GET", "/eu-west-101/v2/cloudimages", NULL, &r),
	                 IMSD_ROUTE_UNKNOWN_REGION);
	assert_string_equal(r.bad_region, "eu-west-101");
	assert_int_equal(route("GET", "/v2/cloudimages", "ims.xx-yy-1.myhuaweicloud.com", &r),
	                 IMSD_ROUTE_UNKNOWN_REGION);
	/* IAM and EPS by prefix or host. */
	assert_int_equal(route("GET", "/iam/v3/projects?name=x", NULL, &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_IAM_PROJECTS);
	assert_int_equal(route("GET", "/v3/projects", "iam.cn-north-4.myhuaweicloud.com", &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_IAM_PROJECTS);
	assert_int_equal(route("POST", "/v1.0/enterprise-projects/e1/resources-migrate",
	                       "eps.myhuaweicloud.com", &r),
	                 0);
	assert_int_equal(r.id, IMSD_ROUTE_EPS_MIGRATE);
	assert_string_equal(r.eps_id, "e1");
	assert_int_equal(
	    route("POST", "/eps/v1.0/enterprise-projects/e1/resources/filter", NULL, &r), 0);
	assert_int_equal(r.id, IMSD_ROUTE_EPS_FILTER);
}

static void test_bad_paths(void **state)
{
	imsd_route r;

	(void)state;
	assert_int_equal(route("GET", "/cn-north-4/v2/../v2/cloudimages", NULL, &r),
	                 IMSD_ROUTE_BAD_PATH);
	assert_int_equal(route("GET", "/cn-north-4/v2/%2E%2E/cloudimages", NULL, &r),
	                 IMSD_ROUTE_BAD_PATH);
	assert_int_equal(route("DELETE", "/cn-north-4/v2/images/a%2fb", NULL, &r),
	                 IMSD_ROUTE_BAD_PATH);
	assert_int_equal(route("DELETE", "/cn-north-4/v2/images/a%00", NULL, &r),
	                 IMSD_ROUTE_BAD_PATH);
	assert_int_equal(route("DELETE", "/cn-north-4/v2/images/%c0%af", NULL, &r),
	                 IMSD_ROUTE_BAD_PATH);
	assert_int_equal(route("DELETE", "/cn-north-4/v2/images/%4", NULL, &r),
	                 IMSD_ROUTE_BAD_PATH);
	assert_int_equal(route("GET", "//v2/cloudimages", NULL, &r), IMSD_ROUTE_BAD_PATH);
	assert_int_equal(route("GET", "v2/cloudimages", NULL, &r), IMSD_ROUTE_BAD_PATH);
	assert_int_equal(route("GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n", NULL, &r),
	                 IMSD_ROUTE_NOT_FOUND);
}

static void test_percent_decode_and_utf8(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(imsd_percent_decode("a%41+b", 6, out, sizeof(out), 1), 4);
	assert_string_equal(out, "aA b");
	assert_int_equal(imsd_percent_decode("a+b", 3, out, sizeof(out), 0), 3);
	assert_string_equal(out, "a+b");
	assert_int_equal(imsd_percent_decode("%e4%b8%ad", 9, out, sizeof(out), 0), 3);
	assert_int_equal(imsd_percent_decode("%ff", 3, out, sizeof(out), 0), -1);
	assert_int_equal(imsd_percent_decode("%", 1, out, sizeof(out), 0), -1);
	assert_int_equal(imsd_percent_decode("%0", 2, out, sizeof(out), 0), -1);
	assert_int_equal(imsd_percent_decode("0123456789abcdefg", 17, out, sizeof(out), 0), -1);
	assert_true(imsd_utf8_valid("\xe4\xb8\xad", 3));
	assert_false(imsd_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
	assert_false(imsd_utf8_valid("\xc1\x81", 2));     /* overlong */
	assert_false(imsd_utf8_valid("\xe4\xb8", 2));     /* truncated */
	assert_false(imsd_utf8_valid("\xf5\x80\x80\x80", 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ims_operations),
	    cmocka_unit_test(test_wrong_method_or_path),
	    cmocka_unit_test(test_region_selection),
	    cmocka_unit_test(test_bad_paths),
	    cmocka_unit_test(test_percent_decode_and_utf8),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
