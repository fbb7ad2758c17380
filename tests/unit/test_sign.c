/* test_sign.c - SDK-HMAC-SHA256 signing against the official SDK vectors, and the verifier. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hwims/buf.h"
#include "hwims/sign.h"
#include "hwims_test.h"

#define MAX_HEADERS 16

/* A vector's input turned into a hwims_sign_request, the way its named SDK would sign it. */
typedef struct vector_req {
	hwims_sign_request req;
	hwims_header headers[MAX_HEADERS];
	hwims_buf query;
	const char *ak, *sk;
	json_t *expected; /* borrowed from the document */
	const char *name;
} vector_req;

typedef enum signer_kind { SIGNER_PYTHON, SIGNER_GOSDK_V3, SIGNER_GOLANGSDK } signer_kind;

static signer_kind signer_of(const char *signer)
{
	if (strstr(signer, "huaweicloudsdkcore"))
		return SIGNER_PYTHON;
	if (strstr(signer, "huaweicloud-sdk-go-v3"))
		return SIGNER_GOSDK_V3;
	assert_non_null(strstr(signer, "golangsdk"));
	return SIGNER_GOLANGSDK;
}

/* The SDKs' query encoding: only A-Z a-z 0-9 - _ . ~ bare. */
static void append_encoded(hwims_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~')
			assert_int_equal(hwims_buf_append(b, s, 1), 0);
		else
			assert_int_equal(hwims_buf_printf(b, "%%%02X", c), 0);
	}
}

static json_t *load_vectors(void)
{
	char *path = hwims_test_data_path("signing-vectors.json");
	json_error_t jerr;

	assert_non_null(path);
	json_t *doc = json_load_file(path, 0, &jerr);
	if (!doc)
		fail_msg("cannot load %s: %s", path, jerr.text);
	free(path);
	json_t *vectors = json_object_get(doc, "vectors");
	assert_true(json_is_array(vectors));
	assert_true(json_array_size(vectors) >= 8);
	return doc;
}

static void vector_build(vector_req *v, json_t *vec)
{
	json_t *in = json_object_get(vec, "input");
	const char *key;
	json_t *val;
	size_t n = 0, i;

	memset(v, 0, sizeof(*v));
	v->name = json_string_value(json_object_get(vec, "name"));
	v->expected = json_object_get(vec, "expected");
	v->ak = json_string_value(json_object_get(in, "ak"));
	v->sk = json_string_value(json_object_get(in, "sk"));
	signer_kind kind = signer_of(json_string_value(json_object_get(vec, "signer")));

	/* The query as the SDKs put it on the wire: each decoded parameter encoded. */
	json_array_foreach(json_object_get(in, "query_params"), i, val)
	{
		if (v->query.len)
			assert_int_equal(hwims_buf_puts(&v->query, "&"), 0);
		append_encoded(&v->query, json_string_value(json_array_get(val, 0)));
		assert_int_equal(hwims_buf_puts(&v->query, "="), 0);
		append_encoded(&v->query, json_string_value(json_array_get(val, 1)));
	}

	json_object_foreach(json_object_get(in, "headers_before_signing"), key, val)
	{
		if (kind != SIGNER_GOLANGSDK && strchr(key, '_'))
			continue; /* both v3 SDKs skip names with an underscore */
		if (kind == SIGNER_GOSDK_V3 && strncasecmp(key, "content-type", 12) == 0)
			continue; /* the Go SDK v3 never signs Content-Type */
		assert_true(n < MAX_HEADERS);
		v->headers[n++] = (hwims_header){key, json_string_value(val)};
	}
	if (kind == SIGNER_PYTHON) /* the Python signer adds Host */
		v->headers[n++] =
		    (hwims_header){"Host", json_string_value(json_object_get(in, "host"))};

	const char *body = json_string_value(json_object_get(in, "body"));
	v->req.method = json_string_value(json_object_get(in, "method"));
	v->req.path = json_string_value(json_object_get(in, "path"));
	v->req.query = v->query.data;
	v->req.headers = v->headers;
	v->req.n_headers = n;
	v->req.body = body;
	v->req.body_len = strlen(body);
}

static const char *expected(const vector_req *v, const char *field)
{
	const char *s = json_string_value(json_object_get(v->expected, field));
	assert_non_null(s);
	return s;
}

/* 1 if signing v reproduces every expected value, else 0 (prints what differs). */
static int vector_matches(const vector_req *v, int quiet)
{
	hwims_signature sig;
	hwims_error err;

	assert_int_equal(hwims_sign(&v->req, v->ak, v->sk, &sig, &err), 0);
	int ok = strcmp(sig.canonical_request, expected(v, "canonical_request")) == 0 &&
	         strcmp(sig.string_to_sign, expected(v, "string_to_sign")) == 0 &&
	         strcmp(sig.signed_headers, expected(v, "signed_headers")) == 0 &&
	         strcmp(sig.authorization, expected(v, "authorization")) == 0;
	if (!ok && !quiet)
		print_message(
		    "vector %s:\n got canonical request:\n%s\n want:\n%s\n got auth: %s\n "
		    "want: %s\n",
		    v->name, sig.canonical_request, expected(v, "canonical_request"),
		    sig.authorization, expected(v, "authorization"));
	hwims_signature_free(&sig);
	return ok;
}

static void test_every_vector(void **state)
{
	json_t *doc = load_vectors();
	json_t *vec;
	size_t i, failed = 0;

	json_array_foreach(json_object_get(doc, "vectors"), i, vec)
	{
		vector_req v;
		vector_build(&v, vec);
		if (!vector_matches(&v, 0))
			failed++;
		hwims_buf_free(&v.query);
	}
	assert_int_equal(failed, 0);
	json_decref(doc);
}

/* Any single change to what is signed must change the result: the test above can fail. */
static void test_altered_vectors_do_not_match(void **state)
{
	json_t *doc = load_vectors();
	json_t *vec;
	size_t i;

	json_array_foreach(json_object_get(doc, "vectors"), i, vec)
	{
		vector_req v;
		char body[4096], value[512];

		vector_build(&v, vec);
		/* One body byte (or an added one for an empty body). */
		if (v.req.body_len > 0) {
			assert_true(v.req.body_len < sizeof(body));
			memcpy(body, v.req.body, v.req.body_len);
			body[v.req.body_len / 2] ^= 1;
			v.req.body = body;
		} else {
			v.req.body = "x";
			v.req.body_len = 1;
		}
		assert_false(vector_matches(&v, 1));

		/* One header value. */
		hwims_buf_free(&v.query);
		vector_build(&v, vec);
		snprintf(value, sizeof(value), "%sX", v.headers[0].value);
		v.headers[0].value = value;
		assert_false(vector_matches(&v, 1));

		/* The path. */
		hwims_buf_free(&v.query);
		vector_build(&v, vec);
		snprintf(value, sizeof(value), "%s2", v.req.path);
		v.req.path = value;
		assert_false(vector_matches(&v, 1));

		/* The method. */
		hwims_buf_free(&v.query);
		vector_build(&v, vec);
		v.req.method = strcmp(v.req.method, "GET") == 0 ? "HEAD" : "GET";
		assert_false(vector_matches(&v, 1));

		/* The secret key. */
		hwims_buf_free(&v.query);
		vector_build(&v, vec);
		v.sk = "another-secret";
		assert_false(vector_matches(&v, 1));
		hwims_buf_free(&v.query);
	}
	json_decref(doc);
}

static void test_canonicalisation_details(void **state)
{
	hwims_header h[] = {
	    {"X-Sdk-Date", "20240115T083000Z"}, {"X-Multi", "b"}, {"x-multi", " a "}};
	hwims_sign_request r = {.method = "get",
	                        .path = "/v1/a%20b/c:d",
	                        .query = "b=2&a=2&a=1&c=x+y&d",
	                        .headers = h,
	                        .n_headers = 3};
	hwims_signature sig;
	hwims_error err;

	assert_int_equal(hwims_sign(&r, "AK", "SK", &sig, &err), 0);
	assert_string_equal(sig.canonical_request,
	                    "GET\n/v1/a%20b/c%3Ad/\na=1&a=2&b=2&c=x%20y&d=\n"
	                    "x-multi:a\nx-multi:b\nx-sdk-date:20240115T083000Z\n\n"
	                    "x-multi;x-sdk-date\n"
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(sig.signed_headers, "x-multi;x-sdk-date");
	hwims_signature_free(&sig);

	/* X-Sdk-Content-Sha256 replaces the body hash. */
	hwims_header h2[] = {{"X-Sdk-Date", "20240115T083000Z"},
	                     {"X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"}};
	hwims_sign_request r2 = {.method = "PUT",
	                         .path = "/",
	                         .headers = h2,
	                         .n_headers = 2,
	                         .body = "abc",
	                         .body_len = 3};
	assert_int_equal(hwims_sign(&r2, "AK", "SK", &sig, &err), 0);
	assert_non_null(strstr(sig.canonical_request, "\nUNSIGNED-PAYLOAD"));
	hwims_signature_free(&sig);
}

static void test_sign_usage_errors(void **state)
{
	hwims_header h[] = {{"Host", "example.com"}};
	hwims_sign_request r = {.method = "GET", .path = "/", .headers = h, .n_headers = 1};
	hwims_signature sig;
	hwims_error err;

	assert_int_equal(hwims_sign(&r, "AK", "SK", &sig, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
	assert_non_null(strstr(err.message, "X-Sdk-Date"));
	assert_null(sig.authorization);
	assert_int_equal(hwims_sign(&r, "", "SK", &sig, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_USAGE);
}

static void test_sign_date(void **state)
{
	char buf[17];
	time_t t;

	hwims_sign_date(1705307400, buf, sizeof(buf)); /* 2024-01-15 08:30:00 UTC */
	assert_string_equal(buf, "20240115T083000Z");
	assert_int_equal(hwims_sign_parse_date(buf, &t), 0);
	assert_int_equal(t, 1705307400);
	assert_int_equal(hwims_sign_parse_date("2024-01-15T08:30", &t), -1);
	assert_int_equal(hwims_sign_parse_date("20241315T083000Z", &t), -1);
	assert_int_equal(hwims_sign_parse_date("20240115 083000Z", &t), -1);
}

/* ---- verifier ---- */

#define T_AK  "HWTESTAK0123456789AB"
#define T_SK  "hwTestSecretKey/0123456789abcdefghijklmnopqrs"
#define T_NOW ((time_t)1705307400)

static const char *lookup(void *userdata, const char *ak)
{
	(*(int *)userdata)++;
	return strcmp(ak, T_AK) == 0 ? T_SK : NULL;
}

/* A request as a client sends it: signed headers plus extra unsigned ones, and the
   Authorization header. */
typedef struct wire {
	hwims_header h[12];
	size_t n;
	hwims_sign_request req;
	hwims_signature sig;
} wire;

static void wire_build(wire *w, const char *date)
{
	hwims_error err;
	static const char body[] = "{\"name\":\"copy\"}\n";

	memset(w, 0, sizeof(*w));
	w->h[0] = (hwims_header){"Host", "127.0.0.1:8080"};
	w->h[1] = (hwims_header){"Content-Type", "application/json"};
	w->h[2] = (hwims_header){"X-Sdk-Date", date};
	w->h[3] = (hwims_header){"User-Agent", "hwims-test"};
	w->req = (hwims_sign_request){.method = "POST",
	                              .path = "/cn-north-4/v1/cloudimages/abc/copy",
	                              .query = "x=1&y=a%20b",
	                              .headers = w->h,
	                              .n_headers = 4,
	                              .body = body,
	                              .body_len = sizeof(body) - 1};
	assert_int_equal(hwims_sign(&w->req, T_AK, T_SK, &w->sig, &err), 0);
	/* Set after signing, like golangsdk does: received but not signed. */
	w->h[4] = (hwims_header){"X-Project-Id", "0123456789abcdef0123456789abcdef"};
	w->h[5] = (hwims_header){"X-Security-Token", "unsigned-token"};
	w->h[6] = (hwims_header){"authorization", w->sig.authorization};
	w->req.n_headers = 7;
}

static int verify(const wire *w, time_t now, hwims_error *err)
{
	int calls = 0;
	char ak[64];
	int rc = hwims_sign_verify(&w->req, lookup, &calls, now, HWIMS_SIGN_MAX_SKEW_S, ak,
	                           sizeof(ak), err);
	if (rc == 0)
		assert_string_equal(ak, T_AK);
	return rc;
}

static void assert_rejected(const wire *w, time_t now, const char *why)
{
	hwims_error err;

	assert_int_equal(verify(w, now, &err), -1);
	assert_int_equal(err.kind, HWIMS_ERR_AUTH);
	assert_int_equal(err.http_status, 401);
	assert_string_equal(err.code, "APIGW.0301");
	if (why && !strstr(err.message, why))
		fail_msg("message \"%s\" does not mention \"%s\"", err.message, why);
	/* The verifier must not echo the signature back. */
	const char *sig = strstr(w->sig.authorization, "Signature=");
	assert_null(strstr(err.message, sig + 10));
}

static void test_verify_good(void **state)
{
	wire w;
	hwims_error err;

	wire_build(&w, "20240115T083000Z");
	assert_int_equal(verify(&w, T_NOW, &err), 0);
	/* 14 minutes of skew either way is fine. */
	assert_int_equal(verify(&w, T_NOW + 14 * 60, &err), 0);
	assert_int_equal(verify(&w, T_NOW - 14 * 60, &err), 0);
	hwims_signature_free(&w.sig);

	/* Every official vector verifies too, once the wire headers are given. */
	json_t *doc = load_vectors();
	json_t *vec;
	size_t i;
	json_array_foreach(json_object_get(doc, "vectors"), i, vec)
	{
		vector_req v;
		hwims_header all[MAX_HEADERS + 2];
		int calls = 0;
		vector_build(&v, vec);
		memcpy(all, v.headers, v.req.n_headers * sizeof(all[0]));
		size_t n = v.req.n_headers;
		if (!strcmp(v.ak, T_AK)) {
			all[n++] = (hwims_header){"Authorization", expected(&v, "authorization")};
			v.req.headers = all;
			v.req.n_headers = n;
			time_t t;
			assert_int_equal(
			    hwims_sign_parse_date(json_string_value(json_object_get(
			                              json_object_get(json_object_get(vec, "input"),
			                                              "headers_before_signing"),
			                              "X-Sdk-Date")),
			                          &t),
			    0);
			if (hwims_sign_verify(&v.req, lookup, &calls, t, 900, NULL, 0, &err) != 0)
				fail_msg("vector %s does not verify: %s", v.name, err.message);
		}
		hwims_buf_free(&v.query);
	}
	json_decref(doc);
}

static void test_verify_tampered(void **state)
{
	wire w;

	wire_build(&w, "20240115T083000Z");
	w.req.body = "{\"name\":\"c0py\"}\n";
	assert_rejected(&w, T_NOW, "signature");
	hwims_signature_free(&w.sig);

	wire_build(&w, "20240115T083000Z");
	w.req.path = "/cn-north-4/v1/cloudimages/abd/copy";
	assert_rejected(&w, T_NOW, "signature");
	hwims_signature_free(&w.sig);

	wire_build(&w, "20240115T083000Z");
	w.req.query = "x=2&y=a%20b";
	assert_rejected(&w, T_NOW, "signature");
	hwims_signature_free(&w.sig);

	wire_build(&w, "20240115T083000Z");
	w.req.method = "PUT";
	assert_rejected(&w, T_NOW, "signature");
	hwims_signature_free(&w.sig);

	wire_build(&w, "20240115T083000Z");
	w.h[3].value = "someone-else";
	assert_rejected(&w, T_NOW, "signature");
	hwims_signature_free(&w.sig);

	/* A signed header dropped on the way. */
	wire_build(&w, "20240115T083000Z");
	w.h[3].name = "X-Other";
	assert_rejected(&w, T_NOW, "missing");
	hwims_signature_free(&w.sig);
}

static void test_verify_unknown_key_and_skew(void **state)
{
	wire w;
	char auth[512];

	wire_build(&w, "20240115T083000Z");
	snprintf(auth, sizeof(auth), "SDK-HMAC-SHA256 Access=OTHERAK%s",
	         strchr(w.sig.authorization, ','));
	w.h[6].value = auth;
	assert_rejected(&w, T_NOW, "unknown access key");
	hwims_signature_free(&w.sig);

	wire_build(&w, "20240115T083000Z");
	assert_rejected(&w, T_NOW + 16 * 60, "X-Sdk-Date");
	assert_rejected(&w, T_NOW - 16 * 60, "X-Sdk-Date");
	hwims_signature_free(&w.sig);
}

static void test_verify_malformed(void **state)
{
	static const char *const bad[] = {
	    "",
	    "SDK-HMAC-SHA256",
	    "SDK-HMAC-SHA256 ",
	    "SDK-HMAC-SHA1 Access=HWTESTAK0123456789AB, SignedHeaders=x-sdk-date, Signature=00",
	    "Bearer abc",
	    "SDK-HMAC-SHA256 Access=, SignedHeaders=x-sdk-date, Signature=00",
	    "SDK-HMAC-SHA256 Access=HWTESTAK0123456789AB, SignedHeaders=x-sdk-date",
	    "SDK-HMAC-SHA256 Access=HWTESTAK0123456789AB, SignedHeaders=x-sdk-date, Signature=zz",
	    "SDK-HMAC-SHA256 Access=HWTESTAK0123456789AB,,,,",
	    "SDK-HMAC-SHA256 Access=HWTESTAK0123456789AB, SignedHeaders=;;;, "
	    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
	    "SDK-HMAC-SHA256 Access=HWTESTAK0123456789AB, SignedHeaders=host, "
	    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
	    "SDK-HMAC-SHA256 Access=HWTESTAK0123456789AB, Junk=1, SignedHeaders=x-sdk-date, "
	    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
	    "SDK-HMAC-SHA256 Access=HWTESTAK0123456789AB, SignedHeaders=x-sdk-date, "
	    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
	};
	wire w;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wire_build(&w, "20240115T083000Z");
		w.h[6].value = bad[i];
		assert_rejected(&w, T_NOW, NULL);
		hwims_signature_free(&w.sig);
	}
	/* No Authorization at all. */
	wire_build(&w, "20240115T083000Z");
	w.req.n_headers = 6;
	assert_rejected(&w, T_NOW, "missing");
	hwims_signature_free(&w.sig);
	/* A malformed date. */
	wire_build(&w, "2024-01-15T08:30:00Z");
	assert_rejected(&w, T_NOW, "X-Sdk-Date");
	hwims_signature_free(&w.sig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_vector),
	    cmocka_unit_test(test_altered_vectors_do_not_match),
	    cmocka_unit_test(test_canonicalisation_details),
	    cmocka_unit_test(test_sign_usage_errors),
	    cmocka_unit_test(test_sign_date),
	    cmocka_unit_test(test_verify_good),
	    cmocka_unit_test(test_verify_tampered),
	    cmocka_unit_test(test_verify_unknown_key_and_skew),
	    cmocka_unit_test(test_verify_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
