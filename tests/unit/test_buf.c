/* test_buf.c - the growable buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hwims/buf.h"

static void test_append_and_terminate(void **state)
{
	hwims_buf b = HWIMS_BUF_INIT;

	assert_null(b.data);
	assert_int_equal(hwims_buf_puts(&b, "hello"), 0);
	assert_string_equal(b.data, "hello");
	assert_int_equal(b.len, 5);
	assert_int_equal(hwims_buf_append(&b, " wor\0ld", 7), 0);
	assert_int_equal(b.len, 12);
	assert_int_equal(memcmp(b.data, "hello wor\0ld", 13), 0); /* NUL kept, terminated */
	assert_int_equal(hwims_buf_append(&b, NULL, 0), 0);
	assert_int_equal(b.len, 12);
	hwims_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	hwims_buf_free(&b); /* twice is fine */
	hwims_buf_free(NULL);
}

static void test_grows_across_many_appends(void **state)
{
	hwims_buf b = HWIMS_BUF_INIT;

	for (int i = 0; i < 10000; i++)
		assert_int_equal(hwims_buf_append(&b, "abc", 3), 0);
	assert_int_equal(b.len, 30000);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(memcmp(b.data + 29997, "abc", 3), 0);
	hwims_buf_free(&b);
}

static void test_printf(void **state)
{
	hwims_buf b = HWIMS_BUF_INIT;
	char big[5000];

	assert_int_equal(hwims_buf_printf(&b, "%s=%d", "n", 42), 0);
	assert_int_equal(hwims_buf_printf(&b, ";%03d", 7), 0);
	assert_string_equal(b.data, "n=42;007");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(hwims_buf_printf(&b, "[%s]", big), 0);
	assert_int_equal(b.len, 8 + 2 + sizeof(big) - 1);
	assert_int_equal(b.data[b.len - 1], ']');
	hwims_buf_free(&b);
}

static void test_detach(void **state)
{
	hwims_buf b = HWIMS_BUF_INIT;

	char *empty = hwims_buf_detach(&b);
	assert_non_null(empty);
	assert_string_equal(empty, "");
	free(empty);
	assert_int_equal(hwims_buf_puts(&b, "owned"), 0);
	char *s = hwims_buf_detach(&b);
	assert_string_equal(s, "owned");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_append_and_terminate),
	    cmocka_unit_test(test_grows_across_many_appends),
	    cmocka_unit_test(test_printf),
	    cmocka_unit_test(test_detach),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
