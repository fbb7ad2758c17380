/* Unit tests of auth.c: the verdict on a request's signature at the time the caller gives, and
 * the refusal it returns for the app to answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "auth.h"

/* The built-in seed's first credentials. */
#define AK "HWIMSDEMOACCESSKEY01"
#define SK "hwimsDemoSecretKey0123456789abcdefghijklm"
/* When the test requests are signed. */
#define SIGNED_AT 1800000000.0

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

/* A GET of target signed with AK/SK at SIGNED_AT; headers[2] gets the Authorization, whose
 * text sig holds (caller frees with hwims_signature_free). */
static void signed_get(const char *target, hwims_header headers[3], char date[17],
                       hwims_signature *sig, imsd_request *req)
{
	hwims_sign_request sr;
	hwims_error err;
	const char *q = strchr(target, '?');
	char path[256];

	snprintf(path, sizeof(path), "%.*s", (int)(q ? q - target : (long)strlen(target)), target);
	hwims_sign_date((time_t)SIGNED_AT, date, 17);
	headers[0] = (hwims_header){"Host", "127.0.0.1:8080"};
	headers[1] = (hwims_header){"X-Sdk-Date", date};
	memset(&sr, 0, sizeof(sr));
	sr.method = "GET";
	sr.path = path;
	sr.query = q ? q + 1 : NULL;
	sr.headers = headers;
	sr.n_headers = 2;
	assert_int_equal(hwims_sign(&sr, AK, SK, sig, &err), 0);
	headers[2] = (hwims_header){"Authorization", sig->authorization};
	memset(req, 0, sizeof(*req));
	req->method = "GET";
	req->target = target;
	req->headers = headers;
	req->n_headers = 3;
}

static void test_valid_signature(void **state)
{
	hwims_header h[3];
	char date[17], ak[64] = "";
	hwims_signature sig;
	imsd_request req;
	hwims_error err;

	(void)state;
	signed_get("/v2/cloudimages?limit=1", h, date, &sig, &req);
	assert_int_equal(imsd_auth_check(seed, &req, SIGNED_AT + 60, ak, sizeof(ak), &err), 0);
	assert_string_equal(ak, AK);
	/* The access key is optional. */
	assert_int_equal(imsd_auth_check(seed, &req, SIGNED_AT, NULL, 0, &err), 0);
	hwims_signature_free(&sig);
}

/* The time is the caller's: the same request is refused once it is past the skew. */
static void test_time_passed_in(void **state)
{
	hwims_header h[3];
	char date[17];
	hwims_signature sig;
	imsd_request req;
	hwims_error err;

	(void)state;
	signed_get("/v2/cloudimages", h, date, &sig, &req);
	assert_int_equal(
	    imsd_auth_check(seed, &req, SIGNED_AT + HWIMS_SIGN_MAX_SKEW_S + 60, NULL, 0, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_AUTH);
	assert_int_equal(err.http_status, 401);
	assert_string_equal(err.code, IMSD_AUTH_DEFAULT_CODE);
	hwims_signature_free(&sig);
}

static void test_refusal_is_returned(void **state)
{
	hwims_header h[3];
	char date[17];
	hwims_signature sig;
	imsd_request req;
	hwims_error err;

	(void)state;
	signed_get("/v2/cloudimages", h, date, &sig, &req);
	/* Signed for another path. */
	req.target = "/v2/cloudimages/other";
	assert_int_equal(imsd_auth_check(seed, &req, SIGNED_AT, NULL, 0, &err), -1);
	assert_int_equal(err.http_status, 401);
	assert_true(err.code[0] != '\0');
	/* No Authorization at all. */
	req.n_headers = 2;
	assert_int_equal(imsd_auth_check(seed, &req, SIGNED_AT, NULL, 0, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_AUTH);
	assert_string_equal(err.code, IMSD_AUTH_DEFAULT_CODE);
	assert_null(strstr(err.message, SK));
	hwims_signature_free(&sig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_signature),
	    cmocka_unit_test(test_time_passed_in),
	    cmocka_unit_test(test_refusal_is_returned),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
