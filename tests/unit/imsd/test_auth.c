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

/* A GET signed with AK/SK at SIGNED_AT, and what it points into. */
typedef struct signed_get {
	hwims_header headers[3]; /* Host, X-Sdk-Date, Authorization */
	char date[17];
	char path[256];
	hwims_signature sig; /* free with hwims_signature_free */
	imsd_request req;
} signed_get;

static void sign_get(signed_get *g, const char *target)
{
	hwims_sign_request sr;
	hwims_error err;
	const char *q = strchr(target, '?');

	snprintf(g->path, sizeof(g->path), "%.*s", (int)(q ? q - target : (long)strlen(target)),
	         target);
	hwims_sign_date((time_t)SIGNED_AT, g->date, sizeof(g->date));
	g->headers[0] = (hwims_header){"Host", "127.0.0.1:8080"};
	g->headers[1] = (hwims_header){"X-Sdk-Date", g->date};
	memset(&sr, 0, sizeof(sr));
	sr.method = "GET";
	sr.path = g->path;
	sr.query = q ? q + 1 : NULL;
	sr.headers = g->headers;
	sr.n_headers = 2;
	assert_int_equal(hwims_sign(&sr, AK, SK, &g->sig, &err), 0);
	g->headers[2] = (hwims_header){"Authorization", g->sig.authorization};
	memset(&g->req, 0, sizeof(g->req));
	g->req.method = "GET";
	g->req.target = target;
	g->req.headers = g->headers;
	g->req.n_headers = 3;
}

static void test_valid_signature(void **state)
{
	signed_get g;
	char ak[64] = "";
	hwims_error err;

	(void)state;
	sign_get(&g, "/v2/cloudimages?limit=1");
	assert_int_equal(imsd_auth_check(seed, &g.req, SIGNED_AT + 60, ak, sizeof(ak), &err), 0);
	assert_string_equal(ak, AK);
	/* The access key is optional. */
	assert_int_equal(imsd_auth_check(seed, &g.req, SIGNED_AT, NULL, 0, &err), 0);
	hwims_signature_free(&g.sig);
}

/* The time is the caller's: the same request is refused once it is past the skew. */
static void test_time_passed_in(void **state)
{
	signed_get g;
	hwims_error err;
	double late = SIGNED_AT + HWIMS_SIGN_MAX_SKEW_S + 60;

	(void)state;
	sign_get(&g, "/v2/cloudimages");
	assert_int_equal(imsd_auth_check(seed, &g.req, late, NULL, 0, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_AUTH);
	assert_int_equal(err.http_status, 401);
	assert_string_equal(err.code, IMSD_AUTH_DEFAULT_CODE);
	hwims_signature_free(&g.sig);
}

static void test_refusal_is_returned(void **state)
{
	signed_get g;
	hwims_error err;

	(void)state;
	sign_get(&g, "/v2/cloudimages");
	/* Signed for another path. */
	g.req.target = "/v2/cloudimages/other";
	assert_int_equal(imsd_auth_check(seed, &g.req, SIGNED_AT, NULL, 0, &err), -1);
	assert_int_equal(err.http_status, 401);
	assert_true(err.code[0] != '\0');
	/* No Authorization at all. */
	g.req.n_headers = 2;
	assert_int_equal(imsd_auth_check(seed, &g.req, SIGNED_AT, NULL, 0, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_AUTH);
	assert_string_equal(err.code, IMSD_AUTH_DEFAULT_CODE);
	assert_null(strstr(err.message, SK));
	hwims_signature_free(&g.sig);
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
