/* The live progress lines of `hwims copy` as a terminal gets them: stderr on a pseudo-terminal of
 * a given size, against imsd. Every line fits the width (also after a resize, and from $COLUMNS
 * when the terminal reports no size), and several lines are redrawn in place, never scrolled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_itest.h"

/* The progress lines in terminal output from offset `from`: the text after each erase-line
 * ("ESC [ K") up to the next control (CR, LF or ESC). Their count, and the widest, in columns
 * (code points: the lines are ASCII but for what a message may hold). */
static void progress_widths(const char *s, size_t from, size_t *count, size_t *widest)
{
	*count = 0;
	*widest = 0;
	for (const char *p = strstr(s + from, "\033[K"); p; p = strstr(p, "\033[K")) {
		p += 3;
		size_t w = 0;
		for (; *p && *p != '\r' && *p != '\n' && *p != '\033'; p++)
			w += ((unsigned char)*p & 0xC0) != 0x80;
		(*count)++;
		if (w > *widest)
			*widest = w;
	}
}

static void expect_fits(const run_result *r, size_t from, size_t columns)
{
	size_t count, widest;
	progress_widths(r->err, from, &count, &widest);
	if (count == 0)
		fail_msg("no progress lines after offset %zu: %s", from, r->err);
	if (widest > columns)
		fail_msg("a progress line is %zu columns wide on a %zu-column terminal", widest,
		         columns);
	/* the lines are longer than that uncut: the cut is what kept them in */
	assert_true(widest >= columns - 2);
}

static run_result run_on_terminal(cli_env *env, int cols, const char *columns,
                                  const char *const *args)
{
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	o.pty_cols = cols;
	o.pty_rows = 24;
	o.columns = columns;
	return cli_run(env, &o, args);
}

static void one_line_fits_60_columns(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *copy[] = {"copy",          "--source-image-id", LARGE, "--name",
	                      "narrow-single", "--timeout",         "3s",  NULL};
	run_result r = run_on_terminal(env, 60, NULL, copy);
	expect_status(&r, 3);
	expect_fits(&r, 0, 60);
	/* the message after the progress is whole */
	assert_non_null(strstr(r.err, "did not finish within 3s"));
	run_free(&r);
}

static void columns_fallback_when_the_terminal_has_no_size(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *copy[] = {"copy",        "--source-image-id", LARGE, "--name",
	                      "narrow-cols", "--timeout",         "3s",  NULL};
	run_result r = run_on_terminal(env, -1, "60", copy);
	expect_status(&r, 3);
	expect_fits(&r, 0, 60);
	run_free(&r);
}

/* Every line cut to 60 columns, and redrawn in place: each redraw moves up to the first line
 * ("ESC [ 1 A" for two lines) before writing the lines again, so the newlines written never
 * exceed what the moves took back (the board never scrolls). */
static void one_line_per_region_in_place(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *copy[] = {"copy",
	                      "--source-image-id",
	                      LARGE,
	                      "--name",
	                      "narrow-fanout",
	                      "--target-region",
	                      "cn-south-1,ap-southeast-1",
	                      "--agency-name",
	                      AGENCY,
	                      "--timeout",
	                      "3s",
	                      NULL};
	run_result r = run_on_terminal(env, 60, NULL, copy);
	expect_status(&r, 3);
	expect_fits(&r, 0, 60);
	/* up to the final erase: as many lines went down as the moves took up */
	const char *end = NULL;
	for (const char *p = strstr(r.err, "\033[J"); p; p = strstr(p + 1, "\033[J"))
		end = p;
	assert_non_null(end);
	size_t down = 0, up = 0;
	for (const char *p = r.err; p < end; p++) {
		if (*p == '\n')
			down++;
		if (p[0] == '\033' && p[1] == '[' && p[2] >= '0' && p[2] <= '9') {
			int n = atoi(p + 2);
			const char *q = p + 2;
			while (*q >= '0' && *q <= '9')
				q++;
			if (*q == 'A') {
				assert_int_equal(n, 1); /* two lines: up one */
				up += (size_t)n;
			}
		}
	}
	assert_true(up > 1);
	assert_int_equal(down, up);
	/* both regions have their line */
	assert_non_null(strstr(r.err, "cn-south-1"));
	assert_non_null(strstr(r.err, "ap-southeast-1"));
	run_free(&r);
}

static void a_resize_is_followed(void **state)
{
	cli_env *env = env_or_skip(state);
	const char *copy[] = {"copy",          "--source-image-id", LARGE, "--name",
	                      "narrow-resize", "--timeout",         "4s",  NULL};
	cli_run_opts o;
	memset(&o, 0, sizeof(o));
	o.pty_cols = 120;
	o.pty_rows = 24;
	/* after the first poll (within 2 s), when the line has grown long with the image's ID */
	o.resize_ms = 2500;
	o.resize_cols = 40;
	run_result r = cli_run(env, &o, copy);
	expect_status(&r, 3);
	assert_true(r.settled_at > 0 && r.settled_at < r.err_len);
	size_t count, widest;
	progress_widths(r.err, 0, &count, &widest);
	assert_true(widest > 40); /* before the resize, the wider terminal was used */
	expect_fits(&r, r.settled_at, 40);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(one_line_fits_60_columns),
	    cmocka_unit_test(columns_fallback_when_the_terminal_has_no_size),
	    cmocka_unit_test(one_line_per_region_in_place),
	    cmocka_unit_test(a_resize_is_followed),
	};
	return cmocka_run_group_tests_name("cli_progress", tests, cli_env_setup_default,
	                                   cli_env_teardown);
}
