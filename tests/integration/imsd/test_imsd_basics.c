/* imsd end to end: start-up, seed, routing, IAM, EPS listing, clean shutdown. */
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

static void test_lists_default_seed_images(void **state)
{
	itest *t = *state;
	itest_reply r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages?id=" IMG_UBUNTU, NULL);

	assert_int_equal(r.status, 200);
	json_t *images = json_object_get(r.json, "images");
	assert_int_equal(json_array_size(images), 1);
	json_t *img = json_array_get(images, 0);
	assert_string_equal(itest_str(img, "name"), "ubuntu-2204-golden");
	assert_string_equal(itest_str(img, "status"), "active");
	assert_string_equal(itest_str(img, "owner"), NORTH4_PID);
	/* The JSON types clients depend on (ims-api.md 8.1). */
	assert_true(json_is_integer(json_object_get(img, "min_ram")));
	assert_true(json_is_integer(json_object_get(img, "min_disk")));
	assert_true(json_is_string(json_object_get(img, "max_ram")));
	assert_true(json_is_string(json_object_get(img, "__image_size")));
	assert_string_equal(itest_str(img, "__image_size"), "2147483648");
	assert_true(json_is_boolean(json_object_get(img, "protected")));
	assert_true(json_is_boolean(json_object_get(img, "__system_support_market")));
	assert_true(json_is_string(json_object_get(img, "__isregistered")));
	assert_string_equal(itest_str(img, "__support_kvm"), "true");
	assert_string_equal(itest_str(img, "disk_format"), "zvhd2");
	itest_reply_free(&r);

	/* An unknown ID is an empty list, never 404. */
	r = itest_call(t, "GET",
	               "/cn-north-4/v2/cloudimages?id=00000000-0000-4000-8000-000000000000", NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 0);
	itest_reply_free(&r);

	/* Images belong to their region. */
	r = itest_call(t, "GET", "/cn-south-1/v2/cloudimages?id=" IMG_UBUNTU, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 0);
	itest_reply_free(&r);
	r = itest_call(t, "GET", "/cn-south-1/v2/cloudimages?id=" IMG_DEBIAN, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 1);
	itest_reply_free(&r);
}

static void test_query_filters_and_paging(void **state)
{
	itest *t = *state;
	itest_reply r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages?__imagetype=gold", NULL);

	assert_int_equal(r.status, 200);
	json_t *images = json_object_get(r.json, "images");
	/* The seed's public images of cn-north-4 (test_imsd_query checks each filter). */
	assert_int_equal(json_array_size(images), 10);
	itest_reply_free(&r);

	r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages?name=data-disk-golden", NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 1);
	itest_reply_free(&r);

	r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages?name=Ubuntu%2022.04%20server%2064bit",
	               NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 1);
	itest_reply_free(&r);

	/* Seventeen images in cn-north-4: pages of three with markers see each once. */
	char path[256], marker[64] = "";
	int seen = 0;
	for (int page = 0; page < 10; page++) {
		snprintf(path, sizeof(path), "/cn-north-4/v2/cloudimages?limit=3%s%s",
		         marker[0] ? "&marker=" : "", marker);
		r = itest_call(t, "GET", path, NULL);
		assert_int_equal(r.status, 200);
		images = json_object_get(r.json, "images");
		size_t n = json_array_size(images);
		assert_true(n <= 3);
		seen += (int)n;
		if (n > 0)
			snprintf(marker, sizeof(marker), "%s",
			         itest_str(json_array_get(images, n - 1), "id"));
		itest_reply_free(&r);
		if (n < 3)
			break;
	}
	assert_int_equal(seen, 17);

	r = itest_call(t, "GET",
	               "/cn-north-4/v2/cloudimages?status=active&visibility=private&"
	               "__os_type=Linux&protected=false&limit=100",
	               NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 5);
	itest_reply_free(&r);

	r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages?__imagetype=bogus", NULL);
	assert_int_equal(r.status, 400);
	assert_string_equal(itest_error_code(&r), "IMG.0024");
	itest_reply_free(&r);
	r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages?limit=abc", NULL);
	assert_int_equal(r.status, 400);
	assert_string_equal(itest_error_code(&r), "IMG.0001");
	itest_reply_free(&r);
}

static void test_iam_projects_by_name(void **state)
{
	itest *t = *state;
	itest_reply r = itest_call(t, "GET", "/iam/v3/projects?name=cn-south-1", NULL);

	assert_int_equal(r.status, 200);
	json_t *projects = json_object_get(r.json, "projects");
	assert_int_equal(json_array_size(projects), 1);
	assert_string_equal(itest_str(json_array_get(projects, 0), "id"), SOUTH1_PID);
	assert_string_equal(itest_str(json_array_get(projects, 0), "name"), "cn-south-1");
	assert_string_equal(itest_str(json_array_get(projects, 0), "domain_id"),
	                    "d0d0a1b2c3d4e5f60718293a4b5c6d7e");
	assert_true(json_is_null(json_object_get(json_object_get(r.json, "links"), "next")));
	itest_reply_free(&r);

	r = itest_call(t, "GET", "/iam/v3/projects?name=xx-nowhere-1", NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "projects")), 0);
	itest_reply_free(&r);

	r = itest_call(t, "GET", "/iam/v3/projects", NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "projects")), 3);
	itest_reply_free(&r);

	r = itest_call(t, "GET", "/iam/v3/auth/domains", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    itest_str(json_array_get(json_object_get(r.json, "domains"), 0), "name"), "hwims-demo");
	itest_reply_free(&r);
}

static void test_routing_by_host_and_default(void **state)
{
	itest *t = *state;
	hwims_http_request req;
	hwims_http_response resp;
	hwims_error err;
	char url[256];

	/* No region prefix: the default region (the seed's first). */
	itest_reply r = itest_call(t, "GET", "/v2/cloudimages?id=" IMG_UBUNTU, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 1);
	itest_reply_free(&r);

	/* A Host of the real form selects the region, as the official SDKs send it. curl's
	 * CURLOPT_RESOLVE is not reachable through libhwims, so the Host header is set through
	 * a raw request signed by hand below. */
	hwims_header hs[2];
	char date[20];
	hwims_sign_date(time(NULL), date, sizeof(date));
	hs[0].name = "Host";
	hs[0].value = "ims.cn-south-1.myhuaweicloud.com";
	hs[1].name = "X-Sdk-Date";
	hs[1].value = date;
	hwims_sign_request sr = {"GET", "/v2/cloudimages", "id=" IMG_DEBIAN, hs, 2, NULL, 0};
	hwims_signature sig;
	assert_int_equal(hwims_sign(&sr, DEMO_AK, DEMO_SK, &sig, &err), 0);
	char h1[128], h2[64], h3[512];
	snprintf(h1, sizeof(h1), "Host: %s", hs[0].value);
	snprintf(h2, sizeof(h2), "X-Sdk-Date: %s", date);
	snprintf(h3, sizeof(h3), "Authorization: %s", sig.authorization);
	const char *hdrs[] = {h1, h2, h3, NULL};
	r = itest_raw(t, "GET", "/v2/cloudimages?id=" IMG_DEBIAN, hdrs, NULL, 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 1);
	itest_reply_free(&r);
	hwims_signature_free(&sig);

	/* Unknown region prefix and unknown path: the gateway's 404. */
	r = itest_call(t, "GET", "/eu-nowhere-9/v2/cloudimages", NULL);
	assert_int_equal(r.status, 404);
	assert_string_equal(itest_error_code(&r), "APIGW.0101");
	itest_reply_free(&r);
	r = itest_call(t, "GET", "/cn-north-4/v2/nothing-here", NULL);
	assert_int_equal(r.status, 404);
	assert_string_equal(itest_error_code(&r), "APIGW.0101");
	assert_non_null(itest_str(r.json, "request_id"));
	itest_reply_free(&r);
	r = itest_call(t, "PUT", "/cn-north-4/v2/cloudimages", "{}");
	assert_int_equal(r.status, 404);
	itest_reply_free(&r);

	/* The admin API is not served without --admin. */
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	snprintf(url, sizeof(url), "%s/_admin/faults", t->d.base_url);
	req.method = "GET";
	req.url = url;
	hwims_http_do(t->http, &req, &resp, &err);
	assert_int_equal(resp.status, 404);
	hwims_http_response_free(&resp);
}

static void test_eps_list(void **state)
{
	itest *t = *state;
	itest_reply r = itest_call(t, "GET", "/eps/v1.0/enterprise-projects", NULL);

	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "enterprise_projects")), 3);
	itest_reply_free(&r);
}

static void test_print_seed_has_contract_ids(void **state)
{
	(void)state;
	FILE *p = popen(HWIMS_BIN_DIR "/imsd --print-seed", "r");
	char buf[65536];
	size_t n;

	assert_non_null(p);
	n = fread(buf, 1, sizeof(buf) - 1, p);
	buf[n] = '\0';
	assert_int_equal(pclose(p), 0);
	json_t *seed = json_loads(buf, 0, NULL);
	assert_non_null(seed);
	json_t *cred = json_array_get(json_object_get(seed, "credentials"), 0);
	assert_string_equal(itest_str(cred, "access_key"), DEMO_AK);
	assert_string_equal(itest_str(cred, "secret_key"), DEMO_SK);
	json_t *region = json_array_get(json_object_get(seed, "regions"), 0);
	assert_string_equal(itest_str(region, "name"), NORTH4);
	assert_string_equal(itest_str(region, "project_id"), NORTH4_PID);
	assert_string_equal(itest_str(seed, "domain.name"), "hwims-demo");
	json_decref(seed);
}

static void test_help_and_bad_flags(void **state)
{
	(void)state;
	assert_int_equal(WEXITSTATUS(system(HWIMS_BIN_DIR "/imsd --help >/dev/null")), 0);
	assert_int_equal(WEXITSTATUS(system(HWIMS_BIN_DIR "/imsd --bogus 2>/dev/null")), 2);
	assert_int_equal(
	    WEXITSTATUS(system(HWIMS_BIN_DIR "/imsd --data /tmp --time-scale -1 2>/dev/null")), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lists_default_seed_images),
	    cmocka_unit_test(test_query_filters_and_paging),
	    cmocka_unit_test(test_iam_projects_by_name),
	    cmocka_unit_test(test_routing_by_host_and_default),
	    cmocka_unit_test(test_eps_list),
	    cmocka_unit_test(test_print_seed_has_contract_ids),
	    cmocka_unit_test(test_help_and_bad_flags),
	};
	return cmocka_run_group_tests(tests, itest_group_setup, itest_group_teardown);
}
