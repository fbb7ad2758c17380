/* Unit tests of the request pipeline (app.c + handlers) with a pinned clock: a copy's job
 * and image move through their states exactly as the clock says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hwims_test.h"
#include "imsd.h"

typedef struct fixture {
	imsd_app *app;
	char *dir;
	double now;
} fixture;

static double pinned(void *arg)
{
	return ((fixture *)arg)->now;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	imsd_app_options o;

	if (!f)
		return -1;
	f->dir = hwims_test_mkdtemp("imsd-unit");
	memset(&o, 0, sizeof(o));
	o.data_dir = f->dir;
	o.time_scale = 1;
	o.durable = 0;
	if (!f->dir || imsd_app_new(&f->app, &o, NULL) != 0)
		return -1;
	f->app->skip_auth = 1;
	f->app->clock = pinned;
	f->app->clock_arg = f;
	f->now = 1800000000;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	imsd_app_free(f->app);
	hwims_test_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static json_t *call(fixture *f, const char *method, const char *target, const char *body,
                    int *status)
{
	imsd_request req;
	imsd_response resp;
	json_t *j = NULL;

	memset(&req, 0, sizeof(req));
	req.method = method;
	req.target = target;
	req.body = body ? body : "";
	req.body_len = body ? strlen(body) : 0;
	req.request_id = "unit";
	imsd_handle(f->app, &req, &resp);
	*status = resp.status;
	if (resp.body.len)
		j = json_loads(resp.body.data, 0, NULL);
	imsd_response_free(&resp);
	return j;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_copy_follows_the_clock(void **state)
{
	fixture *f = *state;
	int st;
	char path[256];

	json_t *r =
	    call(f, "POST", "/cn-north-4/v1/cloudimages/6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01/copy",
	         "{\"name\":\"clocked\",\"description\":\"\"}", &st);
	assert_int_equal(st, 200);
	snprintf(path, sizeof(path), "/cn-north-4/v1/cloudimages/job/%s", str(r, "job_id"));
	json_decref(r);

	/* INIT for the first second; the image is queued. */
	f->now += 0.5;
	r = call(f, "GET", path, NULL, &st);
	assert_string_equal(str(r, "status"), "INIT");
	json_decref(r);
	r = call(f, "GET", "/cn-north-4/v2/cloudimages?name=clocked", NULL, &st);
	assert_string_equal(str(json_array_get(json_object_get(r, "images"), 0), "status"),
	                    "queued");
	json_decref(r);

	/* 2 GiB at 100 MiB/s: RUNNING (saving) until 21.48 s. */
	f->now += 10;
	r = call(f, "GET", path, NULL, &st);
	assert_string_equal(str(r, "status"), "RUNNING");
	double pct =
	    json_number_value(json_object_get(json_object_get(r, "entities"), "process_percent"));
	assert_true(pct > 40 && pct < 60);
	json_decref(r);
	r = call(f, "GET", "/cn-north-4/v2/cloudimages?name=clocked&status=saving", NULL, &st);
	assert_int_equal(json_array_size(json_object_get(r, "images")), 1);
	json_decref(r);

	f->now += 11;
	r = call(f, "GET", path, NULL, &st);
	assert_string_equal(str(r, "status"), "SUCCESS");
	json_decref(r);
	r = call(f, "GET", "/cn-north-4/v2/cloudimages?name=clocked&status=active", NULL, &st);
	json_t *img = json_array_get(json_object_get(r, "images"), 0);
	assert_non_null(img);
	assert_non_null(str(img, "active_at"));
	char del[256];
	snprintf(del, sizeof(del), "/cn-north-4/v2/images/%s", str(img, "id"));
	json_decref(r);

	/* Deleted images stay listed for a second, then vanish. */
	r = call(f, "DELETE", del, NULL, &st);
	assert_int_equal(st, 204);
	assert_null(r);
	r = call(f, "GET", "/cn-north-4/v2/cloudimages?name=clocked", NULL, &st);
	assert_int_equal(json_array_size(json_object_get(r, "images")), 1);
	json_decref(r);
	f->now += 1.5;
	r = call(f, "GET", "/cn-north-4/v2/cloudimages?name=clocked", NULL, &st);
	assert_int_equal(json_array_size(json_object_get(r, "images")), 0);
	json_decref(r);
}

/* The query's status filter, order and marker see a copy's status as the clock derives it, and
 * a marker that has vanished is refused. */
static void test_query_follows_the_clock(void **state)
{
	fixture *f = *state;
	int st;
	char path[256], id[64];

	json_t *r =
	    call(f, "POST", "/cn-north-4/v1/cloudimages/6a1e0b2c-3d4f-4a5b-8c6d-7e8f9a0b1c01/copy",
	         "{\"name\":\"clocked-q\",\"description\":\"\"}", &st);
	assert_int_equal(st, 200);
	json_decref(r);
	f->now += 0.5;
	r = call(f, "GET", "/cn-north-4/v2/cloudimages?name=clocked-q&status=queued", NULL, &st);
	json_t *img = json_array_get(json_object_get(r, "images"), 0);
	assert_non_null(img);
	snprintf(id, sizeof(id), "%s", str(img, "id"));
	json_decref(r);
	r = call(f, "GET", "/cn-north-4/v2/cloudimages?name=clocked-q&status=active", NULL, &st);
	assert_int_equal(json_array_size(json_object_get(r, "images")), 0);
	json_decref(r);

	/* Private images by name: the copy sorts second, after centos-79-large. */
	r = call(
	    f, "GET",
	    "/cn-north-4/v2/cloudimages?__imagetype=private&sort_key=name&sort_dir=asc&limit=2",
	    NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(str(json_array_get(json_object_get(r, "images"), 0), "name"),
	                    "centos-79-large");
	assert_string_equal(str(json_array_get(json_object_get(r, "images"), 1), "name"),
	                    "clocked-q");
	json_decref(r);
	snprintf(path, sizeof(path),
	         "/cn-north-4/v2/cloudimages?__imagetype=private&sort_key=name&sort_dir=asc&"
	         "marker=%s",
	         id);
	r = call(f, "GET", path, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(r, "images")), 5); /* the names after it */
	json_decref(r);

	f->now += 30; /* active; then deleted, and gone a second later */
	snprintf(path, sizeof(path), "/cn-north-4/v2/images/%s", id);
	r = call(f, "DELETE", path, NULL, &st);
	assert_int_equal(st, 204);
	f->now += 1.5;
	snprintf(path, sizeof(path), "/cn-north-4/v2/cloudimages?marker=%s", id);
	r = call(f, "GET", path, NULL, &st);
	assert_int_equal(st, 400);
	assert_string_equal(str(json_object_get(r, "error"), "code"), "IMG.0001");
	json_decref(r);
}

static void test_gateway_errors(void **state)
{
	fixture *f = *state;
	int st;
	char big[IMSD_MAX_TARGET + 64];

	json_t *r = call(f, "GET", "/nowhere", NULL, &st);
	assert_int_equal(st, 404);
	assert_string_equal(str(r, "error_code"), "APIGW.0101");
	json_decref(r);
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	r = call(f, "GET", big, NULL, &st);
	assert_int_equal(st, 414);
	json_decref(r);

	imsd_request req;
	imsd_response resp;
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.target = "/cn-north-4/v1/cloudimages/x/copy";
	req.body_too_large = 1;
	imsd_handle(f->app, &req, &resp);
	assert_int_equal(resp.status, 413);
	imsd_response_free(&resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_copy_follows_the_clock, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_query_follows_the_clock, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_gateway_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
