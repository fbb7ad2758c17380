/*
 * fuzz_error_body.c - the Huawei error-body parser (api_parse_error_body).
 *
 * The whole input is the response body. What must hold:
 *  - the answer is 0 or 1, and the same on a second call;
 *  - with 0 the error is untouched; with 1 only code and message changed, and
 *    both are NUL-terminated within their arrays;
 *  - a body cut anywhere is parsed without reading past its length (the
 *    input is not NUL-terminated, so ASan catches any strlen on it).
 */
#include <string.h>

#include "fuzz.h"
#include "hwims/error.h"
#include "cloud_api.h"

static void prefill(hwims_error *err)
{
	/* Recognisable garbage everywhere, so any stray write shows. */
	memset(err, 0x5a, sizeof(*err));
	err->kind = HWIMS_ERR_SERVER;
	err->http_status = 500;
	snprintf(err->code, sizeof(err->code), "500");
	snprintf(err->message, sizeof(err->message), "HTTP 500");
	snprintf(err->request_id, sizeof(err->request_id), "req-1");
	snprintf(err->attribute, sizeof(err->attribute), "attr");
}

static int parse_and_check(const uint8_t *data, size_t size)
{
	hwims_error before, err;

	prefill(&before);
	prefill(&err);
	int found = api_parse_error_body((const char *)data, size, &err);
	FUZZ_CHECK(found == 0 || found == 1);
	if (!found) {
		FUZZ_CHECK(memcmp(&before, &err, sizeof(err)) == 0);
		return 0;
	}
	FUZZ_CHECK(err.kind == before.kind);
	FUZZ_CHECK(err.http_status == before.http_status);
	FUZZ_CHECK(memcmp(err.request_id, before.request_id, sizeof(err.request_id)) == 0);
	FUZZ_CHECK(memcmp(err.attribute, before.attribute, sizeof(err.attribute)) == 0);
	FUZZ_CHECK(strnlen(err.code, sizeof(err.code)) < sizeof(err.code));
	FUZZ_CHECK(strnlen(err.message, sizeof(err.message)) < sizeof(err.message));

	hwims_error again;
	prefill(&again);
	FUZZ_CHECK(api_parse_error_body((const char *)data, size, &again) == 1);
	FUZZ_CHECK(strcmp(again.code, err.code) == 0);
	FUZZ_CHECK(strcmp(again.message, err.message) == 0);
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Tolerates NULL/empty and a NULL error. */
	FUZZ_CHECK(api_parse_error_body((const char *)data, size, NULL) == 0);
	FUZZ_CHECK(api_parse_error_body(NULL, size, NULL) == 0);

	/* An exact-size copy: data from the replay driver already is, libFuzzer's too. */
	parse_and_check(data, size);
	/* Half the body: what a truncated response looks like. */
	if (size > 1)
		parse_and_check(data, size / 2);
	return 0;
}
