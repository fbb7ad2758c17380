/* Unit tests of options.c: imsd's command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"

static int parse(imsd_options *o, hwims_error *err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)"imsd";
	va_start(ap, err);
	for (char *a; (a = va_arg(ap, char *)) != NULL && argc < 31;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	return imsd_options_parse(argc, argv, o, err);
}

static void test_flags(void **state)
{
	imsd_options o;
	hwims_error err;

	(void)state;
	assert_int_equal(parse(&o, &err, "--listen", "0.0.0.0:8080", "--data", "/d", "--seed",
	                       "s.json", "--time-scale", "100", "--default-region", "cn-south-1",
	                       "--admin", "--threads", "2", "--fault-429-rate", "0.5",
	                       "--fault-fail-pattern", "*-boom", "--quiet", NULL),
	                 0);
	assert_string_equal(o.host, "0.0.0.0");
	assert_string_equal(o.port, "8080");
	assert_string_equal(o.data_dir, "/d");
	assert_string_equal(o.seed_path, "s.json");
	assert_true(o.time_scale == 100);
	assert_string_equal(o.default_region, "cn-south-1");
	assert_true(o.admin);
	assert_int_equal(o.threads, 2);
	assert_true(o.faults.throttle_rate == 0.5);
	assert_string_equal(o.faults.fail_pattern, "*-boom");
	assert_true(o.faults.fail_pattern_set);
	assert_false(o.log_requests);

	assert_int_equal(parse(&o, &err, "--listen", "[::1]:0", "--data", "d", NULL), 0);
	assert_true(o.header_timeout_s == 20);
	assert_string_equal(o.host, "::1");
	assert_int_equal(parse(&o, &err, "--data", "d", "--header-timeout", "2.5", NULL), 0);
	assert_true(o.header_timeout_s == 2.5);
	assert_string_equal(o.port, "0");
	assert_int_equal(parse(&o, &err, "--print-seed", NULL), 0);
	assert_true(o.print_seed);
	assert_int_equal(parse(&o, &err, "--help", NULL), 0);
	assert_true(o.help);
}

static void test_bad_flags(void **state)
{
	imsd_options o;
	hwims_error err;

	(void)state;
	assert_int_equal(parse(&o, &err, NULL), -1);
	assert_non_null(strstr(err.message, "--data"));
	assert_int_equal(parse(&o, &err, "--data", "d", "--listen", "nocolon", NULL), -1);
	assert_int_equal(parse(&o, &err, "--data", "d", "--listen", "h:99999", NULL), -1);
	assert_int_equal(parse(&o, &err, "--data", "d", "--listen", "h:8x", NULL), -1);
	assert_int_equal(parse(&o, &err, "--data", "d", "--time-scale", "0", NULL), -1);
	assert_non_null(strstr(err.message, "--time-scale"));
	assert_int_equal(parse(&o, &err, "--data", "d", "--fault-error-rate", "1.5", NULL), -1);
	assert_int_equal(parse(&o, &err, "--data", "d", "--fault-error-status", "404", NULL), -1);
	assert_int_equal(parse(&o, &err, "--data", "d", "--bogus", "1", NULL), -1);
	assert_int_equal(parse(&o, &err, "--data", "d", "--header-timeout", "0", NULL), -1);
	assert_non_null(strstr(err.message, "--header-timeout"));
	assert_int_equal(parse(&o, &err, "--data", NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_flags),
	    cmocka_unit_test(test_bad_flags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
