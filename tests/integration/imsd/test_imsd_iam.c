/* imsd's IAM side of temporary credentials: assume_role at POST
 * v3.0/OS-CREDENTIAL/securitytokens (seeded agencies only, IAM's duration range), the ECS
 * metadata service's securitykey, and the gateway's checks of what they issue. */
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AGENCY "ims_admin_agency"
#define DOMAIN "hwims-demo"

static char *assume_body(const char *agency, const char *domain_key, const char *domain,
                         int duration)
{
	json_t *ar = json_pack("{s:s,s:s}", "agency_name", agency, domain_key, domain);
	if (duration >= 0)
		json_object_set_new(ar, "duration_seconds", json_integer(duration));
	json_t *b = json_pack("{s:{s:{s:[s],s:o}}}", "auth", "identity", "methods", "assume_role",
	                      "assume_role", ar);
	char *text = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	return text;
}

static itest_reply assume(itest *t, const char *agency, const char *domain_key, const char *domain,
                          int duration)
{
	char *body = assume_body(agency, domain_key, domain, duration);
	itest_reply r = itest_call(t, "POST", "/iam/v3.0/OS-CREDENTIAL/securitytokens", body);
	free(body);
	return r;
}

/* List one image with the credential object cred of an answer; the status. */
static int call_with(itest *t, json_t *cred, const char *token_override)
{
	hwims_http_options ho;
	memset(&ho, 0, sizeof(ho));
	ho.access_key = json_string_value(json_object_get(cred, "access"));
	ho.secret_key = json_string_value(json_object_get(cred, "secret"));
	ho.security_token = token_override
	                        ? token_override
	                        : json_string_value(json_object_get(cred, "securitytoken"));
	ho.max_retries = 0;
	hwims_http *h = NULL;
	hwims_error err;
	assert_int_equal(hwims_http_new(&h, &ho, &err), 0);
	char url[256];
	snprintf(url, sizeof(url), "%s/cn-north-4/v2/cloudimages?id=" IMG_UBUNTU, t->d.base_url);
	hwims_http_request req;
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.url = url;
	hwims_http_response resp;
	hwims_http_do(h, &req, &resp, &err);
	int status = resp.status;
	hwims_http_response_free(&resp);
	hwims_http_free(h);
	return status;
}

static void test_assume_role_issues_working_credentials(void **state)
{
	itest *t = *state;
	itest_reply r = assume(t, AGENCY, "domain_name", DOMAIN, 3600);
	assert_int_equal(r.status, 201);
	json_t *cred = json_object_get(r.json, "credential");
	assert_non_null(itest_str(r.json, "credential.access"));
	assert_non_null(itest_str(r.json, "credential.secret"));
	assert_non_null(itest_str(r.json, "credential.securitytoken"));
	const char *exp = itest_str(r.json, "credential.expires_at");
	assert_non_null(exp);
	/* 3600 emulated seconds at time scale 100: 36 s from now, in the future either way. */
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	assert_non_null(strptime(exp, "%Y-%m-%dT%H:%M:%S", &tm));
	assert_true(timegm(&tm) >= time(NULL) - 1);
	assert_true(timegm(&tm) <= time(NULL) + 3600);
	assert_int_equal(call_with(t, cred, NULL), 200);
	/* A token altered by one character, or none at all, does not go with the key. */
	char *bad = strdup(itest_str(r.json, "credential.securitytoken"));
	size_t n = strlen(bad);
	bad[n - 1] = bad[n - 1] == 'a' ? 'b' : 'a';
	assert_int_equal(call_with(t, cred, bad), 401);
	free(bad);
	assert_int_equal(call_with(t, cred, ""), 401);
	itest_reply_free(&r);

	/* By domain_id too, and with IAM's default lifetime. */
	r = assume(t, AGENCY, "domain_id", "d0d0a1b2c3d4e5f60718293a4b5c6d7e", -1);
	assert_int_equal(r.status, 201);
	itest_reply_free(&r);
}

static void test_assume_role_refusals(void **state)
{
	itest *t = *state;
	itest_reply r = assume(t, "no_such_agency", "domain_name", DOMAIN, 3600);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(itest_str(r.json, "error.message"), "no_such_agency"));
	itest_reply_free(&r);
	r = assume(t, AGENCY, "domain_name", "someone-else", 3600);
	assert_int_equal(r.status, 404);
	itest_reply_free(&r);
	/* IAM's documented range, 900 to 86400 s. */
	r = assume(t, AGENCY, "domain_name", DOMAIN, 899);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(itest_str(r.json, "error.message"), "duration_seconds"));
	itest_reply_free(&r);
	r = assume(t, AGENCY, "domain_name", DOMAIN, 86401);
	assert_int_equal(r.status, 400);
	itest_reply_free(&r);
	r = itest_call(t, "POST", "/iam/v3.0/OS-CREDENTIAL/securitytokens",
	               "{\"auth\":{\"identity\":{\"methods\":[\"token\"]}}}");
	assert_int_equal(r.status, 400);
	itest_reply_free(&r);
	r = itest_call(t, "POST", "/iam/v3.0/OS-CREDENTIAL/securitytokens", "not json");
	assert_int_equal(r.status, 400);
	itest_reply_free(&r);
	/* Unsigned: the gateway refuses before IAM sees it. */
	char *body = assume_body(AGENCY, "domain_name", DOMAIN, 3600);
	r = itest_raw(t, "POST", "/iam/v3.0/OS-CREDENTIAL/securitytokens", NULL, body,
	              strlen(body));
	free(body);
	assert_int_equal(r.status, 401);
	itest_reply_free(&r);
}

static void test_metadata_securitykey(void **state)
{
	itest *t = *state;
	/* Unsigned, as from an ECS. */
	itest_reply r = itest_raw(t, "GET", "/openstack/latest/securitykey", NULL, NULL, 0);
	assert_int_equal(r.status, 200);
	json_t *cred = json_object_get(r.json, "credential");
	assert_non_null(itest_str(r.json, "credential.expires_at"));
	assert_int_equal(call_with(t, cred, NULL), 200);
	itest_reply_free(&r);
	r = itest_raw(t, "POST", "/openstack/latest/securitykey", NULL, "", 0);
	assert_int_equal(r.status, 404);
	itest_reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_assume_role_issues_working_credentials),
	    cmocka_unit_test(test_assume_role_refusals),
	    cmocka_unit_test(test_metadata_securitykey),
	};
	return cmocka_run_group_tests_name("imsd iam", tests, itest_group_setup,
	                                   itest_group_teardown);
}
