/* imsd end to end: every request is verified with AK/SK; failures are the gateway's 401. */
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A GET of the image list signed by hand: with the date, keys and signed headers given. */
static itest_reply signed_get(itest *t, time_t when, const char *ak, const char *sk,
                              const char *extra_header)
{
	char date[20], host[160], h_host[200], h_date[64], h_auth[512];
	hwims_header hs[2];
	hwims_signature sig;
	hwims_error err;
	const char *path = "/cn-north-4/v2/cloudimages";

	hwims_sign_date(when, date, sizeof(date));
	snprintf(host, sizeof(host), "127.0.0.1:%d", t->d.port);
	hs[0].name = "Host";
	hs[0].value = host;
	hs[1].name = "X-Sdk-Date";
	hs[1].value = date;
	hwims_sign_request sr = {"GET", path, "id=" IMG_UBUNTU, hs, 2, NULL, 0};
	assert_int_equal(hwims_sign(&sr, ak, sk, &sig, &err), 0);
	snprintf(h_host, sizeof(h_host), "Host: %s", host);
	snprintf(h_date, sizeof(h_date), "X-Sdk-Date: %s", date);
	snprintf(h_auth, sizeof(h_auth), "Authorization: %s", sig.authorization);
	hwims_signature_free(&sig);
	const char *hdrs[] = {h_host, h_date, h_auth, extra_header, NULL};
	return itest_raw(t, "GET", "/cn-north-4/v2/cloudimages?id=" IMG_UBUNTU, hdrs, NULL, 0);
}

static void expect_401(itest_reply *r)
{
	assert_int_equal(r->status, 401);
	assert_string_equal(itest_error_code(r), "APIGW.0301");
	assert_non_null(itest_str(r->json, "error_msg"));
	/* The gateway shape carries the request ID, also sent as X-Request-Id. */
	assert_non_null(itest_str(r->json, "request_id"));
	assert_string_equal(itest_str(r->json, "request_id"), r->request_id);
	/* Secrets never show up in the answer. */
	assert_null(strstr(r->body, DEMO_SK));
}

static void test_valid_signature_by_hand(void **state)
{
	itest *t = *state;
	itest_reply r = signed_get(t, time(NULL), DEMO_AK, DEMO_SK, NULL);

	assert_int_equal(r.status, 200);
	itest_reply_free(&r);
	/* Unsigned extra headers (X-Project-Id as Terraform sends it) are fine. */
	r = signed_get(t, time(NULL), DEMO_AK, DEMO_SK, "X-Project-Id: " NORTH4_PID);
	assert_int_equal(r.status, 200);
	itest_reply_free(&r);
	/* The second seeded credential works too. */
	r = signed_get(t, time(NULL), "HWIMSREADERACCESSKY2",
	               "hwimsReaderSecretKey0123456789abcdefghij", NULL);
	assert_int_equal(r.status, 200);
	itest_reply_free(&r);
	/* Within the 15 minutes of skew. */
	r = signed_get(t, time(NULL) - 14 * 60, DEMO_AK, DEMO_SK, NULL);
	assert_int_equal(r.status, 200);
	itest_reply_free(&r);
}

static void test_rejections(void **state)
{
	itest *t = *state;
	itest_reply r = itest_raw(t, "GET", "/cn-north-4/v2/cloudimages", NULL, NULL, 0);

	expect_401(&r);
	itest_reply_free(&r);

	r = signed_get(t, time(NULL), DEMO_AK, "wrong-secret-key-0123456789", NULL);
	expect_401(&r);
	itest_reply_free(&r);

	r = signed_get(t, time(NULL), "UNKNOWNACCESSKEY0000", DEMO_SK, NULL);
	expect_401(&r);
	itest_reply_free(&r);

	r = signed_get(t, time(NULL) - 16 * 60, DEMO_AK, DEMO_SK, NULL);
	expect_401(&r);
	itest_reply_free(&r);
	r = signed_get(t, time(NULL) + 16 * 60, DEMO_AK, DEMO_SK, NULL);
	expect_401(&r);
	itest_reply_free(&r);

	const char *garbage[] = {"Authorization: SDK-HMAC-SHA256 nonsense", NULL};
	r = itest_raw(t, "GET", "/cn-north-4/v2/cloudimages", garbage, NULL, 0);
	expect_401(&r);
	itest_reply_free(&r);

	/* A signed body that was changed on the way fails too. */
	char date[20], host[64], h_host[100], h_date[64], h_auth[512], h_ct[64];
	hwims_header hs[3];
	hwims_signature sig;
	hwims_error err;
	const char *body = "{\"name\":\"tampered\"}";
	hwims_sign_date(time(NULL), date, sizeof(date));
	snprintf(host, sizeof(host), "127.0.0.1:%d", t->d.port);
	hs[0] = (hwims_header){"Host", host};
	hs[1] = (hwims_header){"X-Sdk-Date", date};
	hs[2] = (hwims_header){"Content-Type", "application/json"};
	hwims_sign_request sr = {
	    "POST",      "/cn-north-4/v1/cloudimages/" IMG_UBUNTU "/copy", NULL, hs, 3, body,
	    strlen(body)};
	assert_int_equal(hwims_sign(&sr, DEMO_AK, DEMO_SK, &sig, &err), 0);
	snprintf(h_host, sizeof(h_host), "Host: %s", host);
	snprintf(h_date, sizeof(h_date), "X-Sdk-Date: %s", date);
	snprintf(h_ct, sizeof(h_ct), "Content-Type: application/json");
	snprintf(h_auth, sizeof(h_auth), "Authorization: %s", sig.authorization);
	hwims_signature_free(&sig);
	const char *hdrs[] = {h_host, h_date, h_ct, h_auth, NULL};
	const char *other = "{\"name\":\"tampereD\"}";
	r = itest_raw(t, "POST", "/cn-north-4/v1/cloudimages/" IMG_UBUNTU "/copy", hdrs, other,
	              strlen(other));
	expect_401(&r);
	itest_reply_free(&r);
	r = itest_raw(t, "POST", "/cn-north-4/v1/cloudimages/" IMG_UBUNTU "/copy", hdrs, body,
	              strlen(body));
	assert_int_equal(r.status, 200);
	itest_reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_signature_by_hand),
	    cmocka_unit_test(test_rejections),
	};
	return cmocka_run_group_tests(tests, itest_group_setup, itest_group_teardown);
}
