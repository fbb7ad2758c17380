/* test_cli_term.c - the CLI's terminal width, text made safe for a terminal and for JSON, the
 * cutting of progress lines to the width (term.c), and the --target-region list (fanout.c). */
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
	/* newline, tab, escape and C1 controls are shown as escapes, never written raw */
	expect_fit("a\nb\tc\033[2Jd", 80, 256, "a\\nb\\tc\\x1b[2Jd", 15);
	expect_fit("x\xc2\x9by", 80, 256, "x\\u009by", 8);
	/* stray, truncated, overlong and surrogate bytes are shown byte by byte */
	expect_fit("\xff", 80, 256, "\\xff", 4);
	expect_fit("a\xe4\xb8", 80, 256, "a\\xe4\\xb8", 9);
	expect_fit("\xc0\xaf", 80, 256, "\\xc0\\xaf", 8);
	expect_fit("\xed\xa0\x80", 80, 256, "\\xed\\xa0\\x80", 12);
	expect_fit("\xf4\x90\x80\x80", 80, 256, "\\xf4\\x90\\x80\\x80", 16);
	/* cut at the width, an escape is cut like any text: what is left is still harmless */
	expect_fit("ab\033[2J", 4, 256, "ab\\x", 4);
	char out[8] = "unset";
	assert_int_equal(cli_fit_text("abc", 10, out, 0), 0);
	assert_string_equal(out, "unset");
}

/* cli_escape of in is want. */
static void expect_escape(const char *in, const char *want)
{
	hwims_buf b = HWIMS_BUF_INIT;
	assert_int_equal(cli_escape(&b, in), 0);
	if (strcmp(b.data, want) != 0)
		fail_msg("escape(\"%s\") = \"%s\", want \"%s\"", in ? in : "(null)", b.data, want);
	hwims_buf_free(&b);
}

static void test_escape(void **state)
{
	(void)state;
	/* what an attacker would put in a description: clear the screen, set the window title */
	expect_escape("\033[2J\033[H", "\\x1b[2J\\x1b[H");
	expect_escape("\033]0;owned\007", "\\x1b]0;owned\\x07");
	/* every C0 control, DEL, and the C1 controls by code point */
	expect_escape("\001\r\n\t\177", "\\x01\\r\\n\\t\\x7f");
	expect_escape("\xc2\x80 \xc2\x9b \xc2\x9f", "\\u0080 \\u009b \\u009f");
	/* the backslash is doubled, so text that looks like an escape cannot pass for one */
	expect_escape("C:\\x1b", "C:\\\\x1b");
	/* printable text is kept as it is: Latin, U+00A0 (the first after C1), Chinese, emoji */
	expect_escape("caf\xc3\xa9\xc2\xa0\xe9\x95\x9c\xe5\x83\x8f\xf0\x9f\x98\x80",
	              "caf\xc3\xa9\xc2\xa0\xe9\x95\x9c\xe5\x83\x8f\xf0\x9f\x98\x80");
	expect_escape("", "");
	expect_escape(NULL, "");
	/* appended to what the buffer holds */
	hwims_buf b = HWIMS_BUF_INIT;
	assert_int_equal(hwims_buf_puts(&b, "name: "), 0);
	assert_int_equal(cli_escape(&b, "x\033"), 0);
	assert_string_equal(b.data, "name: x\\x1b");
	hwims_buf_free(&b);
}

static void test_print_line(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(cli_print_line(f, "%-6s %s", "name", "evil\033[2J\n"), 0);
	rewind(f);
	char line[128] = "";
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "name   evil\\x1b[2J\\n\n");
	assert_null(fgets(line, sizeof(line), f)); /* one line: the value's newline is shown */
	fclose(f);
}

static void test_json_stays_json(void **state)
{
	(void)state;
	/* text that is not UTF-8 is kept, its stray bytes as U+FFFD, instead of being lost */
	json_t *j = cli_json_text("ab\xff\xe4\xb8");
	assert_true(json_is_string(j));
	assert_string_equal(json_string_value(j), "ab\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	json_decref(j);
	j = cli_json_text(NULL);
	assert_true(json_is_null(j));
	json_decref(j);
	/* controls are JSON-escaped, C1 and DEL too, and the text reads back the same */
	const char *evil = "\033[2J \xc2\x9b"
	                   "31m \x7f \xe9\x95\x9c";
	json_t *o = json_pack("{s:s}", "description", evil);
	char *text = cli_json_dumps(o);
	assert_non_null(text);
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n')
			fail_msg("raw control 0x%02x in %s", *p, text);
	assert_null(strstr(text, "\xc2\x9b"));
	assert_null(strstr(text, "\x7f"));
	assert_non_null(strstr(text, "\\u001B[2J \\u009B31m \\u007F \xe9\x95\x9c"));
	json_error_t e;
	json_t *back = json_loads(text, 0, &e);
	assert_non_null(back);
	assert_string_equal(json_string_value(json_object_get(back, "description")), evil);
	json_decref(back);
	json_decref(o);
	free(text);
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
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_print_line),
	    cmocka_unit_test(test_json_stays_json),
	    cmocka_unit_test(test_columns_fallbacks),
	    cmocka_unit_test(test_target_lists),
	};
	return cmocka_run_group_tests_name("cli_term", tests, NULL, NULL);
}
