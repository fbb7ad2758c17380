/*
 * fuzz_sign_verify.c - the AK/SK verifier imsd runs on every request (hwims_sign_verify),
 * and the signer it must agree with (hwims_sign).
 *
 * Input, line by line:
 *   MODE            first byte: '0' verify as received, only AK "AKFUZZ" known;
 *                   '1' verify as received, every AK known; '2' sign then verify;
 *                   '3' sign then verify, then tamper and verify again; '4' as '0'
 *                   and '5' as '1' with the server clock beyond the allowed skew
 *   METHOD
 *   PATH
 *   QUERY
 *   Name: value     headers, up to an empty line
 *   BODY            the rest, raw bytes
 *
 * What must hold:
 *  - verify answers 0 or -1; a refusal is HWIMS_ERR_AUTH, 401, "APIGW.0301", and no
 *    message ever holds the secret key or the expected signature;
 *  - on success the access key written out is the one of the Authorization header,
 *    and the server clock was within the skew of X-Sdk-Date;
 *  - (2, 3) a request hwims_sign signed verifies, also with an unsigned header added
 *    afterwards, and the access key comes back;
 *  - (3) changing the body, the query or the path, or a clock beyond the allowed
 *    skew, makes it fail.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "hwims/error.h"
#include "hwims/sign.h"

#define FUZZ_AK      "AKFUZZ"
#define FUZZ_SK      "fuzz-secret-key-0123456789abcdef"
#define FUZZ_DATE    "20240102T030405Z"
#define FUZZ_SKEW    HWIMS_SIGN_MAX_SKEW_S
#define MAX_HEADERS  32
#define DEFAULT_TIME ((time_t)1704164645) /* FUZZ_DATE */
#define ADDED_HEADER "X-Added-After-Signing"

typedef struct parsed {
	char *mode, *method, *path, *query;
	char *lines[MAX_HEADERS]; /* "Name: value" copies; names and values point into them */
	hwims_header headers[MAX_HEADERS + 3];
	size_t n_headers;
	char *body;
	size_t body_len;
} parsed;

static const char *lookup(void *userdata, const char *access_key)
{
	int any = *(const int *)userdata;
	if (any || strcmp(access_key, FUZZ_AK) == 0)
		return FUZZ_SK;
	return NULL;
}

static void parse_input(parsed *p, const uint8_t *data, size_t size)
{
	fuzz_input in;

	memset(p, 0, sizeof(*p));
	fuzz_input_init(&in, data, size);
	p->mode = fuzz_input_field(&in, '\n', NULL);
	p->method = fuzz_input_field(&in, '\n', NULL);
	p->path = fuzz_input_field(&in, '\n', NULL);
	p->query = fuzz_input_field(&in, '\n', NULL);
	while (!fuzz_input_done(&in) && p->n_headers < MAX_HEADERS) {
		char *line = fuzz_input_field(&in, '\n', NULL);
		if (line[0] == '\0') {
			free(line);
			break;
		}
		p->lines[p->n_headers] = line;
		char *colon = strchr(line, ':');
		/* Every value its own storage: the verifier tells repeated headers apart by
		 * pointer. */
		const char *value = line + strlen(line);
		if (colon) {
			*colon = '\0';
			value = colon + 1;
			/* As an HTTP server hands it over: without the blanks after the colon. */
			while (*value == ' ' || *value == '\t')
				value++;
		}
		p->headers[p->n_headers++] = (hwims_header){line, value};
	}
	p->body = fuzz_input_rest(&in, &p->body_len);
}

static void free_parsed(parsed *p)
{
	for (size_t i = 0; i < p->n_headers; i++)
		free(p->lines[i]);
	free(p->mode);
	free(p->method);
	free(p->path);
	free(p->query);
	free(p->body);
}

static void check_refusal(const hwims_error *err, const char *expected_sig)
{
	FUZZ_CHECK(err->kind == HWIMS_ERR_AUTH);
	FUZZ_CHECK(err->http_status == 401);
	FUZZ_CHECK(strcmp(err->code, "APIGW.0301") == 0);
	FUZZ_CHECK(strnlen(err->message, sizeof(err->message)) < sizeof(err->message));
	FUZZ_CHECK(strstr(err->message, FUZZ_SK) == NULL);
	if (expected_sig)
		FUZZ_CHECK(strstr(err->message, expected_sig) == NULL);
}

static int verify(const hwims_sign_request *req, int any_key, time_t now, char *ak, size_t ak_len,
                  hwims_error *err)
{
	int rc = hwims_sign_verify(req, lookup, &any_key, now, FUZZ_SKEW, ak, ak_len, err);
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(memchr(ak, '\0', ak_len) != NULL);
	return rc;
}

/* Verify exactly what was received, with the server clock clock_offset seconds away from the
   request's X-Sdk-Date. */
static void fuzz_as_received(const parsed *p, int any_key, int clock_offset)
{
	hwims_sign_request req = {p->method,    p->path, p->query,   p->headers,
	                          p->n_headers, p->body, p->body_len};
	char ak[24];
	hwims_error err;
	time_t now = DEFAULT_TIME;

	/* Put the clock near the request's date, so inputs can get past the skew check. */
	for (size_t i = 0; i < p->n_headers; i++) {
		time_t t;
		if (strcasecmp(p->headers[i].name, "X-Sdk-Date") == 0) {
			if (hwims_sign_parse_date(p->headers[i].value, &t) == 0)
				now = t + clock_offset;
			break;
		}
	}
	memset(ak, 'x', sizeof(ak));
	if (verify(&req, any_key, now, ak, sizeof(ak), &err) != 0) {
		check_refusal(&err, NULL);
		FUZZ_CHECK(ak[0] == '\0');
		return;
	}
	/* Only an input carrying a genuine signature gets here (the seeds do). */
	FUZZ_CHECK(err.kind == HWIMS_ERR_NONE);
	FUZZ_CHECK(ak[0] != '\0');
	FUZZ_CHECK(any_key || strcmp(ak, FUZZ_AK) == 0);
	FUZZ_CHECK(clock_offset == 0);
}

/* A header name the signer and the Authorization syntax can both carry. */
static int signable_name(const char *name)
{
	if (!*name || strcasecmp(name, "Authorization") == 0 ||
	    strcasecmp(name, "X-Sdk-Date") == 0 || strcasecmp(name, ADDED_HEADER) == 0)
		return 0;
	for (const char *c = name; *c; c++) {
		if (!isgraph((unsigned char)*c) || strchr(",;=", *c))
			return 0;
	}
	return 1;
}

static void expect_refused(const hwims_sign_request *req, time_t now, const char *sig,
                           const char *what)
{
	char ak[24];
	hwims_error err;

	if (verify(req, 0, now, ak, sizeof(ak), &err) == 0) {
		fprintf(stderr, "verify accepted a request after %s\n", what);
		FUZZ_CHECK(!"tampered request refused");
	}
	check_refusal(&err, sig);
}

/* Sign what the input describes, then verify it; with tamper, break it in each way. */
static void fuzz_round_trip(const parsed *p, int tamper)
{
	hwims_header hs[MAX_HEADERS + 3];
	size_t n = 0;
	int has_content_sha = 0;
	hwims_signature sig = {0};
	hwims_error err;
	char ak[24];
	char *sig_hex = NULL;

	hs[n++] = (hwims_header){"X-Sdk-Date", FUZZ_DATE};
	for (size_t i = 0; i < p->n_headers; i++) {
		if (!signable_name(p->headers[i].name))
			continue;
		has_content_sha |= strcasecmp(p->headers[i].name, "X-Sdk-Content-Sha256") == 0;
		hs[n++] = p->headers[i];
	}
	hwims_sign_request req = {p->method, p->path, p->query, hs, n, p->body, p->body_len};
	if (hwims_sign(&req, FUZZ_AK, FUZZ_SK, &sig, &err) != 0) {
		/* Only a request without a method is unsignable here. */
		FUZZ_CHECK(err.kind == HWIMS_ERR_USAGE);
		FUZZ_CHECK(p->method[0] == '\0');
		return;
	}
	FUZZ_CHECK(strstr(sig.authorization, "Signature=") != NULL);
	sig_hex = strstr(sig.authorization, "Signature=") + strlen("Signature=");
	FUZZ_CHECK(strlen(sig_hex) == 64);

	/* As received: the signed headers, the Authorization, and one header added afterwards. */
	hs[n++] = (hwims_header){"Authorization", sig.authorization};
	hs[n++] = (hwims_header){ADDED_HEADER, "whatever"};
	req.n_headers = n;
	memset(ak, 'x', sizeof(ak));
	if (verify(&req, 0, DEFAULT_TIME + 60, ak, sizeof(ak), &err) != 0) {
		fprintf(stderr, "a signed request fails verification: %s\ncanonical request:\n%s\n",
		        err.message, sig.canonical_request);
		FUZZ_CHECK(!"a signed request verifies");
	}
	FUZZ_CHECK(strcmp(ak, FUZZ_AK) == 0);

	if (tamper) {
		expect_refused(&req, DEFAULT_TIME + FUZZ_SKEW + 1, sig_hex, "the allowed skew");
		expect_refused(&req, DEFAULT_TIME - FUZZ_SKEW - 1, sig_hex, "the allowed skew");

		hwims_sign_request t = req;
		char *body = fuzz_strndup(p->body, p->body_len + 1);
		body[p->body_len] = '!';
		t.body = body;
		t.body_len = p->body_len + 1;
		if (!has_content_sha) /* X-Sdk-Content-Sha256 stands for the body when present */
			expect_refused(&t, DEFAULT_TIME, sig_hex, "changing the body");
		free(body);

		size_t qlen = strlen(p->query);
		char *query = malloc(qlen + 16);
		FUZZ_CHECK(query != NULL);
		snprintf(query, qlen + 16, "%s&tampered=1", p->query);
		t = req;
		t.query = query;
		expect_refused(&t, DEFAULT_TIME, sig_hex, "adding a query parameter");
		free(query);

		size_t plen = strlen(p->path);
		char *path = malloc(plen + 16);
		FUZZ_CHECK(path != NULL);
		snprintf(path, plen + 16, "%s/tampered", p->path);
		t = req;
		t.path = path;
		expect_refused(&t, DEFAULT_TIME, sig_hex, "changing the path");
		free(path);
	}
	hwims_signature_free(&sig);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parsed p;

	parse_input(&p, data, size);
	switch (p.mode[0]) {
	case '2':
		fuzz_round_trip(&p, 0);
		break;
	case '3':
		fuzz_round_trip(&p, 1);
		break;
	case '4':
		fuzz_as_received(&p, 0, FUZZ_SKEW + 1);
		break;
	case '5':
		fuzz_as_received(&p, 1, -FUZZ_SKEW - 1);
		break;
	default:
		fuzz_as_received(&p, p.mode[0] == '1', 0);
		break;
	}
	free_parsed(&p);
	return 0;
}
