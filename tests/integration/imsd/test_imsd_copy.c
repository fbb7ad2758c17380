/* imsd end to end: in-region and cross-region copies through to active, job failure, the
 * copy rules and their error codes. */
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *get_image(itest *t, const char *region, const char *id)
{
	char path[256];
	json_t *img = NULL;

	snprintf(path, sizeof(path), "/%s/v2/cloudimages?id=%s", region, id);
	itest_reply r = itest_call(t, "GET", path, NULL);
	if (r.status == 200 && json_array_size(json_object_get(r.json, "images")) == 1)
		img = json_incref(json_array_get(json_object_get(r.json, "images"), 0));
	itest_reply_free(&r);
	return img;
}

static itest_reply post(itest *t, const char *region, const char *src, const char *op,
                        const char *body)
{
	char path[256];

	snprintf(path, sizeof(path), "/%s/v1/cloudimages/%s/%s", region, src, op);
	return itest_call(t, "POST", path, body);
}

static void expect_error(itest *t, const char *src, const char *op, const char *body, int status,
                         const char *code)
{
	itest_reply r = post(t, NORTH4, src, op, body);

	if (r.status != status || strcmp(itest_error_code(&r), code) != 0)
		fail_msg("%s %s %s: got %d %s, want %d %s", op, src, body, r.status,
		         r.body ? r.body : "", status, code);
	itest_reply_free(&r);
}

static void test_in_region_copy_to_active(void **state)
{
	itest *t = *state;
	itest_reply r =
	    post(t, NORTH4, IMG_UBUNTU, "copy",
	         "{\"description\":\"copied by test\",\"enterprise_project_id\":"
	         "\"9d4b3e5f-6a7c-4d8e-9f0a-1b2c3d4e5f01\",\"cmk_id\":"
	         "\"7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d02\",\"name\":\"img-copy 01\"}\n");

	assert_int_equal(r.status, 200);
	const char *job_id = itest_str(r.json, "job_id");
	assert_non_null(job_id);
	assert_int_equal(strlen(job_id), 32);
	char *jid = strdup(job_id);
	itest_reply_free(&r);

	/* Both job endpoints know it; the progress one carries process_percent. */
	char path[256];
	snprintf(path, sizeof(path), "/cn-north-4/v1/cloudimages/job/%s", jid);
	r = itest_call(t, "GET", path, NULL);
	assert_int_equal(r.status, 200);
	assert_true(json_is_number(
	    json_object_get(json_object_get(r.json, "entities"), "process_percent")));
	assert_string_equal(itest_str(r.json, "job_type"), "imsCopyImageInRegionJob");
	itest_reply_free(&r);

	json_t *job = itest_wait_job(t, NORTH4, NORTH4_PID, jid);
	assert_non_null(job);
	assert_string_equal(itest_str(job, "status"), "SUCCESS");
	assert_true(json_is_null(json_object_get(job, "error_code")));
	assert_non_null(itest_str(job, "end_time"));
	const char *image_id = itest_str(job, "entities.image_id");
	assert_non_null(image_id);
	assert_string_equal(itest_str(job, "entities.image_name"), "img-copy 01");

	json_t *img = get_image(t, NORTH4, image_id);
	assert_non_null(img);
	assert_string_equal(itest_str(img, "status"), "active");
	assert_non_null(itest_str(img, "active_at"));
	assert_string_equal(itest_str(img, "name"), "img-copy 01");
	assert_string_equal(itest_str(img, "__description"), "copied by test");
	assert_string_equal(itest_str(img, "__originalimagename"), IMG_UBUNTU);
	assert_string_equal(itest_str(img, "__data_origin"), "image,cn-north-4," IMG_UBUNTU);
	assert_string_equal(itest_str(img, "enterprise_project_id"),
	                    "9d4b3e5f-6a7c-4d8e-9f0a-1b2c3d4e5f01");
	assert_string_equal(itest_str(img, "__system__cmkid"),
	                    "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d02");
	assert_string_equal(itest_str(img, "__imagetype"), "private");
	assert_string_equal(itest_str(img, "owner"), NORTH4_PID);
	/* Inherited from the source. */
	assert_string_equal(itest_str(img, "__os_version"), "Ubuntu 22.04 server 64bit");
	assert_string_equal(itest_str(img, "__image_size"), "2147483648");
	assert_string_equal(itest_str(img, "hw_firmware_type"), "bios");
	assert_int_equal(json_integer_value(json_object_get(img, "min_disk")), 40);
	assert_string_not_equal(itest_str(img, "id"), IMG_UBUNTU);
	json_decref(img);
	json_decref(job);

	/* The job is not visible through another region or project. */
	snprintf(path, sizeof(path), "/cn-south-1/v1/%s/jobs/%s", SOUTH1_PID, jid);
	r = itest_call(t, "GET", path, NULL);
	assert_int_equal(r.status, 404);
	itest_reply_free(&r);
	snprintf(path, sizeof(path), "/cn-north-4/v1/%s/jobs/%s", SOUTH1_PID, jid);
	r = itest_call(t, "GET", path, NULL);
	assert_int_equal(r.status, 400);
	assert_string_equal(itest_error_code(&r), "IMG.0067");
	itest_reply_free(&r);
	snprintf(path, sizeof(path), "/cn-north-4/v1/%s/jobs/ffffffffffffffffffffffffffffffff",
	         NORTH4_PID);
	r = itest_call(t, "GET", path, NULL);
	assert_int_equal(r.status, 404);
	itest_reply_free(&r);
	free(jid);
}

static void test_copy_is_saving_while_running(void **state)
{
	itest *t = *state;
	/* 100 GiB at 100 MiB/s and scale 100: about ten seconds, ample to look at it. */
	char *jid = itest_copy(t, NORTH4, IMG_LARGE, "large-copy");
	char path[256];

	assert_non_null(jid);
	snprintf(path, sizeof(path), "/cn-north-4/v1/%s/jobs/%s", NORTH4_PID, jid);
	itest_reply r = itest_call(t, "GET", path, NULL);
	assert_int_equal(r.status, 200);
	const char *st = itest_str(r.json, "status");
	assert_true(strcmp(st, "INIT") == 0 || strcmp(st, "RUNNING") == 0);
	/* The image ID is only reported on success. */
	assert_null(itest_str(r.json, "entities.image_id"));
	itest_reply_free(&r);

	r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages?name=large-copy", NULL);
	json_t *img = json_array_get(json_object_get(r.json, "images"), 0);
	assert_non_null(img);
	st = itest_str(img, "status");
	assert_true(strcmp(st, "queued") == 0 || strcmp(st, "saving") == 0);
	assert_null(json_object_get(img, "active_at"));
	char del[256];
	snprintf(del, sizeof(del), "/cn-north-4/v2/images/%s", itest_str(img, "id"));
	/* An image being created cannot be deleted. */
	itest_reply d = itest_call(t, "DELETE", del, NULL);
	assert_int_equal(d.status, 400);
	assert_string_equal(itest_error_code(&d), "IMG.0090");
	itest_reply_free(&d);
	itest_reply_free(&r);
	free(jid);
}

static void test_cross_region_copy_to_active(void **state)
{
	itest *t = *state;
	itest_reply r = post(t, NORTH4, IMG_UBUNTU, "cross_region_copy",
	                     "{\"agency_name\":\"ims_admin_agency\",\"description\":\"\","
	                     "\"name\":\"xr-copy\",\"project_name\":\"cn-south-1\","
	                     "\"region\":\"cn-south-1\"}\n");

	assert_int_equal(r.status, 200);
	char *jid = strdup(itest_str(r.json, "job_id"));
	itest_reply_free(&r);

	/* The job lives in the source region and project. */
	json_t *job = itest_wait_job(t, NORTH4, NORTH4_PID, jid);
	assert_non_null(job);
	assert_string_equal(itest_str(job, "status"), "SUCCESS");
	assert_string_equal(itest_str(job, "job_type"), "imsCrossRegionCopyImageJob");
	const char *image_id = itest_str(job, "entities.image_id");
	assert_non_null(image_id);

	/* The image lives in the target region and its project. */
	json_t *img = get_image(t, SOUTH1, image_id);
	assert_non_null(img);
	assert_string_equal(itest_str(img, "status"), "active");
	assert_string_equal(itest_str(img, "owner"), SOUTH1_PID);
	assert_string_equal(itest_str(img, "__data_origin"), "image,cn-north-4," IMG_UBUNTU);
	assert_string_equal(itest_str(img, "enterprise_project_id"), "0");
	assert_null(json_object_get(img, "__description"));
	json_decref(img);
	img = get_image(t, NORTH4, image_id);
	assert_null(img);
	json_decref(job);
	free(jid);

	/* A full-ECS image goes cross-region with a vault in the target region. */
	r = post(t, NORTH4, IMG_FULL, "cross_region_copy",
	         "{\"name\":\"full-xr\",\"region\":\"cn-south-1\",\"project_name\":\"cn-south-1\","
	         "\"agency_name\":\"ims_admin_agency\",\"vault_id\":"
	         "\"8c3a2d4e-5f6b-4c7d-8e9f-0a1b2c3d4e11\"}");
	assert_int_equal(r.status, 200);
	jid = strdup(itest_str(r.json, "job_id"));
	itest_reply_free(&r);
	job = itest_wait_job(t, NORTH4, NORTH4_PID, jid);
	assert_non_null(job);
	assert_string_equal(itest_str(job, "status"), "SUCCESS");
	img = get_image(t, SOUTH1, itest_str(job, "entities.image_id"));
	assert_non_null(img);
	assert_true(json_is_true(json_object_get(img, "__whole_image")));
	assert_string_not_equal(itest_str(img, "__backup_id"), "");
	json_decref(img);
	json_decref(job);
	free(jid);
}

static void test_job_failure_by_name_pattern(void **state)
{
	itest *t = *state;
	char *jid = itest_copy(t, NORTH4, IMG_DATA, "doomed-fail");

	assert_non_null(jid);
	json_t *job = itest_wait_job(t, NORTH4, NORTH4_PID, jid);
	assert_non_null(job);
	assert_string_equal(itest_str(job, "status"), "FAIL");
	assert_string_equal(itest_str(job, "error_code"), "IMG.0180");
	assert_non_null(strstr(itest_str(job, "fail_reason"), "IMG.0180"));
	assert_null(itest_str(job, "entities.image_id"));
	json_decref(job);
	/* The failed copy does not linger in queries. */
	itest_reply r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages?name=doomed-fail", NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 0);
	itest_reply_free(&r);
	free(jid);
}

static void test_copy_rules(void **state)
{
	itest *t = *state;

	expect_error(t, "00000000-0000-4000-8000-000000000000", "copy", "{\"name\":\"x\"}", 400,
	             "IMG.0027");
	expect_error(t, IMG_ISO, "copy", "{\"name\":\"x\"}", 400, "IMG.0167");
	expect_error(t, IMG_PUBLIC, "copy", "{\"name\":\"x\"}", 400, "IMG.0047");
	expect_error(t, IMG_FULL, "copy", "{\"name\":\"x\"}", 400, "IMG.0130");
	expect_error(t, IMG_UBUNTU, "copy", "{\"description\":\"\"}", 400, "IMG.0013");
	expect_error(t, IMG_UBUNTU, "copy", "{\"name\":\" lead\"}", 400, "IMG.0003");
	expect_error(t, IMG_UBUNTU, "copy", "{\"name\":\"bad/slash\"}", 400, "IMG.0003");
	char body[2048];
	memset(body, 0, sizeof(body));
	strcpy(body, "{\"name\":\"");
	memset(body + strlen(body), 'a', 129);
	strcat(body, "\"}");
	expect_error(t, IMG_UBUNTU, "copy", body, 400, "IMG.0002");
	expect_error(t, IMG_UBUNTU, "copy", "{\"name\":\"x\",\"description\":\"a<b>\"}", 400,
	             "IMG.0054");
	expect_error(t, IMG_UBUNTU, "copy",
	             "{\"name\":\"x\",\"cmk_id\":\"7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d99\"}", 400,
	             "IMG.0095");
	/* A key of another region does not exist here. */
	expect_error(t, IMG_UBUNTU, "copy",
	             "{\"name\":\"x\",\"cmk_id\":\"7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d11\"}", 400,
	             "IMG.0095");
	expect_error(t, IMG_UBUNTU, "copy",
	             "{\"name\":\"x\",\"cmk_id\":\"7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d03\"}", 400,
	             "IMG.0097");
	expect_error(t, IMG_ENC, "copy",
	             "{\"name\":\"x\",\"cmk_id\":\"7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01\"}", 400,
	             "IMG.0096");
	expect_error(t, IMG_UBUNTU, "copy", "{\"name\":\"x\",\"enterprise_project_id\":\"nope\"}",
	             400, "IMG.0155");
	expect_error(t, IMG_UBUNTU, "copy", "{\"name\":\"x\",\"region\":\"cn-south-1\"}", 400,
	             "IMG.0001");
	expect_error(t, IMG_UBUNTU, "copy", "{\"name\":5}", 400, "IMG.0001");

	const char *xr = "cross_region_copy";
	expect_error(t, IMG_UBUNTU, xr,
	             "{\"name\":\"x\",\"region\":\"cn-south-1\",\"project_name\":\"cn-south-1\"}",
	             400, "IMG.0179");
	expect_error(t, IMG_UBUNTU, xr,
	             "{\"name\":\"x\",\"region\":\"cn-south-1\",\"project_name\":\"cn-south-1\","
	             "\"agency_name\":\"unknown_agency\"}",
	             400, "IMG.0179");
	expect_error(t, IMG_UBUNTU, xr,
	             "{\"name\":\"x\",\"region\":\"xx-none-1\",\"project_name\":\"xx-none-1\","
	             "\"agency_name\":\"ims_admin_agency\"}",
	             400, "IMG.0145");
	expect_error(t, IMG_UBUNTU, xr,
	             "{\"name\":\"x\",\"region\":\"cn-north-4\",\"project_name\":\"cn-north-4\","
	             "\"agency_name\":\"ims_admin_agency\"}",
	             400, "IMG.0001");
	expect_error(t, IMG_UBUNTU, xr,
	             "{\"name\":\"x\",\"region\":\"cn-south-1\",\"project_name\":\"other\","
	             "\"agency_name\":\"ims_admin_agency\"}",
	             400, "IMG.0145");
	expect_error(t, IMG_ENC, xr,
	             "{\"name\":\"x\",\"region\":\"cn-south-1\",\"project_name\":\"cn-south-1\","
	             "\"agency_name\":\"ims_admin_agency\"}",
	             400, "IMG.0197");
	expect_error(t, IMG_FULL, xr,
	             "{\"name\":\"x\",\"region\":\"cn-south-1\",\"project_name\":\"cn-south-1\","
	             "\"agency_name\":\"ims_admin_agency\"}",
	             400, "IMG.0184");
	/* The vault must be in the target region. */
	expect_error(t, IMG_FULL, xr,
	             "{\"name\":\"x\",\"region\":\"cn-south-1\",\"project_name\":\"cn-south-1\","
	             "\"agency_name\":\"ims_admin_agency\",\"vault_id\":"
	             "\"8c3a2d4e-5f6b-4c7d-8e9f-0a1b2c3d4e21\"}",
	             400, "IMG.0188");
	expect_error(t, IMG_ISO, xr,
	             "{\"name\":\"x\",\"region\":\"cn-south-1\",\"project_name\":\"cn-south-1\","
	             "\"agency_name\":\"ims_admin_agency\"}",
	             400, "IMG.0167");

	/* Nothing of the refused copies was stored. */
	itest_reply r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages?name=x", NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 0);
	itest_reply_free(&r);
	r = itest_call(t, "GET", "/cn-south-1/v2/cloudimages?name=x", NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 0);
	itest_reply_free(&r);
}

static void test_encrypted_in_region_copy_keeps_key(void **state)
{
	itest *t = *state;
	char *jid = itest_copy(t, NORTH4, IMG_ENC, "enc-copy");

	assert_non_null(jid);
	json_t *job = itest_wait_job(t, NORTH4, NORTH4_PID, jid);
	assert_string_equal(itest_str(job, "status"), "SUCCESS");
	json_t *img = get_image(t, NORTH4, itest_str(job, "entities.image_id"));
	assert_string_equal(itest_str(img, "__system__cmkid"),
	                    "7b2f1c3d-4e5a-4b6c-9d7e-8f9a0b1c2d01");
	json_decref(img);
	json_decref(job);
	free(jid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_in_region_copy_to_active),
	    cmocka_unit_test(test_copy_is_saving_while_running),
	    cmocka_unit_test(test_cross_region_copy_to_active),
	    cmocka_unit_test(test_job_failure_by_name_pattern),
	    cmocka_unit_test(test_copy_rules),
	    cmocka_unit_test(test_encrypted_in_region_copy_keeps_key),
	};
	return cmocka_run_group_tests(tests, itest_group_setup, itest_group_teardown);
}
