/* Unit tests for the go-plugin launch contract (handshake.c) and logging (log.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "prov_handshake.h"
#include "prov_log.h"
#include "prov_tls.h"

static void cookie_is_required_with_a_helpful_message(void **state)
{
	(void)state;
	hwims_error err;
	assert_int_equal(prov_handshake_check(NULL, "6", &err), -1);
	assert_non_null(strstr(err.message, "This binary is a plugin"));
	assert_non_null(strstr(err.message, "--debug"));
	assert_int_equal(prov_handshake_check("wrong", "6", &err), -1);
	assert_int_equal(prov_handshake_check(PROV_COOKIE_VALUE, "6", &err), 0);
}

static void protocol_6_is_found_in_any_order(void **state)
{
	(void)state;
	hwims_error err;
	const char *ok[] = {"5,6", "6,5", "6", " 5, 6 ", NULL, ""};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_int_equal(prov_handshake_check(PROV_COOKIE_VALUE, ok[i], &err), 0);
	const char *bad[] = {"5", "4,5", "16", "60"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(prov_handshake_check(PROV_COOKIE_VALUE, bad[i], &err), -1);
		assert_non_null(strstr(err.message, "protocol 6"));
	}
}

static void handshake_line_format(void **state)
{
	(void)state;
	char *l = prov_handshake_line("unix", "/tmp/plugin-abc", "MIIBxyz");
	assert_string_equal(l, "1|6|unix|/tmp/plugin-abc|grpc|MIIBxyz\n");
	free(l);
	/* no TLS: empty field 6, and never a 7th field */
	l = prov_handshake_line("tcp", "127.0.0.1:10000", NULL);
	assert_string_equal(l, "1|6|tcp|127.0.0.1:10000|grpc|\n");
	free(l);
}

static void base64_has_no_padding(void **state)
{
	(void)state;
	const unsigned char in[] = "abcd";
	char *s = prov_base64_raw(in, 4); /* padded would be YWJjZA== */
	assert_string_equal(s, "YWJjZA");
	free(s);
	s = prov_base64_raw(in, 3);
	assert_string_equal(s, "YWJj");
	free(s);
	s = prov_base64_raw(in, 2);
	assert_string_equal(s, "YWI");
	free(s);
}

static void reattach_json(void **state)
{
	(void)state;
	char *s = prov_reattach_json("unix", "/tmp/plugin-x", 1234);
	json_error_t jerr;
	json_t *j = json_loads(s, 0, &jerr);
	assert_non_null(j);
	json_t *p = json_object_get(j, "registry.terraform.io/huaweicloud/huaweicloud");
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "Protocol")), "grpc");
	assert_int_equal(json_integer_value(json_object_get(p, "ProtocolVersion")), 6);
	assert_int_equal(json_integer_value(json_object_get(p, "Pid")), 1234);
	assert_true(json_is_true(json_object_get(p, "Test")));
	json_t *addr = json_object_get(p, "Addr");
	assert_string_equal(json_string_value(json_object_get(addr, "Network")), "unix");
	assert_string_equal(json_string_value(json_object_get(addr, "String")), "/tmp/plugin-x");
	json_decref(j);
	free(s);
}

static void log_levels_follow_terraform(void **state)
{
	(void)state;
	assert_int_equal(prov_log_level_from_env(NULL, NULL), HWIMS_LOG_OFF);
	assert_int_equal(prov_log_level_from_env(NULL, "debug"), HWIMS_LOG_DEBUG);
	assert_int_equal(prov_log_level_from_env("WARN", "trace"), HWIMS_LOG_WARN);
	assert_int_equal(prov_log_level_from_env("", "INFO"), HWIMS_LOG_INFO);
	assert_int_equal(prov_log_level_from_env(NULL, "JSON"), HWIMS_LOG_TRACE);
	assert_int_equal(prov_log_level_from_env(NULL, "1"), HWIMS_LOG_TRACE);
	assert_int_equal(prov_log_level_from_env("off", "trace"), HWIMS_LOG_OFF);
}

static void log_lines_are_hclog_json(void **state)
{
	(void)state;
	char *line = prov_log_format_line(HWIMS_LOG_WARN, "a \"quoted\" <message>", 1764316800, 42);
	assert_non_null(line);
	size_t n = strlen(line);
	assert_true(n > 0 && line[n - 1] == '\n');
	json_error_t jerr;
	json_t *j = json_loads(line, 0, &jerr);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "@level")), "warn");
	assert_string_equal(json_string_value(json_object_get(j, "@message")),
	                    "a \"quoted\" <message>");
	/* Go layout 2006-01-02T15:04:05.000000Z07:00, else go-plugin treats the line as text */
	const char *ts = json_string_value(json_object_get(j, "@timestamp"));
	assert_string_equal(ts, "2025-11-28T08:00:00.000042Z");
	regex_t re;
	regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$",
	        REG_EXTENDED);
	assert_int_equal(regexec(&re, ts, 0, NULL, 0), 0);
	regfree(&re);
	json_decref(j);
	free(line);
	/* invalid UTF-8 still yields a string @message */
	line = prov_log_format_line(HWIMS_LOG_ERROR, "bad \xff byte", 0, 0);
	j = json_loads(line, 0, &jerr);
	assert_true(json_is_string(json_object_get(j, "@message")));
	json_decref(j);
	free(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cookie_is_required_with_a_helpful_message),
	    cmocka_unit_test(protocol_6_is_found_in_any_order),
	    cmocka_unit_test(handshake_line_format),
	    cmocka_unit_test(base64_has_no_padding),
	    cmocka_unit_test(reattach_json),
	    cmocka_unit_test(log_levels_follow_terraform),
	    cmocka_unit_test(log_lines_are_hclog_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
