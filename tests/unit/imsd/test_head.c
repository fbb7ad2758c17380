/* Unit tests of head.c: the check of a request head before libmicrohttpd parses it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hwims/buf.h>

#include "head.h"

static imsd_head_result check(const char *head, size_t *head_len, imsd_head_error *err)
{
	return imsd_head_check(head, strlen(head), head_len, err);
}

static void expect_bad(const char *head, int status, const char *code)
{
	imsd_head_error err;
	size_t len = 0;

	assert_int_equal(check(head, &len, &err), IMSD_HEAD_BAD);
	assert_int_equal(err.status, status);
	assert_string_equal(err.code, code);
	assert_non_null(err.message);
}

static void test_complete_and_incomplete(void **state)
{
	static const char get[] = "GET /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
	imsd_head_error err;
	size_t len = 0;

	(void)state;
	assert_int_equal(check(get, &len, &err), IMSD_HEAD_OK);
	assert_int_equal(len, strlen(get));
	/* Every prefix is incomplete, not refused. */
	for (size_t n = 0; n < strlen(get); n++)
		assert_int_equal(imsd_head_check(get, n, &len, &err), IMSD_HEAD_INCOMPLETE);
	/* A body after the head is not part of it. */
	assert_int_equal(check("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}", &len, &err),
	                 IMSD_HEAD_OK);
	assert_int_equal(len, strlen("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n"));
	/* Bare LF line ends and leading blank lines, as libmicrohttpd takes them. */
	assert_int_equal(check("\r\nGET / HTTP/1.1\nHost: x\n\n", &len, &err), IMSD_HEAD_OK);
	assert_int_equal(check("GET / HTTP/1.1\r\nContent-Length: \t12\r\n\r\n", &len, &err),
	                 IMSD_HEAD_OK);
}

static void test_content_length(void **state)
{
	static const char *const bad[] = {
	    "-1", "abc", "99999999999999999999", "1 2", "", "+5", "0x10", "1,1", "0 ", "0\t"};
	imsd_head_error err;
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hwims_buf h = HWIMS_BUF_INIT;
		assert_int_equal(
		    hwims_buf_printf(&h, "POST / HTTP/1.1\r\nCONTENT-LENGTH: %s\r\n\r\n", bad[i]),
		    0);
		expect_bad(h.data, 400, "APIGW.0206");
		hwims_buf_free(&h);
	}
	/* 19 digits still fit libmicrohttpd's 64-bit length: the server answers 413 itself. */
	assert_int_equal(
	    check("POST / HTTP/1.1\r\nContent-Length: 9999999999999999999\r\n\r\n", &len, &err),
	    IMSD_HEAD_OK);
	expect_bad("POST / HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 3\r\n\r\n", 400,
	           "APIGW.0206");
	assert_int_equal(
	    check("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n", &len, &err),
	    IMSD_HEAD_OK);
	/* Other fields of that prefix are not lengths. */
	assert_int_equal(check("GET / HTTP/1.1\r\nContent-Length-X: no\r\n\r\n", &len, &err),
	                 IMSD_HEAD_OK);
}

/* A head of n parameters (or a target of n bytes when params is 0). */
static char *target_head(int n, int params)
{
	hwims_buf h = HWIMS_BUF_INIT;

	assert_int_equal(hwims_buf_puts(&h, "GET /x?"), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(params ? hwims_buf_printf(&h, "%s%d", i ? "&" : "", i)
		                        : hwims_buf_puts(&h, "a"),
		                 0);
	assert_int_equal(hwims_buf_puts(&h, " HTTP/1.1\r\n\r\n"), 0);
	return hwims_buf_detach(&h);
}

static void test_target_bounds(void **state)
{
	imsd_head_error err;
	size_t len;
	char *h;

	(void)state;
	h = target_head(IMSD_MAX_QUERY_PARAMS, 1);
	assert_int_equal(check(h, &len, &err), IMSD_HEAD_OK);
	free(h);
	h = target_head(IMSD_MAX_QUERY_PARAMS + 1, 1);
	expect_bad(h, 414, "APIGW.0204");
	free(h);
	/* Empty pieces count too: libmicrohttpd keeps a record for each. */
	assert_int_equal(imsd_head_check_target("/x?&&&", 6, &err), IMSD_HEAD_OK);
	h = target_head(IMSD_MAX_TARGET, 0);
	expect_bad(h, 414, "APIGW.0204");
	free(h);
	/* Well past the bound, refused before the line is even complete. */
	h = target_head(IMSD_MAX_TARGET + 100, 0);
	assert_int_equal(imsd_head_check(h, strlen(h) - strlen(" HTTP/1.1\r\n\r\n"), &len, &err),
	                 IMSD_HEAD_BAD);
	assert_int_equal(err.status, 414);
	free(h);
	assert_int_equal(imsd_head_check_target("/x", 2, &err), IMSD_HEAD_OK);
}

static void test_header_bounds(void **state)
{
	hwims_buf h = HWIMS_BUF_INIT;
	imsd_head_error err;
	size_t len;

	(void)state;
	assert_int_equal(hwims_buf_puts(&h, "GET / HTTP/1.1\r\n"), 0);
	for (int i = 0; i < IMSD_MAX_HEADER_LINES; i++)
		assert_int_equal(hwims_buf_printf(&h, "X-%d: 1\r\n", i), 0);
	assert_int_equal(imsd_head_check(h.data, h.len, &len, &err), IMSD_HEAD_INCOMPLETE);
	assert_int_equal(hwims_buf_puts(&h, "X-last: 1\r\n"), 0);
	expect_bad(h.data, 431, "APIGW.0205");
	hwims_buf_free(&h);

	/* One huge field: refused once the bound is passed, end of head or not. */
	assert_int_equal(hwims_buf_puts(&h, "GET / HTTP/1.1\r\nX-Big: "), 0);
	while (h.len <= IMSD_MAX_HEAD)
		assert_int_equal(hwims_buf_puts(&h, "aaaaaaaaaaaaaaaa"), 0);
	expect_bad(h.data, 431, "APIGW.0205");
	hwims_buf_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_complete_and_incomplete),
	    cmocka_unit_test(test_content_length),
	    cmocka_unit_test(test_target_bounds),
	    cmocka_unit_test(test_header_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
