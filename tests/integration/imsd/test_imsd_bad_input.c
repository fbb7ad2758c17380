/* imsd end to end: hostile input gets a 4xx in the service's error shape, never a crash and
 * never a half-written row. */
#include "cloud_api.h"
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int teardown(void **state)
{
	itest *t = *state;

	/* Still alive and answering after everything. */
	itest_reply r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages?id=" IMG_UBUNTU, NULL);
	int ok = r.status == 200;
	itest_reply_free(&r);
	itest_group_teardown(state);
	return ok ? 0 : -1;
}

/* len (size_t)-1: strlen(body). */
static void expect(itest *t, const char *method, const char *path, const char *body, size_t len,
                   int status, const char *code)
{
	if (body && len == (size_t)-1)
		len = strlen(body);
	hwims_http_request req;
	hwims_http_response resp;
	hwims_error err;
	char url[1 << 15];

	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	snprintf(url, sizeof(url), "%s%s", t->d.base_url, path);
	req.method = method;
	req.url = url;
	req.body = body;
	req.body_len = len;
	req.describe_error = api_parse_error_body; /* imsd answers as IMS does */
	hwims_http_do(t->http, &req, &resp, &err);
	if (resp.status != status || (code && strcmp(err.code, code) != 0))
		fail_msg("%s %.80s: got %d %s, want %d %s", method, path, resp.status,
		         resp.body ? resp.body : "", status, code ? code : "");
	hwims_http_response_free(&resp);
}

#define COPY "/cn-north-4/v1/cloudimages/" IMG_UBUNTU "/copy"

static void test_bodies(void **state)
{
	itest *t = *state;
	const char *bad_utf8 = "{\"name\":\"caf\xc3\x28\"}";
	const char *nul = "{\"name\":\"a\\u0000b\"}";

	expect(t, "POST", COPY, "", (size_t)-1, 400, "IMG.0007");
	expect(t, "POST", COPY, "  \n", (size_t)-1, 400, "IMG.0007");
	expect(t, "POST", COPY, "{\"name\":", (size_t)-1, 400, "IMG.0001");
	expect(t, "POST", COPY, "[1,2]", (size_t)-1, 400, "IMG.0001");
	expect(t, "POST", COPY, "\"str\"", (size_t)-1, 400, "IMG.0001");
	expect(t, "POST", COPY, bad_utf8, strlen(bad_utf8), 400, "IMG.0001");
	expect(t, "POST", COPY, nul, strlen(nul), 400, "IMG.0001");
	expect(t, "POST", COPY, "{\"name\":\"a\",\"name\":\"b\"}", (size_t)-1, 400, "IMG.0001");
	expect(t, "POST", COPY, "{\"name\":\"ok\",\"description\":[]}", (size_t)-1, 400,
	       "IMG.0001");
	expect(t, "POST", COPY, "{\"name\":\"ok\",\"extra\":1}", (size_t)-1, 400, "IMG.0001");

	/* Deep nesting. */
	size_t depth = 100000;
	char *deep = malloc(depth * 2 + 1);
	assert_non_null(deep);
	memset(deep, '[', depth);
	memset(deep + depth, ']', depth);
	deep[depth * 2] = '\0';
	expect(t, "POST", COPY, deep, depth * 2, 400, "IMG.0001");
	free(deep);

	/* Over 1 MiB. */
	size_t big = 2 * 1024 * 1024;
	char *huge = malloc(big);
	assert_non_null(huge);
	memset(huge, ' ', big);
	huge[0] = '{';
	huge[big - 1] = '}';
	expect(t, "POST", COPY, huge, big, 413, "APIGW.0201");
	free(huge);

	/* PATCH and tags bodies of the wrong shape. */
	expect(t, "PATCH", "/cn-north-4/v2/cloudimages/" IMG_DATA, "[1]", (size_t)-1, 400,
	       "IMG.0001");
	expect(t, "PATCH", "/cn-north-4/v2/cloudimages/" IMG_DATA,
	       "[{\"op\":\"replace\",\"path\":\"/min_ram\",\"value\":\"lots\"}]", (size_t)-1, 400,
	       "IMG.0055");
	expect(t, "PATCH", "/cn-north-4/v2/cloudimages/" IMG_DATA,
	       "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":true}]", (size_t)-1, 400,
	       "IMG.0001");
	expect(t, "POST", "/cn-north-4/v2/" NORTH4_PID "/images/" IMG_DATA "/tags/action",
	       "{\"action\":\"create\",\"tags\":{\"k\":\"v\"}}", (size_t)-1, 400, "IMG.0001");
	expect(t, "POST", "/cn-north-4/v2/" NORTH4_PID "/images/" IMG_DATA "/tags/action",
	       "{\"action\":\"create\",\"tags\":[{\"key\":1,\"value\":\"v\"}]}", (size_t)-1, 400,
	       "IMG.0001");
	expect(t, "POST", "/eps/v1.0/enterprise-projects/0/resources-migrate", "nope", (size_t)-1,
	       400, "EPS.0001");

	/* Nothing was written by any of them: the 17 seeded images of cn-north-4. */
	itest_reply r = itest_call(t, "GET", "/cn-north-4/v2/cloudimages?limit=100", NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "images")), 17);
	itest_reply_free(&r);
}

static void test_paths_and_queries(void **state)
{
	itest *t = *state;

	expect(t, "GET", "/cn-north-4/v2/cloudimages?name=%ff%fe", NULL, 0, 400, "IMG.0001");
	expect(t, "GET", "/cn-north-4/v2/cloudimages?name=%zz", NULL, 0, 400, "IMG.0001");
	expect(t, "GET", "/cn-north-4/v2/cloudimages?limit=99999999999999999999", NULL, 0, 400,
	       "IMG.0001");
	expect(t, "DELETE", "/cn-north-4/v2/images/%2e%2e", NULL, 0, 400, NULL);
	expect(t, "DELETE", "/cn-north-4/v2/images/a%2Fb", NULL, 0, 400, NULL);
	expect(t, "DELETE", "/cn-north-4/v2/images/a%00b", NULL, 0, 400, NULL);
	expect(t, "GET", "/cn-north-4//v2/cloudimages", NULL, 0, 400, NULL);

	/* Raw traversal, not normalised by the client. */
	itest_reply r = itest_raw(t, "GET", "/cn-north-4/v2/../../etc/passwd", NULL, NULL, 0);
	assert_int_equal(r.status, 400);
	assert_string_equal(itest_error_code(&r), "APIGW.0101");
	itest_reply_free(&r);
	r = itest_raw(t, "GET", "/cn-north-4/v2/cloudimages/%c0%ae", NULL, NULL, 0);
	assert_int_equal(r.status, 400);
	itest_reply_free(&r);

	/* Huge query strings. */
	size_t n = 20000;
	char *path = malloc(n + 64);
	assert_non_null(path);
	int len = snprintf(path, n + 64, "/cn-north-4/v2/cloudimages?name=");
	memset(path + len, 'a', n);
	path[len + n] = '\0';
	r = itest_raw(t, "GET", path, NULL, NULL, 0);
	assert_int_equal(r.status, 414);
	itest_reply_free(&r);
	/* Beyond what the HTTP layer buffers at all: still a 4xx, still alive. */
	free(path);
	n = 200000;
	path = malloc(n + 64);
	assert_non_null(path);
	len = snprintf(path, n + 64, "/cn-north-4/v2/cloudimages?name=");
	memset(path + len, 'a', n);
	path[len + n] = '\0';
	r = itest_raw(t, "GET", path, NULL, NULL, 0);
	assert_true(r.status >= 400 && r.status < 500);
	itest_reply_free(&r);
	free(path);

	/* Many parameters. */
	path = malloc(64 * 1024);
	assert_non_null(path);
	len = snprintf(path, 64 * 1024, "/cn-north-4/v2/cloudimages?");
	for (int i = 0; i < 900; i++)
		len += snprintf(path + len, 64 * 1024 - (size_t)len, "x%d=1&", i);
	r = itest_raw(t, "GET", path, NULL, NULL, 0);
	assert_true(r.status >= 400 && r.status < 500);
	itest_reply_free(&r);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bodies),
	    cmocka_unit_test(test_paths_and_queries),
	};
	return cmocka_run_group_tests(tests, itest_group_setup, teardown);
}
