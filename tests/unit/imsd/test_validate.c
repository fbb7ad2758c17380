/* Unit tests of validate.c: IMS name, description and tag rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "validate.h"

static const char *name_code(const char *n)
{
	char msg[256];
	return imsd_check_name(n, msg, sizeof(msg));
}

static void test_names(void **state)
{
	char buf[600];

	(void)state;
	assert_null(name_code("img-copy 01"));
	assert_null(name_code("a.b_c-D9"));
	assert_null(name_code("\xe9\x95\x9c\xe5\x83\x8f")); /* CJK */
	assert_string_equal(name_code(NULL), "IMG.0013");
	assert_string_equal(name_code(""), "IMG.0013");
	assert_string_equal(name_code(" x"), "IMG.0003");
	assert_string_equal(name_code("x "), "IMG.0003");
	assert_string_equal(name_code("a/b"), "IMG.0003");
	assert_string_equal(name_code("a<b"), "IMG.0003");
	assert_string_equal(name_code("caf\xc3\xa9"), "IMG.0003"); /* Latin-1 letter */
	memset(buf, 'a', 128);
	buf[128] = '\0';
	assert_null(name_code(buf));
	buf[128] = 'a';
	buf[129] = '\0';
	assert_string_equal(name_code(buf), "IMG.0002");
	/* 128 CJK characters are 384 bytes and still fine: the limit counts characters. */
	for (int i = 0; i < 128; i++)
		memcpy(buf + 3 * i, "\xe9\x95\x9c", 3);
	buf[384] = '\0';
	assert_null(name_code(buf));
}

static void test_descriptions(void **state)
{
	char msg[256], buf[1100];

	(void)state;
	assert_null(imsd_check_description(NULL, msg, sizeof(msg)));
	assert_null(imsd_check_description("", msg, sizeof(msg)));
	assert_null(
	    imsd_check_description("spaces are fine, so is punctuation!", msg, sizeof(msg)));
	assert_string_equal(imsd_check_description("a\rb", msg, sizeof(msg)), "IMG.0054");
	assert_string_equal(imsd_check_description("a>b", msg, sizeof(msg)), "IMG.0054");
	memset(buf, 'd', 1025);
	buf[1025] = '\0';
	assert_string_equal(imsd_check_description(buf, msg, sizeof(msg)), "IMG.0004");
	buf[1024] = '\0';
	assert_null(imsd_check_description(buf, msg, sizeof(msg)));
}

static void test_tags(void **state)
{
	char msg[256];

	(void)state;
	assert_null(imsd_check_tag("env", "", 1, 128, 255, msg, sizeof(msg)));
	assert_null(imsd_check_tag("a.b:c+d-e@f_g h", "x/y", 1, 128, 255, msg, sizeof(msg)));
	assert_string_equal(imsd_check_tag("", "v", 1, 128, 255, msg, sizeof(msg)), "IMG.0115");
	assert_string_equal(imsd_check_tag("k", "a/b", 1, 2, 2, msg, sizeof(msg)), "IMG.0115");
	assert_string_equal(imsd_check_tag("a/b", "v", 1, 128, 255, msg, sizeof(msg)), "IMG.0115");
	assert_string_equal(imsd_check_tag(" k", "v", 1, 128, 255, msg, sizeof(msg)), "IMG.0115");
	assert_string_equal(imsd_check_tag("k", "v=", 1, 128, 255, msg, sizeof(msg)), "IMG.0115");
	/* Deleting checks lengths only. */
	assert_null(imsd_check_tag("a/b=c", "v=", 0, 128, 255, msg, sizeof(msg)));
	assert_int_equal(imsd_utf8_chars("\xe9\x95\x9c"
	                                 "ab"),
	                 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_descriptions),
	    cmocka_unit_test(test_tags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
