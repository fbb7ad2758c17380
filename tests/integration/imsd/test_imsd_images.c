/* imsd end to end: PATCH, tags, asynchronous DELETE and the EPS migration on a fresh copy. */
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EPS_PROD  "9d4b3e5f-6a7c-4d8e-9f0a-1b2c3d4e5f01"
#define UBUNTU_ID "6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01"

typedef struct fixture {
	itest t;
	char image_id[64];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	if (!f || itest_start(&f->t, NULL, 100, NULL) != 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	itest_stop(&f->t, 0);
	free(f);
	return 0;
}

/* Each test works on its own fresh, active copy of ubuntu-2204-golden. */
static int new_copy(void **state)
{
	fixture *f = *state;
	char name[64];
	static int n;

	snprintf(name, sizeof(name), "work-%d", ++n);
	char *jid = itest_copy(&f->t, NORTH4, IMG_UBUNTU, name);
	if (!jid)
		return -1;
	json_t *job = itest_wait_job(&f->t, NORTH4, NORTH4_PID, jid);
	free(jid);
	if (!job || !itest_str(job, "entities.image_id")) {
		json_decref(job);
		return -1;
	}
	snprintf(f->image_id, sizeof(f->image_id), "%s", itest_str(job, "entities.image_id"));
	json_decref(job);
	return 0;
}

static json_t *get_image(itest *t, const char *id)
{
	char path[256];
	json_t *img = NULL;

	snprintf(path, sizeof(path), "/cn-north-4/v2/cloudimages?id=%s", id);
	itest_reply r = itest_call(t, "GET", path, NULL);
	if (r.status == 200 && json_array_size(json_object_get(r.json, "images")) == 1)
		img = json_incref(json_array_get(json_object_get(r.json, "images"), 0));
	itest_reply_free(&r);
	return img;
}

static itest_reply patch(fixture *f, const char *body)
{
	char path[256];

	snprintf(path, sizeof(path), "/cn-north-4/v2/cloudimages/%s", f->image_id);
	return itest_call(&f->t, "PATCH", path, body);
}

/* r answers status and, when code is not NULL, that IMS error code; frees r. request names the
 * call in a failure message. */
static void check_reply(itest_reply *r, const char *request, const char *body, int status,
                        const char *code)
{
	if (r->status != status || (code && strcmp(itest_error_code(r), code) != 0))
		fail_msg("%s %s: got %d %s, want %d %s", request, body ? body : "", r->status,
		         r->body ? r->body : "", status, code ? code : "");
	itest_reply_free(r);
}

/* method path body answers status and, when code is not NULL, that IMS error code. */
static void expect_call(fixture *f, const char *method, const char *path, const char *body,
                        int status, const char *code)
{
	itest_reply r = itest_call(&f->t, method, path, body);
	char request[512];

	snprintf(request, sizeof(request), "%s %s", method, path);
	check_reply(&r, request, body, status, code);
}

/* A PATCH of the test's copy answers status and, when code is not NULL, that IMS error code. */
static void expect_patch(fixture *f, const char *body, int status, const char *code)
{
	itest_reply r = patch(f, body);

	check_reply(&r, "PATCH", body, status, code);
}

static void test_patch_name_description_ram(void **state)
{
	fixture *f = *state;
	itest_reply r =
	    patch(f, "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"renamed\"}]\n");

	assert_int_equal(r.status, 200);
	assert_string_equal(itest_str(r.json, "name"), "renamed");
	itest_reply_free(&r);

	/* The copy was made without a description: replace conflicts, add works. */
	expect_patch(f, "[{\"op\":\"replace\",\"path\":\"/__description\",\"value\":\"d\"}]", 400,
	             "IMG.0035");
	expect_patch(f, "[{\"op\":\"add\",\"path\":\"/__description\",\"value\":\"hello\"}]", 200,
	             NULL);

	/* RAM bounds arrive as numbers; max_ram is served as a string, min_ram as a number. */
	expect_patch(f,
	             "[{\"op\":\"replace\",\"path\":\"/max_ram\",\"value\":8192},"
	             "{\"op\":\"replace\",\"path\":\"/min_ram\",\"value\":4096}]",
	             200, NULL);
	json_t *img = get_image(&f->t, f->image_id);
	assert_non_null(img);
	assert_string_equal(itest_str(img, "name"), "renamed");
	assert_string_equal(itest_str(img, "__description"), "hello");
	assert_string_equal(itest_str(img, "max_ram"), "8192");
	assert_true(json_is_integer(json_object_get(img, "min_ram")));
	assert_int_equal(json_integer_value(json_object_get(img, "min_ram")), 4096);
	assert_string_equal(itest_str(img, "status"), "active");
	json_decref(img);

	/* Errors leave the image as it was, even when an earlier op in the array was fine. */
	expect_patch(f,
	             "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"zzz\"},"
	             "{\"op\":\"replace\",\"path\":\"/min_ram\",\"value\":-5}]",
	             400, "IMG.0055");
	expect_patch(f, "[{\"op\":\"replace\",\"path\":\"/min_ram\",\"value\":9000}]", 400,
	             "IMG.0055");
	expect_patch(f, "[{\"op\":\"replace\",\"path\":\"/owner\",\"value\":\"me\"}]", 400,
	             "IMG.0001");
	expect_patch(f, "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"a<b\"}]", 400,
	             "IMG.0003");
	expect_patch(f, "[{\"op\":\"replace\",\"path\":\"/name\"}]", 400, NULL);
	expect_patch(f, "[]", 400, "IMG.0007");
	expect_patch(f, "{\"op\":\"replace\"}", 400, "IMG.0001");
	img = get_image(&f->t, f->image_id);
	assert_string_equal(itest_str(img, "name"), "renamed");
	json_decref(img);

	/* Unknown image; public image. */
	expect_call(f, "PATCH", "/cn-north-4/v2/cloudimages/00000000-0000-4000-8000-0000000000ff",
	            "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"x\"}]", 400, "IMG.0027");
	expect_call(f, "PATCH", "/cn-north-4/v2/cloudimages/" IMG_PUBLIC,
	            "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"x\"}]", 400, "IMG.0047");
}

static void test_tags(void **state)
{
	fixture *f = *state;
	char path[256], action[300];

	snprintf(path, sizeof(path), "/cn-north-4/v2/%s/images/%s/tags", NORTH4_PID, f->image_id);
	snprintf(action, sizeof(action), "%s/action", path);
	itest_reply r = itest_call(&f->t, "GET", path, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "tags")), 0);
	itest_reply_free(&r);

	expect_call(f, "POST", action,
	            "{\"action\":\"create\",\"tags\":[{\"key\":\"env\",\"value\":\"prod\"},"
	            "{\"key\":\"team\",\"value\":\"\"}]}",
	            204, NULL);
	/* Create overwrites an existing key. */
	expect_call(f, "POST", action,
	            "{\"action\":\"create\",\"tags\":[{\"key\":\"env\",\"value\":\"test\"}]}", 204,
	            NULL);
	r = itest_call(&f->t, "GET", path, NULL);
	json_t *tags = json_object_get(r.json, "tags");
	assert_int_equal(json_array_size(tags), 2);
	assert_string_equal(itest_str(json_array_get(tags, 0), "key"), "env");
	assert_string_equal(itest_str(json_array_get(tags, 0), "value"), "test");
	itest_reply_free(&r);

	/* Tag filter on the query. */
	r = itest_call(&f->t, "GET", "/cn-north-4/v2/cloudimages?tag=env.test", NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 1);
	itest_reply_free(&r);

	/* Delete (absent keys are fine). */
	expect_call(f, "POST", action,
	            "{\"action\":\"delete\",\"tags\":[{\"key\":\"env\",\"value\":\"test\"},"
	            "{\"key\":\"absent\",\"value\":\"\"}]}",
	            204, NULL);
	r = itest_call(&f->t, "GET", path, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "tags")), 1);
	itest_reply_free(&r);

	/* Limits (the default seed's, the IMS API pages'): 10 tags, key <= 36, value <= 43, unique
	 * keys, charset. The image has one tag: ten more are one too many. */
	char body[8192];
	int n = snprintf(body, sizeof(body), "{\"action\":\"create\",\"tags\":[");
	for (int i = 0; i < 10; i++)
		n += snprintf(body + n, sizeof(body) - (size_t)n,
		              "%s{\"key\":\"k%d\",\"value\":\"v\"}", i ? "," : "", i);
	snprintf(body + n, sizeof(body) - (size_t)n, "]}");
	expect_call(f, "POST", action, body, 400, "IMG.0116");
	expect_call(f, "POST", action,
	            "{\"action\":\"create\",\"tags\":[{\"key\":\"a\",\"value\":\"1\"},"
	            "{\"key\":\"a\",\"value\":\"2\"}]}",
	            400, "IMG.0115");
	expect_call(f, "POST", action,
	            "{\"action\":\"create\",\"tags\":[{\"key\":\"bad=key\",\"value\":\"1\"}]}", 400,
	            "IMG.0115");
	char longkey[200];
	memset(longkey, 'k', 37);
	longkey[37] = '\0';
	snprintf(body, sizeof(body),
	         "{\"action\":\"create\",\"tags\":[{\"key\":\"%s\",\"value\":\"1\"}]}", longkey);
	expect_call(f, "POST", action, body, 400, "IMG.0115");
	char longvalue[64];
	memset(longvalue, 'v', 44);
	longvalue[44] = '\0';
	snprintf(body, sizeof(body),
	         "{\"action\":\"create\",\"tags\":[{\"key\":\"k\",\"value\":\"%s\"}]}", longvalue);
	expect_call(f, "POST", action, body, 400, "IMG.0115");
	longvalue[43] = '\0';
	snprintf(body, sizeof(body),
	         "{\"action\":\"create\",\"tags\":[{\"key\":\"k\",\"value\":\"%s\"}]}", longvalue);
	expect_call(f, "POST", action, body, 204, NULL);
	longkey[36] = '\0';
	snprintf(body, sizeof(body),
	         "{\"action\":\"create\",\"tags\":[{\"key\":\"%s\",\"value\":\"a/b:c@d\"}]}",
	         longkey);
	expect_call(f, "POST", action, body, 204, NULL);
	expect_call(f, "POST", action, "{\"action\":\"upsert\",\"tags\":[]}", 400, "IMG.0001");

	/* Wrong project in the path. */
	snprintf(path, sizeof(path), "/cn-north-4/v2/%s/images/%s/tags", SOUTH1_PID, f->image_id);
	expect_call(f, "GET", path, NULL, 400, "IMG.0067");
}

/* POST resources/filter of the production project for NORTH4_PID's images: whether image_id is
 * listed. */
static int listed_in_prod(itest *t, const char *image_id)
{
	char body[256];
	snprintf(
	    body, sizeof(body),
	    "{\"limit\":1000,\"offset\":0,\"projects\":[\"%s\"],\"resource_types\":[\"images\"]}",
	    NORTH4_PID);
	itest_reply r = itest_call(
	    t, "POST", "/eps/v1.0/enterprise-projects/" EPS_PROD "/resources/filter", body);
	assert_int_equal(r.status, 200);
	json_t *res = json_object_get(r.json, "resources");
	int found = 0;
	for (size_t i = 0; i < json_array_size(res); i++)
		found |= strcmp(itest_str(json_array_get(res, i), "resource_id"), image_id) == 0;
	itest_reply_free(&r);
	return found;
}

/* resources-migrate of image_id to the production project, with region_id region. */
static itest_reply migrate_to_prod(itest *t, const char *image_id, const char *region)
{
	char body[512];
	snprintf(body, sizeof(body),
	         "{\"resource_type\":\"images\",\"resource_id\":\"%s\",\"project_id\":\"%s\","
	         "\"region_id\":\"%s\"}",
	         image_id, NORTH4_PID, region);
	return itest_call(t, "POST", "/eps/v1.0/enterprise-projects/" EPS_PROD "/resources-migrate",
	                  body);
}

/* A migration is accepted at once and takes effect later (the seed's eps_migration_s, 5 s,
 * scaled): then IMS and EPS resources/filter both show the new project. */
static void test_eps_migration(void **state)
{
	fixture *f = *state;
	itest_reply r = migrate_to_prod(&f->t, f->image_id, "cn-north-4");
	assert_int_equal(r.status, 204);
	itest_reply_free(&r);
	int shown = 0, listed = 0;
	for (int i = 0; i < 200 && !(shown && listed); i++) {
		json_t *img = get_image(&f->t, f->image_id);
		shown = strcmp(itest_str(img, "enterprise_project_id"), EPS_PROD) == 0;
		json_decref(img);
		listed = listed_in_prod(&f->t, f->image_id);
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	assert_true(shown);
	assert_true(listed);

	expect_call(f, "POST", "/eps/v1.0/enterprise-projects/no-such-eps/resources-migrate", "{}",
	            404, "EPS.0004");
	r = itest_call(
	    &f->t, "POST", "/eps/v1.0/enterprise-projects/" EPS_PROD "/resources-migrate",
	    "{\"resource_type\":\"images\",\"resource_id\":\"nope\",\"project_id\":\"" NORTH4_PID
	    "\"}");
	assert_int_equal(r.status, 400);
	itest_reply_free(&r);
}

/* On a clock at its real pace the 5 s of a migration are long enough to see it pending: the
 * image keeps its project and is not listed under the new one yet. A region_id other than the
 * image's is refused. */
static void test_eps_migration_takes_time(void **state)
{
	(void)state;
	itest t;
	assert_int_equal(itest_start(&t, NULL, 1, NULL), 0);
	itest_reply r = migrate_to_prod(&t, UBUNTU_ID, "cn-south-1");
	assert_int_equal(r.status, 400);
	assert_string_equal(itest_error_code(&r), "EPS.0005");
	itest_reply_free(&r);
	r = migrate_to_prod(&t, UBUNTU_ID, "cn-north-4");
	assert_int_equal(r.status, 204);
	itest_reply_free(&r);
	json_t *img = get_image(&t, UBUNTU_ID);
	assert_string_equal(itest_str(img, "enterprise_project_id"), "0");
	json_decref(img);
	assert_false(listed_in_prod(&t, UBUNTU_ID));
	itest_stop(&t, 0);
}

static void test_delete_is_asynchronous(void **state)
{
	fixture *f = *state;
	char path[256];

	snprintf(path, sizeof(path), "/cn-north-4/v2/images/%s", f->image_id);
	itest_reply r = itest_call(&f->t, "DELETE", path, NULL);
	assert_int_equal(r.status, 204);
	assert_true(r.body == NULL || r.body[0] == '\0');
	itest_reply_free(&r);

	/* It disappears from queries shortly after the 204. */
	json_t *img = NULL;
	for (int i = 0; i < 200; i++) {
		img = get_image(&f->t, f->image_id);
		if (!img)
			break;
		json_decref(img);
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	assert_null(img);
	expect_call(f, "DELETE", path, NULL, 400, "IMG.0027");

	expect_call(f, "DELETE", "/cn-north-4/v2/images/" IMG_PUBLIC, NULL, 400, "IMG.0094");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_patch_name_description_ram, new_copy),
	    cmocka_unit_test_setup(test_tags, new_copy),
	    cmocka_unit_test_setup(test_eps_migration, new_copy),
	    cmocka_unit_test(test_eps_migration_takes_time),
	    cmocka_unit_test_setup(test_delete_is_asynchronous, new_copy),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
