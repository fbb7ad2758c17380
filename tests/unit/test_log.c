/* test_log.c - logging through a caller's sink, and redaction of secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hwims/buf.h"
#include "hwims/log.h"

typedef struct sink {
	hwims_buf text;
	int calls;
	hwims_log_level last;
} sink;

static void sink_fn(void *userdata, hwims_log_level level, const char *message)
{
	sink *s = userdata;
	s->calls++;
	s->last = level;
	hwims_buf_printf(&s->text, "%s\n", message);
}

static void test_levels_and_null(void **state)
{
	sink s = {HWIMS_BUF_INIT, 0, HWIMS_LOG_OFF};
	hwims_log log = {sink_fn, &s, HWIMS_LOG_INFO};

	hwims_log_printf(NULL, HWIMS_LOG_ERROR, "no log: %d", 1); /* no-op, no crash */
	hwims_log_printf(&log, HWIMS_LOG_DEBUG, "dropped %d", 1);
	assert_int_equal(s.calls, 0);
	hwims_log_printf(&log, HWIMS_LOG_WARN, "kept %d", 2);
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.last, HWIMS_LOG_WARN);
	assert_string_equal(s.text.data, "kept 2\n");
	assert_true(hwims_log_enabled(&log, HWIMS_LOG_ERROR));
	assert_false(hwims_log_enabled(&log, HWIMS_LOG_TRACE));
	log.min_level = HWIMS_LOG_OFF;
	hwims_log_printf(&log, HWIMS_LOG_ERROR, "off");
	assert_int_equal(s.calls, 1);
	hwims_log nofn = {NULL, NULL, HWIMS_LOG_TRACE};
	hwims_log_printf(&nofn, HWIMS_LOG_ERROR, "no fn");
	assert_string_equal(hwims_log_level_name(HWIMS_LOG_DEBUG), "DEBUG");
	hwims_buf_free(&s.text);
}

static void test_log_lines_are_redacted(void **state)
{
	sink s = {HWIMS_BUF_INIT, 0, HWIMS_LOG_OFF};
	hwims_log log = {sink_fn, &s, HWIMS_LOG_TRACE};

	hwims_log_printf(&log, HWIMS_LOG_DEBUG, "X-Security-Token: %s", "tok-secret-value");
	assert_null(strstr(s.text.data, "tok-secret-value"));
	assert_non_null(strstr(s.text.data, "X-Security-Token: ***"));
	hwims_buf_free(&s.text);
}

/* Each case: input, the expected output. */
static const struct {
	const char *in, *out;
} cases[] = {
    {"Authorization: SDK-HMAC-SHA256 Access=HWTESTAK0123456789AB, SignedHeaders=host;x-sdk-date, "
     "Signature=7b60942781bcf9e606d4a4cbc66d1969b9896a0f9accfff577dcae84ab812331",
     "Authorization: SDK-HMAC-SHA256 Access=HWTE***, SignedHeaders=host;x-sdk-date, "
     "Signature=***"},
    {"x-security-token:  abc.def/ghi==\r\nHost: x", "x-security-token:  ***\r\nHost: x"},
    {"X-Auth-Token: MIIB...\nnext", "X-Auth-Token: ***\nnext"},
    {"Authorization: Bearer eyJhbGciOi", "Authorization: ***"},
    {"{\"secret_key\":\"s3cr3t\",\"region\":\"cn-north-4\"}",
     "{\"secret_key\":\"***\",\"region\":\"cn-north-4\"}"},
    {"{\"security_token\" : \"a\\\"b\", \"password\":\"pw\"}",
     "{\"security_token\" : \"***\", \"password\":\"***\"}"},
    {"{\"access_key\":\"HWTESTAK0123\",\"token\":null}",
     "{\"access_key\":\"HWTE***\",\"token\":null}"},
    {"GET /x?ak=HW&sk=topsecret&token=tt&limit=1", "GET /x?ak=HW&sk=***&token=***&limit=1"},
    {"security_token=abc secret_key=def signature=ghi", "security_token=*** secret_key=*** "
                                                        "signature=***"},
    /* Words that merely end in a secret name are left alone. */
    {"mytoken=keep risk=keep desk=keep", "mytoken=keep risk=keep desk=keep"},
    {"nothing secret here: GET https://ims.cn-north-4.myhuaweicloud.com/v2/cloudimages?id=1",
     "nothing secret here: GET https://ims.cn-north-4.myhuaweicloud.com/v2/cloudimages?id=1"},
    {"Access=AB, Signature=", "Access=AB, Signature="},
    {"", ""},
};

static void test_redact_cases(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = hwims_redact(cases[i].in);
		assert_non_null(out);
		if (strcmp(out, cases[i].out) != 0)
			fail_msg("redact(%s)\n got  %s\n want %s", cases[i].in, out, cases[i].out);
		free(out);
	}
	assert_null(hwims_redact(NULL));
}

static void test_redact_truncated_input(void **state)
{
	/* Input that ends inside a secret must not read past the end. */
	static const char *const tails[] = {
	    "Signature",      "Access=HW",         "{\"password\":\"abc",
	    "{\"password\":", "X-Security-Token:", "sk="};
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		char *out = hwims_redact(tails[i]);
		assert_non_null(out);
		assert_null(strstr(out, "abc"));
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_levels_and_null),
	    cmocka_unit_test(test_log_lines_are_redacted),
	    cmocka_unit_test(test_redact_cases),
	    cmocka_unit_test(test_redact_truncated_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
