/* Unit tests for the cty JSON codec (src/provider/json.c), types (type.c) and numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prov_value.h"

static prov_type *parse_type(const char *json)
{
	prov_type *t = NULL;
	hwims_error err;
	if (prov_type_from_json(json, strlen(json), &t, &err) != 0)
		fail_msg("type %s: %s", json, err.message);
	return t;
}

static char *to_json(const prov_value *v, const prov_type *t)
{
	hwims_buf b = HWIMS_BUF_INIT;
	hwims_error err;
	if (prov_value_to_json(v, t, &b, &err) != 0)
		fail_msg("encode: %s", err.message);
	return hwims_buf_detach(&b);
}

static void json_roundtrip(const char *type_json, const char *in, const char *out)
{
	prov_type *t = parse_type(type_json);
	prov_value *v = NULL;
	hwims_error err;
	if (prov_value_from_json(t, in, strlen(in), &v, &err) != 0)
		fail_msg("decode %s: %s", in, err.message);
	char *s = to_json(v, t);
	assert_string_equal(s, out);
	free(s);
	prov_value_free(v);
	prov_type_unref(t);
}

static void type_json_round_trips(void **state)
{
	(void)state;
	const char *types[] = {"\"string\"",
	                       "\"number\"",
	                       "\"bool\"",
	                       "\"dynamic\"",
	                       "[\"list\",\"string\"]",
	                       "[\"set\",[\"map\",\"number\"]]",
	                       "[\"object\",{\"a\":\"string\",\"b\":[\"list\",\"bool\"]}]",
	                       "[\"tuple\",[\"string\",\"number\"]]",
	                       "[\"object\",{}]"};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		prov_type *t = parse_type(types[i]);
		hwims_buf b = HWIMS_BUF_INIT;
		assert_int_equal(prov_type_to_json(t, &b), 0);
		assert_string_equal(b.data, types[i]);
		hwims_buf_free(&b);
		prov_type_unref(t);
	}
	/* object attributes come out sorted */
	prov_type *t = parse_type("[\"object\",{\"z\":\"string\",\"a\":\"bool\"}]");
	hwims_buf b = HWIMS_BUF_INIT;
	prov_type_to_json(t, &b);
	assert_string_equal(b.data, "[\"object\",{\"a\":\"bool\",\"z\":\"string\"}]");
	hwims_buf_free(&b);
	prov_type_unref(t);
	/* what Terraform would panic on must be refused here */
	const char *bad[] = {"string",
	                     "\"str\"",
	                     "[\"list\"]",
	                     "[\"map\",\"x\"]",
	                     "42",
	                     "[1,2]",
	                     "[\"object\",{\"a\":\"string\",\"a\":\"bool\"}]"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		prov_type *x = NULL;
		hwims_error err;
		assert_int_equal(prov_type_from_json(bad[i], strlen(bad[i]), &x, &err), -1);
		assert_null(x);
	}
}

static void objects_and_missing_attributes(void **state)
{
	(void)state;
	const char *t =
	    "[\"object\",{\"a\":\"string\",\"n\":\"number\",\"m\":[\"map\",\"string\"]}]";
	json_roundtrip(t, "{\"n\":1,\"a\":\"x\",\"m\":{\"k\":\"v\"}}",
	               "{\"a\":\"x\",\"m\":{\"k\":\"v\"},\"n\":1}");
	/* missing attributes are null (unlike msgpack) */
	json_roundtrip(t, "{\"a\":\"x\"}", "{\"a\":\"x\",\"m\":null,\"n\":null}");
	/* unknown attributes are an error */
	prov_type *ot = parse_type(t);
	prov_value *v = NULL;
	hwims_error err;
	assert_int_equal(prov_value_from_json(ot, "{\"zz\":1}", 8, &v, &err), -1);
	assert_non_null(strstr(err.message, "unsupported attribute \"zz\""));
	prov_type_unref(ot);
}

static void numbers_keep_their_decimal_value(void **state)
{
	(void)state;
	json_roundtrip("\"number\"", "0.1", "0.1");
	json_roundtrip("\"number\"", "1.5e3", "1500");
	json_roundtrip("\"number\"", "-0", "0");
	json_roundtrip("\"number\"", "\"12.50\"", "12.5");
	json_roundtrip("\"number\"", "9007199254740993", "9007199254740993");
	json_roundtrip("\"string\"", "7", "\"7\"");
	json_roundtrip("\"string\"", "true", "\"true\"");
	json_roundtrip("\"bool\"", "\"false\"", "false");
}

static void strings_escape_like_go(void **state)
{
	(void)state;
	json_roundtrip("\"string\"", "\"a<b>&\\\"\\\\\\n\\u0001\"",
	               "\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\u0001\"");
	json_roundtrip("\"string\"", "\"caf\\u00e9 \\u2028\"", "\"caf\xc3\xa9 \\u2028\"");
}

static void dynamic_and_unknown(void **state)
{
	(void)state;
	json_roundtrip("\"dynamic\"", "{\"value\":\"hi\",\"type\":\"string\"}",
	               "{\"value\":\"hi\",\"type\":\"string\"}");
	json_roundtrip("\"dynamic\"", "null", "null");
	prov_value *u = prov_value_unknown(&prov_type_string);
	hwims_buf b = HWIMS_BUF_INIT;
	hwims_error err;
	assert_int_equal(prov_value_to_json(u, &prov_type_string, &b, &err), -1);
	hwims_buf_free(&b);
	prov_value_free(u);
}

static void number_text_is_canonical(void **state)
{
	(void)state;
	struct {
		const char *in, *out;
	} cases[] = {{"007", "7"},      {"1.2300", "1.23"},
	             {"1e-3", "0.001"}, {"-1.0", "-1"},
	             {"+5", "5"},       {".5", "0.5"},
	             {"1E2", "100"},    {"12345678901234567890", "12345678901234567890"}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		prov_number n;
		assert_int_equal(prov_number_parse(cases[i].in, strlen(cases[i].in), &n), 0);
		char *t = prov_number_text(&n);
		assert_string_equal(t, cases[i].out);
		free(t);
		free(n.text);
	}
	const char *bad[] = {"", "-", "1e", "abc", "1.2.3", "0x10", "1e999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		prov_number n;
		assert_int_equal(prov_number_parse(bad[i], strlen(bad[i]), &n), -1);
	}
	prov_number f = {.kind = PROV_NUM_FLOAT, .f = 0.1};
	char *t = prov_number_text(&f);
	assert_string_equal(t, "0.1");
	free(t);
}

static void value_helpers(void **state)
{
	(void)state;
	prov_type *mt = prov_type_collection(PROV_T_MAP, &prov_type_string);
	prov_value *m = prov_value_collection(mt);
	assert_int_equal(prov_value_map_put(m, "b", prov_value_string("2")), 0);
	assert_int_equal(prov_value_map_put(m, "a", prov_value_string("1")), 0);
	assert_int_equal(prov_value_map_put(m, "b", prov_value_string("3")), 0);
	assert_int_equal(m->u.coll.n, 2);
	assert_string_equal(m->u.coll.keys[0], "a");
	prov_value *c = prov_value_clone(m);
	assert_true(prov_value_equal(m, c));
	prov_value_map_put(c, "c", prov_value_string("4"));
	assert_false(prov_value_equal(m, c));
	assert_true(prov_value_wholly_known(c));
	prov_value_map_put(c, "d", prov_value_unknown(&prov_type_string));
	assert_false(prov_value_wholly_known(c));
	prov_value_free(c);
	prov_value_free(m);
	prov_type_unref(mt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(type_json_round_trips),
	    cmocka_unit_test(objects_and_missing_attributes),
	    cmocka_unit_test(numbers_keep_their_decimal_value),
	    cmocka_unit_test(strings_escape_like_go),
	    cmocka_unit_test(dynamic_and_unknown),
	    cmocka_unit_test(number_text_is_canonical),
	    cmocka_unit_test(value_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
