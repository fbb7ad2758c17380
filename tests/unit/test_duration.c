/* test_duration.c - Go-style duration parsing and formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "hwims/duration.h"

#define S  HWIMS_NS_PER_S
#define MS HWIMS_NS_PER_MS

static void test_good(void **state)
{
	static const struct {
		const char *in;
		int64_t ns;
	} good[] = {
	    {"60m", 60 * 60 * S},
	    {"1h30m", 90 * 60 * S},
	    {"90s", 90 * S},
	    {"500ms", 500 * MS},
	    {"1.5h", 90 * 60 * S},
	    {"-5s", -5 * S},
	    {"+5s", 5 * S},
	    {"0", 0},
	    {"-0", 0},
	    {"0s", 0},
	    {"300us", 300000},
	    {"300\xc2\xb5s", 300000},
	    {"10ns", 10},
	    {"1h1m1s1ms1us1ns", 3661 * S + MS + 1000 + 1},
	    {".5s", 500 * MS},
	    {"1.s", S},
	    {"2h45m", (2 * 3600 + 45 * 60) * S},
	    {"9223372036854775807ns", INT64_MAX},
	    {"-9223372036854775808ns", INT64_MIN},
	    {"2562047h", INT64_C(2562047) * 3600 * S},
	    {"1.0000000001s", S}, /* below a nanosecond: dropped */
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int64_t ns = 12345;
		hwims_error err;
		if (hwims_duration_parse(good[i].in, &ns, &err) != 0)
			fail_msg("\"%s\" rejected: %s", good[i].in, err.message);
		if (ns != good[i].ns)
			fail_msg("\"%s\" -> %lld, want %lld", good[i].in, (long long)ns,
			         (long long)good[i].ns);
	}
}

static void test_bad(void **state)
{
	static const struct {
		const char *in, *why;
	} bad[] = {
	    {"", "empty"},
	    {"-", "empty"},
	    {"10", "missing unit"},
	    {"5x", "unknown unit"},
	    {"m", "expected a number"},
	    {"1h-", "unknown unit"},
	    {"1h 30m", "unknown unit"},
	    {".s", "expected digits"},
	    {"1..5s", "missing unit"},
	    {"9223372036854775808ns", "out of range"},
	    {"2562048h", "out of range"},
	    {"99999999999999999999s", "out of range"},
	    {"2562047h2562047h", "out of range"},
	    {"1d", "unknown unit"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t ns = 777;
		hwims_error err;
		if (hwims_duration_parse(bad[i].in, &ns, &err) == 0)
			fail_msg("\"%s\" accepted as %lld", bad[i].in, (long long)ns);
		assert_int_equal(err.kind, HWIMS_ERR_USAGE);
		assert_int_equal(ns, 777); /* untouched */
		char quoted[64];
		snprintf(quoted, sizeof(quoted), "\"%s\"", bad[i].in);
		if (!strstr(err.message, quoted) || !strstr(err.message, bad[i].why))
			fail_msg("message for \"%s\" is \"%s\" (want it to quote the input and say "
			         "\"%s\")",
			         bad[i].in, err.message, bad[i].why);
	}
	int64_t ns = 1;
	assert_int_equal(hwims_duration_parse(NULL, &ns, NULL), -1);
}

static void test_format(void **state)
{
	static const struct {
		int64_t ns;
		const char *out;
	} cases[] = {
	    {0, "0s"},
	    {1, "1ns"},
	    {1100, "1.1\xc2\xb5s"},
	    {2200 * 1000, "2.2ms"},
	    {500 * MS, "500ms"},
	    {S, "1s"},
	    {1500 * MS, "1.5s"},
	    {90 * 60 * S, "1h30m0s"},
	    {60 * 60 * S, "1h0m0s"},
	    {-5 * S, "-5s"},
	    {3661 * S + 1, "1h1m1.000000001s"},
	    {INT64_MAX, "2562047h47m16.854775807s"},
	    {INT64_MIN, "-2562047h47m16.854775808s"},
	};
	char buf[40];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hwims_duration_format(cases[i].ns, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].out);
	}
	hwims_duration_format(90 * 60 * S, buf, 4); /* truncated, still terminated */
	assert_string_equal(buf, "1h3");
}

static void test_round_trip(void **state)
{
	static const char *const in[] = {"1h30m0s", "500ms", "-1.5s", "10ns", "72h0m0s"};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		int64_t ns;
		char buf[40];
		assert_int_equal(hwims_duration_parse(in[i], &ns, NULL), 0);
		hwims_duration_format(ns, buf, sizeof(buf));
		assert_string_equal(buf, in[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
