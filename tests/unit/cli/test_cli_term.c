/* test_cli_term.c - the CLI's terminal width and the cutting of progress lines to it (term.c),
 * and the --target-region list (fanout.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* cli_fit_text into a buffer of out_size bytes; checks the returned width against cols. */
static void expect_fit(const char *in, size_t columns, size_t out_size, const char *want,
                       size_t cols)
{
	char out[256];
	memset(out, 'X', sizeof(out));
	size_t got = cli_fit_text(in, columns, out, out_size);
	if (strcmp(out, want) != 0 || got != cols)
		fail_msg("fit(\"%s\", %zu, %zu) = \"%s\" (%zu columns), want \"%s\" (%zu)", in,
		         columns, out_size, out, got, want, cols);
}

static void test_ascii(void **state)
{
	(void)state;
	expect_fit("copying   37.5s", 80, 256, "copying   37.5s", 15);
	expect_fit("copying   37.5s", 7, 256, "copying", 7);
	expect_fit("abc", 0, 256, "", 0);
	expect_fit("", 10, 256, "", 0);
	expect_fit(NULL, 10, 256, "", 0);
}

static void test_utf8_never_split(void **state)
{
	(void)state;
	/* é: 2 bytes, 1 column */
	expect_fit("a\xc3\xa9\xc3\xa9", 2, 256, "a\xc3\xa9", 2);
	expect_fit("\xc3\xa9\xc3\xa9\xc3\xa9", 3, 256, "\xc3\xa9\xc3\xa9\xc3\xa9", 3);
	/* 中文: 3 bytes and 2 columns each; one that does not fit whole is left out */
	expect_fit("\xe4\xb8\xad\xe6\x96\x87", 3, 256, "\xe4\xb8\xad", 2);
	expect_fit("\xe4\xb8\xad\xe6\x96\x87", 1, 256, "", 0);
	expect_fit("\xe4\xb8\xad\xe6\x96\x87", 4, 256, "\xe4\xb8\xad\xe6\x96\x87", 4);
	/* an emoji: 4 bytes, 2 columns */
	expect_fit("ab\xf0\x9f\x98\x80", 3, 256, "ab", 2);
	expect_fit("ab\xf0\x9f\x98\x80", 4, 256, "ab\xf0\x9f\x98\x80", 4);
	/* a combining accent stays with its letter, at the edge too */
	expect_fit("e\xcc\x81x", 1, 256, "e\xcc\x81", 1);
	/* a small buffer cuts whole sequences too, and always terminates */
	expect_fit("\xc3\xa9\xc3\xa9\xc3\xa9", 80, 4, "\xc3\xa9", 1);
	expect_fit("\xe4\xb8\xad", 80, 3, "", 0);
	expect_fit("abcdef", 80, 4, "abc", 3);
}

static void test_cannot_move_the_cursor(void **state)
{
	(void)state;
	/* newline, tab, escape and C1 controls become spaces */
	expect_fit("a\nb\tc\033[2Jd", 80, 256, "a b c [2Jd", 10);
	expect_fit("x\xc2\x9by", 80, 256, "x y", 3);
	/* stray, truncated, overlong and surrogate bytes become '?' each */
	expect_fit("\xff", 80, 256, "?", 1);
	expect_fit("a\xe4\xb8", 80, 256, "a??", 3);
	expect_fit("\xc0\xaf", 80, 256, "??", 2);
	expect_fit("\xed\xa0\x80", 80, 256, "???", 3);
	expect_fit("\xf4\x90\x80\x80", 80, 256, "????", 4);
	char out[8] = "unset";
	assert_int_equal(cli_fit_text("abc", 10, out, 0), 0);
	assert_string_equal(out, "unset");
}

static void test_columns_fallbacks(void **state)
{
	(void)state;
	int fd = open("/dev/null", O_WRONLY);
	assert_true(fd >= 0);
	setenv("COLUMNS", "60", 1);
	assert_int_equal(cli_term_columns(fd), 60);
	setenv("COLUMNS", "wide", 1);
	assert_int_equal(cli_term_columns(fd), 80);
	unsetenv("COLUMNS");
	assert_int_equal(cli_term_columns(fd), 80);
	setenv("LINES", "12", 1);
	assert_int_equal(cli_term_lines(fd), 12);
	unsetenv("LINES");
	assert_int_equal(cli_term_lines(fd), 0);
	close(fd);
}

static void test_target_lists(void **state)
{
	(void)state;
	cli_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.command = "copy";
	cli_targets t = {NULL, 0};
	assert_int_equal(cli_targets_add(&ctx, &t, "cn-south-1"), 0);
	assert_int_equal(cli_targets_add(&ctx, &t, "ap-southeast-1, la-north-2"), 0);
	assert_int_equal(cli_targets_add(&ctx, &t, ""), 0);
	assert_int_equal(t.count, 3);
	assert_string_equal(t.names[0], "cn-south-1");
	assert_string_equal(t.names[1], "ap-southeast-1");
	assert_string_equal(t.names[2], "la-north-2");
	/* a region twice, in one list or across flags, and empty items are bad usage */
	assert_int_equal(cli_targets_add(&ctx, &t, "cn-south-1"), CLI_EXIT_USAGE);
	assert_int_equal(cli_targets_add(&ctx, &t, "eu-west-0,eu-west-0"), CLI_EXIT_USAGE);
	cli_targets_free(&t);
	assert_int_equal(cli_targets_add(&ctx, &t, "a,,b"), CLI_EXIT_USAGE);
	assert_int_equal(cli_targets_add(&ctx, &t, "c,"), CLI_EXIT_USAGE);
	assert_int_equal(cli_targets_add(&ctx, &t, " "), CLI_EXIT_USAGE);
	cli_targets_free(&t);
	assert_int_equal(t.count, 0);
	assert_null(t.names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ascii),
	    cmocka_unit_test(test_utf8_never_split),
	    cmocka_unit_test(test_cannot_move_the_cursor),
	    cmocka_unit_test(test_columns_fallbacks),
	    cmocka_unit_test(test_target_lists),
	};
	return cmocka_run_group_tests_name("cli_term", tests, NULL, NULL);
}
